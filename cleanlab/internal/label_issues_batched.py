"""Engine of the batched label issues: data too large for memory, read by rows.

The public face is `cleanlab.experimental.label_issues_batched`, which re-exports
these names; they live here so that modules below the experimental layer (such as
`cleanlab.token_classification`) can run the same algorithm.

`find_label_issues_batched` makes two passes over `labels` and `pred_probs`
(arrays, ``.npy`` files opened as memory maps, or anything that slices by rows):
the first estimates each class's confident threshold, the second scores every
label and counts the confidently mislabeled examples. Memory is one batch of
`pred_probs` plus O(N) for the labels, self-confidences and scores, never the
whole N x K array. The result is exactly that of the in-memory
``cleanlab.filter.find_label_issues(labels, pred_probs,
filter_by="low_self_confidence", return_indices_ranked_by="self_confidence")``:
the thresholds are the in-memory class means, bit for bit, and the issues are
counted by the same rule. `LabelInspector` holds the running state, for callers
that feed batches themselves.
"""

from __future__ import annotations

import contextlib
import mmap
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from cleanlab.internal.chunking import default_threads
from cleanlab.internal.confident_learning import (
    calibrated_num_issues,
    class_mean_thresholds,
    given_label_is_top,
    guess_true_labels,
    guess_unsure_rows,
    joint_of_guesses,
    label_is_top,
    self_confidence,
)
from cleanlab.internal.constants import FLOATING_POINT_COMPARISON
from cleanlab.internal.label_quality_utils import compute_label_quality_scores
from cleanlab.internal.selection import first_of_argsort
from cleanlab.internal.validation import (
    check_class_indices,
    check_n_jobs,
    check_probability_rows_with,
    is_integer,
    warn_unnormalized_rows,
)

if TYPE_CHECKING:  # the alias only, for annotations; never imported at run time
    from cleanlab.typing import LabelLike

__all__ = ["LabelInspector", "find_label_issues_batched", "split_arr"]

# cleanlab 2.9 names, kept for code that checks them; nothing here needs psutil.
PSUTIL_EXISTS = False
NUM_ISSUE_METHODS = ("off_diagonal", "off_diagonal_calibrated")


def find_label_issues_batched(
    labels: LabelLike | None = None,
    pred_probs: np.ndarray | None = None,
    *,
    labels_file: str | None = None,
    pred_probs_file: str | None = None,
    batch_size: int = 10000,
    n_jobs: int | None = 1,
    verbose: bool = True,
    quality_score_kwargs: dict | None = None,
    num_issue_kwargs: dict | None = None,
    return_mask: bool = False,
) -> np.ndarray:
    """Find label issues reading `labels` and `pred_probs` in batches of rows.

    The estimated number of label issues ``m`` is ``cleanlab.count.
    num_label_issues`` (the confidently mislabeled examples, or the calibrated
    estimate); the issues are the ``m`` lowest label quality scores, lowest
    first. With the default options the result is exactly that of
    ``cleanlab.filter.find_label_issues(labels, pred_probs,
    filter_by="low_self_confidence", return_indices_ranked_by="self_confidence")``
    (and with ``quality_score_kwargs={"method": "normalized_margin"}``, of
    ``filter_by="low_normalized_margin"`` ranked by ``"normalized_margin"``),
    whatever `batch_size` and `n_jobs` are.

    Parameters
    ----------
    labels : array_like of shape (N,), optional
        Given class indices ``0..K-1``: an array, a memory map, a list, or
        anything sliceable by rows. Give this or `labels_file`.
    pred_probs : array_like of shape (N, K), optional
        Out-of-sample predicted probabilities, sliceable by rows (e.g.
        ``np.load(path, mmap_mode="r")``). Give this or `pred_probs_file`.
    labels_file : str, optional
        Path of a ``.npy`` file holding `labels`, opened as a memory map.
    pred_probs_file : str, optional
        Path of a ``.npy`` file holding `pred_probs`, opened as a memory map.
    batch_size : int, default=10000
        Rows read at a time; peak memory is about ``batch_size * K`` values of
        `pred_probs` plus O(N). The result does not depend on it.
    n_jobs : int or None, default=1
        Threads used within each batch (None: all usable cores). The result
        does not depend on it.
    verbose : bool, default=True
        Show progress bars and the number of examples processed.
    quality_score_kwargs : dict, optional
        Keyword arguments of `cleanlab.rank.get_label_quality_scores`
        (``method``, ``adjust_pred_probs``) for the scores that rank labels.
    num_issue_kwargs : dict, optional
        ``{"estimation_method": "off_diagonal_calibrated"}`` estimates the
        number of issues from the calibrated confident joint instead.
    return_mask : bool, default=False
        Return a boolean mask of length N instead of indices.

    Returns
    -------
    np.ndarray
        Indices of the label issues, lowest label quality first (int64), or,
        with `return_mask`, a boolean mask of shape (N,).

    Raises
    ------
    ValueError
        If both or neither of an array and its file are given, the lengths
        differ, the labels are not class indices ``0..K-1``, `pred_probs` holds
        NaN, infinite values or values outside [0, 1], or an option is invalid.

    Warns
    -----
    PredProbsNormalizationWarning
        If rows of `pred_probs` do not sum to 1.

    See Also
    --------
    cleanlab.filter.find_label_issues : the in-memory version.

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.array([0, 0, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.1, 0.9]])
    >>> find_label_issues_batched(labels, pred_probs, batch_size=2, verbose=False)
    array([1])
    """
    labels = _load_source(labels, labels_file, "labels", "the array of labels")
    pred_probs = _load_source(
        pred_probs, pred_probs_file, "pred_probs", "2D array of pred_probs"
    )
    if pred_probs_file is not None and verbose:
        _check_sources(labels, pred_probs)
        print(
            f"mmap-loaded numpy arrays have: {pred_probs.shape[0]} examples, "
            f"{pred_probs.shape[1]} classes"
        )
    ranked = run_batched(
        labels,
        pred_probs,
        batch_size=batch_size,
        n_jobs=n_jobs,
        verbose=verbose,
        quality_score_kwargs=quality_score_kwargs,
        num_issue_kwargs=num_issue_kwargs,
    ).issues
    if return_mask:
        mask = np.zeros(len(labels), dtype=bool)
        mask[ranked] = True
        return mask
    return ranked


class BatchedIssues(NamedTuple):
    """What one batched run finds, beyond the ranked issues.

    `labels` (in a compact integer type), `self_confidence` and `predicted`
    (each row's argmax; None with adjusted scores, which do not keep it) have
    one entry per row.
    """

    issues: np.ndarray
    num_issues: np.int64
    labels: np.ndarray
    self_confidence: np.ndarray
    predicted: np.ndarray | None


def run_batched(
    labels,
    pred_probs,
    *,
    batch_size: int = 10000,
    n_jobs: int | None = 1,
    verbose: bool = True,
    quality_score_kwargs: dict | None = None,
    num_issue_kwargs: dict | None = None,
    progress: bool | None = None,
) -> BatchedIssues:
    """`find_label_issues_batched` on sources already opened; see `BatchedIssues`.

    `progress`: show the progress bars (default: when `verbose`); `verbose`
    also prints the number of examples processed.
    """
    progress = verbose if progress is None else progress
    _check_sources(labels, pred_probs)
    _check_batch_size(batch_size)
    inspector = LabelInspector(
        num_class=pred_probs.shape[1],
        verbose=verbose,
        n_jobs=n_jobs,
        quality_score_kwargs=quality_score_kwargs,
        num_issue_kwargs=num_issue_kwargs,
    )
    num_examples = len(labels)
    batches = [
        slice(start, min(start + batch_size, num_examples))
        for start in range(0, num_examples, batch_size)
    ]
    release = _page_releaser(labels), _page_releaser(pred_probs)
    # Scores that do not need the thresholds (all but adjusted ones) are
    # computed in pass 1, which also keeps each row's argmax and max; pass 2
    # then reads only the rows whose argmax is below its threshold. Adjusted
    # scores need a full pass 2.
    early = not inspector.quality_score_kwargs.get("adjust_pred_probs", False)
    parts = []
    with _batch_threads(inspector.n_jobs) as executor:
        for batch in _progress(batches, progress, "confident thresholds", num_examples):
            part = inspector._update_thresholds(
                labels[batch], pred_probs[batch], score=early, executor=executor
            )
            parts.append(part)
            _release_rows(release, batch)
    top = None
    if early:
        top, top_value, scores = (
            None if column[0] is None else np.concatenate(column)
            for column in zip(*parts, strict=True)
        )
        del parts
        guess, is_counted = _guess_from_tops(
            inspector, pred_probs, top, top_value, batches, progress, release
        )
        inspector._score_all(guess, is_counted, top, top_value, scores)
    else:
        for batch in _progress(batches, progress, "label quality", num_examples):
            # Pass 1 has checked these very rows: only their shape is checked again.
            inspector._score_batch(labels[batch], pred_probs[batch], checked=True)
            _release_rows(release, batch)
    issues = inspector.get_label_issues()
    return BatchedIssues(
        issues,
        inspector.get_num_issues(silent=True),
        inspector._labels_seen[0],
        inspector._confidences_seen[0],
        top,
    )


def _batch_threads(n_jobs: int):
    """One pool of `n_jobs` threads for all the batches (none for one thread):
    starting threads for every batch would cost more than a batch's work."""
    if n_jobs <= 1:
        return contextlib.nullcontext()
    return ThreadPoolExecutor(max_workers=n_jobs, thread_name_prefix="cleanlab-batch")


def _guess_from_tops(inspector, pred_probs, top, top_value, batches, verbose, release):
    """Pass 2 of the default scores: the confident guess of every row.

    A row whose argmax reaches its threshold is guessed from `top` alone; the
    others are read again, batch by batch, and resolved as in memory.
    """
    cutoffs = (
        inspector.get_confident_thresholds(silent=True) - FLOATING_POINT_COMPARISON
    )
    is_counted = top_value >= cutoffs[top]
    guess = top.copy()
    unsure = np.flatnonzero(~is_counted)
    bounds = np.searchsorted(unsure, [batch.start for batch in batches] + [len(top)])
    total = len(top)
    for i, batch in enumerate(_progress(batches, verbose, "label quality", total)):
        rows = unsure[bounds[i] : bounds[i + 1]]
        if len(rows):
            probs = np.asarray(pred_probs[batch][rows - batch.start])
            if probs.dtype.kind != "f":
                probs = probs.astype(np.float64)
            is_counted[rows], guess[rows] = guess_unsure_rows(
                probs, cutoffs, guess[rows]
            )
        _release_rows(release, batch)
    return guess, is_counted


def _load_source(array, path, name: str, content: str):
    """`array`, or the ``.npy`` file at `path` opened as a read-only memory map."""
    if path is None:
        if array is None:
            msg = f"must provide one of: `{name}` or `{name}_file`"
            raise ValueError(msg)
        return array
    if array is not None:
        msg = f"only specify one of: `{name}` or `{name}_file`"
        raise ValueError(msg)
    if not isinstance(path, str):
        msg = (
            f"{name}_file must be str specifying path to .npy file containing "
            f"{content}; got {type(path).__name__}."
        )
        raise ValueError(msg)
    return np.load(path, mmap_mode="r")


def _page_releaser(array):
    """A function dropping rows of the memory map `array` from resident memory.

    Pages of a memory-mapped file that have been read stay in the process's
    resident memory until the mapping is closed, so a pass over a 4 GB file
    would end with 4 GB resident. For a read-only or shared (``"r"``/``"r+"``)
    C-ordered `np.memmap`, the returned function ``release(rows)`` tells the
    kernel that the pages of ``array[rows]`` are not needed any more; they are
    read from the file again if touched. None for any other array (copy-on-write
    maps are left alone: dropping their pages would drop the caller's edits).
    """
    if (
        not isinstance(array, np.memmap)
        or getattr(array, "mode", None) not in ("r", "r+")
        or not array.flags.c_contiguous
        or array.ndim == 0
        or not hasattr(mmap, "MADV_DONTNEED")
    ):
        return None
    mapping = array.base
    while mapping is not None and not isinstance(mapping, mmap.mmap):
        mapping = getattr(mapping, "base", None)
    if mapping is None or mapping.closed:
        return None
    start_address = np.frombuffer(mapping, dtype=np.uint8).ctypes.data
    offset = array.ctypes.data - start_address
    row_bytes = array.strides[0]

    def release(rows: slice) -> None:
        first = offset + rows.start * row_bytes
        first -= first % mmap.PAGESIZE
        stop = offset + rows.stop * row_bytes
        if stop > first:
            mapping.madvise(mmap.MADV_DONTNEED, first, stop - first)

    return release


def _release_rows(releasers, rows: slice) -> None:
    """Call each non-None releaser of `releasers` on `rows`."""
    for release in releasers:
        if release is not None:
            release(rows)


def _check_sources(labels, pred_probs) -> None:
    """Raise unless `pred_probs` is 2-D, non-empty and as long as `labels`."""
    shape = getattr(pred_probs, "shape", None)
    if shape is None or len(shape) != 2:
        msg = (
            "`pred_probs` must be a 2-D array-like of shape (N, K) that slices by "
            f"rows (such as a numpy array or memory map); got {type(pred_probs)}"
            + (f" of shape {shape}." if shape is not None else ".")
        )
        raise ValueError(msg)
    if len(labels) != len(pred_probs):
        msg = (
            f"len(labels)={len(labels)} does not match "
            f"len(pred_probs)={len(pred_probs)}. Perhaps an issue loading mmap "
            "numpy arrays from file."
        )
        raise ValueError(msg)
    if len(labels) == 0 or shape[1] == 0:
        msg = (
            f"`pred_probs` is empty (shape {tuple(shape)}): it needs rows and columns."
        )
        raise ValueError(msg)


def _check_batch_size(batch_size) -> None:
    if not is_integer(batch_size) or batch_size < 1:
        msg = f"`batch_size` must be a positive integer; got {batch_size!r}."
        raise ValueError(msg)


def _progress(batches: list, verbose: bool, what: str, total: int):
    """Iterate over `batches`, with a progress bar counting rows when verbose."""
    if not verbose:
        yield from batches
        return
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=f"Computing {what}", unit="rows") as bar:
        for batch in batches:
            yield batch
            bar.update(batch.stop - batch.start)


class LabelInspector:
    """Label quality estimates over many batches, fed one batch at a time.

    Feed every batch to `update_confident_thresholds` first, then every batch
    to `score_label_quality`; `get_num_issues` and `get_label_issues` then
    answer for all the rows seen, exactly as the in-memory functions would on
    the concatenated rows: the thresholds are ``cleanlab.count.
    get_confident_thresholds`` of every row given so far (2.0 for a class not
    seen yet), and the count is ``cleanlab.count.num_label_issues``. Nothing
    depends on how the rows are split into batches, nor on `n_jobs`.

    The inspector keeps each row's label and self-confidence (O(N) memory,
    a few bytes per row) so that the thresholds are the in-memory ones bit for
    bit; with `store_results`, also each row's score.

    Parameters
    ----------
    num_class : int
        Number of classes K (columns of `pred_probs`).
    store_results : bool, default=True
        Keep every batch's scores, needed by `get_quality_scores` and
        `get_label_issues` (O(N) memory).
    verbose : bool, default=True
        Print the number of examples processed when results are read.
    quality_score_kwargs : dict, optional
        Keyword arguments of `cleanlab.rank.get_label_quality_scores`
        (``method``, ``adjust_pred_probs``).
    num_issue_kwargs : dict, optional
        ``{"estimation_method": "off_diagonal" | "off_diagonal_calibrated"}``.
        The calibrated estimate keeps a K x K table of counts.
    n_jobs : int or None, default=1
        Threads used within each batch (None: all usable cores).

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.array([0, 0, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.1, 0.9]])
    >>> inspector = LabelInspector(num_class=2, verbose=False)
    >>> for rows in (slice(0, 2), slice(2, 4)):
    ...     inspector.update_confident_thresholds(labels[rows], pred_probs[rows])
    >>> for rows in (slice(0, 2), slice(2, 4)):
    ...     _ = inspector.score_label_quality(labels[rows], pred_probs[rows])
    >>> int(inspector.get_num_issues())
    1
    >>> inspector.get_label_issues()
    array([1])
    """

    def __init__(
        self,
        *,
        num_class: int,
        store_results: bool = True,
        verbose: bool = True,
        quality_score_kwargs: dict | None = None,
        num_issue_kwargs: dict | None = None,
        n_jobs: int | None = 1,
    ):
        if not is_integer(num_class) or num_class < 1:
            msg = f"`num_class` must be a positive integer; got {num_class!r}."
            raise ValueError(msg)
        check_n_jobs(n_jobs)
        self.num_class = int(num_class)
        self.store_results = store_results
        self.verbose = verbose
        self.quality_score_kwargs = _check_score_kwargs(quality_score_kwargs)
        self.num_issue_kwargs = _check_num_issue_kwargs(num_issue_kwargs)
        self.off_diagonal_calibrated = (
            self.num_issue_kwargs.get("estimation_method") == "off_diagonal_calibrated"
        )
        if self.off_diagonal_calibrated:
            self.prune_counts = np.zeros(self.num_class)
            self.class_counts = np.zeros(self.num_class)
            self.normalization = np.zeros(self.num_class)
            # The uncalibrated confident joint of the rows scored so far.
            self._counts = np.zeros((self.num_class, self.num_class), dtype=np.int64)
        else:
            self.prune_count = 0
        if self.store_results:
            self.label_quality_scores = []
        self.examples_per_class = np.zeros(self.num_class)
        self.examples_processed_thresh = 0
        self.examples_processed_quality = 0
        self.n_jobs = default_threads() if n_jobs is None else int(n_jobs)
        self._num_rows_off = 0
        # Labels and self-confidences of the threshold batches, and the
        # thresholds computed from them (None until asked for).
        self._labels_seen = []
        self._confidences_seen = []
        self._thresholds = None

    @property
    def confident_thresholds(self) -> np.ndarray:
        """The current thresholds (zeros before any threshold batch)."""
        if self.examples_processed_thresh < 1:
            return np.zeros(self.num_class)
        if self._thresholds is None:
            self._thresholds = self._exact_thresholds()
        return self._thresholds

    def _exact_thresholds(self) -> np.ndarray:
        """`get_confident_thresholds` of all the rows seen, from their confidences."""
        # Joined once; later batches are appended to the joined arrays.
        self._labels_seen = [np.concatenate(self._labels_seen)]
        self._confidences_seen = [np.concatenate(self._confidences_seen)]
        return class_mean_thresholds(
            self._labels_seen[0], self._confidences_seen[0], self.num_class
        )

    def get_confident_thresholds(self, silent: bool = False) -> np.ndarray:
        """Per-class confident thresholds of all the rows seen so far (shape (K,)).

        Each is the mean self-confidence of the class's rows, exactly as
        `cleanlab.count.get_confident_thresholds` computes it on those rows
        together; a class without rows yet gets 2.0 (never confident).

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.experimental.label_issues_batched import LabelInspector
        >>> labels = np.array([0, 0, 1, 1])
        >>> pred_probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.1, 0.9]])
        >>> inspector = LabelInspector(num_class=2, verbose=False)
        >>> inspector.update_confident_thresholds(labels[:2], pred_probs[:2])
        >>> inspector.get_confident_thresholds()  # no row of class 1 yet
        array([0.55, 2.  ])
        >>> inspector.update_confident_thresholds(labels[2:], pred_probs[2:])
        >>> inspector.get_confident_thresholds()
        array([0.55, 0.8 ])
        """
        if self.examples_processed_thresh < 1:
            msg = (
                "Have not computed any confident_thresholds yet. Call "
                "`update_confident_thresholds()` first."
            )
            raise ValueError(msg)
        if self.verbose and not silent:
            print(
                "Total number of examples used to estimate confident thresholds: "
                f"{self.examples_processed_thresh}"
            )
        return self.confident_thresholds

    def get_num_issues(self, silent: bool = False) -> int:
        """Estimated number of label issues among the examples scored so far.

        This is `cleanlab.count.num_label_issues` of those examples, with the
        inspector's ``estimation_method``.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.experimental.label_issues_batched import LabelInspector
        >>> labels = np.array([0, 0, 1, 1])
        >>> pred_probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.1, 0.9]])
        >>> inspector = LabelInspector(num_class=2, verbose=False)
        >>> inspector.update_confident_thresholds(labels, pred_probs)
        >>> for rows in (slice(0, 2), slice(2, 4)):
        ...     _ = inspector.score_label_quality(labels[rows], pred_probs[rows])
        >>> int(inspector.get_num_issues())
        1
        """
        if self.examples_processed_quality < 1:
            msg = (
                "Have not evaluated any labels yet. Call `score_label_quality()` first."
            )
            raise ValueError(msg)
        if self.verbose and not silent:
            print(
                "Total number of examples whose labels have been evaluated: "
                f"{self.examples_processed_quality}"
            )
        if not self.off_diagonal_calibrated:
            return np.int64(self.prune_count)
        return calibrated_num_issues(self._counts, self.class_counts)

    def get_quality_scores(self) -> np.ndarray:
        """Label quality scores of every example scored so far, in order.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.experimental.label_issues_batched import LabelInspector
        >>> labels = np.array([0, 0, 1, 1])
        >>> pred_probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.1, 0.9]])
        >>> inspector = LabelInspector(num_class=2, verbose=False)
        >>> inspector.update_confident_thresholds(labels, pred_probs)
        >>> for rows in (slice(0, 2), slice(2, 4)):
        ...     _ = inspector.score_label_quality(labels[rows], pred_probs[rows])
        >>> inspector.get_quality_scores()
        array([0.9, 0.2, 0.7, 0.9])
        """
        self._check_store_results()
        if not self.label_quality_scores:
            return np.array([])
        return np.concatenate(self.label_quality_scores)

    def get_label_issues(self) -> np.ndarray:
        """Indices of the `get_num_issues()` lowest scores, lowest first.

        The set is that of ``np.argsort(scores)[:num_issues]`` and the order
        by increasing score, as ``cleanlab.filter.find_label_issues`` with a
        ``low_*`` filter ranks its result.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.experimental.label_issues_batched import LabelInspector
        >>> labels = np.array([0, 0, 1, 1])
        >>> pred_probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.1, 0.9]])
        >>> inspector = LabelInspector(num_class=2, verbose=False)
        >>> inspector.update_confident_thresholds(labels, pred_probs)
        >>> for rows in (slice(0, 2), slice(2, 4)):
        ...     _ = inspector.score_label_quality(labels[rows], pred_probs[rows])
        >>> inspector.get_label_issues()  # example 1: label 0, but 0.8 for class 1
        array([1])
        """
        self._check_store_results()
        if self.examples_processed_quality < 1:
            self.get_num_issues()  # raises the "not evaluated" error
        if self.verbose:
            print(
                "Total number of examples whose labels have been evaluated: "
                f"{self.examples_processed_quality}"
            )
        scores = self.get_quality_scores()
        flagged = first_of_argsort(scores, int(self.get_num_issues(silent=True)))
        return flagged[np.argsort(scores[flagged])]

    def update_confident_thresholds(self, labels: LabelLike, pred_probs: np.ndarray):
        """Add one batch to the rows the confident thresholds are computed from.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.experimental.label_issues_batched import LabelInspector
        >>> labels = np.array([0, 0, 1, 1])
        >>> pred_probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.1, 0.9]])
        >>> inspector = LabelInspector(num_class=2, verbose=False)
        >>> inspector.update_confident_thresholds(labels[:2], pred_probs[:2])
        >>> inspector.update_confident_thresholds(labels[2:], pred_probs[2:])
        >>> inspector.get_confident_thresholds()  # mean self-confidence per class
        array([0.55, 0.8 ])
        """
        self._update_thresholds(labels, pred_probs)

    def _update_thresholds(
        self, labels, pred_probs, score: bool = False, executor=None
    ):
        """`update_confident_thresholds`; with `score`, returns the batch's row
        argmax (in the labels' compact dtype), row max and label quality scores
        (None for self-confidences, which are kept anyway). `executor`: threads
        to check the batch on."""
        labels, pred_probs, parts = self._check_batch(
            labels,
            pred_probs,
            self.examples_processed_thresh,
            also=_row_maxima if score else _no_op,
            executor=executor,
        )
        self._labels_seen.append(labels.astype(self._label_dtype()))
        self._confidences_seen.append(self_confidence(labels, pred_probs))
        self._thresholds = None
        self.examples_per_class += np.bincount(labels, minlength=self.num_class)
        self.examples_processed_thresh += len(labels)
        if not score:
            return None
        top, top_value = (np.concatenate(column) for column in zip(*parts, strict=True))
        scores = None
        if self.quality_score_kwargs.get("method", "self_confidence") != (
            "self_confidence"
        ):
            scores = compute_label_quality_scores(
                labels, pred_probs, **self.quality_score_kwargs
            )
        return top.astype(self._label_dtype()), top_value, scores

    def _label_dtype(self):
        """The smallest integer type the labels are kept in (what grouping uses)."""
        return np.int16 if self.num_class <= np.iinfo(np.int16).max else np.int32

    def score_label_quality(
        self,
        labels: LabelLike,
        pred_probs: np.ndarray,
        *,
        update_num_issues: bool = True,
    ) -> np.ndarray:
        """Label quality scores of one batch; also counts its label issues.

        Returns
        -------
        np.ndarray of shape (batch,)
            The scores (lower = more likely mislabeled).

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.experimental.label_issues_batched import LabelInspector
        >>> labels = np.array([0, 0, 1, 1])
        >>> pred_probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.1, 0.9]])
        >>> inspector = LabelInspector(num_class=2, verbose=False)
        >>> inspector.update_confident_thresholds(labels, pred_probs)
        >>> inspector.score_label_quality(labels[:2], pred_probs[:2])  # first batch
        array([0.9, 0.2])
        >>> inspector.score_label_quality(labels[2:], pred_probs[2:])
        array([0.7, 0.9])
        """
        return self._score_batch(
            labels, pred_probs, update_num_issues=update_num_issues
        )

    def _score_batch(self, labels, pred_probs, update_num_issues=True, checked=False):
        """`score_label_quality`.

        `checked`: the batch's values were validated before (by the thresholds
        pass over the same rows), so only shapes and dtypes are checked.
        """
        thresholds = self.get_confident_thresholds(silent=True)
        if checked:
            labels, pred_probs = _batch_check(labels, pred_probs, self.num_class)
            labels = labels.astype(np.int64, copy=False)
        else:
            labels, pred_probs = self._check_batch(
                labels, pred_probs, self.examples_processed_quality
            )
        scores = compute_label_quality_scores(
            labels,
            pred_probs,
            confident_thresholds=thresholds,
            **self.quality_score_kwargs,
        )
        if update_num_issues:
            self._count_issues(labels, pred_probs, thresholds)
        self.examples_processed_quality += len(labels)
        if self.store_results:
            self.label_quality_scores.append(scores)
        return scores

    def _score_all(self, guess, is_counted, top, top_value, scores) -> None:
        """Count all the rows of pass 1 at once, from their guesses and row
        maxima, and store their `scores` (None: the self-confidences): what
        `score_label_quality` on each batch would do with unadjusted scores."""
        self.get_confident_thresholds(silent=True)  # joins the kept rows
        labels, confidences = self._labels_seen[0], self._confidences_seen[0]
        is_top = label_is_top(labels, confidences, top, top_value)
        self._add_counts(labels, guess, is_counted, is_top)
        self.examples_processed_quality += len(labels)
        if self.store_results:
            self.label_quality_scores.append(confidences if scores is None else scores)

    def _update_num_label_issues(
        self, labels: LabelLike, pred_probs: np.ndarray, **kwargs
    ):
        """Count one batch's confidently mislabeled examples (kwargs are ignored)."""
        thresholds = self.get_confident_thresholds(silent=True)
        labels, pred_probs = self._check_batch(labels, pred_probs, None)
        self._count_issues(labels, pred_probs, thresholds)

    def _count_issues(self, labels, pred_probs, thresholds) -> None:
        """Add one batch's confident-learning counts to the running totals."""
        guess, is_counted, top, top_value = guess_true_labels(
            pred_probs, thresholds, n_threads=self.n_jobs
        )
        is_top = given_label_is_top(labels, pred_probs, top, top_value)
        self._add_counts(labels, guess, is_counted, is_top)

    def _add_counts(self, labels, guess, is_counted, is_top) -> None:
        """Add rows' counts, from their confident guesses, to the running totals.

        The rule is `cleanlab.count.num_label_issues`': a row is an issue when
        its confident guess differs from its label and the label is not (within
        1e-6) its top prediction.
        """
        if not self.off_diagonal_calibrated:
            is_issue = is_counted & (guess != labels) & ~is_top
            self.prune_count += np.count_nonzero(is_issue)
            return
        counts = joint_of_guesses(labels, guess, is_counted, self.num_class)
        self._counts += counts
        confident_per_class = counts.sum(axis=1)
        self.class_counts += np.bincount(labels, minlength=self.num_class)
        self.normalization += confident_per_class
        self.prune_counts += confident_per_class - np.diagonal(counts)

    def _check_batch(self, labels, pred_probs, offset, also=None, executor=None):
        """Validated int64 labels and float `pred_probs` of one batch.

        With `also` (a function of a row chunk), returns its results on the
        batch's chunks as well, computed in the checking pass (on `executor`'s
        threads when given).
        """
        labels, pred_probs = _batch_check(labels, pred_probs, self.num_class)
        start = 0 if offset is None else offset
        try:
            labels = check_class_indices(labels, self.num_class)
            num_off, first_off, parts = check_probability_rows_with(
                also,
                pred_probs,
                offset=start,
                n_threads=self.n_jobs,
                executor=executor,
            )
        except ValueError as err:
            where = f"rows {start} to {start + len(labels) - 1}"
            msg = f"{err} (in the batch of {where})"
            raise ValueError(msg) from err
        if num_off and offset is not None and self._num_rows_off == 0:
            # Warn once per inspector: every later batch is likely the same.
            self._num_rows_off = num_off
            warn_unnormalized_rows(
                "pred_probs",
                num_off,
                len(labels),
                first_off,
                float(pred_probs[first_off - start].sum(dtype=np.float64)),
            )
        if also is not None:
            return labels, pred_probs, parts
        return labels, pred_probs

    def _check_store_results(self) -> None:
        if not self.store_results:
            msg = (
                "Must initialize the LabelInspector with `store_results` == True. "
                "Otherwise you can assemble the label quality scores yourself based "
                "on the scores returned for each batch of data from "
                "`score_label_quality()`."
            )
            raise ValueError(msg)


def _no_op(chunk: np.ndarray) -> None:
    return None


def _row_maxima(chunk: np.ndarray) -> tuple:
    top = chunk.argmax(axis=1)
    return top, chunk[np.arange(len(top)), top]


def _batch_check(labels, pred_probs, num_class: int):
    """One batch as arrays; raise if its lengths differ or K is not `num_class`."""
    labels = np.asarray(labels)
    pred_probs = np.asarray(pred_probs)
    if pred_probs.ndim != 2:
        msg = f"`pred_probs` must be 2-D; this batch has shape {pred_probs.shape}."
        raise ValueError(msg)
    if len(labels) != pred_probs.shape[0]:
        msg = (
            f"labels and pred_probs must have same length; this batch has "
            f"{len(labels)} labels and {pred_probs.shape[0]} rows of `pred_probs`."
        )
        raise ValueError(msg)
    if pred_probs.shape[1] != num_class:
        msg = (
            f"num_class must equal pred_probs.shape[1]; got num_class={num_class} "
            f"and pred_probs with {pred_probs.shape[1]} columns."
        )
        raise ValueError(msg)
    if pred_probs.dtype.kind != "f":
        pred_probs = pred_probs.astype(np.float64)
    return labels, pred_probs


def _check_score_kwargs(quality_score_kwargs) -> dict:
    kwargs = dict(quality_score_kwargs or {})
    unknown = sorted(set(kwargs) - {"method", "adjust_pred_probs"})
    if unknown:
        msg = (
            f"`quality_score_kwargs` got unexpected keys {unknown}: it takes "
            "'method' and 'adjust_pred_probs' (see "
            "cleanlab.rank.get_label_quality_scores)."
        )
        raise ValueError(msg)
    return kwargs


def _check_num_issue_kwargs(num_issue_kwargs) -> dict:
    kwargs = dict(num_issue_kwargs or {})
    method = kwargs.get("estimation_method", "off_diagonal")
    if method not in NUM_ISSUE_METHODS:
        msg = (
            f"`num_issue_kwargs['estimation_method']` must be one of "
            f"{', '.join(map(repr, NUM_ISSUE_METHODS))}; got {method!r}."
        )
        raise ValueError(msg)
    return kwargs


def split_arr(arr: np.ndarray, chunksize: int) -> list[np.ndarray]:
    """Split `arr` into consecutive pieces of `chunksize` (the last may be shorter).

    Examples
    --------
    >>> split_arr(np.arange(7), 3)
    [array([0, 1, 2]), array([3, 4, 5]), array([6])]
    """
    if not is_integer(chunksize) or chunksize < 1:
        msg = f"`chunksize` must be a positive integer; got {chunksize!r}."
        raise ValueError(msg)
    return np.split(arr, np.arange(chunksize, len(arr), chunksize))
