/* vmscope: boot a kernel on an emulated PC and report how it ended. */
#include "emu/cli.h"
#include "emu/machine.h"

#include <signal.h>
#include <string.h>
#include <time.h>

/* The one process-wide datum: which signal arrived. The handler only sets it
 * and pokes the running machine's attention flag. */
static volatile sig_atomic_t got_signal;
static volatile int *attn_flag;

static void on_signal(int sig)
{
    got_signal = sig;
    if (attn_flag)
        *attn_flag = 1;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);   /* host time: reported, never used by the guest */
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    struct vm_options opt;
    switch (cli_parse(argc, argv, &opt)) {
    case CLI_EXIT_OK: return 0;
    case CLI_EXIT_USAGE: return 2;
    case CLI_RUN: break;
    }
    char err[512] = "";
    struct machine *m = machine_new(&opt, err, sizeof err);
    if (!m) {
        fprintf(stderr, "vmscope: %s\n", err);
        return 2;
    }
    attn_flag = &m->attn;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    double t0 = now_seconds();
    int status = machine_run(m, &got_signal);
    double t1 = now_seconds();
    if (m->stop == STOP_SIGNAL)
        fprintf(stderr, "vmscope: %s\n", m->stop_msg);
    else if (m->stop == STOP_TRIPLE_FAULT || m->stop == STOP_OUT_OF_SCOPE || m->stop == STOP_HOST_ERROR)
        fprintf(stderr, "vmscope: %s\n", m->stop_msg);
    if (m->stop == STOP_TRIPLE_FAULT)
        cpu_dump(m, stderr);
    if (!opt.quiet)
        machine_summary(m, stderr, t1 - t0);
    attn_flag = NULL;
    machine_free(m);
    return status;
}
