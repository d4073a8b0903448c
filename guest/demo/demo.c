/* The demo guest `vmscope run` boots until the guest kernel exists: it
 * prints what the boot loader told it and does some integer work, the same
 * under vmscope and under QEMU. */
#include "guest/rt/rt.h"

static uint8_t sieve[200000];

static unsigned count_primes(unsigned n)
{
    unsigned count = 0;
    memset(sieve, 1, n);
    for (unsigned i = 2; i < n; i++) {
        if (!sieve[i])
            continue;
        count++;
        for (unsigned j = i * 2; j < n; j += i)
            sieve[j] = 0;
    }
    return count;
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFF;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320 & -(c & 1));
    }
    return ~c;
}

static uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    return *s = x;
}

static void sort(uint32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

int main(struct mb_info *mbi)
{
    rt_printf("vmscope demo guest\n");
    rt_printf("memory: lower %u KiB, upper %u KiB\n", mbi->mem_lower, mbi->mem_upper);
    if (mbi->flags & (1u << 6)) {
        for (uint32_t off = 0; off < mbi->mmap_length;) {
            struct mb_mmap_entry *e = (void *)(mbi->mmap_addr + off);
            rt_printf("  map %08llx-%08llx %s\n", e->base, e->base + e->len - 1,
                      e->type == 1 ? "usable" : "reserved");
            off += e->size + 4;
        }
    }
    /* The command line starts with the kernel's file name, which differs
     * between loaders: print only what follows it. */
    const char *cl = (mbi->flags & 4) ? (const char *)mbi->cmdline : "";
    while (*cl && *cl != ' ')
        cl++;
    while (*cl == ' ')
        cl++;
    rt_printf("options: '%s'\n", cl);
    if (mbi->flags & 8) {
        struct mb_module *mods = (void *)mbi->mods_addr;
        for (uint32_t i = 0; i < mbi->mods_count; i++)
            rt_printf("module %u: %u bytes, page-aligned %s, crc32 %08x\n", i,
                      mods[i].end - mods[i].start, mods[i].start & 0xFFF ? "no" : "yes",
                      crc32((const uint8_t *)mods[i].start, mods[i].end - mods[i].start));
    }
    rt_printf("primes below 200000: %u\n", count_primes(200000));
    static uint32_t a[2000];
    uint32_t seed = 2463534242u;
    for (int i = 0; i < 2000; i++)
        a[i] = xorshift(&seed);
    sort(a, 2000);
    int sorted = 1;
    for (int i = 1; i < 2000; i++)
        sorted &= a[i - 1] <= a[i];
    rt_printf("sorted 2000 numbers: %s, crc32 %08x\n", sorted ? "yes" : "no",
              crc32((const uint8_t *)a, sizeof a));
    rt_printf("64-bit: %llu / %u = %llu\n", 0x123456789ABCDEFull, 12345u, 0x123456789ABCDEFull / 12345u);
    rt_printf("demo done\n");
    return 0;
}
