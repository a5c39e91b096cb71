"""Tests of cleanlab.outlier and its kernels in cleanlab.internal.outlier."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.neighbors import NearestNeighbors

import cleanlab.internal.outlier as kernels
from cleanlab.internal.outlier import (
    correct_duplicate_distances,
    correct_precision_errors,
    cosine_train_neighbors,
    transform_distances_to_scores,
)
from cleanlab.outlier import OutOfDistribution, _get_ood_predictions_scores

# Spec 4.2 worked example: rows 0 and 4 are copies.
SPEC_FEATURES = np.array([[0, 0], [1, 0], [0, 1], [5, 5], [0, 0]])
# Spec 4.3 worked example.
SPEC_PRED_PROBS = np.array(
    [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.6, 0.3, 0.1]]
)
SPEC_LABELS = np.array([0, 1, 2, 0])


def naive_mean_distances(train, k, metric, query=None):
    """Mean distance to the k nearest rows of `train`, by brute force in float64.

    Without `query`, each row of `train` is scored against the other rows, its
    exact copies counting at distance 0; with `query`, every train row counts.
    """
    train = np.asarray(train, dtype=np.float64)
    points = train if query is None else np.asarray(query, dtype=np.float64)
    if metric == "cosine":
        unit = train / np.linalg.norm(train, axis=1, keepdims=True)
        unit_points = points / np.linalg.norm(points, axis=1, keepdims=True)
        dist = np.clip(1 - unit_points @ unit.T, 0, 2)
    else:
        dist = np.linalg.norm(points[:, None, :] - train[None, :, :], axis=2)
    dist[(points[:, None, :] == train[None, :, :]).all(axis=2)] = 0
    if query is None:
        dist[np.arange(len(train)), np.arange(len(train))] = np.inf
    return np.sort(dist, axis=1)[:, :k].mean(axis=1)


def naive_scores(avg, scaling_factor, t=1):
    return np.exp(-t * avg / max(scaling_factor, 1e-6))


def blobs(n, d, seed=0, dtype=np.float64):
    """Three well-separated clusters in d dimensions plus noise."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, d)) * 4
    return (centres[rng.integers(0, 3, n)] + rng.normal(size=(n, d))).astype(dtype)


class TestFeatureScores:
    def test_spec_worked_example(self):
        """Spec 4.2: mean distances [.5, 1, 1, 6.403, .5], median 1."""
        ood = OutOfDistribution(params={"k": 2})
        scores = ood.fit_score(features=SPEC_FEATURES, verbose=False)
        # Row 3's two nearest are (1, 0) and (0, 1), both at sqrt(41): mean
        # 6.403, score exp(-6.403). Rows 0 and 4 are copies: 0 and 1, mean 0.5.
        np.testing.assert_allclose(
            scores,
            [0.60653066, 0.36787944, 0.36787944, 0.00165637, 0.60653066],
            atol=1e-8,
        )
        np.testing.assert_allclose(scores[3], np.exp(-np.sqrt(41)))
        assert ood.params["scaling_factor"] == 1.0
        # A new point at a training point has distance 0 to it and to its copy.
        test_scores = ood.score(features=np.array([[0, 0], [2, 2]]))
        np.testing.assert_allclose(test_scores, [1.0, 0.10687793], atol=1e-8)

    def test_fit_returns_self_and_stores_knn(self):
        ood = OutOfDistribution()
        assert ood.fit(features=SPEC_FEATURES, verbose=False) is ood
        knn = ood.params["knn"]
        assert isinstance(knn, NearestNeighbors)
        assert knn.n_neighbors == 4
        assert ood.params["k"] is None

    def test_default_metric_choice(self):
        """Cosine above 3 columns; sklearn's Euclidean above 100 rows, else scipy's."""
        cases = [
            (blobs(20, 4), "cosine"),
            (blobs(101, 3), "euclidean"),
            (blobs(100, 3), "euclidean"),
        ]
        for features, name in cases:
            ood = OutOfDistribution()
            ood.fit(features=features, verbose=False)
            metric = ood.params["knn"].metric
            assert (metric if isinstance(metric, str) else metric.__name__) == name
        assert callable(ood.params["knn"].metric)

    @pytest.mark.parametrize(("n", "d"), [(60, 8), (150, 2), (40, 3)])
    def test_fit_matches_naive_computation(self, n, d):
        features = blobs(n, d, seed=n)
        features[5] = features[9]  # one pair of exact copies
        metric = "cosine" if d > 3 else "euclidean"
        ood = OutOfDistribution(params={"k": 4})
        scores = ood.fit_score(features=features, verbose=False)
        avg = naive_mean_distances(features, 4, metric)
        sf = np.median(avg)
        np.testing.assert_allclose(ood.params["scaling_factor"], sf, rtol=1e-12)
        np.testing.assert_allclose(scores, naive_scores(avg, sf), rtol=1e-9, atol=1e-12)
        # Scoring new data compares it with every fitted row, itself included.
        query = blobs(7, d, seed=99)
        query[0] = features[3]
        avg_q = naive_mean_distances(features, 4, metric, query=query)
        expected = naive_scores(avg_q, sf)
        expected[0] = 1.0 if avg_q[0] < 1e-7 else expected[0]
        np.testing.assert_allclose(
            ood.score(features=query), expected, rtol=1e-9, atol=1e-12
        )

    def test_all_rows_identical_score_one(self):
        for d in (2, 5):
            scores = OutOfDistribution().fit_score(
                features=np.ones((12, d)), verbose=False
            )
            np.testing.assert_array_equal(scores, np.ones(12))

    def test_float32_distances_equal_sklearn(self):
        """The cosine search gives scikit-learn's float32 distances (to rounding)."""
        features = blobs(300, 16, seed=3, dtype=np.float32)
        features[10:14] = features[20]
        ours, _ = cosine_train_neighbors(features, 6)
        theirs, _ = (
            NearestNeighbors(n_neighbors=6, metric="cosine").fit(features).kneighbors()
        )
        assert ours.dtype == np.float32
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6)

    def test_pruned_search_is_exact(self, monkeypatch):
        """The column-group pruning (used for large N) finds the exact neighbours."""
        features = blobs(500, 6, seed=4)
        features[40:45] = features[7]
        plain, _ = cosine_train_neighbors(features, 5)
        monkeypatch.setattr(kernels, "SMALL_NUM_COLUMNS", 0)
        monkeypatch.setattr(kernels, "COLUMN_GROUP_SIZE", 7)
        monkeypatch.setattr(kernels, "SIMILARITY_CHUNK_BYTES", 500 * 8 * 64)
        monkeypatch.setattr(kernels, "MIN_CHUNK_ROWS", 1)
        pruned, _ = cosine_train_neighbors(features, 5)
        # Other chunk sizes may change the last bit of the matrix product.
        np.testing.assert_allclose(pruned, plain, rtol=0, atol=1e-15)
        theirs, _ = (
            NearestNeighbors(n_neighbors=5, metric="cosine").fit(features).kneighbors()
        )
        np.testing.assert_allclose(pruned, theirs, atol=1e-12)

    def test_score_reuses_training_scaling_factor(self):
        ood = OutOfDistribution(params={"k": 2})
        ood.fit(features=SPEC_FEATURES, verbose=False)
        np.testing.assert_allclose(ood.score(features=np.array([[1, 1]])), [np.exp(-1)])
        assert ood.params["scaling_factor"] == 1.0

    def test_t_sharpens(self):
        ood = OutOfDistribution(params={"k": 2, "t": 3})
        scores = ood.fit_score(features=SPEC_FEATURES, verbose=False)
        np.testing.assert_allclose(scores[1], np.exp(-3))

    def test_verbose_prints(self, capsys):
        OutOfDistribution().fit(features=SPEC_FEATURES)
        assert (
            "Fitting OOD estimator based on provided features"
            in capsys.readouterr().out
        )


class TestUserKnn:
    def test_fitted_knn_queries_with_self(self):
        """A supplied fitted knn: fit_score only scores, each row finding itself."""
        features = blobs(30, 5, seed=1)
        knn = NearestNeighbors(n_neighbors=3, metric="cosine").fit(features)
        ood = OutOfDistribution(params={"knn": knn})
        with pytest.warns(
            UserWarning, match="A KNN estimator has previously already been fit"
        ):
            scores = ood.fit_score(features=features, verbose=False)
        avg = naive_mean_distances(features, 3, "cosine", query=features)
        np.testing.assert_allclose(scores, naive_scores(avg, np.median(avg)), rtol=1e-9)
        assert ood.params["knn"] is knn

    def test_unfitted_knn_is_fit_on_first_features(self):
        features = blobs(25, 2, seed=2)
        knn = NearestNeighbors(n_neighbors=4)
        ood = OutOfDistribution(params={"knn": knn})
        with pytest.warns(UserWarning, match="previously already been fit"):
            scores = ood.fit_score(features=features, verbose=False)
        assert knn.n_features_in_ == 2
        avg = naive_mean_distances(features, 4, "euclidean", query=features)
        np.testing.assert_allclose(scores, naive_scores(avg, np.median(avg)), rtol=1e-9)

    def test_k_above_n_neighbors_is_clamped(self):
        features = blobs(20, 5, seed=5)
        knn = NearestNeighbors(n_neighbors=3, metric="cosine").fit(features)
        ood = OutOfDistribution(params={"knn": knn, "k": 8})
        with pytest.warns(
            UserWarning, match=r"Chosen k=8 cannot be greater than n_neighbors=3"
        ):
            scores = ood.score(features=features)
        avg = naive_mean_distances(features, 3, "cosine", query=features)
        np.testing.assert_allclose(scores, naive_scores(avg, np.median(avg)), rtol=1e-9)

    def test_smaller_k_uses_first_neighbours(self):
        features = blobs(20, 5, seed=6)
        knn = NearestNeighbors(n_neighbors=5, metric="cosine").fit(features)
        ood = OutOfDistribution(params={"knn": knn, "k": 2})
        scores, returned = ood._get_ood_features_scores(features, knn=knn, k=2)
        assert returned is knn
        avg = naive_mean_distances(features, 2, "cosine", query=features)
        np.testing.assert_allclose(scores, naive_scores(avg, np.median(avg)), rtol=1e-9)

    def test_k_zero_means_all_neighbours_when_scoring(self):
        """k=0 is the default k when fitting, and so too when scoring (was NaN)."""
        features = blobs(30, 5, seed=8)
        ood = OutOfDistribution(params={"k": 0})
        ood.fit(features=features, verbose=False)
        default = OutOfDistribution()
        default.fit(features=features, verbose=False)
        query = blobs(6, 5, seed=9)
        np.testing.assert_array_equal(
            ood.score(features=query), default.score(features=query)
        )

    @pytest.mark.parametrize("k", [-1, 2.0, "2"])
    def test_bad_k_with_user_knn(self, k):
        """A negative k used to drop the last neighbours silently."""
        features = blobs(20, 5, seed=10)
        knn = NearestNeighbors(n_neighbors=3, metric="cosine").fit(features)
        ood = OutOfDistribution(params={"knn": knn, "k": k})
        with pytest.raises(
            ValueError, match=r"`params\['k'\]` must be a positive integer"
        ):
            ood.score(features=features)

    def test_features_none_queries_fitted_rows_without_self(self):
        features = blobs(20, 5, seed=7)
        knn = NearestNeighbors(n_neighbors=3, metric="cosine").fit(features)
        scores, _ = OutOfDistribution()._get_ood_features_scores(None, knn=knn)
        avg = naive_mean_distances(features, 3, "cosine")
        np.testing.assert_allclose(scores, naive_scores(avg, np.median(avg)), rtol=1e-9)


class TestPredProbsScores:
    def test_spec_adjusted_examples(self):
        scores, thresholds = _get_ood_predictions_scores(
            SPEC_PRED_PROBS, labels=SPEC_LABELS
        )
        np.testing.assert_allclose(thresholds, [0.65, 0.8, 0.4])
        np.testing.assert_allclose(
            scores, [0.12740509, 0.08919868, 0.07312378, 0.05874092], atol=1e-8
        )
        scores, _ = _get_ood_predictions_scores(
            SPEC_PRED_PROBS, labels=SPEC_LABELS, method="least_confidence"
        )
        np.testing.assert_allclose(
            scores, [0.5483871, 0.51612903, 0.51612903, 0.48387097], atol=1e-8
        )

    def test_spec_unadjusted_examples(self):
        scores, thresholds = _get_ood_predictions_scores(
            SPEC_PRED_PROBS, adjust_pred_probs=False
        )
        assert thresholds is None
        np.testing.assert_allclose(
            scores, [0.2701533, 0.41832813, 0.00884053, 0.18265458], atol=1e-8
        )
        scores, _ = _get_ood_predictions_scores(
            SPEC_PRED_PROBS, adjust_pred_probs=False, method="least_confidence"
        )
        np.testing.assert_array_equal(scores, [0.7, 0.8, 0.4, 0.6])

    def test_gen_uses_probabilities_as_given(self):
        """Row 0: 1 - (.7^.1*.3^.1 + .2^.1*.8^.1 + .1^.1*.9^.1) / 3 = 0.17531331."""
        with pytest.warns(
            UserWarning, match="intended for datasets with at least 4 classes"
        ):
            scores, _ = _get_ood_predictions_scores(
                SPEC_PRED_PROBS, adjust_pred_probs=False, method="gen", M=4
            )
        p = SPEC_PRED_PROBS
        np.testing.assert_allclose(
            scores, 1 - (p**0.1 * (1 - p) ** 0.1).sum(axis=1) / 4
        )
        scores, _ = _get_ood_predictions_scores(
            SPEC_PRED_PROBS, adjust_pred_probs=False, method="gen", M=3
        )
        np.testing.assert_allclose(
            scores, [0.17531331, 0.19848021, 0.1406628, 0.1638297], atol=1e-8
        )

    def test_gen_keeps_the_m_largest(self):
        p = np.array([[0.5, 0.3, 0.15, 0.05]])
        scores, _ = _get_ood_predictions_scores(
            p, adjust_pred_probs=False, method="gen", M=2
        )
        top = np.array([0.5, 0.3])
        np.testing.assert_allclose(
            scores, [1 - (top**0.1 * (1 - top) ** 0.1).sum() / 2]
        )

    def test_fit_then_score_uses_learned_thresholds(self):
        ood = OutOfDistribution()
        assert (
            ood.fit(pred_probs=SPEC_PRED_PROBS, labels=SPEC_LABELS, verbose=False)
            is ood
        )
        np.testing.assert_allclose(ood.params["confident_thresholds"], [0.65, 0.8, 0.4])
        np.testing.assert_allclose(
            ood.score(pred_probs=SPEC_PRED_PROBS),
            [0.12740509, 0.08919868, 0.07312378, 0.05874092],
            atol=1e-8,
        )

    def test_given_thresholds_need_no_labels(self):
        ood = OutOfDistribution(
            params={"confident_thresholds": np.array([0.65, 0.8, 0.4])}
        )
        np.testing.assert_allclose(
            ood.score(pred_probs=SPEC_PRED_PROBS),
            [0.12740509, 0.08919868, 0.07312378, 0.05874092],
            atol=1e-8,
        )

    def test_missing_class_threshold_and_float32(self):
        """A class without examples gets threshold 2.0; float32 scores match float64."""
        p32 = SPEC_PRED_PROBS.astype(np.float32)
        labels = np.array([0, 1, 1, 0])
        s64, t64 = _get_ood_predictions_scores(SPEC_PRED_PROBS, labels=labels)
        s32, t32 = _get_ood_predictions_scores(p32, labels=labels)
        assert t64[2] == 2.0
        assert s32.dtype == np.float64
        np.testing.assert_allclose(s32, s64, atol=1e-6)

    def test_fit_score_without_adjustment_warns(self):
        ood = OutOfDistribution(params={"adjust_pred_probs": False})
        with pytest.warns(UserWarning, match="No estimates need to be be fit"):
            scores = ood.fit_score(pred_probs=SPEC_PRED_PROBS, verbose=False)
        np.testing.assert_allclose(
            scores, [0.2701533, 0.41832813, 0.00884053, 0.18265458], atol=1e-8
        )

    def test_labels_without_adjustment_warn(self):
        with pytest.warns(
            UserWarning, match="OOD scores are not adjusted with confident thresholds"
        ):
            _get_ood_predictions_scores(
                SPEC_PRED_PROBS, labels=SPEC_LABELS, adjust_pred_probs=False
            )

    def test_refit_warns_and_scores(self):
        ood = OutOfDistribution()
        ood.fit(pred_probs=SPEC_PRED_PROBS, labels=SPEC_LABELS, verbose=False)
        with pytest.warns(
            UserWarning, match="Confident thresholds have previously already been fit"
        ):
            scores = ood.fit_score(
                pred_probs=SPEC_PRED_PROBS, labels=SPEC_LABELS, verbose=False
            )
        np.testing.assert_allclose(
            scores, [0.12740509, 0.08919868, 0.07312378, 0.05874092], atol=1e-8
        )

    def test_gen_caution_printed(self, capsys):
        OutOfDistribution(params={"method": "gen"})
        assert capsys.readouterr().out.startswith(
            "CAUTION: GEN method is not recommended for use with adjusted pred_probs."
        )


class TestErrors:
    def test_unknown_params_key(self):
        with pytest.raises(
            ValueError, match=r"Passed in params dict can only contain .*Remove \['K'\]"
        ):
            OutOfDistribution(params={"K": 3})

    @pytest.mark.parametrize("method", ["fit", "fit_score", "score"])
    def test_neither_input(self, method):
        with pytest.raises(
            ValueError, match="Not enough information to compute scores"
        ):
            getattr(OutOfDistribution(), method)()

    @pytest.mark.parametrize("method", ["fit", "fit_score", "score"])
    def test_both_inputs(self, method):
        with pytest.raises(
            ValueError,
            match="Cannot fit to OOD Estimator to both features and pred_probs",
        ):
            getattr(OutOfDistribution(), method)(
                features=SPEC_FEATURES, pred_probs=SPEC_PRED_PROBS
            )

    def test_features_not_2d(self):
        with pytest.raises(
            ValueError,
            match=r"Feature array needs to be of shape \(N, M\).*shape \(5,\)",
        ):
            OutOfDistribution().fit(features=np.ones(5))

    def test_features_with_nan(self):
        features = blobs(10, 4)
        features[6, 1] = np.nan
        with pytest.raises(
            ValueError,
            match=r"contains NaN or infinite values in 1 rows \(first: row 6",
        ):
            OutOfDistribution().fit(features=features, verbose=False)

    def test_features_not_numeric(self):
        with pytest.raises(TypeError, match="`features` must hold numbers"):
            OutOfDistribution().fit(
                features=np.array([["a", "b"], ["c", "d"]]), verbose=False
            )

    def test_score_before_fit(self):
        with pytest.raises(
            ValueError, match="OOD estimator needs to be fit on features first"
        ):
            OutOfDistribution().score(features=SPEC_FEATURES)
        with pytest.raises(
            ValueError,
            match=r"fit on pred_probs first since params\['adjust_pred_probs'\]=True",
        ):
            OutOfDistribution().score(pred_probs=SPEC_PRED_PROBS)

    def test_feature_count_differs_from_fit(self):
        ood = OutOfDistribution().fit(features=blobs(20, 5), verbose=False)
        with pytest.raises(
            ValueError,
            match="`features` has 4 columns, but the OOD estimator was fit on .* 5",
        ):
            ood.score(features=blobs(3, 4))

    def test_k_not_below_n(self):
        with pytest.raises(
            ValueError,
            match=r"nearest neighbors k=5 cannot exceed the number of examples N=5",
        ):
            OutOfDistribution(params={"k": 5}).fit(
                features=SPEC_FEATURES, verbose=False
            )

    def test_k_negative(self):
        with pytest.raises(
            ValueError, match=r"`params\['k'\]` must be a positive integer"
        ):
            OutOfDistribution(params={"k": -1}).fit(
                features=SPEC_FEATURES, verbose=False
            )

    def test_single_row(self):
        with pytest.raises(ValueError, match="`features` must have at least 2 rows"):
            OutOfDistribution().fit(features=np.ones((1, 5)), verbose=False)

    def test_no_knn_no_features(self):
        with pytest.raises(
            ValueError, match="Both knn and features arguments cannot be None"
        ):
            OutOfDistribution()._get_ood_features_scores(None)

    def test_pred_probs_rows_not_summing_to_one(self):
        bad = SPEC_PRED_PROBS.copy()
        bad[2] = [0.3, 0.3, 0.1]
        with pytest.raises(
            ValueError,
            match=r"`pred_probs` rows must sum to 1; 1 of 4 rows do not \(first: row 2",
        ):
            OutOfDistribution().fit(pred_probs=bad, labels=SPEC_LABELS, verbose=False)

    def test_pred_probs_out_of_range(self):
        with pytest.raises(
            ValueError, match="Values in pred_probs must be between 0 and 1"
        ):
            _get_ood_predictions_scores(
                np.array([[1.5, -0.5], [0.5, 0.5]]), adjust_pred_probs=False
            )

    def test_pred_probs_not_array(self):
        with pytest.raises(TypeError, match="pred_probs must be a numpy array"):
            _get_ood_predictions_scores([[0.5, 0.5]], adjust_pred_probs=False)

    def test_adjust_without_labels(self):
        with pytest.raises(
            ValueError, match="Cannot calculate adjust_pred_probs without labels"
        ):
            OutOfDistribution().fit(pred_probs=SPEC_PRED_PROBS, verbose=False)

    def test_labels_one_class(self):
        with pytest.raises(ValueError, match="Labels must contain at least 2 classes"):
            _get_ood_predictions_scores(SPEC_PRED_PROBS, labels=[1, 1, 1, 1])

    def test_labels_wrong_length(self):
        with pytest.raises(
            ValueError, match="pred_probs and labels must have same length"
        ):
            _get_ood_predictions_scores(SPEC_PRED_PROBS, labels=[0, 1, 2])

    def test_labels_not_a_container(self):
        with pytest.raises(TypeError, match="labels should be a numpy array"):
            _get_ood_predictions_scores(SPEC_PRED_PROBS, labels=(0, 1, 2, 0))

    def test_labels_above_columns(self):
        with pytest.raises(ValueError, match="pred_probs must have at least 4 columns"):
            _get_ood_predictions_scores(SPEC_PRED_PROBS, labels=[0, 1, 3, 0])

    def test_labels_checked_with_one_pass(self, monkeypatch):
        """pred_probs are checked once when labels are validated with them."""
        import cleanlab.internal.validation as validation

        calls = []
        original = validation.check_probability_rows

        def counting(*args, **kwargs):
            calls.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(validation, "check_probability_rows", counting)
        _get_ood_predictions_scores(SPEC_PRED_PROBS, labels=SPEC_LABELS)
        assert len(calls) == 1

    def test_labels_unused_with_given_thresholds(self):
        """Given thresholds skip label validation (the labels are not used)."""
        thresholds = np.array([0.65, 0.8, 0.4])
        scores, used = _get_ood_predictions_scores(
            SPEC_PRED_PROBS, labels=[7, 7, 7, 7], confident_thresholds=thresholds
        )
        expected, _ = _get_ood_predictions_scores(
            SPEC_PRED_PROBS, confident_thresholds=thresholds
        )
        np.testing.assert_array_equal(scores, expected)
        assert used is thresholds

    def test_thresholds_wrong_shape(self):
        with pytest.raises(
            ValueError, match=r"`confident_thresholds` must have one entry per column"
        ):
            _get_ood_predictions_scores(
                SPEC_PRED_PROBS, confident_thresholds=np.array([0.5, 0.5])
            )

    def test_unknown_method(self):
        with pytest.raises(
            ValueError,
            match=r"bogus is not a valid OOD scoring method!.*"
            r"\('entropy', 'least_confidence', 'gen'\)",
        ):
            _get_ood_predictions_scores(
                SPEC_PRED_PROBS, adjust_pred_probs=False, method="bogus"
            )

    def test_gen_bad_m(self):
        with pytest.raises(
            ValueError, match=r"`params\['M'\]` must be a positive integer"
        ):
            _get_ood_predictions_scores(
                SPEC_PRED_PROBS, adjust_pred_probs=False, method="gen", M=0
            )

    def test_minkowski_needs_p(self):
        with pytest.raises(
            ValueError,
            match="When metric is 'minkowski' you must specify the 'p' parameter",
        ):
            correct_precision_errors(np.ones(2), np.zeros(2), "minkowski")


class TestKernels:
    def test_transform_distances_to_scores(self):
        np.testing.assert_allclose(
            transform_distances_to_scores(np.array([0.0, 1.0, 2.0]), 2, 2.0),
            np.exp([0, -1, -2]),
        )
        # The scaling factor is at least 1e-6.
        np.testing.assert_allclose(
            transform_distances_to_scores(np.array([1e-6]), 1, 0.0), [np.exp(-1)]
        )

    @pytest.mark.parametrize(
        ("metric", "p", "tiny", "small"),
        [
            ("cosine", None, 1e-14, 2e-14),
            ("euclidean", None, 1.4e-7, 1.6e-7),
            ("minkowski", 1, 2.2e-14, 2.3e-14),
        ],
    )
    def test_correct_precision_errors(self, metric, p, tiny, small):
        scores = np.array([0.5, 0.5])
        out = correct_precision_errors(scores, np.array([tiny, small]), metric, p=p)
        assert out is scores
        np.testing.assert_array_equal(scores, [1.0, 0.5])

    def test_other_metric_unchanged(self):
        scores = np.array([0.5])
        correct_precision_errors(scores, np.array([0.0]), "manhattan")
        np.testing.assert_array_equal(scores, [0.5])

    def test_correct_duplicate_distances(self):
        """Row 0 has copies 2 and 3: two zeros, then its nearest non-copy (1.0)."""
        features = np.array([[0.0], [1.0], [0.0], [0.0], [3.0]])
        distances = np.array(
            [
                [0.0, 1.0, 0.0],
                [1.0, 1.0, 1.0],
                [0.0, 0.0, 1.0],
                [0.0, 0.0, 1.0],
                [2.0, 3.0, 3.0],
            ]
        )
        indices = np.array([[2, 1, 3], [0, 2, 3], [0, 3, 1], [0, 2, 1], [1, 0, 2]])
        out = correct_duplicate_distances(distances, indices, features)
        np.testing.assert_array_equal(out[0], [0.0, 0.0, 1.0])
        np.testing.assert_array_equal(out[[1, 4]], distances[[1, 4]])
        assert distances[0, 1] == 1.0  # input unchanged


finite_features = hnp.arrays(
    np.float64,
    st.tuples(st.integers(3, 25), st.integers(1, 6)),
    elements=st.floats(-10, 10, allow_nan=False).map(lambda x: round(x, 1)),
)


@st.composite
def prob_matrices(draw):
    n = draw(st.integers(2, 20))
    k = draw(st.integers(2, 5))
    raw = draw(hnp.arrays(np.float64, (n, k), elements=st.floats(0.01, 1)))
    labels = np.arange(n) % k
    return raw / raw.sum(axis=1, keepdims=True), labels


class TestProperties:
    @settings(max_examples=40, deadline=None)
    @given(features=finite_features, seed=st.integers(0, 2**32 - 1))
    def test_feature_scores_range_length_and_row_order(self, features, seed):
        original = features.copy()
        scores = OutOfDistribution().fit_score(features=features, verbose=False)
        assert scores.shape == (len(features),)
        assert scores.dtype == np.float64
        assert np.all((scores >= 0) & (scores <= 1))
        np.testing.assert_array_equal(features, original)
        order = np.random.default_rng(seed).permutation(len(features))
        permuted = OutOfDistribution().fit_score(
            features=features[order], verbose=False
        )
        np.testing.assert_allclose(permuted, scores[order], rtol=1e-9, atol=1e-12)

    @pytest.mark.filterwarnings("ignore:GEN with the default")
    @settings(max_examples=40, deadline=None)
    @given(
        data=prob_matrices(),
        method=st.sampled_from(["entropy", "least_confidence", "gen"]),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_pred_probs_scores_range_length_and_row_order(self, data, method, seed):
        pred_probs, labels = data
        original = pred_probs.copy()
        adjust = method != "gen"
        params = {"method": method, "adjust_pred_probs": adjust, "M": 3}
        ood = OutOfDistribution(params=params)
        with (
            pytest.warns(UserWarning, match="No estimates")
            if not adjust
            else _nothing()
        ):
            scores = ood.fit_score(
                pred_probs=pred_probs, labels=labels if adjust else None, verbose=False
            )
        assert scores.shape == (len(pred_probs),)
        assert np.all((scores >= -1e-12) & (scores <= 1 + 1e-12))
        np.testing.assert_array_equal(pred_probs, original)
        order = np.random.default_rng(seed).permutation(len(pred_probs))
        with (
            pytest.warns(UserWarning, match="No estimates")
            if not adjust
            else _nothing()
        ):
            permuted = OutOfDistribution(params=params).fit_score(
                pred_probs=pred_probs[order],
                labels=labels[order] if adjust else None,
                verbose=False,
            )
        np.testing.assert_allclose(permuted, scores[order], rtol=1e-9, atol=1e-12)


class _nothing:
    """Context manager that does nothing (the adjusted path fits without warning)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
