"""The built wheel is complete: installed into a fresh virtual environment (not editable), it makes a card when
run from a folder outside the repository."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", ".cache", "build", "dist", "reports", "*.egg-info",
                                     "__pycache__", ".pytest_cache", ".hypothesis", "card_output", "figures")


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    # The dependencies' data files (nbconvert's base templates) are those of the test environment too.
    env = {**os.environ, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done


def test_wheel_in_a_fresh_venv_builds_a_card_outside_the_repo(tmp_path):
    source = shutil.copytree(REPO, tmp_path / "source", ignore=_NOT_SOURCE)
    # Offline: the build backend and the dependencies are the ones of the test environment.
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", source,
         "-w", tmp_path / "dist", cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("vixray_eda-*.whl"))
    venv = tmp_path / "fresh venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                        cwd=tmp_path).stdout.strip())
    # Dependencies come from the test environment's site-packages, added as a plain path: its .pth files (the
    # editable install's finder among them) are not processed, so vixray_eda can only come from the wheel.
    (purelib / "test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel,
         cwd=tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    where = _run(python, "-c", "import vixray_eda; print(vixray_eda.__file__)", cwd=outside).stdout.strip()
    assert Path(where).is_relative_to(venv), where
    _run(venv / "bin" / "vixray-eda", "report", "--data", "sample", "--out", "card", "-p", "formats=png",
         cwd=outside)
    html = (outside / "card" / "index.html").read_text(encoding="utf-8")
    assert "ViX-Ray dataset card" in html and (outside / "card" / "figures" / "fig_lengths.png").is_file()
