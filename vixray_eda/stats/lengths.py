"""Report lengths in four named units: ``chars`` (normalized text), ``syllables``, ``words`` (underthesea, lexicon
terms whole) and ``sentences``. Missing/empty texts are not lengths: they are left out of ``n`` and every statistic.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from vixray_eda import published
from vixray_eda.data.schema import require_columns, split_order
from vixray_eda.stats.counts import summarize
from vixray_eda.text.lexicon import Lexicon
from vixray_eda.text.pipeline import TextAnalysis, analyze_frame

__all__ = ["UNITS", "PUBLISHED_TOKEN_MEANS", "report_lengths", "length_counts", "length_table",
           "length_table_from_counts", "published_comparison"]

UNITS = ("chars", "syllables", "words", "sentences")
# Published mean report length in "tokens" (tokenizer not stated), by split and field.
PUBLISHED_TOKEN_MEANS = published.TOKEN_MEANS


def report_lengths(df: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"),
                   analysis: TextAnalysis | None = None, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Per-report lengths in long form: ``id, split, field, unit, length`` (non-empty texts only).

    `analysis` may be passed when `analyze_frame(df, fields)` was already run (it is cached either way).
    """
    fields = list(fields)
    require_columns(df, ("split", *fields))
    a = analysis if analysis is not None else analyze_frame(df, fields, lexicon=lexicon)
    n = len(df)
    ids = df["id"].to_numpy() if "id" in df.columns else np.arange(n)
    parts = []
    for f_idx, field in enumerate(fields):
        docs = a.docs.iloc[f_idx * n:(f_idx + 1) * n]
        keep = (docs["chars"] > 0).to_numpy()
        for unit in UNITS:
            parts.append(pd.DataFrame({
                "id": ids[keep],
                "split": df["split"].astype(str).to_numpy()[keep],
                "field": field,
                "unit": unit,
                "length": docs[unit].to_numpy()[keep].astype("int64"),
            }))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["id", "split", "field", "unit", "length"])
    return out


LENGTH_COUNT_COLUMNS = ["split", "field", "unit", "length", "count"]
SUMMARY_COLUMNS = ["split", "field", "unit", "n", "mean", "sd", "median", "p5", "p95", "min", "max"]
_PERCENTILES = (("median", 0.5), ("p5", 0.05), ("p95", 0.95))


def length_counts(df: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"),
                  analysis: TextAnalysis | None = None, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """The mergeable form of `length_table`: ``split, field, unit, length, count`` (non-empty texts only)."""
    long = report_lengths(df, fields, analysis=analysis, lexicon=lexicon)
    return long.groupby(["split", "field", "unit", "length"], sort=True).size().rename("count").reset_index()


def length_table(df: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"),
                 analysis: TextAnalysis | None = None, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """``split, field, unit, n, mean, sd, median, p5, p95, min, max``: one row per split × field × unit, then split
    "all". Units: chars, syllables, words, sentences. sd uses ddof=1; percentiles are linear."""
    counts = length_counts(df, fields, analysis=analysis, lexicon=lexicon)
    return length_table_from_counts(counts, split_order(df["split"].astype(str).unique()), fields)


def length_table_from_counts(counts: pd.DataFrame, splits: Sequence[str],
                             fields: Sequence[str] = ("findings", "impressions")) -> pd.DataFrame:
    """`length_table` from a `length_counts` table, for `splits` (in order) and "all"."""
    grouped = {key: part.groupby("length")["count"].sum().to_dict()
               for key, part in counts.groupby(["split", "field", "unit"], sort=False)}
    rows = []
    for split in [*splits, "all"]:
        for field in fields:
            for unit in UNITS:
                if split == "all":
                    merged: dict = {}
                    for s in splits:
                        for value, c in grouped.get((s, field, unit), {}).items():
                            merged[value] = merged.get(value, 0) + c
                else:
                    merged = grouped.get((split, field, unit), {})
                rows.append({"split": split, "field": field, "unit": unit, **summarize(merged, _PERCENTILES)})
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    out["n"] = out["n"].astype("int64")
    return out


def published_comparison(lengths: pd.DataFrame) -> pd.DataFrame:
    """The published "tokens" means beside each unit's mean, for the published splits and fields that have text.

    Columns: ``split, field, published, chars, syllables, words, sentences, best_unit`` (the unit whose mean is
    closest to the published one for that row). ``attrs["best_unit"]`` is the unit with the smallest mean absolute
    relative error over all rows (the card's one-line answer to "which tokenizer did the paper use?").
    """
    rows = []
    for (split, field), reported in PUBLISHED_TOKEN_MEANS.items():
        sel = lengths[(lengths["split"] == split) & (lengths["field"] == field)]
        if sel.empty:
            continue
        means = {u: float(sel.loc[sel["unit"] == u, "mean"].iloc[0]) if (sel["unit"] == u).any() else np.nan
                 for u in UNITS}
        errors = {u: abs(m - reported) / reported for u, m in means.items() if not np.isnan(m)}
        if not errors:  # no text in this split and field
            continue
        best = min(errors, key=lambda u: (errors[u], UNITS.index(u)))
        rows.append({"split": split, "field": field, "published": reported, **means, "best_unit": best})
    out = pd.DataFrame(rows, columns=["split", "field", "published", *UNITS, "best_unit"])
    if not out.empty:
        err = {u: float(np.nanmean(np.abs(out[u] - out["published"]) / out["published"])) for u in UNITS}
        out.attrs["best_unit"] = min(err, key=lambda u: (err[u], UNITS.index(u)))
        out.attrs["mean_relative_error"] = err
    return out
