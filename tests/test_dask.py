"""Dask arrays chunked by rows give exactly the in-memory results.

Runs against a real `dask.distributed.LocalCluster` (two worker processes, one
thread each, on loopback), started once for the module.
"""

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from helpers import make_noisy

import cleanlab
from cleanlab import count, dataset, filter, rank
from cleanlab.internal.errors import PredProbsNormalizationWarning
from cleanlab.internal.pairwise_sum import (
    block_leaf_sums,
    mean_from_leaf_sums,
    merge_leaf_sums,
)

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("dask.distributed")

PACKAGE_ROOT = str(Path(cleanlab.__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def client():
    """A two-process LocalCluster on loopback, and a Client that is the default."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # The workers import the cleanlab under test, not another copy.
            env={"PYTHONPATH": PACKAGE_ROOT},
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def as_dask(labels, pred_probs, chunks):
    """`labels` and `pred_probs` as Dask arrays with the row chunks `chunks`."""
    return (
        da.from_array(np.asarray(labels), chunks=(chunks,)),
        da.from_array(pred_probs, chunks=(chunks, -1)),
    )


def tied_data(n=600, k=4, seed=0):
    """Rows drawn from 5 distinct probability vectors: many exactly equal values."""
    rng = np.random.default_rng(seed)
    palette = rng.dirichlet(np.ones(k), size=5)
    pred_probs = palette[rng.integers(0, 5, n)]
    labels = rng.integers(0, k, n)
    labels[:k] = np.arange(k)
    return labels, pred_probs


def sorted_by_class(n=900, k=6, seed=2, missing=(4,)):
    """Noisy data sorted by label, so every block misses most classes; the
    classes in `missing` have no example at all."""
    labels, pred_probs, _ = make_noisy(n, k, seed=seed, dtype=np.float32)
    keep = ~np.isin(labels, missing)
    labels, pred_probs = labels[keep], pred_probs[keep]
    order = np.argsort(labels, kind="stable")
    return labels[order], pred_probs[order]


SHAPES = [
    pytest.param(500, 3, 100, np.float64, id="500x3-float64"),
    pytest.param(1203, 7, (300, 1, 402, 500), np.float32, id="1203x7-ragged"),
    pytest.param(64, 4, 64, np.float32, id="64x4-one-block"),
]


class TestFindLabelIssues:
    @pytest.mark.parametrize(("n", "k", "chunks", "dtype"), SHAPES)
    def test_every_filter_by(self, client, n, k, chunks, dtype):
        """Each filter_by flags the in-memory mask; the result is numpy."""
        labels, pred_probs, _ = make_noisy(n, k, seed=n, dtype=dtype)
        dlabels, dprobs = as_dask(labels, pred_probs, chunks)
        for filter_by in filter.FILTER_BY:
            expected = filter.find_label_issues(labels, pred_probs, filter_by=filter_by)
            got = filter.find_label_issues(dlabels, dprobs, filter_by=filter_by)
            assert isinstance(got, np.ndarray), filter_by
            assert got.dtype == expected.dtype, filter_by
            np.testing.assert_array_equal(got, expected, err_msg=filter_by)

    @pytest.mark.parametrize(
        ("rank_by", "kwargs"),
        [
            ("self_confidence", {}),
            ("normalized_margin", {"adjust_pred_probs": True}),
            ("confidence_weighted_entropy", {}),
        ],
    )
    def test_ranked_indices(self, client, rank_by, kwargs):
        """return_indices_ranked_by gives the in-memory order."""
        labels, pred_probs, _ = make_noisy(800, 5, seed=7, dtype=np.float32)
        dlabels, dprobs = as_dask(labels, pred_probs, 150)
        for filter_by in ("prune_by_noise_rate", "low_normalized_margin"):
            options = dict(
                filter_by=filter_by,
                return_indices_ranked_by=rank_by,
                rank_by_kwargs=kwargs,
            )
            expected = filter.find_label_issues(labels, pred_probs, **options)
            got = filter.find_label_issues(dlabels, dprobs, **options)
            assert got.dtype == expected.dtype
            np.testing.assert_array_equal(got, expected)

    def test_classes_missing_from_blocks(self, client):
        """Sorted labels: blocks hold one or two classes, class 4 none at all."""
        labels, pred_probs = sorted_by_class()
        dlabels, dprobs = as_dask(labels, pred_probs, 130)
        for filter_by in filter.FILTER_BY:
            expected = filter.find_label_issues(labels, pred_probs, filter_by=filter_by)
            got = filter.find_label_issues(dlabels, dprobs, filter_by=filter_by)
            np.testing.assert_array_equal(got, expected, err_msg=filter_by)

    def test_ties_at_the_cut(self, client):
        """Equal values straddling a selection cut are settled as np.argsort does."""
        labels, pred_probs = tied_data()
        dlabels, dprobs = as_dask(labels, pred_probs, 111)
        for filter_by in filter.FILTER_BY:
            expected = filter.find_label_issues(labels, pred_probs, filter_by=filter_by)
            got = filter.find_label_issues(dlabels, dprobs, filter_by=filter_by)
            np.testing.assert_array_equal(got, expected, err_msg=filter_by)
            assert expected.any(), filter_by

    def test_ties_at_zero_margins(self, client):
        """A uniform row among the tied ones: margins of exactly zero straddle
        the cuts of the noise-rate rule, as do equal self-confidences."""
        labels, pred_probs = tied_data(seed=0)
        palette_row = np.full(pred_probs.shape[1], 1 / pred_probs.shape[1])
        pred_probs[::4] = palette_row
        dlabels, dprobs = as_dask(labels, pred_probs, 97)
        for filter_by in filter.FILTER_BY:
            expected = filter.find_label_issues(labels, pred_probs, filter_by=filter_by)
            got = filter.find_label_issues(dlabels, dprobs, filter_by=filter_by)
            np.testing.assert_array_equal(got, expected, err_msg=filter_by)

    def test_prune_options(self, client):
        """frac_noise, min_examples_per_class, num_to_remove_per_class and a
        given confident joint are honoured as in memory."""
        labels, pred_probs, _ = make_noisy(700, 4, seed=3)
        dlabels, dprobs = as_dask(labels, pred_probs, 200)
        joint = count.compute_confident_joint(labels, pred_probs)
        for options in (
            {"frac_noise": 0.5, "min_examples_per_class": 5},
            {"filter_by": "both", "num_to_remove_per_class": [3, 0, 5, 2]},
            {"filter_by": "prune_by_class", "confident_joint": joint},
        ):
            expected = filter.find_label_issues(labels, pred_probs, **options)
            got = filter.find_label_issues(dlabels, dprobs, **options)
            np.testing.assert_array_equal(got, expected, err_msg=str(options))

    def test_empty_blocks(self, client):
        """Blocks without rows (as left by filtering) are skipped."""
        labels, pred_probs, _ = make_noisy(300, 3, seed=6)
        dlabels, dprobs = as_dask(labels, pred_probs, (100, 0, 150, 0, 50))
        for filter_by in ("prune_by_noise_rate", "low_self_confidence"):
            np.testing.assert_array_equal(
                filter.find_label_issues(
                    dlabels,
                    dprobs,
                    filter_by=filter_by,
                    return_indices_ranked_by="self_confidence",
                ),
                filter.find_label_issues(
                    labels,
                    pred_probs,
                    filter_by=filter_by,
                    return_indices_ranked_by="self_confidence",
                ),
            )
        np.testing.assert_array_equal(
            rank.get_label_quality_scores(dlabels, dprobs).compute(),
            rank.get_label_quality_scores(labels, pred_probs),
        )

    def test_in_memory_labels(self, client):
        """Labels may stay in memory (a list even) beside Dask pred_probs."""
        labels, pred_probs, _ = make_noisy(300, 3, seed=4)
        _, dprobs = as_dask(labels, pred_probs, 70)
        np.testing.assert_array_equal(
            filter.find_label_issues(list(labels), dprobs),
            filter.find_label_issues(labels, pred_probs),
        )

    def test_too_few_examples_warning(self, client):
        """A class with too few examples warns, as in memory."""
        labels, pred_probs, _ = make_noisy(300, 3, seed=5)
        dlabels, dprobs = as_dask(labels, pred_probs, 100)
        with pytest.warns(UserWarning, match="too few examples"):
            filter.find_label_issues(dlabels, dprobs, min_examples_per_class=200)


class TestOtherFunctions:
    @pytest.mark.parametrize(("n", "k", "chunks", "dtype"), SHAPES)
    def test_confident_joint_and_counts(self, client, n, k, chunks, dtype):
        """compute_confident_joint and num_label_issues, every option."""
        labels, pred_probs, _ = make_noisy(n, k, seed=n + 1, dtype=dtype)
        dlabels, dprobs = as_dask(labels, pred_probs, chunks)
        for calibrate in (True, False):
            np.testing.assert_array_equal(
                count.compute_confident_joint(dlabels, dprobs, calibrate=calibrate),
                count.compute_confident_joint(labels, pred_probs, calibrate=calibrate),
            )
        joint, off = count.compute_confident_joint(
            dlabels,
            dprobs,
            thresholds=np.full(k, 0.3),
            return_indices_of_off_diagonals=True,
        )
        joint_ref, off_ref = count.compute_confident_joint(
            labels,
            pred_probs,
            thresholds=np.full(k, 0.3),
            return_indices_of_off_diagonals=True,
        )
        np.testing.assert_array_equal(joint, joint_ref)
        np.testing.assert_array_equal(off, off_ref)
        custom = count.compute_confident_joint(labels, pred_probs, calibrate=False)
        for method in count.ESTIMATION_METHODS:
            given = {"confident_joint": custom} if method.endswith("custom") else {}
            expected = count.num_label_issues(
                labels, pred_probs, estimation_method=method, **given
            )
            got = count.num_label_issues(
                dlabels, dprobs, estimation_method=method, **given
            )
            assert got == expected, method
            assert type(got) is type(expected), method

    @pytest.mark.parametrize(("n", "k", "chunks", "dtype"), SHAPES)
    def test_label_quality_scores(self, client, n, k, chunks, dtype):
        """A lazy Dask array, chunked like the rows, computing the same scores."""
        labels, pred_probs, _ = make_noisy(n, k, seed=n + 2, dtype=dtype)
        dlabels, dprobs = as_dask(labels, pred_probs, chunks)
        for method in rank.SCORING_METHODS:
            for adjust in (
                (False, True) if method != "confidence_weighted_entropy" else (False,)
            ):
                expected = rank.get_label_quality_scores(
                    labels, pred_probs, method=method, adjust_pred_probs=adjust
                )
                got = rank.get_label_quality_scores(
                    dlabels, dprobs, method=method, adjust_pred_probs=adjust
                )
                assert isinstance(got, da.Array)
                assert got.chunks == dlabels.chunks
                assert got.dtype == expected.dtype
                computed = got.compute()
                assert computed.dtype == expected.dtype
                np.testing.assert_array_equal(computed, expected)

    def test_health_summary(self, client):
        """Same score, joint and tables as the in-memory summary."""
        labels, pred_probs = sorted_by_class(missing=())
        dlabels, dprobs = as_dask(labels, pred_probs, 200)
        expected = dataset.health_summary(labels, pred_probs, verbose=False)
        got = dataset.health_summary(dlabels, dprobs, verbose=False)
        assert (
            got["overall_label_health_score"] == expected["overall_label_health_score"]
        )
        np.testing.assert_array_equal(got["joint"], expected["joint"])
        for table in ("classes_by_label_quality", "overlapping_classes"):
            assert got[table].equals(expected[table]), table

    def test_thresholds_bit_for_bit(self, client):
        """The thresholds behind the counts are np.mean's, to the last bit:
        adjusted scores of float32 data depend on every bit of them."""
        rng = np.random.default_rng(11)
        pred_probs = rng.dirichlet(np.ones(3), size=5000).astype(np.float32)
        labels = rng.integers(0, 3, 5000)
        dlabels, dprobs = as_dask(labels, pred_probs, 777)
        got = rank.get_label_quality_scores(dlabels, dprobs, adjust_pred_probs=True)
        expected = rank.get_label_quality_scores(
            labels, pred_probs, adjust_pred_probs=True
        )
        np.testing.assert_array_equal(got.compute(), expected)


def lazy_failing(shape, chunks):
    """A Dask array whose blocks raise when computed: proves no work was done."""

    def fail(block):
        raise RuntimeError("computed")

    return da.zeros(shape, chunks=chunks).map_blocks(fail, dtype=float)


class TestBadInput:
    def test_column_chunks(self, client):
        labels = lazy_failing((100,), (50,)).astype(int)
        with pytest.raises(ValueError, match="chunked along its columns"):
            filter.find_label_issues(labels, lazy_failing((100, 4), (50, 2)))

    def test_mismatched_row_chunks(self, client):
        labels = lazy_failing((100,), (40,)).astype(int)
        with pytest.raises(ValueError, match="chunked alike along the rows"):
            count.compute_confident_joint(labels, lazy_failing((100, 4), (50, 4)))

    def test_length_mismatch(self, client):
        with pytest.raises(ValueError, match="must have same length"):
            rank.get_label_quality_scores(
                lazy_failing((90,), (45,)), lazy_failing((100, 4), (50, 4))
            )

    def test_unknown_chunk_sizes(self, client):
        labels, pred_probs, _ = make_noisy(100, 3)
        dlabels, dprobs = as_dask(labels, pred_probs, 50)
        with pytest.raises(ValueError, match="compute_chunk_sizes"):
            filter.find_label_issues(dlabels[dlabels >= 0], dprobs)

    def test_multi_label(self, client):
        labels, pred_probs, _ = make_noisy(100, 3)
        dlabels, dprobs = as_dask(labels, pred_probs, 50)
        with pytest.raises(ValueError, match="not supported for Dask arrays"):
            count.compute_confident_joint(dlabels, dprobs, multi_label=True)
        with pytest.raises(ValueError, match="not supported for Dask arrays"):
            filter.find_label_issues(dlabels, dprobs, multi_label=True)

    def test_summary_needs_labels_and_pred_probs(self, client):
        labels, pred_probs, _ = make_noisy(100, 3)
        dlabels, dprobs = as_dask(labels, pred_probs, 50)
        joint = count.estimate_joint(labels, pred_probs)
        with pytest.raises(ValueError, match="health_summary\\(\\) takes `labels`"):
            dataset.health_summary(dlabels, dprobs, joint=joint, verbose=False)

    def test_bad_values_name_global_rows(self, client):
        """NaN and out-of-range labels are reported with their global position."""
        labels, pred_probs, _ = make_noisy(200, 3)
        broken = pred_probs.copy()
        broken[157, 1] = np.nan
        with pytest.raises(
            ValueError, match="NaN or infinite values in 1 rows \\(first: row 157\\)"
        ):
            filter.find_label_issues(*as_dask(labels, broken, 50))
        bad_labels = labels.copy()
        bad_labels[120] = 3
        with pytest.raises(ValueError, match="at least 4 columns"):
            filter.find_label_issues(*as_dask(bad_labels, pred_probs, 50))
        bad_labels[120] = -1
        with pytest.raises(ValueError, match="in the block of rows 100 to 149"):
            filter.find_label_issues(*as_dask(bad_labels, pred_probs, 50))

    def test_one_class(self, client):
        labels = np.ones(60, dtype=int)
        pred_probs = np.tile([0.3, 0.7], (60, 1))
        with pytest.raises(ValueError, match="at least 2 classes"):
            count.num_label_issues(*as_dask(labels, pred_probs, 20))

    def test_unnormalized_rows_warn_once(self, client):
        labels, pred_probs, _ = make_noisy(200, 3)
        pred_probs[[30, 170]] *= 0.5
        with pytest.warns(
            PredProbsNormalizationWarning, match="2 of 200 rows .*row 30"
        ):
            count.num_label_issues(*as_dask(labels, pred_probs, 50))


def test_pairwise_leaf_sums_match_np_mean():
    """Leaf sums of arbitrary pieces, merged in any order, give np.mean's bits."""
    rng = np.random.default_rng(0)
    for size in (1, 7, 8, 128, 129, 1000, 65_537):
        for dtype in (np.float32, np.float64):
            values = (rng.random(size) * rng.choice([1e-3, 1, 1e3], size)).astype(dtype)
            cuts = (
                np.sort(rng.choice(np.arange(1, size), min(size - 1, 9), replace=False))
                if size > 1
                else []
            )
            bounds = [0, *cuts, size]
            parts = [
                block_leaf_sums({0: (lo, values[lo:hi])}, [size])
                for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
            ]
            rng.shuffle(parts)
            merged = merge_leaf_sums(
                merge_leaf_sums(*parts[::2]), merge_leaf_sums(*parts[1::2])
            )
            mean = mean_from_leaf_sums(merged, 0, size)
            assert mean == np.mean(values), (size, dtype)
            assert mean.dtype == dtype


def test_import_cleanlab_does_not_import_dask():
    code = (
        "import sys, cleanlab, cleanlab.filter, cleanlab.count, cleanlab.rank, "
        "cleanlab.dataset; assert not any(m.split('.')[0] in ('dask', 'distributed') "
        "for m in sys.modules), 'dask imported'"
    )
    env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT)
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_cleanlearning_under_joblib_dask_backend(client):
    """CleanLearning's cross-validation runs unchanged on the cluster's workers."""
    joblib = pytest.importorskip("joblib")
    from sklearn.linear_model import LogisticRegression

    from cleanlab.classification import CleanLearning

    rng = np.random.default_rng(0)
    X = rng.normal(size=(240, 3))
    labels = (X[:, 0] + 0.5 * rng.normal(size=240) > 0).astype(int)
    labels[:12] = 1 - labels[:12]

    def issues(**backend):
        model = CleanLearning(LogisticRegression(), seed=0, cv_n_folds=3, n_jobs=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if backend:
                with joblib.parallel_backend("dask"):
                    return model.find_label_issues(X, labels)
            return model.find_label_issues(X, labels)

    with distributed.get_task_stream(client) as stream:
        on_dask = issues(dask=True)
    assert len(stream.data) >= 3  # the three folds ran as tasks on the cluster
    in_process = issues()
    assert on_dask.equals(in_process)
