"""Find the examples whose given label is likely wrong.

`find_label_issues` is the main detector of confident learning: it estimates how
many examples of each given class truly belong to each other class (the
confident joint) and flags that many of the least likely ones. Two simple
baselines sit beside it.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from cleanlab.count import calibrate_confident_joint
from cleanlab.internal.chunking import default_threads
from cleanlab.internal.confident_learning import (
    calibrate_to_class_counts,
    class_groups,
    confident_issues,
    confident_pass,
    floor_diagonal,
    given_label_is_top,
    predicted_neq_given,
)
from cleanlab.internal.constants import (
    FILTER_BY,
    LOW_SCORE_METHODS,
    PRUNE_METHODS,
    RANK_BY,
)
from cleanlab.internal.containers import is_dask_array
from cleanlab.internal.errors import TooFewExamplesWarning, user_stacklevel
from cleanlab.internal.label_quality_utils import check_scoring_options
from cleanlab.internal.multilabel_filter import find_multilabel_issues
from cleanlab.internal.multilabel_utils import (
    check_multi_label_list,
    check_multilabel_inputs,
)
from cleanlab.internal.selection import first_of_argsort, first_of_argsort_rows
from cleanlab.internal.util import round_preserving_row_totals, truncate_in_place
from cleanlab.internal.validation import (
    assert_valid_inputs,
    check_n_jobs,
    check_option,
    check_square_counts,
    holds_only_class_zero,
    is_integer,
    labels_to_array,
    validate_labels_and_pred_probs,
)
from cleanlab.rank import (
    _check_rank_by_kwargs,
    _compute_label_quality_scores,
    _order_flagged,
)

if TYPE_CHECKING:
    from cleanlab.typing import LabelLike

__all__ = [
    "find_label_issues",
    "find_label_issues_using_argmax_confusion_matrix",
    "find_predicted_neq_given",
]


def find_label_issues(
    labels: LabelLike,
    pred_probs: np.ndarray,
    *,
    return_indices_ranked_by: str | None = None,
    rank_by_kwargs: dict | None = None,
    filter_by: str = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class: list[int] | int | None = None,
    min_examples_per_class=1,
    confident_joint: np.ndarray | None = None,
    n_jobs: int | None = None,
    verbose: bool = False,
    multi_label: bool = False,
) -> np.ndarray:
    """Flag the examples whose given label is likely wrong.

    Parameters
    ----------
    labels : array_like of shape (N,)
        Given label of each example, an integer in ``0..K-1`` (list, ndarray,
        pandas Series or single-column DataFrame). For ``multi_label=True`` a
        list of lists of class indices.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probabilities, float32 or float64; column ``k`` is class
        ``k``. A Dask array chunked by rows (with `labels` in memory or a Dask array of
        the same row chunks) is processed on the Dask cluster, with the same result; see
        docs/scaling.md. The result is then a numpy array, as here.
    return_indices_ranked_by : {None, "self_confidence", "normalized_margin", \
"confidence_weighted_entropy"}, default=None
        None returns a boolean mask; otherwise the indices of the flagged
        examples, most likely mislabeled first, by this label quality score.
    rank_by_kwargs : dict, optional
        Extra keyword arguments of `cleanlab.rank.get_label_quality_scores`
        used for the ranking (e.g. ``{"adjust_pred_probs": True}``).
    filter_by : str, default="prune_by_noise_rate"
        How issues are chosen: ``"prune_by_noise_rate"`` removes, for every
        off-diagonal cell (given k, true j) of the confident joint, that many
        given-k examples with the largest margin ``P[:, j] - P[:, k]``;
        ``"prune_by_class"`` removes the lowest self-confidence examples of each
        class; ``"both"`` is their intersection; ``"confident_learning"`` takes the
        off-diagonal examples of the confident joint; ``"predicted_neq_given"``
        those whose argmax differs from the label; ``"low_normalized_margin"`` and
        ``"low_self_confidence"`` the `num_label_issues` lowest-scoring examples.
    frac_noise : float, default=1.0
        Fraction of the estimated issues to flag, in [0, 1] (prune methods only).
    num_to_remove_per_class : int or sequence of K ints, optional
        Number of issues to flag in each class (prune methods only).
    min_examples_per_class : int, default=1
        Never leave a class with fewer examples than this (prune methods only).
    confident_joint : np.ndarray of shape (K, K), optional
        A precomputed (calibrated) confident joint, used as it is.
    n_jobs : int, optional
        Number of threads for the passes over `pred_probs` (default: the usable
        cores). Never changes the result.
    verbose : bool, default=False
        Print the number of issues found.
    multi_label : bool, default=False
        Deprecated: use `cleanlab.multilabel_classification.filter`.

    Returns
    -------
    label_issues : np.ndarray
        Boolean mask of shape (N,), or int64 indices ranked most suspicious first
        when `return_indices_ranked_by` is set.

    Raises
    ------
    ValueError
        For invalid `labels` or `pred_probs` (NaN, inf, values outside [0, 1],
        mismatched lengths, ...) or option values. Options that cleanlab 2.9
        checked with ``assert`` raise `InvalidOptionError`, both a ``ValueError``
        and an ``AssertionError``.

    Warns
    -----
    TooFewExamplesWarning
        When a class has no more than `min_examples_per_class` examples, so some
        of its issues may go unflagged.
    PredProbsNormalizationWarning
        When rows of `pred_probs` do not sum to 1.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.filter import find_label_issues
    >>> pred_probs = np.array(
    ...     [[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.2, 0.8], [0.3, 0.7], [0.9, 0.1]]
    ... )
    >>> find_label_issues([0, 0, 0, 1, 1, 1], pred_probs)
    array([False, False, False, False, False,  True])
    """
    rank_by_kwargs = rank_by_kwargs or {}
    check_option("filter_by", filter_by, FILTER_BY)
    check_option("return_indices_ranked_by", return_indices_ranked_by, RANK_BY)
    _check_rank_by_kwargs(rank_by_kwargs)
    check_n_jobs(n_jobs)
    _check_prune_options(frac_noise, min_examples_per_class)
    if confident_joint is not None and not multi_label:
        confident_joint = _check_confident_joint(confident_joint, pred_probs)
    if is_dask_array(labels) or is_dask_array(pred_probs):
        return _find_label_issues_dask(
            labels,
            pred_probs,
            return_indices_ranked_by=return_indices_ranked_by,
            rank_by_kwargs=rank_by_kwargs,
            filter_by=filter_by,
            frac_noise=frac_noise,
            num_to_remove_per_class=num_to_remove_per_class,
            min_examples_per_class=min_examples_per_class,
            confident_joint=confident_joint,
            verbose=verbose,
            multi_label=multi_label,
        )
    if multi_label:
        warnings.warn(
            "`find_label_issues(multi_label=True)` is deprecated; use "
            "cleanlab.multilabel_classification.filter.find_label_issues() instead.",
            DeprecationWarning,
            stacklevel=user_stacklevel(),
        )
        # Same implementation as multilabel_classification.filter.find_label_issues.
        onehot, pred_probs = _check_multilabel_inputs(labels, pred_probs)
        return find_multilabel_issues(
            onehot,
            pred_probs,
            return_indices_ranked_by=return_indices_ranked_by,
            rank_by_kwargs=rank_by_kwargs,
            filter_by=filter_by,
            frac_noise=frac_noise,
            num_to_remove_per_class=num_to_remove_per_class,
            min_examples_per_class=min_examples_per_class,
            confident_joint=confident_joint,
            n_jobs=n_jobs,
            verbose=verbose,
        )
    labels = _check_labels(labels, pred_probs)
    _warn_unused_options(
        filter_by, frac_noise, num_to_remove_per_class, confident_joint
    )
    is_issue = _FILTERS[filter_by](
        labels,
        pred_probs,
        filter_by=filter_by,
        confident_joint=confident_joint,
        frac_noise=frac_noise,
        num_to_remove_per_class=num_to_remove_per_class,
        min_examples_per_class=min_examples_per_class,
        n_threads=n_jobs or default_threads(),
    )
    if verbose:
        print(f"Number of label issues found: {is_issue.sum()}")
    if return_indices_ranked_by is None:
        return is_issue
    return _order_flagged(
        np.flatnonzero(is_issue),
        labels,
        pred_probs,
        return_indices_ranked_by,
        **rank_by_kwargs,
    )


def _check_labels(labels, pred_probs) -> np.ndarray:
    """Validate single-label input; return the labels as an int64 array."""
    # A one-vs-rest sub-problem may have no positive example: all labels 0.
    return validate_labels_and_pred_probs(
        labels, pred_probs, allow_one_class=holds_only_class_zero(labels)
    )


def _check_prune_options(frac_noise, min_examples_per_class) -> None:
    if not 0 <= frac_noise <= 1:
        msg = f"`frac_noise` must be in [0, 1]; got {frac_noise}."
        raise ValueError(msg)
    if not is_integer(min_examples_per_class) or min_examples_per_class < 0:
        msg = (
            "`min_examples_per_class` must be a non-negative integer; got "
            f"{min_examples_per_class!r}."
        )
        raise ValueError(msg)


def _check_confident_joint(confident_joint, pred_probs) -> np.ndarray:
    """A user's K x K confident joint, K being the number of columns of `pred_probs`."""
    confident_joint = check_square_counts(confident_joint)
    num_classes = np.shape(pred_probs)[-1] if np.ndim(pred_probs) == 2 else None
    if num_classes is not None and len(confident_joint) != num_classes:
        msg = (
            f"`confident_joint` is {len(confident_joint)} x {len(confident_joint)} "
            f"but `pred_probs` has {num_classes} columns: both must describe the "
            "same K classes."
        )
        raise ValueError(msg)
    return confident_joint


def _warn_unused_options(filter_by, frac_noise, num_to_remove_per_class, joint):
    """Warn about (or reject) options the chosen `filter_by` does not use."""
    if filter_by in PRUNE_METHODS:
        return
    if frac_noise != 1.0 or num_to_remove_per_class is not None:
        warnings.warn(
            "frac_noise and num_to_remove_per_class parameters are only supported "
            "for filter_by 'prune_by_noise_rate', 'prune_by_class', and 'both'. "
            f"They are not used by filter_by={filter_by!r}.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    if num_to_remove_per_class is not None:
        msg = (
            f"filter_by '{filter_by}' is not supported (yet) when setting "
            "'num_to_remove_per_class'; use one of 'prune_by_noise_rate', "
            "'prune_by_class' or 'both'."
        )
        raise ValueError(msg)
    if filter_by == "confident_learning" and isinstance(joint, np.ndarray):
        warnings.warn(
            "The supplied `confident_joint` is ignored when filter_by = "
            "'confident_learning': it is recomputed from `labels` and `pred_probs`.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )


# ---------------------------------------------------------------------------
# One function per `filter_by`; each returns the boolean mask of issues.
# ---------------------------------------------------------------------------


def _filter_by_pruning(
    labels,
    pred_probs,
    *,
    filter_by,
    confident_joint,
    frac_noise,
    num_to_remove_per_class,
    min_examples_per_class,
    n_threads,
):
    """`prune_by_noise_rate`, `prune_by_class` and `both`."""
    num_classes = pred_probs.shape[1]
    class_counts = np.bincount(labels, minlength=num_classes)
    top = top_value = None
    if confident_joint is None:
        confident_joint, _, top, top_value = confident_pass(
            labels, pred_probs, n_threads=n_threads
        )
        confident_joint = calibrate_confident_joint(confident_joint, labels)
    prune_counts = _keep_at_least_n_per_class(
        np.asarray(confident_joint).T, n=min_examples_per_class, frac_noise=frac_noise
    )
    if num_to_remove_per_class is not None:
        prune_counts = _prune_counts_for_removal(
            prune_counts, num_to_remove_per_class, class_counts
        )
    is_issue = _prune_each_class(
        labels,
        pred_probs,
        prune_counts,
        min_examples_per_class,
        by_class=filter_by in ("prune_by_class", "both"),
        by_noise_rate=filter_by in ("prune_by_noise_rate", "both"),
        n_threads=n_threads,
    )
    return is_issue & ~given_label_is_top(labels, pred_probs, top, top_value)


def _filter_by_confident_learning(labels, pred_probs, *, n_threads, **_):
    """The off-diagonal examples of the confident joint."""
    return confident_issues(labels, pred_probs, n_threads=n_threads)[2]


def _filter_by_predicted_neq_given(labels, pred_probs, **_):
    """Examples whose argmax differs from the label, beyond a 1e-6 near-tie."""
    return predicted_neq_given(labels, pred_probs)


def _filter_by_low_score(labels, pred_probs, *, filter_by, n_threads, **_):
    """The `num_label_issues` examples with the lowest label quality score."""
    scores = _compute_label_quality_scores(
        labels, pred_probs, method=LOW_SCORE_METHODS[filter_by]
    )
    num_issues = np.count_nonzero(
        _filter_by_confident_learning(labels, pred_probs, n_threads=n_threads)
    )
    is_issue = np.zeros(len(labels), dtype=bool)
    is_issue[first_of_argsort(scores, num_issues)] = True
    return is_issue


_FILTERS = {
    "prune_by_noise_rate": _filter_by_pruning,
    "prune_by_class": _filter_by_pruning,
    "both": _filter_by_pruning,
    "confident_learning": _filter_by_confident_learning,
    "predicted_neq_given": _filter_by_predicted_neq_given,
    "low_normalized_margin": _filter_by_low_score,
    "low_self_confidence": _filter_by_low_score,
}


def _prune_each_class(
    labels,
    pred_probs,
    prune_counts,
    min_examples_per_class,
    *,
    by_class,
    by_noise_rate,
    n_threads=1,
):
    """Apply the per-class pruning rules; AND of the two rules when both are on.

    `prune_counts` is indexed ``[true, given]``: column ``k`` says how many
    examples given label ``k`` to remove (diagonal: how many to keep). Classes
    are processed on up to `n_threads` threads; the result does not depend on it.
    """
    num_classes = pred_probs.shape[1]
    order, bounds = class_groups(labels, num_classes)
    pruned_classes = _classes_to_prune(
        np.diff(bounds), min_examples_per_class, by_class, by_noise_rate
    )

    def prune(k):
        rows = order[bounds[k] : bounds[k + 1]]
        flagged = np.ones(len(rows), dtype=bool)
        if by_class:
            flagged &= _least_confident(pred_probs, rows, k, prune_counts)
        if by_noise_rate:
            flagged &= _largest_margins(pred_probs, rows, k, prune_counts)
        return rows[flagged]

    if n_threads <= 1 or len(pruned_classes) <= 1:
        flagged_rows = [prune(k) for k in pruned_classes]
    else:
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            flagged_rows = list(pool.map(prune, pruned_classes))
    is_issue = np.zeros(len(labels), dtype=bool)
    for rows in flagged_rows:
        is_issue[rows] = True
    return is_issue


def _classes_to_prune(class_sizes, min_examples_per_class, by_class, by_noise_rate):
    """The classes to prune; warns about those with too few examples."""
    pruned_classes = []
    for k, size in enumerate(class_sizes):
        if size <= min_examples_per_class:
            _warn_too_few(k, size, by_class, by_noise_rate)
        elif size > 1:  # a lone example of its class is never flagged
            pruned_classes.append(k)
    return pruned_classes


def _least_confident(pred_probs, rows, k, prune_counts) -> np.ndarray:
    """Mask (over `rows`) of the class-k examples flagged by the by-class rule: the
    ``len(rows) - prune_counts[k, k]`` with the lowest ``P[:, k]``."""
    flagged = np.zeros(len(rows), dtype=bool)
    num_remove = len(rows) - prune_counts[k, k]
    if num_remove >= 1:
        flagged[first_of_argsort(pred_probs[rows, k], num_remove)] = True
    return flagged


def _largest_margins(pred_probs, rows, k, prune_counts) -> np.ndarray:
    """Mask (over `rows`) of the class-k examples flagged by the noise-rate rule.

    For every other class j with ``c = prune_counts[j, k] > 0``, the `c` examples
    with the largest margin ``P[:, j] - P[:, k]`` (``np.argsort(-margin)`` order).
    """
    counts = prune_counts[:, k].copy()
    counts[k] = 0
    others = np.flatnonzero(counts > 0)
    flagged = np.zeros(len(rows), dtype=bool)
    if len(others) == 0:
        return flagged
    # Columns in groups, so the working arrays stay near _BLOCK_BYTES.
    group = max(1, _BLOCK_BYTES // (len(rows) * pred_probs.itemsize))
    whole_rows = len(rows) * pred_probs.shape[1] * pred_probs.itemsize <= _BLOCK_BYTES
    if whole_rows:
        by_column = pred_probs[rows].T  # (K, n_k) view of one contiguous copy
        given = by_column[k]
    else:
        given = pred_probs[rows, k]
    for start in range(0, len(others), group):
        columns = others[start : start + group]
        if whole_rows:
            selected = by_column[columns]
        else:
            selected = pred_probs[np.ix_(rows, columns)].T
        # given - P[:, j] orders like cleanlab 2.9's -(P[:, j] - P[:, k]); the
        # latter is rebuilt exactly for rows whose ties need np.argsort.
        is_top = first_of_argsort_rows(
            given - selected,
            counts[columns],
            exact_row=lambda i, selected=selected: -(selected[i] - given),
        )
        flagged |= is_top.any(axis=0)
    return flagged


# Working-set size of one block of `pred_probs` rows in the pruning loop.
_BLOCK_BYTES = 32 << 20


def _warn_too_few(k, num_examples, by_class, by_noise_rate) -> None:
    # A class without examples has no issues to miss: no warning for it.
    if num_examples == 0:
        return
    if by_class:
        warnings.warn(
            f"May not flag all label issues in class: {k}, it has too few examples "
            "(see argument: `min_examples_per_class`)",
            TooFewExamplesWarning,
            stacklevel=user_stacklevel(),
        )
    if by_noise_rate:
        warnings.warn(
            f"May not flag all label issues in class: {k}, it has too few examples "
            "(see `min_examples_per_class` argument)",
            TooFewExamplesWarning,
            stacklevel=user_stacklevel(),
        )


def _prune_counts_for_removal(prune_counts, num_to_remove_per_class, class_counts):
    """Prune counts that remove `num_to_remove_per_class` examples of each class.

    Keeps cleanlab 2.9's normalization, which divides entry ``[i, j]`` by the sum
    of row ``j``; where a divisor is zero the cell has nothing to remove (the
    reference produced NaN there).
    """
    num_classes = len(class_counts)
    remove = np.broadcast_to(np.asarray(num_to_remove_per_class), (num_classes,))
    if remove.dtype.kind not in "iu" or (remove < 0).any():
        msg = (
            "`num_to_remove_per_class` must be a non-negative integer or a sequence "
            f"of {num_classes} of them; got {num_to_remove_per_class!r}."
        )
        raise ValueError(msg)
    row_sums = prune_counts.sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(row_sums > 0, prune_counts / row_sums, 0.0)
        off_diagonal = (rates.sum(axis=1) - np.diagonal(rates))[:, None]
        target = np.where(off_diagonal > 0, rates * remove[:, None] / off_diagonal, 0.0)
    np.fill_diagonal(target, class_counts - remove)
    return round_preserving_row_totals(target)


def _keep_at_least_n_per_class(
    prune_count_matrix: np.ndarray, n: int, *, frac_noise: float = 1.0
) -> np.ndarray:
    """Lower the prune counts so that every class keeps at least `n` examples.

    `prune_count_matrix` is indexed ``[true, given]``. The diagonal (examples kept)
    is raised to at least `n`, the increase taken evenly from the column's other
    non-zero entries; then `frac_noise` scales the off-diagonal counts.
    """
    matrix = np.asarray(prune_count_matrix)
    diagonal = np.diagonal(matrix)
    new_diagonal = np.maximum(diagonal, n)
    increase = new_diagonal - diagonal
    num_nonzero = np.maximum(np.count_nonzero(matrix, axis=0) - 1, 1)
    adjusted = matrix - increase / num_nonzero
    np.maximum(adjusted, 0, out=adjusted)
    np.fill_diagonal(adjusted, new_diagonal)
    # Already whole numbers: a row-total-preserving rounding would change nothing.
    return _reduce_prune_counts(adjusted, frac_noise, overwrite=True)


def _reduce_prune_counts(
    prune_count_matrix: np.ndarray, frac_noise: float = 1.0, *, overwrite=False
):
    """Scale off-diagonal counts by `frac_noise`, moving the rest to the diagonal.

    Column totals are preserved; the result is truncated to integers. With
    `overwrite` (and ``frac_noise == 1``), a float64 matrix is truncated in
    place.
    """
    matrix = np.asarray(prune_count_matrix)
    if frac_noise == 1:  # nothing moves to the diagonal: only the truncation
        if overwrite and matrix.dtype == np.float64 and matrix.flags.writeable:
            return truncate_in_place(matrix)
        return matrix.astype(int)
    diagonal = np.diagonal(matrix)
    reduced = matrix * frac_noise
    np.fill_diagonal(reduced, diagonal)
    np.fill_diagonal(reduced, diagonal + (matrix - reduced).sum(axis=0))
    return reduced.astype(int)


def _check_multilabel_inputs(labels, pred_probs):
    """Validate multi-label input; return (N, K) boolean one-hot labels and
    float `pred_probs`."""
    check_multi_label_list(labels)
    return check_multilabel_inputs(labels, pred_probs)


def find_predicted_neq_given(
    labels: LabelLike, pred_probs: np.ndarray, *, multi_label: bool = False
) -> np.ndarray:
    """Flag the examples whose predicted class (argmax) differs from the given label.

    A simple baseline: no 1e-6 tie rule, no confident learning.

    Parameters
    ----------
    labels : array_like of shape (N,)
        Given labels (a list of lists for ``multi_label=True``).
    pred_probs : np.ndarray of shape (N, K)
        Predicted probabilities.
    multi_label : bool, default=False
        Flag an example if any class's one-vs-rest prediction (``p > 0.5``)
        disagrees with its label.

    Returns
    -------
    label_issues_mask : np.ndarray of shape (N,), dtype bool

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.filter import find_predicted_neq_given
    >>> find_predicted_neq_given([0, 1], np.array([[0.6, 0.4], [0.7, 0.3]]))
    array([False,  True])
    """
    if multi_label:
        onehot, pred_probs = _check_multilabel_inputs(labels, pred_probs)
        return ((pred_probs > 0.5) != onehot).any(axis=1)
    labels = labels_to_array(labels)
    assert_valid_inputs(None, labels, pred_probs)
    return pred_probs.argmax(axis=1) != labels


def find_label_issues_using_argmax_confusion_matrix(
    labels: np.ndarray,
    pred_probs: np.ndarray,
    *,
    calibrate: bool = True,
    filter_by: str = "prune_by_noise_rate",
) -> np.ndarray:
    """Flag label issues using the confusion matrix of argmax predictions.

    A baseline: the confusion matrix of given labels and argmax predictions
    replaces the confident joint in `find_label_issues`.

    Parameters
    ----------
    labels : array_like of shape (N,)
        Given labels.
    pred_probs : np.ndarray of shape (N, K)
        Predicted probabilities.
    calibrate : bool, default=True
        Calibrate the confusion matrix to the class counts.
    filter_by : str, default="prune_by_noise_rate"
        As in `find_label_issues`.

    Returns
    -------
    label_issues_mask : np.ndarray of shape (N,), dtype bool

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.filter import (
    ...     find_label_issues_using_argmax_confusion_matrix,
    ... )
    >>> labels = np.array([0, 0, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.9, 0.1]])
    >>> find_label_issues_using_argmax_confusion_matrix(labels, pred_probs)
    array([False, False, False,  True])
    """
    labels = labels_to_array(labels)
    assert_valid_inputs(None, labels, pred_probs)
    from sklearn.metrics import confusion_matrix

    counts = confusion_matrix(pred_probs.argmax(axis=1), labels).T
    if calibrate:
        counts = calibrate_confident_joint(counts, labels)
    return find_label_issues(
        labels, pred_probs, confident_joint=counts, filter_by=filter_by
    )


# ---------------------------------------------------------------------------
# Dask arrays: the same rules on the cluster (cleanlab.internal.dask_backend,
# imported only when a Dask array arrives). The result is a numpy array, as
# in memory: one byte per example, or the flagged indices.
# ---------------------------------------------------------------------------


def _find_label_issues_dask(
    labels,
    pred_probs,
    *,
    return_indices_ranked_by,
    rank_by_kwargs,
    filter_by,
    frac_noise,
    num_to_remove_per_class,
    min_examples_per_class,
    confident_joint,
    verbose,
    multi_label,
):
    from cleanlab.internal import dask_backend

    if multi_label:
        msg = (
            "`multi_label=True` is not supported for Dask arrays: use "
            "cleanlab.multilabel_classification.filter.find_label_issues() on "
            "in-memory arrays."
        )
        raise ValueError(msg)
    adjust = rank_by_kwargs.get("adjust_pred_probs", False)
    if return_indices_ranked_by is not None:
        check_scoring_options(return_indices_ranked_by, adjust)
    blocks = dask_backend.row_blocks(labels, pred_probs, one_class="zero")
    _warn_unused_options(
        filter_by, frac_noise, num_to_remove_per_class, confident_joint
    )
    uses_thresholds = filter_by != "predicted_neq_given" and not (
        filter_by in PRUNE_METHODS and confident_joint is not None
    )
    thresholds = dask_backend.validate_and_threshold(
        blocks, thresholds=uses_thresholds or adjust
    )
    if filter_by == "predicted_neq_given":
        rows = dask_backend.flag_predicted_neq_given(blocks)
    elif filter_by == "confident_learning":
        rows = dask_backend.confident_scan(blocks, thresholds, issue_rows=True)
        rows = rows["issue_rows"]
    elif filter_by in LOW_SCORE_METHODS:
        num_issues = dask_backend.confident_scan(blocks, thresholds)["num_issues"]
        cell = ("score", LOW_SCORE_METHODS[filter_by])
        selected = dask_backend.lowest_in_cells(blocks, {cell: num_issues})
        rows = selected[cell][0] if selected else np.empty(0, dtype=np.int64)
    else:
        rows = _prune_dask(
            blocks,
            thresholds,
            filter_by=filter_by,
            confident_joint=confident_joint,
            frac_noise=frac_noise,
            num_to_remove_per_class=num_to_remove_per_class,
            min_examples_per_class=min_examples_per_class,
        )
    is_issue = np.zeros(blocks.num_examples, dtype=bool)
    is_issue[rows] = True
    if verbose:
        print(f"Number of label issues found: {is_issue.sum()}")
    if return_indices_ranked_by is None:
        return is_issue
    flagged = np.flatnonzero(is_issue)
    scores = dask_backend.scores_of_rows(
        blocks,
        flagged,
        thresholds=thresholds if adjust else None,
        method=return_indices_ranked_by,
        adjust_pred_probs=adjust,
    )
    return flagged[np.argsort(scores)]


def _prune_dask(
    blocks,
    thresholds,
    *,
    filter_by,
    confident_joint,
    frac_noise,
    num_to_remove_per_class,
    min_examples_per_class,
):
    """`_filter_by_pruning` on row blocks: the flagged rows, ascending."""
    from cleanlab.internal import dask_backend

    class_counts = blocks.class_counts
    if confident_joint is None:
        joint = dask_backend.confident_scan(blocks, thresholds)["joint"]
        confident_joint = calibrate_to_class_counts(floor_diagonal(joint), class_counts)
    prune_counts = _keep_at_least_n_per_class(
        np.asarray(confident_joint).T, n=min_examples_per_class, frac_noise=frac_noise
    )
    if num_to_remove_per_class is not None:
        prune_counts = _prune_counts_for_removal(
            prune_counts, num_to_remove_per_class, class_counts
        )
    by_class = filter_by in ("prune_by_class", "both")
    by_noise_rate = filter_by in ("prune_by_noise_rate", "both")
    pruned = _classes_to_prune(
        class_counts, min_examples_per_class, by_class, by_noise_rate
    )
    # The cells of `_least_confident` and `_largest_margins`, with their counts.
    cells = {}
    for k in pruned:
        if by_class:
            cells["class", k] = class_counts[k] - prune_counts[k, k]
        if by_noise_rate:
            counts = prune_counts[:, k].copy()
            counts[k] = 0
            for j in np.flatnonzero(counts > 0).tolist():
                cells["margin", k, j] = min(counts[j], class_counts[k])
    selected = dask_backend.lowest_in_cells(blocks, cells)
    empty = np.empty(0, dtype=np.int64)
    margins = {k: [] for k in pruned}  # class k: rows of its margin cells
    for cell, (rows, _) in selected.items():
        if cell[0] == "margin":
            margins[cell[1]].append(rows)
    flagged = []
    for k in pruned:
        rows = None
        if by_class:
            rows = selected.get(("class", k), (empty,))[0]
        if by_noise_rate:
            noisy = np.unique(np.concatenate([empty, *margins[k]]))
            rows = noisy if rows is None else np.intersect1d(rows, noisy)
        flagged.append(rows)
    top_rows = [rows[is_top] for rows, is_top in selected.values()]
    flagged = np.concatenate([empty, *flagged])
    return np.setdiff1d(flagged, np.concatenate([empty, *top_rows]))
