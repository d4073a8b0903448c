/* A machine for CPU unit tests: RAM, code placed by hand, the Multiboot
 * entry state, and run-until-HLT. Exception tests get an IDT whose every
 * vector goes to a stub that stores the vector at TH_VEC and halts, so the
 * test reads the vector there (written through SS, which is always usable
 * at ring 0) and the frame (error code, EIP, CS, EFLAGS)
 * on the stack. */
#ifndef VMSCOPE_TESTS_CPU_HARNESS_H
#define VMSCOPE_TESTS_CPU_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "emu/machine.h"

#define TH_CODE   0x1000u       /* where test code goes */
#define TH_STACK  0x90000u      /* initial ESP */
#define TH_VEC    0x500u        /* the stub stores the vector here */
#define TH_GDT    0x600u        /* GDT: null, code0 08, data0 10, code3 1B, data3 23, TSS 28 */
#define TH_TSS    0x700u
#define TH_IDT    0x2000u
#define TH_STUBS  0x3000u       /* 16 bytes per vector */
#define TH_RING0_STACK 0x80000u

/* Code bytes that turn paging on with the page directory at 0x5000 and
 * CR4.PSE set (the test puts its 4 MiB directory entries there): 28 bytes,
 * EAX clobbered. */
#define TH_PAGING_ON \
    0xb8, 0x00, 0x50, 0x00, 0x00,            /* mov    eax,0x5000 */ \
    0x0f, 0x22, 0xd8,                        /* mov    cr3,eax */ \
    0x0f, 0x20, 0xe0,                        /* mov    eax,cr4 */ \
    0x83, 0xc8, 0x10,                        /* or     eax,0x10 */ \
    0x0f, 0x22, 0xe0,                        /* mov    cr4,eax */ \
    0x0f, 0x20, 0xc0,                        /* mov    eax,cr0 */ \
    0x0d, 0x00, 0x00, 0x00, 0x80,            /* or     eax,0x80000000 */ \
    0x0f, 0x22, 0xc0                         /* mov    cr0,eax */

static inline struct machine *th_new(void)
{
    struct vm_options opt = { 0 };
    char err[200] = "";
    opt.mem = 4u << 20;
    opt.cpu_mhz = 100;
    struct machine *m = machine_new(&opt, err, sizeof err);
    if (!m)
        fail_msg("machine_new: %s", err);
    return m;
}

static inline void th_put(struct machine *m, uint32_t at, const void *b, size_t n)
{
    bus_copy_in(m, at, b, n);
}

static inline void th_put32(struct machine *m, uint32_t at, uint32_t v)
{
    th_put(m, at, &v, 4);
}

static inline uint32_t th_get32(struct machine *m, uint32_t at)
{
    uint32_t v;
    bus_copy_out(m, at, &v, 4);
    return v;
}

/* Enter flat ring 0 at EIP with ESP = TH_STACK. */
static inline void th_enter(struct machine *m, uint32_t eip)
{
    cpu_multiboot_entry(m, eip, 0, 0);
    m->cpu.r[R_ESP] = TH_STACK;
    th_put32(m, TH_VEC, 0xFFFFFFFFu);
}

/* Run until HLT, a stop, or a generous cycle bound. */
static inline void th_go(struct machine *m)
{
    m->cpu.halted = false;
    for (int k = 0; k < 1000 && !m->cpu.halted && m->stop == STOP_NONE; k++) {
        m->attn = 0;
        cpu_run(m, m->clock.cycles + 1000000);
    }
}

static inline void th_run(struct machine *m, const void *code, size_t n)
{
    th_put(m, TH_CODE, code, n);
    th_enter(m, TH_CODE);
    th_go(m);
}

/* A descriptor: base, limit (bytes or pages per G in FLAGS), flags = bits
 * 40-55 as in cpu_seg.flags (type | S<<4 | DPL<<5 | P<<7 | DB<<14 | G<<15). */
static inline void th_desc(struct machine *m, uint32_t at, uint32_t base, uint32_t limit, uint32_t flags)
{
    uint32_t lo = (limit & 0xFFFF) | (base << 16);
    uint32_t hi = ((base >> 16) & 0xFF) | ((flags & 0xF0FF) << 8) | (limit & 0xF0000) | (base & 0xFF000000u);
    th_put32(m, at, lo);
    th_put32(m, at + 4, hi);
}

/* An IDT gate: TYPE 0xE interrupt / 0xF trap, DPL. */
static inline void th_gate(struct machine *m, unsigned vec, uint16_t sel, uint32_t off, unsigned type, unsigned dpl)
{
    uint32_t lo = (off & 0xFFFF) | ((uint32_t)sel << 16);
    uint32_t hi = (off & 0xFFFF0000u) | 0x8000u | (dpl << 13) | (type << 8);
    th_put32(m, TH_IDT + vec * 8, lo);
    th_put32(m, TH_IDT + vec * 8 + 4, hi);
}

/* GDT with flat ring-0 and ring-3 segments and a 32-bit TSS whose ring-0
 * stack is 0x10:TH_RING0_STACK; IDT of interrupt gates to the stubs. */
static inline void th_system(struct machine *m)
{
    th_desc(m, TH_GDT + 0x00, 0, 0, 0);
    th_desc(m, TH_GDT + 0x08, 0, 0xFFFFF, 0xC09A);
    th_desc(m, TH_GDT + 0x10, 0, 0xFFFFF, 0xC092);
    th_desc(m, TH_GDT + 0x18, 0, 0xFFFFF, 0xC0FA);
    th_desc(m, TH_GDT + 0x20, 0, 0xFFFFF, 0xC0F2);
    th_put32(m, TH_TSS + 4, TH_RING0_STACK);
    th_put32(m, TH_TSS + 8, 0x10);
    m->cpu.gdtr.base = TH_GDT;
    m->cpu.gdtr.limit = 0x2F;
    th_desc(m, TH_GDT + 0x28, TH_TSS, 0x67, 0x008B);   /* as LTR leaves it: busy */
    m->cpu.tr.sel = 0x28;
    m->cpu.tr.base = TH_TSS;
    m->cpu.tr.limit = 0x67;
    m->cpu.tr.flags = 0x008B;
    m->cpu.idtr.base = TH_IDT;
    m->cpu.idtr.limit = 256 * 8 - 1;
    for (unsigned v = 0; v < 256; v++) {
        uint8_t stub[16] = { 0x36, 0xC7, 0x05, TH_VEC & 0xFF, TH_VEC >> 8, 0, 0, /* mov dword ss:[TH_VEC], v */
                             (uint8_t)v, 0, 0, 0,
                             0xF4 };                                           /* hlt */
        th_put(m, TH_STUBS + v * 16, stub, sizeof stub);
        th_gate(m, v, 0x08, TH_STUBS + v * 16, 0xE, 0);
    }
}

/* After an exception reached its stub: the vector, and the pushed frame. */
static inline uint32_t th_vector(struct machine *m) { return th_get32(m, TH_VEC); }
static inline uint32_t th_stack(struct machine *m, unsigned slot)
{
    return th_get32(m, m->cpu.r[R_ESP] + 4 * slot);
}

#endif
