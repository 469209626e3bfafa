"""Real radiologists' wording: labelling conventions, wording variety, hedges, shorthand, typos (issue 9).

Every sentence here is a minimal sentence written for the rule it pins, not taken from any evaluation set.
"""
from __future__ import annotations

import pytest

from vixray_eda.errors import DataError
from vixray_eda.text.abbreviations import ABBREVIATION_COLUMNS, expand, abbreviation_index, parse_abbreviation
from vixray_eda.text.lexicon import fold, load_lexicon
from vixray_eda.text.mentions import MENTION_COLUMNS
from vixray_eda.text.pipeline import extract_mentions
from vixray_eda.text.pipeline import analyze_texts
from vixray_eda.text.tokenize import syllable_spans


def findings(text: str, lexicon=None) -> list[tuple[str, str]]:
    """(concept, assertion) of the finding mentions of `text`, in order."""
    m = extract_mentions([text], lexicon=lexicon, cache=False)
    m = m[m["kind"] == "finding"]
    return list(zip(m["concept"], m["assertion"]))


def mentions(text: str, lexicon=None):
    return analyze_texts([text], lexicon=lexicon, cache=False).mentions


# ------------------------------------------------------------------ labelling conventions

@pytest.mark.parametrize(("text", "expected"), [
    ("Ứ huyết phổi hai bên.", [("pulmonary_edema", "present")]),  # congestion
    ("Ứ huyết mạch máu phổi.", [("pulmonary_edema", "present")]),
    ("Góc sườn hoành trái tù.", [("pleural_effusion", "present")]),  # blunted angle: effusion, not opacity
    ("Góc sườn hoành phải mờ - tù.", [("pleural_effusion", "present")]),
    ("Có đường cong Damoiseau bên phải.", [("pleural_effusion", "present")]),
    ("Tràn dịch màng ngoài tim lượng ít.", [("pericardial_effusion", "present")]),  # not pleural
    ("Dịch màng tim lượng ít.", [("pericardial_effusion", "present")]),
    ("Hình ảnh viêm phế quản.", []),  # bronchitis alone is not bronchovascular markings
    ("Tổn thương viêm thùy dưới trái.", []),  # "viêm" alone is not pneumonia
    ("Dải xơ mờ đỉnh phổi trái.", [("fibrosis", "present")]),  # a specified opacity is what it specifies
    ("Hình mờ dạng khối thùy trên phải.", [("mass", "present")]),
    ("Đám mờ dạng đông đặc đáy phổi phải.", [("consolidation", "present")]),
    ("Có hình ảnh mờ kẽ đáy phổi.", [("interstitial_lung_disease", "present")]),
    ("Hình mờ dạng phù phổi quanh rốn.", [("pulmonary_edema", "present")]),
    ("Dày tổ chức kẽ hai đáy phổi.", [("interstitial_lung_disease", "present")]),  # thickened interstitium
    ("Dày khoảng kẽ vùng đáy.", [("interstitial_lung_disease", "present")]),
    ("Xơ hóa mô kẽ lan tỏa.", [("interstitial_lung_disease", "present")]),
    ("Tăng đậm phế quản hai bên.", [("bronchovascular_markings", "present")]),
    ("Không còn thấy tràn dịch màng phổi phải so với phim trước.", [("pleural_effusion", "absent")]),
])
def test_labelling_conventions(text, expected):
    assert findings(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Kích thước bóng tim trong giới hạn bình thường.", [("cardiomegaly", "absent")]),
    ("Chỉ số tim/ngực trong giới hạn bình thường.", [("cardiomegaly", "absent")]),
    ("Bóng tim và trung thất trong giới hạn bình thường.",
     [("cardiomegaly", "absent"), ("mediastinal_widening", "absent")]),
    ("Kích thước tim ở giới hạn cao.", [("cardiomegaly", "uncertain")]),
    ("Rốn phổi hai bên trong giới hạn bình thường.", [("hilar_enlargement", "absent")]),
    ("Phổi trong giới hạn bình thường.", []),  # no size finding for the lung
    ("Bóng tim to. Phổi trong giới hạn bình thường.", [("cardiomegaly", "present")]),  # stops at the sentence
])
def test_size_within_normal_limits(text, expected):
    assert findings(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Đám mờ thùy dưới trái, nghĩ do viêm.", [("opacity", "present")]),  # hedge on the cause
    ("Dải xơ đỉnh phổi phải, khả năng do tổn thương cũ.", [("fibrosis", "present")]),
    ("Bóng tim to, có thể do tư thế chụp.", [("cardiomegaly", "uncertain")]),  # hedge on the finding itself
    ("Mờ nhẹ đáy phổi trái do chồng hình.", [("opacity", "uncertain")]),
    ("Đám mờ đáy phổi phải, chưa loại trừ ảnh giả.", [("opacity", "uncertain")]),
])
def test_cause_hedge_versus_finding_hedge(text, expected):
    assert findings(text) == expected


# ------------------------------------------------------------------ wording variety

@pytest.mark.parametrize(("text", "expected"), [
    ("Kích thước bóng tim tăng nhẹ.", [("cardiomegaly", "present")]),  # measurement phrasing
    ("Bóng tim tăng kích thước.", [("cardiomegaly", "present")]),
    ("Kích thước bóng tim không tăng.", [("cardiomegaly", "absent")]),
    ("Bóng tim to bè.", [("cardiomegaly", "present")]),
    ("Giãn rộng trung thất.", [("mediastinal_widening", "present")]),  # head-modifier order
    ("Trung thất giãn rộng.", [("mediastinal_widening", "present")]),
    ("Màng phổi dày dính.", [("pleural_thickening", "present")]),
    ("Dày dính màng phổi.", [("pleural_thickening", "present")]),
])
def test_measurement_and_word_order(text, expected):
    assert findings(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Không thấy hình ảnh đông đặc.", [("consolidation", "absent")]),
    ("Không thấy đám tổn thương dạng khối.", [("mass", "absent")]),
    ("Nghi ngờ hình nốt mờ tròn thùy trên trái.", [("nodule", "uncertain")]),  # not "hình nốt" + "mờ"
    ("Chưa thấy hình dạng nốt bất thường.", [("nodule", "absent")]),
])
def test_classifier_words_between_cue_and_term(text, expected):
    assert findings(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Không thấy khối - nốt mờ.", [("mass", "absent"), ("nodule", "absent")]),  # shared tail
    ("Giãn phế quản - phế nang đáy phổi phải.", [("bronchiectasis", "present"), ("emphysema", "present")]),
    ("Tràn dịch màng phổi và màng tim lượng ít.",
     [("pleural_effusion", "present"), ("pericardial_effusion", "present")]),  # shared head over "và"
    ("Không thấy đông đặc hay xẹp phổi.", [("consolidation", "absent"), ("atelectasis", "absent")]),
    ("Không thấy tràn dịch/tràn khí màng phổi.", [("pleural_effusion", "absent"), ("pneumothorax", "absent")]),
    ("Xẹp phổi kèm tràn dịch màng phổi trái.", [("atelectasis", "present"), ("pleural_effusion", "present")]),
])
def test_coordinated_lists(text, expected):
    assert findings(text) == expected


def test_shared_tail_needs_a_tight_join():
    # "viêm kèm xẹp phổi" is inflammation with collapse, not "viêm phổi"
    assert findings("Nghĩ đến tổn thương viêm kèm xẹp phổi.") == [("atelectasis", "uncertain")]


# ------------------------------------------------------------------ hedges

@pytest.mark.parametrize(("text", "concept"), [
    ("Theo dõi xẹp phổi thùy dưới phải.", "atelectasis"),
    ("Nghi đông đặc thùy giữa.", "consolidation"),
    ("Nghi ngờ tràn khí màng phổi trái.", "pneumothorax"),
    ("Nghĩ đến lao phổi cũ.", "tuberculosis"),
    ("Nghĩ nhiều đến viêm phổi thùy.", "pneumonia"),
    ("Hướng tới phù phổi.", "pulmonary_edema"),
    ("Có thể giãn phế quản.", "bronchiectasis"),
    ("Chưa loại trừ tràn khí màng phổi.", "pneumothorax"),
    ("Không loại trừ viêm phổi.", "pneumonia"),
    ("Xẹp phổi thùy dưới trái ?", "atelectasis"),
])
def test_hedge_cues(text, concept):
    assert findings(text) == [(concept, "uncertain")]


@pytest.mark.parametrize("text", [
    "Nghĩ đến viêm phổi kèm tràn dịch màng phổi lượng ít.",
    "Theo dõi viêm phổi và tràn dịch màng phổi.",
    "Nghi ngờ viêm phổi, tràn dịch màng phổi.",
])
def test_hedge_scope_over_lists(text):
    assert findings(text) == [("pneumonia", "uncertain"), ("pleural_effusion", "uncertain")]


def test_hedge_reaches_past_an_unknown_first_item_over_a_list_word():
    assert findings("Nghĩ đến tổn thương cũ kèm dày dính màng phổi.") == [("pleural_thickening", "uncertain")]
    # a comma is not enough: the next item may be a new statement
    assert findings("Nghĩ đến tổn thương cũ, dày dính màng phổi.") == [("pleural_thickening", "present")]


# ------------------------------------------------------------------ shorthand

def test_shipped_shorthand_is_expanded_with_offsets_on_the_original():
    text = "TDMP trái lượng ít. Không thấy TKMP. Vôi hóa quai ĐMC."
    m = mentions(text)
    f = m[m["kind"] == "finding"]
    assert list(zip(f["concept"], f["assertion"])) == [
        ("pleural_effusion", "present"), ("pneumothorax", "absent"), ("aortic_calcification", "present")]
    assert list(f["surface"]) == ["TDMP", "TKMP", "Vôi hóa quai ĐMC"]
    assert all(text[s:e] == surf for s, e, surf in zip(m["start"], m["end"], m["surface"]))


@pytest.mark.parametrize(("text", "expected"), [
    ("nn viêm phổi thùy dưới.", [("pneumonia", "uncertain")]),
    ("Hình ảnh đđ đáy phổi trái.", [("consolidation", "present")]),
    ("Vẹo CS ngực sang phải.", [("scoliosis", "present")]),
    ("Tim ko to.", [("cardiomegaly", "absent")]),
])
def test_shipped_shorthand(text, expected):
    assert findings(text) == expected


def test_ambiguous_shorthand_only_in_a_deciding_context():
    # TD before "phổi" is a lobe (thùy dưới); elsewhere it is the hedge "theo dõi"
    assert findings("Đám mờ TD phổi phải.") == [("opacity", "present")]
    assert findings("TD viêm phổi.") == [("pneumonia", "uncertain")]
    lex = load_lexicon()
    low = "đáy phổi p, p 2"
    out = expand(low, syllable_spans(low), lex.abbreviations)
    assert out is not None and out[0] == "đáy phổi phải, p 2"  # "P" after a site only
    assert expand("cs 2", syllable_spans("cs 2"), lex.abbreviations) is None


def test_expansion_maps_every_character_back():
    index = abbreviation_index([parse_abbreviation({"short": "xyz", "expansion": "tràn khí", "context": ""}, "t")])
    low = "có xyz nhẹ"
    text, spans, starts, ends = expand(low, syllable_spans(low), index)
    assert text == "có tràn khí nhẹ"
    assert [text[a:b] for a, b in spans] == ["có", "tràn", "khí", "nhẹ"]
    assert (starts[3], ends[10]) == (3, 6) and low[starts[12]:ends[12]] == "n"


def test_user_abbreviation_table_in_lexicon_paths(tmp_path):
    path = tmp_path / "hospital.csv"
    path.write_text(",".join(ABBREVIATION_COLUMNS) + "\nxph,xẹp phổi,,our ward\n", encoding="utf-8")
    assert findings("Theo dõi xph thùy dưới.") == []
    user = load_lexicon([path])
    assert findings("Theo dõi xph thùy dưới.", lexicon=user) == [("atelectasis", "uncertain")]
    assert user.version != load_lexicon().version  # the text cache is keyed by it
    path.write_text(",".join(ABBREVIATION_COLUMNS) + "\nxph,xẹp phổi thùy,,our ward\n", encoding="utf-8")
    assert load_lexicon([path]).version != user.version


def test_bad_abbreviation_rows_name_file_and_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(",".join(ABBREVIATION_COLUMNS) + "\nab,,,\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.csv: row 2: empty short form or expansion"):
        load_lexicon([path])
    path.write_text(",".join(ABBREVIATION_COLUMNS) + "\nab,áp bì,near:phổi,\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.csv: row 2: context 'near: ?phổi' is not"):
        load_lexicon([path])


# ------------------------------------------------------------------ typos, missing marks, missing spaces

def test_tone_insensitive_fallback_for_multi_syllable_terms():
    m = mentions("Day dinh mang phoi trai. Tràn dich màng phổi phải.")
    f = m[m["kind"] == "finding"]
    assert list(zip(f["concept"], f["match"])) == [("pleural_thickening", "fallback"), ("pleural_effusion", "fallback")]
    assert list(f["surface"]) == ["Day dinh mang phoi", "Tràn dich màng phổi"]
    assert findings("khong thay tran khi mang phoi") == [("pneumothorax", "absent")]  # cues fall back too


def test_fallback_never_single_syllables_and_never_outranks_exact():
    assert findings("Mơ đáy phổi phải.") == []  # "mơ" is not "mờ": one syllable never falls back
    m = mentions("Phổi xo hoa.")
    assert list(zip(m["concept"], m["match"])) == [("lung", "exact"), ("fibrosis", "fallback")]
    exact = mentions("Không thấy tràn dịch màng phổi.")
    assert set(exact["match"]) == {"exact"}


def test_fold():
    assert fold("dính") == "dinh" and fold("đặc") == "dac" and fold("phổi") == "phoi"


def test_missing_space_at_a_word_join():
    assert findings("Hai phổikhông thấy tổn thương dạng nốt.") == [("nodule", "absent")]
    m = mentions("Hai phổikhông thấy tổn thương dạng nốt.")
    assert list(m.loc[m["kind"] == "anatomy", "surface"]) == ["Hai phổi"]


def test_extract_mentions_keeps_its_contract_columns():
    assert list(extract_mentions(["TDMP phải."], cache=False).columns) == MENTION_COLUMNS
    assert "match" in mentions("TDMP phải.").columns


@pytest.mark.parametrize("sentence, expected", [
    ("Góc sườn hoành trái nhọn, không tù.", [("pleural_effusion", "absent")]),
    ("Góc sườn hoành hai bên sáng, không bị tù.", [("pleural_effusion", "absent")]),
    ("Góc sườn hoành hai bên sáng nhọn.", []),  # sharp alone is a normal description, not labelled
    ("Góc sườn hoành phải tù, bên trái nhọn.", [("pleural_effusion", "present")]),
])
def test_a_costophrenic_angle_not_blunted_is_an_absent_effusion(sentence, expected):
    m = extract_mentions([sentence])
    assert sorted(set(zip(m.loc[m.kind == "finding", "concept"], m.loc[m.kind == "finding", "assertion"]))) == expected
    assert ("costophrenic_angle" in set(m["concept"])) == ("sườn hoành" in sentence)  # the site stays mentioned
