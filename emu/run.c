/* The run loop and the end-of-run summary.
 *
 * The CPU executes up to the next clock deadline (or the cycle bound); then
 * the due events fire. A halted CPU jumps the clock to the next event, so
 * idle guests cost no host time. */
#include "emu/machine.h"
#include "trace/writer.h"

#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

#define IDLE_WAIT_MAX_MS 50     /* longest host wait before the signal flag is looked at again */

static double host_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --tty only: the CPU is halted and the clock would jump to UNTIL. Wait in
 * host time first, so that an interactive guest's idle time is real time
 * (`sleep 10` takes ten seconds, a shell at its prompt costs no host CPU).
 * Virtual time is tied to host time by an anchor; while virtual time is
 * behind (the CPU ran slower than real time) the anchor moves up, so that
 * time is never made up by skipping a later wait. The wait ends early when
 * a key arrives on the terminal (stdin), and lasts at most
 * IDLE_WAIT_MAX_MS, so signals are seen. Returns true when the jump may
 * happen now, false to look again (nothing has changed). Interactive runs
 * are not deterministic anyway: input arrives when it is typed. */
static bool machine_idle_wait(struct machine *m, uint64_t until)
{
    struct clock *c = &m->clock;
    double hz = (double)c->mhz * 1e6;
    double now = host_seconds();
    if (!m->idle_anchored || m->idle_host + (double)(c->cycles - m->idle_cycles) / hz < now) {
        m->idle_anchored = true;
        m->idle_host = now;
        m->idle_cycles = c->cycles;
    }
    double wait = m->idle_host + (double)(until - m->idle_cycles) / hz - now;
    if (wait <= 0)
        return true;
    devices_flush(m);       /* what the guest printed is on the terminal while it sleeps */
    int ms = wait * 1000 > IDLE_WAIT_MAX_MS ? IDLE_WAIT_MAX_MS : (int)(wait * 1000);
    struct pollfd pfd = { .fd = m->dev.uart.in_fd, .events = POLLIN };
    int r = poll(&pfd, pfd.fd >= 0 ? 1 : 0, ms);
    return r > 0 || wait * 1000 <= IDLE_WAIT_MAX_MS;
}

static const char *stop_names[] = {
    [STOP_NONE] = "running",
    [STOP_DEBUG_EXIT] = "isa-debug-exit",
    [STOP_SHUTDOWN] = "power-off",
    [STOP_TRIPLE_FAULT] = "triple fault",
    [STOP_MAX_CYCLES] = "cycle limit",
    [STOP_HALTED] = "halted",
    [STOP_SIGNAL] = "signal",
    [STOP_OUT_OF_SCOPE] = "out of scope",
    [STOP_HOST_ERROR] = "host error",
    [STOP_INSPECT] = "stopped after inspection",
};

bool machine_run_until(struct machine *m, volatile sig_atomic_t *sig, uint64_t limit)
{
    struct clock *c = &m->clock;
    uint64_t bound = m->max_cycles ? m->max_cycles : CLOCK_NEVER;
    while (m->stop == STOP_NONE) {
        m->attn = 0;    /* cleared before the checks, so a signal is never lost */
        if (sig && *sig) {
            machine_stop(m, STOP_SIGNAL, 10, "ended by %s",
                         *sig == SIGINT ? "SIGINT" : *sig == SIGTERM ? "SIGTERM" :
                         *sig == SIGHUP ? "SIGHUP" : "a signal");
            break;
        }
        if (c->cycles >= bound) {
            machine_stop(m, STOP_MAX_CYCLES, 6, "--max-cycles %" PRIu64 " reached", bound);
            break;
        }
        if (c->cycles >= limit)
            return false;
        if (m->cpu.halted && !(m->intr && (cpu_get_eflags(m) & EFLAGS_IF))) {
            /* Only a maskable interrupt wakes HLT here (no NMI is modelled):
             * with IF=0, with every IRQ masked, or with no event left to
             * raise one, the CPU sleeps forever. */
            bool ifl = cpu_get_eflags(m) & EFLAGS_IF;
            if (!ifl || c->next == CLOCK_NEVER || !devices_can_interrupt(m)) {
                machine_stop(m, STOP_HALTED, 8, "CPU halted with interrupts %s and nothing can wake it"
                             " (EIP=0x%08x)", ifl ? "enabled" : "disabled", m->cpu.eip);
                break;
            }
            /* idle: jump to the next event (it may pass LIMIT; stepping
             * through idle time one cycle at a time would gain nothing) */
            uint64_t until = c->next < bound ? c->next : bound;
            if (m->idle_paced && !machine_idle_wait(m, until))
                continue;
            c->cycles = until;
        } else {
            uint64_t until = c->next < bound ? c->next : bound;
            cpu_run(m, until < limit ? until : limit);
        }
        if (c->cycles >= c->next)
            clock_run_due(m, c);
        if (m->pause) {
            m->pause = false;
            if (m->stop == STOP_NONE)
                return false;
        }
        if (m->trace) {
            trace_emit_sync(m->trace, c->cycles, m->cpu.insns);
            if (trace_writer_error(m->trace))
                machine_stop(m, STOP_HOST_ERROR, 2, "trace: %s", trace_writer_error(m->trace));
        }
    }
    devices_flush(m);
    if (m->trace) {
        trace_emit_sync(m->trace, c->cycles, m->cpu.insns);
        trace_writer_flush(m->trace);
    }
    return true;
}

int machine_run(struct machine *m, volatile sig_atomic_t *sig)
{
    machine_run_until(m, sig, CLOCK_NEVER);
    return m->exit_status;
}

void machine_summary(struct machine *m, FILE *f, double host_seconds)
{
    double vsec = (double)m->clock.cycles / ((double)m->clock.mhz * 1e6);
    double mips = host_seconds > 0 ? (double)m->cpu.insns / host_seconds / 1e6 : 0;
    fprintf(f, "--- vmscope summary ---\n");
    fprintf(f, "ended:        %s (exit status %d): %s\n", stop_names[m->stop], m->exit_status, m->stop_msg);
    fprintf(f, "instructions: %" PRIu64 "\n", m->cpu.insns);
    fprintf(f, "cycles:       %" PRIu64 " at %u MHz (%.6f virtual seconds)\n",
            m->clock.cycles, m->clock.mhz, vsec);
    fprintf(f, "host time:    %.3f s, %.1f MIPS\n", host_seconds, mips);
    fprintf(f, "memory:       %u KiB RAM\n", m->bus.ram_size / 1024);
    mmu_summary(m, f);
    devices_summary(m, f);
}
