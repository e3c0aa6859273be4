"""A scripted OpenAI-compatible server on 127.0.0.1 for tests: replies in order, every request recorded.

    with ScriptedServer() as server:
        server.reply("```sql\nSELECT 1\n```")
        server.fail(429, retry_after=0)
        client = OpenAI(base_url=server.url, api_key="test", max_retries=0)

POST /v1/chat/completions pops the next scripted step: a reply (JSON, or SSE when the request has
`"stream": true`), an error status with an OpenAI-style error body, or a delay before either.
When the script is empty it answers 500 "script exhausted", so a test never hangs on a missing step.
GET /v1/models lists `models`.

Like a real server it honours `stop` (the reply ends before the first stop sequence, which is not
returned) and `max_tokens` (a word is a token; the reply is cut with finish_reason "length"), and
reports usage (words in, words out). The failure modes of small local models:
`endless(text)` repeats text forever (only `max_tokens` or a stop ends it; without either the server
holds the request for `HANG_S`, like a model filling its context), `reply(..., delay_s=)` is a slow
call, and `tokenizer=True` serves llama.cpp's POST /tokenize (one token per word).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG_S = 20.0  # what an endless reply without max_tokens costs: the client's timeout ends it first


@dataclass
class Step:
    content: str | None = None
    status: int = 200
    error: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    endless: bool = False
    echo_auth: bool = False  # append the request's Authorization header to the error message, as some servers do


class ScriptedServer:
    """Serve scripted chat completions on a free loopback port from a background thread."""

    def __init__(
        self, models: tuple[str, ...] = ("gpt-4.1-mini", "gpt-4.1", "gpt-4o-mini"), *, tokenizer: bool = False
    ) -> None:
        self.tokenizer = tokenizer
        self.tokenize_requests: list[dict[str, Any]] = []
        self.steps: list[Step] = []
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.models = list(models)
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    # --- scripting ---------------------------------------------------------------------------
    def reply(self, content: str, *, delay_s: float = 0.0) -> "ScriptedServer":
        self.steps.append(Step(content=content, delay_s=delay_s))
        return self

    def endless(self, text: str, *, delay_s: float = 0.0) -> "ScriptedServer":
        """A reply that never ends by itself: `text` again and again."""
        self.steps.append(Step(content=text, delay_s=delay_s, endless=True))
        return self

    def fail(
        self,
        status: int,
        message: str = "scripted failure",
        *,
        code: str | None = None,
        retry_after: float | None = None,
        echo_auth: bool = False,
    ) -> "ScriptedServer":
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = str(int(retry_after))
            headers["retry-after-ms"] = str(int(retry_after * 1000))
        self.steps.append(
            Step(status=status, headers=headers, error={"message": message, "type": "scripted", "code": code},
                 echo_auth=echo_auth)
        )
        return self

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if "messages" in r]

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> "ScriptedServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "ScriptedServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def next_step(self) -> Step:
        with self._lock:
            if self.steps:
                return self.steps.pop(0)
        return Step(status=500, error={"message": "script exhausted", "type": "scripted", "code": None})


def _handler_for(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                data = [{"id": m, "object": "model", "created": 0, "owned_by": "test"} for m in server.models]
                self._json(200, {"object": "list", "data": data})
            else:
                self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if not self.path.split("?", 1)[0].rstrip("/").endswith("/chat/completions"):
                self._other(body)
                return
            with server._lock:
                server.requests.append(body)
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
            step = server.next_step()
            if step.delay_s:
                time.sleep(step.delay_s)
            if step.status != 200:
                error = dict(step.error or {})
                if step.echo_auth:
                    error["message"] = f"{error.get('message')} (Authorization: {self.headers.get('Authorization')})"
                self._json(step.status, {"error": error}, step.headers)
                return
            content, finish = generate(step, body)
            if finish is None:  # endless and unbounded: hold the request until the client gives up
                time.sleep(HANG_S)
                self._json(200, _completion(body.get("model", "m"), content, "length", body))
            elif body.get("stream"):
                self._sse(body.get("model", "m"), content, finish)
            else:
                self._json(200, _completion(body.get("model", "m"), content, finish, body))

        def _other(self, body: dict[str, Any]) -> None:
            if self.path.rstrip("/").endswith("/tokenize") and server.tokenizer:
                with server._lock:
                    server.tokenize_requests.append(body)
                self._json(200, {"tokens": list(range(len(str(body.get("content", "")).split())))})
            else:
                self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

        def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                pass

        def _sse(self, model: str, content: str, finish: str = "stop") -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            words = content.split(" ")
            pieces = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
            try:
                for piece in pieces:
                    self.wfile.write(f"data: {json.dumps(_chunk(model, {'content': piece}))}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(f"data: {json.dumps(_chunk(model, {}, finish))}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    return Handler


def generate(step: Step, request: dict[str, Any]) -> tuple[str, str | None]:
    """(text, finish_reason) the way a server produces it: up to a stop sequence or max_tokens words."""
    limit = request.get("max_tokens") or request.get("max_completion_tokens")
    stops = request.get("stop") or []
    stops = [stops] if isinstance(stops, str) else list(stops)
    text = step.content or ""
    if step.endless:
        if not limit and not stops:
            return "", None
        repeats = max(1, (int(limit) if limit else 2000) // max(1, len(text.split())) + 2)
        text = text * repeats
    cut = [text.find(s) for s in stops if s and s in text]
    if cut:
        return text[: min(cut)], "stop"
    if limit and len(text.split()) > int(limit):
        pieces = text.split(" ")
        kept: list[str] = []
        while len(" ".join(kept).split()) < int(limit) and pieces:
            kept.append(pieces.pop(0))
        return " ".join(kept), "length"
    if step.endless:  # a stop sequence never came: only a limit ends it
        return text, "length"
    return text, "stop"


def _completion(
    model: str, content: str, finish: str = "stop", request: dict[str, Any] | None = None
) -> dict[str, Any]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in (request or {}).get("messages", []))
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}
        ],
        "usage": {"prompt_tokens": prompt, "completion_tokens": len(content.split()),
                  "total_tokens": prompt + len(content.split())},
    }


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


if __name__ == "__main__":  # a manual check: serve one canned answer
    with ScriptedServer() as s:
        s.reply("Interpretation: a test.\n```sql\nSELECT 42 AS answer\n```")
        print(s.url)
        time.sleep(60)
