"""Train any classifier robustly on noisily labeled data.

`CleanLearning` wraps a scikit-learn compatible classifier: it cross-validates
it to get out-of-sample predicted probabilities, finds the label issues with
confident learning, and fits the classifier on the remaining examples
(weighting each class by its estimated noise rate). It is itself a
scikit-learn estimator, so it works in pipelines, grid searches and
``cross_val_score``.
"""

import inspect
import warnings

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression as LogReg
from sklearn.metrics import accuracy_score

from cleanlab import count, filter
from cleanlab.count import (
    compute_confident_joint,
    estimate_latent,
)
from cleanlab.experimental.label_issues_batched import find_label_issues_batched
from cleanlab.internal.errors import TooFewExamplesWarning, user_stacklevel
from cleanlab.internal.latent_algebra import (
    compute_noise_matrix_from_inverse,
    compute_py_inv_noise_matrix,
)
from cleanlab.internal.util import (
    compress_int_array,
    force_two_dimensions,
    get_num_classes,
    take_rows,
    value_counts,
)
from cleanlab.internal.validation import assert_valid_inputs, labels_to_array
from cleanlab.rank import get_label_quality_scores

__all__ = ["CleanLearning"]

# Kept importable from here, as in cleanlab 2.9.
_REEXPORTED = (LogReg, accuracy_score, filter)

UNSUPPORTED_KWARGS = ("return_indices_ranked_by", "multi_label")
# Smallest diagonal entry of the noise matrix used to weight a class.
MIN_NOISE_DIAGONAL = 1e-3


class CleanLearning(BaseEstimator):
    """A classifier that finds and removes label issues before it trains.

    `fit` cross-validates `clf` to get out-of-sample predicted probabilities,
    finds the label issues among the given labels (confident learning, through
    `cleanlab.filter.find_label_issues`), and fits `clf` on the other examples.
    `predict`, `predict_proba` and `score` then use the fitted `clf`.

    Parameters
    ----------
    clf : estimator, default=None
        Any classifier with ``fit(X, y)``, ``predict_proba(X)`` and
        ``predict(X)`` that ``sklearn.base.clone`` can copy (for the folds).
        None uses ``LogisticRegression(solver="lbfgs")``, and then features with
        more than two dimensions are flattened.
    seed : int, optional
        Seed of the cross-validation folds (and of the ``random_state`` of
        each fold's copy of `clf`, when that is None). NumPy's global random
        state is never touched.
    cv_n_folds : int, default=5
        Number of stratified cross-validation folds.
    converge_latent_estimates : bool, default=False
        Iterate the estimates of the prior and noise matrices to consistency.
    pulearning : {0, 1}, optional
        For binary positive-unlabeled data: the class whose labels are certain
        (it has no label errors).
    find_label_issues_kwargs : dict, default={}
        Keyword arguments of `cleanlab.filter.find_label_issues` (except
        ``return_indices_ranked_by`` and ``multi_label``);
        ``min_examples_per_class`` defaults to 10 here.
    label_quality_scores_kwargs : dict, default={}
        Keyword arguments of `cleanlab.rank.get_label_quality_scores`.
    verbose : bool, default=False
        Print progress, with a progress bar over the cross-validation folds.
    low_memory : bool, default=False
        Find label issues with
        `cleanlab.experimental.label_issues_batched.find_label_issues_batched`
        (then the noise matrices are not estimated).
    n_jobs : int, optional
        Number of cross-validation folds fitted at once, in joblib workers
        (None: one, or the default of an active joblib backend such as
        ``joblib.parallel_backend("dask")``). Results do not depend on it.

    Attributes
    ----------
    label_issues_df : pd.DataFrame or None
        One row per example: ``is_label_issue``, ``label_quality``,
        ``given_label``, ``predicted_label`` (and ``sample_weight`` after
        `fit`).
    label_issues_mask : np.ndarray of bool or None
        Which examples are label issues.
    confident_joint, py, ps, noise_matrix, inverse_noise_matrix : np.ndarray
        The confident-learning estimates behind the issues (see
        `cleanlab.count`).
    num_classes : int
        Number of classes K.
    classes_ : np.ndarray of shape (K,)
        The class labels, in the order of `predict_proba`'s columns.

    See Also
    --------
    cleanlab.filter.find_label_issues : the same issues from pred_probs alone.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> y_noisy = y.copy()
    >>> y_noisy[[0, 60, 120]] = [1, 2, 0]
    >>> model = CleanLearning(LogisticRegression(max_iter=1000), seed=0)
    >>> model = model.fit(X, y_noisy)
    >>> issues = model.get_label_issues()
    >>> sorted(issues.index[issues["is_label_issue"]][:3].tolist())
    [0, 60, 120]
    """

    def __init__(
        self,
        clf=None,
        *,
        seed=None,
        cv_n_folds=5,
        converge_latent_estimates=False,
        pulearning=None,
        find_label_issues_kwargs={},
        label_quality_scores_kwargs={},
        verbose=False,
        low_memory=False,
        n_jobs=None,
    ):
        self._default_clf = False
        if clf is None:
            clf = LogReg(solver="lbfgs")
            self._default_clf = True
        for method in ("fit", "predict_proba", "predict"):
            if not hasattr(clf, method):
                msg = (
                    f"The classifier (clf) must define a .{method}() method. "
                    f"`clf` is a {type(clf).__name__}."
                )
                raise ValueError(msg)
        self.clf = clf
        self.seed = seed
        self.cv_n_folds = cv_n_folds
        self.converge_latent_estimates = converge_latent_estimates
        self.pulearning = pulearning
        self.find_label_issues_kwargs = find_label_issues_kwargs
        self.label_quality_scores_kwargs = label_quality_scores_kwargs
        self.verbose = verbose
        self.low_memory = low_memory
        self.n_jobs = n_jobs
        self.label_issues_df = None
        self.label_issues_mask = None
        self.sample_weight = None
        self.confident_joint = None
        self.py = None
        self.ps = None
        self.num_classes = None
        self.noise_matrix = None
        self.inverse_noise_matrix = None
        self.clf_kwargs = None
        self.clf_final_kwargs = None

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        try:
            from sklearn.utils import ClassifierTags, get_tags

            tags.classifier_tags = ClassifierTags()
            inner = get_tags(self.clf).input_tags
            tags.input_tags.sparse = inner.sparse
            tags.input_tags.allow_nan = inner.allow_nan
            tags.input_tags.string = inner.string
        except (ImportError, AttributeError, TypeError):
            pass
        return tags

    def fit(
        self,
        X,
        labels=None,
        *,
        pred_probs=None,
        thresholds=None,
        noise_matrix=None,
        inverse_noise_matrix=None,
        label_issues=None,
        sample_weight=None,
        clf_kwargs={},
        clf_final_kwargs={},
        validation_func=None,
        y=None,
    ):
        """Find the label issues, then fit `clf` on the examples without issues.

        Parameters
        ----------
        X : array_like of shape (N, ...)
            Features: numpy array, pandas DataFrame, scipy sparse matrix, list
            (e.g. of strings for a text pipeline), or any container `clf`
            accepts that supports indexing by a list of rows.
        labels : array_like of shape (N,)
            Given labels: class indices ``0..K-1``, or any class labels (such
            as strings or ``[3, 7, 9]``), which `predict` then returns.
        pred_probs : np.ndarray of shape (N, K), optional
            Out-of-sample predicted probabilities, to skip cross-validation.
        thresholds : array_like of shape (K,), optional
            Per-class thresholds of the confident joint.
        noise_matrix : np.ndarray of shape (K, K), optional
            Known ``P(given=i | true=j)``; its trace must exceed 1.
        inverse_noise_matrix : np.ndarray of shape (K, K), optional
            Known ``P(true=j | given=i)``; its trace must exceed 1.
        label_issues : pd.DataFrame or np.ndarray, optional
            Precomputed issues: the DataFrame of `find_label_issues`, a boolean
            mask or an array of indices. Skips finding them.
        sample_weight : np.ndarray of shape (N,), optional
            Weights of the examples in the final fit (needs a `clf.fit` that
            takes ``sample_weight``).
        clf_kwargs : dict, default={}
            Keyword arguments of `clf.fit`, in cross-validation and final fit.
        clf_final_kwargs : dict, default={}
            Keyword arguments of the final `clf.fit` only.
        validation_func : callable, optional
            ``validation_func(X_holdout, labels_holdout)`` returns extra fit
            keyword arguments for each fold.
        y : array_like of shape (N,), optional
            Alternative name of `labels` (scikit-learn's convention).

        Returns
        -------
        self : CleanLearning

        Raises
        ------
        ValueError
            For mismatched lengths, invalid labels or matrices, too little data
            per class for the folds, NaN in `X` that `clf` cannot take, or
            `sample_weight` that `clf.fit` does not accept.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn.linear_model import LogisticRegression
        >>> from cleanlab.classification import CleanLearning
        >>> X, labels = make_blobs(
        ...     n_samples=40, centers=[[0, 0], [4, 4]], random_state=0
        ... )
        >>> labels[0] = 1 - labels[0]  # one wrong label
        >>> model = CleanLearning(LogisticRegression(), seed=0, cv_n_folds=3)
        >>> model = model.fit(X, labels)  # trained without example 0
        >>> np.flatnonzero(model.label_issues_mask)
        array([0])
        """
        labels = _resolve_labels(labels, y)
        X = self._prepare_features(X)
        if "sample_weight" in clf_kwargs:
            msg = (
                "sample_weight should be provided directly in fit() or in "
                "clf_final_kwargs rather than in clf_kwargs"
            )
            raise ValueError(msg)
        final_kwargs = {**clf_kwargs, **clf_final_kwargs}
        accepts_weights = _fit_accepts(self.clf, "sample_weight")
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight)
            if sample_weight.shape != (_num_rows(labels),):
                msg = (
                    "`sample_weight` must have one weight per example, shape "
                    f"({_num_rows(labels)},); got shape {sample_weight.shape}."
                )
                raise ValueError(msg)
        if sample_weight is not None and not accepts_weights:
            msg = (
                "sample_weight must be a supported fit() argument for your model in "
                f"order to be specified here; {type(self.clf).__name__}.fit() does "
                "not take it."
            )
            raise ValueError(msg)
        if label_issues is None:
            self.find_label_issues(
                X,
                labels,
                pred_probs=pred_probs,
                thresholds=thresholds,
                noise_matrix=noise_matrix,
                inverse_noise_matrix=inverse_noise_matrix,
                clf_kwargs=clf_kwargs,
                validation_func=validation_func,
            )
            issues_df = self.label_issues_df
        else:
            self._reset_estimates(noise_matrix, inverse_noise_matrix)
            encoded, classes = self._encode_labels(
                labels, pred_probs, noise_matrix, inverse_noise_matrix
            )
            assert_valid_inputs(X, encoded, pred_probs)
            self.num_classes = get_num_classes(
                encoded, pred_probs, _first_matrix(noise_matrix, inverse_noise_matrix)
            )
            self._set_classes(classes)
            issues_df = self._process_label_issues_arg(label_issues, labels)
            if "label_quality" not in issues_df and pred_probs is not None:
                issues_df["label_quality"] = get_label_quality_scores(
                    encoded, pred_probs, **self.label_quality_scores_kwargs
                )
        encoded = self._encode_with_fitted_classes(labels)
        self.label_issues_df = issues_df
        self.label_issues_mask = issues_df["is_label_issue"].to_numpy(dtype=bool)
        keep = np.flatnonzero(~self.label_issues_mask)
        X_clean = _take_features(X, keep)
        labels_clean = encoded[keep] if self._is_encoded else take_rows(labels, keep)
        self.sample_weight = None
        if sample_weight is not None:
            final_kwargs.setdefault("sample_weight", sample_weight[keep])
        elif (
            accepts_weights
            and "sample_weight" not in final_kwargs
            and self.noise_matrix is not None
        ):
            class_weights = 1 / np.maximum(
                np.diagonal(self.noise_matrix)[: self.num_classes], MIN_NOISE_DIAGONAL
            )
            weights = class_weights[encoded[keep]]
            all_weights = np.zeros(len(encoded))
            all_weights[keep] = weights
            issues_df["sample_weight"] = all_weights
            self.sample_weight = issues_df["sample_weight"]
            final_kwargs["sample_weight"] = weights
        self.clf_final_kwargs = final_kwargs
        if self.verbose:
            print(f"Fitting final model on the clean data of {len(keep)} examples ...")
        self.clf.fit(X_clean, labels_clean, **final_kwargs)
        if hasattr(self.clf, "n_features_in_"):
            self.n_features_in_ = self.clf.n_features_in_
        return self

    def predict(self, *args, **kwargs) -> np.ndarray:
        """Predicted class of each example, by the fitted `clf`.

        Returns
        -------
        np.ndarray of shape (N,)
            In the labels' own encoding (e.g. strings when fitted on strings).

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn.linear_model import LogisticRegression
        >>> from cleanlab.classification import CleanLearning
        >>> X, labels = make_blobs(
        ...     n_samples=40, centers=[[0, 0], [4, 4]], random_state=0
        ... )
        >>> labels[0] = 1 - labels[0]  # one wrong label
        >>> model = CleanLearning(LogisticRegression(), seed=0, cv_n_folds=3)
        >>> model.fit(X, labels).predict(np.array([[0, 0], [4, 4]]))
        array([0, 1])
        """
        args, kwargs = self._prepare_predict_args(args, kwargs)
        predictions = self.clf.predict(*args, **kwargs)
        if getattr(self, "classes_", None) is not None and self._is_encoded:
            return self.classes_[np.asarray(predictions, dtype=np.int64)]
        return predictions

    def predict_proba(self, *args, **kwargs) -> np.ndarray:
        """Predicted class probabilities, by the fitted `clf`.

        Returns
        -------
        np.ndarray of shape (N, K)
            Column ``k`` is class ``classes_[k]``.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn.linear_model import LogisticRegression
        >>> from cleanlab.classification import CleanLearning
        >>> X, labels = make_blobs(
        ...     n_samples=40, centers=[[0, 0], [4, 4]], random_state=0
        ... )
        >>> labels[0] = 1 - labels[0]  # one wrong label
        >>> model = CleanLearning(LogisticRegression(), seed=0, cv_n_folds=3)
        >>> model.fit(X, labels).predict_proba(np.array([[0, 0], [4, 4]])).round(2)
        array([[1.  , 0.  ],
               [0.01, 0.99]])
        """
        args, kwargs = self._prepare_predict_args(args, kwargs)
        return self.clf.predict_proba(*args, **kwargs)

    def score(self, X, y, sample_weight=None) -> float:
        """Accuracy of `predict` on `X` against `y` (or `clf.score` when it has one).

        Returns
        -------
        float

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn.linear_model import LogisticRegression
        >>> from cleanlab.classification import CleanLearning
        >>> X, labels = make_blobs(
        ...     n_samples=40, centers=[[0, 0], [4, 4]], random_state=0
        ... )
        >>> labels[0] = 1 - labels[0]  # one wrong label
        >>> true_labels = labels.copy()
        >>> true_labels[0] = 1 - true_labels[0]
        >>> model = CleanLearning(LogisticRegression(), seed=0, cv_n_folds=3)
        >>> model.fit(X, labels).score(X, true_labels)
        1.0
        """
        if self._flattens_features():
            X = force_two_dimensions(np.asarray(X) if isinstance(X, list) else X)
        if getattr(self, "_is_encoded", False):
            return accuracy_score(y, self.predict(X), sample_weight=sample_weight)
        if hasattr(self.clf, "score"):
            if "sample_weight" in inspect.signature(self.clf.score).parameters:
                return self.clf.score(X, y, sample_weight=sample_weight)
            return self.clf.score(X, y)
        return accuracy_score(y, self.clf.predict(X), sample_weight=sample_weight)

    def find_label_issues(
        self,
        X=None,
        labels=None,
        *,
        pred_probs=None,
        thresholds=None,
        noise_matrix=None,
        inverse_noise_matrix=None,
        save_space=False,
        clf_kwargs={},
        validation_func=None,
    ) -> pd.DataFrame:
        """Find the label issues, cross-validating `clf` unless `pred_probs` is given.

        Parameters are those of `fit` (``X`` may be None when `pred_probs` is
        given). With `save_space`, the result is returned but not kept in
        `label_issues_df`.

        Returns
        -------
        pd.DataFrame
            One row per example: ``is_label_issue`` (bool), ``label_quality``
            (float, lower = more likely mislabeled), ``given_label`` and
            ``predicted_label`` (class indices, or the labels' own classes).

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn.linear_model import LogisticRegression
        >>> from cleanlab.classification import CleanLearning
        >>> X, labels = make_blobs(
        ...     n_samples=40, centers=[[0, 0], [4, 4]], random_state=0
        ... )
        >>> labels[0] = 1 - labels[0]  # one wrong label
        >>> model = CleanLearning(LogisticRegression(), seed=0, cv_n_folds=3)
        >>> issues = model.find_label_issues(X, labels)  # no final fit
        >>> issues.columns.tolist()
        ['is_label_issue', 'label_quality', 'given_label', 'predicted_label']
        >>> issues[issues["is_label_issue"]].index.tolist()
        [0]
        """
        X = self._prepare_features(X)
        encoded, classes = self._encode_labels(
            labels, pred_probs, noise_matrix, inverse_noise_matrix
        )
        assert_valid_inputs(X, encoded, pred_probs)
        _check_trace(noise_matrix, "noise_matrix", ", but must exceed 1.")
        _check_trace(inverse_noise_matrix, "inverse_noise_matrix", ". Must exceed 1.")
        num_classes = get_num_classes(
            encoded, pred_probs, _first_matrix(noise_matrix, inverse_noise_matrix)
        )
        if pred_probs is None:
            self._check_cross_validation(X, encoded, num_classes)
        self._reset_estimates(None, None)
        self.num_classes = num_classes
        self._set_classes(classes)
        self.ps = value_counts(encoded) / len(encoded)
        self.clf_kwargs = clf_kwargs
        if self.low_memory:
            pred_probs, mask = self._find_issues_low_memory(
                X, encoded, pred_probs, thresholds, noise_matrix, inverse_noise_matrix,
                validation_func,
            )  # fmt: skip
        else:
            pred_probs, mask = self._find_issues(
                X, encoded, pred_probs, thresholds, noise_matrix, inverse_noise_matrix,
                validation_func,
            )  # fmt: skip
        quality = get_label_quality_scores(
            encoded, pred_probs, **self.label_quality_scores_kwargs
        )
        predicted = np.argmax(pred_probs, axis=1)
        if classes is None:
            given = compress_int_array(encoded, num_classes)
            predicted = compress_int_array(predicted, num_classes)
        else:
            given, predicted = classes[encoded], classes[predicted]
        issues_df = pd.DataFrame(
            {
                "is_label_issue": mask,
                "label_quality": quality,
                "given_label": given,
                "predicted_label": predicted,
            }
        )
        if self.verbose:
            print(f"Identified {int(mask.sum())} examples with label issues.")
        if not save_space:
            self.label_issues_df = issues_df
            self.label_issues_mask = issues_df["is_label_issue"].to_numpy()
        return issues_df

    def get_label_issues(self) -> pd.DataFrame | None:
        """The DataFrame of label issues computed by `fit` or `find_label_issues`.

        Warns
        -----
        UserWarning
            If none has been computed yet (then None is returned).

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn.linear_model import LogisticRegression
        >>> from cleanlab.classification import CleanLearning
        >>> X, labels = make_blobs(
        ...     n_samples=40, centers=[[0, 0], [4, 4]], random_state=0
        ... )
        >>> labels[0] = 1 - labels[0]  # one wrong label
        >>> model = CleanLearning(LogisticRegression(), seed=0, cv_n_folds=3)
        >>> issues = model.fit(X, labels).get_label_issues()
        >>> issues[issues["is_label_issue"]][["given_label", "predicted_label"]]
           given_label  predicted_label
        0            0                1
        """
        if self.label_issues_df is None:
            warnings.warn(
                "Label issues have not yet been computed. Run "
                "`self.find_label_issues()` or `self.fit()` first.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
        return self.label_issues_df

    def save_space(self):
        """Drop everything but the fitted `clf` (predict and score still work).

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn.linear_model import LogisticRegression
        >>> from cleanlab.classification import CleanLearning
        >>> X, labels = make_blobs(
        ...     n_samples=40, centers=[[0, 0], [4, 4]], random_state=0
        ... )
        >>> labels[0] = 1 - labels[0]  # one wrong label
        >>> model = CleanLearning(LogisticRegression(), seed=0, cv_n_folds=3)
        >>> model = model.fit(X, labels)
        >>> model.save_space()
        >>> model.label_issues_df is None
        True
        >>> model.predict(np.array([[4, 4]]))
        array([1])
        """
        self.label_issues_df = None
        self.sample_weight = None
        self.label_issues_mask = None
        self.confident_joint = None
        self.py = None
        self.ps = None
        self.num_classes = None
        self.noise_matrix = None
        self.inverse_noise_matrix = None
        self.clf_kwargs = None
        self.clf_final_kwargs = None
        if self.verbose:
            print(
                "Deleted non-sklearn attributes such as label_issues_df to save space."
            )

    # -- the two ways of finding issues ------------------------------------

    def _find_issues(
        self,
        X,
        labels,
        pred_probs,
        thresholds,
        noise_matrix,
        inverse_noise_matrix,
        validation_func,
    ):
        """Normal mode: estimate the noise, then `filter.find_label_issues`."""
        kwargs = self._process_label_issues_kwargs(self.find_label_issues_kwargs)
        confident_joint = kwargs.get("confident_joint")
        py = None
        if confident_joint is not None:
            py, estimated_noise, _ = estimate_latent(confident_joint, labels)
            # Matrices the caller passed win over the estimate (cleanlab 2.9
            # silently replaced them).
            if noise_matrix is None and inverse_noise_matrix is None:
                noise_matrix = estimated_noise
        if noise_matrix is not None and inverse_noise_matrix is None:
            py, inverse_noise_matrix = compute_py_inv_noise_matrix(
                ps=self.ps, noise_matrix=noise_matrix
            )
        if inverse_noise_matrix is not None and noise_matrix is None:
            noise_matrix = compute_noise_matrix_from_inverse(
                ps=self.ps, inverse_noise_matrix=inverse_noise_matrix
            )
        if pred_probs is None:
            pred_probs = self._cross_validate(X, labels, validation_func)
        if noise_matrix is None:
            if confident_joint is None:
                confident_joint = compute_confident_joint(
                    labels, pred_probs, thresholds=thresholds
                )
            py, noise_matrix, inverse_noise_matrix = estimate_latent(
                confident_joint,
                labels,
                converge_latent_estimates=self.converge_latent_estimates,
            )
        elif confident_joint is None:
            confident_joint = compute_confident_joint(
                labels, pred_probs, thresholds=thresholds
            )
        if self.num_classes == 2 and self.pulearning is not None:
            noise_matrix, inverse_noise_matrix, confident_joint = _pu_learning(
                self.pulearning, noise_matrix, inverse_noise_matrix, confident_joint
            )
        self.py, self.confident_joint = py, confident_joint
        self.noise_matrix, self.inverse_noise_matrix = (
            noise_matrix,
            inverse_noise_matrix,
        )
        if (
            "confident_joint" not in kwargs
            and kwargs.get("filter_by") != "confident_learning"
        ):
            kwargs["confident_joint"] = confident_joint
        if self.verbose:
            print("Using predicted probabilities to identify label issues ...")
        return pred_probs, filter.find_label_issues(labels, pred_probs, **kwargs)

    def _find_issues_low_memory(
        self,
        X,
        labels,
        pred_probs,
        thresholds,
        noise_matrix,
        inverse_noise_matrix,
        validation_func,
    ):
        """low_memory mode: `find_label_issues_batched`, no noise estimates."""
        if self.find_label_issues_kwargs:
            warnings.warn(
                "`find_label_issues_kwargs` is not used when `low_memory=True`.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
        for name, value in (
            ("thresholds", thresholds),
            ("noise_matrix", noise_matrix),
            ("inverse_noise_matrix", inverse_noise_matrix),
        ):
            if value is not None:
                warnings.warn(
                    f"`{name}` is not used when `low_memory=True`.",
                    UserWarning,
                    stacklevel=user_stacklevel(),
                )
        if pred_probs is None:
            pred_probs = self._cross_validate(X, labels, validation_func)
        mask = find_label_issues_batched(
            labels, pred_probs, return_mask=True, verbose=self.verbose
        )
        return pred_probs, mask

    def _cross_validate(self, X, labels, validation_func) -> np.ndarray:
        """Out-of-sample pred_probs of `clf` by `cv_n_folds`-fold cross-validation."""
        if self.verbose:
            print(
                "Computing out of sample predicted probabilities via "
                f"{self.cv_n_folds}-fold cross validation"
            )
        return count._cross_val_pred_probs(
            X,
            labels,
            self.clf,
            cv_n_folds=self.cv_n_folds,
            seed=self.seed,
            clf_kwargs=self.clf_kwargs,
            validation_func=validation_func,
            n_jobs=self.n_jobs,
            verbose=self.verbose,
            fold_random_states=True,
        )

    # -- helpers ---------------------------------------------------------

    def _process_label_issues_kwargs(self, find_label_issues_kwargs) -> dict:
        """`find_label_issues_kwargs` with CleanLearning's default, as a new dict."""
        kwargs = {"min_examples_per_class": 10, **(find_label_issues_kwargs or {})}
        unsupported = [k for k in UNSUPPORTED_KWARGS if k in kwargs]
        if unsupported:
            msg = (
                "These kwargs of `find_label_issues()` are not supported for "
                f"`CleanLearning`: {list(UNSUPPORTED_KWARGS)}; got {unsupported} "
                "in `find_label_issues_kwargs`."
            )
            raise ValueError(msg)
        return kwargs

    def _process_label_issues_arg(self, label_issues, labels) -> pd.DataFrame:
        """The `label_issues` argument of `fit` as a DataFrame with is_label_issue."""
        num_examples = len(labels)
        if isinstance(label_issues, pd.DataFrame):
            if "is_label_issue" not in label_issues.columns:
                msg = (
                    "DataFrame label_issues must contain column: 'is_label_issue'. "
                    "See CleanLearning.find_label_issues() for the format."
                )
                raise ValueError(msg)
            if len(label_issues) != num_examples:
                msg = (
                    "label_issues and labels must have same length; got "
                    f"{len(label_issues)} and {num_examples}."
                )
                raise ValueError(msg)
            if "given_label" in label_issues.columns and not np.array_equal(
                label_issues["given_label"].to_numpy(), labels_to_array(labels)
            ):
                msg = "labels must match label_issues['given_label']"
                raise ValueError(msg)
            return label_issues.copy()
        if isinstance(label_issues, np.ndarray):
            return pd.DataFrame(
                {"is_label_issue": _issues_to_mask(label_issues, num_examples)}
            )
        msg = (
            "label_issues must be either pandas.DataFrame or numpy.array; got "
            f"{type(label_issues).__name__}."
        )
        raise ValueError(msg)

    def _prepare_features(self, X):
        """`X` ready for row indexing: sparse formats that cannot index rows
        become CSR; flattened to 2-D for a LogisticRegression."""
        if sp.issparse(X) and X.format not in ("csr", "csc", "lil"):
            return X.tocsr()
        if X is None or isinstance(X, list) or not self._flattens_features():
            return X
        if not hasattr(X, "shape"):
            X = np.asarray(X)
        return force_two_dimensions(X)

    def _flattens_features(self) -> bool:
        """Whether `X` is flattened to 2-D: the classifier is a LogisticRegression
        (the default, or a clone of it), which takes nothing else."""
        return self._default_clf or type(self.clf) is LogReg

    def _prepare_predict_args(self, args, kwargs):
        if not self._flattens_features():
            return args, kwargs
        if args:
            X, args = args[0], args[1:]
        elif "X" in kwargs:
            X = kwargs.pop("X")
        else:
            msg = "No input provided to predict, please provide X."
            raise ValueError(msg)
        if not hasattr(X, "shape"):
            X = np.asarray(X)
        return (force_two_dimensions(X), *args), kwargs

    def _encode_labels(self, labels, pred_probs, noise_matrix, inverse_noise_matrix):
        """Labels as class indices, and the classes when they had to be encoded.

        Class indices ``0..K-1`` are used as given (classes without examples
        are fine when `pred_probs` or a matrix says K). Any other labels
        (strings, negative or non-contiguous numbers) are mapped to the
        indices of their sorted distinct values; returns ``(indices, classes)``
        with ``classes`` None when nothing was mapped.
        """
        if labels is None:
            return labels, None
        values = labels_to_array(labels)
        if values.ndim != 1 or values.size == 0:
            return values, None  # validation names the problem
        num_columns = None
        for source in (pred_probs, noise_matrix, inverse_noise_matrix):
            if source is not None and np.ndim(source) == 2:
                num_columns = np.shape(source)[1]
                break
        if values.dtype.kind in "biu" and values.min() >= 0:
            if num_columns is not None or _is_contiguous(values):
                return values, None
        if values.dtype.kind == "c":
            msg = "Complex data not supported: `labels` must be class labels."
            raise ValueError(msg)
        if values.dtype.kind == "f":
            msg = (
                "Unknown label type: continuous. `labels` holds numbers that are "
                "not whole (or not finite); CleanLearning is a classifier and needs "
                "class labels."
            )
            raise ValueError(msg)
        if values.dtype.kind not in "biuUSO":
            return values, None
        try:
            classes, encoded = np.unique(values, return_inverse=True)
        except TypeError as err:
            msg = (
                "`labels` must be class indices or sortable class labels of one "
                f"type; got a mix ({err})."
            )
            raise TypeError(msg) from err
        if num_columns is not None and len(classes) != num_columns:
            msg = (
                f"`labels` holds {len(classes)} distinct classes that are not class "
                f"indices 0..K-1, but `pred_probs` (or the noise matrix) has "
                f"{num_columns} columns: with such labels every class must occur, "
                "and column k must be the k-th class in sorted order."
            )
            raise ValueError(msg)
        return encoded.astype(np.int64), classes

    def _set_classes(self, classes) -> None:
        """Record the class labels (None: labels are class indices)."""
        self._is_encoded = classes is not None
        self.classes_ = classes if classes is not None else np.arange(self.num_classes)

    def _encode_with_fitted_classes(self, labels) -> np.ndarray:
        """`labels` as int class indices, with the encoding just fitted."""
        values = labels_to_array(labels)
        if not self._is_encoded:
            return values.astype(np.int64, copy=False)
        return np.searchsorted(self.classes_, values).astype(np.int64)

    def _check_cross_validation(self, X, labels, num_classes) -> None:
        """Raise or warn before any training when cross-validation cannot work."""
        if len(labels) / num_classes < self.cv_n_folds:
            msg = (
                "Need more data from each class for cross-validation. Try decreasing "
                f"cv_n_folds (eg. to 2 or 3) in CleanLearning(); {len(labels)} "
                f"examples of {num_classes} classes for {self.cv_n_folds} folds."
            )
            raise ValueError(msg)
        counts = np.bincount(labels, minlength=num_classes)
        small = np.flatnonzero(counts < self.cv_n_folds)
        if len(small):
            detail = ", ".join(f"{k} ({counts[k]})" for k in small[:10])
            warnings.warn(
                f"Classes with fewer examples than cv_n_folds={self.cv_n_folds}: "
                f"{detail}. Some folds train without them (an example of each is "
                "then copied into training); decrease cv_n_folds or pass pred_probs.",
                TooFewExamplesWarning,
                stacklevel=user_stacklevel(),
            )
        _check_missing_values(X, self.clf)

    def _reset_estimates(self, noise_matrix, inverse_noise_matrix) -> None:
        """Forget the estimates of an earlier call (keep matrices the user gave)."""
        self.confident_joint = None
        self.py = None
        self.noise_matrix = noise_matrix
        self.inverse_noise_matrix = inverse_noise_matrix
        self.sample_weight = None


def _resolve_labels(labels, y):
    if labels is not None and y is not None:
        msg = "You must specify either `labels` or `y`, but not both."
        raise ValueError(msg)
    if y is not None:
        return y
    if labels is None:
        msg = "You must specify `labels`."
        raise ValueError(msg)
    return labels


def _num_rows(labels) -> int:
    return len(labels_to_array(labels))


def _fit_accepts(clf, name: str) -> bool:
    """Whether `clf.fit` has a parameter called `name`."""
    try:
        return name in inspect.signature(clf.fit).parameters
    except (TypeError, ValueError):
        return False


def _first_matrix(*matrices):
    return next((m for m in matrices if m is not None), None)


def _check_trace(matrix, name: str, requirement: str) -> None:
    """Raise unless the trace of `matrix` (if given) exceeds 1."""
    if matrix is not None and np.trace(matrix) <= 1:
        msg = f"Trace({name}) is {round(np.trace(matrix), 2)}{requirement}"
        raise ValueError(msg)


def _is_contiguous(values: np.ndarray) -> bool:
    """Whether every class index from 0 to the largest occurs in `values`."""
    counts = np.bincount(values.astype(np.int64))
    return bool(np.all(counts > 0))


def _issues_to_mask(label_issues: np.ndarray, num_examples: int) -> np.ndarray:
    """A boolean mask from a boolean mask or an array of distinct indices."""
    if label_issues.dtype.kind == "b":
        if label_issues.shape != (num_examples,):
            msg = (
                "If label_issues is boolean numpy.array, must have same shape as "
                f"labels; got shape {label_issues.shape} for {num_examples} labels."
            )
            raise ValueError(msg)
        return label_issues.copy()
    if label_issues.dtype.kind not in "iu":
        msg = (
            "If label_issues is numpy.array, dtype must be 'bool' or 'int'; got "
            f"{label_issues.dtype}."
        )
        raise ValueError(msg)
    indices = label_issues.astype(np.int64).ravel()
    if len(np.unique(indices)) != len(indices):
        msg = (
            "If label_issues.dtype is 'int', must contain unique integer indices "
            "corresponding to examples with label issues such as output by: "
            "filter.find_label_issues(..., return_indices_ranked_by=...)"
        )
        raise ValueError(msg)
    if len(indices) and (
        indices.min() < -num_examples or indices.max() >= num_examples
    ):
        msg = (
            f"label_issues indices must lie in 0..{num_examples - 1}; got values "
            f"from {indices.min()} to {indices.max()}."
        )
        raise ValueError(msg)
    mask = np.zeros(num_examples, dtype=bool)
    mask[indices] = True
    return mask


def _take_features(X, indices):
    try:
        return take_rows(X, indices)
    except Exception as err:
        msg = "Data features X must be subsettable with boolean mask array: X[mask]"
        raise TypeError(msg) from err


def _check_missing_values(X, clf) -> None:
    """Raise before training if `X` has NaN that the scikit-learn `clf` rejects."""
    if not isinstance(clf, BaseEstimator):
        return
    try:
        from sklearn.utils import get_tags

        if get_tags(clf).input_tags.allow_nan:
            return
    except (ImportError, AttributeError, TypeError, ValueError):
        return
    if isinstance(X, pd.DataFrame):
        numeric = X.select_dtypes("number")
        if numeric.shape[1] == 0:
            return
        is_nan = numeric.isna().to_numpy().any(axis=1)
    elif sp.issparse(X):
        data = X.data
        if data.dtype.kind != "f" or not np.isnan(data).any():
            return
        is_nan = np.asarray(np.isnan(X.tocsr()).sum(axis=1)).ravel() > 0
    elif isinstance(X, np.ndarray) and X.dtype.kind == "f":
        is_nan = np.isnan(X).reshape(len(X), -1).any(axis=1)
    else:
        return
    if is_nan.any():
        rows = np.flatnonzero(is_nan)
        msg = (
            f"`X` contains NaN in {len(rows)} rows (first: row {rows[0]}), which "
            f"{type(clf).__name__} cannot handle. Impute the missing values (e.g. "
            "sklearn.impute.SimpleImputer in a Pipeline) or use a classifier that "
            "accepts NaN, such as HistGradientBoostingClassifier."
        )
        raise ValueError(msg)


def _pu_learning(positive, noise_matrix, inverse_noise_matrix, confident_joint):
    """Copies of the three matrices with class `positive`'s noise removed."""
    p, q = int(positive), 1 - int(positive)
    noise_matrix = np.array(noise_matrix, dtype=float)
    inverse_noise_matrix = np.array(inverse_noise_matrix, dtype=float)
    confident_joint = np.array(confident_joint)
    noise_matrix[p][q], noise_matrix[q][q] = 0, 1
    inverse_noise_matrix[q][p], inverse_noise_matrix[p][p] = 0, 1
    confident_joint[p][q], confident_joint[q][q] = 0, 1
    return noise_matrix, inverse_noise_matrix, confident_joint
