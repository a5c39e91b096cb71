"""Type tests for pandas, scipy.sparse and Dask objects that import no library.

An object can only be a pandas Series or a scipy sparse matrix if its library
is already imported, so looking the module up in ``sys.modules`` answers the
question without loading pandas (about 40 MB) or scipy.sparse for users who
pass plain numpy arrays. A Dask array is recognized by the module of its type,
so that `import cleanlab` never imports Dask.
"""

import sys

__all__ = [
    "is_dask_array",
    "is_pandas",
    "is_pandas_frame",
    "is_pandas_series",
    "is_sparse",
]


def is_pandas_series(obj) -> bool:
    """Whether `obj` is a ``pandas.Series``."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(obj, pandas.Series)


def is_pandas_frame(obj) -> bool:
    """Whether `obj` is a ``pandas.DataFrame``."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(obj, pandas.DataFrame)


def is_pandas(obj) -> bool:
    """Whether `obj` is a pandas Series or DataFrame."""
    return is_pandas_series(obj) or is_pandas_frame(obj)


def is_sparse(obj) -> bool:
    """Whether `obj` is a scipy sparse matrix or array."""
    sparse = sys.modules.get("scipy.sparse")
    return sparse is not None and sparse.issparse(obj)


def is_dask_array(obj) -> bool:
    """Whether `obj` is a ``dask.array.Array`` (checked without importing Dask)."""
    module = type(obj).__module__ or ""
    return module.split(".")[0] == "dask" and hasattr(obj, "chunks")
