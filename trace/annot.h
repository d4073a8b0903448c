/* Guest annotation ABI (DESIGN.md "Guest annotations").
 *
 * Freestanding: included by the guest kernel and by the host. The guest builds
 * a record in its memory and writes the record's physical address with one
 * 32-bit OUT to ANNOT_PORT. A record is little-endian: u16 kind, u16 size
 * (bytes, header included), u32 pid, then kind-specific u32 fields. Kinds are
 * appended, never renumbered. Documented in docs/trace-format.md; the host
 * side names and describes every kind once, in trace/annot_desc.h. */
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
    ANNOT_LRU_MOVE = 15,        /* pid, frame, list (0 inactive, 1 active) */
    ANNOT_RECLAIM = 16,         /* pid, who (0 kswapd, 1 direct), priority, scanned, freed */
    ANNOT_KSWAPD = 17,          /* pid, state (0 sleep, 1 wake), free pages */
    ANNOT_MAJOR_FAULT = 18,     /* pid, vpage, source (0 swap, 1 file) */
    ANNOT_SWAP_FREE = 19,       /* pid, slot */
    ANNOT_COW_REUSE = 20,       /* pid, vpage, frame */
    ANNOT_STACK_GROW = 21,      /* pid, new lowest vpage */
    ANNOT_FRAME_ALLOC = 22,     /* pid, frame, order, use (enum annot_frame_use) */
    ANNOT_FRAME_FREE = 23,      /* pid, frame, order */
    ANNOT_PCACHE_HIT = 24,      /* pid, inode, index, frame */
    ANNOT_FILE_FAULT = 25,      /* pid, vpage, inode, index, frame */
    ANNOT_COMM = 26,            /* pid, name[16] */
    ANNOT_NOSYS = 27,           /* pid, system call number */
    ANNOT_VMA_MAP = 28,         /* pid, start vpage, pages, type (enum annot_vma_type) */
    ANNOT_VMA_UNMAP = 29,       /* pid, start vpage, pages */
    ANNOT_KIND_COUNT            /* one past the last kind */
};

/* A vpage field that names no virtual page: a swap-in record of a page
 * read around the faulting one, which no PTE maps yet. */
#define ANNOT_NO_VPAGE 0xFFFFFFFFu

/* What a frame holds (frame-alloc's use field). */
enum annot_frame_use {
    ANNOT_USE_KERNEL = 0,
    ANNOT_USE_PGTABLE = 1,
    ANNOT_USE_SLAB = 2,
    ANNOT_USE_VMALLOC = 3,
    ANNOT_USE_ANON = 4,
    ANNOT_USE_PCACHE = 5,
    ANNOT_USE_SWAPCACHE = 6,
    ANNOT_USE_BUFFER = 7,
    ANNOT_USE_COUNT
};

/* Replacement policies (evict's policy field; the kernel's reclaim=). */
enum annot_policy {
    ANNOT_POLICY_2Q = 0,
    ANNOT_POLICY_CLOCK = 1,
    ANNOT_POLICY_FIFO = 2,
    ANNOT_POLICY_COUNT
};

/* What a VMA maps (vma-map's type field). */
enum annot_vma_type {
    ANNOT_VMA_TEXT = 0,
    ANNOT_VMA_DATA = 1,
    ANNOT_VMA_HEAP = 2,
    ANNOT_VMA_ANON = 3,
    ANNOT_VMA_FILE = 4,
    ANNOT_VMA_STACK = 5,
    ANNOT_VMA_SHM = 6,
    ANNOT_VMA_COUNT
};

/* lru-move's list field. */
enum annot_lru_list {
    ANNOT_LIST_INACTIVE = 0,
    ANNOT_LIST_ACTIVE = 1,
    ANNOT_LIST_COUNT
};

/* reclaim's who field: kswapd's pass or an allocation's direct reclaim. */
enum annot_reclaim_who {
    ANNOT_WHO_KSWAPD = 0,
    ANNOT_WHO_DIRECT = 1,
    ANNOT_WHO_COUNT
};

/* kswapd's state field. */
enum annot_kswapd_state {
    ANNOT_KSWAPD_SLEEP = 0,
    ANNOT_KSWAPD_WAKE = 1,
    ANNOT_KSWAPD_STATE_COUNT
};

/* major-fault's source field: where the page was read from. */
enum annot_fault_source {
    ANNOT_SOURCE_SWAP = 0,
    ANNOT_SOURCE_FILE = 1,
    ANNOT_SOURCE_COUNT
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
struct annot_lru_move    { struct annot_hdr h; unsigned int frame, list; };
struct annot_reclaim     { struct annot_hdr h; unsigned int who, priority, scanned, freed; };
struct annot_kswapd      { struct annot_hdr h; unsigned int state, free_pages; };
struct annot_major_fault { struct annot_hdr h; unsigned int vpage, source; };
struct annot_swap_free   { struct annot_hdr h; unsigned int slot; };
struct annot_cow_reuse   { struct annot_hdr h; unsigned int vpage, frame; };
struct annot_stack_grow  { struct annot_hdr h; unsigned int vpage; };
struct annot_frame_alloc { struct annot_hdr h; unsigned int frame, order, use; };
struct annot_frame_free  { struct annot_hdr h; unsigned int frame, order; };
struct annot_pcache_hit  { struct annot_hdr h; unsigned int inode, index, frame; };
struct annot_file_fault  { struct annot_hdr h; unsigned int vpage, inode, index, frame; };
struct annot_comm        { struct annot_hdr h; char name[ANNOT_NAME_LEN]; };
struct annot_nosys       { struct annot_hdr h; unsigned int nr; };
struct annot_vma_map     { struct annot_hdr h; unsigned int vpage, pages, type; };
struct annot_vma_unmap   { struct annot_hdr h; unsigned int vpage, pages; };

/* Exact size of each kind's record, indexed by kind (0 = invalid): the
 * size of its struct above, which DESIGN.md's table fixes (asserted below). */
#define ANNOT_SIZES { \
    [ANNOT_PROC_CREATE] = sizeof(struct annot_proc_create), \
    [ANNOT_EXEC] = sizeof(struct annot_exec), \
    [ANNOT_EXIT] = sizeof(struct annot_exit), \
    [ANNOT_CTX_SWITCH] = sizeof(struct annot_ctx_switch), \
    [ANNOT_ZERO_FILL] = sizeof(struct annot_zero_fill), \
    [ANNOT_COW_COPY] = sizeof(struct annot_cow_copy), \
    [ANNOT_EVICT] = sizeof(struct annot_evict), \
    [ANNOT_SWAP_IN] = sizeof(struct annot_swap_in), \
    [ANNOT_SWAP_CACHE_HIT] = sizeof(struct annot_swap_hit), \
    [ANNOT_PCACHE_INSERT] = sizeof(struct annot_pcache), \
    [ANNOT_PCACHE_EVICT] = sizeof(struct annot_pcache), \
    [ANNOT_WRITEBACK] = sizeof(struct annot_pcache), \
    [ANNOT_OOM_KILL] = sizeof(struct annot_oom_kill), \
    [ANNOT_MARK] = sizeof(struct annot_mark), \
    [ANNOT_LRU_MOVE] = sizeof(struct annot_lru_move), \
    [ANNOT_RECLAIM] = sizeof(struct annot_reclaim), \
    [ANNOT_KSWAPD] = sizeof(struct annot_kswapd), \
    [ANNOT_MAJOR_FAULT] = sizeof(struct annot_major_fault), \
    [ANNOT_SWAP_FREE] = sizeof(struct annot_swap_free), \
    [ANNOT_COW_REUSE] = sizeof(struct annot_cow_reuse), \
    [ANNOT_STACK_GROW] = sizeof(struct annot_stack_grow), \
    [ANNOT_FRAME_ALLOC] = sizeof(struct annot_frame_alloc), \
    [ANNOT_FRAME_FREE] = sizeof(struct annot_frame_free), \
    [ANNOT_PCACHE_HIT] = sizeof(struct annot_pcache_hit), \
    [ANNOT_FILE_FAULT] = sizeof(struct annot_file_fault), \
    [ANNOT_COMM] = sizeof(struct annot_comm), \
    [ANNOT_NOSYS] = sizeof(struct annot_nosys), \
    [ANNOT_VMA_MAP] = sizeof(struct annot_vma_map), \
    [ANNOT_VMA_UNMAP] = sizeof(struct annot_vma_unmap), \
}

/* The sizes of DESIGN.md "Guest annotations", in bytes, header included. */
_Static_assert(sizeof(struct annot_proc_create) == 28, "proc-create: 28 bytes");
_Static_assert(sizeof(struct annot_exec) == 24, "exec: 24 bytes");
_Static_assert(sizeof(struct annot_exit) == 12, "exit: 12 bytes");
_Static_assert(sizeof(struct annot_ctx_switch) == 12, "ctx-switch: 12 bytes");
_Static_assert(sizeof(struct annot_zero_fill) == 16, "zero-fill: 16 bytes");
_Static_assert(sizeof(struct annot_cow_copy) == 20, "cow-copy: 20 bytes");
_Static_assert(sizeof(struct annot_evict) == 24, "evict: 24 bytes");
_Static_assert(sizeof(struct annot_swap_in) == 20, "swap-in: 20 bytes");
_Static_assert(sizeof(struct annot_swap_hit) == 16, "swap-cache-hit: 16 bytes");
_Static_assert(sizeof(struct annot_pcache) == 20, "pcache-insert, pcache-evict, writeback: 20 bytes");
_Static_assert(sizeof(struct annot_oom_kill) == 8, "oom-kill: 8 bytes");
_Static_assert(sizeof(struct annot_mark) == 12, "mark: 12 bytes");
_Static_assert(sizeof(struct annot_lru_move) == 16, "lru-move: 16 bytes");
_Static_assert(sizeof(struct annot_reclaim) == 24, "reclaim: 24 bytes");
_Static_assert(sizeof(struct annot_kswapd) == 16, "kswapd: 16 bytes");
_Static_assert(sizeof(struct annot_major_fault) == 16, "major-fault: 16 bytes");
_Static_assert(sizeof(struct annot_swap_free) == 12, "swap-free: 12 bytes");
_Static_assert(sizeof(struct annot_cow_reuse) == 16, "cow-reuse: 16 bytes");
_Static_assert(sizeof(struct annot_stack_grow) == 12, "stack-grow: 12 bytes");
_Static_assert(sizeof(struct annot_frame_alloc) == 20, "frame-alloc: 20 bytes");
_Static_assert(sizeof(struct annot_frame_free) == 16, "frame-free: 16 bytes");
_Static_assert(sizeof(struct annot_pcache_hit) == 20, "pcache-hit: 20 bytes");
_Static_assert(sizeof(struct annot_file_fault) == 24, "file-fault: 24 bytes");
_Static_assert(sizeof(struct annot_comm) == 24, "comm: 24 bytes");
_Static_assert(sizeof(struct annot_nosys) == 12, "nosys: 12 bytes");
_Static_assert(sizeof(struct annot_vma_map) == 20, "vma-map: 20 bytes");
_Static_assert(sizeof(struct annot_vma_unmap) == 16, "vma-unmap: 16 bytes");

#endif
