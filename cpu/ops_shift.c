/* Shifts and rotates (group 2: ROL ROR RCL RCR SHL SHR SAL SAR) and the
 * double shifts SHLD/SHRD. Intel SDM vol. 2 "SAL/SAR/SHL/SHR", "RCL/RCR/
 * ROL/ROR", "SHLD", "SHRD".
 *
 * The count is masked to 5 bits; RCL/RCR of bytes and words rotate through
 * 9 and 17 bits. Flags the SDM leaves undefined follow Bochs (cpu/shift*.cc,
 * which models P6 hardware): OF is computed for every count (SHL/RCL: CF xor
 * the result's MSB; SHR/RCR/ROR: the XOR of the two top result bits; SAR:
 * 0), AF is cleared by SHL/SHR/SAR/SHLD/SHRD, a zero count changes nothing,
 * and an 8/16-bit ROL/ROR whose count is a non-zero multiple of the width
 * still sets CF and OF. A memory operand is always read for write (one
 * write-kind translation), even when the masked count is zero. */
#include "cpu/ops.h"

enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR };

/* Returns the result; *WR says whether the destination is written. */
HOT_INLINE uint32_t shift(struct machine *m, unsigned op, unsigned sz, uint32_t a, unsigned cnt, bool *wr)
{
    const unsigned bits = sz * 8, sb = bits - 1;
    const uint32_t mask = szmask(sz);
    uint32_t r, cf, of;
    *wr = false;
    if (cnt == 0)
        return a;
    switch (op) {
    case SH_ROL:
    case SH_ROR: {
        unsigned c = cnt & sb;
        r = a;
        if (c) {
            r = op == SH_ROL ? ((a << c) | (a >> (bits - c))) & mask
                             : ((a >> c) | (a << (bits - c))) & mask;
            *wr = true;
        }
        if (op == SH_ROL) {
            cf = r & 1;
            of = cf ^ (r >> sb);
        } else {
            cf = r >> sb;
            of = cf ^ ((r >> (sb - 1)) & 1);
        }
        flags_set_cf_of(m, cf, of);
        return r;
    }
    case SH_RCL:
    case SH_RCR: {
        unsigned c = sz == 4 ? cnt : cnt % (bits + 1);
        if (c == 0)
            return a;
        uint64_t v = ((uint64_t)lf_cf(&m->cpu) << bits) | a;
        uint64_t wmask = (2ull << bits) - 1, rot;
        if (op == SH_RCL)
            rot = ((v << c) | (v >> (bits + 1 - c))) & wmask;
        else
            rot = ((v >> c) | (v << (bits + 1 - c))) & wmask;
        r = (uint32_t)rot & mask;
        cf = (uint32_t)(rot >> bits) & 1;
        of = op == SH_RCL ? cf ^ (r >> sb) : (r >> sb) ^ ((r >> (sb - 1)) & 1);
        flags_set_cf_of(m, cf, of);
        *wr = true;
        return r;
    }
    case SH_SHL:
    case SH_SAL:
        if (cnt <= bits) {
            r = (a << cnt) & mask;
            cf = (a >> (bits - cnt)) & 1;
            of = cf ^ (r >> sb);
        } else {
            r = cf = of = 0;
        }
        break;
    case SH_SHR:
        r = a >> cnt;
        cf = (a >> (cnt - 1)) & 1;
        of = ((r >> sb) ^ (r >> (sb - 1))) & 1;
        break;
    default: { /* SAR */
        int32_t s = (int32_t)(a << (32 - bits)) >> (32 - bits);
        r = (uint32_t)(s >> cnt) & mask;
        cf = (uint32_t)(s >> (cnt - 1)) & 1;
        of = 0;
        break;
    }
    }
    lf_result(m, sz, r, (cf ? EFLAGS_CF : 0) | (of ? EFLAGS_OF : 0));
    *wr = true;
    return r;
}

HOT_INLINE void shift_E(struct machine *m, const struct insn *i, unsigned op, unsigned sz, unsigned cnt)
{
    bool wr;
    cnt &= 0x1F;
    if (i->flags & I_MEM) {
        struct rmw w;
        uint32_t a = rmw_read(m, i->seg, insn_ea(m, i), sz, &w);
        uint32_t r = shift(m, op, sz, a, cnt, &wr);
        if (wr)
            rmw_write(m, &w, r);
    } else {
        uint32_t r = shift(m, op, sz, getreg(m, i->rm, sz), cnt, &wr);
        if (wr)
            setreg(m, i->rm, sz, r);
    }
}

#define SHIFT_HANDLERS(n, OP) \
    void op_##n##_Eb(struct machine *m, const struct insn *i) { shift_E(m, i, OP, 1, i->imm); } \
    void op_##n##_Ew(struct machine *m, const struct insn *i) { shift_E(m, i, OP, 2, i->imm); } \
    void op_##n##_Ed(struct machine *m, const struct insn *i) { shift_E(m, i, OP, 4, i->imm); } \
    void op_##n##_EbCL(struct machine *m, const struct insn *i) { shift_E(m, i, OP, 1, reg8(m, R_ECX)); } \
    void op_##n##_EwCL(struct machine *m, const struct insn *i) { shift_E(m, i, OP, 2, reg8(m, R_ECX)); } \
    void op_##n##_EdCL(struct machine *m, const struct insn *i) { shift_E(m, i, OP, 4, reg8(m, R_ECX)); }

SHIFT_HANDLERS(rol, SH_ROL)
SHIFT_HANDLERS(ror, SH_ROR)
SHIFT_HANDLERS(rcl, SH_RCL)
SHIFT_HANDLERS(rcr, SH_RCR)
SHIFT_HANDLERS(shl, SH_SHL)
SHIFT_HANDLERS(shr, SH_SHR)
SHIFT_HANDLERS(sar, SH_SAR)

/* ---- SHLD / SHRD ---- */

static inline uint32_t dshift(struct machine *m, bool left, unsigned sz, uint32_t a, uint32_t b, unsigned cnt)
{
    uint32_t r, cf, of;
    if (sz == 4) {
        if (left) {
            r = (a << cnt) | (b >> (32 - cnt));
            cf = (a >> (32 - cnt)) & 1;
            of = cf ^ (r >> 31);
        } else {
            r = (b << (32 - cnt)) | (a >> cnt);
            cf = (a >> (cnt - 1)) & 1;
            of = ((r << 1) ^ r) >> 31;
        }
    } else if (left) {
        /* P6: a count above 16 shifts a:b:a (Bochs shift16.cc) */
        uint32_t t = (a << 16) | b, r32 = t << cnt;
        if (cnt > 16)
            r32 |= a << (cnt - 16);
        r = r32 >> 16;
        cf = (t >> (32 - cnt)) & 1;
        of = cf ^ (r >> 15);
    } else {
        uint32_t t = (b << 16) | a, r32 = t >> cnt;
        if (cnt > 16)
            r32 |= a << (32 - cnt);
        r = r32 & 0xFFFF;
        cf = cnt > 16 ? (b >> (cnt - 17)) & 1 : (a >> (cnt - 1)) & 1;
        of = (((r << 1) ^ r) >> 15) & 1;
    }
    lf_result(m, sz, r, (cf ? EFLAGS_CF : 0) | (of ? EFLAGS_OF : 0));
    return r;
}

static inline void dshift_E(struct machine *m, const struct insn *i, bool left, unsigned sz, unsigned cnt)
{
    uint32_t b = getreg(m, i->reg, sz);
    cnt &= 0x1F;
    if (i->flags & I_MEM) {
        struct rmw w;
        uint32_t a = rmw_read(m, i->seg, insn_ea(m, i), sz, &w);
        if (cnt)
            rmw_write(m, &w, dshift(m, left, sz, a, b, cnt));
    } else if (cnt) {
        setreg(m, i->rm, sz, dshift(m, left, sz, getreg(m, i->rm, sz), b, cnt));
    }
}

void op_shld_EwGwIb(struct machine *m, const struct insn *i) { dshift_E(m, i, true, 2, i->imm); }
void op_shld_EdGdIb(struct machine *m, const struct insn *i) { dshift_E(m, i, true, 4, i->imm); }
void op_shld_EwGwCL(struct machine *m, const struct insn *i) { dshift_E(m, i, true, 2, reg8(m, R_ECX)); }
void op_shld_EdGdCL(struct machine *m, const struct insn *i) { dshift_E(m, i, true, 4, reg8(m, R_ECX)); }
void op_shrd_EwGwIb(struct machine *m, const struct insn *i) { dshift_E(m, i, false, 2, i->imm); }
void op_shrd_EdGdIb(struct machine *m, const struct insn *i) { dshift_E(m, i, false, 4, i->imm); }
void op_shrd_EwGwCL(struct machine *m, const struct insn *i) { dshift_E(m, i, false, 2, reg8(m, R_ECX)); }
void op_shrd_EdGdCL(struct machine *m, const struct insn *i) { dshift_E(m, i, false, 4, reg8(m, R_ECX)); }
