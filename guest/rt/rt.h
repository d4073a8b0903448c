/* Runtime for single-image freestanding test programs (the demo and
 * tests/guests/ *): console on COM1, printf, exit through isa-debug-exit and
 * the Bochs shutdown port, and fault catching through an IDT.
 * Program entry: int main(struct mb_info *mbi); its return value V is
 * written to isa-debug-exit, so vmscope and QEMU exit with (V<<1)|1. */
#ifndef VMSCOPE_GUEST_RT_H
#define VMSCOPE_GUEST_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Multiboot information (Multiboot spec §3.3), the fields we read. */
struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr, config_table, boot_loader_name;
};
struct mb_mmap_entry { uint32_t size; uint64_t base, len; uint32_t type; } __attribute__((packed));
struct mb_module { uint32_t start, end, string, reserved; };

int main(struct mb_info *mbi);

static inline void outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(p)); }
static inline void outw(uint16_t p, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(p)); }
static inline void outl(uint16_t p, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint16_t inw(uint16_t p) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint32_t inl(uint16_t p) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }

void rt_putc(char c);
void rt_puts(const char *s);
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
int rt_snprintf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Write V to isa-debug-exit, then "Shutdown" to 0x8900 (Bochs), then halt. */
void rt_exit(uint32_t v) __attribute__((noreturn));

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Fault catching. rt_try runs fn(arg); when an exception (vectors 0-31)
 * happens inside it, it returns the vector and fills *f; otherwise -1.
 * Exceptions outside rt_try print the vector, error code and EIP and exit 0x7F. */
struct rt_fault {
    uint32_t vector, err, eip, cr2;
};
int rt_try(void (*fn)(void *), void *arg, struct rt_fault *f);
/* Install a handler for vector V in the IDT (DPL 0 interrupt gate unless
 * dpl/trap are given); used by tests that deliver their own interrupts. */
void rt_set_gate(unsigned v, void (*handler)(void), unsigned dpl, int trap);

#endif
