"""Tests for the command line interface (`cleanlab/cli.py`, `python -m cleanlab`).

The demo is run in-process; `find-issues`, `audit` and the error paths run the
real command in subprocesses, started together by module-scoped fixtures so
that their interpreter start-ups overlap.
"""

import contextlib
import importlib.util
import io
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import make_noisy

import cleanlab
from cleanlab import cli, dataset, filter, rank
from cleanlab.__main__ import main

# The folder holding the `cleanlab` package under test, put first on the
# subprocesses' path so that they run the same code as this process.
PACKAGE_PARENT = str(Path(cleanlab.__file__).resolve().parent.parent)
SUBPROCESS_TIMEOUT = 120
# Subprocesses run at once by `run_many` (their start-ups are mostly imports).
PARALLEL_RUNS = 4

# One row of the demo's issue table: rank, index, given label, suggested label,
# label quality (self-confidence), whether the label was corrupted.
TABLE_ROW = re.compile(
    r"^ +(\d+) +(\d+) +(\d) +(\d) +(\d\.\d\de[+-]\d\d) +(yes|no)$", re.MULTILINE
)
METRICS = re.compile(
    r"^Flagged vs\. planted errors: precision (\d\.\d{3}), recall (\d\.\d{3}), "
    r"F1 (\d\.\d{3})$",
    re.MULTILINE,
)
CORRUPTED = re.compile(r"^  noise: +(\d+) labels corrupted", re.MULTILINE)
FLAGGED = re.compile(r"^find_label_issues flagged (\d+) examples", re.MULTILINE)

# The demo with --seed 0 measured precision 0.848 and recall 0.815 (seeds 0-5:
# precision 0.85-0.94, recall 0.81-0.92). The floors leave room for numerical
# differences across platforms and scikit-learn versions, and stay well above
# what flagging every example whose argmax differs from its label achieves
# (precision about 0.6).
PRECISION_FLOOR = 0.75
RECALL_FLOOR = 0.7


def _command(*args: str, prelude: str | None = None) -> list[str]:
    """The argv running ``cleanlab *args``; `prelude` is Python run before main."""
    if prelude is None:
        return [sys.executable, "-m", "cleanlab", *args]
    code = (
        f"import sys\n{prelude}\nfrom cleanlab.cli import main\n"
        "sys.exit(main(sys.argv[1:]))"
    )
    return [sys.executable, "-c", code, *args]


def _environment() -> dict:
    """This process's environment with PACKAGE_PARENT first on PYTHONPATH."""
    env = dict(os.environ)
    paths = [PACKAGE_PARENT, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def run_cli(*args: str, cwd=None, prelude=None) -> subprocess.CompletedProcess:
    """Run ``python -m cleanlab *args`` and return its status and output."""
    return subprocess.run(
        _command(*args, prelude=prelude),
        cwd=cwd,
        env=_environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=SUBPROCESS_TIMEOUT,
    )


def run_many(commands: dict) -> dict:
    """Run the ``name: (args, prelude)`` commands a few at a time; return
    ``name: CompletedProcess``."""
    with ThreadPoolExecutor(max_workers=PARALLEL_RUNS) as pool:
        futures = {
            name: pool.submit(run_cli, *args, prelude=prelude)
            for name, (args, prelude) in commands.items()
        }
        return {name: future.result() for name, future in futures.items()}


def run_demo(capsys, *options: str) -> str:
    """Run ``cleanlab demo --quiet`` with `options` in-process; return its output."""
    status = main(["demo", "--quiet", *options])
    captured = capsys.readouterr()
    assert status == 0
    assert captured.err == ""
    return captured.out


@pytest.fixture(scope="module")
def seed_zero_demo() -> str:
    """The output of ``cleanlab demo --seed 0``, computed once for the module."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["demo", "--quiet", "--seed", "0"]) == 0
    return buffer.getvalue()


class TestDemo:
    def test_prints_header_table_and_metrics(self, seed_zero_demo):
        """The report has the header, a 10-row table and the metrics line."""
        out = seed_zero_demo
        lines = out.splitlines()
        assert lines[0].startswith("cleanlab demo:")
        assert "1,797 images of handwritten digits, 10 classes" in out
        assert "--noise 0.1, --seed 0" in out
        assert " rank  index  given  suggested  label quality  corrupted" in lines
        rows = TABLE_ROW.findall(out)
        assert [int(row[0]) for row in rows] == list(range(1, 11))
        assert len(METRICS.findall(out)) == 1

    def test_corrupts_about_the_requested_fraction(self, seed_zero_demo):
        """--noise 0.1 corrupts at most 10% of the 1,797 labels, and not far fewer.

        The noisy-label generator truncates each class's flip count, so the
        realized fraction is a little below the requested one.
        """
        out = seed_zero_demo
        num_corrupted = int(CORRUPTED.search(out).group(1))
        assert 0.05 * 1797 <= num_corrupted <= 0.1 * 1797

    def test_table_rows_are_issues_ranked_by_self_confidence(self, seed_zero_demo):
        """Rows are flagged examples, least self-confident first, argmax != label."""
        out = seed_zero_demo
        rows = TABLE_ROW.findall(out)
        indices = [int(row[1]) for row in rows]
        assert len(set(indices)) == len(indices)
        assert all(0 <= i < 1797 for i in indices)
        assert all(row[2] != row[3] for row in rows)
        confidences = [float(row[4]) for row in rows]
        assert confidences == sorted(confidences)

    def test_finds_most_planted_errors(self, seed_zero_demo):
        """Precision and recall against the planted errors are above measured floors."""
        out = seed_zero_demo
        precision, recall, f1 = map(float, METRICS.search(out).groups())
        assert precision >= PRECISION_FLOOR
        assert recall >= RECALL_FLOOR
        assert f1 == pytest.approx(
            2 * precision * recall / (precision + recall), abs=2e-3
        )

    def test_top_sets_the_number_of_rows(self, capsys):
        """--top 3 lists three issues."""
        out = run_demo(capsys, "--seed", "0", "--top", "3")
        assert len(TABLE_ROW.findall(out)) == 3

    def test_top_larger_than_the_number_of_issues_lists_them_all(self, capsys):
        """--top beyond the number of flagged examples lists every flagged one."""
        out = run_demo(capsys, "--seed", "0", "--top", "100000")
        num_flagged = int(FLAGGED.search(out).group(1))
        assert len(TABLE_ROW.findall(out)) == num_flagged

    def test_is_deterministic_for_a_seed(self, capsys, seed_zero_demo):
        """Two runs with the same seed print the same report."""
        assert run_demo(capsys, "--seed", "0") == seed_zero_demo

    def test_seed_changes_the_noise(self, capsys, seed_zero_demo):
        """Different seeds plant different errors."""
        assert run_demo(capsys, "--seed", "1") != seed_zero_demo

    def test_noise_option_sets_the_fraction(self, capsys, seed_zero_demo):
        """--noise 0.2 corrupts more labels than the default 0.1."""
        default = int(CORRUPTED.search(seed_zero_demo).group(1))
        out = run_demo(capsys, "--seed", "0", "--noise", "0.2")
        assert int(CORRUPTED.search(out).group(1)) > default
        assert "--noise 0.2" in out

    def test_leaves_numpy_global_random_state_alone(self, capsys):
        """The demo seeds NumPy's global generator only for itself and restores it."""
        np.random.seed(12345)
        expected = np.random.random_sample(3)
        np.random.seed(12345)
        run_demo(capsys, "--seed", "0", "--top", "1")
        np.testing.assert_array_equal(np.random.random_sample(3), expected)


class TestCommandLine:
    def test_no_command_prints_help_and_exits_2(self, capsys):
        """Without a command the help goes to stderr and the exit status is 2."""
        with pytest.raises(SystemExit) as exit_info:
            main([])
        assert exit_info.value.code == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "usage: cleanlab" in captured.err
        assert "demo" in captured.err

    def test_help_exits_0(self, capsys):
        """--help prints the usage to stdout and exits with status 0."""
        with pytest.raises(SystemExit) as exit_info:
            main(["--help"])
        assert exit_info.value.code == 0
        assert "demo" in capsys.readouterr().out

    def test_demo_help_lists_the_options(self, capsys):
        """`demo --help` documents its options."""
        with pytest.raises(SystemExit) as exit_info:
            main(["demo", "--help"])
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        for option in ("--seed", "--noise", "--top", "--report", "--quiet"):
            assert option in out

    def test_unknown_command_exits_2(self, capsys):
        """An unknown command is an argparse error (status 2)."""
        with pytest.raises(SystemExit) as exit_info:
            main(["nope"])
        assert exit_info.value.code == 2
        assert "invalid choice: 'nope'" in capsys.readouterr().err

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (["--frobnicate"], "unrecognized arguments: --frobnicate"),
            (["--seed", "abc"], "argument --seed: must be an integer, got 'abc'"),
            (["--seed", "-1"], "argument --seed: must be an integer from 0 to"),
            (["--seed", str(2**32)], "argument --seed: must be an integer from 0 to"),
            (["--noise", "0"], "argument --noise: must be greater than 0"),
            (["--noise", "0.6"], "argument --noise: must be greater than 0"),
            (["--noise", "x"], "argument --noise: must be a number, got 'x'"),
            (["--noise", "nan"], "argument --noise: must be greater than 0"),
            (["--top", "0"], "argument --top: must be at least 1, got 0"),
            (["--top", "1.5"], "argument --top: must be an integer, got '1.5'"),
        ],
    )
    def test_bad_demo_option_exits_2(self, capsys, options, message):
        """A bad option value prints the usage and the problem, status 2."""
        with pytest.raises(SystemExit) as exit_info:
            main(["demo", *options])
        assert exit_info.value.code == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert message in captured.err

    def test_python_dash_m_runs_the_demo_and_writes_its_report(self, tmp_path):
        """`python -m cleanlab demo --report` works as a program: status 0, the
        table, a progress bar on stderr and an HTML report with its plots."""
        report = tmp_path / "demo.html"
        result = run_cli("demo", "--top", "2", "--report", str(report))
        assert result.returncode == 0, result.stderr
        assert len(TABLE_ROW.findall(result.stdout)) == 2
        assert f"Report written to {report}" in result.stdout
        assert "Cross-validation folds" in result.stderr
        page = report.read_text(encoding="utf-8")
        assert page.count('<img src="data:image/png;base64,') == 2
        assert '<div class="value">1,797</div>' in page

    def test_filter_by_choices_are_the_library_methods(self):
        """--filter-by offers exactly the methods of find_label_issues."""
        assert cli.FILTER_BY_CHOICES == filter.FILTER_BY

    def test_python_dash_m_without_command_exits_2(self):
        """`python -m cleanlab` alone exits with status 2 and prints the help."""
        result = subprocess.run(
            [sys.executable, "-m", "cleanlab"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 2
        assert "usage: cleanlab" in result.stderr


# ---------------------------------------------------------------------------
# find-issues and audit: small input files and the commands run on them

NUM_EXAMPLES = 60
CLASSES = ("ant", "bee", "cat")
ISSUE_COLUMNS = [
    "index",
    "given_label",
    "suggested_label",
    "label_quality_score",
    "is_label_issue",
]
# Rows of the audit table whose label is swapped to the next class, the row far
# away from all others, and the row without a label.
AUDIT_FLIPPED = (3, 17, 31, 44)
AUDIT_FAR_ROW = 50
AUDIT_UNLABELLED_ROW = 55
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict:
    """Small valid and invalid input files; returns name -> path (as str)."""
    folder = tmp_path_factory.mktemp("cli_inputs")
    labels, pred_probs, _ = make_noisy(n=NUM_EXAMPLES, k=3, seed=0, noise=0.15)
    names = np.array(CLASSES)[labels]
    paths = {}

    def save_npy(name, array, **kwargs):
        paths[name] = str(folder / f"{name}.npy")
        np.save(paths[name], array, **kwargs)

    def save_table(name, frame, suffix=".csv"):
        paths[name] = str(folder / f"{name}{suffix}")
        if suffix == ".csv":
            frame.to_csv(paths[name], index=False)
        else:
            frame.to_parquet(paths[name])

    save_npy("labels", labels)
    save_npy("pred_probs", pred_probs)
    save_npy("pred_probs_f32", pred_probs.astype(np.float32))
    save_npy("float_labels", labels.astype(float))
    probs_frame = pd.DataFrame(pred_probs, columns=list(CLASSES))
    labels_frame = pd.DataFrame({"weight": np.ones(NUM_EXAMPLES), "label": names})
    save_table("pred_probs_csv", probs_frame)
    save_table("labels_csv", labels_frame)
    save_table("combined_csv", probs_frame.assign(label=names))
    paths["headerless_labels"] = str(folder / "headerless_labels.csv")
    np.savetxt(paths["headerless_labels"], labels, fmt="%d")
    paths["headerless_pred_probs"] = str(folder / "headerless_pred_probs.csv")
    np.savetxt(paths["headerless_pred_probs"], pred_probs, delimiter=",")
    if HAS_PYARROW:
        save_table("pred_probs_parquet", probs_frame, ".parquet")
        save_table("labels_parquet", pd.DataFrame({"label": names}), ".parquet")
    # Invalid inputs.
    save_npy("short_labels", labels[:-1])
    save_npy("logits", np.log(pred_probs) * 3)
    save_npy("unnormalized", pred_probs * 0.5)
    with_nan = pred_probs.copy()
    with_nan[7, 1] = np.nan
    save_npy("nan_pred_probs", with_nan)
    save_npy("matrix_labels", np.stack([labels, labels], axis=1))
    out_of_range = labels.copy()
    out_of_range[4] = 5
    save_npy("out_of_range", out_of_range)
    save_npy("one_class_labels", np.zeros(NUM_EXAMPLES, dtype=np.int64))
    save_npy("object_labels", names.astype(object), allow_pickle=True)
    unknown = names.copy()
    unknown[2] = "dog"
    save_table("unknown_names_csv", pd.DataFrame({"label": unknown}))
    missing = pd.DataFrame({"label": labels.astype(float)})
    missing.loc[9, "label"] = np.nan
    save_table("missing_labels_csv", missing)
    paths["text"] = str(folder / "notes.txt")
    Path(paths["text"]).write_text("not data\n")
    paths["missing"] = str(folder / "missing.npy")
    paths["folder"] = str(folder)
    _save_audit_tables(folder, paths)
    return paths


def _save_audit_tables(folder: Path, paths: dict) -> None:
    """A small table whose features separate three classes, with planted issues."""
    rng = np.random.default_rng(0)
    species = np.repeat(np.array(CLASSES), NUM_EXAMPLES // 3)
    center = np.repeat(np.arange(3) * 4.0, NUM_EXAMPLES // 3)
    frame = pd.DataFrame(
        {
            "length": center + rng.normal(size=NUM_EXAMPLES),
            "width": center + rng.normal(size=NUM_EXAMPLES),
            "colour": np.where(center > 2, "dark", "light"),
            # Columns of other types: boolean, nullable integer, dates.
            "tagged": rng.random(NUM_EXAMPLES) < 0.5,
            "visits": pd.array(rng.integers(0, 4, NUM_EXAMPLES), dtype="Int64"),
            "seen": pd.date_range("2024-01-01", periods=NUM_EXAMPLES, freq="D"),
            "species": species,
        }
    )
    for row in AUDIT_FLIPPED:
        frame.loc[row, "species"] = CLASSES[(CLASSES.index(species[row]) + 1) % 3]
    frame.loc[AUDIT_FAR_ROW, ["length", "width"]] = [60.0, -60.0]
    frame.loc[AUDIT_UNLABELLED_ROW, "species"] = None
    frame.loc[12, "width"] = np.nan
    frame.loc[13, "colour"] = None
    frame.loc[14, "visits"] = pd.NA
    paths["audit_csv"] = str(folder / "audit.csv")
    frame.to_csv(paths["audit_csv"], index=False)
    if HAS_PYARROW:
        paths["audit_parquet"] = str(folder / "audit.parquet")
        frame.to_parquet(paths["audit_parquet"])
    paths["single_class_csv"] = str(folder / "single.csv")
    frame.assign(species="ant").to_csv(paths["single_class_csv"], index=False)


@pytest.fixture(scope="module")
def runs(inputs) -> dict:
    """The successful commands, run once for the module: name -> result."""
    folder = Path(inputs["folder"])
    commands = {
        "npy": (
            [
                "find-issues",
                "--labels",
                inputs["labels"],
                "--pred-probs",
                inputs["pred_probs"],
                "--out",
                str(folder / "npy.csv"),
                "--report",
                str(folder / "npy.html"),
            ],
            None,
        ),
        "csv": (
            [
                "find-issues",
                "--labels",
                inputs["labels_csv"],
                "--label-column",
                "label",
                "--pred-probs",
                inputs["pred_probs_csv"],
                "--filter-by",
                "confident_learning",
                "--out",
                str(folder / "csv.csv"),
                "--quiet",
            ],
            None,
        ),
        "same_file": (
            [
                "find-issues",
                "--labels",
                inputs["combined_csv"],
                "--pred-probs",
                inputs["combined_csv"],
                "--label-column",
                "label",
                "--quiet",
            ],
            None,
        ),
        "headerless": (
            [
                "find-issues",
                "--labels",
                inputs["headerless_labels"],
                "--pred-probs",
                inputs["headerless_pred_probs"],
                "--out",
                str(folder / "headerless.csv"),
                "--quiet",
            ],
            None,
        ),
        "audit": (
            [
                "audit",
                inputs["audit_csv"],
                "--label",
                "species",
                "--folds",
                "3",
                "--out",
                str(folder / "audit"),
            ],
            None,
        ),
    }
    for name, extra in (
        ("low_memory", []),
        ("low_memory_margin", ["--filter-by", "low_normalized_margin"]),
    ):
        commands[name] = (
            ["find-issues", "--labels", inputs["labels"], "--pred-probs"]
            + [inputs["pred_probs_f32"], "--low-memory"]
            + ["--out", str(folder / f"{name}.csv"), *extra],
            None,
        )
    data = inputs["audit_parquet"] if HAS_PYARROW else inputs["audit_csv"]
    commands["boosting"] = (
        ["audit", data, "--label", "species", "--model", "boosting"]
        + ["--folds", "2", "--out", str(folder / "boosting"), "--quiet"],
        None,
    )
    if HAS_PYARROW:
        commands["parquet"] = (
            [
                "find-issues",
                "--labels",
                inputs["labels_parquet"],
                "--pred-probs",
                inputs["pred_probs_parquet"],
                "--out",
                str(folder / "parquet.csv"),
                "--quiet",
            ],
            None,
        )
    return run_many(commands)


def _succeeded(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr


class TestFindIssues:
    def test_csv_has_one_row_per_example_worst_first(self, inputs, runs):
        """The CSV holds every example once, by increasing label quality, with
        the library's flags and scores."""
        _succeeded(runs["npy"])
        table = pd.read_csv(Path(inputs["folder"]) / "npy.csv")
        assert list(table.columns) == ISSUE_COLUMNS
        assert sorted(table["index"]) == list(range(NUM_EXAMPLES))
        scores = table["label_quality_score"].to_numpy()
        assert np.all(np.diff(scores) >= 0)
        labels = np.load(inputs["labels"])
        pred_probs = np.load(inputs["pred_probs"])
        index = table["index"].to_numpy()
        expected_scores = rank.get_label_quality_scores(labels, pred_probs)
        np.testing.assert_allclose(scores, expected_scores[index], rtol=1e-12)
        expected_mask = filter.find_label_issues(labels, pred_probs)
        np.testing.assert_array_equal(table["is_label_issue"], expected_mask[index])
        np.testing.assert_array_equal(table["given_label"], labels[index])
        np.testing.assert_array_equal(
            table["suggested_label"], pred_probs.argmax(axis=1)[index]
        )

    def test_prints_summary_and_shows_progress(self, inputs, runs):
        """stdout has the headline numbers and file names; stderr a progress bar."""
        result = runs["npy"]
        labels = np.load(inputs["labels"])
        pred_probs = np.load(inputs["pred_probs"])
        num_issues = int(filter.find_label_issues(labels, pred_probs).sum())
        score = dataset.overall_label_health_score(labels, pred_probs, verbose=False)
        assert result.stdout.startswith(
            f"{NUM_EXAMPLES} examples, 3 classes: {num_issues} label issues"
        )
        assert f"label health score {score:.3f}" in result.stdout
        assert f"written to {Path(inputs['folder']) / 'npy.csv'}" in result.stdout
        assert "Finding label issues" in result.stderr

    def test_report_option_writes_the_report(self, inputs, runs):
        """--report writes the HTML report with its sections."""
        _succeeded(runs["npy"])
        page = (Path(inputs["folder"]) / "npy.html").read_text(encoding="utf-8")
        for section in ("summary", "classes", "noise-matrix", "top-issues"):
            assert f'<section id="{section}">' in page
        assert "Report written to" in runs["npy"].stdout

    def test_class_names_from_csv_columns(self, inputs, runs):
        """Text labels are matched to the named columns of a pred_probs CSV;
        --filter-by picks the method; --quiet leaves stderr empty."""
        result = runs["csv"]
        _succeeded(result)
        assert result.stderr == ""
        table = pd.read_csv(Path(inputs["folder"]) / "csv.csv")
        labels = np.load(inputs["labels"])
        pred_probs = np.load(inputs["pred_probs"])
        index = table["index"].to_numpy()
        names = np.array(CLASSES)
        np.testing.assert_array_equal(table["given_label"], names[labels[index]])
        mask = filter.find_label_issues(
            labels, pred_probs, filter_by="confident_learning"
        )
        np.testing.assert_array_equal(table["is_label_issue"], mask[index])

    def test_labels_and_pred_probs_in_one_file(self, runs):
        """The label column of a shared file is not read as a class column."""
        result = runs["same_file"]
        _succeeded(result)
        assert result.stdout.startswith(f"{NUM_EXAMPLES} examples, 3 classes")
        assert "Use --out FILE" in result.stdout

    def test_csv_files_without_header(self, inputs, runs):
        """CSV files whose first row is data (as np.savetxt writes) are read
        whole and give the same rows as the .npy files."""
        _succeeded(runs["headerless"])
        folder = Path(inputs["folder"])
        headerless = pd.read_csv(folder / "headerless.csv")
        from_npy = pd.read_csv(folder / "npy.csv")
        pd.testing.assert_frame_equal(headerless, from_npy)

    @pytest.mark.skipif(not HAS_PYARROW, reason="reading .parquet needs pyarrow")
    def test_parquet_inputs_give_the_same_rows(self, inputs, runs):
        """.parquet inputs give the same CSV as the .npy ones (with names)."""
        _succeeded(runs["parquet"])
        folder = Path(inputs["folder"])
        from_parquet = pd.read_csv(folder / "parquet.csv")
        from_npy = pd.read_csv(folder / "npy.csv")
        pd.testing.assert_series_equal(from_parquet["index"], from_npy["index"])
        assert set(from_parquet["given_label"]) <= set(CLASSES)


class TestAudit:
    def test_writes_issues_and_report(self, inputs, runs):
        """DIR/issues.csv has a row per labelled row, worst first, with outlier
        columns and the row's values; DIR/report.html has every section."""
        result = runs["audit"]
        _succeeded(result)
        folder = Path(inputs["folder"]) / "audit"
        table = pd.read_csv(folder / "issues.csv")
        assert list(table.columns) == [
            *ISSUE_COLUMNS,
            "outlier_score",
            "is_outlier",
            "length",
            "width",
            "colour",
            "tagged",
            "visits",
            "seen",
        ]
        expected_rows = set(range(NUM_EXAMPLES)) - {AUDIT_UNLABELLED_ROW}
        assert set(table["index"]) == expected_rows
        assert np.all(np.diff(table["label_quality_score"]) >= 0)
        page = (folder / "report.html").read_text(encoding="utf-8")
        for section in ("summary", "classes", "top-issues", "outliers"):
            assert f'<section id="{section}">' in page

    def test_finds_planted_issues_and_the_outlier(self, inputs, runs):
        """The swapped labels are flagged and the far-away row is an outlier."""
        _succeeded(runs["audit"])
        table = pd.read_csv(Path(inputs["folder"]) / "audit" / "issues.csv")
        table = table.set_index("index")
        flagged = set(table.index[table["is_label_issue"]])
        assert len(flagged & set(AUDIT_FLIPPED)) >= 3
        assert table.loc[AUDIT_FAR_ROW, "is_outlier"]
        assert table["outlier_score"].idxmin() == AUDIT_FAR_ROW

    def test_prints_summary_and_progress(self, runs):
        """The summary names the left-out row and the model; folds show progress."""
        result = runs["audit"]
        _succeeded(result)
        assert "1 rows without a label in 'species' left out" in result.stdout
        assert "logistic regression, 3-fold cross-validated" in result.stdout
        assert "outliers flagged" in result.stdout
        assert "Cross-validation folds" in result.stderr

    def test_boosting_model_quietly(self, inputs, runs):
        """--model boosting works (on Parquet, with its nullable integer and date
        columns, when pyarrow is installed); --quiet leaves stderr empty."""
        result = runs["boosting"]
        _succeeded(result)
        assert result.stderr == ""
        assert "gradient boosting, 2-fold cross-validated" in result.stdout
        table = pd.read_csv(Path(inputs["folder"]) / "boosting" / "issues.csv")
        assert len(table) == NUM_EXAMPLES - 1


# ---------------------------------------------------------------------------
# error paths: exit status 2 and one line on stderr, no traceback

# name -> (arguments, with {file} placeholders for `inputs`; message on stderr)
ERROR_CASES = {
    "missing labels file": (
        ["find-issues", "--labels", "{missing}", "--pred-probs", "{pred_probs}"],
        "--labels {missing}: no such file",
    ),
    "missing pred_probs file": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{missing}"],
        "--pred-probs {missing}: no such file",
    ),
    "labels file is a folder": (
        ["find-issues", "--labels", "{folder}", "--pred-probs", "{pred_probs}"],
        "--labels {folder}: not a file",
    ),
    "unsupported file type": (
        ["find-issues", "--labels", "{text}", "--pred-probs", "{pred_probs}"],
        "unsupported file type '.txt'; use one of .npy, .csv, .parquet",
    ),
    "length mismatch": (
        ["find-issues", "--labels", "{short_labels}", "--pred-probs", "{pred_probs}"],
        "--labels has 59 entries but --pred-probs has 60 rows",
    ),
    "logits": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{logits}"],
        "are not probabilities: values range from",
    ),
    "rows not summing to 1": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{unnormalized}"],
        "are not probabilities: 60 rows do not sum to 1 (first: row 0",
    ),
    "NaN in pred_probs": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{nan_pred_probs}"],
        "are not probabilities: row 7 holds NaN or infinity",
    ),
    "labels that are a matrix": (
        ["find-issues", "--labels", "{matrix_labels}", "--pred-probs", "{pred_probs}"],
        "must be a 1-D array; got shape (60, 2)",
    ),
    "pred_probs that are a vector": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{labels}"],
        "must be a matrix with one row per example and at least two class columns",
    ),
    "class index out of range": (
        ["find-issues", "--labels", "{out_of_range}", "--pred-probs", "{pred_probs}"],
        "class indices must be in 0..2 (one per column of --pred-probs); row 4 is 5",
    ),
    "labels of a single class": (
        ["find-issues", "--labels", "{one_class_labels}"]
        + ["--pred-probs", "{pred_probs}"],
        "Labels must contain at least 2 classes",
    ),
    "pickled labels": (
        ["find-issues", "--labels", "{object_labels}", "--pred-probs", "{pred_probs}"],
        "cannot be loaded without pickle",
    ),
    "unknown label column": (
        ["find-issues", "--labels", "{labels_csv}", "--pred-probs", "{pred_probs}"]
        + ["--label-column", "nope"],
        "unknown column 'nope' in {labels_csv}; its columns are: 'weight', 'label'",
    ),
    "several label columns": (
        ["find-issues", "--labels", "{labels_csv}", "--pred-probs", "{pred_probs}"],
        "has 2 columns; choose the labels with --label-column",
    ),
    "label column with .npy labels": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{pred_probs}"]
        + ["--label-column", "label"],
        "--label-column applies to .csv and .parquet labels",
    ),
    "unknown class name": (
        ["find-issues", "--labels", "{unknown_names_csv}"]
        + ["--pred-probs", "{pred_probs_csv}"],
        "label 'dog' is not a column of --pred-probs",
    ),
    "class names without column names": (
        ["find-issues", "--labels", "{unknown_names_csv}"]
        + ["--pred-probs", "{pred_probs}"],
        "--labels holds 4 distinct class names but --pred-probs has 3 columns",
    ),
    "missing labels": (
        ["find-issues", "--labels", "{missing_labels_csv}"]
        + ["--pred-probs", "{pred_probs}"],
        "--labels: 1 labels are missing (first: row 9)",
    ),
    "output folder missing": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{pred_probs}"]
        + ["--out", "{folder}/nowhere/issues.csv"],
        "folder {folder}/nowhere does not exist",
    ),
    "low memory with table labels": (
        ["find-issues", "--labels", "{labels_csv}", "--pred-probs", "{pred_probs}"]
        + ["--low-memory"],
        "--labels {labels_csv}: --low-memory reads .npy files only",
    ),
    "low memory with a pruning filter": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{pred_probs}"]
        + ["--low-memory", "--filter-by", "both"],
        "--low-memory finds the issues of --filter-by low_self_confidence or "
        "low_normalized_margin, not both",
    ),
    "low memory with a report": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{pred_probs}"]
        + ["--low-memory", "--report", "{folder}/report.html"],
        "--report needs all of --pred-probs in memory",
    ),
    "low memory with float labels": (
        ["find-issues", "--labels", "{float_labels}", "--pred-probs", "{pred_probs}"]
        + ["--low-memory"],
        "--low-memory needs class indices 0..K-1 (integers); got dtype float64",
    ),
    "low memory with one class": (
        ["find-issues", "--labels", "{one_class_labels}"]
        + ["--pred-probs", "{pred_probs}", "--low-memory"],
        "Labels must contain at least 2 classes",
    ),
    "low memory length mismatch": (
        ["find-issues", "--labels", "{short_labels}", "--pred-probs", "{pred_probs}"]
        + ["--low-memory"],
        "--labels has 59 entries but --pred-probs has 60 rows",
    ),
    # Found while reading, after the progress bars start: hence --quiet here.
    "low memory rows not summing to 1": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{unnormalized}"]
        + ["--low-memory", "--quiet"],
        "--pred-probs {unnormalized}: are not probabilities: `pred_probs` rows "
        "should each sum to 1, but 60 of 60 rows do not (first: row 0",
    ),
    "low memory NaN": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{nan_pred_probs}"]
        + ["--low-memory", "--quiet"],
        "`pred_probs` contains NaN or infinite values in 1 rows (first: row 7)",
    ),
    "low memory class index out of range": (
        ["find-issues", "--labels", "{out_of_range}", "--pred-probs", "{pred_probs}"]
        + ["--low-memory", "--quiet"],
        "(in the batch of rows 0 to 59)",
    ),
    "audit missing data": (
        ["audit", "{missing}", "--label", "species"],
        "DATA {missing}: no such file",
    ),
    "audit of an array": (
        ["audit", "{labels}", "--label", "species"],
        "must be a .csv or .parquet table",
    ),
    "audit unknown label column": (
        ["audit", "{audit_csv}", "--label", "kind"],
        "unknown column 'kind' in {audit_csv}; its columns are: 'length', 'width', "
        "'colour', 'tagged', 'visits', 'seen', 'species'",
    ),
    "audit single class": (
        ["audit", "{single_class_csv}", "--label", "species"],
        "column 'species' holds a single class ('ant')",
    ),
    "audit more folds than rows": (
        ["audit", "{audit_csv}", "--label", "species", "--folds", "100"],
        "--folds 100 is more than the 59 labelled rows",
    ),
    "audit output is a file": (
        ["audit", "{audit_csv}", "--label", "species", "--out", "{labels}"],
        "exists and is not a folder",
    ),
}
# Usage errors caught by argparse: exit status 2, the usage and the problem.
USAGE_CASES = {
    "find-issues without --pred-probs": (
        ["find-issues", "--labels", "{labels}"],
        "the following arguments are required: --pred-probs",
    ),
    "unknown --filter-by": (
        ["find-issues", "--labels", "{labels}", "--pred-probs", "{pred_probs}"]
        + ["--filter-by", "nope"],
        "argument --filter-by: invalid choice: 'nope'",
    ),
    "audit without --label": (
        ["audit", "{audit_csv}"],
        "the following arguments are required: --label",
    ),
    "audit with one fold": (
        ["audit", "{audit_csv}", "--label", "species", "--folds", "1"],
        "argument --folds: must be at least 2, got 1",
    ),
    "audit with an unknown model": (
        ["audit", "{audit_csv}", "--label", "species", "--model", "forest"],
        "argument --model: invalid choice: 'forest'",
    ),
}
# Python run before `main` to simulate a missing dependency or a bug.
WITHOUT_PYARROW = "sys.modules['pyarrow'] = None"
BROKEN_FINDER = (
    "import cleanlab.cli\n"
    "def broken(*args, **kwargs):\n"
    "    raise RuntimeError('simulated bug')\n"
    "cleanlab.cli._find_label_issues = broken"
)


def _fill(template: str, inputs: dict) -> str:
    return template.format(**inputs)


@pytest.fixture(scope="module")
def error_runs(inputs) -> dict:
    """Every error case, run once for the module: name -> result."""
    commands = {
        name: ([_fill(arg, inputs) for arg in args], None)
        for name, (args, _) in {**ERROR_CASES, **USAGE_CASES}.items()
    }
    commands["no pyarrow"] = (
        ["audit", str(Path(inputs["folder"]) / "data.parquet"), "--label", "y"],
        WITHOUT_PYARROW,
    )
    commands["bug"] = (
        ["find-issues", "--labels", inputs["labels"], "--pred-probs"]
        + [inputs["pred_probs"], "--quiet"],
        BROKEN_FINDER,
    )
    Path(inputs["folder"], "data.parquet").write_bytes(b"PAR1")
    return run_many(commands)


class TestFindIssuesLowMemory:
    @pytest.mark.parametrize("method", ["self_confidence", "normalized_margin"])
    def test_same_rows_as_the_in_memory_low_filter(self, inputs, runs, method):
        """--low-memory writes the table the library's in-memory low_* filter
        gives: the same flags, self-confidence scores and suggested labels."""
        name = "low_memory" if method == "self_confidence" else "low_memory_margin"
        _succeeded(runs[name])
        table = pd.read_csv(Path(inputs["folder"]) / f"{name}.csv")
        assert list(table.columns) == ISSUE_COLUMNS
        labels = np.load(inputs["labels"])
        pred_probs = np.load(inputs["pred_probs_f32"])
        index = table["index"].to_numpy()
        assert sorted(index) == list(range(NUM_EXAMPLES))
        expected_mask = filter.find_label_issues(
            labels, pred_probs, filter_by=f"low_{method}"
        )
        assert expected_mask.any()
        np.testing.assert_array_equal(table["is_label_issue"], expected_mask[index])
        expected_scores = rank.get_label_quality_scores(labels, pred_probs)
        np.testing.assert_allclose(
            table["label_quality_score"], expected_scores[index], rtol=1e-6
        )
        np.testing.assert_array_equal(table["given_label"], labels[index])
        np.testing.assert_array_equal(
            table["suggested_label"], pred_probs.argmax(axis=1)[index]
        )

    def test_prints_the_in_memory_summary(self, inputs, runs):
        """The headline: the number of issues and the library's health score."""
        result = runs["low_memory"]
        labels = np.load(inputs["labels"])
        pred_probs = np.load(inputs["pred_probs_f32"])
        num_issues = int(
            filter.find_label_issues(
                labels, pred_probs, filter_by="low_self_confidence"
            ).sum()
        )
        score = dataset.overall_label_health_score(labels, pred_probs, verbose=False)
        assert result.stdout.startswith(
            f"{NUM_EXAMPLES} examples, 3 classes: {num_issues} label issues"
        )
        assert f"label health score {score:.3f}" in result.stdout
        assert "Computing confident thresholds" in result.stderr


class TestErrors:
    @pytest.mark.parametrize("name", list(ERROR_CASES))
    def test_bad_input_exits_2_with_one_line(self, name, inputs, error_runs):
        """Bad input: status 2, one line on stderr naming the problem, no
        traceback, nothing on stdout."""
        result = error_runs[name]
        command = ERROR_CASES[name][0][0]
        message = _fill(ERROR_CASES[name][1], inputs)
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"cleanlab {command}: error: ")
        assert message in lines[0]

    @pytest.mark.parametrize("name", list(USAGE_CASES))
    def test_bad_usage_exits_2(self, name, inputs, error_runs):
        """Bad usage: status 2, argparse's usage line and the problem."""
        result = error_runs[name]
        assert result.returncode == 2
        assert result.stdout == ""
        assert "usage: cleanlab" in result.stderr
        assert USAGE_CASES[name][1] in result.stderr
        assert "Traceback" not in result.stderr

    def test_parquet_without_pyarrow_exits_2(self, error_runs):
        """Without pyarrow, a .parquet input names the missing package."""
        result = error_runs["no pyarrow"]
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1
        assert "reading .parquet needs pyarrow (pip install pyarrow)" in result.stderr

    def test_unexpected_failure_exits_1_with_traceback(self, error_runs):
        """A bug (simulated) exits with status 1 and shows its traceback."""
        result = error_runs["bug"]
        assert result.returncode == 1
        assert "Traceback (most recent call last)" in result.stderr
        assert "RuntimeError: simulated bug" in result.stderr
        assert result.stderr.rstrip().endswith("please report it")


class TestProbabilityChecks:
    """`--pred-probs` values are checked by the library's `check_probability_rows`
    (its tolerances); the messages are the CLI's."""

    PATH = Path("p.npy")

    def test_rounding_within_the_library_tolerance_passes(self):
        """float32 softmax rounding (an entry a hair above 1) is accepted, as the
        library itself accepts it."""
        cli._check_probabilities(
            np.array([[1 + 1e-7, 0.0], [0.5, 0.5]], dtype=np.float32), self.PATH
        )

    @pytest.mark.parametrize(
        ("pred_probs", "message"),
        [
            ([[0.5, 0.5], [1.0, np.inf]], "row 1 holds NaN or infinity"),
            ([[0.5, 0.5], [-0.2, 1.2]], "values range from -0.2 to 1.2"),
            ([[0.5, 0.5], [0.4, 0.4]], "1 rows do not sum to 1 (first: row 1, "),
        ],
    )
    def test_messages(self, pred_probs, message):
        with pytest.raises(cli.BadInputError) as raised:
            cli._check_probabilities(np.array(pred_probs), self.PATH)
        assert str(raised.value).startswith("--pred-probs p.npy: are not ")
        assert message in str(raised.value)
