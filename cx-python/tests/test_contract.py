"""The cross-language contract, from the Python side: every entry point of the Rust core's
contract is a public function of cxkit with the core's option names, defaults and accepted
strings, and its defaults are the ones the core applies (a call with every default spelled out
equals a call with none).

The Node suite checks the same contract from its side (cx-node/__test__/contract.test.mjs).
"""

from __future__ import annotations

import inspect
import json
import typing

import numpy as np
import pytest

import cxkit
from cxkit import _api, _cxkit

CONTRACT = json.loads(_cxkit.contract())
ENTRIES = CONTRACT["entries"]


def test_every_entry_point_is_a_public_function() -> None:
    assert len(ENTRIES) >= 14
    for e in ENTRIES:
        fn = getattr(cxkit, e["name"])
        assert fn.__module__ == "cxkit._api", e["name"]
        assert e["name"] in cxkit.__all__


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["name"])
def test_options_have_the_core_names_defaults_and_choices(entry: dict) -> None:
    params = inspect.signature(getattr(cxkit, entry["name"])).parameters
    for o in entry["options"]:
        p = params[o["name"]]
        assert p.kind is inspect.Parameter.KEYWORD_ONLY, o["name"]
        if o["required"]:
            # an option without a default (revenue_impact's customers) must be given
            assert p.default is inspect.Parameter.empty, (entry["name"], o["name"])
            continue
        assert p.default == o["default"], (entry["name"], o["name"])
        if o["choices"]:
            # the annotation names the generated Literal alias of the choice (`NpsMethod`)
            hint = eval(p.annotation, vars(_api))
            accepted = set(typing.get_args(hint))
            assert set(o["choices"]) <= accepted, (entry["name"], o["name"])
            assert set(o["accepted"]) <= accepted, (entry["name"], o["name"])
    for p in entry["params"]:
        if not p["positional"]:
            assert params[p["name"]].default is None, p["name"]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["name"])
def test_no_public_function_returns_any(entry: dict) -> None:
    fn = getattr(_api, entry["name"])
    overloads = typing.get_overloads(fn)
    signatures = [inspect.signature(f) for f in overloads] or [inspect.signature(fn)]
    for sig in signatures:
        assert sig.return_annotation not in ("Any", typing.Any), entry["name"]


def test_choices_parse_in_every_accepted_spelling() -> None:
    for spelling in ["adjusted-wald", "Adjusted Wald", "ADJUSTED_WALD"]:
        assert cxkit.nps([9, 10, 0], method=spelling) == cxkit.nps([9, 10, 0])
    with pytest.raises(cxkit.InvalidArgumentError) as e:
        cxkit.nps([9, 10, 0], method="exact")
    assert e.value.name == "method"


def test_a_call_with_every_default_spelled_out_equals_one_with_none() -> None:
    scores = [10, 9, 9, 8, 7, 6, 3, 10, 9, 0, 5, 8]
    groups = ["a", "b"] * 6
    calls = {
        "nps": ([scores], {}),
        "nps_difference": ([scores, scores[::-1]], {}),
        "top_box": ([scores], {"scale": "nps"}),
        "bottom_box": ([scores], {"scale": "nps"}),
        "csat": ([[1, 2, 3, 4, 5, 5]], {}),
        "mean": ([scores], {"scale": "nps"}),
        "ces": ([[1, 7, 6, 5]], {}),
        "distribution": ([scores], {"scale": "nps"}),
        "nps_by": ([scores], {"by": groups}),
    }
    for name, (args, kwargs) in calls.items():
        entry = next(e for e in ENTRIES if e["name"] == name)
        defaults = {o["name"]: o["default"] for o in entry["options"]}
        fn = getattr(cxkit, name)
        plain, explicit = fn(*args, **kwargs), fn(*args, **kwargs, **defaults)
        if hasattr(plain, "equals"):
            assert plain.equals(explicit), name
        else:
            assert plain == explicit, name


def test_error_classes_come_from_the_core_table() -> None:
    for code in CONTRACT["errors"]:
        classes = [
            c
            for c in vars(cxkit).values()
            if isinstance(c, type) and issubclass(c, cxkit.CxError) and c is not cxkit.CxError
        ]
        assert any(
            c.__name__.lower().replace("error", "") == code.replace("_", "") for c in classes
        ), code
    assert issubclass(cxkit.WrongTypeError, TypeError)
    assert issubclass(cxkit.WrongTypeError, ValueError)


def test_a_value_of_no_option_type_is_a_wrong_type_error_naming_the_option() -> None:
    # Any Python object reaches the core as "a value of type ...", never as text.
    with pytest.raises(cxkit.WrongTypeError) as e:
        cxkit.nps([9, 1], level=object())
    assert (e.value.code, e.value.name) == ("wrong_type", "level")
    assert e.value.value == "a value of type object"
    k = cxkit.KeyedTally.from_values([9, 3], ["North", "South"], names=["region"])
    with pytest.raises(cxkit.WrongTypeError) as e:
        k.tally(object())  # type: ignore[arg-type]
    assert e.value.name == "key"


def _misaligned(values: list[float], dtype: type) -> np.ndarray:
    """A C-contiguous array at an odd byte offset (as Dask's workers unpickle buffers)."""
    width = np.dtype(dtype).itemsize
    raw = bytearray(1 + width * len(values))
    a = np.frombuffer(raw, dtype=dtype, count=len(values), offset=1)
    a[:] = values
    assert not a.flags.aligned
    return a


def test_misaligned_and_strided_arrays_give_the_results_of_aligned_ones() -> None:
    scores, weights, ids = [9, 3, 10, 7, 9, 0], [1.0, 2.0, 0.5, 1.0, 1.0, 3.0], [1, 2, 1, 2, 1, 2]
    odd = _misaligned(scores, np.float64)
    assert cxkit.nps(odd, weights=_misaligned(weights, np.float64)) == cxkit.nps(
        scores, weights=weights
    )
    strided = np.repeat(np.asarray(scores, dtype=np.int64), 2)[::2]
    assert cxkit.csat(strided, scale="nps") == cxkit.csat(scores, scale="nps")
    by = _misaligned(ids, np.int64)
    pd = pytest.importorskip("pandas")
    pd.testing.assert_frame_equal(cxkit.nps_by(odd, by=by), cxkit.nps_by(scores, by=ids))
    k = cxkit.KeyedTally.from_values(odd, by=by, weights=_misaligned(weights, np.float64))
    assert k == cxkit.KeyedTally.from_values(scores, by=ids, weights=weights)
    dims = {"effectiveness": [5.0, 4.0, 2.0], "ease": [3.0, 5.0, 1.0], "emotion": [4.0, 4.0, 5.0]}
    odd_dims = {k: _misaligned(v, np.float64) for k, v in dims.items()}
    assert cxkit.cx_index(odd_dims) == cxkit.cx_index(dims)
    summary = cxkit.CxSummary()
    summary.extend(odd_dims)
    assert cxkit.cx_index(summary) == cxkit.cx_index(dims)
