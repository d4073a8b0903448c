#ifndef VMSCOPE_USER_STDIO_H
#define VMSCOPE_USER_STDIO_H

#include <stdarg.h>
#include <stddef.h>
#include <lib/vsprintf.h>

/* Formatted output to the console (fd 1). One printf is one write system
 * call, so a line from one process is never split by another's. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);
int rename(const char *oldpath, const char *newpath);

#endif
