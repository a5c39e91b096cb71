"""Doctest collection of the package (``--doctest-modules`` in pyproject.toml).

Modules that need an optional extra at import time are left out when the extra
is missing, so that the doctests of everything else still run.
"""

import importlib.util

# Module path (relative to this folder) -> packages it imports at the top.
_NEEDS_EXTRA = {
    "cleanlab/internal/dask_backend.py": ("dask",),
}


def _is_missing(package: str) -> bool:
    """True when `package` cannot be imported (not installed, or blocked)."""
    try:
        return importlib.util.find_spec(package) is None
    except (ImportError, ValueError):  # ValueError: sys.modules[package] is None
        return True


collect_ignore = [
    path
    for path, packages in _NEEDS_EXTRA.items()
    if any(_is_missing(name) for name in packages)
]
