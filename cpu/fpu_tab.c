/* The x87 opcode maps (Intel SDM vol. 2, appendix A.4, tables ):
 * the memory forms by ESC byte and ModRM.reg, the register forms (mod = 3)
 * by ESC byte and the low six ModRM bits, each with its i486 clock count
 * (i486 Programmer's Reference Manual, floating-point instruction timings;
 * the minimum of a range, as cpu/cycles.c does; FCMOVcc and FCOMI, P6
 * only, as the MOV and FCOM they resemble). Every #UD entry says why.
 * Undocumented aliases (FSTP1, FXCH4, FCOM2...) behave as on Intel parts
 * and in Bochs. Generated once by hand-written rows; edit here. */
#include "cpu/fpu_impl.h"
#include "cpu/ops.h"

#define E(f, c) { f, c }

const struct x87desc x87_mem[64] = {
    /* D8 /0 */ E(op_fpu_arith_m, 8),   /* FADD m32real */
    /* D8 /1 */ E(op_fpu_arith_m, 11),  /* FMUL m32real */
    /* D8 /2 */ E(op_fpu_arith_m, 4),   /* FCOM m32real */
    /* D8 /3 */ E(op_fpu_arith_m, 4),   /* FCOMP m32real */
    /* D8 /4 */ E(op_fpu_arith_m, 8),   /* FSUB m32real */
    /* D8 /5 */ E(op_fpu_arith_m, 8),   /* FSUBR m32real */
    /* D8 /6 */ E(op_fpu_arith_m, 73),  /* FDIV m32real */
    /* D8 /7 */ E(op_fpu_arith_m, 73),  /* FDIVR m32real */
    /* D9 /0 */ E(op_fpu_load_m, 3),    /* FLD m32real */
    /* D9 /1 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 /2 */ E(op_fpu_store_m, 7),   /* FST m32real */
    /* D9 /3 */ E(op_fpu_store_m, 7),   /* FSTP m32real */
    /* D9 /4 */ E(op_fldenv, 44),       /* FLDENV m14/28byte */
    /* D9 /5 */ E(op_fldcw, 4),         /* FLDCW m2byte */
    /* D9 /6 */ E(op_fnstenv, 67),      /* FNSTENV m14/28byte */
    /* D9 /7 */ E(op_fnstcw, 3),        /* FNSTCW m2byte */
    /* DA /0 */ E(op_fpu_arith_m, 19),  /* FIADD m32int */
    /* DA /1 */ E(op_fpu_arith_m, 22),  /* FIMUL m32int */
    /* DA /2 */ E(op_fpu_arith_m, 15),  /* FICOM m32int */
    /* DA /3 */ E(op_fpu_arith_m, 15),  /* FICOMP m32int */
    /* DA /4 */ E(op_fpu_arith_m, 19),  /* FISUB m32int */
    /* DA /5 */ E(op_fpu_arith_m, 19),  /* FISUBR m32int */
    /* DA /6 */ E(op_fpu_arith_m, 84),  /* FIDIV m32int */
    /* DA /7 */ E(op_fpu_arith_m, 84),  /* FIDIVR m32int */
    /* DB /0 */ E(op_fpu_load_m, 9),    /* FILD m32int */
    /* DB /1 */ E(op_ud, 1),            /* #UD: FISTTP m32int is SSE3 */
    /* DB /2 */ E(op_fpu_store_m, 28),  /* FIST m32int */
    /* DB /3 */ E(op_fpu_store_m, 28),  /* FISTP m32int */
    /* DB /4 */ E(op_ud, 1),            /* #UD: reserved */
    /* DB /5 */ E(op_fpu_load_m, 6),    /* FLD m80real */
    /* DB /6 */ E(op_ud, 1),            /* #UD: reserved */
    /* DB /7 */ E(op_fpu_store_m, 6),   /* FSTP m80real */
    /* DC /0 */ E(op_fpu_arith_m, 8),   /* FADD m64real */
    /* DC /1 */ E(op_fpu_arith_m, 14),  /* FMUL m64real */
    /* DC /2 */ E(op_fpu_arith_m, 4),   /* FCOM m64real */
    /* DC /3 */ E(op_fpu_arith_m, 4),   /* FCOMP m64real */
    /* DC /4 */ E(op_fpu_arith_m, 8),   /* FSUB m64real */
    /* DC /5 */ E(op_fpu_arith_m, 8),   /* FSUBR m64real */
    /* DC /6 */ E(op_fpu_arith_m, 73),  /* FDIV m64real */
    /* DC /7 */ E(op_fpu_arith_m, 73),  /* FDIVR m64real */
    /* DD /0 */ E(op_fpu_load_m, 3),    /* FLD m64real */
    /* DD /1 */ E(op_ud, 1),            /* #UD: FISTTP m64int is SSE3 */
    /* DD /2 */ E(op_fpu_store_m, 8),   /* FST m64real */
    /* DD /3 */ E(op_fpu_store_m, 8),   /* FSTP m64real */
    /* DD /4 */ E(op_frstor, 131),      /* FRSTOR m94/108byte */
    /* DD /5 */ E(op_ud, 1),            /* #UD: reserved */
    /* DD /6 */ E(op_fnsave, 154),      /* FNSAVE m94/108byte */
    /* DD /7 */ E(op_fnstcw, 3),        /* FNSTSW m2byte */
    /* DE /0 */ E(op_fpu_arith_m, 20),  /* FIADD m16int */
    /* DE /1 */ E(op_fpu_arith_m, 23),  /* FIMUL m16int */
    /* DE /2 */ E(op_fpu_arith_m, 16),  /* FICOM m16int */
    /* DE /3 */ E(op_fpu_arith_m, 16),  /* FICOMP m16int */
    /* DE /4 */ E(op_fpu_arith_m, 20),  /* FISUB m16int */
    /* DE /5 */ E(op_fpu_arith_m, 20),  /* FISUBR m16int */
    /* DE /6 */ E(op_fpu_arith_m, 85),  /* FIDIV m16int */
    /* DE /7 */ E(op_fpu_arith_m, 85),  /* FIDIVR m16int */
    /* DF /0 */ E(op_fpu_load_m, 13),   /* FILD m16int */
    /* DF /1 */ E(op_ud, 1),            /* #UD: FISTTP m16int is SSE3 */
    /* DF /2 */ E(op_fpu_store_m, 29),  /* FIST m16int */
    /* DF /3 */ E(op_fpu_store_m, 29),  /* FISTP m16int */
    /* DF /4 */ E(op_fpu_load_m, 70),   /* FBLD m80bcd */
    /* DF /5 */ E(op_fpu_load_m, 10),   /* FILD m64int */
    /* DF /6 */ E(op_fpu_store_m, 172), /* FBSTP m80bcd */
    /* DF /7 */ E(op_fpu_store_m, 28),  /* FISTP m64int */
};

const struct x87desc x87_reg[512] = {
    /* D8 C0 */ E(op_fpu_arith_r, 8), /* D8 C1 */ E(op_fpu_arith_r, 8), /* D8 C2 */ E(op_fpu_arith_r, 8), /* D8 C3 */ E(op_fpu_arith_r, 8),
    /* D8 C4 */ E(op_fpu_arith_r, 8), /* D8 C5 */ E(op_fpu_arith_r, 8), /* D8 C6 */ E(op_fpu_arith_r, 8), /* D8 C7 */ E(op_fpu_arith_r, 8),  /* FADD ST0,ST(i) */
    /* D8 C8 */ E(op_fpu_arith_r, 16), /* D8 C9 */ E(op_fpu_arith_r, 16), /* D8 CA */ E(op_fpu_arith_r, 16), /* D8 CB */ E(op_fpu_arith_r, 16),
    /* D8 CC */ E(op_fpu_arith_r, 16), /* D8 CD */ E(op_fpu_arith_r, 16), /* D8 CE */ E(op_fpu_arith_r, 16), /* D8 CF */ E(op_fpu_arith_r, 16),  /* FMUL ST0,ST(i) */
    /* D8 D0 */ E(op_fpu_com_r, 4), /* D8 D1 */ E(op_fpu_com_r, 4), /* D8 D2 */ E(op_fpu_com_r, 4), /* D8 D3 */ E(op_fpu_com_r, 4),
    /* D8 D4 */ E(op_fpu_com_r, 4), /* D8 D5 */ E(op_fpu_com_r, 4), /* D8 D6 */ E(op_fpu_com_r, 4), /* D8 D7 */ E(op_fpu_com_r, 4),  /* FCOM ST(i) */
    /* D8 D8 */ E(op_fpu_com_r, 4), /* D8 D9 */ E(op_fpu_com_r, 4), /* D8 DA */ E(op_fpu_com_r, 4), /* D8 DB */ E(op_fpu_com_r, 4),
    /* D8 DC */ E(op_fpu_com_r, 4), /* D8 DD */ E(op_fpu_com_r, 4), /* D8 DE */ E(op_fpu_com_r, 4), /* D8 DF */ E(op_fpu_com_r, 4),  /* FCOMP ST(i) */
    /* D8 E0 */ E(op_fpu_arith_r, 8), /* D8 E1 */ E(op_fpu_arith_r, 8), /* D8 E2 */ E(op_fpu_arith_r, 8), /* D8 E3 */ E(op_fpu_arith_r, 8),
    /* D8 E4 */ E(op_fpu_arith_r, 8), /* D8 E5 */ E(op_fpu_arith_r, 8), /* D8 E6 */ E(op_fpu_arith_r, 8), /* D8 E7 */ E(op_fpu_arith_r, 8),  /* FSUB ST0,ST(i) */
    /* D8 E8 */ E(op_fpu_arith_r, 8), /* D8 E9 */ E(op_fpu_arith_r, 8), /* D8 EA */ E(op_fpu_arith_r, 8), /* D8 EB */ E(op_fpu_arith_r, 8),
    /* D8 EC */ E(op_fpu_arith_r, 8), /* D8 ED */ E(op_fpu_arith_r, 8), /* D8 EE */ E(op_fpu_arith_r, 8), /* D8 EF */ E(op_fpu_arith_r, 8),  /* FSUBR ST0,ST(i) */
    /* D8 F0 */ E(op_fpu_arith_r, 73), /* D8 F1 */ E(op_fpu_arith_r, 73), /* D8 F2 */ E(op_fpu_arith_r, 73), /* D8 F3 */ E(op_fpu_arith_r, 73),
    /* D8 F4 */ E(op_fpu_arith_r, 73), /* D8 F5 */ E(op_fpu_arith_r, 73), /* D8 F6 */ E(op_fpu_arith_r, 73), /* D8 F7 */ E(op_fpu_arith_r, 73),  /* FDIV ST0,ST(i) */
    /* D8 F8 */ E(op_fpu_arith_r, 73), /* D8 F9 */ E(op_fpu_arith_r, 73), /* D8 FA */ E(op_fpu_arith_r, 73), /* D8 FB */ E(op_fpu_arith_r, 73),
    /* D8 FC */ E(op_fpu_arith_r, 73), /* D8 FD */ E(op_fpu_arith_r, 73), /* D8 FE */ E(op_fpu_arith_r, 73), /* D8 FF */ E(op_fpu_arith_r, 73),  /* FDIVR ST0,ST(i) */
    /* D9 C0 */ E(op_fld_sti, 4), /* D9 C1 */ E(op_fld_sti, 4), /* D9 C2 */ E(op_fld_sti, 4), /* D9 C3 */ E(op_fld_sti, 4),
    /* D9 C4 */ E(op_fld_sti, 4), /* D9 C5 */ E(op_fld_sti, 4), /* D9 C6 */ E(op_fld_sti, 4), /* D9 C7 */ E(op_fld_sti, 4),  /* FLD ST(i) */
    /* D9 C8 */ E(op_fxch, 4), /* D9 C9 */ E(op_fxch, 4), /* D9 CA */ E(op_fxch, 4), /* D9 CB */ E(op_fxch, 4),
    /* D9 CC */ E(op_fxch, 4), /* D9 CD */ E(op_fxch, 4), /* D9 CE */ E(op_fxch, 4), /* D9 CF */ E(op_fxch, 4),  /* FXCH ST(i) */
    /* D9 D0 */ E(op_fpu_misc, 3),      /* FNOP */
    /* D9 D1 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 D2 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 D3 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 D4 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 D5 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 D6 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 D7 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 D8 */ E(op_fst_sti, 3), /* D9 D9 */ E(op_fst_sti, 3), /* D9 DA */ E(op_fst_sti, 3), /* D9 DB */ E(op_fst_sti, 3),
    /* D9 DC */ E(op_fst_sti, 3), /* D9 DD */ E(op_fst_sti, 3), /* D9 DE */ E(op_fst_sti, 3), /* D9 DF */ E(op_fst_sti, 3),  /* FSTP1 ST(i): undocumented alias of FSTP ST(i) */
    /* D9 E0 */ E(op_fpu_misc, 6),      /* FCHS */
    /* D9 E1 */ E(op_fpu_misc, 3),      /* FABS */
    /* D9 E2 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 E3 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 E4 */ E(op_fpu_misc, 4),      /* FTST */
    /* D9 E5 */ E(op_fpu_misc, 8),      /* FXAM */
    /* D9 E6 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 E7 */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 E8 */ E(op_fld_const, 4),     /* FLD1 */
    /* D9 E9 */ E(op_fld_const, 8),     /* FLDL2T */
    /* D9 EA */ E(op_fld_const, 8),     /* FLDL2E */
    /* D9 EB */ E(op_fld_const, 8),     /* FLDPI */
    /* D9 EC */ E(op_fld_const, 8),     /* FLDLG2 */
    /* D9 ED */ E(op_fld_const, 8),     /* FLDLN2 */
    /* D9 EE */ E(op_fld_const, 4),     /* FLDZ */
    /* D9 EF */ E(op_ud, 1),            /* #UD: reserved */
    /* D9 F0 */ E(op_fpu_trans, 140),   /* F2XM1 */
    /* D9 F1 */ E(op_fpu_trans, 196),   /* FYL2X */
    /* D9 F2 */ E(op_fpu_trig, 200),    /* FPTAN */
    /* D9 F3 */ E(op_fpu_trans, 218),   /* FPATAN */
    /* D9 F4 */ E(op_fxtract, 16),      /* FXTRACT */
    /* D9 F5 */ E(op_fpu_st0, 72),      /* FPREM1 */
    /* D9 F6 */ E(op_fpu_misc, 3),      /* FDECSTP */
    /* D9 F7 */ E(op_fpu_misc, 3),      /* FINCSTP */
    /* D9 F8 */ E(op_fpu_st0, 70),      /* FPREM */
    /* D9 F9 */ E(op_fpu_trans, 171),   /* FYL2XP1 */
    /* D9 FA */ E(op_fpu_st0, 83),      /* FSQRT */
    /* D9 FB */ E(op_fpu_trig, 243),    /* FSINCOS */
    /* D9 FC */ E(op_fpu_st0, 21),      /* FRNDINT */
    /* D9 FD */ E(op_fpu_st0, 30),      /* FSCALE */
    /* D9 FE */ E(op_fpu_trig, 193),    /* FSIN */
    /* D9 FF */ E(op_fpu_trig, 193),    /* FCOS */
    /* DA C0 */ E(op_fcmov, 2), /* DA C1 */ E(op_fcmov, 2), /* DA C2 */ E(op_fcmov, 2), /* DA C3 */ E(op_fcmov, 2),
    /* DA C4 */ E(op_fcmov, 2), /* DA C5 */ E(op_fcmov, 2), /* DA C6 */ E(op_fcmov, 2), /* DA C7 */ E(op_fcmov, 2),  /* FCMOVB ST0,ST(i) */
    /* DA C8 */ E(op_fcmov, 2), /* DA C9 */ E(op_fcmov, 2), /* DA CA */ E(op_fcmov, 2), /* DA CB */ E(op_fcmov, 2),
    /* DA CC */ E(op_fcmov, 2), /* DA CD */ E(op_fcmov, 2), /* DA CE */ E(op_fcmov, 2), /* DA CF */ E(op_fcmov, 2),  /* FCMOVE ST0,ST(i) */
    /* DA D0 */ E(op_fcmov, 2), /* DA D1 */ E(op_fcmov, 2), /* DA D2 */ E(op_fcmov, 2), /* DA D3 */ E(op_fcmov, 2),
    /* DA D4 */ E(op_fcmov, 2), /* DA D5 */ E(op_fcmov, 2), /* DA D6 */ E(op_fcmov, 2), /* DA D7 */ E(op_fcmov, 2),  /* FCMOVBE ST0,ST(i) */
    /* DA D8 */ E(op_fcmov, 2), /* DA D9 */ E(op_fcmov, 2), /* DA DA */ E(op_fcmov, 2), /* DA DB */ E(op_fcmov, 2),
    /* DA DC */ E(op_fcmov, 2), /* DA DD */ E(op_fcmov, 2), /* DA DE */ E(op_fcmov, 2), /* DA DF */ E(op_fcmov, 2),  /* FCMOVU ST0,ST(i) */
    /* DA E0 */ E(op_ud, 1), /* DA E1 */ E(op_ud, 1), /* DA E2 */ E(op_ud, 1), /* DA E3 */ E(op_ud, 1),
    /* DA E4 */ E(op_ud, 1), /* DA E5 */ E(op_ud, 1), /* DA E6 */ E(op_ud, 1), /* DA E7 */ E(op_ud, 1),  /* #UD: reserved */
    /* DA E8 */ E(op_ud, 1),            /* #UD: reserved */
    /* DA E9 */ E(op_fpu_com_r, 5),     /* FUCOMPP */
    /* DA EA */ E(op_ud, 1),            /* #UD: reserved */
    /* DA EB */ E(op_ud, 1),            /* #UD: reserved */
    /* DA EC */ E(op_ud, 1),            /* #UD: reserved */
    /* DA ED */ E(op_ud, 1),            /* #UD: reserved */
    /* DA EE */ E(op_ud, 1),            /* #UD: reserved */
    /* DA EF */ E(op_ud, 1),            /* #UD: reserved */
    /* DA F0 */ E(op_ud, 1), /* DA F1 */ E(op_ud, 1), /* DA F2 */ E(op_ud, 1), /* DA F3 */ E(op_ud, 1),
    /* DA F4 */ E(op_ud, 1), /* DA F5 */ E(op_ud, 1), /* DA F6 */ E(op_ud, 1), /* DA F7 */ E(op_ud, 1),  /* #UD: reserved */
    /* DA F8 */ E(op_ud, 1), /* DA F9 */ E(op_ud, 1), /* DA FA */ E(op_ud, 1), /* DA FB */ E(op_ud, 1),
    /* DA FC */ E(op_ud, 1), /* DA FD */ E(op_ud, 1), /* DA FE */ E(op_ud, 1), /* DA FF */ E(op_ud, 1),  /* #UD: reserved */
    /* DB C0 */ E(op_fcmov, 2), /* DB C1 */ E(op_fcmov, 2), /* DB C2 */ E(op_fcmov, 2), /* DB C3 */ E(op_fcmov, 2),
    /* DB C4 */ E(op_fcmov, 2), /* DB C5 */ E(op_fcmov, 2), /* DB C6 */ E(op_fcmov, 2), /* DB C7 */ E(op_fcmov, 2),  /* FCMOVNB ST0,ST(i) */
    /* DB C8 */ E(op_fcmov, 2), /* DB C9 */ E(op_fcmov, 2), /* DB CA */ E(op_fcmov, 2), /* DB CB */ E(op_fcmov, 2),
    /* DB CC */ E(op_fcmov, 2), /* DB CD */ E(op_fcmov, 2), /* DB CE */ E(op_fcmov, 2), /* DB CF */ E(op_fcmov, 2),  /* FCMOVNE ST0,ST(i) */
    /* DB D0 */ E(op_fcmov, 2), /* DB D1 */ E(op_fcmov, 2), /* DB D2 */ E(op_fcmov, 2), /* DB D3 */ E(op_fcmov, 2),
    /* DB D4 */ E(op_fcmov, 2), /* DB D5 */ E(op_fcmov, 2), /* DB D6 */ E(op_fcmov, 2), /* DB D7 */ E(op_fcmov, 2),  /* FCMOVNBE ST0,ST(i) */
    /* DB D8 */ E(op_fcmov, 2), /* DB D9 */ E(op_fcmov, 2), /* DB DA */ E(op_fcmov, 2), /* DB DB */ E(op_fcmov, 2),
    /* DB DC */ E(op_fcmov, 2), /* DB DD */ E(op_fcmov, 2), /* DB DE */ E(op_fcmov, 2), /* DB DF */ E(op_fcmov, 2),  /* FCMOVNU ST0,ST(i) */
    /* DB E0 */ E(op_fpu_legacy, 3),    /* FENI: a no-op since the 387 */
    /* DB E1 */ E(op_fpu_legacy, 3),    /* FDISI: a no-op since the 387 */
    /* DB E2 */ E(op_fnclex, 7),        /* FNCLEX */
    /* DB E3 */ E(op_fninit, 17),       /* FNINIT */
    /* DB E4 */ E(op_fpu_legacy, 3),    /* FSETPM: a no-op since the 387 */
    /* DB E5 */ E(op_ud, 1),            /* #UD: reserved */
    /* DB E6 */ E(op_ud, 1),            /* #UD: reserved */
    /* DB E7 */ E(op_ud, 1),            /* #UD: reserved */
    /* DB E8 */ E(op_fpu_comi, 4), /* DB E9 */ E(op_fpu_comi, 4), /* DB EA */ E(op_fpu_comi, 4), /* DB EB */ E(op_fpu_comi, 4),
    /* DB EC */ E(op_fpu_comi, 4), /* DB ED */ E(op_fpu_comi, 4), /* DB EE */ E(op_fpu_comi, 4), /* DB EF */ E(op_fpu_comi, 4),  /* FUCOMI ST0,ST(i) */
    /* DB F0 */ E(op_fpu_comi, 4), /* DB F1 */ E(op_fpu_comi, 4), /* DB F2 */ E(op_fpu_comi, 4), /* DB F3 */ E(op_fpu_comi, 4),
    /* DB F4 */ E(op_fpu_comi, 4), /* DB F5 */ E(op_fpu_comi, 4), /* DB F6 */ E(op_fpu_comi, 4), /* DB F7 */ E(op_fpu_comi, 4),  /* FCOMI ST0,ST(i) */
    /* DB F8 */ E(op_ud, 1), /* DB F9 */ E(op_ud, 1), /* DB FA */ E(op_ud, 1), /* DB FB */ E(op_ud, 1),
    /* DB FC */ E(op_ud, 1), /* DB FD */ E(op_ud, 1), /* DB FE */ E(op_ud, 1), /* DB FF */ E(op_ud, 1),  /* #UD: reserved */
    /* DC C0 */ E(op_fpu_arith_r, 8), /* DC C1 */ E(op_fpu_arith_r, 8), /* DC C2 */ E(op_fpu_arith_r, 8), /* DC C3 */ E(op_fpu_arith_r, 8),
    /* DC C4 */ E(op_fpu_arith_r, 8), /* DC C5 */ E(op_fpu_arith_r, 8), /* DC C6 */ E(op_fpu_arith_r, 8), /* DC C7 */ E(op_fpu_arith_r, 8),  /* FADD ST(i),ST0 */
    /* DC C8 */ E(op_fpu_arith_r, 16), /* DC C9 */ E(op_fpu_arith_r, 16), /* DC CA */ E(op_fpu_arith_r, 16), /* DC CB */ E(op_fpu_arith_r, 16),
    /* DC CC */ E(op_fpu_arith_r, 16), /* DC CD */ E(op_fpu_arith_r, 16), /* DC CE */ E(op_fpu_arith_r, 16), /* DC CF */ E(op_fpu_arith_r, 16),  /* FMUL ST(i),ST0 */
    /* DC D0 */ E(op_fpu_com_r, 4), /* DC D1 */ E(op_fpu_com_r, 4), /* DC D2 */ E(op_fpu_com_r, 4), /* DC D3 */ E(op_fpu_com_r, 4),
    /* DC D4 */ E(op_fpu_com_r, 4), /* DC D5 */ E(op_fpu_com_r, 4), /* DC D6 */ E(op_fpu_com_r, 4), /* DC D7 */ E(op_fpu_com_r, 4),  /* FCOM2 ST(i): undocumented alias of FCOM */
    /* DC D8 */ E(op_fpu_com_r, 4), /* DC D9 */ E(op_fpu_com_r, 4), /* DC DA */ E(op_fpu_com_r, 4), /* DC DB */ E(op_fpu_com_r, 4),
    /* DC DC */ E(op_fpu_com_r, 4), /* DC DD */ E(op_fpu_com_r, 4), /* DC DE */ E(op_fpu_com_r, 4), /* DC DF */ E(op_fpu_com_r, 4),  /* FCOMP3 ST(i): undocumented alias of FCOMP */
    /* DC E0 */ E(op_fpu_arith_r, 8), /* DC E1 */ E(op_fpu_arith_r, 8), /* DC E2 */ E(op_fpu_arith_r, 8), /* DC E3 */ E(op_fpu_arith_r, 8),
    /* DC E4 */ E(op_fpu_arith_r, 8), /* DC E5 */ E(op_fpu_arith_r, 8), /* DC E6 */ E(op_fpu_arith_r, 8), /* DC E7 */ E(op_fpu_arith_r, 8),  /* FSUBR ST(i),ST0 */
    /* DC E8 */ E(op_fpu_arith_r, 8), /* DC E9 */ E(op_fpu_arith_r, 8), /* DC EA */ E(op_fpu_arith_r, 8), /* DC EB */ E(op_fpu_arith_r, 8),
    /* DC EC */ E(op_fpu_arith_r, 8), /* DC ED */ E(op_fpu_arith_r, 8), /* DC EE */ E(op_fpu_arith_r, 8), /* DC EF */ E(op_fpu_arith_r, 8),  /* FSUB ST(i),ST0 */
    /* DC F0 */ E(op_fpu_arith_r, 73), /* DC F1 */ E(op_fpu_arith_r, 73), /* DC F2 */ E(op_fpu_arith_r, 73), /* DC F3 */ E(op_fpu_arith_r, 73),
    /* DC F4 */ E(op_fpu_arith_r, 73), /* DC F5 */ E(op_fpu_arith_r, 73), /* DC F6 */ E(op_fpu_arith_r, 73), /* DC F7 */ E(op_fpu_arith_r, 73),  /* FDIVR ST(i),ST0 */
    /* DC F8 */ E(op_fpu_arith_r, 73), /* DC F9 */ E(op_fpu_arith_r, 73), /* DC FA */ E(op_fpu_arith_r, 73), /* DC FB */ E(op_fpu_arith_r, 73),
    /* DC FC */ E(op_fpu_arith_r, 73), /* DC FD */ E(op_fpu_arith_r, 73), /* DC FE */ E(op_fpu_arith_r, 73), /* DC FF */ E(op_fpu_arith_r, 73),  /* FDIV ST(i),ST0 */
    /* DD C0 */ E(op_ffree, 3), /* DD C1 */ E(op_ffree, 3), /* DD C2 */ E(op_ffree, 3), /* DD C3 */ E(op_ffree, 3),
    /* DD C4 */ E(op_ffree, 3), /* DD C5 */ E(op_ffree, 3), /* DD C6 */ E(op_ffree, 3), /* DD C7 */ E(op_ffree, 3),  /* FFREE ST(i) */
    /* DD C8 */ E(op_fxch, 4), /* DD C9 */ E(op_fxch, 4), /* DD CA */ E(op_fxch, 4), /* DD CB */ E(op_fxch, 4),
    /* DD CC */ E(op_fxch, 4), /* DD CD */ E(op_fxch, 4), /* DD CE */ E(op_fxch, 4), /* DD CF */ E(op_fxch, 4),  /* FXCH4 ST(i): undocumented alias of FXCH */
    /* DD D0 */ E(op_fst_sti, 3), /* DD D1 */ E(op_fst_sti, 3), /* DD D2 */ E(op_fst_sti, 3), /* DD D3 */ E(op_fst_sti, 3),
    /* DD D4 */ E(op_fst_sti, 3), /* DD D5 */ E(op_fst_sti, 3), /* DD D6 */ E(op_fst_sti, 3), /* DD D7 */ E(op_fst_sti, 3),  /* FST ST(i) */
    /* DD D8 */ E(op_fst_sti, 3), /* DD D9 */ E(op_fst_sti, 3), /* DD DA */ E(op_fst_sti, 3), /* DD DB */ E(op_fst_sti, 3),
    /* DD DC */ E(op_fst_sti, 3), /* DD DD */ E(op_fst_sti, 3), /* DD DE */ E(op_fst_sti, 3), /* DD DF */ E(op_fst_sti, 3),  /* FSTP ST(i) */
    /* DD E0 */ E(op_fpu_com_r, 4), /* DD E1 */ E(op_fpu_com_r, 4), /* DD E2 */ E(op_fpu_com_r, 4), /* DD E3 */ E(op_fpu_com_r, 4),
    /* DD E4 */ E(op_fpu_com_r, 4), /* DD E5 */ E(op_fpu_com_r, 4), /* DD E6 */ E(op_fpu_com_r, 4), /* DD E7 */ E(op_fpu_com_r, 4),  /* FUCOM ST(i) */
    /* DD E8 */ E(op_fpu_com_r, 4), /* DD E9 */ E(op_fpu_com_r, 4), /* DD EA */ E(op_fpu_com_r, 4), /* DD EB */ E(op_fpu_com_r, 4),
    /* DD EC */ E(op_fpu_com_r, 4), /* DD ED */ E(op_fpu_com_r, 4), /* DD EE */ E(op_fpu_com_r, 4), /* DD EF */ E(op_fpu_com_r, 4),  /* FUCOMP ST(i) */
    /* DD F0 */ E(op_ud, 1), /* DD F1 */ E(op_ud, 1), /* DD F2 */ E(op_ud, 1), /* DD F3 */ E(op_ud, 1),
    /* DD F4 */ E(op_ud, 1), /* DD F5 */ E(op_ud, 1), /* DD F6 */ E(op_ud, 1), /* DD F7 */ E(op_ud, 1),  /* #UD: reserved */
    /* DD F8 */ E(op_ud, 1), /* DD F9 */ E(op_ud, 1), /* DD FA */ E(op_ud, 1), /* DD FB */ E(op_ud, 1),
    /* DD FC */ E(op_ud, 1), /* DD FD */ E(op_ud, 1), /* DD FE */ E(op_ud, 1), /* DD FF */ E(op_ud, 1),  /* #UD: reserved */
    /* DE C0 */ E(op_fpu_arith_r, 8), /* DE C1 */ E(op_fpu_arith_r, 8), /* DE C2 */ E(op_fpu_arith_r, 8), /* DE C3 */ E(op_fpu_arith_r, 8),
    /* DE C4 */ E(op_fpu_arith_r, 8), /* DE C5 */ E(op_fpu_arith_r, 8), /* DE C6 */ E(op_fpu_arith_r, 8), /* DE C7 */ E(op_fpu_arith_r, 8),  /* FADDP ST(i),ST0 */
    /* DE C8 */ E(op_fpu_arith_r, 16), /* DE C9 */ E(op_fpu_arith_r, 16), /* DE CA */ E(op_fpu_arith_r, 16), /* DE CB */ E(op_fpu_arith_r, 16),
    /* DE CC */ E(op_fpu_arith_r, 16), /* DE CD */ E(op_fpu_arith_r, 16), /* DE CE */ E(op_fpu_arith_r, 16), /* DE CF */ E(op_fpu_arith_r, 16),  /* FMULP ST(i),ST0 */
    /* DE D0 */ E(op_fpu_com_r, 4), /* DE D1 */ E(op_fpu_com_r, 4), /* DE D2 */ E(op_fpu_com_r, 4), /* DE D3 */ E(op_fpu_com_r, 4),
    /* DE D4 */ E(op_fpu_com_r, 4), /* DE D5 */ E(op_fpu_com_r, 4), /* DE D6 */ E(op_fpu_com_r, 4), /* DE D7 */ E(op_fpu_com_r, 4),  /* FCOMP5 ST(i): undocumented alias of FCOMP */
    /* DE D8 */ E(op_ud, 1),            /* #UD: reserved */
    /* DE D9 */ E(op_fpu_com_r, 5),     /* FCOMPP */
    /* DE DA */ E(op_ud, 1),            /* #UD: reserved */
    /* DE DB */ E(op_ud, 1),            /* #UD: reserved */
    /* DE DC */ E(op_ud, 1),            /* #UD: reserved */
    /* DE DD */ E(op_ud, 1),            /* #UD: reserved */
    /* DE DE */ E(op_ud, 1),            /* #UD: reserved */
    /* DE DF */ E(op_ud, 1),            /* #UD: reserved */
    /* DE E0 */ E(op_fpu_arith_r, 8), /* DE E1 */ E(op_fpu_arith_r, 8), /* DE E2 */ E(op_fpu_arith_r, 8), /* DE E3 */ E(op_fpu_arith_r, 8),
    /* DE E4 */ E(op_fpu_arith_r, 8), /* DE E5 */ E(op_fpu_arith_r, 8), /* DE E6 */ E(op_fpu_arith_r, 8), /* DE E7 */ E(op_fpu_arith_r, 8),  /* FSUBRP ST(i),ST0 */
    /* DE E8 */ E(op_fpu_arith_r, 8), /* DE E9 */ E(op_fpu_arith_r, 8), /* DE EA */ E(op_fpu_arith_r, 8), /* DE EB */ E(op_fpu_arith_r, 8),
    /* DE EC */ E(op_fpu_arith_r, 8), /* DE ED */ E(op_fpu_arith_r, 8), /* DE EE */ E(op_fpu_arith_r, 8), /* DE EF */ E(op_fpu_arith_r, 8),  /* FSUBP ST(i),ST0 */
    /* DE F0 */ E(op_fpu_arith_r, 73), /* DE F1 */ E(op_fpu_arith_r, 73), /* DE F2 */ E(op_fpu_arith_r, 73), /* DE F3 */ E(op_fpu_arith_r, 73),
    /* DE F4 */ E(op_fpu_arith_r, 73), /* DE F5 */ E(op_fpu_arith_r, 73), /* DE F6 */ E(op_fpu_arith_r, 73), /* DE F7 */ E(op_fpu_arith_r, 73),  /* FDIVRP ST(i),ST0 */
    /* DE F8 */ E(op_fpu_arith_r, 73), /* DE F9 */ E(op_fpu_arith_r, 73), /* DE FA */ E(op_fpu_arith_r, 73), /* DE FB */ E(op_fpu_arith_r, 73),
    /* DE FC */ E(op_fpu_arith_r, 73), /* DE FD */ E(op_fpu_arith_r, 73), /* DE FE */ E(op_fpu_arith_r, 73), /* DE FF */ E(op_fpu_arith_r, 73),  /* FDIVP ST(i),ST0 */
    /* DF C0 */ E(op_ffree, 3), /* DF C1 */ E(op_ffree, 3), /* DF C2 */ E(op_ffree, 3), /* DF C3 */ E(op_ffree, 3),
    /* DF C4 */ E(op_ffree, 3), /* DF C5 */ E(op_ffree, 3), /* DF C6 */ E(op_ffree, 3), /* DF C7 */ E(op_ffree, 3),  /* FFREEP ST(i): undocumented, frees then pops */
    /* DF C8 */ E(op_fxch, 4), /* DF C9 */ E(op_fxch, 4), /* DF CA */ E(op_fxch, 4), /* DF CB */ E(op_fxch, 4),
    /* DF CC */ E(op_fxch, 4), /* DF CD */ E(op_fxch, 4), /* DF CE */ E(op_fxch, 4), /* DF CF */ E(op_fxch, 4),  /* FXCH7 ST(i): undocumented alias of FXCH */
    /* DF D0 */ E(op_fst_sti, 3), /* DF D1 */ E(op_fst_sti, 3), /* DF D2 */ E(op_fst_sti, 3), /* DF D3 */ E(op_fst_sti, 3),
    /* DF D4 */ E(op_fst_sti, 3), /* DF D5 */ E(op_fst_sti, 3), /* DF D6 */ E(op_fst_sti, 3), /* DF D7 */ E(op_fst_sti, 3),  /* FSTP8 ST(i): undocumented alias of FSTP */
    /* DF D8 */ E(op_fst_sti, 3), /* DF D9 */ E(op_fst_sti, 3), /* DF DA */ E(op_fst_sti, 3), /* DF DB */ E(op_fst_sti, 3),
    /* DF DC */ E(op_fst_sti, 3), /* DF DD */ E(op_fst_sti, 3), /* DF DE */ E(op_fst_sti, 3), /* DF DF */ E(op_fst_sti, 3),  /* FSTP9 ST(i): undocumented alias of FSTP */
    /* DF E0 */ E(op_fnstsw_ax, 3),     /* FNSTSW AX */
    /* DF E1 */ E(op_ud, 1),            /* #UD: reserved */
    /* DF E2 */ E(op_ud, 1),            /* #UD: reserved */
    /* DF E3 */ E(op_ud, 1),            /* #UD: reserved */
    /* DF E4 */ E(op_ud, 1),            /* #UD: reserved */
    /* DF E5 */ E(op_ud, 1),            /* #UD: reserved */
    /* DF E6 */ E(op_ud, 1),            /* #UD: reserved */
    /* DF E7 */ E(op_ud, 1),            /* #UD: reserved */
    /* DF E8 */ E(op_fpu_comi, 4), /* DF E9 */ E(op_fpu_comi, 4), /* DF EA */ E(op_fpu_comi, 4), /* DF EB */ E(op_fpu_comi, 4),
    /* DF EC */ E(op_fpu_comi, 4), /* DF ED */ E(op_fpu_comi, 4), /* DF EE */ E(op_fpu_comi, 4), /* DF EF */ E(op_fpu_comi, 4),  /* FUCOMIP ST0,ST(i) */
    /* DF F0 */ E(op_fpu_comi, 4), /* DF F1 */ E(op_fpu_comi, 4), /* DF F2 */ E(op_fpu_comi, 4), /* DF F3 */ E(op_fpu_comi, 4),
    /* DF F4 */ E(op_fpu_comi, 4), /* DF F5 */ E(op_fpu_comi, 4), /* DF F6 */ E(op_fpu_comi, 4), /* DF F7 */ E(op_fpu_comi, 4),  /* FCOMIP ST0,ST(i) */
    /* DF F8 */ E(op_ud, 1), /* DF F9 */ E(op_ud, 1), /* DF FA */ E(op_ud, 1), /* DF FB */ E(op_ud, 1),
    /* DF FC */ E(op_ud, 1), /* DF FD */ E(op_ud, 1), /* DF FE */ E(op_ud, 1), /* DF FF */ E(op_ud, 1),  /* #UD: reserved */
};
