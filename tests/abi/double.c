/* The x87 issue's program computing with `double` (tests/guests/fpu-double),
 * as a Linux program: built by gcc -m32 -static with -O2
 * -fexcess-precision=standard, printed through glibc's printf, each result
 * as its bits and with %.17g. The host's x87 and the guest's must print the
 * same lines; those of FSIN and F2XM1 are model: lines (their last bits
 * differ between the host's x87 and Bochs's, which vmscope follows), not
 * compared.
 * calls: write */
#define FD_ABI
#include "abi.h"

/* fpu-double.c's lines: each one compared, but its model: lines. */
__attribute__((format(printf, 1, 2))) static void abi_out(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    line[strcspn(line, "\n")] = 0;
    if (strncmp(line, "model: ", 7) == 0)
        model("%s", line + 7);
    else
        say("%s", line);
}
#define out abi_out
#include "../guests/fpu-double/fpu-double.c"

int main(void)
{
    ABI_BEGIN("double");
    int rc = fd_main();
    ABI_END("double");
    return rc;
}
