#!/usr/bin/env bash
# bash completion (tools/completion/vmscope.bash) as bash-completion runs it:
# commands, options of each command, paths after options that take one.
# usage: completion_test.sh SCRIPT VMSCOPE VMTRACE VMVIZ
set -u
. /usr/share/bash-completion/bash_completion
. "$1"
PATH="$(dirname "$2"):$(dirname "$3"):$(dirname "$4"):$PATH"
passed=0 failed=0
expect() {      # expect "WANTED" WORD...: complete the last word
    local want=$1; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
    "_$1"
    local got
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
    want=$(printf '%s\n' $want | sort | tr '\n' ' ')
    if [ "$got" = "$want" ]; then
        echo "ok   $* -> $got"; passed=$((passed + 1))
    else
        echo "FAIL $* -> '$got', expected '$want'"; failed=$((failed + 1))
    fi
}
expect "run mkdisk --help --version" vmscope ""
expect "--disk --disk-readonly --disk-size --disk-snapshot" vmscope run --di
expect "--trace --trace-filter --trace-no-period" vmscope run --tr
expect "--force --from" vmscope mkdisk --f
expect "info verify dump stats sim mrc export diff sweep --help --version" vmtrace ""
expect "--format" vmtrace export x.vmt --fo
expect "--grid" vmtrace sim x.vmt --gr
expect "--strict" vmtrace diff --s
expect "--seek-bench --size --snapshot --states-only" vmviz x.vmt --s
expect "--version" vmviz --ver
cd "$(mktemp -d)" && touch run.vmt other.txt && mkdir sub
expect "run.vmt sub" vmtrace info ""
expect "other.txt run.vmt sub" vmscope run --trace ""
rm -rf "$PWD"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
