"""Doctest collection of the package (``--doctest-modules`` in pyproject.toml).

Modules that need an optional extra at import time are left out when the extra
is missing, so that the doctests of everything else still run.
"""

import importlib.util

# Module path (relative to this folder) -> packages it imports at the top.
_NEEDS_EXTRA = {
    "cleanlab/internal/dask_backend.py": ("dask",),
}

collect_ignore = [
    path
    for path, packages in _NEEDS_EXTRA.items()
    if any(importlib.util.find_spec(name) is None for name in packages)
]
