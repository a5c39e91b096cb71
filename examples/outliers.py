"""Find outliers and out-of-distribution images with cleanlab.outlier.

Fits `cleanlab.outlier.OutOfDistribution` on scikit-learn's bundled digits
images of the classes 0 to 7, then scores a test set that mixes held-out
images of those classes with two kinds of strangers: images of 8 and 9 (classes
never seen in training) and random-noise images. It does it twice: from the
pixel features (distance to the nearest training images) and from a
classifier's predicted probabilities (how unsure the model is). Lower scores
mean more atypical. No download needed:

    python examples/outliers.py
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict, train_test_split

from cleanlab.outlier import OutOfDistribution

SEED = 0
NUM_NOISE_IMAGES = 20
TOP = 40


def make_split(rng: np.random.Generator):
    """Return train features and labels (0-7), test features and a stranger mask."""
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    seen = y < 8
    X_train, X_test_in, y_train, _ = train_test_split(
        X[seen], y[seen], test_size=0.2, stratify=y[seen], random_state=SEED
    )
    unseen = X[~seen][rng.choice((~seen).sum(), size=40, replace=False)]
    noise = rng.random((NUM_NOISE_IMAGES, X.shape[1]))
    X_test = np.vstack([X_test_in, unseen, noise])
    is_stranger = np.r_[np.zeros(len(X_test_in), bool), np.ones(40 + len(noise), bool)]
    return X_train, y_train, X_test, is_stranger


def report(name: str, scores: np.ndarray, is_stranger: np.ndarray) -> None:
    """Print how many of the TOP lowest-scored test images are strangers."""
    lowest = np.argsort(scores)[:TOP]
    print(
        f"{name}: {is_stranger[lowest].sum()} of the {TOP} lowest-scored test "
        f"images are strangers (mean score {scores[is_stranger].mean():.3f} for "
        f"strangers, {scores[~is_stranger].mean():.3f} for the others)."
    )


def main() -> None:
    """Run the example and print what each method finds."""
    rng = np.random.default_rng(SEED)
    X_train, y_train, X_test, is_stranger = make_split(rng)
    print(
        f"Training on {len(X_train)} images of digits 0-7; scoring {len(X_test)} "
        f"test images, {is_stranger.sum()} of them strangers "
        f"(digits 8 and 9, random noise)."
    )

    # 1. From features: distances to the k nearest training images.
    ood_features = OutOfDistribution()
    train_scores = ood_features.fit_score(features=X_train, verbose=False)
    print(f"Most atypical training images: {np.argsort(train_scores)[:5].tolist()}")
    report("Features", ood_features.score(features=X_test), is_stranger)

    # 2. From predicted probabilities: out-of-sample on the training set to fit,
    # then a model trained on all of it for the test set.
    model = LogisticRegression(max_iter=1000)
    train_pred_probs = cross_val_predict(
        model, X_train, y_train, cv=5, method="predict_proba"
    )
    test_pred_probs = model.fit(X_train, y_train).predict_proba(X_test)
    ood_probs = OutOfDistribution()
    ood_probs.fit(pred_probs=train_pred_probs, labels=y_train, verbose=False)
    report("Pred_probs", ood_probs.score(pred_probs=test_pred_probs), is_stranger)


if __name__ == "__main__":
    main()
