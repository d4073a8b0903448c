/* Capstone differential: our decoder against Capstone (CS_MODE_32, detail
 * on) over N random byte strings (argument 1, default 100000; argument 2 is
 * the seed).
 *
 *  - Both accept: the lengths must agree.
 *  - Capstone accepts, we raise #UD/#NM: the instruction must belong to a
 *    group or mnemonic the modelled CPU lacks (x87, MMX, SSE, 3DNow!, AVX,
 *    SYSENTER, FXSAVE, later-CPU instructions) or be a documented #UD
 *    (UD0/UD1/UD2, LOCK misuse, nonexistent control/segment registers).
 *  - We accept, Capstone rejects: only the encodings listed in
 *    capstone_quirk() (undocumented P6 behaviour that Capstone lacks).
 *
 * Prints every unexplained disagreement (up to a limit) and a summary per
 * class; exits 1 if any disagreement is unexplained. */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"

static uint64_t rng_state;
static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static const char *const lacking_mnemonics[] = {
    "sysenter", "sysexit", "syscall", "sysret", "rdpmc", "fxsave", "fxrstor", "ud0", "ud1", "ud2",
    "ud2b", "popcnt", "lzcnt", "tzcnt", "movbe", "crc32", "rdrand", "rdseed", "xgetbv", "xsetbv",
    "xsave", "xrstor", "xsaveopt", "xsavec", "xsaves", "xrstors", "monitor", "mwait", "rdtscp",
    "swapgs", "lfence", "mfence", "sfence", "clflush", "clflushopt", "clwb", "prefetch",
    "prefetchw", "prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2", "femms", "getsec",
    "vmcall", "vmlaunch", "vmresume", "vmxoff", "vmread", "vmwrite", "vmptrld", "vmptrst",
    "vmclear", "vmxon", "invept", "invvpid", "clac", "stac", "rdfsbase", "rdgsbase", "wrfsbase",
    "wrgsbase", "rsm", "emms", "movnti", "ldmxcsr", "stmxcsr", "invpcid", "xabort", "xbegin",
    "xend", "xtest", "rdpid", "vmfunc", "encls", "enclu", "pconfig", "wbnoinvd", "ptwrite",
    "clzero", "monitorx", "mwaitx", "rdpkru", "wrpkru", "skinit", "vmrun", "vmload", "vmsave",
    "stgi", "clgi", "invlpga", "vmmcall", "xstore", "xcryptecb", "montmul", "xsha1", "xsha256",
    "jmpe", "fnstenv", "fnsave", "pcommit", "xstorerng", NULL,
};

static bool model_lacks(const cs_insn *ci, const uint8_t *b)
{
    const cs_x86 *x = &ci->detail->x86;
    for (unsigned g = 0; g < ci->detail->groups_count; g++) {
        switch (ci->detail->groups[g]) {
        case X86_GRP_FPU: case X86_GRP_MMX: case X86_GRP_3DNOW: case X86_GRP_SSE1:
        case X86_GRP_SSE2: case X86_GRP_SSE3: case X86_GRP_SSE41: case X86_GRP_SSE42:
        case X86_GRP_SSE4A: case X86_GRP_SSSE3: case X86_GRP_AVX: case X86_GRP_AVX2:
        case X86_GRP_AVX512: case X86_GRP_AES: case X86_GRP_SHA: case X86_GRP_PCLMUL:
        case X86_GRP_XOP: case X86_GRP_FMA: case X86_GRP_FMA4: case X86_GRP_F16C:
        case X86_GRP_VM: case X86_GRP_SGX: case X86_GRP_SMAP: case X86_GRP_FSGSBASE:
        case X86_GRP_RTM: case X86_GRP_HLE: case X86_GRP_BMI: case X86_GRP_BMI2:
        case X86_GRP_ADX: case X86_GRP_TBM: case X86_GRP_CDI: case X86_GRP_ERI:
        case X86_GRP_DQI: case X86_GRP_BWI: case X86_GRP_PFI: case X86_GRP_VLX:
            return true;
        default:
            break;
        }
    }
    (void)x;
    const char *mn = ci->mnemonic;
    /* Capstone prints prefixes into the mnemonic ("lock add", "rep stosd") */
    const char *sp = strrchr(mn, ' ');
    if (sp)
        mn = sp + 1;
    for (unsigned k = 0; lacking_mnemonics[k]; k++)
        if (strcmp(mn, lacking_mnemonics[k]) == 0)
            return true;
    unsigned k = 0;
    while (k < 14 && (b[k] == 0x26 || b[k] == 0x2E || b[k] == 0x36 || b[k] == 0x3E || b[k] == 0x64 ||
                      b[k] == 0x65 || b[k] == 0x66 || b[k] == 0x67 || b[k] == 0xF0 || b[k] == 0xF2 ||
                      b[k] == 0xF3))
        k++;
    if (b[k] >= 0xD8 && b[k] <= 0xDF)     /* x87 ESC that Capstone leaves ungrouped */
        return true;
    if (mn[0] == 'v' && strcmp(mn, "verr") != 0 && strcmp(mn, "verw") != 0)
        return true;                        /* VEX/VMX forms Capstone leaves ungrouped */
    if (strncmp(mn, "xcrypt", 6) == 0)    /* VIA PadLock */
        return true;
    return false;
}

/* Documented #UD that Capstone still disassembles. */
static const char *documented_ud(const uint8_t *b, unsigned n, const cs_insn *ci)
{
    /* LOCK on a register destination or an instruction that cannot take it */
    bool lock = false;
    unsigned k = 0;
    for (; k < n && k < 14; k++) {
        uint8_t p = b[k];
        if (p == 0xF0)
            lock = true;
        else if (!(p == 0x26 || p == 0x2E || p == 0x36 || p == 0x3E || p == 0x64 || p == 0x65 ||
                   p == 0x66 || p == 0x67 || p == 0xF2 || p == 0xF3))
            break;
    }
    if (lock) {
        uint8_t tmp[16];
        unsigned j = 0;
        for (unsigned q = 0; q < n && j < 16; q++)
            if (q >= k || b[q] != 0xF0)
                tmp[j++] = b[q];
        if (cpu_decode_length(tmp, j, true) > 0)
            return "LOCK misuse";
    }
    const char *mn = ci->mnemonic;
    if (strstr(ci->op_str, "cr1") || strstr(ci->op_str, "cr5") || strstr(ci->op_str, "cr6") ||
        strstr(ci->op_str, "cr7") || strstr(ci->op_str, "cr8") || strstr(ci->op_str, "cr9"))
        return "nonexistent control register";
    const char *tr = strstr(ci->op_str, "tr");
    if (tr && tr[2] >= '0' && tr[2] <= '7' && (tr == ci->op_str || tr[-1] == ' ') && strcmp(mn, "mov") == 0)
        return "MOV TRn: 386/486 only";
    if (strstr(ci->op_str, "cs,") == ci->op_str && strcmp(mn, "mov") == 0)
        return "MOV CS, r/m is #UD";
    return NULL;
}

/* We decode it, Capstone 4 does not: undocumented P6 encodings. */
static const char *capstone_quirk(const uint8_t *b, unsigned n)
{
    unsigned k = 0;
    while (k < n && (b[k] == 0x26 || b[k] == 0x2E || b[k] == 0x36 || b[k] == 0x3E || b[k] == 0x64 ||
                     b[k] == 0x65 || b[k] == 0x66 || b[k] == 0x67 || b[k] == 0xF0 || b[k] == 0xF2 ||
                     b[k] == 0xF3))
        k++;
    if (k + 1 >= n)
        return NULL;
    uint8_t op = b[k], modrm = b[k + 1];
    if ((op == 0xF6 || op == 0xF7) && ((modrm >> 3) & 7) == 1)
        return "F6/F7 /1: undocumented alias of TEST (Bochs, P6)";
    if (op == 0x0F && b[k + 1] >= 0x18 && b[k + 1] <= 0x1F)
        return "0F 18-1F: reserved NOP (hint NOP) on family 6";
    if (op == 0x82)
        return "82: alias of 80 in 32-bit code";
    if (op == 0xD6)
        return "D6: SALC (undocumented)";
    if (op == 0xF1)
        return "F1: INT1/ICEBP";
    if (op == 0x0F && (b[k + 1] == 0x20 || b[k + 1] == 0x22 || b[k + 1] == 0x21 || b[k + 1] == 0x23))
        return "MOV CR/DR: mod field ignored";
    return NULL;
}

struct tally { const char *what; unsigned long n; };

static void count(struct tally *t, unsigned *nt, const char *what)
{
    for (unsigned k = 0; k < *nt; k++)
        if (strcmp(t[k].what, what) == 0) {
            t[k].n++;
            return;
        }
    if (*nt < 64)
        t[(*nt)++] = (struct tally){ what, 1 };
}

static void hexdump(const uint8_t *b, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        printf("%02x ", b[k]);
}

int main(int argc, char **argv)
{
    unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
    rng_state = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x9E3779B97F4A7C15ull;
    if (rng_state == 0)
        rng_state = 1;
    csh h;
    if (cs_open(CS_ARCH_X86, CS_MODE_32, &h) != CS_ERR_OK) {
        fprintf(stderr, "capstone_diff: cs_open failed\n");
        return 2;
    }
    cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);

    unsigned long agree = 0, both_reject = 0, unexplained = 0;
    struct tally expl[64];
    unsigned nexpl = 0;
    for (unsigned long it = 0; it < iters; it++) {
        uint8_t b[16];
        uint64_t r1 = rng(), r2 = rng();
        memcpy(b, &r1, 8);
        memcpy(b + 8, &r2, 8);
        /* a quarter each: raw bytes, the 0F map, 66 + 0F map, 67 + raw */
        switch (it & 3) {
        case 1: b[0] = 0x0F; break;
        case 2: b[0] = 0x66; b[1] = 0x0F; break;
        case 3: b[0] = 0x67; break;
        }
        int ours = cpu_decode_length(b, 16, true);
        cs_insn *ci = NULL;
        size_t got = cs_disasm(h, b, 16, 0x1000, 1, &ci);
        const char *why = NULL;
        bool bad = false;
        if (got == 1) {
            if (ours > 0) {
                if ((unsigned)ours == ci->size)
                    agree++;
                else
                    bad = true;
            } else if (ours == -1) {
                if (model_lacks(ci, b))
                    why = "Capstone accepts, model lacks (x87/MMX/SSE/3DNow!/AVX/SEP/...)";
                else if ((why = documented_ud(b, 16, ci)) == NULL)
                    bad = true;
            } else {
                bad = true;     /* we say > 15 bytes */
            }
        } else {
            if (ours <= 0)
                both_reject++;
            else if ((why = capstone_quirk(b, 16)) == NULL)
                bad = true;
        }
        if (why)
            count(expl, &nexpl, why);
        if (bad) {
            if (++unexplained <= 60) {
                printf("DISAGREE ");
                hexdump(b, 16);
                printf("| ours=%d capstone=", ours);
                if (got == 1)
                    printf("%u \"%s %s\"\n", ci->size, ci->mnemonic, ci->op_str);
                else
                    printf("reject\n");
            }
        }
        if (got)
            cs_free(ci, got);
    }
    cs_close(&h);
    printf("capstone_diff: %lu strings: %lu same length, %lu both reject, %lu unexplained\n",
           iters, agree, both_reject, unexplained);
    for (unsigned k = 0; k < nexpl; k++)
        printf("  explained %8lu  %s\n", expl[k].n, expl[k].what);
    return unexplained ? 1 : 0;
}
