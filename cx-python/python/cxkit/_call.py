"""The one path from a public function to the Rust core.

Every public function in ``cxkit/_api.py`` (generated from the core's contract) hands its
arguments here. Each input is converted by the kind the contract declares for it (ratings and
other numeric columns become numpy arrays the core reads in place; a scale becomes a plain
value); every other argument is an option, parsed and validated by the core. What comes back
is a result class, a table, or a summary object.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeAlias, Union

import numpy as np
import numpy.typing as npt

from cxkit import _cxkit
from cxkit._convert import as_values, as_weights
from cxkit._result import make

#: An array of numbers: a numpy array of any integer or float dtype, a list or tuple (None is
#: missing), a pandas or polars Series, a pyarrow array.
ArrayLike: TypeAlias = Union[npt.ArrayLike, Sequence[Any], Any]
#: Ratings: an array of numbers (NaN, None, pandas.NA and polars null are missing) or a Tally.
Ratings: TypeAlias = Union[ArrayLike, _cxkit.Tally]
#: A rating scale: a preset name ('nps', 'csat', 'ces', 'agreement'), a cxkit.Scale, or a tuple
#: (lowest, highest) / (lowest, highest, top_box_min, bottom_box_max).
ScaleLike: TypeAlias = Union[str, _cxkit.Scale, tuple[int, int], tuple[int, int, int, int]]

CONTRACT: dict[str, Any] = json.loads(_cxkit.contract())
ENTRIES: dict[str, dict[str, Any]] = {e["name"]: e for e in CONTRACT["entries"]}


def _ratings(value: Any) -> Any:
    if isinstance(value, _cxkit.Tally):
        return value
    return np.ascontiguousarray(as_values(value))


def _scale(value: Any) -> Any:
    if isinstance(value, _cxkit.Scale):
        return value.to_dict()
    return value


_KINDS = {"ratings": _ratings, "numbers": as_weights}


def call(name: str, args: dict[str, Any]) -> Any:
    """Run the core entry point ``name`` with the arguments of its Python function."""
    inputs: dict[str, Any] = {}
    options: dict[str, Any] = {}
    kinds = {p["name"]: p["kind"] for p in ENTRIES[name]["params"]}
    for key, value in args.items():
        kind = kinds.get(key)
        if value is None:
            continue
        if kind in _KINDS:
            inputs[key] = _KINDS[kind](value)
        elif kind == "scale":
            options[key] = _scale(value)
        else:
            options[key] = value
    return output(_cxkit.call(name, inputs, options))


def output(out: tuple[str, Any, Any]) -> Any:
    """The Python object of a core output: a result class or a table."""
    kind, name, payload = out
    if kind == "record":
        return make(name, payload)
    raise TypeError(f"unknown output kind {kind!r}")
