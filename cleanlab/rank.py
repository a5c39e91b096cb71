"""Label quality scores: how likely each example's given label is correct.

Each example gets a score in [0, 1] computed from its row of out-of-sample
predicted probabilities; lower means more likely mislabeled. Three scores are
offered (self-confidence, normalized margin, confidence-weighted entropy),
optionally after subtracting the per-class confident thresholds, for one model
or an ensemble. `order_label_issues` and `find_top_issues` turn scores into a
worst-first ranking.
"""

import warnings

import numpy as np

from cleanlab.internal.constants import CLIPPING_LOWER_BOUND
from cleanlab.internal.containers import is_dask_array
from cleanlab.internal.errors import InvalidOptionError

# `_subtract_confident_thresholds`, `get_normalized_entropy`, `log_loss` and
# `CLIPPING_LOWER_BOUND` are importable from here, as in cleanlab 2.9; the
# redundant aliases mark the first two as re-exports, and scikit-learn's
# `log_loss` loads on first access (see internal.lazy). The scoring methods and
# their dispatch live in internal.label_quality_utils (the batched engine uses
# them too); `_compute_label_quality_scores` keeps its name here for callers.
from cleanlab.internal.label_quality_utils import (
    SCORING_METHODS as SCORING_METHODS,
)
from cleanlab.internal.label_quality_utils import (
    _subtract_confident_thresholds as _subtract_confident_thresholds,
)
from cleanlab.internal.label_quality_utils import (
    as_float_array as _as_float_array,
)
from cleanlab.internal.label_quality_utils import (
    check_scoring_options as _check_scoring_options,
)
from cleanlab.internal.label_quality_utils import (
    compute_label_quality_scores as _compute_label_quality_scores,
)
from cleanlab.internal.label_quality_utils import (
    confidence_weighted_entropy_scores,
    lowest_scores,
    normalized_margin_scores,
    resolve_thresholds,
    self_confidence_scores,
)
from cleanlab.internal.label_quality_utils import (
    get_normalized_entropy as get_normalized_entropy,
)
from cleanlab.internal.lazy import lazy_getattr
from cleanlab.internal.validation import (
    holds_only_class_zero,
    is_integer,
    validate_labels_and_pred_probs,
)

__getattr__ = lazy_getattr(__name__, {"log_loss": ("sklearn.metrics", "log_loss")})

__all__ = [
    "find_top_issues",
    "get_confidence_weighted_entropy_for_each_label",
    "get_label_quality_ensemble_scores",
    "get_label_quality_scores",
    "get_normalized_margin_for_each_label",
    "get_self_confidence_for_each_label",
    "order_label_issues",
]

WEIGHTING_SCHEMES = ("uniform", "accuracy", "log_loss_search", "custom")


def get_label_quality_scores(
    labels,
    pred_probs: np.ndarray,
    *,
    method: str = "self_confidence",
    adjust_pred_probs: bool = False,
) -> np.ndarray:
    """Score how likely each example's given label is correct.

    Parameters
    ----------
    labels : list, np.ndarray or pd.Series of shape (N,)
        Given class index of each example, integers in ``0..K-1``.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probabilities, float32 or float64; row ``i`` is the
        model's distribution over the K classes for example ``i``. A Dask array chunked
        by rows (with `labels` in memory or a Dask array of the same row chunks) is
        processed on the Dask cluster, with the same result; see docs/scaling.md.
    method : {"self_confidence", "normalized_margin", \
"confidence_weighted_entropy"}, default="self_confidence"
        Which score. With ``p`` the row and ``k`` the given label:
        ``"self_confidence"`` is ``p[k]``; ``"normalized_margin"`` is
        ``(p[k] - max_{j != k} p[j] + 1) / 2``; ``"confidence_weighted_entropy"``
        is ``log(r + 1) / max(r, 1e-6)`` with ``r = H(p) / max(p[k], 1e-6)`` and
        ``H`` the entropy divided by ``log(K)``.
    adjust_pred_probs : bool, default=False
        Subtract each class's confident threshold (its mean self-confidence)
        from its column and renormalize the rows before scoring, so that
        classes the model under-predicts are not penalized. Not available for
        ``"confidence_weighted_entropy"``.

    Returns
    -------
    np.ndarray of shape (N,)
        Scores in [0, 1], lower = more likely mislabeled. float32 for float32
        `pred_probs` (except confidence-weighted entropy, always float64) and
        float64 for float64 input. For Dask input, a lazy Dask array with the
        row chunks of `labels` (the inputs are checked when called).

    Raises
    ------
    ValueError
        If `method` is unknown, if `adjust_pred_probs` is combined with
        ``"confidence_weighted_entropy"``, or if `labels` or `pred_probs` are
        invalid (see `cleanlab.internal.validation.assert_valid_inputs`).
    TypeError
        If `labels` or `pred_probs` has the wrong type.

    Warns
    -----
    PredProbsNormalizationWarning
        If rows of `pred_probs` do not sum to 1.

    See Also
    --------
    get_label_quality_ensemble_scores : the same scores for several models.
    find_top_issues : indices of the lowest scores.

    Examples
    --------
    >>> import numpy as np
    >>> pred_probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    >>> get_label_quality_scores([0, 1, 1], pred_probs)
    array([0.9, 0.8, 0.4])
    """
    _check_scoring_options(method, adjust_pred_probs)
    if is_dask_array(labels) or is_dask_array(pred_probs):
        return _label_quality_scores_dask(labels, pred_probs, method, adjust_pred_probs)
    labels = validate_labels_and_pred_probs(labels, pred_probs, allow_one_class=True)
    return _compute_label_quality_scores(
        labels, pred_probs, method=method, adjust_pred_probs=adjust_pred_probs
    )


def _label_quality_scores_dask(labels, pred_probs, method, adjust_pred_probs):
    """`get_label_quality_scores` of Dask arrays: a lazy Dask array of scores.

    The inputs are checked (and the thresholds computed, when adjusting) on the
    cluster right away; the scores are computed block by block when the
    result is.
    """
    from cleanlab.internal import dask_backend

    blocks = dask_backend.row_blocks(labels, pred_probs, one_class="allow")
    thresholds = dask_backend.validate_and_threshold(
        blocks, thresholds=adjust_pred_probs
    )
    return dask_backend.score_array(
        blocks,
        thresholds=thresholds,
        method=method,
        adjust_pred_probs=adjust_pred_probs,
    )


def get_label_quality_ensemble_scores(
    labels,
    pred_probs_list: list[np.ndarray],
    *,
    method: str = "self_confidence",
    adjust_pred_probs: bool = False,
    weight_ensemble_members_by: str = "accuracy",
    custom_weights: np.ndarray | None = None,
    log_loss_search_T_values: list[float] = [
        1e-4,
        1e-3,
        1e-2,
        1e-1,
        1e0,
        1e1,
        1e2,
        2e2,
    ],
    verbose: bool = True,
) -> np.ndarray:
    """Score label quality with several models: a weighted mean of their scores.

    Each member's scores are `get_label_quality_scores` of its `pred_probs`; the
    weights come from `weight_ensemble_members_by`.

    Parameters
    ----------
    labels : list, np.ndarray or pd.Series of shape (N,)
        Given class index of each example, integers in ``0..K-1``.
    pred_probs_list : list of np.ndarray of shape (N, K)
        Out-of-sample predicted probabilities of each ensemble member (M >= 1).
    method : str, default="self_confidence"
        Score of each member, as in `get_label_quality_scores`.
    adjust_pred_probs : bool, default=False
        As in `get_label_quality_scores`.
    weight_ensemble_members_by : {"uniform", "accuracy", "log_loss_search", \
"custom"}, default="accuracy"
        ``"uniform"``: plain mean. ``"accuracy"``: weights proportional to each
        member's accuracy (argmax vs. given label). ``"log_loss_search"``: for
        each ``T`` in `log_loss_search_T_values`, weights proportional to
        ``exp(-T * log_loss_m)`` (log loss of the member's probabilities clipped
        at 1e-6); the ``T`` whose weighted mean of the probabilities has the
        lowest log loss wins. ``"custom"``: `custom_weights`, used as given.
    custom_weights : np.ndarray of shape (M,), optional
        Weights of the members, only with ``"custom"`` (not normalized).
    log_loss_search_T_values : list of float
        Temperatures tried by ``"log_loss_search"``, in order.
    verbose : bool, default=True
        Print the weighting scheme and each member's weight.

    Returns
    -------
    np.ndarray of shape (N,)
        Scores in [0, 1], lower = more likely mislabeled.

    Raises
    ------
    InvalidOptionError
        (a ValueError and an AssertionError) If `pred_probs_list` is not a
        non-empty list, if the weighting scheme is unknown, if `custom_weights`
        is missing, misshapen or given without ``"custom"``, or if
        `log_loss_search_T_values` is empty; also for an invalid `method`.
    ValueError, TypeError
        If `labels` or a member of `pred_probs_list` is invalid.

    Warns
    -----
    UserWarning
        If `pred_probs_list` has a single member, or (``"accuracy"``) if every
        member has accuracy 0, in which case the members are weighted equally.

    Examples
    --------
    >>> import numpy as np
    >>> p1 = np.array([[0.9, 0.1], [0.3, 0.7]])
    >>> p2 = np.array([[0.7, 0.3], [0.5, 0.5]])
    >>> get_label_quality_ensemble_scores(
    ...     [0, 1], [p1, p2], weight_ensemble_members_by="uniform", verbose=False
    ... )
    array([0.8, 0.6])
    """
    scheme = weight_ensemble_members_by
    _check_pred_probs_list(pred_probs_list)
    labels = validate_labels_and_pred_probs(labels, pred_probs_list[0])
    for pred_probs in pred_probs_list[1:]:
        validate_labels_and_pred_probs(labels, pred_probs)
    _check_scoring_options(method, adjust_pred_probs)
    custom_weights = _check_ensemble_options(
        scheme, custom_weights, pred_probs_list, log_loss_search_T_values
    )
    # One row per member: reducing over axis 0 adds the members in order, as
    # cleanlab 2.9 does (a pairwise sum along rows would round differently).
    scores = np.stack(
        [
            _compute_label_quality_scores(
                labels, pred_probs, method=method, adjust_pred_probs=adjust_pred_probs
            )
            for pred_probs in pred_probs_list
        ]
    )
    if verbose:
        print(f"Weighting scheme for ensemble: {scheme}")
    if scheme == "uniform":
        return scores.mean(axis=0)
    if scheme == "accuracy":
        weights = _accuracy_weights(labels, pred_probs_list, verbose)
    elif scheme == "log_loss_search":
        weights = _log_loss_search_weights(
            labels, pred_probs_list, log_loss_search_T_values, verbose
        )
    else:
        weights = custom_weights
    return (scores * weights[:, np.newaxis]).sum(axis=0)


def _check_pred_probs_list(pred_probs_list) -> None:
    """Raise unless `pred_probs_list` is a non-empty list; warn if it has one member."""
    if not isinstance(pred_probs_list, list):
        msg = (
            "pred_probs_list needs to be a list. Provided pred_probs_list is a "
            f"{type(pred_probs_list)}. Pass a list of (N, K) arrays, one per model."
        )
        raise InvalidOptionError(msg)
    if not pred_probs_list:
        msg = "pred_probs_list is empty. Pass one (N, K) array per model."
        raise InvalidOptionError(msg)
    if len(pred_probs_list) == 1:
        warnings.warn(
            "pred_probs_list only has one element. Consider using "
            "get_label_quality_scores() if you only have a single array of pred_probs.",
            UserWarning,
            stacklevel=3,
        )


def _check_log_loss_search(pred_probs_list, t_values) -> None:
    """Raise unless the members can be averaged and there is a temperature."""
    shapes = {p.shape for p in pred_probs_list}
    if len(shapes) > 1:
        msg = (
            "With weight_ensemble_members_by='log_loss_search' every array in "
            "`pred_probs_list` must have the same shape (N, K), got shapes "
            f"{sorted(shapes)}."
        )
        raise ValueError(msg)
    if len(t_values) == 0:
        msg = "`log_loss_search_T_values` is empty: pass at least one temperature T."
        raise InvalidOptionError(msg)


def _check_ensemble_options(
    scheme, custom_weights, pred_probs_list, t_values
) -> np.ndarray | None:
    """Check the weighting options; return `custom_weights` as an array (or None)."""
    if custom_weights is not None and scheme != "custom":
        msg = (
            'custom_weights provided but weight_ensemble_members_by is not "custom"! '
            f"`weight_ensemble_members_by` is {scheme!r}: pass "
            'weight_ensemble_members_by="custom" or drop custom_weights.'
        )
        raise InvalidOptionError(msg)
    if scheme not in WEIGHTING_SCHEMES:
        msg = (
            f"{scheme} is not a valid weighting method for weight_ensemble_members_by! "
            "Please choose a valid weight_ensemble_members_by: "
            f"{', '.join(WEIGHTING_SCHEMES)}."
        )
        raise InvalidOptionError(msg)
    if scheme == "log_loss_search":
        _check_log_loss_search(pred_probs_list, t_values)
    if scheme != "custom":
        return None
    if custom_weights is None:
        msg = (
            "custom_weights is None! Please pass a valid custom_weights: one weight "
            "per member of pred_probs_list."
        )
        raise InvalidOptionError(msg)
    custom_weights = np.asarray(custom_weights, dtype=np.float64)
    num_models = len(pred_probs_list)
    if custom_weights.shape != (num_models,):
        msg = (
            "Length of custom_weights array must match the number of models: "
            f"len(pred_probs_list). `custom_weights` has shape {custom_weights.shape}, "
            f"expected ({num_models},)."
        )
        raise InvalidOptionError(msg)
    return custom_weights


def _accuracy_weights(labels, pred_probs_list, verbose: bool) -> np.ndarray:
    """Weights proportional to each member's accuracy (argmax == given label)."""
    accuracy = np.array([np.mean(p.argmax(axis=1) == labels) for p in pred_probs_list])
    total = _sum_in_order(accuracy)
    if total > 0:
        weights = accuracy / total
    else:
        warnings.warn(
            "Every member of `pred_probs_list` has accuracy 0 on `labels`, so "
            "relative accuracy is undefined; the members are weighted equally.",
            UserWarning,
            stacklevel=3,
        )
        weights = np.full(len(accuracy), 1 / len(accuracy))
    if verbose:
        print("Ensemble members will be weighted by their relative accuracy")
        for i, (acc, weight) in enumerate(zip(accuracy, weights, strict=True)):
            print(f"  Model {i} accuracy : {acc}")
            print(f"  Model {i} weight   : {weight}")
    return weights


def _log_loss_search_weights(labels, pred_probs_list, t_values, verbose: bool):
    """Weights ``exp(-T * log_loss_m)``, normalized, for the best temperature ``T``."""
    from sklearn.metrics import log_loss

    classes = np.arange(pred_probs_list[0].shape[1])
    losses = np.array(
        [
            log_loss(labels, _clip_and_normalize(p), labels=classes)
            for p in pred_probs_list
        ]
    )
    best_loss, best_weights = np.inf, None
    for t in t_values:
        weights = np.exp(-t * losses)
        if not _sum_in_order(weights) > 0:
            # All weights underflowed: the same weights, computed stably.
            weights = np.exp(-t * (losses - losses.min()))
        weights = weights / _sum_in_order(weights)
        average = sum(w * p for w, p in zip(weights, pred_probs_list, strict=True))
        loss = log_loss(labels, average, labels=classes)
        if best_weights is None or loss < best_loss:
            best_loss, best_weights = loss, weights
    if verbose:
        print(
            "Ensemble members will be weighted by log-loss between their predicted "
            "probabilities and given labels"
        )
        for i, weight in enumerate(best_weights):
            print(f"  Model {i} weight   : {weight}")
    return best_weights


def _sum_in_order(values: np.ndarray) -> float:
    """Sum of a few weights added left to right (np.sum adds pairwise from 8 on).

    The order is cleanlab 2.9's, so the normalized weights agree to the last bit.
    A cumulative sum is sequential by definition (unlike the builtin ``sum`` of
    floats, compensated from Python 3.12 on).
    """
    return np.cumsum(values)[-1]


def _clip_and_normalize(pred_probs: np.ndarray) -> np.ndarray:
    """`pred_probs` clipped below at 1e-6, rows renormalized to sum to 1 (a copy)."""
    clipped = np.clip(pred_probs, CLIPPING_LOWER_BOUND, None)
    clipped /= clipped.sum(axis=1, keepdims=True)
    return clipped


def find_top_issues(quality_scores: np.ndarray, *, top: int | None = 10) -> np.ndarray:
    """Indices of the `top` lowest quality scores, lowest first.

    Parameters
    ----------
    quality_scores : np.ndarray of shape (N,)
        Label quality scores (lower = more likely mislabeled).
    top : int or None, default=10
        How many indices to return; None or more than N returns all N.

    Returns
    -------
    np.ndarray of int64
        Indices ordered by increasing score (ties in ``np.argsort`` order).

    Raises
    ------
    ValueError
        If `quality_scores` is not 1-D, contains NaN, or `top` is negative.
    TypeError
        If `top` is not an integer.

    Examples
    --------
    >>> import numpy as np
    >>> find_top_issues(np.array([0.5, 0.1, 0.3, 0.1, 0.9]), top=3)
    array([1, 3, 2])
    """
    quality_scores = np.asarray(quality_scores)
    if quality_scores.ndim != 1:
        msg = (
            "`quality_scores` must be 1-D (one score per example), got shape "
            f"{quality_scores.shape}."
        )
        raise ValueError(msg)
    if quality_scores.dtype.kind in "fc" and np.isnan(quality_scores).any():
        # np.argsort puts NaN last, which would quietly hide those examples.
        first = int(np.flatnonzero(np.isnan(quality_scores))[0])
        msg = (
            f"`quality_scores` contains NaN (first at index {first}); scores must "
            "be numbers to be ranked."
        )
        raise ValueError(msg)
    if top is None:
        top = len(quality_scores)
    if not is_integer(top):
        msg = f"`top` must be an integer or None, got {top!r}."
        raise TypeError(msg)
    if top < 0:
        msg = f"`top` must be at least 0, got {top}."
        raise ValueError(msg)
    return lowest_scores(quality_scores, top)


def order_label_issues(
    label_issues_mask: np.ndarray,
    labels,
    pred_probs: np.ndarray,
    *,
    rank_by: str = "self_confidence",
    rank_by_kwargs: dict = {},
) -> np.ndarray:
    """Indices of the flagged examples, ordered by label quality (worst first).

    Parameters
    ----------
    label_issues_mask : np.ndarray of shape (N,) of bool, or of int indices
        Which examples are flagged: a boolean mask (True = flagged), or the
        indices of the flagged examples (distinct integers in ``0..N-1``).
    labels : list, np.ndarray or pd.Series of shape (N,)
        Given class index of each example. A single class is allowed only if it
        is class 0.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probabilities.
    rank_by : str, default="self_confidence"
        Score to order by, a `method` of `get_label_quality_scores`.
    rank_by_kwargs : dict, default={}
        Further keyword arguments of `get_label_quality_scores`
        (``adjust_pred_probs``).

    Returns
    -------
    np.ndarray of int64
        The flagged indices by increasing score (ties in ``np.argsort`` order
        over the flagged examples taken in index order).

    Raises
    ------
    ValueError
        If `label_issues_mask` is neither a boolean mask of length N nor an array
        of distinct indices in ``0..N-1`` (e.g. a 0/1 integer mask), or if
        `rank_by`, `labels` or `pred_probs` is invalid.
    TypeError
        If `rank_by_kwargs` holds an unknown keyword.

    Examples
    --------
    >>> import numpy as np
    >>> pred_probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    >>> mask = np.array([True, False, True])
    >>> order_label_issues(mask, np.array([0, 1, 1]), pred_probs)
    array([2, 0])
    """
    rank_by_kwargs = rank_by_kwargs or {}
    _check_rank_by_kwargs(rank_by_kwargs)
    allow_one_class = holds_only_class_zero(labels)
    labels = validate_labels_and_pred_probs(
        labels, pred_probs, allow_one_class=allow_one_class
    )
    flagged = _flagged_indices(label_issues_mask, len(labels))
    return _order_flagged(flagged, labels, pred_probs, rank_by, **rank_by_kwargs)


def _order_flagged(flagged, labels, pred_probs, rank_by, **rank_by_kwargs):
    """`flagged` (ascending indices) by increasing score; inputs already valid."""
    scores = _scores_of_rows(
        labels, pred_probs, flagged, method=rank_by, **rank_by_kwargs
    )
    return flagged[np.argsort(scores)]


def _check_rank_by_kwargs(rank_by_kwargs: dict) -> None:
    """Raise TypeError for keys that `get_label_quality_scores` does not take."""
    unknown = sorted(set(rank_by_kwargs) - {"adjust_pred_probs"})
    if unknown:
        msg = (
            f"`rank_by_kwargs` got an unexpected keyword argument {unknown[0]!r}: "
            "get_label_quality_scores() takes only 'adjust_pred_probs' besides "
            "the method (given by `rank_by`)."
        )
        raise TypeError(msg)


def _flagged_indices(label_issues_mask, num_examples: int) -> np.ndarray:
    """Ascending int64 indices of the flagged examples, from a mask or indices."""
    flags = np.asarray(label_issues_mask)
    if flags.ndim != 1:
        msg = (
            "`label_issues_mask` must be 1-D: a boolean mask or an array of indices, "
            f"got shape {flags.shape}."
        )
        raise ValueError(msg)
    if flags.dtype.kind == "b":
        if len(flags) != num_examples:
            msg = (
                f"`label_issues_mask` has {len(flags)} entries but there are "
                f"{num_examples} examples: a boolean mask needs one entry per example."
            )
            raise ValueError(msg)
        return np.flatnonzero(flags)
    if flags.size == 0:
        return np.empty(0, dtype=np.int64)
    if flags.dtype.kind not in "iu":
        msg = (
            "`label_issues_mask` must be a boolean mask or an array of integer "
            f"indices, got dtype {flags.dtype}."
        )
        raise ValueError(msg)
    indices = np.sort(flags.astype(np.int64))
    if indices[0] >= 0 and indices[-1] < num_examples and np.all(np.diff(indices)):
        return indices
    if len(flags) == num_examples and np.all((flags == 0) | (flags == 1)):
        msg = (
            "`label_issues_mask` is an integer array of 0s and 1s, which would be "
            "read as indices with repeats: pass a boolean mask instead "
            "(`label_issues_mask.astype(bool)`), or the indices of the flagged "
            "examples."
        )
        raise ValueError(msg)
    msg = (
        "`label_issues_mask` as integer indices must hold distinct indices in "
        f"0..{num_examples - 1}; got values from {indices[0]} to {indices[-1]} "
        f"({len(indices) - len(np.unique(indices))} repeated). Pass a boolean mask "
        "or the indices of the flagged examples."
    )
    raise ValueError(msg)


def _scores_of_rows(
    labels: np.ndarray,
    pred_probs: np.ndarray,
    rows: np.ndarray,
    *,
    method: str = "self_confidence",
    adjust_pred_probs: bool = False,
) -> np.ndarray:
    """Label quality scores of the examples `rows` only.

    Every score depends on its own row alone once the thresholds (computed from
    all examples) are fixed, so this equals ``get_label_quality_scores(...)[rows]``.
    """
    _check_scoring_options(method, adjust_pred_probs)
    if method == "self_confidence" and not adjust_pred_probs:
        return pred_probs[rows, labels[rows]]
    thresholds = None
    if adjust_pred_probs:
        thresholds = resolve_thresholds(labels, pred_probs)
    # The rows are gathered a block at a time: never a copy of all flagged rows.
    block = max(1, _ROWS_BLOCK_BYTES // (pred_probs.shape[1] * pred_probs.itemsize))
    parts = [
        _compute_label_quality_scores(
            labels[rows[start : start + block]],
            pred_probs[rows[start : start + block]],
            method=method,
            adjust_pred_probs=adjust_pred_probs,
            confident_thresholds=thresholds,
        )
        for start in range(0, len(rows), block)
    ]
    if not parts:
        return _compute_label_quality_scores(
            labels[rows], pred_probs[rows], method=method
        )
    return np.concatenate(parts)


# Size of one block of gathered `pred_probs` rows when scoring a subset.
_ROWS_BLOCK_BYTES = 32 << 20


def get_self_confidence_for_each_label(labels, pred_probs: np.ndarray) -> np.ndarray:
    """Predicted probability of each example's given label, ``pred_probs[i, k]``.

    Parameters
    ----------
    labels : list, np.ndarray or pd.Series of shape (N,)
        Given class index of each example.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probabilities.

    Returns
    -------
    np.ndarray of shape (N,)
        In the dtype of `pred_probs` (float64 for integer input).

    Raises
    ------
    ValueError, TypeError
        If `labels` or `pred_probs` is invalid.

    Examples
    --------
    >>> import numpy as np
    >>> get_self_confidence_for_each_label([0, 1], np.array([[0.5, 0.5], [0.2, 0.8]]))
    array([0.5, 0.8])
    """
    labels = validate_labels_and_pred_probs(labels, pred_probs, allow_one_class=True)
    return self_confidence_scores(labels, _as_float_array(pred_probs))


def get_normalized_margin_for_each_label(labels, pred_probs: np.ndarray) -> np.ndarray:
    """Margin of the given label over the best other class, mapped to [0, 1].

    ``(p[k] - max_{j != k} p[j] + 1) / 2`` for row ``p`` and given label ``k``;
    for K = 2 this equals the self-confidence.

    Parameters
    ----------
    labels : list, np.ndarray or pd.Series of shape (N,)
        Given class index of each example.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probabilities, K >= 2.

    Returns
    -------
    np.ndarray of shape (N,)
        In the dtype of `pred_probs` (float64 for integer input).

    Raises
    ------
    ValueError, TypeError
        If `labels` or `pred_probs` is invalid.

    Examples
    --------
    >>> import numpy as np
    >>> get_normalized_margin_for_each_label(
    ...     [0, 1], np.array([[0.5, 0.5], [0.2, 0.8]])
    ... )
    array([0.5, 0.8])
    """
    labels = validate_labels_and_pred_probs(labels, pred_probs, allow_one_class=True)
    return normalized_margin_scores(labels, _as_float_array(pred_probs))


def get_confidence_weighted_entropy_for_each_label(
    labels, pred_probs: np.ndarray
) -> np.ndarray:
    """Normalized entropy of each row weighted by the given label's probability.

    With ``sc = max(p[k], 1e-6)``, ``H`` the entropy of ``p`` divided by
    ``log(K)`` and ``r = H / sc``, the score is ``log(r + 1) / max(r, 1e-6)``. A
    one-hot row (``H = 0``) scores 1.0 if its class is the given label and 0.0
    otherwise (cleanlab 2.9 gives 0.0 to both).

    Parameters
    ----------
    labels : list, np.ndarray or pd.Series of shape (N,)
        Given class index of each example.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probabilities, every entry in [0, 1].

    Returns
    -------
    np.ndarray of shape (N,) of float64

    Raises
    ------
    ValueError
        If any entry of `pred_probs` is outside [0, 1], or the inputs are invalid.
    TypeError
        If `labels` or `pred_probs` has the wrong type.

    Examples
    --------
    >>> import numpy as np
    >>> pred_probs = np.array([[1.0, 0.0, 0.0], [0.999, 0.0005, 0.0005], [0, 1, 0]])
    >>> get_confidence_weighted_entropy_for_each_label([0, 1, 0], pred_probs).round(6)
    array([1.      , 0.179654, 0.      ])
    """
    labels = validate_labels_and_pred_probs(labels, pred_probs, allow_one_class=True)
    return confidence_weighted_entropy_scores(labels, _as_float_array(pred_probs))
