"""Relations between the label prior, noise matrix and inverse noise matrix.

Notation: ``ps[i] = P(given=i)``, ``py[j] = P(true=j)``,
``noise_matrix[i, j] = P(given=i | true=j)`` and
``inverse_noise_matrix[j, i] = P(true=j | given=i)``; all matrices have columns
summing to 1.
"""

import warnings

import numpy as np

from cleanlab.internal.constants import TINY_VALUE
from cleanlab.internal.errors import user_stacklevel
from cleanlab.internal.util import clip_noise_rates, clip_values, value_counts

__all__ = [
    "compute_inv_noise_matrix",
    "compute_noise_matrix_from_inverse",
    "compute_ps_py_inv_noise_matrix",
    "compute_py",
    "compute_py_inv_noise_matrix",
    "compute_pyx",
]

PY_METHODS = ("cnt", "eqn", "marginal", "marginal_ps")


def compute_ps_py_inv_noise_matrix(labels, noise_matrix):
    """Return ``(ps, py, inverse_noise_matrix)`` from the given labels and noise."""
    labels = np.asarray(labels)
    ps = value_counts(labels) / float(len(labels))
    py, inverse_noise_matrix = compute_py_inv_noise_matrix(ps, noise_matrix)
    return ps, py, inverse_noise_matrix


def compute_py_inv_noise_matrix(ps, noise_matrix):
    """Return ``(py, inverse_noise_matrix)`` by inverting ``ps = noise_matrix @ py``."""
    py = np.linalg.inv(noise_matrix) @ ps
    py = clip_values(py, low=1e-6, high=1.0, new_sum=1.0)
    return py, compute_inv_noise_matrix(py, noise_matrix, ps=ps)


def compute_inv_noise_matrix(py, noise_matrix, *, ps=None):
    """``P(true=j | given=i)`` by Bayes' rule from `py` and the noise matrix."""
    joint = noise_matrix * py
    if ps is None:
        ps = joint.sum(axis=1)
    inverse = joint.T / np.maximum(ps, TINY_VALUE)
    return clip_noise_rates(inverse)


def compute_noise_matrix_from_inverse(ps, inverse_noise_matrix, *, py=None):
    """``P(given=i | true=j)`` by Bayes' rule from `ps` and the inverse noise matrix."""
    joint = (inverse_noise_matrix * ps).T
    if py is None:
        py = joint.sum(axis=0)
    noise_matrix = joint / np.maximum(py, TINY_VALUE)
    return clip_noise_rates(noise_matrix)


def compute_py(
    ps,
    noise_matrix,
    inverse_noise_matrix,
    *,
    py_method="cnt",
    true_labels_class_counts=None,
):
    """Estimate the prior of the true labels, ``py``, by one of four methods.

    ``"cnt"`` uses the diagonals of both noise matrices, ``"eqn"`` inverts the noise
    matrix, ``"marginal"`` normalizes `true_labels_class_counts`, ``"marginal_ps"``
    applies the inverse noise matrix to `ps`. The result is clipped to at least 1e-6
    and renormalized.
    """
    if len(np.shape(ps)) > 2 or (len(np.shape(ps)) == 2 and np.shape(ps)[0] != 1):
        warnings.warn(
            "Input parameter np.ndarray ps has shape "
            f"{np.shape(ps)}, but shape should be (K, ) or (1, K)",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    if py_method == "marginal" and true_labels_class_counts is None:
        msg = (
            'py_method == "marginal" requires true_labels_class_counts, but '
            "true_labels_class_counts is None. Provide it as an input parameter."
        )
        raise ValueError(msg)
    if py_method == "cnt":
        py = (
            np.diagonal(inverse_noise_matrix)
            / np.maximum(np.diagonal(noise_matrix), TINY_VALUE)
            * ps
        )
    elif py_method == "eqn":
        py = np.linalg.inv(noise_matrix) @ ps
    elif py_method == "marginal":
        counts = np.asarray(true_labels_class_counts, dtype=float)
        py = counts / max(float(np.sum(counts)), TINY_VALUE)
    elif py_method == "marginal_ps":
        py = inverse_noise_matrix @ ps
    else:
        msg = f"py_method {py_method} should be in [cnt, eqn, marginal, marginal_ps]"
        raise ValueError(msg)
    return clip_values(py, low=1e-6, high=1.0, new_sum=1.0)


def compute_pyx(pred_probs, noise_matrix, inverse_noise_matrix):
    """Rescale ``P(given | x)`` into an estimate of ``P(true | x)``, row-normalized."""
    if len(np.shape(pred_probs)) != 2:
        msg = (
            f"Input parameter np.ndarray 'pred_probs' has shape {np.shape(pred_probs)}"
            ", but shape should be (N, K)"
        )
        raise ValueError(msg)
    pyx = (
        pred_probs
        * np.diagonal(inverse_noise_matrix)
        / np.maximum(np.diagonal(noise_matrix), TINY_VALUE)
    )
    pyx = np.clip(pyx, 0, 1)
    return pyx / np.maximum(pyx.sum(axis=1, keepdims=True), TINY_VALUE)
