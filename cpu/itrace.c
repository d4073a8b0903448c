/* --itrace: one line per executed instruction with Capstone's disassembly,
 * its linear address and the registers it changed (x87 registers by their
 * stack names, the status and control words).
 *
 *   0010002a  b8 01 00 00 00        mov eax, 1            eax=00000001
 *   00100040  cd 80                 int 0x80              [exception]
 *
 * The instruction bytes are re-read through mmu_probe (no statistics, no
 * A/D bits, no trace), so tracing does not change what the model counts.
 * Enabled by cpu_itrace_setup; costs nothing when off (cpu.slow). */
#include "cpu/cpu_impl.h"
#include "emu/symbols.h"

#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdlib.h>

struct cpu_itrace {
    bool pending;           /* begin() recorded an instruction in range */
    bool code32;
    uint32_t lin;           /* linear address of the instruction */
    uint32_t r[8];          /* registers before */
    uint32_t eflags;
    uint16_t sel[6];
    struct fpu fpu;         /* the x87 before */
    csh cs32, cs16;         /* Capstone handles */
    bool cs_ok;
    const struct symbol *sym;   /* function of the last line printed */
};

static const char *const reg_names[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
static const char *const seg_names[6] = { "es", "cs", "ss", "ds", "fs", "gs" };

static bool parse_hex(const char *s, const char **end, uint32_t *out)
{
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    char *e;
    unsigned long long v = strtoull(s, &e, 16);
    if (e == s || v > 0xFFFFFFFFull)
        return false;
    *out = (uint32_t)v;
    *end = e;
    return true;
}

bool cpu_itrace_setup(struct machine *m, const char *spec, uint64_t limit, FILE *out,
                      char *err, unsigned errlen)
{
    struct cpu *c = &m->cpu;
    uint32_t from = 0, to = 0xFFFFFFFFu;
    if (spec && *spec) {
        const char *p;
        if (!parse_hex(spec, &p, &from) || *p != '-' || !parse_hex(p + 1, &p, &to) || *p || from > to) {
            snprintf(err, errlen, "--itrace: expected FROM-TO (hex linear addresses), got '%s'", spec);
            return false;
        }
    }
    if (!c->itrace) {
        c->itrace = calloc(1, sizeof *c->itrace);
        if (!c->itrace) {
            snprintf(err, errlen, "--itrace: out of memory");
            return false;
        }
        c->itrace->cs_ok = cs_open(CS_ARCH_X86, CS_MODE_32, &c->itrace->cs32) == CS_ERR_OK &&
                           cs_open(CS_ARCH_X86, CS_MODE_16, &c->itrace->cs16) == CS_ERR_OK;
    }
    c->itrace_out = out;
    c->itrace_from = from;
    c->itrace_to = to;
    c->itrace_left = limit ? limit : UINT64_MAX;
    cpu_slow_set(c, SLOW_ITRACE);
    return true;
}

void cpu_itrace_free(struct machine *m)
{
    struct cpu_itrace *t = m->cpu.itrace;
    if (!t)
        return;
    if (t->cs_ok) {
        cs_close(&t->cs32);
        cs_close(&t->cs16);
    }
    free(t);
    m->cpu.itrace = NULL;
}

void cpu_itrace_begin(struct machine *m)
{
    struct cpu *c = &m->cpu;
    struct cpu_itrace *t = c->itrace;
    if (!t || !c->itrace_out || c->itrace_left == 0)
        return;
    uint32_t lin = c->seg[S_CS].base + c->eip;
    if (lin < c->itrace_from || lin > c->itrace_to)
        return;
    t->pending = true;
    t->lin = lin;
    t->code32 = (c->seg[S_CS].flags & DF_DB) != 0;
    memcpy(t->r, c->r, sizeof t->r);
    t->eflags = cpu_get_eflags(m);
    for (unsigned s = 0; s < 6; s++)
        t->sel[s] = c->seg[s].sel;
    t->fpu = c->fpu;
}

void cpu_itrace_insn(struct machine *m, FILE *f, const char *fault)
{
    struct cpu *c = &m->cpu;
    struct cpu_itrace *t = c->itrace;
    if (!t || !t->pending || !f)
        return;
    t->pending = false;
    c->itrace_left--;

    uint8_t bytes[16];
    unsigned n = 0;
    for (; n < 15; n++) {
        uint32_t phys;
        if (!mmu_probe(m, t->lin + n, MMU_FETCH, c->cpl, &phys))
            break;
        bytes[n] = (uint8_t)bus_read(m, phys, 1);
    }
    char text[192] = "(bad)";
    unsigned len = n ? 1 : 0;
    if (t->cs_ok && n) {
        cs_insn *ci;
        size_t k = cs_disasm(t->code32 ? t->cs32 : t->cs16, bytes, n, t->lin, 1, &ci);
        if (k > 0) {
            snprintf(text, sizeof text, "%s%s%s", ci[0].mnemonic, ci[0].op_str[0] ? " " : "", ci[0].op_str);
            len = ci[0].size;
            cs_free(ci, k);
        } else {
            int l = cpu_decode_length(bytes, n, t->code32);
            len = l > 0 ? (unsigned)l : 1;
        }
    }
    char hex[48] = "";
    for (unsigned k = 0, p = 0; k < len && k < 15 && p + 4 < sizeof hex; k++)
        p += (unsigned)snprintf(hex + p, sizeof hex - p, "%02x ", bytes[k]);

    /* a label line whenever the trace enters another function, as objdump does */
    uint32_t off;
    const struct symbol *sym = symtab_lookup(m->syms, t->lin, &off);
    if (sym && sym != t->sym) {
        if (off)
            fprintf(f, "<%s+0x%" PRIx32 ">:\n", sym->name, off);
        else
            fprintf(f, "<%s>:\n", sym->name);
    }
    t->sym = sym;
    fprintf(f, "%08" PRIx32 "  %-30s %-34s", t->lin, hex, text);
    if (fault) {
        fprintf(f, " [%s]\n", fault);
        return;
    }
    for (unsigned r = 0; r < 8; r++)
        if (c->r[r] != t->r[r])
            fprintf(f, " %s=%08" PRIx32, reg_names[r], c->r[r]);
    for (unsigned s = 0; s < 6; s++)
        if (c->seg[s].sel != t->sel[s])
            fprintf(f, " %s=%04x", seg_names[s], c->seg[s].sel);
    uint32_t fl = cpu_get_eflags(m);
    if (fl != t->eflags)
        fprintf(f, " eflags=%08" PRIx32, fl);
    /* the x87: stack registers by their stack names, then the words */
    const struct fpu *x = &c->fpu, *y = &t->fpu;
    for (unsigned k = 0; k < 8; k++) {
        unsigned p = (x->top + k) & 7, q = (y->top + k) & 7;
        bool xe = (x->empty >> p) & 1, ye = (y->empty >> q) & 1;
        if (xe != ye || (!xe && (x->st[p].sig != y->st[q].sig || x->st[p].se != y->st[q].se))) {
            if (xe)
                fprintf(f, " st%u=empty", k);
            else
                fprintf(f, " st%u=%04x:%016" PRIx64, k, x->st[p].se, x->st[p].sig);
        }
    }
    if (fpu_status_word(x) != fpu_status_word(y))
        fprintf(f, " fsw=%04x", fpu_status_word(x));
    if (x->cw != y->cw)
        fprintf(f, " fcw=%04x", x->cw);
    fputc('\n', f);
}
