#!/bin/sh
# gzip and gunzip round trips.
echo "gzip: begin"
seq 30000 > /a
md5sum /a
gzip -c /a > /a.gz
gzip -t /a.gz && echo "gzip -t: ok"
gunzip -c /a.gz | cmp - /a && echo "gunzip -c: same"
rm /a.gz
gzip -9 /a
ls /a*
gunzip /a.gz
md5sum /a
cat /bin/busybox | gzip -1 | gunzip | cmp - /bin/busybox && echo "busybox through gzip -1: same"
zcat /dev/null 2>/dev/null; echo "zcat of nothing: status $?"
rm -f /a /a.gz
echo "gzip: end"
exit 0
