"""Seat listings (/copilot/billing/seats responses, their pages, or bare seat arrays) into seats."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import LoadError
from assistant.ingest.documents import read_json_document
from assistant.ingest.job import Job
from assistant.ingest.tables import upsert
from assistant.semantic import catalog

if TYPE_CHECKING:
    import duckdb

KNOWN = frozenset(
    {
        "assignee",
        "assigning_team",
        "organization",
        "plan_type",
        "created_at",
        "last_activity_at",
        "last_activity_editor",
        "last_authenticated_at",
        "pending_cancellation_date",
    }
)
_ORG_IN_URL = re.compile(r"/orgs/([^/]+)(?:/|$)")


def load_seats(con: "duckdb.DuckDBPyConnection", job: Job) -> dict[str, int]:
    """A listing replaces the earlier listing of the same organizations (or enterprise) only."""
    seats = _seat_objects(job.path, read_json_document(job.path, job.layout))
    snapshot = datetime.fromtimestamp(job.path.stat().st_mtime, tz=timezone.utc).isoformat()
    file_org = _file_organization(job, seats)
    rows, skipped = [], 0
    for i, s in enumerate(seats):
        if not isinstance(s, dict):
            raise LoadError(f"{job.path}: seat {i + 1} is not a JSON object.", hint="Expected the seats API response.")
        if not isinstance(s.get("assignee"), dict):
            skipped += 1
            continue
        rows.append(_seat_row(job, _blank_to_null(s), i, snapshot, file_org))
    if skipped:
        job.warn(f"{job.path}: {skipped} seat{'s' if skipped != 1 else ''} skipped: 'assignee' is null (no holder).")
    _replace_listing(con, job, rows)
    return {"seats": upsert(con, catalog.SEATS, rows)}


def _seat_objects(path: Path, doc: Any) -> list[Any]:
    pages = doc if isinstance(doc, list) else [doc]
    seats: list[Any] = []
    for i, page in enumerate(pages):
        if isinstance(page, dict) and isinstance(page.get("seats"), list):
            seats.extend(page["seats"])
        elif isinstance(page, dict) and "assignee" in page:
            seats.append(page)
        else:
            raise LoadError(
                f"{path}: element {i + 1} is neither a seat nor a page of seats.",
                hint="Expected the /copilot/billing/seats response.",
            )
    return seats


def _blank_to_null(seat: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if v == "" else v) for k, v in seat.items()}


def _file_organization(job: Job, seats: list[Any]) -> str | None:
    """The organization of an organization-level listing (its seats do not say): --org, else the teams' one."""
    if any(isinstance(s, dict) and isinstance(s.get("organization"), dict) for s in seats):
        return None
    if job.owner and job.owner.kind == "organization":
        return job.owner.name
    found = {org for s in seats if isinstance(s, dict) for org in [_team_organization(s)] if org}
    return found.pop() if len(found) == 1 else None


def _team_organization(seat: dict[str, Any]) -> str | None:
    for holder in (seat.get("assigning_team"), seat.get("assignee")):
        if isinstance(holder, dict):
            org = holder.get("organization")
            if isinstance(org, dict) and org.get("login"):
                return str(org["login"])
            for key in ("html_url", "url", "members_url"):
                m = _ORG_IN_URL.search(str(holder.get(key) or ""))
                if m:
                    return m.group(1)
    return None


def assignee_type(assignee: dict[str, Any]) -> str:
    """User, Team or Organization: the `type` field, else what the object's fields show (older responses)."""
    if assignee.get("type") in ("User", "Bot", "Team", "Organization", "Mannequin"):
        return str(assignee["type"])
    if "slug" in assignee or ("members_url" in assignee and "login" not in assignee):
        return "Team"
    if "hooks_url" in assignee or "public_members_url" in assignee or "/orgs/" in str(assignee.get("url") or ""):
        return "Organization"
    return str(assignee.get("type") or "User")


def _seat_row(job: Job, seat: dict, i: int, snapshot_at: str, file_org: str | None) -> dict[str, Any]:
    assignee = seat["assignee"]
    kind = assignee_type(assignee)
    team = seat.get("assigning_team") or {}
    org = (seat.get("organization") or {}).get("login") or file_org
    if kind == "Team":
        name = assignee.get("slug") or assignee.get("name")
    else:
        name = assignee.get("login")
    if kind == "Organization" and org is None:
        org = name
    if not name and assignee.get("id") is None:
        raise LoadError(f"{job.path}: seat {i + 1} has no assignee login or id.", hint="Each seat needs an assignee.")
    is_user = kind not in ("Team", "Organization")
    extra = {k: v for k, v in seat.items() if k not in KNOWN and v is not None}
    return {
        "login": name if is_user else None,
        "user_id": assignee.get("id") if is_user else None,
        "assignee_type": kind,
        "assignee_id": assignee.get("id"),
        "assignee_name": name if name else str(assignee.get("id")),
        "organization_login": org,
        "listing": _listing(job, org),
        "plan_type": seat.get("plan_type"),
        "created_at": seat.get("created_at"),
        "last_activity_at": seat.get("last_activity_at"),
        "last_activity_editor": seat.get("last_activity_editor"),
        "last_authenticated_at": seat.get("last_authenticated_at"),
        "pending_cancellation_date": seat.get("pending_cancellation_date"),
        "assigning_team_id": team.get("id"),
        "assigning_team_slug": team.get("slug"),
        "snapshot_at": snapshot_at,
        "extra": extra or None,
        "import_id": job.import_id,
    }


def _listing(job: Job, org: str | None) -> str | None:
    if job.owner:
        return f"{job.owner.kind}:{job.owner.name}"
    return f"organization:{org}" if org else None


def _replace_listing(con: "duckdb.DuckDBPyConnection", job: Job, rows: list[dict[str, Any]]) -> None:
    """Delete the earlier seats of the organizations (and enterprise) this listing covers; warn when it names none."""
    orgs = sorted({r["organization_login"] for r in rows if r["organization_login"]})
    con.execute("DELETE FROM seats WHERE organization_login IN (SELECT unnest(?::VARCHAR[]))", [orgs])
    if job.owner and job.owner.kind == "enterprise":
        con.execute("DELETE FROM seats WHERE listing = ?", [f"enterprise:{job.owner.name}"])
    unnamed = sum(1 for r in rows if not r["organization_login"])
    if unnamed and not job.owner:
        job.warn(
            f"{job.path}: {unnamed} seat{'s' if unnamed != 1 else ''} name no organization, so earlier seat "
            "listings were kept beside this one; pass --org NAME to say whose listing it is."
        )
