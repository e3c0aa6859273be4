"""The bundled sample, loaded: the loader's result checked against the raw files, computed independently."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import duckdb

from tests.conftest import SAMPLE


def manifest() -> dict:
    text = (SAMPLE / "MANIFEST.md").read_text()
    return json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def final_user_lines() -> dict[tuple, dict]:
    """(day, user_id) -> the record from the newest export that covers the day (what GitHub finalised)."""
    final: dict[tuple, dict] = {}
    for path in sorted(SAMPLE.glob("users-*.ndjson*"), key=lambda p: p.name):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt") as f:
            for line in f:
                rec = json.loads(line)
                final[(rec["day"], rec["user_id"])] = rec  # files sort by window: later files are newer
    return final


def test_sample_covers_56_days_without_gaps_or_duplicates(sample_db: Path) -> None:
    m = manifest()
    assert rows(sample_db, "SELECT min(day)::VARCHAR, max(day)::VARCHAR, count(DISTINCT day) FROM user_daily") == [
        (m["first_day"], m["last_day"], 56)
    ]
    assert rows(
        sample_db,
        "SELECT count(*) FROM (SELECT day, user_id, enterprise_id, organization_id "
        "FROM user_daily GROUP BY ALL HAVING count(*) > 1)",
    ) == [(0,)]


def test_overlapping_exports_keep_the_newest_values(sample_db: Path) -> None:
    final = final_user_lines()
    loaded = {
        (str(d), u): (g, a)
        for d, u, g, a in rows(
            sample_db,
            "SELECT day, user_id, code_generation_activity_count, code_acceptance_activity_count FROM user_daily",
        )
    }
    assert len(loaded) == len(final)
    expected = {
        k: (r.get("code_generation_activity_count"), r.get("code_acceptance_activity_count")) for k, r in final.items()
    }
    assert loaded == expected


def test_breakdowns_match_the_final_records(sample_db: Path) -> None:
    final = final_user_lines()
    n_feature = sum(len(r.get("totals_by_feature") or []) for r in final.values())
    n_lang = sum(len(r.get("totals_by_language_feature") or []) for r in final.values())
    assert rows(sample_db, "SELECT count(*) FROM user_daily_by_feature") == [(n_feature,)]
    assert rows(sample_db, "SELECT count(*) FROM user_daily_by_language_feature") == [(n_lang,)]


def test_aggregate_daily_active_users_agree_with_user_rows(sample_db: Path) -> None:
    mismatches = rows(
        sample_db,
        """
        SELECT e.day, e.daily_active_users, count(DISTINCT u.user_id)
        FROM entity_daily e LEFT JOIN user_daily u ON u.day = e.day
        GROUP BY ALL HAVING e.daily_active_users <> count(DISTINCT u.user_id)""",
    )
    assert mismatches == []


def test_seats_and_teams_ground_truths(sample_db: Path) -> None:
    m = manifest()
    never = [t for t in m["teams"] if t["lagging"]]
    never_used = rows(sample_db, "SELECT login FROM seats WHERE last_activity_at IS NULL ORDER BY 1")
    assert [r[0] for r in never_used] == sorted(m["seats"]["never_used_logins"])
    assert rows(sample_db, "SELECT count(*) FROM seats")[0][0] == m["seats"]["seat_objects"]
    teams = {r[0] for r in rows(sample_db, "SELECT DISTINCT team FROM team_membership")}
    assert "design-systems" not in teams and never[0]["slug"] in teams
    lowest = rows(
        sample_db,
        """
        WITH w AS (SELECT max(day) - INTERVAL 27 DAY AS start FROM user_daily)
        SELECT m.team FROM team_membership m LEFT JOIN user_daily u ON u.user_id = m.user_id AND u.day = m.day
        WHERE m.day >= (SELECT start FROM w)
        GROUP BY m.team
        ORDER BY count(DISTINCT u.user_id)::DOUBLE / count(DISTINCT m.user_id) LIMIT 1""",
    )
    assert lowest == [(never[0]["slug"],)]
