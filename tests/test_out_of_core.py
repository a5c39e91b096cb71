"""Out-of-core label issues from `.npy` files opened as memory maps."""

import numpy as np
import pytest
from helpers import make_noisy

from cleanlab import filter
from cleanlab.experimental.label_issues_batched import find_label_issues_batched


def save(tmp_path, labels, pred_probs):
    """Write both arrays to `.npy` files; return their paths as str."""
    labels_file, probs_file = tmp_path / "labels.npy", tmp_path / "pred_probs.npy"
    np.save(labels_file, labels)
    np.save(probs_file, pred_probs)
    return str(labels_file), str(probs_file)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("batch_size", [1, 333, 10_000])
def test_files_match_in_memory(tmp_path, dtype, batch_size):
    """The issues from the files are in-memory find_label_issues' with the
    matching settings (low self-confidence, ranked by self-confidence)."""
    labels, pred_probs, _ = make_noisy(1500, 5, seed=batch_size, dtype=dtype)
    labels_file, probs_file = save(tmp_path, labels, pred_probs)
    from_files = find_label_issues_batched(
        labels_file=labels_file,
        pred_probs_file=probs_file,
        batch_size=batch_size,
        verbose=False,
    )
    expected = filter.find_label_issues(
        labels,
        pred_probs,
        filter_by="low_self_confidence",
        return_indices_ranked_by="self_confidence",
    )
    np.testing.assert_array_equal(from_files, expected)


def test_memmap_arrays_and_mask(tmp_path):
    """Memory maps passed as arrays, with `return_mask`, give the same mask."""
    labels, pred_probs, _ = make_noisy(900, 4, seed=9, dtype=np.float32)
    labels_file, probs_file = save(tmp_path, labels, pred_probs)
    mask = find_label_issues_batched(
        np.load(labels_file, mmap_mode="r"),
        np.load(probs_file, mmap_mode="r"),
        batch_size=128,
        verbose=False,
        return_mask=True,
    )
    expected = filter.find_label_issues(
        labels, pred_probs, filter_by="low_self_confidence"
    )
    np.testing.assert_array_equal(mask, expected)


def test_memmap_through_dask(tmp_path):
    """A memory map wrapped in a Dask array (no cluster: the threaded
    scheduler) gives the in-memory result of every filter_by."""
    da = pytest.importorskip("dask.array")
    labels, pred_probs, _ = make_noisy(800, 4, seed=10, dtype=np.float32)
    labels_file, probs_file = save(tmp_path, labels, pred_probs)
    dlabels = da.from_array(np.load(labels_file, mmap_mode="r"), chunks=250)
    dprobs = da.from_array(np.load(probs_file, mmap_mode="r"), chunks=(250, -1))
    for filter_by in ("prune_by_noise_rate", "both", "low_self_confidence"):
        np.testing.assert_array_equal(
            filter.find_label_issues(dlabels, dprobs, filter_by=filter_by),
            filter.find_label_issues(labels, pred_probs, filter_by=filter_by),
        )


class TestBadFiles:
    def test_pred_probs_not_2d(self, tmp_path):
        labels, pred_probs, _ = make_noisy(50, 3)
        labels_file, probs_file = save(tmp_path, labels, pred_probs.ravel())
        with pytest.raises(ValueError, match="must be a 2-D array-like"):
            find_label_issues_batched(
                labels_file=labels_file, pred_probs_file=probs_file, verbose=False
            )

    def test_lengths_differ(self, tmp_path):
        labels, pred_probs, _ = make_noisy(50, 3)
        labels_file, probs_file = save(tmp_path, labels[:40], pred_probs)
        with pytest.raises(ValueError, match="does not match"):
            find_label_issues_batched(
                labels_file=labels_file, pred_probs_file=probs_file, verbose=False
            )

    def test_labels_beyond_columns(self, tmp_path):
        labels, pred_probs, _ = make_noisy(50, 3)
        labels[7] = 5
        labels_file, probs_file = save(tmp_path, labels, pred_probs)
        with pytest.raises(ValueError, match="class indices below 3"):
            find_label_issues_batched(
                labels_file=labels_file,
                pred_probs_file=probs_file,
                batch_size=20,
                verbose=False,
            )

    def test_not_probabilities(self, tmp_path):
        labels, pred_probs, _ = make_noisy(50, 3)
        labels_file, probs_file = save(tmp_path, labels, pred_probs * 3 - 1)
        with pytest.raises(ValueError, match="between 0 and 1"):
            find_label_issues_batched(
                labels_file=labels_file, pred_probs_file=probs_file, verbose=False
            )
