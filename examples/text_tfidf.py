"""Find mislabeled documents in a text dataset with TF-IDF features.

Generates a small corpus of short product reviews about three topics (books,
kitchen appliances, running shoes) from word lists, mislabels 10% of them, and
wraps a TF-IDF + logistic regression pipeline in
`cleanlab.classification.CleanLearning`. The vectorizer is refitted inside each
cross-validation fold, so no fold sees the vocabulary of its held-out texts.
Labels are strings: CleanLearning accepts any class labels. No download needed:

    python examples/text_tfidf.py
"""

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from cleanlab.classification import CleanLearning

SEED = 0
DOCS_PER_TOPIC = 150
NOISE = 0.1

TOPIC_WORDS = {
    "books": "novel chapter author plot characters story pages ending writer "
    "paperback prose read reading narrator series",
    "kitchen": "blender kettle toaster oven pan knife recipe cooking boil "
    "dishwasher heats slices kitchen coffee lid",
    "shoes": "running shoes sole laces fit heel trail marathon cushioning "
    "size grip jogging sneakers miles ankle",
}
COMMON_WORDS = (
    "great good bad terrible really very quite the a it this is was and but "
    "would buy again love hate okay after weeks price quality recommend"
).split()


def make_corpus(rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """Return texts and their true topic names, DOCS_PER_TOPIC per topic."""
    texts, topics = [], []
    for topic, words in TOPIC_WORDS.items():
        words = words.split()
        for _ in range(DOCS_PER_TOPIC):
            # Few topic words among many common ones, so that some texts are hard.
            chosen = [*rng.choice(words, size=rng.integers(1, 4))]
            chosen += [*rng.choice(COMMON_WORDS, size=rng.integers(6, 12))]
            rng.shuffle(chosen)
            texts.append(" ".join(chosen))
            topics.append(topic)
    return texts, np.array(topics)


def main() -> None:
    """Run the example and print the mislabeled texts CleanLearning finds."""
    rng = np.random.default_rng(SEED)
    texts, topics = make_corpus(rng)
    names = np.array(sorted(TOPIC_WORDS))
    labels = topics.copy()
    flipped = rng.choice(len(labels), size=int(NOISE * len(labels)), replace=False)
    for i in flipped:
        labels[i] = rng.choice(names[names != topics[i]])
    is_wrong = labels != topics

    model = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
    issues = CleanLearning(model, seed=SEED).find_label_issues(texts, labels)
    flagged = issues.index[issues["is_label_issue"]].to_numpy()

    print(f"{len(texts)} texts, {is_wrong.sum()} mislabeled on purpose.")
    print(
        f"CleanLearning flagged {len(flagged)} texts, "
        f"{is_wrong[flagged].sum()} of them really mislabeled."
    )
    print("Most suspicious texts (given label -> predicted label):")
    worst = issues[issues["is_label_issue"]].sort_values("label_quality").head(5)
    for i, row in worst.iterrows():
        print(f"  [{row['given_label']} -> {row['predicted_label']}] {texts[i]}")


if __name__ == "__main__":
    main()
