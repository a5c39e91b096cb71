"""The core of confident learning on Dask arrays chunked by rows.

Imported only when a Dask array arrives (see
`cleanlab.internal.containers.is_dask_array`); importing it imports Dask.

Every pass runs the in-memory kernels of `cleanlab.internal` on the row blocks,
on the workers, and sends back small per-block results that are combined in a
tree of tasks (`SPLIT_EVERY` at a time). The client never holds more than
O(K^2) numbers per block, the selected rows and, per result, O(N): never the
N x K array. The results are the in-memory ones by construction:

- class counts and confident-joint counts are integer sums;
- each confident threshold is ``np.mean`` of its class's self-confidences,
  rebuilt exactly from the blocks' pairwise leaf sums
  (`cleanlab.internal.pairwise_sum`);
- a "first ``c`` of ``np.argsort``" selection (the per-class pruning, the
  lowest scores) keeps, per block and then per merge, every value up to the
  ``c``-th smallest: the survivors are exactly the values up to the global
  cut. When equal values straddle the cut, the order ``np.argsort`` gives them
  decides, so the values of that one selection are gathered and the in-memory
  kernel is run on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import dask
import dask.array as da
import numpy as np

from cleanlab.internal.confident_learning import (
    class_groups,
    confident_issues,
    given_label_is_top,
    grouped_self_confidence,
    predicted_neq_given,
    thresholds_from_class_means,
)
from cleanlab.internal.containers import is_dask_array
from cleanlab.internal.label_quality_utils import compute_label_quality_scores
from cleanlab.internal.pairwise_sum import (
    block_leaf_sums,
    mean_from_leaf_sums,
    merge_leaf_sums,
)
from cleanlab.internal.selection import first_of_argsort
from cleanlab.internal.validation import (
    assert_valid_class_labels,
    check_probability_rows,
    labels_to_array,
    warn_unnormalized_rows,
)

__all__ = [
    "SPLIT_EVERY",
    "RowBlocks",
    "confident_scan",
    "flag_predicted_neq_given",
    "lowest_in_cells",
    "row_blocks",
    "score_array",
    "scores_of_rows",
    "validate_and_threshold",
]

# Number of partial results combined by one task of a tree reduction.
SPLIT_EVERY = 8


@dataclass(frozen=True)
class RowBlocks:
    """`labels` and `pred_probs` as matching row blocks, with their class counts."""

    labels: list
    pred_probs: list
    starts: np.ndarray  # first row of each block, then N
    block_counts: np.ndarray  # (blocks, K) class counts of each block
    num_classes: int
    dtype: np.dtype
    labels_array: object  # the Dask array of labels (for lazy outputs)
    pred_probs_array: object

    @property
    def num_examples(self) -> int:
        return int(self.starts[-1])

    @property
    def class_counts(self) -> np.ndarray:
        return self.block_counts.sum(axis=0)

    def blocks(self):
        """``(labels block, pred_probs block, first row)`` of every block."""
        return zip(self.labels, self.pred_probs, self.starts[:-1].tolist(), strict=True)


# ---------------------------------------------------------------------------
# Inputs: shape and chunk checks (before any work), then the label pass.
# ---------------------------------------------------------------------------


def row_blocks(labels, pred_probs, *, one_class: str = "error") -> RowBlocks:
    """Check the arrays and their chunks, then count the classes of every block.

    `one_class` says whether labels holding a single class are an error
    (``"error"``), allowed (``"allow"``) or allowed when that class is 0
    (``"zero"``). Raises before computing anything when the arrays do not fit
    together: wrong dimensions or dtype, unknown or mismatched row chunks, or
    `pred_probs` chunked along its columns.
    """
    labels, pred_probs = _as_dask_pair(labels, pred_probs)
    num_classes = pred_probs.shape[1]
    sizes = np.array(pred_probs.chunks[0], dtype=np.int64)
    nonempty = np.flatnonzero(sizes)  # empty blocks have nothing to add
    label_blocks = labels.to_delayed().ravel()[nonempty].tolist()
    prob_blocks = pred_probs.to_delayed().ravel()[nonempty].tolist()
    starts = np.concatenate([[0], np.cumsum(sizes)])[[*nonempty, len(sizes)]]
    counts = dask.compute(
        *(
            dask.delayed(_label_block_counts)(block, int(start))
            for block, start in zip(label_blocks, starts[:-1], strict=True)
        )
    )
    width = max(num_classes, *(len(c) for c in counts))
    block_counts = np.zeros((len(counts), width), dtype=np.int64)
    for row, block in zip(block_counts, counts, strict=True):
        row[: len(block)] = block
    _check_classes(block_counts.sum(axis=0), num_classes, one_class)
    return RowBlocks(
        labels=label_blocks,
        pred_probs=prob_blocks,
        starts=starts,
        block_counts=block_counts[:, :num_classes],
        num_classes=num_classes,
        dtype=pred_probs.dtype,
        labels_array=labels,
        pred_probs_array=pred_probs,
    )


def _as_dask_pair(labels, pred_probs):
    """Both inputs as Dask arrays with the same row chunks, or raise.

    One of them may be in memory: it is then cut like the other.
    """
    if not is_dask_array(pred_probs):
        pred_probs = np.asarray(pred_probs)
    if not is_dask_array(labels):
        labels = labels_to_array(labels)
    _check_shapes(labels, pred_probs)
    if not is_dask_array(pred_probs):
        pred_probs = da.from_array(pred_probs, chunks=(labels.chunks[0], -1))
    if not is_dask_array(labels):
        labels = da.from_array(labels, chunks=(pred_probs.chunks[0],))
    _check_chunks(labels, pred_probs)
    return labels, pred_probs


def _check_shapes(labels, pred_probs) -> None:
    if labels.ndim != 1:
        msg = f"Labels must be 1D numpy array. `labels` has shape {labels.shape}."
        raise ValueError(msg)
    if pred_probs.ndim != 2:
        msg = (
            "pred_probs array must have shape: num_examples x num_classes. "
            f"`pred_probs` has shape {pred_probs.shape}."
        )
        raise ValueError(msg)
    for name, array in (("labels", labels), ("pred_probs", pred_probs)):
        if any(np.isnan(size) for size in array.shape):
            msg = (
                f"`{name}` is a Dask array of unknown length (chunks {array.chunks}); "
                f"call `{name}.compute_chunk_sizes()` first."
            )
            raise ValueError(msg)
    if len(pred_probs) != len(labels):
        msg = (
            "pred_probs and labels must have same length. `pred_probs` has "
            f"{len(pred_probs)} rows but `labels` has {len(labels)} entries."
        )
        raise ValueError(msg)
    if pred_probs.shape[0] == 0 or pred_probs.shape[1] == 0:
        msg = (
            f"`pred_probs` is empty (shape {pred_probs.shape}): it needs rows and "
            "columns."
        )
        raise ValueError(msg)
    if pred_probs.dtype.kind not in "fiub":
        msg = f"`pred_probs` must hold numbers, got dtype {pred_probs.dtype}."
        raise TypeError(msg)
    if labels.dtype.kind in "US":
        msg = (
            "Labels cannot be strings, they must be zero-indexed integers "
            "corresponding to class indices. Map each class name in `labels` to an "
            "integer 0..K-1."
        )
        raise ValueError(msg)


def _check_chunks(labels, pred_probs) -> None:
    if len(pred_probs.chunks[1]) > 1:
        msg = (
            "`pred_probs` is chunked along its columns (column chunks "
            f"{pred_probs.chunks[1]}); every block must hold whole rows. Rechunk it "
            "with `pred_probs.rechunk({1: -1})`."
        )
        raise ValueError(msg)
    if labels.chunks[0] != pred_probs.chunks[0]:
        msg = (
            "`labels` and `pred_probs` must be chunked alike along the rows; got "
            f"row chunks {labels.chunks[0]} for `labels` and {pred_probs.chunks[0]} "
            "for `pred_probs`. Rechunk one like the other, e.g. "
            "`labels.rechunk(pred_probs.chunks[0])`."
        )
        raise ValueError(msg)


def _block_labels(labels) -> np.ndarray:
    """One (already checked) block of labels as int64 class indices."""
    return labels_to_array(labels).astype(np.int64, copy=False)


def _label_block_counts(labels, start: int) -> np.ndarray:
    """Class counts of one block of labels; raises for labels that are not
    class indices, naming the block's rows."""
    try:
        labels = labels_to_array(labels)
        assert_valid_class_labels(labels, allow_one_class=True)
    except ValueError as err:
        msg = f"{err} (in the block of rows {start} to {start + len(labels) - 1})"
        raise ValueError(msg) from None
    return np.bincount(labels.astype(np.int64, copy=False))


def _check_classes(class_counts: np.ndarray, num_classes: int, one_class: str):
    present = np.flatnonzero(class_counts)
    allowed = one_class == "allow" or (one_class == "zero" and present[0] == 0)
    # The classes present, checked as labels: one class alone is refused with
    # the in-memory message.
    assert_valid_class_labels(present, allow_one_class=allowed)
    highest = int(present[-1]) + 1
    if highest > num_classes:
        msg = (
            f"pred_probs must have at least {highest} columns, based on the largest "
            "class index which appears in labels. `pred_probs` has "
            f"{num_classes}."
        )
        raise ValueError(msg)


# ---------------------------------------------------------------------------
# Tree reductions.
# ---------------------------------------------------------------------------


def _tree_reduce(parts: list, merge):
    """Combine delayed `parts` (in order) by `merge`, SPLIT_EVERY at a time."""
    parts = list(parts)
    while len(parts) > 1:
        parts = [
            dask.delayed(merge)(*parts[i : i + SPLIT_EVERY])
            for i in range(0, len(parts), SPLIT_EVERY)
        ]
    return parts[0]


# ---------------------------------------------------------------------------
# Pass over pred_probs: value checks and the confident thresholds.
# ---------------------------------------------------------------------------


def validate_and_threshold(blocks: RowBlocks, *, thresholds: bool = True):
    """Check every value of `pred_probs` (raising as the in-memory check does,
    with global row numbers) and warn once about rows not summing to 1; return
    the confident thresholds (None without `thresholds`).

    The thresholds equal `cleanlab.internal.confident_learning.
    confident_thresholds` on the whole arrays, bit for bit.
    """
    class_counts = blocks.class_counts
    offsets = np.cumsum(blocks.block_counts, axis=0) - blocks.block_counts
    parts = [
        dask.delayed(_probability_block)(
            labels, probs, start, offsets[i], class_counts, thresholds
        )
        for i, (labels, probs, start) in enumerate(blocks.blocks())
    ]
    (num_off, first_off, first_sum), sums = _tree_reduce(
        parts, _merge_probability_blocks
    ).compute()
    if num_off:
        warn_unnormalized_rows(
            "pred_probs", num_off, blocks.num_examples, first_off, first_sum
        )
    if not thresholds:
        return None
    means = [
        mean_from_leaf_sums(sums, k, int(size)) if size else None
        for k, size in enumerate(class_counts)
    ]
    return thresholds_from_class_means(means)


def _probability_block(labels, pred_probs, start, offsets, class_counts, thresholds):
    num_off, first_off = check_probability_rows(pred_probs, offset=start)
    first_sum = 0.0
    if num_off:
        first_sum = float(pred_probs[first_off - start].sum(dtype=np.float64))
    sums = None
    if thresholds:
        labels = _block_labels(labels)
        grouped, bounds = grouped_self_confidence(labels, pred_probs, len(class_counts))
        if grouped.dtype.kind != "f":  # np.mean of integers sums in float64
            grouped = grouped.astype(np.float64)
        runs = {
            k: (int(offsets[k]), grouped[bounds[k] : bounds[k + 1]])
            for k in np.flatnonzero(np.diff(bounds)).tolist()
        }
        sums = block_leaf_sums(runs, class_counts)
    return (num_off, first_off, first_sum), sums


def _merge_probability_blocks(*parts):
    num_off = sum(stats[0] for stats, _ in parts)
    firsts = [stats for stats, _ in parts if stats[0]]
    first_off, first_sum = (firsts[0][1], firsts[0][2]) if firsts else (-1, 0.0)
    sums = [s for _, s in parts if s is not None]
    merged = merge_leaf_sums(*sums) if sums else None
    return (num_off, first_off, first_sum), merged


# ---------------------------------------------------------------------------
# Pass over pred_probs: the confident joint.
# ---------------------------------------------------------------------------


def confident_scan(
    blocks: RowBlocks,
    thresholds: np.ndarray,
    *,
    issue_rows: bool = False,
    off_diagonal_rows: bool = False,
) -> dict:
    """The uncalibrated confident joint of all rows (diagonal not floored).

    Returns a dict: ``"joint"`` (K x K int64), ``"num_issues"`` (off-diagonal
    examples whose given label is not the top prediction, the in-memory
    ``num_label_issues``), and, when asked, ``"issue_rows"`` and
    ``"off_diagonal_rows"`` (ascending int64 row indices).
    """
    parts = [
        dask.delayed(_confident_block)(
            labels, probs, start, thresholds, issue_rows, off_diagonal_rows
        )
        for labels, probs, start in blocks.blocks()
    ]
    return _tree_reduce(parts, _merge_confident_blocks).compute()


def _confident_block(labels, pred_probs, start, thresholds, issue_rows, off_rows):
    labels = _block_labels(labels)
    joint, is_off, is_issue = confident_issues(
        labels, pred_probs, thresholds, n_threads=1
    )
    result = {"joint": joint, "num_issues": int(np.count_nonzero(is_issue))}
    if issue_rows:
        result["issue_rows"] = np.flatnonzero(is_issue) + start
    if off_rows:
        result["off_diagonal_rows"] = np.flatnonzero(is_off) + start
    return result


def _merge_confident_blocks(*parts):
    merged = {
        "joint": sum(p["joint"] for p in parts),
        "num_issues": sum(p["num_issues"] for p in parts),
    }
    for key in ("issue_rows", "off_diagonal_rows"):
        if key in parts[0]:
            rows = np.concatenate([p[key] for p in parts])
            merged[key] = rows.astype(np.int64, copy=False)
    return merged


def flag_predicted_neq_given(blocks: RowBlocks) -> np.ndarray:
    """Rows whose argmax is not the given label, beyond the 1e-6 near-tie."""
    parts = [
        dask.delayed(_predicted_neq_given_block)(labels, probs, start)
        for labels, probs, start in blocks.blocks()
    ]
    return _tree_reduce(parts, _concatenate).compute()


def _predicted_neq_given_block(labels, pred_probs, start):
    flagged = predicted_neq_given(_block_labels(labels), pred_probs)
    return np.flatnonzero(flagged).astype(np.int64) + start


def _concatenate(*parts):
    return np.concatenate(parts)


# ---------------------------------------------------------------------------
# Distributed "first c of np.argsort" selections.
# ---------------------------------------------------------------------------
#
# A cell names the values to select from and how many:
#   ("class", k)        P[:, k] over the rows given label k
#   ("margin", k, j)    -(P[:, j] - P[:, k]) over the rows given label k
#   ("score", method)   the label quality score `method` of every row
# The selection is the first `count` of np.argsort of those values in row
# order, exactly as `first_of_argsort` picks them. The margin values are
# cleanlab 2.9's own (the in-memory `_largest_margins` sorts them when ties
# straddle its cut), so one kernel settles the ties of every kind of cell.


def lowest_in_cells(blocks: RowBlocks, cells: dict) -> dict:
    """Select rows for every cell of `cells` (cell -> count).

    Returns, per cell, ``(rows, is_top)``: the selected rows (ascending int64)
    and whether each row's given label is (within 1e-6) its top prediction.
    """
    cells = {cell: int(count) for cell, count in cells.items() if count > 0}
    if not cells:
        return {}
    parts = [
        dask.delayed(_candidates_block)(labels, probs, start, cells)
        for labels, probs, start in blocks.blocks()
    ]
    candidates = _unpack(_tree_reduce(parts, _merge_candidates).compute())
    result, tied = {}, {}
    for cell, count in cells.items():
        values, rows, is_top = candidates.get(cell, _no_candidates())
        if len(values) <= count:
            order = np.argsort(rows)
            result[cell] = (rows[order], is_top[order])
        else:
            tied[cell] = count
    if tied:
        result.update(_resolve_ties(blocks, tied))
    return result


def _no_candidates():
    return np.empty(0), np.empty(0, dtype=np.int64), np.empty(0, dtype=bool)


def _cell_values(cells, labels, pred_probs):
    """``(cell, rows, values)`` of every cell of `cells` in one block: the local
    rows the cell selects from (ascending) and their values.

    The class and margin cells go a class at a time, gathering only the
    columns they need of that class's rows, once.
    """
    by_class = {}
    for cell in cells:
        if cell[0] == "score":
            scores = compute_label_quality_scores(labels, pred_probs, method=cell[1])
            yield cell, np.arange(len(labels)), scores
        else:
            by_class.setdefault(cell[1], []).append(cell)
    if not by_class:
        return
    order, bounds = class_groups(labels, pred_probs.shape[1])
    for k, class_cells in by_class.items():
        rows = order[bounds[k] : bounds[k + 1]]
        columns = [k, *(cell[2] for cell in class_cells if cell[0] == "margin")]
        if 8 * len(columns) > pred_probs.shape[1]:  # many: whole rows, then columns
            gathered = pred_probs[rows].T[columns]
        else:
            gathered = pred_probs[np.ix_(rows, columns)].T
        given, *others = gathered
        others = iter(others)
        for cell in class_cells:
            yield cell, rows, given if cell[0] == "class" else -(next(others) - given)


def _label_is_top(labels, pred_probs, rows_of_cells) -> np.ndarray:
    """`given_label_is_top` as a mask over the block, computed for the rows of
    `rows_of_cells` only (False elsewhere)."""
    mask = np.zeros(len(labels), dtype=bool)
    for rows in rows_of_cells:
        mask[rows] = True
    if mask.all():  # every row: no gather
        return given_label_is_top(labels, pred_probs)
    rows = np.flatnonzero(mask)
    mask[rows] = given_label_is_top(labels[rows], pred_probs[rows])
    return mask


def _smallest(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of every value up to the `count`-th smallest (all ties kept)."""
    if len(values) <= count:
        return np.arange(len(values))
    cut = np.partition(values, count - 1)[count - 1]
    return np.flatnonzero(values <= cut)


def _candidates_block(labels, pred_probs, start, cells):
    labels = _block_labels(labels)
    kept = {}
    for cell, rows, values in _cell_values(cells, labels, pred_probs):
        keep = _smallest(values, cells[cell])
        kept[cell] = (values[keep], rows[keep])
    is_top = _label_is_top(labels, pred_probs, [rows for _, rows in kept.values()])
    found = {
        cell: (values, rows + start, is_top[rows])
        for cell, (values, rows) in kept.items()
    }
    return _pack(cells, found)


def _pack(cells: dict, found: dict) -> tuple:
    """Candidates of every cell as flat arrays (cheap to send between workers):
    ``(cells, lengths, values, rows, is_top)``, cells in the order of `cells`."""
    present = [found[cell] for cell in cells if cell in found]
    lengths = np.array(
        [len(found[cell][0]) if cell in found else 0 for cell in cells], dtype=np.int64
    )
    if not present:
        return (
            cells,
            lengths,
            np.empty(0),
            np.empty(0, dtype=np.int64),
            np.empty(0, bool),
        )
    values, rows, is_top = (
        np.concatenate(column) for column in zip(*present, strict=True)
    )
    return cells, lengths, values, rows.astype(np.int64, copy=False), is_top


def _unpack(packed) -> dict:
    """``{cell: (values, rows, is_top)}`` of the cells holding candidates."""
    cells, lengths, values, rows, is_top = packed
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    return {
        cell: (values[a:b], rows[a:b], is_top[a:b])
        for cell, a, b in zip(cells, bounds[:-1], bounds[1:], strict=True)
        if b > a
    }


def _merge_candidates(*parts):
    cells = parts[0][0]
    unpacked = [_unpack(part) for part in parts]
    merged = {}
    for cell, count in cells.items():
        found = [p[cell] for p in unpacked if cell in p]
        if not found:
            continue
        values, rows, is_top = (np.concatenate(c) for c in zip(*found, strict=True))
        keep = _smallest(values, count)
        merged[cell] = (values[keep], rows[keep], is_top[keep])
    return _pack(cells, merged)


def _resolve_ties(blocks: RowBlocks, cells: dict) -> dict:
    """Selections whose cut splits equal values: the in-memory kernel decides
    on all the values of the cell, gathered in row order."""
    parts = [
        dask.delayed(_tied_values_block)(labels, probs, start, list(cells))
        for labels, probs, start in blocks.blocks()
    ]
    gathered = _tree_reduce(parts, _merge_tied_values).compute()
    result = {}
    for cell, count in cells.items():
        rows, values, is_top = gathered[cell]
        chosen = first_of_argsort(values, count)
        result[cell] = (rows[chosen], is_top[chosen])
    return result


def _tied_values_block(labels, pred_probs, start, cells):
    labels = _block_labels(labels)
    gathered = list(_cell_values(cells, labels, pred_probs))
    is_top = _label_is_top(labels, pred_probs, [rows for _, rows, _ in gathered])
    return {
        cell: (rows + start, values, is_top[rows]) for cell, rows, values in gathered
    }


def _merge_tied_values(*parts):
    return {
        cell: tuple(
            np.concatenate(column)
            for column in zip(*(p[cell] for p in parts), strict=True)
        )
        for cell in parts[0]
    }


# ---------------------------------------------------------------------------
# Label quality scores.
# ---------------------------------------------------------------------------


def scores_of_rows(
    blocks: RowBlocks, rows: np.ndarray, *, thresholds=None, **score_kwargs
) -> np.ndarray:
    """Label quality scores of the ascending rows `rows`, computed where they are.

    `score_kwargs` are those of `compute_label_quality_scores`; `thresholds`
    are the confident thresholds of all rows (for ``adjust_pred_probs``).
    """
    cuts = np.searchsorted(rows, blocks.starts)
    # Positions within each block travel in the task graph: int32 halves them.
    local = np.int32 if np.diff(blocks.starts).max() < 2**31 else np.int64
    parts = [
        dask.delayed(_scores_block)(
            labels,
            probs,
            (rows[cuts[i] : cuts[i + 1]] - start).astype(local),
            thresholds,
            score_kwargs,
        )
        for i, (labels, probs, start) in enumerate(blocks.blocks())
        if cuts[i + 1] > cuts[i]
    ]
    if not parts:
        return np.empty(0)
    return _tree_reduce(parts, _concatenate).compute()


def _scores_block(labels, pred_probs, rows, thresholds, score_kwargs):
    labels = _block_labels(labels)
    if rows is not None:
        labels, pred_probs = labels[rows], pred_probs[rows]
    return compute_label_quality_scores(
        labels, pred_probs, confident_thresholds=thresholds, **score_kwargs
    )


def score_array(blocks: RowBlocks, *, thresholds=None, **score_kwargs):
    """The label quality scores of every row, as a lazy Dask array (row chunks
    of `labels`)."""
    probe = compute_label_quality_scores(
        np.zeros(1, dtype=np.int64),
        np.full((1, blocks.num_classes), 1 / blocks.num_classes, dtype=blocks.dtype),
        confident_thresholds=thresholds,
        **score_kwargs,
    )
    # Labels as an (N, 1) column, so that block i of both arrays meet.
    return da.map_blocks(
        _score_array_block,
        blocks.labels_array[:, None],
        blocks.pred_probs_array,
        drop_axis=1,
        dtype=probe.dtype,
        meta=np.empty(0, dtype=probe.dtype),
        thresholds=thresholds,
        score_kwargs=score_kwargs,
    )


def _score_array_block(labels, pred_probs, *, thresholds, score_kwargs):
    return _scores_block(labels[:, 0], pred_probs, None, thresholds, score_kwargs)
