"""Train a classifier on noisy tabular labels with CleanLearning.

Takes scikit-learn's bundled digits dataset (1797 images of 8x8 pixels as 64
features, 10 classes), flips 20% of the training labels, and compares a logistic
regression trained on the noisy labels with the same model wrapped in
`cleanlab.classification.CleanLearning`, which cross-validates it, finds the
label issues and trains on the rest. No download needed:

    python examples/tabular_cleanlearning.py
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from cleanlab.classification import CleanLearning

SEED = 0
NOISE = 0.2


def flip_labels(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return a copy of `labels` with a NOISE fraction changed to another class."""
    num_classes = labels.max() + 1
    noisy = labels.copy()
    flipped = rng.choice(len(labels), size=int(NOISE * len(labels)), replace=False)
    noisy[flipped] = (labels[flipped] + rng.integers(1, num_classes, len(flipped))) % (
        num_classes
    )
    return noisy


def main() -> None:
    """Run the example and print what CleanLearning finds."""
    rng = np.random.default_rng(SEED)
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=SEED
    )
    noisy_train = flip_labels(y_train, rng)
    is_wrong = noisy_train != y_train

    def model():
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))

    plain = model().fit(X_train, noisy_train)

    cl = CleanLearning(model(), seed=SEED)
    cl.fit(X_train, noisy_train)
    issues = cl.get_label_issues()
    flagged = issues.index[issues["is_label_issue"]].to_numpy()

    print(f"Training set: {len(y_train)} images, {is_wrong.sum()} labels flipped.")
    print(
        f"CleanLearning flagged {len(flagged)} labels, "
        f"{is_wrong[flagged].sum()} of them really flipped."
    )
    print("The five flagged labels of lowest quality:")
    worst = issues[issues["is_label_issue"]].sort_values("label_quality").head(5)
    print(worst.to_string(float_format="{:.2g}".format))
    print(
        f"Test accuracy trained on the noisy labels: {plain.score(X_test, y_test):.3f}"
    )
    print(f"Test accuracy with CleanLearning:          {cl.score(X_test, y_test):.3f}")


if __name__ == "__main__":
    main()
