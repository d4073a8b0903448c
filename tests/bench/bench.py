#!/usr/bin/env python3
"""Interpreter benchmark: each benchmark guest under vmscope, QEMU (TCG) and
Bochs, in one run, and a table of MIPS and ratios.

Each guest runs twice, with N and 2N iterations. Instruction counts come from
vmscope's summary (the guests are deterministic and interrupt-free, so every
emulator executes the same instructions); host times are wall-clock times of
whole runs, and the difference between the two runs cancels start-up costs
(QEMU's and Bochs's BIOS and GRUB, vmscope's loading).

Each figure is the median of ROUNDS rounds (default 5), printed with its
range: a round times every emulator once at N and once at 2N, one after the
other, so a ratio compares runs made under the same load.

Bochs is Debian's bochs package (2.7, built with its debugger compiled in,
so each run starts by answering 'c' at its prompt), configured by
tests/bochs/bochsrc.

usage: bench.py [--build DIR] [--scale F] [--no-bochs] [--only NAME] [--rounds R]"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time

BENCH = [  # name, iterations N
    ('loadstore', 600),
    ('calls', 60),
    ('strings', 400),
    ('pagefault', 900),
    ('pages64', 300),       # a different page on every access over 64 pages
    ('random8m', 600),      # random pages over 8 MiB: TLB misses and walks
    ('callret', 500),       # calls and returns with stack frames
]
QEMU_MULT = 10
BOCHS_MULT = 2      # Bochs's start-up (BIOS, GRUB) varies by a second or more: more work to measure
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOCHSRC = os.path.join(ROOT, 'tests', 'bochs', 'bochsrc')

REPEAT = 1      # runs per timing within a round (the least time counts)
ROUNDS = 5
# the reference QEMU command (../shared/DESIGN.md) without -kernel, -initrd and -append
QEMU_CMD = ['qemu-system-i386', '-M', 'pc', '-cpu', 'pentium2', '-m', '16', '-display', 'none',
            '-serial', 'stdio', '-no-reboot', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']

def timed(cmd, repeat=None, **kw):
    """Best of REPEAT runs: other work on the host only ever adds time.
    Returns the best time and that run's CompletedProcess."""
    best = None
    for _ in range(repeat or REPEAT):
        t = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
        dt = time.perf_counter() - t
        if best is None or dt < best[0]:
            best = (dt, p)
    return best

def vmscope(build, elf, iters, extra=(), repeat=3):      # short runs: the least of three
    dt, p = timed([os.path.join(build, 'emu', 'vmscope'), 'run', '--cmdline', 'iters=%d' % iters]
                  + list(extra) + [elf], repeat=repeat)
    m = re.search(r'^instructions:\s+(\d+)', p.stderr.decode(), re.M)
    if p.returncode != 1 or not m:
        sys.exit('vmscope failed on %s: status %d\n%s' % (elf, p.returncode, p.stderr.decode()[-2000:]))
    return dt, int(m.group(1)), p.stdout

def qemu(elf, iters, repeat=None):
    dt, p = timed(QEMU_CMD + ['-kernel', elf, '-append', 'iters=%d' % iters], repeat=repeat, timeout=600)
    return dt, p.stdout

def bochs(elf, iters, tmp):
    iso_dir = os.path.join(tmp, 'iso')
    shutil.rmtree(iso_dir, ignore_errors=True)
    os.makedirs(os.path.join(iso_dir, 'boot', 'grub'))
    shutil.copy(elf, os.path.join(iso_dir, 'boot', 'kernel.elf'))
    with open(os.path.join(iso_dir, 'boot', 'grub', 'grub.cfg'), 'w') as f:
        f.write('set timeout=0\nserial --unit=0\nterminal_output serial\n'
                'menuentry k {\n multiboot /boot/kernel.elf iters=%d\n boot\n}\n' % iters)
    iso = os.path.join(tmp, 'k.iso')
    subprocess.run(['grub-mkrescue', '-o', iso, iso_dir], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    serial = os.path.join(tmp, 'serial.out')
    env = dict(os.environ, BX_ISO=iso, BX_SERIAL=serial, BX_MEGS='16')
    best, out = None, b''
    for _ in range(max(REPEAT, 1) + 2):     # only runs that reached the guest's last line count
        if best is not None and _ >= REPEAT:
            break
        if os.path.exists(serial):
            os.unlink(serial)
        t = time.perf_counter()
        subprocess.run(['timeout', '600', 'bochs', '-q', '-f', BOCHSRC], input=b'c\n', env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t
        with open(serial, 'rb') if os.path.exists(serial) else open(os.devnull, 'rb') as f:
            run_out = f.read()
        if checksum_line(run_out) and (best is None or dt < best):
            best, out = dt, run_out
    if best is None:
        sys.exit('Bochs did not run %s to its end (is another Bochs holding the RFB port?)' % elf)
    return best, out

def checksum_line(out):
    m = re.search(rb'checksum [0-9a-f]+', out)
    return m.group(0) if m else None

def median(xs):
    s = sorted(xs)
    k = len(s) // 2
    return s[k] if len(s) % 2 else (s[k - 1] + s[k]) / 2

def measure(build, scale=1.0, with_bochs=True, only=None, rounds=None):
    """Run every benchmark guest (or only ONLY) ROUNDS times and return one
    dict per guest: name, insns (of the N extra iterations), vmscope_s (their
    host seconds, median), and for each of vmscope, qemu and (with Bochs)
    bochs the median MIPS, with the list of every round's under KEY + '_all';
    'vmscope/bochs_all' and 'vmscope/qemu_all' hold the ratios of each round.
    Exits when an emulator's checksum differs from vmscope's."""
    rows = []
    for name, n in BENCH:
        if only and name != only:
            continue
        runs = [measure_once(build, name, max(1, int(n * scale)), with_bochs) for _ in range(rounds or ROUNDS)]
        row = dict(name=name, insns=runs[0]['insns'], vmscope_s=median([r['vmscope_s'] for r in runs]))
        for k in ('vmscope', 'qemu', 'bochs'):
            if k in runs[0]:
                row[k + '_all'] = [r[k] for r in runs]
                row[k] = median(row[k + '_all'])
        for k in ('qemu', 'bochs'):
            if k in runs[0]:
                row['vmscope/%s_all' % k] = [r['vmscope'] / r[k] if r[k] > 0 else float('nan') for r in runs]
        rows.append(row)
    return rows

def measure_once(build, name, n, with_bochs):
    """One round of benchmark NAME at N iterations: a dict as measure's rows,
    one figure each."""
    with tempfile.TemporaryDirectory() as tmp:
        elf = os.path.join(build, 'tests', 'bench', 'bench-%s.elf' % name)
        v1, i1, o1 = vmscope(build, elf, n)
        v2, i2, o2 = vmscope(build, elf, 2 * n)
        per_iter = (i2 - i1) / n        # instructions are linear in iterations
        # the faster emulators run more iterations so their difference is well above noise
        kq = QEMU_MULT
        q1, qo1 = qemu(elf, kq * n)
        q2, qo2 = qemu(elf, 2 * kq * n)
        _, qo0 = qemu(elf, n, repeat=1)     # only its checksum
        if checksum_line(qo0) != checksum_line(o1):
            sys.exit('%s: QEMU and vmscope disagree: %r vs %r' % (name, checksum_line(qo0), checksum_line(o1)))
        row = dict(name=name, insns=i2 - i1, vmscope_s=v2 - v1, vmscope=mips(i2 - i1, v2 - v1),
                   qemu=mips(per_iter * kq * n, q2 - q1))
        if with_bochs:
            kb = BOCHS_MULT
            for _ in range(3):
                b1, bo1 = bochs(elf, kb * n, tmp)
                b2, bo2 = bochs(elf, 2 * kb * n, tmp)
                # twice the work takes well over the time of once and at most
                # twice it (start-up is common to both): else a stall hit
                # one of the runs, measure again
                if 1.3 * b1 < b2 < 2.2 * b1:
                    break
            o_kb = o2 if kb * n == 2 * n else vmscope(build, elf, kb * n, repeat=1)[2]
            if checksum_line(bo1) != checksum_line(o_kb):
                sys.exit('%s: Bochs and vmscope disagree: %r vs %r' % (name, checksum_line(bo1), checksum_line(o_kb)))
            row['bochs'] = mips(per_iter * kb * n, b2 - b1)
        return row

def mips(ins, s):
    return ins / s / 1e6 if s > 0 else float('inf')

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--scale', type=float, default=1.0)
    ap.add_argument('--no-bochs', action='store_true')
    ap.add_argument('--only')
    ap.add_argument('--rounds', type=int, default=ROUNDS)
    a = ap.parse_args()
    rows = measure(a.build, a.scale, not a.no_bochs, a.only, a.rounds)
    print('vmscope %s; median of %d rounds [range]; MIPS = instructions of N more iterations / extra '
          'host seconds' % (a.build, a.rounds))
    hdr = '| benchmark | instructions | vmscope MIPS | QEMU MIPS | vmscope/QEMU |'
    sep = '|---|---:|---:|---:|---:|'
    if not a.no_bochs:
        hdr += ' Bochs MIPS | vmscope/Bochs |'
        sep += '---:|---:|'
    print(hdr)
    print(sep)
    for r in rows:
        rg = lambda xs: '[%.2f-%.2f]' % (min(xs), max(xs))
        line = '| %s | %d | %.1f | %.1f | %.2f %s |' % (r['name'], r['insns'], r['vmscope'], r['qemu'],
                                                      median(r['vmscope/qemu_all']), rg(r['vmscope/qemu_all']))
        if not a.no_bochs:
            line += ' %.1f | %.2f %s |' % (r['bochs'], median(r['vmscope/bochs_all']), rg(r['vmscope/bochs_all']))
        print(line)
    return 0

if __name__ == '__main__':
    sys.exit(main())
