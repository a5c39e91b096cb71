"""Label quality scores for regression: how plausible is each given target value.

Each example gets a score in [0, 1] from its given label and a model's
out-of-sample prediction; lower means the label is more likely wrong. Sort by
the score to review the most suspicious labels first.
"""

import math

import numpy as np

from cleanlab.internal.outlier import (
    distances_to_scores,
    euclidean_mean_neighbor_distances,
)
from cleanlab.internal.regression_utils import assert_valid_prediction_inputs

__all__ = ["get_label_quality_scores"]

# Added to a standard deviation before dividing by it (a constant column
# then standardizes to 0).
STD_OFFSET = 1e-100


def get_label_quality_scores(labels, predictions, *, method: str = "outre"):
    """Score the quality of each regression label, from the model's predictions.

    Parameters
    ----------
    labels : array_like of shape (N,)
        Given target values, real numbers (an (N, 1) column is accepted),
        N >= 2.
    predictions : array_like of shape (N,)
        Out-of-sample predicted values (e.g. from cross-validation), one per
        label.
    method : {"outre", "residual"}, default="outre"
        * ``"residual"``: ``exp(-|prediction - label|)``; depends on the units
          of the target.
        * ``"outre"``: how atypical the pair (label, residual) is among all
          examples. Both are standardized (the residual weighted 5 times more),
          and the mean Euclidean distance ``a`` of each pair to its
          ``ceil(N / 2)`` nearest pairs, itself included, gives
          ``exp(-a / median(a))`` (1 where ``a`` is only rounding error).
          Unit-free: the same scores for targets shifted or rescaled together
          with the predictions.

    Returns
    -------
    np.ndarray of shape (N,)
        float64 scores in [0, 1]; lower = the label is more likely wrong.

    Raises
    ------
    ValueError
        If an input is empty, not 1-D (a single value is 0-D), not made of
        real numbers, or holds NaN or infinite values, or if `method` is
        unknown.
    cleanlab.internal.errors.MismatchedShapesError
        If `labels` and `predictions` have different shapes (a ValueError and
        an AssertionError).

    Examples
    --------
    >>> from cleanlab.regression.rank import get_label_quality_scores
    >>> labels = [1, 2, 3, 4]
    >>> predictions = [2, 2, 5, 4.1]
    >>> get_label_quality_scores(labels, predictions)
    array([0.2162406 , 0.62585509, 0.20275104, 0.62585509])
    >>> get_label_quality_scores(labels, predictions, method="residual")
    array([0.36787944, 1.        , 0.13533528, 0.90483742])
    """
    labels, predictions = assert_valid_prediction_inputs(labels, predictions, method)
    scoring = {
        "residual": _get_residual_score_for_each_label,
        "outre": _get_outre_score_for_each_label,
    }
    return scoring[method](labels, predictions)


def _get_residual_score_for_each_label(labels, predictions) -> np.ndarray:
    """``exp(-|predictions - labels|)`` as float64 (inputs trusted)."""
    residual = np.asarray(predictions, dtype=np.float64) - np.asarray(
        labels, dtype=np.float64
    )
    return np.exp(-np.abs(residual))


def _get_outre_score_for_each_label(
    labels,
    predictions,
    *,
    residual_scale: float = 5,
    frac_neighbors: float = 0.5,
    neighbor_metric=None,
) -> np.ndarray:
    """Outre scores: how atypical each (label, residual) pair is (inputs trusted).

    Features ``[z(labels), residual_scale * z(predictions - labels)]`` with
    ``z(v) = (v - mean(v)) / (std(v) + 1e-100)``; the mean distance of each row
    to its ``k = ceil(frac_neighbors * N)`` nearest rows, itself included,
    becomes a score through `distances_to_scores` (median scaling). The
    Euclidean search is exact and chunked (O(N) memory per row chunk);
    another `neighbor_metric` (a name or callable scikit-learn accepts) uses
    ``sklearn.neighbors.NearestNeighbors``.

    Raises
    ------
    ValueError
        If k is below 1 or not below N.
    """
    labels = np.asarray(labels, dtype=np.float64)
    residual = np.asarray(predictions, dtype=np.float64) - labels
    features = np.column_stack(
        [_standardize(labels), residual_scale * _standardize(residual)]
    )
    num_examples = len(features)
    k = math.ceil(frac_neighbors * num_examples)
    if k >= num_examples or k < 1:
        msg = (
            f"Number of nearest neighbors k={k} cannot exceed the number of "
            f"examples N={num_examples} passed into the estimator (knn)."
        )
        raise ValueError(msg)
    if neighbor_metric is None or _is_euclidean(neighbor_metric):
        avg_distances = euclidean_mean_neighbor_distances(features, k)
        metric = "euclidean"
    else:
        from sklearn.neighbors import NearestNeighbors

        knn = NearestNeighbors(n_neighbors=k, metric=neighbor_metric).fit(features)
        distances, _ = knn.kneighbors(features)
        avg_distances = distances.mean(axis=1, dtype=np.float64)
        metric = neighbor_metric
    scores, _ = distances_to_scores(avg_distances, metric)
    return scores


def _standardize(values: np.ndarray) -> np.ndarray:
    """``(values - mean) / (std + 1e-100)``, population std."""
    return (values - values.mean()) / (values.std() + STD_OFFSET)


def _is_euclidean(metric) -> bool:
    """Whether `metric` names the Euclidean distance (a string or scipy's function)."""
    if isinstance(metric, str):
        return metric == "euclidean"
    return callable(metric) and getattr(metric, "__name__", None) == "euclidean"
