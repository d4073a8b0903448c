/* libFuzzer target: arbitrary GDB remote packets against a machine. The
 * input is split at newlines into packets handled in turn (so breakpoints
 * and watchpoints inserted by one are removed or hit by the next, and
 * memory written by one is read by another); every ninth input starts from
 * a fresh stub. Replies must stay within the buffer and nothing may crash.
 * Dictionary: tests/fuzz/emu-gdb-fuzz.dict. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu/gdbstub.h"
#include "emu/machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct machine *m;
    static struct gdbstub *g;
    static unsigned runs;
    if (!m) {
        struct vm_options opt = { .mem = 4u << 20 };
        char err[256];
        m = machine_new(&opt, err, sizeof err);
        if (!m)
            abort();
        cpu_multiboot_entry(m, 0x100000, 0x2BADB002, 0x9000);
    }
    if (!g || runs++ % 9 == 0) {
        gdb_free(g);
        g = gdb_new_detached();
        if (!g)
            abort();
    }
    char out[4096];
    const char *p = (const char *)data, *end = p + size;
    while (p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        char *pkt = malloc(len + 1);    /* exact size: ASan sees overreads */
        memcpy(pkt, p, len);
        pkt[len] = 0;
        memset(out, 0x55, sizeof out);
        gdb_handle_packet(m, g, pkt, len, out, sizeof out);
        free(pkt);
        if (!memchr(out, 0, sizeof out))
            abort();                /* the reply must be terminated within the buffer */
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}
