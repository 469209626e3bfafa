"""The benchmark card's outputs: stats.json and its schema, escaped offline HTML, PHI scan of examples,
atomic and byte-identical writes, the CLI end to end and the papermill notebook."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import jsonschema
import nbformat
import papermill as pm
import pytest

import vixray_eda as vx
from PIL import Image, ImageStat
from report_helpers import chromium, external_references, render_in_chromium, small_dataset
from vixray_eda.benchmark.bootstrap import HEADLINES
from vixray_eda.benchmark.card import BenchmarkCard
from vixray_eda.benchmark.outputs import build_benchmark, write_sample_predictions
from vixray_eda.benchmark.stats_json import build_stats, stats_schema
from vixray_eda.errors import DataError, ParameterError
from vixray_eda.report.notebooks import NOTEBOOK_DIR

# many hallucinated findings, so that both rows are among the worst examples shown on the card
ERRORS = " Tràn khí màng phổi. Gãy xương sườn. Khối mờ phổi phải. Xẹp phổi. Giãn phế quản. Khí phế thũng."
HOSTILE = "<script>alert('x')</script> <img src=x onerror=alert(1)>" + ERRORS
PHI = "Bệnh nhân Nguyễn Văn An." + ERRORS


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return small_dataset(tmp_path_factory.mktemp("benchdata"), rows=300, hostile=False)


@pytest.fixture(scope="module")
def preds(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("preds")
    write_sample_predictions(str(data), "careful", folder, seed=1, rates={"omission": 0.1})
    sloppy = write_sample_predictions(str(data), "sloppy", folder, seed=2, rates={"omission": 0.4,
                                                                                 "hallucination": 0.4})
    rows = [json.loads(line) for line in sloppy.read_text(encoding="utf-8").splitlines()]
    rows[0]["findings"], rows[1]["findings"] = HOSTILE, PHI
    sloppy.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return [folder / "careful.jsonl", sloppy]


@pytest.fixture(scope="module")
def card(data, preds):
    refs = vx.load(str(data), splits="test")
    return BenchmarkCard(vx.score(refs, preds, resamples=200, source=str(data), split="test"))


def test_stats_json_has_the_stable_keys_and_matches_its_schema(card):
    jsonschema.Draft7Validator.check_schema(stats_schema())
    stats = build_stats(card.b)
    jsonschema.validate(stats, stats_schema())
    for name in ("careful", "sloppy"):
        model = stats["benchmark"]["models"][name]
        assert model["reports"] == card.b.reports_scored()
        for key in HEADLINES:
            low, high = model[f"{key}_ci"]
            assert 0 <= low <= model[key] <= high <= 1
    assert stats["parameters"]["uncertain"] == "positive" and stats["synthetic"] is card.b.synthetic


def test_page_is_escaped_and_offline(card):
    page = card.page()
    assert "<script" not in page.lower() and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;img" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert external_references(page) == []


@pytest.mark.slow
@pytest.mark.skipif(chromium() is None, reason="chromium is not installed")
def test_page_renders_in_headless_chromium_without_requests(card, tmp_path):
    page = tmp_path / "index.html"
    page.write_text(card.page(), encoding="utf-8")
    shot, requested = render_in_chromium(page, tmp_path)
    assert requested == []
    assert ImageStat.Stat(Image.open(shot).convert("L")).stddev[0] > 10  # not blank


def test_examples_pass_through_the_phi_scan(card):
    html = card.html("examples")
    assert "Nguyễn Văn An" not in html and "withheld: possible PHI (name)" in html
    assert "<mark>" in html


def test_every_section_renders_and_states_its_parameters(card):
    page = card.page()
    for text in ("Leaderboard", "counted as positive", "95% paired bootstrap", "syllables",
                 "The extractor&#x27;s own accuracy", "check sentences"):
        assert text in page, text
    with pytest.raises(ParameterError):
        card.html("nope")


def test_synthetic_references_are_flagged(card):
    refs = vx.load("sample", splits="test").head(20)
    synthetic = BenchmarkCard(vx.score(refs, refs[["id", "findings"]], resamples=10))
    assert "SYNTHETIC DATA" in synthetic.html("header") and "SYNTHETIC DATA" not in card.html("header")


def test_a_failed_build_keeps_the_previous_card_and_foreign_folders_are_refused(data, preds, tmp_path):
    out = tmp_path / "card"
    build_benchmark(str(data), preds[:1], out, resamples=20, formats=["png"])
    before = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(DataError):
        build_benchmark(str(data), [bad], out, resamples=20)
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".card")]
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(ParameterError, match="did not write"):
        build_benchmark(str(data), preds[:1], foreign, resamples=20)


def _digests(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_builds_are_byte_identical(data, preds, tmp_path):
    a = build_benchmark(str(data), preds, tmp_path / "a", resamples=200)
    b = build_benchmark(str(data), preds, tmp_path / "b", resamples=200)
    files = _digests(a)
    assert files == _digests(b)
    assert {"index.html", "stats.json", "figures/fig_bench_leaderboard.pdf", "figures/fig_bench_concept_f1.svg",
            "figures/fig_bench_errors.png"} <= set(files)


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "vixray_eda", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


@pytest.mark.slow
def test_cli_end_to_end(data, tmp_path):
    made = _cli("sample-predictions", "--data", data, "--model", "demo", "--seed", "3", "--out", tmp_path / "p",
                "--rate", "omission=0.5")
    assert made.returncode == 0, made.stderr
    rows = [json.loads(line) for line in (tmp_path / "p" / "demo.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {"id", "findings", "impressions", "model", "planted"} <= set(rows[0])
    done = _cli("score", "--data", data, "--preds", tmp_path / "p" / "demo.jsonl", "--out", tmp_path / "card",
                "--uncertain", "exclude", "--resamples", "50")
    assert done.returncode == 0, done.stderr
    stats = json.loads((tmp_path / "card" / "stats.json").read_text(encoding="utf-8"))
    assert stats["parameters"]["uncertain"] == "exclude" and stats["parameters"]["split"] == "test"
    assert stats["benchmark"]["models"]["demo"]["omission_rate"] > 0
    bad = _cli("score", "--data", data, "--preds", tmp_path / "missing.jsonl", "--out", tmp_path / "x")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "missing.jsonl" in bad.stderr
    usage = _cli("score", "--data", data, "--out", tmp_path / "x")
    assert usage.returncode == 2 and "--preds" in usage.stderr


@pytest.mark.slow
def test_benchmark_notebook_runs_under_papermill(data, preds, tmp_path):
    out = tmp_path / "out"
    pm.execute_notebook(str(NOTEBOOK_DIR / "benchmark_card.ipynb"), str(tmp_path / "run.ipynb"), cwd=str(tmp_path),
                        progress_bar=False, parameters={"data": str(data), "predictions": [str(p) for p in preds],
                                                        "formats": ["png"], "output_dir": str(out)})
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert sorted(stats["benchmark"]["models"]) == ["careful", "sloppy"]
    assert (out / "index.html").is_file() and (out / "figures" / "fig_bench_leaderboard.png").is_file()
    html = "".join(o.get("data", {}).get("text/html", "") for c in nbformat.read(tmp_path / "run.ipynb", 4).cells
                   if c.cell_type == "code" for o in c.outputs)
    assert "Leaderboard" in html and "&lt;script&gt;" in html
