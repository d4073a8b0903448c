/* Formatted output into a buffer (guest/lib/vsprintf.c), shared by printk
 * and the user printf. Conversions: %d %i %u %x %X %o %p %s %c %% with flags
 * '-' '0', a width (or '*'), a precision for %s, and the l/ll/z/h length
 * modifiers (ll is 64-bit). */
#ifndef VMSCOPE_GUEST_LIB_VSPRINTF_H
#define VMSCOPE_GUEST_LIB_VSPRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Format into buf (at most size bytes including the NUL; size may be 0).
 * Returns the length the full result would have. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
