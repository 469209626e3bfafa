"""A whole card from a hostile source through the CLI, and an interrupted run (papermill; a few seconds each)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import rows, write_parquet
from report_helpers import alive, small_dataset
from vixray_eda.cli import main
from vixray_eda.report.atomic import building
from vixray_eda.report.stats_json import validate_stats

pytestmark = pytest.mark.slow
TITLE = 'Thẻ "ViX-Ray" của tôi #1'
MESSY = {
    "Ages": ["69 tuổi", "999", "-3", "", "bảy mươi", "70,5"],
    "sex": ["0", "1", "nam", "NỮ", "khác", None],
    "findings": ["Bóng tim\u200b to.", "\u200fPhổi sáng\u202e", "emoji 😷 ổn", "| a | b |\n---\nkey: v", None, "12"],
    "impressions": ["", "  ", "<script>alert(1)</script>", "**đậm**", "Tim to.", ""],
}


def _previous_report(out: Path) -> dict[str, bytes]:
    """A stand-in for a report written earlier by the package (its marker lists exactly these files)."""
    with building(out) as tmp:
        (tmp / "index.html").write_text("<p>previous card</p>")
        (tmp / "old-only.txt").write_text("from the previous report")
    return {p.name: p.read_bytes() for p in out.iterdir()}


def _hostile_source(root: Path) -> Path:
    data = small_dataset(root / "dữ liệu thô" / "ViX Ray", rows=120)
    messy = rows(6, start=500, **MESSY)
    messy.pop("image")
    write_parquet(data / "data" / "train-00001-of-00003.parquet", messy)
    good = (data / "data" / "test-00000-of-00001.parquet").read_bytes()
    (data / "data" / "train-00002-of-00003.parquet").write_bytes(good[: len(good) // 3])
    return data


def test_hostile_source_gives_a_complete_card_that_explains_it(tmp_path, capsys):
    data = _hostile_source(tmp_path)
    out = tmp_path / "báo cáo" / "thẻ của tôi"
    _previous_report(out)
    code = main(["report", "--data", str(data), "--out", str(out), "-q", "--skip-corrupt", "-p", f"title={TITLE}",
                 "-p", "top_n=5"])
    _, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert not (out / "old-only.txt").exists(), "a previous report is replaced whole"
    assert [p.name for p in out.parent.iterdir()] == ["thẻ của tôi"], "temporary folders left behind"
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    validate_stats(stats)
    assert sum(s["rows"] for s in stats["splits"].values()) == 126  # 120 + 6 messy rows, none lost
    skipped = [r for r in stats["quality"]["log"] if r["check"] == "shard_skipped"]
    assert len(skipped) == 1 and "train-00002-of-00003.parquet" in skipped[0]["detail"], skipped
    log = {r["check"]: r["rows"] for r in stats["quality"]["log"]}
    assert log["age_implausible"] == 2 and log["findings_invisible_characters"] == 2
    assert log["findings_missing"] == 1 and log["age_unparseable"] == 1 and log["age_parsed_from_text"] == 2
    assert log["sex_unrecognized"] == 3 and log["impressions_empty"] >= 3
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"top\">Thẻ \"ViX-Ray\" của tôi #1</h1>" in page and "<script>alert" not in page
    assert "train-00002-of-00003.parquet" in page and "shard_skipped" in page
    assert '<li class="bad"><a href="#quality">1 unreadable data file(s) skipped' in page  # alerted first
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("---\n") and readme.count("\n---\n") == 1, "report text must not break the YAML block"


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the kernel process")
def test_sigterm_mid_report_keeps_the_previous_report_and_stops_the_kernel(tmp_path):
    out = tmp_path / "card"
    before = _previous_report(out)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "vixray_eda", "report", "--data", "sample", "--out", str(out),
                             "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    kernels: list[int] = []
    while time.monotonic() < deadline and not kernels:
        if any(".card.building-" in p.name for p in tmp_path.iterdir()):
            kernels = _children(proc.pid)
        time.sleep(0.1)
    assert kernels, "the kernel never started"
    # papermill writes the executed notebook as cells run: once it exists the card is being computed, well before
    # the folder is installed (a fixed sleep raced a fast warm report to its end)
    while time.monotonic() < deadline and not any(tmp_path.glob(".card.building-*/**/dataset_card.ipynb")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert err.strip() == "vixray-eda: terminated; nothing half-written was left behind", err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["card"], "temporary folders left behind"
    time.sleep(0.5)
    assert not [k for k in kernels if alive(k)], "the kernel process survived"
