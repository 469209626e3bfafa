"""JupyterLab helpers: KWIC view with highlighted, escaped matches; reproducible example browser."""
from __future__ import annotations

import re

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


def test_kwic_says_how_many_of_how_many_and_colours_each_assertion_differently():
    many = pd.DataFrame({"id": [f"m-{i}" for i in range(30)], "split": ["train"] * 30,
                         "findings": ["Tràn dịch màng phổi phải.", "Không thấy tràn dịch màng phổi."] * 15,
                         "impressions": [""] * 30})
    view = vx.kwic(many, "pleural_effusion")
    assert (len(view), view.total) == (20, 30) and "20 of 30 mentions of pleural_effusion" in view._repr_html_()
    assert vx.kwic(many, "pleural_effusion", limit=None).total == 30
    css = view._repr_html_().split("</style>")[0]
    colours = {a: re.search(rf"mark\.kwic-{a} \{{ background: (#[0-9a-f]+)", css).group(1)
               for a in ("present", "absent", "uncertain")}
    assert len(set(colours.values())) == 3


def test_examples_show_whole_reports_with_the_mentions_highlighted():
    long = "Tràn dịch màng phổi phải. " + "Bóng tim không to. " * 20 + "Kết thúc <b>."
    frame = pd.DataFrame({"id": ["a"], "split": ["train"], "findings": [long], "impressions": ["Theo dõi."]})
    html = vx.examples(frame, "pleural_effusion")._repr_html_()
    assert "Kết thúc &lt;b&gt;." in html and html.count("Bóng tim không to.") == 20  # nothing truncated
    assert '<mark class="kwic-present">Tràn dịch màng phổi</mark>' in html


def test_examples_by_concept_and_assertion_are_reproducible():
    absent = vx.examples(DF, "pleural_effusion", assertion="absent").frame
    assert absent["id"].tolist() == ["t-1"]
    many = pd.DataFrame({"id": [f"m-{i}" for i in range(8)], "split": ["train"] * 8,
                         "findings": ["Tràn dịch màng phổi phải.", "Bóng tim to."] * 4, "impressions": [""] * 8})
    picks = {seed: vx.examples(many, "pleural_effusion", n=2, seed=seed).frame["id"].tolist() for seed in range(6)}
    assert all(vx.examples(many, "pleural_effusion", n=2, seed=s).frame["id"].tolist() == p for s, p in picks.items())
    assert len({tuple(p) for p in picks.values()}) > 1, "the seed chooses among the four candidates"
    assert all(p == sorted(p) and set(p) <= {"m-0", "m-2", "m-4", "m-6"} for p in picks.values())
    assert list(vx.examples(many, "pleural_effusion", n=9).frame.columns) == ["id", "split", "findings", "impressions"]


@pytest.mark.parametrize("call", [lambda: vx.kwic(DF, "pleural_efusion"),
                                  lambda: vx.examples(DF, "cardiomegaly", assertion="maybe")])
def test_unknown_concept_or_assertion_is_a_clear_error(call):
    with pytest.raises(ParameterError):
        call()
