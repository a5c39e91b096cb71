"""Count label noise: the confident joint, noise matrices and number of issues.

The confident joint ``C[i, j]`` counts the examples given label ``i`` that the
model confidently believes to be class ``j``; everything here is derived from it:
the normalized joint ``P(given, true)``, the noise matrix ``P(given | true)``, the
inverse noise matrix ``P(true | given)``, the prior of the true labels and the
estimated number of label issues.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from cleanlab.internal.confident_learning import (
    calibrate_to_class_counts,
    calibrated_num_issues,
    confident_issues,
    confident_pass,
    confident_thresholds,
    floor_diagonal,
    given_label_is_top,
)
from cleanlab.internal.constants import (
    CONFIDENT_THRESHOLDS_LOWER_BOUND,
    FLOATING_POINT_COMPARISON,
    TINY_VALUE,
)
from cleanlab.internal.containers import is_dask_array
from cleanlab.internal.errors import user_stacklevel
from cleanlab.internal.latent_algebra import (
    compute_inv_noise_matrix,
    compute_noise_matrix_from_inverse,
    compute_py,
)
from cleanlab.internal.lazy import lazy_getattr
from cleanlab.internal.multilabel_filter import (
    binary_class_counts,
    find_multilabel_issues,
    issues_from_binary_joints,
    ovr_confident_joints,
)
from cleanlab.internal.multilabel_kernels import (
    all_binary_thresholds,
    calibrate_binary_joints,
)
from cleanlab.internal.multilabel_utils import (
    check_multi_label_list,
    check_multilabel_inputs,
    multilabel_onehot,
)
from cleanlab.internal.util import (
    append_extra_datapoint,
    clip_noise_rates,
    clip_values,
    train_val_split,
    value_counts_fill_missing_classes,
)
from cleanlab.internal.validation import (
    assert_valid_inputs,
    check_option,
    check_square_counts,
    check_thresholds,
    labels_to_array,
)

if TYPE_CHECKING:
    from cleanlab.typing import LabelLike

__all__ = [
    "calibrate_confident_joint",
    "compute_confident_joint",
    "estimate_joint",
    "estimate_latent",
    "estimate_confident_joint_and_cv_pred_proba",
    "estimate_cv_predicted_probabilities",
    "estimate_noise_matrices",
    "estimate_py_and_noise_matrices_from_probabilities",
    "estimate_py_noise_matrices_and_cv_pred_proba",
    "get_confident_thresholds",
    "num_label_issues",
]

# Kept importable from here: code written for cleanlab 2.9 imports them from
# count. The scikit-learn ones load on first access (see internal.lazy).
__getattr__ = lazy_getattr(
    __name__,
    {
        "LogReg": ("sklearn.linear_model", "LogisticRegression"),
        "StratifiedKFold": ("sklearn.model_selection", "StratifiedKFold"),
        "confusion_matrix": ("sklearn.metrics", "confusion_matrix"),
    },
)
_REEXPORTED = (
    compute_inv_noise_matrix,
    compute_noise_matrix_from_inverse,
    compute_py,
    CONFIDENT_THRESHOLDS_LOWER_BOUND,
    FLOATING_POINT_COMPARISON,
    TINY_VALUE,
)


class _DefaultClassifier:
    """Stands for ``LogisticRegression(solver="lbfgs")``, the default `clf` of
    the cross-validation functions, so that scikit-learn loads only when they
    run."""

    def __repr__(self) -> str:
        return "LogisticRegression(solver='lbfgs')"


DEFAULT_CLASSIFIER = _DefaultClassifier()

ESTIMATION_METHODS = ("off_diagonal", "off_diagonal_calibrated", "off_diagonal_custom")


def num_label_issues(
    labels: LabelLike,
    pred_probs: np.ndarray,
    *,
    confident_joint: np.ndarray | None = None,
    estimation_method: str = "off_diagonal",
    multi_label: bool = False,
) -> int:
    """Estimate the number of label issues in a dataset.

    Parameters
    ----------
    labels : array_like of shape (N,)
        Given class label of each example, an integer in ``0..K-1``; for
        ``multi_label=True`` a list of lists of class indices.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted class probabilities (float32 or float64). A Dask array
        chunked by rows (with `labels` in memory or a Dask array of the same row chunks)
        is processed on the Dask cluster, with the same result; see docs/scaling.md.
    confident_joint : np.ndarray of shape (K, K), optional
        Precomputed confident joint, used only by ``"off_diagonal_custom"``.
    estimation_method : {"off_diagonal", "off_diagonal_calibrated", \
"off_diagonal_custom"}, default="off_diagonal"
        ``"off_diagonal"`` counts the off-diagonal examples of the confident joint
        whose given label is not (within 1e-6) their top prediction; the other two
        use ``N * (1 - trace(joint))`` of the calibrated or the supplied joint.
    multi_label : bool, default=False
        Count examples with an issue in any class of multi-label data.

    Returns
    -------
    num_issues : np.int64
        Estimated number of examples whose given label is wrong.

    Raises
    ------
    ValueError
        For an unknown `estimation_method`, ``"off_diagonal_custom"`` without a
        `confident_joint`, or invalid `labels`/`pred_probs`.

    Warns
    -----
    UserWarning
        When a `confident_joint` is passed but `estimation_method` ignores it.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.count import num_label_issues
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.9, 0.1]])
    >>> int(num_label_issues([0, 0, 1, 1], pred_probs))  # the last label
    1
    """
    if isinstance(confident_joint, np.ndarray) and (
        estimation_method != "off_diagonal_custom"
    ):
        warnings.warn(
            "The supplied `confident_joint` is ignored: with "
            f"estimation_method={estimation_method!r} it is recomputed from "
            "`labels` and `pred_probs`. Use estimation_method='off_diagonal_custom' "
            "to count issues from your own confident joint.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    if estimation_method not in ESTIMATION_METHODS:
        msg = (
            f"{estimation_method} is not a valid estimation method! Please choose "
            f"a valid estimation method: {list(ESTIMATION_METHODS)}"
        )
        raise ValueError(msg)
    if is_dask_array(labels) or is_dask_array(pred_probs):
        _check_not_multilabel_dask(multi_label)
        return _num_label_issues_dask(
            labels, pred_probs, confident_joint, estimation_method
        )
    if multi_label:
        return _num_label_issues_multilabel(
            labels,
            pred_probs,
            confident_joint=confident_joint,
            estimation_method=estimation_method,
        )
    labels = labels_to_array(labels)
    assert_valid_inputs(None, labels, pred_probs)
    return _num_label_issues_validated(
        labels.astype(np.int64, copy=False),
        pred_probs,
        confident_joint=confident_joint,
        estimation_method=estimation_method,
    )


def _num_label_issues_validated(
    labels, pred_probs, *, confident_joint=None, estimation_method="off_diagonal"
):
    """`num_label_issues` on validated int labels (no warnings, no checks)."""
    if estimation_method == "off_diagonal":
        return np.sum(confident_issues(labels, pred_probs)[2])
    if estimation_method == "off_diagonal_custom":
        _check_custom_confident_joint(confident_joint)
        joint = estimate_joint(labels, pred_probs, confident_joint=confident_joint)
        return np.rint((1 - np.trace(joint)) * len(labels)).astype(int)
    counts = confident_issues(labels, pred_probs)[0]
    class_counts = value_counts_fill_missing_classes(labels, pred_probs.shape[1])
    return calibrated_num_issues(counts, class_counts)


def _check_custom_confident_joint(confident_joint) -> None:
    """Raise unless a confident joint was given for 'off_diagonal_custom'."""
    if not isinstance(confident_joint, np.ndarray):
        msg = (
            "No `confident_joint` provided. For 'estimation_method' = "
            "off_diagonal_custom you need to provide pre-calculated "
            "`confident_joint` (a K x K numpy array)."
        )
        raise ValueError(msg)


def calibrate_confident_joint(
    confident_joint: np.ndarray, labels: LabelLike, *, multi_label: bool = False
) -> np.ndarray:
    """Rescale a confident joint so its rows match the given-label class counts.

    Each row ``i`` is scaled to sum to the number of examples labelled ``i``, then
    the whole matrix to sum to N, and rows are rounded to integers preserving
    their totals.

    Parameters
    ----------
    confident_joint : np.ndarray of shape (K, K)
        Counts indexed ``[given, true]`` (``(K, 2, 2)`` for multi-label).
    labels : array_like of shape (N,)
        The given labels the counts came from.
    multi_label : bool, default=False
        Calibrate each class's 2 x 2 one-vs-rest matrix.

    Returns
    -------
    calibrated : np.ndarray of shape (K, K), dtype int64

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.count import calibrate_confident_joint
    >>> confident_joint = np.array([[1, 0], [1, 1]])
    >>> calibrate_confident_joint(confident_joint, [0, 0, 1, 1])  # rows sum to 2
    array([[2, 0],
           [1, 1]])
    """
    if multi_label:
        return _calibrate_confident_joint_multilabel(confident_joint, labels)
    confident_joint = check_square_counts(confident_joint)
    num_classes = len(confident_joint)
    class_counts = value_counts_fill_missing_classes(
        labels_to_array(labels), num_classes
    )
    return calibrate_to_class_counts(confident_joint, class_counts)


def estimate_joint(
    labels: LabelLike,
    pred_probs: np.ndarray,
    *,
    confident_joint: np.ndarray | None = None,
    multi_label: bool = False,
) -> np.ndarray:
    """Estimate the joint distribution ``P(given label, true label)``.

    Parameters
    ----------
    labels : array_like of shape (N,), or None
        Given labels; may be None only when `confident_joint` is given, which is
        then normalized as it is (not calibrated).
    pred_probs : np.ndarray of shape (N, K), or None
        Predicted probabilities; unused when `confident_joint` is given.
    confident_joint : np.ndarray of shape (K, K), optional
        A confident joint to calibrate (when labels are given) and normalize.
    multi_label : bool, default=False
        Return one 2 x 2 joint per class, shape (K, 2, 2).

    Returns
    -------
    joint : np.ndarray of shape (K, K), float
        Sums to 1; rows are given labels, columns true labels.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.count import estimate_joint
    >>> estimate_joint(None, None, confident_joint=np.array([[3, 1], [1, 5]]))
    array([[0.3, 0.1],
           [0.1, 0.5]])
    """
    if multi_label:
        return _estimate_joint_multilabel(labels, pred_probs, confident_joint)
    if confident_joint is None:
        counts = compute_confident_joint(labels, pred_probs, calibrate=True)
    elif labels is not None:
        counts = calibrate_confident_joint(confident_joint, labels)
    else:
        counts = check_square_counts(confident_joint)
    return counts / max(float(np.sum(counts)), TINY_VALUE)


def compute_confident_joint(
    labels: LabelLike,
    pred_probs: np.ndarray,
    *,
    thresholds: np.ndarray | list | None = None,
    calibrate: bool = True,
    multi_label: bool = False,
    return_indices_of_off_diagonals: bool = False,
) -> np.ndarray | tuple[np.ndarray, list]:
    """Count examples by given label and confidently guessed true label.

    An example is confidently class ``k`` when ``pred_probs[i, k]`` reaches the
    class threshold (the mean self-confidence of class ``k``, less 1e-6). Examples
    confident in no class are not counted; those confident in several are counted
    under their argmax class.

    Parameters
    ----------
    labels : array_like of shape (N,)
        Given labels, integers in ``0..K-1`` (lists of lists for multi-label).
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probabilities, float32 or float64. A Dask array chunked
        by rows (with `labels` in memory or a Dask array of the same row chunks) is
        processed on the Dask cluster, with the same result; see docs/scaling.md.
    thresholds : array_like of shape (K,), optional
        Per-class thresholds to use instead of the mean self-confidences.
    calibrate : bool, default=True
        Rescale the counts to the class counts of `labels` (see
        `calibrate_confident_joint`).
    multi_label : bool, default=False
        Return one 2 x 2 confident joint per class, shape (K, 2, 2).
    return_indices_of_off_diagonals : bool, default=False
        Also return the indices of the counted examples whose guess differs from
        their given label (for multi-label, one index array per class).

    Returns
    -------
    confident_joint : np.ndarray of shape (K, K), dtype int64
        Rows are given labels, columns guessed true labels; every diagonal entry is
        at least 1 before calibration.
    off_diagonal_indices : np.ndarray of int64
        Only with ``return_indices_of_off_diagonals=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.count import compute_confident_joint
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.9, 0.1]])
    >>> compute_confident_joint([0, 0, 1, 1], pred_probs, calibrate=False)
    array([[1, 0],
           [1, 1]])
    >>> compute_confident_joint([0, 0, 1, 1], pred_probs)  # rows sum to counts
    array([[2, 0],
           [1, 1]])
    """
    if is_dask_array(labels) or is_dask_array(pred_probs):
        _check_not_multilabel_dask(multi_label)
        return _compute_confident_joint_dask(
            labels, pred_probs, thresholds, calibrate, return_indices_of_off_diagonals
        )
    if multi_label:
        return _compute_confident_joint_multi_label(
            labels,
            pred_probs,
            thresholds=thresholds,
            calibrate=calibrate,
            return_indices_of_off_diagonals=return_indices_of_off_diagonals,
        )
    labels = labels_to_array(labels)
    assert_valid_inputs(None, labels, pred_probs, allow_one_class=True)
    labels = labels.astype(np.int64, copy=False)
    if thresholds is not None:
        thresholds = check_thresholds(thresholds, pred_probs.shape[1])
    joint, is_off_diagonal, _, _ = confident_pass(labels, pred_probs, thresholds)
    if calibrate:
        joint = calibrate_confident_joint(joint, labels)
    if return_indices_of_off_diagonals:
        return joint, np.flatnonzero(is_off_diagonal)
    return joint


def estimate_latent(
    confident_joint: np.ndarray,
    labels: np.ndarray,
    *,
    py_method: str = "cnt",
    converge_latent_estimates: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimate ``py``, the noise matrix and the inverse noise matrix.

    Parameters
    ----------
    confident_joint : np.ndarray of shape (K, K)
        Counts indexed ``[given, true]``, usually calibrated.
    labels : array_like of shape (N,)
        The given labels.
    py_method : {"cnt", "eqn", "marginal", "marginal_ps"}, default="cnt"
        How the prior of the true labels is estimated.
    converge_latent_estimates : bool, default=False
        Iterate the three estimates into mutual consistency.

    Returns
    -------
    py : np.ndarray of shape (K,)
        ``P(true = k)``.
    noise_matrix : np.ndarray of shape (K, K)
        ``P(given = i | true = j)``; columns sum to 1.
    inverse_noise_matrix : np.ndarray of shape (K, K)
        ``P(true = j | given = i)`` at ``[j, i]``; columns sum to 1.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.count import estimate_latent
    >>> confident_joint = np.array([[2, 0], [1, 1]])
    >>> py, noise_matrix, inverse_noise_matrix = estimate_latent(
    ...     confident_joint, np.array([0, 0, 1, 1])
    ... )
    >>> py
    array([0.75, 0.25])
    >>> noise_matrix
    array([[0.667, 0.   ],
           [0.333, 1.   ]])
    """
    confident_joint = check_square_counts(confident_joint)
    labels = labels_to_array(labels)
    num_classes = len(confident_joint)
    ps = value_counts_fill_missing_classes(labels, num_classes) / float(len(labels))
    row_sums = confident_joint.sum(axis=1).astype(float)
    col_sums = confident_joint.sum(axis=0).astype(float)
    noise_matrix = confident_joint / np.maximum(col_sums, TINY_VALUE)
    inverse_noise_matrix = confident_joint.T / np.maximum(row_sums, TINY_VALUE)
    py = compute_py(
        ps,
        noise_matrix,
        inverse_noise_matrix,
        py_method=py_method,
        true_labels_class_counts=col_sums,
    )
    noise_matrix = clip_noise_rates(noise_matrix)
    inverse_noise_matrix = clip_noise_rates(inverse_noise_matrix)
    if converge_latent_estimates:
        py, noise_matrix, inverse_noise_matrix = _converge_estimates(
            ps, py, noise_matrix, inverse_noise_matrix
        )
        py = clip_values(py, low=1e-5, high=1.0, new_sum=1.0)
        noise_matrix = clip_noise_rates(noise_matrix)
        inverse_noise_matrix = clip_noise_rates(inverse_noise_matrix)
    return py, noise_matrix, inverse_noise_matrix


def _converge_estimates(
    ps,
    py,
    noise_matrix,
    inverse_noise_matrix,
    *,
    inv_noise_matrix_iterations: int = 5,
    noise_matrix_iterations: int = 3,
):
    """Alternate Bayes-rule updates of `py` and both noise matrices."""
    for _ in range(noise_matrix_iterations):
        for _ in range(inv_noise_matrix_iterations):
            inverse_noise_matrix = compute_inv_noise_matrix(py, noise_matrix, ps=ps)
            py = compute_py(ps, noise_matrix, inverse_noise_matrix)
        noise_matrix = compute_noise_matrix_from_inverse(
            ps, inverse_noise_matrix, py=py
        )
    return py, noise_matrix, inverse_noise_matrix


def estimate_py_and_noise_matrices_from_probabilities(
    labels: np.ndarray,
    pred_probs: np.ndarray,
    *,
    thresholds: np.ndarray | list | None = None,
    converge_latent_estimates: bool = True,
    py_method: str = "cnt",
    calibrate: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Estimate ``py``, both noise matrices and the confident joint from probabilities.

    Parameters
    ----------
    labels : array_like of shape (N,)
        Given labels, integers in ``0..K-1``.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probabilities.
    thresholds : array_like of shape (K,), optional
        Per-class confidence thresholds (default: mean self-confidence per class).
    converge_latent_estimates : bool, default=True
        Iterate the estimates into mutual consistency.
    py_method : {"cnt", "eqn", "marginal", "marginal_ps"}, default="cnt"
    calibrate : bool, default=True
        Calibrate the confident joint to the class counts.

    Returns
    -------
    py, noise_matrix, inverse_noise_matrix, confident_joint
        See `estimate_latent` and `compute_confident_joint`.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.count import (
    ...     estimate_py_and_noise_matrices_from_probabilities,
    ... )
    >>> labels = np.array([0, 0, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.9, 0.1]])
    >>> py, noise_matrix, inverse_noise_matrix, confident_joint = (
    ...     estimate_py_and_noise_matrices_from_probabilities(labels, pred_probs)
    ... )
    >>> py
    array([0.75, 0.25])
    >>> confident_joint
    array([[2, 0],
           [1, 1]])
    """
    check_option("py_method", py_method, ("cnt", "eqn", "marginal", "marginal_ps"))
    confident_joint = compute_confident_joint(
        labels, pred_probs, thresholds=thresholds, calibrate=calibrate
    )
    py, noise_matrix, inverse_noise_matrix = estimate_latent(
        confident_joint,
        labels,
        py_method=py_method,
        converge_latent_estimates=converge_latent_estimates,
    )
    return py, noise_matrix, inverse_noise_matrix, confident_joint


def estimate_confident_joint_and_cv_pred_proba(
    X,
    labels,
    clf=DEFAULT_CLASSIFIER,
    *,
    cv_n_folds=5,
    thresholds=None,
    seed=None,
    calibrate=True,
    clf_kwargs={},
    validation_func=None,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-sample predicted probabilities by cross-validation, and the
    confident joint computed from them.

    Parameters
    ----------
    X : array_like of shape (N, ...)
        Features: numpy array, pandas DataFrame, scipy sparse matrix, or any
        container `clf` accepts that supports indexing by a list of rows.
    labels : array_like of shape (N,)
        Given labels, integers ``0..K-1``, every class present.
    clf : estimator, default=LogisticRegression(solver="lbfgs")
        Any classifier with scikit-learn's ``fit``/``predict_proba``; it is
        cloned for each fold, never fitted itself.
    cv_n_folds : int, default=5
        Number of stratified folds.
    thresholds : array_like of shape (K,), optional
        Per-class thresholds for the confident joint.
    seed : int, optional
        Seed of the fold shuffling (None: NumPy's global generator).
    calibrate : bool, default=True
        Calibrate the confident joint.
    clf_kwargs : dict, default={}
        Extra keyword arguments of ``clf.fit``.
    validation_func : callable, optional
        ``validation_func(X_holdout, labels_holdout)`` returns a dict of extra
        ``fit`` keyword arguments for each fold (e.g. an evaluation set).

    Returns
    -------
    confident_joint : np.ndarray of shape (K, K)
    pred_probs : np.ndarray of shape (N, K)
        Each row predicted by the model not trained on it.

    Warns
    -----
    UserWarning
        When a class is missing from a fold's training part; one holdout example
        of that class is then added to the training part.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.count import estimate_confident_joint_and_cv_pred_proba
    >>> X = np.r_[np.linspace(0, 1, 10), np.linspace(3, 4, 10)].reshape(-1, 1)
    >>> labels = np.repeat([0, 1], 10)
    >>> labels[0] = 1  # an example of class 0 labelled 1
    >>> confident_joint, pred_probs = estimate_confident_joint_and_cv_pred_proba(
    ...     X, labels, cv_n_folds=3, seed=0
    ... )
    >>> confident_joint
    array([[ 9,  0],
           [ 1, 10]])
    >>> pred_probs.shape
    (20, 2)
    """
    assert_valid_inputs(X, labels)
    labels = labels_to_array(labels).astype(np.int64, copy=False)
    if validation_func is not None and not callable(validation_func):
        msg = "validation_func must be callable function with args: X_val, y_val"
        raise TypeError(msg)
    pred_probs = _cross_val_pred_probs(
        X,
        labels,
        clf,
        cv_n_folds=cv_n_folds,
        seed=seed,
        clf_kwargs=clf_kwargs,
        validation_func=validation_func,
    )
    confident_joint = compute_confident_joint(
        labels, pred_probs, thresholds=thresholds, calibrate=calibrate
    )
    return confident_joint, pred_probs


def _cross_val_pred_probs(
    X,
    labels: np.ndarray,
    clf,
    *,
    cv_n_folds: int,
    seed,
    clf_kwargs: dict,
    validation_func,
    n_jobs: int | None = None,
    verbose: bool = False,
    fold_random_states: bool = False,
) -> np.ndarray:
    """Out-of-sample (N, K) pred_probs of validated int `labels` by stratified CV.

    The folds are drawn once, here; each is fitted on a fresh clone of `clf`,
    on `n_jobs` joblib workers (None: one, or the active joblib backend's
    default). With `fold_random_states` and a `seed`, a clone whose
    ``random_state`` is None gets one drawn from `seed` for its fold, so that a
    randomized classifier gives the same result for every `n_jobs`.
    """
    from joblib import Parallel, delayed
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold

    if clf is None or clf is DEFAULT_CLASSIFIER:
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(solver="lbfgs")
    try:
        clone(clf)
    except Exception as err:
        msg = (
            "`clf` must be clonable via: sklearn.base.clone(clf). You can either "
            "implement instance method `clf.get_params()` to produce a fresh "
            "untrained copy of this model, or pass in precomputed `pred_probs`."
        )
        raise ValueError(msg) from err
    num_classes = len(np.unique(labels))
    folds = StratifiedKFold(n_splits=cv_n_folds, shuffle=True, random_state=seed)
    splits = list(folds.split(X=labels, y=labels))
    random_states = [None] * len(splits)
    if fold_random_states and seed is not None:
        random_states = np.random.RandomState(seed).randint(2**31 - 1, size=len(splits))
    tasks = (
        delayed(_fit_predict_fold)(
            X, labels, clf, train, holdout, clf_kwargs, validation_func, state
        )
        for (train, holdout), state in zip(splits, random_states, strict=True)
    )
    if verbose:
        from tqdm.auto import tqdm

        tasks = tqdm(tasks, total=len(splits), desc="Cross-validation folds")
    results = Parallel(n_jobs=n_jobs, return_as="generator")(tasks)
    pred_probs = np.zeros((len(labels), num_classes))
    for (_, holdout), (probs, caught) in zip(splits, results, strict=True):
        pred_probs[holdout] = probs
        # Warnings raised in a worker process would be lost: every fold's
        # warnings are re-raised here, so they reach the caller for any n_jobs.
        for message in caught:
            warnings.warn(
                message.message, message.category, stacklevel=user_stacklevel()
            )
    return pred_probs


def _fit_predict_fold(
    X, labels, clf, train_idx, holdout_idx, clf_kwargs, validation, random_state=None
):
    """Fit a clone of `clf` on one fold's training part; predict its holdout part.

    Classes absent from the training part get one holdout example copied in;
    those examples' predictions are replaced by a one-hot row on their class.
    A `random_state` is set on the clone when its own is None. Returns the
    holdout's pred_probs and the warnings raised meanwhile.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        probs = _fit_predict(
            X, labels, clf, train_idx, holdout_idx, clf_kwargs, validation, random_state
        )
    return probs, caught


def _fit_predict(X, labels, clf, train_idx, holdout_idx, clf_kwargs, validation, state):
    """`_fit_predict_fold` without catching the warnings."""
    from sklearn.base import clone

    model = clone(clf)
    if state is not None and model.get_params().get("random_state", 0) is None:
        model.set_params(random_state=int(state))
    X_train, X_holdout, y_train, y_holdout = train_val_split(
        X, labels, train_idx, holdout_idx
    )
    num_classes = int(labels.max()) + 1
    missing = sorted(set(range(num_classes)) - set(np.unique(y_train).tolist()))
    copied = []
    if missing:
        warnings.warn(
            "Duplicated some data across multiple folds to ensure training does not "
            "fail because these classes do not have enough data for proper "
            f"cross-validation: {set(missing)}.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
        for k in missing:
            position = int(np.flatnonzero(y_holdout == k)[0])
            X_train = append_extra_datapoint(X_train, X_holdout, position)
            y_train = np.append(y_train, k)
            copied.append((position, k))
    fit_kwargs = dict(clf_kwargs)
    if validation is not None:
        fit_kwargs.update(validation(X_holdout, y_holdout))
    model.fit(X_train, y_train, **fit_kwargs)
    fold_probs = np.asarray(model.predict_proba(X_holdout))
    for position, k in copied:
        fold_probs[position] = np.eye(fold_probs.shape[1])[k]
    return fold_probs


def estimate_py_noise_matrices_and_cv_pred_proba(
    X,
    labels,
    clf=DEFAULT_CLASSIFIER,
    *,
    cv_n_folds=5,
    thresholds=None,
    converge_latent_estimates=False,
    py_method="cnt",
    seed=None,
    clf_kwargs={},
    validation_func=None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``py``, both noise matrices, the confident joint and out-of-sample
    ``pred_probs``, by cross-validation of `clf` on `X`.

    Parameters are those of `estimate_confident_joint_and_cv_pred_proba` and
    `estimate_latent`.

    Returns
    -------
    py, noise_matrix, inverse_noise_matrix, confident_joint, pred_probs

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.count import estimate_py_noise_matrices_and_cv_pred_proba
    >>> X = np.r_[np.linspace(0, 1, 10), np.linspace(3, 4, 10)].reshape(-1, 1)
    >>> labels = np.repeat([0, 1], 10)
    >>> labels[0] = 1
    >>> py, noise_matrix, inverse_noise_matrix, confident_joint, pred_probs = (
    ...     estimate_py_noise_matrices_and_cv_pred_proba(
    ...         X, labels, cv_n_folds=3, seed=0
    ...     )
    ... )
    >>> py
    array([0.5, 0.5])
    >>> noise_matrix
    array([[0.9, 0. ],
           [0.1, 1. ]])
    """
    check_option("py_method", py_method, ("cnt", "eqn", "marginal", "marginal_ps"))
    confident_joint, pred_probs = estimate_confident_joint_and_cv_pred_proba(
        X,
        labels,
        clf,
        cv_n_folds=cv_n_folds,
        thresholds=thresholds,
        seed=seed,
        clf_kwargs=clf_kwargs,
        validation_func=validation_func,
    )
    py, noise_matrix, inverse_noise_matrix = estimate_latent(
        confident_joint,
        labels,
        py_method=py_method,
        converge_latent_estimates=converge_latent_estimates,
    )
    return py, noise_matrix, inverse_noise_matrix, confident_joint, pred_probs


def estimate_cv_predicted_probabilities(
    X,
    labels,
    clf=DEFAULT_CLASSIFIER,
    *,
    cv_n_folds=5,
    seed=None,
    clf_kwargs={},
    validation_func=None,
) -> np.ndarray:
    """Out-of-sample predicted probabilities, shape (N, K), by cross-validation.

    See `estimate_confident_joint_and_cv_pred_proba` for the parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.count import estimate_cv_predicted_probabilities
    >>> X = np.r_[np.linspace(0, 1, 10), np.linspace(3, 4, 10)].reshape(-1, 1)
    >>> labels = np.repeat([0, 1], 10)
    >>> labels[0] = 1
    >>> pred_probs = estimate_cv_predicted_probabilities(
    ...     X, labels, cv_n_folds=3, seed=0
    ... )
    >>> pred_probs.argmax(axis=1)[:3]  # example 0 is predicted as class 0
    array([0, 0, 0])
    """
    return estimate_py_noise_matrices_and_cv_pred_proba(
        X,
        labels,
        clf,
        cv_n_folds=cv_n_folds,
        seed=seed,
        clf_kwargs=clf_kwargs,
        validation_func=validation_func,
    )[-1]


def estimate_noise_matrices(
    X,
    labels,
    clf=DEFAULT_CLASSIFIER,
    *,
    cv_n_folds=5,
    thresholds=None,
    converge_latent_estimates=True,
    seed=None,
    clf_kwargs={},
    validation_func=None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(noise_matrix, inverse_noise_matrix)`` estimated by cross-validation.

    See `estimate_py_noise_matrices_and_cv_pred_proba` for the parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.count import estimate_noise_matrices
    >>> X = np.r_[np.linspace(0, 1, 10), np.linspace(3, 4, 10)].reshape(-1, 1)
    >>> labels = np.repeat([0, 1], 10)
    >>> labels[0] = 1
    >>> noise_matrix, inverse_noise_matrix = estimate_noise_matrices(
    ...     X, labels, cv_n_folds=3, seed=0
    ... )
    >>> noise_matrix  # P(given = i | true = j): 1 in 10 of class 0 labelled 1
    array([[0.9, 0. ],
           [0.1, 1. ]])
    """
    return estimate_py_noise_matrices_and_cv_pred_proba(
        X,
        labels,
        clf,
        cv_n_folds=cv_n_folds,
        thresholds=thresholds,
        converge_latent_estimates=converge_latent_estimates,
        seed=seed,
        clf_kwargs=clf_kwargs,
        validation_func=validation_func,
    )[1:3]


def get_confident_thresholds(
    labels: LabelLike, pred_probs: np.ndarray, multi_label: bool = False
) -> np.ndarray:
    """Per-class confidence thresholds: the mean predicted probability of each class
    over the examples given that label.

    Parameters
    ----------
    labels : array_like of shape (N,)
        Given labels (lists of lists for multi-label).
    pred_probs : np.ndarray of shape (N, K)
        Predicted probabilities.
    multi_label : bool, default=False
        Return the two one-vs-rest thresholds of every class, shape (K, 2).

    Returns
    -------
    thresholds : np.ndarray of shape (K,)
        At least 2e-6; 2.0 for a class without examples (so it is never confident).
        In the dtype of `pred_probs` when every class occurs.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.count import get_confident_thresholds
    >>> pred_probs = np.array([[0.9, 0.1], [0.7, 0.3], [0.4, 0.6]])
    >>> get_confident_thresholds([0, 0, 1], pred_probs)
    array([0.8, 0.6])
    """
    if multi_label:
        return _get_confident_thresholds_multilabel(labels, pred_probs)
    labels = labels_to_array(labels)
    assert_valid_inputs(None, labels, pred_probs, allow_one_class=True)
    return confident_thresholds(labels.astype(np.int64, copy=False), pred_probs)


def _reduce_issues(pred_probs, labels):
    """Whether each given label is (within 1e-6) the top prediction of its row."""
    labels = labels_to_array(labels).astype(np.int64, copy=False)
    return given_label_is_top(labels, pred_probs)


# ---------------------------------------------------------------------------
# Multi-label: every function above applied to each class's one-vs-rest problem.
# ---------------------------------------------------------------------------


def _check_multilabel_labels(labels) -> None:
    check_multi_label_list(labels)


def _multilabel_inputs(labels, pred_probs):
    """Validated (N, K) boolean one-hot labels and float `pred_probs`."""
    _check_multilabel_labels(labels)
    return check_multilabel_inputs(labels, pred_probs)


def _get_confident_thresholds_multilabel(labels, pred_probs):
    """(K, 2) thresholds of each class's binary problem ``[absent, present]``."""
    thresholds = all_binary_thresholds(*_multilabel_inputs(labels, pred_probs))
    # cleanlab 2.9 stacks per-class arrays: float32 only if every pair is.
    if thresholds.is_narrow.all():
        return thresholds.values.astype(np.float32)
    return thresholds.values


def _compute_confident_joint_multi_label(
    labels,
    pred_probs,
    *,
    thresholds=None,
    calibrate=True,
    return_indices_of_off_diagonals=False,
):
    onehot, pred_probs = _multilabel_inputs(labels, pred_probs)
    if thresholds is not None:
        thresholds = check_thresholds(thresholds, 2)
    joints, is_off_diagonal = ovr_confident_joints(
        onehot, pred_probs, thresholds=thresholds, calibrate=calibrate
    )
    if return_indices_of_off_diagonals:
        return joints, [np.flatnonzero(row) for row in is_off_diagonal]
    return joints


def _calibrate_confident_joint_multilabel(confident_joint, labels):
    _check_multilabel_labels(labels)
    num_classes = len({v for row in labels for v in row})
    onehot, _ = multilabel_onehot(labels, num_classes)
    joints = np.asarray(confident_joint)[:num_classes]
    return calibrate_binary_joints(joints, binary_class_counts(onehot))


def _estimate_joint_multilabel(labels, pred_probs, confident_joint=None):
    _check_multilabel_labels(labels)
    if confident_joint is None:
        calibrated = _compute_confident_joint_multi_label(labels, pred_probs)
    else:
        joints = np.asarray(confident_joint)
        onehot, _ = multilabel_onehot(labels, len(joints))
        calibrated = calibrate_binary_joints(joints, binary_class_counts(onehot))
    sums = np.maximum(calibrated.sum(axis=(1, 2), dtype=float), TINY_VALUE)
    return calibrated / sums[:, None, None]


def _num_label_issues_multilabel(
    labels, pred_probs, confident_joint=None, estimation_method="off_diagonal"
):
    """Examples with an issue in at least one class's one-vs-rest problem.

    Unlike cleanlab 2.9, which always used the off-diagonal count here,
    `estimation_method` is honoured per class.
    """
    onehot, pred_probs = _multilabel_inputs(labels, pred_probs)
    if estimation_method == "off_diagonal":
        return np.sum(
            find_multilabel_issues(
                onehot, pred_probs, filter_by="confident_learning", n_jobs=1
            )
        )
    counts = binary_class_counts(onehot)
    if estimation_method == "off_diagonal_custom":
        _check_custom_confident_joint(confident_joint)
        joints = calibrate_binary_joints(np.asarray(confident_joint), counts)
    else:
        joints, _ = ovr_confident_joints(onehot, pred_probs)
        joints = calibrate_binary_joints(joints, counts)  # as estimate_joint does
    # Limitation: the calibrated estimates are per class; examples with issues in
    # several classes are counted once per class here (an upper bound).
    return np.int64(issues_from_binary_joints(joints, len(onehot)).sum())


# ---------------------------------------------------------------------------
# Dask arrays: the same numbers, computed on the cluster
# (cleanlab.internal.dask_backend, imported only when a Dask array arrives).
# ---------------------------------------------------------------------------


def _check_not_multilabel_dask(multi_label: bool) -> None:
    if multi_label:
        msg = (
            "`multi_label=True` is not supported for Dask arrays: pass in-memory "
            "labels and pred_probs, or one-vs-rest problems one class at a time."
        )
        raise ValueError(msg)


def _compute_confident_joint_dask(
    labels, pred_probs, thresholds, calibrate, return_indices_of_off_diagonals
):
    from cleanlab.internal import dask_backend

    blocks = dask_backend.row_blocks(labels, pred_probs, one_class="allow")
    if thresholds is not None:
        thresholds = check_thresholds(thresholds, blocks.num_classes)
    computed = dask_backend.validate_and_threshold(
        blocks, thresholds=thresholds is None
    )
    scan = dask_backend.confident_scan(
        blocks,
        computed if thresholds is None else thresholds,
        off_diagonal_rows=return_indices_of_off_diagonals,
    )
    joint = floor_diagonal(scan["joint"])
    if calibrate:
        joint = calibrate_to_class_counts(joint, blocks.class_counts)
    if return_indices_of_off_diagonals:
        return joint, scan["off_diagonal_rows"]
    return joint


def _num_label_issues_dask(labels, pred_probs, confident_joint, estimation_method):
    from cleanlab.internal import dask_backend

    blocks = dask_backend.row_blocks(labels, pred_probs)
    if estimation_method == "off_diagonal_custom":
        _check_custom_confident_joint(confident_joint)
        dask_backend.validate_and_threshold(blocks, thresholds=False)
        calibrated = calibrate_to_class_counts(confident_joint, blocks.class_counts)
    else:
        thresholds = dask_backend.validate_and_threshold(blocks)
        scan = dask_backend.confident_scan(blocks, thresholds)
        if estimation_method == "off_diagonal":
            return np.int64(scan["num_issues"])
        return calibrated_num_issues(scan["joint"], blocks.class_counts)
    joint = estimate_joint(None, None, confident_joint=calibrated)
    return np.rint((1 - np.trace(joint)) * blocks.num_examples).astype(int)
