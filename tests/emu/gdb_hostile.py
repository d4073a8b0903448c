#!/usr/bin/env python3
"""The GDB stub against a hostile client: garbage, broken framing, packets
larger than its buffer, disconnects in the middle of a packet, and
reconnections, while the guest kernel runs. After each client the stub
must still answer a well-formed packet on a new connection, and at the end
a kill packet ends vmscope with status 10 and nothing on stderr but its
own lines (under the ASan/UBSan build, a sanitizer report would be there).

usage: gdb_hostile.py VMSCOPE [SEED]"""
import os, random, re, socket, subprocess, sys, time

TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def packet(payload):
    return b'$' + payload + b'#%02x' % (sum(payload) & 0xFF)


def connect(port):
    deadline = time.monotonic() + 30 * TIMEOUT_SCALE
    while True:
        try:
            return socket.create_connection(('127.0.0.1', port), timeout=30 * TIMEOUT_SCALE)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def read_reply(s):
    """The next reply packet's payload (acks skipped), or None."""
    buf = b''
    deadline = time.monotonic() + 60 * TIMEOUT_SCALE
    while time.monotonic() < deadline:
        m = re.search(rb'\$([^#]*)#[0-9a-f]{2}', buf)
        if m:
            return m.group(1)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            return None
        if not chunk:
            return None
        buf += chunk
    return None


def sane(port, what):
    """A new client asks '?' and reads the registers: None when answered."""
    s = connect(port)
    try:
        s.sendall(packet(b'?'))
        r = read_reply(s)
        if r is None or not r.startswith((b'S', b'T')):
            return '%s: no stop reply to ? (got %r)' % (what, r)
        s.sendall(b'+' + packet(b'g'))
        r = read_reply(s)
        if r is None or len(r) < 16 * 8 or not re.fullmatch(rb'[0-9a-fx]+', r):
            return '%s: no register reply to g (got %r)' % (what, r and r[:40])
        s.sendall(b'+' + packet(b'm0,10'))
        if read_reply(s) is None:
            return '%s: no reply to m' % what
        s.sendall(b'+' + packet(b'c'))       # let the guest run again
    finally:
        s.close()
    return None


def main():
    vmscope = sys.argv[1]
    rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 21)
    port = free_port()
    vm = subprocess.Popen([vmscope, 'run', '--quiet', '--gdb', str(port), '--gdb-wait', '--cmdline', 'run=all'],
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    fails = []
    garbage = [
        bytes(rnd.randrange(256) for _ in range(4000)),              # noise
        b'$' * 3000,                                                   # openings only
        b'$' + b'A' * 70000,                                           # larger than the stub's buffer
        b'#00' * 500 + b'+-+-' * 200,                                  # closings and acks only
        packet(b'g')[:-2] + b'zz',                                     # a bad checksum digit
        packet(b'g')[:-1] + b'0',                                      # a wrong checksum
        b'\x03' * 50,                                                  # interrupts
        packet(b'}' * 200),                                            # escapes
        packet(b'm' + b'*' * 300),                                     # run-length marks
        packet(b'Xfffff000,8:' + bytes(range(8))),                     # binary write (unmapped: the
                                                                       # guest must live on)
        packet(b'M100000,ffffffff:00'),                                # a length that lies
        packet(b'm0,ffffffff'),                                        # a huge read
        packet(b'qRcmd,' + b'41' * 3000),                              # a long monitor command
        packet(b'Z2,0,ffffffff'), packet(b'Z9,1,1'), packet(b'z0,dead,1'),
        packet(b'P1000=00'), packet(b'p' + b'f' * 40), packet(b'G' + b'0' * 7),   # G: less than a register (a whole one would change
        # EAX under the guest, which could then fail by itself and end the run)
        packet(b'H' + b'\xff' * 10), packet(b'vCont;x'), packet(b'T-1'), packet(b'qXfer:features:read:target.xml:ffffffff,ffffffff'),
        packet(b''),
    ]
    clients = 0
    try:
        for i, g in enumerate(garbage):
            try:
                s = connect(port)
            except OSError as e:
                fails.append('cannot connect before garbage %d (%s); vmscope status %s' % (i, e, vm.poll()))
                break
            clients += 1
            for k in range(0, len(g), 997):          # in pieces
                s.sendall(g[k:k + 997])
            # then a packet cut short, and the connection dropped mid-packet
            s.sendall(b'$m100000,' + b'4'[:rnd.randrange(2)])
            time.sleep(0.01)
            s.close()
            if vm.poll() is not None:
                fails.append('vmscope ended (status %s) after garbage %d' % (vm.returncode, i))
                break
            if i % 6 == 5:
                err = sane(port, 'after garbage %d' % i)
                clients += 1
                if err:
                    fails.append(err)
                    break
        if not fails:
            # Disconnect in the middle of a reply being read, and while the
            # guest runs (after a continue).
            s = connect(port)
            s.sendall(packet(b'm100000,800'))
            s.recv(10)
            s.close()
            s = connect(port)
            s.sendall(packet(b'c'))
            time.sleep(0.2)
            s.sendall(b'$m1000')
            s.close()
            clients += 2
            err = sane(port, 'after the disconnects')
            clients += 1
            if err:
                fails.append(err)
        if not fails:
            s = connect(port)
            s.sendall(packet(b'k'))
            s.close()
            clients += 1
        try:
            vm.wait(timeout=120 * TIMEOUT_SCALE)
        except subprocess.TimeoutExpired:
            fails.append('vmscope did not end after the kill packet')
    finally:
        if vm.poll() is None:
            vm.kill()
            vm.wait()
    err = vm.stderr.read().decode('latin-1')
    if not fails and vm.returncode != 10:
        fails.append('vmscope exit status %s, want 10 (killed by the debugger)' % vm.returncode)
    if re.search(r'Sanitizer|runtime error', err):
        fails.append('a sanitizer report:\n' + err[-3000:])
    for f in fails:
        print('FAIL: ' + f)
    if fails:
        print(err[-2000:])
        return 1
    print('gdb stub: %d hostile clients (%d garbage streams, disconnects mid-packet and mid-reply), '
          'still answering, killed cleanly' % (clients, len(garbage)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
