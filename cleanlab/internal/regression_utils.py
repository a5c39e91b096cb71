"""Input checks of `cleanlab.regression`: one place for every message.

Labels, predictions and targets of regression are 1-D arrays of real numbers.
Each check raises with a message that starts with cleanlab 2.9's wording (user
code matches on it) and adds what arrived; the checks return the converted
inputs, never the caller's own arrays.
"""

import numpy as np

from cleanlab.internal.containers import is_pandas, is_sparse
from cleanlab.internal.errors import MismatchedShapesError

__all__ = [
    "REGRESSION_METHODS",
    "assert_valid_prediction_inputs",
    "assert_valid_regression_inputs",
    "check_dimension_and_datatype",
    "check_missing_values",
    "check_sample_weight",
    "num_rows",
]

REGRESSION_METHODS = ("residual", "outre")


def check_dimension_and_datatype(check_input, text: str) -> np.ndarray:
    """`check_input` as a non-empty 1-D array of real numbers, or raise.

    The input goes through ``np.asarray`` and is squeezed, so a column of shape
    (N, 1) is accepted; a scalar, a string or a single value has 0 dimensions
    after squeezing and is rejected.

    Parameters
    ----------
    check_input : array_like
        The values to check.
    text : str
        Name of the argument, for the messages.

    Returns
    -------
    np.ndarray of shape (N,)
        A new array (the caller's is never returned); integer dtypes are kept.

    Raises
    ------
    ValueError
        If the input is empty, not 1-D after squeezing, or not made of real
        numbers (booleans, strings, complex numbers and objects are refused).
    """
    values = np.array(check_input)
    if values.size == 0:
        msg = f"{text} cannot be empty array."
        raise ValueError(msg)
    values = values.squeeze()
    if values.ndim != 1:
        msg = f"Expected 1-Dimensional inputs for {text}, got {values.ndim} dimensions."
        if values.ndim == 0:
            msg += f" `{text}` is a single value (1 sample), not one per example."
        raise ValueError(msg)
    if values.dtype.kind == "c":
        msg = (
            f"Complex data not supported: `{text}` holds {values.dtype} values; "
            "expected real numbers."
        )
        raise ValueError(msg)
    if not np.issubdtype(values.dtype, np.number):
        msg = (
            f"Expected {text} to contain numeric values, got values of type "
            f"{values.dtype}. (Unknown label type: regression needs real numbers.)"
        )
        raise ValueError(msg)
    return values


def check_missing_values(check_input: np.ndarray, text: str) -> None:
    """Raise if the 1-D numeric `check_input` holds NaN or infinite values.

    Raises
    ------
    ValueError
        ``"{text} cannot contain missing values."`` for NaN, and a message
        about infinite values for +-inf; both give the count and the first
        position.
    """
    if check_input.dtype.kind != "f":
        return
    is_nan = np.isnan(check_input)
    if is_nan.any():
        msg = (
            f"{text} cannot contain missing values. {int(is_nan.sum())} of "
            f"{len(check_input)} values are NaN (first: index "
            f"{np.flatnonzero(is_nan)[0]})."
        )
        raise ValueError(msg)
    is_inf = np.isinf(check_input)
    if is_inf.any():
        msg = (
            f"{text} cannot contain infinite values. {int(is_inf.sum())} of "
            f"{len(check_input)} values are infinite (first: index "
            f"{np.flatnonzero(is_inf)[0]})."
        )
        raise ValueError(msg)


def assert_valid_prediction_inputs(
    labels, predictions, method: str
) -> tuple[np.ndarray, np.ndarray]:
    """Check the inputs of `cleanlab.regression.rank.get_label_quality_scores`.

    Returns
    -------
    (labels, predictions) : tuple of np.ndarray of shape (N,)
        New float64 arrays.

    Raises
    ------
    ValueError
        If either input is empty, not 1-D, not numeric, or holds NaN or
        infinite values, or if `method` is unknown.
    MismatchedShapesError
        If the two inputs have different shapes (a ValueError and, as in
        cleanlab 2.9, an AssertionError).
    """
    labels = check_dimension_and_datatype(labels, "labels")
    predictions = check_dimension_and_datatype(predictions, "predictions")
    if labels.shape != predictions.shape:
        msg = (
            f"Number of examples in labels {labels.shape} and predictions "
            f"{predictions.shape} are not same."
        )
        raise MismatchedShapesError(msg)
    check_missing_values(labels, "labels")
    check_missing_values(predictions, "predictions")
    if method not in REGRESSION_METHODS:
        msg = f"Specified method '{method}' must be one of: {list(REGRESSION_METHODS)}."
        raise ValueError(msg)
    return labels.astype(np.float64), predictions.astype(np.float64)


def num_rows(X) -> int:
    """Number of rows of features `X` (an array, DataFrame, sparse matrix or list).

    Raises
    ------
    ValueError
        If `X` has no rows to count (a scalar, say).
    """
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) >= 1:
        return int(shape[0])
    try:
        return len(X)
    except TypeError as err:
        msg = (
            "`X` must hold one row of features per example (an array, DataFrame, "
            f"sparse matrix or list); got a {type(X).__name__}."
        )
        raise ValueError(msg) from err


def assert_valid_regression_inputs(X, y) -> tuple:
    """Check the features `X` and targets `y` of a regression.

    Returns
    -------
    (X, y) : tuple
        `X` as given when it is a pandas object, a list or a CSR, CSC or LIL
        sparse matrix (they are indexed by rows later), other sparse formats
        as CSR, anything else as ``np.asarray(X)``; `y` as a new
        1-D numeric array (integer dtypes kept).

    Raises
    ------
    ValueError
        If `y` is empty, not 1-D, not numeric or holds NaN or infinite values,
        or if `X` and `y` have different lengths.
    """
    if is_sparse(X):
        if X.format not in ("csr", "csc", "lil"):
            X = X.tocsr()  # a format whose rows can be taken
    elif not (is_pandas(X) or isinstance(X, list)):
        X = np.asarray(X)
    y = check_dimension_and_datatype(y, "y")
    check_missing_values(y, "y")
    num_examples = num_rows(X)
    if num_examples != len(y):
        msg = (
            f"X and y must have same length. `X` has {num_examples} rows and "
            f"`y` {len(y)} values."
        )
        raise ValueError(msg)
    return X, y


def check_sample_weight(sample_weight, num_examples: int) -> np.ndarray:
    """`sample_weight` as a new 1-D array of `num_examples` finite numbers.

    Raises
    ------
    ValueError
        If the shape is not ``(num_examples,)`` or a weight is not a finite
        number.
    """
    weights = np.array(sample_weight)
    if weights.shape != (num_examples,):
        msg = (
            "sample_weight must be a 1D array that has the same length as y. "
            f"It has shape {weights.shape}, `y` has {num_examples} values."
        )
        raise ValueError(msg)
    if weights.dtype.kind not in "fiu" or not np.all(np.isfinite(weights)):
        msg = "sample_weight must hold finite numbers."
        raise ValueError(msg)
    return weights
