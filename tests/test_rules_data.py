"""Every inline example of the rule tables in data/ is a test; broken tables fail clearly."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from transforms import attribution, kinds, metrics, reports, sentences, units
from transforms.claims import extract_comparisons, load_extractor_rules
from transforms.rules import DATA_DIR, RuleError, load_yaml


def examples(*parts: str) -> list[Any]:
    """The ``examples`` list of a data file."""
    return list(load_yaml(DATA_DIR.joinpath(*parts)).get("examples", []))


def metric_examples() -> list[tuple[str, dict[str, Any]]]:
    """(metric id, example) pairs from data/metrics.yaml."""
    table = load_yaml(DATA_DIR / "metrics.yaml")["metrics"]
    return [(mid, ex) for mid, entry in table.items() for ex in entry.get("examples", [])]


@pytest.mark.parametrize("example", examples("rules", "units.yaml"), ids=lambda e: e["text"][:40])
def test_unit_examples(example: dict[str, Any]) -> None:
    assert units.head_phrase(example["after"]) == example["unit"]


@pytest.mark.parametrize("metric_id,example", metric_examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_metric_examples(metric_id: str, example: dict[str, Any]) -> None:
    rules = load_extractor_rules()
    sentence, number = example["sentence"], example["number"]
    found = [c for c in _claims(sentence, date(2024, 1, 1)) if number in c.text or c.text in number]
    assert found, f"no claim for {number!r} in {sentence!r}"
    assert found[0].metric == example["metric"] == metric_id, (found[0].unit, rules.taxonomy.ids()[:3])


@pytest.mark.parametrize("example", examples("rules", "attribution.yaml"), ids=lambda e: e["sentence"][:40])
def test_attribution_examples(example: dict[str, Any]) -> None:
    said = attribution.attribute(example["sentence"], attribution.load_attribution_rules())
    assert (said.source, said.origin) == (example["source"], example["origin"])


@pytest.mark.parametrize("example", examples("vocab", "actors.yaml"), ids=lambda e: e["sentence"][:40])
def test_actor_examples(example: dict[str, Any]) -> None:
    sentence, number = example["sentence"], example["number"]
    at = sentence.index(number)
    assert attribution.find_subject(sentence, at, at + len(number), attribution.load_actors()) == example["subject"]


@pytest.mark.parametrize("example", examples("vocab", "sentences.yaml"), ids=lambda e: e["text"][:40])
def test_sentence_examples(example: dict[str, Any]) -> None:
    assert [s.text for s in sentences.split_sentences(example["text"])] == example["sentences"]


@pytest.mark.parametrize("example", examples("rules", "kinds.yaml"), ids=lambda e: e["sentence"][:40])
def test_kind_examples(example: dict[str, Any]) -> None:
    claim = _claim_for(example["sentence"], example["number"], example["published"])
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    expected = (example["kind"], iso(example["period_start"]), iso(example["period_end"]))
    assert (claim.kind, iso(claim.period_start), iso(claim.period_end)) == expected
    assert claim.change == example.get("change")


@pytest.mark.parametrize("example", examples("rules", "reports.yaml"), ids=lambda e: e["text"][:40])
def test_report_examples(example: dict[str, Any]) -> None:
    found = reports.find_report_items(example["text"], reports.load_report_rules())
    items = [item for _, group in found for item in group]
    assert [(i.label, i.total, i.delta) for i in items] == [
        (e["label"], float(e["total"]), float(e["delta"])) for e in example["items"]]


@pytest.mark.parametrize("example", examples("rules", "comparisons.yaml"), ids=lambda e: e["sentence"][:40])
def test_comparison_examples(example: dict[str, Any]) -> None:
    found = extract_comparisons(example["sentence"], example["published"])
    got = [(c.relation, _side(c.left), _side(c.right)) for c in found]
    want = [(e["relation"], _expected_side(e["left"]), _expected_side(e["right"])) for e in example["comparisons"]]
    assert sorted(got, key=str) == sorted(want, key=str)


def _side(ref: Any) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(ref).items() if v is not None}


def _expected_side(side: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else float(v) if k == "years" else v) for k, v in side.items()}


def _claims(sentence: str, published: date) -> list[Any]:
    from transforms.claims import extract_quantities

    return extract_quantities(sentence, published)


def _claim_for(sentence: str, number: str, published: date) -> Any:
    at = sentence.index(number)
    found = [c for c in _claims(sentence, published) if c.start <= at < c.end]
    assert found, f"no claim at {number!r} in {sentence!r}"
    return found[0]


@pytest.mark.parametrize("loader,name,content,expected", [
    (units.load_unit_rules, "units.yaml", "max_words: 0\nstop_words: []\nirregular_plurals: {}\n", "max_words"),
    (metrics.load_taxonomy, "metrics.yaml", "metrics:\n  Bad-Id:\n    description: x\n    units: [a]\n", "Bad-Id"),
    (metrics.load_taxonomy, "metrics.yaml", "metrics:\n  ok:\n    description: x\n    unitz: [a]\n", "unknown key(s) unitz"),
    (kinds.load_kind_rules, "kinds.yaml", "cumulative_cues: []\n", "missing key(s)"),
    (reports.load_report_rules, "reports.yaml", "window: 10\nprefilter: x\nheading: 'x'\nitem: '(?P<label>a)'\napproximate_heading: a\n", "lacks"),
    (attribution.load_actors, "actors.yaml", "actors:\n  Russia: Moscow\n", "expected a list"),
    (sentences.load_sentence_rules, "sentences.yaml", "abbreviations: [\n", "not valid YAML"),
])
def test_broken_tables_name_file_rule_and_fix(tmp_path: Path, loader: Any, name: str, content: str,
                                              expected: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleError) as error:
        loader(path)
    message = str(error.value)
    assert name in message and expected in message and ";" in message and "\n" not in message


def test_yaml_words_on_and_no_stay_strings() -> None:
    assert {"on", "no", "off"} <= units.load_unit_rules().stop_words


@pytest.mark.parametrize("example", examples("vocab", "events.yaml"), ids=lambda e: e["sentence"][:40])
def test_event_examples(example: dict[str, Any]) -> None:
    from transforms.events import event_name, load_events

    assert event_name(example["sentence"], load_events()) == example["event"]


@pytest.mark.parametrize("example", examples("vocab", "sentences.yaml") and
                         list(load_yaml(DATA_DIR / "vocab" / "sentences.yaml")["table_examples"]),
                         ids=lambda e: e["text"][:40])
def test_table_line_examples(example: dict[str, Any]) -> None:
    assert sentences.is_table_like(example["text"]) == example["table"]
