"""The sample's card, README.md, stats.json, croissant.json and figures are byte-identical to the recorded digests.

A change that alters these outputs on purpose updates `golden/sample_report.sha256.json` in a commit saying why
(`python tests/test_golden.py REPORT_DIR` prints the new digests)."""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample_report.sha256.json"


def digests(folder: Path) -> dict[str, str]:
    """sha256 of the card's published files (the executed notebook and the ownership marker are left out)."""
    files = [folder / "index.html", folder / "README.md", folder / "stats.json", folder / "croissant.json",
             *sorted((folder / "figures").iterdir())]
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.slow
def test_sample_report_matches_the_golden_digests(sample_report):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = digests(sample_report)
    assert sorted(actual) == sorted(expected)
    changed = [name for name in expected if actual[name] != expected[name]]
    assert not changed, f"outputs changed: {changed}"


if __name__ == "__main__":
    print(json.dumps(digests(Path(sys.argv[1])), indent=1, sort_keys=True))
