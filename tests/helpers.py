"""Test data builders shared by several test modules."""

import numpy as np


def make_noisy(n=2000, k=5, seed=0, noise=0.2, dtype=np.float64):
    """Random softmax pred_probs whose labels are flipped for a `noise` fraction.

    Returns (labels, pred_probs, is_flipped).
    """
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k)) + 3.0 * np.eye(k)[true]
    pred_probs = np.exp(logits)
    pred_probs /= pred_probs.sum(axis=1, keepdims=True)
    flipped = rng.random(n) < noise
    labels = true.copy()
    labels[flipped] = (true[flipped] + rng.integers(1, k, flipped.sum())) % k
    return labels, pred_probs.astype(dtype), flipped
