#!/bin/sh
# kill of a background job, and sh job control (init's controlling
# terminal is /dev/ttyS0).
echo "jobs: begin"
sleep 100 &
pid=$!
kill $pid
# Whether sh prints "Terminated" depends on whether the child died before
# or during the wait (under QEMU, on host timing): the status says it all.
wait $pid 2>/dev/null
echo "killed background job: status $?"
sleep 100 &
kill -9 $!
wait $! 2>/dev/null
echo "kill -9: status $?"
set -m
sleep 100 &
jobs
kill %1
wait
echo "job killed: status $?"
jobs
( exit 7 ) &
wait $!
echo "background subshell: status $?"
trap 'echo "trapped USR1"' USR1
kill -USR1 $$
echo "jobs: end"
exit 0
