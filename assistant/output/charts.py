"""Terminal charts of a result, drawn deterministically from its rows (never from model-written code).

A time series (first column a date or timestamp) becomes a line chart (plotext); a breakdown (first
column text, then a number) becomes horizontal bars (rich). Anything else is refused with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Sequence

from assistant.errors import AssistantError
from assistant.output.render import cell

MAX_SERIES = 4
MAX_BARS = 30
BAR_WIDTH = 40


class NotChartable(AssistantError):
    """The result has no shape /chart can draw."""

    kind = "not_chartable"


@dataclass(frozen=True)
class Chart:
    kind: str  # "line" or "bar"
    text: str  # the drawing; may contain ANSI colours when asked for
    note: str | None = None


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def _is_time(v: Any) -> bool:
    if isinstance(v, (date, datetime)):
        return True
    if isinstance(v, str) and len(v) >= 10:
        try:
            date.fromisoformat(v[:10])
            return True
        except ValueError:
            return False
    return False


def numeric_columns(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Indexes of the columns (after the first) whose non-null values are all numbers."""
    out = []
    for i in range(1, len(columns)):
        values = [r[i] for r in rows if r[i] is not None]
        if values and all(_is_number(v) for v in values):
            out.append(i)
    return out


def chart(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, width: int = 100, height: int = 18,
          color: bool = False) -> Chart:
    """A line chart for a time series, bars for a breakdown; NotChartable with the reason otherwise."""
    if not rows or len(columns) < 2:
        raise NotChartable("Nothing to chart: the result needs a label or date column and a number column.",
                           hint="Ask for something per day, per team, per IDE ... then /chart.")
    numeric = numeric_columns(columns, rows)
    if not numeric:
        raise NotChartable(f"Nothing to chart: no numeric column after '{columns[0]}'.",
                           hint="/chart draws the number columns against the first column.")
    firsts = [r[0] for r in rows if r[0] is not None]
    if firsts and all(_is_time(v) for v in firsts):
        return _line(columns, rows, numeric, width, height, color)
    if firsts and all(isinstance(v, str) for v in firsts):
        return _bars(columns, rows, numeric[0])
    raise NotChartable(f"Nothing to chart: the first column '{columns[0]}' is neither a date nor a label.",
                       hint="Put the day (for a line) or a name (for bars) first.")


def _line(columns: Sequence[str], rows: Sequence[Sequence[Any]], numeric: list[int], width: int, height: int,
          color: bool) -> Chart:
    import plotext as plt

    ordered = sorted((r for r in rows if r[0] is not None), key=lambda r: _day_key(r[0]))
    days = [_day_key(r[0]) for r in ordered]
    fig = plt.figure
    fig.clear()
    plt.terminal.limit(False, False)
    fig.plot_size(width, height)
    series = numeric[:MAX_SERIES]
    for i in series:
        points = [(x, float(r[i])) for x, r in enumerate(ordered) if r[i] is not None]
        if points:
            signal = fig.signal([p[0] for p in points], [p[1] for p in points]).lines()
            fig.draw(signal.label(columns[i]) if len(series) > 1 else signal)  # one line: the title names it
    ticks = sorted({0, len(days) // 2, len(days) - 1})
    fig.ruler("x").ticks(ticks, [days[t] for t in ticks])
    fig.title(", ".join(columns[i] for i in numeric[:MAX_SERIES]) + f" by {columns[0]}")
    text = fig.build().string(colorless=not color).rstrip("\n")
    fig.clear()
    note = f"first {MAX_SERIES} of {len(numeric)} number columns" if len(numeric) > MAX_SERIES else None
    return Chart("line", text, note)


def _day_key(v: Any) -> str:
    return v.isoformat()[:19] if isinstance(v, (date, datetime)) else str(v)[:19]


def _bars(columns: Sequence[str], rows: Sequence[Sequence[Any]], value_col: int) -> Chart:
    shown = [r for r in rows if r[value_col] is not None][:MAX_BARS]
    values = [float(r[value_col]) for r in shown]
    top = max((abs(v) for v in values), default=0.0) or 1.0
    label_w = min(max(len(str(r[0])) for r in shown), 32)
    value_w = max(len(cell(r[value_col])) for r in shown)
    lines = [f"{columns[value_col]} by {columns[0]}"]
    for r, v in zip(shown, values):
        units = abs(v) / top * BAR_WIDTH
        bar = "█" * int(units) + ("▌" if units - int(units) >= 0.5 else "")
        label = str(r[0])[:label_w]
        lines.append(f"{label:<{label_w}} │ {cell(r[value_col]):>{value_w}} {bar}")
    note = f"first {MAX_BARS} of {len(rows)} rows" if len(rows) > MAX_BARS else None
    return Chart("bar", "\n".join(lines), note)
