#!/bin/sh
# Outputs that depend on time or on the emulator, checked for their form.
echo "forms: begin"
check() { if eval "$2"; then echo "$1: ok"; else echo "$1: BAD"; fi; }
check "ls -l" "ls -l /bin/busybox | grep -Eq '^-rwxr-xr-x +1 root +root +[0-9]+ [A-Z][a-z][a-z] +[0-9]+ +[0-9:]+ /bin/busybox$'"
check "free" "free | head -1 | grep -Eq '^ +total +used +free +shared +buff/cache +available$'"
check "free Mem" "free | grep -Eq '^Mem: +[0-9]+ +[0-9]+ +[0-9]+'"
check "free Swap" "free | grep -Eq '^Swap: +[0-9]+ +[0-9]+ +[0-9]+$'"
check "ps" "ps | head -1 | grep -Eq '^ *PID +USER +TIME +COMMAND$'"
check "ps sees itself" "ps | grep -q '[p]s\$'"
check "uptime" "uptime | grep -Eq 'up .*load average: [0-9]+\.[0-9]+, [0-9]+\.[0-9]+, [0-9]+\.[0-9]+$'"
check "date" "date | grep -Eq '^[A-Z][a-z]{2} [A-Z][a-z]{2} +[0-9]+ [0-9:]{8} [A-Z]+ [0-9]{4}$'"
check "df" "df / | tail -1 | grep -Eq '[0-9]+% /$'"
check "dmesg" "dmesg | grep -q ."
check "cat /proc/1/maps" "grep -Eq '^[0-9a-f]{8}-[0-9a-f]{8} r-xp .* /bin/busybox$' /proc/1/maps"
check "uname" "test \"\$(uname -s)\" = Linux"
echo "forms: end"
exit 0
