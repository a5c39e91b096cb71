"""Find label issues in multi-label data: one-vs-rest confident learning.

The one implementation behind ``cleanlab.filter.find_label_issues(multi_label=True)``
and `cleanlab.multilabel_classification.filter`. Class ``k`` of an example is
checked as the binary label "has class k" against ``[1 - p_k, p_k]``, with the
single-label filter's rules (`filter_by`); an example is an issue if any of its
class annotations is. The K binary problems are solved a block of classes at a
time with the array kernels of `cleanlab.internal.multilabel_kernels`, so the
results are those of the single-label filter run on each binary problem.

Labels here are the validated (N, K) boolean one-hot matrix and `pred_probs` a
validated (N, K) float array; the options are checked here, at the boundary.
"""

import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from cleanlab.internal.chunking import default_threads
from cleanlab.internal.constants import (
    FILTER_BY,
    LOW_SCORE_METHODS,
    PRUNE_METHODS,
    RANK_BY,
    TINY_VALUE,
)
from cleanlab.internal.errors import (
    InvalidOptionError,
    TooFewExamplesWarning,
    user_stacklevel,
)
from cleanlab.internal.label_quality_utils import compute_label_quality_scores
from cleanlab.internal.multilabel_kernels import (
    BinaryThresholds,
    binary_confident_joints,
    binary_thresholds,
    calibrate_binary_joints,
    class_blocks,
    confidence_weighted_entropy_of_pairs,
    given_label_is_top,
    keep_at_least_n_binary,
    lowest_in_groups,
    prune_counts_for_removal_binary,
    transposed_block,
)
from cleanlab.internal.multilabel_scorer import (
    ClassLabelScorer,
    aggregated_scores,
    check_multilabel_format,
)
from cleanlab.internal.multilabel_utils import stack_complement
from cleanlab.internal.selection import first_of_argsort
from cleanlab.internal.validation import check_n_jobs, check_option, is_integer

__all__ = [
    "FILTER_BY",
    "RANK_BY",
    "binary_class_counts",
    "find_multilabel_issues",
    "find_multilabel_issues_per_class",
    "issues_from_binary_joints",
    "ovr_confident_joints",
]

_LOW_MEMORY_DEFAULTS = (
    ("filter_by", "prune_by_noise_rate"),
    ("num_to_remove_per_class", None),
    ("confident_joint", None),
    ("n_jobs", None),
    ("frac_noise", 1.0),
    ("min_examples_per_class", 1),
)


class _Options(NamedTuple):
    """Checked options of one call."""

    filter_by: str
    rank_by: str | None
    adjust_pred_probs: bool
    frac_noise: float
    removals: np.ndarray | None  # (K, 2) binary removal counts
    min_examples_per_class: int
    joints: np.ndarray | None  # (K, 2, 2) confident joints used as given
    n_threads: int
    verbose: bool
    low_memory: bool


def find_multilabel_issues(
    onehot: np.ndarray, pred_probs: np.ndarray, **options
) -> np.ndarray:
    """Boolean mask (N,) of examples with an issue in some class, or their indices
    ranked by the multi-label score of `return_indices_ranked_by`, worst first.

    `options` are the keyword arguments of
    `cleanlab.multilabel_classification.filter.find_label_issues`. The ``low_*``
    methods (without `low_memory`) flag the examples with the lowest multi-label
    score of that method, as many as have a ``"confident_learning"`` issue in
    some class.
    """
    options = _check_options(pred_probs.shape[1], **options)
    if options.rank_by is not None:
        check_multilabel_format(onehot)
    if options.filter_by in LOW_SCORE_METHODS and not options.low_memory:
        is_issue, ranked = _lowest_scores(onehot, pred_probs, options)
    else:
        issues, thresholds = _per_class_issues(onehot, pred_probs, options)
        is_issue = issues.any(axis=0)
        ranked = None
        if options.rank_by is not None:
            ranked = _rank_flagged(
                onehot, pred_probs, np.flatnonzero(is_issue), options, thresholds
            )
    if options.verbose:
        print(f"Number of label issues found: {np.count_nonzero(is_issue)}")
    return is_issue if options.rank_by is None else ranked


def find_multilabel_issues_per_class(
    onehot: np.ndarray, pred_probs: np.ndarray, **options
):
    """The issues of each class's binary problem.

    Returns the (N, K) boolean mask, or with `return_indices_ranked_by` the tuple
    ``(issues_list, labels_list, pred_probs_list)`` of K-long lists: each class's
    issue indices ranked by its binary score (worst first), its binary labels
    (int64, (N,)) and its binary probabilities ``[1 - p_k, p_k]`` ((N, 2)).
    `options` are those of `find_multilabel_issues`; with `low_memory` each class
    is ranked as `find_label_issues_batched` ranks it, without adjustment.
    """
    options = _check_options(pred_probs.shape[1], **options)
    if options.low_memory:
        options = options._replace(adjust_pred_probs=False)
    issues, thresholds = _per_class_issues(onehot, pred_probs, options)
    if options.verbose:
        print(f"Number of label issues found: {np.count_nonzero(issues.any(axis=0))}")
    if options.rank_by is None:
        return np.ascontiguousarray(issues.T)
    issues_list = [
        _rank_binary_issues(onehot, pred_probs, issues[k], k, options, thresholds)
        for k in range(pred_probs.shape[1])
    ]
    labels_list = [onehot[:, k].astype(np.int64) for k in range(onehot.shape[1])]
    pred_probs_list = [
        stack_complement(pred_probs[:, k]) for k in range(pred_probs.shape[1])
    ]
    return issues_list, labels_list, pred_probs_list


# ---------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------


def _check_options(
    num_classes: int,
    *,
    return_indices_ranked_by: str | None = None,
    rank_by_kwargs: dict | None = None,
    filter_by: str = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class=None,
    min_examples_per_class=1,
    confident_joint: np.ndarray | None = None,
    n_jobs: int | None = None,
    verbose: bool = False,
    low_memory: bool = False,
) -> _Options:
    """Validate the options of both entry points (the keyword arguments of
    `cleanlab.multilabel_classification.filter.find_label_issues`, with the same
    defaults); warn about those the chosen path does not use."""
    rank_by = return_indices_ranked_by
    check_option("filter_by", filter_by, FILTER_BY)
    check_option("return_indices_ranked_by", rank_by, RANK_BY)
    rank_by_kwargs = dict(rank_by_kwargs or {})
    adjust = _check_rank_by_kwargs(rank_by_kwargs, rank_by)
    check_n_jobs(n_jobs)
    _check_prune_options(frac_noise, min_examples_per_class)
    if low_memory:
        _warn_unused_with_low_memory(
            rank_by_kwargs,
            filter_by=filter_by,
            num_to_remove_per_class=num_to_remove_per_class,
            confident_joint=confident_joint,
            n_jobs=n_jobs,
            frac_noise=frac_noise,
            min_examples_per_class=min_examples_per_class,
        )
        joints = removals = None
    else:
        joints = _check_confident_joint(confident_joint, num_classes)
        removals = _check_removals(num_to_remove_per_class, num_classes)
        _warn_unused_options(filter_by, frac_noise, removals, joints)
    return _Options(
        filter_by=filter_by,
        rank_by=rank_by,
        adjust_pred_probs=adjust,
        frac_noise=float(frac_noise),
        removals=removals if filter_by in PRUNE_METHODS else None,
        min_examples_per_class=int(min_examples_per_class),
        joints=joints if filter_by in PRUNE_METHODS else None,
        n_threads=int(n_jobs) if n_jobs is not None else default_threads(),
        verbose=bool(verbose),
        low_memory=bool(low_memory),
    )


def _check_rank_by_kwargs(rank_by_kwargs: dict, rank_by) -> bool:
    """Whether the ranking adjusts the probabilities; TypeError for unknown keys."""
    unknown = sorted(set(rank_by_kwargs) - {"adjust_pred_probs"})
    if unknown:
        msg = (
            f"`rank_by_kwargs` got an unexpected keyword argument {unknown[0]!r}: "
            "the ranking takes only 'adjust_pred_probs' besides the method (given "
            "by `return_indices_ranked_by`)."
        )
        raise TypeError(msg)
    adjust = rank_by_kwargs.get("adjust_pred_probs", False) is True
    if adjust and rank_by == "confidence_weighted_entropy":
        msg = (
            "adjust_pred_probs is not currently supported for "
            "confidence_weighted_entropy. Use adjust_pred_probs=False or another "
            "`return_indices_ranked_by`."
        )
        raise InvalidOptionError(msg)
    return adjust


def _check_prune_options(frac_noise, min_examples_per_class) -> None:
    if isinstance(frac_noise, bool) or not isinstance(
        frac_noise, int | float | np.integer | np.floating
    ):
        msg = f"`frac_noise` must be a number in [0, 1]; got {frac_noise!r}."
        raise TypeError(msg)
    if not 0 <= frac_noise <= 1:
        msg = f"`frac_noise` must be in [0, 1]; got {frac_noise}."
        raise ValueError(msg)
    if not is_integer(min_examples_per_class) or min_examples_per_class < 0:
        msg = (
            "`min_examples_per_class` must be a non-negative integer; got "
            f"{min_examples_per_class!r}."
        )
        raise ValueError(msg)


def _warn_unused_with_low_memory(rank_by_kwargs, **options) -> None:
    if rank_by_kwargs:
        warnings.warn(
            "`rank_by_kwargs` is not used when `low_memory=True`.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    for name, default in _LOW_MEMORY_DEFAULTS:
        value = options[name]
        is_default = value is None if default is None else value == default
        if not is_default:
            warnings.warn(
                f"`{name}` is not used when `low_memory=True`.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )


def _check_confident_joint(confident_joint, num_classes: int):
    """The (K, 2, 2) joints to use, or None; a (K, K) one is ignored, with a warning."""
    if confident_joint is None:
        return None
    joints = np.asarray(confident_joint)
    if joints.shape == (num_classes, num_classes):
        warnings.warn(
            "The supplied `confident_joint` has the old (K, K) multi-label format "
            "and is ignored; pass one of shape (K, 2, 2), as computed by "
            "count.compute_confident_joint(labels, pred_probs, multi_label=True).",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
        return None
    if joints.shape != (num_classes, 2, 2):
        msg = (
            "confident_joint should be of shape (num_classes, 2, 2); got shape "
            f"{joints.shape} with num_classes = {num_classes} (columns of "
            "`pred_probs`)."
        )
        raise ValueError(msg)
    if joints.dtype.kind not in "iuf" or not np.all(np.isfinite(joints)):
        msg = "`confident_joint` must hold finite counts."
        raise ValueError(msg)
    if (joints < 0).any():
        msg = "`confident_joint` must hold non-negative counts."
        raise ValueError(msg)
    return joints


def _check_removals(num_to_remove_per_class, num_classes: int):
    """Each class's binary removal counts ``[r_k, 0]`` as a (K, 2) array, or None.

    As in cleanlab 2.9, `r_k` applies to binary class 0: examples without class k.
    """
    if num_to_remove_per_class is None:
        return None
    remove = np.asarray(num_to_remove_per_class)
    if remove.ndim > 1 or (remove.ndim == 1 and len(remove) != num_classes):
        msg = (
            "`num_to_remove_per_class` must be a non-negative integer or a "
            f"sequence of {num_classes} of them (one per class); got shape "
            f"{remove.shape}."
        )
        raise ValueError(msg)
    if remove.dtype.kind not in "iu" or (remove < 0).any():
        msg = (
            "`num_to_remove_per_class` must be a non-negative integer or a sequence "
            f"of {num_classes} of them; got {num_to_remove_per_class!r}."
        )
        raise ValueError(msg)
    removals = np.zeros((num_classes, 2), dtype=np.int64)
    removals[:, 0] = np.broadcast_to(remove, (num_classes,))
    return removals


def _warn_unused_options(filter_by, frac_noise, removals, joints) -> None:
    """Warn about (or reject) options the chosen `filter_by` does not use."""
    if filter_by in PRUNE_METHODS:
        return
    if frac_noise != 1.0 or removals is not None:
        warnings.warn(
            "frac_noise and num_to_remove_per_class parameters are only supported "
            "for filter_by 'prune_by_noise_rate', 'prune_by_class', and 'both'. "
            f"They are not used by filter_by={filter_by!r}.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    if removals is not None and filter_by not in LOW_SCORE_METHODS:
        msg = (
            f"filter_by '{filter_by}' is not supported (yet) when setting "
            "'num_to_remove_per_class'; use one of 'prune_by_noise_rate', "
            "'prune_by_class' or 'both'."
        )
        raise ValueError(msg)
    if joints is not None:
        warnings.warn(
            f"The supplied `confident_joint` is ignored when filter_by = "
            f"{filter_by!r}: it is recomputed from `labels` and `pred_probs`.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )


# ---------------------------------------------------------------------------
# The per-class binary problems, a block of classes at a time
# ---------------------------------------------------------------------------


class _BlockResult(NamedTuple):
    issues: np.ndarray  # (B, N) bool
    thresholds: BinaryThresholds | None  # None: low_memory, no adjusted ranking
    too_few: np.ndarray  # (B, 2) bool: side with 0 < size <= min_examples


class _ConfidentBlock(NamedTuple):
    present: np.ndarray  # (B, N) P[:, classes].T
    absent: np.ndarray  # (B, N) 1 - present
    thresholds: BinaryThresholds
    joints: np.ndarray  # (B, 2, 2) uncalibrated binary confident joints
    is_off_diagonal: np.ndarray  # (B, N) bool
    predicts_present: np.ndarray  # (B, N) bool: the binary argmax


def _confident_block(labels, pred_probs, classes, thresholds=None) -> _ConfidentBlock:
    """The confident-learning pass over a block of classes, `labels` being their
    (B, N) boolean labels; `thresholds` (of the block) replace the computed ones."""
    present, absent = transposed_block(pred_probs, classes)
    if thresholds is None:
        thresholds = binary_thresholds(present, absent, labels)
    joints, is_off, predicts_present = binary_confident_joints(
        present, absent, labels, thresholds.cutoffs(present.dtype)
    )
    return _ConfidentBlock(
        present, absent, thresholds, joints, is_off, predicts_present
    )


def _per_class_issues(onehot, pred_probs, options: _Options):
    """(K, N) issues of every class's binary problem, and the binary thresholds."""
    num_examples, num_classes = pred_probs.shape
    blocks = class_blocks(num_examples, num_classes, pred_probs.itemsize)
    solve = _solve_block_low_memory if options.low_memory else _solve_block

    def run(classes: slice) -> _BlockResult:
        labels = np.ascontiguousarray(onehot[:, classes].T)
        return solve(labels, pred_probs, classes, options)

    threads = min(options.n_threads, len(blocks))
    if threads <= 1:
        results = [run(classes) for classes in blocks]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(run, blocks))
    too_few = np.concatenate([r.too_few for r in results])
    if too_few.any():
        _warn_too_few(too_few, options)
    issues = np.concatenate([r.issues for r in results])
    return issues, BinaryThresholds.concatenate([r.thresholds for r in results])


def _solve_block(labels, pred_probs, classes, options: _Options) -> _BlockResult:
    """The issues of a block of classes, as the single-label filter finds them."""
    present, absent, thresholds, joints, is_off, predicts_present = _confident_block(
        labels, pred_probs, classes
    )
    too_few = np.zeros((len(labels), 2), dtype=bool)
    if options.filter_by in PRUNE_METHODS:
        given = None if options.joints is None else options.joints[classes]
        removals = None if options.removals is None else options.removals[classes]
        issues, too_few = _prune(
            present, absent, labels, joints, given, removals, options
        )
    elif options.filter_by == "predicted_neq_given":
        issues = predicts_present != labels
    else:  # confident_learning, and the count of the low_* methods
        issues = is_off
    del is_off, predicts_present
    issues &= ~given_label_is_top(present, absent, labels)
    return _BlockResult(issues, thresholds, too_few)


def _prune(present, absent, labels, joints, given_joints, removals, options):
    """`prune_by_noise_rate` / `prune_by_class` / `both` on a block of classes.

    Returns ``(issues, too_few)``; the examples of a binary class are pruned only
    when it has more than `min_examples_per_class` examples and more than one.
    """
    class_counts = binary_class_counts(labels.T)
    if given_joints is None:
        given_joints = calibrate_binary_joints(joints, class_counts)
    prune_counts = keep_at_least_n_binary(
        np.transpose(given_joints, (0, 2, 1)),
        options.min_examples_per_class,
        options.frac_noise,
    )
    if removals is not None:
        prune_counts = prune_counts_for_removal_binary(
            prune_counts, removals, class_counts
        )
    minimum = options.min_examples_per_class
    is_pruned = (class_counts > minimum) & (class_counts > 1)
    too_few = (class_counts <= minimum) & (class_counts > 0)
    groups = (~labels, labels)
    given = np.where(labels, present, absent)
    issues = np.ones(labels.shape, dtype=bool)
    if options.filter_by in ("prune_by_class", "both"):
        by_class = np.zeros(labels.shape, dtype=bool)
        for side, group in enumerate(groups):
            remove = class_counts[:, side] - prune_counts[:, side, side]
            remove = np.where(is_pruned[:, side], np.maximum(remove, 0), 0)
            by_class |= lowest_in_groups(given, group, remove)
        issues &= by_class
    if options.filter_by in ("prune_by_noise_rate", "both"):
        other = np.where(labels, absent, present)
        # Sorting `given - other` upwards is cleanlab 2.9's argsort(-margin); the
        # exact expression is rebuilt for rows whose ties need np.argsort.
        keys = given - other

        def exact_key(row, members):
            return -(other[row, members] - given[row, members])

        by_rate = np.zeros(labels.shape, dtype=bool)
        for side, group in enumerate(groups):
            count = np.where(is_pruned[:, side], prune_counts[:, 1 - side, side], 0)
            by_rate |= lowest_in_groups(keys, group, count, exact_key)
        issues &= by_rate
    return issues, too_few


def _warn_too_few(too_few: np.ndarray, options: _Options) -> None:
    """One warning per pruning rule naming the classes that have too few examples."""
    without, with_class = (np.flatnonzero(too_few[:, side]) for side in (0, 1))
    parts = []
    if len(with_class):
        parts.append(f"{_class_list(with_class)} (examples annotated with the class)")
    if len(without):
        parts.append(f"{_class_list(without)} (examples without the class)")
    where = "; ".join(parts)
    rules = []
    if options.filter_by in ("prune_by_class", "both"):
        rules.append("(see argument: `min_examples_per_class`)")
    if options.filter_by in ("prune_by_noise_rate", "both"):
        rules.append("(see `min_examples_per_class` argument)")
    for rule in rules:
        warnings.warn(
            f"May not flag all label issues in class: {where}, it has too few "
            f"examples {rule}",
            TooFewExamplesWarning,
            stacklevel=user_stacklevel(),
        )


def _class_list(classes: np.ndarray) -> str:
    shown = ", ".join(str(k) for k in classes[:10])
    return shown + (f" and {len(classes) - 10} more" if len(classes) > 10 else "")


# ---------------------------------------------------------------------------
# low_memory: the find_label_issues_batched result on every binary problem
# ---------------------------------------------------------------------------


def _solve_block_low_memory(labels, pred_probs, classes, options) -> _BlockResult:
    """Per class, what `find_label_issues_batched` finds on the binary problem:
    the `m` lowest binary scores, `m` being its confident-learning issues (the
    in-memory ``low_*`` rule)."""
    present, absent, thresholds, _, is_off, _ = _confident_block(
        labels, pred_probs, classes
    )
    is_off &= ~given_label_is_top(present, absent, labels)
    num_issues = np.count_nonzero(is_off, axis=1)
    del is_off
    scores = _block_binary_scores(present, absent, labels, options.rank_by)
    issues = lowest_in_groups(scores, np.ones(labels.shape, dtype=bool), num_issues)
    return _BlockResult(issues, thresholds, np.zeros((len(labels), 2), dtype=bool))


def _block_binary_scores(present, absent, labels, method) -> np.ndarray:
    """(B, N) binary label quality scores in the dtype of `present`."""
    given = np.where(labels, present, absent)
    if method in (None, "self_confidence"):
        return given
    other = np.where(labels, absent, present)
    if method == "normalized_margin":
        return (given - other + 1) / 2
    return confidence_weighted_entropy_of_pairs(given, other)


# ---------------------------------------------------------------------------
# Ranking
# ---------------------------------------------------------------------------


def _lowest_scores(onehot, pred_probs, options: _Options):
    """The ``low_*`` methods: mask of the lowest multi-label scores, and the ranking.

    As many are flagged as have a confident-learning issue in some class; the
    score is the one the method names (cleanlab 2.9 used self-confidence for
    both). The ranked indices are ordered by their own scores.
    """
    count_options = options._replace(filter_by="confident_learning")
    issues, thresholds = _per_class_issues(onehot, pred_probs, count_options)
    num_issues = np.count_nonzero(issues.any(axis=0))
    del issues
    method = LOW_SCORE_METHODS[options.filter_by]
    scores = aggregated_scores(
        onehot, pred_probs, base_scorer=ClassLabelScorer.from_str(method)
    )
    # Ascending indices, so that ties in the ranking below keep index order.
    flagged = np.sort(first_of_argsort(scores, num_issues))
    is_issue = np.zeros(len(scores), dtype=bool)
    is_issue[flagged] = True
    if options.rank_by is None:
        return is_issue, None
    if options.rank_by == method and not options.adjust_pred_probs:
        return is_issue, flagged[np.argsort(scores[flagged])]
    return is_issue, _rank_flagged(onehot, pred_probs, flagged, options, thresholds)


def _rank_flagged(onehot, pred_probs, flagged, options: _Options, thresholds):
    """`flagged` (ascending) ordered by their multi-label score, worst first."""
    scores = aggregated_scores(
        onehot,
        pred_probs,
        base_scorer=ClassLabelScorer.from_str(options.rank_by),
        thresholds=thresholds if options.adjust_pred_probs else None,
        rows=flagged,
    )
    return flagged[np.argsort(scores)]


def _rank_binary_issues(onehot, pred_probs, is_issue, k, options, thresholds):
    """Class k's issues ordered by their binary score (as `rank.order_label_issues`
    on the binary problem: same array, same dtype, same argsort)."""
    flagged = np.flatnonzero(is_issue)
    pair = None
    if options.adjust_pred_probs:
        dtype = np.float32 if thresholds.is_narrow[k] else np.float64
        pair = thresholds.values[k].astype(dtype)
    scores = compute_label_quality_scores(
        onehot[flagged, k].astype(np.int64),
        stack_complement(pred_probs[flagged, k]),
        method=options.rank_by,
        adjust_pred_probs=options.adjust_pred_probs,
        confident_thresholds=pair,
    )
    return flagged[np.argsort(scores)]


# ---------------------------------------------------------------------------
# The one-vs-rest counts behind `cleanlab.count(multi_label=True)`
# ---------------------------------------------------------------------------


def ovr_confident_joints(onehot, pred_probs, *, thresholds=None, calibrate=True):
    """The (K, 2, 2) binary confident joints and (K, N) off-diagonal masks.

    `thresholds` (shape (2,)), when given, replace every class's computed
    thresholds, as in cleanlab 2.9. The joints are calibrated to each class's
    binary counts when `calibrate`.
    """
    num_examples, num_classes = pred_probs.shape
    user = None
    if thresholds is not None:
        thresholds = np.asarray(thresholds)
        values = np.broadcast_to(thresholds.astype(np.float64), (num_classes, 2))
        user = BinaryThresholds(
            np.array(values), np.full(num_classes, thresholds.dtype == np.float32)
        )
    joints, masks = [], []
    for classes in class_blocks(num_examples, num_classes, pred_probs.itemsize):
        labels = np.ascontiguousarray(onehot[:, classes].T)
        given = None if user is None else user.take(classes)
        block = _confident_block(labels, pred_probs, classes, given)
        joints.append(block.joints)
        masks.append(block.is_off_diagonal)
    joints = np.concatenate(joints)
    if calibrate:
        joints = calibrate_binary_joints(joints, binary_class_counts(onehot))
    return joints, np.concatenate(masks)


def binary_class_counts(onehot: np.ndarray) -> np.ndarray:
    """(K, 2) number of examples without / with each class."""
    num_present = np.count_nonzero(onehot, axis=0)
    return np.column_stack((len(onehot) - num_present, num_present))


def issues_from_binary_joints(joints: np.ndarray, num_examples: int) -> np.ndarray:
    """Per class ``rint((1 - trace(joint)) * N)`` of the normalized binary joints."""
    totals = np.maximum(joints.sum(axis=(1, 2), dtype=float), TINY_VALUE)
    normalized = joints / totals[:, None, None]
    trace = normalized[:, 0, 0] + normalized[:, 1, 1]
    return np.rint((1 - trace) * num_examples).astype(int)
