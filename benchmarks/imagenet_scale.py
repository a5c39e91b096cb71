"""Time and peak memory of `find_label_issues` at ImageNet-train size.

Usage::

    python benchmarks/imagenet_scale.py [--n 1281167] [--k 1000] [--cache DIR]

The first run writes synthetic float32 `pred_probs` (N x K, about 5.1 GB at the
default size) and labels as .npy files under ``--cache``; later runs reuse them.
Each measurement runs in a fresh process that loads the arrays into memory and
reports the wall time of one call and the process's peak resident memory
(which includes the 5.1 GB input itself).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np


def make_inputs(n: int, k: int, folder: str, seed: int = 0) -> None:
    """Write labels.npy and pred_probs.npy: softmax outputs of a noisy linear model
    with about 20% of labels flipped to one of three nearby classes."""
    rng = np.random.default_rng(seed)
    dim = 64
    centres = rng.standard_normal((k, dim))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    true = rng.integers(0, k, n)
    similarity = centres @ centres.T
    np.fill_diagonal(similarity, -np.inf)
    confusers = np.argsort(-similarity, axis=1)[:, :3]
    labels = true.copy()
    flipped = rng.random(n) < 0.2
    labels[flipped] = confusers[true[flipped], rng.integers(0, 3, flipped.sum())]
    weights = (14.0 * (centres + 0.1 * rng.standard_normal((k, dim)) / 8)).T
    weights = weights.astype(np.float32)
    pred_probs = np.lib.format.open_memmap(
        os.path.join(folder, "pred_probs.npy"),
        mode="w+",
        dtype=np.float32,
        shape=(n, k),
    )
    step = 65536
    for start in range(0, n, step):
        rows = slice(start, min(n, start + step))
        noise = 0.25 * np.exp(0.35 * rng.standard_normal((rows.stop - start, 1)))
        x = centres[true[rows]] + noise * rng.standard_normal((rows.stop - start, dim))
        logits = x.astype(np.float32) @ weights
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        pred_probs[rows] = logits
    pred_probs.flush()
    np.save(os.path.join(folder, "labels.npy"), labels)
    np.save(os.path.join(folder, "true_labels.npy"), true)


def measure(folder: str, call: str) -> dict:
    """Load the inputs into memory, time one call, report peak RSS in MB."""
    labels = np.load(os.path.join(folder, "labels.npy"))
    pred_probs = np.load(os.path.join(folder, "pred_probs.npy"))
    import cleanlab.filter

    kwargs = json.loads(call)
    start = time.perf_counter()
    result = cleanlab.filter.find_label_issues(labels, pred_probs, **kwargs)
    seconds = time.perf_counter() - start
    true = np.load(os.path.join(folder, "true_labels.npy"))
    flagged = np.zeros(len(labels), dtype=bool)
    flagged[result] = True
    errors = labels != true
    precision = (flagged & errors).sum() / max(flagged.sum(), 1)
    recall = (flagged & errors).sum() / max(errors.sum(), 1)
    return {
        "call": kwargs,
        "seconds": round(seconds, 2),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "input_mb": (pred_probs.nbytes + labels.nbytes) // 2**20,
        "issues": int(flagged.sum()),
        "precision": round(float(precision), 3),
        "recall": round(float(recall), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_281_167)
    parser.add_argument("--k", type=int, default=1000)
    parser.add_argument(
        "--cache", default=os.path.join(tempfile.gettempdir(), "cl-imagenet")
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = os.path.join(args.cache, f"{args.n}x{args.k}")
    if args.measure:
        print(json.dumps(measure(folder, args.measure)))
        return
    if not os.path.exists(os.path.join(folder, "labels.npy")):
        os.makedirs(folder, exist_ok=True)
        print(f"writing inputs to {folder} ...", file=sys.stderr)
        make_inputs(args.n, args.k, folder)
    calls = [{}, {"return_indices_ranked_by": "self_confidence"}]
    for call in calls:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--n",
                str(args.n),
                "--k",
                str(args.k),
                "--cache",
                args.cache,
                "--measure",
                json.dumps(call),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        print(out.stdout.strip())


if __name__ == "__main__":
    main()
