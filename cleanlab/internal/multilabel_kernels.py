"""One-vs-rest confident learning for all classes of multi-label data at once.

Class ``k`` of multi-label data is the binary problem "has class k or not": labels
``Y[:, k]`` and probabilities ``[1 - p_k, p_k]``. cleanlab 2.9 solves the K binary
problems one after the other, copying `pred_probs` for each. These kernels solve a
block of classes together, as array operations over a transposed (classes x
examples) block: the thresholds of every class from one gather, the K binary
confident joints from a few counts, the pruning by one grouped selection. Every
arithmetic step is the one the single-label path takes on a binary problem, in
the same dtype (float32 stays float32), so the numbers agree bit for bit.

Conventions: ``present`` is a (B, N) block of ``P[:, k]`` (one row per class),
``absent`` is ``1 - present`` in the same dtype, ``onehot`` the (B, N) boolean
labels. Nothing here validates; the callers do.
"""

from typing import NamedTuple

import numpy as np
from scipy.special import xlogy

from cleanlab.internal.constants import (
    CLIPPING_LOWER_BOUND,
    CONFIDENT_THRESHOLDS_LOWER_BOUND,
    FLOATING_POINT_COMPARISON,
    MISSING_CLASS_THRESHOLD,
    TINY_VALUE,
)

__all__ = [
    "BinaryThresholds",
    "all_binary_thresholds",
    "binary_confident_joints",
    "binary_thresholds",
    "calibrate_binary_joints",
    "class_blocks",
    "class_label_scores",
    "confidence_weighted_entropy_of_pairs",
    "exponential_moving_average",
    "given_label_is_top",
    "keep_at_least_n_binary",
    "lowest_in_groups",
    "prune_counts_for_removal_binary",
    "round_pairs_preserving_sum",
    "softmin",
    "transposed_block",
]

# Bytes of one (classes x examples) float block: large enough to amortize the
# per-call overhead, small enough that a dozen temporaries stay modest.
BLOCK_BYTES = 8 << 20
# Rows of `pred_probs` scored at a time when all N examples are scored.
SCORE_CHUNK_BYTES = 8 << 20


class BinaryThresholds(NamedTuple):
    """The confident thresholds of K one-vs-rest problems.

    `values[k]` holds ``[absent, present]`` thresholds as float64 (exactly the
    values cleanlab 2.9 computes). `is_narrow[k]` says whether cleanlab 2.9 holds
    them in float32: for float32 `pred_probs` when class k is both present and
    absent somewhere; otherwise a 2.0 entry (side without examples) makes the pair
    float64, and the arithmetic that uses it is float64 too.
    """

    values: np.ndarray
    is_narrow: np.ndarray

    def cutoffs(self, dtype) -> np.ndarray:
        """Per class ``thresholds - 1e-6`` as (K, 2) values of `dtype` that compare
        (``>=``) against `dtype` probabilities exactly as cleanlab 2.9's do."""
        narrow = (
            self.values.astype(np.float32) - np.float32(FLOATING_POINT_COMPARISON)
        ).astype(np.float64)
        wide = self.values - FLOATING_POINT_COMPARISON
        cutoffs = np.where(self.is_narrow[:, None], narrow, wide)
        if dtype == np.float64:
            return cutoffs
        # The smallest float32 at or above each cutoff: v >= c32 iff v >= c64.
        rounded = cutoffs.astype(np.float32)
        below = rounded.astype(np.float64) < cutoffs
        rounded[below] = np.nextafter(rounded[below], np.float32(np.inf))
        return rounded

    def take(self, classes) -> "BinaryThresholds":
        """The thresholds of `classes` only (a slice or index array)."""
        return BinaryThresholds(self.values[classes], self.is_narrow[classes])

    @staticmethod
    def concatenate(parts) -> "BinaryThresholds":
        """The thresholds of consecutive blocks of classes, joined."""
        return BinaryThresholds(
            np.concatenate([p.values for p in parts]),
            np.concatenate([p.is_narrow for p in parts]),
        )


def class_blocks(num_examples: int, num_classes: int, itemsize: int) -> list[slice]:
    """Consecutive slices of classes, each block about `BLOCK_BYTES` large."""
    per_block = max(1, BLOCK_BYTES // max(1, num_examples * itemsize))
    return [
        slice(start, min(num_classes, start + per_block))
        for start in range(0, num_classes, per_block)
    ]


def transposed_block(pred_probs: np.ndarray, classes: slice):
    """``(present, absent)``: the (B, N) contiguous block ``P[:, classes].T`` and
    ``1 - present`` in the same dtype."""
    present = np.ascontiguousarray(pred_probs[:, classes].T)
    return present, 1 - present


def binary_thresholds(present, absent, onehot) -> BinaryThresholds:
    """The one-vs-rest confident thresholds of a block of classes.

    ``values[k] = [mean(1 - p) over examples without k, mean(p) over examples
    with k]``, each ``np.mean`` of the values in index order (so bit-identical
    to cleanlab 2.9), clipped below at 2e-6; a side without examples gets 2.0.
    """
    num_classes, num_examples = onehot.shape
    num_present = np.count_nonzero(onehot, axis=1)
    num_absent = num_examples - num_present
    # One gather per side for the whole block, class after class in index order;
    # each class's mean is then taken over a view of it.
    sides = (
        (absent[~onehot], num_absent),
        (present[onehot], num_present),
    )
    means = np.full((num_classes, 2), MISSING_CLASS_THRESHOLD)
    for side, (values, counts) in enumerate(sides):
        bounds = np.concatenate(([0], np.cumsum(counts)))
        for k in np.flatnonzero(counts):
            means[k, side] = np.mean(values[bounds[k] : bounds[k + 1]])
    is_narrow = np.full(num_classes, present.dtype == np.float32)
    is_narrow &= (num_present > 0) & (num_absent > 0)
    narrow = np.clip(
        means.astype(np.float32), np.float32(CONFIDENT_THRESHOLDS_LOWER_BOUND), None
    )
    wide = np.clip(means, CONFIDENT_THRESHOLDS_LOWER_BOUND, None)
    values = np.where(is_narrow[:, None], narrow.astype(np.float64), wide)
    return BinaryThresholds(values, is_narrow)


def binary_confident_joints(present, absent, onehot, cutoffs):
    """The uncalibrated binary confident joints of a block and their off-diagonals.

    Returns ``(joints, is_off_diagonal, predicts_present)``: `joints` (B, 2, 2)
    int64 indexed ``[class, given, guessed]`` with a diagonal of at least 1;
    `is_off_diagonal` (B, N) marks the counted examples whose guess differs from
    the given label; `predicts_present` (B, N) is the binary argmax
    (``p > 1 - p``). `cutoffs` are the (B, 2) values of
    `BinaryThresholds.cutoffs`.
    """
    is_confident_absent = absent >= cutoffs[:, :1]
    guess = present >= cutoffs[:, 1:]  # confident of "present"
    is_counted = is_confident_absent | guess
    predicts_present = present > absent
    # Confident of both sides: the guess is the binary argmax.
    guess &= ~is_confident_absent | predicts_present
    del is_confident_absent
    joints = np.empty((len(onehot), 2, 2), dtype=np.int64)
    for given, rows in ((0, ~onehot), (1, onehot)):
        counted = is_counted & rows
        joints[:, given, 1] = np.count_nonzero(counted & guess, axis=1)
        joints[:, given, 0] = np.count_nonzero(counted, axis=1) - joints[:, given, 1]
    for side in (0, 1):
        np.maximum(joints[:, side, side], 1, out=joints[:, side, side])
    is_off_diagonal = is_counted & (guess != onehot)
    return joints, is_off_diagonal, predicts_present


def given_label_is_top(present, absent, onehot) -> np.ndarray:
    """Whether each binary label is the argmax once its probability gains 1e-6.

    The one-vs-rest form of `count._reduce_issues`: the given side's probability
    is raised by 1e-6 in the dtype of `present`; "present" must then exceed
    "absent" (ties go to "absent", the first column).
    """
    eps = present.dtype.type(FLOATING_POINT_COMPARISON)
    return np.where(onehot, present + eps > absent, absent + eps >= present)


# ---------------------------------------------------------------------------
# 2 x 2 algebra for K classes at once: calibration and prune counts.
# ---------------------------------------------------------------------------


def round_pairs_preserving_sum(pairs: np.ndarray) -> np.ndarray:
    """`round_preserving_sum` of every pair ``pairs[..., :]`` (last axis of 2).

    Each entry is rounded half-to-even; if the pair's total is then off from its
    rounded total (by one at most), the entry with the largest (for +1) or
    smallest (for -1) rounding error moves, ties resolved like ``np.argsort``.
    """
    pairs = np.asarray(pairs, dtype=float)
    ints = np.round(pairs)
    target = np.round(pairs[..., 0] + pairs[..., 1])
    difference = np.round(target - (ints[..., 0] + ints[..., 1]))
    error = pairs - ints
    second_is_larger = error[..., 0] <= error[..., 1]
    # +1 goes to the last of argsort(error), -1 to the first.
    position = np.where(difference > 0, second_is_larger, ~second_is_larger)
    step = np.sign(difference)
    ints[..., 0] += np.where(position, 0, step)
    ints[..., 1] += np.where(position, step, 0)
    return ints.astype(np.int64)


def calibrate_binary_joints(joints: np.ndarray, class_counts: np.ndarray):
    """`count.calibrate_confident_joint` of each binary joint, for K at once.

    `joints` (K, 2, 2) ``[class, given, guessed]``; `class_counts` (K, 2) the
    number of examples without / with each class.
    """
    class_counts = np.asarray(class_counts)
    row_sums = np.maximum(joints.sum(axis=2), TINY_VALUE)
    calibrated = joints / row_sums[:, :, None] * class_counts[:, :, None]
    totals = calibrated.reshape(len(joints), 4).sum(axis=1)
    calibrated = (
        calibrated
        / np.maximum(totals, TINY_VALUE)[:, None, None]
        * class_counts.sum(axis=1)[:, None, None]
    )
    return round_pairs_preserving_sum(calibrated)


def keep_at_least_n_binary(prune_counts, n: int, frac_noise: float = 1.0):
    """`filter._keep_at_least_n_per_class` of each (2, 2) ``[true, given]`` matrix."""
    matrix = np.asarray(prune_counts)
    diagonal = np.diagonal(matrix, axis1=1, axis2=2)
    new_diagonal = np.maximum(diagonal, n)
    increase = new_diagonal - diagonal
    num_nonzero = np.maximum(np.count_nonzero(matrix, axis=1) - 1, 1)
    adjusted = matrix - (increase / num_nonzero)[:, None, :]
    adjusted[adjusted < 0] = 0
    for j in (0, 1):
        adjusted[:, j, j] = new_diagonal[:, j]
    # `_reduce_prune_counts`: scale the off-diagonal, keep column totals.
    reduced = adjusted * frac_noise
    for j in (0, 1):
        other = adjusted[:, 1 - j, j]
        reduced[:, j, j] = adjusted[:, j, j] + (other - reduced[:, 1 - j, j])
    return reduced.astype(int)


def prune_counts_for_removal_binary(prune_counts, remove, class_counts):
    """`filter._prune_counts_for_removal` of each (2, 2) prune count matrix.

    `remove` (K, 2) holds each binary problem's removal counts; a zero divisor
    means nothing to remove in that cell.
    """
    remove = np.asarray(remove)
    row_sums = prune_counts.sum(axis=2).astype(float)[:, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(row_sums > 0, prune_counts / row_sums, 0.0)
        diagonal = np.diagonal(rates, axis1=1, axis2=2)
        off_diagonal = (rates[:, :, 0] + rates[:, :, 1] - diagonal)[:, :, None]
        target = np.where(
            off_diagonal > 0, rates * remove[:, :, None] / off_diagonal, 0.0
        )
    for j in (0, 1):
        target[:, j, j] = class_counts[:, j] - remove[:, j]
    return round_pairs_preserving_sum(target)


# ---------------------------------------------------------------------------
# Grouped selection: the first `count` of ``np.argsort`` within each group.
# ---------------------------------------------------------------------------


def lowest_in_groups(keys, in_group, counts, exact_key=None) -> np.ndarray:
    """Per row ``r``, mark the members of `in_group[r]` among the first `counts[r]`
    of ``np.argsort(keys[r][in_group[r]])`` (the members taken in index order).

    One partition and one small sort cover all rows. Only a row where equal keys
    straddle the cut (so that the set depends on how ``np.argsort`` orders ties)
    falls back to ``np.argsort`` of its members' keys, computed by
    ``exact_key(r, members)`` when given (it must order like `keys` and be the
    very array whose tie order is wanted).
    """
    num_rows, size = keys.shape
    is_chosen = np.zeros(keys.shape, dtype=bool)
    counts = np.minimum(counts, np.count_nonzero(in_group, axis=1))
    rows = np.flatnonzero(counts > 0)
    if len(rows) == 0:
        return is_chosen
    if len(rows) == num_rows:
        masked = np.where(in_group, keys, np.inf)
    else:
        masked = np.where(in_group[rows], keys[rows], np.inf)
    wanted = counts[rows]
    largest = int(wanted.max())
    candidates = masked
    if largest < size:
        candidates = np.partition(masked, largest - 1, axis=1)[:, :largest]
    candidates = np.sort(candidates, axis=1)
    cut = candidates[np.arange(len(rows)), wanted - 1][:, None]
    del candidates
    chosen = masked <= cut
    del masked
    for i in np.flatnonzero(np.count_nonzero(chosen, axis=1) != wanted):
        row = rows[i]
        members = np.flatnonzero(in_group[row])
        key = keys[row, members] if exact_key is None else exact_key(row, members)
        chosen[i] = False
        chosen[i, members[np.argsort(key)[: wanted[i]]]] = True
    is_chosen[rows] = chosen
    return is_chosen


# ---------------------------------------------------------------------------
# Per-class label quality scores and their aggregation over classes.
# ---------------------------------------------------------------------------


def class_label_scores(
    onehot: np.ndarray,
    pred_probs: np.ndarray,
    method: str = "self_confidence",
    thresholds: BinaryThresholds | None = None,
) -> np.ndarray:
    """The (n, K) float64 scores of every class's binary label, all classes at once.

    Column ``k`` equals `cleanlab.rank.get_label_quality_scores` of the binary
    problem of class ``k`` (`method`), on probabilities adjusted by `thresholds`
    when given (``adjust_pred_probs``; not for confidence-weighted entropy).
    Computed in the dtype cleanlab 2.9 uses for each class, stored as float64.
    """
    absent = 1 - pred_probs
    if thresholds is not None:
        return _adjusted_scores(onehot, pred_probs, absent, method, thresholds)
    given = np.where(onehot, pred_probs, absent)
    if method == "self_confidence":
        return given.astype(np.float64, copy=False)
    other = np.where(onehot, absent, pred_probs)
    if method == "normalized_margin":
        return ((given - other + 1) / 2).astype(np.float64, copy=False)
    return confidence_weighted_entropy_of_pairs(given, other)


def _adjusted_scores(onehot, present, absent, method, thresholds):
    """Scores after ``p - t + max(t)`` and renormalization of each binary row."""
    scores = np.empty(present.shape, dtype=np.float64)
    for is_narrow in (True, False):
        columns = np.flatnonzero(thresholds.is_narrow == is_narrow)
        if len(columns) == 0:
            continue
        dtype = np.float32 if is_narrow else np.float64
        values = thresholds.values[columns].astype(dtype)
        adjusted = [
            absent[:, columns] - values[:, 0],
            present[:, columns] - values[:, 1],
        ]
        top = values.max(axis=1)
        for side in adjusted:
            side += top
        total = adjusted[0] + adjusted[1]
        adjusted[0] /= total
        adjusted[1] /= total
        labels = onehot[:, columns]
        given = np.where(labels, adjusted[1], adjusted[0])
        if method == "normalized_margin":
            other = np.where(labels, adjusted[0], adjusted[1])
            given = (given - other + 1) / 2
        scores[:, columns] = given
    return scores


def confidence_weighted_entropy_of_pairs(given, other) -> np.ndarray:
    """``log(r + 1) / max(r, 1e-6)``, ``r = H / max(given, 1e-6)``, elementwise for
    binary rows ``[given, other]`` of any shape (float64 result)."""
    for values in (given, other):
        lowest, highest = (values.min(), values.max()) if values.size else (0, 1)
        if lowest < 0 or highest > 1:
            bad = lowest if lowest < 0 else highest
            msg = (
                "All probabilities are required to be in the interval [0, 1]. "
                f"The one-vs-rest probabilities of `pred_probs` hold {bad}."
            )
            raise ValueError(msg)
    entropy = -(xlogy(given, given) + xlogy(other, other)) / np.log(2)
    ratio = entropy / np.clip(given, CLIPPING_LOWER_BOUND, None)
    scores = np.log(ratio + 1) / np.clip(ratio, CLIPPING_LOWER_BOUND, None)
    # Zero entropy (a one-hot binary row): 1.0 on the given side, else 0.0.
    is_one_hot = ratio == 0
    scores[is_one_hot] = given[is_one_hot]
    return scores


def exponential_moving_average(
    s: np.ndarray, *, alpha: float | None = None, axis: int = 1, **_
) -> np.ndarray:
    """Aggregate each row of scores, the lowest weighing most.

    The row is sorted in decreasing order ``s_1 >= ... >= s_K``; the average
    starts at ``s_1`` and becomes ``alpha * s_t + (1 - alpha) * average`` for each
    next score. `alpha` None means ``2 / (K + 1)``; 1 gives the minimum, 0 the
    maximum. Other keyword arguments are ignored.
    """
    s = np.asarray(s)
    ordered = np.sort(s, axis=axis)
    ordered = np.moveaxis(ordered, axis, -1)
    num_scores = ordered.shape[-1]
    if alpha is None:
        alpha = float(2 / (num_scores + 1))
    if not 0 <= alpha <= 1:
        msg = f"alpha must be in the interval [0, 1], got {alpha}"
        raise ValueError(msg)
    average = ordered[..., -1]
    for t in range(num_scores - 2, -1, -1):
        average = alpha * ordered[..., t] + (1 - alpha) * average
    return average


def softmin(
    s: np.ndarray, *, temperature: float = 0.1, axis: int = 1, **_
) -> np.ndarray:
    """Weighted mean of each row, weights ``softmax((1 - s) / temperature)``.

    Low scores dominate as `temperature` goes to 0. Other keyword arguments are
    ignored.
    """
    s = np.asarray(s)
    logits = (1 - s) / max(temperature, CLIPPING_LOWER_BOUND)
    logits = logits - logits.max(axis=axis, keepdims=True)
    weights = np.exp(logits)
    weights = weights / weights.sum(axis=axis, keepdims=True)
    return np.sum(s * weights, axis=axis)


def all_binary_thresholds(onehot: np.ndarray, pred_probs: np.ndarray):
    """`binary_thresholds` of every class, computed a block of classes at a time."""
    parts = []
    for classes in class_blocks(*pred_probs.shape, pred_probs.itemsize):
        present, absent = transposed_block(pred_probs, classes)
        labels = np.ascontiguousarray(onehot[:, classes].T)
        parts.append(binary_thresholds(present, absent, labels))
    return BinaryThresholds.concatenate(parts)
