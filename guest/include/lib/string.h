/* Freestanding string and memory functions (guest/lib/string.c), shared by
 * the kernel and the user libc. Same contracts as ISO C. */
#ifndef VMSCOPE_GUEST_LIB_STRING_H
#define VMSCOPE_GUEST_LIB_STRING_H

#include <stddef.h>

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *d, const char *s);
char *strcat(char *d, const char *s);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copy at most size-1 bytes and always NUL-terminate (size > 0).
 * Returns strlen(s). */
size_t strlcpy(char *d, const char *s, size_t size);

#endif
