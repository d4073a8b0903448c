/* 8259A programmable interrupt controller pair (master 0x20/0x21, slave
 * 0xA0/0xA1 cascaded on IRQ2) and the PIIX edge/level control registers
 * 0x4D0/0x4D1. Intel 8259A datasheet (order 231468): ICW1-ICW4, OCW1-OCW3,
 * "Interrupt sequence", "Edge and level triggered modes", "Special fully
 * nested mode", "Automatic end of interrupt mode".
 *
 * Devices drive IRQ lines with pic_set_irq (a level; the PIC detects edges).
 * The master's INT output is the CPU's INTR line (machine_set_intr); the
 * CPU's interrupt-acknowledge cycle is pic_intr_ack, which returns the
 * vector. */
#ifndef VMSCOPE_DEVICES_PIC_H
#define VMSCOPE_DEVICES_PIC_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

/* One 8259A. */
struct pic_chip {
    /* Registers */
    uint8_t irr;            /* interrupt request register */
    uint8_t isr;            /* in-service register */
    uint8_t imr;            /* interrupt mask register (OCW1) */
    uint8_t lines;          /* IR input levels as devices drive them */
    uint8_t elcr;           /* level-triggered inputs (ELCR, or all with ICW1.LTIM) */
    uint8_t vector_base;    /* ICW2 & 0xF8 */
    uint8_t prio_add;       /* rotation: IR(prio_add) has the highest priority */

    /* Modes */
    bool ltim;              /* ICW1.LTIM: every input level-triggered */
    bool auto_eoi;          /* ICW4.AEOI */
    bool rotate_aeoi;       /* OCW2 rotate in automatic EOI mode */
    bool sfnm;              /* ICW4.SFNM: special fully nested mode */
    bool special_mask;      /* OCW3.SMM */
    bool read_isr;          /* OCW3.RIS: even port reads ISR instead of IRR */
    bool poll;              /* OCW3.P: the next even-port read is a poll */

    /* Initialization sequence */
    uint8_t init_step;      /* 0 = operational, else the ICW expected next (2..4) */
    bool need_icw4;         /* ICW1.IC4 */
    bool single;            /* ICW1.SNGL: no ICW3 */
};

struct pic {
    struct pic_chip chip[2];    /* [0] master, [1] slave */
    uint64_t delivered[16];     /* acknowledged interrupts per IRQ, for the summary */
    uint64_t spurious;          /* acknowledges that found no request (IRQ7/IRQ15) */
};

void pic_init(struct machine *m, struct pic *p);
/* Drive input IRQ (0-15) to LEVEL. An edge-triggered input latches a request
 * on a rising edge; a request whose input falls before the acknowledge
 * vanishes (the CPU then gets the spurious IRQ7/IRQ15 vector). */
void pic_set_irq(struct machine *m, unsigned irq, bool level);
/* Interrupt acknowledge: the vector for the CPU, moving the request to ISR. */
uint8_t pic_intr_ack(struct machine *m);
/* Could any input still reach the CPU? False when every path is masked
 * (the master's inputs, and IR2 only through an unmasked slave input). */
bool pic_can_interrupt(const struct pic *p);

#endif
