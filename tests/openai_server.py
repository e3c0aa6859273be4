"""A scripted OpenAI-compatible server on 127.0.0.1 for tests: replies in order, every request recorded.

    with ScriptedServer() as server:
        server.reply("```sql\nSELECT 1\n```")
        server.fail(429, retry_after=0)
        client = OpenAI(base_url=server.url, api_key="test", max_retries=0)

POST /v1/chat/completions pops the next scripted step: a reply (JSON, or SSE when the request has
`"stream": true`), an error status with an OpenAI-style error body, or a delay before either.
When the script is empty it answers 500 "script exhausted", so a test never hangs on a missing step.
GET /v1/models lists `models`.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    content: str | None = None
    status: int = 200
    error: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


class ScriptedServer:
    """Serve scripted chat completions on a free loopback port from a background thread."""

    def __init__(self, models: tuple[str, ...] = ("gpt-4.1-mini", "gpt-4.1", "gpt-4o-mini")) -> None:
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

    def fail(
        self,
        status: int,
        message: str = "scripted failure",
        *,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> "ScriptedServer":
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = str(int(retry_after))
            headers["retry-after-ms"] = str(int(retry_after * 1000))
        self.steps.append(
            Step(status=status, headers=headers, error={"message": message, "type": "scripted", "code": code})
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
            with server._lock:
                server.requests.append(body)
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
            step = server.next_step()
            if step.delay_s:
                time.sleep(step.delay_s)
            if step.status != 200:
                self._json(step.status, {"error": step.error}, step.headers)
            elif body.get("stream"):
                self._sse(body.get("model", "m"), step.content or "")
            else:
                self._json(200, _completion(body.get("model", "m"), step.content or ""))

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

        def _sse(self, model: str, content: str) -> None:
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
                self.wfile.write(f"data: {json.dumps(_chunk(model, {}, 'stop'))}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    return Handler


def _completion(model: str, content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
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
