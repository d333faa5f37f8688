"""The shared cross-language fixture (testdata/cases.json).

1. Every case matches the independent pure-Python oracle's expected values to 1e-12.
2. Every case (bootstrap included) gives bit-identical numbers in Python and Rust, whose results
   come from the `xlang_dump` example built from cx-core.
"""

import json
import math
import os
import pathlib
import shutil
import subprocess

import pytest

import cxkit

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "testdata" / "cases.json"
DATA = json.loads(FIXTURE.read_text())
TOL = DATA["tolerance"]
CASES = [c for c in DATA["cases"] if "expected_error" not in c]
ERRORS = [c for c in DATA["cases"] if "expected_error" in c]


def values(xs):
    return [math.nan if x is None else x for x in xs]


def scale_of(case):
    s = case["scale"]
    return cxkit.Scale(s["lowest"], s["highest"], s["top_box_min"], s["bottom_box_max"])


def run(case):
    fn = getattr(cxkit, case["function"])
    opts = dict(case.get("options", {}))
    scale = scale_of(case)
    if case["function"] == "nps_difference":
        return fn(
            values(case["values"]),
            values(case["values_b"]),
            weights_a=case.get("weights"),
            weights_b=case.get("weights_b"),
            scale=scale,
            **opts,
        )
    return fn(values(case["values"]), weights=case.get("weights"), scale=scale, **opts)


def compare(got, want, path, rel, abs_):
    if isinstance(want, dict):
        assert set(got) == set(want), f"{path}: keys {sorted(got)} vs {sorted(want)}"
        for k in want:
            compare(got[k], want[k], f"{path}.{k}", rel, abs_)
    elif isinstance(want, list):
        assert len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want)):
            compare(g, w, f"{path}[{i}]", rel, abs_)
    elif isinstance(want, float) or isinstance(got, float):
        assert abs(got - want) <= max(abs_, rel * abs(want)), f"{path}: {got!r} vs {want!r}"
    else:
        assert got == want, f"{path}: {got!r} vs {want!r}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_independent_oracle(case):
    if case["expected"] is None:
        pytest.skip("bootstrap: no oracle, checked against Rust below")
    compare(run(case).to_dict(), case["expected"], case["name"], TOL["relative"], TOL["absolute"])


@pytest.mark.parametrize("case", ERRORS, ids=[c["name"] for c in ERRORS])
def test_expected_errors(case):
    want = case["expected_error"]
    with pytest.raises(cxkit.CxError) as info:
        run(case)
    err = info.value
    assert err.code == want["code"]
    for key in ("index", "value"):
        if key in want:
            assert getattr(err, key) == want[key]


def rust_dump():
    built = [
        ROOT / "target" / sub / "release" / "examples" / "xlang_dump"
        for sub in (os.environ.get("CARGO_BUILD_TARGET", ""), "")
    ]
    exe = next((b for b in built if b.exists()), None)
    if exe is not None:
        cmd = [str(exe), str(FIXTURE)]
    elif shutil.which("cargo"):
        cmd = [
            "cargo",
            "run",
            "--release",
            "-q",
            "-p",
            "cx-core",
            "--example",
            "xlang_dump",
            "--",
            str(FIXTURE),
        ]
    else:
        pytest.skip("neither the xlang_dump binary nor cargo is available")
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def test_same_numbers_as_rust():
    rust = rust_dump()
    assert set(rust) == {c["name"] for c in CASES}
    for case in CASES:
        compare(run(case).to_dict(), rust[case["name"]], case["name"], 0.0, 0.0)  # bit-identical
