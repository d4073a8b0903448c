"""Checks shared by vmviz's snapshot and window tests.

A picture is checked against the JSON vmviz writes beside it: inside the
frame map's rectangle, the pixels of each state's colour divided by the
cell's area must equal that state's count, and every other pixel there
must be the map's background (cells past the last frame). Pixels are read
with ImageMagick's convert (raw RGB), so no Python imaging module is needed.
"""
import json
import re
import shutil
import subprocess
import sys
import zlib

STATES = ["kernel", "pgtable", "slab", "vmalloc", "anon", "pcache", "swapcache", "buffer", "free", "unknown"]
USES = STATES[:8]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def png_size(path):
    """Width and height from a PNG's IHDR."""
    with open(path, "rb") as f:
        head = f.read(33)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        fail("%s is not a PNG" % path)
    if zlib.crc32(head[12:29]) != int.from_bytes(head[29:33], "big"):
        fail("%s: IHDR CRC is wrong" % path)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def pixels(path, rect):
    """The RGB triples of RECT (dict x, y, w, h) of the image at PATH."""
    convert = shutil.which("convert")
    if not convert:
        fail("ImageMagick's convert is missing (scripts/setup installs imagemagick)")
    geom = "%dx%d+%d+%d" % (rect["w"], rect["h"], rect["x"], rect["y"])
    raw = subprocess.run([convert, path, "-crop", geom, "+repage", "-depth", "8", "rgb:-"],
                         check=True, stdout=subprocess.PIPE).stdout
    if len(raw) != rect["w"] * rect["h"] * 3:
        fail("%s: %d bytes of pixels for %s" % (path, len(raw), geom))
    return raw


def count_colors(raw):
    counts = {}
    for i in range(0, len(raw), 3):
        key = raw[i:i + 3]
        counts[key] = counts.get(key, 0) + 1
    return counts


def check_pixels(image, geom):
    """Pixels of each state colour / cell area == the JSON's count; the rest
    of the rectangle is background. Returns the per-state pixel counts."""
    rect, cell = geom["frame_map"], geom["cell"]
    raw = pixels(image, rect)
    by_color = count_colors(raw)
    area = cell * cell
    seen = {}
    for s in STATES:
        key = bytes(geom["colors"][s])
        n = by_color.pop(key, 0)
        if n % area:
            fail("%s: %d pixels of %s are not a whole number of %dx%d cells" % (image, n, s, cell, cell))
        seen[s] = n // area
        if seen[s] != geom["counts"][s]:
            fail("%s: %d cells of %s in the frame map, the model counts %d" % (image, seen[s], s, geom["counts"][s]))
    bg = by_color.pop(bytes(geom["background"]), 0)
    if by_color:
        other = sorted(by_color.items(), key=lambda kv: -kv[1])[:5]
        fail("%s: pixels of other colours inside the frame map: %s" %
             (image, ", ".join("%s x%d" % (tuple(k), v) for k, v in other)))
    cells = rect["w"] * rect["h"] // area
    if sum(seen.values()) + bg // area != cells:
        fail("%s: %d state cells + %d background cells != %d cells" % (image, sum(seen.values()), bg // area, cells))
    return seen


def model_line(console):
    """The last `model: frames` line of a console output, as a dict."""
    lines = [l for l in console.splitlines() if l.startswith("model: frames ")]
    if not lines:
        fail("the console has no 'model: frames' line")
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", lines[-1])}


def check_against_kernel(counts, kernel, frames):
    """The model's counts at the mark equal the kernel's per use and free;
    the frames the kernel does not count are unknown."""
    for s in USES + ["free"]:
        if counts[s] != kernel[s]:
            fail("%s: the model has %d frames, the kernel's model: line %d" % (s, counts[s], kernel[s]))
    if counts["unknown"] != frames - sum(kernel[s] for s in USES + ["free"]):
        fail("unknown %d != frames %d - the kernel's %d" % (counts["unknown"], frames, sum(kernel.values())))


def window_env(display):
    """The environment for a vmviz window on DISPLAY: LeakSanitizer (the
    ASan build) told about the system libraries' lifetime allocations."""
    import os
    env = dict(os.environ, DISPLAY=display)
    env.pop("SDL_VIDEODRIVER", None)
    supp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsan.supp")
    env["LSAN_OPTIONS"] = ":".join(filter(None, [os.environ.get("LSAN_OPTIONS", ""), "suppressions=" + supp]))
    return env


def load(path):
    with open(path) as f:
        return json.load(f)
