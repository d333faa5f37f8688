"""The personas section of ``cxkit.report``: present only with ``personas=``, the same numbers
as ``cxkit.personas`` on the same table, and the command line's ``--personas``."""

import json
import math
from html import unescape

import pandas as pd
import pytest
from test_report import check_html
from test_report_sections import (
    DIMS,
    make_survey,
    make_transactions,
    run,
    section_html,
    text_of,
)

import cxkit

TX = dict(customer="customer_id", revenue="amount", transactions_date="purchase_date")
DEFAULT = ["nps_latest", *[f"{d}_mean" for d in DIMS], "recency_days", "frequency", "revenue"]
#: each persona's CX index (latest answers) and key drivers (mean ratings)
PROFILE = dict(cx_dims=[f"{d}_latest" for d in DIMS], drivers=[f"{d}_mean" for d in DIMS])


@pytest.fixture(scope="module")
def survey():
    return make_survey()


@pytest.fixture(scope="module")
def log():
    return make_transactions()


@pytest.fixture(scope="module")
def view(survey, log):
    return cxkit.customer_view(
        survey,
        log,
        customer="customer_id",
        survey_date=None,
        date="purchase_date",
        revenue="amount",
        ratings=["nps", *DIMS],
        nps="nps",
    )


@pytest.fixture(scope="module")
def rep(survey, log):
    return cxkit.report(survey, dims=DIMS, transactions=log, personas=True, **TX)


def _nps(v):
    return f"{v:+.1f}".replace("-", "\u2212")


def check_rows(body, expected):
    """Each persona's row of the section's table shows the API's numbers."""
    text = text_of(body)
    for p in expected.personas:
        row = [
            p["label"],
            f"{p['size']:,}",
            f"{100 * p['share']:.1f}%",
            _nps(p["nps"]["estimate"]),
            f"{_nps(p['nps']['interval']['lower'])} to {_nps(p['nps']['interval']['upper'])}",
        ]
        rev = p["revenue_share"]
        row.append("n/a" if rev is None else f"{100 * rev:.1f}%")
        if p.get("loyalty") is not None:
            r = p["loyalty"]
            lo, hi = r["interval"]["lower"], r["interval"]["upper"]
            row.append(f"{100 * r['estimate']:.1f}% ({100 * lo:.1f}% to {100 * hi:.1f}%)")
        if p.get("cx_index") is not None:
            r = p["cx_index"]
            lo, hi = r["interval"]["lower"], r["interval"]["upper"]
            row.append(f"{_nps(r['estimate'])} ({_nps(lo)} to {_nps(hi)}, {r['band']})")
        if p.get("drivers") is not None:
            top = p["drivers"]["ranking"][:3]
            row.append(", ".join(f"{d['driver']} {100 * d['share']:.1f}%" for d in top))
        row.append("; ".join(p["needs"]))
        cells = "  ".join(row)
        assert " ".join(cells.split()) in " ".join(text.split()), cells


def test_section_only_with_personas(survey, log, rep):
    plain = cxkit.report(survey, dims=DIMS, transactions=log, **TX)
    assert "personas" not in [s.key for s in plain.sections]
    assert "personas" not in [s.key for s in cxkit.report(survey, personas=False).sections]
    keys = [s.key for s in rep.sections]
    assert keys[-1] == "personas"  # after every other section
    assert "Inputs given but not used" not in rep.footer
    doc = rep.to_html()
    check_html(doc)
    body = section_html(doc, "personas")
    assert "<svg" in body and "<table" in body
    assert len(rep["personas"].reading.split(". ")) == 1


def test_numbers_equal_the_api_on_the_customer_view(view, rep):
    expected = cxkit.personas(view, DEFAULT, nps="nps_latest", revenue="revenue", seed=0, **PROFILE)
    body = section_html(rep.to_html(), "personas")
    assert "key drivers of nps (share of R\u00b2)" in text_of(body)
    assert all(p["cx_index"] is not None for p in expected.personas)
    check_rows(body, expected)
    total = sum(p["size"] for p in expected.personas)
    assert f"{expected.k} personas stand out among {total:,} customers" in rep["personas"].reading
    assert total + expected.result.missing == len(view)
    for k, s in expected.silhouette.items():
        assert f"k={k}: {'n/a' if s is None else f'{s:.3f}'}" in rep["personas"].note
    # revenue shares are of the customers clustered, recomputed by filtering
    a = expected.assignments
    for p in expected.personas:
        rev = view["revenue"].to_numpy()
        mine = rev[a == p["id"]].sum() / rev[a >= 0].sum()
        assert math.isclose(p["revenue_share"], mine, rel_tol=1e-9)


def test_named_features_resolve_ratings_to_their_means(survey, log, view):
    rep = cxkit.report(survey, transactions=log, personas="ease, frequency", **TX)
    expected = cxkit.personas(
        view, ["ease_mean", "frequency"], nps="nps_latest", revenue="revenue", seed=0
    )
    check_rows(section_html(rep.to_html(), "personas"), expected)
    assert "ease_mean and frequency" in rep["personas"].note


def test_loyalty_rates_with_an_outcome(survey, log, view):
    rep = cxkit.report(survey, dims=DIMS, outcome="retained", transactions=log, personas=True, **TX)
    v = cxkit.customer_view(
        survey,
        log,
        customer="customer_id",
        survey_date=None,
        date="purchase_date",
        revenue="amount",
        ratings=["nps", *DIMS, "retained"],
        nps="nps",
    )
    expected = cxkit.personas(
        v,
        DEFAULT,
        nps="nps_latest",
        revenue="revenue",
        loyalty="retained_latest",
        seed=0,
        **PROFILE,
    )
    body = section_html(rep.to_html(), "personas")
    assert "retained rate (95% CI)" in text_of(body)
    check_rows(body, expected)
    for p in expected.personas:  # recomputed by filtering
        kept = v["retained_latest"][expected.assignments == p["id"]].dropna()
        assert p["loyalty"]["estimate"] == pytest.approx(kept.mean())


def test_without_a_log_the_personas_are_responses(survey):
    rep = cxkit.report(survey, dims=DIMS, personas=True)
    expected = cxkit.personas(survey, ["nps", *DIMS], nps="nps", seed=0, cx_dims=DIMS, drivers=DIMS)
    check_rows(section_html(rep.to_html(), "personas"), expected)
    assert "responses" in rep["personas"].reading


def test_unknown_feature_is_a_column_error(survey, log):
    with pytest.raises(
        cxkit.ColumnNotFoundError, match=r"'loudness' \(personas=\) in the customer"
    ):
        cxkit.report(survey, transactions=log, personas=["loudness"], **TX)
    with pytest.raises(cxkit.ColumnNotFoundError, match=r"'loudness' \(personas=\)"):
        cxkit.report(survey, personas=["loudness"])


@pytest.fixture(scope="module")
def files(tmp_path_factory, survey, log):
    d = tmp_path_factory.mktemp("cli_personas")
    survey.to_csv(d / "survey.csv", index=False)
    log.to_csv(d / "tx.csv", index=False)
    return d


def test_cli_personas(files, rep):
    out = files / "report.html"
    args = ["report", files / "survey.csv", "--dims", ",".join(DIMS),
            "--transactions", files / "tx.csv", "--customer", "customer_id",
            "--revenue", "amount", "--transactions-date", "purchase_date",
            "--out", out, "--json"]  # fmt: skip
    proc = run(*args, "--personas", "auto")
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)
    assert printed["readings"]["personas"] == rep.readings["personas"]
    doc = out.read_text(encoding="utf-8")
    assert unescape(rep["personas"].reading) in unescape(section_html(doc, "personas"))
    proc = run(*args, "--personas", "ease,revenue")
    assert proc.returncode == 0, proc.stderr
    survey = pd.read_csv(files / "survey.csv")
    log = pd.read_csv(files / "tx.csv")
    again = cxkit.report(survey, dims=DIMS, transactions=log, personas=["ease", "revenue"], **TX)
    assert json.loads(proc.stdout)["readings"]["personas"] == again.readings["personas"]
    proc = run(*args, "--personas", "loudness")
    assert proc.returncode == 1 and "loudness" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    help_text = run("report", "--help").stdout
    assert "--personas" in help_text
