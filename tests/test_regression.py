"""Tests of cleanlab.regression (rank and learn) and its internal helpers."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.spatial.distance import euclidean
from sklearn.base import clone, is_regressor
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.neighbors import NearestNeighbors
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

import cleanlab
import cleanlab.internal.outlier as kernels
from cleanlab.internal.errors import MismatchedShapesError
from cleanlab.internal.outlier import euclidean_mean_neighbor_distances
from cleanlab.internal.regression_utils import (
    assert_valid_prediction_inputs,
    assert_valid_regression_inputs,
)
from cleanlab.regression.learn import SKIPPED_R2, CleanLearning, _Rngs
from cleanlab.regression.rank import (
    _get_outre_score_for_each_label,
    _get_residual_score_for_each_label,
    get_label_quality_scores,
)

# Spec 5.1 worked example, and its outre and residual scores.
SPEC_LABELS = [1, 2, 3, 4]
SPEC_PREDICTIONS = [2, 2, 5, 4.1]
SPEC_OUTRE = [0.2162406, 0.62585509, 0.20275104, 0.62585509]
SPEC_RESIDUAL = [0.36787944, 1.0, 0.13533528, 0.90483742]


def sklearn_outre(labels, predictions, metric=None):
    """Spec 5.1 outre, computed with scikit-learn's NearestNeighbors."""
    labels = np.asarray(labels, dtype=float)
    residual = np.asarray(predictions, dtype=float) - labels

    def z(v):
        return (v - v.mean()) / (v.std() + 1e-100)

    features = np.column_stack([z(labels), 5 * z(residual)])
    k = math.ceil(len(labels) / 2)
    if metric is None:
        metric = euclidean if len(labels) <= 100 else "euclidean"
    knn = NearestNeighbors(n_neighbors=k, metric=metric).fit(features)
    avg = knn.kneighbors(features)[0].mean(axis=1)
    scaling = max(np.median(avg), 100 * np.finfo(float).eps)
    scores = np.exp(-avg / max(scaling, 1e-6))
    if metric in ("euclidean", euclidean):
        scores[avg < np.sqrt(100 * np.finfo(float).eps)] = 1
    return scores


def linear_data(n=40, d=2, seed=0, noise=0.1):
    """A linear regression problem with Gaussian noise."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = X @ np.arange(1.0, d + 1) + rng.normal(scale=noise, size=n)
    return X, y


finite_floats = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@st.composite
def label_prediction_pairs(draw, min_size=2, max_size=30):
    n = draw(st.integers(min_size, max_size))
    labels = draw(hnp.arrays(np.float64, n, elements=finite_floats))
    predictions = draw(hnp.arrays(np.float64, n, elements=finite_floats))
    return labels, predictions


# -- rank --------------------------------------------------------------------


class TestGetLabelQualityScores:
    def test_spec_example_outre(self):
        """Spec 5.1 numbers (also checked against scikit-learn below)."""
        scores = get_label_quality_scores(SPEC_LABELS, SPEC_PREDICTIONS)
        np.testing.assert_allclose(scores, SPEC_OUTRE, rtol=1e-7)
        assert scores.dtype == np.float64

    def test_spec_example_residual(self):
        """exp(-|[1, 0, 2, 0.1]|)."""
        scores = get_label_quality_scores(
            SPEC_LABELS, SPEC_PREDICTIONS, method="residual"
        )
        np.testing.assert_allclose(scores, SPEC_RESIDUAL, rtol=1e-7)

    def test_two_examples_outre_is_one(self):
        """k = ceil(2 / 2) = 1: each point's only neighbour is itself."""
        np.testing.assert_array_equal(
            get_label_quality_scores([0.0, 5.0], [3.0, -1.0]), [1.0, 1.0]
        )

    def test_clean_and_bad_parts(self):
        """Spec 5.1: labels 0, predictions 1 on the last quarter -> 1 and 0."""
        labels = np.zeros(20)
        predictions = np.zeros(20)
        predictions[15:] = 1
        scores = get_label_quality_scores(labels, predictions)
        np.testing.assert_allclose(scores[:15], 1)
        np.testing.assert_allclose(scores[15:], 0, atol=1e-12)

    @pytest.mark.parametrize("n", [5, 60, 150])
    def test_matches_sklearn_neighbors(self, n):
        """Both of cleanlab 2.9's Euclidean metrics (scipy's below 101 rows)."""
        rng = np.random.default_rng(n)
        labels = rng.normal(size=n)
        predictions = labels + rng.standard_t(2, size=n)
        np.testing.assert_allclose(
            get_label_quality_scores(labels, predictions),
            sklearn_outre(labels, predictions),
            rtol=1e-7,
        )

    def test_other_neighbor_metric(self):
        """A non-Euclidean metric goes through scikit-learn."""
        rng = np.random.default_rng(1)
        labels, predictions = rng.normal(size=30), rng.normal(size=30)
        np.testing.assert_allclose(
            _get_outre_score_for_each_label(
                labels, predictions, neighbor_metric="manhattan"
            ),
            sklearn_outre(labels, predictions, metric="manhattan"),
        )

    def test_euclidean_callable_uses_exact_kernel(self):
        labels, predictions = linear_data(30)[1], np.zeros(30)
        np.testing.assert_allclose(
            _get_outre_score_for_each_label(
                labels, predictions, neighbor_metric=euclidean
            ),
            _get_outre_score_for_each_label(labels, predictions),
        )

    def test_too_many_neighbours(self):
        with pytest.raises(ValueError, match=r"k=4 cannot exceed .* N=4"):
            _get_outre_score_for_each_label(
                SPEC_LABELS, SPEC_PREDICTIONS, frac_neighbors=1.0
            )

    @pytest.mark.parametrize(
        "labels",
        [
            [1, 2, 3, 4],
            np.array([1, 2, 3, 4], dtype=np.int32),
            np.array([[1.0], [2.0], [3.0], [4.0]]),
            pd.Series([1.0, 2.0, 3.0, 4.0], index=[9, 8, 7, 6]),
        ],
    )
    def test_containers(self, labels):
        """Lists, int arrays, (N, 1) columns and Series give the same scores."""
        np.testing.assert_allclose(
            get_label_quality_scores(labels, SPEC_PREDICTIONS), SPEC_OUTRE, rtol=1e-7
        )

    def test_inputs_unchanged(self):
        labels = np.array([1.0, 2.0, 3.0, 4.0])
        predictions = np.array([2.0, 2.0, 5.0, 4.1])
        copies = labels.copy(), predictions.copy()
        get_label_quality_scores(labels, predictions)
        get_label_quality_scores(labels, predictions, method="residual")
        np.testing.assert_array_equal(labels, copies[0])
        np.testing.assert_array_equal(predictions, copies[1])


class TestRankValidation:
    @pytest.mark.parametrize(
        ("labels", "predictions", "match"),
        [
            ([], [1, 2], "labels cannot be empty array."),
            ([1, 2], [], "predictions cannot be empty array."),
            (
                [[1, 2], [3, 4]],
                [1, 2],
                "Expected 1-Dimensional inputs for labels, got 2 dimensions.",
            ),
            ([5], [1], "Expected 1-Dimensional inputs for labels, got 0 dimensions."),
            ("abc", [1], "Expected 1-Dimensional inputs for labels, got 0"),
            ({1: 2}, [1], "Expected 1-Dimensional inputs for labels, got 0"),
            (
                [1, 2],
                [3],
                "Expected 1-Dimensional inputs for predictions, got 0 dimensions",
            ),
            (
                ["a", "b"],
                [1, 2],
                "Expected labels to contain numeric values, got values of type",
            ),
            (
                [1, 2],
                [True, False],
                "Expected predictions to contain numeric values, got values of "
                "type bool",
            ),
            ([1j, 2], [1, 2], "Complex data not supported: `labels` holds complex"),
            ([np.nan, 1], [1, 2], r"labels cannot contain missing values\. 1 of 2"),
            ([1, 2], [1, np.nan], "predictions cannot contain missing values."),
            ([np.inf, 1], [1, 2], "labels cannot contain infinite values"),
            ([1, 2], [1, -np.inf], r"predictions cannot contain infinite .* index 1"),
        ],
    )
    def test_invalid_inputs(self, labels, predictions, match):
        with pytest.raises(ValueError, match=match):
            get_label_quality_scores(labels, predictions)

    def test_mismatched_shapes(self):
        """Both a ValueError and (as in cleanlab 2.9) an AssertionError."""
        match = r"Number of examples in labels \(3,\) and predictions \(4,\) are not"
        with pytest.raises(MismatchedShapesError, match=match) as info:
            get_label_quality_scores([1, 2, 3], [1, 2, 3, 4])
        assert isinstance(info.value, ValueError)
        assert isinstance(info.value, AssertionError)

    def test_unknown_method(self):
        match = r"Specified method 'other' must be one of: \['residual', 'outre'\]\."
        with pytest.raises(ValueError, match=match):
            get_label_quality_scores([1, 2], [1, 2], method="other")

    def test_labels_checked_before_predictions(self):
        with pytest.raises(ValueError, match="labels cannot be empty"):
            get_label_quality_scores([], [])

    def test_validation_returns_float_copies(self):
        labels = np.array([1, 2, 3])
        checked, _ = assert_valid_prediction_inputs(labels, [1, 2, 3], "outre")
        assert checked.dtype == np.float64
        assert not np.shares_memory(checked, labels)


class TestRankProperties:
    @settings(max_examples=40, deadline=None)
    @given(label_prediction_pairs(), st.sampled_from(["outre", "residual"]))
    def test_scores_in_unit_interval(self, pair, method):
        labels, predictions = pair
        scores = get_label_quality_scores(labels, predictions, method=method)
        assert scores.shape == labels.shape
        assert scores.dtype == np.float64
        assert np.all((scores >= 0) & (scores <= 1))

    @settings(max_examples=40, deadline=None)
    @given(label_prediction_pairs())
    def test_residual_score_decreases_with_residual(self, pair):
        labels, predictions = pair
        scores = get_label_quality_scores(labels, predictions, method="residual")
        order = np.argsort(np.abs(predictions - labels), kind="stable")
        assert np.all(np.diff(scores[order]) <= 0)

    @settings(max_examples=30, deadline=None)
    @given(label_prediction_pairs(min_size=3), st.floats(-100, 100))
    def test_outre_invariant_to_shift(self, pair, shift):
        """Shifting labels and predictions together changes nothing (up to the
        rounding of the shift itself)."""
        labels, predictions = pair
        labels = np.round(labels, 3)
        predictions = np.round(predictions, 3)
        shift = round(shift, 3)
        np.testing.assert_allclose(
            get_label_quality_scores(labels + shift, predictions + shift),
            get_label_quality_scores(labels, predictions),
            atol=1e-6,
        )

    @settings(max_examples=30, deadline=None)
    @given(label_prediction_pairs(min_size=3), st.randoms(use_true_random=False))
    def test_permutation_equivariance(self, pair, random):
        labels, predictions = pair
        perm = np.array(random.sample(range(len(labels)), len(labels)))
        for method in ("outre", "residual"):
            np.testing.assert_allclose(
                get_label_quality_scores(
                    labels[perm], predictions[perm], method=method
                ),
                get_label_quality_scores(labels, predictions, method=method)[perm],
                rtol=1e-9,
                atol=1e-12,
            )

    def test_residual_helper(self):
        np.testing.assert_allclose(
            _get_residual_score_for_each_label(SPEC_LABELS, SPEC_PREDICTIONS),
            SPEC_RESIDUAL,
        )


class TestEuclideanKernel:
    @pytest.mark.parametrize(("n", "k"), [(2, 1), (9, 5), (40, 20), (40, 40)])
    def test_matches_sklearn(self, n, k):
        rng = np.random.default_rng(n)
        features = rng.normal(size=(n, 2))
        features[-1] = features[0]  # an exact copy
        expected = (
            NearestNeighbors(n_neighbors=k)
            .fit(features)
            .kneighbors(features)[0]
            .mean(axis=1)
        )
        np.testing.assert_allclose(
            euclidean_mean_neighbor_distances(features, k), expected, atol=1e-12
        )

    def test_chunks_give_the_same_result(self, monkeypatch):
        """Chunks of a few rows (several threads) equal one chunk of all rows."""
        rng = np.random.default_rng(3)
        features = rng.normal(size=(97, 2))
        whole = euclidean_mean_neighbor_distances(features, 49)
        monkeypatch.setattr(kernels, "DISTANCE_CHUNK_BYTES", 97 * 8 * 5)
        np.testing.assert_allclose(
            euclidean_mean_neighbor_distances(features, 49), whole, rtol=1e-14
        )


# -- learn: construction -----------------------------------------------------


class _NoPredict:
    def fit(self, X, y):
        return self


class _NoFit:
    def predict(self, X):
        return np.zeros(len(X))


# scikit-learn checks this CleanLearning fails, and why.
EXPECTED_FAILED_CHECKS = {
    "check_no_attributes_set_in_init": "the contract initializes label_issues_df, "
    "label_issues_mask and k to None in __init__",
    "check_estimators_overwrite_params": "`model` itself is fitted (users read the "
    "trained model as `.model`)",
    "check_dont_overwrite_parameters": "fit sets the public attributes "
    "label_issues_df, label_issues_mask and k",
    "check_do_not_raise_errors_in_init_or_set_params": "the contract rejects a "
    "model without fit/predict in __init__",
    "check_parameters_default_constructible": "model=None is replaced by "
    "LinearRegression() in __init__",
    "check_supervised_y_2d": "y of shape (N, 1) is squeezed silently, as in "
    "cleanlab 2.9",
    "check_sample_weight_equivalence_on_dense_data": "weights only enter the "
    "final fit; the cross-validation that finds the issues sees every row once",
    "check_sample_weight_equivalence_on_sparse_data": "as on dense data",
}


@parametrize_with_checks(
    [CleanLearning(LinearRegression(), seed=0, cv_n_folds=2, n_boot=1)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_estimator_checks(estimator, check):
    """scikit-learn's estimator checks pass, except those listed (with reasons)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


class TestConstructor:
    def test_defaults(self):
        cl = CleanLearning()
        assert isinstance(cl.model, LinearRegression)
        assert (cl.cv_n_folds, cl.n_boot, cl.seed) == (5, 5, None)
        assert cl.include_aleatoric_uncertainty is True
        assert cl.verbose is False
        assert cl.label_issues_df is None
        assert cl.label_issues_mask is None
        assert cl.k is None

    def test_get_params_and_clone(self):
        cl = CleanLearning(Ridge(alpha=2.0), cv_n_folds=3, n_boot=1, seed=4)
        params = cl.get_params()
        assert params["cv_n_folds"] == 3
        assert params["model__alpha"] == 2.0
        copy = clone(cl)
        assert copy.get_params()["seed"] == 4
        assert copy.model is not cl.model
        assert is_regressor(cl)

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"model": _NoPredict()}, r"The model must define a \.predict\(\) method"),
            ({"model": _NoFit()}, r"The model must define a \.fit\(\) method"),
            ({"n_boot": -1}, "n_boot cannot be a negative value"),
            ({"n_boot": 1.5}, "n_boot cannot be a negative value"),
            ({"cv_n_folds": 1}, "cv_n_folds must be at least 2"),
            ({"cv_n_folds": 2.0}, "cv_n_folds must be at least 2"),
        ],
    )
    def test_invalid(self, kwargs, match):
        with pytest.raises(ValueError, match=match):
            CleanLearning(**kwargs)

    def test_seed_does_not_touch_global_rng(self):
        X, y = linear_data(30)
        before = np.random.get_state()
        cl = CleanLearning(seed=0, cv_n_folds=3, n_boot=2)
        cl.fit(X, y)
        after = np.random.get_state()
        assert before[0] == after[0]
        np.testing.assert_array_equal(before[1], after[1])
        assert before[2:] == after[2:]

    def test_top_level_attribute(self):
        assert cleanlab.regression.learn.CleanLearning is CleanLearning
        assert "regression" in dir(cleanlab)


# -- learn: finding issues ---------------------------------------------------


@pytest.fixture
def gross_errors():
    """Spec 5.2 reference test: 200 x 3 linear problem, 10% gross errors, and a
    clean test set. Returns (X, y, bad indices, X_test, y_test)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + rng.normal(scale=0.2, size=300)
    X_train, X_test, y_train, y_test = X[:200], X[200:], y[:200].copy(), y[200:]
    bad = rng.choice(200, 20, replace=False)
    y_train[bad] += rng.choice([-1, 1], 20) * rng.uniform(5, 10, 20)
    return X_train, y_train, bad, X_test, y_test


class TestFindLabelIssues:
    def test_finds_gross_errors_and_beats_plain_model(self, gross_errors):
        X, y, bad, X_test, y_test = gross_errors
        cl = CleanLearning(seed=0).fit(X, y)
        found = np.flatnonzero(cl.label_issues_mask)
        assert np.isin(bad, found).mean() >= 0.9
        assert cl.score(X_test, y_test) > LinearRegression().fit(X, y).score(
            X_test, y_test
        )

    def test_dataframe_columns(self):
        X, y = linear_data(30)
        issues = CleanLearning(seed=0, cv_n_folds=3, n_boot=2).find_label_issues(X, y)
        assert list(issues.columns) == [
            "is_label_issue",
            "label_quality",
            "given_label",
            "predicted_label",
        ]
        assert issues["is_label_issue"].dtype == bool
        assert issues["label_quality"].dtype == np.float64
        assert isinstance(issues.index, pd.RangeIndex)
        np.testing.assert_array_equal(issues["given_label"], y)
        assert issues["label_quality"].between(0, 1).all()

    def test_three_examples_with_three_folds(self):
        """Spec 5.2: N = 3 works with cv_n_folds=3."""
        X = np.array([[0.0], [1.0], [2.0]])
        y = np.array([0.0, 1.0, 2.5])
        issues = CleanLearning(cv_n_folds=3, seed=0).find_label_issues(X, y)
        assert len(issues) == 3

    def test_three_examples_default_folds(self):
        X = np.array([[0.0], [1.0], [2.0]])
        match = "There are too few examples to conduct 5-fold cross validation"
        with pytest.raises(ValueError, match=match):
            CleanLearning().find_label_issues(X, [0.0, 1.0, 2.0])

    def test_number_of_issues_is_ceil_n_k(self, gross_errors):
        X, y = gross_errors[:2]
        cl = CleanLearning(seed=1, n_boot=1)
        issues = cl.find_label_issues(X, y)
        assert issues["is_label_issue"].sum() == math.ceil(len(y) * cl.k)
        flagged = issues["label_quality"][issues["is_label_issue"]]
        assert flagged.max() <= issues["label_quality"][~issues["is_label_issue"]].min()

    def test_given_uncertainty(self):
        """With a constant uncertainty, quality = exp(-|res| / median |res|)."""
        X, y = linear_data(30)
        cl = CleanLearning(seed=0, cv_n_folds=3)
        for uncertainty in (2.0, np.full(30, 2.0)):
            issues = cl.find_label_issues(X, y, uncertainty=uncertainty)
            residual = np.abs(issues["predicted_label"] - y)
            np.testing.assert_allclose(
                issues["label_quality"], np.exp(-residual / np.median(residual))
            )

    @pytest.mark.parametrize(
        ("uncertainty", "match"),
        [
            (np.ones(5), "If uncertainty is passed in as an array, it must have"),
            (-1.0, "uncertainty must hold non-negative finite numbers"),
            (np.full(30, np.nan), "uncertainty must hold non-negative finite"),
            (np.ones((30, 2)), "uncertainty must be a number or a 1-D array"),
        ],
    )
    def test_invalid_uncertainty(self, uncertainty, match):
        X, y = linear_data(30)
        with pytest.raises(ValueError, match=match):
            CleanLearning().find_label_issues(X, y, uncertainty=uncertainty)

    def test_integer_labels_give_integer_predictions(self):
        X, y = linear_data(30)
        y_int = np.round(y * 10).astype(np.int64)
        issues = CleanLearning(seed=0, cv_n_folds=3, n_boot=1).find_label_issues(
            X, y_int
        )
        assert issues["predicted_label"].dtype.kind == "i"
        assert issues["given_label"].dtype.kind == "i"

    def test_save_space_argument(self):
        X, y = linear_data(30)
        cl = CleanLearning(seed=0, cv_n_folds=3, n_boot=1)
        issues = cl.find_label_issues(X, y, save_space=True)
        assert len(issues) == 30
        assert cl.label_issues_df is None
        assert cl.label_issues_mask is None

    def test_no_uncertainty_parts(self):
        """n_boot=0 and no aleatoric part: the uncertainty is 0, scores still
        in [0, 1]."""
        X, y = linear_data(30)
        cl = CleanLearning(
            seed=0, cv_n_folds=3, n_boot=0, include_aleatoric_uncertainty=False
        )
        issues = cl.find_label_issues(X, y)
        assert issues["label_quality"].between(0, 1).all()

    @pytest.mark.parametrize(
        ("y", "match"),
        [
            ([1.0] * 29 + [np.nan], "y cannot contain missing values."),
            ([1.0] * 29 + [np.inf], "y cannot contain infinite values."),
            ([1.0] * 29, "X and y must have same length."),
            (["a"] * 30, "Expected y to contain numeric values"),
            ([], "y cannot be empty array."),
        ],
    )
    def test_invalid_y(self, y, match):
        X, _ = linear_data(30)
        with pytest.raises(ValueError, match=match):
            CleanLearning().find_label_issues(X, y)

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"coarse_search_range": []}, "coarse_search_range must have at least 1"),
            ({"coarse_search_range": [0.1, 1.5]}, "must hold fractions in"),
            ({"coarse_search_range": ["a"]}, "must hold fractions in"),
            ({"fine_search_size": -1}, "fine_search_size must at least 0"),
            (
                {"coarse_search_range": [0.9]},
                "too few examples to conduct 5-fold cross validation. You can "
                r"either reduce self\.cv_n_folds",
            ),
        ],
    )
    def test_invalid_search(self, kwargs, match):
        X, y = linear_data(30)
        with pytest.raises(ValueError, match=match):
            CleanLearning().find_label_issues(X, y, **kwargs)

    def test_unclonable_model(self):
        class Plain:
            def fit(self, X, y):
                return self

            def predict(self, X):
                return np.zeros(len(X))

        X, y = linear_data(20)
        with pytest.raises(ValueError, match="must be clonable"):
            CleanLearning(Plain()).find_label_issues(X, y)

    def test_model_kwargs_reach_cross_validation(self):
        X, y = linear_data(20)

        class Recording(LinearRegression):
            calls = []

            def fit(self, X, y, sample_weight=None, marker=None):
                Recording.calls.append(marker)
                return super().fit(X, y, sample_weight=sample_weight)

        cl = CleanLearning(Recording(), cv_n_folds=2, n_boot=1, seed=0)
        cl.find_label_issues(X, y, model_kwargs={"marker": "x"})
        # Initial and final CV use the kwargs; search and uncertainty do not.
        assert Recording.calls.count("x") == 4
        assert None in Recording.calls

    def test_dataframe_features(self):
        X, y = linear_data(30)
        frame = pd.DataFrame(X, columns=["a", "b"], index=np.arange(30)[::-1])
        cl = CleanLearning(seed=0, cv_n_folds=3, n_boot=1)
        from_frame = cl.find_label_issues(frame, pd.Series(y, index=frame.index))
        from_array = cl.find_label_issues(X, y)
        pd.testing.assert_frame_equal(from_frame, from_array)

    def test_inputs_unchanged(self):
        X, y = linear_data(30)
        X_copy, y_copy = X.copy(), y.copy()
        CleanLearning(seed=0, cv_n_folds=3, n_boot=1).fit(X, y)
        np.testing.assert_array_equal(X, X_copy)
        np.testing.assert_array_equal(y, y_copy)

    def test_verbose_prints(self, capsys):
        X, y = linear_data(20)
        CleanLearning(seed=0, cv_n_folds=2, n_boot=1, verbose=True).fit(X, y)
        assert "cross validation" in capsys.readouterr().out


class TestFindBestK:
    """The search over fractions, with R^2 replaced by a known function of k."""

    @staticmethod
    def search(coarse, fine_size, r2, n=100, folds=5):
        X, y = linear_data(n)
        cl = CleanLearning(cv_n_folds=folds)
        tried = []

        def fake_r2(X, y, order, k, rngs):
            tried.append(round(float(k), 10))
            return r2(k)

        cl._r2_leaving_out = fake_r2
        best = cl._find_best_k(
            X, y, np.arange(n), np.asarray(coarse, float), fine_size, None
        )
        return best, tried

    def test_fine_grid_on_both_sides(self):
        """Best coarse 0.1: 3 points in (0.05, 0.1) and 3 in (0.1, 0.15)."""
        (k, r2), tried = self.search(
            [0.2, 0.01, 0.1, 0.05, 0.15], 3, lambda k: -((k - 0.12) ** 2)
        )
        assert tried == [
            0.01,
            0.05,
            0.1,
            0.15,
            0.2,
            0.0625,
            0.075,
            0.0875,
            0.1125,
            0.125,
            0.1375,
        ]
        assert k == pytest.approx(0.125)
        assert r2 == pytest.approx(-(0.005**2))

    def test_fine_grid_at_the_ends(self):
        _, tried = self.search([0.01, 0.05, 0.1], 1, lambda k: -k)
        assert tried[3:] == [0.03]  # best is the first: only its right side
        _, tried = self.search([0.01, 0.05, 0.1], 1, lambda k: k)
        assert tried[3:] == [0.075]  # best is the last: only its left side

    def test_coarse_wins_only_when_strictly_better(self):
        (k, _), _ = self.search([0.1, 0.2], 1, lambda k: 1.0)
        assert k == pytest.approx(0.15)  # a tie goes to the fine grid
        (k, _), _ = self.search([0.1, 0.2], 1, lambda k: 1.0 if k == 0.1 else 0.0)
        assert k == pytest.approx(0.1)

    def test_no_fine_search(self):
        (k, r2), tried = self.search([0.1, 0.2, 0.3], 0, lambda k: -abs(k - 0.2))
        assert (k, r2) == (pytest.approx(0.2), 0.0)
        assert tried == [0.1, 0.2, 0.3]

    def test_single_value(self):
        (k, r2), tried = self.search([0.3], 3, lambda k: 0.5)
        assert (k, r2, tried) == (0.3, 0.5, [0.3])

    def test_fractions_leaving_too_few_examples_are_skipped(self):
        """floor(10 * (1 - k)) < 5 folds: R^2 of -1e30, no cross-validation."""
        X, y = linear_data(10)
        cl = CleanLearning()
        no_rngs = _Rngs(None, None)
        assert cl._r2_leaving_out(X, y, np.arange(10), 0.6, no_rngs) == SKIPPED_R2
        assert cl._r2_leaving_out(X, y, np.arange(10), 0.5, no_rngs) > SKIPPED_R2

    def test_k_is_zero_when_leaving_out_does_not_help(self):
        """Exactly linear data: nothing to leave out."""
        X = np.arange(40.0).reshape(-1, 2)
        y = X @ [1.0, 2.0]
        cl = CleanLearning(seed=0, n_boot=1)
        issues = cl.find_label_issues(X, y)
        assert cl.k == 0
        assert not issues["is_label_issue"].any()


class TestSeeds:
    def test_same_seed_same_result(self):
        X, y = linear_data(40, noise=1.0)
        first = CleanLearning(seed=3, cv_n_folds=3, n_boot=2)
        a = first.find_label_issues(X, y)
        b = first.find_label_issues(X, y)
        c = CleanLearning(seed=3, cv_n_folds=3, n_boot=2).find_label_issues(X, y)
        pd.testing.assert_frame_equal(a, b)
        pd.testing.assert_frame_equal(a, c)

    def test_seed_draws_like_the_seeded_global_generator(self):
        """seed=s gives the folds cleanlab 2.9 drew after np.random.seed(s): the
        same result as seed=None after seeding the global generator."""
        X, y = linear_data(40, noise=1.0)
        seeded = CleanLearning(seed=7, cv_n_folds=3, n_boot=2).find_label_issues(X, y)
        np.random.seed(7)
        global_rng = CleanLearning(cv_n_folds=3, n_boot=2).find_label_issues(X, y)
        pd.testing.assert_frame_equal(seeded, global_rng)

    def test_different_seeds_differ(self):
        X, y = linear_data(40, noise=1.0)
        a = CleanLearning(seed=1, cv_n_folds=3, n_boot=2).find_label_issues(X, y)
        b = CleanLearning(seed=2, cv_n_folds=3, n_boot=2).find_label_issues(X, y)
        assert not np.allclose(a["label_quality"], b["label_quality"])

    def test_random_model_is_seeded(self):
        """A model with random_state=None gets one from the seed; the user's
        model keeps None."""
        X, y = linear_data(40, noise=1.0)
        tree = DecisionTreeRegressor(max_features=1, random_state=None)
        a = CleanLearning(tree, seed=0, cv_n_folds=3, n_boot=1).find_label_issues(X, y)
        b = CleanLearning(tree, seed=0, cv_n_folds=3, n_boot=1).find_label_issues(X, y)
        pd.testing.assert_frame_equal(a, b)
        assert tree.random_state is None

    def test_cv_helper_accepts_seed(self):
        X, y = linear_data(20)
        cl = CleanLearning(cv_n_folds=2)
        a = cl._get_cv_predictions(X, y, seed=5)
        b = cl._get_cv_predictions(X, y, seed=np.random.RandomState(5))
        np.testing.assert_array_equal(a, b)
        with pytest.raises(ValueError, match=r"k must be a fraction in \[0, 1\]"):
            cl._get_cv_predictions(X, y, k=1.5)

    def test_held_out_rows_get_mean_prediction(self):
        """With k > 0 the last ceil(N k) rows are predicted by every fold model."""
        X = np.arange(20.0).reshape(-1, 1)
        y = 2 * X.ravel()
        y[-2:] = 100.0
        cl = CleanLearning(cv_n_folds=2)
        predictions = cl._get_cv_predictions(X, y, np.arange(20), 0.1, seed=0)
        np.testing.assert_allclose(predictions, 2 * X.ravel())


class TestUncertainty:
    def test_epistemic(self):
        X, y = linear_data(20, noise=1.0)
        cl = CleanLearning(seed=0, n_boot=3)
        u = cl.get_epistemic_uncertainty(X, y)
        assert u.shape == (20,)
        assert np.all(u >= 0)
        assert np.any(u > 0)
        np.testing.assert_array_equal(
            CleanLearning(n_boot=0).get_epistemic_uncertainty(X, y), np.zeros(20)
        )
        with_predictions = cl.get_epistemic_uncertainty(X, y, predictions=y)
        assert with_predictions.shape == (20,)
        with pytest.raises(ValueError, match="predictions must have the same length"):
            cl.get_epistemic_uncertainty(X, y, predictions=y[:5])

    def test_aleatoric(self):
        X, y = linear_data(20, noise=1.0)
        u = CleanLearning(seed=0).get_aleatoric_uncertainty(X, y)
        assert isinstance(u, float)
        assert u > 0
        with pytest.raises(ValueError, match="y cannot contain missing values"):
            CleanLearning().get_aleatoric_uncertainty(X, np.full(20, np.nan))


# -- learn: fit and friends --------------------------------------------------


class TestFit:
    @pytest.mark.parametrize("kind", ["frame", "ndarray", "series"])
    def test_given_label_issues(self, kind):
        X = np.arange(20.0).reshape(-1, 1)
        y = 3 * X.ravel() + 1
        y[5] = 100.0
        mask = np.zeros(20, dtype=bool)
        mask[5] = True
        label_issues = {
            "frame": pd.DataFrame({"is_label_issue": mask, "given_label": y}),
            "ndarray": mask,
            "series": pd.Series(mask),
        }[kind]
        cl = CleanLearning().fit(X, y, label_issues=label_issues)
        np.testing.assert_array_equal(cl.label_issues_mask, mask)
        assert cl.label_issues_mask.dtype == bool
        np.testing.assert_allclose(cl.model.coef_, [3.0])
        assert "is_label_issue" in cl.get_label_issues()

    @pytest.mark.parametrize(
        ("label_issues", "match"),
        [
            (pd.DataFrame({"x": [True] * 10}), "must contain column: 'is_label_issue'"),
            (
                pd.DataFrame({"is_label_issue": [False] * 9}),
                "label_issues and labels must have same length",
            ),
            (
                pd.DataFrame({"is_label_issue": [False] * 10, "given_label": 0.0}),
                r"labels must match label_issues\['given_label'\]",
            ),
            (
                pd.DataFrame({"is_label_issue": [0] * 10}),
                r"label_issues\['is_label_issue'\] must be boolean",
            ),
            (np.zeros(10), "If label_issues is numpy.array, dtype must be 'bool'."),
            (np.zeros(9, dtype=bool), "label_issues must have same shape as labels"),
            (
                [False] * 10,
                "label_issues must be either pandas.DataFrame, pandas.Series or "
                "numpy.ndarray",
            ),
            (np.ones(10, dtype=bool), "Every example is a label issue"),
        ],
    )
    def test_invalid_label_issues(self, label_issues, match):
        X = np.arange(10.0).reshape(-1, 1)
        with pytest.raises(ValueError, match=match):
            CleanLearning().fit(X, X.ravel() + 1, label_issues=label_issues)

    def test_fit_finds_issues_and_fits_on_the_rest(self, gross_errors):
        X, y = gross_errors[:2]
        cl = CleanLearning(seed=0, n_boot=1)
        assert cl.fit(X, y) is cl
        keep = ~cl.label_issues_mask
        expected = LinearRegression().fit(X[keep], y[keep])
        np.testing.assert_allclose(cl.model.coef_, expected.coef_)
        np.testing.assert_allclose(cl.predict(X[:3]), expected.predict(X[:3]))
        assert cl.n_features_in_ == 3

    def test_find_label_issues_kwargs(self):
        X, y = linear_data(30)
        cl = CleanLearning(seed=0, cv_n_folds=3, n_boot=1)
        cl.fit(X, y, find_label_issues_kwargs={"coarse_search_range": [0.1]})
        assert cl.k in (0, 0.1)

    def test_sample_weight(self):
        X, y = linear_data(30)
        weights = np.linspace(0.5, 2, 30)
        mask = np.zeros(30, dtype=bool)
        mask[:3] = True
        cl = CleanLearning().fit(X, y, label_issues=mask, sample_weight=weights)
        expected = LinearRegression().fit(X[3:], y[3:], sample_weight=weights[3:])
        np.testing.assert_allclose(cl.model.coef_, expected.coef_)

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            (
                {"model_kwargs": {"sample_weight": np.ones(30)}},
                "sample_weight should be provided directly in fit",
            ),
            (
                {"model_final_kwargs": {"sample_weight": np.ones(30)}},
                "sample_weight should be provided directly in fit",
            ),
            (
                {"sample_weight": np.ones(29)},
                "sample_weight must be a 1D array that has the same length as y",
            ),
            (
                {"sample_weight": np.ones((30, 1))},
                "sample_weight must be a 1D array that has the same length as y",
            ),
        ],
    )
    def test_invalid_sample_weight(self, kwargs, match):
        X, y = linear_data(30)
        with pytest.raises(ValueError, match=match):
            CleanLearning().fit(X, y, **kwargs)

    def test_sample_weight_unsupported_by_model(self):
        class NoWeights(LinearRegression):
            def fit(self, X, y):
                return super().fit(X, y)

        X, y = linear_data(30)
        match = "sample_weight must be a supported fit"
        with pytest.raises(ValueError, match=match):
            CleanLearning(NoWeights()).fit(X, y, sample_weight=np.ones(30))

    def test_model_final_kwargs_win(self):
        class Recording(LinearRegression):
            final = []

            def fit(self, X, y, marker=None):
                Recording.final.append(marker)
                return super().fit(X, y)

        X, y = linear_data(20)
        mask = np.zeros(20, dtype=bool)
        CleanLearning(Recording()).fit(
            X,
            y,
            label_issues=mask,
            model_kwargs={"marker": "a"},
            model_final_kwargs={"marker": "b"},
        )
        assert Recording.final == ["b"]

    def test_sparse_features(self):
        """COO matrices (no row indexing) are converted to CSR."""
        import scipy.sparse as sp

        X, y = linear_data(30)
        dense = CleanLearning(seed=0, cv_n_folds=3, n_boot=1).fit(X, y)
        sparse = CleanLearning(seed=0, cv_n_folds=3, n_boot=1).fit(sp.coo_matrix(X), y)
        np.testing.assert_array_equal(dense.label_issues_mask, sparse.label_issues_mask)
        np.testing.assert_allclose(dense.model.coef_, sparse.model.coef_)

    def test_list_features(self):
        X, y = linear_data(20)
        mask = np.zeros(20, dtype=bool)
        mask[0] = True
        cl = CleanLearning().fit(X.tolist(), y.tolist(), label_issues=mask)
        expected = LinearRegression().fit(X[1:], y[1:])
        np.testing.assert_allclose(cl.model.coef_, expected.coef_)


class TestPredictScoreAndState:
    @pytest.fixture
    def fitted(self):
        X = np.arange(10.0).reshape(-1, 1)
        y = 2 * X.ravel()
        return CleanLearning().fit(X, y, label_issues=np.zeros(10, dtype=bool)), X, y

    def test_predict(self, fitted):
        cl, X, _ = fitted
        np.testing.assert_allclose(cl.predict(X), 2 * X.ravel(), atol=1e-12)

    def test_score(self, fitted):
        cl, X, y = fitted
        y_test = y + np.linspace(-1, 1, 10)
        expected = cl.model.score(X, y_test)
        assert cl.score(X, y_test) == pytest.approx(expected)
        weights = np.linspace(1, 2, 10)
        assert cl.score(X, y_test, sample_weight=weights) == pytest.approx(
            cl.model.score(X, y_test, sample_weight=weights)
        )

    def test_score_without_model_score(self):
        class NoScore:
            def __init__(self):
                self.inner = LinearRegression()

            def get_params(self, deep=True):
                return {}

            def fit(self, X, y):
                self.inner.fit(X, y)
                return self

            def predict(self, X):
                return self.inner.predict(X)

        X = np.arange(10.0).reshape(-1, 1)
        cl = CleanLearning(NoScore()).fit(X, 2 * X.ravel(), label_issues=X[:, 0] > 8)
        assert cl.score(X, 2 * X.ravel() + 1) == pytest.approx(
            1 - 10 / np.var(2 * X.ravel()) / 10
        )

    def test_score_weights_not_taken(self, fitted):
        class Unweighted(LinearRegression):
            def score(self, X, y):
                return super().score(X, y)

        _, X, y = fitted
        cl = CleanLearning(Unweighted()).fit(
            X, y, label_issues=np.zeros(10, dtype=bool)
        )
        with pytest.raises(ValueError, match="sample_weight must be a supported score"):
            cl.score(X, y, sample_weight=np.ones(10))

    def test_get_label_issues_before_fit_warns(self):
        with pytest.warns(UserWarning, match="Label issues have not yet been computed"):
            assert CleanLearning().get_label_issues() is None

    def test_save_space(self):
        X, y = linear_data(20)
        cl = CleanLearning(seed=0, cv_n_folds=2, n_boot=1).fit(X, y)
        assert cl.k is not None
        cl.save_space()
        assert (cl.label_issues_df, cl.label_issues_mask, cl.k) == (None, None, None)
        np.testing.assert_allclose(cl.predict(X[:2]), cl.model.predict(X[:2]))


class TestRegressionInputs:
    def test_converts(self):
        X, y = assert_valid_regression_inputs([[1.0], [2.0]], np.array([[3], [4]]))
        assert isinstance(X, list)
        np.testing.assert_array_equal(y, [3, 4])
        frame = pd.DataFrame({"a": [1, 2]})
        assert assert_valid_regression_inputs(frame, [1, 2])[0] is frame

    def test_scalar_features(self):
        with pytest.raises(ValueError, match="`X` must hold one row of features"):
            assert_valid_regression_inputs(np.float64(3), [1.0, 2.0])
