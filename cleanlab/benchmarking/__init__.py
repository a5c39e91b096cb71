"""Tools for benchmarking label-error detection: synthetic label noise."""

from cleanlab.benchmarking import noise_generation

__all__ = ["noise_generation"]
