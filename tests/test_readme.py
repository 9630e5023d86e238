"""The README's promises: two set-up commands, CI runs the second verbatim, every command documented."""

from __future__ import annotations

import importlib.util
import re
import shlex
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT

from claimtrack.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    """The shell blocks of the README's first screen (before the first second-level heading)."""
    first_screen = README.split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", first_screen, re.S)]


def test_first_screen_has_exactly_two_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert commands[0].endswith("claimtrack run") and "pip install -q -e ." in commands[0]
    assert "'.[test]'" in commands[1] and commands[1].endswith("pytest")


def test_ci_runs_the_second_command_verbatim() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    assert setup_commands()[1] in script.splitlines()


def test_every_command_is_documented() -> None:
    for name in main.list_commands(None):  # type: ignore[arg-type]
        assert f"claimtrack {name}" in README, name


def test_public_view_columns_are_documented() -> None:
    for column in ("article_id", "canonical_url", "content_hash", "copy_of", "claim_id", "period_end", "origin"):
        assert f"`{column}`" in README


def test_prefect_yaml_points_at_the_pipeline_flow() -> None:
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    deployment = config["deployments"][0]
    path, _, name = deployment["entrypoint"].partition(":")
    assert (ROOT / path).exists() and f"def {name}(" in (ROOT / path).read_text(encoding="utf-8")
    assert deployment["schedules"][0]["cron"] == "0 * * * *"


def analyst_commands() -> list[str]:
    """The ``claimtrack sql|export|dashboard`` lines of the Views, Export and Dashboard sections."""
    part = README.split("\n## Views\n", 1)[1].split("\n## How a run works\n", 1)[0]
    lines = [
        line.removeprefix("$ ")
        for block in re.findall(r"```(?:sh|console)\n(.*?)```", part, re.S)
        for line in block.splitlines()
    ]
    return [
        line for line in lines if line.startswith(("claimtrack sql ", "claimtrack export ", "claimtrack dashboard "))
    ]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    """What ``claimtrack run`` builds from the bundled sample, in a temporary file."""
    from claimtrack.pipeline import pipeline

    db = tmp_path_factory.mktemp("readme") / "claimtrack.duckdb"
    pipeline(sources=[str(ROOT / "data" / "samples")], db=str(db))
    return db


def synthetic_db(path: Path) -> Path:
    """The README's synthetic database (benchmarks/synthetic_claims.py), built at ``path``."""
    spec = importlib.util.spec_from_file_location("synthetic_claims", ROOT / "benchmarks" / "synthetic_claims.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    module.build(path, 10_000)
    return path


def test_analyst_commands_work_as_written(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = analyst_commands()
    assert len(commands) >= 15 and any("--partition-by" in c for c in commands)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMTRACK_DB", str(sample_db))
    synthetic = synthetic_db(tmp_path / "synthetic.duckdb")
    for command in commands:
        args = shlex.split(command)[1:]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (command, result.output)
        if args[0] == "sql":  # the Views section: also on the synthetic database
            result = CliRunner().invoke(main, [*args, "--db", str(synthetic)])
            assert result.exit_code == 0, (command, result.output)
            if "from conflicts" in command or "from daily" in command:
                assert "(0 rows)" not in result.output, command
