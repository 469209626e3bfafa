"""Card sections rendered in-process (no papermill): languages, metadata checks, escaping."""
from __future__ import annotations

import pytest

import vixray_eda as vx
from builders import hf_folder
from vixray_eda.errors import ParameterError
from vixray_eda.report.card import SECTIONS, Card
from vixray_eda.labels import load_labels


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = hf_folder(tmp_path_factory.mktemp("d"), {"train": 6, "dev": 3})
    return vx.compute_results(vx.load(folder))


def test_every_heading_of_every_section_has_a_label_in_both_languages():
    labels = load_labels()
    for entry in SECTIONS.values():
        assert all(labels["en"][key] and labels["vi"][key] for key in entry.titles), entry.key


def test_every_section_names_results_it_reads(results):
    for entry in SECTIONS.values():
        for path in entry.needs:
            value = results
            for part in path.split("."):
                assert hasattr(value, part), (entry.key, path)
                value = getattr(value, part)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_section_renders_in_both_languages(results, lang):
    card = Card(results, lang=lang)
    pages = {s: card.html(s) for s in SECTIONS}
    assert all(pages.values())
    assert ("Độ dài báo cáo" in pages["lengths"]) == (lang == "vi")


def test_metadata_checks_are_flagged_in_the_card_language(results):
    en, vi = Card(results, lang="en").html("splits"), Card(results, lang="vi").html("splits")
    assert "Split train: 6 rows in the data, 4,320 declared as num_examples." in en
    assert "Split dev: 3 rows; the published card declares no split of this name." in en
    assert "Tập train: 6 dòng trong dữ liệu, khai báo num_examples là 4,320." in vi
    assert "cc-by-nc-4.0" in en and "cc-by-nc-4.0" in vi


def test_title_is_escaped_and_unknown_section_or_language_refused(results):
    assert "&lt;b&gt;" in Card(results, title="<b>x</b>").html("header")
    with pytest.raises(ParameterError, match="unknown card section"):
        Card(results).html("appendix")
    with pytest.raises(ParameterError, match="lang must be one of en, vi"):
        Card(results, lang="fr")


@pytest.fixture(scope="module")
def shorthand_results(tmp_path_factory):
    """Reports that the lexicon only partly understands: unaccented terms, an unknown abbreviation, a plain note."""
    import pandas as pd

    findings = (["Day dinh mang phoi phai. Tim khong to."] * 6 + ["XYZQ nhe day phoi trai."] * 6
                + ["Tràn dịch màng phổi trái."] * 4)
    path = tmp_path_factory.mktemp("shorthand") / "train.csv"
    pd.DataFrame({"findings": findings, "impressions": ["Theo dõi."] * len(findings), "Ages": 60,
                  "sex": "Nam"}).to_csv(path, index=False)
    return vx.compute_results(vx.load(path))


@pytest.mark.parametrize("lang, heading", [("en", "Lexicon coverage"), ("vi", "Độ phủ của từ điển thuật ngữ")])
def test_coverage_section_says_how_much_was_understood(shorthand_results, lang, heading):
    page = Card(shorthand_results, lang=lang).html("coverage")
    assert heading in page and 'id="coverage"' in page
    table = shorthand_results.coverage.table.set_index(["split", "field"])
    assert table.loc[("all", "findings"), "fallback_mentions"] >= 6  # "day dinh mang phoi" found without marks
    assert table.loc[("all", "impressions"), "reports_without_concept"] == 16  # "Theo dõi." names no concept
    gaps = shorthand_results.coverage.gaps
    assert ("possible_abbreviation", "XYZQ", 6) in set(zip(gaps["kind"], gaps["text"], gaps["reports"]))
    assert ("fallback", "day dinh mang phoi", "pleural_thickening") in set(zip(gaps["kind"], gaps["text"],
                                                                               gaps["concept"]))
    assert "XYZQ" in page


def test_coverage_is_in_stats_json_and_gaps_never_in_the_hugging_face_card(shorthand_results):
    from vixray_eda.report import hf_card
    from vixray_eda.report.stats_json import build_stats

    stats = build_stats(shorthand_results)  # validated against the schema on the way
    rows = {(r["split"], r["field"]): r for r in stats["coverage"]}
    assert set(rows[("all", "all")]) == {"split", "field", "sentences", "sentences_without_concept", "reports",
                                         "reports_without_concept", "fallback_mentions"}
    assert any(g["kind"] == "possible_abbreviation" for g in stats["lexicon_gaps"])
    readme = hf_card.render(shorthand_results, "t", {})
    assert "XYZQ" not in readme and "xyzq" not in readme.lower()
