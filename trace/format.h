/* Byte layout of the .vmt trace format, shared by the writer and the reader.
 *
 * docs/trace-format.md is the contract; this header is its transcription.
 * Internal to trace/: programs use trace/reader.h and trace/writer.h. */
#ifndef VMSCOPE_TRACE_FORMAT_H
#define VMSCOPE_TRACE_FORMAT_H

#include <stdint.h>
#include <string.h>

#define TRF_MAGIC           "\x89VMT\r\n\x1a\n"
#define TRF_MAGIC_LEN       8
#define TRF_MAJOR           3
#define TRF_MINOR           0
#define TRF_HDR_MAX         65536u          /* file header length bound */

/* Header field tags. */
enum trf_tag {
    TRF_T_VERSION = 1, TRF_T_RAM = 2, TRF_T_TLB = 3, TRF_T_CYCLES = 4, TRF_T_MHZ = 5,
    TRF_T_SHA256 = 6, TRF_T_CMDLINE = 7, TRF_T_KINDS = 8, TRF_T_FILTER = 9,
    TRF_T_CHUNK_BYTES = 10, TRF_T_CHUNK_CYCLES = 11, TRF_T_SYNC_CYCLES = 12,
    TRF_T_DETAIL = 13, TRF_T_LEVEL = 14, TRF_T_KERNEL = 15,
};

#define TRF_CHUNK_MAGIC     "VMTC"
#define TRF_CHUNK_HDR       80u             /* chunk header size in 1.0 */
#define TRF_RAW_MAX         (64u << 20)     /* raw payload bound */

#define TRF_FOOT_MAGIC      "VMTI"
#define TRF_FOOT_COUNTS     16
#define TRF_FOOT_FIXED      (4 + 4 + 8 + 8 + 8 + TRF_FOOT_COUNTS * 8)
#define TRF_FOOT_ENTRY      32u
#define TRF_TRAILER_MAGIC   "VMTEND\r\n"
#define TRF_TRAILER         16u

/* Streams inside a chunk's raw payload. */
enum trf_stream { TRS_OP, TRS_XNEW, TRS_XEXTRA, TRS_XOFF, TRS_XTIME, TRS_TIME, TRS_REC, TRS_COUNT };
/* 1.1: optional stream 7, symbol tables; a 1.x/2.x chunk without them has
 * TRS_COUNT. 3.0: every chunk has TRS_ALL, the walks' page deltas in two
 * streams of their own (low byte; the rest as a varint): near-random in a
 * trace that walks at random, so they get Huffman codes of their own, and
 * the two halves of a delta do not share one. */
#define TRS_SYM         7
#define TRS_WPG         8
#define TRS_WPGH        9
#define TRS_ALL         10
static inline unsigned trf_min_streams(unsigned major)
{
    return major >= 3 ? TRS_ALL : TRS_COUNT;
}
#define TRF_SYM_VERSION 1u          /* symbol table version byte */
#define TRF_SYM_NAME    255u        /* name length bound */
#define TRF_SYM_NOSIZE  0x10000u    /* reach of a size-0 symbol */

/* Opcodes. */
#define TRO_NEW         0x0Fu       /* new move-to-front entry */
#define TRO_EXTRA       0x10u       /* outcome/cycles in xextra */
#define TRO_REC         0x40u       /* + kind (1..63) */
#define TRO_REPEAT      0x80u       /* base-128 digit of a repeat count */
#define TRF_MTF         15          /* move-to-front table size */
#define TRX_CACHE       251         /* xnew: slots of the recent-key cache */
#define TRW_CACHED      0x08u       /* walk flags: the walk is the one in the slot that follows */
#define TRX_WALK        0xFEu       /* xnew tag: page and frame are the preceding walk's */
#define TRX_FULL        0xFFu       /* xnew tag: full key follows */
/* 2.0: a new entry right after a walk with a PTE whose page and frame are the
 * walk's is one byte, a position in the walk-attribute table (below
 * TRF_AMTF), or TRX_WALK + u16 attrs; any other starts with TRX_ESC and then
 * a tag as in 1.1. */
#define TRF_AMTF        8           /* walk-attribute move-to-front table size */
#define TRX_ESC         0xFDu
/* 3.0: a new entry whose page and frame are those of a key in the
 * move-to-front table (a write after a read of the same page): TRX_PAGE,
 * then one byte, the key's position (low nibble, before the new key goes
 * to the front) and the attributes' position in the walk-attribute table
 * (high nibble; TRF_AMTF: u16 attrs follow, new to the table). Where a tag
 * of 1.1 may stand: after a walk with a PTE, only after TRX_ESC. */
#define TRX_PAGE        0xFBu
/* 3.0: walk predictors. The PDE a walk reads is predicted by the last one
 * read at the same address (TRF_PDC slots by address), the PTE of a page
 * without a walk in the walk cache by the previous PTE's page-to-frame
 * offset and flags. */
#define TRF_PDC         64
struct trf_walkpred {
    uint32_t pdc_addr[TRF_PDC], pdc_val[TRF_PDC];   /* the last PDE read at each address slot */
    int32_t wmap;               /* the previous PTE's frame - page, and its flags */
    uint32_t wflags;
};
static inline void trf_walkpred_reset(struct trf_walkpred *p)
{
    memset(p->pdc_addr, 0xFF, sizeof p->pdc_addr);  /* never a PDE's (aligned) address */
    p->wmap = 0;
    p->wflags = 0;
}
/* The PDE predicted at PDE_ADDR (OTHER when the cache does not hold it). */
static inline uint32_t trf_walkpred_pde(const struct trf_walkpred *p, uint32_t pde_addr, uint32_t other)
{
    unsigned i = (pde_addr >> 2) % TRF_PDC;
    return p->pdc_addr[i] == pde_addr ? p->pdc_val[i] : other;
}
static inline uint32_t trf_walkpred_pte(const struct trf_walkpred *p, uint32_t lin)
{
    return (((lin >> 12) + (uint32_t)p->wmap) << 12) | p->wflags;
}
/* After every walk, cached or not: the writer and the reader keep it alike. */
static inline void trf_walkpred_note(struct trf_walkpred *p, uint32_t lin, uint32_t pde_addr, uint32_t pde,
                                     uint32_t pte)
{
    unsigned i = (pde_addr >> 2) % TRF_PDC;
    p->pdc_addr[i] = pde_addr;
    p->pdc_val[i] = pde;
    if (pte) {
        p->wmap = (int32_t)((pte >> 12) - (lin >> 12));
        p->wflags = pte & 0xFFFu;
    }
}
/* 2.0: records of the kinds 2.0 defines carry no length in `rec` but an
 * annotation (its length varies) and kinds a reader may not know. */
static inline int trf_rec_sized(unsigned major, unsigned kind)
{
    return major < 2 || kind == 6 || kind > 7;
}
/* 2.0: the walk-attribute table after attributes ATTRS were coded at
 * position J (J == *n: new to the table, which drops its last entry when
 * full): they move to the front. The writer and the reader keep it alike. */
static inline void trf_amtf_front(uint16_t *t, int *n, int j, uint16_t attrs)
{
    if (j == *n)
        j = *n < TRF_AMTF ? (*n)++ : TRF_AMTF - 1;
    for (; j > 0; j--)
        t[j] = t[j - 1];
    t[0] = attrs;
}
/* 2.0: the prediction a translation right after a walk uses, 1 or 2 (the
 * walk's post_walk): 2 when the walk's final entry is present (its PTE's
 * P, or without a PTE a 4 MiB PDE's P and PS). */
static inline int trf_post_walk(int has_pte, uint32_t pde, uint32_t pte)
{
    return 1 + (has_pte ? (int)(pte & 1u) : (pde & 0x81u) == 0x81u);
}
static inline unsigned trx_slot(uint64_t key)
{
    return (unsigned)(((key * 0x9E3779B97F4A7C15ull) >> 32) % TRX_CACHE);
}

/* Translation key: linear page, physical frame, attributes (see the doc). */
#define TRK_ATTR_SHIFT  40
static inline uint64_t trk_make(uint32_t lpage, uint32_t ppage, uint32_t attrs)
{
    return (uint64_t)lpage | (uint64_t)ppage << 20 | (uint64_t)attrs << TRK_ATTR_SHIFT;
}
#define TRK_NONE        (~(uint64_t)0)  /* never a valid key */

static inline void trf_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void trf_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void trf_put64(uint8_t *p, uint64_t v) { trf_put32(p, (uint32_t)v); trf_put32(p + 4, (uint32_t)(v >> 32)); }
static inline uint16_t trf_get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t trf_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t trf_get64(const uint8_t *p) { return trf_get32(p) | (uint64_t)trf_get32(p + 4) << 32; }

static inline uint64_t trf_zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static inline int64_t trf_unzigzag(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }
/* prev + the delta zz << shift, modulo 2^32: a hostile delta wraps as the writer's would, never overflows. */
static inline uint32_t trf_undelta32(uint32_t prev, uint64_t zz, unsigned shift)
{
    return (uint32_t)(prev + ((uint64_t)trf_unzigzag(zz) << shift));
}

/* A decoded chunk header. */
struct trf_chunk_hdr {
    uint32_t hdr_size;          /* bytes of header (80 in 1.0) */
    uint64_t seq;               /* chunk sequence number */
    uint64_t first_event;       /* event number of its first record */
    uint64_t nevents;           /* events in the chunk */
    uint64_t first_cycle;       /* cycle of its first record */
    uint64_t last_cycle;        /* cycle of its last record */
    uint64_t insns;             /* instruction count of the latest sync before it */
    uint32_t cr3;               /* CR3 in force at its start */
    uint32_t pid;               /* pid in force at its start */
    uint32_t raw_len;           /* uncompressed payload bytes */
    uint32_t comp_len;          /* compressed payload bytes */
    uint32_t crc;               /* CRC-32 of the raw payload */
};

void trf_chunk_hdr_encode(uint8_t out[TRF_CHUNK_HDR], const struct trf_chunk_hdr *h);
/* Returns 0 when P (AVAIL bytes) holds a valid chunk header, else a short reason. */
const char *trf_chunk_hdr_decode(const uint8_t *p, size_t avail, struct trf_chunk_hdr *h);

#endif
