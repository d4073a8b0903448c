#!/bin/sh
# fpu-exc-bochs.sh VMSCOPE FPU_EXC_ELF: run the unmasked-exception guest
# (tests/guests/fpu-exc: #MF with CR0.NE=1, FERR#/IRQ 13 with CR0.NE=0: the
# word irq13=1)
# under Bochs (run-bochs.sh, cpu p2_klamath) and under vmscope and require
# every line equal, `model:` lines included. Exit 0 when all agree, 1
# otherwise, and 1 too when Bochs or GRUB is missing (a failure, not a skip:
# scripts/setup installs them).
# Environment: BOCHS_TIMEOUT, VMSCOPE_TIMEOUT (seconds, default 300).
set -u
[ $# -ge 2 ] || { echo "usage: fpu-exc-bochs.sh VMSCOPE FPU_EXC_ELF" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
for tool in bochs grub-mkrescue xorriso; do
    command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: $tool is not installed (scripts/setup installs it)"; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fpu-exc-bochs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
"$here/run-bochs.sh" "$2" irq13=1 > "$tmp/bochs.out"
timeout "${VMSCOPE_TIMEOUT:-300}" "$1" run --quiet --cmdline irq13=1 "$2" | tr -d '\r' | grep -v '^$' > "$tmp/v"
grep -q 'fpu-exc: [0-9]* failed' "$tmp/bochs.out" || { echo "FAIL: the Bochs run did not finish"; tail -5 "$tmp/bochs.out"; exit 1; }
sed -n '/^fpu-exc: start/,$p' "$tmp/bochs.out" | tr -d '\r' | grep -v '^$' > "$tmp/b"
if diff -u "$tmp/b" "$tmp/v"; then
    echo "fpu-exc under Bochs and vmscope: $(wc -l < "$tmp/v") lines equal"
    exit 0
fi
echo "FAIL: fpu-exc differs between Bochs and vmscope"
exit 1
