"""Tests of cleanlab.multilabel_classification: rank, filter and dataset.

Expected values marked "spec" are the reference outputs quoted in the task
specification (tasks.md section 1); the others are derived in comments.
"""

import copy
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cleanlab
from cleanlab import count
from cleanlab import filter as core_filter
from cleanlab.internal.errors import InvalidOptionError
from cleanlab.internal.multilabel_utils import MultilabelFormatError
from cleanlab.multilabel_classification import dataset, rank
from cleanlab.multilabel_classification import filter as ml_filter

FILTER_BY = (
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
    "low_normalized_margin",
    "low_self_confidence",
)
RANK_BY = ("self_confidence", "normalized_margin", "confidence_weighted_entropy")


@pytest.fixture
def two():
    """Two examples, three classes (spec 1.2 worked example)."""
    return [[1], [0, 2]], np.array([[0.1, 0.9, 0.1], [0.4, 0.1, 0.9]])


@pytest.fixture
def seven():
    """Seven examples, five classes (spec 1.3 and 1.6 example)."""
    labels = [[0], [0, 1], [0, 1], [2], [0, 2, 3], [], []]
    pred_probs = np.array(
        [
            [0.9, 0.1, 0.0, 0.4, 0.1],
            [0.7, 0.8, 0.2, 0.3, 0.1],
            [0.9, 0.8, 0.4, 0.2, 0.1],
            [0.1, 0.1, 0.8, 0.3, 0.1],
            [0.4, 0.5, 0.1, 0.1, 0.1],
            [0.1, 0.1, 0.2, 0.1, 0.1],
            [0.8, 0.1, 0.2, 0.1, 0.1],
        ]
    )
    return labels, pred_probs


@pytest.fixture
def five():
    """Five examples, four classes (core spec 2.1.1 example)."""
    labels = [[0], [0, 1], [0, 1], [2], [0, 2, 3]]
    pred_probs = np.array(
        [
            [0.9, 0.1, 0.0, 0.4],
            [0.7, 0.8, 0.2, 0.3],
            [0.9, 0.8, 0.4, 0.2],
            [0.1, 0.1, 0.8, 0.3],
            [0.4, 0.5, 0.1, 0.1],
        ]
    )
    return labels, pred_probs


@pytest.fixture
def hundred():
    """100 examples, 5 classes: labels [i % 5]; 0.9 at class i % 5, or at
    (i % 5 + 2) % 5 for i > 90 (the nine planted issues), 0.1 elsewhere."""
    labels = [[i % 5] for i in range(100)]
    pred_probs = np.full((100, 5), 0.1)
    for i in range(100):
        pred_probs[i, (i % 5 + 2) % 5 if i > 90 else i % 5] = 0.9
    return labels, pred_probs


def _random_multilabel(seed, n=60, k=4, dtype=np.float64):
    """Noisy multi-label data: labels with 0-3 classes, pred_probs near them."""
    rng = np.random.default_rng(seed)
    onehot = rng.random((n, k)) < 0.35
    onehot[0, 0], onehot[1, 0] = True, False  # both values occur
    noisy = onehot ^ (rng.random((n, k)) < 0.08)
    logits = np.where(noisy, 2.0, -2.0) + rng.normal(size=(n, k))
    pred_probs = (1 / (1 + np.exp(-logits))).astype(dtype)
    labels = [np.flatnonzero(row).tolist() for row in onehot]
    return labels, pred_probs


# ---------------------------------------------------------------------------
# rank.get_label_quality_scores
# ---------------------------------------------------------------------------


class TestGetLabelQualityScores:
    @pytest.mark.parametrize(
        ("kwargs", "expected"),
        [
            ({}, [0.9, 0.5]),
            ({"method": "confidence_weighted_entropy"}, [0.80489895, 0.56694734]),
            ({"aggregator_kwargs": {"method": "softmin"}}, [0.9, 0.40664835]),
            (
                {"aggregator_kwargs": {"method": "softmin", "temperature": 1}},
                [0.9, 0.67406862],
            ),
            (
                {"aggregator_kwargs": {"method": "exponential_moving_average"}},
                [0.9, 0.65],
            ),
            ({"aggregator_kwargs": {"method": np.min}}, [0.9, 0.4]),
            ({"aggregator_kwargs": {}}, [0.9, 0.5]),
            ({"aggregator_kwargs": None}, [0.9, 0.5]),
            ({"adjust_pred_probs": True}, [0.66, 0.66]),
            ({"method": "NORMALIZED_MARGIN"}, [0.9, 0.5]),
        ],
    )
    def test_spec_worked_examples(self, two, kwargs, expected):
        """Spec 1.2: every aggregation and method on the two-example data."""
        scores = rank.get_label_quality_scores(*two, **kwargs)
        assert scores.dtype == np.float64
        np.testing.assert_allclose(scores, expected, rtol=1e-7)

    def test_reexported_from_package(self):
        from cleanlab.multilabel_classification import get_label_quality_scores

        assert get_label_quality_scores is rank.get_label_quality_scores
        assert cleanlab.multilabel_classification.rank is rank

    def test_float32_gives_float64(self, two):
        labels, pred_probs = two
        scores = rank.get_label_quality_scores(labels, pred_probs.astype(np.float32))
        assert scores.dtype == np.float64
        np.testing.assert_allclose(scores, [0.9, 0.5], rtol=1e-6)

    def test_aggregator_kwargs_not_modified(self, two):
        """The caller's dict (and the default) keep their 'method' key."""
        kwargs = {"method": "softmin", "temperature": 1}
        rank.get_label_quality_scores(*two, aggregator_kwargs=kwargs)
        assert kwargs == {"method": "softmin", "temperature": 1}
        rank.get_label_quality_scores(*two)
        np.testing.assert_allclose(rank.get_label_quality_scores(*two), [0.9, 0.5])

    def test_invalid_method(self, two):
        """Names are matched upper-cased; a hyphen is not an underscore."""
        with pytest.raises(ValueError, match="Invalid method name: self-confidence"):
            rank.get_label_quality_scores(*two, method="self-confidence")

    def test_invalid_aggregation_name(self, two):
        with pytest.raises(
            ValueError, match="Invalid aggregation method specified: 'mean'"
        ):
            rank.get_label_quality_scores(*two, aggregator_kwargs={"method": "mean"})

    def test_non_callable_aggregation(self, two):
        with pytest.raises(TypeError, match="Expected callable method, got"):
            rank.get_label_quality_scores(*two, aggregator_kwargs={"method": 3})

    def test_aggregator_kwargs_without_method(self, two):
        with pytest.raises(TypeError, match="missing 1 required positional argument"):
            rank.get_label_quality_scores(*two, aggregator_kwargs={"alpha": 0.5})

    def test_alpha_out_of_range(self, two):
        with pytest.raises(ValueError, match=r"alpha must be in the interval \[0, 1\]"):
            rank.get_label_quality_scores(
                *two,
                aggregator_kwargs={"method": "exponential_moving_average", "alpha": 2},
            )

    def test_adjusted_entropy_is_rejected(self, two):
        with pytest.raises(
            ValueError,
            match="adjust_pred_probs is not currently supported for "
            "ClassLabelScorer.CONFIDENCE_WEIGHTED_ENTROPY",
        ):
            rank.get_label_quality_scores(
                *two, method="confidence_weighted_entropy", adjust_pred_probs=True
            )

    @pytest.mark.parametrize("labels", [[[0, 1, 2], [0, 1, 2]], [[], []]])
    def test_same_classes_everywhere_is_not_multilabel(self, two, labels):
        """Spec 1.2 step 4: all classes everywhere, or none, cannot be scored."""
        with pytest.raises(ValueError, match="Labels must be in multi-label format"):
            rank.get_label_quality_scores(labels, two[1])

    def test_single_column_is_not_multilabel(self):
        with pytest.raises(ValueError, match="Labels must be in multi-label format"):
            rank.get_label_quality_scores([[0], []], np.array([[0.9], [0.2]]))


class TestGetLabelQualityScoresPerClass:
    def test_spec_example(self, seven):
        """Spec 1.3: the reference-test example."""
        expected = [
            [0.9, 0.9, 1.0, 0.6, 0.9],
            [0.7, 0.8, 0.8, 0.7, 0.9],
            [0.9, 0.8, 0.6, 0.8, 0.9],
            [0.9, 0.9, 0.8, 0.7, 0.9],
            [0.4, 0.5, 0.1, 0.1, 0.9],
            [0.9, 0.9, 0.8, 0.9, 0.9],
            [0.2, 0.9, 0.8, 0.9, 0.9],
        ]
        scores = rank.get_label_quality_scores_per_class(*seven)
        assert isinstance(scores, np.ndarray)
        assert scores.dtype == np.float64
        np.testing.assert_allclose(scores, expected)

    def test_adjusted(self, two):
        """Spec 1.2: class 0's thresholds are [0.9, 0.4] -> scores 0.6 and 0.6."""
        scores = rank.get_label_quality_scores_per_class(*two, adjust_pred_probs=True)
        np.testing.assert_allclose(scores, [[0.6, 0.9, 0.9], [0.6, 0.9, 0.9]])

    def test_every_class_everywhere_is_valid(self, two):
        """No strict check here: the scores are the probabilities of each class."""
        scores = rank.get_label_quality_scores_per_class([[0, 1, 2], [0, 1, 2]], two[1])
        np.testing.assert_allclose(scores, two[1])

    def test_no_class_anywhere_is_valid(self, two):
        """Every list empty: each score is the probability of "absent", 1 - p."""
        scores = rank.get_label_quality_scores_per_class([[], []], two[1])
        np.testing.assert_allclose(scores, 1 - two[1])

    def test_entropy_of_binary_rows(self, two):
        """Row [0.1, 0.9] given 0.9: H = 0.469 bits, r = H/0.9, s = ln(1+r)/r."""
        scores = rank.get_label_quality_scores_per_class(
            *two, method="confidence_weighted_entropy"
        )
        entropy = -(0.1 * np.log(0.1) + 0.9 * np.log(0.9)) / np.log(2)
        ratio = entropy / 0.9
        assert scores[0, 1] == pytest.approx(np.log(ratio + 1) / ratio)

    def test_invalid_method(self, two):
        with pytest.raises(ValueError, match="Invalid method name: margin"):
            rank.get_label_quality_scores_per_class(*two, method="margin")


# ---------------------------------------------------------------------------
# Input validation (shared by every public function)
# ---------------------------------------------------------------------------

PROBS = np.array([[0.1, 0.9, 0.1], [0.4, 0.1, 0.9]])
PUBLIC_FUNCTIONS = (
    rank.get_label_quality_scores,
    rank.get_label_quality_scores_per_class,
    ml_filter.find_label_issues,
    ml_filter.find_multilabel_issues_per_class,
    dataset.common_multilabel_issues,
    dataset.rank_classes_by_multilabel_quality,
    dataset.overall_multilabel_health_score,
    dataset.multilabel_health_summary,
)


@pytest.mark.parametrize("function", PUBLIC_FUNCTIONS)
class TestInputValidation:
    def test_class_index_too_large(self, function):
        with pytest.raises(
            ValueError,
            match=r"at least 4 columns.*`labels\[1\]` holds class 3, but "
            r"`pred_probs` has 3 columns",
        ):
            function([[1], [0, 3]], PROBS)

    @pytest.mark.parametrize("bad", [PROBS * 2, PROBS - 0.5])
    def test_probabilities_outside_unit_interval(self, function, bad):
        with pytest.raises(
            ValueError, match="Values in pred_probs must be between 0 and 1"
        ):
            function([[1], [0, 2]], bad)

    def test_nan_probabilities(self, function):
        bad = PROBS.copy()
        bad[1, 2] = np.nan
        with pytest.raises(ValueError, match=r"`pred_probs` contains NaN.*row 1"):
            function([[1], [0, 2]], bad)

    def test_one_hot_matrix(self, function):
        """A one-hot matrix is rejected with a pointer to onehot2int."""
        with pytest.raises(
            MultilabelFormatError, match=r"got a ndarray of shape \(2, 3\).*onehot2int"
        ) as info:
            function(np.array([[0, 1, 0], [1, 0, 1]]), PROBS)
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, ValueError)

    def test_tuple_of_lists(self, function):
        with pytest.raises(TypeError, match=r"`labels` must be a list.*got a tuple"):
            function(([1], [0, 2]), PROBS)

    def test_item_not_a_list(self, function):
        with pytest.raises(TypeError, match=r"`labels\[1\]` is a ndarray"):
            function([[1], np.array([0, 2])], PROBS)

    def test_non_integer_class(self, function):
        with pytest.raises(ValueError, match=r"integer class indices.*holds 1.5"):
            function([[1.5], [0, 2]], PROBS)

    def test_negative_class(self, function):
        with pytest.raises(ValueError, match=r"`labels\[0\]` holds -1"):
            function([[-1], [0, 2]], PROBS)

    def test_mismatched_length(self, function):
        with pytest.raises(
            ValueError,
            match="pred_probs and labels must have same length. `pred_probs` has "
            "2 rows but `labels` has 3",
        ):
            function([[1], [0, 2], [1]], PROBS)

    def test_pred_probs_not_array(self, function):
        with pytest.raises(TypeError, match="pred_probs must be a numpy array"):
            function([[1], [0, 2]], PROBS.tolist())

    def test_pred_probs_one_dimensional(self, function):
        with pytest.raises(ValueError, match="must have shape: num_examples x"):
            function([[1], [0]], np.array([0.1, 0.2]))


def test_per_class_format_error_keeps_reference_prefix():
    with pytest.raises(ValueError, match="^wrong format for labels, should be a list"):
        ml_filter.find_multilabel_issues_per_class(([1], [0, 2]), PROBS)


# ---------------------------------------------------------------------------
# filter.find_label_issues and find_multilabel_issues_per_class
# ---------------------------------------------------------------------------


class TestFindLabelIssues:
    @pytest.mark.parametrize("filter_by", FILTER_BY)
    def test_core_spec_example(self, five, filter_by):
        """Core spec 2.1.1: example 4 (class 2 given, p = 0.1) for every rule."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # too few examples
            mask = ml_filter.find_label_issues(*five, filter_by=filter_by)
            ranked = ml_filter.find_label_issues(
                *five, filter_by=filter_by, return_indices_ranked_by="self_confidence"
            )
        np.testing.assert_array_equal(mask, [False, False, False, False, True])
        assert ranked.dtype == np.int64
        np.testing.assert_array_equal(ranked, [4])

    def test_reference_test_facts(self, hundred):
        """Spec 1.4: the nine planted issues 91..99, found and ranked."""
        mask = ml_filter.find_label_issues(*hundred)
        np.testing.assert_array_equal(np.flatnonzero(mask), np.arange(91, 100))
        ranked = ml_filter.find_label_issues(
            *hundred, return_indices_ranked_by="self_confidence"
        )
        np.testing.assert_array_equal(ranked, np.arange(91, 100))

    def test_num_to_remove_per_class(self, hundred):
        """Spec 1.4: removal counts [1, 1, 0, 0, 2] flag [91, 94, 95, 99]."""
        mask = ml_filter.find_label_issues(
            *hundred, num_to_remove_per_class=[1, 1, 0, 0, 2]
        )
        np.testing.assert_array_equal(np.flatnonzero(mask), [91, 94, 95, 99])

    def test_min_examples_per_class(self, hundred):
        """Spec 1.4: 10 keeps all nine issues; 90 exceeds every class (warned)."""
        assert ml_filter.find_label_issues(*hundred, min_examples_per_class=10).sum()
        assert (
            ml_filter.find_label_issues(*hundred, min_examples_per_class=10).sum() == 9
        )
        with pytest.warns(UserWarning, match="May not flag all label issues in class"):
            mask = ml_filter.find_label_issues(*hundred, min_examples_per_class=90)
        assert mask.sum() == 0

    def test_class_in_every_example_is_valid(self):
        """FIX (Appendix B 7): class 0 in every example raises nothing; the
        obvious issue in class 1 (given, p = 0.05) is still found."""
        labels = [[0, 1]] * 6 + [[0]] * 6
        pred_probs = np.array([[0.9, 0.9]] * 5 + [[0.9, 0.05]] + [[0.9, 0.1]] * 6)
        mask = ml_filter.find_label_issues(labels, pred_probs)
        np.testing.assert_array_equal(np.flatnonzero(mask), [5])
        per_class = ml_filter.find_multilabel_issues_per_class(labels, pred_probs)
        assert not per_class[:, 0].any()

    def test_same_as_core_filter_multi_label(self):
        """The deprecated core path is the same implementation."""
        labels, pred_probs = _random_multilabel(3)
        with pytest.warns(DeprecationWarning, match="multilabel_classification"):
            core = core_filter.find_label_issues(
                labels, pred_probs, multi_label=True, filter_by="both"
            )
        ours = ml_filter.find_label_issues(labels, pred_probs, filter_by="both")
        np.testing.assert_array_equal(core, ours)

    @pytest.mark.parametrize(
        "filter_by", ["low_self_confidence", "low_normalized_margin"]
    )
    @pytest.mark.parametrize("rank_by", RANK_BY)
    def test_low_score_ranking_is_by_own_scores(self, filter_by, rank_by):
        """FIX (Appendix B 6): the ranked indices are sorted by their scores."""
        labels, pred_probs = _random_multilabel(5)
        ranked = ml_filter.find_label_issues(
            labels, pred_probs, filter_by=filter_by, return_indices_ranked_by=rank_by
        )
        scores = rank.get_label_quality_scores(labels, pred_probs, method=rank_by)
        assert len(ranked) > 3
        assert np.all(np.diff(scores[ranked]) >= 0)

    @pytest.mark.parametrize(
        ("filter_by", "method"),
        [
            ("low_self_confidence", "self_confidence"),
            ("low_normalized_margin", "normalized_margin"),
        ],
    )
    def test_low_score_mask(self, filter_by, method):
        """As many as confident learning flags, the lowest of the method's scores."""
        labels, pred_probs = _random_multilabel(6)
        mask = ml_filter.find_label_issues(labels, pred_probs, filter_by=filter_by)
        num = ml_filter.find_label_issues(
            labels, pred_probs, filter_by="confident_learning"
        ).sum()
        scores = rank.get_label_quality_scores(labels, pred_probs, method=method)
        assert mask.sum() == num
        assert scores[mask].max() <= scores[~mask].min()

    def test_ranked_by_adjusted_scores(self, hundred):
        ranked = ml_filter.find_label_issues(
            *hundred,
            return_indices_ranked_by="normalized_margin",
            rank_by_kwargs={"adjust_pred_probs": True},
        )
        np.testing.assert_array_equal(np.sort(ranked), np.arange(91, 100))

    def test_n_jobs_does_not_change_results(self):
        labels, pred_probs = _random_multilabel(7, n=80, k=6)
        one = ml_filter.find_label_issues(labels, pred_probs, n_jobs=1)
        two = ml_filter.find_label_issues(labels, pred_probs, n_jobs=2)
        np.testing.assert_array_equal(one, two)

    def test_given_confident_joint_is_used(self):
        """The computed calibrated joint gives the default result; a noiseless
        joint (no off-diagonal counts) prunes nothing."""
        labels, pred_probs = _random_multilabel(8)
        joint = count.compute_confident_joint(labels, pred_probs, multi_label=True)
        default = ml_filter.find_label_issues(labels, pred_probs)
        assert default.any()
        np.testing.assert_array_equal(
            ml_filter.find_label_issues(labels, pred_probs, confident_joint=joint),
            default,
        )
        noiseless = joint.copy()
        noiseless[:, 0, 1] = noiseless[:, 1, 0] = 0
        mask = ml_filter.find_label_issues(
            labels, pred_probs, confident_joint=noiseless
        )
        assert not mask.any()

    def test_old_format_confident_joint_is_ignored(self, hundred):
        with pytest.warns(UserWarning, match="old .K, K. multi-label format"):
            mask = ml_filter.find_label_issues(
                *hundred, confident_joint=np.eye(5, dtype=int)
            )
        assert mask.sum() == 9

    def test_wrong_confident_joint_shape(self, hundred):
        with pytest.raises(
            ValueError,
            match=r"confident_joint should be of shape \(num_classes, 2, 2\); got "
            r"shape \(5, 3, 2\)",
        ):
            ml_filter.find_label_issues(*hundred, confident_joint=np.ones((5, 3, 2)))

    def test_unknown_filter_by(self, hundred):
        with pytest.raises(InvalidOptionError, match="`filter_by` must be one of") as e:
            ml_filter.find_label_issues(*hundred, filter_by="prune")
        assert isinstance(e.value, AssertionError)

    def test_unknown_ranking(self, hundred):
        with pytest.raises(
            InvalidOptionError, match="`return_indices_ranked_by` must be one of"
        ):
            ml_filter.find_label_issues(*hundred, return_indices_ranked_by="margin")

    def test_ranking_needs_distinct_classes(self):
        with pytest.raises(ValueError, match="Labels must be in multi-label format"):
            ml_filter.find_label_issues(
                [[0, 1], [0, 1]],
                np.array([[0.9, 0.8], [0.2, 0.9]]),
                return_indices_ranked_by="self_confidence",
            )

    def test_num_to_remove_with_confident_learning(self, hundred):
        with (
            pytest.warns(UserWarning, match="only supported for filter_by"),
            pytest.raises(ValueError, match="is not supported \\(yet\\)"),
        ):
            ml_filter.find_label_issues(
                *hundred,
                filter_by="confident_learning",
                num_to_remove_per_class=[1] * 5,
            )

    def test_low_memory_warns_about_unused_options(self, hundred):
        with pytest.warns(UserWarning, match="`filter_by` is not used when"):
            mask = ml_filter.find_label_issues(
                *hundred, low_memory=True, filter_by="both"
            )
        np.testing.assert_array_equal(np.flatnonzero(mask), np.arange(91, 100))
        with pytest.warns(UserWarning, match="`rank_by_kwargs` is not used when"):
            ml_filter.find_label_issues(
                *hundred,
                low_memory=True,
                return_indices_ranked_by="self_confidence",
                rank_by_kwargs={"adjust_pred_probs": True},
            )

    def test_verbose_prints_count(self, hundred, capsys):
        ml_filter.find_label_issues(*hundred, verbose=True)
        assert "Number of label issues found: 9" in capsys.readouterr().out

    @pytest.mark.parametrize("dtype", [np.float32, np.float64])
    @pytest.mark.parametrize(
        "rank_by", [None, "normalized_margin", "confidence_weighted_entropy"]
    )
    def test_low_memory_is_batched_rule_per_class(self, dtype, rank_by):
        """`low_memory=True` gives, class by class, what the batched finder
        gives on that class's binary problem, which is the in-memory low_*
        filter's result there."""
        from cleanlab.internal.label_issues_batched import find_label_issues_batched
        from cleanlab.internal.multilabel_utils import int2onehot, stack_complement

        labels, pred_probs = _random_multilabel(11, n=3000, k=4, dtype=dtype)
        per_class = ml_filter.find_multilabel_issues_per_class(
            labels, pred_probs, low_memory=True, return_indices_ranked_by=rank_by
        )
        onehot = int2onehot(labels, 4)
        for k in range(4):
            if rank_by != "confidence_weighted_entropy":
                method = rank_by or "self_confidence"
                in_memory = core_filter.find_label_issues(
                    onehot[:, k],
                    stack_complement(pred_probs[:, k]),
                    filter_by=f"low_{method}",
                    return_indices_ranked_by=rank_by,
                )
                if rank_by is None:
                    np.testing.assert_array_equal(per_class[:, k], in_memory)
                else:
                    np.testing.assert_array_equal(per_class[0][k], in_memory)
            expected = find_label_issues_batched(
                onehot[:, k],
                stack_complement(pred_probs[:, k]),
                verbose=False,
                quality_score_kwargs={"method": rank_by} if rank_by else None,
                return_mask=True,
            )
            got = (
                per_class[:, k]
                if rank_by is None
                else np.isin(np.arange(3000), per_class[0][k])
            )
            np.testing.assert_array_equal(got, expected)

    def test_low_memory_per_class_ranking_ignores_rank_by_kwargs(self):
        """With `low_memory=True`, `rank_by_kwargs` is reported unused, and each
        class is ranked as the batched finder ranks it (no adjustment)."""
        from cleanlab.internal.label_issues_batched import find_label_issues_batched
        from cleanlab.internal.multilabel_utils import int2onehot, stack_complement

        labels, pred_probs = _random_multilabel(11, n=3000, k=4)
        with pytest.warns(UserWarning, match="`rank_by_kwargs` is not used when"):
            issues_list, _, _ = ml_filter.find_multilabel_issues_per_class(
                labels,
                pred_probs,
                low_memory=True,
                return_indices_ranked_by="self_confidence",
                rank_by_kwargs={"adjust_pred_probs": True},
            )
        onehot = int2onehot(labels, 4)
        for k in range(4):
            expected = find_label_issues_batched(
                onehot[:, k],
                stack_complement(pred_probs[:, k]),
                verbose=False,
                quality_score_kwargs={"method": "self_confidence"},
                return_mask=False,
            )
            np.testing.assert_array_equal(issues_list[k], expected)


class TestFindMultilabelIssuesPerClass:
    def test_mask_shape_and_columns(self, hundred):
        """Example 91 (class 1, predicted 3) is wrong in classes 1 and 3."""
        mask = ml_filter.find_multilabel_issues_per_class(*hundred)
        assert mask.shape == (100, 5)
        assert mask.dtype == bool
        np.testing.assert_array_equal(np.flatnonzero(mask[91]), [1, 3])
        np.testing.assert_array_equal(
            mask.any(axis=1), ml_filter.find_label_issues(*hundred)
        )

    def test_ranked_tuple(self, hundred):
        issues, labels_list, probs_list = ml_filter.find_multilabel_issues_per_class(
            *hundred, return_indices_ranked_by="self_confidence"
        )
        assert len(issues) == len(labels_list) == len(probs_list) == 5
        # Class 0: given at 95 (p = 0.1), absent at 93 and 98 (p = 0.9); all tie.
        np.testing.assert_array_equal(np.sort(issues[0]), [93, 95, 98])
        np.testing.assert_array_equal(labels_list[0][:6], [1, 0, 0, 0, 0, 1])
        assert labels_list[0].dtype == np.int64
        np.testing.assert_allclose(probs_list[0][:2], [[0.1, 0.9], [0.9, 0.1]])

    def test_ranked_by_binary_score(self):
        labels, pred_probs = _random_multilabel(9)
        issues, labels_list, probs_list = ml_filter.find_multilabel_issues_per_class(
            labels, pred_probs, return_indices_ranked_by="self_confidence"
        )
        for k, flagged in enumerate(issues):
            given = probs_list[k][flagged, labels_list[k][flagged]]
            assert np.all(np.diff(given) >= 0)


# ---------------------------------------------------------------------------
# dataset
# ---------------------------------------------------------------------------

NAMES = ["Apple", "Cat", "Dog", "Peach", "Bird"]
# Class 3 of the `seven` data has one example: pruning it is warned about.
TOO_FEW = pytest.mark.filterwarnings(
    "ignore::cleanlab.internal.errors.TooFewExamplesWarning"
)


@TOO_FEW
class TestCommonMultilabelIssues:
    def test_spec_example(self, seven):
        """Spec 1.6: Apple is missing from example 6 (p = 0.8) and Dog is wrongly
        given to example 4 (p = 0.1); ties keep class order (stable sort)."""
        table = dataset.common_multilabel_issues(*seven, class_names=NAMES)
        assert list(table.columns) == [
            "Class Name",
            "Class Index",
            "In Given Label",
            "In Suggested Label",
            "Num Examples",
            "Issue Probability",
        ]
        assert table["Class Name"].tolist() == [
            "Apple", "Dog", "Apple", "Cat", "Cat", "Dog",
            "Peach", "Peach", "Bird", "Bird",
        ]  # fmt: skip
        assert table["In Given Label"].tolist()[:4] == [False, True, True, True]
        assert (table["In Suggested Label"] == ~table["In Given Label"]).all()
        assert table["Num Examples"].tolist() == [1, 1] + [0] * 8
        np.testing.assert_allclose(table["Issue Probability"], [1 / 7] * 2 + [0] * 8)
        assert table["Class Index"].dtype == np.int64
        assert table["Num Examples"].dtype == np.int64
        assert table.index.tolist() == list(range(10))

    def test_without_class_names(self, seven):
        table = dataset.common_multilabel_issues(*seven)
        assert "Class Name" not in table.columns
        assert table["Class Index"].tolist()[:2] == [0, 2]

    def test_labels_required(self):
        with pytest.raises(ValueError, match="Error: num_examples is None"):
            dataset.common_multilabel_issues(pred_probs=PROBS)
        with pytest.raises(ValueError, match="`labels` is required"):
            dataset.common_multilabel_issues(
                pred_probs=PROBS, confident_joint=np.ones((3, 2, 2))
            )

    def test_class_names_length(self, seven):
        with pytest.raises(ValueError, match="one name per class: 5 .* got 2"):
            dataset.common_multilabel_issues(*seven, class_names=["a", "b"])


@TOO_FEW
class TestRankClassesByMultilabelQuality:
    def test_spec_example(self, seven):
        """Spec 1.7 (reference-test values)."""
        table = dataset.rank_classes_by_multilabel_quality(*seven, class_names=NAMES)
        assert list(table.columns) == [
            "Class Name",
            "Class Index",
            "Label Issues",
            "Inverse Label Issues",
            "Label Noise",
            "Inverse Label Noise",
            "Label Quality Score",
        ]
        assert table["Class Name"].tolist() == ["Dog", "Apple", "Cat", "Peach", "Bird"]
        assert table["Label Issues"].tolist() == [1, 0, 0, 0, 0]
        assert table["Inverse Label Issues"].tolist() == [0, 1, 0, 0, 0]
        np.testing.assert_allclose(table["Label Noise"], [1 / 7, 0, 0, 0, 0])
        np.testing.assert_allclose(table["Inverse Label Noise"], [0, 1 / 7, 0, 0, 0])
        np.testing.assert_allclose(table["Label Quality Score"], [6 / 7, 1, 1, 1, 1])
        assert table["Label Issues"].dtype == np.int64

    def test_counts_are_exact(self):
        """49 examples, one issue per class: 1/49 * 49 < 1 in floating point,
        which truncated to 0 in cleanlab 2.9; the count is exact here."""
        labels = [[i % 2] for i in range(49)]
        pred_probs = np.array([[0.9, 0.1], [0.1, 0.9]] * 24 + [[0.1, 0.9]])
        table = dataset.rank_classes_by_multilabel_quality(labels, pred_probs)
        assert table["Class Index"].tolist() == [0, 1]
        assert table["Label Issues"].tolist() == [1, 0]
        assert table["Inverse Label Issues"].tolist() == [0, 1]

    def test_confident_joint_is_forwarded(self):
        """FIX (Appendix B 8): a noiseless confident joint means no issues."""
        labels, pred_probs = _random_multilabel(10)
        joint = count.compute_confident_joint(labels, pred_probs, multi_label=True)
        joint[:, 0, 1] = joint[:, 1, 0] = 0
        default = dataset.rank_classes_by_multilabel_quality(labels, pred_probs)
        given = dataset.rank_classes_by_multilabel_quality(
            labels, pred_probs, confident_joint=joint
        )
        assert default["Label Issues"].sum() > 0
        assert given["Label Issues"].sum() == 0
        assert given["Inverse Label Issues"].sum() == 0

    def test_joint_is_not_used(self, seven):
        with pytest.warns(UserWarning, match="`joint` is not used"):
            table = dataset.rank_classes_by_multilabel_quality(
                *seven, joint=np.full((5, 2, 2), 0.25)
            )
        assert table["Label Issues"].tolist() == [1, 0, 0, 0, 0]


@TOO_FEW
class TestHealth:
    def test_overall_score(self, hundred):
        """Spec 1.8: nine issues among 100 examples."""
        score = dataset.overall_multilabel_health_score(*hundred)
        assert isinstance(score, np.float64)
        assert score == pytest.approx(0.91)

    def test_overall_needs_labels(self):
        with pytest.raises(ValueError, match="Error: num_examples is None"):
            dataset.overall_multilabel_health_score(None, PROBS)

    def test_summary(self, seven, capsys):
        summary = dataset.multilabel_health_summary(*seven, class_names=NAMES)
        assert list(summary) == [
            "overall_multilabel_health_score",
            "classes_by_multilabel_quality",
            "common_multilabel_issues",
        ]
        assert summary["overall_multilabel_health_score"] == pytest.approx(5 / 7)
        assert summary["classes_by_multilabel_quality"].equals(
            dataset.rank_classes_by_multilabel_quality(*seven, class_names=NAMES)
        )
        assert summary["common_multilabel_issues"].equals(
            dataset.common_multilabel_issues(*seven, class_names=NAMES)
        )
        out = capsys.readouterr().out
        assert "7 examples" in out
        assert "Dog" in out

    def test_summary_silent(self, seven, capsys):
        dataset.multilabel_health_summary(*seven, verbose=False)
        assert capsys.readouterr().out == ""

    def test_summary_needs_labels(self):
        with pytest.raises(ValueError, match="Error: num_examples is None"):
            dataset.multilabel_health_summary(pred_probs=PROBS)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@st.composite
def multilabel_data(draw):
    """(labels, pred_probs) with 2-25 examples and 2-5 classes, float32/64."""
    n = draw(st.integers(2, 25))
    k = draw(st.integers(2, 5))
    bits = draw(st.lists(st.booleans(), min_size=n * k, max_size=n * k))
    onehot = np.array(bits).reshape(n, k)
    probs = draw(
        st.lists(
            st.floats(0, 1, allow_nan=False, width=32), min_size=n * k, max_size=n * k
        )
    )
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    pred_probs = np.array(probs, dtype=dtype).reshape(n, k)
    labels = [np.flatnonzero(row).tolist() for row in onehot]
    return labels, pred_probs


PROPERTY_SETTINGS = settings(max_examples=40, deadline=None)


@PROPERTY_SETTINGS
@given(data=multilabel_data(), method=st.sampled_from(RANK_BY))
def test_scores_shape_range_and_inputs_unchanged(data, method):
    labels, pred_probs = data
    onehot = np.zeros(pred_probs.shape, dtype=bool)
    for i, row in enumerate(labels):
        onehot[i, row] = True
    assume(onehot.any() and not onehot.all())
    labels_before, probs_before = copy.deepcopy(labels), pred_probs.copy()
    scores = rank.get_label_quality_scores(labels, pred_probs, method=method)
    per_class = rank.get_label_quality_scores_per_class(
        labels, pred_probs, method=method
    )
    assert scores.shape == (len(labels),)
    assert per_class.shape == pred_probs.shape
    for values in (scores, per_class):
        assert values.dtype == np.float64
        assert np.all((values >= 0) & (values <= 1))
    assert labels == labels_before
    np.testing.assert_array_equal(pred_probs, probs_before)


@PROPERTY_SETTINGS
@given(
    data=multilabel_data(),
    filter_by=st.sampled_from(FILTER_BY),
    seed=st.integers(0, 2**16),
)
def test_class_permutation_invariance(data, filter_by, seed):
    """Relabelling the classes permutes the per-class results and leaves the
    per-example ones unchanged (the K problems are independent)."""
    labels, pred_probs = data
    k = pred_probs.shape[1]
    perm = np.random.default_rng(seed).permutation(k)  # new class j = old perm[j]
    inverse = np.argsort(perm)
    permuted_labels = [sorted(int(inverse[c]) for c in row) for row in labels]
    permuted_probs = pred_probs[:, perm]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        per_class = ml_filter.find_multilabel_issues_per_class(
            labels, pred_probs, filter_by=filter_by
        )
        permuted = ml_filter.find_multilabel_issues_per_class(
            permuted_labels, permuted_probs, filter_by=filter_by
        )
        np.testing.assert_array_equal(permuted, per_class[:, perm])
        mask = ml_filter.find_label_issues(labels, pred_probs, filter_by=filter_by)
        assert mask.shape == (len(labels),)
        if not filter_by.startswith("low_"):
            np.testing.assert_array_equal(mask, per_class.any(axis=1))
    scores = rank.get_label_quality_scores_per_class(labels, pred_probs)
    np.testing.assert_array_equal(
        rank.get_label_quality_scores_per_class(permuted_labels, permuted_probs),
        scores[:, perm],
    )


@PROPERTY_SETTINGS
@given(data=multilabel_data())
def test_issues_never_agree_with_prediction(data):
    """No class annotation is flagged where the given side is (within 1e-6) the
    more probable one."""
    labels, pred_probs = data
    onehot = np.zeros(pred_probs.shape, dtype=bool)
    for i, row in enumerate(labels):
        onehot[i, row] = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        per_class = ml_filter.find_multilabel_issues_per_class(labels, pred_probs)
    present = pred_probs.astype(np.float64)
    given_is_top = np.where(onehot, present > 0.5 + 1e-6, present < 0.5 - 1e-6)
    assert not (per_class & given_is_top).any()


def test_import_loads_neither_sklearn_nor_pandas():
    """pandas is imported by `dataset` only when a table is built."""
    import subprocess
    import sys

    code = (
        "import sys, cleanlab.multilabel_classification; "
        "print(' '.join(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = {name.split(".")[0] for name in result.stdout.split()}
    assert "sklearn" not in loaded
    assert "pandas" not in loaded
    assert "multilabel_classification" in cleanlab.SUBMODULES


@pytest.mark.parametrize(
    "call",
    [
        lambda y: count.get_confident_thresholds(y, PROBS, multi_label=True),
        lambda y: count.compute_confident_joint(y, PROBS, multi_label=True),
        lambda y: core_filter.find_predicted_neq_given(y, PROBS, multi_label=True),
    ],
)
def test_core_multi_label_paths_reject_one_hot(call):
    """cleanlab 2.9 raised TypeError or AssertionError here; the error is both,
    keeps 2.9's text and points to onehot2int."""
    with pytest.raises(
        MultilabelFormatError,
        match=r"^`labels` must be list when `multi_label=True`. .*onehot2int",
    ) as info:
        call(np.array([[0, 1, 0], [1, 0, 1]]))
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, AssertionError)
