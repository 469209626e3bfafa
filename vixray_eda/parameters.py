"""The notebooks' parameters, declared once: name, type, default, allowed values and help.

The `parameters` cells of the shipped notebooks are generated from these declarations (``tools/build_notebooks.py``,
annotated as ``name: type = default  # help`` so that ``papermill --help-notebook`` shows types and help); the CLI
checks ``-p``/``-f`` and batch values with them before anything runs, and the notebooks check what papermill
injected, so a bad value is one line naming the parameter wherever it comes from.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from vixray_eda.errors import ParameterError
from vixray_eda.labels import LANGUAGES
from vixray_eda.plots.formats import FORMATS


@dataclass(frozen=True)
class Parameter:
    """One parameter. `kind` is the annotation written into the notebook: str, int, bool, list[str] or
    Optional[...] of those; `choices` limits a text (or every item of a list); `minimum` bounds an integer."""

    name: str
    kind: str
    default: Any
    help: str
    choices: tuple[str, ...] | None = None
    minimum: int | None = None

    def check(self, value: Any) -> Any:
        """The value as its declared type; ParameterError (one line, naming the parameter) when it is not one."""
        kind = self.kind
        if kind.startswith("Optional["):
            if value is None:
                return None
            kind = kind.removeprefix("Optional[").removesuffix("]")
        if kind == "bool":
            if not isinstance(value, bool):
                self._refuse(value, "true or false")
            return value
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                self._refuse(value, "an integer")
            if self.minimum is not None and value < self.minimum:
                self._refuse(value, f"an integer ≥ {self.minimum}")
            return value
        if kind == "str":
            if not isinstance(value, str):
                self._refuse(value, "text")
            self._check_choices([value])
            return value
        if kind == "list[str]":
            items = _as_list(value)
            if items is None or not all(isinstance(item, str) for item in items):
                self._refuse(value, "a list of texts")
            self._check_choices(items)
            return items
        raise AssertionError(f"undeclared parameter kind {self.kind}")

    def _check_choices(self, items: list[str]) -> None:
        bad = [item for item in items if self.choices is not None and item not in self.choices]
        if bad:
            self._refuse(bad[0], f"one of {', '.join(self.choices)}")

    def _refuse(self, value: Any, expected: str) -> None:
        raise ParameterError(f"parameter {self.name}: expected {expected}, got {value!r}")

    def source_line(self) -> str:
        """The line of the notebook's `parameters` cell: ``name: "type" = default  # help``."""
        return f'{self.name}: "{self.kind}" = {self.default!r}  # {self.help}'


def _as_list(value: Any) -> list[Any] | None:
    """A list from a list/tuple, or from text such as "png", "pdf,svg" or '["png"]' (papermill's -p passes text)."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        return [item for item in re.split(r"[\s,\[\]\"']+", value) if item]
    return None


class ParameterSet(Mapping[str, Parameter]):
    """The parameters of one notebook, in the order they appear in its `parameters` cell."""

    def __init__(self, notebook: str, *parameters: Parameter) -> None:
        self.notebook = notebook
        self._by_name = {p.name: p for p in parameters}

    def __getitem__(self, name: str) -> Parameter:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def defaults(self) -> dict[str, Any]:
        return {name: p.default for name, p in self._by_name.items()}

    def check(self, given: Mapping[str, Any], hint: str = "") -> dict[str, Any]:
        """The `given` values checked and typed (names unknown to the notebook are an error; `hint` ends it)."""
        unknown = sorted(set(given) - set(self._by_name))
        if unknown:
            raise ParameterError(f"{self.notebook}: unknown parameter(s) {', '.join(unknown)}; "
                                 f"known: {', '.join(sorted(self._by_name))}{hint}")
        return {name: self._by_name[name].check(value) for name, value in given.items()}

    def typed(self, namespace: Mapping[str, Any]) -> SimpleNamespace:
        """Every parameter from a notebook's namespace, checked and typed (``p = CARD.typed(globals())``)."""
        return SimpleNamespace(**self.check({name: namespace[name] for name in self._by_name}))

    def cell_source(self) -> str:
        """The notebook's `parameters` cell."""
        return "\n".join(p.source_line() for p in self._by_name.values())


_DATA = Parameter("data", "str", "sample",
                  '"sample", a folder in the Hugging Face layout, a parquet/CSV/JSONL file, or hf:// / https://')
_SPLITS = Parameter("splits", "Optional[list[str]]", None, 'e.g. ["train", "test"]; None reads every split')
_LEXICON = Parameter("lexicon_paths", "list[str]", [],
                     "extra lexicon CSV files that extend or override the shipped terms and cues")
_TOP_N = Parameter("top_n", "int", 20, "rows in the top-N term tables and figures", minimum=1)
_LANG = Parameter("lang", "str", "en", '"en" or "vi": headings and term labels', choices=LANGUAGES)
_FORMATS = Parameter("formats", "list[str]", list(FORMATS), "formats of the figure files written", choices=FORMATS)
_SKIP = Parameter("skip_corrupt", "bool", False,
                  "skip unreadable parquet shards (each one is counted in the data-quality section)")

#: dataset_card.ipynb
CARD = ParameterSet(
    "dataset_card.ipynb", _DATA, _SPLITS,
    Parameter("title", "str", "", "the card's title; empty: \"ViX-Ray dataset card\" in the card's language"),
    _LEXICON, _TOP_N,
    Parameter("read_images", "bool", False,
              "image statistics and a contact sheet (streams the image column one row group at a time)"),
    _LANG, _FORMATS,
    Parameter("output_dir", "str", "card_output",
              "stats.json, README.md (Hugging Face card) and figures/ are written here"),
    _SKIP,
    Parameter("link_figures", "bool", False,
              "each figure opens its file in output_dir/figures/ (vixray-eda report sets it: its page is there)"),
)

#: paper_figures.ipynb
FIGURES = ParameterSet(
    "paper_figures.ipynb", _DATA, _SPLITS, _LEXICON, _TOP_N, _LANG, _FORMATS,
    Parameter("output_dir", "str", "figures", "the paper's figure files are (re)written here"),
    _SKIP,
)

#: explore.ipynb
EXPLORE = ParameterSet(
    "explore.ipynb", _DATA,
    Parameter("concept", "str", "pleural_effusion",
              "any concept id of the lexicon, e.g. cardiomegaly, rib_fracture, lung"),
    Parameter("assertion", "Optional[str]", None, 'None, "present", "absent" or "uncertain"',
              choices=("present", "absent", "uncertain")),
)

#: benchmark_card.ipynb
BENCHMARK = ParameterSet(
    "benchmark_card.ipynb",
    Parameter("data", "str", "sample", "references: " + _DATA.help),
    Parameter("split", "str", "test", 'reference split; "all" for every split'),
    Parameter("predictions", "list[str]", [],
              "predictions files (JSONL/CSV/parquet), one per model; empty: two demo models"),
    Parameter("key", "str", "id", "column matching predictions to references (vx.load's id by default)"),
    Parameter("uncertain", "str", "positive", 'uncertain findings in the label F1: "positive", "negative" or "exclude"',
              choices=("positive", "negative", "exclude")),
    Parameter("title", "str", "ViX-Ray report-generation benchmark", "the card's title"),
    _FORMATS,
    Parameter("output_dir", "str", "benchmark_output", "index.html, stats.json and figures/ are written here"),
)
