"""The Vietnamese report grammar of the synthetic sample, kept as data.

A report is built section by section (heart, aorta, mediastinum, lungs, hila, pleura, diaphragm, ribs, spine,
soft tissue). A section with no abnormal concept gets one of its normal sentences; a section with abnormal
concepts gets one sentence per concept from `FINDING_TEMPLATES`. The impression repeats every abnormal concept
with a phrase from `IMPRESSION_PHRASES`, or is one of `NORMAL_IMPRESSIONS`.

Template syntax (expanded by `sample.expand`): `[a|b|c]` picks one alternative, `{slot}` picks a value from
`SLOTS` (`{ctr}` and `{ctr_normal}` are cardiothoracic ratios formatted with a decimal comma or point).
"""
from __future__ import annotations

#: Slot values: locations, sides, sizes. Both "hai bên" and "2 bên" spellings appear, as in real reports.
SLOTS: dict[str, tuple[str, ...]] = {
    "side": ("phải", "trái", "phải", "trái", "hai bên", "2 bên"),
    "one_side": ("phải", "trái"),
    "both": ("hai bên", "hai bên", "hai bên", "2 bên"),
    "lungs": ("hai phổi", "phổi hai bên", "2 phổi", "hai phế trường", "phổi 2 bên"),
    "lung_zone": (
        "đáy phổi phải", "đáy phổi trái", "đáy phổi hai bên", "đáy phổi 2 bên", "thùy dưới phổi phải",
        "thùy dưới phổi trái", "thùy trên phổi phải", "thùy trên phổi trái", "thùy giữa phổi phải",
        "1/3 dưới phổi phải", "1/3 dưới phổi trái", "1/3 giữa phổi phải", "vùng cạnh tim phải",
        "vùng cạnh tim trái", "cạnh rốn phổi phải", "cạnh rốn phổi trái", "đỉnh phổi phải", "phổi phải",
        "phổi trái", "hai phổi", "vùng hạ đòn phải",
    ),
    "lobe": (
        "thùy dưới phổi trái", "thùy dưới phổi phải", "thùy giữa phổi phải", "thùy trên phổi phải",
        "đáy phổi trái",
    ),
    "apex": ("đỉnh phổi phải", "đỉnh phổi trái", "hai đỉnh phổi", "thùy trên phổi phải", "vùng hạ đòn phải"),
    "rib_no": ("3", "4", "5", "6", "7", "8", "9", "4,5", "5,6", "6,7", "7,8", "5,6,7", "IV", "V", "VI, VII"),
    "nodule_size": ("5mm", "8mm", "10mm", "12 mm", "1cm", "1,5cm", "0.8cm"),
    "mass_size": ("3x4cm", "35x40mm", "5cm", "4,5x5cm", "6x7 cm"),
    "ctr": (),          # filled from a number, e.g. "0,56" or "0.56"
    "ctr_normal": (),   # filled from a number below 0.5
}

#: Sections in report order.
SECTIONS: tuple[str, ...] = (
    "heart", "aorta", "mediastinum", "lung", "hilum", "pleura", "diaphragm", "rib", "spine", "soft_tissue",
)

#: Probability that a normal section is written at all (required sections are always written); optional
#: sections get rarer as abnormal findings take the space (multiplied by this per abnormal concept).
SECTION_PROBABILITY: dict[str, float] = {
    "heart": 1.0, "aorta": 0.08, "mediastinum": 0.12, "lung": 1.0, "hilum": 0.3, "pleura": 1.0,
    "diaphragm": 1.0, "rib": 1.0, "spine": 0.05, "soft_tissue": 0.08,
}
OPTIONAL_DECAY = 0.7

#: Normal sentences per section, the wording radiologists repeat report after report (first is most frequent).
NORMAL_SENTENCES: dict[str, tuple[str, ...]] = {
    "heart": (
        "Bóng tim không to.", "Bóng tim không to.", "Bóng tim không to.", "Tim không to.",
        "Bóng tim không to, chỉ số tim ngực {ctr_normal}.", "Bóng tim trong giới hạn bình thường.",
        "Bóng tim bình thường, CTR {ctr_normal}.", "Tim không to, bờ tim rõ.",
        "Kích thước bóng tim trong giới hạn bình thường.", "Chỉ số tim/ngực trong giới hạn bình thường.",
    ),
    "aorta": (
        "Quai động mạch chủ không giãn.", "Quai ĐMC bình thường.", "Động mạch chủ không thấy bất thường.",
        "Quai động mạch chủ không vồng.",
    ),
    "mediastinum": (
        "Trung thất không giãn, khí quản nằm giữa.", "Trung thất cân đối.",
        "Khí quản không bị đẩy lệch, trung thất cân đối.", "Trung thất không thấy bất thường.",
        "Trung thất trong giới hạn bình thường.",
    ),
    "lung": (
        "Hai phế trường sáng đều.", "Hai phế trường sáng đều.", "Hai phổi sáng đều.", "2 phế trường sáng.",
        "Nhu mô phổi hai bên không thấy tổn thương khu trú.", "Hai phế trường sáng, không thấy đông đặc, thâm nhiễm khu trú.",
        "Hai phế trường không thấy tổn thương dạng nốt, khối mờ.", "Nhu mô phổi 2 bên sáng đều, không thấy tổn thương.",
    ),
    "hilum": (
        "Rốn phổi hai bên không đậm.", "Rốn phổi 2 bên bình thường.", "Hai rốn phổi không to.",
        "Rốn phổi hai bên không to, không đậm.",
    ),
    "diaphragm": (
        "Vòm hoành hai bên đều, góc sườn hoành nhọn.", "Vòm hoành hai bên đều, góc sườn hoành nhọn.",
        "Vòm hoành {both} đều, góc sườn hoành {both} nhọn.", "Hai vòm hoành đều, góc sườn hoành sáng.",
        "Cơ hoành hai bên bình thường, góc sườn hoành nhọn.", "Vòm hoành 2 bên đều, góc sườn hoành 2 bên sáng.",
    ),
    "rib": (
        "Khung xương lồng ngực không thấy bất thường.", "Các xương sườn không thấy gãy.",
        "Các xương sườn không thấy gãy.", "Khung xương sườn hai bên không thấy bất thường.",
        "Xương sườn, xương đòn hai bên không thấy tổn thương.", "Khung xương sườn 2 bên cân đối, không thấy gãy.",
        "Các cung xương sườn hai bên liên tục.",
    ),
    "spine": ("Cột sống ngực không vẹo.", "Cột sống ngực thẳng trục.", "Cột sống ngực thoái hóa nhẹ."),
    "soft_tissue": (
        "Phần mềm thành ngực không thấy bất thường.", "Phần mềm thành ngực bình thường.",
        "Không thấy khí dưới da phần mềm thành ngực.",
    ),
}

#: Whole normal reports that radiologists paste verbatim (first is the most frequent), and the share of normal
#: reports written that way; the other normal reports are assembled section by section.
NORMAL_REPORTS: tuple[str, ...] = (
    "Bóng tim không to. Hai phế trường sáng đều. Rốn phổi hai bên không đậm. Không thấy tràn dịch, tràn khí "
    "màng phổi. Vòm hoành hai bên đều, góc sườn hoành nhọn. Khung xương lồng ngực không thấy bất thường.",
    "Bóng tim không to. Hai phế trường sáng đều. Rốn phổi hai bên không đậm. Không thấy tràn dịch, tràn khí "
    "màng phổi. Vòm hoành hai bên đều, góc sườn hoành nhọn. Khung xương lồng ngực không thấy bất thường.",
    "Bóng tim không to. Trung thất không giãn, khí quản nằm giữa. Hai phế trường sáng đều. Rốn phổi hai bên "
    "không đậm. Không thấy tràn dịch, tràn khí màng phổi. Vòm hoành hai bên đều, góc sườn hoành nhọn. Khung "
    "xương lồng ngực không thấy bất thường.",
    "Tim không to. Hai phổi sáng đều, không thấy tổn thương khu trú. Không thấy tràn dịch, tràn khí màng phổi. "
    "Vòm hoành 2 bên đều, góc sườn hoành 2 bên nhọn. Các xương sườn không thấy gãy. Phần mềm thành ngực "
    "bình thường.",
)
NORMAL_REPORT_SHARE = 0.4

#: Pleura: the negated list names what is absent, so it depends on which pleural concepts are present.
PLEURA_NORMAL: dict[frozenset[str], tuple[str, ...]] = {
    frozenset(): (
        "Không thấy tràn dịch, tràn khí màng phổi.", "Không thấy tràn dịch, tràn khí màng phổi.",
        "Không thấy tràn dịch, tràn khí màng phổi hai bên.", "Không có tràn dịch, tràn khí màng phổi.",
        "Không thấy tràn dịch, tràn khí khoang màng phổi 2 bên.", "Màng phổi không dày, không tràn dịch.",
        "Khoang màng phổi hai bên không thấy bất thường.", "Màng phổi hai bên bình thường.",
    ),
    frozenset({"pleural_effusion"}): ("Không thấy tràn khí màng phổi.", "Không có tràn khí màng phổi."),
    frozenset({"pneumothorax"}): ("Không thấy tràn dịch màng phổi.", "Không có tràn dịch màng phổi đối bên."),
    frozenset({"pleural_effusion", "pneumothorax"}): (),
}
#: Diaphragm sentences that leave the costophrenic angle out (used when an effusion blunts it).
DIAPHRAGM_NO_ANGLE: tuple[str, ...] = ("Vòm hoành hai bên đều.", "Vòm hoành 2 bên đều.", "Hai vòm hoành đều.")

#: Section each abnormal concept belongs to.
SECTION_OF: dict[str, str] = {
    "cardiomegaly": "heart",
    "aortic_calcification": "aorta", "aortic_ectasia": "aorta",
    "mediastinal_widening": "mediastinum",
    "interstitial_lung_disease": "lung", "fibrosis": "lung", "infiltrate": "lung", "consolidation": "lung",
    "nodule": "lung", "mass": "lung", "pneumonia": "lung", "tuberculosis": "lung", "atelectasis": "lung",
    "emphysema": "lung", "bronchovascular_markings": "lung", "pulmonary_edema": "lung",
    "bronchiectasis": "lung", "opacity": "lung",
    "hilar_enlargement": "hilum",
    "pleural_effusion": "pleura", "pneumothorax": "pleura", "pleural_thickening": "pleura",
    "rib_fracture": "rib",
    "scoliosis": "spine",
}

#: Probability of each concept in a report that is not entirely normal, before the age effect.
#: Ranked like the paper: interstitial lung disease, cardiomegaly, infiltrates/consolidations, rib fractures,
#: aortic calcifications, then the rest.
PREVALENCE: dict[str, float] = {
    "interstitial_lung_disease": 0.34, "cardiomegaly": 0.25, "infiltrate": 0.17, "consolidation": 0.07,
    "rib_fracture": 0.15, "aortic_calcification": 0.07, "bronchovascular_markings": 0.07, "fibrosis": 0.06,
    "hilar_enlargement": 0.06, "pleural_effusion": 0.05, "aortic_ectasia": 0.05, "opacity": 0.05,
    "nodule": 0.04, "emphysema": 0.03, "pneumonia": 0.03, "tuberculosis": 0.03, "scoliosis": 0.03,
    "pleural_thickening": 0.03, "atelectasis": 0.02, "bronchiectasis": 0.02, "pneumothorax": 0.015,
    "pulmonary_edema": 0.015, "mass": 0.015, "mediastinal_widening": 0.012,
}
#: Share of reports that are entirely normal.
NORMAL_SHARE = 0.34
#: Concepts whose odds rise with age: odds multiplier per year above 70.
AGE_SLOPE: dict[str, float] = {"cardiomegaly": 0.045, "aortic_calcification": 0.06, "aortic_ectasia": 0.04}
#: Comorbidity: when the key concept is present, the other one is added with this probability.
COMORBID: tuple[tuple[str, str, float], ...] = (
    ("tuberculosis", "fibrosis", 0.5), ("pneumonia", "infiltrate", 0.4), ("cardiomegaly", "aortic_calcification", 0.2),
    ("interstitial_lung_disease", "bronchovascular_markings", 0.1), ("pulmonary_edema", "cardiomegaly", 0.6),
)

#: Findings sentences per concept: varied wordings, some hedged (nghi ngờ, theo dõi, nghĩ đến, gợi ý, ...).
FINDING_TEMPLATES: dict[str, tuple[str, ...]] = {
    "cardiomegaly": (
        "Bóng tim to.", "Bóng tim to, chỉ số tim ngực {ctr}.", "Tim to, CTR {ctr}.", "Bóng tim to toàn bộ.",
        "Bóng tim to, cung dưới trái phồng.", "Bóng tim to [nhẹ|vừa], chỉ số tim/ngực {ctr}.",
        "Bóng tim to sang trái, CTR = {ctr}.", "Bóng tim hơi to, nghi ngờ tim to, chỉ số tim ngực {ctr}.",
        "Kích thước bóng tim tăng, bóng tim to bè, chỉ số tim/ngực {ctr}.",
    ),
    "aortic_calcification": (
        "Vôi hóa quai động mạch chủ.", "Quai động mạch chủ vôi hóa.", "Quai ĐMC có vôi hóa.",
        "Calci hóa thành động mạch chủ.", "Có nốt vôi hóa quai động mạch chủ.", "Thành quai ĐMC vôi hóa dạng vệt.",
        "Vôi hóa thành quai động mạch chủ, xơ vữa.",
    ),
    "aortic_ectasia": (
        "Quai động mạch chủ giãn.", "Quai ĐMC vồng.", "Quai động mạch chủ giãn rộng, vồng cao.",
        "Quai động mạch chủ phình nhẹ.", "Động mạch chủ ngực giãn, kéo dài.",
    ),
    "mediastinal_widening": (
        "Trung thất giãn rộng.", "Trung thất trên giãn rộng, khí quản bị đẩy lệch sang phải.",
        "Trung thất giãn rộng, đề nghị chụp CT ngực.",
    ),
    "interstitial_lung_disease": (
        "Tổn thương mô kẽ {lungs}.", "Tổn thương mô kẽ {lungs}.", "Tổn thương dạng lưới mô kẽ {lungs}.",
        "Hai phổi tăng đậm mô kẽ, tổn thương mô kẽ lan tỏa.", "Tổn thương phổi kẽ {lungs}.",
        "Hình ảnh tổn thương mô kẽ vùng đáy phổi {both}.", "Dày mô kẽ dạng lưới nốt {lungs}, theo dõi bệnh phổi mô kẽ.",
        "Tổn thương mô kẽ lan tỏa hai phế trường.", "Rải rác tổn thương mô kẽ {lungs}.",
    ),
    "fibrosis": (
        "Dải xơ {lung_zone}.", "Xơ hóa {lung_zone}.", "Vài dải xơ mảnh {lung_zone}.", "Hình ảnh xơ phổi {lungs}.",
        "Xơ hóa, co kéo {lung_zone}.", "Có dải xơ {lung_zone}.", "Dải xơ {lung_zone}, nghĩ do tổn thương cũ.",
    ),
    "infiltrate": (
        "Mờ thâm nhiễm {lung_zone}.", "Thâm nhiễm {lung_zone}.", "Tổn thương thâm nhiễm {lung_zone}.",
        "Rải rác mờ thâm nhiễm {lung_zone}.", "Tổn thương thâm nhiễm rải rác {lungs}.",
    ),
    "consolidation": (
        "Đông đặc {lung_zone}.", "Đám mờ đông đặc {lung_zone}, có hình ảnh khí phế quản đồ.",
        "Tổn thương đông đặc {lung_zone}.", "Hình ảnh đông đặc nhu mô {lung_zone}.",
    ),
    "nodule": (
        "Nốt mờ {lung_zone}, kích thước khoảng {nodule_size}.", "Tổn thương dạng nốt {lung_zone}.",
        "Vài nốt mờ nhỏ rải rác {lungs}.", "Nốt mờ đường kính {nodule_size} {lung_zone}.",
        "Hình nốt mờ tròn {lung_zone}, bờ đều.",
    ),
    "mass": (
        "Khối mờ {lung_zone}, kích thước {mass_size}, bờ không đều.", "Khối mờ tròn {lung_zone}, bờ đa cung.",
        "Hình ảnh khối u {lung_zone} kích thước {mass_size}.",
    ),
    "pneumonia": (
        "Tổn thương {lung_zone}, nghĩ đến viêm phổi.", "Hình ảnh viêm phổi {lung_zone}.",
        "Tổn thương dạng viêm phổi {lung_zone}.", "Tổn thương {lung_zone}, gợi ý viêm phổi.",
    ),
    "tuberculosis": (
        "Tổn thương lao phổi cũ {apex}.", "Hình ảnh lao phổi {apex}.", "Tổn thương {apex}, theo dõi lao phổi.",
        "Tổn thương xơ, vôi {apex}, chưa loại trừ lao phổi.",
    ),
    "atelectasis": (
        "Xẹp phổi {lobe}.", "Hình ảnh xẹp phổi thể dải {lung_zone}.", "Xẹp phổi một phần {lobe}.",
        "Dải mờ {lobe}, có thể xẹp phổi.",
    ),
    "emphysema": (
        "Hai phế trường tăng sáng, khí phế thũng.", "Khí phế thũng {lungs}.", "Phổi ứ khí, vòm hoành hạ thấp.",
        "Hai phổi ứ khí, tăng sáng.",
    ),
    "bronchovascular_markings": (
        "Tăng đậm phế huyết quản {both}.", "Tăng đậm phế huyết quản hai phế trường.", "Dày thành phế quản {both}.",
        "Phế huyết quản hai bên tăng đậm.", "Tăng đậm phế huyết quản, dày thành phế quản {lungs}.",
    ),
    "pulmonary_edema": (
        "Hình ảnh phù phổi, mờ hai rốn phổi dạng cánh bướm.", "Phù phổi {lungs}.",
        "Tái phân bố tuần hoàn phổi, theo dõi phù phổi.",
    ),
    "bronchiectasis": (
        "Giãn phế quản {lung_zone}.", "Hình ảnh giãn phế quản dạng túi {lung_zone}.",
        "Giãn phế quản đáy phổi {both}.",
    ),
    "opacity": (
        "Đám mờ {lung_zone}.", "Vùng mờ không đồng nhất {lung_zone}.", "Đám mờ không đều {lung_zone}.",
        "Đám mờ nhỏ {lung_zone}, theo dõi tổn thương.", "Đám mờ {lung_zone}, nghi do viêm.",
        "Đám mờ nhẹ {lung_zone}, có thể do chồng hình.",
    ),
    "hilar_enlargement": (
        "Rốn phổi {both} đậm.", "Rốn phổi hai bên to, đậm.", "Rốn phổi {one_side} đậm.", "Hai rốn phổi đậm.",
    ),
    "pleural_effusion": (
        "Tràn dịch màng phổi {side}.", "Mờ góc sườn hoành {one_side}, tràn dịch màng phổi lượng ít.",
        "Tràn dịch màng phổi {both} lượng ít.", "Góc sườn hoành {one_side} tù, theo dõi tràn dịch màng phổi.",
        "Mờ xóa góc sườn hoành {one_side}, tràn dịch màng phổi {one_side}.",
        "Góc sườn hoành {one_side} mờ - tù, tạo đường cong Damoiseau, tràn dịch màng phổi lượng ít.",
    ),
    "pneumothorax": (
        "Tràn khí màng phổi {one_side}.", "Tràn khí màng phổi {one_side} lượng ít, nhu mô phổi bị ép.",
        "Có hình ảnh tràn khí màng phổi {one_side}.",
    ),
    "pleural_thickening": (
        "Dày dính màng phổi {side}.", "Dày dính màng phổi đỉnh phổi {one_side}.",
        "Dày dính màng phổi góc sườn hoành {one_side}.",
    ),
    "rib_fracture": (
        "Gãy cung sau xương sườn {rib_no} bên {one_side}.", "Gãy cũ cung bên xương sườn {rib_no} {one_side}, có can xương.",
        "Gãy xương sườn {rib_no} bên {one_side}.", "Hình ảnh gãy cung trước xương sườn {rib_no} {one_side}.",
        "Gãy cũ cung sau xương sườn {rib_no} bên {one_side}.", "Gãy xương sườn {rib_no} {one_side}.",
    ),
    "scoliosis": (
        "Cột sống ngực vẹo sang {one_side}.", "Vẹo cột sống ngực.", "Cột sống vẹo nhẹ.",
        "Vẹo cột sống ngực sang {one_side}.",
    ),
}

#: Impression phrases per concept (hedges may be prefixed by the generator).
IMPRESSION_PHRASES: dict[str, tuple[str, ...]] = {
    "cardiomegaly": ("Bóng tim to", "Bóng tim to", "Tim to", "Bóng tim to, chỉ số tim ngực {ctr}"),
    "interstitial_lung_disease": (
        "Tổn thương mô kẽ phổi hai bên", "Tổn thương mô kẽ phổi 2 bên", "Tổn thương phổi kẽ",
        "Bệnh phổi mô kẽ", "Tổn thương mô kẽ hai phổi",
    ),
    "fibrosis": ("Xơ phổi", "Xơ hóa phổi", "Tổn thương xơ hóa phổi", "Dải xơ phổi"),
    "infiltrate": ("Tổn thương thâm nhiễm phổi", "Mờ thâm nhiễm phổi", "Thâm nhiễm phổi"),
    "consolidation": ("Đông đặc phổi", "Tổn thương đông đặc phổi"),
    "nodule": ("Nốt mờ phổi, đề nghị chụp CT ngực", "Tổn thương dạng nốt phổi", "Nốt mờ phổi"),
    "mass": ("Khối mờ phổi, đề nghị chụp CT ngực", "Khối u phổi"),
    "rib_fracture": ("Gãy xương sườn", "Gãy cũ cung sau xương sườn", "Gãy cũ xương sườn", "Gãy cung xương sườn"),
    "aortic_calcification": (
        "Vôi hóa quai động mạch chủ", "Vôi hóa quai ĐMC", "Xơ vữa, vôi hóa quai động mạch chủ",
        "Calci hóa thành động mạch chủ",
    ),
    "aortic_ectasia": ("Quai động mạch chủ giãn", "Giãn quai ĐMC", "Quai động mạch chủ vồng"),
    "pleural_effusion": ("Tràn dịch màng phổi", "Tràn dịch màng phổi lượng ít"),
    "pneumothorax": ("Tràn khí màng phổi",),
    "pleural_thickening": ("Dày dính màng phổi",),
    "pneumonia": ("Viêm phổi", "Hình ảnh viêm phổi"),
    "tuberculosis": ("Lao phổi", "Lao phổi cũ"),
    "atelectasis": ("Xẹp phổi",),
    "emphysema": ("Khí phế thũng", "Phổi ứ khí"),
    "bronchovascular_markings": ("Tăng đậm phế huyết quản hai bên", "Dày thành phế quản"),
    "pulmonary_edema": ("Phù phổi",),
    "hilar_enlargement": ("Rốn phổi hai bên đậm", "Rốn phổi đậm"),
    "bronchiectasis": ("Giãn phế quản",),
    "scoliosis": ("Vẹo cột sống ngực", "Vẹo cột sống"),
    "mediastinal_widening": ("Trung thất giãn rộng",),
    "opacity": ("Đám mờ phổi", "Đám mờ {lung_zone}"),
}
#: Hedge cues put before an impression phrase.
HEDGES: tuple[str, ...] = ("Theo dõi", "Theo dõi", "Nghĩ đến", "Nghi ngờ", "Gợi ý", "Có thể", "Chưa loại trừ")
#: Probability that an impression phrase is hedged.
HEDGE_PROBABILITY = 0.3
#: Closing sentences sometimes appended to abnormal impressions.
CLOSINGS: tuple[str, ...] = (
    "Đề nghị kết hợp lâm sàng.", "Đề nghị khám chuyên khoa.", "Đề nghị chụp CT ngực để đánh giá thêm.",
)
#: Probability of a closing sentence per split, so that mean impression lengths follow the published 12/14/13.
CLOSING_PROBABILITY: dict[str, float] = {"train": 0.4, "val": 1.0, "test": 0.7}
#: Impressions of a normal report.
NORMAL_IMPRESSIONS: tuple[str, ...] = (
    "Hiện tại chưa phát hiện bất thường trên phim XQ ngực thẳng.",
    "Hiện tại chưa phát hiện bất thường trên phim XQ ngực thẳng.",
    "Chưa phát hiện bất thường trên phim X-quang ngực thẳng.",
    "Hiện tại chưa thấy bất thường trên phim chụp XQ ngực.",
    "Tim phổi chưa thấy bất thường trên phim XQ.",
    "Hình ảnh X-quang ngực thẳng hiện tại trong giới hạn bình thường.",
    "Chưa phát hiện hình ảnh bất thường trên phim chụp X-quang ngực thẳng.",
)

#: Shorthand some radiologists type in the findings (a share of reports, `sample.QUIRKS["shorthand"]`): forms of
#: the shipped abbreviation table, and hospital forms it does not hold ("RP", "PT"), which the gap report lists.
SHORTHAND: tuple[tuple[str, str], ...] = (
    ("tràn dịch màng phổi", "TDMP"), ("tràn khí màng phổi", "TKMP"), ("động mạch chủ", "ĐMC"),
    ("góc sườn hoành", "GSH"), ("nghi ngờ", "nn"), ("đông đặc", "đđ"),
    ("Rốn phổi", "RP"), ("rốn phổi", "RP"), ("phế trường", "PT"),
)

#: Habitual slips (`sample.QUIRKS["typo"]`, one per affected report): a word typed without or with a misplaced
#: mark. Habits repeat from report to report, as one radiologist's slips do.
TYPOS: tuple[tuple[str, str], ...] = (
    ("dày dính", "day dính"), ("tràn dịch", "tràn dich"), ("động mạch", "động mach"), ("phế trường", "phế truờng"),
    ("góc sườn hoành", "góc suờn hoành"), ("vòm hoành", "vom hoành"), ("xương sườn", "xuơng sườn"),
    ("tràn khí", "tran khí"), ("đông đặc", "đông đăc"), ("thâm nhiễm", "thâm nhiêm"), ("rốn phổi", "rốn phôi"),
)
#: Words typed together (`sample.QUIRKS["missing_space"]`).
MISSING_SPACES: tuple[tuple[str, str], ...] = (
    ("phổi không", "phổikhông"), ("phổi sáng", "phổisáng"), ("tim không", "timkhông"), ("hoành hai", "hoànhhai"),
)

#: Old-style tone placement ("hoá", "thuỳ", "hoà") used for a share of reports; keys are new-style syllable ends.
OLD_TONE_MARKS: dict[str, str] = {
    "óa": "oá", "òa": "oà", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "óe": "oé", "òe": "oè", "ủy": "uỷ", "ùy": "uỳ", "úy": "uý", "ũy": "uỹ", "ụy": "uỵ",
}

#: Raw `sex` labels with their weights: mostly "Nam"/"Nữ", plus real-world spellings.
SEX_LABELS: tuple[tuple[str, float], ...] = (
    ("Nam", 0.45), ("Nữ", 0.42), ("nam", 0.025), ("nữ", 0.025), ("NAM", 0.01), ("M", 0.012), ("F", 0.012),
    ("Male", 0.008), ("female", 0.008), (" Nam ", 0.01), ("Nữ ", 0.01), ("Nu", 0.005), ("NỮ", 0.005),
)
#: `Ghi chú` (procedure) and `Kỹ thuật` (technique) texts with weights.
NOTES: tuple[tuple[str, float], ...] = (
    ("Chụp X-quang ngực thẳng (PA)", 0.45), ("Chụp Xquang ngực thẳng", 0.25), ("Chụp XQ ngực thẳng", 0.12),
    ("Chụp X-quang ngực thẳng [số hóa 1 phim]", 0.1), ("X-quang ngực thẳng PA", 0.06), ("", 0.02),
)
TECHNIQUES: tuple[tuple[str, float], ...] = (
    ("Kỹ thuật số (DR)", 0.4), ("Số hóa (DR), tư thế đứng, hít sâu nín thở", 0.15), ("kV 120, mAs 2,5", 0.12),
    ("kV 110, mAs 3.2", 0.08), ("Chụp X-quang số hóa (CR)", 0.1), ("DR", 0.1), ("", 0.05),
)
