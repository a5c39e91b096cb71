"""Find the examples of a multi-label dataset whose class annotations look wrong.

Confident learning runs one-vs-rest: class ``k`` of every example is the binary
label "has class k" against the probabilities ``[1 - p_k, p_k]``, checked with
the rules of `cleanlab.filter.find_label_issues` (`filter_by`). An example is
an issue when any of its class annotations is. The K binary problems are solved
together, as array operations over blocks of classes.
"""

import numpy as np

from cleanlab.internal import multilabel_filter
from cleanlab.internal.multilabel_utils import check_multilabel_inputs

__all__ = ["find_label_issues", "find_multilabel_issues_per_class"]

# cleanlab 2.9's message for labels that are not a list of lists, kept as the
# start of ours because user code may match on it.
_PER_CLASS_FORMAT_CONTEXT = (
    "wrong format for labels, should be a list of list[indices], please check "
    "the documentation in find_label_issues for further information."
)


def find_label_issues(
    labels: list,
    pred_probs: np.ndarray,
    return_indices_ranked_by: str | None = None,
    rank_by_kwargs={},  # noqa: B006 (read, never modified)
    filter_by: str = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class: list[int] | None = None,
    min_examples_per_class=1,
    confident_joint: np.ndarray | None = None,
    n_jobs: int | None = None,
    verbose: bool = False,
    low_memory: bool = False,
) -> np.ndarray:
    """Flag the examples with a likely wrong class annotation.

    Each class's one-vs-rest problem is checked with the rules of
    `cleanlab.filter.find_label_issues` (`filter_by`); an example is flagged
    when any of its class annotations is (a class it lists but likely lacks,
    or a class it lacks but likely has).

    Parameters
    ----------
    labels : list of lists of int
        ``labels[i]`` lists the classes (indices in ``0..K-1``) annotated for
        example ``i``; an empty list means no class. Not a one-hot matrix (see
        `cleanlab.internal.multilabel_utils.onehot2int` to convert one).
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probability that each class applies to each
        example, float32 or float64, in [0, 1]. Rows need not sum to 1.
    return_indices_ranked_by : {None, "self_confidence", "normalized_margin", \
"confidence_weighted_entropy"}, default=None
        None returns a boolean mask. Otherwise the indices of the flagged
        examples are returned, ordered by their multi-label quality score
        (`cleanlab.multilabel_classification.rank.get_label_quality_scores`
        with this method), most likely wrong first.
    rank_by_kwargs : dict, default={}
        ``{"adjust_pred_probs": True}`` adjusts the probabilities of the
        ranking score.
    filter_by : {"prune_by_noise_rate", "prune_by_class", "both", \
"confident_learning", "predicted_neq_given", "low_normalized_margin", \
"low_self_confidence"}, default="prune_by_noise_rate"
        The rule applied to each class's binary problem, as in
        `cleanlab.filter.find_label_issues`. The ``low_*`` rules flag the
        examples with the lowest multi-label score of that kind, as many as
        "confident_learning" flags.
    frac_noise : float, default=1.0
        Fraction of each class's estimated issues to flag (prune methods).
    num_to_remove_per_class : list of int, optional
        ``num_to_remove_per_class[k]`` examples lacking class ``k`` are flagged
        for class ``k`` (prune methods).
    min_examples_per_class : int, default=1
        Do not prune a binary class with this many examples or fewer.
    confident_joint : np.ndarray of shape (K, 2, 2), optional
        Each class's binary confident joint ``[class, given, true]`` (as
        returned by ``cleanlab.count.compute_confident_joint(labels,
        pred_probs, multi_label=True)``), used by the prune methods instead of
        computing it.
    n_jobs : int, optional
        Number of threads over blocks of classes (None: one per core). Results
        do not depend on it.
    verbose : bool, default=False
        Print the number of issues found.
    low_memory : bool, default=False
        Flag, on each class, what
        `cleanlab.experimental.label_issues_batched.find_label_issues_batched`
        flags on its binary problem (the ``low_self_confidence`` rule, or the
        ``return_indices_ranked_by`` score); `filter_by` and the prune options
        are then unused.

    Returns
    -------
    np.ndarray
        Boolean mask of shape (N,) (True = issue), or the int64 indices of the
        issues, worst first, if `return_indices_ranked_by` is set.

    Raises
    ------
    TypeError
        If `pred_probs` is not a numpy array or `labels` is not a list of lists
        (also a ValueError).
    ValueError
        If `labels` and `pred_probs` differ in length, a class index is not in
        ``0..K-1``, a probability is outside [0, 1], an option is not allowed
        (`InvalidOptionError`), `confident_joint` is not of shape (K, 2, 2), or
        a ranking is asked for while every example has the same classes.

    Warns
    -----
    UserWarning
        For options that the chosen `filter_by` or `low_memory` do not use,
        and when a binary class has too few examples to be pruned.

    See Also
    --------
    find_multilabel_issues_per_class
    cleanlab.multilabel_classification.rank.get_label_quality_scores

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.multilabel_classification.filter import find_label_issues
    >>> labels = [[0], [0, 1], [1], [0], [], [1]]
    >>> pred_probs = np.array([[.9, .3], [.8, .7], [.1, .9], [.7, .2], [.2, .3],
    ...                        [.1, .1]])
    >>> find_label_issues(labels, pred_probs)
    array([False, False, False, False, False,  True])
    """
    onehot, pred_probs = check_multilabel_inputs(labels, pred_probs)
    return multilabel_filter.find_multilabel_issues(
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
        low_memory=low_memory,
    )


def find_multilabel_issues_per_class(
    labels: list,
    pred_probs: np.ndarray,
    return_indices_ranked_by: str | None = None,
    rank_by_kwargs={},  # noqa: B006 (read, never modified)
    filter_by: str = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class: list[int] | None = None,
    min_examples_per_class=1,
    confident_joint: np.ndarray | None = None,
    n_jobs: int | None = None,
    verbose: bool = False,
    low_memory: bool = False,
) -> np.ndarray | tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """Flag the likely wrong class annotations, class by class.

    Class ``k``'s binary problem (labels: "example has class k"; probabilities
    ``[1 - pred_probs[:, k], pred_probs[:, k]]``) is checked with the rules of
    `cleanlab.filter.find_label_issues`. A class that every example has (or
    none has) is valid input.

    Parameters
    ----------
    labels, pred_probs, filter_by, frac_noise, num_to_remove_per_class, \
min_examples_per_class, confident_joint, n_jobs, verbose, low_memory
        As in `find_label_issues`.
    return_indices_ranked_by : {None, "self_confidence", "normalized_margin", \
"confidence_weighted_entropy"}, default=None
        None returns the (N, K) mask. Otherwise each class's issues are
        returned as indices ordered by this score of their binary label, worst
        first.
    rank_by_kwargs : dict, default={}
        ``{"adjust_pred_probs": True}`` adjusts the probabilities of the binary
        ranking score.

    Returns
    -------
    np.ndarray of shape (N, K), dtype bool
        ``[i, k]`` is True if class ``k``'s annotation of example ``i`` (its
        presence or absence) looks wrong; when `return_indices_ranked_by` is None.
    tuple of three lists of length K
        Otherwise ``(issues_list, labels_list, pred_probs_list)``: class
        ``k``'s ranked issue indices (int64), its binary labels (int64, shape
        (N,)) and its binary probabilities ``[1 - p_k, p_k]`` (shape (N, 2)).

    Raises
    ------
    ValueError
        As in `find_label_issues`; a malformed `labels` raises an error (also a
        TypeError) starting "wrong format for labels".

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.multilabel_classification.filter import (
    ...     find_multilabel_issues_per_class,
    ... )
    >>> labels = [[0], [0, 1], [1], [0], [], [1]]
    >>> pred_probs = np.array([[.9, .3], [.8, .7], [.1, .9], [.7, .2], [.2, .3],
    ...                        [.1, .1]])
    >>> find_multilabel_issues_per_class(labels, pred_probs)[5]
    array([False,  True])
    """
    onehot, pred_probs = check_multilabel_inputs(
        labels, pred_probs, context=_PER_CLASS_FORMAT_CONTEXT
    )
    return multilabel_filter.find_multilabel_issues_per_class(
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
        low_memory=low_memory,
    )
