"""The report's CX index, loyalty, key-driver and retention sections: present exactly when their
inputs are given, numbers equal to the in-memory API's, valid self-contained HTML; and the
command line (run as a subprocess on small CSVs written here) writes the same sections."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html import unescape

import numpy as np
import pandas as pd
import pytest
from test_report import check_html, chromium

import cxkit

DIMS = ["effectiveness", "ease", "emotion"]
LATER = ["cx_index", "loyalty", "key_drivers", "retention"]


def make_survey(n=900, seed=5):
    rng = np.random.default_rng(seed)
    quality = rng.normal(size=n)
    region = np.array(["North", "South", "East"])[rng.integers(0, 3, n)]
    shift = np.where(region == "South", -0.6, 0.0)
    df = pd.DataFrame(
        {
            name: np.clip(np.round(3.5 + w * (quality + shift) + rng.normal(0, 0.8, n)), 1, 5)
            for name, w in (("effectiveness", 1.0), ("ease", 0.7), ("emotion", 0.4))
        }
    )
    df["nps"] = np.clip(np.round(7 + 2 * quality + rng.normal(0, 1, n)), 0, 10).astype(int)
    df["retained"] = (rng.random(n) < 1 / (1 + np.exp(-(0.4 + 1.1 * quality)))).astype(int)
    df["region"] = region
    df["customer_id"] = [f"c{i % 300:03d}" for i in range(n)]
    df["date"] = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    return df


def make_transactions(seed=6):
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(300):
        first = int(rng.integers(0, 14))
        for m in range(first, 18):
            if m == first or rng.random() < 0.55:
                year, month = 2024 + (m // 12), m % 12 + 1
                day = int(rng.integers(1, 28))
                rows.append(
                    (f"c{c:03d}", f"{year}-{month:02d}-{day:02d}", float(rng.integers(5, 60)))
                )
    return pd.DataFrame(rows, columns=["customer_id", "purchase_date", "amount"])


@pytest.fixture(scope="module")
def survey():
    return make_survey()


@pytest.fixture(scope="module")
def log():
    return make_transactions()


@pytest.fixture(scope="module")
def full(survey, log):
    return cxkit.report(
        survey,
        score="nps",
        by="region",
        dims=DIMS,
        outcome="retained",
        transactions=log,
        customer="customer_id",
        revenue="amount",
        transactions_date="purchase_date",
    )


def text_of(html):
    return unescape(re.sub(r"<[^>]+>", " ", html))


def section_html(doc, key):
    m = re.search(rf"<section id='cx-{re.escape(key)}'>(.*?)</section>", doc, re.S)
    assert m, f"no section {key}"
    return m.group(1)


def test_sections_appear_only_with_their_inputs(survey, log):
    def keys(**kw):
        return [s.key for s in cxkit.report(survey, **kw).sections]

    assert not set(keys()) & set(LATER)
    assert [k for k in keys(dims=DIMS) if k.startswith("cx_index")] == ["cx_index"]
    assert "cx_index-region" in keys(dims=DIMS, by="region")
    got = keys(outcome="retained")
    assert "loyalty" in got and "key_drivers" not in got and "cx_index" not in got
    assert "key_drivers" in keys(dims=DIMS, outcome="retained")
    got = keys(transactions=log, revenue="amount", transactions_date="purchase_date")
    assert "retention" in got and "cx_index" not in got
    # given inputs that no section used are named in the footer; the log's columns are used
    rep = cxkit.report(survey, customer="customer_id")
    assert "customer=" in rep.footer
    rep = cxkit.report(
        survey, transactions=log, revenue="amount", transactions_date="purchase_date"
    )
    assert "Inputs given but not used" not in rep.footer


def test_order_and_valid_self_contained_html(full):
    keys = [s.key for s in full.sections]
    assert keys[-5:] == ["cx_index", "cx_index-region", "loyalty", "key_drivers", "retention"]
    doc = full.to_html()
    check_html(doc)
    assert "<script" not in doc.lower()
    assert not re.search(r"(?:src|href)\s*=\s*['\"]?(?:https?:)?//", doc)
    assert "url(" not in doc and "@import" not in doc
    for key in LATER:
        body = section_html(doc, key)
        assert "<svg" in body  # a chart in each section
        assert len(full[key].reading.split(". ")) <= 2  # a sentence (the loyalty curve adds one)


def test_cx_index_numbers_equal_the_api(survey, full):
    r = cxkit.cx_index(survey, dims=DIMS)
    weakest = r.dimension(r.weakest)
    reading = full["cx_index"].reading
    assert (
        f"{r.estimate:.1f} points (95% CI {r.interval.lower:.1f} to {r.interval.upper:.1f}"
        in reading
    )
    assert f"{r.weakest} was the weakest dimension at {weakest.estimate:.1f}" in reading
    assert r.band in reading
    body = text_of(full["cx_index"].table)
    for d in r.dimensions:
        assert (
            f"{d.name} {d.estimate:.1f} {d.interval.lower:.1f} to {d.interval.upper:.1f}"
            in " ".join(body.split())
        )
    chart = full["cx_index"].charts[0]
    assert chart.count('class="cx-band"') == 5  # the quality bands
    assert chart.count('class="cx-mark"') == len(DIMS) + 1
    seg = cxkit.cx_index_by(survey, dims=DIMS, by="region")
    seg_text = " ".join(text_of(full["cx_index-region"].table).split())
    for _, row in seg.iterrows():
        assert f"{row['region']} {row['estimate']:.1f}" in seg_text
    assert full["cx_index-region"].charts[0].count('class="cx-mark"') == len(seg)


def test_loyalty_numbers_equal_the_api(survey, full):
    lift = cxkit.loyalty_lift(survey, outcome="retained", score="nps")
    rr, rd = lift.risk_ratio, lift.risk_difference
    reading = full["loyalty"].reading
    assert reading.startswith(
        f"Promoters were {rr.estimate:.2f}x (95% CI {rr.interval.lower:.2f} to "
        f"{rr.interval.upper:.2f}) as likely to be retained as detractors "
        f"({100 * lift.exposed.estimate:.1f}% vs {100 * lift.reference.estimate:.1f}%"
    )
    assert f"{100 * rd.estimate:+.1f} percentage points".replace("-", "\u2212") in reading
    curve = cxkit.loyalty_curve(survey, score="nps", outcome="retained")
    rated = curve.dropna(subset=["rate"])
    best = rated.loc[rated["rate"].idxmax()]
    assert f"{100 * best['rate']:.1f}% of those answering {int(best['point'])}" in reading
    table = " ".join(text_of(full["loyalty"].table).split())
    assert (
        f"risk ratio (RR) {rr.estimate:.2f} {rr.interval.lower:.2f} to {rr.interval.upper:.2f}"
        in table
    )
    lo = lift.odds_ratio
    assert f"odds ratio (OR) {lo.estimate:.2f}" in table
    assert len(full["loyalty"].charts) == 2  # the two rates, and the curve


def test_key_drivers_numbers_equal_the_api(survey, full):
    kd = cxkit.key_drivers(survey, drivers=DIMS, outcome="retained", resamples=200, seed=0)
    top = kd.sort_values("lmg_share", ascending=False).iloc[0]
    reading = full["key_drivers"].reading
    assert reading.startswith(f"{top['driver'].capitalize()} explains the largest share")
    assert f"{100 * top['lmg_share']:.0f}% of the explained variance" in reading
    assert f"R\u00b2 = {kd.attrs['r_squared']:.3f}" in reading
    table = " ".join(text_of(full["key_drivers"].table).split())
    for _, row in kd.iterrows():
        assert f"{row['driver']} {100 * row['lmg_share']:.1f}%" in table
    assert full["key_drivers"].charts[0].count('class="cx-mark"') == len(DIMS)


def test_retention_numbers_equal_the_api(log, full):
    args = dict(customer="customer_id", date="purchase_date", revenue="amount")
    ret = cxkit.retention(log, **args, lag=12)  # 18 months of log: year-on-year NRR/GRR
    rows = ret.rows
    reading = full["retention"].reading
    last = rows[-12:]
    share_new = sum(r["new_revenue"] for r in last) / sum(r["revenue"] for r in last)
    assert f"new customers {100 * share_new:.1f}%" in reading
    assert f"net revenue retention was {100 * rows[-1]['nrr']:.1f}%" in reading
    assert f"(gross {100 * rows[-1]['grr']:.1f}%)" in reading
    table = " ".join(text_of(full["retention"].table).split())
    for r in rows:
        assert f"{r['period']} {r['active']:,} {r['new']:,}" in table
    coh = cxkit.cohorts(log, **args)
    heat = full["retention"].charts[2]
    cells = sum(v is not None for row in coh.customer_rates for v in row)
    assert heat.count('class="cx-mark"') == cells
    balance = full["retention"].charts[0]
    assert balance.count('data-series="revenue from new customers"') == sum(
        r["new_revenue"] > 0 for r in rows
    )


def test_report_errors_for_the_new_inputs(survey, log):
    with pytest.raises(cxkit.ColumnNotFoundError, match="in the transactions"):
        cxkit.report(survey, transactions=log)  # no 'revenue' column in this log
    with pytest.raises(cxkit.ColumnNotFoundError, match="dims="):
        cxkit.report(survey, dims=["effectiveness", "nope"])
    with pytest.raises(cxkit.OutOfScaleError):
        cxkit.report(survey.assign(retained=survey["retained"] * 2), outcome="retained")


# ---------------------------------------------------------------------------------------------
# The command line, as a subprocess


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "cxkit", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory, survey, log):
    d = tmp_path_factory.mktemp("cli")
    survey.to_csv(d / "survey.csv", index=False)
    log.to_csv(d / "tx.csv", index=False)
    return d


def test_cli_writes_every_section_with_the_api_numbers(files, full):
    out = files / "report.html"
    proc = run(
        "report", files / "survey.csv",
        "--by", "region",
        "--dims", ",".join(DIMS),
        "--outcome", "retained",
        "--transactions", files / "tx.csv",
        "--customer", "customer_id",
        "--revenue", "amount",
        "--transactions-date", "purchase_date",
        "--out", out,
        "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)
    doc = out.read_text(encoding="utf-8")
    check_html(doc)
    # the CSV round trip reads the same data: every reading equals the in-memory report's
    assert printed["readings"] == full.readings
    for key in [*LATER, "cx_index-region"]:
        body = section_html(doc, key)
        assert unescape(full[key].reading) in unescape(body)
    r = cxkit.cx_index(pd.read_csv(files / "survey.csv"), dims=DIMS)
    assert f"The CX index was {r.estimate:.1f} points" in unescape(doc)


def test_cli_default_column_names_and_help(files, survey, log):
    # a log with the usual names needs only --transactions (date from --date)
    log.rename(columns={"purchase_date": "date", "amount": "revenue"}).to_csv(
        files / "tx_plain.csv", index=False
    )
    out = files / "plain.html"
    proc = run(
        "report", files / "survey.csv", "--date", "date", "--transactions",
        files / "tx_plain.csv", "--out", out,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "<section id='cx-retention'>" in out.read_text(encoding="utf-8")
    assert "<section id='cx-cx_index'>" not in out.read_text(encoding="utf-8")
    help_text = " ".join(run("report", "--help").stdout.split())
    for option in ("--dims", "--outcome", "--transactions", "--customer", "--revenue",
                   "--transactions-date"):  # fmt: skip
        assert option in help_text


def test_cli_errors_are_one_line(files):
    def one_line(proc, pattern):
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in proc.stderr
        assert pattern in lines[0], lines[0]

    survey = files / "survey.csv"
    out = files / "x.html"
    one_line(run("report", survey, "--transactions", files / "none.csv", "--out", out),
             "no such file")  # fmt: skip
    one_line(
        run("report", survey, "--transactions", files / "tx.csv", "--revenue", "amount",
            "--customer", "who", "--out", out),
        "no column 'who' (customer=) in the transactions",
    )  # fmt: skip
    one_line(run("report", survey, "--dims", "effectiveness,nope", "--out", out),
             "no column 'nope' (dims=)")  # fmt: skip
    # values off their scale name the column and the line of the file
    one_line(run("report", survey, "--outcome", "nps", "--out", out), "column 'nps', row 1")
    bad = pd.read_csv(survey)
    bad.loc[4, "ease"] = 9
    bad.to_csv(files / "bad.csv", index=False)
    one_line(
        run("report", files / "bad.csv", "--dims", ",".join(DIMS), "--out", out),
        "column 'ease', row 5 (line 6 of bad.csv): value 9 is outside the scale 1..=5",
    )
    bad = pd.read_csv(survey).astype({"retained": object})
    bad.loc[2, "retained"] = "yes"
    bad.to_csv(files / "bad2.csv", index=False)
    one_line(
        run("report", files / "bad2.csv", "--outcome", "retained", "--out", out),
        "column 'retained', row 3 (line 4 of bad2.csv): value 'yes'",
    )


def test_new_sections_render_in_headless_chromium(full, tmp_path):
    browser = chromium()
    if browser is None:
        reason = "chromium is not installed (scripts/test.sh installs Debian's chromium package)"
        print(f"SKIP: {reason}")
        pytest.skip(reason)
    from PIL import Image

    # only the later sections, so that the screenshot shows them
    page = cxkit.Report(full.title, full.subtitle, [s for s in full.sections if s.key in LATER], "")
    html = tmp_path / "later.html"
    page.to_html(html)
    png = tmp_path / "later.png"
    profile = tempfile.mkdtemp(prefix="cxkit-chromium-")
    try:
        subprocess.run(
            [
                browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", f"--user-data-dir={profile}", f"--screenshot={png}",
                "--window-size=1000,3000", html.as_uri(),
            ],
            check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": profile},
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    assert (pixels.min(axis=2) < 235).mean() > 0.03  # not blank

    def has(hex_color, tol=12):
        rgb = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)])
        return int((np.abs(pixels - rgb).max(axis=2) <= tol).sum())

    # the blue dots and bars, and the amber new-customer revenue, were drawn
    assert has("#2f6db5") > 500 and has("#f4a93b") > 200
