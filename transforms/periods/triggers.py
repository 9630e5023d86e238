"""Rule triggers: the words (or trigger classes) a period rule cannot match without.

A rule lists lower-case words, vocab classes (MONTH, WEEKDAY, ORDINAL, UNIT: any word of that
vocab table) and classes named under ``trigger_patterns`` in ``data/rules/periods.yaml``
(DIGIT, YEAR ...: the text holds a match of that pattern). ``trigger_words(text, patterns)``
reads a text once; a rule runs on it only when one of its trigger words is there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from claimtrack.transforms.periods.resolvers import Vocab
from claimtrack.transforms.rules import compile_pattern, fail

TRIGGER_WORD = re.compile(r"[a-z]+")
CLASS_NAME = re.compile(r"[A-Z][A-Z_]*")
VOCAB_CLASSES = ("MONTH", "WEEKDAY", "ORDINAL", "UNIT")


def load_trigger_patterns(path: Path, raw: Any) -> Mapping[str, re.Pattern[str]]:
    """Compile the ``trigger_patterns`` section: class name ("DIGIT", "YEAR") -> pattern."""
    if not isinstance(raw, Mapping) or not raw:
        raise fail(path, "trigger_patterns", "expected a mapping NAME: regex", "write 'NAME: regex' lines")
    for name in raw:
        if not CLASS_NAME.fullmatch(str(name)) or str(name) in VOCAB_CLASSES:
            raise fail(path, "trigger_patterns", f"{name!r} is not a new UPPER_CASE name", "rename it")
    return MappingProxyType({str(k): compile_pattern(path, f"trigger_patterns.{k}", str(v)) for k, v in raw.items()})


def load_trigger(
    path: Path, rule_id: str, raw: Any, vocab: Vocab, patterns: Mapping[str, re.Pattern[str]]
) -> frozenset[str] | None:
    """Expand a rule's trigger list: vocab class names stand for their table's words, names of
    ``patterns`` stay as they are; None when the rule has no trigger (it runs on every text)."""
    if raw is None:
        return None
    classes = {"MONTH": vocab.months, "WEEKDAY": vocab.weekdays, "ORDINAL": vocab.ordinals, "UNIT": vocab.units}
    words: set[str] = set()
    for word in raw if isinstance(raw, list) else [raw]:
        if word in classes:
            words.update(w for key in classes[word] for w in TRIGGER_WORD.findall(key))
        elif word in patterns or (isinstance(word, str) and TRIGGER_WORD.fullmatch(word)):
            words.add(word)
        else:
            raise fail(
                path,
                rule_id,
                f"trigger {word!r} is not a lower-case word",
                f"list lower-case words or {', '.join([*VOCAB_CLASSES, *patterns])}",
            )
    return frozenset(words)


def trigger_words(text: str, patterns: Mapping[str, re.Pattern[str]]) -> frozenset[str]:
    """The lower-case words of ``text``, plus the name of each of the trigger ``patterns`` it
    holds (``DIGIT`` when it holds a digit)."""
    words = set(TRIGGER_WORD.findall(text.lower()))
    words.update(name for name, pattern in patterns.items() if pattern.search(text))
    return frozenset(words)


def check_triggered(
    path: Path, rule_id: str, texts: list[str], trigger: frozenset[str] | None, patterns: Mapping[str, re.Pattern[str]]
) -> None:
    """Refuse a rule whose example ``texts`` hold none of its ``trigger`` words: the rule could
    never fire on them."""
    for text in texts:
        if trigger is not None and trigger.isdisjoint(trigger_words(text, patterns)):
            raise fail(
                path, rule_id, f"example {text!r} holds none of the 'trigger' words", "add its word to 'trigger'"
            )
