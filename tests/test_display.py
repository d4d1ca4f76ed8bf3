"""Rounding and display: half-up on the decimal officials read (standard, "Rounding and display")."""

import math

import pytest

from junheng.display import contradicts, cv, exact, fmt, half_up, percent


def test_values_round_half_up_not_to_even() -> None:
    assert fmt(2.675) == "2.68"  # binary 2.67499… would give 2.67
    assert fmt(0.125) == "0.13"  # round() gives 0.12
    assert fmt(1.005) == "1.01"


def test_cv_three_decimals() -> None:
    assert cv(0.0005) == "0.001"
    assert cv(0.4995) == "0.500"
    assert cv(0.5004) == "0.500"


def test_percent_one_decimal() -> None:
    assert percent(0.8496) == "85.0%"
    assert percent(0.84949) == "84.9%"
    assert percent(1.0) == "100.0%"


def test_negative_zero_prints_without_sign() -> None:
    assert fmt(-0.001) == "0.00"


def test_missing_and_non_finite_print_a_dash() -> None:
    assert fmt(None) == "—"
    assert fmt(math.nan) == "—"
    assert percent(math.inf) == "—"
    with pytest.raises(ValueError):
        half_up(math.inf, 2)


def test_printed_figure_that_contradicts_the_verdict() -> None:
    assert contradicts(0.5004, "<=", 0.50, 3)  # prints 0.500, fails
    assert not contradicts(0.5006, "<=", 0.50, 3)  # prints 0.501, fails: consistent
    assert contradicts(0.8496, ">=", 0.85, 3)  # prints 85.0%, fails
    assert not contradicts(0.85, ">=", 0.85, 3)
    assert exact(0.50041) == "0.5004"
