"""Text from data, a model or a server, made safe to show: no terminal control sequences, no secrets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

__all__ = ["printable", "redact", "redact_userinfo"]

# Escape sequences are removed whole (CSI, OSC up to BEL or ST, DCS/APC/PM/SOS strings, two-byte
# escapes), in their 7-bit and 8-bit forms, so no payload such as an OSC 52 clipboard write or an
# OSC 8 hyperlink is left behind; then every remaining C0/C1 control character except newline and
# tab, and the bidirectional overrides that make text read differently from what it is.
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]",
    re.DOTALL,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_USERINFO = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@]*@")
_BEARER = re.compile(r"(\b(?:Bearer|Basic|token)\s+)[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
_KEY_LIKE = re.compile(r"\b(?:sk|pk|rk|ghp|gho|ghu|ghs|github_pat)[-_][A-Za-z0-9_-]{16,}")


def printable(text: str, *, newlines: bool = True) -> str:
    """Return `text` without escape sequences and control characters (newlines and tabs kept if `newlines`)."""
    text = _CONTROLS.sub("", _SEQUENCES.sub("", text.replace("\r\n", "\n")))
    return text if newlines else text.replace("\n", " ").replace("\t", " ")


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Return `text` with the given secrets, URL userinfo, bearer tokens and key-like strings replaced by ***."""
    for secret in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        text = text.replace(secret, "***")
    text = _USERINFO.sub(r"\1***@", text)
    text = _BEARER.sub(r"\1***", text)
    return _KEY_LIKE.sub("***", text)


def redact_userinfo(url: str | None) -> str:
    """Return `url` with a `user:password@` part shown as `***@` (a key can hide there), for messages and status."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unreadable URL)"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))
