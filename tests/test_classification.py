"""Tests of cleanlab.classification.CleanLearning."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from cleanlab import count, filter
from cleanlab.classification import CleanLearning
from cleanlab.experimental.label_issues_batched import find_label_issues_batched
from cleanlab.internal.errors import TooFewExamplesWarning

# Checks of scikit-learn's estimator suite that CleanLearning cannot pass,
# because the cleanlab 2.9 contract requires the behaviour they reject.
EXPECTED_FAILED_CHECKS = {
    "check_no_attributes_set_in_init": (
        "the contract initializes label_issues_df, noise_matrix, ... to None "
        "in __init__"
    ),
    "check_fit_score_takes_y": "fit's second parameter is named `labels`",
    "check_estimators_overwrite_params": (
        "`clf` itself is fitted (users read the trained model as `.clf`)"
    ),
    "check_dont_overwrite_parameters": (
        "fit sets the public attributes label_issues_df, noise_matrix, ..."
    ),
    "check_parameters_default_constructible": (
        "clf=None is replaced by LogisticRegression() in __init__"
    ),
    "check_do_not_raise_errors_in_init_or_set_params": (
        "the contract rejects a clf without fit/predict_proba/predict in __init__"
    ),
    "check_supervised_y_2d": "labels of shape (N, 1) are rejected, as in cleanlab 2.9",
}


def _noisy_blobs(n=300, k=3, seed=0, noise=0.15):
    """Separable Gaussian blobs with a `noise` fraction of labels shifted by one.

    Returns (X, noisy_labels, true_labels).
    """
    rng = np.random.default_rng(seed)
    true = np.arange(n) % k
    centers = rng.normal(scale=3.0, size=(k, 4))
    X = centers[true] + rng.normal(size=(n, 4))
    labels = true.copy()
    flip = rng.random(n) < noise
    labels[flip] = (true[flip] + 1) % k
    return X, labels, true


class RecordingClassifier:
    """A classifier written from scratch (not scikit-learn): nearest class mean
    with softmax probabilities. Records what its last `fit` received."""

    def __init__(self, temperature=1.0):
        self.temperature = temperature

    def get_params(self, deep=True):
        return {"temperature": self.temperature}

    def set_params(self, **params):
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def fit(self, X, y, sample_weight=None):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        self.fit_X_, self.fit_y_, self.fit_weight_ = X, y, sample_weight
        self.classes_ = np.unique(y)
        self.means_ = np.array([X[y == c].mean(axis=0) for c in self.classes_])
        return self

    def predict_proba(self, X):
        X = np.asarray(X, dtype=float)
        distance = ((X[:, None, :] - self.means_[None]) ** 2).sum(axis=2)
        logits = -distance / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(axis=1, keepdims=True)

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


@pytest.fixture
def blobs():
    return _noisy_blobs()


@parametrize_with_checks(
    [CleanLearning(LogisticRegression(), seed=0)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_estimator_checks(estimator, check):
    """scikit-learn's estimator checks pass, except those listed (with reasons)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


class TestConstructor:
    def test_repr_and_params(self):
        """Arguments are stored unchanged; repr shows the non-defaults."""
        model = CleanLearning(LogisticRegression(), seed=3, verbose=True)
        assert repr(model) == (
            "CleanLearning(clf=LogisticRegression(), seed=3, verbose=True)"
        )
        assert model.get_params()["cv_n_folds"] == 5
        assert model.label_issues_df is None
        assert model.noise_matrix is None

    def test_default_classifier(self):
        model = CleanLearning()
        assert isinstance(model.clf, LogisticRegression)
        assert model._default_clf

    def test_no_warnings_and_no_global_rng(self):
        """Construction emits no warning and never reseeds NumPy's global RNG."""
        state = np.random.get_state()[1].copy()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            CleanLearning(seed=42)
        np.testing.assert_array_equal(np.random.get_state()[1], state)

    @pytest.mark.parametrize("method", ["fit", "predict_proba", "predict"])
    def test_classifier_without_method(self, method):
        class Incomplete:
            pass

        for name in ("fit", "predict_proba", "predict"):
            if name != method:
                setattr(Incomplete, name, lambda self, *a: None)
        with pytest.raises(ValueError, match=rf"must define a \.{method}\(\) method"):
            CleanLearning(Incomplete())

    def test_clone_round_trip(self):
        model = CleanLearning(LogisticRegression(C=2.0), seed=1, cv_n_folds=3)
        copy = clone(model)
        assert copy.get_params()["cv_n_folds"] == 3
        assert copy.clf.C == 2.0
        assert copy.clf is not model.clf
        copy.set_params(seed=5)
        assert copy.seed == 5
        assert model.seed == 1


class TestFindLabelIssues:
    def test_matches_filter_with_pred_probs(self, blobs):
        """With pred_probs, the mask is filter.find_label_issues' with the
        calibrated confident joint and min_examples_per_class=10 (spec 5.3)."""
        X, labels, _ = blobs
        pred_probs = count.estimate_cv_predicted_probabilities(X, labels, seed=0)
        found = CleanLearning().find_label_issues(labels=labels, pred_probs=pred_probs)
        expected = filter.find_label_issues(
            labels,
            pred_probs,
            confident_joint=count.compute_confident_joint(labels, pred_probs),
            min_examples_per_class=10,
        )
        np.testing.assert_array_equal(found["is_label_issue"].to_numpy(), expected)
        assert list(found.columns) == [
            "is_label_issue",
            "label_quality",
            "given_label",
            "predicted_label",
        ]
        assert found["given_label"].dtype == np.int16

    def test_cross_validation_matches_count(self, blobs):
        """Without pred_probs, the folds are those of the count CV functions."""
        X, labels, _ = blobs
        model = CleanLearning(seed=0)
        found = model.find_label_issues(X, labels)
        py, nm, inv, cj, pred_probs = (
            count.estimate_py_noise_matrices_and_cv_pred_proba(X, labels, seed=0)
        )
        np.testing.assert_array_equal(model.confident_joint, cj)
        np.testing.assert_allclose(model.noise_matrix, nm)
        np.testing.assert_allclose(model.py, py)
        expected = filter.find_label_issues(
            labels, pred_probs, confident_joint=cj, min_examples_per_class=10
        )
        np.testing.assert_array_equal(found["is_label_issue"].to_numpy(), expected)
        assert isinstance(model.label_issues_mask, np.ndarray)

    def test_finds_flipped_labels(self, blobs):
        """Most flagged examples really are flipped (blobs are separable)."""
        X, labels, true = blobs
        found = CleanLearning(seed=0).find_label_issues(X, labels)
        flagged = found["is_label_issue"].to_numpy()
        assert flagged.sum() > 20
        assert np.mean(labels[flagged] != true[flagged]) > 0.85

    def test_missing_class(self, missing_class):
        """Labels [0, 0, 2, 2] with K=4 pred_probs flag only the last (spec 5.3)."""
        labels, pred_probs = missing_class
        found = CleanLearning(
            find_label_issues_kwargs={"min_examples_per_class": 0}
        ).find_label_issues(labels=labels, pred_probs=pred_probs)
        np.testing.assert_array_equal(
            found["is_label_issue"].to_numpy(), [False, False, False, True]
        )

    def test_kwargs_not_mutated_and_no_leak(self, blobs):
        """The kwargs dict is left as given; a second call does not reuse the
        first call's confident joint."""
        X, labels, _ = blobs
        kwargs = {"filter_by": "prune_by_class"}
        model = CleanLearning(seed=0, find_label_issues_kwargs=kwargs)
        model.find_label_issues(X, labels)
        assert kwargs == {"filter_by": "prune_by_class"}
        assert model.find_label_issues_kwargs is kwargs
        X2, labels2, _ = _noisy_blobs(seed=1)
        second = model.find_label_issues(X2, labels2)
        fresh = CleanLearning(seed=0, find_label_issues_kwargs=kwargs)
        np.testing.assert_array_equal(
            second["is_label_issue"],
            fresh.find_label_issues(X2, labels2)["is_label_issue"],
        )

    def test_user_noise_matrix_kept(self, blobs):
        """A noise matrix passed with a confident joint in the kwargs is kept."""
        X, labels, _ = blobs
        pred_probs = count.estimate_cv_predicted_probabilities(X, labels, seed=0)
        cj = count.compute_confident_joint(labels, pred_probs)
        noise_matrix = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
        model = CleanLearning(find_label_issues_kwargs={"confident_joint": cj})
        model.find_label_issues(
            labels=labels, pred_probs=pred_probs, noise_matrix=noise_matrix
        )
        np.testing.assert_array_equal(model.noise_matrix, noise_matrix)
        np.testing.assert_array_equal(model.confident_joint, cj)

    def test_pulearning_copies_matrices(self):
        """PU learning edits copies, never the caller's noise matrix."""
        X, labels, _ = _noisy_blobs(k=2)
        noise_matrix = np.array([[0.9, 0.2], [0.1, 0.8]])
        before = noise_matrix.copy()
        model = CleanLearning(seed=0, pulearning=1)
        model.find_label_issues(X, labels, noise_matrix=noise_matrix)
        np.testing.assert_array_equal(noise_matrix, before)
        assert model.noise_matrix[1, 0] == 0
        assert model.noise_matrix[0, 0] == 1
        assert model.confident_joint[1, 0] == 0

    def test_low_memory(self, blobs):
        """low_memory uses find_label_issues_batched and keeps no noise estimates."""
        X, labels, _ = blobs
        pred_probs = count.estimate_cv_predicted_probabilities(X, labels, seed=0)
        model = CleanLearning(low_memory=True)
        with pytest.warns(UserWarning, match="`thresholds` is not used"):
            found = model.find_label_issues(
                labels=labels, pred_probs=pred_probs, thresholds=[0.5] * 3
            )
        expected = find_label_issues_batched(
            labels, pred_probs, return_mask=True, verbose=False
        )
        np.testing.assert_array_equal(found["is_label_issue"].to_numpy(), expected)
        assert model.noise_matrix is None
        assert model.confident_joint is None

    def test_save_space_flag(self, blobs):
        X, labels, _ = blobs
        model = CleanLearning(seed=0)
        found = model.find_label_issues(X, labels, save_space=True)
        assert len(found) == len(labels)
        assert model.label_issues_df is None

    def test_verbose_progress(self, blobs, capsys):
        """verbose prints progress and shows a bar over the folds."""
        X, labels, _ = blobs
        CleanLearning(seed=0, verbose=True).find_label_issues(X, labels)
        captured = capsys.readouterr()
        assert "5-fold cross validation" in captured.out
        assert "Cross-validation folds" in captured.err

    def test_silent_by_default(self, blobs, capsys):
        X, labels, _ = blobs
        CleanLearning(seed=0).fit(X, labels)
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == ""


class TestInputs:
    def test_string_labels(self, blobs):
        """String labels give the same issues, and predict returns strings."""
        X, labels, _ = blobs
        names = np.array(["cat", "dog", "emu"])
        as_index = CleanLearning(seed=0).fit(X, labels)
        as_names = CleanLearning(seed=0).fit(X, names[labels])
        np.testing.assert_array_equal(
            as_names.label_issues_mask, as_index.label_issues_mask
        )
        np.testing.assert_array_equal(
            as_names.predict(X[:20]), names[as_index.predict(X[:20])]
        )
        np.testing.assert_array_equal(as_names.classes_, names)
        issues = as_names.get_label_issues()
        assert set(issues["given_label"]) == set(names)
        assert as_names.score(X, names[labels]) == pytest.approx(
            as_index.score(X, labels)
        )

    def test_non_contiguous_labels(self, blobs):
        """Labels [3, 7, 9] are encoded and predicted back as 3, 7, 9."""
        X, labels, _ = blobs
        values = np.array([3, 7, 9])
        model = CleanLearning(seed=0).fit(X, values[labels])
        reference = CleanLearning(seed=0).fit(X, labels)
        np.testing.assert_array_equal(
            model.label_issues_mask, reference.label_issues_mask
        )
        assert set(model.predict(X)) <= {3, 7, 9}

    def test_pandas_inputs(self, blobs):
        """DataFrame X keeps its index in the final fit; Series labels work."""
        X, labels, _ = blobs
        frame = pd.DataFrame(X, index=np.arange(len(X)) * 10)
        series = pd.Series(labels, index=frame.index)
        clf = RecordingClassifier()
        model = CleanLearning(clf, seed=0).fit(frame, series)
        model_np = CleanLearning(RecordingClassifier(), seed=0).fit(X, labels)
        np.testing.assert_array_equal(
            model.label_issues_mask, model_np.label_issues_mask
        )
        assert len(clf.fit_y_) == (~model.label_issues_mask).sum()

    def test_sparse_features(self, blobs):
        """CSR (and COO, converted) sparse X give the dense result."""
        X, labels, _ = blobs
        X = np.abs(X)
        dense = CleanLearning(seed=0).fit(X, labels)
        for matrix in (sp.csr_matrix(X), sp.coo_matrix(X)):
            model = CleanLearning(seed=0).fit(matrix, labels)
            np.testing.assert_array_equal(
                model.label_issues_mask, dense.label_issues_mask
            )

    def test_text_pipeline(self):
        """A list of strings with a TF-IDF + logistic regression pipeline."""
        rng = np.random.default_rng(0)
        vocab = [["good", "great", "fine", "nice"], ["bad", "awful", "poor", "sad"]]
        labels = np.arange(120) % 2
        texts = [" ".join(rng.choice(vocab[y], 4)) for y in labels]
        noisy = labels.copy()
        noisy[:6] = 1 - noisy[:6]
        pipe = make_pipeline(TfidfVectorizer(), LogisticRegression())
        model = CleanLearning(pipe, seed=0).fit(texts, noisy)
        assert model.label_issues_mask[:6].all()
        np.testing.assert_array_equal(model.predict(texts[:10]), labels[:10])

    def test_custom_classifier(self, blobs):
        """A classifier that is not from scikit-learn works, with sample weights
        of 1 / noise-matrix diagonal for the kept examples."""
        X, labels, _ = blobs
        clf = RecordingClassifier()
        model = CleanLearning(clf, seed=0).fit(X, labels)
        keep = ~model.label_issues_mask
        expected = 1 / np.diagonal(model.noise_matrix)[labels[keep]]
        np.testing.assert_allclose(clf.fit_weight_, expected)
        np.testing.assert_allclose(model.sample_weight[keep], expected)
        assert (model.sample_weight[~keep] == 0).all()
        assert model.predict_proba(X).shape == (len(X), 3)

    def test_user_sample_weight(self, blobs):
        X, labels, _ = blobs
        weights = np.linspace(1, 2, len(labels))
        clf = RecordingClassifier()
        model = CleanLearning(clf, seed=0).fit(X, labels, sample_weight=weights)
        np.testing.assert_allclose(clf.fit_weight_, weights[~model.label_issues_mask])
        assert model.sample_weight is None

    def test_three_dimensional_features(self, blobs):
        """The default classifier flattens (N, a, b) features."""
        X, labels, _ = blobs
        flat = CleanLearning(seed=0).fit(X, labels)
        model = CleanLearning(seed=0).fit(X.reshape(len(X), 2, 2), labels)
        np.testing.assert_array_equal(model.label_issues_mask, flat.label_issues_mask)
        np.testing.assert_array_equal(
            model.predict(X.reshape(len(X), 2, 2)), flat.predict(X)
        )

    def test_inputs_unchanged(self, blobs):
        X, labels, _ = blobs
        before = X.copy(), labels.copy()
        CleanLearning(seed=0).fit(X, labels)
        np.testing.assert_array_equal(X, before[0])
        np.testing.assert_array_equal(labels, before[1])


class TestReproducibility:
    def test_n_jobs_invariance(self, blobs):
        """Folds fitted in two joblib workers give the same issues and model."""
        X, labels, _ = blobs
        one = CleanLearning(seed=0, n_jobs=1).fit(X, labels)
        two = CleanLearning(seed=0, n_jobs=2).fit(X, labels)
        np.testing.assert_array_equal(one.label_issues_mask, two.label_issues_mask)
        np.testing.assert_allclose(one.predict_proba(X), two.predict_proba(X))

    def test_randomized_classifier_reproducible(self, blobs):
        """A classifier with random_state=None gives one result per seed, for
        every n_jobs, without touching NumPy's global RNG."""
        X, labels, _ = blobs
        state = np.random.get_state()[1].copy()
        results = [
            CleanLearning(SGDClassifier(loss="log_loss"), seed=7, n_jobs=n_jobs)
            .find_label_issues(X, labels)["label_quality"]
            .to_numpy()
            for n_jobs in (1, 1, 2)
        ]
        np.testing.assert_array_equal(np.random.get_state()[1], state)
        np.testing.assert_array_equal(results[0], results[1])
        np.testing.assert_array_equal(results[0], results[2])

    def test_warnings_from_workers_reach_caller(self):
        """A class absent from a fold's training part warns for any n_jobs."""
        X, labels, _ = _noisy_blobs(n=60)
        labels = labels.copy()
        labels[0] = 3  # a class with one example
        for n_jobs in (1, 2):
            with pytest.warns(UserWarning, match="Duplicated some data"):
                CleanLearning(seed=0, n_jobs=n_jobs, cv_n_folds=3).find_label_issues(
                    X, labels
                )


class TestScikitLearnIntegration:
    def test_pipeline_final_step(self, blobs):
        X, labels, _ = blobs
        pipe = Pipeline([("scale", StandardScaler()), ("cl", CleanLearning(seed=0))])
        pipe.fit(X, labels)
        assert pipe.score(X, labels) > 0.7
        assert pipe.named_steps["cl"].label_issues_mask.sum() > 0

    def test_cross_val_score(self, blobs):
        X, labels, _ = blobs
        scores = cross_val_score(CleanLearning(seed=0), X, labels, cv=3)
        assert scores.shape == (3,)
        assert (scores > 0.6).all()

    def test_grid_search_without_warnings(self, blobs):
        """The spec's grid search runs with warnings turned into errors."""
        X, labels, _ = blobs
        grid = {
            "find_label_issues_kwargs": [
                {"filter_by": f}
                for f in (
                    "prune_by_noise_rate",
                    "prune_by_class",
                    "both",
                    "confident_learning",
                    "predicted_neq_given",
                )
            ],
            "converge_latent_estimates": [True, False],
        }
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            search = GridSearchCV(
                CleanLearning(LogisticRegression(), seed=0), param_grid=grid, cv=3
            ).fit(X, y=labels)
        assert search.best_score_ > 0.7


class TestFitLabelIssues:
    @pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint16])
    def test_indices_any_int_dtype(self, blobs, dtype):
        """Precomputed issue indices of any integer dtype (cleanlab 2.9 only
        accepted the platform int)."""
        X, labels, _ = blobs
        clf = RecordingClassifier()
        CleanLearning(clf).fit(X, labels, label_issues=np.array([0, 5, 9], dtype=dtype))
        assert len(clf.fit_y_) == len(labels) - 3

    def test_mask_and_dataframe(self, blobs):
        X, labels, _ = blobs
        mask = np.zeros(len(labels), dtype=bool)
        mask[[1, 2]] = True
        model = CleanLearning(RecordingClassifier()).fit(X, labels, label_issues=mask)
        np.testing.assert_array_equal(model.label_issues_mask, mask)
        frame = pd.DataFrame({"is_label_issue": mask, "given_label": labels})
        model = CleanLearning(RecordingClassifier()).fit(X, labels, label_issues=frame)
        np.testing.assert_array_equal(model.label_issues_mask, mask)

    def test_reuses_found_issues(self, blobs):
        """fit(label_issues=find_label_issues(...)) trains the same model."""
        X, labels, _ = blobs
        direct = CleanLearning(seed=0).fit(X, labels)
        issues = CleanLearning(seed=0).find_label_issues(X, labels)
        reused = CleanLearning(seed=0).fit(X, labels, label_issues=issues)
        np.testing.assert_array_equal(
            reused.label_issues_mask, direct.label_issues_mask
        )

    @pytest.mark.parametrize(
        ("label_issues", "match"),
        [
            (pd.DataFrame({"x": [True]}), "must contain column: 'is_label_issue'"),
            (pd.DataFrame({"is_label_issue": [True]}), "must have same length"),
            (np.array([0, 0]), "must contain unique integer indices"),
            (np.array([0.5]), "dtype must be 'bool' or 'int'"),
            (np.array([True, False]), "must have same shape as labels"),
            (np.array([1000]), r"indices must lie in 0\.\.299"),
            ([0, 1], "must be either pandas.DataFrame or numpy.array"),
        ],
    )
    def test_bad_label_issues(self, blobs, label_issues, match):
        X, labels, _ = blobs
        with pytest.raises(ValueError, match=match):
            CleanLearning().fit(X, labels, label_issues=label_issues)

    def test_given_label_mismatch(self, blobs):
        X, labels, _ = blobs
        frame = pd.DataFrame(
            {"is_label_issue": np.zeros(len(labels), bool), "given_label": labels + 1}
        )
        with pytest.raises(ValueError, match=r"labels must match label_issues\["):
            CleanLearning().fit(X, labels, label_issues=frame)


class TestErrors:
    def test_labels_and_y(self, blobs):
        X, labels, _ = blobs
        with pytest.raises(ValueError, match="either `labels` or `y`, but not both"):
            CleanLearning().fit(X, labels, y=labels)
        with pytest.raises(ValueError, match="You must specify `labels`"):
            CleanLearning().fit(X)

    def test_length_mismatch(self, blobs):
        X, labels, _ = blobs
        with pytest.raises(
            ValueError, match="X is length 299 and labels is length 300"
        ):
            CleanLearning().fit(X[:-1], labels)

    def test_too_little_data_for_folds(self):
        X, labels, _ = _noisy_blobs(n=12, k=3)
        with pytest.raises(ValueError, match="Need more data from each class"):
            CleanLearning().fit(X, labels)

    def test_class_smaller_than_folds_warns(self):
        X, labels, _ = _noisy_blobs(n=90)
        labels = labels.copy()
        labels[:3] = 3
        with pytest.warns(TooFewExamplesWarning, match=r"cv_n_folds=5: 3 \(3\)"):
            CleanLearning(seed=0).find_label_issues(X, labels)

    def test_nan_features_before_training(self, blobs):
        X, labels, _ = blobs
        X = X.copy()
        X[7, 2] = np.nan
        with pytest.raises(
            ValueError, match=r"`X` contains NaN in 1 rows \(first: row 7\)"
        ):
            CleanLearning().fit(X, labels)

    def test_sample_weight_in_clf_kwargs(self, blobs):
        X, labels, _ = blobs
        with pytest.raises(ValueError, match="rather than in clf_kwargs"):
            CleanLearning().fit(X, labels, clf_kwargs={"sample_weight": np.ones(300)})

    def test_sample_weight_unsupported(self, blobs):
        X, labels, _ = blobs
        pipe = make_pipeline(StandardScaler(), LogisticRegression())
        with pytest.raises(ValueError, match="sample_weight must be a supported fit"):
            CleanLearning(pipe).fit(X, labels, sample_weight=np.ones(300))

    def test_sample_weight_shape(self, blobs):
        X, labels, _ = blobs
        with pytest.raises(ValueError, match=r"one weight per example, shape \(300,\)"):
            CleanLearning().fit(X, labels, sample_weight=np.ones(10))

    @pytest.mark.parametrize(
        ("name", "match"),
        [
            ("noise_matrix", r"Trace\(noise_matrix\) is 1.0, but must exceed 1"),
            ("inverse_noise_matrix", r"Trace\(inverse_noise_matrix\) is 1.0. Must"),
        ],
    )
    def test_trace_too_small(self, blobs, name, match):
        X, labels, _ = blobs
        matrix = np.full((3, 3), 1 / 3)
        with pytest.raises(ValueError, match=match):
            CleanLearning().find_label_issues(X, labels, **{name: matrix})

    def test_unsupported_kwargs(self, blobs):
        X, labels, _ = blobs
        model = CleanLearning(find_label_issues_kwargs={"multi_label": True})
        with pytest.raises(ValueError, match="not supported for `CleanLearning`"):
            model.find_label_issues(X, labels)

    def test_continuous_labels(self, blobs):
        X, _, _ = blobs
        with pytest.raises(ValueError, match="Unknown label type: continuous"):
            CleanLearning().fit(X, np.linspace(0, 1, len(X)))

    def test_string_labels_with_wrong_pred_probs(self, blobs):
        _, labels, _ = blobs
        names = np.array(["a", "b", "c"])[labels]
        with pytest.raises(ValueError, match="3 distinct classes .* 4 columns"):
            CleanLearning().find_label_issues(
                labels=names, pred_probs=np.full((300, 4), 0.25)
            )

    def test_predict_without_x(self, blobs):
        X, labels, _ = blobs
        model = CleanLearning(seed=0).fit(X, labels)
        with pytest.raises(ValueError, match="No input provided to predict"):
            model.predict()
        np.testing.assert_array_equal(model.predict(X=X), model.predict(X))


class TestAccessors:
    def test_get_label_issues_before_fit_warns(self):
        with pytest.warns(UserWarning, match="have not yet been computed"):
            assert CleanLearning().get_label_issues() is None

    def test_save_space_keeps_model(self, blobs):
        X, labels, _ = blobs
        model = CleanLearning(seed=0).fit(X, labels)
        predictions = model.predict(X)
        model.save_space()
        assert model.label_issues_df is None
        assert model.noise_matrix is None
        assert model.find_label_issues_kwargs == {}
        np.testing.assert_array_equal(model.predict(X), predictions)

    def test_score_uses_clf_score(self, blobs):
        X, labels, _ = blobs
        model = CleanLearning(seed=0).fit(X, labels)
        assert model.score(X, labels) == model.clf.score(X, labels)
