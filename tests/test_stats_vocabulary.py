"""Vocabulary: sizes and hapax, n-grams that keep negation, duplicate/template shares."""
from __future__ import annotations

import pandas as pd
import pytest

from vixray_eda.stats.vocabulary import clinical_stopwords, cloud_words, duplicate_table, top_ngrams, vocabulary_table
from vixray_eda.text.lexicon import load_lexicon

DF = pd.DataFrame({
    "split": ["train"] * 4,
    "findings": ["Không thấy tràn dịch màng phổi.", "Không thấy tràn dịch màng phổi.",
                 "Nốt mờ 5 mm đáy phổi phải.", "Nốt mờ 8 mm đáy phổi phải."],
    "impressions": ["Bình thường.", "Bình thường.", "Nốt mờ phổi.", ""],
})


def test_negation_is_never_a_stopword():
    assert {"không", "chưa"}.isdisjoint(clinical_stopwords(extra=["không", "chưa", "bệnh"]))
    assert "bệnh" in clinical_stopwords(extra=["bệnh"]) and "của" in clinical_stopwords()
    grams = top_ngrams(DF, n=2, level="syllables", stopwords=["không", "thấy"])["ngram"].tolist()
    assert "không tràn" in grams


def test_vocabulary_table():
    v = vocabulary_table(DF).set_index(["field", "level"])
    row = v.loc[("impressions", "syllables")]
    assert (row["tokens"], row["types"], row["hapax"]) == (7, 5, 3)  # bình thường ×2, nốt mờ phổi
    assert row["ttr"] == pytest.approx(5 / 7) and row["hapax_share"] == pytest.approx(3 / 5)
    assert v.loc[("findings", "words"), "tokens"] < v.loc[("findings", "syllables"), "tokens"]


def test_top_ngrams_counts_and_ties():
    uni = top_ngrams(DF, n=1, level="words", top=3)
    # five words seen twice (16 words in all); ties are broken by the word, and the negation is kept
    assert list(zip(uni["ngram"], uni["count"], uni["share"])) == [("không", 2, 0.125), ("mm", 2, 0.125),
                                                                 ("nốt_mờ", 2, 0.125)]
    tri = top_ngrams(DF, n=3, level="syllables", stopwords=[])
    assert tri.iloc[0]["count"] == 2 and tri["count"].is_monotonic_decreasing


def test_duplicates_and_templates():
    d = duplicate_table(DF, min_reports=2).set_index(["field", "kind"])
    assert d.loc[("findings", "repeated"), "reports"] == 2
    assert d.loc[("findings", "numbers_masked"), "reports"] == 4  # "5 mm"/"8 mm" masked
    assert d.loc[("impressions", "repeated"), "share"] == pytest.approx(2 / 3)


def test_word_clouds_show_content_words_while_ngrams_keep_negation():
    clouds = cloud_words(DF, "findings", load_lexicon())
    assert {"không", "thấy", "chưa"}.isdisjoint(clouds)  # cue words say nothing out of context
    assert clouds["tràn dịch màng phổi"] == 2 and clouds["nốt mờ"] == 2  # multi-syllable terms whole
    assert not any(w[0].isdigit() for w in clouds)
    assert "không" in top_ngrams(DF, n=1, level="words", field="findings")["ngram"].tolist()
