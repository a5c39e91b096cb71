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
)

__all__ = [
    "class_groups",
    "confident_pass",
    "confident_thresholds",
    "guess_true_labels",
    "given_label_is_top",
    "self_confidence",
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


def confident_thresholds(labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    """Per-class mean self-confidence, clipped below at 2e-6 (2.0 for absent classes).

    Each class mean is ``np.mean`` over that class's self-confidences in index
    order, in the dtype of `pred_probs`: this reproduces cleanlab 2.9's numbers
    bit for bit. Like cleanlab 2.9, the result is float32 for float32 input when
    every class occurs and float64 when some class is absent (its 2.0 entry is a
    Python float); the thresholds' dtype decides how borderline probabilities
    compare against them, so it is kept.
    """
    num_classes = pred_probs.shape[1]
    confidence = self_confidence(labels, pred_probs)
    order, bounds = class_groups(labels, num_classes)
    grouped = confidence[order]
    means = [
        np.mean(grouped[bounds[k] : bounds[k + 1]])
        if bounds[k + 1] > bounds[k]
        else MISSING_CLASS_THRESHOLD
        for k in range(num_classes)
    ]
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
        confident = chunk[unsure] >= cutoffs
        num_confident = np.count_nonzero(confident, axis=1)
        is_counted[unsure] = num_confident > 0
        single = num_confident == 1
        guess[unsure[single]] = confident[single].argmax(axis=1)
    return guess, is_counted, top, top_value


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
    raised = self_confidence(labels, pred_probs) + pred_probs.dtype.type(
        FLOATING_POINT_COMPARISON
    )
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
    num_classes = pred_probs.shape[1]
    if thresholds is None:
        thresholds = confident_thresholds(labels, pred_probs)
    guess, is_counted, top, top_value = guess_true_labels(
        pred_probs, thresholds, n_threads=n_threads
    )
    given = labels[is_counted]
    cells = given * num_classes + guess[is_counted]
    joint = np.bincount(cells, minlength=num_classes * num_classes)
    joint = joint.reshape(num_classes, num_classes).astype(np.int64, copy=False)
    np.fill_diagonal(joint, np.maximum(np.diagonal(joint), 1))
    is_off_diagonal = is_counted & (guess != labels)
    return joint, is_off_diagonal, top, top_value
