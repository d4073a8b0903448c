#!/usr/bin/env python3
"""vmviz snapshots of a real run, checked against the kernel.

    viz_snapshot.py VMSCOPE VMVIZ WORKDIR default|swap

Runs the guest kernel with --trace (default: run=all at 16 MiB; swap: a
swapping run at 6 MiB), then:
  1. `vmviz --snapshot --at mark`: a PNG of the asked size; OUT.json's
     frames per state equal the console's last `model: frames` line (the
     kernel's count at that quiet point); inside the frame map's rectangle
     the pixels of each state colour / cell area equal those counts.
  2. the same at the end of the trace, in the Hilbert layout, at another
     size: pixels equal the JSON's counts.
  3. `--counts --at mark` prints the same numbers as the JSON, and after
     the first pass 20 seeks to random cycles take under a second each
     (CPU time).
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vizcheck as vc  # noqa: E402

RUNS = {
    "default": [],
    "swap": ["--mem", "6M", "--cmdline", "run=swap-linear,swap-shared"],
}


def main():
    vmscope, vmviz, work, which = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    trace = os.path.join(work, which + ".vmt")
    run = subprocess.run([vmscope, "run", "--quiet", "--trace", trace] + RUNS[which],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if run.returncode != 1:
        vc.fail("vmscope run ended with status %d: %s" % (run.returncode, run.stderr[-2000:]))
    kernel = vc.model_line(run.stdout)
    print("kernel:", kernel)

    png = os.path.join(work, which + "-mark.png")
    subprocess.run([vmviz, trace, "--snapshot", png, "--at", "mark", "--size", "1280x800"], check=True)
    if vc.png_size(png) != (1280, 800):
        vc.fail("%s is %dx%d, not 1280x800" % ((png,) + vc.png_size(png)))
    geom = vc.load(png[:-4] + ".json")
    print("snapshot at the mark:", geom["counts"], "cell", geom["cell"], "rect", geom["frame_map"])
    vc.check_against_kernel(geom["counts"], kernel, geom["frames"])
    seen = vc.check_pixels(png, geom)
    print("pixels / cell area:", seen)

    png2 = os.path.join(work, which + "-end-hilbert.png")
    subprocess.run([vmviz, trace, "--snapshot", png2, "--at", "end", "--size", "1000x700", "--layout", "hilbert"],
                   check=True)
    if vc.png_size(png2) != (1000, 700):
        vc.fail("%s is not 1000x700" % png2)
    geom2 = vc.load(png2[:-4] + ".json")
    if geom2["layout"] != "hilbert":
        vc.fail("layout %s, not hilbert" % geom2["layout"])
    print("snapshot at the end (hilbert):", vc.check_pixels(png2, geom2))

    out = subprocess.run([vmviz, trace, "--counts", "--at", "mark", "--seek-bench", "20"], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    line = [l for l in out.splitlines() if l.startswith("frames ")][0]
    counts = {k: int(v) for k, v in (w.split("=") for w in line.split()[1:])}
    if counts != geom["counts"]:
        vc.fail("--counts %s != the snapshot's %s" % (counts, geom["counts"]))
    # seeks after the first pass: under a second each. Judged on the seeking
    # thread's CPU time (wall time on this shared machine depends on its load;
    # both are printed).
    for l in out.splitlines():
        if l.startswith(("pass:", "seeks:")):
            print(l)
    m = re.search(r"CPU time max ([0-9.]+) s", out)
    if not m or float(m.group(1)) >= 1.0:
        vc.fail("a seek took %s s of CPU time (limit 1 s)" % (m.group(1) if m else "?"))
    print("ok")


if __name__ == "__main__":
    main()
