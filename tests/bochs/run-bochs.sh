#!/bin/sh
# run-bochs.sh KERNEL [ARGS...]: boot a Multiboot KERNEL with command line
# ARGS in Bochs 2.7 (cpu p2_klamath) through a GRUB rescue ISO, and print the
# guest's COM1 output (GRUB's own lines are dropped: everything before the
# kernel's first line). The exit status is Bochs's, or 124 on timeout.
# Environment: BOCHS_TIMEOUT (seconds, default 300), BX_MEGS (default 16),
# BOCHSRC (default tests/bochs/bochsrc beside this script).
# See ../shared/bochs/README.md for the recipe.
set -u
if [ $# -lt 1 ]; then
    echo "usage: run-bochs.sh KERNEL [ARGS...]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
kernel=$1
shift
for tool in bochs grub-mkrescue xorriso; do
    command -v "$tool" >/dev/null 2>&1 || { echo "run-bochs.sh: $tool is not installed" >&2; exit 2; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-bochs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/iso/boot/grub"
cp "$kernel" "$tmp/iso/boot/kernel.elf"
# The first line the kernel prints follows GRUB's; mark where GRUB stops.
cat > "$tmp/iso/boot/grub/grub.cfg" <<CFG
set timeout=0
serial --unit=0 --speed=115200
terminal_output serial
menuentry k {
 echo "run-bochs: kernel starts"
 multiboot /boot/kernel.elf $*
 boot
}
CFG
grub-mkrescue -o "$tmp/kernel.iso" "$tmp/iso" >"$tmp/mkrescue.log" 2>&1 || {
    cat "$tmp/mkrescue.log" >&2; exit 2; }
: > "$tmp/serial.out"
BX_ISO="$tmp/kernel.iso" BX_SERIAL="$tmp/serial.out" BX_MEGS="${BX_MEGS:-16}" \
    timeout "${BOCHS_TIMEOUT:-300}" sh -c "printf 'c\n' | bochs -q -f '${BOCHSRC:-$here/bochsrc}'" \
    >"$tmp/bochs.log" 2>&1
rc=$?
# Drop GRUB's output up to our marker line, and the carriage returns.
awk 'found { print; next } /run-bochs: kernel starts/ { found = 1 }' "$tmp/serial.out" | tr -d '\r' |
    sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'
if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    echo "run-bochs.sh: bochs exited with status $rc" >&2
    tail -5 "$tmp/bochs.log" >&2
fi
exit $rc
