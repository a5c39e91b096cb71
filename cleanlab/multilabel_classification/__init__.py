"""Label issues in multi-label classification data (each example has a set of classes).

Labels are a list with one list of class indices per example (``[[0, 2], [],
[1]]``); `pred_probs` holds an independent probability per class, so its rows
need not sum to 1. `filter.find_label_issues` flags the examples whose class
annotations look wrong, `rank.get_label_quality_scores` (also available here)
scores every example, and `dataset` summarizes the issues class by class.
Everything is computed one-vs-rest: class ``k`` is the binary label "has class
k" against ``[1 - p_k, p_k]``.

Importing this package loads neither scikit-learn nor pandas; `dataset` imports
pandas when one of its functions builds a table.
"""

from cleanlab.multilabel_classification import dataset, filter, rank
from cleanlab.multilabel_classification.rank import get_label_quality_scores

__all__ = ["dataset", "filter", "get_label_quality_scores", "rank"]
