"""Consensus labels, annotator quality and what to label next, from several annotators.

Generates a 3-class dataset with scikit-learn and five simulated annotators of
different accuracy, each labelling only part of the examples. A model
cross-validated on the majority-vote labels gives `pred_probs`, and
`cleanlab.multiannotator.get_label_quality_multiannotator` (CROWDLAB) combines
the votes with the model into a consensus label, a quality score for it and a
quality score for every annotator. `get_active_learning_scores` then says which
examples to send for one more annotation. No download needed:

    python examples/multiannotator.py
"""

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from cleanlab.multiannotator import (
    get_active_learning_scores,
    get_label_quality_multiannotator,
    get_majority_vote_label,
)

SEED = 0
NUM_EXAMPLES = 500
NUM_CLASSES = 3
# Probability that each annotator gives the true label, and the fraction of
# the examples each one labels.
ANNOTATOR_ACCURACY = {"ann": 0.9, "bob": 0.85, "cy": 0.75, "dee": 0.6, "eve": 0.4}
FRACTION_LABELLED = 0.5


def annotate(true_labels: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Return the wide (N, annotators) table of labels, NaN where not labelled."""
    num_annotators = len(ANNOTATOR_ACCURACY)
    accuracy = np.array(list(ANNOTATOR_ACCURACY.values()))
    is_wrong = rng.random((NUM_EXAMPLES, num_annotators)) > accuracy
    shift = rng.integers(1, NUM_CLASSES, (NUM_EXAMPLES, num_annotators))
    truth = true_labels[:, None]
    given = np.where(is_wrong, (truth + shift) % NUM_CLASSES, truth).astype(float)
    missing = rng.random((NUM_EXAMPLES, num_annotators)) > FRACTION_LABELLED
    # Every example needs at least one label: the first annotator labels the
    # examples nobody else did.
    missing[missing.all(axis=1), 0] = False
    given[missing] = np.nan
    return pd.DataFrame(given, columns=list(ANNOTATOR_ACCURACY))


def main() -> None:
    """Run the example and print the consensus and annotator statistics."""
    rng = np.random.default_rng(SEED)
    X, true_labels = make_classification(
        n_samples=NUM_EXAMPLES,
        n_features=10,
        n_informative=5,
        n_classes=NUM_CLASSES,
        n_clusters_per_class=1,
        class_sep=1.5,
        random_state=SEED,
    )
    labels = annotate(true_labels, rng)

    # A model trained on the majority vote, scored out of sample.
    majority = get_majority_vote_label(labels)
    pred_probs = cross_val_predict(
        LogisticRegression(max_iter=1000),
        X,
        majority,
        cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED),
        method="predict_proba",
    )

    results = get_label_quality_multiannotator(labels, pred_probs, verbose=False)
    consensus = results["label_quality"]["consensus_label"].to_numpy()
    print(
        f"{NUM_EXAMPLES} examples, {int(labels.notna().sum().sum())} annotations "
        f"from {labels.shape[1]} annotators."
    )
    print(f"Majority vote accuracy:       {np.mean(majority == true_labels):.3f}")
    print(f"CROWDLAB consensus accuracy:  {np.mean(consensus == true_labels):.3f}")
    print("Annotators, worst first (simulated accuracy in brackets):")
    stats = results["annotator_stats"]
    for name, row in stats.iterrows():
        print(
            f"  {name}: quality {row['annotator_quality']:.3f} "
            f"(simulated accuracy {ANNOTATOR_ACCURACY[name]:.2f})"
        )

    scores, _ = get_active_learning_scores(labels, pred_probs)
    next_up = np.argsort(scores)[:5]
    print(f"Examples to annotate again first: {next_up.tolist()}")


if __name__ == "__main__":
    main()
