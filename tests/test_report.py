"""End to end: `vixray-eda report` on a small dataset (papermill + nbconvert), and the files it promises."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageStat

from report_helpers import (card_layout, chromium, external_references, render_in_chromium, small_dataset)
import vixray_eda as vx
from vixray_eda.errors import ParameterError, ReportError
from vixray_eda.report.atomic import MARKER
from vixray_eda.report import hf_card
from vixray_eda.report.card import SECTIONS, Card
from vixray_eda.report.run import build_report
from vixray_eda.report.stats_json import validate_stats
from vixray_eda.stats.summary import compute_results

pytestmark = pytest.mark.slow
FILES = ("index.html", "README.md", "stats.json", "dataset_card.ipynb", MARKER)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return small_dataset(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def report(sample_report) -> Path:
    """The sample's card, built once per session and shared with the golden-digest test."""
    return sample_report


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_report_writes_every_output_and_nothing_else(report):
    assert all((report / name).is_file() for name in FILES)
    stems = {p.stem for p in (report / "figures").iterdir()}
    assert {"fig_lengths", "fig_terms_findings", "fig_terms_anatomy", "fig_age_sex", "fig_cooccurrence"} <= stems
    assert {p.suffix for p in (report / "figures").iterdir()} == {".pdf", ".svg", ".png"}
    assert not [p for p in report.parent.iterdir() if p.name.startswith(".")], "temporary folders left behind"


def test_stats_json_validates_and_carries_the_stable_keys(report):
    stats = json.loads((report / "stats.json").read_text(encoding="utf-8"))
    validate_stats(stats)
    assert stats["synthetic"] is True and stats["schema_version"].startswith("1.")
    assert sum(s["rows"] for s in stats["splits"].values()) == 5400
    assert set(stats["age"]["all"]) >= {"n", "mean", "sd", "median"}
    assert set(stats["sex"]["all"]) == {"M", "F", "missing"}
    assert {r["unit"] for r in stats["lengths"]} == {"chars", "syllables", "words"}
    assert {r["unit"] for r in stats["sentences"]} == {"sentences"}
    assert any(r["concept"] == "cardiomegaly" and r["split"] == "all" and r["field"] == "all" for r in stats["terms"])
    assert all(set(r) >= {"splits", "reports"} for r in stats["quality"]["leakage"])


def test_readme_yaml_parses_and_matches_stats(report):
    text = (report / "README.md").read_text(encoding="utf-8")
    front, body = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S).groups()
    meta = yaml.safe_load(front)
    stats = json.loads((report / "stats.json").read_text(encoding="utf-8"))
    assert meta["language"] == ["vi"] and meta["size_categories"] == ["1K<n<10K"]
    assert {s["name"]: s["num_examples"] for s in meta["dataset_info"]["splits"]} == {
        k: v["rows"] for k, v in stats["splits"].items()}
    assert [f["name"] for f in meta["dataset_info"]["features"]] == [
        "image", "findings", "impressions", "Ages", "sex", "view", "Ghi chú", "Kỹ thuật"]
    for line in body.splitlines():  # every table row has as many cells as its header
        if line.startswith("|"):
            assert len(re.split(r"(?<!\\)\|", line)) in {5, 6, 7, 8}, line


def test_html_is_self_contained_and_escapes_report_text(report):
    page = (report / "index.html").read_text(encoding="utf-8")
    assert "<title>ViX-Ray dataset card</title>" in page and '<html lang="en">' in page
    assert "<script" not in page.lower()
    assert external_references(page) == []
    assert "Content-Security-Policy" in page and "data:image/png;base64," in page
    assert len(page) < 3_000_000
    for section in [key for key in SECTIONS if key != "header"]:
        assert f'id="{section}"' in page


def test_report_text_with_html_shows_as_text(data):
    results = compute_results(vx.load(data))
    html_text = Card(results).html("fields")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html_text
    assert "<script>" not in html_text
    # the Hugging Face card shows data-given text (title, source) literally: no HTML, no Markdown link
    readme = hf_card.render(results, "<img src=x onerror=alert(1)> [link](http://evil.example)", {})
    front, body = readme.split("\n---\n", 1)
    assert yaml.safe_load(front.removeprefix("---\n"))["pretty_name"].startswith("<img")  # YAML data, not markup
    assert "<img" not in body and "](http" not in body
    assert "&lt;img src=x onerror=alert\\(1\\)&gt; \\[link\\]\\(http://evil\\.example\\)" in body


def test_failed_run_keeps_the_previous_report(data, tmp_path):
    out = tmp_path / "kept"
    build_report(data, out, {"top_n": 10}, progress=False)
    before = _digests(out)
    with pytest.raises(ReportError, match=r"dataset_card.ipynb: cell \d+ failed with SplitError: .*validation"):
        build_report(data, out, {"top_n": 10, "splits": ["validation"]}, progress=False)
    assert _digests(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["kept"]


def test_unknown_parameter_is_refused_before_running(data, tmp_path):
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) colour; known: .*top_n"):
        build_report(data, tmp_path / "x", {"colour": "red"}, progress=False)
    assert not (tmp_path / "x").exists()


def test_foreign_folder_is_refused_and_force_keeps_its_files(data, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(ParameterError, match="did not write; choose another --out or pass --force"):
        build_report(data, out, progress=False)
    build_report(data, out, {"top_n": 5}, force=True, progress=False)
    assert (out / "notes.txt").read_text() == "keep me" and (out / "index.html").is_file()


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed")
def test_card_renders_in_headless_chromium_without_requests(report, tmp_path):
    shot, requested = render_in_chromium(report / "index.html", tmp_path)
    assert requested == []
    image = Image.open(shot).convert("L")
    assert ImageStat.Stat(image).stddev[0] > 10  # not blank


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed")
def test_card_in_a_jupyterlab_page_lays_out_as_the_card_page(report, tmp_path):
    """The executed card notebook rendered with nbconvert's `lab` template (JupyterLab's own CSS) shows the overview's
    key/value list and the synthetic banner as the card page does: the card's scoped style comes with its output."""
    from nbconvert import HTMLExporter
    import nbformat

    nb = nbformat.read(report / "dataset_card.ipynb", as_version=4)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert "jp-RenderedHTMLCommon" in body  # JupyterLab's stylesheet is on the page
    lab = tmp_path / "lab.html"
    lab.write_text(body, encoding="utf-8")
    page, notebook = card_layout(report / "index.html", tmp_path), card_layout(lab, tmp_path)
    assert page["kv_same_row"] and page["banner_border"] == "1px solid"
    assert notebook == page


def test_figure_thumbnails_open_the_report_files(report):
    page = (report / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'<a href="(figures/[^"]+)"', page))
    assert "figures/fig_lengths.svg" in links and all((report / link).is_file() for link in links)
    assert external_references(page) == []


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed")
def test_the_browser_check_sees_a_page_request(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<html><body><img src="http://127.0.0.1:9/x.png"></body></html>')
    _, requested = render_in_chromium(page, tmp_path)
    assert requested == ["http://127.0.0.1:9/x.png"]


def test_batch_builds_each_report_and_an_index(data, tmp_path):
    from vixray_eda.report.run import build_batch, read_batch

    batch = tmp_path / "batch.yaml"
    batch.write_text(yaml.safe_dump({"reports": [
        {"name": "all-splits", "data": str(data), "parameters": {"top_n": 5}},
        {"name": "test-only", "data": str(data), "parameters": {"splits": ["test"], "lang": "vi"}},
    ]}, allow_unicode=True), encoding="utf-8")
    out = build_batch(read_batch(batch), tmp_path / "cards", progress=False)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="all-splits/index.html"' in index and 'href="test-only/index.html"' in index
    test_only = json.loads((out / "test-only" / "stats.json").read_text(encoding="utf-8"))
    assert list(test_only["splits"]) == ["test"]
    assert "Độ dài báo cáo" in (out / "test-only" / "index.html").read_text(encoding="utf-8")
    assert external_references(index) == []


@pytest.mark.parametrize("content, message", [
    ("reports: []", "needs a non-empty list of reports"),
    ("reports: [{name: a}]", "entry 1 needs 'name' and 'data'"),
    ("reports: [{name: ../x, data: sample}]", "entry 1 has an invalid name"),
    ("[{name: 'a\\\\b', data: sample}]", "entry 1 has an invalid name"),
    ("[{name: a, data: sample}, {name: a, data: sample}]", "entry 2 repeats the name 'a'"),
    ("reports: [{name: a, data: [unclosed", "cannot read the batch file"),
])
def test_bad_batch_files_are_one_line_errors(tmp_path, content, message):
    from vixray_eda.report.run import read_batch

    path = tmp_path / "batch"  # no extension needed
    path.write_text(content)
    with pytest.raises(ParameterError, match=message):
        read_batch(path)


def test_batch_file_may_be_a_bare_list(tmp_path):
    from vixray_eda.report.run import read_batch

    path = tmp_path / "batch.yml"
    path.write_text("- {name: a, data: sample, parameters: {top_n: 3}}\n- {name: b, data: sample}\n")
    assert [(e["name"], e["parameters"]) for e in read_batch(path)] == [("a", {"top_n": 3}), ("b", {})]


def test_report_with_images_has_image_statistics_and_image_leakage(tmp_path):
    import pyarrow.parquet as pq

    data = small_dataset(tmp_path / "data", rows=120, hostile=False)
    test_file = data / "data" / "test-00000-of-00001.parquet"
    train = pq.read_table(data / "data" / "train-00000-of-00001.parquet")
    test = pq.read_table(test_file)
    images = test.column("image").to_pylist()
    images[0] = train.column("image").to_pylist()[5]  # the same radiograph in train and test
    pq.write_table(test.set_column(0, "image", [images]), test_file, row_group_size=100)
    out = build_report(data, tmp_path / "card", {"read_images": True, "formats": ["png"]}, progress=False)
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert [r["n"] for r in stats["images"] if r["split"] == "all"] == [120]
    pair = next(r for r in stats["quality"]["image_leakage"] if r["splits"] == ["train", "test"])
    assert pair["images"] == 1 and pair["examples"] == [["train-00005", "test-00000"]]
    assert {p.name for p in (out / "figures").iterdir()} >= {"fig_image_sizes.png", "fig_contact_sheet.png"}
