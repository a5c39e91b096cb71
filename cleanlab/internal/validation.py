"""Input checks for every public entry point: one place for every message.

Each check is a small function that raises (or warns) and returns the converted
input; the computations behind the public functions then trust their inputs.
The messages keep cleanlab 2.9's wording as a prefix, because user code matches on
it, and add what arrived and how to fix it.
"""

import warnings
from collections.abc import Iterable

import numpy as np

from cleanlab.internal.chunking import reduce_row_chunks, row_chunks
from cleanlab.internal.constants import PROBABILITY_TOLERANCE, ROW_SUM_TOLERANCE
from cleanlab.internal.containers import (
    is_pandas,
    is_pandas_frame,
    is_pandas_series,
    is_sparse,
)
from cleanlab.internal.errors import (
    InvalidOptionError,
    PredProbsNormalizationWarning,
    user_stacklevel,
)

__all__ = [
    "check_square_counts",
    "assert_indexing_works",
    "assert_nonempty_input",
    "assert_valid_class_labels",
    "assert_valid_inputs",
    "check_class_indices",
    "check_n_jobs",
    "check_option",
    "check_pred_probs",
    "check_probability_rows",
    "check_probability_rows_with",
    "check_thresholds",
    "holds_only_class_zero",
    "is_integer",
    "labels_to_array",
    "labels_to_list_multilabel",
    "validate_labels_and_pred_probs",
    "warn_unnormalized_rows",
]

_LABEL_CONTAINERS = (list, np.ndarray, np.generic)


def labels_to_array(y) -> np.ndarray:
    """Return `y` as a 1-D numpy array (integral floats become int64).

    A pandas Series gives its values, a single-column DataFrame its one column.
    Anything else goes through ``np.asarray``.
    """
    if is_pandas_series(y):
        y = y.to_numpy()
    elif is_pandas_frame(y):
        if y.shape[1] != 1:
            msg = (
                "labels must be one dimensional. The `labels` DataFrame has "
                f"{y.shape[1]} columns; pass a single column."
            )
            raise ValueError(msg)
        y = y.to_numpy().ravel()
    else:
        try:
            y = np.asarray(y)
        except ValueError as err:
            msg = (
                "List of labels must be convertable to 1D numpy array via: "
                "np.ndarray(labels)."
            )
            raise ValueError(msg) from err
    return _integral_floats_to_int(y)


def _integral_floats_to_int(y: np.ndarray) -> np.ndarray:
    """Cast a float array to int64 when every entry is a whole, finite number."""
    if y.dtype.kind == "f" and y.size and np.all(np.isfinite(y)) and np.all(y % 1 == 0):
        return y.astype(np.int64)
    return y


def labels_to_list_multilabel(y) -> list[list[int]]:
    """Check that `y` is a list of lists of class indices and return it."""
    if not isinstance(y, list):
        msg = (
            "Unsupported Label format: `labels` must be a list of lists, got "
            f"{type(y).__name__}."
        )
        raise ValueError(msg)
    for i, row in enumerate(y):
        if not isinstance(row, list):
            msg = (
                "Each element in list of labels must be a list. "
                f"`labels[{i}]` is a {type(row).__name__}."
            )
            raise ValueError(msg)
    return y


def assert_valid_class_labels(
    y, allow_missing_classes: bool = True, allow_one_class: bool = False
) -> None:
    """Raise unless `y` (already 1-D array-like) holds integer class indices >= 0."""
    y = labels_to_array(y)
    if y.ndim != 1:
        msg = f"Labels must be 1D numpy array. `labels` has shape {y.shape}."
        raise ValueError(msg)
    if y.size == 0:
        msg = "`labels` is empty: at least one example is needed."
        raise ValueError(msg)
    kind = y.dtype.kind
    if kind in "US" or (kind == "O" and any(isinstance(v, str) for v in y)):
        msg = (
            "Labels cannot be strings, they must be zero-indexed integers "
            "corresponding to class indices. Map each class name in `labels` to an "
            "integer 0..K-1."
        )
        raise ValueError(msg)
    if kind == "b":
        y = y.astype(np.int64)
    elif kind not in "iu":
        _check_integral(y)
    low = y.min()
    if low < 0:
        first = int(np.flatnonzero(y < 0)[0])
        msg = (
            "Labels must be positive integers corresponding to class indices. "
            f"`labels` holds {low} at index {first}; class indices start at 0."
        )
        raise ValueError(msg)
    if not allow_one_class and low == y.max():
        msg = (
            "Labels must contain at least 2 classes. `labels` holds one class only: "
            f"every entry is {low}."
        )
        raise ValueError(msg)
    if not allow_missing_classes:
        unique = np.unique(y)
        if not np.array_equal(unique, np.arange(len(unique))):
            msg = (
                "cleanlab requires zero-indexed integer labels (0,1,2,..,K-1), but "
                f"in your case: np.unique(labels) = {unique}. Every class index "
                "below the largest must occur in `labels`."
            )
            raise TypeError(msg)


def check_class_indices(y, num_classes: int, *, name: str = "labels") -> np.ndarray:
    """Check that `y` holds integer class indices in ``0..num_classes-1``.

    One class, or classes without examples, are fine. Returns int64 labels.
    """
    y = labels_to_array(y)
    assert_valid_class_labels(y, allow_one_class=True)
    y = y.astype(np.int64, copy=False)
    high = y.max()
    if high >= num_classes:
        first = int(np.flatnonzero(y >= num_classes)[0])
        msg = (
            f"`{name}` must hold class indices below {num_classes} (the number of "
            f"columns of `pred_probs`); `{name}[{first}]` is {y[first]}."
        )
        raise ValueError(msg)
    return y


def _check_integral(y: np.ndarray) -> None:
    """Raise unless every entry of a non-integer-dtype array is a whole number."""
    try:
        values = y.astype(np.float64)
    except (TypeError, ValueError) as err:
        msg = (
            "Labels must be zero-indexed integers corresponding to class indices. "
            f"`labels` has entries of dtype {y.dtype} that are not numbers."
        )
        raise ValueError(msg) from err
    bad = ~np.isfinite(values) | (values % 1 != 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        msg = (
            "Labels must be zero-indexed integers corresponding to class indices. "
            f"`labels[{first}]` is {y[first]!r}."
        )
        raise ValueError(msg)


def assert_nonempty_input(X) -> None:
    """Raise if the features `X` are None."""
    if X is None:
        msg = "Data features X cannot be None. Currently X is None."
        raise ValueError(msg)


def assert_indexing_works(X, idx=None, length_X=None) -> None:
    """Raise unless `X` supports list-based indexing (needed for cross-validation).

    A Python list passes: its rows are taken one by one where needed.
    """
    if isinstance(X, list):
        return
    if idx is None:
        if length_X is None:
            length_X = 2
        idx = [0, length_X - 1]
    try:
        if is_pandas(X):
            X.iloc[idx]
        else:
            X[idx]
    except Exception as err:
        msg = (
            "Data features X must support list-based indexing; i.e. one of these "
            f"must work: 1) X[index_list] where say index_list = {idx}, 2) "
            f"X.iloc[index_list] if X is pandas DataFrame. `X` is a {type(X).__name__}."
        )
        raise TypeError(msg) from err


def _num_examples(X) -> int:
    """Number of rows of `X`, from ``len`` or ``shape[0]``.

    Sparse matrices use ``shape[0]``: ``len`` of some formats (dok) counts the
    stored entries instead.
    """
    if is_sparse(X):
        return X.shape[0]
    try:
        return len(X)
    except TypeError:
        pass
    try:
        return X.shape[0]
    except (AttributeError, IndexError, TypeError) as err:
        msg = "Data features X must support either: len(X) or X.shape[0]"
        raise TypeError(msg) from err


def assert_valid_inputs(
    X,
    y,
    pred_probs=None,
    multi_label: bool = False,
    allow_missing_classes: bool = True,
    allow_one_class: bool = False,
) -> None:
    """Check features, labels and predicted probabilities together.

    Raises the same exception types as cleanlab 2.9 for the same problems, and also
    rejects NaN/inf in `pred_probs` and warns when its rows do not sum to 1.
    """
    if not (isinstance(y, _LABEL_CONTAINERS) or is_pandas(y)):
        msg = (
            "labels should be a numpy array or pandas Series. `labels` is a "
            f"{type(y).__name__}."
        )
        raise TypeError(msg)
    if multi_label:
        if isinstance(y, list):
            labels_to_list_multilabel(y)
        num_labels = len(y)
    else:
        y = labels_to_array(y)
        assert_valid_class_labels(
            y,
            allow_missing_classes=allow_missing_classes,
            allow_one_class=allow_one_class,
        )
        num_labels = len(y)
    if pred_probs is None:
        assert_nonempty_input(X)
        n = _num_examples(X)
        if n != num_labels:
            msg = (
                "X and labels must be same length, but X is length "
                f"{n} and labels is length {num_labels}."
            )
            raise ValueError(msg)
        assert_indexing_works(X, length_X=n)
        return
    highest = _highest_class(y, multi_label)
    check_pred_probs(
        pred_probs,
        num_examples=num_labels,
        min_classes=highest,
        rows_sum_to_one=not multi_label,
    )
    if X is not None:
        warnings.warn(
            "When X and pred_probs are both provided, the former may be ignored.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )


def _highest_class(y, multi_label: bool) -> int:
    """One more than the largest class index in the labels (0 if there are none)."""
    if multi_label:
        present = [max(row) for row in y if len(row)]
        return max(present) + 1 if present else 0
    return int(y.max()) + 1


def check_pred_probs(
    pred_probs,
    *,
    num_examples: int | None = None,
    min_classes: int | None = None,
    rows_sum_to_one: bool = True,
    name: str = "pred_probs",
    raise_unnormalized: bool = False,
) -> np.ndarray:
    """Check an (N, K) array of probabilities and return it unchanged.

    Raises for a non-array, wrong ndim, length mismatch, too few columns, NaN or
    infinite values and values outside [0, 1]; warns (without changing anything)
    when rows do not sum to 1 and `rows_sum_to_one` (False for multi-label
    probabilities), or raises ValueError instead if `raise_unnormalized`. One
    pass over the array, in row chunks.
    """
    if not isinstance(pred_probs, (np.ndarray, np.generic)):
        msg = (
            f"{name} must be a numpy array. `{name}` is a {type(pred_probs).__name__}; "
            "convert it with np.asarray."
        )
        raise TypeError(msg)
    if num_examples is not None and len(pred_probs) != num_examples:
        msg = (
            f"{name} and labels must have same length. `{name}` has "
            f"{len(pred_probs)} rows but `labels` has {num_examples} entries."
        )
        raise ValueError(msg)
    if pred_probs.ndim != 2:
        msg = (
            f"{name} array must have shape: num_examples x num_classes. `{name}` "
            f"has shape {pred_probs.shape}."
        )
        raise ValueError(msg)
    if pred_probs.shape[0] == 0 or pred_probs.shape[1] == 0:
        msg = (
            f"`{name}` is empty (shape {pred_probs.shape}): it needs rows and columns."
        )
        raise ValueError(msg)
    if pred_probs.dtype.kind not in "fiub":
        msg = f"`{name}` must hold numbers, got dtype {pred_probs.dtype}."
        raise TypeError(msg)
    if min_classes is not None and pred_probs.shape[1] < min_classes:
        msg = (
            f"{name} must have at least {min_classes} columns, based on the largest "
            f"class index which appears in labels. `{name}` has {pred_probs.shape[1]}."
        )
        raise ValueError(msg)
    _check_probability_values(pred_probs, name, rows_sum_to_one, raise_unnormalized)
    return pred_probs


def _row_stats_with(chunk: np.ndarray, func) -> tuple:
    return _row_stats(chunk), None if func is None else func(chunk)


def _row_stats(chunk: np.ndarray) -> tuple:
    """Min, max and number of badly normalized rows of one chunk (NaN propagates)."""
    # Native-dtype sums: float32 error (~1e-7) is far below the tolerance.
    sums = chunk.sum(axis=1)
    off = np.abs(sums - 1.0) > ROW_SUM_TOLERANCE
    first_off = int(np.argmax(off)) if off.any() else -1
    return chunk.min(), chunk.max(), int(off.sum()), first_off


def _check_probability_values(
    pred_probs: np.ndarray,
    name: str,
    rows_sum_to_one: bool,
    raise_unnormalized: bool = False,
) -> None:
    """Raise on NaN, inf or values outside [0, 1]; warn on rows not summing to 1."""
    num_off, first_off = check_probability_rows(pred_probs, name=name)
    if rows_sum_to_one and num_off and raise_unnormalized:
        first_sum = float(pred_probs[first_off].sum(dtype=np.float64))
        msg = (
            f"`{name}` rows must sum to 1; {num_off} of {len(pred_probs)} rows do "
            f"not (first: row {first_off}, which sums to {first_sum:.6g}). "
            "Normalize each row, e.g. apply a softmax to logits."
        )
        raise ValueError(msg)
    if rows_sum_to_one and num_off:
        warn_unnormalized_rows(
            name,
            num_off,
            len(pred_probs),
            first_off,
            float(pred_probs[first_off].sum(dtype=np.float64)),
        )


def check_probability_rows(
    pred_probs: np.ndarray, *, name: str = "pred_probs", offset: int = 0
) -> tuple[int, int]:
    """Raise on NaN, inf or values outside [0, 1]; count rows not summing to 1.

    Returns ``(num_off, first_off)``: how many rows sum to something further
    than the tolerance from 1, and the index of the first (-1 if none). Row
    numbers, in messages and in the result, are shifted by `offset` (the
    position of this block of rows in the whole array).
    """
    num_off, first_off, _ = check_probability_rows_with(
        None, pred_probs, name=name, offset=offset
    )
    return num_off, first_off


def check_probability_rows_with(
    func, pred_probs, *, name="pred_probs", offset=0, n_threads=None, executor=None
) -> tuple[int, int, list]:
    """`check_probability_rows`, also computing ``func(chunk)`` in the same pass.

    Each row chunk is checked and handed to `func` while it is in cache.
    Returns ``(num_off, first_off, parts)``, `parts` being the chunks' results
    of `func` in order (None when `func` is None). The checks raise only after
    every chunk is done. `n_threads` and `executor` are `reduce_row_chunks`'.
    """
    combined = reduce_row_chunks(
        _row_stats_with, pred_probs, func, n_threads=n_threads, executor=executor
    )
    stats = [part[0] for part in combined]
    low = min(s[0] for s in stats)
    high = max(s[1] for s in stats)
    if not (np.isfinite(low) and np.isfinite(high)):
        bad_rows = np.flatnonzero(~np.isfinite(pred_probs).all(axis=1)) + offset
        msg = (
            f"`{name}` contains NaN or infinite values in {len(bad_rows)} rows "
            f"(first: row {bad_rows[0]}). Every entry must be a probability in [0, 1]."
        )
        raise ValueError(msg)
    if low < -PROBABILITY_TOLERANCE or high > 1 + PROBABILITY_TOLERANCE:
        msg = (
            f"Values in {name} must be between 0 and 1. `{name}` ranges from {low} "
            f"to {high}; if these are logits, apply a softmax first."
        )
        raise ValueError(msg)
    num_off, first_off = 0, -1
    for (_, _, count, first), chunk in zip(stats, row_chunks(pred_probs), strict=True):
        if count and first_off < 0:
            first_off = offset + chunk.start + first
        num_off += count
    return num_off, first_off, [part[1] for part in combined]


def warn_unnormalized_rows(
    name: str, num_off: int, num_rows: int, first_off: int, first_sum: float
) -> None:
    """Warn that `num_off` of `num_rows` rows of `name` do not sum to 1."""
    warnings.warn(
        f"`{name}` rows should each sum to 1, but {num_off} of {num_rows} "
        f"rows do not (first: row {first_off}, which sums to {first_sum:.6g}). "
        "Results are computed as given; normalize each row to get meaningful ones.",
        PredProbsNormalizationWarning,
        stacklevel=user_stacklevel(),
    )


def holds_only_class_zero(labels) -> bool:
    """Whether every label is 0: a one-vs-rest problem whose class never occurs.

    Such labels may hold a single class; other one-class labels may not.
    """
    if not (isinstance(labels, (list, np.ndarray)) or is_pandas(labels)):
        return False
    try:
        values = labels_to_array(labels)
    except ValueError:
        return False
    return values.size > 0 and values.dtype.kind in "biuf" and not np.any(values)


def validate_labels_and_pred_probs(
    labels, pred_probs, *, allow_one_class: bool = False
) -> np.ndarray:
    """Validate single-label `labels` and `pred_probs`; return int64 labels."""
    assert_valid_inputs(None, labels, pred_probs, allow_one_class=allow_one_class)
    return labels_to_array(labels).astype(np.int64, copy=False)


def check_option(name: str, value, allowed: Iterable) -> None:
    """Raise `InvalidOptionError` unless `value` is one of `allowed`."""
    allowed = tuple(allowed)
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        msg = f"`{name}` must be one of {choices}; got {value!r}."
        raise InvalidOptionError(msg)


def check_n_jobs(n_jobs) -> None:
    """Raise `InvalidOptionError` unless `n_jobs` is None or a positive integer."""
    if n_jobs is None:
        return
    if not is_integer(n_jobs) or n_jobs < 1:
        msg = f"`n_jobs` must be None or a positive integer; got {n_jobs!r}."
        raise InvalidOptionError(msg)


def is_integer(value) -> bool:
    """Whether `value` is a Python or NumPy integer (``bool`` excluded)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_square_counts(matrix, name: str = "confident_joint") -> np.ndarray:
    """`matrix` as a square array of finite, non-negative numbers, or raise.

    For confident joints and joints passed in by the user (rows: given label,
    columns: true label): TypeError if not numeric, ValueError otherwise.
    """
    matrix = np.asarray(matrix)
    if matrix.dtype.kind not in "fiub":
        msg = f"`{name}` must hold numbers, got dtype {matrix.dtype}."
        raise TypeError(msg)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.size == 0:
        msg = (
            f"`{name}` must be a square K x K matrix (rows: given label, "
            f"columns: true label); got shape {matrix.shape}."
        )
        raise ValueError(msg)
    if not np.all(np.isfinite(matrix)) or matrix.min() < 0:
        msg = f"`{name}` must hold finite, non-negative numbers."
        raise ValueError(msg)
    return matrix


def check_thresholds(thresholds, num_classes: int, name: str = "thresholds"):
    """`thresholds` as a finite array of shape (K,), or a ValueError naming it."""
    thresholds = np.asarray(thresholds)
    if thresholds.shape != (num_classes,):
        msg = (
            f"`{name}` must have one entry per column of `pred_probs` (shape "
            f"({num_classes},)); got shape {thresholds.shape}."
        )
        raise ValueError(msg)
    if thresholds.dtype.kind not in "fiu" or not np.all(np.isfinite(thresholds)):
        msg = f"`{name}` must be finite numbers; got {thresholds!r}."
        raise ValueError(msg)
    return thresholds
