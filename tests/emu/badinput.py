#!/usr/bin/env python3
"""Bad input to `vmscope run`: each case must end with exit status 2 and
exactly one line on stderr naming the file (where there is one) and the
reason, with no crash and no sanitizer report.

usage: badinput.py VMSCOPE MKELF GOOD_ELF"""
import os, subprocess, sys, tempfile

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

def main():
    vmscope, mkelf, good = sys.argv[1:4]
    tmp = tempfile.mkdtemp()
    P = lambda n: os.path.join(tmp, n)
    def mk(name, *args):
        subprocess.check_call([sys.executable, mkelf, P(name)] + list(args))
        return P(name)
    with open(good, 'rb') as f:
        good_bytes = f.read()
    def write(name, data):
        with open(P(name), 'wb') as f:
            f.write(data)
        return P(name)
    # cut the first loadable segment of the good image in half
    import struct
    phoff, = struct.unpack_from('<I', good_bytes, 28)
    phnum, = struct.unpack_from('<H', good_bytes, 44)
    cut = None
    for i in range(phnum):
        ptype, off, _, _, filesz = struct.unpack_from('<IIIII', good_bytes, phoff + 32 * i)
        if ptype == 1 and filesz > 16:
            cut = off + filesz // 2
            break
    big_module = write('big.mod', b'\0' * (20 << 20))
    small_module = write('small.mod', b'x' * 100)
    cases = [
        # (name, argv after `vmscope run`, words the one line must contain)
        ('missing kernel', [P('nonexistent.elf')], ['nonexistent.elf', 'cannot open']),
        ('empty kernel', [write('empty.elf', b'')], ['empty.elf', 'empty']),
        ('truncated header', [write('trunc1.elf', good_bytes[:40])], ['trunc1.elf', 'truncated']),
        ('truncated program headers', [write('trunc2.elf', good_bytes[:60])], ['trunc2.elf', 'truncated']),
        ('truncated segment', [write('trunc3.elf', good_bytes[:cut])], ['trunc3.elf', 'truncated']),
        ('not ELF, no header', [write('text.elf', b'hello, this is not a kernel\n' * 10)], ['text.elf', 'not ELF32']),
        ('ELF64', [mk('e64.elf', '--class64')], ['e64.elf', 'not ELF32']),
        ('no Multiboot header', [mk('nomb.elf', '--no-mb')], ['nomb.elf', 'no Multiboot header']),
        ('unsupported Multiboot flags', [mk('flags.elf', '--flags', '0x8')], ['flags.elf', 'requires features']),
        ('segment outside RAM', [mk('high.elf', '--paddr', '0x2000000')], ['high.elf', 'outside guest RAM']),
        ('segment past the end of RAM', [mk('edge.elf', '--paddr', '0xFFF000', '--bss', '0x2000')], ['edge.elf', 'outside guest RAM']),
        ('segment over the information area', [mk('info.elf', '--paddr', '0x9800')], ['info.elf', 'information area']),
        ('segment in the VGA hole', [mk('vga.elf', '--paddr', '0xB8000')], ['vga.elf', 'hole']),
        ('entry outside segments', [mk('entry.elf', '--entry', '0x500000')], ['entry.elf', 'entry point']),
        ('module does not fit', ['--module', big_module, good], ['big.mod', 'does not fit']),
        ('missing module', ['--module', P('nomod.bin'), good], ['nomod.bin', 'cannot open']),
        ('unknown option', ['--frobnicate', good], ['unknown option', '--frobnicate']),
        ('bad --mem', ['--mem', '12Q', good], ['--mem', 'bad value']),
        ('--mem not page multiple', ['--mem', '1000001', good], ['--mem']),
        ('option without value', [good, '--cmdline'], ['--cmdline', 'needs a value']),
        ('two kernels', [good, good], ['only one KERNEL']),
        ('bad --max-cycles', ['--max-cycles', 'lots', good], ['--max-cycles', 'bad value']),
        ('missing --disk under --disk-snapshot', ['--disk', P('none.img'), '--disk-snapshot', good],
         ['none.img', 'cannot open disk image']),
        ('--disk-size under --disk-snapshot', ['--disk', P('none.img'), '--disk-size', '1M', '--disk-snapshot', good],
         ['none.img', '--disk-snapshot']),
        ('--disk-snapshot with a value', ['--disk-snapshot=yes', good], ['--disk-snapshot', 'takes no value']),
    ]
    import socket
    busy = socket.socket()
    busy.bind(('127.0.0.1', 0))
    busy.listen(1)
    cases.append(('gdb port in use', ['--gdb', str(busy.getsockname()[1]), good], ['--gdb', 'cannot listen']))
    cases.append(('--gdb-wait without --gdb', ['--gdb-wait', good], ['--gdb-wait']))
    cases.append(('bad --inspect-at', ['--inspect-at', 'soon', good], ['--inspect-at']))
    cases.append(('bad --inspect view', ['--inspect-at', '5', '--inspect', 'regs,ram', good], ['--inspect', 'ram']))
    cases.append(('bad --tlb', ['--tlb', 'dtlb=63:4', good], ['dtlb']))
    cases.append(('bad --cycles', ['--cycles', 'memlat=x', good], ['memlat']))
    failed = 0
    for name, argv, words in cases:
        p = subprocess.run([vmscope, 'run', '--quiet'] + argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60 * TIMEOUT_SCALE)
        err = p.stderr.decode('latin-1')
        lines = [l for l in err.split('\n') if l]
        problems = []
        if p.returncode != 2:
            problems.append('exit status %d, want 2' % p.returncode)
        if len(lines) != 1:
            problems.append('%d stderr lines, want 1' % len(lines))
        for w in words:
            if w not in err:
                problems.append('stderr lacks %r' % w)
        if 'Sanitizer' in err or 'runtime error' in err:
            problems.append('sanitizer report')
        if p.stdout:
            problems.append('wrote to stdout')
        status = 'ok  ' if not problems else 'FAIL'
        print('%s %-36s %s' % (status, name, err.strip()[:150]))
        for pr in problems:
            print('       ' + pr)
        failed += bool(problems)
    print('%d cases, %d failed' % (len(cases), failed))
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main())
