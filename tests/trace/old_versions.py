#!/usr/bin/env python3
"""Files of older versions still read exactly as before.

tests/trace/v1.1/ holds traces written by the 1.1 writer (trace-gen of the
commit before format 2.0), tests/trace/v2.0/ the same runs written by the
2.0 writer (trace-gen of the commit before format 3.0): `synth.vmt` is
`--xlate 100000 --seed 7 --chunk-bytes 4096`, `synth-detail.vmt` the same
with `--xlate 30000 --filter all,offsets,xtime`. The same synthetic run
written now, in the current format, must dump record for record the same as
each old file: every field of every record (outcomes and cycles, walks,
faults, annotations) decodes from every encoding to the same text.

usage: old_versions.py VMTRACE TRACE_GEN WORKDIR"""
import os
import struct
import subprocess
import sys
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checklib import check, finish

vt, gen, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = ('1.1', '2.0')
FILES = [('synth.vmt', ['--xlate', '100000', '--seed', '7', '--chunk-bytes', '4096']),
         ('synth-detail.vmt', ['--xlate', '30000', '--seed', '7', '--chunk-bytes', '4096',
                               '--filter', 'all,offsets,xtime'])]


def run(*args):
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def version(path):
    with open(path, 'rb') as f:
        return '%d.%d' % struct.unpack('<HH', f.read(12)[8:12])


rc, out, _ = run(vt, '--version')
current = out.split('trace format ')[1].split(')')[0] if 'trace format ' in out else '?'
check(rc == 0 and current not in ('?',) + VERSIONS, 'vmtrace reads a newer format than %s (%s)' % (VERSIONS[-1], current), out)
for name, args in FILES:
    new = os.path.join(work, name)
    rc, out, err = run(gen, new, *args)
    check(rc == 0 and version(new) == current, '%s: trace-gen writes format %s' % (name, current), err)
    rc2, d_new, e2 = run(vt, 'dump', new)
    rc2, s_new, _ = run(vt, 'stats', new)
    for v in VERSIONS:
        old = os.path.join(HERE, 'v' + v, name)
        check(version(old) == v, '%s: the stored file is format %s' % (name, v))
        rc, out, err = run(vt, 'verify', old)
        check(rc == 0 and 'ok:' in out, '%s: the %s file verifies' % (name, v), out + err)
        rc1, d_old, e1 = run(vt, 'dump', old)
        check(rc1 == 0 and rc2 == 0 and d_old.count('\n') > 1000, '%s %s: both dump' % (name, v), e1 + e2)
        same = d_old == d_new
        detail = ''
        if not same:
            for i, (a, b) in enumerate(zip(d_old.splitlines(), d_new.splitlines())):
                if a != b:
                    detail = 'line %d:\n %s: %s\n now: %s' % (i + 1, v, a, b)
                    break
        check(same, '%s: the %s file and the %s file dump the same records' % (name, v, current), detail)
        rc1, s_old, _ = run(vt, 'stats', old)
        check(s_old.split('\n', 1)[1] == s_new.split('\n', 1)[1], '%s %s: stats agree' % (name, v))
finish()
