/* Bit operations on one word (Linux's asm-i386/bitops.h, uniprocessor).
 * Each is a single read-modify-write instruction, so an interrupt handler
 * that changes another bit of the same word (I/O completion unlocking a
 * page) cannot lose an update: interrupts arrive between instructions. */
#ifndef VMSCOPE_GUEST_BITOPS_H
#define VMSCOPE_GUEST_BITOPS_H

static inline void set_bit(int nr, volatile unsigned long *addr)
{
    __asm__ volatile("btsl %1, %0" : "+m"(*addr) : "Ir"(nr) : "memory");
}

static inline void clear_bit(int nr, volatile unsigned long *addr)
{
    __asm__ volatile("btrl %1, %0" : "+m"(*addr) : "Ir"(nr) : "memory");
}

static inline int test_bit(int nr, const volatile unsigned long *addr)
{
    return (*addr >> nr) & 1;
}

/* Set bit nr; return its old value. */
static inline int test_and_set_bit(int nr, volatile unsigned long *addr)
{
    unsigned char old;
    __asm__ volatile("btsl %2, %0; setc %1" : "+m"(*addr), "=q"(old) : "Ir"(nr) : "memory", "cc");
    return old;
}

/* Clear bit nr; return its old value. */
static inline int test_and_clear_bit(int nr, volatile unsigned long *addr)
{
    unsigned char old;
    __asm__ volatile("btrl %2, %0; setc %1" : "+m"(*addr), "=q"(old) : "Ir"(nr) : "memory", "cc");
    return old;
}

#endif
