"""Comparing the Python reader's arrays with `vmtrace export --format csv`,
row for row (shared by tests/python/test_reader.py and tests/install).

The CSV is the oracle: each row is split into its 23 cells, and every cell
must equal the array's field: numbers as numbers (an empty cell is 0), the
word columns through vmscope.KIND/ACCESS/OUTCOME/TLB, the text column
through Trace.strings (an annotation's text is quoted in the CSV)."""
import subprocess

import vmscope

WORDS = {"kind": vmscope.KIND, "access": vmscope.ACCESS, "outcome": vmscope.OUTCOME, "tlb": vmscope.TLB}


def export_rows(vmtrace, path, *opts):
    """The CSV rows of `vmtrace export` (without the header), as an iterator of lists of cells."""
    p = subprocess.Popen([vmtrace, "export", path, "--format", "csv", *opts], stdout=subprocess.PIPE,
                         text=True, bufsize=1 << 20)
    header = p.stdout.readline().rstrip("\n").split(",")
    assert tuple(header) == vmscope.FIELDS, (header, vmscope.FIELDS)
    try:
        for line in p.stdout:
            yield line.rstrip("\n").split(",", len(header) - 1)
    finally:
        p.stdout.close()
        assert p.wait() == 0, "vmtrace export failed"


def compare(trace, arrays, rows, limit=None):
    """Compare ARRAYS (an iterator of arrays of TRACE) with ROWS (cells).
    Returns the number of rows compared; raises AssertionError at the first
    difference, naming the row and the column."""
    fields = vmscope.FIELDS
    strings = trace.strings
    words = [(i, WORDS[f]) for i, f in enumerate(fields) if f in WORDS]
    text_i = fields.index("text")
    nums = [i for i, f in enumerate(fields) if f not in WORDS and f != "text"]
    n = 0
    rows = iter(rows)
    for a in arrays:
        for rec in a.tolist():
            if limit is not None and n >= limit:
                return n
            try:
                row = next(rows)
            except StopIteration:
                raise AssertionError("the arrays have more records than the CSV has rows (%d)" % n)
            for i in nums:
                cell = row[i]
                if (int(cell) if cell else 0) != rec[i]:
                    raise AssertionError("row %d, column %s: CSV %r, array %r" % (n + 1, fields[i], cell, rec[i]))
            for i, names in words:
                if names[rec[i]] != row[i]:
                    raise AssertionError("row %d, column %s: CSV %r, array %r (%r)"
                                         % (n + 1, fields[i], row[i], rec[i], names[rec[i]]))
            text = row[text_i]
            if text.startswith('"') and text.endswith('"') and len(text) >= 2:
                text = text[1:-1]
            if strings[rec[text_i]] != text:
                raise AssertionError("row %d, column text: CSV %r, array %r" % (n + 1, text, strings[rec[text_i]]))
            n += 1
    if limit is None:
        extra = next(rows, None)
        assert extra is None, "the CSV has more rows than the arrays have records (%d): %r" % (n, extra)
    return n
