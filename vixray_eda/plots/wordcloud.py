"""Word clouds drawn from the package's own term counts (never from wordcloud's English tokenizer).

Multi-syllable Vietnamese terms ("tràn dịch màng phổi") stay whole: the cloud is built with
`WordCloud.generate_from_frequencies`. Deterministic: NFC terms sorted by count then term, a fixed
`random_state`, colours from a hash of the term, and matplotlib's bundled DejaVu Sans.
"""
from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from wordcloud import WordCloud

from vixray_eda.errors import DataError, ParameterError
from vixray_eda.plots.style import (OKABE_ITO, Width, bundled_font_path, check_lang, figure_width, freeze_style,
                                    new_figure, nfc, no_data, paper_style, text)

__all__ = ["word_frequencies", "make_wordcloud", "plot_wordcloud"]

_TERM_COLUMNS = ("term", "ngram", "word", "surface", "vi_canonical", "concept")
_COUNT_COLUMNS = ("count", "reports", "n", "frequency", "mentions")
#: Word colours: the Okabe–Ito colours that read well on white.
_WORD_COLORS = [OKABE_ITO[k] for k in ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "black")]


def word_frequencies(counts: Mapping[str, float] | pd.Series | pd.DataFrame, max_words: int | None = None
                     ) -> dict[str, float]:
    """term → count from a mapping, a Series (index = term) or a frame with a term and a count column.

    Terms are NFC with single spaces; equal terms after that are added up; counts ≤ 0 or missing are dropped.
    The result is ordered by count (descending), then term, and cut to `max_words`.
    """
    if isinstance(counts, pd.DataFrame):
        term = next((c for c in _TERM_COLUMNS if c in counts.columns), None)
        count = next((c for c in _COUNT_COLUMNS if c in counts.columns), None)
        if term is None or count is None:
            raise DataError(f"word_frequencies: need a term column ({'/'.join(_TERM_COLUMNS)}) and a count column "
                            f"({'/'.join(_COUNT_COLUMNS)})")
        pairs = zip(counts[term], counts[count])
    else:
        pairs = (counts.items() if isinstance(counts, (Mapping, pd.Series)) else counts)
    merged: dict[str, float] = {}
    for term, value in pairs:
        if pd.isna(value) or float(value) <= 0 or pd.isna(term):
            continue
        key = " ".join(nfc(term).split())
        if key:
            merged[key] = merged.get(key, 0.0) + float(value)
    ordered = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ordered[:max_words] if max_words else ordered)


def _color(word: str, **_: Any) -> str:
    return _WORD_COLORS[zlib.crc32(word.encode("utf-8")) % len(_WORD_COLORS)]


def make_wordcloud(counts: Mapping[str, float] | pd.Series | pd.DataFrame, *, max_words: int = 80,
                   width_px: int = 700, height_px: int = 400, scale: float = 2, random_state: int = 0) -> WordCloud:
    """A laid-out `WordCloud` of `counts` (see `word_frequencies`); ``layout_`` lists the placed terms.

    Layout is computed at `width_px` × `height_px` and rendered at `scale` times that size.
    """
    frequencies = word_frequencies(counts, max_words)
    if not frequencies:
        raise DataError("make_wordcloud: no terms with a positive count")
    if width_px < 50 or height_px < 50:
        raise ParameterError(f"make_wordcloud: the canvas must be at least 50 × 50 px, not {width_px} × {height_px}")
    cloud = WordCloud(font_path=str(bundled_font_path()), width=int(width_px), height=int(height_px), scale=scale,
                      max_words=max_words, background_color="white", mode="RGB", prefer_horizontal=1.0,
                      random_state=random_state, color_func=_color, margin=2, min_font_size=4)
    return cloud.generate_from_frequencies(frequencies)


def plot_wordcloud(counts: Mapping[str, float] | pd.Series | pd.DataFrame, *, title: str | None = None,
                   max_words: int = 80, width: Width = "single", height: float | None = None,
                   random_state: int = 0, lang: str = "en") -> Figure:
    """A word cloud of our term counts, rendered into a Figure (imshow, axes hidden), with an optional title.

    Term sizes follow the counts; same counts and `random_state` give the same picture. Without terms the figure
    says "No data".
    """
    check_lang(lang)
    inches = figure_width(width)
    height = height if height is not None else 0.6 * inches
    frequencies = word_frequencies(counts, max_words)
    with paper_style():
        fig = new_figure(width, height)
        ax = fig.subplots()
        if title:
            ax.set_title(title)
        if not frequencies:
            no_data(ax, text("no_data", lang))
            return freeze_style(fig)
        cloud = make_wordcloud(frequencies, max_words=max_words, width_px=max(int(inches * 150), 50),
                               height_px=max(int(height * 150), 50), scale=2, random_state=random_state)
        ax.imshow(cloud.to_array(), interpolation="bilinear")
        ax.set_axis_off()
        return freeze_style(fig)
