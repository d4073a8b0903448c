"""vmscope traces (.vmt) as numpy structured arrays, through libvmtrace.

    import vmscope
    t = vmscope.Trace("run.vmt")
    t.header["cpu_mhz"]                  # the machine's configuration
    t.count()                            # records, as `vmtrace export` counts rows
    for a in t.arrays(kinds=["fault"], pid=7):
        print(a["addr"], t.text(a))      # one array per chunk

An array's fields are the columns of `vmtrace export --format csv`, in its
order. Numbers are numbers (a column the CSV leaves empty for a record's
kind is 0); the word columns kind, access, outcome and tlb are small codes
(KIND, ACCESS, OUTCOME, TLB name them, and Trace.names decodes a column);
the text column is an id into Trace.strings (Trace.text decodes it).
"""
import ctypes
import os
import sys
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import _lib

_L = _lib.load()

COLUMNS = ("kind", "access", "outcome", "tlb")      # enum vmt_column order


def _names(col):
    out = []
    for code in range(256):
        n = _L.vmt_code_name(col, code)
        out.append(n.decode() if n is not None else None)
    return out


# code -> name of each word column ("" for a cell the CSV leaves empty)
KIND, ACCESS, OUTCOME, TLB = (_names(c) for c in range(4))
_KIND_CODE = {n: c for c, n in enumerate(KIND) if n}


def _dtype():
    fields = []
    i = 0
    name, off, size, typ = ctypes.c_char_p(), ctypes.c_size_t(), ctypes.c_size_t(), ctypes.c_char()
    while _L.vmt_record_field(i, ctypes.byref(name), ctypes.byref(off), ctypes.byref(size), ctypes.byref(typ)):
        fields.append((name.value.decode(), off.value, "<%s%d" % (typ.value.decode(), size.value)))
        i += 1
    return np.dtype({"names": [f[0] for f in fields], "formats": [f[2] for f in fields],
                     "offsets": [f[1] for f in fields], "itemsize": _L.vmt_record_size()})


DTYPE = _dtype()                        # one record: libvmtrace's struct vmt_record
FIELDS = DTYPE.names                    # the CSV export's columns, in order


def version():
    """(vmscope release, trace format version) of the loaded libvmtrace."""
    return _L.vmt_version().decode(), _L.vmt_format_version().decode()


class TraceError(OSError):
    pass


class _Handle:
    """One libvmtrace handle (used by one thread at a time)."""

    def __init__(self, path, texts_of=None):
        err = ctypes.create_string_buffer(1024)
        self.h = _L.vmt_open(os.fsencode(path), err, len(err))
        if not self.h:
            raise TraceError(err.value.decode(errors="replace"))
        if texts_of is not None:        # its text ids are those of TEXTS_OF
            _L.vmt_share_text(self.h, texts_of.h)

    def close(self):
        if self.h:
            _L.vmt_close(self.h)
            self.h = None

    def filters(self, kinds, pid, pages, cycles):
        _L.vmt_filter_clear(self.h)
        if kinds is not None:
            _L.vmt_filter_kinds(self.h, kinds)
        if pid is not None:
            _L.vmt_filter_pid(self.h, pid)
        if pages is not None:
            _L.vmt_filter_pages(self.h, pages[0], pages[1])
        if cycles is not None:
            _L.vmt_filter_cycles(self.h, cycles[0], cycles[1])


def _kind_mask(kinds):
    mask = 0
    for k in ([kinds] if isinstance(kinds, (str, int)) else kinds):
        code = _KIND_CODE.get(k) if isinstance(k, str) else int(k)
        if code is None or not 0 <= code < 32:
            raise ValueError("unknown record kind %r (one of %s)" % (k, ", ".join(sorted(_KIND_CODE))))
        mask |= 1 << code
    return mask


class _Buffers:
    """Record buffers for arrays(), reused once nobody else holds them.

    A chunk's records are decoded into a buffer of its `events` records and
    the caller gets a view of the part filled. Fresh memory for every chunk
    would cost a page fault and the kernel's zeroing per 4 KiB; so a buffer
    whose only references are this pool's (the caller dropped every array
    and view of it) is filled again instead. One kept by the caller is
    never touched."""

    def __init__(self, size):
        self.size = size                # every buffer holds the largest chunk
        self.free = []
        self.lock = threading.Lock()
        self.made = 0

    def take(self, n):
        with self.lock:
            for b in self.free:
                # references: the list, getrefcount's argument, and b
                if len(b) >= n and sys.getrefcount(b) <= 3:
                    return b
            b = np.empty(max(n, self.size, 1), dtype=DTYPE)
            self.made += 1
            self.free.append(b)
            if len(self.free) > 16:         # forget buffers the caller keeps
                self.free = [x for x in self.free if sys.getrefcount(x) <= 3]
            return b


class Trace:
    """A trace file, read through libvmtrace.

    threads: how many chunks are decoded at once by arrays() (each thread
    has its own handle; the default is the number of CPUs, at most 4)."""

    def __init__(self, path, threads=None):
        self.path = os.fspath(path)
        self._h = _Handle(self.path)
        self.threads = threads or max(1, min(4, len(os.sched_getaffinity(0))))
        # text column: id -> text. Every handle of this Trace numbers texts
        # in the table of self._h (vmt_share_text), so the ids in the
        # arrays are the same whichever thread decoded them.
        self.strings = [""]
        self.header = self._header()
        n = _L.vmt_nchunks(self._h.h)
        self.chunks = []
        c = _lib.Chunk()
        for i in range(n):
            _L.vmt_chunk_info(self._h.h, i, ctypes.byref(c))
            self.chunks.append({"first_event": c.first_event, "events": c.events,
                                "first_cycle": c.first_cycle, "last_cycle": c.last_cycle,
                                "cr3": c.cr3, "pid": c.pid})

    def close(self):
        self._h.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _header(self):
        out = {}
        name, value, numeric = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_int()
        i = 0
        while _L.vmt_header_field(self._h.h, i, ctypes.byref(name), ctypes.byref(value), ctypes.byref(numeric)):
            v = value.value.decode(errors="replace")
            out[name.value.decode()] = int(v) if numeric.value else v
            i += 1
        return out

    def count(self, kinds=None, pid=None, pages=None, cycles=None):
        """Records that pass the filters (none: every record, the rows of
        `vmtrace export --format csv`)."""
        self._h.filters(None if kinds is None else _kind_mask(kinds), pid, pages, cycles)
        return _L.vmt_count(self._h.h)

    # -------------------------------------------------------------- arrays

    def _new_texts(self):
        """Texts numbered since the last call, onto self.strings (kept the
        same list: callers may hold it)."""
        n = _L.vmt_text_count(self._h.h)
        self.strings.extend(_L.vmt_text(self._h.h, i).decode(errors="replace")
                            for i in range(len(self.strings), n))

    def arrays(self, kinds=None, pid=None, pages=None, cycles=None):
        """An iterator of numpy structured arrays (dtype DTYPE), one per
        chunk that has records passing the filters, in file order.

        kinds:  record kinds to keep, names ("xlate", "fault", ...) or codes
        pid:    records while this pid runs, and annotations about it
        pages:  (lo, hi) linear pages (address >> 12), both included
        cycles: (lo, hi) cycles, both included
        These are `vmtrace export`'s --kind, --pid, --page, --from/--to."""
        mask = None if kinds is None else _kind_mask(kinds)
        todo = [i for i, c in enumerate(self.chunks)
                if cycles is None or not (c["last_cycle"] < cycles[0] or c["first_cycle"] > cycles[1])]
        local = threading.local()
        handles = []
        lock = threading.Lock()

        def read(i):
            h = getattr(local, "h", None)
            if h is None:
                h = local.h = _Handle(self.path, texts_of=self._h)
                h.filters(mask, pid, pages, cycles)
                with lock:
                    handles.append(h)
            n = self.chunks[i]["events"]
            a = buffers.take(n)
            k = _L.vmt_read_chunk(h.h, i, a.ctypes.data, n)
            return a[:k]

        buffers = _Buffers(max([self.chunks[i]["events"] for i in todo], default=0))
        pool = ThreadPoolExecutor(max_workers=self.threads)
        try:
            pending = deque()
            it = iter(todo)
            for i in it:
                pending.append(pool.submit(read, i))
                if len(pending) >= 2 * self.threads:
                    break
            while pending:
                a = pending.popleft().result()
                nxt = next(it, None)
                if nxt is not None:
                    pending.append(pool.submit(read, nxt))
                self._new_texts()
                if len(a) == 0:
                    continue
                yield a
        finally:
            for f in pending:
                f.cancel()
            pool.shutdown(wait=True)
            for h in handles:
                h.close()

    def array(self, i, kinds=None, pid=None, pages=None, cycles=None):
        """The records of chunk I that pass the filters (those of arrays()),
        as one array (empty when none pass)."""
        h = self._h
        h.filters(None if kinds is None else _kind_mask(kinds), pid, pages, cycles)
        n = self.chunks[i]["events"]
        a = np.empty(n, dtype=DTYPE)
        k = _L.vmt_read_chunk(h.h, i, a.ctypes.data, n)
        self._new_texts()
        return a[:k]

    # -------------------------------------------------------------- decoding

    def text(self, a):
        """The text column of array A as a list of str."""
        s = self.strings
        return [s[i] for i in a["text"]]

    @staticmethod
    def names(a, column):
        """Column ("kind", "access", "outcome" or "tlb") of array A as a
        numpy array of str, as the CSV spells it."""
        table = {"kind": KIND, "access": ACCESS, "outcome": OUTCOME, "tlb": TLB}[column]
        return np.array([n or "" for n in table], dtype=object)[a[column]]
