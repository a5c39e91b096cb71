"""Reductions over the contiguous segments of one flat array.

Token classification keeps all tokens of all sentences in one array, sentence after
sentence; a sentence is then a segment given by its start offset and its length.
These helpers pool values per segment with ``ufunc.reduceat`` (one pass over the
whole array, no Python loop per segment) and map flat positions back to
``(segment, position within segment)``. Every segment must be non-empty: callers
check that at their public boundary.
"""

import numpy as np

from cleanlab.internal.constants import EPSILON

__all__ = [
    "locate",
    "segment_mean",
    "segment_min",
    "segment_softmin",
    "segment_starts",
]


def segment_starts(lengths: np.ndarray) -> np.ndarray:
    """Start offset (int64) of each segment, given the segment lengths."""
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return starts


def segment_min(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Minimum of each segment of `values` (segments start at `starts`)."""
    return np.minimum.reduceat(values, starts)


def segment_mean(
    values: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """Arithmetic mean of each segment of `values`."""
    return np.add.reduceat(values, starts) / lengths


def segment_softmin(
    values: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    temperature: float,
) -> np.ndarray:
    """Softmin of each segment: ``sum(s * w)`` with ``w = softmax((1 - s) / T)``.

    ``T`` is ``max(temperature, 1e-6)``; the softmax is shifted by the segment's
    maximum, so it never overflows. ``temperature=0`` gives the segment minimum and
    ``temperature=np.inf`` the segment mean, exactly. `values` are pooled in
    float64.
    """
    if temperature == 0:
        return segment_min(values, starts).astype(np.float64)
    if np.isinf(temperature):
        return segment_mean(values.astype(np.float64), starts, lengths)
    scores = np.asarray(values, dtype=np.float64)
    logits = (1.0 - scores) / max(temperature, EPSILON)
    logits -= np.repeat(np.maximum.reduceat(logits, starts), lengths)
    weights = np.exp(logits, out=logits)
    numerators = np.add.reduceat(scores * weights, starts)
    return numerators / np.add.reduceat(weights, starts)


def locate(flat_index: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Segment of each flat position and the position within that segment."""
    segment = np.searchsorted(starts, flat_index, side="right") - 1
    return segment, flat_index - starts[segment]
