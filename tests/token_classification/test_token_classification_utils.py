"""Tests of cleanlab.internal.token_classification_utils and internal.segments.

Expected values are the examples of spec 3.7; the segment reductions are checked
against plain per-segment loops.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cleanlab.internal.segments import (
    locate,
    segment_mean,
    segment_min,
    segment_softmin,
    segment_starts,
)
from cleanlab.internal.token_classification_utils import (
    RED,
    RESET,
    _replace_sentence,
    color_sentence,
    filter_sentence,
    flatten_sentences,
    get_sentence,
    mapping,
    mark_token,
    merge_probs,
    process_token,
)

# Words mixing letters, punctuation, apostrophes, brackets and spaces.
WORDS = st.lists(
    st.one_of(
        st.sampled_from(["-", "(", ")", ".", "'", "'s", "()", "", " ", "( ", "a b"]),
        st.text(alphabet="ab '(-.", max_size=4),
    ),
    max_size=8,
)


class TestGetSentence:
    @pytest.mark.parametrize(
        ("words", "sentence"),
        [
            # Spec 3.7 examples: no space before ")", "(" keeps its space.
            (["Some", "reason", "(", "Explanation", ")"], "Some reason (Explanation)"),
            (["Heading", "-", "Title"], "Heading - Title"),
            # "." and "()" are substrings of string.punctuation: no space.
            (["Hello", "world", "."], "Hello world."),
            (["f", "()"], "f()"),
            # " '" loses its space.
            (["John", "'s", "car"], "John's car"),
            ([], ""),
        ],
    )
    def test_examples(self, words, sentence):
        assert get_sentence(words) == sentence


class TestMarkToken:
    def test_marks_one_token(self):
        words = ["the", "cat", "saw", "the", "dog", "."]
        assert mark_token(words, 3) == "the cat saw [[the]] dog."

    def test_marks_punctuation_and_apostrophes(self):
        assert mark_token(["John", "'s", "car"], 1) == "John[['s]] car"
        assert mark_token(["a", "(", "b", ")"], 1) == "a [[(]]b)"
        assert mark_token(["a", "(", "b", ")"], 3) == "a (b[[)]]"

    def test_first_and_last(self):
        assert mark_token(["Hi", "there"], 0) == "[[Hi]] there"
        assert mark_token(["Hi", "there"], 1) == "Hi [[there]]"

    def test_token_without_visible_characters_is_not_marked(self):
        assert mark_token(["a", ""], 1) == "a"
        assert mark_token([" ", "a"], 0) == "a"
        assert mark_token(["a", " ", "b"], 1) == "a [[ ]] b"

    @settings(max_examples=200, deadline=None)
    @given(words=WORDS, index=st.integers(0, 8))
    def test_without_marker_equals_get_sentence(self, words, index):
        assert mark_token(words, index, ("", "")) == get_sentence(words)

    @settings(max_examples=100, deadline=None)
    @given(words=WORDS, index=st.integers(0, 7))
    def test_marker_wraps_the_word(self, words, index):
        assume(index < len(words) and words[index].strip())
        marked = mark_token(words, index, ("<", ">"))
        assert marked.replace("<", "", 1)[::-1].replace(">", "", 1)[::-1] == (
            get_sentence(words)
        )
        assert marked.count("<") == 1 + get_sentence(words).count("<")


class TestFilterSentence:
    def test_spec_example(self):
        # Spec 3.7: "#..." contains "#", "A" is too short.
        result = filter_sentence(["Hello World", "#I love Cleanlab", "A"])
        assert result == (["Hello World"], [True, False, False])

    def test_custom_condition(self):
        kept, mask = filter_sentence(["ab", "abc"], lambda s: len(s) > 2)
        assert kept == ["abc"]
        assert mask == [False, True]


class TestProcessToken:
    def test_spec_example_simultaneous(self):
        # Spec 3.7: C -> a and a -> C in one pass, not one after the other.
        assert process_token("Cleanlab", [("C", "a"), ("a", "C")]) == "aleCnlCb"

    def test_default_removes_hashes(self):
        assert process_token("##ing") == "ing"

    def test_regex_characters_are_literal(self):
        assert process_token("a.b*c", [(".", "-"), ("*", "+")]) == "a-b+c"

    def test_no_replacements(self):
        assert process_token("abc", []) == "abc"

    def test_empty_key(self):
        with pytest.raises(ValueError, match="`replace` keys must be non-empty"):
            process_token("abc", [("", "x")])


class TestMapping:
    def test_maps_each_entity(self):
        assert mapping([0, 2, 1, 2], {0: "O", 1: "PER", 2: "LOC"}) == [
            "O",
            "LOC",
            "PER",
            "LOC",
        ]


class TestMergeProbs:
    def test_merges_columns(self):
        probs = np.array([[0.1, 0.2, 0.3, 0.4]])
        # Columns 0 and 2 -> 0, columns 1 and 3 -> 1.
        np.testing.assert_allclose(merge_probs(probs, [0, 1, 0, 1]), [[0.4, 0.6]])

    def test_dropped_columns_renormalize(self):
        probs = np.array([[0.5, 0.25, 0.25], [0.2, 0.2, 0.6]])
        # Column 1 dropped: [0.5, 0.25] / 0.75 and [0.2, 0.6] / 0.8.
        result = merge_probs(probs, [0, -1, 1])
        np.testing.assert_allclose(result, [[2 / 3, 1 / 3], [0.25, 0.75]])

    def test_keeps_float32(self):
        probs = np.array([[0.5, 0.5]], dtype=np.float32)
        assert merge_probs(probs, [0, 0]).dtype == np.float32
        assert merge_probs(probs, [1, -1]).shape == (1, 2)

    def test_input_unchanged(self):
        probs = np.array([[0.5, 0.25, 0.25]])
        merge_probs(probs, [0, -1, 1])
        np.testing.assert_array_equal(probs, [[0.5, 0.25, 0.25]])

    def test_wrong_number_of_maps(self):
        with pytest.raises(ValueError, match="one entry per column of `probs`"):
            merge_probs(np.ones((2, 3)) / 3, [0, 1])

    def test_bad_map_value(self):
        with pytest.raises(ValueError, match="integer class indices or -1"):
            merge_probs(np.ones((1, 2)) / 2, [0, -2])

    def test_row_without_mass(self):
        with pytest.raises(ValueError, match="Row 1 of `probs` has no probability"):
            merge_probs(np.array([[0.5, 0.5], [0.0, 1.0]]), [0, -1])


class TestColorSentence:
    def test_whole_word_only(self):
        result = color_sentence("a cat in a catalog", "cat")
        assert result == f"a {RED}cat{RESET} in a catalog"

    def test_substring_when_no_whole_word(self):
        result = color_sentence("catalog", "cat")
        assert result == f"{RED}cat{RESET}alog"

    def test_every_occurrence(self):
        assert color_sentence("a b a", "a") == f"{RED}a{RESET} b {RED}a{RESET}"

    def test_replace_is_literal(self):
        assert _replace_sentence("x.y x", "x", r"\1") == r"\1.y \1"
        assert _replace_sentence("a+b", "+", "plus") == "aplusb"


class TestFlattenSentences:
    def test_flat_arrays_and_offsets(self, two_sentences):
        flat = flatten_sentences(*two_sentences)
        np.testing.assert_array_equal(flat.labels, [0, 0, 1, 0, 1])
        assert flat.labels.dtype == np.int64
        np.testing.assert_array_equal(flat.starts, [0, 3])
        np.testing.assert_array_equal(flat.lengths, [3, 2])
        assert flat.pred_probs.shape == (5, 2)
        assert flat.rows_sum_to_one

    def test_keeps_float32(self, two_sentences):
        labels, pred_probs = two_sentences
        flat = flatten_sentences(labels, [p.astype(np.float32) for p in pred_probs])
        assert flat.pred_probs.dtype == np.float32

    def test_bool_labels(self, two_sentences):
        _, pred_probs = two_sentences
        flat = flatten_sentences([[False, False, True], [False, True]], pred_probs)
        np.testing.assert_array_equal(flat.labels, [0, 0, 1, 0, 1])


class TestSegments:
    @pytest.fixture
    def segments(self):
        rng = np.random.default_rng(0)
        lengths = rng.integers(1, 10, size=200)
        values = rng.random(int(lengths.sum()))
        return values, lengths, segment_starts(lengths)

    def test_starts(self):
        np.testing.assert_array_equal(segment_starts(np.array([3, 1, 2])), [0, 3, 4])
        assert segment_starts(np.array([], dtype=np.int64)).shape == (0,)

    def test_min_and_mean_match_loops(self, segments):
        values, lengths, starts = segments
        pieces = np.split(values, starts[1:])
        np.testing.assert_array_equal(
            segment_min(values, starts), [p.min() for p in pieces]
        )
        np.testing.assert_allclose(
            segment_mean(values, starts, lengths), [p.mean() for p in pieces], 1e-14
        )

    def test_softmin_limits(self, segments):
        values, lengths, starts = segments
        np.testing.assert_array_equal(
            segment_softmin(values, starts, lengths, 0), segment_min(values, starts)
        )
        np.testing.assert_allclose(
            segment_softmin(values, starts, lengths, np.inf),
            segment_mean(values, starts, lengths),
        )

    def test_softmin_keeps_large_logits_finite(self):
        # (1 - 0) / 1e-6 = 1e6 would overflow exp() without the shift.
        values = np.array([0.0, 1.0, 0.5])
        result = segment_softmin(values, np.array([0]), np.array([3]), 1e-9)
        np.testing.assert_array_equal(result, [0.0])

    def test_locate_with_empty_segments(self):
        lengths = np.array([0, 2, 0, 0, 3, 0])
        starts = segment_starts(lengths)
        segment, position = locate(np.arange(5), starts)
        np.testing.assert_array_equal(segment, [1, 1, 4, 4, 4])
        np.testing.assert_array_equal(position, [0, 1, 0, 1, 2])
