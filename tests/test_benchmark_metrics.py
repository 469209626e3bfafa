"""Benchmark metrics against hand-computed examples: ROUGE/BLEU, clinical labels and events, paired bootstrap."""
from __future__ import annotations

import importlib.util
import math

import numpy as np
import pandas as pd
import pytest

from vixray_eda.benchmark import bootstrap, clinical, text_metrics
from vixray_eda.errors import ParameterError


# -- text metrics ---------------------------------------------------------------------------------------------
def test_rouge_matches_a_hand_computed_example():
    # reference a b c d, prediction a b d: unigrams P 3/3, R 3/4 -> F 6/7; bigrams {ab, bc, cd} vs {ab, bd}: P 1/2,
    # R 1/3 -> F 0.4; LCS a b d = 3 -> F 6/7. An empty prediction scores 0.
    scores = text_metrics.rouge_scores([["a", "b", "c", "d"], ["x"]], [["a", "b", "d"], []])
    assert scores.loc[0, "rouge1"] == pytest.approx(6 / 7)
    assert scores.loc[0, "rouge2"] == pytest.approx(0.4)
    assert scores.loc[0, "rougeL"] == pytest.approx(6 / 7)
    assert scores.loc[1].tolist() == [0.0, 0.0, 0.0]


def test_rouge_keeps_vietnamese_tokens_whole():
    # the default rouge-score tokenizer would drop every non-ASCII letter; ours compares the syllables themselves
    scores = text_metrics.rouge_scores([["tràn", "dịch"]], [["tràn", "khí"]])
    assert scores.loc[0, "rouge1"] == pytest.approx(0.5)


def test_bleu_matches_a_hand_computed_example():
    # hypothesis a b d (3 tokens) against a b c d e f (6): unigram precision 1, brevity penalty exp(1 - 6/3)
    bleu = text_metrics.bleu_scores([["a", "b", "c", "d", "e", "f"]], [["a", "b", "d"]])
    assert bleu["bleu1"] == pytest.approx(math.exp(-1), abs=1e-6)
    assert text_metrics.bleu_scores([["a", "b", "c", "d"]], [["a", "b", "c", "d"]]) == {
        "bleu1": 1.0, "bleu2": 1.0, "bleu3": 1.0, "bleu4": 1.0}


def test_rouge_never_needs_nltk_data(monkeypatch):
    nltk = pytest.importorskip("nltk")

    def refuse(*args, **kwargs):
        raise AssertionError("nltk data was requested")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "find", refuse)
    monkeypatch.setattr(nltk.data, "load", refuse)
    assert text_metrics.rouge_scores([["tim", "to"]], [["tim", "to"]]).loc[0, "rouge1"] == 1.0


def test_missing_extra_is_one_clear_line(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "sacrebleu" else real(name, *a))
    with pytest.raises(ParameterError) as err:
        text_metrics.rouge_scores([["a"]], [["a"]])
    message = str(err.value)
    assert "\n" not in message and "sacrebleu" in message and "vixray-eda[benchmark]" in message


# -- clinical labels and events -------------------------------------------------------------------------------
def _mentions(rows):
    return pd.DataFrame(rows, columns=["doc", "sentence", "concept", "kind", "assertion"])


def _states(rows):
    return pd.DataFrame(rows, columns=["doc", "concept", "state"])


def test_finding_states_prefer_present_then_uncertain():
    states = clinical.finding_states(_mentions([
        (0, 0, "nodule", "finding", "absent"), (0, 1, "nodule", "finding", "present"),
        (0, 0, "mass", "finding", "absent"), (0, 1, "mass", "finding", "uncertain"),
        (1, 0, "pneumothorax", "finding", "absent"), (1, 0, "lung", "anatomy", "present"),
    ]))
    assert list(states.itertuples(index=False, name=None)) == [
        (0, "mass", "uncertain"), (0, "nodule", "present"), (1, "pneumothorax", "absent")]


REFERENCE = _states([(0, "cardiomegaly", "present"), (0, "pleural_effusion", "absent"), (0, "nodule", "present"),
                     (1, "mass", "uncertain"), (1, "pneumothorax", "present")])
PREDICTION = _states([(0, "cardiomegaly", "present"), (0, "pleural_effusion", "present"), (0, "fibrosis", "present"),
                      (1, "mass", "present"), (1, "pneumothorax", "uncertain")])


def _pair(pairs, doc, concept):
    return pairs[(pairs["doc"] == doc) & (pairs["concept"] == concept)].iloc[0]


def test_events_by_hand():
    pairs = clinical.compare(REFERENCE, PREDICTION, "positive")
    # cardiomegaly: both present; effusion: absent -> present is a flip only; nodule: omitted; fibrosis: hallucinated
    assert _pair(pairs, 0, "pleural_effusion")[["negation_flip", "hallucination", "omission"]].tolist() == [
        True, False, False]
    assert _pair(pairs, 0, "nodule")["omission"] and _pair(pairs, 0, "fibrosis")["hallucination"]
    assert int(pairs["hallucination"].sum()) == 1 and int(pairs["omission"].sum()) == 1
    assert int(pairs["negation_flip"].sum()) == 1
    # uncertain vs present is none of the events
    assert not _pair(pairs, 1, "mass")[list(clinical.EVENTS)].any()


@pytest.mark.parametrize("policy, counts", [
    # tp: cardiomegaly + (mass, pneumothorax when uncertain is positive); fp: effusion, fibrosis; fn: nodule
    ("positive", (3, 2, 1)),
    # uncertain negative: mass ref negative / pred positive -> fp; pneumothorax ref positive / pred negative -> fn
    ("negative", (1, 3, 2)),
    # excluded: the mass and pneumothorax pairs leave the counts
    ("exclude", (1, 2, 1)),
])
def test_uncertain_policy_by_hand(policy, counts):
    pairs = clinical.compare(REFERENCE, PREDICTION, policy)
    assert tuple(int(pairs[c].sum()) for c in ("tp", "fp", "fn")) == counts
    assert int(pairs["excluded"].sum()) == (2 if policy == "exclude" else 0)
    assert int(pairs["negation_flip"].sum()) == 1  # events do not depend on the policy


def test_unknown_policy_is_refused():
    with pytest.raises(ParameterError, match="uncertain must be one of"):
        clinical.compare(REFERENCE, PREDICTION, "maybe")


def test_anatomy_mismatch_by_hand():
    ref = _mentions([(0, 0, "nodule", "finding", "present"), (0, 0, "lung", "anatomy", "present"),
                     (1, 0, "rib_fracture", "finding", "present"), (1, 0, "rib", "anatomy", "present")])
    pred = _mentions([(0, 0, "nodule", "finding", "present"), (0, 0, "clavicle", "anatomy", "present"),
                      (1, 0, "rib_fracture", "finding", "present"), (1, 0, "rib", "anatomy", "present")])
    pairs = clinical.compare(clinical.finding_states(ref), clinical.finding_states(pred), "positive",
                             clinical.finding_anatomy(ref), clinical.finding_anatomy(pred))
    assert pairs.set_index("concept")["anatomy_mismatch"].to_dict() == {"nodule": True, "rib_fracture": False}


def test_f1_and_concept_table_by_hand():
    assert clinical.f1(3, 2, 1).item() == pytest.approx(6 / 9)
    assert np.isnan(clinical.f1(0, 0, 0))
    table = clinical.concept_table(clinical.compare(REFERENCE, PREDICTION, "positive")).set_index("concept")
    assert table.loc["cardiomegaly", ["support", "f1"]].tolist() == [1, 1.0]
    assert table.loc["pleural_effusion", "f1"] == 0.0 and table.loc["pleural_effusion", "negation_flip"] == 1


# -- paired bootstrap -----------------------------------------------------------------------------------------
def _scores(policy="positive"):
    pairs = clinical.compare(REFERENCE, PREDICTION, policy)
    return clinical.ClinicalScores.from_pairs(pairs, 2, sorted(set(pairs["concept"])))


def test_point_statistics_by_hand():
    stats = bootstrap.statistics(np.ones((1, 2)), {"rouge1_syllables": np.array([0.5, 1.0])}, _scores())
    assert stats["rouge1_syllables"][0] == pytest.approx(0.75)
    assert stats["ce_micro_f1"][0] == pytest.approx(6 / 9)  # tp 3, fp 2, fn 1
    # per concept: cardiomegaly 1, effusion 0, fibrosis 0, mass 1, nodule 0, pneumothorax 1 -> mean 0.5
    assert stats["ce_macro_f1"][0] == pytest.approx(0.5)
    # report 0 has a hallucination, an omission and a flip; report 1 none
    for rate in ("hallucination_rate", "omission_rate", "negation_flip_rate"):
        assert stats[rate][0] == pytest.approx(0.5)
    assert stats["anatomy_mismatch_rate"][0] == 0.0


def test_resample_weights_are_seeded_draws_with_replacement():
    w = bootstrap.resample_weights(7, 50, seed=3)
    assert w.shape == (50, 7) and (w.sum(axis=1) == 7).all()
    assert np.array_equal(w, bootstrap.resample_weights(7, 50, seed=3))
    assert not np.array_equal(w, bootstrap.resample_weights(7, 50, seed=4))


def test_weights_equal_to_repeating_reports():
    # weight 2 on report 0 is the same as scoring report 0 twice
    scores = _scores()
    weighted = bootstrap.statistics(np.array([[2.0, 1.0]]), {"m": np.array([0.2, 0.8])}, scores)
    assert weighted["m"][0] == pytest.approx((0.2 * 2 + 0.8) / 3)
    assert weighted["hallucination_rate"][0] == pytest.approx(2 / 3)


def test_interval_is_the_percentile_interval():
    values = np.arange(1001, dtype=float)
    assert bootstrap.interval(values) == pytest.approx((25.0, 975.0))
    assert all(math.isnan(v) for v in bootstrap.interval(np.array([np.nan])))
