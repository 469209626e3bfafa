"""Cleaning raw columns into canonical values. Pure functions: every change is returned as a quality record.

A quality record is a dict ``{"check", "column", "rows", "examples", "detail"}``: `rows` counts the rows it touched,
`examples` holds up to five ``id: raw → clean`` strings so a reader of the card can see what happened.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

QualityRecord = dict[str, Any]
#: Checks whose records count values that loading changed (the others describe columns, missing or odd values).
VALUE_CHANGES = ("sex_relabelled", "sex_unrecognized", "age_parsed_from_text", "age_unparseable", "age_implausible",
                 "findings_not_text", "impressions_not_text", "surrogate_replaced")
#: Checks recorded once per file and never summed, so each file stays named (e.g. every skipped shard).
PER_FILE_CHECKS = ("shard_skipped",)
#: Checks whose examples are the distinct changes in sorted order (not rows in reading order).
SORTED_EXAMPLES = ("sex_relabelled", "split_renamed")
#: The order in which `load`'s cleaning emits its checks, column by column: the loading log lists them so.
CLEANING_ORDER = tuple(f"{c}_{k}" for c in ("findings", "impressions")
                       for k in ("missing", "empty", "not_text", "invisible_characters")) + (
    "age_parsed_from_text", "age_unparseable", "age_implausible", "age_missing", "sex_relabelled", "sex_unrecognized",
    "sex_missing")
MAX_EXAMPLES = 5
AGE_MIN, AGE_MAX = 0.0, 120.0

_MALE = {"m", "nam", "male", "man", "trai", "đàn ông", "boy"}
_FEMALE = {"f", "nữ", "nu", "female", "woman", "gái", "đàn bà", "girl"}
MISSING_TEXT = {"", "nan", "none", "null", "na", "n/a", "<na>"}
_AGE_RE = re.compile(
    r"^\s*(?P<num>[+-]?\d+(?:[.,]\d+)?)\s*(?:tuổi|tuoi|t|y|yo|yrs?|years?(?:\s+old)?)?\.?\s*$", re.IGNORECASE
)


def record(check: str, column: str, rows: int, examples: list[str], detail: str) -> QualityRecord:
    """One quality-log record."""
    return {"check": check, "column": column, "rows": int(rows), "examples": examples[:MAX_EXAMPLES], "detail": detail}


def flagged(mask: pd.Series, check: str, column: str, examples: list[str], detail: str) -> list[QualityRecord]:
    """A one-record list when `mask` flags any row, else an empty list."""
    return [record(check, column, mask.sum(), examples, detail)] if mask.any() else []


def is_missing(value: Any) -> bool:
    """None, pandas NA/NaT or a float NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def as_text(value: Any) -> str:
    """The value as text, "" when missing."""
    return "" if is_missing(value) else str(value)


def raw_text(value: Any) -> str:
    """The value as written: `as_text`, except that a whole number read as a float (a numeric column that holds a
    missing value somewhere, or files of different column types read together) keeps no ".0"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return as_text(value)


def is_missing_text(value: Any) -> bool:
    """Missing, blank, or a spelled-out missing marker ("nan", "None", "null", "N/A", ...)."""
    return as_text(value).strip().casefold() in MISSING_TEXT


def map_unique(series: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """`series.map(func)` evaluated once per distinct value (missing values are passed to `func` as None)."""
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # unhashable values (lists, dicts from JSON): evaluate each one
        return pd.Series([func(None if is_missing(v) else v) for v in series], index=series.index, dtype=object)
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [func(u) for u in uniques]
    results[-1] = func(None)
    return pd.Series(results[codes], index=series.index, dtype=object)


def normalize_sex_label(value: Any) -> str | None:
    """`M`, `F`, or None for missing/unrecognized labels (Nam/Nữ/nam/nữ/M/F/Male/Female, any case or spacing)."""
    if is_missing(value):
        return None
    key = " ".join(unicodedata.normalize("NFC", str(value)).casefold().split()).strip(".")
    if key in _MALE:
        return "M"
    if key in _FEMALE:
        return "F"
    return None


def parse_age(value: Any) -> float | None:
    """Age in years from ints, floats, "69", "69.0", "69,5", "69 tuổi", "69y"; None when it cannot be parsed."""
    if is_missing(value) or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    match = _AGE_RE.match(unicodedata.normalize("NFC", str(value)))
    return float(match["num"].replace(",", ".")) if match else None


def clean_sex(raw: pd.Series, ids: pd.Series) -> tuple[pd.Series, list[QualityRecord]]:
    """Canonical sex column and the records of what changed."""
    clean = map_unique(raw, normalize_sex_label)
    missing = map_unique(raw, is_missing_text).astype(bool)
    unrecognized = clean.isna() & ~missing
    relabelled = clean.notna() & (map_unique(raw, as_text) != clean.fillna(""))
    records = flagged(relabelled, "sex_relabelled", "sex",
                      sorted({f"{as_text(r)!r} → {c}" for r, c in zip(raw[relabelled], clean[relabelled])}),
                      "sex labels mapped to M/F from their original spelling")
    records += flagged(unrecognized, "sex_unrecognized", "sex",
                       [f"{i}: {as_text(r)!r}" for i, r in zip(ids[unrecognized], raw[unrecognized])],
                       "sex labels that are neither male nor female were set to missing")
    records += flagged(missing, "sex_missing", "sex", list(ids[missing]), "sex is missing in the source")
    return clean.astype("string"), records


def clean_age(raw: pd.Series, ids: pd.Series) -> tuple[pd.Series, list[QualityRecord]]:
    """Numeric age (float, NaN when missing, unparseable or implausible) and the records of what changed."""
    parsed = map_unique(raw, parse_age)
    missing = map_unique(raw, is_missing_text).astype(bool)
    unparseable = parsed.isna() & ~missing
    values = pd.to_numeric(parsed, errors="coerce").astype("float64")
    implausible = values.notna() & ((values < AGE_MIN) | (values > AGE_MAX))
    written = map_unique(raw, lambda v: as_text(v).strip())
    reformatted = values.notna() & ~implausible & map_unique(raw, lambda v: isinstance(v, str)).astype(bool) & (
        written != map_unique(values, lambda a: "" if a is None else f"{a:g}")
    )
    records = flagged(reformatted, "age_parsed_from_text", "age",
                      [f"{i}: {r!r} → {a:g}" for i, r, a in zip(ids[reformatted], written[reformatted],
                                                                  values[reformatted])],
                      "ages written with units or decimal commas were parsed to numbers")
    records += flagged(unparseable, "age_unparseable", "age",
                       [f"{i}: {r!r}" for i, r in zip(ids[unparseable], written[unparseable])],
                       "ages that are not numbers were set to missing")
    records += flagged(implausible, "age_implausible", "age",
                       [f"{i}: {a:g}" for i, a in zip(ids[implausible], values[implausible])],
                       f"ages outside {AGE_MIN:g}–{AGE_MAX:g} years were set to missing")
    records += flagged(missing, "age_missing", "age", list(ids[missing]), "age is missing in the source")
    return values.mask(implausible), records


_KEEP_CONTROL = {"\t", "\n", "\r"}


def _is_invisible(ch: str) -> bool:
    return ch not in _KEEP_CONTROL and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co")


def _invisible_class() -> str:
    """A regex character class body for every invisible code point (BMP, plane 1, tags; private-use planes)."""
    candidates = [*range(0x10000), *range(0x10000, 0x20000), *range(0xE0000, 0xE0080)]
    ranges: list[list[int]] = []
    for c in candidates:
        if 0xD800 <= c <= 0xDFFF or not _is_invisible(chr(c)):
            continue
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return body + "\U000f0000-\U0010ffff\ud800-\udfff"


@lru_cache(maxsize=1)
def invisible_re() -> re.Pattern[str]:
    """Control characters (other than tab and line breaks), format characters (zero-width spaces and joiners,
    left-to-right/right-to-left marks and overrides, BOM, soft hyphen), surrogates and private-use characters.
    Built on first use (it scans the code points once)."""
    return re.compile(f"[{_invisible_class()}]")


def has_invisible_characters(value: Any) -> bool:
    """True when text holds any character of `invisible_re()` (the ones text normalization removes)."""
    if not isinstance(value, str) or value.isprintable():  # printable text has none of them: skip the regex
        return False
    return invisible_re().search(value) is not None


def clean_text(raw: pd.Series, ids: pd.Series, column: str) -> tuple[pd.Series, list[QualityRecord]]:
    """Text column as strings ("" for missing). Text itself is not altered; records count missing values, empty or
    blank texts, non-text values (converted to text) and texts with control or invisible characters."""
    missing = raw.isna() if raw.dtype != object else raw.map(is_missing).astype(bool)
    is_text = map_unique(raw, lambda v: isinstance(v, str)).astype(bool)
    non_text = ~missing & ~is_text
    blank = is_text & map_unique(raw, lambda v: isinstance(v, str) and not v.strip()).astype(bool)
    invisible = map_unique(raw, has_invisible_characters).astype(bool)
    records = flagged(missing, f"{column}_missing", column, list(ids[missing]),
                      f"{column} is missing in the source and was read as empty text")
    records += flagged(blank, f"{column}_empty", column, list(ids[blank]), f"{column} is empty or only spaces")
    records += flagged(non_text, f"{column}_not_text", column,
                       [f"{i}: {v!r}" for i, v in zip(ids[non_text], raw[non_text])],
                       f"{column} values that are not text were converted to text")
    records += flagged(invisible, f"{column}_invisible_characters", column,
                       [f"{i}: {_invisible_names(v)}" for i, v in zip(ids[invisible], raw[invisible])],
                       f"{column} holds control or invisible characters (kept as is)")
    text = raw.where(~missing, "")
    return (text.map(str) if non_text.any() else text).astype("string"), records


def _invisible_names(text: str) -> str:
    found = sorted(set(invisible_re().findall(text)))
    return ", ".join(f"U+{ord(ch):04X}" for ch in found[:3]) + (" …" if len(found) > 3 else "")


def merge_records(records: list[QualityRecord]) -> list[QualityRecord]:
    """Sum records of the same check and column (e.g. one per shard or chunk) into one, keeping the first distinct
    examples (the smallest, for `SORTED_EXAMPLES`); records of `PER_FILE_CHECKS` stay one per file."""
    merged: dict[tuple[str, ...], QualityRecord] = {}
    for rec in records:
        key = (rec["check"], rec["column"], *(rec["examples"] if rec["check"] in PER_FILE_CHECKS else ()))
        if key in merged:
            into = merged[key]
            into["rows"] += rec["rows"]
            examples = list(dict.fromkeys(into["examples"] + rec["examples"]))
            into["examples"] = (sorted(examples) if rec["check"] in SORTED_EXAMPLES else examples)[:MAX_EXAMPLES]
        else:
            merged[key] = {**rec, "examples": list(rec["examples"])}
    return list(merged.values())


def cleaning_rank(record: QualityRecord) -> int:
    """A cleaning record's place in `CLEANING_ORDER` (others after)."""
    check = record["check"]
    return CLEANING_ORDER.index(check) if check in CLEANING_ORDER else len(CLEANING_ORDER)
