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

# Measured on the sample: 404 of 406 correct, 2 refused, 0 wrong (eval/README.md). The floor
# leaves room for new questions.
MIN_CORRECT = 0.90
MAX_WRONG = 0.02
# The held-out sets, each scored first-sight before it was used for fixes (eval/README.md has those figures); the
# floor is each set's figure after its fixes, minus a small margin:
# - heldout.jsonl: terse admin wording; after the fixes 267 of 268 correct, 1 refused, 0 wrong;
# - heldout2.jsonl: summaries, two conditions, date phrasings, odd rankings, synonyms, people, every team
#   (217 / 4 / 0); its questions must not repeat the earlier sets word for word;
# - heldout3.jsonl, written by someone who had not read the lexicon: first sight 100 of 164 on the old translator
#   (162 / 2 / 0 now);
# - heldout4.jsonl, the same writer: first sight 86 of 120 on the first compositional reader (118 / 2 / 0);
# - heldout5.jsonl, a fresh session: first sight 98 of 141 (121 / 19 / 1, a rounding);
# - heldout6.jsonl, another fresh session: first sight 105 of 133 (112 / 20 / 1, r111's window).
# - heldout7/8 (fresh sessions): first sight 134/23/8 and 141/12/8; heldout9 134/22/4 (2e68c39); heldout10,
#   sealed until this round's reader work had landed: 158/21/6 (26075aa); heldout11 137/28/4 (e0b534f);
#   heldout12, sealed until that round's reader work had landed: 133/25/6 (2538f2f), 162/0/2 after its fixes;
#   heldout13, sealed until the next round's had: 105/19/6 (8eaf938), 128/2/0 after its fixes; heldout14, sealed
#   until all of that round had landed: 113/14/3 (a0ee71e), 129/0/1 after its fixes (z003: "overall" as all the
#   data, as the issue reads it, where the set keeps 28 days); heldout15, written at the start of the next round:
#   112/14/4 (420e868), 129/0/1 after its fixes (a021: the set expects the date where the conventions give the
#   time). heldout16, on another company, is held in tests/test_other_company.py.
EVAL = DEFAULT_QUESTIONS.parent
HELDOUT = EVAL / "heldout.jsonl"
# (file, correct floor, at least this many questions, at least this many to refuse, texts must be new)
HELDOUT_FLOORS = (
    (HELDOUT, 0.96, 100, 15, False),
    (EVAL / "heldout2.jsonl", 0.91, 200, 40, True),
    (EVAL / "heldout3.jsonl", 0.93, 150, 20, False),
    (EVAL / "heldout4.jsonl", 0.94, 100, 15, False),
    (EVAL / "heldout5.jsonl", 0.97, 140, 15, False),
    (EVAL / "heldout6.jsonl", 0.98, 130, 15, False),
    (EVAL / "heldout7.jsonl", 0.98, 160, 20, False),
    (EVAL / "heldout8.jsonl", 0.95, 160, 20, False),
    (EVAL / "heldout9.jsonl", 0.98, 160, 20, False),
    (EVAL / "heldout10.jsonl", 0.9, 180, 25, False),
    (EVAL / "heldout11.jsonl", 0.95, 160, 20, False),
    (EVAL / "heldout12.jsonl", 0.96, 160, 20, False),
    (EVAL / "heldout13.jsonl", 0.96, 130, 15, False),
    (EVAL / "heldout14.jsonl", 0.96, 130, 15, False),
    (EVAL / "heldout15.jsonl", 0.97, 130, 15, False),
)
# heldout12 keeps two (x032, x063: "per month" with no window, all the data in the set, the last 28 days by the
# conventions); heldout10 keeps four wrong answers after its fixes (2.2%): v136, where heldout9's u119 expects the opposite for
# nearly the same words; v068 and v148, readings the set words otherwise (each Saturday listed; labels without
# the year); v064, users of no recorded phase, which seven earlier sets leave out (eval/README.md)
WRONG_CEILING = {"heldout10": 0.022, "heldout11": 0.018, "heldout12": 0.013}
# heldout15 keeps one (a021, the date where the conventions and four earlier sets give the timestamp)

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


@pytest.mark.parametrize("index", range(len(HELDOUT_FLOORS)), ids=[f[0].stem for f in HELDOUT_FLOORS])
def test_heldout_sets_meet_their_floors(sample_db: Path, index: int) -> None:
    path, floor, size, refusals, new_texts = HELDOUT_FLOORS[index]
    cases = load_cases(path)
    assert len(cases) >= size and sum(c.expect == "refuse" for c in cases) >= refusals
    earlier = [c for f in [DEFAULT_QUESTIONS, *(f[0] for f in HELDOUT_FLOORS[:index])] for c in load_cases(f)]
    assert not {c.id for c in cases} & {c.id for c in earlier}
    if new_texts:
        assert not {c.question.lower() for c in cases} & {c.question.lower() for c in earlier}
    settings = load_settings(db=sample_db, offline=True)
    report = run_eval(settings, cases, make_translator(settings, "offline"))
    failing = [(o.id, o.verdict, o.question, o.detail) for o in report.outcomes if o.verdict != "correct"]
    assert report.share("correct") >= floor, failing
    assert report.share("wrong") <= WRONG_CEILING.get(path.stem, MAX_WRONG), failing
    assert report.to_json()["translate_ms_p95"] < 50


def test_match_ignores_names_and_extra_columns_and_rounds() -> None:
    assert results_match([("a", 1)], [("a", 1.0, 99)], ordered=False)[0]
    assert results_match([(0.123409,)], [(0.12341,)], ordered=False)[0]
    assert results_match([(date(2026, 1, 1), 2)], [(2, date(2026, 1, 1))], ordered=False)[0]


def test_a_month_label_matches_the_month_bucket_and_nothing_else() -> None:
    months = [(date(2026, 9, 1), 2924), (date(2026, 10, 1), 5509)]
    assert results_match([("2026-09", 2924), ("2026-10", 5509)], months, ordered=False)[0]
    assert results_match([("2026-09", 2924), ("2026-10", 5509)], [("September 2026", 2924), ("October 2026", 5509)],
                         ordered=True)[0]
    assert not results_match([("2026-09", 2924)], [(date(2026, 9, 2), 2924)], ordered=False)[0]
    assert not results_match([("2026-09", 2924)], [("2026-10", 2924)], ordered=False)[0]
    assert not results_match([("team-2026",)], [("2026-01",)], ordered=False)[0]


def test_match_is_strict_about_rows_and_order() -> None:
    assert not results_match([("a", 1)], [("a", 1), ("b", 2)], ordered=False)[0]
    assert not results_match([("a", 1), ("b", 2)], [("a", 2), ("b", 1)], ordered=False)[0]
    assert results_match([("a", 1), ("b", 2)], [("b", 2), ("a", 1)], ordered=False)[0]
    assert not results_match([("a", 1), ("b", 2)], [("b", 2), ("a", 1)], ordered=True)[0]
    assert not results_match([("a", 1, 5)], [("a", 1)], ordered=False)[0]
    # two periods side by side match the same periods one under the other, in order, numbers only
    down = [("September 2026", 41, None), ("October 2026", 33, -8)]
    assert results_match([(41, 33)], down, ordered=False)[0]
    assert not results_match([(33, 41)], down, ordered=False)[0]
    assert not results_match([(41, 33, -8)], down, ordered=False)[0]
    assert not results_match([("a", "b")], [("a",), ("b",)], ordered=False)[0]


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
