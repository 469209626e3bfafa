"""Issue 10, item 11: credentials in a source URL never reach an output or a message."""
from __future__ import annotations

import json

import pytest

from builders import rows, write_parquet
from range_server import RangeServer
from report_helpers import small_dataset
from vixray_eda.cli import main
from vixray_eda.data.sources import load
from vixray_eda.errors import DataError
from vixray_eda.redact import redact

SECRETS = ("hunter2", "s3cr3tSIG", "tok3n")


def _clean(text: str) -> bool:
    return not any(secret in text for secret in SECRETS)


@pytest.mark.parametrize("text, expected", [
    ("https://alice:hunter2@host.example/data/train.parquet", "https://REDACTED@host.example/data/train.parquet"),
    ("see https://host/x.parquet?X-Amz-Signature=s3cr3tSIG&X-Amz-Expires=60: not readable",
     "see https://host/x.parquet?X-Amz-Signature=REDACTED&X-Amz-Expires=REDACTED: not readable"),
    ("url='http://tok3n@127.0.0.1:8000/a.csv?tok3n'", "url='http://REDACTED@127.0.0.1:8000/a.csv?REDACTED'"),
    ("hf://datasets/MilitaryHospital175/VNMedical_bv175@main/data", "hf://datasets/MilitaryHospital175/VNMedical_bv175@main/data"),
    ("/local/path/with@sign/train.parquet", "/local/path/with@sign/train.parquet"),
])
def test_redact_userinfo_and_query_values(text, expected):
    assert redact(text) == expected


def test_loaded_source_and_errors_carry_no_credentials(tmp_path):
    write_parquet(tmp_path / "train-00000-of-00001.parquet", rows(3))
    with RangeServer(tmp_path) as server:
        host = server.url.removeprefix("http://")
        df = load(f"http://alice:hunter2@{host}/train-00000-of-00001.parquet?sig=s3cr3tSIG")
        assert len(df) == 3 and _clean(df.attrs["source"]) and "REDACTED" in df.attrs["source"]
        with pytest.raises(DataError) as err:
            load(f"http://alice:hunter2@{host}/missing-00000-of-00001.parquet?sig=s3cr3tSIG")
    assert _clean(str(err.value))


def test_cli_messages_carry_no_credentials(capsys):
    code = main(["validate", "--data", "http://alice:hunter2@127.0.0.1:9/train.parquet?sig=s3cr3tSIG"])
    err = capsys.readouterr().err
    assert code == 2 and _clean(err) and "127.0.0.1:9" in err


@pytest.mark.slow
def test_report_outputs_carry_no_credentials(tmp_path):
    data = small_dataset(tmp_path / "data", rows=60)
    out = tmp_path / "card"
    with RangeServer(data) as server:
        host = server.url.removeprefix("http://")
        url = f"http://alice:hunter2@{host}/data/train-00000-of-00001.parquet?X-Amz-Signature=s3cr3tSIG"
        assert main(["report", "--data", url, "--out", str(out), "-q"]) == 0
    for name in ("README.md", "stats.json", "index.html", "dataset_card.ipynb"):
        text = (out / name).read_text(encoding="utf-8")
        assert _clean(text), f"{name} holds a credential"
        assert "REDACTED" in text, f"{name} does not name the (redacted) source"
    assert "REDACTED" in json.loads((out / "stats.json").read_text(encoding="utf-8"))["source"]
