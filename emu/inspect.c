/* Memory-state views (see inspect.h). Page-table formats per Intel SDM
 * vol. 3A §4.3 (32-bit paging, figure 4-4): these views decode them on their
 * own, from memory, so they show what the guest built even when the TLB
 * still holds something else. */
#include "emu/inspect.h"
#include "emu/machine.h"
#include "mmu/tlb.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define P_P 0x001u
#define P_RW 0x002u
#define P_US 0x004u
#define P_A 0x020u
#define P_D 0x040u
#define P_PS 0x080u
#define P_G 0x100u

void inspect_regs(struct machine *m, FILE *f)
{
    cpu_dump(m, f);
    fpu_dump(&m->cpu.fpu, f);
}

/* One mapped run of linear pages: same attributes, contiguous physical. */
struct run {
    bool open;
    uint32_t lin, phys, pages;
    uint32_t attr;      /* effective P_RW|P_US (both levels), P_A|P_D|P_G of the leaf, P_PS */
};

static void run_flush(FILE *f, struct run *r)
{
    if (!r->open)
        return;
    uint64_t end = (uint64_t)r->lin + (uint64_t)r->pages * 4096 - 1;
    fprintf(f, "  %08x-%08llx -> %08x %7u KiB %c%c%c %c%c%c%s\n", r->lin, (unsigned long long)end,
            r->phys, r->pages * 4, r->attr & P_US ? 'u' : 's', 'r', r->attr & P_RW ? 'w' : '-',
            r->attr & P_A ? 'a' : '-', r->attr & P_D ? 'd' : '-', r->attr & P_G ? 'g' : '-',
            r->attr & P_PS ? " 4M" : "");
    r->open = false;
}

static void run_add(FILE *f, struct run *r, uint32_t lin, uint32_t phys, uint32_t pages, uint32_t attr)
{
    if (r->open && r->attr == attr && r->lin + r->pages * 4096 == lin &&
        r->phys + r->pages * 4096 == phys) {
        r->pages += pages;
        return;
    }
    run_flush(f, r);
    *r = (struct run){ true, lin, phys, pages, attr };
}

/* Visit every present leaf mapping: fn(lin, phys, pages, attr, pte_frame_or_0). */
typedef void (*leaf_fn)(void *ctx, uint32_t lin, uint32_t phys, uint32_t pages, uint32_t attr,
                        uint32_t pt_frame);

static bool walk_all(struct machine *m, leaf_fn fn, void *ctx)
{
    if (!m->mmu.paging)
        return false;
    uint32_t pd = m->mmu.cr3 & 0xFFFFF000u;
    bool pse = m->mmu.cr4 & CR4_PSE;
    for (uint32_t i = 0; i < 1024; i++) {
        uint32_t pde = bus_read(m, pd + i * 4, 4);
        if (!(pde & P_P))
            continue;
        uint32_t lin = i << 22;
        if ((pde & P_PS) && pse) {
            fn(ctx, lin, pde & 0xFFC00000u, 1024, (pde & (P_RW | P_US | P_A | P_D | P_G)) | P_PS, 0);
            continue;
        }
        uint32_t pt = pde & 0xFFFFF000u;
        for (uint32_t j = 0; j < 1024; j++) {
            uint32_t pte = bus_read(m, pt + j * 4, 4);
            if (!(pte & P_P))
                continue;
            uint32_t attr = (pde & pte & (P_RW | P_US)) | (pte & (P_A | P_D | P_G));
            fn(ctx, lin | (j << 12), pte & 0xFFFFF000u, 1, attr, pt >> 12);
        }
    }
    return true;
}

struct pt_ctx { FILE *f; struct run run; uint64_t pages; };

static void pt_leaf(void *c, uint32_t lin, uint32_t phys, uint32_t pages, uint32_t attr, uint32_t ptf)
{
    struct pt_ctx *x = c;
    run_add(x->f, &x->run, lin, phys, pages, attr);
    x->pages += pages;
}

void inspect_pagetables(struct machine *m, FILE *f)
{
    if (!m->mmu.paging) {
        fprintf(f, "pagetables: paging is off (CR0.PG=0): linear = physical\n");
        return;
    }
    fprintf(f, "pagetables: CR3=%08x CR4.PSE=%d CR4.PGE=%d CR0.WP=%d\n", m->mmu.cr3,
            !!(m->mmu.cr4 & CR4_PSE), !!(m->mmu.cr4 & CR4_PGE), !!(m->mmu.cr0 & CR0_WP));
    fprintf(f, "  linear range        -> physical    size  u/s r w a d g\n");
    struct pt_ctx x = { f, { 0 }, 0 };
    walk_all(m, pt_leaf, &x);
    run_flush(f, &x.run);
    fprintf(f, "  %llu KiB mapped\n", (unsigned long long)x.pages * 4);
}

/* --- physical frame map --- */
enum { F_FREE, F_PGDIR, F_PGTABLE, F_MAPPED, F_OUTSIDE };
static const char *const frame_kind[] = { "not mapped", "page directory", "page table", "mapped", "" };

struct frame_info {
    uint8_t kind;
    uint32_t first_lin;     /* first linear page mapping it */
    uint32_t maps;          /* how many linear pages map it */
};

struct phys_ctx { struct frame_info *fi; uint32_t nframes; };

static void phys_leaf(void *c, uint32_t lin, uint32_t phys, uint32_t pages, uint32_t attr, uint32_t ptf)
{
    struct phys_ctx *x = c;
    if (ptf && ptf < x->nframes)
        x->fi[ptf].kind = F_PGTABLE;
    for (uint32_t k = 0; k < pages; k++) {
        uint32_t fr = (phys >> 12) + k;
        if (fr >= x->nframes)
            break;
        struct frame_info *i = &x->fi[fr];
        if (i->kind == F_FREE) {
            i->kind = F_MAPPED;
            i->first_lin = lin + k * 4096;
        }
        i->maps++;
    }
}

void inspect_phys(struct machine *m, FILE *f)
{
    uint32_t n = m->bus.ram_size >> 12;
    if (!m->mmu.paging) {
        fprintf(f, "phys: paging is off: all %u frames are addressed directly\n", n);
        return;
    }
    struct frame_info *fi = calloc(n, sizeof *fi);
    if (!fi) {
        fprintf(f, "phys: out of memory\n");
        return;
    }
    struct phys_ctx x = { fi, n };
    walk_all(m, phys_leaf, &x);
    uint32_t pdf = m->mmu.cr3 >> 12;
    if (pdf < n)
        fi[pdf].kind = F_PGDIR;
    uint32_t counts[4] = { 0 };
    fprintf(f, "phys: %u frames of 4 KiB (from the page tables of CR3=%08x)\n", n, m->mmu.cr3);
    for (uint32_t a = 0; a < n;) {
        uint32_t b = a + 1;
        /* a run: same kind, and for mapped frames a contiguous linear mapping */
        while (b < n && fi[b].kind == fi[a].kind &&
               (fi[a].kind != F_MAPPED ||
                (fi[b].first_lin == fi[a].first_lin + (b - a) * 4096 && (fi[b].maps > 1) == (fi[a].maps > 1))))
            b++;
        counts[fi[a].kind] += b - a;
        fprintf(f, "  %08x-%08x %6u frames %s", a << 12, (b << 12) - 1, b - a, frame_kind[fi[a].kind]);
        if (fi[a].kind == F_MAPPED)
            fprintf(f, " at %08x-%08x%s", fi[a].first_lin, fi[a].first_lin + (b - a) * 4096 - 1,
                    fi[a].maps > 1 ? " (and aliases)" : "");
        fputc('\n', f);
        a = b;
    }
    fprintf(f, "  totals: %u mapped, %u page tables, %u page directory, %u not mapped\n",
            counts[F_MAPPED], counts[F_PGTABLE], counts[F_PGDIR], counts[F_FREE]);
    free(fi);
}

void inspect_tlb(struct machine *m, FILE *f)
{
    mmu_sync_stats(m);
    if (m->mmu.tlb)
        tlb_dump(m->mmu.tlb, f);
    else
        fprintf(f, "tlb: no TLB model\n");
}

void inspect_mem(struct machine *m, FILE *f, uint32_t addr, uint32_t len, bool physical)
{
    if (len > 1u << 20)
        len = 1u << 20;
    for (uint32_t row = 0; row < len; row += 16) {
        uint8_t b[16];
        bool ok[16];
        for (unsigned i = 0; i < 16 && row + i < len; i++) {
            uint32_t a = addr + row + i, p = a;
            ok[i] = physical || mmu_probe(m, a, MMU_READ, 0, &p);
            b[i] = ok[i] ? (uint8_t)bus_read(m, p, 1) : 0;
        }
        fprintf(f, "%c%08x:", physical ? 'p' : ' ', addr + row);
        for (unsigned i = 0; i < 16; i++) {
            if (row + i >= len)
                fprintf(f, "   ");
            else if (ok[i])
                fprintf(f, " %02x", b[i]);
            else
                fprintf(f, " --");
        }
        fprintf(f, "  ");
        for (unsigned i = 0; i < 16 && row + i < len; i++)
            fputc(ok[i] && isprint(b[i]) ? b[i] : '.', f);
        fputc('\n', f);
    }
}

/* Split "mem ADDR LEN" / "mem:ADDR:LEN" into words. */
static int split(const char *cmd, char words[3][32])
{
    int n = 0;
    const char *p = cmd;
    while (*p && n < 3) {
        while (*p == ' ' || *p == ':')
            p++;
        if (!*p)
            break;
        size_t k = 0;
        while (*p && *p != ' ' && *p != ':') {
            if (k < 31)
                words[n][k++] = *p;
            p++;
        }
        words[n++][k] = 0;
    }
    while (*p == ' ' || *p == ':')
        p++;
    return *p ? 4 : n;
}

static bool parse_mem(char words[3][32], int n, uint32_t *addr, uint32_t *len)
{
    char *e1, *e2;
    if (n != 3)
        return false;
    unsigned long a = strtoul(words[1], &e1, 0), l = strtoul(words[2], &e2, 0);
    if (*e1 || *e2 || a > 0xFFFFFFFFul || l == 0 || l > 0x100000)
        return false;
    *addr = (uint32_t)a;
    *len = (uint32_t)l;
    return true;
}

static const char *const views[] = { "regs", "pagetables", "tlb", "phys", "mem", "physmem" };

static int view_index(const char *w)
{
    for (unsigned i = 0; i < sizeof views / sizeof views[0]; i++)
        if (strcmp(w, views[i]) == 0)
            return (int)i;
    return -1;
}

bool inspect_command(struct machine *m, FILE *f, const char *cmd)
{
    char w[3][32];
    int n = split(cmd, w);
    int v = n ? view_index(w[0]) : -1;
    uint32_t addr, len;
    switch (v) {
    case 0: if (n != 1) break; inspect_regs(m, f); return true;
    case 1: if (n != 1) break; inspect_pagetables(m, f); return true;
    case 2: if (n != 1) break; inspect_tlb(m, f); return true;
    case 3: if (n != 1) break; inspect_phys(m, f); return true;
    case 4: case 5:
        if (!parse_mem(w, n, &addr, &len))
            break;
        inspect_mem(m, f, addr, len, v == 5);
        return true;
    default: break;
    }
    fprintf(f, "unknown inspection '%s': use regs, pagetables, tlb, phys, mem ADDR LEN, physmem ADDR LEN\n", cmd);
    return false;
}

/* Calls fn on each comma-separated item; stops at the first false. */
static bool each_item(const char *list, bool (*fn)(void *, const char *), void *ctx)
{
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        char item[96];
        if (l == 0 || l >= sizeof item)
            return fn(ctx, "");
        memcpy(item, p, l);
        item[l] = 0;
        if (!fn(ctx, item))
            return false;
        p += l + (e ? 1 : 0);
    }
    return true;
}

struct run_ctx { struct machine *m; FILE *f; };
static bool run_item(void *c, const char *item)
{
    struct run_ctx *x = c;
    return inspect_command(x->m, x->f, item);
}

bool inspect_list(struct machine *m, FILE *f, const char *list)
{
    struct run_ctx x = { m, f };
    return each_item(list, run_item, &x);
}

struct valid_ctx { char *err; unsigned errlen; };
static bool valid_item(void *c, const char *item)
{
    struct valid_ctx *x = c;
    char w[3][32];
    uint32_t a, l;
    int n = split(item, w);
    int v = n ? view_index(w[0]) : -1;
    bool ok = v >= 0 && (v < 4 ? n == 1 : parse_mem(w, n, &a, &l));
    if (!ok)
        snprintf(x->err, x->errlen, "--inspect: unknown view '%s' (regs, pagetables, tlb, phys, mem:ADDR:LEN, physmem:ADDR:LEN)", item);
    return ok;
}

bool inspect_list_valid(const char *list, char *err, unsigned errlen)
{
    struct valid_ctx x = { err, errlen };
    return *list && each_item(list, valid_item, &x);
}

bool inspect_point_parse(const char *s, struct inspect_point *p, char *err, unsigned errlen)
{
    static const struct { const char *prefix; enum inspect_when when; } forms[] = {
        { "cycle:", AT_CYCLE }, { "insn:", AT_INSN }, { "fault:", AT_FAULT },
    };
    p->when = AT_CYCLE;
    if (strcmp(s, "end") == 0) {
        p->when = AT_END;
        p->n = 0;
        return true;
    }
    for (unsigned i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (strncmp(s, forms[i].prefix, strlen(forms[i].prefix)) == 0) {
            p->when = forms[i].when;
            s += strlen(forms[i].prefix);
        }
    char *end;
    if (!*s || *s == '-') {
        snprintf(err, errlen, "--inspect-at: expected N, cycle:N, insn:N or fault:N");
        return false;
    }
    p->n = strtoull(s, &end, 0);
    if (*end || (p->when == AT_FAULT && p->n == 0)) {
        snprintf(err, errlen, "--inspect-at: bad moment '%s' (N, cycle:N, insn:N or fault:N with N >= 1)", s);
        return false;
    }
    return true;
}

static bool reached(struct machine *m, const struct inspect_point *p)
{
    switch (p->when) {
    case AT_CYCLE: return m->clock.cycles >= p->n;
    case AT_INSN: return m->cpu.insns >= p->n;
    case AT_FAULT: return m->mmu.stats.faults >= p->n;
    default: return m->stop != STOP_NONE;
    }
}

void inspect_print(struct machine *m, const struct inspect_point *p, const char *list, FILE *f)
{
    static const char *const names[] = { "cycle", "instruction", "page fault", "end" };
    if (p->when == AT_END)
        fprintf(f, "--- inspect at end: cycle %llu, %llu instructions, EIP %08x ---\n",
                (unsigned long long)m->clock.cycles, (unsigned long long)m->cpu.insns, m->cpu.eip);
    else
        fprintf(f, "--- inspect at %s %llu: cycle %llu, %llu instructions, EIP %08x ---\n",
                names[p->when], (unsigned long long)p->n, (unsigned long long)m->clock.cycles,
                (unsigned long long)m->cpu.insns, m->cpu.eip);
    inspect_list(m, f, list);
    fflush(f);
}

bool inspect_run_to(struct machine *m, volatile sig_atomic_t *sig, const struct inspect_point *p,
                    const char *list, FILE *f)
{
    while (!reached(m, p)) {
        uint64_t limit;
        if (p->when == AT_END)
            limit = CLOCK_NEVER;
        else if (p->when == AT_CYCLE)
            limit = p->n;
        else if (p->when == AT_INSN)
            limit = m->clock.cycles + (p->n - m->cpu.insns);   /* >= 1 cycle per instruction */
        else {
            limit = CLOCK_NEVER;                                /* the MMU pauses at the Nth fault */
            m->mmu.pause_at_fault = p->n;
        }
        if (machine_run_until(m, sig, limit))
            break;      /* the run ended: "end" is reached, any other moment is not */
    }
    m->mmu.pause_at_fault = 0;
    if (!reached(m, p))
        return false;
    inspect_print(m, p, list, f);
    return true;
}
