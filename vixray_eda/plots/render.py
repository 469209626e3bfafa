"""The paper figures' file bytes, drawn on every core and kept by input digest.

Each figure is drawn once, in a worker process of a pool fed with the tidy `FigureResults`, and saved there in every
requested output (format, dpi) in the order given; the bytes come back to the caller, which writes them. Bytes
already rendered from the same inputs (same figure, same results, same package code, same matplotlib) come from the
cache folder (``cache_dir("figures")``: bytes after a digest line, never pickle; an altered entry is a miss).
Rendering is deterministic, so where a figure was drawn never changes its bytes.
"""
from __future__ import annotations

import importlib.metadata
import io
import json
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import PIL
from PIL import Image

from vixray_eda import __version__
from vixray_eda.cache import cache_dir, digest, read_entry, write_entry
from vixray_eda.plots.figures import PAPER_FIGURES, FigureResults
from vixray_eda.plots.formats import METADATA
from vixray_eda.plots.style import paper_style

__all__ = ["RASTER_DPI", "Output", "figure_key", "render_figure", "render_figures", "scaled_png"]

#: One file of a figure: (format, dpi).
Output = tuple[str, float]
#: The dpi of the raster every smaller PNG is scaled from (the paper's figure files are drawn at it).
RASTER_DPI = 300

_PACKAGE = Path(__file__).resolve().parents[1]
#: Hash of what a figure's look depends on besides its inputs: the plotting code and the modules it reads (labels,
#: split order, age bands), matplotlib's, wordcloud's and Pillow's versions. A change to any of them is a cache miss.
CODE_VERSION = digest(__version__, matplotlib.__version__, importlib.metadata.version("wordcloud"), PIL.__version__,
                      *(p.read_bytes() for p in [*sorted(Path(__file__).resolve().parent.glob("*.py")),
                                                 _PACKAGE / "labels.py", _PACKAGE / "labels.csv",
                                                 _PACKAGE / "data" / "schema.py", _PACKAGE / "stats" / "demographics.py"]))
_BUNDLE: FigureResults | None = None  # the results a worker process draws from (set by its initializer)


def _cell_digest(value: object) -> str:
    if isinstance(value, np.ndarray):
        return digest(str(value.dtype), str(value.shape), np.ascontiguousarray(value).tobytes())
    return digest(value) if isinstance(value, bytes) else digest(type(value).__name__, repr(value))


def _value_digest(value: object) -> str:
    """A stable digest of one input of a figure (DataFrame, Series, mapping, lexicon or plain value)."""
    if isinstance(value, pd.Series):
        value = value.to_frame()
    if isinstance(value, pd.DataFrame):
        try:
            hashed = pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes()
        except TypeError:  # unhashable cells, e.g. the contact sheet's pixel arrays
            hashed = digest(repr(list(value.index)), *(_cell_digest(v) for column in value.columns
                                                        for v in value[column])).encode("ascii")
        return digest(json.dumps([list(map(str, value.columns)), list(map(str, value.dtypes))]), hashed)
    if isinstance(value, Mapping):
        return digest(json.dumps(sorted((str(k), str(v)) for k, v in value.items())))
    version = getattr(value, "version", None)  # a Lexicon: its version digests its effective rows
    return digest(type(value).__name__, str(version) if version is not None else repr(value))


def figure_key(bundle: FigureResults, stem: str) -> str:
    """The cache key of figure `stem` drawn from `bundle`: its inputs, the label language, top_n and the code."""
    needs = PAPER_FIGURES[stem].needs
    return digest(CODE_VERSION, stem, bundle.lang, str(bundle.top_n), _value_digest(bundle.labels),
                  *(_value_digest(getattr(bundle, name)) for name in needs))


def render_figure(bundle: FigureResults, stem: str, outputs: Sequence[Output]) -> list[bytes]:
    """Draw figure `stem` once and save it to each of `outputs` in order; the bytes of each.

    A PNG below `RASTER_DPI` is the `RASTER_DPI` render scaled down (`scaled_png`), never a draw of its own: it costs
    a fraction of a draw and is antialiased like the paper's PNG, and its bytes do not depend on the other outputs.
    """
    fig = PAPER_FIGURES[stem].build(bundle)
    drawn: dict[Output, bytes] = {}

    def draw(fmt: str, dpi: float) -> bytes:
        if (fmt, dpi) not in drawn:
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=dpi, metadata=METADATA[fmt])
            drawn[fmt, dpi] = buffer.getvalue()
        return drawn[fmt, dpi]

    with paper_style():
        return [scaled_png(draw("png", RASTER_DPI), RASTER_DPI, dpi) if fmt == "png" and dpi < RASTER_DPI
                else draw(fmt, dpi) for fmt, dpi in outputs]


def scaled_png(png: bytes, dpi: float, to_dpi: float) -> bytes:
    """A PNG drawn at `dpi` as drawn at `to_dpi` (smaller): resampled with a Lanczos filter to the pixel size
    matplotlib gives that dpi (inches × dpi, truncated), with the same dpi record and no other metadata."""
    with Image.open(io.BytesIO(png)) as image:
        size = tuple(int(pixels / dpi * to_dpi) for pixels in image.size)
        scaled = image.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    scaled.save(buffer, format="png", dpi=(to_dpi, to_dpi))
    return buffer.getvalue()


def _init_worker(bundle: FigureResults) -> None:
    global _BUNDLE
    _BUNDLE = bundle


def _render_in_worker(job: tuple[str, tuple[Output, ...]]) -> list[bytes]:
    assert _BUNDLE is not None, "the worker's initializer sets the bundle"
    return render_figure(_BUNDLE, *job)


def _entry_path(key: str, output: Output) -> Path | None:
    try:
        return cache_dir("figures") / f"{key}-{output[1]:g}.{output[0]}"
    except OSError:  # the cache is optional
        return None


def _default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def render_figures(bundle: FigureResults, stems: Sequence[str], outputs: Sequence[Output],
                   workers: int | None = None, cache: bool = True) -> dict[str, dict[Output, bytes]]:
    """stem → output → bytes for `stems`, each figure drawn at most once and only for outputs not in the cache.

    Figures to draw are spread over `workers` processes (default: up to 2); one worker, or one figure, draws
    in this process. `cache=False` neither reads nor writes the cache folder.
    """
    outputs = tuple(dict.fromkeys(outputs))
    files: dict[str, dict[Output, bytes]] = {stem: {} for stem in stems}
    keys = {stem: figure_key(bundle, stem) for stem in stems} if cache else {}
    jobs: list[tuple[str, tuple[Output, ...]]] = []
    for stem in stems:
        for output in outputs:
            path = _entry_path(keys[stem], output) if cache else None
            payload = read_entry(path) if path is not None else None
            if payload is not None:
                files[stem][output] = payload
        missing = tuple(o for o in outputs if o not in files[stem])
        if missing:
            jobs.append((stem, missing))
    n_workers = min(len(jobs), _default_workers() if workers is None else max(1, int(workers)))
    if n_workers <= 1:
        drawn = [render_figure(bundle, *job) for job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=n_workers, initializer=_init_worker, initargs=(bundle,)) as pool:
            drawn = list(pool.map(_render_in_worker, jobs))
    for (stem, missing), payloads in zip(jobs, drawn):
        for output, payload in zip(missing, payloads):
            files[stem][output] = payload
            path = _entry_path(keys[stem], output) if cache else None
            if path is not None:
                write_entry(path, payload)
    return {stem: {o: files[stem][o] for o in outputs} for stem in stems}
