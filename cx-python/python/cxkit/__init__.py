"""cxkit: customer-experience analytics you can trust.

NPS, CSAT, CES and full rating distributions with confidence intervals, weighted samples and
significance tests, from one-pass mergeable summaries computed by a Rust core.

>>> import cxkit
>>> r = cxkit.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 0])
>>> round(r.estimate, 6)
20.0

Units: NPS in points (-100..100); shares and rates as fractions (0..1).
Missing values (None, NaN, pandas.NA, polars null) are skipped and counted in ``missing``.
"""

from cxkit._by import bottom_box_by, ces_by, csat_by, mean_by, nps_by, top_box_by
from cxkit._cxkit import (
    Cohorts,
    CxError,
    Distribution,
    EmptyInputError,
    GroupOutOfRangeError,
    InsufficientDataError,
    Interval,
    InvalidArgumentError,
    InvalidLevelError,
    InvalidScaleError,
    InvalidWeightError,
    LengthMismatchError,
    Mean,
    NonIntegerError,
    NotConvergedError,
    Nps,
    NpsDifference,
    OutOfScaleError,
    PointShare,
    Proportion,
    Retention,
    Rfm,
    Scale,
    ScaleMismatchError,
    Tally,
    UnknownGroupError,
    UnreadableSummaryError,
    ZeroVarianceError,
    __version__,
    bottom_box,
    ces,
    csat,
    distribution,
    mean,
    nps,
    nps_difference,
    top_box,
)
from cxkit._retention import cohorts, retention, rfm

__all__ = [
    "Cohorts",
    "CxError",
    "Distribution",
    "EmptyInputError",
    "GroupOutOfRangeError",
    "InsufficientDataError",
    "Interval",
    "InvalidArgumentError",
    "InvalidLevelError",
    "InvalidScaleError",
    "InvalidWeightError",
    "LengthMismatchError",
    "Mean",
    "NonIntegerError",
    "NotConvergedError",
    "Nps",
    "NpsDifference",
    "OutOfScaleError",
    "PointShare",
    "Proportion",
    "Retention",
    "Rfm",
    "Scale",
    "ScaleMismatchError",
    "Tally",
    "UnknownGroupError",
    "UnreadableSummaryError",
    "ZeroVarianceError",
    "__version__",
    "bottom_box",
    "bottom_box_by",
    "ces",
    "ces_by",
    "cohorts",
    "csat",
    "csat_by",
    "distribution",
    "mean",
    "mean_by",
    "nps",
    "nps_by",
    "nps_difference",
    "retention",
    "rfm",
    "top_box",
    "top_box_by",
]
