"""The dataset card, section by section: `Card(results).show("lengths")` displays one section in a notebook.

Each section is a method registered with `@section` (key, heading label keys, the `Results` fields it reads; see
`vixray_eda.report.sections`), returning HTML with every text escaped; its words come from ``labels.csv``. Figures
are inline PNGs drawn once (`report.figures.CardFigures`) and reused when `write_outputs` saves the paper's figure
files. The notebook, generated from the registry, stays thin: one call per section. Every output is one element of
class ``vx-card`` (the root every rule of card.css is scoped under) and the card's first output carries that style,
so a notebook, JupyterLab included, shows the card as the HTML page does.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from vixray_eda import __version__, published
from vixray_eda.data.sources import SAMPLE_DESCRIPTION
from vixray_eda.labels import Phrase, check_language, has_label, label, word
from vixray_eda.plots.formats import as_formats
from vixray_eda.plots.style import concept_labels
from vixray_eda.report.alerts import alerts
from vixray_eda.report.datasheet import SECTIONS as DATASHEET_SECTIONS
from vixray_eda.report.datasheet import datasheet, facts_from_results
from vixray_eda.report.figures import CardFigures
from vixray_eda.report.html import (banner, card_style, definition_list, esc, heading, image, integer, number, para,
                                    percent, scoped, table, tag)
from vixray_eda.report.outputs import write_outputs
from vixray_eda.report.sections import SECTIONS, get_section, section
from vixray_eda.stats.demographics import PUBLISHED_MEAN_AGE
from vixray_eda.stats.quality import leakage_table
from vixray_eda.stats.registry import STATISTICS, Statistic
from vixray_eda.stats.summary import Results

#: Formatters of the column formats a registered statistic may ask for.
_COLUMN_FORMATS = {"percent": percent, "integer": integer, "number": lambda v: number(v, 1)}
#: Rows of a long table shown before the rest (one click away).
TABLE_ROWS = 15
#: Columns whose values are words of ours (field and unit names), shown in the card's language (``value.*`` labels).
_WORD_COLUMNS = ("field", "unit", "best_unit", "level", "kind")
#: Figure formats a thumbnail may open, the first written one first.
_LINK_ORDER = ("svg", "png", "pdf")


def section_html(body: str, first: bool) -> str:
    """A section's `body` inside the card's root element (where card.css applies), after the card's style when it is
    the card's `first` output (so a notebook, JupyterLab included, shows the card as the page does)."""
    return (card_style() if first else "") + scoped(body)


class Card:
    """A dataset card over one `Results` bundle. `show(section)` displays it; `html(section)` returns it."""

    def __init__(self, results: Results, title: str | None = None, lang: str = "en",
                 figure_links: Sequence[str] = ()) -> None:
        """`title` None or "": the card's title in `lang`. `figure_links`: formats of the figure files written in
        ``figures/`` beside the page (by `vixray-eda report`); each figure then opens its file."""
        check_language(lang)
        self.results = results
        self.lang = lang
        self.title = title or self.t("card_title")
        self.figure_links = [f for f in _LINK_ORDER if f in figure_links]
        self.figures = CardFigures(results, lang)
        self._labels = concept_labels(results.lexicon)
        self._styled = False

    # -- plumbing -------------------------------------------------------------------------------------------
    def t(self, key: str, **values: Any) -> str:
        return label(key, self.lang, **values)

    def figure(self, stem: str) -> Figure | None:
        """The paper figure `stem`, drawn once (None when its results are absent, e.g. images not read)."""
        return self.figures.get(stem)

    def _figure_html(self, stem: str, alt: str) -> str:
        png = self.figures.png(stem)
        if png is None:
            return ""
        links = {fmt.upper(): f"figures/{stem}.{fmt}" for fmt in self.figure_links}
        return image(png, alt, links)

    def _table(self, frame: pd.DataFrame, columns: Any = None, formats: Any = None, limit: int | None = TABLE_ROWS,
               caption: str | None = None) -> str:
        """`html.table` in the card's language: headers and our own words (field, unit) from labels, long tables
        folded after `limit` rows."""
        if columns is None or not isinstance(columns, dict):
            columns = {c: self.t(c) if has_label(c) else c for c in (frame.columns if columns is None else columns)}
        words = {c: self._word for c in _WORD_COLUMNS if c in columns}
        return table(frame, columns, {**words, **(formats or {})}, caption=caption, limit=limit,
                     more=lambda n: self.t("more_rows", n=n))

    def _word(self, value: Any) -> str:
        return str(word(value, self.lang))

    def _phrase(self, value: Any) -> str:
        return value.text(self.lang) if isinstance(value, Phrase) else str(value)

    def term(self, concept: str) -> str:
        vi, en = self._labels.get(concept, (concept, concept))
        return f"{vi} ({en})" if self.lang == "en" else vi

    def body(self, key: str) -> str:
        """The HTML of section `key` (see `vixray_eda.report.sections`), then the registered statistics shown in it
        (see `vixray_eda.stats.registry`); every section but the header ends with a link back to the top."""
        body = get_section(key).render(self) + "".join(
            self._statistic(entry) for entry in STATISTICS.values() if entry.section == key)
        if key != "header":
            body += tag("p", tag("a", esc("↑ " + self.t("back_to_top")), href="#top"), class_="top")
        return body

    def html(self, key: str) -> str:
        """`body(key)` inside the card's root element; the card's first output carries its style."""
        first, self._styled = not self._styled, True
        return section_html(self.body(key), first)

    def _statistic(self, entry: Statistic) -> str:
        """A registered statistic: its label as heading, its ``<key>_text`` label when there is one, its table."""
        frame = self.results.statistics[entry.key]
        columns = {c: self.t(c) if has_label(c) else c for c in frame.columns}
        formats = {c: _COLUMN_FORMATS[f] for c, f in entry.formats.items()}
        text = para(self.t(f"{entry.key}_text")) if has_label(f"{entry.key}_text") else ""
        return heading(self.t(entry.key), 3) + text + self._table(frame, columns, formats)

    def show(self, key: str) -> None:
        from IPython.display import HTML, display

        display(HTML(self.html(key)))

    def write_outputs(self, output_dir: str | Path, formats: str | Sequence[str] = ("pdf", "svg", "png")):
        """Write stats.json, README.md (Hugging Face card) and the paper figures into `output_dir`."""
        return write_outputs(self.results, Path(output_dir), formats=as_formats(formats), figures=self.figures,
                             title=self.title)

    # -- sections (registered in display order) ---------------------------------------------------------------
    @section("header", needs=("frame", "split_sizes", "source", "synthetic"))
    def _header(self) -> str:
        r = self.results
        parts = [tag("h1", esc(self.title), id="top")]
        if r.synthetic:
            parts.append(banner(self.t("synthetic_banner"), "warn"))
        parts.append(definition_list({
            self.t("source"): self.t("source_sample") if r.source == SAMPLE_DESCRIPTION else r.source,
            self.t("rows"): f"{len(r.frame):,}",
            self.t("splits"): ", ".join(f"{s} {n:,}" for s, n in zip(r.split_sizes["split"], r.split_sizes["rows"])),
            self.t("generated_by"): f"vixray-eda {__version__}",
        }))
        toc = "".join(tag("li", tag("a", esc(self.t(entry.titles[0])), href=f"#{key}"))
                      for key, entry in SECTIONS.items() if entry.titles)
        parts.append(tag("nav", tag("ol", toc), class_="toc"))
        return "".join(parts)

    @section("alerts", titles=("h_alerts",), needs=("quality", "metadata_checks", "demographics.age_summary",
                                                    "coverage", "balance"))
    def _alerts(self) -> str:
        found = alerts(self.results)
        items = "".join(tag("li", tag("a", esc(a.text.text(self.lang)), href=f"#{a.anchor}"), class_=a.level)
                        for a in found)
        return heading(self.t("h_alerts"), anchor="alerts") + (
            tag("ul", items, class_="alerts") if found else para(self.t("alerts_none"), "muted"))

    @section("overview", titles=("h_overview",), needs=("terms.normal_share", "terms.top_findings"))
    def _overview(self) -> str:
        r = self.results
        normal = r.terms.normal_share.set_index("split").loc["all"]
        top = r.terms.top_findings.head(5)["concept"].tolist()
        items = [
            para(self.t("overview_text")),
            definition_list({
                self.t("hub_id"): published.HUB_ID,
                self.t("paper"): published.PAPER,
                self.t("license"): f"{published.LICENSE_TEXT} ({self.t('license_yaml')}: {published.LICENSE_YAML})",
                self.t("normal_reports"): f"{percent(normal['share'])} ({integer(normal['normal'])} / "
                                          f"{integer(normal['reports'])})",
                self.t("top_findings"): ", ".join(self.term(c) for c in top),
            }),
        ]
        return heading(self.t("h_overview"), anchor="overview") + "".join(items)

    @section("splits", titles=("h_splits",), needs=("split_sizes", "metadata_checks"))
    def _splits(self) -> str:
        r = self.results
        checks = r.metadata_checks
        flagged = checks[checks["status"].isin(["mismatch", "not published"])]
        parts = [heading(self.t("h_splits"), anchor="splits"),
                 self._table(r.split_sizes, {"split": self.t("split"), "rows": self.t("rows"), "share": self.t("share"),
                                            "declared": self.t("declared")},
                            {"share": percent, "declared": integer, "rows": integer})]
        for rec in flagged.itertuples():
            parts.append(banner(self._check_text(rec), "bad" if rec.status == "mismatch" else "info"))
        return "".join(parts)

    def _check_text(self, rec: Any) -> str:
        """A metadata check in the card's language (stats.json keeps the English `detail`)."""
        if rec.check == "license":
            return self.t("check_license", yaml=published.LICENSE_YAML, text=published.LICENSE_TEXT)
        split = rec.check.removeprefix("split ")
        rows = int(self.results.split_sizes.set_index("split").loc[split, "rows"])
        if rec.status == "not published":
            return self.t("check_split_unpublished", split=split, rows=rows)
        declared = published.SPLIT_SIZES[split]
        return self.t("check_split_size", split=split, rows=rows, declared=declared)

    @section("fields", titles=("h_fields",), needs=("field_overview",))
    def _fields(self) -> str:
        return (heading(self.t("h_fields"), anchor="fields") + para(self.t("fields_text"))
                + self._table(self.results.field_overview,
                             {"column": self.t("column"), "source_name": self.t("source_name"), "dtype": "dtype",
                              "missing": self.t("missing"), "distinct": self.t("distinct"),
                              "examples": self.t("examples")},
                             {"examples": lambda v: " | ".join(str(x)[:90] for x in v)}))

    @section("lengths", titles=("h_lengths", "h_published_lengths"), needs=("lengths",))
    def _lengths(self) -> str:
        r = self.results
        audit = r.lengths.normalization
        changed = {rec.step: rec.changed for rec in audit.itertuples()}
        comparison = r.lengths.published
        best = comparison.attrs.get("best_unit") or (comparison["best_unit"].mode().iat[0] if len(comparison) else "")
        summary = r.lengths.summary
        lengths = summary[summary["unit"].isin(["syllables", "words"])]
        fmt1 = {c: (lambda v: number(v, 1)) for c in ("mean", "sd", "median", "p5", "p95")}
        return "".join([
            heading(self.t("h_lengths"), anchor="lengths"),
            para(self.t("normalization_text", nfd=changed.get("nfd", 0), old=changed.get("old_tone_placement", 0),
                        ws=changed.get("whitespace", 0), any=changed.get("any", 0))),
            self._table(audit, {"step": self.t("step"), "changed": self.t("texts_changed"), "share": self.t("share"),
                               "examples": self.t("examples")}, {"share": percent, "changed": integer}),
            para(self.t("units_text")),
            self._table(lengths, ["split", "field", "unit", "n", "mean", "sd", "median", "p5", "p95", "min", "max"],
                       {**fmt1, "n": integer, "min": integer, "max": integer}),
            heading(self.t("h_published_lengths"), 3),
            para(self.t("published_lengths_text", unit=best)),
            self._table(comparison, ["split", "field", "published", "syllables", "words", "chars", "best_unit"],
                       {c: (lambda v: number(v, 1)) for c in ("published", "syllables", "words", "chars")}),
            self._figure_html("fig_lengths", self.t("h_lengths")),
        ])

    @section("vocabulary", titles=("h_vocabulary", "h_ngrams", "h_templated"), needs=("vocabulary",))
    def _vocabulary(self) -> str:
        vocab = self.results.vocabulary
        parts = [heading(self.t("h_vocabulary"), anchor="vocabulary")]
        if vocab is None:
            return "".join(parts + [para(self.t("not_computed"), "muted")])
        parts.append(para(self.t("vocabulary_text")))
        parts.append(self._table(vocab.summary, {"field": self.t("field"), "level": self.t("unit"),
                                                "tokens": self.t("tokens"), "types": self.t("types"), "ttr": "TTR",
                                                "hapax": "hapax", "hapax_share": self.t("hapax_share")},
                                {"ttr": lambda v: number(v, 4), "hapax_share": percent}))
        parts.append(heading(self.t("h_ngrams"), 3))
        parts.append(para(self.t("ngrams_text")))
        for field_name in ("findings", "impressions"):
            part = vocab.ngrams[vocab.ngrams["field"] == field_name]
            wide = pd.DataFrame({f"{n}-gram": part.loc[part["n"] == n, "ngram"].reset_index(drop=True)
                                 .str.cat(part.loc[part["n"] == n, "count"].reset_index(drop=True)
                                          .map(lambda c: f" ({c:,})"))
                                 for n in (1, 2, 3)})
            parts.append(self._table(wide, caption=self._word(field_name)))
        parts.append(heading(self.t("h_templated"), 3))
        parts.append(para(self.t("templated_text")))
        parts.append(self._table(vocab.duplicate_groups, {"field": self.t("field"), "kind": self.t("kind"),
                                                  "reports": self.t("reports"), "share": self.t("share"),
                                                  "groups": self.t("groups")}, {"share": percent}))
        for stem in ("fig_wordcloud_findings", "fig_wordcloud_impressions"):
            parts.append(self._figure_html(stem, self.t("h_vocabulary")))
        return "".join(parts)

    def _term_table(self, frame: pd.DataFrame) -> str:
        shown = frame.assign(term=frame["concept"].map(self.term))
        return para(self.t("term_counts_text"), "muted") + self._table(
            shown, {"term": self.t("term"), "reports": self.t("reports_any_mention"), "share": self.t("share"),
                    "present": self.t("present_reports"), "absent": self.t("absent_reports"),
                    "uncertain": self.t("uncertain_reports")},
                     {"share": percent, "reports": integer, "present": integer, "absent": integer,
                      "uncertain": integer})

    @section("terms",
             titles=("h_terms", "h_top_findings", "h_top_anatomy", "h_normal", "h_consistency"),
             needs=("terms",))
    def _terms(self) -> str:
        r = self.results
        normal = r.terms.normal_share
        consistency = r.terms.consistency[r.terms.consistency["concept"] == "all"]
        return "".join([
            heading(self.t("h_terms"), anchor="terms"),
            para(self.t("terms_text")),
            heading(self.t("h_top_findings"), 3),
            self._term_table(r.terms.top_findings),
            self._figure_html("fig_terms_findings", self.t("h_top_findings")),
            para(self.t("terms_figure_field"), "muted"),
            heading(self.t("h_top_anatomy"), 3),
            self._term_table(r.terms.top_anatomy),
            self._figure_html("fig_terms_anatomy", self.t("h_top_anatomy")),
            para(self.t("terms_figure_field"), "muted"),
            heading(self.t("h_normal"), 3),
            para(self.t("normal_text")),
            self._table(normal, {"split": self.t("split"), "reports": self.t("reports"), "normal": self.t("normal"),
                                "share": self.t("share")}, {"share": percent, "reports": integer, "normal": integer}),
            heading(self.t("h_consistency"), 3),
            para(self.t("consistency_text")),
            self._table(consistency, {"split": self.t("split"), "impression_reports": self.t("impression_reports"),
                                     "also_in_findings": self.t("also_in_findings"), "share": self.t("share")},
                       {"share": percent}),
        ])

    @section("cooccurrence",
             titles=("h_cooccurrence", "h_anatomy_finding"),
             needs=("terms.cooccurrence", "terms.anatomy_finding"))
    def _cooccurrence(self) -> str:
        r = self.results
        pairs = r.terms.cooccurrence.assign(a=r.terms.cooccurrence["concept_a"].map(self.term),
                                            b=r.terms.cooccurrence["concept_b"].map(self.term))
        af = r.terms.anatomy_finding.assign(anatomy_t=r.terms.anatomy_finding["anatomy"].map(self.term),
                                            finding_t=r.terms.anatomy_finding["finding"].map(self.term))
        return "".join([
            heading(self.t("h_cooccurrence"), anchor="cooccurrence"),
            para(self.t("cooccurrence_text")),
            self._table(pairs, {"a": self.t("finding"), "b": self.t("finding"), "reports": self.t("reports"),
                               "share": self.t("share"), "lift": "lift"},
                       {"share": percent, "lift": lambda v: number(v, 2)}, limit=15),
            self._figure_html("fig_cooccurrence", self.t("h_cooccurrence")),
            heading(self.t("h_anatomy_finding"), 3),
            self._table(af, {"anatomy_t": self.t("anatomy"), "finding_t": self.t("finding"),
                            "sentences": self.t("sentences"), "reports": self.t("reports")}, limit=15),
        ])

    @section("coverage", titles=("h_coverage", "h_gaps"), needs=("coverage",))
    def _coverage(self) -> str:
        c = self.results.coverage
        shares = c.table.assign(
            sentence_share=c.table["sentences_without_concept"] / c.table["sentences"].where(c.table["sentences"] > 0),
            report_share=c.table["reports_without_concept"] / c.table["reports"].where(c.table["reports"] > 0))
        gaps = c.gaps.assign(kind_t=c.gaps["kind"].map(lambda k: self.t(f"gap_{k}")),
                             concept_t=c.gaps["concept"].map(lambda v: self.term(v) if isinstance(v, str) else ""))
        return "".join([
            heading(self.t("h_coverage"), anchor="coverage"),
            para(self.t("coverage_text")),
            self._table(shares, {"split": self.t("split"), "field": self.t("field"), "sentences": self.t("sentences"),
                                "sentences_without_concept": self.t("sentences_without_concept"),
                                "sentence_share": self.t("share"), "reports": self.t("reports"),
                                "reports_without_concept": self.t("reports_without_concept"),
                                "report_share": self.t("share"), "fallback_mentions": self.t("fallback_mentions")},
                       {"sentence_share": percent, "report_share": percent}),
            heading(self.t("h_gaps"), 3),
            para(self.t("gaps_text")),
            self._table(gaps, {"kind_t": self.t("kind"), "text": self.t("gap_text"),
                               "concept_t": self.t("matched_concept"),
                               "reports": self.t("reports")}, limit=40),
        ])

    @section("demographics", titles=("h_demographics", "h_age", "h_sex", "h_prevalence"), needs=("demographics",))
    def _demographics(self) -> str:
        r = self.results.demographics
        age_cols = ["split", "n", "missing", "mean", "sd", "median", "q1", "q3", "min", "max"]
        fmt = {c: (lambda v: number(v, 1)) for c in ("mean", "sd", "median", "q1", "q3", "min", "max")}
        by_sex = r.age_by_sex
        prevalence = r.prevalence_sex[r.prevalence_sex["reports"] > 0]
        prevalence = prevalence.assign(term=prevalence["concept"].map(self.term))
        return "".join([
            heading(self.t("h_demographics"), anchor="demographics"),
            heading(self.t("h_age"), 3),
            self._table(r.age_summary, age_cols, fmt),
            self._table(r.age_published.assign(verdict=r.age_published["verdict_phrase"]),
                        {"split": self.t("split"), "n": "n", "mean": self.t("mean"), "published": self.t("published"),
                         "verdict": self.t("verdict")},
                        {"mean": lambda v: number(v, 1), "verdict": self._phrase, "published": self._published_age}),
            self._table(by_sex, [c for c in ["split", "sex", *age_cols[1:]] if c in by_sex.columns], fmt),
            self._implausible(),
            self._figure_html("fig_age_histogram", self.t("h_age")),
            self._figure_html("fig_age_sex", self.t("h_age")),
            heading(self.t("h_sex"), 3),
            self._table(r.sex_counts, {"split": self.t("split"), "sex": self.t("sex"), "count": self.t("reports"),
                               "share": self.t("share")}, {"share": percent}),
            self._figure_html("fig_sex_split", self.t("h_sex")),
            heading(self.t("h_prevalence"), 3),
            para(self.t("prevalence_text")),
            self._figure_html("fig_prevalence_age", self.t("h_prevalence")),
            self._table(prevalence.sort_values(["concept", "group"]),
                       {"term": self.t("finding"), "group": self.t("sex"), "reports": self.t("reports"),
                        "n_group": "n", "share": self.t("share")}, {"share": percent}, limit=30),
        ])

    def _published_age(self, _: Any) -> str:
        return self.t("about_range", low=f"{PUBLISHED_MEAN_AGE[0]:g}", high=f"{PUBLISHED_MEAN_AGE[1]:g}")

    def _implausible(self) -> str:
        bad = self.results.demographics.implausible_ages
        if bad.empty:
            return ""
        return para(self.t("implausible_text", n=len(bad)), "muted") + self._table(bad, limit=10)

    @section("balance", titles=("h_balance",), needs=("balance",))
    def _balance(self) -> str:
        b = self.results.balance
        return "".join([
            heading(self.t("h_balance"), anchor="balance"),
            para(self.t("balance_text")),
            self._table(b.assign(verdict=b["verdict_phrase"], variable=b["variable_phrase"]),
                        {"test": self.t("test"), "variable": self.t("variable"), "splits": self.t("splits"),
                         "statistic": self.t("statistic"), "p_value": "p", "verdict": self.t("verdict")},
                        {"statistic": lambda v: number(v, 3), "verdict": self._phrase, "variable": self._phrase,
                         "p_value": lambda v: "–" if v is None or pd.isna(v) else (f"{v:.3g}" if v >= 0.001
                                                                                   else "<0.001")},
                        limit=None),
        ])

    @section("quality",
             titles=("h_quality", "h_cleaning", "h_columns", "h_duplicates", "h_templates", "h_phi"),
             needs=("quality",))
    def _quality(self) -> str:
        r = self.results
        log = r.quality.log
        phi = r.quality.phi_matches[r.quality.phi_matches["rows"] > 0]
        return "".join([
            heading(self.t("h_quality"), anchor="quality"),
            heading(self.t("h_cleaning"), 3),
            para(self.t("cleaning_text") if len(log) else self.t("cleaning_none")),
            self._table(log.assign(detail=[self._check_meaning(c, col) for c, col in zip(log["check"], log["column"])]),
                        {"check": self.t("check"), "column": self.t("column"), "rows": self.t("rows"),
                         "examples": self.t("examples"), "detail": self.t("detail")},
                        {"examples": lambda v: str(v)[:300]}) if len(log) else "",  # already joined
            heading(self.t("h_columns"), 3),
            self._table(r.quality.column_checks, formats={"top_share": percent, "top_value": lambda v: str(v)[:60]}),
            heading(self.t("h_duplicates"), 3),
            self._table(r.quality.duplicate_rows, formats={"share": percent}),
            heading(self.t("h_templates"), 3),
            "".join(self._table(t, caption=self._word(f), formats={"share": percent})
                    for f, t in r.quality.top_templates.items()),
            heading(self.t("h_phi"), 3),
            para(self.t("phi_text") if phi.empty else self.t("phi_found", n=int(phi["rows"].sum()))),
            self._table(phi, {"kind": self.t("kind"), "column": self.t("column"), "rows": self.t("rows"),
                             "ids": self.t("row_ids")}, {"ids": lambda v: ", ".join(list(v)[:20])}) if len(phi) else "",
        ])

    def _check_meaning(self, check: str, column: str) -> str:
        """What a cleaning check means, in the card's language (stats.json keeps the English detail of each)."""
        if has_label(f"quality.{check}"):
            return self.t(f"quality.{check}", column=column)
        generic = check.removeprefix(f"{column}_")
        return self.t(f"quality.text_{generic}", column=column) if has_label(f"quality.text_{generic}") else check

    @section("leakage", titles=("h_leakage", "h_image_leakage"), needs=("quality.leakage", "quality.image_leakage"))
    def _leakage(self) -> str:
        r = self.results
        parts = [heading(self.t("h_leakage"), anchor="leakage"), para(self.t("leakage_text"))]
        parts.append(self._table(leakage_table(r.quality.leakage), formats={"share_a": percent, "share_b": percent}))
        if r.quality.image_leakage is not None:
            parts.append(heading(self.t("h_image_leakage"), 3))
            parts.append(self._table(leakage_table(r.quality.image_leakage)))
        return "".join(parts)

    @section("images", titles=("h_images",), needs=("images", "contact_sheet"))
    def _images(self) -> str:
        r = self.results
        parts = [heading(self.t("h_images"), anchor="images")]
        if r.images is None:
            return "".join(parts + [para(self.t("images_not_read"), "muted")])
        stats = r.images
        corrupt = stats.corrupt_ids
        parts.append(self._table(stats.summary))
        parts.append(self._table(stats.counts))
        if corrupt:
            parts.append(banner(self.t("corrupt_images", n=len(corrupt), ids=", ".join(corrupt[:20])), "bad"))
        parts.append(self._figure_html("fig_image_sizes", self.t("h_images")))
        parts.append(self._figure_html("fig_contact_sheet", self.t("h_images")))
        return "".join(parts)

    @section("figures", titles=("h_figures",))
    def _figures(self) -> str:
        stems = self.figures.stems
        items = "".join(tag("li", tag("code", esc(f"figures/{s}.{{pdf,svg,png}}"))) for s in stems)
        return heading(self.t("h_figures"), anchor="figures") + para(self.t("figures_text")) + tag("ul", items)

    @section("datasheet", titles=("h_datasheet",), needs=("frame", "synthetic", "demographics", "quality",
                                                          "metadata_checks"))
    def _datasheet(self) -> str:
        rows = datasheet(facts_from_results(self.results))
        parts = [heading(self.t("h_datasheet"), anchor="datasheet"), para(self.t("datasheet_text"))]
        for name in DATASHEET_SECTIONS:
            part = rows[rows["section"] == name]
            parts.append(heading(self.t(f"datasheet.{name}"), 3))
            parts.append(tag("dl", "".join(
                tag("dt", esc(self.t(rec.key))) + tag("dd", self._datasheet_answer(rec.answer_phrase or rec.answer,
                                                                                  rec.source))
                for rec in part.itertuples()), class_="kv"))
        return "".join(parts)

    def _datasheet_answer(self, answer: Any, source: Any) -> str:
        """An answer (ours worded in the card's language; the published card's own words quoted as they are) and
        its source, or an open question for the dataset's authors."""
        if answer is None or (not isinstance(answer, Phrase) and pd.isna(answer)):
            return tag("span", esc(self.t("datasheet_open")), class_="open-question")
        answer = self._phrase(answer)
        sources = " + ".join(self.t(f"datasheet_source.{s.replace(' ', '_')}") for s in str(source).split(" + "))
        return esc(answer) + " " + tag("span", esc(f"({sources})"), class_="muted")

    @section("citation", titles=("h_citation",))
    def _citation(self) -> str:
        return heading(self.t("h_citation"), anchor="citation") + para(self.t("citation_text")) + tag(
            "pre", esc(published.CITATION))

    @section("limitations", titles=("h_limitations",), needs=("synthetic",))
    def _limitations(self) -> str:
        items = [self.t("limit_lexicon"), self.t("limit_tokens"), self.t("limit_templates")]
        if self.results.synthetic:
            items.insert(0, self.t("synthetic_banner"))
        return heading(self.t("h_limitations"), anchor="limitations") + tag(
            "ul", "".join(tag("li", esc(i)) for i in items))
