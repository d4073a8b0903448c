"""vmscope: read vmscope trace files (.vmt) into numpy arrays.

See vmscope.trace (Trace, DTYPE, FIELDS) and docs/python.md."""
from .trace import (ACCESS, DTYPE, FIELDS, KIND, OUTCOME, TLB, Trace, TraceError,  # noqa: F401
                    version)
from ._lib import LibraryNotFound  # noqa: F401

__version__ = version()[0]      # the vmscope release of the libvmtrace in use
