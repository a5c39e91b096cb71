"""Exception and warning classes raised by cleanlab."""

__all__ = [
    "InvalidOptionError",
    "PredProbsNormalizationWarning",
    "TooFewExamplesWarning",
]


class InvalidOptionError(ValueError, AssertionError):
    """An option (such as ``filter_by`` or ``n_jobs``) has a value that is not allowed.

    It subclasses ``ValueError`` and, for code written against cleanlab 2.9 (which
    raised a bare ``AssertionError`` in these places), ``AssertionError`` too.
    """


class PredProbsNormalizationWarning(UserWarning):
    """Rows of ``pred_probs`` do not sum to 1 (logits or unnormalized scores?)."""


class TooFewExamplesWarning(UserWarning):
    """A class has too few examples for all of its label issues to be flagged."""
