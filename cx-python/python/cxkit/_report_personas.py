"""The personas section of ``cxkit.report`` (``personas=[features]`` or ``personas=True``).

With a transaction log (and the ``customer`` column in the survey too) the personas are found
among customers, on ``cxkit.customer_view(survey, transactions)``; without one, among the
survey's responses. Every number comes from ``cxkit.personas`` on that table (k from 2 to 6
by mean silhouette, seed 0), so the report shows what the in-memory API returns.
"""

from __future__ import annotations

import math
from typing import Any

from cxkit import _report_sections, _svg  # _report_sections first: personas come after it
from cxkit._report import ColumnNotFoundError, Inputs, Section, _name_list, _table_html, section

__all__: list[str] = []
_AFTER = _report_sections  # registered before this module, so this section comes last

#: behaviour columns of the customer view used by ``personas=True``
DEFAULT_BEHAVIOUR = ("recency_days", "frequency", "revenue")


def _pct(v: float | None) -> str:
    return "n/a" if v is None or not math.isfinite(v) else f"{100 * v:.1f}%"


def _nps_text(v: float | None) -> str:
    if v is None or not math.isfinite(v):
        return "n/a"
    return f"{v:+.1f}".replace("-", "\u2212")


def _loyalty_text(r: dict[str, Any] | None) -> str:
    if r is None:
        return "n/a"
    lo, hi = r["interval"]["lower"], r["interval"]["upper"]
    return f"{_pct(r['estimate'])} ({_pct(lo)} to {_pct(hi)})"


def _first_need(p: dict[str, Any]) -> str:
    """The persona's first need without its parenthesised detail (for the reading; the table
    has it whole)."""
    return p["needs"][0].split(" (")[0] if p["needs"] else "n/a"


def _cx_text(r: dict[str, Any] | None) -> str:
    if r is None:
        return "n/a"
    lo, hi = r["interval"]["lower"], r["interval"]["upper"]
    return f"{_nps_text(r['estimate'])} ({_nps_text(lo)} to {_nps_text(hi)}, {r['band']})"


def _drivers_text(d: dict[str, Any] | None) -> str:
    if d is None:
        return "n/a"
    if d["skipped"]:
        return f"n/a ({d['skipped']})"
    return ", ".join(f"{x['driver']} {_pct(x['share'])}" for x in d["ranking"][:3])


def persona_table(inp: Inputs) -> tuple[Any, list[str], dict[str, Any], str]:
    """The table the personas are found on, the resolved feature columns, the profile columns
    (``nps``, ``revenue``, ``loyalty``, ``cx_dims``, ``drivers`` keyword arguments of
    ``cxkit.personas``: the CX dimensions' latest answers for each persona's CX index, their
    mean ratings as the key drivers of the outcome, or of NPS without one), and what one row
    is ('customers' or 'responses')."""
    import cxkit

    ratings = [inp.score, *[c for c in (inp.csat, inp.ces) if c is not None], *inp.dims]
    if inp.outcome is not None:
        ratings.append(inp.outcome)
    if inp.personas is not True:  # named survey columns become per-customer ratings too
        ratings += [
            c
            for c in inp.personas
            if c in inp.data.columns
            and c not in (inp.customer, inp.date)
            and inp.data[c].dtype.kind in "iufb"
        ]
    ratings = list(dict.fromkeys(ratings))
    is_nps = inp.metric.key == "nps"
    tx = inp.transactions
    if tx is not None and inp.customer is not None and inp.customer in inp.data.columns:
        table = cxkit.customer_view(
            inp.data,
            tx,
            customer=inp.customer,
            survey_date=inp.date,
            date=inp.transactions_date or "date",
            revenue=inp.revenue or "revenue",
            ratings=ratings,
            nps=inp.score if is_nps else None,
        )
        unit = "customers"
        if inp.personas is True:
            features = [f"{inp.score}_latest", *[f"{d}_mean" for d in inp.dims]]
            features += list(DEFAULT_BEHAVIOUR)
        else:
            features = []
            for name in inp.personas:
                if name in table.columns:
                    features.append(name)
                elif f"{name}_mean" in table.columns:
                    features.append(f"{name}_mean")
                else:
                    raise ColumnNotFoundError(
                        name, "personas", [str(c) for c in table.columns], "the customer view"
                    )
        profile = {
            "nps": f"{inp.score}_latest" if is_nps else None,
            "revenue": "revenue",
            "loyalty": None if inp.outcome is None else f"{inp.outcome}_latest",
            "cx_dims": [f"{d}_latest" for d in inp.dims],
            "drivers": [f"{d}_mean" for d in inp.dims],
        }
    else:
        table = inp.data
        unit = "responses"
        features = [inp.score, *inp.dims] if inp.personas is True else list(inp.personas)
        for name in features:
            if name not in table.columns:
                raise ColumnNotFoundError(name, "personas", [str(c) for c in table.columns])
        profile = {
            "nps": inp.score if is_nps else None,
            "revenue": None,
            "loyalty": inp.outcome,
            "cx_dims": list(inp.dims),
            "drivers": list(inp.dims),
        }
    if profile["loyalty"] is None and profile["nps"] is None:
        profile["drivers"] = []  # nothing for the drivers to explain
    return table, list(dict.fromkeys(features)), profile, unit


def persona_result(inp: Inputs) -> tuple[Any, list[str], str]:
    """``cxkit.personas`` on the report's persona table: (result, features, unit)."""
    import cxkit

    if "personas" not in inp.cache:
        table, features, profile, unit = persona_table(inp)
        result = cxkit.personas(table, features, **profile, seed=0)
        inp.cache["personas"] = (result, features, unit)
    return inp.cache["personas"]


@section("personas", needs=("personas",), uses=("transactions", "customer", "revenue", "outcome"))
def _personas(inp: Inputs) -> Section:
    result, features, unit = persona_result(inp)
    rows = result.personas
    total = sum(p["size"] for p in rows)
    missing = int(result.result.missing)
    ci = f"{round(100 * inp.level)}% CI"
    names = [f"{p['id']}: {p['label']}" for p in rows]
    nps = [None if p["nps"] is None else p["nps"]["estimate"] for p in rows]
    chart = _svg.hbars(
        names,
        [p["share"] for p in rows],
        title=f"{result.k} personas among {total:,} {unit}: share, coloured by NPS",
        x_label=f"share of {unit} (bar colour: NPS, red \u2212100, grey 0, green +100)",
        sort=False,
        colors=[_svg.nps_color(v) for v in nps],
    )
    largest = max(rows, key=lambda p: p["size"])
    scored = [p for p in rows if p["nps"] is not None]
    reading = (
        f"{result.k} personas stand out among {total:,} {unit} (k by silhouette); the largest, "
        f"\u201c{largest['label']}\u201d, holds {_pct(largest['share'])} of them"
    )
    if scored:
        lo = min(scored, key=lambda p: p["nps"]["estimate"])
        hi = max(scored, key=lambda p: p["nps"]["estimate"])
        if lo["id"] != hi["id"]:
            reading += (
                f", and NPS ranges from {_nps_text(lo['nps']['estimate'])} "
                f"(\u201c{lo['label']}\u201d, needs: {_first_need(lo)})"
                f" to {_nps_text(hi['nps']['estimate'])} (\u201c{hi['label']}\u201d)"
            )
    reading += "."
    has_drivers = any(p.get("drivers") is not None for p in rows)
    body = []
    for p in rows:
        n = p["nps"]
        body.append(
            [
                str(p["id"]),
                p["label"],
                f"{p['size']:,}",
                _pct(p["share"]),
                "n/a" if n is None else _nps_text(n["estimate"]),
                ""
                if n is None
                else f"{_nps_text(n['interval']['lower'])} to {_nps_text(n['interval']['upper'])}",
                _pct(p["revenue_share"]),
                *([_loyalty_text(p.get("loyalty"))] if inp.outcome is not None else []),
                *([_cx_text(p.get("cx_index"))] if inp.dims else []),
                *([_drivers_text(p.get("drivers"))] if has_drivers else []),
                "; ".join(p["needs"]),
            ]
        )
    head = ["persona", "label", "size", "share", "NPS", f"NPS {ci}", "revenue share"]
    if inp.outcome is not None:
        head.append(f"{inp.outcome} rate ({ci})")
    if inp.dims:
        head.append(f"CX index ({ci}, band)")
    if has_drivers:
        outcome = next(p["drivers"]["outcome"] for p in rows if p.get("drivers"))
        head.append(f"key drivers of {outcome} (share of R\u00b2)")
    table = _table_html([*head, "needs"], body)
    scores = ", ".join(
        f"k={k}: {'n/a' if s is None else f'{s:.3f}'}" for k, s in result.silhouette.items()
    )
    note = (
        f"cxkit.personas on {_name_list(features)} of the {unit}"
        + (
            " (cxkit.customer_view of the survey and the transaction log)"
            if unit == "customers"
            else ""
        )
        + f": standardised, k-means (k-means++ start, 10 seeded restarts, seed 0), k chosen by "
        f"mean silhouette ({scores}); {unit} with a missing feature left out ({missing:,}). "
        "NPS intervals: adjusted Wald (Rocks 2016)"
        + ("; loyalty rates: Wilson (1927)" if inp.outcome is not None else "")
        + (
            f"; CX index of each persona from its {unit}' latest answers to "
            f"{_name_list(inp.dims)} (delta-method interval)"
            if inp.dims
            else ""
        )
        + (
            "; key drivers within each persona: LMG shares of R\u00b2 (Lindeman, Merenda and "
            "Gold 1980) of the mean ratings, no bootstrap; needs lead with the top drivers"
            if has_drivers
            else ""
        )
        + "; labels and needs from each persona's "
        "distinguishing features (|z| \u2265 0.5 against the rest, Holm-adjusted Welch tests)."
    )
    return Section("personas", "Personas", reading, (chart,), table, note=note)
