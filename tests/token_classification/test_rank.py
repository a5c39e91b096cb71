"""Tests of cleanlab.token_classification.rank: token/sentence scores and issues.

Expected numbers are the worked examples of spec 3.2 and 3.3; the pooled scores
are also checked against a plain per-sentence loop written from the formulas.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanlab import rank as core_rank
from cleanlab.internal.errors import InvalidOptionError, PredProbsNormalizationWarning
from cleanlab.token_classification.rank import (
    _softmin_sentence_score,
    get_label_quality_scores,
    issues_from_scores,
)

TOKEN_METHODS = ("self_confidence", "normalized_margin", "confidence_weighted_entropy")
# Spec 3.3 data.
SENTENCE_SCORES = np.array([0.1, 0.3, 0.6, 0.2, 0.05, 0.9, 0.8, 0.0125, 0.5, 0.6])
TOKEN_SCORES = [
    [0.9, 0.6],
    [0, 0.8, 0.8],
    [0.8, 0.8],
    [0.1, 0.02, 0.3, 0.4],
    [0.1, 0.2, 0.03, 0.4],
    [0.1, 0.2, 0.3, 0.04],
    [0.1, 0.2, 0.4],
    [0.3, 0.4],
    [0.08, 0.2, 0.5, 0.4],
    [0.1, 0.2, 0.3, 0.4],
]


def _softmin_loop(scores, temperature):
    """Softmin of one sentence, straight from the spec formula (B3)."""
    scores = np.asarray(scores, dtype=np.float64)
    x = (1 - scores) / max(temperature, 1e-6)
    weights = np.exp(x - x.max())
    return float(np.dot(scores, weights / weights.sum()))


class TestGetLabelQualityScores:
    def test_spec_example_min(self, two_sentences):
        # Spec 3.2: token scores are P[i, y_i]; sentence score is their minimum.
        sentence_scores, token_info = get_label_quality_scores(*two_sentences)
        np.testing.assert_allclose(sentence_scores, [0.7, 0.2])
        np.testing.assert_allclose(token_info[0], [0.9, 0.7, 0.95])
        np.testing.assert_allclose(token_info[1], [0.8, 0.2])

    def test_spec_example_softmin(self, two_sentences):
        scores, _ = get_label_quality_scores(
            *two_sentences, sentence_score_method="softmin"
        )
        np.testing.assert_allclose(scores, [0.70521691, 0.20000369], rtol=1e-7)

    def test_spec_example_softmin_temperature_1(self, two_sentences):
        scores, _ = get_label_quality_scores(
            *two_sentences,
            sentence_score_method="softmin",
            sentence_score_kwargs={"temperature": 1},
        )
        np.testing.assert_allclose(scores, [0.83799499, 0.41260622], rtol=1e-7)

    def test_spec_example_confidence_weighted_entropy(self, two_sentences):
        scores, token_info = get_label_quality_scores(
            *two_sentences, token_score_method="confidence_weighted_entropy"
        )
        np.testing.assert_allclose(scores, [0.64727951, 0.42335237], rtol=1e-7)
        np.testing.assert_allclose(token_info[0], [0.804899, 0.647280, 0.874032], 1e-6)
        np.testing.assert_allclose(token_info[1], [0.712671, 0.423352], rtol=1e-6)

    def test_output_types(self, two_sentences):
        scores, token_info = get_label_quality_scores(*two_sentences)
        assert scores.dtype == np.float64
        assert scores.shape == (2,)
        assert all(isinstance(s, pd.Series) for s in token_info)
        assert all(s.dtype == np.float64 for s in token_info)
        assert token_info[0].index.tolist() == [0, 1, 2]

    def test_float32_input_gives_float64_output(self, two_sentences):
        labels, pred_probs = two_sentences
        pred_probs = [p.astype(np.float32) for p in pred_probs]
        scores, token_info = get_label_quality_scores(labels, pred_probs)
        assert scores.dtype == np.float64
        assert token_info[1].dtype == np.float64
        np.testing.assert_allclose(scores, [0.7, 0.2], rtol=1e-6)

    def test_tokens_index_the_series(self, two_sentences):
        tokens = [["A", "b", "c"], ["d", "A"]]
        _, token_info = get_label_quality_scores(*two_sentences, tokens=tokens)
        assert token_info[0].index.tolist() == ["A", "b", "c"]
        assert token_info[1].index.tolist() == ["d", "A"]

    def test_empty_tokens_list_means_no_tokens(self, two_sentences):
        _, token_info = get_label_quality_scores(*two_sentences, tokens=[])
        assert token_info[1].index.tolist() == [0, 1]

    @pytest.mark.parametrize("method", TOKEN_METHODS)
    def test_token_scores_match_core_scores(self, noisy_sentences, method):
        labels, pred_probs, flat_labels, flat_probs, _ = noisy_sentences
        expected = core_rank.get_label_quality_scores(
            flat_labels, flat_probs, method=method
        )
        _, token_info = get_label_quality_scores(
            labels, pred_probs, token_score_method=method
        )
        np.testing.assert_array_equal(np.concatenate(token_info), expected)

    @pytest.mark.parametrize("temperature", [0.05, 0.5, 3.0, 1e-9])
    def test_softmin_matches_per_sentence_loop(self, noisy_sentences, temperature):
        labels, pred_probs, *_ = noisy_sentences
        scores, token_info = get_label_quality_scores(
            labels,
            pred_probs,
            sentence_score_method="softmin",
            sentence_score_kwargs={"temperature": temperature},
        )
        expected = [_softmin_loop(s, temperature) for s in token_info]
        np.testing.assert_allclose(scores, expected, rtol=1e-12, atol=1e-15)

    def test_min_matches_per_sentence_loop(self, noisy_sentences):
        labels, pred_probs, *_ = noisy_sentences
        scores, token_info = get_label_quality_scores(labels, pred_probs)
        np.testing.assert_array_equal(scores, [s.min() for s in token_info])

    def test_inputs_unchanged(self, noisy_sentences):
        labels, pred_probs, *_ = noisy_sentences
        before = [p.copy() for p in pred_probs]
        get_label_quality_scores(labels, pred_probs, sentence_score_method="softmin")
        for after, original in zip(pred_probs, before, strict=True):
            np.testing.assert_array_equal(after, original)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    num_sentences=st.integers(1, 20),
    temperature=st.floats(1e-3, 10),
)
def test_sentence_scores_lie_between_min_and_mean(seed, num_sentences, temperature):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 9, size=num_sentences)
    labels = [rng.integers(0, 3, n).tolist() for n in lengths]
    pred_probs = [rng.dirichlet(np.ones(3), n) for n in lengths]
    minimum, token_info = get_label_quality_scores(labels, pred_probs)
    softmin, _ = get_label_quality_scores(
        labels,
        pred_probs,
        sentence_score_method="softmin",
        sentence_score_kwargs={"temperature": temperature},
    )
    mean = np.array([s.mean() for s in token_info])
    assert len(minimum) == len(softmin) == num_sentences
    assert [len(s) for s in token_info] == lengths.tolist()
    assert np.all(minimum <= softmin + 1e-12)
    assert np.all(softmin <= mean + 1e-12)
    assert np.all((minimum >= 0) & (softmin <= 1))


class TestSoftminSentenceScore:
    def test_spec_example(self):
        # Spec 3.2: the 0.0 token dominates sentence 1; a one-token sentence is itself.
        scores = _softmin_sentence_score([[0.9, 0.6], [0.0, 0.8, 0.8], [0.8]])
        np.testing.assert_allclose(scores, [6.00741787e-01, 1.80056239e-07, 0.8], 1e-7)

    def test_temperature_zero_is_min(self):
        scores = _softmin_sentence_score([[0.9, 0.6], [0.3, 0.8]], temperature=0)
        np.testing.assert_array_equal(scores, [0.6, 0.3])

    def test_temperature_inf_is_mean(self):
        scores = _softmin_sentence_score([[0.9, 0.6], [0.3, 0.8]], temperature=np.inf)
        np.testing.assert_allclose(scores, [0.75, 0.55])

    def test_accepts_arrays_and_series(self):
        lists = _softmin_sentence_score([[0.9, 0.6], [0.3]])
        arrays = _softmin_sentence_score([np.array([0.9, 0.6]), pd.Series([0.3])])
        np.testing.assert_array_equal(lists, arrays)

    def test_empty_sentence(self):
        with pytest.raises(ValueError, match=r"`token_scores\[1\]` is empty"):
            _softmin_sentence_score([[0.9], []])

    def test_nan_score(self):
        with pytest.raises(ValueError, match=r"`token_scores\[1\]\[0\]` is nan"):
            _softmin_sentence_score([[0.9], [np.nan]])

    @pytest.mark.parametrize("temperature", [-1, np.nan, "hot", True])
    def test_bad_temperature(self, temperature):
        with pytest.raises(ValueError, match="`temperature` must be a number >= 0"):
            _softmin_sentence_score([[0.9]], temperature=temperature)


class TestGetLabelQualityScoresErrors:
    def test_unknown_sentence_method(self, two_sentences):
        # Spec 3.2 step 1 quotes this message; cleanlab 2.9 raised AssertionError.
        with pytest.raises(InvalidOptionError, match="methods:\nmin\nsoftmin"):
            get_label_quality_scores(*two_sentences, sentence_score_method="max")

    def test_unknown_sentence_method_is_assertion_error(self, two_sentences):
        with pytest.raises(AssertionError, match="Select from the following"):
            get_label_quality_scores(*two_sentences, sentence_score_method="max")

    def test_unknown_token_method(self, two_sentences):
        with pytest.raises(ValueError, match="is not a valid scoring method"):
            get_label_quality_scores(*two_sentences, token_score_method="bad")

    def test_bad_temperature(self, two_sentences):
        with pytest.raises(ValueError, match="got -0.5"):
            get_label_quality_scores(
                *two_sentences,
                sentence_score_method="softmin",
                sentence_score_kwargs={"temperature": -0.5},
            )

    def test_kwargs_not_a_dict(self, two_sentences):
        with pytest.raises(TypeError, match="`sentence_score_kwargs` must be a dict"):
            get_label_quality_scores(*two_sentences, sentence_score_kwargs=0.1)

    def test_unused_kwargs_warn(self, two_sentences):
        with pytest.warns(UserWarning, match=r"keys \['alpha'\] are not used"):
            get_label_quality_scores(
                *two_sentences,
                sentence_score_method="softmin",
                sentence_score_kwargs={"alpha": 1},
            )

    def test_tokens_of_wrong_length(self, two_sentences):
        with pytest.raises(ValueError, match=r"`tokens\[1\]` has 3 tokens"):
            get_label_quality_scores(
                *two_sentences, tokens=[["a", "b", "c"], ["d", "e", "f"]]
            )

    def test_tokens_as_strings(self, two_sentences):
        with pytest.raises(TypeError, match=r"`tokens\[0\]` is a string"):
            get_label_quality_scores(*two_sentences, tokens=["abc", "de"])

    def test_wrong_number_of_token_sentences(self, two_sentences):
        with pytest.raises(ValueError, match="it has 1 sentences but `labels` has 2"):
            get_label_quality_scores(*two_sentences, tokens=[["a", "b", "c"]])

    def test_empty_sentence(self, two_sentences):
        labels, pred_probs = two_sentences
        with pytest.raises(ValueError, match="Sentence 0 is empty"):
            get_label_quality_scores([[], *labels], [np.zeros((0, 2)), *pred_probs])

    def test_length_mismatch(self, two_sentences):
        labels, pred_probs = two_sentences
        with pytest.raises(ValueError, match=r"Sentence 0 has 2 labels"):
            get_label_quality_scores([[0, 1], [0, 1]], pred_probs)

    def test_unnormalized_rows_warn_once(self, two_sentences, recwarn):
        labels, pred_probs = two_sentences
        pred_probs = [pred_probs[0], pred_probs[1] * 0.5]
        get_label_quality_scores(labels, pred_probs)
        caught = [w for w in recwarn if w.category is PredProbsNormalizationWarning]
        assert len(caught) == 1
        assert "first: sentence 1, token 0" in str(caught[0].message)


class TestIssuesFromScores:
    def test_spec_example_sentences(self):
        # Spec 3.3: scores below 0.1 are 0.0125 (index 7) and 0.05 (index 4).
        np.testing.assert_array_equal(issues_from_scores(SENTENCE_SCORES), [7, 4])

    def test_spec_example_threshold(self):
        result = issues_from_scores(SENTENCE_SCORES, threshold=0.5)
        np.testing.assert_array_equal(result, [7, 4, 0, 3, 1])
        assert result.dtype == np.int64

    def test_spec_example_tokens(self):
        # Spec 3.3: tokens below 0.1, by score: 0, .02, .03, .04, .08.
        result = issues_from_scores(SENTENCE_SCORES, token_scores=TOKEN_SCORES)
        assert result == [(1, 0), (3, 1), (4, 2), (5, 3), (8, 0)]

    def test_all_sentences_below_threshold(self):
        # FIX (Appendix B 9): cleanlab 2.9 raised IndexError; all are returned.
        result = issues_from_scores(SENTENCE_SCORES, threshold=1.0)
        np.testing.assert_array_equal(
            result, np.argsort(SENTENCE_SCORES, kind="stable")
        )
        assert len(result) == len(SENTENCE_SCORES)

    def test_no_sentence_below_threshold(self):
        result = issues_from_scores(SENTENCE_SCORES, threshold=0.0)
        assert result.shape == (0,)

    def test_ties_keep_sentence_order(self):
        result = issues_from_scores(np.array([0.5, 0.05, 0.05, 0.5, 0.05]))
        np.testing.assert_array_equal(result, [1, 2, 4])

    def test_token_ties_keep_order(self):
        result = issues_from_scores(None, token_scores=[[0.05, 0.5], [0.05, 0.01]])
        assert result == [(1, 1), (0, 0), (1, 0)]

    def test_threshold_is_strict(self):
        assert issues_from_scores(None, token_scores=[[0.1, 0.09]]) == [(0, 1)]

    def test_token_scores_from_series_and_empty_sentences(self, two_sentences):
        _, token_info = get_label_quality_scores(*two_sentences)
        token_info = [token_info[0], pd.Series([], dtype=float), token_info[1]]
        assert issues_from_scores(None, token_scores=token_info, threshold=0.75) == [
            (2, 1),
            (0, 1),
        ]

    def test_empty_token_scores_falls_back_to_sentences(self):
        result = issues_from_scores(SENTENCE_SCORES, token_scores=[])
        np.testing.assert_array_equal(result, [7, 4])

    def test_nan_sentence_score(self):
        with pytest.raises(ValueError, match=r"`sentence_scores\[1\]` is nan"):
            issues_from_scores(np.array([0.2, np.nan]))

    def test_two_dimensional_sentence_scores(self):
        with pytest.raises(ValueError, match=r"got shape \(1, 2\)"):
            issues_from_scores(np.array([[0.2, 0.1]]))

    def test_nan_token_score(self):
        with pytest.raises(ValueError, match=r"`token_scores\[0\]\[1\]` is nan"):
            issues_from_scores(None, token_scores=[[0.2, np.nan]])

    @pytest.mark.parametrize("threshold", [np.nan, "0.1", None])
    def test_bad_threshold(self, threshold):
        with pytest.raises(ValueError, match="`threshold` must be a number"):
            issues_from_scores(SENTENCE_SCORES, threshold=threshold)


@settings(max_examples=50, deadline=None)
@given(
    scores=st.lists(st.floats(0, 1), min_size=1, max_size=40),
    threshold=st.floats(0, 1.2),
)
def test_sentence_issues_are_exactly_those_below(scores, threshold):
    scores = np.array(scores)
    result = issues_from_scores(scores, threshold=threshold)
    assert set(result.tolist()) == set(np.flatnonzero(scores < threshold).tolist())
    assert np.all(np.diff(scores[result]) >= 0)
