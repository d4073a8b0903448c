/* The kernel's random numbers (see include/random.h): xoshiro128** over a
 * state filled from the seed by splitmix32. */
#include <kernel.h>
#include <random.h>

static u32 state[4];

static u32 splitmix32(u32 *x)
{
    u32 z = (*x += 0x9E3779B9u);
    z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
    z = (z ^ (z >> 13)) * 0xC2B2AE35u;
    return z ^ (z >> 16);
}

static inline u32 rotl(u32 x, int k) { return (x << k) | (x >> (32 - k)); }

static u32 next(void)
{
    u32 result = rotl(state[1] * 5, 7) * 9, t = state[1] << 9;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= t;
    state[3] = rotl(state[3], 11);
    return result;
}

void rand_initialize(void)
{
    char buf[16];
    u32 seed = 0;
    if (cmdline_get("seed", buf, sizeof buf))
        for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
            seed = seed * 10 + (u32)(*p - '0');
    for (int i = 0; i < 4; i++)
        state[i] = splitmix32(&seed);
}

void get_random_bytes(void *buf, size_t n)
{
    u8 *p = buf;
    while (n) {
        u32 v = next();
        for (int i = 0; i < 4 && n; i++, n--)
            *p++ = (u8)(v >> (8 * i));
    }
}
