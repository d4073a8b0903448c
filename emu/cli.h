/* The `vmscope` command line. */
#ifndef VMSCOPE_EMU_CLI_H
#define VMSCOPE_EMU_CLI_H

#include "emu/options.h"

enum cli_action {
    CLI_RUN,            /* `vmscope run`: OPT is filled */
    CLI_MKDISK,         /* `vmscope mkdisk`: mkdisk_main parses argv + 2 */
    CLI_EXIT_OK,
    CLI_EXIT_USAGE,
};

/* Parse ARGV into OPT. Prints help/version/errors itself (errors as one line
 * on stderr). Returns what main should do. */
enum cli_action cli_parse(int argc, char **argv, struct vm_options *opt);

#endif
