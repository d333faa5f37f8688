"""The ``cxkit`` command line: reports and tables from a CSV or Parquet file.

::

    cxkit report data.csv --score nps --by region,channel --date date --out report.html
    cxkit report survey.csv --dims effectiveness,ease,emotion --outcome retained \
        --transactions transactions.csv --customer customer_id --revenue revenue
    cxkit nps data.csv --by region            # a table in the terminal
    cxkit csat data.parquet --date date --json  # machine-readable

Bad input (a missing file, an unknown column, a value off the scale at row N) prints one line
to stderr and exits with status 1; a wrong command line exits with status 2. Set
``CXKIT_DEBUG=1`` to see the Python traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

EXIT_DATA = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A command line that cannot work (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one line, not argparse's usage block
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _columns(text: str | None) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


def _read(path: str) -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise UsageError("the cxkit command line needs pandas: pip install cxkit[report]") from None
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"no such file: {path}")
    if p.is_dir():
        raise FileNotFoundError(f"{path} is a directory, not a data file")
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".pq"):
        try:
            return pd.read_parquet(p)
        except ImportError:
            raise UsageError("reading Parquet needs pyarrow: pip install cxkit[parquet]") from None
        except Exception as exc:  # pyarrow's errors are many; the message says what went wrong
            raise ValueError(f"cannot read {path} as Parquet: {_first_line(exc)}") from None
    if suffix in (".csv", ".txt", ".tsv", ".gz"):
        sep = "\t" if suffix == ".tsv" or p.name.endswith(".tsv.gz") else ","
        try:
            return pd.read_csv(p, sep=sep)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise ValueError(f"cannot read {path} as CSV: {_first_line(exc)}") from None
    raise UsageError(f"cannot tell the format of {path}: use a .csv or .parquet file")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _error_line(exc: BaseException, path: str | None) -> str:
    """One readable line for a bad-input error."""
    import cxkit

    if isinstance(exc, cxkit.CxError) or hasattr(exc, "column"):
        message = str(exc)
        column = getattr(exc, "column", None)
        index = getattr(exc, "index", None)
        if column is not None and isinstance(index, int):
            message = re.sub(rf" at index {index}\b", "", message)
            where = f"column {column!r}, row {index + 1}"
            if path and Path(path).suffix.lower() in (".csv", ".tsv", ".txt"):
                where += f" (line {index + 2} of {Path(path).name})"
            return f"{where}: {message}"
        if column is not None:
            return f"column {column!r}: {message}"
        return message
    if isinstance(exc, KeyError):
        return str(exc.args[0]) if exc.args else "missing column"
    return _first_line(exc)


def _rating_column(df: Any, name: str, role: str = "score") -> None:
    from cxkit._report import ColumnNotFoundError

    if name not in df.columns:
        raise ColumnNotFoundError(name, role, [str(c) for c in df.columns])


def _plain(v: Any) -> Any:
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    return v


def _records(table: Any) -> list[dict[str, Any]]:
    cols = [str(c) for c in table.columns]
    data = {c: list(table[c]) for c in cols}
    return [{c: _plain(data[c][i]) for c in cols} for i in range(len(table))]


_DEFAULT_SHOWN = [
    "n",
    "estimate",
    "lower",
    "upper",
    "diff_vs_rest",
    "p_adj_vs_rest",
    "significant",
    "change",
    "p_adj_change",
    "significant_change",
    "rolling_estimate",
]


def _cell(v: Any, percent: bool, column: str, signed: bool = False) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        if column.startswith("p_"):
            return "<0.001" if v < 0.001 else f"{v:.3f}"
        if column in ("n", "effective_n", "rolling_n"):
            return f"{v:,.0f}"
        if percent:
            return (
                f"{100 * v:.1f}%"
                if not column.startswith(("diff", "change"))
                else (f"{100 * v:+.1f}pp")
            )
        if signed:  # NPS points
            return f"{v:+.1f}"
        if column.startswith(("diff", "change")):
            return f"{v:+.2f}"
        return f"{v:.2f}"
    return str(v)


def _print_table(records: list[dict[str, Any]], keys: list[str], metric: str) -> None:
    present = set(records[0]) if records else set()
    cols = keys + [c for c in _DEFAULT_SHOWN if c in present]
    percent, signed = metric == "csat", metric == "nps"
    rows = [[_cell(r.get(c), percent, c, signed) for c in cols] for r in records]
    widths = [max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(cols)]
    numeric = [c not in keys for c in cols]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)
        ).rstrip()

    print(line(cols))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))


def _metric_command(args: argparse.Namespace) -> int:
    import cxkit
    from cxkit._report import rating_tally

    df = _read(args.file)
    score = args.score or args.command
    _rating_column(df, score)
    by = _columns(args.by)
    for c in by:
        _rating_column(df, c, "by")
    if args.date:
        _rating_column(df, args.date, "date")
    if args.weights:
        _rating_column(df, args.weights, "weights")
    weights = df[args.weights] if args.weights else None
    scale = {"nps": "nps", "csat": "csat", "ces": "ces"}[args.command]
    tally = rating_tally(df, score, scale, weights)
    one = {"nps": cxkit.nps, "csat": cxkit.csat, "ces": cxkit.ces}[args.command]
    grouped = {"nps": cxkit.nps_by, "csat": cxkit.csat_by, "ces": cxkit.ces_by}[args.command]
    options = dict(level=args.level, alpha=args.alpha, adjust=args.adjust, min_base=args.min_base)
    if not by and not args.date:
        result = one(tally, level=args.level)
        if args.json:
            print(result.to_json())
        else:
            print(result)
        return 0
    if args.date:
        table = grouped(
            df,
            score,
            by or None,
            period=args.date,
            freq=args.freq,
            window=args.window,
            weights=args.weights,
            **options,
        )
        keys = [*by, args.date]
    else:
        table = grouped(df, score, by, weights=args.weights, **options)
        keys = by
    records = _records(table)
    if args.json:
        print(json.dumps(records, ensure_ascii=False, allow_nan=False))
    else:
        _print_table(records, keys, args.command)
    return 0


def _personas_arg(value: str | None) -> bool | list[str] | None:
    """--personas: 'auto' for the default features, else comma-separated columns."""
    if value is None:
        return None
    if value.strip().lower() == "auto":
        return True
    return _columns(value)


def _report_command(args: argparse.Namespace) -> int:
    import cxkit

    df = _read(args.file)
    tx = _read(args.transactions) if args.transactions else None
    rep = cxkit.report(
        df,
        score=args.score,
        by=_columns(args.by),
        date=args.date,
        dims=_columns(args.dims),
        outcome=args.outcome,
        customer=args.customer,
        revenue=args.revenue,
        transactions=tx,
        transactions_date=args.transactions_date,
        personas=_personas_arg(args.personas),
        metric=args.metric,
        csat=None if args.csat == "none" else args.csat,
        ces=None if args.ces == "none" else args.ces,
        weights=args.weights,
        freq=args.freq,
        window=args.window,
        level=args.level,
        alpha=args.alpha,
        adjust=args.adjust,
        min_base=args.min_base,
        title=args.title,
        source=Path(args.file).name,
    )
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    rep.to_html(out)
    if args.json:
        print(json.dumps({"path": str(out), "readings": rep.readings}, ensure_ascii=False))
    else:
        for s in rep.sections:
            print(f"{s.title}: {s.reading}")
        print(f"wrote {out}")
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--weights", metavar="COL", help="respondent weight column")
    p.add_argument("--freq", default="M", help="trend period: D, W, M (default), Q or Y")
    p.add_argument("--window", type=int, default=3, help="rolling window in periods (3)")
    p.add_argument("--level", type=float, default=0.95, help="confidence level (0.95)")
    p.add_argument("--alpha", type=float, default=0.05, help="significance level (0.05)")
    p.add_argument(
        "--adjust", default="holm", help="p-value adjustment: holm (default), bh or none"
    )
    p.add_argument(
        "--min-base", type=int, default=30, help="fewest answers for a group to be tested (30)"
    )
    p.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")


def parser() -> argparse.ArgumentParser:
    import cxkit

    top = _Parser(
        prog="cxkit",
        description="Customer-experience numbers from a CSV or Parquet file: NPS, CSAT and CES "
        "with confidence intervals, segments with significance, trends, and an HTML report.",
    )
    top.add_argument("--version", action="version", version=f"cxkit {cxkit.__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    rep = sub.add_parser(
        "report",
        help="write the HTML report",
        description="Write a self-contained HTML customer-experience report.",
    )
    rep.add_argument("file", help="a .csv or .parquet file, one row per response")
    rep.add_argument("--score", default="nps", help="the main rating column (nps)")
    rep.add_argument(
        "--metric",
        default="nps",
        choices=["nps", "csat", "ces"],
        help="what the score column is (nps)",
    )
    rep.add_argument("--by", metavar="COLS", help="key columns, comma-separated")
    rep.add_argument("--date", metavar="COL", help="date column for the trend")
    rep.add_argument(
        "--dims",
        metavar="COLS",
        help="CX dimension columns (1-5), comma-separated: the CX index by dimension with its "
        "quality bands (and by each --by column)",
    )
    rep.add_argument(
        "--outcome",
        metavar="COL",
        help="a 0/1 loyalty outcome column (e.g. retained): loyalty lift of promoters over "
        "detractors and the loyalty curve; with --dims, the key drivers of the outcome",
    )
    rep.add_argument(
        "--transactions",
        metavar="FILE",
        help="a .csv or .parquet transaction log (one row per purchase): retention, NRR/GRR, "
        "new-vs-existing revenue and the cohort triangle",
    )
    rep.add_argument(
        "--customer",
        metavar="COL",
        help="customer id column of --transactions (default customer_id)",
    )
    rep.add_argument(
        "--revenue", metavar="COL", help="revenue column of --transactions (default revenue)"
    )
    rep.add_argument(
        "--transactions-date",
        metavar="COL",
        help="date column of --transactions (default: the --date column if the log has it, "
        "else date)",
    )
    rep.add_argument(
        "--personas",
        metavar="COLS",
        help="a personas section on these comma-separated features ('auto': the score, the "
        "--dims and, with --transactions, recency, purchase days and revenue); with "
        "--transactions the personas are customers (a survey rating names its mean)",
    )
    rep.add_argument(
        "--csat", default="auto", help="CSAT column for the headline (auto: 'csat' if present)"
    )
    rep.add_argument(
        "--ces", default="auto", help="CES column for the headline (auto: 'ces' if present)"
    )
    rep.add_argument("--title", help="report title")
    rep.add_argument("--out", default="cx_report.html", help="output file (cx_report.html)")
    _common(rep)
    rep.set_defaults(run=_report_command)

    for name, what in (
        ("nps", "Net Promoter Score (0-10)"),
        ("csat", "CSAT, the top-2-box share (1-5)"),
        ("ces", "CES, the mean effort score (1-7)"),
    ):
        p = sub.add_parser(
            name,
            help=f"{what}: overall, by group or over time",
            description=f"{what}, printed as a table: overall, by --by groups (each against "
            "the rest), or by --date period.",
        )
        p.add_argument("file", help="a .csv or .parquet file, one row per response")
        p.add_argument("--score", help=f"the rating column (default: {name})")
        p.add_argument("--by", metavar="COLS", help="key columns, comma-separated")
        p.add_argument("--date", metavar="COL", help="date column: a trend table")
        _common(p)
        p.set_defaults(run=_metric_command)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 bad data, 2 bad usage)."""
    args = parser().parse_args(argv)
    path = getattr(args, "file", None)
    try:
        return int(args.run(args))
    except BrokenPipeError:
        # the reader went away (`cxkit nps data.csv | head`): not an error; silence the flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except UsageError as exc:
        print(f"cxkit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ValueError, KeyError, TypeError, OSError) as exc:
        # CxError subclasses ValueError; ColumnNotFoundError is a KeyError
        if os.environ.get("CXKIT_DEBUG"):
            raise
        print(f"cxkit: error: {_error_line(exc, path)}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
