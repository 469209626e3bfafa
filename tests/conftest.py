"""Shared test set-up: a project-local cache folder, and builders of small ViX-Ray-shaped sources."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
REPO = Path(__file__).resolve().parents[1]
# One cache for the whole run (all xdist workers): the sample is built once, atomically.
os.environ.setdefault("VIXRAY_EDA_CACHE", str(REPO / ".cache" / "tests"))
