"""Tests of cleanlab.experimental.label_issues_batched."""

import numpy as np
import pytest
from helpers import make_noisy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cleanlab import count, filter, rank
from cleanlab.experimental.label_issues_batched import (
    LabelInspector,
    find_label_issues_batched,
    split_arr,
)
from cleanlab.internal.errors import InvalidOptionError, PredProbsNormalizationWarning

CALIBRATED = {"estimation_method": "off_diagonal_calibrated"}


def _feed(inspector, labels, pred_probs, batch_size):
    """Run both passes of `inspector` over the data in batches of `batch_size`."""
    starts = range(0, len(labels), batch_size)
    for start in starts:
        rows = slice(start, start + batch_size)
        inspector.update_confident_thresholds(labels[rows], pred_probs[rows])
    for start in starts:
        rows = slice(start, start + batch_size)
        inspector.score_label_quality(labels[rows], pred_probs[rows])
    return inspector


class TestWorkedExample:
    """Spec 7.1/7.2 on the 13 x 3 data of spec 1.2."""

    @pytest.mark.parametrize("batch_size", [1, 2, 5, 13, 100])
    def test_issues_any_batch_size(self, toy, batch_size):
        """Examples 5 and 4 are the issues, worst first, whatever the batches."""
        labels, pred_probs = toy
        issues = find_label_issues_batched(
            labels, pred_probs, batch_size=batch_size, verbose=False
        )
        assert issues.dtype == np.int64
        np.testing.assert_array_equal(issues, [5, 4])

    def test_mask(self, toy):
        """`return_mask` gives the same examples as a boolean mask."""
        labels, pred_probs = toy
        mask = find_label_issues_batched(
            labels, pred_probs, batch_size=4, verbose=False, return_mask=True
        )
        assert mask.dtype == bool
        np.testing.assert_array_equal(np.flatnonzero(mask), [4, 5])

    def test_adjusted_scores(self, toy):
        """With adjusted pred_probs the issues are examples 5 and 12 (spec 7.1)."""
        labels, pred_probs = toy
        issues = find_label_issues_batched(
            labels,
            pred_probs,
            batch_size=3,
            verbose=False,
            quality_score_kwargs={"adjust_pred_probs": True},
        )
        assert sorted(issues.tolist()) == [5, 12]

    def test_thresholds_of_rows_seen(self, toy):
        """After each batch the thresholds are get_confident_thresholds of the
        rows seen so far, bit for bit: classes not seen yet get 2.0 (FIX)."""
        labels, pred_probs = toy
        inspector = LabelInspector(num_class=3, verbose=False)
        np.testing.assert_array_equal(inspector.confident_thresholds, np.zeros(3))
        inspector.update_confident_thresholds(labels[:5], pred_probs[:5])
        np.testing.assert_allclose(inspector.get_confident_thresholds(), [0.64, 2, 2])
        inspector.update_confident_thresholds(labels[5:9], pred_probs[5:9])
        inspector.update_confident_thresholds(labels[9:], pred_probs[9:])
        thresholds = inspector.get_confident_thresholds()
        np.testing.assert_allclose(thresholds, [0.55, 0.625, 0.566667], atol=1e-6)
        np.testing.assert_array_equal(
            thresholds, count.get_confident_thresholds(labels, pred_probs)
        )
        assert inspector.confident_thresholds is thresholds
        assert inspector.examples_processed_thresh == 13
        np.testing.assert_array_equal(inspector.examples_per_class, [6, 4, 3])

    def test_counts_a_confident_class_other_than_the_argmax(self):
        """Row 7 (label 0) is confident only in class 2, not in its argmax 1: the
        in-memory rule counts it, so there is one issue, the lowest
        self-confidence (row 5). cleanlab 2.9's batched rule counts 0."""
        labels = np.array([0, 0, 0, 1, 1, 2, 2, 0])
        pred_probs = np.array(
            [
                [0.9, 0.05, 0.05],
                [0.8, 0.1, 0.1],
                [0.7, 0.2, 0.1],
                [0.1, 0.85, 0.05],
                [0.1, 0.75, 0.15],
                [0.3, 0.5, 0.2],
                [0.15, 0.6, 0.25],
                [0.3, 0.45, 0.25],
            ]
        )
        # Thresholds 0.675, 0.8, 0.225: row 7 reaches only class 2's.
        issues = find_label_issues_batched(
            labels, pred_probs, batch_size=3, verbose=False
        )
        np.testing.assert_array_equal(issues, [5])
        np.testing.assert_array_equal(
            issues,
            filter.find_label_issues(
                labels,
                pred_probs,
                filter_by="low_self_confidence",
                return_indices_ranked_by="self_confidence",
            ),
        )

    def test_inspector_results(self, toy):
        """Two batches: 2 issues, ranked [5, 4]; scores are the self-confidences."""
        labels, pred_probs = toy
        inspector = _feed(LabelInspector(num_class=3, verbose=False), *toy, 7)
        assert inspector.get_num_issues() == 2
        np.testing.assert_array_equal(inspector.get_label_issues(), [5, 4])
        np.testing.assert_allclose(
            inspector.get_quality_scores(), pred_probs[np.arange(13), labels]
        )
        assert inspector.examples_processed_quality == 13

    def test_verbose_prints(self, toy, capsys):
        """verbose=True prints the number of examples evaluated."""
        find_label_issues_batched(*toy, batch_size=5)
        out = capsys.readouterr().out
        assert "Total number of examples whose labels have been evaluated: 13" in out


class TestAgreement:
    """The batched result against the in-memory functions and itself."""

    @pytest.mark.parametrize("seed", [0, 1, 2])
    def test_matches_in_memory(self, seed):
        """Same ranked issues as filter.find_label_issues(low_self_confidence)
        on this data (the counts agree with count.num_label_issues)."""
        labels, pred_probs, _ = make_noisy(3000, 6, seed=seed)
        batched = find_label_issues_batched(
            labels, pred_probs, batch_size=700, verbose=False
        )
        in_memory = filter.find_label_issues(
            labels,
            pred_probs,
            filter_by="low_self_confidence",
            return_indices_ranked_by="self_confidence",
        )
        np.testing.assert_array_equal(batched, in_memory)

    def test_ranked_by_score(self):
        """Indices come worst first: their scores never decrease."""
        labels, pred_probs, _ = make_noisy(2000, 4, seed=3)
        issues = find_label_issues_batched(
            labels,
            pred_probs,
            verbose=False,
            quality_score_kwargs={"method": "normalized_margin"},
        )
        scores = rank.get_label_quality_scores(
            labels, pred_probs, method="normalized_margin"
        )
        assert len(issues) > 10
        assert np.all(np.diff(scores[issues]) >= 0)

    @pytest.mark.parametrize("num_issue_kwargs", [None, CALIBRATED])
    def test_independent_of_batches_and_jobs(self, num_issue_kwargs):
        """Batch sizes N/4, N/2, N+100, 1 and n_jobs 1/None/4 agree (spec App. C)."""
        labels, pred_probs, _ = make_noisy(800, 4, seed=4)
        n = len(labels)
        results = [
            find_label_issues_batched(
                labels,
                pred_probs,
                batch_size=batch_size,
                n_jobs=n_jobs,
                verbose=False,
                num_issue_kwargs=num_issue_kwargs,
            )
            for batch_size, n_jobs in [
                (n // 4, 1),
                (n // 2, None),
                (n + 100, 4),
                (1, 1),
            ]
        ]
        for result in results[1:]:
            np.testing.assert_array_equal(result, results[0])

    @pytest.mark.parametrize(
        "estimation_method", ["off_diagonal", CALIBRATED["estimation_method"]]
    )
    def test_count_is_num_label_issues(self, estimation_method):
        """The inspector's count is count.num_label_issues of the same rows."""
        labels, pred_probs, _ = make_noisy(3000, 5, seed=5)
        inspector = _feed(
            LabelInspector(
                num_class=5,
                verbose=False,
                num_issue_kwargs={"estimation_method": estimation_method},
            ),
            labels,
            pred_probs,
            1000,
        )
        expected = count.num_label_issues(
            labels, pred_probs, estimation_method=estimation_method
        )
        assert inspector.get_num_issues() == expected

    def test_calibrated_differs_from_default(self):
        """The calibrated estimate is another number (spec Appendix C)."""
        labels, pred_probs, _ = make_noisy(3000, 5, seed=5)
        plain = find_label_issues_batched(labels, pred_probs, verbose=False)
        calibrated = find_label_issues_batched(
            labels, pred_probs, verbose=False, num_issue_kwargs=CALIBRATED
        )
        assert len(plain) != len(calibrated)
        expected = count.num_label_issues(
            labels, pred_probs, estimation_method="off_diagonal_calibrated"
        )
        assert len(calibrated) == expected

    def test_calibrated_exact_with_threads_and_big_batches(self):
        """The calibrated count is the same with n_jobs=2 and batches over 5000
        rows (cleanlab 2.9 undercounts there)."""
        labels, pred_probs, _ = make_noisy(12000, 3, seed=6)
        counts = [
            _feed(
                LabelInspector(
                    num_class=3, verbose=False, num_issue_kwargs=CALIBRATED, n_jobs=j
                ),
                labels,
                pred_probs,
                12000,
            ).get_num_issues()
            for j in (1, 2)
        ]
        assert counts[0] == counts[1]

    def test_memmap_files(self, tmp_path):
        """`.npy` files are read as memory maps and give the in-memory result."""
        labels, pred_probs, _ = make_noisy(1500, 5, seed=7, dtype=np.float32)
        np.save(tmp_path / "labels.npy", labels)
        np.save(tmp_path / "pred_probs.npy", pred_probs)
        from_files = find_label_issues_batched(
            labels_file=str(tmp_path / "labels.npy"),
            pred_probs_file=str(tmp_path / "pred_probs.npy"),
            batch_size=400,
            verbose=False,
        )
        from_arrays = find_label_issues_batched(
            labels, pred_probs, batch_size=1500, verbose=False
        )
        np.testing.assert_array_equal(from_files, from_arrays)

    def test_float32_scores_stay_float32(self):
        """float32 pred_probs are scored in float32 (no float64 copy of a batch)."""
        labels, pred_probs, _ = make_noisy(300, 3, seed=8, dtype=np.float32)
        inspector = _feed(
            LabelInspector(num_class=3, verbose=False), *[labels, pred_probs], 100
        )
        assert inspector.get_quality_scores().dtype == np.float32

    def test_list_labels(self, toy):
        """Labels as a Python list work like an array."""
        labels, pred_probs = toy
        issues = find_label_issues_batched(
            labels.tolist(), pred_probs, batch_size=4, verbose=False
        )
        np.testing.assert_array_equal(issues, [5, 4])

    def test_inputs_unchanged(self):
        """Neither input array is modified."""
        labels, pred_probs, _ = make_noisy(500, 3, seed=9)
        before = labels.copy(), pred_probs.copy()
        find_label_issues_batched(labels, pred_probs, batch_size=128, verbose=False)
        np.testing.assert_array_equal(labels, before[0])
        np.testing.assert_array_equal(pred_probs, before[1])

    @settings(max_examples=30, deadline=None)
    @given(
        seed=st.integers(0, 10_000),
        n=st.integers(2, 60),
        k=st.integers(2, 5),
        batch_size=st.integers(1, 70),
    )
    def test_property_batch_invariance(self, seed, n, k, batch_size):
        """Any batch size gives the one-batch result; indices are distinct."""
        labels, pred_probs, _ = make_noisy(n, k, seed=seed)
        whole = find_label_issues_batched(
            labels, pred_probs, batch_size=n, verbose=False
        )
        batched = find_label_issues_batched(
            labels, pred_probs, batch_size=batch_size, verbose=False
        )
        np.testing.assert_array_equal(batched, whole)
        assert len(np.unique(batched)) == len(batched)

    @settings(max_examples=60, deadline=None)
    @given(
        seed=st.integers(0, 10_000),
        n=st.integers(2, 80),
        k=st.integers(2, 6),
        batch_size=st.integers(1, 90),
        dtype=st.sampled_from([np.float32, np.float64]),
        method=st.sampled_from(["self_confidence", "normalized_margin"]),
        drop_last_class=st.booleans(),
    )
    def test_property_equals_in_memory(
        self, seed, n, k, batch_size, dtype, method, drop_last_class
    ):
        """Any data, batches and dtype: exactly the in-memory low_* result,
        also when a class has no examples."""
        labels, pred_probs, _ = make_noisy(n, k, seed=seed, dtype=dtype)
        if drop_last_class:
            labels[labels == k - 1] = 0
        assume(len(np.unique(labels)) > 1)  # the in-memory filter needs 2 classes
        expected = filter.find_label_issues(
            labels,
            pred_probs,
            filter_by=f"low_{method}",
            return_indices_ranked_by=method,
        )
        batched = find_label_issues_batched(
            labels,
            pred_probs,
            batch_size=batch_size,
            verbose=False,
            quality_score_kwargs={"method": method},
        )
        np.testing.assert_array_equal(batched, expected)

    @pytest.mark.parametrize("dtype", [np.float32, np.float64])
    @pytest.mark.parametrize("num_issue_kwargs", [None, CALIBRATED])
    @pytest.mark.parametrize(
        "method",
        ["self_confidence", "normalized_margin", "confidence_weighted_entropy"],
    )
    def test_two_pass_shortcut_equals_batch_by_batch_scoring(
        self, dtype, num_issue_kwargs, method
    ):
        """find_label_issues_batched scores in pass 1 and re-reads only the rows
        whose argmax is below its threshold; feeding every batch to
        `score_label_quality` (which reads them all again) gives the same
        issues, scores and count."""
        labels, pred_probs, _ = make_noisy(4000, 7, seed=12, noise=0.4, dtype=dtype)
        labels[labels == 6] = 5  # class 6 never given: threshold 2.0
        issues = find_label_issues_batched(
            labels,
            pred_probs,
            batch_size=300,
            verbose=False,
            num_issue_kwargs=num_issue_kwargs,
            quality_score_kwargs={"method": method},
        )
        inspector = _feed(
            LabelInspector(
                num_class=7,
                verbose=False,
                num_issue_kwargs=num_issue_kwargs,
                quality_score_kwargs={"method": method},
            ),
            labels,
            pred_probs,
            300,
        )
        np.testing.assert_array_equal(issues, inspector.get_label_issues())
        expected = count.num_label_issues(
            labels,
            pred_probs,
            estimation_method=(num_issue_kwargs or {}).get(
                "estimation_method", "off_diagonal"
            ),
        )
        assert len(issues) == inspector.get_num_issues() == expected
        scores = inspector.get_quality_scores()
        np.testing.assert_array_equal(
            scores, rank.get_label_quality_scores(labels, pred_probs, method=method)
        )

    def test_flat_predictions_many_classes(self):
        """Near-uniform float32 predictions over 40 classes, where some of the
        lowest self-confidences belong to rows whose label is their argmax:
        flagged in memory (no `_reduce_issues` for low_*), and so here too."""
        rng = np.random.default_rng(11)
        pred_probs = rng.dirichlet(np.full(40, 5.0), size=4000).astype(np.float32)
        labels = rng.integers(0, 40, 4000)
        labels[:1500] = pred_probs[:1500].argmax(axis=1)
        expected = filter.find_label_issues(
            labels,
            pred_probs,
            filter_by="low_self_confidence",
            return_indices_ranked_by="self_confidence",
        )
        assert np.any(pred_probs[expected].argmax(axis=1) == labels[expected])
        for batch_size, n_jobs in [(333, 1), (4000, 2)]:
            batched = find_label_issues_batched(
                labels, pred_probs, batch_size=batch_size, n_jobs=n_jobs, verbose=False
            )
            np.testing.assert_array_equal(batched, expected)


class TestErrors:
    """Every error path names the argument at fault."""

    def test_both_array_and_file(self, toy):
        with pytest.raises(ValueError, match="only specify one of: `labels`"):
            find_label_issues_batched(toy[0], toy[1], labels_file="x.npy")
        with pytest.raises(ValueError, match="only specify one of: `pred_probs`"):
            find_label_issues_batched(toy[0], toy[1], pred_probs_file="x.npy")

    def test_missing_inputs(self, toy):
        with pytest.raises(ValueError, match="must provide one of: `labels`"):
            find_label_issues_batched(pred_probs=toy[1])
        with pytest.raises(ValueError, match="must provide one of: `pred_probs`"):
            find_label_issues_batched(labels=toy[0])

    def test_file_not_a_string(self, toy):
        with pytest.raises(ValueError, match="labels_file must be str"):
            find_label_issues_batched(labels_file=3, pred_probs=toy[1])

    def test_length_mismatch(self, toy):
        with pytest.raises(ValueError, match=r"len\(labels\)=12 does not match"):
            find_label_issues_batched(toy[0][:12], toy[1], verbose=False)

    def test_pred_probs_not_2d(self, toy):
        with pytest.raises(ValueError, match="`pred_probs` must be a 2-D"):
            find_label_issues_batched(toy[0], toy[1][:, 0], verbose=False)

    def test_nan_names_global_row(self, toy):
        """The message gives the row number in the whole array, not the batch."""
        labels, pred_probs = toy
        pred_probs = pred_probs.copy()
        pred_probs[9, 1] = np.nan
        with pytest.raises(ValueError, match=r"NaN.*first: row 9\).*rows 8 to 11"):
            find_label_issues_batched(labels, pred_probs, batch_size=4, verbose=False)

    def test_out_of_range_probabilities(self, toy):
        with pytest.raises(ValueError, match="must be between 0 and 1"):
            find_label_issues_batched(toy[0], toy[1] * 3, verbose=False)

    def test_label_too_large(self, toy):
        labels = toy[0].copy()
        labels[3] = 3
        with pytest.raises(ValueError, match=r"below 3 .*`labels\[3\]` is 3"):
            find_label_issues_batched(labels, toy[1], verbose=False)

    def test_string_labels(self, toy):
        with pytest.raises(ValueError, match="Labels cannot be strings"):
            find_label_issues_batched(toy[0].astype(str), toy[1], verbose=False)

    @pytest.mark.parametrize("batch_size", [0, -1, 2.5])
    def test_bad_batch_size(self, toy, batch_size):
        with pytest.raises(ValueError, match="`batch_size` must be a positive"):
            find_label_issues_batched(*toy, batch_size=batch_size, verbose=False)

    def test_bad_n_jobs(self, toy):
        with pytest.raises(InvalidOptionError, match="`n_jobs` must be None or"):
            find_label_issues_batched(*toy, n_jobs=0, verbose=False)

    def test_unknown_score_kwargs(self, toy):
        with pytest.raises(ValueError, match="unexpected keys \\['rank_by'\\]"):
            find_label_issues_batched(
                *toy, quality_score_kwargs={"rank_by": "x"}, verbose=False
            )

    def test_unknown_method(self, toy):
        with pytest.raises(ValueError, match="not a valid scoring method"):
            find_label_issues_batched(
                *toy, quality_score_kwargs={"method": "x"}, verbose=False
            )

    def test_unknown_estimation_method(self, toy):
        with pytest.raises(ValueError, match="estimation_method.*'off_diagonal'"):
            find_label_issues_batched(
                *toy, num_issue_kwargs={"estimation_method": "x"}, verbose=False
            )

    def test_unnormalized_rows_warn_once(self, toy):
        labels, pred_probs = toy
        with pytest.warns(PredProbsNormalizationWarning, match="`pred_probs` rows"):
            issues = find_label_issues_batched(
                labels, pred_probs * 0.5, batch_size=4, verbose=False
            )
        assert issues.dtype == np.int64


class TestInspectorErrors:
    """LabelInspector refuses calls made in the wrong order or with bad batches."""

    def test_thresholds_before_update(self):
        inspector = LabelInspector(num_class=3, verbose=False)
        with pytest.raises(ValueError, match="Have not computed any confident"):
            inspector.get_confident_thresholds()

    def test_score_before_thresholds(self, toy):
        inspector = LabelInspector(num_class=3, verbose=False)
        with pytest.raises(ValueError, match="Call `update_confident_thresholds"):
            inspector.score_label_quality(*toy)

    def test_num_issues_before_scoring(self, toy):
        inspector = LabelInspector(num_class=3, verbose=False)
        inspector.update_confident_thresholds(*toy)
        with pytest.raises(ValueError, match="Have not evaluated any labels yet"):
            inspector.get_num_issues()
        with pytest.raises(ValueError, match="Have not evaluated any labels yet"):
            inspector.get_label_issues()

    def test_no_stored_results(self, toy):
        inspector = _feed(
            LabelInspector(num_class=3, verbose=False, store_results=False), *toy, 13
        )
        assert inspector.get_num_issues() == 2
        with pytest.raises(ValueError, match="with `store_results` == True"):
            inspector.get_quality_scores()

    def test_wrong_number_of_columns(self, toy):
        inspector = LabelInspector(num_class=4, verbose=False)
        with pytest.raises(ValueError, match="num_class must equal pred_probs"):
            inspector.update_confident_thresholds(*toy)

    def test_batch_length_mismatch(self, toy):
        inspector = LabelInspector(num_class=3, verbose=False)
        with pytest.raises(ValueError, match="labels and pred_probs must have same"):
            inspector.update_confident_thresholds(toy[0][:5], toy[1])

    @pytest.mark.parametrize("num_class", [0, 2.0, None])
    def test_bad_num_class(self, num_class):
        with pytest.raises(ValueError, match="`num_class` must be a positive"):
            LabelInspector(num_class=num_class)


def test_split_arr():
    """split_arr cuts consecutive pieces of the given size (spec 7.3)."""
    pieces = split_arr(np.arange(7), 3)
    assert [p.tolist() for p in pieces] == [[0, 1, 2], [3, 4, 5], [6]]
    with pytest.raises(ValueError, match="`chunksize` must be a positive"):
        split_arr(np.arange(7), 0)
