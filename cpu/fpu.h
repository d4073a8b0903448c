/* The x87 FPU's architectural state (Intel SDM vol. 1 ch. 8): eight 80-bit
 * data registers, control, status and tag words, and the last instruction
 * and operand pointers. Part of struct cpu (at its end, away from the
 * integer interpreter's hot fields). The arithmetic is cpu/fx80.c; the
 * instructions are cpu/ops_fpu*.c. */
#ifndef VMSCOPE_CPU_FPU_H
#define VMSCOPE_CPU_FPU_H

#include <stdint.h>
#include <stdio.h>

#include "cpu/fx80.h"

struct fpu {
    struct fx80 st[8];          /* physical registers R0-R7; ST(i) = R((top + i) & 7) */
    uint16_t cw;                /* control word (bit 6 always 1, bits 7, 13-15 clear) */
    uint16_t sw;                /* status word without TOP (bits 11-13 kept 0) */
    uint8_t top;                /* TOP, 0-7 */
    uint8_t empty;              /* bit n: R(n) is empty (tag 11); other tags are computed */
    uint16_t fop;               /* last non-control opcode: 11 bits, (ESC & 7) << 8 | ModRM */
    uint16_t fcs, fds;          /* selectors of the last instruction and of its operand */
    uint32_t fip, fdp;          /* offsets of the last instruction and of its memory operand */
};

/* Status-word bits beyond fx80.h's exception flags. */
#define FSW_ES  0x0080u         /* error summary */
#define FSW_C0  0x0100u
#define FSW_C1  0x0200u
#define FSW_C2  0x0400u
#define FSW_C3  0x4000u
#define FSW_B   0x8000u
#define FSW_CC  (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)

/* FNINIT state: CW 0x037F, everything empty, pointers 0. */
void fpu_reset(struct fpu *f);
/* The status word with TOP, and the full tag word (empty, or computed from
 * the register's contents as FNSTENV stores it). */
uint16_t fpu_status_word(const struct fpu *f);
uint16_t fpu_tag_word(const struct fpu *f);
/* The FPU state, for --inspect regs and monitor regs. */
void fpu_dump(const struct fpu *f, FILE *out);

#endif
