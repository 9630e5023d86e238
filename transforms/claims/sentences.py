"""Split a document into sentences and paragraphs, keeping character offsets; say what ends a
clause.

A sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes/brackets) followed by
white space and a capital letter, digit or opening quote, unless the word before the dot is
a known abbreviation (``data/vocab/sentences.yaml``); a blank line or a line break always
ends a sentence. The clause breaks of the same file (``ClauseBreaks``) are the one list that
attribution (a number's subject is sought in its clause) and kinds (cues and "since" spans
apply within the quantity's clause) both read.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Generic, TypeVar

from claimtrack.transforms.rules import check_keys, check_unique, data_file, fail, load_yaml, word_group

T = TypeVar("T")


class _Memo(Generic[T]):
    """A least-recently-used memo of ``answer(pattern, text)`` holding ``size`` answers, keyed by
    the pattern's identity and the text: hashing a compiled pattern reads its whole program
    (microseconds for a long cue list) at every call, its identity costs nothing. Each entry
    keeps its pattern, so an identity is never taken for another pattern's."""

    def __init__(self, size: int, answer: Callable[[re.Pattern[str], str], T]) -> None:
        self._size = size
        self._answer = answer
        self._store: OrderedDict[tuple[int, str], tuple[re.Pattern[str], T]] = OrderedDict()

    def __call__(self, pattern: re.Pattern[str], text: str) -> T:
        key = (id(pattern), text)
        found = self._store.get(key)
        if found is not None and found[0] is pattern:
            self._store.move_to_end(key)
            return found[1]
        value = self._answer(pattern, text)
        self._store[key] = (pattern, value)
        self._store.move_to_end(key)
        if len(self._store) > self._size:
            self._store.popitem(last=False)
        return value


_MENTIONS = _Memo(1024, lambda pattern, text: pattern.search(text) is not None)
_MATCHES = _Memo(64, lambda pattern, text: tuple(pattern.finditer(text)))


def mentions(pattern: re.Pattern[str], text: str) -> bool:
    """True when ``pattern`` occurs in ``text``; memoised, as every number of a sentence asks
    the same questions of it (the memo holds strings and compiled rules, nothing mutable).
    Sized for one document: a larger memo would answer a speed benchmark that reads the same
    sentences again from memory and overstate the extractor's speed."""
    return _MENTIONS(pattern, text)


def matches_in(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str], ...]:
    """Every match of ``pattern`` in ``text``, in order; memoised for the few sentences at hand,
    as each quantity of a sentence reads the same clause breaks, verbs and actors again."""
    return _MATCHES(pattern, text)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: ``text == document[start:end]``; ``paragraph`` counts from 0."""

    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True)
class ClauseBreaks:
    """What ends a clause: punctuation ``marks``, ``conjunctions`` after a comma ("..., while"),
    and ``always`` words wherever they stand."""

    marks: tuple[str, ...]
    conjunctions: tuple[str, ...]
    always: tuple[str, ...]
    path: Path

    def pattern(
        self, marks: tuple[str, ...] = (), conjunctions: tuple[str, ...] = (), flags: int = 0
    ) -> re.Pattern[str]:
        """These breaks, plus a reader's own ``marks`` and ``conjunctions``, as one regex."""
        chars = "".join(re.escape(mark) for mark in (*self.marks, *marks))
        words = word_group(self.path, "clause_breaks.conjunctions", [*self.conjunctions, *conjunctions])
        always = word_group(self.path, "clause_breaks.always", self.always)
        return re.compile(rf"[{chars}]|,\s+{words}\b|\b{always}\b", flags)


@dataclass(frozen=True)
class SentenceRules:
    """Abbreviations after which a dot does not end a sentence, what makes a line a flattened
    table, and what ends a clause."""

    abbreviations: frozenset[str]
    table_min_numbers: int = 8
    table_min_share: float = 0.3
    clauses: ClauseBreaks | None = None


BOUNDARY = re.compile(  # the end mark first, outside the alternatives, lets a search skip to the next mark
    r"[.!?…](?:[.!?…]*[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9А-Я])|(?<=[.!?])[\"”’')\]]*(?=[\"“]?[A-Z][a-z]))"
)
LINE_BREAK = re.compile(r"\n")
WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
MAX_SENTENCE = 1000  # longer runs without a boundary (tables, number dumps) are cut at a space


@lru_cache(maxsize=4)
def load_sentence_rules(path: Path | None = None) -> SentenceRules:
    """Load ``data/vocab/sentences.yaml`` (or ``path``) and return the abbreviation set."""
    path = path or data_file("vocab", "sentences.yaml")
    table = check_keys(
        path,
        None,
        load_yaml(path),
        ["abbreviations", "table_line", "table_examples", "examples", "clause_breaks"],
        ["abbreviations", "clause_breaks"],
    )
    words = table["abbreviations"]
    if not isinstance(words, list) or not words:
        raise fail(path, "abbreviations", "expected a non-empty list", "list abbreviations without dots")
    check_unique(path, "abbreviations", words, fold_case=True)
    limits = check_keys(path, "table_line", table.get("table_line") or {}, ["min_numbers", "min_number_share"])
    return SentenceRules(
        frozenset(str(w).lower().rstrip(".") for w in words),
        int(limits.get("min_numbers", 8)),
        float(limits.get("min_number_share", 0.3)),
        _clause_breaks(path, table["clause_breaks"]),
    )


def _clause_breaks(path: Path, raw: object) -> ClauseBreaks:
    """Validate the ``clause_breaks`` table (each list checked for repeats when compiled)."""
    table = check_keys(path, "clause_breaks", raw, (), ["marks", "conjunctions", "always"])
    marks, conjunctions, always = (
        tuple(str(w) for w in table[key] or ()) for key in ("marks", "conjunctions", "always")
    )
    breaks = ClauseBreaks(marks=marks, conjunctions=conjunctions, always=always, path=path)
    breaks.pattern()
    return breaks


def clause_breaks(path: Path | None = None) -> ClauseBreaks:
    """The shared clause breaks of ``data/vocab/sentences.yaml`` (or ``path``)."""
    clauses = load_sentence_rules(path).clauses
    assert clauses is not None  # the loader requires them
    return clauses


TOKEN = re.compile(r"\S+")
NUMBER_TOKEN = re.compile(r"[(+-]?\d[\d.,%]*[)+]?$")


def is_table_like(text: str, rules: SentenceRules | None = None) -> bool:
    """True when ``text`` is a flattened table row rather than prose (see ``table_line``)."""
    return _table_like(text, rules or load_sentence_rules())


@lru_cache(maxsize=64)
def _table_like(text: str, rules: SentenceRules) -> bool:
    """``is_table_like`` cached: the extractor asks once per quantity of the same sentence."""
    tokens = TOKEN.findall(text)
    numbers = sum(1 for token in tokens if NUMBER_TOKEN.match(token))
    return numbers >= rules.table_min_numbers and numbers >= rules.table_min_share * len(tokens)


def _ends_in_abbreviation(text: str, dot: int, rules: SentenceRules) -> bool:
    """True when the word ending at offset ``dot`` (the dot's position) is an abbreviation."""
    match = WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    return word in rules.abbreviations or (len(word) == 1 and word.isalpha())


def _cut_points(line: str, rules: SentenceRules) -> list[int]:
    """Offsets within ``line`` where a sentence ends (after the punctuation)."""
    cuts = []
    for match in BOUNDARY.finditer(line):
        if line[match.start()] == "." and _ends_in_abbreviation(line, match.start(), rules):
            continue
        cuts.append(match.end())
    return cuts


def _capped(bounds: list[int], line: str) -> list[int]:
    """Return ``bounds`` with extra cuts so no piece of ``line`` is longer than ``MAX_SENTENCE``
    characters (cut after the last space before the limit, else at the limit). Keeps the
    extractor linear on texts with no sentence boundary."""
    capped = [bounds[0]]
    for right in bounds[1:]:
        left = capped[-1]
        while right - left > MAX_SENTENCE:
            space = line.rfind(" ", left + 1, left + MAX_SENTENCE)
            left = space + 1 if space > left else left + MAX_SENTENCE
            capped.append(left)
        capped.append(right)
    return capped


def split_sentences(text: str, rules: SentenceRules | None = None) -> list[Sentence]:
    """Split ``text`` into stripped, non-empty sentences with their offsets.

    Each non-empty line is a paragraph; ``Sentence.paragraph`` numbers them from 0.
    """
    rules = rules or load_sentence_rules()
    sentences: list[Sentence] = []
    paragraph, offset = 0, 0
    for line in text.split("\n"):
        if sentences and sentences[-1].paragraph == paragraph:
            paragraph += 1
        bounds = _capped([0, *_cut_points(line, rules), len(line)], line)
        for left, right in pairwise(bounds):
            piece = line[left:right]
            stripped = piece.strip()
            if stripped:
                start = offset + left + (len(piece) - len(piece.lstrip()))
                sentences.append(Sentence(start, start + len(stripped), stripped, paragraph))
        offset += len(line) + 1
    return sentences
