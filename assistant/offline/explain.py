"""Explanations of an answer written without a model: what was computed, the headline numbers, what data it covers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.output.render import cell

if TYPE_CHECKING:
    from assistant.contracts import Answer, Context, TextSink


def _headline(answer: "Answer") -> str:
    cols, rows = answer.columns, answer.rows
    if not rows:
        return "No rows matched."
    if len(rows) == 1 and len(cols) == 1:
        return f"{cols[0]}: {cell(rows[0][0])}."
    if len(rows) == 1:
        return "; ".join(f"{c} {cell(v)}" for c, v in zip(cols, rows[0])) + "."
    first = ", ".join(f"{c} {cell(v)}" for c, v in list(zip(cols, rows[0]))[:4])
    total = f"{answer.row_count:,} rows" + (f" (showing {len(rows):,})" if answer.truncated else "")
    last = ""
    if len(rows) > 1:
        last = "; last: " + ", ".join(f"{c} {cell(v)}" for c, v in list(zip(cols, rows[-1]))[:4])
    return f"{total}; first: {first}{last}."


def offline_explanation(answer: "Answer", ctx: "Context") -> str:
    """Interpretation, headline and coverage, deterministically."""
    parts: list[Any] = []
    if answer.interpretation:
        parts.append(f"Interpreted as: {answer.interpretation}.")
    parts.append(_headline(answer))
    parts.append(ctx.coverage_line())
    return " ".join(parts)


class OfflineExplainer:
    """Writes the explanation from the result itself; sends nothing anywhere."""

    def explain(self, question: str, answer: "Answer", ctx: "Context", on_text: "TextSink | None" = None) -> str:
        text = offline_explanation(answer, ctx)
        if on_text:
            on_text(text)
        return text
