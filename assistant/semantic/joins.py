"""Join paths as data: which columns join which tables, and the join that keeps the left side whole."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.semantic import catalog


@dataclass(frozen=True)
class JoinPath:
    """How two tables join: column pairs, the join kind, and when to use it."""

    left: str
    right: str
    on: tuple[tuple[str, str], ...]  # (left column, right column)
    how: str = "JOIN"
    note: str = ""

    def condition(self, la: str, ra: str) -> str:
        """The ON condition with the given aliases."""
        return " AND ".join(f"{ra}.{r} = {la}.{left}" for left, r in self.on)


DAY_USER = (("day", "day"), ("user_id", "user_id"), ("enterprise_id", "enterprise_id"),
            ("organization_id", "organization_id"))
BREAKDOWNS: tuple[str, ...] = tuple(t.name for t in catalog.TABLES if t.name.startswith("user_daily_by_"))
JOIN_PATHS: tuple[JoinPath, ...] = (
    *(JoinPath(t, "user_daily", DAY_USER, note="they already carry user_login") for t in BREAKDOWNS),
    JoinPath("team_membership", "user_daily", (("user_id", "user_id"), ("day", "day")), "LEFT JOIN",
             "teams day by day; for team adoption LEFT JOIN from members to user_daily"),
    JoinPath("seats", "user_daily", (("user_id", "user_id"),), "LEFT JOIN",
             "seat_usage already joins seats to user_daily"),
    JoinPath("seats", "seat_activity", (("login", "login"),), "LEFT JOIN", "compare logins in lower case"),
)
# what no join path says: which table to prefer
SOURCE_NOTES: tuple[str, ...] = (
    "entity_daily holds GitHub's own per-day totals; use user_daily for anything per user, team, IDE, language "
    "or model",
)


def join_rules() -> tuple[str, ...]:
    """The join paths as short lines for the prompt and the docs (breakdown tables folded into one line)."""
    first = next(j for j in JOIN_PATHS if j.left in BREAKDOWNS)
    lines = [f"user_daily_by_* tables join user_daily on ({', '.join(a for a, _ in first.on)}); {first.note}"]
    team = next(j for j in JOIN_PATHS if j.left == "team_membership")
    lines.append(f"teams: JOIN team_membership m ON {team.condition('u', 'm')} ({team.note})")
    lines += [f"{j.note}" for j in JOIN_PATHS if j.left == "seats" and catalog.BY_NAME[j.right].in_prompt]
    return tuple(lines) + SOURCE_NOTES
