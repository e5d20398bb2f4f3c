"""Worker processes for imports, which end when the importing process ends.

A ``ProcessPoolExecutor`` worker waits on a pipe that the other workers also hold
open, so when the importer is killed (SIGKILL, the OOM killer) its workers would
wait for ever, holding the store's files. Each worker here asks Linux to kill it
when its parent dies (``PR_SET_PDEATHSIG``) and, on any system, runs a thread
that ends it once its parent has changed or the importer is gone.

A worker is forked from a process that may run other threads (a server's, a
projection worker's) and may hold objects only the garbage collector would free:
freeing an SQLite connection inherited that way takes SQLite's own mutex, which
another thread may have held at the fork, and the worker would wait for ever. So
a worker first moves everything it inherited out of the collector's reach.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
CHECK_SECONDS = 0.5


def worker_pool(workers: int, *, death_signal: bool = True) -> ProcessPoolExecutor:
    """A pool whose workers die with this process. ``death_signal=False`` leaves
    only the portable watcher (what non-Linux systems get)."""
    return ProcessPoolExecutor(
        workers, initializer=die_with_parent, initargs=(os.getpid(), death_signal)
    )


def die_with_parent(importer: int, death_signal: bool = True) -> None:
    """Pool initializer: end this worker when the importing process ends.

    The signal is tied to the thread that started the worker; the pool is started
    and shut down inside one import call, so that thread outlives the workers.
    """
    gc.freeze()  # never collect what the fork copied (see the module's note)
    parent = os.getppid()
    if death_signal and sys.platform == "linux":
        _ask_for_death_signal()
    # The importer may have died before the signal was asked for: check now too.
    if _orphaned(importer, parent):
        os._exit(1)
    threading.Thread(
        target=_watch, args=(importer, parent), name="parent-watch", daemon=True
    ).start()


def _ask_for_death_signal() -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    # A failure leaves the watcher thread to do the job, a little later.
    libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


def _watch(importer: int, parent: int) -> None:
    stop = threading.Event()  # never set: its wait is an interruptible pause
    while not _orphaned(importer, parent):
        stop.wait(CHECK_SECONDS)
    os._exit(1)


def _orphaned(importer: int, parent: int) -> bool:
    if os.getppid() != parent:  # re-parented: whoever started us has died
        return True
    try:
        os.kill(importer, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # the id now belongs to another user's process
        return True
    return False
