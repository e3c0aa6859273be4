"""The saved queries most like a question (TF-IDF over stemmed words), as examples for the model's prompt."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.errors import QueryError

if TYPE_CHECKING:
    pass

from assistant.saved.files import SavedQuery, SavedQueryError, list_queries
from assistant.saved.params import bind_params

_STOP = frozenset(
    "a an and are as at be by did do does for from have how i in is it its me my of on or our over per show "
    "tell than that the their them there these this those to us was we were what when where which who whom "
    "why will with you your give list get".split()
)


def tokens(text: str) -> list[str]:
    """Lower-case, stop words out, crude stemming: 'Teams adopting' -> ['team', 'adopt']."""
    return [_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP]


_SUFFIXES = (
    ("ations", ""),
    ("ation", ""),
    ("ies", "y"),
    ("ances", ""),
    ("ance", ""),
    ("ences", ""),
    ("ence", ""),
    ("ions", ""),
    ("ion", ""),
    ("ings", ""),
    ("ing", ""),
    ("ed", ""),
    ("ily", "y"),
    ("ly", ""),
    ("es", ""),
    ("s", ""),
)


def _stem(word: str) -> str:
    """A crude, consistent stem: 'lines'/'line' -> 'lin', 'adoption'/'adopting' -> 'adopt', z -> s."""
    word = word.replace("iz", "is")
    for suffix, repl in _SUFFIXES:
        if (
            word.endswith(suffix)
            and len(word) - len(suffix) >= 2
            and not (suffix == "s" and word.endswith("ss"))
        ):
            word = word[: len(word) - len(suffix)] + repl
            break
    return word[:-1] if word.endswith("e") and len(word) >= 3 else word


def similar_queries(settings: Settings, question: str, k: int = 5) -> list[SavedQuery]:
    """The `k` saved queries whose question (and name, description) is closest to `question`, best first."""
    queries = list_queries(settings)
    docs = [
        Counter(tokens(q.question) * 2 + tokens(q.name.replace("-", " ")) + tokens(q.description or ""))
        for q in queries
    ]
    n = len(docs)
    df = Counter(t for d in docs for t in d)
    idf = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}

    def vec(counts: Counter[str]) -> dict[str, float]:
        v = {t: c * idf.get(t, 0.0) for t, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    qv = vec(Counter(tokens(question)))
    scored = [
        (sum(w * dv.get(t, 0.0) for t, w in qv.items()), q.name, q)
        for q, dv in zip(queries, (vec(d) for d in docs), strict=True)
    ]
    ranked = sorted((s for s in scored if s[0] > 0), key=lambda s: (-round(s[0], 9), s[1]))
    return [q for _, _, q in ranked[:k]]


def few_shot_examples(settings: Settings, question: str, k: int = 5) -> list[tuple[str, str]]:
    """(question, SQL) pairs from the most similar saved queries, parameters bound to their defaults."""
    out: list[tuple[str, str]] = []
    for q in similar_queries(settings, question, k=k):
        try:
            out.append((q.question, bind_params(q, {})))
        except (SavedQueryError, QueryError):
            continue  # a query that cannot be bound teaches nothing
    return out
