"""The compositional reader, from the user's side: a question in, the answer's values out, checked against SQL."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.contracts import Answer
from assistant.engine.session import Session
from assistant.errors import CannotAnswer
from assistant.ingest import load_paths
from assistant.offline.translator import OfflineTranslator
from tests.exports import entity_day, user_record, write_ndjson

WINDOW = "day BETWEEN DATE '2026-10-11' AND DATE '2026-11-07'"  # the default: last 28 days to as_of
LAST_WEEK = "day BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'"


from tests.test_offline import ask  # noqa: E402  (the fixtures `session` and `fresh` are in conftest.py)


def rows(session: Session, sql: str) -> list[tuple]:
    answer = session.run_sql(sql)
    session.history.pop()
    return answer.rows


def one(session: Session, sql: str) -> object:
    return rows(session, sql)[0][0]


def first_column(answer: Answer) -> list[object]:
    return sorted(r[0] for r in answer.rows)


# --- tolerant reading ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    ["how many ppl used copilot last wk", "how many people used copilot last week", "# of devs active past 7 days"],
)
def test_abbreviations_read_as_the_words(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = one(fresh, f"SELECT count(DISTINCT user_id) FROM user_daily WHERE {LAST_WEEK}")
    assert len(a.rows) == 1 and a.rows[0][0] == expected


def test_a_typo_of_a_vocabulary_word_is_corrected(fresh: Session) -> None:
    a = ask(fresh, "whats our acceptence rate this month")
    expected = one(fresh, "SELECT round(sum(code_acceptance_activity_count)::DOUBLE / "
                          "sum(code_generation_activity_count), 4) FROM user_daily "
                          "WHERE day BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'")
    assert a.rows[0][0] == expected


def test_weekday_and_date_is_one_day_and_a_wrong_weekday_is_said(fresh: Session) -> None:
    expected = one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = DATE '2026-11-05'")
    a = ask(fresh, "dau on thursday nov 5")
    assert [r[-1] for r in a.rows] == [expected]
    b = ask(fresh, "dau on friday nov 5")
    assert [r[-1] for r in b.rows] == [expected] and "is a Thursday" in (b.interpretation or "")


def test_an_unknown_content_word_blocks_and_is_named(fresh: Session) -> None:
    with pytest.raises(CannotAnswer) as e:
        ask(fresh, "how many zorblax users last week")
    assert "zorblax" in e.value.message


# --- shape follows the question ---------------------------------------------------------------------
def test_how_many_is_one_number_and_which_is_names(fresh: Session) -> None:
    count = ask(fresh, "how many people used agent mode last week")
    names = ask(fresh, "which people used agent mode last week")
    expected = rows(fresh, f"SELECT DISTINCT user_login FROM user_daily WHERE used_agent AND {LAST_WEEK}")
    assert count.rows == [(len(expected),)]
    assert first_column(names) == sorted(r[0] for r in expected)


def test_a_change_between_two_months_gives_both_values_and_the_change(fresh: Session) -> None:
    a = ask(fresh, "did active users drop from october to november")
    count = "SELECT count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN "
    oct_ = one(fresh, count + "DATE '2026-10-01' AND DATE '2026-10-31'")
    nov = one(fresh, count + "DATE '2026-11-01' AND DATE '2026-11-07'")
    assert [r[1] for r in a.rows] == [oct_, nov] and a.rows[1][2] == nov - oct_  # type: ignore[operator]


# --- negation and set logic -------------------------------------------------------------------------
def test_used_one_but_never_the_other(fresh: Session) -> None:
    a = ask(fresh, "users who used chat but never agent mode in the last 28 days")
    expected = rows(fresh, f"SELECT user_login FROM user_daily WHERE {WINDOW} GROUP BY 1 "
                           "HAVING bool_or(used_chat) AND NOT bool_or(used_agent)")
    assert first_column(a) == sorted(r[0] for r in expected) and expected


def test_both_is_an_intersection(fresh: Session) -> None:
    a = ask(fresh, "how many used both chat and agent")
    assert a.rows[0][0] == one(fresh, f"SELECT count(*) FROM (SELECT user_id FROM user_daily WHERE {WINDOW} "
                                      "GROUP BY 1 HAVING bool_or(used_chat) AND bool_or(used_agent))")


def test_this_week_but_not_last_week(fresh: Session) -> None:
    a = ask(fresh, "who used agent mode this week but not last week")
    expected = rows(fresh, "SELECT user_login FROM user_daily WHERE used_agent AND day BETWEEN DATE '2026-11-02' "
                           "AND DATE '2026-11-07' EXCEPT SELECT user_login FROM user_daily WHERE used_agent AND day "
                           "BETWEEN DATE '2026-10-26' AND DATE '2026-11-01'")
    assert first_column(a) == sorted(r[0] for r in expected)


def test_share_of_one_group_that_also_did_another(fresh: Session) -> None:
    a = ask(fresh, "what share of cli users also use agent mode")
    n, total = rows(fresh, f"SELECT count(*) FILTER (WHERE a), count(*) FROM (SELECT user_id, bool_or(used_agent) AS a "
                           f"FROM user_daily WHERE {WINDOW} GROUP BY 1 HAVING bool_or(used_cli))")[0]
    assert a.rows == [(n, total, round(n / total, 4))]


# --- rosters: people who never used Copilot appear -------------------------------------------------
def test_team_members_who_never_used_copilot(fresh: Session) -> None:
    a = ask(fresh, "members of mobile-apps who never used copilot")
    expected = rows(fresh, "SELECT DISTINCT user_login FROM team_membership WHERE team = 'mobile-apps' "
                           "AND user_id NOT IN (SELECT user_id FROM user_daily)")
    assert expected and first_column(a) == sorted(r[0] for r in expected)


def test_team_sizes_come_from_the_roster(fresh: Session) -> None:
    a = ask(fresh, "team sizes as of the latest day")
    expected = rows(fresh, "SELECT team, count(DISTINCT user_id) FROM team_membership "
                           "WHERE day = (SELECT max(day) FROM team_membership) GROUP BY 1")
    assert sorted(a.rows) == sorted(expected)


def test_seat_holders_who_have_not_used_copilot(fresh: Session) -> None:
    a = ask(fresh, "who hasnt used copilot in the last 30 days")
    expected = rows(fresh, "SELECT login FROM seat_usage WHERE last_active_day IS NULL "
                           "OR last_active_day < DATE '2026-10-09'")
    assert first_column(a) == sorted(r[0] for r in expected) and expected


# --- seat attributes --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question, sql",
    [
        ("who's pending cancellation", "SELECT login FROM seats WHERE pending_cancellation_date IS NOT NULL"),
        ("which seats don't have an assigning team", "SELECT login FROM seats WHERE assigning_team_slug IS NULL"),
        ("how many seats came thru platform-core",
         "SELECT count(*) FROM seats WHERE assigning_team_slug = 'platform-core'"),
        ("how many licences were handed out in march 2026", "SELECT count(*) FROM seats WHERE created_at >= "
         "TIMESTAMPTZ '2026-03-01 00:00:00+00' AND created_at < TIMESTAMPTZ '2026-04-01 00:00:00+00'"),
        ("newest seat - who got it", "SELECT login FROM seats ORDER BY created_at DESC, login LIMIT 1"),
        ("when did dadeyemi last sign in", "SELECT last_authenticated_at FROM seats WHERE login = 'dadeyemi'"),
    ],
)
def test_seat_attributes_are_askable(fresh: Session, question: str, sql: str) -> None:
    a = ask(fresh, question)
    expected = sorted(r[0] for r in rows(fresh, sql))
    got = sorted(r[-1] if "last sign" in question else r[0] for r in a.rows)
    assert got == expected


def test_seats_by_plan_type(fresh: Session) -> None:
    a = ask(fresh, "seats by plan type")
    assert sorted(a.rows) == sorted(rows(fresh, "SELECT plan_type, count(*) FROM seats GROUP BY 1"))


# --- coverage ---------------------------------------------------------------------------------------
def test_coverage_questions(fresh: Session) -> None:
    a = ask(fresh, "first and last day of data?")
    assert a.rows == rows(fresh, "SELECT min(day), max(day) FROM user_daily")
    p = ask(fresh, "which days are provisional?")
    assert first_column(p) == sorted(r[0] for r in rows(
        fresh, "SELECT DISTINCT day FROM user_daily WHERE day > (SELECT max(day) FROM user_daily) - INTERVAL 3 DAY"))
    m = ask(fresh, "are any days missing from the data?")
    assert m.rows == [(0,)]


# --- out of scope, for the real reason --------------------------------------------------------------
@pytest.mark.parametrize("question", ["revoke the seat of dkeller", "delete last month's data",
                                      "remove inactive users from copilot"])
def test_write_requests_are_refused_because_cma_only_reads(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="cma only reads your exports"):
        ask(fresh, question)


def test_per_repository_is_refused_with_what_the_exports_hold(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="no repository"):
        ask(fresh, "acceptance rate per repo")


# --- honest about gaps, and answers from whatever is loaded ----------------------------------------
def test_a_missing_day_is_said_and_never_zero(tmp_path: Path) -> None:
    db = tmp_path / "gap.duckdb"
    f = write_ndjson(tmp_path / "u.ndjson", [user_record("2026-11-01", 1), user_record("2026-11-03", 2)])
    assert not load_paths(db, [f], strict=True).failed
    with closing(Session(load_settings(db=db, offline=True), translator=OfflineTranslator())) as s:
        a = s.ask("how many people used copilot in the last 3 days", explain=False)
    assert a.rows == [(2,)]
    assert "2026-11-02" in (a.interpretation or "") and "missing, not zero" in (a.interpretation or "")


def test_only_the_aggregate_report_loaded(tmp_path: Path) -> None:
    db = tmp_path / "agg.duckdb"
    f = tmp_path / "agg.json"
    f.write_text(json.dumps({"day_totals": [entity_day(f"2026-11-{d:02d}", 30 + d) for d in range(1, 8)]}))
    assert not load_paths(db, [f], strict=True).failed
    with closing(Session(load_settings(db=db, offline=True), translator=OfflineTranslator())) as s:
        assert [r[-1] for r in s.ask("dau yesterday", explain=False).rows] == [37]
        assert s.ask("how many people used copilot in the last 7 days", explain=False).rows == [(39,)]
        assert s.ask("how many PRs did copilot create last week", explain=False).rows == [(7,)]
        with pytest.raises(CannotAnswer, match="aggregate report"):
            s.ask("which people used agent mode last week", explain=False)


# --- mechanisms found while probing casual wording ---------------------------------------------------
def test_a_team_roster_lists_members_who_never_used_copilot_too(fresh: Session) -> None:
    a = ask(fresh, "who is on mobile-apps")
    expected = rows(fresh, f"SELECT DISTINCT user_login FROM team_membership WHERE team = 'mobile-apps' AND {WINDOW}")
    assert first_column(a) == sorted(r[0] for r in expected)


def test_a_condition_on_members_is_kept(fresh: Session) -> None:
    a = ask(fresh, "vscode users on the mobile-apps team last month")
    assert "vscode" in a.sql and "mobile-apps" in a.sql


def test_a_negated_seat_attribute_is_missing(fresh: Session) -> None:
    a = ask(fresh, "which seats have never signed in")
    expected = rows(fresh, "SELECT login FROM seats WHERE last_authenticated_at IS NULL")
    assert first_column(a) == sorted(r[0] for r in expected)
    b = ask(fresh, "seats not pending cancellation")
    assert len(b.rows) == one(fresh, "SELECT count(*) FROM seats WHERE pending_cancellation_date IS NULL")


def test_both_of_two_months_and_a_year(fresh: Session) -> None:
    a = ask(fresh, "how many users were active in both september and october")
    assert a.rows[0][0] == one(fresh, "SELECT count(*) FROM (SELECT user_id FROM user_daily WHERE day BETWEEN "
                                      "DATE '2026-09-01' AND DATE '2026-09-30' INTERSECT SELECT user_id FROM "
                                      "user_daily WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31')")
    b = ask(fresh, "how many seats were assigned in 2025")
    assert b.rows[0][0] == one(fresh, "SELECT count(*) FROM seats WHERE year(created_at) = 2025")


def test_typos_of_filler_words_do_not_block(fresh: Session) -> None:
    a = ask(fresh, "how many develpers used copilt last week")
    assert a.rows[0][0] == one(fresh, f"SELECT count(DISTINCT user_id) FROM user_daily WHERE {LAST_WEEK}")
    assert "'copilt' read as 'copilot'" in (a.interpretation or "")


def test_a_window_before_the_data_says_so(fresh: Session) -> None:
    a = ask(fresh, "how many people used copilot in december")
    assert a.rows == [(0,)] and "no data is loaded" in (a.interpretation or "")


def test_never_used_x_is_one_condition(fresh: Session) -> None:
    a = ask(fresh, "who on platform-core never used agent mode")
    # 'on platform-core' with no window: the members on the latest roster day, who never used it in all the data
    expected = rows(fresh, "SELECT DISTINCT user_login FROM team_membership WHERE team = 'platform-core' AND day = "
                           "(SELECT max(day) FROM team_membership) EXCEPT "
                           "SELECT user_login FROM user_daily WHERE used_agent")
    assert first_column(a) == sorted(r[0] for r in expected) and expected


def test_or_is_never_read_as_and(fresh: Session) -> None:
    union = one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE (used_chat OR used_agent) AND "
                       f"{LAST_WEEK}")
    try:
        a = ask(fresh, "how many people used chat or agent last week")
    except CannotAnswer:
        return  # a refusal is honest; an intersection would not be
    assert a.rows[0][-1] == union


@pytest.mark.parametrize("question, why", [
    ("cli sessions ever", "all the data"),
    ("2nd most popular ide", "one place in a ranking"),
])
def test_words_the_phrase_reader_would_drop_refuse_instead(fresh: Session, question: str, why: str) -> None:
    # 'ever' over the default 28 days, or the 2nd-ranked IDE answered as the top two, would be a different question
    try:
        answer = ask(fresh, question)
    except CannotAnswer as e:
        assert why in e.message
        return
    if why == "all the data":  # answered: then over all the data, not a window
        assert "DATE '" not in answer.sql
    else:
        assert answer.row_count == 1


# --- measures: totals, periods, differences, averages, breakdowns and rankings ---------------------------
OCTOBER = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
SEPTEMBER = "day BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"


def same_values(fresh: Session, answer: Answer, sql: str, ordered: bool = False) -> bool:
    """Every column of the expected result is among the answer's columns, row for row (the eval's rule)."""
    from assistant.engine.evaluate import results_match

    return results_match(rows(fresh, sql), answer.rows, ordered=ordered)[0]


def test_reader_answers_measure_questions_itself(fresh: Session) -> None:
    from assistant.offline import reader

    ctx = fresh.context()
    for question in ("cli sessions ever", "3rd most popular language", "how many more agent users than cli users",
                     "average prompts per chat user last week", "lines added per day last week"):
        assert reader.translate(question, ctx) is not None, question


@pytest.mark.parametrize("question, sql", [
    ("how many accepters this month", "SELECT count(DISTINCT user_id) FROM user_daily WHERE "
     "code_acceptance_activity_count > 0 AND day BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'"),
    ("actve users thu 11/5", "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = DATE '2026-11-05'"),
    ("active users sun 25/10", "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = DATE '2026-10-25'"),
    ("lines added, whole dataset", "SELECT sum(loc_added_sum) FROM user_daily"),
    ("cli requests last wk", f"SELECT sum(cli_request_count) FROM user_daily WHERE {LAST_WEEK}"),
    ("how many ppl used copilot on the latest day in the data",
     "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = DATE '2026-11-07'"),
    ("how many devs have never accepted one suggestion",
     "SELECT count(*) FROM (SELECT user_id FROM user_daily GROUP BY 1 HAVING sum(code_acceptance_activity_count) = 0)"),
    ("copilot-authored prs that were merged last week",
     f"SELECT sum(pr_total_merged_created_by_copilot) FROM entity_daily WHERE {LAST_WEEK}"),
])
def test_one_number_from_casual_wording(fresh: Session, question: str, sql: str) -> None:
    a = ask(fresh, question)
    assert a.row_count == 1 and same_values(fresh, a, sql), (a.sql, a.rows)


def test_two_named_months_give_both_values_and_the_change(fresh: Session) -> None:
    a = ask(fresh, "acceptances in sept vs oct")
    sept = one(fresh, f"SELECT sum(code_acceptance_activity_count) FROM user_daily WHERE {SEPTEMBER}")
    octo = one(fresh, f"SELECT sum(code_acceptance_activity_count) FROM user_daily WHERE {OCTOBER}")
    assert [r[1] for r in a.rows] == [sept, octo] and a.rows[1][2] == octo - sept  # type: ignore[operator]
    b = ask(fresh, "did prompts go up or down from september to october")
    assert len(b.rows) == 2 and b.rows[1][2] is not None


def test_how_many_more_gives_the_difference_beside_both(fresh: Session) -> None:
    a = ask(fresh, "how many more agent users than cli users last month")
    agent, cli = rows(fresh, "SELECT count(DISTINCT user_id) FILTER (WHERE used_agent), count(DISTINCT user_id) "
                             f"FILTER (WHERE used_cli) FROM user_daily WHERE {OCTOBER}")[0]
    assert a.rows == [(agent, cli, agent - cli)]
    b = ask(fresh, "how many more lines added than deleted last month")
    added, deleted = rows(fresh, f"SELECT sum(loc_added_sum), sum(loc_deleted_sum) FROM user_daily WHERE {OCTOBER}")[0]
    assert b.rows[0][-1] == added - deleted


def test_an_average_per_user_of_a_surface_divides_by_its_users(fresh: Session) -> None:
    a = ask(fresh, "average prompts per chat user last week")
    total, users = rows(fresh, "SELECT sum(user_initiated_interaction_count), count(DISTINCT user_id) FILTER "
                               f"(WHERE used_chat) FROM user_daily WHERE {LAST_WEEK}")[0]
    assert a.rows[0][:3] == (round(total / users, 2), total, users)


def test_an_ordinal_ranking_is_one_place(fresh: Session) -> None:
    a = ask(fresh, "3rd most popular language")
    expected = rows(fresh, f"SELECT language FROM user_daily_by_language_feature WHERE {WINDOW} GROUP BY 1 "
                           "ORDER BY count(DISTINCT user_id) DESC, 1 LIMIT 1 OFFSET 2")
    assert [r[0] for r in a.rows] == [expected[0][0]]


def test_a_singular_which_with_a_preference_word_is_the_top_one(fresh: Session) -> None:
    a = ask(fresh, "which language do people prefer with claude")
    expected = rows(fresh, f"SELECT language FROM user_daily_by_language_model WHERE model LIKE 'claude%' AND "
                           f"{WINDOW} GROUP BY 1 ORDER BY count(DISTINCT user_id) DESC, 1 LIMIT 1")
    assert [r[0] for r in a.rows] == [expected[0][0]]


def test_per_day_is_a_series_and_how_many_of_a_dimension_is_a_distinct_count(fresh: Session) -> None:
    a = ask(fresh, "cli sessions per day last week")
    assert same_values(fresh, a, f"SELECT day, sum(cli_session_count) FROM user_daily WHERE {LAST_WEEK} GROUP BY 1",
                       ordered=False) and [r[0] for r in a.rows] == sorted(r[0] for r in a.rows)
    b = ask(fresh, "how many ides were used last week")
    assert b.rows[0][0] == one(fresh, f"SELECT count(DISTINCT ide) FROM user_daily_by_ide WHERE {LAST_WEEK}")


def test_top_users_of_a_surface_by_a_measure(fresh: Session) -> None:
    a = ask(fresh, "top 3 chat users by lines added")
    expected = rows(fresh, f"SELECT user_login, sum(loc_added_sum) AS n FROM user_daily WHERE {WINDOW} GROUP BY 1 "
                           "HAVING bool_or(used_chat) ORDER BY n DESC, 1 LIMIT 3")
    assert same_values(fresh, a, "SELECT * FROM (VALUES " + ", ".join(f"('{u}', {n})" for u, n in expected) + ")",
                       ordered=True)


def test_chat_modes_are_the_chat_panel_modes(fresh: Session) -> None:
    a = ask(fresh, "prompts by chat mode last week")
    assert same_values(fresh, a, "SELECT feature, sum(user_initiated_interaction_count) FROM user_daily_by_feature "
                                 f"WHERE feature LIKE 'chat_panel_%' AND {LAST_WEEK} GROUP BY 1")


def test_a_share_of_a_measure_shows_the_part_and_the_whole(fresh: Session) -> None:
    a = ask(fresh, "what fraction of lines added came from code completions last week")
    part = one(fresh, "SELECT sum(loc_added_sum) FROM user_daily_by_feature WHERE feature = 'code_completion' AND "
                      f"{LAST_WEEK}")
    whole = one(fresh, f"SELECT sum(loc_added_sum) FROM user_daily WHERE {LAST_WEEK}")
    assert a.rows == [(part, whole, round(part / whole, 4))]  # type: ignore[operator]


# --- adoption phase is a user's state -----------------------------------------------------------------
LATEST_PHASE = (f"SELECT user_id, user_login, arg_max(ai_adoption_phase, day) AS phase FROM user_daily WHERE {WINDOW} "
                "AND ai_adoption_phase IS NOT NULL GROUP BY ALL")


def test_users_count_under_their_latest_phase(fresh: Session) -> None:
    a = ask(fresh, "how many devs are in phase 2")
    assert a.rows[0][0] == one(fresh, f"SELECT count(*) FROM ({LATEST_PHASE}) WHERE phase = 'Phase 2'")
    b = ask(fresh, "users in each adoption phase")
    assert same_values(fresh, b, f"SELECT phase, count(*) FROM ({LATEST_PHASE}) GROUP BY 1")
    c = ask(fresh, "which adoption phase is nzhang in")
    assert c.rows == rows(fresh, f"SELECT phase FROM ({LATEST_PHASE}) WHERE user_login = 'nzhang'")


# --- seats and people ---------------------------------------------------------------------------------
def test_people_in_the_usage_data_without_a_seat(fresh: Session) -> None:
    a = ask(fresh, "which users don't have a licence, ever")
    expected = rows(fresh, "SELECT DISTINCT user_login FROM user_daily WHERE lower(user_login) NOT IN "
                           "(SELECT lower(login) FROM seats)")
    assert first_column(a) == sorted(r[0] for r in expected)


def test_a_share_of_seats_and_seats_not_signed_in_since_a_day(fresh: Session) -> None:
    a = ask(fresh, "what share of seats were never used")
    n, total = rows(fresh, "SELECT count(*) FILTER (WHERE first_active_day IS NULL AND last_activity_at IS NULL), "
                           "count(*) FROM seat_usage")[0]
    assert a.rows == [(n, total, round(n / total, 4))]
    b = ask(fresh, "seats that have not signed in since oct 15")
    expected = rows(fresh, "SELECT login FROM seats WHERE last_authenticated_at IS NULL OR last_authenticated_at < "
                           "TIMESTAMPTZ '2026-10-15 00:00:00+00'")
    assert first_column(b) == sorted(r[0] for r in expected)


def test_the_week_before_is_the_seven_days_before_the_named_week(fresh: Session) -> None:
    a = ask(fresh, "people active last week who weren't active the week before")
    expected = rows(fresh, f"SELECT user_login FROM user_daily WHERE {LAST_WEEK} EXCEPT SELECT user_login FROM "
                           "user_daily WHERE day BETWEEN DATE '2026-10-25' AND DATE '2026-10-31'")
    assert first_column(a) == sorted(r[0] for r in expected)


def test_or_between_two_surfaces_is_a_union(fresh: Session) -> None:
    a = ask(fresh, "how many devs used chat or the cli last week")
    assert a.rows[0][0] == one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE (used_chat OR used_cli) "
                                      f"AND {LAST_WEEK}")


def test_only_the_legacy_metrics_loaded(tmp_path: Path) -> None:
    db = tmp_path / "legacy.duckdb"
    legacy = next((Path(__file__).parent.parent / "fixtures" / "sample").glob("legacy-metrics*.json"))
    assert not load_paths(db, [legacy], strict=True).failed
    with closing(Session(load_settings(db=db, offline=True), translator=OfflineTranslator())) as s:
        expected = s.run_sql("SELECT total_active_users FROM legacy_daily WHERE date = DATE '2026-03-05'").rows
        a = s.ask("active users on march 5 2026", explain=False)
        assert [r[-1] for r in a.rows] == [expected[0][0]] and "legacy" in (a.interpretation or "")
        with pytest.raises(CannotAnswer, match="legacy"):
            s.ask("which people used agent mode last week", explain=False)


def test_yesterday_vs_the_day_before_gives_both_days_in_order(fresh: Session) -> None:
    a = ask(fresh, "active users yesterday vs the day before")  # as named; the change runs from the earlier day
    count = "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = "
    before, latest = one(fresh, count + "DATE '2026-11-06'"), one(fresh, count + "DATE '2026-11-07'")
    assert [r[1] for r in a.rows] == [latest, before] and a.rows[0][2] == latest - before  # type: ignore[operator]


def test_trends_by_week_say_which_weeks_are_partial(fresh: Session) -> None:
    a = ask(fresh, "cli sessions per week")
    assert same_values(fresh, a, "SELECT date_trunc('week', day)::DATE, sum(cli_session_count) FROM user_daily "
                                 f"WHERE {WINDOW} GROUP BY 1", ordered=False)
    assert "first and last week are partial" in (a.interpretation or "")  # 2026-10-11 is a Sunday, 11-07 a Saturday
    b = ask(fresh, "interactions trend over the last 3 months")
    assert [r[0] for r in b.rows] == sorted(r[0] for r in b.rows) and "the data starts on 2026-09-13" in (
        b.interpretation or "")


def test_seats_per_organization_beside_the_inactive_ones_and_logins_with_several_seats(fresh: Session) -> None:
    a = ask(fresh, "how many seats does each org have and how many of them are inactive")
    assert same_values(fresh, a, "SELECT organization_login, count(*), count(*) FILTER (WHERE last_active_day IS NULL "
                                 "OR last_active_day < DATE '2026-10-11') FROM seat_usage GROUP BY 1")
    b = ask(fresh, "people with more than one licence")
    assert first_column(b) == sorted(r[0] for r in rows(fresh, "SELECT login FROM seats GROUP BY 1 "
                                                               "HAVING count(*) > 1"))


def test_a_median_per_user_and_cli_output_tokens(fresh: Session) -> None:
    a = ask(fresh, "median prompts per user last week")
    assert a.rows[0][0] == one(fresh, "SELECT median(n) FROM (SELECT user_id, sum(user_initiated_interaction_count) "
                                      f"AS n FROM user_daily WHERE {LAST_WEEK} GROUP BY 1)")
    b = ask(fresh, "cli output tokens last week")
    assert b.rows[0][0] == one(fresh, f"SELECT sum(cli_output_tokens_sum) FROM user_daily WHERE {LAST_WEEK}")


# --- scope words, existence questions, PR shares, rosters with last activity -------------------------
@pytest.mark.parametrize("question", ["lines added by weik in total", "weik's lines added overall"])
def test_a_trailing_overall_or_in_total_means_all_the_data(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows[0][0] == one(fresh, "SELECT sum(loc_added_sum) FROM user_daily WHERE lower(user_login) = 'weik'")


def test_in_total_next_to_a_named_period_keeps_the_period(fresh: Session) -> None:
    a = ask(fresh, "how many lines were added in total last week")
    assert a.rows[0][0] == one(fresh, f"SELECT sum(loc_added_sum) FROM user_daily WHERE {LAST_WEEK}")


def test_anybody_who_did_both_is_answered_with_the_people(fresh: Session) -> None:
    a = ask(fresh, "did anybody use both the cli and agent mode last week?")
    expected = rows(fresh, f"SELECT user_login FROM user_daily WHERE {LAST_WEEK} GROUP BY 1 "
                           "HAVING bool_or(used_cli) AND bool_or(used_agent)")
    assert expected and first_column(a) == sorted(r[0] for r in expected)


@pytest.mark.parametrize(("question", "part", "whole"), [
    ("what percentage of pull requests got merged last week", "pr_total_merged", "pr_total_created"),
    ("share of copilot-created PRs that were merged", "pr_total_merged_created_by_copilot",
     "pr_total_created_by_copilot"),
])
def test_the_share_of_prs_merged_is_merged_over_created(fresh: Session, question: str, part: str, whole: str) -> None:
    window = LAST_WEEK if "last week" in question else WINDOW
    n, total = rows(fresh, f"SELECT sum({part}), sum({whole}) FROM entity_daily WHERE {window}")[0]
    assert ask(fresh, question).rows == [(n, total, round(n / total, 4))]


def test_each_members_last_active_day_comes_from_the_roster(fresh: Session) -> None:
    a = ask(fresh, "when was each mobile-apps member last active")
    expected = rows(fresh, "SELECT m.user_login, max(u.day) FROM team_membership m LEFT JOIN user_daily u "
                           "ON u.user_id = m.user_id WHERE m.team = 'mobile-apps' AND "
                           "m.day = (SELECT max(day) FROM team_membership) GROUP BY 1")
    assert expected and sorted(a.rows, key=str) == sorted(expected, key=str)
    assert any(day is None for _, day in expected)  # members who never used Copilot are listed too


@pytest.mark.parametrize("question", ["interactions, past 28d", "interactions over the past 4wks"])
def test_a_number_glued_to_its_unit_is_a_window(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows[0][0] == one(fresh, f"SELECT sum(user_initiated_interaction_count) "
                                                         f"FROM user_daily WHERE {WINDOW}")


def test_abbreviated_month_names_compare_two_months(fresh: Session) -> None:
    a = ask(fresh, "lines added sept vs oct")
    months = [one(fresh, f"SELECT sum(loc_added_sum) FROM user_daily WHERE day BETWEEN DATE '2026-{m}-01' "
                         f"AND DATE '2026-{m}-{last}'") for m, last in (("09", "30"), ("10", "31"))]
    assert [r[1] for r in a.rows] == months


@pytest.mark.parametrize(("question", "sql"), [
    ("current team sizes", "SELECT team, count(DISTINCT user_id) FROM team_membership "
                           "WHERE day = (SELECT max(day) FROM team_membership) GROUP BY 1"),
    ("earliest n latest day in the data", "SELECT min(day), max(day) FROM user_daily"),
    ("how many days r missing from the data, if any",
     "SELECT datediff('day', min(day), max(day)) + 1 - count(DISTINCT day) FROM user_daily"),
    ("users active in september w/o any agent use that month",
     "SELECT user_login FROM user_daily WHERE day BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' "
     "GROUP BY 1 HAVING NOT bool_or(used_agent)"),
    ("how many people used copilot for the 1st time in october",
     "SELECT count(*) FROM (SELECT user_id, min(day) AS f FROM user_daily GROUP BY 1) "
     "WHERE f BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
])
def test_short_forms_in_understood_questions(fresh: Session, question: str, sql: str) -> None:
    expected = rows(fresh, sql)
    assert expected and sorted(ask(fresh, question).rows, key=str) == sorted(expected, key=str)


def _value_over(session: Session, measure: str, lo: str, hi: str) -> object:
    return one(session, f"SELECT {measure} FROM user_daily WHERE day BETWEEN DATE '{lo}' AND DATE '{hi}'")


def test_both_parts_of_one_month_are_compared(fresh: Session) -> None:
    a = ask(fresh, "did interactions change between the first week and the second week of october")
    got = [r[1] for r in a.rows]
    assert got == [_value_over(fresh, "sum(user_initiated_interaction_count)", lo, hi)
                   for lo, hi in (("2026-10-01", "2026-10-07"), ("2026-10-08", "2026-10-14"))]


def test_compare_with_the_n_days_before_that(fresh: Session) -> None:
    values = ask(fresh, "compare active users in the last 14 days with the 14 days before that").rows  # in time order
    assert [r[1] for r in values] == [_value_over(fresh, "count(DISTINCT user_id)", lo, hi)
                                      for lo, hi in (("2026-10-11", "2026-10-24"), ("2026-10-25", "2026-11-07"))]


def test_before_a_date_is_every_loaded_day_up_to_the_day_before(fresh: Session) -> None:
    a = ask(fresh, "lines added before oct 5")
    assert a.rows[0][0] == one(fresh, "SELECT sum(loc_added_sum) FROM user_daily WHERE day < DATE '2026-10-05'")


def test_seats_assigned_earlier_than_a_date(fresh: Session) -> None:
    a = ask(fresh, "which seats were assigned earlier than october 1 and never used")
    expected = rows(fresh, "SELECT login FROM seat_usage WHERE created_at < TIMESTAMPTZ '2026-10-01 00:00:00+00' "
                           "AND first_active_day IS NULL AND last_activity_at IS NULL")
    assert expected and first_column(a) == sorted(r[0] for r in expected)


def test_a_dated_seat_attribute_named_with_the_word_date(fresh: Session) -> None:
    a = ask(fresh, "how many seats have a pending cancellation date")
    assert a.rows[0][0] == one(fresh, "SELECT count(*) FROM seats WHERE pending_cancellation_date IS NOT NULL")
    b = ask(fresh, "which seat holders have a last sign-in date before september 1")
    expected = rows(fresh, "SELECT login FROM seats WHERE last_authenticated_at < TIMESTAMPTZ '2026-09-01 00:00:00+00'")
    assert expected and first_column(b) == sorted(r[0] for r in expected)


def test_this_period_so_far_is_that_period_not_all_time(fresh: Session) -> None:
    a = ask(fresh, "total prompts this week to date")
    assert a.rows[0][0] == _value_over(fresh, "sum(user_initiated_interaction_count)", "2026-11-02", "2026-11-07")
    b = ask(fresh, "lines added this month so far")
    assert b.rows[0][0] == _value_over(fresh, "sum(loc_added_sum)", "2026-11-01", "2026-11-07")


def test_from_one_month_to_another_compares_the_two_months(fresh: Session) -> None:
    a = ask(fresh, "did the number of chat users drop from sept to oct")
    values = sorted(a.rows, key=lambda r: str(r[0]))
    assert [r[1] for r in values] == [
        _value_over(fresh, "count(DISTINCT user_id) FILTER (WHERE used_chat)", lo, hi)
        for lo, hi in (("2026-10-01", "2026-10-31"), ("2026-09-01", "2026-09-30"))]


def test_every_week_we_have_data_for_is_all_the_loaded_data(fresh: Session) -> None:
    a = ask(fresh, "prompts by week for all the weeks that we have data for")
    expected = rows(fresh, "SELECT date_trunc('week', day)::DATE, sum(user_initiated_interaction_count) "
                           "FROM user_daily GROUP BY 1 ORDER BY 1")
    assert len(expected) > 4 and [tuple(r) for r in a.rows] == [tuple(r) for r in expected]


def test_people_described_by_a_verb_with_no_shape_word_are_listed(fresh: Session) -> None:
    a = ask(fresh, "folks using jetbrains in the last 2 weeks")
    expected = rows(fresh, "SELECT DISTINCT user_login FROM user_daily_by_ide WHERE ide = 'jetbrains' "
                           "AND day BETWEEN DATE '2026-10-25' AND DATE '2026-11-07'")
    assert expected and first_column(a) == sorted(r[0] for r in expected)
    b = ask(fresh, "active users in the last 2 weeks")  # a measure's name stays a count
    assert b.rows[0][0] == _value_over(fresh, "count(DISTINCT user_id)", "2026-10-25", "2026-11-07")


def test_lines_of_code_in_the_passive_are_the_lines_measure(fresh: Session) -> None:
    a = ask(fresh, "how many lines of code got deleted on tuesday, october 27")
    assert a.rows[0][0] == _value_over(fresh, "sum(loc_deleted_sum)", "2026-10-27", "2026-10-27")
    b = ask(fresh, "how many lines were suggested in the last 14 days")
    assert b.rows[0][0] == _value_over(fresh, "sum(loc_suggested_to_add_sum)", "2026-10-25", "2026-11-07")


def test_a_later_part_named_without_its_month_is_of_the_same_month(fresh: Session) -> None:
    a = ask(fresh, "did prompts drop between the first week of october and the second week")
    got = sorted(a.rows, key=lambda r: str(r[0]))
    assert [r[1] for r in got] == [_value_over(fresh, "sum(user_initiated_interaction_count)", lo, hi)
                                   for lo, hi in (("2026-10-01", "2026-10-07"), ("2026-10-08", "2026-10-14"))]


def test_only_about_people_is_kept_or_refused(fresh: Session) -> None:
    """'devs who use completions only' is not every completion user: answered as exclusive, or refused."""
    exclusive = ask(fresh, "which devs use only completions")
    expected = rows(fresh, f"SELECT DISTINCT user_login FROM user_daily_by_feature WHERE {WINDOW} EXCEPT "
                           f"SELECT DISTINCT user_login FROM user_daily_by_feature WHERE {WINDOW} "
                           "AND feature <> 'code_completion'")
    assert first_column(exclusive) == sorted(r[0] for r in expected)
    everyone = one(fresh, f"SELECT count(DISTINCT user_login) FROM user_daily_by_feature WHERE {WINDOW} "
                          "AND feature = 'code_completion'")
    assert len(exclusive.rows) < everyone
    for question in ("which devs use completions only", "how many users used only vscode last week"):
        with pytest.raises(CannotAnswer, match="'only' limits"):
            ask(fresh, question)
    once = ask(fresh, "who used copilot only once this month")  # 'only once' is a threshold, answered
    assert once.rows


# --- differences: two measures, or one measure under two values ------------------------------------
def test_how_many_more_people_on_one_ide_than_another(fresh: Session) -> None:
    a = ask(fresh, "how many more devs used vscode than jetbrains last week")
    count = f"SELECT count(DISTINCT user_id) FROM user_daily_by_ide WHERE {LAST_WEEK} AND ide = "
    vscode, jetbrains = one(fresh, count + "'vscode'"), one(fresh, count + "'jetbrains'")
    assert a.rows == [(vscode, jetbrains, vscode - jetbrains)]  # type: ignore[operator]
    b = ask(fresh, "how many fewer prompts in jetbrains than in vscode last week")
    total = f"SELECT sum(user_initiated_interaction_count) FROM user_daily_by_ide WHERE {LAST_WEEK} AND ide = "
    j, v = one(fresh, total + "'jetbrains'"), one(fresh, total + "'vscode'")
    assert b.rows == [(j, v, v - j)]  # type: ignore[operator]


def test_how_many_more_of_one_measure_in_the_passive_than_another(fresh: Session) -> None:
    a = ask(fresh, "how many more code suggestions got shown than accepted in october")
    month = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    shown = one(fresh, f"SELECT sum(code_generation_activity_count) FROM user_daily WHERE {month}")
    taken = one(fresh, f"SELECT sum(code_acceptance_activity_count) FROM user_daily WHERE {month}")
    assert a.rows == [(shown, taken, shown - taken)]  # type: ignore[operator]
    b = ask(fresh, "how many fewer suggestions were accepted than shown in october")
    assert b.rows[0][-1] == shown - taken  # type: ignore[operator]


@pytest.mark.parametrize("question", ["what did raj-kim really ask copilot last week",
                                      "what are devs asking copilot chat about",
                                      "show me nzhang's chat history", "the exact prompts lmartin sent yesterday"])
def test_what_someone_typed_is_refused_for_the_real_reason(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="counts only, never what anyone typed"):
        ask(fresh, question)


def test_counting_prompts_is_not_asking_for_their_text(fresh: Session) -> None:
    a = ask(fresh, "how many questions asked last week")
    assert a.rows[0][0] == one(fresh, f"SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE {LAST_WEEK}")


# --- GitHub's own figures (entity_daily) ------------------------------------------------------------
def test_median_minutes_to_merge_is_githubs_figure_of_the_day(fresh: Session) -> None:
    a = ask(fresh, "what was the median time to merge for prs authored by copilot on october 20")
    assert a.rows[-1][-1] == one(fresh, "SELECT pr_median_minutes_to_merge_copilot_authored FROM entity_daily "
                                        "WHERE day = DATE '2026-10-20'")
    b = ask(fresh, "median minutes to merge copilot reviewed pull requests last week")  # a median per day
    expected = rows(fresh, "SELECT day, pr_median_minutes_to_merge_copilot_reviewed FROM entity_daily "
                           f"WHERE {LAST_WEEK} ORDER BY 1")
    assert [tuple(r) for r in b.rows] == [tuple(r) for r in expected] and len(expected) > 1
    with pytest.raises(CannotAnswer):  # 'copilot prs' says neither authored nor reviewed: which median is unsaid
        ask(fresh, "median minutes to merge copilot prs")


def test_review_suggestions_applied_beside_those_made(fresh: Session) -> None:
    a = ask(fresh, "how many code review suggestions did copilot leave in october and how many got applied")
    month = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    made, applied = rows(fresh, "SELECT sum(pr_total_copilot_suggestions), sum(pr_total_copilot_applied_suggestions) "
                                f"FROM entity_daily WHERE {month}")[0]
    assert a.rows == [(made, applied)]


def test_prs_copilot_reviewed_and_how_many_of_them_merged(fresh: Session) -> None:
    a = ask(fresh, "how many PRs did copilot review in the last 2 weeks, and how many of them got merged")
    span = "day BETWEEN DATE '2026-10-25' AND DATE '2026-11-07'"
    assert a.rows == rows(fresh, "SELECT sum(pr_total_reviewed_by_copilot), sum(pr_total_merged_reviewed_by_copilot) "
                                 f"FROM entity_daily WHERE {span}")


def test_githubs_own_user_figure_named_in_the_singular(fresh: Session) -> None:
    a = ask(fresh, "github's own weekly active user number for nov 3")
    assert a.rows[0][-1] == one(fresh, "SELECT weekly_active_users FROM entity_daily WHERE day = DATE '2026-11-03'")


# --- words that restate the shape or point back carry no content ----------------------------------
def test_two_people_side_by_side(fresh: Session) -> None:
    a = ask(fresh, "lines added in october for nzhang and raj-kim side by side")
    expected = rows(fresh, "SELECT user_login, sum(loc_added_sum) FROM user_daily WHERE day BETWEEN DATE '2026-10-01' "
                           "AND DATE '2026-10-31' AND user_login IN ('nzhang', 'raj-kim') GROUP BY 1")
    assert sorted(a.rows) == sorted(tuple(r) for r in expected) and len(expected) == 2


def test_a_surface_alone_narrows_the_measure(fresh: Session) -> None:
    a = ask(fresh, "acceptance rate of completions alone last week")
    assert a.rows[0][0] == one(fresh, "SELECT round(sum(code_acceptance_activity_count)::DOUBLE / "
                                      "sum(code_generation_activity_count), 4) FROM user_daily_by_feature "
                                      f"WHERE {LAST_WEEK} AND feature = 'code_completion'")


def test_a_breakdown_narrowed_to_a_surface_and_each_one(fresh: Session) -> None:
    a = ask(fresh, "which languages got completions last week and how many acceptances did each one get")
    expected = rows(fresh, "SELECT language, sum(code_acceptance_activity_count) FROM user_daily_by_language_feature "
                           f"WHERE {LAST_WEEK} AND feature = 'code_completion' GROUP BY 1")
    assert sorted(a.rows) == sorted(tuple(r) for r in expected)


def test_measured_by_names_the_measure_of_a_breakdown(fresh: Session) -> None:
    a = ask(fresh, "which models did people use in october, measured by interactions")
    expected = rows(fresh, "SELECT model, sum(user_initiated_interaction_count) FROM user_daily_by_model_feature "
                           "WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1")
    assert sorted(a.rows) == sorted(tuple(r) for r in expected)


def test_two_measures_side_by_side_with_a_flag_that_has_no_metric(fresh: Session) -> None:
    a = ask(fresh, "devs actively using code review vs devs who got auto-reviewed in october")
    month = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    assert a.rows == rows(fresh, "SELECT count(DISTINCT user_id) FILTER (WHERE used_copilot_code_review_active), "
                                 "count(DISTINCT user_id) FILTER (WHERE used_copilot_code_review_passive) "
                                 f"FROM user_daily WHERE {month}")
    b = ask(fresh, "cli users vs cloud agent users last week")
    assert b.rows == rows(fresh, "SELECT count(DISTINCT user_id) FILTER (WHERE used_cli), count(DISTINCT user_id) "
                                 "FILTER (WHERE used_copilot_cloud_agent OR used_copilot_coding_agent) "
                                 f"FROM user_daily WHERE {LAST_WEEK}")


# --- shares, families, thresholds on a breakdown ------------------------------------------------------
def test_share_of_a_measure_from_a_value_named_in_the_plural(fresh: Session) -> None:
    a = ask(fresh, "what share of lines added came from agent edits in the last 2 weeks")
    span = "day BETWEEN DATE '2026-10-25' AND DATE '2026-11-07'"
    part = one(fresh, f"SELECT sum(loc_added_sum) FROM user_daily_by_feature WHERE {span} AND feature = 'agent_edit'")
    whole = one(fresh, f"SELECT sum(loc_added_sum) FROM user_daily WHERE {span}")
    assert a.rows == [(part, whole, round(part / whole, 4))]  # type: ignore[operator]


def test_a_bare_last_n_is_days(fresh: Session) -> None:
    a = ask(fresh, "total lines added for gpt models past 14")
    assert a.rows[0][0] == one(fresh, "SELECT sum(loc_added_sum) FROM user_daily_by_model_feature WHERE day BETWEEN "
                                      "DATE '2026-10-25' AND DATE '2026-11-07' AND model LIKE 'gpt%'")


def test_a_bound_on_each_groups_own_total(fresh: Session) -> None:
    a = ask(fresh, "of the models with at least 2,000 prompts since october 1, which one has the lowest acceptance")
    expected = rows(fresh, "SELECT model, round(sum(code_acceptance_activity_count)::DOUBLE / "
                           "nullif(sum(code_generation_activity_count), 0), 4) AS r FROM user_daily_by_model_feature "
                           "WHERE day >= DATE '2026-10-01' GROUP BY 1 "
                           "HAVING sum(user_initiated_interaction_count) >= 2000 ORDER BY r, model LIMIT 1")
    assert a.rows == [tuple(r) for r in expected]
    b = ask(fresh, "how many languages got more than 1000 suggestions in october")
    assert b.rows[0][0] == one(fresh, "SELECT count(*) FROM (SELECT language FROM user_daily_by_language_feature "
                                      "WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1 "
                                      "HAVING sum(code_generation_activity_count) > 1000)")


def test_one_persons_top_value_of_a_dimension(fresh: Session) -> None:
    a = ask(fresh, "raj-kim's favourite model by prompts last month")
    expected = rows(fresh, "SELECT model, sum(user_initiated_interaction_count) AS n FROM user_daily_by_model_feature "
                           "WHERE user_login = 'raj-kim' AND day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' "
                           "GROUP BY 1 ORDER BY n DESC, model LIMIT 1")
    assert a.rows == [tuple(r) for r in expected]
    b = ask(fresh, "lines added by nzhang in the last 2 weeks")
    assert b.rows[0][0] == one(fresh, "SELECT sum(loc_added_sum) FROM user_daily WHERE user_login = 'nzhang' AND day "
                                      "BETWEEN DATE '2026-10-25' AND DATE '2026-11-07'")
    c = ask(fresh, "which ide does nzhang use the most")  # no measure named: the days on each
    assert c.rows == [tuple(r) for r in rows(fresh, f"SELECT ide, count(DISTINCT day) AS n FROM user_daily_by_ide "
                                                    f"WHERE user_login = 'nzhang' AND {WINDOW} GROUP BY 1 "
                                                    "ORDER BY n DESC, ide LIMIT 1")]


@pytest.mark.parametrize("question", ["who merged the most pull requests last month", "how many prs did nzhang open"])
def test_pull_requests_per_person_are_refused_as_not_in_githubs_totals(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="daily totals"):
        ask(fresh, question)


def test_people_per_organization_come_from_the_seat_listing(fresh: Session) -> None:
    a = ask(fresh, "number of engaged users per org last week")
    expected = rows(fresh, "SELECT s.organization_login, count(DISTINCT u.user_id) FILTER (WHERE "
                           "u.user_initiated_interaction_count > 0) FROM user_daily u JOIN seats s ON s.user_id = "
                           f"u.user_id WHERE u.{LAST_WEEK} GROUP BY 1")
    assert sorted(a.rows) == sorted(tuple(r) for r in expected) and len(expected) > 1
    assert "seat listing" in (a.interpretation or "")


def test_difference_between_two_measures_and_people_on_two_surfaces(fresh: Session) -> None:
    a = ask(fresh, "what's the gap between lines added and lines deleted in october")
    month = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    added, deleted = rows(fresh, f"SELECT sum(loc_added_sum), sum(loc_deleted_sum) FROM user_daily WHERE {month}")[0]
    assert a.rows == [(added, deleted, added - deleted)]
    b = ask(fresh, "how many more devs used agent mode than the cli last week")
    agent, cli = rows(fresh, "SELECT count(DISTINCT user_id) FILTER (WHERE used_agent), count(DISTINCT user_id) "
                             f"FILTER (WHERE used_cli) FROM user_daily WHERE {LAST_WEEK}")[0]
    assert b.rows == [(agent, cli, agent - cli)]


def test_an_average_per_engaged_user_divides_by_the_engaged_users(fresh: Session) -> None:
    a = ask(fresh, "avg prompts per engaged user in october")
    month = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    total, people = rows(fresh, "SELECT sum(user_initiated_interaction_count), count(DISTINCT user_id) FILTER (WHERE "
                                f"user_initiated_interaction_count > 0) FROM user_daily WHERE {month}")[0]
    assert a.rows[0][0] == round(total / people, 2)


def test_one_measure_under_two_values_side_by_side_and_two_measures_compared(fresh: Session) -> None:
    a = ask(fresh, "prompts in jetbrains vs vscode last week")
    expected = rows(fresh, "SELECT ide, sum(user_initiated_interaction_count) FROM user_daily_by_ide WHERE "
                           f"{LAST_WEEK} AND ide IN ('jetbrains', 'vscode') GROUP BY 1")
    assert sorted(a.rows) == sorted(tuple(r) for r in expected) and len(expected) == 2
    b = ask(fresh, "compare lines added and deleted in october")
    assert b.rows == rows(fresh, "SELECT sum(loc_added_sum), sum(loc_deleted_sum) FROM user_daily WHERE day BETWEEN "
                                 "DATE '2026-10-01' AND DATE '2026-10-31'")


def test_how_many_more_for_one_person_than_another(fresh: Session) -> None:
    a = ask(fresh, "how many more suggestions did raj-kim accept than lmartin in october")
    total = ("SELECT sum(code_acceptance_activity_count) FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND "
             "DATE '2026-10-31' AND user_login = ")
    raj, lm = one(fresh, total + "'raj-kim'"), one(fresh, total + "'lmartin'")
    assert a.rows == [(raj, lm, raj - lm)]  # type: ignore[operator]


def test_how_many_more_in_one_period_than_another_gives_both_and_the_change(fresh: Session) -> None:
    a = ask(fresh, "how many more prompts in october than in september")
    sep, oct_ = [one(fresh, "SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE day BETWEEN "
                            f"DATE '{lo}' AND DATE '{hi}'") for lo, hi in (("2026-09-01", "2026-09-30"),
                                                                            ("2026-10-01", "2026-10-31"))]
    assert a.rows == [(oct_, sep, oct_ - sep)]  # type: ignore[operator]  # one row, in the order named


def _in(fresh: Session, expr: str, lo: str, hi: str, table: str = "user_daily") -> object:
    return one(fresh, f"SELECT {expr} FROM {table} WHERE day BETWEEN DATE '{lo}' AND DATE '{hi}'")


@pytest.mark.parametrize(("question", "expr", "first", "second", "sign"), [
    ("how many fewer active users in september than in october", "count(DISTINCT user_id)",
     ("2026-09-01", "2026-09-30"), ("2026-10-01", "2026-10-31"), -1),
    ("how many more acceptances last week than the week before", "sum(code_acceptance_activity_count)",
     ("2026-11-01", "2026-11-07"), ("2026-10-25", "2026-10-31"), 1),
    ("How many more lines were added in the first half of October than in the second half?", "sum(loc_added_sum)",
     ("2026-10-01", "2026-10-15"), ("2026-10-16", "2026-10-31"), 1),
])
def test_how_many_more_between_two_periods_is_one_row(fresh: Session, question: str, expr: str,
                                                      first: tuple[str, str], second: tuple[str, str],
                                                      sign: int) -> None:
    a, b = _in(fresh, expr, *first), _in(fresh, expr, *second)
    assert ask(fresh, question).rows == [(a, b, sign * (a - b))]  # type: ignore[operator]


def test_a_change_between_two_periods_without_how_many_more_keeps_both_rows(fresh: Session) -> None:
    a = ask(fresh, "did prompts go up from september to october")
    assert len(a.rows) == 2 and a.rows[1][2] == a.rows[1][1] - a.rows[0][1]  # type: ignore[operator]


@pytest.mark.parametrize("question", ["was the acceptance rate lower in the 2nd half of oct than the 1st half",
                                      "did acceptance go down between the 1st and 2nd half of october"])
def test_numbered_halves_of_a_month_are_compared(fresh: Session, question: str) -> None:
    rate = "round(sum(code_acceptance_activity_count)::DOUBLE / nullif(sum(code_generation_activity_count), 0), 4)"
    halves = [_value_over(fresh, rate, lo, hi)
              for lo, hi in (("2026-10-01", "2026-10-15"), ("2026-10-16", "2026-10-31"))]
    assert [r[1] for r in ask(fresh, question).rows] == halves


@pytest.mark.parametrize("question", ["was there a decline in chat users between september and october",
                                      "what is the difference in chat users between sept and oct"])
def test_between_two_months_is_a_comparison_of_the_two(fresh: Session, question: str) -> None:
    months = [_value_over(fresh, "count(DISTINCT user_id) FILTER (WHERE used_chat)", lo, hi)
              for lo, hi in (("2026-09-01", "2026-09-30"), ("2026-10-01", "2026-10-31"))]
    a = ask(fresh, question)
    assert [r[1] for r in a.rows] == months and a.rows[1][2] == months[1] - months[0]  # type: ignore[operator]


@pytest.mark.parametrize("question", ["were there fewer cli sessions in november than in october",
                                      "by how much did cli sessions change between october and november"])
def test_a_comparative_or_by_how_much_across_two_months_is_the_change(fresh: Session, question: str) -> None:
    months = [_value_over(fresh, "sum(cli_session_count)", lo, hi)
              for lo, hi in (("2026-10-01", "2026-10-31"), ("2026-11-01", "2026-11-07"))]
    a = ask(fresh, question)
    assert [r[1] for r in a.rows] == months and a.rows[1][2] == months[1] - months[0]  # type: ignore[operator]


def test_the_difference_in_a_measure_between_two_values_or_people(fresh: Session) -> None:
    total = ("SELECT sum(loc_added_sum) FROM user_daily_by_language_feature WHERE day BETWEEN DATE '2026-10-01' "
             "AND DATE '2026-10-31' AND language = ")
    py, go = one(fresh, total + "'python'"), one(fresh, total + "'go'")
    assert ask(fresh, "the gap in lines added between python and go last month").rows == [(py, go, py - go)]
    rate = ("SELECT round(sum(code_acceptance_activity_count)::DOUBLE / nullif(sum(code_generation_activity_count), "
            f"0), 4) FROM user_daily_by_ide WHERE {WINDOW} AND ide = ")
    vs, jb = one(fresh, rate + "'vscode'"), one(fresh, rate + "'jetbrains'")
    assert ask(fresh, "difference in acceptance rate, vscode vs jetbrains").rows == [(vs, jb, round(vs - jb, 4))]


@pytest.mark.parametrize("question", ["how did cli sessions over the past 14 days compare with the 14 days before",
                                      "How do CLI sessions in the last 14 days compare to the 14 days before that?"])
def test_how_did_a_measure_compare_with_the_days_before_labels_both_periods(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    sessions = [_value_over(fresh, "sum(cli_session_count)", lo, hi)
                for lo, hi in (("2026-10-11", "2026-10-24"), ("2026-10-25", "2026-11-07"))]
    assert a.rows == [("last 14 days", sessions[1], sessions[1] - sessions[0]),  # type: ignore[operator]
                      ("previous 14 days", sessions[0], None)]  # as named; the change from the earlier


@pytest.mark.parametrize("question", ["For October, how many code suggestions were offered, and how many got accepted?",
                                      "in the month of october how many suggestions were generated as well as "
                                      "accepted"])
def test_two_measures_asked_together_are_both_answered(fresh: Session, question: str) -> None:
    expected = rows(fresh, "SELECT sum(code_generation_activity_count), sum(code_acceptance_activity_count) FROM "
                           "user_daily WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'")
    assert ask(fresh, question).rows == expected
    one_measure = ask(fresh, "how many suggestions were accepted in october")  # the noun is the verb's object
    assert one_measure.rows == [(expected[0][1],)]


def test_two_measures_asked_together_in_a_breakdown(fresh: Session) -> None:
    a = ask(fresh, "acceptances along with suggestions by ide for the last week")
    expected = rows(fresh, "SELECT ide, sum(code_acceptance_activity_count), sum(code_generation_activity_count) FROM "
                           f"user_daily_by_ide WHERE {LAST_WEEK} GROUP BY 1")
    assert sorted(a.rows) == sorted(expected)


def test_cli_requests_and_prompts_are_measures(fresh: Session) -> None:
    a = ask(fresh, "how many cli requests were made over the last 2 weeks")
    assert a.rows == [(_value_over(fresh, "sum(cli_request_count)", "2026-10-25", "2026-11-07"),)]
    b = ask(fresh, "how many CLI prompts were submitted in October")
    assert b.rows == [(_value_over(fresh, "sum(cli_prompt_count)", "2026-10-01", "2026-10-31"),)]
    with pytest.raises(CannotAnswer, match="per user and day only"):
        ask(fresh, "cli requests by ide")


def _feature_total(session: Session, feature: str, lo: str, hi: str) -> object:
    return one(session, "SELECT sum(user_initiated_interaction_count) FROM user_daily_by_feature WHERE feature "
                        f"{feature} AND day BETWEEN DATE '{lo}' AND DATE '{hi}'")


def test_a_mode_named_in_the_chat_panel_is_that_feature(fresh: Session) -> None:
    a = ask(fresh, "of every prompt sent in october, what percent went to ask mode in the chat panel")
    part = _feature_total(fresh, "= 'chat_panel_ask_mode'", "2026-10-01", "2026-10-31")
    whole = _value_over(fresh, "sum(user_initiated_interaction_count)", "2026-10-01", "2026-10-31")
    assert a.rows == [(part, whole, round(part / whole, 4))]  # type: ignore[operator]
    b = ask(fresh, "how many prompts went to the chat panel last week")
    assert b.rows == [(_feature_total(fresh, "LIKE 'chat_panel_%'", "2026-11-01", "2026-11-07"),)]


def test_a_share_within_the_chat_panel_is_over_the_chat_panel(fresh: Session) -> None:
    a = ask(fresh, "of the chat panel prompts last month, what fraction were in agent mode")
    part = _feature_total(fresh, "= 'chat_panel_agent_mode'", "2026-10-01", "2026-10-31")
    whole = _feature_total(fresh, "LIKE 'chat_panel_%'", "2026-10-01", "2026-10-31")
    assert a.rows == [(part, whole, round(part / whole, 4))]  # type: ignore[operator]


def test_a_daily_average_gives_the_rounded_and_the_exact_figure(fresh: Session) -> None:
    a = ask(fresh, "roughly what was the mean number of daily active users across october")
    exact = one(fresh, "SELECT avg(n) FROM (SELECT day, count(DISTINCT user_id) AS n FROM user_daily WHERE day "
                       "BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY day)")
    assert a.rows == [(round(exact, 2), round(exact, 4))]  # type: ignore[call-overload]


def test_how_asking_for_a_manner_is_not_read_as_a_change(fresh: Session) -> None:
    a = ask(fresh, "how are we doing with copilot for vscode users")  # a summary of several measures, not one count
    assert len(a.columns) > 2


def test_a_difference_asked_but_not_computed_is_refused(fresh: Session) -> None:
    from assistant.offline import reader

    question = "how many more lines did nzhang add than raj-kim last month"
    no_difference = "SELECT user_login, sum(loc_added_sum) FROM user_daily GROUP BY 1"
    assert "a difference was asked for" in (reader.unhonoured(question, no_difference, fresh.context()) or "")
    # the reader itself reads 'lines ... add' as lines added, and computes the difference
    a, b = (one(fresh, f"SELECT sum(loc_added_sum) FROM user_daily WHERE user_login = '{u}' AND day BETWEEN "
                       "DATE '2026-10-01' AND DATE '2026-10-31'") for u in ("nzhang", "raj-kim"))
    assert ask(fresh, question).rows == [(a, b, a - b)]  # type: ignore[operator]


def test_alone_about_people_is_exclusivity_kept_or_refused(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="'only' limits"):
        ask(fresh, "which devs used chat alone last week")


@pytest.mark.parametrize("question", ["what kinds of things do devs ask copilot about", "the most common prompts",
                                      "show me all of nzhang's conversations"])
def test_prompt_topics_and_conversations_are_refused_as_not_in_the_exports(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="counts only"):
        ask(fresh, question)


# --- seats, teams and rosters (issue 11, points 5 and 6) ----------------------------------------------
@pytest.mark.parametrize(
    ("question", "sql", "ordered"),
    [
        ("who got a licence via the web-frontend team",
         "SELECT login FROM seats WHERE assigning_team_slug = 'web-frontend'", False),
        ("how many licences were handed out through the data-science team",
         "SELECT count(*) FROM seats WHERE assigning_team_slug = 'data-science'", False),
        ("which team gave out the fewest seats", "SELECT assigning_team_slug, count(*) AS n FROM seats WHERE "
         "assigning_team_slug IS NOT NULL GROUP BY 1 ORDER BY n, 1 LIMIT 1", True),
        ("top 3 teams by seats granted", "SELECT assigning_team_slug, count(*) AS n FROM seats WHERE "
         "assigning_team_slug IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3", True),
        ("seat count per assigning team", "SELECT assigning_team_slug, count(*) FROM seats GROUP BY 1", False),
        ("how many seats are on the enterprise plan", "SELECT count(*) FROM seats WHERE plan_type = 'enterprise'",
         False),
    ],
)
def test_seats_through_a_team_per_team_and_on_a_plan(fresh: Session, question: str, sql: str, ordered: bool) -> None:
    assert same_values(fresh, ask(fresh, question), sql, ordered=ordered)


def test_a_plan_named_is_a_filter_not_a_ranking(fresh: Session) -> None:
    """'business' is a plan type, not a typo of 'busiest': no seat is on it in the sample, so none is listed."""
    assert ask(fresh, "which seats are on the business plan").rows == []


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("when was vhaddad given his seat", "created_at"),
        ("what team assigned ecohen's licence", "assigning_team_slug"),
        ("as per the seat listing, what editor did smurphy last use", "last_activity_editor"),
    ],
)
def test_one_persons_seat_attribute_named_by_a_noun(fresh: Session, question: str, column: str) -> None:
    login = next(w for w in ("vhaddad", "ecohen", "smurphy") if w in question)
    assert same_values(fresh, ask(fresh, question), f"SELECT {column} FROM seats WHERE login = '{login}'")


def test_seats_filtered_by_the_editor_of_their_last_activity(fresh: Session) -> None:
    a = ask(fresh, "seats with eclipse as their last editor")
    assert same_values(fresh, a, "SELECT login FROM seats WHERE last_activity_editor ILIKE 'eclipse%'")
    b = ask(fresh, "count of seats whose last activity editor is vscode")
    assert b.rows[0][0] == one(fresh, "SELECT count(*) FROM seats WHERE last_activity_editor ILIKE 'vscode%'")
    c = ask(fresh, "what editor did each licence holder in acme-eng use for their last activity")
    assert same_values(fresh, c, "SELECT login, last_activity_editor FROM seats WHERE organization_login = 'acme-eng'")


def test_seat_holders_absent_from_the_usage_data_and_on_no_team(fresh: Session) -> None:
    a = ask(fresh, "list seat holders who never show up in the usage data")
    expected = rows(fresh, "SELECT login FROM seats WHERE user_id NOT IN (SELECT user_id FROM user_daily)")
    assert expected and first_column(a) == sorted(r[0] for r in expected)
    b = ask(fresh, "which licence holders aren't on a team")
    expected = rows(fresh, "SELECT login FROM seats WHERE user_id NOT IN (SELECT user_id FROM team_membership)")
    assert expected and first_column(b) == sorted(r[0] for r in expected)


def test_seat_holders_active_in_a_window_and_in_both_organizations(fresh: Session) -> None:
    a = ask(fresh, "how many seat holders were active in the last 14 days")
    assert a.rows[0][0] == one(fresh, "SELECT count(DISTINCT login) FROM seats WHERE user_id IN (SELECT user_id FROM "
                                      "user_daily WHERE day BETWEEN DATE '2026-10-25' AND DATE '2026-11-07')")
    past = ask(fresh, "how many seat holders used copilot in october")  # a past window: their rows in it
    assert past.rows[0][0] == one(fresh, "SELECT count(DISTINCT login) FROM seats WHERE user_id IN (SELECT user_id "
                                         "FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31')")
    share = ask(fresh, "what share of the assigned seats were active in the past 2 weeks")  # seat utilisation
    assert one(fresh, "SELECT round(count(*) FILTER (WHERE last_active_day >= DATE '2026-10-25')::DOUBLE / count(*), "
                      "4) FROM seat_usage") in share.rows[0]
    b = ask(fresh, "how many people have seats in both acme-labs and acme-eng")
    assert b.rows[0][0] == one(fresh, "SELECT count(*) FROM (SELECT login FROM seats GROUP BY 1 "
                                      "HAVING count(DISTINCT organization_login) = 2)")


def test_seat_sign_in_and_githubs_last_activity_against_a_date(fresh: Session) -> None:
    a = ask(fresh, "seats last signed in before oct 20, excluding those that never signed in")
    assert same_values(fresh, a, "SELECT login FROM seats WHERE last_authenticated_at < "
                                 "TIMESTAMPTZ '2026-10-20 00:00:00+00'")
    b = ask(fresh, "which seats have had no github activity since nov 2")
    assert same_values(fresh, b, "SELECT login FROM seats WHERE last_activity_at IS NULL OR last_activity_at < "
                                 "TIMESTAMPTZ '2026-11-02 00:00:00+00'")


def test_team_rosters_against_usage(fresh: Session) -> None:
    a = ask(fresh, "who on the platform-core team hasn't been active in the last 2 weeks")
    window = "day BETWEEN DATE '2026-10-25' AND DATE '2026-11-07'"
    assert same_values(fresh, a, f"SELECT user_login FROM team_membership WHERE team = 'platform-core' AND {window} "
                                 f"EXCEPT SELECT user_login FROM user_daily WHERE {window}")
    b = ask(fresh, "show all web-frontend members, even those who never used copilot")
    assert same_values(fresh, b, f"SELECT DISTINCT user_login FROM team_membership WHERE team = 'web-frontend' "
                                 f"AND {WINDOW}")
    c = ask(fresh, "which people on payments-api have used copilot at least once")  # no window: all the data
    expected = rows(fresh, "SELECT DISTINCT user_login FROM team_membership WHERE team = 'payments-api' "
                           "AND user_id IN (SELECT user_id FROM user_daily)")
    assert first_column(c) == sorted(r[0] for r in expected)


def test_people_on_several_teams_and_team_sizes_on_a_date(fresh: Session) -> None:
    # over the default window's rosters (three writers of fresh sets read it so); 'right now' is the latest day
    several = f"SELECT user_login FROM team_membership WHERE {WINDOW} GROUP BY 1 HAVING count(DISTINCT team) > 1"
    assert same_values(fresh, ask(fresh, "who belongs to more than one team"), several)
    assert ask(fresh, "how many devs are on 2+ teams").rows[0][0] == len(rows(fresh, several))
    now = ("SELECT user_login FROM team_membership WHERE day = (SELECT max(day) FROM team_membership) "
           "GROUP BY 1 HAVING count(DISTINCT team) > 1")
    assert ask(fresh, "how many devs are on 2 teams right now").rows[0][0] == len(rows(fresh, now))
    c = ask(fresh, "how big were the teams as of october 20")
    assert same_values(fresh, c, "SELECT team, count(DISTINCT user_id) FROM team_membership "
                                 "WHERE day = DATE '2026-10-20' GROUP BY 1")


def test_a_teams_active_share_counts_members_who_never_used_copilot(fresh: Session) -> None:
    a = ask(fresh, "what percent of the payments-api team was active in october")
    rate = one(fresh, "SELECT round(count(DISTINCT m.user_id) FILTER (WHERE u.user_id IS NOT NULL)::DOUBLE / "
                      "count(DISTINCT m.user_id), 4) FROM team_membership m LEFT JOIN user_daily u ON "
                      "u.user_id = m.user_id AND u.day = m.day WHERE m.team = 'payments-api' AND "
                      "m.day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'")
    assert rate < 1 and rate in a.rows[0]


def test_team_sizes_ranked_and_seat_holders_on_a_teams_roster(fresh: Session) -> None:
    a = ask(fresh, "smallest team as of oct 1")
    assert same_values(fresh, a, "SELECT team, count(DISTINCT user_id) AS n FROM team_membership WHERE "
                                 "day = DATE '2026-10-01' GROUP BY 1 ORDER BY n, 1 LIMIT 1", ordered=True)
    b = ask(fresh, "which licences belong to people on the web-frontend team")
    assert same_values(fresh, b, "SELECT login FROM seats WHERE user_id IN (SELECT user_id FROM team_membership "
                                 "WHERE team = 'web-frontend' AND day = (SELECT max(day) FROM team_membership))")
    c = ask(fresh, "which seats were not assigned through any team")
    assert same_values(fresh, c, "SELECT login FROM seats WHERE assigning_team_slug IS NULL")


def test_people_using_copilot_without_a_seat_are_people_not_seats(fresh: Session) -> None:
    """'who uses copilot but has no seat' lists users the seat list lacks, never the seats nobody used."""
    a = ask(fresh, "who has used copilot but has no seat, in all the data")
    assert first_column(a) == sorted(r[0] for r in rows(fresh, "SELECT DISTINCT user_login FROM user_daily WHERE "
                                                               "user_login NOT IN (SELECT login FROM seats)"))
    b = ask(fresh, "members of mobile-apps without a licence")  # a seat held, used or not, is a seat
    assert b.rows == []


def test_an_attribute_with_their_is_shown_not_grouped(fresh: Session) -> None:
    a = ask(fresh, "list the acme-labs seats with their plan")
    assert same_values(fresh, a, "SELECT login, plan_type FROM seats WHERE organization_login = 'acme-labs'")
    b = ask(fresh, "seat holders and their assigning team")
    assert same_values(fresh, b, "SELECT login, assigning_team_slug FROM seats")


def test_two_values_of_one_seat_attribute_are_either_of_them(fresh: Session) -> None:
    """A seat has one organization and one assigning team: 'in acme-eng and acme-labs' is never an empty 'both'."""
    a = ask(fresh, "how many licences in acme-labs and acme-eng")
    assert a.rows[0][0] == one(fresh, "SELECT count(*) FROM seats WHERE organization_login IN "
                                      "('acme-eng', 'acme-labs')")
    b = ask(fresh, "how many seats came thru mobile-apps or data-science")
    assert b.rows[0][0] == one(fresh, "SELECT count(*) FROM seats WHERE assigning_team_slug IN "
                                      "('mobile-apps', 'data-science')")


def test_a_persons_teams_come_from_the_roster(fresh: Session) -> None:
    a = ask(fresh, "what teams does saras belong to")
    assert first_column(a) == sorted(r[0] for r in rows(fresh, "SELECT DISTINCT team FROM team_membership WHERE "
                                                               "user_login = 'saras' AND day = DATE '2026-11-07'"))
    assert len(a.rows) == 2


def test_seats_with_no_team_and_seat_conditions_said_in_words(fresh: Session) -> None:
    a = ask(fresh, "how many seats have no team")  # the seat's own team: the one that assigned it
    assert a.rows[0][0] == one(fresh, "SELECT count(*) FROM seats WHERE assigning_team_slug IS NULL")
    b = ask(fresh, "seat holders not in any team")  # people: on no team's roster
    assert "any team's roster" in (b.interpretation or "") and "SELECT" not in (b.interpretation or "")
    c = ask(fresh, "which seats were assigned through payments-api last month")
    assert "assigned from 2026-10-01 to 2026-10-31" in (c.interpretation or "")


def test_the_share_of_a_team_who_never_used_copilot_and_the_roster_noun(fresh: Session) -> None:
    a = ask(fresh, "what fraction of the mobile-apps members have never used copilot")
    members = rows(fresh, "SELECT DISTINCT user_id FROM team_membership WHERE team = 'mobile-apps'")
    never = rows(fresh, "SELECT DISTINCT user_id FROM team_membership WHERE team = 'mobile-apps' AND user_id NOT IN "
                        "(SELECT user_id FROM user_daily)")
    assert never and round(len(never) / len(members), 4) in a.rows[0]
    b = ask(fresh, "show me the data-science team roster")
    assert same_values(fresh, b, f"SELECT DISTINCT user_login FROM team_membership WHERE team = 'data-science' "
                                 f"AND {WINDOW}")


def test_a_breakdown_named_after_a_seat_question_is_kept_or_refused(fresh: Session) -> None:
    """'... by team' is never dropped: seats per assigning team, seats listed with their team, or a refusal."""
    a = ask(fresh, "how many seats came thru platform-core by team")
    assert same_values(fresh, a, "SELECT assigning_team_slug, count(*) FROM seats "
                                 "WHERE assigning_team_slug = 'platform-core' GROUP BY 1")
    b = ask(fresh, "who has a seat but never used it by team")
    assert "assigning_team_slug" in b.columns
    for question in ("how many people have a copilot seat by team", "seat utilization by team",
                     "last activity editor on raj-kim's seat by team", "newest seat - who got it by team"):
        with pytest.raises(CannotAnswer):
            ask(fresh, question)


def test_right_now_on_a_roster_is_the_latest_roster_day(fresh: Session) -> None:
    a = ask(fresh, "which team has the most members right now")
    assert same_values(fresh, a, "SELECT team, count(DISTINCT user_id) AS n FROM team_membership WHERE day = "
                                 "(SELECT max(day) FROM team_membership) GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1",
                       ordered=True)
    b = ask(fresh, "how many people on the payments-api team used copilot by team")  # 'by team' kept
    assert "team" in b.columns[0]


def test_githubs_last_activity_before_a_day_and_two_or_more_teams(fresh: Session) -> None:
    a = ask(fresh, "seats whose github last activity is before oct 10")
    assert same_values(fresh, a, "SELECT login FROM seats WHERE last_activity_at < "
                                 "TIMESTAMPTZ '2026-10-10 00:00:00+00'")
    b = ask(fresh, "how many people are on two or more teams")
    assert b.rows[0][0] == len(rows(fresh, f"SELECT user_id FROM team_membership WHERE {WINDOW} "
                                           "GROUP BY 1 HAVING count(DISTINCT team) >= 2"))
# --- dates, windows, people and set logic (heldout5-7 failures, reworded) --------------------------
def test_numeric_dates_are_month_first_unless_one_can_only_be_day_first(fresh: Session) -> None:
    a = ask(fresh, "prompts sent from 10/6 to 10/8")
    assert a.rows[0][0] == _value_over(fresh, "sum(user_initiated_interaction_count)", "2026-10-06", "2026-10-08")
    assert "month first" in (a.interpretation or "")
    b = ask(fresh, "acceptances between 28/10 and 2/11")  # 28 cannot be a month: both day first
    assert b.rows[0][0] == _value_over(fresh, "sum(code_acceptance_activity_count)", "2026-10-28", "2026-11-02")
    assert "day first" in (b.interpretation or "")


def test_a_series_for_each_week_from_a_day_runs_from_that_day_on(fresh: Session) -> None:
    a = ask(fresh, "lines added every week beginning thursday, oct 1")
    expected = rows(fresh, "SELECT date_trunc('week', day)::DATE, sum(loc_added_sum) FROM user_daily "
                           "WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-11-07' GROUP BY 1 ORDER BY 1")
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in expected] and len(expected) == 6
    b = ask(fresh, "mau for each month since sept 20")  # a span's figure grouped by its own span: active users
    expected = rows(fresh, "SELECT date_trunc('month', day)::DATE, count(DISTINCT user_id) FROM user_daily "
                           "WHERE day BETWEEN DATE '2026-09-20' AND DATE '2026-11-07' GROUP BY 1 ORDER BY 1")
    assert [tuple(r) for r in b.rows] == [tuple(r) for r in expected]


def test_users_who_used_a_feature_each_day_of_a_weekday_range(fresh: Session) -> None:
    a = ask(fresh, "how many devs used agent mode each day from tuesday, october 13 to thursday, october 15")
    expected = rows(fresh, "SELECT day, count(DISTINCT user_id) FILTER (WHERE used_agent) FROM user_daily "
                           "WHERE day BETWEEN DATE '2026-10-13' AND DATE '2026-10-15' GROUP BY 1 ORDER BY 1")
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in expected] and len(expected) == 3


def test_a_number_word_and_a_count_named_by_its_label_rank(fresh: Session) -> None:
    a = ask(fresh, "which four ides had the most code acceptances in october")
    expected = rows(fresh, "SELECT ide, sum(code_acceptance_activity_count) AS n FROM user_daily_by_ide "
                           "WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1 "
                           "ORDER BY n DESC, ide LIMIT 4")
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in expected]


@pytest.mark.parametrize("question, fn", [
    ("when did nzhang first show up", "min"),
    ("what's the earliest date hwagner was active", "min"),
    ("the last day that raj-kim was active on", "max"),
    ("weik's first active day", "min"),
])
def test_a_persons_first_or_last_active_day(fresh: Session, question: str, fn: str) -> None:
    login = next(w for w in ("nzhang", "hwagner", "raj-kim", "weik") if w in question)
    a = ask(fresh, question)
    assert a.rows[0][-1] == one(fresh, f"SELECT {fn}(day) FROM user_daily WHERE user_login = '{login}'")


def test_a_persons_first_active_day_within_a_window(fresh: Session) -> None:
    a = ask(fresh, "when was hwagner first active in october")
    assert a.rows[0][-1] == one(fresh, "SELECT min(day) FROM user_daily WHERE user_login = 'hwagner' "
                                       "AND day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'")


def test_ever_and_the_whole_data_set_are_all_the_data(fresh: Session) -> None:
    a = ask(fresh, "who has had over 40 cli sessions ever")
    expected = rows(fresh, "SELECT user_login FROM user_daily GROUP BY 1 HAVING sum(cli_session_count) > 40")
    assert expected and first_column(a) == sorted(r[0] for r in expected)
    b = ask(fresh, "which devs were active on fewer than 4 days across the entire data set")
    expected = rows(fresh, "SELECT user_login FROM user_daily GROUP BY 1 HAVING count(DISTINCT day) < 4")
    assert expected and first_column(b) == sorted(r[0] for r in expected)
    c = ask(fresh, "did anyone ever use the cli in october")  # a named period wins over 'ever'
    assert "2026-10-01" in c.sql


def test_days_missing_between_the_first_and_the_last_day(fresh: Session) -> None:
    a = ask(fresh, "number of days missing from the earliest to the latest date")
    assert a.rows[0][-1] == one(fresh, "SELECT (max(day) - min(day) + 1) - count(DISTINCT day) FROM user_daily")


def test_seat_holders_who_never_appear_in_the_usage_data(fresh: Session) -> None:
    a = ask(fresh, "which seat holders never show up in the data")
    expected = rows(fresh, "SELECT DISTINCT login FROM seat_usage WHERE first_active_day IS NULL")
    assert expected and sorted(set(first_column(a))) == sorted(r[0] for r in expected)
    never = ask(fresh, "how many seats has nobody ever used")  # never used anywhere: the seat report too
    assert never.rows[0][0] == one(fresh, "SELECT count(*) FROM seat_usage WHERE first_active_day IS NULL "
                                          "AND last_activity_at IS NULL")


@pytest.mark.parametrize("question", [
    "devs that stuck to just completions in the last 2 weeks",
    "only-autocomplete people past 14 days",
    "who used completions and nothing else over the last 2 weeks",
])
def test_exclusive_use_lists_the_people_whose_every_feature_row_is_it(fresh: Session, question: str) -> None:
    window = "day BETWEEN DATE '2026-10-25' AND DATE '2026-11-07'"
    expected = rows(fresh, f"SELECT DISTINCT user_login FROM user_daily_by_feature WHERE {window} EXCEPT SELECT "
                           f"DISTINCT user_login FROM user_daily_by_feature WHERE {window} "
                           "AND feature <> 'code_completion'")
    a = ask(fresh, question)
    assert expected and first_column(a) == sorted(r[0] for r in expected)


def test_how_many_use_only_one_feature_is_a_count(fresh: Session) -> None:
    a = ask(fresh, "how many people only used completions, no chat or agent, last 2 weeks")
    assert a.rows[0][0] == one(fresh, "SELECT count(*) FROM (SELECT user_login FROM user_daily_by_feature WHERE day "
                                      "BETWEEN DATE '2026-10-25' AND DATE '2026-11-07' GROUP BY 1 "
                                      "HAVING bool_and(feature = 'code_completion'))")


def test_never_used_a_flag_leaves_out_users_whose_flag_is_unknown(fresh: Session) -> None:
    unknown = one(fresh, "SELECT count(*) FROM (SELECT user_login FROM user_daily GROUP BY 1 "
                         "HAVING bool_or(used_cli) IS NULL)")
    assert unknown  # the sample holds users whose CLI flag is missing on every day
    a = ask(fresh, "people that have never touched the cli")
    expected = rows(fresh, "SELECT user_login FROM user_daily GROUP BY 1 HAVING NOT bool_or(used_cli)")
    assert first_column(a) == sorted(r[0] for r in expected)
    assert "unknown" in (a.interpretation or "")


def test_a_feature_but_not_another_in_the_same_window(fresh: Session) -> None:
    a = ask(fresh, "folks who chatted in the past 2 wks but didn't use agent mode during that period")
    expected = rows(fresh, "SELECT user_login FROM user_daily WHERE day BETWEEN DATE '2026-10-25' AND "
                           "DATE '2026-11-07' GROUP BY 1 HAVING bool_or(used_chat) AND NOT bool_or(used_agent)")
    assert expected and first_column(a) == sorted(r[0] for r in expected)


def test_active_in_one_window_but_not_in_the_same_length_just_before(fresh: Session) -> None:
    a = ask(fresh, "who was active over the past 14 days but not in the fourteen days before that")
    expected = rows(fresh, "SELECT user_login FROM user_daily GROUP BY 1 HAVING "
                           "bool_or(day BETWEEN DATE '2026-10-25' AND DATE '2026-11-07') AND "
                           "NOT bool_or(day BETWEEN DATE '2026-10-11' AND DATE '2026-10-24')")
    assert expected and first_column(a) == sorted(r[0] for r in expected)
    with pytest.raises(CannotAnswer):
        ask(fresh, "users not active in the 7 days before that")  # nothing named to count back from


def test_members_of_a_team_named_with_the_word_team_who_were_not_active(fresh: Session) -> None:
    a = ask(fresh, "which people in the payments-api team haven't been active over the past 4 weeks")
    window = "day BETWEEN DATE '2026-10-11' AND DATE '2026-11-07'"
    expected = rows(fresh, f"SELECT DISTINCT user_login FROM team_membership WHERE team = 'payments-api' AND {window} "
                           f"AND user_id NOT IN (SELECT user_id FROM user_daily WHERE {window})")
    assert expected and first_column(a) == sorted(r[0] for r in expected)
    b = ask(fresh, "members of payments-api with no activity anywhere in the data")
    expected = rows(fresh, "SELECT DISTINCT user_login FROM team_membership WHERE team = 'payments-api' AND day = "
                           "(SELECT max(day) FROM team_membership) AND user_id NOT IN (SELECT user_id FROM user_daily)")
    assert first_column(b) == sorted(r[0] for r in expected)


def test_more_date_forms_a_year_a_dash_range_and_before_a_month(fresh: Session) -> None:
    a = ask(fresh, "how many prompts on 10/20/2026")
    assert a.rows[0][0] == _value_over(fresh, "sum(user_initiated_interaction_count)", "2026-10-20", "2026-10-20")
    b = ask(fresh, "lines added 10/12 - 10/16")
    assert b.rows[0][0] == _value_over(fresh, "sum(loc_added_sum)", "2026-10-12", "2026-10-16")
    c = ask(fresh, "total acceptances before october")
    assert c.rows[0][0] == one(fresh, "SELECT sum(code_acceptance_activity_count) FROM user_daily "
                                      "WHERE day < DATE '2026-10-01'")
    d = ask(fresh, "when did tzhang-acme start using copilot")
    assert d.rows[0][-1] == one(fresh, "SELECT min(day) FROM user_daily WHERE user_login = 'tzhang-acme'")


@pytest.mark.parametrize("question", ["cli sessions oct 12-16", "cli sessions between october 12 and 16",
                                      "cli sessions from the 12th to the 16th of october"])
def test_a_range_that_names_its_month_once(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows[0][0] == _value_over(fresh, "sum(cli_session_count)", "2026-10-12", "2026-10-16")


@pytest.mark.parametrize("question", ["acceptances in the last 7 days vs the previous 7 days",
                                      "acceptances past 7 days compared with the 7 days prior",
                                      "acceptances over the last week vs the preceding seven days"])
def test_the_previous_n_days_after_a_window_are_the_n_days_before_it(fresh: Session, question: str) -> None:
    got = ask(fresh, question).rows  # in the order named
    assert [r[1] for r in got] == [_value_over(fresh, "sum(code_acceptance_activity_count)", lo, hi)
                                   for lo, hi in (("2026-11-01", "2026-11-07"), ("2026-10-25", "2026-10-31"))]
    b = ask(fresh, "acceptances in the previous 7 days")  # with no window before it: the last 7 days
    assert b.rows[0][0] == _value_over(fresh, "sum(code_acceptance_activity_count)", "2026-11-01", "2026-11-07")


def test_a_persons_last_active_weekend_day_keeps_the_weekend(fresh: Session) -> None:
    a = ask(fresh, "the last day raj-kim was active on weekends")
    assert a.rows[0][-1] == one(fresh, "SELECT max(day) FROM user_daily WHERE user_login = 'raj-kim' "
                                       "AND dayofweek(day) IN (0, 6)")


def test_words_that_do_not_fit_a_reading_are_not_dropped(fresh: Session) -> None:
    """A breakdown or weekday set on a coverage question, or 'which people' on a per-day count, is kept or refused."""
    for question in ("how many days are missing between the first and last day by team",
                     "which people used agent mode last week per day"):
        try:
            a = ask(fresh, question)
        except CannotAnswer:
            continue
        assert "team" in a.sql or "user_login" in a.sql, question


# --- after heldout8 was scored: coverage shapes, the data named as a whole, a named team's share ---------------
@pytest.mark.parametrize("question", ["which days, if any, are missing from the data",
                                      "show me the days that are missing, if any"])
def test_which_missing_days_lists_them_even_with_if_any(fresh: Session, question: str) -> None:
    answer = ask(fresh, question)
    expected = rows(fresh, "SELECT d::DATE FROM generate_series((SELECT min(day) FROM user_daily), (SELECT max(day) "
                           "FROM user_daily), INTERVAL 1 DAY) t(d) WHERE d::DATE NOT IN (SELECT day FROM user_daily)")
    assert answer.rows == expected and len(answer.columns) == 1


@pytest.mark.parametrize("question", ["how many days of user data are loaded", "number of days of usage data we have"])
def test_days_of_user_data_is_a_coverage_count(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows == [(one(fresh, "SELECT count(DISTINCT day) FROM user_daily"),)]


def test_a_named_teams_share_names_the_team(fresh: Session) -> None:
    team = one(fresh, "SELECT team FROM team_membership ORDER BY team LIMIT 1")
    answer = ask(fresh, f"what % of the {team} team used copilot last week")
    assert answer.rows[0][0] == team and answer.columns[0] == "team"


@pytest.mark.parametrize("question", ["how many PRs got created last month, and how many of them did copilot create",
                                      "pull requests created vs pull requests created by copilot in october"])
def test_a_pr_total_beside_copilots_share_of_it_keeps_both(fresh: Session, question: str) -> None:
    answer = ask(fresh, question)
    assert answer.rows == rows(fresh, "SELECT sum(pr_total_created), sum(pr_total_created_by_copilot) FROM "
                                      "entity_daily WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'")


def _pr_share(session: Session, part: str, whole: str, window: str) -> list[tuple]:
    return rows(session, f"SELECT sum({part}), sum({whole}), round(sum({part})::DOUBLE / nullif(sum({whole}), 0), 4) "
                         f"FROM entity_daily WHERE {window}")


def test_copilots_part_of_a_pr_figure_is_over_that_figure(fresh: Session) -> None:
    october = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    a = ask(fresh, "what fraction of the pull requests opened in october were opened by copilot")
    assert a.rows == _pr_share(fresh, "pr_total_created_by_copilot", "pr_total_created", october)
    b = ask(fresh, "what percent of PRs last month got reviewed by copilot")
    assert b.rows == _pr_share(fresh, "pr_total_reviewed_by_copilot", "pr_total_reviewed", october)
    c = ask(fresh, "of the PRs merged in october, what share were authored by copilot")
    assert c.rows == _pr_share(fresh, "pr_total_merged_created_by_copilot", "pr_total_merged", october)
    d = ask(fresh, "of the PRs copilot authored in october, what share got merged")
    assert d.rows == _pr_share(fresh, "pr_total_merged_created_by_copilot", "pr_total_created_by_copilot", october)


def test_active_but_then_inactive_seat_holders_are_not_read_as_just_inactive(fresh: Session) -> None:
    try:
        answer = ask(fresh, "seat holders who used copilot at some point but had no activity since oct 20")
    except CannotAnswer:
        return  # two conditions the seat rule does not compose: a refusal, never the inactive seats alone
    both = rows(fresh, "SELECT login FROM seat_usage WHERE first_active_day IS NOT NULL AND last_active_day < DATE "
                       "'2026-10-20'")
    assert sorted(first_column(answer)) == sorted(r[0] for r in both)


# --- how plain sentences are framed ----------------------------------------------------------------
@pytest.mark.parametrize("frame", ["I'd like to know", "Could you tell me", "We need to find out", "Can you please "
                                   "let me know", "For the record,", "Hi, I am trying to see", "I was wondering",
                                   "Would you be able to tell us", "Is it possible to see"])
def test_a_request_framed_around_a_question_gets_the_questions_answer(fresh: Session, frame: str) -> None:
    answer = ask(fresh, f"{frame} how many developers used Copilot in the last 7 days?")
    assert answer.rows == [(one(fresh, f"SELECT count(DISTINCT user_id) FROM user_daily WHERE {LAST_WEEK}"),)]


@pytest.mark.parametrize("question", ["Could you list the seats that are due to expire?",
                                      "I'd like a list of the seats set to end, with their end dates"])
def test_a_framed_list_request_keeps_its_shape(fresh: Session, question: str) -> None:
    answer = ask(fresh, question)
    expected = rows(fresh, "SELECT login, pending_cancellation_date FROM seats WHERE pending_cancellation_date "
                           "IS NOT NULL")
    assert sorted(first_column(answer)) == sorted(r[0] for r in expected)
    assert sorted(r[-1] for r in answer.rows) == sorted(r[1] for r in expected)


def test_a_framing_word_never_drops_a_negation(fresh: Session) -> None:
    answer = ask(fresh, "I need to know which seats were never used")
    never = rows(fresh, "SELECT login FROM seat_usage WHERE first_active_day IS NULL AND last_activity_at IS NULL")
    assert sorted(first_column(answer)) == sorted(r[0] for r in never)


def test_at_any_point_in_the_data_is_all_time(fresh: Session) -> None:
    answer = ask(fresh, "We want to see the total count of developers active at any point in the data we have.")
    assert answer.rows == [(one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily"),)]


@pytest.mark.parametrize("question", ["active users for every calendar month in our data",
                                      "Please give me the active users in each month the data covers"])
def test_each_month_of_the_data_is_the_series_over_all_of_it(fresh: Session, question: str) -> None:
    try:
        answer = ask(fresh, question)
    except CannotAnswer:
        pytest.skip("refused")  # a refusal is allowed; a default-window answer is not
    expected = rows(fresh, "SELECT date_trunc('month', day)::DATE, count(DISTINCT user_id) FROM user_daily "
                           "GROUP BY 1 ORDER BY 1")
    assert [tuple(r[:2]) for r in answer.rows] == expected


# --- seats as filters, groups and orderings --------------------------------------------------------
def test_seats_per_organization(fresh: Session) -> None:
    answer = ask(fresh, "I need to see how many Copilot licences each org has")
    assert sorted(answer.rows) == sorted(rows(fresh, "SELECT organization_login, count(*) FROM seats GROUP BY 1"))


def test_seats_per_organization_beside_the_pending_ones(fresh: Session) -> None:
    answer = ask(fresh, "how many seats per org, and how many of those are pending cancellation?")
    expected = rows(fresh, "SELECT organization_login, count(*), count(*) FILTER (WHERE pending_cancellation_date "
                           "IS NOT NULL) FROM seats GROUP BY 1")
    assert sorted(answer.rows) == sorted(expected)


def test_plan_types_within_one_organization(fresh: Session) -> None:
    org = one(fresh, "SELECT organization_login FROM seats ORDER BY 1 DESC LIMIT 1")
    answer = ask(fresh, f"Which plan types are the {org} seats on, and how many seats does each have?")
    assert sorted(answer.rows) == sorted(rows(fresh, f"SELECT plan_type, count(*) FROM seats WHERE "
                                                     f"organization_login = '{org}' GROUP BY 1"))


@pytest.mark.parametrize("question", ["the 4 seats held the longest", "which four seats were assigned the longest "
                                      "time ago", "list the 4 longest-standing seat assignments"])
def test_seats_assigned_the_longest_are_the_oldest_assignments(fresh: Session, question: str) -> None:
    try:
        answer = ask(fresh, question)
    except CannotAnswer:
        pytest.skip("refused")
    expected = rows(fresh, "SELECT login FROM seats ORDER BY created_at, login LIMIT 4")
    assert [r[0] for r in answer.rows] == [r[0] for r in expected]


def test_seats_per_assigning_team_leave_out_seats_no_team_assigned(fresh: Session) -> None:
    answer = ask(fresh, "Please provide the number of seats handed out by each assigning team.")
    assert sorted(answer.rows) == sorted(rows(fresh, "SELECT assigning_team_slug, count(*) FROM seats WHERE "
                                                     "assigning_team_slug IS NOT NULL GROUP BY 1"))
    assert "no team assigned are left out" in (answer.interpretation or "")


# --- GitHub's own figures and the data's coverage --------------------------------------------------
def test_the_enterprises_own_figure_on_a_day(fresh: Session) -> None:
    answer = ask(fresh, "According to the enterprise's own figures, what were the monthly active users on Nov 3?")
    assert answer.rows[0][-1] == one(fresh, "SELECT monthly_active_users FROM entity_daily WHERE day = DATE "
                                            "'2026-11-03'")


@pytest.mark.parametrize("question, sql", [
    ("Which is the latest day covered by the enterprise's daily totals?", "SELECT max(day) FROM entity_daily"),
    ("Could you tell me the earliest date the enterprise figures cover?", "SELECT min(day) FROM entity_daily"),
])
def test_the_first_or_last_day_of_the_enterprises_figures(fresh: Session, question: str, sql: str) -> None:
    answer = ask(fresh, question)
    assert answer.rows == [(one(fresh, sql),)]


@pytest.mark.parametrize("question", ["Were there days on which no usage was recorded at all? Please list them.",
                                      "which days in the data had no activity"])
def test_days_with_no_usage_recorded_are_the_missing_days(fresh: Session, question: str) -> None:
    answer = ask(fresh, question)
    assert answer.rows == rows(fresh, "SELECT d::DATE FROM range((SELECT min(day) FROM user_daily), (SELECT max(day) "
                                      "FROM user_daily) + 1, INTERVAL 1 DAY) t(d) WHERE d::DATE NOT IN (SELECT day "
                                      "FROM user_daily)")


def test_seats_assigned_by_a_team_are_the_teams_grants_not_its_roster(fresh: Session) -> None:
    team = one(fresh, "SELECT assigning_team_slug FROM seats WHERE assigning_team_slug IS NOT NULL ORDER BY 1 LIMIT 1")
    answer = ask(fresh, f"Which seats were handed out by the {team} team?")
    expected = rows(fresh, f"SELECT login FROM seats WHERE assigning_team_slug = '{team}'")
    assert sorted(first_column(answer)) == sorted(r[0] for r in expected)


@pytest.mark.parametrize("question", ["Which seats are scheduled to be cancelled?", "list the seats set to lapse",
                                      "seats that are going to be removed, and when"])
def test_seats_due_to_end_are_the_pending_cancellations(fresh: Session, question: str) -> None:
    answer = ask(fresh, question)
    expected = rows(fresh, "SELECT login FROM seats WHERE pending_cancellation_date IS NOT NULL")
    assert sorted(first_column(answer)) == sorted(r[0] for r in expected)


def test_the_seats_most_recently_assigned(fresh: Session) -> None:
    answer = ask(fresh, "Could you show me the three seats that were most recently assigned?")
    expected = rows(fresh, "SELECT login FROM seats ORDER BY created_at DESC, login LIMIT 3")
    assert [r[0] for r in answer.rows] == [r[0] for r in expected]


@pytest.mark.parametrize("question, direction", [("Please list the seats in order of assignment, oldest first.", ""),
                                                 ("seats sorted by when they were given out, newest first", "DESC")])
def test_a_sorted_seat_list_lists_every_seat_in_that_order(fresh: Session, question: str, direction: str) -> None:
    answer = ask(fresh, question)
    expected = rows(fresh, f"SELECT login FROM seats ORDER BY created_at {direction}, login")
    assert [r[0] for r in answer.rows] == [r[0] for r in expected]


@pytest.mark.parametrize("question, sql", [
    ("I would like to know when the data starts and ends.", "SELECT min(day), max(day) FROM user_daily"),
    ("On which day does our usage data begin?", "SELECT min(day) FROM user_daily"),
])
def test_when_the_data_starts_or_ends_is_its_first_or_last_day(fresh: Session, question: str, sql: str) -> None:
    assert ask(fresh, question).rows == rows(fresh, sql)


# --- dates, windows, set logic and people (heldout9's failures, worded afresh) ----------------------
@pytest.mark.parametrize("question", ["which person on the data-science team was active on the most days in october",
                                      "who in data-science used copilot the most days during october"])
def test_most_days_ranks_people_by_their_active_days(fresh: Session, question: str) -> None:
    answer = ask(fresh, question)
    top = rows(fresh, "SELECT u.user_login, count(DISTINCT u.day) AS n FROM user_daily u JOIN team_membership m ON "
                      "m.user_id = u.user_id AND m.day = u.day WHERE m.team = 'data-science' AND u.day BETWEEN DATE "
                      "'2026-10-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1")
    assert [tuple(r[:2]) for r in answer.rows] == top


@pytest.mark.parametrize("question", ["which date had the most users in october",
                                      "on what day were the most people using chat last month"])
def test_a_day_ranked_by_people_is_a_day(fresh: Session, question: str) -> None:
    flag = " FILTER (WHERE used_chat)" if "chat" in question else ""
    best = rows(fresh, f"SELECT day, count(DISTINCT user_id){flag} AS n FROM user_daily WHERE day BETWEEN DATE "
                       "'2026-10-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1")
    assert ask(fresh, question).rows == best


@pytest.mark.parametrize("question", ["on each day of the last week of october, how many devs were active",
                                      "Could you tell me, for every day of Oct 25-31, the number of active users?"])
def test_every_day_of_a_period_is_a_per_day_breakdown(fresh: Session, question: str) -> None:
    per_day = rows(fresh, "SELECT day, count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '2026-10-25' "
                          "AND DATE '2026-10-31' GROUP BY 1 ORDER BY 1")
    assert [tuple(r) for r in ask(fresh, question).rows] == per_day and len(per_day) == 7


def test_every_day_as_a_condition_is_still_refused(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "which devs were active every day of last week")


@pytest.mark.parametrize("question", ["prompts sent in every month of the data", "prompts by week across the data"])
def test_each_period_of_the_data_is_all_the_data(fresh: Session, question: str) -> None:
    unit = "month" if "month" in question else "week"
    whole = rows(fresh, f"SELECT date_trunc('{unit}', day)::DATE, sum(user_initiated_interaction_count) FROM "
                        "user_daily GROUP BY 1 ORDER BY 1")
    assert [tuple(r) for r in ask(fresh, question).rows] == whole


def test_a_team_named_data_is_no_all_time_word(fresh: Session) -> None:
    answer = ask(fresh, "how many prompts did all data-science members send last week")
    assert "2026-11-01" in answer.sql and "data-science" in answer.sql


@pytest.mark.parametrize("question", ["how many devs were active on saturdays and sundays last month",
                                      "how many people used copilot on a sunday or a saturday in october"])
def test_weekend_days_named_one_by_one_are_the_weekend(fresh: Session, question: str) -> None:
    expected = rows(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND "
                           "DATE '2026-10-31' AND dayofweek(day) IN (0, 6)")
    assert ask(fresh, question).rows == expected


_OCT_DAU_WEEKDAYS = ("SELECT day, count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '2026-10-16' AND "
                     "DATE '2026-10-31' AND dayofweek(day) {} (0, 6) GROUP BY day ORDER BY day")


@pytest.mark.parametrize("question", [
    "Please show the daily active users for the second half of October, leaving out Saturdays and Sundays.",
    "daily active users for the second half of october, excluding saturdays and sundays",
    "dau in the second half of october not counting sundays and saturdays",
])
def test_weekend_days_left_out_one_by_one_are_the_weekdays(fresh: Session, question: str) -> None:
    assert [tuple(r) for r in ask(fresh, question).rows] == rows(fresh, _OCT_DAU_WEEKDAYS.format("NOT IN"))


def test_weekend_days_named_without_leaving_them_out_stay_the_weekend(fresh: Session) -> None:
    a = ask(fresh, "daily active users for the second half of october on saturdays and sundays")
    assert [tuple(r) for r in a.rows] == rows(fresh, _OCT_DAU_WEEKDAYS.format("IN"))


def test_monday_to_friday_is_the_weekdays(fresh: Session) -> None:
    answer = ask(fresh, "how many prompts were sent monday to friday in october")
    assert answer.rows == rows(fresh, "SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE day BETWEEN "
                                      "DATE '2026-10-01' AND DATE '2026-10-31' AND dayofweek(day) NOT IN (0, 6)")


@pytest.mark.parametrize("question", ["list the engineers who used both intellij and vs code last month",
                                      "which people were on vs code and also on jetbrains in october"])
def test_both_of_two_ides_by_their_everyday_names(fresh: Session, question: str) -> None:
    both = rows(fresh, "SELECT user_login FROM user_daily_by_ide WHERE day BETWEEN DATE '2026-10-01' AND DATE "
                       "'2026-10-31' GROUP BY 1 HAVING bool_or(ide = 'vscode') AND bool_or(ide = 'jetbrains')")
    assert first_column(ask(fresh, question)) == sorted(r[0] for r in both) and both


@pytest.mark.parametrize("question", ["copilot cli sessions for each developer in october",
                                      "break down cli sessions by person, october"])
def test_copilot_cli_sessions_per_user_names_the_measure_once(fresh: Session, question: str) -> None:
    answer = ask(fresh, question)
    per_user = rows(fresh, "SELECT user_login, sum(cli_session_count) FROM user_daily WHERE day BETWEEN DATE "
                           "'2026-10-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY 1")
    assert sorted(tuple(r[:2]) for r in answer.rows) == per_user


@pytest.mark.parametrize("question", ["Could you send me the list of developers who opened at least 10 CLI sessions "
                                      "in October?", "engineers with 10 or more copilot cli sessions during october"])
def test_people_over_a_bound_on_their_own_total(fresh: Session, question: str) -> None:
    over = rows(fresh, "SELECT user_login, sum(cli_session_count) FROM user_daily WHERE day BETWEEN DATE '2026-10-01' "
                       "AND DATE '2026-10-31' GROUP BY 1 HAVING sum(cli_session_count) >= 10 ORDER BY 1")
    assert sorted(tuple(r[:2]) for r in ask(fresh, question).rows) == over and over


def test_a_bound_after_accepted_is_on_the_accepted_suggestions(fresh: Session) -> None:
    answer = ask(fresh, "list the people that accepted over 100 suggestions in october")
    over = rows(fresh, "SELECT user_login FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' "
                       "GROUP BY 1 HAVING sum(code_acceptance_activity_count) > 100")
    assert first_column(answer) == sorted(r[0] for r in over)


def test_how_many_people_over_a_bound_is_one_number(fresh: Session) -> None:
    answer = ask(fresh, "how many developers sent more than 200 prompts in october")
    assert answer.rows == rows(fresh, "SELECT count(*) FROM (SELECT user_login FROM user_daily WHERE day BETWEEN DATE "
                                      "'2026-10-01' AND DATE '2026-10-31' GROUP BY 1 HAVING "
                                      "sum(user_initiated_interaction_count) > 200)")


@pytest.mark.parametrize("question", ["Which people used Copilot in October but had no IDE activity at all in October?",
                                      "how many devs were active last month without any language activity"])
def test_active_without_any_rows_of_a_breakdown(fresh: Session, question: str) -> None:
    table = "user_daily_by_ide" if "IDE" in question else "user_daily_by_language_feature"
    missing = rows(fresh, "SELECT DISTINCT user_login FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND DATE "
                          f"'2026-10-31' AND user_id NOT IN (SELECT user_id FROM {table} WHERE day BETWEEN DATE "
                          "'2026-10-01' AND DATE '2026-10-31')")
    answer = ask(fresh, question)
    got = answer.rows[0][0] if question.startswith("how many") else first_column(answer)
    assert got == (len(missing) if question.startswith("how many") else sorted(r[0] for r in missing))


@pytest.mark.parametrize("question", ["how many developers have ever touched copilot at any point in the data we have",
                                      "number of unique people with any activity at any time"])
def test_at_any_point_is_all_the_data(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows == [(one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily"),)]


def test_each_calendar_month_the_data_covers(fresh: Session) -> None:
    answer = ask(fresh, "prompts for every calendar month that the data covers")
    assert [tuple(r) for r in answer.rows] == rows(fresh, "SELECT date_trunc('month', day)::DATE, "
                                                          "sum(user_initiated_interaction_count) FROM user_daily "
                                                          "GROUP BY 1 ORDER BY 1")


def prompts_in(session: Session, *windows: tuple[str, str]) -> list[object]:
    """The prompts sent in each window (first day, last day), in order."""
    return [one(session, f"SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE day BETWEEN DATE '{a}' "
                         f"AND DATE '{b}'") for a, b in windows]


def test_numbered_halves_of_a_month_are_two_windows(fresh: Session) -> None:
    answer = ask(fresh, "did prompts drop from the 1st half to the 2nd half of october")
    assert [r[1] for r in answer.rows] == prompts_in(fresh, ("2026-10-01", "2026-10-15"), ("2026-10-16", "2026-10-31"))


def test_monday_to_sunday_weeks_are_weeks(fresh: Session) -> None:
    answer = ask(fresh, "active users per Monday-to-Sunday week from Oct 12 to Nov 1")
    weeks = rows(fresh, "SELECT date_trunc('week', day)::DATE, count(DISTINCT user_id) FROM user_daily WHERE day "
                        "BETWEEN DATE '2026-10-12' AND DATE '2026-11-01' GROUP BY 1 ORDER BY 1")
    assert [tuple(r) for r in answer.rows] == weeks


def test_how_did_a_measure_compare_is_the_comparison(fresh: Session) -> None:
    answer = ask(fresh, "How did prompts in the past 14 days compare to the 14 days before that?")
    assert [r[1] for r in answer.rows] == prompts_in(fresh, ("2026-10-25", "2026-11-07"), ("2026-10-11", "2026-10-24"))


def test_if_there_are_any_around_a_listing_is_filler(fresh: Session) -> None:
    answer = ask(fresh, "Please list anyone who used JetBrains but never VS Code during October, if there were any.")
    only = rows(fresh, "SELECT user_login FROM user_daily_by_ide WHERE day BETWEEN DATE '2026-10-01' AND DATE "
                       "'2026-10-31' GROUP BY 1 HAVING bool_or(ide = 'jetbrains') AND NOT bool_or(ide = 'vscode')")
    assert first_column(answer) == sorted(r[0] for r in only)


# --- measures by team and for a named team (the compositional reader's, from the day-by-day roster) ---------------
TEAM_JOIN = "(SELECT f.*, m.team FROM user_daily f JOIN team_membership m ON m.user_id = f.user_id AND m.day = f.day)"


def test_a_measure_per_team_and_a_named_teams_total(fresh: Session) -> None:
    per_team = ask(fresh, "code acceptances per squad in october")
    expected = rows(fresh, f"SELECT team, sum(code_acceptance_activity_count) FROM {TEAM_JOIN} "
                           "WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY 2 DESC")
    assert per_team.rows == expected and len(expected) == 5
    named = ask(fresh, "give me the acceptance rate of the mobile-apps team")
    rate = one(fresh, f"SELECT round(sum(code_acceptance_activity_count)::DOUBLE / sum(code_generation_activity_count)"
                      f", 4) FROM {TEAM_JOIN} WHERE team = 'mobile-apps' AND {WINDOW}")
    assert named.rows == [(rate,)]


def test_a_teams_members_total_is_the_teams_not_each_members(fresh: Session) -> None:
    a = ask(fresh, "lines added by members of the platform-core team last week")
    assert a.rows == [(one(fresh, f"SELECT sum(loc_added_sum) FROM {TEAM_JOIN} WHERE team = 'platform-core' "
                                  f"AND {LAST_WEEK}"),)]


def test_the_top_teams_by_a_measure_and_one_place(fresh: Session) -> None:
    top = ask(fresh, "top two teams by suggestions shown")
    expected = rows(fresh, f"SELECT team, sum(code_generation_activity_count) FROM {TEAM_JOIN} WHERE {WINDOW} "
                           "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2")
    assert top.rows == expected
    second = ask(fresh, "the team with the 2nd most active users in the past 7 days")
    assert second.rows == rows(fresh, f"SELECT team, count(DISTINCT user_id) FROM {TEAM_JOIN} WHERE {LAST_WEEK} "
                                      "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1 OFFSET 1")


def test_a_teams_adoption_stays_the_rosters_share(fresh: Session) -> None:
    a = ask(fresh, "lowest 2 squads by adoption")
    assert "team_adoption_rate" in a.sql and "members" in a.sql


@pytest.mark.parametrize("question", ["which editor had the poorest acceptance rate last month",
                                      "the worst ide for acceptance in october, please"])
def test_worst_and_poorest_rank_a_ratio_from_the_bottom(fresh: Session, question: str) -> None:
    window = "'2026-10-01' AND DATE '2026-10-31'"
    expected = rows(fresh, "SELECT ide, round(sum(code_acceptance_activity_count)::DOUBLE / "
                           f"nullif(sum(code_generation_activity_count), 0), 4) AS r FROM user_daily_by_ide WHERE day "
                           f"BETWEEN DATE {window} GROUP BY 1 ORDER BY r ASC NULLS LAST, 1 LIMIT 1")
    assert ask(fresh, question).rows == expected


def test_best_by_team_is_the_breakdown_sorted_and_the_best_person_is_a_judgement(fresh: Session) -> None:
    a = ask(fresh, "best acceptance rate per squad")
    assert [r[0] for r in a.rows] == [r[0] for r in rows(
        fresh, "SELECT team, sum(code_acceptance_activity_count)::DOUBLE / sum(code_generation_activity_count) FROM "
               f"{TEAM_JOIN} WHERE {WINDOW} GROUP BY 1 ORDER BY 2 DESC, 1")] and len(a.rows) == 5
    with pytest.raises(CannotAnswer, match="productivity"):
        ask(fresh, "who is our best developer")


# --- a measure on some days of the week, and one person's ratio or active days -------------------------------------
def test_a_measure_keeps_the_days_of_the_week_asked_for(fresh: Session) -> None:
    weekend = ask(fresh, "code acceptances on weekends only, past 2 weeks")
    window = "day BETWEEN DATE '2026-10-25' AND DATE '2026-11-07'"
    assert weekend.rows == [(one(fresh, "SELECT sum(code_acceptance_activity_count) FROM user_daily WHERE "
                                        f"dayofweek(day) IN (0, 6) AND {window}"),)]
    tuesdays = ask(fresh, "prompts on tuesdays last month")
    assert tuesdays.rows == [(one(fresh, "SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE "
                                         "dayname(day) = 'Tuesday' AND day BETWEEN DATE '2026-10-01' AND "
                                         "DATE '2026-10-31'"),)]
    per_day = ask(fresh, "lines added per day, weekdays only, last week")
    assert per_day.rows == rows(fresh, "SELECT day, sum(loc_added_sum) FROM user_daily WHERE dayofweek(day) NOT IN "
                                       f"(0, 6) AND {LAST_WEEK} GROUP BY 1 ORDER BY 1")


def test_one_persons_acceptance_rate_and_active_days(fresh: Session) -> None:
    rate = ask(fresh, "what was nzhang acceptance rate in october")
    october = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    assert rate.rows == [(one(fresh, "SELECT round(sum(code_acceptance_activity_count)::DOUBLE / "
                                     "sum(code_generation_activity_count), 4) FROM user_daily WHERE "
                                     f"user_login = 'nzhang' AND {october}"),)]
    days = ask(fresh, "active days of raj-kim in october")
    assert days.rows == [(one(fresh, f"SELECT count(DISTINCT day) FROM user_daily WHERE user_login = 'raj-kim' "
                                     f"AND {october}"),)]


def test_weekly_or_monthly_active_users_is_the_series_also_for_a_team(fresh: Session) -> None:
    months = ask(fresh, "monthly active users since september")
    assert months.rows == rows(fresh, "SELECT date_trunc('month', day)::DATE, count(DISTINCT user_id) FROM user_daily "
                                      "WHERE day BETWEEN DATE '2026-09-01' AND DATE '2026-11-07' GROUP BY 1 ORDER BY 1")
    team = ask(fresh, "weekly active users for the payments-api squad")
    assert team.rows == rows(fresh, f"SELECT date_trunc('week', day)::DATE, count(DISTINCT user_id) FROM {TEAM_JOIN} "
                                    f"WHERE team = 'payments-api' AND {WINDOW} GROUP BY 1 ORDER BY 1")


def test_a_bound_on_users_is_not_read_as_a_bound_on_each_team(fresh: Session) -> None:
    a = ask(fresh, "people with over 15 active days, split by team")
    people = rows(fresh, f"SELECT user_login, team FROM {TEAM_JOIN} WHERE {WINDOW} GROUP BY 1, 2 "
                         "HAVING count(DISTINCT day) > 15")
    assert sorted((r[0], r[1]) for r in a.rows) == sorted(people) and people
    per_day = ask(fresh, "how many devs on the data-science team were active each day last week")
    assert per_day.rows == rows(fresh, f"SELECT day, count(DISTINCT user_id) FROM {TEAM_JOIN} WHERE team = "
                                       f"'data-science' AND {LAST_WEEK} GROUP BY 1 ORDER BY 1")


def test_people_asked_with_a_team_or_weekends_are_not_turned_into_a_total(fresh: Session) -> None:
    who = ask(fresh, "which devs accepted the most suggestions last week, by team")
    assert "user_login" in who.sql
    weekend = ask(fresh, "how many people sent at least one prompt last week on weekends")
    assert weekend.rows == [(one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE dayofweek(day) IN "
                                        f"(0, 6) AND {LAST_WEEK} AND user_initiated_interaction_count > 0"),)]
    counted = ask(fresh, "how many ppl used copilot on weekends in october")
    assert counted.rows == [(one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE dayofweek(day) IN "
                                        "(0, 6) AND day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),)]


def test_how_many_people_picked_a_model_on_weekends_is_no_ranking_of_people(fresh: Session) -> None:
    a = ask(fresh, "how many devs picked claude in october on weekends")
    assert a.rows == [(one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily_by_model_feature WHERE model LIKE "
                                  "'claude%' AND dayofweek(day) IN (0, 6) AND day BETWEEN DATE '2026-10-01' AND "
                                  "DATE '2026-10-31'"),)] and a.rows[0][0] > 0


def test_ever_on_weekends_is_all_the_data_on_weekends(fresh: Session) -> None:
    a = ask(fresh, "how many devs have ever used copilot on a weekend, across all the data we have")
    assert a.rows == [(one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE dayofweek(day) IN (0, 6)"),)]


# --- windows said without their article, and all of the data said in full -------------------------
@pytest.mark.parametrize("question", ["how many devs used copilot since start of oct",
                                      "number of people active since beginning of october"])
def test_since_the_start_of_a_month_without_the_article_runs_to_the_last_day(fresh: Session, question: str) -> None:
    expected = rows(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE day >= DATE '2026-10-01'")
    assert ask(fresh, question).rows == expected


@pytest.mark.parametrize("question", ["engaged users per month across all of the data",
                                      "monthly engaged users over the whole of our data, please"])
def test_all_of_the_data_said_in_full_is_all_the_data(fresh: Session, question: str) -> None:
    answer = ask(fresh, question)
    assert len(answer.rows) == len(rows(fresh, "SELECT DISTINCT date_trunc('month', day) FROM user_daily"))


# --- words that carry no content, by class (hedges, relation verbs, restating nouns), and ranking sizes in words ---
ACCEPTANCE = ("SELECT round(sum(code_acceptance_activity_count)::DOUBLE / sum(code_generation_activity_count), 4) "
              "FROM user_daily WHERE lower(user_login) = 'nzhang' AND day BETWEEN DATE '2026-10-01' AND "
              "DATE '2026-10-31'")


@pytest.mark.parametrize("question", [
    "what acceptance rate did nzhang attain in October?",
    "What acceptance rate did nzhang achieve during October, specifically?",
    "In October, which acceptance rate was produced by nzhang?",
])
def test_relation_verbs_and_hedges_do_not_block(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows[0][0] == one(fresh, ACCEPTANCE)


@pytest.mark.parametrize("question", [
    "How many lines of code were deleted in Python files last week?",
    "lines that copilot deleted in python files over the last week",
])
def test_a_noun_restating_the_language_does_not_block(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows[0][0] == one(fresh, f"SELECT sum(loc_deleted_sum) FROM user_daily_by_language_feature "
                                      f"WHERE language = 'python' AND {LAST_WEEK}")


@pytest.mark.parametrize("question", [
    "which three models had the most prompts in october",
    "the three top models by prompts in october",
])
def test_a_number_word_is_a_rankings_size(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, "SELECT model, sum(user_initiated_interaction_count) AS n FROM user_daily_by_model_feature "
                           "WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1 "
                           "ORDER BY n DESC, model LIMIT 3")
    assert [r[:2] for r in a.rows] == expected


def test_best_first_orders_the_whole_breakdown(fresh: Session) -> None:
    a = ask(fresh, "lines added per ide over the last week, smallest first")
    expected = rows(fresh, f"SELECT ide, sum(loc_added_sum) AS n FROM user_daily_by_ide WHERE {LAST_WEEK} "
                           "GROUP BY 1 ORDER BY n, ide")
    assert [r[:2] for r in a.rows] == expected


def test_at_some_point_during_a_window_stays_in_it(fresh: Session) -> None:
    a = ask(fresh, "which devs used jetbrains at some point during last week")
    expected = rows(fresh, f"SELECT DISTINCT user_login FROM user_daily_by_ide WHERE ide = 'jetbrains' AND {LAST_WEEK}")
    assert first_column(a) == sorted(r[0] for r in expected)


@pytest.mark.parametrize("question, word", [
    ("how many files did copilot touch last week", "files"),
    ("lines added per file last week", "file"),
    ("which users achieved 50 acceptances in october", "achieved"),
])
def test_a_word_that_changes_the_answer_still_blocks(fresh: Session, question: str, word: str) -> None:
    with pytest.raises(CannotAnswer) as e:
        ask(fresh, question)
    assert f"'{word}'" in str(e.value)


# --- GitHub's pull-request figures asked in full sentences, with the report named -------------------
@pytest.mark.parametrize("question", [
    "Going by the enterprise aggregate report, how many PRs did Copilot review over all of the days it covers?",
    "how many pull requests has copilot reviewed to date, as recorded in github's aggregate data"])
def test_a_pr_figure_with_its_report_named_is_that_figure(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows == [(one(fresh, "SELECT sum(pr_total_reviewed_by_copilot) FROM entity_daily"),)]


def test_the_time_to_merge_names_a_pull_request_figure_by_itself(fresh: Session) -> None:
    a = ask(fresh, "according to the aggregate report, what was the median merge time in minutes on october 29")
    assert a.rows[-1][-1] == one(fresh, "SELECT pr_median_minutes_to_merge FROM entity_daily "
                                        "WHERE day = DATE '2026-10-29'")


def test_prs_copilot_reviewed_that_were_merged_is_one_figure(fresh: Session) -> None:
    a = ask(fresh, "In September, how many of the pull requests that Copilot reviewed ended up merged?")
    assert a.rows == [(one(fresh, "SELECT sum(pr_total_merged_reviewed_by_copilot) FROM entity_daily WHERE day "
                                  "BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),)]


@pytest.mark.parametrize("question", ["PRs opened per day in the second half of october",
                                      "how many pull requests were created on each day of the second half of october"])
def test_a_pr_figure_per_day_is_a_series(fresh: Session, question: str) -> None:
    expected = rows(fresh, "SELECT day, sum(pr_total_created) FROM entity_daily WHERE day BETWEEN DATE '2026-10-16' "
                           "AND DATE '2026-10-31' GROUP BY 1 ORDER BY 1")
    assert [tuple(r) for r in ask(fresh, question).rows] == [tuple(r) for r in expected] and len(expected) > 1


@pytest.mark.parametrize("question", ["prs merged per week in october", "average pull requests merged per day"])
def test_a_pr_figure_over_another_period_or_averaged_is_refused_not_summed(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


# --- per-day series said in full, an average day, one person's days ---------------------------------
@pytest.mark.parametrize("question", ["what were the prompt counts for every one of the past four days?",
                                      "prompts sent on each of the last 4 days, please"])
def test_each_of_the_last_n_days_is_one_row_per_day(fresh: Session, question: str) -> None:
    expected = rows(fresh, "SELECT day, sum(user_initiated_interaction_count) FROM user_daily WHERE day BETWEEN "
                           "DATE '2026-11-04' AND DATE '2026-11-07' GROUP BY 1 ORDER BY 1")
    assert [tuple(r) for r in ask(fresh, question).rows] == [tuple(r) for r in expected] and len(expected) == 4


def test_each_weekday_of_a_month_lists_those_days(fresh: Session) -> None:
    a = ask(fresh, "I need the active user count for each Wednesday in October.")
    expected = rows(fresh, "SELECT day, count(DISTINCT user_id) FROM user_daily WHERE dayofweek(day) = 3 AND day "
                           "BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY 1")
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in expected] and len(expected) >= 4
    prs = ask(fresh, "pull requests merged on each thursday of october")
    assert [tuple(r) for r in prs.rows] == [tuple(r) for r in rows(
        fresh, "SELECT day, sum(pr_total_merged) FROM entity_daily WHERE dayofweek(day) = 4 AND day BETWEEN "
               "DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY 1")]


@pytest.mark.parametrize("question", ["How many developers use Copilot on a typical day in October?",
                                      "in october, on any given day, how many people were active"])
def test_an_average_day_is_the_mean_of_each_days_distinct_users(fresh: Session, question: str) -> None:
    expected = one(fresh, "SELECT avg(n) FROM (SELECT day, count(DISTINCT user_id) AS n FROM user_daily WHERE day "
                          "BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1)")
    assert ask(fresh, question).rows[0][-1] == round(expected, 4)  # type: ignore[call-overload]


def test_an_average_day_of_a_sum_and_of_a_rate(fresh: Session) -> None:
    a = ask(fresh, "how many lines get added on a normal day, over the last week")
    total, days = rows(fresh, f"SELECT sum(loc_added_sum), count(DISTINCT day) FROM user_daily WHERE {LAST_WEEK}")[0]
    assert a.rows[0][-1] == round(total / days, 4)
    with pytest.raises(CannotAnswer):  # a rate of a typical day is no one figure
        ask(fresh, "what is the acceptance rate on an average day")


@pytest.mark.parametrize("question", ["For how many days did nzhang use Copilot in October?",
                                      "the number of days on which nzhang was active during october"])
def test_how_many_days_a_person_was_active(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows == [(one(fresh, "SELECT count(DISTINCT day) FROM user_daily WHERE "
                                                     "lower(user_login) = 'nzhang' AND day BETWEEN "
                                                     "DATE '2026-10-01' AND DATE '2026-10-31'"),)]


def test_coverage_said_in_full_sentences(fresh: Session) -> None:
    p = ask(fresh, "Please tell me which days are marked as provisional, that is, GitHub could still update them.")
    assert first_column(p) == sorted(r[0] for r in rows(
        fresh, "SELECT DISTINCT day FROM user_daily WHERE day > (SELECT max(day) FROM user_daily) - INTERVAL 3 DAY"))
    m = ask(fresh, "How many days from the first to the last day of data have no rows of usage?")
    assert m.rows == [(0,)]


# --- the answer's shape follows the question (reader-8b) -------------------------------------------------------
THIS_MONTH = "day BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'"


@pytest.mark.parametrize("question", ["who's only using completions this month (no chat/agent/cli)",
                                      "which devs only used completions this month, no chat/cli"])
def test_a_slashed_list_after_a_negation_is_none_of_them(fresh: Session, question: str) -> None:
    expected = rows(fresh, f"SELECT user_login FROM user_daily_by_feature WHERE {THIS_MONTH} GROUP BY 1 "
                           "HAVING bool_and(feature = 'code_completion')")
    assert first_column(ask(fresh, question)) == sorted(r[0] for r in expected)
    a = ask(fresh, "users with no chat/cli use last week")
    assert first_column(a) == sorted(r[0] for r in rows(
        fresh, f"SELECT DISTINCT user_login FROM user_daily WHERE {LAST_WEEK} EXCEPT SELECT DISTINCT user_login "
               f"FROM user_daily WHERE {LAST_WEEK} AND (used_chat OR used_cli)"))


@pytest.mark.parametrize("question", ["vscode/jetbrains users last week", "prompts/day last week"])
def test_a_slashed_word_with_no_negation_stays_unknown(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):  # either, both, side by side, a rate: not said
        ask(fresh, question)


@pytest.mark.parametrize("question, days, start, least", [
    ("How many users were active on at least five of the seven days of last week?", 7, "2026-11-01", 5),
    ("how many devs used copilot on 4 or more of the 14 days of the past fortnight", 14, "2026-10-25", 4),
    ("how many people were active on at least 3 of the last 7 days", 7, "2026-11-01", 3),
])
def test_n_of_the_windows_days_bounds_active_days(fresh: Session, question: str, days: int, start: str,
                                                   least: int) -> None:
    expected = one(fresh, f"SELECT count(*) FROM (SELECT user_id FROM user_daily WHERE day BETWEEN DATE '{start}' AND "
                          f"DATE '2026-11-07' GROUP BY 1 HAVING count(DISTINCT day) >= {least})")
    assert ask(fresh, question).rows == [(expected,)]


@pytest.mark.parametrize("question", ["How many users were active on at least five of the six days of last week?",
                                      "how many people were active on 2 out of the last 3 days"])
def test_n_of_m_days_that_is_not_the_window_or_has_no_bound_is_refused(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


@pytest.mark.parametrize("question, flag, metric, window", [
    ("For the developers who used the CLI last week, how many CLI sessions did each of them start?", "used_cli",
     "cli_session_count", LAST_WEEK),
    ("For the people who used agent mode this month, how many interactions did each of them have?", "used_agent",
     "user_initiated_interaction_count", THIS_MONTH),
    ("the devs who used chat last week: how many lines added for each of them", "used_chat", "loc_added_sum",
     LAST_WEEK),
])
def test_each_of_them_is_a_row_per_person_of_the_group_named(fresh: Session, question: str, flag: str, metric: str,
                                                             window: str) -> None:
    expected = rows(fresh, f"SELECT user_login, sum({metric}) FROM user_daily WHERE {window} GROUP BY 1 "
                           f"HAVING bool_or({flag})")
    assert sorted(tuple(r) for r in ask(fresh, question).rows) == sorted(tuple(r) for r in expected)


@pytest.mark.parametrize("question", ["how many cli sessions did each of them start last week",
                                      "cli sessions for each cli user last week"])
def test_each_with_no_group_to_refer_to_is_never_a_total(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


@pytest.mark.parametrize("question, least", [("who's on 2 teams rn", 2), ("which devs are in 3 teams right now", 3)])
def test_on_n_teams_is_people_on_that_many_rosters(fresh: Session, question: str, least: int) -> None:
    expected = rows(fresh, "SELECT user_login FROM team_membership WHERE day = (SELECT max(day) FROM team_membership) "
                           f"GROUP BY 1 HAVING count(DISTINCT team) >= {least}")
    assert first_column(ask(fresh, question)) == sorted(r[0] for r in expected)
    n = ask(fresh, "how many people are on two teams")  # no 'right now': over the default window's rosters
    assert n.rows[0][0] == len(rows(fresh, f"SELECT user_login FROM team_membership WHERE {WINDOW} "
                                           "GROUP BY 1 HAVING count(DISTINCT team) >= 2"))


@pytest.mark.parametrize("question, metric, window", [
    ("What was the number of lines added by each team during the last week, with users on two teams counted in "
     "both?", "sum(u.loc_added_sum)", LAST_WEEK),
    ("acceptances per team this month, people on several teams counted in each",
     "sum(u.code_acceptance_activity_count)", THIS_MONTH),
    ("active users by team last week, with people on multiple teams counted in each of them",
     "count(DISTINCT u.user_id)", LAST_WEEK),
])
def test_counting_multi_team_people_in_each_team_restates_the_join(fresh: Session, question: str, metric: str,
                                                                   window: str) -> None:
    expected = rows(fresh, f"SELECT m.team, {metric} FROM user_daily u JOIN team_membership m ON m.user_id = u.user_id "
                           f"AND m.day = u.day WHERE u.{window} GROUP BY 1")
    assert sorted(tuple(r) for r in ask(fresh, question).rows) == sorted(tuple(r) for r in expected)


@pytest.mark.parametrize("question", ["lines added by each team last week, with users on two teams counted once",
                                      "lines added last week, with users on two teams counted in both"])
def test_another_way_of_counting_multi_team_people_is_refused(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


@pytest.mark.parametrize("question, login, edge, window", [
    ("On how many days was jdoe-contractor active in the data, and when was the last of those days?",
     "jdoe-contractor", "max", ""),
    ("how many days was lmartin active last month and when was his first day", "lmartin", "min",
     " AND day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("when was the last day raj-kim was active and how many days was he active", "raj-kim", "max", f" AND {WINDOW}"),
])
def test_a_persons_active_days_and_the_first_or_last_of_them(fresh: Session, question: str, login: str, edge: str,
                                                             window: str) -> None:
    (n, day), = rows(fresh, f"SELECT count(DISTINCT day), {edge}(day) FROM user_daily WHERE "
                            f"lower(user_login) = '{login}'{window}")
    a = ask(fresh, question)
    assert len(a.rows) == 1 and n in a.rows[0] and day in a.rows[0]


def test_when_a_person_was_last_active_alone_keeps_one_column(fresh: Session) -> None:
    a = ask(fresh, "when was raj-kim last active")
    assert a.rows[0][-1] == one(fresh, "SELECT max(day) FROM user_daily WHERE lower(user_login) = 'raj-kim'")
    assert len(a.rows[0]) == 2  # the login and the day: no count asked


@pytest.mark.parametrize("question, login", [
    ("When, according to GitHub, was the seat of elena-adeyemi last active?", "elena-adeyemi"),
    ("when was raj-kim's license last active", "raj-kim"),
])
def test_a_seats_last_activity_is_githubs_own(fresh: Session, question: str, login: str) -> None:
    expected = one(fresh, f"SELECT last_activity_at FROM seats WHERE lower(login) = '{login}'")
    assert expected in ask(fresh, question).rows[0]
    assigned = ask(fresh, "when was elena-adeyemi's seat assigned")  # the assignment, still
    assert one(fresh, "SELECT created_at FROM seats WHERE lower(login) = 'elena-adeyemi'") in assigned.rows[0]


@pytest.mark.parametrize("question, flag, window", [
    ("Measured by the number of agent-mode users, which team used agent mode the most in the last 28 days?",
     "used_agent", WINDOW),
    ("in terms of cli users, which team used the cli the most last week", "used_cli", LAST_WEEK),
])
def test_a_surfaces_users_as_the_measure_with_its_usage_said_again(fresh: Session, question: str, flag: str,
                                                                   window: str) -> None:
    expected = rows(fresh, f"SELECT m.team, count(DISTINCT u.user_id) FILTER (WHERE u.{flag}) AS n FROM user_daily u "
                           f"JOIN team_membership m ON m.user_id = u.user_id AND m.day = u.day WHERE u.{window} "
                           "GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1")
    assert [tuple(r[:2]) for r in ask(fresh, question).rows] == [tuple(r) for r in expected]


@pytest.mark.parametrize("question", ["how many people used copilot 3 times last week",
                                      "how many people were active on 2 days last week",
                                      "which users were active on 5 days last week",
                                      "cli sessions per cli user last week"])
def test_a_number_or_a_per_person_the_answer_drops_is_refused(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


def test_numbers_kept_as_themselves_or_as_fractions_are_answered(fresh: Session) -> None:
    a = ask(fresh, "users with acceptance under 20% last week")
    assert all(r[-1] < 0.2 for r in a.rows) and a.rows
    assert len(ask(fresh, "top 5 users by prompts").rows) == 5


@pytest.mark.parametrize("question", ["how many lines added for each of the vscode users last week",
                                      "lines added for each vscode user last week"])
def test_each_user_of_a_value_is_a_row_per_person_there(fresh: Session, question: str) -> None:
    expected = rows(fresh, f"SELECT user_login, sum(loc_added_sum) FROM user_daily_by_ide WHERE ide = 'vscode' AND "
                           f"{LAST_WEEK} GROUP BY 1")
    assert sorted(tuple(r) for r in ask(fresh, question).rows) == sorted(tuple(r) for r in expected)


def test_each_member_of_a_team_is_never_the_teams_total(fresh: Session) -> None:
    a = None
    try:
        a = ask(fresh, "for each of the devs on payments-api, how many prompts last week")
    except CannotAnswer:
        pass
    assert a is None or len(a.rows) > 1  # a row per member, or a refusal; never the team's one total
    team = ask(fresh, "prompts sent by members of the data-science team last week")  # the team's, as before
    assert len(team.rows) == 1


@pytest.mark.parametrize("question, condition", [
    ("how many people used chat last week, and who were they", "used_chat"),
    ("how many cli users were there last week, and who were they", "used_cli"),
    ("how many people were active last week and who", "true"),
])
def test_how_many_and_who_lists_the_people_with_their_number(fresh: Session, question: str, condition: str) -> None:
    expected = sorted(r[0] for r in rows(fresh, f"SELECT DISTINCT user_login FROM user_daily WHERE {LAST_WEEK} AND "
                                                f"{condition}"))
    a = ask(fresh, question)
    assert first_column(a) == expected and all(r[1] == len(expected) for r in a.rows)


def test_how_many_alone_stays_one_number_and_who_never_drops(fresh: Session) -> None:
    assert len(ask(fresh, "how many people used chat last week").rows) == 1
    with pytest.raises(CannotAnswer):  # the count is found, the people are not: refused, not half answered
        ask(fresh, "how many users accepted more than 100 suggestions last week, and who were they")

# --- content words by their class, filler and asides that say nothing more -----------------------------------------
FORTNIGHT = "day BETWEEN DATE '2026-10-25' AND DATE '2026-11-07'"
LAST_3 = "day BETWEEN DATE '2026-11-05' AND DATE '2026-11-07'"


@pytest.mark.parametrize(("question", "sql"), [
    ("total lines deleted ovr the past fortnight", f"SELECT sum(loc_deleted_sum) FROM user_daily WHERE {FORTNIGHT}"),
    ("code gens last wk", f"SELECT sum(code_generation_activity_count) FROM user_daily WHERE {LAST_WEEK}"),
    ("acceptances abt python work last week", "SELECT sum(code_acceptance_activity_count) FROM "
     f"user_daily_by_language_feature WHERE language = 'python' AND {LAST_WEEK}"),
])
def test_abbreviations_and_a_languages_work_are_the_words_they_stand_for(fresh: Session, question: str,
                                                                         sql: str) -> None:
    assert ask(fresh, question).rows[0][-1] == one(fresh, sql)


def test_judged_by_names_the_ranking_measure_and_a_model_for_python_work(fresh: Session) -> None:
    a = ask(fresh, "Which model was used most often for Python work last week, judged by code acceptances?")
    assert a.rows == rows(fresh, "SELECT model, sum(code_acceptance_activity_count) AS n FROM "
                                 f"user_daily_by_language_model WHERE language = 'python' AND {LAST_WEEK} GROUP BY 1 "
                                 "ORDER BY n DESC, model LIMIT 1")
    with pytest.raises(CannotAnswer) as e:  # what it is judged by must still be known
        ask(fresh, "Which model was used most often for Python work last week, judged by vibes?")
    assert "vibes" in e.value.message


@pytest.mark.parametrize("question", ["How many people belonged to the mobile-apps team during the last 28 days, and "
                                      "how many of them were active in that time?",
                                      "how many people were on mobile-apps in the last 28 days and how many of those "
                                      "used copilot"])
def test_a_count_and_how_many_of_them_gives_both(fresh: Session, question: str) -> None:
    members = one(fresh, f"SELECT count(DISTINCT user_id) FROM team_membership WHERE team = 'mobile-apps' AND {WINDOW}")
    active = one(fresh, "SELECT count(DISTINCT m.user_id) FROM team_membership m JOIN user_daily u ON u.user_id = "
                        f"m.user_id AND u.day = m.day WHERE m.team = 'mobile-apps' AND m.{WINDOW}")
    assert ask(fresh, question).rows == [(members, active)] and members > active  # type: ignore[operator]


def test_a_seat_count_and_how_many_of_them_and_the_other_parts_kept(fresh: Session) -> None:
    a = ask(fresh, "How many seats are there, and how many of them were used last week?")
    assert a.rows == [(one(fresh, "SELECT count(*) FROM seats"),
                       one(fresh, "SELECT count(*) FROM seat_usage WHERE last_active_day >= DATE '2026-11-01'"))]
    b = ask(fresh, "how many people used copilot last week and how many of them used agent mode")
    assert b.rows == [(one(fresh, f"SELECT count(DISTINCT user_id) FROM user_daily WHERE {LAST_WEEK}"),
                       one(fresh, f"SELECT count(DISTINCT user_id) FROM user_daily WHERE used_agent AND {LAST_WEEK}"))]


@pytest.mark.parametrize("question", ["How did the number of daily active users develop from October 26 to November 7?",
                                      "how have daily active users evolved from oct 26 to nov 7"])
def test_how_a_measure_developed_is_its_series(fresh: Session, question: str) -> None:
    expected = rows(fresh, "SELECT day, count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '2026-10-26' "
                           "AND DATE '2026-11-07' GROUP BY 1 ORDER BY 1")
    assert [tuple(r) for r in ask(fresh, question).rows] == [tuple(r) for r in expected]


def test_a_change_beside_a_series_over_all_the_data_and_a_ranked_change(fresh: Session) -> None:
    a = ask(fresh, "How have cli users developed per week across all of the data?")
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in rows(
        fresh, "SELECT date_trunc('week', day)::DATE, count(DISTINCT user_id) FILTER (WHERE used_cli) FROM user_daily "
               "GROUP BY 1 ORDER BY 1")]
    for question in ("whose usage evolved the most", "which team's usage changed the most per week",
                     "who developed the most code last week"):
        with pytest.raises(CannotAnswer):  # ranking who changed is refused, never a ranking of something else
            ask(fresh, question)


@pytest.mark.parametrize("question", ["How many of the people holding a seat in acme-labs were active at least once in "
                                      "the past fortnight?",
                                      "how many seat holders in acme-labs were active in the past fortnight"])
def test_holding_a_seat_is_having_one(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows == [(one(fresh, "SELECT count(*) FROM seat_usage WHERE organization_login = "
                                                     "'acme-labs' AND last_active_day >= DATE '2026-10-25'"),)]


def test_a_day_in_an_aside_and_a_bare_latest_day_elsewhere(fresh: Session) -> None:
    a = ask(fresh, "size of each team rn (latest day)")
    assert sorted(a.rows) == sorted(rows(fresh, "SELECT team, count(DISTINCT user_id) FROM team_membership WHERE day "
                                                "= DATE '2026-11-07' GROUP BY 1"))
    b = ask(fresh, "how many people used agent mode (the latest day)")
    assert b.rows == [(one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE used_agent AND day = "
                                  "DATE '2026-11-07'"),)]


@pytest.mark.parametrize("question", ["seats pending cancel?", "which seats are pending removal",
                                      "Which seat holders are scheduled to lose their seat, and on what date does each "
                                      "seat end?", "who is going to lose copilot access",
                                      "which seats are scheduled for removal"])
def test_a_pending_cancellation_in_other_words(fresh: Session, question: str) -> None:
    expected = rows(fresh, "SELECT login, pending_cancellation_date FROM seats WHERE pending_cancellation_date IS NOT "
                           "NULL ORDER BY 1")
    got = ask(fresh, question).rows
    assert sorted((r[0], r[-1]) for r in got) == [tuple(r) for r in expected] and expected


def test_a_seat_lost_in_the_past_is_no_pending_cancellation(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "who lost their seat")


@pytest.mark.parametrize(("question", "table", "dim", "window", "n"), [
    ("Please list the five languages with the lowest acceptance rate over the last 28 days, leaving out languages that "
     "were never shown a suggestion.", "user_daily_by_language_feature", "language", WINDOW, 5),
    ("which ide has the lowest acceptance rate last week, excluding ides that were never offered any suggestions",
     "user_daily_by_ide", "ide", LAST_WEEK, 1),
    ("the 3 users with the lowest acceptance rate last week, ignoring those who were never shown a suggestion",
     "user_daily", "user_login", LAST_WEEK, 3),
])
def test_leaving_out_those_never_shown_a_suggestion_ranks_those_with_a_rate(fresh: Session, question: str, table: str,
                                                                            dim: str, window: str, n: int) -> None:
    expected = rows(fresh, f"SELECT {dim}, round(sum(code_acceptance_activity_count)::DOUBLE / "
                           f"sum(code_generation_activity_count), 4) AS r FROM {table} WHERE {window} GROUP BY 1 "
                           f"HAVING sum(code_generation_activity_count) > 0 ORDER BY r, 1 LIMIT {n}")
    assert [tuple(r) for r in ask(fresh, question).rows] == [tuple(r) for r in expected]


def test_leaving_out_those_who_never_did_something_else_is_not_read_as_shown(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):  # not a ratio's denominator: a condition the reader does not place here
        ask(fresh, "the five languages with the lowest acceptance rate, leaving out languages that were never edited")


@pytest.mark.parametrize("question", ["What is the earliest day for which user-level data has been loaded, and what "
                                      "is the latest?", "first and last day of the per-user data"])
def test_the_user_level_data_named_by_its_grain(fresh: Session, question: str) -> None:
    assert [tuple(r) for r in ask(fresh, question).rows] == [tuple(r) for r in rows(
        fresh, "SELECT min(day), max(day) FROM user_daily")]


def test_a_named_teams_roster_named_as_the_source(fresh: Session) -> None:
    a = ask(fresh, "Which members of the mobile-apps team, as listed in the team report, have no Copilot activity "
                   "anywhere in the loaded data?")
    assert first_column(a) == sorted(r[0] for r in rows(
        fresh, "SELECT DISTINCT user_login FROM team_membership WHERE team = 'mobile-apps' AND day = (SELECT max(day) "
               "FROM team_membership) AND user_id NOT IN (SELECT user_id FROM user_daily)"))
    b = ask(fresh, "according to the team roster, how many people are on payments-api last week")
    assert b.rows == [(one(fresh, "SELECT count(DISTINCT user_id) FROM team_membership WHERE team = 'payments-api' "
                                  f"AND {LAST_WEEK}"),)]


@pytest.mark.parametrize(("question", "window"), [
    ("Which users accepted no suggestions at all during the last 28 days, although they were active?", WINDOW),
    ("who accepted zero suggestions last week", LAST_WEEK),
    ("which users accepted 0 suggestions last week", LAST_WEEK),
])
def test_accepting_no_suggestions_is_no_acceptances(fresh: Session, question: str, window: str) -> None:
    expected = rows(fresh, f"SELECT user_login FROM user_daily WHERE {window} GROUP BY 1 "
                           "HAVING sum(code_acceptance_activity_count) = 0")
    a = ask(fresh, question)
    assert first_column(a) == sorted(r[0] for r in expected) and expected
    assert "acceptances" in (a.interpretation or "") and "generations" not in (a.interpretation or "")


def test_accepting_more_than_n_suggestions_is_a_bound_on_acceptances(fresh: Session) -> None:
    a = ask(fresh, "which users accepted more than 50 suggestions last week")
    assert first_column(a) == sorted(r[0] for r in rows(
        fresh, f"SELECT user_login FROM user_daily WHERE {LAST_WEEK} GROUP BY 1 "
               "HAVING sum(code_acceptance_activity_count) > 50"))


@pytest.mark.parametrize("question", ["How many users are in each AI adoption phase, taking each user's latest known "
                                      "phase in the last 28 days?",
                                      "users per adoption stage in the last 28 days, counting each user's most recent "
                                      "phase"])
def test_each_users_latest_phase_said_again(fresh: Session, question: str) -> None:
    expected = rows(fresh, "SELECT phase, count(*) FROM (SELECT user_id, arg_max(ai_adoption_phase, day) AS phase FROM "
                           f"user_daily WHERE {WINDOW} AND ai_adoption_phase IS NOT NULL GROUP BY 1) GROUP BY 1")
    assert sorted(ask(fresh, question).rows) == sorted(expected)


def test_each_users_first_phase_is_not_the_latest(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "How many users are in each AI adoption phase, taking each user's first phase in the last 28 days?")


def test_the_provisional_days_named_beside_exactly_those_days(fresh: Session) -> None:
    for question in ("What was the total number of lines suggested in the last 3 days of data, the days that may "
                     "still be revised?", "acceptances in the last 3 days, the provisional days"):
        assert ask(fresh, question).rows[0][0] in (
            one(fresh, f"SELECT sum(loc_suggested_to_add_sum) FROM user_daily WHERE {LAST_3}"),
            one(fresh, f"SELECT sum(code_acceptance_activity_count) FROM user_daily WHERE {LAST_3}"))
    with pytest.raises(CannotAnswer):  # beside another window it is no restatement
        ask(fresh, "What was the total number of lines suggested in the last 7 days, the days that may still be "
                   "revised?")


def test_the_whole_takes_the_parts_window_and_an_unplaced_part_refuses(fresh: Session) -> None:
    a = ask(fresh, "how many people are on payments-api, and how many of those were active in october")
    october = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    assert a.rows == [(one(fresh, f"SELECT count(DISTINCT user_id) FROM team_membership WHERE team = 'payments-api' "
                                  f"AND {october}"),
                       one(fresh, "SELECT count(DISTINCT m.user_id) FROM team_membership m JOIN user_daily u ON "
                                  "u.user_id = m.user_id AND u.day = m.day WHERE m.team = 'payments-api' AND "
                                  f"m.{october}"))]
    with pytest.raises(CannotAnswer):  # never the whole alone or the part alone
        ask(fresh, "how many people were on mobile-apps in october, and how many of them accepted more suggestions "
                   "than they rejected")


@pytest.mark.parametrize("question", ["lemme know how many devs used the cli last week",
                                      "any idea how many devs used the cli last week?",
                                      "just curious, how many devs used the cli last week",
                                      "how many devs used the cli last week, if you can",
                                      "fwiw how many devs used the cli last wk, approx"])
def test_how_a_request_is_framed_carries_no_content(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows == [(one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE used_cli "
                                                     f"AND {LAST_WEEK}"),)]


def test_a_framing_word_beside_content_still_refuses_the_content(fresh: Session) -> None:
    with pytest.raises(CannotAnswer) as e:
        ask(fresh, "just curious, how many zorblax users were there last week")
    assert "zorblax" in e.value.message


@pytest.mark.parametrize("question", ["grand total of acceptances last week", "how many acceptances last week all told",
                                      "acceptances across the board last week"])
def test_a_total_said_in_other_words(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows == [(one(fresh, "SELECT sum(code_acceptance_activity_count) FROM user_daily "
                                                     f"WHERE {LAST_WEEK}"),)]


def test_a_leaderboard_is_a_ranking(fresh: Session) -> None:
    a = ask(fresh, "leaderboard of users by lines added last week")
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in rows(
        fresh, f"SELECT user_login, sum(loc_added_sum) AS n FROM user_daily WHERE {LAST_WEEK} GROUP BY 1 "
               "HAVING n > 0 ORDER BY n DESC, 1 LIMIT 10")]


@pytest.mark.parametrize("question", ["how many folks are on each team rn",
                                      "how many engineers are on each team right now"])
def test_the_people_of_a_roster_by_their_everyday_names_are_its_members(fresh: Session, question: str) -> None:
    assert sorted(ask(fresh, question).rows) == sorted(rows(
        fresh, "SELECT team, count(DISTINCT user_id) FROM team_membership WHERE day = (SELECT max(day) FROM "
               "team_membership) GROUP BY 1"))


def test_what_a_measure_looked_like_is_the_measure(fresh: Session) -> None:
    a = ask(fresh, "what did the dau look like from oct 26 to nov 7")
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in rows(
        fresh, "SELECT day, count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '2026-10-26' AND "
               "DATE '2026-11-07' GROUP BY 1 ORDER BY 1")]
    with pytest.raises(CannotAnswer):
        ask(fresh, "what does it look like")


@pytest.mark.parametrize("question", ["in general, how many prompts were sent last week",
                                      "ballpark, how many prompts last week", "how many prompts last week, to be exact",
                                      "how many prompts were sent last week, give or take"])
def test_hedges_of_more_than_one_word_carry_no_content(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows == [(one(fresh, "SELECT sum(user_initiated_interaction_count) FROM user_daily "
                                                     f"WHERE {LAST_WEEK}"),)]


# --- sources named in the question, and two counts side by side (reader-8c) --------------------------
@pytest.mark.parametrize(("question", "expected"), [
    ("prs reviewed by copilot 1st wk of nov",
     "SELECT sum(pr_total_reviewed_by_copilot) FROM entity_daily WHERE day BETWEEN DATE '2026-11-01' AND "
     "DATE '2026-11-07'"),
    ("lines added 2nd wk of oct",
     "SELECT sum(loc_added_sum) FROM user_daily WHERE day BETWEEN DATE '2026-10-08' AND DATE '2026-10-14'"),
    ("how many prompts in the 1st wk of october",
     "SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND "
     "DATE '2026-10-07'"),
    ("how many users were active on oct 1st",  # a day's ordinal stays a date
     "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = DATE '2026-10-01'"),
])
def test_an_ordinal_before_an_abbreviated_period_is_that_part_of_the_month(fresh: Session, question: str,
                                                                          expected: str) -> None:
    assert ask(fresh, question).rows[0][-1] == one(fresh, expected)


@pytest.mark.parametrize(("question", "expected"), [
    ("In the enterprise aggregate report, how many pull requests were created by Copilot over the whole period "
     "it covers?", "SELECT sum(pr_total_created_by_copilot) FROM entity_daily"),
    ("how many prs were merged over the entire period the report spans", "SELECT sum(pr_total_merged) FROM entity_daily"),
    ("how many lines were added over the whole period the data covers", "SELECT sum(loc_added_sum) FROM user_daily"),
])
def test_the_whole_period_a_report_covers_is_all_the_data(fresh: Session, question: str, expected: str) -> None:
    a = ask(fresh, question)
    assert a.rows[0][-1] == one(fresh, expected) and "DATE '" not in a.sql


@pytest.mark.parametrize(("question", "expected"), [
    ("During the last week, how many Copilot review suggestions were applied in pull requests, as reported by the "
     "enterprise report?", f"SELECT sum(pr_total_copilot_applied_suggestions) FROM entity_daily WHERE {LAST_WEEK}"),
    ("how many prs were merged in october as shown by the aggregate report",
     "SELECT sum(pr_total_merged) FROM entity_daily WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("how many pull requests did copilot review last week, as recorded by the enterprise data",
     f"SELECT sum(pr_total_reviewed_by_copilot) FROM entity_daily WHERE {LAST_WEEK}"),
])
def test_a_report_named_as_the_one_that_reports_is_only_the_source(fresh: Session, question: str,
                                                                  expected: str) -> None:
    assert ask(fresh, question).rows[0][-1] == one(fresh, expected)


def test_a_reporter_that_is_no_report_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many prs were merged last week as reported by the team lead")


@pytest.mark.parametrize(("question", "expected"), [
    ("According to the legacy metrics report, what was the highest number of engaged users on a single day?",
     "SELECT max(total_engaged_users) FROM legacy_daily"),
    ("what was the lowest number of active users in a single day in the legacy metrics",
     "SELECT min(total_active_users) FROM legacy_daily"),
    ("which day had the most code suggestions in the old metrics api",
     "SELECT max(s) FROM (SELECT date, sum(total_code_suggestions) AS s FROM legacy_completions GROUP BY 1)"),
])
def test_the_legacy_figure_on_its_top_day(fresh: Session, question: str, expected: str) -> None:
    a = ask(fresh, question)
    assert len(a.rows) == 1 and a.rows[0][-1] == one(fresh, expected)


@pytest.mark.parametrize("question", ["what was the highest average engaged users per day in the legacy data",
                                      "what was the highest number of engaged users in the legacy report"])
def test_a_legacy_top_without_one_day_or_with_an_average_is_not_a_top_day(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


@pytest.mark.parametrize(("question", "ide"), [
    ("According to the seat activity report, which seat holders last used Copilot from a JetBrains IDE?",
     "jetbrains"),
    ("in the seat activity report, whose last surface was neovim", "neovim"),
    ("which seat holders last used vscode, according to the seat activity data", "vscode"),
])
def test_the_seat_activity_report_named_reads_its_last_surface(fresh: Session, question: str, ide: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, "SELECT login FROM seat_activity_latest WHERE replace(lower(last_surface_used), ' ', '') "
                           f"LIKE '{ide}%'")
    assert expected and first_column(a) == sorted(r[0] for r in expected) and "seat_activity_latest" in a.sql


def test_seat_holders_last_using_an_ide_without_the_report_are_the_seats_last_editor(fresh: Session) -> None:
    a = ask(fresh, "which seat holders last used copilot from a jetbrains ide")
    expected = rows(fresh, "SELECT DISTINCT login FROM seats WHERE lower(last_activity_editor) LIKE 'jetbrains%'")
    assert sorted(set(first_column(a))) == sorted(r[0] for r in expected)


def test_the_seat_activity_report_asked_what_it_cannot_place_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "according to the seat activity report, how many seats are there")


REVIEW_WINDOW = "day BETWEEN DATE '2026-10-11' AND DATE '2026-11-07'"
PASSIVE_ONLY = ("SELECT count(*) FROM (SELECT user_id FROM user_daily WHERE {w} GROUP BY 1 HAVING "
                "bool_or(used_copilot_code_review_passive) AND NOT bool_or(used_copilot_code_review_active))")


def test_two_counts_asked_together_are_side_by_side(fresh: Session) -> None:
    a = ask(fresh, "In the last 28 days, how many users actively used Copilot code review, and how many were only "
                   "reviewed passively without ever engaging?")
    active = one(fresh, f"SELECT count(DISTINCT user_id) FILTER (WHERE used_copilot_code_review_active) FROM "
                        f"user_daily WHERE {REVIEW_WINDOW}")
    assert a.rows == [(active, one(fresh, PASSIVE_ONLY.format(w=REVIEW_WINDOW)))]


@pytest.mark.parametrize(("question", "first", "second"), [
    ("how many users used agent mode last week, and how many used chat", "used_agent", "used_chat"),
    ("how many devs used the cli last week and how many used agent mode", "used_cli", "used_agent"),
    ("how many people used chat last week, and how many of them used agent mode", "used_chat", ""),
])
def test_two_counts_of_people_are_never_the_people_who_did_both(fresh: Session, question: str, first: str,
                                                                second: str) -> None:
    count = "SELECT count(DISTINCT user_id) FILTER (WHERE {c}) FROM user_daily WHERE " + LAST_WEEK
    if "of them" in question:  # the second among the first: those who used both
        both = one(fresh, "SELECT count(*) FROM (SELECT user_id FROM user_daily WHERE " + LAST_WEEK +
                   " GROUP BY 1 HAVING bool_or(used_chat) AND bool_or(used_agent))")
        assert ask(fresh, question).rows == [(one(fresh, count.format(c=first)), both)]
        return
    assert ask(fresh, question).rows == [(one(fresh, count.format(c=first)), one(fresh, count.format(c=second)))]


def test_passively_reviewed_without_engaging_is_passive_review_only(fresh: Session) -> None:
    a = ask(fresh, "how many users were passively reviewed but never engaged last week")
    assert a.rows[0][0] == one(fresh, PASSIVE_ONLY.format(w=LAST_WEEK))
    b = ask(fresh, "how many engaged users last week")  # 'engaged' without a passive flag keeps its meaning
    assert b.rows[0][0] == one(fresh, "SELECT count(DISTINCT user_id) FILTER (WHERE user_initiated_interaction_count "
                                      f"> 0) FROM user_daily WHERE {LAST_WEEK}")


def test_two_counts_in_two_windows_are_two_questions_each_over_its_own(fresh: Session) -> None:
    a = ask(fresh, "how many users used chat last week and how many used agent mode in october")
    chat = one(fresh, f"SELECT count(DISTINCT user_id) FROM user_daily WHERE used_chat AND {LAST_WEEK}")
    agent = one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE used_agent AND "
                       "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'")
    assert tuple(a.rows[0]) == (chat, agent)
    assert "2026-11-01..2026-11-07" in (a.interpretation or "") and "2026-10-01..2026-10-31" in (a.interpretation or "")


@pytest.mark.parametrize("question", [
    "how many devs only got auto-reviewed by copilot and never asked for a review themselves",
    "how many users were auto-reviewed but never requested a review",
    "how many people were passively reviewed without engaging",
])
def test_the_active_side_of_code_review_named_beside_the_passive_one(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows[0][0] == one(fresh, PASSIVE_ONLY.format(w=REVIEW_WINDOW))


def test_active_vs_passive_code_review_users_side_by_side(fresh: Session) -> None:
    a = ask(fresh, "code review users: active vs passive, last 28 days")
    expected = rows(fresh, "SELECT count(DISTINCT user_id) FILTER (WHERE used_copilot_code_review_active), "
                           "count(DISTINCT user_id) FILTER (WHERE used_copilot_code_review_passive) FROM user_daily "
                           f"WHERE {REVIEW_WINDOW}")
    assert a.rows == expected


def test_a_review_verb_with_pull_requests_named_stays_the_pr_figure(fresh: Session) -> None:
    a = ask(fresh, "how many prs did copilot review last week")
    assert a.rows[0][-1] == one(fresh, f"SELECT sum(pr_total_reviewed_by_copilot) FROM entity_daily WHERE {LAST_WEEK}")


@pytest.mark.parametrize(("question", "org"), [
    ("Which editor did each seat holder in acme-labs last use, according to the seat listing?", "acme-labs"),
    ("which editor did each seat holder in acme-eng last use", "acme-eng"),
])
def test_the_editor_each_seat_holder_last_used_is_the_seats_last_activity_editor(fresh: Session, question: str,
                                                                                org: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, f"SELECT login, last_activity_editor FROM seats WHERE organization_login = '{org}'")
    assert sorted((r[0], r[-1]) for r in a.rows) == sorted(expected)


def test_the_editor_at_the_time_of_the_last_activity(fresh: Session) -> None:
    a = ask(fresh, "According to the seat listing, which editor was csilva-acme using at the time of their last "
                   "activity?")
    assert [r[-1] for r in a.rows] == [r[0] for r in rows(fresh, "SELECT last_activity_editor FROM seats WHERE "
                                                                 "lower(login) = 'csilva-acme'")]


def _team_share(fresh: Session, team: str, flag: str, w: str, active_base: bool) -> object:
    joined = f"user_daily u JOIN team_membership m ON m.user_id = u.user_id AND m.day = u.day AND m.team = '{team}'"
    part = f"SELECT count(DISTINCT u.user_id) FROM {joined} WHERE {flag} AND u.{w}"
    whole = (f"SELECT count(DISTINCT u.user_id) FROM {joined} WHERE u.{w}" if active_base else
             f"SELECT count(DISTINCT user_id) FROM team_membership WHERE team = '{team}' AND {w}")
    return one(fresh, f"SELECT round(({part})::DOUBLE / nullif(({whole}), 0), 4)")


@pytest.mark.parametrize(("question", "team", "flag", "w", "active_base"), [
    ("What share of the active users in the mobile-apps team used chat during the last week?", "mobile-apps",
     "u.used_chat", LAST_WEEK, True),
    ("what percent of the active members of platform-core used agent mode in the last 28 days", "platform-core",
     "u.used_agent", REVIEW_WINDOW, True),
    ("what share of the mobile-apps team used chat last week", "mobile-apps", "u.used_chat", LAST_WEEK, False),
])
def test_a_teams_share_is_of_its_roster_or_of_its_active_members_when_said(
        fresh: Session, question: str, team: str, flag: str, w: str, active_base: bool) -> None:
    assert ask(fresh, question).rows[0][-1] == _team_share(fresh, team, flag, w, active_base)


@pytest.mark.parametrize("question", ["how many users used chat, and how many didn't",
                                      "how many people are on the mobile-apps team, and how many used chat"])
def test_two_counts_not_both_placed_are_never_the_people_who_did_both(fresh: Session, question: str) -> None:
    try:
        a = ask(fresh, question)
    except CannotAnswer:
        return
    both = one(fresh, f"SELECT count(DISTINCT user_id) FILTER (WHERE used_chat) FROM user_daily WHERE {REVIEW_WINDOW}")
    assert len(a.rows[0]) > 1 or a.rows[0][0] != both


@pytest.mark.parametrize(("question", "expected"), [
    ("Based on the enterprise report, how many review suggestions did Copilot make in October?",
     "SELECT sum(pr_total_copilot_suggestions) FROM entity_daily WHERE day BETWEEN DATE '2026-10-01' AND "
     "DATE '2026-10-31'"),
    ("per the enterprise report, how many pull requests did copilot create in october",
     "SELECT sum(pr_total_created_by_copilot) FROM entity_daily WHERE day BETWEEN DATE '2026-10-01' AND "
     "DATE '2026-10-31'"),
    ("From the enterprise-level report, how many PRs were reviewed by Copilot last week?",
     f"SELECT sum(pr_total_reviewed_by_copilot) FROM entity_daily WHERE {LAST_WEEK}"),
    ("top 5 users based on the lines added",  # what a ranking rests on is its measure
     "SELECT sum(loc_added_sum) FROM (SELECT user_id, sum(loc_added_sum) AS loc_added_sum FROM user_daily WHERE "
     f"{REVIEW_WINDOW} GROUP BY 1 ORDER BY 2 DESC LIMIT 5)"),
])
def test_what_the_figures_are_based_on_is_their_source(fresh: Session, question: str, expected: str) -> None:
    a = ask(fresh, question)
    assert sum(r[-1] for r in a.rows) == one(fresh, expected)  # type: ignore[misc]


@pytest.mark.parametrize(("question", "cols", "w"), [
    ("how many PRs copilot reviewed vs created in october", ("pr_total_reviewed_by_copilot",
                                                             "pr_total_created_by_copilot"),
     "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("prs merged vs created last week", ("pr_total_merged", "pr_total_created"), LAST_WEEK),
])
def test_two_pull_request_figures_side_by_side(fresh: Session, question: str, cols: tuple[str, str], w: str) -> None:
    assert ask(fresh, question).rows == rows(fresh, f"SELECT sum({cols[0]}), sum({cols[1]}) FROM entity_daily WHERE {w}")


@pytest.mark.parametrize(("question", "w"), [
    ("how many people actively requested a copilot review in october",
     "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("how many devs asked for a review last week", LAST_WEEK),
])
def test_requesting_a_review_is_active_code_review(fresh: Session, question: str, w: str) -> None:
    assert ask(fresh, question).rows[0][0] == one(
        fresh, f"SELECT count(DISTINCT user_id) FILTER (WHERE used_copilot_code_review_active) FROM user_daily WHERE {w}")


@pytest.mark.parametrize(("question", "expr", "w", "order"), [
    ("highest number of engaged users on a single day",
     "count(DISTINCT user_id) FILTER (WHERE user_initiated_interaction_count > 0)", REVIEW_WINDOW, "DESC"),
    ("what was the highest number of chat users on a single day last month",
     "count(DISTINCT user_id) FILTER (WHERE used_chat)", "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'", "DESC"),
    ("what was the peak number of active users in a single day in october", "count(DISTINCT user_id)",
     "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'", "DESC"),
])
def test_the_number_of_people_on_a_single_day_ranks_the_days(fresh: Session, question: str, expr: str, w: str,
                                                             order: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, f"SELECT day, {expr} FROM user_daily WHERE {w} GROUP BY 1 ORDER BY 2 {order}, 1 LIMIT 1")
    assert [(r[0], r[-1]) for r in a.rows] == expected


def test_people_most_active_on_a_single_day_is_not_a_day_ranking(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "which users were most active on a single day")


def _pr_sum(fresh: Session, col: str, lo: str, hi: str) -> object:
    return one(fresh, f"SELECT sum({col}) FROM entity_daily WHERE day BETWEEN DATE '{lo}' AND DATE '{hi}'")


OCT, SEP = ("2026-10-01", "2026-10-31"), ("2026-09-01", "2026-09-30")


@pytest.mark.parametrize(("question", "col", "first", "second", "sign"), [
    ("how many more prs did copilot create in the first week of november than in the last week of october",
     "pr_total_created_by_copilot", ("2026-11-01", "2026-11-07"), ("2026-10-25", "2026-10-31"), 1),
    ("how many fewer pull requests were merged last week than the week before", "pr_total_merged",
     ("2026-11-01", "2026-11-07"), ("2026-10-25", "2026-10-31"), -1),
    ("how many more PRs did Copilot review between oct 12 and oct 18 than between oct 19 and oct 25",
     "pr_total_reviewed_by_copilot", ("2026-10-12", "2026-10-18"), ("2026-10-19", "2026-10-25"), 1),
])
def test_how_many_more_pull_requests_in_one_period_than_another(fresh: Session, question: str, col: str,
                                                               first: tuple[str, str], second: tuple[str, str],
                                                               sign: int) -> None:
    a, b = _pr_sum(fresh, col, *first), _pr_sum(fresh, col, *second)
    assert ask(fresh, question).rows == [(a, b, sign * (a - b))]  # type: ignore[operator]


def test_pull_requests_in_two_periods_are_both_or_refused(fresh: Session) -> None:
    a = ask(fresh, "prs merged in october vs september")
    assert [r[1] for r in a.rows] == [_pr_sum(fresh, "pr_total_merged", *OCT), _pr_sum(fresh, "pr_total_merged", *SEP)]
    with pytest.raises(CannotAnswer):  # two periods with no comparison asked: never the first one alone
        ask(fresh, "prs merged in october and september")


@pytest.mark.parametrize(("question", "ide"), [
    ("who last used copilot in xcode according to the seat activity export", "xcode"),
    ("how many people last used vscode, per the seat activity report", "vscode"),
])
def test_the_seat_activity_report_named_is_enough_to_read_seat_holders(fresh: Session, question: str,
                                                                       ide: str) -> None:
    expected = rows(fresh, "SELECT login FROM seat_activity_latest WHERE replace(lower(last_surface_used), ' ', '') "
                           f"LIKE '{ide}%'")
    a = ask(fresh, question)
    assert (first_column(a) if "who" in question else [a.rows[0][0]]) == (
        sorted(r[0] for r in expected) if "who" in question else [len(expected)])


@pytest.mark.parametrize(("question", "w"), [
    ("how many PRs were merged after a copilot review last week", LAST_WEEK),
    ("how many prs reviewed by copilot were merged in october", "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
])
def test_prs_merged_after_a_copilot_review(fresh: Session, question: str, w: str) -> None:
    assert ask(fresh, question).rows[0][-1] == one(
        fresh, f"SELECT sum(pr_total_merged_reviewed_by_copilot) FROM entity_daily WHERE {w}")


def test_prs_merged_after_any_review_is_no_figure_github_gives(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many prs were merged after review last week")


# --- plain sentences: restating nouns and verbs, periods, output-format clauses (reader-9a) -------------------------
OCTOBER = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"


@pytest.mark.parametrize(("question", "sql"), [
    ("In total, how many prompts went to GPT models over the last week?",
     f"SELECT sum(user_initiated_interaction_count) FROM user_daily_by_model_feature WHERE model LIKE 'gpt%' AND "
     f"{LAST_WEEK}"),
    ("how many interactions went to claude models in october",
     f"SELECT sum(user_initiated_interaction_count) FROM user_daily_by_model_feature WHERE model LIKE 'claude%' "
     f"AND {OCTOBER}"),
    ("how many acceptances for the python language in october",
     f"SELECT sum(code_acceptance_activity_count) FROM user_daily_by_language_feature WHERE language = 'python' "
     f"AND {OCTOBER}"),
    ("how many prompts in the vscode ide last week",
     f"SELECT sum(user_initiated_interaction_count) FROM user_daily_by_ide WHERE ide = 'vscode' AND {LAST_WEEK}"),
])
def test_a_dimension_noun_after_its_value_only_restates_it(fresh: Session, question: str, sql: str) -> None:
    assert [r[-1] for r in ask(fresh, question).rows] == [one(fresh, sql)]


def test_a_family_with_its_noun_is_still_listed_when_ranked(fresh: Session) -> None:
    a = ask(fresh, "which claude models got the most prompts last week")
    expected = rows(fresh, "SELECT model FROM user_daily_by_model_feature WHERE model LIKE 'claude%' AND "
                           f"{LAST_WEEK} GROUP BY model")
    assert len(a.rows) == len(expected) > 1


@pytest.mark.parametrize("question", ["How many of our seats were assigned during calendar year 2026?",
                                      "how many seats were assigned in the year 2026"])
def test_a_calendar_year_is_the_year(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows[0][0] == one(fresh, "SELECT count(*) FROM seats WHERE year(created_at) = 2026")


def test_a_year_word_without_a_year_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many seats were assigned during the calendar year")


@pytest.mark.parametrize(("question", "sql"), [
    ("How many lines did Copilot suggest adding during the second half of October?",
     "SELECT sum(loc_suggested_to_add_sum) FROM user_daily WHERE day BETWEEN DATE '2026-10-16' AND DATE '2026-10-31'"),
    ("how many lines did copilot propose to add last week",
     f"SELECT sum(loc_suggested_to_add_sum) FROM user_daily WHERE {LAST_WEEK}"),
    ("how many lines did nzhang delete last week",
     f"SELECT sum(loc_deleted_sum) FROM user_daily WHERE user_login = 'nzhang' AND {LAST_WEEK}"),
    ("how many lines did copilot add in vscode in october",
     f"SELECT sum(loc_added_sum) FROM user_daily_by_ide WHERE ide = 'vscode' AND {OCTOBER}"),
])
def test_bare_lines_and_the_verb_that_says_which(fresh: Session, question: str, sql: str) -> None:
    assert ask(fresh, question).rows[0][-1] == one(fresh, sql)


def test_lines_suggested_for_deletion_are_no_measure(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many lines did copilot suggest deleting in october")


def _prompts(session: Session, where: str) -> object:
    return one(session, f"SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE {where}")


PREV_WEEK = "day BETWEEN DATE '2026-10-25' AND DATE '2026-10-31'"


@pytest.mark.parametrize(("question", "first", "second"), [
    ("diff in prompts last wk minus the wk before", LAST_WEEK, PREV_WEEK),
    ("prompts in october minus september", OCTOBER, "day BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
])
def test_a_minus_b_is_the_first_minus_the_second(fresh: Session, question: str, first: str, second: str) -> None:
    a, b = _prompts(fresh, first), _prompts(fresh, second)
    assert ask(fresh, question).rows == [(a, b, a - b)]  # type: ignore[operator]


def test_measures_minus_each_other(fresh: Session) -> None:
    a = ask(fresh, "lines added minus lines deleted last week")
    added, deleted = rows(fresh, f"SELECT sum(loc_added_sum), sum(loc_deleted_sum) FROM user_daily WHERE {LAST_WEEK}")[0]
    assert a.rows == [(added, deleted, added - deleted)]


def test_two_periods_without_minus_stay_a_change(fresh: Session) -> None:
    assert len(ask(fresh, "prompts last week vs the week before").rows) == 2


@pytest.mark.parametrize(("question", "login", "first", "second"), [
    ("How many prompts did elena-yilmaz send in October, and how many did she send in the first week of November?",
     "elena-yilmaz", OCTOBER, LAST_WEEK),
    ("how many prompts did nzhang send in september, and how many did he send in october?", "nzhang",
     "day BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'", OCTOBER),
])
def test_a_pronoun_points_back_at_the_person_named(fresh: Session, question: str, login: str, first: str,
                                                  second: str) -> None:
    got = [r[-1] for r in ask(fresh, question).rows]
    assert got == [_prompts(fresh, f"{w} AND user_login = '{login}'") for w in (first, second)]


def test_a_pronoun_after_two_people_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many prompts did nzhang and elena-yilmaz send in october, and how many did she send in november")


def test_the_average_developer_per_day_is_no_average_over_days(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many prompts does the average developer have per day?")


@pytest.mark.parametrize(("question", "sql"), [
    ("What was the acceptance rate for TypeScript and for Python, separately, over the last 28 days?",
     "SELECT language, round(sum(code_acceptance_activity_count)::DOUBLE / nullif(sum(code_generation_activity_count), "
     f"0), 4) FROM user_daily_by_language_feature WHERE language IN ('typescript', 'python') AND {WINDOW} GROUP BY 1"),
    ("prompts in vscode and jetbrains individually last week",
     "SELECT ide, sum(user_initiated_interaction_count) FROM user_daily_by_ide WHERE ide IN ('vscode', 'jetbrains') "
     f"AND {LAST_WEEK} GROUP BY 1"),
    ("What were the CLI prompt tokens and the CLI output tokens in October, shown as two separate totals?",
     f"SELECT sum(cli_prompt_tokens_sum), sum(cli_output_tokens_sum) FROM user_daily WHERE {OCTOBER}"),
    ("lines added and lines deleted in october, as two separate numbers",
     f"SELECT sum(loc_added_sum), sum(loc_deleted_sum) FROM user_daily WHERE {OCTOBER}"),
])
def test_separately_beside_two_values_or_measures(fresh: Session, question: str, sql: str) -> None:
    assert sorted(ask(fresh, question).rows) == sorted(rows(fresh, sql))


@pytest.mark.parametrize("question", ["how many users used python and typescript separately last week",
                                      "how many prompts last week, separately"])
def test_separately_with_people_or_one_figure_refuses(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


def test_an_ordering_said_as_its_range(fresh: Session) -> None:
    top = ask(fresh, "Please list the three models with the most accepted suggestions since October 1, ranked from "
                     "highest to lowest.")
    assert top.rows == rows(fresh, "SELECT model, sum(code_acceptance_activity_count) AS n FROM "
                                   "user_daily_by_model_feature WHERE day >= DATE '2026-10-01' GROUP BY model "
                                   "ORDER BY n DESC, model LIMIT 3")
    up = ask(fresh, "list the languages by acceptances in october, from lowest to highest")
    assert up.rows == rows(fresh, "SELECT language, sum(code_acceptance_activity_count) AS n FROM "
                                  f"user_daily_by_language_feature WHERE {OCTOBER} GROUP BY language ORDER BY n, language")


@pytest.mark.parametrize(("question", "order"), [("who got a seat most recently", "DESC"),
                                                 ("which seat was assigned most recently", "DESC"),
                                                 ("who received a licence least recently", "ASC")])
def test_a_seat_assigned_most_recently_said_after_the_verb(fresh: Session, question: str, order: str) -> None:
    assert ask(fresh, question).rows[0][0] == one(fresh, f"SELECT login FROM seats ORDER BY created_at {order}, login "
                                                         "LIMIT 1")


@pytest.mark.parametrize(("question", "part", "whole"), [
    ("What share of all interactions over the last 28 days came from agent mode? Please give the agent-mode count, the "
     "overall total and the ratio.",
     f"SELECT sum(user_initiated_interaction_count) FROM user_daily_by_feature WHERE feature = 'chat_panel_agent_mode' "
     f"AND {WINDOW}", f"SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE {WINDOW}"),
    ("What fraction of the lines added in October came from code completion, with the completion lines, all lines "
     "added, and the fraction?",
     f"SELECT sum(loc_added_sum) FROM user_daily_by_feature WHERE feature = 'code_completion' AND {OCTOBER}",
     f"SELECT sum(loc_added_sum) FROM user_daily WHERE {OCTOBER}"),
])
def test_a_share_with_its_parts_asked_for_again(fresh: Session, question: str, part: str, whole: str) -> None:
    n, t = one(fresh, part), one(fresh, whole)
    assert sorted(ask(fresh, question).rows[0]) == sorted([n, t, round(n / t, 4)])  # type: ignore[operator]


@pytest.mark.parametrize("question", [
    "What share of all interactions over the last 28 days came from agent mode? Please give the ask-mode count and the "
    "ratio.",
    "what share of prompts last week came from vscode, with the ratio for jetbrains"])
def test_a_parts_clause_naming_something_new_refuses(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


@pytest.mark.parametrize(("question", "sql"), [
    ("How many users were engaged, meaning they actually sent Copilot at least one prompt, during October 2026?",
     "SELECT count(DISTINCT user_id) FILTER (WHERE user_initiated_interaction_count > 0) FROM user_daily WHERE "
     f"{OCTOBER}"),
    ("how many engaged users were there last week, i.e. users who sent at least one prompt",
     "SELECT count(DISTINCT user_id) FILTER (WHERE user_initiated_interaction_count > 0) FROM user_daily WHERE "
     f"{LAST_WEEK}"),
    ("What was the agent adoption rate in October, that is, the share of active users who used agent mode?",
     "SELECT round(count(DISTINCT user_id) FILTER (WHERE used_agent)::DOUBLE / nullif(count(DISTINCT user_id), 0), 4) "
     f"FROM user_daily WHERE {OCTOBER}"),
])
def test_an_apposition_that_says_what_the_measure_means(fresh: Session, question: str, sql: str) -> None:
    assert ask(fresh, question).rows[0][-1] == one(fresh, sql)


@pytest.mark.parametrize("question", [
    "How many users were engaged, meaning they used the cli, during October 2026?",
    "What was the agent adoption rate in October, that is, the share of active users who used ask mode?",
    "how many users were active, meaning they sent at least one prompt, in october"])
def test_an_apposition_that_adds_or_changes_the_meaning_refuses(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


# --- shapes that follow the question (reader-9b) ----------------------------------------------------
OCT_DAYS = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
SEPT_DAYS = "day BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"
WEEK_BEFORE = "day BETWEEN DATE '2026-10-25' AND DATE '2026-10-31'"


@pytest.mark.parametrize(("question", "expr", "first", "second"), [
    ("cli users last wk vs the wk before", "count(DISTINCT user_id) FILTER (WHERE used_cli)", LAST_WEEK, WEEK_BEFORE),
    ("How many prompts were sent in October compared with September?", "sum(user_initiated_interaction_count)",
     OCT_DAYS, SEPT_DAYS),
    ("lines added in september versus october", "sum(loc_added_sum)", SEPT_DAYS, OCT_DAYS),
    ("Compare the number of active users in the last 7 days with the previous week.", "count(DISTINCT user_id)",
     LAST_WEEK, WEEK_BEFORE),
])
def test_two_periods_compared_come_in_the_order_named(fresh: Session, question: str, expr: str, first: str,
                                                      second: str) -> None:
    a = ask(fresh, question)
    a_, b_ = (one(fresh, f"SELECT {expr} FROM user_daily WHERE {w}") for w in (first, second))
    assert [r[1] for r in a.rows] == [a_, b_]
    later = a.rows[0] if first > second else a.rows[1]  # the change still runs from the earlier to the later
    assert later[2] == (a_ - b_ if first > second else b_ - a_)  # type: ignore[operator]


def test_a_change_between_two_periods_still_runs_in_time(fresh: Session) -> None:
    a = ask(fresh, "did prompts grow from september to october")  # a change, not a comparison: earlier first
    expr = "SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE "
    assert [r[1] for r in a.rows] == [one(fresh, expr + SEPT_DAYS), one(fresh, expr + OCT_DAYS)]


@pytest.mark.parametrize(("question", "table", "expr", "dim", "values", "w"), [
    ("How many code generations happened in JetBrains compared with VS Code over the last 28 days?",
     "user_daily_by_ide", "sum(code_generation_activity_count)", "ide", ("jetbrains", "vscode"), WINDOW),
    ("acceptance rate in vscode vs jetbrains in october", "user_daily_by_ide",
     "round(sum(code_acceptance_activity_count)::DOUBLE / nullif(sum(code_generation_activity_count), 0), 4)", "ide",
     ("vscode", "jetbrains"), OCT_DAYS),
    ("What were the lines added for python compared to typescript last week?", "user_daily_by_language_feature",
     "sum(loc_added_sum)", "language", ("python", "typescript"), LAST_WEEK),
])
def test_two_values_compared_come_in_the_order_named(fresh: Session, question: str, table: str, expr: str, dim: str,
                                                     values: tuple[str, str], w: str) -> None:
    a = ask(fresh, question)
    assert [r[0] for r in a.rows] == list(values)
    assert [r[1] for r in a.rows] == [one(fresh, f"SELECT {expr} FROM {table} WHERE {dim} = '{v}' AND {w}")
                                      for v in values]


@pytest.mark.parametrize(("question", "expr", "w"), [
    ("How many prompts did wmoreau send over the last 28 days, compared with wmoreau-acme over the same period?",
     "sum(user_initiated_interaction_count)", WINDOW),
    ("How many code generations did mchen-acme have in October compared to wmoreau?",
     "sum(code_generation_activity_count)", OCT_DAYS),
    ("what were the lines added by raj-kim last week, compared with nzhang", "sum(loc_added_sum)", LAST_WEEK),
])
def test_two_people_compared_get_a_row_each(fresh: Session, question: str, expr: str, w: str) -> None:
    a = ask(fresh, question)
    logins = [x for x in ("wmoreau-acme", "wmoreau", "mchen-acme", "raj-kim", "nzhang") if f" {x}" in f" {question}"]
    got = {r[0]: r[1] for r in a.rows}
    assert got == {x: one(fresh, f"SELECT {expr} FROM user_daily WHERE lower(user_login) = '{x}' AND {w}")
                   for x in logins}


def test_two_people_with_or_are_still_summed(fresh: Session) -> None:
    a = ask(fresh, "How many prompts did wmoreau or wmoreau-acme send last week?")
    assert a.rows == [(one(fresh, "SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE lower(user_login) "
                                  f"IN ('wmoreau', 'wmoreau-acme') AND {LAST_WEEK}"),)]


@pytest.mark.parametrize(("question", "w"), [
    ("How many distinct days of user data do we have for the month of October?", OCT_DAYS),
    ("how many days of data do we have since october 15", "day BETWEEN DATE '2026-10-15' AND DATE '2026-11-07'"),
    ("How many days of usage data are there for last week?", LAST_WEEK),
])
def test_a_count_of_data_days_in_a_window(fresh: Session, question: str, w: str) -> None:
    assert ask(fresh, question).rows == [(one(fresh, f"SELECT count(DISTINCT day) FROM user_daily WHERE {w}"),)]


@pytest.mark.parametrize("question", [
    "How many days of usage data have been loaded, and what are the first and the last of them?",
    "how many days of data do we have, and what are the first and last days",
    "How many days of user data are there and which are the earliest and the latest?",
])
def test_a_count_of_data_days_with_its_first_and_last(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows == rows(fresh, "SELECT count(DISTINCT day), min(day), max(day) FROM user_daily")


def test_the_first_and_last_days_alone_are_not_counted(fresh: Session) -> None:
    assert ask(fresh, "what are the first and last days of data").rows == rows(
        fresh, "SELECT min(day), max(day) FROM user_daily")


@pytest.mark.parametrize(("question", "table", "expr", "col", "w", "direction"), [
    ("How many active users did each IDE have in October, from highest to lowest?", "user_daily_by_ide",
     "count(DISTINCT user_id)", "ide", OCT_DAYS, "DESC"),
    ("acceptance rate by language last month, lowest to highest", "user_daily_by_language_feature",
     "round(sum(code_acceptance_activity_count)::DOUBLE / nullif(sum(code_generation_activity_count), 0), 4)",
     "language", OCT_DAYS, "ASC"),
    ("What were the prompts for each model in October, in descending order?", "user_daily_by_model_feature",
     "sum(user_initiated_interaction_count)", "model", OCT_DAYS, "DESC"),
])
def test_an_order_said_as_a_range_lists_every_group(fresh: Session, question: str, table: str, expr: str, col: str,
                                                    w: str, direction: str) -> None:
    assert ask(fresh, question).rows == rows(
        fresh, f"SELECT {col}, {expr} AS n FROM {table} WHERE {w} GROUP BY 1 ORDER BY n {direction} NULLS LAST, 1")


def test_which_one_has_the_highest_is_still_the_top_one(fresh: Session) -> None:
    assert len(ask(fresh, "Which IDE had the most active users in October?").rows) == 1


@pytest.mark.parametrize(("question", "flag", "w"), [
    ("Which users were active during the last 28 days but did not use chat on any day in that window?", "used_chat",
     WINDOW),
    ("Which developers used Copilot in October but never touched the CLI at any point during that period?",
     "used_cli", OCT_DAYS),
    ("who was active last week but did not use agent mode at any time", "used_agent", LAST_WEEK),
])
def test_on_any_day_after_a_negation_only_stresses_it(fresh: Session, question: str, flag: str, w: str) -> None:
    assert first_column(ask(fresh, question)) == sorted(r[0] for r in rows(
        fresh, f"SELECT user_login FROM user_daily WHERE {w} GROUP BY 1 HAVING NOT bool_or({flag})"))


def test_on_any_day_without_a_negation_keeps_its_meaning(fresh: Session) -> None:
    a = ask(fresh, "who sent the most prompts on any day last week")  # a person's busiest day, not their total
    assert a.rows[0][-1] == one(fresh, "SELECT max(n) FROM (SELECT sum(user_initiated_interaction_count) AS n FROM "
                                       f"user_daily WHERE {LAST_WEEK} GROUP BY user_login, day)")


@pytest.mark.parametrize(("question", "col", "w"), [
    ("Which user made the most CLI requests over the last 28 days?", "cli_request_count", WINDOW),
    ("which developer made the most prompts in october", "user_initiated_interaction_count", OCT_DAYS),
    ("Who made the most code generations last week?", "code_generation_activity_count", LAST_WEEK),
])
def test_made_links_a_measure_to_who_made_it(fresh: Session, question: str, col: str, w: str) -> None:
    assert ask(fresh, question).rows == rows(fresh, f"SELECT user_login, sum({col}) AS n FROM user_daily WHERE {w} "
                                                    "GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1")


@pytest.mark.parametrize("question", [
    "how many users made 50 cli requests last week",  # a number after the verb: a threshold, not placed here
    "how many prompts does the average developer make per day?",  # per person and per day at once
])
def test_made_with_a_number_or_a_person_day_average_is_refused(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


@pytest.mark.parametrize(("question", "cols", "w"), [
    ("Over the whole period covered by the aggregate report, how many pull-request suggestions did Copilot make, "
     "and how many of them were applied?", "sum(pr_total_copilot_suggestions), sum(pr_total_copilot_applied_suggestions)",
     ""),
    ("how many PRs were merged over the period covered by the enterprise report", "sum(pr_total_merged)", ""),
    ("How many pull request suggestions were applied in October?", "sum(pr_total_applied_suggestions)", OCT_DAYS),
])
def test_pull_request_suggestions_and_the_reports_whole_period(fresh: Session, question: str, cols: str,
                                                               w: str) -> None:
    assert ask(fresh, question).rows == rows(fresh, f"SELECT {cols} FROM entity_daily" + (f" WHERE {w}" if w else ""))


@pytest.mark.parametrize(("question", "table", "col", "n", "w"), [
    ("Please list the three models with the most accepted suggestions since October 1, ranked from highest to lowest",
     "user_daily_by_model_feature", "model", 3, "day BETWEEN DATE '2026-10-01' AND DATE '2026-11-07'"),
    ("the 5 languages with the most lines added in october, in descending order", "user_daily_by_language_feature",
     "language", 5, OCT_DAYS),
])
def test_a_ranking_with_its_own_order_said_again(fresh: Session, question: str, table: str, col: str, n: int,
                                                 w: str) -> None:
    metric = "sum(code_acceptance_activity_count)" if "accepted" in question else "sum(loc_added_sum)"
    assert ask(fresh, question).rows == rows(fresh, f"SELECT {col}, {metric} AS v FROM {table} WHERE {w} GROUP BY 1 "
                                                    f"ORDER BY v DESC, 1 LIMIT {n}")


def test_a_top_n_in_the_opposite_order_is_refused(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):  # the top three shown lowest first: a ranking and an order at once
        ask(fresh, "top 3 teams by prompts last week, lowest to highest")


@pytest.mark.parametrize(("question", "first"), [
    ("How many prompts did wmoreau send over the last 28 days, compared with wmoreau-acme over the same period?",
     "wmoreau"),
    ("wmoreau-acme vs wmoreau prompts last 28 days", "wmoreau-acme"),
])
def test_two_people_compared_come_in_the_order_named(fresh: Session, question: str, first: str) -> None:
    assert ask(fresh, question).rows[0][0] == first


def test_the_previous_week_after_the_last_7_days_is_the_week_before(fresh: Session) -> None:
    a = ask(fresh, "Compare the number of active users in the last 7 days with the previous week.")
    assert "2026-10-25" in (a.interpretation or "") and len(a.rows) == 2


def test_two_people_who_each_did_something_get_a_row_each(fresh: Session) -> None:
    a = ask(fresh, "How many prompts did wmoreau and wmoreau-acme each send last week?")
    assert {r[0]: r[1] for r in a.rows} == {x: one(fresh, "SELECT sum(user_initiated_interaction_count) FROM user_daily "
                                                          f"WHERE lower(user_login) = '{x}' AND {LAST_WEEK}")
                                            for x in ("wmoreau", "wmoreau-acme")}
    b = ask(fresh, "how many prompts did wmoreau and wmoreau-acme send each day last week")  # 'each day': per day
    assert all(len(r) == 2 for r in b.rows)


# --- answering the question asked, not another one (reader-9c) -------------------------------------
def test_after_a_day_starts_the_next_day_and_since_keeps_it(fresh: Session) -> None:
    after = ask(fresh, "how many users were active after Oct 25")
    since = ask(fresh, "how many users were active since Oct 25")
    on_or_after = ask(fresh, "how many users were active on or after oct 25")
    count = "SELECT count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '{}' AND DATE '2026-11-07'"
    assert after.rows[0][0] == one(fresh, count.format("2026-10-26"))
    assert since.rows[0][0] == on_or_after.rows[0][0] == one(fresh, count.format("2026-10-25"))
    seats = ask(fresh, "how many seats were assigned after oct 1")
    assert seats.rows[0][0] == one(fresh, "SELECT count(*) FROM seats WHERE created_at >= TIMESTAMPTZ '2026-10-02' "
                                          "AND created_at < TIMESTAMPTZ '2026-11-08'")


def test_a_window_is_covered_by_its_end_written_exclusive_only() -> None:
    from datetime import date

    from assistant.offline.reader import _covered
    sql = "SELECT 1 FROM t WHERE day BETWEEN DATE '2026-10-20' AND DATE '2026-10-25'"
    assert not _covered(date(2026, 10, 14), date(2026, 10, 19), sql.lower())  # the next window's start is no end
    assert _covered(None, date(2025, 12, 31), "select 1 from seats where created_at < timestamptz '2026-01-01 00:00'")


@pytest.mark.parametrize("question", [
    "users with more or less than 10 acceptances",
    "users with fewer than 10 acceptances or more than 100",
])
def test_two_bounds_joined_by_or_refuse_rather_than_keep_one_or_both(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="'or'"):
        ask(fresh, question)


def test_a_bound_and_or_more_still_reads(fresh: Session) -> None:
    a = ask(fresh, "users with 10 or more acceptances")
    assert first_column(a) == sorted(r[0] for r in rows(
        fresh, f"SELECT user_login FROM user_daily WHERE {WINDOW} GROUP BY 1 "
               "HAVING sum(code_acceptance_activity_count) >= 10"))


@pytest.mark.parametrize("question", [
    "how many users were active in the last week and on which day were the most",
    "how many acceptances were there and which user had the most",
    "how many users were active in october, and which of them used agent",
])
def test_how_many_and_which_refuses_rather_than_answer_one_half(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="two things"):
        ask(fresh, question)


def test_how_many_and_who_were_they_still_lists_them(fresh: Session) -> None:
    a = ask(fresh, "how many users were active in october and who were they")
    assert len(a.rows) == a.rows[0][1] == one(
        fresh, "SELECT count(DISTINCT user_id) FROM user_daily "
               "WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'")


def test_two_named_people_compared_are_never_summed(fresh: Session) -> None:
    compared = ask(fresh, "how many acceptances did mchen-acme have compared with raj-kim")  # a row each, as named
    assert [r[0] for r in compared.rows] == ["mchen-acme", "raj-kim"]
    a = ask(fresh, "mchen-acme vs raj-kim acceptances")  # a breakdown is a comparison
    assert sorted(a.rows) == sorted(rows(fresh, "SELECT user_login, sum(code_acceptance_activity_count) FROM "
                                                f"user_daily WHERE {WINDOW} "
                                                "AND user_login IN ('mchen-acme', 'raj-kim') GROUP BY 1"))


def test_each_of_several_periods_is_never_one_figure(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="each period"):
        ask(fresh, "how many users were active in each of the last 2 weeks")
    a = ask(fresh, "how many users were active each day last week")
    assert len(a.rows) == 7


@pytest.mark.parametrize("question", ["who is on 1 team", "how many users had 1 acceptance"])
def test_a_digit_the_answer_does_not_hold_refuses(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


def test_a_number_before_a_rate_word_is_no_rate(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "users with more than 1 acceptance")
    assert ask(fresh, "who is on 2 teams").rows  # a number the answer holds still reads


@pytest.mark.parametrize("question", [
    "which languages that received suggestions had the highest acceptance rate",
    "which languages with at least 100 suggestions had the highest acceptance rate",
    "highest number of active users by day",
])
def test_a_superlative_ranks_by_its_own_measure_and_gives_the_top(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


def test_the_highest_rate_still_gives_the_top_one(fresh: Session) -> None:
    a = ask(fresh, "which language had the highest acceptance rate")
    assert a.rows == rows(fresh, "SELECT language, round(sum(code_acceptance_activity_count)::DOUBLE / nullif(sum("
                                 "code_generation_activity_count), 0), 4) AS r FROM user_daily_by_language_feature "
                                 f"WHERE {WINDOW} GROUP BY 1 HAVING r IS NOT NULL ORDER BY r DESC, 1 LIMIT 1")


def test_a_counter_named_but_not_counted_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many people had suggestions but accepted none")
    a = ask(fresh, "who accepted no suggestions")  # the verb's counter: acceptances
    assert first_column(a) == sorted(r[0] for r in rows(
        fresh, f"SELECT user_login FROM user_daily WHERE {WINDOW} GROUP BY 1 "
               "HAVING sum(code_acceptance_activity_count) = 0"))


@pytest.mark.parametrize("question", ["how many devs per team", "how many developers per team"])
def test_devs_per_team_are_the_team_sizes(fresh: Session, question: str) -> None:
    assert sorted(ask(fresh, question).rows) == sorted(rows(
        fresh, f"SELECT team, count(DISTINCT user_id) FROM team_membership WHERE {WINDOW} GROUP BY 1"))
    used = ask(fresh, "how many devs per team used chat")  # a usage word keeps it a count of users
    assert "user_daily" in used.sql


def test_a_share_over_two_periods_is_never_two_counts(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "What share of active users used agent mode in October versus November?")
    a = ask(fresh, "what share of users used agent in october")  # one period's share still reads
    assert "/" in a.sql and len(a.rows) == 1


@pytest.mark.parametrize("question", ["how many users were active the week after oct 12",
                                      "how many users were active in the 7 days after oct 12"])
def test_a_span_counted_from_a_day_refuses(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="span"):
        ask(fresh, question)


def test_a_comparison_sign_before_a_number_is_its_words(fresh: Session) -> None:
    a = ask(fresh, "how many ppl accepted >50 suggestions last wk")
    assert a.rows[0][0] == one(fresh, f"SELECT count(*) FROM (SELECT user_id FROM user_daily WHERE {LAST_WEEK} "
                                      "GROUP BY 1 HAVING sum(code_acceptance_activity_count) > 50)")


def test_versus_a_period_answered_by_one_figure_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="side by side"):
        ask(fresh, "r acceptances up or down vs last wk")
    assert len(ask(fresh, "lines suggested vs lines added").rows[0]) == 2  # two figures in one row still read


@pytest.mark.parametrize("question", [
    "How many users accepted more suggestions in November than in October?",
    "How many distinct languages did mchen-acme accept suggestions in during October?",
])
def test_how_many_answered_by_sums_or_a_listing_refuses(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


def test_a_count_of_a_breakdown_still_reads(fresh: Session) -> None:
    a = ask(fresh, "Is the acceptance rate lower in JetBrains than in VS Code?")  # side by side answers a yes/no
    assert len(a.rows) == 2


def test_none_scoped_by_a_value_is_never_two_exclusions(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="none"):
        ask(fresh, "which people accepted zero suggestions in python")
    a = ask(fresh, "who did not use python")  # one negation over a value alone still reads
    assert first_column(a) == sorted(r[0] for r in rows(
        fresh, f"SELECT DISTINCT user_login FROM user_daily WHERE {WINDOW} EXCEPT SELECT DISTINCT user_login FROM "
               f"user_daily_by_language_feature WHERE language = 'python' AND {WINDOW}"))


def test_how_often_each_person_used_it_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="how often"):
        ask(fresh, "how many people used copilot at least once a week in october")


def test_a_bound_dropped_is_not_hidden_by_a_rounding_digit(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="'3'"):
        ask(fresh, "users active 3 days or fewer last week")


# --- reader-10: window words, abbreviations, restating clauses -------------------------------------------------
NOVEMBER = "day BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'"


@pytest.mark.parametrize("question", [
    "how many suggestions has raj-kim accepted so far in november",
    "acceptances by raj-kim in november so far",
    "how many acceptances did raj-kim get in november to date",
    "raj-kim's acceptances this month so far",
])
def test_so_far_beside_a_window_ends_it_at_the_latest_day(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows[0][-1] == one(fresh, "SELECT sum(code_acceptance_activity_count) FROM user_daily WHERE "
                                        f"user_login = 'raj-kim' AND {NOVEMBER}")


def test_so_far_alone_is_all_the_data_and_never_the_default(fresh: Session) -> None:
    a = ask(fresh, "how many prompts has raj-kim sent so far")
    assert a.rows[0][0] == one(fresh, "SELECT sum(user_initiated_interaction_count) FROM user_daily "
                                      "WHERE user_login = 'raj-kim'")
    assert "2026-10-11" not in a.sql  # all time, not the default 28 days


def test_all_time_beside_a_bounded_window_is_no_default_window(fresh: Session) -> None:
    try:
        a = ask(fresh, "how many prompts did raj-kim send in the whole dataset during october")
    except CannotAnswer:
        return
    assert "2026-10-11" not in a.sql


@pytest.mark.parametrize("question", [
    "how many accepts did claude models get altogether",
    "acceptances for claude models altogether",
])
def test_altogether_sums_over_the_default_window(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows[0][-1] == one(fresh, "SELECT sum(code_acceptance_activity_count) FROM user_daily_by_model_feature "
                                       f"WHERE model LIKE 'claude%' AND {WINDOW}")


def test_overall_is_still_all_the_data(fresh: Session) -> None:
    a = ask(fresh, "acceptance rate overall")
    assert "2026-10-11" not in a.sql


@pytest.mark.parametrize("question", ["acc rate by lang in october", "acceptance rate by language in october",
                                      "acc rate per language during october"])
def test_acc_is_acceptance(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, "SELECT language, round(sum(code_acceptance_activity_count)::DOUBLE / "
                           "nullif(sum(code_generation_activity_count), 0), 4) FROM user_daily_by_language_feature "
                           "WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1")
    assert sorted(map(tuple, a.rows)) == sorted(expected)


@pytest.mark.parametrize("question", ["what pct of prompts r agent mode", "what percent of prompts were agent mode",
                                      "what share of interactions went to agent mode"])
def test_a_share_whose_part_follows_a_bare_copula(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    part = one(fresh, "SELECT sum(user_initiated_interaction_count) FROM user_daily_by_feature "
                      f"WHERE feature = 'chat_panel_agent_mode' AND {WINDOW}")
    assert part in a.rows[0]


def test_a_bare_copula_before_no_value_is_not_a_share_part(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "what pct of prompts r frobnicated")


@pytest.mark.parametrize("question", ["how many lines came from agent edits last wk",
                                      "lines that came from agent edits in the last week",
                                      "how many lines of code come from agent edits last week"])
def test_lines_that_came_from_a_feature_are_the_lines_it_added(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows[0][-1] == one(fresh, "SELECT sum(loc_added_sum) FROM user_daily_by_feature "
                                       f"WHERE feature = 'agent_edit' AND {LAST_WEEK}")


def test_lines_deleted_by_a_feature_keep_their_meaning(fresh: Session) -> None:
    a = ask(fresh, "how many lines were deleted by agent edits last week")
    assert a.rows[0][-1] == one(fresh, "SELECT sum(loc_deleted_sum) FROM user_daily_by_feature "
                                       f"WHERE feature = 'agent_edit' AND {LAST_WEEK}")


@pytest.mark.parametrize("question", [
    "What was the acceptance rate for TypeScript and for Python during October? Please give both, TypeScript first.",
    "acceptance rate for typescript and python in october. show both values, typescript first",
    "acceptance rate for typescript and python in october? give both numbers.",
])
def test_both_in_the_order_named_is_the_answer_already(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert [r[0] for r in a.rows] == ["typescript", "python"]


def test_both_in_another_order_is_not_dropped(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "acceptance rate for typescript and python in october? please give both, python first")


def test_a_share_parts_clause_may_name_a_dotted_model(fresh: Session) -> None:
    a = ask(fresh, "What share of all prompts over the last 28 days went to claude-sonnet-4.6? "
                   "Please give the total, the claude-sonnet-4.6 part and the ratio.")
    part = one(fresh, "SELECT sum(user_initiated_interaction_count) FROM user_daily_by_model_feature "
                      f"WHERE model = 'claude-sonnet-4.6' AND {WINDOW}")
    assert part in a.rows[0]


@pytest.mark.parametrize("question", [
    "On Wednesday, October 14, how many code suggestions did Copilot show across the whole company?",
    "how many suggestions were shown company-wide on oct 14",
    "how many code suggestions did copilot show on wed oct 14 across the entire org",
])
def test_the_whole_company_is_no_narrowing(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows[0][-1] == one(fresh, "SELECT sum(code_generation_activity_count) FROM user_daily "
                                       "WHERE day = DATE '2026-10-14'")


def test_an_unknown_place_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many code suggestions did copilot show across the whole galaxy on oct 14")


@pytest.mark.parametrize("question", [
    "Could you rank all five teams by their number of active users over the past week, highest first?",
    "rank all 5 teams by active users last week",
    "please rank the teams by active users in the last 7 days",
])
def test_rank_opening_a_request_orders_the_breakdown(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, "SELECT m.team, count(DISTINCT u.user_id) FROM user_daily u JOIN team_membership m "
                           "ON m.user_id = u.user_id AND m.day = u.day WHERE u.day BETWEEN DATE '2026-11-01' AND "
                           "DATE '2026-11-07' GROUP BY 1")
    assert sorted(map(tuple, a.rows)) == sorted(expected)
    assert [r[1] for r in a.rows] == sorted((r[1] for r in a.rows), reverse=True)


def test_all_n_teams_with_another_number_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "rank all six teams by active users last week")


@pytest.mark.parametrize("question", [
    "How many lines of code were added, and how many were deleted, over the last 28 days?",
    "how many lines were added and how many deleted in the last 28 days",
    "how many lines added, and how many removed, over the last 28 days",
])
def test_a_second_line_verb_after_how_many_counts_lines(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert tuple(a.rows[0]) == tuple(rows(fresh, f"SELECT sum(loc_added_sum), sum(loc_deleted_sum) FROM user_daily "
                                                  f"WHERE {WINDOW}")[0])


def test_a_line_verb_with_no_lines_named_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many prompts were sent, and how many were deleted, in the last 28 days")


@pytest.mark.parametrize("question", [
    "How many tokens did the Copilot CLI consume in the last week, prompt and output tokens together?",
    "how many cli tokens were used last week, input and output tokens combined",
    "cli tokens in the last 7 days, prompt plus output tokens",
])
def test_a_measures_parts_beside_it_restate_it(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows[0][-1] == one(fresh, "SELECT sum(coalesce(cli_prompt_tokens_sum, 0) + "
                                       f"coalesce(cli_output_tokens_sum, 0)) FROM user_daily WHERE {LAST_WEEK}")


def test_tokens_asked_separately_still_refuse(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many cli tokens were used last week, prompt and output tokens separately")


@pytest.mark.parametrize("question", [
    "When did saras last authenticate with Copilot, according to the seat records?",
    "when did saras last sign in, per the seats report",
    "saras's last authentication, based on the seat data",
])
def test_the_seat_records_as_a_source_say_nothing_more(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert one(fresh, "SELECT last_authenticated_at FROM seats WHERE lower(login) = 'saras'") in a.rows[0]


def test_the_seat_records_beside_usage_still_refuse(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many prompts did saras send, according to the seat records")


@pytest.mark.parametrize("question", [
    "How many of the loaded days are still provisional and may be revised by GitHub?",
    "how many days are provisional",
    "how many of the days loaded are provisional and might still be changed",
])
def test_how_many_provisional_days_counts_them(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows == [(3,)] or [tuple(r) for r in a.rows] == [(3,)]


def test_may_before_a_verb_is_no_month(fresh: Session) -> None:
    a = ask(fresh, "which days are provisional and may be revised")
    assert "2026-05" not in a.sql and len(a.rows) == 3
    a = ask(fresh, "how many prompts in may")  # the month keeps its reading
    assert "2026-05-01" in a.sql


def test_provisional_with_another_clause_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many days are provisional and may be deleted")


@pytest.mark.parametrize("question", [
    "By how many did the number of prompts sent in the last week differ from the number sent in the week before it?",
    "by how much did prompts in the last 7 days differ from those in the previous week",
    "by how many did the count of prompts in the last week differ from the previous week",
])
def test_by_how_many_did_it_differ_is_the_signed_difference(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    last, before = (one(fresh, f"SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE day BETWEEN "
                               f"DATE '{s}' AND DATE '{e}'") for s, e in (("2026-11-01", "2026-11-07"),
                                                                         ("2026-10-25", "2026-10-31")))
    assert a.rows[0][-1] == last - before


def test_how_did_it_differ_without_by_how_many_is_not_a_number(fresh: Session) -> None:
    try:
        a = ask(fresh, "how did prompts in the last week differ from the previous week")
    except CannotAnswer:
        return
    assert len(a.rows[0]) >= 2  # never a bare difference standing for 'how'


@pytest.mark.parametrize("question", [
    "Leaving out the unknown and others buckets, which language was used by the most developers in the past week?",
    "which language had the most active users last week, excluding unknown and others",
    "not counting the unknown and others values, which language was used by the most people in the last 7 days",
])
def test_values_left_out_of_a_ranking(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, "SELECT language, count(DISTINCT user_id) AS n FROM user_daily_by_language_feature WHERE "
                           f"language NOT IN ('unknown', 'others') AND {LAST_WEEK} GROUP BY 1 ORDER BY n DESC, 1 "
                           "LIMIT 1")
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in expected]


def test_a_value_left_out_of_another_dimension_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "which language was used by the most developers last week, ignoring vscode")
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many prompts excluding python last week")  # no breakdown: not composed


def test_ignoring_weekends_keeps_its_meaning(fresh: Session) -> None:
    a = ask(fresh, "how many prompts last week, ignoring weekends")
    assert a.rows[0][0] == one(fresh, "SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE "
                                      f"{LAST_WEEK} AND dayofweek(day) NOT IN (0, 6)")


@pytest.mark.parametrize("question", [
    "who used copilot most recently", "which users were active most recently",
    "which ide was used most recently by raj-kim", "which team used chat least recently",
])
def test_most_recently_is_never_answered_as_most(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="ranks by when"):
        ask(fresh, question)


def test_most_recently_still_reads_where_the_answer_ranks_by_time(fresh: Session) -> None:
    assert ask(fresh, "who got a seat most recently").rows == rows(
        fresh, "SELECT login, organization_login, created_at FROM seats ORDER BY created_at DESC, login LIMIT 1")
    assert ask(fresh, "what was the most recent day with data").rows == rows(fresh, "SELECT max(day) FROM user_daily")


# --- a surface counted: its output events, never its users -----------------------------------------
@pytest.mark.parametrize("question, where", [
    ("how many completions last week", "feature = 'code_completion'"),
    ("number of code completions last week", "feature = 'code_completion'"),
    ("how many agent edits last week", "feature = 'agent_edit'"),
])
def test_a_surface_counted_counts_its_output_events(fresh: Session, question: str, where: str) -> None:
    a = ask(fresh, question)
    assert a.rows == rows(fresh, "SELECT sum(code_generation_activity_count) FROM user_daily_by_feature WHERE "
                                 f"{where} AND day BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'")
    assert "code generations" in (a.interpretation or "")


def test_a_surface_counted_with_a_language(fresh: Session) -> None:
    a = ask(fresh, "how many completions were in go last month")
    assert a.rows == rows(fresh, "SELECT sum(code_generation_activity_count) FROM user_daily_by_language_feature "
                                 "WHERE feature = 'code_completion' AND language = 'go' AND day BETWEEN "
                                 "DATE '2026-10-01' AND DATE '2026-10-31'")


def test_people_or_a_measure_named_keep_their_reading(fresh: Session) -> None:
    people = ask(fresh, "how many people used completions last week")
    assert people.rows == rows(fresh, "SELECT count(DISTINCT user_id) FROM user_daily_by_feature WHERE feature = "
                                      "'code_completion' AND day BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'")
    accepted = ask(fresh, "how many completions got accepted this month")
    assert accepted.rows == rows(fresh, "SELECT sum(code_acceptance_activity_count) FROM user_daily_by_feature "
                                        "WHERE feature = 'code_completion' AND day >= DATE '2026-11-01'")


@pytest.mark.parametrize("question, feature", [("how many inline chats last week", "chat_inline"),
                                               ("ask mode chats last week", "chat_panel_ask_mode")])
def test_chats_of_a_chat_feature_count_its_prompts(fresh: Session, question: str, feature: str) -> None:
    assert ask(fresh, question).rows == rows(
        fresh, "SELECT sum(user_initiated_interaction_count) FROM user_daily_by_feature WHERE feature = "
               f"'{feature}' AND day BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'")


# --- a share of seats: the seats' attributes are the whole, their activity the part ------------------
ACTIVE_SINCE = "last_active_day >= DATE '2026-11-01'"


@pytest.mark.parametrize("question", ["what share of the seats in acme-labs were active last week",
                                      "share of acme-labs seats active last week",
                                      "What percentage of our seats in acme-labs were used in the last 7 days?"])
def test_a_share_of_an_organizations_seats_is_of_that_organization(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows == rows(fresh, f"SELECT count(*) FILTER (WHERE {ACTIVE_SINCE}), count(*), round(count(*) FILTER "
                                 f"(WHERE {ACTIVE_SINCE})::DOUBLE / count(*), 4) FROM seat_usage "
                                 "WHERE organization_login = 'acme-labs'")
    assert (a.interpretation or "").startswith("of the seats with organization acme-labs, the share")


def test_an_attribute_after_the_verb_is_the_part(fresh: Session) -> None:
    a = ask(fresh, "what share of active seats last week are in acme-eng")
    assert a.rows == rows(fresh, "SELECT count(*) FILTER (WHERE organization_login = 'acme-eng'), count(*), "
                                 "round(count(*) FILTER (WHERE organization_login = 'acme-eng')::DOUBLE / count(*), 4) "
                                 f"FROM seat_usage WHERE {ACTIVE_SINCE}")
    alone = ask(fresh, "what share of seats are in acme-labs")  # one condition: it is the part, of all the seats
    assert alone.rows == rows(fresh, "SELECT count(*) FILTER (WHERE organization_login = 'acme-labs'), count(*), "
                                     "round(count(*) FILTER (WHERE organization_login = 'acme-labs')::DOUBLE / "
                                     "count(*), 4) FROM seats")


# --- the last full week, and 'N weeks ago' ---------------------------------------------------------
@pytest.mark.parametrize("question", ["active users last calendar week", "active users in the last full week",
                                      "how many people used copilot during the previous complete week"])
def test_the_last_full_week_is_the_monday_to_sunday_week_before(fresh: Session, question: str) -> None:
    a = ask(fresh, question)  # the sample's latest day is Saturday 2026-11-07: its week starts on 2026-11-02
    assert a.rows == rows(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE "
                                 "'2026-10-26' AND DATE '2026-11-01'")
    assert "Monday-Sunday" in (a.interpretation or "")


def test_last_week_alone_stays_the_last_seven_days(fresh: Session) -> None:
    assert ask(fresh, "active users last week").rows == rows(
        fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'")


def test_since_n_weeks_ago_is_a_start_and_a_bare_n_weeks_ago_is_refused(fresh: Session) -> None:
    assert ask(fresh, "active users since two weeks ago").rows == rows(
        fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE day >= DATE '2026-10-24'")
    with pytest.raises(CannotAnswer):  # that day, or that week? never 'since then'
        ask(fresh, "active users two weeks ago")


# --- 'per user' is kept, or the question refused ------------------------------------------------------
@pytest.mark.parametrize("question", ["prompts per user by team last month", "prompts per person by team"])
def test_per_user_by_a_group_is_never_the_groups_total(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="per person"):
        ask(fresh, question)


def test_per_user_kept_by_an_average_or_a_row_each(fresh: Session) -> None:
    a = ask(fresh, "avg prompts per active user last wk")
    assert a.rows[0][0] == rows(fresh, "SELECT round(sum(user_initiated_interaction_count) / count(DISTINCT user_id),"
                                       " 2) FROM user_daily WHERE day >= DATE '2026-11-01'")[0][0]
    each = ask(fresh, "how many prompts did each user send last week")
    assert sorted(each.rows) == sorted(rows(fresh, "SELECT user_login, sum(user_initiated_interaction_count) FROM "
                                                   "user_daily WHERE day >= DATE '2026-11-01' GROUP BY 1"))


def test_a_negated_value_reads_did_not_use(fresh: Session) -> None:
    a = ask(fresh, "who used neither vscode nor jetbrains last week")
    assert "did not use the IDE vscode" in (a.interpretation or "")
    assert "did not use the IDE jetbrains" in (a.interpretation or "")

# --- windows and compared periods (round 11b) -------------------------------------------------------------------
def _periods(fresh: Session, expr: str, table: str, *windows: str) -> list[object]:
    return [one(fresh, f"SELECT {expr} FROM {table} WHERE {w}") for w in windows]


@pytest.mark.parametrize("question, windows", [
    ("dau fri 10/30 vs mon 11/2", ("day = DATE '2026-10-30'", "day = DATE '2026-11-02'")),
    ("daily active users oct 27 compared to nov 3", ("day = DATE '2026-10-27'", "day = DATE '2026-11-03'")),
    ("mau in september vs october", ("day BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'",
                                     "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'")),
])
def test_an_active_user_figure_over_windows_of_its_own_span(fresh: Session, question: str,
                                                            windows: tuple[str, str]) -> None:
    a = ask(fresh, question)
    assert [r[1] for r in a.rows] == _periods(fresh, "count(DISTINCT user_id)", "user_daily", *windows)


def test_a_bare_second_day_after_vs_is_a_day_of_its_own(fresh: Session) -> None:
    a = ask(fresh, "acceptances on oct 30 vs nov 2")
    assert [r[1] for r in a.rows] == _periods(fresh, "sum(code_acceptance_activity_count)", "user_daily",
                                              "day = DATE '2026-10-30'", "day = DATE '2026-11-02'")


@pytest.mark.parametrize("question", ["dau fri 10/30 vs the last 7 days", "wau on oct 30 vs nov 2"])
def test_an_active_user_figure_over_windows_of_another_span_refuses(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):  # never one count of users over a window that is not the figure's span
        ask(fresh, question)


@pytest.mark.parametrize("question, expr, table", [
    ("What was the daily active user count on each weekday of last week, leaving out the weekend?",
     "count(DISTINCT user_id)", "user_daily"),
    ("prompts for every working day of last week", "sum(user_initiated_interaction_count)", "user_daily"),
    ("acceptances on each business day in the last 7 days", "sum(code_acceptance_activity_count)", "user_daily"),
])
def test_each_weekday_of_a_window_is_a_row_per_working_day(fresh: Session, question: str, expr: str,
                                                          table: str) -> None:
    a = ask(fresh, question)
    assert [tuple(r[:2]) for r in a.rows] == [tuple(r) for r in rows(
        fresh, f"SELECT day, {expr} FROM {table} WHERE {LAST_WEEK} AND dayofweek(day) NOT IN (0, 6) GROUP BY 1 "
               "ORDER BY 1")]


def test_every_weekday_as_a_condition_on_people_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many people used copilot every weekday this week")
    a = ask(fresh, "active users by weekday")  # the day of the week as a breakdown, weekend included
    assert len(a.rows) == 7


HALVES = ("day BETWEEN DATE '2026-10-16' AND DATE '2026-10-31'", "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-15'")


@pytest.mark.parametrize("question, expr", [
    ("How many people used Copilot in the second half of October, compared with the first half of the month?",
     "count(DISTINCT user_id)"),
    ("prompts in the second half of october vs the first half of that month", "sum(user_initiated_interaction_count)"),
    ("lines added in the second half of october compared to the first half of the same month", "sum(loc_added_sum)"),
])
def test_a_part_of_the_month_points_back_at_the_month_named(fresh: Session, question: str, expr: str) -> None:
    a = ask(fresh, question)
    assert [r[1] for r in a.rows] == _periods(fresh, expr, "user_daily", *HALVES)


def test_a_part_of_the_month_before_is_not_the_month_named(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "prompts in the second week of october vs the first week of the month before")


IN_SEP = "day BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"
IN_OCT = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"


@pytest.mark.parametrize("question, expr, order", [
    ("How did the number of engaged users change from September to October? I would like both months and the "
     "difference.", "count(DISTINCT user_id) FILTER (WHERE user_initiated_interaction_count > 0)", (IN_SEP, IN_OCT)),
    ("prompts in october vs september, both months and the difference", "sum(user_initiated_interaction_count)",
     (IN_OCT, IN_SEP)),
    ("active users in september compared with october: both periods and the difference", "count(DISTINCT user_id)",
     (IN_SEP, IN_OCT)),
])
def test_both_periods_and_the_difference_in_one_row(fresh: Session, question: str, expr: str,
                                                     order: tuple[str, str]) -> None:
    a = ask(fresh, question)
    a_val, b_val = _periods(fresh, expr, "user_daily", *order)
    later, earlier = _periods(fresh, expr, "user_daily", IN_OCT, IN_SEP)
    assert list(a.rows[0]) == [a_val, b_val, later - earlier]  # the change runs from the earlier to the later


def test_both_of_something_else_and_the_difference_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "prompts in september vs october, both teams and the difference")


@pytest.mark.parametrize("question", [
    "prompts in october vs the same period last year", "active users in october compared with a year earlier",
    "acceptances in the first week of november vs the same week the year before", "prompts in october vs last year",
])
def test_a_period_with_no_loaded_day_is_said_never_compared_as_zero(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="No data is loaded for"):
        ask(fresh, question)


def test_the_same_period_last_year_is_the_window_moved_back_a_year(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match=r"October 2025 \(2025-10-01\.\.2025-10-31\)"):
        ask(fresh, "prompts in october vs the same period last year")
    with pytest.raises(CannotAnswer, match=r"2025-11-01\.\.2025-11-07"):
        ask(fresh, "prompts in the first week of november vs the same days a year earlier")


@pytest.mark.parametrize("question, windows", [
    ("acceptances in the second half of october vs the same days a month earlier",
     (HALVES[0], "day BETWEEN DATE '2026-09-16' AND DATE '2026-09-30'")),
    ("acceptances in october vs the same period last month", (IN_OCT, IN_SEP)),
])
def test_the_same_period_last_month_is_the_window_moved_back_a_month(fresh: Session, question: str,
                                                                     windows: tuple[str, str]) -> None:
    a = ask(fresh, question)
    assert [r[1] for r in a.rows] == _periods(fresh, "sum(code_acceptance_activity_count)", "user_daily", *windows)


@pytest.mark.parametrize("question", [
    "raj-kim in October versus nzhang in September",
    "prompts by raj-kim in october vs nzhang in september",
    "acceptances in python in october vs in go in september",
    "vscode users in october compared with jetbrains users in september",
])
def test_a_value_and_a_period_on_each_side_are_never_crossed(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="pair up"):
        ask(fresh, question)


def test_one_period_for_two_people_is_still_answered(fresh: Session) -> None:
    a = ask(fresh, "how many prompts did raj-kim send in october compared with nzhang")
    assert len(a.rows) == 2


def test_two_counts_asked_are_both_given_or_refused(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):  # members per team and the active ones: never the active ones alone
        ask(fresh, "How many members does each team have, and how many of them used Copilot in October?")
    both = ask(fresh, "how many seats are there and how many are in use")
    assert len(both.rows[0]) >= 2
    periods = ask(fresh, "How many prompts did nzhang send in October, and how many did he send in the first week "
                         "of November?")
    assert len(periods.rows) == 2


# --- daily/weekly/monthly active users: one number over their own span, a series over a longer one ----------
LAST7 = "SELECT count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'"


@pytest.mark.parametrize("question", ["how many weekly active users last week", "weekly active users last week",
                                      "what is our wau", "wau", "WAU in the last 7 days"])
def test_weekly_active_users_over_a_week_is_one_number(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows == rows(fresh, LAST7)


def test_monthly_and_daily_figures_over_their_span(fresh: Session) -> None:
    assert ask(fresh, "mau in october").rows == rows(
        fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'")
    assert ask(fresh, "what's our dau").rows == rows(
        fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = DATE '2026-11-07'")


def test_a_longer_window_or_a_series_word_keeps_the_series(fresh: Session) -> None:
    weekly = ask(fresh, "weekly active users in october")
    assert len(weekly.rows) == 5 and "week" in weekly.columns[0]
    assert len(ask(fresh, "wau by week").rows) == 5
    own = ask(fresh, "wau on the latest day per github's own totals")  # GitHub's own figure, from its report
    assert "entity_daily" in own.sql


# --- two PR verbs joined by 'and': each figure, in the order named (a relative word keeps one figure) -----------------
OCTOBER = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"


@pytest.mark.parametrize(("question", "cols", "w"), [
    ("what was the total number of pull requests created, and the total merged, over the last 28 days?",
     ("pr_total_created", "pr_total_merged"), WINDOW),
    ("how many PRs were created and how many were merged last week", ("pr_total_created", "pr_total_merged"),
     LAST_WEEK),
    ("total prs merged and total reviewed in october", ("pr_total_merged", "pr_total_reviewed"), OCTOBER),
    ("pull requests opened and merged last week", ("pr_total_created", "pr_total_merged"), LAST_WEEK),
])
def test_two_pr_verbs_joined_by_and_give_both_figures(fresh: Session, question: str, cols: tuple[str, str],
                                                      w: str) -> None:
    expected = rows(fresh, f"SELECT sum({cols[0]}), sum({cols[1]}) FROM entity_daily WHERE {w}")
    assert ask(fresh, question).rows == expected


def test_a_pr_verb_after_a_relative_word_stays_a_condition(fresh: Session) -> None:
    a = ask(fresh, "how many PRs were opened that got merged in october")
    assert a.rows == rows(fresh, f"SELECT sum(pr_total_merged) FROM entity_daily WHERE {OCTOBER}")


# --- 'who' with a ranking word: the one person at that place ---------------------------------------------------------
@pytest.mark.parametrize(("question", "metric", "w", "offset"), [
    ("who sent the second highest number of prompts over the last 28 days?", "user_initiated_interaction_count",
     WINDOW, 1),
    ("who accepted the third most suggestions in october", "code_acceptance_activity_count", OCTOBER, 2),
    ("who had the highest number of prompts last week", "user_initiated_interaction_count", LAST_WEEK, 0),
    ("who had the 7th most lines added last week", "loc_added_sum", LAST_WEEK, 6),
])
def test_who_at_a_place_in_a_ranking(fresh: Session, question: str, metric: str, w: str, offset: int) -> None:
    a = ask(fresh, question)
    assert a.rows == rows(fresh, f"SELECT user_login, sum({metric}) AS n FROM user_daily WHERE {w} GROUP BY 1 "
                                 f"HAVING n > 0 ORDER BY n DESC, 1 LIMIT 1 OFFSET {offset}")


def test_who_with_an_ordinal_and_no_measure_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "who was second")


# --- a value's standing: its rank among its dimension's values, never its total ----------------------------------
_TEAMS = "(SELECT f.*, m.team FROM user_daily f JOIN team_membership m ON m.user_id = f.user_id AND m.day = f.day) t"


@pytest.mark.parametrize(("question", "inner", "value"), [
    ("what rank is mobile-apps by prompts",
     f"SELECT team AS g, sum(user_initiated_interaction_count) AS n FROM {_TEAMS} WHERE {WINDOW} GROUP BY 1",
     "mobile-apps"),
    ("where does vscode rank by lines added last week",
     f"SELECT ide AS g, sum(loc_added_sum) AS n FROM user_daily_by_ide WHERE {LAST_WEEK} GROUP BY 1", "vscode"),
    ("what position is python in by code acceptances in october",
     f"SELECT language AS g, sum(code_acceptance_activity_count) AS n FROM user_daily_by_language_feature "
     f"WHERE {OCTOBER} GROUP BY 1", "python"),
    ("what place is ahughes in by prompts",
     f"SELECT user_login AS g, sum(user_initiated_interaction_count) AS n FROM user_daily WHERE {WINDOW} GROUP BY 1",
     "ahughes"),
    ("rank of mobile-apps by prompts last week",
     f"SELECT team AS g, sum(user_initiated_interaction_count) AS n FROM {_TEAMS} WHERE {LAST_WEEK} GROUP BY 1",
     "mobile-apps"),
    ("rank vscode by lines added",
     f"SELECT ide AS g, sum(loc_added_sum) AS n FROM user_daily_by_ide WHERE {WINDOW} GROUP BY 1", "vscode"),
])
def test_a_values_rank_by_a_measure(fresh: Session, question: str, inner: str, value: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, f"SELECT g, n, rank() OVER (ORDER BY n DESC) AS r FROM ({inner}) ORDER BY r")
    assert [tuple(r) for r in a.rows] == [r for r in expected if r[0] == value]
    assert a.columns[-1] == "rank"


@pytest.mark.parametrize("question", ["what rank is mobile-apps", "what rank is mobile-apps by prompts among the top 3",
                                      "what rank are mobile-apps and payments-api by prompts"])
def test_a_standing_that_cannot_be_placed_refuses_rather_than_giving_the_total(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


@pytest.mark.parametrize(("question", "day"), [
    ("prompts by team on november fifth", "2026-11-05"),
    ("prompts by team on the sixth of november", "2026-11-06"),
    ("lines added by ide on october second", "2026-10-02"),
])
def test_an_ordinal_after_a_month_is_a_day_not_a_place(fresh: Session, question: str, day: str) -> None:
    a = ask(fresh, question)
    assert len(a.rows) > 1 and f"DATE '{day}'" in a.sql and "OFFSET" not in a.sql


# --- a bound on people using copilot, per group: the groups whose active users pass it; number words as digits --------
@pytest.mark.parametrize(("question", "sql"), [
    ("On which days in the last 28 days did fewer than ten people use Copilot?",
     f"SELECT day FROM user_daily WHERE {WINDOW} GROUP BY 1 HAVING count(DISTINCT user_id) < 10"),
    ("on which days did fewer than a dozen devs use copilot",
     f"SELECT day FROM user_daily WHERE {WINDOW} GROUP BY 1 HAVING count(DISTINCT user_id) < 12"),
    ("which teams had more than five people active last week",
     f"SELECT team FROM {_TEAMS} WHERE {LAST_WEEK} GROUP BY 1 HAVING count(DISTINCT user_id) > 5"),
    ("which languages had more than a dozen people using copilot in october",
     f"SELECT language FROM user_daily_by_language_feature WHERE {OCTOBER} GROUP BY 1 "
     "HAVING count(DISTINCT user_id) > 12"),
])
def test_groups_bounded_by_the_people_using_copilot(fresh: Session, question: str, sql: str) -> None:
    a = ask(fresh, question)
    assert first_column(a) == sorted(r[0] for r in rows(fresh, sql))


@pytest.mark.parametrize("question", ["users who had more than 5 people use copilot",
                                      "how many days did fewer than 10 people use copilot"])
def test_a_people_bound_with_no_group_to_apply_it_to_refuses(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


def test_half_a_dozen_is_a_ranking_size(fresh: Session) -> None:
    a = ask(fresh, "top half a dozen users by prompts")
    assert len(a.rows) == 6


@pytest.mark.parametrize(("question", "sql"), [
    ("How many AI credits were used in total across the organization over the last 28 days?",
     f"SELECT sum(ai_credits_used) FROM user_daily WHERE {WINDOW}"),
    ("prompts across our org last week",
     f"SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE {LAST_WEEK}"),
    ("lines added throughout the organisation in october",
     f"SELECT sum(loc_added_sum) FROM user_daily WHERE {OCTOBER}"),
])
def test_across_the_organization_is_the_whole(fresh: Session, question: str, sql: str) -> None:
    a = ask(fresh, question)
    assert a.row_count == 1 and a.rows[0][0] == one(fresh, sql)


def test_across_the_organizations_in_the_plural_still_splits_by_them(fresh: Session) -> None:
    a = ask(fresh, "active users across the organizations")
    assert "organization_login" in a.sql and a.row_count > 1


# --- a share's whole taken from the breakdown the question names; a parts clause of plain request words ------------
@pytest.mark.parametrize(("question", "col", "table", "cond", "w"), [
    ("What share of all prompts in the model breakdown went to gpt-5-mini over the last 28 days? Please give the "
     "gpt-5-mini prompts, the total prompts and the share.", "user_initiated_interaction_count",
     "user_daily_by_model_feature", "model = 'gpt-5-mini'", WINDOW),
    ("what share of lines added in the ide breakdown came from vscode last week", "loc_added_sum", "user_daily_by_ide",
     "ide = 'vscode'", LAST_WEEK),
    ("what percentage of code generations in the language data were python in october",
     "code_generation_activity_count", "user_daily_by_language_feature", "language = 'python'", OCTOBER),
])
def test_a_share_of_the_breakdown_named(fresh: Session, question: str, col: str, table: str, cond: str,
                                        w: str) -> None:
    a = ask(fresh, question)
    assert a.rows == rows(fresh, f"SELECT n, t, round(n::DOUBLE / nullif(t, 0), 4) FROM (SELECT sum({col}) FILTER "
                                 f"(WHERE {cond}) AS n, sum({col}) AS t FROM {table} WHERE {w})")


def test_a_share_with_another_dimensions_breakdown_named_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "what share of prompts in the ide breakdown went to gpt-5-mini")


@pytest.mark.parametrize(("question", "flag", "w"), [
    ("What fraction of the active users in the last 28 days used the Copilot coding agent? Please include both counts "
     "alongside the ratio.", "used_copilot_cloud_agent OR used_copilot_coding_agent", WINDOW),
    ("what share of active users used the cli last week? include both numbers alongside the percentage", "used_cli",
     LAST_WEEK),
])
def test_a_share_then_a_request_for_both_counts(fresh: Session, question: str, flag: str, w: str) -> None:
    a = ask(fresh, question)
    assert a.rows == rows(fresh, f"SELECT n, t, round(n::DOUBLE / nullif(t, 0), 4) FROM (SELECT count(DISTINCT "
                                 f"user_id) FILTER (WHERE {flag}) AS n, count(DISTINCT user_id) AS t FROM user_daily "
                                 f"WHERE {w})")


def test_a_parts_clause_naming_something_new_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "what share of active users used the cli last week? include both counts alongside the percentage "
                   "for python")


@pytest.mark.parametrize("question", ["which teams have more than 5 members",
                                      "how many teams have more than 5 members"])
def test_a_number_of_members_is_no_number_of_teams(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):  # never the people on six or more teams
        ask(fresh, question)


def test_people_on_more_than_one_team_still_read(fresh: Session) -> None:
    a = ask(fresh, "which people are on more than 1 team")
    assert "HAVING count(DISTINCT team) >= 2" in a.sql


def test_rank_before_a_plural_is_still_an_ordering(fresh: Session) -> None:
    a = ask(fresh, "rank the teams by prompts")
    assert "rank()" not in a.sql and a.row_count > 1

# --- seats: every attribute from a relation that holds it ------------------------------------------
def _columns(session: Session, table: str) -> set[str]:
    answer = session.run_sql(f"SELECT * FROM {table} LIMIT 0")
    session.history.pop()
    return set(answer.columns)


def test_every_seat_attribute_the_model_declares_is_a_column_of_its_relation(fresh: Session) -> None:
    from assistant.semantic import model

    for name in ("seat", "seat_usage", "seat_activity"):
        entity = model.ENTITIES_BY_NAME[name]
        held = _columns(fresh, entity.table)
        assert {a.column for a in entity.attributes} | {entity.key} <= held, name


def test_every_seat_attribute_binds_beside_the_seats_activity(fresh: Session) -> None:
    """Each seat attribute asked, filtered on or grouped by beside a condition on the seat's activity (read from
    seat_usage) gives SQL the engine binds on the sample: no attribute is looked up where it is not held."""
    from datetime import date

    from assistant.offline.reader import sql
    from assistant.offline.reader.frame import SEAT_GROUPS, Condition, Frame
    from assistant.semantic import model

    as_of = date(2026, 11, 7)
    for use in ("never", "active", "inactive", "absent"):
        usage = Condition("use", use, positive=use == "active")
        for a in model.ENTITIES_BY_NAME["seat"].attributes:
            frames = [Frame("seat", "list", (usage,), asked=(a.name,)), Frame("seat", "count", (
                usage, Condition("seat", a.name, "x%" if a.kind == "text" else "")))]
            frames += [Frame("seat", "group", (usage,), group=g) for n, g in SEAT_GROUPS.items() if n == a.name]
            for frame in frames:
                text, _ = sql.seat_sql(frame, as_of)
                rows(fresh, text)  # binds, or raises


def test_an_ide_named_as_a_seats_last_activity_is_its_last_activity_editor(fresh: Session) -> None:
    editor = "SELECT {} FROM seats WHERE last_activity_editor ILIKE '{}%'"
    a = ask(fresh, "Please list the seat holders whose last recorded activity was in Xcode.")
    assert first_column(a) == sorted(r[0] for r in rows(fresh, editor.format("login", "xcode")))
    for question, ide in (("How many seats show JetBrains as the editor of their last activity?", "jetbrains"),
                          ("how many seats had their last activity in vscode", "vscode"),
                          ("how many licences had their last recorded activity in eclipse", "eclipse")):
        assert ask(fresh, question).rows == rows(fresh, editor.format("count(*)", ide)), question
    # copilot.vim reports 'vim/...': the neovim IDE of the usage data
    assert ask(fresh, "how many seats had their last activity in neovim").rows == rows(
        fresh, "SELECT count(*) FROM seats WHERE last_activity_editor ILIKE 'vim%' OR last_activity_editor ILIKE "
               "'neovim%'")


def test_a_seats_last_activity_with_a_time_keeps_its_meaning(fresh: Session) -> None:
    a = ask(fresh, "how many seats had their last activity before oct 1")
    assert "last_activity_at" in a.sql and "editor" not in a.sql


def test_a_seat_only_attribute_beside_the_seats_activity(fresh: Session) -> None:
    a = ask(fresh, "how many never used seats per plan")
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in rows(
        fresh, "SELECT s.plan_type, count(*) FROM seats s JOIN seat_usage u USING (login, organization_login) WHERE "
               "u.first_active_day IS NULL AND u.last_activity_at IS NULL GROUP BY 1 ORDER BY 2 DESC, 1")]
    a = ask(fresh, "which seat holders last used copilot in xcode and were active last week")
    assert first_column(a) == sorted(r[0] for r in rows(
        fresh, "SELECT s.login FROM seats s JOIN seat_usage u USING (login, organization_login) WHERE "
               "s.last_activity_editor ILIKE 'xcode%' AND u.last_active_day >= DATE '2026-11-01'"))


# --- a timestamp asked as a date -------------------------------------------------------------------
@pytest.mark.parametrize("question, col", [
    ("last activity date on bberg's seat", "last_activity_at"),
    ("bberg's last sign in date", "last_authenticated_at"),
    ("what is the last activity date of nzhang's seat", "last_activity_at"),
])
def test_a_seat_timestamp_asked_as_a_date_is_its_day(fresh: Session, question: str, col: str) -> None:
    who = "bberg" if "bberg" in question else "nzhang"
    a = ask(fresh, question)
    assert a.rows[0][-1] == one(fresh, f"SELECT {col}::DATE FROM seats WHERE login = '{who}'")


def test_a_list_of_seats_with_a_date_and_when_keeps_the_timestamp(fresh: Session) -> None:
    a = ask(fresh, "list seat holders with their last activity date")
    assert sorted(map(str, (r[-1] for r in a.rows))) == sorted(map(str, (
        r[0] for r in rows(fresh, "SELECT last_activity_at::DATE FROM seats"))))
    a = ask(fresh, "when was bberg's last activity")
    assert a.rows[0][-1] == one(fresh, "SELECT last_activity_at FROM seats WHERE login = 'bberg'")


# --- filler typos ----------------------------------------------------------------------------------
def test_a_filler_word_with_two_letters_swapped_is_filler(fresh: Session) -> None:
    assert ask(fresh, "when did weik get thier seat").rows == ask(fresh, "when did weik get their seat").rows
    assert ask(fresh, "how many prompts did thier team send last week, for platform-core").rows == ask(
        fresh, "how many prompts did their team send last week, for platform-core").rows
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many hours did thier team use copilot")  # 'hours' is no 'yours'


# --- windows in the order named --------------------------------------------------------------------
@pytest.mark.parametrize("question, assigned, used", [
    ("Which seat holders were assigned their seat more than 30 days ago and have never used Copilot?",
     "created_at < TIMESTAMPTZ '2026-10-08 00:00:00+00'", "first_active_day IS NULL AND last_activity_at IS NULL"),
    ("which seats were assigned before sep 8 2026 and were active last week",
     "created_at < TIMESTAMPTZ '2026-09-08 00:00:00+00'", "last_active_day >= DATE '2026-11-01'"),
    ("which seats were assigned more than 60 days ago and were active last week",
     "created_at < TIMESTAMPTZ '2026-09-08 00:00:00+00'", "last_active_day >= DATE '2026-11-01'"),
    ("list seats that were assigned over 3 months ago and never used",
     "created_at < TIMESTAMPTZ '2026-08-09 00:00:00+00'", "first_active_day IS NULL AND last_activity_at IS NULL"),
])
def test_each_seat_condition_takes_the_window_named_beside_it(fresh: Session, question: str, assigned: str,
                                                             used: str) -> None:
    a = ask(fresh, question)
    assert first_column(a) == sorted(r[0] for r in rows(fresh, f"SELECT login FROM seat_usage WHERE {assigned} AND "
                                                               f"{used}"))


def test_a_count_of_seats_assigned_long_ago_and_inactive_since(fresh: Session) -> None:
    a = ask(fresh, "how many seats assigned more than 2 weeks ago have not been used since oct 15")
    assert a.rows[0][0] == one(fresh, "SELECT count(*) FROM seat_usage WHERE created_at < TIMESTAMPTZ '2026-10-24 "
                                      "00:00:00+00' AND (last_active_day IS NULL OR "
                                      "last_active_day < DATE '2026-10-15')")


def test_the_seats_granting_verb_beside_another_window_takes_none(fresh: Session) -> None:
    a = ask(fresh, "Please give me the number of active users in each organization over the last 28 days, using the "
                   "organization that granted each person's seat.")
    assert "created_at" not in a.sql


# --- coverage: the last day beside the provisional days counted -----------------------------------
@pytest.mark.parametrize("question, edges", [
    ("What is the most recent day covered by the data, and how many of the days are still provisional?", "max(day)"),
    ("what is the last day of data and how many days are provisional", "max(day)"),
    ("first and last day of data, and how many days are still provisional", "min(day), max(day)"),
])
def test_the_datas_edges_beside_how_many_days_are_provisional(fresh: Session, question: str, edges: str) -> None:
    a = ask(fresh, question)
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in rows(
        fresh, f"SELECT {edges}, count(DISTINCT day) FILTER (WHERE day >= DATE '2026-11-05') FROM user_daily")]


def test_which_days_are_provisional_beside_a_count_is_not_counted(fresh: Session) -> None:
    try:
        a = ask(fresh, "how many days of data are there and which are provisional")
    except CannotAnswer:
        return
    assert "provisional_days" not in a.sql


# --- seats per date --------------------------------------------------------------------------------
@pytest.mark.parametrize("question", [
    "How many seats are scheduled to be cancelled, and on which date does the cancellation take effect?",
    "how many seats are pending cancellation, by cancellation date",
    "how many seats end on each date",
])
def test_a_count_of_seats_by_their_cancellation_date(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in rows(
        fresh, "SELECT pending_cancellation_date, count(*) FROM seats WHERE pending_cancellation_date IS NOT NULL "
               "GROUP BY 1 ORDER BY 1")]


def test_seats_assigned_on_each_date_and_a_plain_count(fresh: Session) -> None:
    a = ask(fresh, "how many seats were assigned on each date")
    assert [tuple(r) for r in a.rows] == [tuple(r) for r in rows(
        fresh, "SELECT created_at::DATE, count(*) FROM seats WHERE created_at IS NOT NULL GROUP BY 1 ORDER BY 1")]
    a = ask(fresh, "how many seats are pending cancellation")
    assert a.rows == rows(fresh, "SELECT count(*) FROM seats WHERE pending_cancellation_date IS NOT NULL")


# --- a person's active days and the last of them, asked 'what day' ---------------------------------
@pytest.mark.parametrize("question, who, edge, window", [
    ("For nzhang, how many days were they active in October, and what was the last day they were active in that "
     "month?", "nzhang", "max", "2026-10-01' AND DATE '2026-10-31"),
    ("for weik, how many days active in october and what was the first day they used copilot", "weik", "min",
     "2026-10-01' AND DATE '2026-10-31"),
    ("how many days was raj-kim active last week, and which was the last day he was active", "raj-kim", "max",
     "2026-11-01' AND DATE '2026-11-07"),
])
def test_active_days_and_what_day_was_the_edge(fresh: Session, question: str, who: str, edge: str,
                                               window: str) -> None:
    a = ask(fresh, question)
    assert tuple(a.rows[0][1:]) == tuple(rows(fresh, f"SELECT count(DISTINCT day), {edge}(day) FROM user_daily WHERE "
                                                     f"user_login = '{who}' AND day BETWEEN DATE '{window}'")[0])


def test_active_days_and_the_last_day_of_the_data_is_not_one_persons(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many days was nzhang active in october, and what was the last day")


@pytest.mark.parametrize("question", ["what editor did bberg last use", "which ide did nzhang last use"])
def test_the_editor_a_person_last_used_is_their_seats_last_activity_editor(fresh: Session, question: str) -> None:
    who = question.split()[3]
    assert ask(fresh, question).rows[0][-1] == one(fresh, f"SELECT last_activity_editor FROM seats WHERE login = '{who}'")


@pytest.mark.parametrize("question", ["what ide did nzhang last use in october", "who last used copilot in eclipse"])
def test_last_used_is_never_answered_by_how_much(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer, match="asks when"):
        ask(fresh, question)


# --- 'across all languages' is one figure; an opening clause that only says why is dropped ----------------
OCT_RATE = ("SELECT round(sum(code_acceptance_activity_count)::DOUBLE / sum(code_generation_activity_count), 4) "
            "FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'")


@pytest.mark.parametrize("question", ["acceptance rate across all languages in october",
                                      "what was the overall acceptance rate across all languages in October?",
                                      "acceptance rate for all languages combined in october"])
def test_across_all_values_is_one_figure(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows == rows(fresh, OCT_RATE)


def test_across_all_beside_a_word_for_each_keeps_the_breakdown(fresh: Session) -> None:
    assert len(ask(fresh, "compare acceptance rate across all teams last week").rows) == 5
    assert len(ask(fresh, "acceptance rate across languages in october").rows) > 5  # no 'all': a breakdown


@pytest.mark.parametrize("opening", ["I am preparing a report for leadership:", "For our board deck,",
                                     "For the leadership offsite -"])
def test_an_opening_that_only_says_why_is_dropped(fresh: Session, opening: str) -> None:
    a = ask(fresh, f"{opening} what was the acceptance rate in October?")
    assert a.rows == rows(fresh, OCT_RATE)


def test_an_opening_with_content_is_kept(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):  # 'excluding chat' narrows the answer: it is never dropped unread
        ask(fresh, "For our review, excluding the frobnicated features, what was the acceptance rate in October?")


# --- a surface before a measure, values counted by who used them, the habitual window, two seat groupings ---------
@pytest.mark.parametrize("question, column, scope, window", [
    ("how many chat prompts were there on Tuesday, November 3?", "user_initiated_interaction_count",
     "feature LIKE 'chat%'", "day = DATE '2026-11-03'"),
    ("cli interactions last week", "user_initiated_interaction_count", "feature = 'copilot_cli'", LAST_WEEK),
    ("chat lines added in october", "loc_added_sum", "feature LIKE 'chat%'",
     "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("completion suggestions last week", "code_generation_activity_count", "feature = 'code_completion'", LAST_WEEK),
])
def test_a_surface_named_before_a_measure_narrows_it(fresh: Session, question: str, column: str, scope: str,
                                                     window: str) -> None:
    expected = one(fresh, f"SELECT sum({column}) FROM user_daily_by_feature WHERE {scope} AND {window}")
    assert [r[-1] for r in ask(fresh, question).rows] == [expected]


def test_a_surface_with_its_people_stays_a_count_of_people(fresh: Session) -> None:
    a = ask(fresh, "how many chat users on tuesday, november 3")
    assert a.rows[0][-1] == one(fresh, "SELECT count(DISTINCT user_id) FROM user_daily WHERE used_chat AND "
                                       "day = DATE '2026-11-03'")


@pytest.mark.parametrize("question, column, table, window", [
    ("How many distinct models did developers use in October?", "model", "user_daily_by_model_feature",
     "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("how many languages did people use last week", "language", "user_daily_by_language_feature", LAST_WEEK),
    ("how many ides did our users use in the last 28 days", "ide", "user_daily_by_ide", WINDOW),
])
def test_how_many_values_people_used_is_the_number_of_values(fresh: Session, question: str, column: str, table: str,
                                                             window: str) -> None:
    expected = one(fresh, f"SELECT count(DISTINCT {column}) FROM {table} WHERE {window}")
    assert [r[-1] for r in ask(fresh, question).rows] == [expected]


def test_how_many_values_a_number_of_people_used_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many models did 10 users use")


@pytest.mark.parametrize("question, plain", [
    ("Can you tell me our seat utilisation rate for the usual 28-day reporting window?",
     "Can you tell me our seat utilisation rate for the last 28 days?"),
    ("prompts over our standard 7-day window", "prompts in the last 7 days"),
    ("engaged users last week, which is the window we normally report on", "engaged users last week"),
    ("Looking only at the last 7 days, what was the acceptance rate?", "acceptance rate in the last 7 days"),
])
def test_the_habitual_reporting_window_is_the_window_it_names(fresh: Session, question: str, plain: str) -> None:
    a, b = ask(fresh, question), ask(fresh, plain)
    assert a.sql == b.sql and a.rows == b.rows


@pytest.mark.parametrize("question", ["prompts in the usual window", "prompts in the 7-day window ending nov 1"])
def test_a_habitual_window_without_its_length_or_ending_elsewhere_refuses(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


@pytest.mark.parametrize("question, columns", [
    ("seats by org and plan", "organization_login, plan_type"),
    ("how many seats per plan and team", "plan_type, assigning_team_slug"),
])
def test_seats_by_two_groupings_give_every_pair(fresh: Session, question: str, columns: str) -> None:
    expected = rows(fresh, f"SELECT {columns}, count(*) FROM seats GROUP BY ALL ORDER BY ALL")
    assert sorted(ask(fresh, question).rows, key=str) == sorted(expected, key=str)


def test_an_attribute_beside_a_seat_breakdown_is_never_dropped(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "seats by org and ide")


@pytest.mark.parametrize("question, column, table, part", [
    ("What was the total number of lines added by Copilot in October, and what portion of those lines came from "
     "agent edits?", "loc_added_sum", "user_daily_by_feature", "feature = 'agent_edit'"),
    ("how many prompts last week, and how many of those prompts came from vscode", "user_initiated_interaction_count",
     "user_daily_by_ide", "ide = 'vscode'"),
])
def test_a_part_of_those_restating_the_whole_noun_is_the_part(fresh: Session, question: str, column: str, table: str,
                                                              part: str) -> None:
    window = LAST_WEEK if "last week" in question else "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    whole = one(fresh, f"SELECT sum({column}) FROM user_daily WHERE {window}")
    piece = one(fresh, f"SELECT sum({column}) FROM {table} WHERE {part} AND {window}")
    assert tuple(ask(fresh, question).rows[0][:2]) == (whole, piece)


def test_a_part_of_those_naming_another_noun_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many prompts last week, and how many of those users came from vscode")


# --- a count of people and an amount, side by side ------------------------------------------------
@pytest.mark.parametrize("question, measure, flag, window", [
    ("how many users used the copilot cli in the last 28 days, and how many cli sessions did they run in total?",
     "cli_session_count", "used_cli", WINDOW),
    ("how many people were active last week and how many interactions did they have", "user_initiated_interaction_count",
     "TRUE", LAST_WEEK),
    ("how many devs used copilot in october and how many code acceptances did they make",
     "code_acceptance_activity_count", "TRUE", "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
])
def test_a_count_of_people_then_how_many_of_a_measure_is_its_total(fresh: Session, question: str, measure: str,
                                                                     flag: str, window: str) -> None:
    a = ask(fresh, question)
    assert a.rows == rows(fresh, f"SELECT count(DISTINCT user_id) FILTER (WHERE {flag}), sum({measure}) "
                                 f"FROM user_daily WHERE {window}")


@pytest.mark.parametrize("question", [
    "how many users used chat last month and how many cli sessions did they run",  # their sessions only: not placed
    "how many users used the cli in october, and how many chat interactions did they have",
])
def test_an_amount_of_only_the_people_counted_first_is_refused(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


def test_how_many_had_some_of_a_measure_still_counts_people(fresh: Session) -> None:
    a = ask(fresh, "how many users used chat last week and how many had some interactions")
    assert a.rows == rows(fresh, f"SELECT count(DISTINCT user_id) FILTER (WHERE used_chat), count(DISTINCT user_id) "
                                 f"FILTER (WHERE user_initiated_interaction_count > 0) FROM user_daily WHERE {LAST_WEEK}")


# --- 'on a weekend day' ----------------------------------------------------------------------------
@pytest.mark.parametrize("question, select", [
    ("how many users were active on a weekend day in october", "count(DISTINCT user_id)"),
    ("how many users used agent mode on any weekend day in october", "count(DISTINCT user_id) FILTER (WHERE used_agent)"),
    ("how many prompts were sent on weekend days in october", "sum(user_initiated_interaction_count)"),
])
def test_on_a_weekend_day_is_the_weekend(fresh: Session, question: str, select: str) -> None:
    a = ask(fresh, question)
    assert a.rows == rows(fresh, f"SELECT {select} FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND "
                                 "DATE '2026-10-31' AND dayofweek(day) IN (0, 6)")


def test_how_many_weekend_days_still_counts_days(fresh: Session) -> None:
    a = ask(fresh, "how many weekend days in october had activity")
    assert a.rows[0][-1] == one(fresh, "SELECT count(DISTINCT day) FROM user_daily WHERE day BETWEEN DATE "
                                       "'2026-10-01' AND DATE '2026-10-31' AND dayofweek(day) IN (0, 6)")


# --- 'used X on more than N days': the days they used it -------------------------------------------
@pytest.mark.parametrize("question, flag, cmp, window", [
    ("which users used the cli on more than 2 days", "used_cli", "> 2", WINDOW),
    ("which users used agent mode on at least 3 days in october", "used_agent", ">= 3",
     "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("which users used chat on more than 4 days last month", "used_chat", "> 4",
     "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
])
def test_used_a_surface_on_more_than_n_days_counts_its_days(fresh: Session, question: str, flag: str, cmp: str,
                                                           window: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, f"SELECT user_login FROM user_daily WHERE {flag} AND {window} GROUP BY 1 "
                           f"HAVING count(DISTINCT day) {cmp}")
    assert first_column(a) == sorted(r[0] for r in expected)


def test_active_on_more_than_n_days_still_counts_every_day(fresh: Session) -> None:
    a = ask(fresh, "which users were active on more than 5 days in october")
    expected = rows(fresh, "SELECT user_login FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND "
                           "DATE '2026-10-31' GROUP BY 1 HAVING count(DISTINCT day) > 5")
    assert first_column(a) == sorted(r[0] for r in expected) and expected


# --- a measure in one breakdown value, and never in another ----------------------------------------
def _done_in(fresh: Session, table: str, where_a: str, where_b: str, window: str) -> list[str]:
    got = rows(fresh, f"SELECT DISTINCT user_login FROM {table} WHERE {where_a} AND {window} EXCEPT "
                      f"SELECT DISTINCT user_login FROM {table} WHERE {where_b} AND {window}")
    return sorted(r[0] for r in got)


@pytest.mark.parametrize("question, table, col, a, b, measure, window", [
    ("which users accepted suggestions in python but never accepted any in java during october",
     "user_daily_by_language_feature", "language", "python", "java", "code_acceptance_activity_count", "october"),
    ("who accepted suggestions in python but not in typescript last month", "user_daily_by_language_feature",
     "language", "python", "typescript", "code_acceptance_activity_count", "october"),
    ("which users accepted suggestions in vscode but never accepted any in jetbrains in the last 28 days",
     "user_daily_by_ide", "ide", "vscode", "jetbrains", "code_acceptance_activity_count", "28"),
])
def test_a_measure_in_one_value_but_never_in_another(fresh: Session, question: str, table: str, col: str, a: str,
                                                     b: str, measure: str, window: str) -> None:
    span = WINDOW if window == "28" else "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    expected = _done_in(fresh, table, f"{col} = '{a}' AND {measure} > 0", f"{col} = '{b}' AND {measure} > 0", span)
    assert first_column(ask(fresh, question)) == expected


def test_a_measure_in_one_value_but_never_using_another_keeps_never_used(fresh: Session) -> None:
    a = ask(fresh, "which users accepted suggestions in python but never used java in october")
    span = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
    expected = _done_in(fresh, "user_daily_by_language_feature", "language = 'python' AND "
                        "code_acceptance_activity_count > 0", "language = 'java'", span)
    assert first_column(a) == expected


# --- 'only' the passive side of a flag --------------------------------------------------------------
def _passive_only(fresh: Session, window: str) -> list[str]:
    got = rows(fresh, f"SELECT user_login FROM user_daily WHERE {window} GROUP BY 1 HAVING "
                      "bool_or(used_copilot_code_review_passive) AND NOT bool_or(used_copilot_code_review_active)")
    return sorted(r[0] for r in got)


@pytest.mark.parametrize("question, window", [
    ("which users were only auto-reviewed last week", LAST_WEEK),
    ("who only had their code reviewed passively in october", "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("list the users who were only reviewed automatically in the last 28 days", WINDOW),
])
def test_only_the_passive_side_is_without_the_active_side(fresh: Session, question: str, window: str) -> None:
    assert first_column(ask(fresh, question)) == _passive_only(fresh, window)


def test_active_and_only_passive_review_counted_side_by_side(fresh: Session) -> None:
    a = ask(fresh, "over the last 28 days, how many users actively requested copilot code review, and how many only "
                   "had their code reviewed passively?")
    active = one(fresh, f"SELECT count(DISTINCT user_id) FROM user_daily WHERE used_copilot_code_review_active AND "
                        f"{WINDOW}")
    assert a.rows == [(active, len(_passive_only(fresh, WINDOW)))]


def test_passive_review_without_only_keeps_everyone_reviewed(fresh: Session) -> None:
    a = ask(fresh, "which users were auto-reviewed last week")
    expected = rows(fresh, f"SELECT DISTINCT user_login FROM user_daily WHERE used_copilot_code_review_passive AND "
                           f"{LAST_WEEK}")
    assert first_column(a) == sorted(r[0] for r in expected)


# --- each member of a team with their active days, the inactive ones included --------------------
def _member_days(fresh: Session, team: str, window: str) -> list[tuple]:
    return sorted(rows(fresh, f"SELECT m.user_login, count(DISTINCT u.day) FROM team_membership m LEFT JOIN user_daily u "
                              f"ON u.user_id = m.user_id AND u.day = m.day WHERE m.team = '{team}' AND "
                              f"{window.replace('day BETWEEN', 'm.day BETWEEN')} GROUP BY 1"))


@pytest.mark.parametrize("question, team, window", [
    ("list every member of the platform-core team with the number of days each was active in the last 28 days, "
     "including members who were not active at all", "platform-core", WINDOW),
    ("how many days was each member of mobile-apps active in october", "mobile-apps",
     "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("members of the payments-api team and their active days last week, even those who weren't active",
     "payments-api", LAST_WEEK),
])
def test_each_member_with_active_days_lists_the_whole_roster(fresh: Session, question: str, team: str,
                                                             window: str) -> None:
    got = ask(fresh, question)
    assert sorted(got.rows) == _member_days(fresh, team, window)


@pytest.mark.parametrize("question", [
    "average prompts per user last month including users who were not active",
    "interactions by team including those who were not active",
])
def test_including_the_inactive_outside_a_roster_is_refused(fresh: Session, question: str) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, question)


# --- heldout17's wrong answers, by mechanism ----------------------------------------------------------
def test_dau_on_one_weekday_is_one_row_per_such_day(fresh: Session) -> None:
    a = ask(fresh, "dau on mondays in oct")
    assert a.rows == rows(fresh, "SELECT day, count(DISTINCT user_id) FROM user_daily WHERE day BETWEEN DATE "
                                 "'2026-10-01' AND DATE '2026-10-31' AND dayofweek(day) = 1 GROUP BY 1 ORDER BY 1")


@pytest.mark.parametrize("question, sql", [
    ("How many seats have been assigned since the start of 2026?",
     "SELECT count(*) FROM seats WHERE created_at >= TIMESTAMPTZ '2026-01-01 00:00:00+00'"),
    ("prompts since the beginning of 2026",
     "SELECT sum(user_initiated_interaction_count) FROM user_daily WHERE day >= DATE '2026-01-01'"),
])
def test_since_the_start_of_a_year_runs_from_its_first_day(fresh: Session, question: str, sql: str) -> None:
    assert ask(fresh, question).rows == rows(fresh, sql)


def test_each_of_the_people_is_never_answered_with_one_total(fresh: Session) -> None:
    with pytest.raises(CannotAnswer, match="per person"):
        ask(fresh, "How many prompts did each of the developers who used the Copilot app in October send during "
                   "that month?")


def test_a_window_no_sql_keeps_is_refused() -> None:
    from datetime import date

    from assistant.offline.reader import nets
    from assistant.offline.reader.tokens import read

    reading = read("how many seats were assigned in october", date(2026, 11, 7), {}, frozenset())
    assert "covers no window" in (nets.check(reading, "SELECT count(*) FROM seats") or "")
    assert nets.check(reading, "SELECT count(*) FROM seats WHERE created_at >= TIMESTAMPTZ '2026-10-01'") is None


# --- a usage measure got 'through' / 'via' a feature: by means of it, as 'using' reads it -------------------------
@pytest.mark.parametrize("question, window", [
    ("list the five languages with the most lines added through agent edits in october",
     "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("which 5 languages had the most lines added via agent edits last week", LAST_WEEK),
    ("top five languages by lines added thru agent edits", WINDOW),
])
def test_through_a_feature_is_the_measure_in_that_feature(fresh: Session, question: str, window: str) -> None:
    got = ask(fresh, question)
    want = rows(fresh, f"SELECT language, sum(loc_added_sum) AS n FROM user_daily_by_language_feature WHERE {window} "
                       "AND feature = 'agent_edit' GROUP BY 1 HAVING sum(loc_added_sum) > 0 ORDER BY n DESC, 1 LIMIT 5")
    assert list(got.rows) == want


def test_through_a_team_is_still_the_seats_assigning_team(fresh: Session) -> None:
    got = ask(fresh, "seats that came through the platform-core team")
    assert "assigning_team_slug" in got.sql
    assert sorted(got.rows) == sorted(rows(fresh, "SELECT login, organization_login FROM seats "
                                                  "WHERE lower(assigning_team_slug) = 'platform-core'"))


# --- 'for every <dimension>': one figure per value, as 'for each' reads it, in the order asked ------------------
@pytest.mark.parametrize("question, direction", [
    ("show the acceptance rate for every language last week, ordered from highest to lowest", "DESC"),
    ("acceptance rate for every language last week, lowest first", "ASC"),
    ("what was the acceptance rate across every language last week, sorted from lowest to highest", "ASC"),
])
def test_for_every_dimension_is_a_breakdown(fresh: Session, question: str, direction: str) -> None:
    got = ask(fresh, question)
    want = rows(fresh, "SELECT language, round(sum(code_acceptance_activity_count)::DOUBLE / "
                       f"nullif(sum(code_generation_activity_count), 0), 4) AS r FROM user_daily_by_language_feature "
                       f"WHERE {LAST_WEEK} GROUP BY 1 ORDER BY r {direction} NULLS LAST, 1")
    assert [r[1] for r in got.rows] == [r[1] for r in want]
    assert sorted(got.rows) == sorted(want)


def test_for_every_dimension_with_an_unknown_word_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "acceptance rate for every language last week, ordered by flurbiness")


@pytest.mark.parametrize("question, feature", [("prompts in the cli last week", "feature = 'copilot_cli'"),
                                               ("prompts through the cli last week", "feature = 'copilot_cli'"),
                                               ("interactions via chat last week", "feature LIKE 'chat%'")])
def test_a_measure_in_a_surface_is_that_surfaces_share_of_it(fresh: Session, question: str, feature: str) -> None:
    assert ask(fresh, question).rows == rows(fresh, "SELECT sum(user_initiated_interaction_count) FROM "
                                                    f"user_daily_by_feature WHERE {feature} AND {LAST_WEEK}")


def test_a_measure_and_a_surfaces_users_stay_two_figures(fresh: Session) -> None:
    assert ask(fresh, "prompts and cli users last week").rows == rows(
        fresh, "SELECT sum(user_initiated_interaction_count), count(DISTINCT user_id) FILTER (WHERE used_cli) FROM "
               f"user_daily WHERE {LAST_WEEK}")


def test_days_of_data_and_their_edges_within_a_window(fresh: Session) -> None:
    a = ask(fresh, "How many days of data do we have for October, and what are the first and last of them?")
    assert a.rows == rows(fresh, "SELECT count(DISTINCT day), min(day), max(day) FROM user_daily WHERE day BETWEEN "
                                 "DATE '2026-10-01' AND DATE '2026-10-31'")
    with pytest.raises(CannotAnswer):  # the missing days of a window: not the whole data's summary
        ask(fresh, "which days are missing in october")


# --- framing: the matter a question is about, said before it ---------------------------------------
@pytest.mark.parametrize("frame", ["considering code completions only,", "when it comes to code completions,",
                                   "with respect to code completions,", "limited to code completions,"])
def test_a_framing_phrase_is_a_condition_not_an_unknown_word(fresh: Session, frame: str) -> None:
    a = ask(fresh, f"{frame} which five languages had the highest acceptance rate over the last 28 days?")
    expected = rows(fresh, "SELECT language, round(sum(code_acceptance_activity_count)::DOUBLE / "
                           "nullif(sum(code_generation_activity_count), 0), 4) AS r FROM user_daily_by_language_feature "
                           f"WHERE {WINDOW} AND feature = 'code_completion' GROUP BY 1 ORDER BY r DESC NULLS LAST, language "
                           "LIMIT 5")
    assert [tuple(r[:2]) for r in a.rows] == expected


def test_a_framed_value_filters_and_a_framed_money_question_still_refuses(fresh: Session) -> None:
    a = ask(fresh, "with respect to python, what was the acceptance rate last week")
    python = one(fresh, "SELECT round(sum(code_acceptance_activity_count)::DOUBLE / sum(code_generation_activity_count), 4) "
                        f"FROM user_daily_by_language_feature WHERE language = 'python' AND {LAST_WEEK}")
    overall = one(fresh, "SELECT round(sum(code_acceptance_activity_count)::DOUBLE / sum(code_generation_activity_count), 4) "
                         f"FROM user_daily_by_language_feature WHERE {LAST_WEEK}")
    assert a.rows[0][0] == python != overall
    with pytest.raises(CannotAnswer, match="money"):
        ask(fresh, "regarding money, what did copilot cost last month")


# --- a bound on how many people or days --------------------------------------------------------------
TEAM_ACTIVE = ("SELECT team, count(DISTINCT user_id) AS n FROM (SELECT f.*, m.team FROM user_daily f JOIN team_membership m "
               "ON m.user_id = f.user_id AND m.day = f.day) AS t WHERE {w} GROUP BY 1 HAVING count(DISTINCT user_id) > 10")


@pytest.mark.parametrize("question", ["which teams had more than 10 active members last week",
                                      "Which teams had more than 10 members who were active with Copilot last week?",
                                      "teams w/ more than 10 active ppl last wk"])
def test_a_bound_on_each_groups_active_people(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, TEAM_ACTIVE.format(w=LAST_WEEK))
    assert expected and sorted(tuple(r[:2]) for r in a.rows) == sorted(expected)


@pytest.mark.parametrize("question", ["On which days last week were fewer than 30 people active with Copilot?",
                                      "days last week with fewer than 30 active users"])
def test_days_with_fewer_than_n_people_keep_the_bound(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, f"SELECT day, count(DISTINCT user_id) FROM user_daily WHERE {LAST_WEEK} GROUP BY 1 "
                           "HAVING count(DISTINCT user_id) < 30 ORDER BY 1")
    every_day = rows(fresh, f"SELECT day FROM user_daily WHERE {LAST_WEEK} GROUP BY 1")
    assert 0 < len(expected) < len(every_day)  # the bound really filters
    assert [tuple(r[:2]) for r in a.rows] == expected


@pytest.mark.parametrize("question", ["people active on at least 4 of the 7 days last week",
                                      "devs active on at least 4 days last wk"])
def test_people_active_on_at_least_n_days(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, f"SELECT user_login, count(DISTINCT day) FROM user_daily WHERE {LAST_WEEK} GROUP BY 1 "
                           "HAVING count(DISTINCT day) >= 4")
    assert expected and sorted(tuple(r[:2]) for r in a.rows) == sorted(expected)


def test_a_bound_on_each_person_by_team_is_not_a_bound_on_the_team(fresh: Session) -> None:
    a = ask(fresh, "people with more than 4 active days last week by team")  # the near miss: each person's days
    assert len(a.columns) >= 3 and all(r[-1] > 4 for r in a.rows)


# --- 'by the number of days they were active' is the active-days measure --------------------------------
ACTIVE_DAYS = ("SELECT user_login, count(DISTINCT day) AS n FROM user_daily WHERE {w} GROUP BY 1 "
               "ORDER BY n {d}, user_login LIMIT {k}")


@pytest.mark.parametrize("question, direction, k, offset", [
    ("Who were the five most active users last week, ranked by the number of days they were active?", "DESC", 5, 0),
    ("the five most active users last week, ranked by active days", "DESC", 5, 0),
    ("Who were the three least active developers last week, measured by the number of days they used Copilot?",
     "ASC", 3, 0),
    ("Who was the second most active user last week, counting the number of days on which each person was active?",
     "DESC", 2, 1),
])
def test_ranked_by_the_number_of_days_active(fresh: Session, question: str, direction: str, k: int,
                                             offset: int) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, ACTIVE_DAYS.format(w=LAST_WEEK, d=direction, k=k))[offset:]
    assert [tuple(r[:2]) for r in a.rows] == expected


def test_the_number_of_days_each_user_was_active_is_one_row_per_person(fresh: Session) -> None:
    a = ask(fresh, "the number of days each user was active last week")
    expected = rows(fresh, f"SELECT user_login, count(DISTINCT day) FROM user_daily WHERE {LAST_WEEK} GROUP BY 1")
    assert sorted(tuple(r[:2]) for r in a.rows) == sorted(expected)
    # the near miss: 'counting members who did not use copilot' is no ranking measure, the team adoption stays
    b = ask(fresh, "Which team has the lowest adoption rate over the last 28 days, counting members who did not use Copilot?")
    assert len(b.rows) == 1 and "team" in b.columns[0]


# --- the lines agents wrote, and 'how much of that' ---------------------------------------------------
AGENT_LINES = f"SELECT sum(loc_added_sum) FROM user_daily_by_feature WHERE feature = 'agent_edit' AND {LAST_WEEK}"


@pytest.mark.parametrize("question", ["how many lines did agents write last week", "lines added by agents last week",
                                      "how many lines came from agents last week", "how many lines did agents add last wk"])
def test_the_lines_agents_wrote_are_the_agent_edit_features(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows[0][0] == one(fresh, AGENT_LINES)


def test_agent_mode_keeps_its_own_feature_and_agent_users_stay_people(fresh: Session) -> None:
    a = ask(fresh, "how many lines did agent mode add last week")
    assert a.rows[0][0] == one(fresh, "SELECT sum(loc_added_sum) FROM user_daily_by_feature "
                                      f"WHERE feature = 'chat_panel_agent_mode' AND {LAST_WEEK}")
    b = ask(fresh, "agent users last week")
    assert b.rows[0][0] == one(fresh, f"SELECT count(DISTINCT user_id) FROM user_daily WHERE used_agent AND {LAST_WEEK}")


@pytest.mark.parametrize("question", ["lines added since 11/1 and how much of that from agents",
                                      "lines added since nov 1, and how much of that came from agents?"])
def test_how_much_of_that_gives_part_whole_and_share(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    since = "day BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'"
    part = one(fresh, f"SELECT sum(loc_added_sum) FROM user_daily_by_feature WHERE feature = 'agent_edit' AND {since}")
    whole = one(fresh, f"SELECT sum(loc_added_sum) FROM user_daily WHERE {since}")
    assert sorted(a.rows[0][:2]) == sorted([part, whole]) and a.rows[0][2] == round(part / whole, 4)


# --- two questions in one sentence -----------------------------------------------------------------
def test_two_figures_joined_by_and_are_answered_side_by_side(fresh: Session) -> None:
    a = ask(fresh, "How many pull requests did Copilot review over the last 28 days, and how many of those "
                   "Copilot-reviewed pull requests were merged?")
    expected = rows(fresh, "SELECT sum(pr_total_reviewed_by_copilot), sum(pr_total_merged_reviewed_by_copilot) "
                           f"FROM entity_daily WHERE {WINDOW}")
    assert len(a.rows) == 1 and tuple(a.rows[0][:2]) == expected[0]


@pytest.mark.parametrize("question", [
    "For each IDE, how many distinct users used it last week, and what was its acceptance rate over the same period?",
    "for each ide, how many users were active last week and what was the acceptance rate in that time",
])
def test_two_measures_of_each_value_are_joined_on_it(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, "SELECT ide, count(DISTINCT user_id), round(sum(code_acceptance_activity_count)::DOUBLE / "
                           f"nullif(sum(code_generation_activity_count), 0), 4) FROM user_daily_by_ide WHERE {LAST_WEEK} "
                           "GROUP BY 1")
    assert sorted(tuple(r[:3]) for r in a.rows) == sorted(expected)


def test_a_list_and_a_figure_for_each_of_them_is_not_two_figures(fresh: Session) -> None:
    # the near miss: 'each of them' points at the people listed first; a list beside one figure would be wrong
    try:
        a = ask(fresh, "Which people were given a Copilot seat in October, and what was the first day each of them "
                       "was active?")
    except CannotAnswer:
        return
    assert "AS a, (" not in a.sql


# --- GitHub's aggregate report named as the source ---------------------------------------------------------
@pytest.mark.parametrize("question", [
    "How many pull requests did Copilot review over the last 28 days, according to the enterprise report?",
    "according to github's own totals, how many prs did copilot review in the last 28 days",
    "per the organization report, how many pull requests did copilot review over the last 28 days",
])
def test_according_to_the_aggregate_report(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert a.rows[0][0] == one(fresh, f"SELECT sum(pr_total_reviewed_by_copilot) FROM entity_daily WHERE {WINDOW}")


def test_according_to_github_a_daily_figure_is_githubs_own(fresh: Session) -> None:
    a = ask(fresh, "According to GitHub's own organization totals, how many daily active users did we have on Nov 7?")
    assert a.rows[0][-1] == one(fresh, "SELECT daily_active_users FROM entity_daily WHERE day = DATE '2026-11-07'")
# --- shapes of long plain questions ----------------------------------------------------------------
_AGENT_MEMBERS = ("SELECT DISTINCT u.user_login FROM user_daily u JOIN team_membership m ON m.user_id = u.user_id "
                  f"AND m.day = u.day WHERE m.team = 'mobile-apps' AND u.used_agent AND u.{LAST_WEEK}")


@pytest.mark.parametrize("question", [
    "Which members of the mobile-apps team used agent mode during the last week, and how many of them were there?",
    "which mobile-apps members used agent mode last week, and how many",
    "Who on the mobile-apps team used agent mode in the last week and how many of them are there?",
])
def test_a_list_then_its_number_gives_the_people_with_the_count(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = sorted(r[0] for r in rows(fresh, _AGENT_MEMBERS))
    assert expected and first_column(a) == expected and {r[-1] for r in a.rows} == {len(expected)}


def test_a_count_alone_stays_one_number(fresh: Session) -> None:
    a = ask(fresh, "how many members of the mobile-apps team used agent mode during the last week?")
    assert a.rows == [(len(rows(fresh, _AGENT_MEMBERS)),)]


_OVER_200 = ("SELECT user_login, sum(user_initiated_interaction_count) FROM user_daily WHERE day BETWEEN "
             "DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1 HAVING sum(user_initiated_interaction_count) > 200")


@pytest.mark.parametrize("question", [
    "Which users sent more than 200 prompts in October, and how many did each of them send?",
    "which devs sent over 200 prompts in october, and how many did they send",
    "Which people sent more than 200 prompts during October and how many did each one send?",
])
def test_values_listed_then_each_ones_amount(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = sorted(rows(fresh, _OVER_200))
    assert expected and sorted((r[0], r[-1]) for r in a.rows) == expected


def test_values_listed_then_their_number_is_still_counted(fresh: Session) -> None:
    a = ask(fresh, "how many users sent more than 200 prompts in october?")
    assert [r[-1] for r in a.rows] == [len(rows(fresh, _OVER_200))]


_LEAST_DAYS = ("SELECT user_login, count(DISTINCT day) AS d FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND "
               "DATE '2026-10-31' GROUP BY user_login ORDER BY d, user_login LIMIT 5")


@pytest.mark.parametrize("question", [
    "Who were the five least active developers in October, measured by the number of days they used Copilot?",
    "which 5 devs were least active in october by the number of days they used copilot",
    "Who were the 5 least active users during October, by number of days using Copilot?",
])
def test_a_ranking_measured_by_days_used_ranks_active_days(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert [(r[0], r[-1]) for r in a.rows] == rows(fresh, _LEAST_DAYS)


def test_a_ranking_by_another_measure_keeps_it(fresh: Session) -> None:
    a = ask(fresh, "who were the five least active developers in october by lines added?")
    assert [r[-1] for r in a.rows] == [r[1] for r in rows(fresh, (
        "SELECT user_login, sum(loc_added_sum) AS n FROM user_daily WHERE day BETWEEN DATE '2026-10-01' AND "
        "DATE '2026-10-31' GROUP BY 1 ORDER BY n, 1 LIMIT 5"))]


_MONTHS = ("SELECT date_trunc('month', day)::DATE AS month, sum({m}) AS n FROM user_daily WHERE day BETWEEN "
           "DATE '2026-09-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY n {o}, month LIMIT 1")


@pytest.mark.parametrize(("question", "metric", "order"), [
    ("In which month did our developers add more lines of code with Copilot, September or October?",
     "loc_added_sum", "DESC"),
    ("which month had more lines added, september or october?", "loc_added_sum", "DESC"),
    ("Which month saw fewer prompts, September or October?", "user_initiated_interaction_count", "ASC"),
])
def test_which_of_two_periods_gives_the_winner(fresh: Session, question: str, metric: str, order: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, _MONTHS.format(m=metric, o=order))
    assert len(a.rows) == 1 and (str(a.rows[0][0])[:7], a.rows[0][-1]) == (str(expected[0][0])[:7], expected[0][1])


def test_two_periods_compared_without_which_keep_both(fresh: Session) -> None:
    a = ask(fresh, "compare lines added in september vs october")
    assert len(a.rows) >= 2 or len(a.rows[0]) >= 2


_TEAM_PER_MEMBER = ("SELECT round(sum(u.user_initiated_interaction_count)::DOUBLE / count(DISTINCT u.user_id), 4) "
                    "FROM user_daily u JOIN team_membership m ON m.user_id = u.user_id AND m.day = u.day "
                    f"WHERE m.team = 'mobile-apps' AND u.{LAST_WEEK}")


@pytest.mark.parametrize("question", [
    "During the last week, how many prompts did the mobile-apps team send per active member?",
    "average prompts per active user on mobile-apps last week",
    "how many prompts did mobile-apps members send per active member in the last week",
])
def test_a_teams_amount_per_active_member_is_one_number(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert len(a.rows) == 1 and one(fresh, _TEAM_PER_MEMBER) in a.rows[0]


def test_a_teams_amount_without_per_stays_its_total(fresh: Session) -> None:
    a = ask(fresh, "how many prompts did the mobile-apps team send last week?")
    assert a.rows[0][-1] == one(fresh, "SELECT sum(u.user_initiated_interaction_count) FROM user_daily u JOIN "
                                       "team_membership m ON m.user_id = u.user_id AND m.day = u.day "
                                       f"WHERE m.team = 'mobile-apps' AND u.{LAST_WEEK}")


_TWO_IDES = ("SELECT ide, count(DISTINCT user_id), round(sum(code_acceptance_activity_count)::DOUBLE / "
             "nullif(sum(code_generation_activity_count), 0), 4) FROM user_daily_by_ide WHERE ide IN ('vscode', "
             f"'jetbrains') AND {WINDOW} GROUP BY ide")


@pytest.mark.parametrize("question", [
    "Compare VS Code with JetBrains on active users and acceptance rate over the last 28 days.",
    "active users and acceptance rate for vscode vs jetbrains",
    "compare jetbrains and vscode on acceptance rate and active users",
])
def test_two_measures_compared_across_two_values_give_both_per_value(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    got = {r[0]: sorted(x for x in r[1:]) for r in a.rows}
    assert got == {r[0]: sorted(r[1:]) for r in rows(fresh, _TWO_IDES)}


def test_one_measure_compared_across_two_values_stays_one(fresh: Session) -> None:
    a = ask(fresh, "acceptance rate in vscode vs jetbrains")
    assert sorted((r[0], r[-1]) for r in a.rows) == sorted((r[0], r[2]) for r in rows(fresh, _TWO_IDES))


_THROUGH_TEAM = ("SELECT round(count(*) FILTER (WHERE last_active_day >= DATE '2026-10-11')::DOUBLE / count(*), 4) "
                 "FROM seat_usage WHERE assigning_team_slug = 'mobile-apps'")


@pytest.mark.parametrize("question", [
    "Of the seats assigned through the mobile-apps team, what share belong to someone who was active in the last "
    "28 days?",
    "what share of seats assigned through mobile-apps belong to people active in the last 28 days",
    "Of seats assigned through the mobile-apps team, what percentage are held by someone active in the last 28 days?",
])
def test_seats_assigned_through_a_team_are_its_not_dated(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert len(a.rows) == 1 and one(fresh, _THROUGH_TEAM) in a.rows[0]


def test_seats_assigned_through_a_team_in_a_month_keep_the_date(fresh: Session) -> None:
    a = ask(fresh, "how many seats were assigned through mobile-apps in october?")
    assert a.rows[0][-1] == one(fresh, "SELECT count(*) FROM seats WHERE assigning_team_slug = 'mobile-apps' AND "
                                       "created_at >= TIMESTAMPTZ '2026-10-01 00:00:00+00' AND "
                                       "created_at < TIMESTAMPTZ '2026-11-01 00:00:00+00'")


@pytest.mark.parametrize("question", [
    "For the seat holders whose last activity was in Xcode, when did that last activity happen?",
    "For the seat holders whose last activity was in Xcode, when was that last activity?",
    "for seat holders whose last activity was in xcode, when did their last activity happen",
])
def test_the_time_asked_after_when_is_a_column_beside_the_editor_filter(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, "SELECT login, last_activity_at FROM seats WHERE lower(last_activity_editor) LIKE 'xcode%'")
    assert expected and sorted((r[0], r[-1]) for r in a.rows) == sorted(expected)


def test_seat_holders_whose_last_activity_was_in_an_editor_stay_listed(fresh: Session) -> None:
    a = ask(fresh, "which seat holders had their last activity in xcode?")
    assert first_column(a) == sorted(r[0] for r in rows(
        fresh, "SELECT login FROM seats WHERE lower(last_activity_editor) LIKE 'xcode%'")) and len(a.columns) == 2


@pytest.mark.parametrize("question", [
    "Among our seat holders, whose most recent activity was in Xcode?",
    "among seat holders, whose most recent activity was in xcode",
    "Which seat holders had their most recent activity in Xcode?",
])
def test_most_recent_activity_in_an_editor_is_the_seats_last_editor(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert first_column(a) == sorted(r[0] for r in rows(
        fresh, "SELECT login FROM seats WHERE lower(last_activity_editor) LIKE 'xcode%'"))


_AGENT_USERS_LINES = ("SELECT user_login, sum(loc_added_sum) FROM user_daily WHERE "
                      f"{LAST_WEEK} GROUP BY user_login HAVING bool_or(used_agent)")


@pytest.mark.parametrize("question", [
    "For each developer who used agent mode last week, how many lines of code did they add during that week?",
    "for each dev who used agent mode last week, how many lines did they add",
    "For every user who used agent mode in the last week, how many lines of code did they add?",
])
def test_each_person_a_clause_picks_gets_all_their_own_figure(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = sorted(rows(fresh, _AGENT_USERS_LINES))
    assert expected and sorted((r[0], r[-1]) for r in a.rows) == expected


def test_the_people_a_clause_picks_without_each_stay_one_total(fresh: Session) -> None:
    a = ask(fresh, "how many lines of code did agent mode users add last week?")
    assert len(a.rows) == 1


_TEAM_LINES = ("SELECT m.team, sum(u.loc_added_sum), sum(u.loc_deleted_sum) FROM user_daily u JOIN team_membership m "
               f"ON m.user_id = u.user_id AND m.day = u.day WHERE u.{WINDOW} GROUP BY m.team")


@pytest.mark.parametrize("question", [
    "For each team, how many lines were added and how many were deleted over the last 28 days?",
    "lines added and lines deleted by team",
    "for each team, how many lines were added and how many deleted in the last 28 days",
])
def test_two_measures_per_team_give_both(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert sorted((r[0], r[1], r[2]) for r in a.rows) == sorted(rows(fresh, _TEAM_LINES))


def test_one_measure_per_team_stays_one(fresh: Session) -> None:
    a = ask(fresh, "lines added by team")
    assert sorted((r[0], r[-1]) for r in a.rows) == sorted((r[0], r[1]) for r in rows(fresh, _TEAM_LINES))


# --- a seat list, and the time asked after 'when' ----------------------------------------------------------
def test_the_time_asked_after_when_is_shown_beside_each_seat(fresh: Session) -> None:
    a = ask(fresh, "Which seat holders last authenticated with Copilot before November 1, 2026, and when was that "
                   "authentication?")
    expected = rows(fresh, "SELECT login, last_authenticated_at FROM seats "
                           "WHERE last_authenticated_at < TIMESTAMPTZ '2026-11-01 00:00:00+00'")
    assert expected and "last_authenticated_at" in a.columns
    at = a.columns.index("last_authenticated_at")
    assert sorted((r[0], r[at]) for r in a.rows) == sorted(expected)


@pytest.mark.parametrize("question", [
    "Which seat holders had their last Copilot activity in a JetBrains IDE, and when did that activity happen?",
    "which seat holders had their last activity in jetbrains and when did that last activity happen",
])
def test_an_editor_filter_and_the_time_of_that_activity(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, "SELECT login, last_activity_at FROM seats WHERE lower(last_activity_editor) LIKE 'jetbrains%'")
    at = a.columns.index("last_activity_at")
    assert expected and sorted((r[0], r[at]) for r in a.rows) == sorted(expected)


@pytest.mark.parametrize("question", [
    "Please list every seat that is pending cancellation, together with the date on which each cancellation takes "
    "effect.",
    "show me all seats pending cancellation and when",
])
def test_every_seat_pending_cancellation_with_its_date(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, "SELECT login, pending_cancellation_date FROM seats WHERE pending_cancellation_date IS NOT NULL")
    at = a.columns.index("pending_cancellation_date")
    assert expected and sorted((r[0], r[at]) for r in a.rows) == sorted(expected)
    # the near miss: without 'when' the date is a condition, not a column asked
    b = ask(fresh, "which seat holders last authenticated before November 1, 2026")
    assert len(b.rows) == len(rows(fresh, "SELECT login FROM seats "
                                          "WHERE last_authenticated_at < TIMESTAMPTZ '2026-11-01 00:00:00+00'"))


# --- a ranking's own figure asked again for each value; holding a seat ---------------------------------------
@pytest.mark.parametrize("question", [
    "Which three IDEs had the most lines added last week, and how many lines did each of them add?",
    "which 3 ides had the most lines added last week and how much did each one add",
])
def test_a_rankings_figure_asked_again_for_each_is_the_ranking(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    expected = rows(fresh, f"SELECT ide, sum(loc_added_sum) AS n FROM user_daily_by_ide WHERE {LAST_WEEK} GROUP BY 1 "
                           "ORDER BY n DESC, ide LIMIT 3")
    assert [tuple(r[:2]) for r in a.rows] == expected


def test_another_figure_for_each_ranked_value_is_not_dropped(fresh: Session) -> None:
    try:  # the near miss: prompts are not the ranking's measure, so the clause is no restatement
        a = ask(fresh, "which three ides had the most lines added last week, and how many prompts did each of them send?")
    except CannotAnswer:
        return
    assert any("interaction" in c for c in a.columns)


@pytest.mark.parametrize("question", [
    "How many people hold a Copilot seat, and how many of them were active in the last 28 days?",
    "how many devs have a copilot license, and how many of them were active in the last 28 days",
])
def test_holding_a_seat_is_a_seat_holder(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    holders = one(fresh, "SELECT count(DISTINCT lower(login)) FROM seats")
    active = one(fresh, "SELECT count(DISTINCT lower(login)) FROM seat_usage WHERE last_active_day >= DATE '2026-10-11'")
    assert tuple(a.rows[0]) == (holders, active) and active < holders


# --- 'touch' is a usage verb; 'before <year>' is every day before it ----------------------------------------------
def test_didnt_touch_is_never_used(fresh: Session) -> None:
    a = ask(fresh, "how many active devs in october didnt touch the cli")
    b = ask(fresh, "how many active devs in october did not use the cli")
    assert a.rows == b.rows and a.rows[0][0] > 0


def test_seats_assigned_before_a_year(fresh: Session) -> None:
    a = ask(fresh, "which seats were assigned before 2026")
    expected = rows(fresh, "SELECT login FROM seats WHERE created_at < TIMESTAMPTZ '2026-01-01 00:00:00+00'")
    assert expected and sorted(r[0] for r in a.rows) == sorted(r[0] for r in expected)
    # the near miss: 'in 2025' is that year only, the same seats here but read as a year, not an open edge
    assert "2025-01-01" in ask(fresh, "which seats were assigned in 2025").sql
# --- a last clause that only asks for each compared period's figure ------------------------------------------------
_SEP = "day BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"
_OCT = "day BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
_PREVIOUS_WEEK = "day BETWEEN DATE '2026-10-25' AND DATE '2026-10-31'"


@pytest.mark.parametrize("question", [
    "Did the number of active users drop from September to October? Please show the figure for each month.",
    "did the number of active users drop from september to october, and what were the two figures?",
    "Did active users fall from September to October? Please give the number for each of the two months.",
])
def test_a_clause_asking_each_periods_figure_keeps_the_comparison(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert [r[-2] for r in a.rows] == _periods(fresh, "count(DISTINCT user_id)", "user_daily", _SEP, _OCT)


@pytest.mark.parametrize("question", [
    "How many more prompts were sent in the last 7 days than in the 7 days before that? Please show both weekly "
    "totals and the difference.",
    "how many more prompts were sent in the last 7 days than in the previous 7 days? please show the total for each "
    "of the two weeks",
    "How many more prompts in the last 7 days than in the 7 days before that, and what were both totals?",
])
def test_a_clause_asking_both_totals_keeps_the_difference_row(fresh: Session, question: str) -> None:
    a, b = _periods(fresh, "sum(user_initiated_interaction_count)", "user_daily", LAST_WEEK, _PREVIOUS_WEEK)
    assert [tuple(r) for r in ask(fresh, question).rows] == [(a, b, a - b)]


def test_a_clause_asking_each_teams_figure_is_no_restated_period(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "How many more prompts were sent in the last 7 days than in the 7 days before that? Please show "
                   "the figure for each team and the difference.")


@pytest.mark.parametrize("question", [
    "Did the number of daily active users on Tuesday, October 27 drop compared with the previous Tuesday, October 20?",
    "dau on tuesday oct 27 vs the prior tuesday, oct 20",
])
def test_a_weekday_pointed_back_to_with_its_date_is_that_date(fresh: Session, question: str) -> None:
    a = ask(fresh, question)
    assert sorted(r[1] for r in a.rows) == sorted(_periods(fresh, "count(DISTINCT user_id)", "user_daily",
                                                           "day = DATE '2026-10-20'", "day = DATE '2026-10-27'"))


def test_a_weekday_pointed_back_to_without_a_date_still_refuses(fresh: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(fresh, "how many daily active users were there on the previous tuesday")


@pytest.mark.parametrize("question", ["whats our wau", "what's our wau rn", "whats our wau right now"])
def test_wau_without_an_apostrophe_is_the_last_7_days(fresh: Session, question: str) -> None:
    assert ask(fresh, question).rows[0][0] == one(fresh, f"SELECT count(DISTINCT user_id) FROM user_daily WHERE {LAST_WEEK}")


@pytest.mark.parametrize("question", ["which users used chat in the IDE last week", "which users used chat last week",
                                      "which users used chat inside their editor last week"])
def test_in_the_ide_names_no_ide_in_particular(fresh: Session, question: str) -> None:
    expected = rows(fresh, f"SELECT DISTINCT user_login FROM user_daily WHERE used_chat AND {LAST_WEEK}")
    assert first_column(ask(fresh, question)) == sorted(r[0] for r in expected)
    # the near miss: 'in each ide' is still a breakdown by IDE
    assert ask(fresh, "acceptance rate in each ide last week").columns[0] == "ide"
