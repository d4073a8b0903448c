/* Command-line options as a table: one table per vmscope command drives
 * parsing, limits and the option lines of its --help, so they never drift
 * apart. */
#ifndef VMSCOPE_EMU_OPTPARSE_H
#define VMSCOPE_EMU_OPTPARSE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum opt_type {
    T_FLAG,         /* bool, no value */
    T_STR,          /* const char *: the value as given */
    T_OPTSTR,       /* const char *: --name[=VALUE], "" without a value */
    T_SIZE32,       /* uint32_t bytes, K/M/G suffixes (parse_size) */
    T_SIZE64,       /* uint64_t bytes, K/M/G suffixes */
    T_U64,          /* uint64_t count (parse_u64) */
    T_U32,          /* uint32_t count, 1..max */
    T_LIST,         /* repeatable: const char *[max] at off, unsigned count at count_off */
};

struct opt_desc {
    const char *name;       /* without the leading -- */
    enum opt_type type;
    size_t off;             /* field in the command's options struct */
    const char *arg;        /* argument name for --help */
    const char *help;
    uint64_t max;           /* T_U32: largest value accepted; T_LIST: entries */
    size_t count_off;       /* T_LIST: its count field */
};

/* One command's grammar: `vmscope NAME [options] [POSITIONAL]`. */
struct opt_cmd {
    const char *name;               /* "run", "mkdisk": in messages */
    const struct opt_desc *opts;
    size_t nopts;
    const char *positional;         /* its name in messages ("KERNEL") */
};

enum opt_result { OPT_OK, OPT_HELP, OPT_USAGE };

/* Parse ARGV (after the command word) into the struct at BASE, which the
 * caller has filled with defaults. At most one positional argument, stored
 * in *POS (left alone when there is none); "--" ends the options. Returns
 * OPT_HELP for --help/-h (nothing printed), OPT_USAGE after printing one
 * line on stderr. */
enum opt_result opt_parse(const struct opt_cmd *cmd, int argc, char **argv, void *base,
                          const char **pos);

/* The option lines of --help (the table, then --help itself). */
void opt_help(const struct opt_cmd *cmd, FILE *f);

#endif
