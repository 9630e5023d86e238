"""extract_claims on invented texts: daily report lists, attribution chains, comparisons,
publication-date handling (no clock), and the CLAIMS_SPEC record shape."""

from __future__ import annotations

from datetime import date

import pytest

from claimtrack.transforms.claims import extract_claims, extract_comparisons

REPORT = (
    "The General Staff said on Wednesday.\n\n"
    "The total combat losses of the enemy from 24.02 to 15.06 were approximately:\n"
    "personnel ‒ about 32750 (+250) persons were liquidated,\n"
    "tanks ‒ 1440 (+6),\nAPV ‒ 3528 (+25),\nMLRS ‒ 231 (+0).\n"
)


def test_daily_report_items_give_a_total_and_a_one_day_change() -> None:
    claims = extract_claims(REPORT, date(2022, 6, 15))
    by_text = {(c.text, c.kind): c for c in claims}
    assert len(claims) == 8
    tanks = by_text[("1440", "cumulative")]
    assert (tanks.unit, tanks.metric, tanks.period_start, tanks.period_end) == (
        "tank",
        "tank_losses",
        date(2022, 2, 24),
        date(2022, 6, 15),
    )
    assert tanks.bound == "~" and tanks.subject == "Russian forces"
    day = by_text[("6", "period")]
    assert (day.change, day.period_start, day.period_end, day.value) == ("up", date(2022, 6, 15), date(2022, 6, 15), 6)
    assert by_text[("231", "cumulative")].unit == "mlrs"


def test_chained_sources_and_a_quote_that_runs_on() -> None:
    text = (
        "“Kyiv lost 40 tanks last week, citing data from the regional command,” the ministry said. "
        "“It also lost 12 aircraft.”"
    )
    claims = extract_claims(text, date(2024, 3, 11))
    assert [(c.text, c.source, c.origin) for c in claims] == [
        ("40 tanks", "ministry", "regional command"),
        ("12 aircraft", "ministry", None),
    ]
    assert (claims[0].kind, claims[0].period_start, claims[0].period_end) == (
        "period",
        date(2024, 3, 4),
        date(2024, 3, 10),
    )


def test_no_publication_date_leaves_relative_dates_null() -> None:
    claims = extract_claims("Russia lost 300 tanks last week.", None)
    assert [(c.value, c.period_start, c.period_end) for c in claims] == [(300, None, None)]


def test_the_clock_is_never_read(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as real

    class Frozen(real.date):
        @classmethod
        def today(cls) -> real.date:
            raise AssertionError("the extractor read the clock")

    monkeypatch.setattr(real, "date", Frozen)
    claims = extract_claims("Since February 24, 2022, 6 million people have fled.", real.date(2023, 5, 1))
    assert claims and claims[0].period_start == real.date(2022, 2, 24)


def test_records_follow_claims_spec() -> None:
    text = "Officials said more than 1,200 people were detained at protests yesterday."
    record = extract_claims(text, date(2024, 5, 4))[0].to_record("doc-1")
    assert record["doc"] == "doc-1" and text[record["start"] : record["end"]] == record["text"]
    assert (record["value"], record["low"], record["high"], record["bound"]) == (1200, 1200, None, ">")
    assert (record["unit"], record["metric"], record["kind"]) == ("person", "arrests_detentions", "period")
    assert (record["period_start"], record["period_end"], record["published"]) == (
        "2024-05-03",
        "2024-05-03",
        "2024-05-04",
    )
    assert record["source"] == "Officials"


def test_comparison_between_periods() -> None:
    found = extract_comparisons("Courts handed down more treason convictions in 2023 than in 2022.", date(2024, 2, 1))
    assert [(c.relation, c.metric, c.left.period_end, c.right.period_start) for c in found] == [
        (">", "treason_convictions", date(2023, 12, 31), date(2022, 1, 1))
    ]
