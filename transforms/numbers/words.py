"""Reading runs of English number words: "twenty-five thousand", "one hundred and fifty",
"a dozen", "two thirds", "one and a half million", "nine point nought four".

``parse_run`` takes the word tokens of a run (the scanner in ``claimtrack.transforms.numbers.find`` finds the
run) and returns every number it holds, left to right; words that do not continue a number
start a new one ("three four" is 3 and 4). Pure functions; the vocabulary comes from
``data/vocab/numbers.yaml`` via ``WordVocab``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TOKEN = re.compile(r"[^\W\d_]+")
CARDINAL = ("unit", "teen", "tens")


@dataclass(frozen=True)
class WordVocab:
    """Number words by kind: ``kinds[word] = (kind, value)``, words lower case.

    Kinds: ``unit`` (0-9), ``teen`` (10-19), ``tens`` (20-90), ``hundred``, ``scale``
    (thousand...), ``multiplier`` (dozen: 12), ``fraction`` (denominator: third -> 3),
    ``article`` (a, an), ``point`` (decimal point), ``and``.
    """

    kinds: Mapping[str, tuple[str, float]]


@dataclass(frozen=True)
class Token:
    """One word of a run: lower-case text, kind, value and character offsets in the text."""

    word: str
    kind: str
    value: float
    start: int
    end: int


@dataclass(frozen=True)
class WordNumber:
    """A number read from words. ``start``/``end`` are character offsets in the text.

    ``fraction``: a share such as "a third" or "half"; ``article``: it starts with "a"/"an";
    ``singular``: a fraction with numerator one ("a third", "one-third", "half");
    ``scale``: the largest scale word used (1 when none).
    """

    start: int
    end: int
    value: float
    fraction: bool = False
    article: bool = False
    singular: bool = False
    scale: float = 1.0


def tokenize(text: str, start: int, end: int, vocab: WordVocab) -> list[Token]:
    """Split ``text[start:end]`` into tokens; words outside the vocabulary get kind ``other``."""
    tokens = []
    for match in TOKEN.finditer(text, start, end):
        word = match.group().lower()
        kind, value = vocab.kinds.get(word, ("other", 0.0))
        tokens.append(Token(word, kind, value, match.start(), match.end()))
    return tokens


def parse_run(tokens: Sequence[Token]) -> list[WordNumber]:
    """Return every number in the token run, left to right, non-overlapping."""
    found: list[WordNumber] = []
    i = 0
    while i < len(tokens):
        parsed = _parse_at(tokens, i)
        if parsed is None:
            i += 1
            continue
        number, i = parsed
        found.append(number)
    return found


def _kind(tokens: Sequence[Token], i: int) -> str:
    """Kind of token ``i``, or ``end`` past the run."""
    return tokens[i].kind if i < len(tokens) else "end"


def _parse_at(tokens: Sequence[Token], i: int) -> tuple[WordNumber, int] | None:
    """Read one number starting at token ``i``; return it and the index after it."""
    kind = tokens[i].kind
    if kind == "fraction" and tokens[i].value == 2:
        return _half(tokens, i, i + 1, article=False)
    if kind == "fraction" and _kind(tokens, i + 1) == "scale":
        return _fraction(tokens, tokens[i].start, i, 1.0, article=False)
    if kind not in (*CARDINAL, "article"):
        return None
    article = kind == "article"
    value, j, last, scale = _parse_int(tokens, i + 1 if article else i, article)
    if value is None:
        return _article_only(tokens, i) if article else None
    return _after_int(tokens, i, j, value, last, scale, article)


def _parse_int(tokens: Sequence[Token], j: int, article: bool) -> tuple[float | None, int, str | None, float]:
    """Read an integer ("two hundred and two thousand"); return value, next index, kind of
    the last word and the largest scale. Value None when no word was read."""
    total, group, last, top, start = 0.0, 0.0, "article" if article else None, math.inf, j
    while j < len(tokens):
        kind, val = tokens[j].kind, tokens[j].value
        if kind == "and" and _kind(tokens, j + 2) == "fraction":
            break  # "two million and one half": the fraction belongs to the whole number
        if kind == "and" and last in ("hundred", "scale") and _kind(tokens, j + 1) in CARDINAL:
            last, j = "and", j + 1
            continue
        if not _continues(kind, val, last, group, top):
            break
        if kind in CARDINAL:
            group += val
        elif kind == "hundred":
            group = (group or 1) * 100
        else:
            total, group, top = total + (group or 1) * val, 0.0, val
        last, j = kind, j + 1
    if j == start:
        return None, start, None, 1.0
    return total + group, j, last, (1.0 if top == math.inf else top)


def _continues(kind: str, val: float, last: str | None, group: float, top: float) -> bool:
    """True when a word of ``kind`` may follow a word of kind ``last`` in one integer."""
    after_start = last in (None, "hundred", "scale", "and")
    if kind == "unit":
        return after_start or (last == "tens" and group % 10 == 0)
    if kind in ("teen", "tens"):
        return after_start and group % 100 == 0
    if kind == "hundred":
        return last in ("unit", "teen", "tens", "article") and group < 100
    if kind == "scale":
        return last in ("unit", "teen", "tens", "hundred", "article") and val < top
    return False


def _after_int(
    tokens: Sequence[Token], i: int, j: int, value: float, last: str | None, scale: float, article: bool
) -> tuple[WordNumber, int]:
    """Extend an integer with "and a half", a multiplier, a fraction or a decimal part."""
    start = tokens[i].start
    half = _and_fraction(tokens, j)
    if half is not None:
        part, j = half
        value += part * (scale if last == "scale" else 1)
        if _kind(tokens, j) == "scale" and last != "scale":
            value, scale, j = value * tokens[j].value, tokens[j].value, j + 1
        return WordNumber(start, tokens[j - 1].end, value, article=article, scale=scale), j
    kind = _kind(tokens, j)
    if kind == "multiplier" and last in CARDINAL:
        return WordNumber(start, tokens[j].end, value * tokens[j].value, article=article), j + 1
    if kind == "fraction" and last in CARDINAL and value > 0:
        return _fraction(tokens, start, j, value, article)
    if kind == "point" and last in (*CARDINAL, "hundred", "scale"):
        decimals = _decimals(tokens, j + 1)
        if decimals is not None:
            digits, k = decimals
            return WordNumber(start, tokens[k - 1].end, float(f"{int(value)}.{digits}")), k
    return WordNumber(start, tokens[j - 1].end, value, article=article, scale=scale), j


def _and_fraction(tokens: Sequence[Token], j: int) -> tuple[float, int] | None:
    """Read "and a half" / "and one half" / "and three quarters" at ``j``."""
    if _kind(tokens, j) != "and":
        return None
    numerator = tokens[j + 1] if j + 1 < len(tokens) else None
    if numerator is None or not (numerator.kind == "article" or numerator.kind == "unit"):
        return None
    if _kind(tokens, j + 2) != "fraction":
        return None
    count = 1.0 if numerator.kind == "article" else numerator.value
    return count / tokens[j + 2].value, j + 3


def _decimals(tokens: Sequence[Token], j: int) -> tuple[str, int] | None:
    """Digits after "point": "zero three" -> "03", "seventy-one" -> "71"."""
    kind = _kind(tokens, j)
    if kind == "unit":
        k = j
        while _kind(tokens, k) == "unit":
            k += 1
        return "".join(str(int(t.value)) for t in tokens[j:k]), k
    if kind in ("teen", "tens"):
        value = tokens[j].value
        if kind == "tens" and _kind(tokens, j + 1) == "unit":
            return str(int(value + tokens[j + 1].value)), j + 2
        return str(int(value)), j + 1
    return None


def _article_only(tokens: Sequence[Token], i: int) -> tuple[WordNumber, int] | None:
    """ "a dozen", "a third", "a half", "a quarter" (the article stands for one)."""
    nxt = _kind(tokens, i + 1)
    start = tokens[i].start
    if nxt == "multiplier":
        return WordNumber(start, tokens[i + 1].end, tokens[i + 1].value, article=True), i + 2
    if nxt == "fraction" and tokens[i + 1].value == 2:
        return _half(tokens, i, i + 2, article=True)
    if nxt == "fraction":
        return _fraction(tokens, start, i + 1, 1.0, article=True)
    return None


def _fraction(tokens: Sequence[Token], start: int, j: int, count: float, article: bool) -> tuple[WordNumber, int]:
    """``count`` over the denominator at ``j`` ("two thirds"), times a scale word right after
    it ("a quarter million", "three quarters billion")."""
    value = count / tokens[j].value
    if _kind(tokens, j + 1) == "scale":
        size = tokens[j + 1].value
        return WordNumber(start, tokens[j + 1].end, value * size, article=article, scale=size), j + 2
    return WordNumber(start, tokens[j].end, value, fraction=True, article=article, singular=count == 1), j + 1


def _half(tokens: Sequence[Token], i: int, j: int, article: bool) -> tuple[WordNumber, int]:
    """ "half", "a half", "half a million", "half a dozen", "half million" from token ``i``;
    ``j`` is the index after the word "half"."""
    k = j + 1 if _kind(tokens, j) == "article" else j
    if _kind(tokens, k) in ("scale", "multiplier", "hundred"):
        size = tokens[k].value
        scale = size if tokens[k].kind == "scale" else 1.0
        return WordNumber(tokens[i].start, tokens[k].end, 0.5 * size, scale=scale), k + 1
    return WordNumber(tokens[i].start, tokens[j - 1].end, 0.5, fraction=True, article=article, singular=True), j
