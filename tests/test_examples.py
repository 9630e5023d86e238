"""Every example runs: each line of every ``Examples:`` block of the ``--help`` texts, and each
``claimtrack`` line of the README's console and shell blocks (the Views, Export and Dashboard
sections' queries run in tests/test_readme.py), as a user types it: in a shell, from a folder
that holds the bundled sample as ``data/samples``, with claimtrack's database, dashboard and user
data folder there. ``claimtrack server start`` runs first, so ``run`` and ``serve`` report to it;
a ``serve`` example counts as run once it serves, and Ctrl-C then stops it cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from conftest import ROOT
from test_readme import analyst_commands

from claimtrack.cli import main

BIN = Path(sys.executable).parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# README lines that need machines of their own (a Dask cluster): the only ones not run here
NEEDS_A_CLUSTER = ["claimtrack run --dask tcp://scheduler-host:8786 --chunks 16"]


def help_examples() -> list[str]:
    """Every line of every ``Examples:`` block of the ``--help`` texts, in the group's order."""
    found = examples_in(help_text([]))
    for name, command in main.commands.items():
        subcommands = list(command.commands) if isinstance(command, click.Group) else []
        for path in [[name]] + [[name, sub] for sub in subcommands]:
            found += examples_in(help_text(path))
    return list(dict.fromkeys(found))  # an alias (schema) repeats its command's examples


def every_example() -> list[str]:
    """The help texts' examples and the README's, ``claimtrack server`` ones last (``stop``
    ends the server the others report to)."""
    lines = list(dict.fromkeys(help_examples() + readme_examples()))
    return sorted(lines, key=lambda line: line.startswith("claimtrack server"))


def help_text(path: list[str]) -> str:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


def examples_in(text: str) -> list[str]:
    """The indented lines after ``Examples:`` up to the next blank line."""
    block = re.search(r"^\s*Examples:\n((?:[ \t]+\S.*\n)+)", text, re.M)
    return [line.strip() for line in block.group(1).splitlines()] if block else []


def readme_examples() -> list[str]:
    """The ``claimtrack`` command lines of the README's console blocks (after ``$ ``) and sh
    blocks, but the set-up commands, the lines that need a cluster and the queries
    tests/test_readme.py runs."""
    lines = []
    for kind, block in re.findall(r"```(console|sh)\n(.*?)```", README, re.S):
        for line in block.splitlines():
            if kind == "console" and not line.startswith("$ "):
                continue  # output
            line = line.removeprefix("$ ").replace(".venv/bin/claimtrack", "claimtrack", 1)
            if line.startswith("claimtrack ") and line not in NEEDS_A_CLUSTER and line not in analyst_commands():
                lines.append(line)
    return lines


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A folder with data/samples (the bundled sample) and an environment whose database,
    dashboard and user data folder are there, PATH starting with this venv; a ``claimtrack
    server start`` server for the module, stopped at its end."""
    folder = tmp_path_factory.mktemp("examples")
    (folder / "data").mkdir()
    (folder / "data" / "samples").symlink_to(ROOT / "data" / "samples")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "CLAIMTRACK_DB": str(folder / "data" / "claimtrack.duckdb"),
        "CLAIMTRACK_DASHBOARD": str(folder / "dashboards" / "claimtrack.html"),
        "XDG_DATA_HOME": str(folder / "user-data"),
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    env.pop("PREFECT_API_URL", None)
    assert shell("claimtrack server start", folder, env).returncode == 0
    assert shell("claimtrack run", folder, env).returncode == 0  # the database the examples query
    yield folder, env
    shell("claimtrack server stop", folder, env)


def shell(line: str, folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", line], cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def serve_until_serving(line: str, folder: Path, env: dict[str, str]) -> tuple[int, str]:
    """Start a ``serve`` example; once it says it serves, Ctrl-C it; return (status, stderr)."""
    log = folder / "serve.log"
    with log.open("w") as err:
        process = subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=folder, env=env, stdout=err, stderr=err)
    deadline = time.monotonic() + 120
    while "Ctrl-C stops" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
        if process.poll() is not None:
            break
        time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=60), log.read_text(encoding="utf-8")


def test_examples_are_found() -> None:
    examples = help_examples()
    assert len(examples) >= 25 and all(line.split()[0] in ("claimtrack", "echo") for line in examples)
    named = {line.split()[1] for line in examples if line.startswith("claimtrack ")}
    assert named >= set(main.commands) - {"schema"} and "schema" in named
    assert all(line in README for line in NEEDS_A_CLUSTER)
    assert len(readme_examples()) >= 7


@pytest.mark.parametrize("line", every_example())
def test_example_runs(line: str, place: tuple[Path, dict[str, str]]) -> None:
    folder, env = place
    if line.split()[:2] == ["claimtrack", "serve"]:
        status, printed = serve_until_serving(line, folder, env)
        assert status == 0 and "Ctrl-C stops" in printed and "claimtrack serve: stopped" in printed, printed
        return
    result = shell(line, folder, env)
    assert result.returncode == 0, (line, result.stderr)
    assert result.stdout.strip() or "wrote " in result.stderr, (line, result.stderr)
