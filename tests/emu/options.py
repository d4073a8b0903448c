#!/usr/bin/env python3
"""`vmscope run` options, each checked by an effect that would be missing if
the option did nothing, on the probe guest (tests/guests/probe/probe.c):

  --itrace            one line per instruction executed: as many as the
                      summary's instruction count; none without it
  --itrace=FROM-TO    only instructions in [FROM, TO]: probe_loop's 303
                      (2 + 100 rounds of 3 + ret), 302 without its ret
  --itrace-limit N    exactly N lines
  --cpu-mhz N         the guest's TSC over 100 ms of PIT time: N/10 million
  --rtc-base SECS     the CMOS date the guest reads (2009-02-13 23:31:30 for
                      1234567890, 2099-12-31 23:59:58 for 4102444798;
                      2000-01-01 00:00:00 by default). (--rtc-base 0 is
                      taken as the default, not 1970: a known limitation)
  --serial FILE       the console in FILE, nothing on stdout
  --debugcon FILE     port 0xE9's line in FILE, not on stderr (its default)
  --then stop         with --inspect-at insn:100: the run ends there
                      (status 0, 100 instructions, no guest line after);
                      --then continue runs to the end
  --mem-prealloc      with --mem 64M, before the first instruction: RSS is
                      at least 64 MiB (the RAM) plus 16 MiB (the decode
                      arena), and 64 MiB above the same run's without it

usage: options.py VMSCOPE PROBE_ELF"""
import os, re, socket, subprocess, sys, tempfile
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checklib import check, finish

TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))
vmscope, elf = sys.argv[1:3]


def run(*args):
    p = subprocess.run([vmscope, 'run'] + list(args) + [elf], capture_output=True, text=True,
                       timeout=120 * TIMEOUT_SCALE, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def itrace_lines(text):
    return [l for l in text.splitlines() if re.match(r'^[0-9a-f]{8}  [0-9a-f]{2}', l)]


def symbol(name):
    out = subprocess.run(['nm', elf], capture_output=True, text=True, check=True).stdout
    m = re.search(r'^([0-9a-f]+) \w %s$' % re.escape(name), out, re.M)
    return int(m.group(1), 16)


# --itrace, --itrace-limit
# (port 0xE9's bytes would otherwise interleave with the trace on stderr)
rc, out, err = run('--debugcon', os.devnull)
insns = int(re.search(r'^instructions:\s+(\d+)', err, re.M).group(1))
check(rc == 1 and not itrace_lines(err), 'no --itrace: no instruction lines (%d instructions ran)' % insns, err)
rc, out, err = run('--itrace', '--debugcon', os.devnull)
n = len(itrace_lines(err))
check(rc == 1 and n == insns, '--itrace: %d lines, one per instruction executed' % n, err[-800:])
check(len([l for l in itrace_lines(err) if ' rdtsc' in l]) == 2, '--itrace: both RDTSCs are there')
for limit in (5, 1000):
    rc, out, err = run('--quiet', '--itrace', '--itrace-limit', str(limit), '--debugcon', os.devnull)
    n = len(itrace_lines(err))
    check(rc == 1 and n == limit, '--itrace-limit %d: %d lines' % (limit, n), err[-800:])
lo = symbol('probe_loop')
for hi, want in ((lo + 12, 303), (lo + 11, 302)):
    rc, out, err = run('--quiet', '--itrace=0x%x-0x%x' % (lo, hi), '--debugcon', os.devnull)
    lines = itrace_lines(err)
    inside = all(lo <= int(l[:8], 16) <= hi for l in lines)
    check(rc == 1 and len(lines) == want and inside,
          '--itrace=probe_loop-+%d: %d instructions, all in the range' % (hi - lo, want), '%d lines' % len(lines))

# --cpu-mhz
for mhz, want in ((None, 10), (50, 5), (200, 20)):
    rc, out, err = run('--quiet', *(['--cpu-mhz', str(mhz)] if mhz else []))
    m = re.search(r'^tsc: (\d+) million', out, re.M)
    check(rc == 1 and m and int(m.group(1)) == want,
          '--cpu-mhz %s: %d million TSC cycles in 100 ms of PIT time' % (mhz or 'default (100)', want), out)

# --rtc-base
for base, want in ((None, '2000-01-01 00:00:00'), (1234567890, '2009-02-13 23:31:30'),
                   (4102444798, '2099-12-31 23:59:58')):
    rc, out, err = run('--quiet', *(['--rtc-base', str(base)] if base is not None else []))
    check(rc == 1 and ('rtc: %s' % want) in out, '--rtc-base %s: the guest reads %s' % (base, want), out)

with tempfile.TemporaryDirectory() as tmp:
    # --serial
    f = os.path.join(tmp, 'serial.txt')
    rc, out, err = run('--quiet', '--serial', f)
    text = open(f).read() if os.path.exists(f) else ''
    check(rc == 1 and out == '' and 'probe: start' in text and 'probe: end' in text,
          '--serial FILE: the console in FILE, stdout empty', 'stdout %r, file %r' % (out[:200], text[:200]))
    # --debugcon
    rc, out, err = run('--quiet')
    check('probe: debugcon line' in err and 'probe: debugcon line' not in out,
          'port 0xE9 goes to stderr by default', err)
    f = os.path.join(tmp, 'debugcon.txt')
    rc, out, err = run('--quiet', '--debugcon', f)
    text = open(f).read() if os.path.exists(f) else ''
    check(rc == 1 and text == 'probe: debugcon line\n' and 'debugcon line' not in err,
          '--debugcon FILE: the line in FILE, not on stderr', 'file %r, stderr %r' % (text, err[-300:]))

# --then stop
rc, out, err = run('--inspect-at', 'insn:100', '--inspect', 'regs', '--then', 'stop')
check(rc == 0 and 'instructions=100 ' in err and re.search(r'^instructions:\s+100$', err, re.M)
      and 'probe:' not in out and 'EAX=' in err,
      '--then stop: the run ends at instruction 100 with status 0, after the view', 'out %r\n%s' % (out, err))
rc, out, err = run('--inspect-at', 'insn:100', '--inspect', 'regs', '--then', 'continue')
check(rc == 1 and 'probe: end' in out and 'instructions=100 ' in err,
      '--then continue: the view at 100, then the run goes on to its end', 'out %r\n%s' % (out, err[-500:]))

# --mem-prealloc: resident memory before the first instruction (the run
# waits for gdb there), read from /proc; a child's ru_maxrss will not do,
# as it includes the forked copy of this script's memory.
def rss_waiting(*args):
    srv = socket.socket()
    srv.bind(('127.0.0.1', 0))
    port = srv.getsockname()[1]
    srv.close()
    env = dict(os.environ)
    env.pop('MALLOC_PERTURB_', None)    # meson's: glibc would fill (touch) every allocation
    p = subprocess.Popen([vmscope, 'run', '--quiet', '--gdb', str(port), '--gdb-wait'] + list(args) + [elf],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         env=env)
    line = p.stderr.readline()
    rss = None
    with open('/proc/%d/status' % p.pid) as f:
        for l in f:
            if l.startswith('VmRSS:'):
                rss = int(l.split()[1])
    p.terminate()
    p.communicate(timeout=60 * TIMEOUT_SCALE)
    return ('waiting for gdb' in line and p.returncode == 10), rss or 0     # KiB


ok0, lazy = rss_waiting('--mem', '64M')
ok1, eager = rss_waiting('--mem', '64M', '--mem-prealloc')
check(ok0 and ok1 and eager >= (64 + 16) * 1024 and eager - lazy >= 64 * 1024,
      '--mem-prealloc: RSS %d KiB before the first instruction, %d KiB without it' % (eager, lazy),
      'waited and ended with 10: %s, %s' % (ok0, ok1))

finish()
