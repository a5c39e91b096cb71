"""Tests of the package surface: lazy submodules and lazily loaded re-exports."""

import subprocess
import sys

import pytest

import cleanlab


def _modules_loaded_by(statement: str) -> set[str]:
    """Top-level modules present after running `statement` in a fresh interpreter."""
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return {name.split(".")[0] for name in result.stdout.split()}


@pytest.mark.parametrize(
    "module", ["cleanlab.filter", "cleanlab.rank", "cleanlab.count"]
)
def test_core_import_loads_neither_sklearn_nor_pandas(module):
    """The pred_probs-only core costs no scikit-learn or pandas import."""
    loaded = _modules_loaded_by(f"import {module}")
    assert "sklearn" not in loaded
    assert "pandas" not in loaded


@pytest.mark.parametrize("name", cleanlab.SUBMODULES)
def test_submodules_are_attributes(name):
    """`import cleanlab` gives every submodule as an attribute."""
    module = getattr(cleanlab, name)
    assert module.__name__ == f"cleanlab.{name}"
    assert name in dir(cleanlab)


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        cleanlab.nope  # noqa: B018


def test_reexports_resolve_to_sklearn():
    """Names cleanlab 2.9 re-exports from count and rank are scikit-learn's."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import confusion_matrix, log_loss
    from sklearn.model_selection import StratifiedKFold

    from cleanlab import count, rank

    assert count.LogReg is LogisticRegression
    assert count.StratifiedKFold is StratifiedKFold
    assert count.confusion_matrix is confusion_matrix
    assert rank.log_loss is log_loss
    with pytest.raises(AttributeError, match="cleanlab.count' has no attribute"):
        count.not_there  # noqa: B018


def test_default_classifier_placeholder():
    """The CV functions show LogisticRegression(solver='lbfgs') as default."""
    import inspect

    from cleanlab import count

    default = (
        inspect.signature(count.estimate_cv_predicted_probabilities)
        .parameters["clf"]
        .default
    )
    assert repr(default) == "LogisticRegression(solver='lbfgs')"
