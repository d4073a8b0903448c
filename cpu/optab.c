/* The opcode maps of the modelled CPU (P6 family, integer ISA and x87):
 * one 256-entry table for the one-byte map, one for 0F, and the ModRM-reg
 * groups; the x87 maps are cpu/fpu_tab.c. Intel SDM vol. 2, appendix A
 * (opcode map). Cycle costs live beside
 * these tables in cpu/cycles.c.
 *
 * Every undefined entry says why it is #UD on this CPU. Entries marked
 * D_END end a decoded block: unconditional control transfers, and port I/O
 * (a device may ask for attention, which the run loop tests between
 * blocks). */
#include "cpu/decode.h"
#include "cpu/ops.h"

#define X(f, fl)        { { f, f }, (fl), G_NONE }
#define V(f16, f32, fl) { { f16, f32 }, (fl), G_NONE }
#define GRP(g, fl)      { { NULL, NULL }, (fl), (g) }
#define UDX             { { op_ud, op_ud }, D_UNDEF, G_NONE }
#define UDM             { { op_ud, op_ud }, D_UNDEF | D_M, G_NONE }
#define PFX             { { op_ud, op_ud }, D_UNDEF, G_NONE }   /* prefix: never dispatched */

#define M D_M
#define L D_LOCK
#define END D_END
#define MO (D_M | D_MEMONLY)
#define IB D_IMM(DI_B)
#define IBS D_IMM(DI_BS)
#define IW D_IMM(DI_W)
#define IV D_IMM(DI_V)
#define IA D_IMM(DI_A)
#define IP D_IMM(DI_P)
#define JB D_IMM(DI_JB)
#define JV D_IMM(DI_JV)

#define ALU_ROW(n) \
    X(op_##n##_EbGb, M | L), V(op_##n##_EwGw, op_##n##_EdGd, M | L), \
    X(op_##n##_GbEb, M), V(op_##n##_GwEw, op_##n##_GdEd, M), \
    X(op_##n##_ALIb, IB), V(op_##n##_AXIw, op_##n##_EAXId, IV)
#define CMP_ROW \
    X(op_cmp_EbGb, M), V(op_cmp_EwGw, op_cmp_EdGd, M), \
    X(op_cmp_GbEb, M), V(op_cmp_GwEw, op_cmp_GdEd, M), \
    X(op_cmp_ALIb, IB), V(op_cmp_AXIw, op_cmp_EAXId, IV)

const struct opdesc optab_1b[256] = {
    /* 00-05 */ ALU_ROW(add),
    /* 06 */ V(op_push_sreg_w, op_push_sreg_d, 0),          /* PUSH ES */
    /* 07 */ V(op_pop_sreg_w, op_pop_sreg_d, 0),            /* POP ES */
    /* 08-0D */ ALU_ROW(or),
    /* 0E */ V(op_push_sreg_w, op_push_sreg_d, 0),          /* PUSH CS */
    /* 0F */ PFX,                                           /* two-byte escape */
    /* 10-15 */ ALU_ROW(adc),
    /* 16 */ V(op_push_sreg_w, op_push_sreg_d, 0),          /* PUSH SS */
    /* 17 */ V(op_pop_sreg_w, op_pop_sreg_d, 0),            /* POP SS */
    /* 18-1D */ ALU_ROW(sbb),
    /* 1E */ V(op_push_sreg_w, op_push_sreg_d, 0),          /* PUSH DS */
    /* 1F */ V(op_pop_sreg_w, op_pop_sreg_d, 0),            /* POP DS */
    /* 20-25 */ ALU_ROW(and),
    /* 26 */ PFX,                                           /* ES: */
    /* 27 */ X(op_daa, 0),
    /* 28-2D */ ALU_ROW(sub),
    /* 2E */ PFX,                                           /* CS: */
    /* 2F */ X(op_das, 0),
    /* 30-35 */ ALU_ROW(xor),
    /* 36 */ PFX,                                           /* SS: */
    /* 37 */ X(op_aaa, 0),
    /* 38-3D */ CMP_ROW,
    /* 3E */ PFX,                                           /* DS: */
    /* 3F */ X(op_aas, 0),
    /* 40 */ V(op_inc_rw, op_inc_rd, 0), /* 41 */ V(op_inc_rw, op_inc_rd, 0),
    /* 42 */ V(op_inc_rw, op_inc_rd, 0), /* 43 */ V(op_inc_rw, op_inc_rd, 0),
    /* 44 */ V(op_inc_rw, op_inc_rd, 0), /* 45 */ V(op_inc_rw, op_inc_rd, 0),
    /* 46 */ V(op_inc_rw, op_inc_rd, 0), /* 47 */ V(op_inc_rw, op_inc_rd, 0),
    /* 48 */ V(op_dec_rw, op_dec_rd, 0), /* 49 */ V(op_dec_rw, op_dec_rd, 0),
    /* 4A */ V(op_dec_rw, op_dec_rd, 0), /* 4B */ V(op_dec_rw, op_dec_rd, 0),
    /* 4C */ V(op_dec_rw, op_dec_rd, 0), /* 4D */ V(op_dec_rw, op_dec_rd, 0),
    /* 4E */ V(op_dec_rw, op_dec_rd, 0), /* 4F */ V(op_dec_rw, op_dec_rd, 0),
    /* 50 */ V(op_push_rw, op_push_rd, 0), /* 51 */ V(op_push_rw, op_push_rd, 0),
    /* 52 */ V(op_push_rw, op_push_rd, 0), /* 53 */ V(op_push_rw, op_push_rd, 0),
    /* 54 */ V(op_push_rw, op_push_rd, 0), /* 55 */ V(op_push_rw, op_push_rd, 0),
    /* 56 */ V(op_push_rw, op_push_rd, 0), /* 57 */ V(op_push_rw, op_push_rd, 0),
    /* 58 */ V(op_pop_rw, op_pop_rd, 0), /* 59 */ V(op_pop_rw, op_pop_rd, 0),
    /* 5A */ V(op_pop_rw, op_pop_rd, 0), /* 5B */ V(op_pop_rw, op_pop_rd, 0),
    /* 5C */ V(op_pop_rw, op_pop_rd, 0), /* 5D */ V(op_pop_rw, op_pop_rd, 0),
    /* 5E */ V(op_pop_rw, op_pop_rd, 0), /* 5F */ V(op_pop_rw, op_pop_rd, 0),
    /* 60 */ V(op_pusha_w, op_pusha_d, 0),
    /* 61 */ V(op_popa_w, op_popa_d, 0),
    /* 62 */ V(op_bound_w, op_bound_d, MO),
    /* 63 */ X(op_arpl, M),                                 /* ARPL Ew,Gw */
    /* 64 */ PFX,                                           /* FS: */
    /* 65 */ PFX,                                           /* GS: */
    /* 66 */ PFX,                                           /* operand size */
    /* 67 */ PFX,                                           /* address size */
    /* 68 */ V(op_push_Iw, op_push_Id, IV),
    /* 69 */ V(op_imul_GwEwI, op_imul_GdEdI, M | IV),
    /* 6A */ V(op_push_Iw, op_push_Id, IBS),
    /* 6B */ V(op_imul_GwEwI, op_imul_GdEdI, M | IBS),
    /* 6C */ X(op_insb, END),
    /* 6D */ V(op_insw, op_insd, END),
    /* 6E */ X(op_outsb, END),
    /* 6F */ V(op_outsw, op_outsd, END),
    /* 70 */ X(op_jcc_0, JB), /* 71 */ X(op_jcc_1, JB), /* 72 */ X(op_jcc_2, JB), /* 73 */ X(op_jcc_3, JB),
    /* 74 */ X(op_jcc_4, JB), /* 75 */ X(op_jcc_5, JB), /* 76 */ X(op_jcc_6, JB), /* 77 */ X(op_jcc_7, JB),
    /* 78 */ X(op_jcc_8, JB), /* 79 */ X(op_jcc_9, JB), /* 7A */ X(op_jcc_A, JB), /* 7B */ X(op_jcc_B, JB),
    /* 7C */ X(op_jcc_C, JB), /* 7D */ X(op_jcc_D, JB), /* 7E */ X(op_jcc_E, JB), /* 7F */ X(op_jcc_F, JB),
    /* 80 */ GRP(G_1B, M | IB),
    /* 81 */ GRP(G_1V, M | IV),
    /* 82 */ GRP(G_1B, M | IB),                             /* alias of 80 in 32-bit code */
    /* 83 */ GRP(G_1V, M | IBS),
    /* 84 */ X(op_test_EbGb, M),
    /* 85 */ V(op_test_EwGw, op_test_EdGd, M),
    /* 86 */ X(op_xchg_EbGb, M | L),
    /* 87 */ V(op_xchg_EwGw, op_xchg_EdGd, M | L),
    /* 88 */ X(op_mov_EbGb, M),
    /* 89 */ V(op_mov_EwGw, op_mov_EdGd, M),
    /* 8A */ X(op_mov_GbEb, M),
    /* 8B */ V(op_mov_GwEw, op_mov_GdEd, M),
    /* 8C */ X(op_mov_EwSw, M),
    /* 8D */ V(op_lea_GwM, op_lea_GdM, MO),
    /* 8E */ X(op_mov_SwEw, M),
    /* 8F */ GRP(G_1A, M),
    /* 90 */ X(op_nop, 0),                                  /* NOP; F3 90 = PAUSE */
    /* 91 */ V(op_xchg_AXrw, op_xchg_EAXrd, 0), /* 92 */ V(op_xchg_AXrw, op_xchg_EAXrd, 0),
    /* 93 */ V(op_xchg_AXrw, op_xchg_EAXrd, 0), /* 94 */ V(op_xchg_AXrw, op_xchg_EAXrd, 0),
    /* 95 */ V(op_xchg_AXrw, op_xchg_EAXrd, 0), /* 96 */ V(op_xchg_AXrw, op_xchg_EAXrd, 0),
    /* 97 */ V(op_xchg_AXrw, op_xchg_EAXrd, 0),
    /* 98 */ V(op_cbw, op_cwde, 0),
    /* 99 */ V(op_cwd, op_cdq, 0),
    /* 9A */ X(op_callf_Ap, IP | END),
    /* 9B */ X(op_wait, 0),
    /* 9C */ V(op_pushf_w, op_pushf_d, 0),
    /* 9D */ V(op_popf_w, op_popf_d, 0),
    /* 9E */ X(op_sahf, 0),
    /* 9F */ X(op_lahf, 0),
    /* A0 */ X(op_mov_ALOb, IA),
    /* A1 */ V(op_mov_AXOw, op_mov_EAXOd, IA),
    /* A2 */ X(op_mov_ObAL, IA),
    /* A3 */ V(op_mov_OwAX, op_mov_OdEAX, IA),
    /* A4 */ X(op_movsb, 0),
    /* A5 */ V(op_movsw, op_movsd, 0),
    /* A6 */ X(op_cmpsb, 0),
    /* A7 */ V(op_cmpsw, op_cmpsd, 0),
    /* A8 */ X(op_test_ALIb, IB),
    /* A9 */ V(op_test_AXIw, op_test_EAXId, IV),
    /* AA */ X(op_stosb, 0),
    /* AB */ V(op_stosw, op_stosd, 0),
    /* AC */ X(op_lodsb, 0),
    /* AD */ V(op_lodsw, op_lodsd, 0),
    /* AE */ X(op_scasb, 0),
    /* AF */ V(op_scasw, op_scasd, 0),
    /* B0 */ X(op_mov_rbIb, IB), /* B1 */ X(op_mov_rbIb, IB), /* B2 */ X(op_mov_rbIb, IB),
    /* B3 */ X(op_mov_rbIb, IB), /* B4 */ X(op_mov_rbIb, IB), /* B5 */ X(op_mov_rbIb, IB),
    /* B6 */ X(op_mov_rbIb, IB), /* B7 */ X(op_mov_rbIb, IB),
    /* B8 */ V(op_mov_rwIw, op_mov_rdId, IV), /* B9 */ V(op_mov_rwIw, op_mov_rdId, IV),
    /* BA */ V(op_mov_rwIw, op_mov_rdId, IV), /* BB */ V(op_mov_rwIw, op_mov_rdId, IV),
    /* BC */ V(op_mov_rwIw, op_mov_rdId, IV), /* BD */ V(op_mov_rwIw, op_mov_rdId, IV),
    /* BE */ V(op_mov_rwIw, op_mov_rdId, IV), /* BF */ V(op_mov_rwIw, op_mov_rdId, IV),
    /* C0 */ GRP(G_2B, M | IB),
    /* C1 */ GRP(G_2V, M | IB),
    /* C2 */ X(op_ret_Iw, IW | END),
    /* C3 */ X(op_ret, END),
    /* C4 */ V(op_les_w, op_les_d, MO),
    /* C5 */ V(op_lds_w, op_lds_d, MO),
    /* C6 */ GRP(G_11B, M | IB),
    /* C7 */ GRP(G_11V, M | IV),
    /* C8 */ V(op_enter_w, op_enter_d, D_IMM(DI_ENTER)),
    /* C9 */ V(op_leave_w, op_leave_d, 0),
    /* CA */ X(op_retf_Iw, IW | END),
    /* CB */ X(op_retf, END),
    /* CC */ X(op_int3, END),
    /* CD */ X(op_int_Ib, IB | END),
    /* CE */ X(op_into, 0),
    /* CF */ X(op_iret, END),
    /* D0 */ GRP(G_2B, M),                                  /* count 1 (decoder sets imm) */
    /* D1 */ GRP(G_2V, M),
    /* D2 */ GRP(G_2BCL, M),
    /* D3 */ GRP(G_2VCL, M),
    /* D4 */ X(op_aam, IB),
    /* D5 */ X(op_aad, IB),
    /* D6 */ X(op_salc, 0),                                 /* SALC: undocumented, on every P6 */
    /* D7 */ X(op_xlat, 0),
    /* D8 */ X(op_ud, M),                                   /* x87 ESC 0-7: the handler comes from */
    /* D9 */ X(op_ud, M),                                   /* cpu/fpu_tab.c by ModRM (decode.c) */
    /* DA */ X(op_ud, M),
    /* DB */ X(op_ud, M),
    /* DC */ X(op_ud, M),
    /* DD */ X(op_ud, M),
    /* DE */ X(op_ud, M),
    /* DF */ X(op_ud, M),
    /* E0 */ X(op_loopne, JB),
    /* E1 */ X(op_loope, JB),
    /* E2 */ X(op_loop, JB),
    /* E3 */ X(op_jcxz, JB),
    /* E4 */ X(op_in_ALIb, IB | END),
    /* E5 */ V(op_in_AXIb, op_in_EAXIb, IB | END),
    /* E6 */ X(op_out_IbAL, IB | END),
    /* E7 */ V(op_out_IbAX, op_out_IbEAX, IB | END),
    /* E8 */ X(op_call_rel, JV | END),
    /* E9 */ X(op_jmp_rel, JV | END),
    /* EA */ X(op_jmpf_Ap, IP | END),
    /* EB */ X(op_jmp_rel, JB | END),
    /* EC */ X(op_in_ALDX, END),
    /* ED */ V(op_in_AXDX, op_in_EAXDX, END),
    /* EE */ X(op_out_DXAL, END),
    /* EF */ V(op_out_DXAX, op_out_DXEAX, END),
    /* F0 */ PFX,                                           /* LOCK */
    /* F1 */ X(op_int1, END),                               /* INT1 / ICEBP */
    /* F2 */ PFX,                                           /* REPNE */
    /* F3 */ PFX,                                           /* REP / REPE */
    /* F4 */ X(op_hlt, END),
    /* F5 */ X(op_cmc, 0),
    /* F6 */ GRP(G_3B, M),
    /* F7 */ GRP(G_3V, M),
    /* F8 */ X(op_clc, 0),
    /* F9 */ X(op_stc, 0),
    /* FA */ X(op_cli, 0),
    /* FB */ X(op_sti, 0),
    /* FC */ X(op_cld, 0),
    /* FD */ X(op_std, 0),
    /* FE */ GRP(G_4, M),
    /* FF */ GRP(G_5, M),
};

#define CMOV V(op_cmovcc_GwEw, op_cmovcc_GdEd, M)
#define SETCC X(op_setcc_Eb, M)
#define BSWAP V(op_bswap_rw, op_bswap_rd, 0)
#define HINTNOP X(op_nop_Ev, M)

const struct opdesc optab_0f[256] = {
    /* 0F 00 */ GRP(G_6, M),
    /* 0F 01 */ GRP(G_7, M),
    /* 0F 02 */ V(op_lar_w, op_lar_d, M),
    /* 0F 03 */ V(op_lsl_w, op_lsl_d, M),
    /* 0F 04 */ UDX,                                         /* never defined */
    /* 0F 05 */ UDX,                                         /* SYSCALL: AMD, not on Intel P6 */
    /* 0F 06 */ X(op_clts, 0),
    /* 0F 07 */ UDX,                                         /* SYSRET: AMD, not on Intel P6 */
    /* 0F 08 */ X(op_invd, 0),
    /* 0F 09 */ X(op_wbinvd, 0),
    /* 0F 0A */ UDX,                                         /* never defined */
    /* 0F 0B */ X(op_ud, END),                              /* UD2 */
    /* 0F 0C */ UDX,                                         /* never defined */
    /* 0F 0D */ UDM,                                        /* 3DNow! PREFETCH: AMD only */
    /* 0F 0E */ UDX,                                         /* FEMMS: 3DNow!, AMD only */
    /* 0F 0F */ UDM,                                        /* 3DNow! escape: AMD only */
    /* 0F 10 */ UDM, /* 0F 11 */ UDM,                       /* MOVUPS...: SSE, not modelled */
    /* 0F 12 */ UDM, /* 0F 13 */ UDM, /* 0F 14 */ UDM, /* 0F 15 */ UDM,
    /* 0F 16 */ UDM, /* 0F 17 */ UDM,
    /* 0F 18 */ HINTNOP,                                    /* reserved NOP (PREFETCHh on SSE parts) */
    /* 0F 19 */ HINTNOP, /* 0F 1A */ HINTNOP, /* 0F 1B */ HINTNOP,
    /* 0F 1C */ HINTNOP, /* 0F 1D */ HINTNOP, /* 0F 1E */ HINTNOP,
    /* 0F 1F */ HINTNOP,                                    /* NOP Ev */
    /* 0F 20 */ X(op_mov_RdCd, D_M | D_MODREG),
    /* 0F 21 */ X(op_mov_RdDd, D_M | D_MODREG),
    /* 0F 22 */ X(op_mov_CdRd, D_M | D_MODREG),
    /* 0F 23 */ X(op_mov_DdRd, D_M | D_MODREG),
    /* 0F 24 */ { { op_ud, op_ud }, D_UNDEF | D_M | D_MODREG, 0 }, /* MOV r32,TRn: 386/486 only */
    /* 0F 25 */ UDX,                                         /* never defined */
    /* 0F 26 */ { { op_ud, op_ud }, D_UNDEF | D_M | D_MODREG, 0 }, /* MOV TRn,r32: 386/486 only */
    /* 0F 27 */ UDX,                                         /* never defined */
    /* 0F 28 */ UDM, /* 0F 29 */ UDM, /* 0F 2A */ UDM, /* 0F 2B */ UDM,  /* SSE */
    /* 0F 2C */ UDM, /* 0F 2D */ UDM, /* 0F 2E */ UDM, /* 0F 2F */ UDM,  /* SSE */
    /* 0F 30 */ X(op_wrmsr, 0),
    /* 0F 31 */ X(op_rdtsc, 0),
    /* 0F 32 */ X(op_rdmsr, 0),
    /* 0F 33 */ UDX,                                         /* RDPMC: not modelled (DESIGN.md) */
    /* 0F 34 */ UDX,                                         /* SYSENTER: no SEP (DESIGN.md) */
    /* 0F 35 */ UDX,                                         /* SYSEXIT: no SEP (DESIGN.md) */
    /* 0F 36 */ UDX,                                         /* never defined */
    /* 0F 37 */ UDX,                                         /* GETSEC: SMX, later CPUs */
    /* 0F 38 */ UDX,                                         /* three-byte map: SSSE3 and later */
    /* 0F 39 */ UDX,                                         /* never defined */
    /* 0F 3A */ UDX,                                         /* three-byte map: SSE4 and later */
    /* 0F 3B */ UDX, /* 0F 3C */ UDX, /* 0F 3D */ UDX, /* 0F 3E */ UDX, /* 0F 3F */ UDX, /* never defined */
    /* 0F 40 */ CMOV, /* 0F 41 */ CMOV, /* 0F 42 */ CMOV, /* 0F 43 */ CMOV,
    /* 0F 44 */ CMOV, /* 0F 45 */ CMOV, /* 0F 46 */ CMOV, /* 0F 47 */ CMOV,
    /* 0F 48 */ CMOV, /* 0F 49 */ CMOV, /* 0F 4A */ CMOV, /* 0F 4B */ CMOV,
    /* 0F 4C */ CMOV, /* 0F 4D */ CMOV, /* 0F 4E */ CMOV, /* 0F 4F */ CMOV,
    /* 0F 50 */ UDM, /* 0F 51 */ UDM, /* 0F 52 */ UDM, /* 0F 53 */ UDM,  /* SSE */
    /* 0F 54 */ UDM, /* 0F 55 */ UDM, /* 0F 56 */ UDM, /* 0F 57 */ UDM,  /* SSE */
    /* 0F 58 */ UDM, /* 0F 59 */ UDM, /* 0F 5A */ UDM, /* 0F 5B */ UDM,  /* SSE/SSE2 */
    /* 0F 5C */ UDM, /* 0F 5D */ UDM, /* 0F 5E */ UDM, /* 0F 5F */ UDM,  /* SSE */
    /* 0F 60 */ UDM, /* 0F 61 */ UDM, /* 0F 62 */ UDM, /* 0F 63 */ UDM,  /* MMX: not modelled */
    /* 0F 64 */ UDM, /* 0F 65 */ UDM, /* 0F 66 */ UDM, /* 0F 67 */ UDM,  /* MMX */
    /* 0F 68 */ UDM, /* 0F 69 */ UDM, /* 0F 6A */ UDM, /* 0F 6B */ UDM,  /* MMX */
    /* 0F 6C */ UDM, /* 0F 6D */ UDM, /* 0F 6E */ UDM, /* 0F 6F */ UDM,  /* SSE2 / MMX */
    /* 0F 70 */ UDM, /* 0F 71 */ UDM, /* 0F 72 */ UDM, /* 0F 73 */ UDM,  /* MMX shifts */
    /* 0F 74 */ UDM, /* 0F 75 */ UDM, /* 0F 76 */ UDM,                   /* MMX compares */
    /* 0F 77 */ UDX,                                         /* EMMS: MMX */
    /* 0F 78 */ UDM, /* 0F 79 */ UDM,                       /* VMREAD/VMWRITE: VMX */
    /* 0F 7A */ UDX, /* 0F 7B */ UDX,                         /* never defined on Intel */
    /* 0F 7C */ UDM, /* 0F 7D */ UDM,                       /* SSE3 */
    /* 0F 7E */ UDM, /* 0F 7F */ UDM,                       /* MMX */
    /* 0F 80 */ X(op_jcc_0, JV), /* 0F 81 */ X(op_jcc_1, JV),
    /* 0F 82 */ X(op_jcc_2, JV), /* 0F 83 */ X(op_jcc_3, JV),
    /* 0F 84 */ X(op_jcc_4, JV), /* 0F 85 */ X(op_jcc_5, JV),
    /* 0F 86 */ X(op_jcc_6, JV), /* 0F 87 */ X(op_jcc_7, JV),
    /* 0F 88 */ X(op_jcc_8, JV), /* 0F 89 */ X(op_jcc_9, JV),
    /* 0F 8A */ X(op_jcc_A, JV), /* 0F 8B */ X(op_jcc_B, JV),
    /* 0F 8C */ X(op_jcc_C, JV), /* 0F 8D */ X(op_jcc_D, JV),
    /* 0F 8E */ X(op_jcc_E, JV), /* 0F 8F */ X(op_jcc_F, JV),
    /* 0F 90 */ SETCC, /* 0F 91 */ SETCC, /* 0F 92 */ SETCC, /* 0F 93 */ SETCC,
    /* 0F 94 */ SETCC, /* 0F 95 */ SETCC, /* 0F 96 */ SETCC, /* 0F 97 */ SETCC,
    /* 0F 98 */ SETCC, /* 0F 99 */ SETCC, /* 0F 9A */ SETCC, /* 0F 9B */ SETCC,
    /* 0F 9C */ SETCC, /* 0F 9D */ SETCC, /* 0F 9E */ SETCC, /* 0F 9F */ SETCC,
    /* 0F A0 */ V(op_push_sreg_w, op_push_sreg_d, 0),       /* PUSH FS */
    /* 0F A1 */ V(op_pop_sreg_w, op_pop_sreg_d, 0),         /* POP FS */
    /* 0F A2 */ X(op_cpuid, 0),
    /* 0F A3 */ V(op_bt_EwGw, op_bt_EdGd, M),
    /* 0F A4 */ V(op_shld_EwGwIb, op_shld_EdGdIb, M | IB),
    /* 0F A5 */ V(op_shld_EwGwCL, op_shld_EdGdCL, M),
    /* 0F A6 */ UDM,                                        /* XBTS: early 386 steppings only */
    /* 0F A7 */ UDM,                                        /* IBTS: early 386 steppings only */
    /* 0F A8 */ V(op_push_sreg_w, op_push_sreg_d, 0),       /* PUSH GS */
    /* 0F A9 */ V(op_pop_sreg_w, op_pop_sreg_d, 0),         /* POP GS */
    /* 0F AA */ UDX,                                         /* RSM: #UD outside SMM, no SMM modelled */
    /* 0F AB */ V(op_bts_EwGw, op_bts_EdGd, M | L),
    /* 0F AC */ V(op_shrd_EwGwIb, op_shrd_EdGdIb, M | IB),
    /* 0F AD */ V(op_shrd_EwGwCL, op_shrd_EdGdCL, M),
    /* 0F AE */ GRP(G_15, M),                               /* FXSAVE...: no FXSR/SSE */
    /* 0F AF */ V(op_imul_GwEw, op_imul_GdEd, M),
    /* 0F B0 */ X(op_cmpxchg_EbGb, M | L),
    /* 0F B1 */ V(op_cmpxchg_EwGw, op_cmpxchg_EdGd, M | L),
    /* 0F B2 */ V(op_lss_w, op_lss_d, MO),
    /* 0F B3 */ V(op_btr_EwGw, op_btr_EdGd, M | L),
    /* 0F B4 */ V(op_lfs_w, op_lfs_d, MO),
    /* 0F B5 */ V(op_lgs_w, op_lgs_d, MO),
    /* 0F B6 */ V(op_movzx_GwEb, op_movzx_GdEb, M),
    /* 0F B7 */ V(op_movzx_GwEw, op_movzx_GdEw, M),
    /* 0F B8 */ UDM,                                        /* JMPE (IA-64) / POPCNT: later CPUs */
    /* 0F B9 */ UDM,                                        /* UD1: always #UD */
    /* 0F BA */ GRP(G_8, M | IB),
    /* 0F BB */ V(op_btc_EwGw, op_btc_EdGd, M | L),
    /* 0F BC */ V(op_bsf_GwEw, op_bsf_GdEd, M),
    /* 0F BD */ V(op_bsr_GwEw, op_bsr_GdEd, M),
    /* 0F BE */ V(op_movsx_GwEb, op_movsx_GdEb, M),
    /* 0F BF */ V(op_movsx_GwEw, op_movsx_GdEw, M),
    /* 0F C0 */ X(op_xadd_EbGb, M | L),
    /* 0F C1 */ V(op_xadd_EwGw, op_xadd_EdGd, M | L),
    /* 0F C2 */ UDM,                                        /* CMPPS: SSE */
    /* 0F C3 */ UDM,                                        /* MOVNTI: SSE2 */
    /* 0F C4 */ UDM, /* 0F C5 */ UDM, /* 0F C6 */ UDM,      /* PINSRW/PEXTRW/SHUFPS: SSE */
    /* 0F C7 */ GRP(G_9, M),
    /* 0F C8 */ BSWAP, /* 0F C9 */ BSWAP, /* 0F CA */ BSWAP, /* 0F CB */ BSWAP,
    /* 0F CC */ BSWAP, /* 0F CD */ BSWAP, /* 0F CE */ BSWAP, /* 0F CF */ BSWAP,
    /* 0F D0 */ UDM, /* 0F D1 */ UDM, /* 0F D2 */ UDM, /* 0F D3 */ UDM,  /* MMX/SSE: not modelled */
    /* 0F D4 */ UDM, /* 0F D5 */ UDM, /* 0F D6 */ UDM, /* 0F D7 */ UDM,
    /* 0F D8 */ UDM, /* 0F D9 */ UDM, /* 0F DA */ UDM, /* 0F DB */ UDM,
    /* 0F DC */ UDM, /* 0F DD */ UDM, /* 0F DE */ UDM, /* 0F DF */ UDM,
    /* 0F E0 */ UDM, /* 0F E1 */ UDM, /* 0F E2 */ UDM, /* 0F E3 */ UDM,
    /* 0F E4 */ UDM, /* 0F E5 */ UDM, /* 0F E6 */ UDM, /* 0F E7 */ UDM,
    /* 0F E8 */ UDM, /* 0F E9 */ UDM, /* 0F EA */ UDM, /* 0F EB */ UDM,
    /* 0F EC */ UDM, /* 0F ED */ UDM, /* 0F EE */ UDM, /* 0F EF */ UDM,
    /* 0F F0 */ UDM, /* 0F F1 */ UDM, /* 0F F2 */ UDM, /* 0F F3 */ UDM,
    /* 0F F4 */ UDM, /* 0F F5 */ UDM, /* 0F F6 */ UDM, /* 0F F7 */ UDM,
    /* 0F F8 */ UDM, /* 0F F9 */ UDM, /* 0F FA */ UDM, /* 0F FB */ UDM,
    /* 0F FC */ UDM, /* 0F FD */ UDM, /* 0F FE */ UDM,
    /* 0F FF */ UDX,                                         /* UD0: always #UD */
};

#define GUD { { op_ud, op_ud }, D_UNDEF, 0 }
#define SHIFT_GROUP(sfx, SZW, SZD) \
    { V(op_rol_##SZW##sfx, op_rol_##SZD##sfx, 0), V(op_ror_##SZW##sfx, op_ror_##SZD##sfx, 0), \
      V(op_rcl_##SZW##sfx, op_rcl_##SZD##sfx, 0), V(op_rcr_##SZW##sfx, op_rcr_##SZD##sfx, 0), \
      V(op_shl_##SZW##sfx, op_shl_##SZD##sfx, 0), V(op_shr_##SZW##sfx, op_shr_##SZD##sfx, 0), \
      V(op_shl_##SZW##sfx, op_shl_##SZD##sfx, 0), /* /6 SAL: alias of SHL */ \
      V(op_sar_##SZW##sfx, op_sar_##SZD##sfx, 0) }

const struct opdesc grouptab[G_COUNT][8] = {
    [G_1B] = { X(op_add_EbIb, L), X(op_or_EbIb, L), X(op_adc_EbIb, L), X(op_sbb_EbIb, L),
               X(op_and_EbIb, L), X(op_sub_EbIb, L), X(op_xor_EbIb, L), X(op_cmp_EbIb, 0) },
    [G_1V] = { V(op_add_EwIw, op_add_EdId, L), V(op_or_EwIw, op_or_EdId, L),
               V(op_adc_EwIw, op_adc_EdId, L), V(op_sbb_EwIw, op_sbb_EdId, L),
               V(op_and_EwIw, op_and_EdId, L), V(op_sub_EwIw, op_sub_EdId, L),
               V(op_xor_EwIw, op_xor_EdId, L), V(op_cmp_EwIw, op_cmp_EdId, 0) },
    [G_1A] = { V(op_pop_Ew, op_pop_Ed, 0),
               GUD, GUD, GUD, GUD, GUD, GUD, GUD },         /* 8F /1-/7: XOP prefix on AMD */
    [G_2B] = SHIFT_GROUP(, Eb, Eb),
    [G_2V] = SHIFT_GROUP(, Ew, Ed),
    [G_2BCL] = SHIFT_GROUP(CL, Eb, Eb),
    [G_2VCL] = SHIFT_GROUP(CL, Ew, Ed),
    [G_3B] = { X(op_test_EbIb, IB), X(op_test_EbIb, IB),     /* /1: undocumented alias of TEST */
               X(op_not_Eb, L), X(op_neg_Eb, L), X(op_mul_Eb, 0), X(op_imul_Eb, 0),
               X(op_div_Eb, 0), X(op_idiv_Eb, 0) },
    [G_3V] = { V(op_test_EwIw, op_test_EdId, IV), V(op_test_EwIw, op_test_EdId, IV),
               V(op_not_Ew, op_not_Ed, L), V(op_neg_Ew, op_neg_Ed, L),
               V(op_mul_Ew, op_mul_Ed, 0), V(op_imul_Ew, op_imul_Ed, 0),
               V(op_div_Ew, op_div_Ed, 0), V(op_idiv_Ew, op_idiv_Ed, 0) },
    [G_4]  = { X(op_inc_Eb, L), X(op_dec_Eb, L),
               GUD, GUD, GUD, GUD, GUD, GUD },              /* FE /2-/7: never defined */
    [G_5]  = { V(op_inc_Ew, op_inc_Ed, L), V(op_dec_Ew, op_dec_Ed, L),
               V(op_call_Ew, op_call_Ed, END), V(op_callf_Ep, op_callf_Ep, D_MEMONLY | END),
               V(op_jmp_Ew, op_jmp_Ed, END), V(op_jmpf_Ep, op_jmpf_Ep, D_MEMONLY | END),
               V(op_push_Ew, op_push_Ed, 0),
               GUD },                                       /* FF /7: never defined */
    [G_11B] = { X(op_mov_EbIb, 0), GUD, GUD, GUD, GUD, GUD, GUD, GUD }, /* C6 /1-/7: XABORT later */
    [G_11V] = { V(op_mov_EwIw, op_mov_EdId, 0), GUD, GUD, GUD, GUD, GUD, GUD, GUD }, /* C7: XBEGIN later */
    [G_6]  = { X(op_sldt, 0), X(op_str, 0), X(op_lldt, 0), X(op_ltr, 0),
               X(op_verr, 0), X(op_verw, 0),
               GUD, GUD },                                  /* 0F 00 /6 /7: never defined */
    [G_7]  = { X(op_sgdt, D_MEMONLY), X(op_sidt, D_MEMONLY), /* mod=3: VMX/MONITOR: later CPUs */
               X(op_lgdt, D_MEMONLY), X(op_lidt, D_MEMONLY), /* mod=3: XGETBV/VMRUN...: later */
               X(op_smsw, 0),
               GUD,                                         /* 0F 01 /5: never defined on P6 */
               X(op_lmsw, 0),
               X(op_invlpg, D_MEMONLY) },                   /* mod=3: SWAPGS/RDTSCP: later */
    [G_8]  = { GUD, GUD, GUD, GUD,                          /* 0F BA /0-/3: never defined */
               V(op_bt_EwIb, op_bt_EdIb, 0), V(op_bts_EwIb, op_bts_EdIb, L),
               V(op_btr_EwIb, op_btr_EdIb, L), V(op_btc_EwIb, op_btc_EdIb, L) },
    [G_9]  = { GUD, X(op_cmpxchg8b, D_MEMONLY | L),         /* 0F C7 /6 /7 RDRAND/VMPTR: later */
               GUD, GUD, GUD, GUD, GUD, GUD },
    [G_15] = { GUD, GUD, GUD, GUD, GUD, GUD, GUD, GUD },    /* FXSAVE/FXRSTOR/LDMXCSR/...: no FXSR, SSE */
};

/* Register-form handlers that replace the general r/m handler when ModRM
 * names a register (a speed detail: same semantics, no memory path). */
#define RF(n) { op_##n##_EdGd, op_##n##_EdGd_r }, { op_##n##_GdEd, op_##n##_GdEd_r }, \
              { op_##n##_EdId, op_##n##_EdId_r }, { op_##n##_EbGb, op_##n##_EbGb_r }
const struct opreg regforms[] = {
    RF(add), RF(or), RF(adc), RF(sbb), RF(and), RF(sub), RF(xor), RF(cmp),
    { op_test_EdGd, op_test_EdGd_r },
    { op_mov_EdGd, op_mov_EdGd_r }, { op_mov_GdEd, op_mov_GdEd_r },
    { op_mov_EbGb, op_mov_EbGb_r }, { op_mov_GbEb, op_mov_GbEb_r },
    { op_movzx_GdEb, op_movzx_GdEb_r }, { op_movzx_GdEw, op_movzx_GdEw_r },
    { NULL, NULL },
};

/* Memory forms that replace the general handler when the operand is memory
 * with 32-bit addressing, without an index (bd) or with one (bis): a speed
 * detail, the same semantics without the register and 16-bit tests. */
const struct opmem memforms[] = {
    { op_mov_EdGd, op_mov_EdGd_bd, op_mov_EdGd_bis }, { op_mov_GdEd, op_mov_GdEd_bd, op_mov_GdEd_bis },
    { op_mov_EbGb, op_mov_EbGb_bd, op_mov_EbGb_bis }, { op_movzx_GdEb, op_movzx_GdEb_bd, op_movzx_GdEb_bis },
    { NULL, NULL, NULL },
};
