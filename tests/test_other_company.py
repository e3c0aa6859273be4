"""The offline reader on a company other than the bundled sample: other people, other dates, other team names.

The values a question names are read from the loaded data, so the reader must not depend on the sample's teams.
Here the generated company's teams are renamed to words the reader also knows for something else ('data',
'api', 'chat'): beside their dimension's noun they are the team; elsewhere they keep their ordinary meaning.
"""

from __future__ import annotations

import gzip
from contextlib import closing
from pathlib import Path
from typing import Iterator

import pytest

from assistant.config import load_settings
from assistant.engine.session import Session
from assistant.errors import CannotAnswer
from assistant.ingest import load_paths
from assistant.offline.translator import OfflineTranslator
from fixtures.generate import main as generate

# the company of eval/other/heldout16.jsonl (see eval/README.md)
OTHER_COMPANY = ["--users", "90", "--days", "60", "--end", "2026-10-21", "--seed", "777", "--gzip", "--jobs", "1"]
RENAMED = {"payments-api": "payments", "data-science": "data", "mobile-apps": "api", "web-frontend": "chat",
           "platform-core": "platform"}


def _renamed(text: str) -> str:
    for old, new in RENAMED.items():
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def odd_teams(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    out = tmp_path_factory.mktemp("other-company")
    assert generate(["--out", str(out), *OTHER_COMPANY]) == 0
    for f in out.rglob("*"):
        if f.name.endswith(".gz") and "user-teams" in f.name:
            f.write_bytes(gzip.compress(_renamed(gzip.decompress(f.read_bytes()).decode()).encode()))
        elif f.name in ("team-map.csv", "seats.json"):
            f.write_text(_renamed(f.read_text(encoding="utf-8")), encoding="utf-8")
    db = out / "odd.duckdb"
    assert not load_paths(db, [out], strict=True).failed
    with closing(Session(load_settings(db=db, offline=True), translator=OfflineTranslator())) as s:
        yield s


# the companies eval/other/heldout16-21.jsonl were written for, as their writers generated them
COMPANIES = {"heldout16": OTHER_COMPANY,
             "heldout18": ["--users", "120", "--days", "75", "--end", "2026-11-18", "--seed", "9090", "--layout", "1-day",
                           "--jobs", "1"],
             "heldout19": ["--users", "200", "--days", "50", "--end", "2026-08-31", "--seed", "2468", "--scope",
                           "organization", "--gzip", "--jobs", "1"],
             "heldout20": ["--users", "160", "--days", "65", "--end", "2026-12-15", "--seed", "5150", "--gzip",
                           "--jobs", "1"],
             "heldout21": ["--users", "140", "--days", "55", "--end", "2027-02-10", "--seed", "8086", "--scope",
                           "organization", "--layout", "1-day", "--jobs", "1"],
             "heldout17": ["--users", "150", "--days", "45", "--end", "2026-09-30", "--seed", "31337", "--scope",
                           "organization", "--gzip", "--jobs", "1"]}
# first sight (eval/README.md): heldout16 118/9/3 on 364f48c, heldout17 106/20/4 on dd2bd94, heldout18 103/23/4 and
# heldout19 101/21/8 on a3a9769, heldout20 106/21/3 on 4f8822f, heldout21 93/35/2 on 05c407e; the floors keep what
# the fixes after each of them reached (heldout17 keeps c019 and c049, conventions its writer reads the other way:
# 'never' over all the data, and an unknown CLI flag counted as no use); heldout21's is its first sight with its two
# casual wrong answers fixed (g002 'whats our wau', g053 'on 2+ teams' over the window's rosters)
FLOORS = {"heldout16": (0.98, 0.0), "heldout17": (0.84, 0.016), "heldout18": (0.83, 0.008), "heldout19": (0.88, 0.0),
          "heldout20": (0.91, 0.016), "heldout21": (0.73, 0.0)}


@pytest.mark.parametrize("name", sorted(COMPANIES))
def test_a_set_on_its_own_company_meets_its_floor(tmp_path: Path, name: str) -> None:
    from assistant.engine.evaluate import load_cases, make_translator, run_eval

    assert generate(["--out", str(tmp_path / "exports"), *COMPANIES[name]]) == 0
    db = tmp_path / "company.duckdb"
    assert not load_paths(db, [tmp_path / "exports"], strict=True).failed
    cases = load_cases(Path(__file__).parent.parent / "eval" / "other" / f"{name}.jsonl")
    assert len(cases) == 130 and sum(c.expect == "refuse" for c in cases) >= 15
    settings = load_settings(db=db, offline=True)
    report = run_eval(settings, cases, make_translator(settings, "offline"))
    failing = [(o.id, o.verdict, o.question, o.detail) for o in report.outcomes if o.verdict != "correct"]
    floor, ceiling = FLOORS[name]
    assert report.share("correct") >= floor, failing
    assert report.share("wrong") <= ceiling, failing


def ask(s: Session, question: str) -> tuple[str, list[tuple]]:
    s.history.clear()
    a = s.ask(question, explain=False)
    return a.sql, a.rows


def one(s: Session, sql: str) -> list[tuple]:
    return s.run_sql(sql).rows


TEAM_RATE = ("SELECT round(sum(code_acceptance_activity_count)::DOUBLE / sum(code_generation_activity_count), 4) "
             "FROM user_daily u JOIN team_membership m USING (user_id, day) WHERE m.team = '{team}' "
             "AND u.day BETWEEN DATE '2026-10-15' AND DATE '2026-10-21'")


@pytest.mark.parametrize("question, team", [
    ("acceptance rate of the data team last week", "data"),
    ("last week's acceptance rate for team data", "data"),
    ("acceptance rate of the chat team last week", "chat"),  # 'chat' is also Copilot Chat
    ("what was the api team's acceptance rate last week", "api"),
    ("acceptance rate for the payments team last week", "payments"),
])
def test_a_team_named_like_a_word_is_the_team_beside_its_noun(odd_teams: Session, question: str, team: str) -> None:
    sql, rows = ask(odd_teams, question)
    assert f"'{team}'" in sql and rows == one(odd_teams, TEAM_RATE.format(team=team))


@pytest.mark.parametrize("question, expected", [
    ("how many days of data do we have", "SELECT count(DISTINCT day) FROM user_daily"),
    ("what is the first day in the data", "SELECT min(day) FROM user_daily"),
    ("From the user-level data, how many users were active on October 12?",
     "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = DATE '2026-10-12'"),
    ("how many people used chat last week",
     "SELECT count(DISTINCT user_id) FROM user_daily_by_feature WHERE feature LIKE 'chat%' "
     "AND day BETWEEN DATE '2026-10-15' AND DATE '2026-10-21'"),
])
def test_elsewhere_the_word_keeps_its_ordinary_meaning(odd_teams: Session, question: str, expected: str) -> None:
    sql, rows = ask(odd_teams, question)
    assert "team" not in sql and rows == one(odd_teams, expected)


def test_people_of_a_team_named_like_a_word(odd_teams: Session) -> None:
    members = ("SELECT count(*) FROM (SELECT DISTINCT user_login FROM team_membership WHERE team = 'data' AND day "
               "BETWEEN DATE '2026-10-15' AND DATE '2026-10-21' INTERSECT SELECT DISTINCT u.user_login FROM "
               "user_daily u JOIN team_membership m USING (user_id, day) WHERE m.team = 'data' AND u.day BETWEEN "
               "DATE '2026-10-15' AND DATE '2026-10-21')")
    for question in ("how many people on data used copilot last week",
                     "how many members of data used copilot last week"):
        assert ask(odd_teams, question)[1] == one(odd_teams, members), question


def test_a_team_that_is_not_loaded_is_still_refused(odd_teams: Session) -> None:
    with pytest.raises(CannotAnswer):
        ask(odd_teams, "acceptance rate of the billing team last week")
