#!/usr/bin/env python3
"""Watching a run as it happens: `vmscope run --events`, `vmviz --follow`
and `vmscope run --viz`.

    viz_live.py VMSCOPE VMVIZ WORKDIR

  1. --events: the console (stdout) is byte for byte that of a run without
     it; stderr has one line per fault with the process name, the user
     function (from build/guest/NAME.elf) and the kernel's resolution
     (zero-fill, cow-copy with frames); --events=exec prints only exec lines;
     with --trace FILE the same lines, and FILE is a complete trace.
  2. vmviz --follow on a trace being written (a swapping run): once the run
     ends the window shows the end of the trace; its screenshot (states-only
     key) is checked like a snapshot against `vmviz --counts --at end`.
  3. vmscope run --viz: the run's console is unchanged and a vmviz window
     follows it (its process is found and stopped).
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vizcheck as vc  # noqa: E402
from viz_window import start_xvfb  # noqa: E402


def events(vmscope, extra, cmdline="run=cow"):
    r = subprocess.run([vmscope, "run", "--quiet", "--cmdline", cmdline] + extra, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=600)
    if r.returncode != 1:
        vc.fail("vmscope run %s: status %d: %s" % (extra, r.returncode, r.stderr[-1000:]))
    return r.stdout, r.stderr.splitlines()


def main():
    vmscope, vmviz, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)

    plain, _ = events(vmscope, [])
    out, lines = events(vmscope, ["--events"])
    if out != plain:
        vc.fail("--events changed the console output")
    faults = [l for l in lines if l.startswith("fault ")]
    cow = [l for l in faults if re.search(r"pid \d+ +cow +write [0-9a-f]{8}.* in (main|memset)\+0x[0-9a-f]+ → cow-copy "
                                          r"frame 0x[0-9a-f]+ \(from 0x[0-9a-f]+\)", l)]
    zero = [l for l in faults if re.search(r" in [a-z_]+(\+0x[0-9a-f]+)? → zero-fill frame 0x[0-9a-f]+", l)]
    kernel = [l for l in faults if " in __copy_user" in l or " in copy_" in l]
    if not cow or not zero:
        vc.fail("no named cow-copy or zero-fill fault lines:\n" + "\n".join(lines[:40]))
    if not any(l.startswith("exec ") and "name=cow" in l for l in lines):
        vc.fail("no exec line for cow")
    print("%d lines, %d faults; e.g.\n  %s\n  %s\n  %s" % (len(lines), len(faults), cow[0], zero[0],
                                                           kernel[0] if kernel else "(no kernel-mode fault)"))
    _, only = events(vmscope, ["--events=exec"])
    if not only or any(not l.startswith("exec ") for l in only):
        vc.fail("--events=exec printed other lines: %s" % only[:5])
    trace = os.path.join(work, "cow.vmt")
    _, with_trace = events(vmscope, ["--events", "--trace", trace])
    if with_trace != lines:
        vc.fail("--events with --trace printed different lines")
    subprocess.run([vmviz, trace, "--counts"], check=True, stdout=subprocess.DEVNULL)

    xvfb, display = start_xvfb(1300, 850)
    try:
        env = vc.window_env(display)
        # 2. following a trace as it is written
        live = os.path.join(work, "live.vmt")
        ready = os.path.join(work, "live-ready.json")
        shot = os.path.join(work, "live-screen.png")
        for f in (live, ready):
            if os.path.exists(f):
                os.remove(f)
        run = subprocess.Popen([vmscope, "run", "--quiet", "--mem", "6M", "--cmdline", "run=swap-linear",
                                "--trace", live], stdout=subprocess.DEVNULL)
        while not os.path.exists(live) or os.path.getsize(live) < 64:
            time.sleep(0.05)
        view = subprocess.Popen([vmviz, live, "--follow", "--keys", "s", "--ready", ready, "--size", "1200x780",
                                 "--exit-after", "600"], env=env)
        if run.wait(timeout=900) != 1:
            vc.fail("the traced run failed")
        deadline = time.time() + 300
        while not os.path.exists(ready) and view.poll() is None and time.time() < deadline:
            time.sleep(0.2)
        if not os.path.exists(ready):
            view.kill()
            vc.fail("vmviz --follow never reached the end of the trace")
        time.sleep(1.0)
        subprocess.run(["import", "-display", display, "-window", "root", shot], check=True)
        view.terminate()
        if view.wait(timeout=30) != 0:
            vc.fail("vmviz --follow did not end cleanly")
        geom = vc.load(ready)
        out = subprocess.run([vmviz, live, "--counts", "--at", "end"], check=True, stdout=subprocess.PIPE,
                             text=True).stdout
        line = [l for l in out.splitlines() if l.startswith("frames ")][0]
        end = {k: int(v) for k, v in (w.split("=") for w in line.split()[1:])}
        if geom["counts"] != end:
            vc.fail("followed to the end: %s, a replay: %s" % (geom["counts"], end))
        print("followed live:", vc.check_pixels(shot, geom))

        # 3. vmscope run --viz
        before = set(os.listdir("/proc"))
        r = subprocess.run([vmscope, "run", "--quiet", "--cmdline", "run=cow", "--viz"], env=env,
                           stdout=subprocess.PIPE, text=True, timeout=600)
        if r.returncode != 1 or r.stdout != plain:
            vc.fail("--viz changed the run (status %d)" % r.returncode)
        found = []
        for pid in set(os.listdir("/proc")) - before:
            try:
                cmd = open("/proc/%s/cmdline" % pid, "rb").read().split(b"\0")
            except OSError:
                continue
            if len(cmd) > 2 and cmd[0] == b"vmviz" and cmd[1].startswith(b"/dev/fd/") and cmd[2] == b"--follow":
                found.append(int(pid))
        if not found:
            vc.fail("--viz started no vmviz window")
        time.sleep(2)
        for pid in found:
            if not os.path.exists("/proc/%d" % pid):
                vc.fail("the --viz window died")
            os.kill(pid, 15)
        print("--viz: a window followed the run (pid %s)" % found)
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=30)
    print("ok")


if __name__ == "__main__":
    main()
