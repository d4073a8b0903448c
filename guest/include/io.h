/* Port I/O and CPU control instructions. */
#ifndef VMSCOPE_GUEST_IO_H
#define VMSCOPE_GUEST_IO_H

#include <kernel.h>

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u16 port) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
/* count 32-bit words from port to buf / from buf to port (REP INSL/OUTSL). */
static inline void insl(u16 port, void *buf, unsigned long count)
{
    __asm__ volatile("cld; rep insl" : "+D"(buf), "+c"(count) : "d"(port) : "memory");
}
static inline void outsl(u16 port, const void *buf, unsigned long count)
{
    __asm__ volatile("cld; rep outsl" : "+S"(buf), "+c"(count) : "d"(port) : "memory");
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline u32 read_eflags(void) { u32 f; __asm__ volatile("pushfl; popl %0" : "=r"(f)); return f; }
#define local_irq_save(f) do { (f) = read_eflags(); cli(); } while (0)
#define local_irq_restore(f) do { if ((f) & 0x200) sti(); } while (0)

static inline u32 read_cr0(void) { u32 v; __asm__ volatile("movl %%cr0, %0" : "=r"(v)); return v; }
static inline u32 read_cr2(void) { u32 v; __asm__ volatile("movl %%cr2, %0" : "=r"(v)); return v; }
static inline u32 read_cr3(void) { u32 v; __asm__ volatile("movl %%cr3, %0" : "=r"(v)); return v; }
static inline u32 read_cr4(void) { u32 v; __asm__ volatile("movl %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(u32 v) { __asm__ volatile("movl %0, %%cr0" :: "r"(v) : "memory"); }
static inline void write_cr3(u32 v) { __asm__ volatile("movl %0, %%cr3" :: "r"(v) : "memory"); }
static inline void write_cr4(u32 v) { __asm__ volatile("movl %0, %%cr4" :: "r"(v) : "memory"); }

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

#endif
