"""Command-line interface: ``python -m cleanlab <command>`` and the ``cleanlab`` script.

Each command is a subparser registered by one ``_add_<command>_parser`` function
listed in ``_COMMANDS``; a command's options are parsed by argparse and handed to
its ``_run_<command>`` function, which prints its report and returns an exit
status. The only command so far is ``demo``, which plants label errors in a small
bundled dataset and shows cleanlab finding them.
"""

import argparse
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import cleanlab
from cleanlab.benchmarking.noise_generation import (
    generate_noise_matrix_from_trace,
    generate_noisy_labels,
)
from cleanlab.classification import CleanLearning

__all__ = ["main"]

# Folds of the cross-validation that produces out-of-sample pred_probs.
DEMO_CV_FOLDS = 5
# Inverse regularization strength of the demo's logistic regression. Stronger
# regularization than scikit-learn's default (1.0) keeps the model from fitting
# the corrupted labels, so its probabilities expose them better: on seed 0,
# precision 0.85 instead of 0.75 at about the same recall.
DEMO_C = 0.1
# Iteration budget of the demo's logistic regression (converges well within it).
DEMO_MAX_ITER = 1000
# Largest accepted `--noise`: past it the wrong labels would no longer be a
# minority that a model trained on them can expose.
DEMO_MAX_NOISE = 0.5


def main(argv: list[str] | None = None) -> int:
    """Run the ``cleanlab`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; ``None`` reads ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status of the command (0 on success).

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
    return args.run(args)


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
    demo.set_defaults(run=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    """Run the demo with the parsed options; print the report and return 0."""
    X, true_labels = load_digits(return_X_y=True)
    N, K = len(true_labels), int(true_labels.max()) + 1
    noisy_labels = _corrupt_labels(true_labels, K, args.noise, args.seed)
    is_corrupted = noisy_labels != true_labels
    model = CleanLearning(
        make_pipeline(
            StandardScaler(), LogisticRegression(C=DEMO_C, max_iter=DEMO_MAX_ITER)
        ),
        seed=args.seed,
        cv_n_folds=DEMO_CV_FOLDS,
    )
    issues = model.find_label_issues(X, noisy_labels)
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
    _print_issue_table(issues.iloc[ranked_issues[: args.top]], is_corrupted)
    print()
    is_flagged = issues["is_label_issue"].to_numpy()
    precision, recall, f1, _ = precision_recall_fscore_support(
        is_corrupted, is_flagged, average="binary", zero_division=0.0
    )
    print(
        f"Flagged vs. planted errors: precision {precision:.3f}, "
        f"recall {recall:.3f}, F1 {f1:.3f}"
    )
    return 0


def _corrupt_labels(
    true_labels: np.ndarray, K: int, noise: float, seed: int
) -> np.ndarray:
    """Return `true_labels` with about a `noise` fraction flipped, reproducibly.

    ``generate_noisy_labels`` draws from NumPy's global generator; it is seeded
    here and restored afterwards, so that callers of ``main`` see no change.
    """
    py = np.bincount(true_labels, minlength=K) / len(true_labels)
    noise_matrix = generate_noise_matrix_from_trace(
        K, trace=K * (1 - noise), py=py, valid_noise_matrix=True, seed=seed
    )
    if noise_matrix is None:
        raise SystemExit(
            f"cleanlab demo: could not draw a valid noise matrix for "
            f"--noise {noise}; try a smaller fraction."
        )
    saved_state = np.random.get_state()
    try:
        np.random.seed(seed)
        return generate_noisy_labels(true_labels, noise_matrix)
    finally:
        np.random.set_state(saved_state)


def _print_issue_table(rows, is_corrupted: np.ndarray) -> None:
    """Print one row per issue: given and suggested label, label quality, truth.

    `rows` is a slice of `CleanLearning.find_label_issues`'s DataFrame.
    """
    print(" rank  index  given  suggested  label quality  corrupted")
    for rank, (i, row) in enumerate(rows.iterrows(), start=1):
        print(
            f"{rank:5d}  {i:5d}  {row.given_label:5d}  {row.predicted_label:9d}  "
            f"{row.label_quality:13.2e}  {'yes' if is_corrupted[i] else 'no'}"
        )


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


def _parse_int(text: str) -> int:
    """Parse an integer, raising the error argparse reports as a bad option value."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None


# One registration function per command, in the order `--help` lists them.
_COMMANDS = (_add_demo_parser,)


if __name__ == "__main__":
    sys.exit(main())
