"""A self-contained HTML report of a classification dataset's label quality.

`make_report` turns given labels and out-of-sample predicted probabilities into
one HTML page, with no external files or scripts: headline numbers (examples,
classes, flagged label issues, health score), a per-class quality table, the
estimated noise matrix as a heatmap, a histogram of label quality scores, the
most suspicious examples with their given and suggested labels (and the row's
values when the data is given), and optionally the most atypical examples by
outlier score. Plots are drawn with matplotlib (the ``cleanlab[report]`` extra)
and embedded as base64 PNG images; without matplotlib the page still holds every
table and says that the plots need the extra. The returned `LabelQualityReport`
displays itself in a Jupyter notebook and can be saved with ``save``. The
``cleanlab`` command line writes the same report.
"""

import base64
import html
import io
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

import cleanlab
from cleanlab import dataset, filter, rank
from cleanlab.internal.constants import EPSILON
from cleanlab.internal.validation import (
    check_option,
    validate_labels_and_pred_probs,
)
from cleanlab.typing import LabelLike

__all__ = ["PLOTS_NEED_EXTRA", "LabelQualityReport", "make_report"]

# Shown in place of every plot when matplotlib cannot be imported.
PLOTS_NEED_EXTRA = (
    "Plots need matplotlib: install it with pip install 'cleanlab[report]'."
)
# Longest text shown in one table cell; longer values are cut with an ellipsis.
MAX_CELL_CHARS = 60
# Significant digits of the floating-point data values shown.
DATA_DIGITS = 6
# Most data columns shown beside each top issue or outlier.
MAX_DATA_COLUMNS = 20
# Most class pairs listed in the overlapping-classes table.
MAX_OVERLAP_ROWS = 10
# Heatmap cells carry their value as text up to this many classes, and the axes
# carry class names up to MAX_TICK_CLASSES.
MAX_ANNOTATED_CLASSES = 12
MAX_TICK_CLASSES = 40
# Number of bins of the label quality histogram over [0, 1].
HISTOGRAM_BINS = 40
# Resolution of the embedded PNG images.
PLOT_DPI = 100

_STYLE = """
body { margin: 0; background: #f5f6f8; color: #1d2330;
  font-family: -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
.cleanlab-report { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
.cleanlab-report h1 { font-size: 28px; margin: 8px 0 4px; }
.cleanlab-report h2 { font-size: 20px; margin: 32px 0 8px;
  border-bottom: 2px solid #d5d9e2; padding-bottom: 4px; }
.cleanlab-report p.lead { color: #505a6e; margin: 0 0 16px; }
.cleanlab-report .cards { display: flex; flex-wrap: wrap; gap: 16px; }
.cleanlab-report .card { background: #ffffff; border: 1px solid #d5d9e2;
  border-radius: 8px; padding: 12px 20px; min-width: 160px; }
.cleanlab-report .card .value { font-size: 30px; font-weight: 600; color: #2350a0; }
.cleanlab-report .card .label { font-size: 13px; color: #505a6e; }
.cleanlab-report table { border-collapse: collapse; background: #ffffff;
  font-size: 13px; margin: 8px 0; }
.cleanlab-report th, .cleanlab-report td { border: 1px solid #d5d9e2;
  padding: 4px 8px; text-align: right; }
.cleanlab-report th { background: #e9ecf2; }
.cleanlab-report td.text { text-align: left; }
.cleanlab-report .scroll { overflow-x: auto; }
.cleanlab-report img { max-width: 100%; background: #ffffff;
  border: 1px solid #d5d9e2; border-radius: 4px; }
.cleanlab-report .note { background: #fff7dd; border: 1px solid #e8d48b;
  border-radius: 4px; padding: 8px 12px; }
.cleanlab-report footer { margin-top: 40px; font-size: 12px; color: #6b7385; }
"""


class LabelQualityReport:
    """An HTML label quality report, as returned by `make_report`.

    Parameters
    ----------
    html : str
        The complete HTML document.

    Attributes
    ----------
    html : str
        The complete HTML document, one self-contained page.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from cleanlab.report import make_report
    >>> pred_probs = np.array(
    ...     [[0.9, 0.1], [0.8, 0.2], [0.2, 0.8], [0.1, 0.9], [0.3, 0.7], [0.6, 0.4]]
    ... )
    >>> report = make_report([0, 0, 0, 1, 1, 1], pred_probs, plots=False)
    >>> report.html.startswith("<!DOCTYPE html>")
    True
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = report.save(Path(folder) / "report.html")
    ...     written.read_text(encoding="utf-8") == report.html
    True
    """

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        """Let Jupyter display the report inline."""
        return self.html

    def save(self, path: str | os.PathLike) -> Path:
        """Write the report to `path` as UTF-8 and return the path written.

        Parameters
        ----------
        path : str or path-like
            File to write (created or replaced); its folder must exist.

        Returns
        -------
        pathlib.Path

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from cleanlab.report import LabelQualityReport
        >>> report = LabelQualityReport("<!DOCTYPE html><title>r</title>")
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = report.save(Path(folder) / "report.html")
        ...     path.name, path.read_text(encoding="utf-8") == report.html
        ('report.html', True)
        """
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path


def make_report(
    labels: LabelLike,
    pred_probs: np.ndarray,
    *,
    class_names: list | None = None,
    data: pd.DataFrame | None = None,
    label_issues: np.ndarray | None = None,
    label_quality_scores: np.ndarray | None = None,
    filter_by: str = "prune_by_noise_rate",
    outlier_scores: np.ndarray | None = None,
    num_top_issues: int = 20,
    title: str = "Label quality report",
    plots: bool = True,
) -> LabelQualityReport:
    """Build a self-contained HTML report of the label quality of a dataset.

    Parameters
    ----------
    labels : array_like of shape (N,)
        Given class label of each example, an integer in ``0..K-1``.
    pred_probs : np.ndarray of shape (N, K)
        Out-of-sample predicted probabilities (float32 or float64), rows
        summing to 1.
    class_names : list of length K, optional
        Name of each class, shown instead of its index.
    data : pd.DataFrame of N rows, optional
        The examples' own values (for tabular data), shown beside each top
        issue and outlier (at most the first 20 columns); its index labels
        name the rows (otherwise rows are named by position 0..N-1).
    label_issues : np.ndarray of shape (N,), optional
        Boolean mask of the examples whose label is likely wrong; by default
        ``cleanlab.filter.find_label_issues(labels, pred_probs,
        filter_by=filter_by)``.
    label_quality_scores : np.ndarray of shape (N,), optional
        Label quality of each example, lower meaning more likely wrong; by
        default ``cleanlab.rank.get_label_quality_scores(labels, pred_probs)``.
    filter_by : str, default="prune_by_noise_rate"
        Method of `cleanlab.filter.find_label_issues` used when `label_issues`
        is not given.
    outlier_scores : np.ndarray of shape (N,), optional
        Outlier scores in [0, 1], lower meaning more atypical (such as
        ``cleanlab.outlier.OutOfDistribution().fit_score(...)``); adds a table
        of the most atypical examples.
    num_top_issues : int, default=20
        How many of the lowest-quality flagged examples (and outliers) to list.
    title : str, default="Label quality report"
        Heading and title of the page.
    plots : bool, default=True
        Draw the heatmap and the histogram (needs matplotlib). With False, or
        when matplotlib is missing, the noise matrix and the score
        distribution are shown as tables.

    Returns
    -------
    LabelQualityReport
        Holds the page in its ``html`` attribute; ``save(path)`` writes it, and
        Jupyter displays it inline.

    Raises
    ------
    ValueError
        For invalid `labels` or `pred_probs` (see `cleanlab.filter.
        find_label_issues`), `class_names`, `data`, `label_issues`,
        `label_quality_scores` or `outlier_scores` of the wrong length,
        `label_issues` that are not a boolean mask (such as indices), scores
        that are NaN or infinite, or a `num_top_issues` below 1.
    TypeError
        For `labels` or `pred_probs` of the wrong type, scores that are not
        numbers, or a `title` or `num_top_issues` of the wrong type.

    Examples
    --------
    >>> import numpy as np
    >>> from cleanlab.report import make_report
    >>> labels = np.array([0, 0, 0, 1, 1, 1])
    >>> pred_probs = np.array(
    ...     [[0.9, 0.1], [0.8, 0.2], [0.2, 0.8], [0.1, 0.9], [0.3, 0.7], [0.6, 0.4]]
    ... )
    >>> report = make_report(labels, pred_probs, plots=False)
    >>> "Label quality report" in report.html
    True
    """
    labels, pred_probs = _check_inputs(labels, pred_probs)
    num_examples, num_classes = pred_probs.shape
    names = _class_names(class_names, num_classes)
    data = _check_data(data, num_examples)
    check_option("filter_by", filter_by, filter.FILTER_BY)
    if label_issues is None:
        label_issues = filter.find_label_issues(labels, pred_probs, filter_by=filter_by)
    label_issues = _check_mask(label_issues, num_examples, "label_issues")
    if label_quality_scores is None:
        label_quality_scores = rank.get_label_quality_scores(labels, pred_probs)
    label_quality_scores = _check_scores(
        label_quality_scores, num_examples, "label_quality_scores"
    )
    if outlier_scores is not None:
        outlier_scores = _check_scores(outlier_scores, num_examples, "outlier_scores")
    if not isinstance(title, str):
        msg = f"`title` must be a string; got {type(title).__name__}."
        raise TypeError(msg)
    if isinstance(num_top_issues, bool) or not isinstance(num_top_issues, int):
        msg = f"`num_top_issues` must be an integer; got {num_top_issues!r}."
        raise TypeError(msg)
    if num_top_issues < 1:
        msg = f"`num_top_issues` must be at least 1; got {num_top_issues}."
        raise ValueError(msg)
    summary = dataset.health_summary(
        labels, pred_probs, class_names=names, verbose=False
    )
    context = {
        "labels": labels,
        "pred_probs": pred_probs,
        "names": names,
        "data": data,
        "issues": label_issues,
        "scores": label_quality_scores,
        "outliers": outlier_scores,
        "top": num_top_issues,
        "summary": summary,
        "plotter": _load_plotter() if plots else None,
        "plots_requested": plots,
    }
    return LabelQualityReport(_render_page(title, context))


def _check_inputs(labels, pred_probs) -> tuple[np.ndarray, np.ndarray]:
    """Validated int64 labels and the pred_probs array."""
    labels = validate_labels_and_pred_probs(labels, pred_probs)
    return labels, np.asarray(pred_probs)


def _class_names(class_names, num_classes: int) -> list[str]:
    """The K class names as strings (the class indices when none are given)."""
    if class_names is None:
        return [str(k) for k in range(num_classes)]
    class_names = list(class_names)
    if len(class_names) != num_classes:
        msg = (
            f"`class_names` must have one name per column of `pred_probs` "
            f"({num_classes}); got {len(class_names)}."
        )
        raise ValueError(msg)
    return [str(name) for name in class_names]


def _check_data(data, num_examples: int) -> pd.DataFrame | None:
    """`data` as a DataFrame of `num_examples` rows (its index labels the rows)."""
    if data is None:
        return None
    data = pd.DataFrame(data)
    if len(data) != num_examples:
        msg = (
            f"`data` must have one row per example ({num_examples}); "
            f"got {len(data)} rows."
        )
        raise ValueError(msg)
    return data


def _check_per_example(values, num_examples: int, name: str) -> np.ndarray:
    """`values` as a 1-D array of length `num_examples`."""
    values = np.asarray(values)
    if values.shape != (num_examples,):
        msg = (
            f"`{name}` must have shape ({num_examples},), one entry per example; "
            f"got shape {values.shape}."
        )
        raise ValueError(msg)
    return values


def _check_mask(values, num_examples: int, name: str) -> np.ndarray:
    """`values` as a boolean mask of length `num_examples`; numbers must be 0
    or 1 (indices, as ``find_label_issues(return_indices_ranked_by=...)``
    returns, are refused rather than read as a mask)."""
    values = _check_per_example(values, num_examples, name)
    if values.dtype.kind == "b":
        return values
    if values.dtype.kind not in "iuf" or not np.isin(values, (0, 1)).all():
        msg = (
            f"`{name}` must be a boolean mask with one entry per example (True "
            "for a label issue), not indices or other values."
        )
        raise ValueError(msg)
    return values.astype(bool)


def _check_scores(values, num_examples: int, name: str) -> np.ndarray:
    """`values` as a float64 array of `num_examples` finite numbers."""
    values = _check_per_example(values, num_examples, name)
    if values.dtype.kind not in "biuf":
        msg = f"`{name}` must hold numbers; got dtype {values.dtype}."
        raise TypeError(msg)
    values = values.astype(np.float64, copy=False)
    if not np.isfinite(values).all():
        first = int(np.flatnonzero(~np.isfinite(values))[0])
        msg = f"`{name}` must be finite; entry {first} is {values[first]}."
        raise ValueError(msg)
    return values


# ---------------------------------------------------------------------------
# page


def _render_page(title: str, context: dict) -> str:
    """The complete HTML document."""
    sections = [
        _headline_section(context),
        _class_section(context),
        _noise_matrix_section(context),
        _histogram_section(context),
        _overlap_section(context),
        _top_issues_section(context),
    ]
    if context["outliers"] is not None:
        sections.append(_outlier_section(context))
    plot_note = ""
    if context["plots_requested"] and context["plotter"] is None:
        plot_note = f'<p class="note" id="plots-need-extra">{PLOTS_NEED_EXTRA}</p>'
    escaped_title = html.escape(title)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escaped_title}</title>\n<style>{_STYLE}</style>\n</head>\n"
        '<body>\n<div class="cleanlab-report">\n'
        f"<h1>{escaped_title}</h1>\n"
        '<p class="lead">Label issues estimated by confident learning from '
        "out-of-sample predicted probabilities.</p>\n"
        f"{plot_note}\n" + "\n".join(sections) + "\n<footer>Generated by cleanlab "
        f"{html.escape(cleanlab.__version__)}. Label quality scores are "
        "self-confidence (the predicted probability of the given label); the "
        "health score is one minus the estimated fraction of label issues."
        "</footer>\n</div>\n</body>\n</html>\n"
    )


def _section(section_id: str, heading: str, body: str) -> str:
    """One ``<section>`` with its heading."""
    return (
        f'<section id="{section_id}">\n<h2>{html.escape(heading)}</h2>\n'
        f"{body}\n</section>"
    )


def _headline_section(context: dict) -> str:
    """Cards with the number of examples, classes, issues and the health score."""
    num_examples, num_classes = context["pred_probs"].shape
    num_issues = int(context["issues"].sum())
    score = float(context["summary"]["overall_label_health_score"])
    cards = [
        (f"{num_examples:,}", "examples"),
        (f"{num_classes:,}", "classes"),
        (
            f"{num_issues:,}",
            f"estimated label issues ({num_issues / num_examples:.1%})",
        ),
        (f"{score:.3f}", "label health score (1 is best)"),
    ]
    body = '<div class="cards">' + "".join(
        f'<div class="card"><div class="value">{value}</div>'
        f'<div class="label">{html.escape(label)}</div></div>'
        for value, label in cards
    )
    return _section("summary", "Summary", body + "</div>")


def _class_section(context: dict) -> str:
    """The per-class quality table, noisiest class first."""
    table = context["summary"]["classes_by_label_quality"]
    classes = table["Class Index"].to_numpy()
    num_classes = len(context["names"])
    given = np.bincount(context["labels"], minlength=num_classes)
    flagged = np.bincount(context["labels"][context["issues"]], minlength=num_classes)
    rows = [
        [
            _text(context["names"][k]),
            f"{given[k]:,}",
            f"{flagged[k]:,}",
            f"{row['Label Issues']:,}",
            f"{row['Inverse Label Issues']:,}",
            f"{row['Label Noise']:.3f}",
            f"{row['Inverse Label Noise']:.3f}",
            f"{row['Label Quality Score']:.3f}",
        ]
        for k, (_, row) in zip(classes, table.iterrows(), strict=True)
    ]
    header = [
        "class",
        "examples labelled",
        "flagged issues",
        "estimated issues",
        "estimated inverse issues",
        "label noise",
        "inverse label noise",
        "label quality score",
    ]
    intro = (
        "<p>Noisiest class first. <em>Label noise</em>: estimated share of the "
        "examples labelled with the class whose true class is another; "
        "<em>inverse label noise</em>: share of the examples truly of the class "
        "that carry another label.</p>"
    )
    return _section("classes", "Label quality per class", intro + _table(header, rows))


def _noise_matrix_section(context: dict) -> str:
    """The estimated noise matrix P(given label | true label), as image or table."""
    joint = context["summary"]["joint"]
    noise_matrix = joint / np.maximum(joint.sum(axis=0, keepdims=True), EPSILON)
    intro = (
        "<p>Estimated probability of each given label (rows) for each true "
        "label (columns); off-diagonal mass is label noise.</p>"
    )
    plotter = context["plotter"]
    if plotter is not None:
        image = plotter.heatmap(noise_matrix, context["names"])
        body = _image(image, "Heatmap of the estimated noise matrix")
    else:
        names = [_text(name) for name in context["names"]]
        rows = [
            [f"given {name}", *(f"{value:.3f}" for value in noise_matrix[i])]
            for i, name in enumerate(names)
        ]
        body = _table(["", *(f"true {name}" for name in names)], rows)
    return _section("noise-matrix", "Estimated noise matrix", intro + body)


def _histogram_section(context: dict) -> str:
    """The distribution of label quality scores, issues stacked on the rest."""
    scores, issues = context["scores"], context["issues"]
    intro = (
        "<p>Label quality score of every example; flagged label issues are "
        "shown separately.</p>"
    )
    plotter = context["plotter"]
    if plotter is not None:
        image = plotter.histogram(scores, issues)
        body = _image(image, "Histogram of label quality scores")
    else:
        edges = np.linspace(0.0, 1.0, 11)
        all_counts = np.histogram(np.clip(scores, 0, 1), bins=edges)[0]
        issue_counts = np.histogram(np.clip(scores[issues], 0, 1), bins=edges)[0]
        rows = [
            [f"{low:.1f} - {high:.1f}", f"{total:,}", f"{flagged:,}"]
            for low, high, total, flagged in zip(
                edges[:-1], edges[1:], all_counts, issue_counts, strict=True
            )
        ]
        body = _table(["label quality score", "examples", "flagged issues"], rows)
    return _section("score-histogram", "Distribution of label quality", intro + body)


def _overlap_section(context: dict) -> str:
    """The class pairs that the labels confuse most."""
    table = context["summary"]["overlapping_classes"].head(MAX_OVERLAP_ROWS)
    table = table[table["Num Overlapping Examples"] > 0]
    names = context["names"]
    rows = [
        [
            _text(names[int(row["Class Index A"])]),
            _text(names[int(row["Class Index B"])]),
            f"{int(row['Num Overlapping Examples']):,}",
            f"{row['Joint Probability']:.4f}",
        ]
        for _, row in table.iterrows()
    ]
    if not rows:
        body = "<p>No pair of classes is estimated to overlap.</p>"
    else:
        body = _table(
            ["class A", "class B", "estimated overlapping examples", "share"], rows
        )
    return _section("overlapping-classes", "Most confused pairs of classes", body)


def _top_issues_section(context: dict) -> str:
    """The flagged examples with the lowest label quality, worst first."""
    scores, issues = context["scores"], context["issues"]
    flagged = np.flatnonzero(issues)
    order = flagged[np.argsort(scores[flagged], kind="stable")][: context["top"]]
    if len(order) == 0:
        body = "<p>No label issues were flagged.</p>"
        return _section("top-issues", "Top label issues", body)
    names = context["names"]
    suggested = np.argmax(context["pred_probs"][order], axis=1)
    header = ["rank", "index", "given label", "suggested label", "label quality"]
    rows = [
        [
            str(position),
            _row_name(context["data"], i),
            _text(names[context["labels"][i]]),
            _text(names[suggestion]),
            f"{scores[i]:.4f}",
        ]
        for position, (i, suggestion) in enumerate(
            zip(order.tolist(), suggested.tolist(), strict=True), start=1
        )
    ]
    header, rows = _with_data(header, rows, context["data"], order)
    intro = (
        f"<p>The {len(order):,} flagged examples with the lowest label quality "
        f"(of {len(flagged):,} flagged); the suggested label is the model's "
        "most probable class.</p>"
    )
    body = intro + '<div class="scroll">' + _table(header, rows) + "</div>"
    return _section("top-issues", "Top label issues", body)


def _outlier_section(context: dict) -> str:
    """The examples with the lowest outlier scores, most atypical first."""
    outliers = context["outliers"]
    order = np.argsort(outliers, kind="stable")[: context["top"]]
    names = context["names"]
    header = ["rank", "index", "outlier score", "given label"]
    rows = [
        [
            str(position),
            _row_name(context["data"], i),
            f"{outliers[i]:.4f}",
            _text(names[context["labels"][i]]),
        ]
        for position, i in enumerate(order.tolist(), start=1)
    ]
    header, rows = _with_data(header, rows, context["data"], order)
    intro = (
        "<p>Examples that look least like the rest of the data (lower outlier "
        "score means more atypical).</p>"
    )
    body = intro + '<div class="scroll">' + _table(header, rows) + "</div>"
    return _section("outliers", "Most atypical examples", body)


def _with_data(header: list, rows: list, data, order: np.ndarray) -> tuple:
    """`header` and `rows` extended by the data values of the rows `order`."""
    if data is None:
        return header, rows
    columns = list(data.columns[:MAX_DATA_COLUMNS])
    values = data.iloc[order][columns]
    header = header + [str(column) for column in columns]
    rows = [
        row + [_text(value) for value in record]
        for row, record in zip(rows, values.itertuples(index=False), strict=True)
    ]
    return header, rows


def _row_name(data, position: int) -> str:
    """The index label of row `position` of `data` (the position without data)."""
    return str(position) if data is None else _text(data.index[position])


def _text(value) -> str:
    """`value` as escaped HTML text, cut to MAX_CELL_CHARS characters; floats
    with DATA_DIGITS significant digits, NaN as an empty cell."""
    if isinstance(value, float | np.floating):
        text = "" if math.isnan(value) else f"{value:.{DATA_DIGITS}g}"
    else:
        text = str(value)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "\u2026"
    return html.escape(text)


def _table(header: list[str], rows: list[list[str]]) -> str:
    """An HTML table; cells are already escaped. Cells that are not numbers
    are left-aligned."""
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(_cell(cell) for cell in row) + "</tr>" for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody>\n</table>"


def _cell(cell: str) -> str:
    """A ``<td>``, left-aligned unless `cell` reads as a number."""
    try:
        float(cell.replace(",", "").replace("%", ""))
    except ValueError:
        return f'<td class="text">{cell}</td>'
    return f"<td>{cell}</td>"


def _image(png: bytes, alt: str) -> str:
    """An ``<img>`` holding `png` as a data URL."""
    encoded = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt)}">'


# ---------------------------------------------------------------------------
# plots


def _load_plotter():
    """A `_Plotter` when matplotlib can be imported, else None."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return None
    return _Plotter(Figure, FigureCanvasAgg)


class _Plotter:
    """Draws the report's plots as PNG bytes on matplotlib's Agg canvas.

    Figures are made directly (not through pyplot), so that drawing a report
    never changes the user's matplotlib backend or open figures.
    """

    def __init__(self, figure_class, canvas_class):
        self._figure_class = figure_class
        self._canvas_class = canvas_class

    def _png(self, figure) -> bytes:
        self._canvas_class(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PLOT_DPI, bbox_inches="tight")
        return buffer.getvalue()

    def heatmap(self, matrix: np.ndarray, names: list[str]) -> bytes:
        """The K x K `matrix` as a heatmap with a colour bar."""
        num_classes = len(names)
        size = min(10.0, 3.5 + 0.35 * num_classes)
        figure = self._figure_class(figsize=(size + 1.2, size))
        axes = figure.add_subplot()
        image = axes.imshow(matrix, cmap="Blues", vmin=0.0, vmax=1.0)
        figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04)
        axes.set_xlabel("true label")
        axes.set_ylabel("given label")
        if num_classes <= MAX_TICK_CLASSES:
            short = [
                name if len(name) <= 15 else name[:14] + "\u2026" for name in names
            ]
            axes.set_xticks(range(num_classes), short, rotation=45, ha="right")
            axes.set_yticks(range(num_classes), short)
        if num_classes <= MAX_ANNOTATED_CLASSES:
            for i in range(num_classes):
                for j in range(num_classes):
                    value = matrix[i, j]
                    axes.text(
                        j,
                        i,
                        f"{value:.2f}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if value > 0.5 else "black",
                    )
        axes.set_title("P(given label | true label)")
        return self._png(figure)

    def histogram(self, scores: np.ndarray, issues: np.ndarray) -> bytes:
        """Histogram of `scores` over [0, 1], flagged issues stacked on the rest."""
        figure = self._figure_class(figsize=(8, 3.6))
        axes = figure.add_subplot()
        bins = np.linspace(0.0, 1.0, HISTOGRAM_BINS + 1)
        clipped = np.clip(scores, 0.0, 1.0)
        axes.hist(
            [clipped[~issues], clipped[issues]],
            bins=bins,
            stacked=True,
            color=["#7aa6d8", "#d9534f"],
            label=["not flagged", "flagged label issue"],
        )
        axes.set_xlabel("label quality score")
        axes.set_ylabel("examples")
        axes.set_xlim(0.0, 1.0)
        axes.legend(loc="upper left")
        return self._png(figure)
