/* vmscope: boot a kernel on an emulated PC and report how it ended (or make
 * a disk image for it: `vmscope mkdisk`, emu/mkdisk.c). */
#include "emu/cli.h"
#include "emu/console.h"
#include "emu/gdbstub.h"
#include "emu/inspect.h"
#include "emu/live.h"
#include "emu/machine.h"
#include "emu/mkdisk.h"
#include "emu/symbols.h"

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* Options that need checking before the machine is built. */
static bool check_options(const struct vm_options *o, struct inspect_point *at, char *err, unsigned errlen)
{
    if (o->inspect_at && !inspect_point_parse(o->inspect_at, at, err, errlen))
        return false;
    if ((o->inspect || o->then) && !o->inspect_at) {
        snprintf(err, errlen, "--inspect and --then need --inspect-at");
        return false;
    }
    if (o->inspect && !inspect_list_valid(o->inspect, err, errlen))
        return false;
    if (o->then && strcmp(o->then, "stop") != 0 && strcmp(o->then, "continue") != 0) {
        snprintf(err, errlen, "--then: expected continue or stop, not '%s'", o->then);
        return false;
    }
    if (o->gdb_wait && !o->gdb_port) {
        snprintf(err, errlen, "--gdb-wait needs --gdb PORT");
        return false;
    }
    if (o->tty && (o->input_file || o->input_string)) {
        snprintf(err, errlen, "--tty reads COM1's input from the terminal: not with --input-%s",
                 o->input_file ? "file" : "string");
        return false;
    }
    if (o->tty && !isatty(0)) {
        snprintf(err, errlen, "--tty: standard input is not a terminal");
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    /* Handlers first: a signal during start-up still ends with status 10. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct vm_paths paths;
    vm_paths_find(&paths, NULL);
    struct vm_options opt;
    switch (cli_parse(argc, argv, &paths, &opt)) {
    case CLI_EXIT_OK: return 0;
    case CLI_EXIT_USAGE: return 2;
    case CLI_MKDISK: return mkdisk_main(argc - 2, argv + 2, paths.tree, &got_signal);
    case CLI_RUN: break;
    }
    char err[512] = "";
    struct inspect_point at;
    if (!check_options(&opt, &at, err, sizeof err)) {
        fprintf(stderr, "vmscope: %s\n", err);
        return 2;
    }
    struct live *live;
    if (!live_prepare(&opt, &live, err, sizeof err)) {
        fprintf(stderr, "vmscope: %s\n", err);
        return 2;
    }
    struct machine *m = machine_new(&opt, err, sizeof err);
    if (!m || !live_start(live, m, err, sizeof err)) {
        fprintf(stderr, "vmscope: %s\n", err);
        live_finish(live, m);
        machine_free(m);
        return 2;
    }
    if (opt.itrace && !cpu_itrace_setup(m, opt.itrace, opt.itrace_limit, stderr, err, sizeof err)) {
        fprintf(stderr, "vmscope: %s\n", err);
        machine_free(m);
        return 2;
    }
    struct gdbstub *gdb = NULL;
    if (opt.gdb_port && !(gdb = gdb_listen((uint16_t)opt.gdb_port, err, sizeof err))) {
        fprintf(stderr, "vmscope: %s\n", err);
        machine_free(m);
        return 2;
    }
    attn_flag = &m->attn;
    if (opt.tty) {
        /* The terminal may hang up under an interactive run: end it as
         * SIGTERM would, with the disk and the trace flushed. */
        sigaction(SIGHUP, &sa, NULL);
        if (!console_raw_enter(0, err, sizeof err)) {
            fprintf(stderr, "vmscope: %s\n", err);
            attn_flag = NULL;
            gdb_free(gdb);
            machine_free(m);
            return 2;
        }
    }

    double t0 = now_seconds();
    if (opt.inspect_at) {
        if (!inspect_run_to(m, &got_signal, &at, opt.inspect ? opt.inspect : "regs,pagetables", stderr))
            fprintf(stderr, "vmscope: --inspect-at %s: the run ended before that moment\n", opt.inspect_at);
        else if (opt.then && strcmp(opt.then, "stop") == 0)
            machine_stop(m, STOP_INSPECT, 0, "stopped after inspection (--then stop)");
    }
    int status = gdb ? gdb_run(m, gdb, opt.gdb_wait, &got_signal) : machine_run(m, &got_signal);
    double t1 = now_seconds();
    live_finish(live, m);
    console_restore();
    if (m->stop == STOP_SIGNAL || m->stop == STOP_TRIPLE_FAULT || m->stop == STOP_OUT_OF_SCOPE ||
        m->stop == STOP_HOST_ERROR || m->stop == STOP_HALTED)
        fprintf(stderr, "vmscope: %s\n", m->stop_msg);
    if (m->stop == STOP_TRIPLE_FAULT) {
        char where[128];
        cpu_dump(m, stderr);
        fprintf(stderr, "EIP %08x is %s\n", m->cpu.eip,
                symtab_format(m->syms, m->cpu.seg[S_CS].base + m->cpu.eip, where, sizeof where));
    }
    if (!opt.quiet)
        machine_summary(m, stderr, t1 - t0);
    attn_flag = NULL;
    gdb_free(gdb);
    machine_free(m);
    return status;
}
