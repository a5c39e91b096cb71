"""Tests of cleanlab.rank: label quality scores, ensembles and issue ordering.

Expected values are hand-checked worked examples of the spec (section 3), with
the arithmetic in a comment where it is short.

Bit-exactness against cleanlab 2.9.0 was verified outside this suite, by running
the reference as a black box (it is not needed here): on N=100,000, K=20 inputs in
float32 and float64, with exact ties, one-hot rows, rounded rows and, separately,
a class missing from the labels, `get_label_quality_scores` for the three methods
(and both adjustable ones with `adjust_pred_probs=True`),
`_subtract_confident_thresholds`, `get_normalized_entropy`,
`get_normalized_margin_for_each_label` and `order_label_issues` (every `rank_by`,
and adjusted) returned the same dtype and the same bits, except the one-hot rows
that FIX 10 changes; `get_label_quality_ensemble_scores` with 3 and 10 members
agreed bit for bit for every weighting scheme and method.
`TestChunkedKernels` pins the whole-array formulas that were compared.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.special import xlogy

from cleanlab import rank
from cleanlab.internal.errors import InvalidOptionError, PredProbsNormalizationWarning
from cleanlab.internal.label_quality_utils import _subtract_confident_thresholds

METHODS = ("self_confidence", "normalized_margin", "confidence_weighted_entropy")
# (method, adjust_pred_probs) pairs that are allowed.
SCORINGS = (
    ("self_confidence", False),
    ("self_confidence", True),
    ("normalized_margin", False),
    ("normalized_margin", True),
    ("confidence_weighted_entropy", False),
)
CONTAINERS = (list, np.array, pd.Series)


@pytest.fixture
def ensemble():
    """Spec 3.2 example: labels and the pred_probs of two models."""
    labels = np.array([0, 1, 1, 0, 2])
    p1 = np.array(
        [
            [0.9, 0.1, 0],
            [0.2, 0.8, 0],
            [0.6, 0.3, 0.1],
            [0.3, 0.6, 0.1],
            [0.1, 0.1, 0.8],
        ]
    )
    p2 = np.array(
        [
            [0.7, 0.2, 0.1],
            [0.1, 0.9, 0],
            [0.3, 0.3, 0.4],
            [0.5, 0.4, 0.1],
            [0.2, 0.2, 0.6],
        ]
    )
    return labels, p1, p2


def _random_problem(n=20_000, k=30, dtype=np.float32, seed=0):
    """Random pred_probs with ties and one-hot rows spanning several row chunks."""
    rng = np.random.default_rng(seed)
    pred_probs = rng.dirichlet(np.full(k, 0.3), n)
    quarters = np.maximum(np.round(pred_probs[::10] * 4), 0.5)  # ties
    pred_probs[::10] = quarters / quarters.sum(axis=1, keepdims=True)
    pred_probs[5::20] = np.eye(k)[rng.integers(0, k, len(pred_probs[5::20]))]
    labels = np.where(
        rng.random(n) < 0.8, pred_probs.argmax(axis=1), rng.integers(0, k, n)
    )
    return labels, pred_probs.astype(dtype)


class TestGetLabelQualityScores:
    # Spec 3.1, data of spec 1.2 (the `toy` fixture).
    EXPECTED = {
        ("self_confidence", False): [
            0.9, 0.8, 0.7, 0.6, 0.2, 0.1, 0.85, 0.7, 0.4, 0.55, 0.8, 0.7, 0.2,
        ],
        ("normalized_margin", False): [
            0.925, 0.825, 0.75, 0.65, 0.225, 0.15, 0.875, 0.75, 0.45, 0.625, 0.825,
            0.75, 0.35,
        ],
        ("confidence_weighted_entropy", False): [
            0.8415, 0.7587, 0.685, 0.631, 0.4532, 0.33, 0.7955, 0.685, 0.534, 0.5955,
            0.7587, 0.685, 0.3709,
        ],
        ("self_confidence", True): [
            0.8603, 0.7721, 0.6838, 0.5956, 0.2426, 0.1544, 0.75, 0.6176, 0.3529,
            0.4853, 0.7574, 0.6691, 0.2279,
        ],
        ("normalized_margin", True): [
            0.8824, 0.8199, 0.7537, 0.6654, 0.2904, 0.1985, 0.7978, 0.6875, 0.4228,
            0.5846, 0.8125, 0.7463, 0.3934,
        ],
    }  # fmt: skip

    @pytest.mark.parametrize(("method", "adjust"), SCORINGS)
    def test_worked_example(self, toy, method, adjust):
        """The spec's scores (given to 4 decimals) for every method."""
        labels, pred_probs = toy
        scores = rank.get_label_quality_scores(
            labels, pred_probs, method=method, adjust_pred_probs=adjust
        )
        np.testing.assert_allclose(scores, self.EXPECTED[method, adjust], atol=5e-5)

    def test_normalized_margin_exact(self, toy):
        """Row 0: (0.9 - 0.05 + 1) / 2 = 0.925, computed exactly as written."""
        labels, pred_probs = toy
        scores = rank.get_label_quality_scores(
            labels, pred_probs, method="normalized_margin"
        )
        assert scores[0] == (0.9 - 0.05 + 1) / 2

    def test_adjusted_self_confidence_exact(self):
        """Thresholds [0.5, 0.6]: rows p - t + 0.6 sum to 1.1, so [6, 8, 4] / 11."""
        labels = np.array([0, 1, 1])
        pred_probs = np.array([[0.5, 0.5], [0.2, 0.8], [0.6, 0.4]])
        scores = rank.get_label_quality_scores(
            labels, pred_probs, adjust_pred_probs=True
        )
        np.testing.assert_allclose(scores, np.array([6, 8, 4]) / 11, rtol=1e-15)

    @pytest.mark.parametrize("container", CONTAINERS)
    @pytest.mark.parametrize(("method", "adjust"), SCORINGS)
    def test_label_containers(self, toy, container, method, adjust):
        """Lists, arrays and Series of labels give the same scores (FIX 9)."""
        labels, pred_probs = toy
        expected = rank.get_label_quality_scores(
            labels, pred_probs, method=method, adjust_pred_probs=adjust
        )
        got = rank.get_label_quality_scores(
            container(labels.tolist()),
            pred_probs,
            method=method,
            adjust_pred_probs=adjust,
        )
        np.testing.assert_array_equal(got, expected)

    @pytest.mark.parametrize("dtype", [np.float32, np.float64])
    @pytest.mark.parametrize(("method", "adjust"), SCORINGS)
    def test_dtype(self, toy, dtype, method, adjust):
        """float32 stays float32, as in 2.9; the entropy score is always float64."""
        labels, pred_probs = toy
        scores = rank.get_label_quality_scores(
            labels, pred_probs.astype(dtype), method=method, adjust_pred_probs=adjust
        )
        expected = np.float64 if method == "confidence_weighted_entropy" else dtype
        assert scores.dtype == expected

    def test_missing_class_adjusted_is_float64(self, missing_class):
        """With an absent class the thresholds hold 2.0 (float64), as in 2.9."""
        labels, pred_probs = missing_class
        scores = rank.get_label_quality_scores(
            labels, pred_probs.astype(np.float32), adjust_pred_probs=True
        )
        assert scores.dtype == np.float64
        assert np.all((scores >= 0) & (scores <= 1))

    def test_one_class_allowed(self):
        """Labels holding a single class are fine."""
        pred_probs = np.array([[0.7, 0.3], [0.4, 0.6]])
        np.testing.assert_array_equal(
            rank.get_label_quality_scores([1, 1], pred_probs), [0.3, 0.6]
        )

    def test_integer_pred_probs(self):
        """Integer (one-hot) pred_probs give float scores."""
        scores = rank.get_label_quality_scores(
            [0, 1], np.array([[1, 0], [1, 0]]), method="normalized_margin"
        )
        assert scores.dtype == np.float64
        np.testing.assert_array_equal(scores, [1.0, 0.0])

    def test_invalid_method(self, toy):
        """An unknown method raises, with 2.9's text and the allowed names."""
        labels, pred_probs = toy
        with pytest.raises(
            ValueError, match="bogus is not a valid scoring method for rank_by!.*"
        ) as info:
            rank.get_label_quality_scores(labels, pred_probs, method="bogus")
        assert "normalized_margin" in str(info.value)

    def test_adjust_not_supported_for_entropy(self, toy):
        """adjust_pred_probs with confidence_weighted_entropy raises."""
        labels, pred_probs = toy
        with pytest.raises(ValueError, match="adjust_pred_probs is not currently"):
            rank.get_label_quality_scores(
                labels,
                pred_probs,
                method="confidence_weighted_entropy",
                adjust_pred_probs=True,
            )

    def test_nan_pred_probs(self, toy):
        """NaN in pred_probs raises instead of giving garbage."""
        labels, pred_probs = toy
        pred_probs = pred_probs.copy()
        pred_probs[3, 1] = np.nan
        with pytest.raises(ValueError, match="NaN or infinite values in 1 rows"):
            rank.get_label_quality_scores(labels, pred_probs)

    def test_label_out_of_range(self, toy):
        """A label without a pred_probs column raises."""
        labels, pred_probs = toy
        with pytest.raises(ValueError, match="must have at least 4 columns"):
            rank.get_label_quality_scores(np.append(labels[:-1], 3), pred_probs)

    def test_unnormalized_rows_warn(self, toy):
        """Rows not summing to 1 are scored as given, with a warning."""
        labels, pred_probs = toy
        bad = np.vstack([pred_probs[:-1], [0.5, 0.5, 0.5]])
        with pytest.warns(PredProbsNormalizationWarning, match="1 of 13 rows"):
            scores = rank.get_label_quality_scores(labels, bad)
        assert scores[-1] == 0.5


class TestComputeLabelQualityScores:
    def test_given_thresholds(self):
        """Given thresholds [0.5, 0.6] are used as-is: [6, 8, 4] / 11 (spec 3.1)."""
        scores = rank._compute_label_quality_scores(
            np.array([0, 1, 1]),
            np.array([[0.5, 0.5], [0.2, 0.8], [0.6, 0.4]]),
            adjust_pred_probs=True,
            confident_thresholds=np.array([0.5, 0.6]),
        )
        np.testing.assert_allclose(scores, np.array([6, 8, 4]) / 11, rtol=1e-15)

    @pytest.mark.parametrize("container", CONTAINERS)
    def test_label_containers(self, toy, container):
        """Lists and Series of labels work without validation too (FIX 9)."""
        labels, pred_probs = toy
        scores = rank._compute_label_quality_scores(
            container(labels.tolist()), pred_probs, method="normalized_margin"
        )
        assert scores[4] == (0.2 - 0.75 + 1) / 2  # row [.2, .75, .05], label 0

    def test_invalid_method(self, toy):
        """An unknown method raises here as well."""
        labels, pred_probs = toy
        with pytest.raises(ValueError, match="not a valid scoring method"):
            rank._compute_label_quality_scores(labels, pred_probs, method="margin")


class TestChunkedKernels:
    """Chunked, threaded kernels equal the whole-array formulas bit for bit."""

    @staticmethod
    def _margin(labels, probs):
        rows = np.arange(len(labels))
        given = probs[rows, labels]
        masked = probs.copy()
        masked[rows, labels] = -np.inf
        return (given - masked.max(axis=1) + 1) / 2

    @staticmethod
    def _adjusted(probs, thresholds):
        adjusted = probs - thresholds
        adjusted += thresholds.max()
        adjusted /= adjusted.sum(axis=1, keepdims=True)
        return adjusted

    @pytest.mark.parametrize("dtype", [np.float32, np.float64])
    def test_self_confidence_and_margin(self, dtype):
        """Self-confidence and margin, raw and adjusted, over 3 row chunks."""
        labels, probs = _random_problem(dtype=dtype)
        rows = np.arange(len(labels))
        thresholds = np.array(
            [probs[labels == k, k].mean() for k in range(probs.shape[1])]
        )
        adjusted = self._adjusted(probs, thresholds)
        expected = {
            ("self_confidence", False): probs[rows, labels],
            ("self_confidence", True): adjusted[rows, labels],
            ("normalized_margin", False): self._margin(labels, probs),
            ("normalized_margin", True): self._margin(labels, adjusted),
        }
        for (method, adjust), want in expected.items():
            got = rank.get_label_quality_scores(
                labels, probs, method=method, adjust_pred_probs=adjust
            )
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got, want)

    @pytest.mark.parametrize("dtype", [np.float32, np.float64])
    def test_confidence_weighted_entropy(self, dtype):
        """The entropy score: float32 sums divided by the float64 log(K)."""
        labels, probs = _random_problem(dtype=dtype)
        given = probs[np.arange(len(labels)), labels]
        entropy = -np.sum(xlogy(probs, probs), axis=1) / np.log(probs.shape[1])
        ratio = entropy / np.clip(given, 1e-6, None)
        want = np.log(ratio + 1) / np.clip(ratio, 1e-6, None)
        want[ratio == 0] = given[ratio == 0]  # FIX 10
        np.testing.assert_array_equal(rank.get_normalized_entropy(probs), entropy)
        got = rank.get_label_quality_scores(
            labels, probs, method="confidence_weighted_entropy"
        )
        np.testing.assert_array_equal(got, want)

    def test_subtract_confident_thresholds(self):
        """The adjusted matrix over several chunks equals the formula."""
        labels, probs = _random_problem(dtype=np.float32)
        thresholds = np.array(
            [probs[labels == k, k].mean() for k in range(probs.shape[1])]
        )
        got = _subtract_confident_thresholds(labels, probs)
        np.testing.assert_array_equal(got, self._adjusted(probs, thresholds))


class TestSubtractConfidentThresholds:
    SMALL = np.array([[0.5, 0.5], [0.2, 0.8], [0.6, 0.4]])
    # p - [0.5, 0.6] + 0.6, each row summing to 1.1.
    EXPECTED = np.array([[6, 5], [3, 8], [7, 4]]) / 11

    def test_given_thresholds(self):
        """Each row becomes p - t + max(t), divided by its sum."""
        got = _subtract_confident_thresholds(
            None, self.SMALL, confident_thresholds=np.array([0.5, 0.6])
        )
        np.testing.assert_allclose(got, self.EXPECTED, rtol=1e-15)

    def test_thresholds_from_labels(self):
        """Without thresholds they are the class means: [0.5, (0.8 + 0.4) / 2]."""
        got = _subtract_confident_thresholds([0, 1, 1], self.SMALL)
        np.testing.assert_allclose(got, self.EXPECTED, rtol=1e-15)

    def test_reexported_from_rank(self):
        """cleanlab.rank exposes the same function, as 2.9 does."""
        assert rank._subtract_confident_thresholds is _subtract_confident_thresholds

    def test_input_unchanged(self, toy):
        """The result is a new array; pred_probs is not modified."""
        labels, pred_probs = toy
        before = pred_probs.copy()
        got = _subtract_confident_thresholds(labels, pred_probs)
        np.testing.assert_array_equal(pred_probs, before)
        np.testing.assert_allclose(got.sum(axis=1), 1)
        assert np.all(got > 0)

    def test_float32_kept(self, toy):
        """float32 in, float32 out (every class present)."""
        labels, pred_probs = toy
        got = _subtract_confident_thresholds(labels, pred_probs.astype(np.float32))
        assert got.dtype == np.float32

    def test_no_labels_no_thresholds(self):
        """Neither labels nor thresholds raises, with 2.9's text."""
        with pytest.raises(ValueError, match="Cannot calculate confident_thresholds"):
            _subtract_confident_thresholds(None, self.SMALL)

    def test_multi_label_unsupported(self):
        """Multi-label thresholds cannot be subtracted from (N, K) pred_probs."""
        with pytest.raises(ValueError, match="multi_label=True. is not supported"):
            _subtract_confident_thresholds([[0], [1], [0, 1]], self.SMALL, True)

    def test_wrong_threshold_shape(self):
        """Thresholds need one entry per column."""
        with pytest.raises(ValueError, match=r"\(shape \(2,\)\); got shape \(3,\)"):
            _subtract_confident_thresholds(
                None, self.SMALL, confident_thresholds=[0.1, 0.2, 0.3]
            )


class TestGetNormalizedEntropy:
    def test_values(self):
        """Uniform row: 1; one-hot row: 0; [.5, .5, 0]: log(2) / log(3)."""
        got = rank.get_normalized_entropy(
            np.array([[1 / 3, 1 / 3, 1 / 3], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0]])
        )
        np.testing.assert_allclose(got, [1, 0, np.log(2) / np.log(3)], rtol=1e-15)

    def test_float32_gives_float64(self):
        """The float32 row sums are divided by a float64 log(K), as in 2.9."""
        got = rank.get_normalized_entropy(np.array([[0.5, 0.5]], dtype=np.float32))
        assert got.dtype == np.float64

    @pytest.mark.parametrize("bad", [-1e-9, 1.0000001])
    def test_out_of_range(self, bad):
        """Any entry outside [0, 1] raises, without tolerance."""
        with pytest.raises(
            ValueError, match=r"required to be in the interval \[0, 1\]"
        ):
            rank.get_normalized_entropy(np.array([[0.5, 0.5], [bad, 0.5]]))

    def test_min_allowed_prob_deprecated(self):
        """min_allowed_prob warns and clips: [.5, .5, .1] -> 0.84052008."""
        with pytest.warns(DeprecationWarning, match="min_allowed_prob"):
            got = rank.get_normalized_entropy(
                np.array([[0.5, 0.5, 0.0]]), min_allowed_prob=0.1
            )
        # -(2 * 0.5 * log(0.5) + 0.1 * log(0.1)) / log(3)
        np.testing.assert_allclose(got, [0.84052008], rtol=1e-8)

    def test_one_column(self):
        """A single class has no normalized entropy."""
        with pytest.raises(ValueError, match="needs at least 2 classes"):
            rank.get_normalized_entropy(np.ones((3, 1)))


class TestSelfConfidence:
    @pytest.mark.parametrize("container", CONTAINERS)
    def test_values(self, container):
        """The probability of the given label, for any label container."""
        got = rank.get_self_confidence_for_each_label(
            container([0, 1]), np.array([[0.5, 0.5], [0.2, 0.8]])
        )
        np.testing.assert_array_equal(got, [0.5, 0.8])

    def test_invalid_labels(self):
        """Negative labels raise instead of wrapping around."""
        with pytest.raises(ValueError, match="Labels must be positive integers"):
            rank.get_self_confidence_for_each_label(
                [0, -1], np.array([[0.5, 0.5], [0.2, 0.8]])
            )


class TestNormalizedMargin:
    @pytest.mark.parametrize("container", CONTAINERS)
    def test_spec_example(self, container):
        """Spec 3.6: labels [0, 1], P [[.5, .5], [.2, .8]] -> [0.5, 0.8]."""
        got = rank.get_normalized_margin_for_each_label(
            container([0, 1]), np.array([[0.5, 0.5], [0.2, 0.8]])
        )
        np.testing.assert_array_equal(got, [0.5, 0.8])

    def test_three_classes(self, ensemble):
        """Row [.3, .6, .1] with label 0: (0.3 - 0.6 + 1) / 2."""
        labels, p1, _ = ensemble
        got = rank.get_normalized_margin_for_each_label(labels, p1)
        assert got[3] == (0.3 - 0.6 + 1) / 2
        assert got[4] == (0.8 - 0.1 + 1) / 2

    def test_one_column(self):
        """A single class has no margin."""
        with pytest.raises(ValueError, match="needs at least 2 classes"):
            rank.get_normalized_margin_for_each_label([0, 0], np.ones((2, 1)))


class TestConfidenceWeightedEntropy:
    def test_spec_example(self, ensemble):
        """Spec 3.7: labels [0, 1, 1, 0, 2] with P1 (6 decimals)."""
        labels, p1, _ = ensemble
        got = rank.get_confidence_weighted_entropy_for_each_label(labels, p1)
        np.testing.assert_allclose(
            got, [0.864594, 0.791535, 0.482634, 0.482634, 0.751541], atol=5e-7
        )

    @pytest.mark.parametrize("container", CONTAINERS)
    def test_one_hot_rows(self, container):
        """One-hot on the given label scores 1.0, on another class 0.0 (FIX 10)."""
        pred_probs = np.array([[1, 0, 0], [0.999, 0.0005, 0.0005], [0, 1, 0]])
        got = rank.get_confidence_weighted_entropy_for_each_label(
            container([0, 1, 0]), pred_probs
        )
        np.testing.assert_allclose(got, [1.0, 0.179654, 0.0], atol=5e-7)
        assert got[0] == 1.0
        assert got[2] == 0.0

    def test_value_above_one(self):
        """An entry above 1 (within validation tolerance) still raises."""
        with pytest.raises(ValueError, match="required to be in the interval"):
            rank.get_confidence_weighted_entropy_for_each_label(
                [0, 1], np.array([[1.0000005, 0.0], [0.5, 0.5]])
            )

    def test_one_column(self):
        """A single class has no normalized entropy."""
        with pytest.raises(ValueError, match="needs at least 2 classes"):
            rank.get_confidence_weighted_entropy_for_each_label([0, 0], np.ones((2, 1)))


class TestGetLabelQualityEnsembleScores:
    @pytest.mark.parametrize(
        ("scheme", "custom_weights", "expected"),
        [
            ("uniform", None, [0.8, 0.85, 0.3, 0.4, 0.7]),
            # accuracies 0.6 and 0.8 -> weights 3/7 and 4/7
            ("accuracy", None, [0.785714, 0.857143, 0.3, 0.414286, 0.685714]),
            # weights 0.142795 and 0.857205
            ("log_loss_search", None, [0.728559, 0.88572, 0.3, 0.471441, 0.628559]),
            ("custom", np.array([0.3, 0.7]), [0.76, 0.87, 0.3, 0.44, 0.66]),
        ],
    )
    def test_spec_example(self, ensemble, scheme, custom_weights, expected):
        """The spec's scores for each weighting scheme (6 decimals)."""
        labels, p1, p2 = ensemble
        got = rank.get_label_quality_ensemble_scores(
            labels,
            [p1, p2],
            weight_ensemble_members_by=scheme,
            custom_weights=custom_weights,
            verbose=False,
        )
        np.testing.assert_allclose(got, expected, atol=5e-7)

    @pytest.mark.parametrize("container", CONTAINERS)
    def test_label_containers(self, ensemble, container):
        """List and Series labels work (2.9 fails on a list, FIX 9)."""
        labels, p1, p2 = ensemble
        got = rank.get_label_quality_ensemble_scores(
            container(labels.tolist()), [p1, p2], verbose=False
        )
        np.testing.assert_allclose(
            got, [0.785714, 0.857143, 0.3, 0.414286, 0.685714], atol=5e-7
        )

    def test_verbose_accuracy(self, ensemble, capsys):
        """Verbose output names the scheme, then each model's accuracy and weight."""
        labels, p1, p2 = ensemble
        rank.get_label_quality_ensemble_scores(labels, [p1, p2])
        assert capsys.readouterr().out == (
            "Weighting scheme for ensemble: accuracy\n"
            "Ensemble members will be weighted by their relative accuracy\n"
            "  Model 0 accuracy : 0.6\n"
            "  Model 0 weight   : 0.4285714285714286\n"
            "  Model 1 accuracy : 0.8\n"
            "  Model 1 weight   : 0.5714285714285715\n"
        )

    def test_verbose_log_loss_search(self, ensemble, capsys):
        """Verbose output of the log-loss search: each model's weight."""
        labels, p1, p2 = ensemble
        rank.get_label_quality_ensemble_scores(
            labels, [p1, p2], weight_ensemble_members_by="log_loss_search"
        )
        assert capsys.readouterr().out == (
            "Weighting scheme for ensemble: log_loss_search\n"
            "Ensemble members will be weighted by log-loss between their predicted "
            "probabilities and given labels\n"
            "  Model 0 weight   : 0.14279547584314325\n"
            "  Model 1 weight   : 0.8572045241568567\n"
        )

    def test_quiet(self, ensemble, capsys):
        """verbose=False prints nothing."""
        labels, p1, p2 = ensemble
        rank.get_label_quality_ensemble_scores(labels, [p1, p2], verbose=False)
        assert capsys.readouterr().out == ""

    def test_weights_added_in_order(self):
        """With 13 members the accuracy weights are normalized by a sequential sum."""
        rng = np.random.default_rng(1)
        labels = np.arange(37) % 2
        members = [rng.dirichlet(np.ones(2), 37) for _ in range(13)]
        accuracy = np.array([np.mean(m.argmax(axis=1) == labels) for m in members])
        total = 0.0
        for value in accuracy:
            total += value
        scores = np.array([m[np.arange(37), labels] for m in members])
        expected = (scores * (accuracy / total)[:, None]).sum(axis=0)
        got = rank.get_label_quality_ensemble_scores(labels, members, verbose=False)
        np.testing.assert_array_equal(got, expected)

    def test_not_a_list(self, ensemble):
        """A tuple raises an error that is a ValueError and an AssertionError."""
        labels, p1, p2 = ensemble
        with pytest.raises(
            InvalidOptionError, match="pred_probs_list needs to be a list"
        ):
            rank.get_label_quality_ensemble_scores(labels, (p1, p2))
        with pytest.raises(AssertionError, match="Provided pred_probs_list is a"):
            rank.get_label_quality_ensemble_scores(labels, (p1, p2))

    def test_empty_list(self, ensemble):
        """An empty list raises."""
        labels, _, _ = ensemble
        with pytest.raises(ValueError, match="pred_probs_list is empty"):
            rank.get_label_quality_ensemble_scores(labels, [])

    def test_single_member_warns(self, ensemble):
        """One member works, with a warning pointing at get_label_quality_scores."""
        labels, p1, _ = ensemble
        with pytest.warns(UserWarning, match="pred_probs_list only has one element"):
            got = rank.get_label_quality_ensemble_scores(labels, [p1], verbose=False)
        np.testing.assert_array_equal(got, rank.get_label_quality_scores(labels, p1))

    def test_custom_weights_without_custom(self, ensemble):
        """custom_weights with another scheme raises."""
        labels, p1, p2 = ensemble
        with pytest.raises(ValueError, match="custom_weights provided but"):
            rank.get_label_quality_ensemble_scores(
                labels, [p1, p2], custom_weights=np.array([0.5, 0.5])
            )

    def test_custom_without_weights(self, ensemble):
        """The custom scheme without weights raises (an AssertionError in 2.9)."""
        labels, p1, p2 = ensemble
        with pytest.raises(AssertionError, match="custom_weights is None!"):
            rank.get_label_quality_ensemble_scores(
                labels, [p1, p2], weight_ensemble_members_by="custom"
            )

    @pytest.mark.parametrize("weights", [[1.0], [[0.3], [0.7]], [0.2, 0.3, 0.5]])
    def test_custom_weights_shape(self, ensemble, weights):
        """Custom weights need exactly one entry per member."""
        labels, p1, p2 = ensemble
        with pytest.raises(ValueError, match="Length of custom_weights array must"):
            rank.get_label_quality_ensemble_scores(
                labels,
                [p1, p2],
                weight_ensemble_members_by="custom",
                custom_weights=weights,
            )

    def test_unknown_scheme(self, ensemble):
        """An unknown scheme raises with 2.9's text and the allowed names."""
        labels, p1, p2 = ensemble
        with pytest.raises(
            ValueError,
            match="bogus is not a valid weighting method for weight_ensemble_members_",
        ) as info:
            rank.get_label_quality_ensemble_scores(
                labels, [p1, p2], weight_ensemble_members_by="bogus"
            )
        assert "log_loss_search" in str(info.value)

    def test_invalid_method(self, ensemble):
        """An unknown scoring method raises."""
        labels, p1, p2 = ensemble
        with pytest.raises(ValueError, match="bad is not a valid scoring method"):
            rank.get_label_quality_ensemble_scores(labels, [p1, p2], method="bad")

    def test_empty_temperatures(self, ensemble):
        """The log-loss search needs at least one temperature."""
        labels, p1, p2 = ensemble
        with pytest.raises(ValueError, match="log_loss_search_T_values. is empty"):
            rank.get_label_quality_ensemble_scores(
                labels,
                [p1, p2],
                weight_ensemble_members_by="log_loss_search",
                log_loss_search_T_values=[],
            )

    def test_member_shapes_differ(self, ensemble):
        """Members with different numbers of classes are scored one by one."""
        labels, p1, _ = ensemble
        wider = np.hstack([p1 * 0.5, np.full((5, 1), 0.5)])  # accuracy 0
        got = rank.get_label_quality_ensemble_scores(labels, [p1, wider], verbose=False)
        np.testing.assert_array_equal(got, [0.9, 0.8, 0.3, 0.3, 0.8])

    def test_member_shapes_differ_log_loss_search(self, ensemble):
        """The log-loss search averages the members, so their shapes must agree."""
        labels, p1, _ = ensemble
        wider = np.hstack([p1 * 0.5, np.full((5, 1), 0.5)])
        with pytest.raises(ValueError, match="must have the same shape"):
            rank.get_label_quality_ensemble_scores(
                labels, [p1, wider], weight_ensemble_members_by="log_loss_search"
            )

    def test_invalid_member(self, ensemble):
        """Every member is validated."""
        labels, p1, _ = ensemble
        with pytest.raises(ValueError, match="must be between 0 and 1"):
            rank.get_label_quality_ensemble_scores(labels, [p1, p1 * 2])

    def test_log_loss_search_missing_class(self, ensemble):
        """A class absent from labels works (2.9's log loss raises here)."""
        _, p1, p2 = ensemble
        got = rank.get_label_quality_ensemble_scores(
            [0, 1, 1, 0, 1],
            [p1, p2],
            weight_ensemble_members_by="log_loss_search",
            verbose=False,
        )
        assert np.all((got >= 0) & (got <= 1))

    def test_log_loss_search_underflow(self):
        """Poor members whose weights underflow still get weights (2.9: NaN error)."""
        labels = np.array([0, 1, 1, 0, 2])
        worse = np.eye(3)[[1, 0, 2, 1, 0]]
        better = np.eye(3)[[0, 0, 2, 1, 0]] * 0.98 + 0.02 / 3
        got = rank.get_label_quality_ensemble_scores(
            labels,
            [worse, better],
            weight_ensemble_members_by="log_loss_search",
            log_loss_search_T_values=[200.0],
            verbose=False,
        )
        # exp(-200 * (loss_worse - loss_better)) is 0 in float64
        np.testing.assert_allclose(
            got, rank.get_label_quality_scores(labels, better), rtol=1e-12
        )

    def test_zero_accuracy_warns(self):
        """Members all of accuracy 0 are weighted equally, with a warning."""
        labels = np.array([0, 1])
        members = [
            np.array([[0.0, 1.0], [1.0, 0.0]]),
            np.array([[0.2, 0.8], [0.9, 0.1]]),
        ]
        with pytest.warns(UserWarning, match="accuracy 0"):
            got = rank.get_label_quality_ensemble_scores(labels, members, verbose=False)
        np.testing.assert_allclose(got, [0.1, 0.05])


class TestFindTopIssues:
    SCORES = np.array([0.5, 0.1, 0.3, 0.1, 0.9])

    @pytest.mark.parametrize(
        ("top", "expected"),
        [(3, [1, 3, 2]), (None, [1, 3, 2, 0, 4]), (99, [1, 3, 2, 0, 4]), (0, [])],
    )
    def test_values(self, top, expected):
        """argsort of the scores, cut at `top` (spec 3.3)."""
        got = rank.find_top_issues(self.SCORES, top=top)
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, expected)

    def test_default_top(self):
        """At most 10 indices by default."""
        assert len(rank.find_top_issues(np.linspace(1, 0, 30))) == 10

    def test_negative_top(self):
        """A negative `top` raises (2.9 silently drops the last entries)."""
        with pytest.raises(ValueError, match="`top` must be at least 0"):
            rank.find_top_issues(self.SCORES, top=-2)

    def test_float_top(self):
        """A non-integer `top` raises."""
        with pytest.raises(TypeError, match="`top` must be an integer"):
            rank.find_top_issues(self.SCORES, top=2.5)

    def test_two_dimensional(self):
        """Scores must be 1-D."""
        with pytest.raises(ValueError, match="must be 1-D"):
            rank.find_top_issues(np.ones((2, 2)))

    def test_nan_scores(self):
        """NaN scores raise instead of being ranked last (argsort's NaN order)."""
        with pytest.raises(ValueError, match=r"contains NaN \(first at index 1\)"):
            rank.find_top_issues(np.array([0.1, np.nan, 0.3]), top=2)


class TestOrderLabelIssues:
    MASK = np.array([True, False, True, True, False])

    def test_spec_example(self, ensemble):
        """Spec 3.4: flagged [0, 2, 3] ordered by self-confidence -> [2, 3, 0]."""
        labels, p1, _ = ensemble
        got = rank.order_label_issues(self.MASK, labels, p1)
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, [2, 3, 0])

    def test_adjusted(self, ensemble):
        """With adjust_pred_probs the order becomes [3, 2, 0]."""
        labels, p1, _ = ensemble
        got = rank.order_label_issues(
            self.MASK, labels, p1, rank_by_kwargs={"adjust_pred_probs": True}
        )
        np.testing.assert_array_equal(got, [3, 2, 0])

    @pytest.mark.parametrize("rank_by", METHODS)
    def test_matches_scores(self, rank_by):
        """The order is that of get_label_quality_scores over the flagged rows."""
        labels, pred_probs = _random_problem(n=500, k=4, dtype=np.float64, seed=3)
        mask = np.arange(500) % 3 == 0
        scores = rank.get_label_quality_scores(labels, pred_probs, method=rank_by)
        expected = np.flatnonzero(mask)[np.argsort(scores[mask])]
        got = rank.order_label_issues(mask, labels, pred_probs, rank_by=rank_by)
        np.testing.assert_array_equal(got, expected)

    @pytest.mark.parametrize("indices", [[0, 2, 3], [3, 0, 2], np.array([2, 3, 0])])
    def test_indices(self, ensemble, indices):
        """An array of indices (any order) means the same as the mask (FIX 11)."""
        labels, p1, _ = ensemble
        got = rank.order_label_issues(indices, labels, p1)
        np.testing.assert_array_equal(got, [2, 3, 0])

    def test_integer_mask(self, ensemble):
        """A 0/1 integer mask raises and asks for a boolean mask (FIX 11)."""
        labels, p1, _ = ensemble
        with pytest.raises(ValueError, match="pass a boolean mask instead"):
            rank.order_label_issues(self.MASK.astype(int), labels, p1)

    @pytest.mark.parametrize(
        "indices", [[0, 2, 2], [0, 5], [-1, 2]], ids=["repeat", "too-big", "negative"]
    )
    def test_invalid_indices(self, ensemble, indices):
        """Indices must be distinct and in 0..N-1."""
        labels, p1, _ = ensemble
        with pytest.raises(ValueError, match=r"distinct indices in 0\.\.4"):
            rank.order_label_issues(indices, labels, p1)

    def test_mask_length(self, ensemble):
        """A boolean mask needs one entry per example."""
        labels, p1, _ = ensemble
        with pytest.raises(ValueError, match="has 4 entries but there are 5 examples"):
            rank.order_label_issues(self.MASK[:4], labels, p1)

    def test_float_mask(self, ensemble):
        """A float array is neither a mask nor indices."""
        labels, p1, _ = ensemble
        with pytest.raises(ValueError, match="got dtype float64"):
            rank.order_label_issues(self.MASK.astype(float), labels, p1)

    def test_two_dimensional_mask(self, ensemble):
        """A 2-D mask raises."""
        labels, p1, _ = ensemble
        with pytest.raises(ValueError, match="must be 1-D"):
            rank.order_label_issues(self.MASK[None, :], labels, p1)

    @pytest.mark.parametrize("rank_by", METHODS)
    @pytest.mark.parametrize("empty", [[], np.zeros(5, dtype=bool)])
    def test_nothing_flagged(self, ensemble, empty, rank_by):
        """No flagged examples give an empty int64 array."""
        labels, p1, _ = ensemble
        got = rank.order_label_issues(empty, labels, p1, rank_by=rank_by)
        assert got.dtype == np.int64
        assert got.size == 0

    def test_invalid_rank_by(self, ensemble):
        """An unknown rank_by raises."""
        labels, p1, _ = ensemble
        with pytest.raises(ValueError, match="bad is not a valid scoring method"):
            rank.order_label_issues(self.MASK, labels, p1, rank_by="bad")

    @pytest.mark.parametrize("key", ["foo", "method"])
    def test_unknown_kwarg(self, ensemble, key):
        """An unknown rank_by_kwargs key raises TypeError."""
        labels, p1, _ = ensemble
        with pytest.raises(TypeError, match=f"unexpected keyword argument '{key}'"):
            rank.order_label_issues(self.MASK, labels, p1, rank_by_kwargs={key: 1})

    def test_rank_by_kwargs_none(self, ensemble):
        """rank_by_kwargs=None means no extra arguments."""
        labels, p1, _ = ensemble
        got = rank.order_label_issues(self.MASK, labels, p1, rank_by_kwargs=None)
        np.testing.assert_array_equal(got, [2, 3, 0])

    def test_only_class_zero(self):
        """Labels that are all 0 are allowed (one-vs-rest with an absent class)."""
        pred_probs = np.array([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]])
        got = rank.order_label_issues([True, True, False], [0, 0, 0], pred_probs)
        np.testing.assert_array_equal(got, [1, 0])

    def test_only_another_class(self):
        """Labels holding one class other than 0 raise."""
        pred_probs = np.array([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]])
        with pytest.raises(ValueError, match="at least 2 classes"):
            rank.order_label_issues([True, True, False], [1, 1, 1], pred_probs)


# Hypothesis properties ---------------------------------------------------------

_ENTRIES = st.one_of(st.sampled_from([0.0, 0.25, 0.5, 1.0]), st.floats(0, 1))


@st.composite
def scored_problems(draw):
    """Random (labels, float64 pred_probs) with ties, zeros and one-hot rows."""
    k = draw(st.integers(2, 5))
    n = draw(st.integers(1, 25))
    raw = draw(hnp.arrays(np.float64, (n, k), elements=_ENTRIES))
    raw[raw.sum(axis=1) == 0] = 1.0
    pred_probs = raw / raw.sum(axis=1, keepdims=True)
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    return labels, pred_probs


@settings(max_examples=40, deadline=None)
@given(scored_problems(), st.sampled_from(SCORINGS))
def test_scores_are_probabilities(problem, scoring):
    """One score per example, every score in [0, 1]."""
    labels, pred_probs = problem
    method, adjust = scoring
    scores = rank.get_label_quality_scores(
        labels, pred_probs, method=method, adjust_pred_probs=adjust
    )
    assert scores.shape == labels.shape
    assert np.all((scores >= 0) & (scores <= 1))


@settings(max_examples=40, deadline=None)
@given(scored_problems(), st.sampled_from(SCORINGS), st.randoms(use_true_random=False))
def test_relabelling_classes(problem, scoring, random):
    """Renaming the classes (columns and labels alike) leaves the scores unchanged."""
    labels, pred_probs = problem
    method, adjust = scoring
    k = pred_probs.shape[1]
    perm = np.array(random.sample(range(k), k))  # new index of old class c: perm[c]
    permuted = np.empty_like(pred_probs)
    permuted[:, perm] = pred_probs
    before = rank.get_label_quality_scores(
        labels, pred_probs, method=method, adjust_pred_probs=adjust
    )
    after = rank.get_label_quality_scores(
        perm[labels], permuted, method=method, adjust_pred_probs=adjust
    )
    np.testing.assert_allclose(after, before, rtol=0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(scored_problems(), st.sampled_from(SCORINGS), st.randoms(use_true_random=False))
def test_permuting_examples(problem, scoring, random):
    """Shuffling the examples shuffles the scores the same way."""
    labels, pred_probs = problem
    method, adjust = scoring
    order = np.array(random.sample(range(len(labels)), len(labels)))
    before = rank.get_label_quality_scores(
        labels, pred_probs, method=method, adjust_pred_probs=adjust
    )
    after = rank.get_label_quality_scores(
        labels[order], pred_probs[order], method=method, adjust_pred_probs=adjust
    )
    np.testing.assert_allclose(after, before[order], rtol=0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(scored_problems(), st.sampled_from(SCORINGS))
def test_float32_agrees_with_float64(problem, scoring):
    """The same probabilities in float32 and float64 give scores within 1e-6."""
    labels, pred_probs = problem
    method, adjust = scoring
    single = pred_probs.astype(np.float32)
    got = rank.get_label_quality_scores(
        labels, single, method=method, adjust_pred_probs=adjust
    )
    want = rank.get_label_quality_scores(
        labels, single.astype(np.float64), method=method, adjust_pred_probs=adjust
    )
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(scored_problems())
def test_margin_is_self_confidence_for_two_classes(problem):
    """For K = 2 the normalized margin equals the self-confidence (to rounding)."""
    labels, pred_probs = problem
    binary = np.column_stack([pred_probs[:, 0], 1 - pred_probs[:, 0]])
    labels = np.minimum(labels, 1)
    margin = rank.get_normalized_margin_for_each_label(labels, binary)
    confidence = rank.get_self_confidence_for_each_label(labels, binary)
    np.testing.assert_allclose(margin, confidence, rtol=0, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(scored_problems())
def test_inputs_unchanged(problem):
    """No rank function modifies its inputs."""
    labels, pred_probs = problem
    assume(len(np.unique(labels)) > 1)  # the ensemble needs two classes
    labels_before, probs_before = labels.copy(), pred_probs.copy()
    for method, adjust in SCORINGS:
        rank.get_label_quality_scores(
            labels, pred_probs, method=method, adjust_pred_probs=adjust
        )
    rank.order_label_issues(np.ones(len(labels), dtype=bool), labels, pred_probs)
    rank.get_label_quality_ensemble_scores(
        labels,
        [pred_probs, pred_probs],
        weight_ensemble_members_by="uniform",
        verbose=False,
    )
    np.testing.assert_array_equal(labels, labels_before)
    np.testing.assert_array_equal(pred_probs, probs_before)
