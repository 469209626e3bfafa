"""The benchmark's `stats.json`, validated against its shipped JSON Schema (`stats.schema.json` beside this file).

Stable keys other tools read: ``benchmark.models.<name>.{reports, rouge1_syllables, ce_micro_f1, ce_macro_f1,
hallucination_rate, omission_rate, negation_flip_rate}`` on the headline field, each with ``<key>_ci: [low, high]``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from vixray_eda import __version__
from vixray_eda.benchmark.score import Benchmark
from vixray_eda.report.stats_json import check_against_schema, json_value, read_schema, records

__all__ = ["SCHEMA_VERSION", "SCHEMA_PATH", "TOKENIZATION", "build_stats", "validate_stats", "stats_schema"]

SCHEMA_VERSION = "1.0.0"
SCHEMA_PATH = Path(__file__).resolve().parent / "stats.schema.json"
#: How each token unit is made (stated on the card and in stats.json).
TOKENIZATION: dict[str, str] = {
    "syllables": "NFC and tone-mark normalization, then lower-case syllables (space-separated, punctuation dropped);"
                 " the unit of the published ROUGE-1",
    "words": "the same text segmented with underthesea word_tokenize, lexicon terms kept whole, syllables of a word"
             " joined by '_'",
}


def _models(benchmark: Benchmark) -> dict[str, Any]:
    coverage = benchmark.coverage.set_index("model")
    out: dict[str, Any] = {}
    for row in benchmark.leaderboard().to_dict("records"):
        model = row.pop("model")
        value, low, high = benchmark.headline(model, "anatomy_mismatch_rate")
        row.update(anatomy_mismatch_rate=value, anatomy_mismatch_rate_ci=[low, high],
                   missing_predictions=coverage.at[model, "missing"], extra_predictions=coverage.at[model, "extra"])
        out[model] = json_value(row)
    return dict(sorted(out.items()))


def build_stats(benchmark: Benchmark) -> dict[str, Any]:
    """The stats.json document of a benchmark (validated)."""
    stats = {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "vixray-eda", "version": __version__},
        "kind": "benchmark",
        "source": benchmark.source,
        "synthetic": benchmark.synthetic,
        "parameters": json_value(benchmark.parameters),
        "headline_field": benchmark.headline_field,
        "tokenization": TOKENIZATION,
        "coverage": records(benchmark.coverage),
        "scored": records(benchmark.scored),
        "references_quality": records(benchmark.quality, ["check", "column", "rows", "detail"]),
        "extractor": json_value(benchmark.extractor),
        "benchmark": {
            "models": _models(benchmark),
            "metrics": records(benchmark.metrics),
            "differences": records(benchmark.differences),
            "bleu": records(benchmark.bleu),
            "concepts": records(benchmark.concepts),
        },
    }
    validate_stats(stats)
    return stats


def stats_schema() -> dict[str, Any]:
    return read_schema(SCHEMA_PATH)


def validate_stats(stats: dict[str, Any]) -> None:
    """Raise ReportError (one line) when `stats` does not match the benchmark schema."""
    check_against_schema(stats, SCHEMA_PATH, "benchmark stats.json")
