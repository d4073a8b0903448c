/* smc: self-modifying code. Code patches an immediate in the next
 * instruction, in its own loop, in a function on another page and in an
 * instruction that spans two pages; rewrites a jump and an opcode; and
 * generates functions into a page at run time (by stores and by REP MOVSB),
 * running each right after writing it. Prints what each returned, which
 * must be the same under QEMU and vmscope (a stale decoded-instruction
 * cache shows as a different number). */
#include "guest/rt/rt.h"

uint32_t smc_next(uint32_t v);
uint32_t smc_loop(uint32_t n);
uint32_t smc_jump(uint32_t sel);
uint32_t smc_opcode(uint32_t pattern);
uint32_t smc_far_call(uint32_t v);
uint32_t smc_span(uint32_t v, uint32_t which);
extern uint8_t smc_buf[];

static uint32_t rng = 12345;

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Emit "mov $a, %eax; add $b, %eax; ret" at p (11 or 12 bytes: the ADD
 * uses the short imm8 form when b fits), padding with nothing. */
static unsigned emit_add(uint8_t *p, uint32_t a, uint32_t b)
{
    unsigned n = 0;
    p[n++] = 0xB8;
    memcpy(p + n, &a, 4); n += 4;
    if ((int32_t)b >= -128 && (int32_t)b <= 127) {
        p[n++] = 0x83; p[n++] = 0xC0; p[n++] = (uint8_t)b;
    } else {
        p[n++] = 0x05;
        memcpy(p + n, &b, 4); n += 4;
    }
    p[n++] = 0xC3;
    return n;
}

/* A template copied over smc_buf with REP MOVSB: "mov $k, %ecx; xor %eax,
 * %eax; 1: add %ecx, %eax; loop 1b; ret" (sum of k..1). */
static const uint8_t sum_tmpl[] = { 0xB9, 0, 0, 0, 0, 0x31, 0xC0, 0x01, 0xC8, 0xE2, 0xFC, 0xC3 };

int main(struct mb_info *mbi)
{
    uint32_t acc;
    rt_printf("smc: self-modifying code\n");

    acc = 0;
    for (uint32_t i = 0; i < 1000; i++)
        acc = acc * 31 + smc_next(i * 2654435761u);
    rt_printf("next instruction: %08x\n", acc);

    acc = 0;
    for (uint32_t n = 1; n <= 300; n += 7)
        acc = acc * 31 + smc_loop(n);
    rt_printf("own loop: %08x\n", acc);

    uint32_t ones = 0, twos = 0;
    for (uint32_t i = 0; i < 500; i++) {
        uint32_t r = smc_jump(next_rand() >> 7);
        if (r == 1) ones++;
        else if (r == 2) twos++;
    }
    rt_printf("jump: %u to the first target, %u to the second\n", ones, twos);

    acc = 0;
    for (uint32_t i = 0; i < 200; i++)
        acc = acc * 31 + smc_opcode(next_rand());
    rt_printf("opcode: %08x\n", acc);

    acc = 0;
    for (uint32_t i = 0; i < 500; i++)
        acc = acc * 31 + smc_far_call(next_rand());
    rt_printf("other page: %08x\n", acc);

    acc = 0;
    for (uint32_t i = 0; i < 300; i++)
        acc = acc * 31 + smc_span(next_rand(), i % 3);
    rt_printf("spanning two pages: %08x\n", acc);

    /* generated code: rewrite the same bytes with code of varying length */
    acc = 0;
    for (uint32_t i = 0; i < 400; i++) {
        uint32_t a = next_rand(), b = next_rand();
        if (i & 1)
            b = (uint32_t)(int32_t)(int8_t)b;
        emit_add(smc_buf + (i % 4) * 4, a, b);
        uint32_t (*fn)(void) = (uint32_t (*)(void))(smc_buf + (i % 4) * 4);
        uint32_t r = fn();
        if (r != a + b)
            rt_printf("generated %u: got %08x, want %08x\n", i, r, a + b);
        acc = acc * 31 + r;
    }
    rt_printf("generated: %08x\n", acc);

    acc = 0;
    for (uint32_t k = 1; k < 200; k += 3) {
        uint8_t t[sizeof sum_tmpl];
        memcpy(t, sum_tmpl, sizeof t);
        memcpy(t + 1, &k, 4);
        uint8_t *dst = smc_buf + 64 + (k % 5);
        __asm__ volatile("rep movsb" : "+D"(dst), "+S"((const uint8_t *){ t }), "+c"((uint32_t){ sizeof t }) :: "memory");
        uint32_t (*fn)(void) = (uint32_t (*)(void))(smc_buf + 64 + (k % 5));
        acc = acc * 31 + fn();
    }
    rt_printf("copied with rep movsb: %08x\n", acc);
    rt_printf("smc: done\n");
    return 0;
}
