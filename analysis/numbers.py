"""One number format for every table, caption and axis of the reports: integers with thousands
separators, other values to four significant digits, never in exponent notation between 1e-6
and 1e15 (a reader should not meet both `10,484` and `1.094e+04` on one page)."""

from __future__ import annotations

import math


def format_number(value) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    magnitude = math.floor(math.log10(abs(x)))
    if magnitude < -6 or magnitude >= 15:
        return f"{x:.3e}"
    text = f"{x:,.{max(0, 3 - magnitude)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def plus_minus(mean: float, low: float, high: float) -> str:
    """A mean and its symmetric 95% CI as `0.9495 ± 0.0093` (short enough for a table cell)."""
    if not math.isfinite(low) or not math.isfinite(high):
        return format_number(mean)
    return f"{format_number(mean)} ± {format_number((high - low) / 2)}"
