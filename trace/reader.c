/* The trace reader (trace/reader.h; format in docs/trace-format.md).
 *
 * Files are read with pread (or from memory), a chunk at a time. Nothing in
 * a file is trusted: every length is checked against what is there before it
 * is used, every payload against its CRC, and every stream position against
 * its stream's end. A problem becomes one diagnostic line and the chunk is
 * skipped; the only fatal problems are those of the file header. */
#include "trace/reader.h"
#include "trace/format.h"
#include "trace/annot.h"
#include "trace/annot_desc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* ---------------------------------------------------------------- names */

const char *tr_outcome_name(unsigned o)
{
    static const char *const n[] = { "hit", "miss", "hit-fault", "miss-fault", "hit-dirty" };
    return o < 5 ? n[o] : "?";
}

const char *tr_tlb_name(unsigned t)
{
    return tr_tlb_names[t & 7];
}

const char *tr_access_name(unsigned kind)
{
    static const char *const n[] = { "fetch", "read", "write", "kind3" };
    return n[kind & 3];
}

const char *tr_flush_name(unsigned k)
{
    static const char *const n[] = { "cr3", "all", "page" };
    return k < 3 ? n[k] : "?";
}

const char *tr_annot_name(unsigned k)
{
    const struct annot_desc *d = annot_desc(k);
    return d ? d->name : NULL;
}

/* ---------------------------------------------------------------- header */

static void copy_str(char *dst, size_t cap, const uint8_t *p, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, p, n);
    dst[n] = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)dst[i] < 0x20 && dst[i] != '\t')
            dst[i] = '?';   /* never print control bytes from a file */
}

/* Check and parse a header of AVAIL bytes at P (AVAIL >= 16). Returns NULL or
 * the reason; *NEED is the header size when more bytes are needed. */
static const char *header_parse(const uint8_t *p, size_t avail, uint64_t file_size,
                                struct tr_header *h, size_t *need, uint64_t *bad_off)
{
    *need = 0;
    *bad_off = 0;
    if (memcmp(p, TRF_MAGIC, TRF_MAGIC_LEN)) {
        if (!memcmp(p, &TRF_MAGIC[1], 3))
            return "damaged magic (text-mode transfer?): not a usable vmscope trace";
        return "not a vmscope trace (wrong magic)";
    }
    memset(h, 0, sizeof *h);
    h->major = trf_get16(p + 8);
    h->minor = trf_get16(p + 10);
    *bad_off = 8;
    if (h->major > TRF_MAJOR) {
        static char msg[128];
        snprintf(msg, sizeof msg, "format version %u.%u is newer than this reader (%u.%u): "
                 "use a newer vmtrace", h->major, h->minor, TRF_MAJOR, TRF_MINOR);
        return msg;
    }
    if (h->major < 1)
        return "format version 0 is not a released version";
    uint32_t hs = trf_get32(p + 12);
    *bad_off = 12;
    if (hs < 20 || hs > TRF_HDR_MAX)
        return "header length out of range (damaged header)";
    if (hs > file_size)
        return "header length past the end of the file (truncated or damaged)";
    if (avail < hs) {
        *need = hs;
        return NULL;
    }
    *bad_off = hs - 4;
#ifndef VMSCOPE_FUZZ_NO_CRC
    if (trf_get32(p + hs - 4) != (uint32_t)crc32(0, p, hs - 4))
        return "header CRC mismatch (damaged header)";
#endif
    h->size = hs;
    h->kinds = (1u << TRK_NKINDS) - 1;
    size_t o = 16;
    while (o + 4 <= hs - 4) {
        unsigned tag = trf_get16(p + o), len = trf_get16(p + o + 2);
        const uint8_t *v = p + o + 4;
        *bad_off = o;
        if (o + 4 + len > hs - 4)
            return "header field runs past the header (damaged header)";
        switch (tag) {
        case TRF_T_VERSION: copy_str(h->vmscope_version, sizeof h->vmscope_version, v, len); break;
        case TRF_T_RAM: if (len == 8) h->ram_bytes = trf_get64(v); break;
        case TRF_T_TLB: copy_str(h->tlb_spec, sizeof h->tlb_spec, v, len); break;
        case TRF_T_CYCLES: copy_str(h->cycle_model, sizeof h->cycle_model, v, len); break;
        case TRF_T_MHZ: if (len == 4) h->cpu_mhz = trf_get32(v); break;
        case TRF_T_SHA256:
            if (len == 32) {
                memcpy(h->kernel_sha256, v, 32);
                h->have_sha256 = true;
            }
            break;
        case TRF_T_CMDLINE: copy_str(h->cmdline, sizeof h->cmdline, v, len); break;
        case TRF_T_KINDS: if (len == 4) h->kinds = trf_get32(v); break;
        case TRF_T_FILTER: copy_str(h->filter, sizeof h->filter, v, len); break;
        case TRF_T_CHUNK_BYTES: if (len == 4) h->chunk_bytes = trf_get32(v); break;
        case TRF_T_CHUNK_CYCLES: if (len == 8) h->chunk_cycles = trf_get64(v); break;
        case TRF_T_SYNC_CYCLES: if (len == 8) h->sync_cycles = trf_get64(v); break;
        case TRF_T_DETAIL: if (len == 4) h->detail = trf_get32(v); break;
        case TRF_T_LEVEL: if (len == 4) h->level = trf_get32(v); break;
        case TRF_T_KERNEL: copy_str(h->kernel, sizeof h->kernel, v, len); break;
        default: break;     /* a later minor version's field */
        }
        o += 4 + len;
    }
    /* detail bits change how records are coded: one this reader does not
     * know would be decoded wrongly, and costs no bytes per repeat */
    if (h->detail & ~(TR_DETAIL_OFFSETS | TR_DETAIL_XTIME)) {
        *bad_off = 16;
        return "unknown detail bits in the header (a later format, or damaged)";
    }
    return NULL;
}

/* ---------------------------------------------------------------- decoder */

/* Decoding state for one chunk's raw payload. */
struct tr_decoder {
    const uint8_t *p[TRS_ALL], *e[TRS_ALL];         /* stream positions and ends (sym optional) */
    uint64_t mtf[TRF_MTF];          /* move-to-front table */
    uint64_t cache[TRX_CACHE];      /* recent keys by hash slot */
    struct tr_walk wcache[TRX_CACHE];   /* last walk per page slot (lin 1: empty) */
    int mtf_n;
    int last_sym;                   /* previous translation opcode, -1 none */
    uint64_t rep_left;              /* repeats of last_sym still to deliver */
    uint32_t hit_pred;              /* predicted outcome<<16 | cycles */
    uint64_t event;                 /* number of the next event */
    uint64_t end_event;             /* first event of the next chunk (from the header) */
    uint64_t time;                  /* cycle of the latest timed record */
    uint64_t xcycle;                /* cycle of the latest translation (xtime) */
    uint32_t prev_lpage;
    int32_t prev_map;
    uint32_t prev_walk_lin, prev_pde, prev_pte, pred_cr3;
    struct trf_walkpred wpred;      /* 3.0: the walk predictors */
    uint32_t prev_cr2, prev_eip, prev_flush;
    uint64_t prev_lba;
    int walk_valid;                 /* the previous record is a walk with a PTE */
    uint32_t walk_lpage, walk_frame;
    int post_walk;                  /* 2.0: the previous record is a walk, 1 + its final entry is present */
    uint32_t walk_pred[2];          /* 2.0: predicted outcome<<16 | cycles after such a walk */
    uint16_t amtf[TRF_AMTF];        /* 2.0: walk-attribute move-to-front table */
    int amtf_n;
    unsigned major;                 /* the file's major version (2: the compact coding) */
    uint32_t cr3, pid;              /* in force */
    uint32_t detail;                /* TR_DETAIL_* of the file */
    uint32_t chunk;                 /* chunk index, for events */
    const char *err;                /* first decoding error */
    uint64_t unknown;               /* records of unknown kinds skipped */
};

static const char *dec_init(struct tr_decoder *d, const uint8_t *raw, size_t len,
                            const struct trf_chunk_hdr *h, uint32_t detail, unsigned major, uint32_t chunk)
{
    memset(d, 0, sizeof *d);
    if (len < 1)
        return "empty payload";
    unsigned ns = raw[0];
    if (ns < trf_min_streams(major))
        return "too few streams in payload";
    size_t o = 1;
    uint64_t lens[256];
    uint64_t total = 0;
    for (unsigned i = 0; i < ns; i++) {
        uint64_t v = 0;
        int sh = 0;
        for (;;) {
            if (o >= len)
                return "stream table runs past the payload";
            uint8_t b = raw[o++];
            if (sh < 64)
                v |= (uint64_t)(b & 0x7F) << sh;
            sh += 7;
            if (!(b & 0x80))
                break;
            if (sh > 63)
                return "bad varint in stream table";
        }
        lens[i] = v;
        total += v;
        if (total > len)
            return "stream lengths exceed the payload";
    }
    if (o + total != len)
        return "stream lengths do not add up to the payload length";
    for (unsigned i = 0; i < ns; i++) {
        if (i < TRS_ALL) {
            d->p[i] = raw + o;
            d->e[i] = raw + o + lens[i];
        }
        o += lens[i];
    }
    d->last_sym = -1;
    memset(d->cache, 0xFF, sizeof d->cache);
    trf_walkpred_reset(&d->wpred);
    for (int i = 0; i < TRX_CACHE; i++)
        d->wcache[i].lin = 1;
    d->event = h->first_event;
    d->end_event = h->first_event + h->nevents;
    d->time = d->xcycle = h->first_cycle;
    d->cr3 = d->pred_cr3 = h->cr3;
    d->pid = h->pid;
    d->detail = detail;
    d->major = major;
    d->walk_pred[0] = (uint32_t)TR_MISS_FAULT << 16;
    d->walk_pred[1] = (uint32_t)TR_MISS << 16;
    d->chunk = chunk;
    return NULL;
}

static inline int rd_u8(struct tr_decoder *d, int s, uint8_t *v)
{
    if (unlikely(d->p[s] >= d->e[s])) {
        d->err = "a stream ends early";
        return -1;
    }
    *v = *d->p[s]++;
    return 0;
}

static inline int rd_var(struct tr_decoder *d, int s, uint64_t *v)
{
    const uint8_t *p = d->p[s], *e = d->e[s];
    uint64_t r = 0;
    int sh = 0;
    for (;;) {
        if (unlikely(p >= e)) {
            d->err = "a stream ends early";
            return -1;
        }
        uint8_t b = *p++;
        r |= (uint64_t)(b & 0x7F) << sh;
        if (!(b & 0x80))
            break;
        sh += 7;
        if (unlikely(sh > 63)) {
            d->err = "bad varint";
            return -1;
        }
    }
    d->p[s] = p;
    *v = r;
    return 0;
}

static inline int rd_v32(struct tr_decoder *d, int s, uint32_t *v)
{
    uint64_t x;
    if (rd_var(d, s, &x))
        return -1;
    *v = (uint32_t)x;
    return 0;
}

/* Move entry I (holding KEY) of the move-to-front table M to the front. The
 * short moves, by far the most common, without a memmove call. */
static inline void mtf_front(uint64_t *m, int i, uint64_t key)
{
    if (i == 1) {
        m[1] = m[0];
    } else if (i == 2) {
        m[2] = m[1];
        m[1] = m[0];
    } else {
        for (int j = i; j > 0; j--)
            m[j] = m[j - 1];
    }
    m[0] = key;
}

/* Fill EV's translation fields from KEY and the streams; one translation. */
static inline __attribute__((always_inline)) int dec_xlate_fields(struct tr_decoder *d, uint64_t key, int extra, int post_walk,
                                                                      struct tr_event *ev)
{
    uint32_t attrs = (uint32_t)(key >> TRK_ATTR_SHIFT);
    struct tr_xlate *x = &ev->u.xlate;
    uint32_t off = 0;
    ev->kind = TRK_XLATE;
    ev->cycle = d->time;
    ev->cycle_exact = 0;
    if (d->detail) {
        if (d->detail & TR_DETAIL_OFFSETS) {
            if (unlikely(d->p[TRS_XOFF] + 2 > d->e[TRS_XOFF])) {
                d->err = "offset stream ends early";
                return -1;
            }
            off = trf_get16(d->p[TRS_XOFF]) & 0xFFF;
            d->p[TRS_XOFF] += 2;
        }
        if (d->detail & TR_DETAIL_XTIME) {
            uint64_t dt;
            if (rd_var(d, TRS_XTIME, &dt))
                return -1;
            d->xcycle += (uint64_t)trf_unzigzag(dt);
            ev->cycle = d->xcycle;
            ev->cycle_exact = 1;
        }
    }
    x->lin = (uint32_t)(key & 0xFFFFF) << 12 | off;
    x->phys = (uint32_t)(key >> 20 & 0xFFFFF) << 12 | off;
    x->kind = attrs & 7;
    x->cpl = attrs >> 3 & 3;
    x->large = attrs >> 5 & 1;
    x->global = attrs >> 6 & 1;
    x->tlb = attrs >> 7 & 7;
    if (extra) {
        uint8_t o;
        uint64_t cyc;
        if (rd_u8(d, TRS_XEXTRA, &o) || rd_var(d, TRS_XEXTRA, &cyc))
            return -1;
        x->outcome = o;
        x->cycles = (uint16_t)cyc;
        if (post_walk)
            d->walk_pred[post_walk - 1] = (uint32_t)(o & 7) << 16 | (uint16_t)cyc;
        else if (o == TR_HIT)
            d->hit_pred = (uint32_t)cyc & 0xFFFF;
    } else if (post_walk) {
        x->outcome = (uint8_t)(d->walk_pred[post_walk - 1] >> 16);
        x->cycles = (uint16_t)d->walk_pred[post_walk - 1];
    } else {
        x->outcome = (uint8_t)(d->hit_pred >> 16);
        x->cycles = (uint16_t)d->hit_pred;
    }
    return 0;
}

/* 2.0: the new entry with page and frame PF (a key without attributes)
 * and the attributes at position J of the walk-attribute table, or (J < 0)
 * new attributes from xnew; they move to the table's front. */
static int dec_amtf_entry(struct tr_decoder *d, int j, uint64_t pf, uint64_t *key)
{
    uint32_t attrs;
    if (j < 0) {
        if (unlikely(d->p[TRS_XNEW] + 2 > d->e[TRS_XNEW])) {
            d->err = "new-entry stream ends early";
            return -1;
        }
        attrs = trf_get16(d->p[TRS_XNEW]) & 0x3FF;
        d->p[TRS_XNEW] += 2;
        j = d->amtf_n;
    } else {
        attrs = d->amtf[j];
    }
    trf_amtf_front(d->amtf, &d->amtf_n, j, (uint16_t)attrs);
    *key = pf | (uint64_t)attrs << TRK_ATTR_SHIFT;
    d->cache[trx_slot(*key)] = *key;
    return 0;
}

/* 2.0: a new entry coded from the walk before it, tag TAG: a position in
 * the walk-attribute table, or TRX_WALK and the attributes. */
static __attribute__((noinline)) int dec_walk_entry(struct tr_decoder *d, uint8_t tag, uint64_t *key)
{
    if (tag >= d->amtf_n && tag != TRX_WALK) {
        d->err = "bad new-entry tag";
        return -1;
    }
    return dec_amtf_entry(d, tag == TRX_WALK ? -1 : tag, trk_make(d->walk_lpage, d->walk_frame & 0xFFFFF, 0), key);
}

/* 3.0: a new entry with the page and frame of a key in the move-to-front
 * table (TRX_PAGE): its position and the attributes' in the walk-attribute
 * table, or new attributes. */
static __attribute__((noinline)) int dec_page_entry(struct tr_decoder *d, uint64_t *key)
{
    uint8_t b;
    if (rd_u8(d, TRS_XNEW, &b))
        return -1;
    int i = b & 15, j = b >> 4;
    if (unlikely(i >= d->mtf_n || (j >= d->amtf_n && j != TRF_AMTF))) {
        d->err = "bad new-entry tag";
        return -1;
    }
    return dec_amtf_entry(d, j == TRF_AMTF ? -1 : j, d->mtf[i] & (((uint64_t)1 << TRK_ATTR_SHIFT) - 1), key);
}

/* Decode the next record into EV. Returns 1, 0 at the end of the chunk, -1 on
 * a decoding error (d->err). EXPAND: never merge runs. */
static int dec_rec(struct tr_decoder *d, struct tr_event *ev, uint8_t op);

/* The hot part (translations and repeats) is inlined into its callers; the
 * other records are decoded by dec_rec. */
static inline __attribute__((always_inline)) int dec_next(struct tr_decoder *d, struct tr_event *ev, int expand)
{
again:
    ev->cr3 = d->cr3;
    ev->pid = d->pid;
    ev->chunk = d->chunk;
    ev->event = d->event;
    ev->count = 1;
    if (d->rep_left) {
        /* A repeat of the previous table hit: key at position last_sym. */
        int i = d->last_sym;
        uint64_t key = d->mtf[i];
        if (i)
            mtf_front(d->mtf, i, key);
        if (dec_xlate_fields(d, key, 0, 0, ev))
            return -1;
        if (i == 0 && !expand && !d->detail) {
            ev->count = d->rep_left;
            d->rep_left = 0;
        } else {
            d->rep_left--;
        }
        d->event += ev->count;
        return 1;
    }
    uint8_t op;
    if (d->p[TRS_OP] >= d->e[TRS_OP])
        return 0;
    op = *d->p[TRS_OP]++;
    if (op < 0x20) {
        int idx = op & 0x0F, extra = op & TRO_EXTRA;
        uint64_t key;
        if (idx == TRO_NEW) {
            uint8_t tag;
            if (rd_u8(d, TRS_XNEW, &tag))
                return -1;
            if (d->major >= 2 && d->walk_valid) {
                /* 2.0: the walk's page and frame, or an escape to the usual tags */
                if (tag != TRX_ESC) {
                    if (dec_walk_entry(d, tag, &key))
                        return -1;
                    goto new_entry;
                }
                if (rd_u8(d, TRS_XNEW, &tag))
                    return -1;
                if (tag == TRX_WALK) {
                    d->err = "bad new-entry tag";
                    return -1;
                }
            }
            if (tag == TRX_PAGE && d->major >= 3) {
                if (dec_page_entry(d, &key))
                    return -1;
                goto new_entry;
            }
            if (tag < TRX_CACHE) {
                key = d->cache[tag];
                if (key == TRK_NONE) {
                    d->err = "translation refers to an empty cache slot";
                    return -1;
                }
            } else {
                if (tag != TRX_WALK && tag != TRX_FULL) {
                    d->err = "bad new-entry tag";
                    return -1;
                }
                if (unlikely(d->p[TRS_XNEW] + 2 > d->e[TRS_XNEW])) {
                    d->err = "new-entry stream ends early";
                    return -1;
                }
                uint32_t attrs = trf_get16(d->p[TRS_XNEW]) & 0x3FF;
                d->p[TRS_XNEW] += 2;
                uint32_t lpage;
                int32_t map;
                if (tag == TRX_WALK) {
                    if (!d->walk_valid) {
                        d->err = "translation refers to a walk that is not there";
                        return -1;
                    }
                    lpage = d->walk_lpage;
                    map = (int32_t)(d->walk_frame - lpage);
                } else {
                    uint64_t dl, dm;
                    if (rd_var(d, TRS_XNEW, &dl) || rd_var(d, TRS_XNEW, &dm))
                        return -1;
                    lpage = trf_undelta32(d->prev_lpage, dl, 0) & 0xFFFFF;
                    map = (int32_t)trf_undelta32((uint32_t)d->prev_map, dm, 0);
                    d->prev_lpage = lpage;
                    d->prev_map = map;
                }
                key = trk_make(lpage, (uint32_t)(lpage + (uint32_t)map) & 0xFFFFF, attrs);
                d->cache[trx_slot(key)] = key;
            }
        new_entry:;
            int n = d->mtf_n < TRF_MTF ? ++d->mtf_n : d->mtf_n;
            for (int j = n - 1; j > 0; j--)
                d->mtf[j] = d->mtf[j - 1];
            d->mtf[0] = key;
        } else {
            if (unlikely(idx >= d->mtf_n)) {
                d->err = "translation refers past the move-to-front table";
                return -1;
            }
            key = d->mtf[idx];
            mtf_front(d->mtf, idx, key);
        }
        d->last_sym = extra || idx == TRO_NEW ? -1 : idx;
        d->walk_valid = 0;
        int post_walk = d->post_walk;
        d->post_walk = 0;
        if (dec_xlate_fields(d, key, extra, post_walk, ev))
            return -1;
        d->event++;
        return 1;
    }
    if (op >= TRO_REPEAT) {
        uint64_t n = op & 0x7F;
        int sh = 7;
        while (d->p[TRS_OP] < d->e[TRS_OP] && *d->p[TRS_OP] >= TRO_REPEAT) {
            if (sh > 56) {
                d->err = "repeat count too long";
                return -1;
            }
            n |= (uint64_t)(*d->p[TRS_OP]++ & 0x7F) << sh;
            sh += 7;
        }
        if (d->last_sym < 0) {
            d->err = "repeat without a translation to repeat";
            return -1;
        }
        if (n >= d->end_event - d->event) {
            d->err = "repeat count runs past the chunk's event count";
            return -1;
        }
        d->rep_left = n + 1;
        goto again;
    }
    return dec_rec(d, ev, op);
}

static __attribute__((noinline)) int dec_rec(struct tr_decoder *d, struct tr_event *ev, uint8_t op)
{
    if (op < TRO_REC || op == TRO_REC) {
        d->err = "bad opcode";
        return -1;
    }
    unsigned kind = op - TRO_REC;
    uint64_t dt = 0, len;
    if (kind == TRK_WALK) {
        ev->cycle = d->time;
        ev->cycle_exact = 0;
        if (d->detail & TR_DETAIL_XTIME) {
            if (rd_var(d, TRS_XTIME, &dt))
                return -1;
            d->xcycle += (uint64_t)trf_unzigzag(dt);
            ev->cycle = d->xcycle;
            ev->cycle_exact = 1;
        }
    } else {
        if (rd_var(d, TRS_TIME, &dt))
            return -1;
        d->time += (uint64_t)trf_unzigzag(dt);
        ev->cycle = d->time;
        ev->cycle_exact = 1;
        d->walk_valid = 0;
        d->post_walk = 0;
    }
    int sized = trf_rec_sized(d->major, kind);     /* 2.0: the kinds it defines carry no length */
    if (!sized)
        len = (uint64_t)(d->e[TRS_REC] - d->p[TRS_REC]);
    else if (rd_var(d, TRS_REC, &len))
        return -1;
    if (len > (uint64_t)(d->e[TRS_REC] - d->p[TRS_REC])) {
        d->err = "record runs past its stream";
        return -1;
    }
    d->last_sym = -1;
    ev->kind = (uint8_t)kind;
    d->event++;
    /* Parse the payload inside its own bounds. */
    const uint8_t *pe = d->p[TRS_REC] + len, *rec_end = d->e[TRS_REC], *rec_start = d->p[TRS_REC];
    d->e[TRS_REC] = pe;
    struct tr_decoder *s = d;
    int rc = 0;
    switch (kind) {
    case TRK_WALK: {
        struct tr_walk *w = &ev->u.walk;
        int offsets = d->detail & TR_DETAIL_OFFSETS;
        uint64_t dl;
        uint8_t fl;
        rc |= rd_u8(s, TRS_REC, &fl);
        if (rc)
            break;
        w->ad_set = fl >> 4;
        if (fl & TRW_CACHED) {
            uint8_t slot;
            rc |= rd_u8(s, TRS_REC, &slot);
            if (rc || offsets || slot >= TRX_CACHE || d->wcache[slot].lin == 1) {
                d->err = "walk refers to an empty cache slot";
                rc = -1;
                break;
            }
            *w = d->wcache[slot];
            w->ad_set = fl >> 4;
        } else {
            if (d->major >= 3) {
                /* 3.0: the page delta's low byte and the rest, apart */
                uint8_t lo = 0;
                rc |= rd_u8(s, TRS_WPG, &lo) | rd_var(s, TRS_WPGH, &dl);
                dl = dl << 8 | lo;
            } else {
                rc |= rd_var(s, TRS_REC, &dl);
            }
            if (rc)
                break;
            if (offsets)
                w->lin = trf_undelta32(d->prev_walk_lin, dl, 0);
            else
                w->lin = trf_undelta32(d->prev_walk_lin, dl, 12);
            const struct tr_walk *wc = offsets ? NULL : &d->wcache[trx_slot(w->lin >> 12)];
            int same = wc && wc->lin == w->lin;
            if (fl & 1)
                w->pde_addr = (d->pred_cr3 & 0xFFFFF000u) | (w->lin >> 22) << 2;
            else
                rc |= rd_v32(s, TRS_REC, &w->pde_addr);
            uint64_t x = 0;
            rc |= rd_var(s, TRS_REC, &x);
            uint32_t base_pde = d->prev_pde, base_pte = d->prev_pte;
            if (d->major >= 3) {
                /* 3.0: the PDE last read at that address, the PTE at the
                 * previous one's page-to-frame offset */
                base_pde = trf_walkpred_pde(&d->wpred, w->pde_addr, base_pde);
                base_pte = trf_walkpred_pte(&d->wpred, w->lin);
            }
            w->pde = trf_undelta32(same ? wc->pde : base_pde, x, 0);
            if (fl & 2)
                w->pte_addr = (w->pde & 0xFFFFF000u) | ((w->lin >> 12) & 0x3FFu) << 2;
            else
                rc |= rd_v32(s, TRS_REC, &w->pte_addr);
            w->pte = 0;
            if (!(fl & 4)) {
                rc |= rd_var(s, TRS_REC, &x);
                w->pte = trf_undelta32(same ? wc->pte : base_pte, x, 0);
            }
            if (!offsets && !rc) {
                struct tr_walk *c = &d->wcache[trx_slot(w->lin >> 12)];
                *c = *w;
            }
        }
        d->prev_pte = w->pte;
        d->prev_walk_lin = w->lin;
        d->prev_pde = w->pde;
        if (d->major >= 3)
            trf_walkpred_note(&d->wpred, w->lin, w->pde_addr, w->pde, w->pte);
        d->walk_valid = !(w->pte_addr == 0 && w->pte == 0);
        d->walk_lpage = w->lin >> 12;
        d->walk_frame = w->pte >> 12;
        if (d->major >= 2)
            d->post_walk = trf_post_walk(d->walk_valid, w->pde, w->pte);
        break;
    }
    case TRK_FAULT: {
        uint8_t cpl = 0;
        uint64_t dc = 0, de = 0;
        rc |= rd_var(s, TRS_REC, &dc) | rd_v32(s, TRS_REC, &ev->u.fault.err) | rd_var(s, TRS_REC, &de) |
              rd_u8(s, TRS_REC, &cpl);
        ev->u.fault.cr2 = d->prev_cr2 = trf_undelta32(d->prev_cr2, dc, 0);
        ev->u.fault.eip = d->prev_eip = trf_undelta32(d->prev_eip, de, 0);
        ev->u.fault.cpl = cpl;
        break;
    }
    case TRK_FLUSH: {
        uint64_t da = 0;
        rc |= rd_u8(s, TRS_REC, &ev->u.flush.kind) | rd_var(s, TRS_REC, &da) |
              rd_v32(s, TRS_REC, &ev->u.flush.dropped);
        ev->u.flush.addr = d->prev_flush = trf_undelta32(d->prev_flush, da, 0);
        break;
    }
    case TRK_CR3:
        rc |= rd_v32(s, TRS_REC, &ev->u.cr3.old_cr3) | rd_v32(s, TRS_REC, &ev->u.cr3.new_cr3);
        if (!rc) {
            d->cr3 = d->pred_cr3 = ev->u.cr3.new_cr3;
            ev->cr3 = ev->u.cr3.old_cr3;    /* the switch belongs to the space it leaves */
        }
        break;
    case TRK_DISK: {
        uint64_t dl = 0;
        rc |= rd_var(s, TRS_REC, &dl) | rd_v32(s, TRS_REC, &ev->u.disk.count) | rd_u8(s, TRS_REC, &ev->u.disk.dir);
        ev->u.disk.lba = d->prev_lba + (uint64_t)trf_unzigzag(dl);
        d->prev_lba = ev->u.disk.lba + ev->u.disk.count;
        break;
    }
    case TRK_ANNOT:
        if (len < 8 || len > ANNOT_MAX_SIZE) {
            s->err = "annotation of a bad size";
            rc = -1;
            break;
        }
        memset(ev->u.annot.rec, 0, sizeof ev->u.annot.rec);
        memcpy(ev->u.annot.rec, rec_start, len);
        ev->u.annot.kind = trf_get16(ev->u.annot.rec);
        ev->u.annot.size = (uint16_t)len;
        ev->u.annot.pid = trf_get32(ev->u.annot.rec + 4);
        if (ev->u.annot.kind == ANNOT_CTX_SWITCH && len >= 12)
            d->pid = trf_get32(ev->u.annot.rec + 8);
        break;
    case TRK_SYNC:
        rc |= rd_var(s, TRS_REC, &ev->u.sync.insns);
        break;
    default:
        ev->kind = 0xFF;
        ev->u.unknown.kind = (uint8_t)kind;
        ev->u.unknown.len = (uint32_t)len;
        d->unknown++;
        break;
    }
    d->e[TRS_REC] = rec_end;
    if (rc) {
        if (!d->err)
            d->err = "record payload too short";
        return -1;
    }
    if (sized)
        d->p[TRS_REC] = pe;
    return 1;
}

/* ---------------------------------------------------------------- reader */

struct tr_reader {
    char *name;                     /* for messages */
    int fd;                         /* -1 for memory */
    const uint8_t *mem;             /* memory image, or NULL */
    uint64_t size;                  /* bytes available now */
    struct tr_header hdr;
    struct tr_chunk *chunks;
    size_t n, cap;
    bool recovered, complete;
    bool have_totals;
    struct tr_totals totals;        /* from the footer */
    uint64_t data_end;              /* where chunks end (footer offset, or size) */
    uint64_t scan_pos;              /* where the next scan starts (following) */
    uint64_t problems;
    uint64_t lost;                  /* bytes skipped while scanning */
    tr_diag_fn diag;
    void *dctx;
    struct tr_image *images;        /* symbol tables read so far */
    size_t nimages, images_cap;
    size_t *sym_chunks;             /* chunks whose sym stream was read */
    size_t nsym_chunks, sym_chunks_cap;
    bool syms_loaded;               /* the symbol chunk(s) at the start were read */
};

static void diag(struct tr_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void diag(struct tr_reader *r, const char *fmt, ...)
{
    char msg[512];
    int n = snprintf(msg, sizeof msg, "%s: ", r->name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    r->problems++;
    if (r->diag)
        r->diag(r->dctx, msg);
}

/* Read LEN bytes at OFF. Returns the number read. */
static size_t rd_at(struct tr_reader *r, uint64_t off, void *buf, size_t len)
{
    if (off >= r->size)
        return 0;
    if (len > r->size - off)
        len = (size_t)(r->size - off);
    if (r->mem) {
        memcpy(buf, r->mem + off, len);
        return len;
    }
    size_t got = 0;
    while (got < len) {
        ssize_t k = pread(r->fd, (uint8_t *)buf + got, len - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    return got;
}

static void add_chunk(struct tr_reader *r, uint64_t off, const struct trf_chunk_hdr *h)
{
    if (r->n == r->cap) {
        size_t c = r->cap ? r->cap * 2 : 64;
        struct tr_chunk *p = realloc(r->chunks, c * sizeof *p);
        if (!p)
            return;     /* out of memory: the index just stops growing */
        r->chunks = p;
        r->cap = c;
    }
    struct tr_chunk *c = &r->chunks[r->n++];
    memset(c, 0, sizeof *c);
    c->offset = off;
    c->seq = h->seq;
    c->first_event = h->first_event;
    c->nevents = h->nevents;
    c->first_cycle = h->first_cycle;
    c->last_cycle = h->last_cycle;
    c->insns = h->insns;
    c->cr3 = h->cr3;
    c->pid = h->pid;
    c->hdr_size = h->hdr_size;
    c->raw_len = h->raw_len;
    c->comp_len = h->comp_len;
    c->crc = h->crc;
}

/* Scan chunk headers from r->scan_pos up to r->size. FINAL: the file will not
 * grow (report a cut-short tail); otherwise stop quietly at an incomplete
 * chunk and retry on the next refresh. */
static size_t scan(struct tr_reader *r, bool final)
{
    size_t added = 0;
    uint64_t pos = r->scan_pos;
    uint8_t hb[TRF_CHUNK_HDR];
    uint64_t next_seq = r->n ? r->chunks[r->n - 1].seq + 1 : 0;
    while (pos < r->size) {
        size_t got = rd_at(r, pos, hb, sizeof hb);
        struct trf_chunk_hdr h;
        const char *why = trf_chunk_hdr_decode(hb, got, &h);
        if (!why && pos + h.hdr_size + h.comp_len > r->size) {
            if (!final)
                break;
            diag(r, "chunk %" PRIu64 " at offset %" PRIu64 ": cut short (%" PRIu64 " of %" PRIu64
                 " bytes present; the writer was stopped?)", h.seq, pos, r->size - pos,
                 (uint64_t)h.hdr_size + h.comp_len);
            r->lost += r->size - pos;
            pos = r->size;
            break;
        }
        if (!why) {
            if (h.seq != next_seq && r->n)
                diag(r, "chunk at offset %" PRIu64 ": sequence number %" PRIu64 ", expected %" PRIu64
                     " (chunks missing)", pos, h.seq, next_seq);
            add_chunk(r, pos, &h);
            added++;
            next_seq = h.seq + 1;
            pos += h.hdr_size + h.comp_len;
            continue;
        }
        if (got >= 4 && !memcmp(hb, TRF_FOOT_MAGIC, 4))
            break;      /* a footer that failed its checks: the chunks end here */
        if (got < TRF_CHUNK_HDR && !final)
            break;
        if (got < TRF_CHUNK_HDR && (got < 4 || !memcmp(hb, TRF_CHUNK_MAGIC, 4))) {
            diag(r, "offset %" PRIu64 ": file ends inside a chunk header (%zu bytes)", pos, got);
            r->lost += got;
            pos = r->size;
            break;
        }
        /* Damage: find the next header whose CRC matches. */
        uint64_t start = pos, p = pos + 1;
        bool found = false;
        uint8_t buf[65536 + TRF_CHUNK_HDR];
        while (p < r->size && !found) {
            size_t k = rd_at(r, p, buf, sizeof buf);
            if (k < 4)
                break;
            for (size_t i = 0; i + 4 <= k; i++) {
                if (buf[i] != 'V' || memcmp(buf + i, TRF_CHUNK_MAGIC, 4))
                    continue;
                uint8_t hh[TRF_CHUNK_HDR];
                size_t hg = rd_at(r, p + i, hh, sizeof hh);
                struct trf_chunk_hdr t;
                if (!trf_chunk_hdr_decode(hh, hg, &t)) {
                    p += i;
                    found = true;
                    break;
                }
            }
            if (!found)
                p += k - 3 > 0 ? k - 3 : 1;
        }
        if (!found)
            p = r->size;
        diag(r, "offset %" PRIu64 ": %s; %" PRIu64 " bytes skipped%s", start, why, p - start,
             found ? " to the next good chunk" : " (no good chunk after it)");
        r->lost += p - start;
        pos = p;
    }
    r->scan_pos = pos;
    r->data_end = pos;
    return added;
}

/* Try the footer. True when it is present, consistent and used. */
static bool load_footer(struct tr_reader *r)
{
    uint64_t size = r->size;
    if (size < r->hdr.size + TRF_FOOT_FIXED + 4 + TRF_TRAILER)
        return false;
    uint8_t tr[TRF_TRAILER];
    if (rd_at(r, size - TRF_TRAILER, tr, TRF_TRAILER) != TRF_TRAILER ||
        memcmp(tr + 8, TRF_TRAILER_MAGIC, 8))
        return false;
    uint64_t foot = trf_get64(tr);
    if (foot < r->hdr.size || foot > size - TRF_TRAILER - TRF_FOOT_FIXED - 4) {
        diag(r, "offset %" PRIu64 ": trailer points outside the file; scanning", size - TRF_TRAILER);
        return false;
    }
    uint64_t flen = size - TRF_TRAILER - foot;
    uint8_t fx[TRF_FOOT_FIXED];
    if (rd_at(r, foot, fx, sizeof fx) != sizeof fx || memcmp(fx, TRF_FOOT_MAGIC, 4)) {
        diag(r, "offset %" PRIu64 ": footer magic missing; scanning", foot);
        return false;
    }
    uint32_t n = trf_get32(fx + 4);
    if ((uint64_t)TRF_FOOT_FIXED + (uint64_t)n * TRF_FOOT_ENTRY + 4 != flen) {
        diag(r, "offset %" PRIu64 ": footer length does not match its chunk count %u; scanning", foot, n);
        return false;
    }
    uint8_t *f = malloc(flen);
    if (!f)
        return false;
    bool ok = false;
    if (rd_at(r, foot, f, flen) != flen)
        goto out;
    if (trf_get32(f + flen - 4) != (uint32_t)crc32(0, f, (uInt)(flen - 4))) {
        diag(r, "offset %" PRIu64 ": footer CRC mismatch; scanning", foot);
        goto out;
    }
    struct tr_totals *t = &r->totals;
    memset(t, 0, sizeof *t);
    t->events = trf_get64(f + 8);
    t->last_cycle = trf_get64(f + 16);
    t->last_insns = trf_get64(f + 24);
    for (int k = 0; k < TRK_NKINDS; k++)
        t->kind[k] = trf_get64(f + 32 + 8 * k);
    for (int o = 0; o < 8; o++)
        t->outcome[o] = trf_get64(f + 32 + 8 * (8 + o));
    uint64_t prev_end = r->hdr.size;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = f + TRF_FOOT_FIXED + (size_t)i * TRF_FOOT_ENTRY;
        uint64_t off = trf_get64(e);
        uint8_t hb[TRF_CHUNK_HDR];
        struct trf_chunk_hdr h;
        const char *why = off < prev_end ? "index entries out of order" :
                          trf_chunk_hdr_decode(hb, rd_at(r, off, hb, sizeof hb), &h);
        if (!why && (h.first_event != trf_get64(e + 8) || off + h.hdr_size + h.comp_len > foot))
            why = "index disagrees with the chunk header";
        if (why) {
            diag(r, "chunk %u at offset %" PRIu64 ": %s; scanning instead of using the footer", i, off, why);
            r->n = 0;
            goto out;
        }
        add_chunk(r, off, &h);
        prev_end = off + h.hdr_size + h.comp_len;
    }
    if (prev_end != foot)
        r->lost += foot - prev_end;
    r->data_end = r->scan_pos = foot;
    r->have_totals = true;
    ok = true;
out:
    free(f);
    return ok;
}

static struct tr_reader *open_common(struct tr_reader *r, unsigned flags, char *err, size_t errlen)
{
    if (r->size == 0) {
        snprintf(err, errlen, "%s: empty file (no trace header)", r->name);
        return NULL;
    }
    uint8_t head[16];
    if (r->size < 16) {
        size_t k = rd_at(r, 0, head, sizeof head);
        if (k >= 4 && memcmp(head, TRF_MAGIC, k < 8 ? k : 8))
            snprintf(err, errlen, "%s: offset 0: not a vmscope trace (wrong magic)", r->name);
        else
            snprintf(err, errlen, "%s: offset 0: file ends inside the trace header (%" PRIu64 " bytes)",
                     r->name, r->size);
        return NULL;
    }
    rd_at(r, 0, head, 16);
    size_t need;
    uint64_t bad;
    const char *why = header_parse(head, 16, r->size, &r->hdr, &need, &bad);
    if (!why && need) {
        uint8_t *h = malloc(need);
        if (!h) {
            snprintf(err, errlen, "%s: out of memory", r->name);
            return NULL;
        }
        rd_at(r, 0, h, need);
        why = header_parse(h, need, r->size, &r->hdr, &need, &bad);
        free(h);
    }
    if (why) {
        snprintf(err, errlen, "%s: offset %" PRIu64 ": %s", r->name, bad, why);
        return NULL;
    }
    r->scan_pos = r->data_end = r->hdr.size;
    if (!(flags & TR_OPEN_SCAN) && load_footer(r)) {
        r->complete = true;
    } else {
        r->n = 0;
        r->recovered = true;
        r->scan_pos = r->hdr.size;
        scan(r, r->mem != NULL);
    }
    return r;
}

struct tr_reader *tr_reader_open(const char *path, unsigned flags, tr_diag_fn dfn, void *ctx,
                                 char *err, size_t errlen)
{
    struct tr_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->name = strdup(path))) {
        snprintf(err, errlen, "%s: out of memory", path);
        free(r);
        return NULL;
    }
    r->diag = dfn;
    r->dctx = ctx;
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (r->fd < 0 || fstat(r->fd, &st) < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        tr_reader_close(r);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file (use a stream reader for pipes)", path);
        tr_reader_close(r);
        return NULL;
    }
    r->size = (uint64_t)st.st_size;
    if (!open_common(r, flags, err, errlen)) {
        tr_reader_close(r);
        return NULL;
    }
    /* A file without a footer may be one that is still being written: a cut
     * short last chunk is reported once the caller stops refreshing, not now. */
    if (r->recovered && r->scan_pos < r->size && !(flags & TR_OPEN_FOLLOW))
        scan(r, true);
    return r;
}

struct tr_reader *tr_reader_open_mem(const void *buf, size_t len, const char *name, unsigned flags,
                                     tr_diag_fn dfn, void *ctx, char *err, size_t errlen)
{
    struct tr_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->name = strdup(name ? name : "(memory)"))) {
        snprintf(err, errlen, "out of memory");
        free(r);
        return NULL;
    }
    r->fd = -1;
    r->mem = buf;
    r->size = len;
    r->diag = dfn;
    r->dctx = ctx;
    if (!open_common(r, flags, err, errlen)) {
        tr_reader_close(r);
        return NULL;
    }
    return r;
}

void tr_reader_close(struct tr_reader *r)
{
    if (!r)
        return;
    if (r->fd >= 0)
        close(r->fd);
    for (size_t i = 0; i < r->nimages; i++)
        free((void *)r->images[i].sym);
    free(r->images);
    free(r->sym_chunks);
    free(r->chunks);
    free(r->name);
    free(r);
}

const char *tr_reader_name(const struct tr_reader *r) { return r->name; }
const struct tr_header *tr_reader_header(const struct tr_reader *r) { return &r->hdr; }
uint64_t tr_reader_size(const struct tr_reader *r) { return r->size; }
size_t tr_reader_nchunks(const struct tr_reader *r) { return r->n; }
const struct tr_chunk *tr_reader_chunk(const struct tr_reader *r, size_t i) { return i < r->n ? &r->chunks[i] : NULL; }
bool tr_reader_recovered(const struct tr_reader *r) { return r->recovered; }
bool tr_reader_complete(const struct tr_reader *r) { return r->complete; }
uint64_t tr_reader_problems(const struct tr_reader *r) { return r->problems; }
uint64_t tr_reader_lost_bytes(const struct tr_reader *r) { return r->lost; }

bool tr_reader_totals(const struct tr_reader *r, struct tr_totals *t)
{
    if (!r->have_totals)
        return false;
    *t = r->totals;
    return true;
}

size_t tr_reader_refresh(struct tr_reader *r)
{
    if (r->complete || r->mem)
        return 0;
    struct stat st;
    if (fstat(r->fd, &st) < 0)
        return 0;
    r->size = (uint64_t)st.st_size;
    size_t before = r->n;
    scan(r, false);
    uint8_t m[4];
    if (rd_at(r, r->scan_pos, m, 4) == 4 && !memcmp(m, TRF_FOOT_MAGIC, 4)) {
        /* The writer has finished (or is writing its footer). */
        r->n = 0;
        if (load_footer(r)) {
            r->complete = true;
            r->recovered = false;
        } else {
            r->n = 0;
            r->scan_pos = r->hdr.size;
            scan(r, false);
        }
    }
    return r->n > before ? r->n - before : 0;
}

size_t tr_reader_find_event(const struct tr_reader *r, uint64_t event)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->chunks[mid].first_event + r->chunks[mid].nevents <= event)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t tr_reader_find_cycle(const struct tr_reader *r, uint64_t cycle)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->chunks[mid].last_cycle < cycle)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---------------------------------------------------------------- chunks */

/* Inflate and check a chunk. Returns NULL or the reason. */
static const char *chunk_inflate(const uint8_t *comp, size_t clen, uint8_t *raw, size_t rlen, uint32_t crc)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return "inflateInit failed";
    zs.next_in = (uint8_t *)comp;
    zs.avail_in = (uInt)clen;
    zs.next_out = raw;
    zs.avail_out = (uInt)rlen;
    int rc = inflate(&zs, Z_FINISH);
    const char *why = NULL;
    static __thread char msg[128];
#ifdef VMSCOPE_FUZZ_NO_CRC
    /* fuzzing build: let mutated payloads reach the decoder */
    if (rc == Z_DATA_ERROR && zs.total_out == rlen)
        rc = Z_STREAM_END, zs.avail_in = 0;
#endif
    if (rc == Z_STREAM_END) {
        if (zs.total_out != rlen)
            why = "inflated size differs from the header's raw length";
        else if (zs.avail_in)
            why = "bytes after the end of the deflate stream";
    } else if (rc == Z_BUF_ERROR && zs.avail_out == 0) {
        why = "inflates to more than the header's raw length";
    } else if (rc == Z_BUF_ERROR) {
        why = "deflate stream cut short";
    } else {
        snprintf(msg, sizeof msg, "bad deflate data (%s)", zs.msg ? zs.msg : "zlib error");
        why = msg;
    }
    inflateEnd(&zs);
#ifndef VMSCOPE_FUZZ_NO_CRC
    if (!why && (uint32_t)crc32(0, raw, (uInt)rlen) != crc)
        why = "CRC mismatch";
#else
    (void)crc;
#endif
    return why;
}

struct tr_cursor {
    struct tr_reader *r;
    unsigned flags;
    size_t ci;                      /* chunk to load next, or the loaded one */
    bool loaded;
    struct tr_decoder d;
    uint8_t *raw, *comp;
    size_t raw_cap, comp_cap;
    uint64_t skip_event;            /* drop events before this */
    uint64_t skip_cycle;            /* drop events before this cycle */
};

struct tr_cursor *tr_cursor_new(struct tr_reader *r, unsigned flags)
{
    struct tr_cursor *c = calloc(1, sizeof *c);
    if (c) {
        c->r = r;
        c->flags = flags;
    }
    return c;
}

void tr_cursor_free(struct tr_cursor *c)
{
    if (!c)
        return;
    free(c->raw);
    free(c->comp);
    free(c);
}

static bool ensure(uint8_t **p, size_t *cap, size_t n)
{
    if (n <= *cap)
        return true;
    size_t c = *cap ? *cap : 65536;
    while (c < n)
        c *= 2;
    uint8_t *q = realloc(*p, c);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

static void sym_take(struct tr_reader *r, size_t chunk, const uint8_t *p, const uint8_t *e);

/* Load chunk c->ci into the decoder. False (after a diagnostic) when bad. */
static bool cursor_load(struct tr_cursor *c)
{
    struct tr_reader *r = c->r;
    struct tr_chunk *ch = &r->chunks[c->ci];
    const char *why = NULL;
    if (!ensure(&c->comp, &c->comp_cap, ch->comp_len) || !ensure(&c->raw, &c->raw_cap, ch->raw_len + 1))
        why = "out of memory";
    else if (rd_at(r, ch->offset + ch->hdr_size, c->comp, ch->comp_len) != ch->comp_len)
        why = "payload cut short";
    else
        why = chunk_inflate(c->comp, ch->comp_len, c->raw, ch->raw_len, ch->crc);
    if (!why) {
        struct trf_chunk_hdr h = { .first_event = ch->first_event, .nevents = ch->nevents,
                                   .first_cycle = ch->first_cycle, .cr3 = ch->cr3, .pid = ch->pid };
        why = dec_init(&c->d, c->raw, ch->raw_len, &h, r->hdr.detail, r->hdr.major, (uint32_t)c->ci);
        if (!why && c->d.p[TRS_SYM] != c->d.e[TRS_SYM])
            sym_take(r, c->ci, c->d.p[TRS_SYM], c->d.e[TRS_SYM]);
    }
    if (why) {
        if (!ch->bad)
            diag(r, "chunk %" PRIu64 " at offset %" PRIu64 ": %s; skipped (%" PRIu64 " events lost)",
                 ch->seq, ch->offset, why, ch->nevents);
        ch->bad = 1;
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- symbols */

static bool sym_var(const uint8_t **p, const uint8_t *e, uint64_t *v)
{
    uint64_t r = 0;
    for (int sh = 0; sh < 64; sh += 7) {
        if (*p >= e)
            return false;
        uint8_t b = *(*p)++;
        r |= (uint64_t)(b & 0x7F) << sh;
        if (!(b & 0x80)) {
            *v = r;
            return true;
        }
    }
    return false;
}

static int tr_sym_cmp(const void *a, const void *b)
{
    const struct tr_symbol *x = a, *y = b;
    return (x->addr > y->addr) - (x->addr < y->addr);
}

/* Parse one version-1 table of P..E into a new image. Returns the reason
 * when it is malformed. */
static const char *sym_table(struct tr_reader *r, size_t chunk, const uint8_t *p, const uint8_t *e)
{
    uint64_t id, bias, pid, nl, count;
    if (!sym_var(&p, e, &id) || !sym_var(&p, e, &bias) || !sym_var(&p, e, &pid) || !sym_var(&p, e, &nl) ||
        nl > TRF_SYM_NAME || nl > (uint64_t)(e - p))
        return "symbol table header cut short";
    const uint8_t *iname = p;
    p += nl;
    if (!sym_var(&p, e, &count) || count > (uint64_t)(e - p) / 3)
        return "symbol count larger than its table";
    /* one block: symbols, then every name with its NUL */
    size_t need = (size_t)count * sizeof(struct tr_symbol) + (size_t)(e - p) + (size_t)count + nl + 1;
    uint8_t *blk = malloc(need ? need : 1);
    if (!blk)
        return "out of memory";
    struct tr_symbol *sym = (struct tr_symbol *)blk;
    char *str = (char *)(sym + count);
    char *in = str;
    copy_str(in, nl + 1, iname, nl);
    str += nl + 1;
    uint32_t addr = 0;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t da, size, n;
        if (!sym_var(&p, e, &da) || !sym_var(&p, e, &size) || !sym_var(&p, e, &n) ||
            n > TRF_SYM_NAME || n > (uint64_t)(e - p)) {
            free(blk);
            return "symbol cut short";
        }
        addr += (uint32_t)da;
        copy_str(str, n + 1, p, n);
        p += n;
        sym[i] = (struct tr_symbol){ addr + (uint32_t)bias, (uint32_t)size, str };
        str += n + 1;
    }
    if (r->nimages == r->images_cap) {
        size_t c = r->images_cap ? r->images_cap * 2 : 8;
        struct tr_image *q = realloc(r->images, c * sizeof *q);
        if (!q) {
            free(blk);
            return "out of memory";
        }
        r->images = q;
        r->images_cap = c;
    }
    if (bias)   /* a bias may wrap an address around: keep the order */
        qsort(sym, (size_t)count, sizeof *sym, tr_sym_cmp);
    r->images[r->nimages++] = (struct tr_image){ (uint32_t)id, (uint32_t)bias, (uint32_t)pid, in, sym,
                                                 (size_t)count, chunk };
    return NULL;
}

/* Read the tables of chunk CHUNK's sym stream P..E, once per chunk. */
static void sym_take(struct tr_reader *r, size_t chunk, const uint8_t *p, const uint8_t *e)
{
    for (size_t i = 0; i < r->nsym_chunks; i++)
        if (r->sym_chunks[i] == chunk)
            return;
    if (r->nsym_chunks == r->sym_chunks_cap) {
        size_t c = r->sym_chunks_cap ? r->sym_chunks_cap * 2 : 8;
        size_t *q = realloc(r->sym_chunks, c * sizeof *q);
        if (!q)
            return;
        r->sym_chunks = q;
        r->sym_chunks_cap = c;
    }
    r->sym_chunks[r->nsym_chunks++] = chunk;
    struct tr_chunk *ch = &r->chunks[chunk];
    while (p < e) {
        uint8_t ver = *p++;
        uint64_t len;
        if (!sym_var(&p, e, &len) || len > (uint64_t)(e - p)) {
            diag(r, "chunk %" PRIu64 " at offset %" PRIu64 ": symbol stream cut short; rest ignored",
                 ch->seq, ch->offset);
            return;
        }
        if (ver == TRF_SYM_VERSION) {
            const char *why = sym_table(r, chunk, p, p + len);
            if (why)
                diag(r, "chunk %" PRIu64 " at offset %" PRIu64 ": %s; table ignored", ch->seq, ch->offset, why);
        }
        p += len;   /* a later version's table: skipped */
    }
}

static void syms_load(struct tr_reader *r)
{
    if (r->syms_loaded)
        return;
    r->syms_loaded = true;
    struct tr_cursor *c = tr_cursor_new(r, 0);
    if (!c)
        return;
    /* the symbol chunk leads the file; tables in event chunks come as they are read */
    for (size_t i = 0; i < r->n && r->chunks[i].nevents == 0; i++) {
        c->ci = i;
        cursor_load(c);
    }
    tr_cursor_free(c);
}

size_t tr_reader_nimages(struct tr_reader *r)
{
    syms_load(r);
    return r->nimages;
}

const struct tr_image *tr_reader_image(struct tr_reader *r, size_t i)
{
    syms_load(r);
    return i < r->nimages ? &r->images[i] : NULL;
}

static const struct tr_symbol *image_lookup(const struct tr_image *im, uint32_t addr, uint32_t *off)
{
    size_t lo = 0, hi = im->nsym;   /* last symbol with addr <= ADDR */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (im->sym[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const struct tr_symbol *s = &im->sym[lo - 1];
    while (s > im->sym && s[-1].addr == s->addr)
        s--;    /* the first listed at that address */
    uint32_t d = addr - s->addr;
    uint32_t reach = s->size;
    if (!reach) {
        reach = TRF_SYM_NOSIZE;
        const struct tr_symbol *nx = s + 1;
        while (nx < im->sym + im->nsym && nx->addr == s->addr)
            nx++;
        if (nx < im->sym + im->nsym && nx->addr - s->addr < reach)
            reach = nx->addr - s->addr;
    }
    if (d >= reach)
        return NULL;
    *off = d;
    return s;
}

const struct tr_symbol *tr_reader_symbol(struct tr_reader *r, uint32_t pid, uint32_t addr, uint32_t *off)
{
    syms_load(r);
    uint32_t o = 0;
    const struct tr_symbol *best = NULL;
    for (int pass = 0; pass < 2 && !best; pass++)
        for (size_t i = r->nimages; i-- > 0 && !best;) {    /* the latest table first */
            const struct tr_image *im = &r->images[i];
            if (pass == 0 ? im->pid != pid || pid == TR_PID_ANY : im->pid != TR_PID_ANY)
                continue;
            best = image_lookup(im, addr, &o);
        }
    if (best && off)
        *off = o;
    return best;
}

const char *tr_reader_symbolize(struct tr_reader *r, uint32_t pid, uint32_t addr, char *buf, size_t len)
{
    uint32_t off;
    const struct tr_symbol *s = tr_reader_symbol(r, pid, addr, &off);
    if (!s)
        snprintf(buf, len, "%s", "");
    else if (off)
        snprintf(buf, len, "%s+0x%x", s->name, off);
    else
        snprintf(buf, len, "%s", s->name);
    return buf;
}

/* The loaded chunk ended (RC 0) or failed (RC < 0): check and move on. */
static void cursor_chunk_done(struct tr_cursor *c, int rc)
{
    struct tr_chunk *ch = &c->r->chunks[c->ci];
    if (rc < 0) {
        diag(c->r, "chunk %" PRIu64 " at offset %" PRIu64 ": %s at event %" PRIu64
             "; rest of the chunk skipped", ch->seq, ch->offset, c->d.err, c->d.event);
        ch->bad = 1;
    } else if (c->d.event != c->d.end_event && !ch->bad) {
        diag(c->r, "chunk %" PRIu64 " at offset %" PRIu64 ": holds %" PRIu64
             " events, its header says %" PRIu64, ch->seq, ch->offset,
             c->d.event - ch->first_event, ch->nevents);
        ch->bad = 1;
    }
    c->loaded = false;
    c->ci++;
}

static int cursor_raw_next(struct tr_cursor *c, struct tr_event *ev)
{
    for (;;) {
        if (!c->loaded) {
            if (c->ci >= c->r->n)
                return 0;
            if (!cursor_load(c)) {
                c->ci++;
                continue;
            }
            c->loaded = true;
        }
        int rc = dec_next(&c->d, ev, c->flags & TR_CURSOR_EXPAND);
        if (rc > 0)
            return 1;
        cursor_chunk_done(c, rc);
    }
}

/* Pass N (at most rep_left) of the pending repeats at once, in a chunk
 * without detail streams (there each repeat is the same record but its
 * event number: the key at table position last_sym, at the run's time).
 * Each moves position i to the front, so n of them rotate the first i+1
 * keys by n mod (i+1). A few bytes can stand for 2^60 repeats, which one at
 * a time would never end: counting and seeking pass them so. */
static void dec_skip_repeats(struct tr_decoder *d, uint64_t n)
{
    int i = d->last_sym;
    if (i > 0) {
        uint64_t old[TRF_MTF];
        unsigned w = (unsigned)i + 1, r = (unsigned)(n % w);
        memcpy(old, d->mtf, w * sizeof old[0]);
        for (unsigned j = 0; j < w; j++)
            d->mtf[(j + r) % w] = old[j];
    }
    d->event += n;
    d->rep_left -= n;
}

int tr_cursor_next(struct tr_cursor *c, struct tr_event *ev)
{
    /* the common case: inside a good chunk, nothing to skip */
    if (likely(c->loaded && !(c->skip_event | c->skip_cycle))) {
        int rc = dec_next(&c->d, ev, c->flags & TR_CURSOR_EXPAND);
        if (likely(rc > 0))
            return 1;
        cursor_chunk_done(c, rc);
    }
    for (;;) {
        if (!cursor_raw_next(c, ev))
            return 0;
        if (unlikely(c->skip_event)) {
            if (ev->event + ev->count <= c->skip_event) {
                if (c->d.rep_left && !c->d.detail && c->d.event <= c->skip_event) {   /* the run's repeats before the target */
                    uint64_t before = c->skip_event - c->d.event;
                    dec_skip_repeats(&c->d, before < c->d.rep_left ? before : c->d.rep_left);
                }
                continue;
            }
            if (ev->event < c->skip_event) {
                ev->count -= c->skip_event - ev->event;
                ev->event = c->skip_event;
            }
            c->skip_event = 0;
        }
        if (unlikely(c->skip_cycle)) {
            if (ev->cycle < c->skip_cycle) {
                if (c->d.rep_left && !c->d.detail && c->d.time < c->skip_cycle)
                    dec_skip_repeats(&c->d, c->d.rep_left);    /* the run is all at d.time */
                continue;
            }
            c->skip_cycle = 0;
        }
        return 1;
    }
}

size_t tr_cursor_batch(struct tr_cursor *c, struct tr_event *ev, size_t max)
{
    size_t n = 0;
    if (!max)
        return 0;
    if (!(c->loaded && !(c->skip_event | c->skip_cycle))) {
        if (!tr_cursor_next(c, &ev[0]))
            return 0;
        n = 1;
        if (!(c->loaded && !(c->skip_event | c->skip_cycle)))
            return n;
    }
    int expand = c->flags & TR_CURSOR_EXPAND;
    while (n < max) {
        int rc = dec_next(&c->d, &ev[n], expand);
        if (unlikely(rc <= 0)) {
            cursor_chunk_done(c, rc);
            break;
        }
        n++;
    }
    if (!n)
        return tr_cursor_next(c, &ev[0]);
    return n;
}

void tr_cursor_seek_chunk(struct tr_cursor *c, size_t i)
{
    c->ci = i;
    c->loaded = false;
    c->skip_event = c->skip_cycle = 0;
}

void tr_cursor_seek_event(struct tr_cursor *c, uint64_t event)
{
    tr_cursor_seek_chunk(c, tr_reader_find_event(c->r, event));
    c->skip_event = event;
}

void tr_cursor_seek_cycle(struct tr_cursor *c, uint64_t cycle)
{
    tr_cursor_seek_chunk(c, tr_reader_find_cycle(c->r, cycle));
    c->skip_cycle = cycle;
}

size_t tr_cursor_chunk(const struct tr_cursor *c)
{
    return c->ci;
}

int tr_reader_foreach(struct tr_reader *r, unsigned flags,
                      int (*fn)(void *ctx, const struct tr_event *ev), void *ctx)
{
    struct tr_cursor *c = tr_cursor_new(r, flags);
    if (!c)
        return -1;
    struct tr_event ev;
    int rc = 0;
    while (tr_cursor_next(c, &ev))
        if ((rc = fn(ctx, &ev)))
            break;
    tr_cursor_free(c);
    return rc;
}

/* Counting only: the rest of a repeat run at once (dec_skip_repeats); all
 * are hits with the predicted outcome. */
static void dec_fold_repeats(struct tr_decoder *d, struct tr_totals *t)
{
    uint64_t n = d->rep_left;
    t->events += n;
    t->kind[TRK_XLATE] += n;
    t->outcome[(d->hit_pred >> 16) & 7] += n;
    dec_skip_repeats(d, n);
}

size_t tr_reader_count(struct tr_reader *r, struct tr_totals *t,
                       void (*progress)(void *ctx, size_t done, size_t total), void *pctx)
{
    memset(t, 0, sizeof *t);
    struct tr_cursor *c = tr_cursor_new(r, 0);
    if (!c)
        return 0;
    size_t good = 0;
    for (size_t i = 0; i < r->n; i++) {
        tr_cursor_seek_chunk(c, i);
        struct tr_event ev;
        bool ok = cursor_load(c);
        if (ok) {
            c->loaded = true;
            int rc;
            while ((rc = dec_next(&c->d, &ev, 0)) > 0) {
                t->events += ev.count;
                if (ev.kind == TRK_XLATE) {
                    t->kind[TRK_XLATE] += ev.count;
                    t->outcome[ev.u.xlate.outcome & 7] += ev.count;
                } else if (ev.kind < TRK_NKINDS) {
                    t->kind[ev.kind]++;
                    if (ev.kind == TRK_SYNC)
                        t->last_insns = ev.u.sync.insns;
                } else {
                    t->unknown++;
                }
                t->last_cycle = ev.cycle;
                if (c->d.rep_left && !c->d.detail)
                    dec_fold_repeats(&c->d, t);
            }
            struct tr_chunk *ch = &r->chunks[i];
            if (rc < 0) {
                diag(r, "chunk %" PRIu64 " at offset %" PRIu64 ": %s at event %" PRIu64
                     "; rest of the chunk skipped", ch->seq, ch->offset, c->d.err, c->d.event);
                ch->bad = 1;
            } else if (c->d.event != c->d.end_event) {
                diag(r, "chunk %" PRIu64 " at offset %" PRIu64 ": holds %" PRIu64
                     " events, its header says %" PRIu64, ch->seq, ch->offset,
                     c->d.event - ch->first_event, ch->nevents);
                ch->bad = 1;
            } else {
                good++;
            }
            if (ch->last_cycle > t->last_cycle)
                t->last_cycle = ch->last_cycle;
        }
        if (progress)
            progress(pctx, i + 1, r->n);
    }
    tr_cursor_free(c);
    return good;
}

/* ---------------------------------------------------------------- streams */

struct tr_stream {
    char *name;
    tr_diag_fn diag;
    void *dctx;
    unsigned flags;
    uint8_t *buf;                   /* bytes fed and not consumed */
    size_t len, cap, off;           /* off: consumed prefix */
    uint64_t pos;                   /* stream offset of buf[off] */
    bool have_hdr, done, dead;
    struct tr_header hdr;
    char err[256];
    struct tr_decoder d;
    bool in_chunk;
    uint8_t *raw;
    size_t raw_cap;
    uint32_t nchunk;
};

struct tr_stream *tr_stream_new(const char *name, tr_diag_fn dfn, void *ctx, unsigned flags)
{
    struct tr_stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->name = strdup(name ? name : "(stream)");
    s->diag = dfn;
    s->dctx = ctx;
    s->flags = flags;
    return s;
}

void tr_stream_free(struct tr_stream *s)
{
    if (!s)
        return;
    free(s->buf);
    free(s->raw);
    free(s->name);
    free(s);
}

static void sdiag(struct tr_stream *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sdiag(struct tr_stream *s, const char *fmt, ...)
{
    char msg[512];
    int n = snprintf(msg, sizeof msg, "%s: ", s->name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    if (s->diag)
        s->diag(s->dctx, msg);
}

bool tr_stream_feed(struct tr_stream *s, const void *buf, size_t len)
{
    if (s->dead)
        return false;
    if (s->off && s->off == s->len) {
        s->off = s->len = 0;
    } else if (s->off > (1u << 20) && s->off > s->len / 2) {
        memmove(s->buf, s->buf + s->off, s->len - s->off);
        s->len -= s->off;
        s->off = 0;
    }
    if (!ensure(&s->buf, &s->cap, s->len + len)) {
        snprintf(s->err, sizeof s->err, "%s: out of memory", s->name);
        s->dead = true;
        return false;
    }
    memcpy(s->buf + s->len, buf, len);
    s->len += len;
    if (!s->have_hdr && s->len >= 16) {
        size_t need;
        uint64_t bad;
        const char *why = header_parse(s->buf, s->len, UINT64_MAX, &s->hdr, &need, &bad);
        if (why) {
            snprintf(s->err, sizeof s->err, "%s: offset %" PRIu64 ": %s", s->name, bad, why);
            s->dead = true;
            return false;
        }
        if (!need) {
            s->have_hdr = true;
            s->off = s->hdr.size;
            s->pos = s->hdr.size;
        }
    }
    return true;
}

const struct tr_header *tr_stream_header(const struct tr_stream *s) { return s->have_hdr ? &s->hdr : NULL; }
bool tr_stream_done(const struct tr_stream *s) { return s->done; }
const char *tr_stream_error(const struct tr_stream *s) { return s->err[0] ? s->err : NULL; }

int tr_stream_next(struct tr_stream *s, struct tr_event *ev)
{
    while (s->have_hdr && !s->done && !s->dead) {
        if (s->in_chunk) {
            int rc = dec_next(&s->d, ev, s->flags & TR_CURSOR_EXPAND);
            if (rc > 0)
                return 1;
            if (rc < 0)
                sdiag(s, "chunk %u: %s; rest of the chunk skipped", s->nchunk, s->d.err);
            s->in_chunk = false;
            s->nchunk++;
            continue;
        }
        size_t avail = s->len - s->off;
        const uint8_t *p = s->buf + s->off;
        if (avail >= 4 && !memcmp(p, TRF_FOOT_MAGIC, 4)) {
            s->done = true;
            break;
        }
        if (avail < TRF_CHUNK_HDR)
            return 0;
        struct trf_chunk_hdr h;
        const char *why = trf_chunk_hdr_decode(p, avail, &h);
        if (why) {
            /* Resynchronise on the next header that checks out. */
            size_t i;
            for (i = 1; i + TRF_CHUNK_HDR <= avail; i++) {
                struct trf_chunk_hdr t;
                if (p[i] == 'V' && !trf_chunk_hdr_decode(p + i, avail - i, &t))
                    break;
            }
            if (i + TRF_CHUNK_HDR > avail)
                i = avail - TRF_CHUNK_HDR + 1;
            sdiag(s, "offset %" PRIu64 ": %s; %zu bytes skipped", s->pos, why, i);
            s->off += i;
            s->pos += i;
            continue;
        }
        if (avail < (size_t)h.hdr_size + h.comp_len)
            return 0;
        const char *bad = NULL;
        if (!ensure(&s->raw, &s->raw_cap, h.raw_len + 1))
            bad = "out of memory";
        else
            bad = chunk_inflate(p + h.hdr_size, h.comp_len, s->raw, h.raw_len, h.crc);
        if (!bad)
            bad = dec_init(&s->d, s->raw, h.raw_len, &h, s->hdr.detail, s->hdr.major, s->nchunk);
        if (bad) {
            sdiag(s, "chunk %" PRIu64 " at offset %" PRIu64 ": %s; skipped", h.seq, s->pos, bad);
            s->nchunk++;
        } else {
            s->in_chunk = true;
        }
        s->off += h.hdr_size + h.comp_len;
        s->pos += h.hdr_size + h.comp_len;
    }
    return 0;
}
