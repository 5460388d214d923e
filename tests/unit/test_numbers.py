"""The one rounding rule every figure a reporter copies goes through: half away from zero, 1 dp."""

from decimal import Decimal
from fractions import Fraction

import pytest

from store.numbers import as_float, count, decimal, percent, points, rounded


def exact(text: str) -> Fraction:
    """A decimal written in the test, as an exact fraction (no float error can creep in)."""
    return Fraction(text)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("44.25", "44.3"),  # a half rounds up, not to even (Python's round() would give 44.2)
        ("44.35", "44.4"),
        ("7.2486", "7.2"),  # only the first decimal decides; no double rounding via 7.25
        ("7.25", "7.3"),
        ("-4.95", "-5.0"),  # a negative half rounds away from zero
        ("-4.94", "-4.9"),
        ("0.05", "0.1"),
        ("-0.05", "-0.1"),
        ("-0.04", "0.0"),  # never "-0.0"
        ("-0.0001", "0.0"),
        ("0", "0.0"),
        ("99.95", "100.0"),
        ("12", "12.0"),
    ],
)
def test_decimal_rounds_half_away_from_zero_to_one_place(value, shown):
    assert decimal(exact(value)) == shown


def test_float_literals_that_look_like_halves_are_not_a_concern_because_values_are_exact():
    # 2.675 as a float is 2.67499999...; as a share of votes it is exact and rounds up.
    assert decimal(Fraction(2675, 1000), 2) == "2.68"
    assert decimal(Fraction(13748 * 100, 31068)) == "44.3"  # Trudy Harrison, Copeland 2017: 44.2513...


def test_rounded_is_a_decimal_with_the_requested_places():
    assert rounded(exact("44.25")) == Decimal("44.3")
    assert str(rounded(exact("2.5"), 0)) == "3"
    assert str(rounded(exact("-2.5"), 0)) == "-3"
    assert str(rounded(exact("1.005"), 2)) == "1.01"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("8.46", "+8.5"),
        ("8.45", "+8.5"),
        ("-4.9", "-4.9"),
        ("-4.95", "-5.0"),
        ("0.04", "0.0"),  # rounds to nothing: no sign either way
        ("-0.04", "0.0"),
        ("0", "0.0"),
        ("0.05", "+0.1"),
        ("-24.63", "-24.6"),
    ],
)
def test_points_is_signed(value, shown):
    assert points(exact(value)) == shown


def test_points_for_a_party_that_did_not_stand_before_is_new():
    assert points(None) == "new"


def test_percent_adds_the_sign_and_says_na_when_unknown():
    assert percent(exact("44.25")) == "44.3%"
    assert percent(exact("-0.04")) == "0.0%"
    assert percent(None) == "n/a"
    assert decimal(None) == "n/a"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (13748, "13,748"), (1234567, "1,234,567"), (None, "n/a")],
)
def test_count_has_thousands_separators(value, shown):
    assert count(value) == shown


def test_json_numbers_are_unrounded():
    assert as_float(Fraction(13748 * 100, 31068)) == pytest.approx(44.25132)
    assert as_float(None) is None
