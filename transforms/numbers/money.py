"""Currencies: the currency tables of ``data/vocab/numbers.yaml`` compiled, the home currency of
a document, and the currency a written form names in it.

``build_currency`` and ``build_money`` compile the tables (``RuleError`` naming the file, the
rule and the fix); ``Home(text, currency)`` holds the currencies a document is about, from the
countries, demonyms and cities it names and its own unambiguous amounts;
``prefix_currency``, ``suffix_unit`` and ``context_currency`` give one mention its unit. Pure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Any

from claimtrack.transforms.numbers.tables import CODE, Currency, MoneyContext, TableReader, squash, words_alt
from claimtrack.transforms.rules import alternation, fail

CURRENCY_KEYS = ("iso", "prefixes", "suffixes", "weak_prefixes", "cues")
WEAK_WHEN = ("home", "scaled")
WEIGHT_BEFORE, WEIGHT_AFTER = 60, 30  # characters around a "pounds" amount searched for weight words


def build_currency(reader: TableReader, scale: str) -> tuple[Currency, str, str, str]:
    """The compiled ``currencies`` and ``shared_forms``; also the alternation of the codes, that of
    every written form (placeholders of the labels file) and the lookbehind that lets the
    scanner read digits glued to a letter prefix ("RM4", "USD10m", "R4bn"). ``scale`` is the
    alternation of scale words and abbreviations."""
    iso: dict[str, str] = {}
    weak: dict[str, str] = {}
    scaled: set[str] = set()
    cues: dict[str, list[str]] = {}
    prefixes: list[str] = []
    suffixes: list[str] = []
    for entry in reader.entries("currencies", CURRENCY_KEYS, ("iso", "prefixes", "suffixes")):
        rule = _iso_code(reader, entry)
        forms = [str(f) for f in (*entry["prefixes"], *entry["suffixes"])]
        for form in forms:
            _claim(reader, iso, squash(form), rule)
        for letter, when in _weak(reader, rule, entry.get("weak_prefixes") or {}).items():
            _claim(reader, weak, letter, rule)
            scaled.update([letter] if when == "scaled" else [])
        cues[rule] = [str(c) for c in entry.get("cues") or []]
        prefixes += entry["prefixes"]
        suffixes += entry["suffixes"]
        reader.keep(
            rule, entry, reader.compile(rule, rf"(?<![^\W\d_]){words_alt(reader.path, rule, forms)}(?![^\W\d_])")
        )
    shared = _shared(reader, iso)
    home, home_iso = _home(reader, cues, _own_prefixes(prefixes, iso, shared), weak, scaled, scale)
    codes = alternation(reader.path, "currencies", [str(f) for f in (*prefixes, *suffixes) if CODE.fullmatch(str(f))])
    currency = Currency(
        prefix=reader.compile("currencies", rf"(?<![^\W\d_]){words_alt(reader.path, 'currencies', prefixes)}\s?$"),
        suffix=reader.compile(
            "currencies",
            rf"\s?{words_alt(reader.path, 'currencies', suffixes)}(?![^\W\d_])(?:(?<=[^\W\d_])|(?!\s?\d))",
        ),
        vague_suffix=_vague_suffix(reader, suffixes),
        iso=MappingProxyType(iso),
        shared=MappingProxyType(shared),
        weak_prefix=_weak_prefix(reader, weak),
        weak=MappingProxyType(weak),
        weak_scaled=frozenset(scaled),
        home=home,
        home_iso=home_iso,
        codes=frozenset(iso.values()),
    )
    return currency, codes, words_alt(reader.path, "currencies", [*prefixes, *suffixes]), _glued(prefixes, weak)


def _iso_code(reader: TableReader, entry: Mapping[str, Any]) -> str:
    """The entry's ISO code, checked."""
    rule = str(entry["iso"])
    if not re.fullmatch(r"[a-z]{3}", rule):
        raise fail(reader.path, rule, "iso must be a lower-case three-letter code", "write e.g. iso: usd")
    return rule


def _claim(reader: TableReader, table: dict[str, str], key: str, code: str) -> None:
    """Record that ``key`` names ``code``; a key may name only one currency."""
    if table.setdefault(key, code) != code:
        raise fail(reader.path, code, f"{key!r} already names {table[key]}", "keep each form in one currency")


def _weak(reader: TableReader, rule: str, raw: Any) -> dict[str, str]:
    """``weak_prefixes``: one capital letter -> ``home`` or ``scaled``."""
    if not isinstance(raw, Mapping):
        raise fail(reader.path, rule, "weak_prefixes must map a letter to home or scaled", "write {R: scaled}")
    for letter, when in raw.items():
        if not re.fullmatch(r"[A-Z]", str(letter)) or when not in WEAK_WHEN:
            raise fail(
                reader.path, rule, f"bad weak prefix {letter!r}: {when!r}", "write one capital letter: home|scaled"
            )
    return {str(k): str(v) for k, v in raw.items()}


def _weak_prefix(reader: TableReader, weak: Mapping[str, str]) -> re.Pattern[str]:
    """A glued letter prefix ending where the number starts (never matches without any)."""
    letters = "|".join(map(re.escape, sorted(weak))) or "(?!)"
    return reader.compile("currencies", rf"(?<![^\W\d_])(?:{letters})$", 0)


def _vague_suffix(reader: TableReader, suffixes: list[str]) -> re.Pattern[str]:
    """ "of dollars" after a vague magnitude; checks the ``vague_currency`` section."""
    link = reader.section("vague_currency", ("link",), ("link",))
    reader.keep("vague_currency", link, reader.compile("vague_currency", str(link["link"])))
    suffix = words_alt(reader.path, "currencies", suffixes)
    return reader.compile("vague_currency", rf"(?:{link['link']}){suffix}(?![^\W\d_])")


def _shared(reader: TableReader, iso: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """``shared_forms``: written form (squashed) -> the currencies a home currency may give it."""
    shared: dict[str, frozenset[str]] = {}
    keys = ("default", "forms", "currencies")
    for n, entry in enumerate(reader.entries("shared_forms", keys, keys)):
        rule, default = f"shared_forms[{n}]", str(entry["default"])
        members = frozenset(str(c) for c in entry["currencies"])
        unknown = sorted(members - set(iso.values()))
        if unknown or default not in members:
            raise fail(reader.path, rule, f"unknown or missing currencies {unknown or [default]}", "list known codes")
        for form in entry["forms"]:
            if iso.get(squash(str(form))) != default:
                raise fail(reader.path, rule, f"{form!r} is not a form of {default}", "list it under that currency")
            shared[squash(str(form))] = members
        forms = words_alt(reader.path, rule, entry["forms"])
        reader.keep(rule, entry, reader.compile(rule, rf"(?<![^\W\d_]){forms}(?![^\W\d_])"))
    return shared


def _own_prefixes(prefixes: list[str], iso: Mapping[str, str], shared: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each currency's prefixes that no other currency writes alike."""
    own: dict[str, list[str]] = {}
    for form in prefixes:
        if squash(str(form)) not in shared:
            own.setdefault(iso[squash(str(form))], []).append(str(form))
    return own


def _home(
    reader: TableReader,
    cues: Mapping[str, list[str]],
    own: Mapping[str, list[str]],
    weak: Mapping[str, str],
    scaled: set[str],
    scale: str,
) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One pattern for every home-currency cue: names (case-sensitive), the currency's own
    prefixes before digits and its scaled weak prefixes ("R4bn"); group ``c<i>`` is code ``i``."""
    groups: list[str] = []
    codes: list[str] = []
    for code in sorted(set(cues) | set(own)):
        parts = [rf"(?<![\w.]){alternation(reader.path, code, cues[code])}(?!\w)"] if cues.get(code) else []
        if own.get(code):
            parts.append(rf"(?<![^\W\d_]){words_alt(reader.path, code, own[code])}\s?(?=\d)")
        letters = [w for w, c in weak.items() if c == code and w in scaled]
        if letters:
            parts.append(rf"\b(?:{'|'.join(letters)})(?=\d[\d.,]*\s?(?i:{scale})\b)")
        if parts:
            groups.append(f"(?P<c{len(codes)}>{'|'.join(parts)})")
            codes.append(code)
    words = [w for table in (cues, own) for forms in table.values() for w in forms]
    gate = f"(?=[{re.escape(''.join(sorted({w[0] for w in words} | set(weak))))}])"
    return reader.compile("currencies", f"{gate}(?:{'|'.join(groups)})", 0), tuple(codes)


def _glued(prefixes: list[str], weak: Mapping[str, str]) -> str:
    """Lookbehinds (one per length) for letter prefixes glued to digits ("RM4", "R4bn")."""
    letters = sorted({str(f) for f in prefixes if re.fullmatch(r"[A-Za-z]+", str(f))} | set(weak))
    by_length: dict[int, list[str]] = {}
    for form in letters:
        by_length.setdefault(len(form), []).append(re.escape(form))
    return "|".join(f"(?<=\\b(?-i:{'|'.join(forms)}))" for _, forms in sorted(by_length.items()))


def build_money(reader: TableReader) -> MoneyContext:
    """The ``money_context`` and ``weight_pounds`` sections."""
    keys = ("before", "free", "after")
    context = reader.section("money_context", keys, keys)
    patterns = {k: reader.compile(f"money_context.{k}", context[k]) for k in ("before", "free", "after")}
    reader.keep("money_context", context, None)
    weight = reader.section("weight_pounds", ("forms", "unit", "context"), ("forms", "unit", "context"))
    pattern = reader.compile("weight_pounds", weight["context"])
    reader.keep("weight_pounds", weight, None)
    return MoneyContext(
        before=patterns["before"],
        free=patterns["free"],
        after=patterns["after"],
        pounds=frozenset(squash(str(f)) for f in weight["forms"]),
        pound_unit=str(weight["unit"]),
        weight=pattern,
    )


class Home:
    """The currencies a document is about, read from its text when first asked (most
    sentences never need them): ``code``, the one whose cues it names most, at least twice and
    more often than any other (None when none stands out), and ``cited``, every currency whose
    cues it names at least twice. ``Home()`` knows no document: no code, nothing cited."""

    def __init__(self, text: str = "", currency: Currency | None = None) -> None:
        self._text = text
        self._currency = currency

    @cached_property
    def _counts(self) -> list[tuple[str, int]]:
        """Cue counts per currency code, most named first."""
        if self._currency is None or not self._text:
            return []
        codes, found = self._currency.home_iso, self._currency.home.finditer(self._text)
        return Counter(codes[int(str(m.lastgroup)[1:])] for m in found).most_common()

    @cached_property
    def code(self) -> str | None:
        """The main currency, or None."""
        ranked = self._counts
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0][0]

    @cached_property
    def cited(self) -> frozenset[str]:
        """Every currency named at least twice."""
        return frozenset(code for code, n in self._counts if n >= 2)


def named(form: str, home: Home, currency: Currency) -> str:
    """The code a written currency form names in a document about ``home``."""
    key = squash(form)
    members = currency.shared.get(key)
    if members is None or home.code not in members:
        return currency.iso[key]
    return str(home.code)


def prefix_currency(text: str, start: int, scaled: bool, home: Home, currency: Currency) -> tuple[int, str] | None:
    """The currency prefix ending at ``start`` (where it starts, its code), or None. A weak
    letter prefix counts only in a document that cites its currency, or before a ``scaled``
    amount when allowed."""
    strong = currency.prefix.search(text, max(0, start - 12), start)
    if strong is not None:
        return strong.start(), named(strong.group(), home, currency)
    weak = currency.weak_prefix.search(text, max(0, start - 1), start)
    if weak is None:
        return None
    code = currency.weak[weak.group()]
    return (weak.start(), code) if code in home.cited or (scaled and weak.group() in currency.weak_scaled) else None


def suffix_unit(
    text: str, span: tuple[int, int], written: str, home: Home, currency: Currency, money: MoneyContext
) -> str:
    """The unit a currency word after an unscaled number ``span`` names: its code, or a weight
    ("lost 40 pounds")."""
    start, end = span
    if squash(written) in money.pounds and money.weight.search(
        text, max(0, start - WEIGHT_BEFORE), min(len(text), end + WEIGHT_AFTER)
    ):
        return money.pound_unit
    return named(written, home, currency)


def is_money(text: str, span: tuple[int, int], large: bool, money: MoneyContext) -> bool:
    """True when a ``large`` amount (vague, or a million or more) that names no currency is
    money by its context ("worth thousands", "billions in aid")."""
    start, end = span
    if not large:
        return False
    before = money.before.search(text, max(0, start - 24), start)
    return bool((before is not None and money.free.match(text, end)) or money.after.match(text, end))
