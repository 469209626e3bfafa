"""The HTML card from a card notebook executed elsewhere (papermill directly, JupyterLab): `render_notebook`.

`vixray-eda report` runs the notebook and renders it in one go; users who run `papermill dataset_card.ipynb out.ipynb
-p ...` themselves get the same page, template and guarantees from `vixray-eda render out.ipynb --out DIR`: the folder
is built atomically, the page is byte-identical to what `report` writes for the same parameters (`report` sets
`link_figures`, as its page sits beside `figures/`; without it figures are inline only), and a notebook with a failed
or unexecuted cell is refused rather than rendered half-empty.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat

from vixray_eda import __version__
from vixray_eda.errors import ParameterError
from vixray_eda.files import write_text_atomic
from vixray_eda.interrupt import sigterm_as_interrupt
from vixray_eda.parameters import CARD
from vixray_eda.redact import redact
from vixray_eda.report.atomic import building
from vixray_eda.report.notebooks import scrub
from vixray_eda.report.run import EXECUTED_NAME, page_metadata, to_html

__all__ = ["read_executed_card", "render_notebook"]


def read_executed_card(path: str | Path) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
    """The executed card notebook at `path` and the parameters it ran with; one-line errors for anything else."""
    path = Path(path)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except FileNotFoundError:
        raise ParameterError(f"{path}: no such notebook") from None
    except Exception as exc:  # not JSON, not a notebook, not UTF-8
        raise ParameterError(f"{path}: not a Jupyter notebook ({type(exc).__name__})") from None
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not any("parameters" in c.metadata.get("tags", []) for c in code):
        raise ParameterError(f"{path}: not a vixray-eda card notebook (no cell tagged 'parameters')")
    for index, cell in enumerate(nb.cells):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            raise ParameterError(f"{path}: cell {index} failed with {errors[0].get('ename', 'an error')}; "
                                 f"fix it and run the notebook again")
    if not any(c.get("outputs") for c in code):
        raise ParameterError(f"{path}: the notebook has not been executed (no outputs); run it with papermill first")
    given = dict(nb.metadata.get("papermill", {}).get("parameters", {}))
    return nb, {k: v for k, v in given.items() if k in CARD}


def render_notebook(notebook: str | Path, out: str | Path, force: bool = False) -> Path:
    """Write `out/index.html` (the card) and `out/dataset_card.ipynb` (the notebook, scrubbed) from an executed card
    notebook. The notebook's own outputs (stats.json, README.md, figures/) stay where its `output_dir` put them."""
    nb, params = read_executed_card(notebook)
    out = Path(out)
    public = {**params, **({"output_dir": "."} if "output_dir" in params else {}),
              **({"data": redact(str(params["data"]))} if "data" in params else {})}
    with sigterm_as_interrupt(), building(out, force, info={"version": __version__, "kind": "render"}) as tmp:
        nb = scrub(nb, public)
        nb.metadata["vixray_eda"] = page_metadata(params)
        nbformat.write(nb, str(tmp / EXECUTED_NAME))
        write_text_atomic(tmp / "index.html", to_html(nb))
    return out
