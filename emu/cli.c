/* The `vmscope` command line: the commands, and `vmscope run [options]
 * [KERNEL]`, whose options are a table (emu/optparse.h) that --help is made
 * from too. `vmscope mkdisk` parses its own (emu/mkdisk.c). */
#include "emu/cli.h"
#include "emu/optparse.h"
#include "mmu/tlb.h"
#include "trace/writer.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#ifndef VMSCOPE_DEFAULT_CMDLINE
#define VMSCOPE_DEFAULT_CMDLINE ""
#endif

#define F(field) offsetof(struct vm_options, field)

static const struct opt_desc opts[] = {
    { "mem", T_SIZE32, F(mem), "SIZE", "guest RAM (default 16M; K/M/G suffixes)" },
    { "cmdline", T_STR, F(cmdline), "STR", "kernel command line after the file name" },
    { "module", T_LIST, F(modules), "FILE", "load a Multiboot module (repeatable; \"FILE ARGS\" passes ARGS)",
      OPT_MAX_MODULES, F(nmodules) },
    { "disk", T_STR, F(disk), "FILE", "attach a raw disk image as the primary ATA master" },
    { "disk-size", T_SIZE64, F(disk_size), "SIZE", "create the disk image with this size when absent" },
    { "disk-readonly", T_FLAG, F(disk_readonly), NULL, "attach the disk write-protected" },
    { "disk-snapshot", T_FLAG, F(disk_snapshot), NULL,
      "keep the image unchanged: writes go to a temporary overlay, dropped at exit" },
    { "trace", T_STR, F(trace), "FILE", "record translations, faults and replacements to FILE" },
    { "trace-filter", T_STR, F(trace_filter), "KINDS", "record only these record kinds" },
    { "trace-no-period", T_FLAG, F(trace_no_period), NULL, "trace writer without its period replay (same bytes, slower)" },
    { "max-cycles", T_U64, F(max_cycles), "N", "stop after N cycles (exit status 6)" },
    { "cpu-mhz", T_U32, F(cpu_mhz), "N", "virtual CPU frequency in MHz (default 100)", 100000 },
    { "serial", T_STR, F(serial), "FILE", "COM1 output to FILE instead of stdout" },
    { "debugcon", T_STR, F(debugcon), "FILE", "port 0xE9 output to FILE instead of stderr" },
    { "input-file", T_STR, F(input_file), "FILE", "COM1 input from FILE" },
    { "input-string", T_STR, F(input_string), "STR", "COM1 input from STR" },
    { "tty", T_FLAG, F(tty), NULL,
      "COM1 is this terminal: raw mode, Ctrl-C to the guest, Ctrl-A x ends the run, Ctrl-A a sends Ctrl-A" },
    { "tlb", T_STR, F(tlb), "SPEC", "TLB geometry and policy, e.g. itlb=32:4,dtlb=64:4,policy=lru" },
    { "cycles", T_STR, F(cycles), "SPEC", "cycle model, e.g. memlat=N,..." },
    { "itrace", T_OPTSTR, F(itrace), "FROM-TO", "print executed instructions (optionally an EIP range)" },
    { "itrace-limit", T_U64, F(itrace_limit), "N", "print at most N instructions" },
    { "rtc-base", T_U64, F(rtc_base), "SECS", "CMOS clock start, Unix seconds" },
    { "no-fastpath", T_FLAG, F(no_fastpath), NULL, "model-only memory path (same counts, slower)" },
    { "mem-prealloc", T_FLAG, F(mem_prealloc), NULL,
      "touch guest RAM and the decoded-instruction arena at start (as QEMU's -mem-prealloc): "
      "resident memory is flat from the start, so growth means a leak" },
    { "gdb", T_U32, F(gdb_port), "PORT", "serve the GDB remote protocol on 127.0.0.1:PORT", 65535 },
    { "gdb-wait", T_FLAG, F(gdb_wait), NULL, "with --gdb: stop before the first instruction" },
    { "inspect-at", T_STR, F(inspect_at), "WHEN", "at cycle N, insn:N, fault:N or end: print --inspect views" },
    { "inspect", T_STR, F(inspect), "WHAT", "views: regs,pagetables,tlb,phys,mem:ADDR:LEN,physmem:ADDR:LEN" },
    { "then", T_STR, F(then), "ACTION", "after --inspect-at: continue (default) or stop" },
    { "quiet", T_FLAG, F(quiet), NULL, "no end-of-run summary" },
    /* watching the run as it happens (emu/live.h) */
    { "events", T_OPTSTR, F(events), "KINDS",
      "print memory-management events on stderr (fault, all, or annotation kinds, comma-separated)" },
    { "symbols", T_STR, F(symbols), "DIR", "--events: user programs' symbols from DIR/NAME.elf (default: the built guest's)" },
    { "viz", T_FLAG, F(viz), NULL, "show the run in the vmviz window as it happens" },
};

static const struct opt_cmd run_cmd = { "run", opts, sizeof opts / sizeof opts[0], "KERNEL" };

static void usage_run(FILE *f, const struct vm_paths *p)
{
    fprintf(f, "usage: vmscope run [options] [KERNEL]\n\n"
               "Boot a Multiboot KERNEL (ELF32) on an emulated PC. Without KERNEL, boot the\n"
               "guest kernel (built in the tree, or installed) with its initrd and --cmdline %s:\n  %s\n  %s\n"
               "and attach the built disk with --disk-snapshot implied (the file never changes):\n  %s\n"
               "Without KERNEL, --disk FILE replaces that disk and is written through unless\n"
               "--disk-snapshot is given. With KERNEL, a disk is attached only by --disk.\n\noptions:\n",
            VMSCOPE_DEFAULT_CMDLINE, p->kernel, p->module, p->disk);
    opt_help(&run_cmd, f);
    fputc('\n', f);
    tlb_help(f);
    fprintf(f, "\nexit status: (V<<1)|1 when the guest writes V to isa-debug-exit (port 0xF4);\n"
               "0 power-off; 2 usage or bad input; 4 triple fault; 6 --max-cycles reached;\n"
               "8 halted with nothing to wake it; 10 SIGINT/SIGTERM (SIGHUP with --tty) or Ctrl-A x;\n"
               "12 outside the modelled scope.\n");
}

static void usage_top(FILE *f)
{
    fprintf(f, "usage: vmscope COMMAND [options]\n\n"
               "commands:\n"
               "  run [options] [KERNEL]   boot a kernel and watch its memory\n"
               "  mkdisk IMAGE [options]   make a disk image: MBR, swap area, ext2 root\n\n"
               "  vmscope --help | --version | run --help | mkdisk --help\n");
}

static enum cli_action parse_run(int argc, char **argv, struct vm_options *opt)
{
    switch (opt_parse(&run_cmd, argc, argv, opt, &opt->kernel)) {
    case OPT_HELP:
        usage_run(stdout, opt->paths);
        return CLI_EXIT_OK;
    case OPT_USAGE:
        return CLI_EXIT_USAGE;
    case OPT_OK:
        break;
    }
    if (!opt->kernel) {
        /* The built guest: kernel, initrd, command line, and its disk. */
        opt->kernel = opt->paths->kernel;
        if (!opt->nmodules)
            opt->modules[opt->nmodules++] = opt->paths->module;
        if (!opt->cmdline)
            opt->cmdline = VMSCOPE_DEFAULT_CMDLINE;
        if (!opt->disk) {
            opt->disk = opt->paths->disk;
            opt->disk_snapshot = true;
        }
    }
    opt->kernel_display = opt->kernel;
    return CLI_RUN;
}

enum cli_action cli_parse(int argc, char **argv, const struct vm_paths *paths, struct vm_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->paths = paths;
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
        printf("vmscope %s (trace format %s)\n", VMSCOPE_VERSION, tr_format_version());
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return parse_run(argc - 2, argv + 2, opt);
    if (strcmp(cmd, "mkdisk") == 0)
        return CLI_MKDISK;
    fprintf(stderr, "vmscope: unknown command '%s' (see vmscope --help)\n", cmd);
    return CLI_EXIT_USAGE;
}
