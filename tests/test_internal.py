"""Tests of the shared internals: util, latent algebra, selection, validation."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cleanlab.internal import chunking, latent_algebra, util, validation
from cleanlab.internal.confident_learning import given_label_is_top
from cleanlab.internal.errors import InvalidOptionError
from cleanlab.internal.selection import first_of_argsort, first_of_argsort_rows


class TestUtil:
    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            ([0.5, 0.5, 1.5, 2.5], [0, 0, 2, 3]),
            ([1.2, 1.2, 1.6], [1, 1, 2]),
            ([0.4, 0.4, 0.4, 0.8], [0, 0, 1, 1]),
        ],
    )
    def test_round_preserving_sum(self, values, expected):
        """Spec A.3 examples."""
        np.testing.assert_array_equal(util.round_preserving_sum(values), expected)

    def test_round_preserving_row_totals(self):
        """Each row is rounded to its own rounded total (spec A.3)."""
        got = util.round_preserving_row_totals([[1.4, 1.3, 0.3], [2.5, 0.5, 0.0]])
        np.testing.assert_array_equal(got, [[2, 1, 0], [2, 1, 0]])

    @settings(max_examples=200, deadline=None)
    @given(
        hnp.arrays(
            np.float64,
            hnp.array_shapes(min_dims=2, max_dims=2, max_side=12),
            elements=st.one_of(
                st.floats(0, 500, allow_nan=False),
                st.integers(0, 20).map(lambda h: h / 2),  # exact .5 ties
            ),
        )
    )
    def test_round_preserving_row_totals_matches_each_row(self, matrix):
        """The whole-matrix fast path equals `round_preserving_sum` row by row."""
        expected = np.array([util.round_preserving_sum(row) for row in matrix])
        got = util.round_preserving_row_totals(matrix)
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, expected.reshape(matrix.shape))

    def test_clip_values(self):
        """Clip then rescale to the new sum (spec A.3)."""
        got = util.clip_values([0.5, -0.1, 0.7], low=1e-6, high=1, new_sum=1)
        np.testing.assert_allclose(got, [0.41666632, 8.3333e-07, 0.58333285], atol=1e-8)

    def test_clip_values_rejects_matrix(self):
        """A 2-D input raises the reference's TypeError."""
        with pytest.raises(TypeError, match="only size-1 arrays"):
            util.clip_values(np.ones((2, 2)))

    def test_clip_noise_rates(self):
        """Off-diagonals clipped to 0.9999, columns renormalized (spec A.3)."""
        got = util.clip_noise_rates(np.array([[0.5, 0], [1.2, 0.3]]))
        np.testing.assert_allclose(got, [[0.333356, 0], [0.666644, 1]], atol=1e-6)

    def test_value_counts_fill_missing(self):
        """Absent classes get zero counts; too few classes raise."""
        np.testing.assert_array_equal(
            util.value_counts_fill_missing_classes([0, 0, 2], 4), [2, 0, 1, 0]
        )
        with pytest.raises(ValueError, match="Required: num_classes > max"):
            util.value_counts([0, 3], num_classes=3)

    def test_value_counts_present_only(self):
        """Without num_classes only the classes that occur are counted."""
        np.testing.assert_array_equal(util.value_counts([2, 2, 5]), [2, 1])

    def test_num_classes(self):
        """K comes from pred_probs, then a square matrix, then the labels."""
        assert util.get_num_classes(pred_probs=np.zeros((2, 5))) == 5
        assert util.get_num_classes(labels=[[0, 1], [3]]) == 3
        with pytest.raises(ValueError, match="must be K x K"):
            util.get_num_classes(label_matrix=np.zeros((2, 3)))


class TestLatentAlgebra:
    """Spec A.4: the four relations are mutually consistent."""

    @pytest.fixture
    def setting(self):
        labels = np.array([0] * 10 + [1] * 5 + [2] * 15)
        noise_matrix = np.array([[1, 0, 0.2], [0, 0.7, 0.2], [0, 0.3, 0.6]])
        return labels, noise_matrix

    def test_consistency(self, setting):
        """inv @ ps ~ py and nm @ py ~ ps within 1e-3."""
        labels, noise_matrix = setting
        ps, py, inv = latent_algebra.compute_ps_py_inv_noise_matrix(
            labels, noise_matrix
        )
        np.testing.assert_allclose(inv @ ps, py, atol=1e-3)
        np.testing.assert_allclose(noise_matrix @ py, ps, atol=1e-3)
        back = latent_algebra.compute_noise_matrix_from_inverse(ps, inv, py=py)
        np.testing.assert_allclose(back, noise_matrix, atol=1e-3)

    @pytest.mark.parametrize("method", ["cnt", "eqn", "marginal_ps"])
    def test_py_methods_agree(self, setting, method):
        """Every py method recovers the same prior on consistent inputs."""
        labels, noise_matrix = setting
        ps, py, inv = latent_algebra.compute_ps_py_inv_noise_matrix(
            labels, noise_matrix
        )
        got = latent_algebra.compute_py(ps, noise_matrix, inv, py_method=method)
        np.testing.assert_allclose(got, py, atol=1e-3)

    def test_bad_py_method(self, setting):
        """An unknown method lists the valid ones."""
        labels, noise_matrix = setting
        with pytest.raises(ValueError, match=r"should be in \[cnt, eqn"):
            latent_algebra.compute_py(
                np.ones(3) / 3, noise_matrix, noise_matrix, py_method="x"
            )

    def test_marginal_needs_counts(self, setting):
        """'marginal' without class counts raises."""
        _, noise_matrix = setting
        with pytest.raises(ValueError, match="true_labels_class_counts"):
            latent_algebra.compute_py(
                np.ones(3) / 3, noise_matrix, noise_matrix, py_method="marginal"
            )

    def test_pyx_rows_normalized(self, setting):
        """compute_pyx returns rows summing to 1 and rejects 1-D input."""
        labels, noise_matrix = setting
        _, _, inv = latent_algebra.compute_ps_py_inv_noise_matrix(labels, noise_matrix)
        pred_probs = np.random.default_rng(0).dirichlet(np.ones(3), size=7)
        pyx = latent_algebra.compute_pyx(pred_probs, noise_matrix, inv)
        np.testing.assert_allclose(pyx.sum(axis=1), 1)
        with pytest.raises(ValueError, match=r"should be \(N, K\)"):
            latent_algebra.compute_pyx(pred_probs[0], noise_matrix, inv)


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(
        np.float32,
        st.integers(1, 40),
        elements=st.sampled_from([0.0, 0.25, 0.5, 1.0, 0.3]),
    ),
    st.integers(-2, 45),
)
def test_first_of_argsort_matches_argsort(values, count):
    """The partition shortcut selects exactly the first `count` of np.argsort,
    including when ties straddle the cut."""
    expected = np.sort(np.argsort(values)[: max(count, 0)])
    np.testing.assert_array_equal(first_of_argsort(values, count), expected)


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(
        np.float32,
        st.tuples(st.integers(1, 6), st.integers(1, 30)),
        elements=st.sampled_from([0.0, -0.5, 0.5, 0.25, -1.0]),
    ),
    st.data(),
)
def test_first_of_argsort_rows_matches_argsort(values, data):
    """The row-wise selection equals per-row np.argsort prefixes."""
    counts = np.array(
        data.draw(
            st.lists(st.integers(0, 35), min_size=len(values), max_size=len(values))
        )
    )
    mask = first_of_argsort_rows(values, counts)
    for row, count in enumerate(counts):
        expected = np.zeros(values.shape[1], dtype=bool)
        expected[np.argsort(values[row])[:count]] = True
        np.testing.assert_array_equal(mask[row], expected)


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(
        np.float32,
        st.tuples(st.integers(1, 20), st.integers(2, 5)),
        elements=st.sampled_from([0.0, 0.2, 0.2000005, 0.4, 0.5, 0.3999995]),
    ),
    st.data(),
)
def test_given_label_is_top_matches_copy_and_argmax(pred_probs, data):
    """The copy-free 1e-6 tie rule equals adding 1e-6 to a copy and taking argmax."""
    labels = np.array(
        data.draw(
            st.lists(
                st.integers(0, pred_probs.shape[1] - 1),
                min_size=len(pred_probs),
                max_size=len(pred_probs),
            )
        )
    )
    raised = pred_probs.copy()
    raised[np.arange(len(labels)), labels] += 1e-6
    expected = raised.argmax(axis=1) == labels
    np.testing.assert_array_equal(given_label_is_top(labels, pred_probs), expected)


class TestValidation:
    def test_label_types(self):
        """Tuples are not labels; the message keeps the reference's wording."""
        with pytest.raises(TypeError, match="labels should be a numpy array or pandas"):
            validation.assert_valid_inputs(None, (0, 1), np.eye(2))

    @pytest.mark.parametrize(
        ("labels", "match"),
        [
            (["a", "b"], "Labels cannot be strings"),
            (np.array([0, 1.5]), r"must be zero-indexed integers.*labels\[1\]"),
            (np.array([-1, 1]), "must be positive integers.*index 0"),
            (np.array([1, 1]), "at least 2 classes"),
            (np.zeros((2, 2), dtype=int), "1D"),
            (pd.DataFrame({"a": [0, 1], "b": [1, 0]}), "one dimensional"),
            (np.array([], dtype=int), "empty"),
        ],
    )
    def test_bad_labels(self, labels, match):
        """Each label problem gets its own ValueError naming `labels`."""
        with pytest.raises(ValueError, match=match):
            validation.assert_valid_inputs(None, labels, np.full((2, 2), 0.5))

    def test_missing_classes_not_allowed(self):
        """With allow_missing_classes=False gaps in the class indices raise."""
        with pytest.raises(TypeError, match="zero-indexed integer labels"):
            validation.assert_valid_class_labels([0, 2], allow_missing_classes=False)

    @pytest.mark.parametrize(
        ("pred_probs", "error", "match"),
        [
            ([[0.5, 0.5], [0.5, 0.5]], TypeError, "pred_probs must be a numpy array"),
            (
                np.full(2, 0.5),
                ValueError,
                "must have shape: num_examples x num_classes",
            ),
            (np.full((3, 2), 0.5), ValueError, "must have same length.*3 rows"),
            (np.full((2, 1), 1.0), ValueError, "at least 2 columns"),
            (np.array([[np.inf, 0], [0.5, 0.5]]), ValueError, "NaN or infinite.*row 0"),
            (np.array([[1.5, -0.5], [0.5, 0.5]]), ValueError, "between 0 and 1"),
            (np.array([["a", "b"], ["c", "d"]]), TypeError, "must hold numbers"),
        ],
    )
    def test_bad_pred_probs(self, pred_probs, error, match):
        """Each pred_probs problem names the argument."""
        with pytest.raises(error, match=match):
            validation.assert_valid_inputs(None, [0, 1], pred_probs)

    def test_features_checks(self):
        """Without pred_probs, X must exist, match in length and be indexable."""
        with pytest.raises(ValueError, match="X cannot be None"):
            validation.assert_valid_inputs(None, [0, 1])
        with pytest.raises(ValueError, match="X is length 3 and labels is length 2"):
            validation.assert_valid_inputs(np.zeros((3, 2)), [0, 1])
        with pytest.raises(TypeError, match="list-based indexing"):
            validation.assert_valid_inputs({0: 1, 1: 2}, [0, 1])

    def test_x_and_pred_probs_warns(self):
        """Passing both X and pred_probs warns that X may be ignored."""
        with pytest.warns(UserWarning, match="the former may be ignored"):
            validation.assert_valid_inputs(np.zeros((2, 2)), [0, 1], np.eye(2))

    def test_check_option(self):
        """Unknown options list the allowed values and are AssertionErrors too."""
        with pytest.raises(InvalidOptionError, match="`mode` must be one of 'a', 'b'"):
            validation.check_option("mode", "c", ("a", "b"))
        assert issubclass(InvalidOptionError, AssertionError)

    def test_integral_float_labels_converted(self):
        """Whole-number floats become int64 labels."""
        labels = validation.labels_to_array(np.array([0.0, 2.0]))
        assert labels.dtype == np.int64


class TestRowChunks:
    """`reduce_row_chunks` on the shared thread pool."""

    @staticmethod
    def _sums(chunk):
        return chunk.sum(axis=1)

    def test_same_result_for_any_thread_count(self):
        """Chunk results come back in order, identical for 1, 2 and 5 threads."""
        rng = np.random.default_rng(0)
        array = rng.random((5000, 64), dtype=np.float32)
        results = [
            np.concatenate(
                chunking.reduce_row_chunks(
                    self._sums, array, n_threads=threads, chunk_bytes=10_000
                )
            )
            for threads in (1, 2, 5)
        ]
        for result in results:
            np.testing.assert_array_equal(result, array.sum(axis=1))

    def test_given_executor(self):
        """A caller's executor gives the same chunks, in order, as threads
        started for the call; it stays usable afterwards."""
        rng = np.random.default_rng(2)
        array = rng.random((3000, 16))
        with ThreadPoolExecutor(max_workers=2) as executor:
            for _ in range(3):
                parts = chunking.reduce_row_chunks(
                    self._sums,
                    array,
                    n_threads=3,
                    chunk_bytes=2048,
                    executor=executor,
                )
                np.testing.assert_array_equal(np.concatenate(parts), array.sum(axis=1))

    def test_nested_call(self):
        """A chunk function may itself reduce row chunks on threads."""
        array = np.arange(4000, dtype=np.float64).reshape(1000, 4)

        def inner_total(chunk):
            parts = chunking.reduce_row_chunks(
                self._sums, chunk, n_threads=4, chunk_bytes=256
            )
            return float(np.concatenate(parts).sum())

        parts = chunking.reduce_row_chunks(
            inner_total, array, n_threads=4, chunk_bytes=4096
        )
        assert len(parts) > 1
        assert sum(parts) == array.sum()


class TestCheckProbabilityRowsWith:
    def test_same_checks_and_chunk_results(self):
        """The fused pass counts the same unnormalized rows and returns the
        function's result for every chunk, in order."""
        rng = np.random.default_rng(1)
        pred_probs = rng.dirichlet(np.ones(5), size=3000)
        pred_probs[[7, 2500]] *= 0.5
        num_off, first_off, parts = validation.check_probability_rows_with(
            lambda chunk: chunk.argmax(axis=1), pred_probs, offset=10, n_threads=2
        )
        assert (num_off, first_off) == (2, 17)
        assert (num_off, first_off) == validation.check_probability_rows(
            pred_probs, offset=10
        )
        np.testing.assert_array_equal(np.concatenate(parts), pred_probs.argmax(axis=1))

    def test_raises_on_nan(self):
        pred_probs = np.full((4, 2), 0.5)
        pred_probs[3, 1] = np.nan
        with pytest.raises(ValueError, match="NaN or infinite values in 1 rows"):
            validation.check_probability_rows_with(
                lambda chunk: None, pred_probs, offset=0
            )


class TestLargeMatrixHelpers:
    """The K x K helpers that work in place give the out-of-place results."""

    @settings(max_examples=100, deadline=None)
    @given(
        hnp.arrays(
            np.float64,
            hnp.array_shapes(min_dims=2, max_dims=2, max_side=300),
            elements=st.floats(-1e6, 1e6, allow_nan=False),
        ),
        st.booleans(),
    )
    def test_truncate_in_place(self, floats, fortran_order):
        """Equals ``astype(np.int64)`` (truncation toward zero), for C- and
        Fortran-ordered arrays (the prune counts are a transpose)."""
        if fortran_order:
            floats = np.asfortranarray(floats)
        expected = floats.astype(np.int64)
        result = util.truncate_in_place(floats)
        np.testing.assert_array_equal(result, expected)
        assert np.shares_memory(result, floats)

    @settings(max_examples=100, deadline=None)
    @given(
        hnp.arrays(
            np.float64,
            hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=600),
            elements=st.floats(0, 50, allow_nan=False),
        )
    )
    def test_round_preserving_row_totals_overwrite(self, floats):
        """In place or not, each row is `round_preserving_sum` of its values;
        without `overwrite` the input is left alone."""
        before = floats.copy()
        copied = util.round_preserving_row_totals(floats)
        np.testing.assert_array_equal(floats, before)
        expected = [util.round_preserving_sum(row) for row in before]
        np.testing.assert_array_equal(copied, np.array(expected).reshape(copied.shape))
        in_place = util.round_preserving_row_totals(floats, overwrite=True)
        np.testing.assert_array_equal(in_place, copied)

    @pytest.mark.parametrize("dtype", [np.int64, np.float32, np.float64])
    def test_calibrate_to_class_counts_as_written_out(self, dtype):
        """Bit for bit the formula ``(cj / row_sums * counts) / total * N``
        rounded by rows, whatever the dtype; the input is not modified."""
        from cleanlab.internal.confident_learning import calibrate_to_class_counts

        rng = np.random.default_rng(3)
        joint = rng.integers(0, 9, size=(300, 300)).astype(dtype)
        joint[5] = 0  # a row without counts
        class_counts = rng.integers(0, 40, size=300)
        before = joint.copy()
        row_sums = joint.sum(axis=1)
        row_sums[row_sums == 0] = 1
        calibrated = joint / row_sums[:, None] * class_counts[:, None]
        calibrated = (
            calibrated / max(float(np.sum(calibrated)), 1e-6) * np.sum(class_counts)
        )
        expected = util.round_preserving_row_totals(calibrated)
        result = calibrate_to_class_counts(joint, class_counts)
        np.testing.assert_array_equal(result, expected)
        np.testing.assert_array_equal(joint, before)

    @pytest.mark.parametrize("dtype", [np.int64, np.float16, np.float32])
    def test_calibrating_a_row_without_counts(self, dtype):
        """Hand-checked: row 0 becomes [1, 2], scaled to 7 in all: [2.33, 4.67]
        rounds to [2, 5]; the empty row stays 0 in every dtype (float32 and
        float16 used to give NaN there, hence garbage integers)."""
        from cleanlab.internal.confident_learning import calibrate_to_class_counts

        joint = np.array([[1, 2], [0, 0]], dtype=dtype)
        result = calibrate_to_class_counts(joint, np.array([3, 4]))
        np.testing.assert_array_equal(result, [[2, 5], [0, 0]])

    def test_floor_diagonal_copy_or_not(self):
        from cleanlab.internal.confident_learning import floor_diagonal

        joint = np.array([[0, 2], [3, 5]])
        floored = floor_diagonal(joint)
        np.testing.assert_array_equal(floored, [[1, 2], [3, 5]])
        np.testing.assert_array_equal(joint, [[0, 2], [3, 5]])
        assert floor_diagonal(joint, copy=False) is joint
        np.testing.assert_array_equal(joint, [[1, 2], [3, 5]])
