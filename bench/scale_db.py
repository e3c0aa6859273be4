"""Build a synthetic cma database of SEATS users x DAYS days directly with DuckDB SQL (no NDJSON written).

    python bench/scale_db.py --seats 100000 --days 365 --out /tmp/scale-36m.duckdb

Every seat has a user_daily row on every day (SEATS x DAYS user-days), one IDE, two features, two
languages, one model; one team per user from the user-teams report (SEATS / 250 teams, at least 40);
5% more seats are never used (seated and in a team, no activity); entity_daily has one row per day. Values
come from hashing (user, day), so a build is reproducible. The per-load facts are then built by the
same `derived.refresh` a `cma load` ends with, and its time is reported. --lean keeps only the
language breakdown (one row per user-day), for the sizes where all five would not finish in time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.semantic import catalog  # noqa: E402
from assistant.store import db, derived  # noqa: E402

LAST_DAY = "2026-11-30"
IDES = ("vscode", "JetBrains", "visualstudio", "neovim")
CHAT = ("chat_panel_ask_mode", "chat_panel_agent_mode", "chat_panel_edit_mode", "copilot_cli")
LANGUAGES = ("python", "typescript", "java", "go", "csharp", "javascript", "rust", "ruby", "cpp", "kotlin")
MODELS = ("gpt-4.1", "claude-sonnet-4", "gpt-5-mini", "gemini-2.5-pro")
PHASES = ("exploring", "adopting", "scaling")


def pick(values: tuple[str, ...], h: str) -> str:
    """SQL choosing one of `values` by the hash expression `h`."""
    return f"[{', '.join(repr(v) for v in values)}][(1 + ({h}) % {len(values)})::BIGINT]"


def user_daily_exprs(days: int) -> dict[str, str]:
    """The generated expression of each user_daily column (NULL for the rest)."""
    h = "h"  # hash(u * 1000 + d), computed once per row in the FROM
    gen = f"({h} % 60)"
    acc = f"(({h} >> 8) % (1 + {gen}))"
    inter = f"(({h} >> 16) % 15)"
    return {
        "day": f"DATE '{LAST_DAY}' - {days - 1} + d::INTEGER",
        "enterprise_id": "'4821'",
        "user_id": "1000000 + u",
        "user_login": "'dev' || u",
        "user_initiated_interaction_count": inter,
        "code_generation_activity_count": gen,
        "code_acceptance_activity_count": acc,
        "loc_suggested_to_add_sum": f"{gen} * 3",
        "loc_suggested_to_delete_sum": "0",
        "loc_added_sum": f"{acc} * 3 + ({h} >> 24) % 40",
        "loc_deleted_sum": f"({h} >> 28) % 10",
        "used_agent": f"({h} >> 32) % 4 = 0",
        "used_chat": f"{inter} > 0",
        "used_cli": f"({h} >> 34) % 10 = 0",
        "ai_adoption_phase": pick(PHASES, "hash(u) >> 3"),
        "ai_adoption_phase_number": "1 + (hash(u) >> 3) % 3",
        "cli_session_count": f"CASE WHEN ({h} >> 34) % 10 = 0 THEN 1 + ({h} >> 40) % 5 ELSE 0 END",
        "cli_request_count": f"CASE WHEN ({h} >> 34) % 10 = 0 THEN 3 + ({h} >> 44) % 30 ELSE 0 END",
        "import_id": "1",
    }


def insert_user_daily(con, seats: int, days: int) -> None:  # type: ignore[no-untyped-def]
    exprs = user_daily_exprs(days)
    cols = [c.name for c in catalog.USER_DAILY.columns]
    select = ", ".join(exprs.get(c, "NULL") for c in cols)
    con.execute(f"INSERT INTO user_daily SELECT {select} FROM "
                f"(SELECT d, u, hash(u * 1000 + d) AS h FROM range({days}) t(d), range({seats}) s(u))")


def breakdown(con, table: catalog.Table, copies: int, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Insert `copies` rows per user-day into a breakdown table, splitting the day's counters between them."""
    exprs = []
    for c in table.columns:
        if c.name in ("day", "enterprise_id", "organization_id", "user_id", "user_login"):
            exprs.append(f"u.{c.name}")
        elif c.name == "import_id":
            exprs.append("1")
        elif c.name in values:
            exprs.append(values[c.name])
        elif c.type == "BIGINT":
            exprs.append(f"CASE WHEN k = 0 THEN u.{c.name} - u.{c.name} // {copies} ELSE u.{c.name} // {copies} END")
        else:
            exprs.append("NULL")
    con.execute(f"INSERT INTO {table.name} SELECT {', '.join(exprs)} FROM user_daily u, range({copies}) f(k)")


def insert_breakdowns(con, lean: bool = False) -> None:  # type: ignore[no-untyped-def]
    uh = "hash(u.user_id)"
    dh = "hash(u.user_id * 1000 + (u.day - DATE '2000-01-01'))"
    feature = f"CASE WHEN k = 0 THEN 'code_completion' ELSE {pick(CHAT, dh)} END"
    language = pick(LANGUAGES, f"{uh} + k * 3 + ({dh} % 2)")
    model = pick(MODELS, dh + " >> 5")
    if lean:  # only what the typical questions read: languages, one row per user-day
        breakdown(con, catalog.USER_DAILY_BY_LANGUAGE_FEATURE, 1, {"language": language, "feature": feature})
        return
    breakdown(con, catalog.USER_DAILY_BY_IDE, 1, {"ide": pick(IDES, uh), "ide_version": "'1.99.0'",
                                                  "plugin": "'copilot'", "plugin_version": "'1.300.0'"})
    breakdown(con, catalog.USER_DAILY_BY_FEATURE, 2, {"feature": feature})
    breakdown(con, catalog.USER_DAILY_BY_LANGUAGE_FEATURE, 2, {"language": language, "feature": feature})
    breakdown(con, catalog.USER_DAILY_BY_LANGUAGE_MODEL, 1, {"language": language, "model": model})
    breakdown(con, catalog.USER_DAILY_BY_MODEL_FEATURE, 1, {"model": model, "feature": "'code_completion'"})


def insert_teams_and_seats(con, seats: int, days: int, teams: int) -> None:  # type: ignore[no-untyped-def]
    never = max(1, seats // 20)  # seated, in a team, never active: team adoption below 1
    con.execute(
        f"INSERT INTO user_teams SELECT DATE '{LAST_DAY}' - {days - 1} + d::INTEGER, 1000000 + u, 'dev' || u, "
        f"500 + (u % {teams}), 'team-' || lpad((u % {teams})::VARCHAR, 3, '0'), '4821', NULL, 2 "
        f"FROM range({days}) t(d), range({seats + never}) s(u)"
    )
    con.execute(
        "INSERT INTO seats (login, user_id, assignee_type, organization_login, plan_type, created_at, "
        "last_activity_at, last_activity_editor, pending_cancellation_date, assigning_team_id, assigning_team_slug, "
        "snapshot_at, import_id) SELECT 'dev' || u, 1000000 + u, 'User', 'org-' || (u % 7), 'business', "
        f"TIMESTAMPTZ '2025-06-01 10:00:00+00', CASE WHEN u < {seats} THEN TIMESTAMPTZ '{LAST_DAY} 12:00:00+00' END, "
        f"CASE WHEN u < {seats} THEN 'vscode/1.99.0/copilot/1.300.0' END, NULL, 500 + (u % {teams}), "
        f"'team-' || lpad((u % {teams})::VARCHAR, 3, '0'), TIMESTAMPTZ '{LAST_DAY} 23:00:00+00', 3 "
        f"FROM range({seats + never}) s(u)"
    )
    con.execute(
        "INSERT INTO entity_daily (day, scope, enterprise_id, daily_active_users, import_id) "
        f"SELECT DATE '{LAST_DAY}' - {days - 1} + d::INTEGER, 'enterprise', '4821', {seats}, 4 FROM range({days}) t(d)"
    )
    for i, (kind, table) in enumerate((("users", "user_daily"), ("user_teams", "user_teams"), ("seats", "seats"),
                                       ("entity", "entity_daily")), start=1):
        day_col = ("NULL, NULL" if table == "seats"
                   else f"(SELECT min(day) FROM {table}), (SELECT max(day) FROM {table})")
        con.execute(f"INSERT INTO imports SELECT {i}, 'synthetic:{table}', 'synthetic-{i}', 'synthetic-{i}', '{kind}', "
                    f"(SELECT count(*) FROM {table}), {day_col}, now()")
        con.execute("SELECT nextval('import_seq')")


def build(out: Path, seats: int, days: int, lean: bool = False) -> dict[str, float | int]:
    """Build the database at `out` (replacing it); return timings and sizes."""
    out.unlink(missing_ok=True)
    teams = max(40, seats // 250)
    times: dict[str, float | int] = {"seats": seats, "days": days, "teams": teams, "lean": lean}
    with db.open_for_load(out) as con:
        con.execute("SET memory_limit = '6GB'")
        for name, step in (("user_daily_s", lambda: insert_user_daily(con, seats, days)),
                           ("breakdowns_s", lambda: insert_breakdowns(con, lean)),
                           ("teams_seats_s", lambda: insert_teams_and_seats(con, seats, days, teams))):
            t = time.perf_counter()
            step()
            times[name] = round(time.perf_counter() - t, 1)
        con.execute("CHECKPOINT")
        t = time.perf_counter()
        derived.refresh(con)  # what every `cma load` ends with
        con.execute("CHECKPOINT")
        times["derived_refresh_s"] = round(time.perf_counter() - t, 1)
        times["user_days"] = int(db.scalar(con, "SELECT count(*) FROM user_daily"))
        times["team_membership_rows"] = int(db.scalar(con, "SELECT count(*) FROM team_membership"))
    times["db_mb"] = round(out.stat().st_size / 1e6)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seats", type=int, required=True)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--lean", action="store_true",
                    help="Only user_daily_by_language_feature among the breakdowns, one row per user-day.")
    args = ap.parse_args()
    print(json.dumps(build(args.out, args.seats, args.days, args.lean)))


if __name__ == "__main__":
    main()
