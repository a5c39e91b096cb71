"""Throughput of `cleanlab.filter.find_label_issues` on a Dask array (not a test).

A 20,000,000 x 100 float32 `pred_probs` (8 GB) and its labels are generated
block by block on the workers, from a seeded generator per block, so the
client never holds them. `find_label_issues` runs on a `LocalCluster` with 1
and then 2 worker processes (one thread each); the script prints rows per
second for each and checks that both give the same mask. Then the same data is
written once to ``.npy`` files and `find_label_issues_batched` (the
out-of-core path) is compared with the Dask run of the matching settings
(``filter_by="low_self_confidence"``, ranked by self-confidence).

    python benchmarks/dask_scaling.py [--rows 20000000] [--classes 100] [--skip-check]

Needs ``pip install "cleanlab[dask]"`` and about 2 x 8 GB of free disk in the
temporary folder (the files are deleted at the end).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# Run against this checkout; worker processes inherit the path.
REPO = str(Path(__file__).resolve().parents[1])
sys.path.insert(0, REPO)
os.environ["PYTHONPATH"] = os.pathsep.join(
    [REPO, *filter(None, [os.environ.get("PYTHONPATH")])]
)

SEED = 20261204
NOISE = 0.1
BLOCK_ROWS = 250_000


def block_labels(block: int, rows: int, num_classes: int) -> np.ndarray:
    """Given labels of one block: the true class, flipped for NOISE of rows."""
    return _block_classes(block, rows, num_classes)[1]


def _block_classes(block, rows, num_classes):
    rng = np.random.default_rng([SEED, block, 0])
    true = rng.integers(0, num_classes, rows)
    flip = rng.random(rows) < NOISE
    shift = rng.integers(1, num_classes, rows)
    return true, np.where(flip, (true + shift) % num_classes, true)


def block_pred_probs(block: int, rows: int, num_classes: int) -> np.ndarray:
    """Softmax of standard normal logits, the true class raised by 3 (float32)."""
    true, _ = _block_classes(block, rows, num_classes)
    rng = np.random.default_rng([SEED, block, 1])
    probs = rng.standard_normal((rows, num_classes), dtype=np.float32)
    probs[np.arange(rows), true] += np.float32(3.0)
    np.exp(probs, out=probs)
    probs /= probs.sum(axis=1, keepdims=True)
    return probs


def block_sizes(num_rows: int) -> list[int]:
    return [min(BLOCK_ROWS, num_rows - s) for s in range(0, num_rows, BLOCK_ROWS)]


def dask_inputs(num_rows: int, num_classes: int):
    """Lazy Dask arrays: every block is generated where it is computed."""
    import dask
    import dask.array as da

    sizes = block_sizes(num_rows)
    labels = da.concatenate(
        [
            da.from_delayed(
                dask.delayed(block_labels)(i, m, num_classes), (m,), dtype=np.int64
            )
            for i, m in enumerate(sizes)
        ]
    )
    pred_probs = da.concatenate(
        [
            da.from_delayed(
                dask.delayed(block_pred_probs)(i, m, num_classes),
                (m, num_classes),
                dtype=np.float32,
            )
            for i, m in enumerate(sizes)
        ]
    )
    return labels, pred_probs


def write_npy(folder: Path, num_rows: int, num_classes: int) -> tuple[str, str]:
    """The same data as `.npy` files, written block by block."""
    labels_path, probs_path = folder / "labels.npy", folder / "pred_probs.npy"
    labels = np.lib.format.open_memmap(
        labels_path, mode="w+", dtype=np.int64, shape=(num_rows,)
    )
    probs = np.lib.format.open_memmap(
        probs_path, mode="w+", dtype=np.float32, shape=(num_rows, num_classes)
    )
    start = 0
    for i, m in enumerate(block_sizes(num_rows)):
        labels[start : start + m] = block_labels(i, m, num_classes)
        probs[start : start + m] = block_pred_probs(i, m, num_classes)
        start += m
    labels.flush()
    probs.flush()
    del labels, probs
    return str(labels_path), str(probs_path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--classes", type=int, default=100)
    parser.add_argument(
        "--skip-check", action="store_true", help="skip the out-of-core comparison"
    )
    args = parser.parse_args()
    from dask.distributed import Client, LocalCluster

    from cleanlab.experimental.label_issues_batched import find_label_issues_batched
    from cleanlab.filter import find_label_issues

    n, k = args.rows, args.classes
    print(
        f"data: {n:,} x {k} float32 ({n * k * 4 / 1e9:.1f} GB), blocks of "
        f"{BLOCK_ROWS:,} rows, generated on the workers"
    )
    masks, ranked = {}, None
    for workers in (1, 2):
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            Client(cluster),
        ):
            labels, pred_probs = dask_inputs(n, k)
            # One pass over the generated data alone, for scale: each pass of
            # find_label_issues over pred_probs generates the blocks again.
            start = time.perf_counter()
            pred_probs[:, 0].sum().compute()
            print(
                f"{workers} worker(s): generating the data once takes "
                f"{time.perf_counter() - start:.1f} s"
            )
            start = time.perf_counter()
            masks[workers] = find_label_issues(labels, pred_probs)
            elapsed = time.perf_counter() - start
            print(
                f"{workers} worker(s): find_label_issues {elapsed:.1f} s, "
                f"{n / elapsed:,.0f} rows/s, {masks[workers].sum():,} issues"
            )
            if workers == 2:
                start = time.perf_counter()
                ranked = find_label_issues(
                    labels,
                    pred_probs,
                    filter_by="low_self_confidence",
                    return_indices_ranked_by="self_confidence",
                )
                elapsed = time.perf_counter() - start
                print(
                    f"2 workers: low_self_confidence, ranked: {elapsed:.1f} s, "
                    f"{n / elapsed:,.0f} rows/s, {len(ranked):,} issues"
                )
    print("1 and 2 workers give the same mask:", np.array_equal(masks[1], masks[2]))
    if args.skip_check:
        return
    folder = Path(tempfile.mkdtemp(prefix="cleanlab-dask-scaling-"))
    try:
        start = time.perf_counter()
        labels_file, probs_file = write_npy(folder, n, k)
        print(f"wrote the .npy files in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        batched = find_label_issues_batched(
            labels_file=labels_file,
            pred_probs_file=probs_file,
            batch_size=100_000,
            verbose=False,
        )
        elapsed = time.perf_counter() - start
        print(
            f"out of core (find_label_issues_batched): {elapsed:.1f} s, "
            f"{n / elapsed:,.0f} rows/s, {len(batched):,} issues"
        )
        same = np.array_equal(batched, ranked)
        print("Dask result identical to the out-of-core result:", same)
        if not same:
            # Both are worst first; equal scores may come in another order.
            differ = len(np.setxor1d(batched, ranked))
            print(f"  same flagged rows: {differ == 0} ({differ} differ)")
            if differ == 0:
                labels = np.load(labels_file, mmap_mode="r")
                probs = np.load(probs_file, mmap_mode="r")
                order = np.argsort(ranked)
                score = probs[ranked[order], labels[ranked[order]]]
                by_row = dict(zip(ranked[order].tolist(), score.tolist(), strict=True))
                same_scores = [by_row[i] for i in batched] == [
                    by_row[i] for i in ranked
                ]
                print(f"  same order up to ties between equal scores: {same_scores}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
