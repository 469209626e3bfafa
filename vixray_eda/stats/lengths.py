"""Report lengths in four named units: ``chars`` (normalized text), ``syllables``, ``words`` (underthesea, lexicon
terms whole) and ``sentences``. Missing/empty texts are not lengths: they are left out of ``n`` and every statistic.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from vixray_eda import published
from vixray_eda.data.schema import require_columns, split_order
from vixray_eda.text.lexicon import Lexicon
from vixray_eda.text.pipeline import TextAnalysis, analyze_frame

__all__ = ["UNITS", "PUBLISHED_TOKEN_MEANS", "report_lengths", "length_table", "published_comparison"]

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


def _summary(values: np.ndarray) -> dict[str, float]:
    if len(values) == 0:
        return dict(n=0, mean=np.nan, sd=np.nan, median=np.nan, p5=np.nan, p95=np.nan, min=np.nan, max=np.nan)
    v = values.astype(float)
    return dict(n=len(v), mean=float(v.mean()), sd=float(v.std(ddof=1)) if len(v) > 1 else np.nan,
                median=float(np.median(v)), p5=float(np.percentile(v, 5)), p95=float(np.percentile(v, 95)),
                min=float(v.min()), max=float(v.max()))


def length_table(df: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"),
                 analysis: TextAnalysis | None = None, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """``split, field, unit, n, mean, sd, median, p5, p95, min, max``: one row per split × field × unit, then split
    "all". Units: chars, syllables, words, sentences. sd uses ddof=1; percentiles are linear."""
    long = report_lengths(df, fields, analysis=analysis, lexicon=lexicon)
    rows = []
    splits = split_order(df["split"].astype(str).unique()) + ["all"]
    for split in splits:
        part = long if split == "all" else long[long["split"] == split]
        for field in fields:
            for unit in UNITS:
                sel = part[(part["field"] == field) & (part["unit"] == unit)]["length"].to_numpy()
                rows.append({"split": split, "field": field, "unit": unit, **_summary(sel)})
    out = pd.DataFrame(rows, columns=["split", "field", "unit", "n", "mean", "sd", "median", "p5", "p95", "min", "max"])
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
