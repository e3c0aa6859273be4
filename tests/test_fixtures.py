"""The fixture generator: deterministic, GitHub-shaped, self-consistent; the committed sample is current."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from fixtures import generate as gen
from fixtures.spec import Config

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample"
COUNTERS = ("user_initiated_interaction_count", "code_generation_activity_count",
            "code_acceptance_activity_count", "loc_suggested_to_add_sum", "loc_suggested_to_delete_sum",
            "loc_added_sum", "loc_deleted_sum")
SMALL = Config(users=40, days=56, end=date(2026, 11, 7), seed=7, legacy_days=5)


def quiet(_: str) -> None:
    pass


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def ndjson(path: Path) -> list[dict]:
    return [json.loads(line) for line in read_bytes(path).decode("utf-8").splitlines()]


def digest(root: Path) -> dict[str, str]:
    """Content hash per file (gzip files by their decompressed bytes, so zlib versions do not matter)."""
    return {str(p.relative_to(root)): hashlib.sha256(read_bytes(p)).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def manifest(root: Path) -> dict:
    text = (root / "MANIFEST.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)\n```", text, re.S)
    assert block, "MANIFEST.md has no json block"
    return json.loads(block.group(1))


def total(rows: list[dict], key: str) -> int:
    return sum(r[key] for r in rows)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small")
    gen.generate(SMALL, out, log=quiet)
    return out


@pytest.fixture(scope="module")
def small_lines(small: Path) -> list[dict]:
    return [rec for p in sorted(small.glob("users-*.ndjson")) for rec in ndjson(p)]


def test_same_seed_same_bytes(small: Path, tmp_path: Path) -> None:
    gen.generate(SMALL, tmp_path, log=quiet)
    assert digest(tmp_path) == digest(small)


def test_other_seed_other_data(small: Path, tmp_path: Path) -> None:
    gen.generate(Config(users=40, days=56, end=date(2026, 11, 7), seed=8, legacy_days=5), tmp_path, log=quiet)
    assert digest(tmp_path)["seats.json"] != digest(small)["seats.json"]


def test_line_types_and_windows(small_lines: list[dict]) -> None:
    assert small_lines
    for rec in small_lines:
        assert isinstance(rec["user_id"], int) and isinstance(rec["enterprise_id"], str)
        assert isinstance(rec["user_login"], str) and rec["user_login"]
        assert rec["report_start_day"] <= rec["day"] <= rec["report_end_day"]
        window = date.fromisoformat(rec["report_end_day"]) - date.fromisoformat(rec["report_start_day"])
        assert window == timedelta(days=27)
        assert all(v is not None for k, v in rec.items() if not k.startswith("used_copilot_code_review"))


def test_breakdowns_add_up(small_lines: list[dict]) -> None:
    for rec in small_lines:
        features = rec["totals_by_feature"]
        for key in COUNTERS:
            assert rec[key] == total(features, key), (rec["user_login"], rec["day"], key)
        non_ide = [f for f in features if f["feature"] in ("copilot_cli", "copilot_app")]
        for key in COUNTERS:
            assert total(rec["totals_by_ide"], key) == rec[key] - total(non_ide, key)
        for key in COUNTERS[1:]:
            assert total(rec["totals_by_language_feature"], key) == rec[key]
            non_completion = rec[key] - total([f for f in features if f["feature"] == "code_completion"], key)
            assert total(rec["totals_by_language_model"], key) == non_completion
            assert total(rec["totals_by_model_feature"], key) == non_completion


def test_feature_rules(small_lines: list[dict]) -> None:
    for rec in small_lines:
        assert all(row["ide"] != "copilot_cli" for row in rec["totals_by_ide"])
        for row in rec["totals_by_feature"] + rec["totals_by_language_feature"]:
            assert row["code_acceptance_activity_count"] <= row["code_generation_activity_count"]
            if row["feature"] == "code_completion":
                assert row.get("user_initiated_interaction_count", 0) == 0
            if row["feature"] == "agent_edit":
                assert row["code_acceptance_activity_count"] == 0 and row["loc_suggested_to_add_sum"] == 0
        for row in rec["totals_by_language_feature"] + rec["totals_by_language_model"]:
            assert "user_initiated_interaction_count" not in row
        assert all(row["feature"] != "code_completion" for row in rec["totals_by_model_feature"])
        if "totals_by_cli" in rec:
            assert rec["used_cli"] and "last_known_cli_version" in rec["totals_by_cli"]
        zero_row = "used_cli" not in rec  # server-side-only rows carry just the counters and empty arrays
        assert ("ai_credits_used" in rec) == (not zero_row) and ("ai_adoption_phase" in rec) == (not zero_row)


def test_all_zero_users_present(small_lines: list[dict]) -> None:
    zero = [r for r in small_lines if not any(r[k] for k in COUNTERS) and not r["totals_by_ide"]]
    assert zero and all(r["totals_by_feature"] == [] for r in zero)


def test_weekends_are_quieter(small_lines: list[dict]) -> None:
    per_day: dict[str, int] = defaultdict(int)
    for rec in small_lines:
        per_day[rec["day"]] += 1
    weekday = [n for d, n in per_day.items() if date.fromisoformat(d).weekday() < 5]
    weekend = [n for d, n in per_day.items() if date.fromisoformat(d).weekday() >= 5]
    assert sum(weekend) / len(weekend) < 0.5 * sum(weekday) / len(weekday)


def test_aggregate_matches_user_lines(small: Path, small_lines: list[dict]) -> None:
    report = json.loads((small / "enterprise-28-day_2026-10-11_2026-11-07.json").read_text())
    by_day: dict[str, list[dict]] = defaultdict(list)
    for rec in small_lines:
        by_day[rec["day"]].append(rec)
    assert len(report["day_totals"]) == 28
    for d in report["day_totals"]:
        lines = by_day[d["day"]]
        assert d["daily_active_users"] == len({r["user_id"] for r in lines})
        for key in COUNTERS:
            assert d[key] == total(lines, key)
        cli_users = sum(1 for r in lines if r.get("used_cli"))
        assert d.get("daily_active_cli_users") == (cli_users or None)
        week = {r["user_id"] for day, recs in by_day.items() for r in recs
                if 0 <= (date.fromisoformat(d["day"]) - date.fromisoformat(day)).days < 7}
        month = {r["user_id"] for day, recs in by_day.items() for r in recs
                 if 0 <= (date.fromisoformat(d["day"]) - date.fromisoformat(day)).days < 28}
        assert d["weekly_active_users"] == len(week) and d["monthly_active_users"] == len(month)
        assert sum(p["total_engaged_users"] for p in d["totals_by_ai_adoption_phase"]) == sum(
            1 for r in lines if "ai_adoption_phase" in r)


def test_user_teams_leave_out_small_teams(small: Path) -> None:
    files = sorted((small / "user-teams-1-day").glob("*.ndjson"))
    assert len(files) == SMALL.days
    team_map = list(csv.DictReader((small / "team-map.csv").open()))
    mapped = {row["team"] for row in team_map}
    seen: set[str] = set()
    for f in files:
        rows = ndjson(f)
        assert all(isinstance(r["team_id"], int) and isinstance(r["enterprise_id"], str) for r in rows)
        per_team: dict[str, int] = defaultdict(int)
        for r in rows:
            per_team[r["slug"]] += 1
        assert all(n >= 5 for n in per_team.values())
        seen |= set(per_team)
    assert "design-systems" in mapped and "design-systems" not in seen


def test_seats_and_activity_report(small: Path) -> None:
    seats = json.loads((small / "seats.json").read_text())
    logins = [s["assignee"]["login"] for s in seats["seats"]]
    assert seats["total_seats"] == len(set(logins)) < len(logins)  # one person holds two seats
    assert any(s["last_activity_at"] is None for s in seats["seats"])
    assert any(s["pending_cancellation_date"] for s in seats["seats"])
    assert all(isinstance(s["assignee"]["id"], int) and s["assignee"]["type"] == "User"
               for s in seats["seats"])
    rows = list(csv.DictReader((small / "activity-report.csv").open()))
    header = ["report_time", "login", "last_authenticated_at", "last_activity_at", "last_surface_used"]
    assert list(rows[0]) == header
    assert {r["login"] for r in rows} == set(logins)


def test_organization_scope_and_daily_layout(tmp_path: Path) -> None:
    cfg = Config(users=20, days=3, end=date(2026, 11, 7), seed=3, scope="organization", layout="1-day",
                 gzip=True, legacy_days=2)
    gen.generate(cfg, tmp_path, log=quiet)
    files = sorted((tmp_path / "users-1-day").glob("*.ndjson.gz"))
    assert [f.name for f in files] == [f"users-1-day_2026-11-0{d}.ndjson.gz" for d in (5, 6, 7)]
    rec = ndjson(files[-1])[0]
    assert rec["organization_id"] == "96112077" and "report_start_day" not in rec
    report = json.loads(read_bytes(tmp_path / "organization-28-day_2026-10-11_2026-11-07.json.gz"))
    assert report["organization_id"] == "96112077" and len(report["day_totals"]) == 28
    team_line = ndjson(next((tmp_path / "user-teams-1-day").glob("*.gz")))[0]
    assert "organization_id" in team_line and "enterprise_id" not in team_line


def test_parallel_run_writes_the_same_content(tmp_path: Path) -> None:
    cfg = Config(users=60, days=3, end=date(2026, 11, 7), seed=5, legacy_days=1, parts=3)
    one, two = tmp_path / "one", tmp_path / "two"
    gen.generate(cfg, one, jobs=1, log=quiet)
    gen.generate(cfg, two, jobs=2, log=quiet)
    assert digest(one) == digest(two)


def test_committed_sample_is_current(tmp_path: Path) -> None:
    gen.main(["--sample", "--out", str(tmp_path)])
    stale = "fixtures/sample is stale: run python -m fixtures.generate --sample"
    assert digest(tmp_path) == digest(SAMPLE), stale


def test_sample_ground_truths() -> None:
    truth = manifest(SAMPLE)
    assert truth["lagging_team"] == "mobile-apps"
    assert truth["teams_omitted_from_user_teams_files"] == ["design-systems"]
    assert truth["seats"]["never_used_seats"] > 0
    exports = truth["users_exports"]
    assert len(exports) == 3 and exports[-1]["report_end_day"] == "2026-11-07"
    assert sum(f.stat().st_size for f in SAMPLE.rglob("*") if f.is_file()) < 3_000_000


def test_sample_provisional_days_are_revised() -> None:
    older = ndjson(SAMPLE / "users-28-day_2026-09-27_2026-10-24.ndjson.gz")
    newer = ndjson(SAMPLE / "users-28-day_2026-10-11_2026-11-07.ndjson.gz")

    def day_sum(lines: list[dict], day: str) -> int:
        return sum(r["code_generation_activity_count"] for r in lines if r["day"] == day)

    assert day_sum(older, "2026-10-24") < day_sum(newer, "2026-10-24")
    assert day_sum(older, "2026-10-18") == day_sum(newer, "2026-10-18")  # settled days agree
