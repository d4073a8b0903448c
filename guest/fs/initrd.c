/* The initrd: a cpio archive in the "newc" format (the one Linux's
 * initramfs uses), made by guest/mkinitrd.py. Each entry is a 110-byte
 * ASCII header ("070701" then 13 eight-digit hex fields), the name (NUL
 * included) padded to 4 bytes, then the data padded to 4 bytes; the entry
 * named "TRAILER!!!" ends it. Only regular files are kept; they are read in
 * place through the direct map (the module's frames stay reserved). */
#include <kernel.h>
#include <initrd.h>

#define MAX_FILES 64
#define S_IFMT 0170000
#define S_IFREG 0100000

static struct initrd_file files[MAX_FILES];
static int nr_files;

/* Parse 8 hex digits of a cpio header field; sets *bad on a non-digit. */
static unsigned long hex8(const u8 *p, int *bad)
{
    unsigned long v = 0;
    for (int i = 0; i < 8; i++) {
        u8 c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else *bad = 1;
    }
    return v;
}

int initrd_init(const u8 *start, const u8 *end)
{
    const u8 *p = start;
    for (;;) {
        int bad = 0;
        if (end - p < 110 || memcmp(p, "070701", 6))
            panic("initrd: bad cpio header at offset %lu", (unsigned long)(p - start));
        unsigned long mode = hex8(p + 14, &bad);
        unsigned long filesize = hex8(p + 54, &bad);
        unsigned long namesize = hex8(p + 94, &bad);
        if (bad || namesize == 0 || namesize > (unsigned long)(end - p) - 110)
            panic("initrd: bad cpio header at offset %lu", (unsigned long)(p - start));
        const char *name = (const char *)p + 110;
        const u8 *data = start + ALIGN((unsigned long)(p + 110 + namesize - start), 4);
        if (data > end || filesize > (unsigned long)(end - data))
            panic("initrd: %s runs past the end of the archive", name);
        if (name[namesize - 1])
            panic("initrd: unterminated name at offset %lu", (unsigned long)(p - start));
        if (!strcmp(name, "TRAILER!!!"))
            break;
        if ((mode & S_IFMT) == S_IFREG) {
            if (nr_files == MAX_FILES)
                panic("initrd: more than %d files", MAX_FILES);
            while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
                name += name[0] == '/' ? 1 : 2;
            if (strlen(name) >= INITRD_NAME_MAX)
                panic("initrd: name too long: %s", name);
            struct initrd_file *f = &files[nr_files++];
            strlcpy(f->name, name, INITRD_NAME_MAX);
            f->data = data;
            f->size = filesize;
            f->ino = nr_files;
        }
        p = start + ALIGN((unsigned long)(data + filesize - start), 4);
    }
    return nr_files;
}

const struct initrd_file *initrd_lookup(const char *path)
{
    while (*path == '/')
        path++;
    for (int i = 0; i < nr_files; i++)
        if (!strcmp(files[i].name, path))
            return &files[i];
    return NULL;
}

int initrd_count(void)
{
    return nr_files;
}

const struct initrd_file *initrd_file_at(int i)
{
    return i >= 0 && i < nr_files ? &files[i] : NULL;
}
