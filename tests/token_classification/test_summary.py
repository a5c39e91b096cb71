"""Tests of cleanlab.token_classification.summary: printing and counting issues.

Expected outputs are written by hand from spec 3.4-3.6 (with our plain-text token
marker instead of ANSI colour) and the spec's examples.
"""

import numpy as np
import pandas as pd
import pytest

from cleanlab.token_classification.summary import (
    CLASS_INDEX_NOTE,
    common_label_issues,
    display_issues,
    filter_by_token,
)


@pytest.fixture
def spec_tokens():
    """Spec 3.5 tokens: three sentences."""
    return [
        ["A", "?weird", "sentence"],
        ["A", "valid", "sentence"],
        ["An", "sentence", "with", "a", "typo"],
    ]


@pytest.fixture
def labelled(spec_tokens):
    """Labels and one-hot-ish pred_probs (K=3) for `spec_tokens`.

    Issues (0, 1), (1, 0), (2, 0), (2, 3): given 1, 2, 1, 1; predicted 0, 0, 0, 2.
    """
    labels = [[2, 1, 0], [2, 0, 0], [1, 0, 0, 1, 0]]
    predicted = [[2, 0, 0], [0, 0, 0], [0, 0, 0, 2, 0]]
    pred_probs = [np.eye(3)[row] * 0.8 + 0.2 / 3 for row in predicted]
    issues = [(0, 1), (1, 0), (2, 0), (2, 3)]
    return issues, labels, pred_probs


class TestDisplayIssues:
    def test_token_issue_with_labels_and_predictions(self, capsys, labelled):
        issues, labels, pred_probs = labelled
        tokens = [["A", "?weird", "sentence"], ["A", "valid", "sentence"]]
        display_issues(
            issues[:1],
            tokens + [["An", "sentence", "with", "a", "typo"]],
            labels=labels,
            pred_probs=pred_probs,
            class_names=["O", "PER", "LOC"],
        )
        assert capsys.readouterr().out == (
            "Sentence index: 0, Token index: 1\n"
            "Token: ?weird\n"
            "Given label: PER, predicted label according to provided pred_probs: O\n"
            "----\n"
            "A [[?weird]] sentence\n"
        )

    def test_blank_lines_between_issues_and_index_note(self, capsys, labelled):
        issues, labels, _ = labelled
        tokens = [["A", "?weird", "sentence"], ["A", "valid", "sentence"]]
        tokens.append(["An", "sentence", "with", "a", "typo"])
        display_issues(issues[1:3], tokens, labels=labels)
        assert capsys.readouterr().out == (
            CLASS_INDEX_NOTE + "\n"
            "Sentence index: 1, Token index: 0\n"
            "Token: A\n"
            "Given label: 2\n"
            "----\n"
            "[[A]] valid sentence\n"
            "\n\n"
            "Sentence index: 2, Token index: 0\n"
            "Token: An\n"
            "Given label: 1\n"
            "----\n"
            "[[An]] sentence with a typo\n"
        )

    def test_prediction_only(self, capsys, spec_tokens, labelled):
        issues, _, pred_probs = labelled
        display_issues([(2, 3)], spec_tokens, pred_probs=pred_probs)
        out = capsys.readouterr().out
        assert "\nPredicted label according to provided pred_probs: 2\n----\n" in out
        assert "Given label" not in out

    def test_marks_only_the_offending_occurrence(self, capsys):
        tokens = [["the", "cat", "saw", "the", "dog"]]
        display_issues([(0, 3)], tokens)
        assert capsys.readouterr().out.splitlines()[-1] == "the cat saw [[the]] dog"

    def test_no_colour_codes(self, capsys, spec_tokens, labelled):
        issues, labels, pred_probs = labelled
        display_issues(issues, spec_tokens, labels=labels, pred_probs=pred_probs)
        assert "\x1b" not in capsys.readouterr().out

    def test_without_labels_no_label_line_no_note(self, capsys, spec_tokens):
        display_issues([(2, 4)], spec_tokens)
        assert capsys.readouterr().out == (
            "Sentence index: 2, Token index: 4\n"
            "Token: typo\n"
            "----\n"
            "An sentence with a [[typo]]\n"
        )

    def test_exclude_skips_pairs_and_top_counts_shown(self, capsys, labelled):
        issues, labels, pred_probs = labelled
        tokens = [["A", "?weird", "sentence"], ["A", "valid", "sentence"]]
        tokens.append(["An", "sentence", "with", "a", "typo"])
        # (given 1, predicted 0) excludes issues 0 and 2; top=1 then shows issue 1.
        display_issues(
            issues,
            tokens,
            labels=labels,
            pred_probs=pred_probs,
            exclude=[(1, 0)],
            class_names=["O", "PER", "LOC"],
            top=1,
        )
        out = capsys.readouterr().out
        assert out.startswith("Sentence index: 1, Token index: 0\n")
        assert out.count("Sentence index") == 1

    def test_top_limits_output(self, capsys, spec_tokens, labelled):
        display_issues(labelled[0], spec_tokens, top=2)
        assert capsys.readouterr().out.count("Sentence index") == 2

    def test_top_zero_prints_nothing(self, capsys, spec_tokens, labelled):
        display_issues(labelled[0], spec_tokens, top=0)
        assert capsys.readouterr().out == ""

    def test_sentence_issues(self, capsys, spec_tokens):
        display_issues(np.array([2, 0]), spec_tokens)
        assert capsys.readouterr().out == (
            "Sentence issue: An sentence with a typo\n\n\n"
            "Sentence issue: A ?weird sentence\n"
        )

    def test_no_issues_prints_nothing(self, capsys, spec_tokens):
        display_issues([], spec_tokens)
        assert capsys.readouterr().out == ""

    def test_issue_outside_sentence(self, spec_tokens):
        with pytest.raises(ValueError, match=r"`issues\[1\]` is \(1, 3\), but sen"):
            display_issues([(0, 0), (1, 3)], spec_tokens)

    def test_sentence_issue_out_of_range(self, spec_tokens):
        with pytest.raises(ValueError, match=r"`issues\[0\]` is 3, but there are 3"):
            display_issues([3], spec_tokens)

    def test_labels_not_matching_tokens(self, spec_tokens):
        with pytest.raises(ValueError, match=r"`labels\[1\]` has 2 entries"):
            display_issues([(0, 0)], spec_tokens, labels=[[0, 0, 0], [0, 0], [0] * 5])

    def test_missing_class_name(self, spec_tokens, labelled):
        issues, labels, _ = labelled
        with pytest.raises(ValueError, match="Class 1 has no entry in `class_names`"):
            display_issues(issues, spec_tokens, labels=labels, class_names=["O"])

    def test_bad_top(self, spec_tokens):
        with pytest.raises(ValueError, match="`top` must be an integer >= 0"):
            display_issues([(0, 0)], spec_tokens, top=-1)

    def test_negative_label(self, spec_tokens):
        labels = [[0, -1, 0], [0, 0, 0], [0] * 5]
        with pytest.raises(ValueError, match=r"`labels\[0\]\[1\]` is -1"):
            display_issues([(0, 1)], spec_tokens, labels=labels)

    def test_nan_prediction(self, spec_tokens, labelled):
        _, _, pred_probs = labelled
        pred_probs = [pred_probs[0].copy(), *pred_probs[1:]]
        pred_probs[0][1, 0] = np.nan
        with pytest.raises(ValueError, match=r"`pred_probs\[0\]\[1\]` contains NaN"):
            display_issues([(0, 1)], spec_tokens, pred_probs=pred_probs)


class TestCommonLabelIssues:
    def test_spec_example(self, capsys, spec_tokens):
        # Spec 3.5: one issue each for "An" and "?weird", in first-seen order.
        result = common_label_issues([(2, 0), (0, 1)], spec_tokens)
        expected = pd.DataFrame({"token": ["An", "?weird"], "num_label_issues": [1, 1]})
        pd.testing.assert_frame_equal(result, expected)
        assert capsys.readouterr().out == (
            "Token 'An' is potentially mislabeled 1 times throughout the dataset\n\n"
            "Token '?weird' is potentially mislabeled 1 times throughout the dataset"
            "\n\n"
        )

    def test_counts_sorted_descending(self, spec_tokens):
        issues = [(0, 1), (0, 2), (1, 2), (2, 1), (1, 0)]
        result = common_label_issues(issues, spec_tokens)
        assert result["token"].tolist() == ["sentence", "?weird", "A"]
        assert result["num_label_issues"].tolist() == [3, 1, 1]

    def test_top_limits_printing_not_result(self, capsys, spec_tokens):
        result = common_label_issues([(2, 0), (0, 1)], spec_tokens, top=1)
        assert capsys.readouterr().out.count("Token '") == 1
        assert len(result) == 2

    def test_with_labels_and_predictions(self, capsys, spec_tokens, labelled):
        issues, labels, pred_probs = labelled
        issues = [*issues, (1, 2)]  # "sentence": given 0, predicted 0
        result = common_label_issues(
            issues, spec_tokens, labels=labels, pred_probs=pred_probs
        )
        expected = pd.DataFrame(
            {
                "token": ["?weird", "A", "An", "a", "sentence"],
                "given_label": np.array([1, 2, 1, 1, 0], dtype=np.int64),
                "predicted_label": np.array([0, 0, 0, 2, 0], dtype=np.int64),
                "num_label_issues": np.array([1, 1, 1, 1, 1], dtype=np.int64),
            }
        )
        pd.testing.assert_frame_equal(result, expected)
        out = capsys.readouterr().out
        assert out.startswith(CLASS_INDEX_NOTE + "\n")
        assert (
            "Token '?weird' is potentially mislabeled 1 times throughout the dataset\n"
            + "-" * 72
            + "\nlabeled as class 1 but predicted to actually be class 0 1 times\n\n"
        ) in out

    def test_pairs_of_one_word_sorted_by_count(self, capsys):
        tokens = [["x", "x", "x", "y"]]
        labels = [[0, 1, 1, 0]]
        pred_probs = [np.array([[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.2, 0.8]])]
        issues = [(0, 0), (0, 1), (0, 2), (0, 3)]
        result = common_label_issues(
            issues,
            tokens,
            labels=labels,
            pred_probs=pred_probs,
            class_names=["O", "PER"],
        )
        assert result.values.tolist() == [
            ["x", "PER", "O", 2],
            ["x", "O", "PER", 1],
            ["y", "O", "PER", 1],
        ]
        lines = capsys.readouterr().out.splitlines()
        assert lines[:4] == [
            "Token 'x' is potentially mislabeled 3 times throughout the dataset",
            "-" * 72,
            "labeled as class `PER` but predicted to actually be class `O` 2 times",
            "labeled as class `O` but predicted to actually be class `PER` 1 times",
        ]

    def test_exclude_and_not_verbose(self, capsys, spec_tokens, labelled):
        issues, labels, pred_probs = labelled
        result = common_label_issues(
            issues,
            spec_tokens,
            labels=labels,
            pred_probs=pred_probs,
            exclude=[(1, 0)],
            verbose=False,
        )
        assert result["token"].tolist() == ["A", "a"]
        out = capsys.readouterr().out
        assert "labeled as" not in out
        assert "'?weird'" not in out

    def test_label_not_a_class_of_pred_probs(self, spec_tokens, labelled):
        issues, labels, pred_probs = labelled
        labels = [[2, 3, 0], *labels[1:]]
        with pytest.raises(ValueError, match=r"`labels\[0\]\[1\]` is 3, but `pred_"):
            common_label_issues(
                issues, spec_tokens, labels=labels, pred_probs=pred_probs
            )

    def test_non_string_token(self):
        with pytest.raises(TypeError, match=r"`tokens\[0\]\[0\]` must be a string"):
            common_label_issues([(0, 0)], [[1, 2]])

    def test_not_token_issues(self, spec_tokens):
        with pytest.raises(ValueError, match=r"\(sentence index, token index\) pairs"):
            common_label_issues([0, 1], spec_tokens)

    def test_pairs_of_three(self, spec_tokens):
        with pytest.raises(ValueError, match="entries of length 3"):
            common_label_issues([(0, 0, 0)], spec_tokens)


class TestFilterByToken:
    def test_spec_examples(self, spec_tokens):
        issues = [(2, 0), (0, 1)]
        assert filter_by_token("?weird", issues, spec_tokens) == [(0, 1)]
        # Case-insensitive: "a" matches "A" (0, 0) and "a" (2, 3), not "An".
        result = filter_by_token("a", [(2, 3), (0, 0), (2, 0)], spec_tokens)
        assert result == [(2, 3), (0, 0)]

    def test_returns_the_same_objects(self, spec_tokens):
        issues = [(2, 3), (0, 0)]
        result = filter_by_token("A", issues, spec_tokens)
        assert all(a is b for a, b in zip(result, issues, strict=True))

    def test_no_match(self, spec_tokens):
        assert filter_by_token("zebra", [(2, 3)], spec_tokens) == []

    def test_token_not_a_string(self, spec_tokens):
        with pytest.raises(TypeError, match="`token` must be a string"):
            filter_by_token(1, [(2, 3)], spec_tokens)

    def test_issue_outside(self, spec_tokens):
        with pytest.raises(ValueError, match="there are 3 sentences"):
            filter_by_token("a", [(5, 0)], spec_tokens)
