"""Tests of cleanlab.count: thresholds, confident joint, latent estimates, counts."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from helpers import make_noisy
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanlab import count, filter
from cleanlab.internal.errors import PredProbsNormalizationWarning


class TestGetConfidentThresholds:
    def test_worked_example(self, toy):
        """Mean self-confidence per class (spec 1.1): [0.55, 0.625, 0.566667]."""
        labels, pred_probs = toy
        np.testing.assert_allclose(
            count.get_confident_thresholds(labels, pred_probs),
            [0.55, 0.625, 0.5666667],
            atol=1e-6,
        )

    def test_missing_class_gets_two(self, missing_class):
        """A class without examples gets threshold 2.0 (never confident)."""
        labels, pred_probs = missing_class
        np.testing.assert_allclose(
            count.get_confident_thresholds(labels, pred_probs), [0.85, 2.0, 0.475, 2.0]
        )

    def test_lower_bound(self):
        """Thresholds are clipped below at 2e-6."""
        pred_probs = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
        thresholds = count.get_confident_thresholds([1, 0, 0], pred_probs)
        np.testing.assert_allclose(thresholds, [0.5, 2e-6])

    def test_float32_kept(self):
        """float32 input gives float32 thresholds, equal to np.mean per class."""
        labels, pred_probs, _ = make_noisy(dtype=np.float32)
        thresholds = count.get_confident_thresholds(labels, pred_probs)
        assert thresholds.dtype == np.float32
        for k in range(pred_probs.shape[1]):
            assert thresholds[k] == pred_probs[labels == k, k].mean()

    @pytest.mark.parametrize("container", [list, np.array, pd.Series, pd.DataFrame])
    def test_label_containers(self, toy, container):
        """Lists, arrays, Series and one-column DataFrames give the same thresholds."""
        labels, pred_probs = toy
        expected = count.get_confident_thresholds(labels, pred_probs)
        got = count.get_confident_thresholds(container(list(labels)), pred_probs)
        np.testing.assert_array_equal(got, expected)

    def test_multilabel(self):
        """One-vs-rest thresholds: column 0 for 'absent', column 1 for 'present'."""
        labels = [[0], [0, 1], [1], []]
        pred_probs = np.array([[0.8, 0.2], [0.6, 0.6], [0.1, 0.9], [0.3, 0.1]])
        got = count.get_confident_thresholds(labels, pred_probs, multi_label=True)
        # class 0 absent in rows 2, 3: mean(1 - [.1, .3]) = .8; present: mean(.8, .6)
        # class 1 absent in rows 0, 3: mean(1 - [.2, .1]) = .85; present: .75
        np.testing.assert_allclose(got, [[0.8, 0.7], [0.85, 0.75]])


class TestComputeConfidentJoint:
    def test_worked_example_uncalibrated(self, toy):
        """Uncalibrated joint and off-diagonal indices of spec 1.2."""
        labels, pred_probs = toy
        joint, indices = count.compute_confident_joint(
            labels, pred_probs, calibrate=False, return_indices_of_off_diagonals=True
        )
        np.testing.assert_array_equal(joint, [[4, 1, 1], [0, 2, 0], [0, 0, 2]])
        np.testing.assert_array_equal(indices, [4, 5])
        assert joint.dtype == np.int64
        assert indices.dtype == np.int64

    def test_worked_example_calibrated(self, toy):
        """Calibrated joint of spec 1.2: rows sum to the class counts."""
        labels, pred_probs = toy
        joint = count.compute_confident_joint(labels, pred_probs)
        np.testing.assert_array_equal(joint, [[4, 1, 1], [0, 4, 0], [0, 0, 3]])

    def test_missing_class_row(self):
        """A missing class keeps diagonal 1 uncalibrated and a zero row calibrated."""
        pred_probs = np.array(
            [
                [0.9, 0.1, 0],
                [0.8, 0.1, 0.1],
                [0.1, 0, 0.9],
                [0.9, 0, 0.1],
                [0.1, 0.3, 0.6],
                [0.1, 0, 0.9],
                [0.1, 0, 0.9],
                [0.1, 0, 0.9],
            ]
        )
        labels = [0, 0, 0, 0, 2, 2, 2, 2]
        joint = count.compute_confident_joint(labels, pred_probs)
        np.testing.assert_array_equal(joint, [[3, 0, 1], [0, 0, 0], [0, 0, 4]])
        raw = count.compute_confident_joint(labels, pred_probs, calibrate=False)
        assert raw[1, 1] == 1

    def test_tie_goes_to_argmax_over_all(self):
        """Two confident classes: the guess is the argmax of all classes (spec 1.2)."""
        pred_probs = np.array(
            [
                [0.32, 0.36, 0.32],
                [0.1, 0.8, 0.1],
                [0.1, 0.1, 0.8],
                [0.8, 0.1, 0.1],
                [0.1, 0.8, 0.1],
                [0.1, 0.1, 0.8],
            ]
        )
        joint, indices = count.compute_confident_joint(
            [0, 1, 2, 0, 1, 2],
            pred_probs,
            thresholds=[0.3, 0.9, 0.3],
            calibrate=False,
            return_indices_of_off_diagonals=True,
        )
        assert joint[0, 1] == 1
        assert 0 in indices

    def test_thresholds_shape_checked(self, toy):
        """Thresholds of the wrong shape are rejected with a clear message."""
        labels, pred_probs = toy
        match = r"`thresholds` must have one entry per column.*\(3,\)"
        with pytest.raises(ValueError, match=match):
            count.compute_confident_joint(labels, pred_probs, thresholds=[0.5, 0.5])

    def test_off_diagonal_count_matches(self):
        """Off-diagonal indices number sum(cj) - trace(cj) of the raw joint."""
        labels, pred_probs, _ = make_noisy(seed=3)
        joint, indices = count.compute_confident_joint(
            labels, pred_probs, calibrate=False, return_indices_of_off_diagonals=True
        )
        assert len(indices) == joint.sum() - np.trace(joint)

    def test_n_threads_do_not_matter(self):
        """Chunked threaded passes give the same joint for any thread count."""
        from cleanlab.internal.confident_learning import confident_pass

        labels, pred_probs, _ = make_noisy(n=20000, k=7, seed=1, dtype=np.float32)
        one = confident_pass(labels, pred_probs, n_threads=1)
        two = confident_pass(labels, pred_probs, n_threads=3)
        for a, b in zip(one, two, strict=True):
            np.testing.assert_array_equal(a, b)

    def test_multilabel_shape(self):
        """Multi-label joint is (K, 2, 2) with one index array per class."""
        labels = [[0], [0, 1], [1], [], [0, 1], [1]]
        pred_probs = np.array(
            [[0.9, 0.2], [0.7, 0.8], [0.2, 0.9], [0.1, 0.1], [0.8, 0.3], [0.6, 0.7]]
        )
        joint, indices = count.compute_confident_joint(
            labels,
            pred_probs,
            multi_label=True,
            calibrate=False,
            return_indices_of_off_diagonals=True,
        )
        assert joint.shape == (2, 2, 2)
        assert len(indices) == 2
        for k in range(2):
            assert len(indices[k]) == joint[k].sum() - np.trace(joint[k])

    def test_multilabel_requires_list(self):
        """Multi-label labels that are not a list raise the reference's TypeError."""
        with pytest.raises(TypeError, match="must be list when `multi_label=True`"):
            count.compute_confident_joint(
                np.array([0, 1]), np.array([[0.5, 0.5], [0.5, 0.5]]), multi_label=True
            )


class TestCalibrateConfidentJoint:
    def test_float_input(self):
        """Float matrices calibrate too (spec 1.3 examples)."""
        labels = [0, 1, 1, 0]
        got = count.calibrate_confident_joint(
            np.array([[2.5, 1.0], [0.3, 4.2]]), labels
        )
        np.testing.assert_array_equal(got, [[1, 1], [0, 2]])
        got = count.calibrate_confident_joint(np.array([[0, 0], [1, 4]]), labels)
        np.testing.assert_array_equal(got, [[0, 0], [1, 3]])

    def test_caller_matrix_unchanged(self, toy):
        """The caller's matrix is not modified."""
        labels, _ = toy
        joint = np.array([[4, 1, 1], [0, 2, 0], [0, 0, 2]])
        before = joint.copy()
        count.calibrate_confident_joint(joint, labels)
        np.testing.assert_array_equal(joint, before)


class TestEstimateJoint:
    def test_worked_example(self, toy):
        """Normalized calibrated joint of spec 1.4."""
        labels, pred_probs = toy
        expected = np.array([[4, 1, 1], [0, 4, 0], [0, 0, 3]]) / 13
        np.testing.assert_allclose(count.estimate_joint(labels, pred_probs), expected)

    def test_without_labels(self):
        """With only a confident joint it is normalized as given."""
        got = count.estimate_joint(
            None, None, confident_joint=np.array([[3, 1], [1, 5]])
        )
        np.testing.assert_allclose(got, [[0.3, 0.1], [0.1, 0.5]])


class TestNumLabelIssues:
    def test_worked_example(self, toy):
        """Both estimation methods give 2 on the 1.2 data."""
        labels, pred_probs = toy
        assert count.num_label_issues(labels, pred_probs) == 2
        got = count.num_label_issues(
            labels, pred_probs, estimation_method="off_diagonal_calibrated"
        )
        assert got == 2

    def test_methods_differ(self):
        """Binary example of spec 1.5: off_diagonal 2, calibrated 3."""
        p1 = np.array(
            [0.28896, 0.36329, 0.24282, 0.36058, 0.41463, 0.33240, 0.27594, 0.25953]
            + [0.28517]
        )
        pred_probs = np.column_stack([1 - p1, p1])
        labels = [0, 1, 1, 1, 1, 0, 0, 1, 0]
        np.testing.assert_allclose(
            count.get_confident_thresholds(labels, pred_probs),
            [0.704382, 0.328169],
            atol=1e-6,
        )
        assert count.num_label_issues(labels, pred_probs) == 2
        calibrated = count.num_label_issues(
            labels, pred_probs, estimation_method="off_diagonal_calibrated"
        )
        assert calibrated == 3

    def test_returns_numpy_integer(self, toy):
        """The count is a NumPy integer scalar."""
        labels, pred_probs = toy
        assert isinstance(count.num_label_issues(labels, pred_probs), np.integer)

    def test_custom_joint(self, toy):
        """'off_diagonal_custom' uses the given joint: N * (1 - trace) rounded."""
        labels, pred_probs = toy
        joint = np.array([[4, 1, 1], [0, 4, 0], [0, 0, 3]])
        got = count.num_label_issues(
            labels,
            pred_probs,
            confident_joint=joint,
            estimation_method="off_diagonal_custom",
        )
        assert got == 2

    def test_custom_needs_joint(self, toy):
        """'off_diagonal_custom' without a joint raises."""
        labels, pred_probs = toy
        with pytest.raises(ValueError, match="you need to provide pre-calculated"):
            count.num_label_issues(
                labels, pred_probs, estimation_method="off_diagonal_custom"
            )

    def test_unknown_method(self, toy):
        """An unknown estimation method is rejected, listing the valid ones."""
        labels, pred_probs = toy
        with pytest.raises(ValueError, match="nope is not a valid estimation method!"):
            count.num_label_issues(labels, pred_probs, estimation_method="nope")

    def test_joint_ignored_warning(self, toy):
        """A joint passed with the default method is ignored, with a warning."""
        labels, pred_probs = toy
        with pytest.warns(UserWarning, match="off_diagonal_custom"):
            count.num_label_issues(labels, pred_probs, confident_joint=np.eye(3))

    def test_multilabel_counts_union(self):
        """Multi-label: examples with an issue in any class are counted once."""
        labels = [[0], [0, 1], [0, 1], [2], [0, 2, 3]]
        pred_probs = np.array(
            [
                [0.9, 0.1, 0, 0.4],
                [0.7, 0.8, 0.2, 0.3],
                [0.9, 0.8, 0.4, 0.2],
                [0.1, 0.1, 0.8, 0.3],
                [0.4, 0.5, 0.1, 0.1],
            ]
        )
        assert count.num_label_issues(labels, pred_probs, multi_label=True) == 1


class TestEstimateLatent:
    def test_worked_example(self, toy):
        """py, noise matrix and inverse noise matrix of spec 1.6."""
        labels, pred_probs = toy
        joint = count.compute_confident_joint(labels, pred_probs)
        py, nm, inv = count.estimate_latent(joint, labels)
        np.testing.assert_allclose(py, [4 / 13, 5 / 13, 4 / 13], atol=1e-6)
        np.testing.assert_allclose(nm, [[1, 0.2, 0.25], [0, 0.8, 0], [0, 0, 0.75]])
        np.testing.assert_allclose(
            inv, [[2 / 3, 0, 0], [1 / 6, 1, 0], [1 / 6, 0, 1]], atol=1e-6
        )

    def test_missing_class_prior(self, missing_class):
        """Missing classes get a prior of about 1e-6 (spec 1.6)."""
        labels, pred_probs = missing_class
        joint = count.compute_confident_joint(labels, pred_probs)
        py, nm, _ = count.estimate_latent(joint, labels)
        np.testing.assert_allclose(
            py, [0.7499985, 9.99998e-07, 0.2499995, 9.99998e-07], rtol=1e-5
        )
        np.testing.assert_array_equal(nm[:, 1], 0)

    def test_converged_is_consistent(self):
        """With convergence, columns sum to 1 and ps = nm @ py approximately."""
        labels, pred_probs, _ = make_noisy(seed=2)
        py, nm, inv, _ = count.estimate_py_and_noise_matrices_from_probabilities(
            labels, pred_probs
        )
        np.testing.assert_allclose(nm.sum(axis=0), 1)
        np.testing.assert_allclose(inv.sum(axis=0), 1)
        ps = np.bincount(labels) / len(labels)
        np.testing.assert_allclose(nm @ py, ps, atol=0.02)

    def test_bad_py_method(self, toy):
        """An unknown py_method names the allowed values."""
        labels, pred_probs = toy
        with pytest.raises(ValueError, match="py_method"):
            count.estimate_py_and_noise_matrices_from_probabilities(
                labels, pred_probs, py_method="bogus"
            )


class TestValidation:
    def test_nan_rejected(self, toy):
        """NaN in pred_probs raises, naming the argument and the row."""
        labels, pred_probs = toy
        pred_probs = pred_probs.copy()
        pred_probs[3, 1] = np.nan
        with pytest.raises(ValueError, match=r"`pred_probs` contains NaN.*row 3"):
            count.num_label_issues(labels, pred_probs)

    def test_unnormalized_rows_warn(self, toy):
        """Rows not summing to 1 are computed as given, with a warning."""
        labels, pred_probs = toy
        with pytest.warns(PredProbsNormalizationWarning, match="1 of 13 rows"):
            count.compute_confident_joint(
                labels, np.vstack([pred_probs[:-1], [0.5, 0.5, 0.5]])
            )

    def test_label_out_of_range(self, toy):
        """A label >= K raises, naming pred_probs' column count."""
        labels, pred_probs = toy
        labels = labels.copy()
        labels[0] = 3
        with pytest.raises(ValueError, match="must have at least 4 columns"):
            count.num_label_issues(labels, pred_probs)

    def test_integral_float_labels(self, toy):
        """Float labels holding whole numbers work like integers."""
        labels, pred_probs = toy
        assert count.num_label_issues(labels.astype(float), pred_probs) == 2


@st.composite
def problems(draw):
    """Random (labels, pred_probs) with every class present."""
    k = draw(st.integers(2, 6))
    n = draw(st.integers(k, 60))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    labels = np.concatenate([np.arange(k), rng.integers(0, k, n - k)])
    pred_probs = rng.dirichlet(np.ones(k) * 0.7, size=n)
    return labels, pred_probs


@settings(max_examples=60, deadline=None)
@given(problems())
def test_calibrated_rows_match_class_counts(problem):
    """Calibrated joint rows sum to the class counts; the total is N."""
    labels, pred_probs = problem
    joint = count.compute_confident_joint(labels, pred_probs)
    np.testing.assert_array_equal(joint.sum(axis=1), np.bincount(labels))
    assert joint.sum() == len(labels)


@settings(max_examples=60, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_relabelling_classes_permutes_joint(problem, random):
    """Renaming the classes permutes the confident joint the same way."""
    labels, pred_probs = problem
    k = pred_probs.shape[1]
    perm = np.array(random.sample(range(k), k))  # new index of old class c: perm[c]
    joint = count.compute_confident_joint(labels, pred_probs, calibrate=False)
    permuted_probs = np.empty_like(pred_probs)
    permuted_probs[:, perm] = pred_probs
    new = count.compute_confident_joint(perm[labels], permuted_probs, calibrate=False)
    np.testing.assert_array_equal(new[np.ix_(perm, perm)], joint)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_inputs_unchanged(problem):
    """No count function modifies its inputs."""
    labels, pred_probs = problem
    labels_before, probs_before = labels.copy(), pred_probs.copy()
    count.num_label_issues(labels, pred_probs)
    count.estimate_py_and_noise_matrices_from_probabilities(labels, pred_probs)
    np.testing.assert_array_equal(labels, labels_before)
    np.testing.assert_array_equal(pred_probs, probs_before)


class TestCrossValidation:
    """The cross-validation engine behind the X-taking functions (spec 1.8-1.11)."""

    @pytest.fixture
    def blobs(self):
        rng = np.random.default_rng(0)
        labels = np.repeat([0, 1, 2], 30)
        X = rng.normal(size=(90, 2)) + 3 * np.eye(3)[labels][:, :2]
        return X, labels

    def test_pred_probs_out_of_sample(self, blobs):
        """Rows sum to 1; same seed, same result; the confident joint is calibrated."""
        X, labels = blobs
        joint, pred_probs = count.estimate_confident_joint_and_cv_pred_proba(
            X, labels, seed=0
        )
        np.testing.assert_allclose(pred_probs.sum(axis=1), 1)
        np.testing.assert_array_equal(joint.sum(axis=1), [30, 30, 30])
        again = count.estimate_cv_predicted_probabilities(X, labels, seed=0)
        np.testing.assert_array_equal(again, pred_probs)

    @pytest.mark.parametrize(
        "convert",
        [pd.DataFrame, scipy.sparse.csr_matrix],
        ids=["dataframe", "csr"],
    )
    def test_feature_containers(self, blobs, convert):
        """DataFrames and sparse matrices give the same noise matrices as arrays."""
        X, labels = blobs
        dense = count.estimate_noise_matrices(X, labels, seed=1)
        other = count.estimate_noise_matrices(convert(X), labels, seed=1)
        np.testing.assert_allclose(other[0], dense[0])

    def test_missing_class_in_fold_duplicates(self):
        """A class absent from a training fold is copied in, with a warning."""
        X = np.arange(14, dtype=float).reshape(7, 2)
        labels = np.array([0, 0, 0, 1, 1, 1, 2])
        with (
            pytest.warns(UserWarning, match="Duplicated some data"),
            pytest.warns(UserWarning, match="least populated class"),
        ):
            _, pred_probs = count.estimate_confident_joint_and_cv_pred_proba(
                X, labels, cv_n_folds=2, seed=0
            )
        np.testing.assert_array_equal(pred_probs[6], [0, 0, 1])

    def test_unclonable_classifier(self, blobs):
        """A classifier sklearn cannot clone gets a clear error."""
        X, labels = blobs
        with pytest.raises(ValueError, match="must be clonable"):
            count.estimate_cv_predicted_probabilities(X, labels, clf=object())

    def test_validation_func_must_be_callable(self, blobs):
        """A non-callable validation_func raises the reference's TypeError."""
        X, labels = blobs
        with pytest.raises(TypeError, match="validation_func must be callable"):
            count.estimate_cv_predicted_probabilities(X, labels, validation_func=3)

    def test_missing_features(self, blobs):
        """X is required."""
        _, labels = blobs
        with pytest.raises(ValueError, match="X cannot be None"):
            count.estimate_cv_predicted_probabilities(None, labels)


class TestUserConfidentJoint:
    """A confident joint passed in is checked where it enters."""

    @pytest.mark.parametrize(
        ("matrix", "error", "match"),
        [
            ([[1, -1], [0, 2]], ValueError, "finite, non-negative"),
            ([[1, np.nan], [0, 2]], ValueError, "finite, non-negative"),
            ([[1, 0, 0], [0, 2, 0]], ValueError, "square K x K"),
            ([["a", "b"], ["c", "d"]], TypeError, "must hold numbers"),
        ],
    )
    def test_bad_matrix(self, matrix, error, match):
        labels = [0, 0, 1, 1]
        for call in (
            lambda: count.estimate_joint(None, None, confident_joint=matrix),
            lambda: count.calibrate_confident_joint(matrix, labels),
            lambda: count.estimate_latent(matrix, labels),
        ):
            with pytest.raises(error, match=match):
                call()

    def test_find_label_issues_checks_size(self, toy):
        labels, pred_probs = toy
        with pytest.raises(ValueError, match="is 2 x 2 but `pred_probs` has 3"):
            filter.find_label_issues(labels, pred_probs, confident_joint=np.eye(2))
        with pytest.raises(ValueError, match="finite, non-negative"):
            filter.find_label_issues(labels, pred_probs, confident_joint=-np.eye(3))
