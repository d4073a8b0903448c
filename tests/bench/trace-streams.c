/* trace-streams: where the bytes of a trace go, per stream of the chunk
 * payload (docs/trace-format.md): raw bytes, and deflated bytes when each
 * stream is compressed on its own. A tool for tuning the encoding. */
#include "trace/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: trace-streams FILE.vmt\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)size);
    if (!b || fread(b, 1, (size_t)size, f) != (size_t)size)
        return 2;
    fclose(f);
    static const char *names[TRS_ALL] = { "op", "xnew", "xextra", "xoff", "xtime", "time", "rec",
                                          "sym", "wpg", "wpgh" };
    uint64_t raw[TRS_ALL] = { 0 }, comp[TRS_ALL] = { 0 }, total = 0;
    size_t pos = trf_get32(b + 12);
    uint8_t *out = malloc(TRF_RAW_MAX), *tmp = malloc(TRF_RAW_MAX + 65536);
    int level = 6;
    while (pos + TRF_CHUNK_HDR <= (size_t)size) {
        struct trf_chunk_hdr h;
        if (trf_chunk_hdr_decode(b + pos, (size_t)size - pos, &h))
            break;
        uLongf rl = h.raw_len;
        if (uncompress(out, &rl, b + pos + h.hdr_size, h.comp_len) != Z_OK)
            break;
        size_t o = 1;
        int ns = out[0] < TRS_ALL ? out[0] : TRS_ALL;  /* 1.x/2.x: 7 or 8; 3.0: 10 */
        uint64_t len[TRS_ALL];
        for (int i = 0; i < ns; i++) {
            uint64_t v = 0;
            int sh = 0;
            while (out[o] & 0x80) {
                v |= (uint64_t)(out[o++] & 0x7F) << sh;
                sh += 7;
            }
            v |= (uint64_t)out[o++] << sh;
            len[i] = v;
        }
        for (int i = 0; i < ns; i++) {
            raw[i] += len[i];
            uLongf cl = TRF_RAW_MAX + 65536;
            if (len[i]) {
                compress2(tmp, &cl, out + o, len[i], level);
                comp[i] += cl;
            }
            o += len[i];
        }
        total += h.comp_len + h.hdr_size;
        pos += h.hdr_size + h.comp_len;
    }
    printf("%-8s %12s %12s\n", "stream", "raw", "deflated alone");
    for (int i = 0; i < TRS_ALL; i++)
        printf("%-8s %12llu %12llu\n", names[i], (unsigned long long)raw[i], (unsigned long long)comp[i]);
    printf("chunks (headers + payloads) %llu of %ld file bytes\n", (unsigned long long)total, size);
    return 0;
}
