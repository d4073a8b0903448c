/* The host terminal as COM1's console (`vmscope run --tty`).
 *
 * console_raw_enter puts the terminal on a descriptor into raw input mode,
 * as QEMU's `-serial stdio` does for its character backend: no canonical
 * line editing, no echo, no signals from Ctrl-C, Ctrl-Z or Ctrl-\ (they
 * reach the guest as bytes), no CR/NL translation or flow control on
 * input, 8-bit characters, reads of at least one byte. Output processing
 * (OPOST, ONLCR) stays as it was, so a guest's and vmscope's own "\n"
 * still starts a new line. The saved settings come back by
 * console_restore, which every way out of the process calls: the normal
 * end (main), exit() (an atexit handler), and fatal signals (a handler
 * that restores, then lets the previous action run: the default, a
 * sanitizer's report). The terminal is process-wide host state, not
 * machine state, so it lives here once. */
#ifndef VMSCOPE_EMU_CONSOLE_H
#define VMSCOPE_EMU_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

/* Raw mode on FD (a terminal), remembering its settings for
 * console_restore. False with one line in ERR when FD is not a terminal or
 * its settings cannot be read or changed. */
bool console_raw_enter(int fd, char *err, size_t errlen);

/* Put the saved settings back (at once, TCSANOW; input not yet read is
 * kept). Safe to call more than once, from a signal handler, and when
 * console_raw_enter was never called. */
void console_restore(void);

#endif
