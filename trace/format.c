/* Chunk header encoding, shared by the writer and the reader (trace/format.h). */
#include "trace/format.h"

#include "trace/writer.h"

#include <zlib.h>

#define TRF_STR2(x) #x
#define TRF_STR(x) TRF_STR2(x)

const char *tr_format_version(void)
{
    return TRF_STR(TRF_MAJOR) "." TRF_STR(TRF_MINOR);
}

void trf_chunk_hdr_encode(uint8_t out[TRF_CHUNK_HDR], const struct trf_chunk_hdr *h)
{
    memcpy(out, TRF_CHUNK_MAGIC, 4);
    trf_put32(out + 4, TRF_CHUNK_HDR);
    trf_put64(out + 8, h->seq);
    trf_put64(out + 16, h->first_event);
    trf_put64(out + 24, h->nevents);
    trf_put64(out + 32, h->first_cycle);
    trf_put64(out + 40, h->last_cycle);
    trf_put64(out + 48, h->insns);
    trf_put32(out + 56, h->cr3);
    trf_put32(out + 60, h->pid);
    trf_put32(out + 64, h->raw_len);
    trf_put32(out + 68, h->comp_len);
    trf_put32(out + 72, h->crc);
    trf_put32(out + 76, (uint32_t)crc32(0, out, 76));
}

const char *trf_chunk_hdr_decode(const uint8_t *p, size_t avail, struct trf_chunk_hdr *h)
{
    if (avail < TRF_CHUNK_HDR)
        return "chunk header cut short";
    if (memcmp(p, TRF_CHUNK_MAGIC, 4))
        return "no chunk magic";
    uint32_t hs = trf_get32(p + 4);
    if (hs < TRF_CHUNK_HDR || hs > 4096)
        return "bad chunk header size";
    if (avail < hs)
        return "chunk header cut short";
    /* The CRC covers the 1.0 fields; later minor versions append after them
     * and cover their own bytes. */
#ifndef VMSCOPE_FUZZ_NO_CRC
    if (trf_get32(p + 76) != (uint32_t)crc32(0, p, 76))
        return "chunk header CRC mismatch";
#endif
    h->hdr_size = hs;
    h->seq = trf_get64(p + 8);
    h->first_event = trf_get64(p + 16);
    h->nevents = trf_get64(p + 24);
    h->first_cycle = trf_get64(p + 32);
    h->last_cycle = trf_get64(p + 40);
    h->insns = trf_get64(p + 48);
    h->cr3 = trf_get32(p + 56);
    h->pid = trf_get32(p + 60);
    h->raw_len = trf_get32(p + 64);
    h->comp_len = trf_get32(p + 68);
    h->crc = trf_get32(p + 72);
    if (h->raw_len > TRF_RAW_MAX)
        return "raw length over 64 MiB";
    if (h->comp_len == 0 || h->comp_len > TRF_RAW_MAX + (TRF_RAW_MAX >> 4))
        return "bad compressed length";
    /* deflate yields at most 1032 bytes per byte of its output (zlib's
     * technical notes), so a larger claim is corrupt: refused here before a
     * reader sizes a buffer for it (a 4 KiB file could ask for 64 MiB) */
    if ((uint64_t)h->raw_len > (uint64_t)h->comp_len * 1032u)
        return "raw length beyond what its compressed length can inflate to";
    return 0;
}
