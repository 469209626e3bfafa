"""Every parameter value is checked against its one declaration (vixray_eda.parameters) before anything runs:
from -p, from -f files, from batch files; a bad value is one line naming the parameter."""
from __future__ import annotations

import pytest

from vixray_eda.cli import main
from vixray_eda.errors import ParameterError
from vixray_eda.parameters import CARD, FIGURES

BAD_VALUES = [
    ("read_images=maybe", "parameter read_images: expected true or false, got 'maybe'"),
    ("top_n=-5", "parameter top_n: expected an integer ≥ 1, got -5"),
    ("top_n=abc", "parameter top_n: expected an integer, got 'abc'"),
    ("splits=5", "parameter splits: expected a list of texts, got 5"),
    ("lang=fr", "parameter lang: expected one of en, vi, got 'fr'"),
    ("formats=[png, gif]", "parameter formats: expected one of pdf, svg, png, got 'gif'"),
]


def _refused(capsys, tmp_path, *argv: str) -> str:
    code = main(list(argv))
    _, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert not any(tmp_path.iterdir()), "nothing may be built or left behind"
    return err


@pytest.mark.parametrize("given, message", BAD_VALUES)
def test_report_refuses_a_bad_p_value_naming_the_parameter(tmp_path, capsys, given, message):
    err = _refused(capsys, tmp_path, "report", "--data", "sample", "--out", str(tmp_path / "card"), "-p", given)
    assert message in err


@pytest.mark.parametrize("given, message", [v for v in BAD_VALUES if not v[0].startswith(("read_images", "formats"))])
def test_figures_refuses_a_bad_p_value_naming_the_parameter(tmp_path, capsys, given, message):
    err = _refused(capsys, tmp_path, "figures", "--data", "sample", "--out", str(tmp_path / "f"), "-p", given)
    assert message in err


def test_a_parameter_file_is_checked_the_same_way(tmp_path, capsys):
    params = tmp_path.parent / f"{tmp_path.name}-params.yaml"
    params.write_text("top_n: -5\n", encoding="utf-8")
    err = _refused(capsys, tmp_path, "report", "--data", "sample", "--out", str(tmp_path / "card"), "-f", str(params))
    assert "parameter top_n: expected an integer ≥ 1, got -5" in err


def test_a_batch_file_is_checked_before_any_report_is_built(tmp_path, capsys):
    batch = tmp_path.parent / f"{tmp_path.name}-batch.yaml"
    batch.write_text("- {name: one, data: sample}\n- {name: two, data: sample, parameters: {splits: 5}}\n",
                     encoding="utf-8")
    err = _refused(capsys, tmp_path, "report", "--batch", str(batch), "--out", str(tmp_path / "all"))
    assert "entry 2 (two): parameter splits: expected a list of texts, got 5" in err


@pytest.mark.parametrize("given, typed", [
    ({"formats": "svg"}, {"formats": ["svg"]}),
    ({"formats": "pdf,png"}, {"formats": ["pdf", "png"]}),
    ({"splits": "train"}, {"splits": ["train"]}),
    ({"splits": None}, {"splits": None}),
    ({"lexicon_paths": "extra.csv"}, {"lexicon_paths": ["extra.csv"]}),
    ({"top_n": 1, "read_images": True, "lang": "vi"}, {"top_n": 1, "read_images": True, "lang": "vi"}),
])
def test_good_values_come_out_typed(given, typed):
    assert CARD.check(given) == typed


def test_true_is_not_an_integer_and_one_is_not_a_boolean():
    with pytest.raises(ParameterError, match="parameter top_n: expected an integer, got True"):
        CARD.check({"top_n": True})
    with pytest.raises(ParameterError, match="parameter skip_corrupt: expected true or false, got 1"):
        FIGURES.check({"skip_corrupt": 1})


def test_every_default_passes_its_own_check():
    for declared in (CARD, FIGURES):
        assert declared.check(declared.defaults()) == declared.defaults()
