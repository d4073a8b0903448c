#!/bin/sh
# Pipelines: seq | sort -r | md5sum, and friends.
echo "pipeline: begin"
seq 100000 | sort -r | md5sum
seq 100000 | sort -r | head -3
seq 100000 | wc -l
seq 1 7 100 | tr '\n' ' '; echo
echo "a b c" | awk '{ print $3 $2 $1 }'
seq 20 | grep 1 | sed 's/1/one/g' | xargs echo
echo "pipeline: end"
exit 0
