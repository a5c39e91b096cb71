"""Command-line interface: ``python -m cleanlab <command>`` and the ``cleanlab`` script.

Each command is a subparser registered by one ``_add_<command>_parser`` function
listed in ``_COMMANDS``; its options are parsed by argparse and handed to its
``_run_<command>`` function, which prints its summary, writes its files and
returns an exit status. ``demo`` plants label errors in a small bundled dataset
and shows cleanlab finding them; ``find-issues`` reads labels and predicted
probabilities from files; ``audit`` cross-validates a default model on a
tabular file and reports label issues, outliers and the dataset's health.

Exit statuses: 0 on success, 2 for bad usage or bad input (one line on stderr,
no traceback), 1 for an unexpected failure (with its traceback). Heavy
libraries (pandas, scikit-learn, matplotlib) are imported only by the commands
that need them, so that bad input is reported quickly.
"""

import argparse
import os
import sys
import traceback
import warnings
from pathlib import Path

import numpy as np

import cleanlab
from cleanlab.internal.constants import FILTER_BY

__all__ = ["main"]

# Folds of the cross-validation that produces the demo's out-of-sample pred_probs.
DEMO_CV_FOLDS = 5
# Inverse regularization strength of the demo's logistic regression. Stronger
# regularization than scikit-learn's default (1.0) keeps the model from fitting
# the corrupted labels, so its probabilities expose them better: on seed 0,
# precision 0.85 instead of 0.75 at about the same recall.
DEMO_C = 0.1
# Iteration budget of the logistic regressions (the demo's converges well
# within it; the audit's on standardized, one-hot encoded columns too).
MAX_ITER = 1000
# Largest accepted `--noise`: past it the wrong labels would no longer be a
# minority that a model trained on them can expose.
DEMO_MAX_NOISE = 0.5
# Methods of `cleanlab.filter.find_label_issues` offered by `--filter-by`
# (from the constants module, so the parser is built without the library).
FILTER_BY_CHOICES = FILTER_BY
# File types read by `find-issues` and `audit`.
TABLE_SUFFIXES = (".csv", ".parquet")
ARRAY_SUFFIXES = (".npy", *TABLE_SUFFIXES)
# Examples listed on the terminal by `find-issues` and `audit`.
PRINTED_ISSUES = 10
# Neighbours used by the audit's outlier scores (fewer on tiny data).
OUTLIER_NEIGHBORS = 10
# Categories kept per categorical column by the audit's one-hot encoding; rarer
# ones share one column.
MAX_CATEGORIES = 30
# The category of missing values in the audit's categorical columns.
MISSING_CATEGORY = "(missing)"


class BadInputError(Exception):
    """Bad usage or input: reported on one line, exit status 2."""


def main(argv: list[str] | None = None) -> int:
    """Run the ``cleanlab`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; ``None`` reads ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success, 2 for bad input (the message is printed
        to stderr on one line), 1 for an unexpected failure (its traceback is
        printed to stderr).

    Raises
    ------
    SystemExit
        With status 2 when no command is given (the help is printed to stderr)
        or an option is invalid (argparse prints the usage and the problem), and
        with status 0 after ``--help`` or ``--version``.
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        raise SystemExit(2)
    prefix = f"cleanlab {args.command}"
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _one_line_warning(prefix)
            return args.run(args)
    except BadInputError as err:
        message = " ".join(str(err).split())
        print(f"{prefix}: error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of stdout went away (as `| head` does): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print(f"{prefix}: interrupted", file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print(
            f"{prefix}: unexpected error (the traceback above says where); "
            "please report it",
            file=sys.stderr,
        )
        return 1


def _one_line_warning(prefix: str):
    """A ``warnings.showwarning`` replacement printing ``prefix: warning: ...``."""

    def show(message, category, filename, lineno, file=None, line=None):
        text = " ".join(str(message).split())
        print(f"{prefix}: warning: {text}", file=sys.stderr if file is None else file)

    return show


def _build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with one subparser per entry of ``_COMMANDS``."""
    parser = argparse.ArgumentParser(
        prog="cleanlab",
        description=(
            "Find label issues, score label quality and learn with noisy labels."
        ),
        epilog="Run 'cleanlab <command> --help' for the options of a command.",
    )
    parser.add_argument(
        "--version", action="version", version=f"cleanlab {cleanlab.__version__}"
    )
    subparsers = parser.add_subparsers(
        dest="command", title="commands", metavar="<command>"
    )
    for add_command_parser in _COMMANDS:
        add_command_parser(subparsers)
    return parser


def _add_quiet_option(parser) -> None:
    parser.add_argument(
        "--quiet", action="store_true", help="do not show progress bars"
    )


def _add_report_option(parser) -> None:
    parser.add_argument(
        "--report",
        metavar="PATH",
        type=Path,
        help="also write the HTML report to PATH",
    )


def _add_filter_by_option(parser, *, low_memory: bool = False) -> None:
    default = "prune_by_noise_rate"
    note = f"default: {default}"
    if low_memory:
        note += "; with --low-memory: low_self_confidence, the only other choice"
        note += " being low_normalized_margin"
    parser.add_argument(
        "--filter-by",
        choices=FILTER_BY_CHOICES,
        # None: not given (its default depends on --low-memory)
        default=None if low_memory else default,
        metavar="METHOD",
        help=(
            "how cleanlab.filter.find_label_issues flags issues, one of: "
            f"{', '.join(FILTER_BY_CHOICES)} ({note})"
        ),
    )


# ---------------------------------------------------------------------------
# demo


def _add_demo_parser(subparsers) -> None:
    """Register the ``demo`` command and its options."""
    demo = subparsers.add_parser(
        "demo",
        help="plant label errors in the digits dataset and find them",
        description=(
            "Load scikit-learn's bundled digits dataset (1,797 images of 10 "
            "digits), corrupt a fraction of its labels with class-conditional "
            "noise, and let cleanlab.classification.CleanLearning, wrapping a "
            "logistic regression, find the corrupted labels from 5-fold "
            "cross-validated predicted probabilities. "
            "Prints the most suspicious examples and how well the flagged set "
            "matches the planted errors. Deterministic for a given seed."
        ),
    )
    demo.add_argument(
        "--seed",
        type=_seed,
        default=0,
        help="seed for the noise and the cross-validation folds (default: 0)",
    )
    demo.add_argument(
        "--noise",
        type=_noise_fraction,
        default=0.1,
        help=(
            "fraction of labels to corrupt, greater than 0 and at most "
            f"{DEMO_MAX_NOISE} (default: 0.1)"
        ),
    )
    demo.add_argument(
        "--top",
        type=_positive_int,
        default=10,
        help="how many of the most suspicious examples to list (default: 10)",
    )
    _add_report_option(demo)
    _add_quiet_option(demo)
    demo.set_defaults(run=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    """Run the demo with the parsed options; print the report and return 0."""
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from cleanlab import count
    from cleanlab.classification import CleanLearning

    _check_writable(args.report)
    X, true_labels = load_digits(return_X_y=True)
    N, K = len(true_labels), int(true_labels.max()) + 1
    noisy_labels = _corrupt_labels(true_labels, K, args.noise, args.seed)
    is_corrupted = noisy_labels != true_labels
    classifier = make_pipeline(
        StandardScaler(), LogisticRegression(C=DEMO_C, max_iter=MAX_ITER)
    )
    # The same cross-validation CleanLearning runs itself, done here to show a
    # progress bar and to keep pred_probs for the report.
    pred_probs = count._cross_val_pred_probs(
        X,
        noisy_labels,
        classifier,
        cv_n_folds=DEMO_CV_FOLDS,
        seed=args.seed,
        clf_kwargs={},
        validation_func=None,
        verbose=not args.quiet,
        fold_random_states=True,
    )
    model = CleanLearning(classifier, seed=args.seed, cv_n_folds=DEMO_CV_FOLDS)
    issues = model.find_label_issues(None, noisy_labels, pred_probs=pred_probs)
    flagged = issues.index[issues["is_label_issue"]].to_numpy()
    # Most suspicious first: lowest label quality, ties by index.
    ranked_issues = flagged[
        np.argsort(issues["label_quality"].to_numpy()[flagged], kind="stable")
    ]

    print("cleanlab demo: finding planted label errors in scikit-learn's digits")
    print(f"  examples:    {N:,} images of handwritten digits, {K} classes")
    print(
        f"  noise:       {is_corrupted.sum():,} labels corrupted "
        f"({is_corrupted.mean():.1%}; --noise {args.noise}, --seed {args.seed})"
    )
    print(
        f"  model:       CleanLearning, {DEMO_CV_FOLDS}-fold cross-validated "
        "logistic regression on standardized pixels"
    )
    print()
    print(
        f"find_label_issues flagged {len(ranked_issues):,} examples; "
        f"the {min(args.top, len(ranked_issues))} most suspicious:"
    )
    print()
    _print_demo_table(issues.iloc[ranked_issues[: args.top]], is_corrupted)
    print()
    is_flagged = issues["is_label_issue"].to_numpy()
    precision, recall, f1, _ = precision_recall_fscore_support(
        is_corrupted, is_flagged, average="binary", zero_division=0.0
    )
    print(
        f"Flagged vs. planted errors: precision {precision:.3f}, "
        f"recall {recall:.3f}, F1 {f1:.3f}"
    )
    if args.report is not None:
        from cleanlab.report import make_report

        report = make_report(
            noisy_labels,
            pred_probs,
            label_issues=is_flagged,
            label_quality_scores=issues["label_quality"].to_numpy(),
            title="cleanlab demo: label quality of the corrupted digits",
        )
        print(f"Report written to {report.save(args.report)}")
    return 0


def _corrupt_labels(
    true_labels: np.ndarray, K: int, noise: float, seed: int
) -> np.ndarray:
    """Return `true_labels` with about a `noise` fraction flipped, reproducibly.

    ``generate_noisy_labels`` draws from NumPy's global generator; it is seeded
    here and restored afterwards, so that callers of ``main`` see no change.
    """
    from cleanlab.benchmarking.noise_generation import (
        generate_noise_matrix_from_trace,
        generate_noisy_labels,
    )

    py = np.bincount(true_labels, minlength=K) / len(true_labels)
    noise_matrix = generate_noise_matrix_from_trace(
        K, trace=K * (1 - noise), py=py, valid_noise_matrix=True, seed=seed
    )
    if noise_matrix is None:
        raise BadInputError(
            f"could not draw a valid noise matrix for --noise {noise}; "
            "try a smaller fraction."
        )
    saved_state = np.random.get_state()
    try:
        np.random.seed(seed)
        return generate_noisy_labels(true_labels, noise_matrix)
    finally:
        np.random.set_state(saved_state)


def _print_demo_table(rows, is_corrupted: np.ndarray) -> None:
    """Print one row per issue: given and suggested label, label quality, truth.

    `rows` is a slice of `CleanLearning.find_label_issues`'s DataFrame.
    """
    print(" rank  index  given  suggested  label quality  corrupted")
    for rank, (i, row) in enumerate(rows.iterrows(), start=1):
        print(
            f"{rank:5d}  {i:5d}  {row.given_label:5d}  {row.predicted_label:9d}  "
            f"{row.label_quality:13.2e}  {'yes' if is_corrupted[i] else 'no'}"
        )


# ---------------------------------------------------------------------------
# find-issues


def _add_find_issues_parser(subparsers) -> None:
    """Register the ``find-issues`` command and its options."""
    command = subparsers.add_parser(
        "find-issues",
        help="find label issues from given labels and predicted probabilities",
        description=(
            "Read the given labels and out-of-sample predicted probabilities "
            "of a classification dataset, flag the likely label errors with "
            "cleanlab.filter.find_label_issues and score every label with "
            "cleanlab.rank.get_label_quality_scores. Files may be .npy (read "
            "without pickle), .csv or .parquet (needs pyarrow). Labels are "
            "class indices 0..K-1, or class names: the column names of a "
            "pred_probs table, else sorted in the order of its columns."
        ),
    )
    command.add_argument(
        "--labels",
        required=True,
        type=Path,
        metavar="FILE",
        help="given labels: a 1-D .npy array or a table column",
    )
    command.add_argument(
        "--pred-probs",
        required=True,
        type=Path,
        metavar="FILE",
        help="predicted probabilities, one row per example and one column per class",
    )
    command.add_argument(
        "--label-column",
        metavar="NAME",
        help=(
            "column of the labels table holding the labels (needed when it has "
            "several columns; dropped from pred_probs if the same file)"
        ),
    )
    _add_filter_by_option(command, low_memory=True)
    command.add_argument(
        "--low-memory",
        action="store_true",
        help=(
            "read the .npy files in batches of rows instead of loading them "
            "(cleanlab.experimental.label_issues_batched): memory of one batch "
            "plus a few bytes per example, for files larger than memory. Labels "
            "must be class indices; the issues are exactly those of --filter-by "
            "low_self_confidence (or low_normalized_margin) without this option; "
            "no --report"
        ),
    )
    command.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help=(
            "write a CSV with one row per example (index, given and suggested "
            "label, label quality score, is_label_issue), worst first"
        ),
    )
    _add_report_option(command)
    _add_quiet_option(command)
    command.set_defaults(run=_run_find_issues)


def _run_find_issues(args: argparse.Namespace) -> int:
    """Run ``find-issues``: load, check, find, print and write; return 0."""
    _check_writable(args.out, args.report)
    if args.low_memory:
        return _run_find_issues_batched(args)
    raw_labels = _load_labels(args.labels, args.label_column)
    drop = args.label_column if args.labels == args.pred_probs else None
    pred_probs, column_names = _load_pred_probs(args.pred_probs, drop)
    labels, class_names = _encode_labels(raw_labels, pred_probs, column_names)
    _check_with_library(labels, pred_probs)
    with _steps(3, args.quiet) as progress:
        progress.set_description("Finding label issues")
        result = _find_label_issues(
            labels, pred_probs, args.filter_by or "prune_by_noise_rate"
        )
        progress.update()
        progress.set_description("Writing results")
        table = _issue_table(result, class_names)
        if args.out is not None:
            table.to_csv(args.out, index=False)
        progress.update()
        if args.report is not None:
            progress.set_description("Writing the report")
            _write_report(args.report, result, class_names)
        progress.update()
    _print_summary(result, table, args.out, args.report)
    return 0


def _run_find_issues_batched(args: argparse.Namespace) -> int:
    """``find-issues --low-memory``: the .npy files read in batches of rows."""
    from cleanlab.internal.constants import LOW_SCORE_METHODS
    from cleanlab.internal.errors import PredProbsNormalizationWarning
    from cleanlab.internal.label_issues_batched import run_batched

    filter_by = args.filter_by or "low_self_confidence"
    if filter_by not in LOW_SCORE_METHODS:
        raise BadInputError(
            f"--low-memory finds the issues of --filter-by low_self_confidence or "
            f"low_normalized_margin, not {filter_by}"
        )
    if args.report is not None:
        raise BadInputError(
            "--report needs all of --pred-probs in memory; it cannot be combined "
            "with --low-memory"
        )
    labels = _open_npy(args.labels, "--labels")
    pred_probs = _open_npy(args.pred_probs, "--pred-probs")
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    _check_batched_shapes(labels, pred_probs, args)
    with warnings.catch_warnings():
        # Rows not summing to 1 are refused, as without --low-memory.
        warnings.simplefilter("error", PredProbsNormalizationWarning)
        try:
            found = run_batched(
                labels,
                pred_probs,
                verbose=False,
                progress=not args.quiet,
                quality_score_kwargs={"method": LOW_SCORE_METHODS[filter_by]},
            )
        except PredProbsNormalizationWarning as err:
            raise BadInputError(
                f"--pred-probs {args.pred_probs}: are not probabilities: {err}"
            ) from err
        except ValueError as err:
            raise BadInputError(str(err)) from err
    num_examples, num_classes = pred_probs.shape
    is_issue = np.zeros(num_examples, dtype=bool)
    is_issue[found.issues] = True
    result = {
        "labels": found.labels,
        "num_classes": num_classes,
        "is_label_issue": is_issue,
        "label_quality": found.self_confidence,
        "suggested": found.predicted,
        "health": 1 - int(found.num_issues) / num_examples,
    }
    table = _issue_table(result, None)
    if args.out is not None:
        table.to_csv(args.out, index=False)
    _print_summary(result, table, args.out, None)
    return 0


def _open_npy(path: Path, what: str) -> np.ndarray:
    """The .npy file `path` as a read-only memory map (no pickle)."""
    _check_readable(path, what)
    if path.suffix.lower() != ".npy":
        raise BadInputError(f"{what} {path}: --low-memory reads .npy files only")
    return _load_npy(path, what, mmap_mode="r")


def _check_batched_shapes(labels, pred_probs, args) -> None:
    """Shapes, dtypes and classes that --low-memory needs, checked before work."""
    if labels.ndim != 1:
        raise BadInputError(
            f"--labels {args.labels}: must be a 1-D array; got shape {labels.shape}"
        )
    if labels.dtype.kind not in "iu":
        raise BadInputError(
            f"--labels {args.labels}: --low-memory needs class indices 0..K-1 "
            f"(integers); got dtype {labels.dtype}"
        )
    what = f"--pred-probs {args.pred_probs}"
    _check_matrix_of_numbers(pred_probs, what)
    if len(labels) != len(pred_probs):
        raise BadInputError(
            f"--labels has {len(labels)} entries but --pred-probs has "
            f"{len(pred_probs)} rows"
        )
    if labels.min() == labels.max():
        raise BadInputError(
            "Labels must contain at least 2 classes; --labels holds one class only"
        )


def _check_with_library(labels: np.ndarray, pred_probs: np.ndarray) -> None:
    """Run the library's own input checks, turning their errors into
    BadInputError (such as labels holding a single class)."""
    from cleanlab.internal.validation import validate_labels_and_pred_probs

    try:
        validate_labels_and_pred_probs(labels, pred_probs)
    except (ValueError, TypeError) as err:
        raise BadInputError(str(err)) from err


def _find_label_issues(labels, pred_probs, filter_by: str) -> dict:
    """Issues, scores, suggestions and health of validated labels and pred_probs."""
    from cleanlab import dataset, filter, rank

    return {
        "labels": labels,
        "pred_probs": pred_probs,
        "num_classes": pred_probs.shape[1],
        "is_label_issue": filter.find_label_issues(
            labels, pred_probs, filter_by=filter_by
        ),
        "label_quality": rank.get_label_quality_scores(labels, pred_probs),
        "suggested": np.argmax(pred_probs, axis=1),
        "health": dataset.overall_label_health_score(labels, pred_probs, verbose=False),
    }


def _issue_table(result: dict, class_names):
    """One row per example, lowest label quality first (ties by index)."""
    import pandas as pd

    order = np.lexsort((np.arange(len(result["labels"])), result["label_quality"]))
    names = np.asarray(class_names, dtype=object) if class_names is not None else None

    def named(values):
        return values if names is None else names[values]

    return pd.DataFrame(
        {
            "index": order,
            "given_label": named(result["labels"][order]),
            "suggested_label": named(result["suggested"][order]),
            "label_quality_score": result["label_quality"][order],
            "is_label_issue": result["is_label_issue"][order],
        }
    )


def _write_report(path: Path, result: dict, class_names, **kwargs) -> Path:
    """Write the HTML report of `result` to `path`."""
    from cleanlab.report import make_report

    report = make_report(
        result["labels"],
        result["pred_probs"],
        class_names=class_names,
        label_issues=result["is_label_issue"],
        label_quality_scores=result["label_quality"],
        **kwargs,
    )
    return report.save(path)


def _print_summary(result: dict, table, out: Path | None, report: Path | None):
    """Print the headline numbers, the worst issues and where the files went."""
    num_examples, num_classes = len(result["labels"]), result["num_classes"]
    num_issues = int(result["is_label_issue"].sum())
    print(
        f"{num_examples:,} examples, {num_classes} classes: "
        f"{num_issues:,} label issues ({num_issues / num_examples:.1%}), "
        f"label health score {result['health']:.3f}"
    )
    top = table[table["is_label_issue"]].head(PRINTED_ISSUES)
    if len(top):
        print()
        print(f"Lowest label quality among the issues (first {len(top)}):")
        print(
            top[
                ["index", "given_label", "suggested_label", "label_quality_score"]
            ].to_string(index=False, float_format=lambda value: f"{value:.4f}")
        )
    print()
    if out is not None:
        print(f"All {num_examples:,} examples written to {out}")
    else:
        print("Use --out FILE to save the row of every example as CSV.")
    if report is not None:
        print(f"Report written to {report}")


# ---------------------------------------------------------------------------
# audit


def _add_audit_parser(subparsers) -> None:
    """Register the ``audit`` command and its options."""
    command = subparsers.add_parser(
        "audit",
        help="cross-validate a model on a table and report its label issues",
        description=(
            "Audit a tabular dataset (.csv or .parquet): encode its feature "
            "columns (numbers standardized, other columns one-hot encoded, "
            "missing values imputed), get out-of-sample predicted probabilities "
            "by cross-validating a default model, then find the label issues, "
            "score outliers with cleanlab.outlier.OutOfDistribution and write "
            "DIR/issues.csv and DIR/report.html. Rows without a label are "
            "left out."
        ),
    )
    command.add_argument("data", type=Path, metavar="DATA", help="the table to audit")
    command.add_argument(
        "--label",
        required=True,
        metavar="COLUMN",
        help="the column holding the given labels",
    )
    command.add_argument(
        "--model",
        choices=("logistic", "boosting"),
        default="logistic",
        help=("logistic regression or histogram gradient boosting (default: logistic)"),
    )
    command.add_argument(
        "--folds",
        type=_at_least_two,
        default=5,
        help="number of cross-validation folds (default: 5)",
    )
    _add_filter_by_option(command)
    command.add_argument(
        "--seed",
        type=_seed,
        default=0,
        help="seed for the folds and the model (default: 0)",
    )
    command.add_argument(
        "--out",
        type=Path,
        default=Path("cleanlab-audit"),
        metavar="DIR",
        help="folder for issues.csv and report.html (default: cleanlab-audit)",
    )
    _add_quiet_option(command)
    command.set_defaults(run=_run_audit)


def _run_audit(args: argparse.Namespace) -> int:
    """Run ``audit``: load, cross-validate, find issues and outliers; return 0."""
    if args.out.exists() and not args.out.is_dir():
        raise BadInputError(f"--out {args.out}: exists and is not a folder")
    frame = _read_table(args.data, what="DATA")
    if args.label not in frame.columns:
        raise BadInputError(
            f"unknown column {args.label!r} in {args.data}; its columns are: "
            f"{_column_list(frame.columns)}"
        )
    frame, num_unlabelled = _drop_unlabelled(frame, args.label)
    features = _numbers_as_floats(frame.drop(columns=[args.label]))
    if features.shape[1] == 0:
        raise BadInputError(f"{args.data} has no feature column besides {args.label!r}")
    given = frame[args.label].to_numpy()
    if given.dtype.kind not in "biuf":
        given = given.astype(str)
    class_names, labels = np.unique(given, return_inverse=True)
    _check_audit_sizes(labels, class_names, args.folds, args.label)
    pred_probs, encoded = _cross_validate(features, labels, args)
    result = _find_label_issues(labels, pred_probs, args.filter_by)
    outlier_scores = _outlier_scores(encoded)
    is_outlier = _flag_outliers(outlier_scores)
    table = _issue_table(result, list(class_names))
    # Positions among the labelled rows become row numbers of the file.
    positions = table["index"].to_numpy()
    table["index"] = frame.index.to_numpy()[positions]
    table["outlier_score"] = outlier_scores[positions]
    table["is_outlier"] = is_outlier[positions]
    values = features.iloc[positions].reset_index(drop=True)
    table = table.join(values, rsuffix="_value")
    args.out.mkdir(parents=True, exist_ok=True)
    issues_path = args.out / "issues.csv"
    table.to_csv(issues_path, index=False)
    report_path = _write_report(
        args.out / "report.html",
        result,
        class_names,
        data=features,
        outlier_scores=outlier_scores,
        title=f"Label quality audit of {args.data.name}",
    )
    if num_unlabelled:
        print(f"{num_unlabelled:,} rows without a label in {args.label!r} left out")
    print(
        f"{_model_description(args)}, {args.folds}-fold cross-validated on "
        f"{features.shape[1]} feature columns"
    )
    print(f"{int(is_outlier.sum()):,} outliers flagged")
    _print_summary(result, table, issues_path, report_path)
    return 0


def _numbers_as_floats(features):
    """`features` with its numeric and boolean columns (nullable ones included)
    as float64, missing values as NaN."""
    numeric = features.columns[[_is_numeric(dtype) for dtype in features.dtypes]]
    return features.astype(dict.fromkeys(numeric, "float64"))


def _is_numeric(dtype) -> bool:
    """Whether a column of `dtype` is encoded as a number (bools as 0 and 1)."""
    return str(dtype) != "category" and getattr(dtype, "kind", "O") in "biuf"


def _drop_unlabelled(frame, label: str):
    """`frame` without the rows whose label is missing, and how many those were."""
    has_label = frame[label].notna().to_numpy()
    if not has_label.any():
        raise BadInputError(f"column {label!r} holds no label")
    return frame[has_label], int((~has_label).sum())


def _check_audit_sizes(labels, class_names, folds: int, label: str) -> None:
    """Raise when the labels cannot be cross-validated with `folds` folds."""
    if len(class_names) < 2:
        raise BadInputError(
            f"column {label!r} holds a single class ({str(class_names[0])!r}); "
            "label issues need at least two"
        )
    if folds > len(labels):
        raise BadInputError(
            f"--folds {folds} is more than the {len(labels)} labelled rows"
        )


def _model_description(args) -> str:
    names = {"logistic": "logistic regression", "boosting": "gradient boosting"}
    return names[args.model]


def _cross_validate(features, labels: np.ndarray, args) -> tuple:
    """Out-of-sample pred_probs of the chosen model, and the encoded features.

    The encoded features (numbers imputed and standardized, categories one-hot
    encoded) feed the outlier scores; the model sees the same encoding, fitted
    within each fold.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from cleanlab import count

    if args.model == "logistic":
        model = LogisticRegression(max_iter=MAX_ITER)
    else:
        model = HistGradientBoostingClassifier(random_state=args.seed)
    pipeline = make_pipeline(_encoder(features), model)
    pred_probs = count._cross_val_pred_probs(
        features,
        labels,
        pipeline,
        cv_n_folds=args.folds,
        seed=args.seed,
        clf_kwargs={},
        validation_func=None,
        verbose=not args.quiet,
        fold_random_states=True,
    )
    encoded = np.asarray(_encoder(features).fit_transform(features), dtype=np.float64)
    return pred_probs, encoded


def _encoder(features):
    """A column transformer: numbers imputed by median and standardized, other
    columns one-hot encoded (missing values as a category of their own)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import (
        FunctionTransformer,
        OneHotEncoder,
        StandardScaler,
    )

    is_numeric = [_is_numeric(dtype) for dtype in features.dtypes]
    numeric = [c for c, keep in zip(features.columns, is_numeric, strict=True) if keep]
    other = [
        c for c, keep in zip(features.columns, is_numeric, strict=True) if not keep
    ]
    transformers = []
    if numeric:
        transformers.append(
            (
                "numeric",
                make_pipeline(
                    SimpleImputer(strategy="median", keep_empty_features=True),
                    StandardScaler(),
                ),
                numeric,
            )
        )
    if other:
        transformers.append(
            (
                "categorical",
                make_pipeline(
                    FunctionTransformer(_as_text),
                    OneHotEncoder(
                        handle_unknown="infrequent_if_exist",
                        max_categories=MAX_CATEGORIES,
                        sparse_output=False,
                    ),
                ),
                other,
            )
        )
    return ColumnTransformer(transformers, sparse_threshold=0.0)


def _as_text(X) -> np.ndarray:
    """Every value of `X` as text, missing values as MISSING_CATEGORY.

    Mixed columns (numbers and text, dates) are thus one-hot encoded by their
    text, and missingness is a category of its own.
    """
    import pandas as pd

    values = np.asarray(X, dtype=object)
    missing = pd.isna(values)
    text = values.astype(str)
    text[missing] = MISSING_CATEGORY
    return text.astype(object)


def _outlier_scores(encoded: np.ndarray) -> np.ndarray:
    """Outlier scores of the encoded rows (lower = more atypical)."""
    from cleanlab.outlier import OutOfDistribution

    neighbors = min(OUTLIER_NEIGHBORS, len(encoded) - 1)
    if neighbors < 1:
        return np.ones(len(encoded))
    estimator = OutOfDistribution(params={"k": neighbors})
    return estimator.fit_score(features=encoded, verbose=False)


def _flag_outliers(scores: np.ndarray) -> np.ndarray:
    """Flag the rows far from their neighbours by Tukey's fence.

    The scores are ``exp(-c * distance)``; a row is flagged when ``-log(score)``,
    proportional to its mean distance to its nearest neighbours, exceeds the
    third quartile by more than 1.5 interquartile ranges.
    """
    distances = -np.log(np.maximum(scores, np.finfo(np.float64).tiny))
    q1, q3 = np.quantile(distances, [0.25, 0.75])
    return distances > q3 + 1.5 * (q3 - q1)


# ---------------------------------------------------------------------------
# reading inputs


def _check_readable(path: Path, what: str) -> None:
    """Raise BadInputError unless `path` is an existing file of a known type."""
    if not path.exists():
        raise BadInputError(f"{what} {path}: no such file")
    if not path.is_file():
        raise BadInputError(f"{what} {path}: not a file")
    if path.suffix.lower() not in ARRAY_SUFFIXES:
        raise BadInputError(
            f"{what} {path}: unsupported file type {path.suffix!r}; "
            f"use one of {', '.join(ARRAY_SUFFIXES)}"
        )


def _check_writable(*paths: Path | None) -> None:
    """Raise BadInputError when an output's folder is missing (before any work)."""
    for path in paths:
        if path is None:
            continue
        if path.is_dir():
            raise BadInputError(f"{path}: is a folder; give a file name")
        if not path.parent.is_dir():
            raise BadInputError(f"{path}: folder {path.parent} does not exist")


def _read_table(path: Path, what: str):
    """The .csv or .parquet file `path` as a DataFrame with at least one row."""
    _check_readable(path, what)
    if path.suffix.lower() == ".npy":
        raise BadInputError(f"{what} {path}: must be a .csv or .parquet table")
    import pandas as pd

    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path)
        else:
            frame = _read_parquet(path, what)
    except BadInputError:
        raise
    except (ValueError, OSError, UnicodeDecodeError) as err:
        # pandas' parser errors are ValueErrors; pyarrow's are ArrowInvalid
        # (a ValueError) and OSError.
        raise BadInputError(f"{what} {path}: cannot be read: {err}") from err
    if len(frame) == 0:
        raise BadInputError(f"{what} {path}: has no rows")
    return frame


def _read_parquet(path: Path, what: str):
    """Read a Parquet file with pyarrow, or raise BadInputError without it."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise BadInputError(
            f"{what} {path}: reading .parquet needs pyarrow (pip install pyarrow)"
        ) from None
    import pandas as pd

    return pd.read_parquet(path, engine="pyarrow")


def _headerless(frame, path: Path):
    """Read `path` again without a header when every column name is a number."""
    import pandas as pd

    if path.suffix.lower() != ".csv" or not all(
        _is_number(column) for column in frame.columns
    ):
        return frame
    return pd.read_csv(path, header=None)


def _is_number(text) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def _load_npy(path: Path, what: str, mmap_mode: str | None = None) -> np.ndarray:
    """Load a .npy file without pickle (as a memory map with `mmap_mode`),
    raising BadInputError when it fails."""
    try:
        return np.load(path, mmap_mode=mmap_mode, allow_pickle=False)
    except ValueError as err:
        raise BadInputError(
            f"{what} {path}: cannot be loaded without pickle (object arrays are "
            f"refused): {err}"
        ) from err
    except OSError as err:
        raise BadInputError(f"{what} {path}: not a valid .npy file: {err}") from err


def _load_labels(path: Path, column: str | None) -> np.ndarray:
    """The labels in `path` as a 1-D array (numbers or text)."""
    what = "--labels"
    _check_readable(path, what)
    if path.suffix.lower() == ".npy":
        if column is not None:
            raise BadInputError(
                f"--label-column applies to .csv and .parquet labels, not {path}"
            )
        labels = _load_npy(path, what)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.ndim != 1:
            raise BadInputError(
                f"{what} {path}: must be a 1-D array; got shape {labels.shape}"
            )
        return labels
    frame = _read_table(path, what)
    if column is not None:
        if column not in frame.columns:
            raise BadInputError(
                f"unknown column {column!r} in {path}; its columns are: "
                f"{_column_list(frame.columns)}"
            )
        return frame[column].to_numpy()
    if frame.shape[1] != 1:
        raise BadInputError(
            f"{what} {path}: has {frame.shape[1]} columns; choose the labels with "
            f"--label-column (columns: {_column_list(frame.columns)})"
        )
    return _headerless(frame, path).iloc[:, 0].to_numpy()


def _load_pred_probs(path: Path, drop_column: str | None) -> tuple:
    """The (N, K) float array in `path`, and its column names (None if unnamed)."""
    what = "--pred-probs"
    _check_readable(path, what)
    if path.suffix.lower() == ".npy":
        pred_probs = _load_npy(path, what)
        names = None
    else:
        frame = _read_table(path, what)
        if drop_column is not None and drop_column in frame.columns:
            frame = frame.drop(columns=[drop_column])
        frame = _headerless(frame, path)
        named = not all(isinstance(column, int) for column in frame.columns)
        names = [str(column) for column in frame.columns] if named else None
        non_numeric = [c for c in frame.columns if frame[c].dtype.kind not in "biuf"]
        if non_numeric:
            raise BadInputError(
                f"{what} {path}: column {non_numeric[0]!r} is not numeric; every "
                "column must hold the probabilities of one class"
            )
        pred_probs = frame.to_numpy()
    _check_probabilities(pred_probs, path)
    return pred_probs, names


def _check_probabilities(pred_probs: np.ndarray, path: Path) -> None:
    """Raise BadInputError unless `pred_probs` is an (N, K) matrix of probabilities.

    The values are checked by the library's `check_probability_rows` (its
    tolerances, one pass in row chunks); only the messages are the CLI's own.
    """
    from cleanlab.internal.validation import check_probability_rows

    what = f"--pred-probs {path}"
    _check_matrix_of_numbers(pred_probs, what)
    try:
        num_off, first_off = check_probability_rows(pred_probs, name=what)
    except ValueError as err:
        raise BadInputError(_not_probabilities(pred_probs, what)) from err
    if num_off:
        first_sum = pred_probs[first_off].sum(dtype=np.float64)
        raise BadInputError(
            f"{what}: are not probabilities: {num_off:,} rows do not sum to 1 "
            f"(first: row {first_off}, which sums to {first_sum:.6g}); normalize "
            "each row"
        )


def _check_matrix_of_numbers(pred_probs, what: str) -> None:
    """Raise BadInputError unless `pred_probs` is a numeric (N, K >= 2) matrix."""
    if pred_probs.ndim != 2 or pred_probs.shape[1] < 2 or len(pred_probs) == 0:
        raise BadInputError(
            f"{what}: must be a matrix with one row per example and at least two "
            f"class columns; got shape {pred_probs.shape}"
        )
    if pred_probs.dtype.kind not in "biuf":
        raise BadInputError(f"{what}: must hold numbers; got dtype {pred_probs.dtype}")


def _not_probabilities(pred_probs: np.ndarray, what: str) -> str:
    """Why `check_probability_rows` refused `pred_probs`: NaN or infinite
    values, else values outside [0, 1]."""
    finite = np.isfinite(pred_probs).all(axis=1)
    if not finite.all():
        row = int(np.flatnonzero(~finite)[0])
        return f"{what}: are not probabilities: row {row} holds NaN or infinity"
    low, high = pred_probs.min(), pred_probs.max()
    return (
        f"{what}: are not probabilities: values range from {low:g} to {high:g}, "
        "not within [0, 1] (logits? apply a softmax first)"
    )


def _encode_labels(raw: np.ndarray, pred_probs: np.ndarray, column_names) -> tuple:
    """Labels as int64 class indices 0..K-1, and the class names (or None).

    Numeric labels are class indices. Text labels are class names: the column
    names of pred_probs when it has some, else the sorted distinct labels.
    """
    num_examples, num_classes = pred_probs.shape
    if len(raw) != num_examples:
        raise BadInputError(
            f"--labels has {len(raw):,} entries but --pred-probs has "
            f"{num_examples:,} rows; they must describe the same examples"
        )
    missing = _missing_mask(raw)
    if missing.any():
        raise BadInputError(
            f"--labels: {int(missing.sum()):,} labels are missing "
            f"(first: row {int(np.flatnonzero(missing)[0])})"
        )
    if raw.dtype.kind in "biuf":
        return _numeric_labels(raw, num_classes), column_names
    raw = raw.astype(str)
    if column_names is not None:
        names = column_names
    else:
        names = sorted(set(raw.tolist()))
        if len(names) != num_classes:
            raise BadInputError(
                f"--labels holds {len(names)} distinct class names but --pred-probs "
                f"has {num_classes} columns; name the columns in a table header "
                "to match labels to columns"
            )
    position = {name: k for k, name in enumerate(names)}
    unknown = [label for label in raw.tolist() if label not in position]
    if unknown:
        raise BadInputError(
            f"--labels: label {unknown[0]!r} is not a column of --pred-probs "
            f"(columns: {_column_list(names)})"
        )
    return np.array([position[label] for label in raw.tolist()], np.int64), names


def _missing_mask(raw: np.ndarray) -> np.ndarray:
    import pandas as pd

    if raw.dtype.kind in "biu":
        return np.zeros(len(raw), dtype=bool)
    return pd.isna(raw)


def _numeric_labels(raw: np.ndarray, num_classes: int) -> np.ndarray:
    """Numeric labels as int64 indices, checked to be integers in 0..K-1."""
    if raw.dtype.kind == "f":
        fractional = np.flatnonzero(raw % 1 != 0)
        if len(fractional):
            i = int(fractional[0])
            raise BadInputError(
                f"--labels: must be class indices (integers); row {i} is {raw[i]}"
            )
    labels = raw.astype(np.int64)
    outside = np.flatnonzero((labels < 0) | (labels >= num_classes))
    if len(outside):
        i = int(outside[0])
        raise BadInputError(
            f"--labels: class indices must be in 0..{num_classes - 1} (one per "
            f"column of --pred-probs); row {i} is {labels[i]}"
        )
    return labels


def _column_list(columns) -> str:
    """Column names for a message, at most 20 of them."""
    names = [repr(str(column)) for column in columns]
    if len(names) > 20:
        names = [*names[:20], f"... ({len(names) - 20} more)"]
    return ", ".join(names)


def _steps(total: int, quiet: bool):
    """A tqdm bar counting the `total` steps of a command (hidden when quiet)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=quiet, leave=False, unit="step")


# ---------------------------------------------------------------------------
# option types


def _seed(text: str) -> int:
    """Parse a seed for NumPy's legacy generator (an integer in 0..2**32 - 1)."""
    value = _parse_int(text)
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(
            f"must be an integer from 0 to {2**32 - 1}, got {text}"
        )
    return value


def _noise_fraction(text: str) -> float:
    """Parse a fraction of labels to corrupt, in (0, DEMO_MAX_NOISE]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not 0 < value <= DEMO_MAX_NOISE:
        raise argparse.ArgumentTypeError(
            f"must be greater than 0 and at most {DEMO_MAX_NOISE}, got {text}"
        )
    return value


def _positive_int(text: str) -> int:
    """Parse an integer of at least 1."""
    value = _parse_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def _at_least_two(text: str) -> int:
    """Parse an integer of at least 2 (a number of folds)."""
    value = _parse_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2, got {text}")
    return value


def _parse_int(text: str) -> int:
    """Parse an integer, raising the error argparse reports as a bad option value."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None


# One registration function per command, in the order `--help` lists them.
_COMMANDS = (_add_demo_parser, _add_find_issues_parser, _add_audit_parser)
