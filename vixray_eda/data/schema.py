"""The ViX-Ray schema: original column names, canonical names, and how one maps to the other."""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from typing import Any

#: Column names of the published dataset, spelled exactly as on the Hugging Face Hub.
ORIGINAL_COLUMNS: tuple[str, ...] = (
    "image", "findings", "impressions", "Ages", "sex", "view", "Ghi chú", "Kỹ thuật",
)
#: Canonical column of the tidy frame for each original column.
CANONICAL_NAME: dict[str, str] = {
    "image": "image",
    "findings": "findings",
    "impressions": "impressions",
    "Ages": "age",
    "sex": "sex",
    "view": "view",
    "Ghi chú": "note",
    "Kỹ thuật": "technique",
}
#: Columns of the frame `load` returns, in order (`image` is added after them only when asked for).
FRAME_COLUMNS: tuple[str, ...] = (
    "id", "split", "findings", "impressions", "age", "sex", "view", "note", "technique", "age_raw", "sex_raw",
)
#: Columns a source must have; the others are filled with missing values and reported.
REQUIRED: tuple[str, ...] = ("findings", "impressions")
TEXT_FIELDS: tuple[str, ...] = ("findings", "impressions")
SPLITS: tuple[str, ...] = ("train", "val", "test")
#: The parquet key-value metadata key of the package: ``{"synthetic": true, ...}`` on every shard of the sample.
SYNTHETIC_METADATA_KEY = b"vixray_eda"
HUB_ID = "MilitaryHospital175/VNMedical_bv175"


def split_order(splits: Iterable[Any]) -> list[str]:
    """Distinct split names in the package's order: train, val, test, then the others alphabetically."""
    names = {str(s) for s in splits if s is not None and not (isinstance(s, float) and math.isnan(s))}
    return [s for s in SPLITS if s in names] + sorted(names - set(SPLITS))


def require_columns(df: Any, columns: Iterable[str], what: str = "data frame") -> None:
    """Raise DataError naming `what` and the missing columns unless `df` has every one of `columns`."""
    from vixray_eda.errors import DataError

    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{what}: missing column(s) {', '.join(missing)}")


def column_key(name: str) -> str:
    """Matching key of a column name: NFC, case-folded, surrounding spaces removed, inner spaces/underscores folded."""
    text = unicodedata.normalize("NFC", str(name)).casefold().strip()
    return " ".join(text.replace("_", " ").split())


_ALIASES: dict[str, str] = {
    **{column_key(orig): canon for orig, canon in CANONICAL_NAME.items()},
    **{column_key(canon): canon for canon in CANONICAL_NAME.values()},
    column_key("age"): "age",
    column_key("gender"): "sex",
    column_key("ghi chu"): "note",
    column_key("ky thuat"): "technique",
    column_key("finding"): "findings",
    column_key("impression"): "impressions",
    column_key("split"): "split",
}


def canonical_column(name: str) -> str | None:
    """Canonical name for a source column name, or None when the column is not part of the schema."""
    return _ALIASES.get(column_key(name))


def match_columns(names: Iterable[str]) -> dict[str, str]:
    """Map source column names to canonical names (first match wins; unmatched names are left out)."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        canon = canonical_column(name)
        if canon is not None and canon not in taken:
            mapping[name] = canon
            taken.add(canon)
    return mapping
