"""Write personas.json: the cross-language persona fixture (same data, same seed, same personas
in Rust, Python and Node).

The data are deterministic (three loose groups from integer arithmetic, no RNG); the expected
result is cxkit's own (Python binding), frozen here so that the Rust, Python and Node suites
all check that the same seed gives the same k, assignments, silhouettes and labels, and the
same per-persona CX index, key drivers and needs (``expected_profile``). It is a
cross-language and regression fixture, not an independent oracle (the independent checks are
the brute-force and scikit-learn tests). Run: .venv/bin/python testdata/make_personas.py
"""

import json
from pathlib import Path

import pandas as pd

import cxkit


def columns() -> dict[str, list[float]]:
    ease, revenue, recency = [], [], []
    for i in range(150):
        g = i % 3
        ease.append([2.0, 6.0, 5.0][g] + ((i * 37) % 17) / 10)
        revenue.append([40.0, 50.0, 300.0][g] + ((i * 53) % 29) * 2.0)
        recency.append([200.0, 20.0, 40.0][g] + ((i * 71) % 31))
    cols = {"ease": ease, "revenue": revenue, "recency_days": recency}
    # profile columns: two drivers, a 0/1 outcome that follows the first, latest CX answers
    cols["sat_mean"] = [1 + ((i * 13) % 41) / 10 for i in range(150)]
    cols["effort_mean"] = [1 + ((i * 29) % 37) / 9 for i in range(150)]
    cols["kept"] = [
        1.0 if cols["sat_mean"][i] + ((i * 11) % 7) / 2 > 4 else 0.0 for i in range(150)
    ]
    answers = [[1, 2, 2, 3, 4], [3, 4, 4, 5, 5], [2, 3, 4, 4, 5]]
    cols["ease_latest"] = [float(answers[i % 3][(i * 3) % 5]) for i in range(150)]
    cols["emotion_latest"] = [float(answers[i % 3][(i * 7 + 1) % 5]) for i in range(150)]
    return cols


PROFILE = {
    "loyalty": "kept",
    "drivers": ["sat_mean", "effort_mean"],
    "cx_dims": ["ease_latest", "emotion_latest"],
}


def main() -> None:
    cols = columns()
    features = ["ease", "revenue", "recency_days"]
    p = cxkit.personas(pd.DataFrame(cols), features, k=(2, 5), seed=3)
    profiled = cxkit.personas(pd.DataFrame(cols), features, k=(2, 5), seed=3, **PROFILE)
    out = {
        "generated_by": "testdata/make_personas.py with cxkit " + cxkit.__version__,
        "columns": cols,
        "features": features,
        "k_min": 2,
        "k_max": 5,
        "seed": 3,
        "expected": {
            "k": p.k,
            "assignments": p.assignments.tolist(),
            "silhouette": [s["silhouette"] for s in p.result.scores],
            "labels": p.labels,
        },
        "profile": PROFILE,
        "expected_profile": [
            {
                "cx_index": q["cx_index"]["estimate"],
                "cx_std_error": q["cx_index"]["std_error"],
                "r_squared": q["drivers"]["r_squared"],
                "drivers": [[d["driver"], d["share"], d["beta"]] for d in q["drivers"]["ranking"]],
                "needs": q["needs"],
            }
            for q in profiled.personas
        ],
    }
    Path(__file__).with_name("personas.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
