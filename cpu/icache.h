/* The decoded-instruction cache: blocks of decoded instructions keyed by the
 * physical address of their first byte (and the code size), invalidated when
 * the guest writes a byte that was decoded. */
#ifndef VMSCOPE_CPU_ICACHE_H
#define VMSCOPE_CPU_ICACHE_H

#include "cpu/cpu_impl.h"

#define ICACHE_HASH_BITS 16
#define ICACHE_BLOCK_MAX 64             /* instructions per block */
#define ICACHE_ARENA (16u << 20)        /* bytes of decoded blocks before a full flush */

/* A straight run of instructions inside one physical page. */
struct cpu_block {
    uint32_t phys;              /* physical address of the first instruction */
    bool code32;                /* decoded as 32-bit code (CS.D) */
    bool valid;                 /* false once its page was written */
    uint16_t n;                 /* instructions */
    uint16_t bytes;             /* their length: the block ends at phys + bytes */
    struct cpu_block *hnext;    /* hash chain */
    struct cpu_block *pnext;    /* blocks of the same page */
    struct cpu_block *succ[2];  /* the last two blocks that ran after this one
                                 * (checked against phys and valid before use) */
    struct cpu_block *bnext;    /* decoded blocks of the same page (not views) */
    struct insn *insn;          /* n decoded instructions: stored after this
                                 * header, or, for a view, the tail of a block
                                 * of the same page that decoded them already */
};

/* Per RAM frame holding decoded code: which bytes were decoded. */
struct cpu_codepage {
    uint64_t bits[64];          /* one bit per byte of the frame */
    struct cpu_block *blocks;   /* every block of this frame, views too */
    struct cpu_block *decoded;  /* its blocks that are not views (bnext) */
    uint32_t live_idx;          /* index in cpu_icache.live */
    struct cpu_codepage *next_spare;    /* in cpu_icache.spare */
};

struct cpu_icache {
    struct cpu_block *hash[1u << ICACHE_HASH_BITS];
    struct cpu_codepage **pages;    /* per RAM frame, NULL when no code */
    uint32_t nframes;               /* RAM frames */
    uint32_t *live;                 /* frames with a codepage */
    uint32_t nlive;
    /* codepages of dropped frames, kept for the next frame that gets code:
     * the guest reuses frames all the time, and a malloc and free for each
     * made the ASan/UBSan build's allocator grow through an hour's soak */
    struct cpu_codepage *spare;
    uint8_t *arena;                 /* block storage, bump-allocated */
    size_t used;
    /* statistics */
    uint64_t builds, views, flushes, invalidations;
};

struct cpu_icache *icache_new(uint32_t nframes);
void icache_free(struct cpu_icache *ic);
/* The cached block starting at PHYS for code size CODE32, decoding it if
 * needed. A PHYS at an instruction boundary inside a block already decoded
 * gets a view of that block's tail: code entered at many points of one
 * straight run (a handler that returns past each faulting instruction) is
 * decoded once, not once per entry. Returns NULL when the code cannot be
 * cached (not RAM, or the first instruction crosses the page or is longer
 * than 15 bytes). */
struct cpu_block *icache_lookup(struct machine *m, uint32_t phys, bool code32);
/* Drop everything (arena full, tests). */
void icache_flush(struct machine *m);
/* bus.code_write callback: a write is about to land in FRAME. */
void icache_frame_write(struct machine *m, uint32_t frame);

#endif
