"""Find label issues in .npy files read one batch of rows at a time.

When `pred_probs` is too large for memory, save it (and the labels) as ``.npy``
files and let
`cleanlab.experimental.label_issues_batched.find_label_issues_batched` read
them as memory maps, batch by batch. This script writes 200,000 examples of
a 10-class problem with 10% wrong labels into a temporary directory, one
block of rows at a time (as you would from a model's predictions), finds the
issues from the files, and checks that they are the ones the in-memory
`cleanlab.filter.find_label_issues` gives with the same method. No download
needed:

    python examples/out_of_core.py
"""

import tempfile
from pathlib import Path

import numpy as np

from cleanlab.experimental.label_issues_batched import find_label_issues_batched
from cleanlab.filter import find_label_issues

SEED = 0
NUM_EXAMPLES = 200_000
NUM_CLASSES = 10
NOISE = 0.1
BLOCK = 50_000  # rows written at a time
BATCH_SIZE = 20_000  # rows read at a time


def write_files(directory: Path, rng: np.random.Generator) -> np.ndarray:
    """Write labels.npy and pred_probs.npy by blocks of rows; return which are wrong."""
    labels = np.lib.format.open_memmap(
        directory / "labels.npy", mode="w+", dtype=np.int64, shape=(NUM_EXAMPLES,)
    )
    pred_probs = np.lib.format.open_memmap(
        directory / "pred_probs.npy",
        mode="w+",
        dtype=np.float32,
        shape=(NUM_EXAMPLES, NUM_CLASSES),
    )
    is_wrong = np.zeros(NUM_EXAMPLES, dtype=bool)
    for start in range(0, NUM_EXAMPLES, BLOCK):
        rows = slice(start, min(start + BLOCK, NUM_EXAMPLES))
        n = rows.stop - rows.start
        true = rng.integers(0, NUM_CLASSES, n)
        # A fairly good model: the true class gets a logit bonus.
        logits = rng.normal(size=(n, NUM_CLASSES))
        logits[np.arange(n), true] += 3.0
        probs = np.exp(logits)
        pred_probs[rows] = probs / probs.sum(axis=1, keepdims=True)
        wrong = rng.random(n) < NOISE
        shift = rng.integers(1, NUM_CLASSES, n)
        labels[rows] = np.where(wrong, (true + shift) % NUM_CLASSES, true)
        is_wrong[rows] = wrong
    labels.flush()
    pred_probs.flush()
    del labels, pred_probs  # close the maps
    return is_wrong


def main() -> None:
    """Run the example and print the issues found in the files."""
    rng = np.random.default_rng(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        is_wrong = write_files(directory, rng)
        size_mb = (directory / "pred_probs.npy").stat().st_size / 1e6
        print(
            f"Wrote {NUM_EXAMPLES:,} examples x {NUM_CLASSES} classes "
            f"({size_mb:.0f} MB of pred_probs); {is_wrong.sum():,} labels are wrong."
        )

        issues = find_label_issues_batched(
            labels_file=str(directory / "labels.npy"),
            pred_probs_file=str(directory / "pred_probs.npy"),
            batch_size=BATCH_SIZE,
            verbose=False,
        )
        print(
            f"find_label_issues_batched flagged {len(issues):,} examples, "
            f"{is_wrong[issues].sum():,} of them really wrong "
            f"(recall {is_wrong[issues].sum() / is_wrong.sum():.2f})."
        )
        print(f"The five worst: {issues[:5].tolist()}")

        # The same answer in memory (only possible here because the data is small).
        labels = np.load(directory / "labels.npy")
        pred_probs = np.load(directory / "pred_probs.npy")
        in_memory = find_label_issues(
            labels,
            pred_probs,
            filter_by="low_self_confidence",
            return_indices_ranked_by="self_confidence",
        )
        same = np.array_equal(np.sort(issues), np.sort(in_memory))
        print(f"Same issues as find_label_issues in memory: {same}")


if __name__ == "__main__":
    main()
