"""Who says a figure (``source``, ``origin``) and whose figure it is (``subject``).

Vocabularies: ``data/rules/attribution.yaml`` (speech verbs, generic and plural speakers, the
words that may stand before a speech verb, appositive markers, prepositions), the clause breaks
of ``data/vocab/sentences.yaml`` and ``data/vocab/actors.yaml`` (actor names). All functions are
pure and take the compiled rules.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from claimtrack.transforms.claims import named_sources, quotes
from claimtrack.transforms.claims.sentences import clause_breaks, matches_in
from claimtrack.transforms.rules import alternation, check_keys, check_unique, data_file, fail, load_yaml, word_group

LISTS = [
    "speech_verbs",
    "verbs_before_speaker",
    "connectors",
    "generic_speakers",
    "pronouns",
    "plural_speakers",
    "time_before_verb",
    "adverbs_before_verb",
    "not_speech",
    "appositive_markers",
    "prepositions",
    "clause_marks",
    "document_nouns",
    "passive_verbs",
    "carried_documents",
    "speech_participles",
]
TOKEN = re.compile(r"[A-Za-z0-9][\w.’'&-]*|[^\s\w]")
CAPITALISED = re.compile(r"[A-Z0-9]")
EMPLOYER = re.compile(r"\s+(?:at|from|with)\s+([^,.;:()“”\"]{1,60}?)\s*(?:[,.;:()“”\"]|$)")
PLURAL = re.compile(r"[a-z]{2,}(?:ers|ors|ists|ants|ents|ians|ives)")  # people: workers, residents, economists
PRONOUN_BEFORE = re.compile(r"(?<![\w’'])([Hh]e|[Ss]he|[Ii]t|[Tt]hey)\s*$")
END_OF_NAME = re.compile(
    r"\s*(?:,|(?<!\b[A-Z])\.(?:\s|$)|;|:|[”\"]|\(|\)"
    r"|\s(?:citing|that|who|which|as|in|on|at|to|for|from|with|while|when|and said"
    r"|conducted|published|released|commissioned|carried out|among|across|during|between|since|over)\s)"
)


@dataclass(frozen=True)
class AttributionRules:
    """Compiled attribution patterns."""

    speaker_before_verb: re.Pattern[str]
    verb_before_speaker: re.Pattern[str]
    according_to: re.Pattern[str]
    citing: re.Pattern[str]
    connectors: frozenset[str]
    generic: frozenset[str]
    pronouns: frozenset[str]
    not_names: frozenset[str]
    plural_speakers: frozenset[str]
    before_verb: re.Pattern[str]
    not_speech: re.Pattern[str]
    appositive: re.Pattern[str]
    preposition_before: re.Pattern[str]
    clause_start: re.Pattern[str]
    passive_by: re.Pattern[str]
    gerund: re.Pattern[str]
    documents: frozenset[str]
    names: named_sources.NameWords


@dataclass(frozen=True)
class Actors:
    """Actor names compiled into one regex; ``canonical`` maps each phrase to its actor."""

    pattern: re.Pattern[str]
    canonical: dict[str, str]


@dataclass(frozen=True)
class Attribution:
    """The speaker of a sentence and whom they cite (both optional); ``pronoun`` is set when
    the speaker is only "he", "she", "it"... (resolved by ``attribute_sentences``)."""

    source: str | None = None
    origin: str | None = None
    pronoun: bool = False


@lru_cache(maxsize=4)
def load_attribution_rules(path: Path | None = None) -> AttributionRules:
    """Load and compile ``data/rules/attribution.yaml`` (or ``path``)."""
    path = path or data_file("rules", "attribution.yaml")
    table = check_keys(
        path, None, load_yaml(path), [*LISTS, "version", "not_names", "document_examples", "examples"], LISTS
    )
    for key in (*LISTS, "not_names"):
        check_unique(path, key, table.get(key) or [], fold_case=key not in ("not_names", "time_before_verb"))
    verbs = alternation(path, "speech_verbs", [v for v in table["speech_verbs"] if v != "according"])
    before_verb = (
        r"(,?)\s*(?:(?:on\s+)?" + word_group(path, "time_before_verb", table["time_before_verb"]) + r"\s+)?"
        r"(?:" + word_group(path, "adverbs_before_verb", table["adverbs_before_verb"]) + r"\s+)?$"
    )
    appositive = word_group(path, "appositive_markers", table["appositive_markers"])
    prepositions = word_group(path, "prepositions", table["prepositions"])
    documents = word_group(path, "document_nouns", table["document_nouns"])
    passive = word_group(path, "passive_verbs", table["passive_verbs"])
    # "according to a report published by the WFP", "citing data from the ministry": the author
    by_whom = (
        r"(?:(?:[a-z]+\s+){0,2}" + documents + r"\s+(?:(?:published|released|compiled|conducted)\s+)?"
        r"(?:from|by|of)\s+(?:the\s+)?)?"
    )
    return AttributionRules(
        speaker_before_verb=re.compile(r"(?<!\w)" + verbs + r"\b"),
        verb_before_speaker=re.compile(
            r"\b" + word_group(path, "verbs_before_speaker", table["verbs_before_speaker"]) + r"\s+(?=[A-Z])"
        ),
        according_to=re.compile(r"\b[Aa]ccording to\s+(?:(?:the|a|an|his|her|its|their)\s+)?" + by_whom),
        citing=re.compile(r"\bciting\s+(?:the\s+)?" + by_whom),
        passive_by=re.compile(
            r"\b(?:(?:is|are|was|were|been)\s+(?:also\s+)?" + passive + "|" + documents + r"(?:\s+" + passive + r")?)"
            r"\s+by\s+(?:the\s+)?"
        ),
        gerund=re.compile(
            r",\s+(?:also\s+)?" + word_group(path, "speech_participles", table["speech_participles"]) + r"\b"
        ),
        documents=frozenset(str(d).lower() for d in table["document_nouns"]),
        names=named_sources.NameWords(
            generic=frozenset(str(g).lower() for g in table["generic_speakers"] if g not in table["pronouns"]),
            not_names=frozenset(str(n) for n in table.get("not_names") or []),
            carried=frozenset(str(d).lower() for d in table["carried_documents"]),
            forms=_substring_forms(table["carried_documents"]),
            any_poll=re.compile(
                r"\b" + word_group(path, "carried_documents", table["carried_documents"]) + r"\b", re.IGNORECASE
            ),
            new_poll=re.compile(
                r"\b(?:[Aa]n?|[Aa]nother|[Nn]ew)\s+(?:[a-z-]+\s+)?"
                + word_group(path, "carried_documents", table["carried_documents"])
                + r"\b"
            ),
            named_poll=re.compile(
                r"(?<![\w’'.-])((?:[A-Z][\w’'&.-]*\s+){1,4})("
                + word_group(path, "carried_documents", table["carried_documents"])
                + r")\b"
            ),
        ),
        connectors=frozenset(str(c) for c in table["connectors"]),
        generic=frozenset(str(g).lower() for g in table["generic_speakers"]),
        pronouns=frozenset(str(p).lower() for p in table["pronouns"]),
        not_names=frozenset(str(n) for n in table.get("not_names") or []),
        plural_speakers=frozenset(str(w).lower() for w in table["plural_speakers"]),
        before_verb=re.compile(before_verb),
        not_speech=re.compile(r"\s+(?:the\s+)?(?:" + word_group(path, "not_speech", table["not_speech"]) + r"|\d)"),
        appositive=re.compile(r",\s+" + appositive + r"\s+[^,]{1,80},?\s*$"),
        preposition_before=re.compile(r"\b" + prepositions + r"\s+(?:the\s+|a\s+)?$", re.IGNORECASE),
        clause_start=clause_breaks().pattern(marks=tuple(str(m) for m in table["clause_marks"])),
    )


def _substring_forms(words: list[str]) -> tuple[str, ...]:
    """``words`` lower-case and capitalised, without those another one lies in ("polls": "poll")."""
    forms = {f for w in words for f in (str(w).lower(), str(w).capitalize())}
    return tuple(sorted(f for f in forms if not any(o != f and o in f for o in forms)))


@lru_cache(maxsize=4)
def load_actors(path: Path | None = None) -> Actors:
    """Load ``data/vocab/actors.yaml`` (or ``path``) into one longest-first regex."""
    path = path or data_file("vocab", "actors.yaml")
    table = check_keys(path, None, load_yaml(path), ["version", "actors", "examples"], ["actors"])
    canonical: dict[str, str] = {}
    for name, phrases in table["actors"].items():
        if not isinstance(phrases, list):
            raise fail(path, str(name), "expected a list of phrases", "write [phrase, phrase]")
        canonical.update({str(p): str(name) for p in [name, *phrases]})
    body = alternation(path, "actors", list(canonical))
    return Actors(re.compile(r"(?<![\w.])" + body + r"(?![\w])"), canonical)


def _name_after(text: str, start: int, rules: AttributionRules) -> str | None:
    """The name phrase starting at ``start`` (up to a comma, full stop or clause word): it must
    start with a capitalised word or end with a generic speaker noun ("officials")."""
    end = END_OF_NAME.search(text, start)
    name = text[start : end.start() if end else len(text)].strip(" “”\"'’")
    words = name.split()[:8]
    if not words or words[0] in rules.not_names:
        return None
    while len(words) > 1 and words[-1] in rules.connectors:
        words.pop()
    named = next((k for k, word in enumerate(words) if CAPITALISED.match(word)), len(words))
    name_words = rules.connectors | rules.generic
    if 0 < named < min(4, len(words)) and all(CAPITALISED.match(w) or w in name_words for w in words[named:]):
        return " ".join(words[named:])  # "the media tracking firm AdImpact": AdImpact
    employer = EMPLOYER.match(text, end.start()) if end and len(words) == 1 else None
    if employer and words[0] in rules.plural_speakers:  # "analysts at the bank Rabo Nova": Rabo Nova analysts
        tail = list(itertools.takewhile(lambda w: bool(CAPITALISED.match(w)), reversed(employer.group(1).split())))
        if tail:
            return " ".join([*reversed(tail), words[0]])
    if CAPITALISED.match(words[0]) or words[-1].lower() in rules.generic - rules.pronouns:
        return " ".join(words)
    return None


def _takes(word: str, taken: list[str], rules: AttributionRules) -> bool:
    """True when ``word`` extends leftwards the speaker phrase ``taken`` (read backwards)."""
    lower = word.lower()
    if word in rules.not_names or (lower in rules.not_names and word.islower()):
        return False
    return bool(
        (CAPITALISED.match(word) and not word.isdigit())
        or (lower in rules.generic and len(taken) < 3)
        or (word in rules.connectors and taken and len(taken) < 8)
        or (taken and word.islower() and taken[0].lower() in rules.generic - rules.pronouns and len(taken) < 4)
        or (not taken and PLURAL.fullmatch(word))  # "Omani planners say", ", workers said"
    )


def _name_before(text: str, end: int, rules: AttributionRules, after_comma: bool = False) -> str | None:
    """The speaker phrase ending at ``end``: capitalised words, connectors, generic nouns. When
    a comma stands at ``end`` (``after_comma``), an appositive before it ("Joe Biden, the US
    president, said") is skipped."""
    appositive = rules.appositive.search(text, 0, end) if after_comma else None
    if appositive:
        end = appositive.start()
    taken: list[str] = []
    stop = ""  # the word before the phrase
    for match in reversed(list(TOKEN.finditer(text[:end]))):
        if not _takes(match.group(0), taken, rules):
            stop = match.group(0)
            break
        taken.append(match.group(0))
    plural = bool(taken) and taken[0].lower() in rules.plural_speakers  # "airport authorities" stays whole
    while taken and (
        taken[-1].lower() in {"the", "a", "an", "of", "and", "for", "on"}
        or (not plural and len(taken) > 1 and taken[-1].islower() and taken[-1] not in rules.connectors | rules.generic)
    ):
        taken.pop()  # "the defence ministry": ministry; "the British defence ministry": all of it
    if len(taken) == 1 and PLURAL.fullmatch(taken[0]) and taken[0] not in rules.generic and stop.isalnum():
        return None  # "many voters said": a bare plural speaks only after a comma or alone
    phrase = " ".join(reversed(taken)).replace(" ’s", "’s").replace(" 's", "'s")
    return phrase or None


def _speaker(sentence: str, rules: AttributionRules) -> str | None:
    """The speaker named with a speech verb ("X said" or "said X"), outside any quotation."""
    for match in rules.speaker_before_verb.finditer(sentence):
        if rules.not_speech.match(sentence, match.end()):
            continue  # "the war has claimed 14,000 lives" states a toll, not a speaker
        lead = rules.before_verb.search(sentence, max(0, match.start() - 40), match.start())
        end = lead.start() if lead else match.start()
        pronoun = PRONOUN_BEFORE.search(sentence, max(0, end - 6), end)
        if pronoun:
            return pronoun.group(1).lower()  # "He said", "It also reported": resolved later
        name = _name_before(sentence, end, rules, bool(lead and lead.group(1)))
        if name and len(name) > 1:
            return name
    after = rules.verb_before_speaker.search(sentence)
    return _name_after(sentence, after.end(), rules) if after else None


def _told_by(sentence: str, said_by: str | None, rules: AttributionRules) -> tuple[str | None, str | None]:
    """The speaker ``said_by`` (kept unless it lies inside the "according to" phrase) and the
    body named by "according to X" or, failing both, by a passive "was confirmed by X"."""
    according = rules.according_to.search(sentence) if "ccording to" in sentence else None
    if according:
        told_by = _name_after(sentence, according.end(), rules)
        if told_by and said_by and 0 <= sentence.find(said_by, according.start()) <= according.end():
            return None, told_by  # "according to a report published by the WFP": the WFP
        if told_by or said_by:
            return said_by, told_by
    if said_by and said_by not in rules.pronouns:
        return said_by, None
    passive = rules.passive_by.search(sentence) if not said_by and " by " in sentence else None
    if passive:
        return None, _name_after(sentence, passive.end(), rules)
    leading = _leading_name(sentence, rules) if rules.gerund.search(sentence) else None
    return leading or said_by, None


def _leading_name(sentence: str, rules: AttributionRules) -> str | None:
    """The name that opens ``sentence`` ("Prime Minister Ana Ruiz on Monday ..."): the subject
    of a trailing speech participle ("..., adding that ..."); None when it opens otherwise."""
    taken: list[str] = []
    for match in TOKEN.finditer(sentence):
        word = match.group(0)
        if word == "The" and not taken:
            continue
        capital = CAPITALISED.match(word) and not word.isdigit()
        if word in rules.not_names or not (capital or (taken and word in rules.connectors)):
            break
        taken.append(word)
    while taken and taken[-1] in rules.connectors:
        taken.pop()
    return " ".join(taken).replace(" ’s", "’s").replace(" 's", "'s") or None


def attribute(sentence: str, rules: AttributionRules) -> Attribution:
    """Return the source and origin a sentence states (``Attribution()`` when none)."""
    citing = rules.citing.search(sentence) if "citing" in sentence else None
    said_by, told_by = _told_by(sentence, _speaker(sentence, rules), rules)
    cited = _name_after(sentence, citing.end(), rules) if citing else None
    if said_by and said_by.lower() in rules.pronouns:
        said_by = None
        if not (told_by or cited):
            return Attribution(pronoun=True)
    if said_by and told_by:
        return Attribution(said_by, told_by if not cited else f"{told_by}, citing data from {cited}")
    first = said_by or told_by
    if first:
        return Attribution(first, cited if cited != first else None)
    return Attribution(cited, None) if cited else Attribution()


def _clause_start(sentence: str, at: int, rules: AttributionRules) -> int:
    """Offset where the clause holding offset ``at`` begins."""
    starts = [m.end() for m in rules.clause_start.finditer(sentence, 0, at)]
    return starts[-1] if starts else 0


def _surface(mention: str, actors: Actors) -> str:
    """An actor mention as written, without a leading article; a common-noun mention ("the
    enemy", "the occupiers") gives the actor's name instead."""
    bare = re.sub(r"^(?:the|The)\s+", "", mention)
    return actors.canonical.get(mention, bare) if bare.islower() else bare


def find_subject(
    sentence: str, number_start: int, unit_end: int, actors: Actors, rules: AttributionRules
) -> str | None:
    """Whose figure the number at ``number_start`` is, as the text names it (``rules``: the
    clause breaks and prepositions).

    In order: an actor named in the number's own phrase (``number_start``..``unit_end``:
    "5,000 Russian troops"); the first actor of the number's clause that is not the object of
    a preposition ("Russia fired ... at Ukraine" -> Russia); else the nearest actor before it.
    """
    mentions = matches_in(actors.pattern, sentence)
    inside = [m for m in mentions if number_start <= m.start() < unit_end]
    if inside:
        return _surface(inside[0].group(0), actors)
    clause = _clause_start(sentence, number_start, rules)
    subjects = [
        m
        for m in mentions
        if clause <= m.start() < number_start
        and not rules.preposition_before.search(sentence, max(0, m.start() - 20), m.start())
    ]
    if subjects:
        return _surface(subjects[0].group(0), actors)
    before = [m for m in mentions if m.end() <= number_start]
    return _surface(before[-1].group(0), actors) if before else None


def attribute_sentences(
    texts: list[str], paragraphs: list[int], rules: AttributionRules, needed: set[int] | None = None
) -> list[Attribution]:
    """Attribute every sentence of a document (``paragraphs[i]`` = paragraph of ``texts[i]``).

    A sentence inside a quotation without a speaker of its own takes the first speaker named
    in the same quotation (which may run over several paragraphs); "he said" takes the last named speaker of the
    previous three sentences. Only the ``needed`` sentences (default: all) are read.
    """
    said = [attribute(text, rules) if needed is None or i in needed else Attribution() for i, text in enumerate(texts)]
    for i, attr in enumerate(said):
        if attr.pronoun:
            named = next((said[j].source for j in range(i - 1, max(-1, i - 4), -1) if said[j].source), None)
            said[i] = Attribution(named, attr.origin)
    groups = quotes.quote_groups(texts, paragraphs)
    speakers: dict[int, Attribution] = {}
    for group, attr in zip(groups, said):
        if group is not None and attr.source and group not in speakers:
            speakers[group] = attr
    for i, (group, attr) in enumerate(zip(groups, said)):
        if group is not None and not attr.source and group in speakers:
            said[i] = Attribution(speakers[group].source, attr.origin)
    written = [a.source for a in said]
    full = named_sources.resolve_generic(texts, written, rules.names)
    if full != written:
        said = [Attribution(name, a.origin) for name, a in zip(full, said)]
    joined = "\n".join(texts)
    if not any(noun in joined for noun in rules.names.forms):
        return said  # no poll to carry: the common case, read fast
    quoted = [g is not None and quotes.speaks(t) for g, t in zip(groups, texts)]
    pairs = [(a.source, a.origin) for a in said]
    carried = named_sources.carry_documents(texts, paragraphs, written, pairs, quoted, rules.names)
    return [Attribution(*pair) for pair in carried]
