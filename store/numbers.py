"""The one rounding rule, used by every renderer: exact fractions, rounded half away from zero,
only at the moment a number is shown."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

DECIMALS = 1


def rounded(value: Fraction, decimals: int = DECIMALS) -> Decimal:
    """`value` to `decimals` places, halves away from zero (44.25 -> 44.3, -4.95 -> -5.0)."""
    scaled = abs(value) * 10**decimals
    whole, remainder = divmod(scaled.numerator, scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        whole += 1
    result = Decimal(whole).scaleb(-decimals)
    return -result if value < 0 and whole else result


def decimal(value: Fraction | None, decimals: int = DECIMALS) -> str:
    """A plain number: 6.69 -> "6.7"."""
    return "n/a" if value is None else str(rounded(value, decimals))


def percent(value: Fraction | None, decimals: int = DECIMALS) -> str:
    """A number of percent: 44.25 -> "44.3%"."""
    return "n/a" if value is None else f"{rounded(value, decimals)}%"


def points(value: Fraction | None, decimals: int = DECIMALS) -> str:
    """A signed change in percentage points: 8.46 -> "+8.5", -4.9 -> "-4.9", 0 -> "0.0"."""
    if value is None:
        return "new"
    shown = rounded(value, decimals)
    return f"+{shown}" if shown > 0 else f"{shown}"


def count(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"


def as_float(value: Fraction | None) -> float | None:
    """For JSON: unrounded (to float precision)."""
    return None if value is None else float(value)
