/* swap-random: random reads and writes over 2x RAM. Every page carries its
 * index and a version; a write rewrites a whole page in a new version, a
 * read checks a whole page against the version last written. The accesses
 * come from a fixed seed, so each run does the same ones; at the end every
 * page is checked once more. */
#include <stdlib.h>
#include <swaptest.h>

int main(void)
{
    unsigned long ram = ram_pages(), n = 2 * ram, ops = 2 * n;
    unsigned *mem = map_pages(n, 0);
    unsigned *version = calloc(n, sizeof *version);
    check(version != NULL, "no memory for %lu versions", n);
    unsigned rng = 0x5EED1234u, writes = 0, reads = 0;
    for (unsigned long i = 0; i < n; i++)
        fill_page(mem + i * WORDS, i, version[i] = 1);
    for (unsigned long k = 0; k < ops; k++) {
        unsigned long i = next_random(&rng) % n;
        if (next_random(&rng) & 1) {
            fill_page(mem + i * WORDS, i, ++version[i]);
            writes++;
        } else {
            check(page_ok(mem + i * WORDS, i, version[i]), "page %lu: version %u lost", i, version[i]);
            reads++;
        }
    }
    for (unsigned long i = 0; i < n; i++)
        check(page_ok(mem + i * WORDS, i, version[i]), "page %lu: version %u lost at the end", i, version[i]);
    printf("swap-random: %lu pages (2x RAM), %u random writes and %u reads checked\n", n, writes, reads);
    return 0;
}
