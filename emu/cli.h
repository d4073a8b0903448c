/* The `vmscope` command line. */
#ifndef VMSCOPE_EMU_CLI_H
#define VMSCOPE_EMU_CLI_H

#include "emu/options.h"
#include "emu/paths.h"

enum cli_action {
    CLI_RUN,            /* `vmscope run`: OPT is filled */
    CLI_MKDISK,         /* `vmscope mkdisk`: mkdisk_main parses argv + 2 */
    CLI_EXIT_OK,
    CLI_EXIT_USAGE,
};

/* Parse ARGV into OPT. Prints help/version/errors itself (errors as one line
 * on stderr). Returns what main should do. PATHS (kept in OPT, so it must
 * outlive it) names the default guest that `run` without KERNEL boots. */
enum cli_action cli_parse(int argc, char **argv, const struct vm_paths *paths, struct vm_options *opt);

#endif
