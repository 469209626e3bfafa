"""`vixray-eda diff`: differences between two stats.json documents, row by row, with one-line errors."""
from __future__ import annotations

import json
import re

import pytest

from vixray_eda.cli import main
from vixray_eda.errors import ParameterError
from vixray_eda.report.diff import diff_stats, format_changes, read_stats

BEFORE = {
    "schema_version": "1.0.0", "source": "a", "synthetic": False,
    "splits": {"train": {"rows": 10}, "test": {"rows": 2}},
    "terms": [{"split": "all", "field": "findings", "concept": "cardiomegaly", "kind": "finding", "reports": 4},
              {"split": "all", "field": "findings", "concept": "heart", "kind": "anatomy", "reports": 9}],
    "quality": {"leakage": [{"splits": ["train", "test"], "reports": 1, "examples": ["train-00001"]}]},
}


def after() -> dict:
    doc = json.loads(json.dumps(BEFORE))
    doc["splits"]["val"] = {"rows": 3}
    doc["terms"].reverse()  # order of a table does not matter, its rows' names do
    doc["terms"][0]["reports"] = 8
    doc["quality"]["leakage"] = []
    doc["synthetic"] = True
    return doc


def test_changes_are_named_by_record_and_reordering_is_not_a_change():
    changes = {c.path: c for c in diff_stats(BEFORE, after())}
    assert set(changes) == {"splits.val.rows", "terms[split=all, field=findings, kind=anatomy, concept=heart].reports",
                            "quality.leakage", "quality.leakage[splits=train|test].reports",
                            "quality.leakage[splits=train|test].examples", "synthetic"}
    assert changes["quality.leakage[splits=train|test].reports"].kind == "removed"
    heart = changes["terms[split=all, field=findings, kind=anatomy, concept=heart].reports"]
    assert (heart.kind, heart.before, heart.after, heart.delta) == ("changed", 9, 8, -1)
    assert changes["splits.val.rows"].kind == "added"
    assert changes["synthetic"].delta is None  # booleans are not numbers
    assert diff_stats(BEFORE, BEFORE) == []


def test_records_without_unique_names_compare_by_position():
    a = {"schema_version": "1", "x": [{"v": 1}, {"v": 2}]}
    b = {"schema_version": "1", "x": [{"v": 1}, {"v": 3}, {"v": 4}]}
    assert [(c.path, c.kind) for c in diff_stats(a, b)] == [("x[1].v", "changed"), ("x[2].v", "added")]


def test_format_lines_and_limit():
    text = format_changes(diff_stats(BEFORE, after()), limit=2)
    lines = text.splitlines()
    assert lines[0].startswith("~ synthetic: false → true") and len(lines) == 3
    assert lines[-1] == "… and 4 more (use --limit 0 to show all)"


def test_cli_exit_codes_and_folders(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "stats.json").write_text(json.dumps(BEFORE), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(after()), encoding="utf-8")
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "a" / "stats.json")]) == 0
    assert capsys.readouterr().out == "no differences\n"
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b.json"), "--json"]) == 1
    records = json.loads(capsys.readouterr().out)
    assert {"path": "splits.val.rows", "kind": "added", "before": None, "after": {"rows": 3}["rows"],
            "delta": None} in records


@pytest.mark.parametrize("content, message", [(None, "no such file"), ("{", "not JSON (line 1"),
                                              ("[]", "not a vixray-eda stats.json"), (b"\xff", "not UTF-8")])
def test_unreadable_inputs_are_one_line_errors(tmp_path, capsys, content, message):
    path = tmp_path / "stats.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ParameterError, match=re.escape(message)):
        read_stats(path)
    assert main(["diff", str(path), str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
