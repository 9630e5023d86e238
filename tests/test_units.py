"""What a number counts, decided in its sentence and document (issue 19, units part): currency
by the document's home currency, units of measure that end at their head, people after verbs
that take them, vote tallies, pronoun "one", verbs after a count. The sentences are invented;
each test runs the whole extractor (``extract_quantities``) on them."""

from __future__ import annotations

from datetime import date

import pytest

from claimtrack.transforms.claims import extract_quantities, load_extractor_rules

RULES = load_extractor_rules()
DAY = date(2025, 3, 1)


def units(text: str) -> list[tuple[str, str]]:
    """(mention text, unit) of every quantity of ``text``."""
    return [(c.text, c.unit) for c in extract_quantities(text, DAY, RULES)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "$" takes the currency of a document about Canada, Australia...; elsewhere US dollars
        ("Ottawa set aside $2 billion. Toronto and Montreal will share it, Canadian officials said.", "cad"),
        ("Sydney and Melbourne want $40 million, the Australian minister said in Canberra.", "aud"),
        ("British ministers in London pledged $3 billion.", "usd"),
        ("The fund paid $3 billion.", "usd"),
    ],
)
def test_dollar_sign_follows_the_home_currency(text: str, want: str) -> None:
    found = [u for t, u in units(text) if t.startswith("$")]
    assert found == [want]


def test_glued_letter_prefixes_are_one_mention() -> None:
    assert units("The state paid RM4.5 million and USD10m for the work.") == [
        ("RM4.5 million", "myr"),
        ("USD10m", "usd"),
    ]
    assert units("The treasury gave the agency R4bn.") == [("R4bn", "zar")]
    assert units("Engineers tested the M4 and the R2 prototypes.") == []


def test_money_without_a_currency_takes_the_last_one_named() -> None:
    found = units("The board approved RM80 million. Critics said the plan would cost billions.")
    assert found == [("RM80 million", "myr"), ("billions", "myr")]


def test_pounds_are_a_weight_where_the_sentence_speaks_of_weight() -> None:
    assert units("She lost 40 pounds in a year.") == [("40 pounds", "pound")]
    assert units("The ticket cost 40 pounds.") == [("40 pounds", "gbp")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The village lies 30km south of the border.", ("30km", "km")),
        ("Temperatures fell to -12C overnight.", ("-12C", "celsius")),
        ("Gusts reached 70 mph winds along the coast.", ("70 mph", "mph")),
        ("The field produces 2 million barrels per day now.", ("2 million barrels per day", "barrel per day")),
        ("The coin traded at 80 U.S. cents.", ("80 U.S. cents", "u.s. cent")),
        ("Its 4,000-strong workforce is on strike.", ("4,000-strong workforce", "workforce")),
        ("Builders renovated 120 of the hotel's 300 rooms.", ("120 of the hotel's 300 rooms", "room")),
    ],
)
def test_units_of_measure_and_heads(text: str, want: tuple[str, str]) -> None:
    assert units(text)[0] == want


def test_bare_numbers_after_verbs_that_take_people() -> None:
    assert units("The blast killed 14 and injured dozens.")[0] == ("14", "person")
    assert units("Police said another 6 were arrested overnight.") == [("another 6", "person")]


def test_vote_tallies_count_votes() -> None:
    assert units("The Senate passed the bill 61 to 38 on Tuesday.") == [("61", "vote"), ("38", "vote")]


def test_pronoun_one_and_a_verb_after_a_count_count_nothing_of_their_own() -> None:
    assert units("I wanted a bike, but I never had one until I was 20.") == []
    assert units("Of its 900 members, 500 work in the port.") == [("900 members", "member"), ("500", "member")]
    assert units("Forecasters expected a 10,000 gain in jobs.") == [("10,000 gain", "gain")]
