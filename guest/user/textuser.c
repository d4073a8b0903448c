/* textuser: a helper of shared-text (not a test by itself). It runs code
 * spread over several pages of its text, so every text page is mapped, then
 * sleeps long enough for its twin to do the same, and exits 0. */
#include <unistd.h>

#define CALLS(n) static int f##n(int x) { __asm__ volatile(".skip 1024, 0x90"); return x + n; }
CALLS(0) CALLS(1) CALLS(2) CALLS(3) CALLS(4) CALLS(5) CALLS(6) CALLS(7)
CALLS(8) CALLS(9) CALLS(10) CALLS(11) CALLS(12) CALLS(13) CALLS(14) CALLS(15)

int main(void)
{
    int (*fns[])(int) = { f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15 };
    int x = 0;
    for (unsigned i = 0; i < sizeof fns / sizeof fns[0]; i++)
        x = fns[i](x);
    sleep(1);
    return x == 120 ? 0 : 1;
}
