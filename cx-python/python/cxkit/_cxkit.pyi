from collections.abc import Iterator, Sequence
from typing import Any, Literal, final

import numpy as np
import numpy.typing as npt
from typing_extensions import Self, TypeAlias

__version__: str
__all__ = [
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
    "KeyedTally",
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
    "_combine",
    "_factorize_ints",
    "_invalid_argument",
    "_length_mismatch",
    "_periods",
    "_segment_table",
    "_trend_table",
    "_unknown_group",
    "bottom_box",
    "ces",
    "csat",
    "distribution",
    "mean",
    "nps",
    "nps_difference",
    "top_box",
]

_ArrayLike: TypeAlias = npt.NDArray[Any] | Sequence[float | None] | Any
"""Ratings: numpy array (any int/float dtype), list/tuple (None = missing), pandas or polars Series."""

_ScaleLike: TypeAlias = (
    Literal["nps", "csat", "ces", "agreement", "likert"]
    | Scale
    | tuple[int, int]
    | tuple[int, int, int, int]
)
_NpsMethod: TypeAlias = Literal["adjusted-wald", "wald", "score", "bootstrap"]
_ProportionMethod: TypeAlias = Literal[
    "wilson", "wald", "agresti-coull", "clopper-pearson", "jeffreys"
]

class CxError(ValueError):
    code: str

class OutOfScaleError(CxError):
    index: int
    value: float
    lowest: int
    highest: int

class NonIntegerError(CxError):
    index: int
    value: float
    lowest: int
    highest: int

class InvalidWeightError(CxError):
    index: int
    value: float

class LengthMismatchError(CxError):
    left_name: str
    left: int
    right_name: str
    right: int

class EmptyInputError(CxError):
    what: str

class InsufficientDataError(CxError):
    what: str
    needed: int
    got: int

class ZeroVarianceError(CxError):
    what: str

class InvalidLevelError(CxError):
    value: float

class InvalidScaleError(CxError):
    reason: str

class ScaleMismatchError(CxError):
    left: str
    right: str

class UnreadableSummaryError(CxError):
    reason: str

class GroupOutOfRangeError(CxError):
    index: int
    group: int
    groups: int

class UnknownGroupError(CxError):
    name: str
    groups: int

class InvalidArgumentError(CxError):
    name: str
    value: str
    expected: str

@final
class Scale:
    def __new__(
        cls,
        lowest: int,
        highest: int,
        top_box_min: int | None = None,
        bottom_box_max: int | None = None,
    ) -> Scale: ...
    @staticmethod
    def nps() -> Scale: ...
    @staticmethod
    def csat() -> Scale: ...
    @staticmethod
    def ces() -> Scale: ...
    @staticmethod
    def agreement() -> Scale: ...
    @property
    def lowest(self) -> int: ...
    @property
    def highest(self) -> int: ...
    @property
    def top_box_min(self) -> int: ...
    @property
    def bottom_box_max(self) -> int: ...
    @property
    def points(self) -> int: ...
    def to_dict(self) -> dict[str, int]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Tally:
    def __new__(cls, scale: _ScaleLike | None = None) -> Tally: ...
    @classmethod
    def from_values(
        cls,
        values: _ArrayLike,
        *,
        scale: _ScaleLike | None = None,
        weights: _ArrayLike | None = None,
    ) -> Tally: ...
    def push(self, value: float | None, weight: float | None = None) -> None: ...
    def extend(self, values: _ArrayLike, weights: _ArrayLike | None = None) -> None: ...
    def merge(self, other: Tally) -> None: ...
    def __add__(self, other: Tally, /) -> Tally: ...
    def __radd__(self, other: Tally, /) -> Tally: ...
    def __iadd__(self, other: Tally, /) -> Self: ...
    def __eq__(self, other: object, /) -> bool: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Tally: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> Tally: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __copy__(self) -> Tally: ...
    def __deepcopy__(self, memo: Any) -> Tally: ...
    @property
    def scale(self) -> Scale: ...
    @property
    def counts(self) -> list[int]: ...
    @property
    def weights(self) -> list[float]: ...
    @property
    def weights_sq(self) -> list[float]: ...
    @property
    def missing(self) -> int: ...
    @property
    def n(self) -> int: ...
    @property
    def total_weight(self) -> float: ...
    @property
    def effective_n(self) -> float: ...

@final
class KeyedTally:
    def __new__(
        cls, scale: _ScaleLike | None = None, names: list[str] | None = None
    ) -> KeyedTally: ...
    @staticmethod
    def _from_codes(
        values: _ArrayLike,
        codes: npt.NDArray[np.uint32],
        labels: list[tuple[Any, ...]],
        names: list[str],
        *,
        weights: _ArrayLike | None = None,
        scale: _ScaleLike | None = None,
    ) -> KeyedTally: ...
    @classmethod
    def from_values(
        cls,
        values: _ArrayLike,
        by: Any,
        *,
        names: list[str] | str | None = None,
        weights: _ArrayLike | None = None,
        scale: _ScaleLike | None = None,
    ) -> KeyedTally: ...
    def merge(self, other: KeyedTally) -> None: ...
    def __add__(self, other: KeyedTally, /) -> KeyedTally: ...
    def __radd__(self, other: KeyedTally, /) -> KeyedTally: ...
    def __iadd__(self, other: KeyedTally, /) -> Self: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __len__(self) -> int: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> KeyedTally: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> KeyedTally: ...
    @property
    def names(self) -> list[str]: ...
    @property
    def scale(self) -> Scale: ...
    def keys(self) -> list[tuple[Any, ...]]: ...
    def tally(self, key: tuple[Any, ...]) -> Tally | None: ...
    def total(self) -> Tally: ...
    def _segment_table(
        self,
        metric: str,
        level: float,
        method: str,
        resamples: int,
        seed: int,
        alpha: float,
        adjust: str,
        min_base: int,
        reference: tuple[Any, ...] | None,
    ) -> dict[str, list[Any]]: ...
    def segments(
        self,
        metric: str = "nps",
        *,
        level: float = 0.95,
        method: str | None = None,
        resamples: int = 2000,
        seed: int = 0,
        alpha: float = 0.05,
        adjust: str = "holm",
        min_base: int = 30,
        reference: Any = None,
    ) -> Any: ...

@final
class Interval:
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    @classmethod
    def from_json(cls, text: str) -> Interval: ...
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def level(self) -> float: ...
    @property
    def method(self) -> str: ...
    @property
    def width(self) -> float: ...
    def __iter__(self) -> Iterator[float]: ...

@final
class Nps:
    def to_dict(self) -> dict[str, Any]: ...
    def plot(self, ax: Any = None, **kwargs: Any) -> Any: ...
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    """estimate, std_error and interval in NPS points (-100..100); shares 0..1."""

    @classmethod
    def from_json(cls, text: str) -> Nps: ...
    @property
    def estimate(self) -> float: ...
    @property
    def std_error(self) -> float: ...
    @property
    def interval(self) -> Interval: ...
    @property
    def promoters(self) -> int: ...
    @property
    def passives(self) -> int: ...
    @property
    def detractors(self) -> int: ...
    @property
    def promoter_share(self) -> float: ...
    @property
    def passive_share(self) -> float: ...
    @property
    def detractor_share(self) -> float: ...
    @property
    def n(self) -> int: ...
    @property
    def effective_n(self) -> float: ...
    @property
    def missing(self) -> int: ...

@final
class NpsDifference:
    def to_dict(self) -> dict[str, Any]: ...
    def plot(self, ax: Any = None, **kwargs: Any) -> Any: ...
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    @classmethod
    def from_json(cls, text: str) -> NpsDifference: ...
    @property
    def estimate(self) -> float: ...
    @property
    def std_error(self) -> float: ...
    @property
    def interval(self) -> Interval: ...
    @property
    def z(self) -> float: ...
    @property
    def p_value(self) -> float: ...
    @property
    def nps_a(self) -> float: ...
    @property
    def nps_b(self) -> float: ...
    @property
    def n_a(self) -> int: ...
    @property
    def n_b(self) -> int: ...

@final
class Proportion:
    def to_dict(self) -> dict[str, Any]: ...
    def plot(self, ax: Any = None, **kwargs: Any) -> Any: ...
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    @classmethod
    def from_json(cls, text: str) -> Proportion: ...
    @property
    def estimate(self) -> float: ...
    @property
    def std_error(self) -> float: ...
    @property
    def interval(self) -> Interval: ...
    @property
    def count(self) -> int: ...
    @property
    def n(self) -> int: ...
    @property
    def effective_n(self) -> float: ...
    @property
    def missing(self) -> int: ...

@final
class Mean:
    def to_dict(self) -> dict[str, Any]: ...
    def plot(self, ax: Any = None, **kwargs: Any) -> Any: ...
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    @classmethod
    def from_json(cls, text: str) -> Mean: ...
    @property
    def estimate(self) -> float: ...
    @property
    def std_error(self) -> float: ...
    @property
    def std_dev(self) -> float: ...
    @property
    def interval(self) -> Interval: ...
    @property
    def n(self) -> int: ...
    @property
    def effective_n(self) -> float: ...
    @property
    def missing(self) -> int: ...

@final
class PointShare:
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    @classmethod
    def from_json(cls, text: str) -> PointShare: ...
    @property
    def point(self) -> int: ...
    @property
    def count(self) -> int: ...
    @property
    def weight(self) -> float: ...
    @property
    def share(self) -> float: ...

@final
class Distribution:
    def to_dict(self) -> dict[str, Any]: ...
    def plot(self, ax: Any = None, **kwargs: Any) -> Any: ...
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    @classmethod
    def from_json(cls, text: str) -> Distribution: ...
    @property
    def points(self) -> list[PointShare]: ...
    @property
    def shares(self) -> list[float]: ...
    @property
    def n(self) -> int: ...
    @property
    def effective_n(self) -> float: ...
    @property
    def missing(self) -> int: ...
    def to_pandas(self) -> Any: ...
    def to_polars(self) -> Any: ...

def nps(
    values: _ArrayLike | Tally,
    *,
    weights: _ArrayLike | None = None,
    scale: _ScaleLike | None = None,
    level: float = 0.95,
    method: _NpsMethod = "adjusted-wald",
    resamples: int = 2000,
    seed: int = 0,
) -> Nps: ...
def nps_difference(
    a: _ArrayLike | Tally,
    b: _ArrayLike | Tally,
    *,
    weights_a: _ArrayLike | None = None,
    weights_b: _ArrayLike | None = None,
    scale: _ScaleLike | None = None,
    level: float = 0.95,
) -> NpsDifference: ...
def top_box(
    values: _ArrayLike | Tally,
    *,
    scale: _ScaleLike | None = None,
    weights: _ArrayLike | None = None,
    level: float = 0.95,
    method: _ProportionMethod = "wilson",
) -> Proportion: ...
def bottom_box(
    values: _ArrayLike | Tally,
    *,
    scale: _ScaleLike | None = None,
    weights: _ArrayLike | None = None,
    level: float = 0.95,
    method: _ProportionMethod = "wilson",
) -> Proportion: ...
def csat(
    values: _ArrayLike | Tally,
    *,
    scale: _ScaleLike | None = None,
    weights: _ArrayLike | None = None,
    level: float = 0.95,
    method: _ProportionMethod = "wilson",
) -> Proportion: ...
def mean(
    values: _ArrayLike | Tally,
    *,
    scale: _ScaleLike | None = None,
    weights: _ArrayLike | None = None,
    level: float = 0.95,
) -> Mean: ...
def ces(
    values: _ArrayLike | Tally,
    *,
    scale: _ScaleLike | None = None,
    weights: _ArrayLike | None = None,
    level: float = 0.95,
) -> Mean: ...
def distribution(
    values: _ArrayLike | Tally,
    *,
    scale: _ScaleLike | None = None,
    weights: _ArrayLike | None = None,
) -> Distribution: ...

# Internal helpers of cxkit._by (grouped summaries); not public API.
def _segment_table(
    values: Any,
    keys: npt.NDArray[Any],
    n_groups: int | None,
    *,
    weights: Any,
    scale: Any,
    metric: str,
    level: float,
    method: str,
    resamples: int,
    seed: int,
    alpha: float,
    adjust: str,
    min_base: int,
    reference: int | None,
) -> dict[str, list[Any]]: ...
def _trend_table(
    values: Any,
    codes: npt.NDArray[np.uint32],
    n_groups: int,
    period_codes: npt.NDArray[np.uint32],
    n_periods: int,
    *,
    weights: Any,
    scale: Any,
    metric: str,
    level: float,
    method: str,
    resamples: int,
    seed: int,
    alpha: float,
    adjust: str,
    min_base: int,
    window: int | None,
) -> dict[str, list[Any]]: ...
def _periods(
    days: npt.NDArray[np.int64], freq: str
) -> tuple[npt.NDArray[np.uint32], int, list[str], list[int], int]: ...
def _combine(
    columns: list[npt.NDArray[np.uint32]], cardinalities: list[int]
) -> tuple[npt.NDArray[np.uint32], list[list[int]]]: ...
def _factorize_ints(keys: npt.NDArray[Any]) -> tuple[npt.NDArray[np.uint32], list[int]]: ...
def _unknown_group(name: str, groups: int) -> None: ...
def _invalid_argument(name: str, value: str, expected: str) -> None: ...
def _length_mismatch(left_name: str, left: int, right_name: str, right: int) -> None: ...
