#!/bin/sh
# cpu-diff-bochs.sh VMSCOPE CPU_DIFF_ELF [N]: run the cpu-diff guest with
# allflags=1 (every flag and undefined result hashed) and N cases per form
# (default 24) under Bochs (tests/bochs/run-bochs.sh) and under vmscope, and
# compare them form by form. Prints one line per form (agree / DIFFER /
# explained) and a summary. `model: cpu` lines (what the modelled CPU lacks
# and Bochs's Pentium II has) are not compared; everything else is.
# Forms listed in cpu-diff-bochs.explained (name, then the reason) may
# differ; any other difference fails (exit 1). docs/conformance.md has the
# table. Exit status 1 (a failure, not a skip) when Bochs or GRUB is missing.
# Environment: CPU_DIFF_SEED (default 1), BOCHS_TIMEOUT, VMSCOPE_TIMEOUT.
set -u
if [ $# -lt 2 ]; then
    echo "usage: cpu-diff-bochs.sh VMSCOPE CPU_DIFF_ELF [N]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
for tool in bochs grub-mkrescue xorriso python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL: $tool is not installed (scripts/setup installs the Bochs packages)"
        exit 1                  # a failure, not a skip: scripts/test installs them
    fi
done
vmscope=$1
kernel=$2
n=${3:-24}
args="allflags=1 n=$n seed=${CPU_DIFF_SEED:-1}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cpu-diff-bochs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$here/run-bochs.sh" "$kernel" $args > "$tmp/bochs.out"
brc=$?
timeout "${VMSCOPE_TIMEOUT:-300}" "$vmscope" run --quiet --cmdline "$args" "$kernel" > "$tmp/vmscope.out" 2> "$tmp/vmscope.err"
vrc=$?
python3 - "$tmp/bochs.out" "$tmp/vmscope.out" "$here/cpu-diff-bochs.explained" "$brc" "$vrc" <<'PY'
import sys
bochs_out, vm_out, explained_file, brc, vrc = sys.argv[1:6]

def forms(path):
    """form name -> line, in order; `model: cpu` lines left out."""
    d, order = {}, []
    with open(path, encoding='latin-1') as f:
        for line in f:
            line = line.rstrip('\r\n')
            if not line or line.startswith('model: cpu '):
                continue
            words = line.split()
            if line.startswith('model: sdm '):
                key = words[2]
            elif line.startswith('cpu-diff:') or line.startswith('model:'):
                key = line
            else:
                key = words[0]
            if key not in d:
                order.append(key)
            d[key] = line
    return d, order

explained = {}
try:
    with open(explained_file) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                name, _, why = line.partition(' ')
                explained[name] = why.strip()
except FileNotFoundError:
    pass

b, border = forms(bochs_out)
v, _ = forms(vm_out)
if not any(k.startswith('cpu-diff:') and 'forms done' in k for k in b):
    print('FAIL: the Bochs run did not finish (status %s); its last lines:' % brc)
    print('\n'.join(list(b.values())[-5:]))
    sys.exit(1)
agree = differ = expl = missing = 0
for key in border:
    if key.startswith('cpu-diff:') or key.startswith('model:'):
        continue
    bl, vl = b[key], v.get(key)
    if vl is None:
        missing += 1
        print('MISSING  %s (vmscope printed no line)' % key)
    elif bl == vl:
        agree += 1
        print('agree    %s' % key)
    elif key in explained:
        expl += 1
        print('explained %s: %s' % (key, explained[key]))
    else:
        differ += 1
        print('DIFFER   %s\n   bochs:   %s\n   vmscope: %s' % (key, bl, vl))
print('cpu-diff under Bochs and vmscope (allflags=1): %d forms agree, %d differ, %d explained, %d missing'
      % (agree, differ, expl, missing))
if vrc not in ('1',):
    print('vmscope exit status %s (expected 1)' % vrc)
    sys.exit(1)
sys.exit(1 if differ or missing else 0)
PY
rc=$?
if [ $rc -ne 0 ] && [ -s "$tmp/vmscope.err" ]; then
    echo "vmscope stderr:"; tail -20 "$tmp/vmscope.err"
fi
exit $rc
