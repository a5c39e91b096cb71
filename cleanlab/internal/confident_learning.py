"""Kernels of confident learning over whole arrays: thresholds and per-row guesses.

These functions trust their inputs (validated at the public boundary): `labels`
is an int array of class indices, `pred_probs` an (N, K) float array. They keep
the dtype of `pred_probs` (no float32 to float64 upcast of the N x K array) and
work through it in row chunks.
"""

import numpy as np

from cleanlab.internal.chunking import reduce_row_chunks
from cleanlab.internal.constants import (
    CONFIDENT_THRESHOLDS_LOWER_BOUND,
    FLOATING_POINT_COMPARISON,
    MISSING_CLASS_THRESHOLD,
    TINY_VALUE,
)
from cleanlab.internal.util import round_preserving_row_totals

__all__ = [
    "calibrate_to_class_counts",
    "calibrated_num_issues",
    "class_groups",
    "class_mean_thresholds",
    "confident_counts",
    "confident_issues",
    "confident_pass",
    "confident_thresholds",
    "floor_diagonal",
    "grouped_self_confidence",
    "guess_true_labels",
    "guess_unsure_rows",
    "joint_of_guesses",
    "label_is_top",
    "predicted_neq_given",
    "given_label_is_top",
    "self_confidence",
    "thresholds_from_class_means",
]


def self_confidence(labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    """``pred_probs[i, labels[i]]`` for every row, in the dtype of `pred_probs`."""
    return pred_probs[np.arange(len(labels)), labels]


def class_groups(labels: np.ndarray, num_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Example indices grouped by class, ascending within each class.

    Returns ``(order, bounds)``: the examples of class k are
    ``order[bounds[k]:bounds[k + 1]]``.
    """
    counts = np.bincount(labels, minlength=num_classes)
    bounds = np.zeros(num_classes + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    # Small integer keys let the stable sort run as a radix sort.
    small = np.int16 if num_classes <= np.iinfo(np.int16).max else labels.dtype
    order = np.argsort(labels.astype(small, copy=False), kind="stable")
    return order, bounds


def grouped_self_confidence(labels, pred_probs, num_classes: int) -> tuple:
    """Self-confidences grouped by class, in index order within each class.

    Returns ``(grouped, bounds)``: class k's are ``grouped[bounds[k]:bounds[k + 1]]``.
    """
    order, bounds = class_groups(labels, num_classes)
    return self_confidence(labels, pred_probs)[order], bounds


def confident_thresholds(labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    """Per-class mean self-confidence, clipped below at 2e-6 (2.0 for absent classes).

    Each class mean is ``np.mean`` over that class's self-confidences in index
    order, in the dtype of `pred_probs`: this reproduces cleanlab 2.9's numbers
    bit for bit. Like cleanlab 2.9, the result is float32 for float32 input when
    every class occurs and float64 when some class is absent (its 2.0 entry is a
    Python float); the thresholds' dtype decides how borderline probabilities
    compare against them, so it is kept.
    """
    return class_mean_thresholds(
        labels, self_confidence(labels, pred_probs), pred_probs.shape[1]
    )


def class_mean_thresholds(labels, confidences, num_classes: int) -> np.ndarray:
    """`confident_thresholds` from the self-confidences `confidences` of `labels`.

    `confidences` is ``pred_probs[i, labels[i]]`` for every row, in index order
    (as `self_confidence` returns it): the thresholds are then those of the
    whole ``pred_probs``, bit for bit, without it.
    """
    order, bounds = class_groups(labels, num_classes)
    grouped = confidences[order]
    means = [
        np.mean(grouped[bounds[k] : bounds[k + 1]])
        if bounds[k + 1] > bounds[k]
        else None
        for k in range(num_classes)
    ]
    return thresholds_from_class_means(means)


def thresholds_from_class_means(means: list) -> np.ndarray:
    """The confident thresholds from each class's mean self-confidence.

    `means` holds one NumPy scalar per class, None for a class without examples
    (its threshold is 2.0, so it is never confident); entries are clipped below
    at 2e-6. The dtype rule is `confident_thresholds`'.
    """
    means = [MISSING_CLASS_THRESHOLD if mean is None else mean for mean in means]
    return np.clip(np.array(means), CONFIDENT_THRESHOLDS_LOWER_BOUND, None)


def _guess_chunk(chunk: np.ndarray, cutoffs: np.ndarray) -> tuple:
    """Per-row guess, whether counted, argmax and max of one row chunk.

    When the argmax class is itself confident it is the guess (alone, or as the
    argmax of several). Only the other rows need the full comparison.
    """
    top = chunk.argmax(axis=1)
    top_value = chunk[np.arange(len(chunk)), top]
    guess = top.copy()
    is_counted = top_value >= cutoffs[top]
    unsure = np.flatnonzero(~is_counted)
    if len(unsure):
        is_counted[unsure], guess[unsure] = guess_unsure_rows(
            chunk[unsure], cutoffs, top[unsure]
        )
    return guess, is_counted, top, top_value


def guess_unsure_rows(rows: np.ndarray, cutoffs: np.ndarray, top: np.ndarray):
    """``(is_counted, guess)`` of rows whose argmax `top` is below its cutoff.

    Such a row is counted when some other class reaches its cutoff; the guess
    is that class if it is the only one, else the argmax.
    """
    confident = rows >= cutoffs
    num_confident = np.count_nonzero(confident, axis=1)
    single = num_confident == 1
    guess = top.copy()
    guess[single] = confident[single].argmax(axis=1)
    return num_confident > 0, guess


def guess_true_labels(pred_probs: np.ndarray, thresholds: np.ndarray, n_threads=None):
    """The confident-learning guess of each example's true label.

    Returns ``(guess, is_counted, top, top_value)``: an example is counted when at
    least one class reaches its threshold (less 1e-6); the guess is that class if
    it is the only one, else the row's argmax over all classes. `top` and
    `top_value` are the row argmax and max, returned for reuse.
    """
    cutoffs = thresholds - FLOATING_POINT_COMPARISON
    parts = reduce_row_chunks(_guess_chunk, pred_probs, cutoffs, n_threads=n_threads)
    guess, is_counted, top, top_value = (
        np.concatenate(column) for column in zip(*parts, strict=True)
    )
    return guess, is_counted, top, top_value


def given_label_is_top(
    labels: np.ndarray,
    pred_probs: np.ndarray,
    top: np.ndarray | None = None,
    top_value: np.ndarray | None = None,
) -> np.ndarray:
    """Whether each given label is the argmax once its probability is raised by 1e-6.

    Equivalent to adding 1e-6 (in the dtype of `pred_probs`) to each row's
    given-label entry and comparing that row's argmax (lowest index on ties) with
    the label, without copying `pred_probs`. `top`/`top_value` (row argmax and
    max) are computed when not given.
    """
    if top is None:
        top = pred_probs.argmax(axis=1)
        top_value = pred_probs[np.arange(len(top)), top]
    return label_is_top(labels, self_confidence(labels, pred_probs), top, top_value)


def label_is_top(labels, confidences, top, top_value) -> np.ndarray:
    """`given_label_is_top` from the rows' self-confidences, argmax and max."""
    raised = confidences + confidences.dtype.type(FLOATING_POINT_COMPARISON)
    # The raised entry wins outright when larger than the row max; on equality
    # it wins only if every earlier column is smaller, i.e. the first maximum
    # sits after it.
    return (
        (top == labels)
        | (raised > top_value)
        | ((raised == top_value) & (top > labels))
    )


def confident_pass(labels, pred_probs, thresholds=None, n_threads=None):
    """One pass of confident learning over validated inputs.

    Returns ``(confident_joint, is_off_diagonal, top, top_value)``: the
    uncalibrated confident joint (diagonal at least 1), a mask of the counted
    examples whose guessed label differs from the given one, and the row argmax
    and max of `pred_probs`.
    """
    if thresholds is None:
        thresholds = confident_thresholds(labels, pred_probs)
    joint, is_off_diagonal, top, top_value = confident_counts(
        labels, pred_probs, thresholds, n_threads=n_threads
    )
    # `joint` was made here: floored in place, not copied (K x K can be large).
    return floor_diagonal(joint, copy=False), is_off_diagonal, top, top_value


def confident_issues(labels, pred_probs, thresholds=None, n_threads=None):
    """The confident-learning issues of validated inputs, in one pass.

    Returns ``(counts, is_off_diagonal, is_issue)``: the uncalibrated confident
    joint without the floor on its diagonal and the off-diagonal mask (as in
    `confident_counts`), and the off-diagonal examples whose given label is not
    (within 1e-6) the row's argmax: the examples `num_label_issues` counts and
    ``filter_by="confident_learning"`` flags.
    """
    if thresholds is None:
        thresholds = confident_thresholds(labels, pred_probs)
    counts, is_off_diagonal, top, top_value = confident_counts(
        labels, pred_probs, thresholds, n_threads=n_threads
    )
    is_top = given_label_is_top(labels, pred_probs, top, top_value)
    return counts, is_off_diagonal, is_off_diagonal & ~is_top


def predicted_neq_given(labels, pred_probs) -> np.ndarray:
    """Examples whose argmax differs from the label, beyond a 1e-6 near-tie."""
    top = pred_probs.argmax(axis=1)
    top_value = pred_probs[np.arange(len(top)), top]
    return (top != labels) & ~given_label_is_top(labels, pred_probs, top, top_value)


def confident_counts(labels, pred_probs, thresholds, n_threads=None):
    """`confident_pass` without the floor on the diagonal.

    The counts of row blocks add up to those of the whole array, so a
    partitioned pass sums them and applies `floor_diagonal` once.
    """
    num_classes = pred_probs.shape[1]
    guess, is_counted, top, top_value = guess_true_labels(
        pred_probs, thresholds, n_threads=n_threads
    )
    joint = joint_of_guesses(labels, guess, is_counted, num_classes)
    is_off_diagonal = is_counted & (guess != labels)
    return joint, is_off_diagonal, top, top_value


def joint_of_guesses(labels, guess, is_counted, num_classes: int) -> np.ndarray:
    """(K, K) int64 counts of the counted rows by given label and guess."""
    cells = labels[is_counted].astype(np.int64) * num_classes + guess[is_counted]
    joint = np.bincount(cells, minlength=num_classes * num_classes)
    return joint.reshape(num_classes, num_classes).astype(np.int64, copy=False)


def floor_diagonal(joint: np.ndarray, copy: bool = True) -> np.ndarray:
    """The confident joint with every diagonal entry raised to at least 1.

    ``copy=False`` raises them in `joint` itself (for a caller that owns it).
    """
    if copy:
        joint = joint.copy()
    np.fill_diagonal(joint, np.maximum(np.diagonal(joint), 1))
    return joint


def calibrated_num_issues(counts, class_counts) -> np.int64:
    """``num_label_issues(estimation_method="off_diagonal_calibrated")`` from counts.

    `counts` is the uncalibrated confident joint without the diagonal floor (as
    `confident_counts` returns it, or the sum of those of row blocks) and
    `class_counts` the number of examples of each given label. The steps are
    the in-memory ones: floor the diagonal, calibrate, calibrate again as
    `estimate_joint` does, normalize, and round ``N * (1 - trace)``.
    """
    calibrated = calibrate_to_class_counts(floor_diagonal(counts), class_counts)
    calibrated = calibrate_to_class_counts(calibrated, class_counts)
    joint = calibrated / max(float(np.sum(calibrated)), TINY_VALUE)
    num_examples = np.sum(class_counts)
    return np.rint((1 - np.trace(joint)) * num_examples).astype(int)


def calibrate_to_class_counts(confident_joint, class_counts) -> np.ndarray:
    """Rescale a confident joint so its rows match the given class counts.

    Each row ``i`` is scaled to sum to ``class_counts[i]``, then the whole matrix
    to sum to N, and rows are rounded to integers preserving their totals (see
    `cleanlab.count.calibrate_confident_joint`).
    """
    confident_joint = np.asarray(confident_joint)
    class_counts = np.asarray(class_counts)
    row_sums = confident_joint.sum(axis=1)
    # A row without counts stays 0 (dividing it by 1 rather than by a tiny
    # number, which float32 would round to 0, giving NaN).
    row_sums[row_sums == 0] = 1
    # The operations of ``(cj / row_sums * class_counts) / total * N``, in this
    # order, on one K x K array where the dtype allows (large K: every fresh
    # K x K array costs its page faults).
    calibrated = confident_joint / row_sums[:, None]
    calibrated = _times(calibrated, class_counts[:, None])
    total = max(float(np.sum(calibrated)), TINY_VALUE)
    calibrated = _times(_divided(calibrated, total), np.sum(class_counts))
    return round_preserving_row_totals(calibrated, overwrite=True)


def _times(array: np.ndarray, factor) -> np.ndarray:
    """``array * factor``, in place when that keeps the result's dtype."""
    if np.result_type(array, factor) != array.dtype:
        return array * factor
    array *= factor
    return array


def _divided(array: np.ndarray, divisor) -> np.ndarray:
    """``array / divisor``, in place when that keeps the result's dtype."""
    if np.result_type(array, divisor) != array.dtype:
        return array / divisor
    array /= divisor
    return array
