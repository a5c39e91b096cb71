"""Tests of cleanlab.token_classification.filter.find_label_issues.

The expected values are the worked example of spec 3.1; every other result is
checked against `cleanlab.filter.find_label_issues` on the flattened tokens, which
the spec defines it to be.
"""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanlab import filter as core_filter
from cleanlab.experimental.label_issues_batched import find_label_issues_batched
from cleanlab.internal.errors import InvalidOptionError, PredProbsNormalizationWarning
from cleanlab.token_classification.filter import find_label_issues

RANK_BY = ("self_confidence", "normalized_margin", "confidence_weighted_entropy")


def _to_pairs(flat_indices, lengths):
    """Flat token indices -> (sentence, token) pairs, by a plain loop."""
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    pairs = []
    for index in flat_indices:
        sentence = int(np.searchsorted(starts, index, side="right") - 1)
        pairs.append((sentence, int(index - starts[sentence])))
    return pairs


class TestResults:
    def test_spec_example(self, two_sentences):
        # Spec 3.1: only token 1 of sentence 1 (label 1, p = [.8, .2]) is flagged.
        labels, pred_probs = two_sentences
        assert find_label_issues(labels, pred_probs) == [(1, 1)]

    def test_returns_python_int_tuples(self, two_sentences):
        labels, pred_probs = two_sentences
        (issue,) = find_label_issues(labels, pred_probs)
        assert type(issue) is tuple
        assert all(type(index) is int for index in issue)

    @pytest.mark.parametrize("rank_by", RANK_BY)
    def test_matches_core_filter_on_flat_tokens(self, noisy_sentences, rank_by):
        labels, pred_probs, flat_labels, flat_probs, lengths = noisy_sentences
        expected = core_filter.find_label_issues(
            flat_labels, flat_probs, return_indices_ranked_by=rank_by
        )
        result = find_label_issues(labels, pred_probs, return_indices_ranked_by=rank_by)
        assert len(expected) > 50
        assert result == _to_pairs(expected, lengths)

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"filter_by": "confident_learning"},
            {"filter_by": "both", "frac_noise": 0.5},
            {"filter_by": "predicted_neq_given"},
            {"filter_by": "low_normalized_margin"},
            {"rank_by_kwargs": {"adjust_pred_probs": True}},
            {"n_jobs": 1},
        ],
    )
    def test_forwards_kwargs_to_core_filter(self, noisy_sentences, kwargs):
        labels, pred_probs, flat_labels, flat_probs, lengths = noisy_sentences
        expected = core_filter.find_label_issues(
            flat_labels,
            flat_probs,
            return_indices_ranked_by="self_confidence",
            **kwargs,
        )
        assert find_label_issues(labels, pred_probs, **kwargs) == _to_pairs(
            expected, lengths
        )

    def test_unranked_when_ranked_by_none(self, noisy_sentences):
        # FIX (tasks.md Appendix B 9): the reference fails with a TypeError here.
        labels, pred_probs, flat_labels, flat_probs, lengths = noisy_sentences
        mask = core_filter.find_label_issues(flat_labels, flat_probs)
        result = find_label_issues(labels, pred_probs, return_indices_ranked_by=None)
        assert result == _to_pairs(np.flatnonzero(mask), lengths)
        assert result == sorted(result)
        assert sorted(find_label_issues(labels, pred_probs)) == result

    def test_float32_input_same_issues_as_core(self, noisy_sentences):
        labels, pred_probs, flat_labels, flat_probs, lengths = noisy_sentences
        pred_probs32 = [p.astype(np.float32) for p in pred_probs]
        expected = core_filter.find_label_issues(
            flat_labels,
            flat_probs.astype(np.float32),
            return_indices_ranked_by="self_confidence",
        )
        assert find_label_issues(labels, pred_probs32) == _to_pairs(expected, lengths)

    def test_pred_probs_as_3d_array(self, two_sentences):
        # Sentences of equal length may come as one (N, T, K) array.
        labels = [[0, 0, 1], [0, 1, 1]]
        pred_probs = np.array(
            [
                [[0.9, 0.1], [0.7, 0.3], [0.05, 0.95]],
                [[0.8, 0.2], [0.8, 0.2], [0.1, 0.9]],
            ]
        )
        as_list = find_label_issues(labels, list(pred_probs))
        assert find_label_issues(labels, pred_probs) == as_list

    def test_labels_as_arrays_and_whole_floats(self, noisy_sentences):
        labels, pred_probs, *_ = noisy_sentences
        expected = find_label_issues(labels, pred_probs)
        as_arrays = [np.array(sentence) for sentence in labels]
        as_floats = [[float(label) for label in sentence] for sentence in labels]
        assert find_label_issues(as_arrays, pred_probs) == expected
        assert find_label_issues(as_floats, pred_probs) == expected

    def test_inputs_unchanged(self, noisy_sentences):
        labels, pred_probs, *_ = noisy_sentences
        labels_before = copy.deepcopy(labels)
        probs_before = [p.copy() for p in pred_probs]
        find_label_issues(labels, pred_probs, return_indices_ranked_by=None)
        assert labels == labels_before
        for after, before in zip(pred_probs, probs_before, strict=True):
            np.testing.assert_array_equal(after, before)

    def test_class_relabelling_equivariance(self, noisy_sentences):
        labels, pred_probs, *_ = noisy_sentences
        perm = np.array([2, 0, 3, 1])  # old class c becomes class perm[c]
        relabelled = [perm[np.array(sentence)].tolist() for sentence in labels]
        permuted = [p[:, np.argsort(perm)] for p in pred_probs]
        original = find_label_issues(labels, pred_probs, return_indices_ranked_by=None)
        assert (
            find_label_issues(relabelled, permuted, return_indices_ranked_by=None)
            == original
        )


@pytest.mark.filterwarnings("ignore::cleanlab.internal.errors.TooFewExamplesWarning")
@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    num_sentences=st.integers(1, 30),
    num_classes=st.integers(2, 5),
)
def test_issues_are_distinct_existing_tokens(seed, num_sentences, num_classes):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 8, size=num_sentences)
    lengths[0] = max(lengths[0], 2)
    labels = [rng.integers(0, num_classes, n).tolist() for n in lengths]
    if len({label for sentence in labels for label in sentence}) < 2:
        # The core filter needs two classes.
        labels[0][0] = (labels[0][0] + 1) % num_classes
    pred_probs = [rng.dirichlet(np.ones(num_classes), n) for n in lengths]
    issues = find_label_issues(labels, pred_probs)
    assert len(set(issues)) == len(issues)
    for i, j in issues:
        assert 0 <= i < num_sentences
        assert 0 <= j < lengths[i]
    unranked = find_label_issues(labels, pred_probs, return_indices_ranked_by=None)
    assert sorted(issues) == unranked


class TestErrors:
    def test_length_mismatch_names_sentence(self, two_sentences):
        labels, pred_probs = two_sentences
        labels = [labels[0], [0]]
        with pytest.raises(ValueError, match=r"Sentence 1 has 1 labels but `pred_pro"):
            find_label_issues(labels, pred_probs)

    def test_empty_sentence_names_it(self, two_sentences):
        labels, pred_probs = two_sentences
        labels = [*labels, []]
        pred_probs = [*pred_probs, np.zeros((0, 2))]
        with pytest.raises(ValueError, match=r"Sentence 2 is empty"):
            find_label_issues(labels, pred_probs)

    def test_label_too_large_names_token(self, two_sentences):
        labels, pred_probs = two_sentences
        labels = [[0, 0, 1], [0, 2]]
        with pytest.raises(ValueError, match=r"`labels\[1\]\[1\]` is 2 but `pred_p"):
            find_label_issues(labels, pred_probs)

    def test_label_too_large_keeps_core_wording(self, two_sentences):
        labels, pred_probs = two_sentences
        with pytest.raises(ValueError, match="pred_probs must have at least 3 col"):
            find_label_issues([[0, 0, 1], [0, 2]], pred_probs)

    def test_negative_label_names_token(self, two_sentences):
        _, pred_probs = two_sentences
        with pytest.raises(ValueError, match=r"`labels\[0\]\[2\]` is -1"):
            find_label_issues([[0, 0, -1], [0, 1]], pred_probs)

    def test_string_label(self, two_sentences):
        _, pred_probs = two_sentences
        with pytest.raises(ValueError, match=r"Labels cannot be strings.*\[1\]\[0\]"):
            find_label_issues([[0, 0, 1], ["O", 1]], pred_probs)

    def test_fractional_label(self, two_sentences):
        _, pred_probs = two_sentences
        with pytest.raises(ValueError, match=r"`labels\[0\]\[1\]` is 0.5"):
            find_label_issues([[0, 0.5, 1], [0, 1]], pred_probs)

    def test_nested_labels(self, two_sentences):
        _, pred_probs = two_sentences
        with pytest.raises(ValueError, match="flat list of integer token labels"):
            find_label_issues([[[0], [0], [1]], [[0], [1]]], pred_probs)

    def test_nan_names_sentence_and_token(self, two_sentences):
        labels, pred_probs = two_sentences
        pred_probs[1] = pred_probs[1].copy()
        pred_probs[1][1, 0] = np.nan
        with pytest.raises(ValueError, match=r"NaN .*first: sentence 1, token 1"):
            find_label_issues(labels, pred_probs)

    def test_out_of_range_probabilities(self, two_sentences):
        labels, pred_probs = two_sentences
        pred_probs[0] = pred_probs[0] * 3
        with pytest.raises(ValueError, match=r"between 0 and 1.*sentence 0, token 0"):
            find_label_issues(labels, pred_probs)

    def test_one_dimensional_item(self, two_sentences):
        labels, pred_probs = two_sentences
        pred_probs[1] = np.array([0.8, 0.2])
        labels[1] = [0, 1]
        with pytest.raises(ValueError, match=r"`pred_probs\[1\]` must be an array"):
            find_label_issues(labels, pred_probs)

    def test_different_number_of_classes(self, two_sentences):
        labels, pred_probs = two_sentences
        pred_probs[1] = np.array([[0.8, 0.1, 0.1], [0.8, 0.1, 0.1]])
        with pytest.raises(ValueError, match=r"`pred_probs\[1\]` has 3 columns"):
            find_label_issues(labels, pred_probs)

    def test_different_number_of_sentences(self, two_sentences):
        labels, pred_probs = two_sentences
        with pytest.raises(ValueError, match="`labels` has 2 and `pred_probs` has 1"):
            find_label_issues(labels, pred_probs[:1])

    def test_no_sentences(self):
        with pytest.raises(ValueError, match="`labels` is empty"):
            find_label_issues([], [])

    def test_labels_not_a_list(self, two_sentences):
        _, pred_probs = two_sentences
        with pytest.raises(TypeError, match="`labels` must be a list"):
            find_label_issues({0: [0]}, pred_probs)

    def test_sentence_not_a_sequence(self, two_sentences):
        _, pred_probs = two_sentences
        with pytest.raises(TypeError, match=r"`labels\[1\]` is a int"):
            find_label_issues([[0, 0, 1], 1], pred_probs)

    def test_non_numeric_pred_probs(self, two_sentences):
        labels, pred_probs = two_sentences
        pred_probs = [p.astype(str) for p in pred_probs]
        with pytest.raises(TypeError, match="`pred_probs` must hold numbers"):
            find_label_issues(labels, pred_probs)

    def test_unknown_ranking(self, two_sentences):
        labels, pred_probs = two_sentences
        with pytest.raises(InvalidOptionError, match="`return_indices_ranked_by`"):
            find_label_issues(labels, pred_probs, return_indices_ranked_by="worst")

    def test_unknown_ranking_with_low_memory(self, two_sentences):
        labels, pred_probs = two_sentences
        with pytest.raises(InvalidOptionError, match="`return_indices_ranked_by`"):
            find_label_issues(
                labels, pred_probs, return_indices_ranked_by="worst", low_memory=True
            )

    def test_bad_sentence_with_low_memory(self, two_sentences):
        labels, pred_probs = two_sentences
        with pytest.raises(ValueError, match="Sentence 1"):
            find_label_issues([[0, 0, 1], [0]], pred_probs, low_memory=True)

    def test_unknown_kwarg(self, two_sentences):
        labels, pred_probs = two_sentences
        with pytest.raises(TypeError, match="filterby"):
            find_label_issues(labels, pred_probs, filterby="both")


class TestLowMemory:
    """``low_memory=True``: `find_label_issues_batched` on the flat token arrays."""

    def test_spec_example(self, two_sentences):
        # The batched rule on spec 3.1's data: one token, (1, 1), is confidently
        # predicted as class 0 against its label 1, and it scores lowest (0.2).
        labels, pred_probs = two_sentences
        assert find_label_issues(labels, pred_probs, low_memory=True) == [(1, 1)]

    @pytest.mark.parametrize("rank_by", RANK_BY)
    def test_matches_batched_on_flat_tokens(self, noisy_sentences, rank_by):
        labels, pred_probs, flat_labels, flat_probs, lengths = noisy_sentences
        expected = find_label_issues_batched(
            flat_labels,
            flat_probs,
            quality_score_kwargs={"method": rank_by},
            verbose=False,
        )
        result = find_label_issues(
            labels, pred_probs, return_indices_ranked_by=rank_by, low_memory=True
        )
        assert len(expected) > 50
        assert result == _to_pairs(expected, lengths)

    def test_matches_in_memory_low_self_confidence(self, noisy_sentences):
        # find_label_issues_batched gives the issues of the in-memory filter with
        # filter_by="low_self_confidence", in the same order.
        labels, pred_probs, *_ = noisy_sentences
        in_memory = find_label_issues(
            labels, pred_probs, filter_by="low_self_confidence"
        )
        assert find_label_issues(labels, pred_probs, low_memory=True) == in_memory

    def test_float32_input(self, noisy_sentences):
        labels, pred_probs, flat_labels, flat_probs, lengths = noisy_sentences
        pred_probs32 = [p.astype(np.float32) for p in pred_probs]
        expected = find_label_issues_batched(
            flat_labels, flat_probs.astype(np.float32), verbose=False
        )
        result = find_label_issues(labels, pred_probs32, low_memory=True)
        assert result == _to_pairs(expected, lengths)

    def test_unranked_when_ranked_by_none(self, noisy_sentences):
        # FIX (Appendix B 9): None returns the issues in sentence and token order;
        # with low_memory they are chosen by self-confidence, the default score.
        labels, pred_probs, *_ = noisy_sentences
        ranked = find_label_issues(labels, pred_probs, low_memory=True)
        result = find_label_issues(
            labels, pred_probs, return_indices_ranked_by=None, low_memory=True
        )
        assert result == sorted(ranked)
        assert result != ranked

    def test_unranked_empty(self):
        # Every label is the confident prediction: no issues, in either order.
        labels = [[0, 1], [1]]
        pred_probs = [np.array([[0.9, 0.1], [0.2, 0.8]]), np.array([[0.3, 0.7]])]
        for rank_by in ("self_confidence", None):
            result = find_label_issues(
                labels, pred_probs, return_indices_ranked_by=rank_by, low_memory=True
            )
            assert result == []

    def test_each_kwarg_warns_and_is_ignored(self, noisy_sentences):
        labels, pred_probs, *_ = noisy_sentences
        plain = find_label_issues(labels, pred_probs, low_memory=True)
        with pytest.warns(UserWarning, match="is not used when") as caught:
            result = find_label_issues(
                labels, pred_probs, low_memory=True, filter_by="both", n_jobs=2
            )
        assert result == plain
        messages = [str(w.message) for w in caught]
        assert messages == [
            "`filter_by` is not used when `low_memory=True`.",
            "`n_jobs` is not used when `low_memory=True`.",
        ]
        assert all(w.category is UserWarning for w in caught)
        assert all(w.filename == __file__ for w in caught)

    def test_unknown_kwarg_only_warns(self, two_sentences):
        labels, pred_probs = two_sentences
        with pytest.warns(UserWarning, match="`filterby` is not used when"):
            result = find_label_issues(
                labels, pred_probs, low_memory=True, filterby="both"
            )
        assert result == [(1, 1)]

    def test_no_warning_without_kwargs(self, noisy_sentences, recwarn):
        labels, pred_probs, *_ = noisy_sentences
        find_label_issues(labels, pred_probs, low_memory=True)
        assert len(recwarn) == 0

    def test_prints_progress(self, two_sentences, capsys):
        labels, pred_probs = two_sentences
        find_label_issues(labels, pred_probs, low_memory=True)
        captured = capsys.readouterr()
        assert "Computing label quality" in captured.err
        assert "Total number of examples whose labels have been evaluated: 5" in (
            captured.out
        )

    def test_unnormalized_rows_warn_once_naming_sentence(self, noisy_sentences):
        labels, pred_probs, *_ = noisy_sentences
        pred_probs = [p.copy() for p in pred_probs]
        pred_probs[3] = pred_probs[3] * 0.5
        with pytest.warns(PredProbsNormalizationWarning) as caught:
            find_label_issues(labels, pred_probs, low_memory=True)
        assert len(caught) == 1
        assert "sentence 3, token 0" in str(caught[0].message)

    def test_inputs_unchanged(self, noisy_sentences):
        labels, pred_probs, *_ = noisy_sentences
        labels_before = copy.deepcopy(labels)
        probs_before = [p.copy() for p in pred_probs]
        find_label_issues(labels, pred_probs, low_memory=True)
        assert labels == labels_before
        assert all(
            np.array_equal(p, q) for p, q in zip(pred_probs, probs_before, strict=True)
        )


class TestWarnings:
    def test_unnormalized_rows_warn_once_naming_sentence(self, noisy_sentences):
        labels, pred_probs, *_ = noisy_sentences
        pred_probs = [p.copy() for p in pred_probs]
        pred_probs[3] = pred_probs[3] * 0.5
        with pytest.warns(PredProbsNormalizationWarning, match="sentence 3, token 0"):
            find_label_issues(labels, pred_probs)

    def test_single_warning_not_repeated_by_core(self, noisy_sentences, recwarn):
        labels, pred_probs, *_ = noisy_sentences
        pred_probs = [p.copy() for p in pred_probs]
        pred_probs[3] = pred_probs[3] * 0.5
        find_label_issues(labels, pred_probs)
        caught = [w for w in recwarn if w.category is PredProbsNormalizationWarning]
        assert len(caught) == 1
        assert caught[0].filename == __file__
