"""The base of every result class: the core's result struct as an immutable Python object.

The classes themselves (``Nps``, ``Proportion``, ...) are generated from the Rust core's
contract into ``cxkit/_api.py``; this base gives them attribute access, ``to_dict()``,
``to_json()`` / ``from_json()`` (the serde form shared with Rust and Node), pickling, equality,
a readable ``repr``, ``str`` (the core's own text), ``_repr_html_`` for Jupyter and ``plot()``.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing_extensions import Self

from cxkit import _cxkit

_CLASSES: dict[str, type[Result]] = {}


class Result:
    """A cxkit result: immutable; fields are attributes; ``to_dict()`` gives plain values."""

    __slots__ = ("_d",)
    _d: dict[str, Any]
    #: Fields holding other results: field -> (class name, is a list).
    _nested: ClassVar[dict[str, tuple[str, bool]]] = {}
    #: ``repr`` after the class name, as a ``str.format`` template over the fields.
    _repr: ClassVar[str | None] = None
    #: Rows of ``_repr_html_`` as label -> ``str.format`` template (default: every field).
    _html_rows: ClassVar[dict[str, str] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _CLASSES[cls.__name__] = cls

    def __init__(self, data: dict[str, Any]) -> None:
        object.__setattr__(self, "_d", data)

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._d[name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}"
            ) from None
        nested = self._nested.get(name)
        if nested is None or value is None:
            return value
        cls = _CLASSES[nested[0]]
        return [cls(v) for v in value] if nested[1] else cls(value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._d))

    def to_dict(self) -> dict[str, Any]:
        """The result as a dict of plain Python values (nested dicts for intervals)."""
        return _plain(self._d)

    def to_json(self) -> str:
        """The result as JSON text (the serde form shared with Rust and Node)."""
        return _cxkit.record_json(type(self).__name__, self._d)

    @classmethod
    def from_json(cls, text: str) -> Self:
        """Rebuild a result from ``to_json()`` text."""
        return cls(_cxkit.record_from_json(cls.__name__, text))

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (type(self).from_json, (self.to_json(),))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._d == self._d  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        name = type(self).__name__
        if self._repr is not None:
            return f"{name}({self._repr.format_map(_Fields(self))})"
        scalars = ", ".join(
            f"{k}={v!r}" for k, v in self._d.items() if not isinstance(v, (dict, list))
        )
        return f"{name}({scalars})"

    def __str__(self) -> str:
        return _cxkit.record_display(type(self).__name__, self._d)

    def _repr_html_(self) -> str:
        title = (type(self).__doc__ or type(self).__name__).strip().split(". ")[0]
        if self._html_rows is not None:
            cells = [(k, t.format_map(_Fields(self))) for k, t in self._html_rows.items()]
        else:
            cells = [(k, _cell(v)) for k, v in self._d.items() if not isinstance(v, list)]
        rows = "".join(
            f'<tr><th style="text-align:left;padding:2px 8px">{html.escape(k)}</th>'
            f'<td style="text-align:right;padding:2px 8px">{html.escape(v)}</td></tr>'
            for k, v in cells
        )
        return (
            '<div class="cxkit-result"><table style="border-collapse:collapse;font-size:0.9em">'
            f'<caption style="text-align:left;font-weight:bold">{html.escape(title)}</caption>'
            f'<tr><td colspan="2" style="padding:2px 8px">{html.escape(str(self))}</td></tr>'
            f"{rows}</table></div>"
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw the result with matplotlib (``pip install cxkit[plot]``) on ``ax`` (a new
        figure when None) and return the Axes; see ``cxkit.plot``."""
        from cxkit import plot

        return plot.plot(self, ax, **kwargs)


class _Fields(dict):  # type: ignore[type-arg]
    """Field access for ``str.format_map``: nested results as objects (``{interval.lower}``)."""

    def __init__(self, result: Result) -> None:
        super().__init__()
        self._result = result

    def __missing__(self, key: str) -> Any:
        return getattr(self._result, key)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        lower, upper = value.get("lower"), value.get("upper")
        if isinstance(lower, float) and isinstance(upper, float):
            return f"[{lower:.4g}, {upper:.4g}]"
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


def make(type_name: str, data: dict[str, Any]) -> Result:
    """The result object of the core's result struct ``type_name``."""
    return _CLASSES[type_name](data)
