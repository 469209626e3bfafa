"""The package's parameterized notebooks: where they live, and deterministic executed copies."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: nbformat (and its schema checker) loads when a notebook is read or run
    import nbformat

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
CARD_NOTEBOOK = "dataset_card.ipynb"
_VOLATILE_CELL_KEYS = ("execution", "papermill", "collapsed", "scrolled")


def notebook_path(name: str) -> Path:
    """Path of one of the shipped notebooks."""
    return NOTEBOOK_DIR / name


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write `nb` to `path` (nbformat, slow to import, loads only when a notebook is written)."""
    import nbformat

    nbformat.write(nb, str(path))


def _parameters_source(parameters: dict[str, Any]) -> str:
    """The injected-parameters cell as papermill writes it, for the given (public) parameters."""
    from papermill.translators import translate_parameters

    return translate_parameters("python", "python", parameters, "Parameters")


def scrub(nb: nbformat.NotebookNode, parameters: dict[str, Any] | None = None) -> nbformat.NotebookNode:
    """Remove everything that changes from run to run (timestamps, durations, temp paths, random cell ids)."""
    nb.metadata.pop("papermill", None)
    if parameters is not None:
        nb.metadata["vixray_eda_parameters"] = {k: parameters[k] for k in sorted(parameters)}
    for index, cell in enumerate(nb.cells):
        if parameters is not None and "injected-parameters" in cell.metadata.get("tags", []):
            cell["source"] = _parameters_source(parameters)
        cell["id"] = f"cell-{index:03d}"
        for key in _VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell["execution_count"] = None
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = None
                output.get("metadata", {}).pop("execution", None)
    return nb
