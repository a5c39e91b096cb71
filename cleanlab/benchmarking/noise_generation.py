"""Synthetic label noise for benchmarking: noise matrices and noisy labels.

A noise matrix ``noise_matrix[i, j] = P(given label = i | true label = j)`` has
columns summing to 1. This module checks whether such a matrix is learnable
(:func:`noise_matrix_is_valid`), draws random ones with a prescribed trace
(:func:`generate_noise_matrix_from_trace`) and flips true labels according to one
(:func:`generate_noisy_labels`). Every random draw comes from NumPy's legacy
``RandomState`` stream in a fixed call order, so that seeded pipelines give the
same numbers as cleanlab 2.9; nothing here ever re-seeds NumPy's global generator.
"""

import numbers
import warnings

import numpy as np

from cleanlab.internal.constants import (
    FLOATING_POINT_COMPARISON,
    PROBABILITY_TOLERANCE,
    ROW_SUM_TOLERANCE,
)
from cleanlab.internal.util import value_counts

__all__ = [
    "FLOATING_POINT_COMPARISON",
    "generate_n_rand_probabilities_that_sum_to_m",
    "generate_noise_matrix_from_trace",
    "generate_noisy_labels",
    "noise_matrix_is_valid",
    "randomly_distribute_N_balls_into_K_bins",
    "value_counts",
]

# Number of examples used to express the diagnostics of `noise_matrix_is_valid`.
_VERBOSE_NUM_EXAMPLES = 10000

# Endings of the infeasibility messages, naming the arguments to change.
_TRACE_HINT_MAX = (
    " The K diagonal entries, each at most `max_trace_prob`, cannot sum to "
    "`trace`: lower `trace` or raise `max_trace_prob`."
)
_TRACE_HINT_MIN = (
    " The K diagonal entries, each at least `min_trace_prob`, cannot sum to "
    "`trace`: raise `trace` or lower `min_trace_prob`."
)
_NOISE_HINT_MAX = (
    " The noise rates of a column, each at most `max_noise_rate`, cannot sum to "
    "1 minus its diagonal entry: raise `max_noise_rate` or `trace`, or lower "
    "`frac_zero_noise_rates`."
)
_NOISE_HINT_MIN = (
    " The noise rates of a column, each at least `min_noise_rate`, cannot sum to "
    "1 minus its diagonal entry: lower `min_noise_rate` or `trace`, or raise "
    "`frac_zero_noise_rates`."
)
_TWO_CLASS_HINT = " With K = 2, `trace` must be between 0 and 2."


def noise_matrix_is_valid(noise_matrix, py, *, verbose=False) -> bool:
    """Tell whether a noise matrix and a prior allow the true labels to be learned.

    With ``J[i, j] = noise_matrix[i, j] * py[j]`` the joint distribution of given
    label ``i`` and true label ``j``, and ``ps = noise_matrix @ py`` the
    distribution of the given labels, the pair is valid when ``J`` sums to 1 and,
    for every class ``i``, ``ps[i] * py[i] < J[i, i]``: examples given label ``i``
    are more often truly ``i`` than independence would make them. Under this
    condition confident learning can, in principle, recover the true labels.

    Parameters
    ----------
    noise_matrix : np.ndarray of shape (K, K)
        ``noise_matrix[i, j]`` is the probability that an example of true class
        ``j`` is given label ``i``; each column should sum to 1.
    py : array-like of shape (K,)
        Prior probability of each true class.
    verbose : bool, default=False
        Print, for each class, the quantities behind the decision (expressed as
        counts out of 10,000 examples).

    Returns
    -------
    bool
        True if the noise matrix is valid for `py`.

    Raises
    ------
    ValueError
        If `noise_matrix` is not a square 2-D array or `py` is not 1-D with one
        entry per row of `noise_matrix`.

    Examples
    --------
    >>> import numpy as np
    >>> nm = np.array([[0.8, 0.1, 0.2], [0.1, 0.7, 0.1], [0.1, 0.2, 0.7]])
    >>> noise_matrix_is_valid(nm, [1 / 3] * 3)
    True
    >>> noise_matrix_is_valid(np.array([[0.1, 0.9], [0.9, 0.1]]), [0.1, 0.9])
    False
    """
    noise_matrix = _check_square_matrix(noise_matrix, "noise_matrix")
    K = len(noise_matrix)
    py = _check_vector(py, "py", K)
    joint = noise_matrix * py
    ps = np.dot(noise_matrix, py)
    if verbose:
        _print_validity_diagnostics(joint, ps, py)
    if abs(np.sum(joint) - 1) >= FLOATING_POINT_COMPARISON:
        return False
    return bool(np.all(ps * py < np.diagonal(joint)))


def _print_validity_diagnostics(joint: np.ndarray, ps: np.ndarray, py) -> None:
    """Print, per class, the counts (out of 10,000) behind the validity test."""
    N = _VERBOSE_NUM_EXAMPLES
    print(f"Joint distribution sums to {np.sum(joint):.6g} (must be 1).")
    for i in range(len(py)):
        correct = N * joint[i, i]
        given_i_not_true_i = N * joint[i].sum() - correct
        true_i_not_given_i = N * joint[:, i].sum() - correct
        neither = N - given_i_not_true_i - true_i_not_given_i - correct
        holds = ps[i] * py[i] < joint[i, i]
        print(
            f"class {i}: given=true={correct:.0f}, "
            f"given only={given_i_not_true_i:.0f}, "
            f"true only={true_i_not_given_i:.0f}, neither={neither:.0f}; "
            f"ps*py = {ps[i] * py[i]:.6g} < J[i,i] = {joint[i, i]:.6g}: {holds}"
        )


def generate_noisy_labels(true_labels, noise_matrix) -> np.ndarray:
    """Flip true labels so that their noise follows a noise matrix exactly.

    For each true class ``k`` with ``n_k`` examples, ``trunc(noise_matrix[j, k]
    * n_k)`` of them, chosen at random, are given label ``j`` instead (``j !=
    k``). The number of flips is thus fixed by the matrix; only which examples
    are flipped is random. A class is left untouched when its flips would
    outnumber its examples.

    Parameters
    ----------
    true_labels : array-like of shape (N,)
        True class indices ``0..K-1`` (list, np.ndarray or pd.Series of
        integers; whole-valued floats and bools are accepted as well).
    noise_matrix : np.ndarray of shape (K, K)
        ``noise_matrix[i, j]`` is the probability that an example of true class
        ``j`` is given label ``i``; each column should sum to 1.

    Returns
    -------
    np.ndarray of shape (N,)
        The noisy labels, with the dtype of ``np.array(true_labels)``. The input
        is not modified.

    Raises
    ------
    ValueError
        If `true_labels` is not 1-D, holds values outside ``0..K-1``, or
        `noise_matrix` is not a square matrix of probabilities.
    TypeError
        If `true_labels` does not hold numbers.

    Warns
    -----
    UserWarning
        If a column of `noise_matrix` does not sum to 1 (within 1e-3).

    Notes
    -----
    Randomness comes from NumPy's global generator: one
    ``np.random.choice(idx, num_flips, replace=False)`` call per class that gets
    flips, in class order. Call ``np.random.seed`` first for reproducible output.

    Examples
    --------
    >>> import numpy as np
    >>> nm = np.array([[0.8, 0.1, 0.2], [0.1, 0.7, 0.1], [0.1, 0.2, 0.7]])
    >>> true_labels = np.repeat([0, 1, 2], 10)
    >>> np.random.seed(0)
    >>> generate_noisy_labels(true_labels, nm)[:10]
    array([0, 0, 1, 0, 0, 0, 0, 0, 2, 0])
    """
    noise_matrix = _check_square_matrix(noise_matrix, "noise_matrix")
    _check_probability_matrix(noise_matrix)
    K = len(noise_matrix)
    noisy_labels = np.array(true_labels)
    classes = _check_true_labels(noisy_labels, K)
    N = len(classes)
    if N == 0:
        return noisy_labels
    flips = _flip_counts(noise_matrix, classes, K)
    rng = _global_random_state()
    # Examples of each class in ascending index order: a stable sort keeps it
    # (and is a fast radix sort on the smallest unsigned dtype holding K - 1).
    order = np.argsort(classes.astype(np.min_scalar_type(K - 1)), kind="stable")
    class_sizes = np.bincount(classes, minlength=K)
    ends = np.cumsum(class_sizes)
    starts = ends - class_sizes
    labels_for_flips = np.arange(K)
    for k in range(K):
        noise = np.repeat(labels_for_flips, flips[:, k])
        idx = order[starts[k] : ends[k]]
        if len(idx) > 0 and len(noise) > 0 and len(idx) >= len(noise):
            noisy_labels[rng.choice(idx, len(noise), replace=False)] = noise
    return noisy_labels


def _flip_counts(noise_matrix: np.ndarray, classes: np.ndarray, K: int) -> np.ndarray:
    """Return the (K, K) int matrix of how many class-``k`` examples become ``j``.

    ``C[j, k] = trunc(noise_matrix[j, k] * py[k] * N)`` with ``py`` the class
    frequencies (evaluated in this order, for identical rounding), diagonal 0.
    """
    N = len(classes)
    py = value_counts(classes, num_classes=K) / N
    flips = (noise_matrix * py * N).astype(int)
    np.fill_diagonal(flips, 0)
    return flips


def _check_true_labels(labels: np.ndarray, K: int) -> np.ndarray:
    """Check 1-D labels in ``0..K-1`` and return them as int64 class indices."""
    if labels.ndim != 1:
        msg = f"`true_labels` must be 1-D, got an array of shape {labels.shape}."
        raise ValueError(msg)
    if labels.dtype.kind not in "biuf":
        msg = (
            f"`true_labels` must hold integer class indices, got dtype {labels.dtype}."
        )
        raise TypeError(msg)
    if labels.size == 0:
        return labels.astype(np.int64)
    if labels.dtype.kind == "f":
        bad = ~np.isfinite(labels) | (labels % 1 != 0)
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            msg = (
                "`true_labels` must hold integer class indices; "
                f"`true_labels[{first}]` is {labels[first]}."
            )
            raise ValueError(msg)
    classes = labels.astype(np.int64)
    out_of_range = (classes < 0) | (classes >= K)
    if out_of_range.any():
        first = int(np.flatnonzero(out_of_range)[0])
        msg = (
            f"`true_labels` must be class indices in 0..{K - 1} (K = "
            f"len(noise_matrix) = {K}); `true_labels[{first}]` is {labels[first]}."
        )
        raise ValueError(msg)
    return classes


def _check_probability_matrix(noise_matrix: np.ndarray) -> None:
    """Raise unless entries are in [0, 1]; warn if a column does not sum to 1."""
    low, high = noise_matrix.min(), noise_matrix.max()
    if low < -PROBABILITY_TOLERANCE or high > 1 + PROBABILITY_TOLERANCE:
        msg = (
            "`noise_matrix` entries must be probabilities in [0, 1]; they range "
            f"from {low} to {high}."
        )
        raise ValueError(msg)
    sums = noise_matrix.sum(axis=0)
    off = np.flatnonzero(np.abs(sums - 1) > ROW_SUM_TOLERANCE)
    if len(off):
        warnings.warn(
            f"`noise_matrix` columns should each sum to 1 (P(given | true)), but "
            f"{len(off)} of {len(sums)} do not (first: column {off[0]}, which sums "
            f"to {sums[off[0]]:.6g}). Noisy labels are generated as given.",
            UserWarning,
            stacklevel=3,
        )


def generate_noise_matrix_from_trace(
    K,
    trace,
    *,
    max_trace_prob=1.0,
    min_trace_prob=1e-5,
    max_noise_rate=1 - 1e-5,
    min_noise_rate=0.0,
    valid_noise_matrix=True,
    py=None,
    frac_zero_noise_rates=0.0,
    seed=0,
    max_iter=10000,
) -> np.ndarray | None:
    """Draw a random K x K noise matrix whose diagonal sums to `trace`.

    The diagonal is a random split of `trace` into K entries in
    ``[min_trace_prob, max_trace_prob]``. In each column, the off-diagonal mass
    ``1 - diagonal`` is split at random over randomly chosen rows, each rate in
    ``[min_noise_rate, max_noise_rate]``; the other off-diagonal entries are 0.
    With `valid_noise_matrix`, candidates are drawn until one passes
    :func:`noise_matrix_is_valid` for the prior `py`, at most `max_iter` times.

    Parameters
    ----------
    K : int
        Number of classes, at least 2.
    trace : float
        Sum of the diagonal, i.e. of the probabilities that a label is kept;
        ``trace / K`` is the average fraction of correct labels. Must be above 1
        when `valid_noise_matrix` is True.
    max_trace_prob : float, default=1.0
        Largest allowed diagonal entry (not used when K = 2).
    min_trace_prob : float, default=1e-5
        Smallest allowed diagonal entry (not used when K = 2).
    max_noise_rate : float, default=1 - 1e-5
        Largest allowed non-zero off-diagonal entry (not used when K = 2).
    min_noise_rate : float, default=0.0
        Smallest allowed non-zero off-diagonal entry (not used when K = 2).
    valid_noise_matrix : bool, default=True
        Redraw until the matrix is valid for `py` (see
        :func:`noise_matrix_is_valid`).
    py : array-like of shape (K,), optional
        Prior of the true classes, positive and summing to 1. Required when
        `valid_noise_matrix` is True and K > 2; with K = 2 and no `py`, the first
        draw is returned unchecked.
    frac_zero_noise_rates : float, default=0.0
        Fraction, in [0, 1], of the ``K * (K - 1)`` off-diagonal entries to set
        to exactly 0. Columns whose diagonal is 1 count with their K - 1 zeros;
        any other column keeps at least one non-zero noise rate, so the realized
        fraction can differ from the request.
    seed : int, np.random.RandomState or None, default=0
        An int draws from a new ``np.random.RandomState(seed)``, which gives
        the numbers cleanlab 2.9 gives for that seed. A ``RandomState`` is drawn
        from (and advanced) directly. None draws from NumPy's global generator,
        so ``np.random.seed`` makes the result reproducible. NumPy's global
        state is never re-seeded.
    max_iter : int, default=10000
        Maximum number of candidates drawn before giving up.

    Returns
    -------
    np.ndarray of shape (K, K) or None
        A column-stochastic float matrix with diagonal summing to `trace`, or
        None if `max_iter` < 1 or no valid matrix was found in `max_iter` draws.

    Raises
    ------
    ValueError
        If `valid_noise_matrix` and ``trace <= 1``; if `py` is missing when
        needed, has the wrong length, is not positive or does not sum to 1; if
        ``K < 2``; if `trace` cannot be split within the bounds (the message
        starts as cleanlab 2.9's, "max_prob must be greater or equal to m / n"
        or "min_prob must be less or equal to m / n"), also when a column's
        noise rates cannot meet `max_noise_rate` / `min_noise_rate`; if
        `frac_zero_noise_rates` is outside [0, 1]; if `seed` is out of range.
    TypeError
        If `K` or `max_iter` is not an integer, a bound is not a number, or
        `seed` has an unsupported type.

    Notes
    -----
    For K = 2 with ``frac_zero_noise_rates >= 0.5``, one column is ``[1, 0]``
    and the other ``[trace - 1, 2 - trace]`` (which column is random), so
    ``1 <= trace <= 2`` is required.

    Examples
    --------
    >>> import numpy as np
    >>> nm = generate_noise_matrix_from_trace(3, 2.4, py=[0.5, 0.25, 0.25], seed=1)
    >>> np.round(nm, 6)
    array([[0.713983, 0.065781, 0.128703],
           [0.177601, 0.905073, 0.090353],
           [0.108416, 0.029146, 0.780945]])
    >>> round(float(np.trace(nm)), 6), np.allclose(nm.sum(axis=0), 1)
    (2.4, True)
    """
    K = _check_integer(K, "K")
    trace_as_given = trace
    trace = _check_real(trace, "trace")
    max_trace_prob = _check_real(max_trace_prob, "max_trace_prob")
    min_trace_prob = _check_real(min_trace_prob, "min_trace_prob")
    max_noise_rate = _check_real(max_noise_rate, "max_noise_rate")
    min_noise_rate = _check_real(min_noise_rate, "min_noise_rate")
    frac_zero_noise_rates = _check_real(frac_zero_noise_rates, "frac_zero_noise_rates")
    max_iter = _check_integer(max_iter, "max_iter")
    if valid_noise_matrix and trace <= 1:
        msg = (
            f"trace = {trace_as_given}. trace > 1 is necessary for a valid noise "
            "matrix to be returned (valid_noise_matrix == True)"
        )
        raise ValueError(msg)
    if valid_noise_matrix and py is None and K > 2:
        msg = (
            "py must be provided (not None) if the input parameter "
            "valid_noise_matrix == True"
        )
        raise ValueError(msg)
    if K <= 1:
        msg = f"K must be >= 2, but K = {K}."
        raise ValueError(msg)
    if not 0 <= frac_zero_noise_rates <= 1:
        msg = (
            "`frac_zero_noise_rates` must be a fraction in [0, 1], got "
            f"{frac_zero_noise_rates}."
        )
        raise ValueError(msg)
    check_validity = bool(valid_noise_matrix) and py is not None
    if check_validity:
        py = _check_prior(py, K)
    if K == 2:
        _check_two_class_trace(trace, frac_zero_noise_rates)
    else:
        _check_sum_feasible(
            K, trace, max_trace_prob, min_trace_prob, _TRACE_HINT_MAX, _TRACE_HINT_MIN
        )
    if max_iter < 1:
        return None
    rng = _random_state(seed)
    for _ in range(max_iter):
        if K == 2:
            noise_matrix = _draw_two_class_matrix(trace, frac_zero_noise_rates, rng)
        else:
            noise_matrix = _draw_noise_matrix(
                K,
                trace,
                (max_trace_prob, min_trace_prob),
                (max_noise_rate, min_noise_rate),
                frac_zero_noise_rates,
                rng,
            )
        if not check_validity or _is_valid(noise_matrix, py):
            return noise_matrix
    return None


def _check_prior(py, K: int) -> np.ndarray:
    """Return `py` as a float array after checking a valid matrix can exist."""
    py = _check_vector(py, "py", K)
    if np.any(py <= 0):
        first = int(np.flatnonzero(py <= 0)[0])
        msg = (
            "`py` entries must be positive: no noise matrix is valid for a class "
            f"with prior 0 or less, and `py[{first}]` is {py[first]}."
        )
        raise ValueError(msg)
    if abs(py.sum() - 1) >= FLOATING_POINT_COMPARISON:
        msg = (
            f"`py` must sum to 1 (it is the prior of the true labels), got {py.sum()}."
        )
        raise ValueError(msg)
    return py


def _check_two_class_trace(trace: float, frac_zero_noise_rates: float) -> None:
    """Raise unless a 2 x 2 noise matrix with this trace can be drawn."""
    if frac_zero_noise_rates >= 0.5:
        if not 1 <= trace <= 2:
            msg = (
                "With K = 2 and `frac_zero_noise_rates` >= 0.5, one column is "
                f"[1, 0], so `trace` must be between 1 and 2, got {trace}."
            )
            raise ValueError(msg)
        return
    _check_sum_feasible(2, trace, 1.0, 0.0, _TWO_CLASS_HINT, _TWO_CLASS_HINT)


def _draw_two_class_matrix(trace: float, frac_zero_noise_rates: float, rng):
    """Return one random 2 x 2 candidate, drawing as cleanlab 2.9 does."""
    if frac_zero_noise_rates >= 0.5:
        noise_matrix = np.array([[1.0, 1 - (trace - 1)], [0.0, trace - 1]])
        if rng.rand() > 0.5:
            return noise_matrix
        return np.rot90(noise_matrix, 2).copy()
    diagonal = _rand_probabilities(
        2, trace, 1.0, 0.0, rng, _TWO_CLASS_HINT, _TWO_CLASS_HINT
    )
    return np.array([[diagonal[0], 1 - diagonal[1]], [1 - diagonal[0], diagonal[1]]])


def _draw_noise_matrix(
    K: int,
    trace: float,
    trace_bounds: tuple,
    noise_bounds: tuple,
    frac_zero_noise_rates: float,
    rng,
) -> np.ndarray:
    """Return one random K x K candidate (K > 2), drawing as cleanlab 2.9 does.

    Draw order: the diagonal; the number of zeros per noisy column; then, per
    column with diagonal != 1 in ascending order, its noise rates and the rows
    that receive them (the first chosen row gets the last rate).
    """
    noise_matrix = np.zeros((K, K))
    diagonal = _rand_probabilities(
        K, trace, *trace_bounds, rng, _TRACE_HINT_MAX, _TRACE_HINT_MIN
    )
    np.fill_diagonal(noise_matrix, diagonal)
    noisy_columns = np.flatnonzero(diagonal != 1)
    num_noisy = len(noisy_columns)
    num_zeros = int(K * (K - 1) * frac_zero_noise_rates) - (K - num_noisy) * (K - 1)
    # Each noisy column keeps at least one non-zero rate: at most K - 2 zeros each
    # (cleanlab 2.9 shrinks the total to this cap in the same way).
    num_zeros = min(max(num_zeros, 0), (K - 2) * num_noisy)
    zeros_per_column = _distribute_balls(num_zeros, num_noisy, K - 2, 0, rng)
    all_rows = np.arange(K)
    for col, zeros in zip(noisy_columns, zeros_per_column, strict=True):
        num_rates = K - 1 - zeros
        rates = _rand_probabilities(
            num_rates,
            1 - diagonal[col],
            *noise_bounds,
            rng,
            _NOISE_HINT_MAX,
            _NOISE_HINT_MIN,
        )
        rows = rng.choice(np.delete(all_rows, col), num_rates, replace=False)
        noise_matrix[rows, col] = rates[::-1]
    return noise_matrix


def _is_valid(noise_matrix: np.ndarray, py: np.ndarray) -> bool:
    """`noise_matrix_is_valid` without input checks or printing."""
    joint = noise_matrix * py
    if abs(np.sum(joint) - 1) >= FLOATING_POINT_COMPARISON:
        return False
    ps = np.dot(noise_matrix, py)
    return bool(np.all(ps * py < np.diagonal(joint)))


def _global_random_state() -> np.random.RandomState:
    """NumPy's legacy global generator, the one ``np.random.seed`` seeds."""
    return np.random.mtrand._rand


def _random_state(seed) -> np.random.RandomState:
    """Return the legacy generator to draw from for `seed` (int, RandomState, None)."""
    if seed is None:
        return _global_random_state()
    if isinstance(seed, np.random.RandomState):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, (bool, np.bool_)):
        try:
            return np.random.RandomState(seed)
        except ValueError as err:
            msg = f"`seed` must be between 0 and 2**32 - 1, got {seed}."
            raise ValueError(msg) from err
    msg = (
        "`seed` must be None, an int or a np.random.RandomState, got "
        f"{type(seed).__name__}."
    )
    raise TypeError(msg)


def generate_n_rand_probabilities_that_sum_to_m(
    n, m, *, max_prob=1.0, min_prob=0.0
) -> np.ndarray:
    """Draw `n` random non-negative numbers that sum to `m`, within bounds.

    The numbers start as a uniform draw from the simplex (a flat Dirichlet)
    scaled by `m`; while the largest exceeds `max_prob` (or the smallest is
    below `min_prob`), mass is moved between the largest and the smallest entry,
    by a random amount, keeping the total.

    Parameters
    ----------
    n : int
        How many numbers (0 gives an empty array).
    m : float
        Their sum.
    max_prob : float, default=1.0
        Upper bound on each number (checked with a tolerance of 1e-6).
    min_prob : float, default=0.0
        Lower bound on each number (checked with a tolerance of 1e-6).

    Returns
    -------
    np.ndarray of shape (n,)
        Float array summing to `m`.

    Raises
    ------
    ValueError
        If ``max_prob < m / n`` ("max_prob must be greater or equal to m / n, ...")
        or ``min_prob > m / n`` ("min_prob must be less or equal to m / n, ..."),
        beyond the tolerance, or `n` is negative.
    TypeError
        If `n` is not an integer or `m`, `max_prob`, `min_prob` are not numbers.

    Notes
    -----
    Draws from NumPy's global generator (``np.random.dirichlet``, then
    ``np.random.rand`` once per adjustment); call ``np.random.seed`` first for
    reproducible output.

    Examples
    --------
    >>> import numpy as np
    >>> np.random.seed(0)
    >>> np.round(generate_n_rand_probabilities_that_sum_to_m(4, 1.0), 6)
    array([0.211543, 0.333826, 0.245393, 0.209238])
    """
    n = _check_integer(n, "n", minimum=0)
    m = _check_real(m, "m")
    max_prob = _check_real(max_prob, "max_prob")
    min_prob = _check_real(min_prob, "min_prob")
    return _rand_probabilities(
        n,
        m,
        max_prob,
        min_prob,
        _global_random_state(),
        " Raise `max_prob` or lower `m`.",
        " Lower `min_prob` or raise `m`.",
    )


def _rand_probabilities(
    n: int,
    m: float,
    max_prob: float,
    min_prob: float,
    rng: np.random.RandomState,
    hint_max: str = "",
    hint_min: str = "",
) -> np.ndarray:
    """Draw `n` numbers summing to `m` in [`min_prob`, `max_prob`] from `rng`.

    The draws and arithmetic follow cleanlab 2.9 step by step (identical
    numbers); the hints are appended to the infeasibility messages.
    """
    if n == 0:
        return np.array([])
    _check_sum_feasible(n, m, max_prob, min_prob, hint_max, hint_min)
    tolerance = FLOATING_POINT_COMPARISON
    result = rng.dirichlet(np.ones(n)) * m
    while result.max() > max_prob + tolerance:
        low, high = result.min(), result.max()
        new_low = low + (high - max_prob)
        shift = (max_prob - new_low) * rng.rand()
        result[np.argmin(result)] = new_low + shift
        result[np.argmax(result)] = max_prob - shift
    while result.min() < min_prob - tolerance:
        low, high = result.min(), result.max()
        new_high = high - (min_prob - low)
        shift = (new_high - min_prob) * rng.rand()
        result[np.argmax(result)] = new_high - shift
        result[np.argmin(result)] = min_prob + shift
    return result


def _check_sum_feasible(
    n: int, m: float, max_prob: float, min_prob: float, hint_max: str, hint_min: str
) -> None:
    """Raise unless `n` numbers in [`min_prob`, `max_prob`] can sum to `m`."""
    if max_prob + FLOATING_POINT_COMPARISON < m / n:
        msg = (
            "max_prob must be greater or equal to m / n, but max_prob = "
            f"{max_prob}, m = {m}, n = {n}, m / n = {m / n}." + hint_max
        )
        raise ValueError(msg)
    if min_prob > (m + FLOATING_POINT_COMPARISON) / n:
        msg = (
            "min_prob must be less or equal to m / n, but min_prob = "
            f"{min_prob}, m = {m}, n = {n}, m / n = {m / n}." + hint_min
        )
        raise ValueError(msg)


def randomly_distribute_N_balls_into_K_bins(
    N, K, *, max_balls_per_bin=None, min_balls_per_bin=None
) -> np.ndarray:
    """Split `N` balls at random into `K` bins, within per-bin bounds.

    Bin shares are drawn with :func:`generate_n_rand_probabilities_that_sum_to_m`
    (bounds ``max_balls_per_bin / N`` and ``min_balls_per_bin / N``), scaled by
    `N` and rounded; the rounding surplus (deficit) is then removed from the
    fullest (added to the emptiest) bins one ball at a time.

    Parameters
    ----------
    N : int
        Number of balls, at least 0.
    K : int
        Number of bins, at least 1.
    max_balls_per_bin : int, optional
        Most balls a bin may hold (default: `N`). ``max_balls_per_bin * K`` must
        be at least `N`.
    min_balls_per_bin : int, optional
        Fewest balls a bin should hold (default: 0); capped at ``N / K``.

    Returns
    -------
    np.ndarray of shape (K,)
        Integer counts summing to `N`.

    Raises
    ------
    ValueError
        If ``max_balls_per_bin * K < N`` (the balls do not fit), `N` is negative,
        `K` is below 1 or a bound is negative.
    TypeError
        If `N` or `K` is not an integer or a bound is not a number.

    Notes
    -----
    Draws from NumPy's global generator, like
    :func:`generate_n_rand_probabilities_that_sum_to_m` (nothing when ``N == 0``).

    Examples
    --------
    >>> import numpy as np
    >>> np.random.seed(0)
    >>> randomly_distribute_N_balls_into_K_bins(10, 4)
    array([3, 3, 2, 2])
    """
    N = _check_integer(N, "N", minimum=0)
    K = _check_integer(K, "K", minimum=1)
    if max_balls_per_bin is not None:
        max_balls_per_bin = _check_bound(max_balls_per_bin, "max_balls_per_bin")
        if max_balls_per_bin * K < N:
            msg = (
                "`max_balls_per_bin` * `K` must be at least `N` for all balls to "
                f"fit, but max_balls_per_bin = {max_balls_per_bin}, K = {K}, "
                f"N = {N}. Raise `max_balls_per_bin` or `K`, or lower `N`."
            )
            raise ValueError(msg)
    if min_balls_per_bin is not None:
        min_balls_per_bin = _check_bound(min_balls_per_bin, "min_balls_per_bin")
    return _distribute_balls(
        N, K, max_balls_per_bin, min_balls_per_bin, _global_random_state()
    )


def _check_bound(value, name: str) -> int | float:
    """Return a non-negative bin bound unchanged in value (ints stay ints)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        return _check_integer(value, name, minimum=0)
    return _check_real(value, name, minimum=0)


def _distribute_balls(
    N: int, K: int, max_balls_per_bin, min_balls_per_bin, rng
) -> np.ndarray:
    """Split `N` balls into `K` bins drawing from `rng`; assumes they fit."""
    if N == 0:
        return np.zeros(K, dtype=int)
    max_balls = N if max_balls_per_bin is None else min(max_balls_per_bin, N)
    min_balls = 0 if min_balls_per_bin is None else min(min_balls_per_bin, N / K)
    shares = _rand_probabilities(K, 1, max_balls / N, min_balls / N, rng)
    counts = np.round(shares * N)
    while counts.sum() != N:
        while counts.sum() > N:
            counts[np.argmax(counts)] -= 1
        while counts.sum() < N:
            counts[np.argmin(counts)] += 1
    return counts.astype(int)


def _check_square_matrix(matrix, name: str) -> np.ndarray:
    """Return `matrix` as a finite float (K, K) array, K >= 1, or raise."""
    try:
        array = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError) as err:
        msg = f"`{name}` must be a square matrix of numbers."
        raise TypeError(msg) from err
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.shape[0] == 0:
        msg = f"`{name}` must be a square K x K matrix, got shape {array.shape}."
        raise ValueError(msg)
    if not np.all(np.isfinite(array)):
        msg = f"`{name}` contains NaN or infinite values."
        raise ValueError(msg)
    return array


def _check_vector(values, name: str, length: int) -> np.ndarray:
    """Return `values` as a finite 1-D float array of the given length, or raise."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as err:
        msg = f"`{name}` must be a 1-D array of numbers."
        raise TypeError(msg) from err
    if array.shape != (length,):
        msg = f"`{name}` must have shape ({length},), got shape {array.shape}."
        raise ValueError(msg)
    if not np.all(np.isfinite(array)):
        msg = f"`{name}` contains NaN or infinite values."
        raise ValueError(msg)
    return array


def _check_integer(value, name: str, minimum: int | None = None) -> int:
    """Return `value` as an int, raising unless it is an integer >= `minimum`."""
    if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
        msg = f"`{name}` must be an integer, got {type(value).__name__} {value!r}."
        raise TypeError(msg)
    value = int(value)
    if minimum is not None and value < minimum:
        msg = f"`{name}` must be at least {minimum}, got {value}."
        raise ValueError(msg)
    return value


def _check_real(value, name: str, minimum: float | None = None) -> float:
    """Return `value` as a float, raising unless it is a finite number >= `minimum`."""
    if isinstance(value, (str, bytes, bool, np.bool_)) or np.ndim(value) != 0:
        msg = f"`{name}` must be a number, got {type(value).__name__} {value!r}."
        raise TypeError(msg)
    try:
        number = float(value)
    except (TypeError, ValueError) as err:
        msg = f"`{name}` must be a number, got {type(value).__name__} {value!r}."
        raise TypeError(msg) from err
    if not np.isfinite(number):
        msg = f"`{name}` must be finite, got {number}."
        raise ValueError(msg)
    if minimum is not None and number < minimum:
        msg = f"`{name}` must be at least {minimum}, got {number}."
        raise ValueError(msg)
    return number
