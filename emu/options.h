/* Options of `vmscope run`, parsed by emu/cli.c and read by machine_build. */
#ifndef VMSCOPE_EMU_OPTIONS_H
#define VMSCOPE_EMU_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#define OPT_MAX_MODULES 16

struct vm_paths;

struct vm_options {
    const struct vm_paths *paths;           /* the default guest and vmviz (emu/paths.h) */
    const char *kernel;                     /* kernel ELF path (NULL: built-in default) */
    const char *kernel_display;             /* name as given, first word of the cmdline */
    const char *cmdline;                    /* --cmdline, appended after the file name */
    const char *modules[OPT_MAX_MODULES];   /* --module FILE[ ARGS] in order */
    unsigned nmodules;
    uint32_t mem;                           /* --mem, bytes */
    uint32_t cpu_mhz;                       /* --cpu-mhz, virtual frequency */
    uint64_t max_cycles;                    /* --max-cycles, 0 = unbounded */
    const char *disk;                       /* --disk FILE */
    uint64_t disk_size;                     /* --disk-size, create when absent */
    bool disk_readonly;                     /* --disk-readonly */
    bool disk_snapshot;                     /* --disk-snapshot: writes to an overlay, dropped at exit */
    const char *trace;                      /* --trace FILE */
    const char *trace_filter;               /* --trace-filter KINDS */
    bool trace_no_period;                   /* --trace-no-period */
    const char *serial;                     /* --serial FILE (default stdout) */
    const char *debugcon;                   /* --debugcon FILE (default stderr) */
    const char *input_file;                 /* --input-file FILE for the UART */
    const char *input_string;               /* --input-string STR for the UART */
    bool tty;                               /* --tty: COM1 is this terminal (raw mode, Ctrl-A escapes) */
    const char *tlb;                        /* --tlb SPEC */
    const char *cycles;                     /* --cycles SPEC */
    const char *itrace;                     /* --itrace[=FROM-TO] ("" = all) */
    uint64_t itrace_limit;                  /* --itrace-limit N */
    uint64_t rtc_base;                      /* --rtc-base, Unix seconds */
    bool quiet;                             /* --quiet: no summary */
    uint32_t gdb_port;                      /* --gdb PORT (0 = no stub) */
    bool gdb_wait;                          /* --gdb-wait: stop before the first instruction */
    const char *inspect_at;                 /* --inspect-at N|cycle:N|insn:N|fault:N */
    const char *inspect;                    /* --inspect WHAT,... (default regs,pagetables) */
    const char *then;                       /* --then continue|stop */
    bool no_fastpath;                       /* --no-fastpath: model-only memory path */
    bool mem_prealloc;                      /* --mem-prealloc: guest RAM and decode arena resident from the start */
    /* watching the run as it happens (emu/live.h) */
    const char *events;                     /* --events[=KINDS] ("" = the default kinds), NULL off */
    const char *symbols;                    /* --symbols DIR: user programs' ELF files (NAME.elf) */
    bool viz;                               /* --viz: the vmviz window, following the trace */
};

#endif
