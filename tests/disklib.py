"""Helpers of the tests that handle disk images:
  - reading the images `vmscope mkdisk` makes with the tools a person
    would use: sfdisk -J (the MBR), the swap header as Linux reads it
    (linux-2.4 include/linux/swap.h, union swap_header), dumpe2fs -h and
    debugfs on the ext2 partition (IMAGE?offset=BYTES);
  - what disk files a running vmscope holds open, from /proc: the run is
    started with --gdb-wait, so it waits (machine built, disk and overlay
    open) for a debugger that never comes, and is killed after the look;
  - digests, and the verdict line of a test."""
import hashlib, json, os, shutil, struct, subprocess, sys, time

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'emu'))
from gdb_test import free_port

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

SECTOR = 512
PAGE = 4096
FIXED_TIME = 946684800          # 2000-01-01 00:00:00 UTC, every time in the image
TOOLS = ['sfdisk', 'mkswap', 'mke2fs', 'debugfs']
# Features Linux 2.4's ext2 lacks (or that Debian 12's mke2fs.conf turns on).
FORBIDDEN = ['dir_index', 'resize_inode', 'ext_attr', 'has_journal', 'extent', 'extents', '64bit',
             'metadata_csum', 'flex_bg', 'huge_file', 'dir_nlink', 'extra_isize', 'uninit_bg',
             'metadata_csum_seed', 'inline_data', 'casefold', 'encrypt', 'sparse_super2', 'orphan_file']

def which(name):
    return shutil.which(name) or shutil.which(name, path='/usr/sbin:/sbin')

def tool_env(extra=None):
    """The environment with /usr/sbin and /sbin on PATH (the tools live there)."""
    env = dict(os.environ)
    env['PATH'] = env.get('PATH', '') + ':/usr/sbin:/sbin'
    env.update(extra or {})
    return env

def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120 * TIMEOUT_SCALE, **kw)
    return p.returncode, p.stdout.decode('latin-1'), p.stderr.decode('latin-1')

def mkdisk(vmscope, image, *args, cwd=None, env=None):
    """(exit status, stdout, stderr) of `vmscope mkdisk IMAGE ARGS`."""
    return run([vmscope, 'mkdisk', image] + list(args), cwd=cwd, env=env or tool_env())

def digest(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()

def partitions(image):
    """sfdisk -J's partition table: {'id': ..., 'partitions': [{start, size, type}...]}."""
    rc, out, err = run([which('sfdisk'), '-J', image])
    if rc:
        raise RuntimeError('sfdisk -J %s: %s' % (image, err.strip()))
    return json.loads(out)['partitiontable']

def swap_header(image, offset):
    """The first page of a swap area: (magic, version, last_page, nr_badpages, uuid bytes)."""
    with open(image, 'rb') as f:
        f.seek(offset)
        page = f.read(PAGE)
    version, last_page, nr_bad = struct.unpack_from('<III', page, 1024)
    return page[PAGE - 10:], version, last_page, nr_bad, page[1036:1052]

def ext2_header(image, offset):
    """dumpe2fs -h of the file system at OFFSET, as {field: value}."""
    rc, out, err = run([which('dumpe2fs'), '-h', '%s?offset=%d' % (image, offset)])
    if rc:
        raise RuntimeError('dumpe2fs %s: %s' % (image, err.strip()))
    fields = {}
    for line in out.splitlines():
        if ':' in line:
            k, v = line.split(':', 1)
            fields[k.strip()] = v.strip()
    return fields

def fsck(image, offset):
    """(exit status, output) of e2fsck -fn: 0 is clean."""
    rc, out, err = run([which('e2fsck'), '-fn', '%s?offset=%d' % (image, offset)])
    return rc, out + err

def debugfs(image, offset, request):
    rc, out, err = run([which('debugfs'), '-R', request, '%s?offset=%d' % (image, offset)])
    return out

def inode(image, offset, path):
    """debugfs stat of PATH: {'mode', 'user', 'group', 'ctime', 'atime', 'mtime', 'type'} (times in seconds)."""
    out = debugfs(image, offset, 'stat "%s"' % path.replace('"', '""'))
    info = {}
    for line in out.splitlines():
        words = line.replace(':', ' ').split()
        for i, w in enumerate(words[:-1]):
            if w in ('Mode', 'User', 'Group', 'Type'):
                info[w.lower()] = words[i + 1]
        for t in ('ctime', 'atime', 'mtime'):
            if line.strip().startswith(t + ':'):
                info[t] = int(line.split()[1].split(':')[0], 16)
    return info

def one_line_failure(rc, err, words, status=2):
    """Problems with a failure that must be exit STATUS and one stderr line holding WORDS."""
    problems = []
    lines = [l for l in err.split('\n') if l]
    if rc != status:
        problems.append('exit status %s, want %d' % (rc, status))
    if len(lines) != 1:
        problems.append('%d stderr lines, want 1: %r' % (len(lines), err[-500:]))
    for w in words:
        if w not in err:
            problems.append('stderr lacks %r: %r' % (w, err.strip()[-300:]))
    return problems

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

def report(failures, success):
    """Print each failure, or SUCCESS; the exit status."""
    for f in failures:
        print('FAIL: ' + f)
    if failures:
        return 1
    print(success)
    return 0
