"""Paper style and figure files: rcParams restored, bundled font, Type 42 PDF, text in SVG, byte-identical saves."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from vixray_eda.errors import ParameterError
from vixray_eda.plots.save import save_figure
from vixray_eda.plots.style import (PAPER_RC, bundled_font_path, concept_label, concept_labels, new_figure,
                                    paper_style)
from vixray_eda.plots.terms import plot_top_terms
from vixray_eda.plots.wordcloud import plot_wordcloud

EFFUSION = "tràn dịch màng phổi"
DIAPHRAGM = "vòm hoành"


def _terms() -> pd.DataFrame:
    rows = [("pleural_effusion", "finding", 9, 5, 3, 1), ("cardiomegaly", "finding", 7, 6, 1, 0),
            ("diaphragm", "anatomy", 8, 8, 0, 0)]
    return pd.DataFrame([{"split": "all", "field": "findings", "concept": c, "kind": k, "reports": r, "share": 0.1,
                          "present": p, "absent": a, "uncertain": u} for c, k, r, p, a, u in rows])


def _nfd_labels() -> dict[str, tuple[str, str]]:
    """Labels given in NFD on purpose: figures must show them NFC."""
    return {"pleural_effusion": (unicodedata.normalize("NFD", EFFUSION), "pleural effusion"),
            "cardiomegaly": (unicodedata.normalize("NFD", "bóng tim to"), "cardiomegaly"),
            "diaphragm": (unicodedata.normalize("NFD", DIAPHRAGM), "diaphragm")}


@pytest.fixture(scope="module")
def terms_figure() -> Figure:
    return plot_top_terms(_terms(), labels=_nfd_labels(), width=3.5)


def test_paper_style_restores_rcparams_and_sets_paper_values():
    before = dict(matplotlib.rcParams)
    with matplotlib.rc_context({"font.size": 13.0, "pdf.fonttype": 3}):
        with paper_style():
            assert matplotlib.rcParams["pdf.fonttype"] == 42
            assert matplotlib.rcParams["ps.fonttype"] == 42
            assert matplotlib.rcParams["svg.fonttype"] == "none"
            assert matplotlib.rcParams["font.size"] == 8
        assert matplotlib.rcParams["font.size"] == 13.0
        assert matplotlib.rcParams["pdf.fonttype"] == 3
    assert dict(matplotlib.rcParams) == before


def test_paper_font_is_matplotlibs_bundled_dejavu_sans():
    path = bundled_font_path()
    assert path.is_file() and Path(matplotlib.get_data_path()) in path.parents
    with paper_style():
        found = font_manager.findfont(font_manager.FontProperties(family=PAPER_RC["font.sans-serif"]),
                                      fallback_to_default=False)
    assert Path(found).resolve() == path.resolve()


def test_figures_are_outside_pyplots_registry(terms_figure):
    import matplotlib.pyplot as plt
    assert terms_figure not in [plt.figure(n) for n in plt.get_fignums()]
    assert plt.get_fignums() == []


def test_tick_style_is_frozen_for_draws_outside_the_style(terms_figure):
    with matplotlib.rc_context({"ytick.labelsize": 20, "xtick.labelsize": 20}):
        terms_figure.canvas.draw()
        ax = terms_figure.axes[0]
        assert {t.get_fontsize() for t in ax.get_yticklabels() + ax.get_xticklabels()} == {8.0}


def test_concept_labels_by_language_and_nfc():
    labels = concept_labels(_nfd_labels())
    assert concept_label("pleural_effusion", labels, "both") == f"{EFFUSION} (pleural effusion)"
    assert concept_label("pleural_effusion", labels, "vi") == EFFUSION
    assert concept_label("pleural_effusion", labels, "en") == "pleural effusion"
    assert concept_label("rib_fracture", labels, "en") == "rib fracture"
    with pytest.raises(ParameterError):
        concept_label("x", labels, "fr")


def test_saves_are_byte_identical_for_all_formats(tmp_path, terms_figure):
    cloud = plot_wordcloud({EFFUSION: 5, DIAPHRAGM: 3, "bóng tim to": 2}, width=2.0)
    for name, fig in (("terms", terms_figure), ("cloud", cloud)):
        first = save_figure(fig, tmp_path / "a" / name, dpi=72)
        second = save_figure(fig, tmp_path / "b" / name, dpi=72)
        assert [p.suffix for p in first] == [".pdf", ".svg", ".png"]
        for p, q in zip(first, second):
            assert p.read_bytes() == q.read_bytes(), p.name


def test_pdf_embeds_truetype_and_no_dates(tmp_path, terms_figure):
    (pdf,) = save_figure(terms_figure, tmp_path / "fig", formats=("pdf",), dpi=72)
    data = pdf.read_bytes()
    assert b"/FontFile2" in data and b"DejaVuSans" in data
    assert b"/Type3" not in data
    assert b"/CreationDate" not in data and b"/Producer" not in data and b"Matplotlib" not in data


def test_svg_keeps_vietnamese_text_as_nfc_text(tmp_path, terms_figure):
    (svg,) = save_figure(terms_figure, tmp_path / "fig", formats=("svg",), dpi=72)
    content = svg.read_text(encoding="utf-8")
    assert EFFUSION in content and "(pleural effusion)" in content  # a single column sets the gloss on its own line
    assert unicodedata.normalize("NFD", EFFUSION) not in content
    assert "<dc:date>" not in content and "Matplotlib v" not in content
    anatomy = plot_top_terms(_terms(), kind="anatomy", labels=_nfd_labels(), lang="vi", width=3.5)
    (svg2,) = save_figure(anatomy, tmp_path / "anatomy", formats=("svg",), dpi=72)
    assert DIAPHRAGM in svg2.read_text(encoding="utf-8")


def test_png_has_no_software_chunk(tmp_path, terms_figure):
    (png,) = save_figure(terms_figure, tmp_path / "fig", formats=("png",), dpi=72)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG") and b"Software" not in data and b"matplotlib" not in data.lower()


def test_save_creates_parents_keeps_dotted_stems_and_leaves_no_temp_files(tmp_path):
    with paper_style():
        fig = new_figure(1.5, 1.0)
        fig.subplots().plot([0, 1], [1, 0])
    paths = save_figure(fig, tmp_path / "deep" / "er" / "fig.v2", formats=("png", "svg"), dpi=72)
    assert [p.name for p in paths] == ["fig.v2.png", "fig.v2.svg"]
    assert sorted(p.name for p in (tmp_path / "deep" / "er").iterdir()) == ["fig.v2.png", "fig.v2.svg"]


@pytest.mark.parametrize("kwargs", [{"formats": ("jpg",)}, {"formats": ()}, {"dpi": 0}])
def test_save_rejects_bad_parameters(tmp_path, kwargs):
    with paper_style():
        fig = new_figure(1.0, 1.0)
    with pytest.raises(ParameterError):
        save_figure(fig, tmp_path / "fig", **kwargs)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("given, expected", [
    ("png", ("png",)), ("pdf,svg", ("pdf", "svg")), ('["png"]', ("png",)), ("[PDF, png]", ("pdf", "png")),
    (["svg"], ("svg",)),
])
def test_formats_given_as_text_are_split(given, expected):
    from vixray_eda.plots.save import as_formats

    assert as_formats(given) == expected
