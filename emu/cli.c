/* `vmscope run [options] [KERNEL]`: options are a table, and --help is made
 * from the same table so the two never drift apart. */
#include "emu/cli.h"
#include "emu/sizes.h"
#include "mmu/tlb.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#ifndef VMSCOPE_DEFAULT_KERNEL
#define VMSCOPE_DEFAULT_KERNEL "guest/kernel.elf"
#endif
#ifndef VMSCOPE_DEFAULT_MODULE
#define VMSCOPE_DEFAULT_MODULE "guest/initrd.cpio"
#endif
#ifndef VMSCOPE_DEFAULT_CMDLINE
#define VMSCOPE_DEFAULT_CMDLINE ""
#endif

enum opt_type { T_FLAG, T_STR, T_SIZE32, T_SIZE64, T_U64, T_U32, T_MODULE, T_OPTSTR };

struct opt_desc {
    const char *name;       /* without the leading -- */
    enum opt_type type;
    size_t off;             /* field in struct vm_options */
    const char *arg;        /* argument name for --help */
    const char *help;
    uint64_t max;           /* T_U32: largest value accepted */
};

#define F(field) offsetof(struct vm_options, field)

static const struct opt_desc opts[] = {
    { "mem", T_SIZE32, F(mem), "SIZE", "guest RAM (default 16M; K/M/G suffixes)" },
    { "cmdline", T_STR, F(cmdline), "STR", "kernel command line after the file name" },
    { "module", T_MODULE, 0, "FILE", "load a Multiboot module (repeatable; \"FILE ARGS\" passes ARGS)" },
    { "disk", T_STR, F(disk), "FILE", "attach a raw disk image as the primary ATA master" },
    { "disk-size", T_SIZE64, F(disk_size), "SIZE", "create the disk image with this size when absent" },
    { "disk-readonly", T_FLAG, F(disk_readonly), NULL, "attach the disk write-protected" },
    { "trace", T_STR, F(trace), "FILE", "record translations, faults and replacements to FILE" },
    { "trace-filter", T_STR, F(trace_filter), "KINDS", "record only these record kinds" },
    { "max-cycles", T_U64, F(max_cycles), "N", "stop after N cycles (exit status 6)" },
    { "cpu-mhz", T_U32, F(cpu_mhz), "N", "virtual CPU frequency in MHz (default 100)", 100000 },
    { "serial", T_STR, F(serial), "FILE", "COM1 output to FILE instead of stdout" },
    { "debugcon", T_STR, F(debugcon), "FILE", "port 0xE9 output to FILE instead of stderr" },
    { "input-file", T_STR, F(input_file), "FILE", "COM1 input from FILE" },
    { "input-string", T_STR, F(input_string), "STR", "COM1 input from STR" },
    { "tlb", T_STR, F(tlb), "SPEC", "TLB geometry and policy, e.g. itlb=32:4,dtlb=64:4,policy=lru" },
    { "cycles", T_STR, F(cycles), "SPEC", "cycle model, e.g. memlat=N,..." },
    { "itrace", T_OPTSTR, F(itrace), "FROM-TO", "print executed instructions (optionally an EIP range)" },
    { "itrace-limit", T_U64, F(itrace_limit), "N", "print at most N instructions" },
    { "rtc-base", T_U64, F(rtc_base), "SECS", "CMOS clock start, Unix seconds" },
    { "no-fastpath", T_FLAG, F(no_fastpath), NULL, "model-only memory path (same counts, slower)" },
    { "gdb", T_U32, F(gdb_port), "PORT", "serve the GDB remote protocol on 127.0.0.1:PORT", 65535 },
    { "gdb-wait", T_FLAG, F(gdb_wait), NULL, "with --gdb: stop before the first instruction" },
    { "inspect-at", T_STR, F(inspect_at), "WHEN", "at cycle N, insn:N, fault:N or end: print --inspect views" },
    { "inspect", T_STR, F(inspect), "WHAT", "views: regs,pagetables,tlb,phys,mem:ADDR:LEN,physmem:ADDR:LEN" },
    { "then", T_STR, F(then), "ACTION", "after --inspect-at: continue (default) or stop" },
    { "quiet", T_FLAG, F(quiet), NULL, "no end-of-run summary" },
};

static void usage_run(FILE *f)
{
    fprintf(f, "usage: vmscope run [options] [KERNEL]\n\n"
               "Boot a Multiboot KERNEL (ELF32) on an emulated PC. Without KERNEL, boot the\n"
               "guest kernel built in the tree with its initrd and --cmdline %s:\n  %s\n  %s\n\noptions:\n",
            VMSCOPE_DEFAULT_CMDLINE, VMSCOPE_DEFAULT_KERNEL, VMSCOPE_DEFAULT_MODULE);
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        char left[40];
        if (opts[i].type == T_OPTSTR)
            snprintf(left, sizeof left, "--%s[=%s]", opts[i].name, opts[i].arg);
        else if (opts[i].arg)
            snprintf(left, sizeof left, "--%s %s", opts[i].name, opts[i].arg);
        else
            snprintf(left, sizeof left, "--%s", opts[i].name);
        fprintf(f, "  %-26s %s\n", left, opts[i].help);
    }
    fprintf(f, "  %-26s %s\n", "--help", "this text");
    fputc('\n', f);
    tlb_help(f);
    fprintf(f, "\nexit status: (V<<1)|1 when the guest writes V to isa-debug-exit (port 0xF4);\n"
               "0 power-off; 2 usage or bad input; 4 triple fault; 6 --max-cycles reached;\n"
               "8 halted with nothing to wake it; 10 SIGINT/SIGTERM; 12 outside the modelled scope.\n");
}

static void usage_top(FILE *f)
{
    fprintf(f, "usage: vmscope COMMAND [options]\n\n"
               "commands:\n"
               "  run [options] [KERNEL]   boot a kernel and watch its memory\n\n"
               "  vmscope --help | --version | run --help\n");
}

static bool set_opt(const struct opt_desc *d, const char *val, struct vm_options *opt)
{
    char *base = (char *)opt;
    uint64_t v;
    switch (d->type) {
    case T_FLAG:
        *(bool *)(base + d->off) = true;
        return true;
    case T_STR:
    case T_OPTSTR:
        *(const char **)(base + d->off) = val;
        return true;
    case T_MODULE:
        if (opt->nmodules >= OPT_MAX_MODULES) {
            fprintf(stderr, "vmscope: --module: at most %d modules\n", OPT_MAX_MODULES);
            return false;
        }
        opt->modules[opt->nmodules++] = val;
        return true;
    case T_SIZE32:
        if (!parse_size(val, &v) || v > UINT32_MAX)
            break;
        *(uint32_t *)(base + d->off) = (uint32_t)v;
        return true;
    case T_SIZE64:
        if (!parse_size(val, &v))
            break;
        *(uint64_t *)(base + d->off) = v;
        return true;
    case T_U64:
        if (!parse_u64(val, &v))
            break;
        *(uint64_t *)(base + d->off) = v;
        return true;
    case T_U32:
        if (!parse_u64(val, &v) || v == 0 || v > d->max)
            break;
        *(uint32_t *)(base + d->off) = (uint32_t)v;
        return true;
    }
    fprintf(stderr, "vmscope: --%s: bad value '%s'\n", d->name, val);
    return false;
}

static enum cli_action parse_run(int argc, char **argv, struct vm_options *opt)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage_run(stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(a, "--") == 0) {
            if (i + 2 < argc) {
                fprintf(stderr, "vmscope run: only one KERNEL may be given\n");
                return CLI_EXIT_USAGE;
            }
            if (i + 1 < argc)
                opt->kernel = argv[i + 1];
            break;
        }
        if (a[0] != '-' || a[1] == 0) {
            if (opt->kernel) {
                fprintf(stderr, "vmscope run: only one KERNEL may be given ('%s' and '%s')\n",
                        opt->kernel, a);
                return CLI_EXIT_USAGE;
            }
            opt->kernel = a;
            continue;
        }
        if (a[1] != '-') {
            fprintf(stderr, "vmscope run: unknown option '%s' (see vmscope run --help)\n", a);
            return CLI_EXIT_USAGE;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        const struct opt_desc *d = NULL;
        for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
            if (strlen(opts[k].name) == nlen && strncmp(opts[k].name, name, nlen) == 0)
                d = &opts[k];
        if (!d) {
            fprintf(stderr, "vmscope run: unknown option '%s' (see vmscope run --help)\n", a);
            return CLI_EXIT_USAGE;
        }
        const char *val = NULL;
        if (d->type == T_FLAG) {
            if (eq) {
                fprintf(stderr, "vmscope run: --%s takes no value\n", d->name);
                return CLI_EXIT_USAGE;
            }
        } else if (d->type == T_OPTSTR) {
            val = eq ? eq + 1 : "";
        } else if (eq) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            fprintf(stderr, "vmscope run: --%s needs a value (%s)\n", d->name, d->arg);
            return CLI_EXIT_USAGE;
        }
        if (!set_opt(d, val, opt))
            return CLI_EXIT_USAGE;
    }
    if (!opt->kernel) {
        opt->kernel = VMSCOPE_DEFAULT_KERNEL;
        if (!opt->nmodules)
            opt->modules[opt->nmodules++] = VMSCOPE_DEFAULT_MODULE;
        if (!opt->cmdline)
            opt->cmdline = VMSCOPE_DEFAULT_CMDLINE;
    }
    opt->kernel_display = opt->kernel;
    return CLI_RUN;
}

enum cli_action cli_parse(int argc, char **argv, struct vm_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->mem = 16u << 20;
    if (argc < 2) {
        usage_top(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage_top(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("vmscope %s\n", VMSCOPE_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return parse_run(argc - 2, argv + 2, opt);
    fprintf(stderr, "vmscope: unknown command '%s' (see vmscope --help)\n", cmd);
    return CLI_EXIT_USAGE;
}
