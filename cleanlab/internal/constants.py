"""Numerical constants shared across cleanlab; their values define reference numbers."""

FLOATING_POINT_COMPARISON = 1e-6
CLIPPING_LOWER_BOUND = 1e-6
CONFIDENT_THRESHOLDS_LOWER_BOUND = 2 * FLOATING_POINT_COMPARISON
TINY_VALUE = 1e-100
EPSILON = 1e-6

# Rows of `pred_probs` whose sum is further than this from 1 trigger a warning.
ROW_SUM_TOLERANCE = 1e-3
# Probabilities may stray this far outside [0, 1] (float error) and still pass.
PROBABILITY_TOLERANCE = 1e-6
# Label quality scores (`cleanlab.rank`), and the `filter_by` methods of
# `find_label_issues` (single- and multi-label), with their groups.
SCORING_METHODS = (
    "self_confidence",
    "normalized_margin",
    "confidence_weighted_entropy",
)
RANK_BY = (None, *SCORING_METHODS)
FILTER_BY = (
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
    "low_normalized_margin",
    "low_self_confidence",
)
PRUNE_METHODS = ("prune_by_noise_rate", "prune_by_class", "both")
LOW_SCORE_METHODS = {
    "low_normalized_margin": "normalized_margin",
    "low_self_confidence": "self_confidence",
}

# Threshold value given to classes without examples: no probability reaches it.
MISSING_CLASS_THRESHOLD = 2.0
