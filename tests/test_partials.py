"""Mergeable partial results: exact statistics from value counts, merges that grow with distinct texts not rows,
and the chunk cache that holds data only."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vixray_eda.data.sources import load
from vixray_eda.report import engines
from vixray_eda.report.engines import source_stats
from vixray_eda.report.stats_json import dumps
from vixray_eda.stats import partial_store
from vixray_eda.stats.counts import expand, summarize, value_counts
from vixray_eda.stats.partials import chunk_partial, merge_partials
from vixray_eda.text.lexicon import load_lexicon


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=300))
def test_value_counts_give_numpy_statistics(values):
    arr = np.asarray(values, dtype=float)
    got = summarize(value_counts(values), (("median", 0.5), ("p5", 0.05), ("p95", 0.95)))
    assert got["n"] == len(values) and got["min"] == arr.min() and got["max"] == arr.max()
    assert got["mean"] == pytest.approx(arr.mean(), rel=1e-12)
    for name, q in (("median", 0.5), ("p5", 0.05), ("p95", 0.95)):
        assert got[name] == pytest.approx(np.quantile(arr, q), rel=1e-12, abs=1e-12)
    if len(values) > 1:
        assert got["sd"] == pytest.approx(arr.std(ddof=1), rel=1e-9, abs=1e-12)
    assert expand(value_counts(values)).tolist() == sorted(arr.tolist())


def test_counts_do_not_depend_on_how_values_are_split():
    values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
    a, b = value_counts(values[:4]), value_counts(values[4:])
    merged = a.copy()
    merged.update(b)
    assert summarize(merged) == summarize(value_counts(values))


@pytest.fixture(scope="module")
def sample_partial():
    df = load("sample").head(400)
    return chunk_partial(df, load_lexicon())


def test_merging_repeated_chunks_grows_counts_not_state(sample_partial):
    p = sample_partial
    twice = merge_partials([p, p])
    assert sum(twice.rows.values()) == 2 * sum(p.rows.values())
    for key, table in p.texts.items():
        assert len(twice.texts[key]) == len(table), "one row per distinct text and split, however many copies"
        assert twice.texts[key]["count"].sum() == 2 * table["count"].sum()
    assert len(twice.lengths) == len(p.lengths) and twice.lengths["count"].sum() == 2 * p.lengths["count"].sum()


def test_a_stored_partial_reads_back_equal(sample_partial):
    back = partial_store.from_bytes(partial_store.to_bytes(sample_partial))
    for name in ("rows", "columns", "cooc_pairs", "cooc_single", "normalized_texts", "phi_ids", "log"):
        assert getattr(back, name) == getattr(sample_partial, name), name
    pd.testing.assert_frame_equal(back.terms, sample_partial.terms, check_dtype=False)
    for key, table in sample_partial.texts.items():
        pd.testing.assert_frame_equal(back.texts[key], table, check_dtype=False)


def test_a_second_run_reads_the_chunks_counts_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path / "cache"))
    first = dumps(source_stats("sample", chunk_rows=2000))
    entries = list((tmp_path / "cache" / "partials").glob("*.zip"))
    assert len(entries) >= 3

    def no_counting(*args, **kwargs):
        raise AssertionError("a cached chunk was counted again")

    monkeypatch.setattr(engines, "chunk_partial", no_counting)
    assert dumps(source_stats("sample", chunk_rows=2000)) == first
    for entry in entries:  # a planted or altered entry is a miss, never code and never an error
        entry.write_bytes(b"0" * 32 + b"\n" + b"cos\nsystem\n(S'echo owned'\ntR.")
    monkeypatch.undo()
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path / "cache"))
    assert dumps(source_stats("sample", chunk_rows=2000)) == first
