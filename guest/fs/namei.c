/* Path names (Linux 2.4's fs/namei.c, without the dentry cache): a path is
 * walked from "/" or the task's working directory one component at a time
 * through i_op->lookup; "." stays, ".." goes up (and stays at the root);
 * a symbolic link met on the way (or at the end, when followed) is read and
 * walked from the directory holding it, and a lookup gives ELOOP after
 * MAX_LINK_COUNT (40) links, as Linux does. The name system calls (mkdir,
 * rmdir, unlink, link, symlink, rename, readlink) check what POSIX and the
 * host kernel check, then call the directory's inode operation under its
 * i_sem. */
#include <kernel.h>
#include <fs.h>
#include <mm.h>
#include <sched.h>
#include <uaccess.h>

char *getname(const char *upath, long *err)
{
    char *page = (char *)__get_free_page(GFP_KERNEL);
    if (!page) {
        *err = -ENOMEM;
        return NULL;
    }
    long n = strncpy_from_user(page, upath, PAGE_SIZE);
    if (n < 0 || n == 0) {
        *err = n < 0 ? n : -ENOENT;     /* "" names nothing */
        free_page((unsigned long)page);
        return NULL;
    }
    return page;
}

void putname(char *name)
{
    free_page((unsigned long)name);
}

/* The task's working directory (the root's when it has none). */
static struct inode *cwd(void)
{
    return current->pwd ? current->pwd : root_sb->s_root;
}

static int walk(const char *path, struct inode *start, int follow_last, int *links, struct inode **res);

/* Follow the symbolic link inode found in dir: the inode it names. */
static int follow_link(struct inode *dir, struct inode *link, int *links, struct inode **res)
{
    if (++*links > MAX_LINK_COUNT)
        return -ELOOP;
    char *target = (char *)__get_free_page(GFP_KERNEL);
    if (!target)
        return -ENOMEM;
    int n = link->i_op->readlink(link, target, PAGE_SIZE - 1);
    int err = n;
    if (n >= 0) {
        target[n] = 0;
        err = n ? walk(target, dir, 1, links, res) : -ENOENT;
    }
    free_page((unsigned long)target);
    return err;
}

/* Walk path from start (or "/" for an absolute path). */
static int walk(const char *path, struct inode *start, int follow_last, int *links, struct inode **res)
{
    struct inode *inode = igrab(*path == '/' ? root_sb->s_root : start);
    while (*path == '/')
        path++;
    while (*path) {
        const char *name = path;
        int len = 0;
        while (name[len] && name[len] != '/')
            len++;
        const char *next = name + len;
        int trailing = *next == '/';
        while (*next == '/')
            next++;
        int last = !*next;
        int err = 0;
        struct inode *child = NULL;
        if (len > NAME_MAX)
            err = -ENAMETOOLONG;
        else if (!S_ISDIR(inode->i_mode))
            err = -ENOTDIR;
        else if (len == 1 && name[0] == '.')
            child = igrab(inode);
        else if (len == 2 && name[0] == '.' && name[1] == '.' && inode == root_sb->s_root)
            child = igrab(inode);
        else if (len == 2 && name[0] == '.' && name[1] == '.' && mountpoint_of(inode)) {
            /* ".." of a mounted root: the parent of the directory it is mounted on */
            struct inode *mp = mountpoint_of(inode);
            long ino = mp->i_op->lookup(mp, "..", 2);
            if (ino <= 0)
                err = ino ? (int)ino : -ENOENT;
            else if (!(child = iget(mp->i_sb, ino)))
                err = -EIO;
        } else {
            long ino = inode->i_op->lookup(inode, name, len);
            if (ino <= 0)
                err = ino ? (int)ino : -ENOENT;
            else if (!(child = iget(inode->i_sb, ino)))
                err = -EIO;
        }
        struct inode *mnt = err ? NULL : mounted_root(child);
        if (mnt) {
            iput(child);
            child = igrab(mnt);
        }
        if (!err && S_ISLNK(child->i_mode) && (!last || follow_last || trailing)) {
            struct inode *target;
            err = follow_link(inode, child, links, &target);
            iput(child);
            child = err ? NULL : target;
        }
        iput(inode);
        if (err)
            return err;
        inode = child;
        if (trailing && last && !S_ISDIR(inode->i_mode)) {
            iput(inode);
            return -ENOTDIR;
        }
        path = next;
    }
    *res = inode;
    return 0;
}

int path_lookup(const char *path, int follow, struct inode **res)
{
    int links = 0;
    if (!root_sb)
        return -ENOENT;
    return walk(path, cwd(), follow, &links, res);
}

long user_path_walk(const char *upath, int follow, struct inode **res)
{
    long err;
    char *path = getname(upath, &err);
    if (!path)
        return err;
    err = path_lookup(path, follow, res);
    putname(path);
    return err;
}

int path_parent(const char *path, struct inode **dir, const char **name, int *len)
{
    if (!root_sb)
        return -ENOENT;
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;                            /* "a/b/" names b */
    size_t start = n;
    while (start > 0 && path[start - 1] != '/')
        start--;
    *name = path + start;
    *len = (int)(n - start);
    if (*len > NAME_MAX)
        return -ENAMETOOLONG;
    char *dirpath = (char *)__get_free_page(GFP_KERNEL);
    if (!dirpath)
        return -ENOMEM;
    memcpy(dirpath, path, start);
    dirpath[start] = 0;
    int links = 0;
    int err = walk(start ? dirpath : ".", cwd(), 1, &links, dir);
    free_page((unsigned long)dirpath);
    if (!err && !S_ISDIR((*dir)->i_mode)) {
        iput(*dir);
        err = -ENOTDIR;
    }
    return err;
}

/* Is name "." or ".."? */
static int is_dots(const char *name, int len)
{
    return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

/* The inode a name in dir names, without following a link (0 if none). */
static long name_ino(struct inode *dir, const char *name, int len)
{
    return dir->i_op->lookup(dir, name, len);
}

/* Copy a user path, find its parent, and run op on (dir, name) with the
 * directory's lock held; the common part of the name system calls. */
static long with_parent(const char *upath, long (*op)(struct inode *, const char *, int, void *), void *arg)
{
    long err;
    char *path = getname(upath, &err);
    if (!path)
        return err;
    struct inode *dir;
    const char *name;
    int len;
    err = path_parent(path, &dir, &name, &len);
    if (!err) {
        down(&dir->i_sem);
        err = dir->i_sb->s_rdonly ? -EROFS : op(dir, name, len, arg);
        up(&dir->i_sem);
        iput(dir);
    }
    putname(path);
    return err;
}

static long do_mkdir(struct inode *dir, const char *name, int len, void *arg)
{
    if (!len || is_dots(name, len))
        return -EEXIST;
    long ino = name_ino(dir, name, len);
    if (ino)
        return ino < 0 ? ino : -EEXIST;
    if (!dir->i_op->mkdir)
        return -EPERM;
    return dir->i_op->mkdir(dir, name, len, (int)(unsigned long)arg);
}

long sys_mkdir(const char *path, int mode)
{
    return with_parent(path, do_mkdir, (void *)(unsigned long)(mode & 07777 & ~current->umask));
}

/* The inode named (name, len) in dir, referenced, or an errno. */
static long get_named(struct inode *dir, const char *name, int len, struct inode **res)
{
    long ino = name_ino(dir, name, len);
    if (ino <= 0)
        return ino ? ino : -ENOENT;
    *res = iget(dir->i_sb, ino);
    return *res ? 0 : -EIO;
}

static long do_rmdir(struct inode *dir, const char *name, int len, void *arg)
{
    if (!len)
        return -EBUSY;                  /* "/" */
    if (len == 1 && name[0] == '.')
        return -EINVAL;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return -ENOTEMPTY;
    struct inode *inode;
    long err = get_named(dir, name, len, &inode);
    if (err)
        return err;
    if (!S_ISDIR(inode->i_mode))
        err = -ENOTDIR;
    else if (inode == root_sb->s_root || inode == current->pwd)
        err = -EBUSY;
    iput(inode);
    return err ? err : dir->i_op->rmdir(dir, name, len);
}

long sys_rmdir(const char *path)
{
    return with_parent(path, do_rmdir, NULL);
}

static long do_unlink(struct inode *dir, const char *name, int len, void *arg)
{
    if (!len || is_dots(name, len))
        return -EISDIR;
    struct inode *inode;
    long err = get_named(dir, name, len, &inode);
    if (err)
        return err;
    if (S_ISDIR(inode->i_mode))
        err = -EISDIR;
    iput(inode);
    return err ? err : dir->i_op->unlink(dir, name, len);
}

long sys_unlink(const char *path)
{
    return with_parent(path, do_unlink, NULL);
}

static long do_symlink(struct inode *dir, const char *name, int len, void *target)
{
    if (!len || is_dots(name, len))
        return -EEXIST;
    long ino = name_ino(dir, name, len);
    if (ino)
        return ino < 0 ? ino : -EEXIST;
    return dir->i_op->symlink(dir, name, len, target);
}

long sys_symlink(const char *utarget, const char *path)
{
    long err;
    char *target = getname(utarget, &err);
    if (!target)
        return err;
    err = with_parent(path, do_symlink, target);
    putname(target);
    return err;
}

static long do_link(struct inode *dir, const char *name, int len, void *old)
{
    struct inode *inode = old;
    if (!len || is_dots(name, len))
        return -EEXIST;
    if (S_ISDIR(inode->i_mode))
        return -EPERM;
    long ino = name_ino(dir, name, len);
    if (ino)
        return ino < 0 ? ino : -EEXIST;
    return dir->i_op->link(inode, dir, name, len);
}

long sys_link(const char *uold, const char *unew)
{
    struct inode *inode;
    long err = user_path_walk(uold, 0, &inode);
    if (err)
        return err;
    err = with_parent(unew, do_link, inode);
    iput(inode);
    return err;
}

long sys_readlink(const char *upath, char *ubuf, int size)
{
    if (size <= 0)
        return -EINVAL;
    struct inode *inode;
    long err = user_path_walk(upath, 0, &inode);
    if (err)
        return err;
    if (!S_ISLNK(inode->i_mode)) {
        iput(inode);
        return -EINVAL;
    }
    char *buf = (char *)__get_free_page(GFP_KERNEL);
    err = buf ? inode->i_op->readlink(inode, buf, min(size, (int)PAGE_SIZE)) : -ENOMEM;
    if (err > 0 && copy_to_user(ubuf, buf, err))
        err = -EFAULT;
    if (buf)
        free_page((unsigned long)buf);
    iput(inode);
    return err;
}

/* Is dir inside the tree of top (or top itself)? Walks ".." up to "/". */
static int is_subdir(struct inode *dir, struct inode *top)
{
    struct inode *d = igrab(dir);
    for (;;) {
        if (d == top) {
            iput(d);
            return 1;
        }
        if (d == root_sb->s_root) {
            iput(d);
            return 0;
        }
        long ino = d->i_op->lookup(d, "..", 2);
        struct inode *up = ino > 0 ? iget(d->i_sb, ino) : NULL;
        iput(d);
        if (!up)
            return 0;
        d = up;
    }
}

long sys_rename(const char *uold, const char *unew)
{
    long err;
    char *old = getname(uold, &err);
    if (!old)
        return err;
    char *new = getname(unew, &err);
    if (!new) {
        putname(old);
        return err;
    }
    struct inode *odir, *ndir, *src = NULL;
    const char *oname, *nname;
    int olen, nlen;
    err = path_parent(old, &odir, &oname, &olen);
    if (err)
        goto out;
    err = path_parent(new, &ndir, &nname, &nlen);
    if (err)
        goto out_odir;
    if (!olen || !nlen || is_dots(oname, olen) || is_dots(nname, nlen)) {
        err = !olen || !nlen ? -EBUSY : -EINVAL;
        goto out_ndir;
    }
    err = get_named(odir, oname, olen, &src);
    if (err)
        goto out_ndir;
    if (S_ISDIR(src->i_mode) && is_subdir(ndir, src)) {
        err = -EINVAL;                  /* into its own tree */
        goto out_ndir;
    }
    down(&odir->i_sem);
    if (ndir != odir)
        down(&ndir->i_sem);
    err = odir->i_op->rename(odir, oname, olen, ndir, nname, nlen);
    if (ndir != odir)
        up(&ndir->i_sem);
    up(&odir->i_sem);
out_ndir:
    iput(src);
    iput(ndir);
out_odir:
    iput(odir);
out:
    putname(new);
    putname(old);
    return err;
}

/* open's lookup: the inode to open (referenced), creating a regular file
 * with O_CREAT. */
int open_namei(const char *path, unsigned flags, int mode, struct inode **res)
{
    if (!(flags & O_CREAT)) {
        int err = path_lookup(path, !(flags & O_NOFOLLOW), res);
        if (!err && (flags & O_NOFOLLOW) && S_ISLNK((*res)->i_mode)) {
            iput(*res);
            return -ELOOP;
        }
        return err;
    }
    struct inode *dir;
    const char *name;
    int len;
    int err = path_parent(path, &dir, &name, &len);
    if (err)
        return err;
    if (!len || path[strlen(path) - 1] == '/' || is_dots(name, len)) {
        iput(dir);
        return -EISDIR;
    }
    down(&dir->i_sem);
    long ino = name_ino(dir, name, len);
    if (ino < 0) {
        err = (int)ino;
    } else if (ino) {
        if (flags & O_EXCL) {
            err = -EEXIST;
        } else {
            struct inode *inode = iget(dir->i_sb, ino);
            if (!inode)
                err = -EIO;
            else if (S_ISLNK(inode->i_mode)) {
                /* follow it (creating what it names is not done here) */
                iput(inode);
                up(&dir->i_sem);
                iput(dir);
                return path_lookup(path, 1, res);
            } else {
                *res = inode;
            }
        }
    } else if (dir->i_sb->s_rdonly) {
        err = -EROFS;
    } else {
        err = dir->i_op->create ? dir->i_op->create(dir, name, len, S_IFREG | (mode & 07777), res) : -EACCES;
    }
    up(&dir->i_sem);
    iput(dir);
    return err;
}

/* path made absolute, with "." and ".." and every symbolic link resolved
 * (realpath(3)), into out (size bytes): 0 or -errno. For exec's
 * /proc/PID/exe: busybox finds itself there, so an applet's link must
 * resolve to /bin/busybox. */
int kernel_realpath(const char *path, char *out, unsigned long size)
{
    char *rest = (char *)__get_free_page(GFP_KERNEL), *tmp = (char *)__get_free_page(GFP_KERNEL);
    int err = -ENOMEM, links = 0;
    if (!rest || !tmp)
        goto done;
    if (path[0] == '/') {
        strcpy(out, "/");
    } else {
        long n = kernel_getcwd(out, size);
        if (n < 0) {
            err = (int)n;
            goto done;
        }
    }
    err = -ENAMETOOLONG;
    if (strlcpy(rest, path, PAGE_SIZE) >= PAGE_SIZE)
        goto done;
    char *p = rest;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        char *end = p;
        while (*end && *end != '/')
            end++;
        size_t len = end - p;
        if (len == 1 && p[0] == '.') {
            p = end;
            continue;
        }
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            char *slash = strrchr(out, '/');
            if (slash == out)
                out[1] = 0;
            else
                *slash = 0;
            p = end;
            continue;
        }
        size_t olen = strlen(out);
        if (olen + 1 + len + 1 > size)
            goto done;
        if (olen > 1)
            out[olen++] = '/';
        memcpy(out + olen, p, len);
        out[olen + len] = 0;
        struct inode *inode;
        err = path_lookup(out, 0, &inode);
        if (err)
            goto done;
        if (S_ISLNK(inode->i_mode)) {
            err = -ELOOP;
            if (++links > MAX_LINK_COUNT) {
                iput(inode);
                goto done;
            }
            int n = inode->i_op->readlink(inode, tmp, PAGE_SIZE - 1);
            iput(inode);
            err = n < 0 ? n : -ENAMETOOLONG;
            if (n <= 0 || n + strlen(end) + 2 > PAGE_SIZE)
                goto done;
            tmp[n] = 0;
            strcat(tmp, end);           /* the target, then what followed the link */
            strcpy(rest, tmp);
            p = rest;
            if (rest[0] == '/')
                strcpy(out, "/");
            else
                out[olen > 1 ? olen - 1 : 1] = 0;   /* back to the link's directory */
            continue;
        }
        iput(inode);
        p = end;
    }
    err = 0;
done:
    if (rest)
        free_page((unsigned long)rest);
    if (tmp)
        free_page((unsigned long)tmp);
    return err;
}
