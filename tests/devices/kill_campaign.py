#!/usr/bin/env python3
"""Kill campaign: a traced run of the sector writer guest
(tests/guests/writer) on a writable disk image is ended by a signal at
POINTS moments spread over its length, for each signal asked for. After
each run:

  * the image holds every sector up to at least the last "seq N" the guest
    printed (each printed once its ATA write command completed; a line the
    signal cut short is not counted), each with
    its own sequence number and contents, and nothing but zeros after the
    written prefix;
  * `vmtrace verify` on the trace reads every chunk it finds: after SIGKILL
    the file has no footer (status 1, "INCOMPLETE"), yet all of its
    complete chunks are readable ("N of N chunks readable"); after SIGTERM
    and SIGINT the trace was closed with its footer (status 0, "ok");
  * vmscope's exit status is the signal's (SIGKILL) or 10, with the signal
    named on stderr (SIGTERM, SIGINT); a run that finished before the
    signal arrived (status 1) passes but is counted apart.

The moments are host times after the guest's first line: the first run
(unsignalled) measures the whole run; point k of N waits (k + 0.5) / N of
it. Prints one line per signal with its figures; with --report FILE, also
one JSON line per signal (scripts/reliability-table reads them).

usage: kill_campaign.py --vmscope BIN --vmtrace BIN --kernel WRITER_ELF
                        [--points N] [--signals KILL,TERM,INT] [--count SECTORS]
                        [--work W] [--report FILE] [--verbose]"""
import argparse, datetime, json, os, re, signal, struct, subprocess, sys, tempfile, time

TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))
MAGIC = b'VMSCOPE-SEQ\0'


def sector(n):
    """The bytes the writer guest puts in sector N."""
    head = MAGIC + struct.pack('<II', n, ~n & 0xFFFFFFFF)
    return head + bytes((n * 131 + i) & 0xFF for i in range(len(head), 512))


def check_image(img, told, sectors):
    """None when IMG holds sectors [0, told) and nothing but a prefix of
    written sectors followed by zeros; else what is wrong."""
    data = open(img, 'rb').read()
    if len(data) != sectors * 512:
        return 'the image changed size (%d bytes)' % len(data)
    done = 0
    while done < sectors and data[done * 512:(done + 1) * 512] == sector(done):
        done += 1
    if done < told:
        return 'the guest was told %d sectors were written, the image holds %d' % (told, done)
    zero = bytes(512)
    for lba in range(done, sectors):
        if data[lba * 512:(lba + 1) * 512] != zero:
            return 'sector %d is neither sector %d of the sequence nor blank' % (lba, lba)
    return None


def check_trace(vmtrace, path, complete):
    """None when the trace is as it must be; else what is wrong."""
    if not os.path.exists(path):
        return 'no trace file'
    p = subprocess.run([vmtrace, 'verify', path], capture_output=True, text=True, timeout=300 * TIMEOUT_SCALE)
    m = re.search(r'^health:\s+(\S+): (\d+) of (\d+) chunks readable', p.stdout, re.M)
    if not m:
        return 'vmtrace verify (status %d) printed no health line: %s %s' % (p.returncode, p.stdout[-300:],
                                                                            p.stderr[-300:])
    state, good, n = m.group(1), int(m.group(2)), int(m.group(3))
    if complete:
        if p.returncode != 0 or state != 'ok':
            return 'the trace was not closed cleanly: %s' % (p.stdout.strip().splitlines()[-1])
    else:
        if p.returncode not in (0, 1) or good != n:
            return 'a complete chunk is unreadable: %s (status %d) %s' % (
                p.stdout.strip().splitlines()[-1], p.returncode, p.stderr[-300:])
    return None


def fresh(path, sectors):
    with open(path, 'wb') as f:
        f.truncate(sectors * 512)


def run_once(a, tmp, delay, sig):
    """One run; SIG after DELAY seconds past the first line (None: none).
    Returns (status, stdout, stderr, seconds after the first line)."""
    img, trc = os.path.join(tmp, 'disk.img'), os.path.join(tmp, 'run.vmt')
    fresh(img, a.count)
    if os.path.exists(trc):
        os.unlink(trc)
    cmd = [a.vmscope, 'run', '--quiet', '--disk', img, '--trace', trc,
           '--cmdline', 'count=%d work=%d' % (a.count, a.work), a.kernel]
    outp, errp = os.path.join(tmp, 'out'), os.path.join(tmp, 'err')
    with open(outp, 'wb') as fo, open(errp, 'wb') as fe:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=fo, stderr=fe)
    # Wait for the guest's first line: vmscope then runs the guest and has
    # its signal handlers. (Files, not pipes: nothing read ahead is lost.)
    deadline = time.monotonic() + 120 * TIMEOUT_SCALE
    while p.poll() is None and time.monotonic() < deadline:
        with open(outp, 'rb') as f:
            if b'\n' in f.read(256):
                break
        time.sleep(0.002)
    t0 = time.monotonic()
    if sig is not None:
        time.sleep(delay)
        try:
            p.send_signal(sig)
        except ProcessLookupError:
            pass
    p.wait(timeout=600 * TIMEOUT_SCALE)
    out = open(outp, 'rb').read().decode('latin-1')
    err = open(errp, 'rb').read().decode('latin-1')
    return p.returncode, out, err, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vmscope', required=True)
    ap.add_argument('--vmtrace', required=True)
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--points', type=int, default=100)
    ap.add_argument('--signals', default='KILL,TERM,INT')
    ap.add_argument('--count', type=int, default=2048)
    ap.add_argument('--work', type=int, default=4)
    ap.add_argument('--report')
    ap.add_argument('--verbose', action='store_true')
    a = ap.parse_args()
    total_fail = 0
    with tempfile.TemporaryDirectory() as tmp:
        img, trc = os.path.join(tmp, 'disk.img'), os.path.join(tmp, 'run.vmt')
        rc, out, err, length = run_once(a, tmp, 0, None)
        told = len(re.findall(r'^seq \d+\r?\n', out, re.M))
        problems = [x for x in (check_image(img, told, a.count), check_trace(a.vmtrace, trc, True)) if x]
        if rc != 1 or told != a.count or problems:
            print('FAIL: the unsignalled run: status %s, %d of %d sectors told; %s\n%s'
                  % (rc, told, a.count, '; '.join(problems), err[-1500:]))
            return 1
        print('unsignalled run: %d sectors, %.2f s after its first line, trace ok' % (a.count, length))
        for name in a.signals.split(','):
            sig = getattr(signal, 'SIG' + name)
            passed = landed = 0
            fails = []
            told_min, told_max = None, 0
            start = time.monotonic()
            for k in range(a.points):
                delay = length * (k + 0.5) / a.points
                rc, out, err, _ = run_once(a, tmp, delay, sig)
                seqs = [int(x) for x in re.findall(r'^seq (\d+)\r?\n', out, re.M)]
                told = seqs[-1] + 1 if seqs else 0
                what = 'SIG%s at %.3f s (point %d)' % (name, delay, k + 1)
                finished = rc == 1 and told == a.count
                problems = []
                if sig == signal.SIGKILL:
                    if rc != -signal.SIGKILL and not finished:
                        problems.append('exit status %s, expected death by SIGKILL' % rc)
                elif rc != 10 and not finished:
                    problems.append('exit status %s, expected 10' % rc)
                elif rc == 10 and ('SIG' + name) not in err:
                    problems.append('stderr does not name SIG%s: %s' % (name, err.strip()[-200:]))
                if seqs != list(range(len(seqs))):
                    problems.append('the sequence numbers printed are not 0, 1, 2, ...')
                problems += [x for x in (check_image(img, told, a.count),
                                         check_trace(a.vmtrace, trc, sig != signal.SIGKILL or finished)) if x]
                if problems:
                    fails.append('%s: %s' % (what, '; '.join(problems)))
                else:
                    passed += 1
                landed += not finished
                told_min = told if told_min is None else min(told_min, told)
                told_max = max(told_max, told)
                if a.verbose:
                    print('  %s: status %s, %d sectors told%s' % (what, rc, told, ' FAIL' if problems else ''))
            secs = time.monotonic() - start
            print('SIG%-4s %d/%d passed (%d ended the run mid-way, %d finished first); sectors told per run '
                  '%d..%d; %.0f s' % (name, passed, a.points, landed, a.points - landed, told_min or 0,
                                      told_max, secs))
            for f in fails:
                print('FAIL: ' + f)
            total_fail += len(fails)
            if a.report:
                with open(a.report, 'a') as f:
                    f.write(json.dumps({'campaign': 'kill', 'signal': 'SIG' + name, 'points': a.points,
                                        'passed': passed, 'landed': landed, 'sectors': a.count,
                                        'seconds': round(secs), 'date': datetime.date.today().isoformat()})
                            + '\n')
    return 1 if total_fail else 0


if __name__ == '__main__':
    sys.exit(main())
