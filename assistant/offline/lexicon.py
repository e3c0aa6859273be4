"""The offline translator's vocabulary: phrases for metrics, dimensions, values and the filler it may ignore.

Metric phrases come from `assistant.semantic.metrics.METRICS` (label, name and synonyms) plus the paraphrases
below; values come from the loaded data (`Context.values`) plus the aliases below.
"""

from __future__ import annotations

import re

from assistant.semantic import model
from assistant.semantic.conventions import EXTRA_METRIC_PHRASES
from assistant.semantic.metrics import METRICS

# Words for each breakdown beyond the semantic model's own dimension phrases (which come first); the time
# grains are the phrase reader's own. "user" holds every noun that means users (the subject of "how many ...",
# "which ...", "who ...").
EXTRA_DIMENSION_PHRASES: dict[str, tuple[str, ...]] = {
    "day": ("days", "per day", "each day", "day by day", "dates"),
    "weekday": ("day of week", "day of the week", "days of the week", "weekday", "by weekday", "per weekday"),
    "week": ("week", "weeks", "weekly", "week by week", "per week", "each week"),
    "month": ("month", "months", "monthly", "month by month", "per month", "each month"),
    "user": (
        "persons", "engineers", "engineer", "folks", "members", "member", "individuals", "humans", "colleagues",
        "employees", "staff", "contributors", "seat holders", "licence holders", "license holders", "licensed users",
        "accounts", "logins", "login", "names", "champions", "power users", "adopters", "everyone", "anyone",
        "somebody", "nobody", "someone", "whom", "whose", "consumers", "spenders",
    ),
    "team": ("division", "divisions", "group", "groups", "department", "departments"),
    "language": ("programming language", "programming languages"),
    "ide": ("ide version", "client", "clients"),
    "model": (),
    "feature": ("mode", "modes", "chat mode", "chat modes", "surfaces", "copilot feature", "copilot features"),
    "organization": ("organizations", "organisation", "organisations"),
    "phase": ("adoption phases", "ai adoption phase", "cohorts", "adoption cohort"),
}


def _dimension_phrases() -> dict[str, tuple[str, ...]]:
    """Dimension name -> its phrases: the semantic model's, then the extras above."""
    out: dict[str, tuple[str, ...]] = {}
    for dim, extra in EXTRA_DIMENSION_PHRASES.items():
        own = model.DIMENSIONS_BY_NAME[dim].phrases if dim in model.DIMENSIONS_BY_NAME else ()
        out[dim] = tuple(dict.fromkeys((*own, *extra)))
    return out


# Dimension words -> dimension name.
DIMENSION_PHRASES: dict[str, tuple[str, ...]] = _dimension_phrases()
USER_NOUNS = DIMENSION_PHRASES["user"]

# Aliases for data values (checked against Context.values before use).
VALUE_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "ide": {
        "vscode": ("vs code", "vscode", "visual studio code", "code editor vs code"),
        "jetbrains": (
            "jetbrains",
            "intellij",
            "intellij idea",
            "pycharm",
            "webstorm",
            "goland",
            "rider",
            "android studio",
            "jet brains",
        ),
        "visualstudio": ("visual studio", "visualstudio"),
        "neovim": ("neovim", "nvim", "vim"),
        "xcode": ("xcode",),
        "eclipse": ("eclipse",),
    },
    "feature": {
        "code_completion": (
            "completions",
            "completion",
            "code completion",
            "code completions",
            "autocomplete",
            "inline suggestions",
            "ghost text",
            "tab completions",
        ),
        "chat_panel_ask_mode": ("ask mode", "ask"),
        "chat_panel_agent_mode": ("agent mode", "agent"),
        "chat_panel_edit_mode": ("edit mode", "edits mode", "copilot edits"),
        "chat_panel_plan_mode": ("plan mode", "planning mode"),
        "chat_panel_custom_mode": ("custom mode", "custom agents", "custom chat mode"),
        "chat_panel_unknown_mode": ("unknown mode",),
        "chat_inline": ("inline chat", "inline"),
        "agent_edit": ("agent edits", "agent edit", "agent-written lines"),
        "copilot_cli": ("copilot cli feature",),
        "copilot_app": ("copilot app",),
    },
    "language": {
        "typescript": ("typescript", "ts"),
        "typescriptreact": ("typescriptreact", "tsx", "typescript react"),
        "javascript": ("javascript", "js"),
        "javascriptreact": ("jsx",),
        "python": ("python", "py"),
        "csharp": ("c#", "csharp", "c sharp"),
        "cpp": ("c++", "cpp"),
        "go": ("go", "golang"),
        "shellscript": ("shell", "bash", "shellscript", "shell script"),
        "objective-c": ("objective-c", "objective c", "objc"),
        "terraform": ("terraform", "hcl"),
        "dockerfile": ("dockerfile", "docker"),
        "github-actions-workflow": ("github actions", "actions workflows"),
    },
    "model": {
        "claude-sonnet-4.6": ("sonnet", "claude sonnet"),
        "claude-opus-4.7": ("opus",),
        "claude-haiku-4.5": ("haiku",),
        "gemini-3.0-pro": ("gemini",),
        "gpt-5-mini": ("gpt-5 mini", "gpt 5 mini"),
        "auto": ("auto model", "auto model selection", "auto mode model", "automatic model selection"),
    },
}

# Model families: a word that names several models filters on all of them.
MODEL_FAMILIES = ("claude", "gpt", "gemini", "o3", "o4")

# Words the translator may ignore. Anything else it cannot place makes it refuse (honesty over coverage).
FILLER = frozenset(
    """
a an the of in on at to for from by with and or vs versus per each our my we us i me you your their
they them it its this that these those there here is are was were be been being do does did done has
have had having how what which who when where why whats what's show list give tell get find see
display report print many much number count total totals amount overall all any some across among
between over during within use used using uses usage activity active actually really please can
could would should will shall may might copilot github gh ai assistant question data currently
current now so far yet still ever just only top most least more less fewer highest lowest best worst
biggest smallest largest low high higher lower rank ranking ranked order sorted sort breakdown break
down split grouped group broken out compare compared comparison against than as like same different
trend trends trending trended over time timeline evolution evolve evolved going up down rate rates
average avg mean typical overall whole entire period window range days last past previous prior
recent recently latest this since until through thru to till yesterday today week weeks month months
not no never none without also too whom whose someone anyone everyone somebody nobody once time
times ever are is am be hi hey ok okay thanks thank really exactly approximately roughly about
around did does do doing many have has had seat seats people get got gotten tried try trying been
made make makes making adopted adopt adopting level levels stats statistics metrics metric numbers
figures summary summarize summarise overview engaged enabled happen happened so out each value
values
""".split()
)

# Word classes the intent builder reads (one space-separated list each).
SUPERLATIVE_DESC = frozenset(
    """
best biggest busiest greatest heaviest higher highest largest leading most top
""".split()
)
SUPERLATIVE_ASC = frozenset(
    """
bottom fewest lagging least lower lowest poorest quietest smallest underperforming weakest worst
""".split()
)
NEGATIONS = frozenset(
    """
idle inactive never no nobody none not stopped unused wasted without zero
""".split()
)
TREND_WORDS = frozenset(
    """
evolution evolve evolved evolves evolving history over-time timeline trend trended trending trends develop developed
develops developing
""".split()
)
# the trend words that are verbs: ranked ('evolved the most'), they rank a change, which is refused
TREND_VERBS = frozenset("evolve evolved evolves evolving develop developed develops developing trended".split())
COMPARE_WORDS = frozenset(
    """
against compare compared comparing comparison versus vs
""".split()
)
USAGE_WORDS = frozenset(
    """
touched touch touching opened relied rely
active activity adopted engagement favorite favourite popular preferred tried usage use used
uses using utilization
""".split()
)
COVERAGE_WORDS = frozenset(
    """
cover coverage covered covers fresh freshness gap gaps loaded missing range span
""".split()
)
SUMMARY_WORDS = frozenset(
    """
brief dashboard executive headline headlines highlights key kpi kpis overall overview quick recap
snapshot summarise summarize summary tldr
""".split()
)
LOGIN_LEADS = frozenset(
    """
dev developer did does engineer for has is login user was were
""".split()
)
EXTRA_FILLER = frozenset(
    """
a actively add added adds adopting adoption an any asked asking assign assigned assisted available
been being between biggest bought but buy certain champions choose chose code coding company
company's compare copilot's counts currently day-by-day different distinct engaged engagement
enterprise exist existing exists experienced generate generated getting got had hand hands heavily
heavy help helped her his how's ide individual it kind kinds language launch launched level licensed
like look looking looks members month-by-month much org's org-wide overall particular paying
people's pick picked potential power program programming purchased ran rank reach reached received
run runs saw seen sees send sending sends sent shown offered
burned burnt burn burns consumed consume consumes since some sort specific split start started starts
suggest suggested team's than their there's tool tools type typed types unique user various versus
vs week-by-week what's who's work one-line showed gets receives generates worked working write writing written wrote yet
""".split()
)
TIME_DIMS = ("day", "week", "month", "weekday")
# every word the lists above know (a hyphenated word is read as its parts only when all of them are known)
KNOWN_WORDS = FILLER | EXTRA_FILLER | TREND_WORDS | USAGE_WORDS | NEGATIONS | SUPERLATIVE_ASC | SUPERLATIVE_DESC
# hyphenated words the word lists above know as one word (others are read as their parts)
HYPHENATED_WORDS = frozenset(
    w for ws in (FILLER, EXTRA_FILLER, TREND_WORDS, USAGE_WORDS, NEGATIONS) for w in ws if "-" in w
) | {"days-active"}
SHARE_WORDS = frozenset("share percentage percent proportion fraction ratio".split())
# Words about change: fine over time or between two periods, refused otherwise
# ("whose usage dropped the most")
CHANGE_WORDS = frozenset(
    """
change changed changes changing growth grow grew grown increase increased increases decline declined
drop dropped drops fell rise rose difference differ shift shifted shifting
""".split()
)
# An audience, not a breakdown: "for the executive team"
AUDIENCE = re.compile(
    r"\b(?:for|to|give|show|tell) (?:the |our |my )?(?:executive|exec|leadership|management|board|c-level|cto|vp)"
    r"(?: team| group)?\b"
)

STOP_PUNCT = re.compile(r"[?!,;:()\"“”]|\.(?=\s|$)")  # a dot inside a word stays: gpt-4.1, github.com


# words the semantic layer lists as metric synonyms that are no metric by themselves here ("users", "chat")...
NOT_METRICS = (
    "users", "people", "developers", "devs", "engineers", "folks", "active", "dau", "wau", "mau", "chat", "cli",
    "terminal", "agent mode", "sessions", "adoption", "acceptance", "accepted",
)
# ... and the metric a bare word means here
METRIC_WORDS: dict[str, str] = {
    "accepted": "code_acceptances", "accept": "code_acceptances", "sessions": "cli_sessions",
    "adoption": "active_users", "uptake": "active_users",
    "dau": "active_users", "wau": "active_users", "mau": "active_users", "acceptance": "acceptance_rate",
}


def metric_phrases() -> dict[str, str]:
    """phrase -> metric name, from the semantic layer and the paraphrases above."""
    out: dict[str, str] = {}
    for m in METRICS:
        for p in (m.label, m.name.replace("_", " "), *m.synonyms):
            out.setdefault(p.lower(), m.name)
    for name, phrases in EXTRA_METRIC_PHRASES.items():
        for p in phrases:
            out[p.lower()] = name
    for generic in NOT_METRICS:
        out.pop(generic, None)
    out.update(METRIC_WORDS)
    return out
