#!/usr/bin/env python3
"""`vmscope run --tty`: COM1 is the terminal, driven here through a
pseudo-terminal (Python's pty), with the device test guest in mode=tty
(it prints "rx XX" for every byte it receives).

  - usage errors, one line and status 2: stdin not a terminal, --tty with
    --input-string or --input-file;
  - raw mode while running (no ICANON, ECHO, ISIG, ICRNL, IXON; OPOST kept)
    and the terminal's settings back exactly on every way out: the guest's
    end, Ctrl-A x (status 10, with the trace flushed and readable), SIGTERM,
    SIGINT, SIGHUP (10), a triple fault (4), --max-cycles (6), and vmscope
    itself killed by SIGSEGV;
  - bytes: Ctrl-C and Ctrl-Z reach the guest as 03 and 1a, Ctrl-A a and
    Ctrl-A Ctrl-A as one 01, an unknown escape is dropped;
  - idle time is host time: the guest's 100-tick sleep (1 s of virtual
    time) takes about a second.

usage: tty_test.py VMSCOPE DEVICES_ELF VMTRACE"""
import os, pty, select, signal, subprocess, sys, tempfile, termios, time
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checklib import check, finish

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))
WAIT = 30 * TIMEOUT_SCALE


class Run:
    """vmscope on a fresh pseudo-terminal: stdin and stdout the slave,
    stderr a pipe (so its lines can be told apart)."""
    def __init__(self, vmscope, args):
        self.master, self.slave = pty.openpty()
        self.before = termios.tcgetattr(self.slave)
        self.out = b''
        self.p = subprocess.Popen([vmscope, 'run', '--quiet', '--tty'] + args,
                                  stdin=self.slave, stdout=self.slave, stderr=subprocess.PIPE,
                                  start_new_session=True)

    def read_until(self, text, timeout=WAIT):
        """Read the terminal until TEXT (bytes) has appeared; True if it did."""
        end = time.monotonic() + timeout
        while text not in self.out.replace(b'\r', b''):
            left = end - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([self.master], [], [], min(left, 0.2))
            if r:
                try:
                    self.out += os.read(self.master, 4096)
                except OSError:
                    return False
        return True

    def send(self, data):
        os.write(self.master, data)

    def is_raw(self):
        iflag, oflag, cflag, lflag = termios.tcgetattr(self.slave)[:4]
        return (not lflag & (termios.ICANON | termios.ECHO | termios.ISIG | termios.IEXTEN) and
                not iflag & (termios.ICRNL | termios.IXON) and bool(oflag & termios.OPOST))

    def finish(self):
        """Wait for the end; (status, stderr text, settings restored)."""
        try:
            _, err = self.p.communicate(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.p.kill()
            _, err = self.p.communicate()
            err += b'\n(timeout)'
        restored = termios.tcgetattr(self.slave) == self.before
        os.close(self.master)
        os.close(self.slave)
        return self.p.returncode, err.decode('latin-1'), restored

def usage_errors(vmscope, elf, tmp):
    cases = [
        ('stdin not a terminal', ['--tty', elf], subprocess.DEVNULL, 'not a terminal'),
        ('--tty --input-string', ['--tty', '--input-string', 'x', elf], 'pty', '--input-string'),
        ('--tty --input-file', ['--tty', '--input-file', os.path.join(tmp, 'in'), elf], 'pty',
         '--input-file'),
    ]
    open(os.path.join(tmp, 'in'), 'w').close()
    for name, args, stdin, word in cases:
        m = s = None
        if stdin == 'pty':
            m, s = pty.openpty()
            stdin = s
        p = subprocess.run([vmscope, 'run', '--quiet'] + args, stdin=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=WAIT, start_new_session=True)
        err = p.stderr.decode().strip().splitlines()
        check(p.returncode == 2 and len(err) == 1 and word in err[0] and not p.stdout,
              'usage error, %s: status %d, stderr %r' % (name, p.returncode, err))
        for fd in (m, s):
            if fd is not None:
                os.close(fd)

def ends(vmscope, vmtrace, elf, tmp):
    base = ['--cmdline', 'mode=tty']
    trace = os.path.join(tmp, 'tty.vmt')
    cases = [   # name, extra args, how to end it, status, stderr word
        ('the guest ends', [], lambda r: r.send(b'q'), 1, None),
        ('Ctrl-A x', ['--trace', trace], lambda r: r.send(b'\x01x'), 10, 'Ctrl-A x'),
        ('SIGTERM', [], lambda r: r.p.send_signal(signal.SIGTERM), 10, 'SIGTERM'),
        ('SIGINT', [], lambda r: r.p.send_signal(signal.SIGINT), 10, 'SIGINT'),
        ('SIGHUP', [], lambda r: r.p.send_signal(signal.SIGHUP), 10, 'SIGHUP'),
        ('triple fault', [], lambda r: r.send(b't'), 4, 'triple fault'),
        ('vmscope killed by SIGSEGV', [], lambda r: r.p.send_signal(signal.SIGSEGV), None, None),
    ]
    for name, extra, end, want, word in cases:
        r = Run(vmscope, base + extra + [elf])
        ready = check(r.read_until(b'tty: ready\n'), '%s: the guest is up' % name)
        check(ready and r.is_raw(), '%s: the terminal is in raw mode while running' % name)
        end(r)
        rc, err, restored = r.finish()
        if want is None:
            check(rc != 0, '%s: vmscope did not end normally (status %d)' % (name, rc))
        else:
            check(rc == want, '%s: status %d (want %d) %s' % (name, rc, want, err.strip()[-200:]))
        if word:
            check(word in err, '%s: stderr names it: %r' % (name, err.strip()[-200:]))
        check(restored, '%s: the terminal settings are restored' % name)
        if name == 'Ctrl-A x':
            v = subprocess.run([vmtrace, 'verify', trace], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=WAIT)
            check(v.returncode == 0, 'Ctrl-A x: the trace is complete (vmtrace verify: %d %s)' %
                  (v.returncode, v.stdout.decode()[-200:].strip()))
    # --max-cycles: a way out with the guest still running
    r = Run(vmscope, base + ['--max-cycles', '2000000', elf])
    rc, err, restored = r.finish()
    check(rc == 6 and restored, '--max-cycles: status %d, settings restored: %s' % (rc, restored))

def bytes_and_time(vmscope, elf):
    r = Run(vmscope, ['--cmdline', 'mode=tty', elf])
    if not check(r.read_until(b'tty: ready\n'), 'bytes: the guest is up'):
        r.p.kill()
        r.finish()
        return
    for sent, want, what in [(b'\x03', b'rx 03\n', 'Ctrl-C reaches the guest as a byte'),
                             (b'\x1a', b'rx 1a\n', 'Ctrl-Z reaches the guest as a byte'),
                             (b'\r', b'rx 0d\n', 'Enter arrives as CR (no ICRNL)'),
                             (b'\x01a', b'rx 01\n', 'Ctrl-A a sends one Ctrl-A'),
                             (b'\x01\x01', b'rx 01\nrx 01\n', 'Ctrl-A Ctrl-A sends one Ctrl-A'),
                             (b'\x01zb', b'rx 01\nrx 01\nrx 62\n', 'an unknown escape is dropped')]:
        r.send(sent)
        check(r.read_until(want, timeout=10 * TIMEOUT_SCALE), '%s (%r)' % (what, sent))
    t0 = time.monotonic()
    r.send(b's')
    slept = r.read_until(b'slept\n')
    dt = time.monotonic() - t0
    check(slept and dt >= 0.8, 'idle time follows the host clock: 1 s of guest sleep took %.2f s' % dt)
    r.send(b'q')
    r.read_until(b'tty: bye\n')
    rc, err, restored = r.finish()
    check(rc == 1 and restored, 'bytes: the guest ends, status %d %s' % (rc, err.strip()[-200:]))
    text = r.out.replace(b'\r', b'').decode('latin-1')
    check(text.count('rx ') == 8, 'every byte for the guest arrived once, no escape byte: %r' %
          [l for l in text.splitlines() if l.startswith('rx ')])

def main():
    vmscope, elf, vmtrace = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        usage_errors(vmscope, elf, tmp)
        bytes_and_time(vmscope, elf)
        ends(vmscope, vmtrace, elf, tmp)
    finish()

if __name__ == '__main__':
    main()
