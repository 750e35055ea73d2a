"""A session's transcript read a few lines at a time into the audit's own facts.

The thin streaming entry point to ``ingest/facts``: the spiral audit walks a whole stored
session (:func:`ingest.facts.session_facts.extract_session_facts`), the guard cannot afford to.
Each hook call reads only the lines appended since the last one (the source readers'
``ReadContext`` offset and state), runs the same extractor over those events plus the calls
still waiting for their result, and folds the rows into a compact history: the values of each
wait site, the failed checks, the last tool outputs and assistant text. The chain rule is
``audit_wait_steps`` in ``ingest/migrations/003_audit.sql`` (a site is the wait construct of
commands checking the same thing, or the same wait in one file; a raise is an escalation when a
check failed since the previous value), kept step for step so both uses judge alike.

Every call into the detectors goes through the four functions at the top (``_facts``,
``_waits_of_call``, ``_claims``, ``_classify``): the one place to change when the rules become
data files.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from ingest.events import Message, Problem, ReadContext, ToolCall, ToolResult
from ingest.facts.explanations import classify_explanation, find_explanations, repeated_identical_failures
from ingest.facts.project import ProjectContext
from ingest.facts.session_facts import changes_files, extract_session_facts, project_path
from ingest.facts.waits import CHECK_BUDGET_LABEL

# Reading costs about 0.15 s per MB (JSON decoding plus the extractors over the tool output):
# one call reads at most this much, a bigger backlog is read over the next calls, and a
# transcript met for the first time (the guard installed mid-session) is read from its last
# TAIL_BYTES only: a spiral lives in the recent calls.
MAX_READ_BYTES = 1024 * 1024
TAIL_BYTES = 1024 * 1024
KEEP_STEPS = 12  # values kept per wait site
KEEP_SITES = 200
KEEP_FAILURES = 50
KEEP_PENDING = 50
KEEP_SEEN = 2000
KEEP_TEXT = 6  # assistant texts kept
TEXT_CHARS = 4000
OUTPUT_CHARS = 4000


def _facts(events: list[dict]):
    return extract_session_facts(events)


def _waits_of_call(call: dict) -> tuple[list[dict], list[dict]]:
    """(wait rows, command rows) the audit extracts from one tool call on its own."""
    facts = _facts([call])
    return facts.waits, facts.commands


def _claims(text: str):
    return find_explanations(text)


def _classify(sentence: str, evidence: list[str], repeated: int, context: ProjectContext | None = None):
    return classify_explanation(sentence, evidence, repeated, context)


def new_history() -> dict:
    return {
        "offset": 0,
        "line_no": 0,
        "reader_state": {},
        "ord": 0,
        "pending": [],
        "seen": [],
        "sites": {},
        "edit_values": {},
        "failures": [],
        "outputs": [],
        "failed_outputs": [],
        "texts": [],
        "last_text": None,
        "problems": 0,
        "claims_blocked": [],
        "project": None,
        "branch": None,
        "edit_times": [],
        "cliff_noted": 0,
    }


def reader_for(agent: str):
    if agent == "codex":
        from ingest.sources.codex import CodexReader

        return CodexReader()
    from ingest.sources.claude_code import ClaudeCodeReader

    return ClaudeCodeReader()


def event_dict(event) -> dict | None:
    """A reader event as the row shape of ``queries/facts_batch_events.sql``."""
    base = {
        "agent": event.ctx.agent,
        "session_id": event.ctx.session_id,
        "project": event.ctx.project,
        "git_branch": event.ctx.git_branch,
        "ts": event.ts,
        "line_no": event.pos.line_no,
        "byte_offset": event.pos.byte_offset,
        "seq": event.pos.seq,
        "user_name": None,
    }
    if isinstance(event, Message):
        return {
            **base,
            "event": "message",
            "role": event.role,
            "kind": event.kind,
            "text": event.text if event.kind == "text" else None,
            "uuid": event.uuid,
        }
    if isinstance(event, ToolCall):
        return {
            **base,
            "event": "call",
            "call_id": event.call_id,
            "name": event.name,
            "command": event.command,
            "file_path": event.file_path,
            "old_text": event.old_text,
            "new_text": event.new_text,
            "patch": event.patch,
            "input_json": event.input_json,
        }
    if isinstance(event, ToolResult):
        return {
            **base,
            "event": "result",
            "call_id": event.call_id,
            "text": event.text,
            "is_error": event.is_error,
            "exit_code": event.exit_code,
            "duration_s": event.duration_s,
        }
    return None


def advance(history: dict, transcript: Path, agent: str) -> list[str]:
    """Read the lines appended since the last call; returns the problems met (reasons)."""
    problems: list[str] = []
    size = transcript.stat().st_size
    if size < history["offset"]:  # rewritten or truncated: start over rather than misread
        history.update({k: v for k, v in new_history().items() if k not in ("claims_blocked",)})
    if size == history["offset"]:
        return problems
    if history["offset"] == 0 and size > TAIL_BYTES:
        history["offset"] = _line_start_after(transcript, size - TAIL_BYTES)
        history["line_no"] = -1  # unknown: positions in a tail read are offsets only
    ctx = ReadContext(
        path=str(transcript), offset=history["offset"], line_no=history["line_no"], state=history["reader_state"]
    )
    events: list[dict] = []
    start = history["offset"]
    for event in reader_for(agent).read(ctx):
        if ctx.checkpoint is not None:
            # Over budget: the checkpoint was taken at the start of this event's line, before
            # any of its events; stop there and read that line next time.
            ctx.offset, ctx.line_no, state = ctx.checkpoint
            ctx.state = json.loads(state)
            break
        if isinstance(event, Problem):
            problems.append(f"{transcript}:{event.pos.line_no}: {event.reason}")
            continue
        row = event_dict(event)
        if row is not None:
            events.append(row)
        if ctx.offset - start > MAX_READ_BYTES:
            ctx.want_checkpoint = True
    history["offset"], history["line_no"], history["reader_state"] = ctx.offset, ctx.line_no, ctx.state
    fold(history, events)
    return problems


def _line_start_after(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        handle.seek(offset)
        handle.readline()  # the rest of a line cut in the middle
        return handle.tell()


def fold(history: dict, events: list[dict]) -> None:
    """Add new events to the compact history (the proposed call is never folded in)."""
    if not events:
        return
    seen = dict.fromkeys(history["seen"])  # ordered: the oldest ids are the ones let go
    fresh = []
    for event in events:
        if event["event"] == "call":
            if event["call_id"] in seen:
                continue
            seen[event["call_id"]] = None
        elif event["event"] == "result" and ("r:" + event["call_id"]) in seen:
            continue
        elif event["event"] == "result":
            seen["r:" + event["call_id"]] = None
        fresh.append(event)
        history["project"] = history["project"] or event.get("project")
        history["branch"] = event.get("git_branch") or history.get("branch")
        if event.get("ts") is not None:  # when the session started and last moved (see guard.carry)
            moment = str(event["ts"].isoformat())
            history["started"] = history.get("started") or moment
            history["last_ts"] = max(history.get("last_ts") or moment, moment)
    pending = history["pending"]
    batch = pending + fresh
    base = history["ord"]
    ords = [p["g"] for p in pending] + [base + i for i in range(len(fresh))]
    for event, ord_ in zip(fresh, ords[len(pending) :]):
        event["g"] = ord_
    history["ord"] = base + len(fresh)
    facts = _facts(batch)
    pending_ids = {p["call_id"] for p in pending}
    commands = {row["call_id"]: row for row in facts.commands}
    still_pending = []
    for event in batch:
        if event["event"] != "call":
            continue
        command = commands.get(event["call_id"])
        if command is not None and command["result_ord"] is not None:
            if command["failed"] and (command["is_verification"] or command["has_wait"]):
                history["failures"].append(
                    [ords[command["result_ord"]], command["check_key"], command["command"][:300]]
                )
        elif command is not None:
            still_pending.append(_compact_call(event))
    history["pending"] = still_pending[-KEEP_PENDING:]
    history["failures"] = history["failures"][-KEEP_FAILURES:]
    for row in facts.waits:
        if row["source"] not in ("command", "edit") or not row["seconds"] or row["seconds"] <= 0:
            continue
        if row["call_id"] in pending_ids:
            continue  # folded when the call first came in
        command = commands.get(row["call_id"])
        add_step(history, step_of(row, command, ords[row["ord"]]))
    for event in batch:
        if event["event"] == "call" and event["call_id"] not in pending_ids:
            for step in budget_steps(event, commands.get(event["call_id"]), event["g"]):
                add_step(history, step)
    edited = {row["call_id"] for row in facts.edits}
    for event in fresh:
        if event["event"] == "call" and event["call_id"] in edited and event.get("ts") is not None:
            history["edit_times"] = (history.get("edit_times", []) + [str(event["ts"].isoformat())])[-500:]
        if event["event"] == "result" and event.get("text"):
            history["outputs"] = (history["outputs"] + [event["text"][:OUTPUT_CHARS]])[-3:]
        if event["event"] == "message" and event.get("role") == "assistant" and event.get("text"):
            history["texts"] = (history["texts"] + [[event["g"], event["text"][:TEXT_CHARS]]])[-KEEP_TEXT:]
            history["last_text"] = [event["g"], event["text"][:TEXT_CHARS]]
    for row in facts.commands:
        if row["failed"]:
            text = row.get("result_excerpt") or ""
            history["failed_outputs"] = (history["failed_outputs"] + [text[:OUTPUT_CHARS]])[-10:]
    _learn_project(history, fresh)
    history["seen"] = list(seen)[-KEEP_SEEN:]


KEEP_NAMES = 2000  # project names kept (the newest): enough for a long session's files and definitions


def _learn_project(history: dict, events: list[dict]) -> None:
    """The names the session shows to be the project's own, as the audit collects them
    (:class:`ingest.facts.project.ProjectContext`): files of the project read or edited, the
    names edited code defines. Kept as two lists so the history stays JSON."""
    context = project_context(history)
    for event in events:
        path = event.get("file_path") if event["event"] == "call" else None
        if not path or not project_path(str(path), history.get("project"))[1]:
            continue
        context.add_path(str(path))
        if changes_files(event):
            context.add_code(event.get("new_text"))
            context.add_code(event.get("old_text"))
    history["project_names"] = sorted(context.names)[-KEEP_NAMES:]
    history["project_distinct"] = sorted(context.distinct)[-KEEP_NAMES:]


def project_context(history: dict) -> ProjectContext:
    """The session's project context from the history (a history written before it had none: empty)."""
    context = ProjectContext(set(history.get("project_names", [])), set(history.get("project_distinct", [])))
    project = history.get("project")
    if project:
        context.add_repository(str(project))
    return context


def _compact_call(event: dict) -> dict:
    return {key: (value[:20_000] if isinstance(value, str) else value) for key, value in event.items() if key != "ts"}


def step_of(row: dict, command: dict | None, ord_: int) -> dict:
    tool_budget = str(row.get("rule_id") or "").startswith("wait.tool.")  # keyed by its program
    if row["source"] == "command" and command is not None:
        check_budget = str(row["site_key"]).endswith(f" [{CHECK_BUDGET_LABEL}]")  # keyed by the check it bounds
        link = row["site_key"] if tool_budget or check_budget else f"{command['check_key']} [{row['construct']}]"
        check = command["command"]
    else:
        link = row["site_key"]
        check = None
    return {
        "link": link,
        "site": row["site_key"],
        "seconds": row["seconds"],
        "old": row.get("old_seconds"),
        "ord": ord_,
        "source": row["source"],
        "file": row.get("file_path"),
        "construct": row["construct"],
        "kind": row["kind"],
        "check": check,
    }


def budget_steps(call: dict, command: dict | None, ord_: int) -> list[dict]:
    """The tool's own time budget (Claude Bash ``timeout`` ms, Codex exec ``timeout_ms``) as a wait."""
    if not call.get("command") or not call.get("input_json"):
        return []
    try:
        fields = json.loads(call["input_json"])
    except ValueError:
        return []
    if not isinstance(fields, dict):
        return []
    value = fields.get("timeout_ms", fields.get("timeout"))
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        return []
    check_key = command["check_key"] if command else call["command"]
    return [
        {
            "link": f"{check_key} [tool timeout]",
            "site": f"{call.get('name')} tool timeout",
            "seconds": value / 1000.0,
            "old": None,
            "ord": ord_,
            "source": "command",
            "file": None,
            "construct": "tool timeout",
            "kind": "timeout",
            "check": call["command"],
        }
    ]


def link_of(history: dict, step: dict) -> str:
    """The chain a step belongs to: its own key, or the file chain whose last value it replaced."""
    if step["source"] == "edit" and step["old"] is not None:
        chain = history["edit_values"].get(f"{step['file']}\x00{step['old']}")
        if chain and chain in history["sites"]:
            return chain
    return step["link"]


def judge_step(history: dict, step: dict) -> dict:
    """How a step continues its chain: previous value, a raise?, an escalation?, the chain."""
    link = link_of(history, step)
    chain = history["sites"].get(link, {"site": step["site"], "steps": []})
    previous = chain["steps"][-1] if chain["steps"] else None
    previous_s = step["old"] if step["source"] == "edit" else (previous["seconds"] if previous else None)
    previous_ord = previous["ord"] if previous else -1
    failures = [f for f in history["failures"] if previous_ord < f[0] < step["ord"]]
    raised = previous_s is not None and step["seconds"] > previous_s
    return {
        "link": link,
        "chain": chain,
        "previous_s": previous_s,
        "raise": raised,
        "escalation": raised and bool(failures),
        "failures": failures,
    }


def add_step(history: dict, step: dict) -> None:
    verdict = judge_step(history, step)
    chain = verdict["chain"]
    chain["steps"] = (
        chain["steps"]
        + [
            {
                **step,
                "previous_s": verdict["previous_s"],
                "escalation": verdict["escalation"],
                "failed_check": verdict["failures"][-1][2] if verdict["failures"] else None,
            }
        ]
    )[-KEEP_STEPS:]
    history["sites"][verdict["link"]] = chain
    if len(history["sites"]) > KEEP_SITES:
        oldest = min(history["sites"], key=lambda key: history["sites"][key]["steps"][-1]["ord"])
        del history["sites"][oldest]
    if step["source"] == "edit":
        history["edit_values"][f"{step['file']}\x00{step['seconds']}"] = verdict["link"]
        if len(history["edit_values"]) > KEEP_SITES * 4:
            history["edit_values"].pop(next(iter(history["edit_values"])))


def proposed_steps(history: dict, call: dict) -> list[dict]:
    """The wait steps a proposed call would add, judged against the history (not folded in)."""
    call = {**call, "g": history["ord"]}
    waits, commands = _waits_of_call(call)
    command = commands[0] if commands else None
    steps = [
        step_of(row, command, history["ord"])
        for row in waits
        if row["source"] in ("command", "edit") and row["seconds"] and row["seconds"] > 0
    ]
    steps += budget_steps(call, command, history["ord"])
    return steps


def exotic_claims(history: dict, text: str) -> list:
    """The exotic explanations in ``text`` given the recent tool output and the session's project
    names (the audit's classifier with the audit's context: a cause in the project's own code is
    not an outside cause)."""
    evidence = list(history["outputs"])
    repeated = repeated_identical_failures(history["failed_outputs"])
    context = project_context(history)
    found = []
    for claim in _claims(text):
        verdict = _classify(claim.text, evidence, repeated, context)
        if verdict.verdict == "exotic":
            found.append((claim.text, verdict.category))
    return found


def as_json(value) -> str:
    return json.dumps(value, default=lambda o: asdict(o) if hasattr(o, "__dataclass_fields__") else str(o))
