"""The Python reader on the default run's trace, against vmtrace export.

usage: default_trace.py VMTRACE TRACE

The default run's trace holds about 3 billion records (a CSV export of it
would be hundreds of GB), so the comparison is record for record on what a
test can afford: three whole chunks (the first with records, the middle
one, the last) against `export --event FIRST --limit N`, and every record
that is not a translation, over the whole file, against `export --kind
walk,fault,flush,cr3,disk,annot,sync`; count() of those kinds equals the
rows. Run by tests/install/install_test.sh with Debian's python3 (or a
venv made from it)."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import csvcheck  # noqa: E402
import vmscope  # noqa: E402

vmtrace, path = sys.argv[1], sys.argv[2]
failed = 0
with vmscope.Trace(path) as t:
    full = [i for i, c in enumerate(t.chunks) if c["events"]]
    for i in (full[0], full[len(full) // 2], full[-1]):
        t0 = time.time()
        a = t.array(i)
        c = t.chunks[i]
        try:
            n = csvcheck.compare(t, [a], csvcheck.export_rows(vmtrace, path, "--event", str(c["first_event"]),
                                                              "--limit", str(len(a))), limit=len(a))
            assert n == len(a) > 0
            print("ok   chunk %d of %d: %d records equal their CSV rows (%.1f s)" % (i, len(t.chunks), n,
                                                                                  time.time() - t0))
        except AssertionError as e:
            print("FAIL chunk %d: %s" % (i, e))
            failed += 1
    kinds = ["walk", "fault", "flush", "cr3", "disk", "annot", "sync"]
    t0 = time.time()
    try:
        n = csvcheck.compare(t, t.arrays(kinds=kinds),
                             csvcheck.export_rows(vmtrace, path, "--kind", ",".join(kinds)))
        c = t.count(kinds=kinds)
        assert n == c, "compared %d rows, count() says %d" % (n, c)
        print("ok   every record but translations, whole file: %d records equal their CSV rows, "
              "count() %d (%.1f s)" % (n, c, time.time() - t0))
    except AssertionError as e:
        print("FAIL the records that are not translations: %s" % e)
        failed += 1
sys.exit(1 if failed else 0)
