/* Views of the machine's memory state at a moment: registers, the current
 * address space from the page tables, the TLB, a map of physical frames and
 * hex dumps. Shared by `vmscope run --inspect-at` and the GDB stub's
 * `monitor` commands. Views read guest memory through the bus and
 * mmu_probe only: inspecting never changes statistics, cycles or the trace. */
#ifndef VMSCOPE_EMU_INSPECT_H
#define VMSCOPE_EMU_INSPECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct machine;

void inspect_regs(struct machine *m, FILE *f);
void inspect_pagetables(struct machine *m, FILE *f);
void inspect_phys(struct machine *m, FILE *f);
void inspect_tlb(struct machine *m, FILE *f);
/* Hex dump LEN bytes at ADDR, linear (through the page tables) or physical. */
void inspect_mem(struct machine *m, FILE *f, uint32_t addr, uint32_t len, bool physical);

/* Run one command: "regs", "pagetables", "tlb", "phys", "mem ADDR LEN",
 * "physmem ADDR LEN" (also with ':' for spaces). Returns false with a message
 * on F for an unknown command. */
bool inspect_command(struct machine *m, FILE *f, const char *cmd);
/* Comma-separated list of commands (the --inspect option). */
bool inspect_list(struct machine *m, FILE *f, const char *list);
/* Check a list without running it (for option parsing). */
bool inspect_list_valid(const char *list, char *err, unsigned errlen);

/* --inspect-at: a moment in a run. */
enum inspect_when { AT_CYCLE, AT_INSN, AT_FAULT, AT_END };
struct inspect_point {
    enum inspect_when when;
    uint64_t n;
};
/* Parse "N" or "cycle:N" (cycles), "insn:N" (instructions retired),
 * "fault:N" (the Nth page fault), or "end" (when the run has ended). */
bool inspect_point_parse(const char *s, struct inspect_point *p, char *err, unsigned errlen);
/* Run M to the point (the first instruction boundary at or after it), print
 * the views of LIST to F under a header line. Returns false when the run
 * ended before the point. Stopping here changes nothing in the run. */
#include <signal.h>
bool inspect_run_to(struct machine *m, volatile sig_atomic_t *sig, const struct inspect_point *p,
                    const char *list, FILE *f);
/* Print the header line and the views of LIST (used for "end"). */
void inspect_print(struct machine *m, const struct inspect_point *p, const char *list, FILE *f);

#endif
