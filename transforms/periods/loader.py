"""Load and validate ``data/rules/periods.yaml`` into frozen, compiled ``PeriodRules``.

Every error names the file, the rule and the fix (see ``claimtrack.transforms.rules``). The public entry
point is ``claimtrack.transforms.periods.load_period_rules``; this module holds the validation steps, and
``tables`` the records they build.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from claimtrack.transforms.periods.resolvers import RESOLVERS, Anchor, Vocab
from claimtrack.transforms.periods.tables import Dateline, Example, Joins, PeriodRule, PeriodRules
from claimtrack.transforms.periods.triggers import check_triggered, load_trigger, load_trigger_patterns
from claimtrack.transforms.rules import (
    alternation,
    check_keys,
    compile_pattern,
    data_file,
    expand_placeholders,
    fail,
    load_yaml,
)

DEFAULT_PATH = data_file("rules", "periods.yaml")
Role = Literal["period", "since", "as_of", "point"]
ROLES: tuple[str, ...] = ("period", "since", "as_of", "point")
MARKER_ACTIONS = ("period", "as_of", "as_of_end", "since", "keep")
MARKER_POLICIES = ("any", "required", "role_word", "none")
TOP_KEYS = (
    "version",
    "vocab",
    "anchors",
    "war_start",
    "placeholders",
    "markers",
    "prefilter",
    "trigger_patterns",
    "rules",
    "joins",
    "dateline",
)
VOCAB_KEYS = ("months", "weekdays", "capitalized_only", "cardinals", "ordinals", "quantifiers", "units")
RULE_KEYS = ("id", "pattern", "trigger", "resolver", "role", "markers", "params", "examples", "no_match", "note")
EXAMPLE_KEYS = ("text", "published", "role", "start", "end", "span")
# Named groups and params each resolver reads; the loader checks them so a rule cannot
# silently never fire.
NEEDS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "date_range": (("a", "b"), ()),
    "year_range": (("a", "b"), ()),
    "weekday": (("wd",), ()),
    "weekday_dom": (("dom",), ()),
    "century": (("ord",), ()),
    "last_n_units": (("unit",), ("end_offset_days",)),
    "next_n_units": (("unit",), ()),
    "ago": (("unit",), ("sign",)),
    "relative_day": ((), ("offsets",)),
    "relative_unit": (("rel", "unit"), ("modes",)),
    "relative_month": (("month",), ("month_offsets", "year_offsets")),
    "anchor": ((), ("anchor",)),
    "anchor_span": (("unit",), ("anchor",)),
    "part_of": (("part",), ("parts",)),
    "quarter": ((), ("words",)),
    "half": ((), ("words",)),
    "decade": ((), ("words",)),
    "season": (("season",), ("months", "relations")),
}


def freeze(value: Any) -> Any:
    """Return a read-only copy: mappings become ``MappingProxyType``, lists tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def as_date(path: Path, rule: str, value: Any, field: str) -> date | None:
    """Read an ISO date (or ``null``) from YAML; YAML may already have parsed it."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise fail(path, rule, f"{field} {value!r} is not an ISO date", "write it as YYYY-MM-DD or null") from exc


def load_vocab(path: Path, raw: Any) -> Vocab:
    """Validate the ``vocab`` tables and return them as a frozen ``Vocab``."""
    table = check_keys(path, "vocab", raw, VOCAB_KEYS, required=VOCAB_KEYS)
    months = _numbered(path, "vocab.months", table["months"], 1, 12)
    weekdays = _numbered(path, "vocab.weekdays", table["weekdays"], 0, 6)
    units: dict[str, tuple[str, int]] = {}
    for word, value in dict(table["units"]).items():
        m = re.fullmatch(r"(?:(\d+)\s+)?(hour|day|week|month|quarter|year)", str(value))
        if not m:
            raise fail(
                path,
                "vocab.units",
                f"{word!r}: {value!r} is not '[N] hour|day|week|month|quarter|year'",
                "write e.g. 'day' or '2 week'",
            )
        units[str(word).lower()] = (m[2], int(m[1] or 1))
    words = {
        name: {str(k).lower(): int(v) for k, v in dict(table[name]).items()}
        for name in ("cardinals", "ordinals", "quantifiers")
    }
    return Vocab(
        freeze(months),
        freeze(weekdays),
        freeze(words["cardinals"]),
        freeze(words["ordinals"]),
        freeze(words["quantifiers"]),
        freeze(units),
    )


def _numbered(path: Path, rule: str, raw: Any, low: int, high: int) -> dict[str, int]:
    """Read ``{number: [word, ...]}`` into ``{word: number}``, checking the number range."""
    if not isinstance(raw, Mapping):
        raise fail(path, rule, "expected a mapping of number to word list", f"write '{low}: [word, ...]'")
    out: dict[str, int] = {}
    for number, words in raw.items():
        if not isinstance(number, int) or not low <= number <= high or not isinstance(words, list):
            raise fail(path, rule, f"bad entry {number!r}: {words!r}", f"use a number {low}-{high} and a word list")
        out.update({str(w).lower(): number for w in words})
    return out


def vocab_placeholders(path: Path, raw: Mapping[str, Any], vocab: Vocab) -> dict[str, str]:
    """Build MONTH, WEEKDAY, CARDINAL, ORDWORD, QUANT and UNIT from the vocab tables.

    Words listed under ``capitalized_only`` ("May", "March") match only capitalised or upper
    case, since in lower case they are common words.
    """
    capital = {str(w).lower() for w in raw.get("capitalized_only") or ()}

    def words(rule: str, items: Sequence[str]) -> str:
        plain = [w for w in items if w not in capital]
        cased = [v for w in items if w in capital for v in (w.capitalize(), w.upper())]
        parts = [alternation(path, rule, plain)] if plain else []
        parts += ["(?-i:" + alternation(path, rule, cased) + ")"] if cased else []
        return r"(?<![A-Za-z])(?:" + "|".join(parts) + r")(?![A-Za-z])"

    def spaced(table: Mapping[str, int]) -> list[str]:
        return [w.replace(" ", r"\s+") for w in sorted(table)]

    return {
        "MONTH": words("vocab.months", list(vocab.months)),
        "MONTH_FULL": words("vocab.months", [str(names[0]).lower() for names in dict(raw["months"]).values()]),
        "MONTH_ANYCASE": r"(?<![A-Za-z])" + alternation(path, "vocab.months", list(vocab.months)) + r"(?![A-Za-z])",
        "WEEKDAY": words("vocab.weekdays", list(vocab.weekdays)),
        "CARDINAL": alternation(path, "vocab.cardinals", list(vocab.cardinals)),
        "ORDWORD": alternation(path, "vocab.ordinals", list(vocab.ordinals)),
        "QUANT": alternation(path, "vocab.quantifiers", spaced(vocab.quantifiers), escape=False),
        "UNIT": alternation(path, "vocab.units", list(vocab.units)),
    }


def load_anchors(path: Path, raw: Any, war_start: Any) -> tuple[Mapping[str, Anchor], date]:
    """Validate the named anchors and return them with the war-start date."""
    if not isinstance(raw, Mapping) or not raw:
        raise fail(path, "anchors", "expected a non-empty mapping", "write 'name: {date: YYYY-MM-DD}'")
    anchors: dict[str, Anchor] = {}
    for name, entry in raw.items():
        item = check_keys(path, f"anchors.{name}", entry, ("before", "note"), required=("date",))
        day = as_date(path, f"anchors.{name}", item["date"], "date")
        anchors[str(name)] = Anchor(str(name), day or date.min, item.get("before"))
    for anchor in anchors.values():
        if anchor.before is not None and anchor.before not in anchors:
            raise fail(
                path,
                f"anchors.{anchor.name}",
                f"'before' names unknown anchor {anchor.before!r}",
                f"use one of {', '.join(sorted(anchors))}",
            )
    if war_start not in anchors:
        raise fail(path, "war_start", f"{war_start!r} is not an anchor", f"use one of {', '.join(sorted(anchors))}")
    return freeze(anchors), anchors[str(war_start)].day


def load_markers(path: Path, raw: Any) -> tuple[re.Pattern[str], Mapping[str, str], int]:
    """Compile the role markers ("since", "as of", "in", "on" ...) preceding a time expression."""
    table = check_keys(path, "markers", raw, MARKER_ACTIONS)
    actions = {" ".join(str(w).lower().split()): action for action, ws in table.items() for w in ws or ()}
    words = [w.replace(" ", r"\s+") for w in actions]
    pattern = r"(?<![\w'’-])(?P<m>" + alternation(path, "markers", words, escape=False) + r")\s+\Z"
    return compile_pattern(path, "markers", pattern), freeze(actions), max(len(w) for w in actions) + 8


def load_rule(
    path: Path,
    entry: Any,
    placeholders: Mapping[str, str],
    prefilter: re.Pattern[str],
    anchors: Mapping[str, Anchor],
    vocab: Vocab,
    trigger_patterns: Mapping[str, re.Pattern[str]],
) -> PeriodRule:
    """Validate one rule entry and compile its pattern."""
    rule_id = str(entry.get("id", "?")) if isinstance(entry, Mapping) else "?"
    item = check_keys(path, rule_id, entry, RULE_KEYS, required=("id", "pattern", "resolver", "role"))
    resolver = str(item["resolver"])
    if resolver not in RESOLVERS:
        raise fail(path, rule_id, f"unknown resolver {resolver!r}", f"use one of {', '.join(sorted(RESOLVERS))}")
    role, policy = str(item["role"]), str(item.get("markers", "any"))
    if role not in ROLES or policy not in MARKER_POLICIES:
        raise fail(
            path,
            rule_id,
            f"role {role!r} / markers {policy!r} not allowed",
            f"role: one of {', '.join(ROLES)}; markers: one of {', '.join(MARKER_POLICIES)}",
        )
    pattern = compile_pattern(path, rule_id, str(item["pattern"]), placeholders, guard=True)
    trigger = load_trigger(path, rule_id, item.get("trigger"), vocab, trigger_patterns)
    params = freeze(item.get("params") or {})
    _check_needs(path, rule_id, resolver, pattern, params, anchors)
    examples = tuple(_example(path, rule_id, ex, prefilter) for ex in item.get("examples") or ())
    check_triggered(path, rule_id, [ex.text for ex in examples], trigger, trigger_patterns)
    if not examples:
        raise fail(
            path, rule_id, "no examples", "add at least one 'examples' entry with text, published, role, start, end"
        )
    return PeriodRule(
        rule_id,
        pattern,
        trigger,
        resolver,
        RESOLVERS[resolver],
        role,
        policy,
        params,
        examples,
        tuple(str(t) for t in item.get("no_match") or ()),
    )


def _check_needs(
    path: Path,
    rule_id: str,
    resolver: str,
    pattern: re.Pattern[str],
    params: Mapping[str, Any],
    anchors: Mapping[str, Anchor],
) -> None:
    """Check the named groups and params the resolver reads, and anchor names."""
    groups, keys = NEEDS.get(resolver, ((), ()))
    missing = [g for g in groups if g not in pattern.groupindex]
    if missing:
        raise fail(
            path,
            rule_id,
            f"resolver {resolver!r} reads group(s) {', '.join(missing)}",
            "add (?P<name>...) to the pattern",
        )
    absent = [k for k in keys if k not in params]
    if absent:
        raise fail(
            path, rule_id, f"resolver {resolver!r} needs param(s) {', '.join(absent)}", "add them under 'params'"
        )
    if "anchor" in params and params["anchor"] not in anchors:
        raise fail(path, rule_id, f"unknown anchor {params['anchor']!r}", f"use one of {', '.join(sorted(anchors))}")


def _example(path: Path, rule_id: str, raw: Any, prefilter: re.Pattern[str]) -> Example:
    """Validate one inline example; its text must pass the prefilter, or no rule could fire on it."""
    item = check_keys(path, rule_id, raw, EXAMPLE_KEYS, required=("text", "published", "role", "start", "end"))
    text = str(item["text"])
    if not prefilter.search(text):
        raise fail(path, rule_id, f"example {text!r} does not pass 'prefilter'", "add its word to 'prefilter'")
    if item["role"] not in ROLES:
        raise fail(path, rule_id, f"example role {item['role']!r}", f"use one of {', '.join(ROLES)}")
    return Example(
        text,
        as_date(path, rule_id, item["published"], "published"),
        str(item["role"]),
        as_date(path, rule_id, item["start"], "start"),
        as_date(path, rule_id, item["end"], "end"),
        item.get("span"),
    )


def load_joins(path: Path, raw: Any, prefilter: re.Pattern[str]) -> Joins:
    """Validate the ``joins`` section and compile its connector patterns."""
    item = check_keys(path, "joins", raw, ("examples", "note"), required=("connectors", "after_between"))
    connectors = alternation(path, "joins", [str(w) for w in item["connectors"]])
    between = alternation(path, "joins", [str(w) for w in item["after_between"]])
    words = alternation(path, "joins", [str(w) for w in item["connectors"] if str(w).isalpha()])
    examples = tuple(_example(path, "joins", ex, prefilter) for ex in item.get("examples") or ())
    return Joins(
        compile_pattern(path, "joins", rf"\s*{connectors}\s*"),
        compile_pattern(path, "joins", rf"\s*{between}\s*"),
        compile_pattern(path, "joins", rf"{words}\s"),
        examples,
    )


def load_dateline(path: Path, raw: Any, placeholders: Mapping[str, str]) -> Dateline:
    """Validate the ``dateline`` section (window size, label and date patterns, examples)."""
    item = check_keys(path, "dateline", raw, ("examples", "note"), required=("window", "label", "pattern"))
    examples = []
    for ex in item.get("examples") or ():
        entry = check_keys(path, "dateline", ex, ("text", "date"), required=("text", "date"))
        examples.append((str(entry["text"]), as_date(path, "dateline", entry["date"], "date")))
    return Dateline(
        int(item["window"]),
        compile_pattern(path, "dateline.label", str(item["label"]), placeholders),
        compile_pattern(path, "dateline.pattern", str(item["pattern"]), placeholders),
        tuple(examples),
    )


def load(path: Path | None = None) -> PeriodRules:
    """Read, validate and compile the whole rule file (see ``claimtrack.transforms.periods.find.load_period_rules``)."""
    path = path or DEFAULT_PATH
    raw = check_keys(path, None, load_yaml(path), TOP_KEYS, required=TOP_KEYS[1:])
    vocab = load_vocab(path, raw["vocab"])
    anchors, war_start = load_anchors(path, raw["anchors"], raw["war_start"])
    if not isinstance(raw["placeholders"], Mapping):
        raise fail(path, "placeholders", "expected a mapping NAME: regex", "write 'NAME: regex' lines")
    placeholders = expand_placeholders(path, {**vocab_placeholders(path, raw["vocab"], vocab), **raw["placeholders"]})
    markers, actions, window = load_markers(path, raw["markers"])
    prefilter = compile_pattern(path, "prefilter", str(raw["prefilter"]), placeholders, guard=True)
    if not isinstance(raw["rules"], list) or not raw["rules"]:
        raise fail(path, "rules", "expected a non-empty list", "add rules")
    patterns = load_trigger_patterns(path, raw["trigger_patterns"])
    rules = tuple(load_rule(path, entry, placeholders, prefilter, anchors, vocab, patterns) for entry in raw["rules"])
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise fail(path, rule.id, "duplicate rule id", "give each rule a unique id")
        seen.add(rule.id)
    return PeriodRules(
        path,
        rules,
        vocab,
        anchors,
        war_start,
        markers,
        actions,
        window,
        prefilter,
        patterns,
        load_joins(path, raw["joins"], prefilter),
        load_dateline(path, raw["dateline"], placeholders),
        str(raw["prefilter"]).startswith("\\d|"),
    )
