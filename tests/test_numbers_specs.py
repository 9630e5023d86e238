"""Recognizers-Text English Number and NumberWithUnit specs run against ``find_quantities``.

The specs are read from ``../shared/eval/specs/recognizers_text`` (next to the project; never
copied in). Every case of the applicable files becomes an expectation on ``find_quantities``:

- NumberModel / PercentModel: each result is found (a quantity overlapping its span, same
  value; percent also unit ``percent``) and no other quantity is emitted;
- NumberRangeModel: each interval is found with its low/high and bound;
- CurrencyModel / DimensionModel / AgeModel: each result is found (overlap + value; currency
  also its ISO unit where the spec names one we know); a case with no result must yield no
  quantity with a currency unit.

Known gaps are data: ``tests/data/numbers_spec_known_gaps.yaml`` maps case id -> reason and
turns the case into ``xfail(strict=True)`` (a fix shows up as XPASS). Cases out of scope by
CLAIMS_SPEC (a year is a date, not a number) are gaps with that reason; none is deleted.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from claimtrack.transforms.model import Quantity
from claimtrack.transforms.numbers import find_quantities, load_number_rules

PROJECT = Path(__file__).resolve().parents[1]
SPECS = PROJECT.parent / "shared" / "eval" / "specs" / "recognizers_text"
GAPS_FILE = PROJECT / "tests" / "data" / "numbers_spec_known_gaps.yaml"
FILES = (
    "Number/English/NumberModel.json",
    "Number/English/PercentModel.json",
    "Number/English/NumberRangeModel.json",
    "NumberWithUnit/English/CurrencyModel.json",
    "NumberWithUnit/English/DimensionModel.json",
    "NumberWithUnit/English/AgeModel.json",
)
UNIT_NAMES = {"Dollar": "usd", "Pound": "gbp", "Euro": "eur"}  # spec currency names without ISO code
FLOOR = 0.70  # the spec pass rate must not fall below this (raise it as gaps are fixed)

RULES = load_number_rules()
pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason=f"specs not found at {SPECS}")


@dataclass(frozen=True)
class Case:
    """One spec case: ``id`` is ``<Model>-<index>``; ``kind`` number | percent | range | unit."""

    id: str
    kind: str
    text: str
    results: tuple[dict[str, Any], ...]


def load_cases() -> list[Case]:
    """Every case of the applicable spec files, in file order."""
    if not SPECS.is_dir():
        return []
    cases = []
    for name in FILES:
        model = Path(name).stem
        kind = {"NumberModel": "number", "PercentModel": "percent", "NumberRangeModel": "range"}.get(model, "unit")
        data = json.loads((SPECS / name).read_text(encoding="utf-8-sig"))
        cases += [Case(f"{model}-{n}", kind, c["Input"], tuple(c.get("Results", []))) for n, c in enumerate(data)]
    return cases


def load_gaps() -> dict[str, str]:
    """Known gaps: case id -> reason."""
    return {str(k): str(v) for k, v in (yaml.safe_load(GAPS_FILE.read_text(encoding="utf-8")) or {}).items()}


def close(a: float | None, b: float | None) -> bool:
    """Values agree (as in score_claims.py)."""
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def overlaps(q: Quantity, result: dict[str, Any]) -> bool:
    """The quantity overlaps the result span (spec ``End`` is inclusive)."""
    return q.start <= result["End"] and result["Start"] < q.end


def number_of(text: str | None) -> float | None:
    """A spec value ("75000000", "100%") as a float, None when absent."""
    if text in (None, "", "null"):
        return None
    return float(str(text).rstrip("%"))


def interval(value: str) -> tuple[float | None, float | None, str]:
    """A spec interval "(20,35]" -> (low, high, expected bound)."""
    left, right = value[1:-1].split(",")
    low, high = number_of(left.strip()), number_of(right.strip())
    if low is not None and high is not None:
        return low, high, "=" if low == high else "range"
    if low is not None:
        return low, None, ">" if value[0] == "(" else ">="
    return None, high, "<" if value[-1] == ")" else "<="


def failures(case: Case) -> Iterator[str]:
    """Why ``find_quantities`` does not meet the case (nothing when it passes)."""
    found = find_quantities(case.text, RULES)
    shown = [case.text[q.start : q.end] for q in found]
    for result in case.results:
        if not any(_meets(case.kind, q, result) for q in found):
            yield f"{result['Text']!r} ({result['Resolution'].get('value')}) not found; got {shown}"
    if case.kind in ("number", "percent"):
        for q in found:
            if not any(overlaps(q, r) for r in case.results):
                yield f"extra quantity {case.text[q.start : q.end]!r}"
    if case.kind == "unit" and not case.results:
        currencies = set(RULES.currency.iso.values())
        for q in found:
            if q.unit in currencies:
                yield f"currency where the spec has none: {case.text[q.start : q.end]!r}"


def _meets(kind: str, q: Quantity, result: dict[str, Any]) -> bool:
    """Does quantity ``q`` satisfy one spec result?"""
    if not overlaps(q, result):
        return False
    resolution = result["Resolution"]
    if kind == "range":
        low, high, bound = interval(resolution["value"])
        if bound == "=":
            return close(q.value, low) and q.bound == "="
        return (low is None or close(q.low, low)) and (high is None or close(q.high, high)) and q.bound == bound
    value = number_of(resolution.get("value"))
    if value is None or not (close(q.value, value) or (q.value is None and close(q.low, value))):
        return False
    if kind == "percent":
        return q.unit == "percent"
    iso = resolution.get("isoCurrency") or UNIT_NAMES.get(str(resolution.get("unit")))
    return kind != "unit" or result.get("TypeName") != "currency" or iso is None or q.unit == str(iso).lower()


CASES = load_cases()
GAPS = load_gaps()


def params() -> list[Any]:
    """Cases as pytest params; known gaps are strict xfails with their reason."""
    return [
        pytest.param(
            case, id=case.id, marks=[pytest.mark.xfail(strict=True, reason=GAPS[case.id])] if case.id in GAPS else []
        )
        for case in CASES
    ]


@pytest.mark.parametrize("case", params())
def test_spec_case(case: Case) -> None:
    problems = list(failures(case))
    assert not problems, f"{case.text!r}: " + "; ".join(problems)


def test_known_gaps_name_real_cases() -> None:
    ids = {case.id for case in CASES}
    assert set(GAPS) <= ids, sorted(set(GAPS) - ids)
    assert all(reason.strip() for reason in GAPS.values())


def test_spec_pass_rate_floor(capsys: pytest.CaptureFixture[str]) -> None:
    passed = sum(1 for case in CASES if not list(failures(case)))
    rate = passed / len(CASES)
    with capsys.disabled():
        print(f"\nRecognizers-Text specs: {passed}/{len(CASES)} cases pass ({rate:.1%}), {len(GAPS)} known gaps")
    assert rate >= FLOOR
