"""Chart axes go up in round steps (1, 2 or 5 × 10^n) and cover the data."""

import math

import pytest

from app.core.axes import nice_axis, nice_number


def is_round(value: float) -> bool:
    """1, 2 or 5 times a power of ten."""
    if value <= 0:
        return False
    exponent = math.floor(math.log10(value))
    return round(value / 10**exponent, 9) in (1, 2, 5)


@pytest.mark.parametrize(
    ("value", "rounded", "ceiling"),
    [
        (1, 1, 1),
        (12.096, 10, 20),
        (1555.2, 2000, 2000),
        (3.4, 5, 5),
        (7.2, 10, 10),
        (0.23, 0.2, 0.5),
    ],
)
def test_nice_number_rounds_and_ceils_to_one_two_or_five(value, rounded, ceiling):
    assert nice_number(value, True) == pytest.approx(rounded)
    assert nice_number(value, False) == pytest.approx(ceiling)


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 11_200, [0, 5_000, 10_000, 15_000]),  # authorised military strength
        (0, 1_440, [0, 500, 1_000, 1_500]),  # authorised police strength: not "1,555.2"
        (0, 12_640, [0, 5_000, 10_000, 15_000]),  # not "12,096"
        (0, 23, [0, 10, 20, 30]),
        (0, 0.7, [0, 0.2, 0.4, 0.6, 0.8]),
        (-35, 80, [-50, 0, 50, 100]),
    ],
)
def test_axis_ends_and_steps_are_round(low, high, ticks):
    axis = nice_axis(low, high)
    assert axis.ticks == pytest.approx(ticks)
    assert is_round(axis.step)
    assert axis.low <= low
    assert axis.high >= high


def test_every_axis_between_one_and_a_million_is_round_and_tight():
    for high in [*range(1, 200), 1_234, 9_999, 12_096, 555_555, 999_999]:
        axis = nice_axis(0, high, whole=True)
        assert is_round(axis.step), high
        assert axis.high >= high, high
        assert axis.high - axis.step < high, high
        assert 2 <= len(axis.ticks) <= 7, (high, axis.ticks)
        assert all(float(t).is_integer() for t in axis.ticks)


def test_counts_step_by_whole_numbers_and_an_empty_range_still_has_an_axis():
    assert nice_axis(0, 1, whole=True).ticks == [0, 1]
    assert nice_axis(0, 3, whole=True).ticks == [0, 1, 2, 3]
    assert nice_axis(5, 5).ticks[0] <= 5 <= nice_axis(5, 5).ticks[-1]
    assert nice_axis(0, 0, whole=True).ticks == [0, 1]


def test_share_places_a_value_on_the_axis():
    axis = nice_axis(0, 80)
    assert axis.share(axis.low) == 0
    assert axis.share(axis.high) == 1
    assert axis.share(50) == pytest.approx(50 / axis.high)


def test_an_axis_needs_finite_ends():
    with pytest.raises(ValueError, match="finite"):
        nice_axis(0, math.inf)
