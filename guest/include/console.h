/* The console: COM1 (16550 UART at 0x3F8), polled output only. */
#ifndef VMSCOPE_GUEST_CONSOLE_H
#define VMSCOPE_GUEST_CONSOLE_H

#include <kernel.h>

void serial_init(void);
/* Write n bytes, turning "\n" into "\r\n". Interrupts are held off while a
 * call runs, so one call's bytes are never interleaved with another's. */
void serial_write(const char *s, size_t n);

#endif
