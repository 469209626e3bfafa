"""`vx.score` on the synthetic sample: identical predictions, planted-rate recovery, coverage, inputs, perturbation."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import vixray_eda as vx
from vixray_eda.benchmark.bootstrap import HEADLINES
from vixray_eda.benchmark.inputs import read_predictions
from vixray_eda.benchmark.perturb import perturb_references
from vixray_eda.errors import DataError, ParameterError

RESAMPLES = 300


@pytest.fixture(scope="module")
def refs():
    return vx.load("sample", splits="test")


@pytest.fixture(scope="module")
def planted(refs):
    return perturb_references(refs, rates={"omission": 0.3, "negation_flip": 0.2, "hallucination": 0.25,
                                           "paraphrase": 0.5}, seed=5)


@pytest.fixture(scope="module")
def bench(refs, planted):
    copy = refs[["id", "findings", "impressions"]]
    return vx.score(refs, {"noisy": planted, "copy": copy}, resamples=RESAMPLES)


def test_identical_predictions_score_one(bench):
    m = bench.metrics[bench.metrics["model"] == "copy"].set_index(["field", "metric"])
    for field in bench.fields:
        # (ROUGE-2 of a one-word report is 0 even against itself: rouge-score's convention, stated on the card)
        for metric in ("rouge1_syllables", "rouge1_words", "rougeL_syllables", "rougeL_words", "ce_micro_f1",
                       "ce_macro_f1"):
            assert m.loc[(field, metric), ["value", "low", "high"]].tolist() == [1.0, 1.0, 1.0]
        for metric in ("hallucination_rate", "omission_rate", "negation_flip_rate", "anatomy_mismatch_rate"):
            assert m.loc[(field, metric), "value"] == 0.0
    bleu = bench.bleu[bench.bleu["model"] == "copy"]
    assert (bleu[["bleu1", "bleu2", "bleu3", "bleu4"]] == 1.0).all().all()


@pytest.mark.parametrize("field", ["findings", "impressions"])
def test_metrics_recover_the_planted_rates(bench, planted, field):
    scored = set(bench.reports.loc[(bench.reports["model"] == "noisy") & (bench.reports["field"] == field), "id"])
    m = bench.metrics[(bench.metrics["model"] == "noisy") & (bench.metrics["field"] == field)].set_index("metric")
    for event, metric in (("omission", "omission_rate"), ("hallucination", "hallucination_rate"),
                          ("negation_flip", "negation_flip_rate")):
        share = np.mean([any(e.startswith(event) for e in p[field])
                         for i, p in zip(planted["id"], planted["planted"]) if i in scored])
        value, low, high = m.loc[metric, ["value", "low", "high"]]
        assert share > 0.05  # something was planted
        assert abs(value - share) <= max(value - low, high - value), (metric, value, share)
    # paraphrases change the wording, not the clinical labels: ROUGE drops, but far less than the planted errors do
    assert 0.85 < m.loc["rouge1_syllables", "value"] < 1.0


def test_paired_differences(bench):
    d = bench.differences[(bench.differences["field"] == "findings")].set_index("metric")
    assert list(d["model_a"].unique()) == ["noisy"] and list(d["model_b"].unique()) == ["copy"]
    flip = d.loc["negation_flip_rate"]
    assert flip["difference"] > 0 and flip["low"] > 0  # the planted flips are real, not noise
    micro = d.loc["ce_micro_f1"]
    assert micro["high"] < 0


def test_leaderboard_and_headlines(bench):
    board = bench.leaderboard()
    assert board["model"].tolist() == ["copy", "noisy"]
    assert (board["reports"] == 540).all()
    for metric in HEADLINES:
        low, high = board.loc[1, f"{metric}_ci"]
        assert low <= board.loc[1, metric] <= high


def test_empty_references_are_excluded_and_counted(bench, refs):
    scored = bench.scored.set_index("field")
    empty = int((refs["impressions"].fillna("").str.strip() == "").sum())
    assert empty > 0
    assert scored.loc["impressions", ["scored", "empty"]].tolist() == [len(refs) - empty, empty]
    assert len(bench.reports[(bench.reports["model"] == "copy") & (bench.reports["field"] == "impressions")]) == \
        len(refs) - empty


def test_missing_and_extra_ids_are_counted_and_missing_scored_empty(refs):
    preds = refs[["id", "findings"]].iloc[5:].copy()
    extra = pd.DataFrame({"id": ["x-1", "x-2", "x-3"], "findings": ["Tim to."] * 3})
    bench = vx.score(refs, {"partial": pd.concat([preds, extra])}, resamples=20)
    cov = bench.coverage.iloc[0]
    assert (cov["missing"], cov["extra"], cov["matched"]) == (5, 3, len(refs) - 5)
    assert cov["missing_ids"] == refs["id"].iloc[:5].tolist() and cov["extra_ids"] == ["x-1", "x-2", "x-3"]
    missing = bench.reports[bench.reports["id"].isin(refs["id"].iloc[:5])]
    assert (missing["rouge1_syllables"] == 0).all() and (missing["prediction"] == "").all()
    assert bench.fields == ("findings",)


def test_custom_key_on_both_sides(refs):
    references = refs.assign(study=[f"S{i}" for i in range(len(refs))]).head(40)
    preds = references[["study", "findings"]].iloc[::-1]
    bench = vx.score(references, preds, key="study", resamples=20)
    assert bench.models == ("model",)
    assert bench.headline("model", "rouge1_syllables")[0] == 1.0
    with pytest.raises(DataError, match="no key column 'study'"):
        vx.score(refs.head(5), preds, key="study")


def test_uncertain_policy_is_a_parameter(refs):
    hedged = refs[["id", "findings"]].head(60).copy()
    hedged["findings"] = "Nghi ngờ " + hedged["findings"].str[:1].str.lower() + hedged["findings"].str[1:]
    results = {p: vx.score(refs.head(60), hedged, uncertain=p, resamples=20)
               for p in ("positive", "negative", "exclude")}
    micro = {p: r.headline("model", "ce_micro_f1")[0] for p, r in results.items()}
    # present in the reference, uncertain in the prediction: a hit when uncertain counts as positive, a miss when it
    # counts as negative, left out when excluded
    assert micro["positive"] == micro["exclude"] == 1.0 > micro["negative"]
    assert results["negative"].parameters["uncertain"] == "negative"
    assert results["negative"].headline("model", "negation_flip_rate")[0] == 0.0
    with pytest.raises(ParameterError):
        vx.score(refs.head(5), hedged, uncertain="maybe")


def test_prediction_files_in_three_formats(refs, tmp_path):
    preds = refs[["id", "findings", "impressions"]].head(30)
    preds.to_csv(tmp_path / "a.csv", index=False)
    preds.to_parquet(tmp_path / "b.parquet")
    preds.assign(model=["m1"] * 15 + ["m2"] * 15).to_json(tmp_path / "c.jsonl", orient="records", lines=True,
                                                            force_ascii=False)
    assert set(read_predictions(tmp_path / "a.csv")) == {"a"}
    assert read_predictions(tmp_path / "b.parquet")["b"]["findings"].tolist() == preds["findings"].tolist()
    both = read_predictions(tmp_path / "c.jsonl")
    assert {k: len(v) for k, v in both.items()} == {"m1": 15, "m2": 15}
    bench = vx.score(refs.head(30), [tmp_path / "a.csv", tmp_path / "b.parquet"], resamples=20)
    assert bench.models == ("a", "b")


@pytest.mark.parametrize("content, message", [
    ('{"id": "test-00000", "findings": "a"}\n{"id": "test-00000", "findings": "b"}\n', r"row 2: duplicate id"),
    ('{"key": "test-00000", "findings": "a"}\n', r"no key column 'id'"),
    ('{"id": "test-00000", "text": "a"}\n', r"no 'findings' or 'impressions' column"),
    ('{"id": "test-00000", "findings": "a"}\nnot json\n', r"line 2: not valid JSON"),
])
def test_bad_prediction_files_name_file_and_row(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message) as err:
        read_predictions(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_the_same_model_twice_is_refused(refs, tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        refs[["id", "findings"]].head(3).to_csv(tmp_path / folder / "m.csv", index=False)
    with pytest.raises(DataError, match="model 'm' appears twice"):
        vx.score(refs.head(3), [tmp_path / "x" / "m.csv", tmp_path / "y" / "m.csv"])


def test_perturbation_is_deterministic_and_records_what_it_planted(refs, planted):
    again = perturb_references(refs, rates={"omission": 0.3, "negation_flip": 0.2, "hallucination": 0.25,
                                            "paraphrase": 0.5}, seed=5)
    assert again.equals(planted)
    other = perturb_references(refs.head(50), seed=6)
    assert not other["findings"].equals(planted["findings"].head(50))
    events = {e.split(":")[0] for p in planted["planted"] for f in p.values() for e in f}
    assert events == {"omission", "negation_flip", "hallucination", "paraphrase"}
    json.dumps(planted["planted"].tolist())  # written as JSON by sample-predictions


def test_zero_rates_reproduce_the_references(refs):
    same = perturb_references(refs.head(40), rates=dict.fromkeys(
        ("omission", "negation_flip", "hallucination", "paraphrase"), 0.0))
    bench = vx.score(refs.head(40), same, resamples=20)
    assert bench.headline("model", "ce_micro_f1")[0] == 1.0
    assert bench.headline("model", "rouge1_syllables")[0] == 1.0
