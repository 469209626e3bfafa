"""Normalization: NFC, old → new tone placement, whitespace/punctuation spacing, audit and offset map."""
from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vixray_eda.text.normalize import (_WS_RUN_RE, STEPS, _collapse_ws, normalization_audit, normalize_text,
                                      normalize_with_offsets)

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


@pytest.mark.parametrize(("raw", "expected"), [
    ("Vôi hoá quai động mạch chủ", "Vôi hóa quai động mạch chủ"),
    ("thuỷ phổi, hoà lẫn, khoẻ", "thủy phổi, hòa lẫn, khỏe"),
    ("HOÁ THUỶ Uỷ", "HÓA THỦY Ủy"),
    ("quý quỳ hoàng thuyết", "quý quỳ hoàng thuyết"),  # qu + y and closed syllables are the same in both styles
    (NFD("Bóng tim to"), "Bóng tim to"),
    ("Bóng  tim\u00a0to ,phổi sáng .Tràn dịch( - )", "Bóng tim to, phổi sáng. Tràn dịch(-)"),
    ("chỉ số tim ngực 0,55 ; CTR 0.6", "chỉ số tim ngực 0,55; CTR 0.6"),
    ("tim\u200b to\ufeff", "tim to"),
    ("  dòng 1 \n\n  dòng 2  ", "dòng 1\ndòng 2"),
    (None, ""),
    ("", ""),
    (float("nan"), ""),
])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_steps_are_ordered_and_named():
    assert STEPS == ("control_chars", "nfd", "old_tone_placement", "whitespace", "punctuation_spacing")


def test_audit_counts_each_step_with_examples():
    texts = [NFD("Bóng tim to."), "Vôi hoá ĐMC.", "tim  to", "tim to ,phổi sáng", "tim\u200bto", "Bình thường.", None]
    audit = normalization_audit(texts).set_index("step")
    assert list(audit.index) == [*STEPS, "any"]
    assert audit.loc["nfd", "changed"] == 1
    assert audit.loc["old_tone_placement", "changed"] == 1
    assert audit.loc["whitespace", "changed"] == 1
    assert audit.loc["punctuation_spacing", "changed"] == 1
    assert audit.loc["control_chars", "changed"] == 1
    assert audit.loc["any", "changed"] == 5
    assert audit.loc["any", "share"] == pytest.approx(5 / 6)
    assert "hóa" in audit.loc["old_tone_placement", "examples"]


@pytest.mark.parametrize("raw", [NFD("Vôi hoá  quai ĐMC ,tim to"), "a\u200b  b", "  xẹp phổi  ( ? )", NFD("Ủy")])
def test_offsets_map_each_character_back(raw):
    norm, starts, ends = normalize_with_offsets(raw)
    assert norm == normalize_text(raw)
    assert len(starts) == len(ends) == len(norm)
    assert starts == sorted(starts)
    assert normalize_text(raw[starts[0]:ends[-1]]) == norm
    # every word of the normalized text maps back to the original word it came from
    for word_start in [0] + [i + 1 for i, ch in enumerate(norm) if ch == " "]:
        word_end = norm.find(" ", word_start)
        word_end = len(norm) if word_end < 0 else word_end
        assert normalize_text(raw[starts[word_start]:ends[word_end - 1]]) == norm[word_start:word_end]


VIET = st.text(alphabet=st.sampled_from(list("aăâeêioôơuưy hoaúỷàã,.;:()?-0123456789\n\t\u0301\u0300\u0309\u200bĐđTHK")),
               max_size=60)


@settings(max_examples=150, deadline=None)
@given(VIET)
def test_idempotent_and_offset_variant_agrees_on_vietnamese(text):
    norm = normalize_text(text)
    assert normalize_text(norm) == norm
    mapped, starts, ends = normalize_with_offsets(text)
    assert mapped == norm
    assert all(0 <= s <= e <= len(text) for s, e in zip(starts, ends))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_unicode_never_crashes(text):
    norm = normalize_text(text)
    assert normalize_text(norm) == norm
    mapped, starts, ends = normalize_with_offsets(text)
    assert len(starts) == len(mapped)
    assert all(0 <= s <= e <= len(text) for s, e in zip(starts, ends))


def test_a_stray_combining_mark_after_an_old_style_pair_stays_idempotent():
    """Found by hypothesis: "oà" followed by a combining grave NFC cannot compose; moving the tone must compose the
    stray mark with the second vowel, or a second pass changes the text again."""
    once = normalize_text("o\u00e0\u0300")
    assert once == "\u00f2\u00e0" and normalize_text(once) == once
    assert normalize_with_offsets("o\u00e0\u0300")[0] == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\n\r\t\u00a0\u2003\x0b\x0c\u0085")), max_size=40))
def test_whitespace_runs_collapse_as_one_run_of_any_whitespace_would(text):
    """Only runs that change are matched (a lone space or newline is skipped): the result is that of replacing every
    run of whitespace, kept a newline when it holds a line break, else a space."""
    every_run = re.sub(r"\s+", lambda m: "\n" if ("\n" in m.group(0) or "\r" in m.group(0)) else " ", text)
    assert _WS_RUN_RE.sub(_collapse_ws, text) == every_run
