"""Tests for cleanlab.benchmarking.noise_generation.

Expected arrays marked "reference output" were produced by running cleanlab 2.9.0
as a black box with the same arguments (after ``np.random.seed`` where the
function draws from NumPy's global generator); they are compared exactly, or
with ``atol=1e-6`` where they are written with 6 decimals.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleanlab.benchmarking import noise_generation
from cleanlab.benchmarking.noise_generation import (
    generate_n_rand_probabilities_that_sum_to_m,
    generate_noise_matrix_from_trace,
    generate_noisy_labels,
    noise_matrix_is_valid,
    randomly_distribute_N_balls_into_K_bins,
)

NOISE_MATRIX_3 = np.array([[0.8, 0.1, 0.2], [0.1, 0.7, 0.1], [0.1, 0.2, 0.7]])
TRUE_LABELS_30 = np.repeat([0, 1, 2], 10)
# Reference output: np.random.seed(0); generate_noisy_labels(TRUE_LABELS_30, NM_3).
NOISY_LABELS_30 = [0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 1, 2, 1, 0, 1]
NOISY_LABELS_30 += [2, 1, 1, 1, 1, 2, 2, 0, 0, 2, 2, 2, 2, 1, 2]
# Reference output: generate_noise_matrix_from_trace(3, 2.4, py=PY_3, seed=1).
PY_3 = [0.5, 0.25, 0.25]
MATRIX_3_SEED_1 = [
    [0.713983, 0.065781, 0.128703],
    [0.177601, 0.905073, 0.090353],
    [0.108416, 0.029146, 0.780945],
]
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(autouse=True)
def _restore_global_rng():
    """Leave NumPy's global generator as each test found it."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


def _assert_noise_matrix(matrix, K, trace):
    """Check shape, entries in [0, 1], columns summing to 1 and the trace."""
    assert matrix.shape == (K, K)
    assert matrix.dtype == np.float64
    assert np.all(matrix >= -1e-6)
    assert np.all(matrix <= 1 + 1e-6)
    np.testing.assert_allclose(matrix.sum(axis=0), 1, atol=1e-9)
    assert np.trace(matrix) == pytest.approx(trace, abs=1e-9)


def test_module_exposes_value_counts_and_constant():
    """The module exposes `value_counts` and `FLOATING_POINT_COMPARISON`."""
    assert noise_generation.FLOATING_POINT_COMPARISON == 1e-6
    np.testing.assert_array_equal(noise_generation.value_counts([0, 2, 2]), [1, 2])


class TestNoiseMatrixIsValid:
    @pytest.mark.parametrize(
        ("matrix", "py", "expected"),
        [
            ([[0.2, 0.5], [0.8, 0.5]], [0.1, 0.8], False),
            ([[0.1, 0.9], [0.9, 0.1]], [0.1, 0.9], False),
            (NOISE_MATRIX_3, [1 / 3] * 3, True),
            (NOISE_MATRIX_3, [0.5, 0.5, 0.5], False),
        ],
    )
    def test_spec_examples(self, matrix, py, expected):
        """The worked examples of the contract give the documented answers."""
        result = noise_matrix_is_valid(np.array(matrix), py)
        assert result is expected

    def test_verbose_prints_diagnostics(self, capsys):
        """`verbose=True` prints one line per class and keeps the answer."""
        assert noise_matrix_is_valid(NOISE_MATRIX_3, [1 / 3] * 3, verbose=True)
        out = capsys.readouterr().out
        assert out.count("class ") == 3

    def test_silent_by_default(self, capsys):
        """Nothing is printed without `verbose`."""
        noise_matrix_is_valid(NOISE_MATRIX_3, [1 / 3] * 3)
        assert capsys.readouterr().out == ""

    def test_two_classes_valid_exactly_when_trace_above_one(self):
        """For K = 2, validity holds exactly when the trace exceeds 1."""
        py = [0.3, 0.7]
        assert noise_matrix_is_valid(np.array([[0.6, 0.3], [0.4, 0.7]]), py)
        assert not noise_matrix_is_valid(np.array([[0.4, 0.6], [0.6, 0.4]]), py)

    def test_rejects_non_square_matrix(self):
        """A non-square `noise_matrix` raises a ValueError naming it."""
        with pytest.raises(ValueError, match="`noise_matrix` must be a square"):
            noise_matrix_is_valid(np.ones((2, 3)) / 2, [0.5, 0.5])

    def test_rejects_py_of_wrong_length(self):
        """A `py` whose length differs from K raises a ValueError naming it."""
        with pytest.raises(ValueError, match=r"`py` must have shape \(3,\)"):
            noise_matrix_is_valid(NOISE_MATRIX_3, [0.5, 0.5])

    def test_rejects_nan(self):
        """NaN in `noise_matrix` raises instead of silently answering False."""
        matrix = NOISE_MATRIX_3.copy()
        matrix[0, 0] = np.nan
        with pytest.raises(ValueError, match="`noise_matrix` contains NaN"):
            noise_matrix_is_valid(matrix, [1 / 3] * 3)

    def test_rejects_non_numeric_matrix(self):
        """A matrix of strings raises a TypeError naming `noise_matrix`."""
        with pytest.raises(TypeError, match="`noise_matrix` must be a square"):
            noise_matrix_is_valid([["a", "b"], ["c", "d"]], [0.5, 0.5])


class TestGenerateNoisyLabels:
    def test_spec_example(self):
        """Seeded, the labels are the reference's and the RNG advances alike."""
        np.random.seed(0)
        noisy = generate_noisy_labels(TRUE_LABELS_30, NOISE_MATRIX_3)
        np.testing.assert_array_equal(noisy, NOISY_LABELS_30)
        # Reference output: the next global draw after the call.
        assert np.random.rand() == 0.6481718720511972

    def test_reference_four_classes(self):
        """A 4-class case with uneven classes matches the reference exactly."""
        np.random.seed(42)
        true = np.repeat(np.arange(4), [12, 9, 11, 8])
        matrix = np.array(
            [
                [0.7, 0.1, 0.2, 0.0],
                [0.1, 0.8, 0.1, 0.25],
                [0.1, 0.1, 0.6, 0.05],
                [0.1, 0.0, 0.1, 0.7],
            ]
        )
        noisy = generate_noisy_labels(true, matrix)
        # Reference output.
        expected = [3, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1]
        expected += [1, 0, 2, 2, 2, 2, 2, 1, 2, 0, 3, 2, 3, 3, 1, 3, 3, 1, 3, 3]
        np.testing.assert_array_equal(noisy, expected)
        assert np.random.rand() == 0.007066305219717406  # reference output

    @pytest.mark.parametrize(
        "container",
        [list, pd.Series, lambda y: y.astype(np.int32), lambda y: y.astype(float)],
        ids=["list", "series", "int32", "float"],
    )
    def test_containers_give_reference_labels(self, container):
        """Lists, Series, int32 and whole floats give the same labels."""
        np.random.seed(0)
        noisy = generate_noisy_labels(container(TRUE_LABELS_30), NOISE_MATRIX_3)
        np.testing.assert_array_equal(noisy, NOISY_LABELS_30)

    @pytest.mark.parametrize(
        ("labels", "dtype"),
        [
            (TRUE_LABELS_30.tolist(), np.int64),
            (TRUE_LABELS_30.astype(np.int32), np.int32),
            (TRUE_LABELS_30.astype(np.uint8), np.uint8),
            (TRUE_LABELS_30.astype(float), np.float64),
        ],
    )
    def test_keeps_dtype(self, labels, dtype):
        """The result has the dtype of ``np.array(true_labels)``."""
        assert generate_noisy_labels(labels, NOISE_MATRIX_3).dtype == dtype

    def test_does_not_modify_input(self):
        """The caller's array is left unchanged."""
        labels = TRUE_LABELS_30.copy()
        generate_noisy_labels(labels, NOISE_MATRIX_3)
        np.testing.assert_array_equal(labels, TRUE_LABELS_30)

    def test_accepts_read_only_input(self):
        """A read-only array is accepted (the result is a new array)."""
        labels = TRUE_LABELS_30.copy()
        labels.flags.writeable = False
        noisy = generate_noisy_labels(labels, NOISE_MATRIX_3)
        assert noisy.flags.writeable

    def test_identity_matrix_changes_nothing(self):
        """With the identity noise matrix no label is flipped and no draw made."""
        state = np.random.get_state()[1].copy()
        noisy = generate_noisy_labels(TRUE_LABELS_30, np.eye(3))
        np.testing.assert_array_equal(noisy, TRUE_LABELS_30)
        np.testing.assert_array_equal(np.random.get_state()[1], state)

    def test_missing_class_gets_no_flips(self):
        """A class absent from `true_labels` is fine (cleanlab 2.9 raised)."""
        np.random.seed(1)
        noisy = generate_noisy_labels(np.repeat([0, 1], 10), NOISE_MATRIX_3)
        # Same flips as the reference gives when class 2 has one example.
        expected = [0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 1, 1, 1, 2, 1, 2, 1, 1, 1, 0]
        np.testing.assert_array_equal(noisy, expected)

    def test_single_class_matches_reference(self):
        """Labels that are all 0 flip as in the reference."""
        np.random.seed(1)
        noisy = generate_noisy_labels(np.zeros(10, dtype=int), NOISE_MATRIX_3)
        # Reference output.
        np.testing.assert_array_equal(noisy, [0, 0, 1, 0, 0, 0, 0, 0, 0, 2])

    def test_bool_labels(self):
        """Boolean labels give boolean noisy labels, as in the reference."""
        np.random.seed(1)
        labels = np.repeat([False, True], 10)
        noisy = generate_noisy_labels(labels, np.array([[0.8, 0.3], [0.2, 0.7]]))
        assert noisy.dtype == bool
        # Reference output.
        expected = [0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0]
        np.testing.assert_array_equal(noisy, np.array(expected, dtype=bool))

    def test_too_many_flips_leave_class_untouched(self):
        """A column whose flips outnumber the class leaves that class alone."""
        # Column 0 asks for 4 + 4 flips out of 5 examples; column 1 for none.
        matrix = np.array([[0.2, 0.0, 0.0], [0.8, 1.0, 0.0], [0.8, 0.0, 1.0]])
        labels = [0] * 5 + [1] * 5 + [2] * 5
        with pytest.warns(UserWarning, match="first: column 0, which sums to 1.8"):
            noisy = generate_noisy_labels(labels, matrix)
        np.testing.assert_array_equal(noisy, labels)

    def test_empty_labels(self):
        """Empty `true_labels` give an empty result."""
        noisy = generate_noisy_labels(np.array([], dtype=int), NOISE_MATRIX_3)
        assert noisy.shape == (0,)

    def test_flip_counts_follow_matrix(self):
        """Exactly ``trunc(nm[j, k] * n_k)`` examples of class k become j."""
        rng = np.random.default_rng(0)
        true = rng.integers(0, 4, 5000)
        matrix = generate_noise_matrix_from_trace(
            4, 2.8, py=np.bincount(true) / 5000, seed=3
        )
        noisy = generate_noisy_labels(true, matrix)
        counts = np.zeros((4, 4), dtype=int)
        np.add.at(counts, (noisy, true), 1)
        # Same arithmetic as the contract: trunc(nm * (n_k / N) * N).
        expected = (matrix * (np.bincount(true) / 5000) * 5000).astype(int)
        off_diagonal = ~np.eye(4, dtype=bool)
        np.testing.assert_array_equal(counts[off_diagonal], expected[off_diagonal])

    def test_realized_noise_close_to_matrix(self):
        """For large N the realized P(given | true) is close to the matrix."""
        rng = np.random.default_rng(1)
        true = rng.integers(0, 5, 200_000)
        matrix = generate_noise_matrix_from_trace(5, 3.5, py=[0.2] * 5, seed=2)
        noisy = generate_noisy_labels(true, matrix)
        counts = np.zeros((5, 5))
        np.add.at(counts, (noisy, true), 1)
        np.testing.assert_allclose(counts / counts.sum(axis=0), matrix, atol=1e-3)

    @HYPOTHESIS
    @given(
        K=st.integers(2, 6),
        N=st.integers(1, 300),
        seed=st.integers(0, 2**32 - 1),
        dtype=st.sampled_from([np.int64, np.int32, np.uint16, np.float64]),
    )
    def test_keeps_length_dtype_and_input(self, K, N, seed, dtype):
        """Property: same length and dtype, labels in 0..K-1, input unchanged."""
        rng = np.random.RandomState(seed)
        true = rng.randint(0, K, N).astype(dtype)
        original = true.copy()
        matrix = rng.dirichlet(np.ones(K), size=K).T
        noisy = generate_noisy_labels(true, matrix)
        assert noisy.shape == (N,)
        assert noisy.dtype == dtype
        assert noisy.min() >= 0
        assert noisy.max() < K
        np.testing.assert_array_equal(true, original)

    def test_rejects_two_dimensional_labels(self):
        """2-D `true_labels` raise a ValueError naming the argument."""
        with pytest.raises(ValueError, match="`true_labels` must be 1-D"):
            generate_noisy_labels(np.zeros((3, 2), dtype=int), NOISE_MATRIX_3)

    def test_rejects_string_labels(self):
        """String labels raise a TypeError naming `true_labels`."""
        with pytest.raises(TypeError, match="`true_labels` must hold integer"):
            generate_noisy_labels(["a", "b"], np.eye(2))

    def test_rejects_fractional_labels(self):
        """Non-integer float labels raise a ValueError with the first index."""
        with pytest.raises(ValueError, match=r"`true_labels\[1\]` is 0.5"):
            generate_noisy_labels([0.0, 0.5], np.eye(2))

    @pytest.mark.parametrize("bad", [-1, 3])
    def test_rejects_labels_out_of_range(self, bad):
        """Labels outside 0..K-1 raise a ValueError naming `true_labels`."""
        with pytest.raises(ValueError, match=r"class indices in 0\.\.2"):
            generate_noisy_labels([0, 1, 2, bad], NOISE_MATRIX_3)

    def test_rejects_non_square_matrix(self):
        """A non-square `noise_matrix` raises a ValueError."""
        with pytest.raises(ValueError, match="`noise_matrix` must be a square"):
            generate_noisy_labels([0, 1], np.ones((3, 2)))

    def test_rejects_values_outside_unit_interval(self):
        """Entries outside [0, 1] raise a ValueError naming `noise_matrix`."""
        with pytest.raises(ValueError, match="`noise_matrix` entries must be"):
            generate_noisy_labels([0, 1], np.array([[1.2, 0.0], [-0.2, 1.0]]))

    def test_warns_on_columns_not_summing_to_one(self):
        """Columns not summing to 1 give a warning that names the column."""
        matrix = np.array([[0.5, 0.1], [0.1, 0.9]])
        with pytest.warns(UserWarning, match="first: column 0"):
            generate_noisy_labels([0, 1] * 5, matrix)


class TestGenerateNoiseMatrixFromTrace:
    def test_spec_example(self):
        """(3, 2.4, py, seed=1) gives the reference matrix."""
        matrix = generate_noise_matrix_from_trace(3, 2.4, py=PY_3, seed=1)
        np.testing.assert_allclose(matrix, MATRIX_3_SEED_1, atol=1e-6)

    def test_spec_example_with_zero_noise_rates(self):
        """frac_zero_noise_rates=0.5 gives the reference matrix."""
        matrix = generate_noise_matrix_from_trace(
            3, 2.4, py=PY_3, seed=1, frac_zero_noise_rates=0.5
        )
        expected = [
            [0.713983, 0, 0.219055],
            [0.286017, 0.905073, 0],
            [0, 0.094927, 0.780945],
        ]
        np.testing.assert_allclose(matrix, expected, atol=1e-6)

    def test_spec_example_four_classes(self):
        """(4, 3.0, frac_zero_noise_rates=0.75, seed=0) gives the reference."""
        matrix = generate_noise_matrix_from_trace(
            4, 3.0, py=[0.25] * 4, frac_zero_noise_rates=0.75, seed=0
        )
        expected = [
            [0.63463, 0.157094, 0.263822, 0],
            [0.36537, 0.842906, 0, 0],
            [0, 0, 0.736178, 0.213713],
            [0, 0, 0, 0.786287],
        ]
        np.testing.assert_allclose(matrix, expected, atol=1e-6)

    def test_spec_example_two_classes(self):
        """(2, 1.5, seed=0) gives the reference matrix."""
        matrix = generate_noise_matrix_from_trace(2, 1.5, seed=0)
        expected = [[0.581835, 0.081835], [0.418165, 0.918165]]
        np.testing.assert_allclose(matrix, expected, atol=1e-6)

    def test_spec_example_two_classes_with_zero_noise_rate(self):
        """(2, 1.5, frac_zero_noise_rates=0.5, seed=0) gives [[1, .5], [0, .5]]."""
        matrix = generate_noise_matrix_from_trace(
            2, 1.5, frac_zero_noise_rates=0.5, seed=0
        )
        np.testing.assert_array_equal(matrix, [[1, 0.5], [0, 0.5]])

    def test_two_classes_with_zero_noise_rate_rotated(self):
        """The other column can be the noise-free one (reference output)."""
        matrix = generate_noise_matrix_from_trace(
            2, 1.3, frac_zero_noise_rates=0.7, seed=11
        )
        np.testing.assert_allclose(matrix, [[0.3, 0], [0.7, 1]], atol=1e-12)

    def test_two_classes_with_py(self):
        """K = 2 with `py` gives the reference's (valid) matrix."""
        matrix = generate_noise_matrix_from_trace(2, 1.3, py=[0.1, 0.9], seed=11)
        expected = [[0.675747, 0.375747], [0.324253, 0.624253]]  # reference output
        np.testing.assert_allclose(matrix, expected, atol=1e-6)
        assert noise_matrix_is_valid(matrix, [0.1, 0.9])

    def test_spec_example_infeasible_noise_rates(self):
        """A too small `max_noise_rate` raises the reference's error, and names it."""
        with pytest.raises(
            ValueError, match="max_prob must be greater or equal to m / n.*max_noise"
        ):
            generate_noise_matrix_from_trace(
                3, 2.0, py=[0.3, 0.3, 0.4], max_noise_rate=0.2, seed=5
            )

    def test_reference_all_zero_noise_rates(self):
        """frac_zero_noise_rates=1 keeps one noise rate per column (reference)."""
        matrix = generate_noise_matrix_from_trace(
            5, 4.0, py=[0.2] * 5, seed=2, frac_zero_noise_rates=1.0
        )
        expected = [  # reference output
            [0.911357, 0.461186, 0, 0.09054, 0.132136],
            [0, 0.538814, 0, 0, 0],
            [0.088643, 0, 0.772505, 0, 0],
            [0, 0, 0, 0.90946, 0],
            [0, 0, 0.227495, 0, 0.867864],
        ]
        np.testing.assert_allclose(matrix, expected, atol=1e-6)

    def test_reference_all_bounds(self):
        """Bounds on the diagonal and on the noise rates (reference output)."""
        matrix = generate_noise_matrix_from_trace(
            4,
            2.0,
            valid_noise_matrix=False,
            seed=7,
            max_noise_rate=0.6,
            min_noise_rate=0.05,
            max_trace_prob=0.8,
            min_trace_prob=0.2,
        )
        expected = [  # reference output
            [0.440941, 0.266773, 0.083628, 0.124981],
            [0.198868, 0.481136, 0.522432, 0.076054],
            [0.161393, 0.137746, 0.333946, 0.054988],
            [0.198798, 0.114345, 0.059993, 0.743976],
        ]
        np.testing.assert_allclose(matrix, expected, atol=1e-6)

    def test_reference_fifty_classes(self):
        """K = 50 with half the noise rates zero matches the reference."""
        matrix = generate_noise_matrix_from_trace(
            50, 40.0, valid_noise_matrix=False, seed=123, frac_zero_noise_rates=0.5
        )
        # Reference output (first row, first diagonal entries, zero count).
        first_row = [0.672082, 0, 0.023855, 0, 0, 0.000893]
        diagonal = [0.672082, 0.961211, 0.777488, 0.700511, 0.649114, 0.68374]
        np.testing.assert_allclose(matrix[0, :6], first_row, atol=1e-6)
        np.testing.assert_allclose(matrix.diagonal()[:6], diagonal, atol=1e-6)
        assert np.sum(matrix == 0) == 1225
        _assert_noise_matrix(matrix, 50, 40.0)

    def test_does_not_touch_global_rng(self):
        """An int seed draws from a local generator, not NumPy's global one."""
        np.random.seed(0)
        generate_noise_matrix_from_trace(3, 2.4, py=PY_3, seed=1)
        assert np.random.rand() == 0.5488135039273248  # first draw after seed(0)

    def test_random_state_seed_continues_stream(self):
        """A RandomState seed is consumed exactly as the reference's global RNG."""
        random_state = np.random.RandomState(1)
        matrix = generate_noise_matrix_from_trace(3, 2.4, py=PY_3, seed=random_state)
        np.testing.assert_allclose(matrix, MATRIX_3_SEED_1, atol=1e-6)
        # Reference output: np.random.rand() right after the call with seed=1.
        assert random_state.rand() == 0.5245481595728714

    def test_none_seed_draws_from_global_rng(self):
        """`seed=None` draws from NumPy's global generator (reproducible)."""
        np.random.seed(1)
        matrix = generate_noise_matrix_from_trace(3, 2.4, py=PY_3, seed=None)
        np.testing.assert_allclose(matrix, MATRIX_3_SEED_1, atol=1e-6)
        assert np.random.rand() == 0.5245481595728714

    def test_same_seed_same_matrix(self):
        """The output is a deterministic function of the arguments."""
        first = generate_noise_matrix_from_trace(6, 4.0, py=[1 / 6] * 6, seed=9)
        second = generate_noise_matrix_from_trace(6, 4.0, py=[1 / 6] * 6, seed=9)
        np.testing.assert_array_equal(first, second)

    def test_max_iter_below_one_returns_none(self):
        """`max_iter` < 1 returns None."""
        assert generate_noise_matrix_from_trace(3, 2.4, py=PY_3, max_iter=0) is None

    def test_returns_none_when_no_valid_matrix_found(self):
        """None when no candidate in `max_iter` draws is valid."""
        # Reference output: None as well (20 diagonal entries sharing 1.5).
        matrix = generate_noise_matrix_from_trace(
            20,
            1.5154,
            py=np.full(20, 0.05),
            seed=1038439178,
            max_noise_rate=0.333,
            min_noise_rate=0.001,
            max_iter=20,
        )
        assert matrix is None

    @HYPOTHESIS
    @given(
        K=st.integers(2, 8),
        trace_fraction=st.floats(0.2, 0.95),
        frac_zero=st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.8, 1.0]),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_column_stochastic_with_trace(self, K, trace_fraction, frac_zero, seed):
        """Property: columns sum to 1, entries in [0, 1], the trace is as asked."""
        trace = trace_fraction * K
        if K == 2 and frac_zero >= 0.5:
            trace = 1 + trace_fraction
        matrix = generate_noise_matrix_from_trace(
            K,
            trace,
            valid_noise_matrix=False,
            frac_zero_noise_rates=frac_zero,
            seed=seed,
        )
        _assert_noise_matrix(matrix, K, trace)

    @HYPOTHESIS
    @given(
        K=st.integers(3, 8),
        frac_zero=st.floats(0, 1),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_number_of_zero_noise_rates(self, K, frac_zero, seed):
        """Property: int(K(K-1)f) zeros, at most K - 2 per column."""
        matrix = generate_noise_matrix_from_trace(
            K,
            0.7 * K,
            valid_noise_matrix=False,
            frac_zero_noise_rates=frac_zero,
            seed=seed,
        )
        off_diagonal_zeros = (matrix == 0) & ~np.eye(K, dtype=bool)
        expected = min(int(K * (K - 1) * frac_zero), K * (K - 2))
        assert off_diagonal_zeros.sum() == expected
        assert off_diagonal_zeros.sum(axis=0).max() <= K - 2

    @HYPOTHESIS
    @given(
        K=st.integers(2, 7),
        trace_fraction=st.floats(0.6, 0.95),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_valid_when_asked(self, K, trace_fraction, seed):
        """Property: with `valid_noise_matrix`, the result is valid for `py`."""
        py = np.random.RandomState(seed).dirichlet(np.full(K, 5.0))
        trace = max(trace_fraction * K, 1.05)
        matrix = generate_noise_matrix_from_trace(
            K, trace, py=py, seed=seed, max_iter=300
        )
        if matrix is not None:
            _assert_noise_matrix(matrix, K, trace)
            assert noise_matrix_is_valid(matrix, py)

    @HYPOTHESIS
    @given(
        K=st.integers(3, 6),
        seed=st.integers(0, 2**32 - 1),
        max_noise_rate=st.floats(0.55, 1.0),
        min_trace_prob=st.floats(0.0, 0.5),
    )
    def test_bounds_respected(self, K, seed, max_noise_rate, min_trace_prob):
        """Property: diagonal and noise rates stay within their bounds."""
        matrix = generate_noise_matrix_from_trace(
            K,
            0.75 * K,
            valid_noise_matrix=False,
            max_noise_rate=max_noise_rate,
            min_trace_prob=min_trace_prob,
            seed=seed,
        )
        off_diagonal = matrix[~np.eye(K, dtype=bool)]
        assert off_diagonal.max() <= max_noise_rate + 1e-6
        assert matrix.diagonal().min() >= min_trace_prob - 1e-6

    def test_py_not_modified(self):
        """A `py` array passed in is left unchanged."""
        py = np.array(PY_3)
        generate_noise_matrix_from_trace(3, 2.4, py=py, seed=1)
        np.testing.assert_array_equal(py, PY_3)

    def test_rejects_trace_at_most_one_when_valid(self):
        """trace <= 1 with `valid_noise_matrix` keeps the reference's message."""
        with pytest.raises(ValueError, match="trace > 1 is necessary for a valid"):
            generate_noise_matrix_from_trace(3, 1.0, py=PY_3)

    def test_requires_py_when_valid(self):
        """K > 2 with `valid_noise_matrix` and no `py` raises."""
        with pytest.raises(ValueError, match=r"py must be provided \(not None\)"):
            generate_noise_matrix_from_trace(3, 2.0)

    @pytest.mark.parametrize("K", [1, 0, -3])
    def test_rejects_fewer_than_two_classes(self, K):
        """K < 2 raises the reference's message."""
        with pytest.raises(ValueError, match=f"K must be >= 2, but K = {K}."):
            generate_noise_matrix_from_trace(K, 0.5, valid_noise_matrix=False)

    @pytest.mark.parametrize("K", [3.0, "3", True])
    def test_rejects_non_integer_k(self, K):
        """A non-integer `K` raises a TypeError naming it."""
        with pytest.raises(TypeError, match="`K` must be an integer"):
            generate_noise_matrix_from_trace(K, 2.0, py=PY_3)

    def test_rejects_non_numeric_trace(self):
        """A non-numeric `trace` raises a TypeError naming it."""
        with pytest.raises(TypeError, match="`trace` must be a number"):
            generate_noise_matrix_from_trace(3, "2", py=PY_3)

    def test_rejects_nan_trace(self):
        """A NaN `trace` raises a ValueError naming it."""
        with pytest.raises(ValueError, match="`trace` must be finite"):
            generate_noise_matrix_from_trace(3, np.nan, valid_noise_matrix=False)

    def test_rejects_trace_above_k(self):
        """trace > K raises the reference's message, naming `max_trace_prob`."""
        with pytest.raises(
            ValueError, match="max_prob must be greater or equal to m / n.*`trace`"
        ):
            generate_noise_matrix_from_trace(3, 3.5, py=PY_3)

    def test_rejects_trace_below_diagonal_minimum(self):
        """trace < K * min_trace_prob raises, naming `min_trace_prob`."""
        with pytest.raises(
            ValueError, match="min_prob must be less or equal.*`min_trace_prob`"
        ):
            generate_noise_matrix_from_trace(3, 1.2, py=PY_3, min_trace_prob=0.5)

    def test_rejects_two_class_trace_above_two(self):
        """K = 2 with trace > 2 raises (the reference returned garbage)."""
        with pytest.raises(ValueError, match="With K = 2, `trace` must be between"):
            generate_noise_matrix_from_trace(2, 2.5, valid_noise_matrix=False)

    def test_rejects_two_class_zero_noise_trace_below_one(self):
        """K = 2, frac_zero_noise_rates >= 0.5 and trace < 1 raises."""
        with pytest.raises(ValueError, match="`trace` must be between 1 and 2"):
            generate_noise_matrix_from_trace(
                2, 0.5, valid_noise_matrix=False, frac_zero_noise_rates=0.5
            )

    @pytest.mark.parametrize("frac", [-0.1, 1.5])
    def test_rejects_frac_outside_unit_interval(self, frac):
        """`frac_zero_noise_rates` outside [0, 1] raises a ValueError."""
        with pytest.raises(ValueError, match="`frac_zero_noise_rates` must be"):
            generate_noise_matrix_from_trace(
                3, 2.0, py=PY_3, frac_zero_noise_rates=frac
            )

    def test_rejects_py_of_wrong_length(self):
        """A `py` of the wrong length raises a ValueError naming it."""
        with pytest.raises(ValueError, match=r"`py` must have shape \(3,\)"):
            generate_noise_matrix_from_trace(3, 2.0, py=[0.5, 0.5])

    def test_rejects_py_with_zero(self):
        """A class with prior 0 can never be valid: raise instead of looping."""
        with pytest.raises(ValueError, match=r"`py\[2\]` is 0.0"):
            generate_noise_matrix_from_trace(3, 2.0, py=[0.5, 0.5, 0.0])

    def test_rejects_py_not_summing_to_one(self):
        """A `py` not summing to 1 raises instead of returning None slowly."""
        with pytest.raises(ValueError, match="`py` must sum to 1"):
            generate_noise_matrix_from_trace(3, 2.0, py=[0.5, 0.5, 0.5])

    def test_rejects_bad_py_for_two_classes(self):
        """K = 2 honours `py` too: a `py` not summing to 1 raises."""
        with pytest.raises(ValueError, match="`py` must sum to 1"):
            generate_noise_matrix_from_trace(2, 1.5, py=[0.5, 0.6])

    def test_ignores_py_when_validity_not_asked(self):
        """`py` is unused (and unchecked) without `valid_noise_matrix`."""
        matrix = generate_noise_matrix_from_trace(
            2, 1.5, py=[0.5, 0.6], valid_noise_matrix=False, seed=0
        )
        expected = [[0.581835, 0.081835], [0.418165, 0.918165]]
        np.testing.assert_allclose(matrix, expected, atol=1e-6)

    @pytest.mark.parametrize("seed", [1.5, "0", np.random.default_rng(0)])
    def test_rejects_seed_of_wrong_type(self, seed):
        """A seed that is not None, an int or a RandomState raises a TypeError."""
        with pytest.raises(TypeError, match="`seed` must be None, an int or"):
            generate_noise_matrix_from_trace(3, 2.4, py=PY_3, seed=seed)

    def test_rejects_negative_seed(self):
        """A negative seed raises a ValueError naming `seed`."""
        with pytest.raises(ValueError, match="`seed` must be between 0 and"):
            generate_noise_matrix_from_trace(3, 2.4, py=PY_3, seed=-1)

    def test_rejects_non_integer_max_iter(self):
        """A float `max_iter` raises a TypeError naming it."""
        with pytest.raises(TypeError, match="`max_iter` must be an integer"):
            generate_noise_matrix_from_trace(3, 2.4, py=PY_3, max_iter=10.0)


class TestGenerateNRandProbabilitiesThatSumToM:
    def test_spec_example(self):
        """Seeded, (4, 1.0) gives the reference numbers."""
        np.random.seed(0)
        result = generate_n_rand_probabilities_that_sum_to_m(4, 1.0)
        expected = [0.211543, 0.333826, 0.245393, 0.209238]
        np.testing.assert_allclose(result, expected, atol=1e-6)

    def test_spec_example_with_max_prob(self):
        """Seeded, (4, 1.0, max_prob=0.3) gives the reference numbers."""
        np.random.seed(0)
        result = generate_n_rand_probabilities_that_sum_to_m(4, 1.0, max_prob=0.3)
        expected = [0.211543, 0.275879, 0.245393, 0.267185]
        np.testing.assert_allclose(result, expected, atol=1e-6)

    def test_reference_both_bounds(self):
        """Both bounds active: reference numbers and the same RNG consumption."""
        np.random.seed(3)
        result = generate_n_rand_probabilities_that_sum_to_m(
            5, 2.0, max_prob=0.45, min_prob=0.3
        )
        expected = [0.353786, 0.42163, 0.444779, 0.344899, 0.434905]
        np.testing.assert_allclose(result, expected, atol=1e-6)
        assert np.random.rand() == 0.44080984365063647  # reference output

    def test_zero_numbers_use_no_randomness(self):
        """n = 0 gives an empty float array and draws nothing."""
        np.random.seed(0)
        result = generate_n_rand_probabilities_that_sum_to_m(0, 1.0)
        assert result.shape == (0,)
        assert result.dtype == np.float64
        assert np.random.rand() == 0.5488135039273248

    @HYPOTHESIS
    @given(
        n=st.integers(1, 30),
        m=st.floats(0.01, 10),
        slack=st.floats(1.0, 3.0),
        low=st.floats(0.0, 1.0),
    )
    def test_sums_to_m_within_bounds(self, n, m, slack, low):
        """Property: length n, sum m, entries within the bounds."""
        max_prob = min(m, m / n * slack)
        min_prob = m / n * low * 0.99
        result = generate_n_rand_probabilities_that_sum_to_m(
            n, m, max_prob=max_prob, min_prob=min_prob
        )
        assert result.shape == (n,)
        assert result.sum() == pytest.approx(m, rel=1e-9)
        assert result.max() <= max_prob + 1e-6
        assert result.min() >= min_prob - 1e-6

    def test_rejects_max_prob_too_small(self):
        """max_prob < m / n keeps the reference's message prefix."""
        with pytest.raises(
            ValueError, match="max_prob must be greater or equal to m / n, but"
        ):
            generate_n_rand_probabilities_that_sum_to_m(4, 1.0, max_prob=0.2)

    def test_rejects_min_prob_too_large(self):
        """min_prob > m / n keeps the reference's message prefix."""
        with pytest.raises(ValueError, match="min_prob must be less or equal to m"):
            generate_n_rand_probabilities_that_sum_to_m(4, 1.0, min_prob=0.3)

    def test_rejects_negative_n(self):
        """A negative `n` raises a ValueError naming it."""
        with pytest.raises(ValueError, match="`n` must be at least 0"):
            generate_n_rand_probabilities_that_sum_to_m(-1, 1.0)

    def test_rejects_non_integer_n(self):
        """A float `n` raises a TypeError naming it."""
        with pytest.raises(TypeError, match="`n` must be an integer"):
            generate_n_rand_probabilities_that_sum_to_m(2.0, 1.0)

    def test_rejects_infinite_m(self):
        """An infinite `m` raises a ValueError naming it."""
        with pytest.raises(ValueError, match="`m` must be finite"):
            generate_n_rand_probabilities_that_sum_to_m(2, np.inf)


class TestRandomlyDistributeNBallsIntoKBins:
    def test_spec_example(self):
        """Seeded, (10, 4) gives [3, 3, 2, 2]."""
        np.random.seed(0)
        result = randomly_distribute_N_balls_into_K_bins(10, 4)
        np.testing.assert_array_equal(result, [3, 3, 2, 2])
        assert result.dtype == np.int64

    def test_spec_example_no_balls(self):
        """(0, 3) gives [0, 0, 0] without drawing."""
        np.random.seed(0)
        result = randomly_distribute_N_balls_into_K_bins(0, 3)
        np.testing.assert_array_equal(result, [0, 0, 0])
        assert np.random.rand() == 0.5488135039273248

    def test_reference_both_bounds(self):
        """(37, 7, max 6, min 4) matches the reference and its RNG use."""
        np.random.seed(3)
        result = randomly_distribute_N_balls_into_K_bins(
            37, 7, max_balls_per_bin=6, min_balls_per_bin=4
        )
        np.testing.assert_array_equal(result, [5, 5, 5, 5, 5, 6, 6])
        assert np.random.rand() == 0.6491440476147607  # reference output

    def test_rejects_balls_that_do_not_fit(self):
        """max_balls_per_bin * K < N raises (the reference shrank N silently)."""
        with pytest.raises(ValueError, match="`max_balls_per_bin` \\* `K` must be"):
            randomly_distribute_N_balls_into_K_bins(10, 4, max_balls_per_bin=2)

    @HYPOTHESIS
    @given(
        N=st.integers(0, 200),
        K=st.integers(1, 20),
        extra=st.integers(0, 5),
        use_max=st.booleans(),
    )
    def test_counts_sum_to_n(self, N, K, extra, use_max):
        """Property: K non-negative integer counts summing to N, within max."""
        max_balls = -(-N // K) + extra if use_max else None
        result = randomly_distribute_N_balls_into_K_bins(
            N, K, max_balls_per_bin=max_balls
        )
        assert result.shape == (K,)
        assert result.dtype.kind == "i"
        assert result.sum() == N
        assert result.min() >= 0
        if max_balls is not None:
            assert result.max() <= max_balls

    def test_rejects_zero_bins(self):
        """K = 0 raises a ValueError naming `K`."""
        with pytest.raises(ValueError, match="`K` must be at least 1"):
            randomly_distribute_N_balls_into_K_bins(3, 0)

    def test_rejects_negative_balls(self):
        """A negative `N` raises a ValueError naming it."""
        with pytest.raises(ValueError, match="`N` must be at least 0"):
            randomly_distribute_N_balls_into_K_bins(-2, 3)

    def test_rejects_negative_bound(self):
        """A negative `min_balls_per_bin` raises a ValueError naming it."""
        with pytest.raises(ValueError, match="`min_balls_per_bin` must be at least"):
            randomly_distribute_N_balls_into_K_bins(5, 3, min_balls_per_bin=-1)

    def test_rejects_non_numeric_bound(self):
        """A string bound raises a TypeError naming it."""
        with pytest.raises(TypeError, match="`max_balls_per_bin` must be a number"):
            randomly_distribute_N_balls_into_K_bins(5, 3, max_balls_per_bin="2")
