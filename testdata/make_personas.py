"""Write personas.json: the cross-language persona fixture (same data, same seed, same personas
in Rust, Python and Node).

The data are deterministic (three loose groups from integer arithmetic, no RNG); the expected
result is cxkit's own (Python binding), frozen here so that the Rust, Python and Node suites
all check that the same seed gives the same k, assignments, silhouettes and labels. It is a
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
    return {"ease": ease, "revenue": revenue, "recency_days": recency}


def main() -> None:
    cols = columns()
    features = ["ease", "revenue", "recency_days"]
    p = cxkit.personas(pd.DataFrame(cols), features, k=(2, 5), seed=3)
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
    }
    Path(__file__).with_name("personas.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
