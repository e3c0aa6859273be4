"""The embedded translator: common questions to SQL without a model, over the semantic layer.

The pipeline: `offline_windows` takes out dates, `offline_parse` cuts the rest into known phrases (from
`offline_lexicon` and the data's own values), `offline_intent` turns them into an Intent and
`offline_shape` decides the kind of answer; `offline_sql` (and `offline_sql_shapes` for seats, teams,
first-time users, shares...) builds the SQL and says in words what it understood. When it cannot place
part of a question it refuses with CannotAnswer instead of answering something else.
Follow-ups ("and by language?", "only last week", "who are they?") modify the previous question's intent.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Sequence

from assistant.contracts import Context, Translation, Turn, current_thread
from assistant.errors import CannotAnswer
from assistant.offline import reader

if TYPE_CHECKING:  # the phrase reader is imported only when the compositional reader passes a question on
    from assistant.offline.parse import Intent

# A question opening like this continues the previous one, even naming a new metric ("and interactions?")
CONTINUES = re.compile(
    r"^\s*(and|what about|how about|only|just|same|now|but|also|then|ok|okay|instead|what if|except|"
    r"excluding|same thing|same for|and now)\b",
    re.I,
)
# ... and these only when nothing else is asked ("by team", "for last month")
NARROWS = re.compile(r"^\s*(for|by|per|in|on|over|during|split by|broken down by|break it down by)\b", re.I)
WHO_ARE_THEY = re.compile(
    r"^\s*(and )?(who are (they|those|these)( users| people)?|who is it|which ones|"
    r"(list|show|name) (them|those|these)( users| people)?|(their|the) names|names\??)\s*[?.!]*\s*$",
    re.I,
)


class OfflineTranslator:
    """Translates common questions with a parser over the semantic layer; refuses what it cannot place."""

    backend = "offline"

    def __init__(self) -> None:
        self._threads: dict[tuple[str, ...], Intent] = {}  # a thread's intent, so a REPL does not re-read it

    def translate(self, question: str, ctx: Context, history: Sequence[Turn]) -> Translation:
        if ctx.as_of is None and ctx.coverage.tables.get(reader.LEGACY_DAILY):
            return reader.from_legacy_only(question, ctx)
        if ctx.as_of is None:
            raise CannotAnswer(
                "No usage data is loaded, so there is nothing to answer from.",
                hint="Load exports first: cma load <files or directory>",
            )
        # a last clause that only asks for a share's parts again ('..., with the part, the total and the ratio')
        # ... and an apposition that only says what the measure means ('engaged, meaning they sent a prompt')
        # an opening clause that only says why it is asked ('I am preparing a report for leadership: ...')
        question = reader.without_preamble(question, ctx.as_of, ctx.values, ctx.logins)
        question = reader.without_share_parts(question, ctx.as_of, ctx.values, ctx.logins)
        question = reader.without_appositions(question, ctx.as_of, ctx.values, ctx.logins)
        question = reader.without_order_clause(question, ctx.as_of, ctx.values, ctx.logins)
        question = reader.without_each_restated(question, ctx.as_of, ctx.values, ctx.logins)
        # 'weekly active users last week', 'what's our wau': one number, the people active in the figure's own span
        question = reader.spans_as_windows(question, ctx.as_of, ctx.values, ctx.logins)
        thread = current_thread(history)
        if not (thread and _continues(question)):
            read = reader.translate(question, ctx)
            if read is not None:
                return read
        base = self._replay(thread, ctx)
        try:
            intent, follow_up = self._step(question, ctx, base)
        except CannotAnswer as refused:
            # the phrase reader refused: once more with abbreviations spelled out and typos corrected; if that
            # fails too, the first refusal stands (it names the words as the user wrote them)
            tolerant = reader.tolerant(question, ctx)
            if tolerant == question:
                raise
            try:
                intent, follow_up = self._step(tolerant, ctx, base)
            except CannotAnswer:
                raise refused from None
        from assistant.offline.sql import build

        sql, interpretation = build(intent, ctx.as_of)
        missed = None if follow_up else reader.unhonoured(question, sql, ctx, interpretation or "")
        if missed:
            raise CannotAnswer(f"I could not answer this without changing it: {missed}.",
                               hint=f"I understood: {interpretation}. Rephrase, or ask for exactly that.")
        self._threads[(*thread, question) if follow_up else (question,)] = intent
        return Translation(sql, backend=self.backend, interpretation=interpretation, follow_up=follow_up)

    def _step(self, question: str, ctx: Context, base: Intent | None) -> tuple[Intent, bool]:
        """The question's intent, merged into the thread's when it is a follow-up, and whether it was one."""
        from assistant.offline.intent import parse

        assert ctx.as_of is not None
        if base is not None and WHO_ARE_THEY.match(question):
            return _who(base), True
        fragment = parse(question, ctx.values, ctx.as_of, ctx.logins)
        if base is not None and _is_follow_up(question, fragment):
            return merge(base, fragment), True
        return fragment, False

    def _replay(self, thread: tuple[str, ...], ctx: Context) -> Intent | None:
        """The intent a thread of questions adds up to (None when its first question no longer parses)."""
        if not thread:
            return None
        if thread in self._threads:
            return self._threads[thread]
        base = None
        try:
            for question in thread:
                base = self._step(question, ctx, base)[0]
        except CannotAnswer:
            return None
        self._threads[thread] = base
        return base


def _continues(question: str) -> bool:
    """A question that only makes sense after the previous one ('and by team?', 'who are they?')."""
    return bool(CONTINUES.match(question) or WHO_ARE_THEY.match(question) or NARROWS.match(question))


def _is_follow_up(question: str, fragment: Intent) -> bool:
    if fragment.shape not in ("aggregate",) or fragment.user_noun:
        return False
    if CONTINUES.match(question):
        return True
    narrows = bool(fragment.dims or fragment.filters or fragment.window or fragment.weekdays or fragment.periods)
    return not fragment.metrics and narrows and (bool(NARROWS.match(question)) or len(question.split()) <= 5)


def merge(base: Intent, new: Intent) -> Intent:
    """The previous intent with what the follow-up changed."""
    out = base
    if new.metrics:
        out = replace(out, metrics=new.metrics)
    if new.dims:
        out = replace(out, dims=tuple(d for d in new.dims))
    for dim, values in new.filters:
        out = out.with_filter(dim, values)
        if len(values) == 1 and dim in out.dims:
            out = replace(out, dims=tuple(d for d in out.dims if d != dim))
    if new.window or new.periods:
        out = replace(out, window=new.window, periods=new.periods)
    if new.weekdays:
        out = replace(out, weekdays=new.weekdays)
    if new.thresholds:
        out = replace(out, thresholds=base.thresholds + new.thresholds)
    if new.order:
        out = replace(out, order=new.order, limit=new.limit)
    return out


def _who(base: Intent) -> Intent:
    """'Who are they?': the users behind the previous count."""
    from assistant.offline.parse import refuse
    from assistant.offline.shape import SUGGESTIONS

    if base.shape == "seat_count":
        return replace(base, shape="seat_list")
    if base.shape in ("first_time", "only_completions"):
        return replace(base, dims=("user",), user_noun=True)
    if base.shape == "count_users":
        return replace(base, shape="aggregate", dims=("user",) + base.dims, metrics=())
    if set(base.metrics) & {"never_used_seats", "inactive_seats"}:
        return replace(base, shape="seat_list")
    if base.shape == "aggregate" and (not base.metrics or all(m.endswith("_users") for m in base.metrics)):
        return replace(base, dims=("user",) + tuple(d for d in base.dims if d != "user"), order=None, limit=None)
    raise refuse("I can list the users behind a count of users, not behind this answer.", [], SUGGESTIONS)
