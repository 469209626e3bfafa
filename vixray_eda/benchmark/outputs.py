"""Writing a benchmark: index.html, stats.json and figures/ (PDF/SVG/PNG), into a folder built beside the target
and moved into place only when complete (`vixray_eda.report.atomic.building`), byte-identical from run to run."""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from vixray_eda.benchmark.card import BenchmarkCard
from vixray_eda.benchmark.perturb import perturb_references
from vixray_eda.benchmark.score import DEFAULT_RESAMPLES, score
from vixray_eda.benchmark.stats_json import build_stats
from vixray_eda.data.sources import load
from vixray_eda.errors import ParameterError
from vixray_eda.files import write_text_atomic
from vixray_eda.plots.save import FORMATS, as_formats, save_figure
from vixray_eda.report.atomic import building
from vixray_eda.report.stats_json import dumps

__all__ = ["FIGURE_DPI", "write_files", "build_benchmark", "load_references", "write_sample_predictions"]

FIGURE_DPI = 300


def write_files(card: BenchmarkCard, folder: str | Path, formats: str | Sequence[str] = FORMATS) -> list[Path]:
    """index.html, stats.json and figures/<stem>.<format> of a card into `folder` (each file atomically; the folder
    as a whole is made atomic by `build_benchmark`); returns the paths."""
    folder, formats = Path(folder), as_formats(formats)
    paths = [write_text_atomic(folder / "stats.json", dumps(build_stats(card.b))),
             write_text_atomic(folder / "index.html", card.page())]
    for stem, fig in card.figures().items():
        paths += save_figure(fig, folder / "figures" / stem, formats=formats, dpi=FIGURE_DPI)
    return paths


def load_references(data: str, split: str | None = "test"):
    """The references of a `vx.load` source: one split, or every split when `split` is None or "all"."""
    return load(data, splits=None if split in (None, "all") else [split])


def build_benchmark(data: str, predictions: Sequence[str | Path], out: str | Path, key: str = "id",
                    uncertain: str = "positive", split: str | None = "test", force: bool = False,
                    formats: Sequence[str] = FORMATS, resamples: int = DEFAULT_RESAMPLES, seed: int = 0,
                    title: str = "ViX-Ray report-generation benchmark") -> Path:
    """Score `predictions` against the references of `data` and write the benchmark card into `out` atomically."""
    references = load_references(data, split)
    benchmark = score(references, list(predictions), key=key, uncertain=uncertain, resamples=resamples, seed=seed,
                      source=data, split=split)
    card = BenchmarkCard(benchmark, title=title)
    out = Path(out)
    with building(out, force=force) as tmp:
        write_files(card, tmp, formats)
    return out


def write_sample_predictions(data: str, model: str, out: str | Path, seed: int = 0, split: str | None = "test",
                             rates: Mapping[str, float] | None = None, key: str = "id") -> Path:
    """`out/<model>.jsonl`: predictions made by perturbing the references of `data` (see `perturb_references`),
    one JSON object per line with the key, findings, impressions, model and what was planted."""
    if not model or Path(model).name != model or model.startswith("."):
        raise ParameterError(f"--model must be a plain file name, not {model!r}")
    frame = perturb_references(load_references(data, split), rates=rates, seed=seed, key=key)
    lines = [json.dumps({**row, "model": model}, ensure_ascii=False, sort_keys=True)
             for row in frame.to_dict("records")]
    return write_text_atomic(Path(out) / f"{model}.jsonl", "\n".join(lines) + "\n")
