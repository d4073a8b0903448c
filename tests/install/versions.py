"""One version story: the release and the trace format version agree
everywhere they are said.

usage: versions.py VERSION TRACE_FORMAT_MD VMSCOPE VMTRACE VMVIZ PC_FILE PYPROJECT WORKDIR

VERSION is meson's project version. The format version F is the one in
docs/trace-format.md's title. Then: each program's --version is "NAME
VERSION (trace format F)"; a trace vmscope writes has F in its header bytes
(major at offset 8, minor at 10) and `vmtrace info` says so with VERSION as
the writer; libvmtrace's pkg-config file, the Python package (pyproject and
vmscope.version(), through libvmtrace) say VERSION and F."""
import os
import re
import struct
import subprocess
import sys
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checklib import check, finish

version, doc, vmscope, vmtrace, vmviz, pc, pyproject, work = sys.argv[1:9]


title = open(doc).readline()
m = re.match(r"# The vmscope trace format \(`\.vmt`\), version (\d+)\.(\d+)$", title.strip())
check(m is not None, "docs/trace-format.md's title names the format version: %r" % title.strip())
fmt = "%s.%s" % m.groups() if m else "?"
for prog in (vmscope, vmtrace, vmviz):
    name = os.path.basename(prog)
    out = subprocess.run([prog, "--version"], capture_output=True, text=True).stdout.strip()
    check(out == "%s %s (trace format %s)" % (name, version, fmt), "%s --version: %r" % (name, out))

os.makedirs(work, exist_ok=True)
path = os.path.join(work, "version.vmt")
r = subprocess.run([vmscope, "run", "--quiet", "--cmdline", "run=hello", "--trace", path], capture_output=True)
check(r.returncode == 1, "a run writes a trace (status %d)" % r.returncode)
with open(path, "rb") as f:
    head = f.read(12)
major, minor = struct.unpack("<HH", head[8:12])
check("%d.%d" % (major, minor) == fmt, "the trace's header bytes say format %d.%d" % (major, minor))
info = subprocess.run([vmtrace, "info", path], capture_output=True, text=True).stdout
check("format:        %s, written by vmscope %s\n" % (fmt, version) in info, "vmtrace info: format %s, written by vmscope %s" % (fmt, version))
pcv = re.search(r"^Version: (.*)$", open(pc).read(), re.M)
check(pcv is not None and pcv.group(1) == version, "libvmtrace.pc Version: %s" % (pcv.group(1) if pcv else None))
ppv = re.search(r'^version = "(.*)"$', open(pyproject).read(), re.M)
check(ppv is not None and ppv.group(1) == version, "pyproject.toml version = %s" % (ppv.group(1) if ppv else None))
r = subprocess.run(["/usr/bin/python3", "-c", "import vmscope; print(*vmscope.version(), vmscope.__version__)"],
                   capture_output=True, text=True)
check(r.stdout.split() == [version, fmt, version], "the Python package through libvmtrace: %r" % r.stdout.strip())
finish()
