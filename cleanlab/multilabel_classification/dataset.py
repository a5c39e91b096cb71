"""Dataset-level summaries of the label issues of multi-label data.

Which class annotations are most often wrong (a class given but likely absent,
or absent but likely present), a ranking of the classes by label quality, and
one health score for the whole dataset. Everything is derived from one pass of
one-vs-rest confident learning
(`cleanlab.multilabel_classification.filter.find_multilabel_issues_per_class`
with its defaults). pandas is imported when a table is built.
"""

import warnings

import numpy as np

from cleanlab.internal.errors import user_stacklevel
from cleanlab.internal.multilabel_filter import find_multilabel_issues_per_class
from cleanlab.internal.multilabel_utils import check_multilabel_inputs

__all__ = [
    "common_multilabel_issues",
    "multilabel_health_summary",
    "overall_multilabel_health_score",
    "rank_classes_by_multilabel_quality",
]

# cleanlab 2.9's message when the dataset size cannot be known, kept as the
# start of ours because user code may match on it.
_NO_EXAMPLES_MESSAGE = (
    "Error: num_examples is None. You must either provide confident_joint, or "
    "provide both num_example and joint as input parameters."
)
_COMMON_COLUMNS = (
    "Class Name",
    "Class Index",
    "In Given Label",
    "In Suggested Label",
    "Num Examples",
    "Issue Probability",
)
_CLASS_COLUMNS = (
    "Class Name",
    "Class Index",
    "Label Issues",
    "Inverse Label Issues",
    "Label Noise",
    "Inverse Label Noise",
    "Label Quality Score",
)


def common_multilabel_issues(
    labels=list,
    pred_probs: np.ndarray | None = None,
    *,
    class_names: list[str] | None = None,
    confident_joint: np.ndarray | None = None,
):
    """Tabulate how often each class annotation is likely wrong, both ways.

    For each class there are two rows: examples annotated with the class that
    likely lack it ("In Given Label" True, "In Suggested Label" False), and
    examples lacking the class that likely have it (False, True).

    Parameters
    ----------
    labels : list of lists of int
        ``labels[i]`` lists the classes (indices in ``0..K-1``) annotated for
        example ``i``; an empty list means no class. Required (the default,
        kept from cleanlab 2.9's signature, counts as missing).
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probability that each class applies to each
        example, float32 or float64, in [0, 1]. Rows need not sum to 1.
    class_names : list of str, optional
        Name of each class, in class-index order; adds a "Class Name" column.
    confident_joint : np.ndarray of shape (K, 2, 2), optional
        Each class's binary confident joint, used instead of computing it.

    Returns
    -------
    pandas.DataFrame
        2K rows, columns "Class Name" (with `class_names`), "Class Index",
        "In Given Label", "In Suggested Label", "Num Examples" (number of such
        issues) and "Issue Probability" (that number over N), sorted by
        "Issue Probability" in decreasing order; ties keep the class order,
        the "given" row of a class first.

    Raises
    ------
    ValueError
        If `labels` is missing, or as in
        `cleanlab.multilabel_classification.filter.find_label_issues`.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.multilabel_classification.dataset import (
    ...     common_multilabel_issues,
    ... )
    >>> labels = [[0], [0, 1], [1], [0], [], [1]]
    >>> pred_probs = np.array([[.9, .3], [.8, .7], [.1, .9], [.7, .2], [.2, .3],
    ...                        [.1, .1]])
    >>> table = common_multilabel_issues(labels, pred_probs)
    >>> table["Class Index"].tolist(), table["In Given Label"].tolist()
    ([1, 0, 0, 1], [True, True, False, False])
    >>> table["Num Examples"].tolist()
    [1, 0, 0, 0]
    """
    labels = _required_labels(labels, confident_joint)
    counts = _class_issue_counts(labels, pred_probs, confident_joint, class_names)
    return _common_issues_table(counts, len(labels), class_names)


def _required_labels(labels, confident_joint):
    """`labels`, or a ValueError when they are missing (None or the `list` type)."""
    if labels is None or labels is list:
        if confident_joint is None:
            msg = f"{_NO_EXAMPLES_MESSAGE} Pass `labels`, a list of lists of classes."
        else:
            msg = (
                "`labels` is required (a list with one list of class indices per "
                "example): the issues of each example are computed from it."
            )
        raise ValueError(msg)
    return labels


class _IssueCounts:
    """Per-class issue counts of one run of one-vs-rest confident learning.

    `given` and `inverse` (K,) count the flagged examples annotated with /
    lacking each class; `num_flagged` counts the examples flagged in any class.
    """

    __slots__ = ("given", "inverse", "num_flagged")

    def __init__(self, issues: np.ndarray, onehot: np.ndarray):
        self.given = np.count_nonzero(issues & onehot, axis=0).astype(np.int64)
        self.inverse = np.count_nonzero(issues & ~onehot, axis=0).astype(np.int64)
        self.num_flagged = int(np.count_nonzero(issues.any(axis=1)))


def _class_issue_counts(
    labels, pred_probs, confident_joint, class_names=None
) -> _IssueCounts:
    """Validate and run the per-class issue finder with its default options."""
    onehot, pred_probs = check_multilabel_inputs(labels, pred_probs)
    _check_class_names(class_names, pred_probs.shape[1])
    issues = find_multilabel_issues_per_class(
        onehot, pred_probs, confident_joint=confident_joint
    )
    return _IssueCounts(issues, onehot)


def _common_issues_table(counts: _IssueCounts, num_examples: int, class_names):
    """The sorted 2K-row table of `common_multilabel_issues`."""
    import pandas as pd

    num_classes = len(counts.given)
    classes = np.repeat(np.arange(num_classes, dtype=np.int64), 2)
    in_given = np.tile([True, False], num_classes)
    num_issues = np.column_stack((counts.given, counts.inverse)).ravel()
    columns = {
        "Class Index": classes,
        "In Given Label": in_given,
        "In Suggested Label": ~in_given,
        "Num Examples": num_issues,
        "Issue Probability": num_issues / num_examples,
    }
    if class_names is not None:
        columns = {"Class Name": [class_names[k] for k in classes], **columns}
    table = pd.DataFrame(columns)
    table = table.sort_values("Issue Probability", ascending=False, kind="stable")
    return table.reset_index(drop=True)


def _check_class_names(class_names, num_classes: int) -> None:
    if class_names is not None and len(class_names) != num_classes:
        msg = (
            f"`class_names` must hold one name per class: {num_classes} (columns "
            f"of `pred_probs`); got {len(class_names)}."
        )
        raise ValueError(msg)


def rank_classes_by_multilabel_quality(
    labels=None,
    pred_probs: np.ndarray | None = None,
    *,
    class_names: list[str] | None = None,
    joint: np.ndarray | None = None,
    confident_joint: np.ndarray | None = None,
):
    """Rank the classes by the quality of their annotations, worst first.

    Parameters
    ----------
    labels : list of lists of int
        ``labels[i]`` lists the classes (indices in ``0..K-1``) annotated for
        example ``i``; an empty list means no class.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probability that each class applies to each
        example, float32 or float64, in [0, 1]. Rows need not sum to 1.
    class_names : list of str, optional
        Name of each class, in class-index order; adds a "Class Name" column.
    joint : np.ndarray, optional
        Not used (a normalized joint cannot stand in for counts); a warning says
        so. cleanlab 2.9 used it as the confident joint.
    confident_joint : np.ndarray of shape (K, 2, 2), optional
        Each class's binary confident joint, used instead of computing it.

    Returns
    -------
    pandas.DataFrame
        One row per class, sorted by "Label Quality Score" (increasing; ties
        keep class order), with columns "Class Name" (with `class_names`),
        "Class Index", "Label Issues" (examples annotated with the class that
        likely lack it), "Inverse Label Issues" (examples lacking it that
        likely have it), "Label Noise" and "Inverse Label Noise" (those counts
        over N) and "Label Quality Score" (``1 - Label Noise``).

    Raises
    ------
    ValueError
        If `labels` is missing, or as in
        `cleanlab.multilabel_classification.filter.find_label_issues`.

    Warns
    -----
    UserWarning
        If `joint` is given.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.multilabel_classification.dataset import (
    ...     rank_classes_by_multilabel_quality,
    ... )
    >>> labels = [[0], [0, 1], [1], [0], [], [1]]
    >>> pred_probs = np.array([[.9, .3], [.8, .7], [.1, .9], [.7, .2], [.2, .3],
    ...                        [.1, .1]])
    >>> table = rank_classes_by_multilabel_quality(labels, pred_probs)
    >>> table["Class Index"].tolist(), table["Label Issues"].tolist()
    ([1, 0], [1, 0])
    """
    _warn_unused_joint(joint)
    labels = _required_labels(labels, confident_joint)
    counts = _class_issue_counts(labels, pred_probs, confident_joint, class_names)
    return _class_ranking_table(counts, len(labels), class_names)


def _warn_unused_joint(joint) -> None:
    if joint is not None:
        warnings.warn(
            "`joint` is not used by rank_classes_by_multilabel_quality: a "
            "normalized joint cannot replace issue counts. Pass the (K, 2, 2) "
            "confident joint as `confident_joint` instead.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )


def _class_ranking_table(counts: _IssueCounts, num_examples: int, class_names):
    """The per-class table of `rank_classes_by_multilabel_quality`.

    Rows are built in the order in which the classes first appear in the sorted
    `common_multilabel_issues` table, then stably sorted by quality score.
    """
    import pandas as pd

    common = _common_issues_table(counts, num_examples, None)
    first_seen = common["Class Index"].drop_duplicates().to_numpy()
    noise = counts.given / num_examples
    inverse_noise = counts.inverse / num_examples
    columns = {
        "Class Index": first_seen,
        "Label Issues": counts.given[first_seen],
        "Inverse Label Issues": counts.inverse[first_seen],
        "Label Noise": noise[first_seen],
        "Inverse Label Noise": inverse_noise[first_seen],
        "Label Quality Score": 1 - noise[first_seen],
    }
    if class_names is not None:
        columns = {"Class Name": [class_names[k] for k in first_seen], **columns}
    table = pd.DataFrame(columns)
    table = table.sort_values("Label Quality Score", kind="stable")
    return table.reset_index(drop=True)


def overall_multilabel_health_score(
    labels=None,
    pred_probs: np.ndarray | None = None,
    *,
    confident_joint: np.ndarray | None = None,
) -> float:
    """One number for the label quality of the dataset: 1 minus the fraction of
    examples with a likely wrong class annotation.

    Parameters
    ----------
    labels : list of lists of int
        ``labels[i]`` lists the classes (indices in ``0..K-1``) annotated for
        example ``i``; an empty list means no class.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probability that each class applies to each
        example, float32 or float64, in [0, 1]. Rows need not sum to 1.
    confident_joint : np.ndarray of shape (K, 2, 2), optional
        Each class's binary confident joint, used instead of computing it.

    Returns
    -------
    numpy.float64
        In [0, 1]; 1 means no issue was found.

    Raises
    ------
    ValueError
        If `labels` is missing, or as in
        `cleanlab.multilabel_classification.filter.find_label_issues`.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.multilabel_classification.dataset import (
    ...     overall_multilabel_health_score,
    ... )
    >>> labels = [[0], [0, 1], [1], [0], [], [1]]
    >>> pred_probs = np.array([[.9, .3], [.8, .7], [.1, .9], [.7, .2], [.2, .3],
    ...                        [.1, .1]])
    >>> float(overall_multilabel_health_score(labels, pred_probs))
    0.8333333333333334
    """
    if labels is None:
        raise ValueError(f"{_NO_EXAMPLES_MESSAGE} Pass `labels`.")
    counts = _class_issue_counts(labels, pred_probs, confident_joint)
    return _health_score(counts, len(labels))


def _health_score(counts: _IssueCounts, num_examples: int) -> np.float64:
    return np.float64(1.0 - counts.num_flagged / num_examples)


def multilabel_health_summary(
    labels=None,
    pred_probs: np.ndarray | None = None,
    *,
    class_names: list[str] | None = None,
    num_examples: int | None = None,
    confident_joint: np.ndarray | None = None,
    verbose: bool = True,
) -> dict:
    """All dataset-level summaries at once: health score, class ranking and the
    most common issues.

    Parameters
    ----------
    labels : list of lists of int
        ``labels[i]`` lists the classes (indices in ``0..K-1``) annotated for
        example ``i``; an empty list means no class.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probability that each class applies to each
        example, float32 or float64, in [0, 1]. Rows need not sum to 1.
    class_names : list of str, optional
        Name of each class, in class-index order.
    num_examples : int, optional
        Dataset size shown in the printed summary (default ``len(labels)``).
    confident_joint : np.ndarray of shape (K, 2, 2), optional
        Each class's binary confident joint, used instead of computing it.
    verbose : bool, default=True
        Print the summaries.

    Returns
    -------
    dict
        ``{"overall_multilabel_health_score": float,
        "classes_by_multilabel_quality": DataFrame,
        "common_multilabel_issues": DataFrame}``, as returned by
        `overall_multilabel_health_score`, `rank_classes_by_multilabel_quality`
        and `common_multilabel_issues` (computed once, shared by the three).

    Raises
    ------
    ValueError
        If `labels` is missing, or as in
        `cleanlab.multilabel_classification.filter.find_label_issues`.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.multilabel_classification.dataset import (
    ...     multilabel_health_summary,
    ... )
    >>> labels = [[0], [0, 1], [1], [0], [1], [0, 1]]
    >>> pred_probs = np.array(
    ...     [[0.9, 0.1], [0.8, 0.9], [0.1, 0.8], [0.9, 0.2], [0.8, 0.1], [0.7, 0.8]]
    ... )
    >>> summary = multilabel_health_summary(labels, pred_probs, verbose=False)
    >>> sorted(summary)
    ['classes_by_multilabel_quality', 'common_multilabel_issues',
     'overall_multilabel_health_score']
    >>> float(round(summary["overall_multilabel_health_score"], 3))  # example 4
    0.833
    """
    if labels is None:
        raise ValueError(f"{_NO_EXAMPLES_MESSAGE} Pass `labels`.")
    if num_examples is None:
        num_examples = len(labels)
    counts = _class_issue_counts(labels, pred_probs, confident_joint, class_names)
    classes = _class_ranking_table(counts, len(labels), class_names)
    common = _common_issues_table(counts, len(labels), class_names)
    score = _health_score(counts, len(labels))
    if verbose:
        _print_summary(num_examples, classes, common, score)
    return {
        "overall_multilabel_health_score": score,
        "classes_by_multilabel_quality": classes,
        "common_multilabel_issues": common,
    }


def _print_summary(num_examples, classes, common, score) -> None:
    title = f"|  Multi-label health summary of a dataset of {num_examples} examples  |"
    rule = "-" * len(title)
    print(f"{rule}\n{title}\n{rule}\n")
    print("Classes ranked by label quality (worst first):\n")
    print(classes.to_string(index=False), "\n")
    print("Most common issues (given label vs. suggested label):\n")
    print(common.to_string(index=False), "\n")
    print(f"Overall multi-label health score: {score:.4g}")
