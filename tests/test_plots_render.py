"""Figure bytes rendered on two cores and cached by input digest: the same bytes either way, and a bad entry is a miss."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image
from test_plots_figures import bundle

from vixray_eda.plots.figures import as_results
from vixray_eda.plots.render import RASTER_DPI, figure_key, render_figure, render_figures, scaled_png

STEMS = ["fig_lengths", "fig_age_sex", "fig_wordcloud_impressions"]
OUTPUTS = [("png", 40), ("svg", 40)]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path))
    return tmp_path / "figures"


def test_two_worker_processes_give_the_bytes_of_one_in_process_draw():
    results = as_results(bundle())
    serial = render_figures(results, STEMS, OUTPUTS, workers=1, cache=False)
    parallel = render_figures(results, STEMS, OUTPUTS, workers=2, cache=False)
    assert parallel == serial
    assert list(serial) == STEMS and all(list(files) == OUTPUTS for files in serial.values())
    assert serial["fig_lengths"][("png", 40)] == render_figure(results, "fig_lengths", [("png", 40)])[0]
    assert serial["fig_lengths"][("png", 40)].startswith(b"\x89PNG")


def test_cached_bytes_are_data_with_a_digest_and_a_bad_entry_is_a_miss(cache, request):
    results = as_results(bundle())
    first = render_figures(results, STEMS, OUTPUTS, workers=1)
    entries = sorted(cache.iterdir())
    assert len(entries) == len(STEMS) * len(OUTPUTS)
    head, _, payload = entries[0].read_bytes().partition(b"\n")
    assert len(head) == 32 and int(head, 16) >= 0 and payload in [b for f in first.values() for b in f.values()]

    drawn = request.getfixturevalue("drawn_figures")  # counted only after the first, uncached run
    assert render_figures(results, STEMS, OUTPUTS, workers=1) == first and drawn == []
    key = figure_key(results, "fig_age_sex")
    tampered = cache / f"{key}-40.svg"
    tampered.write_bytes(tampered.read_bytes().replace(b"<svg", b"<SVG", 1))
    (cache / f"{key}-40.png").write_bytes(b"not an entry")
    assert render_figures(results, STEMS, OUTPUTS, workers=1) == first
    assert drawn == ["fig_age_sex"]  # drawn once, for both of its bad entries


def test_the_key_follows_the_figure_inputs_only():
    base = bundle()
    key = figure_key(as_results(base), "fig_wordcloud_impressions")
    assert figure_key(as_results(bundle()), "fig_wordcloud_impressions") == key
    assert figure_key(as_results({**base, "words_impressions": {"bình thường": 4}}), "fig_wordcloud_impressions") != key
    assert figure_key(as_results({**base, "top_n": 5}), "fig_wordcloud_impressions") != key
    assert figure_key(as_results({**base, "words_findings": {"x": 1}}), "fig_age_sex") == figure_key(
        as_results(base), "fig_age_sex")
    assert figure_key(as_results(base), "fig_age_sex") != figure_key(as_results(base), "fig_lengths")


def test_the_key_digests_frames_of_arrays_such_as_the_contact_sheet():
    sheet = pd.DataFrame({"split": ["train"], "pixels": [np.zeros((4, 4), dtype=np.uint8)]})
    brighter = sheet.assign(pixels=[np.ones((4, 4), dtype=np.uint8)])
    key = figure_key(as_results({**bundle(), "contact_sheet": sheet}), "fig_contact_sheet")
    assert key == figure_key(as_results({**bundle(), "contact_sheet": sheet.copy()}), "fig_contact_sheet")
    assert key != figure_key(as_results({**bundle(), "contact_sheet": brighter}), "fig_contact_sheet")


def test_a_small_png_is_the_raster_scaled_down_and_costs_no_draw_of_its_own(monkeypatch):
    results = as_results(bundle())
    alone = render_figure(results, "fig_age_sex", [("png", 110)])[0]
    saves = []
    original = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **kw: saves.append(kw["dpi"]) or original(self, *a, **kw))
    small, raster = render_figure(results, "fig_age_sex", [("png", 110), ("png", RASTER_DPI)])
    assert saves == [RASTER_DPI] and small == alone  # its bytes do not depend on the other outputs
    assert small == scaled_png(raster, RASTER_DPI, 110)
    with Image.open(io.BytesIO(small)) as scaled, Image.open(io.BytesIO(raster)) as full:
        assert scaled.size == tuple(int(v / RASTER_DPI * 110) for v in full.size)
        assert round(scaled.info["dpi"][0]) == 110 and scaled.mode == full.mode == "RGBA"
        assert set(scaled.info) == {"dpi"}  # no software or date records
