/* cpu_dump: the CPU state for triple faults and debugging. */
#include "cpu/cpu_impl.h"

#include <inttypes.h>

static void dump_seg(FILE *f, const char *name, const struct cpu_seg *g)
{
    fprintf(f, "%-4s %04x base=%08" PRIx32 " limit=%08" PRIx32 " flags=%04" PRIx32 "\n",
            name, g->sel, g->base, g->limit, g->flags & 0xF0FF);
}

void cpu_dump(struct machine *m, FILE *f)
{
    const struct cpu *c = &m->cpu;
    static const char *const names[6] = { "ES", "CS", "SS", "DS", "FS", "GS" };
    fprintf(f, "EAX=%08" PRIx32 " EBX=%08" PRIx32 " ECX=%08" PRIx32 " EDX=%08" PRIx32 "\n",
            c->r[R_EAX], c->r[R_EBX], c->r[R_ECX], c->r[R_EDX]);
    fprintf(f, "ESI=%08" PRIx32 " EDI=%08" PRIx32 " EBP=%08" PRIx32 " ESP=%08" PRIx32 "\n",
            c->r[R_ESI], c->r[R_EDI], c->r[R_EBP], c->r[R_ESP]);
    fprintf(f, "EIP=%08" PRIx32 " EFLAGS=%08" PRIx32 " CPL=%u%s\n",
            c->eip, cpu_get_eflags(m), c->cpl, c->halted ? " (halted)" : "");
    for (unsigned s = 0; s < 6; s++)
        dump_seg(f, names[s], &c->seg[s]);
    dump_seg(f, "LDTR", &c->ldtr);
    dump_seg(f, "TR", &c->tr);
    fprintf(f, "GDTR base=%08" PRIx32 " limit=%04x  IDTR base=%08" PRIx32 " limit=%04x\n",
            c->gdtr.base, c->gdtr.limit, c->idtr.base, c->idtr.limit);
    fprintf(f, "CR0=%08" PRIx32 " CR2=%08" PRIx32 " CR3=%08" PRIx32 " CR4=%08" PRIx32 "\n",
            m->mmu.cr0, c->cr2, m->mmu.cr3, m->mmu.cr4);
    fprintf(f, "DR0=%08" PRIx32 " DR1=%08" PRIx32 " DR2=%08" PRIx32 " DR3=%08" PRIx32
            " DR6=%08" PRIx32 " DR7=%08" PRIx32 "\n",
            c->dr[0], c->dr[1], c->dr[2], c->dr[3], c->dr[6], c->dr[7]);
    fprintf(f, "instructions=%" PRIu64 " cycles=%" PRIu64 "\n", c->insns, m->clock.cycles);
}
