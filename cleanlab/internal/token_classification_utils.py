"""Helpers for token classification: input checks, flattening and sentence text.

Token-classification data is a list of sentences: per-sentence lists of token labels,
per-sentence ``(T_i, K)`` arrays of predicted probabilities and, optionally,
per-sentence lists of token strings. `flatten_sentences` checks such input (every
message names the offending sentence, and token where there is one) and turns it
into one flat token array with sentence offsets, on which the public functions work
all at once. The text helpers rebuild a readable sentence from its tokens, mark or
colour a word in it, and merge or rename classes.
"""

import re
import string
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from typing import NamedTuple

import numpy as np
import pandas as pd

from cleanlab.internal.constants import PROBABILITY_TOLERANCE, ROW_SUM_TOLERANCE
from cleanlab.internal.errors import PredProbsNormalizationWarning, user_stacklevel
from cleanlab.internal.segments import locate, segment_starts

__all__ = [
    "FlatSentences",
    "check_sentence_issues",
    "check_token_issues",
    "check_tokens",
    "color_sentence",
    "filter_sentence",
    "flatten_scores",
    "flatten_sentences",
    "get_sentence",
    "mapping",
    "mark_token",
    "merge_probs",
    "normalization_already_warned",
    "process_token",
    "sentence_lengths",
]

RED = "\x1b[31m"
RESET = "\x1b[0m"
# Brackets put around the offending token when a sentence is printed without colour.
TOKEN_MARKER = ("[[", "]]")
# Words that get a leading space although they are punctuation.
_SPACED_PUNCTUATION = ("-", "(")
_SENTENCE_CONTAINERS = (list, tuple, np.ndarray, pd.Series)


# --------------------------------------------------------------------------------
# Input checks and flattening
# --------------------------------------------------------------------------------


class FlatSentences(NamedTuple):
    """All tokens of all sentences in one array, in sentence then token order.

    `labels` (int64, shape (T,)) and `pred_probs` (shape (T, K), the caller's dtype)
    hold the tokens; sentence ``i`` is rows ``starts[i]:starts[i] + lengths[i]``.
    `rows_sum_to_one` is False when some row of `pred_probs` does not sum to 1 (a
    warning has then been issued).
    """

    labels: np.ndarray
    pred_probs: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray
    rows_sum_to_one: bool


def flatten_sentences(labels, pred_probs) -> FlatSentences:
    """Check per-sentence `labels` and `pred_probs` and concatenate their tokens.

    Raises ValueError or TypeError, naming the sentence (and token), for: inputs
    that are not lists of sentences, different numbers of sentences, a sentence
    whose label and pred_probs lengths differ, an empty sentence, pred_probs items
    that are not ``(T_i, K)`` arrays with one common K, values that are not finite
    probabilities, and labels that are not integers in ``0..K-1``. Warns with
    `PredProbsNormalizationWarning` when rows do not sum to 1.
    """
    lengths = sentence_lengths(labels, "labels")
    prob_lengths = sentence_lengths(pred_probs, "pred_probs")
    if len(prob_lengths) != len(lengths):
        msg = (
            f"`labels` and `pred_probs` must hold the same number of sentences; "
            f"`labels` has {len(lengths)} and `pred_probs` has {len(prob_lengths)}."
        )
        raise ValueError(msg)
    if len(lengths) == 0:
        msg = "`labels` is empty: at least one sentence is needed."
        raise ValueError(msg)
    _check_same_lengths(lengths, prob_lengths, "pred_probs", "pred_probs[{i}]")
    _check_no_empty_sentence(lengths)
    starts = segment_starts(lengths)
    flat_probs = _concatenate_pred_probs(pred_probs)
    _check_probabilities(flat_probs, starts)
    flat_labels = _concatenate_labels(labels, lengths, starts, flat_probs.shape[1])
    rows_sum_to_one = _warn_unnormalized_rows(flat_probs, starts)
    return FlatSentences(flat_labels, flat_probs, starts, lengths, rows_sum_to_one)


@contextmanager
def normalization_already_warned(flat: FlatSentences) -> Iterator[None]:
    """Context for core calls on `flat`: silence their row-sum warning if given.

    `flatten_sentences` has then warned already, naming the sentence; the core
    functions would repeat it with a flat row index.
    """
    if flat.rows_sum_to_one:
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PredProbsNormalizationWarning)
        yield


def sentence_lengths(sentences, name: str) -> np.ndarray:
    """Number of tokens (int64) of each sentence of a list of per-sentence items."""
    if not isinstance(sentences, _SENTENCE_CONTAINERS):
        msg = (
            f"`{name}` must be a list with one entry per sentence; got a "
            f"{type(sentences).__name__}."
        )
        raise TypeError(msg)
    try:
        return np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
    except TypeError as err:
        i = next(
            (n for n, item in enumerate(sentences) if not hasattr(item, "__len__")), 0
        )
        msg = (
            f"Each entry of `{name}` must be a sequence with one item per token; "
            f"`{name}[{i}]` is a {type(sentences[i]).__name__}."
        )
        raise TypeError(msg) from err


def _check_same_lengths(lengths, other_lengths, name: str, item: str) -> None:
    """Raise naming the first sentence whose `name` entry has a different length."""
    differ = np.flatnonzero(lengths != other_lengths)
    if differ.size:
        i = int(differ[0])
        msg = (
            f"Sentence {i} has {lengths[i]} labels but `{item.format(i=i)}` has "
            f"{other_lengths[i]} tokens; `{name}` needs one entry per token of "
            f"each sentence ({differ.size} sentences differ)."
        )
        raise ValueError(msg)


def _check_no_empty_sentence(lengths: np.ndarray) -> None:
    """Raise naming the first sentence without tokens."""
    empty = np.flatnonzero(lengths == 0)
    if empty.size:
        msg = (
            f"Sentence {int(empty[0])} is empty: every sentence needs at least one "
            f"token ({empty.size} empty sentences). Drop empty sentences first."
        )
        raise ValueError(msg)


def _concatenate_pred_probs(pred_probs) -> np.ndarray:
    """The (T, K) array of all token rows, or an error naming the bad sentence."""
    try:
        flat = np.concatenate(pred_probs)
    except (ValueError, TypeError) as err:
        _raise_bad_pred_probs_item(pred_probs)
        msg = f"`pred_probs` items could not be concatenated: {err}"
        raise ValueError(msg) from err
    if flat.ndim != 2:
        _raise_bad_pred_probs_item(pred_probs)
    if flat.dtype.kind not in "fiub":
        msg = f"`pred_probs` must hold numbers, got dtype {flat.dtype}."
        raise TypeError(msg)
    if flat.shape[1] == 0:
        msg = "`pred_probs` arrays have no columns: they need one column per class."
        raise ValueError(msg)
    return flat


def _raise_bad_pred_probs_item(pred_probs) -> None:
    """Raise for the first item that is not 2-D or whose width differs from item 0."""
    num_classes = None
    for i, item in enumerate(pred_probs):
        shape = np.shape(item)
        if len(shape) != 2:
            msg = (
                f"`pred_probs[{i}]` must be an array of shape (T_{i}, K): one row of "
                f"K class probabilities per token of sentence {i}; it has shape "
                f"{shape}."
            )
            raise ValueError(msg)
        if num_classes is None:
            num_classes = shape[1]
        elif shape[1] != num_classes:
            msg = (
                f"`pred_probs[{i}]` has {shape[1]} columns but `pred_probs[0]` has "
                f"{num_classes}; every sentence needs the same K classes."
            )
            raise ValueError(msg)


def _check_probabilities(flat_probs: np.ndarray, starts: np.ndarray) -> None:
    """Raise, naming sentence and token, unless all values are finite in [0, 1]."""
    low, high = flat_probs.min(), flat_probs.max()
    if np.isfinite(low) and np.isfinite(high):
        if low >= -PROBABILITY_TOLERANCE and high <= 1 + PROBABILITY_TOLERANCE:
            return
        bad = (flat_probs < -PROBABILITY_TOLERANCE) | (
            flat_probs > 1 + PROBABILITY_TOLERANCE
        )
        row = int(np.flatnonzero(bad.any(axis=1))[0])
        i, j = _position(row, starts)
        msg = (
            f"Values in pred_probs must be between 0 and 1. `pred_probs` ranges "
            f"from {low} to {high} (first offending row: sentence {i}, token {j}); "
            "if these are logits, apply a softmax first."
        )
        raise ValueError(msg)
    bad_rows = np.flatnonzero(~np.isfinite(flat_probs).all(axis=1))
    i, j = _position(int(bad_rows[0]), starts)
    msg = (
        f"`pred_probs` contains NaN or infinite values in {len(bad_rows)} token rows "
        f"(first: sentence {i}, token {j}). Every entry must be a probability in "
        "[0, 1]."
    )
    raise ValueError(msg)


def _concatenate_labels(labels, lengths, starts, num_classes: int) -> np.ndarray:
    """All token labels as one int64 array, or an error naming the bad token."""
    total = int(lengths.sum())
    try:
        flat = np.array(list(chain.from_iterable(labels)))
    except (TypeError, ValueError) as err:
        msg = (
            "Token labels must be zero-indexed integers corresponding to class "
            "indices; `labels` must be a list of per-sentence lists of ints."
        )
        raise ValueError(msg) from err
    if flat.ndim != 1 or len(flat) != total:
        msg = (
            "Each entry of `labels` must be a flat list of integer token labels; "
            f"the tokens of `labels` form an array of shape {flat.shape}."
        )
        raise ValueError(msg)
    flat = _labels_as_int(flat, labels, starts)
    _check_label_range(flat, starts, num_classes)
    return flat


def _labels_as_int(flat: np.ndarray, labels, starts: np.ndarray) -> np.ndarray:
    """`flat` as int64, raising for strings or non-integral values."""
    kind = flat.dtype.kind
    if kind in "iub":
        return flat.astype(np.int64, copy=False)
    if kind in "USO":
        originals = chain.from_iterable(labels)
        first = next(
            (n for n, v in enumerate(originals) if isinstance(v, (str, bytes))), None
        )
        if first is not None:
            i, j = _position(first, starts)
            msg = (
                "Labels cannot be strings, they must be zero-indexed integers "
                f"corresponding to class indices. `labels[{i}][{j}]` is "
                f"{labels[i][j]!r}; map each class name to an integer 0..K-1."
            )
            raise ValueError(msg)
    try:
        values = flat.astype(np.float64)
    except (TypeError, ValueError):
        values = np.array([_as_float_or_nan(v) for v in flat])
    bad = ~np.isfinite(values) | (values % 1 != 0)
    if bad.any():
        i, j = _position(int(np.argmax(bad)), starts)
        msg = (
            "Labels must be zero-indexed integers corresponding to class indices. "
            f"`labels[{i}][{j}]` is {labels[i][j]!r}."
        )
        raise ValueError(msg)
    return values.astype(np.int64)


def _as_float_or_nan(value) -> float:
    """`value` as a float, or NaN when it is not a number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def _check_label_range(flat: np.ndarray, starts: np.ndarray, num_classes: int):
    """Raise, naming sentence and token, for a label below 0 or above K - 1."""
    low, high = flat.min(), flat.max()
    if low < 0:
        first = int(np.argmax(flat < 0))
        i, j = _position(first, starts)
        msg = (
            "Labels must be positive integers corresponding to class indices. "
            f"`labels[{i}][{j}]` is {low}; class indices start at 0."
        )
        raise ValueError(msg)
    if high >= num_classes:
        first = int(np.argmax(flat >= num_classes))
        i, j = _position(first, starts)
        msg = (
            f"pred_probs must have at least {high + 1} columns, based on the "
            f"largest class index which appears in labels. `labels[{i}][{j}]` is "
            f"{flat[first]} but `pred_probs` has {num_classes} columns (classes 0.."
            f"{num_classes - 1})."
        )
        raise ValueError(msg)


def _warn_unnormalized_rows(flat_probs: np.ndarray, starts: np.ndarray) -> bool:
    """Warn if some rows do not sum to 1; return whether all rows do."""
    # Native-dtype sums: float32 error (~1e-7) is far below the tolerance.
    off = np.abs(flat_probs.sum(axis=1) - 1.0) > ROW_SUM_TOLERANCE
    num_off = int(np.count_nonzero(off))
    if not num_off:
        return True
    first = int(np.argmax(off))
    i, j = _position(first, starts)
    total = float(flat_probs[first].sum(dtype=np.float64))
    warnings.warn(
        f"`pred_probs` rows should each sum to 1, but {num_off} of {len(off)} token "
        f"rows do not (first: sentence {i}, token {j}, which sums to {total:.6g}). "
        "Results are computed as given; normalize each row to get meaningful ones.",
        PredProbsNormalizationWarning,
        stacklevel=user_stacklevel(),
    )
    return False


def _position(flat_index: int, starts: np.ndarray) -> tuple[int, int]:
    """(sentence, token) of one flat token index."""
    sentence, token = locate(np.array([flat_index]), starts)
    return int(sentence[0]), int(token[0])


def flatten_scores(scores, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate per-sentence score arrays (empty sentences allowed).

    Returns the float64 scores and the sentence start offsets; raises naming the
    sentence and token of the first non-finite score.
    """
    lengths = sentence_lengths(scores, name)
    starts = segment_starts(lengths)
    if lengths.sum() == 0:
        return np.zeros(0, dtype=np.float64), starts
    try:
        flat = np.concatenate(scores).astype(np.float64, copy=False)
    except (TypeError, ValueError) as err:
        msg = f"Each entry of `{name}` must be a 1-D sequence of numbers: {err}"
        raise ValueError(msg) from err
    if flat.ndim != 1 or len(flat) != lengths.sum():
        msg = f"Each entry of `{name}` must be a 1-D sequence of numbers."
        raise ValueError(msg)
    bad = ~np.isfinite(flat)
    if bad.any():
        i, j = _position(int(np.argmax(bad)), starts)
        msg = (
            f"`{name}` must be finite numbers; `{name}[{i}][{j}]` is "
            f"{flat[np.argmax(bad)]}."
        )
        raise ValueError(msg)
    return flat, starts


def check_tokens(tokens, lengths: np.ndarray | None = None) -> np.ndarray:
    """Check `tokens` is a list of per-sentence token sequences; return the lengths.

    With `lengths` given, every sentence must have that many tokens.
    """
    token_lengths = sentence_lengths(tokens, "tokens")
    for i, sentence in enumerate(tokens):
        if isinstance(sentence, (str, bytes)):
            msg = (
                f"Each entry of `tokens` must be a list of the sentence's words; "
                f"`tokens[{i}]` is a string. Split it into tokens first."
            )
            raise TypeError(msg)
    if lengths is not None:
        if len(token_lengths) != len(lengths):
            msg = (
                f"`tokens` must hold one list per sentence: it has "
                f"{len(token_lengths)} sentences but `labels` has {len(lengths)}."
            )
            raise ValueError(msg)
        differ = np.flatnonzero(token_lengths != lengths)
        if differ.size:
            i = int(differ[0])
            msg = (
                f"Sentence {i} has {lengths[i]} labels but `tokens[{i}]` has "
                f"{token_lengths[i]} tokens; `tokens` needs one word per token."
            )
            raise ValueError(msg)
    return token_lengths


def check_token_issues(issues, token_lengths: np.ndarray) -> np.ndarray:
    """`issues` (``(sentence, token)`` pairs) as an int64 array of shape (n, 2).

    Raises naming the first issue that is not a pair of integers pointing at an
    existing token.
    """
    positions = _as_index_array(issues, "issues", ndim=2)
    if positions.size and positions.shape[1] != 2:
        msg = (
            "Each entry of `issues` must be a (sentence index, token index) pair; "
            f"got entries of length {positions.shape[1]}."
        )
        raise ValueError(msg)
    positions = positions.reshape(-1, 2)
    sentence, token = positions[:, 0], positions[:, 1]
    bad_sentence = (sentence < 0) | (sentence >= len(token_lengths))
    lengths = token_lengths[np.where(bad_sentence, 0, sentence)]
    bad = bad_sentence | (token < 0) | (token >= lengths)
    if bad.any():
        k = int(np.argmax(bad))
        i, j = int(sentence[k]), int(token[k])
        where = (
            f"there are {len(token_lengths)} sentences"
            if bad_sentence[k]
            else f"sentence {i} has {token_lengths[i]} tokens"
        )
        msg = f"`issues[{k}]` is ({i}, {j}), but {where}; no such token."
        raise ValueError(msg)
    return positions


def check_sentence_issues(issues, num_sentences: int) -> np.ndarray:
    """`issues` (sentence indices) as an int64 array, or an error naming a bad one."""
    positions = _as_index_array(issues, "issues", ndim=1)
    bad = (positions < 0) | (positions >= num_sentences)
    if bad.any():
        k = int(np.argmax(bad))
        msg = (
            f"`issues[{k}]` is {positions[k]}, but there are {num_sentences} sentences."
        )
        raise ValueError(msg)
    return positions


def _as_index_array(values, name: str, ndim: int) -> np.ndarray:
    """`values` as an int64 array of `ndim` dimensions, or a ValueError."""
    try:
        array = np.asarray(values)
    except ValueError as err:
        msg = f"`{name}` entries must all have the same form; {err}"
        raise ValueError(msg) from err
    if array.size == 0:
        return np.zeros((0,) * ndim, dtype=np.int64)
    if array.ndim != ndim or array.dtype.kind not in "iu":
        form = (
            "(sentence index, token index) pairs" if ndim == 2 else "sentence indices"
        )
        msg = (
            f"`{name}` must be a list of {form} (integers); got an array of shape "
            f"{array.shape} and dtype {array.dtype}."
        )
        raise ValueError(msg)
    return array.astype(np.int64, copy=False)


# --------------------------------------------------------------------------------
# Sentence text
# --------------------------------------------------------------------------------


def get_sentence(words: list[str]) -> str:
    """Join tokens into a readable sentence.

    Each word gets a leading space unless it is punctuation (a substring of
    ``string.punctuation``), except "-" and "(" which keep theirs; then the space
    before an apostrophe and the one after "(" are removed and the ends stripped.

    Examples
    --------
    >>> get_sentence(["Some", "reason", "(", "Explanation", ")"])
    'Some reason (Explanation)'
    >>> get_sentence(["Heading", "-", "Title"])
    'Heading - Title'
    """
    sentence = "".join(" " + w if _needs_space(w) else w for w in words)
    return sentence.replace(" '", "'").replace("( ", "(").strip()


def _needs_space(word: str) -> bool:
    """Whether `get_sentence` puts a space before `word`."""
    return word not in string.punctuation or word in _SPACED_PUNCTUATION


def mark_token(words: list[str], index: int, marker=TOKEN_MARKER) -> str:
    """`get_sentence(words)` with the word at position `index` wrapped in `marker`.

    Only that one token is marked, not other occurrences of the same word. With
    ``marker=("", "")`` the result equals ``get_sentence(words)`` exactly. A token
    with no characters left in the sentence (empty, or whitespace stripped at
    either end) is not marked.
    """
    chars: list[str] = []
    owners: list[int] = []
    for k, word in enumerate(words):
        if _needs_space(word):
            chars.append(" ")
            owners.append(-1)
        chars.extend(word)
        owners.extend([k] * len(word))
    # Drop the same spaces as get_sentence's two replacements, in the same order.
    for pattern, space_at in ((" '", 0), ("( ", 1)):
        text = "".join(chars)
        dropped = {m.start() + space_at for m in re.finditer(re.escape(pattern), text)}
        if dropped:
            chars = [c for n, c in enumerate(chars) if n not in dropped]
            owners = [o for n, o in enumerate(owners) if n not in dropped]
    text = "".join(chars)
    begin, end = len(text) - len(text.lstrip()), len(text.rstrip())
    own = [n for n in range(begin, end) if owners[n] == index]
    if not own:
        return text[begin:end]
    first, last = own[0], own[-1] + 1
    opening, closing = marker
    return text[begin:first] + opening + text[first:last] + closing + text[last:end]


def filter_sentence(sentences: list[str], condition=None) -> tuple[list[str], list]:
    """Keep the sentences for which `condition` holds; return them and the mask.

    The default condition keeps sentences longer than one character that contain
    no "#".

    Examples
    --------
    >>> filter_sentence(["Hello World", "#I love Cleanlab", "A"])
    (['Hello World'], [True, False, False])
    """
    if condition is None:
        condition = _is_plain_sentence
    mask = [bool(condition(sentence)) for sentence in sentences]
    kept = [sentence for sentence, keep in zip(sentences, mask, strict=True) if keep]
    return kept, mask


def _is_plain_sentence(sentence: str) -> bool:
    """Default `filter_sentence` condition: longer than 1 and without "#"."""
    return len(sentence) > 1 and "#" not in sentence


def process_token(token: str, replace: list = [("#", "")]) -> str:
    """Replace substrings of `token`: every ``(old, new)`` pair of `replace` at once.

    The replacements happen in one left-to-right pass, so a replaced part is never
    replaced again; where several `old` strings match at one place, the first
    listed wins.

    Examples
    --------
    >>> process_token("Cleanlab", [("C", "a"), ("a", "C")])
    'aleCnlCb'
    """
    if not replace:
        return token
    olds = [old for old, _ in replace]
    if any(old == "" for old in olds):
        msg = "`replace` keys must be non-empty strings; got an empty string."
        raise ValueError(msg)
    new_of = dict(replace)
    pattern = "|".join(re.escape(old) for old in olds)
    return re.sub(pattern, lambda match: new_of[match.group(0)], token)


def mapping(entities: list, maps) -> list:
    """Map each entity through `maps`: ``[maps[e] for e in entities]``."""
    return [maps[entity] for entity in entities]


def merge_probs(probs: np.ndarray, maps) -> np.ndarray:
    """Merge the columns of `probs` into new classes: column i goes to ``maps[i]``.

    The output has ``max(maps) + 1`` columns and the dtype of `probs` (float64 for
    integer input); a column mapped to -1 is dropped, and the rows are then
    renormalized to sum to 1.

    Raises
    ------
    ValueError
        If `maps` does not have one entry (an integer >= -1) per column of `probs`,
        or if a row keeps no probability mass after dropping columns.
    """
    probs = np.asarray(probs)
    maps = np.asarray(maps)
    if probs.ndim != 2 or maps.shape != (probs.shape[1],):
        msg = (
            "`maps` must have one entry per column of `probs`; got `probs` of "
            f"shape {probs.shape} and `maps` of shape {maps.shape}."
        )
        raise ValueError(msg)
    if maps.dtype.kind not in "iu" or (maps.size and maps.min() < -1):
        msg = f"`maps` must hold integer class indices or -1 (drop); got {maps}."
        raise ValueError(msg)
    dtype = probs.dtype if probs.dtype.kind == "f" else np.float64
    merged = np.zeros((len(probs), int(maps.max()) + 1), dtype=dtype)
    for source, target in enumerate(maps.tolist()):  # a loop over classes
        if target >= 0:
            merged[:, target] += probs[:, source]
    if (maps == -1).any():
        totals = merged.sum(axis=1, keepdims=True)
        if not np.all(totals > 0):
            row = int(np.flatnonzero(~(totals[:, 0] > 0))[0])
            msg = (
                f"Row {row} of `probs` has no probability left after dropping the "
                "columns mapped to -1, so it cannot be renormalized."
            )
            raise ValueError(msg)
        merged /= totals
    return merged


def color_sentence(sentence: str, word: str) -> str:
    """`sentence` with every whole-word occurrence of `word` in ANSI red.

    If `word` never occurs as a whole word, every occurrence as a substring is
    coloured instead.
    """
    return _replace_sentence(sentence, word, RED + word + RESET)


def _replace_sentence(sentence: str, word: str, new_word: str) -> str:
    """Replace whole-word occurrences of `word` by `new_word` (substrings if none)."""
    pattern = r"\b" + re.escape(word) + r"\b"
    replaced, count = re.subn(pattern, lambda _: new_word, sentence)
    if count:
        return replaced
    return sentence.replace(word, new_word)
