"""Shared test set-up: a project-local cache folder, and builders of small ViX-Ray-shaped sources."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
REPO = Path(__file__).resolve().parents[1]
# One cache for the whole run (all xdist workers): the sample is built once, atomically.
os.environ.setdefault("VIXRAY_EDA_CACHE", str(REPO / ".cache" / "tests"))


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory) -> Path:
    """The card of the embedded sample with default parameters, built once per test session (slow tests share it)."""
    from vixray_eda.report.run import build_report

    return build_report("sample", tmp_path_factory.mktemp("sample-report") / "card", progress=False)


@pytest.fixture
def drawn_figures(monkeypatch) -> list[str]:
    """The stems the figure renderer draws from here on, in order (it still draws them: the count is in process)."""
    from vixray_eda.plots import render

    drawn: list[str] = []
    original = render.render_figure

    def counting(bundle, stem, outputs):
        drawn.append(stem)
        return original(bundle, stem, outputs)

    monkeypatch.setattr(render, "render_figure", counting)
    return drawn
