"""Python side of cx-node/__test__/xlang-bytes.test.mjs (run by it, with the repository's .venv).

Usage: python xlang_bytes.py <folder>

Reads what Node wrote in <folder> (node-tally.bin/.json, node-keyed.bin/.json and the same bytes
patched to version 2; node-cx.bin, node-joint.bin, node-activity.bin and Rust's rust-*.bin when
present), computes NPS and segment tables from Node's summaries, builds its own
summaries of data.json and writes them (py-tally.bin/.json, py-keyed.bin/.json, py-cx.bin,
py-joint.bin, py-activity.bin), and writes
everything it computed, and the errors it got, to py-results.json.
"""

import json
import math
import sys
from pathlib import Path

import numpy as np

import cxkit


def plain(x):
    """A JSON value: NaN and None are null, numpy scalars Python numbers, dicts recursively."""
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if x is None:
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return None if math.isnan(x) else float(x)
    return x


def records(keyed, frame):
    """Segment rows: the group's keys (None for missing) and every column but the key columns."""
    keys = keyed.keys()
    rows = frame.drop(columns=keyed.names).to_dict(orient="records")
    assert len(rows) == len(keys)
    return [{"keys": list(k), **plain(r)} for k, r in zip(keys, rows)]


def unreadable(read, path):
    """The error of reading `path`, or None when it reads."""
    try:
        read(path.read_bytes())
    except cxkit.CxError as e:
        return {"class": type(e).__name__, "code": e.code, "message": str(e)}
    return None


def main(folder):
    d = Path(folder)
    data = json.loads((d / "data.json").read_text(encoding="utf-8"))
    out = {}

    # Node's summaries, read from bytes and from JSON.
    tally = cxkit.Tally.from_bytes((d / "node-tally.bin").read_bytes())
    keyed = cxkit.KeyedTally.from_bytes((d / "node-keyed.bin").read_bytes())
    out["tally_json_equal"] = (
        cxkit.Tally.from_json((d / "node-tally.json").read_text()) == tally
    )
    out["keyed_json_equal"] = (
        cxkit.KeyedTally.from_json((d / "node-keyed.json").read_text(encoding="utf-8"))
        == keyed
    )
    out["nps"] = plain(cxkit.nps(tally).to_dict())
    out["names"] = keyed.names
    out["keys"] = plain(keyed.keys())
    reference = tuple(data["reference"])
    out["segments"] = records(keyed, keyed.segments("nps", reference=reference))
    out["segments_top_box"] = records(
        keyed, keyed.segments("top_box", method="jeffreys")
    )
    out["segments_mean"] = records(keyed, keyed.segments("mean", adjust="bh"))

    # Python's own summaries of the same data.
    scores = np.array(
        [np.nan if s is None else s for s in data["scores"]], dtype=np.float64
    )
    weights = np.array(data["weights"], dtype=np.float64)
    own_tally = cxkit.Tally.from_values(scores, scale="nps", weights=weights)
    own_keyed = cxkit.KeyedTally.from_values(
        scores, list(data["keys"]), names=data["names"], weights=weights, scale="nps"
    )
    (d / "py-tally.bin").write_bytes(own_tally.to_bytes())
    (d / "py-tally.json").write_text(own_tally.to_json(), encoding="utf-8")
    (d / "py-keyed.bin").write_bytes(own_keyed.to_bytes())
    (d / "py-keyed.json").write_text(own_keyed.to_json(), encoding="utf-8")
    out["own_equal"] = own_tally == tally and own_keyed == keyed

    # Bytes from a newer format version, and a merge across scales or key columns.
    out["errors"] = {
        "tally_v2": unreadable(cxkit.Tally.from_bytes, d / "node-tally-v2.bin"),
        "keyed_v2": unreadable(cxkit.KeyedTally.from_bytes, d / "node-keyed-v2.bin"),
    }
    for name, other in [
        ("merge_scale", cxkit.KeyedTally("csat", names=data["names"])),
        ("merge_names", cxkit.KeyedTally("nps", names=["region"])),
    ]:
        try:
            own_keyed.merge(other)
            out["errors"][name] = None
        except cxkit.CxError as e:
            out["errors"][name] = {
                "class": type(e).__name__,
                "code": e.code,
                "message": str(e),
            }

    # The CX summary, loyalty joint tally and activity summary.
    w = weights
    own_cx = cxkit.CxSummary()
    own_cx.extend(
        {k: [np.nan if x is None else x for x in v] for k, v in data["cx"].items()}, w
    )
    retained = np.array(
        [np.nan if x is None else x for x in data["retained"]], dtype=np.float64
    )
    own_joint = cxkit.joint_tally(
        outcome=retained, score=scores, exposure="top_box", reference="bottom_box", weights=w
    )
    log = data["log"]
    own_activity = cxkit.activity(
        customer=log["customers"], date=log["dates"], revenue=log["revenue"]
    )
    mine = {"cx": own_cx, "joint": own_joint, "activity": own_activity}
    classes = {
        "cx": cxkit.CxSummary,
        "joint": cxkit.JointTally,
        "activity": cxkit.Activity,
    }
    out["more_equal"] = all(
        classes[k].from_bytes((d / f"node-{k}.bin").read_bytes()) == s
        for k, s in mine.items()
    )
    out["rust_more_equal"] = (
        all(
            classes[k].from_bytes((d / f"rust-{k}.bin").read_bytes()) == s
            for k, s in mine.items()
        )
        if (d / "rust-cx.bin").exists()
        else None
    )
    for k, s in mine.items():
        (d / f"py-{k}.bin").write_bytes(s.to_bytes())
        newer = bytearray(s.to_bytes())
        newer[4] = 2
        (d / f"py-{k}-v2.bin").write_bytes(bytes(newer))
        out["errors"][f"{k}_v2"] = unreadable(
            classes[k].from_bytes, d / f"py-{k}-v2.bin"
        )

    (d / "py-results.json").write_text(json.dumps(out), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
