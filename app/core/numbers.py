"""Numbers for people: every value a float column can hold is written out, in the current
language — Babel's ``format_decimal`` for the ordinary ones, scientific notation for those
it cannot quantize (beyond ±1e15, or tinier than 1e-6), a sign for infinities and NaN."""

import math

from flask_babel import format_decimal, format_scientific

from app.core.validation import MAX_NUMBER

SMALLEST_PLAIN = 1e-6


def format_number(value: float | int | None, empty: str = "") -> str:
    """``value`` as text, whatever its size; ``empty`` for None."""
    if value is None:
        return empty
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < MAX_NUMBER:
        return format_decimal(value)
    number = float(value)
    if math.isnan(number):
        return "—"
    if math.isinf(number):
        return "∞" if number > 0 else "−∞"
    if number != 0 and not SMALLEST_PLAIN <= abs(number) < MAX_NUMBER:
        return format_scientific(number, "0.###E0")
    return format_decimal(number)
