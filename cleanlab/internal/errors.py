"""Exception and warning classes raised by cleanlab."""

import os
import sys

__all__ = [
    "InvalidOptionError",
    "MismatchedShapesError",
    "PredProbsNormalizationWarning",
    "TooFewExamplesWarning",
    "user_stacklevel",
]


class InvalidOptionError(ValueError, AssertionError):
    """An option (such as ``filter_by`` or ``n_jobs``) has a value that is not allowed.

    It subclasses ``ValueError`` and, for code written against cleanlab 2.9 (which
    raised a bare ``AssertionError`` in these places), ``AssertionError`` too.
    """


class MismatchedShapesError(ValueError, AssertionError):
    """Two inputs that must describe the same examples have different shapes.

    It subclasses ``ValueError`` and, for code written against cleanlab 2.9 (which
    raised a bare ``AssertionError`` in these places), ``AssertionError`` too.
    """


class PredProbsNormalizationWarning(UserWarning):
    """Rows of ``pred_probs`` do not sum to 1 (logits or unnormalized scores?)."""


class TooFewExamplesWarning(UserWarning):
    """A class has too few examples for all of its label issues to be flagged."""


def user_stacklevel() -> int:
    """The `stacklevel` that makes a warning point at the first caller outside cleanlab.

    Use as ``warnings.warn(msg, Category, stacklevel=user_stacklevel())``.
    """
    package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(package_dir):
        frame = frame.f_back
        level += 1
    return level
