/* libFuzzer target: every `vmtrace` subcommand's input path on one trace.
 *
 * The first input byte picks how the rest becomes a trace file:
 *   even  the bytes are the file itself (the reader is built with
 *         VMSCOPE_FUZZ_NO_CRC, so mutations get past the checksums);
 *   odd   the bytes are a script of records written through the real
 *         writer (trace/writer.c), so the tools' semantic paths (process
 *         tracking, the page-reference string, the TLB and page replays,
 *         the stack algorithms) see well-formed files with hostile values:
 *         every record kind, annotation records of any kind and size, page
 *         numbers, CR3 switches, flushes, cycles that go backwards.
 * The other bits of the first byte pick the subcommand that reads it
 * (one per input, so each runs often), its output to /dev/null: info
 * --chunks, verify, info --scan, dump, dump with filters, stats, sim --tlb
 * recorded --check, sim --tlb SPEC, sim --frames N (every policy), with
 * --kernel, with auto, with --per-space, mrc, export (csv, jsonl, chrome)
 * and diff against itself. The replay build (fuzz-replay-vmtrace_fuzz)
 * runs every subcommand on every input. They may reject the file; they
 * must not crash, hang or read out of bounds. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace/annot.h"
#include "trace/writer.h"

int vmtrace_main(int argc, char **argv);
extern uint64_t vt_problems;

static char path[64], out[64];

static void setup_once(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    snprintf(path, sizeof path, "/dev/shm/vmtrace-fuzz-%d.vmt", (int)getpid());
    snprintf(out, sizeof out, "/dev/shm/vmtrace-fuzz-%d.out", (int)getpid());
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) {                  /* the tools print a lot: keep it off the log */
        dup2(fd, 1);                /* (stderr is libFuzzer's: -close_fd_mask=2 silences it) */
        close(fd);
    }
}

/* A cursor over the script bytes; reads past the end give zeros. */
struct script { const uint8_t *p; size_t n, i; };

static uint8_t get8(struct script *s) { return s->i < s->n ? s->p[s->i++] : 0; }
static uint16_t get16(struct script *s) { uint16_t v = get8(s); return (uint16_t)(v | get8(s) << 8); }
static uint32_t get32(struct script *s) { uint32_t v = get16(s); return v | (uint32_t)get16(s) << 16; }

/* A page number: mostly a few small ones (so the reference string has
 * reuse), sometimes kernel pages, sometimes anything. */
static uint32_t get_page(struct script *s)
{
    uint8_t b = get8(s);
    switch (b >> 6) {
    case 0: case 1: return 0x08048u + (b & 0x3F);
    case 2: return 0xC0100u + (b & 0x3F);
    default: return get32(s) >> 12;
    }
}

static bool write_synth(const uint8_t *data, size_t size)
{
    struct script s = { data, size, 0 };
    struct trace_config cfg = { 0 };
    static const char *const tlbs[] = {
        "itlb=32:4,dtlb=64:4,policy=lru", "itlb=4:4,dtlb=4:2,policy=fifo",
        "dtlb=8:1,itlb=2:2,policy=plru", "utlb=16:4,policy=random,seed=3",
    };
    cfg.vmscope_version = "fuzz";
    cfg.ram_bytes = (uint64_t)(get8(&s) + 1) << 20;
    cfg.tlb_spec = tlbs[get8(&s) & 3];
    cfg.cycle_model = "";
    cfg.cpu_mhz = 100;
    cfg.kernel = "fuzz.elf";
    cfg.cmdline = "fuzz";
    cfg.chunk_bytes = 256u << (get8(&s) & 7);   /* small chunks: many of them */
    char err[256];
    struct trace_writer *tw = trace_writer_open(path, &cfg, err, sizeof err);
    if (!tw)
        return false;
    uint64_t cycle = 1;
    uint32_t cr3 = 0x1000;
    for (unsigned k = 0; k < 4096 && s.i < s.n; k++) {
        uint8_t op = get8(&s);
        uint8_t dt = get8(&s);
        cycle = op & 0x80 && dt == 0xFF ? cycle - (cycle > 4 ? 3 : 0) : cycle + dt;    /* now and then backwards */
        switch (op & 7) {
        case 0: case 1: case 2: {       /* translations are most of a real trace */
            struct tr_xlate x = { 0 };
            uint8_t a = get8(&s);
            x.lin = get_page(&s) << 12 | (a & 0xFFC);
            x.phys = (get8(&s) + 0x100u) << 12;
            x.kind = a & 7;
            x.outcome = (a >> 3) % 5;
            x.tlb = (uint8_t)(get8(&s) & 7);
            x.cpl = x.lin >= 0xC0000000u ? 0 : 3;
            x.large = (a >> 6) & 1;
            x.global = a >> 7;
            x.cycles = get8(&s);
            unsigned rep = op & 0x40 ? get8(&s) & 15 : 1;
            for (unsigned r = 0; r < rep; r++)
                trace_emit_xlate(tw, cycle += 1, &x);
            break;
        }
        case 3: {
            struct tr_walk w = { get32(&s), get32(&s), get32(&s), get32(&s), get32(&s), get8(&s) };
            trace_emit_walk(tw, cycle, &w);
            trace_emit_fault(tw, cycle, get32(&s), get8(&s), get32(&s), get8(&s) & 3);
            break;
        }
        case 4: {
            uint8_t f = get8(&s);
            if (f & 0x80) {
                uint32_t n = (f & 7) * 0x1000u + 0x1000u;
                trace_emit_cr3(tw, cycle, cr3, n);
                cr3 = n;
            } else {
                trace_emit_flush(tw, cycle, (enum tr_flush_kind)(f % 3), get_page(&s) << 12, get8(&s));
            }
            break;
        }
        case 5:
            trace_emit_disk(tw, cycle, get32(&s), get16(&s), (enum tr_disk_dir)(get8(&s) & 1));
            break;
        case 6: case 7: {               /* an annotation: a real kind mostly, its size mostly right */
            uint8_t rec[ANNOT_MAX_SIZE] = { 0 };
            static const uint16_t sizes[] = ANNOT_SIZES;
            uint8_t kb = get8(&s), sb = get8(&s);
            uint16_t kind = kb < 0xF0 ? kb % ANNOT_KIND_COUNT : (uint16_t)(kb + (get8(&s) << 8));
            uint16_t len = kind < ANNOT_KIND_COUNT && sb < 0xF0 ? sizes[kind] : (uint16_t)(sb % (ANNOT_MAX_SIZE + 1));
            if (len < 8)
                len = 8;
            rec[0] = (uint8_t)kind, rec[1] = (uint8_t)(kind >> 8);
            rec[2] = (uint8_t)len, rec[3] = (uint8_t)(len >> 8);
            rec[4] = get8(&s) & 7;      /* pid: a few */
            for (unsigned i = 8; i < len; i += 4) {
                uint8_t b = get8(&s);
                uint32_t v = b < 0xC0 ? (b & 0x3F) + (b >> 6 == 1 ? 0x08048u : b >> 6 == 2 ? 0x100u : 0) : get32(&s);
                for (unsigned j = 0; j < 4 && i + j < len; j++)
                    rec[i + j] = (uint8_t)(v >> (8 * j));
            }
            trace_emit_annot(tw, cycle, rec, len);
            break;
        }
        }
        if ((op & 0x38) == 0x38)
            trace_emit_sync(tw, cycle, cycle / 2);
    }
    bool ok = trace_writer_close(tw, err, sizeof err);
    if (size && data[size - 1] == 0xA5 && ok)     /* now and then, a file cut short */
        (void)truncate(path, (off_t)(size * 7 % 4096));
    return ok;
}

static void run(const char *const *argv)
{
    int argc = 0;
    char *args[16];
    while (argv[argc] && argc < 15) {
        args[argc] = (char *)argv[argc];
        argc++;
    }
    args[argc] = NULL;
    vt_problems = 0;
    vmtrace_main(argc, args);
    fflush(stdout);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup_once();
    if (size < 1)
        return 0;
    if (data[0] & 1) {
        if (!write_synth(data + 1, size - 1))
            return 0;
    } else {
        FILE *f = fopen(path, "wb");
        if (!f)
            abort();
        fwrite(data + 1, 1, size - 1, f);
        fclose(f);
    }
    char frames[16];
    snprintf(frames, sizeof frames, "%u", size > 1 ? data[1] % 9 + 1 : 3);
    const char *const cmds[][12] = {
        { "info", path, "--chunks" },
        { "verify", path },
        { "info", path, "--scan" },
        { "dump", path, "--limit", "3000" },
        { "dump", path, "--kind", "annot,fault", "--pid", "1", "--expand", "--limit", "500" },
        { "stats", path, "--interval", "1000" },
        { "sim", path, "--tlb", "recorded", "--check" },
        { "sim", path, "--tlb", "dtlb=4:2,itlb=2:1,policy=fifo" },
        { "sim", path, "--frames", frames },
        { "sim", path, "--frames", frames, "--kernel" },
        { "sim", path, "--frames", "auto" },
        { "sim", path, "--frames", "2", "--per-space", "--policy", "lru,opt" },
        { "mrc", path, "--max", "64", "--csv", out },
        { "export", path, "--format", "csv", "-o", out },
        { "export", path, "--format", "jsonl", "-o", out },
        { "export", path, "--format", "chrome", "-o", out },
        { "diff", path, path, "--strict" },
    };
    const size_t ncmds = sizeof cmds / sizeof cmds[0];
    for (size_t k = 0; k < ncmds; k++) {
#ifdef VMSCOPE_LIBFUZZER
        if (k != (size_t)(data[0] >> 1) % ncmds)
            continue;
#endif
        const char *argv[14] = { "vmtrace" };
        for (size_t j = 0; j < 12 && cmds[k][j]; j++)
            argv[j + 1] = cmds[k][j];
        run(argv);
    }
    return 0;
}
