"""Every inline example of the rule tables in data/ is a test (run through
claimtrack.transforms.claims.examples, as `claimtrack rules-check` runs them); broken tables fail clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claimtrack.transforms.claims import attribution, cues, load_extractor_rules, metrics, reports, sentences, units
from claimtrack.transforms.claims.examples import TABLES, check_example, example_cases
from claimtrack.transforms.rules import RuleError

CASES = list(example_cases())


@pytest.mark.parametrize("table,index,example", CASES, ids=[f"{t.split('/')[-1]}[{i}]" for t, i, _ in CASES])
def test_inline_example_holds(table: str, index: int, example: dict[str, Any]) -> None:
    assert check_example(table, example) is None


def test_every_table_has_examples() -> None:
    assert {table for table, _, _ in CASES} == set(TABLES)
    assert all(any(t == table for t, _, _ in CASES) for table in TABLES)


def test_rules_check_command_runs_every_example() -> None:
    from click.testing import CliRunner

    from claimtrack.cli import main

    result = CliRunner().invoke(main, ["rules-check"])
    assert result.exit_code == 0, result.output
    count = int(result.output.split(";")[1].split()[0])
    assert count >= len(CASES) + len(load_extractor_rules().numbers.examples)


@pytest.mark.parametrize(
    "loader,name,content,expected",
    [
        (units.load_unit_rules, "units.yaml", "max_words: 0\nstop_words: []\nirregular_plurals: {}\n", "max_words"),
        (metrics.load_taxonomy, "metrics.yaml", "metrics:\n  Bad-Id:\n    description: x\n    units: [a]\n", "Bad-Id"),
        (
            metrics.load_taxonomy,
            "metrics.yaml",
            "metrics:\n  ok:\n    description: x\n    unitz: [a]\n",
            "unknown key(s) unitz",
        ),
        (cues.load_kind_rules, "kinds.yaml", "running_total_cues: []\n", "missing key(s)"),
        (
            reports.load_report_rules,
            "reports.yaml",
            "window: 10\nprefilter: x\nheading: 'x'\nitem: '(?P<label>a)'\napproximate_heading: a\n",
            "lacks",
        ),
        (attribution.load_actors, "actors.yaml", "actors:\n  Russia: Moscow\n", "expected a list"),
        (sentences.load_sentence_rules, "sentences.yaml", "abbreviations: [\n", "not valid YAML"),
    ],
)
def test_broken_tables_name_file_rule_and_fix(
    tmp_path: Path, loader: Any, name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleError) as error:
        loader(path)
    message = str(error.value)
    assert name in message and expected in message and ";" in message and "\n" not in message


def test_yaml_words_on_and_no_stay_strings() -> None:
    assert {"on", "no", "off"} <= units.load_unit_rules().stop_words
