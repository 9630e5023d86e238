"""Document-level attribution: the bodies an article names, and where its later sentences lean
on them.

``attribute_sentences`` (``attribution``) reads each sentence alone; this module then reads the
whole article once:

- ``resolve_generic``: a generic speaker ("the report", "the ministry", "the institute") takes
  the full name the article gave earlier for that head word ("the World Food Programme report",
  "Ukraine's Ministry of Defence") when exactly one such name was given;
- ``carry_documents``: sentences without a speaker of their own take the poll they name ("A
  CNN poll this week has ...": "CNN poll"), else the poll or survey (a source whose head is one
  of the rules' ``carried_documents``) before them in the same paragraph or the next
  ``CARRY_PARAGRAPHS``, until another speaker or a quotation intervenes: a poll's findings run
  on over several sentences.

Both read the sources of a document's sentences in order (None: no speaker); pure.
"""

from __future__ import annotations

import itertools
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
BULLET = re.compile(r"\s*[·•▪‣*–-]\s")
DESCRIPTOR = re.compile(r"-[a-z]+$")  # "the San Francisco-based company" names no company
LOWER_NAME = re.compile(r"^[a-z][\w’'\s-]*$")


@dataclass(frozen=True)
class NameWords:
    """What this module reads of ``data/rules/attribution.yaml``: generic speaker nouns
    (pronouns left out), words that never start a name, poll nouns (``carried``)."""

    generic: frozenset[str]
    not_names: frozenset[str]
    carried: frozenset[str]
    forms: tuple[str, ...]  # the carried nouns lower-case and capitalised, for a fast substring test
    named_poll: re.Pattern[str]  # a capitalised name before a carried noun: "a CNN poll"
    new_poll: re.Pattern[str]  # an indefinite one: "a poll", "another survey"
    any_poll: re.Pattern[str]  # any carried noun, any case


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
        if 1 < len(words) <= MAX_NAME_WORDS and CAPITAL.match(words[0]) and not DESCRIPTOR.search(words[-2]):
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


def _poll_named(text: str, rules: NameWords) -> str | None:
    """The poll a sentence names with a capitalised word ("A CNN poll this week has ..." ->
    "CNN poll"), or None."""
    for match in rules.named_poll.finditer(text):
        run = match.group(1).split()
        words = list(itertools.dropwhile(lambda w: w in rules.not_names or w.lower() in ARTICLES, run))
        opens = len(words) == len(run) == 1 and not text[: match.start()].strip() and not words[0].isupper()
        if words and not opens:  # "Main findings of ...": a capital that only opens the sentence
            return " ".join([*words, match.group(2)])
    return None


def carry_documents(
    texts: list[str],
    paragraphs: list[int],
    written: list[str | None],
    said: list[tuple[str | None, str | None]],
    quoted: list[bool],
    rules: NameWords,
) -> list[tuple[str | None, str | None]]:
    """Each sentence's (source, origin): ``said[i]``, or for a sentence without a speaker
    (``written[i]``, before ``resolve_generic``) and outside quotations (``quoted``), the poll
    it names or the poll of the sentences before it (module doc)."""
    carried = list(said)
    current: tuple[str | None, str | None] | None = None
    since = 0
    for i, source in enumerate(written):
        if i and paragraphs[i] != paragraphs[i - 1] and not BULLET.match(texts[i]):
            since += 1  # the items of a list count as one paragraph
        if source or quoted[i]:
            head = (source or "").split()[-1:]
            current = said[i] if head and head[0].lower() in rules.carried else None
            since = 0
        elif rules.any_poll.search(texts[i]) and (poll := _poll_named(texts[i], rules)):
            current, since = (poll, None), 0
            carried[i] = current
        elif current is not None and rules.new_poll.search(texts[i]):
            current = None  # "A poll of 1,500 voters conducted by ...": another poll, not named here
        elif current is not None and since <= CARRY_PARAGRAPHS:
            carried[i] = current
    return carried
