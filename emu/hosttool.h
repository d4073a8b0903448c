/* Running the host's own programs (sfdisk, mkswap, mke2fs, debugfs for
 * `vmscope mkdisk`): looked up in PATH, run with a few environment
 * variables added, their output kept in a log file that is quoted in one
 * line when they fail. */
#ifndef VMSCOPE_EMU_HOSTTOOL_H
#define VMSCOPE_EMU_HOSTTOOL_H

#include <stdbool.h>
#include <stddef.h>

/* Find the executable NAME in PATH (as execvp would) and put its path in
 * OUT. False when there is none. */
bool hosttool_find(const char *name, char *out, size_t outlen);

/* Run ARGV (argv[0] a path from hosttool_find; NULL-terminated) to the end,
 * with the "NAME=VALUE" strings of ENV (NULL-terminated) set on top of this
 * process's environment and LC_ALL=C, stdin from the file IN (NULL:
 * /dev/null), stdout and stderr to the file LOG. True when it exits with
 * status 0; otherwise false with one line in ERR naming the program, how
 * it ended and the last line of its output. */
bool hosttool_run(const char *const *argv, const char *const *env, const char *in,
                  const char *log, char *err, size_t errlen);

/* The last non-empty line of the file PATH into OUT ("" when none). */
void hosttool_last_line(const char *path, char *out, size_t outlen);

#endif
