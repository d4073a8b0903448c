/* The request queue in front of the disk (Linux 2.4's drivers/block/
 * ll_rw_blk.c, one queue, first come first served).
 *
 * A fixed pool of NR_REQUEST requests: when all are in use, submitters
 * sleep on wait_for_request until the driver hands one back (as 2.4's
 * get_request_wait does). Requests are served in the order they were
 * queued, so a run's disk accesses follow its page decisions directly. */
#include <kernel.h>
#include <blkdev.h>
#include <io.h>
#include <sched.h>
#include <swap.h>
#include <wait.h>

#define NR_REQUEST 64

static struct request all_requests[NR_REQUEST];
static LIST_HEAD(free_requests);
static LIST_HEAD(request_queue);
static DECLARE_WAIT_QUEUE_HEAD(wait_for_request);
static DECLARE_WAIT_QUEUE_HEAD(wait_for_idle);
static unsigned long nr_pending;        /* queued + in service */
static int pool_ready;

/* A free request, sleeping until one is. Interrupts off. */
static struct request *get_request_wait(void)
{
    if (!pool_ready) {
        for (int i = 0; i < NR_REQUEST; i++)
            list_add_tail(&all_requests[i].queue, &free_requests);
        pool_ready = 1;
    }
    wait_event(wait_for_request, !list_empty(&free_requests));
    struct request *rq = list_entry(free_requests.next, struct request, queue);
    list_del(&rq->queue);
    return rq;
}

void __submit_request(int rw, unsigned long sector, unsigned long nr_sectors, void *buffer,
                      void (*end_io)(struct request *, int), void *private)
{
    if (!nr_sectors || nr_sectors > 256)
        panic("submit_request: %lu sectors", nr_sectors);
    u32 flags;
    local_irq_save(flags);
    struct request *rq = get_request_wait();
    if (rw == READ)
        vmstat.pgpgin += nr_sectors / 2;
    else
        vmstat.pgpgout += nr_sectors / 2;
    rq->cmd = rw;
    rq->sector = sector;
    rq->nr_sectors = nr_sectors;
    rq->done = 0;
    rq->buffer = buffer;
    rq->errors = 0;
    rq->end_io = end_io;
    rq->private = private;
    list_add_tail(&rq->queue, &request_queue);
    nr_pending++;
    do_ide_request();
    local_irq_restore(flags);
}

struct request *blk_next_request(void)
{
    if (list_empty(&request_queue))
        return NULL;
    struct request *rq = list_entry(request_queue.next, struct request, queue);
    list_del(&rq->queue);
    return rq;
}

void end_request(struct request *rq, int uptodate)
{
    rq->end_io(rq, uptodate);
    list_add(&rq->queue, &free_requests);
    nr_pending--;
    wake_up(&wait_for_request);
    if (!nr_pending)
        wake_up(&wait_for_idle);
}

void submit_request(int rw, unsigned long sector, unsigned long nr_sectors, void *buffer,
                    void (*end_io)(struct request *, int), void *private)
{
    if (sector >= disk_capacity || nr_sectors > disk_capacity - sector) {
        /* as 2.4's ll_rw_block: "attempt to access beyond end of device" */
        struct request rq = { .cmd = rw, .sector = sector, .nr_sectors = nr_sectors,
                              .buffer = buffer, .errors = 0x100, .private = private };
        end_io(&rq, 0);
        return;
    }
    __submit_request(rw, sector, nr_sectors, buffer, end_io, private);
}

unsigned long blk_pending(void)
{
    return nr_pending;
}

void blk_wait_idle(void)
{
    wait_event(wait_for_idle, nr_pending == 0);
}

struct sync_io {
    volatile int done;
    int uptodate;
    int errors;                     /* the request's errors */
    wait_queue_head_t wait;
};

/* end_io of block_rw_sync: record the outcome and wake the waiter. */
static void end_sync_io(struct request *rq, int uptodate)
{
    struct sync_io *s = rq->private;
    s->uptodate = uptodate;
    s->errors = rq->errors;
    s->done = 1;
    wake_up(&s->wait);
}

int __block_rw_sync(int rw, unsigned long sector, unsigned long nr_sectors, void *buffer,
                    int checked, int *errors)
{
    struct sync_io s = { 0, 0, 0, __WAIT_QUEUE_HEAD_INITIALIZER(s.wait) };
    (checked ? submit_request : __submit_request)(rw, sector, nr_sectors, buffer, end_sync_io, &s);
    wait_event(s.wait, s.done);
    if (errors)
        *errors = s.errors;
    return s.uptodate ? 0 : -EIO;
}

int block_rw_sync(int rw, unsigned long sector, unsigned long nr_sectors, void *buffer)
{
    return __block_rw_sync(rw, sector, nr_sectors, buffer, 1, NULL);
}
