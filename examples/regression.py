"""Find wrongly recorded regression targets with cleanlab.regression.

Takes scikit-learn's bundled diabetes dataset (442 patients, 10 features, a
disease-progression score as the target) and corrupts 5% of the targets the
way real data goes wrong: some are replaced by a value drawn from the whole
range, some are typed ten times too large. It then finds them twice:

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
    n_wrong = round(NOISE_RATE * len(y))
    wrong = rng.choice(len(y), size=n_wrong, replace=False)
    noisy = y.copy()
    half = n_wrong // 2
    # Replaced by another plausible value, at least a quarter of the range away.
    spread = y.max() - y.min()
    for i in wrong[:half]:
        candidates = y[np.abs(y - y[i]) > spread / 4]
        noisy[i] = rng.choice(candidates)
    # Typed with one digit too many.
    noisy[wrong[half:]] = 10 * y[wrong[half:]]
    is_wrong = np.zeros(len(y), dtype=bool)
    is_wrong[wrong] = True
    return noisy, is_wrong


def main() -> None:
    """Run the example and print what each way finds."""
    rng = np.random.default_rng(SEED)
    X, y = load_diabetes(return_X_y=True)
    noisy, is_wrong = corrupt(y, rng)
    print(
        f"{len(y)} patients, {is_wrong.sum()} targets corrupted "
        f"({is_wrong.sum() // 2} replaced, the rest typed ten times too large)."
    )

    predictions = cross_val_predict(Ridge(alpha=0.1), X, noisy, cv=5)
    scores = get_label_quality_scores(noisy, predictions)
    worst = np.argsort(scores)[: is_wrong.sum()]
    print(
        f"rank.get_label_quality_scores: {is_wrong[worst].sum()} of the "
        f"{len(worst)} lowest-scored targets are corrupted."
    )

    cl = CleanLearning(Ridge(alpha=0.1), seed=SEED)
    cl.fit(X, noisy)
    issues = cl.get_label_issues()
    flagged = issues["is_label_issue"].to_numpy()
    print(
        f"CleanLearning left out a fraction k={cl.k:.3f} and flagged "
        f"{flagged.sum()} targets, {(flagged & is_wrong).sum()} of them corrupted."
    )
    lowest = np.argsort(issues["label_quality"].to_numpy())[: is_wrong.sum()]
    print(
        f"Its {len(lowest)} lowest-quality targets hold {is_wrong[lowest].sum()} "
        f"of the corrupted ones."
    )
    top = issues.sort_values("label_quality").head(5)
    top = top.assign(true_label=y[top.index])
    print("\nThe five most suspicious targets, with the value before corruption:")
    print(top.round(1).to_string())


if __name__ == "__main__":
    main()
