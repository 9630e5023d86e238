"""Recognizers-Text English DateTime spec cases for ``claimtrack.transforms.periods.find`` (read in place).

The specs live in ``../shared/eval/specs/recognizers_text/DateTime/English`` (relative to the
project root); nothing is copied into the project. Selected files and how a case is judged:

- ``DatePeriodParser.json`` and ``DateParser.json``, cases with a ``ReferenceDateTime``: every
  expected result must be found (same text once a leading role word such as "in"/"on"/
  "during" is dropped) with the same dates. Recognizers' period ``endDate`` is exclusive for
  calendar units ("February" -> 02-01..03-01) while claimtrack's ends are inclusive, so the
  end must equal ``endDate - 1 day``; for explicit two-date ranges (Timex "(a,b,PnD)") the
  spec's end is the named day, so ``endDate`` itself is also accepted. The past resolution is
  used (claimtrack prefers the past). A case expecting no result must yield no span.
- ``DatePeriodExtractor.json`` and ``DateExtractor.json``: the span texts must match
  (reference date 2016-11-07, the specs' usual one; dates are not checked).

Cases claimtrack does not pass are listed with a reason in
``tests/data/periods_spec_known_gaps.yaml`` and run as ``xfail(strict=True)``: a fix shows up
as XPASS and fails the run until its entry is removed. Cases are never deleted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import yaml
from conftest import ROOT as PROJECT_DIR

from claimtrack.transforms.model import TimeSpan
from claimtrack.transforms.periods import PeriodRules, find_time_spans, load_period_rules

SPEC_DIR = PROJECT_DIR.parent / "shared" / "eval" / "specs" / "recognizers_text" / "DateTime" / "English"
PARSERS = ("DatePeriodParser", "DateParser")
EXTRACTORS = ("DatePeriodExtractor", "DateExtractor")
EXTRACT_REFERENCE = date(2016, 11, 7)
GAPS_FILE = PROJECT_DIR / "tests" / "data" / "periods_spec_known_gaps.yaml"
LEADING_ROLE_WORD = re.compile(r"^(?:in|on|during|over|for|at|by|within|throughout|as\s+of)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class SpecCase:
    """One spec case: ``id`` is "<file>:<index>" (the key of the known-gaps file)."""

    id: str
    kind: str
    text: str
    reference: date | None
    results: tuple[dict[str, Any], ...]


def load_cases() -> list[SpecCase]:
    """Read the selected spec files; parser cases without a reference date are not selected."""
    cases = []
    for name in PARSERS + EXTRACTORS:
        raw = json.loads((SPEC_DIR / f"{name}.json").read_text(encoding="utf-8-sig"))
        for index, case in enumerate(raw):
            ref_text = (case.get("Context") or {}).get("ReferenceDateTime")
            reference = datetime.fromisoformat(ref_text).date() if ref_text else None
            if name in PARSERS and reference is None:
                continue
            kind = "parse" if name in PARSERS else "extract"
            cases.append(
                SpecCase(
                    f"{name}:{index}",
                    kind,
                    case["Input"],
                    reference or EXTRACT_REFERENCE,
                    tuple(case.get("Results") or ()),
                )
            )
    return cases


def normal(text: str) -> str:
    """Compare span texts without case, extra spaces or a leading role word."""
    return LEADING_ROLE_WORD.sub("", " ".join(text.lower().split())).strip(" .,")


def expected_dates(result: dict[str, Any]) -> tuple[date | None, set[date | None]]:
    """The expected start and the acceptable inclusive ends of one parser result."""
    value = result.get("Value") or {}
    resolution = value.get("PastResolution") or value.get("FutureResolution") or {}
    if "date" in resolution:
        day = date.fromisoformat(resolution["date"]) if resolution["date"] != "0001-01-01" else None
        return day, {day}
    start = date.fromisoformat(resolution["startDate"]) if resolution.get("startDate") else None
    end = date.fromisoformat(resolution["endDate"]) if resolution.get("endDate") else None
    if end is None:
        return start, {None}
    ends: set[date | None] = {end - timedelta(days=1)}
    if str(value.get("Timex", "")).startswith("(") and re.search(r"P\d+D\)$", str(value.get("Timex", ""))):
        ends.add(end)
    return start, ends


def _found(result: dict[str, Any], spans: list[TimeSpan], check_dates: bool) -> bool:
    """Tell whether one expected result is among ``spans``."""
    want = normal(result["Text"])
    for span in spans:
        if normal(span.text) != want:
            continue
        if not check_dates:
            return True
        start, ends = expected_dates(result)
        if start is not None and span.period_start == start and span.period_end in ends:
            return True
    return False


def case_passes(case: SpecCase, rules: PeriodRules) -> bool:
    """Judge one case as described in the module docstring."""
    spans = find_time_spans(case.text, case.reference, rules)
    if not case.results:
        return not spans
    return all(_found(result, spans, case.kind == "parse") for result in case.results)


def describe(case: SpecCase, rules: PeriodRules) -> Iterator[str]:
    """Lines showing what was expected and found (for failure messages)."""
    yield f"{case.id} ({case.reference}): {case.text!r}"
    for result in case.results:
        yield f"  expected {result['Text']!r} {expected_dates(result) if case.kind == 'parse' else ''}"
    for span in find_time_spans(case.text, case.reference, rules):
        yield f"  found    {span.text!r} {span.role} {span.period_start}..{span.period_end}"


CASES = load_cases() if SPEC_DIR.is_dir() else []
GAPS: dict[str, str] = yaml.safe_load(GAPS_FILE.read_text(encoding="utf-8")) or {}
pytestmark = pytest.mark.skipif(not SPEC_DIR.is_dir(), reason=f"spec folder {SPEC_DIR} not present")


@pytest.fixture(scope="module")
def rules() -> PeriodRules:
    return load_period_rules()


def _param(case: SpecCase) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=GAPS[case.id])] if case.id in GAPS else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_spec_case(case: SpecCase, rules: PeriodRules) -> None:
    assert case_passes(case, rules), "\n".join(describe(case, rules))


def test_known_gaps_name_selected_cases_with_reasons() -> None:
    ids = {c.id for c in CASES}
    assert set(GAPS) <= ids, f"gap entries for unknown cases: {sorted(set(GAPS) - ids)[:5]}"
    assert all(isinstance(reason, str) and len(reason) > 10 for reason in GAPS.values())


def test_selection_covers_the_four_files() -> None:
    counts = {name: sum(c.id.startswith(name + ":") for c in CASES) for name in PARSERS + EXTRACTORS}
    assert all(counts.values()), counts
    assert len(CASES) > 800
