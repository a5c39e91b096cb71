"""cleanlab: find label issues, score label quality and learn with noisy labels.

A from-scratch implementation of the cleanlab 2.9 API: the same modules, names,
parameters and numbers, with stricter input checks and faster, leaner kernels.

The submodules (``cleanlab.filter``, ``cleanlab.count``, ...) are attributes of
the package, each imported the first time it is used, so that ``import
cleanlab.filter`` does not load scikit-learn or pandas.
"""

import importlib

__version__ = "3.0.0.dev0"

SUBMODULES = (
    "benchmarking",
    "classification",
    "count",
    "dataset",
    "experimental",
    "filter",
    "multiannotator",
    "multilabel_classification",
    "outlier",
    "rank",
    "regression",
    "token_classification",
)

__all__ = [*SUBMODULES, "__version__"]


def __getattr__(name: str):
    if name in SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *SUBMODULES})
