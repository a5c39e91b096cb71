"""Tests for the HTML label quality report (`cleanlab/report.py`)."""

import base64
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from helpers import make_noisy

from cleanlab import dataset, filter, rank
from cleanlab.report import PLOTS_NEED_EXTRA, LabelQualityReport, make_report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SECTIONS = {
    "summary",
    "classes",
    "noise-matrix",
    "score-histogram",
    "overlapping-classes",
    "top-issues",
}
CLASS_NAMES = ["cat", "dog", "<bird>"]
# Modules whose absence simulates an install without the `report` extra.
MATPLOTLIB_MODULES = (
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends",
    "matplotlib.backends.backend_agg",
)


class ReportParser(HTMLParser):
    """Collects a report's section ids, images, notes and table cells per section."""

    def __init__(self):
        super().__init__()
        self.sections = []
        self.images = []
        self.notes = []
        self.cards = []
        self.tables = {}
        self._section = None
        self._row = None
        self._cell = None
        self._in_note = False
        self._in_card_value = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self._section = attrs["id"]
            self.sections.append(self._section)
        elif tag == "img":
            self.images.append((self._section, attrs["src"], attrs.get("alt")))
        elif tag == "p" and attrs.get("class") == "note":
            self._in_note = True
            self.notes.append("")
        elif tag == "div" and attrs.get("class") == "value":
            self._in_card_value = True
            self.cards.append("")
        elif tag == "table":
            self.tables.setdefault(self._section, []).append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr":
            self.tables[self._section][-1].append(self._row)
        elif tag == "p":
            self._in_note = False
        elif tag == "div":
            self._in_card_value = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._in_note:
            self.notes[-1] += data
        if self._in_card_value:
            self.cards[-1] += data


def parse(report: LabelQualityReport) -> ReportParser:
    parser = ReportParser()
    parser.feed(report.html)
    parser.close()
    return parser


@pytest.fixture
def noisy():
    """300 examples, 3 classes, 15% flipped labels: (labels, pred_probs)."""
    labels, pred_probs, _ = make_noisy(n=300, k=3, seed=1, noise=0.15)
    return labels, pred_probs


@pytest.fixture
def no_matplotlib(monkeypatch):
    """Make every matplotlib import fail, as on an install without the extra."""
    for name in MATPLOTLIB_MODULES:
        monkeypatch.setitem(sys.modules, name, None)


class TestMakeReport:
    def test_has_every_section_and_two_png_images(self, noisy):
        """The six sections are present; heatmap and histogram are embedded PNGs."""
        parsed = parse(make_report(*noisy))
        assert set(parsed.sections) == SECTIONS
        assert [section for section, _, _ in parsed.images] == [
            "noise-matrix",
            "score-histogram",
        ]
        for _, src, alt in parsed.images:
            prefix = "data:image/png;base64,"
            assert src.startswith(prefix)
            assert base64.b64decode(src[len(prefix) :]).startswith(PNG_SIGNATURE)
            assert alt
        assert parsed.notes == []

    def test_is_self_contained(self, noisy):
        """No scripts, stylesheets or images are fetched from anywhere."""
        page = make_report(*noisy).html
        assert "<script" not in page
        assert "http://" not in page
        assert "https://" not in page
        assert "<link" not in page

    def test_headline_numbers(self, noisy):
        """Examples, classes, flagged issues and health score match the library."""
        labels, pred_probs = noisy
        parsed = parse(make_report(labels, pred_probs, plots=False))
        num_issues = int(filter.find_label_issues(labels, pred_probs).sum())
        score = dataset.overall_label_health_score(labels, pred_probs, verbose=False)
        assert parsed.cards == ["300", "3", f"{num_issues:,}", f"{score:.3f}"]

    def test_class_table_has_one_row_per_class(self, noisy):
        """Per-class rows, noisiest first, with the number of labelled examples."""
        labels, pred_probs = noisy
        parsed = parse(
            make_report(labels, pred_probs, class_names=CLASS_NAMES, plots=False)
        )
        header, *rows = parsed.tables["classes"][0]
        assert header[0] == "class"
        assert sorted(row[0] for row in rows) == sorted(CLASS_NAMES)
        counts = {row[0]: int(row[1]) for row in rows}
        for k, name in enumerate(CLASS_NAMES):
            assert counts[name] == int((labels == k).sum())
        quality = [float(row[-1]) for row in rows]
        assert quality == sorted(quality)

    def test_top_issues_are_the_worst_flagged_examples(self, noisy):
        """The top-issues table lists flagged examples by increasing label quality."""
        labels, pred_probs = noisy
        report = make_report(
            labels, pred_probs, class_names=CLASS_NAMES, num_top_issues=5, plots=False
        )
        header, *rows = parse(report).tables["top-issues"][0]
        assert header == [
            "rank",
            "index",
            "given label",
            "suggested label",
            "label quality",
        ]
        mask = filter.find_label_issues(labels, pred_probs)
        scores = rank.get_label_quality_scores(labels, pred_probs)
        flagged = np.flatnonzero(mask)
        expected = flagged[np.argsort(scores[flagged], kind="stable")][:5]
        assert [int(row[1]) for row in rows] == expected.tolist()
        for row, i in zip(rows, expected, strict=True):
            assert row[2] == CLASS_NAMES[labels[i]]
            assert row[3] == CLASS_NAMES[int(np.argmax(pred_probs[i]))]

    def test_data_values_and_index_labels_beside_issues(self, noisy):
        """With `data`, rows are named by its index and its values are shown
        (floats with six significant digits)."""
        labels, pred_probs = noisy
        data = pd.DataFrame(
            {
                "height": np.arange(300) * 2,
                "ratio": np.full(300, 1 / 3),
                "note": ["a"] * 300,
            },
            index=np.arange(300) + 1000,
        )
        mask = np.zeros(300, dtype=bool)
        mask[[7, 8]] = True
        scores = np.linspace(0, 1, 300)
        report = make_report(
            labels,
            pred_probs,
            data=data,
            label_issues=mask,
            label_quality_scores=scores,
        )
        header, *rows = parse(report).tables["top-issues"][0]
        assert header[-3:] == ["height", "ratio", "note"]
        assert [(row[1], *row[-3:]) for row in rows] == [
            ("1007", "14", "0.333333", "a"),
            ("1008", "16", "0.333333", "a"),
        ]

    def test_outlier_section_only_with_outlier_scores(self, noisy):
        """Outlier scores add a table of the lowest-scoring examples first."""
        labels, pred_probs = noisy
        assert (
            "outliers"
            not in parse(make_report(labels, pred_probs, plots=False)).sections
        )
        outlier_scores = np.linspace(1, 0.1, 300)
        parsed = parse(
            make_report(
                labels,
                pred_probs,
                outlier_scores=outlier_scores,
                num_top_issues=3,
                plots=False,
            )
        )
        assert parsed.sections[-1] == "outliers"
        _, *rows = parsed.tables["outliers"][0]
        assert [row[1] for row in rows] == ["299", "298", "297"]

    def test_escapes_names(self, noisy):
        """Class names and titles are HTML-escaped."""
        report = make_report(
            *noisy, class_names=CLASS_NAMES, title="a <b> & c", plots=False
        )
        assert "&lt;bird&gt;" in report.html
        assert "<bird>" not in report.html
        assert "<title>a &lt;b&gt; &amp; c</title>" in report.html

    def test_no_issues(self):
        """A dataset without label issues says so instead of an empty table."""
        labels = np.array([0, 0, 1, 1])
        pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.3, 0.7]])
        report = make_report(labels, pred_probs, plots=False)
        assert "No label issues were flagged." in report.html
        assert "top-issues" not in parse(report).tables

    def test_save_and_notebook_display(self, noisy, tmp_path):
        """`save` writes the page as UTF-8; Jupyter gets the same HTML."""
        report = make_report(*noisy, class_names=["é", "ü", "ß"], plots=False)
        path = report.save(tmp_path / "report.html")
        assert path.read_text(encoding="utf-8") == report.html
        assert report._repr_html_() == report.html

    def test_does_not_change_the_matplotlib_backend(self, noisy):
        """Plots are drawn on an Agg canvas without switching pyplot's backend."""
        matplotlib = pytest.importorskip("matplotlib")
        before = matplotlib.rcParams["backend"]
        make_report(*noisy)
        assert matplotlib.rcParams["backend"] == before


class TestWithoutMatplotlib:
    def test_tables_replace_plots_and_a_note_names_the_extra(
        self, noisy, no_matplotlib
    ):
        """Without matplotlib: no images, tables instead, and the extra is named."""
        parsed = parse(make_report(*noisy))
        assert parsed.images == []
        assert parsed.notes == [PLOTS_NEED_EXTRA]
        assert "cleanlab[report]" in PLOTS_NEED_EXTRA
        assert set(parsed.sections) == SECTIONS
        header, *rows = parsed.tables["noise-matrix"][0]
        assert header == ["", "true 0", "true 1", "true 2"]
        assert len(rows) == 3
        _, *bins = parsed.tables["score-histogram"][0]
        assert sum(int(row[1]) for row in bins) == 300

    def test_plots_false_draws_tables_without_a_note(self, noisy):
        """`plots=False` gives the tables without claiming anything is missing."""
        parsed = parse(make_report(*noisy, plots=False))
        assert parsed.images == []
        assert parsed.notes == []


class TestValidation:
    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"class_names": ["a"]}, ValueError, "one name per column"),
            ({"data": pd.DataFrame({"a": [1]})}, ValueError, "one row per example"),
            ({"label_issues": np.ones(3, bool)}, ValueError, "`label_issues` must"),
            (
                {"label_quality_scores": np.ones((300, 1))},
                ValueError,
                "`label_quality_scores` must have shape",
            ),
            ({"outlier_scores": [0.5]}, ValueError, "`outlier_scores` must"),
            ({"num_top_issues": 0}, ValueError, "at least 1"),
            ({"num_top_issues": 2.5}, TypeError, "must be an integer"),
            ({"filter_by": "nope"}, ValueError, "`filter_by` must be one of"),
            (
                {"label_issues": np.arange(300)},
                ValueError,
                "`label_issues` must be a boolean mask",
            ),
            (
                {"label_quality_scores": np.full(300, np.nan)},
                ValueError,
                "`label_quality_scores` must be finite; entry 0 is nan",
            ),
            (
                {"outlier_scores": np.array(["a"] * 300)},
                TypeError,
                "`outlier_scores` must hold numbers",
            ),
            ({"title": 5}, TypeError, "`title` must be a string"),
        ],
    )
    def test_bad_argument(self, noisy, kwargs, error, message):
        with pytest.raises(error, match=message):
            make_report(*noisy, plots=False, **kwargs)

    def test_label_issues_of_zeros_and_ones(self, noisy):
        """A 0/1 integer mask reads as the boolean mask it stands for."""
        labels, pred_probs = noisy
        mask = filter.find_label_issues(labels, pred_probs)
        as_bools = make_report(labels, pred_probs, label_issues=mask, plots=False)
        as_ints = make_report(
            labels, pred_probs, label_issues=mask.astype(int), plots=False
        )
        assert as_ints.html == as_bools.html

    def test_bad_pred_probs(self, noisy):
        """Invalid pred_probs are rejected by the library's own checks."""
        labels, pred_probs = noisy
        with pytest.raises(ValueError, match="between 0 and 1"):
            make_report(labels, pred_probs * 3)


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.skipif(
    _find_chromium() is None,
    reason="headless rendering needs the chromium binary (Debian package chromium)",
)
def test_renders_in_headless_chromium(noisy, tmp_path):
    """Chromium renders the report to a screenshot that is not blank."""
    image_module = pytest.importorskip("matplotlib.image")
    report_path = make_report(*noisy, class_names=CLASS_NAMES).save(
        tmp_path / "report.html"
    )
    screenshot = tmp_path / "report.png"
    command = [
        _find_chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={screenshot}",
        "--window-size=1200,2000",
        report_path.resolve().as_uri(),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    pixels = image_module.imread(screenshot)[..., :3]
    assert pixels.shape[:2] == (2000, 1200)
    # A blank page is one colour; the report has text, tables and two plots.
    assert pixels.std() > 0.05
    background = pixels[5, 5]
    differs = np.abs(pixels - background).max(axis=2) > 0.1
    assert differs.mean() > 0.05
