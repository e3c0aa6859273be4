"""A scripted GitHub API and signed-file host on 127.0.0.1 for the fetch tests (stdlib only).

Report endpoints answer with download links that point back at this server; the files are generated on the
fly in the documented shapes (users-1-day NDJSON, one aggregate object, user-teams NDJSON). Tests script
one-off faults per path and read the request log.
"""

from __future__ import annotations

import gzip
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

ENTERPRISE_ID = "4821"
ORG_ID = "999"
REPORT_RE = re.compile(r"^/(enterprises|orgs)/([^/]+)/copilot/metrics/reports/([a-z0-9-]+)$")
SEATS_RE = re.compile(r"^/(enterprises|orgs)/([^/]+)/copilot/billing/seats$")
FILE_RE = re.compile(r"^/files/(enterprises|orgs)/([^/]+)/([a-z0-9-]+)/(\d{4}-\d{2}-\d{2})/part(\d+)$")


@dataclass
class Reply:
    """A scripted answer: a status, a body (bytes, text or JSON), headers; or a body cut off half-way."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    break_halfway: bool = False  # send Content-Length of the real file, half of it, then close


@dataclass
class Logged:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    raw_url: str


class GitHubServer:
    """Serves /enterprises|orgs/{name}/copilot/metrics/reports/*, seats, /orgs/{org}, /user/orgs and /files/*."""

    def __init__(self, *, token: str = "ghp_TESTTOKEN0123456789abcdef", enterprise: str = "acme",
                 org: str = "acme-org", users: int = 3, parts: int = 2, seats: int = 5, seats_page_size: int = 100,
                 user_orgs: tuple[str, ...] = ("acme-org", "acme-labs")) -> None:
        self.token = token
        self.enterprise, self.org = enterprise, org
        self.users, self.parts, self.seat_count, self.seats_page_size = users, parts, seats, seats_page_size
        self.user_orgs = user_orgs
        self.signature = "SIG" + secrets.token_hex(8)  # what must never show up in output
        self.no_data: dict[date, str] = {}  # day -> "204", "empty" or "404"
        self.revision: dict[date, int] = {}  # bump to make GitHub "revise" a day
        self.data_from: date | None = None  # days before have no data (empty download_links)
        self.data_until: date | None = None
        self.requests: list[Logged] = []
        self._script: list[list[Any]] = []  # [pattern, Reply, times left]
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "GitHubServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # --- scripting and the log -------------------------------------------------------------

    def script(self, pattern: str, reply: Reply, times: int | None = 1) -> None:
        """Answer the next `times` requests whose path matches `pattern` (regex search) with `reply` (None: always)."""
        with self._lock:
            self._script.append([re.compile(pattern), reply, times])

    def _scripted(self, path: str) -> Reply | None:
        with self._lock:
            for entry in self._script:
                pattern, reply, left = entry
                if (left is None or left > 0) and pattern.search(path):
                    if left is not None:
                        entry[2] = left - 1
                    return reply
        return None

    def report_requests(self, endpoint: str | None = None) -> list[str]:
        """Days asked of the report endpoints (optionally of one endpoint), in order."""
        out = []
        for r in self.requests:
            m = REPORT_RE.match(r.path)
            if m and (endpoint is None or m.group(3) == endpoint):
                out.append(r.query.get("day", ""))
        return out

    def file_requests(self) -> list[Logged]:
        return [r for r in self.requests if r.path.startswith("/files/")]

    # --- content ---------------------------------------------------------------------------

    def scope_ids(self, kind: str) -> dict[str, str]:
        return {"enterprise_id": ENTERPRISE_ID} if kind == "enterprises" else {"enterprise_id": ENTERPRISE_ID,
                                                                              "organization_id": ORG_ID}

    def has_data(self, day: date) -> bool:
        if day in self.no_data:
            return False
        if self.data_from and day < self.data_from:
            return False
        return not (self.data_until and day > self.data_until)

    def report_file(self, kind: str, endpoint: str, day: date, part: int) -> bytes:
        """Part `part` (1-based) of a report day, as served (users parts gzipped, the others plain)."""
        ids = self.scope_ids(kind)
        rev = self.revision.get(day, 0)
        if endpoint in ("enterprise-1-day", "organization-1-day"):
            return json.dumps(aggregate_record(day, ids, self.users, rev)).encode() if part == 1 else b""
        if endpoint == "users-1-day":
            lines = [json.dumps(user_record(day, ids, i, rev)) for i in range(self.users)]
        else:
            lines = [json.dumps(team_record(day, ids, i)) for i in range(self.users)]
        mine = lines[part - 1::self.parts]
        body = ("\n".join(mine) + "\n").encode() if mine else b""
        return gzip.compress(body, mtime=0) if endpoint == "users-1-day" else body

    def part_count(self, endpoint: str) -> int:
        return 1 if endpoint in ("enterprise-1-day", "organization-1-day") else self.parts

    def seats_page(self, kind: str, page: int, per_page: int) -> tuple[dict[str, Any], bool]:
        size = min(per_page, self.seats_page_size)
        seats = [seat_record(i, self.org) for i in range(self.seat_count)]
        chunk = seats[(page - 1) * size: page * size]
        return {"total_seats": self.seat_count, "seats": chunk}, page * size < self.seat_count


def user_record(day: date, ids: dict[str, str], i: int, rev: int = 0) -> dict[str, Any]:
    n = day.toordinal() % 7 + i + rev
    counters = {"user_initiated_interaction_count": 2 + n, "code_generation_activity_count": 10 + n,
                "code_acceptance_activity_count": 3 + n % 3, "loc_suggested_to_add_sum": 20 + n,
                "loc_suggested_to_delete_sum": 0, "loc_added_sum": 15 + n, "loc_deleted_sum": n % 4}
    return {"day": day.isoformat(), **ids, "user_id": 1000 + i, "user_login": f"dev{i}", **counters,
            "used_agent": i % 2 == 0, "used_chat": True, "used_cli": False,
            "totals_by_ide": [{"ide": "vscode", **counters}],
            "totals_by_feature": [{"feature": "code_completion", **counters, "user_initiated_interaction_count": 0}],
            "totals_by_language_feature": [], "totals_by_language_model": [], "totals_by_model_feature": []}


def aggregate_record(day: date, ids: dict[str, str], users: int, rev: int = 0) -> dict[str, Any]:
    return {"day": day.isoformat(), **ids, "daily_active_users": users + rev, "weekly_active_users": users,
            "monthly_active_users": users, "user_initiated_interaction_count": 10 * users,
            "code_generation_activity_count": 40 * users, "code_acceptance_activity_count": 9 * users,
            "loc_suggested_to_add_sum": 60, "loc_suggested_to_delete_sum": 0, "loc_added_sum": 50,
            "loc_deleted_sum": 5, "totals_by_ide": [], "totals_by_feature": [], "totals_by_language_feature": [],
            "totals_by_language_model": [], "totals_by_model_feature": []}


def team_record(day: date, ids: dict[str, str], i: int) -> dict[str, Any]:
    return {"user_id": 1000 + i, "user_login": f"dev{i}", "day": day.isoformat(), **ids,
            "team_id": 42 + i % 2, "slug": "frontend" if i % 2 == 0 else "backend"}


def seat_record(i: int, org: str) -> dict[str, Any]:
    return {"created_at": "2025-09-01T10:00:00Z", "pending_cancellation_date": None,
            "last_activity_at": "2026-01-20T08:00:00Z", "last_activity_editor": "vscode/1.99.0/copilot/1.300.0",
            "last_authenticated_at": "2026-01-20T08:00:00Z", "plan_type": "enterprise",
            "assignee": {"login": f"seat{i}", "id": 5000 + i, "type": "User"}, "organization": {"login": org}}


def _handler(server: GitHubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            with server._lock:
                server.requests.append(Logged("GET", parts.path, query,
                                              {k.lower(): v for k, v in self.headers.items()}, self.path))
            reply = server._scripted(parts.path)
            if parts.path.startswith("/files/"):
                self._file(parts.path, query, reply)
            else:
                self._api(parts.path, query, reply)

        # --- helpers ---

        def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None,
                  cut: bool = False) -> None:
            if body is None:
                data = b""
            elif isinstance(body, bytes):
                data = body
            elif isinstance(body, str):
                data = body.encode()
            else:
                data = json.dumps(body).encode()
            self.send_response(status)
            hdrs = {"Content-Type": "application/json"} if not isinstance(body, bytes) else {}
            hdrs.update(headers or {})
            for k, v in hdrs.items():
                self.send_header(k, v)
            if status != 204:
                self.send_header("Content-Length", str(len(data)))
            if cut:
                self.send_header("Connection", "close")
            self.end_headers()
            if status == 204:
                return
            if cut:
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(data)

        def _api(self, path: str, query: dict[str, str], reply: Reply | None) -> None:
            if self.headers.get("Authorization") != f"Bearer {server.token}":
                return self._send(401, {"message": "Bad credentials",
                                        "documentation_url": "https://docs.github.com/rest"})
            if reply is not None:
                return self._send(reply.status, reply.body, reply.headers)
            if path == "/user/orgs":
                return self._send(200, [{"login": o} for o in server.user_orgs])
            m = re.match(r"^/orgs/([^/]+)$", path)
            if m:
                if m.group(1) == server.org:
                    return self._send(200, {"login": server.org, "id": int(ORG_ID)})
                return self._send(404, {"message": "Not Found"})
            m = REPORT_RE.match(path) or SEATS_RE.match(path)
            if not m or m.group(2) != (server.enterprise if m.group(1) == "enterprises" else server.org):
                return self._send(404, {"message": "Not Found"})
            if SEATS_RE.match(path):
                page, per_page = int(query.get("page", 1)), int(query.get("per_page", 50))
                body, more = server.seats_page(m.group(1), page, per_page)
                headers = {}
                if more:
                    nxt = f"{server.url}{path}?{urlencode({'per_page': per_page, 'page': page + 1})}"
                    headers["Link"] = f'<{nxt}>; rel="next"'
                return self._send(200, body, headers)
            endpoint, day = m.group(3), date.fromisoformat(query["day"])
            if not server.has_data(day):
                how = server.no_data.get(day, "empty")
                if how == "204":
                    return self._send(204)
                if how == "404":
                    return self._send(404, {"message": "Not Found"})
                return self._send(200, {"download_links": [], "report_day": day.isoformat()})
            base = f"{server.url}/files/{m.group(1)}/{m.group(2)}/{endpoint}/{day.isoformat()}"
            sas = urlencode({"sv": "2025-01-05", "se": "2030-01-01T00:00:00Z", "sig": server.signature})
            links = [f"{base}/part{i}?{sas}" for i in range(1, server.part_count(endpoint) + 1)]
            return self._send(200, {"download_links": links, "report_day": day.isoformat()})

        def _file(self, path: str, query: dict[str, str], reply: Reply | None) -> None:
            if self.headers.get("Authorization"):
                # Azure-style storage refuses a request carrying both a SAS and an Authorization header
                return self._send(400, "<Error><Code>InvalidAuthenticationInfo</Code></Error>",
                                  {"Content-Type": "application/xml"})
            m = FILE_RE.match(path)
            if not m or query.get("sig") != server.signature:
                return self._send(403, "<Error><Code>AuthenticationFailed</Code></Error>",
                                  {"Content-Type": "application/xml"})
            kind, endpoint, day, part = m.group(1), m.group(3), date.fromisoformat(m.group(4)), int(m.group(5))
            data = server.report_file(kind, endpoint, day, part)
            if reply is not None and not reply.break_halfway:
                return self._send(reply.status, reply.body, reply.headers)
            return self._send(200, data, {"Content-Type": "application/octet-stream"},
                              cut=bool(reply and reply.break_halfway))

    return Handler
