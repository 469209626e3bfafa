"""Running the notebooks with papermill and converting the card to HTML with nbconvert, atomically."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from vixray_eda import __version__
from vixray_eda.errors import ParameterError, ReportError
from vixray_eda.files import write_text_atomic
from vixray_eda.plots.formats import as_formats
from vixray_eda.interrupt import sigterm_as_interrupt
from vixray_eda.labels import label
from vixray_eda.redact import redact
from vixray_eda.report.atomic import building
from vixray_eda.parameters import CARD, FIGURES
from vixray_eda.report.yaml_input import AliasRefused, load_yaml, yaml_problem
from vixray_eda.report.notebooks import CARD_NOTEBOOK, notebook_path, scrub, write_notebook

if TYPE_CHECKING:
    import nbformat

TEMPLATES = Path(__file__).resolve().parent / "templates"
EXECUTED_NAME = "dataset_card.ipynb"
#: What the card's kernel loads while it starts, before papermill sends the first cell: the modules of the card
#: notebook's first code cell and underthesea's sentence splitter and word segmenter (a card computed afresh loads
#: them first, before its workers fork). The kernel loads them on the second core while this process imports papermill
#: (1.3 s of 1.7 s). No more than fits in that time: the first cell waits for the rest, so preloading scipy.stats too
#: (0.6 s, needed only by a card computed afresh, which imports it while its figures are drawn) made a warm card 0.9 s
#: slower and a cold one no faster.
KERNEL_PRELOAD = "import vixray_eda.report.cached_card, vixray_eda.text.pipeline as p; p.words('Tim to.')"


def parse_parameter(text: str) -> tuple[str, Any]:
    """`key=value` from the command line; the value is read as YAML (numbers, booleans, lists), else kept as text."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip().isidentifier():
        raise ParameterError(f"parameter {text!r}: expected key=value with a Python name as key")
    try:
        value = load_yaml(raw)
    except AliasRefused as exc:
        raise ParameterError(f"parameter {key.strip()}: {yaml_problem(exc)}") from exc
    except yaml.YAMLError:
        value = raw
    if isinstance(value, (str, dict)) and not raw.strip().startswith(("'", '"', "{")):
        value = raw  # plain text stays whole: YAML would cut "Card #2" at the '#' or read "a: b" as a mapping
    return key.strip(), value


def read_parameter_file(path: Path) -> dict[str, Any]:
    """Parameters from a YAML file (a mapping of name → value)."""
    try:
        data = load_yaml(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: cannot read parameters ({yaml_problem(exc)})") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path}: cannot read parameters ({type(exc).__name__}: {exc})".splitlines()[0]) from exc
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: parameters file must be a mapping of name: value")
    return data


def execute(notebook: Path, output: Path, parameters: dict[str, Any], progress: bool = True,
            meanwhile: InBackground | None = None) -> nbformat.NotebookNode:
    """Execute a notebook with papermill; a failing cell raises ReportError naming the cell.

    The kernel is started first (`start_kernel`), so that it boots and imports `KERNEL_PRELOAD` while this process
    imports papermill and nbformat (about two seconds, mostly jsonschema's grammars); papermill then runs the cells
    on that kernel, which is shut down here whatever happens. The executed notebook is written once, at the end
    (papermill would save it before and after every cell, into a folder nobody sees before the run is done).
    `meanwhile` is started once those imports are done (imports in two threads at once could meet half-initialized
    modules), as the cells start to run."""
    try:
        km = start_kernel(output.parent)
    except Exception as exc:  # no kernel spec, or the kernel could not start
        raise _not_run(notebook, exc) from exc
    try:
        import nbformat
        import papermill as pm
        from papermill.exceptions import PapermillExecutionError

        if meanwhile is not None:
            meanwhile.start()
        try:
            pm.execute_notebook(str(notebook), str(output), parameters=parameters, progress_bar=progress,
                                cwd=str(output.parent), kernel_name="python3", log_output=False, km=km,
                                request_save_on_cell_execute=False)
        except PapermillExecutionError as exc:
            raise ReportError(f"{notebook.name}: cell {exc.exec_count or exc.cell_index} failed with {exc.ename}: "
                              f"{str(exc.evalue).splitlines()[0] if exc.evalue else ''}; the previous report was kept"
                              ) from exc
        except Exception as exc:  # the kernel died or timed out
            raise _not_run(notebook, exc) from exc
    finally:
        stop_kernel(km)
    nb = nbformat.read(str(output), as_version=4)
    return scrub(nb, parameters)


def _not_run(notebook: Path, exc: Exception) -> ReportError:
    """The one-line error of a notebook that could not be run."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return ReportError(f"{notebook.name}: the notebook could not be run ({type(exc).__name__}: {first}); "
                       f"the previous report was kept")


def start_kernel(cwd: Path) -> Any:
    """A started python3 kernel in `cwd` whose process writes nothing to the terminal (its own log lines and
    tracebacks, e.g. on shutdown after Ctrl-C, would reach the CLI user; cell outputs still reach the notebook),
    with an in-memory history as nbclient gives its own kernels, importing `KERNEL_PRELOAD` as it starts."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            await super()._async_launch_kernel(kernel_cmd, **kw)

    km = QuietKernelManager(kernel_name="python3")
    run_sync(km.start_kernel)(cwd=str(cwd), extra_arguments=["--HistoryManager.hist_file=:memory:",
                                                              f"--IPKernelApp.exec_lines={KERNEL_PRELOAD}"])
    return km


def stop_kernel(km: Any) -> None:
    """Stop the kernel of `start_kernel` at once and close its channels, whether or not it is still alive. After a
    run nothing is lost: every cell has replied (its files written, its outputs sent); a graceful shutdown would only
    add the kernel's own clean-up, most of a second. After a failure or an interruption it must stop anyway."""
    from jupyter_core.utils import run_sync

    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
    finally:
        run_sync(km.cleanup_resources)()


def card_exporter() -> Any:
    """The nbconvert exporter of the card's page: outputs only, images inline, cells tagged notebook-only left out."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = {"notebook-only"}
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=config, template_name="card", extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def ready_card_exporter() -> Any:
    """`card_exporter()` with its templates loaded and compiled (by exporting an empty notebook): made in the
    background while the cells run, it leaves only the card's own conversion for after them."""
    import nbformat

    exporter = card_exporter()
    exporter.from_notebook_node(nbformat.v4.new_notebook(), resources={"metadata": {"name": "dataset card"}})
    return exporter


class InBackground:
    """`make()` run in a daemon thread once `start()` is called (e.g. importing nbconvert for the page while the
    main thread waits for the kernel); `result()` waits for it, runs it here if it was never started, and raises
    what it raised."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._made: list[Any] = []
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="vixray-eda-background", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._made.append((True, self._make()))
        except BaseException as exc:  # handed to the caller of result()
            self._made.append((False, exc))

    def result(self) -> Any:
        self.start()
        assert self._thread is not None
        self._thread.join()
        ok, made = self._made[0]
        if not ok:
            raise made
        return made


def to_html(nb: nbformat.NotebookNode, exporter: Any = None) -> str:
    """The executed card as one self-contained HTML page: outputs only, images inline, nothing fetched
    (`exporter`: a `card_exporter()` made beforehand, else one is made here)."""
    exporter = exporter if exporter is not None else card_exporter()
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": "dataset card"}})
    return body


def _stringify(parameters: Mapping[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Path) else v for k, v in parameters.items()}


def build_report(data: str | Path, out: Path, parameters: Mapping[str, Any] | None = None, force: bool = False,
                 progress: bool = True) -> Path:
    """Run the dataset card for one source into `out`: index.html, README.md, stats.json, figures/, the notebook."""
    notebook = notebook_path(CARD_NOTEBOOK)
    params = CARD.check({**(parameters or {}), "data": _absolute(data), "link_figures": True})
    out = Path(out)
    check_not_over_input(params["data"], out)
    with sigterm_as_interrupt(), building(out, force, info={"version": __version__, "kind": "report"}) as tmp:
        params = _stringify({**params, "output_dir": str(tmp)})
        exporter = InBackground(ready_card_exporter)  # made while the kernel runs the cells
        nb = execute(notebook, tmp / EXECUTED_NAME, params, progress, meanwhile=exporter)
        public = {**params, "output_dir": ".", "data": redact(params["data"])}  # outputs beside the notebook
        nb = scrub(nb, public)
        nb.metadata["vixray_eda"] = page_metadata(params)
        write_notebook(nb, tmp / EXECUTED_NAME)
        write_text_atomic(tmp / "index.html", to_html(nb, exporter.result()))
    return out


def page_metadata(params: Mapping[str, Any]) -> dict[str, Any]:
    """Title and language of the HTML page: the given parameters, else their declared defaults (an empty title is
    the card's title in its language, as the card's heading says)."""
    meta = {key: params.get(key, CARD[key].default) for key in ("title", "lang")}
    return {**meta, "title": meta["title"] or label("card_title", meta["lang"])}


#: Figure parameters that have their own command-line flags (--data, --out, --formats).
_FIGURE_FLAGS = ("data", "output_dir", "formats")


def build_figures(data: str | Path, out: Path, formats: Sequence[str] = ("pdf", "svg", "png"),
                  parameters: Mapping[str, Any] | None = None, force: bool = False) -> list[Path]:
    """Write exactly the paper's figure files into `out`, atomically as `build_report` does: a folder of ours is
    replaced whole; a folder holding other files is refused, or with `force` written into (theirs kept)."""
    from vixray_eda.report.outputs import write_paper_figures

    flags = sorted(set(parameters or {}) & set(_FIGURE_FLAGS))
    if flags:
        raise ParameterError(f"{FIGURES.notebook}: parameter(s) {', '.join(flags)} given with -p; data, output_dir "
                             "and formats are --data, --out and --formats")
    params = FIGURES.check(parameters or {})
    out = Path(out)
    check_not_over_input(_absolute(data), out)
    with sigterm_as_interrupt(), building(out, force, info={"version": __version__, "kind": "figures"},
                                          what="figures") as tmp:
        written = write_paper_figures(_absolute(data), tmp, formats=as_formats(formats), **params)
    return [out / path.relative_to(tmp) for path in written]


def check_not_over_input(data: str, out: Path) -> None:
    """Refuse an output folder that is the input, or holds it: replacing it would delete the data.

    An output folder inside the input folder is fine (sources are never read recursively)."""
    if data == "sample" or "://" in data:
        return
    source, target = Path(data).resolve(), Path(out).expanduser().resolve()
    if source == target or target in source.parents:
        raise ParameterError(f"--out {out}: the output folder would contain the input data {data}; "
                             f"choose a folder outside it")


def _absolute(data: str | Path) -> str:
    text = str(data)
    if text == "sample" or "://" in text:
        return text
    return str(Path(text).expanduser().absolute())


def read_batch(path: Path) -> list[dict[str, Any]]:
    """A batch file: a YAML list of {name, data, parameters}, or a mapping whose key `reports` holds that list.
    Names become folder names: unique, no path separators, not hidden."""
    try:
        entries = load_yaml(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: cannot read the batch file ({yaml_problem(exc)})") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path}: cannot read the batch file ({type(exc).__name__}: {exc})".splitlines()[0]) from exc
    items = entries.get("reports") if isinstance(entries, dict) else entries
    if not isinstance(items, list) or not items:
        raise ParameterError(f"{path}: batch file needs a non-empty list of reports (or one under 'reports')")
    batch: list[dict[str, Any]] = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict) or "name" not in item or "data" not in item:
            raise ParameterError(f"{path}: entry {i} needs 'name' and 'data'")
        name = str(item["name"])
        if not name or any(sep in name for sep in "/\\") or name.startswith(".") or not name.isprintable():
            raise ParameterError(f"{path}: entry {i} has an invalid name {name!r}")
        if any(entry["name"] == name for entry in batch):
            raise ParameterError(f"{path}: entry {i} repeats the name {name!r}")
        given = item.get("parameters") or {}
        if not isinstance(given, dict):
            raise ParameterError(f"{path}: entry {i} ({name}): parameters must be a mapping of name: value")
        try:
            checked = CARD.check(given)
        except ParameterError as exc:
            raise ParameterError(f"{path}: entry {i} ({name}): {exc}") from exc
        batch.append({"name": name, "data": str(item["data"]), "parameters": checked})
    return batch


def build_batch(batch: list[dict[str, Any]], out: Path, force: bool = False, progress: bool = True) -> Path:
    """Build several reports into `out/NAME/` plus `out/index.html` linking them (atomic as a whole)."""
    from vixray_eda.report.index_page import render_index

    for entry in batch:
        check_not_over_input(_absolute(entry["data"]), Path(out))
    with building(Path(out), force, info={"version": __version__, "kind": "batch"}) as tmp:
        summaries = []
        for entry in batch:
            build_report(entry["data"], tmp / entry["name"], entry["parameters"], progress=progress)
            stats = json.loads((tmp / entry["name"] / "stats.json").read_text(encoding="utf-8"))
            summaries.append({"name": entry["name"], "data": redact(entry["data"]), "stats": stats})
        write_text_atomic(tmp / "index.html", render_index(summaries))
    return Path(out)


def progress_enabled() -> bool:
    return sys.stderr.isatty()
