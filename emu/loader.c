/* Multiboot v1 loader (see loader.h). Every check on the file is here, so a
 * hostile image ends with one line and status 2, never with a host crash. */
#include "emu/loader.h"
#include "emu/machine.h"
#include "emu/symbols.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ELF32 (System V ABI, Intel386 supplement) */
#define EI_NIDENT 16
#define PT_LOAD 1
#define EM_386 3

struct elf32_ehdr {
    uint8_t ident[EI_NIDENT];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

/* Multiboot header (§3.1.1) */
struct mb_header {
    uint32_t magic, flags, checksum;
    uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};
#define MB_HDR_SEARCH 8192
#define MB_FLAG_AOUT_KLUDGE (1u << 16)
#define MB_FLAGS_KNOWN 0x00000007u   /* page-align modules, mem info, video */

/* multiboot_info flags (§3.3) as QEMU sets them */
#define MBI_MEMORY    (1u << 0)
#define MBI_BOOTDEV   (1u << 1)
#define MBI_CMDLINE   (1u << 2)
#define MBI_MODS      (1u << 3)
#define MBI_MMAP      (1u << 6)
#define MBI_LOADER    (1u << 9)

#define PAGE 4096u
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))

static bool fail(char *err, unsigned errlen, const char *name, const char *why)
{
    snprintf(err, errlen, "%s: %s", name, why);
    return false;
}

/* Is [lo, lo+len) inside guest RAM and clear of the holes the loader must not touch? */
static const char *region_check(const struct machine *m, uint64_t lo, uint64_t len)
{
    uint64_t hi = lo + len;
    if (hi > m->bus.ram_size)
        return "segment lies outside guest RAM";
    if (lo < MB_INFO_END && hi > MB_INFO_ADDR)
        return "segment overlaps the Multiboot information area";
    if (lo < 0x100000 && hi > 0xA0000)
        return "segment lies in the VGA/BIOS hole at 0xA0000-0xFFFFF";
    return NULL;
}

static const struct mb_header *find_mb_header(const uint8_t *buf, size_t len, size_t *off)
{
    size_t lim = len < MB_HDR_SEARCH ? len : MB_HDR_SEARCH;
    for (size_t o = 0; o + 12 <= lim; o += 4) {
        const struct mb_header *h = (const void *)(buf + o);
        uint32_t magic, flags, sum;
        memcpy(&magic, buf + o, 4);
        if (magic != MB_HDR_MAGIC)
            continue;
        memcpy(&flags, buf + o + 4, 4);
        memcpy(&sum, buf + o + 8, 4);
        if ((uint32_t)(magic + flags + sum) != 0)
            continue;
        *off = o;
        return h;
    }
    return NULL;
}

/* Callers have checked the shape (elf_shape_ok): headers lie inside BUF. */
static bool load_elf(struct machine *m, const char *name, const uint8_t *buf, size_t len,
                     struct mb_image *img, char *err, unsigned errlen)
{
    struct elf32_ehdr eh;
    memcpy(&eh, buf, sizeof eh);
    if (eh.machine != EM_386)
        return fail(err, errlen, name, "not an i386 ELF (e_machine is not EM_386)");
    if (eh.phentsize != sizeof(struct elf32_phdr) || eh.phnum == 0)
        return fail(err, errlen, name, "ELF has no usable program headers");

    bool have_entry = false, loaded = false;
    uint32_t entry = eh.entry;
    img->load_lo = UINT32_MAX;
    img->load_hi = 0;
    for (unsigned i = 0; i < eh.phnum; i++) {
        struct elf32_phdr ph;
        memcpy(&ph, buf + eh.phoff + i * sizeof ph, sizeof ph);
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        if (ph.filesz > ph.memsz)
            return fail(err, errlen, name, "ELF segment has p_filesz larger than p_memsz");
        if ((uint64_t)ph.offset + ph.filesz > len)
            return fail(err, errlen, name, "truncated: a segment's bytes lie past the end of the file");
        const char *bad = region_check(m, ph.paddr, ph.memsz);
        if (bad) {
            char why[128];
            snprintf(why, sizeof why, "%s (p_paddr 0x%08x, size 0x%x)", bad, ph.paddr, ph.memsz);
            return fail(err, errlen, name, why);
        }
        memcpy(m->bus.ram + ph.paddr, buf + ph.offset, ph.filesz);
        memset(m->bus.ram + ph.paddr + ph.filesz, 0, ph.memsz - ph.filesz);
        if (ph.paddr < img->load_lo)
            img->load_lo = ph.paddr;
        if (ph.paddr + ph.memsz > img->load_hi)
            img->load_hi = ph.paddr + ph.memsz;
        /* A higher-half kernel's e_entry is virtual: enter at the physical
         * address of the same byte, as QEMU and GRUB do. */
        if (!have_entry && eh.entry - ph.vaddr < ph.memsz) {
            entry = eh.entry - ph.vaddr + ph.paddr;
            have_entry = true;
        }
        loaded = true;
    }
    if (!loaded)
        return fail(err, errlen, name, "ELF has no loadable segment");
    if (!have_entry && (entry < img->load_lo || entry >= img->load_hi))
        return fail(err, errlen, name, "entry point lies outside every loaded segment");
    img->entry = entry;
    return true;
}

/* a.out kludge (§3.1.3): header fields give where the file goes. */
static bool load_kludge(struct machine *m, const char *name, const uint8_t *buf, size_t len,
                        const struct mb_header *h, size_t hoff, struct mb_image *img,
                        char *err, unsigned errlen)
{
    if (hoff + sizeof *h > len)
        return fail(err, errlen, name, "truncated: Multiboot header address fields are cut off");
    struct mb_header hd;
    memcpy(&hd, h, sizeof hd);
    if (hd.header_addr < hd.load_addr || hd.header_addr - hd.load_addr > hoff)
        return fail(err, errlen, name, "Multiboot header_addr/load_addr are inconsistent");
    uint64_t file_off = hoff - (hd.header_addr - hd.load_addr);
    uint64_t load_len = hd.load_end_addr ? (uint64_t)hd.load_end_addr - hd.load_addr
                                         : len - file_off;
    if (hd.load_end_addr && hd.load_end_addr < hd.load_addr)
        return fail(err, errlen, name, "Multiboot load_end_addr is below load_addr");
    if (file_off + load_len > len)
        return fail(err, errlen, name, "truncated: the image is shorter than load_end_addr says");
    uint64_t end = hd.load_addr + load_len;
    if (hd.bss_end_addr) {
        if (hd.bss_end_addr < end)
            return fail(err, errlen, name, "Multiboot bss_end_addr is below the loaded image");
        end = hd.bss_end_addr;
    }
    const char *bad = region_check(m, hd.load_addr, end - hd.load_addr);
    if (bad)
        return fail(err, errlen, name, bad);
    memcpy(m->bus.ram + hd.load_addr, buf + file_off, load_len);
    memset(m->bus.ram + hd.load_addr + load_len, 0, end - hd.load_addr - load_len);
    if (hd.entry_addr < hd.load_addr || hd.entry_addr >= end)
        return fail(err, errlen, name, "Multiboot entry_addr lies outside the loaded image");
    img->entry = hd.entry_addr;
    img->load_lo = hd.load_addr;
    img->load_hi = (uint32_t)end;
    return true;
}

/* ELF header and program-header table inside the file? */
static bool elf_shape_ok(const char *name, const uint8_t *buf, size_t len, char *err, unsigned errlen)
{
    if (len < sizeof(struct elf32_ehdr))
        return fail(err, errlen, name, "truncated: shorter than an ELF header");
    if (buf[4] != 1)
        return fail(err, errlen, name, "not ELF32 (ELF class is not 32-bit)");
    if (buf[5] != 1)
        return fail(err, errlen, name, "not a little-endian ELF");
    struct elf32_ehdr eh;
    memcpy(&eh, buf, sizeof eh);
    if ((uint64_t)eh.phoff + (uint64_t)eh.phnum * eh.phentsize > len)
        return fail(err, errlen, name, "truncated: program headers lie past the end of the file");
    return true;
}

bool loader_load_image(struct machine *m, const char *name, const uint8_t *buf, size_t len,
                       struct mb_image *img, char *err, unsigned errlen)
{
    if (len == 0)
        return fail(err, errlen, name, "empty file");
    bool is_elf = len >= 4 && memcmp(buf, "\x7f" "ELF", 4) == 0;
    if (is_elf && !elf_shape_ok(name, buf, len, err, errlen))
        return false;
    size_t hoff;
    const struct mb_header *h = find_mb_header(buf, len, &hoff);
    if (!h)
        return fail(err, errlen, name, is_elf ? "no Multiboot header in the first 8 KiB"
                                              : "not ELF32 and no Multiboot header");
    uint32_t flags;
    memcpy(&flags, buf + hoff + 4, 4);
    if (flags & 0xFFFF & ~MB_FLAGS_KNOWN)
        return fail(err, errlen, name, "Multiboot header requires features this loader lacks");
    if (flags & MB_FLAG_AOUT_KLUDGE)
        return load_kludge(m, name, buf, len, h, hoff, img, err, errlen);
    if (!is_elf)
        return fail(err, errlen, name, "not ELF32 and the Multiboot header has no load addresses");
    return load_elf(m, name, buf, len, img, err, errlen);
}

/* Read a whole file. Returns NULL and fills ERR on failure. */
static uint8_t *slurp(const char *path, size_t *len, char *err, unsigned errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            if (cap >= (1u << 30)) {
                snprintf(err, errlen, "%s: file is larger than 1 GiB", path);
                free(buf);
                fclose(f);
                return NULL;
            }
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb) { free(buf); buf = NULL; }
            else buf = nb;
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        snprintf(err, errlen, "%s: cannot read: %s", path, buf ? strerror(errno) : "out of memory");
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Bump allocator over a region of guest RAM. */
struct info_area {
    struct machine *m;
    uint32_t next, end;
};

static uint32_t info_alloc(struct info_area *a, uint32_t len, uint32_t align)
{
    uint32_t at = ALIGN_UP(a->next, align);
    if (at + len > a->end)
        return 0;
    a->next = at + len;
    return at;
}

static uint32_t info_string(struct info_area *a, const char *s)
{
    uint32_t len = (uint32_t)strlen(s) + 1;
    uint32_t at = info_alloc(a, len, 1);
    if (at)
        memcpy(a->m->bus.ram + at, s, len);
    return at;
}

static void put32(struct machine *m, uint32_t addr, uint32_t v) { memcpy(m->bus.ram + addr, &v, 4); }

/* Memory map as QEMU 7.2's BIOS reports it (DESIGN.md "Boot information"). */
static uint32_t build_mmap(struct info_area *a, uint32_t *len_out)
{
    struct machine *m = a->m;
    uint64_t ram = m->bus.ram_size;
    const struct { uint64_t base, len; uint32_t type; } e[] = {
        { 0, 0x9FC00, 1 },
        { 0x9FC00, 0x400, 2 },
        { 0xF0000, 0x10000, 2 },
        { 0x100000, ram - 0x20000 - 0x100000, 1 },
        { ram - 0x20000, 0x20000, 2 },
        { 0xFFFC0000u, 0x40000, 2 },
    };
    unsigned n = sizeof e / sizeof e[0];
    uint32_t at = info_alloc(a, n * 24, 4);
    if (!at)
        return 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t p = at + i * 24;
        put32(m, p, 20);
        put32(m, p + 4, (uint32_t)e[i].base);
        put32(m, p + 8, (uint32_t)(e[i].base >> 32));
        put32(m, p + 12, (uint32_t)e[i].len);
        put32(m, p + 16, (uint32_t)(e[i].len >> 32));
        put32(m, p + 20, e[i].type);
    }
    *len_out = n * 24;
    return at;
}

bool loader_boot(struct machine *m, const char *path, const char *display_name,
                 const char *cmdline, const char *const *modules, unsigned nmodules,
                 char *err, unsigned errlen)
{
    if (m->bus.ram_size < 2u << 20)
        return fail(err, errlen, path, "guest RAM must be at least 2 MiB for a Multiboot kernel");
    size_t len;
    uint8_t *buf = slurp(path, &len, err, errlen);
    if (!buf)
        return false;
    struct mb_image img;
    bool ok = loader_load_image(m, path, buf, len, &img, err, errlen);
    if (ok && m->syms)
        symtab_add_elf(m->syms, buf, len);
    free(buf);
    if (!ok)
        return false;

    struct info_area a = { m, MB_INFO_ADDR, MB_INFO_END };
    memset(m->bus.ram + MB_INFO_ADDR, 0, MB_INFO_END - MB_INFO_ADDR);
    uint32_t mbi = info_alloc(&a, 88, 4);
    uint32_t mmap_len = 0, mmap = build_mmap(&a, &mmap_len);

    /* As QEMU 7.2 does (hw/i386/multiboot.c), the module list and the
     * strings go in a block right after the page-aligned kernel, and the
     * modules start on the page after that block: a guest then sees the
     * same free memory under both. The block's size follows QEMU's sum
     * (QEMU's loader name "qemu" is 3 bytes shorter than ours, which moves
     * the modules only when the block ends within 3 bytes of a page). */
    static const char loader_name[] = "vmscope";
    size_t clen = strlen(display_name) + 1 + (cmdline ? strlen(cmdline) : 0) + 1;
    uint64_t block = 16ull * nmodules + clen + sizeof loader_name;
    for (unsigned i = 0; i < nmodules; i++)
        block += strlen(modules[i]) + 1;
    uint32_t usable_end = m->bus.ram_size - 0x20000;
    uint32_t blk = img.load_lo + ALIGN_UP(img.load_hi - img.load_lo, PAGE);
    if (blk < img.load_hi || blk > usable_end || block > usable_end - blk)
        return fail(err, errlen, path, "the command line and module names do not fit in RAM above the kernel");
    struct info_area b = { m, blk, blk + (uint32_t)block };
    memset(m->bus.ram + blk, 0, block);
    uint32_t mods = nmodules ? info_alloc(&b, 16 * nmodules, 4) : 0;

    /* Modules, page-aligned above that block, in order. The argument is
     * "FILE[ ARGS]"; its string is given to the guest whole, as QEMU's -initrd does. */
    uint32_t next = ALIGN_UP(blk + (uint32_t)block, PAGE);
    for (unsigned i = 0; i < nmodules; i++) {
        char file[4096];
        const char *sp = strchr(modules[i], ' ');
        size_t flen = sp ? (size_t)(sp - modules[i]) : strlen(modules[i]);
        if (flen >= sizeof file)
            return fail(err, errlen, modules[i], "module path too long");
        memcpy(file, modules[i], flen);
        file[flen] = 0;
        size_t mlen;
        uint8_t *mb = slurp(file, &mlen, err, errlen);
        if (!mb)
            return false;
        if (next < blk || mlen > usable_end || next > usable_end - mlen) {
            free(mb);
            char why[160];
            snprintf(why, sizeof why, "module of %zu bytes does not fit in guest RAM above the kernel "
                     "(free 0x%08x-0x%08x)", mlen, next, usable_end);
            return fail(err, errlen, file, why);
        }
        memcpy(m->bus.ram + next, mb, mlen);
        if (m->syms)
            symtab_add_elf(m->syms, mb, mlen);  /* an ELF module (a driver, a program) */
        free(mb);
        put32(m, mods + 16 * i, next);
        put32(m, mods + 16 * i + 4, next + (uint32_t)mlen);
        put32(m, mods + 16 * i + 8, info_string(&b, modules[i]));
        put32(m, mods + 16 * i + 12, 0);
        next = ALIGN_UP(next + (uint32_t)mlen, PAGE);
    }

    /* Command line: the kernel file name as given, a space, then the options. */
    char *cl = malloc(clen);
    if (!cl)
        return fail(err, errlen, path, "out of memory");
    snprintf(cl, clen, "%s %s", display_name, cmdline ? cmdline : "");
    uint32_t cl_at = info_string(&b, cl);
    free(cl);
    uint32_t name_at = info_string(&b, loader_name);

    uint32_t ram_kib = m->bus.ram_size / 1024;
    put32(m, mbi + 0, MBI_MEMORY | MBI_BOOTDEV | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_LOADER);
    put32(m, mbi + 4, 639);                     /* mem_lower, KiB */
    put32(m, mbi + 8, ram_kib - 1024 - 128);    /* mem_upper, KiB above 1 MiB */
    put32(m, mbi + 12, 0x8000FFFFu);            /* boot_device: first hard disk */
    put32(m, mbi + 16, cl_at);
    put32(m, mbi + 20, nmodules);
    put32(m, mbi + 24, mods);
    put32(m, mbi + 44, mmap_len);
    put32(m, mbi + 48, mmap);
    put32(m, mbi + 64, name_at);
    m->mb_info = mbi;
    cpu_multiboot_entry(m, img.entry, MB_BOOT_MAGIC, mbi);
    return true;
}
