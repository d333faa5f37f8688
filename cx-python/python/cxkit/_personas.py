"""The single view of the customer (``customer_view``) and personas (``personas``,
``assign_personas``).

DataFrame plumbing only: the ids of both tables are factorized together and dates converted
to days here (with the caller's library); the Rust core joins, clusters and profiles.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from cxkit import _call, _cxkit
from cxkit._by import _is_frame, _library, _output
from cxkit._retention import _customer_codes, _day_array, _label_arg, _revenue

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped]
    import polars as pl

#: A DataFrame of either library: the tables come back in the caller's.
_DataFrame = TypeVar("_DataFrame", "pd.DataFrame", "pl.DataFrame")

_NAT = np.iinfo(np.int64).min
_IDS = ("customer_id", "customer")


def _concat(a: Any, b: Any) -> Any:
    """Two id columns as one column of the same library (numpy object array otherwise)."""
    if _library(a) == "polars" and _library(b) == "polars":
        import polars as pl

        if a.dtype != b.dtype:
            a, b = a.cast(pl.Utf8), b.cast(pl.Utf8)
        return pl.concat([a.rename("id"), b.rename("id")])
    if _library(a) == "pandas" and _library(b) == "pandas":
        import pandas as pd

        return pd.concat([a, b], ignore_index=True)
    left, right = np.asarray(a), np.asarray(b)
    if left.dtype.kind in "iu" and right.dtype.kind in "iu":
        return np.concatenate([left.astype(np.int64), right.astype(np.int64)])
    return np.concatenate([left.astype(object), right.astype(object)])


def _dates(days: np.ndarray) -> np.ndarray:
    """int64 days (int64 min for missing) as datetime64[D] with NaT."""
    return days.astype("datetime64[D]")


def _rating_columns(survey: Any, ratings: Any, exclude: set[str]) -> list[str]:
    if ratings is not None:
        return [ratings] if isinstance(ratings, str) else list(ratings)
    lib = _library(survey)
    names = []
    for name in survey.columns:
        if name in exclude:
            continue
        col = survey[name]
        if lib == "polars":
            numeric = col.dtype.is_numeric()
        else:
            numeric = col.dtype.kind in "iuf"
        if numeric:
            names.append(str(name))
    return names


def customer_view(
    survey: _DataFrame,
    transactions: _DataFrame,
    customer: str = "customer_id",
    *,
    survey_customer: str | None = None,
    survey_date: str | None = "date",
    date: str = "date",
    revenue: str = "revenue",
    ratings: Sequence[str] | str | None = None,
    nps: str | None = None,
    cutoff: Any = None,
    active_days: int = 365,
    bgnbd: _cxkit.BgNbdFit | None = None,
    gamma_gamma: _cxkit.GammaGammaFit | None = None,
    unit_days: float = 1.0,
    horizon: float = 365.0,
    months: int = 12,
    discount: float = 0.01,
    period_length: float = 30.0,
    unit: float | None = None,
) -> _DataFrame:
    """One row per customer: what they said (survey) joined with what they did (transactions).

    ``survey`` and ``transactions`` are DataFrames of the same library (pandas or polars); the
    result is a DataFrame of that library. ``customer`` names the id column of both tables
    (``survey_customer`` overrides it for the survey); ids may be strings or integers.
    ``survey_date`` names the survey's date column (None, or a missing column: undated, the
    last row is the latest answer). ``ratings`` are the rating columns (default: every numeric
    survey column but the id and date); ``nps`` names the 0-10 column of ``nps_category``
    (default: the column called "nps", if any).

    Columns: ``customer``, ``in_survey``, ``in_transactions``, ``responses``,
    ``last_response``, ``response_recency_days``, ``<rating>_latest`` and ``<rating>_mean``,
    ``nps_category``, ``first_purchase``, ``last_purchase``, ``recency_days``, ``frequency``
    (purchase days), ``monetary`` (net revenue per purchase day), ``revenue``, ``tenure_days``,
    ``active`` (last purchase fewer than ``active_days`` days before the cut-off; None without
    purchases) and, with fitted models, ``expected_purchases`` (over ``horizon`` days),
    ``p_alive`` and ``clv`` (``months`` months, monthly ``discount``). Rows after ``cutoff``
    (default: the latest date in either table) are ignored. ``unit_days``: days per time unit
    of the fits (default 1: fits in days); ``unit`` is its deprecated former name.

    >>> import pandas as pd, cxkit
    >>> survey = pd.DataFrame({"customer_id": ["a", "a", "c"],
    ...     "date": pd.to_datetime(["2026-01-05", "2026-03-01", "2026-02-01"]),
    ...     "nps": [6, 9, 10], "ease": [3.0, 5.0, 4.0]})
    >>> log = pd.DataFrame({"customer_id": ["a", "b", "a"],
    ...     "date": pd.to_datetime(["2026-01-02", "2026-01-20", "2026-03-01"]),
    ...     "revenue": [5.0, 7.0, 15.0]})
    >>> v = cxkit.customer_view(survey, log)
    >>> v[["customer", "nps_latest", "frequency", "in_survey"]].to_dict("list")
    {'customer': ['a', 'b', 'c'], 'nps_latest': [9.0, nan, 10.0], 'frequency': [2, 1, 0], 'in_survey': [True, False, True]}
    >>> v["nps_category"][0], v["recency_days"].tolist()
    ('promoter', [0.0, 40.0, nan])
    """
    if not (_is_frame(survey) and _is_frame(transactions)):
        raise TypeError("survey and transactions must be pandas or polars DataFrames")
    if unit is not None:
        warnings.warn(
            "customer_view(unit=) is deprecated: use unit_days= (the core's name)",
            DeprecationWarning,
            stacklevel=2,
        )
        unit_days = unit
    lib = _library(transactions)
    s_id = survey_customer or customer
    s_ids, t_ids = survey[s_id], transactions[customer]
    n_survey = len(s_ids)
    codes, labels = _customer_codes(_concat(s_ids, t_ids))
    codes = np.ascontiguousarray(codes, dtype=np.uint32)
    s_codes = np.ascontiguousarray(codes[:n_survey])
    t_codes = np.ascontiguousarray(codes[n_survey:])
    has_date = survey_date is not None and survey_date in survey.columns
    s_days = _day_array(survey[survey_date]) if has_date else None
    names = _rating_columns(survey, ratings, {s_id, survey_date or ""})
    values = [
        np.ascontiguousarray(
            np.asarray(
                survey[n].cast(float).to_numpy() if _library(survey) == "polars" else survey[n],
                dtype=np.float64,
            )
        )
        for n in names
    ]
    end = None
    if cutoff is not None:
        end = int(_day_array(np.array([cutoff], dtype="datetime64[ns]"))[0])
    cols = _cxkit._customer_view(
        _label_arg(labels),
        s_codes,
        s_days,
        names,
        values,
        t_codes,
        _day_array(transactions[date]),
        _revenue(transactions[revenue]),
        bgnbd=bgnbd,
        gamma_gamma=gamma_gamma,
        cutoff=end,
        active_days=active_days,
        nps=nps,
        unit_days=unit_days,
        horizon=horizon,
        months=months,
        discount=discount,
        period_length=period_length,
    )
    cols.pop("_cutoff")
    for name in ("last_response", "first_purchase", "last_purchase"):
        cols[name] = _dates(cols[name])
    return _output(cols, lib)


def _column(data: Any, name: str) -> Any:
    try:
        return data[name]
    except Exception:
        _cxkit._invalid_argument("features", repr(name), "a column of the DataFrame")
        raise  # unreachable


def _floats(data: Any, name: str) -> np.ndarray:
    col = _column(data, name)
    if _library(col) == "polars":
        col = col.cast(float).to_numpy()
    elif _library(col) == "pandas":
        col = col.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.ascontiguousarray(np.asarray(col, dtype=np.float64))


def _frame(data: Any, columns: list[tuple[str, str]]) -> dict[str, Any]:
    """The columns the core names, read with the caller's library: numbers as float64 (NaN
    for missing), categories as codes with their labels."""
    frame: dict[str, Any] = {}
    for name, use in columns:
        if use == "numeric":
            frame[name] = _floats(data, name)
        else:
            codes, found = _customer_codes(_column(data, name))
            frame[name] = (np.ascontiguousarray(codes, dtype=np.uint32), _label_arg(found))
    return frame


def _option(value: Any) -> Any:
    """A Python value the core reads as an option: a ``range`` of k as ``[first, last]``, a
    ``cxkit.Scale`` as its spec (in a dict of scales too)."""
    if isinstance(value, range) and value.step == 1:
        return [value.start, value.stop - 1]
    if isinstance(value, _cxkit.Scale):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {k: _option(v) for k, v in value.items()}
    return value


class PersonasResult:
    """Personas of a customer base (``cxkit.personas``).

    ``table``: one row per persona (label, size, share, NPS with its interval, revenue share,
    mean CLV, needs, and each feature's mean, z-score and significance against the rest), a
    DataFrame of the caller's library; ``assignments``: each customer's persona (-1 for a
    customer with a missing feature); ``silhouette``: {k: mean silhouette}; ``model``: the
    fitted ``PersonaModel`` (pickles; ``cxkit.assign_personas`` uses it); ``result``: the core
    ``Personas`` object (``to_dict()``, ``to_json()``).
    """

    def __init__(self, result: _cxkit.Personas, lib: str | None) -> None:
        self.result = result
        self._lib = lib

    @property
    def k(self) -> int:
        return self.result.k

    @property
    def personas(self) -> list[dict[str, Any]]:
        return self.result.personas

    @property
    def assignments(self) -> np.ndarray:
        return self.result.assignments

    @property
    def silhouette(self) -> dict[int, float | None]:
        return {s["k"]: s["silhouette"] for s in self.result.scores}

    @property
    def model(self) -> _cxkit.PersonaModel:
        return self.result.model

    @property
    def labels(self) -> list[str]:
        return [p["label"] for p in self.result.personas]

    @property
    def table(self) -> pd.DataFrame | pl.DataFrame:
        rows = self.result.personas
        cols: dict[str, list[Any]] = {
            "persona": [p["id"] for p in rows],
            "label": [p["label"] for p in rows],
            "size": [p["size"] for p in rows],
            "share": [p["share"] for p in rows],
        }
        nps = [p["nps"] for p in rows]
        cols["nps"] = [None if n is None else n["estimate"] for n in nps]
        cols["nps_lower"] = [None if n is None else n["interval"]["lower"] for n in nps]
        cols["nps_upper"] = [None if n is None else n["interval"]["upper"] for n in nps]
        cols["revenue_share"] = [p["revenue_share"] for p in rows]
        cols["mean_clv"] = [p["mean_clv"] for p in rows]
        cols["clv_share"] = [p["clv_share"] for p in rows]
        loyal = [p.get("loyalty") for p in rows]
        if any(r is not None for r in loyal):
            cols["loyalty"] = [None if r is None else r["estimate"] for r in loyal]
            cols["loyalty_lower"] = [None if r is None else r["interval"]["lower"] for r in loyal]
            cols["loyalty_upper"] = [None if r is None else r["interval"]["upper"] for r in loyal]
        cxi = [p.get("cx_index") for p in rows]
        if any(r is not None for r in cxi):
            cols["cx_index"] = [None if r is None else r["estimate"] for r in cxi]
            cols["cx_lower"] = [None if r is None else r["interval"]["lower"] for r in cxi]
            cols["cx_upper"] = [None if r is None else r["interval"]["upper"] for r in cxi]
            cols["cx_band"] = [None if r is None else r["band"] for r in cxi]
            first = next(r for r in cxi if r is not None)
            for j, d in enumerate(first["dimensions"]):
                cols[f"cx_{d['name']}"] = [
                    None if r is None else r["dimensions"][j]["estimate"] for r in cxi
                ]
        drv = [p.get("drivers") for p in rows]
        if any(d is not None for d in drv):
            top = [d["ranking"][0] if d and d["ranking"] else None for d in drv]
            cols["top_driver"] = [None if t is None else t["driver"] for t in top]
            cols["top_driver_share"] = [None if t is None else t["share"] for t in top]
            cols["drivers_r_squared"] = [None if d is None else d["r_squared"] for d in drv]
        cols["distinguishing"] = [", ".join(p["distinguishing"]) for p in rows]
        cols["needs"] = ["; ".join(p["needs"]) for p in rows]
        for j, d in enumerate(rows[0]["differences"] if rows else []):
            f = d["feature"]
            cols[f"{f}_mean"] = [p["differences"][j]["mean"] for p in rows]
            cols[f"{f}_z"] = [p["differences"][j]["z"] for p in rows]
            cols[f"{f}_significant"] = [p["differences"][j]["significant"] for p in rows]
        for j, m in enumerate(rows[0]["modes"] if rows else []):
            cols[f"{m[0]}_mode"] = [p["modes"][j][1] for p in rows]
        return _output(cols, self._lib)

    @property
    def drivers(self) -> pd.DataFrame | pl.DataFrame:
        """The key drivers within each persona, one row per persona and driver (largest LMG
        share first): ``persona``, ``label``, ``outcome``, ``driver``, ``share`` (of R²),
        ``beta``, ``correlation``, ``z`` (the persona's standing on the driver), ``r_squared``,
        ``n`` and ``skipped`` (why a persona has no drivers); a DataFrame of the caller's
        library, empty without ``drivers=``."""
        frame = _call._Frame()
        frame.lib = self._lib
        return _call._table("persona_drivers", self.result._drivers_table(), "", frame)

    def relabel(self, labels: Sequence[str]) -> PersonasResult:
        """The same personas with the user's labels (one per persona, in order)."""
        if len(labels) != self.k:
            _cxkit._length_mismatch("personas", self.k, "labels", len(labels))
        d = self.result.to_dict()
        for p, label in zip(d["personas"], labels):
            p["label"] = str(label)
        import json

        return PersonasResult(_cxkit.Personas.from_json(json.dumps(d)), self._lib)

    def __repr__(self) -> str:
        return repr(self.result)

    def _repr_html_(self) -> str:
        return self.result._repr_html_()

    def plot(self, ax: Any = None, *, title: str | None = None, **kwargs: Any) -> Any:
        """Each persona's share of customers as horizontal bars, labelled with its label and
        needs (matplotlib, the ``plot`` extra); returns the Axes."""
        from cxkit.plot import BLUE, _axes

        rows = self.result.personas
        ax = _axes(ax, (8, 0.9 + 0.5 * len(rows)))
        y = list(range(len(rows)))[::-1]
        share = [100 * p["share"] for p in rows]
        ax.barh(y, share, color=BLUE, **kwargs)
        ax.set_yticks(y, [f"{p['id']}: {p['label']}" for p in rows])
        for yi, p, s in zip(y, rows, share):
            ax.annotate(
                f"{s:.0f}%  {p['needs'][0]}",
                (s, yi),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        ax.set_xlabel("share of customers (%)")
        ax.set_title(title or f"{self.k} personas")
        ax.spines[["top", "right"]].set_visible(False)
        return ax


def personas(
    data: Any,
    features: Sequence[str],
    categorical: Sequence[str] = (),
    *,
    k: int | range | tuple[int, int] | None = None,
    k_min: int = 2,
    k_max: int = 6,
    seed: int = 0,
    n_init: int = 10,
    max_iter: int = 300,
    tol: float = 1e-4,
    gamma: float | None = None,
    silhouette_sample: int = 5000,
    nps: str | None = None,
    revenue: str | None = None,
    clv: str | None = None,
    loyalty: str | None = None,
    drivers: Sequence[str] | Mapping[str, str] | None = None,
    cx_dims: Sequence[str] | Mapping[str, str] | None = None,
    cx_scales: Any = None,
    cx_method: str = "net",
    cx_dim_weights: Any = None,
    threshold: float = 0.5,
    alpha: float = 0.05,
) -> PersonasResult:
    """Data-driven personas: k-means (numeric features) or k-prototypes (with ``categorical``)
    on standardised features, k chosen by silhouette, each persona profiled.

    ``data``: a pandas or polars DataFrame, e.g. a ``customer_view``; ``features``: numeric
    columns (z-scored with the population SD); ``categorical``: category columns (k-prototypes,
    Huang 1998, mismatch weight ``gamma``, default 0.5). ``k``: an int, a range or (min, max)
    (default ``k_min``..``k_max``, 2..6): the k with the highest mean silhouette (on a seeded sample of
    ``silhouette_sample`` customers) wins; all scores are in ``.silhouette``. ``n_init`` seeded
    k-means++ restarts (run in parallel); each stops after ``max_iter`` iterations, when no
    assignment changes, or when the prototypes moved by at most ``tol`` in total squared
    z-score distance (scikit-learn's rule; 0: only on no change). The same ``seed`` gives the
    same personas in Python, Node and Rust.
    ``nps``, ``revenue``, ``clv`` name columns for the profiles (NPS with interval, revenue
    share, mean CLV); ``loyalty`` a 0/1 outcome column (each persona's loyalty rate with its
    Wilson interval). ``threshold``: |z| at which a feature distinguishes a persona;
    ``alpha``: level of the Holm-adjusted persona-vs-rest Welch tests.

    ``drivers``: columns whose key-driver analysis runs within each persona (standardised
    betas and LMG shares of R², no bootstrap) on the ``loyalty`` outcome (``nps`` without
    one); the leading drivers become the persona's first needs ("improve ease (key driver:
    41% of the explained loyalty; rated low)"); ``.drivers`` has the table. ``cx_dims``: each
    customer's latest answer to each CX dimension (a customer view's ``<dim>_latest``
    columns) for each persona's CX index with its interval and band (``cx_scales``,
    ``cx_method``, ``cx_dim_weights`` as in ``cxkit.cx_index``). Both take column names (the
    ``_latest`` / ``_mean`` suffix is dropped from the name) or a dict {name: column}.

    >>> import pandas as pd, cxkit
    >>> df = pd.DataFrame({"ease": [1.0, 1.5, 1.2, 6.8, 7.0, 6.5],
    ...                    "revenue": [10.0, 12.0, 11.0, 90.0, 95.0, 99.0]})
    >>> p = cxkit.personas(df, features=["ease", "revenue"])
    >>> p.k, p.assignments.tolist()
    (2, [0, 0, 0, 1, 1, 1])
    >>> p.labels
    ['low value, low ease', 'high value, high ease']
    """
    if not _is_frame(data):
        raise TypeError("data must be a pandas or polars DataFrame")
    features = [features] if isinstance(features, str) else list(features)
    categorical = [categorical] if isinstance(categorical, str) else list(categorical)
    options = {
        "categorical": categorical,
        "k": _option(k),
        "k_min": k_min,
        "k_max": k_max,
        "seed": seed,
        "n_init": n_init,
        "max_iter": max_iter,
        "tol": tol,
        "gamma": gamma,
        "silhouette_sample": silhouette_sample,
        "nps": nps,
        "revenue": revenue,
        "clv": clv,
        "loyalty": loyalty,
        "drivers": drivers,
        "cx_dims": cx_dims,
        "cx_scales": _option(cx_scales),
        "cx_method": cx_method,
        "cx_dim_weights": cx_dim_weights,
        "threshold": threshold,
        "alpha": alpha,
    }
    frame = _frame(data, _cxkit._personas_columns(features, **options))
    result = _cxkit._personas(frame, features, **options)
    return PersonasResult(result, _library(data))


def assign_personas(model: Any, data: Any) -> np.ndarray:
    """Assign customers of ``data`` (a DataFrame with the model's feature columns) to the
    personas of ``model`` (a ``PersonaModel`` or a ``PersonasResult``); -1 for a missing
    feature. Categories are matched by label.

    >>> import pandas as pd, pickle, cxkit
    >>> df = pd.DataFrame({"ease": [1.0, 1.5, 1.2, 6.8, 7.0, 6.5]})
    >>> model = pickle.loads(pickle.dumps(cxkit.personas(df, ["ease"], k=2).model))
    >>> cxkit.assign_personas(model, pd.DataFrame({"ease": [6.9, 1.1]})).tolist()
    [1, 0]
    """
    if isinstance(model, PersonasResult):
        model = model.model
    return model._assign(_frame(data, model._columns()))
