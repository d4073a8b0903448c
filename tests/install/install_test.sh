#!/usr/bin/env bash
# The install as a new user gets it (issue: installable like a real tool).
#
# usage: install_test.sh SOURCE_ROOT BUILD_ROOT
#
#  1. `meson install` into a staging DESTDIR, then the prefix is moved to
#     another folder: everything must be found relative to where it is.
#  2. The source and build trees are put out of reach (a private mount
#     namespace with an empty tmpfs over the source tree, which holds the
#     build tree), so nothing can fall back on build-tree paths; then:
#     the installed vmscope boots the default guest (run=all) and it passes,
#     writing the default run's trace; man finds the three pages through
#     PATH; bash-completion loads the completions; the versions agree;
#     a C program built with `pkg-config libvmtrace` against the installed
#     header and library passes tests/install/libvmtrace_api.c; vmtrace runs
#     on the installed libvmtrace; the Python package installs with pip into
#     a venv and reads traces; and on the default run's trace the Python
#     reader's arrays equal `vmtrace export --format csv` (chunks at the
#     start, middle and end, whole; every record that is not a translation,
#     whole file) and count() equals the records read.
# Prints "ok"/"FAIL" lines and "install: N passed, N failed"; exits 1 on a
# failure. Needs root (unshare, mount), as scripts/setup and CI have.
set -u
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-install-XXXXXX")
case "$work" in "$src"/*) echo "install: TMPDIR must be outside the source tree"; exit 1 ;; esac
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

# ---- 1. install, move the prefix
prefix=$(meson introspect "$build" --buildoptions |
         /usr/bin/python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
libdir=$(meson introspect "$build" --buildoptions |
         /usr/bin/python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="libdir"][0])')
if ! meson install -C "$build" --no-rebuild --destdir "$work/stage" >"$work/install.log" 2>&1; then
    tail -20 "$work/install.log"
    fail "meson install"
    echo "install: $passed passed, $failed failed"
    exit 1
fi
ok "meson install --destdir (prefix $prefix)"
P=$work/moved/prefix
mkdir -p "$work/moved"
mv "$work/stage$prefix" "$P"
for f in bin/vmscope bin/vmtrace bin/vmviz share/vmscope/kernel.elf share/vmscope/initrd.cpio \
         share/vmscope/disk.img share/vmscope/rootfs/sbin/init share/vmscope/hello.elf \
         share/man/man1/vmscope.1 share/man/man1/vmtrace.1 share/man/man1/vmviz.1 \
         share/bash-completion/completions/vmscope share/bash-completion/completions/vmtrace \
         share/bash-completion/completions/vmviz include/vmscope/libvmtrace.h \
         "$libdir/libvmtrace.so.1" "$libdir/pkgconfig/libvmtrace.pc" \
         share/vmscope/python/pyproject.toml share/vmscope/python/vmscope/_config.py; do
    [ -e "$P/$f" ] || fail "installed: $f is missing"
done
ok "installed files present"
check "the default tree keeps its symlinks and modes" \
    test -L "$P/share/vmscope/rootfs/usr/bin" -a -k "$P/share/vmscope/rootfs/tmp"
# what the hidden part needs from the tree
cp "$here/libvmtrace_api.c" "$src/tests/python/csvcheck.py" "$here/default_trace.py" "$work/"
version=$(sed -n "s/^  version : '\(.*\)',$/\1/p" "$src/meson.build")
format=$(sed -n '1s/.*, version \([0-9.]*\)$/\1/p' "$src/docs/trace-format.md")

# ---- 2. with the source and build trees out of reach
cat >"$work/hidden.sh" <<'EOF'
set -u
P=$1 work=$2 src=$3 build=$4 libdir=$5 version=$6 format=$7
passed=0 failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
export PATH="$P/bin:/usr/bin:/bin:/usr/sbin:/sbin"
cd "$work"

check "the source tree is out of reach" test ! -e "$src/meson.build" -a ! -e "$build/build.ninja"
"$P/bin/vmscope" run --help >help.txt
check "vmscope run --help names the installed kernel" grep -qx "  $P/share/vmscope/kernel.elf" help.txt
for prog in vmscope vmtrace vmviz; do
    v=$("$P/bin/$prog" --version)
    check "$prog --version: '$v'" test "$v" = "$prog $version (trace format $format)"
done

# the default guest, from the install
start=$(date +%s)
"$P/bin/vmscope" run --trace default.vmt --serial console.txt >summary.txt 2>&1
rc=$?
check "vmscope run boots the default guest and it passes (exit status $rc, $(( $(date +%s) - start )) s)" \
    test $rc = 1
tr -d '\r' <console.txt >console.lines
check "the test runner's summary: $(grep '^summary:' console.lines)" grep -qx 'summary: [0-9]* passed, 0 failed' console.lines
check "the trace's format is $format" grep -q "^format:        $format, written by vmscope $version" \
    <("$P/bin/vmtrace" info default.vmt)
linked=$(ldd "$P/bin/vmtrace" | awk '$1 == "libvmtrace.so.1" { print $3 }')
check "the installed vmtrace links the installed libvmtrace ($linked)" \
    test "$(realpath "$linked")" = "$(realpath "$P/$libdir/libvmtrace.so.1")"
"$P/bin/vmscope" run --cmdline run=hello --trace hello.vmt >/dev/null 2>&1
check "run=hello passes" test $? = 1

# man pages through PATH; completion where bash-completion looks
for prog in vmscope vmtrace vmviz; do
    check "man -w $prog: $(man -w "$prog" 2>&1)" test "$(man -w "$prog" 2>&1)" = "$P/share/man/man1/$prog.1"
done
check "man vmscope opens the page" grep -q "vmscope - an x86 full-system emulator" <(MANWIDTH=120 man -P cat vmscope 2>/dev/null)
for prog in vmscope vmtrace vmviz; do
    out=$(XDG_DATA_DIRS="$P/share:/usr/share" bash -c '. /usr/share/bash-completion/bash_completion
        __load_completion "$1" && complete -p "$1"' _ "$prog" 2>&1)
    check "bash-completion loads $prog's completion: $out" test "$out" = "complete -F _$prog $prog"
done
out=$(XDG_DATA_DIRS="$P/share:/usr/share" bash -c '. /usr/share/bash-completion/bash_completion
    __load_completion vmtrace; COMP_WORDS=(vmtrace export x.vmt --fo); COMP_CWORD=3
    COMP_LINE="vmtrace export x.vmt --fo"; COMP_POINT=${#COMP_LINE}; _vmtrace; echo "${COMPREPLY[*]}"' 2>&1)
check "completing 'vmtrace export x.vmt --fo': $out" test "$out" = "--format"

# libvmtrace through pkg-config
export PKG_CONFIG_PATH="$P/$libdir/pkgconfig"
check "pkg-config --modversion libvmtrace = $version" test "$(pkg-config --modversion libvmtrace)" = "$version"
if cc -std=c11 -Wall -Wextra -Werror -o api libvmtrace_api.c $(pkg-config --cflags --libs libvmtrace) \
        -Wl,-rpath,"$(pkg-config --variable=libdir libvmtrace)"; then
    ok "libvmtrace_api.c builds with pkg-config libvmtrace ($(pkg-config --cflags --libs libvmtrace))"
    rows=$(( $("$P/bin/vmtrace" export hello.vmt --format csv | wc -l) - 1 ))
    faults=$(( $("$P/bin/vmtrace" export hello.vmt --format csv --kind fault | wc -l) - 1 ))
    check "the C API on hello.vmt ($rows rows, $faults faults): $(./api hello.vmt "$version" "$format" "$rows" "$faults" | tail -1)" \
        ./api hello.vmt "$version" "$format" "$rows" "$faults"
else
    fail "libvmtrace_api.c does not build with pkg-config libvmtrace"
fi

# the Python package: pip into a venv (Debian's numpy; nothing from an index)
/usr/bin/python3 -m venv --system-site-packages venv
cp -r "$P/share/vmscope/python" pysrc
if PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 venv/bin/pip install -q --no-build-isolation --no-deps ./pysrc \
        >pip.log 2>&1; then
    ok "pip install --no-build-isolation --no-deps into a venv"
else
    cat pip.log
    fail "pip install"
fi
lib="$P/$libdir/libvmtrace.so.1"
n=$(cd / && VMSCOPE_LIBVMTRACE="$lib" "$work/venv/bin/python" -c \
    'import sys, vmscope; print(vmscope.__version__, vmscope.Trace(sys.argv[1]).count())' "$work/hello.vmt" 2>&1)
check "the venv's vmscope with VMSCOPE_LIBVMTRACE: $n" test "$n" = "$version $rows"
n=$(cd / && PYTHONPATH="$P/share/vmscope/python" /usr/bin/python3 -c \
    'import sys, vmscope; print(vmscope.Trace(sys.argv[1]).count())' "$work/hello.vmt" 2>&1)
check "the installed package finds the prefix's libvmtrace: $n" test "$n" = "$rows"

# the default run's trace: arrays against the CSV export
VMSCOPE_LIBVMTRACE="$lib" venv/bin/python default_trace.py "$P/bin/vmtrace" default.vmt
rc=$?
check "the Python reader on the default run's trace" test $rc = 0
echo "hidden: $passed passed, $failed failed"
[ "$failed" = 0 ]
EOF
unshare --mount --propagation private bash -c \
    'mount -t tmpfs tmpfs "$1" && shift && exec bash "$@"' _ "$src" \
    "$work/hidden.sh" "$P" "$work" "$src" "$build" "$libdir" "$version" "$format" | tee "$work/hidden.log"
h_pass=$(grep -c '^ok ' "$work/hidden.log")
h_fail=$(grep -c '^FAIL ' "$work/hidden.log")
passed=$((passed + h_pass))
failed=$((failed + h_fail))
grep -q '^hidden: ' "$work/hidden.log" || { echo "FAIL the hidden part did not finish"; failed=$((failed + 1)); }
echo "install: $passed passed, $failed failed"
[ "$failed" = 0 ]
