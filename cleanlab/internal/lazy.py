"""Names a module offers without importing their library until first use.

`cleanlab.count` re-exports scikit-learn's ``LogisticRegression`` (as
``LogReg``), ``StratifiedKFold`` and ``confusion_matrix`` because code written
for cleanlab 2.9 imports them from there. Importing scikit-learn costs over
100 MB and a second of start-up, which users who only pass ``pred_probs`` need
not pay: a module-level ``__getattr__`` made here loads them on demand.
"""

import importlib
from collections.abc import Callable, Mapping

__all__ = ["lazy_getattr"]


def lazy_getattr(module_name: str, names: Mapping[str, tuple[str, str]]) -> Callable:
    """A module ``__getattr__`` resolving ``names[name] = (module, attribute)``."""

    def __getattr__(name: str):
        try:
            source, attribute = names[name]
        except KeyError:
            msg = f"module {module_name!r} has no attribute {name!r}"
            raise AttributeError(msg) from None
        return getattr(importlib.import_module(source), attribute)

    return __getattr__
