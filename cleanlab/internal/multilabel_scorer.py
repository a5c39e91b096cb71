"""Label quality scores of multi-label data: per-class scores and their aggregation.

Each class's annotation of an example is scored as a binary label ("has the class
or not") against the probabilities ``[1 - p_k, p_k]``, with one of the
single-label scores (self-confidence, normalized margin, confidence-weighted
entropy); the K class scores of an example are then aggregated into one, by an
exponential moving average of the sorted scores (the lowest weigh most) or a
softmin. Labels here are one-hot (N, K) matrices; `cleanlab.multilabel_classification`
converts the user's lists of class indices.
"""

import enum
from collections.abc import Callable
from types import MappingProxyType

import numpy as np

from cleanlab.internal.errors import InvalidOptionError
from cleanlab.internal.label_quality_utils import (
    compute_label_quality_scores,
    confidence_weighted_entropy_scores,
    normalized_margin_scores,
    self_confidence_scores,
)
from cleanlab.internal.multilabel_kernels import (
    SCORE_CHUNK_BYTES,
    BinaryThresholds,
    all_binary_thresholds,
    class_label_scores,
    exponential_moving_average,
    softmin,
)
from cleanlab.internal.multilabel_utils import (
    _is_multilabel,
    as_float_probabilities,
    stack_complement,
)

__all__ = [
    "Aggregator",
    "ClassLabelScorer",
    "MultilabelScorer",
    "adjustment_thresholds",
    "aggregated_scores",
    "check_multilabel_format",
    "exponential_moving_average",
    "get_cross_validated_multilabel_pred_probs",
    "get_label_quality_scores",
    "multilabel_py",
    "softmin",
]


def get_self_confidence_for_each_label(labels, pred_probs) -> np.ndarray:
    """``pred_probs[i, labels[i]]`` per example."""
    return self_confidence_scores(
        _int_labels(labels), as_float_probabilities(pred_probs)
    )


def get_normalized_margin_for_each_label(labels, pred_probs) -> np.ndarray:
    """``(p[k] - max_{j != k} p[j] + 1) / 2`` per example."""
    return normalized_margin_scores(
        _int_labels(labels), as_float_probabilities(pred_probs)
    )


def get_confidence_weighted_entropy_for_each_label(labels, pred_probs) -> np.ndarray:
    """``log(r + 1) / max(r, 1e-6)``, ``r = entropy / max(p[k], 1e-6)``, per example."""
    return confidence_weighted_entropy_scores(
        _int_labels(labels), as_float_probabilities(pred_probs)
    )


def _int_labels(labels) -> np.ndarray:
    return np.asarray(labels).astype(np.int64, copy=False)


class _BaseScorer:
    """A single-label scoring function, shown by its name (an enum value)."""

    __slots__ = ("function", "method")

    def __init__(self, function: Callable, method: str):
        self.function = function
        self.method = method

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        return self.function.__name__


class ClassLabelScorer(enum.Enum):
    """The single-label score applied to each class's binary label."""

    SELF_CONFIDENCE = _BaseScorer(get_self_confidence_for_each_label, "self_confidence")
    NORMALIZED_MARGIN = _BaseScorer(
        get_normalized_margin_for_each_label, "normalized_margin"
    )
    CONFIDENCE_WEIGHTED_ENTROPY = _BaseScorer(
        get_confidence_weighted_entropy_for_each_label, "confidence_weighted_entropy"
    )

    @property
    def method(self) -> str:
        """The name of this score in `cleanlab.rank` (e.g. ``"self_confidence"``)."""
        return self.value.method

    def __call__(self, labels, pred_probs, **kwargs) -> np.ndarray:
        """Score `labels` against `pred_probs` (binary or not).

        With ``adjust_pred_probs=True`` the per-class confident thresholds are
        subtracted first; other keyword arguments are ignored.
        """
        if kwargs.get("adjust_pred_probs") is not True:
            return self.value(labels, pred_probs)
        self._check_adjustable()
        return compute_label_quality_scores(
            _int_labels(labels),
            as_float_probabilities(pred_probs),
            method=self.method,
            adjust_pred_probs=True,
        )

    def _check_adjustable(self) -> None:
        if self is ClassLabelScorer.CONFIDENCE_WEIGHTED_ENTROPY:
            msg = (
                "adjust_pred_probs is not currently supported for "
                "ClassLabelScorer.CONFIDENCE_WEIGHTED_ENTROPY. Use "
                "adjust_pred_probs=False or another method."
            )
            raise InvalidOptionError(msg)

    @classmethod
    def from_str(cls, method: str) -> "ClassLabelScorer":
        """The member named `method`, case-insensitively (``"self_confidence"``)."""
        try:
            return cls[method.upper()]
        except (KeyError, AttributeError):
            names = ", ".join(repr(m.name.lower()) for m in cls)
            msg = f"Invalid method name: {method}. `method` must be one of {names}."
            raise InvalidOptionError(msg) from None


class Aggregator:
    """Aggregates each row of an (N, K) score matrix into one score.

    Parameters
    ----------
    method : {"exponential_moving_average", "softmin"} or callable
        The aggregation; a callable is called as ``method(scores, axis=1,
        **kwargs)`` and must return one score per row.
    **kwargs
        Keyword arguments passed to `method` on every call (e.g. ``alpha``).
    """

    possible_methods = MappingProxyType(
        {
            "exponential_moving_average": exponential_moving_average,
            "softmin": softmin,
        }
    )

    def __init__(self, method: str | Callable, **kwargs):
        if isinstance(method, str):
            if method not in self.possible_methods:
                msg = (
                    f"Invalid aggregation method specified: '{method}', must be one "
                    f"of the following: {list(self.possible_methods)}"
                )
                raise ValueError(msg)
            method = self.possible_methods[method]
        elif not callable(method):
            msg = f"Expected callable method, got {type(method)}"
            raise TypeError(msg)
        self.method = method
        self.kwargs = dict(kwargs)

    def __call__(self, scores: np.ndarray, **kwargs) -> np.ndarray:
        """Aggregate each row of `scores`; call-time `kwargs` override stored ones."""
        if not isinstance(scores, np.ndarray) or scores.ndim != 2:
            msg = (
                f"Expected 2D array for scores, got {type(scores)} with shape "
                f"{getattr(scores, 'shape', None)}"
            )
            raise ValueError(msg)
        return self.method(scores, **{**self.kwargs, **kwargs, "axis": 1})

    @property
    def is_row_wise(self) -> bool:
        """Whether each row's result depends on that row alone (built-in methods)."""
        return self.method in self.possible_methods.values()

    def __repr__(self) -> str:
        name = getattr(self.method, "__name__", repr(self.method))
        return f"Aggregator(method={name}, kwargs={self.kwargs})"


# The default aggregation: never modified, so one instance serves every call.
DEFAULT_AGGREGATOR = Aggregator(exponential_moving_average, alpha=0.8)


def check_multilabel_format(onehot, name: str = "labels") -> None:
    """Raise unless `onehot` is 2-D with >= 2 columns and holds both 0s and 1s."""
    if not _is_multilabel(np.asarray(onehot)):
        shape = np.shape(onehot)
        msg = (
            "Labels must be in multi-label format. Scoring needs at least 2 classes "
            "(columns of `pred_probs`) and `labels` must list some class for some "
            f"example and leave some class out somewhere; `{name}` has one-hot shape "
            f"{shape}"
        )
        if len(shape) == 2 and shape[1] >= 2:
            msg += " and every entry is the same."
        else:
            msg += "."
        raise ValueError(msg)


class MultilabelScorer:
    """Scores multi-label annotations: per-class scores, then aggregation.

    Parameters
    ----------
    base_scorer : ClassLabelScorer, default=ClassLabelScorer.SELF_CONFIDENCE
        The score of each class's binary label.
    aggregator : Aggregator or callable, default=DEFAULT_AGGREGATOR
        How the K class scores of an example become one (a callable is
        wrapped in `Aggregator`); the default is
        ``Aggregator(exponential_moving_average, alpha=0.8)``.
    strict : bool, default=True
        Check the labels (a one-hot ndarray in multi-label format, shaped like
        `pred_probs`) before scoring.
    """

    def __init__(
        self,
        base_scorer: ClassLabelScorer = ClassLabelScorer.SELF_CONFIDENCE,
        aggregator: Aggregator | Callable = DEFAULT_AGGREGATOR,
        *,
        strict: bool = True,
    ):
        self.base_scorer = base_scorer
        if not isinstance(aggregator, Aggregator):
            aggregator = Aggregator(aggregator)
        self.aggregator = aggregator
        self.strict = strict

    def __call__(
        self,
        labels: np.ndarray,
        pred_probs: np.ndarray,
        base_scorer_kwargs: dict | None = None,
        **aggregator_kwargs,
    ) -> np.ndarray:
        """One score per example: per-class scores aggregated over the classes."""
        if self.strict:
            self._validate_labels_and_pred_probs(labels, pred_probs)
        scores = self.get_class_label_quality_scores(
            labels, pred_probs, base_scorer_kwargs
        )
        return self.aggregate(scores, **aggregator_kwargs)

    def aggregate(self, class_label_quality_scores: np.ndarray, **kwargs):
        """Aggregate an (N, K) score matrix; `kwargs` override the stored ones."""
        return self.aggregator(class_label_quality_scores, **kwargs)

    def get_class_label_quality_scores(
        self,
        labels: np.ndarray,
        pred_probs: np.ndarray,
        base_scorer_kwargs: dict | None = None,
    ) -> np.ndarray:
        """The (N, K) float64 score of each class's binary label of each example."""
        base_scorer_kwargs = base_scorer_kwargs or {}
        pred_probs = as_float_probabilities(pred_probs)
        onehot = np.asarray(labels).astype(bool)
        if not isinstance(self.base_scorer, ClassLabelScorer):
            return np.column_stack(
                [
                    self.base_scorer(
                        onehot[:, k].astype(np.int64),
                        stack_complement(pred_probs[:, k]),
                        **base_scorer_kwargs,
                    )
                    for k in range(pred_probs.shape[1])
                ]
            ).astype(np.float64)
        thresholds = adjustment_thresholds(
            self.base_scorer,
            onehot,
            pred_probs,
            base_scorer_kwargs.get("adjust_pred_probs") is True,
        )
        return class_label_scores(
            onehot, pred_probs, self.base_scorer.method, thresholds
        )

    @staticmethod
    def _validate_labels_and_pred_probs(labels, pred_probs) -> None:
        if not isinstance(labels, np.ndarray):
            msg = (
                "Labels must be a numpy array. MultilabelScorer takes the (N, K) "
                f"one-hot matrix; got a {type(labels).__name__}."
            )
            raise TypeError(msg)
        check_multilabel_format(labels)
        if labels.shape != np.shape(pred_probs):
            msg = (
                f"`labels` and `pred_probs` must have the same shape; got "
                f"{labels.shape} and {np.shape(pred_probs)}."
            )
            raise ValueError(msg)

    def __repr__(self) -> str:
        return (
            f"MultilabelScorer(base_scorer={self.base_scorer}, "
            f"aggregator={self.aggregator}, strict={self.strict})"
        )


# The default scorer (self-confidence, EMA with alpha 0.8); never modified.
DEFAULT_SCORER = MultilabelScorer()


def adjustment_thresholds(
    base_scorer: ClassLabelScorer, onehot, pred_probs, adjust_pred_probs: bool
) -> BinaryThresholds | None:
    """Every class's binary confident thresholds when the probabilities are
    adjusted (InvalidOptionError if `base_scorer` cannot be), else None."""
    if not adjust_pred_probs:
        return None
    base_scorer._check_adjustable()
    return all_binary_thresholds(onehot, pred_probs)


def aggregated_scores(
    onehot: np.ndarray,
    pred_probs: np.ndarray,
    *,
    base_scorer: ClassLabelScorer = ClassLabelScorer.SELF_CONFIDENCE,
    aggregator: Aggregator | None = None,
    thresholds: BinaryThresholds | None = None,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Aggregated multi-label scores of `rows` (default: every example).

    Per-class scores are computed a block of rows at a time, so memory stays
    O(N) plus one block; `thresholds` (of all examples) adjust the probabilities
    when given. Equals ``MultilabelScorer(base_scorer, aggregator)(...)[rows]``.
    """
    if aggregator is None:
        aggregator = DEFAULT_AGGREGATOR
    num_rows = len(pred_probs) if rows is None else len(rows)
    block = max(1, SCORE_CHUNK_BYTES // (8 * max(1, pred_probs.shape[1])))
    if not aggregator.is_row_wise:
        block = max(1, num_rows)
    starts = range(0, num_rows, block)

    def score(start: int) -> np.ndarray:
        stop = start + block
        part = slice(start, stop) if rows is None else rows[start:stop]
        scores = class_label_scores(
            onehot[part], pred_probs[part], base_scorer.method, thresholds
        )
        return np.asarray(aggregator(scores))

    if num_rows == 0:
        return np.empty(0, dtype=np.float64)
    return np.concatenate([score(start) for start in starts])


def get_label_quality_scores(
    labels: np.ndarray,
    pred_probs: np.ndarray,
    *,
    method: MultilabelScorer = DEFAULT_SCORER,
    base_scorer_kwargs: dict | None = None,
    **aggregator_kwargs,
) -> np.ndarray:
    """Multi-label quality score of each example from one-hot `labels`.

    `method` scores and aggregates (see `MultilabelScorer`); `aggregator_kwargs`
    override its aggregator's stored keyword arguments.
    """
    return method(
        labels, pred_probs, base_scorer_kwargs=base_scorer_kwargs, **aggregator_kwargs
    )


def multilabel_py(y: np.ndarray) -> np.ndarray:
    """(K, 2) prior of each class's binary label: fractions without / with it."""
    y = np.asarray(y)
    absent = np.mean(y == 0, axis=0)
    return np.column_stack((absent, 1 - absent))


def _get_split_generator(labels: np.ndarray, cv):
    """`cv.split` stratified by each example's whole label set (as one id)."""
    _, ids = np.unique(np.asarray(labels), axis=0, return_inverse=True)
    ids = np.ravel(ids)
    return cv.split(X=ids, y=ids)


def get_cross_validated_multilabel_pred_probs(X, labels: np.ndarray, *, clf, cv):
    """Out-of-sample (N, K) `predict_proba` of `clf` on one-hot `labels` by
    cross-validation, folds stratified by label set."""
    # Imported here: the pred_probs-only core must not pay for scikit-learn.
    from sklearn.model_selection import cross_val_predict

    return cross_val_predict(
        clf, X, labels, cv=_get_split_generator(labels, cv), method="predict_proba"
    )
