/* Hostile guests: each case does to the machine what no kind kernel would,
 * and must end the way hardware ends it (a handled exception, a double
 * fault, a triple fault: exit status 4 under vmscope, 0 under QEMU with
 * -no-reboot), or go on; never a host crash or a sanitizer report. The
 * same console output is expected under the reference QEMU command
 * (tests/compare.py); lines that depend on what QEMU does not model as the
 * hardware does start with "model:" (hostile.model).
 *
 * Command line: case=NAME, one of
 *   pt-wild     page tables that point outside RAM (a PDE at 0xFFFFF000,
 *               a PTE of a page at 0xFFFF0000) and at themselves (the
 *               directory as its own page table, twice over): reads through
 *               them, a write through the self-map, then paging off
 *   pf-storm    the #PF gate points at a page that is not present: each
 *               #PF raises another (a storm) until the stack runs into a
 *               missing page during delivery: #DF, whose own pushes fault
 *               on that page too: triple fault
 *   pf-double   the IDT straddles two pages and the one holding the #PF
 *               gate is not present: a #PF whose delivery faults is a
 *               #DF, delivered through the other page; its handler reports
 *   idt0        LIDT with limit 0, then INT3: #GP, #DF, triple fault
 *   gdt0        LGDT with limit 0: the loaded segments go on working; a
 *               segment load then raises #GP, whose delivery needs CS from
 *               the GDT: #GP again, #DF, triple fault
 *   annot       annotation records with lying sizes, unknown kinds, at
 *               addresses outside RAM and straddling its end, written with
 *               8-, 16- and 32-bit OUTs (all rejected by vmscope; QEMU
 *               has nothing at port 0x440)
 *   ata         ATA commands for sectors past the end of the disk (28- and
 *               48-bit, reads, writes, VERIFY, a count that crosses the
 *               end), each answered with an error
 *   pic-pit     the PICs initialized half-way, remapped onto the exception
 *               vectors, poll mode, special mask mode, auto-EOI, nonsense
 *               OCW3 bits; the PIT in every mode with counts 0, 1 and 2,
 *               read-back commands, latches mid-access; interrupts on
 *               between: the machine must go on
 * Exit status 0 when the case went on to its end (pt-wild, annot, ata,
 * pic-pit); pf-double ends with status 8 from its #DF handler; the others
 * end in a triple fault. */
#include "guest/rt/rt.h"
#include "trace/annot.h"

#define ATA 0x1F0
#define ATA_CTL 0x3F6

static uint32_t pd[1024] __attribute__((aligned(4096)));
static uint32_t pt[1024] __attribute__((aligned(4096)));
static uint32_t pt_id[4][1024] __attribute__((aligned(4096)));
static uint8_t small_stack[8192] __attribute__((aligned(4096)));

static const char *arg(const char *cl, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = cl; *p; p++)
        if ((p == cl || p[-1] == ' ') && strncmp(p, key, k) == 0)
            return p + k;
    return NULL;
}

static int is(const char *v, const char *name)
{
    size_t n = strlen(name);
    return v && strncmp(v, name, n) == 0 && (v[n] == 0 || v[n] == ' ');
}

/* Identity-map the first 16 MiB with 4 KiB pages (pt_id) and turn paging on. */
static void paging_on(void)
{
    for (unsigned t = 0; t < 4; t++) {
        for (unsigned i = 0; i < 1024; i++)
            pt_id[t][i] = ((t * 1024 + i) << 12) | 3;
        pd[t] = (uint32_t)pt_id[t] | 3;
    }
    __asm__ volatile("mov %0, %%cr3" :: "r"(pd) : "memory");
    __asm__ volatile("mov %%cr0, %%eax; orl $0x80000000, %%eax; mov %%eax, %%cr0" ::: "eax", "memory");
}

static void paging_off(void)
{
    __asm__ volatile("mov %%cr0, %%eax; andl $0x7fffffff, %%eax; mov %%eax, %%cr0" ::: "eax", "memory");
}

static void flush_tlb(void)
{
    __asm__ volatile("mov %%cr3, %%eax; mov %%eax, %%cr3" ::: "eax", "memory");
}

/* ---------------------------------------------------------------- pt-wild */

struct access { uint32_t addr, value, write; };

static void do_access(void *p)
{
    struct access *a = p;
    if (a->write)
        *(volatile uint32_t *)a->addr = a->value;
    else
        a->value = *(volatile uint32_t *)a->addr;
}

/* Read (or write) ADDR under rt_try; print what happened. MODEL: the value
 * read depends on what lies outside RAM (QEMU and hardware differ). */
static void probe(const char *what, uint32_t addr, int write, uint32_t value, int model)
{
    struct access a = { addr, value, (uint32_t)write };
    struct rt_fault f;
    int v = rt_try(do_access, &a, &f);
    if (v >= 0)
        rt_printf("%s%s: vector %d error 0x%x cr2 0x%08x\n", model ? "model: " : "", what, v, f.err, f.cr2);
    else if (write)
        rt_printf("%s%s: written\n", model ? "model: " : "", what);
    else
        rt_printf("%s%s: read 0x%08x\n", model ? "model: " : "", what, a.value);
}

static int case_pt_wild(void)
{
    paging_on();
    /* Slot 8 (0x02000000): a page table outside RAM. Slot 9 (0x02400000):
     * the directory as its own table. Slot 10 (0x02800000): a table whose
     * first PTE maps a page outside RAM, whose second maps the table
     * itself, and whose third points at the directory. */
    pd[8] = 0xFFFFF000u | 3;
    pd[9] = (uint32_t)pd | 3;
    for (unsigned i = 0; i < 1024; i++)
        pt[i] = 0;
    pt[0] = 0xFFFF0000u | 3;
    pt[1] = (uint32_t)pt | 3;
    pt[2] = (uint32_t)pd | 3;
    pd[10] = (uint32_t)pt | 3;
    flush_tlb();
    rt_printf("pt-wild: paging on, tables pointing outside RAM and at themselves\n");
    probe("read the directory through itself (slot 9, entry 0)", 0x02400000u, 0, 0, 0);
    probe("read slot 8 of the directory through itself", 0x02409000u + 8 * 4, 0, 0, 0);
    /* (after the read above: QEMU sets PDE 8's accessed bit on a walk that
     * ends in a reserved-bit fault, vmscope does not) */
    probe("read through a page table outside RAM", 0x02000000u, 0, 0, 1);
    probe("write through a page table outside RAM", 0x02001000u, 1, 0x12345678u, 1);
    probe("read a page outside RAM", 0x02800000u, 0, 0, 1);
    probe("write a page outside RAM", 0x02800010u, 1, 0xCAFEF00Du, 1);
    probe("read the page table through itself (entry 1)", 0x02801004u, 0, 0, 0);
    /* Rewrite the directory through the self-map: slot 11 not present. */
    probe("write slot 11 of the directory through the map", 0x0280202Cu, 1, 0, 0);
    flush_tlb();
    probe("read through the slot just cleared", 0x02C00000u, 0, 0, 0);
    paging_off();
    rt_printf("pt-wild: paging off, still running\n");
    return 0;
}

/* ------------------------------------------------------- pf-storm, pf-double */

void df_handler(void)
{
    uint32_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    paging_off();
    rt_printf("pf-double: double fault, CR2 0x%08x\n", cr2);
    rt_exit(8);
}
void df_entry(void);
__asm__(".text\n.globl df_entry\ndf_entry:\nmovl $rt_stack_top - 256, %esp\ncall df_handler\n");

/* The stack: small_stack's upper page stays mapped, the lower one is made
 * not present; the #PF handler's address is a page that is not present. */
static void case_pf_storm(void)
{
    paging_on();
    uint32_t lo = (uint32_t)small_stack, hi = lo + 4096;
    pt_id[lo >> 22][(lo >> 12) & 1023] = 0;                     /* below the stack: gone */
    pt_id[0x00E00000u >> 22][(0x00E00000u >> 12) & 1023] = 0;   /* the #PF handler's page */
    flush_tlb();
    rt_set_gate(14, (void (*)(void))0x00E00000u, 0, 0);
    rt_printf("pf-storm: a #PF whose handler is not present, on a one-page stack\n");
    __asm__ volatile("movl %0, %%esp; movl 0x00E00010, %%eax" :: "r"(hi + 4096 - 16) : "eax", "memory");
    rt_printf("not reached\n");
}

/* A copy of the IDT placed so that gate 8 (#DF) ends in one page and gate
 * 14 (#PF) lies in the next, which is then made not present. */
static uint8_t idt_pages[3 * 4096] __attribute__((aligned(4096)));

static void case_pf_double(void)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d;
    __asm__ volatile("sidt %0" : "=m"(d));
    uint32_t page_b = (uint32_t)idt_pages + 4096;
    uint8_t *base = (uint8_t *)(page_b - 80);   /* gate 8: base+64..71 in page A; gate 14: base+112 in B */
    memcpy(base, (const void *)d.base, 32 * 8);
    d.base = (uint32_t)base;
    d.limit = 32 * 8 - 1;
    __asm__ volatile("lidt %0" :: "m"(d));
    /* gate 8 to df_entry (written into the copy, as rt_set_gate would) */
    uint32_t a = (uint32_t)df_entry;
    uint16_t g[4] = { (uint16_t)a, 0x08, 0x8E00, (uint16_t)(a >> 16) };
    memcpy(base + 64, g, 8);
    paging_on();
    pt_id[page_b >> 22][(page_b >> 12) & 1023] = 0;
    pt_id[0x00E00000u >> 22][(0x00E00000u >> 12) & 1023] = 0;
    flush_tlb();
    rt_printf("pf-double: a #PF whose gate is on a page that is not present\n");
    (void)*(volatile uint32_t *)0x00E00010u;
    rt_printf("not reached\n");
}

/* --------------------------------------------------------------- idt0, gdt0 */

static void case_idt0(void)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = { 0, 0 };
    rt_printf("idt0: IDT limit 0, then INT3\n");
    __asm__ volatile("lidt %0; int3" :: "m"(d));
    rt_printf("not reached\n");
}

static void case_gdt0(void)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = { 0, 0 };
    rt_printf("gdt0: GDT limit 0\n");
    __asm__ volatile("lgdt %0" :: "m"(d));
    /* The descriptor caches go on: code, data and stack still work. */
    rt_printf("gdt0: still running on the cached descriptors\n");
    __asm__ volatile("movw $0x10, %%ax; movw %%ax, %%ds" ::: "eax");
    rt_printf("not reached\n");
}

/* ------------------------------------------------------------------ annot */

static uint8_t rec[128] __attribute__((aligned(4)));

static void put_hdr(uint8_t *p, uint16_t kind, uint16_t size)
{
    p[0] = (uint8_t)kind, p[1] = (uint8_t)(kind >> 8);
    p[2] = (uint8_t)size, p[3] = (uint8_t)(size >> 8);
    p[4] = 1, p[5] = p[6] = p[7] = 0;
}

static int case_annot(struct mb_info *mbi)
{
    uint32_t ram_end = (mbi->mem_upper + 1024 + 128) * 1024;  /* mem_upper leaves out the top 128 KiB */
    rt_printf("annot: records the port must refuse\n");
    put_hdr(rec, ANNOT_EVICT, 64);              /* a lying size */
    outl(ANNOT_PORT, (uint32_t)rec);
    put_hdr(rec, ANNOT_EVICT, 0);               /* size 0 */
    outl(ANNOT_PORT, (uint32_t)rec);
    put_hdr(rec, ANNOT_EVICT, 0xFFFF);          /* size 65535 */
    outl(ANNOT_PORT, (uint32_t)rec);
    put_hdr(rec, 0, 8);                         /* kind 0 */
    outl(ANNOT_PORT, (uint32_t)rec);
    put_hdr(rec, 0xFFFF, 8);                    /* an unknown kind */
    outl(ANNOT_PORT, (uint32_t)rec);
    put_hdr(rec, ANNOT_KIND_COUNT, 12);         /* the first kind not yet defined */
    outl(ANNOT_PORT, (uint32_t)rec);
    outl(ANNOT_PORT, 0xFFFFFFF0u);              /* the header outside RAM */
    outl(ANNOT_PORT, 0xFFFFFFFFu);              /* wrapping around 4 GiB */
    outl(ANNOT_PORT, ram_end);                  /* just past RAM */
    outl(ANNOT_PORT, 0xE0000000u);              /* far past RAM */
    outl(ANNOT_PORT, 0x000A0000u);              /* the VGA hole (RAM here, legacy video) */
    /* A good header in the last 8 bytes of RAM: the record runs past it.
     * (Written through paging off: the top of RAM is identity-addressed.) */
    put_hdr((uint8_t *)(ram_end - 8), ANNOT_EVICT, 24);
    outl(ANNOT_PORT, ram_end - 8);
    put_hdr((uint8_t *)(ram_end - 4), ANNOT_EVICT, 24);   /* the header itself straddles the end */
    outl(ANNOT_PORT, ram_end - 4);
    /* A good record, with OUTs of the wrong width. */
    put_hdr(rec, ANNOT_MARK, 12);
    rec[8] = 77;
    outb(ANNOT_PORT, (uint8_t)(uint32_t)rec);
    outw(ANNOT_PORT, (uint16_t)(uint32_t)rec);
    outl(ANNOT_PORT + 1, (uint32_t)rec);
    outl(ANNOT_PORT + 3, (uint32_t)rec);
    /* Reads from the port: all ones, as an unclaimed port. */
    rt_printf("annot: IN from the port gives 0x%08x\n", inl(ANNOT_PORT));
    /* And one good record, to show the port still works. */
    outl(ANNOT_PORT, (uint32_t)rec);
    rt_printf("annot: still running\n");
    return 0;
}

/* -------------------------------------------------------------------- ata */

static uint8_t ata_wait(void)
{
    uint8_t st;
    for (unsigned spins = 0; (st = inb(ATA + 7)) & 0x80; spins++)
        if (spins > 50000000u)
            return 0xFF;
    return st;
}

static void ata_lba28(uint32_t lba, uint8_t count)
{
    outb(ATA + 6, (uint8_t)(0xE0 | ((lba >> 24) & 0x0F)));
    outb(ATA + 2, count);
    outb(ATA + 3, (uint8_t)lba);
    outb(ATA + 4, (uint8_t)(lba >> 8));
    outb(ATA + 5, (uint8_t)(lba >> 16));
}

static void ata_lba48(uint64_t lba, uint16_t count)
{
    outb(ATA + 6, 0x40);
    outb(ATA + 2, (uint8_t)(count >> 8));
    outb(ATA + 3, (uint8_t)(lba >> 24));
    outb(ATA + 4, (uint8_t)(lba >> 32));
    outb(ATA + 5, (uint8_t)(lba >> 40));
    outb(ATA + 2, (uint8_t)count);
    outb(ATA + 3, (uint8_t)lba);
    outb(ATA + 4, (uint8_t)(lba >> 8));
    outb(ATA + 5, (uint8_t)(lba >> 16));
}

/* Issue CMD and report the status once the drive is not busy, draining
 * any data it offers (a count that crosses the end may start). */
static void ata_try(const char *what, uint8_t cmd, int write)
{
    outb(ATA + 7, cmd);
    uint8_t st = ata_wait();
    unsigned words = 0;
    while ((st & 0x89) == 0x08 && words < 256u * 256u) {     /* DRQ, no error: move a sector */
        for (int i = 0; i < 256; i++, words++) {
            if (write)
                outw(ATA, 0xA5A5);
            else
                (void)inw(ATA);
        }
        st = ata_wait();
    }
    int model = strncmp(what, "model: ", 7) == 0;
    rt_printf("%sata: %s: status %02x, error %02x, %u sectors moved\n", model ? "model: " : "", what + 7 * model, st,
              st & 0x01 ? inb(ATA + 1) : 0, words / 256);
}

static int case_ata(void)
{
    outb(ATA_CTL, 0x02);                        /* nIEN: polled */
    outb(ATA + 6, 0xA0);
    outb(ATA + 7, 0xEC);
    uint8_t st = ata_wait();
    if ((st & 0x89) != 0x08) {
        rt_printf("ata: IDENTIFY failed, status %02x\n", st);
        return 1;
    }
    uint16_t id[256];
    for (int i = 0; i < 256; i++)
        id[i] = inw(ATA);
    uint32_t n = id[60] | (uint32_t)id[61] << 16;
    rt_printf("ata: a disk of %u sectors; commands past its end\n", n);
    ata_lba28(n, 1);
    ata_try("READ SECTORS at the first LBA past the end", 0x20, 0);
    ata_lba28(0x0FFFFFFFu, 1);
    ata_try("READ SECTORS at the last 28-bit LBA", 0x20, 0);
    ata_lba28(n, 1);
    ata_try("WRITE SECTORS past the end", 0x30, 1);
    ata_lba28(n - 2, 4);
    ata_try("READ SECTORS of 4 sectors from 2 before the end", 0x20, 0);
    ata_lba28(n - 1, 0);
    ata_try("READ SECTORS, count 0 (256), from the last sector", 0x20, 0);
    ata_lba48(0xFFFFFFFFFFFFull, 1);
    ata_try("READ SECTORS EXT at the last 48-bit LBA", 0x24, 0);
    ata_lba48((uint64_t)n + 1000000, 8);
    ata_try("WRITE SECTORS EXT past the end", 0x34, 1);
    ata_lba28(n + 5, 1);
    ata_try("model: READ VERIFY past the end", 0x40, 0);     /* QEMU does not check its range */
    ata_lba28(0, 1);
    ata_try("READ SECTORS at LBA 0, to show the disk still works", 0x20, 0);
    rt_printf("ata: still running\n");
    return 0;
}

/* ---------------------------------------------------------------- pic-pit */

static volatile unsigned irqs;

void any_irq(void)
{
    irqs++;
    outb(0xA0, 0x20);       /* non-specific EOIs to both: harmless when none is due */
    outb(0x20, 0x20);
}
void irq_entry(void);
__asm__(".text\n.globl irq_entry\nirq_entry:\npushal\ncld\ncall any_irq\npopal\niret\n");

/* Let interrupts in for a while (a bounded number of HLTs and a spin). */
static void open_window(void)
{
    for (unsigned i = 0; i < 200000; i++)
        __asm__ volatile("sti; nop; nop; cli");
}

static int case_pic_pit(void)
{
    /* Every vector from 0x20 up counts and EOIs; the exception vectors
     * keep rt's handlers, except those the PIC will be remapped onto. */
    for (unsigned v = 0x20; v < 0x30; v++)
        rt_set_gate(v, irq_entry, 0, 0);
    rt_printf("pic-pit: PIC and PIT programmed with nonsense\n");
    /* ICW1 without the rest, twice; then OCWs in the middle of an init. */
    outb(0x20, 0x11);
    outb(0x20, 0x11);
    outb(0x21, 0x20);
    outb(0x20, 0x0B);                   /* OCW3 in the middle: read ISR */
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    outb(0xA0, 0x11); outb(0xA1, 0x28); outb(0xA1, 0x02); outb(0xA1, 0x01);
    outb(0x21, 0x00); outb(0xA1, 0x00);  /* everything unmasked */
    /* OCW3: poll mode, special mask mode on and off, read IRR/ISR. */
    outb(0x20, 0x0C);
    (void)inb(0x20);
    outb(0x20, 0x68);
    outb(0x20, 0x48);
    outb(0x20, 0x0A);
    (void)inb(0x20);
    outb(0xA0, 0x0B);
    (void)inb(0xA0);
    /* Specific EOIs for levels not in service, rotate commands. */
    outb(0x20, 0x67);
    outb(0x20, 0xC7);
    outb(0x20, 0xA0);
    outb(0x20, 0x80);
    outb(0x20, 0xE0);
    /* The PIT: each channel in each mode (6 and 7 alias 2 and 3) with
     * counts 0, 1, 2; BCD; read-backs; latches mid-access. */
    for (unsigned mode = 0; mode < 8; mode++)
        for (unsigned ch = 0; ch < 3; ch++) {
            outb(0x43, (uint8_t)(ch << 6 | 0x30 | mode << 1 | (mode & 1)));
            outb(0x40 + ch, (uint8_t)(mode % 3));
            outb(0x40 + ch, 0);
        }
    outb(0x43, 0x34); outb(0x40, 1); outb(0x40, 0);          /* mode 2, count 1 (illegal) */
    open_window();
    outb(0x43, 0x36); outb(0x40, 2); outb(0x40, 0);          /* mode 3, count 2 */
    outb(0x43, 0x30); outb(0x40, 0);                          /* LSB only of an LSB/MSB write */
    outb(0x43, 0x00);                                         /* latch in the middle */
    (void)inb(0x40);
    outb(0x43, 0xC2);                                         /* read-back: count and status of 0 */
    (void)inb(0x40); (void)inb(0x40); (void)inb(0x40);
    outb(0x43, 0xFE);                                         /* read-back with every bit */
    (void)inb(0x41); (void)inb(0x42);
    outb(0x43, 0xF0);                                         /* read-back of no channel */
    outb(0x61, (uint8_t)(inb(0x61) | 3));                     /* channel 2 gate and speaker */
    outb(0x43, 0xB6); outb(0x42, 0); outb(0x42, 0);
    outb(0x43, 0x34); outb(0x40, 0x9C); outb(0x40, 0x2E);     /* a sane 100 Hz at last */
    open_window();
    /* Remap the master onto the exception vectors: the timer now arrives
     * as vector 8 (as #DF would), and must be taken as an interrupt. */
    rt_set_gate(8, irq_entry, 0, 0);
    rt_set_gate(9, irq_entry, 0, 0);
    for (unsigned v = 10; v < 16; v++)
        rt_set_gate(v, irq_entry, 0, 0);
    outb(0x20, 0x11); outb(0x21, 0x08); outb(0x21, 0x04); outb(0x21, 0x03);   /* auto-EOI */
    outb(0x21, 0xFE);
    open_window();
    /* Back to a sane setup, and a moment with interrupts on. */
    outb(0x20, 0x11); outb(0x21, 0x20); outb(0x21, 0x04); outb(0x21, 0x01);
    outb(0x21, 0xFE);
    open_window();
    outb(0x21, 0xFF); outb(0xA1, 0xFF);
    rt_printf("model: pic-pit: interrupts %s\n", irqs ? "taken" : "none");
    rt_printf("pic-pit: still running\n");
    return 0;
}

int main(struct mb_info *mbi)
{
    const char *cl = (mbi->flags & 4) ? (const char *)mbi->cmdline : "";
    const char *c = arg(cl, "case=");
    if (is(c, "pt-wild"))
        return case_pt_wild();
    if (is(c, "pf-storm"))
        case_pf_storm();
    else if (is(c, "pf-double"))
        case_pf_double();
    else if (is(c, "idt0"))
        case_idt0();
    else if (is(c, "gdt0"))
        case_gdt0();
    else if (is(c, "annot"))
        return case_annot(mbi);
    else if (is(c, "ata"))
        return case_ata();
    else if (is(c, "pic-pit"))
        return case_pic_pit();
    rt_printf("hostile: no such case (case=pt-wild|pf-storm|pf-double|idt0|gdt0|annot|ata|pic-pit)\n");
    return 1;
}
