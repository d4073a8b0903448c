/* Open files and file descriptors (Linux 2.4's fs/file_table.c and the fd
 * parts of fs/open.c): a struct file per open, referenced by fds (dup,
 * fork) and by mappings; each task's files_struct maps fds to files and is
 * copied by fork. */
#include <kernel.h>
#include <fs.h>
#include <sched.h>
#include <slab.h>

static kmem_cache_t *filp_cachep;

void files_init(void)
{
    filp_cachep = kmem_cache_create("filp", sizeof(struct file), 0, SLAB_HWCACHE_ALIGN, NULL, NULL);
    if (!filp_cachep)
        panic("files_init: no file cache");
}

struct file *get_empty_filp(void)
{
    struct file *f = kmem_cache_alloc(filp_cachep, GFP_KERNEL);
    if (f) {
        memset(f, 0, sizeof *f);
        f->f_count = 1;
    }
    return f;
}

void fput(struct file *file)
{
    if (file->f_count <= 0)
        panic("fput: file count %d", file->f_count);
    if (--file->f_count)
        return;
    if (file->f_op && file->f_op->release)
        file->f_op->release(file->f_inode, file);
    iput(file->f_inode);
    kfree(file->f_path);
    kmem_cache_free(filp_cachep, file);
}

struct file *fget(unsigned fd)
{
    struct files_struct *files = current->files;
    return files && fd < NR_OPEN ? files->fd[fd] : NULL;
}

int fd_install_from(struct file *file, int start, int cloexec)
{
    struct files_struct *files = current->files;
    unsigned limit = task_nofile();
    for (int fd = start < 0 ? 0 : start; files && (unsigned)fd < limit; fd++) {
        if (!files->fd[fd]) {
            files->fd[fd] = file;
            set_close_on_exec(fd, cloexec);
            return fd;
        }
    }
    return -EMFILE;
}

int fd_install_lowest(struct file *file)
{
    return fd_install_from(file, 0, 0);
}

void set_close_on_exec(unsigned fd, int on)
{
    struct files_struct *files = current->files;
    if (!files || fd >= NR_OPEN)
        return;
    if (on)
        files->close_on_exec[fd / 32] |= 1UL << (fd % 32);
    else
        files->close_on_exec[fd / 32] &= ~(1UL << (fd % 32));
}

int get_close_on_exec(unsigned fd)
{
    struct files_struct *files = current->files;
    return files && fd < NR_OPEN && (files->close_on_exec[fd / 32] >> (fd % 32)) & 1;
}

long close_fd(unsigned fd)
{
    struct files_struct *files = current->files;
    if (!files || fd >= NR_OPEN || !files->fd[fd])
        return -EBADF;
    struct file *f = files->fd[fd];
    files->fd[fd] = NULL;
    set_close_on_exec(fd, 0);
    fput(f);
    return 0;
}

void close_on_exec(struct files_struct *files)
{
    if (!files)
        return;
    for (int fd = 0; fd < NR_OPEN; fd++) {
        if ((files->close_on_exec[fd / 32] >> (fd % 32)) & 1) {
            files->close_on_exec[fd / 32] &= ~(1UL << (fd % 32));
            if (files->fd[fd]) {
                struct file *f = files->fd[fd];
                files->fd[fd] = NULL;
                fput(f);
            }
        }
    }
}

struct files_struct *dup_files(struct files_struct *old)
{
    struct files_struct *files = kmalloc(sizeof *files, GFP_KERNEL);
    if (!files)
        return NULL;
    files->count = 1;
    for (int fd = 0; fd < NR_OPEN; fd++) {
        files->fd[fd] = old ? old->fd[fd] : NULL;
        if (files->fd[fd])
            files->fd[fd]->f_count++;
    }
    for (int i = 0; i < NR_OPEN / 32; i++)
        files->close_on_exec[i] = old ? old->close_on_exec[i] : 0;
    return files;
}

void put_files(struct files_struct *files)
{
    if (!files || --files->count)
        return;
    for (int fd = 0; fd < NR_OPEN; fd++)
        if (files->fd[fd])
            fput(files->fd[fd]);
    kfree(files);
}
