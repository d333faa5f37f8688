"""Lifetime-value model fits: ``fit_sbg``, ``fit_bgnbd``, ``fit_gamma_gamma``.

Each returns an immutable fit (maximum likelihood in the Rust core, argmin's optimisers) whose
methods take arrays and return numpy arrays. A fit that does not converge raises
``NotConvergedError`` with its last state (or, with ``strict=False``, returns the fit with
``converged=False``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cxkit import _cxkit
from cxkit._by import _is_frame


def _column(data: Any, given: Any, name: str) -> Any:
    """Column ``name`` of an Rfm result or a DataFrame, or the array given directly."""
    if given is not None:
        return given
    if data is None:
        raise TypeError(f"{name}= is required without an Rfm result or a DataFrame")
    if isinstance(data, _cxkit.Rfm):
        return getattr(data, name)
    if _is_frame(data):
        return data[name].to_numpy()
    raise TypeError(
        f"data must be an Rfm result (cxkit.rfm) or a DataFrame with a {name!r} column, "
        f"not {type(data).__name__}"
    )


def fit_sbg(
    alive: Any,
    *,
    max_iterations: int = 2000,
    tolerance: float = 1e-10,
    initial: Sequence[float] | None = None,
    strict: bool = True,
) -> _cxkit.SbgFit:
    """Fit the shifted-beta-geometric model (Fader & Hardie 2007) to a cohort's survivors.

    ``alive[t]`` is the number (or share) of the cohort still customers after t periods,
    starting with the cohort itself: ``[1000, 869, 743, ...]`` or ``[1, 0.869, ...]``.

    >>> import cxkit
    >>> f = cxkit.fit_sbg([1, 0.869, 0.743, 0.653, 0.593, 0.551, 0.517, 0.491])
    >>> round(f.alpha, 3), round(f.beta, 3)
    (0.668, 3.806)
    >>> [round(float(s), 3) for s in f.survival([8, 9, 10, 11, 12])]
    [0.46, 0.436, 0.414, 0.395, 0.378]
    """
    return _cxkit._fit_sbg(
        alive,
        max_iterations=max_iterations,
        tolerance=tolerance,
        initial=None if initial is None else [float(x) for x in initial],
        strict=strict,
    )


def fit_bgnbd(
    data: Any = None,
    *,
    frequency: Any = None,
    recency: Any = None,
    T: Any = None,
    max_iterations: int = 2000,
    tolerance: float = 1e-10,
    initial: Sequence[float] | None = None,
    strict: bool = True,
) -> _cxkit.BgNbdFit:
    """Fit the BG/NBD model (Fader, Hardie & Lee 2005) by maximum likelihood.

    ``data`` is an ``Rfm`` result (``cxkit.rfm``) or a DataFrame with columns frequency,
    recency and T; or pass the three arrays. ``initial``: (r, alpha, a, b).

    >>> import cxkit
    >>> f = cxkit.fit_bgnbd(frequency=[0, 2, 5, 1], recency=[0, 10, 30, 3], T=[38, 35, 36, 30])
    >>> f.converged, f.n
    (True, 4)
    """
    return _cxkit._fit_bgnbd(
        _column(data, frequency, "frequency"),
        _column(data, recency, "recency"),
        _column(data, T, "T"),
        max_iterations=max_iterations,
        tolerance=tolerance,
        initial=None if initial is None else [float(x) for x in initial],
        strict=strict,
    )


def fit_gamma_gamma(
    data: Any = None,
    *,
    frequency: Any = None,
    monetary_value: Any = None,
    max_iterations: int = 2000,
    tolerance: float = 1e-10,
    initial: Sequence[float] | None = None,
    strict: bool = True,
) -> _cxkit.GammaGammaFit:
    """Fit the Gamma-Gamma spend model (Fader, Hardie & Lee 2005) by maximum likelihood.

    Uses the customers with repeat purchases (frequency > 0) and a positive monetary value;
    repeat buyers with a monetary value <= 0 (net refunds) are left out and counted in
    ``excluded``. ``initial``: (p, q, v).

    >>> import cxkit
    >>> g = cxkit.fit_gamma_gamma(frequency=[1, 2, 3, 1, 4], monetary_value=[20, 35, 28, 50, 31])
    >>> g.n, g.excluded
    (5, 0)
    """
    return _cxkit._fit_gamma_gamma(
        _column(data, frequency, "frequency"),
        _column(data, monetary_value, "monetary_value"),
        max_iterations=max_iterations,
        tolerance=tolerance,
        initial=None if initial is None else [float(x) for x in initial],
        strict=strict,
    )
