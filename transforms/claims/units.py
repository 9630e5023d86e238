"""What a number counts: the head noun phrase after it ("700,000 troops" -> ``troop``).

Rules come from ``data/rules/units.yaml`` (units of measure, stop words, irregular plurals,
aliases, verbs whose bare numbers count people). The unit is the noun phrase in lower case
with its last word singular; callers that need only the head noun take the last word.
``unit_of(text, quantity, previous_unit, rules)`` decides a quantity's unit in its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from claimtrack.transforms.model import Quantity
from claimtrack.transforms.rules import check_keys, check_unique, compile_pattern, data_file, fail, load_yaml

WORD = re.compile(r"\s*[“”\"‘]?(-?)((?:[A-Z]\.){2,}|[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*)[“”\"]?")
PLURAL_WORD = re.compile(r"[a-z]{3,}s$")
KEYS = [
    "version",
    "max_words",
    "skip_first",
    "stop_words",
    "determiners",
    "unit_before",
    "unit_after",
    "hyphen_skip",
    "skip",
    "bare_refused",
    "people_before",
    "people_after",
    "people_unit",
    "tally",
    "tally_unit",
    "number_of",
    "vague_alone",
    "participle_endings",
    "plural_modifiers",
    "irregular_plurals",
    "aliases",
    "examples",
]


@dataclass(frozen=True)
class UnitRules:
    """Compiled head-noun rules (see ``data/rules/units.yaml``)."""

    max_words: int
    skip_first: frozenset[str]
    stop_words: frozenset[str]
    determiners: frozenset[str]
    unit_before: tuple[tuple[str, re.Pattern[str]], ...]
    unit_after: re.Pattern[str] | None
    measures: tuple[str, ...]
    hyphen_skip: frozenset[str]
    skip: re.Pattern[str] | None
    bare_refused: frozenset[str]
    people_before: re.Pattern[str] | None
    people_after: re.Pattern[str] | None
    people_unit: str
    tally: re.Pattern[str] | None
    tally_unit: str
    number_of: re.Pattern[str] | None
    vague_alone: str | None
    participle_endings: tuple[str, ...]
    plural_modifiers: frozenset[str]
    irregular_plurals: dict[str, str]
    aliases: dict[str, str]


def _lower(words: list[object] | None) -> frozenset[str]:
    """A word list as a set of lower-case strings."""
    return frozenset(str(w).lower() for w in words or [])


@lru_cache(maxsize=4)
def load_unit_rules(path: Path | None = None) -> UnitRules:
    """Load and validate ``data/rules/units.yaml`` (or ``path``)."""
    path = path or data_file("rules", "units.yaml")
    table = check_keys(path, None, load_yaml(path), KEYS, ["max_words", "stop_words", "irregular_plurals"])
    if not isinstance(table["max_words"], int) or table["max_words"] < 1:
        raise fail(path, "max_words", "must be a positive integer", "set it to 3 or 4")
    for key in ("skip_first", "stop_words", "determiners"):
        check_unique(path, key, table.get(key) or [], fold_case=True)
    return UnitRules(
        max_words=table["max_words"],
        skip_first=_lower(table.get("skip_first")),
        stop_words=_lower(table["stop_words"]),
        determiners=_lower(table.get("determiners")),
        unit_before=_patterns(path, "unit_before", table),
        unit_after=_joined(path, "unit_after", table),
        measures=tuple(str(unit) for unit in table.get("unit_after") or {}),
        hyphen_skip=_lower(table.get("hyphen_skip")),
        skip=_pattern(path, "skip", table),
        bare_refused=_lower(table.get("bare_refused")),
        people_before=_pattern(path, "people_before", table),
        people_after=_pattern(path, "people_after", table),
        people_unit=str(table.get("people_unit") or "person"),
        tally=_pattern(path, "tally", table),
        tally_unit=str(table.get("tally_unit") or "vote"),
        number_of=_pattern(path, "number_of", table),
        vague_alone=str(table["vague_alone"]) if table.get("vague_alone") else None,
        participle_endings=tuple(table.get("participle_endings") or ()),
        plural_modifiers=_lower(table.get("plural_modifiers")),
        irregular_plurals={str(k).lower(): str(v) for k, v in table["irregular_plurals"].items()},
        aliases={str(k).lower(): str(v) for k, v in (table.get("aliases") or {}).items()},
    )


def _patterns(path: Path, key: str, table: Mapping[str, Any]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """A ``unit: pattern`` table, compiled in file order."""
    return tuple(
        (str(unit), compile_pattern(path, f"{key}.{unit}", str(pattern)))
        for unit, pattern in (table.get(key) or {}).items()
    )


def _joined(path: Path, key: str, table: Mapping[str, Any]) -> re.Pattern[str] | None:
    """A ``unit: pattern`` table as one pattern, tried in file order; group ``u<i>`` is unit ``i``."""
    patterns = _patterns(path, key, table)
    joined = "|".join(f"(?P<u{n}>{pattern.pattern})" for n, (_, pattern) in enumerate(patterns))
    return compile_pattern(path, key, joined) if joined else None


def _pattern(path: Path, key: str, table: Mapping[str, Any]) -> re.Pattern[str] | None:
    """The optional pattern ``key``, compiled."""
    return compile_pattern(path, key, str(table[key])) if table.get(key) else None


def singular(word: str, rules: UnitRules) -> str:
    """Return the singular of an English noun in lower case ("casualties" -> "casualty")."""
    word = word.lower()
    if word in rules.irregular_plurals:
        return rules.irregular_plurals[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zzes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def is_plural(word: str, rules: UnitRules) -> bool:
    """True when ``word`` looks like a plural noun (irregular table or a regular -s ending)."""
    lower = word.lower()
    if lower in rules.irregular_plurals:
        return rules.irregular_plurals[lower] != lower
    return bool(PLURAL_WORD.search(lower)) and not lower.endswith(("ss", "us", "is", "ous"))


def _phrase_words(text: str, rules: UnitRules) -> list[str]:
    """The candidate noun-phrase words at the start of ``text`` (stops at punctuation/stop words)."""
    words: list[str] = []
    position, skipped_of = 0, False
    while len(words) < rules.max_words:
        match = WORD.match(text, position)
        if not match or (match.group(1) and words):
            break
        word = match.group(2)
        lower = word.lower()
        if (
            not words
            and not match.group(1)
            and (lower in rules.skip_first or (skipped_of and lower in rules.determiners))
        ):
            skipped_of = skipped_of or lower == "of"
            position = match.end()
            continue
        if lower in rules.stop_words and not match.group(1) and not (word.isupper() and len(word) > 1):
            break
        possessive = word.endswith(("'", "’")) or word.lower().endswith(("'s", "’s"))
        words.append(re.sub(r"['’]s?$", "", word))
        position = match.end()
        if possessive:
            break
    return words


def _trim(words: list[str], rules: UnitRules) -> list[str]:
    """Cut the phrase after its first plural noun (compound modifiers such as "weapons" aside),
    else drop trailing participles and adverbs."""
    for index, word in enumerate(words):
        if is_plural(word, rules) and word.lower() not in rules.plural_modifiers:
            return words[: index + 1]
    while words and words[-1].lower().endswith(rules.participle_endings):
        words = words[:-1]
    return words


def head_phrase(after: str, rules: UnitRules | None = None) -> str | None:
    """Return the unit named at the start of ``after`` (the text right after a number), or None.

    ``after`` may start with a hyphen ("-month mark" -> ``month``). The result is lower case,
    last word singular, aliases applied ("kilometres" -> ``km``).
    """
    return head_phrase_span(after, rules)[0]


def head_phrase_span(after: str, rules: UnitRules | None = None) -> tuple[str | None, int]:
    """Like ``head_phrase``, also returning how many characters of ``after`` the phrase covers."""
    rules = rules or load_unit_rules()
    measure = rules.unit_after.match(after) if rules.unit_after else None
    if measure is not None:
        return rules.measures[int(str(measure.lastgroup)[1:])], measure.end()
    if after.startswith("-"):
        return _hyphenated(after, rules)
    skipped = rules.skip.match(after) if rules.skip else None
    if skipped is not None:
        unit, covered = head_phrase_span(after[skipped.end() :], rules)
        return (unit, skipped.end() + covered) if unit else (None, 0)
    words = _trim(_phrase_words(after, rules), rules)
    if words and not any(is_plural(w, rules) for w in words):
        words = _coordinated(after, words, rules) or words
    if not words:
        return None, 0
    return normalise_unit(" ".join(words), rules), _covered(after, words)


def _hyphenated(after: str, rules: UnitRules) -> tuple[str | None, int]:
    """The unit of "-month mark" (``month``) or, past a ``hyphen_skip`` word, of "-strong staff"."""
    match = WORD.match(after, 1)
    if not match:
        return None, 0
    word = match.group(2).split("-")[0]
    end = match.start(2) + len(word)
    if word.lower() in rules.hyphen_skip:
        unit, covered = head_phrase_span(after[end:], rules)
        return (unit, end + covered) if unit else (None, 0)
    return normalise_unit(word, rules), end


COORDINATION = re.compile(r"\s+(?:and|or)\s+")
DETERMINER = re.compile(r"(?:\b(?:a|an|the|its|their|his|her|our|your|my|this|that)|['’]s)\s+$", re.IGNORECASE)
ORDINAL = re.compile(r"(?:\d(?:st|nd|rd|th)|first|second|third|th)$", re.IGNORECASE)


def _coordinated(after: str, words: list[str], rules: UnitRules) -> list[str] | None:
    """Words through the noun of a coordinated phrase ("military and terrorist events" ->
    military, and, terrorist, events) when ``words`` held only its first modifier."""
    end = _covered(after, words)
    joint = COORDINATION.match(after, end)
    if not joint:
        return None
    more = _trim(_phrase_words(after[joint.end() :], rules), rules)
    if not more or not is_plural(more[-1], rules) or len(words) + len(more) > rules.max_words + 1:
        return None
    return [*words, joint.group(0).strip(), *more]


def _covered(after: str, words: list[str]) -> int:
    """Offset in ``after`` just past the last of ``words`` (found in order)."""
    position = 0
    for word in words:
        position = after.index(word, position) + len(word)
    return position


def normalise_unit(phrase: str, rules: UnitRules | None = None) -> str:
    """Lower-case ``phrase``, make its last word singular (unless it is an acronym such as
    "MLRS") and apply the alias table."""
    rules = rules or load_unit_rules()
    lower = phrase.lower().strip()
    if lower in rules.aliases:
        return rules.aliases[lower]
    *head, last = lower.split(" ")
    original = phrase.strip().rsplit(" ", 1)[-1]
    acronym = original.isupper() and len(original) <= 5
    last = last if acronym else singular(last, rules)  # "MLRS", "APCS" stay as written
    last = rules.aliases.get(last, last)
    return " ".join([*head, last])


def unit_before(before: str, rules: UnitRules | None = None) -> str | None:
    """The unit named right before a number ("pop. 4 million" -> person, "year three" -> year)."""
    rules = rules or load_unit_rules()
    for unit, pattern in rules.unit_before:
        if pattern.search(before[-40:]):
            return unit
    return None


def unit_from_context(before: str, rules: UnitRules | None = None) -> str | None:
    """The unit a number without a noun of its own takes from "the number of <things>" before it."""
    rules = rules or load_unit_rules()
    found = list(rules.number_of.finditer(before)) if rules.number_of else []
    return head_phrase(before[found[-1].end() :], rules) if found else None


def nearest_plural_before(text: str, rules: UnitRules | None = None) -> str | None:
    """The last plural noun in ``text`` (a sentence up to a number), singular, or None.

    Used when a number names no unit of its own ("hitting 5 of the 9 fired").
    """
    rules = rules or load_unit_rules()
    for match in reversed(list(re.finditer(r"[A-Za-z][A-Za-z'’-]*", text))):
        word = match.group(0)
        if word.lower() not in rules.stop_words and is_plural(word, rules) and not word[0].isupper():
            return normalise_unit(word, rules)
    return None


def unit_of(text: str, q: Quantity, previous_unit: str | None, rules: UnitRules) -> tuple[str | None, int]:
    """The unit of quantity ``q`` in the sentence ``text`` and where its phrase ends (``q.end``
    when it has none of its own), or ``(None, q.end)`` when it counts nothing.

    In order: the unit the quantity carries (currency, percent), one named right before it, the
    head noun after it; without one, a bare "one" counts nothing, a vague magnitude counts
    ``vague_alone``, else the things of "the number of <things>", a vote's tally, the unit of
    the sentence's previous quantity, people after a verb that takes them, or the nearest
    plural noun before.
    """
    if q.unit:
        return q.unit, q.end
    named_before = unit_before(text[: q.start], rules)
    if named_before:
        return named_before, q.end
    unit, covered = head_phrase_span(text[q.end :], rules)
    if unit and not _verb_after_count(unit, text, q, covered, rules):
        return unit, q.end + covered
    if text[q.start : q.end].lower() in rules.bare_refused:
        return None, q.end
    if q.vague and rules.vague_alone:
        return rules.vague_alone, q.end
    fallback = unit_from_context(text[: q.start], rules) or _tally(text, q, rules) or previous_unit
    return fallback or _people(text, q, rules) or nearest_plural_before(text[: q.start], rules), q.end


def _tally(text: str, q: Quantity, rules: UnitRules) -> str | None:
    """``tally_unit`` for a number inside a vote's tally ("passed 61 to 38")."""
    found = rules.tally.finditer(text, max(0, q.start - 60), min(len(text), q.end + 20)) if rules.tally else ()
    return next((rules.tally_unit for m in found if m.start(1) <= q.start and q.end <= m.end(1)), None)


def _people(text: str, q: Quantity, rules: UnitRules) -> str | None:
    """``people_unit`` for a bare number after or before a verb that takes people ("killed
    1,200", "5 were injured")."""
    before = rules.people_before and rules.people_before.search(text, max(0, q.start - 40), q.start)
    after = rules.people_after and rules.people_after.match(text, q.end)
    return rules.people_unit if before or after else None


def _verb_after_count(unit: str, text: str, q: Quantity, covered: int, rules: UnitRules) -> bool:
    """True when a count above one (no ordinal, no determiner before it) is followed by one
    lower-case singular word that no unit table knows: a verb, not a noun ("around 600 work
    at the plant"; but "a 10,000 gain", "its 1,000 day", "its 300th day")."""
    word = text[q.end : q.end + covered].strip()
    if q.value is None or q.value <= 1 or q.value != int(q.value) or not word.isalpha() or not word.islower():
        return False
    if DETERMINER.search(text, max(0, q.start - 7), q.start) or ORDINAL.search(text, q.start, q.end):
        return False  # "a 10,000 gain", "its 1,000 day", "its 300th day"
    if unit != word:
        return False
    tables = (
        rules.irregular_plurals.keys(),
        rules.irregular_plurals.values(),
        rules.aliases.keys(),
        rules.aliases.values(),
    )
    known = {*rules.measures, *(word for table in tables for word in table)}
    return word not in known and not is_plural(word, rules)
