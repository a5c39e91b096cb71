"""Small numerical helpers: class counts, clipping, rounding that keeps totals."""

import sys

import numpy as np

from cleanlab.internal.constants import TINY_VALUE
from cleanlab.internal.containers import is_pandas, is_sparse

__all__ = [
    "append_extra_datapoint",
    "clip_noise_rates",
    "clip_values",
    "compress_int_array",
    "force_two_dimensions",
    "get_num_classes",
    "get_unique_classes",
    "num_unique_classes",
    "round_preserving_row_totals",
    "truncate_in_place",
    "round_preserving_sum",
    "subset_X_y",
    "take_rows",
    "train_val_split",
    "value_counts",
    "value_counts_fill_missing_classes",
]


def value_counts(x, *, num_classes: int | None = None, multi_label: bool = False):
    """Number of occurrences of each distinct value of `x`, in sorted value order.

    With `num_classes` (and integer data), return a length-`num_classes` array with
    zeros for the values that never occur. Without it, only the values that occur
    are counted.

    Examples
    --------
    >>> from cleanlab.benchmarking.noise_generation import value_counts
    >>> value_counts([0, 2, 2, 3])
    array([1, 2, 1])
    >>> value_counts([0, 2, 2, 3], num_classes=5)
    array([1, 0, 2, 1, 0])
    >>> value_counts([[0, 1], [1], []], multi_label=True)
    array([1, 2])
    """
    if multi_label:
        x = [v for row in x for v in row]
    x = np.asarray(x)
    if x.dtype.kind in "iu" and x.size and x.min() >= 0:
        counts = np.bincount(x.ravel())
        unique = np.flatnonzero(counts)
        counts = counts[unique]
    else:
        unique, counts = np.unique(x, return_counts=True)
    if num_classes is None or num_classes == len(unique):
        return counts
    if x.dtype.kind in "iu" or (x.dtype.kind == "f" and np.all(unique % 1 == 0)):
        if len(unique) and num_classes <= unique.max():
            msg = (
                f"Required: num_classes > max(x), but {num_classes} <= {unique.max()}."
            )
            raise ValueError(msg)
        full = np.zeros(num_classes, dtype=counts.dtype)
        full[unique.astype(np.int64)] = counts
        return full
    full = np.zeros(num_classes, dtype=counts.dtype)
    full[: len(counts)] = counts
    return full


def value_counts_fill_missing_classes(
    x, num_classes: int, *, multi_label: bool = False
):
    """Length-`num_classes` counts of each class index in `x` (0 for absent ones)."""
    return value_counts(x, num_classes=num_classes, multi_label=multi_label)


def clip_values(x, low=0.0, high=1.0, new_sum=None) -> np.ndarray:
    """Clip the 1-D `x` into [low, high], then rescale it to sum to `new_sum`.

    Without `new_sum` the original total is kept.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim > 1:
        msg = (
            "only size-1 arrays can be converted to Python scalars: clip_values "
            f"needs a 1-D array, got shape {x.shape}."
        )
        raise TypeError(msg)
    target = np.sum(x) if new_sum is None else new_sum
    x = np.clip(x, low, high)
    return x * target / max(np.sum(x), TINY_VALUE)


def clip_noise_rates(noise_matrix) -> np.ndarray:
    """Clip off-diagonal rates into [0, 0.9999] and renormalize every column to 1."""
    noise_matrix = np.asarray(noise_matrix, dtype=float)
    diagonal = np.diagonal(noise_matrix).copy()
    clipped = np.clip(noise_matrix, 0, 0.9999)
    np.fill_diagonal(clipped, diagonal)
    return clipped / np.maximum(clipped.sum(axis=0), TINY_VALUE)


def round_preserving_sum(iterable) -> np.ndarray:
    """Round to integers so that the total equals the rounded total of the input.

    Entries are rounded half-to-even; the remaining difference is made up by
    moving the entries with the largest rounding error (ties: ``np.argsort`` order).
    """
    floats = np.asarray(iterable, dtype=float)
    ints = np.round(floats)
    target = np.round(np.sum(floats))
    current = np.round(np.sum(ints))
    while abs(current - target) > 1e-6:
        difference = np.round(target - current)
        step = -1 if difference < 0 else 1
        count = int(min(abs(difference), len(floats)))
        order = np.argsort(floats - ints)
        if step == 1:
            order = order[::-1]
        ints[order[:count]] += step
        current = np.round(np.sum(ints))
    return ints.astype(int)


def round_preserving_row_totals(confident_joint, *, overwrite=False) -> np.ndarray:
    """Apply `round_preserving_sum` to each row of a 2-D matrix; int64 result.

    Rows whose rounded entries already add up to their rounded total are done
    by one whole-matrix rounding; only the others go through the per-row fix-up.
    With `overwrite`, a float64 `confident_joint` is rounded in place (the
    result is a view of it) instead of copied.
    """
    floats = np.asarray(confident_joint)
    if not (overwrite and floats.dtype == np.float64 and floats.flags.writeable):
        floats = np.array(floats, dtype=float)
    targets = np.round(floats.sum(axis=1))
    # Rounded row sums, a block of rows at a time: no second K x K array.
    currents = np.concatenate(
        [
            np.round(np.round(floats[start : start + _ROUNDING_ROWS]).sum(axis=1))
            for start in range(0, len(floats), _ROUNDING_ROWS)
        ]
    )
    fix_rows = np.flatnonzero(np.abs(currents - targets) > 1e-6)
    unrounded = floats[fix_rows]
    np.round(floats, out=floats)
    result = truncate_in_place(floats)
    for i, row in zip(fix_rows, unrounded, strict=True):
        result[i] = round_preserving_sum(row)
    return result


# Rows per block when `round_preserving_row_totals` sums rounded rows and
# `truncate_in_place` casts.
_ROUNDING_ROWS = 256


def truncate_in_place(floats: np.ndarray) -> np.ndarray:
    """``floats.astype(np.int64)``, written over the float64 array `floats`.

    The result is a view of `floats`, whose values are lost. A block of rows at
    a time, so no second array of that size is made: for a K x K matrix with
    large K each fresh array costs its page faults.
    """
    result = floats.view(np.int64)
    for start in range(0, len(floats), _ROUNDING_ROWS):
        block = slice(start, start + _ROUNDING_ROWS)
        result[block] = floats[block].astype(np.int64)
    return result


def compress_int_array(int_array, num_possible_values: int):
    """Cast to the smallest of int16/int32 that holds `num_possible_values` values."""
    try:
        if num_possible_values < np.iinfo(np.int16).max:
            return int_array.astype(np.int16)
        if num_possible_values < np.iinfo(np.int32).max:
            return int_array.astype(np.int32)
    except (AttributeError, TypeError, ValueError):
        pass
    return int_array


def _is_multilabel(labels) -> bool:
    return any(isinstance(row, list) for row in labels)


def get_unique_classes(labels, multi_label=None) -> set:
    """The set of class indices that occur in `labels` (lists of lists allowed)."""
    if multi_label is None:
        multi_label = _is_multilabel(labels)
    if multi_label:
        return {v for row in labels for v in row}
    return set(np.unique(np.asarray(labels)).tolist())


def num_unique_classes(labels, multi_label=None) -> int:
    """How many distinct classes occur in `labels`."""
    return len(get_unique_classes(labels, multi_label))


def get_num_classes(labels=None, pred_probs=None, label_matrix=None, multi_label=None):
    """K from `pred_probs`, else from a K x K `label_matrix`, else from `labels`."""
    if pred_probs is not None:
        return pred_probs.shape[1]
    if label_matrix is not None:
        if label_matrix.shape[0] != label_matrix.shape[1]:
            msg = f"label matrix must be K x K, not {label_matrix.shape}"
            raise ValueError(msg)
        return label_matrix.shape[0]
    if labels is None:
        msg = "Cannot determine number of classes from None input"
        raise ValueError(msg)
    return num_unique_classes(labels, multi_label=multi_label)


def force_two_dimensions(X):
    """Flatten every dimension after the first of an array with more than two."""
    if X is not None and len(X.shape) > 2:
        return X.reshape((len(X), -1))
    return X


def take_rows(X, indices):
    """Rows `indices` of features `X`: ``.iloc`` for pandas, indexing otherwise."""
    if is_pandas(X):
        return X.iloc[indices]
    if isinstance(X, list):
        return [X[i] for i in indices]
    return X[indices]


def train_val_split(X, labels, train_idx, holdout_idx):
    """Split features and labels into a training part and a holdout part.

    Returns ``(X_train, X_holdout, labels_train, labels_holdout)``.
    """
    labels = np.asarray(labels)
    try:
        X_train, X_holdout = take_rows(X, train_idx), take_rows(X, holdout_idx)
    except Exception as err:
        msg = (
            "Cleanlab cannot split this form of dataset (required for "
            f"cross-validation). `X` is a {type(X).__name__}; pass a numpy array, "
            "pandas DataFrame, scipy sparse matrix or list, or precomputed "
            "`pred_probs`."
        )
        raise ValueError(msg) from err
    return X_train, X_holdout, labels[train_idx], labels[holdout_idx]


def subset_X_y(X, labels, mask):
    """The examples of `X` and `labels` where the boolean `mask` is True."""
    indices = np.flatnonzero(mask)
    return take_rows(X, indices), np.asarray(labels)[indices]


def append_extra_datapoint(to_data, from_data, index):
    """`to_data` with row `index` of `from_data` appended (same container type)."""
    if type(from_data) is not type(to_data):
        msg = "Cannot append datapoint from different type of data object."
        raise ValueError(msg)
    if is_pandas(to_data):
        row = from_data.iloc[[index]]
        pandas = sys.modules["pandas"]  # imported: `to_data` is a pandas object
        return pandas.concat([to_data, row]).reset_index(drop=True)
    if isinstance(to_data, np.ndarray):
        return np.concatenate([to_data, from_data[[index]]], axis=0)
    if isinstance(to_data, list):
        return [*to_data, from_data[index]]
    if is_sparse(to_data):
        sparse = sys.modules["scipy.sparse"]
        return sparse.vstack([to_data, from_data[[index]]], format=to_data.format)
    try:
        return to_data.append(from_data[index])
    except AttributeError as err:
        msg = (
            f"Cannot append a datapoint to a {type(to_data).__name__}: it supports "
            "neither numpy/pandas/scipy-sparse stacking nor `.append`."
        )
        raise ValueError(msg) from err
