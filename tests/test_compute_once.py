"""`compute_results` analyzes the texts once and hands the analysis down (the memo is not what makes it fast)."""
from __future__ import annotations

from report_helpers import small_dataset
from vixray_eda.data.sources import load
from vixray_eda.stats.summary import compute_results
from vixray_eda.text import pipeline


def test_compute_results_runs_the_text_analysis_once(monkeypatch, tmp_path):
    df = load(small_dataset(tmp_path, rows=120))
    calls = []
    analyze = pipeline.analyze_texts

    def counted(texts, *args, **kwargs):
        calls.append(1)
        return analyze(texts, *args, **kwargs)

    monkeypatch.setattr(pipeline, "analyze_texts", counted)
    results = compute_results(df)
    assert len(calls) == 1
    assert len(results.terms.table) and len(results.vocabulary.summary) and len(results.balance)
