/* Block I/O (Linux 2.4's include/linux/blkdev.h and drivers/block/
 * ll_rw_blk.c, reduced to one disk): callers queue requests for runs of
 * sectors; the disk driver takes them one at a time and calls each
 * request's end_io when the drive has finished it, from its interrupt
 * handler. Nothing in the request path allocates memory: requests come from
 * a fixed pool, so reclaim can write pages out when memory is exhausted. */
#ifndef VMSCOPE_GUEST_BLKDEV_H
#define VMSCOPE_GUEST_BLKDEV_H

#include <kernel.h>
#include <list.h>

#define READ  0
#define WRITE 1
#define SECTOR_SIZE 512
#define SECTORS_PER_PAGE 8

struct request {
    struct list_head queue;         /* in the request queue, or on the free list */
    int cmd;                        /* READ or WRITE */
    unsigned long sector;           /* first sector (LBA on the disk) */
    unsigned long nr_sectors;       /* sectors to transfer (1..256) */
    unsigned long done;             /* sectors transferred so far (driver) */
    char *buffer;                   /* kernel address of the data */
    int errors;                     /* 0, or the drive's error register | 0x100 */
    /* Completion, in interrupt context: uptodate is 1 on success, 0 when
     * the drive reported an error. */
    void (*end_io)(struct request *rq, int uptodate);
    void *private;                  /* end_io's data (a page, a flag) */
};

/* Queue a transfer of nr_sectors sectors at sector to or from buffer; may
 * sleep until a request is free (process context). end_io runs once the
 * drive is done. */
void submit_request(int rw, unsigned long sector, unsigned long nr_sectors, void *buffer,
                    void (*end_io)(struct request *, int), void *private);
/* The same, and wait for it: 0, or -EIO when the drive failed it, no disk
 * is attached, or the sectors lie beyond the disk's end. Process context. */
int block_rw_sync(int rw, unsigned long sector, unsigned long nr_sectors, void *buffer);
/* The raw forms (the block self-test): __submit_request does not check
 * the disk's end (the drive itself will answer); __block_rw_sync uses it
 * when !checked and returns the request's errors (the drive's error
 * register | 0x100) in *errors. */
void __submit_request(int rw, unsigned long sector, unsigned long nr_sectors, void *buffer,
                      void (*end_io)(struct request *, int), void *private);
int __block_rw_sync(int rw, unsigned long sector, unsigned long nr_sectors, void *buffer,
                    int checked, int *errors);
/* drivers/blktest.c: ST_BLOCK of vm_selftest. 0, or -1 with msg. */
int block_selftest(char *msg, unsigned long len);
/* Requests queued or in service (the quiet point waits for 0). */
unsigned long blk_pending(void);
/* Wait until no request is queued or in service. Process context. */
void blk_wait_idle(void);

/* The driver's side (drivers/ide.c): take the next request from the queue
 * when the drive is idle, and hand a finished one back. */
struct request *blk_next_request(void);
void end_request(struct request *rq, int uptodate);

/* drivers/ide.c */
/* Probe the primary master: IDENTIFY, multiple mode, interrupts on. 1 if a
 * usable disk is there (its size in disk_capacity), else 0. Process context. */
int ide_init(void);
/* Start the next queued request if the drive is idle (any context). */
void do_ide_request(void);
extern unsigned long disk_capacity;   /* sectors, 0 without a disk */

/* Partitions of the disk (drivers/genhd.c): the MBR's four primary entries. */
struct hd_struct {
    unsigned long start_sect;       /* first sector */
    unsigned long nr_sects;         /* length in sectors, 0 = unused */
    unsigned char sys_ind;          /* partition type: 0x82 swap, 0x83 Linux */
};
#define MAX_PARTITIONS 4
extern struct hd_struct hd_part[MAX_PARTITIONS + 1];   /* 1..4; 0 = whole disk */
/* Read the MBR and print the partitions (as Linux's "Partition check").
 * Returns how many there are. */
int check_partition(void);
/* The first partition of type sys_ind (1..4), or 0. */
int find_partition(unsigned char sys_ind);

#endif
