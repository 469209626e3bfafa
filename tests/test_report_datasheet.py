"""Datasheet / Healthsheet rows: answers from the data or the published card, unknowns left as questions."""
from __future__ import annotations

from vixray_eda.report.datasheet import SECTIONS, DatasheetFacts, datasheet

FACTS = DatasheetFacts(synthetic=False, rows=5400, split_rows={"train": 4320, "val": 540, "test": 540},
                       age_mean=69.4, age_missing=12, sex_counts={"M": 3000, "F": 2390, "missing": 10},
                       views={"PA": 5400}, phi_hits=0, leaked_reports=3, cleaned_values=42, license_consistent=False)


def test_every_section_is_present_and_unknowns_stay_questions():
    sheet = datasheet(FACTS)
    assert list(dict.fromkeys(sheet["section"])) == list(SECTIONS)
    unknown = sheet[sheet["answer"].isna()]
    assert len(unknown) >= 5 and unknown["source"].isna().all()  # nobody invents who funded it or how to report errors
    assert sheet["answer"].notna().eq(sheet["source"].notna()).all()


def test_answers_come_from_the_data():
    sheet = datasheet(FACTS).set_index("question")["answer"]
    assert sheet["How many instances are there, per split?"] == \
        "5,400 reports: train 4,320 (80%), val 540 (10%), test 540 (10%)."
    assert "Mean age 69.4 years (12 missing)" in sheet["What is the age and sex make-up?"]
    assert "its YAML metadata says cc-by-nc-4.0" in sheet["Under which license is it distributed?"]
    assert "found 0 hit(s)" in sheet["Does the dataset contain personal or sensitive information?"]


def test_synthetic_data_is_said_to_be_synthetic_and_missing_ages_are_not_a_mean():
    facts = DatasheetFacts(**{**FACTS.__dict__, "synthetic": True, "age_mean": None, "views": {}})
    sheet = datasheet(facts).set_index("question")
    assert "synthetic sample" in sheet.loc["How many instances are there, per split?", "answer"]
    assert sheet.loc["What is the age and sex make-up?", "answer"].startswith("No usable ages")
    assert sheet.loc["Which views are included?", ["answer", "source"]].isna().all()
