"""Exact statistics from value counts: the mergeable form of a numeric column.

A chunk of reports is summarised as ``value → count`` (a report length or an age takes a few hundred distinct
values however many reports there are), chunks are merged by adding counts, and every statistic is computed from
the merged counts, in ascending value order, so the result does not depend on how the rows were chunked:
n, mean (`math.fsum`, correctly rounded), sd (ddof=1), linear-interpolation quantiles (numpy's default method),
min and max. `expand` rebuilds the sorted values for the rank tests (Kruskal–Wallis, Kolmogorov–Smirnov).
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["value_counts", "summarize", "quantile", "expand", "sum_by"]


def value_counts(values: Iterable[float]) -> Counter:
    """``value → count`` of the non-missing `values` (NaN and None left out)."""
    arr = np.asarray([v for v in values if v is not None], dtype="float64")
    arr = arr[~np.isnan(arr)]
    uniq, counts = np.unique(arr, return_counts=True)
    return Counter(dict(zip(uniq.tolist(), counts.tolist())))


def _sorted(counts: Mapping[float, int]) -> tuple[np.ndarray, np.ndarray]:
    items = sorted((float(v), int(c)) for v, c in counts.items() if c)
    values = np.array([v for v, _ in items], dtype="float64")
    return values, np.array([c for _, c in items], dtype="int64")


def quantile(values: np.ndarray, counts: np.ndarray, q: float) -> float:
    """The `q` quantile (linear interpolation between order statistics, numpy's default) of the values `values`
    (ascending, distinct) repeated `counts` times."""
    n = int(counts.sum())
    h = (n - 1) * q
    below = int(math.floor(h))
    ends = np.cumsum(counts)  # the order statistic i (0-based) is values[searchsorted(ends, i, side="right")]
    lo = values[int(np.searchsorted(ends, below, side="right"))]
    hi = values[int(np.searchsorted(ends, min(below + 1, n - 1), side="right"))]
    return float(lo + (hi - lo) * (h - below))


def summarize(counts: Mapping[float, int], quantiles: Sequence[tuple[str, float]] = (("median", 0.5),)
              ) -> dict[str, float]:
    """``n, mean, sd, <quantiles>, min, max`` of the values in `counts` (NaN where undefined; sd needs n ≥ 2)."""
    values, reps = _sorted(counts)
    n = int(reps.sum())
    if n == 0:
        return {"n": 0, "mean": math.nan, "sd": math.nan, **{name: math.nan for name, _ in quantiles},
                "min": math.nan, "max": math.nan}
    mean = math.fsum((values * reps).tolist()) / n
    sd = math.sqrt(math.fsum((reps * (values - mean) ** 2).tolist()) / (n - 1)) if n > 1 else math.nan
    return {"n": n, "mean": mean, "sd": sd, **{name: quantile(values, reps, q) for name, q in quantiles},
            "min": float(values[0]), "max": float(values[-1])}


def expand(counts: Mapping[float, int]) -> np.ndarray:
    """The values of `counts`, each repeated its count, ascending (float64)."""
    values, reps = _sorted(counts)
    return np.repeat(values, reps)


def sum_by(frames: Iterable[pd.DataFrame], keys: Sequence[str]) -> pd.DataFrame:
    """Tables of counts (the same `keys` columns and number columns) as one: numbers added per key, keys sorted,
    missing keys (a missing age) kept as keys. How every count table of a chunk is merged with another's."""
    frame = pd.concat(list(frames), ignore_index=True)
    return frame.groupby(list(keys), sort=True, dropna=False).sum(numeric_only=True).reset_index()
