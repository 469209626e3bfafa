"""`stats.json`: the machine-readable summary of a card, versioned and validated against a shipped JSON Schema.

Stable keys other tools read (declared in the shipped ``stats.schema.json``): ``schema_version``, ``synthetic``,
``splits.<split>.rows``, ``age.<split|all>.{n, mean, sd, median}``, ``sex.<split|all>.{M, F, missing}``,
``lengths``, ``terms``, ``quality.leakage``. Floats are rounded (4 decimals) so the file is byte-identical from run to run.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from vixray_eda import __version__
from vixray_eda.errors import ReportError
from vixray_eda.report.croissant import withheld_reason
from vixray_eda.stats import balance, demographics
from vixray_eda.stats.coverage import COVERAGE_COLUMNS, GAP_COLUMNS
from vixray_eda.stats.partials import Summary
from vixray_eda.stats.quality import log_table
from vixray_eda.stats.summary import ProvenanceResults, Results

SCHEMA_VERSION = "1.2.0"  # 1.1: `coverage`, `lexicon_gaps`, optional `statistics`; 1.2: `provenance`
SCHEMA_PATH = Path(__file__).resolve().parent / "stats.schema.json"
DIGITS = 4
#: Units of the stable `lengths` key; sentences per report go under `sentences`, same columns.
LENGTH_UNITS = ("chars", "syllables", "words")
LENGTH_COLUMNS = ["split", "field", "unit", "n", "mean", "sd", "median", "p5", "p95", "min", "max"]


def json_value(value: Any) -> Any:
    """A JSON-ready scalar: numpy → Python, floats rounded, NaN/NA → None, everything else as text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else round(float(value), DIGITS)
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)


def records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records (all or the given columns, in that order)."""
    frame = frame if columns is None else frame[columns]
    return [{str(k): json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def build_stats(results: Results) -> dict[str, Any]:
    """The stats.json document for one dataset."""
    return stats_document(results.summary, source=results.source, synthetic=results.synthetic,
                          parameters=results.parameters, provenance=results.provenance,
                          images=results.images.summary if results.images is not None else None,
                          image_leakage=results.quality.image_leakage)


def stats_document(summary: Summary, *, source: str, synthetic: bool, parameters: dict[str, Any],
                   provenance: ProvenanceResults | None, images: pd.DataFrame | None = None,
                   image_leakage: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The stats.json document from finished statistics (`stats.partials.Summary`, from one frame or merged
    chunks) and what describes the run, validated against the shipped schema."""
    s = summary
    lengths = s.length_summary
    leakage = [{"splits": rec["splits"], "reports": rec["reports"],
                "non_template_reports": rec.get("non_template_reports"), "rows": rec["rows"],
                "examples": rec["examples"]} for rec in s.leakage]
    stats: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "vixray-eda", "version": __version__},
        "source": source,
        "synthetic": synthetic,
        "parameters": json_value(parameters),
        "splits": {r["split"]: {"rows": r["rows"], "share": r["share"], "declared": r["declared"]}
                   for r in records(s.split_sizes)},
        "age": demographics.age_json(s.age_summary),
        "sex": demographics.sex_json(s.sex_counts),
        "lengths": records(lengths[lengths["unit"].isin(LENGTH_UNITS)], LENGTH_COLUMNS),
        "sentences": records(lengths[lengths["unit"] == "sentences"], LENGTH_COLUMNS),
        "published_lengths": records(s.published_lengths),
        "normalization": records(s.normalization, ["step", "changed", "share"]),
        "terms": records(s.term_table, ["split", "field", "concept", "kind", "reports", "share", "present",
                                        "absent", "uncertain"]),
        "normal_share": records(s.normal_share),
        "consistency": records(s.consistency),
        "cooccurrence": records(s.cooccurrence),
        "coverage": records(s.coverage, COVERAGE_COLUMNS),
        "lexicon_gaps": records(s.lexicon_gaps, GAP_COLUMNS),
        "balance": json_value(balance.balance_records(s.balance)),
        "quality": {
            "leakage": json_value(leakage),
            "image_leakage": json_value(image_leakage) if image_leakage is not None else None,
            "log": records(log_table(s.log), ["check", "column", "rows", "detail"]),
            "columns": records(s.column_checks),
            "duplicates": records(s.duplicate_rows),
            "phi": records(s.phi_matches, ["kind", "column", "rows"]),
        },
        "images": records(images) if images is not None else None,
        "metadata_checks": records(s.metadata_checks),
    }
    if s.statistics:
        stats["statistics"] = {key: records(table) for key, table in s.statistics.items()}
    if provenance is not None:
        stats["provenance"] = provenance_json(provenance)
    validate_stats(stats)
    return stats


def provenance_json(p: ProvenanceResults) -> dict[str, Any]:
    """The `provenance` key: revision, every source file (path, split, size, rows, sha256), the source's column
    types, the lexicon's and abbreviation table's digests, and why croissant.json was withheld (None if written)."""
    return {"revision": p.source.revision,
            "files": [{"path": f.path, "split": f.split, "size": f.size, "rows": f.rows, "sha256": f.sha256}
                      for f in p.source.files],
            "columns": [{"name": c.name, "arrow_type": c.arrow_type, "hf_dtype": c.hf_dtype}
                        for c in p.source.columns],
            "lexicon_digest": p.lexicon_digest, "abbreviations_digest": p.abbreviations_digest,
            "croissant_withheld": withheld_reason(p)}


def dumps(stats: dict[str, Any]) -> str:
    """Deterministic text of a stats document (UTF-8, Vietnamese unescaped, stable key order)."""
    return json.dumps(stats, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


@lru_cache(maxsize=4)
def read_schema(path: Path) -> dict[str, Any]:
    """A shipped JSON Schema (this card's or the benchmark card's), read once."""
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def _compiled_validator(path: Path) -> Any:
    import fastjsonschema

    return fastjsonschema.compile(read_schema(path))


def check_against_schema(document: dict[str, Any], path: Path, name: str) -> None:
    """Raise ReportError (one line, naming `name` and the failing place) when `document` does not match the schema
    at `path`.

    Uses the compiled validator of fastjsonschema (a dependency of nbformat): ~100× faster than interpreting the
    schema on a card's thousands of records; the tests also check the schemas with jsonschema.
    """
    import fastjsonschema

    try:
        _compiled_validator(path)(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise ReportError(f"{name} does not match its schema: {exc.message}") from exc


def stats_schema() -> dict[str, Any]:
    return read_schema(SCHEMA_PATH)


def validate_stats(stats: dict[str, Any]) -> None:
    """Raise ReportError (one line, naming the failing place) when `stats` does not match the shipped schema."""
    check_against_schema(stats, SCHEMA_PATH, "stats.json")
