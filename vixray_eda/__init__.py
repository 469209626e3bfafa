"""vixray-eda: exploratory analysis, dataset cards and paper figures for ViX-Ray.

    import vixray_eda as vx
    df = vx.load("sample")                 # the embedded synthetic sample, or a folder / file / hf:// URL
    m = vx.extract_mentions(df.findings)   # negation-aware concept mentions

The public API is imported lazily so that `import vixray_eda` stays fast in notebooks and CLI start-up.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_API: dict[str, str] = {
    "load": "vixray_eda.data.sources",
    "quality_log": "vixray_eda.data.sources",
    "write_sample": "vixray_eda.data.sample",
    "sample_frame": "vixray_eda.data.sample",
    "sample_path": "vixray_eda.data.sample",
    "normalize_text": "vixray_eda.text.normalize",
    "normalization_audit": "vixray_eda.text.normalize",
    "syllables": "vixray_eda.text.tokenize",
    "words": "vixray_eda.text.pipeline",
    "sentences": "vixray_eda.text.tokenize",
    "load_lexicon": "vixray_eda.text.lexicon",
    "extract_mentions": "vixray_eda.text.pipeline",
    "kwic": "vixray_eda.explore",
    "examples": "vixray_eda.explore",
    "compute_results": "vixray_eda.stats.summary",
    "source_stats": "vixray_eda.report.engines",
    "frame_stats": "vixray_eda.report.engines",
    "Results": "vixray_eda.stats.summary",
    "analyze_texts": "vixray_eda.text.pipeline",
    "length_table": "vixray_eda.stats.lengths",
    "report_lengths": "vixray_eda.stats.lengths",
    "term_table": "vixray_eda.stats.terms",
    "cooccurrence": "vixray_eda.stats.terms",
    "vocabulary_table": "vixray_eda.stats.vocabulary",
    "top_ngrams": "vixray_eda.stats.vocabulary",
    "age_summary": "vixray_eda.stats.demographics",
    "sex_counts": "vixray_eda.stats.demographics",
    "split_balance": "vixray_eda.stats.balance",
    "leakage": "vixray_eda.stats.quality",
    "phi_scan": "vixray_eda.stats.phi",
    "lexicon_gaps": "vixray_eda.stats.coverage",
    "image_stats": "vixray_eda.stats.images",
    "paper_style": "vixray_eda.plots.style",
    "save_figure": "vixray_eda.plots.save",
    "build_paper_figures": "vixray_eda.plots.figures",
    "build_report": "vixray_eda.report.run",
    "Card": "vixray_eda.report.card",
    "validate": "vixray_eda.report.validate",
    "score": "vixray_eda.benchmark.score",
    "VixrayError": "vixray_eda.errors",
    "DataError": "vixray_eda.errors",
    "SplitError": "vixray_eda.errors",
    "ParameterError": "vixray_eda.errors",
    "ReportError": "vixray_eda.errors",
}

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'vixray_eda' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
