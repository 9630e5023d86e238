"""Document-level attribution: the bodies an article names, and where its later sentences lean
on them.

``attribute_sentences`` (``attribution``) reads each sentence alone; this module then reads the
whole article once:

- ``resolve_generic``: a generic speaker ("the report", "the ministry", "the institute") takes
  the full name the article gave earlier for that head word ("the World Food Programme report",
  "Ukraine's Ministry of Defence") when exactly one such name was given;
- ``carry_documents``: sentences without a speaker of their own that follow a survey, poll,
  report or study (a source whose head is one of the rules' ``document_nouns``) in the same
  paragraph or the next ``CARRY_PARAGRAPHS`` take it as their source, until another speaker
  or a quotation intervenes.

Both read one source per sentence (None: no speaker); pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CARRY_PARAGRAPHS = 3  # a poll's findings run on over at most this many paragraphs after it
MAX_NAME_WORDS = 7
ARTICLES = {"a", "an", "the", "its", "his", "her", "their", "our"}
RUN = re.compile(
    r"(?<![\w’'.-])[A-Z][\w’'.&-]*(?:\s+(?:(?:of|the|for|and|on|de)\s+)*[A-Z][\w’'.&-]*)*"
    r"(?:\s+(?P<head>[a-z][\w-]*(?:\s+[a-z][\w-]*)?))?"
)
CAPITAL = re.compile(r"[A-Z]")
WORD = re.compile(r"[a-z]+")
LOWER_NAME = re.compile(r"^[a-z][\w’'\s-]*$")


@dataclass(frozen=True)
class NameWords:
    """The word lists of ``data/rules/attribution.yaml`` this module reads: generic speaker
    nouns (pronouns left out), words that never start a name, poll nouns (``carried``)."""

    generic: frozenset[str]
    not_names: frozenset[str]
    carried: frozenset[str]


def _head(source: str | None, rules: NameWords) -> str | None:
    """The head word of a generic speaker phrase ("ministry" of "defence ministry"), or None
    when ``source`` names someone (has a capital) or is no generic phrase."""
    if not source or not LOWER_NAME.match(source):
        return None
    head = source.split()[-1]
    return head if head in rules.generic else None


def _names_with(head: str, text: str, rules: NameWords) -> set[str]:
    """The names in ``text`` built on ``head``: a capitalised run holding it ("Kyiv Institute
    of Sociology" for "institute") or followed by it ("World Food Programme report")."""
    found: set[str] = set()
    for match in RUN.finditer(text):
        tail = (match.group("head") or "").split()
        words = text[match.start() : match.start("head") if tail else match.end()].split()
        while words and (words[0] in rules.not_names or words[0].lower() in ARTICLES):
            words.pop(0)
        if head in tail:
            words += tail[: tail.index(head) + 1]
        elif head not in (w.lower() for w in words):
            continue
        if 1 < len(words) <= MAX_NAME_WORDS and CAPITAL.match(words[0]):
            found.add(" ".join(words))
    return found


def resolve_generic(texts: list[str], sources: list[str | None], rules: NameWords) -> list[str | None]:
    """Each generic source replaced by the one full name with its head word given in an
    earlier sentence (see module doc); other sources as they are."""
    resolved = list(sources)
    known: dict[str, tuple[int, dict[str, str]]] = {}  # head -> (sentences read, names by lower case)
    for i, source in enumerate(sources):
        head = _head(source, rules)
        if head is None:
            continue
        read, names = known.get(head, (0, {}))
        for text in texts[read:i]:
            names.update((n.lower(), n) for n in _names_with(head, text, rules))
        known[head] = (max(read, i), names)
        if len(names) == 1:
            resolved[i] = next(iter(names.values()))
    return resolved


def _names_poll(text: str, source: str | None, rules: NameWords) -> bool:
    """True when the source is a poll ("an Ipsos poll") or its sentence speaks of one ("Gallup
    said in releasing its polling")."""
    head = (source or "").split()[-1:]
    return bool(head and head[0].lower() in rules.carried) or any(w in rules.carried for w in WORD.findall(text))


def carry_documents(
    texts: list[str], paragraphs: list[int], sources: list[str | None], quoted: list[bool], rules: NameWords
) -> list[int]:
    """For each sentence, the index of the sentence whose attribution it takes: its own, or,
    for a sentence without a source (``sources``, as written, before ``resolve_generic``) and
    outside quotations (``quoted``), the poll sentence before it (see module doc)."""
    taken = list(range(len(sources)))
    current: int | None = None
    since = 0
    for i, source in enumerate(sources):
        if i and paragraphs[i] != paragraphs[i - 1]:
            since += 1
        if source or quoted[i]:
            current, since = (i, 0) if source and _names_poll(texts[i], source, rules) else (None, 0)
        elif current is not None and since <= CARRY_PARAGRAPHS:
            taken[i] = current
    return taken
