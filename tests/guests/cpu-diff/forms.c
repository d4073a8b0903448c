/* cpu-diff: the instruction forms. Each is written as its exact encoding,
 * a template of hex bytes with placeholders:
 *   ib iw id   a random immediate of 1, 2, 4 bytes (per case; fixups may pick it)
 *   rb         a random byte (a SIB byte, a displacement, an ENTER level)
 *   @          the absolute address of the template's end (branch targets)
 *   &          the absolute address of the middle of cd_mem (moffs, disp32)
 * Register conventions: the first operand is EAX/AX/AL (or AH), the second
 * ECX/CX/CL (or CH); memory operands are [EBX], which points at the middle
 * of cd_mem. Flags defined per the SDM vol. 2 "Flags Affected" sections. */
#include "cpu-diff.h"

#define MAX_FORMS 1200
struct form cd_forms[MAX_FORMS];
static unsigned nforms;

/* --- building ------------------------------------------------------------ */

static char pool[65536];
static unsigned pool_used;

/* A formatted string kept for the life of the program. */
static const char *S(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = pool + pool_used;
    int n = rt_vsnprintf(p, sizeof pool - pool_used, fmt, ap);
    va_end(ap);
    pool_used += (unsigned)n + 1;
    if (pool_used >= sizeof pool) {
        rt_printf("cpu-diff: string pool full\n");
        rt_exit(0x7D);
    }
    return p;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Add a form. Panics on a malformed template (a bug in this file). */
static struct form *F(const char *name, const char *tmpl, uint32_t fdef, uint32_t setup, cd_fix_fn fix)
{
    if (nforms == MAX_FORMS) {
        rt_printf("cpu-diff: too many forms\n");
        rt_exit(0x7D);
    }
    struct form *f = &cd_forms[nforms++];
    memset(f, 0, sizeof *f);
    f->name = name;
    f->tmpl = tmpl;
    f->fdef = fdef;
    f->setup = setup;
    f->fix = fix;
    f->imm_off = f->abs_off = f->mem_off = f->rb_off = -1;
    for (const char *p = tmpl; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (p[0] == 'i' && (p[1] == 'b' || p[1] == 'w' || p[1] == 'd')) {
            f->imm_off = (int8_t)f->len;
            f->imm_size = p[1] == 'b' ? 1 : p[1] == 'w' ? 2 : 4;
            f->len += f->imm_size;
            p += 2;
        } else if (p[0] == 'r' && p[1] == 'b') {
            f->rb_off = (int8_t)f->len++;
            p += 2;
        } else if (*p == '@') {
            f->abs_off = (int8_t)f->len;
            f->len += 4;
            p++;
        } else if (*p == '&') {
            f->mem_off = (int8_t)f->len;
            f->len += 4;
            p++;
        } else if (hexval(p[0]) >= 0 && hexval(p[1]) >= 0) {
            f->code[f->len++] = (uint8_t)(hexval(p[0]) * 16 + hexval(p[1]));
            p += 2;
        } else {
            rt_printf("cpu-diff: bad template '%s' for %s\n", tmpl, name);
            rt_exit(0x7D);
        }
        if (f->len > sizeof f->code - 1) {
            rt_printf("cpu-diff: template too long: %s\n", name);
            rt_exit(0x7D);
        }
    }
    return f;
}

#define LOGIC (FL_ALL6 & ~FL_AF)        /* AND OR XOR TEST: OF=CF=0, AF undefined */
#define NONE  FL_ALL6                   /* no flag changes: all stay defined */

#define MEMP ((uint32_t *)(cd_mem + CD_MEM_SIZE / 2))   /* what [EBX] addresses */

/* --- fixups ---------------------------------------------------------------- */

static uint32_t wmask(unsigned w) { return w == 32 ? 0xFFFFFFFFu : (1u << w) - 1; }

static void set_low(uint32_t *r, unsigned w, uint32_t v)
{
    *r = (*r & ~wmask(w)) | (v & wmask(w));
}

/* An interesting shift count for width w. */
static uint8_t pick_count(unsigned w)
{
    static const uint8_t fixed[] = { 0, 1, 2, 3, 31, 32, 33, 63, 64, 0xFF, 0x80, 0x21 };
    uint32_t r = cd_rand();
    switch (r & 3) {
    case 0: return fixed[(r >> 2) % sizeof fixed];
    case 1: { uint8_t near[] = { (uint8_t)(w - 1), (uint8_t)w, (uint8_t)(w + 1), (uint8_t)(2 * w), (uint8_t)(w * 2 + 1) };
              return near[(r >> 2) % 5]; }
    default: return (uint8_t)(r >> 8);
    }
}

/* Shifts and rotates: aux = count source (0: 1, 1: CL, 2: imm8),
 * aux2 = the /r operation (0 ROL .. 7 SAR). SDM vol. 2: RCL/RCR/ROL/ROR
 * "Flags Affected"; SAL/SAR/SHL/SHR "Flags Affected". */
static void fx_shift(struct kase *k)
{
    const struct form *f = k->f;
    uint8_t c = 1;
    if (f->aux == 1) {
        c = pick_count(f->w);
        set_low(&k->in.r[R_ECX], 8, c);
    } else if (f->aux == 2) {
        c = pick_count(f->w);
        k->imm = c;
    }
    unsigned m = c & 31;
    if (m == 0) {
        k->fdef = FL_ALL6;
        return;
    }
    switch (f->aux2) {
    case 0: case 1: case 2: case 3:     /* ROL ROR RCL RCR: SF ZF AF PF unaffected */
        k->fdef = FL_ALL6 & ~(m == 1 ? 0 : FL_OF);
        break;
    case 7:                             /* SAR */
        k->fdef = FL_SF | FL_ZF | FL_PF | FL_CF | (m == 1 ? FL_OF : 0);
        break;
    default:                            /* SHL SHR SAL: CF undefined when count >= width */
        k->fdef = FL_SF | FL_ZF | FL_PF | (m < f->w ? FL_CF : 0) | (m == 1 ? FL_OF : 0);
        break;
    }
}

/* SHLD/SHRD: aux = count source (1: CL, 2: imm8). SDM: "If the count is
 * greater than the operand size, the result is undefined"; OF defined for
 * 1-bit shifts only; AF undefined. */
static void fx_shxd(struct kase *k)
{
    const struct form *f = k->f;
    uint8_t c = pick_count(f->w);
    if (f->aux == 1)
        set_low(&k->in.r[R_ECX], 8, c);
    else
        k->imm = c;
    unsigned m = c & 31;
    if (m == 0) {
        k->fdef = FL_ALL6;
    } else if (m > f->w) {
        k->fdef = 0;
        k->undef = 1u << R_EAX;
    } else {
        k->fdef = FL_SF | FL_ZF | FL_PF | FL_CF | (m == 1 ? FL_OF : 0);
    }
}

/* DIV/IDIV: aux = divisor (register number, 8 for [EBX]), aux2 = signed.
 * Three cases in four get a dividend whose quotient fits. */
static void fx_div(struct kase *k)
{
    const struct form *f = k->f;
    unsigned w = f->w;
    if ((cd_rand() & 3) == 0)
        return;
    uint32_t d = (f->aux == 8 ? *MEMP : k->in.r[f->aux]) & wmask(w);
    if (f->aux == 0 && w == 8)
        d &= 0xFF;
    if (!f->aux2) {
        if (!d)
            return;
        uint32_t hi = cd_rand() % d;
        if (w == 8) {
            k->in.r[R_EAX] = (k->in.r[R_EAX] & ~0xFF00u) | (hi << 8);
        } else {
            set_low(&k->in.r[R_EDX], w, hi);
        }
    } else {
        if (w == 8) {
            uint32_t ah = (k->in.r[R_EAX] & 0x80) ? 0xFF : 0;
            k->in.r[R_EAX] = (k->in.r[R_EAX] & ~0xFF00u) | (ah << 8);
        } else {
            uint32_t sign = k->in.r[R_EAX] & (1u << (w - 1));
            set_low(&k->in.r[R_EDX], w, sign ? 0xFFFFFFFFu : 0);
        }
    }
}

/* BT/BTS/BTR/BTC with a register bit offset into memory: the offset is
 * signed and may address bytes outside the dword (SDM vol. 2 BT,
 * "bit string"); keep it within cd_mem. */
static void fx_bitoff(struct kase *k)
{
    int32_t off = (int32_t)(cd_rand() % 4096) - 2048;
    set_low(&k->in.r[R_ECX], k->f->w, (uint32_t)off);
}

/* BSF/BSR: aux = source (register number or 8 for [EBX]). A zero source
 * leaves the destination undefined (SDM vol. 2 BSF). */
static void fx_bsf(struct kase *k)
{
    const struct form *f = k->f;
    uint32_t r = cd_rand(), v;
    switch (r & 3) {
    case 0: v = 0; break;
    case 1: v = 1u << ((r >> 2) % f->w); break;
    default: v = cd_value(); break;
    }
    if (f->aux == 8)
        set_low(MEMP, f->w, v);
    else
        set_low(&k->in.r[f->aux], f->w, v);
    if (!(v & wmask(f->w)))
        k->undef |= 1u << R_EAX;
}

/* CMPXCHG: aux = destination (register number or 8 for [EBX]); half the
 * cases make the accumulator equal to it. */
static void fx_cmpxchg(struct kase *k)
{
    const struct form *f = k->f;
    if (cd_rand() & 1)
        return;
    uint32_t d = f->aux == 8 ? *MEMP : k->in.r[f->aux];
    set_low(&k->in.r[R_EAX], f->w, d);
}

/* CMPXCHG8B [ESI]: half the cases make EDX:EAX equal to the memory. */
static void fx_cx8(struct kase *k)
{
    k->in.r[R_ESI] = (uint32_t)MEMP;
    if (cd_rand() & 1) {
        k->in.r[R_EAX] = MEMP[0];
        k->in.r[R_EDX] = MEMP[1];
    }
}

/* LOOP/JECXZ: counts around 0 and 1, in 16 and 32 bits. */
static void fx_loop(struct kase *k)
{
    static const uint32_t v[] = { 0, 1, 2, 0x10000, 0x10001, 0xFFFFFFFFu, 0xFFFF0000u, 0x00010002 };
    if (cd_rand() & 1)
        k->in.r[R_ECX] = v[cd_rand() % 8];
}

/* EAX = the template's end (CALL/JMP EAX). */
static void fx_end_eax(struct kase *k) { k->in.r[R_EAX] = cd_code_end(k->f); }

/* [EBX] = far pointer to the template's end, selector 0x08. The stack
 * window is zeroed: a far CALL pushes CS into a doubleword slot, and whether
 * the high half is written is model-specific (SDM vol. 2 PUSH). */
static void fx_end_mem(struct kase *k)
{
    MEMP[0] = cd_code_end(k->f);
    MEMP[1] = 0x08;
    if (!cd_allflags)
        memset(cd_stk, 0, CD_STK_SIZE);
}

static void fx_zero_stack(struct kase *k)
{
    if (!cd_allflags)
        memset(cd_stk, 0, CD_STK_SIZE);
}

/* BOUND: aux = width. Bounds at [EBX], index in EAX, in or out of range. */
static void fx_bound(struct kase *k)
{
    unsigned w = k->f->w;
    int32_t lo = (int32_t)(cd_rand() % 64) - 32, hi = lo + (int32_t)(cd_rand() % 64) - 8;
    int32_t idx = lo + (int32_t)(cd_rand() % 96) - 16;
    if (cd_rand() % 4 == 0)
        idx = (int32_t)cd_value();
    if (w == 32) {
        MEMP[0] = (uint32_t)lo;
        MEMP[1] = (uint32_t)hi;
    } else {
        uint16_t *p = (uint16_t *)MEMP;
        p[0] = (uint16_t)lo;
        p[1] = (uint16_t)hi;
    }
    set_low(&k->in.r[R_EAX], w, (uint32_t)idx);
}

static void fx_xlat(struct kase *k) { k->in.r[R_EBX] = (uint32_t)cd_mem; }

/* ENTER: EBP inside the stack window, a nesting level (rb) among the
 * interesting ones (0, 1, the masked 32...). */
static void fx_enter(struct kase *k)
{
    static const uint8_t lv[] = { 0, 1, 2, 3, 4, 7, 31, 32, 33, 0xFF };
    k->in.r[R_EBP] = (uint32_t)cd_stk + 160 + cd_rand() % 340;
    k->rb = (cd_rand() & 1) ? lv[cd_rand() % 10] : (uint8_t)cd_rand();
    if (cd_rand() & 1)
        k->imm = cd_rand() % 64;
}

static void fx_leave(struct kase *k)
{
    k->in.r[R_EBP] = (uint32_t)cd_stk + 256 + cd_rand() % 200;
}

/* Selectors for segment loads, in this GDT (guest/rt/start.S): null, ring-0
 * code and data, ring-3 code and data, the empty TSS slot, 0x30 = data with
 * base 0x20, 0x38 = data with base cd_str and limit 1023 (never SS), 0x40
 * beyond the GDT limit, RPL and TI variants. */
static const uint16_t sels[] = { 0x00, 0x08, 0x10, 0x18, 0x20, 0x23, 0x28, 0x30, 0x38, 0x40,
                                 0x13, 0x33, 0x14, 0x03, 0x1B, 0x10 };
static const uint16_t ss_sels[] = { 0x10, 0x10, 0x00, 0x08, 0x13, 0x18, 0x20, 0x23, 0x28, 0x40, 0x14 };

static uint16_t pick_sel(int for_ss)
{
    return for_ss ? ss_sels[cd_rand() % (sizeof ss_sels / 2)] : sels[cd_rand() % (sizeof sels / 2)];
}

/* MOV Sreg, r/m: aux = 1 when the target is SS; the selector is in AX and
 * in [EBX]. */
static void fx_sel(struct kase *k)
{
    uint16_t s = pick_sel(k->f->aux);
    set_low(&k->in.r[R_EAX], 16, s);
    if (k->f->setup & S_MEM)
        set_low(MEMP, 16, s);
}

/* POP Sreg: the selector at [ESP]. */
static void fx_pop_sel(struct kase *k)
{
    uint32_t *sp = (uint32_t *)(cd_stk + CD_STK_TOP);
    *sp = (cd_rand() & 0xFFFF0000u) | pick_sel(k->f->aux);
}

/* LDS/LES/LFS/LGS/LSS r32, m16:32 (aux = 1 for LSS, aux2 = 1 for a 16-bit
 * offset). LSS loads ESP: keep it in the stack window. */
static void fx_farptr(struct kase *k)
{
    uint16_t s = pick_sel(k->f->aux);
    if (k->f->aux2) {
        ((uint16_t *)MEMP)[1] = s;
    } else {
        if (k->f->aux)
            MEMP[0] = (uint32_t)cd_stk + 64 + cd_rand() % 400;
        ((uint16_t *)MEMP)[2] = s;
    }
}

/* POPF: a random image at [ESP] without TF and IF (a trap or an interrupt
 * would leave the harness). */
static void fx_popf(struct kase *k)
{
    uint32_t *sp = (uint32_t *)(cd_stk + CD_STK_TOP);
    *sp = cd_rand() & ~0x300u;
}

/* XCHG EAX, ESP / POP ESP: a stack pointer that stays in the window. */
static void fx_esp_eax(struct kase *k) { k->in.r[R_EAX] = (uint32_t)cd_stk + 64 + cd_rand() % 400; }
static void fx_pop_esp(struct kase *k)
{
    *(uint32_t *)(cd_stk + CD_STK_TOP) = (uint32_t)cd_stk + 64 + cd_rand() % 400;
}

/* Addressing: small index registers so that [EBX+ESI*2+d8], [ESI*4+disp32]
 * and [ESP+ECX*4] stay in the windows; EBP points at cd_mem's middle. */
static void fx_addr(struct kase *k)
{
    k->in.r[R_ESI] = cd_rand() % 32;
    k->in.r[R_ECX] = cd_rand() % 16;
    k->in.r[R_EBP] = (uint32_t)MEMP - cd_rand() % 16;
    k->rb = (uint8_t)((cd_rand() % 96) - 48);
}

/* LEA with a SIB byte (rb): aux = 0 base other than 5 (mod 0 without
 * displacement), 1 base = 5 (mod 0: disp32, no base), 2 any. */
static void fx_sib(struct kase *k)
{
    if (k->f->aux == 2)
        return;
    if (k->f->aux)
        k->rb = (uint8_t)((k->rb & ~7u) | 5);
    else if ((k->rb & 7) == 5)
        k->rb ^= 1;
}

/* AAM/AAD: an interesting base (10, 0 for #DE, 1, 16, 255) or a random one. */
static void fx_aam(struct kase *k)
{
    static const uint8_t b[] = { 10, 10, 0, 1, 16, 255, 2, 7 };
    k->imm = (cd_rand() & 1) ? b[cd_rand() % 8] : (uint8_t)cd_rand();
}

/* LAHF/SAHF/AAA/DAA and friends: nothing to fix; BCD forms want AL with
 * decimal digits more often. */
static void fx_bcd(struct kase *k)
{
    if (cd_rand() & 1) {
        uint32_t al = (cd_rand() % 10) | ((cd_rand() % 10) << 4);
        set_low(&k->in.r[R_EAX], 8, al);
    }
}

/* RET/RETF imm16: QEMU 7.2 sign-extends an immediate of 0x8000 or more
 * (the SDM: "imm16 ... bytes to release"); below it in the compared forms,
 * at or above it in a model: sdm form. */
static void fx_imm15(struct kase *k) { k->imm &= 0x7FFF; }
static void fx_imm16h(struct kase *k) { k->imm |= 0x8000; }

/* FXSAVE/FXRSTOR: [EBX] = a 512-byte, 16-byte-aligned area of its own. */
static void fx_fxbuf(struct kase *k)
{
    k->in.r[R_EBX] = CD_FX_ADDR;
}

/* --- the forms ------------------------------------------------------------- */

static const char *const alu_name[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
static const char *const grp2_name[8] = { "rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar" };
static const char *const cc_name[16] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
                                         "s", "ns", "p", "np", "l", "ge", "le", "g" };

static void alu_forms(void)
{
    for (unsigned o = 0; o < 8; o++) {
        const char *n = alu_name[o];
        uint32_t fl = (o == 1 || o == 4 || o == 6) ? LOGIC : FL_ALL6;
        unsigned b = o * 8, r = o << 3;
        F(S("%s.rm8,r8", n), S("%02x c8", b), fl, 0, 0);
        F(S("%s.rm8,r8.high", n), S("%02x ec", b), fl, 0, 0);
        F(S("%s.rm16,r16", n), S("66 %02x c8", b + 1), fl, 0, 0);
        F(S("%s.rm32,r32", n), S("%02x c8", b + 1), fl, 0, 0);
        F(S("%s.r8,rm8", n), S("%02x c1", b + 2), fl, 0, 0);
        F(S("%s.r16,rm16", n), S("66 %02x c1", b + 3), fl, 0, 0);
        F(S("%s.r32,rm32", n), S("%02x c1", b + 3), fl, 0, 0);
        F(S("%s.al,imm8", n), S("%02x ib", b + 4), fl, 0, 0);
        F(S("%s.ax,imm16", n), S("66 %02x iw", b + 5), fl, 0, 0);
        F(S("%s.eax,imm32", n), S("%02x id", b + 5), fl, 0, 0);
        F(S("%s.rm8,imm8", n), S("80 %02x ib", 0xC1 | r), fl, 0, 0);
        F(S("%s.rm8,imm8.82", n), S("82 %02x ib", 0xC2 | r), fl, 0, 0);
        F(S("%s.rm16,imm16", n), S("66 81 %02x iw", 0xC2 | r), fl, 0, 0);
        F(S("%s.rm32,imm32", n), S("81 %02x id", 0xC2 | r), fl, 0, 0);
        F(S("%s.rm16,imm8", n), S("66 83 %02x ib", 0xC6 | r), fl, 0, 0);
        F(S("%s.rm32,imm8", n), S("83 %02x ib", 0xC6 | r), fl, 0, 0);
        F(S("%s.m8,r8", n), S("%02x 0b", b), fl, S_MEM, 0);
        F(S("%s.m16,r16", n), S("66 %02x 0b", b + 1), fl, S_MEM, 0);
        F(S("%s.m32,r32", n), S("%02x 0b", b + 1), fl, S_MEM, 0);
        F(S("%s.r8,m8", n), S("%02x 0b", b + 2), fl, S_MEM, 0);
        F(S("%s.r32,m32", n), S("%02x 0b", b + 3), fl, S_MEM, 0);
        F(S("%s.m32,imm8", n), S("83 %02x ib", 0x03 | r), fl, S_MEM, 0);
        F(S("%s.m32+7c,imm32", n), S("81 %02x 7c id", 0x43 | r), fl, S_MEM, 0);
        F(S("%s.m8-80,imm8", n), S("80 %02x 80 ib", 0x43 | r), fl, S_MEM, 0);
        F(S("%s.lock.m32,r32", n), S("f0 %02x 0b", b + 1), fl, S_MEM, 0);
        F(S("%s.lock.m8,imm8", n), S("f0 80 %02x ib", 0x03 | r), fl, S_MEM, 0);
        F(S("%s.lock.rm32,r32.reg", n), S("f0 %02x c8", b + 1), fl, 0, 0);
    }
}

static void unary_forms(void)
{
    for (unsigned r = 0; r < 8; r++) {
        F(S("inc.r32.%u", r), S("%02x", 0x40 + r), FL_ALL6, 0, 0);
        F(S("dec.r32.%u", r), S("%02x", 0x48 + r), FL_ALL6, 0, 0);
    }
    F("inc.r16", "66 40", FL_ALL6, 0, 0);
    F("dec.r16", "66 49", FL_ALL6, 0, 0);
    F("inc.rm8", "fe c0", FL_ALL6, 0, 0);
    F("inc.rm8.high", "fe c4", FL_ALL6, 0, 0);
    F("dec.rm8", "fe c9", FL_ALL6, 0, 0);
    F("inc.rm32", "ff c0", FL_ALL6, 0, 0);
    F("dec.rm32", "ff c9", FL_ALL6, 0, 0);
    F("inc.rm16", "66 ff c0", FL_ALL6, 0, 0);
    F("inc.m8", "fe 03", FL_ALL6, S_MEM, 0);
    F("dec.m16", "66 ff 0b", FL_ALL6, S_MEM, 0);
    F("inc.m32", "ff 03", FL_ALL6, S_MEM, 0);
    F("dec.m32", "ff 0b", FL_ALL6, S_MEM, 0);
    F("lock.inc.m32", "f0 ff 03", FL_ALL6, S_MEM, 0);
    F("lock.dec.m8", "f0 fe 0b", FL_ALL6, S_MEM, 0);
    F("lock.inc.r32", "f0 40", FL_ALL6, 0, 0);
    F("grp4.fe/2", "fe d0", FL_ALL6, 0, 0);
    F("grp4.fe/7", "fe f8", FL_ALL6, 0, 0);
    F("grp5.ff/7", "ff f8", FL_ALL6, 0, 0);

    F("not.rm8", "f6 d0", NONE, 0, 0);
    F("not.rm8.high", "f6 d4", NONE, 0, 0);
    F("not.rm16", "66 f7 d0", NONE, 0, 0);
    F("not.rm32", "f7 d0", NONE, 0, 0);
    F("not.m32", "f7 13", NONE, S_MEM, 0);
    F("lock.not.m8", "f0 f6 13", NONE, S_MEM, 0);
    F("neg.rm8", "f6 d8", FL_ALL6, 0, 0);
    F("neg.rm16", "66 f7 d8", FL_ALL6, 0, 0);
    F("neg.rm32", "f7 d8", FL_ALL6, 0, 0);
    F("neg.m32", "f7 1b", FL_ALL6, S_MEM, 0);
    F("lock.neg.m16", "66 f0 f7 1b", FL_ALL6, S_MEM, 0);

    F("test.rm8,r8", "84 c8", LOGIC, 0, 0);
    F("test.rm8,r8.high", "84 ec", LOGIC, 0, 0);
    F("test.rm16,r16", "66 85 c8", LOGIC, 0, 0);
    F("test.rm32,r32", "85 c8", LOGIC, 0, 0);
    F("test.m32,r32", "85 0b", LOGIC, S_MEM, 0);
    F("test.al,imm8", "a8 ib", LOGIC, 0, 0);
    F("test.ax,imm16", "66 a9 iw", LOGIC, 0, 0);
    F("test.eax,imm32", "a9 id", LOGIC, 0, 0);
    F("test.rm8,imm8", "f6 c1 ib", LOGIC, 0, 0);
    F("test.rm8,imm8.f6/1", "f6 c9 ib", LOGIC, 0, 0)->model = MODEL_SDM;
    F("test.rm16,imm16", "66 f7 c1 iw", LOGIC, 0, 0);
    F("test.rm32,imm32", "f7 c1 id", LOGIC, 0, 0);
    F("test.rm32,imm32.f7/1", "f7 c9 id", LOGIC, 0, 0)->model = MODEL_SDM;
    F("test.m32,imm32", "f7 03 id", LOGIC, S_MEM, 0);
    F("lock.test.m32,r32", "f0 85 0b", LOGIC, S_MEM, 0)->model = MODEL_SDM;
}

static void muldiv_forms(void)
{
    const uint32_t mf = FL_CF | FL_OF;
    struct form *f;
    F("mul.rm8", "f6 e1", mf, 0, 0);
    F("mul.rm8.al", "f6 e0", mf, 0, 0);
    F("mul.rm16", "66 f7 e1", mf, 0, 0);
    F("mul.rm32", "f7 e1", mf, 0, 0);
    F("mul.m32", "f7 23", mf, S_MEM, 0);
    F("mul.m8", "f6 23", mf, S_MEM, 0);
    F("imul.rm8", "f6 e9", mf, 0, 0);
    F("imul.rm16", "66 f7 e9", mf, 0, 0);
    F("imul.rm32", "f7 e9", mf, 0, 0);
    F("imul.m32", "f7 2b", mf, S_MEM, 0);
    F("imul.r32,rm32", "0f af c1", mf, 0, 0);
    F("imul.r16,rm16", "66 0f af c1", mf, 0, 0);
    F("imul.r32,m32", "0f af 03", mf, S_MEM, 0);
    F("imul.r32,rm32,imm32", "69 c1 id", mf, 0, 0);
    F("imul.r16,rm16,imm16", "66 69 c1 iw", mf, 0, 0);
    F("imul.r32,rm32,imm8", "6b c1 ib", mf, 0, 0);
    F("imul.r16,rm16,imm8", "66 6b c1 ib", mf, 0, 0);
    F("imul.r32,m32,imm8", "6b 03 ib", mf, S_MEM, 0);
    F("imul.r32,r32,imm32.same", "69 c0 id", mf, 0, 0);

    static const struct { const char *name, *t; unsigned w, src, sgn, setup; } d[] = {
        { "div.rm8", "f6 f1", 8, 1, 0, 0 },        { "div.rm8.al", "f6 f0", 8, 0, 0, 0 },
        { "div.rm16", "66 f7 f1", 16, 1, 0, 0 },   { "div.rm32", "f7 f1", 32, 1, 0, 0 },
        { "div.rm32.eax", "f7 f0", 32, 0, 0, 0 },  { "div.m32", "f7 33", 32, 8, 0, S_MEM },
        { "div.m8", "f6 33", 8, 8, 0, S_MEM },     { "div.m16", "66 f7 33", 16, 8, 0, S_MEM },
        { "idiv.rm8", "f6 f9", 8, 1, 1, 0 },       { "idiv.rm16", "66 f7 f9", 16, 1, 1, 0 },
        { "idiv.rm32", "f7 f9", 32, 1, 1, 0 },     { "idiv.m32", "f7 3b", 32, 8, 1, S_MEM },
        { "idiv.m8", "f6 3b", 8, 8, 1, S_MEM },
    };
    for (unsigned i = 0; i < sizeof d / sizeof d[0]; i++) {
        f = F(d[i].name, d[i].t, 0, d[i].setup, fx_div);
        f->w = (uint8_t)d[i].w;
        f->aux = (uint8_t)d[i].src;
        f->aux2 = (uint8_t)d[i].sgn;
    }
}

static void shift_forms(void)
{
    struct form *f;
    for (unsigned e = 0; e < 8; e++) {
        const char *n = grp2_name[e];
        unsigned m = 0xC0 | e << 3;
        static const unsigned ws[3] = { 8, 16, 32 };
        for (unsigned wi = 0; wi < 3; wi++) {
            unsigned w = ws[wi];
            const char *p = w == 16 ? "66 " : "";
            unsigned b = w == 8 ? 0 : 1;
            f = F(S("%s.rm%u,1", n, w), S("%s%02x %02x", p, 0xD0 + b, m), 0, 0, fx_shift);
            f->w = (uint8_t)w; f->aux = 0; f->aux2 = (uint8_t)e;
            f = F(S("%s.rm%u,cl", n, w), S("%s%02x %02x", p, 0xD2 + b, m), 0, 0, fx_shift);
            f->w = (uint8_t)w; f->aux = 1; f->aux2 = (uint8_t)e;
            f = F(S("%s.rm%u,imm8", n, w), S("%s%02x %02x ib", p, 0xC0 + b, m), 0, 0, fx_shift);
            f->w = (uint8_t)w; f->aux = 2; f->aux2 = (uint8_t)e;
        }
        f = F(S("%s.m32,cl", n), S("d3 %02x", 0x03 | e << 3), 0, S_MEM, fx_shift);
        f->w = 32; f->aux = 1; f->aux2 = (uint8_t)e;
        f = F(S("%s.m8,imm8", n), S("c0 %02x ib", 0x03 | e << 3), 0, S_MEM, fx_shift);
        f->w = 8; f->aux = 2; f->aux2 = (uint8_t)e;
        f = F(S("%s.m16,1", n), S("66 d1 %02x", 0x03 | e << 3), 0, S_MEM, fx_shift);
        f->w = 16; f->aux = 0; f->aux2 = (uint8_t)e;
    }
    static const struct { const char *n, *t; unsigned w, src, setup; } x[] = {
        { "shld.rm32,r32,imm8", "0f a4 c8 ib", 32, 2, 0 }, { "shld.rm32,r32,cl", "0f a5 c8", 32, 1, 0 },
        { "shrd.rm32,r32,imm8", "0f ac c8 ib", 32, 2, 0 }, { "shrd.rm32,r32,cl", "0f ad c8", 32, 1, 0 },
        { "shld.rm16,r16,imm8", "66 0f a4 c8 ib", 16, 2, 0 }, { "shld.rm16,r16,cl", "66 0f a5 c8", 16, 1, 0 },
        { "shrd.rm16,r16,imm8", "66 0f ac c8 ib", 16, 2, 0 }, { "shrd.rm16,r16,cl", "66 0f ad c8", 16, 1, 0 },
        { "shld.m32,r32,cl", "0f a5 0b", 32, 1, S_MEM },     { "shrd.m32,r32,imm8", "0f ac 0b ib", 32, 2, S_MEM },
    };
    for (unsigned i = 0; i < sizeof x / sizeof x[0]; i++) {
        f = F(x[i].n, x[i].t, 0, x[i].setup, fx_shxd);
        f->w = (uint8_t)x[i].w;
        f->aux = (uint8_t)x[i].src;
    }
}

static void bit_forms(void)
{
    static const char *const bn[4] = { "bt", "bts", "btr", "btc" };
    static const unsigned rop[4] = { 0xA3, 0xAB, 0xB3, 0xBB };
    const uint32_t bf = FL_CF | FL_ZF;
    struct form *f;
    for (unsigned i = 0; i < 4; i++) {
        F(S("%s.rm32,r32", bn[i]), S("0f %02x c8", rop[i]), bf, 0, 0);
        F(S("%s.rm16,r16", bn[i]), S("66 0f %02x c8", rop[i]), bf, 0, 0);
        F(S("%s.rm32,imm8", bn[i]), S("0f ba %02x ib", 0xE0 | (4 + i) << 3), bf, 0, 0);
        F(S("%s.rm16,imm8", bn[i]), S("66 0f ba %02x ib", 0xE0 | (4 + i) << 3), bf, 0, 0);
        F(S("%s.m32,imm8", bn[i]), S("0f ba %02x ib", 0x03 | (4 + i) << 3), bf, S_MEM, 0);
        F(S("%s.m16,imm8", bn[i]), S("66 0f ba %02x ib", 0x03 | (4 + i) << 3), bf, S_MEM, 0);
        f = F(S("%s.m32,r32.bitstring", bn[i]), S("0f %02x 0b", rop[i]), bf, S_MEM, fx_bitoff);
        f->w = 32;
        f = F(S("%s.m16,r16.bitstring", bn[i]), S("66 0f %02x 0b", rop[i]), bf, S_MEM, fx_bitoff);
        f->w = 16;
        f = F(S("lock.%s.m32,r32", bn[i]), S("f0 0f %02x 0b", rop[i]), bf, S_MEM, fx_bitoff);
        f->w = 32;
        f->model = i == 0 ? MODEL_SDM : 0;
        F(S("lock.%s.m32,imm8", bn[i]), S("f0 0f ba %02x ib", 0x03 | (4 + i) << 3), bf, S_MEM, 0)
            ->model = i == 0 ? MODEL_SDM : 0;   /* QEMU accepts LOCK BT */
    }
    F("grp8.0fba/0", "0f ba c0 ib", bf, 0, 0);
    F("grp8.0fba/3", "0f ba d8 ib", bf, 0, 0);

    static const struct { const char *n, *t; unsigned w, src, setup; } b[] = {
        { "bsf.r32,rm32", "0f bc c1", 32, 1, 0 }, { "bsf.r16,rm16", "66 0f bc c1", 16, 1, 0 },
        { "bsr.r32,rm32", "0f bd c1", 32, 1, 0 }, { "bsr.r16,rm16", "66 0f bd c1", 16, 1, 0 },
        { "bsf.r32,m32", "0f bc 03", 32, 8, S_MEM }, { "bsr.r32,m32", "0f bd 03", 32, 8, S_MEM },
        { "bsf.rep.r32,rm32", "f3 0f bc c1", 32, 1, 0 }, { "bsr.rep.r32,rm32", "f3 0f bd c1", 32, 1, 0 },
    };
    for (unsigned i = 0; i < sizeof b / sizeof b[0]; i++) {
        f = F(b[i].n, b[i].t, FL_ZF, b[i].setup, fx_bsf);
        f->w = (uint8_t)b[i].w;
        f->aux = (uint8_t)b[i].src;
    }
}

static void cond_forms(void)
{
    for (unsigned c = 0; c < 16; c++) {
        F(S("set%s.rm8", cc_name[c]), S("0f %02x c0", 0x90 + c), NONE, 0, 0);
        F(S("cmov%s.r32,rm32", cc_name[c]), S("0f %02x c1", 0x40 + c), NONE, 0, 0);
        F(S("j%s.rel8", cc_name[c]), S("%02x 03 8d 40 01", 0x70 + c), NONE, 0, 0);
        F(S("j%s.rel32", cc_name[c]), S("0f %02x 03 00 00 00 8d 40 01", 0x80 + c), NONE, 0, 0);
    }
    F("sete.m8", "0f 94 03", NONE, S_MEM, 0);
    F("setg.rm8.high", "0f 9f c4", NONE, 0, 0);
    F("setne.rm8.reg1", "0f 95 c8", NONE, 0, 0);
    F("cmove.r16,rm16", "66 0f 44 c1", NONE, 0, 0);
    F("cmovl.r32,m32", "0f 4c 03", NONE, S_MEM, 0);
    F("cmovno.r16,m16", "66 0f 41 03", NONE, S_MEM, 0);
    F("loop.rel8", "e2 03 8d 40 01", NONE, 0, fx_loop);
    F("loope.rel8", "e1 03 8d 40 01", NONE, 0, fx_loop);
    F("loopne.rel8", "e0 03 8d 40 01", NONE, 0, fx_loop);
    F("jecxz.rel8", "e3 03 8d 40 01", NONE, 0, fx_loop);
    F("loop.a16.rel8", "67 e2 03 8d 40 01", NONE, 0, fx_loop);
    F("loopne.a16.rel8", "67 e0 03 8d 40 01", NONE, 0, fx_loop);
    F("jcxz.a16.rel8", "67 e3 03 8d 40 01", NONE, 0, fx_loop);
    F("jmp.rel8", "eb 03 8d 40 01", NONE, 0, 0);
    F("jmp.rel32", "e9 03 00 00 00 8d 40 01", NONE, 0, 0);
    F("jmp.rel8.back", "eb 05 8d 40 01 eb 02 eb f9", NONE, 0, 0);
    F("call.rel32", "e8 00 00 00 00", NONE, S_STK, 0);
    F("call.rm32", "ff d0", NONE, S_STK, fx_end_eax);
    F("jmp.rm32", "ff e0", NONE, 0, fx_end_eax);
    F("call.m32", "ff 13", NONE, S_STK | S_MEM, fx_end_mem);
    F("jmp.m32", "ff 23", NONE, S_MEM, fx_end_mem);
    F("ret", "68 @ c3", NONE, S_STK, 0);
    F("ret.rep", "68 @ f3 c3", NONE, S_STK, 0);
    F("ret.imm16", "68 @ c2 iw", NONE, S_STK, fx_imm15);
    F("ret.imm16.high", "68 @ c2 iw", NONE, S_STK, fx_imm16h)->model = MODEL_SDM;
    F("jmp.far.ptr16:32", "ea @ 08 00", NONE, 0, 0);
    F("call.far.ptr16:32", "9a @ 08 00", NONE, S_STK, fx_zero_stack);
    F("call.far.m16:32", "ff 1b", NONE, S_STK | S_MEM, fx_end_mem);
    F("jmp.far.m16:32", "ff 2b", NONE, S_MEM, fx_end_mem);
    F("call.far.reg", "ff d8", NONE, 0, 0);
    F("jmp.far.reg", "ff e8", NONE, 0, 0);
    F("retf", "6a 08 68 @ cb", NONE, S_STK, 0);
    F("retf.imm16", "6a 08 68 @ ca iw", NONE, S_STK, fx_imm15);
    F("retf.imm16.high", "6a 08 68 @ ca iw", NONE, S_STK, fx_imm16h)->model = MODEL_SDM;
    F("iret", "9c 6a 08 68 @ cf", NONE, S_STK, 0);
}

static void data_forms(void)
{
    struct form *f;
    F("mov.rm8,r8", "88 c8", NONE, 0, 0);
    F("mov.rm8,r8.high", "88 ec", NONE, 0, 0);
    F("mov.rm16,r16", "66 89 c8", NONE, 0, 0);
    F("mov.rm32,r32", "89 c8", NONE, 0, 0);
    F("mov.r8,rm8", "8a c5", NONE, 0, 0);
    F("mov.r32,rm32", "8b c1", NONE, 0, 0);
    F("mov.m8,r8", "88 0b", NONE, S_MEM, 0);
    F("mov.m16,r16", "66 89 0b", NONE, S_MEM, 0);
    F("mov.m32,r32", "89 0b", NONE, S_MEM, 0);
    F("mov.r8,m8", "8a 2b", NONE, S_MEM, 0);
    F("mov.r16,m16", "66 8b 0b", NONE, S_MEM, 0);
    F("mov.r32,m32", "8b 0b", NONE, S_MEM, 0);
    F("mov.rm8,imm8", "c6 c0 ib", NONE, 0, 0);
    F("mov.rm16,imm16", "66 c7 c0 iw", NONE, 0, 0);
    F("mov.rm32,imm32", "c7 c0 id", NONE, 0, 0);
    F("mov.m8,imm8", "c6 03 ib", NONE, S_MEM, 0);
    F("mov.m16,imm16", "66 c7 03 iw", NONE, S_MEM, 0);
    F("mov.m32,imm32", "c7 03 id", NONE, S_MEM, 0);
    F("mov.c6/1", "c6 c8 ib", NONE, 0, 0)->model = MODEL_SDM;
    F("mov.c7/7", "c7 f8 id", NONE, 0, 0)->model = MODEL_SDM;
    for (unsigned r = 0; r < 8; r++) {
        F(S("mov.r8,imm8.%u", r), S("%02x ib", 0xB0 + r), NONE, 0, 0);
        F(S("mov.r32,imm32.%u", r), S("%02x id", 0xB8 + r), NONE, 0, 0);
    }
    F("mov.r16,imm16", "66 ba iw", NONE, 0, 0);
    F("mov.al,moffs8", "a0 &", NONE, S_MEM, 0);
    F("mov.eax,moffs32", "a1 &", NONE, S_MEM, 0);
    F("mov.ax,moffs16", "66 a1 &", NONE, S_MEM, 0);
    F("mov.moffs8,al", "a2 &", NONE, S_MEM, 0);
    F("mov.moffs32,eax", "a3 &", NONE, S_MEM, 0);
    F("mov.moffs16,ax", "66 a3 &", NONE, S_MEM, 0);
    F("mov.eax,fs:moffs32", "64 a1 &", NONE, S_MEM | S_SEG, 0);
    F("lock.mov.r32,m32", "f0 8b 03", NONE, S_MEM, 0)->model = MODEL_SDM;

    /* addressing forms through MOV loads */
    F("mov.r32,[ebx+d8]", "8b 43 rb", NONE, S_MEM, fx_addr);
    F("mov.r32,[ebx+d32]", "8b 83 00 ff ff ff", NONE, S_MEM, 0);
    F("mov.r32,[d32]", "8b 05 &", NONE, S_MEM, 0);
    F("mov.r32,[ebx+esi*2+d8]", "8b 44 73 rb", NONE, S_MEM, fx_addr);
    F("mov.r32,[esi*4+d32]", "8b 04 b5 &", NONE, S_MEM, fx_addr);
    F("mov.r32,[ebx+ecx*8]", "8b 04 cb", NONE, S_MEM, fx_addr);
    F("mov.r32,[esp]", "8b 04 24", NONE, S_STK, 0);
    F("mov.r32,[esp+ecx*4+d8]", "8b 44 8c 10", NONE, S_STK, fx_addr);
    F("mov.r32,[ebp+d8]", "8b 45 rb", NONE, S_MEM, fx_addr);
    F("mov.r32,[ebp*1+d32]", "8b 04 2d 00 00 00 00", NONE, S_MEM, fx_addr);
    F("mov.r32,[ebx+eiz*4]", "8b 04 a3", NONE, S_MEM, 0);
    F("mov.m32,r32.[ebp+esi+d8]", "89 4c 35 rb", NONE, S_MEM, fx_addr);
    F("mov.r32,[ebp+d8].ds30", "8b 45 rb", NONE, S_MEM | S_DS30, fx_addr);
    F("mov.r32,[ebx+d8].ds30", "8b 43 rb", NONE, S_MEM | S_DS30, fx_addr);
    F("mov.r32,[esp+d8].ds30", "8b 44 24 08", NONE, S_STK | S_DS30, 0);

    /* XCHG, XADD, CMPXCHG, CMPXCHG8B, BSWAP */
    F("xchg.rm8,r8", "86 c8", NONE, 0, 0);
    F("xchg.rm8,r8.high", "86 ec", NONE, 0, 0);
    F("xchg.rm16,r16", "66 87 c8", NONE, 0, 0);
    F("xchg.rm32,r32", "87 c8", NONE, 0, 0);
    F("xchg.rm32,r32.same", "87 c0", NONE, 0, 0);
    F("xchg.m8,r8", "86 0b", NONE, S_MEM, 0);
    F("xchg.m16,r16", "66 87 0b", NONE, S_MEM, 0);
    F("xchg.m32,r32", "87 0b", NONE, S_MEM, 0);
    F("lock.xchg.m32,r32", "f0 87 0b", NONE, S_MEM, 0);
    F("xchg.eax,ecx", "91", NONE, 0, 0);
    F("xchg.ax,cx", "66 91", NONE, 0, 0);
    F("xchg.eax,esp", "94", NONE, 0, fx_esp_eax);
    F("xchg.eax,edi", "97", NONE, 0, 0);
    F("xadd.rm8,r8", "0f c0 c8", FL_ALL6, 0, 0);
    F("xadd.rm16,r16", "66 0f c1 c8", FL_ALL6, 0, 0);
    F("xadd.rm32,r32", "0f c1 c8", FL_ALL6, 0, 0);
    F("xadd.rm32,r32.same", "0f c1 c0", FL_ALL6, 0, 0);
    F("xadd.m8,r8", "0f c0 0b", FL_ALL6, S_MEM, 0);
    F("xadd.m32,r32", "0f c1 0b", FL_ALL6, S_MEM, 0);
    F("lock.xadd.m32,r32", "f0 0f c1 0b", FL_ALL6, S_MEM, 0);
    f = F("cmpxchg.rm8,r8", "0f b0 ca", FL_ALL6, 0, fx_cmpxchg); f->w = 8; f->aux = 2;
    f = F("cmpxchg.rm16,r16", "66 0f b1 ca", FL_ALL6, 0, fx_cmpxchg); f->w = 16; f->aux = 2;
    f = F("cmpxchg.rm32,r32", "0f b1 ca", FL_ALL6, 0, fx_cmpxchg); f->w = 32; f->aux = 2;
    f = F("cmpxchg.rm32,r32.eax", "0f b1 c8", FL_ALL6, 0, fx_cmpxchg); f->w = 32; f->aux = 0;
    f = F("cmpxchg.m8,r8", "0f b0 0b", FL_ALL6, S_MEM, fx_cmpxchg); f->w = 8; f->aux = 8;
    f = F("cmpxchg.m32,r32", "0f b1 0b", FL_ALL6, S_MEM, fx_cmpxchg); f->w = 32; f->aux = 8;
    f = F("lock.cmpxchg.m32,r32", "f0 0f b1 0b", FL_ALL6, S_MEM, fx_cmpxchg); f->w = 32; f->aux = 8;
    F("cmpxchg8b.m64", "0f c7 0e", FL_ALL6, S_MEM, fx_cx8);
    F("lock.cmpxchg8b.m64", "f0 0f c7 0e", FL_ALL6, S_MEM, fx_cx8);
    F("cmpxchg8b.reg", "0f c7 ce", FL_ALL6, 0, 0);
    F("grp9.0fc7/0", "0f c7 06", FL_ALL6, S_MEM, fx_cx8);
    for (unsigned r = 0; r < 8; r++)
        F(S("bswap.r32.%u", r), S("0f %02x", 0xC8 + r), NONE, 0, 0);
    F("bswap.r16", "66 0f c8", NONE, 0, 0)->allflags_only = 1;

    /* sign and zero extension */
    F("cwde", "98", NONE, 0, 0);
    F("cbw", "66 98", NONE, 0, 0);
    F("cdq", "99", NONE, 0, 0);
    F("cwd", "66 99", NONE, 0, 0);
    F("movzx.r32,rm8", "0f b6 c1", NONE, 0, 0);
    F("movzx.r32,rm8.high", "0f b6 c5", NONE, 0, 0);
    F("movzx.r16,rm8", "66 0f b6 c1", NONE, 0, 0);
    F("movzx.r32,rm16", "0f b7 c1", NONE, 0, 0);
    F("movzx.r16,rm16", "66 0f b7 c1", NONE, 0, 0);
    F("movsx.r32,rm8", "0f be c1", NONE, 0, 0);
    F("movsx.r16,rm8", "66 0f be c1", NONE, 0, 0);
    F("movsx.r32,rm16", "0f bf c1", NONE, 0, 0);
    F("movzx.r32,m8", "0f b6 03", NONE, S_MEM, 0);
    F("movsx.r32,m16", "0f bf 03", NONE, S_MEM, 0);

    /* flags */
    F("lahf", "9f", NONE, 0, 0);
    F("sahf", "9e", NONE, 0, 0);
    F("clc", "f8", NONE, 0, 0);
    F("stc", "f9", NONE, 0, 0);
    F("cmc", "f5", NONE, 0, 0);
    F("cld", "fc", NONE, 0, 0);
    F("std", "fd", NONE, 0, 0);
    F("salc", "d6", NONE, 0, 0);

    /* BCD */
    F("daa", "27", FL_ALL6 & ~FL_OF, 0, fx_bcd);
    F("das", "2f", FL_ALL6 & ~FL_OF, 0, fx_bcd);
    F("aaa", "37", FL_AF | FL_CF, 0, fx_bcd);
    F("aas", "3f", FL_AF | FL_CF, 0, fx_bcd);
    F("aam.10", "d4 0a", FL_SF | FL_ZF | FL_PF, 0, 0);
    F("aam.imm8", "d4 ib", FL_SF | FL_ZF | FL_PF, 0, fx_aam);
    F("aad.10", "d5 0a", FL_SF | FL_ZF | FL_PF, 0, 0);
    F("aad.imm8", "d5 ib", FL_SF | FL_ZF | FL_PF, 0, fx_aam);

    F("xlat", "d7", NONE, S_MEM, fx_xlat);
    F("xlat.fs", "64 d7", NONE, S_MEM | S_SEG, fx_xlat);
    F("arpl.rm16,r16", "63 c8", FL_ZF, 0, 0);
    F("arpl.m16,r16", "63 0b", FL_ZF, S_MEM, 0);
}

static void lea_forms(void)
{
    struct form *f;
    for (unsigned mod = 0; mod < 3; mod++) {
        for (unsigned rm = 0; rm < 8; rm++) {
            unsigned m = mod << 6 | 2 << 3 | rm;           /* destination EDX */
            const char *disp = mod == 1 ? " ib" : mod == 2 ? " id" : (rm == 5 ? " id" : "");
            if (rm == 4) {
                f = F(S("lea.a32.mod%u.sib", mod), S("8d %02x rb%s", m, disp), NONE, 0, fx_sib);
                f->aux = mod ? 2 : 0;
                if (mod == 0) {
                    f = F(S("lea.a32.mod%u.sib.base5", mod), S("8d %02x rb id", m), NONE, 0, fx_sib);
                    f->aux = 1;
                }
            } else {
                F(S("lea.a32.mod%u.rm%u", mod, rm), S("8d %02x%s", m, disp), NONE, 0, 0);
            }
            const char *d16 = mod == 1 ? " ib" : mod == 2 ? " iw" : (rm == 6 ? " iw" : "");
            F(S("lea.a16.mod%u.rm%u", mod, rm), S("67 8d %02x%s", m, d16), NONE, 0, 0);
        }
    }
    F("lea.o16.a32", "66 8d 44 4b ib", NONE, 0, 0);
    F("lea.o16.a16", "66 67 8d 40 ib", NONE, 0, 0);
    F("lea.reg", "8d c1", NONE, 0, 0);

    /* 16-bit addressing with memory, in the low window: DS-relative forms
     * read at base 0x20 (DS=0x30), BP-relative ones at SS (base 0). */
    for (unsigned rm = 0; rm < 8; rm++) {
        F(S("mov.r32,a16.mod2.rm%u", rm), S("67 8b %02x iw", 0x80 | rm), NONE, S_LOW | S_DS30, 0);
        F(S("mov.a16.mod1.rm%u,r32", rm), S("67 89 %02x ib", 0x48 | rm), NONE, S_LOW | S_DS30, 0);
    }
    F("mov.r32,a16.mod0.rm6", "67 8b 06 iw", NONE, S_LOW | S_DS30, 0);
    F("mov.r16,a16.[bp+si].fs", "67 64 66 8b 02", NONE, S_LOW | S_SEG, 0);
    F("mov.r32,a16.[bp+di].ds", "67 3e 8b 03", NONE, S_LOW | S_DS30, 0);
    F("mov.eax,a16.moffs", "67 a1 iw", NONE, S_LOW | S_DS30, 0);
    F("add.a16.[bx+di+d16],r32", "67 01 89 iw", FL_ALL6, S_LOW, 0);
}

static void stack_forms(void)
{
    struct form *f;
    for (unsigned r = 0; r < 8; r++) {
        F(S("push.r32.%u", r), S("%02x", 0x50 + r), NONE, S_STK, 0);
        F(S("pop.r32.%u", r), S("%02x", 0x58 + r), NONE, S_STK, r == 4 ? fx_pop_esp : 0);
    }
    F("push.r16", "66 50", NONE, S_STK, 0);
    F("pop.r16", "66 59", NONE, S_STK, 0);
    F("push.imm32", "68 id", NONE, S_STK, 0);
    F("push.imm8", "6a ib", NONE, S_STK, 0);
    F("push.imm16", "66 68 iw", NONE, S_STK, 0);
    F("push.imm8.o16", "66 6a ib", NONE, S_STK, 0);
    F("push.m32", "ff 33", NONE, S_STK | S_MEM, 0);
    F("push.m16", "66 ff 33", NONE, S_STK | S_MEM, 0);
    F("push.rm32.reg", "ff f0", NONE, S_STK, 0);
    F("push.[esp+4]", "ff 74 24 04", NONE, S_STK, 0);
    F("pop.m32", "8f 03", NONE, S_STK | S_MEM, 0);
    F("pop.m16", "66 8f 03", NONE, S_STK | S_MEM, 0);
    F("pop.rm32.reg", "8f c0", NONE, S_STK, 0);
    F("pop.[esp]", "8f 04 24", NONE, S_STK, 0);
    F("pop.[esp+4]", "8f 44 24 04", NONE, S_STK, 0);
    F("pop.8f/1", "8f c8", NONE, S_STK, 0)->model = MODEL_SDM;
    F("push.es", "06", NONE, S_STK | S_SEG, fx_zero_stack);
    F("push.cs", "0e", NONE, S_STK, fx_zero_stack);
    F("push.ss", "16", NONE, S_STK, fx_zero_stack);
    F("push.ds", "1e", NONE, S_STK | S_DS30, fx_zero_stack);
    F("push.fs", "0f a0", NONE, S_STK | S_SEG, fx_zero_stack);
    F("push.gs", "0f a8", NONE, S_STK | S_SEG, fx_zero_stack);
    F("push.ds.o16", "66 1e", NONE, S_STK, 0);
    F("pop.es", "07", NONE, S_STK, fx_pop_sel);
    F("pop.ds", "1f", NONE, S_STK, fx_pop_sel);
    f = F("pop.ss", "17", NONE, S_STK, fx_pop_sel); f->aux = 1;
    F("pop.fs", "0f a1", NONE, S_STK, fx_pop_sel);
    F("pop.gs", "0f a9", NONE, S_STK, fx_pop_sel);
    F("pop.ds.o16", "66 1f", NONE, S_STK, fx_pop_sel);
    F("pusha", "60", NONE, S_STK, 0);
    F("pusha.o16", "66 60", NONE, S_STK, 0);
    F("popa", "61", NONE, S_STK, 0);
    F("popa.o16", "66 61", NONE, S_STK, 0);
    F("pushf", "9c", NONE, S_STK, 0);
    F("pushf.o16", "66 9c", NONE, S_STK, 0);
    F("popf", "9d", NONE, S_STK, fx_popf);
    F("popf.o16", "66 9d", NONE, S_STK, fx_popf);
    F("enter", "c8 iw rb", NONE, S_STK, fx_enter);
    F("enter.o16", "66 c8 iw rb", NONE, S_STK, fx_enter);
    F("leave", "c9", NONE, S_STK, fx_leave);
    F("leave.o16", "66 c9", NONE, S_STK, fx_leave);
    f = F("bound.r32,m32", "62 03", NONE, S_MEM, fx_bound); f->w = 32;
    f = F("bound.r16,m16", "66 62 03", NONE, S_MEM, fx_bound); f->w = 16;
    F("bound.reg", "62 c1", NONE, 0, 0);

    /* segment registers */
    F("mov.r32,ds", "8c d8", NONE, 0, 0);
    F("mov.r16,cs", "66 8c c8", NONE, 0, 0);
    F("mov.r32,fs", "8c e0", NONE, S_SEG, 0);
    F("mov.m16,ds", "8c 1b", NONE, S_MEM | S_DS30, 0);
    F("mov.r32,sreg6", "8c f0", NONE, 0, 0);
    F("mov.ds,r32", "8e d8", NONE, 0, fx_sel);
    F("mov.es,r16", "66 8e c0", NONE, 0, fx_sel);
    F("mov.fs,r32", "8e e0", NONE, 0, fx_sel);
    F("mov.gs,r32", "8e e8", NONE, 0, fx_sel);
    f = F("mov.ss,r32", "8e d0", NONE, 0, fx_sel); f->aux = 1;
    F("mov.ds,m16", "8e 1b", NONE, S_MEM, fx_sel);
    F("mov.cs,r32", "8e c8", NONE, 0, 0);
    F("mov.sreg7,r32", "8e f8", NONE, 0, 0);
    F("lds.r32,m16:32", "c5 03", NONE, S_MEM, fx_farptr);
    F("les.r32,m16:32", "c4 03", NONE, S_MEM, fx_farptr);
    F("lfs.r32,m16:32", "0f b4 03", NONE, S_MEM, fx_farptr);
    F("lgs.r32,m16:32", "0f b5 03", NONE, S_MEM, fx_farptr);
    f = F("lss.r32,m16:32", "0f b2 23", NONE, S_MEM, fx_farptr); f->aux = 1;
    f = F("lds.r16,m16:16", "66 c5 03", NONE, S_MEM, fx_farptr); f->aux2 = 1;
    F("lds.reg", "c5 c0", NONE, 0, 0);
    F("les.reg", "c4 c0", NONE, 0, 0);
}

static void string_forms(void)
{
    static const struct { const char *n, *t; uint32_t fl; } s[] = {
        { "movsb", "a4", NONE }, { "movsw", "66 a5", NONE }, { "movsd", "a5", NONE },
        { "cmpsb", "a6", FL_ALL6 }, { "cmpsw", "66 a7", FL_ALL6 }, { "cmpsd", "a7", FL_ALL6 },
        { "stosb", "aa", NONE }, { "stosw", "66 ab", NONE }, { "stosd", "ab", NONE },
        { "lodsb", "ac", NONE }, { "lodsw", "66 ad", NONE }, { "lodsd", "ad", NONE },
        { "scasb", "ae", FL_ALL6 }, { "scasw", "66 af", FL_ALL6 }, { "scasd", "af", FL_ALL6 },
    };
    for (unsigned i = 0; i < sizeof s / sizeof s[0]; i++) {
        F(s[i].n, s[i].t, s[i].fl, S_STR, 0);
        F(S("rep.%s", s[i].n), S("f3 %s", s[i].t), s[i].fl, S_STR, 0);
        F(S("repne.%s", s[i].n), S("f2 %s", s[i].t), s[i].fl, S_STR, 0);
    }
    F("rep.movsb.a16", "67 f3 a4", NONE, S_STR16, 0);
    F("rep.movsd.a16", "67 f3 a5", NONE, S_STR16, 0);
    F("repe.cmpsb.a16", "67 f3 a6", FL_ALL6, S_STR16, 0);
    F("repne.scasw.a16", "66 67 f2 af", FL_ALL6, S_STR16, 0);
    F("rep.stosd.a16", "f3 67 ab", NONE, S_STR16, 0);
    F("lodsb.a16", "67 ac", NONE, S_STR16, 0);
    F("rep.movsd.fs", "64 f3 a5", NONE, S_STR | S_SEG, 0);
    F("rep.movsb.es-src", "26 f3 a4", NONE, S_STR | S_SEG, 0);
    F("repe.cmpsd.fs", "f3 64 a7", FL_ALL6, S_STR | S_SEG, 0);
    F("rep.stosb.ds30", "f3 aa", NONE, S_STR | S_DS30, 0);
    F("lodsd.ds30", "ad", NONE, S_STR | S_DS30, 0);
    F("rep.rep.movsb", "f3 f3 a4", NONE, S_STR, 0);
    /* QEMU does not check segment limits: model: sdm lines (Bochs) */
    F("rep.stosb.limit", "f3 aa", NONE, S_STR | S_LIM, 0)->model = MODEL_SDM;
    F("rep.stosd.limit", "f3 ab", NONE, S_STR | S_LIM, 0)->model = MODEL_SDM;
    F("rep.movsw.limit", "66 f3 a5", NONE, S_STR | S_LIM, 0)->model = MODEL_SDM;
    F("repe.cmpsb.limit", "f3 a6", FL_ALL6, S_STR | S_LIM, 0)->model = MODEL_SDM;
    F("rep.lodsd.limit", "f3 ad", NONE, S_STR | S_LIM | S_DS30, 0)->model = MODEL_SDM;
    F("repne.scasb.limit", "f2 ae", FL_ALL6, S_STR | S_LIM, 0)->model = MODEL_SDM;
}

static void int_forms(void)
{
    F("int3", "cc", NONE, 0, 0);
    F("int.3", "cd 03", NONE, 0, 0);
    F("int.0", "cd 00", NONE, 0, 0);
    F("int.1", "cd 01", NONE, 0, 0);
    F("int.4", "cd 04", NONE, 0, 0);
    F("int.5", "cd 05", NONE, 0, 0);
    F("int.6", "cd 06", NONE, 0, 0);
    F("int.20", "cd 20", NONE, 0, 0);
    F("int.80", "cd 80", NONE, 0, 0);
    F("int.ff", "cd ff", NONE, 0, 0);
    F("int.41.nogate", "cd 41", NONE, 0, 0);
    F("int1.icebp", "f1", NONE, 0, 0)->model = MODEL_SDM;
    F("into", "ce", NONE, 0, 0);
    F("ud2", "0f 0b", NONE, 0, 0);
    /* the exception frame on the stack window: with allflags=1 the pushed
     * EFLAGS image (RF) is compared; otherwise the frame is not hashed */
    F("ud2.frame", "0f 0b", NONE, S_STK, 0);
    F("div.frame", "f7 f1", 0, S_STK, 0);
    F("ud0", "0f ff", NONE, 0, 0);
    F("0f.a6", "0f a6 c0", NONE, 0, 0);
    F("0f.a7", "0f a7 c0", NONE, 0, 0);
    F("0f.b8.jmpe", "0f b8 c0", NONE, 0, 0);
    F("popcnt", "f3 0f b8 c1", NONE, 0, 0);
    /* 0F 0D and 0F 18: QEMU, Bochs and vmscope each choose (docs/conformance.md) */
    F("0f.0d.prefetch", "0f 0d 03", NONE, S_MEM, 0)->model = MODEL_CPU;
    F("0f.0e.femms", "0f 0e", NONE, 0, 0);
    F("0f.0f.3dnow", "0f 0f c1 9e", NONE, 0, 0);
    F("syscall", "0f 05", NONE, 0, 0);
    F("sysret", "0f 07", NONE, 0, 0);
    F("rdtscp", "0f 01 f9", NONE, 0, 0);
    F("0f.38.pshufb", "0f 38 00 c1", NONE, 0, 0);
    F("0f.3a", "0f 3a 0f c1 01", NONE, 0, 0);
    F("sse.movups", "0f 10 c1", NONE, 0, 0);
    F("sse.addps", "0f 58 c1", NONE, 0, 0);
    F("sse.sfence", "0f ae f8", NONE, 0, 0);
    F("sse.ldmxcsr", "0f ae 13", NONE, S_MEM, 0);
    F("sse2.pxor", "66 0f ef c0", NONE, 0, 0);
    F("sse.prefetchnta", "0f 18 03", NONE, S_MEM, 0)->model = MODEL_CPU;
    F("0f.c3.movnti", "0f c3 03", NONE, S_MEM, 0);
    F("0f.c7/6.rdrand", "0f c7 f0", NONE, 0, 0);
    F("0f.0d.reg", "0f 0d c0", NONE, 0, 0)->model = MODEL_CPU;
    F("0f.b9.ud1", "0f b9 c0", NONE, 0, 0);
    F("0f.04", "0f 04", NONE, 0, 0);
    F("0f.0a", "0f 0a", NONE, 0, 0);
    F("0f.24", "0f 24 c0", NONE, 0, 0);
    F("0f.36", "0f 36", NONE, 0, 0);
    F("rsm", "0f aa", NONE, 0, 0);
    F("d6.lock", "f0 d6", NONE, 0, 0)->model = MODEL_SDM;
}

static void nop_forms(void)
{
    F("nop", "90", NONE, 0, 0);
    F("nop.o16", "66 90", NONE, 0, 0);
    F("pause", "f3 90", NONE, 0, 0);
    F("nop.0f1f.m", "0f 1f 00", NONE, 0, 0);
    F("nop.0f1f.d8", "0f 1f 40 00", NONE, 0, 0);
    F("nop.0f1f.sib.d8", "0f 1f 44 00 00", NONE, 0, 0);
    F("nop.0f1f.o16.sib.d8", "66 0f 1f 44 00 00", NONE, 0, 0);
    F("nop.0f1f.d32", "0f 1f 80 00 00 00 00", NONE, 0, 0);
    F("nop.0f1f.sib.d32", "0f 1f 84 00 00 00 00 00", NONE, 0, 0);
    F("nop.0f1f.o16.sib.d32", "66 0f 1f 84 00 00 00 00 00", NONE, 0, 0);
    F("nop.0f1f.reg", "0f 1f c0", NONE, 0, 0);
    F("nop.0f1f.a16", "67 0f 1f 00", NONE, 0, 0);
    for (unsigned op = 0x19; op <= 0x1E; op++)
        F(S("nop.0f%02x", op), S("0f %02x 00", op), NONE, 0, 0);
    F("nop.0f18/4", "0f 18 20", NONE, 0, 0)->model = MODEL_CPU;
    F("lock.nop", "f0 90", NONE, 0, 0);
    F("lock.nop.0f1f", "f0 0f 1f 00", NONE, 0, 0)->model = MODEL_SDM;
}

static void prefix_forms(void)
{
    F("o16.o16.mov", "66 66 8b c1", NONE, 0, 0);
    F("a16.a16.lea", "67 67 8d 00", NONE, 0, 0);
    F("rep.add", "f3 01 c8", FL_ALL6, 0, 0);
    F("repne.mov", "f2 8b c1", NONE, 0, 0);
    F("seg.cs.ds.mov", "2e 3e 8b 03", NONE, S_MEM | S_SEG, 0);
    F("seg.es.fs.mov", "26 64 8b 03", NONE, S_MEM | S_SEG, 0);
    F("seg.fs.ds.mov", "64 3e 8b 03", NONE, S_MEM | S_SEG, 0);
    F("seg.es.mov", "26 8b 03", NONE, S_MEM | S_SEG, 0);
    F("seg.cs.mov", "2e 8b 03", NONE, S_MEM | S_SEG | S_DS30, 0);
    F("seg.ss.mov", "36 8b 03", NONE, S_MEM | S_SEG | S_DS30, 0);
    F("seg.ds.mov", "3e 8b 03", NONE, S_MEM | S_DS30, 0);
    F("seg.fs.mov", "64 8b 03", NONE, S_MEM | S_SEG, 0);
    F("seg.gs.add", "65 01 0b", FL_ALL6, S_MEM | S_SEG, 0);
    F("seg.fs.nomem", "64 01 c8", FL_ALL6, S_SEG, 0);
    F("seg.ds.[ebp]", "3e 8b 45 00", NONE, S_MEM | S_DS30, fx_addr);
    F("lock.lock.add", "f0 f0 01 0b", FL_ALL6, S_MEM, 0);
    F("lock.o16.seg.add", "f0 66 26 01 0b", FL_ALL6, S_MEM | S_SEG, 0);
    F("o16.rep.lock.add", "66 f3 f0 01 0b", FL_ALL6, S_MEM, 0);
    F("seg.fs.lea", "64 8d 03", NONE, S_SEG, 0);
    F("seg.fs.push.m32", "64 ff 33", NONE, S_MEM | S_STK | S_SEG, 0);
    F("seg.es.pop.m32", "26 8f 03", NONE, S_MEM | S_STK | S_SEG, 0);
    F("hint.cs.jz.rel8", "2e 74 03 8d 40 01", NONE, 0, 0);
    F("hint.ds.jnz.rel32", "3e 0f 85 03 00 00 00 8d 40 01", NONE, 0, 0);
    F("repne.jmp.rel8", "f2 eb 03 8d 40 01", NONE, 0, 0);
    F("repne.call.rel32", "f2 e8 00 00 00 00", NONE, S_STK, 0);
    F("o16.a16.seg.rep.order", "f3 67 26 66 a5", NONE, S_STR16 | S_SEG, 0);
    F("len15.mov", "26 26 26 26 26 26 26 26 26 26 26 26 26 8b 03", NONE, S_MEM | S_SEG, 0);
    F("len16.mov", "26 26 26 26 26 26 26 26 26 26 26 26 26 26 8b 03", NONE, S_MEM | S_SEG, 0);
    F("len15.add.imm16", "26 26 26 26 26 66 81 83 00 00 00 00 iw", FL_ALL6, S_MEM, 0);
    F("len16.add.imm16", "26 26 26 26 26 26 66 81 83 00 00 00 00 iw", FL_ALL6, S_MEM, 0);
    F("len17.prefixes", "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", NONE, 0, 0);
}

/* ESC, WAIT, MMX, FXSR, SEP, RDPMC. Each ESC form runs from FNINIT (the
 * default control word, where QEMU's x87 equals the hardware's: issue 17)
 * and makes its result visible in memory or EAX: doubles loaded from [EBX],
 * the result stored at [EBX+16] or the condition codes (C3 C2 C0, not C1,
 * where QEMU differs) in EAX. With CR0.EM or CR0.TS set the single
 * instruction raises #NM. MMX, FXSR, SEP and RDPMC are model lines (QEMU's
 * and Bochs's Pentium II have them). SDM vol. 3A §2.5 (CR0.EM, TS, MP) and
 * table 12-1 / 13-1. */
static void fpu_forms(void)
{
    static const struct { const char *n, *t, *run; unsigned setup; } esc[] = {
        { "fadd.st0,st1", "d8 c1", "db e3 dd 03 dd 43 08 d8 c1 dd 5b 10", S_MEM },
        { "fld.st0", "d9 c0", "db e3 dd 03 d9 c0 de c1 dd 5b 10", S_MEM },
        { "fld1", "d9 e8", "db e3 d9 e8 dc 03 dd 5b 10", S_MEM },
        { "fiadd.m32", "da 03", "db e3 dd 43 08 da 03 dd 5b 10", S_MEM },
        { "fninit", "db e3", "d9 e8 db e3 df e0", 0 },
        { "fld.m64", "dd 03", "db e3 dd 03 db 5b 10", S_MEM },
        { "faddp", "de c1", "db e3 dd 03 dd 43 08 de c1 dd 5b 10", S_MEM },
        { "fnstsw.ax", "df e0", "db e3 dd 03 dc 5b 08 df e0 25 00 45 00 00", S_MEM },
        { "fnstcw.m16", "d9 3b", "db e3 d9 3b", S_MEM },
    };
    struct form *f;
    for (unsigned i = 0; i < sizeof esc / sizeof esc[0]; i++) {
        F(S("esc.%s", esc[i].n), esc[i].run, NONE, esc[i].setup, 0);
        f = F(S("esc.%s.em", esc[i].n), esc[i].t, NONE, esc[i].setup, 0);
        f->cr0_set = 4;
        f = F(S("esc.%s.ts", esc[i].n), esc[i].t, NONE, esc[i].setup, 0);
        f->cr0_set = 8;
    }
    F("wait", "9b", NONE, 0, 0);
    F("wait.em", "9b", NONE, 0, 0)->cr0_set = 4;
    F("wait.ts", "9b", NONE, 0, 0)->cr0_set = 8;
    F("wait.mp.ts", "9b", NONE, 0, 0)->cr0_set = 2 | 8;
    static const struct { const char *n, *t; unsigned setup; } mmx[] = {
        { "mmx.movq", "0f 6f c1", 0 }, { "mmx.emms", "0f 77", 0 }, { "mmx.pxor", "0f ef c0", 0 },
        { "mmx.movd.m32", "0f 7e 03", S_MEM },
    };
    for (unsigned i = 0; i < sizeof mmx / sizeof mmx[0]; i++) {
        F(mmx[i].n, mmx[i].t, NONE, mmx[i].setup, 0)->model = MODEL_CPU;
        f = F(S("%s.em", mmx[i].n), mmx[i].t, NONE, mmx[i].setup, 0);
        f->cr0_set = 4;
        if (i == 1)                     /* QEMU runs EMMS with CR0.EM=1 */
            f->model = MODEL_SDM;
        f = F(S("%s.ts", mmx[i].n), mmx[i].t, NONE, mmx[i].setup, 0);
        f->cr0_set = 8;
        f->model = MODEL_CPU;
    }
    F("fxsave", "0f ae 03", NONE, 0, fx_fxbuf)->model = MODEL_CPU;
    F("fxrstor", "0f ae 0b", NONE, 0, fx_fxbuf)->model = MODEL_CPU;
    F("sysenter", "0f 34", NONE, 0, 0)->model = MODEL_CPU;
    F("sysexit", "0f 35", NONE, 0, 0)->model = MODEL_CPU;
    F("rdpmc", "0f 33", NONE, 0, 0)->model = MODEL_CPU;
}

unsigned cd_build_forms(void)
{
    nforms = 0;
    pool_used = 0;
    alu_forms();
    unary_forms();
    muldiv_forms();
    shift_forms();
    bit_forms();
    cond_forms();
    data_forms();
    lea_forms();
    stack_forms();
    string_forms();
    int_forms();
    nop_forms();
    prefix_forms();
    fpu_forms();
    return nforms;
}
