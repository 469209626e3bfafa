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
