/* fpu: the kernel's lazy FPU switching (kernel/i387.c).
 *
 *  1. Two children fill all eight x87 registers with their own values and
 *     keep computing with them across many time slices (each does
 *     ST0 = ST0 + 1 - 1 and FINCSTP in a loop, with CR0.TS and #NM handing the FPU
 *     back and forth); each ends with its own values intact.
 *  2. A new program starts with a clean FPU: control word 0x037F, all
 *     registers empty.
 *  3. fork copies the FPU state: the child sees the parent's registers and
 *     control word.
 *  4. A division by zero with ZE unmasked kills the process with SIGFPE at
 *     the next waiting instruction (#MF), the reason naming FPE_FLTDIV.
 * The program is built without x87 code generation; the FPU is used
 * through inline assembly. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <vmscope.h>

static const int one = 1;

/* Load base..base+7 into ST7..ST0 (ST0 = base + 7). */
static void fill(int base)
{
    for (int k = 0; k < 8; k++) {
        int v = base + k;
        __asm__ volatile("fildl %0" :: "m"(v));
    }
}

/* Every register += 1 then -= 1 (rotating with FINCSTP), ROUNDS times. */
static void churn(unsigned rounds)
{
    for (unsigned r = 0; r < rounds; r++)
        for (int k = 0; k < 8; k++)
            __asm__ volatile("fiaddl %0\n\tfisubl %0\n\tfincstp" :: "m"(one));
}

/* Pop the eight registers as integers: ST0 first. */
static int drain_check(int base)
{
    int bad = 0;
    for (int k = 7; k >= 0; k--) {
        int v;
        __asm__ volatile("fistpl %0" : "=m"(v));
        if (v != base + k)
            bad++;
    }
    return bad;
}

static int worker(int base)
{
    __asm__ volatile("fninit");
    fill(base);
    for (int n = 0; n < 40; n++) {
        churn(2000);
        sched_yield();
    }
    return drain_check(base);
}

static unsigned short fstcw(void) { unsigned short cw; __asm__ volatile("fnstcw %0" : "=m"(cw)); return cw; }
static unsigned short fstsw(void) { unsigned short sw; __asm__ volatile("fnstsw %0" : "=m"(sw)); return sw; }

int main(int argc, char **argv)
{
    /* 2. a clean FPU for a new program */
    unsigned short cw = fstcw(), sw = fstsw();
    unsigned char env[28];
    __asm__ volatile("fnstenv %0" : "=m"(env));
    check(cw == 0x037F, "control word 0x%04x at start, not 0x037f", cw);
    check(sw == 0, "status word 0x%04x at start", sw);
    check(env[8] == 0xFF && env[9] == 0xFF, "registers not empty at start (tag word %02x%02x)", env[9], env[8]);
    __asm__ volatile("fldcw %0" :: "m"(cw));        /* FNSTENV masked everything: undo */
    printf("fpu: a new program starts with control word %04x, status word %04x, all empty\n", cw, sw);

    /* 1. two tasks sharing the FPU over many switches */
    pid_t a = fork();
    check(a >= 0, "fork failed");
    if (a == 0)
        _exit(worker(100));
    pid_t b = fork();
    check(b >= 0, "fork failed");
    if (b == 0)
        _exit(worker(200));
    int st;
    check(waitpid(a, &st, 0) == a && WIFEXITED(st) && WEXITSTATUS(st) == 0, "first worker: status %04x", st);
    check(waitpid(b, &st, 0) == b && WIFEXITED(st) && WEXITSTATUS(st) == 0, "second worker: status %04x", st);
    printf("fpu: two tasks kept their eight registers over 80 switches each\n");

    /* 3. fork copies the FPU state */
    unsigned short mycw = 0x0F7F;
    __asm__ volatile("fninit\n\tfldcw %0\n\tfldpi" :: "m"(mycw));
    pid_t c = fork();
    check(c >= 0, "fork failed");
    if (c == 0) {
        unsigned char img[10], want[10] = { 0x34, 0xC2, 0x68, 0x21, 0xA2, 0xDA, 0x0F, 0xC9, 0x00, 0x40 };
        __asm__ volatile("fstpt %0" : "=m"(img));
        /* pi rounded toward zero: ...C234, not ...C235 */
        _exit(fstcw() == 0x0F7F && !memcmp(img, want, 10) ? 0 : 1);
    }
    check(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork child: status %04x", st);
    __asm__ volatile("fstp %st(0)");
    printf("fpu: fork copied the registers and the control word\n");

    /* 4. an unmasked division by zero */
    pid_t d = fork();
    check(d >= 0, "fork failed");
    if (d == 0) {
        unsigned short zcw = 0x037B;                /* ZM clear */
        __asm__ volatile("fninit\n\tfldcw %0\n\tfld1\n\tfldz\n\tfdivrp\n\tfwait" :: "m"(zcw));
        _exit(0);
    }
    struct rusage ru;
    check(wait4(d, &st, 0, &ru) == d, "wait4 failed");
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGFPE, "zero divide: status %04x (%s)", st, ru.ru_reason);
    check(!strncmp(ru.ru_reason, "SIGFPE: coprocessor error (FPE_FLTDIV)", 38), "reason \"%s\"", ru.ru_reason);
    printf("fpu: zero divide with ZE unmasked -> %.38s\n", ru.ru_reason);
    return 0;
}
