"""A registered statistic reaches Results, stats.json and its card section without any other change."""
from __future__ import annotations

import pandas as pd
import pytest

import vixray_eda as vx
from builders import hf_folder
from vixray_eda.labels import load_labels
from vixray_eda.report.card import Card
from vixray_eda.report.sections import SECTIONS
from vixray_eda.report.stats_json import build_stats
from vixray_eda.stats import registry


def test_every_registered_statistic_is_shown_in_a_card_section_and_labelled():
    labels = load_labels()
    for entry in registry.STATISTICS.values():
        assert entry.section in SECTIONS, entry.key
        assert labels["en"][entry.key] and labels["vi"][entry.key], entry.key


def test_a_new_registered_statistic_goes_end_to_end(monkeypatch, tmp_path):
    def rows_per_split(inputs: registry.StatisticInputs) -> pd.DataFrame:
        counts = inputs.frame["split"].value_counts().sort_index()
        return pd.DataFrame({"split": counts.index, "rows": counts.to_numpy(), "share": counts.to_numpy() / counts.sum()})

    monkeypatch.setitem(registry.STATISTICS, "demo_rows",
                        registry.Statistic("demo_rows", "splits", rows_per_split, {"share": "percent"}))
    monkeypatch.setitem(load_labels()["en"], "demo_rows", "Rows again")
    results = vx.compute_results(vx.load(hf_folder(tmp_path, {"train": 6, "dev": 3})))
    assert list(results.statistics["demo_rows"]["rows"]) == [3, 6]
    assert build_stats(results)["statistics"]["demo_rows"][1] == {"split": "train", "rows": 6, "share": 0.6667}
    html = Card(results).html("splits")
    assert "<h3>Rows again</h3>" in html and "66.7%" in html


def test_a_statistic_with_an_unknown_column_format_is_refused():
    with pytest.raises(ValueError, match="unknown column format"):
        registry.statistic("x", "splits", {"share": "fraction"})
