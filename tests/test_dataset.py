"""Tests of cleanlab.dataset: class ranking, class overlap, health score, summary.

Reference agreement (checked by running cleanlab 2.9.0 as a black box, not from
these tests): on noisy random data (N=20000, K=50 float32 and float64; N=3000,
K=12 float32 with two missing classes; N=500, K=4; N=400, K=2) all four
functions give identical DataFrames (values, column order, dtypes, row order),
scores (value and type), joints and verbose output for the three input styles
(`labels` + `pred_probs` as array or list, `joint` + `num_examples`,
`confident_joint` with and without `num_examples`) and their mixtures, with and
without `class_names` and `asymmetric`; likewise on float32/float64 joints and
tie-heavy confident joints with class names given as list, array, Series, ints
and mixed objects. The only differences are the FIX cases of spec Appendix B
item 12 and the stricter input checks, tested below. The anchors in
`TestReferenceAnchors` are numbers the reference printed.
"""

import importlib.machinery
import sys
import types

import numpy as np
import pandas as pd
import pytest
from helpers import make_noisy
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanlab import count, dataset
from cleanlab.dataset import (
    find_overlapping_classes,
    health_summary,
    overall_label_health_score,
    rank_classes_by_label_quality,
)

CLASS_COLUMNS = [
    "Class Index",
    "Label Issues",
    "Inverse Label Issues",
    "Label Noise",
    "Inverse Label Noise",
    "Label Quality Score",
]
PAIR_COLUMNS = [
    "Class Index A",
    "Class Index B",
    "Num Overlapping Examples",
    "Joint Probability",
]
FUNCTIONS = [
    rank_classes_by_label_quality,
    find_overlapping_classes,
    overall_label_health_score,
    health_summary,
]


@pytest.fixture
def joint():
    """The 3 x 3 joint of spec 4.1 (sums to 1), used with num_examples=100."""
    return np.array([[0.3, 0.05, 0.02], [0.1, 0.25, 0.03], [0.04, 0.01, 0.2]])


@pytest.fixture
def toy_confident_joint(toy):
    """Calibrated confident joint of the toy data (spec 1.2), total 13."""
    labels, pred_probs = toy
    return count.compute_confident_joint(labels, pred_probs)


def _random_joint(num_classes: int, seed: int) -> np.ndarray:
    """A random K x K joint summing to 1, heavier on the diagonal."""
    rng = np.random.default_rng(seed)
    joint = rng.random((num_classes, num_classes)) + np.eye(num_classes)
    return joint / joint.sum()


def _quiet(function):
    """`function` with verbose=False where it prints."""
    if function in (overall_label_health_score, health_summary):
        return lambda *args, **kwargs: function(*args, verbose=False, **kwargs)
    return function


class TestRankClassesByLabelQuality:
    def test_toy_worked_example(self, toy):
        """Spec 4.1 table for the toy data, with class names a, b, c."""
        labels, pred_probs = toy
        got = rank_classes_by_label_quality(labels, pred_probs, class_names=list("abc"))
        # joint = calibrated cj [[4,1,1],[0,4,0],[0,0,3]] / 13, so class 0 has
        # 2 of its 6 examples elsewhere; classes 1 and 2 receive one each.
        expected = pd.DataFrame(
            {
                "Class Name": list("abc"),
                "Class Index": np.array([0, 1, 2]),
                "Label Issues": np.array([2, 0, 0]),
                "Inverse Label Issues": np.array([0, 1, 1]),
                "Label Noise": [1 / 3, 0.0, 0.0],
                "Inverse Label Noise": [0.0, 0.2, 0.25],
                "Label Quality Score": [2 / 3, 1.0, 1.0],
            }
        )
        pd.testing.assert_frame_equal(got, expected, rtol=1e-12)

    def test_joint_worked_example(self, joint):
        """Spec 4.1 joint example: rows class 1, 2, 0 with the spec's numbers."""
        got = rank_classes_by_label_quality(joint=joint, num_examples=100)
        assert got["Class Index"].tolist() == [1, 2, 0]
        assert got["Label Issues"].tolist() == [13, 5, 7]
        assert got["Inverse Label Issues"].tolist() == [6, 5, 14]
        # 0.13 / 0.38, 0.05 / 0.25, 0.07 / 0.37 and 0.06 / 0.31, 0.05 / 0.25, ...
        np.testing.assert_allclose(
            got["Label Noise"], [0.342105, 0.2, 0.189189], atol=1e-6
        )
        np.testing.assert_allclose(
            got["Inverse Label Noise"], [0.193548, 0.2, 0.318182], atol=1e-6
        )
        np.testing.assert_allclose(
            got["Label Quality Score"], [0.657895, 0.8, 0.810811], atol=1e-6
        )

    def test_columns_and_dtypes(self, joint):
        """Columns in the reference order; counts int64, shares float64."""
        got = rank_classes_by_label_quality(joint=joint, num_examples=100)
        assert got.columns.tolist() == CLASS_COLUMNS
        assert got.dtypes.tolist() == [np.int64] * 3 + [np.float64] * 3
        assert got.index.tolist() == [0, 1, 2]

    def test_class_name_is_first_column(self, joint):
        """`class_names` adds "Class Name" first, following each class when sorted."""
        got = rank_classes_by_label_quality(
            joint=joint, num_examples=100, class_names=["x", "y", "z"]
        )
        assert got.columns.tolist() == ["Class Name", *CLASS_COLUMNS]
        assert got["Class Name"].tolist() == ["y", "z", "x"]

    def test_float32_joint_keeps_float32(self, joint):
        """A float32 joint gives float32 share columns (as the reference does)."""
        got = rank_classes_by_label_quality(
            joint=joint.astype(np.float32), num_examples=100
        )
        assert got["Label Noise"].dtype == np.float32
        assert got["Label Issues"].dtype == np.int64

    def test_counts_round_half_to_even(self):
        """Counts use numpy rounding: 0.25 * 2 = 0.5 -> 0 and 0.25 * 6 = 1.5 -> 2."""
        uniform = np.full((2, 2), 0.25)
        two = rank_classes_by_label_quality(joint=uniform, num_examples=2)
        six = rank_classes_by_label_quality(joint=uniform, num_examples=6)
        assert two["Label Issues"].tolist() == [0, 0]
        assert six["Label Issues"].tolist() == [2, 2]

    def test_input_styles_agree(self, toy, toy_confident_joint):
        """labels+pred_probs, joint+num_examples and confident_joint give one table."""
        labels, pred_probs = toy
        from_probs = rank_classes_by_label_quality(labels, pred_probs)
        from_joint = rank_classes_by_label_quality(
            joint=count.estimate_joint(labels, pred_probs), num_examples=13
        )
        from_counts = rank_classes_by_label_quality(
            confident_joint=toy_confident_joint, num_examples=13
        )
        pd.testing.assert_frame_equal(from_probs, from_joint, check_exact=True)
        pd.testing.assert_frame_equal(from_probs, from_counts, check_exact=True)

    def test_confident_joint_without_num_examples(self, toy_confident_joint):
        """FIX (B.12): N defaults to the confident joint's total (13 here)."""
        got = rank_classes_by_label_quality(confident_joint=toy_confident_joint)
        expected = rank_classes_by_label_quality(
            confident_joint=toy_confident_joint, num_examples=13
        )
        pd.testing.assert_frame_equal(got, expected, check_exact=True)

    def test_labels_calibrate_confident_joint(self, toy):
        """With labels, a confident joint is calibrated and N is len(labels)."""
        labels, pred_probs = toy
        raw = count.compute_confident_joint(labels, pred_probs, calibrate=False)
        got = rank_classes_by_label_quality(labels, confident_joint=raw)
        expected = rank_classes_by_label_quality(
            joint=count.estimate_joint(labels, None, confident_joint=raw),
            num_examples=len(labels),
        )
        pd.testing.assert_frame_equal(got, expected, check_exact=True)

    @pytest.mark.parametrize("container", [list, np.array, pd.Series, pd.DataFrame])
    def test_label_containers(self, toy, container):
        """Lists, arrays, Series and one-column DataFrames give the same table."""
        labels, pred_probs = toy
        expected = rank_classes_by_label_quality(labels, pred_probs)
        got = rank_classes_by_label_quality(container(list(labels)), pred_probs)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)

    def test_missing_classes_have_no_noise(self, missing_class):
        """Classes without examples get zero issues and zero label noise."""
        labels, pred_probs = missing_class
        got = rank_classes_by_label_quality(labels, pred_probs).set_index("Class Index")
        assert got.loc[[1, 3], "Label Issues"].tolist() == [0, 0]
        assert got.loc[[1, 3], "Label Noise"].tolist() == [0.0, 0.0]

    def test_inputs_unchanged(self, toy, joint):
        """Neither the labels, pred_probs nor a joint passed in is modified."""
        labels, pred_probs = toy
        copies = labels.copy(), pred_probs.copy(), joint.copy()
        rank_classes_by_label_quality(labels, pred_probs)
        rank_classes_by_label_quality(joint=joint, num_examples=100)
        for original, copy in zip((labels, pred_probs, joint), copies, strict=True):
            np.testing.assert_array_equal(original, copy)

    def test_multi_label_raises(self, toy):
        """multi_label=True points to the multi-label module (reference text)."""
        labels, pred_probs = toy
        with pytest.raises(ValueError, match="instead call:  multilabel_classific"):
            rank_classes_by_label_quality(labels, pred_probs, multi_label=True)

    @settings(max_examples=40, deadline=None)
    @given(st.integers(2, 9), st.integers(0, 2**32 - 1))
    def test_one_sorted_row_per_class(self, num_classes, seed):
        """K rows, each class once, sorted by score, with noise shares in [0, 1]."""
        got = rank_classes_by_label_quality(
            joint=_random_joint(num_classes, seed), num_examples=1000
        )
        assert sorted(got["Class Index"]) == list(range(num_classes))
        assert got["Label Quality Score"].is_monotonic_increasing
        for column in ("Label Noise", "Inverse Label Noise", "Label Quality Score"):
            assert got[column].between(0, 1).all()
        np.testing.assert_allclose(
            got["Label Quality Score"], 1 - got["Label Noise"], rtol=0, atol=0
        )


class TestFindOverlappingClasses:
    def test_symmetric_worked_example(self, joint):
        """Spec 4.2: (0,1,15,.15), (0,2,6,.06), (1,2,4,.04)."""
        got = find_overlapping_classes(joint=joint, num_examples=100)
        assert got.columns.tolist() == PAIR_COLUMNS
        assert got.iloc[:, :3].values.tolist() == [[0, 1, 15], [0, 2, 6], [1, 2, 4]]
        np.testing.assert_allclose(got["Joint Probability"], [0.15, 0.06, 0.04])

    def test_asymmetric_worked_example(self, joint):
        """Spec 4.2: ordered pairs by joint[A, B], largest first."""
        got = find_overlapping_classes(joint=joint, num_examples=100, asymmetric=True)
        assert got.iloc[:, :3].values.tolist() == [
            [1, 0, 10],
            [0, 1, 5],
            [2, 0, 4],
            [1, 2, 3],
            [0, 2, 2],
            [2, 1, 1],
        ]
        np.testing.assert_allclose(
            got["Joint Probability"], [0.10, 0.05, 0.04, 0.03, 0.02, 0.01]
        )

    def test_dtypes(self, joint):
        """Indices and counts are int64, probabilities float64."""
        got = find_overlapping_classes(joint=joint, num_examples=100)
        assert got.dtypes.tolist() == [np.int64] * 3 + [np.float64]

    def test_toy_with_class_names(self, toy):
        """Toy data: a-b and a-c overlap by one example each (1/13), b-c by none."""
        labels, pred_probs = toy
        got = find_overlapping_classes(labels, pred_probs, class_names=list("abc"))
        assert got.columns.tolist() == ["Class Name A", "Class Name B", *PAIR_COLUMNS]
        assert got.iloc[:, :5].values.tolist() == [
            ["a", "b", 0, 1, 1],
            ["a", "c", 0, 2, 1],
            ["b", "c", 1, 2, 0],
        ]
        np.testing.assert_allclose(got["Joint Probability"], [1 / 13, 1 / 13, 0])

    def test_confident_joint_without_num_examples(self, toy_confident_joint):
        """A confident joint alone works; N is its total."""
        got = find_overlapping_classes(confident_joint=toy_confident_joint)
        assert got["Num Overlapping Examples"].tolist() == [1, 1, 0]

    @settings(max_examples=40, deadline=None)
    @given(st.integers(2, 9), st.integers(0, 2**32 - 1))
    def test_row_counts(self, num_classes, seed):
        """K(K-1)/2 unordered pairs, or K(K-1) ordered ones."""
        joint = _random_joint(num_classes, seed)
        pairs = find_overlapping_classes(joint=joint, num_examples=50)
        ordered = find_overlapping_classes(
            joint=joint, num_examples=50, asymmetric=True
        )
        assert len(pairs) == num_classes * (num_classes - 1) // 2
        assert len(ordered) == num_classes * (num_classes - 1)
        assert (pairs["Class Index A"] < pairs["Class Index B"]).all()

    @settings(max_examples=40, deadline=None)
    @given(st.integers(2, 9), st.integers(0, 2**32 - 1))
    def test_symmetric_is_sum_of_asymmetric_pairs(self, num_classes, seed):
        """Each unordered pair's probability is the sum of its two ordered ones."""
        joint = _random_joint(num_classes, seed)
        pairs = find_overlapping_classes(joint=joint, num_examples=50)
        ordered = find_overlapping_classes(
            joint=joint, num_examples=50, asymmetric=True
        ).set_index(["Class Index A", "Class Index B"])["Joint Probability"]
        for a, b, probability in zip(
            pairs["Class Index A"],
            pairs["Class Index B"],
            pairs["Joint Probability"],
            strict=True,
        ):
            assert probability == ordered[(a, b)] + ordered[(b, a)]
        assert pairs["Joint Probability"].is_monotonic_decreasing

    def test_multi_label_raises(self, toy):
        """multi_label=True points to common_multilabel_issues."""
        labels, pred_probs = toy
        with pytest.raises(ValueError, match=r"common_multilabel_issues\(\)"):
            find_overlapping_classes(labels, pred_probs, multi_label=True)


class TestOverallLabelHealthScore:
    def test_toy_worked_example(self, toy, capsys):
        """Spec 4.3: 11/13 = 0.846154, printed as 15% (2 of the 13) and 0.85."""
        labels, pred_probs = toy
        score = overall_label_health_score(labels, pred_probs)
        assert type(score) is np.float64
        assert score == 1 - 2 / 13
        assert capsys.readouterr().out == (
            " * Overall, about 15% (2 of the 13) labels in your dataset have "
            "potential issues.\n"
            " ** The overall label health score for this dataset is: 0.85.\n"
        )

    def test_joint_worked_example(self, joint, capsys):
        """Spec 4.3: trace of the 4.1 joint is 0.75; 25 of 100 examples."""
        score = overall_label_health_score(joint=joint, num_examples=100)
        assert type(score) is np.float64
        assert score == pytest.approx(0.75)
        assert "about 25% (25 of the 100) labels" in capsys.readouterr().out

    def test_thousands_separators(self, joint, capsys):
        """Counts are printed with thousands separators."""
        overall_label_health_score(joint=joint, num_examples=10_000_000)
        assert "(2,500,000 of the 10,000,000)" in capsys.readouterr().out

    def test_quiet(self, toy, capsys):
        """verbose=False prints nothing."""
        overall_label_health_score(*toy, verbose=False)
        assert capsys.readouterr().out == ""

    def test_counts_issues_from_labels_and_pred_probs(self):
        """With labels and pred_probs the score is 1 - num_label_issues / N."""
        labels, pred_probs, _ = make_noisy(n=1500, k=6, seed=3, noise=0.25)
        score = overall_label_health_score(labels, pred_probs, verbose=False)
        assert score == 1 - count.num_label_issues(labels, pred_probs) / 1500

    def test_confident_joint_gives_trace(self, toy_confident_joint):
        """From a confident joint alone the score is the trace of the normalized one."""
        score = overall_label_health_score(
            confident_joint=toy_confident_joint, verbose=False
        )
        assert score == np.trace(toy_confident_joint / 13)

    def test_confident_joint_ignored_with_probabilities(self, toy, toy_confident_joint):
        """With labels and pred_probs, a confident joint is ignored with a warning."""
        with pytest.warns(UserWarning, match="is ignored"):
            score = overall_label_health_score(
                *toy, confident_joint=toy_confident_joint, verbose=False
            )
        assert score == overall_label_health_score(*toy, verbose=False)

    def test_num_issues_round_half_to_even(self, capsys):
        """Issues implied by a joint round half to even: 0.5 * 1 -> 0."""
        overall_label_health_score(joint=np.full((2, 2), 0.25), num_examples=1)
        assert "(0 of the 1)" in capsys.readouterr().out

    @settings(max_examples=25, deadline=None)
    @given(st.integers(2, 6), st.floats(0, 1), st.integers(0, 2**32 - 1))
    def test_score_in_unit_interval(self, num_classes, noise, seed):
        """The score is a probability, from either formula."""
        labels, pred_probs, _ = make_noisy(n=200, k=num_classes, seed=seed, noise=noise)
        from_counts = overall_label_health_score(labels, pred_probs, verbose=False)
        from_joint = overall_label_health_score(
            joint=count.estimate_joint(labels, pred_probs),
            num_examples=200,
            verbose=False,
        )
        assert 0 <= from_counts <= 1
        assert 0 <= from_joint <= 1 + 1e-12  # trace of a float joint may round up

    def test_multi_label_raises(self, toy):
        """multi_label=True points to overall_multilabel_health_score."""
        with pytest.raises(ValueError, match=r"call: multilabel_classification"):
            overall_label_health_score(*toy, multi_label=True)


class TestHealthSummary:
    def test_parts_match_the_three_functions(self, toy):
        """The summary holds the joint, both tables and the score, unchanged."""
        labels, pred_probs = toy
        got = health_summary(labels, pred_probs, asymmetric=True, verbose=False)
        assert list(got) == [
            "overall_label_health_score",
            "joint",
            "classes_by_label_quality",
            "overlapping_classes",
        ]
        assert got["overall_label_health_score"] == overall_label_health_score(
            labels, pred_probs, verbose=False
        )
        np.testing.assert_array_equal(
            got["joint"], count.estimate_joint(labels, pred_probs)
        )
        pd.testing.assert_frame_equal(
            got["classes_by_label_quality"],
            rank_classes_by_label_quality(labels, pred_probs),
            check_exact=True,
        )
        pd.testing.assert_frame_equal(
            got["overlapping_classes"],
            find_overlapping_classes(labels, pred_probs, asymmetric=True),
            check_exact=True,
        )

    def test_verbose_output(self, toy, capsys):
        """Banner, both tables, the score and the sign-off, as the reference prints."""
        got = health_summary(*toy)
        classes = got["classes_by_label_quality"]
        overlaps = got["overlapping_classes"]
        assert capsys.readouterr().out == (
            "-------------------------------------------------------\n"
            "|  Generating a Cleanlab Dataset Health Summary       |\n"
            "|   for your dataset with 13 examples and 3 classes.  |\n"
            "|  Note, Cleanlab is not a medical doctor... yet.     |\n"
            "-------------------------------------------------------\n"
            "\n"
            "Overall Class Quality and Noise across your dataset (below)\n"
            + "-" * 60
            + " \n\n"
            + f"{classes!r}\n"
            "\n"
            "Class Overlap. In some cases, you may want to merge classes in the "
            "top rows (below)\n" + "-" * 83 + "\n\n" + f"{overlaps!r}\n"
            "\n"
            " * Overall, about 15% (2 of the 13) labels in your dataset have "
            "potential issues.\n"
            " ** The overall label health score for this dataset is: 0.85.\n"
            "\n"
            "Generated with <3 from Cleanlab.\n"
            "\n"
        )

    def test_banner_grows_with_numbers(self, capsys):
        """The box fits the example and class counts, with thousands separators."""
        labels, pred_probs, _ = make_noisy(n=20000, k=50, seed=1)
        health_summary(labels, pred_probs)
        banner = capsys.readouterr().out.splitlines()[:5]
        assert banner[2] == (
            "|   for your dataset with 20,000 examples and 50 classes.  |"
        )
        assert {len(line) for line in banner} == {len(banner[2])}
        assert banner[0] == "-" * len(banner[2])

    def test_quiet(self, toy, capsys):
        """verbose=False prints nothing."""
        health_summary(*toy, verbose=False)
        assert capsys.readouterr().out == ""

    def test_uses_ipython_display_when_importable(self, toy, monkeypatch, capsys):
        """With IPython importable, the two tables go through its `display`."""
        shown = []
        package = types.ModuleType("IPython")
        package.__spec__ = importlib.machinery.ModuleSpec("IPython", None)
        display_module = types.ModuleType("IPython.display")
        display_module.display = shown.append
        monkeypatch.setitem(sys.modules, "IPython", package)
        monkeypatch.setitem(sys.modules, "IPython.display", display_module)
        got = health_summary(*toy)
        assert len(shown) == 2
        assert shown[0] is got["classes_by_label_quality"]
        assert shown[1] is got["overlapping_classes"]
        assert "Class Index" not in capsys.readouterr().out

    def test_one_pass_over_pred_probs(self, toy, monkeypatch):
        """From labels and pred_probs the confident pass runs once, not twice."""
        calls = []
        original = dataset.confident_pass

        def counting_pass(*args, **kwargs):
            calls.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(dataset, "confident_pass", counting_pass)
        monkeypatch.setattr(count, "confident_pass", counting_pass)
        health_summary(*toy, verbose=False)
        assert len(calls) == 1

    def test_confident_joint_without_num_examples(self, toy_confident_joint):
        """FIX (B.12): N defaults to the confident joint's total."""
        got = health_summary(confident_joint=toy_confident_joint, verbose=False)
        expected = health_summary(
            confident_joint=toy_confident_joint, num_examples=13, verbose=False
        )
        assert (
            got["overall_label_health_score"]
            == (expected["overall_label_health_score"])
        )
        pd.testing.assert_frame_equal(
            got["classes_by_label_quality"], expected["classes_by_label_quality"]
        )

    def test_joint_and_num_examples(self, joint):
        """FIX (B.12): a joint with num_examples works; the score is its trace."""
        got = health_summary(joint=joint, num_examples=100, verbose=False)
        assert got["overall_label_health_score"] == np.trace(joint)
        assert got["joint"] is not None
        pd.testing.assert_frame_equal(
            got["overlapping_classes"],
            find_overlapping_classes(joint=joint, num_examples=100),
        )

    def test_confident_joint_ignored_with_probabilities(self, toy, toy_confident_joint):
        """The score ignores a confident joint given beside labels and pred_probs."""
        with pytest.warns(UserWarning, match="is ignored"):
            got = health_summary(
                *toy, confident_joint=toy_confident_joint, verbose=False
            )
        assert got["overall_label_health_score"] == 1 - 2 / 13

    def test_multi_label_raises(self, toy):
        """multi_label=True points to the multi-label health_summary."""
        with pytest.raises(ValueError, match="please call multilabel_classification"):
            health_summary(*toy, multi_label=True)


class TestReferenceAnchors:
    """Numbers printed by cleanlab 2.9.0 for make_noisy(20000, 50, noise=0.3)."""

    @pytest.fixture
    def summary(self):
        labels, pred_probs, _ = make_noisy(
            n=20000, k=50, seed=0, noise=0.3, dtype=np.float32
        )
        return health_summary(labels, pred_probs, verbose=False)

    def test_score(self, summary):
        """Reference health score 0.78025; trace of the joint 0.64725."""
        assert summary["overall_label_health_score"] == 0.78025
        assert np.trace(summary["joint"]) == pytest.approx(0.64725, abs=1e-12)

    def test_class_table(self, summary):
        """Reference worst classes, totals and first row."""
        classes = summary["classes_by_label_quality"]
        assert classes["Class Index"].head(8).tolist() == [5, 39, 25, 4, 44, 24, 32, 46]
        assert classes["Label Issues"].sum() == 7055
        assert classes["Inverse Label Issues"].sum() == 7055
        assert classes.iloc[0].tolist() == [
            5.0,
            164.0,
            148.0,
            0.41102756892230574,
            0.386422976501306,
            0.5889724310776943,
        ]

    def test_overlap_table(self, summary):
        """Reference top overlapping pairs and total."""
        pairs = summary["overlapping_classes"]
        assert len(pairs) == 1225
        assert pairs.iloc[:2, :3].values.tolist() == [[9, 45, 18], [17, 23, 16]]
        # Pairs tied at 15 come out in whatever order pandas' (unstable) default
        # sort gives, which changed between pandas 2 and 3; the reference makes
        # the same call, so only the tied set is version-independent.
        tied = pairs[pairs["Num Overlapping Examples"] == 15].iloc[:, :2]
        assert {(2, 3), (16, 41), (0, 27)} <= set(map(tuple, tied.values.tolist()))
        assert pairs["Num Overlapping Examples"].is_monotonic_decreasing
        assert pairs["Num Overlapping Examples"].sum() == 7055


class TestInputValidation:
    @pytest.mark.parametrize("function", FUNCTIONS)
    def test_nothing_given(self, function):
        """No input style at all names the three accepted ones."""
        with pytest.raises(ValueError, match="got none of them"):
            _quiet(function)()

    @pytest.mark.parametrize("function", FUNCTIONS)
    def test_labels_without_pred_probs(self, function, toy):
        """Labels alone are not enough, and the message says what arrived."""
        with pytest.raises(ValueError, match="got only `labels`"):
            _quiet(function)(toy[0])

    @pytest.mark.parametrize("function", FUNCTIONS)
    def test_pred_probs_without_labels(self, function, toy):
        """pred_probs alone are not enough."""
        with pytest.raises(ValueError, match="got only `pred_probs`"):
            _quiet(function)(pred_probs=toy[1])

    @pytest.mark.parametrize("function", FUNCTIONS)
    def test_joint_without_num_examples(self, function, joint):
        """A joint needs num_examples (reference message kept)."""
        with pytest.raises(ValueError, match="num_examples is None"):
            _quiet(function)(joint=joint)

    @pytest.mark.parametrize("function", FUNCTIONS)
    @pytest.mark.parametrize(
        ("bad_joint", "match"),
        [
            (np.full((2, 3), 1 / 6), "square"),
            (np.full(4, 0.25), "square"),
            (np.full((2, 2), 0.5), "sum to 1"),
            (np.array([[0.6, -0.1], [0.25, 0.25]]), "non-negative"),
            (np.array([[np.nan, 0.5], [0.25, 0.25]]), "finite"),
        ],
    )
    def test_bad_joint(self, function, bad_joint, match):
        """A joint must be a square matrix of probabilities summing to 1."""
        with pytest.raises(ValueError, match=match):
            _quiet(function)(joint=bad_joint, num_examples=10)

    def test_joint_of_strings(self):
        """A joint of non-numbers is a TypeError."""
        with pytest.raises(TypeError, match="`joint` must hold numbers"):
            rank_classes_by_label_quality(joint=[["a", "b"]], num_examples=10)

    def test_joint_as_list(self, joint):
        """A joint given as nested lists works like the array."""
        got = rank_classes_by_label_quality(joint=joint.tolist(), num_examples=100)
        expected = rank_classes_by_label_quality(joint=joint, num_examples=100)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)

    @pytest.mark.parametrize("function", FUNCTIONS)
    def test_empty_confident_joint(self, function):
        """A confident joint counting nothing gives no number of examples."""
        with pytest.raises(ValueError, match="counts no examples"):
            _quiet(function)(confident_joint=np.zeros((3, 3), dtype=int))

    def test_negative_confident_joint(self):
        """Confident joint counts cannot be negative."""
        with pytest.raises(ValueError, match="`confident_joint` must hold finite"):
            find_overlapping_classes(confident_joint=np.array([[3, -1], [0, 2]]))

    @pytest.mark.parametrize("function", FUNCTIONS)
    @pytest.mark.parametrize("num_examples", [0, -5, 2.5, float("nan")])
    def test_bad_num_examples_value(self, function, joint, num_examples):
        """num_examples must be a positive whole number."""
        with pytest.raises(ValueError, match="`num_examples` must be a positive"):
            _quiet(function)(joint=joint, num_examples=num_examples)

    @pytest.mark.parametrize("num_examples", ["100", True, [100]])
    def test_bad_num_examples_type(self, joint, num_examples):
        """num_examples of a non-number type is a TypeError."""
        with pytest.raises(TypeError, match="`num_examples` must be a positive"):
            rank_classes_by_label_quality(joint=joint, num_examples=num_examples)

    @pytest.mark.parametrize("num_examples", [np.int32(100), 100.0])
    def test_whole_num_examples_accepted(self, joint, num_examples):
        """NumPy integers and whole floats are accepted as num_examples."""
        got = rank_classes_by_label_quality(joint=joint, num_examples=num_examples)
        assert got["Label Issues"].tolist() == [13, 5, 7]

    @pytest.mark.parametrize(
        "function",
        [rank_classes_by_label_quality, find_overlapping_classes, health_summary],
    )
    @pytest.mark.parametrize("names", [["a", "b"], ["a", "b", "c", "d"]])
    def test_class_names_length(self, function, names, joint):
        """class_names must hold exactly one name per class."""
        with pytest.raises(ValueError, match="one name per class: 3 expected"):
            _quiet(function)(joint=joint, num_examples=100, class_names=names)

    def test_class_names_string(self, joint):
        """A single string is not a list of class names."""
        with pytest.raises(TypeError, match="`class_names` must be a list"):
            find_overlapping_classes(joint=joint, num_examples=100, class_names="abc")

    def test_labels_beyond_joint(self, joint):
        """Labels naming a class the joint does not have are rejected."""
        with pytest.raises(ValueError, match="holds class index 3, but `joint` has"):
            rank_classes_by_label_quality([0, 1, 3], joint=joint)

    def test_pred_probs_columns_differ_from_joint(self, toy, joint):
        """pred_probs with another number of classes than the joint is rejected."""
        labels, pred_probs = toy
        with pytest.raises(ValueError, match="`pred_probs` has 4 columns"):
            rank_classes_by_label_quality(
                labels, np.hstack([pred_probs, pred_probs[:, :1]]), joint=joint
            )

    def test_confident_joint_smaller_than_labels(self, toy):
        """A confident joint must cover every class in the labels."""
        with pytest.raises(ValueError, match="`confident_joint` has only 2 classes"):
            find_overlapping_classes(toy[0], confident_joint=np.eye(2, dtype=int))

    @pytest.mark.parametrize("function", FUNCTIONS)
    def test_labels_wrong_container(self, function, toy):
        """Labels must be a list, array, Series or DataFrame."""
        labels, pred_probs = toy
        with pytest.raises(TypeError, match="labels should be a numpy array"):
            _quiet(function)(tuple(labels), pred_probs)

    @pytest.mark.parametrize("function", FUNCTIONS)
    def test_pred_probs_as_list(self, function, toy):
        """pred_probs must be a numpy array (reference message)."""
        labels, pred_probs = toy
        with pytest.raises(TypeError, match="pred_probs must be a numpy array"):
            _quiet(function)(labels, pred_probs.tolist())

    @pytest.mark.parametrize("function", FUNCTIONS)
    def test_length_mismatch(self, function, toy):
        """labels and pred_probs must have the same length."""
        labels, pred_probs = toy
        with pytest.raises(ValueError, match="must have same length"):
            _quiet(function)(labels[:-1], pred_probs)

    @pytest.mark.parametrize("function", FUNCTIONS)
    def test_string_labels(self, function, joint):
        """Class names as labels are rejected (reference message)."""
        with pytest.raises(ValueError, match="Labels cannot be strings"):
            _quiet(function)(["a", "b", "c"], joint=joint)

    def test_one_class_summary(self):
        """health_summary needs two classes in labels, as num_label_issues does."""
        pred_probs = np.array([[0.9, 0.1], [0.8, 0.2]])
        with pytest.raises(ValueError, match="at least 2 classes"):
            health_summary([0, 0], pred_probs, verbose=False)
