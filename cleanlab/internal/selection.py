"""Selecting the smallest entries of an array exactly as ``np.argsort`` would."""

import numpy as np

__all__ = ["first_of_argsort"]


def first_of_argsort(values: np.ndarray, count: int) -> np.ndarray:
    """Indices of ``np.argsort(values)[:count]``, as a set (ascending order).

    Uses a linear-time partition; only when equal values straddle the cut, so
    that the set depends on how ``np.argsort`` breaks ties, does it fall back to
    the full sort.
    """
    size = len(values)
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    if count >= size:
        return np.arange(size)
    cut = np.partition(values, count - 1)[count - 1]
    below = values < cut
    num_below = np.count_nonzero(below)
    at_cut = values == cut
    if num_below + np.count_nonzero(at_cut) == count:
        return np.flatnonzero(below | at_cut)
    return np.sort(np.argsort(values)[:count])
