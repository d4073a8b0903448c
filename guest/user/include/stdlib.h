#ifndef VMSCOPE_USER_STDLIB_H
#define VMSCOPE_USER_STDLIB_H

#include <stddef.h>

/* malloc on brk: first fit over a free list, freed blocks merged with
 * their neighbours, the heap never shrinks. */
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void free(void *p);
int atoi(const char *s);
void exit(int status) __attribute__((noreturn));

#endif
