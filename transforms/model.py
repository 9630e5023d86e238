"""Record types shared by the extractor, the normaliser, the loader and the pipeline.

``Claim`` follows ``CLAIMS_SPEC.md`` field for field (minus ``doc``, which belongs to the
input, not to the claim). ``Comparison`` is a claim that states no number but compares two
periods ("more convictions in the first 6 months of 2024 than in all of 2023").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Bound = Literal["=", "~", ">", ">=", "<", "<=", "range"]
Kind = Literal["cumulative", "period", "level"]
Change = Literal["up", "down"]

EXTRACTOR_VERSION = "0.3.0"


@dataclass(frozen=True)
class Quantity:
    """A number expression found in a text, before it is judged a claim.

    ``start``/``end`` cover the hedge and the number expression ("approximately 700,000",
    "tens of thousands", "$1.2bn", "15%"); ``number_end`` is where the words after the
    number begin (the head-noun search starts there). ``unit`` is set only when the
    expression itself carries it (currency -> ISO code lower case, ``%`` -> ``percent``).
    """

    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    bound: Bound
    unit: str | None = None
    number_end: int = -1
    vague: bool = False


@dataclass(frozen=True)
class TimeSpan:
    """A time expression resolved against the publication date.

    ``role``: ``period`` (a bounded interval the figure covers: "in May", "last week",
    "in the first 6 months of 2024"), ``since`` (an open start: "since February 24, 2022"),
    ``as_of`` (a moment: "as of June 1", "on Friday", "today"), or ``point`` (a date
    mentioned without a preposition that tells its role).
    """

    start: int
    end: int
    text: str
    role: Literal["period", "since", "as_of", "point"]
    period_start: date | None
    period_end: date | None


@dataclass(frozen=True)
class Claim:
    """One dated numeric claim, as in CLAIMS_SPEC.md section 2 (offsets into the input text)."""

    start: int
    end: int
    text: str
    value: float | None
    low: float | None
    high: float | None
    bound: Bound
    unit: str
    kind: Kind
    sentence: str
    published: date | None
    metric: str | None = None
    subject: str | None = None
    change: Change | None = None
    period_start: date | None = None
    period_end: date | None = None
    source: str | None = None
    origin: str | None = None
    rule: str | None = None
    extractor_version: str = EXTRACTOR_VERSION

    def to_record(self, doc: str) -> dict[str, Any]:
        """Return the CLAIMS_SPEC JSON record for this claim in document ``doc`` (dates as ISO)."""
        record: dict[str, Any] = {"doc": doc}
        for key, value in asdict(self).items():
            record[key] = value.isoformat() if isinstance(value, date) else value
        return record


@dataclass(frozen=True)
class PeriodRef:
    """One side of a comparison: a period, or a look-back of N years with a bound."""

    period_start: date | None = None
    period_end: date | None = None
    years: float | None = None
    bound: Bound | None = None


@dataclass(frozen=True)
class Comparison:
    """A claim that compares a figure across periods without stating the number.

    ``relation``: ``>``/``<``/``=`` between ``left`` and ``right`` periods, or ``max_since``/
    ``min_since`` ("the highest level in at least 9 years": ``right.years`` = 9, bound ``>=``).
    """

    start: int
    end: int
    text: str
    relation: str
    left: PeriodRef
    right: PeriodRef
    sentence: str
    published: date | None
    metric: str | None = None
    subject: str | None = None
    source: str | None = None
    origin: str | None = None
    extractor_version: str = EXTRACTOR_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def to_record(self, doc: str) -> dict[str, Any]:
        """Return the comparison as a JSON-ready dict (see seed_article.comparisons.jsonl)."""

        def side(ref: PeriodRef) -> dict[str, Any]:
            out = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(ref).items()}
            return {k: v for k, v in out.items() if v is not None}

        return {
            "doc": doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "metric": self.metric,
            "subject": self.subject,
            "relation": self.relation,
            "left": side(self.left),
            "right": side(self.right),
            "source": self.source,
            "origin": self.origin,
            "sentence": self.sentence,
            "published": self.published.isoformat() if self.published else None,
            "extractor_version": self.extractor_version,
        }


@dataclass(frozen=True)
class Failure:
    """An input that could not be read, fetched, parsed or extracted, at one stage, and why."""

    input: str
    stage: str
    reason: str
    at: datetime
    lost: bool = True  # the input was not read (False: a note about an input that was read)

    def line(self) -> str:
        """Return the one-line message for logs: ``<input>: <stage> failed: <reason>``."""
        return f"{self.input}: {self.stage} failed: {self.reason}"
