"""The card's sections as a registry: each section is one function, registered in display order with its key, the
label keys of its headings and the `Results` fields it reads (dotted paths such as ``terms.cooccurrence``). The card, its table of contents and the notebook's
cells (``tools/build_notebooks.py``) all follow this registry, so adding a section is one registered function plus
its rows in ``labels.csv``."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vixray_eda.errors import ParameterError


@dataclass(frozen=True)
class Section:
    """One card section: `render(card)` returns its HTML."""

    key: str
    titles: tuple[str, ...]
    needs: tuple[str, ...]
    render: Callable[[Any], str]


#: Sections by key, in the order the card shows them.
SECTIONS: dict[str, Section] = {}


def section(key: str, titles: tuple[str, ...] = (), needs: tuple[str, ...] = ()) -> Callable:
    """Register the decorated function as the card section `key` (shown after those registered before it)."""
    def register(render: Callable[[Any], str]) -> Callable[[Any], str]:
        if key in SECTIONS:
            raise ValueError(f"card section {key!r} is registered twice")
        SECTIONS[key] = Section(key, titles, needs, render)
        return render
    return register


def get_section(key: str) -> Section:
    if key not in SECTIONS:
        raise ParameterError(f"unknown card section {key!r}; sections: {', '.join(SECTIONS)}")
    return SECTIONS[key]
