"""cleanlab: find label issues, score label quality and learn with noisy labels.

A from-scratch implementation of the cleanlab 2.9 API: the same modules, names,
parameters and numbers, with stricter input checks and faster, leaner kernels.
"""

__version__ = "3.0.0.dev0"

from cleanlab import benchmarking, count, dataset, filter, rank  # noqa: E402

__all__ = ["benchmarking", "count", "dataset", "filter", "rank", "__version__"]
