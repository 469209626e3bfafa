"""`vixray-eda figures` computes only what the figures need, and exactly what the full results give them."""
from __future__ import annotations

from dataclasses import fields

import pandas as pd

import vixray_eda as vx
from vixray_eda.plots.figures import FigureResults
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
