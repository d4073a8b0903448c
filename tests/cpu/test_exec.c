/* Instruction semantics: small programs placed in RAM and run to HLT, with
 * the resulting registers, flags and memory checked. Each program's bytes
 * carry their disassembly (GNU as, Intel syntax) in comments. */
#include "tests/cpu/harness.h"
#include "cpu/icache.h"

static const uint8_t code_alu[] = {
    0xb8, 0xff, 0xff, 0xff, 0xff,            /* mov    eax,0xffffffff */
    0x83, 0xc0, 0x01,                        /* add    eax,0x1 */
    0x0f, 0x92, 0xc3,                        /* setb   bl */
    0x0f, 0x94, 0xc7,                        /* sete   bh */
    0xb9, 0xff, 0xff, 0xff, 0x7f,            /* mov    ecx,0x7fffffff */
    0x83, 0xc1, 0x01,                        /* add    ecx,0x1 */
    0x0f, 0x90, 0xc2,                        /* seto   dl */
    0x0f, 0x98, 0xc6,                        /* sets   dh */
    0xf4,                                    /* hlt */
};
static const uint8_t code_adc[] = {
    0xf9,                                    /* stc */
    0xb8, 0xff, 0xff, 0xff, 0xff,            /* mov    eax,0xffffffff */
    0xba, 0x00, 0x00, 0x00, 0x00,            /* mov    edx,0x0 */
    0x83, 0xd0, 0x00,                        /* adc    eax,0x0 */
    0x83, 0xd2, 0x00,                        /* adc    edx,0x0 */
    0xf4,                                    /* hlt */
};
static const uint8_t code_incdec[] = {
    0xf9,                                    /* stc */
    0xb8, 0xff, 0xff, 0xff, 0xff,            /* mov    eax,0xffffffff */
    0x40,                                    /* inc    eax */
    0x0f, 0x92, 0xc3,                        /* setb   bl */
    0x0f, 0x94, 0xc7,                        /* sete   bh */
    0x48,                                    /* dec    eax */
    0x0f, 0x92, 0xc1,                        /* setb   cl */
    0x0f, 0x98, 0xc5,                        /* sets   ch */
    0xf4,                                    /* hlt */
};
static const uint8_t code_muldiv[] = {
    0xb8, 0x78, 0x56, 0x34, 0x12,            /* mov    eax,0x12345678 */
    0xb9, 0x00, 0x01, 0x00, 0x00,            /* mov    ecx,0x100 */
    0xf7, 0xe1,                              /* mul    ecx */
    0x89, 0xc6,                              /* mov    esi,eax */
    0x89, 0xd7,                              /* mov    edi,edx */
    0xb8, 0xe8, 0x03, 0x00, 0x00,            /* mov    eax,0x3e8 */
    0x99,                                    /* cdq */
    0xb9, 0xf9, 0xff, 0xff, 0xff,            /* mov    ecx,0xfffffff9 */
    0xf7, 0xf9,                              /* idiv   ecx */
    0xf4,                                    /* hlt */
};
static const uint8_t code_div0[] = {
    0x31, 0xc9,                              /* xor    ecx,ecx */
    0xb8, 0x05, 0x00, 0x00, 0x00,            /* mov    eax,0x5 */
    0x99,                                    /* cdq */
    0xf7, 0xf1,                              /* div    ecx */
    0xf4,                                    /* hlt */
};
static const uint8_t code_shifts[] = {
    0xb8, 0x01, 0x00, 0x00, 0x80,            /* mov    eax,0x80000001 */
    0xd1, 0xe0,                              /* shl    eax,1 */
    0x0f, 0x92, 0xc3,                        /* setb   bl */
    0x0f, 0x90, 0xc7,                        /* seto   bh */
    0xba, 0x81, 0x00, 0x00, 0x00,            /* mov    edx,0x81 */
    0xb1, 0x09,                              /* mov    cl,0x9 */
    0xd2, 0xd2,                              /* rcl    dl,cl */
    0x0f, 0x92, 0xc5,                        /* setb   ch */
    0xc1, 0xf8, 0x1f,                        /* sar    eax,0x1f */
    0xf4,                                    /* hlt */
};
static const uint8_t code_string[] = {
    0xfc,                                    /* cld */
    0xbe, 0x00, 0x80, 0x00, 0x00,            /* mov    esi,0x8000 */
    0xbf, 0x00, 0x90, 0x00, 0x00,            /* mov    edi,0x9000 */
    0xb9, 0x05, 0x00, 0x00, 0x00,            /* mov    ecx,0x5 */
    0xf3, 0xa4,                              /* rep movs BYTE PTR es:[edi],BYTE PTR ds:[esi] */
    0xbe, 0x00, 0x80, 0x00, 0x00,            /* mov    esi,0x8000 */
    0xbf, 0x00, 0x90, 0x00, 0x00,            /* mov    edi,0x9000 */
    0xb9, 0x05, 0x00, 0x00, 0x00,            /* mov    ecx,0x5 */
    0xf3, 0xa6,                              /* repz cmps BYTE PTR ds:[esi],BYTE PTR es:[edi] */
    0xf4,                                    /* hlt */
};
static const uint8_t code_stack[] = {
    0xb8, 0x01, 0x00, 0x00, 0x00,            /* mov    eax,0x1 */
    0xbb, 0x02, 0x00, 0x00, 0x00,            /* mov    ebx,0x2 */
    0x60,                                    /* pusha */
    0xb8, 0x00, 0x00, 0x00, 0x00,            /* mov    eax,0x0 */
    0xbb, 0x00, 0x00, 0x00, 0x00,            /* mov    ebx,0x0 */
    0x61,                                    /* popa */
    0x68, 0x34, 0x12, 0x00, 0x00,            /* push   0x1234 */
    0x59,                                    /* pop    ecx */
    0xc8, 0x10, 0x00, 0x02,                  /* enter  0x10,0x2 */
    0x89, 0xe6,                              /* mov    esi,esp */
    0xc9,                                    /* leave */
    0xf4,                                    /* hlt */
};
static const uint8_t code_bt[] = {
    0xb8, 0x00, 0x80, 0x00, 0x00,            /* mov    eax,0x8000 */
    0xb9, 0xff, 0xff, 0xff, 0xff,            /* mov    ecx,0xffffffff */
    0x0f, 0xab, 0x08,                        /* bts    DWORD PTR [eax],ecx */
    0x0f, 0x92, 0xc3,                        /* setb   bl */
    0x0f, 0xa3, 0x08,                        /* bt     DWORD PTR [eax],ecx */
    0x0f, 0x92, 0xc7,                        /* setb   bh */
    0xf4,                                    /* hlt */
};
static const uint8_t code_bcd[] = {
    0xb0, 0x79,                              /* mov    al,0x79 */
    0x04, 0x35,                              /* add    al,0x35 */
    0x27,                                    /* daa */
    0x88, 0xc3,                              /* mov    bl,al */
    0x66, 0xb8, 0x09, 0x00,                  /* mov    ax,0x9 */
    0x04, 0x09,                              /* add    al,0x9 */
    0x37,                                    /* aaa */
    0x66, 0x89, 0xc1,                        /* mov    cx,ax */
    0xf4,                                    /* hlt */
};
static const uint8_t code_a16[] = {
    0xbb, 0x10, 0x00, 0xff, 0xff,            /* mov    ebx,0xffff0010 */
    0xbe, 0x04, 0x00, 0x34, 0x12,            /* mov    esi,0x12340004 */
    0xc7, 0x05, 0x14, 0x00, 0x00, 0x00, 0xbe, 0xba, 0xfe, 0xca, /* mov    DWORD PTR ds:0x14,0xcafebabe */
    0x67, 0x8b, 0x00,                        /* mov    eax,DWORD PTR [bx+si] */
    0xf4,                                    /* hlt */
};
static const uint8_t code_smc[] = {
    0xc6, 0x05, 0x08, 0x10, 0x00, 0x00, 0x42, /* mov    BYTE PTR ds:0x1008,0x42 */
    0xb0, 0x11,                              /* mov    al,0x11 */
    0xf4,                                    /* hlt */
};
static const uint8_t code_cmov[] = {
    0xb8, 0x05, 0x00, 0x00, 0x00,            /* mov    eax,0x5 */
    0xbb, 0x07, 0x00, 0x00, 0x00,            /* mov    ebx,0x7 */
    0x39, 0xd8,                              /* cmp    eax,ebx */
    0x0f, 0x4c, 0xcb,                        /* cmovl  ecx,ebx */
    0x0f, 0x4f, 0xd3,                        /* cmovg  edx,ebx */
    0x0f, 0xbc, 0xf3,                        /* bsf    esi,ebx */
    0x0f, 0xbd, 0xfb,                        /* bsr    edi,ebx */
    0xf4,                                    /* hlt */
};
static const uint8_t code_cpuid[] = {
    0x31, 0xc0,                              /* xor    eax,eax */
    0x0f, 0xa2,                              /* cpuid */
    0x89, 0xde,                              /* mov    esi,ebx */
    0xb8, 0x01, 0x00, 0x00, 0x00,            /* mov    eax,0x1 */
    0x0f, 0xa2,                              /* cpuid */
    0x0f, 0x31,                              /* rdtsc */
    0xf4,                                    /* hlt */
};
static const uint8_t code_ud2[] = {
    0x0f, 0x0b,                              /* ud2 */
};
static const uint8_t code_gp_msr[] = {
    0xb9, 0x1b, 0x00, 0x00, 0x00,            /* mov    ecx,0x1b */
    0x0f, 0x32,                              /* rdmsr */
    0xf4,                                    /* hlt */
};
static const uint8_t code_xadd[] = {
    0xb8, 0x00, 0x80, 0x00, 0x00,            /* mov    eax,0x8000 */
    0xc7, 0x00, 0x0a, 0x00, 0x00, 0x00,      /* mov    DWORD PTR [eax],0xa */
    0xb9, 0x05, 0x00, 0x00, 0x00,            /* mov    ecx,0x5 */
    0xf0, 0x0f, 0xc1, 0x08,                  /* lock xadd DWORD PTR [eax],ecx */
    0xba, 0x0a, 0x00, 0x00, 0x00,            /* mov    edx,0xa */
    0xbb, 0x63, 0x00, 0x00, 0x00,            /* mov    ebx,0x63 */
    0xb8, 0x0f, 0x00, 0x00, 0x00,            /* mov    eax,0xf */
    0x0f, 0xb1, 0x1d, 0x00, 0x80, 0x00, 0x00, /* cmpxchg DWORD PTR ds:0x8000,ebx */
    0xf4,                                    /* hlt */
};

static void test_add_flags(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_alu, sizeof code_alu);
    assert_true(m->cpu.halted);
    assert_int_equal(m->cpu.r[R_EAX], 0);
    assert_int_equal(m->cpu.r[R_EBX] & 0xFFFF, 0x0101);    /* CF, ZF */
    assert_int_equal(m->cpu.r[R_ECX], 0x80000000u);
    assert_int_equal(m->cpu.r[R_EDX] & 0xFFFF, 0x0101);    /* OF, SF */
    machine_free(m);
}

static void test_adc_chain(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_adc, sizeof code_adc);
    assert_int_equal(m->cpu.r[R_EAX], 0);
    assert_int_equal(m->cpu.r[R_EDX], 1);
    machine_free(m);
}

static void test_incdec_keep_cf(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_incdec, sizeof code_incdec);
    assert_int_equal(m->cpu.r[R_EBX] & 0xFFFF, 0x0101);
    assert_int_equal(m->cpu.r[R_ECX] & 0xFFFF, 0x0101);
    assert_int_equal(cpu_get_eflags(m) & EFLAGS_CF, EFLAGS_CF);
    machine_free(m);
}

static void test_mul_idiv(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_muldiv, sizeof code_muldiv);
    assert_int_equal(m->cpu.r[R_ESI], 0x34567800u);
    assert_int_equal(m->cpu.r[R_EDI], 0x12);
    assert_int_equal(m->cpu.r[R_EAX], (uint32_t)-142);
    assert_int_equal(m->cpu.r[R_EDX], 6);
    machine_free(m);
}

static void test_div_by_zero_is_de(void **state)
{
    struct machine *m = th_new();
    th_put(m, TH_CODE, code_div0, sizeof code_div0);
    th_enter(m, TH_CODE);
    th_system(m);
    th_go(m);
    assert_int_equal(th_vector(m), 0);
    assert_int_equal(th_stack(m, 0), TH_CODE + 8);     /* faulting DIV */
    assert_int_equal(th_stack(m, 1), 0x08);
    assert_int_equal(m->cpu.r[R_EAX], 5);               /* unchanged */
    machine_free(m);
}

static void test_shift_rotate_flags(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_shifts, sizeof code_shifts);
    assert_int_equal(m->cpu.r[R_EBX] & 0xFFFF, 0x0101);    /* SHL: CF=1, OF=CF^MSB=1 */
    assert_int_equal(m->cpu.r[R_EDX] & 0xFF, 0x81);        /* RCL by 9 on a byte: no change */
    assert_int_equal(m->cpu.r[R_ECX] & 0xFFFF, 0x0109);
    assert_int_equal(m->cpu.r[R_EAX], 0);
    machine_free(m);
}

static void test_rep_movs_cmps(void **state)
{
    struct machine *m = th_new();
    th_put(m, 0x8000, "hello", 5);
    th_run(m, code_string, sizeof code_string);
    char buf[6] = { 0 };
    bus_copy_out(m, 0x9000, buf, 5);
    assert_string_equal(buf, "hello");
    assert_int_equal(m->cpu.r[R_ECX], 0);
    assert_int_equal(m->cpu.r[R_ESI], 0x8005);
    assert_int_equal(m->cpu.r[R_EDI], 0x9005);
    assert_int_equal(cpu_get_eflags(m) & EFLAGS_ZF, EFLAGS_ZF);
    machine_free(m);
}

static void test_stack_enter_leave(void **state)
{
    struct machine *m = th_new();
    th_put(m, TH_CODE, code_stack, sizeof code_stack);
    th_enter(m, TH_CODE);
    m->cpu.r[R_EBP] = 0x88000;
    th_go(m);
    assert_int_equal(m->cpu.r[R_EAX], 1);
    assert_int_equal(m->cpu.r[R_EBX], 2);
    assert_int_equal(m->cpu.r[R_ECX], 0x1234);
    assert_int_equal(m->cpu.r[R_ESI], TH_STACK - 0x1C);  /* EBP, 1 level, frame, 16 */
    assert_int_equal(m->cpu.r[R_EBP], 0x88000);
    assert_int_equal(m->cpu.r[R_ESP], TH_STACK);
    machine_free(m);
}

static void test_bt_bitstring_negative(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_bt, sizeof code_bt);
    assert_int_equal(m->cpu.r[R_EBX] & 0xFFFF, 0x0100);
    assert_int_equal(th_get32(m, 0x7FFC), 0x80000000u);  /* bit -1 of [0x8000] */
    assert_int_equal(th_get32(m, 0x8000), 0);
    machine_free(m);
}

static void test_bcd(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_bcd, sizeof code_bcd);
    assert_int_equal(m->cpu.r[R_EBX] & 0xFF, 0x14);
    assert_int_equal(m->cpu.r[R_ECX] & 0xFFFF, 0x0108);    /* AAA adjusts AX by 0x106 */
    machine_free(m);
}

static void test_addr16_ignores_high_halves(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_a16, sizeof code_a16);
    assert_int_equal(m->cpu.r[R_EAX], 0xCAFEBABEu);
    machine_free(m);
}

/* The run loop goes from one decoded block to a successor's without its
 * outer loop (cpu/exec.c); a slow bit that clears within the next block
 * (an interrupt shadow: MOV SS's, not STI's, so no interrupt comes) then
 * sends it round the outer loop in the middle of that block, which must
 * stop at that block's end and not at the end the previous block had.
 * F's first block is 64 instructions that end without a control transfer
 * (the block size), and it is decoded before the block that calls it, so
 * it lies lower in the cache's arena. Paging is on (one 4 MiB page at 0,
 * PD at 0x5000) so fetches have a fast-path entry. */
static const uint8_t code_chain_entry[] = {
    TH_PAGING_ON,                            /* 0x1000-0x101b */
    0xb9, 0xc8, 0x00, 0x00, 0x00,            /* mov    ecx,0xc8 */
    0x31, 0xdb,                              /* xor    ebx,ebx */
    0xe8, 0xd8, 0x00, 0x00, 0x00,            /* 0x1023: call   0x1100 */
    0x49,                                    /* dec    ecx */
    0x75, 0xf8,                              /* jne    0x1023 */
    0xf4,                                    /* hlt */
};

static void test_block_chain_then_slow_mid_block(void **state)
{
    struct machine *m = th_new();
    uint8_t f[4 + 70 + 1] = {
        0x8c, 0xd0,                         /* mov    eax,ss */
        0x8e, 0xd0,                         /* mov    ss,eax: a one-instruction shadow */
    };
    memset(f + 4, 0x43, 70);                /* inc ebx, 70 times */
    f[74] = 0xc3;                           /* ret */
    th_put(m, TH_CODE + 0x100, f, sizeof f);
    th_put32(m, 0x5000, 0x00000083u);       /* 4 MiB at 0: P RW PS */
    th_put(m, TH_CODE, code_chain_entry, sizeof code_chain_entry);
    th_enter(m, TH_CODE);
    th_system(m);                           /* a GDT for the SS load, an IDT */
    th_go(m);
    assert_true(m->cpu.halted);
    assert_int_equal(th_vector(m), 0xFFFFFFFFu);    /* no exception */
    assert_int_equal(m->cpu.eip, TH_CODE + 0x2C);   /* after the HLT */
    assert_int_equal(m->cpu.r[R_ECX], 0);
    assert_int_equal(m->cpu.r[R_EBX], 200 * 70);
    machine_free(m);
}

/* The store rewrites the immediate of the next instruction, which was
 * already decoded in the same block: the new byte must be executed. */
static void test_self_modifying_code(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_smc, sizeof code_smc);
    assert_int_equal(m->cpu.r[R_EAX] & 0xFF, 0x42);
    /* Run it again from the cache with the byte restored by the host (bus
     * write with the frame hook). */
    uint8_t orig = 0x11;
    th_put(m, TH_CODE + 8, &orig, 1);
    m->cpu.r[R_EAX] = 0;
    th_enter(m, TH_CODE + 7);
    th_go(m);
    assert_int_equal(m->cpu.r[R_EAX] & 0xFF, 0x11);
    machine_free(m);
}

/* Entering decoded code at an instruction inside a block runs a view of
 * that block's tail (no decoding); at a byte inside an instruction, a
 * block decoded from there; a write into the view's bytes drops it. */
static void test_enter_inside_a_block(void **state)
{
    struct machine *m = th_new();
    static const uint8_t code[] = {
        0x43, 0x43, 0x43,                   /* inc ebx (x3) */
        0xb8, 0x40, 0x90, 0x90, 0x90,       /* 0x1003: mov eax,0x90909040 */
        0x43, 0x43,                         /* 0x1008: inc ebx (x2) */
        0xf4,                               /* hlt */
    };
    const struct cpu_icache *ic = m->cpu.icache;
    th_run(m, code, sizeof code);
    assert_int_equal(m->cpu.r[R_EBX], 5);
    uint64_t builds = ic->builds;

    m->cpu.r[R_EBX] = 0;                    /* at an instruction: a view */
    th_enter(m, TH_CODE + 3);
    th_go(m);
    assert_int_equal(m->cpu.r[R_EBX], 2);
    assert_int_equal(m->cpu.r[R_EAX], 0x90909040u);
    assert_int_equal(ic->builds, builds);
    assert_int_equal(ic->views, 1);

    m->cpu.r[R_EBX] = 0;                    /* inside the mov: inc eax, nop x3 */
    m->cpu.r[R_EAX] = 0;
    th_enter(m, TH_CODE + 4);
    th_go(m);
    assert_int_equal(m->cpu.r[R_EAX], 1);
    assert_int_equal(m->cpu.r[R_EBX], 2);
    assert_int_equal(ic->builds, builds + 1);
    assert_int_equal(ic->views, 1);

    m->cpu.r[R_EBX] = 0;                    /* the view again, from the cache */
    th_enter(m, TH_CODE + 3);
    th_go(m);
    assert_int_equal(m->cpu.r[R_EBX], 2);
    assert_int_equal(ic->views, 1);

    uint8_t dec = 0x4b;                     /* dec ebx where the first inc was */
    th_put(m, TH_CODE + 8, &dec, 1);
    m->cpu.r[R_EBX] = 0;
    th_enter(m, TH_CODE + 3);
    th_go(m);
    assert_int_equal(m->cpu.r[R_EBX], 0);
    machine_free(m);
}

static void test_cmov_bsf_bsr(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_cmov, sizeof code_cmov);
    assert_int_equal(m->cpu.r[R_ECX], 7);
    assert_int_equal(m->cpu.r[R_EDX], 0);
    assert_int_equal(m->cpu.r[R_ESI], 0);
    assert_int_equal(m->cpu.r[R_EDI], 2);
    machine_free(m);
}

static void test_cpuid_rdtsc(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_cpuid, sizeof code_cpuid);
    assert_int_equal(m->cpu.r[R_ESI], 0x756E6547u);        /* "Genu" */
    assert_true(m->cpu.r[R_EAX] > 0);
    machine_free(m);
}

static void test_ud2_is_ud(void **state)
{
    struct machine *m = th_new();
    th_put(m, TH_CODE, code_ud2, sizeof code_ud2);
    th_enter(m, TH_CODE);
    th_system(m);
    th_go(m);
    assert_int_equal(th_vector(m), 6);
    assert_int_equal(th_stack(m, 0), TH_CODE);
    machine_free(m);
}

static void test_unknown_msr_is_gp(void **state)
{
    struct machine *m = th_new();
    th_put(m, TH_CODE, code_gp_msr, sizeof code_gp_msr);
    th_enter(m, TH_CODE);
    th_system(m);
    th_go(m);
    assert_int_equal(th_vector(m), 13);
    assert_int_equal(th_stack(m, 0), 0);                /* error code */
    assert_int_equal(th_stack(m, 1), TH_CODE + 5);
    machine_free(m);
}

static void test_xadd_cmpxchg(void **state)
{
    struct machine *m = th_new();
    th_run(m, code_xadd, sizeof code_xadd);
    assert_int_equal(m->cpu.r[R_ECX], 10);
    assert_int_equal(th_get32(m, 0x8000), 99);
    assert_int_equal(cpu_get_eflags(m) & EFLAGS_ZF, EFLAGS_ZF);
    machine_free(m);
}

/* Two machines in one process do not share state. */
static void test_two_machines(void **state)
{
    struct machine *a = th_new(), *b = th_new();
    th_run(a, code_adc, sizeof code_adc);
    th_run(b, code_muldiv, sizeof code_muldiv);
    assert_int_equal(a->cpu.r[R_EDX], 1);
    assert_int_equal(b->cpu.r[R_EDX], 6);
    machine_free(a);
    machine_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_flags),
        cmocka_unit_test(test_adc_chain),
        cmocka_unit_test(test_incdec_keep_cf),
        cmocka_unit_test(test_mul_idiv),
        cmocka_unit_test(test_div_by_zero_is_de),
        cmocka_unit_test(test_shift_rotate_flags),
        cmocka_unit_test(test_rep_movs_cmps),
        cmocka_unit_test(test_stack_enter_leave),
        cmocka_unit_test(test_bt_bitstring_negative),
        cmocka_unit_test(test_bcd),
        cmocka_unit_test(test_addr16_ignores_high_halves),
        cmocka_unit_test(test_self_modifying_code),
        cmocka_unit_test(test_block_chain_then_slow_mid_block),
        cmocka_unit_test(test_enter_inside_a_block),
        cmocka_unit_test(test_cmov_bsf_bsr),
        cmocka_unit_test(test_cpuid_rdtsc),
        cmocka_unit_test(test_ud2_is_ud),
        cmocka_unit_test(test_unknown_msr_is_gp),
        cmocka_unit_test(test_xadd_cmpxchg),
        cmocka_unit_test(test_two_machines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
