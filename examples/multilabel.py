"""Find wrongly annotated class sets in a multi-label dataset.

Each example may belong to several classes at once (tags of a photo, topics of
an article). Generates such a dataset (features are the sum of one random
direction per tag, plus noise), corrupts the tag set
of 10% of the examples (one tag added or removed), gets out-of-sample
probabilities from one-vs-rest logistic regressions, and uses
`cleanlab.multilabel_classification` to find and score the corrupted sets and
to summarize which tags are missed or added most. No download needed:

    python examples/multilabel.py
"""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.multiclass import OneVsRestClassifier

from cleanlab.multilabel_classification.dataset import common_multilabel_issues
from cleanlab.multilabel_classification.filter import find_label_issues
from cleanlab.multilabel_classification.rank import get_label_quality_scores

SEED = 0
NUM_EXAMPLES = 600
NUM_CLASSES = 4
NOISE = 0.1
CLASS_NAMES = ["beach", "city", "forest", "people"]


def make_dataset(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return features (N, 20) and the true tags as an (N, K) 0/1 matrix."""
    true_sets = (rng.random((NUM_EXAMPLES, NUM_CLASSES)) < 0.35).astype(int)
    directions = rng.normal(size=(NUM_CLASSES, 20))
    X = true_sets @ directions + rng.normal(scale=0.8, size=(NUM_EXAMPLES, 20))
    return X, true_sets


def corrupt(true_sets: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return a copy of the (N, K) 0/1 matrix with one tag flipped in NOISE of rows."""
    noisy = true_sets.copy()
    rows = rng.choice(len(noisy), size=int(NOISE * len(noisy)), replace=False)
    noisy[rows, rng.integers(0, NUM_CLASSES, len(rows))] ^= 1
    return noisy


def main() -> None:
    """Run the example and print the label issues found."""
    rng = np.random.default_rng(SEED)
    X, true_sets = make_dataset(rng)
    noisy_sets = corrupt(true_sets, rng)
    is_wrong = (noisy_sets != true_sets).any(axis=1)

    # Out-of-sample probabilities: column k is P(example has tag k), and the
    # columns need not sum to 1.
    pred_probs = cross_val_predict(
        OneVsRestClassifier(LogisticRegression(max_iter=1000)),
        X,
        noisy_sets,
        cv=KFold(n_splits=5, shuffle=True, random_state=SEED),
        method="predict_proba",
    )
    # cleanlab's format for multi-label: one list of class indices per example.
    labels = [np.flatnonzero(row).tolist() for row in noisy_sets]

    issues = find_label_issues(
        labels, pred_probs, return_indices_ranked_by="self_confidence"
    )
    scores = get_label_quality_scores(labels, pred_probs)
    print(f"{NUM_EXAMPLES} examples, {is_wrong.sum()} tag sets corrupted.")
    print(
        f"Flagged {len(issues)} tag sets, {is_wrong[issues].sum()} of them really "
        "corrupted."
    )
    print("Most suspicious examples (given tags; tags with probability > 0.5):")
    for i in issues[:5]:
        given = [CLASS_NAMES[k] for k in labels[i]]
        likely = [CLASS_NAMES[k] for k in np.flatnonzero(pred_probs[i] > 0.5)]
        print(f"  example {i}: given {given}, likely {likely}, score {scores[i]:.3f}")

    print("Tags most often wrongly added or missed:")
    common = common_multilabel_issues(labels, pred_probs, class_names=CLASS_NAMES)
    print(common.head(4).to_string(index=False))


if __name__ == "__main__":
    main()
