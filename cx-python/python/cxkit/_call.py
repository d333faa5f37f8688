"""The one path from a public function to the Rust core.

Every public function in ``cxkit/_api.py`` (generated from the core's contract) hands its
arguments here. Each input is converted by the kind the contract declares for it: ratings and
other numeric columns become numpy arrays the core reads in place, group keys are factorized
with the caller's DataFrame library, dates become days since 1970-01-01, a scale becomes a
plain value. Every other argument is an option, parsed and validated by the core. What comes
back is a result class or a table, rendered as a DataFrame of the caller's library.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias, Union

import numpy as np
import numpy.typing as npt

from cxkit import _by, _cxkit
from cxkit._convert import _ndarray, as_values, as_weights
from cxkit._result import make

#: An array of numbers: a numpy array of any integer or float dtype, a list or tuple (None is
#: missing), a pandas or polars Series, a pyarrow array.
ArrayLike: TypeAlias = Union[npt.ArrayLike, Sequence[Any], Any]
#: Ratings: an array of numbers (NaN, None, pandas.NA and polars null are missing) or a Tally.
Ratings: TypeAlias = Union[ArrayLike, _cxkit.Tally]
#: A rating scale: a preset name ('nps', 'csat', 'ces', 'agreement'), a cxkit.Scale, or a tuple
#: (lowest, highest) / (lowest, highest, top_box_min, bottom_box_max).
ScaleLike: TypeAlias = Union[str, _cxkit.Scale, tuple[int, int], tuple[int, int, int, int]]
#: Group keys: a key column (strings, integers; None / NaN missing), or a list of key columns;
#: with a DataFrame, a column name or a list of column names.
Keys: TypeAlias = Union[ArrayLike, str, Sequence[Any]]
#: Dates: datetime64 / date / datetime values or ISO date strings; with a DataFrame, a column
#: name.
Dates: TypeAlias = Union[ArrayLike, str]
#: Named numeric columns: a dict of arrays by name, a list of arrays or a 2-D array (rows are
#: respondents; ``dims`` names the columns).
Columns: TypeAlias = Union[Mapping[str, ArrayLike], Sequence[ArrayLike], npt.ArrayLike]
#: Answers to several dimensions: :data:`Columns`, or a ``cxkit.CxSummary``.
Dimensions: TypeAlias = Union[Columns, _cxkit.CxSummary]
#: One column or several: an array (or, with a DataFrame, a column name), a list of arrays or
#: of column names, a dict of name -> array, or a summary of a column such as a JointTally.
ColumnSet: TypeAlias = Union[ArrayLike, str, Sequence[Any], dict[str, Any], _cxkit.JointTally]
#: A group of a comparison: a side name ('top_box' / 'promoters', 'bottom_box' / 'detractors',
#: 'middle' / 'passives', 'rest') or a (lowest, highest) tuple of rating points; a 0/1 mask
#: (an array, or with a DataFrame a column name); or with ``band`` a label or a list of labels.
Group: TypeAlias = Union[str, tuple[int, int], ArrayLike, Sequence[str]]
#: Where numeric inputs not given are found by name: a pandas or polars DataFrame (its
#: columns), a result with those fields (``cxkit.rfm``'s ``Rfm``), or a dict of arrays.
Fields: TypeAlias = Any

CONTRACT: dict[str, Any] = json.loads(_cxkit.contract())
ENTRIES: dict[str, dict[str, Any]] = {e["name"]: e for e in CONTRACT["entries"]}
TABLES: dict[str, dict[str, Any]] = {t["name"]: t for t in CONTRACT["tables"]}


def _ratings(value: Any) -> Any:
    if isinstance(value, _cxkit.Tally):
        return value
    return np.ascontiguousarray(as_values(value))


def _floats(value: Any, name: str = "values") -> np.ndarray:
    """Any array-like (bool, int, float, pandas/polars with nulls) as contiguous float64."""
    return np.ascontiguousarray(_ndarray(value, name), dtype=np.float64)


def _column(value: Any) -> Any:
    """One column of a ``column_set`` input: a summary object as it is, else float64."""
    return value if isinstance(value, _cxkit.JointTally) else _floats(value)


def _column_set(value: Any) -> tuple[bool, list[tuple[str | None, Any]]]:
    """A ``column_set`` input as ``(several, [(name, column), ...])``: a dict or a list of columns
    is several (named by the dict's keys), anything else one column."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bool):
        several, items = value
        return several, [(n, _column(c)) for n, c in items]
    if isinstance(value, dict):
        return True, [(str(k), _column(v)) for k, v in value.items()]
    if isinstance(value, (list, tuple)) and (
        len(value) == 0
        or isinstance(value[0], _cxkit.JointTally)
        or (np.ndim(value[0]) > 0 and not isinstance(value[0], str))
    ):
        return True, [(None, _column(v)) for v in value]
    return False, [(None, _column(value))]


def _is_group_value(value: Any) -> bool:
    """Whether a ``group`` input is a value for the core to read (a side name, a (lowest,
    highest) tuple, labels) rather than a 0/1 mask column."""
    if isinstance(value, (str, tuple)):
        return True
    if isinstance(value, (list, set, frozenset)):
        return len(value) > 0 and all(isinstance(v, str) for v in value)
    return False


#: The kinds of input a DataFrame's column can give.
_COLUMN_KINDS = frozenset({"ratings", "scores", "numbers", "keys", "dates", "column_set", "group"})


def _data_args(entry: dict[str, Any], args: dict[str, Any], frame: _Frame) -> None:
    """Resolve ``data`` for an entry whose inputs may be a DataFrame's columns: column names
    become columns, inputs not given take their default column when the frame has it; ``data``
    that is no DataFrame is the first positional input."""
    data = args.pop("data")
    params = entry["params"]
    if not _by._is_frame(data):
        if data is not None:
            first = next(p["name"] for p in params if p["positional"])
            if args.get(first) is not None:
                raise TypeError(f"{first}= given twice: as data and by name")
            args[first] = data
        return
    frame.lib = _by._library(data)
    have = set(data.columns)
    for p in params:
        name, value, kind = p["name"], args.get(p["name"]), p["kind"]
        if kind not in _COLUMN_KINDS:
            continue
        if value is None:
            if p["column"] is not None and p["column"] in have:
                args[name] = (
                    (False, [(p["column"], data[p["column"]])])
                    if kind == "column_set"
                    else data[p["column"]]
                )
        elif isinstance(value, str) and not (kind == "group" and value not in have):
            args[name] = (False, [(value, data[value])]) if kind == "column_set" else data[value]
        elif (
            kind == "column_set"
            and isinstance(value, (list, tuple))
            and all(isinstance(v, str) for v in value)
        ):
            args[name] = {v: data[v] for v in value}


def _scale(value: Any) -> Any:
    if isinstance(value, _cxkit.Scale):
        return value.to_dict()
    return value


class _Frame:
    """How the caller gave a grouped entry's data: column names of a DataFrame, or arrays; the
    key columns' names and labels, for rendering the table."""

    def __init__(self) -> None:
        self.lib: str | None = None
        self.names: list[str] = []
        self.labels: list[list[Any] | None] = []
        self.period_name = "period"


def _pick(names: list[str], available: list[Any], where: str) -> None:
    for name in names:
        if name not in available:
            _cxkit._invalid_argument(
                "dims",
                repr(name),
                f"a {where}: {', '.join(repr(str(a)) for a in available)}",
            )


def _columns(data: Any, dims: Any) -> Any:
    """Named columns for the core: a dict of 1-D numpy arrays by name, from a DataFrame (the
    columns ``dims`` names), a dict (its keys, or those ``dims`` picks), a list of arrays or a
    2-D array (rows are respondents, ``dims`` names the columns); a summary as it is."""
    if isinstance(data, _cxkit.CxSummary):
        return data
    names = [dims] if isinstance(dims, str) else None if dims is None else [str(d) for d in dims]
    # The core's default dimensions (effectiveness, ease, emotion) name unnamed columns.
    default = _cxkit.CxSummary().dims
    if _by._is_frame(data):
        names = names or default
        _pick(names, list(data.columns), "column of the DataFrame")
        columns = [data[n] for n in names]
    elif isinstance(data, Mapping):
        keys = list(data.keys())
        names = names or [str(k) for k in keys]
        _pick(names, keys, "key of the dict")
        columns = [data[n] for n in names]
    elif isinstance(data, np.ndarray) and data.ndim == 2:
        matrix = data if data.dtype.char in "bBhHiIlLqQfd" else data.astype(np.float64)
        columns = [matrix[:, k] for k in range(matrix.shape[1])]
        names = names or default
    elif isinstance(data, (list, tuple)) and data and np.ndim(data[0]) == 1:
        columns = list(data)
        names = names or (default if len(data) == len(default) else None)
        if names is None:
            _cxkit._invalid_argument(
                "dims", "None", "names for the dimensions (dims=[...]) of a list of arrays"
            )
    else:
        raise TypeError(
            "answers must be a DataFrame with dims= columns, a dict of arrays, a list of "
            f"arrays or a 2-D array (rows are respondents), not {type(data).__name__}"
        )
    return {n: np.require(as_values(c), requirements=("C", "A")) for n, c in zip(names, columns)}


def _frame_args(args: dict[str, Any], frame: _Frame, lead: dict[str, Any] | None) -> None:
    """Resolve ``data``/``score`` (or ``dims``)/``by``/``weights``/``period`` into columns
    (DataFrame input: column names; array input: arrays) and remember the key names and
    library."""
    data, by = args.pop("data"), args.get("by")
    score = None if lead else args.pop("score")
    by_items = _by._as_list(by)
    if lead:
        args[lead["name"]] = _columns(data, args.get(lead["name"]))
        if isinstance(data, _cxkit.CxSummary):
            if "by" in args:  # a summary has no rows to key: the core says so
                args["by"] = None
            return
    if _by._is_frame(data):
        if score is None and not lead:
            raise TypeError("score= names the rating column of the DataFrame")
        frame.lib = _by._library(data)
        frame.names = [str(b) for b in by_items]
        if not lead:
            args["values"] = data[score]
        if "by" in args:
            args["by"] = [data[b] for b in by_items]
        for key in ("weights", "period"):
            if isinstance(args.get(key), str):  # a column name (else the array itself)
                if key == "period":
                    frame.period_name = str(args[key])
                args[key] = data[args[key]]
        return
    if score is not None:
        raise TypeError("score= is a column name; pass a DataFrame as the first argument")
    if lead and "by" not in args:
        return
    if by is not None and not isinstance(by, (list, tuple)):
        by_items = [by]
    elif by is not None and by_items and np.ndim(by_items[0]) == 0:
        by_items = [by]  # a plain list of labels is one key column
    frame.names = (
        ["group"] if len(by_items) == 1 else [f"group_{i + 1}" for i in range(len(by_items))]
    )
    frame.lib = next((_by._library(x) for x in [data, *by_items] if _by._library(x)), None)
    if not lead:
        args["values"] = data
    args["by"] = by_items


#: A transaction log's columns: Python's argument name -> the core's input name.
_LOG = {"customer": "customers", "date": "dates", "revenue": "revenue", "channel": "channels"}


def _log_args(args: dict[str, Any]) -> None:
    """Resolve ``data`` and the log's columns (``customer``, ``date``, ``revenue``,
    ``channel``): an Activity in place of the log, column names of a DataFrame, or arrays."""
    data = args.pop("data")
    given = {key: args.pop(key) for key in _LOG if key in args}
    if isinstance(data, _cxkit.Activity):
        args["activity"] = data
    if args.get("activity") is not None:
        return
    if _by._is_frame(data):
        columns = {key: data[name] for key, name in given.items() if name is not None}
    elif data is not None:
        raise TypeError(
            "data must be a pandas or polars DataFrame (with column names in customer=, "
            "date=, revenue=), or None with arrays in customer=, date=, revenue="
        )
    else:
        named = [f"{key}=" for key, value in given.items() if isinstance(value, str)]
        if named:
            listed = " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named)
            raise TypeError(
                f"without a DataFrame, {listed} must be {'arrays' if len(named) > 1 else 'an array'}"
            )
        columns = {key: value for key, value in given.items() if value is not None}
    for key, column in columns.items():
        args[_LOG[key]] = [column] if key in ("customer", "channel") else column


def _dates(value: Any, log: bool) -> np.ndarray:
    """Days since 1970-01-01; a log's unreadable dates are an InvalidArgumentError."""
    try:
        return np.ascontiguousarray(_by._days(value), dtype=np.int64)
    except TypeError as exc:
        if not log:
            raise
        _cxkit._invalid_argument(
            "dates", str(exc), "dates, datetimes or ISO 8601 date strings (None/NaT for missing)"
        )
        raise  # unreachable: _invalid_argument raises


def _keys(columns: list[Any], frame: _Frame) -> list[Any]:
    """Key columns for the core: integer numpy arrays as they are, others factorized here (the
    caller's library, or pandas) into codes with their labels."""
    out: list[Any] = []
    for column in columns:
        direct = _by._direct_int_keys([column])
        if direct is not None:
            out.append(np.ascontiguousarray(direct))
            frame.labels.append(None)
            continue
        codes, labels = _by._factorize(column, missing=None)
        out.append((codes, labels))
        frame.labels.append(labels)
    return out


def _fields(args: dict[str, Any], entry: dict[str, Any]) -> None:
    """Fill the numeric inputs not given from the ``fields`` input (a DataFrame's columns, a
    result's attributes or a dict's keys, by the inputs' names), which is then dropped."""
    for p in entry["params"]:
        if p["kind"] != "fields":
            continue
        data = args.pop(p["name"], None)
        if data is None:
            continue
        for q in entry["params"]:
            key = q["name"]
            if q["kind"] != "numbers" or args.get(key) is not None:
                continue
            if _by._is_frame(data) or isinstance(data, Mapping):
                if key not in data:
                    raise TypeError(f"{key}= is required: {p['name']} has no {key!r} column")
                args[key] = data[key]
            elif hasattr(data, key):
                args[key] = getattr(data, key)
            else:
                raise TypeError(
                    f"{p['name']} must be a DataFrame, a dict or a result with a {key!r} "
                    f"field (such as cxkit.rfm's), not {type(data).__name__}"
                )


def call(name: str, args: dict[str, Any]) -> Any:
    """Run the core entry point ``name`` with the arguments of its Python function."""
    entry = ENTRIES[name]
    _fields(args, entry)
    log = any(p["name"] == "customers" for p in entry["params"])
    frame = _Frame() if "data" in args and not log else None
    if log:
        _log_args(args)
    elif frame is not None:
        if any(p["column"] is not None for p in entry["params"]):
            _data_args(entry, args, frame)
        else:
            first = entry["params"][0]
            _frame_args(args, frame, first if first["kind"] in ("columns", "dimensions") else None)
    inputs: dict[str, Any] = {}
    options: dict[str, Any] = {}
    kinds = {p["name"]: p["kind"] for p in entry["params"]}
    for key, value in args.items():
        kind = kinds.get(key)
        if value is None:
            continue
        if kind in ("ratings", "scores"):
            inputs[key] = _ratings(value)
        elif kind == "numbers":
            inputs[key] = np.ascontiguousarray(_ndarray(value, key), dtype=np.float64)
        elif kind == "column_set":
            inputs[key] = _column_set(value)
        elif kind == "group":
            if _is_group_value(value):
                options[key] = list(value) if isinstance(value, (set, frozenset)) else value
            else:
                inputs[key] = _floats(value, key)
        elif kind == "keys":
            if not isinstance(value, list) or (value and np.ndim(value[0]) == 0):
                value = [value]  # one key column
            inputs[key] = _keys(value, frame if frame is not None else _Frame())
        elif kind == "dates":
            inputs[key] = _dates(value, log)
        elif kind in ("columns", "dimensions", "summary"):
            inputs[key] = value
        elif kind == "scale":
            options[key] = _scale(value)
        else:
            options[key] = _option(value)
    return output(_cxkit.call(name, _aligned(inputs), options), name, frame)


def _aligned(inputs: dict[str, Any]) -> dict[str, Any]:
    """Every array of the inputs C-contiguous and aligned, as the core reads them in place: an
    array that is not (a strided view, a buffer unpickled at an odd offset, as Dask's workers
    receive them) is copied once."""

    def fix(v: Any) -> Any:
        if isinstance(v, np.ndarray):
            return np.require(v, requirements=("C", "A"))
        if isinstance(v, tuple):  # (codes, labels), (several, [(name, column), ...])
            return tuple(fix(x) for x in v)
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, dict):  # named columns
            return {k: fix(x) for k, x in v.items()}
        return v

    return {k: fix(v) for k, v in inputs.items()}


def keyed_inputs(
    values: Any, by: Any, weights: Any, names: list[str] | None
) -> tuple[dict[str, Any], list[str] | None]:
    """The inputs of ``KeyedTally.from_values`` as the core reads them (ratings, key columns,
    weights), converted as for ``nps_by``; the key columns' names default to the names of the
    caller's Series."""
    columns = [by] if not isinstance(by, (list, tuple)) or np.ndim(by[0]) == 0 else list(by)
    inputs = {"values": _ratings(values), "by": _keys(columns, _Frame())}
    if weights is not None:
        inputs["weights"] = as_weights(weights)
    inputs = _aligned(inputs)
    if names is None:
        named = [getattr(c, "name", None) for c in columns]
        names = named if named and all(isinstance(n, str) for n in named) else None
    return inputs, names


def keyed_table(payload: dict[str, Any], names: list[str]) -> Any:
    """A keyed tally's segment table as a pandas DataFrame (key columns named as the tally's)."""
    frame = _Frame()
    frame.names = names
    return _table("segments", payload, "", frame)


def _option(value: Any) -> Any:
    """An option value for the core: a DataFrame (e.g. a key-driver table given as dimension
    weights) becomes a dict of column lists, a numpy array or a Series a list; anything else
    is read by the native layer."""
    if _by._is_frame(value):
        return {str(c): _option(value[c]) for c in value.columns}
    if isinstance(value, np.ndarray) or (_by._library(value) and hasattr(value, "__len__")):
        return np.asarray(value).tolist()
    return value


def output(out: tuple[str, str, Any], name: str = "", frame: _Frame | None = None) -> Any:
    """The Python object of a core output: a result class, or a table as a DataFrame."""
    kind, type_name, payload = out
    if kind == "value":
        return payload
    if kind == "record":
        return make(type_name, payload)
    if kind == "summary":
        return payload
    return _table(type_name, payload, name, frame or _Frame(), nan=kind == "frame")


def _table(
    schema: str, payload: dict[str, Any], name: str, frame: _Frame, nan: bool = False
) -> Any:
    """A core table as a DataFrame; with ``nan``, missing numbers are NaN (not None)."""
    spec = TABLES[schema]
    types = {c["name"]: c["type"] for c in [*spec["columns"], *spec["attrs"]]}
    columns: dict[str, Any] = {}
    for col, values in payload["columns"].items():
        if nan and types[col] == "number":
            columns[col] = [np.nan if v is None else v for v in values]
        elif col == "group":
            columns.update(_key_columns(values, payload, frame))
        elif col == "period":
            columns[frame.period_name] = values
        elif col == "period_start":
            columns[f"{frame.period_name}_start"] = np.array(values, dtype="datetime64[D]")
        elif isinstance(values, dict):  # named columns (one score per dimension)
            for key in values:
                if key != col and (key in payload["columns"] or key in frame.names):
                    _cxkit._invalid_argument(
                        "dims", repr(key), "dimension names other than the table's columns"
                    )
            columns.update(values)
        else:
            columns[col] = values
    table = _by._output(columns, frame.lib)
    if hasattr(table, "attrs"):
        for key, value in payload["attrs"]:
            if types.get(key) == "number":
                table.attrs[key] = value
            else:
                table.attrs["excluded_missing_dates" if key == "excluded" else key] = int(value)
        if name.endswith("_by"):
            table.attrs["metric"] = name[: -len("_by")]
    return table


def _key_columns(groups: list[int], payload: dict[str, Any], frame: _Frame) -> dict[str, Any]:
    """The group code column as one column per key, in the caller's own labels."""
    names = frame.names or [f"group_{i + 1}" for i in range(len(payload["keys"][0]))]
    out = {}
    for i, col in enumerate(names):
        labels = frame.labels[i] if i < len(frame.labels) else None
        if labels is None:
            keys = [payload["keys"][g][i] for g in groups]
        else:
            codes = [payload["column_codes"][g][i] for g in groups]
            keys = [labels[c] for c in codes]
        out[col] = [_by.MISSING_LABEL if k is None else k for k in keys]
    return out
