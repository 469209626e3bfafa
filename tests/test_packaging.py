"""Packaging facts the README promises: same dependencies in conda and pip, CLI entry points, CI command."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from conftest import REPO


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = set(project["dependencies"]) | set(extras["hub"]) | set(extras["benchmark"]) | set(extras["dask"])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {r for r in pip_section if not r.startswith("-e")}
    assert {_name(r): r.replace(" ", "") for r in listed} == {_name(r): r.replace(" ", "") for r in wanted}
    assert "python=3.11" in env["dependencies"]


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in readme and "make report" in readme
    assert ci.strip().splitlines()[-1] == "exec make test"


def test_module_and_console_script_answer_help():
    out = subprocess.run([sys.executable, "-m", "vixray_eda", "--help"], capture_output=True, text=True, check=True)
    for command in ("sample", "report", "stats", "figures", "validate", "score", "sample-predictions"):
        assert command in out.stdout


def test_cli_bad_input_is_one_line_and_non_zero(tmp_path):
    out = subprocess.run([sys.executable, "-m", "vixray_eda", "summary", "--data", str(tmp_path / "missing")],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "no such file or folder" in out.stderr
