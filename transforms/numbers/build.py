"""Compiling ``data/vocab/numbers.yaml`` into ``NumberRules``: one combined scanner for every
number expression, plus the context patterns (hedges, currencies, percent, ranges, ratios)
and the ambiguity filters of the labels file (``claimtrack.transforms.numbers.labels``).

``build_rules(path)`` is the only entry point; it raises ``RuleError`` naming the file, the
rule and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from claimtrack.transforms.model import Bound
from claimtrack.transforms.numbers.labels import build_filters
from claimtrack.transforms.numbers.money import build_currency, build_money
from claimtrack.transforms.numbers.tables import (
    NUMBER_KEYS,
    WORD_KINDS,
    DigitFormat,
    Fractions,
    Hedges,
    NumberRules,
    Ranges,
    Ratio,
    TableReader,
    bound,
    norm,
    number,
    phrase_regex,
    prefix_gate,
    squash,
    trie_regex,
    words_alt,
)
from claimtrack.transforms.numbers.words import WordVocab
from claimtrack.transforms.rules import alternation, fail, load_yaml, start_guard

SEPARATOR = r"(?:\s*-\s*|\s+)"
GATE_CHARS = 3  # the scanner tries its word alternatives where a word starts as one of them does
DigitSources = tuple[list[str], str, str]  # format patterns, sign, ordinal suffix
ScaleSources = tuple[str, str, str, str]  # scale words, abbreviations, single-letter, multi-letter


def build_rules(path: Path) -> NumberRules:
    """Load and compile the numbers table at ``path`` and the labels table it names."""
    reader = TableReader(path, load_yaml(path), NUMBER_KEYS)
    formats, digits = _digits(reader)
    scales, ambiguous, metre, scale_srcs = _scales(reader)
    vocab, ordinals, run = _words(reader)
    multipliers = {w: v for w, (kind, v) in vocab.kinds.items() if kind == "multiplier"}
    vague, vague_words = _vague(reader)
    currency, codes, forms, glued = build_currency(reader, scale_srcs[1] + "|" + scale_srcs[0])
    percent, percent_units, percent_alt = _percent(reader)
    provided = {
        "CURRENCY_CODE": codes,
        "CURRENCY": forms,
        "SCALE_WORD": scale_srcs[0],
        "SCALE_ABBR": scale_srcs[1],
        "PERCENT": percent_alt,
    }
    filters, label_examples = build_filters(path.parent / str(reader.raw["labels"]), provided)
    scan, phrases, ordinal_noun = _scanner(
        reader, vocab, ordinals, vague_words, run, _digit_source(reader, digits, scale_srcs, list(multipliers), glued)
    )
    return NumberRules(
        scan=scan,
        formats=formats,
        scales=MappingProxyType({**scales, **multipliers}),
        ambiguous=ambiguous,
        metre_context=metre,
        words=vocab,
        ordinals=ordinals,
        ordinal_noun=ordinal_noun,
        phrases=phrases,
        vague=vague,
        hedges=_hedges(reader),
        currency=currency,
        money=build_money(reader),
        percent=percent,
        percent_units=percent_units,
        ranges=_ranges(reader),
        compound_gap=_compounds(reader),
        ratios=_ratios(reader),
        fractions=_fractions(reader),
        sign_words=reader.compile("digit_affixes", _sign_words(reader)),
        filters=filters,
        examples=tuple(reader.examples + label_examples),
    )


def _sign_words(reader: TableReader) -> str:
    """The ``sign_words`` pattern of ``digit_affixes`` (checked by ``_digits``)."""
    return str(reader.raw["digit_affixes"]["sign_words"])


def _scanner(
    reader: TableReader, vocab: WordVocab, ordinals: Mapping[str, float], vague_words: list[str], run: str, digits: str
) -> tuple[re.Pattern[str], tuple[tuple[float, Bound], ...], re.Pattern[str]]:
    """The combined scanner, the phrase values and the digit-ordinal noun pattern."""
    phrases, phrase_src = _phrases(reader)
    ordw, ordinal_noun = _ordinal_nouns(reader, vocab, ordinals)
    glue = ("and", "point")
    words = [f"{w} " if kind == "article" else w for w, (kind, _) in vocab.kinds.items() if kind not in glue]
    starts = [w for w in (*ordinals, *vague_words) if vocab.kinds.get(w, ("",))[0] not in glue]
    gate = rf"(?=\b{prefix_gate([*words, *starts], GATE_CHARS)})"  # an article only before a space: "a dozen"
    vague = trie_regex(reader.path, "vague", vague_words)
    return _scan(reader, vague, phrase_src, gate, ordw, run, digits), phrases, ordinal_noun


def _digits(reader: TableReader) -> tuple[tuple[DigitFormat, ...], DigitSources]:
    """Digit formats (in order) and the sources of formats, sign and ordinal suffix."""
    formats, sources = [], []
    for entry in reader.entries(
        "digit_formats", ("id", "pattern", "group", "decimal"), ("id", "pattern", "group", "decimal")
    ):
        rule = str(entry["id"])
        reader.keep(rule, entry, reader.compile(rule, entry["pattern"]))
        formats.append(DigitFormat(rule, str(entry["group"]), str(entry["decimal"])))
        sources.append(str(entry["pattern"]))
    keys = ("sign", "sign_words", "ordinal_suffix")
    affixes = reader.section("digit_affixes", keys, keys)
    sign, ordinal = str(affixes["sign"]), str(affixes["ordinal_suffix"])
    reader.keep("digit_affixes", affixes, reader.compile("digit_affixes", rf"(?:{sign})\d|\d(?:{ordinal})"))
    return tuple(formats), (sources, sign, ordinal)


def _scales(reader: TableReader) -> tuple[Mapping[str, float], frozenset[str], frozenset[str], ScaleSources]:
    """Scale words and abbreviations -> value; ambiguous symbols; metre words; and the
    sources (scale word alternation, abbreviation alternation, single-letter, multi-letter)."""
    section = reader.section("scale_words", ("words",), ("words",))
    words = _number_map(reader, "scale_words", section["words"])
    word_alt = words_alt(reader.path, "scale_words", list(words))
    reader.keep("scale_words", section, reader.compile("scale_words", rf"\b{word_alt}\b"))
    values: dict[str, float] = dict(words)
    ambiguous: set[str] = set()
    keys = ("id", "symbols", "value")
    for entry in reader.entries("scale_abbreviations", (*keys, "ambiguous"), keys):
        rule, value = str(entry["id"]), number(reader.path, str(entry["id"]), entry["value"])
        symbols = [str(s) for s in entry["symbols"]]
        values.update({s.lower(): value for s in symbols})
        ambiguous.update(str(s) for s in entry.get("ambiguous", []))
        alt = words_alt(reader.path, rule, symbols)
        reader.keep(rule, entry, reader.compile(rule, rf"\d\s?{alt}(?![^\W_])"))
    symbols = [re.escape(s) for s in values if s not in words]
    single = alternation(reader.path, "scale_abbreviations", [s for s in symbols if len(s) == 1], escape=False)
    multi = alternation(reader.path, "scale_abbreviations", [s for s in symbols if len(s) > 1], escape=False)
    metre = reader.section("metre_context", ("words",), ("words",))
    metre_alt = words_alt(reader.path, "metre_context", metre["words"])
    reader.keep("metre_context", metre, reader.compile("metre_context", rf"\dm\s+{metre_alt}\b"))
    abbr_alt = alternation(reader.path, "scale_abbreviations", symbols, escape=False)
    return (
        MappingProxyType(values),
        frozenset(ambiguous),
        frozenset(norm(str(w)) for w in metre["words"]),
        (word_alt, abbr_alt, single, multi),
    )


def _number_map(reader: TableReader, rule: str, raw: Any) -> dict[str, float]:
    """A ``{word: number}`` table, keys lower case."""
    if not isinstance(raw, Mapping) or not raw:
        raise fail(reader.path, rule, "expected a non-empty mapping word: number", "write {word: 1, ...}")
    return {str(k).lower(): number(reader.path, rule, v) for k, v in raw.items()}


def _words(reader: TableReader) -> tuple[WordVocab, Mapping[str, float], str]:
    """The number-word vocabulary, the ordinal table and the word-run source."""
    keys = (*WORD_KINDS, "ordinals", "articles", "decimal_point")
    section = reader.section("number_words", keys, keys)
    kinds: dict[str, tuple[str, float]] = {}
    for key, kind in WORD_KINDS.items():
        kinds.update({w: (kind, v) for w, v in _number_map(reader, f"number_words.{key}", section[key]).items()})
    kinds.update({str(w).lower(): ("article", 1.0) for w in section["articles"]})
    kinds.update({str(w).lower(): ("point", 0.0) for w in section["decimal_point"]})
    kinds["and"] = ("and", 0.0)
    real = [w for w, (kind, _) in kinds.items() if kind not in ("article", "point", "and")]
    real_alt = trie_regex(reader.path, "number_words", real)
    glue_alt = trie_regex(reader.path, "number_words", list(kinds))
    articles = words_alt(reader.path, "number_words.articles", section["articles"])
    run = rf"\b(?:{articles}\s+)?{real_alt}\b(?:{SEPARATOR}{glue_alt}\b)*"
    reader.keep("number_words", section, reader.compile("number_words", run))
    ordinals = _number_map(reader, "number_words.ordinals", section["ordinals"])
    return WordVocab(MappingProxyType(kinds)), MappingProxyType(ordinals), run


def _ordinal_nouns(reader: TableReader, vocab: WordVocab, ordinals: Mapping[str, float]) -> tuple[str, re.Pattern[str]]:
    """Source of ordinal words that count ("its tenth year", "the sixth consecutive quarter"),
    and the pattern that must follow a digit ordinal ("1,000th day", "5th straight year")."""
    keys = ("words", "exclude", "possessives", "streak", "streak_nouns")
    section = reader.section("ordinal_nouns", keys, keys)
    nouns = words_alt(reader.path, "ordinal_nouns", section["words"])
    streak = words_alt(reader.path, "ordinal_nouns.streak", section["streak"])
    streak_nouns = words_alt(reader.path, "ordinal_nouns.streak_nouns", section["streak_nouns"])
    excluded = {str(w).lower() for w in section["exclude"]}
    kept = trie_regex(reader.path, "ordinal_nouns", [w for w in ordinals if w not in excluded])
    tens = trie_regex(reader.path, "ordinal_nouns", [w for w, (kind, _) in vocab.kinds.items() if kind == "tens"])
    owner = "|".join(rf"(?<=\b{re.escape(str(w))}\s)" for w in section["possessives"]) + r"|(?<=['’]s\s)"
    in_streak = rf"\s+{streak}\s+{streak_nouns}\b"
    follow = rf"\s*-?\s*{nouns}\b|{in_streak}"
    word = rf"(?:{tens}[\s-])?{kept}"
    source = rf"(?={word}\b)(?:(?:{owner}){word}(?=\s*-?\s*{nouns}\b)|\b{word}(?={in_streak}))"
    suffix = str(reader.raw["digit_affixes"]["ordinal_suffix"])
    reader.keep("ordinal_nouns", section, reader.compile("ordinal_nouns", rf"\d(?:{suffix})(?:{follow})|{source}"))
    return source, reader.compile("ordinal_nouns", follow)


def _phrases(reader: TableReader) -> tuple[tuple[tuple[float, Bound], ...], list[str]]:
    """Fixed phrases ("a couple of"): (value, bound) and their sources, in order."""
    values, sources = [], []
    for entry in reader.entries("phrases", ("id", "pattern", "value", "bound"), ("id", "pattern", "value", "bound")):
        rule = str(entry["id"])
        reader.keep(rule, entry, reader.compile(rule, entry["pattern"]))
        values.append((number(reader.path, rule, entry["value"]), bound(reader.path, rule, entry["bound"])))
        sources.append(str(entry["pattern"]))
    return tuple(values), sources


def _vague(reader: TableReader) -> tuple[Mapping[str, tuple[float, float]], list[str]]:
    """Vague magnitudes: phrase (lower case, single spaces) -> (low, high), and the phrases."""
    bounds: dict[str, tuple[float, float]] = {}
    for entry in reader.entries("vague", ("id", "phrase", "low", "high"), ("id", "phrase", "low", "high")):
        rule = str(entry["id"])
        low, high = number(reader.path, rule, entry["low"]), number(reader.path, rule, entry["high"])
        if not low < high:
            raise fail(reader.path, rule, f"low {low:g} is not below high {high:g}", "swap or fix them")
        reader.keep(rule, entry, reader.compile(rule, rf"\b{phrase_regex(str(entry['phrase']))}\b"))
        bounds[norm(str(entry["phrase"]))] = (low, high)
    bounds.update(_vague_alternatives(reader, dict(bounds)))
    section = reader.section("vague_counts", ("quantifiers", "scales"), ("quantifiers", "scales"))
    scales = _number_map(reader, "vague_counts.scales", section["scales"])
    for quantifier in section["quantifiers"]:
        bounds.update({norm(f"{quantifier} {scale}"): (size, 10 * size) for scale, size in scales.items()})
    phrases = words_alt(reader.path, "vague_counts", [f"{q} {s}" for q in section["quantifiers"] for s in scales])
    reader.keep("vague_counts", section, reader.compile("vague_counts", rf"\b{phrases}\b"))
    return MappingProxyType(bounds), list(bounds)


def _vague_alternatives(
    reader: TableReader, magnitudes: Mapping[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """ "A or B" for vague magnitudes A, B with B ten times A: ``"tens or hundreds of billions"``
    (a shared "of ..." tail written once) and ``"hundreds or thousands"`` -> (A's low, B's high)."""
    section = reader.section("vague_alternatives", ("joiners",), ("joiners",))
    found: dict[str, tuple[float, float]] = {}
    for first, (low, _) in magnitudes.items():
        for second, (low2, high2) in magnitudes.items():
            if low2 != 10 * low:
                continue
            tail = first[first.find(" of ") :] if " of " in first else ""
            heads = [first, first[: -len(tail)]] if tail and second.endswith(tail) else [first]
            found.update(
                {norm(f"{head} {joiner} {second}"): (low, high2) for head in heads for joiner in section["joiners"]}
            )
    phrases = words_alt(reader.path, "vague_alternatives", list(found))
    reader.keep("vague_alternatives", section, reader.compile("vague_alternatives", rf"\b{phrases}\b"))
    return found


def _hedges(reader: TableReader) -> Hedges:
    """Hedges before (chains) and after the number, with their bounds."""
    bounds: dict[str, Bound] = {}
    for entry in reader.entries("hedges", ("id", "bound", "phrases"), ("id", "bound", "phrases")):
        rule = str(entry["id"])
        value = bound(reader.path, rule, entry["bound"])
        bounds.update({norm(str(p)): value for p in entry["phrases"]})
        reader.keep(rule, entry, reader.compile(rule, rf"\b{words_alt(reader.path, rule, entry['phrases'])}(?!\w)"))
    alt = trie_regex(reader.path, "hedges", list(bounds))
    suffix_bounds, sources = [], []
    for n, entry in enumerate(reader.entries("suffix_hedges", ("id", "bound", "pattern"), ("id", "bound", "pattern"))):
        rule = str(entry["id"])
        reader.keep(rule, entry, reader.compile(rule, entry["pattern"]))
        suffix_bounds.append(bound(reader.path, rule, entry["bound"]))
        sources.append(f"(?P<s{n}>{entry['pattern']})")
    return Hedges(
        chain=reader.compile("hedges", rf"(?:\b{alt}(?:\s+|(?<=-)))+$"),
        word=reader.compile("hedges", rf"\b({alt})(?:(?<=-)|(?!\w))"),
        bounds=MappingProxyType(bounds),
        suffix=reader.compile("suffix_hedges", "|".join(sources)),
        suffix_bounds=tuple(suffix_bounds),
    )


def _percent(reader: TableReader) -> tuple[re.Pattern[str], Mapping[str, str], str]:
    """Percent suffix pattern, written form -> unit, and the suffix alternation."""
    units: dict[str, str] = {}
    for entry in reader.entries("percent", ("unit", "suffixes"), ("unit", "suffixes")):
        rule = str(entry["unit"])
        units.update({squash(str(s)): rule for s in entry["suffixes"]})
        alt = words_alt(reader.path, rule, entry["suffixes"])
        reader.keep(rule, entry, reader.compile(rule, rf"(?<![^\W\d_]){alt}(?![^\W\d_])"))
    alt = words_alt(reader.path, "percent", [s for e in reader.raw["percent"] for s in e["suffixes"]])
    return reader.compile("percent", rf"\s?{alt}(?![^\W\d_])"), MappingProxyType(units), alt


def _ranges(reader: TableReader) -> Ranges:
    """Range connectors and openers."""
    keys = ("connector", "between", "between_connector", "from", "change_before_from", "alternative")
    section = reader.section("ranges", (*keys, "alternative_ratio", "repeated_unit"), keys)
    patterns = {k: reader.compile(f"ranges.{k}", section[k]) for k in (*keys, "repeated_unit")}
    reader.keep("ranges", section, reader.compile("ranges", rf"\d(?:{section['connector']})\d"))
    return Ranges(
        patterns["connector"],
        patterns["between"],
        patterns["between_connector"],
        patterns["from"],
        patterns["change_before_from"],
        patterns["alternative"],
        number(reader.path, "ranges.alternative_ratio", section["alternative_ratio"]),
        patterns["repeated_unit"],
    )


def _compounds(reader: TableReader) -> re.Pattern[str]:
    """Gap allowed inside "X billion Y million"."""
    section = reader.section("compounds", ("gap",), ("gap",))
    pattern = reader.compile("compounds", section["gap"])
    reader.keep("compounds", section, pattern)
    return pattern


def _ratios(reader: TableReader) -> tuple[Ratio, ...]:
    """Ratio connectors ("out of", "in", "3:1")."""
    ratios = []
    keys = ("id", "gap", "denominators", "not_followed_by", "unit", "any_order")
    for entry in reader.entries("ratios", keys, ("id", "gap")):
        rule = str(entry["id"])
        gap = reader.compile(rule, entry["gap"])
        reader.keep(rule, entry, gap)
        after = entry.get("not_followed_by")
        ratios.append(
            Ratio(
                rule,
                gap,
                frozenset(number(reader.path, rule, d) for d in entry.get("denominators", [])),
                reader.compile(rule, after) if after else None,
                str(entry.get("unit", "share")),
                entry.get("any_order") is True,
            )
        )
    return tuple(ratios)


def _fractions(reader: TableReader) -> Fractions:
    """Context patterns of fractions."""
    keys = ("half_followers", "half_preceders", "followers", "measure")
    section = reader.section("fraction_context", keys, keys)
    half = reader.compile("fraction_context", section["half_followers"])
    preceders = reader.compile("fraction_context", section["half_preceders"])
    reader.keep("fraction_context", section, reader.compile("fraction_context", rf"\bhalf{section['half_followers']}"))
    followers = words_alt(reader.path, "fraction_context", section["followers"])
    return Fractions(
        half,
        preceders,
        reader.compile("fraction_context", rf"\s+{followers}\b|\s*[,.;:!?)\]]|\s*$"),
        reader.compile("fraction_context", section["measure"]),
    )


def _digit_source(
    reader: TableReader, digits: DigitSources, scales: ScaleSources, multipliers: list[str], glued: str
) -> str:
    """The digits part of the scanner: sign, format groups ``f<i>``, ordinal suffix ``ord``,
    abbreviation ``abbr`` or scale word / multiplier ``sw``; digits start a word or follow a
    ``glued`` currency prefix ("RM4")."""
    formats, sign, ordinal = digits
    word_alt, _, single, multi = scales
    mult_alt = words_alt(reader.path, "number_words.multipliers", multipliers)
    body = "|".join(f"(?P<f{i}>{src})" for i, src in enumerate(formats))
    scale = rf"(?:(?P<abbr>\s?(?:{multi}|{single}))(?![^\W_])|(?:\s+|-)(?P<sw>{word_alt}|{mult_alt})\b)?"
    start = f"(?:(?<!\\w)|{glued})" if glued else "(?<!\\w)"
    return rf"(?P<digits>(?=\.?\d|{sign}){start}(?:{sign})?(?:{body})(?P<ord>{ordinal})?{scale})"


def _scan(
    reader: TableReader, vague: str, phrases: list[str], gate: str, ordw: str, run: str, digits: str
) -> re.Pattern[str]:
    """The combined scanner: phrase ``p<i>`` | ``vague`` | ``ordw`` | ``words`` | ``digits``; the
    word alternatives are tried only where ``gate`` (a first letter of the vocabulary) allows."""
    phrase_alt = "|".join(f"(?P<p{i}>{src})" for i, src in enumerate(phrases))
    phrase_guard = start_guard(phrase_alt, re.IGNORECASE)  # the phrases are tried only where one can start
    words = rf"(?P<vague>\b{vague}\b)|(?P<ordw>{ordw})|(?P<words>{run})"
    return reader.compile("scanner", rf"{phrase_guard}(?:{phrase_alt})|{gate}(?:{words})|{digits}", guard=True)


__all__ = ["build_rules", "phrase_regex", "squash"]
