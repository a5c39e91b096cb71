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


@pytest.mark.parametrize("mode", ["r", "r+", "c"])
def test_every_memmap_mode(tmp_path, mode):
    """Read-only, shared and copy-on-write maps give the in-memory result; the
    edits of a copy-on-write map (which only live in the process) are kept."""
    labels, pred_probs, _ = make_noisy(700, 3, seed=11, dtype=np.float32)
    labels_file, probs_file = save(tmp_path, labels, pred_probs)
    mapped_labels = np.load(labels_file, mmap_mode=mode)
    mapped_probs = np.load(probs_file, mmap_mode=mode)
    if mode == "c":  # an edit that exists nowhere but in this mapping
        mapped_probs[5] = mapped_probs[5][::-1]
        pred_probs[5] = pred_probs[5][::-1]
    edited_row = np.array(mapped_probs[5])
    got = find_label_issues_batched(
        mapped_labels, mapped_probs, batch_size=64, verbose=False
    )
    expected = filter.find_label_issues(
        labels,
        pred_probs,
        filter_by="low_self_confidence",
        return_indices_ranked_by="self_confidence",
    )
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(mapped_probs[5], edited_row)


def _resident_file_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssFile:"):
                return int(line.split()[1])
    pytest.skip("/proc/self/status has no RssFile line")


def test_read_pages_leave_resident_memory(tmp_path):
    """Pages of a read-only map are released batch by batch, so a pass over a
    file does not leave the whole file resident (Linux)."""
    pytest.importorskip("mmap").MADV_DONTNEED  # noqa: B018
    if not __import__("os").path.exists("/proc/self/status"):
        pytest.skip("needs /proc/self/status")
    rows, classes = 160_000, 100  # 64 MB of float32
    pred_probs = np.full((rows, classes), 1 / classes, dtype=np.float32)
    pred_probs[:, 0] += 0.5
    pred_probs /= pred_probs.sum(axis=1, keepdims=True)
    labels = np.zeros(rows, dtype=np.int64)
    labels_file, probs_file = save(tmp_path, labels, pred_probs)
    del pred_probs
    mapped = np.load(probs_file, mmap_mode="r")
    before = _resident_file_kib()
    find_label_issues_batched(
        np.load(labels_file), mapped, batch_size=20_000, verbose=False
    )
    grown = _resident_file_kib() - before
    assert grown < 16 * 1024, f"{grown} KiB of the 62,500 KiB file still resident"
    float(mapped[-1, 0])  # still readable after its pages were released
