"""The paper style: sizes, fonts, colours and the small helpers every figure function shares.

`paper_style()` is a context manager over `matplotlib.rc_context`: it never changes the caller's rcParams.
Every figure function builds its figure inside it and freezes the tick style, so a figure looks the same in a
notebook, in the CLI and in the saved files. Fonts are matplotlib's bundled DejaVu Sans (every Vietnamese
diacritic, identical on every machine); PDF/PS embed TrueType (Type 42); SVG keeps text as text.
"""
from __future__ import annotations

import contextlib
import textwrap
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import matplotlib
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from vixray_eda.errors import ParameterError
from vixray_eda.labels import has_label, label

__all__ = [
    "WIDTHS", "OKABE_ITO", "SPLIT_COLORS", "ASSERTION_COLORS", "ASSERTIONS", "SEX_COLORS", "PAPER_RC",
    "FONT_FAMILY", "bundled_font_path", "paper_style", "figure_width", "new_figure", "freeze_style", "no_data",
    "split_color", "text", "check_lang", "nfc", "concept_labels", "concept_label",
]

Width = Literal["single", "double"] | float
Lang = Literal["both", "vi", "en"]

#: Figure widths in inches: one journal column and the full text width.
WIDTHS: dict[str, float] = {"single": 3.5, "double": 7.2}
#: Okabe & Ito (2008), the colour-blind-safe palette.
OKABE_ITO: dict[str, str] = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
GREY = "#999999"
#: Fixed split colours (other split names cycle through the remaining palette colours).
SPLIT_COLORS: dict[str, str] = {"train": OKABE_ITO["blue"], "val": OKABE_ITO["orange"],
                                "test": OKABE_ITO["bluish_green"], "all": "#555555"}
ASSERTIONS: tuple[str, ...] = ("present", "uncertain", "absent")
#: Fixed assertion colours: strong for present, middle for uncertain, light for absent.
ASSERTION_COLORS: dict[str, str] = {"present": OKABE_ITO["vermillion"], "uncertain": OKABE_ITO["orange"],
                                    "absent": OKABE_ITO["sky_blue"]}
SEX_COLORS: dict[str, str] = {"M": OKABE_ITO["blue"], "F": OKABE_ITO["reddish_purple"], "missing": GREY}
_EXTRA_COLORS = [OKABE_ITO[k] for k in ("reddish_purple", "vermillion", "sky_blue", "yellow", "black")]
FONT_FAMILY = "DejaVu Sans"
BASE_PT = 8.0
TITLE_PT = 9.0

PAPER_RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY],
    "font.size": BASE_PT,
    "axes.titlesize": TITLE_PT,
    "axes.titleweight": "normal",
    "axes.labelsize": BASE_PT,
    "xtick.labelsize": BASE_PT,
    "ytick.labelsize": BASE_PT,
    "legend.fontsize": BASE_PT,
    "legend.title_fontsize": BASE_PT,
    "legend.frameon": False,
    "figure.titlesize": TITLE_PT,
    "axes.unicode_minus": True,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=[OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion",
                                                            "reddish_purple", "sky_blue", "yellow", "black")]),
    "axes.grid": False,
    "grid.linewidth": 0.4,
    "grid.color": "#DDDDDD",
    "lines.linewidth": 1.2,
    "lines.markersize": 4,
    "patch.linewidth": 0.5,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3,
    "ytick.major.size": 3,
    "image.cmap": "viridis",
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "figure.constrained_layout.use": True,
    "savefig.dpi": 300,
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "savefig.bbox": None,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "svg.hashsalt": "vixray-eda",
    "svg.image_inline": True,
}


def bundled_font_path() -> Path:
    """Path of matplotlib's own DejaVuSans.ttf (never a system copy)."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@contextlib.contextmanager
def paper_style(**overrides: Any) -> Iterator[None]:
    """Apply the paper rcParams (plus `overrides`) inside the block; the caller's rcParams come back after it."""
    with matplotlib.rc_context({**PAPER_RC, **overrides}):
        yield


def figure_width(width: Width) -> float:
    """Inches for ``"single"`` (3.5), ``"double"`` (7.2) or a positive number of inches."""
    if isinstance(width, str):
        if width not in WIDTHS:
            raise ParameterError(f"width must be 'single', 'double' or inches, not {width!r}")
        return WIDTHS[width]
    if not isinstance(width, (int, float)) or width <= 0:
        raise ParameterError(f"width must be 'single', 'double' or positive inches, not {width!r}")
    return float(width)


def new_figure(width: Width = "single", height: float | None = None) -> Figure:
    """A Figure outside pyplot's registry (nothing to close, no duplicate display), paper-sized.

    Call it inside `paper_style()`; the default height is 0.7 × the single-column width.
    """
    inches = figure_width(width)
    return Figure(figsize=(inches, height if height is not None else 0.7 * WIDTHS["single"]))


def freeze_style(fig: Figure) -> Figure:
    """Fix a finished figure in the current (paper) style: the tick style is pinned on every axes (ticks made later,
    outside the style, match) and the constrained layout is computed once and then switched off, so every later draw
    (notebook display, each saved format, a second save) uses the same geometry."""
    rc = matplotlib.rcParams
    for ax in fig.axes:
        for axis in ("x", "y"):
            ax.tick_params(axis=axis, which="major", labelsize=rc[f"{axis}tick.labelsize"],
                           labelfontfamily=rc["font.sans-serif"][0])
    fig.draw_without_rendering()
    if _upright_crowded_ticks(fig) | _hide_crowded_annotations(fig):
        fig.draw_without_rendering()
    fig.draw_without_rendering()  # a second pass: the layout depends on tick labels the first pass placed
    fig.set_layout_engine("none")
    return fig


def _hide_crowded_annotations(fig: Figure) -> bool:
    """Hide the value labels of a heatmap whose cells are too small for them at the figure's width (two labels
    would overlap); the colour scale still gives every value. All or none, so the figure stays consistent."""
    hidden = False
    for ax in fig.axes:
        if not ax.images:
            continue
        labels = [t for t in ax.texts if t.get_visible() and t.get_text()]
        boxes = [t.get_window_extent() for t in labels]
        if any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:]):
            for t in labels:
                t.set_visible(False)
            hidden = True
    return hidden


def _upright_crowded_ticks(fig: Figure) -> bool:
    """Turn an axis' x tick labels upright (90°) where two neighbours overlap at the figure's width; True if any."""
    turned = False
    for ax in fig.axes:
        labels = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
        boxes = sorted((t.get_window_extent() for t in labels), key=lambda b: b.x0)
        if any(a.x1 > b.x0 for a, b in zip(boxes, boxes[1:])):
            for t in labels:
                t.set(rotation=90, ha="center", va="top" if ax.xaxis.get_ticks_position() != "top" else "bottom")
            turned = True
    return turned


def no_data(ax: Axes, message: str) -> None:
    """Replace an axes' content by a centred note (an empty split, no mentions, all ages missing, ...)."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", wrap=True,
            color="#555555", fontsize=BASE_PT)


def split_color(split: str, order: list[str] | None = None) -> str:
    """The fixed colour of a split; other names get the remaining palette colours by their position in `order`."""
    if split in SPLIT_COLORS:
        return SPLIT_COLORS[split]
    others = [s for s in (order or [split]) if s not in SPLIT_COLORS]
    index = others.index(split) if split in others else 0
    return _EXTRA_COLORS[index % len(_EXTRA_COLORS)]


def nfc(value: Any) -> str:
    """A label as NFC text."""
    return unicodedata.normalize("NFC", str(value))


def check_lang(lang: str) -> str:
    if lang not in ("both", "vi", "en"):
        raise ParameterError(f"lang must be 'both', 'vi' or 'en', not {lang!r}")
    return lang


def text(key: str, lang: str = "en") -> str:
    """A fixed label (``figure.<key>`` in labels.csv) in the figure language (English for ``"en"`` and ``"both"``,
    Vietnamese for ``"vi"``); the key itself when it has no label."""
    lang = check_lang(lang)
    name = f"figure.{key}"
    return label(name, "vi" if lang == "vi" else "en") if has_label(name) else key


def concept_labels(source: Any) -> dict[str, tuple[str, str]]:
    """concept → (Vietnamese term, English gloss) from a `Lexicon` (its ``concepts``), a frame with concept,
    vi_canonical, en_label, a mapping concept → (vi, en) or concept → {"vi_canonical", "en_label"}, or None."""
    if source is None:
        return {}
    if isinstance(getattr(source, "concepts", None), pd.DataFrame):
        source = source.concepts
    if isinstance(source, pd.DataFrame):
        if not {"concept", "vi_canonical", "en_label"} <= set(source.columns):
            return {}
        rows = source.drop_duplicates("concept")
        return {str(c): (nfc(v), str(e)) for c, v, e in zip(rows["concept"], rows["vi_canonical"], rows["en_label"])}
    out: dict[str, tuple[str, str]] = {}
    for concept, value in source.items():
        if isinstance(value, Mapping):
            out[str(concept)] = (nfc(value.get("vi_canonical", concept)), str(value.get("en_label", concept)))
        else:
            vi, en = value
            out[str(concept)] = (nfc(vi), str(en))
    return out


#: Characters per line of a concept label in a single-column figure.
NARROW_LABEL_CHARS = 20


def label_rows_height(labels: list[str], line: float = 0.13, pad: float = 0.07) -> float:
    """Inches a row needs for the tallest of `labels` (one text line is `line` inches)."""
    return pad + line * max((label.count("\n") + 1 for label in labels), default=1)


def is_narrow(width: Width) -> bool:
    """True for a single-column figure (or narrower): long labels there are set on two lines."""
    return figure_width(width) <= WIDTHS["single"]


def concept_label(concept: str, labels: Mapping[str, tuple[str, str]], lang: str = "both",
                  narrow: bool = False) -> str:
    """"Vietnamese term (English gloss)", the Vietnamese term or the English gloss; the id when unknown.
    `narrow` sets the gloss on a second line (a single-column figure has no room for both on one)."""
    vi, en = labels.get(concept, (None, None))
    fallback = str(concept).replace("_", " ")
    lang = check_lang(lang)
    if lang == "vi":
        return vi or fallback
    if lang == "en":
        return en or fallback
    if narrow:  # a single column has no room for long lines: the term and its gloss wrapped, each from a new line
        parts = [vi, f"({en})"] if vi and en else [vi or en or fallback]
        return "\n".join(line for part in parts for line in textwrap.wrap(part, NARROW_LABEL_CHARS))
    if vi and en:
        return f"{vi} ({en})"
    return vi or en or fallback
