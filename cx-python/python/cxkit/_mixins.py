"""Presentation of result classes beyond their fields: ``repr`` templates and derived members.

``scripts/contract.py`` bases each generated result class in ``cxkit/_api.py`` on the mixin
named ``<Class>Mixin`` here, when there is one. A mixin adds only presentation and
conveniences computed from the fields; every number comes from the Rust core.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from cxkit import _cxkit

if TYPE_CHECKING:
    from cxkit._api import CxDimension, PointShare


class IntervalMixin:
    _repr: ClassVar[str | None] = "lower={lower}, upper={upper}, level={level}, method='{method}'"
    lower: float
    upper: float

    @property
    def width(self) -> float:
        """upper - lower."""
        return self.upper - self.lower

    def __iter__(self) -> Iterator[float]:
        return iter((self.lower, self.upper))


class NpsMixin:
    _repr: ClassVar[str | None] = (
        "estimate={estimate:.2f}, ci=[{interval.lower:.2f}, {interval.upper:.2f}], "
        "level={interval.level}, method='{interval.method}', n={n}, "
        "promoters={promoter_share:.1%}, passives={passive_share:.1%}, "
        "detractors={detractor_share:.1%}"
    )


class NpsDifferenceMixin:
    _repr: ClassVar[str | None] = (
        "estimate={estimate:.2f}, ci=[{interval.lower:.2f}, {interval.upper:.2f}], z={z:.4f}, "
        "p_value={p_value}, nps_a={nps_a:.2f}, nps_b={nps_b:.2f}, n_a={n_a}, n_b={n_b}"
    )
    _html_rows: ClassVar[dict[str, str] | None] = {
        "difference (points)": "{estimate:.2f}",
        "std. error (points)": "{std_error:.2f}",
        "z": "{z:.4f}",
        "p-value": "{p_value:.4f}",
        "NPS a (n)": "{nps_a:.2f} ({n_a})",
        "NPS b (n)": "{nps_b:.2f} ({n_b})",
    }


class ProportionMixin:
    _repr: ClassVar[str | None] = (
        "estimate={estimate:.4f}, ci=[{interval.lower:.4f}, {interval.upper:.4f}], "
        "level={interval.level}, method='{interval.method}', count={count}, n={n}"
    )


class MeanMixin:
    _repr: ClassVar[str | None] = (
        "estimate={estimate:.4f}, ci=[{interval.lower:.4f}, {interval.upper:.4f}], "
        "level={interval.level}, std_dev={std_dev:.4f}, n={n}"
    )


class PointShareMixin:
    _repr: ClassVar[str | None] = "point={point}, count={count}, weight={weight}, share={share:.4f}"


class DistributionMixin:
    points: list[PointShare]

    def __repr__(self) -> str:
        d: Any = self
        shares = ", ".join(f"{p.point}: {p.share:.4f}" for p in self.points)
        return f"Distribution(n={d.n}, missing={d.missing}, shares={{{shares}}})"

    @property
    def shares(self) -> list[float]:
        """The share of every point, lowest first."""
        return [p.share for p in self.points]

    def to_pandas(self) -> Any:
        """A pandas DataFrame with columns point, count, weight, share."""
        import pandas as pd  # type: ignore[import-untyped]

        return pd.DataFrame([p.to_dict() for p in self.points])

    def to_polars(self) -> Any:
        """A polars DataFrame with columns point, count, weight, share."""
        import polars as pl

        return pl.DataFrame([p.to_dict() for p in self.points])


def _ci(name: str, digits: int) -> str:
    """A ``str.format`` template of the interval of the field ``name``: ``[lower, upper]``."""
    return f"[{{{name}.interval.lower:.{digits}f}}, {{{name}.interval.upper:.{digits}f}}]"


class LiftMixin:
    _repr: ClassVar[str | None] = (
        "exposed={exposed.estimate:.4f}, reference={reference.estimate:.4f}, "
        f"risk_ratio={{risk_ratio.estimate:.4f}} {_ci('risk_ratio', 4)}, "
        f"risk_difference={{risk_difference.estimate:.4f}} {_ci('risk_difference', 4)}, "
        f"odds_ratio={{odds_ratio.estimate:.4f}} {_ci('odds_ratio', 4)}, "
        "p={risk_difference.p_value:.4e}"
    )


class EffectMixin:
    _repr: ClassVar[str | None] = (
        "estimate={estimate:.6f}, ci=[{interval.lower:.6f}, {interval.upper:.6f}], "
        "method='{interval.method}', p_value={p_value:.4e}"
    )


class GroupMeanMixin:
    _repr: ClassVar[str | None] = "estimate={estimate:.4f}, std_error={std_error:.4f}, n={n}"


class MeanLiftMixin:
    def __repr__(self) -> str:
        d: Any = self
        ratio = d.ratio
        ratio_text = (
            "None"
            if ratio is None
            else f"{ratio.estimate:.4f} [{ratio.interval.lower:.4f}, {ratio.interval.upper:.4f}]"
        )
        diff = d.difference
        return (
            f"MeanLift(exposed={d.exposed.estimate:.4f}, reference={d.reference.estimate:.4f}, "
            f"difference={diff.estimate:.4f} [{diff.interval.lower:.4f}, "
            f"{diff.interval.upper:.4f}], p={diff.p_value:.4e}, ratio={ratio_text})"
        )


class ProjectionMixin:
    _repr: ClassVar[str | None] = (
        "estimate={estimate:.4f}, ci=[{interval.lower:.4f}, {interval.upper:.4f}]"
    )


class RevenueImpactMixin:
    _repr: ClassVar[str | None] = (
        "moved_customers={moved_customers:.1f}, rate_from={rate_from:.4f}, "
        f"rate_to={{rate_to:.4f}}, retained_change={{retained_change.estimate:.2f}} "
        f"{_ci('retained_change', 2)}, revenue_change={{revenue_change.estimate:.2f}} "
        f"{_ci('revenue_change', 2)}"
    )


class CxDimensionMixin:
    _repr: ClassVar[str | None] = (
        "name='{name}', estimate={estimate:.2f}, ci=[{interval.lower:.2f}, "
        "{interval.upper:.2f}], band='{band}', weight={weight:.4f}, n={n}"
    )


class CxIndexMixin:
    dimensions: list[CxDimension]

    def __repr__(self) -> str:
        r: Any = self
        dims = ", ".join(f"'{d.name}': {d.estimate:.2f}" for d in self.dimensions)
        return (
            f"CxIndex(estimate={r.estimate:.2f}, ci=[{r.interval.lower:.2f}, "
            f"{r.interval.upper:.2f}], level={r.interval.level}, band='{r.band}', "
            f"weakest='{r.weakest}', method='{r.method}', n={r.n}, dimensions={{{dims}}})"
        )

    def dimension(self, name: str) -> CxDimension:
        """One dimension by name."""
        for d in self.dimensions:
            if d.name == name:
                return d
        names = ", ".join(repr(d.name) for d in self.dimensions)
        _cxkit._invalid_argument("dims", repr(name), f"one of the dimensions {names}")
        raise AssertionError("unreachable")

    def _columns(self) -> dict[str, list[Any]]:
        d = self.dimensions
        return {
            "name": [x.name for x in d],
            "estimate": [x.estimate for x in d],
            "std_error": [x.std_error for x in d],
            "lower": [x.interval.lower for x in d],
            "upper": [x.interval.upper for x in d],
            "band": [x.band for x in d],
            "weight": [x.weight for x in d],
            "n": [x.n for x in d],
            "top_share": [x.top_share for x in d],
            "bottom_share": [x.bottom_share for x in d],
            "mean": [x.mean for x in d],
        }

    def to_pandas(self) -> Any:
        """The dimensions as a pandas DataFrame (name, estimate, std_error, lower, upper, band,
        weight, n, top_share, bottom_share, mean)."""
        import pandas as pd  # type: ignore[import-untyped]

        return pd.DataFrame(self._columns())

    def to_polars(self) -> Any:
        """The dimensions as a polars DataFrame (the columns of ``to_pandas``)."""
        import polars as pl

        return pl.DataFrame(self._columns())


def _opt(x: float | None, digits: int) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


class _RowsMixin:
    """A table of rows (one per period, or per period and channel) as dicts and DataFrames."""

    _d: dict[str, Any]

    @property
    def rows(self) -> list[dict[str, Any]]:  # type: ignore[override]
        """One dict per row of the table."""
        return [dict(r) for r in self._d["rows"]]

    def to_pandas(self) -> Any:
        """The table as a pandas DataFrame, one row per row."""
        import pandas as pd  # type: ignore[import-untyped]

        return pd.DataFrame(self.rows)

    def to_polars(self) -> Any:
        """The table as a polars DataFrame, one row per row."""
        import polars as pl

        return pl.DataFrame(self.rows)


class RetentionMixin(_RowsMixin):
    def __repr__(self) -> str:
        d = self._d
        return (
            f"Retention(freq='{d['freq']}', periods={len(d['rows'])}, customers={d['customers']}, "
            f"revenue={d['revenue']:.2f}, lag={d['lag']})"
        )


class AcquisitionMixin(_RowsMixin):
    def __repr__(self) -> str:
        d = self._d
        channels = ", ".join(json.dumps(c, ensure_ascii=False) for c in d["channels"])
        new = sum(r["new"] for r in d["rows"])
        return (
            f"Acquisition(freq='{d['freq']}', channels=[{channels}], rows={len(d['rows'])}, "
            f"new={new})"
        )


#: The tables of a Cohorts result.
_COHORT_VALUES = ("customers", "revenue", "customer_rates", "revenue_rates")


class CohortsMixin:
    _d: dict[str, Any]

    def __repr__(self) -> str:
        d = self._d
        curve = ", ".join(_opt(x, 3) for x in d["average_retention"][:6])
        return (
            f"Cohorts(freq='{d['freq']}', cohorts={len(d['cohorts'])}, "
            f"customers={sum(d['sizes'])}, average_retention=[{curve}])"
        )

    def _table(self, values: str) -> list[list[Any]]:
        if values not in _COHORT_VALUES:
            from cxkit import _cxkit

            _cxkit._invalid_argument(
                "values", values, "'customers', 'revenue', 'customer_rates' or 'revenue_rates'"
            )
        return [list(r) for r in self._d[values]]

    def to_pandas(self, values: str = "customer_rates") -> Any:
        """One table as a pandas DataFrame: a row per cohort (index), a column per period since
        acquisition (0, 1, ...). values: 'customers', 'revenue', 'customer_rates' (default) or
        'revenue_rates'."""
        import pandas as pd  # type: ignore[import-untyped]

        df = pd.DataFrame(self._table(values))
        df.index = list(self._d["cohorts"])
        return df

    def to_polars(self, values: str = "customer_rates") -> Any:
        """One table as a polars DataFrame: a ``cohort`` column, then one column per period
        since acquisition ("0", "1", ...)."""
        import polars as pl

        table = self._table(values)
        columns: dict[str, list[Any]] = {"cohort": list(self._d["cohorts"])}
        for k in range(len(self._d["cohorts"])):
            columns[str(k)] = [row[k] for row in table]
        return pl.DataFrame(columns)


class SpendPlanMixin:
    _repr: ClassVar[str | None] = (
        "acquisition_spend={acquisition_spend:.2f}, retention_spend={retention_spend:.2f}, "
        "acquisition_rate={acquisition_rate:.4f}, retention_rate={retention_rate:.4f}, "
        "customer_equity={customer_equity:.2f}, gain={gain:.2f}"
    )
    _html_rows: ClassVar[dict[str, str] | None] = {
        "acquisition spend": "{acquisition_spend:.2f}",
        "retention spend": "{retention_spend:.2f}",
        "acquisition rate": "{acquisition_rate:.4f}",
        "retention rate": "{retention_rate:.4f}",
        "gain": "{gain:.2f}",
    }


class CustomerEquityMixin:
    _repr: ClassVar[str | None] = (
        "current={current.customer_equity:.2f}, optimum={optimum.customer_equity:.2f} "
        "(gain {optimum.gain:+.2f}), budget_optimum={budget_optimum.customer_equity:.2f} "
        "(gain {budget_optimum.gain:+.2f}), budget={budget:.2f}"
    )
    _html_rows: ClassVar[dict[str, str] | None] = {
        "optimum": "{optimum.customer_equity:.2f} (A {optimum.acquisition_spend:.2f}, "
        "R {optimum.retention_spend:.2f})",
        "best split of budget": "{budget_optimum.customer_equity:.2f} "
        "(A {budget_optimum.acquisition_spend:.2f}, R {budget_optimum.retention_spend:.2f})",
        "budget per prospect": "{budget:.2f}",
    }
