"""Mentions: longest match on syllable boundaries, assertion cues and scope, offsets into the original text."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vixray_eda.text.mentions import MENTION_COLUMNS
from vixray_eda.text.pipeline import extract_mentions


def found(text: str, kind: str | None = "finding") -> list[tuple[str, str, str]]:
    """(surface, concept, assertion) of the findings of `text` (of every mention with kind=None)."""
    m = extract_mentions([text], cache=False)
    m = m if kind is None else m[m["kind"] == kind]
    return [(s, c, a) for s, c, a in zip(m["surface"], m["concept"], m["assertion"])]


def assertion_of(text: str, concept: str) -> list[str]:
    return [a for _, c, a in found(text) if c == concept]


@pytest.mark.parametrize(("text", "concept", "expected"), [
    ("Không thấy tràn dịch màng phổi.", "pleural_effusion", ["absent"]),
    ("Không có tràn khí màng phổi.", "pneumothorax", ["absent"]),
    ("Chưa thấy tổn thương dạng nốt.", "nodule", ["absent"]),
    ("Không ghi nhận đông đặc.", "consolidation", ["absent"]),
    ("Chưa phát hiện khối mờ bất thường.", "mass", ["absent"]),
    ("Tim không to.", "cardiomegaly", ["absent"]),
    ("Bóng tim không to.", "cardiomegaly", ["absent"]),
    ("Rốn phổi hai bên không đậm.", "hilar_enlargement", ["absent"]),
    ("Các xương sườn không thấy gãy.", "rib_fracture", ["absent"]),
    ("Không còn tràn dịch màng phổi.", "pleural_effusion", ["absent"]),
    ("Tràn dịch màng phổi (-).", "pleural_effusion", ["absent"]),
    ("Nghi ngờ viêm phổi thùy dưới phải.", "pneumonia", ["uncertain"]),
    ("Theo dõi lao phổi.", "tuberculosis", ["uncertain"]),
    ("TD viêm phổi.", "pneumonia", ["uncertain"]),
    ("Tổn thương đỉnh phổi, nghĩ đến lao phổi.", "tuberculosis", ["uncertain"]),
    ("Hình ảnh gợi ý viêm phổi.", "pneumonia", ["uncertain"]),
    ("Dải mờ đáy phổi, có thể xẹp phổi.", "atelectasis", ["uncertain"]),
    ("Chưa loại trừ lao phổi.", "tuberculosis", ["uncertain"]),  # longest cue: not "chưa" negation
    ("Xẹp phổi thùy dưới?", "atelectasis", ["uncertain"]),
    ("Bóng tim hơi to.", "cardiomegaly", ["present"]),
    ("Quai ĐMC có vôi hóa.", "aortic_calcification", ["present"]),
    ("Tổn thương không thay đổi so với phim cũ, xơ phổi.", "fibrosis", ["present"]),
])
def test_assertion_cues(text, concept, expected):
    assert assertion_of(text, concept) == expected


def test_negation_governs_every_item_of_its_list():
    got = found("Không thấy tràn dịch, tràn khí màng phổi.")
    assert [(c, a) for _, c, a in got] == [("pleural_effusion", "absent"), ("pneumothorax", "absent")]
    got = found("Không thấy đông đặc, thâm nhiễm hoặc tổn thương dạng nốt.")
    assert {a for _, c, a in got if c != "lung"} == {"absent"}


@pytest.mark.parametrize("text", [
    "Không thấy tràn dịch màng phổi. Đám mờ đáy phổi phải.",  # sentence end
    "Không thấy tràn dịch màng phổi; đám mờ đáy phổi phải.",  # clause end
    "Không thấy tràn dịch màng phổi nhưng có đám mờ đáy phổi phải.",  # contrastive word
    "Không thấy tràn dịch màng phổi, tuy nhiên đám mờ đáy phổi phải.",
    "Không thấy tràn dịch màng phổi, phổi phải có đám mờ.",  # next list item starts with anatomy, not a finding
])
def test_negation_scope_ends(text):
    assert assertion_of(text, "pleural_effusion") == ["absent"]
    assert assertion_of(text, "opacity") == ["present"]


def test_anatomy_is_always_present():
    got = found("Không thấy tràn dịch, tràn khí màng phổi. Không thấy bất thường trung thất.", kind=None)
    assert [(c, a) for _, c, a in got if c == "mediastinum"] == [("mediastinum", "present")]


def test_longest_match_over_nested_terms():
    got = found("Vôi hóa quai động mạch chủ. Động mạch chủ bình thường. Quai động mạch chủ giãn.", kind=None)
    assert [(s, c) for s, c, _ in got] == [
        ("Vôi hóa quai động mạch chủ", "aortic_calcification"),
        ("quai động mạch chủ", "aorta"),  # anatomy nested in the finding, longest match too
        ("Động mạch chủ", "aorta"),
        ("Quai động mạch chủ giãn", "aortic_ectasia"),
        ("Quai động mạch chủ", "aorta"),
    ]
    assert [c for _, c, _ in found("Tràn dịch màng phổi trái.")] == ["pleural_effusion"]
    assert [c for _, c, _ in found("Dày dính màng phổi.")] == ["pleural_thickening"]


def test_syllable_boundaries():
    assert found("timer laophong", kind=None) == []
    assert [c for _, c, _ in found("Tim, phổi bình thường.", kind=None)] == ["heart", "lung"]
    assert found("Tràn dịch, màng phổi", kind=None) == [("Tràn dịch", "pleural_effusion", "present"), ("màng phổi", "pleura", "present")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Chỉ số tim ngực 0,55.", "present"),
    ("CTR = 0.62", "present"),
    ("chỉ số tim/ngực > 0,5", "present"),
    ("Bóng tim bình thường, CTR 0.45.", "absent"),
    ("Chỉ số tim ngực 48%.", "absent"),
])
def test_numeric_cardiomegaly_rule(text, expected):
    assert assertion_of(text, "cardiomegaly") == [expected]


def test_variants_tone_styles_case_and_abbreviations():
    for text in ["VÔI HOÁ QUAI ĐMC.", "calci hóa thành động mạch chủ", "canxi hoá ĐMC", "Aortic calcification noted"]:
        assert assertion_of(text, "aortic_calcification") == ["present"], text
    assert assertion_of("Quai động mạch chủ dãn.", "aortic_ectasia") == ["present"]
    assert assertion_of("Hình ảnh consolidation thùy dưới.", "consolidation") == ["present"]


def test_offsets_point_into_the_original_text():
    raw = unicodedata.normalize("NFD", "  Bóng  tim   to ,vôi hoá quai  ĐMC.\u200b Không thấy tràn dịch")
    m = extract_mentions(["", None, raw], cache=False)
    assert list(m.columns) == MENTION_COLUMNS
    assert set(m["doc"]) == {2}
    for s, e, surface in zip(m["start"], m["end"], m["surface"]):
        assert raw[s:e] == surface
    assert [unicodedata.normalize("NFC", s) for s in m["surface"]] == [
        "Bóng  tim   to", "Bóng  tim", "vôi hoá quai  ĐMC", "quai  ĐMC", "tràn dịch"]


@pytest.mark.parametrize("text, anatomy", [
    ("Bóng tim to.", ["heart"]), ("Tim không to.", ["heart"]), ("Tràn dịch màng phổi trái.", ["pleura"]),
    ("Gãy cung sau xương sườn 5 trái.", ["rib"]), ("Rốn phổi hai bên đậm.", ["hilum"]),
    ("Tổn thương mô kẽ.", []), ("Không thấy tràn khí màng phổi.", ["pleura"]),
])
def test_anatomy_inside_a_finding_is_mentioned_too(text, anatomy):
    m = extract_mentions([text], cache=False)
    nested = m[m["kind"] == "anatomy"]
    assert nested["concept"].tolist() == anatomy
    assert (nested["assertion"] == "present").all()
    finding = m[m["kind"] == "finding"].iloc[0]
    assert all(finding["start"] <= s and e <= finding["end"] for s, e in zip(nested["start"], nested["end"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=50) | st.sampled_from([
    "Không thấy tràn dịch, tràn khí màng phổi (-)?", "tim không to, CTR 0,6", "x\u0301 hoá ĐMC"]), max_size=4))
def test_extractor_never_crashes_and_offsets_stay_in_range(texts):
    m = extract_mentions(texts, cache=False)
    for d, s, e, surface in zip(m["doc"], m["start"], m["end"], m["surface"]):
        assert 0 <= s < e <= len(texts[d])
        assert texts[d][s:e] == surface
    assert set(m["assertion"]) <= {"present", "absent", "uncertain"}
