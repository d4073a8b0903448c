#!/usr/bin/env python3
"""Host against guest: run one static Linux/i386 program (tests/abi/*.c,
gcc -m32 -static) on the host's Linux and as init= in the guest, and
compare what they print (tests/abi/README.md).

  abi_test.py host  --prog BIN --source SRC [--strace] [-- ARGS...]
  abi_test.py guest --prog BIN --source SRC --vmscope VMSCOPE --disk IMG
                    --path /abi/NAME [--mem MIB] [-- ARGS...]

Both runs happen on a pseudo-terminal (Python's pty): on the host the
program is a session leader whose controlling terminal is the pty (as the
guest's pid 1 is the leader of session 1 on /dev/ttyS0); in the guest,
vmscope runs with --tty on the pty, so COM1 is that terminal. A program
line "abi? send HEX" makes the harness type those bytes. Compared: the
lines starting with "abi| " and the exit status, which the guest reports
as DESIGN.md maps an init= program's end: exit S gives vmscope status
(min(S, 63) << 1) | 1, death by signal N gives ((64 + min(N, 63)) << 1) | 1.
"model: " lines are printed for the reader, not compared.

`host` runs the program on the host alone: it must end with status 0 (or
the status given by --expect-status / --expect-signal) and print its
"begin" and "end" lines; with --strace, the system calls named on the
source's `calls:` comment lines must each be made at least once (strace -f
on the host), so the suite keeps covering what it claims to. `guest` runs
both and compares; when the guest prints `model: syscalls NR:COUNT ...`
lines (the kernel's per-call counts), the calls the source names must have
a nonzero count there."""
import argparse, os, pty, re, select, shutil, signal, subprocess, sys, tempfile, termios, time

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

def declared_calls(source):
    """The system calls a program's source says it makes: the words after
    `calls:` on its comment lines."""
    calls = []
    for line in open(source):
        m = re.match(r'\s*(?:/?\*)?\s*calls:\s*(.*?)\s*(\*/)?$', line)
        if m:
            calls += m.group(1).split()
    return calls

def syscall_names():
    """{number: name} of Linux/i386's system calls, from the host's
    asm/unistd_32.h (gcc-multilib's headers)."""
    names = {}
    for h in ('/usr/include/x86_64-linux-gnu/asm/unistd_32.h', '/usr/include/asm/unistd_32.h'):
        if os.path.exists(h):
            for l in open(h):
                m = re.match(r'#define __NR_(\w+)\s+(\d+)', l)
                if m:
                    names[int(m.group(2))] = m.group(1)
            break
    return names

def pty_run(argv, timeout, cwd=None):
    """Run ARGV with stdin, stdout and stderr on a new pseudo-terminal whose
    slave is its controlling terminal (setsid, TIOCSCTTY: pty.fork).
    Answers "abi? send HEX" lines. Returns (raw output, wait status or None
    on timeout)."""
    pid, master = pty.fork()
    if pid == 0:
        try:
            if cwd:
                os.chdir(cwd)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    out = b''
    seen = 0        # bytes of OUT already scanned for requests
    end = time.monotonic() + timeout
    status = None
    while True:
        left = end - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            break
        r, _, _ = select.select([master], [], [], min(left, 0.5))
        if r:
            try:
                data = os.read(master, 65536)
            except OSError:     # EIO: every holder of the slave has closed it
                data = b''
            if not data:
                _, status = os.waitpid(pid, 0)
                break
            out += data
            while True:
                nl = out.find(b'\n', seen)
                if nl < 0:
                    break
                line = out[seen:nl].replace(b'\r', b'')
                seen = nl + 1
                m = re.search(rb'abi\? send ([0-9a-f]*)$', line)
                if m:
                    os.write(master, bytes.fromhex(m.group(1).decode()))
        else:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
                # what is left in the pty
                while select.select([master], [], [], 0.2)[0]:
                    try:
                        data = os.read(master, 65536)
                    except OSError:
                        break
                    if not data:
                        break
                    out += data
                break
    os.close(master)
    return out.decode('latin-1'), status

def lines_of(text, prefix):
    res = []
    for l in text.replace('\r', '').split('\n'):
        i = l.find(prefix)
        if i >= 0:
            res.append(l[i:])
    return res

def describe(status):
    if status is None:
        return 'timeout'
    if os.WIFEXITED(status):
        return 'exit %d' % os.WEXITSTATUS(status)
    if os.WIFSIGNALED(status):
        return 'signal %d' % os.WTERMSIG(status)
    return 'status %#x' % status

def guest_status_for(status):
    """vmscope's exit status when the init= program ends as the host's run
    did (DESIGN.md, "The guest kernel's command line")."""
    if os.WIFEXITED(status):
        v = min(os.WEXITSTATUS(status), 63)
    else:
        v = 64 + min(os.WTERMSIG(status), 63)
    return (v << 1) | 1

def run_host(a, tmp, strace=False):
    """The program on the host, in a fresh working directory; with STRACE
    under strace -f, returning the set of system calls made too (a second
    run: under strace the program is not the session leader)."""
    argv = [os.path.abspath(a.prog)] + a.args
    trace = os.path.join(tmp, 'strace.txt')
    if strace:
        argv = [shutil.which('strace'), '-f', '-qq', '-o', trace] + argv
    cwd = tempfile.mkdtemp(dir=tmp)
    out, status = pty_run(argv, a.timeout, cwd=cwd)
    made = None
    if strace:
        made = set()
        for l in open(trace, errors='replace'):
            m = re.match(r'\d+\s+(?:<\.\.\. )?([a-z_0-9]+)[( ]', l)
            if m:
                made.add(m.group(1))
    return out, status, made

def run_guest(a):
    cmdline = 'init=%s' % a.path
    if a.args:
        cmdline += ' -- ' + ' '.join(a.args)
    argv = [os.path.abspath(a.vmscope), 'run', '--quiet', '--tty', '--mem', '%dM' % a.mem,
            '--disk', os.path.abspath(a.disk), '--disk-snapshot', '--cmdline', cmdline]
    return pty_run(argv, a.timeout)

def show(name, text):
    print('--- %s console ---' % name)
    for l in text.replace('\r', '').split('\n'):
        print('  ' + l)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['host', 'guest'])
    ap.add_argument('--prog', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--strace', action='store_true')
    ap.add_argument('--vmscope')
    ap.add_argument('--disk')
    ap.add_argument('--path')
    ap.add_argument('--mem', type=int, default=16)
    ap.add_argument('--timeout', type=float, default=50)
    ap.add_argument('--expect-status', type=int, default=0)
    ap.add_argument('--expect-signal', type=int)
    argv = sys.argv[1:]
    rest = argv.index('--') if '--' in argv else len(argv)
    a = ap.parse_args(argv[:rest])
    a.args = argv[rest + 1:]
    a.timeout *= TIMEOUT_SCALE
    failures = []
    def check(ok, what):
        print('%s %s' % ('ok  ' if ok else 'FAIL', what))
        if not ok:
            failures.append(what)
    name = os.path.basename(a.prog)
    with tempfile.TemporaryDirectory() as tmp:
        hout, hstatus, _ = run_host(a, tmp)
        made = run_host(a, tmp, strace=True)[2] if a.strace and a.mode == 'host' else None
        hlines = lines_of(hout, 'abi| ')
        if a.mode == 'host':
            show('host', hout)
            if a.expect_signal:
                check(hstatus is not None and os.WIFSIGNALED(hstatus) and
                      os.WTERMSIG(hstatus) == a.expect_signal,
                      'host: %s (want signal %d)' % (describe(hstatus), a.expect_signal))
            else:
                check(hstatus is not None and os.WIFEXITED(hstatus) and
                      os.WEXITSTATUS(hstatus) == a.expect_status,
                      'host: %s (want exit %d)' % (describe(hstatus), a.expect_status))
            check(bool(hlines) and hlines[0].startswith('abi| begin') and
                  hlines[-1].startswith('abi| end'), 'host: the begin and end lines are there')
            check(not any('FAIL' in l for l in hlines), 'host: no line says FAIL')
            if made is not None:
                missing = [c for c in declared_calls(a.source) if c not in made]
                check(not missing, 'host: every call the source names was made (strace)%s' %
                      (': missing ' + ' '.join(missing) if missing else ''))
        else:
            gout, gstatus = run_guest(a)
            glines = lines_of(gout, 'abi| ')
            show('guest', gout)
            if hstatus is None or not (os.WIFEXITED(hstatus) or os.WIFSIGNALED(hstatus)):
                check(False, 'host: the program ended (%s)' % describe(hstatus))
            else:
                want = guest_status_for(hstatus)
                got = os.WEXITSTATUS(gstatus) if gstatus is not None and os.WIFEXITED(gstatus) else None
                check(got == want, 'exit status: vmscope %s, want %d (the host program: %s)' %
                      (describe(gstatus), want, describe(hstatus)))
            n = max(len(hlines), len(glines))
            diffs = [(i, hlines[i] if i < len(hlines) else '(none)', glines[i] if i < len(glines) else '(none)')
                     for i in range(n) if (hlines[i:i + 1] or [None]) != (glines[i:i + 1] or [None])]
            for i, h, g in diffs[:20]:
                print('  line %d:\n    host:  %s\n    guest: %s' % (i + 1, h, g))
            check(not diffs and hlines, '%s: %d compared lines, %d differ' % (name, len(hlines), len(diffs)))
            counts = {}
            names = syscall_names()
            for l in lines_of(gout, 'model: syscalls '):     # the kernel's NR:COUNT per call
                for tok in l.split()[2:]:
                    k, _, v = tok.partition(':')
                    if k.isdigit() and v.isdigit():
                        name = names.get(int(k), k)
                        counts[name] = counts.get(name, 0) + int(v)
            if counts:
                missing = [c for c in declared_calls(a.source) if not counts.get(c)]
                check(not missing, "guest: the kernel's counts show every call the source names%s" %
                      (': missing ' + ' '.join(missing) if missing else ''))
            else:
                print("note: no 'model: syscalls' line from the guest kernel: call coverage not checked")
    print('%d failed' % len(failures) if failures else 'all passed')
    return 1 if failures else 0

if __name__ == '__main__':
    sys.exit(main())
