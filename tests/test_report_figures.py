"""`vixray-eda figures` computes only what the figures need, and exactly what the full results give them."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import fields

import pandas as pd

import vixray_eda as vx
from vixray_eda.plots import render
from vixray_eda.plots.figures import FigureResults
from vixray_eda.report.card import Card
from vixray_eda.report.figures import compute_figure_results, figure_results


def test_figure_results_without_the_full_statistics_equal_those_of_compute_results():
    df = vx.load("sample").groupby("split").head(150)
    for lang in ("en", "vi"):
        light = compute_figure_results(df, top_n=7, lang=lang)
        full = figure_results(vx.compute_results(df, top_n=7), lang)
        for f in fields(FigureResults):
            a, b = getattr(light, f.name), getattr(full, f.name)
            if isinstance(a, pd.DataFrame):
                pd.testing.assert_frame_equal(a, b)
            elif f.name == "labels":
                assert a.version == b.version
            else:
                assert a == b, f.name


def test_a_figures_run_loads_no_notebook_stack_no_scipy_and_no_segmenter():
    code = ("import sys, vixray_eda.cli, vixray_eda.report.run, vixray_eda.report.outputs; "
            "print(sorted({'nbformat', 'papermill', 'scipy', 'underthesea'} & set(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert loaded.strip() == "[]"


def test_the_card_draws_each_figure_once_for_its_inline_pngs_and_its_files(monkeypatch, tmp_path, drawn_figures):
    drawn = drawn_figures
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(render, "_default_workers", lambda: 1)  # in this process, where the count is kept
    results = vx.compute_results(vx.load("sample").groupby("split").head(100))
    card = Card(results)
    html = card.html("lengths") + card.html("figures")
    paths = card.write_outputs(tmp_path / "out", formats="png,svg")
    assert sorted(drawn) == sorted(card.figures.stems) and len(card.figures.stems) == 10
    assert html.count("data:image/png;base64,") == 1
    assert sorted(p.name for p in paths if p.parent.name == "figures") == sorted(
        f"{stem}.{fmt}" for stem in card.figures.stems for fmt in ("png", "svg"))
