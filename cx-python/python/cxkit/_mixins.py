"""Presentation of result classes beyond their fields: ``repr`` templates and derived members.

``scripts/contract.py`` bases each generated result class in ``cxkit/_api.py`` on the mixin
named ``<Class>Mixin`` here, when there is one. A mixin adds only presentation and
conveniences computed from the fields; every number comes from the Rust core.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from cxkit._api import PointShare


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
