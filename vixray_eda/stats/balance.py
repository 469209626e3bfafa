"""Split balance: are train, val and test comparable?

One tidy frame, one row per test: ``test, variable, splits, statistic, p_value, verdict``.

- sex: chi-square test of independence on the split × sex (M/F) table; missing sex is left out.
- age and report lengths: Kruskal–Wallis across all splits, then two-sample Kolmogorov–Smirnov per split pair.
- findings: Jensen–Shannon divergence (base 2, so 0 = identical … 1 = disjoint) between the splits' finding
  distributions (share of present finding mentions per concept, each report counting a concept once); no p-value.

A test that cannot be run (one split, no values, all values identical, ...) gives a row with NaN statistic and
p-value and a verdict saying why. p-values are NaN in the frame and None in `balance_records`.
"""
from __future__ import annotations

import importlib
import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from vixray_eda.errors import DataError
from vixray_eda.data.schema import split_order
from vixray_eda.stats.demographics import json_number

__all__ = ["ALPHA", "JSD_BANDS", "sex_balance", "distribution_balance", "age_balance", "length_balance",
           "finding_balance", "split_balance", "balance_records", "p_verdict"]

ALPHA = 0.05
#: Plain-language bands for a Jensen–Shannon divergence (upper bounds, base 2).
JSD_BANDS: tuple[tuple[float, str], ...] = ((0.01, "negligible"), (0.05, "small"), (0.1, "moderate"),
                                            (math.inf, "large"))
COLUMNS = ["test", "variable", "splits", "statistic", "p_value", "verdict"]


def _scipy(module: str) -> Any:
    """scipy.`module`, imported on first use (it takes a second to load; `vixray-eda figures` never needs it)."""
    return importlib.import_module(f"scipy.{module}")


def _row(test: str, variable: str, splits: Sequence[str], statistic: float, p_value: float, verdict: str
         ) -> dict[str, Any]:
    label = " vs ".join(splits) if len(splits) == 2 else ", ".join(splits)
    return {"test": test, "variable": variable, "splits": label, "statistic": float(statistic),
            "p_value": float(p_value), "verdict": verdict}


def _not_run(test: str, variable: str, splits: Sequence[str], why: str) -> dict[str, Any]:
    return _row(test, variable, splits, math.nan, math.nan, f"test not run: {why}")


def _format_p(p: float) -> str:
    return "p<0.001" if p < 0.001 else f"p={p:.2g}" if p < 0.01 else f"p={p:.2f}"


def p_verdict(p: float, alpha: float = ALPHA) -> str:
    """"no evidence the splits differ (p=0.43)" or "the splits differ (p=0.003)"."""
    if p < alpha:
        return f"the splits differ ({_format_p(p)})"
    return f"no evidence the splits differ ({_format_p(p)})"


def sex_balance(df: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Chi-square test of independence of split and sex (M/F; missing sex left out)."""
    if not {"split", "sex"} <= set(df.columns):
        raise DataError("sex_balance: the frame needs columns split and sex")
    known = df.loc[df["sex"].isin(["M", "F"]), ["split", "sex"]].astype(str)
    splits = split_order(df["split"])
    table = pd.crosstab(known["split"], known["sex"]).reindex(index=splits, columns=["M", "F"], fill_value=0)
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    if len(splits) < 2:
        return pd.DataFrame([_not_run("chi-square", "sex", splits, "fewer than two splits")], columns=COLUMNS)
    if table.shape[0] < 2:
        return pd.DataFrame([_not_run("chi-square", "sex", splits, "fewer than two splits with a known sex")],
                            columns=COLUMNS)
    if table.shape[1] < 2:
        return pd.DataFrame([_not_run("chi-square", "sex", splits, f"every known sex is {table.columns[0]}")],
                            columns=COLUMNS)
    result = _scipy("stats").chi2_contingency(table.to_numpy())
    used = list(table.index)
    return pd.DataFrame([_row("chi-square", "sex", used, result.statistic, result.pvalue,
                              p_verdict(result.pvalue, alpha))], columns=COLUMNS)


def distribution_balance(values: pd.Series, splits: pd.Series, variable: str, alpha: float = ALPHA
                         ) -> pd.DataFrame:
    """Kruskal–Wallis across splits, then pairwise two-sample KS, for one numeric variable (NaN left out)."""
    order = split_order(splits)
    groups = {s: values[(splits.astype(str) == s).to_numpy()].dropna().to_numpy(dtype="float64") for s in order}
    rows = []
    filled = [s for s in order if groups[s].size]
    if len(order) < 2:
        rows.append(_not_run("Kruskal–Wallis", variable, order, "fewer than two splits"))
    elif len(filled) < 2:
        rows.append(_not_run("Kruskal–Wallis", variable, order, "fewer than two splits have values"))
    elif np.unique(np.concatenate([groups[s] for s in filled])).size < 2:
        rows.append(_not_run("Kruskal–Wallis", variable, filled, "all values are identical"))
    else:
        result = _scipy("stats").kruskal(*(groups[s] for s in filled))
        rows.append(_row("Kruskal–Wallis", variable, filled, result.statistic, result.pvalue,
                         p_verdict(result.pvalue, alpha)))
    for a, b in itertools.combinations(order, 2):
        if not groups[a].size or not groups[b].size:
            empty = a if not groups[a].size else b
            rows.append(_not_run("Kolmogorov–Smirnov", variable, (a, b), f"no values in {empty}"))
            continue
        result = _scipy("stats").ks_2samp(groups[a], groups[b])
        rows.append(_row("Kolmogorov–Smirnov", variable, (a, b), result.statistic, result.pvalue,
                         p_verdict(result.pvalue, alpha)))
    return pd.DataFrame(rows, columns=COLUMNS)


def age_balance(df: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Kruskal–Wallis and pairwise KS for age across splits."""
    if not {"split", "age"} <= set(df.columns):
        raise DataError("age_balance: the frame needs columns split and age")
    return distribution_balance(df["age"].astype("float64"), df["split"], "age", alpha)


def length_balance(lengths: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Kruskal–Wallis and pairwise KS of report lengths, per field and unit.

    `lengths` is long-form ``[id, split, field, unit, length]``; variable reads e.g. "findings length (words)".
    """
    needed = {"split", "field", "unit", "length"}
    if not needed <= set(lengths.columns):
        raise DataError(f"length_balance: lengths frame needs columns {', '.join(sorted(needed))}")
    parts = []
    for (field, unit), part in lengths.groupby(["field", "unit"], sort=True):
        parts.append(distribution_balance(part["length"].astype("float64").reset_index(drop=True),
                                          part["split"].reset_index(drop=True), f"{field} length ({unit})", alpha))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)


def _jsd_verdict(value: float) -> str:
    band = next(name for bound, name in JSD_BANDS if value < bound)
    return f"{band} difference in finding frequencies (JSD={value:.3f})"


def finding_balance(df: pd.DataFrame, mentions: pd.DataFrame, field: str = "findings") -> pd.DataFrame:
    """Pairwise Jensen–Shannon divergence of the splits' finding distributions (present findings only).

    `mentions` is `extract_mentions(df[field])` (``doc`` = row position in `df`).
    """
    if not {"doc", "concept", "kind", "assertion"} <= set(mentions.columns):
        raise DataError("finding_balance: mentions need columns doc, concept, kind, assertion")
    variable = f"{field} finding frequencies"
    order = split_order(df["split"])
    present = mentions.loc[(mentions["kind"] == "finding") & (mentions["assertion"] == "present"), ["doc", "concept"]]
    present = present.drop_duplicates()
    docs = present["doc"].astype(int).to_numpy()
    if docs.size and (docs.min() < 0 or docs.max() >= len(df)):
        raise DataError(f"finding_balance: mention doc positions must be 0..{len(df) - 1} (rows of {field})")
    present = present.assign(split=df["split"].astype(str).to_numpy()[docs])
    table = pd.crosstab(present["concept"], present["split"]).reindex(columns=order, fill_value=0)
    rows = []
    if len(order) < 2:
        rows.append(_not_run("Jensen–Shannon", variable, order, "fewer than two splits"))
    for a, b in itertools.combinations(order, 2):
        pa, pb = table[a].to_numpy(dtype="float64"), table[b].to_numpy(dtype="float64")
        if pa.sum() == 0 or pb.sum() == 0:
            empty = a if pa.sum() == 0 else b
            rows.append(_not_run("Jensen–Shannon", variable, (a, b), f"no present findings in {empty}"))
            continue
        value = float(_scipy("spatial.distance").jensenshannon(pa, pb, base=2) ** 2)
        rows.append(_row("Jensen–Shannon", variable, (a, b), value, math.nan, _jsd_verdict(value)))
    return pd.DataFrame(rows, columns=COLUMNS)


def split_balance(df: pd.DataFrame, lengths: pd.DataFrame | None = None, mentions: pd.DataFrame | None = None,
                  field: str = "findings", alpha: float = ALPHA) -> pd.DataFrame:
    """All balance tests in one frame: sex, age, then lengths (when given), then findings (when mentions given)."""
    parts = [sex_balance(df, alpha), age_balance(df, alpha)]
    if lengths is not None:
        parts.append(length_balance(lengths, alpha))
    if mentions is not None:
        parts.append(finding_balance(df, mentions, field))
    return pd.concat([p for p in parts if not p.empty], ignore_index=True)


def balance_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records of a balance frame: floats rounded to 4 decimals, NaN → None."""
    return [{**rec, "statistic": json_number(rec["statistic"]), "p_value": json_number(rec["p_value"], 6)}
            for rec in table.to_dict("records")]
