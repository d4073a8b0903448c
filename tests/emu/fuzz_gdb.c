/* libFuzzer target: arbitrary GDB remote packets against a machine. Replies
 * must stay within the buffer and nothing may crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu/gdbstub.h"
#include "emu/machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct machine *m;
    static struct gdbstub *g;
    if (!m) {
        struct vm_options opt = { .mem = 4u << 20 };
        char err[256];
        m = machine_new(&opt, err, sizeof err);
        g = gdb_new_detached();
        if (!m || !g)
            abort();
        cpu_multiboot_entry(m, 0x100000, 0x2BADB002, 0x9000);
    }
    char out[4096];
    gdb_handle_packet(m, g, (const char *)data, size, out, sizeof out);
    if (strlen(out) >= sizeof out)
        abort();
    return 0;
}
