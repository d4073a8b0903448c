/* Debug console 0xE9, isa-debug-exit 0xF4 and the Bochs shutdown port 0x8900
 * (see debugport.h). QEMU's isa-debug-exit exits with (value << 1) | 1 for
 * any write width; we take the value as written. */
#include "devices/debugport.h"
#include "emu/machine.h"

#include <errno.h>
#include <string.h>

static void debugcon_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct debugport *d = dev;
    fputc((int)(val & 0xFF), d->con);
}

static uint32_t debugcon_read(struct machine *m, void *dev, uint16_t port, unsigned size)
{
    return 0xE9;    /* QEMU and Bochs answer 0xE9 so guests can detect the port */
}

static void debug_exit_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    machine_stop(m, STOP_DEBUG_EXIT, (int)(((val << 1) | 1) & 0xFF),
                 "guest wrote %u to isa-debug-exit", (unsigned)val);
}

static void shutdown_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    static const char word[] = "Shutdown";
    struct debugport *d = dev;
    char c = (char)(val & 0xFF);
    if (c == word[d->shutdown_pos])
        d->shutdown_pos++;
    else
        d->shutdown_pos = c == word[0];
    if (d->shutdown_pos == sizeof word - 1)
        machine_stop(m, STOP_SHUTDOWN, 0, "guest powered off (Shutdown on port 0x8900)");
}

bool debugport_init(struct machine *m, struct debugport *d, const char *con_path,
                    char *err, unsigned errlen)
{
    memset(d, 0, sizeof *d);
    d->con = stderr;
    if (con_path) {
        d->con = fopen(con_path, "w");
        if (!d->con) {
            snprintf(err, errlen, "%s: cannot open debug console: %s", con_path, strerror(errno));
            return false;
        }
        d->con_owned = true;
    }
    bus_register_pio(&m->bus, 0xE9, 1, PIO_W8, d, debugcon_read, debugcon_write);
    /* isa-debug-exit takes a 32-bit OUT whole (iosize=4, like QEMU). */
    bus_register_pio(&m->bus, 0xF4, 4, PIO_W8 | PIO_W16 | PIO_W32, d, NULL, debug_exit_write);
    bus_register_pio(&m->bus, 0x8900, 1, PIO_W8, d, NULL, shutdown_write);
    return true;
}

void debugport_free(struct debugport *d)
{
    if (d->con_owned && d->con)
        fclose(d->con);
    else if (d->con)
        fflush(d->con);
    d->con = NULL;
}
