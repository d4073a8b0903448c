/* printf and friends over write(1, ...), plus the test helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vmscope.h>

int vprintf(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n >= (int)sizeof buf)
        n = sizeof buf - 1;
    write(1, buf, n);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    return printf("%s\n", s);
}

void fail(const char *fmt, ...)
{
    char buf[EXIT_REASON_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    exit_reason(buf);
    exit(1);
}

/* Linker script: the image runs from 0x08048000 to _end. */
extern char _end[];

void touch_image(void)
{
    for (volatile const char *p = (const char *)0x08048000; p < _end; p += 4096)
        (void)*p;
}

unsigned long free_pages_now(void)
{
    static struct meminfo mi;
    touch_image();
    memset(&mi, 0, sizeof mi);      /* fault it in before the kernel counts */
    if (quiet_point(&mi, QP_DROP) < 0)
        fail("quiet_point failed");
    return mi.free_pages;
}

/* Decimal string to int (optional sign; stops at the first non-digit). */
int atoi(const char *s)
{
    int neg = 0, v = 0;
    while (*s == ' ')
        s++;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return neg ? -v : v;
}
