"""Kernels behind `cleanlab.outlier`: neighbour distances and outlier scores.

Two families of helpers. The feature-based ones find each example's nearest
neighbours by cosine distance without ever holding an N x N matrix (row chunks
of the similarity matrix, pruned by per-group maxima), correct exact
duplicates, and turn mean neighbour distances into scores. The
pred_probs-based ones compute the entropy, least-confidence and GEN scores
over row chunks, keeping the dtype of `pred_probs`. All of them trust their
inputs (validated at the public boundary) and never modify them.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from cleanlab.internal.chunking import default_threads, reduce_row_chunks
from cleanlab.internal.label_quality_utils import subtract_thresholds

__all__ = [
    "correct_duplicate_distances",
    "correct_precision_errors",
    "cosine_train_neighbors",
    "distances_to_scores",
    "entropy_scores",
    "euclidean_mean_neighbor_distances",
    "gen_scores",
    "least_confidence_scores",
    "transform_distances_to_scores",
]

# Bytes of one chunk of the similarity matrix (rows of the chunk x N columns),
# one such buffer per thread.
SIMILARITY_CHUNK_BYTES = 64 << 20
# Fewest rows per chunk: each chunk streams all N rows through the product, so
# fewer, taller chunks keep that traffic O(N^2) (about 200 MB per thread at
# N = 200,000 float32).
MIN_CHUNK_ROWS = 256
# Up to this many columns, a chunk's neighbours are found by a plain partition.
SMALL_NUM_COLUMNS = 4096
# Columns per group when pruning: small groups make few candidates, but more
# group maxima to partition.
COLUMN_GROUP_SIZE = 24
# Lower bound of a scaling factor (the reference divides by at least this).
MIN_SCALING_FACTOR = 1e-6
# Smallest median distance used as a scaling factor (before MIN_SCALING_FACTOR).
MIN_MEDIAN_DISTANCE = 100 * np.finfo(np.float64).eps
# Bytes of one chunk of a Euclidean distance matrix (rows of the chunk x N).
DISTANCE_CHUNK_BYTES = 16 << 20


def transform_distances_to_scores(
    avg_distances: np.ndarray, t: int, scaling_factor: float
) -> np.ndarray:
    """``exp(-t * d / max(scaling_factor, 1e-6))`` for each mean distance ``d``.

    Parameters
    ----------
    avg_distances : np.ndarray of shape (N,)
        Mean distance of each example to its k nearest neighbours.
    t : int
        Sharpness: larger `t` makes scores fall faster with distance.
    scaling_factor : float
        Distance that maps to ``exp(-t)``; usually the median of the training
        set's mean distances.

    Returns
    -------
    np.ndarray of shape (N,)
        Scores in [0, 1]; 1 means distance 0.
    """
    return np.exp(-t * avg_distances / max(scaling_factor, MIN_SCALING_FACTOR))


def correct_precision_errors(
    scores: np.ndarray,
    avg_distances: np.ndarray,
    metric: str,
    C: int = 100,
    p: int | None = None,
) -> np.ndarray:
    """Set to 1 the scores whose mean distance is only rounding error.

    A distance below a metric-dependent tolerance is treated as 0: ``C`` times
    the float64 ``epsneg`` for ``"cosine"``, ``sqrt(C * eps)`` for
    ``"euclidean"`` and ``(C * eps) ** (1 / p)`` for ``"minkowski"``. Other
    metrics are left alone. `scores` is modified in place and returned.

    Raises
    ------
    ValueError
        If `metric` is ``"minkowski"`` and `p` is not given.
    """
    info = np.finfo(np.float64)
    if metric == "cosine":
        tolerance = C * info.epsneg
    elif metric == "euclidean":
        tolerance = np.sqrt(C * info.eps)
    elif metric == "minkowski":
        if p is None:
            msg = "When metric is 'minkowski' you must specify the 'p' parameter"
            raise ValueError(msg)
        tolerance = (C * info.eps) ** (1 / p)
    else:
        return scores
    scores[avg_distances < tolerance] = 1
    return scores


def distances_to_scores(
    avg_distances: np.ndarray,
    metric,
    *,
    t: int = 1,
    scaling_factor: float | None = None,
    p: int | None = None,
) -> tuple[np.ndarray, float]:
    """Scores ``exp(-t * d / s)`` of mean neighbour distances, and the ``s`` used.

    ``s`` is `scaling_factor`, or when that is None the median of
    `avg_distances` (at least ``100 * eps``). Distances below the rounding
    tolerance of `metric` (a name, or a callable whose ``__name__`` is used;
    see `correct_precision_errors`) score exactly 1.

    Parameters
    ----------
    avg_distances : np.ndarray of shape (N,)
        float64 mean distance of each example to its k nearest neighbours.
    metric : str or callable
        The distance the neighbours were found with.
    t : int, default=1
        Sharpness of `transform_distances_to_scores`.
    scaling_factor : float, optional
        A scaling factor learned earlier (e.g. on training data).
    p : int, optional
        Power of a ``"minkowski"`` metric.

    Returns
    -------
    (scores, scaling_factor) : tuple of np.ndarray of shape (N,) and float
    """
    if scaling_factor is None:
        scaling_factor = float(max(np.median(avg_distances), MIN_MEDIAN_DISTANCE))
    scores = transform_distances_to_scores(avg_distances, t, scaling_factor)
    if callable(metric):
        metric = getattr(metric, "__name__", None)
    if isinstance(metric, str):
        correct_precision_errors(scores, avg_distances, metric, p=p)
    return scores, scaling_factor


def euclidean_mean_neighbor_distances(features: np.ndarray, k: int) -> np.ndarray:
    """Mean Euclidean distance of each row to its k nearest rows, itself included.

    The same numbers as scikit-learn's
    ``NearestNeighbors(n_neighbors=k).fit(features).kneighbors(features)[0]
    .mean(axis=1)`` (each row is its own nearest neighbour, at distance 0), up
    to the order of summation. Distances are computed from coordinate
    differences (no ``|a|^2 + |b|^2 - 2ab`` cancellation) for chunks of rows
    against all rows, and the k smallest of each row are selected by
    `np.partition`: memory is O(chunk x N), never N x N, for any k. Chunks
    run on `default_threads()` threads.

    Parameters
    ----------
    features : np.ndarray of shape (N, d)
        Finite float64 features.
    k : int
        Number of neighbours, ``1 <= k <= N``.

    Returns
    -------
    np.ndarray of shape (N,)
        float64 mean distances.
    """
    num_rows = len(features)
    row_bytes = features.itemsize * max(1, features.shape[1])
    chunk_rows = max(1, DISTANCE_CHUNK_BYTES // (num_rows * features.itemsize))
    parts = reduce_row_chunks(
        _mean_smallest_distances,
        features,
        features,
        k,
        chunk_bytes=chunk_rows * row_bytes,
    )
    return np.concatenate(parts)


def _mean_smallest_distances(rows: np.ndarray, features: np.ndarray, k: int):
    """Mean of the k smallest Euclidean distances from each of `rows` to `features`."""
    distances = np.zeros((len(rows), len(features)))
    for column in range(features.shape[1]):
        difference = np.subtract.outer(rows[:, column], features[:, column])
        np.square(difference, out=difference)
        distances += difference
    np.sqrt(distances, out=distances)
    if k < len(features):
        distances = np.partition(distances, k - 1, axis=1)[:, :k]
    return distances.sum(axis=1) / k


def cosine_train_neighbors(
    features: np.ndarray, n_neighbors: int
) -> tuple[np.ndarray, np.ndarray]:
    """Cosine distances and indices of each row's `n_neighbors` nearest other rows.

    The same distances as scikit-learn's
    ``NearestNeighbors(metric="cosine").fit(features).kneighbors(None)``, the
    same computation in the same dtype (float32 features give float32
    distances; only the last bit of a product can differ, as the matrix
    product is chunked differently), found without an N x N matrix: the
    rows are L2-normalized, and each chunk of rows is multiplied by all rows
    at once (chunks run on `default_threads()` threads). Within a
    chunk, the similarities are split into small column groups; the (k+1)-th
    largest group maximum of a row is a lower bound of its (k+1)-th largest
    similarity, so only the few groups reaching it are searched. The search is
    exact.

    As in scikit-learn, each row's own entry is dropped from its k+1 nearest,
    or the nearest entry is when the row itself is not among them (it can be
    pushed out by exact duplicates). Rows are sorted by distance; ties are
    ordered by column.

    Parameters
    ----------
    features : np.ndarray of shape (N, d)
        Finite float32 or float64 features, ``N > n_neighbors``.
    n_neighbors : int
        Number of neighbours k per row, at least 1.

    Returns
    -------
    (distances, indices) : tuple of np.ndarray of shape (N, k)
    """
    from sklearn.preprocessing import normalize  # scikit-learn's exact rounding

    unit = normalize(features)
    num_rows = len(unit)
    width = n_neighbors + 1
    chunk_rows = max(
        width, MIN_CHUNK_ROWS, SIMILARITY_CHUNK_BYTES // (num_rows * unit.itemsize)
    )
    starts = range(0, num_rows, chunk_rows)
    distances = np.empty((num_rows, width), dtype=unit.dtype)
    indices = np.empty((num_rows, width), dtype=np.int64)
    buffers = threading.local()

    def run(start: int) -> None:
        stop = min(num_rows, start + chunk_rows)
        if not hasattr(buffers, "similarity"):
            shape = (min(chunk_rows, num_rows), num_rows)
            buffers.similarity = np.empty(shape, dtype=unit.dtype)
        similarity = buffers.similarity[: stop - start]
        np.matmul(unit[start:stop], unit.T, out=similarity)
        distances[start:stop], indices[start:stop] = _nearest_in_chunk(
            similarity, width
        )

    threads = min(default_threads(), len(starts))
    if threads <= 1:
        for start in starts:
            run(start)
        return _drop_self(distances, indices)
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    # One chunk per thread, each with a single-threaded BLAS: the product and
    # the selection of a chunk then run on one core while its data is in that
    # core's cache (about 30% less CPU time than a multi-threaded BLAS).
    # Limitation: BLAS calls made by other threads of the process during this
    # search also run single-threaded.
    with (
        threadpool_limits(limits=1, user_api="blas"),
        ThreadPoolExecutor(max_workers=threads) as pool,
    ):
        list(pool.map(run, starts))
    return _drop_self(distances, indices)


def _nearest_in_chunk(
    similarity: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Distances ``clip(1 - s, 0, 2)`` and columns of the `width` most similar.

    Each row's result is sorted by distance, then by column.
    """
    num_rows, num_columns = similarity.shape
    if num_columns <= SMALL_NUM_COLUMNS:
        top = np.argpartition(-similarity, width - 1, axis=1)[:, :width]
        rows = np.repeat(np.arange(num_rows), width)
        columns = top.ravel()
    else:
        rows, columns = _candidates(similarity, width)
    values = similarity[rows, columns]
    distances = np.clip(1 - values, 0, 2)
    order = np.lexsort((columns, distances, rows))
    rows, columns, distances = rows[order], columns[order], distances[order]
    # `rows` is now sorted, each row holding at least `width` candidates.
    starts = np.searchsorted(rows, np.arange(num_rows))
    take = starts[:, None] + np.arange(width)
    return distances[take], columns[take]


def _candidates(similarity: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) pairs holding every row's `width` largest similarities.

    With ``G = N // COLUMN_GROUP_SIZE`` groups, column ``c < G * W`` belongs
    to group ``c % G``; the last ``N - G * W`` columns form group ``G``. The
    `width` largest group maxima of a row are distinct entries, so the
    `width`-th largest of them, ``v``, bounds the row's `width`-th largest
    similarity from below: every entry ``>= v`` of the groups whose maximum
    reaches ``v`` is a candidate, and no other entry can be among the `width`
    largest. Rows come out in increasing order.
    """
    num_rows, num_columns = similarity.shape
    num_groups = num_columns // COLUMN_GROUP_SIZE
    group_size = num_columns // num_groups
    body = num_groups * group_size
    maxima = similarity[:, :body].reshape(num_rows, group_size, num_groups).max(axis=1)
    has_tail = body < num_columns
    if has_tail:
        tail_max = similarity[:, body:].max(axis=1, keepdims=True)
        maxima = np.concatenate([maxima, tail_max], axis=1)
    bound = -np.partition(-maxima, width - 1, axis=1)[:, width - 1]
    hit_rows, hit_groups = np.nonzero(maxima >= bound[:, None])
    is_tail = hit_groups == num_groups
    body_rows, body_groups = hit_rows[~is_tail], hit_groups[~is_tail]
    columns = body_groups[:, None] + num_groups * np.arange(group_size)
    parts = [(np.broadcast_to(body_rows[:, None], columns.shape), columns)]
    if has_tail and is_tail.any():
        tail_rows = hit_rows[is_tail]
        tail_columns = np.arange(body, num_columns)
        tail_shape = (len(tail_rows), len(tail_columns))
        parts.append(
            (
                np.broadcast_to(tail_rows[:, None], tail_shape),
                np.broadcast_to(tail_columns, tail_shape),
            )
        )
    rows_out, columns_out = [], []
    for rows, cols in parts:
        keep = similarity[rows, cols] >= bound[rows]
        rows_out.append(rows[keep])
        columns_out.append(cols[keep])
    rows = np.concatenate(rows_out)
    columns = np.concatenate(columns_out)
    order = np.argsort(rows, kind="stable")
    return rows[order], columns[order]


def _drop_self(
    distances: np.ndarray, indices: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Remove each row's own index from its list, or its first entry if absent."""
    num_rows, width = indices.shape
    keep = indices != np.arange(num_rows)[:, None]
    self_missing = keep.all(axis=1)
    keep[self_missing, 0] = False
    shape = (num_rows, width - 1)
    return distances[keep].reshape(shape), indices[keep].reshape(shape)


def correct_duplicate_distances(
    distances: np.ndarray, indices: np.ndarray, features: np.ndarray
) -> np.ndarray:
    """Neighbour distances with exact duplicates counted as neighbours at distance 0.

    For a row with ``s - 1 >= 1`` exact copies in `features`, its list becomes
    ``min(s - 1, k)`` zeros followed by its nearest neighbours that are not
    copies, in their original order, up to k entries. Other rows are unchanged.
    Returns a new array; the inputs are not modified.

    Parameters
    ----------
    distances, indices : np.ndarray of shape (N, k)
        Each row's neighbours (itself excluded), nearest first.
    features : np.ndarray of shape (N, d)
        The rows the neighbours were found among.
    """
    _, group, counts = np.unique(
        features, axis=0, return_inverse=True, return_counts=True
    )
    group = group.ravel()
    size = counts[group]
    distances = distances.copy()
    dup_rows = np.flatnonzero(size >= 2)
    if not len(dup_rows):
        return distances
    k = distances.shape[1]
    is_copy = group[indices[dup_rows]] == group[dup_rows][:, None]
    # Non-copies first, each part in its original order.
    order = np.argsort(is_copy, axis=1, kind="stable")
    others = np.take_along_axis(distances[dup_rows], order, axis=1)
    num_others = (~is_copy).sum(axis=1)
    num_zeros = np.minimum(size[dup_rows] - 1, k)
    position = np.arange(k) - num_zeros[:, None]
    # Limitation: if a row's list held fewer non-copies than slots to fill
    # (possible only when rounding put a copy behind other rows), the last
    # non-copy distance is repeated.
    source = np.clip(position, 0, np.maximum(num_others - 1, 0)[:, None])
    filled = np.take_along_axis(others, source, axis=1)
    distances[dup_rows] = np.where(position < 0, 0, filled)
    return distances


def entropy_scores(
    pred_probs: np.ndarray, thresholds: np.ndarray | None = None
) -> np.ndarray:
    """``1 - normalized entropy`` of each row (after subtracting `thresholds`)."""
    parts = reduce_row_chunks(_entropy_rows, pred_probs, thresholds)
    return np.concatenate(parts)


def _entropy_rows(rows: np.ndarray, thresholds: np.ndarray | None) -> np.ndarray:
    """Entropy score of one chunk of rows, in float64.

    ``p * log(p)`` is computed in the dtype of `rows` (0 for ``p == 0``),
    summed per row, and divided by the float64 ``log(K)``.
    """
    if thresholds is not None:
        rows = subtract_thresholds(rows, thresholds)
    logs = np.maximum(rows, np.finfo(rows.dtype).tiny)
    np.log(logs, out=logs)
    logs *= rows
    return 1 + logs.sum(axis=1) / np.log(rows.shape[1])


def least_confidence_scores(
    pred_probs: np.ndarray, thresholds: np.ndarray | None = None
) -> np.ndarray:
    """Largest entry of each row (after subtracting `thresholds`), as float64."""
    parts = reduce_row_chunks(_least_confidence_rows, pred_probs, thresholds)
    return np.concatenate(parts).astype(np.float64, copy=False)


def _least_confidence_rows(
    rows: np.ndarray, thresholds: np.ndarray | None
) -> np.ndarray:
    """Least-confidence score of one chunk of rows."""
    if thresholds is not None:
        rows = subtract_thresholds(rows, thresholds)
    return rows.max(axis=1)


def gen_scores(
    pred_probs: np.ndarray,
    thresholds: np.ndarray | None = None,
    M: int = 100,
    gamma: float = 0.1,
) -> np.ndarray:
    """GEN score ``1 - sum(p**gamma * (1 - p)**gamma) / M`` over the M largest p.

    The probabilities are used as given (after subtracting `thresholds`); all
    K entries are used when ``K < M``. The result is float64, in [0, 1].
    """
    parts = reduce_row_chunks(_gen_rows, pred_probs, thresholds, M, gamma)
    return np.concatenate(parts)


def _gen_rows(
    rows: np.ndarray, thresholds: np.ndarray | None, M: int, gamma: float
) -> np.ndarray:
    """GEN score of one chunk of rows."""
    if thresholds is not None:
        rows = subtract_thresholds(rows, thresholds)
    num_classes = rows.shape[1]
    if M < num_classes:
        rows = np.partition(rows, num_classes - M, axis=1)[:, num_classes - M :]
    rows = rows.astype(np.float64)  # a copy, clipped in place
    # Clip away float error below 0 or above 1, where the power is undefined.
    np.clip(rows, 0.0, 1.0, out=rows)
    terms = rows**gamma * (1 - rows) ** gamma
    return 1 - terms.sum(axis=1) / M
