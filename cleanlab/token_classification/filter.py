"""Find the tokens whose given label is likely wrong.

All tokens of all sentences are treated as one single-label classification
dataset: confident learning (`cleanlab.filter.find_label_issues`, or with
``low_memory=True`` the batched engine of
`cleanlab.experimental.label_issues_batched`) runs once on the flat token array,
and each flagged token is reported as ``(sentence, token)``.
"""

import warnings

import numpy as np

from cleanlab.filter import find_label_issues as _find_token_issues
from cleanlab.internal.errors import user_stacklevel
from cleanlab.internal.label_issues_batched import find_label_issues_batched
from cleanlab.internal.segments import locate
from cleanlab.internal.token_classification_utils import (
    flatten_sentences,
    normalization_already_warned,
)
from cleanlab.internal.validation import check_option
from cleanlab.rank import SCORING_METHODS

__all__ = ["find_label_issues"]


def find_label_issues(
    labels: list,
    pred_probs: list,
    *,
    return_indices_ranked_by: str | None = "self_confidence",
    low_memory: bool = False,
    **kwargs,
) -> list[tuple[int, int]]:
    """Flag the tokens whose given label is likely wrong.

    The tokens of all sentences are pooled into one dataset of T tokens and K
    classes, and `cleanlab.filter.find_label_issues` finds the label issues among
    them in one call. With `low_memory`, the batched algorithm of
    `cleanlab.experimental.label_issues_batched.find_label_issues_batched` finds
    them instead: the ``m`` tokens with the lowest label quality scores, ``m``
    being `cleanlab.count.num_label_issues` of the tokens. With the default
    ``"self_confidence"`` these are exactly the issues of
    ``find_label_issues(filter_by="low_self_confidence")`` on the tokens.

    Parameters
    ----------
    labels : list of lists of int
        ``labels[i][j]`` is the given class (in ``0..K-1``) of token ``j`` of
        sentence ``i``. Every sentence needs at least one token.
    pred_probs : list of np.ndarray
        ``pred_probs[i]`` is an array of shape ``(T_i, K)``, float32 or float64: one
        row of out-of-sample predicted class probabilities per token of sentence
        ``i`` (``T_i = len(labels[i])``).
    return_indices_ranked_by : {"self_confidence", "normalized_margin", \
"confidence_weighted_entropy", None}, default="self_confidence"
        Order the issues by this label quality score of the token, most likely
        mislabeled first. None returns them in sentence and token order. With
        `low_memory`, this score also chooses the issues (the lowest-scored
        tokens); None then chooses them by ``"self_confidence"``.
    low_memory : bool, default=False
        Find the issues with `find_label_issues_batched`, which reads the flat
        token array in batches of 10,000 rows (temporary memory of one batch plus
        O(T), where the default path needs several arrays of T x K) and prints
        progress bars. The flat token array, one copy of `pred_probs`, is built
        either way.
    **kwargs
        Passed on to `cleanlab.filter.find_label_issues`, e.g. ``filter_by``,
        ``frac_noise``, ``rank_by_kwargs`` or ``n_jobs``. Ignored, with a
        warning for each, when `low_memory` is True.

    Returns
    -------
    list of tuple of (int, int)
        ``(sentence index, token index)`` of each flagged token.

    Raises
    ------
    ValueError
        If a sentence is empty, its labels and pred_probs have different lengths,
        a label is not an integer in ``0..K-1``, pred_probs items are not
        ``(T_i, K)`` arrays of probabilities, or an option is invalid (the message
        names the sentence and token).
    TypeError
        If `labels` or `pred_probs` is not a list of per-sentence items.

    Warns
    -----
    PredProbsNormalizationWarning
        If rows of `pred_probs` do not sum to 1.
    UserWarning
        "`{key}` is not used when `low_memory=True`." for every keyword argument
        in `kwargs` when `low_memory` is True.

    See Also
    --------
    cleanlab.token_classification.rank.get_label_quality_scores
    cleanlab.token_classification.summary.display_issues

    Examples
    --------
    >>> import numpy as np
    >>> labels = [[0, 0, 1], [0, 1]]
    >>> pred_probs = [
    ...     np.array([[0.9, 0.1], [0.7, 0.3], [0.05, 0.95]]),
    ...     np.array([[0.8, 0.2], [0.8, 0.2]]),
    ... ]
    >>> find_label_issues(labels, pred_probs)
    [(1, 1)]
    """
    check_option(
        "return_indices_ranked_by", return_indices_ranked_by, (*SCORING_METHODS, None)
    )
    tokens = flatten_sentences(labels, pred_probs)
    with normalization_already_warned(tokens):
        if low_memory:
            issues = _find_issues_batched(tokens, return_indices_ranked_by, kwargs)
        else:
            issues = _find_token_issues(
                tokens.labels,
                tokens.pred_probs,
                return_indices_ranked_by=return_indices_ranked_by,
                **kwargs,
            )
            if return_indices_ranked_by is None:
                issues = np.flatnonzero(issues)
    sentence, token = locate(issues, tokens.starts)
    return list(zip(sentence.tolist(), token.tolist(), strict=True))


def _find_issues_batched(tokens, ranked_by: str | None, kwargs: dict) -> np.ndarray:
    """Flat token indices of the issues by `find_label_issues_batched`.

    Ranked by `ranked_by`, or, when it is None, chosen by self-confidence and
    returned in ascending order. Warns once for each key of `kwargs` (unused).
    """
    for key in kwargs:
        warnings.warn(
            f"`{key}` is not used when `low_memory=True`.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    method = "self_confidence" if ranked_by is None else ranked_by
    issues = find_label_issues_batched(
        tokens.labels, tokens.pred_probs, quality_score_kwargs={"method": method}
    )
    if ranked_by is None:
        issues = np.sort(issues)
    return issues
