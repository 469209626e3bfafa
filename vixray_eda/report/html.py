"""Tiny, escaping HTML builders for the card. Every text that reaches the page goes through `esc`."""
from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

Formatter = Callable[[Any], str]


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


def table(frame: pd.DataFrame, columns: Mapping[str, str] | Sequence[str] | None = None,
          formats: Mapping[str, Formatter] | None = None, numeric: Iterable[str] = (), caption: str | None = None,
          limit: int | None = None) -> str:
    """An HTML table of `frame`: `columns` maps column → header (or lists columns), `formats` column → formatter.

    Cells are escaped after formatting; numeric columns (given or detected) are right-aligned.
    """
    if columns is None:
        columns = {c: c for c in frame.columns}
    elif not isinstance(columns, Mapping):
        columns = {c: c for c in columns}
    formats = dict(formats or {})
    shown = frame if limit is None else frame.head(limit)
    numeric_cols = set(numeric) | {c for c in columns if c in frame and pd.api.types.is_numeric_dtype(frame[c])}
    head = "".join(tag("th", esc(label), class_="num" if c in numeric_cols else None) for c, label in columns.items())
    body = []
    for _, row in shown.iterrows():
        cells = []
        for c in columns:
            value = row[c]
            text = formats[c](value) if c in formats else _default(value)
            cells.append(tag("td", esc(text), class_="num" if c in numeric_cols else None))
        body.append(tag("tr", "".join(cells)))
    if shown.empty:
        body.append(tag("tr", tag("td", esc("(none)"), colspan=len(columns))))
    more = "" if limit is None or len(frame) <= limit else para(f"… {len(frame) - limit:,} more rows", "muted")
    cap = tag("caption", esc(caption)) if caption else ""
    return tag("table", cap + tag("thead", tag("tr", head)) + tag("tbody", "".join(body))) + more


def _default(value: Any) -> str:
    if isinstance(value, float):
        return number(value, 2)
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if value is None or value is pd.NA:
        return "–"
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def image(png: bytes, alt: str) -> str:
    """An inline PNG (data URI): the card never loads anything from elsewhere."""
    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img src="data:image/png;base64,{data}" alt="{esc(alt)}"></figure>'


def definition_list(items: Mapping[str, str]) -> str:
    return tag("dl", "".join(tag("dt", esc(k)) + tag("dd", esc(v)) for k, v in items.items()), class_="kv")
