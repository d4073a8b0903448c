/* sys-diff: the differential test guest of the protected-mode system
 * architecture (issue 5). One line per check, printing what was observed
 * (vector, error code, EIP offset, flags, selectors), so that a disagreement
 * between vmscope, QEMU and Bochs shows what differs.
 *
 * Lines that depend on what QEMU does not model as the SDM says (hardware
 * task switches, which the modelled CPU does not have; segment limit and
 * type checks on accesses) start with `model:` and are checked against
 * sys-diff.model under vmscope only (tests/compare.py); Bochs compares them
 * too (tests/bochs/sys-diff-bochs.sh).
 *
 * Machine state while checks run:
 *   GDT   sd_gdt below (selectors listed there), limit GDT_LIMIT
 *   IDT   sd_idt: every vector goes to a stub in sd.S that reports it to
 *         sd_try; 0x31 (DPL 3) brings ring 3 back; 0x40-0x4A are the
 *         good, DPL-0, not-present and malformed gates of the INT checks
 *   TSS   0x28, SS0:ESP0 = 0x10:sd_kstack_top, I/O bitmap for ports
 *         0x000-0x10F (0x100-0x10B allowed), then the 0xFF terminator
 *   PIC   both 8259s fully masked, so IF=1 at ring 3 is harmless
 *   paging off, identity addresses. */
#include "guest/rt/rt.h"

/* ---- sd.S and snip.S ---- */
struct sd_frame {               /* what sd_common saw (layout fixed by sd.S) */
    uint32_t vector, err, eip, cs, eflags, esp, ss;
    uint32_t pad;
    uint32_t unused;
    uint32_t frame_at;          /* address of the CPU-pushed EIP */
    uint32_t ds, es, fs, gs, hss; /* selectors when the handler began */
    uint32_t heflags;           /* EFLAGS inside the handler */
};
extern struct sd_frame sd_f;
extern uint32_t sd_stepping, sd_nstep, sd_steplog[32][2], sd_cg[16], sd_ret_eflags;
extern char sd_stubs[], sd_ustack_top[], sd_kstack_top[], sd_tstack_top[];
extern char sd_r3_back[], sd_r3_tramp[], sd_cg_target[], sd_conf_target[], sd_iret_handler[], sd_task_land[];
extern uint8_t sd_iobuf[];
extern uint32_t sd_seg_sel, sd_r3c[4];
extern char sd_r3catch10[], sd_r3catch12[];
int sd_try(void (*fn)(void *), void *arg, unsigned cpl, uint32_t eflags3);

#define SNIPS(X) X(s_popf_3202) X(s_popf_3002) X(s_popf_0002) X(s_popf_0202) X(s_popf_all) \
    X(s_popfw_0202) X(s_cli) X(s_sti) X(s_iret3_same) X(s_iret0_same) \
    X(s_inb) X(s_inw) X(s_inl) X(s_outb) X(s_outw) X(s_outl) X(s_inb80) X(s_insb) X(s_outsw) \
    X(s_rep_insb) \
    X(s_int_0x40) X(s_int_0x41) X(s_int_0x42) X(s_int_0x43) X(s_int_0x44) X(s_int_0x45) \
    X(s_int_0x46) X(s_int_0x47) X(s_int_0x48) X(s_int_0x49) X(s_int_0x4f) X(s_int_0x50) \
    X(s_int_0x60) X(s_int_3) X(s_int3) X(s_into_of) X(s_into_nof) X(s_div0) X(s_ud2) \
    X(s_bound_out) X(s_bound_in) \
    X(s_load_ds) X(s_load_es) X(s_load_fs) X(s_load_gs) X(s_load_ss) X(s_pop_ds) X(s_lds) \
    X(s_ds_null_use) X(s_lldt) X(s_ltr) \
    X(s_ljmp_np) X(s_ljmp_rpl3) X(s_ljmp_data) X(s_lcall_conf) X(s_lcall_ring0) X(s_lret_inner) \
    X(s_iret_inner) X(s_callgate) X(s_callgate_dpl0) X(s_callgate_np) X(s_jmp_callgate) \
    X(s_iret_outer) X(s_lret_outer) \
    X(s_step_basic) X(s_step_movss) X(s_step_popss) X(s_step_int) X(s_step_fault) X(s_step_r3) \
    X(s_probe) X(s_arpl) X(s_stores) \
    X(s_lgdt) X(s_lidt) X(s_lldt_same) X(s_ltr_same) X(s_lmsw) X(s_clts) X(s_rd_cr0) \
    X(s_wr_cr2) X(s_rd_cr3) X(s_rd_cr4) X(s_rd_dr7) X(s_hlt) X(s_invd) X(s_wbinvd) \
    X(s_invlpg) X(s_rdmsr) X(s_rdtsc) \
    X(s_es_rdb) X(s_es_rdw) X(s_es_rdl) X(s_es_wrb) X(s_cs_wrb) X(s_ss_push) X(s_ss_rdl)
#define DECL(n) void n(void *);
SNIPS(DECL)
extern void s_task_jmp(void *), s_task_call(void *), s_iret_nt(void *), s_ljmp_busy_tss(void *);

/* ---- descriptor tables ---- */
#define GDT_ENTRIES 32
#define GDT_LIMIT 0xE7          /* 29 descriptors: selector 0xE8 is past the limit */
static uint64_t sd_gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static uint64_t sd_ldt[2] __attribute__((aligned(16)));
struct idt_gate { uint16_t off_lo, sel; uint8_t zero, type; uint16_t off_hi; } __attribute__((packed));
static struct idt_gate sd_idt[256] __attribute__((aligned(16)));

struct tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap;
    uint8_t bitmap[0x22];       /* ports 0x000-0x10F */
    uint8_t term;               /* 0xFF */
} __attribute__((packed));
struct tss sd_tss __attribute__((aligned(16)));          /* sd.S repairs its SS0 */
static struct tss sd_tss2 __attribute__((aligned(16)));   /* target of task checks */
#define TSS_LIMIT (sizeof(struct tss) - 1)

static uint8_t seg_buf[3 * 4096] __attribute__((aligned(4096)));

/* seg(base, limit, access byte, flags nibble G|DB): a segment descriptor. */
static uint64_t seg(uint32_t base, uint32_t limit, unsigned access, unsigned flags)
{
    uint32_t lo = (limit & 0xFFFF) | (base << 16);
    uint32_t hi = ((base >> 16) & 0xFF) | (access << 8) | (limit & 0xF0000) | (flags << 20) |
                  (base & 0xFF000000);
    return (uint64_t)hi << 32 | lo;
}

/* gate(selector, offset, access byte, parameter count): a gate descriptor. */
static uint64_t gate(uint16_t sel, uint32_t off, unsigned access, unsigned count)
{
    uint32_t lo = (off & 0xFFFF) | ((uint32_t)sel << 16);
    uint32_t hi = (off & 0xFFFF0000) | (access << 8) | (count & 0x1F);
    return (uint64_t)hi << 32 | lo;
}

static void set_idt(unsigned v, uint16_t sel, uint32_t off, unsigned access)
{
    sd_idt[v].off_lo = off & 0xFFFF;
    sd_idt[v].off_hi = off >> 16;
    sd_idt[v].sel = sel;
    sd_idt[v].zero = 0;
    sd_idt[v].type = (uint8_t)access;
}

static uint32_t stub(unsigned v) { return (uint32_t)sd_stubs + 16 * v; }

static void lidt_limit(uint16_t limit)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = { limit, (uint32_t)sd_idt };
    __asm__ volatile("lidt %0" :: "m"(d));
}

/* Load TR with the main TSS after clearing the busy bits, with TSS limit
 * `limit` (the checks shorten it to cut the bitmap). */
static void tss_load(uint32_t limit)
{
    sd_gdt[0x28 >> 3] = seg((uint32_t)&sd_tss, limit, 0x89, 0);
    sd_gdt[0x30 >> 3] = seg((uint32_t)&sd_tss2, 0x67, 0x89, 0);
    __asm__ volatile("ltr %w0" :: "r"(0x28));
}

static void lldt(uint16_t sel) { __asm__ volatile("lldt %w0" :: "r"(sel)); }

static void setup_tables(void)
{
    sd_gdt[0x00 >> 3] = 0;
    sd_gdt[0x08 >> 3] = seg(0, 0xFFFFF, 0x9A, 0xC);   /* ring-0 code */
    sd_gdt[0x10 >> 3] = seg(0, 0xFFFFF, 0x92, 0xC);   /* ring-0 data */
    sd_gdt[0x18 >> 3] = seg(0, 0xFFFFF, 0xFA, 0xC);   /* ring-3 code */
    sd_gdt[0x20 >> 3] = seg(0, 0xFFFFF, 0xF2, 0xC);   /* ring-3 data */
    /* 0x28, 0x30: TSSes (tss_load) */
    sd_gdt[0x38 >> 3] = gate(0x08, (uint32_t)sd_cg_target, 0xEC, 2);   /* call gate DPL 3, 2 params */
    sd_gdt[0x40 >> 3] = seg(0, 0xFFFFF, 0x12, 0xC);   /* data, not present */
    sd_gdt[0x48 >> 3] = seg(0, 0xFFFFF, 0x98, 0xC);   /* code, execute-only */
    sd_gdt[0x50 >> 3] = seg(0, 0xFFFFF, 0x90, 0xC);   /* data, read-only */
    sd_gdt[0x58 >> 3] = seg(0, 0xFFFFF, 0xF0, 0xC);   /* data DPL 3, read-only */
    sd_gdt[0x60 >> 3] = seg((uint32_t)seg_buf, 0xFFF, 0xF2, 0x4);      /* byte granular, limit 0xFFF */
    sd_gdt[0x68 >> 3] = seg((uint32_t)seg_buf, 0, 0xF2, 0xC);          /* 4K granular, limit 0 */
    sd_gdt[0x70 >> 3] = seg((uint32_t)seg_buf + 4096, 0xFFF, 0xF6, 0x4); /* expand-down, B=1 */
    sd_gdt[0x78 >> 3] = seg((uint32_t)seg_buf + 4096, 0xFFF, 0xF6, 0x0); /* expand-down, B=0 */
    sd_gdt[0x80 >> 3] = seg((uint32_t)sd_ldt, 0xF, 0x82, 0);           /* LDT, 2 entries */
    sd_gdt[0x88 >> 3] = gate(0x08, 0, 0x8E, 0);       /* interrupt gate in the GDT */
    sd_gdt[0x90 >> 3] = seg(0, 0xFFFFF, 0x9E, 0xC);   /* conforming readable code DPL 0 */
    sd_gdt[0x98 >> 3] = seg(0, 0xFFFFF, 0xF8, 0xC);   /* execute-only code DPL 3 */
    sd_gdt[0xA0 >> 3] = seg(0, 0xFFFFF, 0xB2, 0xC);   /* data DPL 1 */
    sd_gdt[0xA8 >> 3] = gate(0x08, (uint32_t)sd_cg_target, 0x8C, 2);   /* call gate DPL 0 */
    sd_gdt[0xB0 >> 3] = gate(0x08, (uint32_t)sd_cg_target, 0x6C, 2);   /* call gate DPL 3, not present */
    sd_gdt[0xB8 >> 3] = seg(0, 0xFFFFF, 0x72, 0xC);   /* data DPL 3, not present */
    sd_gdt[0xC0 >> 3] = seg(0, 0xFFFFF, 0x1A, 0xC);   /* code DPL 0, not present */
    sd_gdt[0xC8 >> 3] = seg(0, 0xFFFFF, 0x92, 0xC);   /* data for the accessed-bit check */
    sd_gdt[0xD0 >> 3] = seg((uint32_t)&sd_tss2, 0x67, 0x8B, 0);  /* busy TSS */
    sd_gdt[0xD8 >> 3] = gate(0x08, 0, 0xE4, 0);       /* 16-bit call gate DPL 3 */
    sd_gdt[0xE0 >> 3] = seg(0, 0xFFFFF, 0x9A, 0x8);   /* 16-bit code (D=0), G=1 */
    /* Accessed bits set up front, so that LAR shows the same whichever way
     * a segment was loaded; the accessed-bit checks clear them first. */
    for (unsigned i = 1; i < GDT_ENTRIES; i++)
        if (sd_gdt[i] & (1ull << 44))
            sd_gdt[i] |= 1ull << 40;
    sd_ldt[0] = seg(0, 0xFFFFF, 0xF2, 0xC);            /* LDT 0x04: data DPL 3 */
    sd_ldt[1] = seg(0, 0xFFFFF, 0x72, 0xC);            /* LDT 0x0C: not present */

    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) g = { GDT_LIMIT, (uint32_t)sd_gdt };
    __asm__ volatile("lgdt %0\n\t"
                     "ljmp $0x08, $1f\n1:\t"
                     "movw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\t"
                     "movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\tmovw %%ax, %%ss" :: "m"(g) : "eax", "memory");

    for (unsigned v = 0; v < 256; v++)
        set_idt(v, 0x08, stub(v), 0x8E);
    set_idt(0x31, 0x08, stub(0x31), 0xEE);    /* ring 3 comes back */
    set_idt(0x40, 0x08, stub(0x40), 0xEE);    /* good gate, DPL 3 */
    set_idt(0x41, 0x08, stub(0x41), 0x8E);    /* DPL 0 */
    set_idt(0x42, 0x08, stub(0x42), 0x6E);    /* DPL 3, not present */
    set_idt(0x43, 0x08, stub(0x43), 0xEF);    /* trap gate, DPL 3 */
    set_idt(0x44, 0x08, stub(0x44), 0x0E);    /* DPL 0, not present */
    set_idt(0x45, 0x08, stub(0x45), 0xE0);    /* DPL 3, type 0 (reserved) */
    set_idt(0x46, 0x00, stub(0x46), 0xEE);    /* null code selector */
    set_idt(0x47, 0x10, stub(0x47), 0xEE);    /* data selector */
    set_idt(0x48, 0xC0, stub(0x48), 0xEE);    /* not-present code */
    set_idt(0x49, 0x30, 0, 0xE5);             /* task gate (out of scope) */
    set_idt(0x4A, 0x08, (uint32_t)sd_iret_handler, 0x8E);
    lidt_limit(sizeof sd_idt - 1);

    memset(&sd_tss, 0, sizeof sd_tss);
    sd_tss.ss0 = 0x10;
    sd_tss.esp0 = (uint32_t)sd_kstack_top;
    sd_tss.iomap = offsetof(struct tss, bitmap);
    memset(sd_tss.bitmap, 0xFF, sizeof sd_tss.bitmap);
    sd_tss.bitmap[0x20] = 0x00;                /* ports 0x100-0x107 allowed */
    sd_tss.bitmap[0x21] = 0xF0;                /* 0x108-0x10B allowed, 0x10C-0x10F denied */
    sd_tss.term = 0xFF;
    uint32_t cr3;
    __asm__ volatile("movl %%cr3, %0" : "=r"(cr3));
    memset(&sd_tss2, 0, sizeof sd_tss2);
    sd_tss2.cr3 = cr3;
    sd_tss2.eip = (uint32_t)sd_task_land;
    sd_tss2.eflags = 0x2;
    sd_tss2.esp = (uint32_t)sd_tstack_top;
    sd_tss2.cs = 0x08;
    sd_tss2.ss = sd_tss2.ds = sd_tss2.es = sd_tss2.fs = sd_tss2.gs = 0x10;
    sd_tss2.ss0 = 0x10;
    sd_tss2.esp0 = (uint32_t)sd_tstack_top;
    sd_tss2.iomap = 0x68;
    tss_load(TSS_LIMIT);
    lldt(0);                    /* LDTR null, not the reset state's base 0 limit 0xFFFF */
}

/* ---- running and reporting ---- */
static const char *vec_name(unsigned v)
{
    static const char *n[] = { "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#9",
                                "#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC" };
    return v < sizeof n / sizeof n[0] ? n[v] : 0;
}

static int has_err(unsigned v) { return v == 8 || (v >= 10 && v <= 14) || v == 17; }

/* Observed outcome of the last sd_try, in words: "ok" or "#GP(0x0010) eip=+3",
 * EIP relative to `fn` when it lies within 256 bytes of it. */
static const char *outcome(int r, void (*fn)(void *))
{
    static char buf[96];
    if (r < 0 || r == 0x31)
        return "ok";
    const char *n = vec_name((unsigned)r);
    int k;
    if (n)
        k = rt_snprintf(buf, sizeof buf, "%s", n);
    else
        k = rt_snprintf(buf, sizeof buf, "int 0x%02x", r);
    if (has_err((unsigned)r))
        k += rt_snprintf(buf + k, sizeof buf - k, "(0x%04x)", sd_f.err);
    uint32_t off = sd_f.eip - (uint32_t)fn;
    if (r == 8)
        ;                       /* #DF: the saved CS:EIP are undefined (SDM vol. 3A 6.15) */
    else if (off < 256)
        rt_snprintf(buf + k, sizeof buf - k, " eip=+%u", off);
    else if (sd_f.eip - (uint32_t)sd_r3_back < 16)
        rt_snprintf(buf + k, sizeof buf - k, " eip=back+%u", sd_f.eip - (uint32_t)sd_r3_back);
    else
        rt_snprintf(buf + k, sizeof buf - k, " eip=0x%08x", sd_f.eip);
    return buf;
}

/* run(name, fn, arg, cpl, eflags3): run a snippet and print its outcome;
 * returns the sd_try result for checks that print more. */
static int run(const char *name, void (*fn)(void *), uint32_t arg, unsigned cpl, uint32_t efl)
{
    int r = sd_try(fn, (void *)arg, cpl, efl);
    rt_printf("%s: %s\n", name, outcome(r, fn));
    return r;
}

/* Same, with the line's tail printed by the caller (no newline). */
static int run_n(const char *name, void (*fn)(void *), uint32_t arg, unsigned cpl, uint32_t efl)
{
    int r = sd_try(fn, (void *)arg, cpl, efl);
    rt_printf("%s: %s", name, outcome(r, fn));
    return r;
}

#define EF_IF 0x200u
#define EF_TF 0x100u
#define EF_NT 0x4000u
#define IOPL(e) (((e) >> 12) & 3)

/* ---- checks ---- */

static void check_flags(void)
{
    int r;
    r = run_n("popf.cpl0: 0x3202", s_popf_3202, 0, 0, 0);
    rt_printf(" if=%u iopl=%u\n", !!(sd_ret_eflags & EF_IF), IOPL(sd_ret_eflags));
    r = run_n("iret.cpl0.same: 0x3202", s_iret0_same, 0, 0, 0);
    rt_printf(" if=%u iopl=%u\n", !!(sd_ret_eflags & EF_IF), IOPL(sd_ret_eflags));
    static const struct { const char *name; void (*fn)(void *); uint32_t efl; } c3[] = {
        { "popf.cpl3.iopl0: IF 1->0 IOPL 0->3", s_popf_3002, 0x0202 },
        { "popf.cpl3.iopl0: IF 0->1", s_popf_0202, 0x0002 },
        { "popf.cpl3.iopl3: IF 1->0 IOPL 3->0", s_popf_0002, 0x3202 },
        { "popf.cpl3.iopl3: IF 0->1", s_popf_0202, 0x3002 },
        { "popfw.cpl3.iopl0: 0x3202 from IF=0", s_popfw_0202, 0x0002 },
        { "iret.cpl3.iopl0.same: IF 1->0 IOPL 0->3", s_iret3_same, 0x0202 },
        { "iret.cpl3.iopl3.same: IF 1->0 IOPL 3->3", s_iret3_same, 0x3202 },
        { "cli.cpl3.iopl0", s_cli, 0x0202 },
        { "sti.cpl3.iopl0", s_sti, 0x0002 },
        { "cli.cpl3.iopl2", s_cli, 0x2202 },
        { "cli.cpl3.iopl3", s_cli, 0x3202 },
        { "sti.cpl3.iopl3", s_sti, 0x3002 },
    };
    for (unsigned i = 0; i < sizeof c3 / sizeof c3[0]; i++) {
        r = run_n(c3[i].name, c3[i].fn, 0, 3, c3[i].efl);
        if (r == 0x31)
            rt_printf(" if=%u iopl=%u\n", !!(sd_f.eflags & EF_IF), IOPL(sd_f.eflags));
        else
            rt_printf(" (flags at fault if=%u iopl=%u)\n", !!(sd_f.eflags & EF_IF), IOPL(sd_f.eflags));
    }
    r = run_n("popf.cpl3.iopl0: 0xfffffeff", s_popf_all, 0, 3, 0x0202);
    rt_printf(" eflags=0x%08x\n", sd_f.eflags);
    r = run_n("popf.cpl0: 0xfffffeff", s_popf_all, 0, 0, 0);
    rt_printf(" eflags=0x%08x\n", sd_ret_eflags);
    (void)r;
}

static void check_io(void)
{
    static const struct { const char *name; void (*fn)(void *); uint32_t port; unsigned cpl; uint32_t efl; } c[] = {
        { "io.cpl0.iopl0 inb 0x80", s_inb80, 0, 0, 0 },
        { "io.cpl0.iopl0 outw 0x10c", s_outw, 0x10C, 0, 0 },
        { "io.cpl3.iopl3 inb 0x80", s_inb80, 0, 3, 0x3202 },
        { "io.cpl3.iopl3 inl 0x10c", s_inl, 0x10C, 3, 0x3202 },
        { "io.cpl3.iopl2 inb 0x80 (bitmap denies)", s_inb80, 0, 3, 0x2202 },
        { "io.cpl3.iopl0 inb 0x100", s_inb, 0x100, 3, 0x202 },
        { "io.cpl3.iopl0 outb 0x10b", s_outb, 0x10B, 3, 0x202 },
        { "io.cpl3.iopl0 inb 0x10c", s_inb, 0x10C, 3, 0x202 },
        { "io.cpl3.iopl0 inw 0x107 (bytes 0x20-0x21 of the map)", s_inw, 0x107, 3, 0x202 },
        { "io.cpl3.iopl0 inw 0x10b (0x10c denied)", s_inw, 0x10B, 3, 0x202 },
        { "io.cpl3.iopl0 inl 0x108", s_inl, 0x108, 3, 0x202 },
        { "io.cpl3.iopl0 outl 0x109 (0x10c denied)", s_outl, 0x109, 3, 0x202 },
        { "io.cpl3.iopl0 inl 0x0fe (0xfe-0xff denied)", s_inl, 0x0FE, 3, 0x202 },
        { "io.cpl3.iopl0 inb 0x80", s_inb80, 0, 3, 0x202 },
        { "io.cpl3.iopl0 inb 0x110 (past the map)", s_inb, 0x110, 3, 0x202 },
        { "io.cpl3.iopl0 inb 0x3f8 (past the map)", s_inb, 0x3F8, 3, 0x202 },
        { "io.cpl3.iopl0 insb 0x101", s_insb, 0x101, 3, 0x202 },
        { "io.cpl3.iopl0 insb 0x10f", s_insb, 0x10F, 3, 0x202 },
        { "io.cpl3.iopl0 outsw 0x106", s_outsw, 0x106, 3, 0x202 },
        { "io.cpl3.iopl0 outsw 0x10b", s_outsw, 0x10B, 3, 0x202 },
        { "io.cpl3.iopl0 rep insb 0x104", s_rep_insb, 0x104, 3, 0x202 },
    };
    for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++)
        run(c[i].name, c[i].fn, c[i].port, c[i].cpl, c[i].efl);

    /* The CPU reads two bitmap bytes for every access: without the 0xFF
     * terminator, a port whose byte is the last one in the TSS faults. */
    tss_load(TSS_LIMIT - 1);
    run("io.noterm.cpl3 inb 0x100 (map bytes 0x20-0x21)", s_inb, 0x100, 3, 0x202);
    run("io.noterm.cpl3 inb 0x10b (map bytes 0x21-0x22, 0x22 past the limit)", s_inb, 0x10B, 3, 0x202);
    run("io.noterm.cpl3 inw 0x107", s_inw, 0x107, 3, 0x202);
    /* A map base past the TSS limit: no bitmap, every port denied. */
    sd_tss.iomap = 0xDFFF;
    tss_load(TSS_LIMIT);
    run("io.nomap.cpl3 inb 0x100", s_inb, 0x100, 3, 0x202);
    run("io.nomap.cpl0 inb 0x100", s_inb, 0x100, 0, 0);
    sd_tss.iomap = offsetof(struct tss, bitmap);
    tss_load(TSS_LIMIT);
}

static void print_frame_tail(int r)
{
    if (r == 0x31 || r < 0) {
        rt_printf("\n");
        return;
    }
    rt_printf(" cs=0x%02x", sd_f.cs & 0xFFFF);
    if (sd_f.cs & 3)
        rt_printf(" ss=0x%02x esp=top-%u frame=esp0-%u", sd_f.ss & 0xFFFF,
                  (uint32_t)sd_ustack_top - sd_f.esp, (uint32_t)sd_kstack_top - sd_f.frame_at);
    rt_printf(" if-in-handler=%u\n", !!(sd_f.heflags & EF_IF));
}

static void check_int(void)
{
    int r;
    r = run_n("int.cpl3 0x40 DPL-3 interrupt gate", s_int_0x40, 0, 3, 0x202);
    print_frame_tail(r);
    r = run_n("int.cpl3 0x43 DPL-3 trap gate", s_int_0x43, 0, 3, 0x202);
    print_frame_tail(r);
    r = run_n("int.cpl0 0x40", s_int_0x40, 0, 0, 0);
    print_frame_tail(r);
    run("int.cpl3 0x41 DPL-0 gate", s_int_0x41, 0, 3, 0x202);
    run("int.cpl0 0x41 DPL-0 gate", s_int_0x41, 0, 0, 0);
    run("int.cpl0 0x42 not-present gate", s_int_0x42, 0, 0, 0);
    run("int.cpl3 0x42 not-present gate", s_int_0x42, 0, 3, 0x202);
    run("int.cpl3 0x44 DPL-0 not-present gate", s_int_0x44, 0, 3, 0x202);
    run("int.cpl0 0x45 reserved gate type", s_int_0x45, 0, 0, 0);
    run("int.cpl0 0x46 null code selector", s_int_0x46, 0, 0, 0);
    run("int.cpl0 0x47 data selector in gate", s_int_0x47, 0, 0, 0);
    run("int.cpl0 0x48 not-present code segment", s_int_0x48, 0, 0, 0);
    lidt_limit(0x50 * 8 - 1);
    run("int.cpl0 0x60 past IDT limit 0x27f", s_int_0x60, 0, 0, 0);
    run("int.cpl0 0x4f below IDT limit 0x27f", s_int_0x4f, 0, 0, 0);
    lidt_limit(0x50 * 8 + 6);
    run("int.cpl0 0x50 gate straddles IDT limit 0x286", s_int_0x50, 0, 0, 0);
    lidt_limit(sizeof sd_idt - 1);

    /* INT3, INT 3, INTO through DPL-0 and DPL-3 gates */
    run("int3.cpl0", s_int3, 0, 0, 0);
    run("int3.cpl3 gate DPL 0", s_int3, 0, 3, 0x202);
    run("int 3.cpl3 gate DPL 0", s_int_3, 0, 3, 0x202);
    run("into.cpl3 OF=1 gate DPL 0", s_into_of, 0, 3, 0x202);
    set_idt(3, 0x08, stub(3), 0xEE);
    set_idt(4, 0x08, stub(4), 0xEE);
    run("int3.cpl3 gate DPL 3", s_int3, 0, 3, 0x202);
    run("int 3.cpl3 gate DPL 3", s_int_3, 0, 3, 0x202);
    run("into.cpl3 OF=1 gate DPL 3", s_into_of, 0, 3, 0x202);
    run("into.cpl3 OF=0", s_into_nof, 0, 3, 0x202);
    set_idt(3, 0x08, stub(3), 0x8E);
    set_idt(4, 0x08, stub(4), 0x8E);
    run("into.cpl0 OF=1", s_into_of, 0, 0, 0);

    /* exceptions */
    run("de.cpl0", s_div0, 0, 0, 0);
    r = run_n("de.cpl3 (gate DPL 0)", s_div0, 0, 3, 0x202);
    print_frame_tail(r);
    run("ud.cpl0", s_ud2, 0, 0, 0);
    run("ud.cpl3", s_ud2, 0, 3, 0x202);
    run("bound.cpl0 out of range", s_bound_out, 0, 0, 0);
    run("bound.cpl0 in range", s_bound_in, 0, 0, 0);
    run("bound.cpl3 out of range", s_bound_out, 0, 3, 0x202);
    r = run_n("gp.cpl3 cli (error-code frame)", s_cli, 0, 3, 0x202);
    print_frame_tail(r);

    /* EXT and double faults */
    /* QEMU leaves EXT clear in the error code of a fault during the
     * delivery of an exception (SDM vol. 3A 6.13: EXT=1): model: line. */
    set_idt(6, 0x08, stub(6), 0x0E);
    run("model: ext.cpl0 #UD through a not-present gate", s_ud2, 0, 0, 0);
    set_idt(6, 0x08, stub(6), 0x8E);
    set_idt(3, 0x08, stub(3), 0x0E);
    run("ext.cpl0 INT3 through a not-present gate", s_int3, 0, 0, 0);
    set_idt(3, 0x08, stub(3), 0x8E);
    set_idt(11, 0x10, stub(11), 0x8E);
    run("df.cpl0 #NP whose gate has a data selector", s_load_ds, 0x40, 0, 0);
    set_idt(11, 0x08, stub(11), 0x8E);
    set_idt(0, 0x08, stub(0), 0x0E);
    run("df.cpl0 #DE through a not-present gate", s_div0, 0, 0, 0);
    set_idt(0, 0x08, stub(0), 0x8E);
    set_idt(13, 0xC0, stub(13), 0x8E);
    r = run_n("df.cpl3 #GP whose gate's code segment is not present", s_cli, 0, 3, 0x202);
    rt_printf(" cs=0x%02x ss=0x%02x esp=top-%u\n", sd_f.cs & 0xFFFF, sd_f.ss & 0xFFFF,
              (uint32_t)sd_ustack_top - sd_f.esp);
    set_idt(13, 0x08, stub(13), 0x8E);
    lidt_limit(11 * 8 - 1);
    run("df.cpl0 #NP then #GP past the IDT limit", s_load_ds, 0x40, 0, 0);
    lidt_limit(sizeof sd_idt - 1);
    set_idt(6, 0x08, stub(6), 0x0E);
    set_idt(11, 0x08, stub(11), 0x0E);
    run("ext.cpl0 #UD, its gate not present, then #NP's not present", s_ud2, 0, 0, 0);
    set_idt(6, 0x08, stub(6), 0x8E);
    set_idt(11, 0x08, stub(11), 0x8E);
}

/* A bad SS0 in the TSS when a gate switches to ring 0: #TS(SS0) or, for a
 * not-present SS0, #SS(SS0) (SDM vol. 3A 6.12.1, 5.8.5). Caught by
 * sd_r3catch at ring 3 through conforming code, which repairs SS0. */
static void ts_check(const char *name, void (*fn)(void *), uint32_t ss0)
{
    memset(sd_r3c, 0, 16);
    set_idt(10, 0x90, (uint32_t)sd_r3catch10, 0x8E);
    set_idt(12, 0x90, (uint32_t)sd_r3catch12, 0x8E);
    sd_tss.ss0 = ss0;
    int r = sd_try(fn, 0, 3, 0x202);
    sd_tss.ss0 = 0x10;
    set_idt(10, 0x08, stub(10), 0x8E);
    set_idt(12, 0x08, stub(12), 0x8E);
    if (sd_r3c[0])
        rt_printf("%s: %s(0x%04x) eip=+%u cs=0x%02x\n", name, vec_name(sd_r3c[0]), sd_r3c[1],
                  sd_r3c[2] - (uint32_t)fn, sd_r3c[3] & 0xFFFF);
    else
        rt_printf("%s: %s\n", name, outcome(r, fn));
}

/* QEMU raises #TS, not #SS, for a not-present SS0, and leaves EXT clear
 * when the stack switch is for an exception: model: lines. */
static void check_tss_stack(void)
{
    ts_check("ss0.cpl3 int 0x40, SS0 DPL 3", s_int_0x40, 0x23);
    ts_check("ss0.cpl3 int 0x40, SS0 null", s_int_0x40, 0x00);
    ts_check("ss0.cpl3 int 0x40, SS0 RPL 3 DPL 0", s_int_0x40, 0x13);
    ts_check("ss0.cpl3 int 0x40, SS0 read-only data", s_int_0x40, 0x50);
    ts_check("ss0.cpl3 int 0x40, SS0 code", s_int_0x40, 0x08);
    ts_check("ss0.cpl3 int 0x40, SS0 past GDT limit", s_int_0x40, 0xE8);
    ts_check("ss0.cpl3 int 0x40, SS0 LDT selector (no LDT)", s_int_0x40, 0x0C);
    ts_check("model: ss0.cpl3 int 0x40, SS0 not present", s_int_0x40, 0x40);
    ts_check("ss0.cpl3 call gate, SS0 DPL 3", s_callgate, 0x23);
    ts_check("model: ss0.cpl3 call gate, SS0 not present", s_callgate, 0x40);
    ts_check("model: ss0.cpl3 #UD, SS0 DPL 3", s_ud2, 0x23);
    ts_check("model: ss0.cpl3 #UD, SS0 not present", s_ud2, 0x40);
}

static void check_rings(void)
{
    run_n("iret.outer cpl0->3", s_iret_outer, 0, 0, 0);
    rt_printf(" cs=0x%02x ss=0x%02x esp=top-%u ds=0x%04x es=0x%04x fs=0x%04x gs=0x%04x if=%u iopl=%u\n",
              sd_f.cs & 0xFFFF, sd_f.ss & 0xFFFF, (uint32_t)sd_ustack_top - sd_f.esp,
              sd_f.ds & 0xFFFF, sd_f.es & 0xFFFF, sd_f.fs & 0xFFFF, sd_f.gs & 0xFFFF,
              !!(sd_f.eflags & EF_IF), IOPL(sd_f.eflags));
    run_n("lret.outer cpl0->3", s_lret_outer, 0, 0, 0);
    rt_printf(" cs=0x%02x ss=0x%02x esp=top-%u ds=0x%04x es=0x%04x fs=0x%04x gs=0x%04x\n",
              sd_f.cs & 0xFFFF, sd_f.ss & 0xFFFF, (uint32_t)sd_ustack_top - sd_f.esp,
              sd_f.ds & 0xFFFF, sd_f.es & 0xFFFF, sd_f.fs & 0xFFFF, sd_f.gs & 0xFFFF);
    memset(sd_cg, 0, 16 * 4);
    run_n("callgate.cpl3 0x3b, 2 params", s_callgate, 0, 3, 0x202);
    uint32_t k0 = (uint32_t)sd_kstack_top;
    rt_printf(" inner ss=0x%02x esp=esp0-%u cs=0x%02x\n", sd_cg[1] & 0xFFFF, k0 - sd_cg[0], sd_cg[2] & 0xFFFF);
    uint32_t u0 = (uint32_t)sd_ustack_top;
    rt_printf("callgate.cpl3 inner stack: eip=+%u cs=0x%02x p2=0x%08x p1=0x%08x esp=top-%u ss=0x%02x\n",
              sd_cg[3] - (uint32_t)s_callgate, sd_cg[4] & 0xFFFF, sd_cg[5], sd_cg[6], u0 - sd_cg[7],
              sd_cg[8] & 0xFFFF);
    rt_printf("callgate.cpl3 back at ring 3: cs=0x%02x ss=0x%02x esp=top-%u ds=0x%04x fs=0x%04x es=0x%04x\n",
              sd_f.cs & 0xFFFF, sd_f.ss & 0xFFFF, u0 - sd_f.esp, sd_f.ds & 0xFFFF, sd_f.fs & 0xFFFF,
              sd_f.es & 0xFFFF);
    run("callgate.cpl3 DPL-0 gate", s_callgate_dpl0, 0, 3, 0x202);
    run("callgate.cpl3 not-present gate", s_callgate_np, 0, 3, 0x202);
    run("callgate.cpl3 jmp to inner code", s_jmp_callgate, 0, 3, 0x202);
    memset(sd_cg, 0, 16 * 4);
    run_n("lcall.cpl3 conforming DPL-0 code", s_lcall_conf, 0, 3, 0x202);
    rt_printf(" cs=0x%02x ss=0x%02x esp=top-%u\n", sd_cg[2] & 0xFFFF, sd_cg[1] & 0xFFFF, u0 - sd_cg[0]);
    run("lcall.cpl3 non-conforming DPL-0 code", s_lcall_ring0, 0, 3, 0x202);
    run("lret.cpl3 to ring 0", s_lret_inner, 0, 3, 0x202);
    run("iret.cpl3 to ring 0", s_iret_inner, 0, 3, 0x202);
    run("ljmp.cpl0 not-present code", s_ljmp_np, 0, 0, 0);
    run("ljmp.cpl0 RPL 3 to DPL-0 code", s_ljmp_rpl3, 0, 0, 0);
    run("ljmp.cpl0 data segment", s_ljmp_data, 0, 0, 0);
}

static void check_segs(void)
{
    static const struct { const char *name; void (*fn)(void *); uint32_t sel; unsigned cpl; } c[] = {
        { "load.cpl0 ds null", s_load_ds, 0x00, 0 },
        { "load.cpl0 ds null RPL 3", s_load_ds, 0x03, 0 },
        { "load.cpl0 ss null", s_load_ss, 0x00, 0 },
        { "load.cpl0 ds not present", s_load_ds, 0x40, 0 },
        { "load.cpl0 ss not present", s_load_ss, 0x40, 0 },
        { "load.cpl0 ds execute-only code", s_load_ds, 0x48, 0 },
        { "load.cpl0 es readable code", s_load_es, 0x08, 0 },
        { "load.cpl0 ss read-only data", s_load_ss, 0x50, 0 },
        { "load.cpl0 ss code", s_load_ss, 0x08, 0 },
        { "load.cpl0 ss RPL 3 DPL 0", s_load_ss, 0x13, 0 },
        { "load.cpl0 ss RPL 0 DPL 3", s_load_ss, 0x20, 0 },
        { "load.cpl0 ds DPL 3", s_load_ds, 0x23, 0 },
        { "load.cpl0 fs TSS", s_load_fs, 0x28, 0 },
        { "load.cpl0 gs call gate", s_load_gs, 0x38, 0 },
        { "load.cpl0 ds LDT descriptor", s_load_ds, 0x80, 0 },
        { "load.cpl0 ds past GDT limit", s_load_ds, 0xE8, 0 },
        { "load.cpl0 ds past GDT limit RPL 3", s_load_ds, 0xFB, 0 },
        { "load.cpl0 ds LDT selector, no LDT", s_load_ds, 0x04, 0 },
        { "load.cpl0 pop ds not present", s_pop_ds, 0x40, 0 },
        { "load.cpl0 lds not present", s_lds, 0x40, 0 },
        { "load.cpl0 lds null", s_lds, 0x00, 0 },
        { "load.cpl3 ds DPL 0", s_load_ds, 0x10, 3 },
        { "load.cpl3 ds DPL 0 RPL 3", s_load_ds, 0x13, 3 },
        { "load.cpl3 ds DPL 3 RPL 0", s_load_ds, 0x20, 3 },
        { "load.cpl3 ds DPL 1", s_load_ds, 0xA3, 3 },
        { "load.cpl3 ds DPL-0 conforming code", s_load_ds, 0x93, 3 },
        { "load.cpl3 ds DPL-3 execute-only code", s_load_ds, 0x9B, 3 },
        { "load.cpl3 ds DPL-3 not present", s_load_ds, 0xBB, 3 },
        { "load.cpl3 ss DPL 3 RPL 0", s_load_ss, 0x20, 3 },
        { "load.cpl3 ss DPL 0 RPL 3", s_load_ss, 0x13, 3 },
        { "load.cpl3 ss DPL-3 read-only", s_load_ss, 0x5B, 3 },
        { "load.cpl3 ss null", s_load_ss, 0x03, 3 },
        { "load.cpl3 ss DPL-3 not present", s_load_ss, 0xBB, 3 },
        { "load.cpl3 ds null", s_load_ds, 0x00, 3 },
        { "lldt.cpl0 data selector", s_lldt, 0x10, 0 },
        { "lldt.cpl0 null", s_lldt, 0x00, 0 },
        { "lldt.cpl0 LDT selector", s_lldt, 0x04, 0 },
        { "lldt.cpl0 past GDT limit", s_lldt, 0xE8, 0 },
        { "ltr.cpl0 busy TSS", s_ltr, 0xD0, 0 },
        { "ltr.cpl0 data selector", s_ltr, 0x10, 0 },
        { "ltr.cpl0 LDT selector", s_ltr, 0x0C, 0 },
    };
    for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++)
        run(c[i].name, c[i].fn, c[i].sel, c[i].cpl, 0x202);
    /* QEMU neither faults on an access through a null selector nor on
     * LTR with a null selector (SDM: #GP(0) for both). */
    run("model: load.cpl0 ds null then use", s_ds_null_use, 0, 0, 0);
    run("model: ltr.cpl0 null", s_ltr, 0, 0, 0);
    tss_load(TSS_LIMIT);

    lldt(0x80);
    run("ldt.cpl0 ds 0x04 (LDT data DPL 3)", s_load_ds, 0x04, 0, 0);
    run("ldt.cpl3 ds 0x07", s_load_ds, 0x07, 3, 0x202);
    run("ldt.cpl0 ds 0x0c (LDT not present)", s_load_ds, 0x0C, 0, 0);
    run("ldt.cpl0 ds 0x14 (past LDT limit)", s_load_ds, 0x14, 0, 0);
    run("ldt.cpl0 ss 0x0c (LDT not present)", s_load_ss, 0x0C, 0, 0);
    lldt(0);

    /* the accessed bit is written back by a load (SDM vol. 3A 3.4.5.1) */
    sd_gdt[0xC8 >> 3] = seg(0, 0xFFFFF, 0x92, 0xC);
    run_n("accessed.cpl0 ds load", s_load_ds, 0xC8, 0, 0);
    rt_printf(" access byte 0x92 -> 0x%02x\n", (unsigned)(sd_gdt[0xC8 >> 3] >> 40) & 0xFF);
    sd_gdt[0xC8 >> 3] = seg(0, 0xFFFFF, 0x92, 0xC);
    run_n("accessed.cpl0 ss load", s_load_ss, 0xC8, 0, 0);
    rt_printf(" access byte 0x92 -> 0x%02x\n", (unsigned)(sd_gdt[0xC8 >> 3] >> 40) & 0xFF);
    /* QEMU sets no accessed bit when IRET or a far CALL load CS and SS
     * (SDM vol. 3A 3.4.5.1: set on every load): model: lines */
    sd_gdt[0x18 >> 3] &= ~(1ull << 40);
    sd_gdt[0x20 >> 3] &= ~(1ull << 40);
    run_n("model: accessed.cpl0 cs and ss loaded by iret to ring 3", s_popf_0202, 0, 3, 0x202);
    rt_printf(" access bytes 0xfa 0xf2 -> 0x%02x 0x%02x\n", (unsigned)(sd_gdt[0x18 >> 3] >> 40) & 0xFF,
              (unsigned)(sd_gdt[0x20 >> 3] >> 40) & 0xFF);
    sd_gdt[0x90 >> 3] &= ~(1ull << 40);
    run_n("model: accessed.cpl3 cs loaded by lcall to conforming code", s_lcall_conf, 0, 3, 0x202);
    rt_printf(" access byte 0x9e -> 0x%02x\n", (unsigned)(sd_gdt[0x90 >> 3] >> 40) & 0xFF);
    sd_gdt[0x18 >> 3] |= 1ull << 40;
    sd_gdt[0x20 >> 3] |= 1ull << 40;
    sd_gdt[0x90 >> 3] |= 1ull << 40;
    /* LTR marks the TSS busy */
    sd_gdt[0x28 >> 3] &= ~(2ull << 40);
    run_n("ltr.cpl0 available TSS 0x30", s_ltr, 0x30, 0, 0);
    rt_printf(" type 0x%x -> 0x%x\n", 9, (unsigned)(sd_gdt[0x30 >> 3] >> 40) & 0xF);
    tss_load(TSS_LIMIT);
}

static void check_limits(void)
{
    /* Segment limits on accesses. QEMU does not check them: model: lines. */
    static const struct { const char *name; void (*fn)(void *); uint32_t sel, off; } c[] = {
        { "byte-granular limit 0xfff: byte at 0xfff", s_es_rdb, 0x63, 0xFFF },
        { "byte-granular limit 0xfff: byte at 0x1000", s_es_rdb, 0x63, 0x1000 },
        { "byte-granular limit 0xfff: dword at 0xffc", s_es_rdl, 0x63, 0xFFC },
        { "byte-granular limit 0xfff: dword at 0xffd", s_es_rdl, 0x63, 0xFFD },
        { "byte-granular limit 0xfff: word at 0xfff", s_es_rdw, 0x63, 0xFFF },
        { "4K-granular limit 0: byte at 0xfff", s_es_rdb, 0x6B, 0xFFF },
        { "4K-granular limit 0: byte at 0x1000", s_es_rdb, 0x6B, 0x1000 },
        { "expand-down B=1 limit 0xfff: byte at 0x1000", s_es_rdb, 0x73, 0x1000 },
        { "expand-down B=1 limit 0xfff: byte at 0xfff", s_es_rdb, 0x73, 0xFFF },
        { "expand-down B=1 limit 0xfff: dword at 0xffe", s_es_rdl, 0x73, 0xFFE },
        { "expand-down B=1 limit 0xfff: dword at 0xfffffffc", s_es_rdl, 0x73, 0xFFFFFFFC },
        { "expand-down B=1 limit 0xfff: dword at 0xfffffffd", s_es_rdl, 0x73, 0xFFFFFFFD },
        { "expand-down B=0 limit 0xfff: byte at 0xffff", s_es_rdb, 0x7B, 0xFFFF },
        { "expand-down B=0 limit 0xfff: word at 0xffff", s_es_rdw, 0x7B, 0xFFFF },
        { "expand-down B=0 limit 0xfff: byte at 0x10000", s_es_rdb, 0x7B, 0x10000 },
        { "expand-down B=0 limit 0xfff: byte at 0x1000", s_es_rdb, 0x7B, 0x1000 },
        { "expand-down B=0 limit 0xfff: byte at 0xfff", s_es_rdb, 0x7B, 0xFFF },
        { "read-only data: write", s_es_wrb, 0x50, 0x100 },
        { "readable code: write", s_es_wrb, 0x08, (uint32_t)0x100 },
    };
    for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++) {
        char name[96];
        rt_snprintf(name, sizeof name, "model: limit.cpl0 %s", c[i].name);
        sd_seg_sel = c[i].sel;
        run(name, c[i].fn, c[i].off, 0, 0);
    }
    run("model: limit.cpl0 write through CS", s_cs_wrb, 0, 0, 0);
    /* stack segment limits, at ring 3 so the fault is delivered on the ring-0 stack */
    static const struct { const char *name; void (*fn)(void *); uint32_t sel, off; } s[] = {
        { "push, limit 0xfff, esp=0x1000", s_ss_push, 0x63, 0x1000 },
        { "push, limit 0xfff, esp=0x1002", s_ss_push, 0x63, 0x1002 },
        { "read ss:0x1000 (ebp), limit 0xfff", s_ss_rdl, 0x63, 0x1000 },
        { "read ss:0xffc (ebp), limit 0xfff", s_ss_rdl, 0x63, 0xFFC },
        { "push, expand-down B=1 limit 0xfff, esp=0x1004", s_ss_push, 0x73, 0x1004 },
        { "push, expand-down B=1 limit 0xfff, esp=0x1003", s_ss_push, 0x73, 0x1003 },
        { "push, expand-down B=0 limit 0xfff, esp=0x10000", s_ss_push, 0x7B, 0x10000 },
        { "push, expand-down B=0 limit 0xfff, esp=0x10002", s_ss_push, 0x7B, 0x10002 },
    };
    for (unsigned i = 0; i < sizeof s / sizeof s[0]; i++) {
        char name[96];
        rt_snprintf(name, sizeof name, "model: limit.cpl3 %s", s[i].name);
        sd_seg_sel = s[i].sel;
        int r = run_n(name, s[i].fn, s[i].off, 3, 0x202);
        if (r == 0x31 && s[i].fn == s_ss_push)
            rt_printf(" ss=0x%02x esp=0x%x\n", sd_f.ss & 0xFFFF, sd_f.esp);
        else
            rt_printf("\n");
    }
}

static void print_steps(const char *name, void (*fn)(void *))
{
    rt_printf("%s:", name);
    for (uint32_t i = 0; i < sd_nstep && i < 32; i++) {
        uint32_t e = sd_steplog[i][0];
        if (e - (uint32_t)fn < 256)
            rt_printf(" +%u", e - (uint32_t)fn);
        else if (e - (uint32_t)sd_r3_tramp < 16)
            rt_printf(" tramp+%u", e - (uint32_t)sd_r3_tramp);
        else
            rt_printf(" 0x%x", e);
    }
    if (sd_nstep > 32)
        rt_printf(" ... (%u traps)", sd_nstep);
}

static void step(const char *name, void (*fn)(void *), unsigned cpl, uint32_t efl)
{
    sd_nstep = 0;
    __asm__ volatile("movl %0, %%dr6" :: "r"(0));
    sd_stepping = 1;
    int r = sd_try(fn, 0, cpl, efl);
    sd_stepping = 0;
    print_steps(name, fn);
    rt_printf(" -> %s\n", outcome(r, fn));
}

static void check_step(void)
{
    step("step.cpl0 popf sets TF, nop, mov, pushf, and, popf clears TF, nop", s_step_basic, 0, 0);
    rt_printf("step.cpl0 dr6 at the first trap: bs=%u\n", !!(sd_steplog[0][1] & 0x4000));
    rt_printf("model: step.cpl0 dr6 at the first trap: 0x%08x\n", sd_steplog[0][1]);
    step("step.cpl0 over mov ss (trap after the next instruction)", s_step_movss, 0, 0);
    step("step.cpl0 over pop ss", s_step_popss, 0, 0);
    step("step.cpl0 over int 0x4a (handler irets)", s_step_int, 0, 0);
    step("step.cpl0 then ud2", s_step_fault, 0, 0);
    step("step.cpl3 entered by iret with TF", s_step_r3, 3, 0x302);
}

static void check_probe(void)
{
    static const uint16_t sels[] = { 0x00, 0x08, 0x10, 0x1B, 0x23, 0x28, 0x30, 0x38, 0x40, 0x48, 0x50,
                                     0x80, 0x88, 0x90, 0x98, 0xA0, 0xA8, 0xC0, 0xD0, 0xD8, 0xE0,
                                     0xE8, 0x07, 0x0C, 0x14 };
    lldt(0x80);
    for (unsigned cpl = 0; cpl <= 3; cpl += 3) {
        for (unsigned i = 0; i < sizeof sels / sizeof sels[0]; i++) {
            volatile uint32_t p[8] = { sels[i] | cpl };
            int r = sd_try(s_probe, (void *)p, cpl, 0x202);
            rt_printf("probe.cpl%u 0x%02x:", cpl, sels[i] | cpl);
            if (r >= 0 && r != 0x31) {
                rt_printf(" %s\n", outcome(r, s_probe));
                continue;
            }
            /* LAR bits 19:16 (limit 19:16) are undefined: masked (SDM LAR) */
            if (p[2])
                rt_printf(" lar=0x%08x", p[1] & 0x00F0FF00);
            else
                rt_printf(" lar=nz%s", p[1] == 0xdeadbeef ? "" : "(dest written)");
            if (p[4])
                rt_printf(" lsl=0x%08x", p[3]);
            else
                rt_printf(" lsl=nz%s", p[3] == 0xdeadbeef ? "" : "(dest written)");
            rt_printf(" verr=%u verw=%u\n", p[5], p[6]);
        }
    }
    lldt(0);
    static const uint16_t arpl[][2] = { { 0x08, 0x13 }, { 0x0B, 0x10 }, { 0x0B, 0x1B }, { 0x1A, 0x09 } };
    for (unsigned i = 0; i < 4; i++) {
        volatile uint32_t p[4] = { arpl[i][1], 0xAB0000 | arpl[i][0] };
        sd_try(s_arpl, (void *)p, 3, 0x202);
        rt_printf("arpl.cpl3 dest 0x%04x src 0x%04x: 0x%08x zf=%u\n", arpl[i][0], arpl[i][1], p[2], p[3]);
    }
}

static void check_priv(void)
{
    volatile uint32_t p[12];
    memset((void *)p, 0, sizeof p);
    int r = sd_try(s_stores, (void *)p, 3, 0x202);
    const volatile uint8_t *b = (const volatile uint8_t *)p;
    uint32_t gbase = b[2] | b[3] << 8 | b[4] << 16 | (uint32_t)b[5] << 24;
    uint32_t ibase = b[10] | b[11] << 8 | b[12] << 16 | (uint32_t)b[13] << 24;
    rt_printf("stores.cpl3: %s sgdt limit=0x%04x base%s sidt limit=0x%04x base%s\n", outcome(r, s_stores),
              b[0] | b[1] << 8, gbase == (uint32_t)sd_gdt ? "=gdt" : "!=gdt",
              b[8] | b[9] << 8, ibase == (uint32_t)sd_idt ? "=idt" : "!=idt");
    rt_printf("stores.cpl3: sldt m16=0x%04x str m16=0x%04x smsw m16=0x%04x str r32=0x%08x sldt r32=0x%08x smsw r16=0x%08x\n",
              p[4] & 0xFFFF, p[5] & 0xFFFF, p[6] & 0xFFFF, p[7], p[8], p[9]);

    static const struct { const char *name; void (*fn)(void *); } c[] = {
        { "lgdt", s_lgdt }, { "lidt", s_lidt }, { "lldt", s_lldt_same }, { "ltr", s_ltr_same },
        { "lmsw", s_lmsw }, { "clts", s_clts }, { "mov eax, cr0", s_rd_cr0 },
        { "mov cr2, eax", s_wr_cr2 }, { "mov eax, cr3", s_rd_cr3 }, { "mov eax, cr4", s_rd_cr4 },
        { "mov eax, dr7", s_rd_dr7 }, { "hlt", s_hlt }, { "invd", s_invd }, { "wbinvd", s_wbinvd },
        { "invlpg", s_invlpg }, { "rdmsr", s_rdmsr }, { "rdtsc (TSD=0)", s_rdtsc },
    };
    for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++) {
        char name[64];
        rt_snprintf(name, sizeof name, "priv.cpl3 %s", c[i].name);
        run(name, c[i].fn, 0, 3, 0x3202);
    }
    uint32_t cr4;
    __asm__ volatile("movl %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("movl %0, %%cr4" :: "r"(cr4 | 4));
    run("priv.cpl3 rdtsc (TSD=1)", s_rdtsc, 0, 3, 0x3202);
    run("priv.cpl0 rdtsc (TSD=1)", s_rdtsc, 0, 0, 0);
    __asm__ volatile("movl %0, %%cr4" :: "r"(cr4));
}

/* Hardware task switches: out of scope for vmscope (#GP(selector) for
 * JMP/CALL/INT to a TSS or task gate, #GP(0) for IRET with NT=1, DESIGN.md);
 * QEMU and Bochs switch tasks and land in sd_task_land (vector 0xF0). */
static void task_restore(void)
{
    sd_tss.link = 0;
    tss_load(TSS_LIMIT);
}

static void task_line(const char *name, void (*fn)(void *), unsigned cpl, uint32_t efl)
{
    int r = sd_try(fn, 0, cpl, efl);
    if (r == 0xF0)
        rt_printf("%s: task switch to 0x30, link=0x%04x nt=%u\n", name, sd_tss2.link & 0xFFFF,
                  !!(sd_f.heflags & EF_NT));
    else
        rt_printf("%s: %s\n", name, outcome(r, fn));
    task_restore();
}

static void check_tasks(void)
{
    run("task.cpl0 jmp to a busy TSS", s_ljmp_busy_tss, 0, 0, 0);
    task_line("model: task.cpl0 jmp to TSS 0x30", s_task_jmp, 0, 0);
    task_line("model: task.cpl0 call to TSS 0x30", s_task_call, 0, 0);
    task_line("model: task.cpl0 int 0x49 through a task gate", s_int_0x49, 0, 0);
    task_line("model: task.cpl0 iret with NT=1, back link 0", s_iret_nt, 0, 0);
}

int main(struct mb_info *mbi)
{
    outb(0x21, 0xFF);           /* mask every IRQ: IF=1 at ring 3 must stay quiet */
    outb(0xA1, 0xFF);
    setup_tables();
    rt_printf("sys-diff: protected-mode system checks\n");
    check_flags();
    check_io();
    check_int();
    check_rings();
    check_tss_stack();
    check_segs();
    check_limits();
    check_step();
    check_probe();
    check_priv();
    check_tasks();
    rt_printf("sys-diff: done\n");
    return 0;                   /* the verdict is the comparison's, not the guest's */
}
