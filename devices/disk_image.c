/* The ATA disk's backing store (see disk_image.h). The overlay follows
 * QEMU's `snapshot=on` (block/qcow2 overlay in $TMPDIR, dropped at exit):
 * here it is a raw sparse file, made with O_TMPFILE (open(2): "an unnamed
 * temporary regular file") so it never has a name, or, where the file
 * system lacks O_TMPFILE, made with mkstemp and unlinked at once. */
#define _GNU_SOURCE     /* O_TMPFILE */
#include "devices/disk_image.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool disk_pread(int fd, uint8_t *buf, size_t len, uint64_t off)
{
    size_t done = 0;
    while (done < len) {
        ssize_t r = pread(fd, buf + done, len - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0) {
            memset(buf + done, 0, len - done);
            break;
        }
        done += (size_t)r;
    }
    return true;
}

bool disk_pwrite(int fd, const uint8_t *buf, size_t len, uint64_t off)
{
    size_t done = 0;
    while (done < len) {
        ssize_t r = pwrite(fd, buf + done, len - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0) {
            errno = ENOSPC;
            return false;
        }
        done += (size_t)r;
    }
    return true;
}

static bool overlay_has(const struct disk_image *d, uint64_t lba)
{
    return d->written[lba >> 3] >> (lba & 7) & 1;
}

/* Where the overlay goes: $TMPDIR, or /tmp. */
static const char *overlay_dir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

/* An unnamed file in overlay_dir() for the overlay, or -1. */
static int overlay_create(void)
{
    const char *dir = overlay_dir();
    int fd = open(dir, O_RDWR | O_TMPFILE | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
    char path[4096];
    if (snprintf(path, sizeof path, "%s/vmscope-overlay-XXXXXX", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

static bool disk_image_open_overlay(struct disk_image *d, const char *path, char *err, unsigned errlen)
{
    d->written = calloc(d->sectors / 8 + 1, 1);
    if (!d->written) {
        snprintf(err, errlen, "%s: no memory for the --disk-snapshot map of %" PRIu64 " sectors",
                 path, d->sectors);
        return false;
    }
    d->overlay_fd = overlay_create();
    if (d->overlay_fd < 0) {
        snprintf(err, errlen, "%s: cannot make the --disk-snapshot overlay in %s: %s", path,
                 overlay_dir(), strerror(errno));
        return false;
    }
    return true;
}

/* Create PATH with SIZE bytes (an absent image and --disk-size). */
static int disk_image_create(const char *path, const struct disk_image_mode *mode, char *err, unsigned errlen)
{
    if (mode->readonly || mode->snapshot) {
        snprintf(err, errlen, "%s: no such disk image (--disk-size does not create one for %s)",
                 path, mode->readonly ? "--disk-readonly" : "--disk-snapshot");
        return -1;
    }
    if (mode->create_size < DISK_SECTOR) {
        snprintf(err, errlen, "--disk-size: %" PRIu64 " bytes is less than one sector", mode->create_size);
        return -1;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0 && ftruncate(fd, (off_t)mode->create_size) != 0) {
        snprintf(err, errlen, "%s: cannot create a disk image of %" PRIu64 " bytes: %s",
                 path, mode->create_size, strerror(errno));
        close(fd);
        unlink(path);
        return -1;
    }
    return fd;
}

bool disk_image_open(struct disk_image *d, const char *path, const struct disk_image_mode *mode,
                     char *err, unsigned errlen)
{
    memset(d, 0, sizeof *d);
    d->overlay_fd = -1;
    bool rdonly = mode->readonly || mode->snapshot;     /* a snapshot never writes the file */
    d->fd = open(path, (rdonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (d->fd < 0 && errno == ENOENT && mode->create_size) {
        d->fd = disk_image_create(path, mode, err, errlen);
        if (d->fd < 0)
            return false;
    }
    if (d->fd < 0) {
        snprintf(err, errlen, "%s: cannot open disk image%s: %s", path,
                 rdonly ? "" : " for writing", strerror(errno));
        return false;
    }
    struct stat st;
    off_t size = -1;
    if (fstat(d->fd, &st) != 0 || S_ISDIR(st.st_mode))
        snprintf(err, errlen, "%s: not a disk image (a directory)", path);
    else if ((size = lseek(d->fd, 0, SEEK_END)) < DISK_SECTOR)
        snprintf(err, errlen, "%s: disk image is smaller than one sector (%lld bytes)",
                 path, (long long)(size < 0 ? 0 : size));
    if (size < DISK_SECTOR) {
        disk_image_close(d);
        return false;
    }
    d->bytes = (uint64_t)size;
    d->sectors = (d->bytes + DISK_SECTOR - 1) / DISK_SECTOR;
    if (mode->snapshot && !disk_image_open_overlay(d, path, err, errlen)) {
        disk_image_close(d);
        return false;
    }
    return true;
}

bool disk_image_read(struct disk_image *d, uint64_t lba, unsigned n, uint8_t *buf)
{
    if (d->overlay_fd < 0)
        return disk_pread(d->fd, buf, (size_t)n * DISK_SECTOR, lba * DISK_SECTOR);
    /* Runs of sectors from the same file. */
    for (unsigned i = 0, j; i < n; i = j) {
        bool ov = overlay_has(d, lba + i);
        for (j = i + 1; j < n && overlay_has(d, lba + j) == ov; j++)
            ;
        if (!disk_pread(ov ? d->overlay_fd : d->fd, buf + (size_t)i * DISK_SECTOR,
                       (size_t)(j - i) * DISK_SECTOR, (lba + i) * DISK_SECTOR))
            return false;
    }
    return true;
}

bool disk_image_write(struct disk_image *d, uint64_t lba, unsigned n, const uint8_t *buf)
{
    bool snap = d->overlay_fd >= 0;
    if (!disk_pwrite(snap ? d->overlay_fd : d->fd, buf, (size_t)n * DISK_SECTOR, lba * DISK_SECTOR))
        return false;
    if (!snap)
        d->dirty = true;
    for (unsigned i = 0; snap && i < n; i++)
        d->written[(lba + i) >> 3] |= (uint8_t)(1u << ((lba + i) & 7));
    return true;
}

void disk_image_flush(struct disk_image *d)
{
    if (d->fd >= 0 && d->dirty) {
        fdatasync(d->fd);
        d->dirty = false;
    }
}

void disk_image_close(struct disk_image *d)
{
    disk_image_flush(d);
    if (d->fd >= 0)
        close(d->fd);
    if (d->overlay_fd >= 0)
        close(d->overlay_fd);
    free(d->written);
    d->fd = d->overlay_fd = -1;
    d->written = NULL;
}
