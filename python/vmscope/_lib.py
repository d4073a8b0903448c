"""Loading libvmtrace and declaring its C API (trace/libvmtrace.h) for ctypes.

Where the library is looked for, first found wins:
  1. VMSCOPE_LIBVMTRACE, a file path, when set (and nothing else then);
  2. the library this copy of the package was configured with (_config.py,
     written by the vmscope build: the build tree's, or the install
     prefix's), first relative to the package (a prefix that moved), then
     at its absolute path;
  3. the system's library search (libvmtrace.so.1 on LD_LIBRARY_PATH, in
     ld.so.cache, ...).
"""
import ctypes
import ctypes.util
import os

API_VERSION = 1


class LibraryNotFound(OSError):
    pass


def _candidates():
    env = os.environ.get("VMSCOPE_LIBVMTRACE")
    if env:
        return [env], True
    found = []
    try:
        from . import _config
    except ImportError:
        _config = None
    here = os.path.dirname(os.path.abspath(__file__))
    rel = getattr(_config, "LIBVMTRACE_REL", None)
    if rel:
        found.append(os.path.normpath(os.path.join(here, rel)))
    absolute = getattr(_config, "LIBVMTRACE", None)
    if absolute:
        found.append(absolute)
    found.append("libvmtrace.so.%d" % API_VERSION)
    name = ctypes.util.find_library("vmtrace")
    if name:
        found.append(name)
    return found, False


def load():
    """The loaded library, its functions declared. Raises LibraryNotFound."""
    names, from_env = _candidates()
    errors = []
    for name in names:
        if "/" in name and not os.path.exists(name):
            errors.append("%s: no such file" % name)
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError as e:
            errors.append(str(e))
            continue
        _declare(lib)
        return lib
    how = "VMSCOPE_LIBVMTRACE" if from_env else "the configured path and the system's search"
    raise LibraryNotFound("libvmtrace not found through %s (%s); set VMSCOPE_LIBVMTRACE to "
                          "the path of libvmtrace.so.%d" % (how, "; ".join(errors), API_VERSION))


class Chunk(ctypes.Structure):
    _fields_ = [("first_event", ctypes.c_uint64), ("events", ctypes.c_uint64),
                ("first_cycle", ctypes.c_uint64), ("last_cycle", ctypes.c_uint64),
                ("cr3", ctypes.c_uint32), ("pid", ctypes.c_int32),
                ("reserved", ctypes.c_uint64 * 2)]


def _declare(lib):
    P, S, U32, U64, I64, I = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint32, ctypes.c_uint64,
                              ctypes.c_int64, ctypes.c_int)
    CP = ctypes.c_char_p
    sig = {
        "vmt_version": (CP, []),
        "vmt_format_version": (CP, []),
        "vmt_open": (P, [CP, ctypes.c_char_p, S]),
        "vmt_close": (None, [P]),
        "vmt_header_count": (S, [P]),
        "vmt_header_field": (I, [P, S, ctypes.POINTER(CP), ctypes.POINTER(CP), ctypes.POINTER(I)]),
        "vmt_nchunks": (S, [P]),
        "vmt_chunk_info": (I, [P, S, ctypes.POINTER(Chunk)]),
        "vmt_filter_kinds": (None, [P, U32]),
        "vmt_filter_pid": (None, [P, I64]),
        "vmt_filter_pages": (None, [P, U32, U32]),
        "vmt_filter_cycles": (None, [P, U64, U64]),
        "vmt_filter_clear": (None, [P]),
        "vmt_read": (S, [P, P, S]),
        "vmt_tell": (S, [P]),
        "vmt_seek_chunk": (None, [P, S]),
        "vmt_seek_event": (None, [P, U64]),
        "vmt_seek_cycle": (None, [P, U64]),
        "vmt_read_chunk": (S, [P, S, P, S]),
        "vmt_count": (U64, [P]),
        "vmt_text": (CP, [P, U32]),
        "vmt_text_count": (U32, [P]),
        "vmt_share_text": (None, [P, P]),
        "vmt_code_name": (CP, [I, ctypes.c_uint]),
        "vmt_record_size": (S, []),
        "vmt_record_field": (I, [S, ctypes.POINTER(CP), ctypes.POINTER(S), ctypes.POINTER(S),
                                 ctypes.POINTER(ctypes.c_char)]),
        "vmt_problems": (U64, [P]),
    }
    for name, (res, args) in sig.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args
