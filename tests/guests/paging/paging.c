/* Test guest for 32-bit paging (Intel SDM vol. 3A ch. 4): the permission
 * matrix from ring 0 and ring 3, A/D bits, #PF error codes and CR2, 4 MiB
 * pages, global pages across a CR3 load, INVLPG, WP, page-crossing accesses
 * and fetches, a self-mapped page directory. One line per check.
 *
 * Lines that depend on what QEMU does not model as hardware does (entries a
 * TLB keeps until a flush, reserved-bit checks, RAM-less physical addresses)
 * start with "model:" and are compared under vmscope only (paging.model).
 *
 * Address map (linear = physical below 8 MiB, identity, user-accessible so
 * ring 3 can run this image's code):
 *
 *   0x00000000-0x007FFFFF  identity, 4 KiB pages (pt_id[0..1])
 *   0x40000000-0x403FFFFF  test pages (pt_test): page i -> frame FRAME(i)
 *   0x50000000             directory slot left not present
 *   0x80000000-0x803FFFFF  one 4 MiB page -> physical 0x00C00000
 *   0xFFC00000-0xFFFFFFFF  the directory mapped onto itself (slot 1023)
 *
 * Frames FRAME(i) = 0x00600000 + i*4K are reached through the identity map to
 * check what landed in memory. */
#include "guest/rt/rt.h"

#define P   0x001u
#define RW  0x002u
#define US  0x004u
#define A   0x020u
#define D   0x040u
#define PS  0x080u
#define G   0x100u

#define CR0_WP (1u << 16)
#define CR0_PG (1u << 31)
#define CR4_PSE (1u << 4)
#define CR4_PGE (1u << 7)

#define TEST      0x40000000u
#define NOTPRES   0x50000000u
#define BIG       0x80000000u
#define BIG_PHYS  0x00C00000u
#define FRAME(i)  (0x00600000u + (uint32_t)(i) * 4096u)
#define TPAGE(i)  (TEST + (uint32_t)(i) * 4096u)

/* Volatile: the processor writes A and D behind the compiler's back. */
static volatile uint32_t pd[1024] __attribute__((aligned(4096)));
static volatile uint32_t pd2[1024] __attribute__((aligned(4096)));
static volatile uint32_t pt_id[2][1024] __attribute__((aligned(4096)));
static volatile uint32_t pt_test[1024] __attribute__((aligned(4096)));
static uint8_t kstack[4096] __attribute__((aligned(16)));
static uint8_t ustack[4096] __attribute__((aligned(16)));

struct tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt, iomap;
} __attribute__((packed));
static struct tss tss;
extern uint64_t rt_gdt[];

static inline uint32_t get_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint32_t get_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void set_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" :: "r"(v) : "memory"); }
static inline void set_cr3(uint32_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline void set_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }
static inline void invlpg(uint32_t lin) { __asm__ volatile("invlpg (%0)" :: "r"(lin) : "memory"); }
static inline void reload_cr3(void) { uint32_t v; __asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(v) :: "memory"); }

static inline uint32_t peek(uint32_t addr) { return *(volatile uint32_t *)addr; }
static inline void poke(uint32_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }

/* ---- accesses that may fault, at ring 0 or ring 3 ---- */

struct acc {
    uint32_t addr;      /* linear address */
    uint32_t val;       /* value to write, or value read */
    uint32_t write;     /* 1: write, 0: read */
};

static void r0_access(void *arg)
{
    struct acc *x = arg;
    if (x->write)
        poke(x->addr, x->val);
    else
        x->val = peek(x->addr);
}

/* Ring 3 entry: IRET to user_access with EAX = address, EDX = value,
 * ECX = write. The user code ends with UD2, which rt_try catches (#UD
 * means "the access went through"). A read's value comes back in EDX... of
 * a frame we no longer have, so ring-3 reads are checked for faults only. */
__asm__(
    ".text\n"
    "user_access:\n"
    "    movw $0x23, %bx\n"
    "    movw %bx, %ds\n"
    "    movw %bx, %es\n"
    "    testl %ecx, %ecx\n"
    "    jnz 1f\n"
    "    movl (%eax), %edx\n"
    "    ud2\n"
    "1:  movl %edx, (%eax)\n"
    "    ud2\n");
extern char user_access[];

static void r3_access(void *arg)
{
    struct acc *x = arg;
    __asm__ volatile(
        "pushl $0x23\n\t"
        "pushl %[usp]\n\t"
        "pushl $0x002\n\t"              /* EFLAGS: IF=0, IOPL=0 */
        "pushl $0x1B\n\t"
        "pushl %[entry]\n\t"
        "iret"
        :: "a"(x->addr), "d"(x->val), "c"(x->write), [usp] "r"((uint32_t)(ustack + sizeof ustack)),
           [entry] "r"((uint32_t)user_access)
        : "memory");
}

/* Run one access; describe its outcome as "ok" or "PF(err)" with a CR2
 * check, into BUF. Returns 1 if it went through. */
static int access(uint32_t addr, int write, int ring3, uint32_t val, uint32_t *out, char *buf, size_t len)
{
    struct acc x = { addr, val, (uint32_t)write };
    struct rt_fault f;
    int v = rt_try(ring3 ? r3_access : r0_access, &x, &f);
    if ((ring3 && v == 6) || (!ring3 && v < 0)) {
        if (out)
            *out = x.val;
        rt_snprintf(buf, len, "ok");
        return 1;
    }
    if (v == 14)
        rt_snprintf(buf, len, "PF(%x)%s", f.err, f.cr2 == addr ? "" : " cr2 wrong");
    else
        rt_snprintf(buf, len, "vector %d err %x", v, f.err);
    return 0;
}

static const char *outcome(uint32_t addr, int write, int ring3)
{
    static char buf[4][48];
    static int k;
    k = (k + 1) & 3;
    access(addr, write, ring3, 0x5A5A5A5A, NULL, buf[k], sizeof buf[k]);
    return buf[k];
}

/* ---- page tables ---- */

static void set_pte(unsigned i, uint32_t v)
{
    pt_test[i] = v;
    invlpg(TPAGE(i));
}

static uint32_t pte(unsigned i) { return pt_test[i]; }

static void setup_paging(void)
{
    for (unsigned t = 0; t < 2; t++)
        for (unsigned i = 0; i < 1024; i++)
            pt_id[t][i] = ((t * 1024 + i) << 12) | P | RW | US;
    pt_id[0][0] = 0;    /* page 0 not present: null pointers fault */
    pd[0] = (uint32_t)pt_id[0] | P | RW | US;
    pd[1] = (uint32_t)pt_id[1] | P | RW | US;
    pd[TEST >> 22] = (uint32_t)pt_test | P | RW | US;
    pd[BIG >> 22] = BIG_PHYS | P | RW | US | PS;
    pd[1023] = (uint32_t)pd | P | RW;
    for (unsigned i = 0; i < 1024; i++)
        pd2[i] = pd[i];
    pd2[1023] = (uint32_t)pd2 | P | RW;
    for (unsigned i = 0; i < 64; i++) {
        pt_test[i] = FRAME(i) | P | RW | US;
        poke(FRAME(i), 0x1000 + i);
    }
    /* A TSS for ring-3 -> ring-0 transitions (SS0:ESP0). */
    tss.ss0 = 0x10;
    tss.esp0 = (uint32_t)(kstack + sizeof kstack);
    tss.iomap = sizeof tss;
    uint32_t base = (uint32_t)&tss, limit = sizeof tss - 1;
    rt_gdt[5] = (uint64_t)(limit & 0xFFFF) | (uint64_t)(base & 0xFFFFFF) << 16 |
                (uint64_t)0x89 << 40 | (uint64_t)((limit >> 16) & 0xF) << 48 |
                (uint64_t)(base >> 24) << 56;
    __asm__ volatile("ltr %w0" :: "r"(0x28));
    set_cr3((uint32_t)pd);
    set_cr4(CR4_PSE | CR4_PGE);
    set_cr0(get_cr0() | CR0_PG | CR0_WP);
}

/* ---- the checks ---- */

static void check_basic(void)
{
    poke(TPAGE(1) + 8, 0xCAFEF00D);
    rt_printf("basic: write through 0x%08x lands in frame 0x%08x: %s\n", TPAGE(1) + 8, FRAME(1) + 8,
              peek(FRAME(1) + 8) == 0xCAFEF00D ? "yes" : "no");
    rt_printf("basic: page 0 not present: %s\n", outcome(0x10, 0, 0));
}

static void check_matrix(void)
{
    static const char *rw[2] = { "r", "w" }, *us[2] = { "s", "u" };
    for (unsigned wp = 0; wp < 2; wp++) {
        set_cr0(wp ? get_cr0() | CR0_WP : get_cr0() & ~CR0_WP);
        for (unsigned de = 0; de < 4; de++)
            for (unsigned te = 0; te < 4; te++) {
                uint32_t pdef = P | (de & 1 ? RW : 0) | (de & 2 ? US : 0);
                uint32_t ptef = P | (te & 1 ? RW : 0) | (te & 2 ? US : 0);
                pd[TEST >> 22] = (uint32_t)pt_test | pdef;
                pt_test[5] = FRAME(5) | ptef;
                reload_cr3();
                rt_printf("perm wp=%u pde=%s%s pte=%s%s: r0 read %s, r0 write %s, r3 read %s, r3 write %s\n",
                          wp, rw[de & 1], us[de >> 1], rw[te & 1], us[te >> 1],
                          outcome(TPAGE(5) + 0x10, 0, 0), outcome(TPAGE(5) + 0x14, 1, 0),
                          outcome(TPAGE(5) + 0x18, 0, 1), outcome(TPAGE(5) + 0x1C, 1, 1));
            }
    }
    pd[TEST >> 22] = (uint32_t)pt_test | P | RW | US;
    pt_test[5] = FRAME(5) | P | RW | US;
    set_cr0(get_cr0() | CR0_WP);
    reload_cr3();
}

static void check_errors(void)
{
    set_pte(6, FRAME(6) | RW | US);     /* not present */
    rt_printf("np pte: r0 read %s, r0 write %s, r3 read %s, r3 write %s\n",
              outcome(TPAGE(6) + 4, 0, 0), outcome(TPAGE(6) + 8, 1, 0),
              outcome(TPAGE(6) + 12, 0, 1), outcome(TPAGE(6) + 16, 1, 1));
    rt_printf("np pde: r0 read %s, r0 write %s, r3 read %s, r3 write %s\n",
              outcome(NOTPRES + 0x123, 0, 0), outcome(NOTPRES + 0x456, 1, 0),
              outcome(NOTPRES + 0x789, 0, 1), outcome(NOTPRES + 0xABC, 1, 1));
    set_pte(6, FRAME(6) | P | RW | US);
    /* Reserved bits: bit 7 of a PTE (PAT), bits 21:12 of a 4 MiB PDE. */
    set_pte(7, FRAME(7) | P | RW | US | PS);
    rt_printf("model: rsvd pte bit 7: r0 read %s, r3 write %s\n",
              outcome(TPAGE(7), 0, 0), outcome(TPAGE(7), 1, 1));
    set_pte(7, FRAME(7) | P | RW | US);
    pd[BIG >> 22] = BIG_PHYS | P | RW | US | PS | (1u << 13);
    invlpg(BIG);
    rt_printf("model: rsvd 4m pde bit 13: r0 read %s\n", outcome(BIG + 0x100, 0, 0));
    pd[BIG >> 22] = BIG_PHYS | P | RW | US | PS | (1u << 21);
    invlpg(BIG);
    rt_printf("model: rsvd 4m pde bit 21: r3 read %s\n", outcome(BIG + 0x100, 0, 1));
    pd[BIG >> 22] = BIG_PHYS | P | RW | US | PS;
    invlpg(BIG);
    /* A page table outside RAM reads as all ones: PTE bit 7 set, reserved. */
    pd[NOTPRES >> 22] = 0xFFF00000u | P | RW | US;
    invlpg(NOTPRES);
    rt_printf("model: page table outside RAM: r0 read %s\n", outcome(NOTPRES, 0, 0));
    pd[NOTPRES >> 22] = 0;
    invlpg(NOTPRES);
}

static void check_ad(void)
{
    set_pte(8, FRAME(8) | P | RW | US);
    pd[TEST >> 22] &= ~A;
    reload_cr3();
    uint32_t before = pte(8);
    (void)peek(TPAGE(8));
    uint32_t after_read = pte(8);
    poke(TPAGE(8) + 4, 1);
    uint32_t after_write = pte(8);
    rt_printf("ad: pte before A=%u D=%u; after read A=%u D=%u; after write A=%u D=%u; pde A=%u D=%u\n",
              !!(before & A), !!(before & D), !!(after_read & A), !!(after_read & D),
              !!(after_write & A), !!(after_write & D), !!(pd[TEST >> 22] & A), !!(pd[TEST >> 22] & D));
    /* A faulting access sets no A bit in the PTE. */
    set_pte(9, FRAME(9) | P | US);      /* read-only */
    outcome(TPAGE(9), 1, 0);
    rt_printf("ad: after a write fault on a read-only page A=%u D=%u\n", !!(pte(9) & A), !!(pte(9) & D));
    /* The D bit is set by the first write even when the TLB entry came from a read. */
    set_pte(10, FRAME(10) | P | RW | US);
    (void)peek(TPAGE(10));
    uint32_t r = pte(10);
    poke(TPAGE(10), 2);
    rt_printf("ad: write after a cached read: D %u -> %u\n", !!(r & D), !!(pte(10) & D));
    /* The guest clears D without a flush: the TLB entry still says dirty,
     * so a further write does not set it again (until INVLPG). */
    pt_test[10] &= ~D;
    poke(TPAGE(10), 3);
    rt_printf("model: write with D cleared behind the TLB: D=%u\n", !!(pte(10) & D));
    invlpg(TPAGE(10));
    poke(TPAGE(10), 4);
    rt_printf("ad: write after INVLPG: D=%u\n", !!(pte(10) & D));
    /* 4 MiB page: A and D live in the PDE. */
    pd[BIG >> 22] = BIG_PHYS | P | RW | US | PS;
    invlpg(BIG);
    (void)peek(BIG + 0x1234);
    uint32_t big_r = pd[BIG >> 22];
    poke(BIG + 0x3FFFFC, 0x4D4D4D4D);
    uint32_t big_w = pd[BIG >> 22];
    rt_printf("4m: read A=%u D=%u, write A=%u D=%u\n",
              !!(big_r & A), !!(big_r & D), !!(big_w & A), !!(big_w & D));
}

static void check_big(void)
{
    /* BIG_PHYS is above the identity map: check it through a 4 KiB alias. */
    set_pte(20, (BIG_PHYS + 0x5000) | P | RW);
    poke(BIG + 0x5010, 0x12345678);
    rt_printf("4m: 0x%08x and its 4K alias agree: %s\n", BIG + 0x5010,
              peek(TPAGE(20) + 0x10) == 0x12345678 ? "yes" : "no");
    pd[BIG >> 22] = BIG_PHYS | P | US | PS;       /* read-only */
    invlpg(BIG);
    rt_printf("4m read-only: r0 write %s, r3 read %s, r3 write %s\n",
              outcome(BIG + 0x20, 1, 0), outcome(BIG + 0x24, 0, 1), outcome(BIG + 0x28, 1, 1));
    pd[BIG >> 22] = BIG_PHYS | P | RW | PS;       /* supervisor */
    invlpg(BIG);
    rt_printf("4m supervisor: r0 write %s, r3 read %s\n", outcome(BIG + 0x20, 1, 0), outcome(BIG + 0x24, 0, 1));
    pd[BIG >> 22] = BIG_PHYS | P | RW | US | PS;
    invlpg(BIG);
}

static void check_flushes(void)
{
    /* Page 30 -> frame 30, then remapped to frame 31 behind the TLB. */
    set_pte(30, FRAME(30) | P | RW | US);
    uint32_t v = peek(TPAGE(30));
    pt_test[30] = FRAME(31) | P | RW | US;
    uint32_t stale = peek(TPAGE(30));
    rt_printf("model: remap without a flush reads the %s frame\n",
              stale == v ? "old" : stale == 0x1000 + 31 ? "new" : "wrong");
    invlpg(TPAGE(30));
    rt_printf("invlpg: remapped page reads the %s frame\n",
              peek(TPAGE(30)) == 0x1000 + 31 ? "new" : "old");
    pt_test[30] = FRAME(32) | P | RW | US;
    reload_cr3();
    rt_printf("cr3 load: remapped page reads the %s frame\n",
              peek(TPAGE(30)) == 0x1000 + 32 ? "new" : "old");
    /* Global page: survives MOV CR3 (model), not INVLPG or a PGE toggle. */
    set_pte(31, FRAME(33) | P | RW | US | G);
    (void)peek(TPAGE(31));
    pt_test[31] = FRAME(34) | P | RW | US | G;
    reload_cr3();
    rt_printf("model: global page after MOV CR3 reads the %s frame\n",
              peek(TPAGE(31)) == 0x1000 + 33 ? "old" : "new");
    invlpg(TPAGE(31));
    rt_printf("global: after INVLPG reads the %s frame\n", peek(TPAGE(31)) == 0x1000 + 34 ? "new" : "old");
    pt_test[31] = FRAME(35) | P | RW | US | G;
    set_cr4(get_cr4() & ~CR4_PGE);
    set_cr4(get_cr4() | CR4_PGE);
    rt_printf("global: after a CR4.PGE toggle reads the %s frame\n",
              peek(TPAGE(31)) == 0x1000 + 35 ? "new" : "old");
    /* A second address space: pd2 maps page 30 elsewhere. */
    static volatile uint32_t pt_test2[1024] __attribute__((aligned(4096)));
    for (unsigned i = 0; i < 1024; i++)
        pt_test2[i] = pt_test[i];
    pt_test2[30] = FRAME(36) | P | RW | US;
    pd2[TEST >> 22] = (uint32_t)pt_test2 | P | RW | US;
    set_cr3((uint32_t)pd2);
    uint32_t in2 = peek(TPAGE(30));
    set_cr3((uint32_t)pd);
    rt_printf("cr3 switch: page 30 reads frame %u in space 2 and %u back in space 1\n",
              in2 - 0x1000, peek(TPAGE(30)) - 0x1000);
}

static void check_crossing(void)
{
    /* A write across pages 40|41 with 41 read-only (WP=1): nothing lands. */
    set_pte(40, FRAME(40) | P | RW | US);
    set_pte(41, FRAME(41) | P | US);
    poke(FRAME(40) + 0xFFC, 0x11111111);
    poke(FRAME(41), 0x22222222);
    struct rt_fault f;
    struct acc x = { TPAGE(40) + 0xFFE, 0xAABBCCDD, 1 };
    int vec = rt_try(r0_access, &x, &f);
    rt_printf("cross write: vector %d err %x cr2 %s, memory %s\n", vec, f.err,
              f.cr2 == TPAGE(41) ? "= second page" : "wrong",
              peek(FRAME(40) + 0xFFC) == 0x11111111 && peek(FRAME(41)) == 0x22222222 ? "unchanged" : "changed");
    /* A read across pages 40|42 with 42 not present: CR2 = start of page 42. */
    set_pte(42, 0);
    set_pte(41, FRAME(41) | P | RW | US);
    x = (struct acc){ TPAGE(41) + 0xFFD, 0, 0 };
    vec = rt_try(r0_access, &x, &f);
    rt_printf("cross read: vector %d err %x cr2 %s\n", vec, f.err, f.cr2 == TPAGE(42) ? "= second page" : "wrong");
    /* An instruction that runs into a missing page: MOV EAX, imm32 at the
     * last two bytes of page 43, page 44 not present. */
    set_pte(43, FRAME(43) | P | RW | US);
    set_pte(44, 0);
    uint8_t *code = (uint8_t *)(TPAGE(43) + 0xFFE);
    code[0] = 0xB8;
    code[1] = 0x78;
    vec = rt_try((void (*)(void *))code, 0, &f);
    rt_printf("cross fetch: vector %d err %x cr2 %s\n", vec, f.err, f.cr2 == TPAGE(44) ? "= second page" : "wrong");
    /* A fetch from a not-present page, and from a supervisor page at ring 3
     * is covered by the matrix's reads; here: RET in page 45 runs. */
    set_pte(45, FRAME(45) | P | RW | US);
    *(uint8_t *)TPAGE(45) = 0xC3;
    vec = rt_try((void (*)(void *))TPAGE(45), 0, &f);
    rt_printf("fetch: RET in a mapped page returns (%d); ", vec);
    set_pte(45, 0);
    vec = rt_try((void (*)(void *))TPAGE(45), 0, &f);
    rt_printf("not present: vector %d err %x cr2 %s\n", vec, f.err, f.cr2 == TPAGE(45) ? "ok" : "wrong");
}

static void check_selfmap(void)
{
    uint32_t *self = (uint32_t *)0xFFFFF000u;   /* the directory through slot 1023 */
    uint32_t *table = (uint32_t *)(0xFFC00000u + (TEST >> 22) * 4096);  /* pt_test */
    rt_printf("selfmap: directory entry for 0x%08x %s, PTE of page 5 %s\n", TEST,
              (self[TEST >> 22] & ~(A | D)) == (((uint32_t)pt_test | P | RW | US) & ~(A | D)) ? "matches" : "differs",
              (table[5] & ~(A | D)) == ((FRAME(5) | P | RW | US) & ~(A | D)) ? "matches" : "differs");
    table[46] = FRAME(46) | P | RW | US;        /* write a PTE through the self-map */
    invlpg(TPAGE(46));
    rt_printf("selfmap: PTE written through the self-map maps page 46 to frame %u\n",
              peek(TPAGE(46)) - 0x1000);
}

static void check_wp(void)
{
    set_pte(47, FRAME(47) | P | US);    /* read-only */
    set_cr0(get_cr0() & ~CR0_WP);
    rt_printf("wp=0: r0 write to a read-only page %s; ", outcome(TPAGE(47), 1, 0));
    set_cr0(get_cr0() | CR0_WP);
    rt_printf("wp=1: %s\n", outcome(TPAGE(47) + 4, 1, 0));
}

int main(struct mb_info *mbi)
{
    (void)mbi;
    rt_printf("paging test guest\n");
    setup_paging();
    check_basic();
    check_matrix();
    check_errors();
    check_ad();
    check_big();
    check_flushes();
    check_crossing();
    check_selfmap();
    check_wp();
    rt_printf("paging done\n");
    return 0;
}
