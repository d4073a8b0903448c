/* struct machine: the one object that owns a whole emulated PC.
 *
 * There is no global machine state: two machines can live in one process.
 * Everything is reached from `m`. Subsystems own their own structs; the
 * machine only wires them together and decides when the run ends. */
#ifndef VMSCOPE_EMU_MACHINE_H
#define VMSCOPE_EMU_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "emu/clock.h"
#include "emu/options.h"
#include "mmu/bus.h"
#include "mmu/mmu.h"
#include "cpu/cpu.h"
#include "devices/devices.h"

struct trace_writer;
struct symtab;

/* Why a run ended; maps to the exit statuses of DESIGN.md. */
enum stop_reason {
    STOP_NONE = 0,
    STOP_DEBUG_EXIT,    /* guest wrote V to isa-debug-exit: status (V<<1)|1 */
    STOP_SHUTDOWN,      /* lone "Shutdown" on 0x8900: status 0 */
    STOP_TRIPLE_FAULT,  /* status 4 */
    STOP_MAX_CYCLES,    /* status 6 */
    STOP_HALTED,        /* HLT with nothing to wake it: status 8 */
    STOP_SIGNAL,        /* SIGINT/SIGTERM: status 10 */
    STOP_OUT_OF_SCOPE,  /* CR0.PE cleared, EFLAGS.VM set, ...: status 12 */
    STOP_HOST_ERROR,    /* a host-side failure after start (disk I/O): status 2 */
    STOP_INSPECT,       /* --inspect-at ... --then stop: status 0 */
};

struct machine {
    /* The parts */
    struct cpu cpu;                 /* registers, decoder cache, interrupts */
    struct mmu mmu;                 /* paging, TLB model, access cycle costs */
    struct bus bus;                 /* RAM, MMIO, port table */
    struct clock clock;             /* virtual time and events */
    struct devices dev;             /* PIC, PIT, UART, ATA, RTC, debug ports */
    struct trace_writer *trace;     /* NULL when not tracing */
    struct symtab *syms;            /* ELF symbols of loaded images, may be NULL */

    /* Interrupt line from the PIC to the CPU (INTR). The CPU samples it
     * between instructions and acknowledges through machine_intr_ack. */
    bool intr;

    /* Run control */
    volatile int attn;              /* nonzero: the CPU loop must return soon */
    bool pause;                     /* machine_run_until returns at the next boundary */
    enum stop_reason stop;          /* set once; the run loop ends */
    int exit_status;                /* process exit status for `stop` */
    char stop_msg[160];             /* one line for the summary / stderr */

    /* --tty: idle time follows the host clock (run.c, machine_idle_wait) */
    bool idle_paced;                /* --tty given */
    bool idle_anchored;             /* the anchor below is set */
    double idle_host;               /* host seconds (CLOCK_MONOTONIC) at ... */
    uint64_t idle_cycles;           /* ... this virtual time */

    /* Configuration */
    struct vm_options opt;          /* copy of the options this machine was built with */
    uint64_t max_cycles;            /* 0 = unbounded */
    uint32_t mb_info;               /* physical address of the Multiboot info */
};

/* Build a machine from OPTIONS: RAM, devices, CPU reset state. Returns NULL
 * and writes one line to ERRBUF on failure (bad disk image, no memory). */
struct machine *machine_new(const struct vm_options *opt, char *errbuf, size_t errlen);
void machine_free(struct machine *m);

/* Request the run to end. The first request wins. Safe from device callbacks
 * and from the CPU in the middle of an instruction. */
void machine_stop(struct machine *m, enum stop_reason why, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Ask the CPU loop to return to the run loop (interrupt line, stop, signal). */
static inline void machine_kick(struct machine *m) { m->attn = 1; }

/* Return from machine_run_until at the next instruction boundary (for
 * inspection points that only the subsystems can see, like the Nth fault). */
static inline void machine_pause(struct machine *m) { m->pause = true; machine_kick(m); }

/* Set the INTR line (called by the PIC). */
void machine_set_intr(struct machine *m, bool level);
/* Interrupt acknowledge cycle: returns the vector the PIC supplies. */
uint8_t machine_intr_ack(struct machine *m);
/* The CPU's FERR# output (an x87 error with CR0.NE=0): IRQ 13 through the
 * latch at port 0xF0. */
void machine_ferr(struct machine *m);

/* Run until a stop reason is set. SIG, when not NULL, is polled whenever the
 * CPU returns to the run loop: a nonzero value (a signal number) ends the
 * run with STOP_SIGNAL after the devices are flushed. Returns the process
 * exit status. */
#include <signal.h>
int machine_run(struct machine *m, volatile sig_atomic_t *sig);
/* Run until a stop reason is set (returns true) or until the clock reaches
 * LIMIT at an instruction boundary (returns false; call again to go on).
 * LIMIT = clock.cycles + 1 executes exactly one instruction, or one idle
 * jump to the next event when halted. Splitting a run into pieces this way
 * does not change its output, cycles or trace. */
bool machine_run_until(struct machine *m, volatile sig_atomic_t *sig, uint64_t limit);

/* End-of-run summary to F (instructions, cycles, virtual and host time, ...). */
void machine_summary(struct machine *m, FILE *f, double host_seconds);

#endif
