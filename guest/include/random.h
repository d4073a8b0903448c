/* The kernel's random numbers: a fixed generator seeded from the command
 * line's seed=N (default 0), so that AT_RANDOM, getrandom and /dev/urandom
 * give the same bytes on every run and under every emulator (DESIGN.md
 * "The guest kernel's command line"). Not for secrets. */
#ifndef VMSCOPE_GUEST_RANDOM_H
#define VMSCOPE_GUEST_RANDOM_H

#include <kernel.h>

/* Boot: seed from the command line. */
void rand_initialize(void);
void get_random_bytes(void *buf, size_t n);

#endif
