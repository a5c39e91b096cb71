"""Every script in examples/ runs to completion and prints what it found."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(path.name for path in EXAMPLES.glob("*.py"))

# One pattern per script: the line that reports its findings.
FINDINGS = {
    "find_label_issues.py": r"cleanlab flagged \d+\.",
    "multiannotator.py": r"CROWDLAB consensus accuracy: +0\.\d+",
    "multilabel.py": r"Flagged \d+ tag sets, \d+ of them really corrupted",
    "out_of_core.py": r"Same issues as find_label_issues in memory: True",
    "outliers.py": r"Features: \d+ of the \d+ lowest-scored test images",
    "regression.py": r"CleanLearning left out a fraction k=0\.\d+ and flagged \d+",
    "tabular_cleanlearning.py": r"CleanLearning flagged \d+ labels, \d+ of them",
    "text_tfidf.py": r"CleanLearning flagged \d+ texts, \d+ of them",
    "token_classification.py": r"Flagged \d+ tokens, \d+ of them really mislabeled",
}


def test_every_example_has_an_expected_finding():
    """A new script in examples/ needs an entry here, so that it is checked."""
    assert sorted(FINDINGS) == SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS)
def test_example_runs_and_reports(script, tmp_path):
    """The script exits 0 within a minute and prints its findings."""
    repo = EXAMPLES.parent
    env = {**os.environ, "PYTHONPATH": str(repo), "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(FINDINGS[script], result.stdout), result.stdout
