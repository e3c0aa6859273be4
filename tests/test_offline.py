"""The offline translator on the sample data: synonyms, windows, thresholds, follow-ups, refusals, honesty."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.contracts import Answer, Translation
from assistant.engine.session import Session
from assistant.errors import CannotAnswer
from assistant.offline.translator import OfflineTranslator
from assistant.semantic.metrics import UNANSWERABLE


def ask(session: Session, question: str) -> Answer:
    return session.ask(question, explain=False)


def scalar(session: Session, sql: str) -> object:
    answer = session.run_sql(sql)
    session.history.pop()
    return answer.rows[0][0]


def test_backend_and_default_window_is_stated(fresh: Session) -> None:
    a = ask(fresh, "acceptance rate by language")
    assert a.backend == "offline"
    assert "2026-10-11..2026-11-07" in (a.interpretation or "")
    assert "default window" in (a.interpretation or "")
    assert "user_daily_by_language_feature" in a.sql
    assert a.columns[:2] == ["language", "acceptance_rate"]


@pytest.mark.parametrize("noun", ["people", "devs", "engineers", "folks", "developers", "users"])
def test_user_synonyms_give_the_same_count(fresh: Session, noun: str) -> None:
    a = ask(fresh, f"how many {noun} used copilot in the last 7 days?")
    expected = scalar(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE day >= DATE '2026-11-01'")
    assert a.rows == [(expected,)]
    assert "2026-11-01..2026-11-07" in (a.interpretation or "")


@pytest.mark.parametrize(
    "question, dates",
    [
        ("active users this month", "2026-11-01..2026-11-07"),
        ("active users last month", "2026-10-01..2026-10-31"),
        ("active users between October 5 and October 12", "2026-10-05..2026-10-12"),
        ("active users since 2026-10-20", "2026-10-20..2026-11-07"),
        ("active users yesterday", "2026-11-07"),
        ("active users in the last 2 weeks", "2026-10-25..2026-11-07"),
    ],
)
def test_windows_are_anchored_at_the_data(fresh: Session, question: str, dates: str) -> None:
    a = ask(fresh, question)
    assert dates in (a.interpretation or "")
    start, _, end = dates.partition("..")
    expected = scalar(
        fresh,
        f"SELECT count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '{start}' AND DATE '{end or start}'",
    )
    assert a.rows[0][0] == expected


def test_weekdays_only(fresh: Session) -> None:
    a = ask(fresh, "daily active users last 14 days excluding weekends")
    days = [r[0] for r in a.rows]
    assert days and all(d.weekday() < 5 for d in days)
    assert "weekdays only" in (a.interpretation or "")


@pytest.mark.parametrize(
    "question, column, value",
    [
        ("acceptance rate for TS", "language", "typescript"),
        ("acceptance rate in IntelliJ", "ide", "jetbrains"),
        ("interactions in ask mode", "feature", "chat_panel_ask_mode"),
        ("how many people used inline chat", "feature", "chat_inline"),
        ("acceptance rate in VS Code", "ide", "vscode"),
    ],
)
def test_value_aliases(fresh: Session, question: str, column: str, value: str) -> None:
    a = ask(fresh, question)
    assert f"{column} = '{value}'" in a.sql


def test_threshold_fewer_than_active_days(fresh: Session) -> None:
    a = ask(fresh, "list engineers with fewer than 3 active days in the last 28 days")
    assert a.columns[0] == "user_login"
    i = a.columns.index("active_days")
    assert a.rows and all(r[i] < 3 for r in a.rows)


def test_low_acceptance_is_a_documented_threshold(fresh: Session) -> None:
    a = ask(fresh, "which users have low acceptance?")
    assert "acceptance rate < 0.25" in (a.interpretation or "")
    i = a.columns.index("acceptance_rate")
    assert all(r[i] < 0.25 for r in a.rows)


def test_top_n_orders_and_limits(fresh: Session) -> None:
    a = ask(fresh, "top 3 languages by acceptance rate last month")
    assert len(a.rows) == 3
    rates = [r[1] for r in a.rows]
    assert rates == sorted(rates, reverse=True)


def test_team_join_is_day_by_day(fresh: Session) -> None:
    a = ask(fresh, "acceptance rate by team")
    assert "m.day = f.day" in a.sql and "m.user_id = f.user_id" in a.sql
    b = ask(fresh, "which team has the lowest adoption rate?")
    assert "LEFT JOIN user_daily" in b.sql
    assert b.rows[0][0] == "mobile-apps"  # the sample's lagging team (MANIFEST ground truth)


def test_seats(fresh: Session) -> None:
    a = ask(fresh, "which seats were never used?")
    assert "seat_usage" in a.sql
    assert len(a.rows) == scalar(
        fresh, "SELECT count(*) FROM seat_usage WHERE first_active_day IS NULL AND last_activity_at IS NULL"
    )


def test_follow_ups_modify_the_previous_question(fresh: Session) -> None:
    first = ask(fresh, "acceptance rate by IDE last month")
    assert first.columns[0] == "ide"
    by_lang = ask(fresh, "and by language?")
    assert by_lang.columns[0] == "language" and "2026-10-01..2026-10-31" in (by_lang.interpretation or "")
    narrowed = ask(fresh, "only last week")
    assert narrowed.columns[0] == "language" and "2026-11-01..2026-11-07" in (narrowed.interpretation or "")
    ts = ask(fresh, "what about TypeScript?")
    assert "language = 'typescript'" in ts.sql and len(ts.rows) == 1


def test_who_are_they_lists_the_users_behind_a_count(fresh: Session) -> None:
    count = ask(fresh, "How many users had more than 10 interactions in the last 28 days?")
    users = ask(fresh, "who are they?")
    assert users.columns[0] == "user_login"
    assert len(users.rows) == count.rows[0][0]


def test_follow_up_rebuilt_from_history_for_a_new_translator(fresh: Session) -> None:
    ask(fresh, "active users by IDE this month")
    fresh.translator = OfflineTranslator()  # no remembered intent: re-parses the last turn
    try:
        a = ask(fresh, "what about JetBrains?")
        assert "ide = 'jetbrains'" in a.sql and "2026-11-01" in a.sql
    finally:
        fresh.translator = OfflineTranslator()


@pytest.mark.parametrize(
    "question, key",
    [
        ("How much are we spending on Copilot in dollars?", "money"),
        ("how many people use copilot chat on github.com", "dotcom"),
        ("are developers satisfied with copilot?", "satisfaction"),
        ("how much time did copilot save us?", "productivity"),
    ],
)
def test_unanswerable_questions_get_the_plain_explanation(fresh: Session, question: str, key: str) -> None:
    with pytest.raises(CannotAnswer) as e:
        ask(fresh, question)
    assert e.value.message == UNANSWERABLE[key]


@pytest.mark.parametrize(
    "question, word",
    [
        ("acceptance rate by repository", "repository"),
        ("how many hamsters used copilot", "hamsters"),
        ("did usage go up after the training?", "training"),
    ],
)
def test_unknown_words_are_not_silently_dropped(fresh: Session, question: str, word: str) -> None:
    with pytest.raises(CannotAnswer) as e:
        ask(fresh, question)
    assert word in e.value.message
    assert e.value.hint and "model" in e.value.hint and '"' in e.value.hint  # nearest questions suggested


def test_impossible_combination_is_refused(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="ide and language"):
        ask(fresh, "acceptance rate by language and IDE")


def test_translation_is_fast(fresh: Session) -> None:
    ctx = fresh.context()
    t = OfflineTranslator()
    t.translate("warm up", ctx, []) if False else t.translate("active users", ctx, [])
    started = time.perf_counter()
    for q in (
        "acceptance rate by language last month",
        "top 5 users by interactions this month",
        "weekly active users over the last 8 weeks",
        "which seats were never used?",
    ):
        t.translate(q, ctx, [])
    assert (time.perf_counter() - started) / 4 < 0.05


def test_metrics_doc_is_current() -> None:
    from assistant.semantic.metrics_docs import render_metrics_markdown

    doc = Path(__file__).resolve().parent.parent / "docs" / "metrics.md"
    assert doc.read_text(encoding="utf-8") == render_metrics_markdown(), (
        "docs/metrics.md is stale: python -m assistant.semantic.metrics_docs > docs/metrics.md"
    )


def test_follow_up_with_a_new_metric_keeps_the_breakdown(fresh: Session) -> None:
    ask(fresh, "active users by team last month")
    a = ask(fresh, "and acceptance rate?")
    assert a.columns == ["team", "acceptance_rate"]
    assert "2026-10-01..2026-10-31" in (a.interpretation or "")


def test_a_new_full_question_is_not_merged(fresh: Session) -> None:
    ask(fresh, "acceptance rate by IDE last month")
    a = ask(fresh, "how many people used copilot yesterday?")
    assert a.columns == ["active_users"] and "ide" not in a.sql


def test_change_ranking_is_refused(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="changed the most"):
        ask(fresh, "Whose usage dropped the most compared with last month?")


def test_audience_is_not_a_breakdown(fresh: Session) -> None:
    a = ask(fresh, "Summarize our Copilot usage this month for the executive team")
    assert "team" not in a.columns and len(a.rows) == 1


def test_share_of_active_users(fresh: Session) -> None:
    a = ask(fresh, "share of users using agent mode last month")
    users, active, share = a.rows[0]
    assert a.columns == ["users", "active_users", "share"]
    assert active == scalar(
        fresh,
        "SELECT count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'",
    )
    assert share == round(users / active, 4)


def test_or_unites_and_vs_compares(fresh: Session) -> None:
    either = ask(fresh, "how many devs tried plan mode or custom mode?")
    both = ask(fresh, "plan mode vs custom mode users")
    assert len(either.rows) == 1 and len(both.rows) == 2


@pytest.mark.parametrize(
    "question",
    [
        "how many people used copilot every day this week",
        "do developers like copilot chat?",
        "90th percentile of interactions per user",  # a median per user is answered now (heldout2 k179)
    ],
)
def test_more_refusals(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


def test_a_team_named_mobile_is_not_github_mobile(fresh: Session) -> None:
    a = ask(fresh, "mobile apps team active users by week")
    assert "team = 'mobile-apps'" in a.sql and a.columns[0] == "week"


def test_team_members_count_everyone_on_the_team(fresh: Session) -> None:
    a = ask(fresh, "how many members are in each team?")
    assert "FROM team_membership" in a.sql and "user_daily" not in a.sql
    assert dict((r[0], r[1]) for r in a.rows)["mobile-apps"] == scalar(
        fresh,
        "SELECT count(DISTINCT user_id) FROM team_membership WHERE team = 'mobile-apps' "
        "AND day BETWEEN DATE '2026-10-11' AND DATE '2026-11-07'",
    )


def test_counting_users_while_ranking_a_dimension(fresh: Session) -> None:
    a = ask(fresh, "which model has the most users in agent mode this month")
    assert a.columns[0] == "model" and len(a.rows) == 1


@pytest.mark.parametrize(
    "question, dates",
    [
        ("active users this year", "2026-01-01..2026-11-07"),
        ("interactions last quarter", "2026-07-01..2026-09-30"),
    ],
)
def test_years_and_quarters(fresh: Session, question: str, dates: str) -> None:
    assert dates in (ask(fresh, question).interpretation or "")


@pytest.mark.parametrize(
    "question",
    [
        "acceptance rate excluding the mobile team",
        "active users next week",
    ],
)
def test_words_that_change_the_question_are_not_ignored(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


def test_who_are_they_after_never_used_seats(fresh: Session) -> None:
    count = ask(fresh, "how many seats were never used?")
    assert count.columns[0] == "never_used_seats"
    seats = ask(fresh, "who are they?")
    assert seats.columns[0] == "login" and len(seats.rows) == count.rows[0][0]


def test_users_per_dimension_is_a_count(fresh: Session) -> None:
    a = ask(fresh, "devs by IDE")
    assert a.columns == ["ide", "active_users"]


def test_thresholds_are_never_dropped(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="threshold"):
        ask(fresh, "first time users with more than 10 interactions this month")
    a = ask(fresh, "which teams have an adoption rate under 50%?")
    assert "HAVING" in a.sql and all(r[-1] < 0.5 for r in a.rows)


def test_a_common_word_in_a_team_name_is_not_the_team(fresh: Session) -> None:
    a = ask(fresh, "are any days missing from the data?")
    assert "missing_days" in a.columns and "team" not in a.sql
    b = ask(fresh, "acceptance rate for the payments team last month")
    assert "team = 'payments-api'" in b.sql


@pytest.mark.parametrize(
    "question",
    [
        "team adoption rate this month vs last month",
        "which mobile team seats were never used?",
        "share of users using chat and the cli by team",
        "new users on weekdays",
    ],
)
def test_parts_a_shape_cannot_honour_are_refused_not_dropped(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


def test_generated_sql_always_passes_the_guard_and_runs(fresh: Session) -> None:
    """Combinations of metric, breakdown, filter, window and shape: an answer or a refusal, never an error."""
    import itertools
    import random

    parts = (
        ["", "top 3", "lowest", "how many", "who"],
        [
            "active users",
            "engaged users",
            "interactions",
            "acceptance rate",
            "lines added",
            "agent users",
            "cli sessions",
            "ai credits",
            "active days",
            "seats",
            "seat utilization",
            "never used seats",
            "team adoption rate",
            "usage",
        ],
        [
            "",
            "by day",
            "per week",
            "by user",
            "by team",
            "by language",
            "by IDE",
            "by model",
            "by feature",
            "by organization",
            "by adoption phase",
        ],
        [
            "",
            "for python",
            "in vscode",
            "in agent mode",
            "for the payments team",
            "for claude models",
            "for mchen-acme",
        ],
        ["", "last week", "last month", "on weekdays", "this month vs last month"],
    )
    combos = list(itertools.product(*parts))
    random.Random(5).shuffle(combos)
    for combo in combos[:300]:
        question = " ".join(p for p in combo if p)
        fresh.history.clear()
        try:
            ask(fresh, question)
        except CannotAnswer:
            pass


def test_last_active_day(fresh: Session) -> None:
    a = ask(fresh, "when was mchen-acme last active?")
    assert a.columns == ["user_login", "last_active_day"]
    assert a.rows[0][1] == scalar(fresh, "SELECT max(day) FROM user_daily WHERE user_login = 'mchen-acme'")


def test_logins_are_recognised_exactly_anywhere(fresh: Session) -> None:
    login = next(iter(sorted(fresh.context().logins)))
    for question in (f"is {login} using copilot", f"{login} acceptance rate", f"how many prompts did {login} send"):
        answer = ask(fresh, question)
        assert f"'{login}'" in answer.sql, question
    # a word placed like a login that is no login in the data is refused, not used as a filter
    with pytest.raises(CannotAnswer, match="no user 'nobody-at-all'"):
        ask(fresh, "prompts for user nobody-at-all")
    answer = ask(fresh, "how many suggestions were shown last week")
    assert "user_login" not in answer.sql


@pytest.mark.parametrize(
    "question, expected",
    [
        ("agent-mode adoption", "used_agent"),
        ("number of never-used licenses", "first_active_day IS NULL"),
        ("how many licences are wasted", "last_active_day <"),
        ("daily actives excluding weekends", "dayofweek"),
    ],
)
def test_hyphenated_and_casual_words(fresh: Session, question: str, expected: str) -> None:
    assert expected in ask(fresh, question).sql


def test_seats_we_pay_for_are_seats_unless_a_price_is_asked(fresh: Session) -> None:
    answer = ask(fresh, "how many seats do we pay for")
    assert answer.rows[0][0] == scalar(fresh, "SELECT count(*) FROM seats")
    with pytest.raises(CannotAnswer):
        ask(fresh, "how much do we pay for seats")


def test_top_n_flag_users_by_a_measure_ranks_those_users(fresh: Session) -> None:
    answer = ask(fresh, "top 10 CLI users by sessions")
    assert answer.columns[0] == "user_login" and len(answer.rows) == 10
    assert "cli_session_count" in answer.sql and "LIMIT 10" in answer.sql
    answer = ask(fresh, "top 5 ai credit consumers")
    assert answer.columns[0] == "user_login" and len(answer.rows) == 5 and "ai_credits_used" in answer.sql


def test_cli_tokens_per_day_and_the_cli_user_count(fresh: Session) -> None:
    answer = ask(fresh, "How many people use Copilot CLI, and how many tokens does the CLI use per day?")
    assert answer.columns[0] == "day" and {"cli_users", "cli_tokens"} <= set(answer.columns)
    assert "user_daily_by_feature" not in answer.sql
    requests = ask(fresh, "how many cli requests last month")  # the CLI's own request count, not IDE interactions
    assert "cli_request_count" in requests.sql and "user_initiated_interaction_count" not in requests.sql


def test_a_total_and_the_part_from_agents(fresh: Session) -> None:
    answer = ask(fresh, "How many lines of code did Copilot add last month, and how much of that came from agents?")
    named = dict(zip(answer.columns, answer.rows[0]))
    total, agents = named["total"], named["part"]
    assert named["share"] == round(agents / total, 4)
    where = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    assert total == scalar(fresh, f"SELECT sum(loc_added_sum) FROM user_daily WHERE {where}")
    assert agents == scalar(
        fresh, f"SELECT sum(loc_added_sum) FROM user_daily_by_feature WHERE {where} AND feature = 'agent_edit'"
    )
    with pytest.raises(CannotAnswer):
        ask(fresh, "lines added by team, and how much of that came from agents")


def test_rankings_and_averages_people_type(fresh: Session) -> None:
    answer = ask(fresh, "least active users")
    assert answer.columns[:2] == ["user_login", "active_days"] and "ASC" in answer.sql
    answer = ask(fresh, "share of users using agent mode by team")
    assert answer.columns == ["team", "agent_adoption"]
    answer = ask(fresh, "team with the lowest adoption")
    assert len(answer.rows) == 1
    answer = ask(fresh, "avg acceptance per IDE")
    assert answer.columns == ["ide", "acceptance_rate"]
    answer = ask(fresh, "which devs haven't touched copilot in 2 weeks")
    assert "DATE '2026-10-25'" in answer.sql


def test_two_people_compared_side_by_side(fresh: Session) -> None:
    logins = sorted(fresh.context().logins)[:2]
    answer = ask(fresh, f"{logins[0]} vs {logins[1]} prompts last month")
    assert answer.columns[0] == "user_login" and "GROUP BY" in answer.sql
    answer = ask(fresh, "what % of suggestions get accepted")
    assert answer.columns == ["acceptance_rate"]


def test_usage_measures_are_never_dropped_for_a_seat_count(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="seats with interactions"):
        ask(fresh, "prompts per seat")
    answer = ask(fresh, "what share of lines came from agents")
    assert len(answer.columns) == 3 and "agent_edit" in answer.sql


def test_only_uses_x_is_exclusive_not_read_as_uses_x(fresh: Session) -> None:
    a = ask(fresh, "users who only use the cli in october")
    window = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    only = fresh.run_sql(f"SELECT DISTINCT user_login FROM user_daily_by_feature WHERE {window} EXCEPT SELECT "
                         f"DISTINCT user_login FROM user_daily_by_feature WHERE {window} AND feature <> 'copilot_cli'")
    fresh.history.pop()
    assert sorted(r[0] for r in a.rows) == sorted(r[0] for r in only.rows)
    assert "only" in (a.interpretation or "")
    assert len(a.rows) < scalar(fresh, f"SELECT count(DISTINCT user_id) FROM user_daily WHERE {window} AND used_cli")
    assert "active_days" in ask(fresh, "people who only used copilot once").sql


@pytest.mark.parametrize(
    "question, match",
    [
        ("users with more prompts than acceptances", "compare a measure"),
        ("teams with higher acceptance than average", "compare a measure"),
        ("how many different models does each user use", "not per user"),
        ("first time agent mode users", "First-time users"),
    ],
)
def test_conditions_that_would_be_dropped_are_refused(fresh: Session, question: str, match: str) -> None:
    with pytest.raises(CannotAnswer, match=match):
        ask(fresh, question)


def test_users_who_started_in_a_month_are_first_time_users(fresh: Session) -> None:
    answer = ask(fresh, "users who started in october")
    assert answer.columns == ["user_login", "first_day"]


def test_batch_five_mechanisms(fresh: Session) -> None:
    answer = ask(fresh, "weekend users last week")
    assert answer.columns == ["active_users"] and "dayofweek" in answer.sql
    answer = ask(fresh, "unused licenses by org")
    assert answer.columns[:2] == ["organization", "inactive_seats"]
    answer = ask(fresh, "which users use the cli the most")
    assert answer.columns[:2] == ["user_login", "cli_days"] and "ORDER BY cli_days DESC" in answer.sql
    with pytest.raises(CannotAnswer, match="productivity"):
        ask(fresh, "which developer is the best engineer")


def test_safety_net_names_breakdowns_and_filters_the_sql_lost() -> None:
    from assistant.offline.parse import Intent
    from assistant.offline.sql import _lost_parts

    intent = Intent(metrics=("interactions",), dims=("ide",), filters=(("language", ("python",)),))
    assert _lost_parts(intent, "SELECT sum(x) FROM user_daily") == ["the breakdown by ide", "language = python"]
    assert _lost_parts(intent, "SELECT ide, sum(x) FROM t WHERE language = 'python' GROUP BY 1") == []


def test_seat_lists_keep_the_organization(fresh: Session) -> None:
    answer = ask(fresh, "idle licences in acme-eng")
    assert "organization_login IN ('acme-eng')" in answer.sql
    assert {row[1] for row in answer.rows} <= {"acme-eng"}


@pytest.mark.parametrize(
    "question, dates",
    [
        ("active users since the start of october", "2026-10-01..2026-11-07"),
        ("active users in the first week of november", "2026-11-01..2026-11-07"),
        ("active users in the last week of october", "2026-10-25..2026-10-31"),
        ("active users in the second half of october", "2026-10-16..2026-10-31"),
        ("active users in the week of october 12", "2026-10-12..2026-10-18"),
        ("active users over the past fortnight", "2026-10-25..2026-11-07"),
        ("active users between 10/1 and 10/15", "2026-10-01..2026-10-15"),
        ("active users q4 so far", "2026-10-01..2026-11-07"),
        ("active users in the 2 weeks before november", "2026-10-18..2026-10-31"),
    ],
)
def test_more_date_phrasings(fresh: Session, question: str, dates: str) -> None:
    a = ask(fresh, question)
    assert dates in (a.interpretation or "")
    start, _, end = dates.partition("..")
    expected = scalar(
        fresh, f"SELECT count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '{start}' AND DATE '{end}'"
    )
    assert a.rows[0][0] == expected


def test_a_slash_date_is_month_first_and_says_so_and_two_orders_are_refused(fresh: Session) -> None:
    a = ask(fresh, "how many devs were active 11/3")
    assert "2026-11-03" in a.sql and "month first" in (a.interpretation or "")
    assert a.rows[0][0] == scalar(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = DATE '2026-11-03'")
    with pytest.raises(CannotAnswer):
        ask(fresh, "active users between 30/10 and 11/14")  # one can only be day first, the other month first


def test_second_heldout_mechanisms(fresh: Session) -> None:
    assert "dayofweek(day) = 1" in ask(fresh, "prompts on mondays last month").sql
    assert ask(fresh, "5 least active devs last month").sql.endswith("LIMIT 5")
    assert ask(fresh, "bottom three teams by acceptance rate").sql.endswith("LIMIT 3")
    assert ask(fresh, "most active person on web-frontend").sql.endswith("LIMIT 1")
    assert ask(fresh, "which of our teams has the highest agent adoption").sql.endswith("LIMIT 1")
    assert ask(fresh, "how many lines did copilot suggest in october").columns == ["loc_suggested"]
    answer = ask(fresh, "agent-mode users in web-frontend who accepted fewer than 10 suggestions last month")
    assert "sum(code_acceptance_activity_count) < 10" in answer.sql
    answer = ask(fresh, "cli users with over 5 sessions this month")
    assert answer.columns[0] == "user_login" and len(answer.rows) == 3
    assert len(ask(fresh, "prompts per active user last week").rows) == 1
    assert "language" not in ask(fresh, "did usage go up in november compared to october").sql
    assert "GROUP BY" not in ask(fresh, "total acceptances for claude models in october").sql
    with pytest.raises(CannotAnswer, match="chat sessions"):
        ask(fresh, "how many chat sessions happened this week")
    with pytest.raises(CannotAnswer):
        ask(fresh, "design-systems active users")


def test_no_question_crashes_the_translator(session: Session) -> None:
    """Every eval question, with endings added and with follow-ups after it, is answered or refused, never a crash."""
    import json

    from assistant.contracts import Turn

    ctx = session.context()
    root = Path(__file__).resolve().parent.parent / "eval"
    questions = [json.loads(line)["question"] for f in sorted(root.glob("*.jsonl")) for line in f.open()]
    crashes = []
    for q in questions:
        translator = OfflineTranslator()
        for text, history in [(q, []), (q.rstrip(" ?") + " by team", []), (q.rstrip(" ?") + " last month", []),
                              *((f, [Turn(q, None, thread=(q,))]) for f in ("what about jetbrains", "and by team?",
                                                                              "who are they?"))]:
            try:
                translator.translate(text, ctx, history)
            except CannotAnswer:
                pass
            except Exception as crash:  # noqa: BLE001 - the point of the test
                crashes.append(f"{text!r} after {q!r}: {type(crash).__name__}: {crash}")
    assert not crashes, crashes[:10]


class ReaderWithAFault:
    """Stands in for a reader bug: offline SQL naming a column no relation has (as a101 once did)."""

    backend = "offline"

    def __init__(self, sql: str) -> None:
        self.sql = sql

    def translate(self, question: str, ctx: object, history: object) -> Translation:
        return Translation(self.sql, backend=self.backend, interpretation="seats with last editor xcode")


@pytest.mark.parametrize("sql", [
    "SELECT login FROM seat_usage WHERE last_activity_editor = 'xcode'",  # binder: the column is on seats only
    "SELECT count(*) FROM no_such_table",  # catalog
])
def test_offline_sql_the_database_cannot_run_is_a_refusal_not_an_error(sample_db: Path, sql: str) -> None:
    from contextlib import closing

    from assistant.config import load_settings

    with closing(Session(load_settings(db=sample_db, offline=True), translator=ReaderWithAFault(sql))) as s:
        with pytest.raises(CannotAnswer) as refused:
            s.ask("seat holders whose last activity was in xcode")
    assert "fault in cma's offline reader" in refused.value.message
    assert "seats with last editor xcode" in (refused.value.hint or "")
    assert s.history[-1].sql == sql and s.history[-1].error


def test_an_error_in_typed_sql_stays_the_engines_own(fresh: Session) -> None:
    from assistant.errors import QueryError

    with pytest.raises(QueryError) as failed:
        fresh.run_sql("SELECT last_activity_editor FROM seat_usage")
    assert not isinstance(failed.value, CannotAnswer) and "Binder Error" in failed.value.message
