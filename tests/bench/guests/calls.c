/* Benchmark (paging on): call-heavy integer code: recursive quicksort and an LZ77-style
 * compressor over pseudo-random text. */
#include "bench.h"

#define N 4096
static uint32_t arr[N];
static uint8_t text[16384], packed[20000];

static uint32_t rnd(uint32_t *s) { *s = *s * 1103515245u + 12345u; return *s >> 8; }

static void swap(uint32_t *a, uint32_t *b) { uint32_t t = *a; *a = *b; *b = t; }

static int partition(uint32_t *a, int lo, int hi)
{
    uint32_t p = a[(lo + hi) / 2];
    int i = lo - 1, j = hi + 1;
    for (;;) {
        do i++; while (a[i] < p);
        do j--; while (a[j] > p);
        if (i >= j) return j;
        swap(&a[i], &a[j]);
    }
}

static void quicksort(uint32_t *a, int lo, int hi)
{
    if (lo >= hi) return;
    int p = partition(a, lo, hi);
    quicksort(a, lo, p);
    quicksort(a, p + 1, hi);
}

static unsigned match_len(const uint8_t *a, const uint8_t *b, unsigned max)
{
    unsigned n = 0;
    while (n < max && a[n] == b[n]) n++;
    return n;
}

static unsigned hash3(const uint8_t *p) { return ((p[0] << 8) ^ (p[1] << 4) ^ p[2]) & 1023; }

static unsigned compress(const uint8_t *in, unsigned len, uint8_t *out)
{
    static uint16_t head[1024];
    memset(head, 0xFF, sizeof head);
    unsigned o = 0;
    for (unsigned i = 0; i + 3 <= len;) {
        unsigned h = hash3(in + i), cand = head[h];
        head[h] = (uint16_t)i;
        unsigned l = cand != 0xFFFF && i - cand < 4096 ? match_len(in + cand, in + i, len - i < 255 ? len - i : 255) : 0;
        if (l >= 3) {
            out[o++] = 0xFF; out[o++] = (uint8_t)(i - cand); out[o++] = (uint8_t)l;
            i += l;
        } else {
            out[o++] = in[i++];
        }
    }
    return o;
}

int main(struct mb_info *mbi)
{
    uint32_t iters = bench_iters(mbi, 20), seed = 1, total = 0;
    bench_paging_on();
    static const char words[][8] = { "page ", "frame ", "tlb ", "swap ", "fault ", "mm ", "vma ", "pte " };
    for (unsigned i = 0; i < sizeof text;) {
        const char *w = words[rnd(&seed) & 7];
        while (*w && i < sizeof text) text[i++] = (uint8_t)*w++;
    }
    for (uint32_t it = 0; it < iters; it++) {
        for (int i = 0; i < N; i++) arr[i] = rnd(&seed);
        quicksort(arr, 0, N - 1);
        total += arr[N / 2] ^ compress(text, sizeof text, packed);
    }
    rt_printf("calls: %u iterations, checksum %08x\n", iters, total);
    return 0;
}
