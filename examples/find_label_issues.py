"""Find label errors in a synthetic dataset with cleanlab.

Builds a 4-class dataset with scikit-learn, flips 10% of its labels, gets
out-of-sample predicted probabilities by cross-validation, then uses
`cleanlab.filter.find_label_issues` to flag the flipped labels,
`cleanlab.rank.get_label_quality_scores` to score every label, and
`cleanlab.dataset.health_summary` to summarize the dataset. No download needed:

    python examples/find_label_issues.py
"""

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

import cleanlab

SEED = 0
NUM_EXAMPLES = 1000
NUM_CLASSES = 4
NOISE = 0.1


def make_noisy_dataset(rng: np.random.Generator):
    """Return features, true labels and labels with a NOISE fraction flipped."""
    X, true_labels = make_classification(
        n_samples=NUM_EXAMPLES,
        n_features=10,
        n_informative=6,
        n_classes=NUM_CLASSES,
        n_clusters_per_class=1,
        class_sep=3.0,
        random_state=SEED,
    )
    labels = true_labels.copy()
    flipped = rng.choice(NUM_EXAMPLES, size=int(NOISE * NUM_EXAMPLES), replace=False)
    # Add 1..K-1 (mod K), so that every flipped label really changes.
    shift = rng.integers(1, NUM_CLASSES, size=len(flipped))
    labels[flipped] = (true_labels[flipped] + shift) % NUM_CLASSES
    return X, true_labels, labels


def main() -> None:
    """Run the example and print what cleanlab finds."""
    rng = np.random.default_rng(SEED)
    X, true_labels, labels = make_noisy_dataset(rng)

    # Out-of-sample predicted probabilities: each example is scored by a model
    # that did not see it during training.
    pred_probs = cross_val_predict(
        LogisticRegression(max_iter=1000),
        X,
        labels,
        cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED),
        method="predict_proba",
    )

    # 1. The likely label errors, most suspicious first.
    issues = cleanlab.filter.find_label_issues(
        labels, pred_probs, return_indices_ranked_by="self_confidence"
    )
    is_wrong = labels != true_labels
    print(f"{is_wrong.sum()} labels were flipped; cleanlab flagged {len(issues)}.")
    print(f"{is_wrong[issues].sum()} of the flagged labels really are wrong.")
    print(f"Five most suspicious examples: {issues[:5].tolist()}")

    # 2. A quality score for every label (lower = more likely wrong).
    scores = cleanlab.rank.get_label_quality_scores(labels, pred_probs)
    print(
        f"Mean label quality: {scores[~is_wrong].mean():.3f} for correct labels, "
        f"{scores[is_wrong].mean():.3f} for flipped ones."
    )

    # 3. A dataset-level summary (verbose=False: return it, print nothing).
    summary = cleanlab.dataset.health_summary(labels, pred_probs, verbose=False)
    print(f"Overall label health score: {summary['overall_label_health_score']:.3f}")
    print("Classes by label quality:")
    print(summary["classes_by_label_quality"].to_string(index=False))


if __name__ == "__main__":
    main()
