/* GDB remote serial protocol stub (GDB manual, appendix E "Remote Protocol").
 * Listens on the loopback address only. Registers follow GDB's i386 core
 * feature (x87 registers read as zero: the modelled CPU has none) plus
 * org.vmscope.i386.sys with CR0, CR2, CR3, CR4. Memory is read and written
 * by linear address through the page tables without touching the TLB model,
 * its statistics or the trace: debugger accesses are not guest accesses. */
#ifndef VMSCOPE_EMU_GDBSTUB_H
#define VMSCOPE_EMU_GDBSTUB_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct machine;
struct gdbstub;

/* Bind 127.0.0.1:PORT. Returns NULL and one line in ERR on failure. */
struct gdbstub *gdb_listen(uint16_t port, char *err, unsigned errlen);
void gdb_free(struct gdbstub *g);

/* Run M under the debugger until the machine stops or the debugger kills it.
 * WAIT: wait for a connection and stop before the first instruction (like
 * QEMU's -s -S); otherwise run and stop when a debugger attaches. Returns the
 * exit status. */
int gdb_run(struct machine *m, struct gdbstub *g, bool wait, volatile sig_atomic_t *sig);

/* Handle one packet's payload (without $ and checksum) and write the reply
 * payload into OUT (at most OUTLEN-1 bytes). Exposed for the fuzz target and
 * tests: returns false for packets that resume execution (c, s, vCont;c...),
 * which a caller without a run loop answers itself. */
bool gdb_handle_packet(struct machine *m, struct gdbstub *g, const char *pkt, size_t len,
                       char *out, size_t outlen);
/* A stub with no socket, for gdb_handle_packet in tests and fuzzing. */
struct gdbstub *gdb_new_detached(void);

#endif
