/* Debug ports shared with QEMU and Bochs:
 *   0xE9   debug console (QEMU -debugcon, Bochs port_e9_hack): bytes to stderr or --debugcon
 *   0xF4   isa-debug-exit (QEMU -device isa-debug-exit,iobase=0xf4,iosize=4): status (V<<1)|1
 *   0x8900 Bochs shutdown port: the bytes of "Shutdown" power the machine off */
#ifndef VMSCOPE_DEVICES_DEBUGPORT_H
#define VMSCOPE_DEVICES_DEBUGPORT_H

#include <stdbool.h>
#include <stdio.h>

struct machine;

struct debugport {
    FILE *con;              /* debug console sink */
    bool con_owned;         /* we opened it and must close it */
    unsigned shutdown_pos;  /* bytes of "Shutdown" matched so far */
};

bool debugport_init(struct machine *m, struct debugport *d, const char *con_path,
                    char *err, unsigned errlen);
void debugport_free(struct debugport *d);

#endif
