/* ext2 directories (Linux 2.4's fs/ext2/dir.c): a directory's blocks are
 * lists of entries (inode, rec_len, name_len, file_type, name), each
 * rec_len bytes long to the next; a block's entries cover it exactly. An
 * unused entry has inode 0 or sits in the slack of the one before it.
 * Directory blocks go through the buffer cache. Entries that break those
 * rules (a hostile or damaged volume) end the walk of their block with a
 * console line, never a crash. */
#include <kernel.h>
#include "ext2.h"
#include "check.h"
#include <uaccess.h>

#define BSIZE 1024

/* Is the entry at offset off of a block sane? */
static int entry_ok(struct inode *dir, const struct ext2_dir_entry_2 *de, unsigned off)
{
    if (ext2_dir_entry_ok(de, off))     /* check.c */
        return 1;
    if (off > BSIZE - 8)                /* not even an entry's header fits: no fields to print */
        printk("EXT2-fs error: bad entry in directory #%lu at offset %u (past the last entry's room)\n",
               dir->i_ino, off);
    else
        printk("EXT2-fs error: bad entry in directory #%lu at offset %u (rec_len %u, name_len %u)\n",
               dir->i_ino, off, de->rec_len, de->name_len);
    return 0;
}

/* The buffer of directory block n (NULL: a hole or an I/O error). */
static struct buffer_head *dir_block(struct inode *dir, unsigned long n)
{
    long b = ext2_get_block(dir, n, 0, 0);
    return b > 0 ? bread(dir->i_sb, b) : NULL;
}

static unsigned long dir_blocks(struct inode *dir)
{
    return (unsigned long)((dir->i_size + BSIZE - 1) / BSIZE);
}

static int name_is(const struct ext2_dir_entry_2 *de, const char *name, int len)
{
    return de->inode && de->name_len == len && !memcmp(de->name, name, len);
}

/* "." or "..". */
static int is_dots(const struct ext2_dir_entry_2 *de)
{
    return (de->name_len == 1 && de->name[0] == '.') ||
           (de->name_len == 2 && de->name[0] == '.' && de->name[1] == '.');
}

typedef int (*entry_match)(const struct ext2_dir_entry_2 *de, const void *ctx);

/* Walk dir's entries in order, block by block: the buffer (referenced) of
 * the first one match is true of, *res that entry and *prev (when asked)
 * the one before it in its block (NULL if first). NULL if none is. */
static struct buffer_head *find_entry_if(struct inode *dir, entry_match match, const void *ctx,
                                         struct ext2_dir_entry_2 **res, struct ext2_dir_entry_2 **prev)
{
    for (unsigned long n = 0; n < dir_blocks(dir); n++) {
        struct buffer_head *bh = dir_block(dir, n);
        if (!bh)
            continue;
        struct ext2_dir_entry_2 *p = NULL;
        for (unsigned off = 0; off < BSIZE;) {
            struct ext2_dir_entry_2 *de = (struct ext2_dir_entry_2 *)(bh->b_data + off);
            if (!entry_ok(dir, de, off))
                break;
            if (match(de, ctx)) {
                *res = de;
                if (prev)
                    *prev = p;
                return bh;
            }
            p = de;
            off += de->rec_len;
        }
        brelse(bh);
    }
    return NULL;
}

struct name { const char *s; int len; };

static int match_name(const struct ext2_dir_entry_2 *de, const void *ctx)
{
    const struct name *nm = ctx;
    return name_is(de, nm->s, nm->len);
}

/* Find name in dir (find_entry_if). */
static struct buffer_head *find_entry(struct inode *dir, const char *name, int len,
                                      struct ext2_dir_entry_2 **res, struct ext2_dir_entry_2 **prev)
{
    struct name nm = { name, len };
    return find_entry_if(dir, match_name, &nm, res, prev);
}

long ext2_inode_by_name(struct inode *dir, const char *name, int len)
{
    struct ext2_dir_entry_2 *de;
    struct buffer_head *bh = find_entry(dir, name, len, &de, NULL);
    if (!bh)
        return 0;
    long ino = de->inode;
    brelse(bh);
    return ino;
}

static u8 file_type(int mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return EXT2_FT_REG_FILE;
    case S_IFDIR: return EXT2_FT_DIR;
    case S_IFLNK: return EXT2_FT_SYMLINK;
    case S_IFCHR: return EXT2_FT_CHRDEV;
    case S_IFBLK: return EXT2_FT_BLKDEV;
    case S_IFIFO: return EXT2_FT_FIFO;
    case S_IFSOCK: return EXT2_FT_SOCK;
    default: return EXT2_FT_UNKNOWN;
    }
}

/* Write an entry's fields. */
static void set_entry(struct ext2_dir_entry_2 *de, struct inode *inode, const char *name, int len)
{
    de->inode = inode->i_ino;
    de->name_len = len;
    de->file_type = file_type(inode->i_mode);
    memcpy(de->name, name, len);
}

/* The directory changed. */
static void dir_touched(struct inode *dir)
{
    dir->i_mtime = dir->i_ctime = current_time();
    mark_inode_dirty(dir);
}

/* ext2_add_link's walk: the entry named so (taken) or the first with room
 * for an entry of need bytes after its own. */
struct add_ctx { struct name nm; unsigned need; };

/* The bytes an entry's own name needs (0: unused); the rest is slack. */
static unsigned rec_used(const struct ext2_dir_entry_2 *de)
{
    return de->inode ? EXT2_DIR_REC_LEN(de->name_len) : 0;
}

static int match_add(const struct ext2_dir_entry_2 *de, const void *ctx)
{
    const struct add_ctx *a = ctx;
    return name_is(de, a->nm.s, a->nm.len) || de->rec_len - rec_used(de) >= a->need;
}

int ext2_add_link(struct inode *dir, const char *name, int len, struct inode *inode)
{
    struct add_ctx a = { { name, len }, EXT2_DIR_REC_LEN(len) };
    struct ext2_dir_entry_2 *de;
    struct buffer_head *bh = find_entry_if(dir, match_add, &a, &de, NULL);
    if (bh) {
        if (name_is(de, name, len)) {
            brelse(bh);
            return -EEXIST;
        }
        unsigned used = rec_used(de);
        if (used) {                     /* split: the new entry takes the slack */
            struct ext2_dir_entry_2 *ne = (struct ext2_dir_entry_2 *)((char *)de + used);
            ne->rec_len = de->rec_len - used;
            de->rec_len = used;
            de = ne;
        }
        set_entry(de, inode, name, len);
        mark_buffer_dirty(bh);
        brelse(bh);
        dir_touched(dir);
        return 0;
    }
    /* no room: a new block at the end */
    unsigned long n = dir_blocks(dir);
    long b = ext2_get_block(dir, n, 1, 1);
    if (b < 0)
        return (int)b;
    bh = bread(dir->i_sb, b);
    if (!bh)
        return -EIO;
    de = (struct ext2_dir_entry_2 *)bh->b_data;
    de->rec_len = BSIZE;
    set_entry(de, inode, name, len);
    mark_buffer_dirty(bh);
    brelse(bh);
    dir->i_size = (unsigned long long)(n + 1) * BSIZE;
    dir_touched(dir);
    return 0;
}

int ext2_delete_entry(struct inode *dir, const char *name, int len, unsigned long *ino)
{
    struct ext2_dir_entry_2 *de, *prev;
    struct buffer_head *bh = find_entry(dir, name, len, &de, &prev);
    if (!bh)
        return -ENOENT;
    *ino = de->inode;
    if (prev)
        prev->rec_len += de->rec_len;   /* the one before takes its room */
    else
        de->inode = 0;
    mark_buffer_dirty(bh);
    brelse(bh);
    dir_touched(dir);
    return 0;
}

int ext2_set_link(struct inode *dir, const char *name, int len, struct inode *inode)
{
    struct ext2_dir_entry_2 *de;
    struct buffer_head *bh = find_entry(dir, name, len, &de, NULL);
    if (!bh)
        return -ENOENT;
    de->inode = inode->i_ino;
    de->file_type = file_type(inode->i_mode);
    mark_buffer_dirty(bh);
    brelse(bh);
    dir_touched(dir);
    return 0;
}

int ext2_make_empty(struct inode *inode, struct inode *parent)
{
    long b = ext2_get_block(inode, 0, 1, 1);
    if (b < 0)
        return (int)b;
    struct buffer_head *bh = bread(inode->i_sb, b);
    if (!bh)
        return -EIO;
    struct ext2_dir_entry_2 *de = (struct ext2_dir_entry_2 *)bh->b_data;
    de->rec_len = EXT2_DIR_REC_LEN(1);
    set_entry(de, inode, ".", 1);
    de = (struct ext2_dir_entry_2 *)(bh->b_data + EXT2_DIR_REC_LEN(1));
    de->rec_len = BSIZE - EXT2_DIR_REC_LEN(1);
    set_entry(de, parent, "..", 2);
    mark_buffer_dirty(bh);
    brelse(bh);
    inode->i_size = BSIZE;
    mark_inode_dirty(inode);
    return 0;
}

static int match_used(const struct ext2_dir_entry_2 *de, const void *ctx)
{
    (void)ctx;
    return de->inode && !is_dots(de);
}

int ext2_empty_dir(struct inode *inode)
{
    struct ext2_dir_entry_2 *de;
    struct buffer_head *bh = find_entry_if(inode, match_used, NULL, &de, NULL);
    if (!bh)
        return 1;
    brelse(bh);
    return 0;
}

/* getdents64's record. */
struct linux_dirent64 {
    u64 d_ino;
    s64 d_off;                      /* the position of the next one */
    u16 d_reclen;
    u8 d_type;
    char d_name[];
} __attribute__((packed));

long ext2_readdir(struct file *file, void *ubuf, unsigned long count)
{
    struct inode *dir = file->f_inode;
    char kbuf[sizeof(struct linux_dirent64) + NAME_MAX + 1 + 8];
    unsigned long done = 0;
    while (file->f_pos < (long long)dir->i_size) {
        unsigned long n = file->f_pos / BSIZE;
        unsigned off = file->f_pos % BSIZE;
        struct buffer_head *bh = dir_block(dir, n);
        if (!bh) {
            file->f_pos = (long long)(n + 1) * BSIZE;   /* a hole: skip it */
            continue;
        }
        /* find the first entry at or after off (off may be stale) */
        unsigned pos = 0;
        while (pos < off) {
            struct ext2_dir_entry_2 *de = (struct ext2_dir_entry_2 *)(bh->b_data + pos);
            if (!entry_ok(dir, de, pos)) {
                pos = BSIZE;
                break;
            }
            pos += de->rec_len;
        }
        while (pos < BSIZE) {
            struct ext2_dir_entry_2 *de = (struct ext2_dir_entry_2 *)(bh->b_data + pos);
            if (!entry_ok(dir, de, pos)) {
                pos = BSIZE;
                break;
            }
            if (de->inode) {
                unsigned reclen = ALIGN(sizeof(struct linux_dirent64) + de->name_len + 1, 8);
                if (done + reclen > count) {
                    brelse(bh);
                    file->f_pos = (long long)n * BSIZE + pos;
                    return done ? (long)done : -EINVAL;
                }
                struct linux_dirent64 *d = (struct linux_dirent64 *)kbuf;
                memset(kbuf, 0, reclen);
                d->d_ino = de->inode;
                d->d_off = (long long)n * BSIZE + pos + de->rec_len;
                d->d_reclen = reclen;
                static const u8 dt[EXT2_FT_MAX] = { 0, 8, 4, 2, 6, 1, 12, 10 };
                d->d_type = de->file_type < EXT2_FT_MAX ? dt[de->file_type] : 0;
                memcpy(d->d_name, de->name, de->name_len);
                if (copy_to_user((char *)ubuf + done, kbuf, reclen)) {
                    brelse(bh);
                    return -EFAULT;
                }
                done += reclen;
            }
            pos += de->rec_len;
        }
        brelse(bh);
        file->f_pos = (long long)(n + 1) * BSIZE;
    }
    return done;
}

struct file_operations ext2_dir_operations = {
    .readdir = ext2_readdir,
};

static int match_ino(const struct ext2_dir_entry_2 *de, const void *ctx)
{
    return de->inode == *(const unsigned long *)ctx && !is_dots(de);
}

int ext2_name_of(struct inode *dir, unsigned long ino, char *name)
{
    struct ext2_dir_entry_2 *de;
    struct buffer_head *bh = find_entry_if(dir, match_ino, &ino, &de, NULL);
    if (!bh)
        return -ENOENT;
    int len = de->name_len;
    memcpy(name, de->name, len);
    name[len] = 0;
    brelse(bh);
    return len;
}
