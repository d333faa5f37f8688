"""Small inline-SVG chart helpers for the HTML report (no matplotlib, no JavaScript).

Each function returns one ``<svg>`` element as text, sized by a ``viewBox`` so that it scales
with the page, with a ``<title>`` for screen readers, text in the page's own (system) font and
no external reference of any kind: the ``xmlns`` attribute is left out on purpose, since an
``<svg>`` inside an HTML document is placed in the SVG namespace by the HTML parser itself.

The helpers take plain lists, so every report section (and later ones: CX index, loyalty,
key drivers, retention) draws with the same few shapes:

- :func:`stacked_bar` - one 100% bar split in parts (detractors / passives / promoters);
- :func:`columns` - vertical bars per category (a rating histogram);
- :func:`dot_whisker` - one row per group: a dot with an interval whisker, optional background
  bands (CX index quality bands) and a reference line;
- :func:`line_band` - lines with interval bands over ordered categories (trends, curves);
- :func:`hbars` - sorted horizontal bars (key-driver shares);
- :func:`heatmap` - a table of coloured cells (cohort retention triangle).

and, from the same plain tables as :mod:`cxkit.plot` (pandas, polars, a dict of columns or a
list of row dicts), the charts of capabilities whose report sections plug in later:
:func:`loyalty_curve` (``point``, ``rate``, ``lower``, ``upper``), :func:`key_drivers`
(``driver``, ``share``), :func:`cohort_heatmap` (``cohort``, ``period``, ``rate``) and
:func:`cx_index` (``dimension``, ``estimate``, ``lower``, ``upper``, with quality ``bands``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#e3e7ec"
BLUE = "#2f6db5"
BAND = "#2f6db5"
GREEN = "#1a9850"
RED = "#d73027"
GREY = "#9aa5b1"
AMBER = "#f4a93b"

#: The CX index's default quality-band cut-offs (cx_core::Bands) and the bands' names.
DEFAULT_BANDS = (55.0, 65.0, 75.0, 85.0)
BAND_NAMES = ("very poor", "poor", "okay", "good", "excellent")


def band_ranges(
    cutoffs: Sequence[float] = DEFAULT_BANDS, low: float = -100.0, high: float = 100.0
) -> list[tuple[str, float, float]]:
    """The five CX index quality bands as (label, low, high) from four cut-offs, over
    ``low..high`` (net method: -100..100; mean method: 0..100)."""
    edges = [low, *(float(c) for c in cutoffs), high]
    return [(BAND_NAMES[i], edges[i], edges[i + 1]) for i in range(5)]


#: Colours of the NPS categories (and of bottom / middle / top boxes of any scale).
CATEGORY_COLORS = {"detractor": RED, "passive": "#c9ced6", "promoter": GREEN}


def esc(text: Any) -> str:
    return escape(str(text), quote=True)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering ``lo..hi`` (1, 2, 2.5 or 5 times a power of ten apart)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    ticks = []
    for i in range(round((last - first) / step) + 1):
        ticks.append(round(first + i * step, 10))
    return ticks


def nice_domain(values: Sequence[float], pad: float = 0.05) -> tuple[float, float]:
    """A domain around the finite values, padded and widened to round tick values."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return 0.0, 1.0
    lo, hi = min(finite), max(finite)
    span = hi - lo or max(abs(hi), 1.0)
    lo, hi = lo - pad * span, hi + pad * span
    ticks = nice_ticks(lo, hi)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else span
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


class Linear:
    """A linear map from a data domain to pixel positions."""

    def __init__(self, d0: float, d1: float, r0: float, r1: float):
        self.d0, self.d1, self.r0, self.r1 = d0, d1, r0, r1

    def __call__(self, v: float) -> float:
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2
        return self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)


def _open(width: int, height: int, title: str, kind: str) -> list[str]:
    return [
        f'<svg class="cx-chart cx-{kind}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{esc(title)}" '
        f'style="max-width:100%;height:auto;font-family:{esc(FONT)}">',
        f"<title>{esc(title)}</title>",
    ]


def _text(
    x: float,
    y: float,
    text: Any,
    *,
    anchor: str = "start",
    size: int = 12,
    fill: str = INK,
    weight: str = "normal",
    extra: str = "",
) -> str:
    w = f' font-weight="{weight}"' if weight != "normal" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}"{w}{extra}>{esc(text)}</text>'
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
        f'fill="{fill}"{extra}/>'
    )


def _line(
    x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1, extra: str = ""
) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" '
        f'stroke-width="{width}"{extra}/>'
    )


def _legend(items: Sequence[tuple[str, str]], x: float, y: float, *, shape: str = "rect") -> str:
    out = []
    for label, color in items:
        if shape == "circle":
            out.append(f'<circle cx="{x + 6:.1f}" cy="{y - 4:.1f}" r="5" fill="{color}"/>')
        elif shape == "hollow":
            out.append(
                f'<circle cx="{x + 6:.1f}" cy="{y - 4:.1f}" r="4.5" fill="#fff" '
                f'stroke="{color}" stroke-width="2"/>'
            )
        else:
            out.append(_rect(x, y - 10, 12, 12, color))
        out.append(_text(x + 17, y, label, size=12, fill=MUTED))
        x += 17 + 7.2 * len(label) + 18
    return "".join(out)


def stacked_bar(
    parts: Sequence[tuple[str, float, str]], *, title: str, caption: str = "", width: int = 720
) -> str:
    """One horizontal 100% bar: ``parts`` are (label, share 0..1, colour), left to right."""
    height = 92
    x0, x1, y, h = 10, width - 10, 30, 30
    scale = Linear(0, 1, x0, x1)
    out = _open(width, height, title, "stacked")
    if caption:
        out.append(_text(x0, 18, caption, size=12, fill=MUTED))
    acc = 0.0
    for label, share, color in parts:
        a, b = scale(acc), scale(acc + share)
        out.append(_rect(a, y, b - a, h, color, f' data-label="{esc(label)}"'))
        if b - a > 44:
            text_fill = "#fff" if color in (RED, GREEN, BLUE) else INK
            out.append(
                _text(
                    (a + b) / 2,
                    y + 20,
                    f"{100 * share:.1f}%",
                    anchor="middle",
                    fill=text_fill,
                    weight="600",
                )
            )
        acc += share
    out.append(_legend([(f"{p[0]} {100 * p[1]:.1f}%", p[2]) for p in parts], x0, y + h + 24))
    out.append("</svg>")
    return "".join(out)


def columns(
    labels: Sequence[Any],
    values: Sequence[float],
    colors: Sequence[str],
    *,
    title: str,
    x_label: str,
    y_label: str,
    percent: bool = True,
    legend: Sequence[tuple[str, str]] = (),
    width: int = 720,
    height: int = 300,
) -> str:
    """Vertical bars, one per label (a histogram of a rating), value labels on top."""
    left, right, top, bottom = 56, 12, 34 if legend else 14, 50
    top_value = max([v for v in values if v is not None] + [0.0])
    ticks = nice_ticks(0, top_value * 1.12 or 1.0)
    ymax = ticks[-1] if ticks else 1.0
    ys = Linear(0, ymax, height - bottom, top)
    band = (width - left - right) / max(len(labels), 1)
    out = _open(width, height, title, "columns")
    if legend:
        out.append(_legend(legend, left, 16))
    for t in ticks:
        out.append(_line(left, ys(t), width - right, ys(t), GRID))
        label = f"{100 * t:.0f}%" if percent else f"{t:g}"
        out.append(_text(left - 6, ys(t) + 4, label, anchor="end", size=11, fill=MUTED))
    for i, (lab, v, c) in enumerate(zip(labels, values, colors)):
        x = left + i * band + band * 0.12
        w = band * 0.76
        out.append(
            _rect(x, ys(v), w, ys(0) - ys(v), c, f' class="cx-mark" data-label="{esc(lab)}"')
        )
        vt = f"{100 * v:.1f}%" if percent else f"{v:.3g}"
        if band > 34:
            out.append(_text(x + w / 2, ys(v) - 4, vt, anchor="middle", size=10, fill=MUTED))
        out.append(_text(x + w / 2, height - bottom + 16, lab, anchor="middle", size=12))
    out.append(_line(left, ys(0), width - right, ys(0), MUTED))
    out.append(_text((left + width - right) / 2, height - 10, x_label, anchor="middle", fill=MUTED))
    out.append(
        _text(
            14,
            (top + height - bottom) / 2,
            y_label,
            anchor="middle",
            fill=MUTED,
            extra=f' transform="rotate(-90 14 {(top + height - bottom) / 2:.1f})"',
        )
    )
    out.append("</svg>")
    return "".join(out)


def _fmt_tick(t: float, percent: bool, signed: bool) -> str:
    if percent:
        return f"{100 * t:.0f}%"
    if signed and t > 0:
        return f"+{t:g}"
    return f"{t:g}"


def dot_whisker(
    rows: Sequence[dict[str, Any]],
    *,
    title: str,
    x_label: str,
    percent: bool = False,
    signed: bool = False,
    ref: float | None = None,
    ref_label: str = "",
    bands: Sequence[tuple[str, float, float]] = (),
    domain: tuple[float, float] | None = None,
    legend: bool = True,
    width: int = 720,
) -> str:
    """One row per group: a dot at ``estimate`` and a whisker from ``lower`` to ``upper``.

    Each row is a dict with ``label``, ``estimate``, ``lower``, ``upper``, ``n`` and ``mark``:
    ``"above"`` / ``"below"`` (significantly above / below the comparison: filled green / red),
    ``"ns"`` (not significant: hollow), ``"small"`` (below the minimum base: grey, untested),
    ``"plain"`` (no test: filled blue).
    ``bands`` are (label, low, high) ranges shaded behind the dots (CX index quality bands);
    ``ref`` draws a dashed vertical line (the overall figure).
    """
    label_w = min(220, 24 + 7 * max((len(str(r["label"])) for r in rows), default=4))
    left, right, top, row_h = label_w, 72, 40 if bands else 24, 28
    bottom = 58 if legend else 40
    height = top + row_h * len(rows) + bottom
    vals = [v for r in rows for v in (r.get("lower"), r.get("upper"), r.get("estimate"))]
    if ref is not None:
        vals.append(ref)
    d0, d1 = domain if domain is not None else nice_domain(vals)
    xs = Linear(d0, d1, left, width - right)
    out = _open(width, height, title, "dots")
    for label, lo, hi in bands:
        a, b = xs(max(lo, d0)), xs(min(hi, d1))
        if b > a:
            out.append(
                _rect(
                    a,
                    top,
                    b - a,
                    row_h * len(rows),
                    "#f1f4f8",
                    ' stroke="#fff" stroke-width="2" class="cx-band"',
                )
            )
            out.append(_text((a + b) / 2, top - 22, label, anchor="middle", size=11, fill=MUTED))
    for t in nice_ticks(d0, d1):
        if d0 <= t <= d1:
            out.append(_line(xs(t), top, xs(t), top + row_h * len(rows), GRID))
            out.append(
                _text(
                    xs(t),
                    top + row_h * len(rows) + 16,
                    _fmt_tick(t, percent, signed),
                    anchor="middle",
                    size=11,
                    fill=MUTED,
                )
            )
    if ref is not None and d0 <= ref <= d1:
        out.append(
            _line(
                xs(ref),
                top - 4,
                xs(ref),
                top + row_h * len(rows),
                MUTED,
                1.2,
                ' stroke-dasharray="4 3"',
            )
        )
        if ref_label:
            out.append(
                _text(xs(ref) + 4, top + row_h * len(rows) + 30, ref_label, size=11, fill=MUTED)
            )
    out.append(_text(width - right + 10, top - 6, "n", size=11, fill=MUTED))
    for i, r in enumerate(rows):
        y = top + row_h * (i + 0.5)
        out.append(_text(left - 10, y + 4, r["label"], anchor="end"))
        n = r.get("n")
        if n is not None:
            out.append(_text(width - right + 10, y + 4, f"{int(n):,}", size=11, fill=MUTED))
        est, lo, hi = r.get("estimate"), r.get("lower"), r.get("upper")
        mark = r.get("mark", "ns")
        color = {"above": GREEN, "below": RED, "small": GREY}.get(mark, BLUE)
        if lo is not None and hi is not None and math.isfinite(lo) and math.isfinite(hi):
            out.append(_line(xs(lo), y, xs(hi), y, color, 2))
            out.append(_line(xs(lo), y - 5, xs(lo), y + 5, color, 2))
            out.append(_line(xs(hi), y - 5, xs(hi), y + 5, color, 2))
        if est is not None and math.isfinite(est):
            fill = color if mark in ("above", "below", "plain") else "#fff"
            out.append(
                f'<circle class="cx-mark" cx="{xs(est):.1f}" cy="{y:.1f}" r="5.5" '
                f'fill="{fill}" stroke="{color}" stroke-width="2" data-mark="{mark}"/>'
            )
    axis_y = top + row_h * len(rows)
    out.append(_text((left + width - right) / 2, axis_y + 34, x_label, anchor="middle", fill=MUTED))
    if legend:
        items = [
            ("significantly above", GREEN, "circle"),
            ("significantly below", RED, "circle"),
            ("not significant", BLUE, "hollow"),
        ]
        if any(r.get("mark") == "small" for r in rows):
            items.append(("too few answers (untested)", GREY, "hollow"))
        x = left
        for label, color, shape in items:
            out.append(_legend([(label, color)], x, axis_y + 52, shape=shape))
            x += 17 + 7.2 * len(label) + 18
    out.append("</svg>")
    return "".join(out)


def line_band(
    x_labels: Sequence[str],
    series: Sequence[dict[str, Any]],
    *,
    title: str,
    y_label: str,
    x_label: str = "",
    percent: bool = False,
    signed: bool = False,
    width: int = 720,
    height: int = 300,
) -> str:
    """Lines over ordered categories, each with an interval band.

    Each series is a dict with ``name``, ``values``, ``lower`` and ``upper`` (lists as long as
    ``x_labels``, ``None`` for a gap), optional ``color`` and ``dashed``.
    """
    left, right, top, bottom = 60, 14, 30, 54
    vals = [v for s in series for k in ("values", "lower", "upper") for v in s.get(k) or []]
    d0, d1 = nice_domain([v for v in vals if v is not None])
    ys = Linear(d0, d1, height - bottom, top)
    m = len(x_labels)
    xs = Linear(0, max(m - 1, 1), left + 8, width - right - 8)
    out = _open(width, height, title, "line")
    for t in nice_ticks(d0, d1):
        if d0 <= t <= d1:
            out.append(_line(left, ys(t), width - right, ys(t), GRID))
            out.append(
                _text(
                    left - 6,
                    ys(t) + 4,
                    _fmt_tick(t, percent, signed),
                    anchor="end",
                    size=11,
                    fill=MUTED,
                )
            )
    every = max(1, math.ceil(m / 12))
    for i, lab in enumerate(x_labels):
        if i % every == 0 or (i == m - 1 and (m - 1) % every >= 0.6 * every):
            out.append(
                _text(xs(i), height - bottom + 16, lab, anchor="middle", size=11, fill=MUTED)
            )
    palette = [BLUE, AMBER, GREEN, RED, "#7b4fb0", "#2a9d8f"]
    for k, s in enumerate(series):
        color = s.get("color") or palette[k % len(palette)]
        lo, hi, v = s.get("lower"), s.get("upper"), s["values"]
        # bands and lines break at missing values
        runs: list[list[int]] = [[]]
        for i in range(m):
            ok = v[i] is not None and math.isfinite(v[i])
            if ok:
                runs[-1].append(i)
            elif runs[-1]:
                runs.append([])
        for run in (r for r in runs if r):
            if lo is not None and hi is not None:
                pts = [(xs(i), ys(hi[i])) for i in run if hi[i] is not None]
                pts += [(xs(i), ys(lo[i])) for i in reversed(run) if lo[i] is not None]
                if len(pts) >= 3 or len(pts) == 2:
                    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
                    out.append(
                        f'<polygon class="cx-band" points="{path}" fill="{color}" '
                        f'fill-opacity="0.16" stroke="none"/>'
                    )
            path = " ".join(f"{xs(i):.1f},{ys(v[i]):.1f}" for i in run)
            dash = ' stroke-dasharray="6 4"' if s.get("dashed") else ""
            out.append(
                f'<polyline class="cx-mark" points="{path}" fill="none" stroke="{color}" '
                f'stroke-width="2.2"{dash}/>'
            )
            if not s.get("dashed"):
                out.extend(
                    f'<circle cx="{xs(i):.1f}" cy="{ys(v[i]):.1f}" r="2.6" fill="{color}"/>'
                    for i in run
                )
    out.append(_line(left, height - bottom, width - right, height - bottom, MUTED))
    if x_label:
        out.append(
            _text((left + width - right) / 2, height - 14, x_label, anchor="middle", fill=MUTED)
        )
    out.append(
        _text(
            16,
            (top + height - bottom) / 2,
            y_label,
            anchor="middle",
            fill=MUTED,
            extra=f' transform="rotate(-90 16 {(top + height - bottom) / 2:.1f})"',
        )
    )
    legend = [
        (s["name"], s.get("color") or palette[k % len(palette)])
        for k, s in enumerate(series)
        if s.get("name")
    ]
    if legend:
        out.append(_legend(legend, left, 16))
    out.append("</svg>")
    return "".join(out)


def hbars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    x_label: str,
    lower: Sequence[float] | None = None,
    upper: Sequence[float] | None = None,
    percent: bool = True,
    sort: bool = True,
    width: int = 720,
    colors: Sequence[str] | None = None,
) -> str:
    """Horizontal bars, largest first (key-driver shares), optional interval whiskers and
    one colour per bar (default all blue)."""
    idx = list(range(len(labels)))
    if sort:
        idx.sort(key=lambda i: -(values[i] if values[i] is not None else -math.inf))
    # labels take up to 45% of the width (about 7 px a character at 12 px); longer ones are
    # cut with an ellipsis, the whole label kept in a tooltip
    label_w = min(width * 45 // 100, 24 + 7 * max((len(str(x)) for x in labels), default=4))
    fits = max(4, (label_w - 24) // 7)
    left, right, top, row_h, bottom = label_w, 60, 8, 26, 40
    height = top + row_h * len(labels) + bottom
    hi_vals = list(values) + (list(upper) if upper is not None else [])
    ticks = nice_ticks(0, max([v for v in hi_vals if v is not None] + [0]) * 1.05 or 1.0)
    xs = Linear(0, ticks[-1] if ticks else 1.0, left, width - right)
    out = _open(width, height, title, "hbars")
    for t in ticks:
        out.append(_line(xs(t), top, xs(t), top + row_h * len(labels), GRID))
        out.append(
            _text(
                xs(t),
                top + row_h * len(labels) + 15,
                _fmt_tick(t, percent, False),
                anchor="middle",
                size=11,
                fill=MUTED,
            )
        )
    for row, i in enumerate(idx):
        y = top + row * row_h
        v = values[i]
        text = str(labels[i])
        if len(text) > fits:
            short = esc(text[: fits - 1].rstrip()) + "\u2026"
            out.append(
                f'<text x="{left - 10:.1f}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end" '
                f'font-size="12" fill="{INK}"><title>{esc(text)}</title>{short}</text>'
            )
        else:
            out.append(_text(left - 10, y + row_h / 2 + 4, labels[i], anchor="end"))
        fill = BLUE if colors is None else colors[i]
        out.append(_rect(left, y + 5, xs(v) - left, row_h - 10, fill, ' class="cx-mark"'))
        if lower is not None and upper is not None:
            ym = y + row_h / 2
            out.append(_line(xs(lower[i]), ym, xs(upper[i]), ym, INK, 1.5))
        vt = f"{100 * v:.1f}%" if percent else f"{v:.3g}"
        end = v
        if upper is not None and upper[i] is not None and math.isfinite(upper[i]):
            end = max(v, upper[i])
        out.append(_text(xs(end) + 6, y + row_h / 2 + 4, vt, size=11, fill=MUTED))
    out.append(_text((left + width - right) / 2, height - 8, x_label, anchor="middle", fill=MUTED))
    out.append("</svg>")
    return "".join(out)


def _mix(c0: str, c1: str, t: float) -> str:
    a = [int(c0[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(c1[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def nps_color(v: float | None) -> str:
    """A colour for an NPS (points): red at -100, grey at 0, green at +100 (grey when None)."""
    if v is None or not math.isfinite(v):
        return GREY
    t = max(-1.0, min(1.0, v / 100.0))
    return _mix(GREY, GREEN, t) if t >= 0 else _mix(GREY, RED, -t)


def heatmap(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    percent: bool = True,
    domain: tuple[float, float] | None = None,
    width: int = 720,
) -> str:
    """A grid of coloured cells (white to blue), value printed in each; ``None`` cells empty."""
    label_w = min(160, 24 + 7 * max((len(str(x)) for x in row_labels), default=4))
    left, top, right, bottom = label_w, 30, 10, 34
    cell_w = (width - left - right) / max(len(col_labels), 1)
    cell_h = 24
    height = top + cell_h * len(row_labels) + bottom
    flat = [v for row in values for v in row if v is not None and math.isfinite(v)]
    d0, d1 = domain if domain is not None else ((min(flat), max(flat)) if flat else (0, 1))
    out = _open(width, height, title, "heatmap")
    for j, lab in enumerate(col_labels):
        out.append(
            _text(left + (j + 0.5) * cell_w, top - 8, lab, anchor="middle", size=11, fill=MUTED)
        )
    for i, lab in enumerate(row_labels):
        y = top + i * cell_h
        out.append(_text(left - 8, y + cell_h / 2 + 4, lab, anchor="end", size=11))
        for j, v in enumerate(values[i]):
            if v is None or not math.isfinite(v):
                continue
            t = 0.0 if d1 == d0 else (v - d0) / (d1 - d0)
            fill = _mix("#eef4fb", "#1d4f91", max(0.0, min(1.0, t)))
            x = left + j * cell_w
            out.append(_rect(x, y, cell_w - 1, cell_h - 1, fill, ' class="cx-mark"'))
            if cell_w >= 34:
                vt = f"{100 * v:.0f}%" if percent else f"{v:.3g}"
                out.append(
                    _text(
                        x + cell_w / 2,
                        y + cell_h / 2 + 4,
                        vt,
                        anchor="middle",
                        size=10,
                        fill="#fff" if t > 0.55 else INK,
                    )
                )
    out.append(
        _text(left + (width - left - right) / 2, height - 10, x_label, anchor="middle", fill=MUTED)
    )
    out.append(_text(8, 16, y_label, size=11, fill=MUTED))
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Tables: the same plain inputs as cxkit.plot (pandas, polars, a dict of columns or a list of
# row dicts), so that report sections of later capabilities only call these.


def columns_of(table: Any) -> dict[str, list[Any]]:
    """A table (pandas, polars, dict of columns or list of row dicts) as a dict of lists."""
    if isinstance(table, dict):
        return {str(k): list(v) for k, v in table.items()}
    if isinstance(table, list):
        keys: list[str] = []
        for row in table:
            keys += [k for k in row if k not in keys]
        return {k: [row.get(k) for row in table] for k in keys}
    cols = getattr(table, "columns", None)
    if cols is None:
        raise TypeError(f"expected a DataFrame or a dict of columns, not {type(table).__name__}")
    return {str(c): list(table[c]) for c in cols}


def num(v: Any) -> float:
    """A cell as a float, NaN for missing."""
    if v is None:
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def _opt(v: Any) -> float | None:
    x = num(v)
    return x if math.isfinite(x) else None


def _base_n(cols: dict[str, list[Any]]) -> str:
    return f", n = {sum(int(num(v)) for v in cols['n']):,}" if "n" in cols else ""


def loyalty_curve(table: Any, *, outcome: str = "outcome", level: float = 0.95) -> str:
    """The loyalty curve: an outcome rate (0..1) per scale point with its interval band.

    Columns ``point``, ``rate``, ``lower``, ``upper`` and optionally ``n``.
    """
    cols = columns_of(table)
    ci = f"{round(100 * level)}% CI"
    return line_band(
        [str(p) for p in cols["point"]],
        [
            {
                "name": f"{outcome} rate with {ci}",
                "values": [_opt(v) for v in cols["rate"]],
                "lower": [_opt(v) for v in cols["lower"]],
                "upper": [_opt(v) for v in cols["upper"]],
            }
        ],
        title=f"{outcome} rate by answer{_base_n(cols)}",
        y_label=f"{outcome} rate (%)",
        x_label=f"answer (scale point){_base_n(cols)}",
        percent=True,
    )


def key_drivers(table: Any, *, x_label: str = "share of importance (%)") -> str:
    """Key-driver shares (0..1) as sorted bars. Columns ``driver``, ``share`` (``lower``,
    ``upper``)."""
    cols = columns_of(table)
    has_ci = "lower" in cols and "upper" in cols
    return hbars(
        [str(d) for d in cols["driver"]],
        [num(v) for v in cols["share"]],
        title="Key drivers",
        x_label=x_label,
        lower=[num(v) for v in cols["lower"]] if has_ci else None,
        upper=[num(v) for v in cols["upper"]] if has_ci else None,
    )


def cohort_heatmap(table: Any, *, value: str = "rate") -> str:
    """A cohort table in long form (``cohort``, ``period``, ``rate``) as a heatmap triangle:
    rows are cohorts (in order of appearance), columns periods since acquisition."""
    cols = columns_of(table)
    cohorts = list(dict.fromkeys(cols["cohort"]))
    periods = sorted(set(cols["period"]), key=lambda p: (num(p), str(p)))
    grid: list[list[float | None]] = [[None] * len(periods) for _ in cohorts]
    for c, p, v in zip(cols["cohort"], cols["period"], cols[value]):
        grid[cohorts.index(c)][periods.index(p)] = _opt(v)
    return heatmap(
        [str(c) for c in cohorts],
        [str(p) for p in periods],
        grid,
        title=f"{value} by cohort",
        x_label="periods since acquisition",
        y_label="cohort",
        domain=(0.0, 1.0),
    )


def cx_index(table: Any, *, bands: Sequence[tuple[str, float, float]] = (),
             unit: str = "index points", level: float = 0.95) -> str:  # fmt: skip
    """The CX index by dimension: a dot and interval per row over shaded quality ``bands``
    ((label, low, high) in the index's unit). Columns ``dimension``, ``estimate``, ``lower``,
    ``upper`` and optionally ``n``."""
    cols = columns_of(table)
    rows = [
        {
            "label": str(cols["dimension"][i]),
            "estimate": _opt(cols["estimate"][i]),
            "lower": _opt(cols["lower"][i]),
            "upper": _opt(cols["upper"][i]),
            "n": cols["n"][i] if "n" in cols else None,
            "mark": "plain",
        }
        for i in range(len(cols["dimension"]))
    ]
    domain = (min(b[1] for b in bands), max(b[2] for b in bands)) if bands else None
    return dot_whisker(
        rows,
        title="CX index by dimension",
        x_label=f"CX index ({unit}) with {round(100 * level)}% CI",
        bands=bands,
        domain=domain,
        legend=False,
    )


def stacked_columns(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 720,
    height: int = 300,
) -> str:
    """Vertical bars per label, stacked from the series ((name, values >= 0, colour), bottom
    first); money or counts, not shares (a new-vs-existing revenue split per period)."""
    left, right, top, bottom = 84, 12, 34, 54
    totals = [
        sum(s[1][i] or 0.0 for s in series if s[1][i] is not None and s[1][i] > 0)
        for i in range(len(labels))
    ]
    ticks = nice_ticks(0, max([*totals, 0.0]) * 1.05 or 1.0)
    ymax = ticks[-1] if ticks else 1.0
    ys = Linear(0, ymax, height - bottom, top)
    band = (width - left - right) / max(len(labels), 1)
    out = _open(width, height, title, "stacked-columns")
    out.append(_legend([(name, color) for name, _, color in series], left, 16))
    for t in ticks:
        out.append(_line(left, ys(t), width - right, ys(t), GRID))
        out.append(_text(left - 6, ys(t) + 4, f"{t:,.6g}", anchor="end", size=11, fill=MUTED))
    every = max(1, math.ceil(len(labels) / 12))
    for i, lab in enumerate(labels):
        x = left + i * band + band * 0.1
        w = band * 0.8
        acc = 0.0
        for name, values, color in series:
            v = values[i]
            if v is None or not math.isfinite(v) or v <= 0:
                continue
            out.append(
                _rect(
                    x,
                    ys(acc + v),
                    w,
                    ys(acc) - ys(acc + v),
                    color,
                    f' class="cx-mark" data-label="{esc(lab)}" data-series="{esc(name)}"',
                )
            )
            acc += v
        if i % every == 0:
            out.append(
                _text(x + w / 2, height - bottom + 16, lab, anchor="middle", size=11, fill=MUTED)
            )
    out.append(_line(left, ys(0), width - right, ys(0), MUTED))
    out.append(_text((left + width - right) / 2, height - 14, x_label, anchor="middle", fill=MUTED))
    mid = (top + height - bottom) / 2
    out.append(
        _text(
            14,
            mid,
            y_label,
            anchor="middle",
            fill=MUTED,
            extra=f' transform="rotate(-90 14 {mid:.1f})"',
        )
    )
    out.append("</svg>")
    return "".join(out)
