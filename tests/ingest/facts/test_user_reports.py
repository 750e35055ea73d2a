"""User reports: a symptom in plain words or pasted output is a report; templates, injected
blocks, summaries, requests, conditions and questions are not, whatever failure words they hold."""

from __future__ import annotations

import json
import tomllib

import pytest

from ingest.facts.user_reports import TEMPLATE_SCORE, read_user_message
from ingest.rules import Rule, rules
from tests.truth.score import LABELS, SPLIT, shared_sessions

REPORT_RULES = sorted(rules("user_report"), key=lambda r: r.id)


@pytest.mark.parametrize(
    ("rule", "text"),
    [pytest.param(r, e.text, id=f"{r.id}[{i}]") for r in REPORT_RULES for i, e in enumerate(r.match)],
)
def test_every_report_rule_example_reads_as_a_report_of_its_category(rule: Rule, text: str) -> None:
    message = read_user_message(text)
    assert message.is_report, (rule.id, text, message)
    assert message.category == rule.category
    assert message.rules and all(r.startswith("report.") for r in message.rules)


@pytest.mark.parametrize(
    ("text", "category", "rule_id"),
    [
        ("the export still fails for refunds", "symptom", "report.symptom.still"),
        ("Nothing happens when I click Pay.", "symptom", "report.symptom.nothing_happens"),
        ("The totals double after a refresh.", "symptom", "report.symptom.quantity"),
        ("it crashes on the second upload", "symptom", "report.symptom.crashes"),
        ("I get a 500 when I save the form", "symptom", "report.symptom.getting"),
        ("Please fix it: the page stays blank after login", "symptom", "report.symptom.stays"),
        ("Add a spinner, but right now the page stays white for ten seconds", "symptom", "report.symptom.stays"),
        ("why does the build fail on main?", "symptom", "report.symptom.why_fails"),
        (
            'here you go\n```\nTraceback (most recent call last):\n  File "app.py", line 3\nKeyError: "id"\n```',
            "pasted_output",
            "report.pasted.python_traceback",
        ),
        ("FAILED tests/test_cart.py::test_total - assert 3 == 2", "pasted_output", "report.pasted.test_failures"),
        ("error[E0382]: borrow of moved value\n --> src/main.rs:9:5", "pasted_output", "report.pasted.rust_go"),
        ("2026-01-04T10:22:01Z ERROR payouts: batch 7 rejected", "pasted_output", "report.pasted.log_error"),
    ],
)
def test_reports(text: str, category: str, rule_id: str) -> None:
    message = read_user_message(text)
    assert (message.kind, message.category, message.rules[0]) == ("report", category, rule_id)
    assert message.evidence and message.cue


@pytest.mark.parametrize(
    ("text", "kind", "category"),
    [
        ("Add retries for failed payouts.", "prompt", "request"),
        ("handle the error case in the parser", "prompt", None),
        ("make errors bold in the log view", "prompt", None),
        ("fix any failing unit tests", "prompt", "request"),
        ("If the upload is stuck, cancel it and say so.", "prompt", "hypothetical"),
        ("The importer must fail with E042 when a row has no id.", "prompt", None),
        ("Make sure the importer never hangs on a malformed line.", "prompt", "request"),
        ("the export should show up as bold", "prompt", "request"),
        ("is it still failing for you?", "prompt", "question"),
        ("the e2e suite no longer fails", "prompt", "resolved"),
        ("What is a segfault?", "prompt", None),
        ("## Rules\n- report every ERROR\n- never get stuck\n## Output\nOne line per failure.", "prompt", "template"),
        ("You are a release agent. If a build fails, retry it once. You MUST NEVER push.", "prompt", "template"),
        (
            "## User Input\n\n```text\nadd a dark mode\n```\n\nYou **MUST** consider it. Tests fail? Stop.",
            "prompt",
            "template",
        ),
        ("<ide_selection>The user selected:\nthrow new Error('boom')\n</ide_selection>", "injected", "injected"),
        ("<local-command-stdout>Error: API key is required</local-command-stdout>", "injected", "injected"),
        ("<task-notification><status>failed</status></task-notification>", "injected", "injected"),
        ("[Request interrupted by user for tool use]", "injected", "injected"),
        ("This session is being continued from a previous conversation. The build still fails.", "injected", "summary"),
    ],
)
def test_not_reports(text: str, kind: str, category: str | None) -> None:
    message = read_user_message(text)
    assert (message.kind, message.category) == (kind, category), message


def test_the_argument_of_a_command_template_is_read_on_its_own():
    text = "## User Input\n\n```text\nthe checkout page stays blank on Safari\n```\n\nYou **MUST** consider the user input."
    message = read_user_message(text)
    assert message.is_report and message.category == "symptom"
    assert message.rules[0] == "report.symptom.stays" and "report.not.template.user_input" in message.rules


def test_the_text_left_beside_an_injected_block_is_read():
    text = "<ide_opened_file>The user opened app.ts.</ide_opened_file>\nthe build is broken since your last edit"
    message = read_user_message(text)
    assert message.is_report and message.rules == ("report.symptom.fails",)


def test_template_signs_count_only_past_their_minimum_and_add_up_to_the_threshold():
    three_steps = "1. read the log\n2. list each failure\n3. the build still fails? say why\n"
    two_steps = "1. read the log\n2. the build still fails? say why\n"
    shouting = "You MUST answer. NEVER guess.\n"
    assert read_user_message(three_steps).is_report  # numbered steps alone (0.5) are not a template
    assert read_user_message(three_steps + shouting).category == "template"
    assert read_user_message(two_steps + shouting).is_report  # two steps are below the rule's min_count
    headings = [r for r in rules("not_a_report") if r.id == "report.not.template.headings"][0]
    assert headings.weight < TEMPLATE_SCORE <= 2 * headings.weight
    assert read_user_message("# Bug\nthe page stays blank").is_report


def test_the_dev_split_labels_of_user_messages():
    """The labelled user messages of the real dev split (read from the shared corpus, skipped without it)."""
    root = shared_sessions()
    if not root.is_dir():
        pytest.skip(f"no real corpus at {root}")
    dev = set(tomllib.loads(SPLIT.read_text(encoding="utf-8"))["dev"]["files"])
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    mine = [lab for lab in labels if lab["kind"] == "user_message" and lab["file"] in dev]
    assert mine
    for lab in mine:
        texts = _user_texts_at(root / lab["file"], lab["line"])
        said = [read_user_message(t) for t in texts if lab["text"][:40] in t]
        assert said, lab
        assert any(m.is_report for m in said) == (lab["verdict"] == "report"), (lab, said)


def _user_texts_at(path, line: int) -> list[str]:
    """The text blocks of the user record on one line of a Claude Code or Codex JSONL file."""
    record = json.loads(path.read_text(encoding="utf-8").splitlines()[line - 1])
    content = (record.get("message") or record.get("payload") or {}).get("content")
    if isinstance(content, str):
        return [content]
    return [part.get("text", "") for part in content or [] if isinstance(part, dict) and part.get("text")]


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("тест падает с таймаутом", "report.symptom.lang.ru"),
        ("после деплоя страница не грузится", "report.symptom.lang.ru"),
        ("la página se queda en blanco", "report.symptom.lang.es"),
        ("der Build schlägt fehl", "report.symptom.lang.de"),
        ("l'app reste sur un écran blanc", "report.symptom.lang.fr"),
        ("o app trava ao abrir", "report.symptom.lang.pt"),
        ("导出的总额少了一分钱", "report.symptom.lang.zh"),
        ("ビルドが失敗します", "report.symptom.lang.ja"),
    ],
)
def test_a_symptom_in_another_language_is_a_report(text: str, rule_id: str) -> None:
    message = read_user_message(text)
    assert (message.kind, message.category, message.rules[0]) == ("report", "symptom", rule_id), message


@pytest.mark.parametrize(
    "text",
    [
        "пожалуйста, добавь повтор, если тест падает с таймаутом",
        "si el pago falla, muestra un error",
        "el importador debe fallar con ERROR E042",
        "如果导出失败了，请显示错误",
        "失敗したら赤く表示してください",
        "comment faire pour que le test échoue proprement ?",
        "Добавь обработку: если письмо не приходит, повтори",
    ],
)
def test_a_request_condition_or_question_in_another_language_is_not_a_report(text: str) -> None:
    assert not read_user_message(text).is_report, read_user_message(text)


def test_a_log_pasted_among_words_in_another_language_is_pasted_output():
    text = 'Запустил, вот лог:\nTraceback (most recent call last):\n  File "a.py", line 1\nValueError: x'
    message = read_user_message(text)
    assert (message.kind, message.category) == ("report", "pasted_output"), message
