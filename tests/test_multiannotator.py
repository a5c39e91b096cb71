"""Tests of cleanlab.multiannotator: majority vote, CROWDLAB, ActiveLab, Dawid-Skene.

Expected values are the spec's worked examples (tasks.md section 2) where the spec
says KEEP, and hand-checked values (arithmetic in the comments) where an Appendix B
FIX makes this package differ from cleanlab 2.9; each such test names its FIX.
Agreement with cleanlab 2.9 on the benchmark's 5,000 x 30 CROWDLAB workload was
measured with the shared bench harness (max difference 3.3e-16), not here.
"""

import functools
import re
import warnings
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleanlab
from cleanlab import multiannotator as ma
from cleanlab import rank
from cleanlab.internal import multiannotator_utils as mu

nan = np.nan
STAT_COLUMNS = [
    "annotator_quality",
    "agreement_with_consensus",
    "worst_class",
    "num_examples_labeled",
]
LABEL_COLUMNS = [
    "consensus_label",
    "consensus_quality_score",
    "annotator_agreement",
    "num_annotations",
]


@pytest.fixture
def crowd():
    """Spec 2.4 worked example: 6 examples, 3 annotators, 3 classes."""
    labels = np.array(
        [[0, 0, 1], [1, 1, 1], [2, 2, nan], [0, 1, nan], [2, nan, 2], [1, 1, 0]]
    )
    pred_probs = np.array(
        [
            [0.7, 0.2, 0.1],
            [0.1, 0.8, 0.1],
            [0.2, 0.2, 0.6],
            [0.5, 0.4, 0.1],
            [0.3, 0.3, 0.4],
            [0.2, 0.5, 0.3],
        ]
    )
    return labels, pred_probs


@pytest.fixture
def agreement_crowd():
    """Spec 2.4 "agreement" example: 8 examples, 3 annotators, K=3."""
    return np.array(
        [
            [1, nan, 2],
            [1, 1, 0],
            [2, 2, 0],
            [nan, 2, 2],
            [nan, 2, 1],
            [nan, 2, 2],
            [0, 0, nan],
            [0, nan, 1],
        ]
    )


def simulated_crowd(seed, n=400, k=4, m=12, per_example=3):
    """Seeded crowd: good annotators, spammers and systematic confusers.

    Every third annotator is 95% accurate, every third answers uniformly at
    random, and every third says the next class (mod K) half the time.
    Returns (labels (n, m) with NaN, true classes (n,)).
    """
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    good = np.full((k, k), 0.05 / (k - 1))
    np.fill_diagonal(good, 0.95)
    spam = np.full((k, k), 1 / k)
    confused = 0.5 * np.eye(k) + 0.5 * np.roll(np.eye(k), 1, axis=1)
    confusion = [(good, spam, confused)[j % 3] for j in range(m)]
    labels = np.full((n, m), nan)
    # Each example gets `per_example` distinct annotators.
    chosen = np.argsort(rng.random((n, m)), axis=1)[:, :per_example]
    for j in range(m):  # a few annotators: a short loop in a test builder
        rows = np.flatnonzero((chosen == j).any(axis=1))
        cumulative = confusion[j][truth[rows]].cumsum(axis=1)
        draws = rng.random(len(rows))[:, None]
        labels[rows, j] = (draws > cumulative).sum(axis=1)
    return labels, truth


def _crowdlab_by_hand(labels, models, consensus):
    """Spec 2.3 evaluated term by term: (model weights, annotator weights, Q)."""
    n, m = labels.shape
    k = models[0].shape[1]
    present = ~np.isnan(labels)
    n_i = present.sum(axis=1)
    multi = n_i != 1
    agreement = np.array(
        [np.mean(labels[i][present[i]] == consensus[i]) for i in range(n)]
    )
    p_agree = agreement[multi].mean()
    p_disagree = (1 - p_agree) / (k - 1)
    top = np.argmax(np.bincount(consensus[multi], minlength=k))
    mlce = max(1e-6, np.mean(consensus[multi] != top))
    q = np.full(m, nan)
    for j in range(m):
        numerator = denominator = 0.0
        for i in np.flatnonzero(present[:, j]):
            if n_i[i] > 1:
                same = np.sum(labels[i][present[i]] == labels[i, j]) - 1
                numerator += (n_i[i] - 1) * same / (n_i[i] - 1)
                denominator += n_i[i] - 1
        if denominator > 0:
            q[j] = numerator / denominator
    q[np.isnan(q)] = np.nanmean(q)
    w = np.maximum(1e-6, 1 - (1 - q) / mlce)
    w_models = np.array(
        [
            max(1 - np.mean(p.argmax(axis=1)[multi] != consensus[multi]) / mlce, 1e-6)
            * np.sqrt(n_i.mean())
            for p in models
        ]
    )
    posterior = np.zeros((n, k))
    for i in range(n):
        total = sum(we * p[i] for we, p in zip(w_models, models, strict=True))
        weight = w_models.sum()
        for j in np.flatnonzero(present[i]):
            votes = np.full(k, p_disagree)
            votes[int(labels[i, j])] = p_agree
            total = total + w[j] * votes
            weight += w[j]
        posterior[i] = total / weight
    return w_models, w, posterior


def _best_quality_by_hand(labels, models):
    """best_quality consensus, its quality, weights and annotator quality."""
    vote = ma.get_majority_vote_label(labels, np.mean(models, axis=0), verbose=False)
    _, _, posterior = _crowdlab_by_hand(labels, models, vote)
    unique = (posterior == posterior.max(axis=1, keepdims=True)).sum(axis=1) == 1
    consensus = np.where(unique, posterior.argmax(axis=1), vote)
    w_models, w, posterior = _crowdlab_by_hand(labels, models, consensus)
    n, m = labels.shape
    present = ~np.isnan(labels)
    multi = present.sum(axis=1) != 1
    label_quality = np.full(m, nan)
    agreement = np.full(m, nan)
    for j in range(m):
        rows = np.flatnonzero(present[:, j])
        given = labels[rows, j].astype(int)
        label_quality[j] = posterior[rows, given].mean()
        on_multi = multi[rows]
        if on_multi.any():
            agreement[j] = np.mean(given[on_multi] == consensus[rows][on_multi])
    crowd_weight = w.sum() * present.sum(axis=1).mean() / m
    share = w_models.mean() / (w_models.mean() + crowd_weight)
    return {
        "consensus": consensus,
        "quality": posterior[np.arange(n), consensus],
        "model_weight": w_models,
        "annotator_weight": w,
        "annotator_quality": share * label_quality + (1 - share) * agreement,
    }


def _assert_matches_by_hand(out, expected, rtol=1e-9):
    lq = out["label_quality"]
    np.testing.assert_array_equal(lq["consensus_label"], expected["consensus"])
    np.testing.assert_allclose(
        lq["consensus_quality_score"], expected["quality"], rtol=rtol
    )
    np.testing.assert_allclose(
        out["annotator_weight"], expected["annotator_weight"], rtol=rtol
    )
    np.testing.assert_allclose(
        np.atleast_1d(out["model_weight"]), expected["model_weight"], rtol=rtol
    )
    stats = out["annotator_stats"].sort_index()
    np.testing.assert_allclose(
        stats["annotator_quality"], expected["annotator_quality"], rtol=rtol
    )


# --------------------------------------------------------------------------
# get_majority_vote_label
# --------------------------------------------------------------------------


class TestMajorityVote:
    def test_worked_example(self, crowd):
        """Spec 2.4: the majority vote of the worked example is [0,1,2,0,2,1].

        Row 3 ([0, 1]) is a tie that pred_probs [.5, .4, .1] break toward 0;
        without them the more frequent class 1 (7 annotations against 4) wins.
        """
        labels, pred_probs = crowd
        got = ma.get_majority_vote_label(labels, pred_probs, verbose=False)
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, [0, 1, 2, 0, 2, 1])
        got = ma.get_majority_vote_label(labels, verbose=False)
        np.testing.assert_array_equal(got, [0, 1, 2, 1, 2, 1])

    def test_frequency_tie_break_prefers_most_frequent_class(self):
        """FIX 2: [[0,1],[0,0],[0,0]] -> [0,0,0] (cleanlab 2.9 gives [1,0,0]).

        Class 0 has 5 annotations overall, class 1 one: the frequent class wins.
        """
        labels = np.array([[0, 1], [0, 0], [0, 0]])
        got = ma.get_majority_vote_label(labels, verbose=False)
        np.testing.assert_array_equal(got, [0, 0, 0])

    def test_pred_probs_break_ties_first(self):
        """Spec 2.2 examples: pred_probs decide before class frequency."""
        labels = np.array([[0, 1], [0, 0], [0, 0]])
        toward_0 = np.array([[0.6, 0.4]] * 3)
        toward_1 = np.array([[0.4, 0.6]] * 3)
        got = ma.get_majority_vote_label(labels, toward_0, verbose=False)
        np.testing.assert_array_equal(got, [0, 0, 0])
        got = ma.get_majority_vote_label(labels, toward_1, verbose=False)
        np.testing.assert_array_equal(got, [1, 0, 0])

    def test_reference_test_table(self):
        """Spec 2.2 reference table, under FIX 2: [2,1,0,2,2,2] (2.9: [1,1,0,2,2,1]).

        Overall counts: class 0 three times, class 1 three times, class 2 five
        times, so the tied rows 0 ([1, 2]) and 5 ([2, 1]) go to class 2.
        """
        labels = np.array(
            [
                [1, nan, nan, 2, nan],
                [nan, 1, 0, nan, nan],
                [nan, nan, 0, nan, nan],
                [nan, 2, nan, nan, nan],
                [2, nan, 0, 2, nan],
                [nan, nan, nan, 2, 1],
            ]
        )
        got = ma.get_majority_vote_label(labels, verbose=False)
        np.testing.assert_array_equal(got, [2, 1, 0, 2, 2, 2])

    def test_annotator_accuracy_breaks_frequency_ties(self, agreement_crowd):
        """Tie-break 3 on the spec's "agreement" table.

        Overall counts are 5, 5, 8, so rows 0 and 4 ([1, 2]) go to class 2. Row 7
        ([0, -, 1]) ties classes 0 and 1 at 5 each; on the untied rows 1, 2, 3,
        5, 6 annotator 0 agrees 3/3 and annotator 2 2/4, so annotator 0's class
        0 wins.
        """
        got = ma.get_majority_vote_label(agreement_crowd, verbose=False)
        np.testing.assert_array_equal(got, [2, 1, 2, 2, 2, 2, 0, 0])

    @pytest.mark.parametrize("seed", [0, 1, 7])
    def test_random_draws_match_sequential_choice(self, seed):
        """Remaining ties draw like np.random.choice per row, in row order."""
        labels = np.array([[0, 1, 2], [2, 0, 1], [0, 0, 0], [1, 1, 1], [2, 2, 2]])
        np.random.seed(seed)
        expected = [np.random.choice(np.array([0, 1, 2])) for _ in range(2)]
        np.random.seed(seed)
        with pytest.warns(
            UserWarning, match=re.escape("breaking ties of examples [0, 1]")
        ):
            got = ma.get_majority_vote_label(labels, verbose=False)
        np.testing.assert_array_equal(got, [*expected, 0, 1, 2])

    def test_all_rows_tied_draws_instead_of_crashing(self):
        """With no untied row 2.9 raises inside np.random.choice; we draw."""
        labels = np.array([[0, 1], [1, 0]])
        with pytest.warns(UserWarning, match="by random selection"):
            got = ma.get_majority_vote_label(labels, verbose=False)
        assert set(got.tolist()) <= {0, 1}

    def test_dataframe_and_caution_print(self, capsys):
        """A DataFrame works; a class lost by the consensus is reported."""
        labels = pd.DataFrame({"a": [0, 0, 0], "b": [1, 0, 0]})
        got = ma.get_majority_vote_label(labels)
        np.testing.assert_array_equal(got, [0, 0, 0])
        out = capsys.readouterr().out
        assert out.startswith(
            "CAUTION: Number of unique classes has been reduced from the original "
            "data when establishing consensus labels using consensus method "
            "'majority_vote'"
        )
        assert out.rstrip().endswith(
            "Classes in the original data but not in consensus labels: [1]"
        )

    def test_huge_class_index_without_pred_probs(self):
        """Counts cover the classes in use, not 0..max label."""
        # Row 1 ties; class 10**12 has 4 annotations against 3 for class 3.
        labels = np.array([[10**12, 10**12], [3, 10**12], [10**12, nan], [3, 3]])
        got = ma.get_majority_vote_label(labels, verbose=False)
        np.testing.assert_array_equal(got, [10**12, 10**12, 10**12, 3])

    def test_single_annotator_allowed_without_verbose(self):
        """verbose=False skips the "more than one column" requirement."""
        got = ma.get_majority_vote_label(np.array([[1.0], [0.0]]), verbose=False)
        np.testing.assert_array_equal(got, [1, 0])
        with pytest.raises(ValueError, match="must have more than one column"):
            ma.get_majority_vote_label(np.array([[1.0], [0.0]]))


# --------------------------------------------------------------------------
# get_label_quality_multiannotator
# --------------------------------------------------------------------------


class TestLabelQuality:
    def test_worked_example(self, crowd):
        """Spec 2.4 worked example (reference output, KEEP)."""
        labels, pred_probs = crowd
        out = ma.get_label_quality_multiannotator(
            labels, pred_probs, return_weights=True, verbose=False
        )
        assert list(out) == [
            "label_quality",
            "detailed_label_quality",
            "annotator_stats",
            "model_weight",
            "annotator_weight",
        ]
        lq = out["label_quality"]
        assert list(lq.columns) == LABEL_COLUMNS
        assert lq.index.equals(pd.RangeIndex(6))
        assert lq.dtypes.tolist() == [np.int64, np.float64, np.float64, np.int64]
        np.testing.assert_array_equal(lq["consensus_label"], [0, 1, 2, 0, 2, 1])
        np.testing.assert_allclose(
            lq["consensus_quality_score"],
            [0.704827, 0.802255, 0.676513, 0.490694, 0.517228, 0.586011],
            atol=5e-7,
        )
        np.testing.assert_allclose(
            lq["annotator_agreement"], [2 / 3, 1, 1, 0.5, 1, 2 / 3]
        )
        np.testing.assert_array_equal(lq["num_annotations"], [3, 3, 2, 2, 2, 3])
        detailed = out["detailed_label_quality"]
        assert list(detailed.columns) == [f"quality_annotator_{j}" for j in range(3)]
        np.testing.assert_allclose(
            detailed["quality_annotator_2"],
            [0.196300, 0.802255, nan, nan, 0.517228, 0.196300],
            atol=5e-7,
        )
        stats = out["annotator_stats"]
        assert list(stats.columns) == STAT_COLUMNS
        assert stats.index.tolist() == [2, 1, 0]
        np.testing.assert_allclose(
            stats[["annotator_quality", "agreement_with_consensus"]],
            [[0.454136, 0.5], [0.695494, 0.8], [0.763978, 1.0]],
            atol=5e-7,
        )
        assert stats["worst_class"].dtype == np.int64
        assert stats["worst_class"].tolist() == [0, 1, 1]
        assert stats["num_examples_labeled"].tolist() == [4, 5, 6]
        # q = [2/3, 0.625, 3/7], mlce = 4/6: w_j = 1 - (1 - q_j) / mlce.
        np.testing.assert_allclose(out["annotator_weight"], [0.5, 0.4375, 1 / 7])
        assert isinstance(out["model_weight"], float)
        # No model error on S, mean of n_i = 15 / 6.
        assert out["model_weight"] == pytest.approx(np.sqrt(2.5))
        _assert_matches_by_hand(out, _best_quality_by_hand(labels, [pred_probs]))

    def test_dataframe_ids_and_index_are_carried(self, crowd):
        """Annotator ids name the detailed columns and index the stats."""
        labels, pred_probs = crowd
        frame = pd.DataFrame(labels, columns=["ann", "bob", "cy"], index=list("uvwxyz"))
        out = ma.get_label_quality_multiannotator(frame, pred_probs, verbose=False)
        plain = ma.get_label_quality_multiannotator(labels, pred_probs, verbose=False)
        assert out["label_quality"].index.tolist() == list("uvwxyz")
        assert out["detailed_label_quality"].columns.tolist() == [
            "quality_annotator_ann",
            "quality_annotator_bob",
            "quality_annotator_cy",
        ]
        assert out["annotator_stats"].index.tolist() == ["cy", "bob", "ann"]
        np.testing.assert_array_equal(
            out["label_quality"].to_numpy(), plain["label_quality"].to_numpy()
        )

    def test_agreement_quality_counts_classes_correctly(self, agreement_crowd):
        """FIX 1, spec's "agreement" example: consensus [2,1,2,2,2,2,0,0].

        cleanlab 2.9 gives [1,1,1,0,1,0,0,0]: it places row [2, 2, 0]'s counts in
        class order of appearance (Q = [1/3, 2/3, 0]). With the true vote shares
        every argmax is the majority vote (tied rows keep it).
        """
        pred_probs = np.full((8, 3), 1 / 3)
        out = ma.get_label_quality_multiannotator(
            agreement_crowd, pred_probs, quality_method="agreement", verbose=False
        )
        lq = out["label_quality"]
        np.testing.assert_array_equal(lq["consensus_label"], [2, 1, 2, 2, 2, 2, 0, 0])
        agreement = [1 / 2, 2 / 3, 2 / 3, 1, 1 / 2, 1, 1, 1 / 2]
        np.testing.assert_allclose(lq["consensus_quality_score"], agreement)
        np.testing.assert_allclose(lq["annotator_agreement"], agreement)
        # Annotator 2 gave class 0 to row 2, whose vote shares are [1/3, 0, 2/3].
        detailed = out["detailed_label_quality"]["quality_annotator_2"]
        np.testing.assert_allclose(detailed[2], 1 / 3)
        # Every row has 2+ labels: quality = agreement with consensus = 3/7, 4/5,
        # 6/6. Annotator 2's classes 0 and 1 are both always wrong, twice each;
        # class 0's rows have the higher mean quality (2/3 against 1/2).
        stats = out["annotator_stats"]
        assert stats.index.tolist() == [2, 0, 1]
        np.testing.assert_allclose(stats["annotator_quality"], [3 / 7, 0.8, 1.0])
        np.testing.assert_allclose(stats["agreement_with_consensus"], [3 / 7, 0.8, 1.0])
        assert stats["worst_class"].tolist() == [0, 1, 2]
        assert stats["num_examples_labeled"].tolist() == [7, 5, 6]

    def test_list_of_methods_uses_first_for_everything(self, crowd):
        """FIX 3: stats, detailed table and weights all come from the first method."""
        labels, pred_probs = crowd
        kwargs = {"return_weights": True, "verbose": False}
        both = ma.get_label_quality_multiannotator(
            labels,
            pred_probs,
            consensus_method=["majority_vote", "best_quality"],
            **kwargs,
        )
        first = ma.get_label_quality_multiannotator(
            labels, pred_probs, consensus_method="majority_vote", **kwargs
        )
        second = ma.get_label_quality_multiannotator(
            labels, pred_probs, consensus_method="best_quality", **kwargs
        )
        assert list(both["label_quality"].columns) == [
            *LABEL_COLUMNS,
            "consensus_label_best_quality",
            "consensus_quality_score_best_quality",
            "annotator_agreement_best_quality",
        ]
        pd.testing.assert_frame_equal(
            both["label_quality"][LABEL_COLUMNS], first["label_quality"]
        )
        np.testing.assert_array_equal(
            both["label_quality"]["consensus_quality_score_best_quality"],
            second["label_quality"]["consensus_quality_score"],
        )
        pd.testing.assert_frame_equal(both["annotator_stats"], first["annotator_stats"])
        assert both["model_weight"] == first["model_weight"]
        np.testing.assert_array_equal(
            both["annotator_weight"], first["annotator_weight"]
        )

    def test_best_quality_follows_the_posterior(self):
        """best_quality leaves the majority vote where the posterior disagrees.

        Row 7 ([2, -, 0]) is a tie that pred_probs [.4, .3, .3] break toward 0,
        but annotator 0 agrees with the others far more than annotator 2
        (weights 0.43 and 0.14 against a model weight of 1.33), so the posterior
        favours class 2. The numbers are checked against the spec's formulas,
        evaluated directly in `_crowdlab_by_hand`.
        """
        labels = np.array(
            [
                [0, 1, nan],
                [0, 0, 0],
                [1, 1, 1],
                [2, 2, 2],
                [0, 0, 1],
                [1, 1, 2],
                [2, 2, 0],
                [2, nan, 0],
            ]
        )
        pred_probs = np.array(
            [
                [0.5, 0.45, 0.05],
                [0.8, 0.1, 0.1],
                [0.1, 0.8, 0.1],
                [0.1, 0.1, 0.8],
                [0.7, 0.2, 0.1],
                [0.2, 0.7, 0.1],
                [0.1, 0.2, 0.7],
                [0.4, 0.3, 0.3],
            ]
        )
        out = ma.get_label_quality_multiannotator(
            labels,
            pred_probs,
            consensus_method=["best_quality", "majority_vote"],
            return_weights=True,
            verbose=False,
        )
        lq = out["label_quality"]
        np.testing.assert_array_equal(
            lq["consensus_label_majority_vote"], [0, 0, 1, 2, 0, 1, 2, 0]
        )
        np.testing.assert_array_equal(lq["consensus_label"], [0, 0, 1, 2, 0, 1, 2, 2])
        expected = _best_quality_by_hand(labels, [pred_probs])
        _assert_matches_by_hand(out, expected)
        np.testing.assert_allclose(
            out["annotator_weight"], [0.42857143, 0.50769231, 0.13846154], atol=5e-9
        )

    def test_no_overlap_annotator_gets_mean_agreement(self, capsys):
        """An annotator sharing no example gets the others' mean q, and a print."""
        frame = pd.DataFrame(
            {
                "a": [0, 1, 1, nan],
                "b": [0, 1, 0, nan],
                "c": [nan, nan, nan, 1],
            }
        )
        pred_probs = np.array([[0.8, 0.2], [0.3, 0.7], [0.4, 0.6], [0.1, 0.9]])
        out = ma.get_label_quality_multiannotator(
            frame, pred_probs, return_weights=True
        )
        assert "Annotator(s) ['c'] did not annotate any examples that overlap" in (
            capsys.readouterr().out
        )
        # q_a = q_b = 2/3 (rows 0, 1 agree, row 2 not); c gets their mean.
        weights = out["annotator_weight"]
        assert weights[2] == pytest.approx(weights[0])
        assert weights[0] == pytest.approx(weights[1])

    def test_label_quality_score_kwargs_reach_detailed_scores(self, crowd):
        """Detailed scores equal rank's scores of each annotator's labels."""
        labels, pred_probs = crowd
        table = mu.AnnotationTable.from_array(labels)
        crowd_state = ma._Crowd.build(table, [pred_probs], 3, None)
        posterior = np.random.default_rng(0).dirichlet(np.ones(3), size=6)
        for method in rank.SCORING_METHODS:
            for adjust in (False, True):
                if adjust and method == "confidence_weighted_entropy":
                    continue
                kwargs = {"method": method, "adjust_pred_probs": adjust}
                got = table.to_dense(
                    ma._annotation_scores(crowd_state, posterior, kwargs)
                )
                for j in range(3):  # per annotator, as cleanlab 2.9 scores them
                    rows = ~np.isnan(labels[:, j])
                    expected = rank.get_label_quality_scores(
                        labels[rows, j].astype(int), posterior[rows], **kwargs
                    )
                    np.testing.assert_allclose(got[rows, j], expected, rtol=1e-12)

    def test_score_kwargs_change_the_consensus_quality(self, crowd):
        labels, pred_probs = crowd
        plain = ma.get_label_quality_multiannotator(labels, pred_probs, verbose=False)
        margin = ma.get_label_quality_multiannotator(
            labels,
            pred_probs,
            verbose=False,
            label_quality_score_kwargs={"method": "normalized_margin"},
        )
        a = plain["label_quality"]["consensus_quality_score"]
        b = margin["label_quality"]["consensus_quality_score"]
        assert not np.allclose(a, b)
        # Annotator quality ignores the kwargs only without the detailed table.
        pd.testing.assert_series_equal(
            plain["label_quality"]["consensus_label"],
            margin["label_quality"]["consensus_label"],
        )

    def test_optional_outputs(self, crowd):
        labels, pred_probs = crowd
        out = ma.get_label_quality_multiannotator(
            labels,
            pred_probs,
            return_detailed_quality=False,
            return_annotator_stats=False,
            verbose=False,
        )
        assert list(out) == ["label_quality"]

    def test_stats_without_detailed_table_use_self_confidence(self, crowd):
        """Annotator quality is the same with or without the detailed table."""
        labels, pred_probs = crowd
        with_table = ma.get_label_quality_multiannotator(
            labels, pred_probs, verbose=False
        )
        without = ma.get_label_quality_multiannotator(
            labels, pred_probs, return_detailed_quality=False, verbose=False
        )
        pd.testing.assert_frame_equal(
            with_table["annotator_stats"], without["annotator_stats"]
        )

    def test_calibrate_probs_copies(self, crowd):
        """calibrate_probs scales a copy: the caller's pred_probs stay as given."""
        labels, pred_probs = crowd
        before = pred_probs.copy()
        calibrated = ma.get_label_quality_multiannotator(
            labels, pred_probs, calibrate_probs=True, verbose=False
        )
        np.testing.assert_array_equal(pred_probs, before)
        # T = 0.5 (see TestTemperature): same as scaling by hand first.
        scaled = mu.temp_scale_pred_probs(pred_probs, 0.5)
        by_hand = ma.get_label_quality_multiannotator(labels, scaled, verbose=False)
        pd.testing.assert_frame_equal(
            calibrated["label_quality"], by_hand["label_quality"]
        )

    def test_float32_pred_probs(self, crowd):
        labels, pred_probs = crowd
        out = ma.get_label_quality_multiannotator(
            labels, pred_probs.astype(np.float32), verbose=False
        )
        assert out["label_quality"]["consensus_quality_score"].dtype == np.float64
        np.testing.assert_array_equal(
            out["label_quality"]["consensus_label"], [0, 1, 2, 0, 2, 1]
        )


# --------------------------------------------------------------------------
# Dawid-Skene
# --------------------------------------------------------------------------


class TestDawidSkene:
    @pytest.mark.parametrize("seed", [0, 1, 2])
    def test_beats_majority_vote_on_a_simulated_crowd(self, seed):
        """On a crowd with spammers and confusers, EM recovers more true classes.

        Majority vote gets about 0.66-0.70 right here, Dawid-Skene about 0.88.
        """
        labels, truth = simulated_crowd(seed)
        pred_probs = np.full((len(truth), 4), 0.25)
        out = ma.get_label_quality_multiannotator(
            labels,
            pred_probs,
            consensus_method=["dawid_skene", "majority_vote"],
            verbose=False,
        )
        lq = out["label_quality"]
        ds = np.mean(lq["consensus_label"].to_numpy() == truth)
        mv = np.mean(lq["consensus_label_majority_vote"].to_numpy() == truth)
        assert ds > mv + 0.1
        assert ds > 0.85
        # The spammers (j = 1, 4, ...) are ranked below the good annotators.
        quality = out["annotator_stats"]["annotator_quality"]
        assert quality[np.arange(1, 12, 3)].max() < quality[np.arange(0, 12, 3)].min()

    def test_unanimous_crowd_matches_majority_vote(self, crowd):
        labels, pred_probs = crowd
        out = ma.get_label_quality_multiannotator(
            labels[[1, 2, 4]],
            pred_probs[[1, 2, 4]],
            consensus_method="dawid_skene",
            verbose=False,
        )
        np.testing.assert_array_equal(
            out["label_quality"]["consensus_label"], [1, 2, 2]
        )

    def test_posterior_and_convergence(self):
        labels, _ = simulated_crowd(3, n=200)
        table = mu.AnnotationTable.from_array(labels)
        start = mu.vote_shares(table, 4)
        posterior, iterations, converged = mu.dawid_skene(table, 4, start)
        assert converged
        assert 1 < iterations < mu.DAWID_SKENE_MAX_ITER
        np.testing.assert_allclose(posterior.sum(axis=1), 1.0)
        capped, one, done = mu.dawid_skene(table, 4, start, max_iter=1)
        assert (one, done) == (1, False)
        assert capped.shape == (200, 4)

    def test_warns_at_iteration_cap(self, crowd):
        labels, pred_probs = crowd
        capped = functools.partial(mu.dawid_skene, max_iter=1)
        with (
            mock.patch.object(ma, "dawid_skene", capped),
            pytest.warns(RuntimeWarning, match="stopped after 1 iterations"),
        ):
            ma.get_label_quality_multiannotator(
                labels, pred_probs, consensus_method="dawid_skene", verbose=False
            )


# --------------------------------------------------------------------------
# get_label_quality_multiannotator_ensemble
# --------------------------------------------------------------------------


class TestEnsemble:
    def test_one_model_ensemble_equals_single_model(self, crowd):
        """FIX 4 (kwargs accepted) and a one-model ensemble works."""
        labels, pred_probs = crowd
        kwargs = {
            "return_weights": True,
            "verbose": False,
            "label_quality_score_kwargs": {"method": "normalized_margin"},
        }
        single = ma.get_label_quality_multiannotator(labels, pred_probs, **kwargs)
        ensemble = ma.get_label_quality_multiannotator_ensemble(
            labels, pred_probs[None], **kwargs
        )
        for key in ("label_quality", "detailed_label_quality", "annotator_stats"):
            pd.testing.assert_frame_equal(ensemble[key], single[key])
        assert ensemble["model_weight"].shape == (1,)
        assert ensemble["model_weight"][0] == pytest.approx(single["model_weight"])

    def test_two_models_and_no_mutation(self, crowd):
        """Each model gets its own weight; calibration leaves the caller's array."""
        labels, pred_probs = crowd
        models = np.stack([pred_probs, pred_probs[:, ::-1]])
        before = models.copy()
        out = ma.get_label_quality_multiannotator_ensemble(
            labels, models, calibrate_probs=True, return_weights=True, verbose=False
        )
        np.testing.assert_array_equal(models, before)
        weights = out["model_weight"]
        assert weights.shape == (2,)
        # The reversed model is mostly wrong on the consensus: a smaller weight.
        assert weights[1] < weights[0]
        np.testing.assert_array_equal(
            out["label_quality"]["consensus_label"], [0, 1, 2, 0, 2, 1]
        )

    def test_caution_names_crowdlab(self, capsys):
        labels = np.array([[0, 0], [0, 1], [0, 0]])
        pred_probs = np.array([[[0.9, 0.1], [0.8, 0.2], [0.9, 0.1]]])
        ma.get_label_quality_multiannotator_ensemble(labels, pred_probs)
        assert "using consensus method 'crowdlab'" in capsys.readouterr().out


# --------------------------------------------------------------------------
# Temperature scaling and other helpers
# --------------------------------------------------------------------------


def _cost_by_hand(labels, pred_probs, temp):
    """Mean soft cross-entropy of the vote shares against softmax(log P / T)."""
    k = pred_probs.shape[1]
    scaled = np.exp(np.log(pred_probs) / temp)
    scaled /= scaled.sum(axis=1, keepdims=True)
    total = 0.0
    for row, probs in zip(labels, scaled, strict=True):
        votes = row[~np.isnan(row)].astype(int)
        shares = np.bincount(votes, minlength=k) / len(votes)
        total -= np.sum(shares * np.log(probs)) / np.log(k)
    return total / len(labels)


class TestTemperature:
    def test_best_temperature_of_worked_example(self, crowd):
        """FIX 1: T = 0.5 here (cleanlab 2.9's misaligned counts give 7.25).

        Coarse minimum at 0.5, then the fine grid 0.2, 0.275, 0.35, 0.425, 0.5,
        0.575, 0.65, 0.725, 0.8 keeps 0.5.
        """
        labels, pred_probs = crowd
        coarse = [0.1, 0.2, 0.5, 0.8, 1, 2, 3, 5, 8]
        costs = [_cost_by_hand(labels, pred_probs, t) for t in coarse]
        assert int(np.argmin(costs)) == 2
        fine = [*np.linspace(0.2, 0.5, 4, endpoint=False), *np.linspace(0.5, 0.8, 5)]
        best = fine[
            int(np.argmin([_cost_by_hand(labels, pred_probs, t) for t in fine]))
        ]
        assert best == 0.5
        assert mu.find_best_temp_scaler(labels, pred_probs) == 0.5

    def test_fine_grid_edges(self, crowd):
        """At the last coarse value the fine grid only looks below it."""
        labels, pred_probs = crowd
        assert mu.find_best_temp_scaler(labels, pred_probs, [0.5]) == 0.5
        # Sharper is worse here, so the coarse minimum is the last value, 0.02;
        # the fine grid then only spans [0.01, 0.02) (spec 2.9: at 8 it is
        # [5, 5.75, 6.5, 7.25]), and its best point is 0.0175.
        got = mu.find_best_temp_scaler(labels, pred_probs, [0.01, 0.02], 4)
        assert got == pytest.approx(0.0175)

    def test_accepts_the_annotation_table(self, crowd):
        """The table of the annotations gives the temperature of the array."""
        labels, pred_probs = crowd
        table = mu.AnnotationTable.from_array(labels)
        assert mu.find_best_temp_scaler(table, pred_probs) == (
            mu.find_best_temp_scaler(labels, pred_probs)
        )

    def test_temp_scale(self):
        pred_probs = np.array([[0.5, 0.3, 0.2], [1.0, 0.0, 0.0]])
        before = pred_probs.copy()
        got = mu.temp_scale_pred_probs(pred_probs, 2.0)
        np.testing.assert_array_equal(pred_probs, before)
        root = np.sqrt([0.5, 0.3, 0.2])
        np.testing.assert_allclose(got[0], root / root.sum())
        # Zeros are clipped at 1e-30: sqrt(1e-30) = 1e-15.
        np.testing.assert_allclose(got[1], [1, 1e-15, 1e-15], rtol=1e-12, atol=0)
        np.testing.assert_allclose(
            mu.temp_scale_pred_probs(pred_probs, 1.0), before, atol=1e-29
        )

    def test_soft_cross_entropy_counts_each_class(self):
        """FIX 1: row [2, 2] with K=3 puts both votes on class 2."""
        labels = np.array([[2, 2], [0, 1]])
        pred_probs = np.array([[0.2, 0.3, 0.5], [0.5, 0.25, 0.25]])
        got = mu.compute_soft_cross_entropy(labels, pred_probs)
        expected = [
            -np.log(0.5) / np.log(3),
            -(np.log(0.5) + np.log(0.25)) / 2 / np.log(3),
        ]
        np.testing.assert_allclose(got, expected)

    def test_format_labels(self):
        """Spec 2.9 examples."""
        strings = np.array([["a", "b", "c"], ["b", "b", nan], ["z", nan, "c"]], object)
        formatted, mapping = mu.format_multiannotator_labels(strings)
        assert mapping == {0: "a", 1: "b", 2: "c", 3: "z"}
        np.testing.assert_array_equal(
            formatted.to_numpy(), [[0, 1, 2], [1, 1, nan], [3, nan, 2]]
        )
        numbers = pd.DataFrame([[3, 2, 1], [1, 2, nan], [3, nan, 3]])
        formatted, mapping = mu.format_multiannotator_labels(numbers)
        assert mapping == {0: 1, 1: 2, 2: 3}
        assert all(type(v) is int for v in mapping.values())
        np.testing.assert_array_equal(
            formatted.to_numpy(), [[2, 1, 0], [0, 1, nan], [2, nan, 2]]
        )
        with pytest.raises(TypeError, match="labels must be 2D numpy array"):
            mu.format_multiannotator_labels([[1, 2]])

    def test_check_consensus_label_classes(self, capsys):
        mu.check_consensus_label_classes(np.array([[0, 2], [1, 1]]), [1, 1], "x")
        assert "using consensus method 'x'" in capsys.readouterr().out
        mu.check_consensus_label_classes(np.array([[0, 0], [1, 1]]), [0, 1], "x")
        assert capsys.readouterr().out == ""


# --------------------------------------------------------------------------
# ActiveLab
# --------------------------------------------------------------------------


WORKED_LABELED = [
    0.49506234,
    0.53694982,
    0.50605507,
    0.39462652,
    0.45623987,
    0.48026349,
]
WORKED_UNLABELED = [0.36463762, 0.33407913]


class TestActiveLearning:
    def test_worked_example_at_reference_temperature(self, crowd):
        """Spec 2.6 worked example, given its temperature T = 7.25 (KEEP).

        The reference finds 7.25 with the miscounted vote shares of FIX 1; with
        the temperature fixed the rest of ActiveLab is reproduced exactly.
        """
        labels, pred_probs = crowd
        unlabeled = np.array([[0.6, 0.3, 0.1], [0.34, 0.33, 0.33]])
        with mock.patch.object(ma, "find_best_temp_scaler", return_value=7.25):
            got_labeled, got_unlabeled = ma.get_active_learning_scores(
                labels, pred_probs, unlabeled
            )
            ens_labeled, ens_unlabeled = ma.get_active_learning_scores_ensemble(
                labels, pred_probs[None], unlabeled[None]
            )
        np.testing.assert_allclose(got_labeled, WORKED_LABELED, atol=5e-9)
        np.testing.assert_allclose(got_unlabeled, WORKED_UNLABELED, atol=5e-9)
        # FIX 5: a one-model ensemble works, and agrees with the single model.
        np.testing.assert_allclose(ens_labeled, got_labeled, rtol=1e-12)
        np.testing.assert_allclose(ens_unlabeled, got_unlabeled, rtol=1e-12)

    def test_worked_example_with_fixed_counts(self, crowd):
        """FIX 1: T = 0.5; the scores follow the formula of spec 2.6."""
        labels, pred_probs = crowd
        unlabeled = np.array([[0.6, 0.3, 0.1], [0.34, 0.33, 0.33]])
        got_labeled, got_unlabeled = ma.get_active_learning_scores(
            labels, pred_probs, unlabeled
        )
        scaled = mu.temp_scale_pred_probs(pred_probs, 0.5)
        info = ma.get_label_quality_multiannotator(
            labels, scaled, return_weights=True, verbose=False
        )
        q = info["label_quality"]["consensus_quality_score"].to_numpy()
        w_m, w = info["model_weight"], info["annotator_weight"]
        big_w = np.nansum(np.where(np.isnan(labels), nan, w), axis=1)
        expected = (q * (big_w + w_m) + w.mean() / 3) / (big_w + w_m + w.mean())
        np.testing.assert_allclose(got_labeled, expected, rtol=1e-12)
        top = mu.temp_scale_pred_probs(unlabeled, 0.5).max(axis=1)
        expected_u = (w_m * top + w.mean() / 3) / (w_m + w.mean())
        np.testing.assert_allclose(got_unlabeled, expected_u, rtol=1e-12)

    def test_single_label_regime(self):
        """One label per example: T = 1 and all weights 1.

        Consensus [0, 1, 1], q = [.9, .6, .3], W_i = 1, w_M = 1, mean w = 1:
        score = (2 q + 1/2) / 3; unlabeled (0.5 + 0.5) / 2.
        """
        labels = np.array([[0, nan], [nan, 1], [1, nan]])
        pred_probs = np.array([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]])
        labeled, unlabeled = ma.get_active_learning_scores(
            labels, pred_probs, np.array([[0.5, 0.5]])
        )
        np.testing.assert_allclose(labeled, [2.3 / 3, 1.7 / 3, 1.1 / 3])
        np.testing.assert_allclose(unlabeled, [0.5])
        assert labeled.dtype == unlabeled.dtype == np.float64
        # Two identical models: sum of model weights 2, score = (3 q + 1/2) / 4.
        ens, _ = ma.get_active_learning_scores_ensemble(
            labels, np.stack([pred_probs, pred_probs])
        )
        np.testing.assert_allclose(ens, [3.2 / 4, 2.3 / 4, 1.4 / 4])

    def test_unlabeled_only(self):
        """No labelled part: T = 1, w_M = 1, mean w = 1, score = (max + 1/K) / 2."""
        unlabeled = np.array([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]])
        labeled, scores = ma.get_active_learning_scores(pred_probs_unlabeled=unlabeled)
        assert labeled.shape == (0,)
        assert labeled.dtype == np.float64
        np.testing.assert_allclose(scores, [(0.6 + 1 / 3) / 2] * 2)

    def test_unlabeled_ensemble_scores_the_models_majority_class(self):
        """R[u, c_u] with c_u the models' majority vote (ties by mean probs).

        Models say class 0, 0, 1 for row 0: c = 0; R = (sum_e U_e + 1/2) / 4.
        """
        unlabeled = np.array(
            [[[0.9, 0.1]], [[0.6, 0.4]], [[0.2, 0.8]]]
        )  # (E=3, N_u=1, K=2)
        before = unlabeled.copy()
        _, scores = ma.get_active_learning_scores_ensemble(
            pred_probs_unlabeled=unlabeled
        )
        np.testing.assert_array_equal(unlabeled, before)
        np.testing.assert_allclose(scores, [(0.9 + 0.6 + 0.2 + 0.5) / 4])

    def test_multi_regime_matches_the_crowdlab_call(self, crowd):
        """Spec 2.6/2.7: the labelled part is CROWDLAB on the scaled models.

        Checked against the public calls the spec names, to the last bit, with
        the "do not agree" warning and the caution print they give.
        """
        labels, pred_probs = crowd
        models = np.stack([pred_probs, np.roll(pred_probs, 1, axis=1)])
        temps = [mu.find_best_temp_scaler(labels, m) for m in models]
        scaled = np.stack(
            [mu.temp_scale_pred_probs(m, t) for m, t in zip(models, temps, strict=True)]
        )
        for got, info in [
            (
                ma.get_active_learning_scores(labels, pred_probs)[0],
                ma.get_label_quality_multiannotator(
                    labels, scaled[0], return_weights=True, verbose=False
                ),
            ),
            (
                ma.get_active_learning_scores_ensemble(labels, models)[0],
                ma.get_label_quality_multiannotator_ensemble(
                    labels, scaled, return_weights=True, verbose=False
                ),
            ),
        ]:
            q = info["label_quality"]["consensus_quality_score"].to_numpy()
            w = info["annotator_weight"]
            big_w = np.nansum(np.where(np.isnan(labels), nan, w), axis=1)
            w_m = np.sum(info["model_weight"])
            expected = (q * (big_w + w_m) + w.mean() / 3) / (big_w + w_m + w.mean())
            np.testing.assert_array_equal(got, expected)

    def test_multi_regime_warns_and_prints_as_crowdlab(self, capsys):
        """No two annotators agree: the CROWDLAB call's warning and caution."""
        labels = np.array([[0, 1, nan], [1, 2, 0], [2, nan, 1]])
        flat = np.full((3, 3), 1 / 3)
        for function, probs in [
            (ma.get_active_learning_scores, flat),
            (ma.get_active_learning_scores_ensemble, np.stack([flat, flat])),
        ]:
            with pytest.warns(UserWarning, match="Annotators do not agree"):
                function(labels, probs)
            assert "CAUTION: Number of unique classes" in capsys.readouterr().out
        # One label per example: no CROWDLAB call, so neither.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ma.get_active_learning_scores(np.array([[0, nan], [nan, 1]]), flat[:2])
        assert capsys.readouterr().out == ""

    def test_ensemble_no_mutation(self, crowd):
        """FIX 4: the caller's (E, N, K) arrays are never scaled in place."""
        labels, pred_probs = crowd
        models = np.stack([pred_probs, np.roll(pred_probs, 1, axis=1)])
        unlabeled = np.stack([np.array([[0.6, 0.3, 0.1]])] * 2)
        before = models.copy(), unlabeled.copy()
        labeled, scores = ma.get_active_learning_scores_ensemble(
            pd.DataFrame(labels, columns=list("abc")), models, unlabeled
        )
        np.testing.assert_array_equal(models, before[0])
        np.testing.assert_array_equal(unlabeled, before[1])
        assert labeled.shape == (6,)
        assert scores.shape == (1,)
        assert np.all((labeled > 0) & (labeled < 1))


# --------------------------------------------------------------------------
# convert_long_to_wide_dataset
# --------------------------------------------------------------------------


class TestLongToWide:
    def test_spec_example(self):
        long = pd.DataFrame(
            {
                "task": [0, 0, 1, 2, 2],
                "annotator": ["x", "y", "y", "x", "z"],
                "label": [1, 1, 0, 2, 1],
            }
        )
        wide = ma.convert_long_to_wide_dataset(long)
        assert wide.index.tolist() == [0, 1, 2]
        assert wide.columns.tolist() == ["x", "y", "z"]
        assert wide.index.name is None
        assert wide.columns.name is None
        assert (wide.dtypes == np.float64).all()
        np.testing.assert_array_equal(
            wide.to_numpy(), [[1, 1, nan], [nan, 0, nan], [2, nan, 1]]
        )

    def test_sorted_and_complete(self):
        long = pd.DataFrame(
            {
                "task": ["b", "a", "b", "a"],
                "annotator": [2, 1, 1, 2],
                "label": [0, 1, 1, 0],
            }
        )
        wide = ma.convert_long_to_wide_dataset(long)
        assert wide.index.tolist() == ["a", "b"]
        assert wide.columns.tolist() == [1, 2]
        assert wide.to_numpy().tolist() == [[1, 0], [1, 0]]

    def test_errors(self):
        duplicated = pd.DataFrame(
            {"task": [0, 0], "annotator": ["x", "x"], "label": [1, 0]}
        )
        with pytest.raises(ValueError, match="Index contains duplicate entries"):
            ma.convert_long_to_wide_dataset(duplicated)
        with pytest.raises(KeyError, match="label"):
            ma.convert_long_to_wide_dataset(duplicated.drop(columns="label"))
        with pytest.raises(TypeError, match="must be a pandas DataFrame"):
            ma.convert_long_to_wide_dataset(duplicated.to_numpy())


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


GOOD = np.array([[0, 0], [1, 0], [1, 1]], dtype=float)
GOOD_PROBS = np.array([[0.8, 0.2], [0.4, 0.6], [0.3, 0.7]])


class TestValidation:
    @pytest.mark.parametrize(
        ("labels", "message"),
        [
            (np.array([0, 1, 1]), "must be a 2D array or dataframe"),
            ([[0, 1], [1, 1]], "must be either a NumPy array or Pandas DataFrame"),
            (np.array([["a", "b"], ["b", "b"]]), "Labels cannot be strings"),
            (
                np.array([[0, 1], [nan, nan], [1, 1]]),
                re.escape("Examples [1] do not have any labels"),
            ),
            (
                np.array([[0, nan], [1, nan]]),
                re.escape("Annotators [1] did not label any examples"),
            ),
            (np.array([[0], [1]]), "must have more than one column"),
            (np.array([[0, nan], [nan, 1]]), "Each example only has one label"),
            (
                np.array([[0, 0.5], [1, 1]]),
                "Labels must be zero-indexed integers.*Annotator 1 gave 0.5 to "
                "example 0",
            ),
            (
                np.array([[0, 0], [-1, 1]]),
                "Labels must be positive integers.*Annotator 0 gave -1 to example 1",
            ),
            (
                np.array([[0, 0], [1, np.inf]]),
                "Labels must be zero-indexed integers",
            ),
            (
                np.array([[0, {}], [1, 1]], dtype=object),
                "Labels must be zero-indexed integers.*Annotator 1 gave {} "
                r"\(dict\) to example 0",
            ),
        ],
    )
    def test_bad_labels(self, labels, message):
        with pytest.raises(ValueError, match=message):
            ma.get_majority_vote_label(labels)
        if isinstance(labels, np.ndarray) and labels.ndim == 2:
            with pytest.raises(ValueError, match=message):
                mu.assert_valid_inputs_multiannotator(labels)

    def test_dataframe_messages_name_annotators(self):
        frame = pd.DataFrame({"ann": [0, 1, 1], "bob": [nan, nan, nan]})
        with pytest.raises(ValueError, match=re.escape("Annotators ['bob'] did not")):
            ma.get_label_quality_multiannotator(frame, GOOD_PROBS)
        frame = pd.DataFrame({"ann": [0, 1, 1], "bob": [0, "cat", 1]})
        with pytest.raises(
            ValueError, match="Labels cannot be strings.*Annotator 'bob' gave 'cat'"
        ):
            ma.get_label_quality_multiannotator(frame, GOOD_PROBS)
        frame = pd.DataFrame({"ann": [0, 1, 1], "bob": [0, None, pd.NA]})
        out = ma.get_label_quality_multiannotator(frame, GOOD_PROBS, verbose=False)
        assert out["label_quality"]["num_annotations"].tolist() == [2, 1, 1]

    def test_no_agreement_warns(self):
        labels = np.array([[0, 1], [1, 0], [0, nan]])
        with pytest.warns(UserWarning, match="Annotators do not agree on any example"):
            mu.assert_valid_inputs_multiannotator(labels)

    def test_long_lists_are_cut(self):
        labels = np.full((30, 2), nan)
        labels[0] = [0, 1]
        with pytest.raises(ValueError, match=r"\.\.\. \(29 in total\)"):
            mu.assert_valid_inputs_multiannotator(labels)

    @pytest.mark.parametrize(
        ("pred_probs", "error", "message"),
        [
            (GOOD_PROBS.tolist(), TypeError, "pred_probs must be a numpy array"),
            (None, TypeError, "pred_probs must be a numpy array"),
            (
                GOOD_PROBS[None],
                ValueError,
                "pred_probs must be a 2d array. If you have a 3d pred_probs",
            ),
            (GOOD_PROBS[:2], ValueError, "pred_probs and labels_multiannotator must"),
            (np.ones((3, 1)), ValueError, "pred_probs must have at least 2 columns"),
            (GOOD_PROBS * nan, ValueError, "NaN"),
            (GOOD_PROBS * 2, ValueError, "between 0 and 1"),
        ],
    )
    def test_bad_pred_probs(self, pred_probs, error, message):
        with pytest.raises(error, match=message):
            ma.get_label_quality_multiannotator(GOOD, pred_probs)

    def test_label_beyond_pred_probs_columns_names_annotator(self):
        labels = pd.DataFrame({"ann": [0, 1, 2], "bob": [0, 1, 1]})
        with pytest.raises(
            ValueError,
            match="must have at least 3 columns.*annotator 'ann' gave label 2 to "
            "example 2",
        ):
            ma.get_label_quality_multiannotator(labels, GOOD_PROBS)

    @pytest.mark.parametrize(
        ("pred_probs", "message"),
        [
            (GOOD_PROBS, "pred_probs must be a 3d array. If you have a 2d"),
            (np.stack([GOOD_PROBS[:2]] * 2), "each pred_probs and labels_multiannot"),
            (np.zeros((0, 3, 2)), "holds no models"),
        ],
    )
    def test_bad_ensemble_pred_probs(self, pred_probs, message):
        with pytest.raises(ValueError, match=message):
            ma.get_label_quality_multiannotator_ensemble(GOOD, pred_probs)

    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"consensus_method": "foo"}, ValueError, "foo is not a valid consensus"),
            (
                {"consensus_method": ["best_quality", "mv"]},
                ValueError,
                re.escape("Please choose a valid consensus_method: ['majority_vote'"),
            ),
            ({"consensus_method": []}, ValueError, "non-empty list"),
            ({"quality_method": "foo"}, ValueError, "foo is not a valid quality"),
            (
                {"quality_method": "agreement", "return_weights": True},
                ValueError,
                "only applicable to the crowdlab quality method",
            ),
            (
                {"label_quality_score_kwargs": {"bad": 1}},
                TypeError,
                re.escape("unknown keys ['bad']"),
            ),
            (
                {"label_quality_score_kwargs": {"method": "x"}},
                ValueError,
                "x is not a valid scoring method",
            ),
            (
                {
                    "label_quality_score_kwargs": {
                        "method": "confidence_weighted_entropy",
                        "adjust_pred_probs": True,
                    }
                },
                ValueError,
                "adjust_pred_probs is not currently supported",
            ),
        ],
    )
    def test_bad_options(self, kwargs, error, message):
        with pytest.raises(error, match=message):
            ma.get_label_quality_multiannotator(GOOD, GOOD_PROBS, **kwargs)

    @pytest.mark.parametrize(
        ("args", "error", "message"),
        [
            ((GOOD, None, None), ValueError, "cannot both be None"),
            ((GOOD, GOOD_PROBS.tolist()), TypeError, "pred_probs must be a numpy"),
            (
                (None, None, [[0.5, 0.5]]),
                TypeError,
                "pred_probs_unlabeled must be a numpy array",
            ),
            ((GOOD, GOOD_PROBS[None]), ValueError, "If you have a 3d pred_probs"),
            (
                (GOOD, GOOD_PROBS, np.ones((1, 3)) / 3),
                ValueError,
                "must have the same number of classes",
            ),
            ((None, GOOD_PROBS), ValueError, "labels_multiannotator cannot be None"),
            ((GOOD[:, 0], GOOD_PROBS), ValueError, "must be a 2D array"),
            (
                (GOOD, GOOD_PROBS[:2]),
                ValueError,
                "pred_probs and labels_multiannotator must have same length",
            ),
        ],
    )
    def test_bad_active_learning_inputs(self, args, error, message):
        with pytest.raises(error, match=message):
            ma.get_active_learning_scores(*args)

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (
                (GOOD, GOOD_PROBS),
                "pred_probs must be a 3d array. If you have a 2d pred_probs array",
            ),
            (
                (None, None, GOOD_PROBS),
                "pred_probs_unlabeled must be a 3d array. If you have a 2d",
            ),
            (
                (GOOD, GOOD_PROBS[None], np.ones((1, 1, 3)) / 3),
                "must have the same number of classes",
            ),
        ],
    )
    def test_bad_active_learning_ensemble_inputs(self, args, message):
        with pytest.raises(ValueError, match=message):
            ma.get_active_learning_scores_ensemble(*args)

    def test_assert_valid_pred_probs(self):
        mu.assert_valid_pred_probs(GOOD_PROBS)
        mu.assert_valid_pred_probs(pred_probs_unlabeled=GOOD_PROBS[None], ensemble=True)
        with pytest.raises(ValueError, match="cannot both be None"):
            mu.assert_valid_pred_probs()


def test_package_attribute():
    """`cleanlab.multiannotator` is reachable from the package."""
    assert "multiannotator" in cleanlab.SUBMODULES
    assert cleanlab.multiannotator is ma


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


@st.composite
def crowds(draw):
    """A valid (labels, pred_probs) pair: every row and column labelled, some
    example labelled twice; pred_probs continuous, so no tie survives them."""
    n = draw(st.integers(3, 10))
    m = draw(st.integers(2, 5))
    k = draw(st.integers(2, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    present = rng.random((n, m)) < draw(st.floats(0.2, 0.9))
    present[np.arange(n), rng.integers(0, m, n)] = True
    present[rng.integers(0, n, m), np.arange(m)] = True
    present[0, :2] = True
    labels = np.where(present, rng.integers(0, k, (n, m)), nan)
    pred_probs = rng.dirichlet(np.ones(k), size=n)
    return labels, pred_probs


def _quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


@settings(max_examples=25, deadline=None)
@given(crowds(), st.sampled_from(["best_quality", "majority_vote", "dawid_skene"]))
def test_property_inputs_unchanged_and_shapes(data, method):
    labels, pred_probs = data
    n, m = labels.shape
    frame = pd.DataFrame(labels, columns=[f"a{j}" for j in range(m)])
    copies = labels.copy(), pred_probs.copy(), frame.copy()
    out = _quiet(
        ma.get_label_quality_multiannotator,
        frame,
        pred_probs,
        consensus_method=method,
        calibrate_probs=True,
        return_weights=True,
        verbose=False,
    )
    lq = out["label_quality"]
    assert lq.shape == (n, 4)
    assert lq.dtypes.tolist() == [np.int64, np.float64, np.float64, np.int64]
    assert lq["consensus_label"].between(0, pred_probs.shape[1] - 1).all()
    assert lq["consensus_quality_score"].between(0, 1).all()
    assert out["detailed_label_quality"].shape == (n, m)
    assert np.array_equal(
        out["detailed_label_quality"].isna().to_numpy(), np.isnan(labels)
    )
    stats = out["annotator_stats"]
    assert sorted(stats.index) == sorted(frame.columns)
    assert stats["num_examples_labeled"].sum() == np.count_nonzero(~np.isnan(labels))
    assert out["annotator_weight"].shape == (m,)
    assert np.all(out["annotator_weight"] >= 1e-6)
    labeled, unlabeled = _quiet(
        ma.get_active_learning_scores, frame, pred_probs, pred_probs[:2]
    )
    assert labeled.shape == (n,)
    assert unlabeled.shape == (2,)
    ensemble = np.stack([pred_probs, pred_probs[:, ::-1]])
    ensemble_copy = ensemble.copy()
    _quiet(ma.get_active_learning_scores_ensemble, labels, ensemble, ensemble[:, :2])
    _quiet(
        ma.get_label_quality_multiannotator_ensemble,
        labels,
        ensemble,
        calibrate_probs=True,
        verbose=False,
    )
    np.testing.assert_array_equal(labels, copies[0])
    np.testing.assert_array_equal(pred_probs, copies[1])
    pd.testing.assert_frame_equal(frame, copies[2])
    np.testing.assert_array_equal(ensemble, ensemble_copy)


@settings(max_examples=25, deadline=None)
@given(crowds(), st.randoms(use_true_random=False))
def test_property_annotator_order_does_not_matter(data, random):
    """Permuting the annotator columns permutes the annotator outputs only."""
    labels, pred_probs = data
    m = labels.shape[1]
    frame = pd.DataFrame(labels, columns=[f"a{j}" for j in range(m)])
    order = list(frame.columns)
    random.shuffle(order)
    kwargs = {"return_weights": True, "verbose": False}
    base = _quiet(ma.get_label_quality_multiannotator, frame, pred_probs, **kwargs)
    moved = _quiet(
        ma.get_label_quality_multiannotator, frame[order], pred_probs, **kwargs
    )
    lq, lq_moved = base["label_quality"], moved["label_quality"]
    np.testing.assert_array_equal(lq["consensus_label"], lq_moved["consensus_label"])
    np.testing.assert_allclose(
        lq.drop(columns="consensus_label"),
        lq_moved.drop(columns="consensus_label"),
        rtol=1e-9,
    )
    names = [f"quality_annotator_{a}" for a in order]
    np.testing.assert_allclose(
        base["detailed_label_quality"][names], moved["detailed_label_quality"]
    )
    stats = base["annotator_stats"].loc[order]
    stats_moved = moved["annotator_stats"].loc[order]
    np.testing.assert_array_equal(stats["worst_class"], stats_moved["worst_class"])
    np.testing.assert_allclose(
        stats.drop(columns="worst_class"),
        stats_moved.drop(columns="worst_class"),
        rtol=1e-9,
    )
    positions = [int(a[1:]) for a in order]
    np.testing.assert_allclose(
        base["annotator_weight"][positions], moved["annotator_weight"], rtol=1e-12
    )
    vote = ma.get_majority_vote_label(frame, pred_probs, verbose=False)
    vote_moved = ma.get_majority_vote_label(frame[order], pred_probs, verbose=False)
    np.testing.assert_array_equal(vote, vote_moved)


@settings(max_examples=30, deadline=None)
@given(crowds(), st.integers(1, 3))
def test_property_matches_spec_formulas(data, num_models):
    """CROWDLAB (single and ensemble) equals the spec's formulas, term by term."""
    labels, pred_probs = data
    rng = np.random.default_rng(int(pred_probs[0, 0] * 1e6))
    models = [pred_probs] + [
        rng.dirichlet(np.ones(pred_probs.shape[1]), size=len(labels))
        for _ in range(num_models - 1)
    ]
    expected = _best_quality_by_hand(labels, models)
    kwargs = {"return_weights": True, "verbose": False}
    if num_models == 1:
        out = _quiet(ma.get_label_quality_multiannotator, labels, pred_probs, **kwargs)
        _assert_matches_by_hand(out, expected)
    out = _quiet(
        ma.get_label_quality_multiannotator_ensemble, labels, np.stack(models), **kwargs
    )
    _assert_matches_by_hand(out, expected)
