/* Building, stopping and freeing a machine (see machine.h). */
#include "emu/machine.h"
#include "emu/loader.h"
#include "mmu/tlb.h"
#include "mmu/zalloc.h"
#include "trace/writer.h"
#include "emu/symbols.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct machine *machine_new(const struct vm_options *opt, char *err, size_t errlen)
{
    /* struct machine holds 64-byte-aligned members (the MMU's fast
     * entries): calloc's 16 bytes are not enough. */
    struct machine *m = zalloc_aligned(_Alignof(struct machine), sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->opt = *opt;
    m->max_cycles = opt->max_cycles;
    m->idle_paced = opt->tty;
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
    if (opt->mem_prealloc)
        memset(m->bus.ram, 0, mem);     /* resident now, not at the guest's first touch */
    clock_init(&m->clock, opt->cpu_mhz ? opt->cpu_mhz : 100);
    if (!mmu_init(m, opt->tlb, opt->cycles, err, (unsigned)errlen) ||
        !cpu_init(m) ||
        !devices_init(m, opt, err, (unsigned)errlen)) {
        if (!*err)
            snprintf(err, errlen, "out of memory");
        machine_free(m);
        return NULL;
    }
    mmu_set_fastpath(m, !opt->no_fastpath);
    mmu_set_eip_source(m, &m->cpu.insn_eip);
    m->syms = symtab_new();
    if (opt->kernel &&
        !loader_boot(m, opt->kernel, opt->kernel_display ? opt->kernel_display : opt->kernel,
                     opt->cmdline, opt->modules, opt->nmodules, err, (unsigned)errlen)) {
        machine_free(m);
        return NULL;
    }
    if (opt->trace) {
        /* The trace header: the machine's configuration, in canonical form.
         * Opened after the loader so that the symbol tables are known. */
        char tlb[512], cyc[512], cl[4096];
        tlb_config_format(&m->mmu.tlb->cfg, tlb, sizeof tlb);
        tlb_costs_format(&m->mmu.cost, cyc, sizeof cyc);
        const char *kname = opt->kernel_display ? opt->kernel_display : opt->kernel;
        snprintf(cl, sizeof cl, "%s %s", kname ? kname : "", opt->cmdline ? opt->cmdline : "");
        struct trace_config tc = {
            .vmscope_version = VMSCOPE_VERSION, .ram_bytes = mem, .tlb_spec = tlb,
            .cycle_model = cyc, .cpu_mhz = m->clock.mhz, .kernel = kname, .cmdline = cl,
            .filter = opt->trace_filter,
        };
        tc.have_sha256 = opt->kernel && trace_sha256_file(opt->kernel, tc.kernel_sha256);
        tc.no_period = opt->trace_no_period;
        /* The symbol chunk: what the loader read (kernel and modules, one
         * table for every address space), as plain arrays. */
        struct trace_symbol *ts = calloc(m->syms->n ? m->syms->n : 1, sizeof *ts);
        if (!ts) {
            snprintf(err, errlen, "out of memory");
            machine_free(m);
            return NULL;
        }
        for (size_t i = 0; i < m->syms->n; i++)
            ts[i] = (struct trace_symbol){ m->syms->sym[i].addr, m->syms->sym[i].size, m->syms->sym[i].name };
        struct trace_image img = { .name = "kernel", .id = 0, .bias = 0, .pid = TR_PID_ANY,
                                   .sym = ts, .nsym = m->syms->n };
        if (m->syms->n) {
            tc.images = &img;
            tc.nimages = 1;
        }
        m->trace = trace_writer_open(opt->trace, &tc, err, errlen);
        free(ts);
        if (!m->trace) {
            machine_free(m);
            return NULL;
        }
    }
    return m;
}

void machine_free(struct machine *m)
{
    if (!m)
        return;
    if (m->trace) {
        char terr[512];
        if (!trace_writer_close(m->trace, terr, sizeof terr))
            fprintf(stderr, "vmscope: trace: %s\n", terr);
        m->trace = NULL;
    }
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

void machine_ferr(struct machine *m)
{
    ferr_assert(m, &m->dev.ferr);
}
