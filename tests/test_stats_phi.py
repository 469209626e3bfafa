"""The PHI scan hits planted patterns, stays quiet on clean clinical text, and never returns matched values."""
from __future__ import annotations

import pandas as pd
import pytest

from vixray_eda.stats.phi import PHI_KINDS, phi_kinds, phi_scan

PLANTED = [
    ("Chụp ngày 12/03/2024, tim to.", "date"),
    ("Phim chụp 05-11-23.", "date"),
    ("Chụp lúc 2024-03-12.", "date"),
    ("Ngày 12 tháng 3 năm 2024 bệnh nhân vào viện.", "date"),
    ("Tái khám tháng 4 năm 2025.", "date"),
    ("Liên hệ 0912345678 khi cần.", "phone"),
    ("SĐT: 0912 345 678", "phone"),
    ("Gọi +84 912345678.", "phone"),
    ("ĐT 090.123.4567", "phone"),
    ("CCCD 001203004567 đã kiểm tra.", "national_id"),
    ("CMND 123456789", "national_id"),
    ("Mã BN: 24012345", "patient_id"),
    ("mã bệnh nhân BN-102938", "patient_id"),
    ("PID 7788990", "patient_id"),
    ("gửi bs.nguyen@bv175.vn", "email"),
    ("Bệnh nhân Nguyễn Văn A, phổi mờ.", "name"),
    ("ông Trần Hùng khám lại", "name"),
    ("Bà Lan tái khám.", "name"),
    ("BS. Lê Thị Mai đọc phim.", "name"),
]

CLEAN = [
    "Chỉ số tim ngực 0,5.",
    "CTR 0.55, bóng tim to.",
    "Gãy xương sườn 5,6 bên phải.",
    "Gãy cung sau xương sườn 3-4-5 bên trái.",
    "Gãy cung bên xương sườn 10-11-12 bên phải.",
    "Gãy xương sườn 5-6-10 cũ.",
    "kV 120, mAs 2,5, khoảng cách 1,8m.",
    "Bóng tim to. Hai phổi tăng đậm phế huyết quản.",
    "Bệnh nhân nữ 72 tuổi, bà bị ho kéo dài.",
    "Bệnh nhân Nam 70 tuổi. Tim không to.",
    "BN Tràn dịch màng phổi trái.",
    "Đốt sống D10-11-12 xẹp nhẹ.",
    "Nốt mờ 1/3 trên phổi phải, kích thước 12x15mm.",
    "Đo 1/2 đường kính lồng ngực, tỷ lệ 3/4.",
    "Liều 2,5 mGy; diện tích 100000 mm2.",
    "Tư thế PA, thẳng. Hít vào đủ sâu.",
    "Vôi hóa quai động mạch chủ. Chưa thấy tổn thương khu trú.",
]


@pytest.mark.parametrize("text,kind", PLANTED)
def test_planted_patterns_are_found(text: str, kind: str) -> None:
    assert kind in phi_kinds(text)


@pytest.mark.parametrize("text", CLEAN)
def test_clean_clinical_text_is_quiet(text: str) -> None:
    assert phi_kinds(text) == []


def test_scan_counts_ids_and_never_values() -> None:
    df = pd.DataFrame({
        "id": ["train-00000", "train-00001", "val-00000"],
        "findings": ["Chụp ngày 12/03/2024, tim to.", "Bóng tim to.", "Gọi 0912345678."],
        "impressions": ["Tim to.", "Tim to.", "ngày 1 tháng 2"],
        "note": ["", "Bà Lan", None],
    })
    out = phi_scan(df)
    assert len(out) == len(PHI_KINDS) * 3  # every kind × column, zeros included
    cell = out.set_index(["kind", "column"])
    assert cell.loc[("date", "findings"), "ids"] == ["train-00000"]
    assert cell.loc[("date", "impressions"), "ids"] == ["val-00000"]
    assert cell.loc[("phone", "findings"), "rows"] == 1
    assert cell.loc[("name", "note"), "ids"] == ["train-00001"]
    assert cell["rows"].sum() == 4
    flat = repr(out.to_dict("records"))
    for secret in ("12/03/2024", "0912345678", "Lan", "ngày 1"):
        assert secret not in flat


def test_nfd_text_is_scanned_as_nfc() -> None:
    import unicodedata
    assert "name" in phi_kinds(unicodedata.normalize("NFD", "Bệnh nhân Nguyễn Văn Anh"))
