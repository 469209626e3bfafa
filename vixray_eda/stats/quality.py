"""Data quality and leakage: per-column checks, duplicate reports, templates, cross-split leakage, the loading log.

Keys used for comparing reports:

- **exact**: the raw text as stored.
- **normalized**: `normalize_text` (NFC, tone-mark placement, whitespace, punctuation spacing), then case-folded,
  with trailing punctuation and spaces (``. , ; : ! ?``) stripped. "Bóng tim to." and "bóng tim  to" share a key.
- **report**: findings and impressions together (``findings + "\\n" + impressions``, each keyed as above).

Empty texts are missing values, not duplicates: they are left out of duplicate, template and leakage counts.

**Leakage** between splits a and b: a normalized report (findings + impressions) present in both. Radiology has
legitimate templated normal reports, so each split pair reports the number of shared distinct reports, the rows
of each split carrying one and their share of that split's non-empty reports, and separately
``non_template_reports``: shared reports seen fewer than `template_min` times in the whole corpus (a report
seen ``template_min`` times or more counts as a common template).
"""
from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from vixray_eda.data.clean import as_text, is_missing_text, map_unique
from vixray_eda.data.schema import TEXT_FIELDS, require_columns, split_order
from vixray_eda.errors import ParameterError
from vixray_eda.stats.digests import FrameLookup, Lookup, by_text, digest_table, positions, split_ranks
from vixray_eda.stats.registry import StatisticInputs, statistic
from vixray_eda.text.normalize import normalize_text

__all__ = ["PLACEHOLDERS", "TEMPLATE_MIN", "normalized_key", "report_keys", "column_quality", "duplicates",
           "top_templates", "leakage", "leakage_table", "image_leakage", "quality_log_table", "empty_reports"]

#: Whole-cell values that stand for "nothing here" (compared after NFC, strip and case-fold).
PLACEHOLDERS: frozenset[str] = frozenset({"-", ".", "không", "none", "n/a", "null"})
#: A normalized report seen this many times or more in the corpus is a common template.
TEMPLATE_MIN = 5
REPORT = "report"
_TRAILING = ".,;:!? \n"


def normalized_key(text: Any) -> str:
    """Normalized comparison key: `normalize_text`, case-folded, trailing punctuation and spaces stripped."""
    return normalize_text(text).casefold().rstrip(_TRAILING)


def report_keys(df: pd.DataFrame, field: str, kind: str = "normalized") -> pd.Series:
    """Comparison key per row for `field` ∈ findings/impressions/report and `kind` ∈ exact/normalized ("" = empty)."""
    if kind not in ("exact", "normalized"):
        raise ParameterError(f"kind must be 'exact' or 'normalized', not {kind!r}")
    key = normalized_key if kind == "normalized" else as_text
    if field == REPORT:
        require_columns(df, TEXT_FIELDS)
        return _joined(map_unique(df["findings"], key).astype(str), map_unique(df["impressions"], key).astype(str))
    if field not in TEXT_FIELDS:
        raise ParameterError(f"field must be findings, impressions or report, not {field!r}")
    require_columns(df, (field,))
    return map_unique(df[field], key).astype(str)


def _joined(findings: pd.Series, impressions: pd.Series) -> pd.Series:
    both = findings + "\n" + impressions
    return both.where((findings != "") | (impressions != ""), "")


def _rows(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(split, position within split) of every row: the order keys of `stats.digests`."""
    splits = df["split"].astype(str).to_numpy(dtype=object) if "split" in df.columns else np.full(len(df), "", object)
    return splits, positions(splits)


COLUMN_COUNTS = ["column", "rows", "missing", "empty", "whitespace_only", "placeholder", "filled"]
COLUMN_QUALITY = ["column", "rows", "missing", "empty", "whitespace_only", "placeholder", "distinct", "constant",
                  "top_value", "top_share"]


def column_counts(df: pd.DataFrame, splits: np.ndarray, pos: np.ndarray) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The mergeable part of `column_quality` for one chunk: per column the summable counts (`COLUMN_COUNTS`;
    ``filled`` = non-blank values) and the digest table of its non-blank values. `id` has no digest table: `load`
    makes ids unique, so its distinct values are its filled rows and its most common value is its first."""
    rows, values = [], {}
    for column in df.columns:
        if column == "image":
            continue
        series = df[column]
        missing = series.isna()
        texts = series[~missing].astype(str)
        is_text = map_unique(series[~missing], lambda v: isinstance(v, str)).astype(bool)
        blank = texts.str.strip() == ""
        folded = map_unique(texts, lambda v: normalize_text(v).strip().casefold())
        rows.append({"column": column, "rows": len(series), "missing": int(missing.sum()),
                     "empty": int(((texts == "") & is_text).sum()),
                     "whitespace_only": int(((texts != "") & blank & is_text).sum()),
                     "placeholder": int((folded.isin(PLACEHOLDERS) & is_text).sum()), "filled": int((~blank).sum())})
        if column != "id":
            kept = series.astype(object).where(~missing, "").astype(str)
            values[column] = digest_table(kept.where(kept.str.strip() != "", ""), splits, pos)
    return pd.DataFrame(rows, columns=COLUMN_COUNTS), values


def column_table(counts: pd.DataFrame, values: dict[str, pd.DataFrame], lookup: Lookup) -> pd.DataFrame:
    """`column_quality` from merged `column_counts` (counts summed per column, digest tables merged). The most
    common value's ties go to the value seen first; its text is read back with `lookup`."""
    out = []
    for rec in counts.to_dict("records"):
        column = rec["column"]
        if column in values:
            texts = by_text(values[column])
            distinct = len(texts)
            found = (texts.assign(_rank=texts["split"].map(split_ranks(texts["split"].unique())))
                     .sort_values(["count", "_rank", "first"], ascending=[False, True, True], kind="stable")
                     .head(1).to_dict("records"))
        else:  # ids: each unique, the first row's is the most common
            distinct = rec["filled"]
            found = [{"count": 1, "split": lookup.first_split(), "first": 0}] if distinct else []
        value = str(lookup(column, found[0]["split"], found[0]["first"])) if found else None
        out.append({**{k: rec[k] for k in COLUMN_COUNTS if k != "filled"}, "distinct": int(distinct),
                    "constant": bool(distinct <= 1), "top_value": value,
                    "top_share": float(found[0]["count"] / rec["rows"]) if found else math.nan})
    return pd.DataFrame(out, columns=COLUMN_QUALITY)


def column_quality(df: pd.DataFrame) -> pd.DataFrame:
    """Per column: column, rows, missing, empty, whitespace_only, placeholder, distinct, constant, top_value, top_share.

    `missing` counts NA values; `empty` exact empty strings; `whitespace_only` non-empty strings of spaces only;
    `placeholder` whole-cell placeholders (`PLACEHOLDERS`); `distinct` the distinct non-missing, non-empty values;
    `constant` is True when at most one distinct value exists (e.g. a `view` column that is always "PA");
    `top_value` the most common value (ties: the first seen). The `image` column (binary) is skipped.
    """
    splits, pos = _rows(df)
    return column_table(*column_counts(df, splits, pos), FrameLookup(df))


DUPLICATE_COLUMNS = ["split", "field", "kind", "reports", "distinct", "duplicate_rows", "groups", "share"]
KEY_KINDS = ("exact", "normalized")


def text_digests(df: pd.DataFrame, splits: np.ndarray, pos: np.ndarray) -> dict[tuple[str, str], pd.DataFrame]:
    """The mergeable part of `duplicates`, `top_templates`' counts and `leakage`: a digest table per field
    (findings, impressions, report) and key kind (exact, normalized)."""
    require_columns(df, TEXT_FIELDS)
    keyed = {}
    for kind in KEY_KINDS:
        keyed[("findings", kind)] = report_keys(df, "findings", kind)
        keyed[("impressions", kind)] = report_keys(df, "impressions", kind)
        keyed[(REPORT, kind)] = _joined(keyed[("findings", kind)], keyed[("impressions", kind)])
    return {key: digest_table(keys, splits, pos) for key, keys in keyed.items()}


def duplicate_table(tables: dict[tuple[str, str], pd.DataFrame], splits: Sequence[str]) -> pd.DataFrame:
    """`duplicates` from merged `text_digests`, for `splits` (in order; a split without text gives zeros)."""
    rows = []
    for field in (*TEXT_FIELDS, REPORT):
        for kind in KEY_KINDS:
            table = tables[(field, kind)]
            for split in [*splits, "all"]:
                counts = (by_text(table) if split == "all" else table[table["split"] == split])["count"]
                n, distinct = int(counts.sum()), len(counts)
                rows.append({"split": split, "field": field, "kind": kind, "reports": n, "distinct": distinct,
                             "duplicate_rows": n - distinct, "groups": int((counts >= 2).sum()),
                             "share": (n - distinct) / n if n else math.nan})
    return pd.DataFrame(rows, columns=DUPLICATE_COLUMNS)


def duplicates(df: pd.DataFrame) -> pd.DataFrame:
    """Duplicate reports within each split (and ``"all"``), per field and key kind.

    Columns: split, field (findings/impressions/report), kind (exact/normalized), reports (non-empty), distinct,
    duplicate_rows (rows repeating a text seen earlier in the split = reports − distinct), groups (texts seen
    twice or more), share (duplicate_rows / reports).
    """
    require_columns(df, ("split", *TEXT_FIELDS))
    return duplicate_table(text_digests(df, *_rows(df)), split_order(df["split"]))


def top_templates(df: pd.DataFrame, field: str = "findings", n: int = 10) -> pd.DataFrame:
    """The `n` most repeated normalized texts of `field` (findings/impressions/report) over the whole corpus.

    Columns: rank, template (the first row's raw text), count, share (of non-empty texts), splits (rows per split,
    e.g. "train 120, val 14"), example_id. Ties are broken by the first row in which the text appears.
    """
    if n < 1:
        raise ParameterError(f"top_templates: n must be at least 1, not {n}")
    keys = report_keys(df, field, "normalized")
    ids = df["id"].astype(str) if "id" in df.columns else pd.Series(df.index.astype(str), index=df.index)
    if field == REPORT:
        raw = df["findings"].map(as_text) + "\n" + df["impressions"].map(as_text)
    else:
        raw = df[field].map(as_text)
    frame = pd.DataFrame({"key": keys.to_numpy(), "raw": raw.to_numpy(), "id": ids.to_numpy(),
                          "split": df["split"].astype(str).to_numpy(), "pos": range(len(df))})
    frame = frame[frame["key"] != ""]
    total = len(frame)
    columns = ["rank", "template", "count", "share", "splits", "example_id"]
    if not total:
        return pd.DataFrame(columns=columns)
    grouped = frame.groupby("key", sort=False)
    summary = grouped.agg(count=("pos", "size"), first=("pos", "min")).reset_index()
    summary = summary.sort_values(["count", "first"], ascending=[False, True], kind="stable").head(n)
    firsts = frame.set_index("pos")
    rows = []
    for rank, rec in enumerate(summary.to_dict("records"), start=1):
        per_split = frame.loc[frame["key"] == rec["key"], "split"].value_counts()
        splits = ", ".join(f"{s} {int(per_split[s])}" for s in split_order(per_split.index))
        first = firsts.loc[rec["first"]]
        rows.append({"rank": rank, "template": first["raw"], "count": int(rec["count"]),
                     "share": rec["count"] / total, "splits": splits, "example_id": first["id"]})
    return pd.DataFrame(rows, columns=columns)


def cross_split(table: pd.DataFrame, splits: Sequence[str], lookup: Lookup, template_min: int | None,
                max_examples: int, unit: str) -> list[dict[str, Any]]:
    """Texts (a digest table) found in more than one of `splits`, one record per split pair: the number of shared
    texts (`unit`), the rows of each split carrying one and their share of the split's texts, the shared texts
    under `template_min` occurrences in the whole corpus (when given), and the ids (read with `lookup`) of the
    first row of each split for the rarest shared texts first."""
    corpus = by_text(table).set_index("digest")
    ranks = split_ranks(corpus["split"].unique())
    corpus["_order"] = list(zip(corpus["split"].map(ranks), corpus["first"]))
    by_split = {s: table[table["split"] == s].set_index("digest") for s in splits}
    records = []
    for a, b in itertools.combinations(splits, 2):
        fa, fb = by_split[a], by_split[b]
        shared = sorted(fa.index.intersection(fb.index), key=lambda k: (corpus.at[k, "count"], corpus.at[k, "_order"]))
        rows_a, rows_b = int(fa.loc[shared, "count"].sum()), int(fb.loc[shared, "count"].sum())
        total_a, total_b = int(fa["count"].sum()), int(fb["count"].sum())
        record: dict[str, Any] = {
            "splits": [a, b], unit: len(shared),
            "rows": {a: rows_a, b: rows_b},
            "share": {a: rows_a / total_a if total_a else None, b: rows_b / total_b if total_b else None},
        }
        if template_min is not None:
            record["non_template_reports"] = sum(1 for k in shared if corpus.at[k, "count"] < template_min)
            record["template_min"] = template_min
        record["examples"] = [[str(lookup("id", a, int(fa.at[k, "first"]))), str(lookup("id", b, int(fb.at[k, "first"])))]
                              for k in shared[:max_examples]]
        records.append(record)
    return records


def leakage(df: pd.DataFrame, template_min: int = TEMPLATE_MIN, max_examples: int = 5) -> list[dict[str, Any]]:
    """Normalized reports (findings + impressions) found in more than one split, one record per split pair.

    Record: ``{splits: [a, b], reports, rows: {a, b}, share: {a, b}, non_template_reports, template_min,
    examples: [[id_a, id_b], ...]}``. `reports` counts distinct shared reports; examples list the rarest shared
    reports first (the most suspicious), ids of their first row in each split. Pairs with no leakage are listed
    with zeros.
    """
    require_columns(df, ("split", *TEXT_FIELDS))
    splits, pos = _rows(df)
    table = digest_table(report_keys(df, REPORT), splits, pos)
    return cross_split(table, split_order(splits), FrameLookup(df), template_min, max_examples, "reports")


def leakage_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Flatten `leakage`/`image_leakage` records for display: splits "a / b", counts, rows_a/rows_b, shares."""
    rows = []
    for rec in records:
        a, b = rec["splits"]
        unit = "reports" if "reports" in rec else "images"
        row = {"splits": f"{a} / {b}", unit: rec[unit]}
        if "non_template_reports" in rec:
            row["non_template_reports"] = rec["non_template_reports"]
        row |= {"rows_a": rec["rows"][a], "rows_b": rec["rows"][b], "share_a": rec["share"][a],
                "share_b": rec["share"][b], "examples": "; ".join(f"{x} = {y}" for x, y in rec["examples"])}
        rows.append(row)
    return pd.DataFrame(rows)


def _image_hash(value: Any) -> str:
    data = value.get("bytes") if isinstance(value, dict) else value
    if not isinstance(data, (bytes, bytearray, memoryview)) or not len(data):
        return ""
    return hashlib.sha256(bytes(data)).hexdigest()


def image_leakage(df: pd.DataFrame, max_examples: int = 5) -> list[dict[str, Any]]:
    """Identical image bytes (SHA-256) found in more than one split, one record per split pair.

    `df` has an ``image`` column (a loaded frame) or a ``sha256`` column (the `image_stats` per-image frame, which
    streams the images once). Record: ``{splits: [a, b], images, rows: {a, b}, share: {a, b}, examples: [[id_a,
    id_b], ...]}``; rows without image bytes are left out.
    """
    column = "sha256" if "sha256" in df.columns else "image"
    require_columns(df, ("split", column))
    hashes = df[column].fillna("") if column == "sha256" else df[column].map(_image_hash)
    splits, pos = _rows(df)
    table = digest_table(hashes.astype(str), splits, pos)
    return cross_split(table, split_order(splits), FrameLookup(df), None, max_examples, "images")


def quality_log_table(df: pd.DataFrame) -> pd.DataFrame:
    """The loading quality log (``df.attrs["quality"]``) as a table: check, column, rows, examples, detail."""
    return log_table(df.attrs.get("quality", []) or [])


def log_table(records: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Loading quality records as a table: check, column, rows, examples, detail."""
    rows = [{"check": str(r.get("check", "")), "column": str(r.get("column", "")), "rows": int(r.get("rows", 0)),
             "examples": "; ".join(str(e) for e in r.get("examples", []) or []), "detail": str(r.get("detail", ""))}
            for r in records]
    return pd.DataFrame(rows, columns=["check", "column", "rows", "examples", "detail"])


def _empty_reports_table(counts: pd.DataFrame) -> pd.DataFrame:
    rows = []
    per = counts.set_index("split")
    for split in split_order(per.index) + ["all"]:
        n = int(per["reports"].sum() if split == "all" else per.at[split, "reports"])
        k = int(per["empty"].sum() if split == "all" else per.at[split, "empty"])
        rows.append((split, n, k, k / n if n else 0.0))
    return pd.DataFrame(rows, columns=["split", "reports", "empty", "share"])


@statistic("empty_reports", section="quality", formats={"reports": "integer", "empty": "integer", "share": "percent"},
           finish=_empty_reports_table)
def empty_reports(inputs: StatisticInputs) -> pd.DataFrame:
    """Reports whose findings and impressions are both missing or blank, per split (counts; the card's table adds
    "all" and the share): ``split, reports, empty``."""
    df = inputs.frame
    empty = (map_unique(df["findings"], is_missing_text) & map_unique(df["impressions"], is_missing_text))
    frame = pd.DataFrame({"split": df["split"].astype(str).to_numpy(), "empty": empty.to_numpy(dtype=bool)})
    out = frame.groupby("split", sort=True).agg(reports=("empty", "size"), empty=("empty", "sum")).reset_index()
    return out.astype({"empty": "int64"})
