"""Tokenization: syllables (numbers whole, punctuation out), words with lexicon terms whole, sentences."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vixray_eda.text.pipeline import words
from vixray_eda.text.tokenize import sentences, syllables


def test_syllables_keep_decimals_whole_and_drop_punctuation():
    assert syllables("Chỉ số tim ngực 0,55; CTR = 0.6 (X-quang).") == [
        "Chỉ", "số", "tim", "ngực", "0,55", "CTR", "0.6", "X", "quang"]
    assert syllables("Vôi hoá") == ["Vôi", "hóa"]  # normalized first


def test_lexicon_terms_stay_one_word_whatever_the_case_or_tone_style():
    for text in ["vôi hóa quai động mạch chủ", "Vôi hoá quai động mạch chủ", "VÔI HÓA QUAI ĐỘNG MẠCH CHỦ"]:
        assert words(text) == ["vôi_hóa_quai_động_mạch_chủ"], text
    assert "tràn_dịch_màng_phổi" in words("Không thấy tràn dịch màng phổi.")
    assert "," not in words("Tim to, phổi sáng.")


def test_sentences_split_on_stops_and_line_breaks_but_not_decimals():
    assert sentences("Bóng tim to, CTR 0.55. Phổi sáng\nKhông tràn dịch") == [
        "Bóng tim to, CTR 0.55.", "Phổi sáng", "Không tràn dịch"]
    assert sentences("") == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_tokenizers_never_crash(text):
    sylls = syllables(text)
    ws = words(text)
    assert sum(len(w.split("_")) for w in ws) == len(sylls)
    assert all(s for s in sentences(text))
