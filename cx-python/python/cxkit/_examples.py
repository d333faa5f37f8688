"""Doctest examples of the public functions, keyed by function name.

``scripts/contract.py`` puts each into the docstring of its function in ``cxkit/_api.py``
(generated from the core's contract); ``tests/test_docstrings.py`` runs them.
"""

EXAMPLES: dict[str, str] = {
    "nps": """
>>> import cxkit
>>> r = cxkit.nps([0] * 20 + [7] * 30 + [10] * 50)
>>> round(r.estimate, 6), [round(x, 4) for x in r.interval]
(30.0, [14.0511, 44.2013])
>>> r.promoters, r.passives, r.detractors
(50, 30, 20)
""",
    "nps_difference": """
>>> import cxkit
>>> a = [0] * 20 + [7] * 30 + [10] * 50
>>> b = [0] * 30 + [7] * 30 + [10] * 40
>>> d = cxkit.nps_difference(a, b)
>>> round(d.estimate, 6), round(d.std_error, 5), round(d.p_value, 5)
(20.0, 11.40175, 0.07941)
""",
    "top_box": """
>>> import cxkit
>>> r = cxkit.top_box([5, 4, 4, 3, 1, 5, 2, 4], scale="csat")
>>> r.count, r.n, r.estimate
(5, 8, 0.625)
""",
    "bottom_box": """
>>> import cxkit
>>> cxkit.bottom_box([0, 6, 7, 9, 10], scale="nps").count
2
""",
    "csat": """
>>> import cxkit
>>> r = cxkit.csat([5, 4, 3, None])
>>> round(r.estimate, 6), r.missing
(0.666667, 1)
""",
    "mean": """
>>> import cxkit
>>> m = cxkit.mean([7, 6, 5, 5, 3], scale="ces")
>>> round(m.estimate, 6), round(m.std_dev ** 2, 6)
(5.2, 2.2)
""",
    "ces": """
>>> import cxkit
>>> cxkit.ces([7, 6, 5]).estimate
6.0
""",
    "distribution": """
>>> import cxkit
>>> cxkit.distribution([5, 5, 4, 1], scale="csat").shares
[0.25, 0.0, 0.0, 0.25, 0.5]
""",
    "nps_by": """
>>> import cxkit
>>> t = cxkit.nps_by([10, 9, 3, 0], by=['a', 'a', 'b', 'b'], min_base=1)
>>> list(t["group"])
['a', 'b']
""",
    "csat_by": """
>>> import cxkit
>>> t = cxkit.csat_by([5, 4, 1, 2], by=['a', 'a', 'b', 'b'], min_base=1)
>>> list(t["group"])
['a', 'b']
""",
    "ces_by": """
>>> import cxkit
>>> t = cxkit.ces_by([7, 6, 2, 3], by=['a', 'a', 'b', 'b'], min_base=1)
>>> list(t["group"])
['a', 'b']
""",
    "top_box_by": """
>>> import cxkit
>>> t = cxkit.top_box_by([5, 4, 1, 2], by=['a', 'a', 'b', 'b'], min_base=1, scale='csat')
>>> list(t["group"])
['a', 'b']
""",
    "bottom_box_by": """
>>> import cxkit
>>> t = cxkit.bottom_box_by([5, 4, 1, 2], by=['a', 'a', 'b', 'b'], min_base=1, scale='csat')
>>> list(t["group"])
['a', 'b']
""",
    "mean_by": """
>>> import cxkit
>>> t = cxkit.mean_by([7, 6, 2, 3], by=['a', 'a', 'b', 'b'], min_base=1, scale='ces')
>>> list(t["group"])
['a', 'b']
""",
    "loyalty_lift": """
>>> import cxkit
>>> r = cxkit.loyalty_lift(outcome=[1] * 56 + [0] * 14 + [1] * 48 + [0] * 32,
...                        exposure=[1] * 70 + [0] * 80)
>>> [round(x, 4) for x in r.risk_difference.interval]    # Newcombe (1998): 0.0524, 0.3339
[0.0524, 0.3339]
""",
    "mean_lift": """
>>> import cxkit
>>> r = cxkit.mean_lift(outcome=[10.0, 12, 14, 5, 6, 7], exposure=[1, 1, 1, 0, 0, 0])
>>> round(r.difference.estimate, 6), round(r.ratio.estimate, 6)
(6.0, 2.0)
""",
    "loyalty_curve": """
>>> import cxkit
>>> c = cxkit.loyalty_curve(score=[10, 10, 0, 0, 5], outcome=[1, 1, 0, 1, 1])
>>> list(c["rate"].round(2)[[0, 5, 10]])
[0.5, 1.0, 1.0]
""",
    "revenue_impact": """
>>> import cxkit
>>> r = cxkit.revenue_impact(outcome=[1, 1, 1, 0, 1, 0, 0, 0], exposure=[1] * 4 + [0] * 4,
...                          customers={"promoters": 5000, "detractors": 2000},
...                          revenue_per_customer=100.0, share=0.1)
>>> round(r.retained_change.estimate, 6), round(r.revenue_change.estimate, 6)
(100.0, 10000.0)
""",
    "key_drivers": """
>>> import cxkit
>>> t = cxkit.key_drivers(drivers={"ease": [1, 2, 3, 4, 5, 2], "emotion": [2, 1, 4, 3, 5, 5]},
...                       outcome=[1, 2, 4, 4, 6, 5], resamples=0)
>>> bool(abs(t["lmg"].sum() - t.attrs["r_squared"]) < 1e-12)
True
""",
    "retention": """
>>> import cxkit
>>> t = cxkit.retention(
...     customer=["a", "b", "a"],
...     date=["2026-01-05", "2026-01-09", "2026-02-02"],
...     revenue=[10.0, 4.0, 12.0],
... )
>>> feb = t.rows[1]
>>> feb["active"], feb["retained"], feb["churned"], feb["retention_rate"]
(1, 1, 1, 0.5)
>>> round(feb["nrr"], 4), round(feb["grr"], 4)
(0.8571, 0.7143)
""",
    "cohorts": """
>>> import cxkit
>>> c = cxkit.cohorts(
...     customer=[1, 2, 1, 3],
...     date=["2026-01-05", "2026-01-09", "2026-02-02", "2026-02-03"],
...     revenue=[10.0, 4.0, 12.0, 1.0],
... )
>>> c.cohorts, c.customers
(['2026-01', '2026-02'], [[2, 1], [1, None]])
>>> c.average_retention
[1.0, 0.5]
""",
    "acquisition": """
>>> import cxkit
>>> t = cxkit.acquisition(
...     customer=[1, 2, 1],
...     date=["2026-01-05", "2026-01-09", "2026-02-02"],
...     revenue=[10.0, 4.0, 12.0],
...     channel=["web", "ads", "web"],
... )
>>> [(r["period"], r["channel"], r["new"], r["retained_next"]) for r in t.rows[:2]]
[('2026-01', 'ads', 1, 0), ('2026-01', 'web', 1, 1)]
""",
    "activity": """
>>> import cxkit
>>> a = cxkit.activity(customer=["a", "b"], date=["2026-01-05", "2026-01-09"], revenue=[10.0, 4.0])
>>> b = cxkit.activity(customer=["a"], date=["2026-02-02"], revenue=[12.0])
>>> cxkit.retention(a.merge(b)).rows[1]["retained"]
1
""",
    "cx_index": """
>>> import cxkit
>>> r = cxkit.cx_index({"effectiveness": [5, 4, 2, 5, 3, 4],
...                     "ease": [4, 2, 1, 5, None, 4],
...                     "emotion": [5, 3, 2, 4, 1, None]})
>>> round(r.estimate, 4), r.band, r.weakest, [d.estimate for d in r.dimensions]
(23.3333, 'very poor', 'emotion', [50.0, 20.0, 0.0])
>>> round(r.std_error, 4)
33.8825
""",
    "cx_index_by": """
>>> import cxkit
>>> t = cxkit.cx_index_by({"a": [5, 4, 1, 2], "b": [5, 5, 2, 1]}, by=["x", "x", "y", "y"],
...                       min_base=1)
>>> t["group"].tolist(), t["estimate"].tolist(), t["band"].tolist()
(['x', 'y'], [100.0, -100.0], ['excellent', 'very poor'])
""",
    "fit_sbg": """
>>> import cxkit
>>> f = cxkit.fit_sbg([1, 0.869, 0.743, 0.653, 0.593, 0.551, 0.517, 0.491])
>>> round(f.alpha, 3), round(f.beta, 3)
(0.668, 3.806)
>>> [round(float(s), 3) for s in f.survival([8, 9, 10, 11, 12])]
[0.46, 0.436, 0.414, 0.395, 0.378]
""",
    "fit_bgnbd": """
>>> import cxkit
>>> f = cxkit.fit_bgnbd(frequency=[0, 2, 5, 1], recency=[0, 10, 30, 3], T=[38, 35, 36, 30])
>>> f.converged, f.n
(True, 4)
""",
    "fit_gamma_gamma": """
>>> import cxkit
>>> g = cxkit.fit_gamma_gamma(frequency=[1, 2, 3, 1, 4], monetary_value=[20, 35, 28, 50, 31])
>>> g.n, g.excluded
(5, 0)
""",
    "margin_multiplier": """
>>> import cxkit
>>> round(cxkit.margin_multiplier(100.0, 0.8, 0.1), 4)
266.6667
""",
    "response_curve": """
>>> import cxkit
>>> c = cxkit.response_curve(0.4, 50.0, 0.2)
>>> round(c.rate(50.0), 6)
0.2
""",
    "customer_equity": """
>>> import cxkit
>>> ce = cxkit.customer_equity(
...     margin=100.0, discount=0.1,
...     acquisition=cxkit.response_curve(0.4, 50.0, 0.2),
...     retention=cxkit.response_curve(0.9, 20.0, 0.6),
...     acquisition_spend=30.0, retention_spend=10.0,
... )
>>> ce.optimum.customer_equity >= ce.budget_optimum.customer_equity >= ce.current.customer_equity
True
""",
}
