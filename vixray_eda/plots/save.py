"""Writing figures: PDF, SVG and PNG files that are byte-identical across runs, each written atomically.

The one place in `vixray_eda.plots` that writes files. Reproducibility comes from the paper style (fixed SVG hash
salt, embedded TrueType fonts) and from metadata without dates or software versions.
"""
from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from matplotlib.figure import Figure

from vixray_eda.errors import ParameterError
from vixray_eda.files import write_bytes_atomic
from vixray_eda.plots.formats import FORMATS, METADATA, as_formats
from vixray_eda.plots.style import paper_style

__all__ = ["FORMATS", "METADATA", "as_formats", "save_figure", "write_figure_files"]


def _write_atomically(path: Path, fig: Figure, fmt: str, dpi: float) -> None:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=METADATA[fmt])
    write_bytes_atomic(path, buffer.getvalue())


def save_figure(fig: Figure, stem: str | os.PathLike[str], formats: Sequence[str] = FORMATS,
                dpi: float = 300) -> list[Path]:
    """Write `fig` to ``stem.pdf``, ``stem.svg``, ``stem.png`` (those in `formats`, in that order); return the paths.

    `stem` is a path without extension (a dot in its name is kept: ``fig.v2`` → ``fig.v2.pdf``). Parent folders are
    created. Each file is written to a temporary name and renamed, so a reader never sees half a file. Same figure,
    same bytes: no dates, no software versions, a fixed SVG hash salt.
    """
    stem = Path(stem)
    if not stem.name or stem.name in (".", ".."):
        raise ParameterError(f"save_figure: {str(stem)!r} is not a file stem")
    formats = as_formats(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ParameterError(f"save_figure: formats must be among {', '.join(FORMATS)}, not {formats!r}")
    if dpi <= 0:
        raise ParameterError(f"save_figure: dpi must be positive, not {dpi!r}")
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    with paper_style():
        for fmt in dict.fromkeys(formats):
            path = stem.parent / f"{stem.name}.{fmt}"
            _write_atomically(path, fig, fmt, dpi)
            paths.append(path)
    return paths


def write_figure_files(files: Mapping[str, Mapping[str, bytes]], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write rendered figure bytes (stem → format → bytes) as ``out_dir/<stem>.<format>``, in the order given, each
    atomically; return the paths."""
    paths = []
    for stem, by_format in files.items():
        for fmt, data in by_format.items():
            paths.append(write_bytes_atomic(Path(out_dir) / f"{stem}.{fmt}", data))
    return paths
