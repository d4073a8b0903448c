#!/bin/sh
# find, cp and cmp.
echo "files: begin"
find /sbin -name 'sw*' | sort
find /scripts -type f | sort
mkdir -p /t/sub
cp /bin/busybox /t/copy
cmp /bin/busybox /t/copy && echo "cp: same bytes"
cp -r /scripts /t/sub/
find /t -type f | sort
echo x >> /t/copy
cmp -s /bin/busybox /t/copy; echo "cmp after a change: status $?"
cmp /bin/busybox /t/copy 2>&1 | sed 's/,.*//'
ln -s /t/sub /t/link
find /t -name '*.sh' | wc -l
find -L /t -name '*.sh' | wc -l
rm -r /t
ls /t 2>/dev/null; echo "after rm -r: status $?"
echo "files: end"
exit 0
