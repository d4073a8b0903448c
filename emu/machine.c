/* Building, stopping and freeing a machine (see machine.h). */
#include "emu/machine.h"
#include "emu/loader.h"
#include "emu/symbols.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct machine *machine_new(const struct vm_options *opt, char *err, size_t errlen)
{
    struct machine *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->opt = *opt;
    m->max_cycles = opt->max_cycles;
    uint32_t mem = opt->mem ? opt->mem : 16u << 20;
    if (mem & 0xFFF || mem < (1u << 20) || mem > 0xC0000000u) {
        snprintf(err, errlen, "--mem: size must be a multiple of 4 KiB between 1 MiB and 3 GiB");
        free(m);
        return NULL;
    }
    if (!bus_init(&m->bus, mem)) {
        snprintf(err, errlen, "cannot allocate %u bytes of guest RAM", mem);
        free(m);
        return NULL;
    }
    clock_init(&m->clock, opt->cpu_mhz ? opt->cpu_mhz : 100);
    if (!mmu_init(m, opt->tlb, opt->cycles, err, (unsigned)errlen) ||
        !cpu_init(m) ||
        !devices_init(m, opt, err, (unsigned)errlen)) {
        if (!*err)
            snprintf(err, errlen, "out of memory");
        machine_free(m);
        return NULL;
    }
    m->mmu.fastpath = !opt->no_fastpath;
    m->syms = symtab_new();
    if (opt->trace) {
        snprintf(err, errlen, "--trace: not built yet (trace module, issue 8)");
        machine_free(m);
        return NULL;
    }
    if (opt->kernel &&
        !loader_boot(m, opt->kernel, opt->kernel_display ? opt->kernel_display : opt->kernel,
                     opt->cmdline, opt->modules, opt->nmodules, err, (unsigned)errlen)) {
        machine_free(m);
        return NULL;
    }
    return m;
}

void machine_free(struct machine *m)
{
    if (!m)
        return;
    devices_free(m);
    symtab_free(m->syms);
    cpu_free(m);
    mmu_free(m);
    bus_free(&m->bus);
    free(m);
}

void machine_stop(struct machine *m, enum stop_reason why, int status, const char *fmt, ...)
{
    if (m->stop != STOP_NONE)
        return;
    m->stop = why;
    m->exit_status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->stop_msg, sizeof m->stop_msg, fmt, ap);
    va_end(ap);
    machine_kick(m);
}

void machine_set_intr(struct machine *m, bool level)
{
    m->intr = level;
    if (level)
        machine_kick(m);
}

uint8_t machine_intr_ack(struct machine *m)
{
    return devices_intr_ack(m);
}
