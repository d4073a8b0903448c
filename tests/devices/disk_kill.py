#!/usr/bin/env python3
"""Data safety: every sector the guest was told is written is in the image
file when the run ends, however it ends: --max-cycles at many points
(status 6), SIGTERM and SIGINT at several host times (status 10).

The device test guest in mode=write fills the disk in order and prints
"wrote L" once sectors [0, L) are complete. After each ended run the image
must hold the pattern on at least [0, L), and the written sectors must form
a prefix (anything after it still blank).

usage: disk_kill.py --vmscope BIN --kernel DEVICES_ELF"""
import argparse, os, re, signal, subprocess, sys, tempfile, time

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diskpat

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

SECTORS = 1024
SEED = 5

def check(img, out, expect, what):
    reported = [int(x) for x in re.findall(r'^wrote (\d+)', out, re.M)]
    told = reported[-1] if reported else 0
    data = open(img, 'rb').read()
    if len(data) != SECTORS * 512:
        return '%s: the image changed size (%d bytes)' % (what, len(data))
    blank = bytes(512)
    done = 0
    while done < SECTORS and data[done * 512:(done + 1) * 512] == expect[done * 512:(done + 1) * 512]:
        done += 1
    if done < told:
        return '%s: the guest was told %d sectors were written, the image has %d' % (what, told, done)
    for lba in range(done, SECTORS):
        if data[lba * 512:(lba + 1) * 512] != blank:
            return '%s: sector %d is neither the pattern in order nor blank' % (what, lba)
    return None

def fresh(path):
    with open(path, 'wb') as f:
        f.truncate(SECTORS * 512)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vmscope', required=True)
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--points', type=int, default=12)
    a = ap.parse_args()
    expect = diskpat.image(SECTORS, SEED)
    args = 'mode=write seed=%d' % SEED
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        img = os.path.join(tmp, 'disk.img')
        base = [a.vmscope, 'run', '--disk', img, '--cmdline', args]
        # A whole run, to learn how many cycles it takes.
        fresh(img)
        p = subprocess.run(base + [a.kernel], stdin=subprocess.DEVNULL, capture_output=True, timeout=240 * TIMEOUT_SCALE)
        m = re.search(rb'cycles:\s+(\d+)', p.stderr)
        if p.returncode != 1 or not m:
            print('FAIL: the full run exited %s\n%s' % (p.returncode, p.stderr.decode()[-2000:]))
            return 1
        total = int(m.group(1))
        err = check(img, p.stdout.decode(), expect, 'full run')
        if err:
            failures.append(err)
        elif (p.stdout.decode().count('wrote ') != (SECTORS + 15) // 16):
            failures.append('full run: not every command reported')
        # --max-cycles at many points.
        for k in range(1, a.points + 1):
            limit = total * k // (a.points + 1)
            fresh(img)
            p = subprocess.run(base + ['--quiet', '--max-cycles', str(limit), a.kernel],
                               stdin=subprocess.DEVNULL, capture_output=True, timeout=240 * TIMEOUT_SCALE)
            what = '--max-cycles %d' % limit
            if p.returncode != 6:
                failures.append('%s: exit status %s, expected 6' % (what, p.returncode))
                continue
            err = check(img, p.stdout.decode(), expect, what)
            if err:
                failures.append(err)
        # Signals at host times spread over a run.
        start = time.monotonic()
        fresh(img)
        subprocess.run(base + ['--quiet', a.kernel], stdin=subprocess.DEVNULL, capture_output=True)
        host = time.monotonic() - start
        landed = 0
        for k, sig in enumerate([signal.SIGTERM, signal.SIGINT] * 4):
            delay = host * (k + 1) / 10
            fresh(img)
            p = subprocess.Popen(base + ['--quiet', a.kernel], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            # Signal a running guest (vmscope handles signals once it runs):
            # wait for its first line, then for a share of the run.
            first = p.stdout.readline()
            time.sleep(delay)
            p.send_signal(sig)
            # Read on through the same buffered reader: communicate() would read
            # the pipe directly and lose what readline() had read ahead (lines
            # the guest printed, so fewer sectors checked). stderr is a line or two.
            out = first + p.stdout.read()
            errout = p.stderr.read()
            p.wait(timeout=240 * TIMEOUT_SCALE)
            what = '%s after %.3f s' % (signal.Signals(sig).name, delay)
            if p.returncode not in (10, 1):
                failures.append('%s: exit status %s, expected 10' % (what, p.returncode))
                continue
            landed += p.returncode == 10
            if p.returncode == 10 and signal.Signals(sig).name.encode() not in errout:
                failures.append('%s: the signal is not named on stderr' % what)
            err = check(img, out.decode(), expect, what)
            if err:
                failures.append(err)
        if not landed:
            failures.append('no signal arrived while the guest was writing')
    for f in failures:
        print('FAIL: ' + f)
    if failures:
        return 1
    print('disk data safe at %d cycle limits and 8 signals (%d ended the run)' % (a.points, landed))
    return 0

if __name__ == '__main__':
    sys.exit(main())
