"""Residual-PHI scan of free text: counts and row ids of suspicious patterns, never the matched values.

Kinds (regular expressions on NFC text, tuned to stay quiet on clinical wording such as "0,5", "CTR 0.55",
"xương sườn 5,6", "cung sau xương sườn 3-4-5", "kV 120, mAs 2,5"):

- ``date``: dd/mm/yyyy, dd-mm-yy, dd.mm.yyyy (valid day and month; rib/vertebra runs such as "sườn 10-11-12" are
  skipped), yyyy-mm-dd, mm/yyyy, "ngày 12 tháng 3 năm 2024", "ngày 12/3", "tháng 3 năm 2024".
- ``phone``: Vietnamese mobile numbers 0[3-9] + 8 digits or +84/84 + 9 digits, landlines 02x + 8 digits, with
  optional space, dot or dash separators.
- ``national_id``: stand-alone 12-digit (CCCD) or 9-digit (CMND) numbers.
- ``patient_id``: a number of 4+ digits after "mã BN", "mã bệnh nhân", "mã bệnh án", "số hồ sơ", "PID", "MRN", ….
- ``email``: e-mail addresses.
- ``name``: capitalized syllables after a personal title: "ông/bà/anh/chị/cô/chú" + one or more syllables, or
  "BN/bệnh nhân/bác sĩ/BS/ThS/TS/KTV" + two or more ("Bệnh nhân Nguyễn Văn A"); common capitalized clinical
  words ("Nam", "Nữ", "Tim", "Phổi", ...) never start a name.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import pandas as pd

from vixray_eda.data.clean import map_unique

from vixray_eda.errors import DataError

__all__ = ["PHI_KINDS", "PHI_COLUMNS", "phi_kinds", "phi_scan"]

PHI_KINDS: tuple[str, ...] = ("date", "phone", "national_id", "patient_id", "email", "name")
PHI_COLUMNS: tuple[str, ...] = ("findings", "impressions", "note")

_UPPER = "".join(chr(c) for c in range(0x41, 0x2000)
                 if unicodedata.category(chr(c)) == "Lu" and "LATIN" in unicodedata.name(chr(c), ""))
_LOWER = "".join(chr(c) for c in range(0x61, 0x2000)
                 if unicodedata.category(chr(c)) == "Ll" and "LATIN" in unicodedata.name(chr(c), ""))

# --- dates ------------------------------------------------------------------------------------------------
_NUMERIC_DATE = re.compile(r"(?<![\d.,/-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d]|[.,/-]\d)")
_OTHER_DATES = re.compile(
    r"(?<!\d)(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])(?!\d)"  # ISO
    r"|(?<![\d.,/])(?:0?[1-9]|1[0-2])/(?:19|20)\d{2}(?![\d/])"  # mm/yyyy
    r"|(?i:\bngày\s+\d{1,2}\s*(?:tháng\s*\d{1,2}|[/-]\s*\d{1,2}))"  # ngày 12 tháng 3 (năm ...), ngày 12/3
    r"|(?i:\btháng\s+\d{1,2}\s*(?:năm|/)\s*\d{4})"  # tháng 3 năm 2024
)
_ANATOMY_NUMBERS = re.compile(r"(?i:sườn|đốt|cung|khoang|liên sườn)\W*$|\b[CDLTS]$")


def _numeric_date(text: str) -> bool:
    for m in _NUMERIC_DATE.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        if len(m.group(4)) == 2 and day + 1 == month and month + 1 == year:  # "10-11-12": a run of numbers
            continue
        if _ANATOMY_NUMBERS.search(text[max(0, m.start() - 25):m.start()].rstrip()):
            continue
        return True
    return False


def _has_date(text: str) -> bool:
    return bool(_OTHER_DATES.search(text)) or _numeric_date(text)


# --- numbers ----------------------------------------------------------------------------------------------
_SEP = r"[ .-]?"
_PHONE = re.compile(
    rf"(?<![\w+.,])(?:(?:\+84|84){_SEP}|0)[3-9](?:{_SEP}\d){{8}}(?!\d|[.,]\d)"
    rf"|(?<![\w+.,])(?:\+84{_SEP}|0)2\d(?:{_SEP}\d){{8}}(?!\d|[.,]\d)"
)
_NATIONAL_ID = re.compile(r"(?<![\d.,])(?:\d{12}|\d{9})(?!\d|[.,]\d)")
_PATIENT_ID = re.compile(
    r"(?i:\b(?:mã\s*(?:số\s*)?(?:bn|bệnh\s*nhân|người\s*bệnh|ba|bệnh\s*án|hồ\s*sơ|y\s*tế)|pid|mrn|patient\s*id"
    r"|số\s*(?:hồ\s*sơ|bệnh\s*án|lưu\s*trữ|vào\s*viện)))\s*[:#.]?\s*[A-Za-z]{0,4}[-/]?\d{4,}"
)
# the look-behind anchors the local part at its start: without it a long token is scanned from every position
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# --- names after titles -----------------------------------------------------------------------------------
_SYLLABLE = rf"[{_UPPER}][{_LOWER}]+"
_INITIAL = rf"[{_UPPER}](?![{_LOWER}{_UPPER}\d])"
_NAME = rf"({_SYLLABLE}(?:\s+(?:{_SYLLABLE}|{_INITIAL})){{0,3}})"
_HONORIFIC = re.compile(rf"(?<![\w])(?i:ông|bà|anh|chị|cô|chú)\s*:?\s+{_NAME}")
_TITLE = re.compile(rf"(?<![\w])(?i:bn|bệnh\s+nhân|người\s+bệnh|bác\s+s[ĩỹ]|bs(?:cki{{1,2}})?|ths|ts|ktv)"
                    rf"\s*[.:]?\s+{_NAME}")
#: Capitalized words that start clinical sentences or describe the patient, never a name.
_NOT_NAMES = frozenset({
    "nam", "nữ", "không", "có", "tim", "phổi", "bóng", "hai", "chụp", "tư", "hình", "x", "xquang", "phim", "bình",
    "tràn", "mờ", "gãy", "vôi", "xơ", "tổn", "đám", "nốt", "khối", "theo", "đề", "kết", "chưa", "cung", "góc", "rốn",
    "vòm", "trung", "khí", "dày", "viêm", "lao", "xẹp", "giãn", "tăng", "hiện", "đã", "sau", "trước", "nghi",
    "tuổi", "cao", "lớn", "già", "trẻ",
})


def _has_name(text: str) -> bool:
    for pattern, minimum in ((_HONORIFIC, 1), (_TITLE, 2)):
        for m in pattern.finditer(text):
            syllables = m.group(1).split()
            if syllables[0].casefold() in _NOT_NAMES:
                continue
            if len(syllables) >= minimum:
                return True
    return False


_DETECTORS: dict[str, Callable[[str], bool]] = {
    "date": _has_date,
    "phone": lambda t: bool(_PHONE.search(t)),
    "national_id": lambda t: bool(_NATIONAL_ID.search(t)),
    "patient_id": lambda t: bool(_PATIENT_ID.search(t)),
    "email": lambda t: bool(_EMAIL.search(t)),
    "name": _has_name,
}


def phi_kinds(text: Any) -> list[str]:
    """The PHI kinds found in one text, in `PHI_KINDS` order (the matched values are not returned)."""
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return []
    return list(_kinds(str(text)))


@lru_cache(maxsize=1 << 16)
def _kinds(text: str) -> tuple[str, ...]:
    """`phi_kinds` of a string, memoized (reports and their sentences repeat across a run's chunks)."""
    nfc = unicodedata.normalize("NFC", text)
    return tuple(kind for kind in PHI_KINDS if _DETECTORS[kind](nfc))


def phi_scan(df: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Rows with possible residual PHI, per kind and column: kind, column, rows, ids (row ids, never values).

    Every kind × column pair is listed, zeros included. `columns` defaults to the free-text columns findings,
    impressions and note that the frame has; ids come from the `id` column (the index when there is none).
    """
    if columns is None:
        columns = [c for c in PHI_COLUMNS if c in df.columns]
    else:
        absent = [c for c in columns if c not in df.columns]
        if absent:
            raise DataError(f"phi_scan: missing column(s) {', '.join(absent)}")
    ids = (df["id"] if "id" in df.columns else pd.Series(df.index, index=df.index)).astype(str).tolist()
    hits: dict[tuple[str, str], list[str]] = {(k, c): [] for k in PHI_KINDS for c in columns}
    for column in columns:
        kinds = map_unique(df[column], phi_kinds)  # reports repeat their templates: scan each text once
        for row_id, found in zip(ids, kinds.tolist()):
            for kind in found:
                hits[(kind, column)].append(row_id)
    rows = [{"kind": k, "column": c, "rows": len(hits[(k, c)]), "ids": hits[(k, c)]}
            for k in PHI_KINDS for c in columns]
    return pd.DataFrame(rows, columns=["kind", "column", "rows", "ids"])
