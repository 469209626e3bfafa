"""Issue 10, item 12: the text cache holds data, never code; a bad entry is a cache miss."""
from __future__ import annotations

import os
import pickle

import pytest

from test_text_pipeline import TEXTS, assert_same
from vixray_eda.text import pipeline


class _Payload:
    """Unpickling this runs `os.system` (what a planted cache entry would do)."""

    def __init__(self, flag):
        self.flag = flag

    def __reduce__(self):
        return os.system, (f"touch {self.flag}",)


@pytest.fixture(autouse=True)
def _forget_memory():
    """Each test starts and ends with an empty memory cache (other tests expect to fill it themselves)."""
    pipeline._MEMORY.clear()
    yield
    pipeline._MEMORY.clear()


def _entries(root):
    return [p for p in (root / "text").iterdir() if not p.name.startswith(".")]


def test_a_planted_pickle_is_never_run(tmp_path, monkeypatch):
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path))
    expected = pipeline.analyze_texts(TEXTS, cache=False)
    pipeline._MEMORY.clear()
    pipeline.analyze_texts(TEXTS)
    flag = tmp_path / "ran"
    for entry in _entries(tmp_path):
        entry.write_bytes(pickle.dumps(_Payload(flag)))
    pipeline._MEMORY.clear()
    assert_same(pipeline.analyze_texts(TEXTS), expected)
    assert not flag.exists(), "a cache entry ran code"


def test_entries_are_data_and_are_verified(tmp_path, monkeypatch):
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path))
    expected = pipeline.analyze_texts(TEXTS, cache=False)
    pipeline._MEMORY.clear()
    pipeline.analyze_texts(TEXTS)
    [entry] = _entries(tmp_path)
    data = entry.read_bytes()
    assert not data.startswith(b"\x80"), "the entry is a pickle"
    pipeline._MEMORY.clear()
    assert_same(pipeline.analyze_texts(TEXTS), expected)  # read back from disk
    entry.write_bytes(data.replace("Bóng tim".encode(), "Bóng XYZ".encode(), 1))  # same size, other content
    pipeline._MEMORY.clear()
    assert_same(pipeline.analyze_texts(TEXTS), expected)  # the altered entry is a miss, recomputed


def test_an_entry_is_read_back_without_recomputing(tmp_path, monkeypatch):
    """A hit must really be a hit: with the computation disabled, the disk entry alone answers (every column,
    including how each term matched)."""
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path))
    pipeline._MEMORY.clear()
    expected = pipeline.analyze_texts(TEXTS)
    pipeline._MEMORY.clear()

    def no_compute(*args, **kwargs):
        raise AssertionError("recomputed although the entry was on disk")

    monkeypatch.setattr(pipeline, "_compute", no_compute)
    from_disk = pipeline.analyze_texts(TEXTS)
    assert_same(from_disk, expected)
    assert list(from_disk.mentions.columns) == pipeline.ANALYSIS_MENTION_COLUMNS
    assert [r.mentions for r in from_disk.sentences] == [r.mentions for r in expected.sentences]
