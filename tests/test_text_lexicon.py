"""Lexicon: shipped CSV coverage of every required concept, user overrides, one-line validation errors."""
from __future__ import annotations

import pytest

from vixray_eda.errors import DataError
from vixray_eda.text.lexicon import COLUMNS, load_lexicon
from vixray_eda.text.pipeline import extract_mentions

# Copy of the required ids of spec/concepts.md, each with one realistic report sentence that mentions it.
REQUIRED = {
    "cardiomegaly": "Bóng tim to, chỉ số tim ngực 0,58.",
    "interstitial_lung_disease": "Tổn thương mô kẽ lan tỏa hai phế trường.",
    "fibrosis": "Vài dải xơ mảnh 1/3 trên phổi phải.",
    "infiltrate": "Mờ thâm nhiễm rải rác thùy dưới phổi trái.",
    "consolidation": "Hình ảnh đông đặc nhu mô thùy giữa phổi phải.",
    "nodule": "Nốt mờ đường kính 8mm đáy phổi trái.",
    "mass": "Khối mờ tròn vùng rốn phổi phải, bờ đa cung.",
    "rib_fracture": "Gãy cung sau xương sườn 6,7 bên phải.",
    "aortic_calcification": "Calci hóa thành động mạch chủ.",
    "aortic_ectasia": "Quai động mạch chủ giãn rộng, vồng cao.",
    "pleural_effusion": "Mờ góc sườn hoành trái, tràn dịch màng phổi lượng ít.",
    "pneumothorax": "Tràn khí màng phổi phải lượng ít, nhu mô phổi bị ép.",
    "pleural_thickening": "Dày dính màng phổi đỉnh phổi trái.",
    "pneumonia": "Hình ảnh viêm phổi thùy dưới phổi phải.",
    "tuberculosis": "Hình ảnh lao phổi cũ đỉnh phổi hai bên.",
    "atelectasis": "Hình ảnh xẹp phổi thể dải đáy phổi phải.",
    "emphysema": "Hai phế trường tăng sáng, khí phế thũng.",
    "bronchovascular_markings": "Tăng đậm phế huyết quản hai bên, dày thành phế quản.",
    "pulmonary_edema": "Tái phân bố tuần hoàn phổi, phù phổi.",
    "hilar_enlargement": "Rốn phổi hai bên đậm.",
    "bronchiectasis": "Giãn phế quản dạng túi đáy phổi trái.",
    "scoliosis": "Cột sống ngực vẹo sang phải.",
    "mediastinal_widening": "Trung thất trên giãn rộng, khí quản bị đẩy lệch.",
    "opacity": "Đám mờ vùng cạnh tim phải.",
    "heart": "Bóng tim bình thường.",
    "lung": "Nhu mô phổi hai bên sáng đều.",
    "rib": "Khung xương sườn hai bên cân đối.",
    "diaphragm": "Vòm hoành hai bên đều.",
    "hilum": "Rốn phổi 2 bên bình thường.",
    "costophrenic_angle": "Góc sườn hoành hai bên nhọn.",
    "mediastinum": "Trung thất cân đối.",
    "trachea": "Khí quản nằm giữa.",
    "aorta": "Quai động mạch chủ bình thường.",
    "pleura": "Khoang màng phổi hai bên bình thường.",
    "bronchus": "Cây phế quản thông thoáng.",
    "clavicle": "Xương đòn hai bên bình thường.",
    "spine": "Cột sống ngực thẳng trục.",
    "soft_tissue": "Phần mềm thành ngực không thấy bất thường.",
    "chest_wall": "Khung xương lồng ngực cân đối.",
}
FINDINGS = set(list(REQUIRED)[:24])


def test_every_required_concept_is_shipped_with_labels():
    lex = load_lexicon()
    concepts = lex.concepts.set_index("concept")
    for concept in REQUIRED:
        assert concept in concepts.index, concept
        assert concepts.loc[concept, "kind"] == ("finding" if concept in FINDINGS else "anatomy")
        assert concepts.loc[concept, "en_label"] and concepts.loc[concept, "vi_canonical"]


def test_every_required_concept_is_found_in_a_realistic_sentence():
    texts = list(REQUIRED.values())
    m = extract_mentions(texts, cache=False)
    for doc, concept in enumerate(REQUIRED):
        hits = m[(m["doc"] == doc) & (m["concept"] == concept)]
        assert len(hits), f"{concept} not found in {texts[doc]!r}"
        if concept in FINDINGS:
            assert set(hits["assertion"]) == {"present"}, concept


def write(tmp_path, name, rows, header=COLUMNS):
    path = tmp_path / name
    path.write_text(",".join(header) + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_user_file_extends_and_overrides(tmp_path):
    user = write(tmp_path, "mine.csv", [
        ("bóng mờ", "mass", "finding", "khối mờ", "Mass", "lung parenchyma"),  # was opacity
        ("hội chứng xyz", "xyz_syndrome", "finding", "hội chứng xyz", "XYZ", "other"),
    ])
    lex = load_lexicon(user)
    m = extract_mentions(["Bóng mờ đáy phổi, hội chứng XYZ."], lexicon=lex, cache=False)
    assert list(m["concept"]) == ["mass", "lung", "xyz_syndrome"]
    assert lex.version != load_lexicon().version
    only = load_lexicon(user, extend=False)
    assert extract_mentions(["Tràn dịch màng phổi"], lexicon=only, cache=False).empty


def test_user_cue_file_adds_a_negation_cue(tmp_path):
    user = write(tmp_path, "cues.csv", [("vắng mặt", "negation", "post_negation", "vắng mặt", "absent", "cue")])
    m = extract_mentions(["Tràn dịch màng phổi vắng mặt."], lexicon=load_lexicon(user), cache=False)
    assert list(m.loc[m["kind"] == "finding", "assertion"]) == ["absent"]


def test_unknown_kind_names_file_and_row(tmp_path):
    bad = write(tmp_path, "bad.csv", [("tim to", "cardiomegaly", "finding", "", "", ""),
                                      ("tim bé", "small_heart", "diagnosis", "", "", "")])
    with pytest.raises(DataError, match=r"bad\.csv: row 3: unknown kind 'diagnosis'") as err:
        load_lexicon(bad)
    assert "\n" not in str(err.value)


def test_missing_column_names_file(tmp_path):
    bad = write(tmp_path, "cols.csv", [("tim to", "cardiomegaly")], header=("surface", "concept"))
    with pytest.raises(DataError, match=r"cols\.csv: missing column\(s\) kind, vi_canonical, en_label, category"):
        load_lexicon(bad)


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="nope.csv"):
        load_lexicon(tmp_path / "nope.csv")
