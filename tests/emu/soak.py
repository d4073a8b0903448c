#!/usr/bin/env python3
"""Soak: the guest kernel's workload in a loop (init's loop=0: run the
program list again and again) in one vmscope process for a given time,
with the process's resident set size (VmRSS) sampled at a fixed interval.
Then SIGTERM ends the run. vmscope runs with --mem-prealloc: the guest's
RAM and the decoded-instruction arena (bounded, filled as the guest
touches frames and new code is decoded) are resident from the start, so
what RSS gains afterwards is the host's own memory.

Passes when:
  * vmscope ends with status 10 (the signal, after flushing the disk),
    with no sanitizer report and no leak report on stderr (run it from
    the ASan/UBSan build: scripts/soak does);
  * the guest completed at least one round and printed no FAIL line;
  * from the sample at --steady (default: the tenth minute, or a sixth of
    the run when it is shorter) to the end, RSS grew by less than --bound
    KiB (default 1024: 1 MiB).

Prints the samples, the figures, and with --report FILE one JSON line
(scripts/reliability-table reads it).

usage: soak.py --vmscope BIN [--seconds S] [--interval S] [--steady S]
               [--bound KIB] [--cmdline STR] [--report FILE]"""
import argparse, datetime, json, os, re, signal, subprocess, sys, tempfile, time


def rss_kib(pid, field='VmRSS'):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith(field + ':'):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vmscope', required=True)
    ap.add_argument('--seconds', type=float, default=3600)
    ap.add_argument('--interval', type=float, default=60)
    ap.add_argument('--steady', type=float)
    ap.add_argument('--bound', type=int, default=1024)
    ap.add_argument('--cmdline', default='run=all loop=0')
    ap.add_argument('--report')
    a = ap.parse_args()
    steady = a.steady if a.steady is not None else min(600.0, a.seconds / 6)
    env = dict(os.environ)
    env.setdefault('ASAN_OPTIONS', 'detect_leaks=1:abort_on_error=1')
    env.setdefault('UBSAN_OPTIONS', 'print_stacktrace=1:halt_on_error=1')
    with tempfile.TemporaryDirectory() as tmp:
        outp, errp = os.path.join(tmp, 'out'), os.path.join(tmp, 'err')
        with open(outp, 'wb') as fo, open(errp, 'wb') as fe:
            p = subprocess.Popen([a.vmscope, 'run', '--quiet', '--mem-prealloc', '--cmdline', a.cmdline],
                                 stdin=subprocess.DEVNULL, stdout=fo, stderr=fe, env=env)
        start = time.monotonic()
        samples = []            # (seconds, KiB)
        next_t = 0.0
        while p.poll() is None:
            t = time.monotonic() - start
            if t >= next_t:
                r = rss_kib(p.pid)
                if r is not None:
                    samples.append((t, r))
                    print('  %7.0f s  RSS %8d KiB (anonymous %s KiB)' % (t, r, rss_kib(p.pid, 'RssAnon')), flush=True)
                next_t += a.interval
            if t >= a.seconds:
                break
            time.sleep(min(1.0, max(0.05, next_t - t)))
        ended_early = p.poll() is not None
        if not ended_early:
            p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=600)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        out = open(outp, 'rb').read().decode('latin-1')
        err = open(errp, 'rb').read().decode('latin-1')
    rounds = len(re.findall(r'^round \d+', out, re.M))
    passes = len(re.findall(r'^PASS ', out, re.M))
    guest_fails = re.findall(r'^FAIL .*', out, re.M)
    after = [s for s in samples if s[0] >= steady - 1]
    growth = (max(r for _, r in after) - after[0][1]) if after else None
    problems = []
    if ended_early:
        problems.append('vmscope ended by itself with status %s before the time was up' % p.returncode)
    elif p.returncode != 10:
        problems.append('exit status %s after SIGTERM, expected 10' % p.returncode)
    if re.search(r'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ', err):
        problems.append('a sanitizer report on stderr:\n' + err[-3000:])
    if rounds < 2:      # "round 1" is printed when it starts: one round done means round 2 began
        problems.append('the guest did not complete a round (%d started)' % rounds)
    if guest_fails:
        problems.append('the guest printed %d FAIL lines, the first: %s' % (len(guest_fails), guest_fails[0]))
    if growth is None:
        problems.append('no RSS sample from %.0f s on' % steady)
    elif growth >= a.bound:
        problems.append('RSS grew by %d KiB from %.0f s to the end (bound %d KiB)' % (growth, steady, a.bound))
    first = samples[0][1] if samples else 0
    peak = max((r for _, r in samples), default=0)
    print('soak: %.0f s, %d samples, %d rounds started, %d programs passed, %d failed; RSS first %d KiB, '
          'at %.0f s %s KiB, peak %d KiB, growth from then %s KiB (bound %d)'
          % (samples[-1][0] if samples else 0, len(samples), rounds, passes, len(guest_fails), first, steady,
             after[0][1] if after else '?', peak, growth if growth is not None else '?', a.bound))
    for x in problems:
        print('FAIL: ' + x)
    if a.report:
        with open(a.report, 'a') as f:
            f.write(json.dumps({'campaign': 'soak', 'seconds': round(samples[-1][0]) if samples else 0,
                                'samples': len(samples), 'rounds': max(rounds - 1, 0), 'programs_passed': passes,
                                'programs_failed': len(guest_fails), 'rss_first_kib': first,
                                'rss_steady_kib': after[0][1] if after else None, 'rss_peak_kib': peak,
                                'growth_kib': growth, 'bound_kib': a.bound, 'result': 'FAIL' if problems else 'ok',
                                'date': datetime.date.today().isoformat()}) + '\n')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
