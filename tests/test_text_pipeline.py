"""The shared text pass: identical results with and without cache and worker processes; memoization."""
from __future__ import annotations

import pandas as pd
import pytest

from vixray_eda.text import pipeline
from vixray_eda.text.pipeline import analyze_texts

TEXTS = [
    "Bóng tim to, chỉ số tim ngực 0,58. Không thấy tràn dịch, tràn khí màng phổi.",
    "Vôi hoá quai ĐMC. Bóng tim không to.",
    None,
    "",
    "Bóng tim to, chỉ số tim ngực 0,58. Không thấy tràn dịch, tràn khí màng phổi.",  # duplicate document
] + [f"Nốt mờ {i} mm đáy phổi phải. Không thấy tràn dịch, tràn khí màng phổi." for i in range(40)]


def as_frames(a):
    return a.docs, a.mentions, [a.word_tokens(d) for d in range(len(a.docs))]


def assert_same(a, b):
    da, ma, wa = as_frames(a)
    db, mb, wb = as_frames(b)
    pd.testing.assert_frame_equal(da, db)
    pd.testing.assert_frame_equal(ma, mb)
    assert wa == wb


def test_parallel_and_cached_results_equal_the_serial_uncached_one(tmp_path, monkeypatch):
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path))
    serial = analyze_texts(TEXTS, workers=1, cache=False)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_SENTENCES", 1)
    parallel = analyze_texts(TEXTS, workers=2, cache=False)
    assert_same(serial, parallel)
    first = analyze_texts(TEXTS, workers=2, cache=True)
    assert len(list((tmp_path / "text").glob("*.json"))) == 1
    pipeline._MEMORY.clear()
    from_disk = analyze_texts(TEXTS, workers=1, cache=True)
    assert from_disk is not first  # read back from disk, not the memory cache
    assert_same(serial, first)
    assert_same(serial, from_disk)


def test_memoizes_sentences_and_counts_units():
    a = analyze_texts(TEXTS, cache=False)
    # 40 distinct "Nốt mờ N mm" sentences + 1 shared negation sentence + 3 others
    assert len(a.sentences) == 40 + 1 + 3
    row = a.docs.iloc[1]
    assert (row["chars"], row["syllables"], row["sentences"]) == (len("Vôi hóa quai ĐMC. Bóng tim không to."), 8, 2)
    assert a.docs.iloc[2][["chars", "syllables", "words", "sentences"]].tolist() == [0, 0, 0, 0]
    assert a.doc_sentences[0] == a.doc_sentences[4]


def test_cache_key_depends_on_lexicon(tmp_path, monkeypatch):
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path))
    from vixray_eda.text.lexicon import COLUMNS, load_lexicon
    user = tmp_path / "u.csv"
    user.write_text(",".join(COLUMNS) + "\nnốt mờ,mass,finding,khối mờ,Mass,x\n", encoding="utf-8")
    default = analyze_texts(TEXTS[5:6])
    custom = analyze_texts(TEXTS[5:6], lexicon=load_lexicon(user))
    assert "nodule" in set(default.mentions["concept"])
    assert "mass" in set(custom.mentions["concept"]) and "nodule" not in set(custom.mentions["concept"])


@pytest.mark.parametrize("workers", [0, -3])
def test_nonpositive_workers_mean_serial(workers):
    assert_same(analyze_texts(TEXTS[:2], workers=workers, cache=False), analyze_texts(TEXTS[:2], cache=False))


def test_the_disk_cache_is_optional_and_never_an_error(tmp_path, monkeypatch):
    import vixray_eda.text.pipeline as pipeline
    from vixray_eda.cache import cache_dir

    texts = ["Bóng tim to. Không thấy tràn dịch màng phổi.", "Gãy xương sườn 5 trái."]
    expected = pipeline.analyze_texts(texts, cache=False).mentions
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path / "cache"))
    pipeline._MEMORY.clear()
    pipeline.analyze_texts(texts)
    for entry in cache_dir("text").glob("*.json"):
        entry.write_bytes(b"not a pickle")  # a truncated or foreign entry
    pipeline._MEMORY.clear()
    assert pipeline.analyze_texts(texts).mentions.equals(expected)
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path / "file" / "cache"))  # cannot be created
    pipeline._MEMORY.clear()
    assert pipeline.analyze_texts(texts).mentions.equals(expected)
