"""Fixtures of the token-classification tests: the spec's worked examples."""

import numpy as np
import pytest


@pytest.fixture
def two_sentences():
    """Spec 3.1 example: 2 sentences, 2 classes; returns (labels, pred_probs)."""
    labels = [[0, 0, 1], [0, 1]]
    pred_probs = [
        np.array([[0.9, 0.1], [0.7, 0.3], [0.05, 0.95]]),
        np.array([[0.8, 0.2], [0.8, 0.2]]),
    ]
    return labels, pred_probs


@pytest.fixture
def noisy_sentences():
    """400 random sentences of 1-12 tokens, K=4, ~15% of labels flipped.

    Returns (labels, pred_probs, flat_labels, flat_pred_probs, lengths).
    """
    rng = np.random.default_rng(0)
    k = 4
    lengths = rng.integers(1, 13, size=400)
    total = int(lengths.sum())
    true = rng.choice(k, size=total, p=[0.6, 0.2, 0.1, 0.1])
    logits = rng.normal(size=(total, k)) + 2.5 * np.eye(k)[true]
    flat_probs = np.exp(logits)
    flat_probs /= flat_probs.sum(axis=1, keepdims=True)
    flipped = rng.random(total) < 0.15
    flat_labels = np.where(flipped, (true + rng.integers(1, k, total)) % k, true)
    cuts = np.cumsum(lengths)[:-1]
    labels = [part.tolist() for part in np.split(flat_labels, cuts)]
    pred_probs = np.split(flat_probs, cuts)
    return labels, pred_probs, flat_labels, flat_probs, lengths
