#!/bin/sh
# fpu-diff-bochs.sh VMSCOPE FPU_DIFF_ELF [N]: run the x87 differential guest
# (tests/guests/fpu-diff) under Bochs (run-bochs.sh, cpu p2_klamath) and
# under vmscope, and compare every line, `model:` lines (precision control,
# DE, C1, the images' pointer fields, the transcendentals' bits) included.
# Exit 0 when all agree, 1 otherwise, 77 (meson: skipped) without Bochs.
# Environment: BOCHS_TIMEOUT, VMSCOPE_TIMEOUT (seconds, default 300).
set -u
[ $# -ge 2 ] || { echo "usage: fpu-diff-bochs.sh VMSCOPE FPU_DIFF_ELF [N]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
for tool in bochs grub-mkrescue xorriso; do
    command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool is not installed"; exit 77; }
done
args="n=${3:-48}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fpu-diff-bochs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
"$here/run-bochs.sh" "$2" $args > "$tmp/bochs.out"
timeout "${VMSCOPE_TIMEOUT:-300}" "$1" run --quiet --cmdline "$args" "$2" | tr -d '\r' > "$tmp/vmscope.out"
grep -q 'forms done' "$tmp/bochs.out" || { echo "FAIL: the Bochs run did not finish"; tail -5 "$tmp/bochs.out"; exit 1; }
sed -n '/^fpu-diff: n=/,$p' "$tmp/bochs.out" | grep -v '^$' > "$tmp/b"
grep -v '^$' "$tmp/vmscope.out" > "$tmp/v"
total=$(wc -l < "$tmp/b")
if diff "$tmp/b" "$tmp/v" > "$tmp/diff"; then
    echo "fpu-diff under Bochs and vmscope: all $total lines equal"
    exit 0
fi
grep -c '^<' "$tmp/diff" | sed 's/^/lines that differ: /'
head -40 "$tmp/diff"
exit 1
