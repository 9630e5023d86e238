"""Forecasts: which claims dated after their article's publication the text itself dates.

A claim whose ``period_end`` lies after its article's ``published`` date is a forecast when its
sentence has forecast wording (``data/vocab/forecasts.yaml``: "will", "plans", "projected", "by
2030"...); any other such claim (a future year end, "the 21st century" read as 2099-12-31) is
flagged in ``claims`` (``after_publication``) and kept out of ``series`` and the charts. Pure: no
clock, no I/O but the YAML file.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from claimtrack.transforms.rules import (
    check_keys,
    compile_pattern,
    data_file,
    expand_placeholders,
    load_yaml,
    word_group,
)

FORECASTS_FILE = ("vocab", "forecasts.yaml")


def _table() -> tuple[Any, dict[str, Any]]:
    """The path and the checked mapping of ``data/vocab/forecasts.yaml``."""
    path = data_file(*FORECASTS_FILE)
    keys = ("version", "words", "patterns", "placeholders", "examples")
    return path, dict(check_keys(path, None, load_yaml(path), keys, required=("words",)))


@lru_cache(maxsize=1)
def forecast_wording() -> re.Pattern[str]:
    """The compiled cue pattern of ``data/vocab/forecasts.yaml`` (whole words, case ignored).

    :raises RuleError: an empty or repeating word list, an unknown placeholder, a bad pattern.
    """
    path, table = _table()
    placeholders = expand_placeholders(path, table.get("placeholders") or {})
    parts = [word_group(path, "words", [str(w) for w in table["words"]]), *map(str, table.get("patterns") or [])]
    return compile_pattern(path, "patterns", r"\b(?:" + "|".join(parts) + r")\b", placeholders)


def has_forecast_wording(sentence: str | None) -> bool:
    """Whether ``sentence`` says a figure is planned, expected or projected."""
    return sentence is not None and forecast_wording().search(sentence) is not None


def is_forecast(period_end: date | None, published: date | None, sentence: str | None) -> bool:
    """True when a claim's as-of date ``period_end`` lies after ``published`` and its ``sentence``
    has forecast wording; False otherwise (also when either date is unknown)."""
    if period_end is None or published is None or period_end <= published:
        return False
    return has_forecast_wording(sentence)


def forecast_examples() -> list[dict[str, Any]]:
    """The inline examples of ``data/vocab/forecasts.yaml``: ``{sentence, forecast}`` each."""
    return list(_table()[1].get("examples") or [])
