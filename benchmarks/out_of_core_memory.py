"""Peak memory of `find_label_issues_batched` on a large ``.npy`` file (not a test).

Writes a 10,000,000 x 100 float32 `pred_probs` (4 GB) and its labels to a
temporary folder, block by block, then runs `find_label_issues_batched` on the
two files in a fresh Python process and reports that process's peak resident
memory (``resource.getrusage``); the goal is under 1 GB. The files are deleted
at the end.

    python benchmarks/out_of_core_memory.py [--rows 10000000] [--classes 100]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = str(Path(__file__).resolve().parents[1])
LIMIT_BYTES = 1 << 30
BLOCK_ROWS = 250_000

# Run in the fresh process: the batched finder on the files, then its peak RSS.
CHILD = """
import json, resource, sys, threading, time
sys.path.insert(0, {repo!r})
from cleanlab.experimental.label_issues_batched import find_label_issues_batched
peak_anon, done = [0], threading.Event()
def sample():  # anonymous memory only: the process's own arrays, no file pages
    while not done.wait(0.01):
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    peak_anon[0] = max(peak_anon[0], int(line.split()[1]) * 1024)
threading.Thread(target=sample, daemon=True).start()
start = time.perf_counter()
issues = find_label_issues_batched(
    labels_file={labels!r}, pred_probs_file={probs!r}, batch_size={batch},
    verbose=False,
)
elapsed = time.perf_counter() - start
done.set()
# VmHWM: the peak RSS of this process image. (ru_maxrss would also count the
# parent's resident pages at the time of the fork: Linux keeps that maximum
# across exec, and the parent has just written the 4 GB file.)
with open("/proc/self/status") as status:
    hwm = [int(l.split()[1]) for l in status if l.startswith("VmHWM:")][0]
print(json.dumps({{"peak_bytes": hwm * 1024, "peak_anon": peak_anon[0],
                  "seconds": elapsed, "issues": int(len(issues))}}))
"""


def write_files(folder: Path, num_rows: int, num_classes: int, seed: int = 0):
    """Random labels and softmax pred_probs, written BLOCK_ROWS rows at a time."""
    labels_path, probs_path = folder / "labels.npy", folder / "pred_probs.npy"
    labels = np.lib.format.open_memmap(
        labels_path, mode="w+", dtype=np.int64, shape=(num_rows,)
    )
    probs = np.lib.format.open_memmap(
        probs_path, mode="w+", dtype=np.float32, shape=(num_rows, num_classes)
    )
    rng = np.random.default_rng(seed)
    for start in range(0, num_rows, BLOCK_ROWS):
        stop = min(num_rows, start + BLOCK_ROWS)
        true = rng.integers(0, num_classes, stop - start)
        block = rng.standard_normal((stop - start, num_classes), dtype=np.float32)
        block[np.arange(stop - start), true] += np.float32(3.0)
        np.exp(block, out=block)
        block /= block.sum(axis=1, keepdims=True)
        flip = rng.random(stop - start) < 0.1
        labels[start:stop] = np.where(flip, (true + 1) % num_classes, true)
        probs[start:stop] = block
        labels.flush()
        probs.flush()
    del labels, probs
    return str(labels_path), str(probs_path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--classes", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cleanlab-out-of-core-"))
    try:
        start = time.perf_counter()
        labels, probs = write_files(folder, args.rows, args.classes)
        size = os.path.getsize(probs) / 1e9
        print(
            f"wrote {args.rows:,} x {args.classes} float32 ({size:.1f} GB) in "
            f"{time.perf_counter() - start:.1f} s"
        )
        code = CHILD.format(
            repo=REPO, labels=labels, probs=probs, batch=args.batch_size
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        peak = result["peak_bytes"]
        print(
            f"find_label_issues_batched: {result['seconds']:.1f} s, "
            f"{args.rows / result['seconds']:,.0f} rows/s, {result['issues']:,} issues"
        )
        verdict = "under" if peak < LIMIT_BYTES else "OVER"
        print(
            f"peak RSS of the fresh process: {peak / 2**20:,.0f} MiB ({verdict} 1 GiB)"
        )
        # The peak counts pages of the memory-mapped file while they are mapped
        # (the batched finder releases each batch's pages once it is done); the
        # anonymous part is the process's own memory.
        print(
            "peak anonymous memory (RssAnon, sampled every 10 ms): "
            f"{result['peak_anon'] / 2**20:,.0f} MiB"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
