"""The compiled cue lists of ``data/rules/kinds.yaml`` (``KindRules``) and the document frame's
cues (``frame.FrameRules``), loaded and validated once by ``load_kind_rules``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from claimtrack.transforms.claims.frame import FrameRules
from claimtrack.transforms.claims.metrics import cue_pattern
from claimtrack.transforms.claims.sentences import clause_breaks
from claimtrack.transforms.rules import check_keys, compile_pattern, data_file, load_yaml, word_group

LISTS = [
    "running_total_cues",
    "perfect_tense",
    "clause_conjunctions",
    "distance_breaks",
    "as_of_prefixes",
    "war_duration_after",
    "war_duration_before",
    "war_words",
    "war_scope",
    "ongoing_duration_before",
    "ongoing_duration_after",
    "duration_units",
    "rate_cues",
    "approach_cues",
    "change_up",
    "change_down",
    "change_nouns_up",
    "change_nouns_down",
    "flow_cues",
    "state_cues",
    "future_cues",
    "state_before",
    "change_verbs",
    "superlative_cues",
    "survey_cues",
    "level_units",
    "state_units",
    "relative_clauses",
    "report_frames",
    "statement_verbs",
    "statement_gap",
    "comparison_cues",
    "present_cues",
    "baseline_nouns",
    "phrasal_verbs",
]
KEYS = ["version", *LISTS, "examples", "document_examples"]


@dataclass(frozen=True)
class KindRules:
    """Compiled cue patterns of ``data/rules/kinds.yaml``."""

    running_total: re.Pattern[str]
    perfect_tense: re.Pattern[str]
    clause_break: re.Pattern[str]
    distance_break: re.Pattern[str]
    as_of_prefix: re.Pattern[str]
    war_after: re.Pattern[str]
    war_before: re.Pattern[str]
    war_words: re.Pattern[str]
    war_scope: re.Pattern[str]
    ongoing_before: re.Pattern[str]
    ongoing_after: re.Pattern[str]
    duration_units: frozenset[str]
    rate: re.Pattern[str]
    change_up: re.Pattern[str]
    change_down: re.Pattern[str]
    change_after_up: re.Pattern[str]
    change_after_down: re.Pattern[str]
    flow: re.Pattern[str]
    state: re.Pattern[str]
    survey: re.Pattern[str]
    approach: re.Pattern[str]
    state_before: re.Pattern[str]
    change_verb: re.Pattern[str]
    superlative: re.Pattern[str]
    level_units: frozenset[str]
    present: re.Pattern[str]
    phrasal: re.Pattern[str]
    state_units: frozenset[str]
    frame: FrameRules


def _words(path: Path, rule: str, table: Mapping[str, Any], anchor: str = "") -> re.Pattern[str]:
    """Compile a cue list; ``anchor`` = "start" / "end" pins it to the start / end of the text."""
    pattern = cue_pattern(path, rule, table[rule])
    assert pattern is not None
    if anchor == "start":
        return re.compile(r"^\s*(?:" + pattern.pattern + ")", re.IGNORECASE)
    if anchor == "end":
        return re.compile("(?:" + pattern.pattern + r")\s*(?:by\s+)?(?:a\s+further\s+|another\s+)?$", re.IGNORECASE)
    return pattern


@lru_cache(maxsize=4)
def load_kind_rules(path: Path | None = None) -> KindRules:
    """Load and compile ``data/rules/kinds.yaml`` (or ``path``)."""
    path = path or data_file("rules", "kinds.yaml")
    table = dict(check_keys(path, None, load_yaml(path), KEYS, LISTS))
    breaks = clause_breaks().pattern(conjunctions=tuple(table["clause_conjunctions"]), flags=re.IGNORECASE)
    return KindRules(
        running_total=_words(path, "running_total_cues", table),
        perfect_tense=compile_pattern(path, "perfect_tense", table["perfect_tense"]),
        clause_break=breaks,
        distance_break=_distance_breaks(path, table["distance_breaks"]),
        as_of_prefix=_words(path, "as_of_prefixes", table, "start"),
        war_after=_words(path, "war_duration_after", table, "start"),
        war_before=_words(path, "war_duration_before", table, "end"),
        war_words=_words(path, "war_words", table),
        war_scope=_words(path, "war_scope", table),
        ongoing_before=_words(path, "ongoing_duration_before", table, "end"),
        ongoing_after=_words(path, "ongoing_duration_after", table, "start"),
        duration_units=frozenset(table["duration_units"]),
        rate=_words(path, "rate_cues", table, "start"),
        change_up=_words(path, "change_up", table, "end"),
        change_down=_words(path, "change_down", table, "end"),
        change_after_up=_after_noun(_words(path, "change_nouns_up", table)),
        change_after_down=_after_noun(_words(path, "change_nouns_down", table)),
        flow=_words(path, "flow_cues", table),
        state=_words(path, "state_cues", table),
        survey=_words(path, "survey_cues", table),
        state_before=re.compile(
            "(?:"
            + _words(path, "state_before", table).pattern
            + r"|(?<=\w)['’]s)\s+(?:about|around|some|nearly|almost|over)?\s*$",
            re.IGNORECASE,
        ),
        change_verb=_words(path, "change_verbs", table),
        superlative=re.compile(
            "(?:" + _words(path, "superlative_cues", table).pattern + r")\b[^,;.]{0,50}$", re.IGNORECASE
        ),
        approach=re.compile(
            "(?:" + _words(path, "approach_cues", table).pattern + r")\s+(?:its\s+|the\s+|a\s+)?$", re.IGNORECASE
        ),
        level_units=frozenset(table["level_units"]),
        phrasal=re.compile("(?:" + _words(path, "phrasal_verbs", table).pattern + r")\s+(?:up|down)\s*$", re.I),
        present=re.compile(
            "(?:" + _words(path, "present_cues", table).pattern + r")\b[^,;:.–—()]{0,40}$", re.IGNORECASE
        ),
        state_units=frozenset(str(u) for u in table["state_units"]),
        frame=_frame_rules(path, table, breaks),
    )


def _after_noun(nouns: re.Pattern[str]) -> re.Pattern[str]:
    """A change noun right after a quantity, one word between at most ("a 5% annual rise")."""
    return re.compile(r"^\s*(?:[\w-]+\s+)?(?:" + nouns.pattern + ")", re.IGNORECASE)


def _frame_rules(path: Path, table: Mapping[str, Any], breaks: re.Pattern[str]) -> FrameRules:
    """The cues the document frame reads (relative clauses, report frames, statement verbs)."""
    relative = check_keys(path, "relative_clauses", table["relative_clauses"], (), ["isolating", "temporal"])
    isolating = word_group(path, "relative_clauses.isolating", relative["isolating"])
    temporal = word_group(path, "relative_clauses.temporal", relative["temporal"])
    return FrameRules(
        isolating=re.compile(rf"(?:,\s*|\s)\b{isolating}\b", re.IGNORECASE),
        temporal=re.compile(rf",\s*\b{temporal}\b", re.IGNORECASE),
        report=_words(path, "report_frames", table),
        statement_verb=_words(path, "statement_verbs", table),
        statement_gap=compile_pattern(path, "statement_gap", table["statement_gap"]),
        event_verb=_words(path, "flow_cues", table),
        comparison=_words(path, "comparison_cues", table),
        baseline=re.compile(r"\s*(?:" + _words(path, "baseline_nouns", table).pattern + ")", re.IGNORECASE),
        future=_words(path, "future_cues", table),
        clause_break=breaks,
    )


def _distance_breaks(path: Path, raw: object) -> re.Pattern[str]:
    """The marks and words that put a time span further from a quantity (``distance_breaks``)."""
    table = check_keys(path, "distance_breaks", raw, (), ["marks", "words"])
    marks = "".join(re.escape(str(mark)) for mark in table["marks"])
    return re.compile(rf"[{marks}]|\b{word_group(path, 'distance_breaks.words', table['words'])}\b")
