"""Chart axes with round steps: Heckbert's "nice numbers" (1, 2 or 5 × 10^n), for every chart."""

import math
from dataclasses import dataclass

# Beyond this a span overflows a double; a chart shows such values at its edge.
CHARTED = 1e300
# Narrower ranges are widened, so that a step of 10^n never underflows to zero.
NARROWEST = 1e-9


def charted(value: float) -> float:
    """``value`` within what an axis can span (±1e300)."""
    return max(-CHARTED, min(CHARTED, value))


def nice_number(value: float, rounding: bool) -> float:
    """A number of the form 1, 2 or 5 × 10^n near ``value`` (> 0): the nearest with
    ``rounding``, else the smallest not below it (Heckbert, Graphics Gems, 1990)."""
    exponent = math.floor(math.log10(value))
    fraction = value / 10**exponent
    if rounding:
        nice = 1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10
    else:
        nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 5 if fraction <= 5 else 10
    return nice * 10.0**exponent


@dataclass(frozen=True)
class Axis:
    """An axis from ``low`` to ``high`` in steps of ``step``; both ends are multiples of it."""

    low: float
    high: float
    step: float

    @property
    def ticks(self) -> list[float]:
        """The values marked on the axis, ``low`` and ``high`` included."""
        count = round((self.high - self.low) / self.step)
        return [self._clean(self.low + i * self.step) for i in range(count + 1)]

    @property
    def decimals(self) -> int:
        """How many decimals a tick needs to be written exactly (0 for steps of 1 or more)."""
        return max(0, -math.floor(math.log10(self.step) + 1e-9))

    def _clean(self, value: float) -> float:
        # 0.1 + 0.2 is not 0.3: round to the step's precision so labels read as written.
        return round(value, self.decimals + 1) + 0.0

    def share(self, value: float) -> float:
        """Where ``value`` falls between ``low`` (0) and ``high`` (1)."""
        return (value - self.low) / (self.high - self.low)


def nice_axis(low: float, high: float, ticks: int = 5, whole: bool = False) -> Axis:
    """About ``ticks`` round steps covering ``low`` to ``high`` ("loose" labelling: the axis
    ends on the first multiple of the step at or beyond the data). ``whole``: the step is at
    least 1, for counts. An empty range is widened to one step."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("an axis needs finite ends")
    low, high = charted(min(low, high)), charted(max(low, high))
    if high - low < NARROWEST:
        high = low + max(abs(low), 1.0)
    step = nice_number(nice_number(high - low, False) / max(ticks - 1, 1), True)
    if whole:
        step = max(step, 1.0)
    return Axis(math.floor(low / step) * step, math.ceil(high / step) * step, step)
