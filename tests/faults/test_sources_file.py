"""``sources.toml`` is checked whole before any work: a bad ``[fetch]`` value, a boolean in quotes,
a number out of range, an unknown key or arrays nested thousands deep are each refused in one
line naming the file, the key and the fix, before Prefect starts or the database is created."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED

from claimtrack.cli import main
from claimtrack.ingest import FetchSettingsError, SourcesError
from claimtrack.ingest.sources import read_sources_file

SAMPLE = '[[source]]\nname = "s"\nkind = "folder"\nlocation = "texts"\n'
CASES = [  # (file body, what the one line says)
    ('[fetch]\nretries = "many"\n' + SAMPLE, "[fetch] retries = 'many': expected a whole number; e.g. retries = 3"),
    ("[fetch]\nretries = -5\n" + SAMPLE, "[fetch] retries = -5: must be from 0 to 10; e.g. retries = 3"),
    ("[fetch]\nread_timeout = 0\n" + SAMPLE, "[fetch] read_timeout = 0: must be more than 0; e.g. read_timeout = 20.0"),
    ("[fetch]\nrobots = 1\n" + SAMPLE, "[fetch] robots = 1: expected true or false; e.g. robots = true"),
    ("[fetch]\ndeadline = true\n" + SAMPLE, "[fetch] deadline = True: expected a number; e.g. deadline = 60.0"),
    (
        '[fetch]\nallow_networks = ["10.0.0.0/33"]\n' + SAMPLE,
        "allow_networks = ['10.0.0.0/33']: '10.0.0.0/33' is not a",
    ),
    ("[fetch]\nretry = 2\n" + SAMPLE, "[fetch] unknown fetch setting 'retry'; use user_agent, connect_timeout"),
    (
        SAMPLE + 'enabled = "no"\n',
        "source 's': enabled = 'no': expected true or false (no quotes); e.g. enabled = false",
    ),
    (SAMPLE + "language = 7\n", "source 's': language = 7: expected a non-empty quoted string"),
    (SAMPLE + SAMPLE, "two sources are named 's'; give each source its own name"),
    ("x = " + "[" * 3000 + "]" * 3000 + "\n" + SAMPLE, "arrays or tables nested too deeply to read"),
    ("[[source]]\nname = " + "[" * 3000 + "]" * 3000 + "\n", "arrays or tables nested too deeply to read"),
    ("colour = 1\n" + SAMPLE, "unknown key 'colour'; the file holds a [fetch] table and [[source]] tables"),
]


def write(folder: Path, body: str) -> Path:
    (folder / "texts").mkdir(exist_ok=True)
    (folder / "sources.toml").write_text(body, encoding="utf-8")
    return folder / "sources.toml"


@pytest.mark.parametrize(("body", "says"), CASES, ids=[says.split(":")[0][:40] for _, says in CASES])
@pytest.mark.parametrize("with_source", [False, True], ids=["sources-file", "with-a-SOURCE"])
def test_run_refuses_a_bad_sources_file_in_one_line_before_any_work(
    tmp_path: Path, body: str, says: str, with_source: bool
) -> None:
    config, db = write(tmp_path, body), tmp_path / "claims.duckdb"
    started = time.monotonic()
    args = ["run", *([str(SEED)] if with_source else []), "--sources-file", str(config), "--db", str(db)]
    result = CliRunner().invoke(main, args)
    assert time.monotonic() - started < 5  # Prefect was not started
    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"Error: {config}: "), result.stderr
    assert says in result.stderr
    assert not db.exists()


def test_serve_checks_the_file_before_starting_a_server(tmp_path: Path) -> None:
    config = write(tmp_path, SAMPLE + 'enabled = "yes"\n')
    result = CliRunner().invoke(main, ["serve", "--sources-file", str(config), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2 and "enabled = 'yes': expected true or false" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_good_file_gives_its_sources_and_settings(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        '[fetch]\nretries = 0\ndeadline = 5\nallow_networks = ["10.1.0.0/16"]\n'
        + SAMPLE
        + 'allow_private_addresses = true\nenabled = false\n[[source]]\nname = "t"\nkind = "page"\n'
        'location = "https://example.org/a"\n',
    )
    read = read_sources_file(config)
    assert (read.fetch.retries, read.fetch.deadline, read.fetch.allow_networks) == (0, 5, ("10.1.0.0/16",))
    assert [(s.name, s.enabled, s.allow_private_addresses) for s in read.sources] == [
        ("s", False, True),
        ("t", True, False),
    ]
    with pytest.raises(FetchSettingsError):
        read_sources_file(write(tmp_path, "[fetch]\nhost_concurrency = 0\n"))
    with pytest.raises(SourcesError, match="file not found; create it or pass --sources-file"):
        read_sources_file(tmp_path / "missing.toml")
