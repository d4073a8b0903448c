/* Parsing of numbers and sizes on the command line. */
#ifndef VMSCOPE_EMU_SIZES_H
#define VMSCOPE_EMU_SIZES_H

#include <stdbool.h>
#include <stdint.h>

/* "16M", "512K", "1G", "4096", "0x1000": bytes. False on junk or overflow. */
bool parse_size(const char *s, uint64_t *out);
/* Decimal or 0x-prefixed unsigned integer, with optional K/M/G suffix for
 * counts written as 10M. False on junk or overflow. */
bool parse_u64(const char *s, uint64_t *out);

#endif
