#!/usr/bin/env python3
"""Every performance figure next to its target, in one table.

usage: python3 tests/bench/report.py [--build DIR] [--scale F] [--no-bochs]
                                     [--quick] [--trace-n N] [--rounds R]

  --build DIR   meson build directory (default: build)
  --scale F     scale bench.py's iteration counts (default 1, 0.25 with --quick)
  --no-bochs    skip Bochs (and so the vmscope/Bochs targets)
  --quick       smoke run: one round instead of five, --scale 0.25 and
                1 M synthetic translations unless given
  --trace-n N   translations of the synthetic trace stream (default 5000000)
  --rounds R    rounds per ratio (default 5)
  --sections S  comma-separated parts to run: interpreter, workload, trace,
                memory (default all)

A ratio with a target is the median of R rounds, with the range of the
rounds beside it; a round runs both sides of the ratio one after the other,
so each ratio compares runs made under the same load.

Sources of the figures:
  1. interpreter: tests/bench/bench.py's measure() (vmscope, QEMU, Bochs MIPS);
  2. the default guest workload (run=all), run as `vmscope run` runs it (the
     built kernel, initrd and disk, the disk as a snapshot) and under the
     reference QEMU command with the same disk (snapshot=on);
  3. trace: tests/bench/trace-bench.sh with TRACE_BENCH_KV=1 (key=value output)
     and TRACE_BENCH_ROUNDS=R (R untraced and traced runs, alternating);
  4. memory: vmscope's peak resident set, measured here, against a fixed
     bound (RAM + 24 MiB untraced, 12 MiB more with --trace).
Prints the table and exits 0 (a report, not a test): non-zero only when a tool
failed or an emulator disagreed with vmscope on a checksum."""
import argparse, datetime, math, os, re, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402

ROOT = bench.ROOT
GNU_TIME = '/usr/bin/time'
MiB = 1 << 20
problems = []   # tool failures: make the exit status non-zero after the table


def fail(msg):
    problems.append(msg)
    print('report: ' + msg, file=sys.stderr)


def log(msg):
    print('report: ' + msg, file=sys.stderr, flush=True)


def met(value, op, limit):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 'no'
    return 'yes' if (value >= limit if op == '>=' else value <= limit) else 'no'


def med_range(xs, fmt='%.2f'):
    """'median [min-max]' of XS, and the median."""
    xs = [x for x in xs if isinstance(x, float) and math.isfinite(x)] or [float('nan')]
    m = bench.median(xs)
    return ('%s [%s-%s]' % (fmt % m, fmt % min(xs), fmt % max(xs))), m


def summary(stderr, key):
    m = re.search(r'^%s:\s+(.*)$' % key, stderr, re.M)
    return m.group(1) if m else ''


# ---- 1. interpreter ----

def interpreter(a, rows, notes):
    log('interpreter: bench.py (scale %g%s)' % (a.scale, '' if a.bochs else ', no Bochs'))
    finite = lambda r: all(math.isfinite(v) for v in r.values() if isinstance(v, float))
    for r in bench.measure(a.build, a.scale, a.bochs, rounds=a.rounds):
        n = 'bench-' + r['name']
        if not finite(r):   # a 2N run no slower than the N run: host noise swamped the difference
            notes.append('%s: in some round a 2N run was not slower than its N run (that round\'s '
                         'figure is left out of the median).' % n)
        rows.append(('%s: vmscope MIPS' % n, med_range(r['vmscope_all'], '%.1f')[0], '-', '-'))
        rows.append(('%s: QEMU MIPS' % n, med_range(r['qemu_all'], '%.1f')[0], '-', '-'))
        if a.bochs:
            rows.append(('%s: Bochs MIPS' % n, med_range(r['bochs_all'], '%.1f')[0], '-', '-'))
            t, x = med_range(r['vmscope/bochs_all'])
            rows.append(('%s: vmscope/Bochs' % n, t, '>= 3.0', met(x, '>=', 3.0)))
        rows.append(('%s: vmscope/QEMU' % n, med_range(r['vmscope/qemu_all'])[0], '-', '-'))


# ---- 2. the guest kernel workload ----

def console(out):
    lines = out.decode(errors='replace').replace('\r\n', '\n').split('\n')
    return [l for l in lines if not l.startswith('model:')]


def workload(a, rows, notes):
    kernel = os.path.join(a.build, 'guest', 'kernel.elf')
    initrd = os.path.join(a.build, 'guest', 'initrd.cpio')
    disk = os.path.join(a.build, 'guest', 'disk.img')
    log('run=all (the default guest, disk included) under vmscope and QEMU')
    ratios, vss, qss = [], [], []
    for _ in range(a.rounds):
        vs, v = bench.timed([os.path.join(a.build, 'emu', 'vmscope'), 'run'], repeat=1, timeout=600)
        qs, q = bench.timed(bench.QEMU_CMD + ['-kernel', kernel, '-initrd', initrd, '-drive',
                                              'file=%s,format=raw,if=ide,snapshot=on' % disk,
                                              '-append', 'run=all'],     # vmscope run's default command line
                            repeat=1, timeout=600)
        ratios.append(vs / qs)
        vss.append(vs)
        qss.append(qs)
    err = v.stderr.decode(errors='replace')
    insns = summary(err, 'instructions')
    m = re.search(r'([0-9.]+) MIPS', summary(err, 'host time'))
    if v.returncode != 1 or not insns or not m:
        fail('vmscope run=all: exit status %d\n%s' % (v.returncode, err[-2000:]))
        return
    if q.returncode != 1:
        fail('QEMU run=all: exit status %d\n%s' % (q.returncode, q.stderr.decode(errors='replace')[-2000:]))
        return
    rows.append(('run=all: vmscope host seconds', med_range(vss, '%.3f')[0], '-', '-'))
    rows.append(('run=all: QEMU host seconds (reference command)', med_range(qss, '%.3f')[0], '-', '-'))
    rows.append(('run=all: vmscope/QEMU host time', med_range(ratios)[0], '-', '-'))
    rows.append(('run=all: vmscope instructions', insns, '-', '-'))
    rows.append(('run=all: vmscope MIPS (its summary)', m.group(1), '-', '-'))
    vc, qc = console(v.stdout), console(q.stdout)
    last = lambda c: next((l for l in reversed(c) if l.strip()), '(nothing)')
    if vc == qc:
        notes.append('run=all: vmscope and QEMU consoles are identical (lines starting with `model:` '
                     'excluded); both end with `%s`.' % last(vc))
    else:
        notes.append('run=all: the consoles DIFFER: vmscope ends with `%s`, QEMU with `%s`%s.'
                     % (last(vc), last(qc), '' if last(vc) == last(qc) else ' (different summary lines)'))


# ---- 3. trace ----

def trace(a, rows, notes):
    log('trace: trace-bench.sh %s %d' % (a.build, a.trace_n))
    env = dict(os.environ, TRACE_BENCH_KV='1', TRACE_BENCH_ROUNDS=str(a.rounds))
    p = subprocess.run(['bash', os.path.join(HERE, 'trace-bench.sh'), a.build, str(a.trace_n)],
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    kv = dict(l.split('=', 1) for l in p.stdout.splitlines() if '=' in l)
    if p.returncode:
        fail('trace-bench.sh: exit status %d\n%s' % (p.returncode, p.stderr[-2000:]))

    def num(key):
        try:
            return float(kv[key])
        except (KeyError, ValueError):
            fail('trace-bench.sh gave no %s' % key)
            return float('nan')

    def replay(run, label):
        for key, what in (('stats', 'replay `vmtrace stats`'), ('sim', 'replay `vmtrace sim --tlb`')):
            x = num('%s.%s_mrps' % (run, key))
            rows.append(('%s: %s, M records/s' % (label, what), '%.1f' % x, '>= 50', met(x, '>=', 50)))
            x = num('%s.%s_meps' % (run, key))
            rows.append(('%s: %s, M events/s (a repeat record stands for n events)' % (label, what),
                         '%.1f' % x, '-', '-'))
        if kv.get(run + '.sim_check') != 'exact':
            fail('%s: `vmtrace sim --tlb recorded --check` does not reproduce the recorded counts' % label)

    x = num('synth-z6-default.bytes_per_xlate')
    rows.append(('synthetic stream (%d translations): bytes/translation' % a.trace_n, '%.4f' % x,
                 '<= 0.1', met(x, '<=', 0.1)))
    replay('synthetic', 'synthetic stream')
    notes.append('Replay rates: the median of 5 replays of each trace (a bench trace replays in tens of '
                 'milliseconds, where one hiccup of the host halves a single run\'s rate).')
    notes.append('--trace time ratio: host seconds of the traced run over the untraced one (the '
                 'issue\'s "3x the time of the same run"); the writer compresses on the second core, '
                 'so the CPU time of both threads is shown beside it, without a target.')
    notes.append('The synthetic stream (tests/trace/synth.c) is written through the real writer at its '
                 'default zlib level 6 (its new-entry and walk-record streams at most at level 4); '
                 'it is deliberately hard (random lookups over 96 pages) '
                 '(zlib 1: %s bytes/translation).' % kv.get('synth-z1-default.bytes_per_xlate', '?'))
    runs = [('bench-%s' % n, 'bench-%s' % n) for n, _ in bench.BENCH] + [('default-workload', 'run=all')]
    for run, label in runs:
        if run + '.translations' not in kv:
            fail('trace-bench.sh did not run %s%s' % (run, ': ' + kv[run + '.error'] if run + '.error' in kv else ''))
            continue
        x = num(run + '.bytes') / max(1.0, num(run + '.translations'))
        rows.append(('%s --trace: bytes/translation' % label, '%.4f' % x, '<= 0.1', met(x, '<=', 0.1)))
        t, x = med_range([float(v) for v in kv.get(run + '.wall_ratios', 'nan').split(',')])
        rows.append(('%s --trace: time ratio (wall)' % label, t, '<= 3.0', met(x, '<=', 3.0)))
        t, x = med_range([float(v) for v in kv.get(run + '.cpu_ratios', 'nan').split(',')])
        rows.append(('%s --trace: CPU time ratio (both threads)' % label, t, '-', '-'))
        if run + '.stats_meps' in kv:
            replay(run, label)
        else:
            notes.append('%s: under 1 M translations, replay speed not measured.' % label)


# ---- 4. memory ----

# The bound, fixed here (not derived from the code's own constants): guest RAM
# plus 24 MiB untraced, and 12 MiB more with --trace.
BOUND_UNTRACED = 24 * MiB
BOUND_TRACE = 12 * MiB


def peak_rss(cmd):
    """Peak resident set of CMD in bytes, its exit status and stderr. GNU time
    does the wait4: a child forked from this Python process starts with
    Python's own high-water mark in ru_maxrss (the kernel keeps the pre-exec
    image's), which would hide anything smaller."""
    with tempfile.NamedTemporaryFile('r') as t:
        use_time = os.access(GNU_TIME, os.X_OK)
        p = subprocess.Popen(([GNU_TIME, '-f', '%M', '-o', t.name] if use_time else []) + cmd,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = p.stderr.read().decode(errors='replace')
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        kib = int(t.read().split()[-1]) if use_time else ru.ru_maxrss
    return kib * 1024, p.returncode, err


def memory(a, rows, notes):
    log('memory: peak RSS with and without --trace')
    vm = os.path.join(a.build, 'emu', 'vmscope')
    for label, args in (('run=all', []), ('bench-loadstore', [os.path.join(a.build, 'tests', 'bench',
                                                                           'bench-loadstore.elf')])):
        with tempfile.TemporaryDirectory() as tmp:
            plain, rc1, err = peak_rss([vm, 'run'] + args)
            traced, rc2, _ = peak_rss([vm, 'run', '--trace', os.path.join(tmp, 't.vmt')] + args)
        if rc1 != 1 or rc2 != 1:
            fail('vmscope %s: exit status %d / %d with --trace\n%s' % (label, rc1, rc2, err[-2000:]))
            continue
        m = re.search(r'(\d+) KiB RAM', summary(err, 'memory'))
        ram = int(m.group(1)) * 1024 if m else 16 * MiB
        mib = lambda x: '%.1f MiB' % (x / MiB)
        plus = lambda x: ('+ %.1f MiB' % (x / MiB)) if x >= 0 else ('- %.1f MiB' % (-x / MiB))
        for name, rss, bound in (('', plain, BOUND_UNTRACED), (' --trace', traced, BOUND_UNTRACED + BOUND_TRACE)):
            rows.append(('%s%s: peak RSS' % (label, name), 'RAM %s (%s)' % (plus(rss - ram), mib(rss)),
                         '<= RAM + %s' % mib(bound), met(rss - ram, '<=', bound)))
        rows.append(('%s: added by --trace' % label, mib(traced - plain), '<= %s' % mib(BOUND_TRACE),
                     met(traced - plain, '<=', BOUND_TRACE)))
    notes.append('Memory bound: a fixed figure, RAM (the guest RAM of the summary) + 24 MiB untraced and '
                 '12 MiB more with --trace. Guest RAM is allocated as the guest touches it, so a guest '
                 'that touches little of it shows a figure below RAM.')
    if not os.access(GNU_TIME, os.X_OK):
        notes.append('No %s: peak RSS read by os.wait4 from this Python process, so it is at least '
                     'Python\'s own peak.' % GNU_TIME)


def build_files(build):
    """Modification times of the binaries and guests measured (a rebuild during
    the run would mix two builds)."""
    paths = [os.path.join(build, 'emu', 'vmscope'), os.path.join(build, 'tools', 'vmtrace'),
             os.path.join(build, 'guest', 'kernel.elf'), os.path.join(build, 'guest', 'initrd.cpio')]
    paths += [os.path.join(build, 'tests', 'bench', 'bench-%s.elf' % n) for n, _ in bench.BENCH]
    return {p: os.stat(p).st_mtime if os.path.exists(p) else None for p in paths}


def load():
    with open('/proc/loadavg') as f:
        return f.read().split()[0]


def machine():
    model = '?'
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    git = subprocess.run(['git', '-C', ROOT, 'describe', '--always', '--dirty'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    return '%s, %d cores (nproc), %s; source %s' % (
        datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z'), len(os.sched_getaffinity(0)),
        model, git or '?')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--scale', type=float)
    ap.add_argument('--no-bochs', dest='bochs', action='store_false')
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--trace-n', type=int)
    ap.add_argument('--rounds', type=int)
    ap.add_argument('--sections', default='interpreter,workload,trace,memory')
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    if a.scale is None:
        a.scale = 0.25 if a.quick else 1.0
    if a.trace_n is None:
        a.trace_n = 1000000 if a.quick else 5000000
    if a.rounds is None:
        a.rounds = 1 if a.quick else bench.ROUNDS
    head, load0, files = machine(), load(), build_files(a.build)
    missing = [p for p, t in files.items() if t is None]
    if missing:
        sys.exit('report: not built: %s (meson compile -C %s)' % (', '.join(missing), a.build))
    rows, notes = [], []
    parts = {'interpreter': interpreter, 'workload': workload, 'trace': trace, 'memory': memory}
    for name in a.sections.split(','):
        if name not in parts:
            sys.exit('report: unknown section %r (interpreter, workload, trace, memory)' % name)
        parts[name](a, rows, notes)
    changed = [os.path.relpath(p, a.build) for p, t in build_files(a.build).items() if files[p] != t]
    if changed:
        notes.append('REBUILT DURING THE RUN (figures may mix two builds): %s.' % ', '.join(changed))

    print('# Performance report')
    print()
    print('%s; load average %s at the start, %s at the end' % (head, load0, load()))
    print('build %s; every timed figure: median [range] of %d rounds; interpreter MIPS = instructions '
          'of N more iterations / extra host seconds (bench.py, --scale %g); Bochs: Debian\'s bochs 2.7 '
          '(its debugger compiled in), tests/bochs/bochsrc' % (a.build, a.rounds, a.scale))
    print()
    print('| figure | measured | target | met |')
    print('|---|---:|---|---|')
    for r in rows:
        print('| %s | %s | %s | %s |' % r)
    print()
    for n in notes + ['PROBLEM: ' + p.split('\n')[0] for p in problems]:
        print('- ' + n)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
