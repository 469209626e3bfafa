"""`CachedCard`: the second card of the same frame, parameters and code is replayed from the cache, byte for byte,
without computing anything; any change to the inputs, or an altered entry, is a miss."""
from __future__ import annotations

from pathlib import Path

import pytest

from report_helpers import small_dataset
from vixray_eda.data.sources import load
from vixray_eda.report import cached_card
from vixray_eda.report.cached_card import CachedCard
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
