/* Guest annotation ABI (DESIGN.md "Guest annotations").
 *
 * Freestanding: included by the guest kernel and by the host. The guest builds
 * a record in its memory and writes the record's physical address with one
 * 32-bit OUT to ANNOT_PORT. A record is little-endian: u16 kind, u16 size
 * (bytes, header included), u32 pid, then kind-specific u32 fields. Kinds are
 * appended, never renumbered. Documented in docs/trace-format.md. */
#ifndef VMSCOPE_TRACE_ANNOT_H
#define VMSCOPE_TRACE_ANNOT_H

#define ANNOT_PORT 0x440
#define ANNOT_NAME_LEN 16       /* process names: 16 bytes, NUL-padded */
#define ANNOT_MAX_SIZE 64       /* no record is larger */

enum annot_kind {
    ANNOT_PROC_CREATE = 1,      /* pid, ppid, name[16] */
    ANNOT_EXEC = 2,             /* pid, name[16] */
    ANNOT_EXIT = 3,             /* pid, status */
    ANNOT_CTX_SWITCH = 4,       /* pid = from, to */
    ANNOT_ZERO_FILL = 5,        /* pid, vpage, frame */
    ANNOT_COW_COPY = 6,         /* pid, vpage, old frame, new frame */
    ANNOT_EVICT = 7,            /* pid, vpage, frame, slot (swap slot or file page), policy */
    ANNOT_SWAP_IN = 8,          /* pid, vpage, frame, slot */
    ANNOT_SWAP_CACHE_HIT = 9,   /* pid, vpage, frame */
    ANNOT_PCACHE_INSERT = 10,   /* pid, inode, index, frame */
    ANNOT_PCACHE_EVICT = 11,    /* pid, inode, index, frame */
    ANNOT_WRITEBACK = 12,       /* pid, inode, index, frame */
    ANNOT_OOM_KILL = 13,        /* pid */
    ANNOT_MARK = 14,            /* pid, label id */
    ANNOT_KIND_COUNT            /* one past the last kind */
};

struct annot_hdr {
    unsigned short kind;
    unsigned short size;
    unsigned int pid;
};

struct annot_proc_create { struct annot_hdr h; unsigned int ppid; char name[ANNOT_NAME_LEN]; };
struct annot_exec        { struct annot_hdr h; char name[ANNOT_NAME_LEN]; };
struct annot_exit        { struct annot_hdr h; unsigned int status; };
struct annot_ctx_switch  { struct annot_hdr h; unsigned int to; };
struct annot_zero_fill   { struct annot_hdr h; unsigned int vpage, frame; };
struct annot_cow_copy    { struct annot_hdr h; unsigned int vpage, old_frame, new_frame; };
struct annot_evict       { struct annot_hdr h; unsigned int vpage, frame, slot, policy; };
struct annot_swap_in     { struct annot_hdr h; unsigned int vpage, frame, slot; };
struct annot_swap_hit    { struct annot_hdr h; unsigned int vpage, frame; };
struct annot_pcache      { struct annot_hdr h; unsigned int inode, index, frame; };
struct annot_oom_kill    { struct annot_hdr h; };
struct annot_mark        { struct annot_hdr h; unsigned int label; };

/* Exact size of each kind's record, indexed by kind (0 = invalid). */
#define ANNOT_SIZES { 0, 28, 24, 12, 12, 16, 20, 24, 20, 16, 20, 20, 20, 8, 12 }

#endif
