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
    picked = vx.examples(DF, "pleural_effusion", assertion="present", n=1, seed=3)
    assert picked.equals(vx.examples(DF, "pleural_effusion", assertion="present", n=1, seed=3))
    assert list(picked.columns) == ["id", "split", "findings", "impressions"]


@pytest.mark.parametrize("call", [lambda: vx.kwic(DF, "pleural_efusion"),
                                  lambda: vx.examples(DF, "cardiomegaly", assertion="maybe")])
def test_unknown_concept_or_assertion_is_a_clear_error(call):
    with pytest.raises(ParameterError):
        call()
