"""Find wrongly recorded regression targets with cleanlab.regression.

Takes scikit-learn's bundled diabetes dataset (442 patients, 10 features, a
disease-progression score as the target) and corrupts 5% of the targets the
way real data goes wrong: half are replaced by a plausible value half the
target's range away, the others are typed ten times too large. It then finds them twice:

1. from predictions you already have: cross-validated predictions of a ridge
   regression, scored with `cleanlab.regression.rank.get_label_quality_scores`;
2. with `cleanlab.regression.learn.CleanLearning`, which cross-validates the
   model itself, decides how many examples to leave out, flags them and fits
   on the rest.

No download needed:

    python examples/regression.py
"""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_predict

from cleanlab.regression.learn import CleanLearning
from cleanlab.regression.rank import get_label_quality_scores

SEED = 0
NOISE_RATE = 0.05


def corrupt(y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return ``y`` with NOISE_RATE of its values made wrong, and where they are."""
    wrong = rng.choice(len(y), size=round(NOISE_RATE * len(y)), replace=False)
    replaced, typed = np.array_split(wrong, 2)
    noisy = y.copy()
    # Another value within the range, half the range away (wrapping around).
    low, spread = y.min(), y.max() - y.min()
    noisy[replaced] = low + (y[replaced] - low + spread / 2) % spread
    # Typed with one digit too many.
    noisy[typed] *= 10
    is_wrong = np.zeros(len(y), dtype=bool)
    is_wrong[wrong] = True
    return noisy, is_wrong


def corrupted_among_lowest(scores: np.ndarray, is_wrong: np.ndarray) -> int:
    """How many of the ``is_wrong.sum()`` lowest scores belong to corrupted targets."""
    return int(is_wrong[np.argsort(scores, kind="stable")[: is_wrong.sum()]].sum())


def main() -> None:
    """Run the example and print what each way finds."""
    rng = np.random.default_rng(SEED)
    X, y = load_diabetes(return_X_y=True)
    noisy, is_wrong = corrupt(y, rng)
    print(
        f"{len(y)} patients, {is_wrong.sum()} targets corrupted "
        f"(half replaced, half typed ten times too large)."
    )

    predictions = cross_val_predict(Ridge(alpha=0.1), X, noisy, cv=5)
    scores = get_label_quality_scores(noisy, predictions)
    print(
        f"rank.get_label_quality_scores: {corrupted_among_lowest(scores, is_wrong)} "
        f"of the {is_wrong.sum()} lowest-scored targets are corrupted."
    )

    cl = CleanLearning(Ridge(alpha=0.1), seed=SEED)
    cl.fit(X, noisy)
    issues = cl.get_label_issues()
    flagged = issues["is_label_issue"].to_numpy()
    quality = issues["label_quality"].to_numpy()
    print(
        f"CleanLearning left out a fraction k={cl.k:.3f} and flagged "
        f"{flagged.sum()} targets, {(flagged & is_wrong).sum()} of them corrupted."
    )
    print(
        f"Its {is_wrong.sum()} lowest-quality targets hold "
        f"{corrupted_among_lowest(quality, is_wrong)} of the corrupted ones."
    )
    top = issues.sort_values("label_quality", kind="stable").head(5)
    top = top.assign(true_label=y[top.index])
    print("\nThe five most suspicious targets, with the value before corruption:")
    print(top.round(1).to_string())


if __name__ == "__main__":
    main()
