"""What the card shows and how (issue 11): words in the card's language, CSS scoped under one root class, alerts,
term counts that say what they count, folded long tables, back-to-top links, figure links, the datasheet."""
from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

import vixray_eda as vx
from report_helpers import external_references
from vixray_eda.labels import label, phrase
from vixray_eda.report.alerts import alerts
from vixray_eda.report.card import SECTIONS, Card
from vixray_eda.report.datasheet import datasheet, facts_from_results
from vixray_eda.report.html import ROOT_CLASS, stylesheet, table


@pytest.fixture(scope="module")
def results():
    return vx.compute_results(vx.load("sample"))


@pytest.fixture(scope="module")
def pages(results):
    """The whole card in each language (one `Card` each, sections in order as the notebook shows them)."""
    out = {}
    for lang in ("en", "vi"):
        card = Card(results, lang=lang)
        out[lang] = {key: card.html(key) for key in SECTIONS}
    return out


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", html, flags=re.S))


def test_vietnamese_card_words_verdicts_details_title_and_source_in_vietnamese(results, pages):
    vi, en = pages["vi"], pages["en"]
    assert "<h1 id=\"top\">Thẻ dữ liệu ViX-Ray</h1>" in vi["header"] and "mẫu tổng hợp có sẵn" in vi["header"]
    assert "embedded synthetic sample" not in _text("".join(vi.values()))
    assert "ViX-Ray dataset card" in en["header"] and "embedded synthetic sample" in en["header"]
    balance = _text(vi["balance"])
    for verdict in results.balance["verdict"]:  # stats.json's English verdicts, none of them in the Vietnamese card
        assert verdict not in balance
    assert "các tập khác nhau" in balance and "độ dài mô tả (âm tiết)" in balance
    quality = _text(vi["quality"])
    for detail in results.quality.log["detail"]:
        assert detail not in quality
    assert "nguồn thiếu tuổi" in quality
    demographics = _text(vi["demographics"])
    assert "published mean age" not in demographics and "tuổi trung bình đã công bố" in demographics
    for english in ("findings length", "finding frequencies", "test not run", "more rows", "back to top"):
        assert english not in _text("".join(vi.values())), english


def test_every_quality_check_the_loaders_record_has_its_meaning_in_both_languages():
    from pathlib import Path

    import vixray_eda.data as data

    source = "".join(p.read_text(encoding="utf-8") for p in Path(data.__file__).parent.glob("*.py"))
    checks = set(re.findall(r'(?:record|flagged)\([^"]*?"([a-z_]+)"', source))
    generic = set(re.findall(r'flagged\([^"]*?f"\{column\}_([a-z_]+)"', source))
    assert len(checks) > 15 and generic == {"missing", "empty", "not_text", "invisible_characters"}
    for check in checks:
        assert label(f"quality.{check}", "en") and label(f"quality.{check}", "vi"), check
    for suffix in generic:
        assert "{column}" in label(f"quality.text_{suffix}", "vi")


def test_every_css_rule_of_the_card_is_scoped_under_its_root_class():
    css = re.sub(r"/\*.*?\*/", "", stylesheet("card.css"), flags=re.S)
    css = re.sub(r"@media[^{]*\{", "", css)  # rules inside @media are checked like the others
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{[^{}]*\}", css) for s in block.split(",")]
    assert len(selectors) > 30
    assert [s for s in selectors if s and not re.match(rf"\.{ROOT_CLASS}(?![\w-])", s)] == []
    assert not re.search(r"(^|[},])\s*(body|main|html|:root|\*)\b", css)  # page-level rules stay in page.css
    assert "body" in stylesheet("page.css")


def test_every_section_carries_the_root_class_and_the_first_output_carries_the_style(results):
    card = Card(results)
    first, second = card.html("lengths"), card.html("header")
    assert first.startswith("<style>") and stylesheet("card.css") in first
    assert "<style>" not in second
    for key in SECTIONS:
        html = card.html(key)
        assert html.startswith(f'<div class="{ROOT_CLASS}">') and html.endswith("</div>")


def test_alerts_are_computed_from_results_and_link_to_their_section(results, pages):
    found = {a.text.key: a for a in alerts(results)}
    assert {"alert.leakage", "alert.license", "alert.missing_ages", "alert.coverage", "alert.gaps",
            "alert.balance"} <= set(found)
    assert found["alert.leakage"].level == "bad" and found["alert.leakage"].anchor == "leakage"
    assert all(f'id="{a.anchor}"' in "".join(pages["en"].values()) for a in found.values())
    for lang in ("en", "vi"):
        assert all(f'href="#{a.anchor}"' in pages[lang]["alerts"] for a in found.values())
    assert "báo cáo không phải mẫu thông dụng" in pages["vi"]["alerts"]
    # each alert follows its data: no leakage, PHI hits and a skipped shard
    quality = dataclasses.replace(
        results.quality, leakage=[{**r, "non_template_reports": 0} for r in results.quality.leakage],
        phi_matches=pd.DataFrame({"kind": ["phone"], "column": ["findings"], "rows": [3], "ids": [["a"]]}),
        log=pd.concat([results.quality.log, pd.DataFrame([{"check": "shard_skipped", "column": "*", "rows": 40,
                                                           "examples": "x.parquet", "detail": "bad"}])]))
    changed = {a.text.key: a for a in alerts(dataclasses.replace(results, quality=quality))}
    assert "alert.leakage" not in changed and changed["alert.phi"].level == "bad"
    assert changed["alert.shards"].text.text("en") == "1 unreadable data file(s) skipped: their rows are in no statistic."
    assert [a.level for a in alerts(dataclasses.replace(results, quality=quality))][:2] == ["bad", "bad"]


def test_term_counts_say_what_they_count_next_to_them(pages):
    en = pages["en"]["terms"]
    assert "Reports (any mention)" in en and "Reports: present" in en
    assert "can add up to more than the reports" in en
    assert en.count("The chart counts the findings field only") == 2  # beside each chart
    assert "Biểu đồ chỉ đếm phần mô tả" in pages["vi"]["terms"]


def test_long_tables_fold_the_rest_into_details_and_every_section_links_back_to_the_top(pages):
    frame = pd.DataFrame({"x": range(20)})
    html = table(frame, limit=5, more=lambda n: f"{n} more")
    assert html.count("<tr>") == 1 + 5 + 1 + 15 and "<details><summary>15 more</summary><table>" in html
    assert "<script" not in html
    assert "<details>" in pages["en"]["cooccurrence"] and "thêm" in pages["vi"]["cooccurrence"]
    for key, html in pages["en"].items():
        assert (key == "header") != ('<a href="#top">' in html), key
    assert '<h1 id="top">' in pages["en"]["header"]


def test_figures_link_their_files_only_when_the_card_is_written_beside_them(results):
    inline = Card(results).html("lengths")
    linked = Card(results, figure_links=["png", "svg"]).html("lengths")
    assert "figures/" not in inline and 'src="data:image/png;base64,' in inline
    assert '<a href="figures/fig_lengths.svg"><img src="data:image/png;base64,' in linked
    assert '<a href="figures/fig_lengths.png">PNG</a>' in linked
    assert external_references(linked) == []  # links to the report's own files are not loads
    assert external_references('<img src="figures/fig_lengths.png">') == ["figures/fig_lengths.png"]


def test_datasheet_section_answers_from_the_data_and_keeps_unknowns_as_open_questions(results, pages):
    en, vi = pages["en"]["datasheet"], pages["vi"]["datasheet"]
    facts = facts_from_results(results)
    assert facts.rows == 5400 and facts.synthetic and facts.split_rows == {"train": 4320, "val": 540, "test": 540}
    assert facts.age_missing == 13 and not facts.license_consistent and facts.leaked_reports > 0
    unknown = int(datasheet(facts)["answer"].isna().sum())
    assert unknown >= 5
    assert "How many instances are there, per split?" in en and "5,400 reports" in en
    assert en.count("Open question for the dataset&#x27;s authors.") == unknown
    assert vi.count("Câu hỏi còn mở cho tác giả bộ dữ liệu.") == unknown
    assert "Thành phần" in vi and "(dữ liệu)" in vi and "(thẻ công bố)" in vi
    assert "Có bao nhiêu mẫu, theo từng tập?" in vi and "5,400 báo cáo: train 4,320 (80%)" in vi
    assert "mẫu tổng hợp: các số liệu này mô tả văn bản được sinh ra" in vi
    for question in datasheet(facts)["question"]:
        assert question not in vi
    assert 'id="datasheet"' in en


def test_card_text_stays_escaped(results):
    hostile = dataclasses.replace(results, source="<script>alert(1)</script>")
    html = Card(hostile, title="<b>t</b>").html("header")
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html


def test_phrase_refuses_an_unknown_key():
    with pytest.raises(KeyError, match="no label"):
        phrase("balance.nothing")
