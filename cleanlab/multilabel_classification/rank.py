"""Label quality scores for multi-label data, per example and per class.

Each class annotation of an example is scored as a binary label ("has the class
or not") against the probabilities ``[1 - p_k, p_k]``, with one of the
single-label scores of `cleanlab.rank`; `get_label_quality_scores` then
aggregates the K class scores of each example into one score, the lowest
weighing most. All classes are scored at once as array operations.
"""

from collections.abc import Callable
from typing import Any

import numpy as np

from cleanlab.internal.multilabel_kernels import class_label_scores
from cleanlab.internal.multilabel_scorer import (
    Aggregator,
    ClassLabelScorer,
    adjustment_thresholds,
    aggregated_scores,
    check_multilabel_format,
)
from cleanlab.internal.multilabel_utils import check_multilabel_inputs

__all__ = ["get_label_quality_scores", "get_label_quality_scores_per_class"]


def get_label_quality_scores(
    labels: list,
    pred_probs: np.ndarray,
    *,
    method: str = "self_confidence",
    adjust_pred_probs: bool = False,
    aggregator_kwargs: dict[str, Any] = {  # noqa: B006 (read, never modified)
        "method": "exponential_moving_average",
        "alpha": 0.8,
    },
) -> np.ndarray:
    """Score how likely each example's set of class labels is correct.

    Every class annotation of an example is scored as a binary label against
    ``[1 - pred_probs[:, k], pred_probs[:, k]]`` (see
    `get_label_quality_scores_per_class`); the K class scores of each example
    are then aggregated into one, by default with an exponential moving
    average of the scores sorted in decreasing order, so that the worst class
    annotations weigh most.

    Parameters
    ----------
    labels : list of lists of int
        ``labels[i]`` lists the classes (indices in ``0..K-1``) annotated for
        example ``i``; an empty list means no class. Not a one-hot matrix (see
        `cleanlab.internal.multilabel_utils.onehot2int` to convert one).
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probability that each class applies to each
        example, float32 or float64, in [0, 1]. Rows need not sum to 1.
    method : {"self_confidence", "normalized_margin", \
"confidence_weighted_entropy"}, default="self_confidence"
        The binary score of each class annotation (case-insensitive). Without
        adjustment, "normalized_margin" equals "self_confidence" for a binary
        label.
    adjust_pred_probs : bool, default=False
        Subtract each class's binary confident thresholds from the
        probabilities before scoring (not with "confidence_weighted_entropy").
    aggregator_kwargs : dict, default={"method": "exponential_moving_average", \
"alpha": 0.8}
        Key ``"method"``: ``"exponential_moving_average"``, ``"softmin"`` or a
        callable ``f(scores, axis=1, **kwargs)`` returning one score per row of
        the (N, K) class scores. The other keys are passed to it (``alpha`` for
        the moving average, None meaning ``2 / (K + 1)``; ``temperature`` for
        softmin). Empty or None means the default.

    Returns
    -------
    np.ndarray of shape (N,), dtype float64
        Label quality score of each example in [0, 1]; lower means some class
        annotation of the example is more likely wrong.

    Raises
    ------
    TypeError
        If `pred_probs` is not a numpy array, `labels` is not a list of lists
        (also a ValueError), `aggregator_kwargs` has no ``"method"`` key, or
        its method is neither a known name nor callable.
    ValueError
        If `labels` and `pred_probs` differ in length, a class index is not in
        ``0..K-1``, a probability is outside [0, 1], `method` or the
        aggregation method is unknown, every example has the same classes (all
        or none: nothing tells the classes apart), or `adjust_pred_probs` is
        combined with "confidence_weighted_entropy".

    See Also
    --------
    get_label_quality_scores_per_class
    cleanlab.multilabel_classification.filter.find_label_issues

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.multilabel_classification import get_label_quality_scores
    >>> pred_probs = np.array([[0.1, 0.9, 0.1], [0.4, 0.1, 0.9]])
    >>> get_label_quality_scores([[1], [0, 2]], pred_probs)
    array([0.9, 0.5])
    """
    onehot, pred_probs = check_multilabel_inputs(labels, pred_probs)
    base_scorer = ClassLabelScorer.from_str(method)
    aggregator = _aggregator_from_kwargs(aggregator_kwargs)
    check_multilabel_format(onehot)
    thresholds = adjustment_thresholds(
        base_scorer, onehot, pred_probs, bool(adjust_pred_probs)
    )
    scores = aggregated_scores(
        onehot,
        pred_probs,
        base_scorer=base_scorer,
        aggregator=aggregator,
        thresholds=thresholds,
    )
    return np.asarray(scores, dtype=np.float64)


def _aggregator_from_kwargs(aggregator_kwargs) -> Aggregator | None:
    """The `Aggregator` of `aggregator_kwargs`; None (the default) when it is
    empty. The caller's dict is not modified."""
    if not aggregator_kwargs:
        return None
    kwargs = dict(aggregator_kwargs)
    if "method" not in kwargs:
        msg = (
            "Aggregator.__init__() missing 1 required positional argument: "
            "'method'. `aggregator_kwargs` must hold a 'method' key, e.g. "
            "{'method': 'exponential_moving_average', 'alpha': 0.8}."
        )
        raise TypeError(msg)
    method: str | Callable = kwargs.pop("method")
    return Aggregator(method, **kwargs)


def get_label_quality_scores_per_class(
    labels: list,
    pred_probs: np.ndarray,
    *,
    method: str = "self_confidence",
    adjust_pred_probs: bool = False,
) -> np.ndarray:
    """Score each class annotation of each example as a binary label.

    Entry ``[i, k]`` scores the statement "example i has class k" (true if
    ``k`` is in ``labels[i]``, false otherwise) against the probabilities
    ``[1 - pred_probs[i, k], pred_probs[i, k]]`` with the single-label score
    `method` of `cleanlab.rank.get_label_quality_scores`.

    Parameters
    ----------
    labels : list of lists of int
        ``labels[i]`` lists the classes (indices in ``0..K-1``) annotated for
        example ``i``; an empty list means no class.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probability that each class applies to each
        example, float32 or float64, in [0, 1]. Rows need not sum to 1.
    method : {"self_confidence", "normalized_margin", \
"confidence_weighted_entropy"}, default="self_confidence"
        The binary score (case-insensitive).
    adjust_pred_probs : bool, default=False
        Subtract each class's binary confident thresholds from the
        probabilities before scoring (not with "confidence_weighted_entropy").

    Returns
    -------
    np.ndarray of shape (N, K), dtype float64
        Scores in [0, 1]; lower means the class annotation is more likely wrong.

    Raises
    ------
    TypeError
        If `pred_probs` is not a numpy array or `labels` is not a list of lists
        (also a ValueError).
    ValueError
        If `labels` and `pred_probs` differ in length, a class index is not in
        ``0..K-1``, a probability is outside [0, 1], `method` is unknown, or
        `adjust_pred_probs` is combined with "confidence_weighted_entropy".

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.multilabel_classification.rank import (
    ...     get_label_quality_scores_per_class,
    ... )
    >>> pred_probs = np.array([[0.1, 0.9, 0.1], [0.4, 0.1, 0.9]])
    >>> get_label_quality_scores_per_class([[1], [0, 2]], pred_probs)
    array([[0.9, 0.9, 0.9],
           [0.4, 0.9, 0.9]])
    """
    onehot, pred_probs = check_multilabel_inputs(labels, pred_probs)
    base_scorer = ClassLabelScorer.from_str(method)
    thresholds = adjustment_thresholds(
        base_scorer, onehot, pred_probs, bool(adjust_pred_probs)
    )
    return class_label_scores(onehot, pred_probs, base_scorer.method, thresholds)
