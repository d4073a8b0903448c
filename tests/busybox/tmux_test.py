#!/usr/bin/env python3
"""The interactive test a person would do, typed into tmux (a real terminal
emulator, its own server socket):

  tmux_test.py shell VMSCOPE VMTRACE   boot `vmscope run --tty --trace FILE
      --cmdline init=/bin/sh` (the built kernel, initrd and disk) to the
      busybox shell; type `ls /bin`, `free`, `cat /proc/1/maps`; Ctrl-C a
      `sleep 100` (the prompt must come back at once); `exit`: vmscope ends
      with status 1 (init exited 0), and the trace of the session reads back
      (vmtrace verify) with the names of what ran (ls, free, cat, sleep).
  tmux_test.py echo VMSCOPE DEVICES_ELF   the same machinery without the
      guest kernel: the device test guest in mode=tty under --tty; Ctrl-C
      arrives as byte 03, Ctrl-A x ends the run with status 10.

Each step waits for its text on the screen (tmux capture-pane)."""
import os, shutil, subprocess, sys, tempfile, time

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

class Tmux:
    def __init__(self, tmp, command):
        self.sock = os.path.join(tmp, 'tmux.sock')
        self.tmux = [shutil.which('tmux'), '-S', self.sock]
        subprocess.run(self.tmux + ['-f', '/dev/null', 'new-session', '-d', '-s', 't', '-x', '160', '-y', '50',
                                    command], check=True)

    def screen(self):
        p = subprocess.run(self.tmux + ['capture-pane', '-p', '-S', '-2000', '-t', 't'], stdout=subprocess.PIPE)
        return p.stdout.decode('latin-1')

    def wait(self, text, timeout, after=0):
        """Wait until TEXT is on the screen past character AFTER of it; the
        screen's length at that moment, or None."""
        end = time.monotonic() + timeout * TIMEOUT_SCALE
        while time.monotonic() < end:
            s = self.screen()
            i = s.find(text, after)
            if i >= 0:
                return i + len(text)
            time.sleep(0.2)
        return None

    def keys(self, *keys):
        subprocess.run(self.tmux + ['send-keys', '-t', 't'] + list(keys), check=True)

    def close(self):
        subprocess.run(self.tmux + ['kill-server'], stderr=subprocess.DEVNULL)

def main():
    mode = sys.argv[1]
    if not shutil.which('tmux'):
        print('FAIL: tmux is not installed (bash scripts/setup)')
        return 1
    failures = []
    def check(ok, what):
        print('%s %s' % ('ok  ' if ok else 'FAIL', what))
        if not ok:
            failures.append(what)
        return ok
    with tempfile.TemporaryDirectory() as tmp:
        status = os.path.join(tmp, 'status')
        if mode == 'shell':
            vmscope, vmtrace = sys.argv[2:4]
            trace = os.path.join(tmp, 'session.vmt')
            cmd = '%s run --quiet --tty --trace %s --cmdline init=/bin/sh; echo "EXIT=$?" > %s; sleep 60' % (
                os.path.abspath(vmscope), trace, status)
        else:
            vmscope, elf = sys.argv[2:4]
            cmd = '%s run --quiet --tty --cmdline mode=tty %s; echo "EXIT=$?" > %s; sleep 60' % (
                os.path.abspath(vmscope), os.path.abspath(elf), status)
        t = Tmux(tmp, cmd)
        try:
            if mode == 'shell':
                at = t.wait('/ #', 120)     # capture-pane trims the prompt's trailing space
                if check(at is not None, 'the busybox shell prompt'):
                    t.keys('ls /bin', 'Enter')
                    at = t.wait('busybox', 60, at)
                    check(at is not None, 'ls /bin lists busybox')
                    t.keys('free', 'Enter')
                    at = t.wait('Swap:', 60, at or 0)
                    check(at is not None, 'free shows Mem and Swap')
                    t.keys('cat /proc/1/maps', 'Enter')
                    at = t.wait('[stack]', 60, at or 0)
                    check(at is not None, 'cat /proc/1/maps shows the stack')
                    t.keys('sleep 100', 'Enter')
                    time.sleep(2)
                    t0 = time.monotonic()
                    t.keys('C-c')
                    t.keys('echo after-ctrl-c', 'Enter')
                    at = t.wait('\nafter-ctrl-c', 30, at or 0)
                    check(at is not None and time.monotonic() - t0 < 30,
                          'Ctrl-C ends sleep 100 and the shell takes the next command')
                    t.keys('exit', 'Enter')
            else:
                at = t.wait('tty: ready', 60)
                if check(at is not None, 'the echo guest is up'):
                    t.keys('C-c')
                    check(t.wait('rx 03', 30, at) is not None, 'Ctrl-C reaches the guest as byte 03')
                    t.keys('C-a', 'a')
                    check(t.wait('rx 01', 30, at) is not None, 'Ctrl-A a sends one Ctrl-A')
                    t.keys('C-a', 'x')
            end = time.monotonic() + 60 * TIMEOUT_SCALE
            while not os.path.exists(status) and time.monotonic() < end:
                time.sleep(0.2)
            time.sleep(0.2)
            got = open(status).read().strip() if os.path.exists(status) else '(still running)'
            want = 'EXIT=1' if mode == 'shell' else 'EXIT=10'
            check(got == want, 'vmscope ended with %s (want %s)' % (got, want))
            if failures:
                print('--- screen ---\n' + t.screen())
        finally:
            t.close()
        if mode == 'shell' and os.path.exists(trace):
            v = subprocess.run([vmtrace, 'verify', trace], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            check(v.returncode == 0, 'the session\'s trace reads back (vmtrace verify)')
            d = subprocess.run([vmtrace, 'dump', trace, '--kind', 'annot'], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            text = d.stdout.decode('latin-1')
            missing = [n for n in ('ls', 'free', 'cat', 'sleep') if n not in text]
            check(not missing, 'the trace names what ran%s' % (': missing ' + ' '.join(missing) if missing else ''))
    print('%d failed' % len(failures) if failures else 'all passed')
    return 1 if failures else 0

if __name__ == '__main__':
    sys.exit(main())
