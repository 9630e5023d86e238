"""Number mentions before they become ``Quantity`` records, and the joins between neighbours:
"X billion Y million" compounds, "four out of five" ratios and "3-14" / "between 3 and 14"
ranges (CLAIMS_SPEC section 3).

Pure functions over a text and its ``Mention`` list (sorted, non-overlapping).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from claimtrack.transforms.model import Bound, Quantity
from claimtrack.transforms.numbers.tables import NumberRules

COUNTABLE = ("digits", "words")
NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")


@dataclass(frozen=True, kw_only=True)
class Mention:
    """A number mention. ``start``/``end`` include hedge, currency and percent; ``core_start``/
    ``core_end`` cover the number and its scale word only (``core_end`` is ``number_end``).
    ``kind``: digits | words | fraction | ordinal | phrase | vague | ratio | range;
    ``scale``: the scale word's multiplier (1 without); ``hedged``: a hedge word other than
    "=" ones ("only", "a further") precedes it."""

    start: int
    end: int
    core_start: int
    core_end: int
    value: float | None
    low: float | None
    high: float | None
    bound: Bound = "="
    unit: str | None = None
    kind: str = "digits"
    scale: float = 1.0
    hedged: bool = False

    @classmethod
    def spanning(
        cls,
        start: int,
        end: int,
        value: float | None,
        low: float | None,
        high: float | None,
        bound: Bound = "=",
        unit: str | None = None,
        kind: str = "digits",
        scale: float = 1.0,
    ) -> Mention:
        """A mention whose number is all of ``start``..``end`` (no hedge, currency or percent)."""
        return cls(
            start=start,
            end=end,
            core_start=start,
            core_end=end,
            value=value,
            low=low,
            high=high,
            bound=bound,
            unit=unit,
            kind=kind,
            scale=scale,
        )

    def quantity(self) -> Quantity:
        """The public record."""
        return Quantity(
            start=self.start,
            end=self.end,
            value=self.value,
            low=self.low,
            high=self.high,
            bound=self.bound,
            unit=self.unit,
            number_end=self.core_end,
            vague=self.kind == "vague",
        )


def limits(value: float, bound: Bound) -> tuple[float | None, float | None]:
    """``(low, high)`` of a point value under ``bound`` (CLAIMS_SPEC section 2)."""
    if bound in (">", ">="):
        return value, None
    if bound in ("<", "<="):
        return None, value
    return value, value


def join_neighbours(text: str, mentions: list[Mention], rules: NumberRules) -> list[Mention]:
    """Apply compounds, then ratios, then ranges, each over adjacent pairs left to right."""
    for join in (_compound, _ratio, _range):
        mentions = _pairwise(mentions, lambda a, b, join=join: join(text, a, b, rules))  # type: ignore[misc]
    return mentions


def _pairwise(mentions: list[Mention], join: Callable[[Mention, Mention], Mention | None]) -> list[Mention]:
    """Replace each adjacent pair that ``join`` accepts by the joined mention."""
    out: list[Mention] = []
    for mention in mentions:
        joined = join(out[-1], mention) if out else None
        if joined is None:
            out.append(mention)
        else:
            out[-1] = joined
    return out


def _compatible(a: Mention, b: Mention) -> bool:
    """Same unit or at most one unit."""
    return a.unit is None or b.unit is None or a.unit == b.unit


def _compound(text: str, a: Mention, b: Mention, rules: NumberRules) -> Mention | None:
    """ "$ 2 billion $ 980 million" -> 2.98 billion: a larger scale followed by a smaller one."""
    if a.kind not in COUNTABLE or b.kind not in COUNTABLE or b.hedged or a.value is None or b.value is None:
        return None
    if not (a.scale > b.scale > 1 and b.value < a.scale and _compatible(a, b)):
        return None
    gap = rules.compound_gap.fullmatch(text, a.end, b.start)
    if gap is None or ("and" in gap.group().lower() and b.start != b.core_start):
        return None
    value = a.value + b.value
    low, high = limits(value, a.bound)
    return replace(a, end=b.end, core_end=b.core_end, value=value, low=low, high=high, unit=a.unit or b.unit)


def _ratio(text: str, a: Mention, b: Mention, rules: NumberRules) -> Mention | None:
    """ "four out of five" -> 0.8, "one in five" -> 0.2 (unit ``share``); "3:1" -> 3 (``ratio``)."""
    if a.kind not in COUNTABLE or b.kind not in COUNTABLE or a.unit or b.unit or b.hedged:
        return None
    if a.value is None or b.value is None or a.value <= 0 or b.value <= 0:
        return None
    for ratio in rules.ratios:
        if ratio.gap.fullmatch(text, a.end, b.start) is None:
            continue
        if a.value > b.value and not ratio.any_order:
            return None
        if ratio.denominators and (b.value not in ratio.denominators or a.value == b.value):
            return None
        if ratio.not_followed_by is not None and ratio.not_followed_by.match(text, b.end):
            return None
        value = a.value / b.value
        low, high = limits(value, a.bound)
        return replace(
            a, end=b.end, core_end=b.core_end, value=value, low=low, high=high, unit=ratio.unit, kind="ratio"
        )
    return None


def _range(text: str, a: Mention, b: Mention, rules: NumberRules) -> Mention | None:
    """ "3-14", "3 to 14", "between 3 and 14", "from 5 to 10" (not "rose from 5 to 10"), "5 or 6",
    "one day to four days"."""
    if a.kind in ("vague", "range") or b.kind in ("vague", "range", "ratio") or b.hedged:
        return None
    if a.value is None or b.value is None or not _compatible(a, b):
        return None
    if a.unit in rules.percent_units.values() and b.unit is None:
        return None  # "up 25% to 34,500": a change and a level, not a range
    start = _range_start(text, a, b, rules)
    if start is None:
        return None
    low = a.value
    if b.scale > 1 and a.scale == 1 and a.value * b.scale < b.value:
        low = a.value * b.scale
    if not low < b.value:
        return None
    return Mention(
        start=start,
        end=b.end,
        core_start=a.core_start,
        core_end=b.core_end,
        value=None,
        low=low,
        high=b.value,
        bound="range",
        unit=a.unit or b.unit,
        kind="range",
    )


def _range_start(text: str, a: Mention, b: Mention, rules: NumberRules) -> int | None:
    """Where the range mention starts (at "between"/"from" when present), or None when the
    gap is no range connector or "from ... to" follows a change verb ("rose from 5 to 7")."""
    ranges = rules.ranges
    between = ranges.between.search(text, max(0, a.start - 12), a.start)
    if between is not None:
        return between.start() if ranges.between_connector.fullmatch(text, a.end, b.start) else None
    gap = _gap(text, a, b, rules)
    if gap is None:
        return None
    if gap == "to" and ranges.change_before_from.search(text, max(0, a.start - 80), a.start):
        return None
    opener = ranges.from_.search(text, max(0, a.start - 8), a.start)
    return a.start if opener is None else opener.start()


def _gap(text: str, a: Mention, b: Mention, rules: NumberRules) -> str | None:
    """How ``a`` and ``b`` are joined: ``dash`` ("3-14"), ``to`` ("3 to 14", "one day to four
    days"), ``or`` ("5 or 6", B at most ``alternative_ratio`` times A), else None."""
    ranges = rules.ranges
    connector = ranges.connector.fullmatch(text, a.end, b.start)
    if connector is not None:
        return "to" if connector.group().strip().isalpha() else "dash"
    if ranges.alternative.fullmatch(text, a.end, b.start):
        assert a.value is not None and b.value is not None
        return "or" if a.value > 0 and b.value <= a.value * ranges.alternative_ratio else None
    repeated = ranges.repeated_unit.fullmatch(text, a.end, b.start)
    after = NEXT_WORD.match(text, b.end)
    if repeated is None or after is None:
        return None
    return "to" if _stem(repeated.group(1)) == _stem(after.group(1)) else None


def _stem(word: str) -> str:
    """A word without a plural "s", lower case ("days" and "day" share it)."""
    word = word.lower()
    return word[:-1] if word.endswith("s") and len(word) > 3 else word
