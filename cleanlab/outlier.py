"""Outlier and out-of-distribution detection: how typical each example looks.

`OutOfDistribution` scores examples in [0, 1], lower meaning more atypical,
from either of two inputs. From feature embeddings: the mean distance to the
k nearest neighbours in the data the estimator was fit on, mapped through
``exp(-t * d / median)``. From predicted probabilities: the model's
uncertainty (entropy, least confidence or GEN), optionally after adjusting
the probabilities by each class's confident threshold.
"""

import warnings
from typing import TYPE_CHECKING

import numpy as np
from scipy.spatial.distance import euclidean
from sklearn.exceptions import NotFittedError
from sklearn.neighbors import NearestNeighbors

from cleanlab.internal.containers import is_pandas
from cleanlab.internal.errors import user_stacklevel
from cleanlab.internal.label_quality_utils import resolve_thresholds
from cleanlab.internal.outlier import (
    correct_duplicate_distances,
    cosine_train_neighbors,
    distances_to_scores,
    entropy_scores,
    gen_scores,
    least_confidence_scores,
)
from cleanlab.internal.validation import (
    assert_valid_class_labels,
    check_pred_probs,
    is_integer,
    labels_to_array,
)

if TYPE_CHECKING:
    from cleanlab.typing import LabelLike

__all__ = ["OutOfDistribution"]

OOD_METHODS = ("entropy", "least_confidence", "gen")
# Below this many examples the Euclidean metric is scipy's function (as in
# cleanlab 2.9), above it scikit-learn's built-in "euclidean".
SCIPY_EUCLIDEAN_MAX_EXAMPLES = 100
# Features with more columns than this use the cosine distance.
COSINE_MIN_FEATURES = 4
DEFAULT_MAX_NEIGHBORS = 10


class OutOfDistribution:
    """Outlier and out-of-distribution scores from features or predicted probabilities.

    Fit the estimator on a reference dataset (`fit` or `fit_score`), then
    score new data against it (`score`). Each example gets a score in [0, 1];
    lower means less like the reference data.

    * **From features** (numeric embeddings of shape (N, d)): the mean
      distance ``a`` of an example to its k nearest neighbours among the fitted
      data is turned into ``exp(-t * a / s)``, where ``s`` is the median of
      the mean distances of the fitted data (so that a typical training
      example scores about ``exp(-t)``). The distance is cosine when
      ``d > 3`` and Euclidean otherwise. While fitting, each example's own
      row is not its neighbour but its exact copies are, at distance 0.
    * **From pred_probs** (out-of-sample predicted probabilities): one minus
      the normalized entropy of each row (``"entropy"``), the largest
      probability (``"least_confidence"``) or the GEN score (``"gen"``),
      optionally after subtracting each class's confident threshold (its mean
      self-confidence, learned with the labels during fitting) and
      renormalizing.

    Parameters
    ----------
    params : dict, optional
        Settings, a subset of `DEFAULT_PARAM_DICT`:

        * ``k`` (int, default None): number of neighbours; None means the
          ``n_neighbors`` of `knn`, or ``min(10, N - 1)`` for the internal one.
        * ``t`` (float, default 1): how fast scores fall with distance.
        * ``knn`` (default None): a fitted or unfitted
          `sklearn.neighbors.NearestNeighbors`-like object to use instead of
          the internal one (it is fit on the first features scored if needed).
        * ``method`` (default ``"entropy"``): ``"entropy"``,
          ``"least_confidence"`` or ``"gen"``.
        * ``adjust_pred_probs`` (default True): subtract the confident
          thresholds before scoring pred_probs (then `fit` needs labels).
        * ``confident_thresholds`` (array of shape (K,), default None):
          thresholds to use instead of learning them.
        * ``M`` (int, default 100), ``gamma`` (float, default 0.1): GEN
          settings, the number of largest probabilities used and the exponent.

    Attributes
    ----------
    params : dict
        The settings in use, updated by fitting: ``knn`` holds the fitted
        neighbour search, ``confident_thresholds`` the learned thresholds and
        ``scaling_factor`` the median distance ``s``.

    Raises
    ------
    ValueError
        If `params` has keys outside `DEFAULT_PARAM_DICT`.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0, 0], [1, 0], [0, 1], [5, 5], [0, 0]])
    >>> ood = OutOfDistribution(params={"k": 2})
    >>> ood.fit_score(features=X, verbose=False).round(4)
    array([0.6065, 0.3679, 0.3679, 0.0017, 0.6065])
    >>> ood.score(features=np.array([[0, 0], [2, 2]])).round(4)
    array([1.    , 0.1069])
    """

    OUTLIER_PARAMS = {"k", "t", "knn"}
    OOD_PARAMS = {"confident_thresholds", "adjust_pred_probs", "method", "M", "gamma"}
    DEFAULT_PARAM_DICT = {
        "k": None,
        "t": 1,
        "knn": None,
        "method": "entropy",
        "adjust_pred_probs": True,
        "confident_thresholds": None,
        "M": 100,
        "gamma": 0.1,
    }

    def __init__(self, params: dict | None = None):
        params = {} if params is None else params
        wrong_keys = [key for key in params if key not in self.DEFAULT_PARAM_DICT]
        if wrong_keys:
            msg = (
                f"Passed in params dict can only contain {self.DEFAULT_PARAM_DICT}. "
                f"Remove {wrong_keys} from params dict."
            )
            raise ValueError(msg)
        self.params = {**self.DEFAULT_PARAM_DICT, **params}
        self.params["scaling_factor"] = None
        if self.params["adjust_pred_probs"] and self.params["method"] == "gen":
            print(
                "CAUTION: GEN method is not recommended for use with adjusted "
                "pred_probs. To use GEN, we recommend setting: "
                "params['adjust_pred_probs'] = False"
            )

    def fit_score(
        self,
        *,
        features: np.ndarray | None = None,
        pred_probs: np.ndarray | None = None,
        labels: "LabelLike | None" = None,
        verbose: bool = True,
    ) -> np.ndarray:
        """Fit the estimator on one dataset and return that dataset's scores.

        Pass exactly one of `features` and `pred_probs`. Unlike ``fit``
        followed by ``score``, an example is not its own neighbour here.

        Parameters
        ----------
        features : np.ndarray of shape (N, d), optional
            Finite numeric feature embeddings, N >= 2.
        pred_probs : np.ndarray of shape (N, K), optional
            Out-of-sample predicted probabilities, rows summing to 1.
        labels : list, np.ndarray or pd.Series of shape (N,), optional
            Class index of each example; needed with `pred_probs` when
            ``params["adjust_pred_probs"]`` is True and no thresholds are set.
        verbose : bool, default=True
            Print what is being fit.

        Returns
        -------
        np.ndarray of shape (N,)
            float64 scores in [0, 1], lower = more atypical.

        Raises
        ------
        ValueError
            If both or neither of `features` and `pred_probs` are given, or
            either is invalid (see `fit`).

        Warns
        -----
        UserWarning
            If the estimator was already fit (the data is then only scored),
            or if there is nothing to fit for these settings.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.outlier import OutOfDistribution
        >>> features = np.array([[0, 0], [0.1, 0], [0, 0.1], [0.1, 0.1], [3, 3]])
        >>> ood = OutOfDistribution(params={"k": 2})
        >>> ood.fit_score(features=features, verbose=False).round(3)
        array([0.368, 0.368, 0.368, 0.368, 0.   ])
        """
        scores = self._shared_fit(
            features=features, pred_probs=pred_probs, labels=labels, verbose=verbose
        )
        if scores is None:
            return self.score(features=features, pred_probs=pred_probs)
        return scores

    def fit(
        self,
        *,
        features: np.ndarray | None = None,
        pred_probs: np.ndarray | None = None,
        labels: "LabelLike | None" = None,
        verbose: bool = True,
    ) -> "OutOfDistribution":
        """Fit the estimator: the neighbour search, or the confident thresholds.

        Pass exactly one of `features` and `pred_probs`. With `features`, a
        `NearestNeighbors` search is fit (stored in ``params["knn"]``) and the
        median mean-neighbour distance of these examples becomes the scaling
        factor. With `pred_probs` and ``params["adjust_pred_probs"]``, the
        per-class confident thresholds are learned from `labels`.

        Parameters
        ----------
        features : np.ndarray of shape (N, d), optional
            Finite numeric feature embeddings, N >= 2.
        pred_probs : np.ndarray of shape (N, K), optional
            Out-of-sample predicted probabilities, rows summing to 1.
        labels : list, np.ndarray or pd.Series of shape (N,), optional
            Class index of each example, integers in ``0..K-1`` with at least
            2 classes (with `pred_probs`).
        verbose : bool, default=True
            Print what is being fit.

        Returns
        -------
        OutOfDistribution
            The estimator itself.

        Raises
        ------
        ValueError
            If both or neither of `features` and `pred_probs` are given;
            `features` is not 2-D, holds NaN or infinite values, or has fewer
            than 2 rows; ``params["k"]`` is not below N; `pred_probs` is not a
            valid probability matrix or its rows do not sum to 1; `labels` are
            missing or invalid when thresholds must be learned; or
            ``params["method"]`` is unknown.

        Warns
        -----
        UserWarning
            If the estimator was already fit (nothing is refit), or if there
            is nothing to fit for these settings.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.outlier import OutOfDistribution
        >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.2, 0.8], [0.1, 0.9]])
        >>> ood = OutOfDistribution().fit(
        ...     pred_probs=pred_probs, labels=[0, 0, 1, 1], verbose=False
        ... )
        >>> ood.score(pred_probs=np.array([[0.95, 0.05], [0.5, 0.5]])).round(3)
        array([0.714, 0.   ])
        """
        self._shared_fit(
            features=features, pred_probs=pred_probs, labels=labels, verbose=verbose
        )
        return self

    def score(
        self,
        *,
        features: np.ndarray | None = None,
        pred_probs: np.ndarray | None = None,
    ) -> np.ndarray:
        """Score new examples against the fitted estimator.

        Each example in `features` is compared with the fitted data, so an
        example that was in the fitted data is its own nearest neighbour (at
        distance 0).

        Parameters
        ----------
        features : np.ndarray of shape (N, d), optional
            Finite numeric embeddings, with the fitted number of columns.
        pred_probs : np.ndarray of shape (N, K), optional
            Predicted probabilities, rows summing to 1.

        Returns
        -------
        np.ndarray of shape (N,)
            float64 scores in [0, 1], lower = more atypical.

        Raises
        ------
        ValueError
            If both or neither of `features` and `pred_probs` are given, if
            the estimator was not fit for the given kind of input, or if the
            input is invalid (including `features` whose number of columns
            differs from the fitted data's).

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.outlier import OutOfDistribution
        >>> features = np.array([[0, 0], [0.1, 0], [0, 0.1], [0.1, 0.1], [3, 3]])
        >>> ood = OutOfDistribution(params={"k": 2})
        >>> ood = ood.fit(features=features, verbose=False)
        >>> ood.score(features=np.array([[0.05, 0.05], [5, 5]])).round(3)
        array([0.493, 0.   ])
        """
        _assert_valid_inputs(features, pred_probs)
        if features is not None:
            if self.params["knn"] is None:
                msg = (
                    "OOD estimator needs to be fit on features first. Call `fit()` "
                    "or `fit_scores()` before this function."
                )
                raise ValueError(msg)
            scores, _ = self._get_ood_features_scores(
                features, knn=self.params["knn"], k=self.params["k"], t=self.params["t"]
            )
            return scores
        if (
            self.params["confident_thresholds"] is None
            and self.params["adjust_pred_probs"]
        ):
            msg = (
                "OOD estimator needs to be fit on pred_probs first since "
                "params['adjust_pred_probs']=True. Call `fit()` or `fit_scores()` "
                "before this function."
            )
            raise ValueError(msg)
        scores, _ = self._predictions_scores(pred_probs)
        return scores

    def _shared_fit(
        self, *, features=None, pred_probs=None, labels=None, verbose: bool = True
    ) -> np.ndarray | None:
        """Fit on `features` or `pred_probs`; their scores, or None if not fit."""
        _assert_valid_inputs(features, pred_probs)
        if features is not None:
            if self.params["knn"] is not None:
                warnings.warn(
                    "A KNN estimator has previously already been fit, call score() "
                    "to apply it to data, or create a new OutOfDistribution object "
                    "to fit a different estimator.",
                    UserWarning,
                    stacklevel=user_stacklevel(),
                )
                return None
            if verbose:
                print("Fitting OOD estimator based on provided features ...")
            scores, knn = self._get_ood_features_scores(
                features, k=self.params["k"], t=self.params["t"]
            )
            self.params["knn"] = knn
            return scores
        if self.params["confident_thresholds"] is not None:
            warnings.warn(
                "Confident thresholds have previously already been fit, call "
                "score() to apply them to data, or create a new OutOfDistribution "
                "object to fit a different estimator.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
            return None
        if verbose:
            print("Fitting OOD estimator based on provided pred_probs ...")
        scores, thresholds = self._predictions_scores(pred_probs, labels)
        if thresholds is None:
            warnings.warn(
                "No estimates need to be be fit under the provided params, so you "
                "could directly call score() as an alternative.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
        else:
            self.params["confident_thresholds"] = thresholds
        return scores

    def _predictions_scores(self, pred_probs, labels=None):
        """`_get_ood_predictions_scores` with this estimator's `OOD_PARAMS`."""
        params = {key: self.params[key] for key in self.OOD_PARAMS}
        return _get_ood_predictions_scores(pred_probs, labels=labels, **params)

    def _get_ood_features_scores(
        self,
        features: np.ndarray | None = None,
        knn: NearestNeighbors | None = None,
        k: int | None = None,
        t: int = 1,
    ) -> tuple[np.ndarray, NearestNeighbors | None]:
        """Scores from the mean distance to the k nearest neighbours, and the knn.

        With `knn` None, a `NearestNeighbors` search is fit on `features`
        and each row's neighbours exclude the row itself (exact copies count,
        at distance 0). With a `knn`, `features` are queried against its
        fitted data (fitting it first if needed), or its own fitted rows
        (excluding themselves) when `features` is None. The first call sets
        ``params["scaling_factor"]``, later calls reuse it.
        """
        if features is not None:
            features = _check_features(features)
        if knn is None:
            if features is None:
                msg = "Both knn and features arguments cannot be None at the same time."
                raise ValueError(msg)
            distances, knn = _fit_neighbors(features, k)
            k = knn.n_neighbors
        else:
            distances, k = _query_neighbors(knn, features, k)
        avg_distances = distances[:, :k].mean(axis=1, dtype=np.float64)
        scores, self.params["scaling_factor"] = distances_to_scores(
            avg_distances,
            getattr(knn, "metric", None),
            t=t,
            scaling_factor=self.params["scaling_factor"],
            p=getattr(knn, "p", None),
        )
        return scores, knn


def _assert_valid_inputs(features, pred_probs) -> None:
    """Raise unless exactly one of `features` and `pred_probs` is given."""
    if features is None and pred_probs is None:
        msg = (
            "Not enough information to compute scores. Pass in either features or "
            "pred_probs."
        )
        raise ValueError(msg)
    if features is not None and pred_probs is not None:
        msg = (
            "Cannot fit to OOD Estimator to both features and pred_probs. Pass in "
            "either one or the other."
        )
        raise ValueError(msg)
    if features is not None and np.ndim(features) != 2:
        msg = (
            "Feature array needs to be of shape (N, M), where N is the number of "
            "examples and M is the number of features used to represent each "
            f"example. `features` has shape {np.shape(features)}."
        )
        raise ValueError(msg)


def _check_features(features) -> np.ndarray:
    """`features` as a finite, non-empty 2-D float array (float32 is kept)."""
    features = np.asarray(features)
    if features.ndim != 2:
        msg = (
            "Feature array needs to be of shape (N, M), where N is the number of "
            "examples and M is the number of features used to represent each "
            f"example. `features` has shape {features.shape}."
        )
        raise ValueError(msg)
    if features.dtype.kind not in "fiub":
        msg = f"`features` must hold numbers, got dtype {features.dtype}."
        raise TypeError(msg)
    if features.size == 0:
        msg = (
            f"`features` is empty (shape {features.shape}): it needs rows and columns."
        )
        raise ValueError(msg)
    if features.dtype not in (np.float32, np.float64):
        features = features.astype(np.float64)
    is_finite = np.isfinite(features).all(axis=1)
    if not is_finite.all():
        bad_rows = np.flatnonzero(~is_finite)
        msg = (
            f"`features` contains NaN or infinite values in {len(bad_rows)} rows "
            f"(first: row {bad_rows[0]}). Impute or drop those rows first."
        )
        raise ValueError(msg)
    return features


def _check_k(k) -> None:
    """Raise unless `k` is None or an integer >= 0 (0, like None, means the default)."""
    if k is not None and (not is_integer(k) or k < 0):
        msg = f"`params['k']` must be a positive integer or None; got {k!r}."
        raise ValueError(msg)


def _fit_neighbors(
    features: np.ndarray, k: int | None
) -> tuple[np.ndarray, NearestNeighbors]:
    """Fit the default neighbour search on `features`; each row's neighbour distances.

    The distances exclude the row itself and count its exact copies at 0.
    """
    num_rows, num_features = features.shape
    _check_k(k)
    if k is not None and k >= num_rows:
        msg = (
            f"Number of nearest neighbors k={k} cannot exceed the number of "
            f"examples N={num_rows} passed into the estimator (knn)."
        )
        raise ValueError(msg)
    if num_rows < 2:
        msg = (
            "`features` must have at least 2 rows to find neighbours; it has "
            f"{num_rows}."
        )
        raise ValueError(msg)
    if num_features >= COSINE_MIN_FEATURES:
        metric = "cosine"
    elif num_rows > SCIPY_EUCLIDEAN_MAX_EXAMPLES:
        metric = "euclidean"
    else:
        metric = euclidean
    n_neighbors = k or min(DEFAULT_MAX_NEIGHBORS, num_rows - 1)
    knn = NearestNeighbors(n_neighbors=n_neighbors, metric=metric).fit(features)
    if metric == "cosine":
        # Exact, and the same distances as knn.kneighbors(), in O(N) memory.
        distances, indices = cosine_train_neighbors(features, n_neighbors)
    else:
        distances, indices = knn.kneighbors()
    distances = correct_duplicate_distances(distances, indices, features)
    return distances, knn


def _query_neighbors(knn, features: np.ndarray | None, k: int | None):
    """Neighbour distances of `features` from `knn` (fit on them if needed), and k.

    `k` None or 0 means all ``knn.n_neighbors`` neighbours, as when fitting.
    """
    _check_k(k)
    max_k = knn.n_neighbors
    if not k:
        k = max_k
    elif k > max_k:
        warnings.warn(
            f"Chosen k={k} cannot be greater than n_neighbors={max_k} which was "
            "used when fitting NearestNeighbors object! Value of k changed to "
            f"k={max_k}.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
        k = max_k
    num_fitted = getattr(knn, "n_features_in_", None)
    if features is not None and num_fitted is not None:
        if features.shape[1] != num_fitted:
            msg = (
                f"`features` has {features.shape[1]} columns, but the OOD estimator "
                f"was fit on features with {num_fitted} columns."
            )
            raise ValueError(msg)
    try:
        distances, _ = knn.kneighbors(features)
    except NotFittedError:
        knn.fit(features)
        distances, _ = knn.kneighbors(features)
    return np.asarray(distances), k


def _get_ood_predictions_scores(
    pred_probs: np.ndarray,
    *,
    labels: "LabelLike | None" = None,
    confident_thresholds: np.ndarray | None = None,
    adjust_pred_probs: bool = True,
    method: str = "entropy",
    M: int = 100,
    gamma: float = 0.1,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Outlier scores from predicted probabilities, and the thresholds used.

    Parameters
    ----------
    pred_probs : np.ndarray of shape (N, K)
        Predicted probabilities, finite, in [0, 1], rows summing to 1.
    labels : list, np.ndarray or pd.Series of shape (N,), optional
        Used to compute the confident thresholds when adjusting and none are
        given.
    confident_thresholds : np.ndarray of shape (K,), optional
        Thresholds subtracted when `adjust_pred_probs` (labels are then not
        needed).
    adjust_pred_probs : bool, default=True
        Subtract the thresholds from each row and renormalize before scoring.
    method : {"entropy", "least_confidence", "gen"}, default="entropy"
        ``1 - entropy / log(K)``, the largest probability, or the GEN score
        ``1 - sum(p**gamma * (1 - p)**gamma) / M`` over the M largest
        probabilities of each row (used as given, all of them when K < M).
    M : int, default=100
        GEN: number of largest probabilities per row.
    gamma : float, default=0.1
        GEN: exponent.

    Returns
    -------
    (scores, thresholds) : tuple
        float64 scores of shape (N,) in [0, 1], lower = more atypical, and the
        thresholds used (None when not adjusting).

    Raises
    ------
    ValueError
        For an unknown `method`, a non-positive `M`, invalid `pred_probs`
        (including rows not summing to 1), or when thresholds are needed and
        `labels` are missing or invalid.

    Warns
    -----
    UserWarning
        If labels or thresholds are given but not used, or if GEN is used with
        fewer than `M` classes.
    """
    if method not in OOD_METHODS:
        msg = (
            f"{method} is not a valid OOD scoring method! Please choose a valid "
            f"scoring_method: {OOD_METHODS}"
        )
        raise ValueError(msg)
    if method == "gen" and (not is_integer(M) or M < 1):
        msg = f"`params['M']` must be a positive integer; got {M!r}."
        raise ValueError(msg)
    needs_labels = adjust_pred_probs and confident_thresholds is None
    checked_labels = _check_pred_probs(pred_probs, labels if needs_labels else None)
    if (confident_thresholds is not None or labels is not None) and (
        not adjust_pred_probs
    ):
        warnings.warn(
            "OOD scores are not adjusted with confident thresholds. If scores need "
            "to be adjusted set params['adjusted_pred_probs'] = True. Otherwise "
            "passing in confident_thresholds and/or labels does not change score "
            "calculation.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    thresholds = None
    if adjust_pred_probs:
        if needs_labels and labels is None:
            msg = (
                "Cannot calculate adjust_pred_probs without labels. Either pass in "
                "labels parameter or set params['adjusted_pred_probs'] = False. "
            )
            raise ValueError(msg)
        thresholds = resolve_thresholds(
            checked_labels, pred_probs, thresholds=confident_thresholds
        )
    if method == "entropy":
        scores = entropy_scores(pred_probs, thresholds)
    elif method == "least_confidence":
        scores = least_confidence_scores(pred_probs, thresholds)
    else:
        num_classes = pred_probs.shape[1]
        if num_classes < M:
            warnings.warn(
                f"GEN with the default hyperparameter settings is intended for "
                f"datasets with at least {M} classes. You can adjust params['M'] "
                "according to the number of classes in your dataset.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
        scores = gen_scores(pred_probs, thresholds, M=M, gamma=gamma)
    return scores, thresholds


def _check_pred_probs(pred_probs, labels) -> np.ndarray | None:
    """Check `pred_probs` (rows must sum to 1), with `labels` if given; int64 labels.

    One pass over `pred_probs`. Labels are checked first, as by
    `validate_labels_and_pred_probs` (at least 2 classes, one per row of
    `pred_probs`, below its number of columns), which would make a second pass.
    """
    if labels is None:
        check_pred_probs(pred_probs, raise_unnormalized=True)
        return None
    if not (isinstance(labels, (list, np.ndarray, np.generic)) or is_pandas(labels)):
        msg = (
            "labels should be a numpy array or pandas Series. `labels` is a "
            f"{type(labels).__name__}."
        )
        raise TypeError(msg)
    labels = labels_to_array(labels)
    assert_valid_class_labels(labels, allow_one_class=False)
    check_pred_probs(
        pred_probs,
        num_examples=len(labels),
        min_classes=int(labels.max()) + 1,
        raise_unnormalized=True,
    )
    return labels.astype(np.int64, copy=False)
