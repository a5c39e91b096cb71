"""One-vs-rest helpers for multi-label data (labels given as lists of class lists)."""

import numpy as np

__all__ = [
    "exponential_moving_average",
    "get_onehot_num_classes",
    "int2onehot",
    "multilabel_scores",
    "one_vs_rest",
    "onehot2int",
    "stack_complement",
]


def stack_complement(pred_prob_slice: np.ndarray) -> np.ndarray:
    """The (N, 2) binary probabilities ``[1 - p, p]`` of one class's column `p`."""
    return np.vstack((1 - pred_prob_slice, pred_prob_slice)).T


def int2onehot(labels: list, K: int) -> np.ndarray:
    """An (N, K) int 0/1 matrix with a 1 where the example's list holds the class.

    Raises ``ValueError`` for a class index outside ``0..K-1``.
    """
    onehot = np.zeros((len(labels), K), dtype=int)
    lengths = np.fromiter(
        (len(row) for row in labels), dtype=np.int64, count=len(labels)
    )
    if lengths.sum() == 0:
        return onehot
    flat = np.fromiter((v for row in labels for v in row), dtype=np.int64)
    if flat.min() < 0 or flat.max() >= K:
        bad = flat[(flat < 0) | (flat >= K)][0]
        msg = f"`labels` holds class {bad}, outside 0..{K - 1} (K = {K} classes)."
        raise ValueError(msg)
    onehot[np.repeat(np.arange(len(labels)), lengths), flat] = 1
    return onehot


def onehot2int(onehot_matrix: np.ndarray) -> list[list[int]]:
    """The list of class lists of a one-hot matrix (inverse of `int2onehot`)."""
    return [np.flatnonzero(row).tolist() for row in np.asarray(onehot_matrix)]


def get_onehot_num_classes(labels, pred_probs=None) -> tuple[np.ndarray, int]:
    """One-hot `labels` and K (from `pred_probs` if given, else the labels)."""
    if pred_probs is not None:
        num_classes = pred_probs.shape[1]
    else:
        present = [v for row in labels for v in row]
        num_classes = len(set(present))
    try:
        onehot = int2onehot(labels, num_classes)
    except TypeError as err:
        msg = (
            "wrong format for labels, should be a list of list[indices], please "
            "check the documentation."
        )
        raise ValueError(msg) from err
    return onehot, num_classes


def one_vs_rest(onehot: np.ndarray, pred_probs: np.ndarray):
    """Yield ``(k, binary_labels, binary_pred_probs)`` for each class ``k``.

    The binary problem of class ``k``: label 1 if the example has the class, and
    probabilities ``[1 - p, p]`` from column ``k`` of `pred_probs`.
    """
    for k in range(pred_probs.shape[1]):
        yield k, onehot[:, k], stack_complement(pred_probs[:, k])


def exponential_moving_average(scores: np.ndarray, alpha: float = 0.8) -> np.ndarray:
    """Aggregate each row of an (N, K) score matrix into one score.

    The row is sorted in decreasing order ``s_1 >= ... >= s_K``; the average
    starts at ``s_1`` and takes ``alpha * s_t + (1 - alpha) * average`` for each
    next score, so the lowest scores weigh most.
    """
    ordered = -np.sort(-scores, axis=1)
    average = ordered[:, 0]
    for t in range(1, ordered.shape[1]):
        average = alpha * ordered[:, t] + (1 - alpha) * average
    return average


def multilabel_scores(onehot, pred_probs, base_scorer, **base_scorer_kwargs):
    """Per-example multi-label quality: `base_scorer` on every class's one-vs-rest
    problem, aggregated over classes by `exponential_moving_average`.

    ``base_scorer(binary_labels, binary_pred_probs, **base_scorer_kwargs)`` must
    return one score per example.
    """
    per_class = np.column_stack(
        [
            base_scorer(labels, probs, **base_scorer_kwargs)
            for _, labels, probs in one_vs_rest(onehot, pred_probs)
        ]
    )
    return exponential_moving_average(per_class)
