"""Local reasoning models (Ollama, vLLM, llama.cpp) think out loud in `<think>` sections: one filter drops them.

The same filter serves a whole reply (the SQL call) and a token stream (the explanation), with one tag set.
"""

from __future__ import annotations

TAGS = ("think", "thinking", "reasoning")


class ThinkingFilter:
    """Drops `<think>...</think>` (and `<thinking>`, `<reasoning>`, any case) from a stream of text pieces."""

    def __init__(self) -> None:
        self.pending = ""
        self.closing: str | None = None  # the close tag awaited while inside a section

    def feed(self, piece: str) -> str:
        """The part of the stream so far that is safe to show."""
        self.pending += piece
        out: list[str] = []
        while True:
            at, tag = self._next_tag()
            if at >= 0:
                if self.closing is None:
                    out.append(self.pending[:at])
                    self.closing = "</" + tag[1:]
                else:
                    self.closing = None
                self.pending = self.pending[at + len(tag):]
                continue
            keep = self._partial_tail()
            if self.closing is None:
                out.append(self.pending[: len(self.pending) - keep])
            self.pending = self.pending[len(self.pending) - keep:]
            return "".join(out)

    def flush(self) -> str:
        """What is left at the end of the stream (a held-back partial tag that never completed)."""
        rest, self.pending = ("" if self.closing else self.pending), ""
        return rest

    def _candidates(self) -> tuple[str, ...]:
        return (self.closing,) if self.closing else tuple(f"<{t}>" for t in TAGS)

    def _next_tag(self) -> tuple[int, str]:
        low = self.pending.lower()
        hits = [(low.find(t), t) for t in self._candidates() if low.find(t) >= 0]
        return min(hits) if hits else (-1, "")

    def _partial_tail(self) -> int:
        """How many trailing characters might be the start of a tag split across pieces."""
        low = self.pending.lower()
        return max((k for t in self._candidates() for k in range(len(t) - 1, 0, -1) if low.endswith(t[:k])),
                   default=0)


def strip_thinking(text: str) -> str:
    """The reply without its thinking sections (an unclosed one runs to the end)."""
    f = ThinkingFilter()
    return (f.feed(text) + f.flush()).strip()
