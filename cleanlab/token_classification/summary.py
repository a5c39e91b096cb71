"""Show and tabulate token label issues: print them in context, count them by word.

`display_issues` prints each issue with its sentence, the offending token marked
``[[like this]]``; `common_label_issues` counts which words are most often
mislabeled (and as what); `filter_by_token` keeps the issues of one word.
"""

import numpy as np
import pandas as pd

from cleanlab.internal.token_classification_utils import (
    TOKEN_MARKER,
    check_sentence_issues,
    check_token_issues,
    check_tokens,
    get_sentence,
    mark_token,
    sentence_lengths,
)
from cleanlab.internal.validation import is_integer

__all__ = ["common_label_issues", "display_issues", "filter_by_token"]

CLASS_INDEX_NOTE = (
    "Classes are shown as integer indices because `class_names` was not given.\n"
    "Pass `class_names` to see the name of each class instead.\n"
)
SEPARATOR = "----"
WORD_SEPARATOR = "-" * 72


def display_issues(
    issues: list,
    tokens: list[list[str]],
    *,
    labels: list | None = None,
    pred_probs: list | None = None,
    exclude: list[tuple[int, int]] = [],
    class_names: list[str] | None = None,
    top: int = 20,
) -> None:
    """Print label issues in the context of their sentence.

    A token issue prints its sentence and token index, the token, its given and
    predicted labels (when `labels` / `pred_probs` are given) and the sentence with
    the offending token marked ``[[like this]]`` (plain text, no colour codes). A
    sentence issue prints the sentence.

    Parameters
    ----------
    issues : list of tuple of (int, int), or array_like of int
        ``(sentence, token)`` pairs, e.g. from
        `cleanlab.token_classification.filter.find_label_issues`, or sentence
        indices, e.g. from `cleanlab.token_classification.rank.issues_from_scores`.
    tokens : list of lists of str
        The words of each sentence.
    labels : list of lists of int, optional
        Given token labels; shown for token issues.
    pred_probs : list of np.ndarray, optional
        Per-sentence ``(T_i, K)`` predicted probabilities; the predicted label
        (argmax) is shown for token issues.
    exclude : list of tuple of (int, int), default=[]
        ``(given, predicted)`` label pairs whose token issues are skipped (only
        when both `labels` and `pred_probs` are given).
    class_names : list of str, optional
        Name of each class, to show instead of its index.
    top : int, default=20
        Print at most this many issues.

    Raises
    ------
    ValueError
        If an issue points at no token or sentence, or `labels` / `pred_probs` do
        not match `tokens` (naming the sentence).
    TypeError
        If `tokens` is not a list of lists of words.

    Examples
    --------
    >>> tokens = [["Alice", "lives", "in", "Paris", "."]]
    >>> labels = [[1, 0, 0, 0, 0]]
    >>> display_issues([(0, 3)], tokens, labels=labels, class_names=["O", "PER"])
    Sentence index: 0, Token index: 3
    Token: Paris
    Given label: O
    ----
    Alice lives in [[Paris]].
    """
    token_lengths = check_tokens(tokens)
    _check_sentences_like_tokens(labels, pred_probs, token_lengths)
    top = _check_top(top)
    has_labels, has_probs = _is_given(labels), _is_given(pred_probs)
    if not class_names and (has_labels or has_probs):
        print(CLASS_INDEX_NOTE)
    if len(issues) == 0 or top == 0:
        return
    if np.ndim(issues[0]) == 0:
        for n, i in enumerate(check_sentence_issues(issues, len(tokens))[:top]):
            if n:
                print("\n")
            print(f"Sentence issue: {get_sentence(tokens[i])}")
        return
    positions = check_token_issues(issues, token_lengths)
    given = _given_labels(labels, positions) if has_labels else None
    predicted = _predicted_labels(pred_probs, positions) if has_probs else None
    shown = _token_issues_to_show(len(positions), given, predicted, exclude)[:top]
    for n, k in enumerate(shown.tolist()):
        if n:
            print("\n")
        i, j = positions[k].tolist()
        g = None if given is None else _class_name(given[k], class_names)
        p = None if predicted is None else _class_name(predicted[k], class_names)
        _print_token_issue(i, j, tokens[i], g, p)


def _is_given(per_sentence) -> bool:
    """Whether an optional per-sentence argument was given (not None or empty)."""
    return per_sentence is not None and len(per_sentence) > 0


def _check_sentences_like_tokens(labels, pred_probs, token_lengths) -> None:
    """Raise unless given `labels` / `pred_probs` have the sentences of `tokens`."""
    for name, per_sentence in (("labels", labels), ("pred_probs", pred_probs)):
        if not _is_given(per_sentence):
            continue
        lengths = sentence_lengths(per_sentence, name)
        if len(lengths) != len(token_lengths):
            msg = (
                f"`{name}` must hold one entry per sentence of `tokens`: it has "
                f"{len(lengths)} sentences but `tokens` has {len(token_lengths)}."
            )
            raise ValueError(msg)
        differ = np.flatnonzero(lengths != token_lengths)
        if differ.size:
            i = int(differ[0])
            msg = (
                f"Sentence {i} has {token_lengths[i]} tokens but `{name}[{i}]` has "
                f"{lengths[i]} entries; `{name}` needs one entry per token."
            )
            raise ValueError(msg)


def _check_top(top) -> int:
    """`top` as an int, or a ValueError unless it is an integer >= 0."""
    if not is_integer(top) or top < 0:
        msg = f"`top` must be an integer >= 0; got {top!r}."
        raise ValueError(msg)
    return int(top)


def _given_labels(labels, positions: np.ndarray) -> np.ndarray:
    """The given label (int64) of each issue token, checked to be an integer >= 0."""
    values = [labels[i][j] for i, j in positions.tolist()]
    for k, value in enumerate(values):
        if not is_integer(value) or value < 0:
            i, j = positions[k].tolist()
            msg = (
                "Labels must be zero-indexed integers corresponding to class "
                f"indices. `labels[{i}][{j}]` is {value!r}."
            )
            raise ValueError(msg)
    return np.array(values, dtype=np.int64)


def _predicted_labels(pred_probs, positions: np.ndarray) -> np.ndarray:
    """The predicted label (argmax of the row) of each issue token."""
    rows = [np.asarray(pred_probs[i][j]) for i, j in positions.tolist()]
    width = len(rows[0]) if rows else 0
    for k, row in enumerate(rows):
        if row.shape != (width,) or row.dtype.kind not in "fiub":
            i, j = positions[k].tolist()
            msg = (
                f"`pred_probs[{i}][{j}]` must be a row of {width} class "
                f"probabilities; got shape {row.shape} and dtype {row.dtype}."
            )
            raise ValueError(msg)
        if not np.isfinite(row).all():
            i, j = positions[k].tolist()
            msg = f"`pred_probs[{i}][{j}]` contains NaN or infinite values."
            raise ValueError(msg)
    if not rows:
        return np.zeros(0, dtype=np.int64)
    return np.argmax(np.stack(rows), axis=1)


def _token_issues_to_show(count, given, predicted, exclude) -> np.ndarray:
    """Indices of the issues not excluded by their (given, predicted) pair."""
    if given is None or predicted is None or not exclude:
        return np.arange(count)
    excluded = set(map(tuple, exclude))
    pairs = zip(given.tolist(), predicted.tolist(), strict=True)
    return np.array([k for k, pair in enumerate(pairs) if pair not in excluded], int)


def _class_name(label: int, class_names):
    """`class_names[label]`, or `label` itself without class names."""
    if not class_names:
        return int(label)
    if label >= len(class_names):
        msg = (
            f"Class {label} has no entry in `class_names`, which names "
            f"{len(class_names)} classes."
        )
        raise ValueError(msg)
    return class_names[label]


def _print_token_issue(i: int, j: int, words, given, predicted) -> None:
    """Print one token issue: position, word, labels and the marked sentence."""
    print(f"Sentence index: {i}, Token index: {j}")
    print(f"Token: {words[j]}")
    if given is not None and predicted is not None:
        print(
            f"Given label: {given}, predicted label according to provided "
            f"pred_probs: {predicted}"
        )
    elif given is not None:
        print(f"Given label: {given}")
    elif predicted is not None:
        print(f"Predicted label according to provided pred_probs: {predicted}")
    print(SEPARATOR)
    print(mark_token(list(words), j, TOKEN_MARKER))


def common_label_issues(
    issues: list[tuple[int, int]],
    tokens: list[list[str]],
    *,
    labels: list | None = None,
    pred_probs: list | None = None,
    class_names: list[str] | None = None,
    top: int = 10,
    exclude: list[tuple[int, int]] = [],
    verbose: bool = True,
) -> pd.DataFrame:
    """Count the label issues of each word, and print the most common ones.

    Without `labels` and `pred_probs`, counts the issues of each word. With both,
    counts them per word and per (given label, predicted label) pair.

    Parameters
    ----------
    issues : list of tuple of (int, int)
        ``(sentence, token)`` pairs, e.g. from
        `cleanlab.token_classification.filter.find_label_issues`.
    tokens : list of lists of str
        The words of each sentence.
    labels : list of lists of int, optional
        Given token labels.
    pred_probs : list of np.ndarray, optional
        Per-sentence ``(T_i, K)`` predicted probabilities.
    class_names : list of str, optional
        Name of each class, used in the printout and the returned labels.
    top : int, default=10
        Print the `top` words with the most issues.
    exclude : list of tuple of (int, int), default=[]
        ``(given, predicted)`` label pairs not to count (needs `labels` and
        `pred_probs`).
    verbose : bool, default=True
        Also print the count of each (given, predicted) pair of each top word.

    Returns
    -------
    pd.DataFrame
        Without labels: columns ``token`` and ``num_label_issues``. With them:
        ``token``, ``given_label``, ``predicted_label``, ``num_label_issues``,
        one row per word and label pair that occurs. Rows are sorted by
        ``num_label_issues``, highest first; ties keep the order of first
        occurrence (then given and predicted label).

    Raises
    ------
    ValueError
        If an issue points at no token, or a label at an issue is not a class
        index of `pred_probs`.

    Examples
    --------
    >>> tokens = [["A", "?weird", "sentence"], ["A", "valid", "sentence"]]
    >>> common_label_issues([(0, 1), (1, 0), (0, 0)], tokens)
    Token 'A' is potentially mislabeled 2 times throughout the dataset
    <BLANKLINE>
    Token '?weird' is potentially mislabeled 1 times throughout the dataset
    <BLANKLINE>
        token  num_label_issues
    0       A                 2
    1  ?weird                 1
    """
    token_lengths = check_tokens(tokens)
    positions = check_token_issues(issues, token_lengths)
    top = _check_top(top)
    words = _issue_words(tokens, positions)
    if not (_is_given(labels) and _is_given(pred_probs)):
        return _count_words(words, top)
    _check_sentences_like_tokens(labels, pred_probs, token_lengths)
    num_classes = np.shape(pred_probs[0])[1]
    given = _given_labels(labels, positions)
    _check_given_below(given, positions, num_classes)
    predicted = _predicted_labels(pred_probs, positions)
    if not class_names:
        print(CLASS_INDEX_NOTE)
    return _count_word_label_pairs(
        words, given, predicted, num_classes, class_names, top, exclude, verbose
    )


def _issue_words(tokens, positions: np.ndarray) -> list:
    """The word of each issue, each checked to be a string."""
    words = [tokens[i][j] for i, j in positions.tolist()]
    for k, word in enumerate(words):
        if not isinstance(word, str):
            i, j = positions[k].tolist()
            msg = f"`tokens[{i}][{j}]` must be a string; got {word!r}."
            raise TypeError(msg)
    return words


def _count_words(words: list, top: int) -> pd.DataFrame:
    """Issues per word, most first (ties in first-seen order); print the top."""
    codes, uniques = pd.factorize(np.array(words, dtype=object))
    counts = np.bincount(codes, minlength=len(uniques))
    order = np.argsort(-counts, kind="stable")
    for k in order[:top].tolist():
        print(_word_line(uniques[k], counts[k]) + "\n")
    return pd.DataFrame(
        {
            "token": [uniques[k] for k in order.tolist()],
            "num_label_issues": counts[order].astype(np.int64),
        }
    )


def _word_line(word: str, count: int) -> str:
    """The printed headline of one word."""
    return (
        f"Token '{word}' is potentially mislabeled {count} times throughout the dataset"
    )


def _check_given_below(given, positions, num_classes: int) -> None:
    """Raise naming the first issue whose given label is not below `num_classes`."""
    bad = given >= num_classes
    if bad.any():
        k = int(np.argmax(bad))
        i, j = positions[k].tolist()
        msg = (
            f"`labels[{i}][{j}]` is {given[k]}, but `pred_probs` has {num_classes} "
            f"columns (classes 0..{num_classes - 1})."
        )
        raise ValueError(msg)


def _count_word_label_pairs(
    words, given, predicted, num_classes, class_names, top, exclude, verbose
) -> pd.DataFrame:
    """Issues per (word, given, predicted), most first; print the top words."""
    codes, uniques = pd.factorize(np.array(words, dtype=object))
    pair = given * num_classes + predicted
    kept = ~np.isin(pair, _excluded_pairs(exclude, num_classes))
    cells, counts = np.unique(
        codes[kept] * num_classes**2 + pair[kept], return_counts=True
    )
    cell_word, cell_pair = np.divmod(cells, num_classes**2)
    cell_given, cell_predicted = np.divmod(cell_pair, num_classes)
    totals = np.bincount(cell_word, weights=counts, minlength=len(uniques))
    word_order = np.argsort(-totals, kind="stable")
    for w in word_order[totals[word_order] > 0][:top].tolist():
        print(_word_line(uniques[w], int(totals[w])))
        if verbose:
            print(WORD_SEPARATOR)
            mine = np.flatnonzero(cell_word == w)
            for c in mine[np.argsort(-counts[mine], kind="stable")].tolist():
                g = _pair_class(cell_given[c], class_names)
                p = _pair_class(cell_predicted[c], class_names)
                print(
                    f"labeled as class {g} but predicted to actually be class {p} "
                    f"{counts[c]} times"
                )
        print()
    order = np.argsort(-counts, kind="stable")
    return pd.DataFrame(
        {
            "token": [uniques[w] for w in cell_word[order].tolist()],
            "given_label": _label_column(cell_given[order], class_names),
            "predicted_label": _label_column(cell_predicted[order], class_names),
            "num_label_issues": counts[order].astype(np.int64),
        }
    )


def _excluded_pairs(exclude, num_classes: int) -> np.ndarray:
    """`exclude` pairs as codes ``given * K + predicted`` (pairs outside K dropped)."""
    codes = [
        g * num_classes + p
        for g, p in exclude
        if 0 <= g < num_classes and 0 <= p < num_classes
    ]
    return np.array(codes, dtype=np.int64)


def _pair_class(label, class_names) -> str:
    """A class as printed in a pair line: its index, or its backquoted name."""
    if not class_names:
        return str(int(label))
    return f"`{_class_name(int(label), class_names)}`"


def _label_column(labels: np.ndarray, class_names):
    """Labels as int64, or as class names when given."""
    if not class_names:
        return labels.astype(np.int64)
    return [_class_name(int(label), class_names) for label in labels.tolist()]


def filter_by_token(
    token: str, issues: list[tuple[int, int]], tokens: list[list[str]]
) -> list[tuple[int, int]]:
    """The issues whose token is `token`, compared case-insensitively.

    Parameters
    ----------
    token : str
        The word to look for.
    issues : list of tuple of (int, int)
        ``(sentence, token)`` pairs.
    tokens : list of lists of str
        The words of each sentence.

    Returns
    -------
    list of tuple of (int, int)
        The matching entries of `issues` (the same objects, in the same order).

    Examples
    --------
    >>> tokens = [["A", "?weird", "sentence"], ["a", "valid", "sentence"]]
    >>> filter_by_token("a", [(0, 1), (1, 0), (0, 0)], tokens)
    [(1, 0), (0, 0)]
    """
    if not isinstance(token, str):
        msg = f"`token` must be a string; got {type(token).__name__}."
        raise TypeError(msg)
    positions = check_token_issues(issues, check_tokens(tokens))
    wanted = token.lower()
    words = _issue_words(tokens, positions)
    return [
        issue
        for issue, word in zip(issues, words, strict=True)
        if word.lower() == wanted
    ]
