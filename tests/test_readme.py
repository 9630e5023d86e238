"""The README's promises: two set-up commands, CI runs the second verbatim, every command documented."""
from __future__ import annotations

import re

import yaml
from conftest import ROOT

from flows.cli import main

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
