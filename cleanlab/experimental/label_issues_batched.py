"""Label issues of data too large for memory, read one batch of rows at a time.

`find_label_issues_batched` makes two passes over `labels` and `pred_probs`
(arrays, ``.npy`` files opened as memory maps, or anything that slices by rows):
the first estimates each class's confident threshold, the second scores every
label and counts the confidently mislabeled examples. Memory is one batch of
`pred_probs` plus O(N) for the scores, never the whole N x K array. The result
is the ``num_label_issues`` lowest-scored labels, like
``cleanlab.filter.find_label_issues(filter_by="low_self_confidence")``.
`LabelInspector` holds the running state, for callers that feed batches
themselves.

The implementation lives in `cleanlab.internal.label_issues_batched`, where the
task modules (``cleanlab.token_classification`` with ``low_memory=True``) use it
too; this module is its public face.
"""

# The cleanlab 2.9 constants are importable from here; the redundant aliases mark
# them as re-exports.
from cleanlab.internal.label_issues_batched import (
    NUM_ISSUE_METHODS as NUM_ISSUE_METHODS,
)
from cleanlab.internal.label_issues_batched import (
    PSUTIL_EXISTS as PSUTIL_EXISTS,
)
from cleanlab.internal.label_issues_batched import (
    LabelInspector,
    find_label_issues_batched,
    split_arr,
)

__all__ = ["LabelInspector", "find_label_issues_batched", "split_arr"]
