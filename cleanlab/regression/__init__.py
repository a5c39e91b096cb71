"""Label issues in regression data (each example has a real-valued target).

`rank.get_label_quality_scores` scores every given label from a model's
out-of-sample predictions: the residual alone, or how unusual the (label,
residual) pair is among all examples ("outre"). `learn.CleanLearning` wraps any
scikit-learn regressor: it cross-validates it, flags the labels that the model
and its uncertainty cannot explain, and trains on the rest.
"""

from cleanlab.regression import learn, rank

__all__ = ["learn", "rank"]
