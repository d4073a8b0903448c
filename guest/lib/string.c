/* Freestanding string functions for the kernel and the user libc (see
 * include/lib/string.h). Byte loops: the emulator counts every access, and
 * simple loops make the traces easy to read. memcpy/memset use string
 * instructions because page copies dominate fork and zero-fill. */
#include <lib/string.h>

/* memset, memcpy: string instructions, 4 bytes at a time when aligned. */
void *memset(void *d, int c, size_t n)
{
    void *ret = d;
    if (((unsigned long)d & 3) == 0 && (n & 3) == 0) {
        unsigned long v = (unsigned char)c * 0x01010101ul;
        unsigned long cnt = n >> 2;
        __asm__ volatile("cld; rep stosl" : "+D"(d), "+c"(cnt) : "a"(v) : "memory");
    } else {
        __asm__ volatile("cld; rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    }
    return ret;
}

void *memcpy(void *d, const void *s, size_t n)
{
    void *ret = d;
    if ((((unsigned long)d | (unsigned long)s | n) & 3) == 0) {
        unsigned long cnt = n >> 2;
        __asm__ volatile("cld; rep movsl" : "+D"(d), "+S"(s), "+c"(cnt) : : "memory");
    } else {
        __asm__ volatile("cld; rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    }
    return ret;
}

/* Copy backwards when the regions overlap with d above s. */
void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *a = d;
    const unsigned char *b = s;
    if (a == b || n == 0)
        return d;
    if (a < b || a >= b + n)
        return memcpy(d, s, n);
    while (n--)
        a[n] = b[n];
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

char *strcpy(char *d, const char *s)
{
    char *r = d;
    while ((*d++ = *s++))
        ;
    return r;
}

char *strcat(char *d, const char *s)
{
    strcpy(d + strlen(d), s);
    return d;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (!*s)
            return (char *)last;
    }
}

size_t strlcpy(char *d, const char *s, size_t size)
{
    size_t len = strlen(s);
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(d, s, n);
        d[n] = 0;
    }
    return len;
}
