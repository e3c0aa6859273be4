"""The evaluation harness: the match rule, the question file, `cma eval`, and the project's set as a floor."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.config import load_settings
from assistant.engine.evaluate import (
    DEFAULT_QUESTIONS,
    is_ranking,
    load_cases,
    make_translator,
    results_match,
    run_eval,
)
from assistant.errors import ConfigError

# Measured on the sample: 399 of 406 correct, 2 refused, 5 wrong (set disagreements, eval/README.md). The floor
# leaves room for new questions.
MIN_CORRECT = 0.90
MAX_WRONG = 0.02
# The held-out set (eval/heldout.jsonl): first-sight figures per batch in eval/README.md; after the fixes
# 264 of 268 correct, 4 refused, 0 wrong. The floor is that figure minus a small margin.
HELDOUT = DEFAULT_QUESTIONS.parent / "heldout.jsonl"
HELDOUT_MIN_CORRECT = 0.96
# The second held-out set (eval/heldout2.jsonl): summaries, two conditions, date phrasings, odd rankings,
# synonyms, people and every team; after the fixes 206 of 221 correct, 15 refused, 0 wrong.
HELDOUT2 = DEFAULT_QUESTIONS.parent / "heldout2.jsonl"
HELDOUT2_MIN_CORRECT = 0.91
# The third held-out set (eval/heldout3.jsonl), written by someone who had not read the lexicon: casual and terse,
# typos, weekday and numeric dates, negation and set logic, rosters, seat attributes, coverage, refusals. Scored
# first against the old translator (100 of 164 correct, 52 refused, 12 wrong); after the compositional reader
# 156 correct, 5 refused, 3 wrong (eval/README.md).
HELDOUT3 = DEFAULT_QUESTIONS.parent / "heldout3.jsonl"
HELDOUT3_MIN_CORRECT = 0.93
# The fourth held-out set (eval/heldout4.jsonl), written by the same separate session before the reader's redesign:
# first sight 86 of 120 correct, 19 refused, 15 wrong; after the measure rules (totals, periods, differences,
# averages, breakdowns, rankings, shares, phases, legacy) 118 correct, 2 refused, 0 wrong (eval/README.md).
HELDOUT4 = DEFAULT_QUESTIONS.parent / "heldout4.jsonl"
HELDOUT4_MIN_CORRECT = 0.94
# The fifth held-out set (eval/heldout5.jsonl), written by a fresh session: first sight 98 of 141 correct, 36
# refused, 7 wrong; after reading it for failing mechanisms 120 correct, 20 refused, 1 wrong (a rounding).
HELDOUT5 = DEFAULT_QUESTIONS.parent / "heldout5.jsonl"
HELDOUT5_MIN_CORRECT = 0.85
# The sixth held-out set (eval/heldout6.jsonl), written by another fresh session: first sight 105 of 133 correct,
# 23 refused, 5 wrong; after reading it for failing mechanisms 109 correct, 23 refused, 1 wrong (r111, a window).
HELDOUT6 = DEFAULT_QUESTIONS.parent / "heldout6.jsonl"
HELDOUT6_MIN_CORRECT = 0.84


def test_project_set_meets_the_floor(sample_db: Path) -> None:
    cases = load_cases(DEFAULT_QUESTIONS)
    assert len(cases) >= 60
    families = {c.family for c in cases}
    assert {
        "adoption",
        "engagement",
        "acceptance",
        "languages_ides",
        "models",
        "features",
        "trends",
        "per_user",
        "per_team",
        "meta",
        "unanswerable",
    } <= families
    settings = load_settings(db=sample_db, offline=True)
    report = run_eval(settings, cases, make_translator(settings, "offline"))
    summary = report.to_json()
    failing = [(o.id, o.verdict, o.question, o.detail) for o in report.outcomes if o.verdict != "correct"]
    assert report.share("correct") >= MIN_CORRECT, failing
    assert report.share("wrong") <= MAX_WRONG, failing
    assert summary["translate_ms_p95"] < 50


def test_heldout_set_meets_its_floor(sample_db: Path) -> None:
    cases = load_cases(HELDOUT)
    assert len(cases) >= 100 and sum(c.expect == "refuse" for c in cases) >= 15
    assert not {c.id for c in cases} & {c.id for c in load_cases(DEFAULT_QUESTIONS)}
    settings = load_settings(db=sample_db, offline=True)
    report = run_eval(settings, cases, make_translator(settings, "offline"))
    failing = [(o.id, o.verdict, o.question, o.detail) for o in report.outcomes if o.verdict != "correct"]
    assert report.share("correct") >= HELDOUT_MIN_CORRECT, failing
    assert report.share("wrong") <= MAX_WRONG, failing
    assert report.to_json()["translate_ms_p95"] < 50


def test_second_heldout_set_meets_its_floor(sample_db: Path) -> None:
    cases = load_cases(HELDOUT2)
    assert len(cases) >= 200 and sum(c.expect == "refuse" for c in cases) >= 40
    seen = {c.question.lower() for c in load_cases(DEFAULT_QUESTIONS) + load_cases(HELDOUT)}
    assert not {c.question.lower() for c in cases} & seen
    assert not {c.id for c in cases} & {c.id for c in load_cases(DEFAULT_QUESTIONS) + load_cases(HELDOUT)}
    settings = load_settings(db=sample_db, offline=True)
    report = run_eval(settings, cases, make_translator(settings, "offline"))
    failing = [(o.id, o.verdict, o.question, o.detail) for o in report.outcomes if o.verdict != "correct"]
    assert report.share("correct") >= HELDOUT2_MIN_CORRECT, failing
    assert report.share("wrong") <= MAX_WRONG, failing
    assert report.to_json()["translate_ms_p95"] < 50


def test_third_heldout_set_meets_its_floor(sample_db: Path) -> None:
    cases = load_cases(HELDOUT3)
    assert len(cases) >= 150 and sum(c.expect == "refuse" for c in cases) >= 20
    earlier = load_cases(DEFAULT_QUESTIONS) + load_cases(HELDOUT) + load_cases(HELDOUT2)
    assert not {c.id for c in cases} & {c.id for c in earlier}
    settings = load_settings(db=sample_db, offline=True)
    report = run_eval(settings, cases, make_translator(settings, "offline"))
    failing = [(o.id, o.verdict, o.question, o.detail) for o in report.outcomes if o.verdict != "correct"]
    assert report.share("correct") >= HELDOUT3_MIN_CORRECT, failing
    assert report.share("wrong") <= MAX_WRONG, failing
    assert report.to_json()["translate_ms_p95"] < 50


def test_fourth_heldout_set_meets_its_floor(sample_db: Path) -> None:
    cases = load_cases(HELDOUT4)
    assert len(cases) >= 100 and sum(c.expect == "refuse" for c in cases) >= 15
    earlier = load_cases(DEFAULT_QUESTIONS) + load_cases(HELDOUT) + load_cases(HELDOUT2) + load_cases(HELDOUT3)
    assert not {c.id for c in cases} & {c.id for c in earlier}
    settings = load_settings(db=sample_db, offline=True)
    report = run_eval(settings, cases, make_translator(settings, "offline"))
    failing = [(o.id, o.verdict, o.question, o.detail) for o in report.outcomes if o.verdict != "correct"]
    assert report.share("correct") >= HELDOUT4_MIN_CORRECT, failing
    assert report.share("wrong") <= MAX_WRONG, failing
    assert report.to_json()["translate_ms_p95"] < 50


def test_fifth_heldout_set_meets_its_floor(sample_db: Path) -> None:
    cases = load_cases(HELDOUT5)
    assert len(cases) >= 140 and sum(c.expect == "refuse" for c in cases) >= 15
    earlier = [DEFAULT_QUESTIONS, HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4]
    assert not {c.id for c in cases} & {c.id for f in earlier for c in load_cases(f)}
    settings = load_settings(db=sample_db, offline=True)
    report = run_eval(settings, cases, make_translator(settings, "offline"))
    failing = [(o.id, o.verdict, o.question, o.detail) for o in report.outcomes if o.verdict != "correct"]
    assert report.share("correct") >= HELDOUT5_MIN_CORRECT, failing
    assert report.share("wrong") <= MAX_WRONG, failing


def test_sixth_heldout_set_meets_its_floor(sample_db: Path) -> None:
    cases = load_cases(HELDOUT6)
    assert len(cases) >= 130 and sum(c.expect == "refuse" for c in cases) >= 15
    earlier = [DEFAULT_QUESTIONS, HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5]
    assert not {c.id for c in cases} & {c.id for f in earlier for c in load_cases(f)}
    settings = load_settings(db=sample_db, offline=True)
    report = run_eval(settings, cases, make_translator(settings, "offline"))
    failing = [(o.id, o.verdict, o.question, o.detail) for o in report.outcomes if o.verdict != "correct"]
    assert report.share("correct") >= HELDOUT6_MIN_CORRECT, failing
    assert report.share("wrong") <= MAX_WRONG, failing


def test_match_ignores_names_and_extra_columns_and_rounds() -> None:
    assert results_match([("a", 1)], [("a", 1.0, 99)], ordered=False)[0]
    assert results_match([(0.123409,)], [(0.12341,)], ordered=False)[0]
    assert results_match([(date(2026, 1, 1), 2)], [(2, date(2026, 1, 1))], ordered=False)[0]


def test_match_is_strict_about_rows_and_order() -> None:
    assert not results_match([("a", 1)], [("a", 1), ("b", 2)], ordered=False)[0]
    assert not results_match([("a", 1), ("b", 2)], [("a", 2), ("b", 1)], ordered=False)[0]
    assert results_match([("a", 1), ("b", 2)], [("b", 2), ("a", 1)], ordered=False)[0]
    assert not results_match([("a", 1), ("b", 2)], [("b", 2), ("a", 1)], ordered=True)[0]
    assert not results_match([("a", 1, 5)], [("a", 1)], ordered=False)[0]


def test_ranking_detection() -> None:
    assert is_ranking("SELECT a FROM t ORDER BY b DESC LIMIT 5")
    assert not is_ranking("SELECT a FROM t ORDER BY b")
    assert not is_ranking("SELECT a FROM (SELECT a FROM t ORDER BY b LIMIT 3) GROUP BY a")


def test_bad_question_file(tmp_path: Path) -> None:
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "x", "question": "hi"}\n')
    with pytest.raises(ConfigError, match="expected_sql"):
        load_cases(bad)


def test_cli_eval_json(sample_db: Path, tmp_path: Path) -> None:
    from assistant.cli.app import app

    questions = tmp_path / "q.jsonl"
    questions.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {
                    "id": "a",
                    "question": "how many people used copilot yesterday?",
                    "expected_sql": "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = DATE '2026-11-07'",
                },
                {"id": "b", "question": "what does copilot cost us?", "expect": "refuse"},
                {"id": "c", "question": "acceptance rate by repository", "expected_sql": "SELECT 1"},
                {
                    "id": "d",
                    "question": "how many people used copilot yesterday?",
                    "expected_sql": "SELECT 12345",
                },
            ]
        )
        + "\n"
    )
    result = CliRunner().invoke(
        app, ["eval", "--db", str(sample_db), "--questions", str(questions), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    verdicts = {o["id"]: o["verdict"] for o in out["outcomes"]}
    assert verdicts == {"a": "correct", "b": "correct", "c": "refused", "d": "wrong"}
    assert (out["correct"], out["refused"], out["wrong"]) == (2, 1, 1)


def test_llm_backend_needs_a_model(sample_db: Path) -> None:
    with pytest.raises(ConfigError, match="No model"):
        make_translator(load_settings(db=sample_db), "llm")
