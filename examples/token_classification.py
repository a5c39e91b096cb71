"""Find mislabeled tokens in a named-entity dataset.

Generates 400 short sentences from templates, tags every token as O, PER, LOC
or ORG, and mislabels 4% of the entity tokens. A per-token logistic regression
(features: the word, its neighbours, its capitalization) is cross-validated by
sentence to get out-of-sample `pred_probs` for every token, and
`cleanlab.token_classification` finds the mislabeled tokens, shows them in
context and lists the most common issues. No download needed:

    python examples/token_classification.py
"""

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.pipeline import make_pipeline

from cleanlab.token_classification.filter import find_label_issues
from cleanlab.token_classification.summary import common_label_issues, display_issues

SEED = 0
NUM_SENTENCES = 400
NOISE = 0.04
CLASS_NAMES = ["O", "PER", "LOC", "ORG"]
WORDS = {
    "PER": "Alice Bob Carol Dmitri Emeka Fatima Jordan Hiro Ines Kofi".split(),
    "LOC": "Paris Lagos Lima Oslo Jordan Kyoto Quito Cairo Hanoi Perth".split(),
    "ORG": "Acme Globex Initech Umbrella Hooli Vandelay Wonka Stark".split(),
}
TEMPLATES = [
    "PER lives in LOC .",
    "PER works for ORG in LOC .",
    "ORG opened an office in LOC last year .",
    "Yesterday PER flew from LOC to LOC .",
    "PER met PER at the ORG headquarters .",
    "The mayor of LOC thanked ORG .",
]


def make_sentences(rng: np.random.Generator) -> tuple[list, list]:
    """Return tokenized sentences and their true tags (class indices)."""
    tokens, tags = [], []
    for _ in range(NUM_SENTENCES):
        template = TEMPLATES[rng.integers(len(TEMPLATES))].split()
        words, classes = [], []
        for slot in template:
            if slot in WORDS:
                words.append(str(rng.choice(WORDS[slot])))
                classes.append(CLASS_NAMES.index(slot))
            else:
                words.append(slot)
                classes.append(0)
        tokens.append(words)
        tags.append(classes)
    return tokens, tags


def token_features(words: list[str], j: int) -> dict:
    """Features of token j: itself, its neighbours and whether it is capitalized."""
    return {
        "word=" + words[j]: 1,
        "prev=" + (words[j - 1] if j > 0 else "<s>"): 1,
        "next=" + (words[j + 1] if j + 1 < len(words) else "</s>"): 1,
        "capitalized": int(words[j][0].isupper()),
    }


def main() -> None:
    """Run the example and print the mislabeled tokens found."""
    rng = np.random.default_rng(SEED)
    tokens, true_tags = make_sentences(rng)

    # Mislabel NOISE of the entity tokens with another class.
    labels = [list(sentence) for sentence in true_tags]
    entities = [(i, j) for i, s in enumerate(labels) for j, c in enumerate(s) if c]
    for k in rng.choice(len(entities), size=int(NOISE * len(entities)), replace=False):
        i, j = entities[k]
        labels[i][j] = int((labels[i][j] + rng.integers(1, 4)) % 4)
    planted = {
        (i, j)
        for i, sentence in enumerate(labels)
        for j, tag in enumerate(sentence)
        if tag != true_tags[i][j]
    }

    # One row per token; folds split by sentence, so no sentence is both
    # trained and scored in the same fold.
    features = [token_features(w, j) for w in tokens for j in range(len(w))]
    flat_labels = np.concatenate(labels)
    sentence_of = np.repeat(np.arange(len(tokens)), [len(w) for w in tokens])
    flat_probs = cross_val_predict(
        make_pipeline(DictVectorizer(), LogisticRegression(max_iter=1000)),
        features,
        flat_labels,
        groups=sentence_of,
        cv=GroupKFold(n_splits=5),
        method="predict_proba",
    )
    # cleanlab's format: one (T_i, K) array per sentence.
    pred_probs = np.split(flat_probs, np.cumsum([len(w) for w in tokens])[:-1])

    issues = find_label_issues(labels, pred_probs)
    found = set(issues)
    print(
        f"{len(tokens)} sentences, {len(flat_labels)} tokens, "
        f"{len(planted)} mislabeled."
    )
    print(
        f"Flagged {len(issues)} tokens, {len(found & planted)} of them really "
        "mislabeled."
    )
    print("The three most likely issues, in context:")
    display_issues(
        issues,
        tokens,
        labels=labels,
        pred_probs=pred_probs,
        class_names=CLASS_NAMES,
        top=3,
    )
    print("Words with the most issues (common_label_issues prints the top ones):")
    common = common_label_issues(
        issues,
        tokens,
        labels=labels,
        pred_probs=pred_probs,
        class_names=CLASS_NAMES,
        top=3,
        verbose=False,
    )
    print("Most frequent (word, given label, predicted label) issues:")
    print(common.head(5).to_string(index=False))


if __name__ == "__main__":
    main()
