/* libFuzzer target: arbitrary bytes as a kernel image and as an ELF symbol
 * table. The loader must reject or load them without touching memory
 * outside the guest's. */
#include <stdint.h>
#include <stdlib.h>

#include "emu/loader.h"
#include "emu/machine.h"
#include "emu/symbols.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct machine *m;
    if (!m) {
        struct vm_options opt = { .mem = 4u << 20 };
        char err[256];
        m = machine_new(&opt, err, sizeof err);
        if (!m)
            abort();
    }
    struct mb_image img;
    char err[256];
    loader_load_image(m, "fuzz", data, size, &img, err, sizeof err);
    struct symtab *t = symtab_new();
    symtab_add_elf(t, data, size);
    uint32_t off;
    symtab_lookup(t, 0x100000, &off);
    symtab_free(t);
    return 0;
}
