"""A small GitHub REST client for Copilot usage reports: auth, retries, rate limits and signed-file downloads."""

from __future__ import annotations

import email.utils
import gzip
import logging
import re
import shutil
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable
from urllib.parse import urlsplit

from assistant.errors import FetchError

if TYPE_CHECKING:
    import httpx

API_VERSION = "2026-03-10"
USER_AGENT = "copilot-metrics-assistant"
RETRY_STATUSES = (500, 502, 503, 504)
_QUERY = re.compile(r"(https?://[^\s?#'\"<>]+)\?[^\s'\"<>]*")

Sleep = Callable[[float], None]


class TransientFetchError(FetchError):
    """A request that kept failing (server errors, broken downloads): other days may still succeed."""


class Unreachable(FetchError):
    """The host cannot be reached at all (refused, unknown name, TLS failure): retrying will not help."""


class LinkExpired(Exception):
    """The file host refused a signed download link (expired or revoked): ask the API for fresh links."""


class _BrokenDownload(Exception):
    """A download ended early, did not match its length, or is not valid gzip: try it again."""


def redact_url(url: object) -> str:
    """scheme://host/path of a URL: never the query string, which holds the signature of a signed link."""
    parts = urlsplit(str(url))
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """Text with every URL's query string and every given secret removed."""
    text = _QUERY.sub(r"\1", text)
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    return text


class _ScrubUrls(logging.Filter):
    """Keeps signed query strings out of httpx's own request log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(scrub(str(a)) if "?" in str(a) else a for a in record.args)
        return True


def _install_log_filter() -> None:
    log = logging.getLogger("httpx")
    if not any(isinstance(f, _ScrubUrls) for f in log.filters):
        log.addFilter(_ScrubUrls())


@dataclass(frozen=True)
class Policy:
    """How hard and how long to try."""

    timeout_s: float = 30.0
    max_attempts: int = 5  # per request, for 5xx, connection errors and broken downloads
    backoff_s: float = 1.0  # doubled after each failed attempt
    max_backoff_s: float = 30.0
    max_wait_s: float = 900.0  # the longest rate-limit sleep; a longer reset is an error
    max_rate_waits: int = 8
    max_retry_s: float = 180.0  # all backoff sleeps of one run together; past it the run stops


class Pacer:
    """Pauses every worker while one of them sleeps off a rate limit."""

    def __init__(self, sleep: Sleep) -> None:
        self._sleep = sleep
        self._lock = threading.Lock()
        self._sleepers = 0
        self._open = threading.Event()
        self._open.set()
        self.waits: list[float] = []

    def wait_open(self, limit: float) -> None:
        self._open.wait(timeout=limit)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._sleepers += 1
            self._open.clear()
            self.waits.append(seconds)
        try:
            self._sleep(seconds)
        finally:
            with self._lock:
                self._sleepers -= 1
                if self._sleepers == 0:
                    self._open.set()


def rate_limit_wait(r: "httpx.Response", now: float | None = None) -> float | None:
    """Seconds GitHub asks us to wait (429, or a 403 secondary/primary rate limit), else None."""
    if r.status_code not in (403, 429):
        return None
    retry_after = r.headers.get("retry-after")
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            when = email.utils.parsedate_to_datetime(retry_after)
            if when is not None:
                return max(0.0, when.timestamp() - (now or time.time()))
    if r.headers.get("x-ratelimit-remaining") == "0" and r.headers.get("x-ratelimit-reset"):
        try:
            return max(0.0, float(r.headers["x-ratelimit-reset"]) - (now or time.time())) + 1.0
        except ValueError:
            pass
    if r.status_code == 429 or "rate limit" in _message(r).lower():
        return 60.0  # GitHub's advice for a secondary limit without a Retry-After
    return None


def _message(r: "httpx.Response") -> str:
    try:
        body = r.json()
    except Exception:
        return r.text[:500] if r.text else ""
    return str(body.get("message", "")) if isinstance(body, dict) else ""


class GitHubClient:
    """Authenticated API requests plus unauthenticated downloads of signed links, with retries."""

    def __init__(self, api_url: str, token: str, *, policy: Policy | None = None, sleep: Sleep = time.sleep,
                 scope_hint: str = "") -> None:
        import httpx

        _install_log_filter()
        self.api_url = api_url.rstrip("/")
        self._token = token
        self.policy = policy = policy or Policy()
        self._sleep = sleep
        self.pacer = Pacer(sleep)
        self.on_wait: Callable[[str], None] = lambda message: None  # tells the progress line why it waits
        self._retry_spent = 0.0
        self._retry_lock = threading.Lock()
        self.scope_hint = scope_hint  # "enterprise" or "org": which permissions to name in a 403
        timeout = httpx.Timeout(policy.timeout_s, connect=min(10.0, policy.timeout_s))
        self._api = httpx.Client(
            timeout=timeout, follow_redirects=True,  # httpx drops Authorization on a cross-origin redirect
            headers={"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                     "X-GitHub-Api-Version": API_VERSION, "User-Agent": USER_AGENT},
        )
        # signed links carry their own credentials: never our token
        files_timeout = httpx.Timeout(max(60.0, policy.timeout_s), connect=min(10.0, policy.timeout_s))
        self._files = httpx.Client(timeout=files_timeout,
                                   follow_redirects=True, headers={"User-Agent": USER_AGENT})

    def __repr__(self) -> str:
        return f"GitHubClient({self.api_url!r})"

    def close(self) -> None:
        self._api.close()
        self._files.close()

    def __enter__(self) -> "GitHubClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- API ------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.api_url}{path}"

    def get(self, path: str, params: dict[str, Any] | None = None, *, ok: tuple[int, ...] = (200,)) -> "httpx.Response":
        """GET an API path (or same-origin URL), retrying and waiting as needed; a status outside `ok` raises."""
        import httpx

        url = self.url(path)
        if urlsplit(url).netloc != urlsplit(self.api_url).netloc:
            raise FetchError(f"GitHub pointed to another host ({redact_url(url)}); not sending the token there.",
                             hint="Check --api-url.")
        shown = redact_url(url) + (f"?day={params['day']}" if params and "day" in params else "")
        attempt, rate_waits, last = 0, 0, ""
        while True:
            self.pacer.wait_open(self.policy.max_wait_s + 5)
            try:
                r = self._api.get(url, params=params)
            except httpx.ConnectError as e:
                raise self.unreachable(url, e) from None
            except httpx.TransportError as e:
                last = f"{type(e).__name__}: {scrub(str(e), [self._token])}"
            else:
                wait = rate_limit_wait(r)
                if wait is not None:
                    rate_waits += 1
                    self._rate_limited(wait, rate_waits, shown)
                    continue
                if r.status_code in ok:
                    return r
                if r.status_code not in RETRY_STATUSES:
                    raise self.api_error(r, shown)
                last = f"HTTP {r.status_code}"
            attempt += 1
            if attempt >= self.policy.max_attempts:
                raise TransientFetchError(
                    f"{shown}: failed {attempt} times ({last}).",
                    hint="GitHub may be having trouble (https://www.githubstatus.com). Run the fetch again later; "
                         "days already loaded are kept.")
            self.retry_pause(attempt, f"{last}; retrying {shown}")

    def backoff(self, attempt: int) -> float:
        return min(self.policy.max_backoff_s, self.policy.backoff_s * 2 ** (attempt - 1))

    def retry_pause(self, attempt: int, why: str) -> None:
        """Sleep before a retry, within the run's total retry budget; past the budget the run stops."""
        wait = self.backoff(attempt)
        with self._retry_lock:
            if self._retry_spent + wait > self.policy.max_retry_s:
                raise FetchError(
                    f"Gave up after {self._retry_spent:.0f} s of retries ({why}).",
                    hint="GitHub or the network is having trouble (https://www.githubstatus.com). Run the fetch "
                         "again later; days already loaded are kept and only missing days are fetched.")
            self._retry_spent += wait
        self.on_wait(f"waiting {wait:.0f} s: {why}")
        self._sleep(wait)

    def unreachable(self, url: str, e: Exception) -> Unreachable:
        """A clear, immediate error for a host that cannot be reached."""
        host = urlsplit(url).netloc or url
        text = scrub(str(e), [self._token])
        low = text.lower()
        if "ssl" in low or "certificate" in low or "tls" in low:
            why, hint = "the TLS handshake failed", "Check the host's certificate, or a proxy that intercepts TLS."
        elif "name" in low and ("resolve" in low or "known" in low or "not found" in low) or "getaddrinfo" in low:
            why, hint = "its name does not resolve", "Check --api-url for a typo, and your DNS or VPN."
        elif "refused" in low:
            why, hint = "the connection was refused", "Check --api-url and that the server is up."
        else:
            why, hint = "the connection failed", "Check --api-url, your network and any proxy settings."
        return Unreachable(f"Cannot reach {host}: {why} ({text}).", hint=hint)

    def _rate_limited(self, wait: float, count: int, shown: str) -> None:
        if wait > self.policy.max_wait_s or count > self.policy.max_rate_waits:
            resume = time.strftime("%H:%M UTC", time.gmtime(time.time() + wait))
            raise FetchError(f"GitHub's rate limit is exhausted ({shown}); it resets around {resume}.",
                             hint="Run the fetch again then; days already loaded are kept and only missing days "
                                  "are fetched. Lower --concurrency to be gentler.")
        self.pacer.pause(wait)

    def api_error(self, r: "httpx.Response", shown: str) -> FetchError:
        """The FetchError for an unexpected API status, with what to do about it."""
        msg = _message(r)
        said = f" GitHub says: \"{scrub(msg, [self._token])[:300]}\"" if msg else ""
        if r.status_code == 401:
            return FetchError(
                f"GitHub rejected the token (401 {msg or 'Bad credentials'}).",
                hint="The token is wrong, expired or revoked. Create a new one (or run `gh auth login`) and pass it "
                     "with --token, GITHUB_TOKEN or GH_TOKEN.")
        if r.status_code in (403, 422):
            low = msg.lower()
            if any(w in low for w in ("policy", "disabled", "enable")):
                return FetchError(
                    f"Copilot usage metrics are turned off for this {self._entity_word()} ({r.status_code}).{said}",
                    hint="An enterprise owner must set the 'Copilot usage metrics' policy to Enabled everywhere "
                         "(enterprise settings → AI controls → Copilot → Metrics), or an org owner enable it for "
                         "the organization.")
            scopes = r.headers.get("x-oauth-scopes")
            have = f" The token has scopes: {scopes or '(none)'}." if scopes is not None else ""
            return FetchError(f"GitHub refused access to {shown} ({r.status_code}).{said}{have}",
                              hint=self._permission_hint())
        if r.status_code == 404:
            return FetchError(f"{shown}: not found (404).", hint="Check the enterprise or organization name.")
        return FetchError(f"{shown}: unexpected HTTP {r.status_code}.{said}", hint="Run with --debug for details.")

    def _entity_word(self) -> str:
        return "organization" if self.scope_hint == "org" else "enterprise"

    def _permission_hint(self) -> str:
        if self.scope_hint == "org":
            return ("You must be an organization owner (or have the 'View Organization Copilot Metrics' permission). "
                    "Classic tokens need the read:org scope (manage_billing:copilot for seats); fine-grained tokens "
                    "need 'Organization Copilot metrics' read access.")
        return ("You must be an enterprise owner or billing manager. Classic tokens need manage_billing:copilot or "
                "read:enterprise; fine-grained tokens are not supported for enterprise scope.")

    # --- downloads ------------------------------------------------------------------------

    def download(self, link: str, dest: Path) -> int:
        """Download a signed link to `dest` as gzip (kept as served when already gzip); the number of bytes read.

        Retries broken downloads with backoff; raises LinkExpired when the host refuses the link.
        """
        import httpx

        shown = redact_url(link)
        tmp = dest.with_name(dest.name + ".download")
        attempt = 0
        while True:
            try:
                n = self._download_once(link, tmp)
                _store_gzip(tmp, dest)
                return n
            except httpx.ConnectError as e:
                raise self.unreachable(link.split("?")[0], e) from None
            except (httpx.TransportError, httpx.DecodingError, _BrokenDownload) as e:
                why = str(e) if isinstance(e, _BrokenDownload) else f"{type(e).__name__}: {scrub(str(e))}"
            finally:
                tmp.unlink(missing_ok=True)
            attempt += 1
            if attempt >= self.policy.max_attempts:
                raise TransientFetchError(f"{shown}: download failed {attempt} times ({why}).",
                                          hint="Run the fetch again later; the day was not loaded.")
            self.retry_pause(attempt, f"{why}; retrying a download")

    def _download_once(self, link: str, tmp: Path) -> int:
        with self._files.stream("GET", link) as r:
            if r.status_code in RETRY_STATUSES:
                raise _BrokenDownload(f"HTTP {r.status_code}")
            wait = rate_limit_wait(r) if r.status_code == 429 else None
            if wait is not None:
                if wait > self.policy.max_wait_s:
                    raise _BrokenDownload("rate limited by the file host")
                self.pacer.pause(wait)
                raise _BrokenDownload("rate limited by the file host")
            if r.status_code >= 400:
                body = r.read()[:2000].decode("utf-8", "replace")
                raise LinkExpired(f"HTTP {r.status_code}{_storage_error(body)}")
            expected = r.headers.get("content-length")
            with open(tmp, "wb") as out:
                for chunk in r.iter_bytes():
                    out.write(chunk)
            if expected is not None and r.num_bytes_downloaded != int(expected):
                raise _BrokenDownload(f"got {r.num_bytes_downloaded} of {expected} bytes")
            return r.num_bytes_downloaded


def _storage_error(body: str) -> str:
    """The error code of an Azure/S3-style XML error body, e.g. ' AuthenticationFailed'."""
    m = re.search(r"<Code>([^<]{1,80})</Code>", body)
    if m:
        return f" {m.group(1)}"
    return " (link expired)" if "expired" in body.lower() else ""


def _store_gzip(tmp: Path, dest: Path) -> None:
    """Move a downloaded file to `dest` as gzip: checked when it already is gzip, compressed otherwise."""
    with open(tmp, "rb") as f:
        is_gz = f.read(2) == b"\x1f\x8b"
    if is_gz:
        try:
            with gzip.open(tmp, "rb") as g:
                while g.read(1 << 20):
                    pass
        except (OSError, EOFError, zlib.error) as e:
            raise _BrokenDownload(f"invalid gzip: {e}") from e
        tmp.replace(dest)
        return
    part = dest.with_name(dest.name + ".tmp")
    with open(tmp, "rb") as src, open(part, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        shutil.copyfileobj(src, out, 1 << 20)
    part.replace(dest)
