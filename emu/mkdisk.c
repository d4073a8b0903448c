/* `vmscope mkdisk` (see mkdisk.h), by DESIGN.md's recipe ("The disk").
 *
 * Layout (sectors of 512 bytes; an MBR as sfdisk(8) writes it):
 *
 *   0      2048 (1 MiB)          2048 + SWAP/512                   SIZE/512
 *   | MBR  | partition 1, 0x82   | partition 2, 0x83                |
 *   | gap  | swap area version 1 | ext2 revision 1, 1 KiB blocks,   |
 *   |      | (SWAPSPACE2)        | 128-byte inodes: the root        |
 *
 * The recipe: each part is made by the real tool in a file of its own, in a
 * private work directory under $TMPDIR, then copied into place:
 *   1. stage    the default tree, then each --from over it (stage.c), with
 *               owner 0:0, times MKDISK_TIME and normalised modes;
 *   2. swap     mkswap -p 4096 -U MKDISK_SWAP_UUID on a file of the swap
 *               area's size (Debian 12's mkswap has no offset option);
 *   3. root     mke2fs -t ext2 -b 1024 -I 128 -O ^dir_index,^resize_inode,
 *               ^ext_attr -d STAGE, with our own mke2fs.conf (so the host's
 *               /etc/mke2fs.conf changes nothing), a fixed UUID, hash seed
 *               and E2FSPROGS_FAKE_TIME; then debugfs sets the owner and
 *               times mke2fs copied from the host (the change time cannot be
 *               set there);
 *   4. assemble a temporary file beside IMAGE: SIZE bytes, sfdisk writes the
 *               MBR with a fixed label-id, the two parts copied in (their
 *               zero blocks left as holes), fdatasync;
 *   5. publish  rename onto IMAGE (--force), or link (never replaces).
 * So a failure at any step leaves IMAGE as it was and no half image.
 *
 * What Linux 2.4 mounts (linux-2.4.37 include/linux/ext2_fs.h,
 * EXT2_FEATURE_*_SUPP): incompat filetype; ro_compat sparse_super and
 * large_file; revision 1 with 128-byte inodes. So no dir_index,
 * resize_inode, ext_attr (compat features it would merely ignore, or let
 * e2fsck mishandle), nor has_journal, extents, 64bit, metadata_csum,
 * flex_bg, huge_file, dir_nlink, extra_isize (which it refuses). */
#define _GNU_SOURCE
#include "emu/mkdisk.h"
#include "devices/disk_image.h"
#include "emu/hosttool.h"
#include "emu/optparse.h"
#include "emu/stage.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#define KIB 1024ull
#define MIB (1024ull * KIB)

#define MKDISK_TIME 946684800               /* 2000-01-01 00:00:00 UTC: every time in the image */
#define MKDISK_LABEL_ID "0x766d7363"        /* MBR disk identifier: "vmsc" */
#define MKDISK_SWAP_UUID "766d7363-6f70-6500-0000-000000000001"
#define MKDISK_ROOT_UUID "766d7363-6f70-6500-0000-000000000002"
#define MKDISK_HASH_SEED "766d7363-6f70-6500-0000-000000000003"
#define MKDISK_GAP MIB                      /* before partition 1: sfdisk's default alignment */
#define MKDISK_PAGE 4096                    /* the swap area's page: the guest's */
#define MKDISK_MIN_SWAP (10 * MKDISK_PAGE)  /* mkswap's least: 10 pages */
#define MKDISK_MIN_ROOT (64 * KIB)          /* enough for mke2fs with 1 KiB blocks */
#define MKDISK_MAX_SIZE (1ull << 41)        /* 2 TiB: the MBR's 32-bit sector numbers */
#define MKDISK_MAX_FROM 32

/* mke2fs's whole configuration (mke2fs.conf(5)), used through MKE2FS_CONFIG
 * with -T vmscope: the same file system whatever the host's defaults. */
static const char mke2fs_conf[] =
    "[defaults]\n"
    "\tbase_features = sparse_super,large_file,filetype\n"
    "\tdefault_mntopts = \"\"\n"
    "\tenable_periodic_fsck = 0\n"
    "\treserved_ratio = 5.0\n"
    "\thash_alg = half_md4\n"
    "[fs_types]\n"
    "\text2 = {\n\t\tblocksize = 1024\n\t}\n"
    "\tvmscope = {\n\t\tblocksize = 1024\n\t\tinode_size = 128\n\t\tinode_ratio = 4096\n\t}\n";

struct mkdisk_options {
    const char *image;                      /* IMAGE */
    uint64_t size;                          /* --size, bytes */
    uint64_t swap;                          /* --swap, bytes */
    const char *from[MKDISK_MAX_FROM];      /* --from DIR, in order */
    unsigned nfrom;
    bool no_defaults;                       /* --no-defaults: no default tree */
    bool force;                             /* --force: replace IMAGE */
};

#define F(field) offsetof(struct mkdisk_options, field)

static const struct opt_desc mkdisk_opts[] = {
    { "size", T_SIZE64, F(size), "SIZE", "the whole image (default 256M; a multiple of 1K)" },
    { "swap", T_SIZE64, F(swap), "SIZE", "partition 1, the swap area (default 128M; a multiple of 4K)" },
    { "from", T_LIST, F(from), "DIR", "copy DIR's tree over the contents (repeatable; later wins)",
      MKDISK_MAX_FROM, F(nfrom) },
    { "no-defaults", T_FLAG, F(no_defaults), NULL, "start from an empty file system, not the default tree" },
    { "force", T_FLAG, F(force), NULL, "replace IMAGE if it exists" },
};

static const struct opt_cmd mkdisk_cmd = { "mkdisk", mkdisk_opts, sizeof mkdisk_opts / sizeof mkdisk_opts[0],
                                           "IMAGE" };

/* The host programs of the recipe, and the Debian package of each. */
enum mkdisk_tool { TOOL_SFDISK, TOOL_MKSWAP, TOOL_MKE2FS, TOOL_DEBUGFS, TOOL_COUNT };

static const struct {
    const char *name;
    const char *package;
} mkdisk_tools[TOOL_COUNT] = {
    [TOOL_SFDISK] = { "sfdisk", "fdisk" },
    [TOOL_MKSWAP] = { "mkswap", "util-linux" },
    [TOOL_MKE2FS] = { "mke2fs", "e2fsprogs" },
    [TOOL_DEBUGFS] = { "debugfs", "e2fsprogs" },
};

/* One run of the recipe. */
struct mkdisk {
    const struct mkdisk_options *o;
    const char *tree;                       /* the default tree (emu/paths.h) */
    char tool[TOOL_COUNT][PATH_MAX];        /* each program's path */
    char work[PATH_MAX - 64];               /* private work directory, "" before it exists */
    char tmp_image[PATH_MAX];               /* the image being assembled, "" when none */
    uint64_t root_off, root_len;            /* partition 2, bytes */
    char err[1024];                         /* the one line of a failure */
    uint8_t buf[64 * KIB];                  /* copying into the image */
};

static void usage_mkdisk(FILE *f, const char *tree)
{
    fprintf(f, "usage: vmscope mkdisk IMAGE [options]\n\n"
               "Make a raw disk image for the guest with sfdisk, mkswap, mke2fs and debugfs:\n"
               "an MBR; partition 1 (type 0x82) a Linux swap area starting at 1 MiB;\n"
               "partition 2 (type 0x83) an ext2 file system Linux 2.4 mounts (revision 1,\n"
               "1 KiB blocks, 128-byte inodes, features filetype, sparse_super, large_file)\n"
               "filling the rest, holding the default tree:\n  %s\n"
               "with the --from trees copied over it. Every file gets owner 0:0 and the time\n"
               "2000-01-01 00:00 UTC, so the same inputs give the same bytes. The image is\n"
               "written to a temporary file and renamed into place.\n\noptions:\n",
            tree);
    opt_help(&mkdisk_cmd, f);
    fprintf(f, "\nexit status: 0 made; 2 usage error, a size that does not fit, a missing tool\n"
               "or a failure (IMAGE unchanged); 10 SIGINT/SIGTERM (IMAGE unchanged).\n");
}

static bool mkdisk_fail(struct mkdisk *mk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool mkdisk_fail(struct mkdisk *mk, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(mk->err, sizeof mk->err, fmt, ap);
    va_end(ap);
    return false;
}

/* The sizes: whole multiples of what each part counts in, and room for
 * the gap, the swap area and a file system. */
static bool mkdisk_layout(struct mkdisk *mk)
{
    const struct mkdisk_options *o = mk->o;
    if (o->size % KIB)
        return mkdisk_fail(mk, "--size %" PRIu64 ": not a multiple of 1 KiB (ext2's block)", o->size);
    if (o->size > MKDISK_MAX_SIZE)
        return mkdisk_fail(mk, "--size %" PRIu64 ": more than an MBR addresses (2 TiB)", o->size);
    if (o->swap % MKDISK_PAGE)
        return mkdisk_fail(mk, "--swap %" PRIu64 ": not a multiple of 4 KiB (the swap area's page)", o->swap);
    if (o->swap < MKDISK_MIN_SWAP)
        return mkdisk_fail(mk, "--swap %" PRIu64 ": less than 40 KiB (mkswap's 10 pages)", o->swap);
    if (o->swap >= o->size)
        return mkdisk_fail(mk, "--swap %" PRIu64 " does not fit in --size %" PRIu64, o->swap, o->size);
    if (o->size < MKDISK_GAP + o->swap + MKDISK_MIN_ROOT)
        return mkdisk_fail(mk, "--size %" PRIu64 " leaves no room for ext2 (at least 64 KiB) after the 1 MiB "
                           "before partition 1 and the %" PRIu64 "-byte swap area", o->size, o->swap);
    mk->root_off = MKDISK_GAP + o->swap;
    mk->root_len = o->size - mk->root_off;
    return true;
}

static bool mkdisk_find_tools(struct mkdisk *mk)
{
    for (unsigned t = 0; t < TOOL_COUNT; t++)
        if (!hosttool_find(mkdisk_tools[t].name, mk->tool[t], sizeof mk->tool[t]))
            return mkdisk_fail(mk, "%s not found in PATH (Debian package %s: run bash scripts/setup)",
                               mkdisk_tools[t].name, mkdisk_tools[t].package);
    return true;
}

/* PATH of NAME (a short name) in the work directory. */
static const char *mkdisk_path(const struct mkdisk *mk, const char *name, char *buf)
{
    snprintf(buf, PATH_MAX, "%.*s/%.48s", (int)sizeof mk->work, mk->work, name);
    return buf;
}

/* Write TEXT to the work file NAME. */
static bool mkdisk_write_file(struct mkdisk *mk, const char *name, const char *text)
{
    char path[PATH_MAX];
    FILE *f = fopen(mkdisk_path(mk, name, path), "w");
    bool ok = f && fputs(text, f) >= 0;
    if ((f && fclose(f) != 0) || !ok)
        return mkdisk_fail(mk, "%s: cannot write: %s", path, strerror(errno));
    return true;
}

/* An empty work file NAME of SIZE bytes (mode 0600: mkswap asks for it). */
static bool mkdisk_sized_file(struct mkdisk *mk, const char *name, uint64_t size)
{
    char path[PATH_MAX];
    int fd = open(mkdisk_path(mk, name, path), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
        mkdisk_fail(mk, "%s: cannot make a file of %" PRIu64 " bytes: %s", path, size, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    close(fd);
    return true;
}

/* Step 1: the staging tree and the debugfs commands that settle it. */
static bool mkdisk_stage(struct mkdisk *mk)
{
    const struct mkdisk_options *o = mk->o;
    char stage[PATH_MAX], cmds[PATH_MAX];
    mkdisk_path(mk, "stage", stage);
    if (mkdir(stage, 0755) != 0)
        return mkdisk_fail(mk, "%s: cannot make the staging directory: %s", stage, strerror(errno));
    struct stat st;
    if (!o->no_defaults && stat(mk->tree, &st) != 0)
        return mkdisk_fail(mk, "default tree %s: %s (build it, or give --no-defaults)",
                           mk->tree, strerror(errno));
    if (!o->no_defaults && !stage_copy(mk->tree, stage, mk->err, sizeof mk->err))
        return false;
    for (unsigned i = 0; i < o->nfrom; i++)
        if (!stage_copy(o->from[i], stage, mk->err, sizeof mk->err))
            return false;
    FILE *f = fopen(mkdisk_path(mk, "settle.debugfs", cmds), "w");
    if (!f)
        return mkdisk_fail(mk, "%s: cannot write: %s", cmds, strerror(errno));
    bool ok = stage_settle(stage, MKDISK_TIME, f, mk->err, sizeof mk->err);
    if (fclose(f) != 0 && ok)
        return mkdisk_fail(mk, "%s: cannot write: %s", cmds, strerror(errno));
    return ok;
}

/* Run TOOL with ARGS (after its name; NULL-terminated) and E2FSPROGS_FAKE_TIME
 * and ENV ("NAME=VALUE" or NULL) in its environment, its output logged to
 * the work file TOOL.log. */
static bool mkdisk_run(struct mkdisk *mk, enum mkdisk_tool t, const char *const *args, const char *env,
                       const char *in)
{
    _Static_assert(MKDISK_TIME == 946684800, "E2FSPROGS_FAKE_TIME is MKDISK_TIME");
    const char *const envv[] = { "E2FSPROGS_FAKE_TIME=946684800", env, NULL };
    const char *argv[24] = { mk->tool[t] };
    for (unsigned n = 0; args[n] && n + 2 < sizeof argv / sizeof argv[0]; n++)
        argv[n + 1] = args[n];
    char log[PATH_MAX], name[64];
    snprintf(name, sizeof name, "%s.log", mkdisk_tools[t].name);
    return hosttool_run(argv, envv, in, mkdisk_path(mk, name, log), mk->err, sizeof mk->err);
}

/* Step 2: the swap area. */
static bool mkdisk_swap(struct mkdisk *mk)
{
    char swap[PATH_MAX];
    if (!mkdisk_sized_file(mk, "swap.img", mk->o->swap))
        return false;
    const char *args[] = { "-q", "-p", "4096", "-U", MKDISK_SWAP_UUID, mkdisk_path(mk, "swap.img", swap), NULL };
    _Static_assert(MKDISK_PAGE == 4096, "mkswap -p is MKDISK_PAGE");
    return mkdisk_run(mk, TOOL_MKSWAP, args, NULL, NULL);
}

/* Step 3: the root file system, and debugfs's settling of its inodes.
 * debugfs exits 0 whatever its commands do, so any line of its output
 * besides its banner and the echoed commands is a failure. */
static bool mkdisk_root(struct mkdisk *mk)
{
    char root[PATH_MAX], stage[PATH_MAX], cmds[PATH_MAX], conf[PATH_MAX], log[PATH_MAX];
    if (!mkdisk_write_file(mk, "mke2fs.conf", mke2fs_conf) || !mkdisk_sized_file(mk, "root.img", mk->root_len))
        return false;
    char conf_env[PATH_MAX + 16];
    snprintf(conf_env, sizeof conf_env, "MKE2FS_CONFIG=%s", mkdisk_path(mk, "mke2fs.conf", conf));
    const char *mke2fs[] = { "-q", "-F", "-t", "ext2", "-T", "vmscope", "-b", "1024", "-I", "128",
                             "-O", "^dir_index,^resize_inode,^ext_attr", "-U", MKDISK_ROOT_UUID,
                             "-E", "hash_seed=" MKDISK_HASH_SEED ",root_owner=0:0,nodiscard",
                             "-d", mkdisk_path(mk, "stage", stage), mkdisk_path(mk, "root.img", root), NULL };
    if (!mkdisk_run(mk, TOOL_MKE2FS, mke2fs, conf_env, NULL))
        return false;
    const char *debugfs[] = { "-w", "-f", mkdisk_path(mk, "settle.debugfs", cmds), root, NULL };
    if (!mkdisk_run(mk, TOOL_DEBUGFS, debugfs, NULL, NULL))
        return false;
    FILE *f = fopen(mkdisk_path(mk, "debugfs.log", log), "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0] && strncmp(line, "debugfs ", 8) != 0 && strncmp(line, "debugfs: ", 9) != 0) {
            fclose(f);
            return mkdisk_fail(mk, "debugfs failed: %s", line);
        }
    }
    if (f)
        fclose(f);
    return true;
}

/* Copy the work file NAME into OUT at byte OFF, leaving its holes and zero
 * blocks as holes (OUT is all zeros there already). */
static bool mkdisk_copy_in(struct mkdisk *mk, int out, uint64_t off, const char *name)
{
    char path[PATH_MAX];
    uint8_t *buf = mk->buf;
    int in = open(mkdisk_path(mk, name, path), O_RDONLY | O_CLOEXEC);
    off_t end = in >= 0 ? lseek(in, 0, SEEK_END) : -1;
    bool ok = end >= 0;
    for (off_t pos = 0; ok && pos < end; ) {
        off_t data = lseek(in, pos, SEEK_DATA), hole;
        if (data < 0 && errno == ENXIO)
            break;                                  /* only a hole is left */
        if (data < 0)
            data = pos;                             /* no SEEK_DATA here: copy it all */
        hole = lseek(in, data, SEEK_HOLE);
        if (hole < 0)
            hole = end;
        for (pos = data; ok && pos < hole; ) {
            size_t n = (uint64_t)(hole - pos) < sizeof mk->buf ? (size_t)(hole - pos) : sizeof mk->buf;
            ok = disk_pread(in, buf, n, (uint64_t)pos) &&
                 ((buf[0] == 0 && memcmp(buf, buf + 1, n - 1) == 0) ||     /* all zeros */
                  disk_pwrite(out, buf, n, off + (uint64_t)pos));
            pos += (off_t)n;
        }
    }
    if (!ok)
        mkdisk_fail(mk, "cannot copy %s into the image: %s", path, strerror(errno));
    if (in >= 0)
        close(in);
    return ok;
}

/* Step 4: the image, in a temporary file beside IMAGE. */
static bool mkdisk_assemble(struct mkdisk *mk)
{
    const struct mkdisk_options *o = mk->o;
    if ((size_t)snprintf(mk->tmp_image, sizeof mk->tmp_image, "%s.tmp-XXXXXX", o->image) >= sizeof mk->tmp_image)
        return mkdisk_fail(mk, "%s: name too long", o->image);
    int fd = mkostemp(mk->tmp_image, O_CLOEXEC);
    if (fd < 0) {
        mk->tmp_image[0] = 0;
        return mkdisk_fail(mk, "%s: cannot create the image beside it: %s", o->image, strerror(errno));
    }
    if (fchmod(fd, 0644) != 0 || ftruncate(fd, (off_t)o->size) != 0) {
        close(fd);
        return mkdisk_fail(mk, "%s: cannot make a file of %" PRIu64 " bytes: %s", mk->tmp_image, o->size,
                           strerror(errno));
    }
    char script[512], spath[PATH_MAX];
    snprintf(script, sizeof script,
             "label: dos\nlabel-id: %s\nunit: sectors\n\n"
             "start=%" PRIu64 ", size=%" PRIu64 ", type=82\n"
             "start=%" PRIu64 ", size=%" PRIu64 ", type=83\n",
             MKDISK_LABEL_ID, (uint64_t)(MKDISK_GAP / DISK_SECTOR), o->swap / DISK_SECTOR,
             mk->root_off / DISK_SECTOR, mk->root_len / DISK_SECTOR);
    const char *args[] = { "--no-reread", "--no-tell-kernel", "-q", mk->tmp_image, NULL };
    bool ok = mkdisk_write_file(mk, "mbr.sfdisk", script) &&
              mkdisk_run(mk, TOOL_SFDISK, args, NULL, mkdisk_path(mk, "mbr.sfdisk", spath)) &&
              mkdisk_copy_in(mk, fd, MKDISK_GAP, "swap.img") &&
              mkdisk_copy_in(mk, fd, mk->root_off, "root.img");
    if (ok && fdatasync(fd) != 0)
        ok = mkdisk_fail(mk, "%s: cannot write: %s", mk->tmp_image, strerror(errno));
    close(fd);
    return ok;
}

/* Step 5: the image takes IMAGE's name. link() fails rather than replace a
 * file that appeared meanwhile. */
static bool mkdisk_publish(struct mkdisk *mk)
{
    const char *image = mk->o->image;
    if (mk->o->force ? rename(mk->tmp_image, image) != 0 : link(mk->tmp_image, image) != 0)
        return mkdisk_fail(mk, errno == EEXIST ? "%s exists (give --force to replace it)" : "%s: cannot write: %s",
                           image, strerror(errno));
    if (!mk->o->force)
        unlink(mk->tmp_image);
    mk->tmp_image[0] = 0;
    return true;
}

static bool (*const mkdisk_steps[])(struct mkdisk *) = {
    mkdisk_stage, mkdisk_swap, mkdisk_root, mkdisk_assemble, mkdisk_publish,
};

/* Leave nothing behind but IMAGE (when made). */
static void mkdisk_cleanup(struct mkdisk *mk)
{
    if (mk->tmp_image[0])
        unlink(mk->tmp_image);
    if (mk->work[0])
        stage_remove(mk->work);
}

int mkdisk_main(int argc, char **argv, const char *tree, volatile sig_atomic_t *sig)
{
    struct mkdisk_options o = { .size = 256 * MIB, .swap = 128 * MIB };
    switch (opt_parse(&mkdisk_cmd, argc, argv, &o, &o.image)) {
    case OPT_HELP:
        usage_mkdisk(stdout, tree);
        return 0;
    case OPT_USAGE:
        return 2;
    case OPT_OK:
        break;
    }
    if (!o.image) {
        fprintf(stderr, "vmscope mkdisk: IMAGE is missing (see vmscope mkdisk --help)\n");
        return 2;
    }
    struct mkdisk *mk = calloc(1, sizeof *mk);
    if (!mk) {
        fprintf(stderr, "vmscope mkdisk: out of memory\n");
        return 2;
    }
    mk->o = &o;
    mk->tree = tree;
    struct stat st;
    const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    bool ok = mkdisk_layout(mk) &&
              (o.force || lstat(o.image, &st) != 0 || mkdisk_fail(mk, "%s exists (give --force to replace it)", o.image)) &&
              mkdisk_find_tools(mk);
    if (ok && (size_t)snprintf(mk->work, sizeof mk->work, "%s/vmscope-mkdisk-XXXXXX", tmp) >= sizeof mk->work)
        ok = mkdisk_fail(mk, "TMPDIR %s: name too long", tmp);
    if (ok && !mkdtemp(mk->work)) {
        ok = mkdisk_fail(mk, "cannot make a work directory in %s: %s", tmp, strerror(errno));
        mk->work[0] = 0;
    }
    for (size_t i = 0; ok && i < sizeof mkdisk_steps / sizeof mkdisk_steps[0]; i++) {
        ok = mkdisk_steps[i](mk);
        if (*sig) {
            ok = false;
            break;
        }
    }
    mkdisk_cleanup(mk);
    int status = ok ? 0 : *sig ? 10 : 2;
    if (*sig)
        fprintf(stderr, "vmscope mkdisk: interrupted by %s; %s not written\n",
                *sig == SIGINT ? "SIGINT" : "SIGTERM", o.image);
    else if (!ok)
        fprintf(stderr, "vmscope mkdisk: %s\n", mk->err);
    free(mk);
    return status;
}
