"""Row-chunked passes over large (N, K) arrays, optionally on several threads.

NumPy releases the GIL inside its array loops, so threads over disjoint row
chunks give real parallelism without copying the array. Every chunk is computed
the same way whatever the number of threads, so results never depend on it.
"""

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["default_threads", "reduce_row_chunks", "row_chunks"]

# About 1 MiB of a float32 array per chunk: large enough to amortize the Python
# overhead, small enough that the temporaries of a chunk stay in cache.
CHUNK_BYTES = 1 << 20


def default_threads() -> int:
    """Number of threads used when the caller does not say (the usable cores)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def row_chunks(array: np.ndarray, chunk_bytes: int = CHUNK_BYTES) -> list[slice]:
    """Consecutive row slices covering `array`, each about `chunk_bytes` large."""
    n = len(array)
    row_bytes = max(1, array.itemsize * int(np.prod(array.shape[1:], dtype=np.int64)))
    rows = max(1, chunk_bytes // row_bytes)
    return [slice(start, min(n, start + rows)) for start in range(0, n, rows)]


def reduce_row_chunks(
    func: Callable,
    array: np.ndarray,
    *args,
    n_threads: int | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> list:
    """Return ``[func(array[chunk], *args) for chunk in row_chunks(array)]``.

    The calls run on up to `n_threads` threads (default: the usable cores); the
    list is in chunk order either way.
    """
    chunks = row_chunks(array, chunk_bytes)
    threads = min(n_threads or default_threads(), len(chunks))
    if threads <= 1 or getattr(_worker, "busy", False):
        # One thread, or already on a pool thread: waiting there for other pool
        # tasks could deadlock, so the chunks run here.
        return [func(array[c], *args) for c in chunks]

    def run(group: range) -> list:
        return [func(array[chunks[i]], *args) for i in group]

    # `threads` tasks of consecutive chunks, so no more than `threads` threads
    # work on this call however large the shared pool is.
    bounds = np.linspace(0, len(chunks), threads + 1).astype(int)
    groups = [range(bounds[i], bounds[i + 1]) for i in range(threads)]
    results = _shared_pool(threads).map(run, groups)
    return [result for group in results for result in group]


# One pool of threads for every call: starting threads anew for each call
# costs more than the work of a small call (a batch of rows, say).
_pool = None
_pool_size = 0
_pool_lock = threading.Lock()
_worker = threading.local()


def _mark_worker() -> None:
    _worker.busy = True


def _shared_pool(threads: int) -> ThreadPoolExecutor:
    """The shared pool, grown to at least `threads` threads."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size < threads:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool_size = max(threads, default_threads())
            _pool = ThreadPoolExecutor(
                max_workers=_pool_size,
                thread_name_prefix="cleanlab-rows",
                initializer=_mark_worker,
            )
        return _pool


def _forget_pool() -> None:
    """In a forked child: the parent's pool threads do not exist there."""
    global _pool, _pool_lock, _pool_size
    _pool, _pool_size, _pool_lock = None, 0, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)
