"""Label issues in token classification data (e.g. named-entity tags).

Each sentence is a list of tokens, each token has a given class label and a row of
predicted class probabilities. `filter.find_label_issues` flags the tokens whose
label is likely wrong, `rank.get_label_quality_scores` scores every token and every
sentence, and `summary` prints and tabulates the issues found.
"""

from cleanlab.token_classification import filter, rank, summary

__all__ = ["filter", "rank", "summary"]
