/* The initrd: a cpio archive in the "newc" format (the one Linux's
 * initramfs uses), made by guest/mkinitrd.py. Each entry is a 110-byte
 * ASCII header ("070701" then 13 eight-digit hex fields), the name (NUL
 * included) padded to 4 bytes, then the data padded to 4 bytes; the entry
 * named "TRAILER!!!" ends it. Only regular files are kept; they are read in
 * place through the direct map (the module's frames stay reserved).
 *
 * When no disk gives a root file system, the initrd is the root: a
 * read-only file system of one directory (inode 1) holding its files
 * (inodes 2...), whose pages come into the page cache by copying from the
 * archive (readpage), so exec and read work on it as on ext2. */
#include <kernel.h>
#include <fs.h>
#include <initrd.h>
#include <uaccess.h>

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

/* ---- the initrd as the root file system ---- */

#define ROOT_INO 1

static long initrd_fs_lookup(struct inode *dir, const char *name, int len)
{
    for (int i = 0; i < nr_files; i++)
        if ((int)strlen(files[i].name) == len && !memcmp(files[i].name, name, len))
            return i + 2;
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return ROOT_INO;
    return 0;
}

static int initrd_name_of(struct inode *dir, unsigned long ino, char *name)
{
    if (ino < 2 || ino >= (unsigned long)nr_files + 2)
        return -ENOENT;
    strlcpy(name, files[ino - 2].name, NAME_MAX + 1);
    return (int)strlen(name);
}

/* Everything that would change the archive. */
static int initrd_rofs(void) { return -EROFS; }

static struct inode_operations initrd_dir_iops = {
    .lookup = initrd_fs_lookup,
    .create = (void *)initrd_rofs,
    .mkdir = (void *)initrd_rofs,
    .symlink = (void *)initrd_rofs,
    .link = (void *)initrd_rofs,
    .unlink = (void *)initrd_rofs,
    .rmdir = (void *)initrd_rofs,
    .rename = (void *)initrd_rofs,
    .name_of = initrd_name_of,
};

static struct inode_operations initrd_file_iops = {
    .truncate = (void *)initrd_rofs,
};

/* readpage: copy the page's part of the file from the archive. */
static int initrd_readpage(struct page *page)
{
    const struct initrd_file *f = &files[page->mapping->inode->i_ino - 2];
    unsigned long off = page->index << PAGE_SHIFT;
    unsigned long n = off < f->size ? min(PAGE_SIZE, f->size - off) : 0;
    memcpy(page_address(page), f->data + off, n);
    memset((char *)page_address(page) + n, 0, PAGE_SIZE - n);
    SetPageUptodate(page);
    unlock_page(page);
    return 0;
}

static struct address_space_operations initrd_aops = {
    .readpage = initrd_readpage,
};

static long initrd_readdir(struct file *file, void *buf, unsigned long count);

static struct file_operations initrd_dir_fops = {
    .readdir = initrd_readdir,
};

static struct file_operations initrd_file_fops = {
    .read = generic_file_read,
    .mmap = generic_file_mmap,
};

static int initrd_read_inode(struct inode *inode)
{
    inode->i_nlink = 1;
    inode->i_data.a_ops = &initrd_aops;
    if (inode->i_ino == ROOT_INO) {
        inode->i_mode = S_IFDIR | 0755;
        inode->i_nlink = 2;
        inode->i_op = &initrd_dir_iops;
        inode->i_fop = &initrd_dir_fops;
        return 0;
    }
    if (inode->i_ino < 2 || inode->i_ino >= (unsigned long)nr_files + 2)
        return -ENOENT;
    inode->i_mode = S_IFREG | 0755;
    inode->i_size = files[inode->i_ino - 2].size;
    inode->i_op = &initrd_file_iops;
    inode->i_fop = &initrd_file_fops;
    return 0;
}

static struct super_operations initrd_sops = {
    .read_inode = initrd_read_inode,
};

static struct super_block initrd_sb = {
    .s_blocksize = PAGE_SIZE,
    .s_nodev = 1,
    .s_rdonly = 1,
    .s_dev = 0x0100,                    /* ram0 */
    .s_op = &initrd_sops,
    .s_dirty = LIST_HEAD_INIT(initrd_sb.s_dirty),
};

/* getdents64 of the root: ".", "..", then the files; f_pos counts entries. */
static long initrd_readdir(struct file *file, void *ubuf, unsigned long count)
{
    struct dirent64 { u64 ino; s64 off; u16 reclen; u8 type; char name[]; } __attribute__((packed));
    char kbuf[sizeof(struct dirent64) + INITRD_NAME_MAX + 8];
    unsigned long done = 0;
    for (; file->f_pos < nr_files + 2; file->f_pos++) {
        long i = (long)file->f_pos;
        const char *name = i == 0 ? "." : i == 1 ? ".." : files[i - 2].name;
        unsigned reclen = ALIGN(sizeof(struct dirent64) + strlen(name) + 1, 8);
        if (done + reclen > count)
            return done ? (long)done : -EINVAL;
        struct dirent64 *d = (struct dirent64 *)kbuf;
        memset(kbuf, 0, reclen);
        d->ino = i < 2 ? ROOT_INO : (u64)i;
        d->off = i + 1;
        d->reclen = reclen;
        d->type = i < 2 ? 4 : 8;
        strcpy(d->name, name);
        if (copy_to_user((char *)ubuf + done, kbuf, reclen))
            return -EFAULT;
        done += reclen;
    }
    return done;
}

int initrd_mount_root(void)
{
    struct inode *root = iget(&initrd_sb, ROOT_INO);
    if (!root)
        return 0;
    initrd_sb.s_root = root;
    root_sb = &initrd_sb;
    printk("VFS: Mounted root (initrd, %d files).\n", nr_files);
    return 1;
}
