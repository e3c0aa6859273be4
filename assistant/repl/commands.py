"""The REPL's slash commands: a registry of plain functions `(ctx, arg) -> Output`.

A handler does one thing and returns what to show (an Answer, a rich renderable or text) or None
when it printed already. The loop in `repl.py` renders what comes back; nothing here reads the prompt
except /edit, which asks `ctx.edit` (the prompt with the SQL pre-filled).
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from assistant.config import EXPORT_MAX_ROWS, _number
from assistant.engine.session import default_translator
from assistant.errors import ConfigError
from assistant.output import render
from assistant.output.charts import chart as draw
from assistant.saved.answers import save_answer
from assistant.saved.files import list_queries, load_query
from assistant.saved.params import parse_param_args
from assistant.saved.run import run_saved
from assistant.semantic import catalog, describe

if TYPE_CHECKING:
    from rich.console import Console

    from assistant.contracts import Answer
    from assistant.engine.session import Session

T = TypeVar("T")
Output = Any  # an Answer, a rich renderable, a str, or None
FORMATS = ("table", "csv", "json", "markdown")
EXPORTS = {".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown"}


class Cancelled(Exception):
    """The user pressed Ctrl-C while a step was running."""


class WaitingLine:
    """A status line while a model call waits for its reply: what it waits for, for how long, and Ctrl-C."""

    AFTER_S = 0.5  # an instant answer (offline, a quick server) shows no status at all

    def __init__(self, console: "Console", session: "Session") -> None:
        self.console = console
        self.session = session
        self.status: Any = None

    def update(self) -> None:
        waiting = self.session.waiting()
        if waiting is None or waiting[1] < self.AFTER_S:
            if waiting is None:
                self.stop()
            return
        text = f"[dim]Waiting for the model ({waiting[0]}): {waiting[1]:.0f} s · Ctrl-C cancels[/]"
        if self.status is None:
            self.status = self.console.status(text)
            self.status.start()
        else:
            self.status.update(text)

    def stop(self) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None


@dataclass
class ReplContext:
    """What a command may use: the engine, the console, the last answer and the REPL's own settings."""

    session: "Session"
    console: "Console"
    last: "Answer | None" = None
    format: str = "table"
    done: bool = False
    edit: Callable[[str], str] | None = None  # the prompt with text pre-filled (for /edit)
    step: "Step | None" = None
    pager: bool = True  # long tables page through $PAGER (less -SRXF) on a terminal

    def run(self, fn: Callable[[], T]) -> T:
        """Run one step in a worker thread; Ctrl-C cancels it (query or model call) and raises Cancelled."""
        step = self.step = Step()
        box: dict[str, Any] = {}

        def work() -> None:
            _local.step = step  # output from this thread belongs to this step, even after a newer one started
            try:
                box["value"] = fn()
            except BaseException as e:  # handed to the caller's thread
                box["error"] = e
            finally:
                step.finished.set()

        threading.Thread(target=work, name="cma-step", daemon=True).start()
        waiting = WaitingLine(self.console, self.session)
        try:
            while not step.finished.wait(0.05):
                waiting.update()
        except KeyboardInterrupt:
            step.cancelled.set()
            for _ in range(40):  # again and again: an interrupt that lands before the query starts is lost
                self.session.cancel()
                if step.finished.wait(0.05):
                    break
            raise Cancelled() from None
        finally:
            waiting.stop()
        if step.cancelled.is_set():
            raise Cancelled()
        if "error" in box:
            raise box["error"]
        return box["value"]

    def write(self, text: str) -> None:
        """Print streamed text as it arrives (dropped once its step was cancelled)."""
        step = current_step() or self.step
        if step is not None:
            if step.cancelled.is_set():
                return
            step.streamed = True
        self.console.print(text, end="", markup=False, highlight=False, soft_wrap=True)


_local = threading.local()


def current_step() -> "Step | None":
    """The step the calling worker thread runs, if any."""
    return getattr(_local, "step", None)


@dataclass
class Step:
    finished: threading.Event = field(default_factory=threading.Event)
    cancelled: threading.Event = field(default_factory=threading.Event)
    streamed: bool = False  # some text was printed as it arrived


@dataclass(frozen=True)
class Command:
    name: str
    handler: Callable[[ReplContext, str], Output]
    help: str
    args: str = ""
    aliases: tuple[str, ...] = ()


COMMANDS: dict[str, Command] = {}
ALIASES: dict[str, str] = {}


def command(name: str, help: str, args: str = "", aliases: tuple[str, ...] = ()) -> Callable[[Any], Any]:
    """Register a handler under `/name` (and its aliases)."""

    def register(fn: Callable[[ReplContext, str], Output]) -> Callable[[ReplContext, str], Output]:
        COMMANDS[name] = Command(name, fn, help, args, aliases)
        for a in aliases:
            ALIASES[a] = name
        return fn

    return register


def names() -> list[str]:
    """Every command word, with its slash, for completion and 'did you mean'."""
    return sorted("/" + n for n in [*COMMANDS, *ALIASES])


def dispatch(ctx: ReplContext, text: str) -> Output:
    """Run the slash command in `text`; an unknown one gets a suggestion."""
    word, _, arg = text[1:].strip().partition(" ")
    word = word.lower()
    name = ALIASES.get(word, word)
    if name not in COMMANDS:
        near = difflib.get_close_matches("/" + word, names(), n=1, cutoff=0.5)
        raise ConfigError(f"Unknown command '/{word}'.",
                          hint=f"Did you mean '{near[0]}'? (/help lists them)" if near
                          else "Type /help for the commands.")
    return COMMANDS[name].handler(ctx, arg.strip())


def _need_last(ctx: ReplContext) -> "Answer":
    if ctx.last is None:
        raise ConfigError("There is no result yet.", hint="Ask a question (or run /sql SELECT ...) first.")
    return ctx.last


# --- the commands ----------------------------------------------------------------------------------
@command("help", "Show the commands", aliases=("?",))
def help_(ctx: ReplContext, arg: str) -> Output:
    from rich.markup import escape
    from rich.table import Table

    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold cyan")
    table.add_column()
    for c in COMMANDS.values():
        alias = f" (/{', /'.join(c.aliases)})" if c.aliases else ""
        table.add_row(escape(f"/{c.name} {c.args}".rstrip()), escape(c.help + alias))
    ctx.console.print("Type a question in plain English; follow-ups use the conversation "
                      "(\"and by language?\", \"only last week\").")
    ctx.console.print("Enter submits; Esc-Enter or a trailing \\ adds a line; Ctrl-C cancels; Ctrl-D quits.")
    return table


@command("sql", "Run your own SQL (read-only, same guard and limits); no SQL shows the last", "SQL")
def sql(ctx: ReplContext, arg: str) -> Output:
    if not arg:
        return sql_syntax(_need_last(ctx).sql)
    return ctx.run(lambda: ctx.session.run_sql(arg))


@command("edit", "Put the last SQL in the input line to change it, then run it")
def edit(ctx: ReplContext, arg: str) -> Output:
    last = _need_last(ctx)
    if ctx.edit is None:
        raise ConfigError("/edit needs an interactive prompt.", hint="Use /sql SQL instead.")
    try:
        text = ctx.edit(last.sql).strip()
    except (KeyboardInterrupt, EOFError):
        return "Edit cancelled."
    if not text:
        return "Nothing to run."
    return ctx.run(lambda: ctx.session.run_sql(text))


@command("explain", "Explain the last result again (with its SQL)")
def explain(ctx: ReplContext, arg: str) -> Output:
    from rich.text import Text

    last = _need_last(ctx)
    ctx.console.print(sql_syntax(last.sql))
    text = ctx.run(lambda: ctx.session.explain(last, on_text=ctx.write)).explanation
    streamed = ctx.step is not None and ctx.step.streamed
    return None if not text else ("" if streamed else Text(text))


@command("schema", "List the tables, or describe a table, metric, dimension or entity", "[NAME]")
def schema(ctx: ReplContext, arg: str) -> Output:

    if not arg:
        from rich.table import Table

        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for t in catalog.ALL:
            table.add_row(t.name, t.doc)
        return table
    from rich.markdown import Markdown

    if arg == "model":
        return Markdown(describe.model_markdown())
    text = describe.describe(arg)
    if text is None:
        near = difflib.get_close_matches(arg, describe.names(), n=1)
        raise ConfigError(f"No table, view, metric, dimension or entity named '{arg}'.",
                          hint=f"Did you mean '{near[0]}'?" if near else "Type /schema to list them, "
                          "/schema model for the metrics and dimensions.")
    return Markdown(text)


@command("status", "Show the database, the data coverage, the model and the settings")
def status(ctx: ReplContext, arg: str) -> Output:
    from rich.text import Text

    s = ctx.session.settings
    lines = [
        f"database: {s.db}",
        ctx.session.context().coverage_line(),
        f"translator: {describe_backend(ctx.session)}",
        f"results shared with the model: {'yes' if s.share_results and s.has_model else 'no'}",
        f"format: {ctx.format}; rows shown at most {s.max_rows}; query time limit {s.timeout_s:g} s",
        f"conversation: {len(ctx.session.history)} turns",
    ]
    return Text("\n".join(lines))


@command("save", "Save the last question and its SQL as a named query", "NAME")
def save(ctx: ReplContext, arg: str) -> Output:
    last = _need_last(ctx)
    if not arg:
        raise ConfigError("/save needs a name.", hint="For example: /save weekly-active")
    from rich.text import Text


    name, _, force = arg.partition(" ")
    s = ctx.session.settings
    source = "human" if last.backend == "sql" or last.backend.startswith("saved:") else (
        "offline" if "offline" in last.backend else s.model_name)
    path, note = save_answer(s, name, last, source=source, overwrite=force.strip() in ("--force", "-f"))
    return Text(f"Saved '{name}' to {path}. Run it again with /run {name}." + (f"\n{note}" if note else ""))


@command("queries", "List the saved queries")
def queries(ctx: ReplContext, arg: str) -> Output:
    from rich.markup import escape
    from rich.table import Table


    found = list_queries(ctx.session.settings)
    if not found:
        return "No saved queries yet. Ask a question, then /save NAME."
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for q in found:
        params = f" [dim]({', '.join(f'{k}={v}' for k, v in q.params.items())})[/]" if q.params else ""
        table.add_row(q.name, escape(q.question) + params + (" [dim]starter[/]" if q.starter else ""))
    return table


@command("run", "Run a saved query on the current data", "NAME [param=value ...]")
def run(ctx: ReplContext, arg: str) -> Output:
    if not arg:
        raise ConfigError("/run needs a saved query name.", hint="List them with /queries.")

    name, *params = arg.split()
    query = load_query(ctx.session.settings, name)
    overrides = parse_param_args(params)
    return ctx.run(lambda: run_saved(ctx.session, query, overrides))


@command("export", "Write the last result to a file (.csv, .json or .md)", "FILE")
def export(ctx: ReplContext, arg: str) -> Output:
    from rich.text import Text


    last = _need_last(ctx)
    if not arg:
        raise ConfigError("/export needs a file name.", hint="For example: /export result.csv")
    path = Path(arg).expanduser()
    kind = EXPORTS.get(path.suffix.lower())
    if kind is None:
        raise ConfigError(f"Cannot tell the format of '{path.name}'.", hint="End the name in .csv, .json or .md.")
    if last.truncated:  # the screen showed a capped result: the file gets every row

        last = ctx.run(lambda: ctx.session.run_sql(last.sql, question=last.question, backend=last.backend,
                                                   max_rows=EXPORT_MAX_ROWS))
    writers = {"csv": render.to_csv, "json": render.to_json_rows, "markdown": render.to_markdown}
    text = writers[kind](last.columns, last.rows)
    try:
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"Cannot write {path}: {e.strerror or e}",
                          hint="Check the folder exists and is writable.") from e
    more = f" (of {last.row_count:,}: the export cap)" if last.truncated else ""
    return Text(f"Wrote {len(last.rows):,} rows to {path}{more}.")


@command("chart", "Draw the last result: a line over days, or bars per label")
def chart(ctx: ReplContext, arg: str) -> Output:
    from rich.text import Text


    last = _need_last(ctx)
    width = max(40, min(ctx.console.width - 2, 120))
    drawn = draw(last.columns, last.rows, width=width, color=ctx.console.is_terminal)
    ctx.console.print(Text.from_ansi(drawn.text))
    if drawn.note or last.truncated:
        ctx.console.print(f"[dim]{drawn.note or last.note()}[/]")
    return None


@command("format", "Show results as a table, csv, json or markdown", "table|csv|json|markdown")
def format_(ctx: ReplContext, arg: str) -> Output:
    if not arg:
        return f"format: {ctx.format} (choose one of {', '.join(FORMATS)})"
    choice = {"md": "markdown"}.get(arg.lower(), arg.lower())
    if choice not in FORMATS:
        near = difflib.get_close_matches(choice, FORMATS, n=1)
        raise ConfigError(f"Unknown format '{arg}'.",
                          hint=f"Did you mean '{near[0]}'?" if near else f"Choose one of {', '.join(FORMATS)}.")
    ctx.format = choice
    return f"Results now show as {choice}."


SETTABLE = {"timeout": ("timeout_s", float, 0.001), "max_rows": ("max_rows", int, 1)}


@command("set", "Change a setting for this session: timeout SECONDS, max_rows N, pager on|off",
         "timeout|max_rows|pager VALUE")
def set_(ctx: ReplContext, arg: str) -> Output:
    from dataclasses import replace


    name, _, value = arg.partition(" ")
    name, value = name.strip().lower().replace("-", "_"), value.strip()
    s = ctx.session.settings
    if not name:
        return f"timeout {s.timeout_s:g} s, max_rows {s.max_rows:,}, pager {'on' if ctx.pager else 'off'}"
    if name == "pager":
        if value.lower() not in ("on", "off"):
            raise ConfigError("/set pager takes on or off.")
        ctx.pager = value.lower() == "on"
        return f"pager {value.lower()}"
    if name not in SETTABLE:
        near = difflib.get_close_matches(name, [*SETTABLE, "pager"], n=1)
        raise ConfigError(f"Unknown setting '{name}'.",
                          hint=f"Did you mean '{near[0]}'?" if near else "Settable: timeout, max_rows, pager.")
    field_name, kind, minimum = SETTABLE[name]
    if not value:
        example = 60 if kind is float else 500
        raise ConfigError(f"/set {name} needs a value.", hint=f"For example: /set {name} {example}")
    ctx.session.settings = replace(s, **{field_name: _number(value, kind, f"/set {name}", minimum)})
    return f"{name} is now {value} for this session."


@command("model", "Use a model (by name) for the next questions; no name shows the current one", "[NAME]")
def model(ctx: ReplContext, arg: str) -> Output:

    if not arg:
        return f"translator: {describe_backend(ctx.session)}"
    old = ctx.session.settings
    settings = old.with_overrides(model=arg, offline=False, backend="auto" if old.backend == "offline" else None)
    if not settings.has_model:
        raise ConfigError("No model configured.",
                          hint="Set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server) and restart, "
                               "or keep using the offline translator.")
    _use(ctx, settings, default_translator(settings))
    return f"Using {describe_backend(ctx.session)}."


@command("offline", "Use the embedded offline translator (no model, nothing leaves the machine)")
def offline(ctx: ReplContext, arg: str) -> Output:

    settings = ctx.session.settings.with_overrides(offline=True, backend="offline")
    _use(ctx, settings, default_translator(settings))
    return "Using the offline translator; nothing leaves this machine. /model NAME goes back to a model."


@command("history", "Show the questions of this conversation")
def history(ctx: ReplContext, arg: str) -> Output:
    from rich.markup import escape

    turns = ctx.session.history
    if not turns:
        return "No questions yet."
    lines = []
    for i, t in enumerate(turns, 1):
        outcome = f"error: {t.error}" if t.error else f"{t.row_count:,} row{'' if t.row_count == 1 else 's'}"
        lines.append(f"{i:>2}. {escape(t.question)}  [dim]({escape(outcome)})[/]")
    return "\n".join(lines)


@command("clear", "Forget the conversation (follow-ups start fresh)")
def clear(ctx: ReplContext, arg: str) -> Output:
    ctx.session.history.clear()
    ctx.last = None
    return "Conversation cleared."


@command("quit", "Leave (Ctrl-D also does)", aliases=("exit", "q"))
def quit_(ctx: ReplContext, arg: str) -> Output:
    ctx.done = True
    return None


# --- helpers ---------------------------------------------------------------------------------------
def describe_backend(session: "Session") -> str:
    """'model gpt-4.1-mini at http://...' or 'offline translator'."""
    s = session.settings
    if s.has_model:
        from assistant.sanitize import redact_userinfo

        first = "offline reader first, then " if s.backend == "auto" else ""
        return f"{first}model {s.model_name}" + (f" at {redact_userinfo(s.base_url)}" if s.base_url else "")
    backend = session.backend
    if "offline" not in backend:
        return f"{backend} translator"
    return "offline translator" + ("" if s.offline else " (no model configured)")


def _use(ctx: ReplContext, settings: Any, translator: Any) -> None:
    ctx.session.settings = settings
    ctx.session.translator = translator
    ctx.session.explainer = None  # the default follows the translator and the sharing setting




def sql_syntax(sql: str) -> Any:
    from rich.syntax import Syntax

    return Syntax(sql, "sql", theme="ansi_dark", background_color="default", word_wrap=True)
