"""``cxkit.cx_index`` as callers have used it: the overall index, or with ``by`` / ``period``
the grouped tables of ``cxkit.cx_index_by``.

Both are entry points of the core's contract (generated in ``cxkit/_api.py``, named alike in
Python and Node); this form only routes to one or the other and adds no option or default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, overload

from cxkit import _api

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped]
    import polars as pl

    from cxkit._api import CxIndex, CxMethod, Frame
    from cxkit._call import Columns, Dates, Dimensions, Keys


@overload
def cx_index(  # type: ignore[overload-overlap]
    data: Frame | Dimensions,
    dims: Sequence[str] | None = None,
    method: CxMethod | None = None,
    by: None = None,
    *,
    period: None = None,
    **options: Any,
) -> CxIndex: ...
@overload
def cx_index(
    data: pl.DataFrame,
    dims: Sequence[str] | None = None,
    method: CxMethod | None = None,
    by: Keys | None = None,
    *,
    period: Dates | None = None,
    **options: Any,
) -> pl.DataFrame: ...
@overload
def cx_index(
    data: Frame | Columns,
    dims: Sequence[str] | None = None,
    method: CxMethod | None = None,
    by: Keys | None = None,
    *,
    period: Dates | None = None,
    **options: Any,
) -> pd.DataFrame: ...
def cx_index(
    data: Frame | Dimensions,
    dims: Sequence[str] | None = None,
    method: CxMethod | None = None,
    by: Keys | None = None,
    *,
    period: Dates | None = None,
    **options: Any,
) -> CxIndex | pd.DataFrame | pl.DataFrame:
    if by is None and period is None:
        return _api.cx_index(data, dims, method=method, **options)
    return _api.cx_index_by(data, dims, by, period=period, method=method, **options)  # type: ignore[arg-type]


cx_index.__doc__ = (
    "With ``by`` or ``period``, the segment or trend table of ``cxkit.cx_index_by`` (the\n"
    "    same options); without them:\n\n    " + (_api.cx_index.__doc__ or "").lstrip()
)
