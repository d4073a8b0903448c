/* The options' test guest (tests/emu/options.py): each line shows the
 * effect of one `vmscope run` option, so a test fails if the option does
 * nothing.
 *
 *   tsc: N cycles in 10 PIT ticks     the TSC over 100 ms of PIT time, in
 *                                     millions (--cpu-mhz: 100 MHz gives 10)
 *   rtc: YYYY-MM-DD HH:MM:SS          the CMOS clock (--rtc-base)
 *   debugcon                          "probe: debugcon line" on port 0xE9
 *                                     (--debugcon FILE)
 *   serial                            every line on COM1 (--serial FILE)
 *   loop                              a counted loop of known length, then
 *                                     "loop done" (--itrace, --itrace-limit,
 *                                     --inspect-at ... --then stop)
 * Exit status 0. */
#include "guest/rt/rt.h"

static volatile unsigned ticks;

void timer_irq(void)
{
    ticks++;
    outb(0x20, 0x20);
}
void timer_entry(void);
__asm__(".text\n.globl timer_entry\ntimer_entry:\npushal\ncld\ncall timer_irq\npopal\niret\n");

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint8_t cmos(uint8_t r)
{
    outb(0x70, r);
    return inb(0x71);
}

/* The loop --itrace follows: 100 rounds of three instructions. */
unsigned probe_loop(void);
__asm__(".text\n.globl probe_loop\nprobe_loop:\n"
        "  movl $100, %ecx\n"
        "  xorl %eax, %eax\n"
        "1: addl %ecx, %eax\n"
        "  decl %ecx\n"
        "  jnz 1b\n"
        "  ret\n");

int main(struct mb_info *mbi)
{
    (void)mbi;
    rt_printf("probe: start\n");
    unsigned sum = probe_loop();
    rt_printf("loop done: %u\n", sum);
    for (const char *p = "probe: debugcon line\n"; *p; p++)
        outb(0xE9, (uint8_t)*p);
    while (cmos(0x0A) & 0x80)
        ;
    rt_printf("rtc: %02x%02x-%02x-%02x %02x:%02x:%02x\n", cmos(0x32), cmos(9), cmos(8), cmos(7), cmos(4),
              cmos(2), cmos(0));
    /* The PIT at 100 Hz on IRQ 0; count 10 ticks. */
    outb(0x20, 0x11); outb(0x21, 0x20); outb(0x21, 0x04); outb(0x21, 0x01);
    outb(0x21, 0xFE);
    rt_set_gate(0x20, timer_entry, 0, 0);
    outb(0x43, 0x34);
    outb(0x40, 11932 & 0xFF);
    outb(0x40, 11932 >> 8);
    __asm__ volatile("sti");
    unsigned t0 = ticks;
    while (ticks == t0)
        __asm__ volatile("hlt");
    uint64_t c0 = rdtsc();
    t0 = ticks;
    while (ticks - t0 < 10)
        __asm__ volatile("hlt");
    uint64_t c1 = rdtsc();
    __asm__ volatile("cli");
    rt_printf("tsc: %u million cycles in 10 PIT ticks\n", (unsigned)((c1 - c0 + 500000) / 1000000));
    rt_printf("probe: end\n");
    return 0;
}
