#!/bin/sh
# sort of a file larger than RAM (booted with 8 MiB): busybox sort holds
# its whole input in memory, so the guest swaps.
echo "sortbig: begin"
seq 1200000 > /big
wc -c < /big
sort -r /big | md5sum
sort -r /big | head -2
rm /big
echo "sortbig: end"
exit 0
