"""docs/metrics.md, generated from the semantic layer and the offline translator's conventions."""

from __future__ import annotations

from assistant.semantic import metrics as semantic
from assistant.semantic import model
from assistant.semantic.conventions import (
    DEFAULT_WINDOW_DAYS,
    EXTRA_METRIC_PHRASES,
    HIGH_ACCEPTANCE_RATE,
    LOW_ACCEPTANCE_RATE,
)

TEAM = model.ENTITIES_BY_NAME["team"]
USER = model.ENTITIES_BY_NAME["user"]
SEAT_USAGE = model.ENTITIES_BY_NAME["seat_usage"]

HEADER = """# Metrics

Generated from `assistant/semantic.py` by `python -m assistant.semantic.metrics_docs > docs/metrics.md`; a test keeps
it in step. The same definitions feed the model's prompt, the offline translator and `cma schema`.
Each metric's SQL is an aggregate over its table, reusable verbatim.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def metrics_table() -> str:
    lines = ["| metric | meaning | SQL | table | unit | also understood as |", "|:--|:--|:--|:--|:--|:--|"]
    for m in semantic.METRICS:
        words = sorted(set(m.synonyms) | set(EXTRA_METRIC_PHRASES.get(m.name, ())))
        lines.append(
            f"| `{m.name}` ({m.label}) | {_cell(m.definition)} | `{_cell(m.sql)}` | `{m.table}` | {m.unit} "
            f"| {_cell(', '.join(words))} |"
        )
    return "\n".join(lines) + "\n"


def bullets(title: str, items: tuple[str, ...] | list[str]) -> str:
    return f"## {title}\n\n" + "\n".join(f"- {i}" for i in items) + "\n"


def conventions() -> list[str]:
    return [
        f"No window named: the last {DEFAULT_WINDOW_DAYS} days up to the latest day in the data (as_of); "
        "the answer says so and gives the dates.",
        "Relative dates are anchored at as_of, never the wall clock. 'Yesterday', 'today' and "
        "'the latest day' mean as_of itself; 'last N days' is as_of-N+1..as_of; 'last week' / 'past week' "
        "is the last 7 days, except next to 'this week', where it is the previous Monday-Sunday week; "
        "'this week' starts on Monday; 'this month' is the calendar month to as_of; 'last month' the "
        "previous calendar month, 'the past month' the last 30 days; 'last N months' runs from the same "
        "day N months back; years and quarters are calendar ones ('Q4 so far' ends at as_of); a fortnight "
        "is 14 days.",
        "'The first week of November' is its days 1-7 and 'the last week of October' its last 7 days; 'the "
        "second half of October' the 16th to the end; 'the week of October 12' the Monday-Sunday week holding "
        "it; 'since the start of October' runs from October 1 to as_of; 10/15 is month/day, and a date like "
        "3/4 is read only next to one that fixes the order (10/1 and 10/15), else refused; 'on Mondays' keeps "
        "that weekday only.",
        f"'Low acceptance' means an acceptance rate under {LOW_ACCEPTANCE_RATE:.0%}; 'high acceptance' over "
        f"{HIGH_ACCEPTANCE_RATE:.0%}.",
        "'Most active users' and 'power users' rank by active days; ties are broken by name everywhere.",
        "'Which X has the most ...' (singular) answers the top one; plural ('which teams ...') ranks them "
        "all; a ranking of users without a number shows the top 10.",
        "A trend ('over time', 'trend') is per day for windows up to 35 days, per week beyond.",
        "Usage in general ('activity', 'usage', 'most used') is measured by active users first, with "
        "interactions, code generations, acceptances, acceptance rate and lines added alongside.",
        f"Breakdowns read the table that holds the dimension: {model.breakdown_sources()}. No table "
        "holds IDE with language, so that question is refused.",
        f"Teams join {TEAM.table} day by day; team adoption rate is a LEFT JOIN from members to "
        f"{USER.table}; 'adoption' next to teams means that rate.",
        f"'Hasn't used Copilot' lists seats ({SEAT_USAGE.table}) with no activity in the window; 'never used' "
        "means no activity in the data and none seen by GitHub. A seat's time asked as a date ('the last activity "
        "date on X's seat') is that timestamp's day; 'when' gives the timestamp. A seat's last activity 'in' an IDE "
        "('whose last activity was in Xcode') is its last activity editor, matched by prefix.",
        "'First time' means the first day in the loaded data; use before the data starts is unknown.",
        "'Never used X' with no window named is over all the loaded data; 'used X but never Y' with no window named "
        "keeps the default window for both (the people who used X in it, and did not use Y in it).",
        "'Never used X' / 'didn't touch X' takes out everyone who used X and everyone whose X flag is unknown "
        "(absent) on every day of the window: such a person is not known never to have used it, so the count of "
        "non-users is a lower bound.",
        "'Only completions' means every feature row in the window is code_completion (no chat, agent, CLI).",
        "Each user's adoption phase is their latest known phase in the window.",
        "'Used Copilot N times' counts active days; 'prompted N times' counts interactions. 'Active on at least 5 "
        "of the 7 days of last week' bounds each person's active days in that window (a day count that is not the "
        "window's length, or no bound, is refused); 'on 2 teams' means on two or more teams' rosters over the window's days (the "
        "default window when none is named; 'right now' the latest roster day).",
        "'Each of them' after a group of people ('the developers who used the CLI') gives one row per person of "
        "that group; 'how many days was X active, and when was the last' gives both in one row; 'how many used chat, and "
        "who were they' lists the people with their number on each row.",
        "Ranking inside each group (each team's top model) and ranking across two compared periods are refused.",
        "Change ('dropped', 'grew') is shown over time or between two named periods; ranking who changed "
        "the most is refused.",
        "Two periods or two values compared ('last week vs the week before', 'JetBrains compared with VS Code') "
        "come in the order the question names them (a change, 'from September to October', in time order); the "
        "change column always runs from the earlier period to the later. 'The previous week' after another window "
        "is the week before it. 'From highest to lowest', 'most to least' and 'in descending order' order every "
        "group (never only the top one); said after a top N in the other direction, the question is refused.",
        "'How many days of data (in October)' counts the days with data (in that window); 'how many days, and what "
        "are the first and last' gives the count with both days. 'On any day' or 'at any point' after a negation "
        "only stresses it ('did not use chat on any day'); 'over the same period' points back at the window named.",
        "A word the translator cannot place makes it refuse and say what it did understand; it never drops "
        "the word and answers a different question.",
        "People are recognised by their exact login from the data, anywhere in the question; a word placed "
        "like a login that is no login in the data is refused. Two people named together are shown side by "
        "side ('raj vs nina', 'how many prompts did raj send, compared with nina'), in the order named; 'or' sums "
        "them.",
        "'X, and how much of that came from Y' (or 'what share of X came from Y') gives the total, the part "
        "from one feature, IDE, language or model, and its share; lines 'from agents' are agent_edit lines.",
        "'How many people (or seats) X, and how many of them Y' gives both counts side by side, the whole over the "
        "part's window when it names none; a part that cannot be placed is refused, never half answered. 'Accepted "
        "no suggestions' means no acceptances.",
        "'The seats we pay for' means the seat count when no price or amount is asked; money is refused.",
        "'Top N CLI users by sessions' ranks the users who used the CLI by that measure; 'least active users' "
        "ranks users by active days, fewest first.",
        "'Only uses X' is refused except 'only completions'; a measure compared with another one or with an "
        "average ('more prompts than acceptances') is refused.",
        "'Prompts per active user' is an average over the active users; 'prompts per user' lists each user. "
        "'CLI users with over 20 sessions' lists those users; a threshold with nobody to apply it to is "
        "refused. 'Sessions' alone are CLI sessions; 'chat sessions' or 'agent sessions' are refused.",
        "'Total acceptances for claude models' sums the family; 'claude models' alone lists them. 'Bottom "
        "three teams' and '5 least active devs' are rankings of that size.",
        "'How many more X in A than in B' gives both periods' figures, in the order named, and the difference in "
        "one row; 'how many users did X, and how many Y' gives the two counts side by side (with 'of them', the "
        "second among the first); 'the highest number of X on a single day' in the legacy metrics is the top day "
        "with its figure.",
        "A source named in the question is the one read: pull-request figures come from the aggregate (enterprise) "
        f"report, 'according to the seat activity report' reads {model.SEAT_SURFACES} (a seat holder's last "
        "surface); 'what share of all prompts in the model breakdown went to X' takes the whole from that "
        "breakdown's table too.",
        "'What rank (position, place) is X by M', 'where does X rank by M', 'rank X by M' give X's rank among the "
        "values of its dimension (rank() over the breakdown by M, ties sharing a rank), never X's total; 'who sent "
        "the second most prompts' is the one person at that place (ties by name); 'the fifth of november' is a day.",
        "'Which days did fewer than ten people use Copilot' bounds each group's active users; 'a dozen' is 12.",
    ]


def sql_table() -> str:
    return USER.table


def model_tables() -> str:
    """The semantic model's groupings, dimensions, usage flags and entities as markdown tables."""
    out = ["## Metric groupings\n", "| grouping | metrics |", "|:--|:--|"]
    out += [f"| {g} | {', '.join(f'`{m}`' for m in names)} |" for g, names in model.GROUPINGS.items()]
    out += ["", "## Dimensions\n", "| dimension | held in (table.column) | values from | phrases |",
            "|:--|:--|:--|:--|"]
    out += [f"| {d.name} | {', '.join(f'`{t}.{c}`' for t, c in d.holders)} | {d.values_from} "
            f"| {', '.join(d.phrases)} |" for d in model.DIMENSIONS]
    out += ["", "## Usage flags\n", f"| flag | condition on {sql_table()} | on the feature table | phrases |",
            "|:--|:--|:--|:--|"]
    out += [f"| {f.name} | `{_cell(f.condition) or '-'}` | `{_cell(f.feature_condition or '-')}` "
            f"| {', '.join(f.phrases)} |" for f in model.FLAGS]
    out += ["", "## Entities and attributes\n", "| entity | table | key | attributes (column: phrases) |",
            "|:--|:--|:--|:--|"]
    out += [f"| {e.name} | `{e.table}` | `{e.key}` | "
            + "; ".join(f"`{a.column}`: {', '.join(a.phrases)}" for a in e.attributes) + " |" for e in model.ENTITIES]
    return "\n".join(out) + "\n"


def render_metrics_markdown() -> str:
    parts = [HEADER, "## Metrics\n\n" + metrics_table(), model_tables()]
    parts.append(bullets("Join rules", semantic.JOIN_RULES))
    parts.append(bullets("Caveats", semantic.CAVEATS))
    parts.append(bullets("DuckDB notes", semantic.DUCKDB_NOTES))
    parts.append(bullets("What the data cannot answer", [f"**{k}**: {v}" for k, v in semantic.UNANSWERABLE.items()]))
    parts.append(bullets("Offline translator conventions", conventions()))
    return "\n".join(parts)


if __name__ == "__main__":
    print(render_metrics_markdown(), end="")
