/* ext2 names (Linux 2.4's fs/ext2/namei.c and symlink.c): creating and
 * removing files, directories, hard links and symbolic links, renaming,
 * and reading links. Link counts follow the ext2 rules e2fsck checks: a
 * file counts its names; a directory counts its name, its own "." and the
 * ".." of each subdirectory. A symbolic link whose target fits in the
 * inode's block pointers (under 60 bytes) keeps it there (a fast link);
 * a longer one gets a block. The VFS (fs/namei.c) has checked the
 * arguments' types and existence before these run, under the directories'
 * i_sem. */
#include <kernel.h>
#include "ext2.h"
#include <uaccess.h>

static long ext2_lookup(struct inode *dir, const char *name, int len)
{
    return ext2_inode_by_name(dir, name, len);
}

/* A new inode of mode named name in dir; referenced in *res. */
static int ext2_create(struct inode *dir, const char *name, int len, int mode, struct inode **res)
{
    int err;
    struct inode *inode = ext2_new_inode(dir, mode, &err);
    if (!inode)
        return err;
    err = ext2_add_link(dir, name, len, inode);
    if (err) {
        inode->i_nlink = 0;             /* iput deletes it */
        iput(inode);
        return err;
    }
    *res = inode;
    return 0;
}

static int ext2_mkdir(struct inode *dir, const char *name, int len, int mode)
{
    if (dir->i_nlink >= EXT2_LINK_MAX)
        return -EMLINK;
    int err;
    struct inode *inode = ext2_new_inode(dir, S_IFDIR | (mode & S_IALLUGO), &err);
    if (!inode)
        return err;
    inode->i_nlink = 2;                 /* its name and its "." */
    err = ext2_make_empty(inode, dir);
    if (!err)
        err = ext2_add_link(dir, name, len, inode);
    if (err) {
        inode->i_nlink = 0;
        iput(inode);
        return err;
    }
    dir->i_nlink++;                     /* the new ".." */
    mark_inode_dirty(dir);
    iput(inode);
    return 0;
}

static int ext2_symlink(struct inode *dir, const char *name, int len, const char *target)
{
    size_t tlen = strlen(target);
    if (tlen + 1 > dir->i_sb->s_blocksize)
        return -ENAMETOOLONG;
    int err;
    struct inode *inode = ext2_new_inode(dir, S_IFLNK | 0777, &err);
    if (!inode)
        return err;
    if (tlen < sizeof inode->u.ext2_i.i_data) {
        /* fast: the target in the 60 bytes of block pointers (15 u32, on
         * disk as in memory on i386) */
        memset(inode->u.ext2_i.i_data, 0, sizeof inode->u.ext2_i.i_data);
        memcpy(inode->u.ext2_i.i_data, target, tlen);
    } else {
        long b = ext2_get_block(inode, 0, 1, 1);
        struct buffer_head *bh = b > 0 ? bread(dir->i_sb, b) : NULL;
        if (!bh) {
            inode->i_nlink = 0;
            iput(inode);
            return b < 0 ? (int)b : -EIO;
        }
        memcpy(bh->b_data, target, tlen);
        mark_buffer_dirty(bh);
        brelse(bh);
    }
    inode->i_size = tlen;
    mark_inode_dirty(inode);
    err = ext2_add_link(dir, name, len, inode);
    if (err)
        inode->i_nlink = 0;
    iput(inode);
    return err;
}

static int ext2_link(struct inode *inode, struct inode *dir, const char *name, int len)
{
    if (inode->i_nlink >= EXT2_LINK_MAX)
        return -EMLINK;
    int err = ext2_add_link(dir, name, len, inode);
    if (err)
        return err;
    inode->i_nlink++;
    inode->i_ctime = current_time();
    mark_inode_dirty(inode);
    return 0;
}

static int ext2_unlink(struct inode *dir, const char *name, int len)
{
    unsigned long ino;
    int err = ext2_delete_entry(dir, name, len, &ino);
    if (err)
        return err;
    struct inode *inode = iget(dir->i_sb, ino);
    if (!inode)
        return 0;                       /* a name of a free inode: it is gone now */
    if (inode->i_nlink)
        inode->i_nlink--;
    inode->i_ctime = dir->i_ctime;
    mark_inode_dirty(inode);
    iput(inode);                        /* the last reference of the last name deletes it */
    return 0;
}

static int ext2_rmdir(struct inode *dir, const char *name, int len)
{
    long ino = ext2_inode_by_name(dir, name, len);
    if (ino <= 0)
        return ino ? (int)ino : -ENOENT;
    struct inode *inode = iget(dir->i_sb, ino);
    if (!inode)
        return -EIO;
    int err = 0;
    if (!ext2_empty_dir(inode)) {
        err = -ENOTEMPTY;
    } else {
        unsigned long dummy;
        err = ext2_delete_entry(dir, name, len, &dummy);
        if (!err) {
            inode->i_nlink = 0;         /* its name and its "." */
            inode->i_size = 0;
            inode->i_ctime = current_time();
            mark_inode_dirty(inode);
            dir->i_nlink--;             /* its ".." */
            mark_inode_dirty(dir);
        }
    }
    iput(inode);
    return err;
}

static int ext2_rename(struct inode *old_dir, const char *old_name, int old_len,
                       struct inode *new_dir, const char *new_name, int new_len)
{
    long ino = ext2_inode_by_name(old_dir, old_name, old_len);
    if (ino <= 0)
        return ino ? (int)ino : -ENOENT;
    struct inode *old = iget(old_dir->i_sb, ino), *target = NULL;
    if (!old)
        return -EIO;
    int err = 0;
    long tino = ext2_inode_by_name(new_dir, new_name, new_len);
    if (tino < 0) {
        err = (int)tino;
        goto out;
    }
    if (tino == (long)old->i_ino)
        goto out;                       /* two names of one inode: nothing to do */
    if (tino) {
        target = iget(new_dir->i_sb, tino);
        if (!target) {
            err = -EIO;
            goto out;
        }
        if (S_ISDIR(old->i_mode) && !S_ISDIR(target->i_mode)) {
            err = -ENOTDIR;
            goto out;
        }
        if (!S_ISDIR(old->i_mode) && S_ISDIR(target->i_mode)) {
            err = -EISDIR;
            goto out;
        }
        if (S_ISDIR(target->i_mode) && !ext2_empty_dir(target)) {
            err = -ENOTEMPTY;
            goto out;
        }
        err = ext2_set_link(new_dir, new_name, new_len, old);
        if (err)
            goto out;
        if (S_ISDIR(target->i_mode)) {
            target->i_nlink = 0;
            target->i_size = 0;
            new_dir->i_nlink--;         /* the replaced directory's ".." went */
        } else {
            target->i_nlink--;
        }
        target->i_ctime = current_time();
        mark_inode_dirty(target);
    } else {
        if (S_ISDIR(old->i_mode) && new_dir != old_dir && new_dir->i_nlink >= EXT2_LINK_MAX) {
            err = -EMLINK;
            goto out;
        }
        err = ext2_add_link(new_dir, new_name, new_len, old);
        if (err)
            goto out;
    }
    unsigned long dummy;
    ext2_delete_entry(old_dir, old_name, old_len, &dummy);
    if (S_ISDIR(old->i_mode)) {
        /* its ".." names new_dir instead of old_dir (the same one or not) */
        if (new_dir != old_dir)
            ext2_set_link(old, "..", 2, new_dir);
        old_dir->i_nlink--;
        new_dir->i_nlink++;
    }
    old->i_ctime = current_time();
    mark_inode_dirty(old);
    mark_inode_dirty(old_dir);
    mark_inode_dirty(new_dir);
out:
    iput(target);
    iput(old);
    return err;
}

static int ext2_readlink(struct inode *inode, char *buf, int size)
{
    unsigned long len = (unsigned long)min(inode->i_size, (unsigned long long)size);
    if (inode->i_blocks == 0) {
        if (len > sizeof inode->u.ext2_i.i_data)
            len = sizeof inode->u.ext2_i.i_data;
        memcpy(buf, inode->u.ext2_i.i_data, len);
        return (int)len;
    }
    long b = ext2_get_block(inode, 0, 0, 0);
    struct buffer_head *bh = b > 0 ? bread(inode->i_sb, b) : NULL;
    if (!bh)
        return -EIO;
    if (len > inode->i_sb->s_blocksize)
        len = inode->i_sb->s_blocksize;
    memcpy(buf, bh->b_data, len);
    brelse(bh);
    return (int)len;
}

struct inode_operations ext2_dir_inode_operations = {
    .lookup = ext2_lookup,
    .create = ext2_create,
    .mkdir = ext2_mkdir,
    .symlink = ext2_symlink,
    .link = ext2_link,
    .unlink = ext2_unlink,
    .rmdir = ext2_rmdir,
    .rename = ext2_rename,
    .truncate = ext2_truncate,
    .name_of = ext2_name_of,
};

struct inode_operations ext2_file_inode_operations = {
    .truncate = ext2_truncate,
};

struct inode_operations ext2_symlink_inode_operations = {
    .readlink = ext2_readlink,
};

/* fsync: the file's pages, its inode and every dirty buffer, waited for. */
static int ext2_fsync(struct file *file)
{
    struct inode *inode = file->f_inode;
    filemap_fdatasync(inode->i_mapping, 1);
    ext2_write_inode(inode, 1);
    sync_buffers(1, 0);
    return 0;
}

struct file_operations ext2_file_operations = {
    .read = generic_file_read,
    .write = generic_file_write,
    .mmap = generic_file_mmap,
    .fsync = ext2_fsync,
};
