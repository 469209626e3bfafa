"""JupyterLab helpers: KWIC view with highlighted, escaped matches; reproducible example browser."""
from __future__ import annotations

import pandas as pd
import pytest

import vixray_eda as vx
from vixray_eda.errors import ParameterError

DF = pd.DataFrame({
    "id": ["t-0", "t-1", "t-2", "t-3"],
    "split": ["train"] * 4,
    "findings": ["Tràn dịch màng phổi phải <b>.", "Không thấy tràn dịch màng phổi.", "Bóng tim to.",
                 "Nghi ngờ tràn dịch màng phổi trái."],
    "impressions": ["", "", "", ""],
})


def test_kwic_view_highlights_and_escapes():
    view = vx.kwic(DF, "pleural_effusion")
    assert len(view) == 3 and list(view.frame["assertion"]) == ["present", "absent", "uncertain"]
    html = view._repr_html_()
    assert "<mark class='kwic-present'>Tràn dịch màng phổi</mark>" in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert len(vx.kwic(DF, "pleural_effusion", assertion="absent")) == 1


def test_examples_by_concept_and_assertion_are_reproducible():
    absent = vx.examples(DF, "pleural_effusion", assertion="absent")
    assert absent["id"].tolist() == ["t-1"]
    many = pd.DataFrame({"id": [f"m-{i}" for i in range(8)], "split": ["train"] * 8,
                         "findings": ["Tràn dịch màng phổi phải.", "Bóng tim to."] * 4, "impressions": [""] * 8})
    picks = {seed: vx.examples(many, "pleural_effusion", n=2, seed=seed)["id"].tolist() for seed in range(6)}
    assert all(vx.examples(many, "pleural_effusion", n=2, seed=s)["id"].tolist() == p for s, p in picks.items())
    assert len({tuple(p) for p in picks.values()}) > 1, "the seed chooses among the four candidates"
    assert all(p == sorted(p) and set(p) <= {"m-0", "m-2", "m-4", "m-6"} for p in picks.values())
    assert list(vx.examples(many, "pleural_effusion", n=9).columns) == ["id", "split", "findings", "impressions"]


@pytest.mark.parametrize("call", [lambda: vx.kwic(DF, "pleural_efusion"),
                                  lambda: vx.examples(DF, "cardiomegaly", assertion="maybe")])
def test_unknown_concept_or_assertion_is_a_clear_error(call):
    with pytest.raises(ParameterError):
        call()
