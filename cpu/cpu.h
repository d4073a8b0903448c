/* The CPU: a P6-family core, 32-bit protected mode, integer ISA only
 * (DESIGN.md "The CPU vmscope models"). Owns decode, execute, flags,
 * segmentation, privilege, interrupts and exceptions, and the cycle cost of
 * each instruction. Touches guest memory only through mmu/. */
#ifndef VMSCOPE_CPU_CPU_H
#define VMSCOPE_CPU_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct machine;

enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI };
enum { S_ES, S_CS, S_SS, S_DS, S_FS, S_GS };

/* A segment register with its descriptor cache. */
struct cpu_seg {
    uint16_t sel;       /* visible selector */
    uint32_t base;      /* cached base */
    uint32_t limit;     /* cached limit, in bytes (granularity applied) */
    uint32_t flags;     /* descriptor bits 40-55: type, S, DPL, P, AVL, D/B, G */
};

struct cpu_dtr {
    uint32_t base;
    uint16_t limit;
};

struct cpu_icache;      /* cpu/icache.h: decoded-instruction cache */

struct cpu {
    /* Architectural state */
    uint32_t r[8];              /* EAX..EDI */
    uint32_t eip;
    uint32_t eflags;            /* see cpu_get_eflags: arithmetic flags may be lazy */
    struct cpu_seg seg[6];      /* ES CS SS DS FS GS */
    struct cpu_seg ldtr, tr;
    struct cpu_dtr gdtr, idtr;
    uint32_t cr0, cr2, cr3, cr4;
    uint32_t dr[8];
    unsigned cpl;               /* current privilege level */
    bool halted;                /* in HLT, waiting for an interrupt */

    /* Accounting */
    uint64_t insns;             /* instructions retired */

    /* Implementation */
    struct cpu_icache *icache;  /* decoded-instruction cache, NULL until cpu_init */
};

/* Allocate the CPU's caches. Returns false on allocation failure. */
bool cpu_init(struct machine *m);
void cpu_free(struct machine *m);

/* State after RESET, then as a Multiboot loader leaves it: protected mode,
 * flat 4 GiB ring-0 code and data segments, paging off, IF=0. */
void cpu_multiboot_entry(struct machine *m, uint32_t eip, uint32_t eax, uint32_t ebx);

/* Execute until the clock reaches UNTIL cycles, m->attn becomes set, the
 * CPU halts, or a stop reason is set. Delivers pending interrupts between
 * instructions when IF allows. */
void cpu_run(struct machine *m, uint64_t until);

/* EFLAGS with every lazily computed flag materialized. */
uint32_t cpu_get_eflags(struct machine *m);

/* Registers, segments and control registers, for triple faults and debugging. */
void cpu_dump(struct machine *m, FILE *f);

#endif
