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


def test_verdicts_forgive_float_noise_at_the_limit() -> None:
    from junheng.display import holds

    assert holds(0.5000000000000001, "<=", 0.50)  # a CV of exactly 0.50 as floats compute it
    assert not holds(0.5001, "<=", 0.50)
    assert holds(0.95 - 1e-12, ">=", 0.95)
    assert not holds(0.85, ">", 0.85)


def test_exact_figure_takes_the_decimals_it_needs() -> None:
    from junheng.display import exact_for

    assert exact_for(0.50041, "<=", 0.50) == "0.5004"
    # 0.849996 fails ≥ 0.85 but reads 0.8500 at 4 decimals (and 0.85000 at 5): it takes 6
    assert exact_for(0.849996, ">=", 0.85) == "0.849996"
    assert exact_for(0.84996, ">=", 0.85) == "0.84996"


def test_quoted_adds_the_exact_figure_only_where_the_printed_one_misleads() -> None:
    from junheng.display import quoted, quoted_percent

    assert quoted(0.5004, "<=", 0.50, 3) == "0.500（精确值0.5004）"
    assert quoted(0.5006, "<=", 0.50, 3) == "0.501"  # prints 0.501, fails: consistent
    assert quoted(0.4996, "<=", 0.50, 3) == "0.500"  # prints 0.500, passes: consistent
    assert quoted(0.5004, "<=", 0.50, 3, judged_exact=False) == "0.500"
    assert quoted(99.96, ">=", 100, 1, unit="%") == "100.0%（精确值99.9600%）"
    assert quoted(99.96, ">=", 100, 1, unit="%", exact_digits=2) == "100.0%（精确值99.96%）"
    assert quoted_percent(0.8496, ">=", 0.85) == "85.0%（精确值84.96%）"
    assert quoted_percent(0.85, ">=", 0.85) == "85.0%"
    assert quoted_percent(0.8449, ">=", 0.85) == "84.5%"
    assert quoted_percent(None, ">=", 0.85) == "—"
    assert quoted(None, "<=", 0.5, 3) == "—"


def test_at_threshold_judges_the_printed_figure() -> None:
    from junheng.display import at_threshold

    assert at_threshold(0.5004, "<=", 0.50, 3)
    assert not at_threshold(0.5005, "<=", 0.50, 3)  # prints 0.501
    assert at_threshold(4.195, ">=", 4.2, 2)  # prints 4.20 (half-up)
