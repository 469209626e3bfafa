"""Tiny, escaping HTML builders for the card. Every text that reaches the page goes through `esc`."""
from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

Formatter = Callable[[Any], str]
#: The class every card output carries; every rule of card.css is scoped under it.
ROOT_CLASS = "vx-card"


@lru_cache(maxsize=2)
def stylesheet(name: str) -> str:
    """The text of the card template's stylesheet `name`: ``card.css`` (every rule scoped under `ROOT_CLASS`) or
    ``page.css`` (the page around it: body, main)."""
    return resources.files("vixray_eda.report").joinpath(f"templates/card/{name}").read_text(encoding="utf-8")


def card_style() -> str:
    """The card's stylesheet as a `<style>` element, delivered with a card's first output."""
    return f"<style>\n{stylesheet('card.css')}</style>"


def scoped(content: str) -> str:
    """`content` inside the card's root element, so that card.css applies to it (and only to it)."""
    return tag("div", content, class_=ROOT_CLASS)


def esc(value: Any) -> str:
    """HTML-escaped text of any value (quotes too, so it is safe in attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def tag(name: str, content: str = "", **attrs: Any) -> str:
    """`<name attrs>content</name>`; `content` must already be HTML (escape text with `esc`)."""
    attributes = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None)
    return f"<{name}{attributes}>{content}</{name}>"


def para(text: str, cls: str | None = None) -> str:
    return tag("p", esc(text), class_=cls)


def banner(text: str, kind: str = "info") -> str:
    return tag("div", esc(text), class_=f"banner {kind}", role="note")


def heading(text: str, level: int = 2, anchor: str | None = None) -> str:
    return tag(f"h{level}", esc(text), id=anchor)


def number(value: Any, digits: int = 1) -> str:
    """A number for a table cell: thousands separators, fixed decimals, blank for missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (int,)) or (hasattr(value, "is_integer") and float(value).is_integer() and digits == 0):
        return f"{int(value):,}"
    return f"{float(value):,.{digits}f}"


def percent(value: Any, digits: int = 1) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * float(value):.{digits}f}%"


def integer(value: Any) -> str:
    return number(value, 0)


def _more_rows(n: int) -> str:
    return f"{n:,} more rows"


def table(frame: pd.DataFrame, columns: Mapping[str, str] | Sequence[str] | None = None,
          formats: Mapping[str, Formatter] | None = None, numeric: Iterable[str] = (), caption: str | None = None,
          limit: int | None = None, more: Callable[[int], str] = _more_rows) -> str:
    """An HTML table of `frame`: `columns` maps column → header (or lists columns), `formats` column → formatter.

    Cells are escaped after formatting; numeric columns (given or detected) are right-aligned. With `limit`, the
    first `limit` rows are shown and the rest one click away (a `<details>` titled `more(n)`, no script).
    """
    if columns is None:
        columns = {c: c for c in frame.columns}
    elif not isinstance(columns, Mapping):
        columns = {c: c for c in columns}
    formats = dict(formats or {})
    numeric_cols = set(numeric) | {c for c in columns if c in frame and pd.api.types.is_numeric_dtype(frame[c])}
    head = tag("thead", tag("tr", "".join(tag("th", esc(label), class_="num" if c in numeric_cols else None)
                                          for c, label in columns.items())))
    cap = tag("caption", esc(caption)) if caption else ""
    if frame.empty:
        return tag("table", cap + head + tag("tbody", tag("tr", tag("td", esc("(none)"), colspan=len(columns)))))
    if limit is None or len(frame) <= limit:
        return tag("table", cap + head + _rows(frame, columns, formats, numeric_cols))
    rest = frame.iloc[limit:]
    return (tag("table", cap + head + _rows(frame.head(limit), columns, formats, numeric_cols))
            + tag("details", tag("summary", esc(more(len(rest))))
                  + tag("table", head + _rows(rest, columns, formats, numeric_cols))))


def _rows(frame: pd.DataFrame, columns: Mapping[str, str], formats: Mapping[str, Formatter],
          numeric_cols: set[str]) -> str:
    body = []
    for _, row in frame.iterrows():
        cells = []
        for c in columns:
            value = row[c]
            text = formats[c](value) if c in formats else _default(value)
            cells.append(tag("td", esc(text), class_="num" if c in numeric_cols else None))
        body.append(tag("tr", "".join(cells)))
    return tag("tbody", "".join(body))


def _default(value: Any) -> str:
    if isinstance(value, float):
        return number(value, 2)
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if value is None or value is pd.NA:
        return "–"
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def image(png: bytes, alt: str, links: Mapping[str, str] | None = None) -> str:
    """An inline PNG (data URI): the card never loads anything from elsewhere. With `links` (text → relative path
    of a figure file beside the page), the image is a thumbnail that opens the first file, and each is listed."""
    data = base64.b64encode(png).decode("ascii")
    img = f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}"'
    if not links:
        return f"<figure>{img}></figure>"
    first = next(iter(links.values()))
    files = " · ".join(tag("a", esc(text), href=path) for text, path in links.items())
    return tag("figure", tag("a", f'{img} class="thumb">', href=first) + tag("figcaption", files))


def definition_list(items: Mapping[str, str]) -> str:
    return tag("dl", "".join(tag("dt", esc(k)) + tag("dd", esc(v)) for k, v in items.items()), class_="kv")
