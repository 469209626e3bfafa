"""`CachedCard`: the second card of the same frame, parameters and code is replayed from the cache, byte for byte,
without computing anything; any change to the inputs, or an altered entry, is a miss."""
from __future__ import annotations

import os
from multiprocessing import get_context
from pathlib import Path

import pytest

from report_helpers import small_dataset
from vixray_eda.data.sources import load
from vixray_eda.plots import render
from vixray_eda.report import cached_card
from vixray_eda.report.cached_card import CachedCard
from vixray_eda.report.figures import CardFigures
from vixray_eda.report.sections import SECTIONS

PAGE = {"title": "", "lang": "en", "figure_links": ["svg", "png"]}


@pytest.fixture
def frame(tmp_path, monkeypatch):
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path / "cache"))
    return load(small_dataset(tmp_path / "data", rows=120))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _fill(frame, out: Path, **kw) -> tuple[CachedCard, list[str]]:
    card = CachedCard(frame, **{**PAGE, **kw})
    pages = [card.html(key) for key in SECTIONS]
    card.write_outputs(out, formats=["png", "svg"])
    return card, pages


def test_the_same_card_is_replayed_from_the_cache_without_computing(frame, tmp_path, monkeypatch):
    first, pages = _fill(frame, tmp_path / "first")
    assert not first.hit

    def no_compute(*args, **kwargs):
        raise AssertionError("a cached card computed its results")

    monkeypatch.setattr(cached_card, "compute_results", no_compute)
    again = CachedCard(frame, **PAGE)
    assert again.hit
    assert [again.html(key) for key in SECTIONS] == pages
    written = again.write_outputs(tmp_path / "again", formats="png,svg")
    assert _files(tmp_path / "again") == _files(tmp_path / "first")
    assert sorted(p.relative_to(tmp_path / "again").as_posix() for p in written) == sorted(_files(tmp_path / "first"))
    with pytest.raises(AssertionError, match="computed its results"):
        again.results  # the results themselves are computed only when asked for


def test_other_parameters_other_data_or_an_altered_entry_are_misses(frame, tmp_path):
    _fill(frame, tmp_path / "first")
    assert CachedCard(frame, **PAGE).hit
    assert not CachedCard(frame, **{**PAGE, "lang": "vi"}).hit
    assert not CachedCard(frame, top_n=5, **PAGE).hit
    changed = frame.copy()
    changed.loc[changed.index[3], "findings"] += " Tràn dịch màng phổi."
    assert not CachedCard(changed, **PAGE).hit
    blob = next((tmp_path / "cache" / "cards" / "files").iterdir())
    blob.write_bytes(blob.read_bytes()[:-1] + b"!")
    assert not CachedCard(frame, **PAGE).hit


def test_a_replayed_card_with_other_formats_computes_them(frame, tmp_path):
    _fill(frame, tmp_path / "first")
    card = CachedCard(frame, **PAGE)
    written = card.write_outputs(tmp_path / "pdf", formats=["pdf"])
    assert card.hit and [p.suffix for p in written if p.parent.name == "figures"] == [".pdf"] * len(
        [p for p in written if p.parent.name == "figures"])
    assert written and all(p.is_file() for p in written)


def test_a_frame_that_cannot_be_hashed_is_not_cached(frame):
    odd = frame.assign(extra=[[1]] * len(frame))
    card = CachedCard(odd, **PAGE)
    assert card.key is None and not card.hit


def _drawn_log(monkeypatch, log: Path) -> None:
    """Record (process id, stem) of every figure drawn ahead, from either process."""
    original = CardFigures.draw_into_cache

    def logged(self, stems):
        original(self, stems)
        with log.open("a", encoding="utf-8") as out:
            out.writelines(f"{os.getpid()} {stem}\n" for stem in stems if self.available(stem))

    monkeypatch.setattr(CardFigures, "draw_into_cache", logged)


def test_a_cold_card_draws_each_figure_once_between_its_two_processes(frame, tmp_path, monkeypatch):
    log = tmp_path / "drawn.log"
    _drawn_log(monkeypatch, log)
    card = CachedCard(frame, **PAGE)
    card.card
    drawn = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(stem for _, stem in drawn) == sorted(card.card.figures.stems) == sorted(cached_card.AHEAD_ORDER)
    assert str(os.getpid()) != drawn[0][0]  # the other process begins while the results are computed here

    def no_drawing(*args, **kwargs):
        raise AssertionError("the card drew a figure the processes had drawn ahead")

    monkeypatch.setattr(render, "render_figure", no_drawing)
    card.write_outputs(tmp_path / "out", formats=["png", "svg", "pdf"])


def test_figures_the_other_process_failed_to_draw_are_drawn_here(frame, tmp_path, monkeypatch):
    def fails(*args):
        raise RuntimeError("the drawing process died")

    monkeypatch.setattr(cached_card, "_draw_ahead", fails)
    log = tmp_path / "drawn.log"
    _drawn_log(monkeypatch, log)
    card = CachedCard(frame, **PAGE)
    pages = [card.html(key) for key in SECTIONS]
    assert {line.split()[0] for line in log.read_text(encoding="utf-8").splitlines()} == {str(os.getpid())}
    card.write_outputs(tmp_path / "alone", formats=["png", "svg"])
    monkeypatch.undo()
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path / "other-cache"))
    _, shared = _fill(frame, tmp_path / "shared")
    assert pages == shared and _files(tmp_path / "alone") == _files(tmp_path / "shared")


def test_claims_hand_out_each_position_once():
    drawn = []

    class Figures:
        def draw_into_cache(self, stems):
            drawn.extend(stems)

    claimed = get_context("fork").Value("i", 3)
    cached_card._draw_claimed(Figures(), claimed)
    cached_card._draw_claimed(Figures(), claimed)
    assert drawn == list(cached_card.AHEAD_ORDER[3:])
