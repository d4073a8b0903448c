/* Names of the files on a disk image's ext2 file system, by inode number,
 * for `vmtrace stats --disk IMG`: page-cache records name a file by its
 * inode (trace/annot.h), and the image the guest ran on says which file
 * that is. Read only, and every number the image gives is checked before
 * it is used: a broken image is one line on stderr, never a crash.
 *
 * The layout read (ext2, revision 0 or 1): an MBR whose first partition of
 * type 0x83 holds the file system (or none, and the file system starts at
 * byte 0); the superblock 1024 bytes in; the group descriptors in the block
 * after it; directories walked breadth first from the root (inode 2), the
 * first path found naming each inode. */
#include "tools/vmtrace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXT2_MAGIC 0xEF53
#define ROOT_INO 2
#define MAX_DIRS 65536          /* directories walked, at most */
#define MAX_PATH 4096

struct ext2 {
    int fd;
    const char *path;
    uint64_t size;              /* image bytes */
    uint64_t base;              /* file system's first byte */
    uint32_t bs;                /* block size */
    uint32_t blocks, inodes, ipg, isize, groups, first_data;
    uint8_t *gd;                /* group descriptors */
    uint8_t *buf, *ind;         /* one block each */
};

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static bool bad(const struct ext2 *e, const char *what)
{
    fprintf(stderr, "vmtrace: %s: %s\n", e->path, what);
    return false;
}

/* N bytes at OFF of the file system; false when they are past its end. */
static bool rd(struct ext2 *e, uint64_t off, void *dst, size_t n)
{
    off += e->base;
    if (off > e->size || n > e->size - off)
        return bad(e, "an ext2 structure lies past the end of the image");
    size_t done = 0;
    while (done < n) {
        ssize_t r = pread(e->fd, (uint8_t *)dst + done, n - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return bad(e, r < 0 ? strerror(errno) : "short read");
        done += (size_t)r;
    }
    return true;
}

static bool rd_block(struct ext2 *e, uint32_t block, uint8_t *dst)
{
    if (block >= e->blocks)
        return bad(e, "a block number past the file system's end");
    return rd(e, (uint64_t)block * e->bs, dst, e->bs);
}

/* Where to look: the first 0x83 partition, or the whole image. */
static void find_partition(struct ext2 *e)
{
    uint8_t mbr[512];
    e->base = 0;
    if (e->size < sizeof mbr || pread(e->fd, mbr, sizeof mbr, 0) != (ssize_t)sizeof mbr)
        return;
    if (mbr[510] != 0x55 || mbr[511] != 0xAA)
        return;
    for (int i = 0; i < 4; i++) {
        const uint8_t *p = mbr + 446 + 16 * i;
        if (p[4] == 0x83) {
            e->base = (uint64_t)le32(p + 8) * 512;
            return;
        }
    }
}

static bool read_super(struct ext2 *e)
{
    uint8_t sb[1024];
    if (!rd(e, 1024, sb, sizeof sb))
        return false;
    if (le16(sb + 56) != EXT2_MAGIC)
        return bad(e, "no ext2 superblock (magic 0xEF53) on the disk's first Linux partition or at its start");
    uint32_t log = le32(sb + 24);
    if (log > 6)
        return bad(e, "ext2 block size out of range");
    e->bs = 1024u << log;
    e->inodes = le32(sb + 0);
    e->blocks = le32(sb + 4);
    e->first_data = le32(sb + 20);
    uint32_t bpg = le32(sb + 32);
    e->ipg = le32(sb + 40);
    e->isize = le32(sb + 76) >= 1 ? le16(sb + 88) : 128;
    if (!bpg || !e->ipg || !e->blocks || e->first_data >= e->blocks)
        return bad(e, "ext2 superblock with zero or inconsistent counts");
    if (e->isize < 128 || e->isize > e->bs || (e->isize & (e->isize - 1)))
        return bad(e, "ext2 inode size out of range");
    e->groups = (e->blocks - e->first_data + bpg - 1) / bpg;
    if ((uint64_t)e->groups * e->ipg < e->inodes)
        return bad(e, "ext2 groups hold fewer inodes than the superblock counts");
    uint64_t gdbytes = (uint64_t)e->groups * 32;
    if (gdbytes > e->size)
        return bad(e, "ext2 group count larger than the image");
    e->gd = vt_xmalloc(gdbytes);
    e->buf = vt_xmalloc(e->bs);
    e->ind = vt_xmalloc(e->bs);
    return rd(e, (uint64_t)(e->first_data + 1) * e->bs, e->gd, gdbytes);
}

/* Inode INO's 128 first bytes. */
static bool read_inode(struct ext2 *e, uint32_t ino, uint8_t *dst)
{
    if (!ino || ino > e->inodes)
        return bad(e, "a directory entry names an inode out of range");
    uint32_t g = (ino - 1) / e->ipg, i = (ino - 1) % e->ipg;
    uint32_t table = le32(e->gd + 32 * g + 8);
    if (table >= e->blocks)
        return bad(e, "a group's inode table lies past the file system's end");
    return rd(e, (uint64_t)table * e->bs + (uint64_t)i * e->isize, dst, 128);
}

struct walk {
    struct ext2 *e;
    struct vt_ext2_names *nm;
    uint32_t *queue;            /* directories to read: inode, and index of its path */
    char **qpath;
    size_t qn, qcap;
    struct vt_map seen;         /* directories queued */
};

static void name(struct vt_ext2_names *nm, uint32_t ino, const char *path)
{
    bool found;
    uint32_t *slot = vt_map_get(&nm->by_ino, ino, (uint32_t)nm->n, &found);
    if (found)
        return;
    if (nm->n == nm->cap) {
        nm->cap = nm->cap ? 2 * nm->cap : 256;
        nm->paths = vt_xrealloc(nm->paths, nm->cap * sizeof *nm->paths);
    }
    nm->paths[nm->n++] = strdup(path);
    if (!nm->paths[nm->n - 1]) {
        fprintf(stderr, "vmtrace: out of memory\n");
        exit(1);
    }
    (void)slot;
}

static void enqueue(struct walk *w, uint32_t ino, const char *path)
{
    bool found;
    vt_map_get(&w->seen, ino, 0, &found);
    if (found || w->qn >= MAX_DIRS)
        return;
    if (w->qn == w->qcap) {
        w->qcap = w->qcap ? 2 * w->qcap : 64;
        w->queue = vt_xrealloc(w->queue, w->qcap * sizeof *w->queue);
        w->qpath = vt_xrealloc(w->qpath, w->qcap * sizeof *w->qpath);
    }
    w->queue[w->qn] = ino;
    w->qpath[w->qn] = strdup(path);
    if (!w->qpath[w->qn]) {
        fprintf(stderr, "vmtrace: out of memory\n");
        exit(1);
    }
    w->qn++;
}

/* The entries of one directory block. */
static bool dir_block(struct walk *w, const char *dir)
{
    struct ext2 *e = w->e;
    for (uint32_t off = 0; off + 8 <= e->bs;) {
        const uint8_t *d = e->buf + off;
        uint32_t ino = le32(d), rec = le16(d + 4), len = d[6];
        if (rec < 8 || rec % 4 || rec > e->bs - off || 8 + len > rec)
            return bad(e, "a malformed ext2 directory entry");
        if (ino && !(len == 1 && d[8] == '.') && !(len == 2 && d[8] == '.' && d[9] == '.')) {
            char path[MAX_PATH];
            int n = snprintf(path, sizeof path, "%s/%.*s", strcmp(dir, "/") ? dir : "", (int)len, d + 8);
            if (n > 0 && (size_t)n < sizeof path) {
                uint8_t inode[128];
                if (!read_inode(e, ino, inode))
                    return false;
                name(w->nm, ino, path);
                if ((le16(inode) & 0xF000) == 0x4000)
                    enqueue(w, ino, path);
            }
        }
        off += rec;
    }
    return true;
}

/* Every block of directory INO (direct, single and double indirect). */
static bool read_dir(struct walk *w, uint32_t ino, const char *path)
{
    struct ext2 *e = w->e;
    uint8_t inode[128];
    if (!read_inode(e, ino, inode))
        return false;
    uint64_t size = le32(inode + 4);
    uint64_t nblocks = (size + e->bs - 1) / e->bs, done = 0;
    uint32_t per = e->bs / 4;
    for (uint32_t i = 0; i < 12 && done < nblocks; i++, done++) {
        uint32_t b = le32(inode + 40 + 4 * i);
        if (b && (!rd_block(e, b, e->buf) || !dir_block(w, path)))
            return false;
    }
    for (int level = 1; level <= 2 && done < nblocks; level++) {
        uint32_t top = le32(inode + 40 + 4 * (11 + level));
        if (!top) {
            done += level == 1 ? per : (uint64_t)per * per;
            continue;
        }
        uint8_t *l1 = vt_xmalloc(e->bs);
        bool ok = rd_block(e, top, l1);
        for (uint32_t i = 0; ok && i < per && done < nblocks; i++) {
            uint32_t b = le32(l1 + 4 * i);
            if (level == 1) {
                done++;
                if (b)
                    ok = rd_block(e, b, e->buf) && dir_block(w, path);
                continue;
            }
            if (!b) {
                done += per;
                continue;
            }
            ok = rd_block(e, b, e->ind);
            for (uint32_t j = 0; ok && j < per && done < nblocks; j++, done++) {
                uint32_t bb = le32(e->ind + 4 * j);
                if (bb)
                    ok = rd_block(e, bb, e->buf) && dir_block(w, path);
            }
        }
        free(l1);
        if (!ok)
            return false;
    }
    return true;
}

bool vt_ext2_names_load(struct vt_ext2_names *nm, const char *path)
{
    memset(nm, 0, sizeof *nm);
    vt_map_init(&nm->by_ino);
    struct ext2 e = { .path = path };
    e.fd = open(path, O_RDONLY);
    if (e.fd < 0) {
        fprintf(stderr, "vmtrace: %s: %s\n", path, strerror(errno));
        return false;
    }
    struct stat st;
    bool ok = fstat(e.fd, &st) == 0;
    e.size = ok ? (uint64_t)st.st_size : 0;
    find_partition(&e);
    ok = ok && read_super(&e);
    struct walk w = { .e = &e, .nm = nm };
    vt_map_init(&w.seen);
    if (ok) {
        name(nm, ROOT_INO, "/");
        enqueue(&w, ROOT_INO, "/");
        for (size_t i = 0; ok && i < w.qn; i++)
            ok = read_dir(&w, w.queue[i], w.qpath[i]);
    }
    for (size_t i = 0; i < w.qn; i++)
        free(w.qpath[i]);
    free(w.qpath);
    free(w.queue);
    vt_map_free(&w.seen);
    free(e.gd);
    free(e.buf);
    free(e.ind);
    close(e.fd);
    return ok;
}

const char *vt_ext2_name(struct vt_ext2_names *nm, uint32_t ino)
{
    bool found;
    if (!nm->n)
        return NULL;
    uint32_t *slot = vt_map_get(&nm->by_ino, ino, UINT32_MAX, &found);
    return found && *slot != UINT32_MAX ? nm->paths[*slot] : NULL;  /* UINT32_MAX: asked before, unnamed */
}

void vt_ext2_names_free(struct vt_ext2_names *nm)
{
    for (size_t i = 0; i < nm->n; i++)
        free(nm->paths[i]);
    free(nm->paths);
    vt_map_free(&nm->by_ino);
    memset(nm, 0, sizeof *nm);
}
