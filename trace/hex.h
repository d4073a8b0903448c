/* Bytes as lowercase hex text: the annotation decoder's raw records
 * (trace/annot_desc.c) and the GDB stub's replies (emu/gdbstub.c) both
 * print them, a block at a time. */
#ifndef VMSCOPE_TRACE_HEX_H
#define VMSCOPE_TRACE_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Write 2*N digits of B[0..N) to OUT (no terminator); returns 2*N. */
static inline size_t hex_encode(char *out, const uint8_t *b, size_t n)
{
    static const char digit[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digit[b[i] >> 4];
        out[2 * i + 1] = digit[b[i] & 15];
    }
    return 2 * n;
}

#endif
