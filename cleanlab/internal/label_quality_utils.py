"""Row kernels behind the label quality scores of `cleanlab.rank`.

The scores need, per example, a few numbers from its row of `pred_probs`: the
probability of the given label, the largest probability of another class, the
normalized entropy, optionally after subtracting the per-class confident
thresholds. These helpers compute them over row chunks (on several threads), so
memory stays O(N) plus one chunk and the dtype of `pred_probs` is kept: a
float32 input is never copied to float64 in full. Every arithmetic step is the
one cleanlab 2.9 takes, in the same order and dtype, so the numbers agree bit for
bit. The functions trust their inputs (validated at the public boundary).
"""

import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from cleanlab.internal.chunking import default_threads, reduce_row_chunks, row_chunks
from cleanlab.internal.confident_learning import confident_thresholds, self_confidence
from cleanlab.internal.constants import CLIPPING_LOWER_BOUND, SCORING_METHODS
from cleanlab.internal.errors import InvalidOptionError
from cleanlab.internal.validation import check_thresholds, labels_to_array

__all__ = [
    "SCORING_METHODS",
    "_subtract_confident_thresholds",
    "as_float_array",
    "check_scoring_options",
    "compute_label_quality_scores",
    "confidence_weighted_entropy_scores",
    "get_normalized_entropy",
    "lowest_scores",
    "normalized_margin_scores",
    "resolve_thresholds",
    "self_confidence_scores",
    "subtract_thresholds",
]


def compute_label_quality_scores(
    labels,
    pred_probs: np.ndarray,
    *,
    method: str = "self_confidence",
    adjust_pred_probs: bool = False,
    confident_thresholds: np.ndarray | None = None,
) -> np.ndarray:
    """Label quality score of every row by `method` (inputs already validated).

    With `adjust_pred_probs`, `confident_thresholds` (shape (K,)) are subtracted
    first, or, when not given, thresholds computed from `labels`. Raises
    `InvalidOptionError` for an unknown method or an unsupported adjustment.
    """
    check_scoring_options(method, adjust_pred_probs)
    labels = labels_to_array(labels)
    pred_probs = as_float_array(pred_probs)
    scorer = _SCORERS[method]
    if not adjust_pred_probs:
        return scorer(labels, pred_probs)
    thresholds = resolve_thresholds(labels, pred_probs, thresholds=confident_thresholds)
    return scorer(labels, pred_probs, thresholds)


def check_scoring_options(method, adjust_pred_probs) -> None:
    """Raise `InvalidOptionError` for an unknown method or an unsupported adjustment."""
    if method not in SCORING_METHODS:
        msg = (
            f"{method} is not a valid scoring method for rank_by! Please choose a "
            f"valid rank_by: {', '.join(SCORING_METHODS)}. `method` (or `rank_by`) "
            f"got {method!r}."
        )
        raise InvalidOptionError(msg)
    if adjust_pred_probs and method == "confidence_weighted_entropy":
        msg = (
            "adjust_pred_probs is not currently supported for "
            "confidence_weighted_entropy. Use adjust_pred_probs=False or another "
            "method."
        )
        raise InvalidOptionError(msg)


def as_float_array(pred_probs) -> np.ndarray:
    """`pred_probs` as a float ndarray (integer or bool input becomes float64)."""
    pred_probs = np.asarray(pred_probs)
    if pred_probs.dtype.kind != "f":
        return pred_probs.astype(np.float64)
    return pred_probs


def lowest_scores(quality_scores: np.ndarray, top: int) -> np.ndarray:
    """Indices of the `top` lowest of 1-D `quality_scores`, lowest first.

    Ties keep ``np.argsort`` order; `top` (an int >= 0) past N gives all N.
    """
    return quality_scores.argsort()[:top]


def _subtract_confident_thresholds(
    labels,
    pred_probs: np.ndarray,
    multi_label: bool = False,
    confident_thresholds: np.ndarray | None = None,
) -> np.ndarray:
    """Return `pred_probs` adjusted by the per-class confident thresholds.

    Each row ``p`` becomes ``p - t + max(t)`` divided by its own sum, where ``t``
    are `confident_thresholds` or, when not given, the mean self-confidence of
    each class computed from `labels`. Every entry of the result is positive and
    each row sums to 1. The result is a new array; `pred_probs` is not changed.

    Raises
    ------
    ValueError
        If neither `labels` nor `confident_thresholds` is given, if the
        thresholds would have to be computed for multi-label `labels`, or if
        `confident_thresholds` does not have one entry per column.
    """
    thresholds = resolve_thresholds(
        labels, pred_probs, multi_label, confident_thresholds
    )
    return subtract_thresholds(pred_probs, thresholds)


def resolve_thresholds(
    labels,
    pred_probs: np.ndarray,
    multi_label: bool = False,
    thresholds: np.ndarray | None = None,
) -> np.ndarray:
    """The thresholds to subtract: `thresholds` checked, or computed from `labels`."""
    num_classes = pred_probs.shape[1]
    if thresholds is None:
        if labels is None:
            msg = (
                "Cannot calculate confident_thresholds without labels. Pass in either "
                "labels or already calculated confident_thresholds parameter."
            )
            raise ValueError(msg)
        if multi_label:
            # Limitation: multi-label thresholds have shape (K, 2) and do not apply
            # to (N, K) pred_probs (cleanlab 2.9 fails here with a broadcast error).
            msg = (
                "`multi_label=True` is not supported when subtracting confident "
                "thresholds from (N, K) `pred_probs`: adjust each class's "
                "one-vs-rest probabilities [1 - p, p] with multi_label=False."
            )
            raise ValueError(msg)
        labels = labels_to_array(labels)
        return confident_thresholds(labels, pred_probs)
    return check_thresholds(thresholds, num_classes, name="confident_thresholds")


def subtract_thresholds(rows: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """``rows - thresholds + max(thresholds)``, each row divided by its sum (a copy).

    The result has the dtype NumPy gives ``rows - thresholds``: float32 rows stay
    float32 when the thresholds are float32.
    """
    adjusted = rows - thresholds
    adjusted += thresholds.max()
    adjusted /= adjusted.sum(axis=1, keepdims=True)
    return adjusted


def get_normalized_entropy(
    pred_probs: np.ndarray, min_allowed_prob: float | None = None
) -> np.ndarray:
    """Entropy of each row of `pred_probs` divided by ``log(K)``: 0 for one-hot rows.

    ``0 * log(0)`` counts as 0. The result is float64, in [0, 1] for rows that
    sum to 1.

    Raises
    ------
    ValueError
        If any entry of `pred_probs` is below 0 or above 1 (no tolerance).

    Warns
    -----
    DeprecationWarning
        If `min_allowed_prob` is given: entries are then clipped from below to it
        before the entropy is taken, which is no longer needed.
    """
    _check_two_columns(pred_probs, "The normalized entropy")
    if min_allowed_prob is not None:
        warnings.warn(
            "Using `min_allowed_prob` is not necessary anymore and will be removed.",
            DeprecationWarning,
            stacklevel=2,
        )
    parts = reduce_row_chunks(_normalized_entropy_rows, pred_probs, min_allowed_prob)
    return np.concatenate(parts)


def _normalized_entropy_rows(
    rows: np.ndarray, min_allowed_prob: float | None = None
) -> np.ndarray:
    """Normalized entropy of each row of one chunk; raises outside [0, 1]."""
    if rows.size and (rows.min() < 0 or rows.max() > 1):
        bad = rows.min() if rows.min() < 0 else rows.max()
        msg = (
            "All probabilities are required to be in the interval [0, 1]. "
            f"`pred_probs` holds {bad}."
        )
        raise ValueError(msg)
    if min_allowed_prob is not None:
        rows = np.clip(rows, min_allowed_prob, None)
    # The float32 sum is divided by the float64 log(K): the result is float64,
    # as in cleanlab 2.9.
    from scipy.special import xlogy  # loaded when an entropy is first needed

    return -np.sum(xlogy(rows, rows), axis=1) / np.log(rows.shape[1])


def self_confidence_scores(
    labels: np.ndarray, pred_probs: np.ndarray, thresholds: np.ndarray | None = None
) -> np.ndarray:
    """Probability of the given label per row (after subtracting `thresholds`)."""
    if thresholds is None:
        return self_confidence(labels, pred_probs)
    return _map_row_chunks(_self_confidence_rows, labels, pred_probs, thresholds)


def _self_confidence_rows(rows, labels, thresholds):
    """Adjusted probability of the given label for one chunk of rows."""
    return subtract_thresholds(rows, thresholds)[np.arange(len(labels)), labels]


def normalized_margin_scores(
    labels: np.ndarray, pred_probs: np.ndarray, thresholds: np.ndarray | None = None
) -> np.ndarray:
    """``(p[k] - max_{j != k} p[j] + 1) / 2`` per row (thresholds subtracted first)."""
    _check_two_columns(pred_probs, "The normalized margin")
    return _map_row_chunks(_normalized_margin_rows, labels, pred_probs, thresholds)


def _normalized_margin_rows(rows, labels, thresholds):
    """Normalized margin of the given label for one chunk of rows."""
    # Either way `work` is a copy of one chunk: the given label's entry is masked
    # in it so that the row max is the max over the other classes.
    work = rows.copy() if thresholds is None else subtract_thresholds(rows, thresholds)
    index = np.arange(len(labels)), labels
    given = work[index]
    work[index] = -np.inf
    other = work.max(axis=1)
    return (given - other + 1) / 2


def confidence_weighted_entropy_scores(
    labels: np.ndarray, pred_probs: np.ndarray
) -> np.ndarray:
    """``log(r + 1) / max(r, 1e-6)`` with ``r = entropy / max(p[k], 1e-6)`` per row.

    A row whose entropy is 0 (a one-hot prediction) scores 1.0 when its one class
    is the given label and 0.0 otherwise; cleanlab 2.9 scores both 0.0.
    Raises ValueError if any entry of `pred_probs` is outside [0, 1].
    """
    _check_two_columns(pred_probs, "The confidence-weighted entropy")
    return _map_row_chunks(_confidence_weighted_entropy_rows, labels, pred_probs)


def _confidence_weighted_entropy_rows(rows, labels):
    """Confidence-weighted entropy of the given label for one chunk of rows."""
    given = rows[np.arange(len(labels)), labels]
    confidence = np.clip(given, CLIPPING_LOWER_BOUND, None)
    ratio = _normalized_entropy_rows(rows) / confidence
    scores = np.log(ratio + 1) / np.clip(ratio, CLIPPING_LOWER_BOUND, None)
    # Zero entropy means every entry is 0 or 1: the limit of the formula for a
    # confident correct prediction is 1, and a wrong one-hot row is the worst.
    is_one_hot = ratio == 0
    scores[is_one_hot] = given[is_one_hot]
    return scores


def _check_two_columns(pred_probs: np.ndarray, what: str) -> None:
    """Raise unless `pred_probs` has at least 2 columns (classes)."""
    if pred_probs.shape[1] < 2:
        msg = (
            f"{what} needs at least 2 classes, but `pred_probs` has "
            f"{pred_probs.shape[1]} column."
        )
        raise ValueError(msg)


def _map_row_chunks(func: Callable, labels, pred_probs, *args) -> np.ndarray:
    """``func(pred_probs[c], labels[c], *args)`` over row chunks, concatenated.

    Like `reduce_row_chunks`, but the labels of each chunk go with its rows. The
    chunks run on up to `default_threads()` threads; the order is kept.
    """
    chunks = row_chunks(pred_probs) or [slice(0, 0)]
    threads = min(default_threads(), len(chunks))

    def run(chunk: slice) -> np.ndarray:
        return func(pred_probs[chunk], labels[chunk], *args)

    if threads <= 1:
        return np.concatenate([run(c) for c in chunks])
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return np.concatenate(list(pool.map(run, chunks)))


# The scorer of each method, called as ``scorer(labels, pred_probs)`` or, with
# adjusted probabilities, ``scorer(labels, pred_probs, thresholds)``.
_SCORERS = {
    "self_confidence": self_confidence_scores,
    "normalized_margin": normalized_margin_scores,
    "confidence_weighted_entropy": confidence_weighted_entropy_scores,
}
