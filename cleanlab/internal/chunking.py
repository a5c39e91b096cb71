"""Row-chunked passes over large (N, K) arrays, optionally on several threads.

NumPy releases the GIL inside its array loops, so threads over disjoint row
chunks give real parallelism without copying the array. Every chunk is computed
the same way whatever the number of threads, so results never depend on it.
"""

import os
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
    executor: ThreadPoolExecutor | None = None,
) -> list:
    """Return ``[func(array[chunk], *args) for chunk in row_chunks(array)]``.

    The calls run on up to `n_threads` threads (default: the usable cores), on
    `executor` when one is given (a caller making many small calls keeps one
    for all of them) or else on threads started for this call; the list is in
    chunk order either way. `func` must not itself use `executor`.
    """
    chunks = row_chunks(array, chunk_bytes)
    threads = min(n_threads or default_threads(), len(chunks))
    if threads <= 1:
        return [func(array[c], *args) for c in chunks]

    def run(group: range) -> list:
        return [func(array[chunks[i]], *args) for i in group]

    # One task of consecutive chunks per thread: far less overhead than a task
    # per chunk, and each thread reads its own stretch of memory in order.
    bounds = np.linspace(0, len(chunks), threads + 1).astype(int)
    groups = [range(bounds[i], bounds[i + 1]) for i in range(threads)]
    if executor is not None:
        results = list(executor.map(run, groups))
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(run, groups))
    return [result for group in results for result in group]
