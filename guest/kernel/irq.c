/* The two 8259A PICs (8259A datasheet: ICW1-4, OCW1 mask, OCW2 EOI) and the
 * 8254 PIT channel 0 as the scheduler tick (8254 datasheet, mode 2). */
#include <kernel.h>
#include <io.h>
#include <irq.h>
#include <sched.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI 0x20
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define CLOCK_TICK_RATE 1193182
#define LATCH ((CLOCK_TICK_RATE + HZ / 2) / HZ)

static u8 cached_mask1 = 0xFF, cached_mask2 = 0xFF;
static irq_handler_t irq_action[NR_IRQS];   /* drivers' handlers (request_irq) */

/* Remap IRQ 0-15 to vectors 0x20-0x2F and mask everything. */
void init_IRQ(void)
{
    outb(PIC1_CMD, 0x11);           /* ICW1: edge, cascade, ICW4 */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, FIRST_EXTERNAL_VECTOR);       /* ICW2: vector base */
    outb(PIC2_DATA, FIRST_EXTERNAL_VECTOR + 8);
    outb(PIC1_DATA, 0x04);          /* ICW3: slave on IRQ2 */
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01);          /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, cached_mask1);
    outb(PIC2_DATA, cached_mask2);
}

void enable_irq(unsigned irq)
{
    if (irq < 8) {
        cached_mask1 &= ~(1u << irq);
        outb(PIC1_DATA, cached_mask1);
    } else {
        cached_mask2 &= ~(1u << (irq - 8));
        outb(PIC2_DATA, cached_mask2);
        cached_mask1 &= ~(1u << 2);
        outb(PIC1_DATA, cached_mask1);
    }
}

/* PIT channel 0 at HZ, then unmask IRQ0. */
void time_init(void)
{
    outb(PIT_CMD, 0x34);            /* channel 0, lobyte/hibyte, mode 2 */
    outb(PIT_CH0, LATCH & 0xFF);
    outb(PIT_CH0, LATCH >> 8);
    enable_irq(0);
}

/* Is the in-service bit of this IRQ set? (A spurious IRQ 7/15 has none.) */
static int irq_in_service(unsigned irq)
{
    u16 port = irq < 8 ? PIC1_CMD : PIC2_CMD;
    outb(port, 0x0B);               /* OCW3: read ISR */
    return inb(port) & (1u << (irq & 7));
}

void request_irq(unsigned irq, irq_handler_t handler)
{
    if (irq >= NR_IRQS || irq_action[irq])
        panic("request_irq: IRQ %u is taken or out of range", irq);
    irq_action[irq] = handler;
    enable_irq(irq);
}

/* An interrupt from the PICs: ignore spurious IRQ 7/15, acknowledge, and
 * dispatch: IRQ 0 is the tick, others go to their driver's handler.
 * Interrupts are off. */
void do_IRQ(unsigned irq, struct pt_regs *regs)
{
    if ((irq == 7 || irq == 15) && !irq_in_service(irq)) {
        if (irq == 15)
            outb(PIC1_CMD, PIC_EOI);    /* the master did see the cascade */
        return;
    }
    if (irq >= 8)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
    if (irq == 0)
        do_timer(regs);
    else if (irq_action[irq])
        irq_action[irq](irq, regs);
}
