"""The shared parsers and their bounds (core.validation), which every door goes through."""

from datetime import date

import pytest

from app.core.errors import ValidationError
from app.core.validation import (
    Argument,
    InvalidArguments,
    given,
    optional,
    parse_arguments,
    parse_date,
    parse_flag,
    parse_id,
    parse_ids,
    parse_int,
    parse_number,
)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("1900-01-01", date(1900, 1, 1)),
        (" 9999-12-31 ", date(9999, 12, 31)),
        (date(2015, 2, 28), date(2015, 2, 28)),
        ("", None),
        (None, None),
    ],
)
def test_dates_from_1900_to_9999_are_taken(value, day):
    assert parse_date(value, "day") == day


@pytest.mark.parametrize(
    ("value", "field_message"),
    [
        ("1899-12-31", "Out of range."),
        (date(1, 1, 1), "Out of range."),
        ("0001-01-01", "Out of range."),
        ("20310301", "Not a date (YYYY-MM-DD)."),
        ("2031-W01-1", "Not a date (YYYY-MM-DD)."),
        ("2031-3-1", "Not a date (YYYY-MM-DD)."),
        ("٢٠٢٥-٠١-٠١", "Not a date (YYYY-MM-DD)."),
        ("2025-02-30", "Not a date (YYYY-MM-DD)."),
        (20250101, "Not a date (YYYY-MM-DD)."),
    ],
)
def test_other_dates_are_refused(value, field_message):
    with pytest.raises(ValidationError) as caught:
        parse_date(value, "day")
    assert caught.value.fields == {"day": field_message}


def test_whole_numbers_keep_their_bounds_and_refuse_booleans():
    assert parse_int(" 42 ", "n", minimum=1, maximum=42) == 42
    for bad in ("43", "0", True, "4.0", "²", "x"):
        with pytest.raises(ValidationError):
            parse_int(bad, "n", minimum=1, maximum=42)
    with pytest.raises(ValidationError, match=r"n must be a whole number from 1 to 42\."):
        parse_int(43, "n", minimum=1, maximum=42)


def test_ids_fit_the_database_and_lists_hold_at_most_100():
    assert parse_id("2147483647", "lead_id") == 2**31 - 1
    for bad in ("2147483648", "0", "-3", "abc"):
        with pytest.raises(ValidationError, match="lead_id names something that does not exist"):
            parse_id(bad, "lead_id")
    assert parse_ids(["1", " ", "2"], "theme_ids") == [1, 2]
    with pytest.raises(ValidationError, match="names more than 100 records"):
        parse_ids(list(range(1, 102)), "theme_ids")


@pytest.mark.parametrize("value", ["1e15", -1e15, 0, "3.5"])
def test_measured_numbers_within_a_million_billion_are_taken(value):
    assert parse_number(value, "value") == float(value)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1e16", "Out of range."),
        (1e28, "Out of range."),
        (-1e308, "Out of range."),
        ("inf", "Must be a number."),
        ("nan", "Must be a number."),
        (True, "Must be a number."),
        ("many", "Must be a number."),
        ([1], "Must be a number."),
        # A whole number too large for a float (JSON's 1 and 400 zeros): it used to escape
        # as an OverflowError, a 500.
        (10**400, "Must be a number."),
    ],
)
def test_other_numbers_are_refused(value, words):
    with pytest.raises(ValidationError) as refused:
        parse_number(value, "value")
    assert refused.value.fields == {"value": words}


def test_flags_take_the_same_words_in_any_case():
    assert [parse_flag(v, "f") for v in ("1", "TRUE", "Yes", "on", True)] == [True] * 5
    assert [parse_flag(v, "f") for v in ("0", "False", "NO", "off", False)] == [False] * 5
    for bad in ("t", "y", "maybe", "", 1):
        with pytest.raises(ValidationError):
            parse_flag(bad, "f")


def test_arguments_are_all_reported_and_empty_ones_refused_unless_free_text():
    arguments = {
        "n": Argument(optional(lambda v, f: parse_int(v, f)), {"type": "integer"}),
        "text": Argument(optional(lambda v, f: v.strip(), blank_is_absent=True), {}),
        "day": Argument(optional(parse_date), {}),
    }
    assert parse_arguments(arguments, {"text": " ", "n": "4"}) == {
        "n": 4,
        "text": None,
        "day": None,
    }
    with pytest.raises(InvalidArguments) as caught:
        parse_arguments(arguments, {"n": "x", "day": ""})
    assert set(caught.value.errors) == {"n", "day"}
    assert caught.value.fields == {"n": "Must be a whole number.", "day": "Empty."}
    assert caught.value.errors["day"].message == "day is empty."


def test_given_leaves_out_what_a_form_left_empty():
    assert given({"kind": "", "status": "blocked", "q": None, "page": "0"}) == {
        "status": "blocked",
        "page": "0",
    }
