"""Run every inline example of the rule tables in ``data/`` outside pytest.

``check_all()`` returns one message per failing example (empty when all pass); ``claimtrack
rules-check`` prints them, so a user who edits a YAML table can check it without the test
suite. Each check returns ``None`` when its example holds, else what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from claimtrack.transforms import numbers, periods
from claimtrack.transforms.claims import attribution, events, reports, sentences, units
from claimtrack.transforms.claims.comparisons import extract_comparisons
from claimtrack.transforms.claims.context import ExtractorRules, load_extractor_rules
from claimtrack.transforms.claims.extract import extract_quantities
from claimtrack.transforms.rules import DATA_DIR, load_yaml

Check = Callable[[dict[str, Any], ExtractorRules], str | None]


def table_examples(*parts: str, key: str = "examples") -> list[dict[str, Any]]:
    """The inline examples (``key``) of the data file ``data/<parts>``."""
    return list(load_yaml(DATA_DIR.joinpath(*parts)).get(key) or [])


def metric_examples() -> list[dict[str, Any]]:
    """The examples of data/metrics.yaml, each with its metric id under ``metric_id``."""
    table = load_yaml(DATA_DIR / "metrics.yaml")["metrics"]
    return [{**ex, "metric_id": mid} for mid, entry in table.items() for ex in entry.get("examples", [])]


def claim_at(sentence: str, number: str, published: date, rules: ExtractorRules) -> Any:
    """The quantity claim of ``sentence`` that covers the text ``number``, or None."""
    at = sentence.index(number)
    found = [c for c in extract_quantities(sentence, published, rules) if c.start <= at < c.end]
    return found[0] if found else None


def check_unit(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    got = units.head_phrase(ex["after"], rules.units)
    return None if got == ex["unit"] else f"unit of {ex['text']!r}: expected {ex['unit']!r}, got {got!r}"


def check_metric(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    claim = claim_at(ex["sentence"], ex["number"], date(2024, 1, 1), rules)
    got = claim.metric if claim else None
    want = ex["metric"]
    return None if got == want == ex["metric_id"] else f"{ex['sentence']!r}: expected {want!r}, got {got!r}"


def check_attribution(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    said = attribution.attribute(ex["sentence"], rules.attribution)
    want = (ex["source"], ex["origin"])
    return None if (said.source, said.origin) == want else f"{ex['sentence']!r}: expected {want}, got {said}"


def check_quoted_document(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    split = sentences.split_sentences(ex["text"], rules.sentences)
    said = attribution.attribute_sentences([s.text for s in split], [s.paragraph for s in split], rules.attribution)
    got = [a.source for a in said]
    return None if got == ex["sources"] else f"{ex['text'][:50]!r}: expected {ex['sources']}, got {got}"


def check_actor(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    sentence, number = ex["sentence"], ex["number"]
    at = sentence.index(number)
    got = attribution.find_subject(sentence, at, at + len(number), rules.actors, rules.attribution)
    return None if got == ex["subject"] else f"{sentence!r}: expected {ex['subject']!r}, got {got!r}"


def check_sentences(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    got = [s.text for s in sentences.split_sentences(ex["text"], rules.sentences)]
    return None if got == ex["sentences"] else f"{ex['text']!r}: expected {ex['sentences']}, got {got}"


def check_table_line(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    got = sentences.is_table_like(ex["text"], rules.sentences)
    return None if got == ex["table"] else f"{ex['text']!r}: table_like expected {ex['table']}, got {got}"


def check_kind(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    claim = claim_at(ex["sentence"], ex["number"], ex["published"], rules)
    if claim is None:
        return f"{ex['sentence']!r}: no claim at {ex['number']!r}"
    got = (claim.kind, claim.period_start, claim.period_end, claim.change)
    want = (ex["kind"], ex["period_start"], ex["period_end"], ex.get("change"))
    return None if got == want else f"{ex['sentence']!r}: expected {want}, got {got}"


def check_kind_document(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    """A kind example over a whole text: the frame's scopes (statement days, leads, reports)."""
    text, number = ex["text"], ex["number"]
    at = text.index(number)
    found = [c for c in extract_quantities(text, ex["published"], rules) if c.start <= at < c.end]
    if not found:
        return f"{text[:50]!r}: no claim at {number!r}"
    got = (found[0].kind, found[0].period_start, found[0].period_end)
    want = (ex["kind"], ex["period_start"], ex["period_end"])
    return None if got == want else f"{text[:60]!r} at {number!r}: expected {want}, got {got}"


def check_report(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    found = reports.find_report_items(ex["text"], rules.reports)
    got = [(i.label, i.total, i.delta) for _, group in found for i in group]
    want = [(e["label"], float(e["total"]), float(e["delta"])) for e in ex["items"]]
    return None if got == want else f"{ex['text'][:60]!r}: expected {want}, got {got}"


def _side(values: dict[str, Any]) -> dict[str, Any]:
    """A comparison side with dates as ISO text and years as floats."""
    return {
        k: (v.isoformat() if isinstance(v, date) else float(v) if k == "years" else v)
        for k, v in values.items()
        if v is not None
    }


def check_comparison(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    found = extract_comparisons(ex["sentence"], ex["published"], rules)
    got = sorted(((c.relation, _side(vars(c.left)), _side(vars(c.right))) for c in found), key=str)
    want = sorted(((e["relation"], _side(e["left"]), _side(e["right"])) for e in ex["comparisons"]), key=str)
    return None if got == want else f"{ex['sentence']!r}: expected {want}, got {got}"


def check_event(ex: dict[str, Any], rules: ExtractorRules) -> str | None:
    got = events.event_name(ex["sentence"], rules.events)
    return None if got == ex["event"] else f"{ex['sentence']!r}: expected {ex['event']!r}, got {got!r}"


TABLES: dict[str, tuple[Callable[[], list[dict[str, Any]]], Check]] = {
    "data/rules/units.yaml": (lambda: table_examples("rules", "units.yaml"), check_unit),
    "data/metrics.yaml": (metric_examples, check_metric),
    "data/rules/attribution.yaml": (lambda: table_examples("rules", "attribution.yaml"), check_attribution),
    "data/rules/attribution.yaml (documents)": (
        lambda: table_examples("rules", "attribution.yaml", key="document_examples"),
        check_quoted_document,
    ),
    "data/vocab/actors.yaml": (lambda: table_examples("vocab", "actors.yaml"), check_actor),
    "data/vocab/sentences.yaml": (lambda: table_examples("vocab", "sentences.yaml"), check_sentences),
    "data/vocab/sentences.yaml (table_line)": (
        lambda: table_examples("vocab", "sentences.yaml", key="table_examples"),
        check_table_line,
    ),
    "data/rules/kinds.yaml": (lambda: table_examples("rules", "kinds.yaml"), check_kind),
    "data/rules/kinds.yaml (documents)": (
        lambda: table_examples("rules", "kinds.yaml", key="document_examples"),
        check_kind_document,
    ),
    "data/rules/reports.yaml": (lambda: table_examples("rules", "reports.yaml"), check_report),
    "data/rules/comparisons.yaml": (lambda: table_examples("rules", "comparisons.yaml"), check_comparison),
    "data/vocab/events.yaml": (lambda: table_examples("vocab", "events.yaml"), check_event),
}


def example_cases() -> Iterator[tuple[str, int, dict[str, Any]]]:
    """Every (table, index, example) of the tables in ``TABLES``."""
    for table, (load, _) in TABLES.items():
        for index, example in enumerate(load()):
            yield table, index, example


def check_example(table: str, example: dict[str, Any], rules: ExtractorRules | None = None) -> str | None:
    """Run one example of ``table``; None when it holds, else the problem."""
    return TABLES[table][1](example, rules or load_extractor_rules())


def check_all(rules: ExtractorRules | None = None) -> tuple[int, list[str]]:
    """Load every table (raising ``RuleError`` on a broken one) and run every inline example.

    Returns (examples run, failure messages).
    """
    rules = rules or load_extractor_rules()
    failures = [f"data/rules/periods.yaml: {m}" for m in periods.check_examples(rules.periods)]
    count = sum(len(r.examples) + len(r.no_match) for r in rules.periods.rules)
    for table, _, example in example_cases():
        count += 1
        problem = check_example(table, example, rules)
        if problem:
            failures.append(f"{table}: {problem}")
    for number_example in rules.numbers.examples:
        count += 1
        problem = numbers.check_number_example(number_example, rules.numbers)
        if problem:
            failures.append(f"{number_example.file}: {problem}")
    return count, failures
