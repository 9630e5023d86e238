"""Finding number expressions in text: digits, number words, scales, fractions, vague
magnitudes, hedges, ranges, percentages and currencies (CLAIMS_SPEC sections 1 and 3).

``find_quantities(text, rules)`` returns every number expression of ``text`` as a
``Quantity`` (sorted by start, non-overlapping), and never a date, year, time of day or a
number inside a name or label. The vocabulary and the ambiguity filters are data
(``data/vocab/numbers.yaml``, ``data/vocab/labels.yaml``) loaded once by
``load_number_rules``. Pure: no clock, no I/O after loading.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from claimtrack.transforms.model import Bound, Quantity
from claimtrack.transforms.numbers import money
from claimtrack.transforms.numbers.build import build_rules
from claimtrack.transforms.numbers.examples import FIELDS, Example
from claimtrack.transforms.numbers.hidden import strip_hidden
from claimtrack.transforms.numbers.money import Home
from claimtrack.transforms.numbers.spans import Mention, join_neighbours, limits
from claimtrack.transforms.numbers.tables import DigitFormat, NumberRules, norm, squash
from claimtrack.transforms.numbers.words import TOKEN, WordNumber, parse_run, tokenize
from claimtrack.transforms.rules import data_file

NEXT_WORD = re.compile(r"\s+([a-z]+)")
SPACES = re.compile(r"[\s\u00a0\u202f]")
MINUS = ("-", "\u2212")
WINDOW_BEFORE, WINDOW_AFTER = 80, 48  # characters around a number in which filters look
TAIL_SKIPS = (WINDOW_AFTER, 24, 12, 6)  # tails after a window's last number the filters skip
LARGE_AMOUNT = 1_000_000  # a number this large with money words around it is money
NO_HOME = Home()


def load_number_rules(path: Path | None = None) -> NumberRules:
    """Load, validate and compile ``numbers.yaml`` (default ``data/vocab/numbers.yaml``) and the
    labels file it names; compile once and pass the result to ``find_quantities``.

    Raises ``RuleError`` naming the file, the rule and the fix.
    """
    return build_rules(path or data_file("vocab", "numbers.yaml"))


def find_quantities(text: str, rules: NumberRules, home: Home = NO_HOME, earlier: str | None = None) -> list[Quantity]:
    """Return every number expression in ``text``, sorted by start, non-overlapping.

    Each ``Quantity`` covers hedge + number (+ currency, percent); ``number_end`` is where the
    head noun would start. Dates, years, times and numbers in names/labels are left out.
    ``home`` holds the currencies of the document (``home_currency``): "$" in an article about
    Canada is ``cad``; by default every shared sign keeps its default. ``earlier`` is the
    currency named last before ``text``: money without a currency ("worth thousands") takes it.
    Format characters ("7\u200b00,000") are read past; offsets stay those of ``text``.
    """
    stripped = strip_hidden(text)
    if stripped is not None:
        return [stripped.restore(q) for q in find_quantities(stripped.text, rules, home, earlier)]
    mentions = []
    for bare in _read_all(text, rules):
        mention = _attach(text, bare, rules, home, earlier)
        earlier = mention.unit if mention.unit in rules.currency.codes else earlier
        mentions.append(mention)
    if not mentions:
        return []
    blocked = _blocked_spans(text, mentions, rules)
    kept = [m for m in mentions if not _is_blocked(m, blocked, rules)]
    return _non_overlapping(join_neighbours(text, kept, rules))


def find_document_quantities(text: str, sentences: Sequence[str], rules: NumberRules) -> list[list[Quantity]]:
    """``find_quantities`` over each of the ``sentences`` of the document ``text``, in order,
    with the document's home currency and the currency named last before each sentence."""
    home, earlier = home_currency(text, rules), None
    found = []
    for sentence in sentences:
        quantities = find_quantities(sentence, rules, home, earlier)
        earlier = next((q.unit for q in reversed(quantities) if q.unit in rules.currency.codes), earlier)
        found.append(quantities)
    return found


def home_currency(text: str, rules: NumberRules) -> Home:
    """The currencies a whole document is about (from the countries, demonyms and cities it
    names and its own unambiguous amounts): ``code`` the main one or None, ``cited`` those
    named at least twice."""
    return Home(text, rules.currency)


def _read_all(text: str, rules: NumberRules) -> list[Mention]:
    """Bare number mentions (no hedge or currency yet) from one scan of ``text``."""
    found: list[Mention] = []
    for match in rules.scan.finditer(text):
        group = match.lastgroup or ""
        if group == "digits":
            found.extend(_digits(text, match, rules))
        elif group == "words":
            found.extend(_words(text, match, rules))
        elif group == "ordw":
            found.append(_ordinal_word(match, rules))
        elif group == "vague":
            magnitude = rules.vague[norm(match.group())]
            found.append(Mention.spanning(match.start(), match.end(), None, *magnitude, bound="~", kind="vague"))
        elif group.startswith("p"):
            found.append(_phrase(match, rules))
    return found


def _phrase(match: re.Match[str], rules: NumberRules) -> Mention:
    """A fixed phrase ("a couple of") with its own value and bound."""
    value, bound = rules.phrases[int((match.lastgroup or "p0")[1:])]
    low, high = limits(value, bound)
    return Mention.spanning(match.start(), match.end(), value, low, high, bound=bound, kind="phrase")


def _digits(text: str, match: re.Match[str], rules: NumberRules) -> list[Mention]:
    """A digit number with sign, ordinal suffix and scale, or nothing (an ordinal that is a rank)."""
    index = next(i for i, _ in enumerate(rules.formats) if match.group(f"f{i}") is not None)
    raw = match.group(f"f{index}")
    start, digits_end = match.start("digits"), match.end(f"f{index}")
    if match.group("ord") is not None:
        if not rules.ordinal_noun.match(text, match.end("ord")):
            return []
        digits_end = match.end("ord")
    value = _digit_value(raw, rules.formats[index])
    if text[start] in MINUS:
        value = -value
    scale, end = _scale(text, match, raw, rules)
    if scale == 1:
        end = digits_end
    scaled = value if scale == 1 else float(Decimal(str(value)) * Decimal(str(scale)))  # repr round-trips
    return [Mention.spanning(start, end, scaled, scaled, scaled, scale=scale)]


def _digit_value(raw: str, fmt: DigitFormat) -> float:
    """Parse digits written in format ``fmt``."""
    if fmt.decimal == "/":
        numerator, denominator = raw.split("/")
        return int(numerator) / int(denominator)
    body = SPACES.sub("", raw) if fmt.group == " " else raw.replace(fmt.group, "") if fmt.group else raw
    return float(body.replace(fmt.decimal, ".")) if fmt.decimal != "." else float(body)


def _scale(text: str, match: re.Match[str], raw: str, rules: NumberRules) -> tuple[float, int]:
    """Multiplier of the scale word or abbreviation after the digits (1 when none or when an
    ambiguous "m"/"b" reads as a unit) and where the number then ends."""
    word = match.group("sw")
    if word is not None:
        return rules.scales[word.lower()], match.end("digits")
    written = match.group("abbr") or ""
    symbol = written.strip()
    if not symbol:
        return 1.0, match.end("digits")
    if symbol in rules.ambiguous and (written != symbol or not _ambiguous_is_scale(text, match, raw, rules)):
        return 1.0, match.end("digits")
    return rules.scales[symbol.lower()], match.end("digits")


def _ambiguous_is_scale(text: str, match: re.Match[str], raw: str, rules: NumberRules) -> bool:
    """ "m"/"b" after digits means million/billion with a currency, or before a word that is
    not a metre context ("15m people", "4.5m." but "100m from", "1.8m tall")."""
    start = match.start("digits")
    if rules.currency.prefix.search(text, max(0, start - 12), start):
        return True
    following = NEXT_WORD.match(text, match.end("digits"))
    if following is not None:
        return following.group(1) not in rules.metre_context
    return "." in raw


def _words(text: str, match: re.Match[str], rules: NumberRules) -> list[Mention]:
    """Numbers written in words, with the context checks for fractions and "half"."""
    found = []
    for number in parse_run(tokenize(text, match.start(), match.end(), rules.words)):
        if number.fraction and not _fraction_in_context(text, number, rules):
            continue
        unit = "share" if number.fraction and not rules.fractions.measure.match(text, number.end) else None
        kind = "fraction" if number.fraction else "words"
        found.append(
            Mention.spanning(
                number.start,
                number.end,
                number.value,
                number.value,
                number.value,
                unit=unit,
                kind=kind,
                scale=number.scale,
            )
        )
    return found


def _fraction_in_context(text: str, number: WordNumber, rules: NumberRules) -> bool:
    """A bare "half" needs a hedge, "a"/"one", a following "of/the/a..." or "by" before it; a singular
    fraction ("a third") needs a following word from ``fraction_context.followers``."""
    if not number.singular:
        return True
    if number.value == 0.5 and not number.article:
        bare = text[number.start : number.end].lower() == "half"
        return (
            not bare
            or bool(rules.fractions.half_followers.match(text, number.end))
            or bool(rules.fractions.half_preceders.search(text, max(0, number.start - 8), number.start))
            or _hedge(text, number.start, rules)[1] is not None
        )
    return bool(rules.fractions.followers.match(text, number.end))


def _ordinal_word(match: re.Match[str], rules: NumberRules) -> Mention:
    """ "tenth year", "twenty-fifth day": the ordinal as a count."""
    words = [w.lower() for w in TOKEN.findall(match.group())]
    value = rules.ordinals[words[-1]] + sum(rules.words.kinds[w][1] for w in words[:-1])
    return Mention.spanning(match.start(), match.end(), value, value, value, kind="ordinal")


def _attach(text: str, mention: Mention, rules: NumberRules, home: Home, earlier: str | None) -> Mention:
    """Extend a bare mention with currency prefix, hedges, currency/percent suffix and suffix
    hedges; set bound, low and high. Money without a currency takes ``earlier``'s."""
    start, end, unit = mention.start, mention.end, mention.unit
    if mention.kind in ("digits", "words"):
        prefix = money.prefix_currency(text, start, mention.scale > 1, home, rules.currency)
        if prefix is not None:
            start, unit = prefix
        sign = rules.sign_words.search(text, max(0, start - 12), start)
        if sign is not None and mention.value is not None and mention.value > 0:
            start, mention = sign.start(), replace(mention, value=-mention.value)
    start, hedge = _hedge(text, start, rules)
    end, unit = _suffix(text, mention, end, unit, rules, home)
    bound: Bound = mention.bound if hedge in (None, "=") else hedge
    after = rules.hedges.suffix.match(text, end)
    if after is not None and mention.kind != "vague":
        bound, end = rules.hedges.suffix_bounds[int((after.lastgroup or "s0")[1:])], after.end()
    if unit is None and mention.kind in ("digits", "words", "vague"):
        large = mention.kind == "vague" or (mention.value or 0) >= LARGE_AMOUNT
        if money.is_money(text, (start, end), large, rules.money):
            unit = earlier or money.named("$", home, rules.currency)
    low, high = _bounds(mention, bound)
    return Mention(
        start=start,
        end=end,
        core_start=mention.core_start,
        core_end=mention.core_end,
        value=mention.value,
        low=low,
        high=high,
        bound=bound,
        unit=unit,
        kind=mention.kind,
        scale=mention.scale,
        hedged=hedge not in (None, "="),
    )


def _suffix(
    text: str, mention: Mention, end: int, unit: str | None, rules: NumberRules, home: Home
) -> tuple[int, str | None]:
    """Currency word/code or percent after the number: new end and unit."""
    if unit is not None or mention.kind not in ("digits", "words", "vague"):
        return end, unit
    if mention.kind == "vague":
        linked = rules.currency.vague_suffix.match(text, end)  # "billions of dollars"
        if linked is not None:
            written = linked.group().strip()
            return linked.end(), money.named(written[written.lower().rfind(" of ") + 4 :], home, rules.currency)
    found = rules.currency.suffix.match(text, end)  # "300 billion roubles", "several million dollars"
    if found is not None:
        written = found.group().strip()
        if mention.scale > 1 or mention.kind == "vague":
            return found.end(), money.named(written, home, rules.currency)
        return found.end(), money.suffix_unit(
            text, (mention.start, found.end()), written, home, rules.currency, rules.money
        )
    if mention.kind == "vague":
        return end, unit
    percent = rules.percent.match(text, end)
    if percent is not None:
        return percent.end(), rules.percent_units[squash(percent.group())]
    return end, unit


def _bounds(mention: Mention, bound: Bound) -> tuple[float | None, float | None]:
    """Low and high under ``bound``: vague magnitudes keep their interval on the open side."""
    if mention.kind == "vague":
        low, high = mention.low, mention.high
        return (low, None) if bound in (">", ">=") else (None, high) if bound in ("<", "<=") else (low, high)
    assert mention.value is not None
    return limits(mention.value, bound)


def _hedge(text: str, start: int, rules: NumberRules) -> tuple[int, Bound | None]:
    """Hedge words right before ``start``: where they start and the bound of the last one
    that is not "=" ("only about" -> "~"); ``(start, None)`` when there is none."""
    chain = rules.hedges.chain.search(text, max(0, start - 48), start)
    if chain is None:
        return start, None
    bounds = [rules.hedges.bounds[norm(w)] for w in rules.hedges.word.findall(text, chain.start(), chain.end())]
    return chain.start(), next((b for b in reversed(bounds) if b != "="), "=")


def _blocked_spans(text: str, mentions: list[Mention], rules: NumberRules) -> list[tuple[int, int, frozenset[str]]]:
    """Spans of dates, years, labels and names near the mentions (filters run only in windows
    around them), with what lets a number inside stay. A span starting after a window's last
    number cannot block one (and, found after the others, changes none of them): the search
    stops short of most of the window's tail."""
    spans = []
    for low, high, last in _windows(mentions, len(text)):
        for match in _before_tail(rules.filters.pattern, high - last).finditer(text, low, high):
            index = int((match.lastgroup or "b0")[1:])
            spans.append((match.start(), match.end(), rules.filters.keep_if[index]))
    return spans


def _windows(mentions: list[Mention], size: int) -> list[tuple[int, int, int]]:
    """Merged text windows around the mentions' cores, wide enough for any label or date:
    (low, high, where the last core in it ends)."""
    windows: list[tuple[int, int, int]] = []
    for mention in mentions:
        low, high = max(0, mention.core_start - WINDOW_BEFORE), min(size, mention.core_end + WINDOW_AFTER)
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], high, mention.core_end)
        else:
            windows.append((low, high, mention.core_end))
    return windows


def _before_tail(pattern: re.Pattern[str], tail: int) -> re.Pattern[str]:
    """``pattern`` turning away the last positions of a search whose final ``tail`` characters
    follow the last number (the largest of ``TAIL_SKIPS`` that fits; ``pattern`` when none does)."""
    skip = next((size for size in TAIL_SKIPS if size <= tail), 0)
    return _tail_skipping(pattern.pattern, pattern.flags, skip) if skip else pattern


@lru_cache(maxsize=16)
def _tail_skipping(source: str, flags: int, tail: int) -> re.Pattern[str]:
    """``source`` behind a lookahead for ``tail`` more characters (one test), compiled once; keyed
    by the source, whose hash Python keeps (a pattern's hashes its whole program at every call)."""
    return re.compile(f"(?s:(?=.{{{tail}}}))(?:{source})", flags)


def _is_blocked(mention: Mention, spans: list[tuple[int, int, frozenset[str]]], rules: NumberRules) -> bool:
    """True when the number's core overlaps a filter span it is not exempt from."""
    for start, end, keep_if in spans:
        if mention.core_start < end and start < mention.core_end and not _exempt(mention, keep_if, rules):
            return True
    return False


def _exempt(mention: Mention, keep_if: frozenset[str], rules: NumberRules) -> bool:
    """True when the mention carries something that ``keep_if`` names."""
    if not keep_if:
        return False
    carried = {
        "hedge": mention.hedged,
        "scale": mention.scale > 1,
        "percent": mention.unit in rules.percent_units.values(),
        "currency": mention.unit in rules.currency.codes,
    }
    return any(carried[k] for k in keep_if)


def _non_overlapping(mentions: list[Mention]) -> list[Quantity]:
    """Quantities in text order; a mention overlapping the previous one is dropped."""
    out: list[Quantity] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if out and mention.start < out[-1].end:
            continue
        out.append(mention.quantity())
    return out


def check_number_example(example: Example, rules: NumberRules) -> str | None:
    """Run one example of data/vocab/numbers.yaml or labels.yaml."""
    if example.expect is None:
        hit = example.pattern is not None and example.pattern.search(example.text) is not None
        return None if hit == (example.polarity == "match") else f"{example.id}: {example.text!r}"
    found = find_document_quantities(example.text, [example.text], rules)[0]
    texts = [example.text[q.start : q.end] for q in found]
    expect = example.expect
    if "quantities" in expect and texts != list(expect["quantities"]):
        return f"{example.id}: expected {list(expect['quantities'])}, got {texts}"
    if "quantity" in expect:
        hits = [q for q in found if example.text[q.start : q.end] == expect["quantity"]]
        if not hits:
            return f"{example.id}: {expect['quantity']!r} not among {texts}"
        wrong = [f for f in FIELDS if f in expect and not _same(getattr(hits[0], f), expect[f])]
        return f"{example.id}: wrong {wrong}" if wrong else None
    return None


def _same(got: Any, want: Any) -> bool:
    """Field equality, numbers with a relative tolerance."""
    if isinstance(want, (int, float)) and not isinstance(want, bool) and isinstance(got, (int, float)):
        return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
    return bool(got == want)
