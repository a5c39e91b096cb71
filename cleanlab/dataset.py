"""Dataset-level summaries of label quality.

Everything here is read off the estimated joint distribution of given and true
labels (`cleanlab.count.estimate_joint`), a small K x K matrix: which classes
carry the most label noise, which pairs of classes are confused most often, one
overall health score, and a summary of all three. Each function accepts one of
three input styles: `labels` with `pred_probs`, a `joint` with `num_examples`,
or a `confident_joint`.
"""

import importlib.util
import numbers

import numpy as np
import pandas as pd

from cleanlab import count
from cleanlab.internal.confident_learning import (
    calibrate_to_class_counts,
    confident_pass,
    floor_diagonal,
    given_label_is_top,
)
from cleanlab.internal.constants import EPSILON
from cleanlab.internal.containers import is_dask_array
from cleanlab.internal.validation import (
    assert_valid_class_labels,
    check_square_counts,
    labels_to_array,
    validate_labels_and_pred_probs,
)
from cleanlab.typing import LabelLike

__all__ = [
    "find_overlapping_classes",
    "health_summary",
    "overall_label_health_score",
    "rank_classes_by_label_quality",
]

# A `joint` is a probability distribution: its entries may sum to 1 up to this.
JOINT_SUM_TOLERANCE = 1e-3

_MULTILABEL_RANK_MSG = (
    "For multilabel data, please instead call:  "
    "multilabel_classification.dataset.overall_multilabel_health_score()"
)
_MULTILABEL_OVERLAP_MSG = (
    "For multilabel data, please instead call: "
    "multilabel_classification.dataset.common_multilabel_issues()"
)
_MULTILABEL_SCORE_MSG = (
    "For multilabel data, please instead call: "
    "multilabel_classification.dataset.overall_multilabel_health_score()"
)
_MULTILABEL_SUMMARY_MSG = (
    "For multilabel data, please call multilabel_classification.dataset.health_summary"
)
_LABEL_CONTAINERS = (list, np.ndarray, np.generic, pd.Series, pd.DataFrame)


def rank_classes_by_label_quality(
    labels: LabelLike | None = None,
    pred_probs: np.ndarray | None = None,
    *,
    class_names: list | None = None,
    num_examples: int | None = None,
    joint: np.ndarray | None = None,
    confident_joint: np.ndarray | None = None,
    multi_label: bool = False,
) -> pd.DataFrame:
    """Rank the classes of a dataset from the noisiest labels to the cleanest.

    For each class ``k`` the estimated joint distribution ``joint[given, true]``
    gives the share of examples labelled ``k`` whose true class is another one
    (label noise) and the share of examples truly of class ``k`` that carry
    another label (inverse label noise).

    Parameters
    ----------
    labels : array_like of shape (N,), optional
        Given class label of each example, an integer in ``0..K-1``.
    pred_probs : np.ndarray of shape (N, K), optional
        Out-of-sample predicted probabilities (float32 or float64); used with
        `labels` when neither `joint` nor `confident_joint` is given.
    class_names : list of length K, optional
        Name of each class, added as a first column ``"Class Name"``.
    num_examples : int, optional
        Number of examples N, used to turn shares into counts. Defaults to
        ``len(labels)``, else to the sum of `confident_joint`.
    joint : np.ndarray of shape (K, K), optional
        Estimated ``P(given label, true label)``, summing to 1; computed from the
        other inputs when not given.
    confident_joint : np.ndarray of shape (K, K), optional
        Confident joint counts (``count.compute_confident_joint``); calibrated
        with `labels` when those are given.
    multi_label : bool, default=False
        Not supported here; see ``cleanlab.multilabel_classification.dataset``.

    Returns
    -------
    pd.DataFrame
        One row per class, sorted by ``"Label Quality Score"`` ascending, with
        columns ``"Class Index"``, ``"Label Issues"`` (examples labelled ``k``
        whose true class differs, int64), ``"Inverse Label Issues"`` (examples
        truly ``k`` labelled otherwise, int64), ``"Label Noise"``, ``"Inverse
        Label Noise"`` and ``"Label Quality Score"`` (``1 - Label Noise``),
        preceded by ``"Class Name"`` when `class_names` is given.

    Raises
    ------
    ValueError
        For ``multi_label=True``; when the inputs are not one of the three
        styles; for a `joint` that is not a square matrix summing to 1, a
        non-positive `num_examples`, `class_names` not of length K, or invalid
        `labels`/`pred_probs`.
    TypeError
        For `labels`, `pred_probs` or `num_examples` of the wrong type.

    See Also
    --------
    find_overlapping_classes, overall_label_health_score, health_summary

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.dataset import rank_classes_by_label_quality
    >>> joint = np.array([[0.4, 0.1], [0.0, 0.5]])
    >>> table = rank_classes_by_label_quality(joint=joint, num_examples=100)
    >>> table[["Class Index", "Label Issues", "Label Quality Score"]]
       Class Index  Label Issues  Label Quality Score
    0            0            10                  0.8
    1            1             0                  1.0
    """
    if multi_label:
        raise ValueError(_MULTILABEL_RANK_MSG)
    labels, joint, confident_joint = _resolve_inputs(
        labels, pred_probs, joint, confident_joint
    )
    num_examples = _resolve_num_examples(num_examples, labels, confident_joint)
    class_names = _check_class_names(class_names, len(joint))
    return _class_quality_table(joint, num_examples, class_names)


def _class_quality_table(joint, num_examples, class_names) -> pd.DataFrame:
    """The per-class table of `rank_classes_by_label_quality`, sorted."""
    given_share = joint.sum(axis=1)
    true_share = joint.sum(axis=0)
    correct = joint.diagonal()
    label_issues = given_share - correct
    inverse_issues = true_share - correct
    label_noise = label_issues / np.maximum(given_share, EPSILON)
    inverse_noise = inverse_issues / np.maximum(true_share, EPSILON)
    table = pd.DataFrame(
        {
            "Class Index": np.arange(len(joint), dtype=np.int64),
            "Label Issues": _counts(label_issues, num_examples),
            "Inverse Label Issues": _counts(inverse_issues, num_examples),
            "Label Noise": label_noise,
            "Inverse Label Noise": inverse_noise,
            "Label Quality Score": 1 - label_noise,
        }
    )
    if class_names is not None:
        table.insert(0, "Class Name", class_names)
    table = table.sort_values(by="Label Quality Score", ascending=True)
    return table.reset_index(drop=True)


def _counts(shares: np.ndarray, num_examples) -> np.ndarray:
    """Shares of the dataset turned into numbers of examples (half to even), int64."""
    return np.round(shares * num_examples).astype(np.int64)


def find_overlapping_classes(
    labels: LabelLike | None = None,
    pred_probs: np.ndarray | None = None,
    *,
    asymmetric: bool = False,
    class_names: list | None = None,
    num_examples: int | None = None,
    joint: np.ndarray | None = None,
    confident_joint: np.ndarray | None = None,
    multi_label: bool = False,
) -> pd.DataFrame:
    """List pairs of classes by how often their examples are mistaken for each other.

    Pairs that overlap a lot are candidates for merging into one class.

    Parameters
    ----------
    labels : array_like of shape (N,), optional
        Given class label of each example, an integer in ``0..K-1``.
    pred_probs : np.ndarray of shape (N, K), optional
        Out-of-sample predicted probabilities (float32 or float64); used with
        `labels` when neither `joint` nor `confident_joint` is given.
    asymmetric : bool, default=False
        If True, one row per ordered pair ``(A, B)``, ``A != B``, valued
        ``joint[A, B]`` (given label A, true class B). If False, one row per
        unordered pair ``A < B``, valued ``joint[A, B] + joint[B, A]``.
    class_names : list of length K, optional
        Name of each class, added as columns ``"Class Name A"`` and
        ``"Class Name B"``.
    num_examples : int, optional
        Number of examples N. Defaults to ``len(labels)``, else to the sum of
        `confident_joint`.
    joint : np.ndarray of shape (K, K), optional
        Estimated ``P(given label, true label)``, summing to 1.
    confident_joint : np.ndarray of shape (K, K), optional
        Confident joint counts; calibrated with `labels` when those are given.
    multi_label : bool, default=False
        Not supported here; see ``cleanlab.multilabel_classification.dataset``.

    Returns
    -------
    pd.DataFrame
        K(K-1) rows if `asymmetric` else K(K-1)/2, sorted by ``"Joint
        Probability"`` descending, with columns ``"Class Index A"``, ``"Class
        Index B"``, ``"Num Overlapping Examples"`` (int64) and ``"Joint
        Probability"``, preceded by the two name columns when `class_names` is
        given.

    Raises
    ------
    ValueError
        As `rank_classes_by_label_quality`, with its own message for
        ``multi_label=True``.
    TypeError
        For `labels`, `pred_probs` or `num_examples` of the wrong type.

    See Also
    --------
    rank_classes_by_label_quality, health_summary

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.dataset import find_overlapping_classes
    >>> joint = np.array([[0.3, 0.05, 0.02], [0.1, 0.25, 0.03], [0.04, 0.01, 0.2]])
    >>> find_overlapping_classes(joint=joint, num_examples=100)
       Class Index A  Class Index B  Num Overlapping Examples  Joint Probability
    0              0              1                        15               0.15
    1              0              2                         6               0.06
    2              1              2                         4               0.04
    """
    if multi_label:
        raise ValueError(_MULTILABEL_OVERLAP_MSG)
    labels, joint, confident_joint = _resolve_inputs(
        labels, pred_probs, joint, confident_joint
    )
    num_examples = _resolve_num_examples(num_examples, labels, confident_joint)
    class_names = _check_class_names(class_names, len(joint))
    return _overlap_table(joint, num_examples, asymmetric, class_names)


def _overlap_table(joint, num_examples, asymmetric, class_names) -> pd.DataFrame:
    """The pair table of `find_overlapping_classes` (pairs row-major), sorted."""
    num_classes = len(joint)
    if asymmetric:
        index_a, index_b = np.nonzero(~np.eye(num_classes, dtype=bool))
        probability = joint[index_a, index_b]
    else:
        index_a, index_b = np.triu_indices(num_classes, k=1)
        probability = joint[index_a, index_b] + joint[index_b, index_a]
    columns = {}
    if class_names is not None:
        names = list(class_names)
        columns["Class Name A"] = [names[i] for i in index_a.tolist()]
        columns["Class Name B"] = [names[i] for i in index_b.tolist()]
    columns["Class Index A"] = index_a.astype(np.int64, copy=False)
    columns["Class Index B"] = index_b.astype(np.int64, copy=False)
    columns["Num Overlapping Examples"] = _counts(probability, num_examples)
    columns["Joint Probability"] = probability
    table = pd.DataFrame(columns)
    table = table.sort_values(by="Joint Probability", ascending=False)
    return table.reset_index(drop=True)


def overall_label_health_score(
    labels: LabelLike | None = None,
    pred_probs: np.ndarray | None = None,
    *,
    num_examples: int | None = None,
    confident_joint: np.ndarray | None = None,
    joint: np.ndarray | None = None,
    multi_label: bool = False,
    verbose: bool = True,
) -> float:
    """Estimate the share of examples in a dataset whose given label is correct.

    With `labels` and `pred_probs` the score is ``1 - num_label_issues / N``
    (`cleanlab.count.num_label_issues`, default method); otherwise it is the
    trace of the joint distribution of given and true labels.

    Parameters
    ----------
    labels : array_like of shape (N,), optional
        Given class label of each example, an integer in ``0..K-1``.
    pred_probs : np.ndarray of shape (N, K), optional
        Out-of-sample predicted probabilities (float32 or float64).
    num_examples : int, optional
        Number of examples N. Defaults to ``len(labels)``, else to the sum of
        `confident_joint`.
    confident_joint : np.ndarray of shape (K, K), optional
        Confident joint counts. With `labels` and `pred_probs` it is ignored (with
        a warning) and recomputed.
    joint : np.ndarray of shape (K, K), optional
        Estimated ``P(given label, true label)``, summing to 1; used when
        `labels` or `pred_probs` is missing.
    multi_label : bool, default=False
        Not supported here; see ``cleanlab.multilabel_classification.dataset``.
    verbose : bool, default=True
        Print the estimated share and number of label issues and the score.

    Returns
    -------
    score : np.float64
        In [0, 1]; 1 means no label issues are estimated.

    Raises
    ------
    ValueError
        As `rank_classes_by_label_quality`, with its own message for
        ``multi_label=True``.
    TypeError
        For `labels`, `pred_probs` or `num_examples` of the wrong type.

    Warns
    -----
    UserWarning
        When `confident_joint` is given with `labels` and `pred_probs`.

    See Also
    --------
    health_summary, cleanlab.count.num_label_issues

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.dataset import overall_label_health_score
    >>> joint = np.array([[0.3, 0.05, 0.02], [0.1, 0.25, 0.03], [0.04, 0.01, 0.2]])
    >>> float(overall_label_health_score(joint=joint, num_examples=100))
     * Overall, about 25% (25 of the 100) labels in your dataset have potential issues.
     ** The overall label health score for this dataset is: 0.75.
    0.75
    """
    if multi_label:
        raise ValueError(_MULTILABEL_SCORE_MSG)
    use_counts = labels is not None and pred_probs is not None
    if use_counts:
        labels = _check_labels(labels)
        num_examples = _resolve_num_examples(num_examples, labels, None)
        num_issues = count.num_label_issues(
            labels, pred_probs, confident_joint=confident_joint
        )
        score, num_issues = _score_from_num_issues(num_issues, num_examples)
    else:
        labels, joint, confident_joint = _resolve_inputs(
            labels, pred_probs, joint, confident_joint
        )
        num_examples = _resolve_num_examples(num_examples, labels, confident_joint)
        score, num_issues = _score_from_joint(joint, num_examples)
    if verbose:
        _print_health_score(score, num_issues, num_examples)
    return score


def _score_from_num_issues(num_issues, num_examples) -> tuple:
    """Health score ``1 - issues / N`` and the number of issues."""
    return 1 - num_issues / num_examples, num_issues


def _score_from_joint(joint: np.ndarray, num_examples) -> tuple:
    """Health score ``trace(joint)`` and the number of issues it implies."""
    score = np.trace(joint)
    return score, int(round(num_examples * (1 - score)))


def _print_health_score(score, num_issues, num_examples) -> None:
    """Print the two lines reporting the overall label health score."""
    print(
        f" * Overall, about {(1 - score):.0%} ({num_issues:,} of the "
        f"{num_examples:,}) labels in your dataset have potential issues.\n"
        f" ** The overall label health score for this dataset is: {score:.2f}."
    )


def health_summary(
    labels: LabelLike | None = None,
    pred_probs: np.ndarray | None = None,
    *,
    asymmetric: bool = False,
    class_names: list | None = None,
    num_examples: int | None = None,
    joint: np.ndarray | None = None,
    confident_joint: np.ndarray | None = None,
    multi_label: bool = False,
    verbose: bool = True,
) -> dict:
    """Summarize the label quality of a dataset: classes, overlaps and one score.

    Combines `rank_classes_by_label_quality`, `find_overlapping_classes` and
    `overall_label_health_score`, estimating the joint distribution once (and,
    from `labels` and `pred_probs`, passing over them once).

    Parameters
    ----------
    labels : array_like of shape (N,), optional
        Given class label of each example, an integer in ``0..K-1``.
    pred_probs : np.ndarray of shape (N, K), optional
        Out-of-sample predicted probabilities (float32 or float64). A Dask array chunked
        by rows (with `labels` in memory or a Dask array of the same row chunks) is
        processed on the Dask cluster, with the same result (then without `joint` or
        `confident_joint`); see docs/scaling.md.
    asymmetric : bool, default=False
        Passed to `find_overlapping_classes`.
    class_names : list of length K, optional
        Name of each class, shown in both tables.
    num_examples : int, optional
        Number of examples N. Defaults to ``len(labels)``, else to the sum of
        `confident_joint`.
    joint : np.ndarray of shape (K, K), optional
        Estimated ``P(given label, true label)``, summing to 1.
    confident_joint : np.ndarray of shape (K, K), optional
        Confident joint counts; calibrated with `labels` when those are given.
        With `labels` and `pred_probs`, the score ignores it (with a warning).
    multi_label : bool, default=False
        Not supported here; see ``cleanlab.multilabel_classification.dataset``.
    verbose : bool, default=True
        Print a banner, both tables (with IPython's ``display`` when IPython is
        installed) and the health score.

    Returns
    -------
    dict
        ``"overall_label_health_score"`` (np.float64), ``"joint"`` (the K x K
        joint used), ``"classes_by_label_quality"`` and
        ``"overlapping_classes"`` (the two DataFrames).

    Raises
    ------
    ValueError
        As `rank_classes_by_label_quality`, with its own message for
        ``multi_label=True``.
    TypeError
        For `labels`, `pred_probs` or `num_examples` of the wrong type.

    Warns
    -----
    UserWarning
        When `confident_joint` is given with `labels` and `pred_probs`.

    See Also
    --------
    rank_classes_by_label_quality, find_overlapping_classes,
    overall_label_health_score

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.dataset import health_summary
    >>> joint = np.array([[0.4, 0.1], [0.0, 0.5]])
    >>> summary = health_summary(joint=joint, num_examples=100, verbose=False)
    >>> float(summary["overall_label_health_score"])
    0.9
    """
    if multi_label:
        raise ValueError(_MULTILABEL_SUMMARY_MSG)
    if is_dask_array(labels) or is_dask_array(pred_probs):
        _check_dask_summary_inputs(labels, pred_probs, joint, confident_joint)
    joint_given = joint is not None
    has_probabilities = labels is not None and pred_probs is not None
    if has_probabilities and joint is None and confident_joint is None:
        labels, joint, num_issues = _joint_and_num_issues(labels, pred_probs)
    else:
        labels, joint, confident_joint = _resolve_inputs(
            labels, pred_probs, joint, confident_joint
        )
        num_issues = None
    num_examples = _resolve_num_examples(num_examples, labels, confident_joint)
    class_names = _check_class_names(class_names, len(joint))
    classes = _class_quality_table(joint, num_examples, class_names)
    overlaps = _overlap_table(joint, num_examples, asymmetric, class_names)
    if has_probabilities:
        if num_issues is None:
            num_issues = count.num_label_issues(
                labels, pred_probs, confident_joint=confident_joint
            )
        score, num_issues = _score_from_num_issues(num_issues, num_examples)
    else:
        # The score comes from the confident joint when one is given, as in
        # `overall_label_health_score`, even beside a `joint`.
        if confident_joint is not None and joint_given:
            score_joint = count.estimate_joint(
                labels, None, confident_joint=confident_joint
            )
        else:
            score_joint = joint
        score, num_issues = _score_from_joint(score_joint, num_examples)
    if verbose:
        _print_summary(classes, overlaps, score, num_issues, num_examples, len(joint))
    return {
        "overall_label_health_score": score,
        "joint": joint,
        "classes_by_label_quality": classes,
        "overlapping_classes": overlaps,
    }


def _joint_and_num_issues(labels, pred_probs) -> tuple:
    """Validated labels, the estimated joint and `num_label_issues`, in one pass.

    Gives exactly ``count.estimate_joint(labels, pred_probs)`` and
    ``count.num_label_issues(labels, pred_probs)``: both come from the same
    uncalibrated confident joint and per-row guesses.
    """
    if is_dask_array(labels) or is_dask_array(pred_probs):
        return _joint_and_num_issues_dask(labels, pred_probs)
    labels = validate_labels_and_pred_probs(labels, pred_probs)
    counts, is_off_diagonal, top, top_value = confident_pass(labels, pred_probs)
    joint = count.estimate_joint(labels, pred_probs, confident_joint=counts)
    is_issue = is_off_diagonal & ~given_label_is_top(labels, pred_probs, top, top_value)
    return labels, joint, np.sum(is_issue)


def _check_dask_summary_inputs(labels, pred_probs, joint, confident_joint) -> None:
    """Dask arrays are summarized from `labels` and `pred_probs` alone."""
    if (
        labels is None
        or pred_probs is None
        or (joint is not None or confident_joint is not None)
    ):
        msg = (
            "With Dask arrays, health_summary() takes `labels` and `pred_probs` "
            "(both, no `joint` or `confident_joint`): the joint is estimated from "
            "them on the cluster."
        )
        raise ValueError(msg)


def _joint_and_num_issues_dask(labels, pred_probs) -> tuple:
    """`_joint_and_num_issues` of Dask arrays (cleanlab.internal.dask_backend,
    imported only when a Dask array arrives); `labels` comes back as a Dask
    array."""
    from cleanlab.internal import dask_backend

    blocks = dask_backend.row_blocks(labels, pred_probs)
    thresholds = dask_backend.validate_and_threshold(blocks)
    scan = dask_backend.confident_scan(blocks, thresholds)
    counts = calibrate_to_class_counts(
        floor_diagonal(scan["joint"]), blocks.class_counts
    )
    joint = count.estimate_joint(None, None, confident_joint=counts)
    return blocks.labels_array, joint, np.int64(scan["num_issues"])


def _print_summary(classes, overlaps, score, num_issues, num_examples, num_classes):
    """Print the banner, both tables and the score of `health_summary`."""
    show = _display_function()
    middle = (
        f"|   for your dataset with {num_examples:,} examples "
        f"and {num_classes:,} classes.  |"
    )
    width = len(middle)
    banner = [
        "-" * width,
        "|  Generating a Cleanlab Dataset Health Summary".ljust(width - 1) + "|",
        middle,
        "|  Note, Cleanlab is not a medical doctor... yet.".ljust(width - 1) + "|",
        "-" * width,
    ]
    print("\n".join(banner) + "\n")
    print(
        "Overall Class Quality and Noise across your dataset (below)\n"
        + "-" * 60
        + " \n"
    )
    show(classes)
    print(
        "\nClass Overlap. In some cases, you may want to merge classes in the top "
        "rows (below)\n" + "-" * 83 + "\n"
    )
    show(overlaps)
    print()
    _print_health_score(score, num_issues, num_examples)
    print("\nGenerated with <3 from Cleanlab.\n")


def _display_function():
    """IPython's ``display`` when IPython is installed, else ``print``."""
    if importlib.util.find_spec("IPython") is None:
        return print
    from IPython.display import display

    return display


# ---------------------------------------------------------------------------
# Input checks shared by the four functions.
# ---------------------------------------------------------------------------


def _resolve_inputs(labels, pred_probs, joint, confident_joint) -> tuple:
    """Check the inputs and return ``(labels, joint, confident_joint)``.

    `labels` comes back as an int64 array (or None), `confident_joint` as an
    array (or None), and `joint` is the given one or the one estimated from
    the confident joint or from `labels` and `pred_probs`.
    """
    _check_input_style(labels, pred_probs, joint, confident_joint)
    labels = _check_labels(labels)
    if joint is None and confident_joint is None:
        return labels, count.estimate_joint(labels, pred_probs), None
    if confident_joint is not None:
        confident_joint = _check_confident_joint(confident_joint)
        _check_num_classes(len(confident_joint), "confident_joint", labels, pred_probs)
    if joint is None:
        joint = count.estimate_joint(labels, None, confident_joint=confident_joint)
    else:
        joint = _check_joint(joint)
        _check_num_classes(len(joint), "joint", labels, pred_probs)
    return labels, joint, confident_joint


def _check_input_style(labels, pred_probs, joint, confident_joint) -> None:
    """Raise unless a joint can be formed from the given inputs."""
    if joint is not None or confident_joint is not None:
        return
    if labels is not None and pred_probs is not None:
        return
    given = [
        f"`{name}`"
        for name, value in (("labels", labels), ("pred_probs", pred_probs))
        if value is not None
    ]
    got = "only " + given[0] if given else "none of them"
    msg = (
        "Not enough inputs: pass `labels` and `pred_probs`, or `joint` and "
        f"`num_examples`, or `confident_joint`; got {got}."
    )
    raise ValueError(msg)


def _check_labels(labels) -> np.ndarray | None:
    """`labels` as a validated int64 array of class indices (None stays None)."""
    if labels is None:
        return None
    if not isinstance(labels, _LABEL_CONTAINERS):
        msg = (
            "labels should be a numpy array or pandas Series. `labels` is a "
            f"{type(labels).__name__}."
        )
        raise TypeError(msg)
    labels = labels_to_array(labels)
    assert_valid_class_labels(labels, allow_one_class=True)
    return labels.astype(np.int64, copy=False)


def _check_num_classes(num_classes: int, name: str, labels, pred_probs) -> None:
    """Raise if `labels` or `pred_probs` imply another number of classes than K."""
    if labels is not None and labels.max() >= num_classes:
        msg = (
            f"`labels` holds class index {labels.max()}, but `{name}` has only "
            f"{num_classes} classes."
        )
        raise ValueError(msg)
    shape = np.shape(pred_probs) if pred_probs is not None else ()
    if len(shape) == 2 and shape[1] != num_classes:
        msg = (
            f"`pred_probs` has {shape[1]} columns, but `{name}` has {num_classes} "
            "classes; they must describe the same classes."
        )
        raise ValueError(msg)


def _check_confident_joint(confident_joint) -> np.ndarray:
    """A confident joint: square, finite, non-negative counts that are not all 0."""
    confident_joint = check_square_counts(confident_joint, "confident_joint")
    if not confident_joint.sum() > 0:
        msg = "`confident_joint` counts no examples: all its entries are 0."
        raise ValueError(msg)
    return confident_joint


def _check_joint(joint) -> np.ndarray:
    """A joint distribution: square, non-negative, summing to 1 (floats kept)."""
    joint = check_square_counts(joint, "joint")
    if joint.dtype.kind != "f":
        joint = joint.astype(np.float64)
    total = float(joint.sum(dtype=np.float64))
    if abs(total - 1) > JOINT_SUM_TOLERANCE:
        msg = (
            f"`joint` must sum to 1 (it estimates P(given label, true label)); "
            f"its entries sum to {total:.6g}. Divide it by its sum, or pass counts "
            "as `confident_joint`."
        )
        raise ValueError(msg)
    return joint


def _resolve_num_examples(num_examples, labels, confident_joint):
    """`num_examples` checked, else ``len(labels)``, else the confident joint's sum."""
    if num_examples is not None:
        return _check_num_examples(num_examples)
    if labels is not None:
        return len(labels)
    if confident_joint is not None:
        return np.sum(confident_joint)
    msg = (
        "Error: num_examples is None. You must either provide confident_joint, "
        "or provide both num_example and joint as input parameters. Pass "
        "`num_examples` (the number of examples N) along with `joint`."
    )
    raise ValueError(msg)


def _check_num_examples(num_examples):
    """`num_examples` unchanged if it is a positive whole number, else raise."""
    if isinstance(num_examples, bool) or not isinstance(num_examples, numbers.Real):
        msg = (
            "`num_examples` must be a positive integer; got "
            f"{type(num_examples).__name__}."
        )
        raise TypeError(msg)
    is_whole = isinstance(num_examples, numbers.Integral) or (
        np.isfinite(num_examples) and num_examples % 1 == 0
    )
    if not is_whole or num_examples <= 0:
        msg = f"`num_examples` must be a positive integer; got {num_examples}."
        raise ValueError(msg)
    return num_examples


def _check_class_names(class_names, num_classes: int):
    """`class_names` as given (a Series as a list), or raise unless it has K names."""
    if class_names is None:
        return None
    if isinstance(class_names, (str, bytes)) or not hasattr(class_names, "__len__"):
        msg = (
            "`class_names` must be a list of K class names; got "
            f"{type(class_names).__name__}."
        )
        raise TypeError(msg)
    if len(class_names) != num_classes:
        msg = (
            f"`class_names` must have one name per class: {num_classes} expected, "
            f"got {len(class_names)}."
        )
        raise ValueError(msg)
    if isinstance(class_names, (list, tuple, np.ndarray)):
        return class_names
    return list(class_names)
