/* 8259A PIC pair (see pic.h). Intel 8259A datasheet, order 231468.
 *
 * Edge-triggered requests: a rising edge on IRn sets IRR bit n, which stays
 * set until the acknowledge moves it to ISR (or ICW1 clears it). The
 * datasheet asks the input to stay high until the first INTA; QEMU's pc
 * machine keeps the request latched when it does not, and a guest must see
 * the same interrupts on both, so we latch too. Level-triggered inputs
 * (ICW1.LTIM or ELCR) request while high: one that falls before the
 * acknowledge vanishes, and the acknowledge then returns the spurious
 * vector IR7 (master) or IR7 of the slave (IRQ15, with IRQ2 in service on
 * the master), as the datasheet's "Interrupt sequence" describes. */
#include "devices/pic.h"
#include "emu/machine.h"

#define PIC_CASCADE 2   /* the slave's INT drives master IR2 */

/* Priority rank of the highest-priority bit of MASK under the chip's
 * rotation (0 = highest), or 8 when MASK is empty. */
static unsigned pic_rank(const struct pic_chip *c, uint8_t mask)
{
    if (!mask)
        return 8;
    unsigned r = 0;
    while (!(mask & (1u << ((r + c->prio_add) & 7))))
        r++;
    return r;
}

/* The IR the chip would present to the CPU now, or -1. A request is
 * presented when it is unmasked and of higher priority than everything in
 * service (fully nested mode); special mask mode ignores masked ISR bits;
 * special fully nested mode lets the slave interrupt again while IR2 is in
 * service. */
static int pic_pending(const struct pic_chip *c, bool master)
{
    unsigned req = pic_rank(c, c->irr & ~c->imr);
    if (req == 8)
        return -1;
    uint8_t inserv = c->isr;
    if (c->special_mask)
        inserv &= ~c->imr;
    if (master && c->sfnm)
        inserv &= ~(1u << PIC_CASCADE);
    if (req >= pic_rank(c, inserv))
        return -1;
    return (int)((req + c->prio_add) & 7);
}

/* Set input IR of chip C to LEVEL, latching edges. */
static void pic_chip_line(struct pic_chip *c, unsigned ir, bool level)
{
    uint8_t bit = (uint8_t)(1u << ir);
    bool was = c->lines & bit;
    if (level)
        c->lines |= bit;
    else
        c->lines &= (uint8_t)~bit;
    if ((c->elcr & bit) || c->ltim) {
        if (level)
            c->irr |= bit;
        else
            c->irr &= (uint8_t)~bit;
    } else if (level && !was) {
        c->irr |= bit;
    }
}

/* Propagate the slave's INT to master IR2 and the master's INT to the CPU. */
static void pic_update(struct machine *m)
{
    struct pic *p = &m->dev.pic;
    pic_chip_line(&p->chip[0], PIC_CASCADE, pic_pending(&p->chip[1], false) >= 0);
    bool intr = pic_pending(&p->chip[0], true) >= 0;
    if (intr != m->intr)
        machine_set_intr(m, intr);  /* only changes: each rise makes the CPU loop return */
}

void pic_set_irq(struct machine *m, unsigned irq, bool level)
{
    struct pic *p = &m->dev.pic;
    if (irq >= 16 || irq == PIC_CASCADE)
        return;
    pic_chip_line(&p->chip[irq >> 3], irq & 7, level);
    pic_update(m);
}

/* Acknowledge IR on chip C: IRR to ISR (or automatic EOI). */
static void pic_chip_ack(struct pic_chip *c, unsigned ir)
{
    uint8_t bit = (uint8_t)(1u << ir);
    if (!((c->elcr & bit) || c->ltim))
        c->irr &= (uint8_t)~bit;    /* edge: the latch is consumed */
    if (c->auto_eoi) {
        if (c->rotate_aeoi)
            c->prio_add = (uint8_t)((ir + 1) & 7);
    } else {
        c->isr |= bit;
    }
}

uint8_t pic_intr_ack(struct machine *m)
{
    struct pic *p = &m->dev.pic;
    struct pic_chip *ma = &p->chip[0], *sl = &p->chip[1];
    uint8_t vector;
    int ir = pic_pending(ma, true);
    if (ir < 0) {
        vector = ma->vector_base | 7;   /* the request vanished: spurious IRQ7 */
        p->spurious++;
    } else if (ir == PIC_CASCADE) {
        pic_chip_ack(ma, PIC_CASCADE);
        int sir = pic_pending(sl, false);
        if (sir < 0) {
            vector = sl->vector_base | 7;   /* spurious IRQ15 */
            p->spurious++;
        } else {
            pic_chip_ack(sl, (unsigned)sir);
            vector = sl->vector_base | (uint8_t)sir;
            p->delivered[8 + sir]++;
        }
    } else {
        pic_chip_ack(ma, (unsigned)ir);
        vector = ma->vector_base | (uint8_t)ir;
        p->delivered[ir]++;
    }
    pic_update(m);
    return vector;
}

/* OCW2: end of interrupt and priority rotation. */
static void pic_ocw2(struct pic_chip *c, uint8_t v)
{
    unsigned level = v & 7;
    switch (v >> 5) {
    case 0: c->rotate_aeoi = false; break;          /* clear rotate in AEOI mode */
    case 4: c->rotate_aeoi = true; break;           /* set rotate in AEOI mode */
    case 1:                                         /* non-specific EOI */
    case 5: {                                       /* rotate on non-specific EOI */
        unsigned r = pic_rank(c, c->isr);
        if (r == 8)
            break;
        unsigned ir = (r + c->prio_add) & 7;
        c->isr &= (uint8_t)~(1u << ir);
        if (v >> 5 == 5)
            c->prio_add = (uint8_t)((ir + 1) & 7);
        break;
    }
    case 3:                                         /* specific EOI */
        c->isr &= (uint8_t)~(1u << level);
        break;
    case 7:                                         /* rotate on specific EOI */
        c->isr &= (uint8_t)~(1u << level);
        c->prio_add = (uint8_t)((level + 1) & 7);
        break;
    case 6:                                         /* set priority: IR level lowest */
        c->prio_add = (uint8_t)((level + 1) & 7);
        break;
    default:                                        /* 2: no operation */
        break;
    }
}

/* ICW1: start the initialization sequence (datasheet "Initialization
 * command words"): IMR cleared, IR7 lowest priority, special mask mode off,
 * status read set to IRR, and the edge sense reset, so an input that is high
 * must go low and high again to request. */
static void pic_icw1(struct pic_chip *c, uint8_t v)
{
    c->init_step = 2;
    c->need_icw4 = v & 0x01;
    c->single = v & 0x02;
    c->ltim = v & 0x08;
    c->imr = 0;
    c->isr = 0;
    c->irr = c->ltim ? c->lines : 0;
    c->prio_add = 0;
    c->special_mask = false;
    c->read_isr = false;
    c->poll = false;
    c->auto_eoi = false;
    c->rotate_aeoi = false;
    c->sfnm = false;
}

static uint8_t pic_poll(struct machine *m, struct pic_chip *c, bool master)
{
    c->poll = false;
    int ir = pic_pending(c, master);
    if (ir < 0)
        return 0;
    pic_chip_ack(c, (unsigned)ir);
    pic_update(m);
    return (uint8_t)(0x80 | ir);
}

static uint32_t pic_read(struct machine *m, void *dev, uint16_t port, unsigned size)
{
    struct pic *p = dev;
    bool master = port < 0xA0;
    struct pic_chip *c = &p->chip[master ? 0 : 1];
    if (c->poll)
        return pic_poll(m, c, master);
    if (port & 1)
        return c->imr;
    return c->read_isr ? c->isr : c->irr;
}

static void pic_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct pic *p = dev;
    struct pic_chip *c = &p->chip[port < 0xA0 ? 0 : 1];
    uint8_t v = (uint8_t)val;
    if (!(port & 1)) {
        if (v & 0x10) {
            pic_icw1(c, v);
        } else if (v & 0x08) {                      /* OCW3 */
            if (v & 0x40)
                c->special_mask = v & 0x20;
            if (v & 0x02)
                c->read_isr = v & 0x01;
            c->poll = v & 0x04;
        } else {
            pic_ocw2(c, v);
        }
    } else {
        switch (c->init_step) {
        case 2:                                     /* ICW2: vector base */
            c->vector_base = v & 0xF8;
            c->init_step = c->single ? (c->need_icw4 ? 4 : 0) : 3;
            break;
        case 3:                                     /* ICW3: cascade wiring, fixed on a PC */
            c->init_step = c->need_icw4 ? 4 : 0;
            break;
        case 4:                                     /* ICW4 */
            c->auto_eoi = v & 0x02;
            c->sfnm = v & 0x10;
            c->init_step = 0;
            break;
        default:                                    /* OCW1: mask */
            c->imr = v;
            break;
        }
    }
    pic_update(m);
}

/* ELCR (PIIX "edge/level control"): IRQ0-2 and 8 and 13 are always edge. */
static uint32_t elcr_read(struct machine *m, void *dev, uint16_t port, unsigned size)
{
    struct pic *p = dev;
    return p->chip[port & 1].elcr;
}

static void elcr_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct pic *p = dev;
    static const uint8_t writable[2] = { 0xF8, 0xDE };
    p->chip[port & 1].elcr = (uint8_t)val & writable[port & 1];
    pic_update(m);
}

void pic_init(struct machine *m, struct pic *p)
{
    *p = (struct pic){0};
    /* As a PC BIOS leaves them (measured under QEMU 7.2 with SeaBIOS):
     * initialized, master at vector 0x08, slave at 0x70, IRQ0/1/2/6 and
     * IRQ8/12/13/14 unmasked. The CPU starts with IF=0, and a guest
     * reprograms both before enabling interrupts. */
    p->chip[0].vector_base = 0x08;
    p->chip[0].imr = 0xB8;
    p->chip[1].vector_base = 0x70;
    p->chip[1].imr = 0x8E;
    bus_register_pio(&m->bus, 0x20, 2, PIO_W8, p, pic_read, pic_write);
    bus_register_pio(&m->bus, 0xA0, 2, PIO_W8, p, pic_read, pic_write);
    bus_register_pio(&m->bus, 0x4D0, 2, PIO_W8, p, elcr_read, elcr_write);
}

bool pic_can_interrupt(const struct pic *p)
{
    uint8_t open = (uint8_t)~p->chip[0].imr;
    if ((open & 0x04) && p->chip[1].imr == 0xFF)
        open &= (uint8_t)~0x04;     /* the cascade input carries nothing */
    return open != 0;
}
