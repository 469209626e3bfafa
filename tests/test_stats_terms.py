"""Term statistics: report-level counts per assertion, "all" rows, co-occurrence, consistency, KWIC."""
from __future__ import annotations

import pandas as pd
import pytest

from vixray_eda.stats.terms import (TERM_COLUMNS, anatomy_finding, cooccurrence, consistency, kwic, kwic_html,
                                    normal_share, term_table, top_terms)

DF = pd.DataFrame({
    "id": ["r1", "r2", "r3", "r4"],
    "split": ["train", "train", "val", "val"],
    "findings": [
        "Bóng tim to. Bóng tim to. Vôi hóa quai ĐMC.",  # two cardiomegaly mentions: still one report
        "Bóng tim không to. Không thấy tràn dịch, tràn khí màng phổi.",
        "Nghi ngờ tim to. Tràn dịch màng phổi phải <b>.",
        "Phổi sáng.",
    ],
    "impressions": ["Tim to, vôi hóa ĐMC.", "Bình thường.", "Tràn dịch màng phổi.", "Xơ phổi."],
})


def test_term_table_counts_reports_per_assertion():
    t = term_table(DF)
    assert list(t.columns) == TERM_COLUMNS
    get = t.set_index(["split", "field", "concept"])
    assert get.loc[("train", "findings", "cardiomegaly"), ["reports", "present", "absent", "uncertain"]].tolist() == [
        2, 1, 1, 0]
    assert get.loc[("all", "findings", "cardiomegaly"), ["reports", "present", "absent", "uncertain"]].tolist() == [
        3, 1, 1, 1]
    assert get.loc[("all", "all", "pleural_effusion"), ["reports", "present", "absent"]].tolist() == [2, 1, 1]
    assert get.loc[("val", "all", "pleural_effusion"), "share"] == pytest.approx(0.5)
    assert get.loc[("all", "impressions", "fibrosis"), "present"] == 1
    assert list(dict.fromkeys(t["split"])) == ["train", "val", "all"]


def test_top_terms_present_only_and_labels():
    top = top_terms(term_table(DF), kind="finding", n=3)
    assert top["concept"].tolist()[:2] == ["aortic_calcification", "cardiomegaly"]  # 1 present each, by name
    assert {"en_label", "vi_canonical"} <= set(top.columns)
    assert "pneumothorax" not in top["concept"].tolist()  # absent only


def test_cooccurrence_lift_and_same_sentence_pairs():
    co = cooccurrence(DF)
    row = co[(co["concept_a"] == "aortic_calcification") & (co["concept_b"] == "cardiomegaly")].iloc[0]
    assert row["reports"] == 1 and row["lift"] == pytest.approx((1 / 4) / ((1 / 4) * (1 / 4)))
    pairs = anatomy_finding(pd.DataFrame({"split": ["x"], "findings": ["Phổi phải có đám mờ, tim to."]}))
    assert pairs[["anatomy", "finding"]].values.tolist() == [  # "tim" of "tim to" is a heart mention too
        ["heart", "cardiomegaly"], ["heart", "opacity"], ["lung", "cardiomegaly"], ["lung", "opacity"]]


def test_consistency_and_normal_share():
    c = consistency(DF).set_index(["split", "concept"])
    assert c.loc[("all", "all"), ["impression_reports", "also_in_findings"]].tolist() == [4, 3]
    assert c.loc[("all", "fibrosis"), "share"] == 0
    n = normal_share(DF).set_index("split")
    assert n.loc["train", "normal"] == 1 and n.loc["val", "normal"] == 0  # r2: only negated findings
    assert normal_share(DF.assign(impressions="")).set_index("split").loc["val", "normal"] == 1


def test_kwic_uses_original_text_and_html_is_escaped():
    k = kwic(DF, "pleural_effusion", width=10)
    assert list(k.columns) == ["id", "split", "left", "match", "right", "assertion"]
    assert k["match"].tolist() == ["tràn dịch", "Tràn dịch màng phổi"]
    assert k["assertion"].tolist() == ["absent", "present"]  # the hedge ends with its sentence
    assert kwic(DF, "pleural_effusion", assertion="absent", limit=1)["id"].tolist() == ["r2"]
    html = kwic_html(k)
    assert "<mark" in html and "&lt;b&gt;" in html and "<b>" not in html
