"""The conversation in a terminal: a prompt_toolkit prompt, slash commands, and answers rendered with rich.

The loop only reads, dispatches and renders; the engine is `Session` (the same one `cma ask` uses),
the commands live in `repl_commands.py`. `input=`/`output=` pass through to prompt_toolkit so tests
drive the loop with a pipe.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

from assistant.config import private_dir, state_dir
from assistant.contracts import Answer
from assistant.errors import AssistantError, ConfigError
from assistant.output import render
from assistant.output.charts import gaps_note
from assistant.output.errors import print_error
from assistant.repl import commands as repl_commands
from assistant.repl.commands import Cancelled, ReplContext
from assistant.saved.files import list_queries
from assistant.semantic import catalog, describe
from assistant.semantic import metrics as semantic
from assistant.store.sqltext import is_sql

if TYPE_CHECKING:
    from rich.console import Console

    from assistant.config import Settings
    from assistant.contracts import Answer
    from assistant.engine.session import Session

PROMPT = "cma> "
MAX_NAMES = 1000  # logins and teams offered for completion
_WORD = re.compile(r"[\w.\-]+$")


# --- completion ------------------------------------------------------------------------------------
@dataclass
class Vocabulary:
    """The words the completer offers: commands, tables, columns, metrics, teams, logins, saved queries."""

    tables: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    model: list[str] = field(default_factory=list)  # the semantic model's names and phrases
    described: list[str] = field(default_factory=list)  # what /schema can describe
    teams: list[str] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    saved: Callable[[], list[str]] = list

    def words(self) -> list[str]:
        return sorted({*self.tables, *self.columns, *self.metrics, *self.model, *self.teams, *self.logins,
                       *self.saved()})


class ReplCompleter(Completer):
    """Slash commands first; after /schema a table, /run a saved query, /export a path; else any known name."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        if text.startswith("/") and " " not in text:
            yield from _matches(text, repl_commands.names())
            return
        head, _, rest = text.partition(" ")
        if head.lower() == "/export":
            yield from self._paths.get_completions(Document(rest.lstrip(), len(rest.lstrip())), complete_event)
            return
        word_match = _WORD.search(text)
        word = word_match.group(0) if word_match else ""
        head = head.lower()
        if head == "/schema":
            candidates: Iterable[str] = self.vocabulary.described or self.vocabulary.tables
        elif head == "/run":
            candidates = self.vocabulary.saved()
        elif head == "/format":
            candidates = repl_commands.FORMATS
        elif len(word) >= 2:
            candidates = self.vocabulary.words()
        else:
            yield from _phrases(text, self.vocabulary.model)
            return
        yield from _matches(word, candidates)
        yield from _phrases(text, self.vocabulary.model)


def _matches(word: str, candidates: Iterable[str]) -> Iterator[Completion]:
    low = word.lower()
    for c in sorted(set(candidates)):
        if c.lower().startswith(low) and c != word:
            yield Completion(c, start_position=-len(word))


def _phrases(text: str, phrases: Iterable[str]) -> Iterator[Completion]:
    """Phrases of several words ("acceptance rate") whose start the text ends with, at a word boundary."""
    low = text.lower()
    for phrase in sorted({p for p in phrases if " " in p}):
        for cut in range(len(phrase) - 1, phrase.index(" "), -1):
            head = phrase[:cut]
            if low.endswith(head) and (len(low) == len(head) or not low[-len(head) - 1].isalnum()):
                yield Completion(phrase, start_position=-len(head))
                break


def vocabulary(session: "Session") -> Vocabulary:
    """Names from the catalog and the semantic model, plus teams and logins read from the database (capped)."""

    vocab = Vocabulary(
        tables=sorted(catalog.QUERYABLE),
        columns=sorted({c.name for t in catalog.ALL for c in t.columns}),
        metrics=[m.name for m in semantic.METRICS],
        model=describe.completion_words(),
        described=[*describe.names(), "model"],
        saved=lambda: _saved_names(session.settings),
    )
    try:
        vocab.teams = session.names("team", MAX_NAMES)  # stored by the last load
        vocab.logins = session.names("login", MAX_NAMES)
    except AssistantError:
        pass  # completion without names is still completion
    return vocab


def _saved_names(settings: "Settings") -> list[str]:
    try:

        return [q.name for q in list_queries(settings)]
    except (ImportError, AssistantError, OSError):
        return []


# --- the prompt ------------------------------------------------------------------------------------
def key_bindings() -> KeyBindings:
    """Esc-Enter, or Enter after a trailing backslash, adds a line; plain Enter submits."""
    kb = KeyBindings()

    @kb.add("escape", "enter")
    def _newline(event: KeyPressEvent) -> None:
        """Continue the question on a new line."""
        event.current_buffer.insert_text("\n")

    @Condition
    def ends_with_backslash() -> bool:
        from prompt_toolkit.application.current import get_app

        return get_app().current_buffer.document.text_before_cursor.endswith("\\")

    @kb.add("enter", filter=ends_with_backslash)
    def _continue(event: KeyPressEvent) -> None:
        """Replace the trailing backslash with a new line."""
        event.current_buffer.delete_before_cursor(1)
        event.current_buffer.insert_text("\n")

    return kb


def history_store() -> History:
    """The input history file in the state directory; in memory if that cannot be written."""
    try:
        path = private_dir(state_dir()) / "history"
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        path.chmod(0o600)  # it holds the questions asked: owner only, also for a file made by an older cma
        return FileHistory(str(path))
    except OSError as e:
        print(f"Warning: input history will not be kept ({e}).", file=sys.stderr)
        return InMemoryHistory()


def build_prompt_session(vocab: Vocabulary | None = None, *, input: Any = None,
                         output: Any = None) -> PromptSession[str]:
    """The prompt: persistent history, suggestions from it, completion, and the multi-line keys."""
    return PromptSession(
        history=history_store(),
        auto_suggest=AutoSuggestFromHistory(),
        completer=ReplCompleter(vocab or Vocabulary()),
        complete_while_typing=False,
        key_bindings=key_bindings(),
        prompt_continuation=lambda width, line_number, wrap_count: "." * (width - 1) + " ",
        enable_open_in_editor=True,
        tempfile_suffix=".txt",
        input=input,
        output=output,
    )


# --- rendering -------------------------------------------------------------------------------------
def render_result(ctx: ReplContext, answer: "Answer") -> None:
    """The rows (in the chosen format, capped with a note) and the SQL that produced them."""
    from rich.text import Text


    console = ctx.console
    if not answer.rows:
        console.print("[dim]No rows.[/]")
    elif ctx.format == "table":
        table = render.rich_table(answer.columns, answer.rows, width=console.width)
        if ctx.pager and console.is_terminal and len(answer.rows) + 6 > console.height:
            _page(console, table)
        else:
            console.print(table)
    else:
        writer = {"csv": render.to_csv, "json": render.to_json_rows, "markdown": render.to_markdown}[ctx.format]
        console.out(writer(answer.columns, answer.rows).rstrip("\n"), highlight=False)
    if answer.note():
        console.print(f"[yellow]{answer.note()}[/]")
    gaps = gaps_note(answer.columns, answer.rows, ctx.session.context().coverage.missing_days)
    if gaps:
        console.print(Text(gaps, style="yellow"))
    console.print(repl_commands.sql_syntax(answer.sql))


def _page(console: "Console", renderable: Any) -> None:
    """Show a long result through the pager, as pgcli does (less -SRXF unless $LESS says otherwise)."""
    import os

    os.environ.setdefault("LESS", "-SRXF")
    with console.pager(styles=True):
        console.print(renderable)


def render_footer(ctx: ReplContext, answer: "Answer") -> None:
    from rich.markup import escape

    said = bool(answer.coverage) and answer.coverage in answer.explanation  # the offline explainer ends with it
    coverage = "" if said else answer.coverage
    as_of = "" if "as of" in coverage else f"as of {answer.as_of}; "
    line = f"{as_of}{coverage}".rstrip("; ") + f" [{answer.backend}, {answer.elapsed_s:.2f} s]"
    ctx.console.print(f"[dim]{escape(line)}[/]", highlight=False)


def show(ctx: ReplContext, out: Any) -> None:
    """Render what a command returned."""

    if out is None:
        return
    if isinstance(out, Answer):
        ctx.last = out
        render_result(ctx, out)
        if out.explanation:
            ctx.console.print(out.explanation, highlight=False, markup=False)
        render_footer(ctx, out)
    elif isinstance(out, str):
        ctx.console.print(out, highlight=False)
    else:
        ctx.console.print(out)


def ask(ctx: ReplContext, question: str) -> None:
    """One question: the result and SQL first, then the explanation as it arrives, then the coverage line."""
    session = ctx.session
    answer = ctx.last = ctx.run(lambda: session.ask(question, explain=False))
    render_result(ctx, answer)
    answer = ctx.last = ctx.run(lambda: session.explain(answer, on_text=ctx.write))
    if ctx.step is not None and ctx.step.streamed:
        ctx.console.print()
    elif answer.explanation:
        ctx.console.print(answer.explanation, highlight=False, markup=False)
    render_footer(ctx, answer)


PSQL = {"q": "/quit", "dt": "/schema", "d": "/schema", "?": "/help", "e": "/edit", "x": "/format"}


def _psql_command(text: str) -> str:
    """pgcli/litecli habits: `\\q`, `\\dt`, `\\d TABLE`, `\\?` as the slash commands they stand for."""
    word, _, arg = text[1:].partition(" ")
    if word not in PSQL:
        raise ConfigError(f"Unknown command '\\{word}'.",
                          hint="\\q, \\dt, \\d TABLE and \\? work; /help lists the rest.")
    return f"{PSQL[word]} {arg}".strip()


def step(ctx: ReplContext, text: str) -> None:
    """Handle one submitted input: a slash command or a question; errors are shown, never raised."""
    from rich.markup import escape

    text = text.strip()
    ctx.step = None
    if not text:
        return
    if text.lower() in ("exit", "quit", ":q"):  # what people type first when they want out
        ctx.done = True
        return
    try:
        if text.startswith("\\"):
            text = _psql_command(text)
        if text.startswith("/"):
            show(ctx, repl_commands.dispatch(ctx, text))
        elif is_sql(text):  # SQL typed at the prompt runs as /sql does
            show(ctx, repl_commands.dispatch(ctx, "/sql " + text))
        else:
            ask(ctx, text)
    except (Cancelled, KeyboardInterrupt):
        ctx.console.print("\n[yellow]Cancelled.[/]")
    except AssistantError as e:
        if ctx.step is not None and ctx.step.streamed:
            ctx.console.print()
        print_error(ctx.console, e)
        if ctx.session.settings.debug:
            ctx.console.print_exception()
    except Exception as e:  # a bug must not end the conversation; --debug shows where
        ctx.console.print(f"[red]Unexpected error:[/] {escape(repr(e))}", highlight=False)
        if ctx.session.settings.debug:
            ctx.console.print_exception()
        else:
            ctx.console.print("[dim]Hint:[/] Start with --debug to see the traceback, and please report it.")


def banner(ctx: ReplContext) -> None:
    """One line of coverage and a hint for /help."""
    from rich.markup import escape

    s = ctx.session.settings
    cov = ctx.session.context().coverage
    data = (f"{cov.days} days ({cov.first_day}..{cov.last_day}), {cov.users:,} users" if cov.first_day
            else "no per-user data loaded")
    line = f"{s.db} · {data} · {repl_commands.describe_backend(ctx.session)}"
    ctx.console.print(f"[bold]cma[/] · {escape(line)}", highlight=False)
    ctx.console.print("[dim]Ask a question in plain English, or /help for commands. Ctrl-D quits.[/]")


# --- the loop --------------------------------------------------------------------------------------
def run_repl(session: "Session", *, console: "Console | None" = None, input: Any = None, output: Any = None,
             prompt_session: PromptSession[str] | None = None) -> None:
    """Read, dispatch, render, until /quit or Ctrl-D; Ctrl-C at the prompt clears the line."""
    from rich.console import Console

    ctx = ReplContext(session, console or Console(highlight=False))
    prompt = prompt_session or build_prompt_session(vocabulary(session), input=input,
                                                    output=output)
    ctx.edit = lambda sql: prompt.prompt(PROMPT, default=sql)
    banner(ctx)
    while not ctx.done:
        try:
            text = prompt.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        step(ctx, text)


def run_lines(session: "Session", lines: Iterable[str], *, console: "Console | None" = None) -> None:
    """Without a terminal (piped input): each line is one question or command, no prompt."""
    from rich.console import Console

    ctx = ReplContext(session, console or Console(highlight=False))
    for line in lines:
        step(ctx, line)
        if ctx.done:
            break
