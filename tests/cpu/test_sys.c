/* System architecture: privilege levels, gates, the TSS stack switch,
 * descriptor checks and their error codes, paging faults, #DF, triple
 * fault, IOPL and the I/O bitmap, single-step. Each program's bytes carry
 * their disassembly (GNU as, Intel syntax, linked at 0x1000). Most enter
 * ring 3 with an IRET to 0x1B:0x1011 on the stack 0x23:0x70000. */
#include "tests/cpu/harness.h"

static const uint8_t sys_int80[] = {
    0x6a, 0x23,                              /* push   0x23 */
    0x68, 0x00, 0x00, 0x07, 0x00,            /* push   0x70000 */
    0x6a, 0x02,                              /* push   0x2 */
    0x6a, 0x1b,                              /* push   0x1b */
    0x68, 0x11, 0x10, 0x00, 0x00,            /* push   0x1011 */
    0xcf,                                    /* iret */
    0xb8, 0x34, 0x12, 0x00, 0x00,            /* mov    eax,0x1234 */
    0xcd, 0x80,                              /* int    0x80 */
    0xf4,                                    /* hlt */
};
static const uint8_t sys_pf[] = {
    TH_PAGING_ON,                            /* 0x1000-0x101b */
    0xbb, 0x00, 0x00, 0x40, 0x00,            /* mov    ebx,0x400000 */
    0xc7, 0x43, 0x08, 0x01, 0x00, 0x00, 0x00, /* mov    DWORD PTR [ebx+0x8],0x1 */
    0xf4,                                    /* hlt */
};
static const uint8_t sys_gp_msr[] = {
    0xb9, 0x1b, 0x00, 0x00, 0x00,            /* mov    ecx,0x1b */
    0x0f, 0x32,                              /* rdmsr */
    0xf4,                                    /* hlt */
};
static const uint8_t sys_segfault[] = {
    0x66, 0xb8, 0x33, 0x00,                  /* mov    ax,0x33 */
    0x8e, 0xd8,                              /* mov    ds,eax */
    0xf4,                                    /* hlt */
};
static const uint8_t sys_ss_rpl[] = {
    0x66, 0xb8, 0x23, 0x00,                  /* mov    ax,0x23 */
    0x8e, 0xd0,                              /* mov    ss,eax */
    0xf4,                                    /* hlt */
};
static const uint8_t sys_np[] = {
    0x66, 0xb8, 0x30, 0x00,                  /* mov    ax,0x30 */
    0x8e, 0xc0,                              /* mov    es,eax */
    0xf4,                                    /* hlt */
};
static const uint8_t sys_callgate[] = {
    0x6a, 0x23,                              /* push   0x23 */
    0x68, 0x00, 0x00, 0x07, 0x00,            /* push   0x70000 */
    0x6a, 0x02,                              /* push   0x2 */
    0x6a, 0x1b,                              /* push   0x1b */
    0x68, 0x11, 0x10, 0x00, 0x00,            /* push   0x1011 */
    0xcf,                                    /* iret */
    0x68, 0x11, 0x11, 0x11, 0x11,            /* push   0x11111111 */
    0x68, 0x22, 0x22, 0x22, 0x22,            /* push   0x22222222 */
    0x9a, 0x00, 0x00, 0x00, 0x00, 0x33, 0x00, /* call   0x33:0x0 */
    0xf4,                                    /* hlt */
};
static const uint8_t sys_iobitmap[] = {
    0x6a, 0x23,                              /* push   0x23 */
    0x68, 0x00, 0x00, 0x07, 0x00,            /* push   0x70000 */
    0x6a, 0x02,                              /* push   0x2 */
    0x6a, 0x1b,                              /* push   0x1b */
    0x68, 0x11, 0x10, 0x00, 0x00,            /* push   0x1011 */
    0xcf,                                    /* iret */
    0xe4, 0x80,                              /* in     al,0x80 */
    0xe4, 0x81,                              /* in     al,0x81 */
    0xf4,                                    /* hlt */
};
static const uint8_t sys_cli3[] = {
    0x6a, 0x23,                              /* push   0x23 */
    0x68, 0x00, 0x00, 0x07, 0x00,            /* push   0x70000 */
    0x6a, 0x02,                              /* push   0x2 */
    0x6a, 0x1b,                              /* push   0x1b */
    0x68, 0x11, 0x10, 0x00, 0x00,            /* push   0x1011 */
    0xcf,                                    /* iret */
    0xfa,                                    /* cli */
    0xf4,                                    /* hlt */
};
static const uint8_t sys_popf3[] = {
    0x6a, 0x23,                              /* push   0x23 */
    0x68, 0x00, 0x00, 0x07, 0x00,            /* push   0x70000 */
    0x6a, 0x02,                              /* push   0x2 */
    0x6a, 0x1b,                              /* push   0x1b */
    0x68, 0x11, 0x10, 0x00, 0x00,            /* push   0x1011 */
    0xcf,                                    /* iret */
    0x9c,                                    /* pushf */
    0x81, 0x0c, 0x24, 0x00, 0x32, 0x00, 0x00, /* or     DWORD PTR [esp],0x3200 */
    0x9d,                                    /* popf */
    0x9c,                                    /* pushf */
    0x5b,                                    /* pop    ebx */
    0xcd, 0x80,                              /* int    0x80 */
};
static const uint8_t sys_tf[] = {
    0x9c,                                    /* pushf */
    0x81, 0x0c, 0x24, 0x00, 0x01, 0x00, 0x00, /* or     DWORD PTR [esp],0x100 */
    0x9d,                                    /* popf */
    0xb8, 0x01, 0x00, 0x00, 0x00,            /* mov    eax,0x1 */
    0xb8, 0x02, 0x00, 0x00, 0x00,            /* mov    eax,0x2 */
    0xf4,                                    /* hlt */
};
static const uint8_t sys_retf_outer[] = {
    0x6a, 0x23,                              /* push   0x23 */
    0x68, 0x00, 0x00, 0x07, 0x00,            /* push   0x70000 */
    0x6a, 0x1b,                              /* push   0x1b */
    0x68, 0x0f, 0x10, 0x00, 0x00,            /* push   0x100f */
    0xcb,                                    /* retf */
    0x8c, 0xd8,                              /* mov    eax,ds */
    0x8c, 0xd3,                              /* mov    ebx,ss */
    0xcd, 0x80,                              /* int    0x80 */
};

#define R3_ENTRY 0x1011u
#define R3_STACK 0x70000u

static struct machine *sys_machine(const uint8_t *code, size_t n)
{
    struct machine *m = th_new();
    th_put(m, TH_CODE, code, n);
    th_enter(m, TH_CODE);
    th_system(m);
    return m;
}

static void test_int80_from_ring3_switches_stack(void **state)
{
    struct machine *m = sys_machine(sys_int80, sizeof sys_int80);
    th_gate(m, 0x80, 0x08, TH_STUBS + 0x80 * 16, 0xE, 3);
    th_go(m);
    assert_int_equal(th_vector(m), 0x80);
    assert_int_equal(m->cpu.cpl, 0);
    assert_int_equal(m->cpu.seg[S_CS].sel, 0x08);
    assert_int_equal(m->cpu.seg[S_SS].sel, 0x10);
    assert_int_equal(m->cpu.r[R_ESP], TH_RING0_STACK - 20);
    assert_int_equal(th_stack(m, 0), R3_ENTRY + 7);     /* after INT 0x80 */
    assert_int_equal(th_stack(m, 1), 0x1B);
    assert_int_equal(th_stack(m, 2), 0x2);
    assert_int_equal(th_stack(m, 3), R3_STACK);
    assert_int_equal(th_stack(m, 4), 0x23);
    assert_int_equal(m->cpu.r[R_EAX], 0x1234);
    /* IRET to ring 3 nulled DS/ES/FS/GS (DPL 0 data) */
    assert_int_equal(m->cpu.seg[S_DS].sel, 0);
    machine_free(m);
}

static void test_int80_dpl0_gate_is_gp(void **state)
{
    struct machine *m = sys_machine(sys_int80, sizeof sys_int80);
    th_go(m);
    assert_int_equal(th_vector(m), 13);
    assert_int_equal(th_stack(m, 0), 0x80 * 8 + 2);     /* IDT, not EXT */
    assert_int_equal(th_stack(m, 1), R3_ENTRY + 5);     /* the INT itself */
    assert_int_equal(th_stack(m, 2), 0x1B);
    machine_free(m);
}

static void test_page_fault_error_code_cr2(void **state)
{
    struct machine *m = sys_machine(sys_pf, sizeof sys_pf);
    th_put32(m, 0x5000, 0x00000083u);       /* 4 MiB at 0: P RW PS, supervisor */
    th_put32(m, 0x5004, 0);                 /* 4-8 MiB not present */
    th_go(m);
    assert_int_equal(th_vector(m), 14);
    assert_int_equal(th_stack(m, 0), 2);                /* write, not present, supervisor */
    assert_int_equal(th_stack(m, 1), TH_CODE + 0x21);
    assert_int_equal(m->cpu.cr2, 0x400008);
    assert_int_equal(m->cpu.r[R_EBX], 0x400000);
    machine_free(m);
}

static void test_double_fault(void **state)
{
    struct machine *m = sys_machine(sys_gp_msr, sizeof sys_gp_msr);
    th_put32(m, TH_IDT + 13 * 8 + 4, th_get32(m, TH_IDT + 13 * 8 + 4) & ~0x8000u);
    th_go(m);
    assert_int_equal(th_vector(m), 8);      /* #GP, then #NP on its gate: contributory twice */
    assert_int_equal(th_stack(m, 0), 0);
    machine_free(m);
}

static void test_benign_then_contributory_is_serial(void **state)
{
    struct machine *m = sys_machine(sys_int80, sizeof sys_int80);
    th_gate(m, 0x80, 0x08, TH_STUBS + 0x80 * 16, 0xE, 3);
    th_put32(m, TH_IDT + 0x80 * 8 + 4, th_get32(m, TH_IDT + 0x80 * 8 + 4) & ~0x8000u);
    th_go(m);
    assert_int_equal(th_vector(m), 11);                 /* #NP(0x80*8+2), not #DF */
    assert_int_equal(th_stack(m, 0), 0x80 * 8 + 2);
    machine_free(m);
}

static void test_triple_fault_stops(void **state)
{
    struct machine *m = sys_machine(sys_gp_msr, sizeof sys_gp_msr);
    th_put32(m, TH_IDT + 13 * 8 + 4, th_get32(m, TH_IDT + 13 * 8 + 4) & ~0x8000u);
    th_put32(m, TH_IDT + 8 * 8 + 4, th_get32(m, TH_IDT + 8 * 8 + 4) & ~0x8000u);
    th_go(m);
    assert_int_equal(m->stop, STOP_TRIPLE_FAULT);
    assert_int_equal(m->exit_status, 4);
    machine_free(m);
}

static void test_segment_load_errors(void **state)
{
    struct machine *m = sys_machine(sys_segfault, sizeof sys_segfault);
    th_go(m);
    assert_int_equal(th_vector(m), 13);
    assert_int_equal(th_stack(m, 0), 0x30);             /* beyond the GDT limit */
    machine_free(m);

    m = sys_machine(sys_ss_rpl, sizeof sys_ss_rpl);
    th_go(m);
    assert_int_equal(th_vector(m), 13);
    assert_int_equal(th_stack(m, 0), 0x20);             /* SS RPL 3 at CPL 0 */
    machine_free(m);

    m = sys_machine(sys_np, sizeof sys_np);
    th_desc(m, TH_GDT + 0x30, 0, 0xFFFFF, 0xC012);      /* data, not present */
    m->cpu.gdtr.limit = 0x37;
    th_go(m);
    assert_int_equal(th_vector(m), 11);
    assert_int_equal(th_stack(m, 0), 0x30);
    machine_free(m);
}

static void test_call_gate_copies_parameters(void **state)
{
    struct machine *m = sys_machine(sys_callgate, sizeof sys_callgate);
    uint8_t hlt = 0xF4;
    th_put(m, 0x1800, &hlt, 1);
    /* 32-bit call gate, DPL 3, 2 parameters, to 0x08:0x1800 */
    th_put32(m, TH_GDT + 0x30, (0x1800 & 0xFFFF) | (0x08u << 16));
    th_put32(m, TH_GDT + 0x34, (0x1800 & 0xFFFF0000u) | 0x8000u | (3u << 13) | (0xCu << 8) | 2);
    m->cpu.gdtr.limit = 0x37;
    th_go(m);
    assert_int_equal(m->cpu.eip, 0x1801);
    assert_int_equal(m->cpu.cpl, 0);
    assert_int_equal(m->cpu.r[R_ESP], TH_RING0_STACK - 24);
    assert_int_equal(th_stack(m, 0), R3_ENTRY + 17);    /* after the CALL FAR */
    assert_int_equal(th_stack(m, 1), 0x1B);
    assert_int_equal(th_stack(m, 2), 0x22222222);
    assert_int_equal(th_stack(m, 3), 0x11111111);
    assert_int_equal(th_stack(m, 4), R3_STACK - 8);
    assert_int_equal(th_stack(m, 5), 0x23);
    machine_free(m);
}

static void test_io_bitmap(void **state)
{
    struct machine *m = sys_machine(sys_iobitmap, sizeof sys_iobitmap);
    uint8_t bitmap[33];
    memset(bitmap, 0xFF, sizeof bitmap);
    bitmap[0x80 / 8] = 0xFE;                            /* port 0x80 allowed, 0x81 not */
    th_put(m, TH_TSS + 0x68, bitmap, sizeof bitmap);
    th_put32(m, TH_TSS + 0x64, 0x68u << 16);            /* I/O map base */
    th_desc(m, TH_GDT + 0x28, TH_TSS, 0x68 + sizeof bitmap - 1, 0x0089);
    m->cpu.tr.limit = 0x68 + sizeof bitmap - 1;
    m->cpu.tr.base = TH_TSS;
    m->cpu.tr.flags = 0x008B;
    th_go(m);
    assert_int_equal(th_vector(m), 13);
    assert_int_equal(th_stack(m, 0), 0);
    assert_int_equal(th_stack(m, 1), R3_ENTRY + 2);     /* IN AL, 0x81 */
    machine_free(m);
}

static void test_cli_at_ring3_is_gp(void **state)
{
    struct machine *m = sys_machine(sys_cli3, sizeof sys_cli3);
    th_go(m);
    assert_int_equal(th_vector(m), 13);
    assert_int_equal(th_stack(m, 1), R3_ENTRY);
    machine_free(m);
}

static void test_popf_at_ring3_keeps_if_iopl(void **state)
{
    struct machine *m = sys_machine(sys_popf3, sizeof sys_popf3);
    th_gate(m, 0x80, 0x08, TH_STUBS + 0x80 * 16, 0xE, 3);
    th_go(m);
    assert_int_equal(th_vector(m), 0x80);
    assert_int_equal(m->cpu.r[R_EBX], 0x2);
    machine_free(m);
}

static void test_single_step(void **state)
{
    struct machine *m = sys_machine(sys_tf, sizeof sys_tf);
    th_go(m);
    assert_int_equal(th_vector(m), 1);
    assert_int_equal(m->cpu.r[R_EAX], 1);               /* one instruction ran */
    assert_int_equal(th_stack(m, 0), TH_CODE + 0x0E);
    assert_true(th_stack(m, 2) & EFLAGS_TF);
    assert_true(m->cpu.dr[6] & 0x4000);
    machine_free(m);
}

static void test_retf_to_ring3_nulls_data_segments(void **state)
{
    struct machine *m = sys_machine(sys_retf_outer, sizeof sys_retf_outer);
    th_gate(m, 0x80, 0x08, TH_STUBS + 0x80 * 16, 0xE, 3);
    th_go(m);
    assert_int_equal(th_vector(m), 0x80);
    assert_int_equal(m->cpu.r[R_EAX], 0);               /* DS was DPL 0: nulled */
    assert_int_equal(m->cpu.r[R_EBX], 0x23);
    machine_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int80_from_ring3_switches_stack),
        cmocka_unit_test(test_int80_dpl0_gate_is_gp),
        cmocka_unit_test(test_page_fault_error_code_cr2),
        cmocka_unit_test(test_double_fault),
        cmocka_unit_test(test_benign_then_contributory_is_serial),
        cmocka_unit_test(test_triple_fault_stops),
        cmocka_unit_test(test_segment_load_errors),
        cmocka_unit_test(test_call_gate_copies_parameters),
        cmocka_unit_test(test_io_bitmap),
        cmocka_unit_test(test_cli_at_ring3_is_gp),
        cmocka_unit_test(test_popf_at_ring3_keeps_if_iopl),
        cmocka_unit_test(test_single_step),
        cmocka_unit_test(test_retf_to_ring3_nulls_data_segments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
