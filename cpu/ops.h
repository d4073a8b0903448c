/* Every instruction handler, by the file that defines it. One signature:
 * handler(struct machine *m, const struct insn *i). Names follow the SDM's
 * operand notation: E = ModRM r/m, G = ModRM reg, I = immediate, b/w/d =
 * byte/word/dword. The opcode tables are cpu/optab.c. */
#ifndef VMSCOPE_CPU_OPS_H
#define VMSCOPE_CPU_OPS_H

#include "cpu/cpu_impl.h"

#define H(name) void name(struct machine *m, const struct insn *i)

/* ops_alu.c */
#define ALU_PROTOS(n) \
    H(op_##n##_EbGb); H(op_##n##_EwGw); H(op_##n##_EdGd); \
    H(op_##n##_GbEb); H(op_##n##_GwEw); H(op_##n##_GdEd); \
    H(op_##n##_ALIb); H(op_##n##_AXIw); H(op_##n##_EAXId); \
    H(op_##n##_EbIb); H(op_##n##_EwIw); H(op_##n##_EdId)
ALU_PROTOS(add); ALU_PROTOS(or); ALU_PROTOS(adc); ALU_PROTOS(sbb);
ALU_PROTOS(and); ALU_PROTOS(sub); ALU_PROTOS(xor); ALU_PROTOS(cmp);
H(op_test_EbGb); H(op_test_EwGw); H(op_test_EdGd);
H(op_test_ALIb); H(op_test_AXIw); H(op_test_EAXId);
H(op_test_EbIb); H(op_test_EwIw); H(op_test_EdId);
H(op_inc_rw); H(op_inc_rd); H(op_dec_rw); H(op_dec_rd);
H(op_inc_Eb); H(op_inc_Ew); H(op_inc_Ed); H(op_dec_Eb); H(op_dec_Ew); H(op_dec_Ed);
H(op_not_Eb); H(op_not_Ew); H(op_not_Ed); H(op_neg_Eb); H(op_neg_Ew); H(op_neg_Ed);
H(op_mul_Eb); H(op_mul_Ew); H(op_mul_Ed); H(op_imul_Eb); H(op_imul_Ew); H(op_imul_Ed);
H(op_div_Eb); H(op_div_Ew); H(op_div_Ed); H(op_idiv_Eb); H(op_idiv_Ew); H(op_idiv_Ed);
H(op_imul_GwEwI); H(op_imul_GdEdI); H(op_imul_GwEw); H(op_imul_GdEd);

/* ops_shift.c: grp2 with an immediate/1 count and with CL */
#define SHIFT_PROTOS(n) \
    H(op_##n##_Eb); H(op_##n##_Ew); H(op_##n##_Ed); \
    H(op_##n##_EbCL); H(op_##n##_EwCL); H(op_##n##_EdCL)
SHIFT_PROTOS(rol); SHIFT_PROTOS(ror); SHIFT_PROTOS(rcl); SHIFT_PROTOS(rcr);
SHIFT_PROTOS(shl); SHIFT_PROTOS(shr); SHIFT_PROTOS(sar);
H(op_shld_EwGwIb); H(op_shld_EdGdIb); H(op_shld_EwGwCL); H(op_shld_EdGdCL);
H(op_shrd_EwGwIb); H(op_shrd_EdGdIb); H(op_shrd_EwGwCL); H(op_shrd_EdGdCL);

/* ops_bit.c */
H(op_bt_EwGw); H(op_bt_EdGd); H(op_bts_EwGw); H(op_bts_EdGd);
H(op_btr_EwGw); H(op_btr_EdGd); H(op_btc_EwGw); H(op_btc_EdGd);
H(op_bt_EwIb); H(op_bt_EdIb); H(op_bts_EwIb); H(op_bts_EdIb);
H(op_btr_EwIb); H(op_btr_EdIb); H(op_btc_EwIb); H(op_btc_EdIb);
H(op_bsf_GwEw); H(op_bsf_GdEd); H(op_bsr_GwEw); H(op_bsr_GdEd);
H(op_setcc_Eb); H(op_cmovcc_GwEw); H(op_cmovcc_GdEd);
H(op_bswap_rw); H(op_bswap_rd);

/* ops_mov.c */
H(op_mov_EbGb); H(op_mov_EwGw); H(op_mov_EdGd);
H(op_mov_GbEb); H(op_mov_GwEw); H(op_mov_GdEd);
H(op_mov_EwSw); H(op_mov_SwEw);
H(op_lea_GwM); H(op_lea_GdM);
H(op_mov_ALOb); H(op_mov_AXOw); H(op_mov_EAXOd);
H(op_mov_ObAL); H(op_mov_OwAX); H(op_mov_OdEAX);
H(op_mov_rbIb); H(op_mov_rwIw); H(op_mov_rdId);
H(op_mov_EbIb); H(op_mov_EwIw); H(op_mov_EdId);
H(op_xchg_EbGb); H(op_xchg_EwGw); H(op_xchg_EdGd);
H(op_xchg_AXrw); H(op_xchg_EAXrd); H(op_nop);
H(op_cbw); H(op_cwde); H(op_cwd); H(op_cdq);
H(op_lahf); H(op_sahf); H(op_xlat); H(op_salc);
H(op_movzx_GwEb); H(op_movzx_GdEb); H(op_movzx_GwEw); H(op_movzx_GdEw);
H(op_movsx_GwEb); H(op_movsx_GdEb); H(op_movsx_GwEw); H(op_movsx_GdEw);
H(op_cmpxchg_EbGb); H(op_cmpxchg_EwGw); H(op_cmpxchg_EdGd);
H(op_xadd_EbGb); H(op_xadd_EwGw); H(op_xadd_EdGd);
H(op_cmpxchg8b);
H(op_les_w); H(op_les_d); H(op_lds_w); H(op_lds_d); H(op_lss_w); H(op_lss_d);
H(op_lfs_w); H(op_lfs_d); H(op_lgs_w); H(op_lgs_d);

/* ops_stack.c */
H(op_push_rw); H(op_push_rd); H(op_pop_rw); H(op_pop_rd);
H(op_push_Iw); H(op_push_Id);
H(op_push_Ew); H(op_push_Ed); H(op_pop_Ew); H(op_pop_Ed);
H(op_push_sreg_w); H(op_push_sreg_d); H(op_pop_sreg_w); H(op_pop_sreg_d);
H(op_pusha_w); H(op_pusha_d); H(op_popa_w); H(op_popa_d);
H(op_pushf_w); H(op_pushf_d); H(op_popf_w); H(op_popf_d);
H(op_enter_w); H(op_enter_d); H(op_leave_w); H(op_leave_d);

/* ops_flow.c */
H(op_jcc_0); H(op_jcc_1); H(op_jcc_2); H(op_jcc_3); H(op_jcc_4); H(op_jcc_5); H(op_jcc_6); H(op_jcc_7);
H(op_jcc_8); H(op_jcc_9); H(op_jcc_A); H(op_jcc_B); H(op_jcc_C); H(op_jcc_D); H(op_jcc_E); H(op_jcc_F);
H(op_jmp_rel); H(op_call_rel); H(op_ret); H(op_ret_Iw);
H(op_jmp_Ew); H(op_jmp_Ed); H(op_call_Ew); H(op_call_Ed);
H(op_loop); H(op_loope); H(op_loopne); H(op_jcxz);
H(op_int3); H(op_int_Ib); H(op_into); H(op_int1);
H(op_bound_w); H(op_bound_d);

/* ops_far.c */
H(op_jmpf_Ap); H(op_callf_Ap); H(op_jmpf_Ep); H(op_callf_Ep);
H(op_retf); H(op_retf_Iw); H(op_iret);

/* ops_string.c */
H(op_movsb); H(op_movsw); H(op_movsd); H(op_cmpsb); H(op_cmpsw); H(op_cmpsd);
H(op_stosb); H(op_stosw); H(op_stosd); H(op_lodsb); H(op_lodsw); H(op_lodsd);
H(op_scasb); H(op_scasw); H(op_scasd);
H(op_insb); H(op_insw); H(op_insd); H(op_outsb); H(op_outsw); H(op_outsd);

/* ops_io.c */
H(op_in_ALIb); H(op_in_AXIb); H(op_in_EAXIb); H(op_out_IbAL); H(op_out_IbAX); H(op_out_IbEAX);
H(op_in_ALDX); H(op_in_AXDX); H(op_in_EAXDX); H(op_out_DXAL); H(op_out_DXAX); H(op_out_DXEAX);

/* ops_bcd.c */
H(op_daa); H(op_das); H(op_aaa); H(op_aas); H(op_aam); H(op_aad);

/* ops_system.c */
H(op_hlt); H(op_cli); H(op_sti); H(op_cmc); H(op_clc); H(op_stc); H(op_cld); H(op_std);
H(op_cpuid); H(op_rdtsc); H(op_rdmsr); H(op_wrmsr);
H(op_mov_RdCd); H(op_mov_CdRd); H(op_mov_RdDd); H(op_mov_DdRd);
H(op_clts); H(op_invd); H(op_wbinvd); H(op_invlpg);
H(op_lgdt); H(op_lidt); H(op_sgdt); H(op_sidt);
H(op_lldt); H(op_ltr); H(op_sldt); H(op_str);
H(op_lmsw); H(op_smsw);
H(op_lar_w); H(op_lar_d); H(op_lsl_w); H(op_lsl_d); H(op_verr); H(op_verw); H(op_arpl);
H(op_ud); H(op_nop_Ev);

/* ops_fpu.c, ops_fpu_ctl.c: the x87 (tables in cpu/fpu_tab.c) */
H(op_fpu_arith_m); H(op_fpu_arith_r); H(op_fpu_com_r); H(op_fpu_comi); H(op_fpu_load_m);
H(op_fpu_store_m); H(op_fld_sti); H(op_fst_sti); H(op_fxch); H(op_fcmov); H(op_ffree);
H(op_fpu_misc); H(op_fld_const); H(op_fpu_st0); H(op_fxtract);
H(op_fninit); H(op_fnclex); H(op_fpu_legacy); H(op_fldcw); H(op_fnstcw); H(op_fnstsw_ax);
H(op_fnstenv); H(op_fldenv); H(op_fnsave); H(op_frstor); H(op_wait); H(op_fpu_trig); H(op_fpu_trans);

/* Register-only variants of hot r/m handlers (mod == 3), chosen at decode */
#define ALU_REG_PROTOS(n) H(op_##n##_EdGd_r); H(op_##n##_GdEd_r); H(op_##n##_EdId_r); H(op_##n##_EbGb_r)
ALU_REG_PROTOS(add); ALU_REG_PROTOS(or); ALU_REG_PROTOS(adc); ALU_REG_PROTOS(sbb);
ALU_REG_PROTOS(and); ALU_REG_PROTOS(sub); ALU_REG_PROTOS(xor); ALU_REG_PROTOS(cmp);
H(op_test_EdGd_r);
H(op_mov_EdGd_r); H(op_mov_EdGd_bd); H(op_mov_GdEd_bd); H(op_mov_EdGd_bis); H(op_mov_GdEd_bis); H(op_mov_GdEd_r); H(op_mov_EbGb_r); H(op_mov_GbEb_r);
H(op_movzx_GdEb_r); H(op_movzx_GdEw_r);
H(op_movzx_GdEb_bd); H(op_movzx_GdEb_bis); H(op_mov_EbGb_bd); H(op_mov_EbGb_bis);

#undef H

#endif
