"""Every option that a program's --help lists appears in its man page, and
so does every subcommand, so the two cannot drift apart.

usage: man_help.py VMSCOPE VMTRACE VMVIZ MANDIR

The help texts: `vmscope --help`, `vmscope run --help`, `vmscope mkdisk
--help`; `vmtrace --help` and `vmtrace CMD --help` for each command it
lists; `vmviz --help`. An option is a word that starts with - or -- at the
start of a word (--disk-size, -o, --itrace=...). The page is the built roff
rendered by man (no hyphenation or justification, a wide line, so every
option is one word on one line)."""
import os
import re
import subprocess
import sys

vmscope, vmtrace, vmviz, mandir = sys.argv[1:5]
OPT = re.compile(r"(?<![\w-])(--?[a-zA-Z][a-zA-Z0-9-]*)")


def run(*argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    return r.stdout + r.stderr


def page(name):
    env = dict(os.environ, MANWIDTH="400", LC_ALL="C.UTF-8")
    r = subprocess.run(["man", "--nh", "--nj", "-P", "cat", "-l", os.path.join(mandir, name + ".1")],
                       capture_output=True, text=True, env=env, check=True)
    return r.stdout.replace("\u2010", "-").replace("\u2212", "-")


def words_of(text):
    return set(re.findall(r"[\w.=-]+", text)) | set(OPT.findall(text))


def commands(help_text, prog):
    return [m.group(1) for m in re.finditer(r"^  ([a-z][a-z0-9-]*)(?: |$)", help_text, re.M)
            if m.group(1) != prog]


failed = checked = 0
programs = {
    "vmscope": [run(vmscope, "--help"), run(vmscope, "run", "--help"), run(vmscope, "mkdisk", "--help")],
    "vmtrace": [run(vmtrace, "--help")],
    "vmviz": [run(vmviz, "--help")],
}
subcommands = {"vmscope": commands(programs["vmscope"][0], "vmscope"),
               "vmtrace": commands(programs["vmtrace"][0], "vmtrace"), "vmviz": []}
programs["vmtrace"] += [run(vmtrace, c, "--help") for c in subcommands["vmtrace"]]
assert subcommands["vmscope"] == ["run", "mkdisk"], subcommands["vmscope"]
assert len(subcommands["vmtrace"]) >= 9, subcommands["vmtrace"]

for prog, helps in programs.items():
    before = failed
    text = page(prog)
    have = words_of(text)
    opts = set()
    for h in helps:
        opts |= set(OPT.findall(h))
    opts.add("--version")
    for o in sorted(opts):
        checked += 1
        if o not in have:
            print("FAIL %s: %s is in --help but not in %s(1)" % (prog, o, prog))
            failed += 1
    for c in subcommands[prog]:
        checked += 1
        if not re.search(r"^ {7}%s( |$)" % re.escape(c), text, re.M):
            print("FAIL %s: command %s is not described in %s(1)" % (prog, c, prog))
            failed += 1
    if failed == before:
        print("ok   %s: %d options and %d commands of --help, all in %s(1)"
              % (prog, len(opts), len(subcommands[prog]), prog))
print("%d passed, %d failed" % (checked - failed, failed))
sys.exit(1 if failed else 0)
