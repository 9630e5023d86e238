"""The document time frame (claimtrack.transforms.claims.frame) and the kind decisions that
consult it, on invented sentences: the issue's failure patterns on unseen text, each a case."""

from __future__ import annotations

from datetime import date

import pytest

from claimtrack.transforms.claims import extract_claims, load_extractor_rules
from claimtrack.transforms.claims.context import sentence_contexts
from claimtrack.transforms.claims.frame import DocumentFrame
from claimtrack.transforms.claims.sentences import split_sentences

RULES = load_extractor_rules()


def frame_of(text: str, published: date) -> DocumentFrame:
    """The frame of ``text``, every sentence read."""
    split = split_sentences(text, RULES.sentences)
    _, frame = sentence_contexts(split, published, RULES, set(range(len(split))))
    return frame


def dated(text: str, number: str, published: date) -> tuple[str, date | None, date | None]:
    """(kind, period_start, period_end) of the claim covering ``number`` in ``text``."""
    at = text.index(number)
    claim = next(c for c in extract_claims(text, published) if c.start <= at < c.end)
    return claim.kind, claim.period_start, claim.period_end


def test_a_date_in_a_relative_clause_is_not_the_number_s() -> None:
    text = "The minister, who took office in 2009, said 70% of farmers backed the reform."
    frame = frame_of(text, date(2024, 3, 9))
    view = frame.time_for(0, text.index("70%"), text.index("70%") + 3)
    assert view.clause == () and view.sentence == ()
    assert [s.text for s in frame.spans[0]] == ["in 2009"]
    assert dated(text, "70%", date(2024, 3, 9)) == ("level", None, date(2024, 3, 9))


def test_a_temporal_clause_lends_its_antecedent_s_date_to_the_numbers_inside() -> None:
    text = "The flood of March 2019, when 40 homes were destroyed, is still remembered."
    assert dated(text, "40", date(2024, 3, 9)) == ("period", date(2019, 3, 1), date(2019, 3, 31))


def test_the_statement_day_is_not_a_bound_and_dates_the_speaker_s_figures_elsewhere() -> None:
    text = "Russia lost 300 tanks, the general staff said on Monday.\n\nThe general staff also counted 40 jets."
    frame = frame_of(text, date(2024, 5, 10))
    assert frame.statement_spans[0] == frozenset({0})
    assert dated(text, "300", date(2024, 5, 10)) == ("cumulative", None, date(2024, 5, 6))


def test_a_pronoun_speaker_takes_the_statement_day_of_its_paragraph() -> None:
    text = "The governor spoke on Monday. “Some 40% of the city has no power,” she said."
    assert frame_of(text, date(2024, 5, 10)).statements[1] == date(2024, 5, 6)
    assert dated(text, "40%", date(2024, 5, 10)) == ("level", None, date(2024, 5, 6))


def test_a_report_s_coverage_frames_the_article() -> None:
    text = "The report covers March 2022 to January 2024.\n\nIt documents 312 cases of forced transfer."
    frame = frame_of(text, date(2024, 5, 10))
    assert frame.article_frame is not None
    assert (frame.article_frame.period_start, frame.article_frame.period_end) == (date(2022, 3, 1), date(2024, 1, 31))
    assert dated(text, "312", date(2024, 5, 10)) == ("period", date(2022, 3, 1), date(2024, 1, 31))


def test_the_lead_s_event_day_frames_undated_counts_of_the_event() -> None:
    text = "Storms hit the coast early Wednesday. Falling trees killed six people, the police said."
    assert dated(text, "six", date(2024, 5, 10)) == ("period", date(2024, 5, 8), date(2024, 5, 8))


@pytest.mark.parametrize(
    "text,number,published,expected",
    [
        (
            "On Thursday the EU sanctioned 37 officials.",
            "37",
            date(2024, 3, 9),
            ("period", date(2024, 3, 7), date(2024, 3, 7)),
        ),
        (
            "The firm shipped 60% of its barley to Asia last year.",
            "60%",
            date(2024, 3, 9),
            ("period", date(2023, 1, 1), date(2023, 12, 31)),
        ),
        (
            "In the region, 45 aid workers were killed, including nine foreigners.",
            "45",
            date(2024, 3, 9),
            ("cumulative", None, date(2024, 3, 9)),
        ),
        (
            "Germany announced a new €2 billion air-defence package.",
            "€2 billion",
            date(2024, 3, 9),
            ("level", None, date(2024, 3, 9)),
        ),
        (
            "Since the start of the offensive in early March 2023, the brigade has retaken 14 villages.",
            "14",
            date(2024, 3, 9),
            ("cumulative", date(2023, 3, 1), date(2024, 3, 9)),
        ),
        (
            "The agency will hire 30 nurses in June.",
            "30",
            date(2024, 5, 10),
            ("period", date(2024, 6, 1), date(2024, 6, 30)),
        ),
        ("Unemployment this year is 5.1%.", "5.1%", date(2024, 5, 10), ("level", None, date(2024, 5, 10))),
        (
            "So far 14 bridges have been destroyed in the war.",
            "14",
            date(2021, 6, 1),
            ("cumulative", None, date(2021, 6, 1)),
        ),
        # a time heading the speaker's clause is the statement day, not a bound
        (
            "In March, the finance minister said that tax arrears had reached $4 billion.",
            "$4 billion",
            date(2024, 5, 10),
            ("cumulative", None, date(2024, 3, 31)),
        ),
        # ... and only for the figures of that statement
        (
            "The fund has spent $30 million, and last week it emerged that it had also lost $5 million.",
            "$30 million",
            date(2024, 5, 10),
            ("cumulative", None, date(2024, 5, 10)),
        ),
        (
            "The fund has spent $30 million, and last week it emerged that it had also lost $5 million.",
            "$5 million",
            date(2024, 5, 10),
            ("cumulative", None, date(2024, 5, 5)),
        ),
        # a bound in time decides before a running-total word ("overall")
        (
            "Even in 2021, when overall admissions fell to 800, the clinic alone treated 90 patients.",
            "800",
            date(2024, 5, 10),
            ("period", date(2021, 1, 1), date(2021, 12, 31)),
        ),
        # a relative clause's numbers take the date of the noun phrase it describes
        (
            "Residents recall the storm of May 2019, which destroyed 40 homes.",
            "40",
            date(2024, 5, 10),
            ("period", date(2019, 5, 1), date(2019, 5, 31)),
        ),
        (
            "Officials blamed the riot of March 2020, in which 1,200 people were hurt and 30 died.",
            "30",
            date(2024, 5, 10),
            ("period", date(2020, 3, 1), date(2020, 3, 31)),
        ),
    ],
)
def test_the_issue_s_patterns_on_unseen_text(
    text: str, number: str, published: date, expected: tuple[str, date | None, date | None]
) -> None:
    assert dated(text, number, published) == expected
