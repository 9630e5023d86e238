"""A built wheel is self-contained: installed (non-editable) into a fresh virtual environment and
run from another folder, ``claimtrack`` reads its bundled sample, rules, SQL and assets.

No network: the wheel is built without build isolation (setuptools and wheel come with the
test extra) from a copy of the checkout (so nothing is built into the checkout, and a stale
``build/`` cannot leak into the wheel), installed with ``--no-deps``, and the fresh environment reaches this one's
dependencies through a ``.pth`` line (a path, not a site dir: this environment's editable
install of the checkout is not loaded there). Each command runs with ``cwd`` outside the
checkout and without ``PYTHONPATH``, and checks that ``claimtrack`` came from the fresh
environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``args``; fail with its output unless it exits 0."""
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the wheel installed; returns its bin folder and the environment to run in."""
    where = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CLAIMTRACK_DB", "PYTHONHOME")}
    source = where / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "build",
            "*.egg-info",
            "test-artifacts",
            ".hypothesis",
            ".pytest_cache",
            "__pycache__",
            "*.duckdb",
            "*.duckdb.wal",
            "claimtrack.html",
        ),
    )
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(where / "dist"),
            str(source),
        ],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    wheel = next((where / "dist").glob("claimtrack-*.whl"))
    venv = where / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], where, env)
    python = venv / "bin" / "python"
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], where, env)
    Path(site.stdout.strip(), "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], where, env)
    return venv / "bin", env


def test_the_wheel_holds_the_package_not_the_checkout(installed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    bin_dir, env = installed
    code = (
        "import claimtrack, claimtrack.transforms.warehouse as w, claimtrack.transforms.rules as r\n"
        "print(claimtrack.__file__); print(w.SQL_DIR); print(r.DATA_DIR)"
    )
    paths = run([str(bin_dir / "python"), "-c", code], tmp_path, env).stdout.split()
    assert all(str(bin_dir.parent) in p and str(ROOT) not in p for p in paths), paths


def test_the_installed_command_runs_the_bundled_sample(installed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    bin_dir, env = installed
    db = tmp_path / "installed.duckdb"
    env = {**env, "CLAIMTRACK_DB": str(db), "HOME": str(tmp_path)}
    version = run([str(bin_dir / "claimtrack"), "--version"], tmp_path, env).stdout
    assert version.startswith("claimtrack 0.1.0 (extractor ") and "rules " in version
    assert "every table loads" in run([str(bin_dir / "claimtrack"), "rules-check"], tmp_path, env).stdout
    out = run([str(bin_dir / "python"), "-m", "claimtrack", "run"], tmp_path, env).stdout
    assert out.startswith("claimtrack run: 1 input (1 new, 0 new versions, 0 copies, 0 already stored, 0 failed)"), out
    with duckdb.connect(str(db), read_only=True) as con:
        claims = con.execute("select count(*) from claims").fetchone()
    assert claims and claims[0] > 0
    sql = run(
        [str(bin_dir / "claimtrack"), "sql", "select count(*) as n from series", "--format", "json"], tmp_path, env
    ).stdout
    assert json.loads(sql)[0]["n"] > 0
