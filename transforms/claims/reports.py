"""Daily report lists ("tanks ‒ 1440 (+6)"): one cumulative and one one-day claim per item.

Patterns live in ``data/rules/reports.yaml``. ``find_report_claims`` works on a whole
document, because report items often stand one per line below their heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from claimtrack.transforms.claims.units import UnitRules, normalise_unit
from claimtrack.transforms.model import Bound, Claim, TimeSpan
from claimtrack.transforms.rules import check_keys, compile_pattern, data_file, fail, load_yaml


@dataclass(frozen=True)
class ReportRules:
    """Compiled patterns of ``data/rules/reports.yaml``."""

    window: int
    prefilter: str
    heading: re.Pattern[str]
    item: re.Pattern[str]
    approximate: re.Pattern[str]


@dataclass(frozen=True)
class ReportItem:
    """One list item, offsets into the document."""

    label: str
    total: float
    total_span: tuple[int, int]
    delta: float
    delta_span: tuple[int, int]
    hedged: bool


@lru_cache(maxsize=4)
def load_report_rules(path: Path | None = None) -> ReportRules:
    """Load and compile ``data/rules/reports.yaml`` (or ``path``)."""
    path = path or data_file("rules", "reports.yaml")
    table = check_keys(
        path,
        None,
        load_yaml(path),
        ["version", "window", "prefilter", "heading", "item", "approximate_heading", "examples"],
        ["window", "prefilter", "heading", "item", "approximate_heading"],
    )
    item = compile_pattern(path, "item", table["item"])
    if not {"label", "total", "delta"} <= set(item.groupindex):
        raise fail(path, "item", "pattern lacks a (?P<label>), (?P<total>) or (?P<delta>) group", "add them")
    prefilter = str(table["prefilter"]).lower()
    heading = compile_pattern(path, "heading", table["heading"])
    for example in table.get("examples") or []:
        if heading.search(str(example.get("text", ""))) and prefilter not in str(example["text"]).lower():
            raise fail(
                path,
                "prefilter",
                f"'{prefilter}' is missing from an example the heading matches",
                "make the prefilter a word every heading contains",
            )
    return ReportRules(
        int(table["window"]),
        prefilter,
        heading,
        item,
        compile_pattern(path, "approximate_heading", table["approximate_heading"]),
    )


def _number(digits: str) -> float:
    """Parse report digits with any thousands separator ("32 750", "32,750", "32.750")."""
    return float(re.sub(r"[ ,.\u202f]", "", digits))


def find_report_items(text: str, rules: ReportRules) -> list[tuple[int, list[ReportItem]]]:
    """Return (heading offset, items) for every report list in ``text``."""
    found: list[tuple[int, list[ReportItem]]] = []
    if rules.prefilter not in text.lower():
        return found  # no heading can match: skip the regex scan
    position = 0
    while (heading := rules.heading.search(text, position)) is not None:
        window_end = min(len(text), heading.end() + rules.window)
        items = [_item(m) for m in rules.item.finditer(text, heading.end(), window_end)]
        if items:
            found.append((heading.start(), items))
            position = items[-1].delta_span[1]
        else:
            position = heading.end()
    return found


def _item(match: re.Match[str]) -> ReportItem:
    """Turn one item match into a ``ReportItem``."""
    label = re.sub(r"\s+", " ", match.group("label")).strip(" .-")
    label = re.sub(r"^(?:and|including|also)\s+", "", label, flags=re.IGNORECASE)
    return ReportItem(
        label,
        _number(match.group("total")),
        match.span("total"),
        _number(match.group("delta")),
        match.span("delta"),
        bool(match.group("hedge")),
    )


def report_claims(
    text: str,
    heading_at: int,
    items: list[ReportItem],
    spans: list[TimeSpan],
    published: date | None,
    war_start: date,
    rules: ReportRules,
    unit_rules: UnitRules,
) -> list[Claim]:
    """Build the two claims of each item. ``spans``: the heading sentence's time spans with
    offsets into ``text``; the first span ending after the heading dates the list."""
    dated = next((s for s in spans if s.end > heading_at and s.period_end), None)
    first = dated.period_start if dated and dated.period_start and dated.role == "period" else war_start
    last = dated.period_end if dated else published
    heading_hedged = bool(rules.approximate.search(text, heading_at, items[0].total_span[0]))
    claims: list[Claim] = []
    for item in items:
        unit = normalise_unit(item.label, unit_rules)
        bound: Bound = "~" if item.hedged or heading_hedged else "="
        sentence = _line(text, item.total_span[0])
        common = {"unit": unit, "sentence": sentence, "published": published}
        claims.append(
            _item_claim(
                text,
                item.total_span,
                item.total,
                bound=bound,
                kind="cumulative",
                period_start=first,
                period_end=last,
                rule="report_item",
                **common,
            )
        )
        claims.append(
            _item_claim(
                text,
                item.delta_span,
                item.delta,
                bound="=",
                kind="period",
                change="up",
                period_start=last,
                period_end=last,
                rule="report_item_delta",
                **common,
            )
        )
    return claims


def _item_claim(text: str, span: tuple[int, int], value: float, **fields: Any) -> Claim:
    """The claim of one figure of a report item: ``text[span]``, exactly ``value``; ``fields``
    are the claim's other fields (bound, unit, kind, dates, sentence, rule...)."""
    start, end = span
    return Claim(start=start, end=end, text=text[start:end], value=value, low=value, high=value, **fields)


def _line(text: str, at: int) -> str:
    """The sentence-like stretch around offset ``at`` (up to the nearest line break or ';')."""
    start = max(text.rfind("\n", 0, at), text.rfind(";", 0, at)) + 1
    ends = [i for i in (text.find("\n", at), text.find(";", at)) if i >= 0]
    return text[start : min(ends) if ends else len(text)].strip()
