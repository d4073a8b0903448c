/* fpu-double: a program computing with `double`, built twice with
 * `-O2 -fexcess-precision=standard`: as a test guest and, with -DFD_HOST, as a
 * `gcc -m32 -static` Linux program that runs the host's own x87. It prints
 * the bits of each result: a table of square roots, sums (harmonic,
 * alternating, compensated, dot products in excess precision), products and
 * quotients with float and integer conversions, and sines and exponentials
 * from polynomials written here. The two outputs must be equal
 * (fpu-double-host.py); the lines from FSIN and F2XM1 themselves are
 * `model:` lines, since QEMU's transcendentals differ from the hardware's
 * (compare.py checks them against fpu-double.model under vmscope). */
#include <stdint.h>
#if defined FD_ABI
/* tests/abi/double.c: its includer gives out() */
#elif defined FD_HOST
#include <stdio.h>
#define out printf
#else
#include "guest/rt/rt.h"
#define out rt_printf
#endif

static uint64_t bits(double d)
{
    union { double d; uint64_t u; } v = { d };
    return v.u;
}

static uint32_t fbits(float f)
{
    union { float f; uint32_t u; } v = { f };
    return v.u;
}

static void pr(const char *what, int i, double d)
{
#ifdef FD_ABI
    out("%s %d %016llx %.17g\n", what, i, (unsigned long long)bits(d), d);   /* glibc's decimal too */
#else
    out("%s %d %016llx\n", what, i, (unsigned long long)bits(d));
#endif
}

/* Keep the compiler from folding a value known at compile time. */
static double opaque(double d)
{
    __asm__ volatile("" : "+m"(d));
    return d;
}

/* sin x from its Taylor polynomial after reducing by pi/2 in two parts
 * (Cody-Waite), in double with excess precision where C allows it. */
static double poly_sin(double x)
{
    static const double c[] = { -1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880, -1.0 / 39916800,
                                1.0 / 6227020800.0, -1.0 / 1307674368000.0 };
    static const double d[] = { -0.5, 1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800,
                                1.0 / 479001600, -1.0 / 87178291200.0 };
    const double pio2_hi = 1.57079632673412561417e+00, pio2_lo = 6.07710050650619224932e-11;
    double q = x * 0.63661977236758134308;
    int n = (int)(q < 0 ? q - 0.5 : q + 0.5);
    double r = (x - n * pio2_hi) - n * pio2_lo;
    double r2 = r * r, s;
    if (n & 1) {
        s = d[6];
        for (int k = 5; k >= 0; k--)
            s = s * r2 + d[k];
        s = 1 + r2 * s;
    } else {
        s = c[6];
        for (int k = 5; k >= 0; k--)
            s = s * r2 + c[k];
        s = r + r * r2 * s;
    }
    return (n & 2) ? -s : s;
}

/* 2^x from e^(x ln2) by a polynomial, for |x| <= 1. */
static double poly_exp2(double x)
{
    double t = x * 0.69314718055994530942, s = 1, term = 1;
    for (int k = 1; k < 22; k++) {
        term = term * t / k;
        s += term;
    }
    return s;
}

/* FSQRT, then the double rounding of the assignment (under standard
 * excess precision GCC does not inline sqrt for the x87). */
static double x87_fsqrt(double x)
{
    __asm__("fsqrt" : "+t"(x));
    return x;
}

static double x87_fsin(double x)
{
    __asm__("fsin" : "+t"(x));
    return x;
}

static double x87_f2xm1(double x)
{
    __asm__("f2xm1" : "+t"(x));
    return x;
}

static int fd_main(void)
{
    out("fpu-double: start\n");
    /* square roots */
    for (int i = 0; i <= 40; i++)
        pr("sqrt", i, x87_fsqrt(opaque((double)i)));
    for (int i = 1; i <= 16; i++)
        pr("sqrt.frac", i, x87_fsqrt(opaque(1.0 / i)));
    pr("sqrt.neg", 0, x87_fsqrt(opaque(-2.0)));
    pr("sqrt.tiny", 0, x87_fsqrt(opaque(4.9406564584124654e-324)));
    /* sums */
    double h = 0, alt = 0, kahan = 0, comp = 0;
    for (int i = 1; i <= 2000; i++) {
        h += 1.0 / i;
        alt += (i & 1 ? 1.0 : -1.0) / (2 * i - 1);
        double y = 0.1 - comp, t = kahan + y;
        comp = (t - kahan) - y;
        kahan = t;
        if (i % 250 == 0) {
            pr("harmonic", i, h);
            pr("leibniz", i, 4 * alt);
            pr("kahan", i, kahan);
        }
    }
    /* excess precision: a * b + c in one expression, the assignment rounds */
    for (int i = 1; i <= 12; i++) {
        double a = opaque(1.0 + 1.0 / (1 << i)), b = opaque(1.0 - 1.0 / (1 << i)), c = opaque(-1.0);
        double dot = a * b + c;
        pr("fma-like", i, dot);
        pr("dot3", i, a * a + b * b - 2 * a * b);
    }
    /* products, quotients, conversions */
    double p = 1;
    float f = 1;
    for (int i = 1; i <= 30; i++) {
        p *= opaque(1.1);
        f = f * 1.1f + 0.3f;
        out("mixed %d %016llx %08x %d %lld\n", i, (unsigned long long)bits(p / 3), (unsigned)fbits(f),
            (int)(p * 1000), (long long)(p * 1e12));
    }
    for (int i = 1; i <= 12; i++)
        pr("third", i, opaque((double)i) / 3);
    pr("big", 0, opaque(1e308) * 10);
    pr("small", 0, opaque(1e-308) / 1e10);
    /* polynomials written here */
    for (int i = -24; i <= 24; i++) {
        double x = i * 0.3;
        pr("poly_sin", i, poly_sin(opaque(x)));
    }
    for (int i = -16; i <= 16; i++)
        pr("poly_exp2", i, poly_exp2(opaque(i / 16.0)));
    /* the x87's own transcendentals */
    for (int i = -24; i <= 24; i++)
        out("model: fsin %d %016llx\n", i, (unsigned long long)bits(x87_fsin(opaque(i * 0.3))));
    for (int i = -16; i <= 16; i++)
        out("model: f2xm1 %d %016llx\n", i, (unsigned long long)bits(x87_f2xm1(opaque(i / 16.0))));
    out("fpu-double: done\n");
    return 0;
}

#if defined FD_ABI
/* tests/abi/double.c calls fd_main */
#elif defined FD_HOST
int main(void)
{
    return fd_main();
}
#else
int main(struct mb_info *mbi)
{
    __asm__ volatile("fninit");     /* the control word Linux gives a program: 0x037F */
    return fd_main();
}
#endif
