/* Base cycle cost of every instruction, beside the opcode tables.
 *
 * Source: Intel i486 Microprocessor Programmer's Reference Manual (1990),
 * appendix "Instruction Format and Timing" (clock counts with cache hits),
 * protected-mode column. The P5/P6 additions that the i486 lacks (CPUID,
 * RDTSC, RDMSR/WRMSR, CMPXCHG8B) come from the Pentium Processor Family
 * Developer's Manual vol. 3 ch. 25; CMOVcc (P6 only) is costed as the MOV
 * it resembles.
 *
 * Rules, so a run is deterministic:
 *  - Two columns: register form and memory form of the ModRM operand.
 *  - Where the manual gives a range that depends on operand values
 *    (MUL/IMUL early-out, BSF/BSR scan, RCL/RCR), the minimum is charged.
 *  - Handlers add what the manual adds per case: taken branches (+2 for
 *    Jcc, LOOP +1..3, JCXZ +3), each REP iteration, ENTER nesting levels,
 *    CPL > IOPL on I/O (+20), MOV to CR0 (+13), INTO taken, and interrupt
 *    and exception delivery (cpu/except.c).
 *  - The MMU charges its own cost for every access and walk (mmu/).
 *  - The x87 instructions take theirs from the same manual's floating-point
 *    table, beside their opcode maps in cpu/fpu_tab.c. */
#include "cpu/decode.h"
#include "cpu/fpu_impl.h"

struct cyc { uint8_t r, m; };

#define C1(x) { x, x }

static const struct cyc cyc_1b[256] = {
    /* 00 ADD */ {1, 3}, {1, 3}, {1, 2}, {1, 2}, C1(1), C1(1),
    /* 06 PUSH ES */ C1(3), /* 07 POP ES */ C1(9),
    /* 08 OR */ {1, 3}, {1, 3}, {1, 2}, {1, 2}, C1(1), C1(1),
    /* 0E PUSH CS */ C1(3), /* 0F */ C1(1),
    /* 10 ADC */ {1, 3}, {1, 3}, {1, 2}, {1, 2}, C1(1), C1(1),
    /* 16 PUSH SS */ C1(3), /* 17 POP SS */ C1(9),
    /* 18 SBB */ {1, 3}, {1, 3}, {1, 2}, {1, 2}, C1(1), C1(1),
    /* 1E PUSH DS */ C1(3), /* 1F POP DS */ C1(9),
    /* 20 AND */ {1, 3}, {1, 3}, {1, 2}, {1, 2}, C1(1), C1(1),
    /* 26 */ C1(1), /* 27 DAA */ C1(2),
    /* 28 SUB */ {1, 3}, {1, 3}, {1, 2}, {1, 2}, C1(1), C1(1),
    /* 2E */ C1(1), /* 2F DAS */ C1(2),
    /* 30 XOR */ {1, 3}, {1, 3}, {1, 2}, {1, 2}, C1(1), C1(1),
    /* 36 */ C1(1), /* 37 AAA */ C1(3),
    /* 38 CMP */ {1, 2}, {1, 2}, {1, 2}, {1, 2}, C1(1), C1(1),
    /* 3E */ C1(1), /* 3F AAS */ C1(3),
    /* 40 INC r */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 48 DEC r */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 50 PUSH r */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 58 POP r */ C1(4), C1(4), C1(4), C1(4), C1(4), C1(4), C1(4), C1(4),
    /* 60 PUSHA */ C1(11), /* 61 POPA */ C1(9), /* 62 BOUND */ C1(7), /* 63 ARPL */ C1(9),
    /* 64-67 */ C1(1), C1(1), C1(1), C1(1),
    /* 68 PUSH Iv */ C1(1), /* 69 IMUL Gv,Ev,Iv */ C1(13), /* 6A PUSH Ib */ C1(1),
    /* 6B IMUL Gv,Ev,Ib */ C1(13),
    /* 6C INS */ C1(10), C1(10), /* 6E OUTS */ C1(10), C1(10),
    /* 70 Jcc (not taken) */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 78 */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 80-83 grp1: see cyc_grp */ C1(1), C1(1), C1(1), C1(1),
    /* 84 TEST */ {1, 2}, {1, 2}, /* 86 XCHG */ {3, 5}, {3, 5},
    /* 88 MOV */ C1(1), C1(1), C1(1), C1(1),
    /* 8C MOV Ew,Sw */ C1(3), /* 8D LEA */ C1(1), /* 8E MOV Sw,Ew */ {9, 10}, /* 8F grp1a */ C1(1),
    /* 90 NOP */ C1(1),
    /* 91 XCHG eAX,r */ C1(3), C1(3), C1(3), C1(3), C1(3), C1(3), C1(3),
    /* 98 CBW */ C1(3), /* 99 CWD */ C1(3), /* 9A CALLF */ C1(20), /* 9B WAIT */ C1(1),
    /* 9C PUSHF */ C1(4), /* 9D POPF */ C1(6), /* 9E SAHF */ C1(2), /* 9F LAHF */ C1(3),
    /* A0 MOV moffs */ C1(1), C1(1), C1(1), C1(1),
    /* A4 MOVS */ C1(7), C1(7), /* A6 CMPS */ C1(8), C1(8),
    /* A8 TEST */ C1(1), C1(1), /* AA STOS */ C1(5), C1(5),
    /* AC LODS */ C1(5), C1(5), /* AE SCAS */ C1(6), C1(6),
    /* B0 MOV r,I */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* B8 */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* C0 grp2 */ C1(2), C1(2), /* C2 RET Iw */ C1(5), /* C3 RET */ C1(5),
    /* C4 LES */ C1(12), /* C5 LDS */ C1(12), /* C6 MOV E,I */ C1(1), C1(1),
    /* C8 ENTER */ C1(14), /* C9 LEAVE */ C1(5), /* CA RETF Iw */ C1(17), /* CB RETF */ C1(13),
    /* CC INT3 */ C1(44), /* CD INT */ C1(44), /* CE INTO */ C1(3), /* CF IRET */ C1(15),
    /* D0 grp2 */ {3, 4}, {3, 4}, {3, 4}, {3, 4},
    /* D4 AAM */ C1(15), /* D5 AAD */ C1(14), /* D6 SALC */ C1(2), /* D7 XLAT */ C1(4),
    /* D8 ESC: cpu/fpu_tab.c */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* E0 LOOPNE */ C1(6), /* E1 LOOPE */ C1(6), /* E2 LOOP */ C1(6), /* E3 JCXZ */ C1(5),
    /* E4 IN Ib */ C1(9), C1(9), /* E6 OUT Ib */ C1(11), C1(11),
    /* E8 CALL */ C1(3), /* E9 JMP */ C1(3), /* EA JMPF */ C1(18), /* EB JMP */ C1(3),
    /* EC IN DX */ C1(8), C1(8), /* EE OUT DX */ C1(10), C1(10),
    /* F0 */ C1(1), /* F1 INT1 */ C1(44), /* F2 */ C1(1), /* F3 */ C1(1),
    /* F4 HLT */ C1(4), /* F5 CMC */ C1(2), /* F6 grp3 */ C1(1), C1(1),
    /* F8 CLC */ C1(2), /* F9 STC */ C1(2), /* FA CLI */ C1(5), /* FB STI */ C1(5),
    /* FC CLD */ C1(2), /* FD STD */ C1(2), /* FE grp4 */ C1(1), /* FF grp5 */ C1(1),
};

static const struct cyc cyc_0f[256] = {
    /* 0F 00 grp6 */ C1(2), /* 0F 01 grp7 */ C1(10), /* 0F 02 LAR */ C1(11), /* 0F 03 LSL */ C1(10),
    /* 0F 04 */ C1(1), C1(1), /* 0F 06 CLTS */ C1(7), C1(1),
    /* 0F 08 INVD */ C1(4), /* 0F 09 WBINVD */ C1(5), C1(1), /* 0F 0B UD2 */ C1(1),
    C1(1), C1(1), C1(1), C1(1),
    /* 0F 10 */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 0F 18 NOP Ev */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 0F 20 MOV r,CR */ C1(4), /* 0F 21 MOV r,DR */ C1(9), /* 0F 22 MOV CR,r */ C1(4),
    /* 0F 23 MOV DR,r */ C1(10),
    C1(1), C1(1), C1(1), C1(1),
    /* 0F 28 */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 0F 30 WRMSR */ C1(30), /* 0F 31 RDTSC */ C1(20), /* 0F 32 RDMSR */ C1(20), C1(1),
    C1(1), C1(1), C1(1), C1(1),
    /* 0F 38 */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 0F 40 CMOVcc */ {1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2},
    /* 0F 48 */ {1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2},
    /* 0F 50-7F: not modelled */
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 0F 80 Jcc (not taken) */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 0F 88 */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 0F 90 SETcc */ {3, 4}, {3, 4}, {3, 4}, {3, 4}, {3, 4}, {3, 4}, {3, 4}, {3, 4},
    /* 0F 98 */ {3, 4}, {3, 4}, {3, 4}, {3, 4}, {3, 4}, {3, 4}, {3, 4}, {3, 4},
    /* 0F A0 PUSH FS */ C1(3), /* 0F A1 POP FS */ C1(9), /* 0F A2 CPUID */ C1(14),
    /* 0F A3 BT */ {3, 8}, /* 0F A4 SHLD Ib */ {2, 3}, /* 0F A5 SHLD CL */ {3, 4}, C1(1), C1(1),
    /* 0F A8 PUSH GS */ C1(3), /* 0F A9 POP GS */ C1(9), C1(1), /* 0F AB BTS */ {6, 13},
    /* 0F AC SHRD Ib */ {2, 3}, /* 0F AD SHRD CL */ {3, 4}, C1(1), /* 0F AF IMUL */ C1(13),
    /* 0F B0 CMPXCHG */ {6, 7}, {6, 7}, /* 0F B2 LSS */ C1(12), /* 0F B3 BTR */ {6, 13},
    /* 0F B4 LFS */ C1(12), /* 0F B5 LGS */ C1(12), /* 0F B6 MOVZX */ C1(3), C1(3),
    C1(1), C1(1), /* 0F BA grp8 */ C1(3), /* 0F BB BTC */ {6, 13},
    /* 0F BC BSF */ {6, 7}, /* 0F BD BSR */ {6, 7}, /* 0F BE MOVSX */ C1(3), C1(3),
    /* 0F C0 XADD */ {3, 4}, {3, 4}, C1(1), C1(1), C1(1), C1(1), C1(1), /* 0F C7 grp9 */ C1(10),
    /* 0F C8 BSWAP */ C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    /* 0F D0-FF: not modelled */
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
    C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1),
};

/* Groups, by ModRM reg. Shift rows are for an immediate count; the
 * by-1 and by-CL forms are priced in cycles_of. */
static const struct cyc cyc_grp[G_COUNT][8] = {
    [G_1B] = { {1, 3}, {1, 3}, {1, 3}, {1, 3}, {1, 3}, {1, 3}, {1, 3}, {1, 2} },
    [G_1V] = { {1, 3}, {1, 3}, {1, 3}, {1, 3}, {1, 3}, {1, 3}, {1, 3}, {1, 2} },
    [G_1A] = { {4, 6}, C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1) },         /* POP Ev */
    /* ROL ROR RCL RCR SHL SHR SAL SAR, count imm8 */
    [G_2B] = { {2, 4}, {2, 4}, {8, 9}, {8, 9}, {2, 4}, {2, 4}, {2, 4}, {2, 4} },
    [G_2V] = { {2, 4}, {2, 4}, {8, 9}, {8, 9}, {2, 4}, {2, 4}, {2, 4}, {2, 4} },
    [G_2BCL] = { {3, 4}, {3, 4}, {8, 9}, {8, 9}, {3, 4}, {3, 4}, {3, 4}, {3, 4} },
    [G_2VCL] = { {3, 4}, {3, 4}, {8, 9}, {8, 9}, {3, 4}, {3, 4}, {3, 4}, {3, 4} },
    /* TEST TEST NOT NEG MUL IMUL DIV IDIV (dword; word DIV/IDIV in cycles_of) */
    [G_3B] = { {1, 2}, {1, 2}, {1, 3}, {1, 3}, {13, 13}, {13, 13}, {16, 16}, {19, 20} },
    [G_3V] = { {1, 2}, {1, 2}, {1, 3}, {1, 3}, {13, 13}, {12, 12}, {40, 40}, {43, 44} },
    [G_4]  = { {1, 3}, {1, 3}, C1(1), C1(1), C1(1), C1(1), C1(1), C1(1) },
    /* INC DEC CALL CALLF JMP JMPF PUSH */
    [G_5]  = { {1, 3}, {1, 3}, {5, 5}, {20, 20}, {5, 5}, {18, 18}, {4, 4}, C1(1) },
    [G_11B] = { C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1) },
    [G_11V] = { C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1) },
    /* SLDT STR LLDT LTR VERR VERW */
    [G_6]  = { {2, 3}, {2, 3}, {11, 11}, {20, 20}, {11, 11}, {11, 11}, C1(1), C1(1) },
    /* SGDT SIDT LGDT LIDT SMSW - LMSW INVLPG */
    [G_7]  = { {10, 10}, {10, 10}, {11, 11}, {11, 11}, {2, 3}, C1(1), {13, 13}, {12, 12} },
    /* - - - - BT BTS BTR BTC with imm8 */
    [G_8]  = { C1(1), C1(1), C1(1), C1(1), {3, 3}, {6, 8}, {6, 8}, {6, 8} },
    [G_9]  = { C1(1), {10, 10}, C1(1), C1(1), C1(1), C1(1), C1(1), C1(1) },       /* CMPXCHG8B */
    [G_15] = { C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1), C1(1) },
};

unsigned cycles_of(const struct insn *i, unsigned map, unsigned opcode, unsigned greg)
{
    const struct opdesc *d = map ? &optab_0f[opcode] : &optab_1b[opcode];
    bool mem = (i->flags & I_MEM) != 0;
    if (map == 0 && (opcode & 0xF8) == 0xD8)   /* x87: beside its table */
        return mem ? x87_mem[(opcode & 7) << 3 | greg].cycles : x87_reg[(opcode & 7) << 6 | (i->imm2 & 0x3F)].cycles;
    struct cyc c;
    if (d->group) {
        c = cyc_grp[d->group][greg];
        if (map == 0 && (opcode == 0xD0 || opcode == 0xD1))
            c = (struct cyc){ 3, 4 };       /* every shift and rotate by 1 */
        if (d->group == G_3V && (i->flags & I_O16)) {
            if (greg == 6) c = (struct cyc){ 24, 24 };  /* DIV r/m16 */
            if (greg == 7) c = (struct cyc){ 27, 28 };  /* IDIV r/m16 */
        }
    } else {
        c = map ? cyc_0f[opcode] : cyc_1b[opcode];
    }
    return mem ? c.m : c.r;
}
