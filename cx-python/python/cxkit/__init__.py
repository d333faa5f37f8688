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
from cxkit._cx import cx_index
from cxkit._cxkit import (
    CxDimension,
    CxError,
    CxIndex,
    CxSummary,
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
    Nps,
    NpsDifference,
    OutOfScaleError,
    PointShare,
    Proportion,
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

__all__ = [
    "CxDimension",
    "CxError",
    "CxIndex",
    "CxSummary",
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
    "Nps",
    "NpsDifference",
    "OutOfScaleError",
    "PointShare",
    "Proportion",
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
    "csat",
    "csat_by",
    "cx_index",
    "distribution",
    "mean",
    "mean_by",
    "nps",
    "nps_by",
    "nps_difference",
    "top_box",
    "top_box_by",
]
