"""Consensus labels, label quality and annotator quality for data labelled by several
annotators (CROWDLAB), and scores of which examples to label next (ActiveLab).

The input is a wide table: one row per example, one column per annotator, the class
an annotator chose or NaN where it did not label the example (most entries missing
is the normal case). CROWDLAB combines each example's annotations with a model's
predicted probabilities, weighting every annotator and the model by how well they
agree with the consensus, into a posterior over the classes; the consensus label,
its quality score and each annotator's quality come from that posterior.
"""

import dataclasses
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cleanlab import rank
from cleanlab.internal.chunking import CHUNK_BYTES
from cleanlab.internal.constants import (
    CONFIDENT_THRESHOLDS_LOWER_BOUND,
    MISSING_CLASS_THRESHOLD,
)
from cleanlab.internal.errors import InvalidOptionError, user_stacklevel
from cleanlab.internal.label_quality_utils import check_scoring_options
from cleanlab.internal.multiannotator_utils import (
    AnnotationTable,
    assert_valid_pred_probs,
    checked_table,
    crowdlab_posterior,
    dawid_skene,
    find_best_temp_scaler,
    labels_multiannotator_to_array,
    majority_vote,
    print_missing_consensus_classes,
    temp_scale_pred_probs,
    vote_shares,
)

__all__ = [
    "convert_long_to_wide_dataset",
    "get_active_learning_scores",
    "get_active_learning_scores_ensemble",
    "get_label_quality_multiannotator",
    "get_label_quality_multiannotator_ensemble",
    "get_majority_vote_label",
]

CONSENSUS_METHODS = ("majority_vote", "best_quality", "dawid_skene")
QUALITY_METHODS = ("crowdlab", "agreement")
SCORE_KWARGS = frozenset({"method", "adjust_pred_probs"})
# Lower bound of every CROWDLAB weight and of the most-likely-class error.
MIN_WEIGHT = 1e-6
_LONG_COLUMNS = ("task", "annotator", "label")


# --------------------------------------------------------------------------
# get_label_quality_multiannotator
# --------------------------------------------------------------------------


def get_label_quality_multiannotator(
    labels_multiannotator: pd.DataFrame | np.ndarray,
    pred_probs: np.ndarray,
    *,
    consensus_method: str | list[str] = "best_quality",
    quality_method: str = "crowdlab",
    calibrate_probs: bool = False,
    return_detailed_quality: bool = True,
    return_annotator_stats: bool = True,
    return_weights: bool = False,
    verbose: bool = True,
    label_quality_score_kwargs: dict = {},
) -> dict:
    """Consensus labels, their quality and each annotator's quality (CROWDLAB).

    Parameters
    ----------
    labels_multiannotator : pd.DataFrame or np.ndarray of shape (N, M)
        Entry ``[i, j]`` is the class index (0..K-1) annotator j gave example i,
        NaN (or None / pd.NA in a DataFrame) where j did not label i. Every
        example needs a label and every annotator an example. DataFrame columns
        name the annotators and the index is carried into the outputs.
    pred_probs : np.ndarray of shape (N, K)
        A model's out-of-sample predicted class probabilities (float32 or
        float64), ideally from a model trained on consensus labels.
    consensus_method : str or list of str, default="best_quality"
        How the consensus label is chosen: ``"majority_vote"`` (ties broken by
        `pred_probs`, then by the more frequent class, then by annotator
        accuracy), ``"best_quality"`` (the class with the highest CROWDLAB
        posterior, starting from the majority vote) or ``"dawid_skene"`` (EM
        estimate of every annotator's confusion matrix, see Notes). With a list,
        the first method gives the main columns, the detailed table, the
        annotator statistics and the weights; each later one adds three columns
        ``consensus_label_<name>``, ``consensus_quality_score_<name>`` and
        ``annotator_agreement_<name>``.
    quality_method : {"crowdlab", "agreement"}, default="crowdlab"
        ``"crowdlab"`` scores labels against the CROWDLAB posterior;
        ``"agreement"`` uses the fraction of annotators agreeing.
    calibrate_probs : bool, default=False
        Temperature-scale `pred_probs` to best fit the annotators' vote shares
        first (a copy; `pred_probs` itself is not modified).
    return_detailed_quality : bool, default=True
        Include ``"detailed_label_quality"``: the quality of every annotation.
    return_annotator_stats : bool, default=True
        Include ``"annotator_stats"``.
    return_weights : bool, default=False
        Include the CROWDLAB ``"model_weight"`` and ``"annotator_weight"``
        (only with ``quality_method="crowdlab"``).
    verbose : bool, default=True
        Print a caution when a class some annotator used is absent from the
        consensus labels, or when some annotator shares no example with others.
    label_quality_score_kwargs : dict, default={}
        ``method`` and/or ``adjust_pred_probs`` passed on to
        `cleanlab.rank.get_label_quality_scores` for the consensus and detailed
        quality scores.

    Returns
    -------
    dict
        ``"label_quality"``: DataFrame indexed like the input with columns
        ``consensus_label`` (int64), ``consensus_quality_score``,
        ``annotator_agreement`` (fraction of the example's annotators agreeing
        with the consensus) and ``num_annotations`` (int64), plus the extra
        columns of later consensus methods. ``"detailed_label_quality"``:
        (N, M) DataFrame, columns ``"quality_annotator_<id>"``, NaN where an
        annotator did not label. ``"annotator_stats"``: DataFrame indexed by
        annotator, columns ``annotator_quality``, ``agreement_with_consensus``,
        ``worst_class`` (int64, the class the annotator gets wrong most often)
        and ``num_examples_labeled``, sorted by quality (worst first).
        ``"model_weight"`` (float) and ``"annotator_weight"`` (ndarray (M,)).

    Raises
    ------
    ValueError
        For invalid labels or `pred_probs` (see
        `cleanlab.internal.multiannotator_utils.assert_valid_inputs_multiannotator`),
        `return_weights` with ``quality_method="agreement"``, and (as
        `InvalidOptionError`) unknown methods or `label_quality_score_kwargs`.
    TypeError
        If `pred_probs` is not an ndarray.

    Warns
    -----
    UserWarning
        If no two annotators agree on any example, or ties had to be broken at
        random (seed NumPy's global generator to reproduce them).
    RuntimeWarning
        If the Dawid-Skene EM stops at its iteration cap before converging.

    See Also
    --------
    get_label_quality_multiannotator_ensemble : the same with several models.
    get_majority_vote_label : majority vote alone.
    get_active_learning_scores : which examples to (re)label next.

    Notes
    -----
    ``"dawid_skene"`` is the classic EM estimator (Dawid and Skene, 1979): each
    annotator is modelled by a confusion matrix, estimated together with the class
    priors from the current posterior over true classes, which is then
    recomputed from them. It starts from the vote shares (the soft majority
    vote), stops once an iteration raises the log-likelihood of the annotations
    by at most 1e-6 of its size, or after 100 iterations, and smooths every
    confusion-matrix cell by a pseudo-count of 0.01. It does not use
    `pred_probs`; the quality scores, weights and annotator statistics are then
    computed for its consensus exactly as for the other methods.

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.array([[0, 0, 1], [1, 1, 1], [2, 2, np.nan], [0, 1, np.nan],
    ...                    [2, np.nan, 2], [1, 1, 0]])
    >>> pred_probs = np.array([[.7, .2, .1], [.1, .8, .1], [.2, .2, .6],
    ...                        [.5, .4, .1], [.3, .3, .4], [.2, .5, .3]])
    >>> out = get_label_quality_multiannotator(labels, pred_probs, verbose=False)
    >>> out["label_quality"]["consensus_label"].tolist()
    [0, 1, 2, 0, 2, 1]
    >>> out["annotator_stats"].index.tolist()
    [2, 1, 0]
    """
    labels, annotator_ids, index = labels_multiannotator_to_array(labels_multiannotator)
    if return_weights and quality_method != "crowdlab":
        msg = (
            "Model and annotator weights are only applicable to the crowdlab "
            "quality method. Either set return_weights=False or "
            "quality_method='crowdlab'."
        )
        raise ValueError(msg)
    methods = _check_consensus_methods(consensus_method)
    _check_quality_method(quality_method)
    _check_score_kwargs(label_quality_score_kwargs)
    crowd = _checked_crowd(
        labels, annotator_ids, pred_probs, ensemble=False, calibrate=calibrate_probs
    )
    return _label_quality_report(
        crowd,
        methods,
        quality_method,
        label_quality_score_kwargs,
        ensemble=False,
        index=index,
        return_detailed_quality=return_detailed_quality,
        return_annotator_stats=return_annotator_stats,
        return_weights=return_weights,
        verbose=verbose,
    )


def _checked_crowd(labels, annotator_ids, pred_probs, *, ensemble, calibrate):
    """§2.1 validation, then the crowd of the (optionally calibrated) models."""
    if pred_probs is None:  # CROWDLAB needs a model
        msg = (
            "pred_probs must be a numpy array. `pred_probs` is None; CROWDLAB "
            "needs a model's predicted probabilities (use get_majority_vote_label "
            "for a consensus from the annotations alone)."
        )
        raise TypeError(msg)
    table = checked_table(
        labels, pred_probs, ensemble=ensemble, annotator_ids=annotator_ids
    )
    models = _members(pred_probs, ensemble)
    if calibrate:
        models, _ = _temperature_scaled(table, models)
    return _Crowd.build(table, models, pred_probs.shape[-1], annotator_ids)


def _members(pred_probs, ensemble: bool) -> list:
    """The (N, K) arrays of the models: the E slices of a 3-D array, or the one."""
    return list(pred_probs) if ensemble else [pred_probs]


def _temperature_scaled(table, models) -> tuple:
    """Each model scaled by its best temperature (§2.9): ``(scaled, temperatures)``."""
    temperatures = [find_best_temp_scaler(table, m) for m in models]
    scaled = [
        temp_scale_pred_probs(m, t) for m, t in zip(models, temperatures, strict=True)
    ]
    return scaled, temperatures


def _check_consensus_methods(consensus_method) -> list:
    """`consensus_method` as a non-empty list of known names."""
    methods = [consensus_method] if isinstance(consensus_method, str) else None
    if methods is None:
        if not isinstance(consensus_method, (list, tuple)) or not consensus_method:
            msg = (
                "`consensus_method` must be a method name or a non-empty list of "
                f"them; got {consensus_method!r}."
            )
            raise InvalidOptionError(msg)
        methods = list(consensus_method)
    for name in methods:
        if name not in CONSENSUS_METHODS:
            msg = (
                f"{name} is not a valid consensus method! Please choose a valid "
                "consensus_method: ['majority_vote', 'best_quality'] (or "
                f"'dawid_skene'). `consensus_method` got {name!r}."
            )
            raise InvalidOptionError(msg)
    return methods


def _check_quality_method(quality_method) -> None:
    if quality_method not in QUALITY_METHODS:
        msg = (
            f"{quality_method} is not a valid quality method! Please choose a "
            "valid quality_method: ['crowdlab', 'agreement']. `quality_method` "
            f"got {quality_method!r}."
        )
        raise InvalidOptionError(msg)


def _check_score_kwargs(kwargs) -> None:
    """Raise unless `kwargs` are valid options of `rank.get_label_quality_scores`."""
    if not isinstance(kwargs, dict):
        msg = (
            "`label_quality_score_kwargs` must be a dict; got a "
            f"{type(kwargs).__name__}."
        )
        raise TypeError(msg)
    unknown = sorted(set(kwargs) - SCORE_KWARGS)
    if unknown:
        msg = (
            f"`label_quality_score_kwargs` has unknown keys {unknown}; the allowed "
            f"ones are {sorted(SCORE_KWARGS)}."
        )
        raise TypeError(msg)
    check_scoring_options(
        kwargs.get("method", "self_confidence"), kwargs.get("adjust_pred_probs", False)
    )


# --------------------------------------------------------------------------
# The CROWDLAB machinery shared by every entry point
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Crowd:
    """What every consensus of one call shares: the table, its per-class counts,
    the models with their predicted classes, and each annotator's agreement with
    the other annotators (which does not depend on the consensus)."""

    table: AnnotationTable
    counts: np.ndarray  # (N, K) int64
    num_classes: int
    models: tuple  # E arrays of shape (N, K)
    predictions: tuple  # argmax of each model, (N,) each
    is_multi: np.ndarray  # (N,) bool: examples with more than one annotation
    overlap_agreement: np.ndarray  # (M,) q_j
    no_overlap: tuple  # annotators whose q_j is the mean of the others'
    annotator_ids: object

    @classmethod
    def build(cls, table, models, num_classes, annotator_ids):
        counts = table.class_counts(num_classes)
        overlap_agreement, no_overlap = _overlap_agreement(table, counts)
        return cls(
            table=table,
            counts=counts,
            num_classes=num_classes,
            models=tuple(models),
            predictions=tuple(m.argmax(axis=1) for m in models),
            is_multi=table.num_annotations != 1,
            overlap_agreement=overlap_agreement,
            no_overlap=no_overlap,
            annotator_ids=annotator_ids,
        )

    def tie_break_probs(self) -> np.ndarray:
        """The probabilities majority vote breaks ties with (the models' mean)."""
        if len(self.models) == 1:
            return self.models[0]
        return np.mean(self.models, axis=0)

    def annotated_classes(self) -> np.ndarray:
        return np.flatnonzero(self.counts.any(axis=0))


def _overlap_agreement(table, counts) -> tuple:
    """(M,) fraction of agreeing co-annotators of each annotator (q_j of §2.3).

    Each annotation of an example with n annotations has n - 1 co-annotations, of
    which ``counts[i, label] - 1`` agree. Annotators without co-annotations get the
    mean of the others. Returns ``(q, positions of those annotators)``.
    """
    agreeing = counts[table.example, table.label] - 1
    others = table.num_annotations[table.example] - 1
    numerator = table.per_annotator(agreeing.astype(np.float64))
    denominator = table.per_annotator(others.astype(np.float64))
    alone = denominator == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = numerator / denominator
    if alone.any() and not alone.all():
        agreement[alone] = np.mean(agreement[~alone])
    return agreement, tuple(np.flatnonzero(alone).tolist())


@dataclass(frozen=True)
class _Consensus:
    """One consensus and everything scored against it."""

    label: np.ndarray  # (N,) int64
    quality: np.ndarray  # (N,) float64 consensus quality scores
    agreement: np.ndarray  # (N,) fraction of annotators agreeing
    posterior: np.ndarray  # (N, K)
    model_weight: np.ndarray | None  # (E,)
    annotator_weight: np.ndarray | None  # (M,)


def _score_consensus(crowd, labels, quality_method, score_kwargs) -> _Consensus:
    """Agreement, posterior, weights and quality scores of the consensus `labels`."""
    table = crowd.table
    agreement = crowd.counts[np.arange(table.num_examples), labels] / (
        table.num_annotations
    )
    if quality_method == "agreement":
        posterior = vote_shares(table, crowd.num_classes)
        return _Consensus(labels, agreement, agreement, posterior, None, None)
    model_weight, annotator_weight, p_agree = _crowdlab_weights(
        crowd, labels, agreement
    )
    p_disagree = (1 - p_agree) / (crowd.num_classes - 1)
    posterior = crowdlab_posterior(
        table, crowd.models, model_weight, annotator_weight, p_agree, p_disagree
    )
    quality = rank.get_label_quality_scores(labels, posterior, **score_kwargs)
    return _Consensus(
        labels, quality, agreement, posterior, model_weight, annotator_weight
    )


def _crowdlab_weights(crowd, labels, agreement) -> tuple:
    """Model weights (E,), annotator weights (M,) and the agreement rate (§2.3)."""
    multi = crowd.is_multi
    p_agree = np.mean(agreement[multi])
    multi_labels = labels[multi]
    most_likely = np.argmax(np.bincount(multi_labels, minlength=crowd.num_classes))
    baseline_error = max(MIN_WEIGHT, np.mean(multi_labels != most_likely))
    annotator_weight = np.maximum(
        MIN_WEIGHT, 1 - (1 - crowd.overlap_agreement) / baseline_error
    )
    scale = np.sqrt(np.mean(crowd.table.num_annotations))
    model_weight = np.array(
        [
            max(1 - np.mean(pred[multi] != multi_labels) / baseline_error, MIN_WEIGHT)
            * scale
            for pred in crowd.predictions  # a loop over the few ensemble members
        ]
    )
    return model_weight, annotator_weight, p_agree


def _best_quality_labels(first: _Consensus) -> np.ndarray:
    """The posterior's argmax where it is unique, else the starting consensus."""
    posterior = first.posterior
    top = posterior.max(axis=1, keepdims=True)
    is_unique = np.count_nonzero(posterior == top, axis=1) == 1
    return np.where(is_unique, posterior.argmax(axis=1), first.label)


def _dawid_skene_labels(crowd) -> np.ndarray:
    """Consensus labels of the Dawid-Skene EM, started from the vote shares."""
    initial = vote_shares(crowd.table, crowd.num_classes)
    posterior, num_iterations, converged = dawid_skene(
        crowd.table, crowd.num_classes, initial
    )
    if not converged:
        warnings.warn(
            f"The Dawid-Skene EM stopped after {num_iterations} iterations without "
            "converging; its consensus labels are those of the last iteration.",
            RuntimeWarning,
            stacklevel=user_stacklevel(),
        )
    return posterior.argmax(axis=1)


def _annotation_scores(crowd, posterior, score_kwargs) -> np.ndarray:
    """(nnz,) quality of every annotation against `posterior` (rank's scores).

    Each annotator's labels are scored as `rank.get_label_quality_scores` would
    score them on the examples it labelled; with ``adjust_pred_probs`` the
    confident thresholds are that annotator's own.
    """
    table = crowd.table
    method = score_kwargs.get("method", "self_confidence")
    adjust = score_kwargs.get("adjust_pred_probs", False)
    if method == "self_confidence" and not adjust:
        return posterior[table.example, table.label]
    thresholds = _annotator_thresholds(crowd, posterior) if adjust else None
    step = max(1, CHUNK_BYTES // (8 * crowd.num_classes))
    scores = np.empty(len(table.example))
    for start in range(0, len(scores), step):  # chunks of entries
        part = slice(start, start + step)
        rows = posterior[table.example[part]]
        if adjust:
            own = thresholds[table.annotator[part]]
            rows = rows - own + own.max(axis=1, keepdims=True)
            rows /= rows.sum(axis=1, keepdims=True)
        scores[part] = rank.get_label_quality_scores(
            table.label[part], rows, method=method
        )
    return scores


def _annotator_thresholds(crowd, posterior) -> np.ndarray:
    """(M, K) confident thresholds of each annotator's labels against `posterior`."""
    table, k = crowd.table, crowd.num_classes
    cells = table.annotator * k + table.label
    size = table.num_annotators * k
    count = np.bincount(cells, minlength=size)
    total = np.bincount(cells, posterior[table.example, table.label], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        thresholds = np.where(count > 0, total / count, MISSING_CLASS_THRESHOLD)
    thresholds = np.maximum(thresholds, CONFIDENT_THRESHOLDS_LOWER_BOUND)
    return thresholds.reshape(table.num_annotators, k)


def _annotator_stats(crowd, consensus, scores, quality_method, index) -> pd.DataFrame:
    """The annotator statistics DataFrame of §2.3, worst annotator first."""
    table = crowd.table
    labelled = table.per_annotator()
    agrees = (table.label == consensus.label[table.example]).astype(np.float64)
    on_multi = crowd.is_multi[table.example].astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement_on_multi = table.per_annotator(agrees * on_multi) / (
            table.per_annotator(on_multi)
        )
        if quality_method == "agreement":
            quality = agreement_on_multi
        else:
            label_quality = table.per_annotator(scores) / labelled
            model_weight = np.mean(consensus.model_weight)
            annotators_weight = (
                np.sum(consensus.annotator_weight)
                * np.mean(table.num_annotations)
                / table.num_annotators
            )
            share = model_weight / (model_weight + annotators_weight)
            quality = share * label_quality + (1 - share) * agreement_on_multi
    stats = pd.DataFrame(
        {
            "annotator_quality": quality,
            "agreement_with_consensus": table.per_annotator(agrees) / labelled,
            "worst_class": _worst_class(crowd, consensus, agrees),
            "num_examples_labeled": labelled.astype(np.int64),
        },
        index=index,
    )
    return stats.sort_values(by=["annotator_quality", "agreement_with_consensus"])


def _worst_class(crowd, consensus, agrees) -> np.ndarray:
    """(M,) int64: each annotator's class of lowest accuracy against the consensus.

    Ties go to the class it used most, then to the one with the highest mean
    consensus quality among its examples, then to the smallest class.
    """
    table, k = crowd.table, crowd.num_classes
    cells = table.annotator * k + table.label
    size = table.num_annotators * k
    shape = (table.num_annotators, k)
    used = np.bincount(cells, minlength=size).reshape(shape)
    correct = np.bincount(cells, agrees, minlength=size).reshape(shape)
    quality = np.bincount(
        cells, consensus.quality[table.example], minlength=size
    ).reshape(shape)
    candidates = used > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = np.where(candidates, correct / used, np.inf)
        mean_quality = quality / used
    candidates &= accuracy == accuracy.min(axis=1, keepdims=True)
    volume = np.where(candidates, used, -1)
    candidates &= volume == volume.max(axis=1, keepdims=True)
    mean_quality = np.where(candidates, mean_quality, -np.inf)
    candidates &= mean_quality == mean_quality.max(axis=1, keepdims=True)
    return candidates.argmax(axis=1).astype(np.int64)


def _label_quality_report(
    crowd,
    methods,
    quality_method,
    score_kwargs,
    *,
    ensemble,
    index,
    return_detailed_quality,
    return_annotator_stats,
    return_weights,
    verbose,
) -> dict:
    """Every consensus of `methods`, scored, assembled into the output dict."""
    results = _consensuses(
        crowd, methods, quality_method, score_kwargs, ensemble=ensemble, verbose=verbose
    )
    table = crowd.table
    _, first = results[0]
    if index is None:
        index = pd.RangeIndex(table.num_examples)
    columns = {
        "consensus_label": first.label.astype(np.int64),
        "consensus_quality_score": first.quality.astype(np.float64),
        "annotator_agreement": first.agreement,
        "num_annotations": table.num_annotations.astype(np.int64),
    }
    for name, consensus in results[1:]:
        columns[f"consensus_label_{name}"] = consensus.label.astype(np.int64)
        columns[f"consensus_quality_score_{name}"] = consensus.quality.astype(
            np.float64
        )
        columns[f"annotator_agreement_{name}"] = consensus.agreement
    out = {"label_quality": pd.DataFrame(columns, index=index)}
    ids = crowd.annotator_ids
    if ids is None:
        ids = pd.RangeIndex(table.num_annotators)
    if return_detailed_quality:
        scores = _annotation_scores(crowd, first.posterior, score_kwargs)
        out["detailed_label_quality"] = pd.DataFrame(
            table.to_dense(scores),
            index=index,
            columns=[f"quality_annotator_{j}" for j in ids],
            copy=False,
        )
    else:
        scores = first.posterior[table.example, table.label]
    if return_annotator_stats:
        out["annotator_stats"] = _annotator_stats(
            crowd, first, scores, quality_method, ids
        )
    if return_weights:
        weight = first.model_weight if ensemble else float(first.model_weight[0])
        out["model_weight"] = weight
        out["annotator_weight"] = first.annotator_weight
    return out


def _annotator_name(crowd, j):
    ids = crowd.annotator_ids
    return j if ids is None else ids[j]


def _consensuses(crowd, methods, quality_method, score_kwargs, *, ensemble, verbose):
    """``[(name, _Consensus)]`` of every method in `methods`, in order."""
    if verbose and crowd.no_overlap:
        names = [_annotator_name(crowd, j) for j in crowd.no_overlap]
        print(
            f"Annotator(s) {names} did not annotate any examples that overlap with "
            "other annotators, so their agreement with other annotators cannot be "
            "measured; the mean agreement of the other annotators is used instead."
        )
    start = None
    if {"majority_vote", "best_quality"} & set(methods):
        vote = majority_vote(
            crowd.table, crowd.num_classes, crowd.tie_break_probs(), crowd.counts
        )
        start = _score_consensus(crowd, vote, quality_method, score_kwargs)
    results = []
    for name in methods:  # a loop over the few requested methods
        if name == "majority_vote":
            consensus = start
        elif name == "best_quality":
            labels = _best_quality_labels(start)
            consensus = _score_consensus(crowd, labels, quality_method, score_kwargs)
        else:
            labels = _dawid_skene_labels(crowd)
            consensus = _score_consensus(crowd, labels, quality_method, score_kwargs)
        if verbose:
            print_missing_consensus_classes(
                crowd.annotated_classes(),
                consensus.label,
                "crowdlab" if ensemble else name,
            )
        results.append((name, consensus))
    return results


# --------------------------------------------------------------------------
# get_label_quality_multiannotator_ensemble
# --------------------------------------------------------------------------


def get_label_quality_multiannotator_ensemble(
    labels_multiannotator: pd.DataFrame | np.ndarray,
    pred_probs: np.ndarray,
    *,
    calibrate_probs: bool = False,
    return_detailed_quality: bool = True,
    return_annotator_stats: bool = True,
    return_weights: bool = False,
    verbose: bool = True,
    label_quality_score_kwargs: dict = {},
) -> dict:
    """CROWDLAB consensus and quality with an ensemble of models.

    The same as `get_label_quality_multiannotator` with ``consensus_method=
    "best_quality"`` and ``quality_method="crowdlab"``, except that each model
    gets its own weight in the posterior and majority-vote ties are broken by the
    mean of the models' probabilities.

    Parameters
    ----------
    labels_multiannotator : pd.DataFrame or np.ndarray of shape (N, M)
        The annotator table, as in `get_label_quality_multiannotator`.
    pred_probs : np.ndarray of shape (E, N, K)
        Predicted probabilities of E models (one model works too).
    calibrate_probs : bool, default=False
        Temperature-scale each model's probabilities to the vote shares first
        (copies; `pred_probs` is not modified).
    return_detailed_quality, return_annotator_stats, return_weights, verbose : bool
        As in `get_label_quality_multiannotator`.
    label_quality_score_kwargs : dict, default={}
        As in `get_label_quality_multiannotator`.

    Returns
    -------
    dict
        As `get_label_quality_multiannotator`, with ``"model_weight"`` an
        ndarray of shape (E,).

    Raises
    ------
    ValueError
        For invalid labels or `pred_probs` (which must be 3-D).
    TypeError
        If `pred_probs` is not an ndarray.

    See Also
    --------
    get_label_quality_multiannotator : the single-model version.

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.array([[0, 0, 1], [1, 1, 1], [2, 2, np.nan], [0, 1, np.nan]])
    >>> p = np.array([[.7, .2, .1], [.1, .8, .1], [.2, .2, .6], [.5, .4, .1]])
    >>> out = get_label_quality_multiannotator_ensemble(
    ...     labels, np.stack([p, p[:, ::-1]]), verbose=False)
    >>> out["label_quality"]["consensus_label"].tolist()
    [0, 1, 2, 0]
    """
    labels, annotator_ids, index = labels_multiannotator_to_array(labels_multiannotator)
    _check_score_kwargs(label_quality_score_kwargs)
    crowd = _checked_crowd(
        labels, annotator_ids, pred_probs, ensemble=True, calibrate=calibrate_probs
    )
    return _label_quality_report(
        crowd,
        ["best_quality"],
        "crowdlab",
        label_quality_score_kwargs,
        ensemble=True,
        index=index,
        return_detailed_quality=return_detailed_quality,
        return_annotator_stats=return_annotator_stats,
        return_weights=return_weights,
        verbose=verbose,
    )


# --------------------------------------------------------------------------
# Active learning (ActiveLab)
# --------------------------------------------------------------------------


def get_active_learning_scores(
    labels_multiannotator: pd.DataFrame | np.ndarray | None = None,
    pred_probs: np.ndarray | None = None,
    pred_probs_unlabeled: np.ndarray | None = None,
) -> tuple:
    """ActiveLab scores: how useful another label would be for each example.

    Lower scores mark examples whose current consensus is least certain, so
    labelling them (again) helps most. Labelled and unlabelled examples get
    comparable scores.

    Parameters
    ----------
    labels_multiannotator : pd.DataFrame or np.ndarray of shape (N, M), optional
        The annotator table of the labelled examples (see
        `get_label_quality_multiannotator`); one label per example is allowed.
        Needed when `pred_probs` is given.
    pred_probs : np.ndarray of shape (N, K), optional
        Predicted probabilities for the labelled examples.
    pred_probs_unlabeled : np.ndarray of shape (N_u, K), optional
        Predicted probabilities for unlabelled examples.

    Returns
    -------
    tuple of two np.ndarray
        ``(scores_labeled (N,), scores_unlabeled (N_u,))``, float64 in [0, 1];
        an empty array for a part not given.

    Raises
    ------
    ValueError
        If both probability arrays are None, `labels_multiannotator` is missing
        or invalid, or the arrays have the wrong shape or values.
    TypeError
        If a probability array is not an ndarray.

    See Also
    --------
    get_active_learning_scores_ensemble : the same with several models.

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.array([[0, np.nan], [np.nan, 1], [1, np.nan]])
    >>> pred_probs = np.array([[.9, .1], [.4, .6], [.7, .3]])
    >>> labeled, unlabeled = get_active_learning_scores(
    ...     labels, pred_probs, np.array([[.5, .5]]))
    >>> labeled.round(3).tolist(), unlabeled.round(3).tolist()
    ([0.767, 0.567, 0.367], [0.5])
    """
    return _active_learning_scores(
        labels_multiannotator, pred_probs, pred_probs_unlabeled, ensemble=False
    )


def _active_learning_scores(
    labels_multiannotator, pred_probs, pred_probs_unlabeled, *, ensemble
) -> tuple:
    """§2.6 (one model) or §2.7 (`ensemble`, 3-D probability arrays)."""
    assert_valid_pred_probs(pred_probs, pred_probs_unlabeled, ensemble=ensemble)
    given = pred_probs if pred_probs is not None else pred_probs_unlabeled
    num_models = len(given) if ensemble else 1
    num_classes = given.shape[-1]
    temperatures = [1.0] * num_models
    model_weight, mean_weight = np.ones(num_models), 1.0
    scores_labeled = np.array([])
    if pred_probs is not None:
        table, quality, model_weight, annotator_weight, temperatures = _labeled_quality(
            labels_multiannotator, pred_probs, ensemble=ensemble
        )
        mean_weight = np.mean(annotator_weight)
        scores_labeled = _combine(
            quality,
            table,
            annotator_weight,
            np.sum(model_weight),
            mean_weight,
            num_classes,
        )
    scores_unlabeled = np.array([])
    if pred_probs_unlabeled is not None and ensemble:
        scores_unlabeled = _unlabeled_scores_ensemble(
            pred_probs_unlabeled, temperatures, model_weight, mean_weight
        )
    elif pred_probs_unlabeled is not None:
        # A Python float weight, as §2.6: float32 probabilities stay float32
        # until the final cast.
        weight = float(model_weight[0])
        scaled = temp_scale_pred_probs(pred_probs_unlabeled, temperatures[0])
        scores_unlabeled = (
            weight * np.max(scaled, axis=1) + mean_weight / num_classes
        ) / (weight + mean_weight)
    return scores_labeled.astype(np.float64), scores_unlabeled.astype(np.float64)


def _labels_for_active_learning(labels_multiannotator) -> tuple:
    """§2.6 step 2: labels present, converted and 2-D."""
    if labels_multiannotator is None:
        msg = (
            "labels_multiannotator cannot be None when passing in pred_probs. "
            "Pass the annotator table of the labelled examples, or only "
            "pred_probs_unlabeled."
        )
        raise ValueError(msg)
    labels, ids, _ = labels_multiannotator_to_array(labels_multiannotator)
    return labels, ids


def _labeled_quality(labels_multiannotator, pred_probs, *, ensemble) -> tuple:
    """Consensus quality and weights of the labelled part (§2.6 / §2.7 step 2).

    Returns ``(table, quality (N,), model weights (E,), annotator weights (M,),
    temperatures (E,))``.
    """
    labels, ids = _labels_for_active_learning(labels_multiannotator)
    table = checked_table(
        labels,
        pred_probs,
        ensemble=ensemble,
        allow_single_label=True,
        annotator_ids=ids,
    )
    models = _members(pred_probs, ensemble)
    num_models, num_classes = len(models), pred_probs.shape[-1]
    if np.all(table.num_annotations == 1):
        probs = np.mean(pred_probs, axis=0) if ensemble else pred_probs
        consensus = majority_vote(table, num_classes, probs)
        quality = rank.get_label_quality_scores(consensus, probs)
        ones = np.ones(num_models)
        return table, quality, ones, np.ones(table.num_annotators), [1.0] * num_models
    scaled, temperatures = _temperature_scaled(table, models)
    # The reference's get_label_quality_multiannotator(_ensemble) call on the
    # scaled models, validated (its warning) and verbose (its prints).
    table.warn_unless_agreement()
    crowd = _Crowd.build(table, scaled, num_classes, ids)
    [(_, consensus)] = _consensuses(
        crowd, ["best_quality"], "crowdlab", {}, ensemble=ensemble, verbose=True
    )
    quality = consensus.quality.astype(np.float64)
    return (
        table,
        quality,
        consensus.model_weight,
        consensus.annotator_weight,
        temperatures,
    )


def _combine(quality, table, annotator_weight, model_weight, mean_weight, k):
    """ActiveLab score of labelled examples from quality and weights (§2.6)."""
    weight = table.per_example(annotator_weight[table.annotator]) + model_weight
    return (quality * weight + mean_weight / k) / (weight + mean_weight)


def get_active_learning_scores_ensemble(
    labels_multiannotator: pd.DataFrame | np.ndarray | None = None,
    pred_probs: np.ndarray | None = None,
    pred_probs_unlabeled: np.ndarray | None = None,
) -> tuple:
    """ActiveLab scores with an ensemble of models.

    Parameters
    ----------
    labels_multiannotator : pd.DataFrame or np.ndarray of shape (N, M), optional
        The annotator table of the labelled examples.
    pred_probs : np.ndarray of shape (E, N, K), optional
        Predicted probabilities of E models for the labelled examples.
    pred_probs_unlabeled : np.ndarray of shape (E, N_u, K), optional
        Predicted probabilities of the same models for unlabelled examples (one
        model works too).

    Returns
    -------
    tuple of two np.ndarray
        ``(scores_labeled (N,), scores_unlabeled (N_u,))``, float64; lower means
        more useful to label. Neither input array is modified.

    Raises
    ------
    ValueError, TypeError
        As `get_active_learning_scores`, with 3-D probability arrays.

    See Also
    --------
    get_active_learning_scores : the single-model version.

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.array([[0, np.nan], [np.nan, 1], [1, np.nan]])
    >>> p = np.array([[.9, .1], [.4, .6], [.7, .3]])
    >>> labeled, _ = get_active_learning_scores_ensemble(labels, np.stack([p, p]))
    >>> labeled.round(3).tolist()
    [0.8, 0.575, 0.35]
    """
    return _active_learning_scores(
        labels_multiannotator, pred_probs, pred_probs_unlabeled, ensemble=True
    )


def _unlabeled_scores_ensemble(pred_probs_unlabeled, temperatures, weights, mean):
    """§2.7 unlabelled scores: the models' majority class in a weighted average."""
    scaled = np.stack(
        [
            temp_scale_pred_probs(m, t)
            for m, t in zip(pred_probs_unlabeled, temperatures, strict=True)
        ]
    )
    num_classes = scaled.shape[2]
    votes = np.argmax(scaled, axis=2).T.astype(np.float64)  # (N_u, E)
    table = AnnotationTable.from_array(votes)
    consensus = majority_vote(table, num_classes, np.mean(scaled, axis=0))
    weighted = np.tensordot(np.asarray(weights, dtype=np.float64), scaled, axes=1)
    combined = (weighted + mean / num_classes) / (np.sum(weights) + mean)
    return combined[np.arange(len(consensus)), consensus]


# --------------------------------------------------------------------------
# get_majority_vote_label
# --------------------------------------------------------------------------


def get_majority_vote_label(
    labels_multiannotator: pd.DataFrame | np.ndarray,
    pred_probs: np.ndarray | None = None,
    verbose: bool = True,
) -> np.ndarray:
    """The most common label of each example, ties broken deterministically.

    Parameters
    ----------
    labels_multiannotator : pd.DataFrame or np.ndarray of shape (N, M)
        The annotator table (see `get_label_quality_multiannotator`).
    pred_probs : np.ndarray of shape (N, K), optional
        Predicted probabilities used as the first tie-break.
    verbose : bool, default=True
        Also require at least two annotators and some example labelled twice,
        warn if no two annotators agree anywhere, and print a caution when a
        class some annotator used is absent from the result.

    Returns
    -------
    np.ndarray of shape (N,), int64
        Majority-vote label of each example. Ties go to the class with the
        highest `pred_probs`, then to the class annotated most often over the
        whole table, then to the class whose annotators agree best with the
        untied majority votes, and finally to a random draw from NumPy's global
        generator (with a warning naming the examples).

    Raises
    ------
    ValueError
        If the table or `pred_probs` is invalid.
    TypeError
        If `pred_probs` is not an ndarray.

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.array([[0, 0, 1], [1, 1, 0], [np.nan, 2, 2]])
    >>> get_majority_vote_label(labels).tolist()
    [0, 1, 2]
    """
    labels, annotator_ids, _ = labels_multiannotator_to_array(labels_multiannotator)
    table = checked_table(
        labels,
        pred_probs,
        allow_single_label=not verbose,
        annotator_ids=annotator_ids,
    )
    annotated = np.unique(table.label)
    if pred_probs is not None:
        consensus = majority_vote(table, pred_probs.shape[1], pred_probs)
    else:
        # Count over the classes in use only (a label of 10**9 must not make a
        # table of N x 10**9 counts); unused classes are never modes.
        codes = np.searchsorted(annotated, table.label)
        compact = dataclasses.replace(table, label=codes)
        consensus = annotated[majority_vote(compact, len(annotated))]
    if verbose:
        print_missing_consensus_classes(annotated, consensus, "majority_vote")
    return consensus.astype(np.int64, copy=False)


# --------------------------------------------------------------------------
# convert_long_to_wide_dataset
# --------------------------------------------------------------------------


def convert_long_to_wide_dataset(
    labels_multiannotator_long: pd.DataFrame,
) -> pd.DataFrame:
    """Turn one-row-per-annotation data into the wide annotator table.

    Parameters
    ----------
    labels_multiannotator_long : pd.DataFrame
        Columns ``task`` (example id), ``annotator`` and ``label``; one row per
        annotation, each (task, annotator) pair at most once.

    Returns
    -------
    pd.DataFrame
        Index: the sorted tasks; columns: the sorted annotators; values: the
        labels, NaN where an annotator did not label a task (the values are then
        float). Neither the index nor the columns have a name.

    Raises
    ------
    TypeError
        If the input is not a DataFrame.
    KeyError
        If a column is missing.
    ValueError
        If some (task, annotator) pair occurs more than once.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"task": [0, 0, 1], "annotator": ["x", "y", "y"],
    ...                      "label": [1, 1, 0]})
    >>> convert_long_to_wide_dataset(long)
         x    y
    0  1.0  1.0
    1  NaN  0.0
    """
    frame = labels_multiannotator_long
    if not isinstance(frame, pd.DataFrame):
        msg = (
            "`labels_multiannotator_long` must be a pandas DataFrame with columns "
            f"'task', 'annotator' and 'label'; got a {type(frame).__name__}."
        )
        raise TypeError(msg)
    missing = [c for c in _LONG_COLUMNS if c not in frame.columns]
    if missing:
        msg = (
            f"`labels_multiannotator_long` has no column(s) {missing}; it needs "
            "'task', 'annotator' and 'label'."
        )
        raise KeyError(msg)
    repeated = frame.duplicated(subset=["task", "annotator"], keep=False)
    if repeated.any():
        first = frame[repeated].iloc[0]
        msg = (
            "Index contains duplicate entries, cannot reshape: annotator "
            f"{first['annotator']!r} labels task {first['task']!r} more than once "
            f"in `labels_multiannotator_long` ({int(repeated.sum())} rows are "
            "repeats of a pair). Keep one label per (task, annotator)."
        )
        raise ValueError(msg)
    wide = frame.pivot(index="task", columns="annotator", values="label")
    wide.index.name = None
    wide.columns.name = None
    return wide
