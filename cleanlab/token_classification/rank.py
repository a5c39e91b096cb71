"""Label quality scores for tokens and sentences, and the issues below a threshold.

Every token gets a single-label quality score (`cleanlab.rank`) computed on the
flat token array; a sentence's score pools its token scores (minimum or softmin),
one reduction over all sentences at once.
"""

import numbers
import warnings

import numpy as np
import pandas as pd

from cleanlab.internal.errors import InvalidOptionError, user_stacklevel
from cleanlab.internal.segments import locate, segment_min, segment_softmin
from cleanlab.internal.token_classification_utils import (
    check_tokens,
    flatten_scores,
    flatten_sentences,
    normalization_already_warned,
)
from cleanlab.rank import get_label_quality_scores as _token_quality_scores

__all__ = ["get_label_quality_scores", "issues_from_scores"]

SENTENCE_SCORE_METHODS = ("min", "softmin")
DEFAULT_TEMPERATURE = 0.05


def get_label_quality_scores(
    labels: list,
    pred_probs: list,
    *,
    tokens: list | None = None,
    token_score_method: str = "self_confidence",
    sentence_score_method: str = "min",
    sentence_score_kwargs: dict = {},
) -> tuple[np.ndarray, list]:
    """Score the label quality of every token and every sentence.

    Token scores are `cleanlab.rank.get_label_quality_scores` of the pooled tokens;
    a sentence's score pools the scores of its tokens, so a sentence with one
    badly labeled token scores low.

    Parameters
    ----------
    labels : list of lists of int
        ``labels[i][j]`` is the given class (in ``0..K-1``) of token ``j`` of
        sentence ``i``. Every sentence needs at least one token.
    pred_probs : list of np.ndarray
        ``pred_probs[i]`` is an array of shape ``(T_i, K)``, float32 or float64, of
        predicted class probabilities for the tokens of sentence ``i``.
    tokens : list of lists of str, optional
        The words; when given, they index the returned per-token Series.
    token_score_method : {"self_confidence", "normalized_margin", \
"confidence_weighted_entropy"}, default="self_confidence"
        Label quality score of each token (see `cleanlab.rank`).
    sentence_score_method : {"min", "softmin"}, default="min"
        ``"min"``: the lowest token score. ``"softmin"``: ``sum(s * w)`` with
        weights ``w = softmax((1 - s) / temperature)`` over the sentence's token
        scores ``s``, a smooth minimum that also reflects the other low tokens.
    sentence_score_kwargs : dict, default={}
        ``{"temperature": t}`` for softmin, a number >= 0 (default 0.05): 0 gives
        the minimum, ``np.inf`` the mean.

    Returns
    -------
    sentence_scores : np.ndarray of shape (N,)
        float64 score of each of the N sentences, in [0, 1], lower = more likely
        to hold a label issue.
    token_info : list of pd.Series
        One float64 Series of token scores per sentence, indexed by `tokens[i]`
        if `tokens` is given, else by ``0..T_i-1``.

    Raises
    ------
    ValueError
        For invalid `labels` or `pred_probs` (naming the sentence), a `tokens`
        sentence of the wrong length, an unknown method or a bad temperature.
        An unknown `sentence_score_method` raises `InvalidOptionError`, a
        ``ValueError`` and an ``AssertionError``.

    Warns
    -----
    PredProbsNormalizationWarning
        If rows of `pred_probs` do not sum to 1.
    UserWarning
        If `sentence_score_kwargs` holds keys other than ``"temperature"``.

    Examples
    --------
    >>> import numpy as np
    >>> labels = [[0, 0, 1], [0, 1]]
    >>> pred_probs = [
    ...     np.array([[0.9, 0.1], [0.7, 0.3], [0.05, 0.95]]),
    ...     np.array([[0.8, 0.2], [0.8, 0.2]]),
    ... ]
    >>> sentence_scores, token_info = get_label_quality_scores(labels, pred_probs)
    >>> sentence_scores
    array([0.7, 0.2])
    >>> token_info[1].tolist()
    [0.8, 0.2]
    """
    if sentence_score_method not in SENTENCE_SCORE_METHODS:
        msg = (
            "Select from the following methods:\nmin\nsoftmin\n"
            f"(`sentence_score_method` got {sentence_score_method!r}.)"
        )
        raise InvalidOptionError(msg)
    temperature = _check_sentence_score_kwargs(sentence_score_kwargs)
    flat = flatten_sentences(labels, pred_probs)
    has_tokens = tokens is not None and len(tokens) > 0
    if has_tokens:
        check_tokens(tokens, flat.lengths)
    with normalization_already_warned(flat):
        token_scores = _token_quality_scores(
            flat.labels, flat.pred_probs, method=token_score_method
        ).astype(np.float64)
    if sentence_score_method == "min":
        sentence_scores = segment_min(token_scores, flat.starts)
    else:
        sentence_scores = segment_softmin(
            token_scores, flat.starts, flat.lengths, temperature
        )
    token_info = _per_sentence_series(
        token_scores, flat.starts, tokens if has_tokens else None
    )
    return sentence_scores, token_info


def _check_sentence_score_kwargs(sentence_score_kwargs) -> float:
    """The softmin temperature of `sentence_score_kwargs`, checked."""
    if not isinstance(sentence_score_kwargs, dict):
        msg = (
            "`sentence_score_kwargs` must be a dict such as {'temperature': 0.05}; "
            f"got a {type(sentence_score_kwargs).__name__}."
        )
        raise TypeError(msg)
    unused = sorted(map(str, set(sentence_score_kwargs) - {"temperature"}))
    if unused:
        warnings.warn(
            f"`sentence_score_kwargs` keys {unused} are not used; only "
            "'temperature' is.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    return _check_temperature(
        sentence_score_kwargs.get("temperature", DEFAULT_TEMPERATURE)
    )


def _check_temperature(temperature) -> float:
    """`temperature` as a float, or a ValueError unless it is a number >= 0."""
    is_number = isinstance(temperature, numbers.Real) and not isinstance(
        temperature, bool
    )
    if not is_number or np.isnan(temperature) or temperature < 0:
        msg = (
            "The softmin `temperature` must be a number >= 0 (0 gives the minimum, "
            f"np.inf the mean); got {temperature!r}."
        )
        raise ValueError(msg)
    return float(temperature)


def _per_sentence_series(token_scores, starts, tokens) -> list[pd.Series]:
    """Split flat token scores into one Series per sentence."""
    pieces = np.split(token_scores, starts[1:])
    if tokens is None:
        return [pd.Series(piece) for piece in pieces]
    return [
        pd.Series(piece, index=words)
        for piece, words in zip(pieces, tokens, strict=True)
    ]


def _softmin_sentence_score(
    token_scores: list, *, temperature: float = DEFAULT_TEMPERATURE
) -> np.ndarray:
    """Softmin of each sentence's token scores (see `get_label_quality_scores`).

    Parameters
    ----------
    token_scores : list of array_like
        One 1-D sequence of token scores per sentence; no sentence may be empty.
    temperature : float, default=0.05
        Softmax temperature, >= 0: 0 gives each sentence's minimum and ``np.inf``
        its mean.

    Returns
    -------
    np.ndarray of shape (N,)
        float64 sentence scores.

    Examples
    --------
    >>> _softmin_sentence_score([[0.9, 0.6], [0.0, 0.8, 0.8], [0.8]]).round(6)
    array([0.600742, 0.      , 0.8     ])
    """
    temperature = _check_temperature(temperature)
    scores, starts = flatten_scores(token_scores, "token_scores")
    lengths = np.diff(np.r_[starts, len(scores)])
    empty = np.flatnonzero(lengths == 0)
    if empty.size:
        msg = (
            f"`token_scores[{int(empty[0])}]` is empty: every sentence needs at "
            "least one token score."
        )
        raise ValueError(msg)
    return segment_softmin(scores, starts, lengths, temperature)


def issues_from_scores(
    sentence_scores: np.ndarray,
    *,
    token_scores: list | None = None,
    threshold: float = 0.1,
) -> list | np.ndarray:
    """The sentences, or tokens, whose score is below `threshold`, lowest first.

    Parameters
    ----------
    sentence_scores : np.ndarray of shape (N,)
        A score per sentence, e.g. from `get_label_quality_scores`. Not used when
        `token_scores` is given.
    token_scores : list of array_like, optional
        A 1-D sequence of scores per sentence (e.g. the ``token_info`` Series of
        `get_label_quality_scores`). When given, tokens are returned instead of
        sentences.
    threshold : float, default=0.1
        Scores strictly below this are issues.

    Returns
    -------
    list of tuple of (int, int) or np.ndarray
        With `token_scores`: ``(sentence, token)`` of each token scoring below
        `threshold`, lowest score first, ties in sentence and token order.
        Without: the int64 indices of the sentences scoring below `threshold`,
        lowest first, ties in sentence order (all sentences if all are below).

    Raises
    ------
    ValueError
        If the scores are not finite numbers (naming the first bad one) or
        `threshold` is not a number.

    Examples
    --------
    >>> import numpy as np
    >>> issues_from_scores(np.array([0.1, 0.3, 0.05, 0.9]), threshold=0.2)
    array([2, 0])
    >>> issues_from_scores(None, token_scores=[[0.9, 0.05], [0.01]])
    [(1, 0), (0, 1)]
    """
    threshold = _check_threshold(threshold)
    if token_scores is not None and len(token_scores) > 0:
        scores, starts = flatten_scores(token_scores, "token_scores")
        below = np.flatnonzero(scores < threshold)
        below = below[np.argsort(scores[below], kind="stable")]
        sentence, token = locate(below, starts)
        return list(zip(sentence.tolist(), token.tolist(), strict=True))
    scores = _check_sentence_scores(sentence_scores)
    ranking = np.argsort(scores, kind="stable")
    return ranking[: np.count_nonzero(scores < threshold)]


def _check_threshold(threshold) -> float:
    """`threshold` as a float, or a ValueError unless it is a number (not NaN)."""
    is_number = isinstance(threshold, numbers.Real) and not isinstance(threshold, bool)
    if not is_number or np.isnan(threshold):
        msg = f"`threshold` must be a number; got {threshold!r}."
        raise ValueError(msg)
    return float(threshold)


def _check_sentence_scores(sentence_scores) -> np.ndarray:
    """`sentence_scores` as a finite 1-D float array, or a ValueError."""
    try:
        scores = np.asarray(sentence_scores, dtype=np.float64)
    except (TypeError, ValueError) as err:
        msg = "`sentence_scores` must be a 1-D array of numbers, one per sentence."
        raise ValueError(msg) from err
    if scores.ndim != 1:
        msg = (
            "`sentence_scores` must be a 1-D array of numbers, one per sentence; "
            f"got shape {scores.shape}."
        )
        raise ValueError(msg)
    bad = np.flatnonzero(~np.isfinite(scores))
    if bad.size:
        msg = (
            f"`sentence_scores` must be finite numbers; `sentence_scores[{bad[0]}]` "
            f"is {scores[bad[0]]}."
        )
        raise ValueError(msg)
    return scores
