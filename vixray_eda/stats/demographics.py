"""Demographics: age and sex per split, age bands, the age × sex pyramid, finding prevalence by group.

Every table is tidy (one row per group) and carries counts, so small cells stay visible. Group labels:
splits in the order train, val, test, then others alphabetically, then ``"all"``; sex ``M``, ``F``, ``"missing"``.
Ages are the cleaned ages of the canonical frame (NaN when missing or implausible); sd is the sample standard
deviation (ddof=1) and quartiles use linear interpolation (numpy's default).
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from vixray_eda.data.clean import is_missing_text, parse_age
from vixray_eda import published
from vixray_eda.data.schema import require_columns, split_order
from vixray_eda.errors import DataError, ParameterError
from vixray_eda.labels import phrase
from vixray_eda.stats.counts import summarize

__all__ = [
    "AGE_BANDS", "PUBLISHED_MEAN_AGE", "age_band", "age_summary", "implausible_ages", "sex_counts",
    "age_sex_table", "prevalence_by_group", "published_age_comparison", "age_json", "sex_json",
    "json_number", "age_counts", "age_summary_from_counts", "sex_counts_from_counts",
]

ALL = "all"
MISSING = "missing"
SEX_ORDER: tuple[str, ...] = ("M", "F", MISSING)
#: Ordered age-band labels: under 40, ten-year bands 40–89, then 90 and over.
AGE_BANDS: tuple[str, ...] = ("<40", "40–49", "50–59", "60–69", "70–79", "80–89", "≥90")
_BAND_EDGES = [-math.inf, 40, 50, 60, 70, 80, 90, math.inf]
#: The dataset card's mean age: "about 69–70" in every split.
PUBLISHED_MEAN_AGE: tuple[float, float] = published.MEAN_AGE_RANGE
MENTION_COLUMNS = ("doc", "concept", "kind", "assertion")


def json_number(value: Any, digits: int = 4) -> float | int | None:
    """A JSON-ready number: ints stay ints, floats rounded to `digits`, NaN/None → None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    value = float(value)
    return None if math.isnan(value) else round(value, digits)


def age_band(ages: Iterable[float] | pd.Series) -> pd.Series:
    """Age bands as an ordered categorical (<40, 40–49, …, 80–89, ≥90); NaN ages stay missing."""
    values = pd.Series(ages, dtype="float64") if not isinstance(ages, pd.Series) else ages.astype("float64")
    return pd.cut(values, bins=_BAND_EDGES, right=False, labels=list(AGE_BANDS), ordered=True)


def _sex_label(df: pd.DataFrame) -> pd.Series:
    return df["sex"].astype("object").where(df["sex"].notna(), MISSING).astype(str)


def _group_keys(df: pd.DataFrame, column: str) -> pd.Series:
    if column == "sex":
        return _sex_label(df)
    if column == "age_band":
        return age_band(df["age"]).astype("object").where(df["age"].notna(), MISSING).astype(str)
    return df[column].astype("object").where(df[column].notna(), MISSING).astype(str)


def _level_order(column: str, values: Iterable[str]) -> list[str]:
    present = set(values)
    if column == "split":
        return split_order(present)
    if column == "sex":
        return [s for s in SEX_ORDER if s in present] + sorted(present - set(SEX_ORDER))
    if column == "age_band":
        return [b for b in AGE_BANDS if b in present] + ([MISSING] if MISSING in present else [])
    return sorted(present)


AGE_COUNT_COLUMNS = ["split", "sex", "age", "count"]
_QUARTILES = (("median", 0.5), ("q1", 0.25), ("q3", 0.75))


def age_counts(df: pd.DataFrame) -> pd.DataFrame:
    """The mergeable form of the age and sex statistics: ``split, sex, age, count`` (age NaN when missing; sex
    M/F/missing, all missing when the frame has no sex column). Chunks are merged with `stats.counts.sum_by`."""
    require_columns(df, ("split", "age"), "age_counts")
    sex = _sex_label(df).to_numpy(dtype=object) if "sex" in df.columns else np.full(len(df), MISSING, object)
    frame = pd.DataFrame({"split": df["split"].astype(str).to_numpy(dtype=object), "sex": sex,
                          "age": df["age"].astype("float64").to_numpy()})
    return frame.groupby(["split", "sex", "age"], dropna=False, sort=True).size().rename("count").reset_index()


def _age_row(table: pd.DataFrame) -> dict[str, Any]:
    known = table[table["age"].notna()]
    row: dict[str, Any] = {"n": int(known["count"].sum()), "missing": int(table.loc[table["age"].isna(), "count"].sum())}
    counts = known.groupby("age")["count"].sum().to_dict()
    stats = summarize(counts, _QUARTILES)
    row |= {k: stats[k] for k in ("mean", "sd", "median", "q1", "q3")}
    return row | {"iqr": stats["q3"] - stats["q1"], "min": stats["min"], "max": stats["max"]}


def age_summary(df: pd.DataFrame, by: Sequence[str] = ("split",)) -> pd.DataFrame:
    """Age statistics per group: the `by` columns, then n, missing, mean, sd, median, q1, q3, iqr, min, max.

    Every subset of `by` is also summarised with the other columns set to ``"all"`` (for ``by=("split", "sex")``:
    split × sex, split × all, all × sex and all × all), so the frame always has an overall ``"all"`` row.
    """
    return age_summary_from_counts(age_counts(df), by)


def age_summary_from_counts(table: pd.DataFrame, by: Sequence[str] = ("split",)) -> pd.DataFrame:
    """`age_summary` from an `age_counts` table (`by` ⊆ split, sex)."""
    by = tuple(by)
    if not set(by) <= {"split", "sex"}:
        raise ParameterError(f"age_summary: by must name split and/or sex, not {', '.join(by)}")
    rows = []
    for mask in itertools.product((False, True), repeat=len(by)):  # True = this column collapsed to "all"
        kept = [col for col, collapsed in zip(by, mask) if not collapsed]
        levels = [_level_order(col, table[col]) for col in kept]
        for combo in itertools.product(*levels):
            selected = pd.Series(True, index=table.index)
            for col, level in zip(kept, combo):
                selected &= table[col] == level
            if kept and not selected.any():
                continue
            labels = dict(zip(kept, combo)) | {col: ALL for col, c in zip(by, mask) if c}
            rows.append({col: labels[col] for col in by} | _age_row(table[selected]))
    out = pd.DataFrame(rows, columns=[*by, "n", "missing", "mean", "sd", "median", "q1", "q3", "iqr", "min", "max"])
    return _sort_groups(out, by)


def _sort_groups(out: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    if out.empty:
        return out.reset_index(drop=True)
    rank_cols = []
    for col in by:
        order = _level_order(col, [v for v in out[col] if v != ALL]) + [ALL]
        out[f"_rank_{col}"] = out[col].map({v: i for i, v in enumerate(order)})
        rank_cols.append(f"_rank_{col}")
    return out.sort_values(rank_cols, kind="stable").drop(columns=rank_cols).reset_index(drop=True)


def implausible_ages(df: pd.DataFrame) -> pd.DataFrame:
    """Rows whose source age was given but is missing after cleaning: id, split, age_raw, reason.

    reason is ``"implausible"`` (a number outside the plausible range) or ``"unparseable"`` (not a number).
    """
    require_columns(df, ("id", "split", "age", "age_raw"), "implausible_ages")
    raw = df["age_raw"].astype("object")
    given = ~raw.map(is_missing_text).astype(bool)
    flagged = df.loc[given & df["age"].isna(), ["id", "split", "age_raw"]].copy()
    flagged["reason"] = flagged["age_raw"].map(lambda v: "unparseable" if parse_age(v) is None else "implausible")
    flagged["age_raw"] = flagged["age_raw"].astype(str)
    return flagged.reset_index(drop=True)


def sex_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Sex counts and shares per split and overall: split, sex (M/F/missing), count, share (of the split's rows)."""
    require_columns(df, ("split", "sex"), "sex_counts")
    return sex_counts_from_counts(age_counts(df.assign(age=np.nan) if "age" not in df.columns else df))


def sex_counts_from_counts(table: pd.DataFrame) -> pd.DataFrame:
    """`sex_counts` from an `age_counts` table."""
    per = table.groupby(["split", "sex"])["count"].sum()
    rows = []
    for split in [*split_order(table["split"]), ALL]:
        part = per if split == ALL else per[per.index.get_level_values("split") == split]
        by_sex = part.groupby(level="sex").sum()
        total = int(by_sex.sum())
        for label in SEX_ORDER:
            count = int(by_sex.get(label, 0))
            rows.append({"split": split, "sex": label, "count": count, "share": count / total if total else math.nan})
    return pd.DataFrame(rows, columns=["split", "sex", "count", "share"])


def age_sex_table(df: pd.DataFrame) -> pd.DataFrame:
    """Pyramid data: band, sex, count, split for every age band × M/F (zeros included), per split and ``"all"``.

    Rows with a missing age or sex cannot be placed on the pyramid and are left out (see `age_summary`/`sex_counts`).
    """
    require_columns(df, ("split", "age", "sex"), "age_sex_table")
    bands = age_band(df["age"])
    sex = _sex_label(df)
    rows = []
    for split in [*split_order(df["split"]), ALL]:
        in_split = pd.Series(True, index=df.index) if split == ALL else df["split"].astype(str) == split
        for band in AGE_BANDS:
            for label in ("M", "F"):
                count = int((in_split & (bands == band) & (sex == label)).sum())
                rows.append({"band": band, "sex": label, "count": count, "split": split})
    out = pd.DataFrame(rows, columns=["band", "sex", "count", "split"])
    out["band"] = pd.Categorical(out["band"], categories=list(AGE_BANDS), ordered=True)
    return out


def prevalence_by_group(
    df: pd.DataFrame, mentions: pd.DataFrame, field: str = "findings", by: str = "age_band",
) -> pd.DataFrame:
    """Share of reports with a present finding, per group: group, concept, reports, n_group, share.

    `mentions` is `extract_mentions(df[field])` (``doc`` = row position in `df`); only ``kind == "finding"`` and
    ``assertion == "present"`` count, once per report. Every group × concept cell is listed, zeros included;
    `n_group` is the number of reports in the group and `share = reports / n_group`. `by` is ``"age_band"``
    (bands plus ``"missing"``), ``"sex"`` (M/F/missing) or ``"split"``. `field` names the text the mentions came
    from and only labels the result.
    """
    if by not in ("age_band", "sex", "split"):
        raise ParameterError(f"prevalence_by_group: by must be 'age_band', 'sex' or 'split', not {by!r}")
    require_columns(df, ("age",) if by == "age_band" else (by,), "prevalence_by_group")
    require_columns(mentions, MENTION_COLUMNS, "prevalence_by_group mentions")
    groups = _group_keys(df, by).reset_index(drop=True)
    docs = pd.to_numeric(mentions["doc"], errors="coerce")
    if docs.isna().any() or ((docs < 0) | (docs >= len(df))).any():
        raise DataError(f"prevalence_by_group: mention doc positions must be 0..{len(df) - 1} (rows of {field})")
    present = mentions.loc[(mentions["kind"] == "finding") & (mentions["assertion"] == "present"), ["doc", "concept"]]
    present = present.assign(doc=present["doc"].astype(int)).drop_duplicates()
    present["group"] = groups.iloc[present["doc"].to_numpy()].to_numpy()
    counts = present.groupby(["group", "concept"]).size()
    n_group = groups.value_counts()
    levels = _level_order(by, groups)
    concepts = sorted(present["concept"].astype(str).unique())
    rows = []
    for group in levels:
        for concept in concepts:
            reports = int(counts.get((group, concept), 0))
            n = int(n_group.get(group, 0))
            rows.append({"group": group, "concept": concept, "reports": reports, "n_group": n,
                         "share": reports / n if n else math.nan})
    return pd.DataFrame(rows, columns=["group", "concept", "reports", "n_group", "share"])


def published_age_comparison(summary: pd.DataFrame, tolerance: float = 1.0) -> pd.DataFrame:
    """Mean age per split (an `age_summary(df, by=("split",))` frame) against the published "about 69–70".

    Columns: split, n, mean, published, difference (years outside the 69–70 range, 0 inside it), verdict.
    A mean inside the range is "consistent", within `tolerance` years of it "close", otherwise "differs"; the
    verdict is also kept as a `Phrase` (``verdict_phrase``) for the card's language.
    """
    require_columns(summary, ("split", "n", "mean"), "published_age_comparison")
    low, high = PUBLISHED_MEAN_AGE
    rows = []
    published = f"about {low:g}–{high:g}"
    for rec in summary.to_dict("records"):
        mean = rec["mean"]
        if pd.isna(mean):
            diff, verdict = math.nan, phrase("age_verdict.none")
        else:
            diff = 0.0 if low <= mean <= high else (mean - high if mean > high else mean - low)
            kind = "consistent" if diff == 0 else "close" if abs(diff) <= tolerance else "differs"
            verdict = phrase(f"age_verdict.{kind}", low=f"{low:g}", high=f"{high:g}", mean=f"{mean:.1f}")
        rows.append({"split": rec["split"], "n": rec["n"], "mean": mean, "published": published,
                     "difference": diff, "verdict": verdict.text("en"), "verdict_phrase": verdict})
    return pd.DataFrame(rows, columns=["split", "n", "mean", "published", "difference", "verdict", "verdict_phrase"])


def age_json(summary: pd.DataFrame) -> dict[str, dict[str, float | int | None]]:
    """stats.json ``age`` from an `age_summary` by split: ``{split or "all": {n, mean, sd, median}}``, floats rounded
    to 4 decimals, NaN → None."""
    return {rec["split"]: {k: json_number(rec[k]) for k in ("n", "mean", "sd", "median")}
            for rec in summary.to_dict("records")}


def sex_json(counts: pd.DataFrame) -> dict[str, dict[str, int]]:
    """stats.json ``sex`` from `sex_counts`: ``{split or "all": {M, F, missing}}`` counts."""
    out: dict[str, dict[str, int]] = {}
    for rec in counts.to_dict("records"):
        out.setdefault(rec["split"], {})[rec["sex"]] = int(rec["count"])
    return out
