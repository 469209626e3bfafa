"""Figure functions on small hand-built tidy frames: content, labels, degenerate inputs, the paper registry."""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from vixray_eda.errors import DataError, ParameterError
from vixray_eda.plots.demographics import (plot_age_histogram, plot_age_pyramid, plot_prevalence_by_age,
                                           plot_sex_by_split)
from vixray_eda.plots.figures import PAPER_FIGURES, build_paper_figures, save_paper_figures
from vixray_eda.plots.images import plot_contact_sheet, plot_image_sizes
from vixray_eda.plots.lengths import plot_lengths
from vixray_eda.plots.terms import cooccurrence_matrix, plot_cooccurrence, plot_top_terms
from vixray_eda.plots.wordcloud import make_wordcloud, plot_wordcloud, word_frequencies
from vixray_eda.stats.demographics import age_sex_table, prevalence_by_group, sex_counts

LABELS = {"pleural_effusion": ("tràn dịch màng phổi", "pleural effusion"), "cardiomegaly": ("bóng tim to", "cardiomegaly"),
          "rib_fracture": ("gãy xương sườn", "rib fracture"), "diaphragm": ("vòm hoành", "diaphragm"),
          "heart": ("tim", "heart")}


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def has_no_data(fig: Figure) -> bool:
    return any(t.startswith("No data") for t in texts(fig))


def frame() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 40
    return pd.DataFrame({"id": [f"r{i}" for i in range(n)], "split": ["train"] * 30 + ["val"] * 5 + ["test"] * 5,
                         "age": np.r_[rng.normal(70, 10, n - 3).round(), [np.nan] * 3],
                         "sex": pd.array(["M", "F"] * 19 + [None, "F"], dtype="string")})


def lengths() -> pd.DataFrame:
    rows = [{"id": f"{s}{i}", "split": s, "field": f, "unit": u, "length": 10 + i + (30 if f == "findings" else 0)}
            for s, n in (("train", 6), ("val", 3), ("test", 3)) for i in range(n)
            for f in ("findings", "impressions") for u in ("chars", "syllables", "words")]
    return pd.DataFrame(rows)


def terms() -> pd.DataFrame:
    rows = [("pleural_effusion", "finding", 9, 5, 3, 1), ("cardiomegaly", "finding", 12, 10, 2, 0),
            ("rib_fracture", "finding", 9, 9, 0, 0), ("diaphragm", "anatomy", 8, 8, 0, 0), ("heart", "anatomy", 20, 20, 0, 0)]
    return pd.DataFrame([{"split": "all", "field": "findings", "concept": c, "kind": k, "reports": r, "share": r / 40,
                          "present": p, "absent": a, "uncertain": u} for c, k, r, p, a, u in rows])


def mentions() -> pd.DataFrame:
    rows = [{"doc": d, "concept": c, "kind": "finding", "assertion": "present"}
            for d in range(40) for k, c in enumerate(("pleural_effusion", "cardiomegaly", "rib_fracture"))
            if (d + k) % (k + 2) == 0]
    return pd.DataFrame(rows)


def cooccurrence() -> pd.DataFrame:
    return pd.DataFrame({"concept_a": ["cardiomegaly", "cardiomegaly", "pleural_effusion"],
                         "concept_b": ["pleural_effusion", "rib_fracture", "rib_fracture"],
                         "reports": [5, 2, 1], "share": [0.1, 0.05, 0.02], "lift": [2.0, 0.5, 1.0]})


WORDS = {"tràn dịch màng phổi": 12, "vòm hoành": 9, "bóng tim to": 7, "gãy xương sườn": 4, "không": 3, "phổi": 2}


# --- lengths ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["box", "violin"])
def test_lengths_facets_field_by_unit_with_n_per_split(kind):
    fig = plot_lengths(lengths(), kind=kind)
    assert len(fig.axes) == 4
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["Findings · syllables", "Findings · words", "Impressions · syllables", "Impressions · words"]
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["train\nn=6", "val\nn=3", "test\nn=3"]
    assert fig.axes[0].get_ylabel() == "Length"


def test_lengths_with_an_empty_split_and_no_rows():
    data = lengths()
    data = data[~((data["split"] == "val") & (data["field"] == "impressions"))]
    fig = plot_lengths(data)
    assert [t.get_text() for t in fig.axes[2].get_xticklabels()][1] == "val\nn=0"
    empty = plot_lengths(data.iloc[0:0])
    assert len(empty.axes) == 4 and has_no_data(empty)
    with pytest.raises(DataError):
        plot_lengths(data.drop(columns="unit"))
    with pytest.raises(ParameterError):
        plot_lengths(data, kind="pie")


# --- demographics ----------------------------------------------------------------------------------------------
def test_age_histogram_by_sex_counts_the_rows_left_out():
    fig = plot_age_histogram(frame())
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Age (years)"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Male (n=19)", "Female (n=18)"]
    assert "3 without age or sex" in ax.get_title()
    assert plot_age_histogram(frame(), lang="vi").axes[0].get_xlabel() == "Tuổi (năm)"


def test_age_figures_with_all_ages_missing():
    df = frame().assign(age=np.nan)
    assert has_no_data(plot_age_histogram(df))
    assert has_no_data(plot_age_pyramid(age_sex_table(df)))


def test_age_pyramid_men_left_women_right():
    table = age_sex_table(frame())
    fig = plot_age_pyramid(table, split="train")
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert any(w < 0 for w in widths) and any(w > 0 for w in widths)
    train = table[table["split"] == "train"]
    assert -sum(w for w in widths if w < 0) == train.loc[train["sex"] == "M", "count"].sum()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][0] == "<40"


def test_sex_by_split_shows_shares_and_n():
    fig = plot_sex_by_split(sex_counts(frame()))
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["train (n=30)", "val (n=5)", "test (n=5)", "all (n=40)"]
    assert "50%" in texts(fig)
    assert has_no_data(plot_sex_by_split(sex_counts(frame().iloc[0:0])))


def test_prevalence_by_age_heatmap_and_lines():
    prevalence = prevalence_by_group(frame(), mentions())
    fig = plot_prevalence_by_age(prevalence, labels=LABELS)
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert "tràn dịch màng phổi (pleural effusion)" in rows and len(rows) == 3
    assert all("\nn=" in t.get_text() for t in ax.get_xticklabels())
    assert "missing" not in " ".join(t.get_text() for t in ax.get_xticklabels())
    lines = plot_prevalence_by_age(prevalence, kind="lines", top_n=2, lang="en", labels=LABELS)
    assert len(lines.axes[0].get_lines()) == 2
    no_mentions = prevalence_by_group(frame(), mentions().iloc[0:0])
    assert has_no_data(plot_prevalence_by_age(no_mentions))


# --- terms -----------------------------------------------------------------------------------------------------
def test_top_terms_ranked_stacked_and_labelled_by_language():
    fig = plot_top_terms(terms(), labels=LABELS, top_n=2)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["bóng tim to (cardiomegaly)",  # most reports on top
                                                          "tràn dịch màng phổi (pleural effusion)"]
    assert len(ax.containers) == 3  # present, uncertain, absent
    assert ax.get_xlabel() == "Reports" and ax.get_title(loc="left").startswith("Most frequent findings")
    vi = plot_top_terms(terms(), kind="anatomy", labels=LABELS, lang="vi")
    assert [t.get_text() for t in vi.axes[0].get_yticklabels()] == ["tim", "vòm hoành"]
    assert len(vi.axes[0].containers) == 1  # only present assertions on anatomy
    en = plot_top_terms(terms(), labels=LABELS, lang="en")
    assert "pleural effusion" in [t.get_text() for t in en.axes[0].get_yticklabels()]


def test_top_terms_adds_up_splits_without_all_rows_and_handles_no_mentions():
    per_split = pd.concat([terms().assign(split="train"), terms().assign(split="val")])
    fig = plot_top_terms(per_split, labels=LABELS, top_n=1)
    assert "24" in [t.strip() for t in texts(fig)]  # 12 + 12 cardiomegaly reports
    assert has_no_data(plot_top_terms(terms().iloc[0:0]))
    with pytest.raises(ParameterError):
        plot_top_terms(terms(), lang="fr")


def test_cooccurrence_long_form_is_mirrored_and_annotated():
    square = cooccurrence_matrix(cooccurrence(), "lift")
    assert square.loc["pleural_effusion", "cardiomegaly"] == square.loc["cardiomegaly", "pleural_effusion"] == 2.0
    fig = plot_cooccurrence(cooccurrence(), labels=LABELS)
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    columns = [t.get_text() for t in ax.get_xticklabels()]
    assert rows[0] == "tràn dịch màng phổi (pleural effusion)"  # the first concept has no pair above the diagonal
    assert columns[0] == "bóng tim to" and len(rows) == len(columns) == 2
    cells = [t.get_text() for t in ax.texts]
    assert sorted(cells) == ["0.5", "1.0", "2.0"]  # lower triangle, no diagonal
    counts = plot_cooccurrence(square.fillna(0) * 0 + cooccurrence_matrix(cooccurrence(), "reports").fillna(0),
                               value="reports")
    assert "5" in [t.get_text() for t in counts.axes[0].texts]


def test_cooccurrence_without_pairs():
    empty = cooccurrence().iloc[0:0]
    assert has_no_data(plot_cooccurrence(empty))


# --- word clouds -----------------------------------------------------------------------------------------------
def test_word_frequencies_nfc_merged_and_ordered():
    counts = {unicodedata.normalize("NFD", "vòm hoành"): 2, "vòm  hoành": 3, "tim": 5, "x": 0}
    assert word_frequencies(counts) == {"vòm hoành": 5.0, "tim": 5.0}
    assert list(word_frequencies(counts)) == ["tim", "vòm hoành"]  # ties by term
    frame_counts = pd.DataFrame({"term": ["a b", "c"], "count": [1, 2]})
    assert word_frequencies(frame_counts) == {"c": 2.0, "a b": 1.0}


def test_wordcloud_is_deterministic_and_keeps_multi_syllable_terms():
    first = make_wordcloud(WORDS, width_px=300, height_px=180)
    second = make_wordcloud(WORDS, width_px=300, height_px=180)
    assert np.array_equal(first.to_array(), second.to_array())
    placed = [word for (word, _), *_ in first.layout_]
    assert "tràn dịch màng phổi" in placed and "gãy xương sườn" in placed
    fig = plot_wordcloud(WORDS, title="Findings", width=2.0)
    assert fig.axes[0].get_title() == "Findings" and len(fig.axes[0].images) == 1
    assert has_no_data(plot_wordcloud({}))


# --- images ----------------------------------------------------------------------------------------------------
def test_image_sizes_one_series_per_split_and_degenerate():
    images = pd.DataFrame({"split": ["train", "train", "val", "test"], "width": [100, 100, 120, None],
                           "height": [80, 80, 90, None], "status": ["ok", "ok", "ok", "corrupt"]})
    fig = plot_image_sizes(images)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["train (n=2)", "val (n=1)"]
    assert fig.axes[0].get_xlabel() == "Width (px)"
    assert has_no_data(plot_image_sizes(images.iloc[3:]))


def test_contact_sheet_grid_with_unreadable_tile():
    sheet = pd.DataFrame({"split": ["train", "train", "val"], "id": ["train-00000", "train-00001", "val-00000"],
                          "thumbnail": [np.full((8, 6), 200, np.uint8), None, np.zeros((6, 8), np.uint8)]})
    fig = plot_contact_sheet(sheet, columns=2)
    assert len(fig.axes) == 4
    assert sum(len(ax.images) for ax in fig.axes) == 2
    assert "unreadable" in texts(fig) and "val-00000" in texts(fig)
    assert has_no_data(plot_contact_sheet(sheet.iloc[0:0]))


# --- registry --------------------------------------------------------------------------------------------------
def bundle() -> dict:
    df = frame()
    return {"frame": df, "report_lengths": lengths(), "sex_counts": sex_counts(df), "age_sex": age_sex_table(df),
            "terms": terms(), "cooccurrence": cooccurrence(), "prevalence_age": prevalence_by_group(df, mentions()),
            "words_findings": WORDS, "words_impressions": {"bình thường": 3, "theo dõi lao phổi": 1},
            "labels": LABELS}


def test_paper_registry_builds_every_text_figure_and_skips_missing_images(tmp_path):
    figures = build_paper_figures(bundle())
    assert list(figures) == [s for s in PAPER_FIGURES if s not in ("fig_image_sizes", "fig_contact_sheet")]
    assert all(isinstance(f, Figure) and f.axes for f in figures.values())
    chosen = build_paper_figures(bundle(), stems=["fig_age_sex", "fig_lengths"])
    paths = save_paper_figures(chosen, tmp_path, formats=("png",), dpi=40)
    assert [p.name for p in paths] == ["fig_lengths.png", "fig_age_sex.png"]  # the registry's order


def test_paper_registry_rejects_missing_results_and_unknown_keys():
    partial = {k: v for k, v in bundle().items() if k != "terms"}
    with pytest.raises(ParameterError, match="fig_terms_findings"):
        build_paper_figures(partial)
    with pytest.raises(ParameterError, match="unknown key"):
        build_paper_figures({**bundle(), "term": None})
    with pytest.raises(ParameterError, match="unknown figure"):
        build_paper_figures(bundle(), stems=["fig_nope"])
