"""Shared fixtures: the small worked examples of the spec, built fresh per test."""

import numpy as np
import pytest


@pytest.fixture
def toy():
    """13 examples, 3 classes (spec 1.2 example); returns (labels, pred_probs)."""
    labels = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2])
    pred_probs = np.array(
        [
            [0.90, 0.05, 0.05],
            [0.80, 0.15, 0.05],
            [0.70, 0.20, 0.10],
            [0.60, 0.30, 0.10],
            [0.20, 0.75, 0.05],
            [0.10, 0.10, 0.80],
            [0.10, 0.85, 0.05],
            [0.20, 0.70, 0.10],
            [0.50, 0.40, 0.10],
            [0.15, 0.55, 0.30],
            [0.05, 0.15, 0.80],
            [0.10, 0.20, 0.70],
            [0.30, 0.50, 0.20],
        ]
    )
    return labels, pred_probs


@pytest.fixture
def missing_class():
    """Labels [0, 0, 2, 2] with K=4: classes 1 and 3 have no examples (spec 1.1)."""
    labels = np.array([0, 0, 2, 2])
    pred_probs = np.array(
        [[0.9, 0, 0.1, 0], [0.8, 0, 0.2, 0], [0.1, 0, 0.9, 0], [0.95, 0, 0.05, 0]]
    )
    return labels, pred_probs
