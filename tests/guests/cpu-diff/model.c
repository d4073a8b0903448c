/* cpu-diff: model: lines for what belongs to the modelled CPU rather than
 * to the ISA (DESIGN.md "The CPU vmscope models"): CPUID, RDTSC, the MSRs.
 * Under QEMU and Bochs these lines print those emulators' values and are
 * not compared; under vmscope they must equal cpu-diff.model. */
#include "cpu-diff.h"

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint32_t msr_index;
static uint64_t msr_value;

static void do_rdmsr(void *unused)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr_index));
    msr_value = (uint64_t)hi << 32 | lo;
}

static void do_wrmsr(void *unused)
{
    __asm__ volatile("wrmsr" :: "c"(msr_index), "a"((uint32_t)msr_value), "d"((uint32_t)(msr_value >> 32)));
}

static volatile uint32_t sink;

static void spin(unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        sink += i;
}

void cd_model_info(void)
{
    uint32_t r[4];
    struct rt_fault f;
    cpuid(0, r);
    char vendor[13];
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    rt_printf("model: cpuid.0 vendor=%s\n", vendor);
    cpuid(1, r);
    rt_printf("model: cpuid.1 family=%u edx=%08x ecx=%08x\n", (r[0] >> 8) & 0xF, r[3], r[2]);

    uint64_t t1 = rdtsc();
    spin(1000);
    uint64_t t2 = rdtsc();
    rt_printf("model: rdtsc advances: %s\n", t2 > t1 ? "yes" : "no");
    msr_index = 0x10;
    int v = cd_try(do_rdmsr, 0, &f);
    uint64_t t3 = rdtsc();
    rt_printf("model: rdmsr 0x10 between two rdtsc: %s\n",
              v < 0 && msr_value >= t2 && msr_value <= t3 ? "yes" : "no");
    msr_value = 0x0000001200000000ull;
    v = cd_try(do_wrmsr, 0, &f);
    uint64_t t4 = rdtsc();
    rt_printf("model: wrmsr 0x10 sets the tsc: %s\n",
              v < 0 && t4 >= msr_value && t4 - msr_value < 0x100000000ull ? "yes" : "no");

    static const uint32_t msrs[] = { 0x0, 0x1, 0x11, 0x17, 0x1B, 0x2A, 0x8B, 0xC1, 0xFE, 0x174,
                                     0x175, 0x176, 0x179, 0x186, 0x1D9, 0x200, 0x277, 0x2FF,
                                     0xC0000080u, 0x12345678 };
    for (unsigned i = 0; i < sizeof msrs / sizeof msrs[0]; i++) {
        msr_index = msrs[i];
        v = cd_try(do_rdmsr, 0, &f);
        if (v >= 0)
            rt_printf("model: rdmsr 0x%x: fault %d err=%x\n", msrs[i], v, f.err);
        else
            rt_printf("model: rdmsr 0x%x: reads\n", msrs[i]);
    }
    msr_index = 0x12345678;
    msr_value = 0;
    v = cd_try(do_wrmsr, 0, &f);
    rt_printf("model: wrmsr 0x12345678: %s %d err=%x\n", v >= 0 ? "fault" : "writes", v, v >= 0 ? f.err : 0);
}
