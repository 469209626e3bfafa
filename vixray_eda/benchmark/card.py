"""The benchmark card: `BenchmarkCard(benchmark).show("leaderboard")` in a notebook, `.page()` for index.html
(`outputs.write_files` writes it with stats.json and the figures).

Sections are HTML from the package's escaping builders; figures are inline PNGs drawn once and reused for the
paper figure files. The page shell is the dataset card's: its stylesheet inline and a Content-Security-Policy that
allows nothing from the network.
"""
from __future__ import annotations

import io

import pandas as pd
from matplotlib.figure import Figure

from vixray_eda import __version__
from vixray_eda.benchmark.bootstrap import HEADLINES, LEVEL
from vixray_eda.benchmark.clinical import EVENTS
from vixray_eda.benchmark.examples import shown_pair, worst_reports
from vixray_eda.benchmark.figures import (EVENT_NAMES, METRIC_NAMES, plot_concept_errors, plot_concept_f1,
                                          plot_leaderboard)
from vixray_eda.benchmark.score import Benchmark
from vixray_eda.benchmark.stats_json import TOKENIZATION
from vixray_eda.benchmark.text_metrics import ROUGE_TYPES, UNITS
from vixray_eda.errors import ParameterError
from vixray_eda.plots.save import METADATA
from vixray_eda.plots.style import concept_label, paper_style
from vixray_eda.report.html import (banner, definition_list, esc, heading, image, integer, number, para, percent,
                                    scoped, stylesheet, table, tag)

__all__ = ["SECTIONS", "FIGURES", "BenchmarkCard", "page_html"]

SECTIONS = ("header", "leaderboard", "coverage", "text_metrics", "clinical", "errors", "differences", "examples",
            "extractor", "figures", "limitations")
FIGURES = ("fig_bench_leaderboard", "fig_bench_concept_f1", "fig_bench_errors")
CARD_DPI = 110
EXAMPLES_PER_MODEL = 5
_TITLES = {"leaderboard": "Leaderboard", "coverage": "References and predictions", "text_metrics": "Text overlap",
           "clinical": "Clinical efficacy", "errors": "Hallucinations, omissions and negation flips by finding",
           "differences": "Differences between models", "examples": "Worst examples",
           "extractor": "The extractor's own accuracy", "figures": "Paper figures", "limitations": "Limitations"}
_POLICY = {"positive": "counted as positive (present)", "negative": "counted as negative (not present)",
           "exclude": "excluded (the report–finding pair is left out of the F1 counts)"}
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="vixray-eda">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>{title}</title>
<style>
{css}
</style>
</head>
<body>
<main class="card">
{body}
</main>
</body>
</html>
"""


def page_html(title: str, body: str) -> str:
    """A complete offline page around `body` (already HTML) with the dataset card's stylesheet."""
    css = stylesheet("page.css") + stylesheet("card.css")
    return _PAGE.format(title=esc(title), css=css.strip(), body=scoped(body))


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    with paper_style():
        fig.savefig(buffer, format="png", dpi=CARD_DPI, metadata=METADATA["png"])
    return buffer.getvalue()


def _interval(value: float, low: float, high: float) -> str:
    if pd.isna(value):
        return "–"
    return f"{number(value, 3)} [{number(low, 3)}, {number(high, 3)}]"


class BenchmarkCard:
    """The benchmark card of one `Benchmark`. `show(section)` displays a section; `page()` is the whole page."""

    def __init__(self, benchmark: Benchmark, title: str = "ViX-Ray report-generation benchmark") -> None:
        self.b = benchmark
        self.title = title
        self._cache: dict[str, Figure] = {}

    def term(self, concept: str) -> str:
        return concept_label(concept, self.b.labels, "both")

    def figure(self, stem: str) -> Figure:
        """One of `FIGURES`, drawn once."""
        if stem not in self._cache:
            b, f = self.b, self.b.headline_field
            builders = {
                "fig_bench_leaderboard": lambda: plot_leaderboard(b.metrics, b.models, f),
                "fig_bench_concept_f1": lambda: plot_concept_f1(b.concepts, b.models, f, b.labels),
                "fig_bench_errors": lambda: plot_concept_errors(b.concepts, b.models, f, b.labels),
            }
            self._cache[stem] = builders[stem]()
        return self._cache[stem]

    def figures(self) -> dict[str, Figure]:
        return {stem: self.figure(stem) for stem in FIGURES}

    def _figure_html(self, stem: str, alt: str) -> str:
        return image(_png(self.figure(stem)), alt)

    def html(self, section: str) -> str:
        if section not in SECTIONS:
            raise ParameterError(f"unknown benchmark section {section!r}; sections: {', '.join(SECTIONS)}")
        return getattr(self, f"_{section}")()

    def show(self, section: str) -> None:
        from IPython.display import HTML, display

        display(HTML(self.html(section)))

    def page(self) -> str:
        return page_html(self.title, "".join(self.html(s) for s in SECTIONS))

    # -- sections -------------------------------------------------------------------------------------------
    def _header(self) -> str:
        b = self.b
        parts = [tag("h1", esc(self.title))]
        if b.synthetic:
            parts.append(banner("SYNTHETIC DATA: the references are the package's synthetic sample, not real "
                                "reports; every number here only demonstrates the benchmark.", "warn"))
        missing = b.coverage[b.coverage["missing"] > 0]
        for row in missing.itertuples():
            parts.append(banner(f"{row.model}: {row.missing:,} of {row.references:,} references have no prediction; "
                                f"they are scored as empty generated reports.", "bad"))
        p = b.parameters
        parts.append(definition_list({
            "references": f"{b.source} (split: {p.get('split') or 'all'})",
            "models": ", ".join(b.models),
            "headline field": f"{b.headline_field} ({b.reports_scored():,} scored reports)",
            "fields scored": ", ".join(b.fields),
            "uncertain findings": _POLICY[p["uncertain"]],
            "intervals": f"{int(LEVEL * 100)}% paired bootstrap, {p['resamples']:,} resamples, seed {p['seed']}",
            "generated by": f"vixray-eda {__version__}",
        }))
        toc = "".join(tag("li", tag("a", esc(_TITLES[s]), href=f"#{s}")) for s in SECTIONS[1:])
        parts.append(tag("nav", tag("ol", toc), class_="toc"))
        return "".join(parts)

    def _leaderboard(self) -> str:
        board = self.b.leaderboard()
        shown = pd.DataFrame({"model": board["model"], "reports": board["reports"]})
        for metric in HEADLINES:
            shown[METRIC_NAMES[metric]] = [_interval(v, lo, hi) for v, (lo, hi) in
                                           zip(board[metric], board[f"{metric}_ci"])]
        return "".join([
            heading(_TITLES["leaderboard"], anchor="leaderboard"),
            para(f"Headline metrics on {self.b.headline_field}, best clinical F1 first, each with its "
                 f"{int(LEVEL * 100)}% interval. ROUGE-1 counts shared syllables, so a report that copies the "
                 f"template scores well even when it says 'không thấy tràn dịch' where the reference says "
                 f"'tràn dịch màng phổi'; clinical F1 and the error rates read the findings themselves, with "
                 f"their negation. Rates are shares of scored reference reports with at least one such event."),
            table(shown, numeric=[c for c in shown.columns if c != "model"], formats={"reports": integer}),
            self._figure_html("fig_bench_leaderboard", _TITLES["leaderboard"]),
        ])

    def _coverage(self) -> str:
        b = self.b
        cov = b.coverage
        return "".join([
            heading(_TITLES["coverage"], anchor="coverage"),
            para(f"Predictions are matched to references by {b.parameters['key']!r}. A reference without a "
                 f"prediction is scored as an empty report (it omits every finding); a prediction whose key is "
                 f"not among the references is counted and not scored."),
            table(cov, {"model": "model", "references": "references", "predictions": "predictions",
                        "matched": "matched", "missing": "missing", "extra": "extra",
                        "missing_ids": "missing (first 20)", "extra_ids": "extra (first 20)"},
                  {"missing_ids": lambda v: ", ".join(v) or "–", "extra_ids": lambda v: ", ".join(v) or "–"}),
            para("References with an empty text are excluded from that field's scores:"),
            table(b.scored, {"field": "field", "references": "references", "scored": "scored",
                             "empty": "empty (excluded)"}),
            para("What loading the references cleaned (see the dataset card for details):" if len(b.quality)
                 else "Loading the references changed nothing."),
            table(b.quality, {"check": "check", "column": "column", "rows": "rows", "detail": "detail"})
            if len(b.quality) else "",
        ])

    def _text_metrics(self) -> str:
        b = self.b
        rows = []
        for (model, field), part in b.metrics.groupby(["model", "field"], sort=False):
            values = part.set_index("metric")
            row = {"model": model, "field": field}
            for unit in UNITS:
                for r in ROUGE_TYPES:
                    key = f"{r}_{unit}"
                    row[f"{r.replace('rouge', 'ROUGE-')} {unit}"] = _interval(*values.loc[key, ["value", "low", "high"]])
            rows.append(row)
        rouge = pd.DataFrame(rows)
        return "".join([
            heading(_TITLES["text_metrics"], anchor="text_metrics"),
            para("ROUGE F-measure per report (rouge-score, no stemmer), averaged over scored reports (ROUGE-2 of a "
                 "one-word report is 0, rouge-score's convention); BLEU-1..4 at corpus level (sacrebleu, "
                 "tokenize='none', no interval). Both read the package's own tokens:"),
            definition_list(TOKENIZATION),
            table(rouge, numeric=[c for c in rouge.columns if c not in ("model", "field")]),
            table(b.bleu, {"model": "model", "field": "field", "unit": "unit", "bleu1": "BLEU-1", "bleu2": "BLEU-2",
                           "bleu3": "BLEU-3", "bleu4": "BLEU-4"},
                  {f"bleu{n}": (lambda v: number(v, 3)) for n in range(1, 5)}),
        ])

    def _clinical(self) -> str:
        b = self.b
        names = ["ce_micro_f1", "ce_macro_f1", "hallucination_rate", "omission_rate", "negation_flip_rate",
                 "anatomy_mismatch_rate"]
        rows = []
        for (model, field), part in b.metrics.groupby(["model", "field"], sort=False):
            values = part.set_index("metric")
            rows.append({"model": model, "field": field, **{METRIC_NAMES[n]: _interval(
                *values.loc[n, ["value", "low", "high"]]) for n in names}})
        head = b.concepts[(b.concepts["field"] == b.headline_field) & (b.concepts["support"] > 0)]
        head = head.assign(term=head["concept"].map(self.term))
        return "".join([
            heading(_TITLES["clinical"], anchor="clinical"),
            para("The package's negation-aware extractor labels every finding of the reference and of the generated "
                 "report as present, uncertain, absent or not mentioned. Label F1 counts present findings "
                 f"(micro: pooled over findings; macro: mean over findings with a positive on either side); "
                 f"uncertain findings are {_POLICY[b.parameters['uncertain']]}. Events do not depend on that choice: "
                 "a hallucination is present in the generated report and not mentioned in the reference, an "
                 "omission the reverse, a negation flip present on one side and absent on the other (counted only "
                 "as a flip), an anatomy mismatch a finding present on both sides with different anatomy named in "
                 "its sentences."),
            table(pd.DataFrame(rows)),
            self._figure_html("fig_bench_concept_f1", "per-finding F1"),
            heading(f"Per finding ({b.headline_field})", 3),
            table(head, {"model": "model", "term": "finding", "support": "reference positives", "tp": "TP",
                         "fp": "FP", "fn": "FN", "precision": "precision", "recall": "recall", "f1": "F1"},
                  {c: (lambda v: number(v, 3)) for c in ("precision", "recall", "f1")}),
        ])

    def _errors(self) -> str:
        b = self.b
        part = b.concepts[(b.concepts["field"] == b.headline_field) & (b.concepts[list(EVENTS)].sum(axis=1) > 0)]
        part = part.assign(term=part["concept"].map(self.term))
        return "".join([
            heading(_TITLES["errors"], anchor="errors"),
            para(f"Reports ({b.headline_field}) with each kind of error, per finding."),
            self._figure_html("fig_bench_errors", _TITLES["errors"]),
            table(part, {"model": "model", "term": "finding", **{e: EVENT_NAMES[e] for e in EVENTS}}),
        ])

    def _differences(self) -> str:
        b = self.b
        d = b.differences[(b.differences["field"] == b.headline_field) & b.differences["metric"].isin(HEADLINES)]
        if d.empty:
            return heading(_TITLES["differences"], anchor="differences") + para("One model: nothing to compare.",
                                                                                "muted")
        shown = d.assign(metric=d["metric"].map(METRIC_NAMES),
                         interval=[f"[{number(lo, 3)}, {number(hi, 3)}]" for lo, hi in zip(d["low"], d["high"])],
                         verdict=["differs" if (lo > 0 or hi < 0) else "not distinguishable"
                                  for lo, hi in zip(d["low"], d["high"])])
        return "".join([
            heading(_TITLES["differences"], anchor="differences"),
            para(f"Model A minus model B on the same resampled reports ({b.headline_field}); an interval that "
                 f"excludes 0 means the difference is unlikely to be resampling noise."),
            table(shown, {"metric": "metric", "model_a": "model A", "model_b": "model B", "difference": "A − B",
                          "interval": f"{int(LEVEL * 100)}% interval", "verdict": "verdict"},
                  {"difference": lambda v: number(v, 3)}),
        ])

    def _examples(self) -> str:
        b = self.b
        parts = [heading(_TITLES["examples"], anchor="examples"),
                 para(f"Per model, the {EXAMPLES_PER_MODEL} {b.headline_field} reports with the most clinical "
                      f"errors; words that differ are highlighted. Texts with a possible residual-PHI pattern "
                      f"(dates, phone numbers, ids, names after a title) are withheld.")]
        pairs = b.pairs[b.pairs["field"] == b.headline_field]
        withheld = 0
        for model in b.models:
            worst = worst_reports(b.reports, model, b.headline_field, EXAMPLES_PER_MODEL)
            parts.append(heading(model, 3))
            if worst.empty:
                parts.append(para("No report with a clinical error.", "muted"))
                continue
            rows = []
            for rec in worst.itertuples():
                ref_html, pred_html, kinds = shown_pair(rec.reference, rec.prediction)
                withheld += bool(kinds)
                mine = pairs[(pairs["model"] == model) & (pairs["id"] == rec.id)]
                events = [f"{EVENT_NAMES[e]}: {self.term(c)}" for e in EVENTS for c in mine.loc[mine[e], "concept"]]
                rows.append(tag("tr", tag("td", esc(rec.id)) + tag("td", esc("; ".join(events)))
                                + tag("td", ref_html) + tag("td", pred_html)
                                + tag("td", esc(number(rec.rouge1_syllables, 3)), class_="num")))
            head = "".join(tag("th", esc(h)) for h in ("id", "errors", "reference", "generated", "ROUGE-1"))
            parts.append(tag("table", tag("thead", tag("tr", head)) + tag("tbody", "".join(rows))))
        if withheld:
            parts.append(para(f"{withheld} example(s) withheld by the PHI scan.", "muted"))
        return "".join(parts)

    def _extractor(self) -> str:
        e = self.b.extractor
        return "".join([
            heading(_TITLES["extractor"], anchor="extractor"),
            para(f"Clinical metrics are only as good as the extractor. Measured in this run on {e['sentences']} "
                 f"labelled check sentences shipped with the package ({e['labels']} finding labels):"),
            definition_list({
                "finding detection precision": percent(e["precision"]),
                "finding detection recall": percent(e["recall"]),
                "finding detection F1": percent(e["f1"]),
                "assertion accuracy (present / absent / uncertain) on detected findings": percent(e["assertion_accuracy"]),
                "sentences labelled exactly right": percent(e["exact_sentences"]),
            }),
            tag("ul", "".join(tag("li", esc(c)) for c in (
                "The check sentences were written by the developers following the project's labelling conventions; "
                "they are not real reports, so accuracy on real reports is likely lower.",
                "Findings outside the lexicon are invisible: a model that writes them is neither rewarded nor "
                "penalized.",
                "An extractor error on a wording shared by reference and prediction cancels out; one on a wording "
                "only the model uses shows up as a hallucination, an omission or a flip.",
                "Negation and hedging are rule-based (cue lists and scope rules); unusual scopes can be misread.",
            ))),
        ])

    def _figures(self) -> str:
        items = "".join(tag("li", tag("code", esc(f"figures/{s}.{{pdf,svg,png}}"))) for s in FIGURES)
        return (heading(_TITLES["figures"], anchor="figures") + para("Paper figures (paper style) written beside "
                "this page:") + tag("ul", items))

    def _limitations(self) -> str:
        items = ["ROUGE and BLEU measure wording, not correctness; read them beside the clinical metrics.",
                 "A reference without a prediction counts as an empty report; check the coverage table.",
                 "Per-finding F1 of rare findings rests on few reports; see the reference positives column."]
        if self.b.synthetic:
            items.insert(0, "Built from the synthetic sample: the numbers demonstrate the benchmark, nothing more.")
        return heading(_TITLES["limitations"], anchor="limitations") + tag(
            "ul", "".join(tag("li", esc(i)) for i in items))
