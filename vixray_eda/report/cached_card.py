"""The dataset card of one frame, replayed from the cache when the same frame, parameters and code made it before.

`CachedCard` is what the card notebook builds. A card is deterministic, so it is a pure function of its inputs: on a
miss the results are computed (`compute_results`) and the card rendered as `Card` does; once `write_outputs` has
written the files, every section's HTML and every written file's bytes are stored under ``cache_dir("cards")``,
keyed by `card_key`. On a hit nothing is computed: the sections and the files come back byte for byte, and
`results` (or the full `Card`) is computed only when asked for. The key covers everything the card depends on: the
frame's contents and attributes, the digests of its local source files (`provenance_results`; image statistics are
read from them), the effective lexicon's version, every parameter, every file of the package (code, labels,
templates) and the versions of the libraries the numbers and figures come from. Entries are data only (JSON and the
files' bytes, each behind its digest line, `cache.read_entry`): an altered or partial entry is a miss, never an error.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from multiprocessing import get_context
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

import pandas as pd

from vixray_eda.cache import cache_dir, code_version, digest, read_entry, write_entry
from vixray_eda.data.schema import TEXT_FIELDS
from vixray_eda.files import write_bytes_atomic
from vixray_eda.plots.formats import FORMATS, as_formats
from vixray_eda.redact import redact
from vixray_eda.report.card import Card, section_html
from vixray_eda.report.figures import CardFigures, compute_figure_results
from vixray_eda.report.sections import SECTIONS
from vixray_eda.stats.summary import Results, compute_results, provenance_results
from vixray_eda.text.lexicon import load_lexicon
from vixray_eda.text.pipeline import analyze_fields

__all__ = ["CachedCard", "card_key"]

def _frame_digest(df: pd.DataFrame) -> str:
    """The frame's column names, types, values (row order included) and attributes."""
    df = df.drop(columns=["image"], errors="ignore")
    values = pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes()
    return digest(json.dumps([list(map(str, df.columns)), list(map(str, df.dtypes))]), values,
                  json.dumps(df.attrs, sort_keys=True, default=_plain))


def _plain(value: Any) -> Any:
    """JSON for what `json` cannot write itself (a frame whole, never its shortened text)."""
    return value.to_json() if isinstance(value, (pd.DataFrame, pd.Series)) else repr(value)


def card_key(df: pd.DataFrame, compute: dict[str, Any], page: dict[str, Any]) -> str | None:
    """The cache key of the card of `df` with `compute_results` arguments `compute` and `Card` arguments `page`;
    None (no caching) when images are read from a source file that has no local digest (a remote one could change
    under the same text), or when the frame holds values that cannot be hashed."""
    lexicon = load_lexicon(list(compute["lexicon_paths"]) if compute["lexicon_paths"] else None)
    source = redact(str(df.attrs.get("source") or compute["source"] or ""))
    files = provenance_results(df, lexicon, source).source.files
    if compute["images"] and any(f.sha256 is None for f in files):
        return None
    try:
        frame = _frame_digest(df)
    except TypeError:
        return None
    parameters = json.dumps({**compute, **page}, sort_keys=True, default=list)
    return digest("card", code_version(), frame, lexicon.version, parameters,
                  json.dumps([[f.path, f.sha256] for f in files]))


def _blob_path(payload_digest: str) -> Path:
    return cache_dir("cards", "files") / f"{payload_digest}.bin"


def _read(key: str) -> dict[str, Any] | None:
    """The entry of `key`: sections (key → body HTML), formats and files (relative path → bytes); None when absent,
    altered or incomplete."""
    try:
        manifest = read_entry(cache_dir("cards") / f"{key}.json")
        if manifest is None:
            return None
        entry = json.loads(manifest)
        files = {}
        for name, payload_digest in entry["files"]:
            payload = read_entry(_blob_path(payload_digest))
            if payload is None:
                return None
            files[str(name)] = payload
        if sorted(entry["sections"]) != sorted(SECTIONS):
            return None
        return {"sections": {str(k): str(v) for k, v in entry["sections"].items()},
                "formats": tuple(entry["formats"]), "files": files}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(key: str, sections: dict[str, str], formats: Sequence[str], files: dict[str, bytes]) -> None:
    """Store an entry: the files' bytes first (named by their digest), then the manifest that lists them."""
    try:
        listed = []
        for name, payload in files.items():
            payload_digest = digest(payload)
            write_entry(_blob_path(payload_digest), payload)
            listed.append([name, payload_digest])
        manifest = {"sections": sections, "formats": list(formats), "files": listed}
        write_entry(cache_dir("cards") / f"{key}.json", json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
    except OSError:  # the cache is optional
        pass


#: The order figures are drawn ahead in, the costliest first (CPU-s on the sample for the card's outputs, the first
#: figure's font loading aside): what is left when the results are ready is shared by both processes, so the tail
#: should be short figures.
AHEAD_ORDER: tuple[str, ...] = (
    "fig_cooccurrence",  # 1.3
    "fig_terms_findings",  # 1.1
    "fig_prevalence_age",  # 1.1
    "fig_lengths",  # 0.8
    "fig_terms_anatomy",  # 0.7
    "fig_wordcloud_findings",  # 0.6
    "fig_wordcloud_impressions",  # 0.6
    "fig_age_sex",  # 0.4
    "fig_age_histogram",  # 0.3
    "fig_sex_split",  # 0.3
)


def _draw_claimed(figures: CardFigures, claimed: Synchronized) -> None:
    """Draw the figures of `AHEAD_ORDER` into the figure cache one at a time, each claimed first from the counter
    the card's two processes share (the next unclaimed position), until none is left."""
    while True:
        with claimed.get_lock():
            position = claimed.value
            claimed.value += 1
        if position >= len(AHEAD_ORDER):
            return
        figures.draw_into_cache([AHEAD_ORDER[position]])


def _draw_ahead(df: pd.DataFrame, lexicon_paths: Sequence[str], top_n: int, lang: str,
                claimed: Synchronized) -> None:
    """The drawing process: the card's figure inputs (`compute_figure_results`: the same inputs `Card` draws them
    from), then figures claimed until none is left."""
    _draw_claimed(CardFigures(compute_figure_results(df, lexicon_paths, top_n, lang, workers=1), lang), claimed)


class CachedCard:
    """`Card(compute_results(df, ...), title, lang, figure_links)`, served from the cache when it holds this card.

    `show`, `html` and `write_outputs` behave as `Card`'s; `results` and `card` compute on first use."""

    def __init__(self, df: pd.DataFrame, lexicon_paths: Sequence[str] | None = None, top_n: int = 20,
                 images: bool = False, source: str | None = None, splits: Sequence[str] | None = None,
                 skip_corrupt: bool = False, title: str | None = None, lang: str = "en",
                 figure_links: Sequence[str] = ()) -> None:
        self._df = df
        self._compute = {"lexicon_paths": list(lexicon_paths or []), "top_n": top_n, "images": images,
                         "source": source, "splits": list(splits) if splits else None, "skip_corrupt": skip_corrupt}
        self._page = {"title": title, "lang": lang, "figure_links": list(figure_links)}
        self.key = card_key(df, self._compute, self._page)
        self._entry = _read(self.key) if self.key is not None else None
        self._card: Card | None = None
        self._bodies: dict[str, str] = {}
        self._styled = False

    @property
    def hit(self) -> bool:
        """Whether this card comes from the cache."""
        return self._entry is not None

    @property
    def card(self) -> Card:
        """The card itself, its results computed on first use: the texts are analyzed first, then the paper figures
        are drawn into the figure cache in another process, costliest first (`AHEAD_ORDER`), while the results are
        computed here, on the second core; once they are, this process draws the figures the other has not
        claimed, and the card finds every figure drawn."""
        if self._card is None:
            lexicon = load_lexicon(self._compute["lexicon_paths"] or None)
            analyze_fields(self._df.drop(columns=["image"], errors="ignore"), TEXT_FIELDS, lexicon=lexicon)
            fork = get_context("fork")  # the child finds the analysis in memory
            claimed = fork.Value("i", 0)
            ahead = fork.Process(target=_draw_ahead, args=(self._df, self._compute["lexicon_paths"],
                                                            self._compute["top_n"], self._page["lang"], claimed))
            ahead.start()
            try:
                results = compute_results(self._df, **self._compute)
                _draw_claimed(CardFigures(results, self._page["lang"]), claimed)
            except BaseException:
                ahead.terminate()
                raise
            finally:
                ahead.join()  # a figure the child failed to draw is drawn by the card (and meets the error)
            self._card = Card(results, **self._page)
        return self._card

    @property
    def results(self) -> Results:
        """The card's results (`compute_results`), computed on first use."""
        return self.card.results

    def body(self, key: str) -> str:
        """Section `key`'s HTML (`Card.body`)."""
        if key not in self._bodies:
            self._bodies[key] = self._entry["sections"][key] if self._entry is not None else self.card.body(key)
        return self._bodies[key]

    def html(self, key: str) -> str:
        """As `Card.html`: the section inside the card's root element, the first output with the card's style."""
        first, self._styled = not self._styled, True
        return section_html(self.body(key), first)

    def show(self, key: str) -> None:
        from IPython.display import HTML, display

        display(HTML(self.html(key)))

    def write_outputs(self, output_dir: str | Path, formats: str | Sequence[str] = FORMATS) -> list[Path]:
        """As `Card.write_outputs`; on a miss the card's sections and files are then stored in the cache."""
        output_dir, formats = Path(output_dir), as_formats(formats)
        if self._entry is not None and self._entry["formats"] == formats:
            return [write_bytes_atomic(output_dir / name, payload) for name, payload in self._entry["files"].items()]
        paths = self.card.write_outputs(output_dir, formats=formats)
        if self.key is not None and self._entry is None:
            files = {p.relative_to(output_dir).as_posix(): p.read_bytes() for p in paths}
            _write(self.key, {key: self.body(key) for key in SECTIONS}, formats, files)
        return paths
