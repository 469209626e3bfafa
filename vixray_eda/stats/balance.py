"""Split balance: are train, val and test comparable?

One tidy frame, one row per test: ``test, variable, splits, statistic, p_value, verdict``.

- sex: chi-square test of independence on the split × sex (M/F) table; missing sex is left out.
- age and report lengths: Kruskal–Wallis across all splits, then two-sample Kolmogorov–Smirnov per split pair.
- findings: Jensen–Shannon divergence (base 2, so 0 = identical … 1 = disjoint) between the splits' finding
  distributions (share of present finding mentions per concept, each report counting a concept once); no p-value.

A test that cannot be run (one split, no values, all values identical, ...) gives a row with NaN statistic and
p-value and a verdict saying why. p-values are NaN in the frame and None in `balance_records`.
Each verdict is also kept as a `Phrase` (column ``verdict_phrase``) so that the card words it in its language.
"""
from __future__ import annotations

import importlib
import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from vixray_eda.errors import DataError
from vixray_eda.labels import Phrase, phrase
from vixray_eda.data.schema import split_order
from vixray_eda.stats.counts import expand, value_counts
from vixray_eda.stats.demographics import json_number

__all__ = ["ALPHA", "JSD_BANDS", "sex_balance", "distribution_balance", "age_balance", "length_balance",
           "finding_balance", "split_balance", "balance_records", "p_verdict"]

ALPHA = 0.05
#: Plain-language bands for a Jensen–Shannon divergence (upper bounds, base 2).
JSD_BANDS: tuple[tuple[float, str], ...] = ((0.01, "negligible"), (0.05, "small"), (0.1, "moderate"),
                                            (math.inf, "large"))
#: The columns of stats.json's balance records (the frame also has ``verdict_phrase``).
COLUMNS = ["test", "variable", "splits", "statistic", "p_value", "verdict"]
FRAME_COLUMNS = [*COLUMNS, "variable_phrase", "verdict_phrase"]


def _scipy(module: str) -> Any:
    """scipy.`module`, imported on first use (it takes a second to load; `vixray-eda figures` never needs it)."""
    return importlib.import_module(f"scipy.{module}")


def _row(test: str, variable: Phrase, splits: Sequence[str], statistic: float, p_value: float, verdict: Phrase
         ) -> dict[str, Any]:
    label = " vs ".join(splits) if len(splits) == 2 else ", ".join(splits)
    return {"test": test, "variable": variable.text("en"), "splits": label, "statistic": float(statistic),
            "p_value": float(p_value), "verdict": verdict.text("en"), "variable_phrase": variable,
            "verdict_phrase": verdict}


def _not_run(test: str, variable: Phrase, splits: Sequence[str], why: str, **values: Any) -> dict[str, Any]:
    return _row(test, variable, splits, math.nan, math.nan, phrase(f"balance.not_run.{why}", **values))


def _format_p(p: float) -> str:
    return "p<0.001" if p < 0.001 else f"p={p:.2g}" if p < 0.01 else f"p={p:.2f}"


def p_verdict(p: float, alpha: float = ALPHA) -> Phrase:
    """"no evidence the splits differ (p=0.43)" or "the splits differ (p=0.003)", as a `Phrase`."""
    return phrase("balance.differ" if p < alpha else "balance.no_evidence", p=_format_p(p))


def sex_balance(df: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Chi-square test of independence of split and sex (M/F; missing sex left out)."""
    if not {"split", "sex"} <= set(df.columns):
        raise DataError("sex_balance: the frame needs columns split and sex")
    known = df.loc[df["sex"].isin(["M", "F"]), ["split", "sex"]].astype(str)
    return sex_balance_from_table(pd.crosstab(known["split"], known["sex"]), split_order(df["split"]), alpha)


def sex_balance_from_table(counts: pd.DataFrame, splits: Sequence[str], alpha: float = ALPHA) -> pd.DataFrame:
    """`sex_balance` from a split × sex table of counts (index splits, columns M and F; others ignored)."""
    table = counts.reindex(index=list(splits), columns=["M", "F"], fill_value=0)
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    variable = phrase("balance.variable.sex")
    if len(splits) < 2:
        return pd.DataFrame([_not_run("chi-square", variable, splits, "fewer_splits")], columns=FRAME_COLUMNS)
    if table.shape[0] < 2:
        return pd.DataFrame([_not_run("chi-square", variable, splits, "fewer_known_sex")],
                            columns=FRAME_COLUMNS)
    if table.shape[1] < 2:
        return pd.DataFrame([_not_run("chi-square", variable, splits, "one_sex", sex=table.columns[0])],
                            columns=FRAME_COLUMNS)
    result = _scipy("stats").chi2_contingency(table.to_numpy())
    used = list(table.index)
    return pd.DataFrame([_row("chi-square", variable, used, result.statistic, result.pvalue,
                              p_verdict(result.pvalue, alpha))], columns=FRAME_COLUMNS)


def distribution_balance(values: pd.Series, splits: pd.Series, variable: Phrase, alpha: float = ALPHA
                         ) -> pd.DataFrame:
    """Kruskal–Wallis across splits, then pairwise two-sample KS, for one numeric variable (NaN left out), named by
    the `Phrase` `variable`."""
    order = split_order(splits)
    counts = {s: value_counts(values[(splits.astype(str) == s).to_numpy()]) for s in order}
    return distribution_balance_from_counts(counts, variable, alpha)


def distribution_balance_from_counts(counts: dict[str, Mapping[float, int]], variable: Phrase, alpha: float = ALPHA
                                     ) -> pd.DataFrame:
    """`distribution_balance` from each split's ``value → count`` (splits in the package's order). The tests see
    the same values in every case: sorted, as `counts.expand` rebuilds them."""
    order = list(counts)
    groups = {s: expand(counts[s]) for s in order}
    rows = []
    filled = [s for s in order if groups[s].size]
    if len(order) < 2:
        rows.append(_not_run("Kruskal–Wallis", variable, order, "fewer_splits"))
    elif len(filled) < 2:
        rows.append(_not_run("Kruskal–Wallis", variable, order, "fewer_filled"))
    elif len(set().union(*(counts[s] for s in filled))) < 2:
        rows.append(_not_run("Kruskal–Wallis", variable, filled, "identical"))
    else:
        result = _scipy("stats").kruskal(*(groups[s] for s in filled))
        rows.append(_row("Kruskal–Wallis", variable, filled, result.statistic, result.pvalue,
                         p_verdict(result.pvalue, alpha)))
    for a, b in itertools.combinations(order, 2):
        if not groups[a].size or not groups[b].size:
            empty = a if not groups[a].size else b
            rows.append(_not_run("Kolmogorov–Smirnov", variable, (a, b), "no_values", split=empty))
            continue
        result = _scipy("stats").ks_2samp(groups[a], groups[b])
        rows.append(_row("Kolmogorov–Smirnov", variable, (a, b), result.statistic, result.pvalue,
                         p_verdict(result.pvalue, alpha)))
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def age_balance(df: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Kruskal–Wallis and pairwise KS for age across splits."""
    if not {"split", "age"} <= set(df.columns):
        raise DataError("age_balance: the frame needs columns split and age")
    return distribution_balance(df["age"].astype("float64"), df["split"], phrase("balance.variable.age"), alpha)


def length_balance(lengths: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Kruskal–Wallis and pairwise KS of report lengths, per field and unit.

    `lengths` is long-form ``[id, split, field, unit, length]``; variable reads e.g. "findings length (words)".
    """
    needed = {"split", "field", "unit", "length"}
    if not needed <= set(lengths.columns):
        raise DataError(f"length_balance: lengths frame needs columns {', '.join(sorted(needed))}")
    counts = lengths.groupby(["split", "field", "unit", "length"]).size().rename("count").reset_index()
    return length_balance_from_counts(counts, split_order(lengths["split"]), alpha)


def length_balance_from_counts(counts: pd.DataFrame, splits: Sequence[str], alpha: float = ALPHA) -> pd.DataFrame:
    """`length_balance` from a `stats.lengths.length_counts` table (``split, field, unit, length, count``)."""
    parts = []
    for (field, unit), part in counts.groupby(["field", "unit"], sort=True):
        per_split = {s: part[part["split"] == s].groupby("length")["count"].sum().to_dict() for s in splits}
        parts.append(distribution_balance_from_counts(
            per_split, phrase("balance.variable.length", field=field, unit=unit), alpha))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=FRAME_COLUMNS)


def _jsd_verdict(value: float) -> Phrase:
    band = next(name for bound, name in JSD_BANDS if value < bound)
    return phrase(f"balance.jsd.{band}", jsd=f"{value:.3f}")


def finding_balance(df: pd.DataFrame, mentions: pd.DataFrame, field: str = "findings") -> pd.DataFrame:
    """Pairwise Jensen–Shannon divergence of the splits' finding distributions (present findings only).

    `mentions` is `extract_mentions(df[field])` (``doc`` = row position in `df`).
    """
    if not {"doc", "concept", "kind", "assertion"} <= set(mentions.columns):
        raise DataError("finding_balance: mentions need columns doc, concept, kind, assertion")
    present = mentions.loc[(mentions["kind"] == "finding") & (mentions["assertion"] == "present"), ["doc", "concept"]]
    present = present.drop_duplicates()
    docs = present["doc"].astype(int).to_numpy()
    if docs.size and (docs.min() < 0 or docs.max() >= len(df)):
        raise DataError(f"finding_balance: mention doc positions must be 0..{len(df) - 1} (rows of {field})")
    present = present.assign(split=df["split"].astype(str).to_numpy()[docs])
    return finding_balance_from_table(pd.crosstab(present["concept"], present["split"]), split_order(df["split"]),
                                      field)


def finding_balance_from_table(table: pd.DataFrame, splits: Sequence[str], field: str = "findings") -> pd.DataFrame:
    """`finding_balance` from a concept × split table of reports with the finding present."""
    variable = phrase("balance.variable.findings", field=field)
    table = table.sort_index().reindex(columns=list(splits), fill_value=0)
    rows = []
    if len(splits) < 2:
        rows.append(_not_run("Jensen–Shannon", variable, splits, "fewer_splits"))
    for a, b in itertools.combinations(splits, 2):
        pa, pb = table[a].to_numpy(dtype="float64"), table[b].to_numpy(dtype="float64")
        if pa.sum() == 0 or pb.sum() == 0:
            empty = a if pa.sum() == 0 else b
            rows.append(_not_run("Jensen–Shannon", variable, (a, b), "no_findings", split=empty))
            continue
        value = float(_scipy("spatial.distance").jensenshannon(pa, pb, base=2) ** 2)
        rows.append(_row("Jensen–Shannon", variable, (a, b), value, math.nan, _jsd_verdict(value)))
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def split_balance(df: pd.DataFrame, lengths: pd.DataFrame | None = None, mentions: pd.DataFrame | None = None,
                  field: str = "findings", alpha: float = ALPHA) -> pd.DataFrame:
    """All balance tests in one frame: sex, age, then lengths (when given), then findings (when mentions given)."""
    parts = [sex_balance(df, alpha), age_balance(df, alpha)]
    if lengths is not None:
        parts.append(length_balance(lengths, alpha))
    if mentions is not None:
        parts.append(finding_balance(df, mentions, field))
    return pd.concat([p for p in parts if not p.empty], ignore_index=True)


def split_balance_from_counts(ages: pd.DataFrame, lengths: pd.DataFrame, present: pd.DataFrame,
                              splits: Sequence[str], field: str = "findings", alpha: float = ALPHA) -> pd.DataFrame:
    """`split_balance` from merged counts: `stats.demographics.age_counts`, `stats.lengths.length_counts` and a
    concept × split table of reports with the finding present in `field`."""
    sexes = ages.groupby(["split", "sex"])["count"].sum().unstack("sex", fill_value=0)
    known = ages[ages["age"].notna()]
    per_split = {s: known[known["split"] == s].groupby("age")["count"].sum().to_dict() for s in splits}
    parts = [sex_balance_from_table(sexes, splits, alpha),
             distribution_balance_from_counts(per_split, phrase("balance.variable.age"), alpha),
             length_balance_from_counts(lengths, splits, alpha),
             finding_balance_from_table(present, splits, field)]
    return pd.concat([p for p in parts if not p.empty], ignore_index=True)


def balance_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records of a balance frame: floats rounded to 4 decimals, NaN → None."""
    return [{**rec, "statistic": json_number(rec["statistic"]), "p_value": json_number(rec["p_value"], 6)}
            for rec in table[COLUMNS].to_dict("records")]
