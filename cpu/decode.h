/* Opcode descriptors shared by the decoder (cpu/decode.c) and the opcode
 * tables (cpu/optab.c). */
#ifndef VMSCOPE_CPU_DECODE_H
#define VMSCOPE_CPU_DECODE_H

#include "cpu/cpu_impl.h"

/* What the decoder needs to know about an opcode, and who executes it. */
struct opdesc {
    insn_fn fn[2];      /* handler for 16-bit [0] and 32-bit [1] operand size */
    uint16_t flags;     /* D_* */
    uint8_t group;      /* G_*: the ModRM reg field selects from grouptab */
};

/* opdesc.flags */
#define D_M        0x0001u  /* has a ModRM byte */
#define D_LOCK     0x0002u  /* LOCK is legal (with a memory destination) */
#define D_END      0x0004u  /* unconditional control transfer: ends a block */
#define D_MEMONLY  0x0008u  /* mod == 3 is #UD */
#define D_MODREG   0x0010u  /* ModRM always names a register (MOV CR/DR) */
#define D_UNDEF    0x0020u  /* #UD (or ESC: #NM/#UD) on the modelled CPU */
#define D_IMM(k)   ((uint16_t)((k) << 8))
#define D_IMMKIND(f) (((f) >> 8) & 0xF)

/* Immediate kinds */
enum {
    DI_NONE = 0,
    DI_B,       /* imm8, zero-extended */
    DI_BS,      /* imm8, sign-extended */
    DI_W,       /* imm16 */
    DI_V,       /* imm16 or imm32 by operand size */
    DI_A,       /* moffs16 or moffs32 by address size */
    DI_P,       /* ptr16:16 or ptr16:32 */
    DI_ENTER,   /* imm16, imm8 */
    DI_JB,      /* rel8 */
    DI_JV,      /* rel16 or rel32 by operand size */
};

/* Groups */
enum {
    G_NONE = 0, G_1B, G_1V, G_1A, G_2B, G_2V, G_2BCL, G_2VCL, G_3B, G_3V, G_4, G_5,
    G_11B, G_11V, G_6, G_7, G_8, G_9, G_15, G_COUNT
};

extern const struct opdesc optab_1b[256];
extern const struct opdesc optab_0f[256];
extern const struct opdesc grouptab[G_COUNT][8];

/* General r/m handler and its register-form replacement. */
struct opreg {
    insn_fn any;
    insn_fn reg;
};
extern const struct opreg regforms[];
struct opmem {
    insn_fn any;
    insn_fn bd;     /* 32-bit addressing, no index */
    insn_fn bis;    /* 32-bit addressing with an index */
};
extern const struct opmem memforms[];

#endif
