"""Train any regressor robustly on data with some wrong target values.

`CleanLearning` wraps a scikit-learn compatible regressor. It cross-validates
the regressor to get out-of-sample predictions, picks how much data to leave
out so that the model fits the rest best, scores each label by its residual
relative to the model's uncertainty (epistemic, from bootstrapped 2-fold
cross-validations, plus aleatoric, from a model of the residuals), flags the
lowest-scoring labels, and fits the regressor on the other examples. It is
itself a scikit-learn estimator.
"""

import inspect
import math
import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold

from cleanlab.internal.containers import is_pandas_series
from cleanlab.internal.errors import user_stacklevel
from cleanlab.internal.regression_utils import (
    assert_valid_regression_inputs,
    check_dimension_and_datatype,
    check_sample_weight,
)
from cleanlab.internal.util import take_rows

__all__ = ["CleanLearning"]

# Score given to a fraction k whose cross-validation cannot run (too few
# examples left): below any real R^2.
SKIPPED_R2 = -1e30
# Added to the uncertainty before dividing by it, and the smallest median.
TINY_VALUE = 1e-100
# Folds of each bootstrapped cross-validation behind the epistemic uncertainty.
EPISTEMIC_FOLDS = 2


class CleanLearning(BaseEstimator):
    """A regressor that finds and removes wrong target values before it trains.

    `find_label_issues` cross-validates `model` and flags the examples whose
    residual is large compared with the model's uncertainty about them; `fit`
    does that and then fits `model` on the other examples. `predict` and
    `score` use the fitted `model`.

    How issues are found. Out-of-sample predictions give each example a
    residual; examples are sorted by it, and for each fraction ``k`` of a grid
    (`coarse_search_range`, then a finer grid around the best value) the
    ``k`` worst examples are left out of training, and the R^2 of the
    out-of-sample predictions on the rest is computed. The best ``k`` (or 0 if
    leaving nothing out is as good) is stored in the attribute `k`. With that
    ``k``, every example gets the score ``exp(-r / median(r))`` of its
    residual ``r`` relative to the uncertainty, and the ``ceil(N * k)``
    lowest scores are the label issues.

    Parameters
    ----------
    model : estimator, default=None
        Any regressor with ``fit(X, y)`` and ``predict(X)`` that
        ``sklearn.base.clone`` can copy. None uses
        ``sklearn.linear_model.LinearRegression()``.
    cv_n_folds : int, default=5
        Number of cross-validation folds, at least 2.
    n_boot : int, default=5
        Number of bootstrapped 2-fold cross-validations behind the epistemic
        uncertainty (0: none).
    include_aleatoric_uncertainty : bool, default=True
        Add the aleatoric uncertainty (the spread of the out-of-sample
        predictions of the residuals) to the epistemic one.
    verbose : bool, default=False
        Print progress.
    seed : int, optional
        Seed of every cross-validation split. Each `find_label_issues` (or
        `fit`) call draws its splits from a new ``np.random.RandomState(seed)``,
        in the order cleanlab 2.9 draws them from NumPy's global generator
        after ``np.random.seed(seed)``, so the folds are cleanlab 2.9's, and two
        calls with the same data give the same result. A fold copy of `model`
        whose ``random_state`` is None gets one drawn from the seed too. NumPy's
        global random state is never touched. With None, the splits use the
        global generator (seed it with ``np.random.seed`` for reproducible
        results).

    Attributes
    ----------
    label_issues_df : pd.DataFrame or None
        One row per example: ``is_label_issue``, ``label_quality``,
        ``given_label``, ``predicted_label``.
    label_issues_mask : np.ndarray of bool or None
        Which examples are label issues.
    k : float or None
        The fraction of examples left out, chosen by `find_label_issues`.

    Raises
    ------
    ValueError
        If `model` lacks ``fit`` or ``predict``, `cv_n_folds` is not an integer
        of at least 2, or `n_boot` is not a non-negative integer.

    See Also
    --------
    cleanlab.regression.rank.get_label_quality_scores : scores from
        predictions you already have.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.regression.learn import CleanLearning
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 2))
    >>> y = X @ [2.0, -1.0] + rng.normal(scale=0.1, size=100)
    >>> y[[3, 50, 70]] += [8, -8, 8]  # three wrong targets
    >>> model = CleanLearning(seed=0).fit(X, y)  # trained without the issues
    >>> issues = model.get_label_issues()
    >>> issues["label_quality"].nsmallest(3).index.tolist()
    [3, 70, 50]
    >>> bool(issues.loc[[3, 50, 70], "is_label_issue"].all())
    True
    """

    def __init__(
        self,
        model=None,
        *,
        cv_n_folds=5,
        n_boot=5,
        include_aleatoric_uncertainty=True,
        verbose=False,
        seed=None,
    ):
        if model is None:
            model = LinearRegression()
        for method in ("fit", "predict"):
            if not hasattr(model, method):
                msg = (
                    f"The model must define a .{method}() method. `model` is a "
                    f"{type(model).__name__}."
                )
                raise ValueError(msg)
        if not _is_integer(n_boot) or n_boot < 0:
            msg = f"n_boot cannot be a negative value; got {n_boot!r}."
            raise ValueError(msg)
        if not _is_integer(cv_n_folds) or cv_n_folds < 2:
            msg = f"cv_n_folds must be at least 2; got {cv_n_folds!r}."
            raise ValueError(msg)
        self.model = model
        self.seed = seed
        self.cv_n_folds = cv_n_folds
        self.n_boot = n_boot
        self.include_aleatoric_uncertainty = include_aleatoric_uncertainty
        self.verbose = verbose
        self.label_issues_df = None
        self.label_issues_mask = None
        self.k = None

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        try:
            from sklearn.utils import RegressorTags, get_tags

            tags.regressor_tags = RegressorTags()
            inner = get_tags(self.model).input_tags
            tags.input_tags.sparse = inner.sparse
            tags.input_tags.allow_nan = inner.allow_nan
        except (ImportError, AttributeError, TypeError):
            pass
        return tags

    def fit(
        self,
        X,
        y,
        *,
        label_issues=None,
        sample_weight=None,
        find_label_issues_kwargs: dict | None = None,
        model_kwargs: dict | None = None,
        model_final_kwargs: dict | None = None,
    ) -> "CleanLearning":
        """Find the label issues (unless given), then fit `model` on the rest.

        Parameters
        ----------
        X : array_like of shape (N, ...)
            Features: numpy array, pandas DataFrame, scipy sparse matrix or
            list, anything `model` accepts that can be indexed by rows.
        y : array_like of shape (N,)
            Given target values, real numbers.
        label_issues : pd.DataFrame, pd.Series or np.ndarray, optional
            Precomputed issues, to skip finding them: the DataFrame of
            `find_label_issues` (its ``is_label_issue`` column is used), or a
            boolean mask of shape (N,).
        sample_weight : np.ndarray of shape (N,), optional
            Weights of the examples in the final fit (needs a ``model.fit``
            that takes ``sample_weight``).
        find_label_issues_kwargs : dict, optional
            Keyword arguments of `find_label_issues`.
        model_kwargs : dict, optional
            Keyword arguments of ``model.fit``, in cross-validation and in the
            final fit.
        model_final_kwargs : dict, optional
            Keyword arguments of the final ``model.fit`` only (they win over
            `model_kwargs`).

        Returns
        -------
        self : CleanLearning

        Raises
        ------
        ValueError
            For invalid `X` or `y` (see `find_label_issues`), ``sample_weight``
            inside `model_kwargs` or `model_final_kwargs`, a `sample_weight`
            that ``model.fit`` does not take or of the wrong shape, invalid
            `label_issues`, or when every example is a label issue.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.regression.learn import CleanLearning
        >>> X = np.arange(20.0).reshape(-1, 1)
        >>> y = 3 * X.ravel() + 1
        >>> y[5] = 100.0
        >>> is_issue = np.zeros(20, dtype=bool)
        >>> is_issue[5] = True
        >>> model = CleanLearning().fit(X, y, label_issues=is_issue)
        >>> model.predict([[30.0]]).round(6)
        array([91.])
        """
        X_checked, y_checked = assert_valid_regression_inputs(X, y)
        find_label_issues_kwargs = dict(find_label_issues_kwargs or {})
        model_kwargs = dict(model_kwargs or {})
        model_final_kwargs = {**model_kwargs, **(model_final_kwargs or {})}
        if "sample_weight" in model_final_kwargs:
            msg = (
                "sample_weight should be provided directly in fit() rather than in "
                "model_kwargs or model_final_kwargs"
            )
            raise ValueError(msg)
        if sample_weight is not None:
            if not _accepts(self.model.fit, "sample_weight"):
                msg = (
                    "sample_weight must be a supported fit() argument for your "
                    "model in order to be specified here; "
                    f"{type(self.model).__name__}.fit() does not take it."
                )
                raise ValueError(msg)
            sample_weight = check_sample_weight(sample_weight, len(y_checked))
        if label_issues is None:
            label_issues = self.find_label_issues(
                X_checked,
                y_checked,
                model_kwargs=model_kwargs,
                **find_label_issues_kwargs,
            )
        issues_df = _process_label_issues_arg(label_issues, y_checked)
        self.label_issues_df = issues_df
        self.label_issues_mask = issues_df["is_label_issue"].to_numpy(dtype=bool)
        keep = np.flatnonzero(~self.label_issues_mask)
        if len(keep) == 0:
            msg = (
                "Every example is a label issue, so there is nothing left to fit "
                "`model` on."
            )
            raise ValueError(msg)
        if sample_weight is not None:
            model_final_kwargs["sample_weight"] = sample_weight[keep]
        if self.verbose:
            print(f"Fitting final model on the clean data of {len(keep)} examples ...")
        self.model.fit(
            take_rows(X_checked, keep), y_checked[keep], **model_final_kwargs
        )
        if hasattr(self.model, "n_features_in_"):
            self.n_features_in_ = self.model.n_features_in_
        return self

    def predict(self, X, *args, **kwargs) -> np.ndarray:
        """Predictions of the fitted `model`: ``model.predict(X, *args, **kwargs)``.

        Returns
        -------
        np.ndarray of shape (N,)
            Whatever ``model.predict`` returns.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.regression.learn import CleanLearning
        >>> X = np.arange(10.0).reshape(-1, 1)
        >>> model = CleanLearning().fit(X, 2 * X.ravel(), label_issues=X[:, 0] > 8)
        >>> model.predict([[20.0]]).round(6)
        array([40.])
        """
        return self.model.predict(X, *args, **kwargs)

    def score(self, X, y, sample_weight: np.ndarray | None = None) -> float:
        """Score of the fitted `model` on `X`, `y`: ``model.score``, or R^2.

        Uses ``model.score(X, y)`` when the model has a ``score`` method (with
        `sample_weight` if given), otherwise the R^2 of its predictions.

        Parameters
        ----------
        X : array_like of shape (N, ...)
            Features.
        y : array_like of shape (N,)
            True target values.
        sample_weight : np.ndarray of shape (N,), optional
            Weights of the examples.

        Returns
        -------
        float

        Raises
        ------
        ValueError
            If `sample_weight` is given but ``model.score`` does not take it.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.regression.learn import CleanLearning
        >>> X = np.arange(10.0).reshape(-1, 1)
        >>> model = CleanLearning().fit(X, 2 * X.ravel(), label_issues=X[:, 0] > 8)
        >>> model.score(X, 2 * X.ravel())
        1.0
        """
        if not hasattr(self.model, "score"):
            return float(
                r2_score(y, self.model.predict(X), sample_weight=sample_weight)
            )
        if sample_weight is None:
            return self.model.score(X, y)
        if not _accepts(self.model.score, "sample_weight"):
            msg = (
                "sample_weight must be a supported score() argument for your "
                f"model; {type(self.model).__name__}.score() does not take it."
            )
            raise ValueError(msg)
        return self.model.score(X, y, sample_weight=sample_weight)

    def find_label_issues(
        self,
        X,
        y,
        *,
        uncertainty=None,
        coarse_search_range: list = [0.01, 0.05, 0.1, 0.15, 0.2],
        fine_search_size: int = 3,
        save_space: bool = False,
        model_kwargs: dict | None = None,
    ) -> pd.DataFrame:
        """Find the examples whose given target value is likely wrong.

        Cross-validates `model` (it is not fitted itself), chooses the fraction
        `k` of examples to leave out (see the class description), and scores
        each label by ``exp(-r / median(r))``, where ``r`` is the absolute
        out-of-sample residual divided by the uncertainty. The ``ceil(N * k)``
        lowest scores are the issues.

        Parameters
        ----------
        X : array_like of shape (N, ...)
            Features.
        y : array_like of shape (N,)
            Given target values, real numbers.
        uncertainty : float or np.ndarray of shape (N,), optional
            Uncertainty of each prediction (a standard deviation), to use
            instead of estimating it; non-negative and finite.
        coarse_search_range : list of float, default=[0.01, 0.05, 0.1, 0.15, 0.2]
            Fractions of examples to try leaving out, each in [0, 1].
        fine_search_size : int, default=3
            Number of fractions tried between the best coarse value and each
            of its neighbours (0: none).
        save_space : bool, default=False
            Do not keep the result in `label_issues_df` and `label_issues_mask`.
        model_kwargs : dict, optional
            Keyword arguments of ``model.fit`` for the main cross-validations
            (the search over fractions and the uncertainty estimates fit
            without them).

        Returns
        -------
        pd.DataFrame
            One row per example, columns ``is_label_issue`` (bool),
            ``label_quality`` (float64 in [0, 1], lower = more likely wrong),
            ``given_label`` (`y`) and ``predicted_label`` (the out-of-sample
            prediction, cast to int when `y` holds integers).

        Raises
        ------
        ValueError
            If `y` is empty, not 1-D, not numeric or holds NaN or infinite
            values; `X` and `y` have different lengths; there are fewer
            examples than folds ("There are too few examples ..."); the search
            range is empty or outside [0, 1]; `fine_search_size` is negative;
            `uncertainty` has the wrong length or invalid values; or `model`
            cannot be cloned.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.regression.learn import CleanLearning
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(100, 2))
        >>> y = X @ [2.0, -1.0] + rng.normal(scale=0.1, size=100)
        >>> y[[3, 50, 70]] += [8, -8, 8]  # three wrong targets
        >>> issues = CleanLearning(seed=0).find_label_issues(X, y)
        >>> issues["label_quality"].nsmallest(3).index.tolist()
        [3, 70, 50]
        >>> list(issues.columns)
        ['is_label_issue', 'label_quality', 'given_label', 'predicted_label']
        """
        X, y = assert_valid_regression_inputs(X, y)
        num_examples = len(y)
        coarse = _check_search_range(coarse_search_range)
        _check_fine_search_size(fine_search_size)
        if uncertainty is not None:
            uncertainty = _check_uncertainty(uncertainty, num_examples)
        model_kwargs = dict(model_kwargs or {})
        rngs = self._new_rngs()
        if self.verbose:
            print(
                "Computing out of sample predictions via "
                f"{self.cv_n_folds}-fold cross validation"
            )
        initial = self._cv_predictions(X, y, rngs=rngs, model_kwargs=model_kwargs)
        order = np.argsort(np.abs(initial - y), kind="stable")
        initial_r2 = r2_score(y, initial)
        if self.verbose:
            print("Searching for the best fraction of examples to leave out ...")
        best_k, best_r2 = self._find_best_k(X, y, order, coarse, fine_search_size, rngs)
        self.k = 0 if initial_r2 >= best_r2 else best_k
        predictions = self._cv_predictions(
            X, y, order, self.k, rngs=rngs, model_kwargs=model_kwargs
        )
        residual = predictions - y
        if uncertainty is None:
            if self.verbose:
                print("Estimating the uncertainty of the predictions ...")
            uncertainty = self._epistemic_uncertainty(X, y, predictions, rngs)
            if self.include_aleatoric_uncertainty:
                uncertainty = uncertainty + self._aleatoric_uncertainty(
                    X, residual, rngs
                )
        label_quality = _residual_quality(residual, uncertainty)
        num_issues = math.ceil(num_examples * self.k)
        is_issue = np.zeros(num_examples, dtype=bool)
        is_issue[np.argsort(label_quality, kind="stable")[:num_issues]] = True
        if y.dtype.kind in "iu":
            predictions = predictions.astype(int)
        issues_df = pd.DataFrame(
            {
                "is_label_issue": is_issue,
                "label_quality": label_quality,
                "given_label": y,
                "predicted_label": predictions,
            }
        )
        if not save_space:
            self.label_issues_df = issues_df
            self.label_issues_mask = is_issue
        return issues_df

    def get_label_issues(self) -> pd.DataFrame | None:
        """The DataFrame of the last `find_label_issues` or `fit` call, or None.

        Returns
        -------
        pd.DataFrame or None

        Warns
        -----
        UserWarning
            If no label issues have been computed yet.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.regression.learn import CleanLearning
        >>> X = np.arange(10.0).reshape(-1, 1)
        >>> model = CleanLearning().fit(X, 2 * X.ravel(), label_issues=X[:, 0] > 8)
        >>> int(model.get_label_issues()["is_label_issue"].sum())
        1
        """
        if self.label_issues_df is None:
            warnings.warn(
                "Label issues have not yet been computed. Run "
                "`self.find_label_issues()` or `self.fit()` first.",
                UserWarning,
                stacklevel=user_stacklevel(),
            )
        return self.label_issues_df

    def get_epistemic_uncertainty(self, X, y, predictions=None) -> np.ndarray:
        """Epistemic (model) uncertainty of each prediction.

        The standard deviation, per example, of the out-of-sample predictions
        of `n_boot` 2-fold cross-validations, each on a new random split of all
        the data (and of `predictions`, when given).

        Parameters
        ----------
        X : array_like of shape (N, ...)
            Features.
        y : array_like of shape (N,)
            Target values.
        predictions : np.ndarray of shape (N,), optional
            Further predictions to include in the spread.

        Returns
        -------
        np.ndarray of shape (N,)
            Non-negative; zeros when `n_boot` is 0.

        Raises
        ------
        ValueError
            For invalid `X`, `y` or `predictions`, or too few examples for 2
            folds.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.regression.learn import CleanLearning
        >>> X = np.arange(10.0).reshape(-1, 1)
        >>> u = CleanLearning(seed=0).get_epistemic_uncertainty(X, 2 * X.ravel())
        >>> u.shape, bool(np.allclose(u, 0))
        ((10,), True)
        """
        X, y = assert_valid_regression_inputs(X, y)
        if predictions is not None:
            predictions = check_dimension_and_datatype(predictions, "predictions")
            if len(predictions) != len(y):
                msg = (
                    "predictions must have the same length as y; got "
                    f"{len(predictions)} and {len(y)}."
                )
                raise ValueError(msg)
        return self._epistemic_uncertainty(X, y, predictions, self._new_rngs())

    def get_aleatoric_uncertainty(self, X, residual) -> float:
        """Aleatoric (data) uncertainty: how predictable the residuals are.

        The standard deviation of the out-of-sample predictions of `residual`
        from `X`, by `cv_n_folds`-fold cross-validation of `model`.

        Parameters
        ----------
        X : array_like of shape (N, ...)
            Features.
        residual : array_like of shape (N,)
            Residuals of the predictions (prediction minus label).

        Returns
        -------
        float
            Non-negative.

        Raises
        ------
        ValueError
            For invalid `X` or `residual` (named `y` in the messages), or too
            few examples for the folds.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.regression.learn import CleanLearning
        >>> X = np.arange(10.0).reshape(-1, 1)
        >>> model = CleanLearning(seed=0)
        >>> round(model.get_aleatoric_uncertainty(X, 0.5 * X.ravel()), 6)
        1.436141
        """
        X, residual = assert_valid_regression_inputs(X, residual)
        return self._aleatoric_uncertainty(X, residual, self._new_rngs())

    def save_space(self):
        """Forget the label issues and `k` (sets them to None) to free memory.

        Examples
        --------
        >>> import numpy as np
        >>> from cleanlab.regression.learn import CleanLearning
        >>> X = np.arange(10.0).reshape(-1, 1)
        >>> model = CleanLearning().fit(X, 2 * X.ravel(), label_issues=X[:, 0] > 8)
        >>> model.save_space()
        >>> model.label_issues_df is None
        True
        """
        self.label_issues_df = None
        self.label_issues_mask = None
        self.k = None

    # -- cross-validation --------------------------------------------------

    def _new_rngs(self):
        """Generators of one call: folds (cleanlab 2.9's draws) and model seeds.

        Both are None without a seed (the folds then use NumPy's global
        generator, and fold models keep their own ``random_state``).
        """
        if self.seed is None:
            return _Rngs(None, None)
        return _Rngs(np.random.RandomState(self.seed), np.random.default_rng(self.seed))

    def _get_cv_predictions(
        self,
        X,
        y,
        sorted_index=None,
        k=0,
        *,
        cv_n_folds=None,
        seed=None,
        model_kwargs=None,
    ) -> np.ndarray:
        """Out-of-sample predictions, leaving out the last fraction `k` of examples.

        `seed` is the seed of this call's splits (an int or a
        ``np.random.RandomState``; None: NumPy's global generator).
        """
        if isinstance(seed, np.random.RandomState) or seed is None:
            rngs = _Rngs(seed, None)
        else:
            rngs = _Rngs(np.random.RandomState(seed), np.random.default_rng(seed))
        return self._cv_predictions(
            X,
            y,
            sorted_index,
            k,
            cv_n_folds=cv_n_folds,
            rngs=rngs,
            model_kwargs=model_kwargs,
        )

    def _cv_predictions(
        self,
        X,
        y,
        sorted_index=None,
        k=0,
        *,
        cv_n_folds=None,
        rngs,
        model_kwargs=None,
    ) -> np.ndarray:
        """Out-of-sample float predictions of all N examples (inputs trusted).

        The examples are taken in the order `sorted_index` (default: as
        given); with ``k > 0``, the last ``ceil(len * k)`` of them are held out
        of every fold and predicted by the mean of the fold models. The others
        are split by ``KFold(shuffle=True)`` drawing from ``rngs.folds``.
        """
        folds = self.cv_n_folds if cv_n_folds is None else cv_n_folds
        model_kwargs = model_kwargs or {}
        if not 0 <= k <= 1:
            msg = f"k must be a fraction in [0, 1]; got {k!r}."
            raise ValueError(msg)
        num_examples = len(y)
        if sorted_index is None:
            sorted_index = np.arange(num_examples)
        if k == 0:
            in_sample, held_out = sorted_index, sorted_index[:0]
        else:
            num_drop = math.ceil(len(sorted_index) * k)
            in_sample = sorted_index[:-num_drop]
            held_out = sorted_index[-num_drop:]
        if len(in_sample) < folds:
            msg = (
                f"There are too few examples to conduct {folds}-fold cross "
                "validation. You can either reduce cv_n_folds for cross "
                "validation, or decrease k to exclude less data. "
                f"({len(in_sample)} examples are left for the folds.)"
            )
            raise ValueError(msg)
        splitter = KFold(n_splits=folds, shuffle=True, random_state=rngs.folds)
        predictions = np.zeros(num_examples)
        held_out_sum = np.zeros(len(held_out))
        X_held_out = take_rows(X, held_out) if len(held_out) else None
        for train, holdout in splitter.split(in_sample):
            train_rows, holdout_rows = in_sample[train], in_sample[holdout]
            fold_model = self._clone_model(rngs.models)
            fold_model.fit(take_rows(X, train_rows), y[train_rows], **model_kwargs)
            predictions[holdout_rows] = fold_model.predict(take_rows(X, holdout_rows))
            if X_held_out is not None:
                held_out_sum += fold_model.predict(X_held_out)
        predictions[held_out] = held_out_sum / folds
        return predictions

    def _clone_model(self, model_rng):
        """A fresh copy of `model`; its random_state drawn from `model_rng` if None."""
        try:
            fold_model = clone(self.model)
        except Exception as err:
            msg = (
                "`model` must be clonable with sklearn.base.clone (it is copied for "
                f"each cross-validation fold): {err}"
            )
            raise ValueError(msg) from err
        if model_rng is not None and hasattr(fold_model, "get_params"):
            if fold_model.get_params().get("random_state", 0) is None:
                state = int(model_rng.integers(2**31 - 1))
                fold_model.set_params(random_state=state)
        return fold_model

    def _find_best_k(self, X, y, order, coarse, fine_search_size, rngs):
        """(k, R^2) of the best fraction k of worst examples to leave out.

        Tries the sorted `coarse` values, then `fine_search_size` values
        between the best one and each neighbour; a fraction leaving fewer
        examples than folds scores `SKIPPED_R2` without cross-validating.
        Fine values win ties.
        """
        num_examples = len(y)
        if len(coarse) == 1:
            k = coarse[0]
            if math.floor(num_examples * (1 - k)) < self.cv_n_folds:
                msg = (
                    f"There are too few examples to conduct {self.cv_n_folds}-fold "
                    "cross validation. You can either reduce self.cv_n_folds for "
                    "cross validation, or decrease k to exclude less data."
                )
                raise ValueError(msg)
            return float(k), self._r2_leaving_out(X, y, order, k, rngs)
        coarse = np.sort(coarse)
        coarse_r2 = [self._r2_leaving_out(X, y, order, k, rngs) for k in coarse]
        best = int(np.argmax(coarse_r2))
        if fine_search_size == 0:
            return float(coarse[best]), coarse_r2[best]
        fine = _fine_grid(coarse, best, fine_search_size)
        fine_r2 = [self._r2_leaving_out(X, y, order, k, rngs) for k in fine]
        best_fine = int(np.argmax(fine_r2))
        if coarse_r2[best] > fine_r2[best_fine]:
            return float(coarse[best]), coarse_r2[best]
        return float(fine[best_fine]), fine_r2[best_fine]

    def _r2_leaving_out(self, X, y, order, k, rngs) -> float:
        """R^2 of the predictions with the fraction `k` of worst examples held out."""
        if math.floor(len(y) * (1 - k)) < self.cv_n_folds:
            return SKIPPED_R2
        predictions = self._cv_predictions(X, y, order, k, rngs=rngs)
        return float(r2_score(y, predictions))

    def _epistemic_uncertainty(self, X, y, predictions, rngs) -> np.ndarray:
        """Std of `n_boot` 2-fold CV predictions (and `predictions`), per example."""
        if self.n_boot == 0:
            return np.zeros(len(y))
        columns = [
            self._cv_predictions(X, y, cv_n_folds=EPISTEMIC_FOLDS, rngs=rngs)
            for _ in range(self.n_boot)
        ]
        if predictions is not None:
            columns.append(np.asarray(predictions, dtype=np.float64))
        return np.sqrt(np.var(np.column_stack(columns), axis=1))

    def _aleatoric_uncertainty(self, X, residual, rngs) -> float:
        """Std of the out-of-sample predictions of `residual`."""
        return float(np.sqrt(np.var(self._cv_predictions(X, residual, rngs=rngs))))


class _Rngs:
    """The generators of one call: `folds` for the splits, `models` for seeds."""

    __slots__ = ("folds", "models")

    def __init__(self, folds, models):
        self.folds = folds
        self.models = models


def _is_integer(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _accepts(method, name: str) -> bool:
    """Whether `method` has a parameter called `name`."""
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters


def _fine_grid(coarse: np.ndarray, best: int, size: int) -> np.ndarray:
    """`size` values strictly between ``coarse[best]`` and each of its neighbours."""
    parts = []
    if best > 0:
        parts.append(
            np.linspace(coarse[best - 1], coarse[best], size + 1, endpoint=False)[1:]
        )
    if best < len(coarse) - 1:
        parts.append(
            np.linspace(coarse[best], coarse[best + 1], size + 1, endpoint=False)[1:]
        )
    return np.concatenate(parts)


def _residual_quality(residual: np.ndarray, uncertainty) -> np.ndarray:
    """``exp(-r / median(r))`` with ``r = |residual / (uncertainty + 1e-100)|``."""
    ratio = np.abs(residual / (uncertainty + TINY_VALUE))
    median = max(float(np.median(ratio)), TINY_VALUE)
    return np.exp(-ratio / median)


def _check_search_range(coarse_search_range) -> np.ndarray:
    """The coarse grid as a float array, or raise."""
    values = np.array(coarse_search_range, dtype=object)
    if values.ndim != 1 or len(values) == 0:
        msg = (
            "coarse_search_range must have at least 1 value of k; got "
            f"{coarse_search_range!r}."
        )
        raise ValueError(msg)
    try:
        values = values.astype(np.float64)
    except (TypeError, ValueError) as err:
        msg = (
            "coarse_search_range must hold fractions in [0, 1]; got "
            f"{coarse_search_range!r}."
        )
        raise ValueError(msg) from err
    if not np.all((values >= 0) & (values <= 1)):
        msg = (
            "coarse_search_range must hold fractions in [0, 1]; got "
            f"{coarse_search_range!r}."
        )
        raise ValueError(msg)
    return values


def _check_fine_search_size(fine_search_size) -> None:
    if not _is_integer(fine_search_size) or fine_search_size < 0:
        msg = f"fine_search_size must at least 0; got {fine_search_size!r}."
        raise ValueError(msg)


def _check_uncertainty(uncertainty, num_examples: int):
    """`uncertainty` as a float or a float array of shape (N,), or raise."""
    values = np.array(uncertainty, dtype=object)
    if values.ndim == 1 and len(values) != num_examples:
        msg = (
            "If uncertainty is passed in as an array, it must have the same length "
            f"as y. It has {len(values)} values, `y` has {num_examples}."
        )
        raise ValueError(msg)
    if values.ndim > 1:
        msg = (
            "uncertainty must be a number or a 1-D array with one value per "
            f"example; got shape {values.shape}."
        )
        raise ValueError(msg)
    try:
        values = values.astype(np.float64)
    except (TypeError, ValueError) as err:
        msg = "uncertainty must hold non-negative finite numbers."
        raise ValueError(msg) from err
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        msg = "uncertainty must hold non-negative finite numbers."
        raise ValueError(msg)
    return float(values) if values.ndim == 0 else values


def _process_label_issues_arg(label_issues, y: np.ndarray) -> pd.DataFrame:
    """The `label_issues` argument of `fit` as a new DataFrame with is_label_issue."""
    if isinstance(label_issues, pd.DataFrame):
        if "is_label_issue" not in label_issues.columns:
            msg = (
                "DataFrame label_issues must contain column: 'is_label_issue'. See "
                "CleanLearning.fit() documentation for label_issues column "
                "descriptions."
            )
            raise ValueError(msg)
        if len(label_issues) != len(y):
            msg = (
                "label_issues and labels must have same length; got "
                f"{len(label_issues)} and {len(y)}."
            )
            raise ValueError(msg)
        if "given_label" in label_issues.columns and not np.array_equal(
            label_issues["given_label"].to_numpy(), y
        ):
            msg = "labels must match label_issues['given_label']"
            raise ValueError(msg)
        if label_issues["is_label_issue"].dtype.kind != "b":
            msg = (
                "label_issues['is_label_issue'] must be boolean; got dtype "
                f"{label_issues['is_label_issue'].dtype}."
            )
            raise ValueError(msg)
        return label_issues.copy()
    if is_pandas_series(label_issues) or isinstance(label_issues, np.ndarray):
        mask = np.asarray(label_issues)
        if mask.dtype.kind != "b":
            msg = (
                "If label_issues is numpy.array, dtype must be 'bool'. Got dtype "
                f"{mask.dtype}."
            )
            raise ValueError(msg)
        if mask.shape != y.shape:
            msg = (
                "label_issues must have same shape as labels; got "
                f"{mask.shape} and {y.shape}."
            )
            raise ValueError(msg)
        return pd.DataFrame({"is_label_issue": mask.copy(), "given_label": y})
    msg = (
        "label_issues must be either pandas.DataFrame, pandas.Series or "
        f"numpy.ndarray; got {type(label_issues).__name__}."
    )
    raise ValueError(msg)
