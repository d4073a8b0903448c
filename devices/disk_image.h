/* The backing store of the ATA disk: a raw image file, read and written in
 * whole 512-byte sectors.
 *
 * Written through (the default): each write goes to the image with pwrite
 * at the moment the block is written, so it is in the file even if the run
 * is killed the next instant; FLUSH CACHE and the end of the run fdatasync.
 *
 * Snapshot (--disk-snapshot, QEMU's `-drive snapshot=on`): the image is
 * opened read-only and never changes. Written sectors go to an overlay, an
 * unlinked temporary file in $TMPDIR (or /tmp) at the same offsets, with an
 * in-memory bitmap of the sectors it holds; a read takes each sector from
 * the overlay when it was written, else from the image. The overlay goes
 * with the process. */
#ifndef VMSCOPE_DEVICES_DISK_IMAGE_H
#define VMSCOPE_DEVICES_DISK_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DISK_SECTOR 512

struct disk_image {
    int fd;                 /* the image: O_RDWR written through, O_RDONLY otherwise; -1 closed */
    uint64_t bytes;         /* its size (a last partial sector reads as zeros) */
    uint64_t sectors;       /* capacity: bytes rounded up to a sector */
    bool dirty;             /* written through since the last fdatasync */
    int overlay_fd;         /* snapshot: the unlinked overlay, else -1 */
    uint8_t *written;       /* snapshot: one bit per sector held by the overlay */
};

/* How the image is opened (from --disk, --disk-size, --disk-readonly,
 * --disk-snapshot). */
struct disk_image_mode {
    uint64_t create_size;   /* create an absent image with this size (0: do not) */
    bool readonly;          /* open read-only (writes are the caller's to refuse) */
    bool snapshot;          /* writes go to an overlay */
};

/* Open PATH as MODE says. Returns false with one line in ERR (naming PATH)
 * when it cannot be used: missing, a directory, smaller than a sector, no
 * overlay. */
bool disk_image_open(struct disk_image *d, const char *path, const struct disk_image_mode *mode,
                     char *err, unsigned errlen);
/* Read N sectors from LBA into BUF; false (errno set) on a host I/O error.
 * The caller has checked the range against d->sectors. */
bool disk_image_read(struct disk_image *d, uint64_t lba, unsigned n, uint8_t *buf);
/* Write N sectors from BUF at LBA: to the image (written through, at once)
 * or to the overlay. False (errno set) on a host I/O error. */
bool disk_image_write(struct disk_image *d, uint64_t lba, unsigned n, const uint8_t *buf);
/* All LEN bytes of FD at OFF, retrying short transfers and EINTR; false
 * (errno set) on an error. A read beyond the end of the file gives zeros (a
 * last partial sector). For raw image files (here and `vmscope mkdisk`). */
bool disk_pread(int fd, uint8_t *buf, size_t len, uint64_t off);
bool disk_pwrite(int fd, const uint8_t *buf, size_t len, uint64_t off);
/* Make written-through sectors durable (nothing to do for a snapshot). */
void disk_image_flush(struct disk_image *d);
/* Flush, close, and drop the overlay. */
void disk_image_close(struct disk_image *d);

#endif
