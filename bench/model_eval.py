"""Run `cma eval` against any OpenAI-compatible endpoint and report accuracy, latency, tokens per call and repairs.

A benchmark to run by hand (it needs a model server), not a CI test:

    python bench/model_eval.py --base-url http://127.0.0.1:8080/v1 --model local --limit 20
    python bench/model_eval.py --provider ollama --model qwen2.5-coder:7b --backend auto
    python bench/model_eval.py --serve-gguf PATH/TO/model.gguf --limit 10   # starts llama-cpp-python's server

It loads the bundled sample into a temporary database (or uses --db), runs the installed `cma eval
--format json` with the endpoint in the environment, and prints one summary: questions, correct /
refused / wrong, per path (offline, the model) under --backend auto, seconds per question (mean,
p50, p95), model calls, repairs, prompt and completion tokens per call (the server's usage figures),
and the SQL prompt's size in each mode (full, compact) counted by the server's tokenizer where it
offers one (llama.cpp's /tokenize), else estimated, and says which.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cma-model-eval-") as tmp:
        db = Path(args.db) if args.db else load_sample(Path(tmp) / "sample.duckdb")
        questions = limited(Path(args.questions), args.limit, Path(tmp) / "questions.jsonl")
        server = serve_gguf(args) if args.serve_gguf else None
        try:
            env = model_env(args, server_url(args))
            sizes = prompt_sizes(db, questions, env)
            report = run_eval(db, questions, args.backend, env)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
    print(summary(report, sizes))
    if args.json:
        Path(args.json).write_text(json.dumps({"report": report, "prompt_sizes": sizes}, indent=2))
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")
    p.add_argument("--provider", help="a preset: openai, azure, github, ollama, local")
    p.add_argument("--model", help="model name (for llama.cpp any name works)")
    p.add_argument("--api-key", help="the key, if the server wants one (else $OPENAI_API_KEY)")
    p.add_argument("--backend", default="llm", choices=("llm", "auto", "offline"))
    p.add_argument("--prompt-mode", choices=("auto", "full", "compact"))
    p.add_argument("--context-window", type=int, help="the model's context in tokens")
    p.add_argument("--questions", default=str(ROOT / "eval" / "questions.jsonl"))
    p.add_argument("--limit", type=int, default=0, help="only the first N questions (0: all)")
    p.add_argument("--db", help="an existing database (default: the bundled sample, loaded afresh)")
    p.add_argument("--serve-gguf", help="serve this GGUF with llama-cpp-python's server on 127.0.0.1 first")
    p.add_argument("--n-ctx", type=int, default=4096, help="context for --serve-gguf")
    p.add_argument("--server-python", default=sys.executable,
                   help="the interpreter that has llama-cpp-python[server] (default: this one)")
    p.add_argument("--server-log", help="write the --serve-gguf server's output to this file")
    p.add_argument("--json", help="also write the full report to this file")
    return p.parse_args(argv)


def cma() -> str:
    """The `cma` script next to this interpreter, else on PATH."""
    here = Path(sys.executable).parent / "cma"
    return str(here) if here.exists() else "cma"


def load_sample(db: Path) -> Path:
    subprocess.run([cma(), "load", "--db", str(db), str(SAMPLE)], check=True, capture_output=True)
    return db


def limited(questions: Path, limit: int, out: Path) -> Path:
    """The question file, or a copy holding only its first `limit` questions."""
    if not limit:
        return questions
    lines = [ln for ln in questions.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    out.write_text("\n".join(lines[:limit]) + "\n", encoding="utf-8")
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_gguf(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    """Start `python -m llama_cpp.server` on a free loopback port and wait until it lists its model."""
    import urllib.request

    port = free_port()
    args.base_url = f"http://127.0.0.1:{port}/v1"
    args.context_window = args.context_window or args.n_ctx
    log: Any = open(args.server_log, "wb") if args.server_log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        [args.server_python, "-m", "llama_cpp.server", "--model", args.serve_gguf, "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", str(args.n_ctx)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{args.base_url}/models", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(1)
    proc.terminate()
    raise SystemExit(f"llama-cpp-python's server did not start on port {port} within 180 s")


def server_url(args: argparse.Namespace) -> str | None:
    return args.base_url


def model_env(args: argparse.Namespace, base_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMA_")}
    for key, value in (("OPENAI_BASE_URL", base_url), ("CMA_PROVIDER", args.provider), ("CMA_MODEL", args.model),
                       ("OPENAI_API_KEY", args.api_key), ("CMA_PROMPT_MODE", args.prompt_mode),
                       ("CMA_CONTEXT_WINDOW", str(args.context_window) if args.context_window else None)):
        if value:
            env[key] = value
    if base_url and not env.get("OPENAI_API_KEY"):
        env["OPENAI_API_KEY"] = "local"
    return env


def run_eval(db: Path, questions: Path, backend: str, env: dict[str, str]) -> dict[str, Any]:
    cmd = [cma(), "eval", "--backend", backend, "--questions", str(questions), "--db", str(db), "--format", "json"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"cma eval failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def prompt_sizes(db: Path, questions: Path, env: dict[str, str]) -> dict[str, Any]:
    """The first question's SQL prompt in both modes: characters and tokens (the server's tokenizer, else estimated)."""
    code = (
        "import json, sys\n"
        "from assistant.config import load_settings\n"
        "from assistant.engine.session import Session\n"
        "from assistant.llm import prompting\n"
        "from assistant.llm.translator import OpenAIChatModel, _saved_examples, prompt_tokens\n"
        "s = load_settings(db=sys.argv[1]); session = Session(s); ctx = session.context()\n"
        "q = json.loads(open(sys.argv[2]).readline())['question']\n"
        "model = OpenAIChatModel.from_settings(s) if s.has_model else None\n"
        "out = {'question': q}\n"
        "for mode in ('full', 'compact'):\n"
        "    m = prompting.sql_messages(q, ctx, [], _saved_examples(s)(q), mode=mode)\n"
        "    text = ''.join(x['content'] for x in m)\n"
        "    counted = model.count_tokens(text) if model else None\n"
        "    out[mode] = {'chars': len(text), 'tokens': counted[0] if counted else prompt_tokens(m),\n"
        "                 'counted_by': counted[1] if counted else 'estimate'}\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(db), str(questions)], env=env, capture_output=True,
                          text=True, cwd=ROOT)
    return json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr[-500:]}


def summary(report: dict[str, Any], sizes: dict[str, Any]) -> str:
    seconds = sorted(o["total_s"] for o in report["outcomes"]) or [0.0]
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    lines = [
        f"backend {report['backend']}: {report['questions']} questions; correct {report['correct']} "
        f"({report['correct_pct']}%), refused {report['refused']}, wrong {report['wrong']}",
        f"seconds per question: mean {statistics.mean(seconds):.2f}, p50 {statistics.median(seconds):.2f}, "
        f"p95 {p95:.2f}",
    ]
    for path, row in report.get("by_path", {}).items():
        lines.append(f"  {path}: {row['questions']} questions, correct {row['correct']} ({row['correct_pct']}%)")
    m = report.get("model", {})
    if m.get("calls"):
        lines.append(f"model: {m['calls']} calls for {m['questions']} questions, {m['repairs']} repairs, "
                     f"{m['prompt_tokens_per_call']} prompt + {m['completion_tokens_per_call']} completion "
                     "tokens per call (server usage)")
    for mode in ("full", "compact"):
        if mode in sizes:
            s = sizes[mode]
            lines.append(f"SQL prompt, {mode}: {s['chars']:,} chars, {s['tokens']:,} tokens ({s['counted_by']})")
    if "error" in sizes:
        lines.append(f"prompt sizes not measured: {sizes['error']}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
