"""The Sphinx documentation builds without a single warning."""

import importlib
import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.slow
@pytest.mark.skipif(
    any(
        importlib.util.find_spec(name) is None
        for name in ("sphinx", "numpydoc", "myst_parser")
    ),
    reason="sphinx, numpydoc and myst-parser (the test extra) are not installed",
)
def test_sphinx_build_has_no_warnings(tmp_path):
    """`sphinx-build -W` turns every warning (a broken link, a malformed
    docstring section, a page left out of the table of contents) into a failure.
    """
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "-d",
            str(tmp_path / "doctrees"),
            str(DOCS),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "html" / "api" / "filter.html").exists()


PUBLIC_MODULES = (
    "cleanlab.count",
    "cleanlab.filter",
    "cleanlab.rank",
    "cleanlab.dataset",
    "cleanlab.classification",
    "cleanlab.multilabel_classification.filter",
    "cleanlab.multilabel_classification.rank",
    "cleanlab.multilabel_classification.dataset",
    "cleanlab.multiannotator",
    "cleanlab.token_classification.filter",
    "cleanlab.token_classification.rank",
    "cleanlab.token_classification.summary",
    "cleanlab.outlier",
    "cleanlab.regression.rank",
    "cleanlab.regression.learn",
    "cleanlab.benchmarking.noise_generation",
    "cleanlab.experimental.label_issues_batched",
    "cleanlab.report",
)


def _public_callables(module_name: str):
    """(qualified name, object) of the functions, classes and public methods in
    the module's `__all__`."""
    module = importlib.import_module(module_name)
    for name in module.__all__:
        obj = getattr(module, name)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        yield f"{module_name}.{name}", obj
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if not attr.startswith("_") and inspect.isfunction(member):
                    yield f"{module_name}.{name}.{attr}", member


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_docstrings_have_examples(module_name):
    """Every public function, class and method shows a runnable example (the
    doctests run with the package's tests)."""
    missing = [
        name
        for name, obj in _public_callables(module_name)
        if ">>>" not in (obj.__doc__ or "")
    ]
    assert missing == []
