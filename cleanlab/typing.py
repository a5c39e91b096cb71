"""Type aliases used in cleanlab's signatures."""

from typing import Any

import numpy as np
import pandas as pd

LabelLike = list | np.ndarray | pd.Series | pd.DataFrame
"""Class labels: a list, numpy array, pandas Series or single-column DataFrame."""

DatasetLike = Any
"""Features ``X`` in any form the user's classifier accepts."""
