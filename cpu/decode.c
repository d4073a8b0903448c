/* The decoder: prefixes, opcode, ModRM/SIB, displacement and immediates into
 * one struct insn. Intel SDM vol. 2 ch. 2 (instruction format), §2.1.1
 * (prefixes), tables 2-1/2-2/2-3 (16- and 32-bit ModRM and SIB).
 *
 * An instruction longer than 15 bytes is #GP(0) (SDM vol. 2 §2.3.11). LOCK on
 * an instruction or form that cannot take it is #UD (SDM vol. 2 "LOCK"). */
#include "cpu/decode.h"
#include "cpu/fpu_impl.h"
#include "cpu/ops.h"

/* 16-bit addressing: base and index registers per rm, 8 = none. */
static const uint8_t ea16_base[8]  = { R_EBX, R_EBX, R_EBP, R_EBP, 8, 8, R_EBP, R_EBX };
static const uint8_t ea16_index[8] = { R_ESI, R_EDI, R_ESI, R_EDI, R_ESI, R_EDI, 8, 8 };

/* Fetch the next byte or report: 0 = more bytes needed, -2 = past 15. */
#define NEXT(v) do {                        \
        if (n >= 15) return -2;             \
        if (n >= avail) return 0;           \
        (v) = buf[n++];                     \
    } while (0)

static int take(const uint8_t *buf, unsigned avail, unsigned *pn, unsigned bytes, uint32_t *out)
{
    unsigned n = *pn;
    if (n + bytes > 15)
        return -2;
    if (n + bytes > avail)
        return 0;
    uint32_t v = 0;
    for (unsigned k = 0; k < bytes; k++)
        v |= (uint32_t)buf[n + k] << (8 * k);
    *out = v;
    *pn = n + bytes;
    return 1;
}

#define TAKE(bytes, out) do {                               \
        int t_ = take(buf, avail, &n, (bytes), &(out));     \
        if (t_ <= 0) return t_;                             \
    } while (0)

int decode_insn(struct insn *i, const uint8_t *buf, unsigned avail, bool code32)
{
    unsigned n = 0;
    bool o16 = !code32, a16 = !code32;
    uint16_t fl = 0;
    int seg = -1;
    uint8_t b;

    for (;;) {
        NEXT(b);
        switch (b) {
        case 0x26: seg = S_ES; continue;
        case 0x2E: seg = S_CS; continue;
        case 0x36: seg = S_SS; continue;
        case 0x3E: seg = S_DS; continue;
        case 0x64: seg = S_FS; continue;
        case 0x65: seg = S_GS; continue;
        case 0x66: o16 = code32; continue;
        case 0x67: a16 = code32; continue;
        case 0xF0: fl |= I_LOCK; continue;
        case 0xF2: fl = (fl & ~I_REP) | I_REPNE; continue;
        case 0xF3: fl = (fl & ~I_REPNE) | I_REP; continue;
        }
        break;
    }

    const struct opdesc *d;
    unsigned map = 0;
    if (b == 0x0F) {
        map = 1;
        NEXT(b);
        d = &optab_0f[b];
        fl |= I_0F;
    } else {
        d = &optab_1b[b];
    }

    uint16_t dfl = d->flags;
    unsigned immk = D_IMMKIND(dfl);
    insn_fn fn = d->fn[o16 ? 0 : 1];
    unsigned greg = 0;
    uint8_t defseg = S_DS;

    i->op = b;
    i->reg = b & 7;
    i->rm = 0;
    i->base = 8;
    i->index = 8;
    i->scale = 0;
    i->disp = 0;
    i->imm = 0;
    i->imm2 = 0;
    i->sub = b & 0x0F;

    if (dfl & D_M) {
        uint8_t modrm;
        NEXT(modrm);
        unsigned mod = modrm >> 6, reg = (modrm >> 3) & 7, rm = modrm & 7;
        i->reg = (uint8_t)reg;
        greg = reg;
        if (d->group) {
            const struct opdesc *g = &grouptab[d->group][reg];
            fn = g->fn[o16 ? 0 : 1];
            dfl = (uint16_t)((dfl & ~(D_LOCK | D_MEMONLY)) | g->flags);
            if (!immk)
                immk = D_IMMKIND(g->flags);
        }
        if (map == 0 && (b & 0xF8) == 0xD8) {
            /* x87: the handler by ModRM; FOP = (ESC & 7) << 8 | ModRM */
            fn = mod == 3 ? x87_reg[(b & 7) << 6 | (modrm & 0x3F)].fn : x87_mem[(b & 7) << 3 | reg].fn;
            i->imm2 = (uint16_t)((b & 7) << 8 | modrm);
        }
        if (mod == 3 || (dfl & D_MODREG)) {
            i->rm = (uint8_t)rm;
            if (dfl & D_MEMONLY)
                fn = op_ud;
        } else {
            fl |= I_MEM;
            uint32_t disp = 0;
            if (a16) {
                if (mod == 0 && rm == 6) {
                    TAKE(2, disp);
                } else {
                    i->base = ea16_base[rm];
                    i->index = ea16_index[rm];
                    if (rm == 2 || rm == 3 || rm == 6)
                        defseg = S_SS;
                    if (mod == 1) {
                        TAKE(1, disp);
                        disp = (uint32_t)(int8_t)disp;
                    } else if (mod == 2) {
                        TAKE(2, disp);
                    }
                }
            } else {
                unsigned base = rm;
                if (rm == 4) {
                    uint8_t sib;
                    NEXT(sib);
                    unsigned ss = sib >> 6, idx = (sib >> 3) & 7;
                    base = sib & 7;
                    if (idx != 4) {
                        i->index = (uint8_t)idx;
                        i->scale = (uint8_t)ss;
                    }
                    if (base == 5 && mod == 0) {
                        TAKE(4, disp);
                        base = 8;
                    }
                } else if (rm == 5 && mod == 0) {
                    TAKE(4, disp);
                    base = 8;
                }
                if (base != 8) {
                    i->base = (uint8_t)base;
                    if (base == R_ESP || base == R_EBP)
                        defseg = S_SS;
                }
                if (mod == 1) {
                    TAKE(1, disp);
                    disp = (uint32_t)(int8_t)disp;
                } else if (mod == 2) {
                    TAKE(4, disp);
                }
            }
            i->disp = disp;
        }
    }

    uint32_t v = 0;
    switch (immk) {
    case DI_NONE:
        break;
    case DI_B:
        TAKE(1, v);
        i->imm = v;
        break;
    case DI_BS:
    case DI_JB:
        TAKE(1, v);
        i->imm = (uint32_t)(int8_t)v;
        break;
    case DI_W:
        TAKE(2, v);
        i->imm = v;
        break;
    case DI_V:
        TAKE(o16 ? 2 : 4, v);
        i->imm = v;
        break;
    case DI_JV:
        TAKE(o16 ? 2 : 4, v);
        i->imm = o16 ? (uint32_t)(int16_t)v : v;
        break;
    case DI_A:
        TAKE(a16 ? 2 : 4, v);
        i->disp = v;
        break;
    case DI_P:
        TAKE(o16 ? 2 : 4, v);
        i->imm = v;
        TAKE(2, v);
        i->imm2 = (uint16_t)v;
        break;
    case DI_ENTER:
        TAKE(2, v);
        i->imm = v;
        TAKE(1, v);
        i->imm2 = (uint16_t)v;
        break;
    }

    /* D0/D1: shift by 1 */
    if (map == 0 && (b == 0xD0 || b == 0xD1))
        i->imm = 1;

    if ((fl & I_LOCK) && (!(dfl & D_LOCK) || !(fl & I_MEM)))
        fn = op_ud;
    /* registers that do not exist: Sreg 6/7, MOV to CS, CR1 and CR5-CR7 */
    if (map == 0 && (b == 0x8C || b == 0x8E) && (i->reg > S_GS || (b == 0x8E && i->reg == S_CS)))
        fn = op_ud;
    if (map == 1 && (b == 0x20 || b == 0x22) && (i->reg == 1 || i->reg > 4))
        fn = op_ud;

    if ((dfl & D_M) && !(fl & I_MEM)) {
        for (const struct opreg *r = regforms; r->any; r++) {
            if (r->any == fn) {
                fn = r->reg;
                break;
            }
        }
    } else if ((dfl & D_M) && !a16) {
        for (const struct opmem *r = memforms; r->any; r++) {
            if (r->any == fn) {
                fn = i->index == 8 ? r->bd : r->bis;
                break;
            }
        }
    }
    i->seg = (uint8_t)(seg >= 0 ? seg : defseg);
    if (seg >= 0)
        fl |= I_SEGOVR;
    if (o16)
        fl |= I_O16;
    if (a16)
        fl |= I_A16;
    if (dfl & D_END)
        fl |= I_END;
    i->flags = fl;
    i->fn = fn;
    i->len = (uint8_t)n;
    i->cycles = (uint8_t)cycles_of(i, map, b, greg);
    return (int)n;
}

int cpu_decode_length(const uint8_t *bytes, unsigned avail, bool code32)
{
    struct insn i;
    int len = decode_insn(&i, bytes, avail, code32);
    if (len <= 0)
        return len;
    if (i.fn == op_ud)
        return -1;
    return len;
}
