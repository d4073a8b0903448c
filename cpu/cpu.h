/* The CPU: a P6-family core, 32-bit protected mode, integer ISA and x87
 * (DESIGN.md "The CPU vmscope models"). Owns decode, execute, flags,
 * segmentation, privilege, interrupts and exceptions, the x87 FPU, and the
 * cycle cost of each instruction. Touches guest memory only through mmu/.
 *
 * Sources of truth: Intel SDM vol. 2 (instructions), vol. 3A ch. 2-7
 * (system architecture, segmentation, interrupts); undefined flags as Bochs
 * sets them; cycle costs from the i486 tables (cpu/cycles.c). */
#ifndef VMSCOPE_CPU_CPU_H
#define VMSCOPE_CPU_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/fpu.h"
#include "mmu/mmu.h"

struct machine;

enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI };
enum { S_ES, S_CS, S_SS, S_DS, S_FS, S_GS };

/* A segment register with its descriptor cache. */
struct cpu_seg {
    uint16_t sel;       /* visible selector */
    /* SEG_FLAT_R / SEG_FLAT_W, derived with the ranges below: reads / writes
     * may touch every offset and the base is page-aligned, so an access that
     * stays in its page stays in the segment (the operand fast path's limit
     * check is its page check) */
    uint8_t flat;
    uint32_t base;      /* cached base */
    uint32_t limit;     /* cached limit, in bytes (granularity applied) */
    uint32_t flags;     /* descriptor bits 40-55: type, S, DPL, P, AVL, D/B, G
                         * (bits 0-15 here = descriptor bits 40-55) */
    /* Derived from the above by the CPU whenever the cache is loaded: the
     * inclusive offset ranges a read (rlo..rhi) or a write (wlo..whi) may
     * touch. An unusable access has lo > hi. */
    uint32_t rlo, rhi;
    uint32_t wlo, whi;
};
#define SEG_FLAT_R 1u
#define SEG_FLAT_W 2u

struct cpu_dtr {
    uint32_t base;
    uint16_t limit;
};

struct cpu_icache;      /* cpu/icache.h: decoded-instruction cache */
struct insn;            /* cpu/cpu_impl.h: one decoded instruction */
struct cpu_itrace;      /* cpu/itrace.c: the instruction being traced */

/* EFLAGS bits (SDM vol. 1 §3.4.3). */
#define EFLAGS_CF   0x00000001u
#define EFLAGS_PF   0x00000004u
#define EFLAGS_AF   0x00000010u
#define EFLAGS_ZF   0x00000040u
#define EFLAGS_SF   0x00000080u
#define EFLAGS_TF   0x00000100u
#define EFLAGS_IF   0x00000200u
#define EFLAGS_DF   0x00000400u
#define EFLAGS_OF   0x00000800u
#define EFLAGS_IOPL 0x00003000u
#define EFLAGS_NT   0x00004000u
#define EFLAGS_RF   0x00010000u
#define EFLAGS_VM   0x00020000u
#define EFLAGS_AC   0x00040000u
#define EFLAGS_VIF  0x00080000u
#define EFLAGS_VIP  0x00100000u
#define EFLAGS_ID   0x00200000u

struct cpu {
    /* Architectural state */
    uint32_t r[9];              /* EAX..EDI; r[8] is always 0 (the "no register"
                                 * of an effective address) */
    uint32_t eip;               /* during an instruction: the next instruction */
    uint32_t eflags;            /* see cpu_get_eflags: arithmetic flags may be lazy */
    struct cpu_seg seg[6];      /* ES CS SS DS FS GS */
    struct cpu_seg ldtr, tr;
    struct cpu_dtr gdtr, idtr;
    uint32_t cr2;               /* CR0, CR3 and CR4 are the MMU's (struct mmu) */
    uint32_t dr[8];
    unsigned cpl;               /* current privilege level */
    bool halted;                /* in HLT, waiting for an interrupt */

    /* Accounting */
    uint64_t insns;             /* instructions retired */
    /* Fetch hits the run loop has not recorded yet (cpu/exec.c): one for
     * each instruction retired since insns was fetch_base, plus the one in
     * flight when an exception leaves the loop, hits counted through
     * fetch_later (mmu/mmu_inline.h; hits NULL: none pending). between: no
     * instruction is in flight (interrupt delivery, the single-step trap). */
    struct mmu_later fetch_later;
    uint64_t fetch_base;
    bool between;

    /* Instruction trace (--itrace): the CLI (--itrace) calls cpu_itrace_setup.
     * Off when itrace_out is NULL. */
    FILE *itrace_out;           /* where lines go */
    uint32_t itrace_from;       /* first linear EIP traced (inclusive) */
    uint32_t itrace_to;         /* last linear EIP traced (inclusive) */
    uint64_t itrace_left;       /* lines still allowed; UINT64_MAX = unbounded */
    struct cpu_itrace *itrace;  /* cpu/itrace.c state, NULL when off */

    /* Lazy arithmetic flags (cpu/flags.c): the last flag-setting operation */
    uint32_t lf_res;            /* its result, masked to its size */
    uint32_t lf_a, lf_b;        /* its operands (LF_RES: lf_a holds CF/AF/OF) */
    uint8_t lf_op;              /* LF_* kind; LF_NONE: eflags is exact */
    uint8_t lf_sb;              /* sign bit index of the size: 7, 15 or 31 */

    /* Execution state */
    uint32_t insn_eip;          /* EIP of the instruction executing */
    uint64_t run_until;         /* the UNTIL of the cpu_run in progress */
    uint32_t slow;              /* SLOW_* reasons to take the slow path */
    /* The run loop's bound on the clock within a block: run_until, or 0
     * while a slow bit is set, so one compare after each instruction covers
     * both. Whatever sets a slow bit clears it (cpu_slow_set, mmu_notify);
     * the run loop puts it back. */
    uint64_t lim;
    uint8_t shadow;             /* STI / MOV SS interrupt shadow, in instructions */
    bool step_trap;             /* TF was set when this instruction began */
    bool in_run;                /* inside cpu_run: faults may longjmp */
    jmp_buf jb;                 /* one setjmp per cpu_run; exceptions longjmp */

    /* Exception in flight (cpu/except.c) */
    int exc_vec;                /* vector being raised, -1 if none */
    uint32_t exc_err;           /* its error code */
    bool exc_has_err;           /* pushes an error code */
    uint8_t exc_kind;           /* EXC_FAULT / EXC_TRAP / EXC_SOFT / EXC_EXT */
    uint32_t exc_ret_eip;       /* EIP to push */
    int exc_delivering;         /* vector whose delivery is in progress, -1 if none */

    /* TSC MSR offset: RDTSC returns clock.cycles + tsc_offset */
    uint64_t tsc_offset;

    /* Implementation */
    struct cpu_icache *icache;  /* decoded-instruction cache, NULL until cpu_init */
    struct insn *scratch;       /* one instruction decoded outside the cache */
    struct cpu_xinsn *xinsn;    /* CPU_XINSN instructions that cross a page (cpu/exec.c) */

    /* The x87 FPU (cpu/fpu.h), after everything the integer loop touches */
    struct fpu fpu;
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

/* Configure --itrace: SPEC is "" (every instruction) or "FROM-TO" (linear EIP
 * range, hex with or without 0x, inclusive); LIMIT is the most lines to print
 * (0 = unbounded); OUT receives the lines. Returns false and writes one line
 * to ERR when SPEC is malformed. */
bool cpu_itrace_setup(struct machine *m, const char *spec, uint64_t limit, FILE *out,
                      char *err, unsigned errlen);

/* Decode the instruction at BYTES (AVAIL bytes readable) as 32-bit code
 * (CODE32) or 16-bit code. Returns its length (1..15), 0 if it is longer
 * than AVAIL allows to tell, or -1 if the modelled CPU raises #UD or #NM for
 * it (ESC opcodes) or -2 for #GP (longer than 15 bytes). For tests and
 * the Capstone differential. */
int cpu_decode_length(const uint8_t *bytes, unsigned avail, bool code32);

#endif
