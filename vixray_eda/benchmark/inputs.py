"""Reading prediction files and aligning them with the references by a key column.

A predictions file (JSONL, CSV or parquet) has a key column (default ``id``, the id `vx.load` gives each reference
row, e.g. ``test-00042``) and generated ``findings`` and/or ``impressions``. The model name is the file's stem, or
the value of a ``model`` column (one file may then hold several models). Column names match after NFC
normalization and case-folding. Every reference row is scored: a reference without a prediction is scored as an
empty generated report, and counted; predictions whose key is not among the references are counted, not scored.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from vixray_eda.data.clean import as_text, raw_text
from vixray_eda.data.sources import json_objects
from vixray_eda.data.schema import TEXT_FIELDS
from vixray_eda.errors import DataError

__all__ = ["MODEL_COLUMN", "Aligned", "read_predictions", "as_prediction_sets", "align", "key_text"]

MODEL_COLUMN = "model"
SUFFIXES = (".jsonl", ".csv", ".parquet")
_EXAMPLES = 20


def _canonical_name(name: Any) -> str:
    return unicodedata.normalize("NFC", str(name)).casefold().strip()


def key_text(value: Any) -> str:
    """A key as text for matching: whole floats lose their ".0" (CSV vs parquet, `raw_text`), NFC for strings."""
    return unicodedata.normalize("NFC", raw_text(value)).strip()


def _read_jsonl(path: Path) -> pd.DataFrame:
    with open(path, encoding="utf-8") as fh:
        return pd.DataFrame([row for _, row in json_objects(str(path), fh)], dtype=object)


def _read_file(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(f"{path}: predictions must be a {', '.join(SUFFIXES)} file")
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        if suffix == ".jsonl":
            return _read_jsonl(path)
        if suffix == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        return pd.read_parquet(path)
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text") from exc
    except (ValueError, OSError) as exc:
        raise DataError(f"{path}: cannot read predictions ({str(exc).splitlines()[0] if str(exc) else exc})") from exc


def _columns(frame: pd.DataFrame, path: Path, key: str) -> dict[str, str]:
    """Wanted name → the file's column (key, model, findings, impressions), by NFC case-folded name."""
    by_name: dict[str, str] = {}
    for column in frame.columns:
        name = _canonical_name(column)
        if name in by_name:
            raise DataError(f"{path}: columns {by_name[name]!r} and {column!r} both mean {name!r}")
        by_name[name] = str(column)
    wanted = {name: by_name[_canonical_name(name)] for name in (key, MODEL_COLUMN, *TEXT_FIELDS)
              if _canonical_name(name) in by_name}
    if key not in wanted:
        raise DataError(f"{path}: no key column {key!r} (columns: {', '.join(map(str, frame.columns))}); "
                        f"name it with --key")
    if not any(f in wanted for f in TEXT_FIELDS):
        raise DataError(f"{path}: no 'findings' or 'impressions' column (columns: {', '.join(map(str, frame.columns))})")
    return wanted


def _tidy(frame: pd.DataFrame, columns: Mapping[str, str], key: str, origin: str) -> pd.DataFrame:
    """Key as text, texts as text ("" when missing); a blank or duplicated key is an error naming its row."""
    fields = [f for f in TEXT_FIELDS if f in columns]
    out = pd.DataFrame({key: [key_text(v) for v in frame[columns[key]].tolist()]}, dtype=object)
    for f in fields:
        out[f] = [as_text(v) for v in frame[columns[f]].tolist()]
    blank = [i for i, v in enumerate(out[key]) if not v]
    if blank:
        raise DataError(f"{origin}: row {blank[0] + 1}: empty {key!r}")
    duplicated = out[key].duplicated()
    if duplicated.any():
        row = int(duplicated.to_numpy().argmax())
        raise DataError(f"{origin}: row {row + 1}: duplicate {key} {out[key].iat[row]!r}")
    return out


def _by_model(frame: pd.DataFrame, key: str, origin: str, default: str) -> dict[str, pd.DataFrame]:
    """Model name → tidy predictions: one model per value of a ``model`` column, else all rows as `default`."""
    columns = _columns(frame, Path(origin), key)
    if MODEL_COLUMN not in columns:
        return {default: _tidy(frame, columns, key, origin)}
    names = frame[columns[MODEL_COLUMN]].map(as_text).str.strip()
    if (names == "").any():
        raise DataError(f"{origin}: row {int((names == '').to_numpy().argmax()) + 1}: empty {MODEL_COLUMN!r}")
    return {name: _tidy(frame[names == name].reset_index(drop=True), columns, key, f"{origin} ({MODEL_COLUMN} {name})")
            for name in sorted(set(names))}


def read_predictions(path: str | Path, key: str = "id") -> dict[str, pd.DataFrame]:
    """Model name → predictions (columns: key, findings and/or impressions) from one file."""
    path = Path(path)
    return _by_model(_read_file(path), key, str(path), path.stem)


def as_prediction_sets(predictions: Any, key: str = "id") -> dict[str, pd.DataFrame]:
    """Model name → predictions from a path, a list of paths, a mapping name → frame, or one frame (named by its
    ``model`` column, else "model"). The same model name twice is an error."""
    if isinstance(predictions, pd.DataFrame):
        return _by_model(predictions, key, "predictions", "model")
    if isinstance(predictions, Mapping):
        return {str(name): _tidy(frame, _columns(frame, Path(str(name)), key), key, str(name))
                for name, frame in predictions.items()}
    paths = [predictions] if isinstance(predictions, (str, Path)) else list(predictions)
    if not paths:
        raise DataError("no predictions given")
    out: dict[str, pd.DataFrame] = {}
    for path in paths:
        for name, frame in read_predictions(path, key).items():
            if name in out:
                raise DataError(f"{path}: model {name!r} appears twice; rename the file or its {MODEL_COLUMN!r} values")
            out[name] = frame
    return out


@dataclass(frozen=True)
class Aligned:
    """References and each model's predictions on the same rows (the references' order).

    ``predictions[model][field]`` is "" where the model has no prediction for a reference; ``coverage`` counts,
    per model, references, predictions, matched, missing (references without a prediction) and extra (predictions
    without a reference), with up to 20 example keys of each.
    """

    key: str
    ids: tuple[str, ...]
    fields: tuple[str, ...]
    references: dict[str, list[str]]
    predictions: dict[str, dict[str, list[str]]]
    coverage: pd.DataFrame


def align(references: pd.DataFrame, predictions: Mapping[str, pd.DataFrame], key: str = "id",
          fields: Sequence[str] | None = None) -> Aligned:
    """Align each model's predictions with the reference rows by `key` (a column of both sides)."""
    if key not in references.columns:
        raise DataError(f"references: no key column {key!r} (columns: {', '.join(map(str, references.columns))})")
    if not predictions:
        raise DataError("no predictions given")
    shared = [f for f in TEXT_FIELDS if all(f in p.columns for p in predictions.values())]
    fields = list(shared if fields is None else fields)
    missing_fields = [f for f in fields if f not in shared or f not in references.columns]
    if missing_fields or not fields:
        raise DataError(f"no field to score: every predictions file and the references need "
                        f"{', '.join(missing_fields or TEXT_FIELDS)} (fields all models share: "
                        f"{', '.join(shared) or 'none'})")
    ids = [key_text(v) for v in references[key].tolist()]
    seen: set[str] = set()
    for row, value in enumerate(ids, start=1):
        if not value or value in seen:
            raise DataError(f"references: row {row}: {'empty' if not value else 'duplicate'} {key} {value!r}")
        seen.add(value)
    refs = {f: [as_text(v) for v in references[f].tolist()] for f in fields}
    aligned: dict[str, dict[str, list[str]]] = {}
    rows = []
    for name, frame in predictions.items():
        lookup = {f: dict(zip(frame[key], frame[f])) for f in fields}
        aligned[name] = {f: [lookup[f].get(i, "") for i in ids] for f in fields}
        keys = set(frame[key])
        missing = [i for i in ids if i not in keys]
        extra = [k for k in frame[key] if k not in seen]
        rows.append({"model": name, "references": len(ids), "predictions": len(frame),
                     "matched": len(ids) - len(missing), "missing": len(missing), "extra": len(extra),
                     "missing_ids": missing[:_EXAMPLES], "extra_ids": sorted(extra)[:_EXAMPLES]})
    coverage = pd.DataFrame(rows, columns=["model", "references", "predictions", "matched", "missing", "extra",
                                           "missing_ids", "extra_ids"])
    return Aligned(key, tuple(ids), tuple(fields), refs, aligned, coverage)
