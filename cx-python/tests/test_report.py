"""The HTML report: sections, readings checked against cxkit's own functions, valid
self-contained HTML, and a real headless-Chromium screenshot that is not blank."""

import os
import pathlib
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxkit
from cxkit import _report

ROOT = pathlib.Path(__file__).resolve().parents[2]
SURVEY = ROOT / "examples" / "data" / "survey.csv"


@pytest.fixture(scope="module")
def survey():
    return pd.read_csv(SURVEY)


@pytest.fixture(scope="module")
def full(survey):
    return cxkit.report(survey, score="nps", by=["region", "channel"], date="date")


# ---------------------------------------------------------------------------------------------
# HTML validity: a strict nesting check with the standard library parser.

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
SVG_SELF_CLOSING = {"rect", "line", "circle", "polygon", "polyline", "path"}


class StrictChecker(HTMLParser):
    """Every element closed in order; records tags, attributes and text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.attrs, self.text = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in VOID and tag not in SVG_SELF_CLOSING:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append(f"end tag of void element </{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(doc):
    assert doc.startswith("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>")
    checker = StrictChecker()
    checker.feed(doc)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert checker.tags.count("html") == checker.tags.count("body") == 1
    assert checker.tags.count("title") >= 1
    return checker


def external_references(doc):
    """Anything that could make the browser fetch: URLs, scripts, links, imports, sources."""
    found = re.findall(r"(?i)(?:https?:|ftp:|data:|//[a-z0-9.-]+\.[a-z]{2,})", doc)
    found += re.findall(r"(?i)<(?:script|link|img|iframe|object|embed|image|use)\b", doc)
    found += re.findall(r"(?i)(?:@import|url\s*\(|\b(?:src|href|xlink:href)\s*=)", doc)
    return found


def test_sections_of_the_full_report(full):
    keys = [s.key for s in full.sections]
    assert keys == ["headline", "distribution", "segments-region", "segments-channel", "trend"]
    assert repr(full).startswith("Report('Customer experience report: nps'")
    assert full["trend"].title == "NPS over time"
    with pytest.raises(KeyError):
        full["nope"]


def test_headline_reading_matches_cxkit(survey, full):
    r = cxkit.nps(survey["nps"])
    c = cxkit.csat(survey["csat"])
    e = cxkit.ces(survey["ces"])
    text = full.readings["headline"]
    assert text.startswith(
        f"NPS was {r.estimate:+.1f} points (95% CI {r.interval.lower:+.1f} to "
        f"{r.interval.upper:+.1f}) from {r.n:,} answers: {100 * r.promoter_share:.1f}% promoters"
    )
    assert f"CSAT {100 * c.estimate:.1f}%" in text and f"CES {e.estimate:.2f}" in text
    tiles = full["headline"].tiles
    assert [t[0] for t in tiles] == ["NPS", "CSAT", "CES"]
    assert tiles[0][1] == f"{r.estimate:+.1f}" and tiles[0][3].startswith(f"n = {r.n:,}")
    assert text.count(".") >= 1 and text.endswith(".")


def test_distribution_reading(survey, full):
    counts = survey["nps"].value_counts()
    mode = int(counts.idxmax())
    share = counts.max() / survey["nps"].notna().sum()
    text = full.readings["distribution"]
    assert text.startswith(f"The most common answer was {mode} ({100 * share:.1f}% of answers)")
    assert "(detractors)" in text and "(promoters)" in text


def test_segment_reading_names_significant_groups(survey, full):
    table = cxkit.nps_by(survey, "nps", "channel")
    text = full.readings["segments-channel"]
    for _, row in table.iterrows():
        if row["significant"]:
            side = "above" if row["diff_vs_rest"] > 0 else "below"
            assert f"{row['channel']} ({row['estimate']:+.1f}".replace("-", "\u2212") in text
            assert f"significantly {side}" in text
    assert "Holm-adjusted" in text


def test_segment_reading_without_differences_and_small_groups():
    rng = np.random.default_rng(1)
    n = 3000
    df = pd.DataFrame(
        {"nps": rng.integers(0, 11, n), "g": rng.choice(["a", "b", "c"], n, p=[0.495, 0.495, 0.01])}
    )
    rep = cxkit.report(df, by="g", min_base=100)
    text = rep.readings["segments-g"]
    assert text.startswith("By g, no group differs significantly from the rest")
    assert "1 group with fewer answers than the minimum base was not tested" in text
    svg = rep["segments-g"].charts[0]
    assert svg.count('data-mark="small"') == 1 and svg.count('data-mark="ns"') == 2


def test_trend_reading_matches_an_independent_difference(survey, full):
    days = pd.to_datetime(survey["date"])
    month = days.dt.to_period("M")
    months = sorted(month.unique())
    early = survey["nps"][month.isin(months[:3])]
    late = survey["nps"][month.isin(months[-3:])]
    d = cxkit.nps_difference(late, early)  # a different function from the report's nps_by
    text = full.readings["trend"]
    sign = "rose" if d.estimate > 0 else "fell"
    expected = (
        f"NPS {sign} from {cxkit.nps(early).estimate:+.1f} in {months[0]} to {months[2]} to "
        f"{cxkit.nps(late).estimate:+.1f} in {months[-3]} to {months[-1]}, a change of "
        f"{d.estimate:+.1f} points (95% CI {d.interval.lower:+.1f} to {d.interval.upper:+.1f}"
    ).replace("-", "\u2212")
    # the month labels keep their hyphens
    expected = re.sub(r"(\d{4})\u2212(\d{2})", r"\1-\2", expected)
    assert text.startswith(expected), (text, expected)
    assert text.endswith("that is statistically significant.")


def test_html_is_valid_and_self_contained(full, tmp_path):
    path = tmp_path / "r.html"
    doc = full.to_html(path)
    assert path.read_text(encoding="utf-8") == doc
    checker = check_html(doc)
    assert external_references(doc) == []
    assert "xmlns" not in doc  # inline SVG needs no namespace URL inside HTML
    assert checker.tags.count("svg") == 5  # two in the distribution, one per other chart
    assert checker.tags.count("section") == 5
    for s in full.sections:  # every reading appears, once, as text
        assert sum(s.reading in t for t in checker.text) == 1
    fragment = full._repr_html_()
    assert fragment.startswith("<style>") and "<html" not in fragment
    assert external_references(fragment) == []


def test_polars_weights_and_other_metric(survey):
    df = pl.from_pandas(survey).with_columns(w=pl.lit(2.0))
    rep = cxkit.report(df, score="csat", metric="csat", by="region", weights="w", csat=None)
    assert [s.key for s in rep.sections] == ["headline", "distribution", "segments-region"]
    c = cxkit.csat(survey["csat"])
    assert rep.readings["headline"].startswith(f"CSAT was {100 * c.estimate:.1f}% (95% CI")
    assert "weighted by w" in rep.subtitle
    assert "(satisfied)" in rep.readings["distribution"]
    check_html(rep.to_html())


def test_unknown_columns_and_bad_values(survey):
    with pytest.raises(cxkit.ColumnNotFoundError, match=r"no column 'regio' \(by=\)") as err:
        cxkit.report(survey, by="region,regio")
    assert isinstance(err.value, KeyError) and "region" in err.value.available
    with pytest.raises(KeyError, match="dims="):
        cxkit.report(survey, dims=["ease", "joy"])
    bad = survey.head(50).copy()
    bad.loc[17, "nps"] = 11
    with pytest.raises(cxkit.OutOfScaleError) as err:
        cxkit.report(bad)
    assert (err.value.column, err.value.index, err.value.value) == ("nps", 17, 11.0)
    with pytest.raises(ValueError, match="column 'region' \\(date=\\)"):
        cxkit.report(survey, date="region")
    with pytest.raises(cxkit.InvalidArgumentError):
        cxkit.report(survey, metric="nope")
    with pytest.raises(TypeError):
        cxkit.report([1, 2, 3])


def test_section_registry_plugs_in_new_sections(survey):
    calls = []

    @_report.section("demo_dims", needs=("dims",), before="segments")
    def _demo(inp):
        calls.append(list(inp.dims))
        return _report.Section("demo_dims", "Dims", "One sentence.", (), "")

    try:
        assert _report.sections().index("demo_dims") == _report.sections().index("segments") - 1
        rep = cxkit.report(survey, by="region", dims="ease,emotion")
        assert calls == [["ease", "emotion"]]
        assert [s.key for s in rep.sections][:3] == ["headline", "distribution", "demo_dims"]
        assert "not used" not in rep.footer
    finally:
        _report._REGISTRY[:] = [e for e in _report._REGISTRY if e[0] != "demo_dims"]
    # customer= and revenue= are the transaction log's columns: without a log, unused
    rep = cxkit.report(survey, customer="customer_id", revenue="revenue")
    assert rep.footer.endswith("did not allow one): customer=, revenue=.")


def test_edge_cases_of_small_data():
    df = pd.DataFrame({"nps": [9, 10, 3, 7] * 20, "g": ["a", "b"] * 40, "date": "2025-01-05"})
    one = cxkit.report(df, by="g", date="date")
    assert one.readings["trend"] == "NPS was +25.0 in 2025-01, the only period in the data."
    undated = cxkit.report(df.assign(date=None), by="g", date="date")
    assert [s.key for s in undated.sections] == ["headline", "distribution", "segments-g"]
    assert "date=" in undated.footer
    tiny = cxkit.report(df.head(10), by="g")
    assert tiny.readings["segments-g"] == (
        "By g, no group has enough answers to be tested; NPS ranges from +20.0 (a) to +60.0 (b)."
    )
    with pytest.raises(ValueError, match=r"^column 'date' \(date=\): .*ISO8601 format\.$"):
        cxkit.report(df.assign(date="01/02/2025"), date="date")
    with pytest.raises(cxkit.EmptyInputError):
        cxkit.report(df.assign(nps=np.nan))
    check_html(tiny.to_html())


# ---------------------------------------------------------------------------------------------
# A real browser: headless Chromium renders the file and the screenshot is not blank.


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def test_report_renders_in_headless_chromium(full, tmp_path):
    browser = chromium()
    if browser is None:
        reason = "chromium is not installed (scripts/test.sh installs Debian's chromium package)"
        print(f"SKIP: {reason}")
        pytest.skip(reason)
    from PIL import Image

    html = tmp_path / "report.html"
    full.to_html(html)
    png = tmp_path / "shot.png"
    profile = tempfile.mkdtemp(prefix="cxkit-chromium-")
    try:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                "--window-size=1000,2400",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
            env={**os.environ, "HOME": profile},
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    image = Image.open(png).convert("RGB")
    assert image.size == (1000, 2400)
    pixels = np.asarray(image)
    non_white = (pixels.min(axis=2) < 235).mean()
    assert non_white > 0.03, f"screenshot nearly blank: {non_white:.1%} non-white pixels"

    def has(hex_color, tol=12):
        rgb = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)])
        return int((np.abs(pixels.astype(int) - rgb).max(axis=2) <= tol).sum())

    # the charts were drawn: the promoter green and detractor red of the SVG bars are there
    assert has("#1a9850") > 500 and has("#d73027") > 500


def test_long_bar_labels_are_cut_with_the_whole_label_in_a_tooltip():
    from cxkit import _svg

    long = "low advocacy, low effectiveness, low emotion, at risk " * 3
    svg = _svg.hbars([long, "short"], [0.3, 0.7], title="t", x_label="x")
    assert f"<title>{long}</title>" in svg and "\u2026</text>" in svg
    assert ">short</text>" in svg
    assert f">{long}</text>" not in svg
