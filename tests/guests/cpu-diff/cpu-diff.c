/* cpu-diff: differential test of the i686 integer instruction set.
 *
 * Every instruction form (forms.c) is a template of instruction bytes. For
 * each form the guest runs COUNT cases: registers, flags and memory windows
 * from a seeded generator (edge values 0, 1, -1, sign boundaries, and random
 * ones), a random immediate, then the template on its own code page
 * (exec.S). It hashes what the case left (registers, the flags the SDM
 * defines for that instruction, the memory windows the form may touch), or,
 * when it faulted, the vector, the error code and the faulting EIP relative
 * to the template's start. One line per form:
 *
 *     NAME [TEMPLATE] faults=F hash=H
 *
 * is printed; the same image must print the same lines under QEMU, Bochs and
 * vmscope. Forms whose behaviour belongs to the modelled CPU rather than to
 * the ISA (x87, MMX, FXSR, SEP, RDPMC, CPUID, MSRs, RDTSC) print `model:`
 * lines that describe the outcome instead of hashing it; tests/guests/
 * cpu-diff/cpu-diff.model holds what vmscope must print for them.
 *
 * Options (words KEY=VALUE anywhere in the Multiboot command line; GRUB
 * passes no file name, QEMU and vmscope pass one first):
 *   n=COUNT     cases per form (default 160)
 *   seed=N      generator seed (default 1)
 *   allflags=1  hash every flag and every result the SDM leaves undefined
 *               (for the comparison with Bochs, which models Intel's values)
 *   only=TEXT   run only forms whose name contains TEXT
 *   dump=1      print every case (inputs and outputs) of the forms run
 */
#include "cpu-diff.h"


uint8_t *const cd_mem = (uint8_t *)CD_MEM_ADDR;
uint8_t *const cd_stk = (uint8_t *)CD_STK_ADDR;
uint8_t *const cd_str = (uint8_t *)CD_STR_ADDR;
/* The low window for 16-bit addressing forms: physical 0 .. CD_LOW_SIZE
 * (a 16-bit effective address lies in the first 64 KiB; a dword access at
 * 0xFFFF, or a segment base of 0x20, reaches a little beyond). */
#define CD_LOW ((uint8_t *)0)

int cd_allflags;
static unsigned opt_n = 160, opt_dump;
static uint32_t opt_seed = 1;
static char opt_only[64];
static char cmdline_copy[256];

/* --- generator --------------------------------------------------------- */

static uint32_t rng_state;

uint32_t cd_rand(void)
{
    uint32_t z = (rng_state += 0x9E3779B9u);
    z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
    z = (z ^ (z >> 13)) * 0xC2B2AE35u;
    return z ^ (z >> 16);
}

static const uint32_t edges[] = {
    0, 1, 2, 3, 0x7F, 0x80, 0x81, 0xFE, 0xFF, 0x100, 0x7FFF, 0x8000, 0x8001, 0xFFFE,
    0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000u, 0x80000001u, 0xFFFFFFFEu, 0xFFFFFFFFu,
    0x55555555, 0xAAAAAAAAu, 0x0F0F0F0F, 0x12345678, 0x99, 0x09, 0x0A, 0x1F, 0x20, 0x21,
};

/* A register value: random, an edge value, or an edge value in the low byte
 * or word under random high bits (8- and 16-bit forms see the edge). */
uint32_t cd_value(void)
{
    uint32_t r = cd_rand(), e = edges[cd_rand() % (sizeof edges / sizeof edges[0])];
    switch (r & 7) {
    case 0: case 1: case 2: return cd_rand();
    case 3: return (uint32_t)(int32_t)(int8_t)cd_rand();
    case 4: case 5: return e;
    case 6: return (e & 0xFF) | (cd_rand() & ~0xFFu);
    default: return (e & 0xFFFF) | (cd_rand() & ~0xFFFFu);
    }
}

/* --- hashing ----------------------------------------------------------- */

static uint64_t hash;

static void h32(uint32_t w)
{
    hash ^= w;
    hash *= 0x100000001B3ull;
}

static void hmem(const uint8_t *p, uint32_t len)
{
    const uint32_t *w = (const uint32_t *)p;
    for (uint32_t i = 0; i < len / 4; i++)
        h32(w[i]);
}

static void fill(uint8_t *p, uint32_t len)
{
    uint32_t *w = (uint32_t *)p;
    for (uint32_t i = 0; i < len / 4; i++)
        w[i] = cd_rand();
}

/* String windows: either random bytes or one repeated byte with a few
 * random changes, so that REPE/REPNE comparisons run for a while. */
static void fill_str(uint8_t *p, uint32_t len)
{
    if (cd_rand() & 1) {
        fill(p, len);
        return;
    }
    uint8_t c = (cd_rand() & 1) ? 0xAA : 0x00;
    memset(p, c, len);
    for (unsigned k = cd_rand() % 4; k; k--)
        p[cd_rand() % len] = (uint8_t)cd_rand();
}

/* --- control registers ------------------------------------------------- */

static uint32_t read_cr0(void)
{
    uint32_t v;
    __asm__ volatile("movl %%cr0, %0" : "=r"(v));
    return v;
}

static void write_cr0(uint32_t v)
{
    __asm__ volatile("movl %0, %%cr0" :: "r"(v));
}

/* --- running one form ---------------------------------------------------- */

#define cd_code ((uint8_t *)CD_CODE_ADDR)
extern char cd_ret[];
void cd_run(void *unused);

/* Copy the template to the code page, followed by JMP cd_ret. */
static void place(const struct form *f)
{
    memcpy(cd_code, f->code, f->len);
    uint8_t *j = cd_code + f->len;
    j[0] = 0xE9;
    uint32_t rel = (uint32_t)cd_ret - (uint32_t)(j + 5);
    memcpy(j + 1, &rel, 4);
    if (f->abs_off >= 0) {
        uint32_t end = (uint32_t)(cd_code + f->len);
        memcpy(cd_code + f->abs_off, &end, 4);
    }
    if (f->mem_off >= 0) {
        uint32_t a = (uint32_t)(cd_mem + CD_MEM_SIZE / 2);
        memcpy(cd_code + f->mem_off, &a, 4);
    }
}

uint32_t cd_code_end(const struct form *f)
{
    return (uint32_t)(cd_code + f->len);
}

static void dump_regs(const char *tag, const struct cd_regs *r)
{
    rt_printf("  %s eax=%08x ecx=%08x edx=%08x ebx=%08x esp=%08x ebp=%08x esi=%08x edi=%08x fl=%08x"
              " ds=%x es=%x fs=%x gs=%x ss=%x\n", tag, r->r[0], r->r[1], r->r[2], r->r[3], r->r[4],
              r->r[5], r->r[6], r->r[7], r->eflags, r->ds, r->es, r->fs, r->gs, r->ss);
}

/* A caught exception pushed EFLAGS, CS, EIP, an error code and the vector
 * on the template's stack. Whether the EFLAGS image has RF set is
 * model-specific (SDM vol. 3A §17.3.1.1), so the frame is zeroed when it
 * lies in the stack window (a window is only filled, never read, by the
 * harness; what was below ESP is dead for the form anyway). */
extern uint32_t cd_fault_frame, cd_fault_regs[8];

static void forget_frame(void)
{
    uint32_t lo = cd_fault_frame, hi = lo + 20;
    uint32_t wlo = (uint32_t)cd_stk, whi = wlo + CD_STK_SIZE;
    if (lo && hi > wlo && lo < whi) {
        if (lo < wlo) lo = wlo;
        if (hi > whi) hi = whi;
        memset((void *)lo, 0, hi - lo);
    }
}

/* Model forms: summarise the outcome of every case in words. */
struct outcome { int vec; uint32_t err, eip; int mixed; unsigned ran; };

static void record_outcome(struct outcome *o, int vec, const struct rt_fault *fl)
{
    uint32_t err = vec >= 0 ? fl->err : 0, eip = vec >= 0 ? fl->eip - (uint32_t)cd_code : 0;
    if (!o->ran) {
        o->vec = vec; o->err = err; o->eip = eip;
    } else if (o->vec != vec || o->err != err || o->eip != eip) {
        o->mixed = 1;
    }
    o->ran++;
}

static uint32_t form_seed(const struct form *f)
{
    uint32_t h = 2166136261u ^ opt_seed * 0x9E3779B9u;
    for (const char *p = f->name; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return h;
}

static void run_form(struct form *f)
{
    struct kase k;
    struct outcome oc = { 0, 0, 0, 0, 0 };
    unsigned faults = 0;
    unsigned n = f->model == MODEL_CPU ? 8 : f->model == MODEL_SDM ? 32 : opt_n;
    uint32_t cr0 = read_cr0();

    rng_state = form_seed(f);
    hash = 0xCBF29CE484222325ull;
    place(f);
    if (f->setup & S_LOW) {
        for (uint32_t i = 0; i < CD_LOW_SIZE; i += 4) {
            uint32_t v = cd_rand();
            memcpy(CD_LOW + i, &v, 4);
        }
    }
    for (unsigned i = 0; i < n; i++) {
        memset(&k, 0, sizeof k);
        k.f = f;
        for (int r = 0; r < 8; r++)
            k.in.r[r] = cd_value();
        k.in.r[R_ESP] = (uint32_t)(cd_stk + CD_STK_TOP);
        k.in.eflags = 2 | (cd_rand() & FL_ALL6);
        k.in.ds = k.in.es = k.in.fs = k.in.gs = k.in.ss = 0x10;
        k.imm = cd_value();
        k.rb = (uint8_t)cd_rand();
        k.fdef = f->fdef;
        if (f->setup & S_MEM) {
            fill(cd_mem, CD_MEM_SIZE);
            k.in.r[R_EBX] = (uint32_t)(cd_mem + CD_MEM_SIZE / 2);
        }
        if (f->setup & S_STK)
            fill(cd_stk, CD_STK_SIZE);
        if (f->setup & S_STR) {
            fill_str(cd_str, CD_STR_SIZE);
            k.in.r[R_ESI] = (uint32_t)cd_str + 512 + cd_rand() % 512;
            k.in.r[R_EDI] = (cd_rand() & 1) ? (uint32_t)cd_str + 1024 + cd_rand() % 512
                                            : k.in.r[R_ESI] + cd_rand() % 17 - 8;
            k.in.r[R_ECX] = (cd_rand() & 7) ? cd_rand() % 25 : 0;
            k.in.eflags |= (cd_rand() & 1) ? FL_DF : 0;
        }
        if (f->setup & S_STR16) {
            static const uint16_t bases[] = { 0x4000, 0x4400, 0xFFF0, 0x0000 };
            uint16_t si = bases[cd_rand() & 3] + cd_rand() % 16, di = bases[cd_rand() & 3] + cd_rand() % 16;
            k.in.r[R_ESI] = (cd_rand() & 0xFFFF0000u) | si;
            k.in.r[R_EDI] = (cd_rand() & 0xFFFF0000u) | di;
            k.in.r[R_ECX] = (cd_rand() & 0xFFFF0000u) | ((cd_rand() & 7) ? cd_rand() % 25 : 0);
            k.in.eflags |= (cd_rand() & 1) ? FL_DF : 0;
            fill_str(CD_LOW + 0x3F00, 0x700);
            fill_str(CD_LOW + 0xFF00, 0x200);
            fill_str(CD_LOW, 0x100);
        }
        if (f->setup & S_LIM) {
            /* ES (and DS for LODS) = 0x38: offsets relative to cd_str, the
             * limit (1023) reached part way through some cases */
            k.in.es = 0x38;
            k.in.r[R_EDI] = 880 + cd_rand() % 160;
            if (f->setup & S_DS30) {
                k.in.ds = 0x38;
                k.in.r[R_ESI] = 880 + cd_rand() % 160;
            }
        }
        if (f->setup & S_SEG) {
            k.in.es = k.in.fs = k.in.gs = 0x30;
            if (f->setup & S_DS30)
                k.in.ds = 0x30;
        } else if ((f->setup & (S_DS30 | S_LIM)) == S_DS30) {
            k.in.ds = 0x30;
        }
        if (f->fix)
            f->fix(&k);
        if (f->imm_size) {
            uint32_t v = k.imm;
            memcpy(cd_code + f->imm_off, &v, f->imm_size);
        }
        if (f->rb_off >= 0)
            cd_code[f->rb_off] = k.rb;
        cd_in = k.in;
        memset(&cd_out, 0, sizeof cd_out);
        struct rt_fault fl;
        if (f->cr0_set)
            write_cr0(cr0 | f->cr0_set);
        int vec = cd_try(cd_run, 0, &fl);
        if (f->cr0_set)
            write_cr0(cr0);
        if (f->model)
            record_outcome(&oc, vec, &fl);
        if (opt_dump) {
            rt_printf(" case %u imm=%08x rb=%02x\n", i, k.imm, k.rb);
            dump_regs("in ", &k.in);
            if (vec >= 0) {
                struct cd_regs fr = k.in;
                memcpy(fr.r, cd_fault_regs, sizeof fr.r);
                rt_printf("  fault %d err=%x eip=+%x\n", vec, fl.err, fl.eip - (uint32_t)cd_code);
                dump_regs("flt", &fr);
                const uint32_t *fp = (const uint32_t *)cd_fault_frame;
                rt_printf("  frame vector=%x err=%x eip=%08x cs=%x eflags=%08x\n", fp[0], fp[1], fp[2], fp[3], fp[4]);
            } else
                dump_regs("out", &cd_out);
        }
        if (vec >= 0 && !cd_allflags)
            forget_frame();
        if (vec >= 0) {
            faults++;
            h32(0xFA17FA17u);
            h32((uint32_t)vec);
            h32(fl.err);
            h32(fl.eip - (uint32_t)cd_code);
            for (int r = 0; r < 8; r++)
                h32((cd_allflags || !(k.undef & (1u << r))) ? cd_fault_regs[r] : 0);
        } else {
            uint32_t fmask = cd_allflags ? 0xFFFFFFFFu : (k.fdef | ~FL_ALL6);
            for (int r = 0; r < 8; r++)
                h32((cd_allflags || !(k.undef & (1u << r))) ? cd_out.r[r] : 0);
            h32(cd_out.eflags & fmask);
            h32(cd_out.ds); h32(cd_out.es); h32(cd_out.fs); h32(cd_out.gs); h32(cd_out.ss);
        }
        if (f->setup & S_MEM)
            hmem(cd_mem, CD_MEM_SIZE);
        if (f->setup & S_STK)
            hmem(cd_stk, CD_STK_SIZE);
        if (f->setup & S_STR)
            hmem(cd_str, CD_STR_SIZE);
        if (f->setup & S_STR16) {
            hmem(CD_LOW + 0x3F00, 0x700);
            hmem(CD_LOW + 0xFF00, 0x200);
            hmem(CD_LOW, 0x100);
        }
    }
    if (f->model) {
        /* "cpu": what the modelled CPU does (DESIGN.md); "sdm": QEMU departs
         * from the SDM here, so vmscope is held to the SDM (and Bochs). */
        const char *kind = f->model == MODEL_CPU ? "cpu" : "sdm";
        if (oc.mixed)
            rt_printf("model: %s %s [%s] mixed outcomes", kind, f->name, f->tmpl);
        else if (oc.vec >= 0)
            rt_printf("model: %s %s [%s] fault %d err=%x eip=+%x", kind, f->name, f->tmpl, oc.vec, oc.err, oc.eip);
        else
            rt_printf("model: %s %s [%s] executes", kind, f->name, f->tmpl);
        if (f->model == MODEL_SDM)
            rt_printf(" hash=%08x%08x", (uint32_t)(hash >> 32), (uint32_t)hash);
        rt_printf("\n");
        return;
    }
    if (f->setup & S_LOW)
        hmem(CD_LOW, CD_LOW_SIZE);
    rt_printf("%s [%s] faults=%u hash=%08x%08x\n", f->name, f->tmpl, faults,
              (uint32_t)(hash >> 32), (uint32_t)hash);
}

/* --- options ------------------------------------------------------------- */

static uint32_t parse_num(const char *s)
{
    uint32_t v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        for (s += 2; *s && *s != ' '; s++)
            v = v * 16 + (uint32_t)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
        return v;
    }
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (uint32_t)(*s - '0');
    return v;
}

static void parse_options(const char *cl)
{
    while (*cl) {
        while (*cl == ' ')
            cl++;
        const char *w = cl;
        while (*cl && *cl != ' ')
            cl++;
        size_t len = (size_t)(cl - w);
        if (len > 2 && !strncmp(w, "n=", 2))
            opt_n = parse_num(w + 2);
        else if (len > 5 && !strncmp(w, "seed=", 5))
            opt_seed = parse_num(w + 5);
        else if (len > 9 && !strncmp(w, "allflags=", 9))
            cd_allflags = (int)parse_num(w + 9);
        else if (len > 5 && !strncmp(w, "dump=", 5))
            opt_dump = parse_num(w + 5);
        else if (len > 5 && !strncmp(w, "only=", 5) && len - 5 < sizeof opt_only) {
            memcpy(opt_only, w + 5, len - 5);
            opt_only[len - 5] = 0;
        }
    }
}

static int name_matches(const char *name)
{
    if (!opt_only[0])
        return 1;
    size_t n = strlen(opt_only);
    for (; *name; name++)
        if (!strncmp(name, opt_only, n))
            return 1;
    return 0;
}

/* A data segment with base 0x20 at GDT selector 0x30, so that segment
 * overrides and the SS-versus-DS default of [EBP]/[BP] forms show. */
extern uint64_t rt_gdt[];

static void setup_gdt(void)
{
    rt_gdt[6] = 0x00CF92000020FFFFull;      /* base 0x20, limit 4 GiB, data RW, DPL 0 */
    /* 0x38: base cd_str, byte-granular limit 1023, data RW: string forms
     * that run into the limit part way (#GP(0), SDM vol. 3A §5.3). */
    uint64_t base = (uint32_t)cd_str;
    rt_gdt[7] = 0x0040920000000000ull | 1023 | (base & 0xFFFFFF) << 16 | (base >> 24) << 56;
}

void cd_vec0x20(void), cd_vec0x80(void), cd_vec0xff(void);
extern void (*const cd_vec_table[32])(void);

int main(struct mb_info *mbi)
{
    const char *cl = (mbi->flags & 4) ? (const char *)mbi->cmdline : "";
    size_t len = strlen(cl);
    if (len >= sizeof cmdline_copy)
        len = sizeof cmdline_copy - 1;
    memcpy(cmdline_copy, cl, len);
    cmdline_copy[len] = 0;
    parse_options(cmdline_copy);
    memset(cd_code, 0xCC, 4096);
    setup_gdt();
    for (unsigned v = 0; v < 32; v++)
        rt_set_gate(v, cd_vec_table[v], 0, 0);
    rt_set_gate(0x20, cd_vec0x20, 0, 0);
    rt_set_gate(0x80, cd_vec0x80, 0, 0);
    rt_set_gate(0xFF, cd_vec0xff, 0, 0);

    rt_printf("cpu-diff: n=%u seed=%u allflags=%d\n", opt_n, opt_seed, cd_allflags);
    unsigned nforms = cd_build_forms();
    unsigned ran = 0;
    for (unsigned i = 0; i < nforms; i++) {
        struct form *f = &cd_forms[i];
        if (f->allflags_only && !cd_allflags)
            continue;
        if (!name_matches(f->name))
            continue;
        run_form(f);
        ran++;
    }
    if (!opt_only[0])
        cd_model_info();
    rt_printf("cpu-diff: %u forms done\n", ran);
    return 0;
}
