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
from typing import Any

import pandas as pd

from vixray_eda.data.clean import as_text, is_missing_text, map_unique
from vixray_eda.data.schema import TEXT_FIELDS, require_columns, split_order
from vixray_eda.errors import ParameterError
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
        return _joined(df["findings"].map(key).astype(str), df["impressions"].map(key).astype(str))
    if field not in TEXT_FIELDS:
        raise ParameterError(f"field must be findings, impressions or report, not {field!r}")
    require_columns(df, (field,))
    return df[field].map(key).astype(str)


def _joined(findings: pd.Series, impressions: pd.Series) -> pd.Series:
    both = findings + "\n" + impressions
    return both.where((findings != "") | (impressions != ""), "")


def column_quality(df: pd.DataFrame) -> pd.DataFrame:
    """Per column: column, rows, missing, empty, whitespace_only, placeholder, distinct, constant, top_value, top_share.

    `missing` counts NA values; `empty` exact empty strings; `whitespace_only` non-empty strings of spaces only;
    `placeholder` whole-cell placeholders (`PLACEHOLDERS`); `distinct` the distinct non-missing, non-empty values;
    `constant` is True when at most one distinct value exists (e.g. a `view` column that is always "PA").
    The `image` column (binary) is skipped.
    """
    rows = []
    for column in df.columns:
        if column == "image":
            continue
        series = df[column]
        missing = series.isna()
        texts = series[~missing].astype(str)
        is_text = map_unique(series[~missing], lambda v: isinstance(v, str)).astype(bool)
        empty = int(((texts == "") & is_text).sum())
        whitespace = int(((texts != "") & (texts.str.strip() == "") & is_text).sum())
        folded = map_unique(texts, lambda v: normalize_text(v).strip().casefold())
        placeholder = int((folded.isin(PLACEHOLDERS) & is_text).sum())
        values = texts[texts.str.strip() != ""]
        counts = values.value_counts()
        counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        top_value = str(counts.index[0]) if len(counts) else None
        rows.append({
            "column": column, "rows": len(series), "missing": int(missing.sum()), "empty": empty,
            "whitespace_only": whitespace, "placeholder": placeholder, "distinct": int(len(counts)),
            "constant": bool(len(counts) <= 1), "top_value": top_value,
            "top_share": float(counts.iloc[0] / len(series)) if len(counts) else math.nan,
        })
    return pd.DataFrame(rows, columns=["column", "rows", "missing", "empty", "whitespace_only", "placeholder",
                                       "distinct", "constant", "top_value", "top_share"])


def duplicates(df: pd.DataFrame) -> pd.DataFrame:
    """Duplicate reports within each split (and ``"all"``), per field and key kind.

    Columns: split, field (findings/impressions/report), kind (exact/normalized), reports (non-empty), distinct,
    duplicate_rows (rows repeating a text seen earlier in the split = reports − distinct), groups (texts seen
    twice or more), share (duplicate_rows / reports).
    """
    require_columns(df, ("split", *TEXT_FIELDS))
    rows = []
    keyed = {}
    for kind in ("exact", "normalized"):
        keyed[("findings", kind)] = report_keys(df, "findings", kind)
        keyed[("impressions", kind)] = report_keys(df, "impressions", kind)
        keyed[(REPORT, kind)] = _joined(keyed[("findings", kind)], keyed[("impressions", kind)])
    for field in (*TEXT_FIELDS, REPORT):
        for kind in ("exact", "normalized"):
            keys = keyed[(field, kind)]
            for split in [*split_order(df["split"]), "all"]:
                k = keys if split == "all" else keys[df["split"].astype(str) == split]
                k = k[k != ""]
                counts = k.value_counts()
                n, distinct = len(k), len(counts)
                rows.append({"split": split, "field": field, "kind": kind, "reports": n, "distinct": distinct,
                             "duplicate_rows": n - distinct, "groups": int((counts >= 2).sum()),
                             "share": (n - distinct) / n if n else math.nan})
    return pd.DataFrame(rows, columns=["split", "field", "kind", "reports", "distinct", "duplicate_rows", "groups",
                                       "share"])


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


def _cross_split(keys: pd.Series, splits: pd.Series, ids: pd.Series, template_min: int | None,
                 max_examples: int, unit: str) -> list[dict[str, Any]]:
    frame = pd.DataFrame({"key": keys.to_numpy(), "split": splits.astype(str).to_numpy(),
                          "id": ids.astype(str).to_numpy()})
    order = split_order(frame["split"])
    frame = frame[frame["key"] != ""]
    corpus_counts = frame["key"].value_counts()
    first_seen = {k: i for i, k in zip(frame.index[::-1], frame["key"].iloc[::-1])}
    by_split = {s: frame[frame["split"] == s] for s in order}
    records = []
    for a, b in itertools.combinations(order, 2):
        fa, fb = by_split[a], by_split[b]
        shared = sorted(set(fa["key"]) & set(fb["key"]), key=lambda k: (corpus_counts[k], first_seen[k]))
        rows_a = int(fa["key"].isin(shared).sum())
        rows_b = int(fb["key"].isin(shared).sum())
        first_a = fa.drop_duplicates("key").set_index("key")["id"]
        first_b = fb.drop_duplicates("key").set_index("key")["id"]
        record: dict[str, Any] = {
            "splits": [a, b], unit: len(shared),
            "rows": {a: rows_a, b: rows_b},
            "share": {a: rows_a / len(fa) if len(fa) else None, b: rows_b / len(fb) if len(fb) else None},
        }
        if template_min is not None:
            record["non_template_reports"] = sum(1 for k in shared if corpus_counts[k] < template_min)
            record["template_min"] = template_min
        record["examples"] = [[first_a[k], first_b[k]] for k in shared[:max_examples]]
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
    ids = df["id"] if "id" in df.columns else pd.Series(df.index.astype(str), index=df.index)
    return _cross_split(report_keys(df, REPORT).reset_index(drop=True), df["split"], ids, template_min,
                        max_examples, "reports")


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
    ids = df["id"] if "id" in df.columns else pd.Series(df.index.astype(str), index=df.index)
    hashes = df[column].fillna("") if column == "sha256" else df[column].map(_image_hash)
    keys = hashes.astype(str).reset_index(drop=True)
    return _cross_split(keys, df["split"], ids, None, max_examples, "images")


def quality_log_table(df: pd.DataFrame) -> pd.DataFrame:
    """The loading quality log (``df.attrs["quality"]``) as a table: check, column, rows, examples, detail."""
    records = df.attrs.get("quality", []) or []
    rows = [{"check": str(r.get("check", "")), "column": str(r.get("column", "")), "rows": int(r.get("rows", 0)),
             "examples": "; ".join(str(e) for e in r.get("examples", []) or []), "detail": str(r.get("detail", ""))}
            for r in records]
    return pd.DataFrame(rows, columns=["check", "column", "rows", "examples", "detail"])


@statistic("empty_reports", section="quality", formats={"reports": "integer", "empty": "integer", "share": "percent"})
def empty_reports(inputs: StatisticInputs) -> pd.DataFrame:
    """Reports whose findings and impressions are both missing or blank, per split and "all":
    ``split, reports, empty, share``."""
    df = inputs.frame
    empty = (df["findings"].map(is_missing_text) & df["impressions"].map(is_missing_text)).to_numpy(dtype=bool)
    splits = df["split"].astype(str).to_numpy()
    rows = []
    for split in split_order(splits) + ["all"]:
        mask = (splits == split) | (split == "all")
        n, k = int(mask.sum()), int((empty & mask).sum())
        rows.append((split, n, k, k / n if n else 0.0))
    return pd.DataFrame(rows, columns=["split", "reports", "empty", "share"])
