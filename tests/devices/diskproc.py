"""What disk files a running vmscope holds open, read from /proc: the run
is started with --gdb-wait, so it waits (machine built, disk and overlay
open) for a debugger that never comes, and is killed after the look."""
import os, socket, subprocess, time

def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port

def open_files(pid):
    """{fd: (target, flags)} of a running process."""
    files = {}
    for fd in os.listdir('/proc/%d/fd' % pid):
        try:
            target = os.readlink('/proc/%d/fd/%s' % (pid, fd))
            with open('/proc/%d/fdinfo/%s' % (pid, fd)) as f:
                flags = int([l for l in f if l.startswith('flags:')][0].split()[1], 8)
        except OSError:
            continue
        files[int(fd)] = (target, flags)
    return files

def disk_files(vmscope, args, tmpdir):
    """Start `vmscope run ARGS` with TMPDIR=TMPDIR and the GDB stub waiting;
    once it listens, return (files, names): its open files as open_files
    gives them, and what TMPDIR lists meanwhile."""
    port = free_port()
    p = subprocess.Popen([vmscope, 'run', '--quiet', '--gdb', str(port), '--gdb-wait'] + args,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         env=dict(os.environ, TMPDIR=tmpdir))
    try:
        files = {}
        for _ in range(200):        # until the stub listens: the machine is built
            if p.poll() is not None:
                break
            files = open_files(p.pid)
            if any(t.startswith('socket:') for t, _ in files.values()):
                break
            time.sleep(0.05)
        return open_files(p.pid) if p.poll() is None else files, os.listdir(tmpdir)
    finally:
        p.kill()
        p.communicate()

def image_flags(files, path):
    """The access modes (os.O_RDONLY, os.O_RDWR) PATH is open with."""
    return [f & os.O_ACCMODE for t, f in files.values() if t == os.path.realpath(path)]

def overlays(files, tmpdir):
    """The files open in TMPDIR (the --disk-snapshot overlay: '... (deleted)')."""
    return [t for t, f in files.values() if t.startswith(os.path.realpath(tmpdir) + '/')]
