"""Multi-label labels: checks and conversions between class lists and one-hot matrices.

Multi-label labels arrive as a list of N lists of class indices (an empty list is
an example without any class). Everything computed on them works on the (N, K)
boolean one-hot matrix built here once, in one pass over the flattened lists.
"""

import itertools

import numpy as np

from cleanlab.internal.validation import check_pred_probs

__all__ = [
    "MultilabelFormatError",
    "as_float_probabilities",
    "check_multi_label_list",
    "check_multilabel_inputs",
    "check_multilabel_labels",
    "get_onehot_num_classes",
    "int2onehot",
    "multilabel_onehot",
    "onehot2int",
    "stack_complement",
]

EXPECTED_FORMAT = (
    "a list with one list of class indices per example, e.g. [[0], [1, 2], []]"
)


class MultilabelFormatError(ValueError, TypeError, AssertionError):
    """Multi-label `labels` are not a list of lists of class indices.

    cleanlab 2.9 raised a ``TypeError``, an ``AssertionError`` or a ``ValueError``
    for malformed multi-label labels, depending on the function; this error is
    all three, so code written against any of them keeps catching it.
    """


def stack_complement(pred_prob_slice: np.ndarray) -> np.ndarray:
    """The (N, 2) binary probabilities ``[1 - p, p]`` of one class's column `p`."""
    pred_prob_slice = np.asarray(pred_prob_slice)
    return np.vstack((1 - pred_prob_slice, pred_prob_slice)).T


def check_multilabel_labels(labels, *, name: str = "labels") -> None:
    """Raise `MultilabelFormatError` unless `labels` is a list of lists.

    The message says what arrived and shows the expected format; a one-hot
    matrix gets a pointer to `onehot2int`.
    """
    if not isinstance(labels, list):
        raise MultilabelFormatError(_format_message(labels, name))
    for i, row in enumerate(labels):
        if type(row) is not list and not isinstance(row, list):
            msg = (
                f"`{name}` must be {EXPECTED_FORMAT}; `{name}[{i}]` is a "
                f"{type(row).__name__} ({row!r:.60})."
            )
            raise MultilabelFormatError(msg)


def check_multi_label_list(labels) -> None:
    """Raise `MultilabelFormatError` unless `labels` is a list, for the
    ``multi_label=True`` paths of `cleanlab.count` and `cleanlab.filter`.

    The message starts with cleanlab 2.9's wording.
    """
    if not isinstance(labels, list):
        msg = "`labels` must be list when `multi_label=True`. " + _format_message(
            labels, "labels"
        )
        raise MultilabelFormatError(msg)


def _format_message(labels, name: str) -> str:
    """What is wrong with a `labels` container that is not a list."""
    message = f"`{name}` must be {EXPECTED_FORMAT}; got a {type(labels).__name__}"
    shape = getattr(labels, "shape", None)
    if shape is not None and len(shape) == 2:
        message += (
            f" of shape {tuple(shape)}. If it is a one-hot matrix, convert it with "
            "cleanlab.internal.multilabel_utils.onehot2int(labels)."
        )
    else:
        message += "."
    return message


def _flat_class_indices(labels: list, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The lengths of the label lists and their concatenated class indices (int64)."""
    lengths = np.fromiter(map(len, labels), dtype=np.int64, count=len(labels))
    flat = list(itertools.chain.from_iterable(labels))
    if not flat:
        return lengths, np.empty(0, dtype=np.int64)
    values = np.array(flat)
    if values.dtype.kind in "iu":
        return lengths, values.astype(np.int64, copy=False)
    is_bad = np.array(
        [isinstance(v, bool | np.bool_) or not _is_whole(v) for v in flat]
    )
    first = int(np.argmax(is_bad)) if is_bad.any() else 0
    msg = (
        f"`{name}` must hold integer class indices ({EXPECTED_FORMAT}); "
        f"`{name}[{_row_of(lengths, first)}]` holds {flat[first]!r}."
    )
    raise MultilabelFormatError(msg)


def _is_whole(value) -> bool:
    """Whether `value` is an integer, or a float holding a whole number."""
    if isinstance(value, int | np.integer):
        return True
    return isinstance(value, float | np.floating) and float(value).is_integer()


def multilabel_onehot(
    labels: list, num_classes: int | None = None, *, name: str = "labels"
) -> tuple[np.ndarray, int]:
    """Check `labels` and return ``(onehot, highest)``.

    `onehot` is the (N, num_classes) boolean matrix with a True where example
    ``i`` lists class ``k`` (duplicates in a list are harmless); `highest` is one
    more than the largest class index (0 when every list is empty). Negative
    indices raise; indices ``>= num_classes`` raise too, unless `num_classes` is
    None (then it is `highest`).
    """
    check_multilabel_labels(labels, name=name)
    lengths, values, highest = _parse_class_lists(labels, name)
    if num_classes is None:
        num_classes = highest
    if highest > num_classes:
        first = int(np.flatnonzero(values >= num_classes)[0])
        msg = (
            f"`{name}[{_row_of(lengths, first)}]` holds class {values[first]}, "
            f"outside 0..{num_classes - 1} (K = {num_classes} classes, the columns "
            "of `pred_probs`)."
        )
        raise ValueError(msg)
    return _build_onehot(lengths, values, num_classes), highest


def _parse_class_lists(labels: list, name: str):
    """``(lengths, values, highest)`` of checked class lists (indices >= 0)."""
    lengths, values = _flat_class_indices(labels, name)
    highest = int(values.max()) + 1 if values.size else 0
    if values.size and values.min() < 0:
        first = int(np.flatnonzero(values < 0)[0])
        msg = (
            f"`{name}` must hold class indices >= 0; "
            f"`{name}[{_row_of(lengths, first)}]` holds {values[first]}."
        )
        raise ValueError(msg)
    return lengths, values, highest


def _row_of(lengths: np.ndarray, position: int) -> int:
    """The example whose list holds entry `position` of the flattened lists."""
    return int(np.searchsorted(np.cumsum(lengths), position, side="right"))


def _build_onehot(lengths, values, num_classes: int) -> np.ndarray:
    onehot = np.zeros((len(lengths), num_classes), dtype=bool)
    onehot[np.repeat(np.arange(len(lengths)), lengths), values] = True
    return onehot


def check_multilabel_inputs(
    labels,
    pred_probs,
    *,
    require_annotations: bool = False,
    context: str = "",
) -> tuple[np.ndarray, np.ndarray]:
    """Validate multi-label `labels` and `pred_probs` at a public boundary.

    Returns ``(onehot, pred_probs)``: the (N, K) boolean one-hot labels (K from
    `pred_probs`) and `pred_probs` as a float32/float64 array (never copied for
    those dtypes). Rows of `pred_probs` need not sum to 1. `context` (a message
    of cleanlab 2.9 that user code may match) is put in front of label-format
    errors. With `require_annotations`, labels whose lists are all empty raise.
    """
    try:
        check_multilabel_labels(labels)
        lengths, values, highest = _parse_class_lists(labels, "labels")
    except MultilabelFormatError as err:
        if not context:
            raise
        raise MultilabelFormatError(f"{context} {err}") from err
    _check_class_indices_fit(lengths, values, highest, pred_probs)
    check_pred_probs(
        pred_probs,
        num_examples=len(labels),
        min_classes=highest,
        rows_sum_to_one=False,
    )
    if require_annotations and values.size == 0:
        msg = (
            "`labels` holds no class annotation at all: every one of its "
            f"{len(labels)} lists is empty, so there is nothing to score."
        )
        raise ValueError(msg)
    onehot = _build_onehot(lengths, values, pred_probs.shape[1])
    return onehot, as_float_probabilities(pred_probs)


def _check_class_indices_fit(lengths, values, highest: int, pred_probs) -> None:
    """Raise when a class index has no column in a well-shaped `pred_probs`,
    naming the example; other `pred_probs` problems are left to
    `check_pred_probs`."""
    if not (
        isinstance(pred_probs, np.ndarray)
        and pred_probs.ndim == 2
        and len(pred_probs) == len(lengths)
        and highest > pred_probs.shape[1]
    ):
        return
    num_classes = pred_probs.shape[1]
    first = int(np.flatnonzero(values >= num_classes)[0])
    msg = (
        f"pred_probs must have at least {highest} columns, based on the largest "
        f"class index which appears in labels. `labels[{_row_of(lengths, first)}]` "
        f"holds class {values[first]}, but `pred_probs` has {num_classes} columns "
        f"(classes 0..{num_classes - 1})."
    )
    raise ValueError(msg)


def int2onehot(labels: list, K: int) -> np.ndarray:
    """An (N, K) int 0/1 matrix with a 1 where the example's list holds the class.

    Raises ``ValueError`` for a class index outside ``0..K-1`` and
    `MultilabelFormatError` for labels that are not a list of lists of integers.
    """
    onehot, _ = multilabel_onehot(labels, K)
    return onehot.astype(int)


def onehot2int(onehot_matrix: np.ndarray) -> list[list[int]]:
    """The list of class lists of a one-hot matrix (inverse of `int2onehot`)."""
    matrix = np.asarray(onehot_matrix)
    rows, columns = np.nonzero(matrix)
    bounds = np.searchsorted(rows, np.arange(len(matrix) + 1))
    columns = columns.tolist()
    return [columns[bounds[i] : bounds[i + 1]] for i in range(len(matrix))]


def get_onehot_num_classes(labels, pred_probs=None) -> tuple[np.ndarray, int]:
    """One-hot int `labels` and K (from `pred_probs` if given, else the labels).

    Without `pred_probs`, K is the number of distinct classes in `labels`.
    """
    if pred_probs is not None:
        num_classes = pred_probs.shape[1]
    else:
        check_multilabel_labels(labels)
        num_classes = len({v for row in labels for v in row})
    try:
        onehot = int2onehot(labels, num_classes)
    except MultilabelFormatError as err:
        msg = (
            "wrong format for labels, should be a list of list[indices], please "
            f"check the documentation. {err}"
        )
        raise MultilabelFormatError(msg) from err
    return onehot, num_classes


def _is_multilabel(y) -> bool:
    """Whether `y` is a one-hot ndarray: 2-D, at least 2 columns, holding 0 and 1."""
    if not isinstance(y, np.ndarray) or y.ndim != 2 or y.shape[1] < 2:
        return False
    return np.array_equal(np.unique(y), [0, 1])


def as_float_probabilities(pred_probs: np.ndarray) -> np.ndarray:
    """`pred_probs` as float32 or float64 (other dtypes become float64; no copy
    for float32/float64 input)."""
    pred_probs = np.asarray(pred_probs)
    if pred_probs.dtype in (np.float32, np.float64):
        return pred_probs
    return pred_probs.astype(np.float64)
