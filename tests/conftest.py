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
