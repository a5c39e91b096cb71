"""The Sphinx documentation builds without a single warning."""

import importlib.util
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
