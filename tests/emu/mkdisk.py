#!/usr/bin/env python3
"""`vmscope mkdisk`: the layout it promises (MBR with 0x82 then 0x83 at the
sizes asked, a SWAPSPACE2 header with the right last page, an ext2 that
Linux 2.4 mounts and e2fsck finds clean), its options (--size, --swap,
--from twice, --no-defaults, --force), and its failures: each one exit
status 2 and one line on stderr, with no file left behind and an existing
IMAGE unchanged.

usage: mkdisk.py VMSCOPE DEFAULT_TREE [layout|failures]
(both parts without the third argument)"""
import os, stat, subprocess, sys, tempfile

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import disklib as dl

MIB = 1 << 20

class Checks:
    def __init__(self):
        self.failures = []
        self.count = 0

    def expect(self, cond, what):
        self.count += 1
        if not cond:
            self.failures.append(what)
        return cond

def check_layout(c, image, size, swap, what):
    """The MBR, the swap header and the ext2 superblock of IMAGE."""
    t = dl.partitions(image)
    parts = t['partitions']
    c.expect(t['label'] == 'dos' and t['id'] == '0x766d7363', '%s: label %s id %s' % (what, t['label'], t['id']))
    want = [(2048, swap // 512, '82'), (2048 + swap // 512, (size - MIB - swap) // 512, '83')]
    got = [(p['start'], p['size'], p['type']) for p in parts]
    c.expect(got == want, '%s: partitions %s, want %s' % (what, got, want))
    magic, version, last_page, nbad, uuid = dl.swap_header(image, MIB)
    c.expect(magic == b'SWAPSPACE2', '%s: swap magic %r' % (what, magic))
    c.expect(version == 1 and nbad == 0, '%s: swap version %d, %d bad pages' % (what, version, nbad))
    c.expect(last_page == swap // dl.PAGE - 1, '%s: swap last_page %d, want %d' % (what, last_page, swap // dl.PAGE - 1))
    root = MIB + swap
    h = dl.ext2_header(image, root)
    c.expect(h.get('Filesystem revision #', '').startswith('1'), '%s: ext2 revision %s' % (what, h.get('Filesystem revision #')))
    c.expect(h.get('Block size') == '1024', '%s: block size %s' % (what, h.get('Block size')))
    c.expect(h.get('Inode size') == '128', '%s: inode size %s' % (what, h.get('Inode size')))
    c.expect(int(h.get('Block count', 0)) == (size - root) // 1024,
             '%s: %s blocks for a %d-byte partition' % (what, h.get('Block count'), size - root))
    feats = h.get('Filesystem features', '').split()
    c.expect(set(feats) == {'filetype', 'sparse_super', 'large_file'}, '%s: features %s' % (what, feats))
    c.expect(not set(feats) & set(dl.FORBIDDEN), '%s: forbidden features %s' % (what, set(feats) & set(dl.FORBIDDEN)))
    c.expect(h.get('Filesystem UUID') == '766d7363-6f70-6500-0000-000000000002', '%s: UUID %s' % (what, h.get('Filesystem UUID')))
    rc, out = dl.fsck(image, root)
    c.expect(rc == 0, '%s: e2fsck -fn exit %d: %s' % (what, rc, out[-400:]))

def root_names(image, swap):
    out = dl.debugfs(image, MIB + swap, 'ls -p /')
    return {l.split('/')[5] for l in out.splitlines() if l.count('/') >= 6} - {'.', '..'}

def write(path, data, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(data)
    os.chmod(path, mode)

def leftovers(tmpdir, imagedir):
    """Files mkdisk may have left: work directories, half images."""
    return [n for n in os.listdir(tmpdir) if n.startswith('vmscope-mkdisk-')] + \
           [n for n in os.listdir(imagedir) if '.tmp-' in n]

def check_failures(c, vmscope, tmp):
    work = os.path.join(tmp, 'fail')
    tdir = os.path.join(tmp, 'failtmp')
    os.makedirs(work)
    os.makedirs(tdir)
    img = os.path.join(work, 'x.img')
    keep = os.path.join(work, 'keep.img')
    with open(keep, 'wb') as f:
        f.write(b'precious' * 1000)
    keep_hash = dl.digest(keep)
    fifo_tree = os.path.join(tmp, 'fifotree')
    os.makedirs(fifo_tree)
    os.mkfifo(os.path.join(fifo_tree, 'pipe'))
    big_tree = os.path.join(tmp, 'bigtree')
    write(os.path.join(big_tree, 'big'), 'x' * (2 * MIB))
    env = dl.tool_env({'TMPDIR': tdir})
    cases = [
        # (name, IMAGE, arguments, words the one line must hold)
        ('--size too small', img, ['--size', '1M', '--swap', '40K', '--no-defaults'], ['--size', 'no room']),
        ('--swap as big as --size', img, ['--size', '64M', '--swap', '64M', '--no-defaults'], ['--swap', 'does not fit']),
        ('--swap bigger than --size', img, ['--size', '64M', '--swap', '300M', '--no-defaults'], ['--swap', 'does not fit']),
        ('--swap no room for ext2', img, ['--size', '64M', '--swap', '63M', '--no-defaults'], ['--size', 'no room']),
        ('--size not a multiple of 1 KiB', img, ['--size', '67109376', '--no-defaults'], ['--size', '1 KiB']),
        ('--swap not a multiple of 4 KiB', img, ['--swap', '1025K', '--no-defaults'], ['--swap', '4 KiB']),
        ('--swap below 10 pages', img, ['--swap', '36K', '--no-defaults'], ['--swap', '40 KiB']),
        ('--size beyond the MBR', img, ['--size', '3072G', '--no-defaults'], ['--size', '2 TiB']),
        ('bad --size', img, ['--size', '12Q'], ['--size', 'bad value']),
        ('unknown option', img, ['--frobnicate'], ['unknown option', '--frobnicate']),
        ('option without value', img, ['--from'], ['--from', 'needs a value']),
        ('two images', img, [keep], ['only one IMAGE']),
        ('existing image', keep, ['--no-defaults'], ['keep.img', 'exists', '--force']),
        ('--from missing', keep, ['--force', '--no-defaults', '--from', os.path.join(tmp, 'nope')], ['nope']),
        ('--from with a fifo', keep, ['--force', '--no-defaults', '--from', fifo_tree], ['pipe', 'not a regular file']),
        ('files do not fit', keep, ['--force', '--no-defaults', '--size', '1200K', '--swap', '40K',
                                    '--from', big_tree], ['mke2fs']),
        ('image in a missing directory', os.path.join(tmp, 'nodir', 'x.img'), ['--no-defaults'], ['nodir']),
    ]
    for name, image, args, words in cases:
        rc, out, err = dl.mkdisk(vmscope, image, *args, env=env)
        for p in dl.one_line_failure(rc, err, words):
            c.expect(False, '%s: %s' % (name, p))
        c.expect(not os.path.exists(img), '%s: %s was made' % (name, img))
        c.expect(dl.digest(keep) == keep_hash, '%s: the existing image changed' % name)
        c.expect(not leftovers(tdir, work), '%s: left %s' % (name, leftovers(tdir, work)))
    rc, out, err = dl.run([vmscope, 'mkdisk', '--no-defaults'], env=env)
    for p in dl.one_line_failure(rc, err, ['IMAGE']):
        c.expect(False, 'no IMAGE: %s' % p)
    # A missing tool: PATH holds every other one.
    for missing in dl.TOOLS:
        bindir = os.path.join(tmp, 'no-' + missing)
        os.makedirs(bindir)
        for t in dl.TOOLS:
            if t != missing:
                os.symlink(dl.which(t), os.path.join(bindir, t))
        rc, out, err = dl.mkdisk(vmscope, keep, '--force', '--no-defaults',
                                 env=dict(os.environ, PATH=bindir, TMPDIR=tdir))
        for p in dl.one_line_failure(rc, err, [missing, 'bash scripts/setup']):
            c.expect(False, 'missing %s: %s' % (missing, p))
        c.expect(dl.digest(keep) == keep_hash, 'missing %s: the existing image changed' % missing)
        c.expect(not leftovers(tdir, work), 'missing %s: left %s' % (missing, leftovers(tdir, work)))

def check_made(c, vmscope, default_tree, tmp):
    env = dl.tool_env({'TMPDIR': tmp})
    # The defaults: 256 MiB, 128 MiB of swap, the default tree.
    img = os.path.join(tmp, 'default.img')
    rc, out, err = dl.mkdisk(vmscope, img, env=env)
    if c.expect(rc == 0 and not err, 'defaults: exit %d: %s' % (rc, err)):
        c.expect(os.path.getsize(img) == 256 * MIB, 'defaults: %d bytes' % os.path.getsize(img))
        check_layout(c, img, 256 * MIB, 128 * MIB, 'defaults')
        want = set(os.listdir(default_tree)) | {'lost+found'}
        c.expect(root_names(img, 128 * MIB) == want,
                 'defaults: root holds %s, the default tree %s' % (root_names(img, 128 * MIB), want))
    # Other sizes.
    img = os.path.join(tmp, 'small.img')
    rc, out, err = dl.mkdisk(vmscope, img, '--size', '40M', '--swap', '12M', '--no-defaults', env=env)
    if c.expect(rc == 0, '--size 40M --swap 12M: exit %d: %s' % (rc, err)):
        check_layout(c, img, 40 * MIB, 12 * MIB, '--size 40M --swap 12M')
    img = os.path.join(tmp, 'tiny.img')
    rc, out, err = dl.mkdisk(vmscope, img, '--size', '%d' % (MIB + 40960 + 65536), '--swap', '40K',
                             '--no-defaults', env=env)
    if c.expect(rc == 0, 'smallest image: exit %d: %s' % (rc, err)):
        check_layout(c, img, MIB + 40960 + 65536, 40960, 'smallest image')
    # --from twice: the later wins; owner 0, the fixed time, modes kept
    # but for group and other write.
    a, b = os.path.join(tmp, 'treeA'), os.path.join(tmp, 'treeB')
    write(os.path.join(a, 'etc', 'motd'), 'from A\n', 0o664)
    write(os.path.join(a, 'etc', 'secret'), 'only A\n', 0o600)
    write(os.path.join(a, 'bin', 'tool'), '#!/bin/sh\n', 0o775)
    write(os.path.join(a, 'was-a-file'), 'A\n')
    os.symlink('../etc/motd', os.path.join(a, 'bin', 'motd-link'))
    write(os.path.join(b, 'etc', 'motd'), 'from B\n', 0o644)
    write(os.path.join(b, 'was-a-file', 'now-a-dir'), 'B\n')
    write(os.path.join(b, 'a "quoted" name'), 'q\n')
    for root, dirs, files in os.walk(a):
        for n in dirs + files:
            os.lchown(os.path.join(root, n), 1000, 1000)
    img = os.path.join(tmp, 'from.img')
    rc, out, err = dl.mkdisk(vmscope, img, '--no-defaults', '--from', a, '--from', b, '--size', '32M',
                             '--swap', '8M', env=env)
    if c.expect(rc == 0, '--from: exit %d: %s' % (rc, err)):
        root = MIB + 8 * MIB
        check_layout(c, img, 32 * MIB, 8 * MIB, '--from')
        cat = lambda p: dl.debugfs(img, root, 'cat "%s"' % p)
        c.expect(cat('/etc/motd') == 'from B\n', '--from: /etc/motd is %r, want B\'s' % cat('/etc/motd'))
        c.expect(cat('/etc/secret') == 'only A\n', '--from: /etc/secret is %r' % cat('/etc/secret'))
        c.expect(cat('/was-a-file/now-a-dir') == 'B\n', '--from: B\'s directory did not replace A\'s file')
        want_modes = {'/etc/motd': '0644', '/etc/secret': '0600', '/bin/tool': '0755', '/etc': '0755',
                      '/bin/motd-link': '0777', '/a "quoted" name': '0644', '/was-a-file': '0755'}
        for path, mode in sorted(want_modes.items()):
            i = dl.inode(img, root, path)
            c.expect(i.get('mode') == mode, '--from: %s mode %s, want %s' % (path, i.get('mode'), mode))
            c.expect(i.get('user') == '0' and i.get('group') == '0',
                     '--from: %s owner %s:%s, want 0:0' % (path, i.get('user'), i.get('group')))
            for t in ('ctime', 'atime', 'mtime'):
                c.expect(i.get(t) == dl.FIXED_TIME, '--from: %s %s %s, want %d' % (path, t, i.get(t), dl.FIXED_TIME))
        c.expect(dl.inode(img, root, '/bin/motd-link').get('type') == 'symlink', '--from: the link is not a link')
        c.expect(root_names(img, 8 * MIB) == {'lost+found', 'etc', 'bin', 'was-a-file', 'a "quoted" name'},
                 '--from: root holds %s' % root_names(img, 8 * MIB))
    # --no-defaults: nothing but lost+found.
    img = os.path.join(tmp, 'empty.img')
    rc, out, err = dl.mkdisk(vmscope, img, '--no-defaults', '--size', '16M', '--swap', '4M', env=env)
    if c.expect(rc == 0, '--no-defaults: exit %d: %s' % (rc, err)):
        c.expect(root_names(img, 4 * MIB) == {'lost+found'}, '--no-defaults: root holds %s' % root_names(img, 4 * MIB))
    # --force replaces; without it the image is kept (checked with the failures).
    before = dl.digest(img)
    rc, out, err = dl.mkdisk(vmscope, img, '--force', '--no-defaults', '--size', '16M', '--swap', '8M', env=env)
    c.expect(rc == 0 and dl.digest(img) != before, '--force: exit %d, image %s' %
             (rc, 'replaced' if dl.digest(img) != before else 'unchanged'))
    c.expect(stat.S_IMODE(os.stat(img).st_mode) == 0o644, '--force: mode %o' % os.stat(img).st_mode)
    c.expect(not dl.run([vmscope, 'mkdisk', '--help'])[0], 'mkdisk --help fails')

def main():
    vmscope, default_tree = [os.path.abspath(a) for a in sys.argv[1:3]]
    parts = sys.argv[3:] or ['layout', 'failures']
    c = Checks()
    for t in dl.TOOLS + ['dumpe2fs', 'e2fsck']:
        if not dl.which(t):
            print('FAIL: %s is not installed (run bash scripts/setup)' % t)
            return 1
    with tempfile.TemporaryDirectory() as tmp:
        if 'layout' in parts:
            check_made(c, vmscope, default_tree, tmp)
        if 'failures' in parts:
            check_failures(c, vmscope, tmp)
        c.expect(not [n for n in os.listdir(tmp) if n.startswith('vmscope-mkdisk-')], 'work directories left in TMPDIR')
    return dl.report(c.failures, 'mkdisk %s: %d checks passed' % (' and '.join(parts), c.count))

if __name__ == '__main__':
    sys.exit(main())
