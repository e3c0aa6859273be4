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
from assistant.sanitize import printable

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
    # the chart is shown through Text.from_ansi: labels and names from data must not carry escapes
    columns = [printable(c, newlines=False) for c in columns]
    rows = [(printable(r[0], newlines=False), *r[1:]) if r and isinstance(r[0], str) else r for r in rows]
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


def series_gaps(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[date]:
    """The days with no row inside a daily series (first column dates, one step a day); [] for anything else."""
    days = sorted({_as_date(r[0]) for r in rows if r and _as_date(r[0]) is not None})
    if len(days) < 2 or not columns:
        return []
    steps = [(b - a).days for a, b in zip(days, days[1:])]
    if min(steps) != 1:  # weekly or monthly: not a daily series
        return []
    present, out, d = set(days), [], days[0]
    while d <= days[-1]:
        if d not in present:
            out.append(d)
        d = date.fromordinal(d.toordinal() + 1)
    return out


def gaps_note(columns: Sequence[str], rows: Sequence[Sequence[Any]], missing: Sequence[date] = ()) -> str | None:
    """A note naming the days absent from a daily series, and which of them are missing from the loaded data."""
    gaps = series_gaps(columns, rows)
    if not gaps:
        return None
    unloaded = [d for d in gaps if d in set(missing)]
    why = " (not in the loaded data)" if unloaded and len(unloaded) == len(gaps) else (
        f"; {len(unloaded)} of them not in the loaded data" if unloaded else "")
    shown = ", ".join(d.isoformat() for d in gaps[:6]) + (f" and {len(gaps) - 6} more" if len(gaps) > 6 else "")
    return f"No rows for {shown}{why}: shown as gaps, not as 0."


def _as_date(v: Any) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str) and len(v) >= 10:
        try:
            return date.fromisoformat(v[:10])
        except ValueError:
            return None
    return None


def _line(columns: Sequence[str], rows: Sequence[Sequence[Any]], numeric: list[int], width: int, height: int,
          color: bool) -> Chart:
    import plotext as plt

    ordered = sorted((r for r in rows if r[0] is not None), key=lambda r: _day_key(r[0]))
    days = [_day_key(r[0]) for r in ordered]
    daily = bool(series_gaps(columns, ordered)) or _is_daily(ordered)
    xs = [(_as_date(r[0]) - _as_date(ordered[0][0])).days for r in ordered] if daily else list(range(len(ordered)))
    fig = plt.figure
    fig.clear()
    plt.terminal.limit(False, False)
    fig.plot_size(width, height)
    series = numeric[:MAX_SERIES]
    for i in series:
        for n, run in enumerate(_runs([(x, float(r[i])) for x, r in zip(xs, ordered) if r[i] is not None])):
            signal = fig.signal([p[0] for p in run], [p[1] for p in run]).lines()
            fig.draw(signal.label(columns[i]) if len(series) > 1 and n == 0 else signal)  # a gap breaks the line
    ticks = sorted({0, len(days) // 2, len(days) - 1})
    fig.ruler("x").ticks([xs[t] for t in ticks], [days[t] for t in ticks])
    _integer_ticks(fig, ordered, series)
    fig.title(", ".join(columns[i] for i in numeric[:MAX_SERIES]) + f" by {columns[0]}")
    text = fig.build().string(colorless=not color).rstrip("\n")
    fig.clear()
    notes = [f"first {MAX_SERIES} of {len(numeric)} number columns" if len(numeric) > MAX_SERIES else None,
             gaps_note(columns, ordered)]
    return Chart("line", text, "; ".join(n for n in notes if n) or None)


def _is_daily(rows: Sequence[Sequence[Any]]) -> bool:
    days = [_as_date(r[0]) for r in rows]
    return all(d is not None for d in days) and len(days) > 1 and all(
        (b - a).days == 1 for a, b in zip(days, days[1:]))  # type: ignore[operator]


def _runs(points: list[tuple[int, float]]) -> list[list[tuple[int, float]]]:
    """Points split where the x positions skip, so a missing day shows as a break in the line."""
    runs: list[list[tuple[int, float]]] = []
    for p in points:
        if runs and p[0] == runs[-1][-1][0] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def _integer_ticks(fig: Any, rows: Sequence[Sequence[Any]], series: list[int]) -> None:
    """Whole-number y ticks when every plotted value is a whole number (counts of users, days, lines)."""
    values = [r[i] for r in rows for i in series if r[i] is not None]
    if not values or not all(isinstance(v, int) or (isinstance(v, float) and v.is_integer()) for v in values):
        return
    low, high = int(min(values)), int(max(values))
    step = max(1, -(-(high - low) // 5))
    ticks = list(range(low, high + step, step))
    fig.ruler("y").ticks(ticks, [f"{t:,}" for t in ticks])


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
