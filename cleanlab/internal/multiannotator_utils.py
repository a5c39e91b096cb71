"""Building blocks of `cleanlab.multiannotator`: input checks, the sparse view of a
wide annotator table, majority vote, the CROWDLAB posterior, temperature scaling and
the Dawid-Skene estimator.

A multi-annotator table has one row per example and one column per annotator, with
NaN where an annotator did not label an example; most cells are usually missing.
Everything here works on the non-missing entries only, held as three aligned arrays
(example, annotator, class) in row-major order: per-example and per-annotator sums
are ``np.bincount`` calls over them, per-(example, class) counts one more, and no
Python loop runs over examples or annotators. The functions after the validation
section trust their inputs (checked at the public boundary).
"""

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from cleanlab.internal.chunking import CHUNK_BYTES
from cleanlab.internal.errors import user_stacklevel
from cleanlab.internal.validation import check_pred_probs

__all__ = [
    "DAWID_SKENE_MAX_ITER",
    "DAWID_SKENE_SMOOTHING",
    "DAWID_SKENE_TOL",
    "SMALL_CONST",
    "AnnotationTable",
    "assert_valid_inputs_multiannotator",
    "assert_valid_pred_probs",
    "check_consensus_label_classes",
    "checked_table",
    "compute_soft_cross_entropy",
    "crowdlab_posterior",
    "dawid_skene",
    "find_best_temp_scaler",
    "format_multiannotator_labels",
    "labels_multiannotator_to_array",
    "majority_vote",
    "temp_scale_pred_probs",
]

# Probabilities are clipped below at this value before taking logs.
SMALL_CONST = 1e-30
# Dawid-Skene EM: stop once an iteration raises the log-likelihood by at most
# the tolerance relative to its size, or after the iteration cap; the smoothing
# is the pseudo-count added to every cell of every annotator's confusion matrix.
DAWID_SKENE_TOL = 1e-6
DAWID_SKENE_MAX_ITER = 100
DAWID_SKENE_SMOOTHING = 0.01
# How many offending rows or annotators an error message lists before "...".
_MAX_LISTED = 20


# --------------------------------------------------------------------------
# Input conversion and validation
# --------------------------------------------------------------------------


def labels_multiannotator_to_array(labels_multiannotator) -> tuple:
    """Return ``(A, annotator_ids, index)`` for a DataFrame or array of annotations.

    `A` is a float64 (N, M) array with NaN for missing annotations; it may share
    memory with the input (a float64 array or DataFrame), so callers only read
    it. `annotator_ids` and `index` are the DataFrame's columns and index, or
    None for an array.

    Raises
    ------
    ValueError
        If the input is neither a DataFrame nor an ndarray, is not 2-D, holds
        strings or holds values that are not numbers.
    """
    if isinstance(labels_multiannotator, pd.DataFrame):
        frame = labels_multiannotator
        ids, index = frame.columns, frame.index
        if any(dtype.kind not in "biuf" for dtype in frame.dtypes):
            values = frame.to_numpy(dtype=object, na_value=np.nan)
            return _object_labels_to_float(values, ids), ids, index
        return frame.to_numpy(dtype=np.float64, na_value=np.nan), ids, index
    if not isinstance(labels_multiannotator, np.ndarray):
        msg = (
            "labels_multiannotator must be either a NumPy array or Pandas DataFrame. "
            f"`labels_multiannotator` is a {type(labels_multiannotator).__name__}; "
            "convert it with np.asarray or pd.DataFrame."
        )
        raise ValueError(msg)
    array = labels_multiannotator
    _check_two_dimensions(array)
    kind = array.dtype.kind
    if kind in "US":
        _raise_strings(array, None)
    if kind == "O":
        return _object_labels_to_float(array, None), None, None
    if kind not in "biuf":
        msg = (
            "Labels must be zero-indexed integers corresponding to class indices. "
            f"`labels_multiannotator` has dtype {array.dtype}."
        )
        raise ValueError(msg)
    return array.astype(np.float64, copy=False), None, None


def _check_two_dimensions(array: np.ndarray) -> None:
    """Raise the contract's message unless `array` is 2-D."""
    if array.ndim != 2:
        msg = (
            "labels_multiannotator must be a 2D array or dataframe, each row "
            "represents an example and each column represents an annotator. "
            f"`labels_multiannotator` has shape {array.shape}."
        )
        raise ValueError(msg)


def _object_labels_to_float(values: np.ndarray, ids) -> np.ndarray:
    """Object (N, M) annotations as float64 with NaN (None and pd.NA are missing)."""
    missing = pd.isna(values)
    present = values[~missing]
    if any(isinstance(v, str) for v in present):
        _raise_strings(values, ids)
    result = np.full(values.shape, np.nan)
    try:
        result[~missing] = np.asarray(present, dtype=np.float64)
    except (TypeError, ValueError) as err:
        rows, cols = np.nonzero(~missing)
        for i, j, v in zip(rows, cols, present, strict=True):  # error path only
            if not _is_number(v):
                msg = (
                    "Labels must be zero-indexed integers corresponding to class "
                    f"indices. Annotator {_name(ids, j)} gave {v!r} "
                    f"({type(v).__name__}) to example {i}."
                )
                raise ValueError(msg) from err
        raise
    return result


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, complex)


def _raise_strings(values: np.ndarray, ids) -> None:
    """Raise the contract's message for string labels, naming the first one."""
    is_str = np.vectorize(lambda v: isinstance(v, str), otypes=[bool])(values)
    i, j = (int(x[0]) for x in np.nonzero(is_str))
    msg = (
        "Labels cannot be strings, they must be zero-indexed integers corresponding "
        f"to class indices. Annotator {_name(ids, j)} gave {values[i, j]!r} to "
        f"example {i}; map the class names to 0..K-1 first (see "
        "cleanlab.internal.multiannotator_utils.format_multiannotator_labels)."
    )
    raise ValueError(msg)


def _name(ids, j: int) -> str:
    """How an error message names annotator `j` (its id, or its column position)."""
    return repr(ids[j]) if ids is not None else str(j)


def _listed(items) -> str:
    """A list for a message: every item up to `_MAX_LISTED`, then a count."""
    items = list(items)
    if len(items) <= _MAX_LISTED:
        return str(items)
    return f"{items[:_MAX_LISTED]} ... ({len(items)} in total)"


def assert_valid_inputs_multiannotator(
    labels_multiannotator: np.ndarray,
    pred_probs: np.ndarray | None = None,
    ensemble: bool = False,
    allow_single_label: bool = False,
    annotator_ids: pd.Index | None = None,
) -> None:
    """Check a multi-annotator table (and its pred_probs), raising on problems.

    `labels_multiannotator` is the (N, M) table as an array with NaN for missing
    annotations (a DataFrame is converted, its columns then naming annotators).
    The checks, in order: 2-D; no strings; every example labelled by someone;
    every annotator labelled something; unless `allow_single_label`, more than one
    annotator and some example labelled twice; labels whole numbers >= 0; then
    `pred_probs` of shape (N, K), or (E, N, K) when `ensemble`, with finite
    values in [0, 1] and enough columns for the largest label.

    Raises
    ------
    ValueError
        For each failed check, naming the examples or annotators concerned.
    TypeError
        If `pred_probs` is not an ndarray.

    Warns
    -----
    UserWarning
        If no two annotators agree on any example (unless `allow_single_label`).
    """
    checked_table(
        labels_multiannotator,
        pred_probs,
        ensemble=ensemble,
        allow_single_label=allow_single_label,
        annotator_ids=annotator_ids,
    )


def checked_table(
    labels_multiannotator,
    pred_probs: np.ndarray | None = None,
    *,
    ensemble: bool = False,
    allow_single_label: bool = False,
    annotator_ids: pd.Index | None = None,
) -> "AnnotationTable":
    """`assert_valid_inputs_multiannotator`, returning the table it checked."""
    if isinstance(labels_multiannotator, pd.DataFrame) or (
        isinstance(labels_multiannotator, np.ndarray)
        and labels_multiannotator.dtype.kind != "f"
    ):
        labels_multiannotator, ids, _ = labels_multiannotator_to_array(
            labels_multiannotator
        )
        annotator_ids = ids if annotator_ids is None else annotator_ids
    else:
        _check_two_dimensions(labels_multiannotator)
    table = AnnotationTable.from_array(labels_multiannotator, check=True)
    table.check(annotator_ids, allow_single_label=allow_single_label)
    if pred_probs is not None:
        _check_multiannotator_pred_probs(pred_probs, table, ensemble, annotator_ids)
    return table


def _check_multiannotator_pred_probs(pred_probs, table, ensemble, annotator_ids):
    """§2.1 step 7: type, ndim, length, values and number of columns."""
    if not isinstance(pred_probs, np.ndarray):
        msg = (
            "pred_probs must be a numpy array. `pred_probs` is a "
            f"{type(pred_probs).__name__}; convert it with np.asarray."
        )
        raise TypeError(msg)
    n = table.num_examples
    if not ensemble:
        if pred_probs.ndim != 2:
            hint = (
                " If you have a 3d pred_probs array, use the ensemble version of "
                "this function."
                if pred_probs.ndim == 3
                else ""
            )
            msg = f"pred_probs must be a 2d array.{hint} Got shape {pred_probs.shape}."
            raise ValueError(msg)
        if len(pred_probs) != n:
            msg = (
                "pred_probs and labels_multiannotator must have same length. "
                f"`pred_probs` has {len(pred_probs)} rows, `labels_multiannotator` "
                f"{n}."
            )
            raise ValueError(msg)
        members = {"pred_probs": pred_probs}
    else:
        if pred_probs.ndim != 3:
            hint = (
                " If you have a 2d pred_probs array, use the non-ensemble version "
                "of this function."
                if pred_probs.ndim == 2
                else ""
            )
            msg = f"pred_probs must be a 3d array.{hint} Got shape {pred_probs.shape}."
            raise ValueError(msg)
        if pred_probs.shape[1] != n:
            msg = (
                "each pred_probs and labels_multiannotator must have same length. "
                f"`pred_probs` has shape {pred_probs.shape}, `labels_multiannotator` "
                f"{n} rows."
            )
            raise ValueError(msg)
        if len(pred_probs) == 0:
            msg = f"`pred_probs` holds no models (shape {pred_probs.shape})."
            raise ValueError(msg)
        members = {f"pred_probs[{e}]": p for e, p in enumerate(pred_probs)}
    num_classes = pred_probs.shape[-1]
    for name, member in members.items():  # a loop over the few ensemble members
        check_pred_probs(member, name=name)
    highest = int(table.label.max())
    if num_classes < highest + 1:
        e = int(np.argmax(table.label))
        msg = (
            f"pred_probs must have at least {highest + 1} columns based on the "
            "largest class label which appears in labels_multiannotator. Perhaps "
            "some rarely-annotated classes were lost while establishing consensus "
            "labels used to train your classifier. `pred_probs` has "
            f"{num_classes}; annotator {_name(annotator_ids, table.annotator[e])} "
            f"gave label {highest} to example {table.example[e]}."
        )
        raise ValueError(msg)
    if num_classes < 2:
        msg = (
            "`pred_probs` must have at least 2 columns (classes); got shape "
            f"{pred_probs.shape}."
        )
        raise ValueError(msg)


def assert_valid_pred_probs(
    pred_probs: np.ndarray | None = None,
    pred_probs_unlabeled: np.ndarray | None = None,
    ensemble: bool = False,
) -> None:
    """Check the probability inputs of the active learning scores (§2.6, §2.7).

    At least one must be given; each given one must be an ndarray of ndim 2 (3
    with `ensemble`) holding finite probabilities, and both must have the same
    number of classes.

    Raises
    ------
    ValueError
        If both are None, an array has the wrong ndim or bad values, or the class
        counts differ.
    TypeError
        If a given argument is not an ndarray.
    """
    if pred_probs is None and pred_probs_unlabeled is None:
        msg = (
            "pred_probs and pred_probs_unlabeled cannot both be None, specify at "
            "least one of the two."
        )
        raise ValueError(msg)
    ndim = 3 if ensemble else 2
    given = {"pred_probs": pred_probs, "pred_probs_unlabeled": pred_probs_unlabeled}
    for name, value in given.items():
        if value is None:
            continue
        if not isinstance(value, np.ndarray):
            msg = (
                f"{name} must be a numpy array. `{name}` is a "
                f"{type(value).__name__}; convert it with np.asarray."
            )
            raise TypeError(msg)
        if value.ndim != ndim:
            msg = f"{name} must be a {ndim}d array." + _ndim_hint(value, ensemble)
            raise ValueError(msg)
        members = list(value) if ensemble else [value]
        if not members:
            msg = f"`{name}` holds no models (shape {value.shape})."
            raise ValueError(msg)
        for e, member in enumerate(members):  # a loop over the few ensemble members
            check_pred_probs(member, name=f"{name}[{e}]" if ensemble else name)
    if pred_probs is not None and pred_probs_unlabeled is not None:
        if pred_probs.shape[-1] != pred_probs_unlabeled.shape[-1]:
            msg = (
                "pred_probs and pred_probs_unlabeled must have the same number of "
                f"classes. `pred_probs` has {pred_probs.shape[-1]}, "
                f"`pred_probs_unlabeled` {pred_probs_unlabeled.shape[-1]}."
            )
            raise ValueError(msg)


def _ndim_hint(value: np.ndarray, ensemble: bool) -> str:
    """The contract's hint at the other variant, plus the shape that arrived."""
    if ensemble and value.ndim == 2:
        hint = (
            " If you have a 2d pred_probs array (ie. only one predictor), use the "
            "non-ensemble version of this function."
        )
    elif not ensemble and value.ndim == 3:
        hint = (
            " If you have a 3d pred_probs array, use the ensemble version of this "
            "function."
        )
    else:
        hint = ""
    return f"{hint} Got shape {value.shape}."


# --------------------------------------------------------------------------
# The sparse view of the annotator table
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnotationTable:
    """The non-missing entries of an (N, M) annotator table, in row-major order.

    Attributes
    ----------
    example, annotator, label : np.ndarray of shape (nnz,), int64
        Row, column and class of each annotation; `example` is non-decreasing and
        `annotator` increasing within an example.
    slot : np.ndarray of shape (nnz,), int64
        Position of each annotation among its example's annotations (0, 1, ...).
    num_annotations : np.ndarray of shape (N,), int64
        Number of annotations of each example.
    row_starts : np.ndarray of shape (N + 1,), int64
        The annotations of example i are entries ``row_starts[i]:row_starts[i+1]``.
    num_examples, num_annotators : int
    """

    example: np.ndarray
    annotator: np.ndarray
    label: np.ndarray
    slot: np.ndarray
    num_annotations: np.ndarray
    row_starts: np.ndarray
    num_examples: int
    num_annotators: int

    @classmethod
    def from_array(cls, labels: np.ndarray, *, check: bool = False):
        """The table of a float (N, M) array with NaN for missing annotations.

        With `check`, the raw float labels are kept for `check` to inspect;
        otherwise they must already be whole numbers >= 0.
        """
        num_examples, num_annotators = labels.shape
        present = ~np.isnan(labels)
        example, annotator = np.nonzero(present)
        values = labels[example, annotator]
        if check:
            # Stashed for `check`; the int labels are made there.
            label = values
        else:
            label = values.astype(np.int64)
        num_annotations = np.bincount(example, minlength=num_examples)
        row_starts = np.zeros(num_examples + 1, dtype=np.int64)
        np.cumsum(num_annotations, out=row_starts[1:])
        slot = np.arange(len(example), dtype=np.int64) - row_starts[example]
        return cls(
            example=example.astype(np.int64, copy=False),
            annotator=annotator.astype(np.int64, copy=False),
            label=label,
            slot=slot,
            num_annotations=num_annotations,
            row_starts=row_starts,
            num_examples=num_examples,
            num_annotators=num_annotators,
        )

    def check(self, annotator_ids=None, allow_single_label: bool = False) -> None:
        """§2.1 steps 3-6 on a table made with ``from_array(..., check=True)``.

        Replaces the float labels by int64 ones once they pass.
        """
        n, m = self.num_examples, self.num_annotators
        if n == 0 or m == 0:
            msg = (
                "`labels_multiannotator` is empty (shape "
                f"({n}, {m})): it needs examples and annotators."
            )
            raise ValueError(msg)
        unlabeled = np.flatnonzero(self.num_annotations == 0)
        if unlabeled.size:
            msg = (
                "labels_multiannotator cannot have rows with all NaN, each example "
                "must have at least one label.\nExamples "
                f"{_listed(unlabeled.tolist())} do not have any labels."
            )
            raise ValueError(msg)
        per_annotator = np.bincount(self.annotator, minlength=m)
        idle = np.flatnonzero(per_annotator == 0)
        if idle.size:
            names = idle.tolist() if annotator_ids is None else annotator_ids[idle]
            msg = (
                "labels_multiannotator cannot have columns with all NaN, each "
                "annotator must annotator at least one example.\nAnnotators "
                f"{_listed(list(names))} did not label any examples."
            )
            raise ValueError(msg)
        if not allow_single_label:
            if m <= 1:
                msg = (
                    "labels_multiannotator must have more than one column.\nIf "
                    "there is only one annotator, use "
                    "cleanlab.rank.get_label_quality_scores instead"
                )
                raise ValueError(msg)
            if np.all(self.num_annotations == 1):
                msg = (
                    "Each example only has one label, collapse the labels into a "
                    "1-D array and use cleanlab.rank.get_label_quality_scores "
                    "instead"
                )
                raise ValueError(msg)
        values = self.label
        with np.errstate(invalid="ignore"):
            not_whole = values % 1 != 0  # inf % 1 is NaN: also caught
        if not_whole.any():
            e = int(np.argmax(not_whole))
            msg = (
                "Labels must be zero-indexed integers corresponding to class "
                f"indices. Annotator {_name(annotator_ids, self.annotator[e])} gave "
                f"{values[e]} to example {self.example[e]}."
            )
            raise ValueError(msg)
        negative = values < 0
        if negative.any():
            e = int(np.argmax(negative))
            msg = (
                "Labels must be positive integers corresponding to class indices. "
                f"Annotator {_name(annotator_ids, self.annotator[e])} gave "
                f"{values[e]:g} to example {self.example[e]}; class indices start "
                "at 0."
            )
            raise ValueError(msg)
        object.__setattr__(self, "label", values.astype(np.int64))
        if not allow_single_label:
            self.warn_unless_agreement()

    def warn_unless_agreement(self) -> None:
        """§2.1 step 5's warning when no two annotators agree on any example."""
        if not self.has_agreement():
            warnings.warn(
                "Annotators do not agree on any example. Check input data.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )

    def has_agreement(self) -> bool:
        """Whether some example has two annotations of the same class."""
        key = self.example * (int(self.label.max()) + 1) + self.label
        # Entries are sorted by example; repeated keys within one example collide.
        key = np.sort(key)
        return bool(np.any(key[1:] == key[:-1]))

    def class_counts(self, num_classes: int) -> np.ndarray:
        """(N, K) int64: how many annotators gave each example each class."""
        cells = self.example * num_classes + self.label
        counts = np.bincount(cells, minlength=self.num_examples * num_classes)
        return counts.reshape(self.num_examples, num_classes)

    def per_annotator(self, weights=None) -> np.ndarray:
        """(M,) sums of `weights` (default 1) over each annotator's entries."""
        return np.bincount(self.annotator, weights, minlength=self.num_annotators)

    def per_example(self, weights=None) -> np.ndarray:
        """(N,) sums of `weights` (default 1) over each example's entries."""
        return np.bincount(self.example, weights, minlength=self.num_examples)

    def to_dense(self, values: np.ndarray) -> np.ndarray:
        """(N, M) float64 array holding `values` at the entries and NaN elsewhere."""
        dense = np.full((self.num_examples, self.num_annotators), np.nan)
        dense[self.example, self.annotator] = values
        return dense


def _first_max(candidates: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Narrow the boolean (T, K) `candidates` to those with the largest `values`.

    NaN values count as the smallest, so a row whose candidates all have NaN keeps
    them all.
    """
    masked = np.where(candidates & ~np.isnan(values), values, -np.inf)
    best = masked.max(axis=1, keepdims=True)
    return candidates & (masked == best)


# --------------------------------------------------------------------------
# Majority vote
# --------------------------------------------------------------------------


def majority_vote(
    table: AnnotationTable,
    num_classes: int,
    pred_probs: np.ndarray | None = None,
    counts: np.ndarray | None = None,
) -> np.ndarray:
    """Most common class of each example, ties broken as in §2.2 (int64, (N,)).

    Ties go, in turn, to the class with the highest `pred_probs` (if given), the
    class annotated most often overall, the class whose annotators are the most
    accurate on the untied examples, and finally a draw from NumPy's global
    generator (with a warning naming the examples).
    """
    if counts is None:
        counts = table.class_counts(num_classes)
    top = counts.max(axis=1, keepdims=True)
    is_mode = counts == top
    consensus = counts.argmax(axis=1)
    is_tied = np.count_nonzero(is_mode, axis=1) > 1
    tied = np.flatnonzero(is_tied)
    if tied.size == 0:
        return consensus
    candidates = is_mode[tied]
    if pred_probs is not None:
        candidates = _first_max(candidates, pred_probs[tied])
    frequency = counts.sum(axis=0).astype(np.float64)
    candidates = _first_max(candidates, np.broadcast_to(frequency, candidates.shape))
    open_rows = np.count_nonzero(candidates, axis=1) > 1
    if open_rows.any():
        accuracy = _annotator_accuracy(table, consensus, is_tied)
        scores = _mean_accuracy_per_class(table, tied, accuracy, counts[tied])
        candidates[open_rows] = _first_max(candidates[open_rows], scores[open_rows])
    consensus[tied] = _draw_remaining_ties(tied, candidates)
    return consensus


def _annotator_accuracy(table, consensus, is_tied) -> np.ndarray:
    """(M,) agreement of each annotator with `consensus` on the untied examples.

    Annotators without untied examples get the mean of the others (NaN if none
    has any).
    """
    on_untied = ~is_tied[table.example]
    agrees = table.label == consensus[table.example]
    labelled = np.bincount(table.annotator[on_untied], minlength=table.num_annotators)
    agreed = np.bincount(
        table.annotator[on_untied],
        agrees[on_untied].astype(np.float64),
        minlength=table.num_annotators,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = agreed / labelled
    known = labelled > 0
    if known.any() and not known.all():
        accuracy[~known] = np.mean(accuracy[known])
    return accuracy


def _mean_accuracy_per_class(table, tied, accuracy, tied_counts) -> np.ndarray:
    """(T, K) mean accuracy of the annotators who chose each class, per tied row."""
    position = np.full(table.num_examples, -1, dtype=np.int64)
    position[tied] = np.arange(len(tied))
    where = position[table.example]
    keep = where >= 0
    num_classes = tied_counts.shape[1]
    cells = where[keep] * num_classes + table.label[keep]
    sums = np.bincount(
        cells, accuracy[table.annotator[keep]], minlength=tied_counts.size
    ).reshape(tied_counts.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / tied_counts


def _draw_remaining_ties(tied: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """The first candidate of each row, or a random one where several remain.

    The draws are ``np.random.choice(row_candidates)`` for the open rows in
    increasing order (one ``randint`` call gives the same stream).
    """
    chosen = candidates.argmax(axis=1)
    num_left = np.count_nonzero(candidates, axis=1)
    still_open = np.flatnonzero(num_left > 1)
    if still_open.size:
        warnings.warn(
            f"breaking ties of examples {tied[still_open].tolist()} by random "
            "selection, you may want to set seed for reproducability",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
        draws = np.random.randint(0, num_left[still_open])
        # The draw-th True of each open row.
        ranks = np.cumsum(candidates[still_open], axis=1) - 1
        hit = candidates[still_open] & (ranks == draws[:, None])
        chosen[still_open] = hit.argmax(axis=1)
    return chosen


def check_consensus_label_classes(
    labels_multiannotator: np.ndarray,
    consensus_label: np.ndarray,
    consensus_method: str,
) -> None:
    """Print a caution when a class some annotator used is absent from the consensus."""
    values = np.asarray(labels_multiannotator, dtype=np.float64)
    annotated = np.unique(values[~np.isnan(values)]).astype(np.int64)
    print_missing_consensus_classes(annotated, consensus_label, consensus_method)


def print_missing_consensus_classes(annotated, consensus_label, consensus_method):
    """`check_consensus_label_classes` given the sorted annotated classes."""
    missing = np.setdiff1d(annotated, consensus_label)
    if missing.size:
        print(
            "CAUTION: Number of unique classes has been reduced from the original "
            "data when establishing consensus labels using consensus method "
            f"'{consensus_method}': the consensus of every example that received "
            "these classes went to other classes. A model trained on the consensus "
            "labels will not learn these classes.\n"
            "Classes in the original data but not in consensus labels: "
            f"{missing.tolist()}"
        )


# --------------------------------------------------------------------------
# CROWDLAB posterior
# --------------------------------------------------------------------------


def crowdlab_posterior(
    table: AnnotationTable,
    models: list,
    model_weights: np.ndarray,
    annotator_weights: np.ndarray,
    p_agree: float,
    p_disagree: float,
) -> np.ndarray:
    """(N, K) float64 weighted average of the models and the annotators' votes.

    Entry (i, k) is ``(sum_e w_e P_e[i, k] + sum_{j in L_i} w_j v_ijk) /
    (sum_e w_e + sum_{j in L_i} w_j)`` with ``v_ijk`` = `p_agree` if annotator j
    chose k for example i, else `p_disagree`. Both sums are accumulated term by
    term, models first then annotators in column order (the order of
    ``np.average`` over fewer than 8 terms), one row chunk at a time.
    """
    num_classes = models[0].shape[1]
    num_models = len(models)
    n = table.num_examples
    annotation_weight = annotator_weights[table.annotator]
    agree_term = annotation_weight * p_agree
    disagree_term = annotation_weight * p_disagree
    widest = num_models + int(table.num_annotations.max())
    rows_per_chunk = max(1, CHUNK_BYTES // (8 * widest * num_classes))
    posterior = np.empty((n, num_classes))
    for start in range(0, n, rows_per_chunk):
        stop = min(n, start + rows_per_chunk)
        first, last = table.row_starts[start], table.row_starts[stop]
        width = num_models + int(table.num_annotations[start:stop].max())
        # Terms along the leading axis: the sum over it adds them in order.
        terms = np.zeros((width, stop - start, num_classes))
        weights = np.zeros((width, stop - start))
        for e, (member, weight) in enumerate(zip(models, model_weights, strict=True)):
            np.multiply(member[start:stop], np.float64(weight), out=terms[e])
            weights[e] = weight
        layer = num_models + table.slot[first:last]
        row = table.example[first:last] - start
        terms[layer, row, :] = disagree_term[first:last, None]
        terms[layer, row, table.label[first:last]] = agree_term[first:last]
        weights[layer, row] = annotation_weight[first:last]
        np.divide(
            terms.sum(axis=0), weights.sum(axis=0)[:, None], out=posterior[start:stop]
        )
    return posterior


# --------------------------------------------------------------------------
# Temperature scaling
# --------------------------------------------------------------------------


def _softmax(x: np.ndarray, temperature: float, shift: bool = False) -> np.ndarray:
    """Row softmax of ``x / max(temperature, 1e-6)`` (B3)."""
    scaled = x / max(temperature, 1e-6)
    if shift:
        scaled -= scaled.max(axis=1, keepdims=True)
    np.exp(scaled, out=scaled)
    scaled /= scaled.sum(axis=1, keepdims=True)
    return scaled


def temp_scale_pred_probs(pred_probs: np.ndarray, temp: float) -> np.ndarray:
    """`pred_probs` sharpened (`temp` < 1) or softened (> 1) by a temperature.

    Entries are clipped below at 1e-30 and rows renormalized, then each row
    becomes ``softmax(log(p) / temp)``, renormalized once more. A new array in
    the dtype of `pred_probs`; the input is not modified.
    """
    clipped = np.maximum(pred_probs, SMALL_CONST)
    clipped /= clipped.sum(axis=1, keepdims=True)
    scaled = _softmax(np.log(clipped), temp, shift=False)
    scaled /= scaled.sum(axis=1, keepdims=True)
    return scaled


def compute_soft_cross_entropy(
    labels_multiannotator: np.ndarray, pred_probs: np.ndarray
) -> np.ndarray:
    """(N,) cross-entropy of each example's vote shares against `pred_probs`.

    The vote shares of example i are the fraction of its annotators choosing each
    class; the result is ``-sum_k share[i, k] log(max(P[i, k], 1e-30)) / log(K)``.
    """
    values = np.asarray(labels_multiannotator, dtype=np.float64)
    table = AnnotationTable.from_array(values)
    shares = vote_shares(table, pred_probs.shape[1])
    return _soft_cross_entropy(shares, pred_probs)


def vote_shares(table: AnnotationTable, num_classes: int) -> np.ndarray:
    """(N, K) float64: the fraction of each example's annotators choosing each class."""
    counts = table.class_counts(num_classes)
    return counts / table.num_annotations[:, None]


def _soft_cross_entropy(shares: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    log_probs = np.log(np.maximum(pred_probs, SMALL_CONST))
    return -np.sum(shares * log_probs, axis=1) / np.log(pred_probs.shape[1])


def find_best_temp_scaler(
    labels_multiannotator: np.ndarray,
    pred_probs: np.ndarray,
    coarse_search_range: list = [0.1, 0.2, 0.5, 0.8, 1, 2, 3, 5, 8],
    fine_search_size: int = 4,
) -> float:
    """The temperature that best fits `pred_probs` to the annotators' vote shares.

    A coarse grid search of the mean soft cross-entropy (see
    `compute_soft_cross_entropy`) over `coarse_search_range`, then a finer one
    between the coarse minimum's neighbours (`fine_search_size` steps on each
    side); the first minimizer of the fine grid is returned.
    `labels_multiannotator` may also be the `AnnotationTable` of the annotations.
    """
    table = labels_multiannotator
    if not isinstance(table, AnnotationTable):
        table = AnnotationTable.from_array(np.asarray(table, dtype=np.float64))
    shares = vote_shares(table, pred_probs.shape[1])
    with np.errstate(divide="ignore"):
        log_probs = np.log(pred_probs)

    def cost(temperature: float) -> float:
        scaled = _softmax(log_probs, temperature, shift=False)
        return float(np.mean(_soft_cross_entropy(shares, scaled)))

    coarse = list(coarse_search_range)
    best = int(np.argmin([cost(t) for t in coarse]))
    fine = []
    if best > 0:
        fine += np.linspace(
            coarse[best - 1], coarse[best], fine_search_size, endpoint=False
        ).tolist()
    if best < len(coarse) - 1:
        fine += np.linspace(
            coarse[best], coarse[best + 1], fine_search_size + 1
        ).tolist()
    if not fine:
        return float(coarse[best])
    return float(fine[int(np.argmin([cost(t) for t in fine]))])


# --------------------------------------------------------------------------
# Label formatting
# --------------------------------------------------------------------------


def format_multiannotator_labels(labels) -> tuple:
    """Map the distinct annotations (any sortable values) to class indices 0..K'-1.

    Returns ``(formatted, mapping)``: a DataFrame like `labels` (same index and
    columns for a DataFrame) holding float class indices with NaN where labels are
    missing, and the dict ``{class_index: original_value}`` in sorted value order
    (whole-valued floats given as ints).

    Raises
    ------
    TypeError
        If `labels` is neither a DataFrame nor an ndarray, or its values cannot be
        sorted together.
    """
    if isinstance(labels, pd.DataFrame):
        frame = labels
    elif isinstance(labels, np.ndarray):
        frame = pd.DataFrame(labels)
    else:
        msg = (
            "labels must be 2D numpy array or pandas DataFrame. `labels` is a "
            f"{type(labels).__name__}."
        )
        raise TypeError(msg)
    values = frame.to_numpy(dtype=object, na_value=np.nan)
    missing = pd.isna(values)
    try:
        codes, uniques = pd.factorize(values[~missing], sort=True)
    except TypeError as err:
        msg = (
            "The values of `labels` must be sortable together (all numbers or all "
            "strings)."
        )
        raise TypeError(msg) from err
    formatted = np.full(values.shape, np.nan)
    formatted[~missing] = codes
    mapping = {k: _plain_value(v) for k, v in enumerate(uniques)}
    result = pd.DataFrame(formatted, index=frame.index, columns=frame.columns)
    return result, mapping


def _plain_value(value):
    """Whole-valued floats as int, NumPy scalars as Python scalars."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --------------------------------------------------------------------------
# Dawid-Skene
# --------------------------------------------------------------------------


def dawid_skene(
    table: AnnotationTable,
    num_classes: int,
    initial: np.ndarray,
    *,
    tol: float = DAWID_SKENE_TOL,
    max_iter: int = DAWID_SKENE_MAX_ITER,
    smoothing: float = DAWID_SKENE_SMOOTHING,
) -> tuple:
    """Dawid-Skene EM estimate of the true-class posterior of every example.

    Each annotator j is modelled by a confusion matrix ``theta_j[k, l]`` (the
    probability of answering l when the truth is k), the classes by a prior. The
    M-step estimates both from the current (N, K) posterior (every cell smoothed
    by the pseudo-count `smoothing`); the E-step recomputes the posterior from
    them. Starts from `initial` (an (N, K) posterior, e.g. the vote shares) and
    stops once an iteration raises the log-likelihood of the annotations by at
    most ``tol * |log-likelihood|``, or after `max_iter` iterations.

    Returns ``(posterior, num_iterations, converged)``.
    """
    n, m, k = table.num_examples, table.num_annotators, num_classes
    # One column per (annotator, answer): the E-step and M-step are products
    # with this sparse indicator matrix.
    indicator = sp.csr_matrix(
        (
            np.ones(len(table.example)),
            (table.example, table.annotator * k + table.label),
        ),
        shape=(n, m * k),
    )
    indicator_t = indicator.T.tocsr()
    posterior = np.asarray(initial, dtype=np.float64)
    converged = False
    num_iterations = 0
    previous = -np.inf
    while num_iterations < max_iter:
        num_iterations += 1
        # M-step. counts[(j, l), k] = expected number of answers l of annotator
        # j to examples whose true class is k.
        counts = (indicator_t @ posterior).reshape(m, k, k) + smoothing
        log_theta = np.log(counts) - np.log(counts.sum(axis=1, keepdims=True))
        prior = (posterior.sum(axis=0) + smoothing) / (n + k * smoothing)
        # E-step: log p(truth = k, annotations of i) for every example.
        log_joint = indicator @ log_theta.reshape(m * k, k)
        log_joint += np.log(prior)
        top = log_joint.max(axis=1, keepdims=True)
        posterior = np.exp(log_joint - top)
        total = posterior.sum(axis=1, keepdims=True)
        posterior /= total
        log_likelihood = float(np.sum(np.log(total) + top))
        if log_likelihood - previous <= tol * abs(log_likelihood):
            converged = True
            break
        previous = log_likelihood
    return posterior, num_iterations, converged
