#!/usr/bin/env python3
"""The real vmviz window under Xvfb.

    viz_window.py VMSCOPE VMVIZ WORKDIR

Makes a trace of a short guest run (run=cow) and of a swapping one, starts
Xvfb (Debian's xvfb; scripts/setup installs it: no display is a failure,
not a skip), opens the window at the last mark with the states-only key
(`s`) pressed, and takes a screenshot of the screen with ImageMagick's
`import` once vmviz says (--ready) the position is drawn. Inside the frame
map's rectangle the pixels of each state colour / cell area equal the
model's counts, which equal the kernel's `model: frames` line. Then the
window opens at tiny and huge sizes, and with every key pressed, without
crashing.
"""
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vizcheck as vc  # noqa: E402


def start_xvfb(width, height):
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        vc.fail("Xvfb is missing (scripts/setup installs xvfb)")
    r, w = os.pipe()
    proc = subprocess.Popen([xvfb, "-displayfd", str(w), "-screen", "0", "%dx%dx24" % (width, height),
                             "-nolisten", "tcp"], pass_fds=(w,), stderr=subprocess.DEVNULL)
    os.close(w)
    num = b""
    deadline = time.time() + 30
    while not num.endswith(b"\n") and time.time() < deadline:
        chunk = os.read(r, 16)
        if not chunk:
            break
        num += chunk
    os.close(r)
    if not num.strip():
        proc.kill()
        vc.fail("Xvfb did not start")
    return proc, ":" + num.decode().strip()


def trace_of(vmscope, work, name, args):
    trace = os.path.join(work, name + ".vmt")
    run = subprocess.run([vmscope, "run", "--quiet", "--trace", trace] + args, stdout=subprocess.PIPE, text=True)
    if run.returncode != 1:
        vc.fail("vmscope run %s: status %d" % (args, run.returncode))
    return trace, vc.model_line(run.stdout)


def window_shot(vmviz, env, work, trace, kernel, name):
    ready = os.path.join(work, name + "-ready.json")
    shot = os.path.join(work, name + "-screen.png")
    for f in (ready, shot):
        if os.path.exists(f):
            os.remove(f)
    proc = subprocess.Popen([vmviz, trace, "--at", "mark", "--keys", "s", "--ready", ready, "--size", "1200x780",
                             "--exit-after", "300"], env=env)
    deadline = time.time() + 300
    while not os.path.exists(ready) and proc.poll() is None and time.time() < deadline:
        time.sleep(0.2)
    if not os.path.exists(ready):
        proc.kill()
        vc.fail("the window never reported its position drawn (exit %s)" % proc.poll())
    time.sleep(1.0)                 # a few more frames of the same, still picture
    subprocess.run(["import", "-display", env["DISPLAY"], "-window", "root", shot], check=True)
    proc.terminate()
    rc = proc.wait(timeout=30)
    if rc != 0:
        vc.fail("vmviz exited with %d after SIGTERM" % rc)
    geom = vc.load(ready)
    vc.check_against_kernel(geom["counts"], kernel, geom["frames"])
    print(name, "window, states only:", vc.check_pixels(shot, geom), "cell", geom["cell"])


def main():
    vmscope, vmviz, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    small, small_kernel = trace_of(vmscope, work, "cow", ["--cmdline", "run=cow"])
    swap, swap_kernel = trace_of(vmscope, work, "swap", ["--mem", "6M", "--cmdline", "run=swap-linear"])
    xvfb, display = start_xvfb(1400, 900)
    try:
        env = vc.window_env(display)
        window_shot(vmviz, env, work, small, small_kernel, "cow")
        window_shot(vmviz, env, work, swap, swap_kernel, "swap")
        # hovering a frame (full colours): the box with its state, owner and events
        # is drawn beside the pointer, framed in the highlight colour
        geom = vc.load(os.path.join(work, "swap-ready.json"))
        mx = geom["frame_map"]["x"] + geom["frame_map"]["w"] // 3
        my = geom["frame_map"]["y"] + geom["frame_map"]["h"] // 3
        ready = os.path.join(work, "hover-ready.json")
        shot = os.path.join(work, "hover-screen.png")
        if os.path.exists(ready):
            os.remove(ready)
        proc = subprocess.Popen([vmviz, swap, "--at", "mark", "--mouse", "%d,%d" % (mx, my), "--ready", ready,
                                 "--size", "1200x780", "--exit-after", "300"], env=env)
        while not os.path.exists(ready) and proc.poll() is None:
            time.sleep(0.2)
        time.sleep(1.0)
        subprocess.run(["import", "-display", env["DISPLAY"], "-window", "root", shot], check=True)
        proc.terminate()
        proc.wait(timeout=30)
        box = vc.count_colors(vc.pixels(shot, {"x": mx, "y": my, "w": 500, "h": 200}))
        if box.get(bytes([255, 220, 96]), 0) < 200:
            vc.fail("no hover box beside the pointer at %d,%d" % (mx, my))
        print("hover box drawn at", mx, my)
        # tiny and huge windows, and every key, never crash
        keys = "sslh h?/?zzxx0k kjn..[]  +-+-\t\tq"
        for size in ("1x1", "40x30", "5000x4000", "1200x780"):
            # the pointer over the frame map: the hover box (state, owner, mappings, last events)
            r = subprocess.run([vmviz, swap, "--size", size, "--keys", keys[:-1], "--mouse", "200,200",
                                "--exit-after", "3"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
            if r.returncode != 0:
                vc.fail("window at %s: exit %d: %s" % (size, r.returncode, r.stderr[-1000:]))
            print("window at", size, "ok")
        # resized while it runs, through SDL's resize path, to tiny and huge sizes
        r = subprocess.run([vmviz, swap, "--mouse", "50,50", "--resize", "1x1,4000x3000,17x9,1x700,900x1,1200x780",
                            "--exit-after", "5"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=120)
        if r.returncode != 0:
            vc.fail("resizing: exit %d: %s" % (r.returncode, r.stderr[-1000:]))
        print("resized to tiny and huge sizes: ok")
        r = subprocess.run([vmviz, small, "--keys", "q", "--exit-after", "60"], env=env, timeout=120)
        if r.returncode != 0:
            vc.fail("q did not end the window cleanly")
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=30)
    print("ok")


if __name__ == "__main__":
    main()
