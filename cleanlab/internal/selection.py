"""Selecting the smallest entries of an array exactly as ``np.argsort`` would."""

import numpy as np

__all__ = ["first_of_argsort", "first_of_argsort_rows"]


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


def first_of_argsort_rows(values: np.ndarray, counts: np.ndarray, exact_row=None):
    """Row-wise `first_of_argsort` of a 2-D array, as a boolean mask.

    ``mask[r, i]`` is True when ``i`` is among ``np.argsort(values[r])[:counts[r]]``.
    One partition and one small sort cover all rows; rows where equal values
    straddle the cut fall back to ``np.argsort`` of ``exact_row(r)`` (default:
    ``values[r]``), which must order like ``values[r]`` and is the array whose
    tie order is wanted.
    """
    num_rows, size = values.shape
    counts = np.minimum(np.asarray(counts), size)
    mask = np.zeros(values.shape, dtype=bool)
    largest = int(counts.max(initial=0))
    if largest <= 0:
        return mask
    candidates = values
    if largest < size:
        candidates = np.partition(values, largest - 1, axis=1)[:, :largest]
    candidates = np.sort(candidates, axis=1)
    cut = candidates[np.arange(num_rows), np.maximum(counts, 1) - 1][:, None]
    np.less_equal(values, cut, out=mask)
    num_at_most = np.count_nonzero(mask, axis=1)
    mask[counts <= 0] = False
    for row in np.flatnonzero((num_at_most != counts) & (counts > 0)):
        mask[row] = False
        exact = values[row] if exact_row is None else exact_row(row)
        mask[row, np.argsort(exact)[: counts[row]]] = True
    return mask
