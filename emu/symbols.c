/* ELF32 symbol tables (System V gABI, "Symbol Table"). Every offset read
 * from the file is bounds-checked: a hostile image yields no symbols, never
 * a crash. */
#include "emu/symbols.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHT_SYMTAB 2
#define STT_NOTYPE 0
#define STT_OBJECT 1
#define STT_FUNC 2
#define STB_LOCAL 0
#define SHN_LORESERVE 0xFF00   /* ABS, COMMON and the like: not addresses of code or data */

struct symtab *symtab_new(void)
{
    return calloc(1, sizeof(struct symtab));
}

void symtab_free(struct symtab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nstrings; i++)
        free(t->strings[i]);
    free(t->strings);
    free(t->sym);
    free(t);
}

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

static int cmp_sym(const void *a, const void *b)
{
    const struct symbol *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    /* prefer sized symbols, then by name, so the order is deterministic */
    if ((x->size != 0) != (y->size != 0))
        return x->size ? -1 : 1;
    return strcmp(x->name, y->name);
}

size_t symtab_add_elf(struct symtab *t, const uint8_t *buf, size_t len)
{
    if (len < 52 || memcmp(buf, "\x7f" "ELF\x01\x01", 6) != 0)
        return 0;
    uint32_t shoff = rd32(buf + 32);
    uint16_t shentsize = rd16(buf + 46), shnum = rd16(buf + 48);
    if (shentsize != 40 || shoff > len || (uint64_t)shnum * 40 > len - shoff)
        return 0;
    size_t added = 0;
    for (unsigned i = 0; i < shnum; i++) {
        const uint8_t *sh = buf + shoff + i * 40;
        if (rd32(sh + 4) != SHT_SYMTAB)
            continue;
        uint32_t off = rd32(sh + 16), size = rd32(sh + 20), link = rd32(sh + 24);
        if (link >= shnum || off > len || size > len - off)
            continue;
        const uint8_t *strsh = buf + shoff + link * 40;
        uint32_t stroff = rd32(strsh + 16), strsize = rd32(strsh + 20);
        if (stroff > len || strsize > len - stroff || strsize == 0)
            continue;
        char *strings = malloc(strsize + 1);
        char **ns = realloc(t->strings, (t->nstrings + 1) * sizeof *ns);
        if (!strings || !ns) {
            free(strings);
            if (ns) t->strings = ns;
            return added;
        }
        t->strings = ns;
        memcpy(strings, buf + stroff, strsize);
        strings[strsize] = 0;
        t->strings[t->nstrings++] = strings;
        for (uint32_t s = 0; s + 16 <= size; s += 16) {
            const uint8_t *st = buf + off + s;
            uint32_t name = rd32(st), value = rd32(st + 4), ssize = rd32(st + 8);
            unsigned type = st[12] & 0xF;
            uint16_t shndx = rd16(st + 14);
            /* functions and objects, and the global labels of assembly
             * files (NOTYPE, e.g. __copy_user), which name code too */
            bool global_label = type == STT_NOTYPE && (st[12] >> 4) != STB_LOCAL;
            if ((type != STT_FUNC && type != STT_OBJECT && !global_label) || shndx == 0 ||
                shndx >= SHN_LORESERVE || name >= strsize || !strings[name])
                continue;
            if (t->n == t->cap) {
                size_t cap = t->cap ? t->cap * 2 : 256;
                struct symbol *n = realloc(t->sym, cap * sizeof *n);
                if (!n)
                    break;
                t->sym = n;
                t->cap = cap;
            }
            t->sym[t->n++] = (struct symbol){ value, ssize, strings + name };
            added++;
        }
    }
    if (t->n)       /* qsort(NULL, 0, ...) is undefined */
        qsort(t->sym, t->n, sizeof *t->sym, cmp_sym);
    return added;
}

size_t symtab_add_elf_file(struct symtab *t, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return 0;
    size_t added = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size < (1 << 30)) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            added = symtab_add_elf(t, p, (size_t)st.st_size);
            munmap(p, (size_t)st.st_size);
        }
    }
    close(fd);
    return added;
}

const struct symbol *symtab_lookup(const struct symtab *t, uint32_t addr, uint32_t *off)
{
    if (!t || !t->n)
        return NULL;
    size_t lo = 0, hi = t->n;   /* last symbol with sym.addr <= addr */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->sym[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const struct symbol *s = &t->sym[lo - 1];
    /* among symbols at the same address, take the first (sized) one */
    while (s > t->sym && s[-1].addr == s->addr)
        s--;
    uint32_t d = addr - s->addr;
    if (s->size ? d >= s->size : d >= 0x10000)
        return NULL;
    if (off)
        *off = d;
    return s;
}

const char *symtab_format(const struct symtab *t, uint32_t addr, char *buf, size_t len)
{
    uint32_t off;
    const struct symbol *s = symtab_lookup(t, addr, &off);
    if (!s)
        snprintf(buf, len, "0x%08x", addr);
    else if (off)
        snprintf(buf, len, "%s+0x%x", s->name, off);
    else
        snprintf(buf, len, "%s", s->name);
    return buf;
}
