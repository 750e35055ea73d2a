"""One session's stored events in, its audit facts out (pure: no database here).

The behaviour audits reason about a session as a story told in order: a prompt, commands
and their results, edits, assistant explanations. :func:`extract_session_facts` walks the
events of one session in that order once and emits the rows of every ``fact_*`` table:

* commands with their result (verification? failed? a signature that lines re-runs up),
* wait values set by commands, changed by edits, stated in prose after a failure,
* file edits per file (lines added/removed, wait-only?) and their lines for the replay,
* explanations written after a failure (a failed check or any failed command, told from its
  output when no exit status was recorded) since the last prompt or follow-up, classified with the tool
  outputs of the failure they explain as evidence (the failed check's output and what ran
  after it; once the checks pass again, the turn's failures); an exotic one is refuted
  when the next edit of the same turn changes the project's own code,
* user prompts (and which of them report a failure, see :mod:`ingest.facts.user_reports`; a
  report opens the same explanation window as a failed check), and stretches of continuous
  activity.

Copies of the same event (a resumed Claude session re-writes its parent's lines) are
counted once: messages by (uuid, seq), tool calls and results by call id.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import PurePosixPath

from ingest.facts.edits import (
    edit_line_changes,
    exit_status_hidden,
    is_failure,
    is_patch_text,
    is_verification_command,
    patch_files,
    tool_timed_out,
)
from ingest.facts.evidence_scope import outputs_for_claim, program_of
from ingest.facts.explanations import (
    FailureRun,
    classify_explanation,
    find_explanations,
)
from ingest.facts.literal_waits import is_wait_only_edit, literal_wait_changes
from ingest.facts.output_verdict import only_shows_text, status_means_no_match
from ingest.facts.project import ProjectContext
from ingest.facts.shell_edits import ShellEdit, edit_applied, patch_text_edits, shell_edits, written_texts
from ingest.facts.user_reports import read_user_message
from ingest.facts.waits import (
    WaitFact,
    command_check_key,
    mask_command,
    tool_arguments,
    waits_in_command,
    waits_in_edit,
    waits_in_prose,
    waits_in_tool_call,
)
from ingest.facts.waits import (
    check_key as check_key,  # what a command checks, read here by its tests
)
from ingest.rules import rules

EVIDENCE_RESULTS = 3
TURN_FAILURES = 10  # failed outputs of the turn kept as evidence for what is written once checks pass
EXCERPT_CHARS = 2000
PROMPT_CHARS = 500
EVIDENCE_CHARS = 4000
EVIDENCE_TEXT_CHARS = 20_000  # of one tool output handed to the classifier
WINDOW_PROMPTS = 2  # follow-up prompts a failure window reaches across while no check passed since the failure
_FOLLOW_UPS = tuple(r.regex for r in rules("window_edge") if r.category == "follow_up")
ACTIVE_GAP = timedelta(minutes=15)  # a longer silence is a break, not work
VENDORED_DIRS = frozenset(
    {
        "node_modules",
        "vendor",
        ".venv",
        "venv",
        "site-packages",
        "dist-packages",
        "third_party",
        "__pycache__",
        ".git",
        ".tox",
        ".cache",
    }
)
_FRAME = re.compile(r"^[ \t]*[│┃╷╵|][ \t]?", re.MULTILINE)
_APPLY_PATCH = re.compile(r"\*\*\* Begin Patch\n.*?\*\*\* End Patch", re.DOTALL)
# A command started in the background: where its output goes, and the id the tool gave it.
_REDIRECT_TARGET = re.compile(r"(?:^|[^<>&\d])(?:&>>?|>>?)\s*([^\s;&|<>]+)")
_BACKGROUND_RESULT = re.compile(
    r"(?i)running in background with ID:\s*([\w-]+)|Output is being written to:\s*(\S+?)[.,]?(?:\s|$)"
    r"|Process running with session ID\s*(\d+)"
)
# The status line a tool writes into the output (Claude Code, Codex, Gemini CLI, Aider).
_STATUS_LINE = re.compile(
    r"^(?:Exit code:? |Exit Code: |Process exited with code |Command '.*' exited with status )-?\d+\s*$", re.MULTILINE
)
_STILL_RUNNING = re.compile(r"^Process running with session ID \d+", re.MULTILINE)  # Codex exec_command yielded


@dataclass
class SessionFacts:
    """Rows for each fact table, as dicts keyed by column name."""

    agent: str | None = None
    session_id: str | None = None
    commands: list[dict] = field(default_factory=list)
    waits: list[dict] = field(default_factory=list)
    edits: list[dict] = field(default_factory=list)
    edit_lines: list[dict] = field(default_factory=list)
    explanations: list[dict] = field(default_factory=list)
    prompts: list[dict] = field(default_factory=list)
    user_reports: list[dict] = field(default_factory=list)
    active_spans: list[dict] = field(default_factory=list)
    events: int = 0


@dataclass
class FileChange:
    """What one tool call did to one file."""

    path: str
    old_text: str | None
    new_text: str | None
    added: list[str]
    removed: list[str]
    op: str


@dataclass
class SessionOutline:
    """What the walk must know of a session before its first event: who, where, and whether
    each tool call's (first) result was an error. Taken in a first, light pass, so the walk
    itself can stream the events instead of holding the whole session."""

    agent: str | None = None
    session_id: str | None = None
    user_name: str | None = None
    project: str | None = None
    branch: str | None = None
    result_errors: dict[str | None, bool] = field(default_factory=dict)

    def take(self, event: dict) -> None:
        """Account for the next event of the session, in walk order."""
        if self.agent is None and self.session_id is None:
            self.agent, self.session_id, self.user_name = (
                event.get("agent"),
                event.get("session_id"),
                event.get("user_name"),
            )
        if self.project is None and event.get("project"):
            self.project = event["project"]
        if self.branch is None and event.get("git_branch"):
            self.branch = event["git_branch"]
        if event.get("event") == "result" and event.get("call_id") not in self.result_errors:
            self.result_errors[event.get("call_id")] = bool(event.get("is_error"))

    @classmethod
    def of(cls, events: Iterable[dict]) -> SessionOutline:
        outline = cls()
        for event in events:
            outline.take(event)
        return outline


class _SessionWalk:
    """The state carried along one session's events."""

    def __init__(self, events: Iterable[dict], outline: SessionOutline):
        self.events = events
        self.facts = SessionFacts(agent=outline.agent, session_id=outline.session_id)
        self.session = {"agent": outline.agent, "session_id": outline.session_id, "user_name": outline.user_name}
        self.project = outline.project
        self.branch = outline.branch
        self.result_errors = outline.result_errors
        self.stamps: list = []
        self.commands_by_call: dict[str, dict] = {}
        self.recent_outputs: deque[tuple[str | None, str]] = deque(maxlen=EVIDENCE_RESULTS)  # (program, text)
        self.failed_outputs: list[str] = []
        self.failure_run = FailureRun()  # the trailing run of identical failed_outputs
        self.failure_since_prompt = False
        self.prompts_since_failure = 0  # prompts typed since the last failure (see window_reaches_prompt)
        self.explained_since_failure = False  # a cause was named since the last failure
        self.last_failure_reported = False  # the last failure is one the user reported
        self.last_result_failed = False
        self.checks_pass = False
        self.open_explanations: list[dict] = []
        self.known_content: dict[str, str] = {}
        self.patch_texts: dict[str, str] = {}  # patches written to a file (scratch files too), by path
        self.background: dict[str, dict] = {}  # output file or task id -> the command row it runs
        self.background_calls: set[str] = set()
        # Files a shell command writes, held until its result says whether the write happened.
        self.pending_shell_edits: dict[str, tuple[dict, int, list[ShellEdit]]] = {}
        # The project's own names as the session shows them, so an explanation naming one of
        # them is read as blaming our code (see ingest/facts/project.py).
        self.context = ProjectContext()
        self.context.add_repository(outline.project)

    # ------------------------------------------------------------------ rows

    def base(self, event: dict, ord_: int) -> dict:
        return {
            **self.session,
            "project": event.get("project") or self.project,
            "git_branch": event.get("git_branch") or self.branch,
            "ts": event.get("ts"),
            "source_path": event.get("source_path"),
            "line_no": event.get("line_no"),
            "byte_offset": event.get("byte_offset"),
            "seq": event.get("seq"),
            "ord": ord_,
        }

    # ------------------------------------------------------------------ walk

    def walk(self) -> SessionFacts:
        seen_messages: set[tuple] = set()
        seen_calls: set[str] = set()
        seen_results: set[str] = set()
        count = 0
        for ord_, event in enumerate(self.events):
            count += 1
            if event.get("ts") is not None:
                self.stamps.append(event["ts"])
            kind = event["event"]
            if kind == "message":
                key = (event.get("uuid"), event.get("seq"), event.get("role"), event.get("kind"))
                if event.get("uuid"):
                    if key in seen_messages:
                        continue
                    seen_messages.add(key)
                self.message(event, ord_)
            elif kind == "call":
                if event["call_id"] in seen_calls:
                    continue
                seen_calls.add(event["call_id"])
                self.call(event, ord_)
            elif kind == "result":
                if event["call_id"] in seen_results:
                    continue
                seen_results.add(event["call_id"])
                self.result(event, ord_)
        for call_id in list(self.pending_shell_edits):  # no result recorded: the write is taken as made
            self.shell_edit_result(call_id, None)
        self.facts.events = count
        self.facts.active_spans = self.active_spans()
        return self.facts

    # ------------------------------------------------------------------ messages

    def message(self, event: dict, ord_: int) -> None:
        text = event.get("text")
        if event.get("kind") != "text" or not text:
            return
        if event.get("role") == "user":
            self.user_prompt(event, ord_, text)
        elif event.get("role") == "assistant":
            self.assistant_text(event, ord_, text)

    def user_prompt(self, event: dict, ord_: int, text: str) -> None:
        message = read_user_message(text)
        if message.kind == "injected":  # IDE blocks, command output, interruption markers: not typed
            return
        self.prompts_since_failure += 1
        follows_up = message.category == "go_ahead" or any(r.search(text.strip()) for r in _FOLLOW_UPS)
        if not (self.last_result_failed or (follows_up and self.window_reaches_prompt())):
            self.failure_since_prompt = False
            self.failed_outputs = []
            self.failure_run = FailureRun()
        self.last_result_failed = False
        self.close_explanations(refuted=False)
        cues = json.dumps({"category": message.category, "rules": list(message.rules)}) if message.rules else None
        self.facts.prompts.append(
            {
                **self.base(event, ord_),
                "message_uuid": event.get("uuid"),
                "is_report": message.is_report,
                "cues": cues,
                "text": text[:PROMPT_CHARS],
            }
        )
        if message.is_report:
            self.facts.user_reports.append(
                {
                    **self.base(event, ord_),
                    "message_uuid": event.get("uuid"),
                    "cue": message.cue,
                    "category": message.category,
                    "cues": cues,
                    "text": text[:EXCERPT_CHARS],
                }
            )
            self.reported_failure(message.evidence or message.text)

    def window_reaches_prompt(self) -> bool:
        """Whether the failure window stays open across a follow-up prompt just typed.

        A prompt right after a failure ("fix that") is about it. So is a follow-up to a failure
        nobody has fixed yet: the agent looked around, the person asks "any idea?" or lets it
        go on ("yes, go ahead"), and the cause is named in the next turn; until a check passes
        again nothing has settled what failed. Any other prompt is new work, and on real
        transcripts the causal sentences after it are plans and summaries of that work, not
        explanations of the old failure (measured: of 19 more sentences a window reaching past
        any two prompts gave, one was a claim about the failure). So the window reaches past
        follow-ups only (``window_edge.toml`` and ``go_ahead`` replies), while no check has
        passed since the last failure, for at most WINDOW_PROMPTS prompts. Once the agent has named a
        cause the failure is explained: the next prompt answers that explanation or moves on
        ("now something else"), and a push-back that reports the failure again opens its own
        window (a user report). A window a report opened does not reach past the next prompt:
        the failure is what the person said, and their next message says whether it stands.
        """
        return (
            self.failure_since_prompt
            and not self.checks_pass
            and not self.explained_since_failure
            and not self.last_failure_reported
            and self.prompts_since_failure <= WINDOW_PROMPTS
        )

    def reported_failure(self, evidence: str) -> None:
        """A failure the person reported opens the window a failed check opens: what the agent
        writes next is read as explanations of it, with what the person pasted (or said) as the
        output it is checked against."""
        self.failure_since_prompt = True
        self.checks_pass = False
        self.prompts_since_failure = 0
        self.explained_since_failure = False
        self.last_failure_reported = True
        self.recent_outputs.clear()
        self.recent_outputs.append((None, evidence[:EVIDENCE_TEXT_CHARS]))
        self.failed_outputs.append(evidence)
        self.failure_run.add(evidence)

    def assistant_text(self, event: dict, ord_: int, text: str) -> None:
        if not self.failure_since_prompt:  # prose waits corroborate spirals, which need failures
            return
        for fact in waits_in_prose(text):
            self.facts.waits.append(
                self.wait_row(event, ord_, fact, call_id=None, file_path=None, message_uuid=event.get("uuid"))
            )
        for claim in find_explanations(text, resolved=self.checks_pass):
            evidence = (
                self.failed_outputs[-TURN_FAILURES:]
                if self.checks_pass
                else outputs_for_claim(claim.text, self.recent_outputs)
            )
            verdict = classify_explanation(claim.text, evidence, self.failure_run.count(), self.context)
            row = {
                **self.base(event, ord_),
                "message_uuid": event.get("uuid"),
                "sentence_index": claim.index,
                "text": claim.text,
                "verdict": verdict.verdict,
                "category": verdict.category,
                "cues": json.dumps(
                    {
                        "rules": sorted(set(claim.rules) | set(verdict.rules)),
                        "cues": sorted(set(claim.cues) | set(verdict.cues)),
                    }
                ),
                "score": verdict.score,
                "evidence": "\n---\n".join(_excerpt(text) for text in evidence)[-EVIDENCE_CHARS:] or None,
                "refuted": False,
            }
            self.facts.explanations.append(row)
            self.explained_since_failure = True
            if verdict.verdict == "exotic":  # only an outside cause can be refuted by fixing our code
                self.open_explanations.append(row)

    def close_explanations(self, refuted: bool) -> None:
        for row in self.open_explanations:
            row["refuted"] = refuted
        self.open_explanations = []

    # ------------------------------------------------------------------ tool calls

    def call(self, event: dict, ord_: int) -> None:
        if event.get("file_path") and project_path(str(event["file_path"]), self.project)[1]:
            self.context.add_path(str(event["file_path"]))
        if changes_files(event):
            if self.applied(event):
                changes = file_changes(event, self.known_content) or []
                for change in changes:  # a file a patch creates: a later full write is compared with it
                    if change.op == "add" and change.new_text is not None:
                        self.known_content[self.content_key(change.path)] = change.new_text
                self.edit(event, ord_, changes)
            return
        if not event.get("command"):
            self.tool_poll(event, ord_)
            return
        written = shell_edits(event["command"])
        for path, text in written_texts(event["command"]):
            if is_patch_text(text):
                self.patch_texts[self.content_key(path)] = text
        if written:
            self.pending_shell_edits[event["call_id"]] = (event, ord_, written)
        self.command(event, ord_)

    def content_key(self, path: str) -> str:
        """A file's path as an edit tool names it (absolute), so a shell write of ``src/x.py`` is
        compared with the session's earlier write of the same file."""
        if not self.project or not self.project.startswith("/") or path.startswith(("/", "~")):
            return path  # a project known only by a hash (Gemini CLI) has no folder to join
        return posixpath.join(self.project, path)

    def shell_edit_result(self, call_id: str, result: dict | None) -> None:
        """Record the files a shell command wrote, once its result tells which writes happened
        (``sed: can't read x``; a failed command whose last step was the write)."""
        call, call_ord, written = self.pending_shell_edits.pop(call_id)
        if result is not None:
            written = [
                edit
                for edit in written
                if edit_applied(edit, result.get("exit_code"), bool(result.get("is_error")), result.get("text"))
            ]
        written = [replace(edit, path=self.content_key(edit.path)) for edit in self.resolved(written)]
        changes = shell_file_changes(written, self.known_content)
        if changes:
            self.edit(call, call_ord, changes)

    def resolved(self, written: list[ShellEdit]) -> list[ShellEdit]:
        """Shell edits with what the session knows of their sources: a patch applied from a file
        written earlier is an edit of each file it names; a copy of a file the session wrote
        carries that file's text."""
        found: list[ShellEdit] = []
        for edit in written:
            source = self.content_key(edit.source) if edit.source else None
            if edit.op == "patch" and source is not None:
                text = self.patch_texts.get(source) or self.known_content.get(source)
                named = patch_text_edits(text) if text else []
                if named:
                    found += [replace(item, step=edit.step, last=edit.last, source=edit.source) for item in named]
                    continue
            if edit.op in ("copy", "move") and source is not None and source in self.known_content:
                edit = replace(edit, new_text=self.known_content[source])
            found.append(edit)
        return found

    def applied(self, event: dict) -> bool:
        """False when the tool refused the call (an edit whose text was not found, a failed sed)."""
        return not self.result_errors.get(event["call_id"], False)

    def tool_poll(self, event: dict, ord_: int) -> None:
        """A tool call that runs no command but waits: a poll of a background run with a budget
        (Claude Code TaskOutput/BashOutput ``timeout``, Codex write_stdin ``yield_time_ms``)."""
        arguments = tool_arguments(event.get("input_json"))
        for fact in waits_in_tool_call(event.get("name"), arguments):
            self.facts.waits.append(self.wait_row(event, ord_, fact, call_id=event["call_id"], file_path=None))

    def command(self, event: dict, ord_: int) -> None:
        command = event["command"]
        signature = mask_command(command)
        arguments = tool_arguments(event.get("input_json"))
        waits = waits_in_command(command)
        for fact in waits + waits_in_tool_call(event.get("name"), arguments, command):
            self.facts.waits.append(self.wait_row(event, ord_, fact, call_id=event["call_id"], file_path=None))
        polled = self.polled_background(command)
        row = {
            **self.base(event, ord_),
            "call_id": event["call_id"],
            "tool_name": event.get("name"),
            "command": command,
            "signature": signature,
            "check_key": polled["check_key"] if polled else command_check_key(command, signature),
            "is_verification": bool(polled["is_verification"]) if polled else is_verification_command(command),
            "has_wait": bool(waits),
            "failed": None,
            "exit_code": None,
            "duration_s": None,
            "result_ts": None,
            "result_ord": None,
            "result_excerpt": None,
        }
        self.commands_by_call[event["call_id"]] = row
        self.facts.commands.append(row)
        if polled:
            self.background_calls.add(event["call_id"] + "\0poll")
        if arguments.get("run_in_background") is True:
            self.background_calls.add(event["call_id"])
            for target in _REDIRECT_TARGET.findall(command):
                self.background[target] = row

    def polled_background(self, command: str) -> dict | None:
        """The background check whose output this command reads (``sleep 30 && tail -5
        /tmp/tasks/x.output``), if any: the poll checks what that run checks."""
        for key, row in self.background.items():
            if re.search(rf"(?<![\w.-]){re.escape(key)}(?![\w-])", command):
                return row
        return None

    def background_started(self, row: dict, text: str) -> bool:
        """Remember where a background run's output goes; True when the result says it started."""
        found = False
        for match in _BACKGROUND_RESULT.finditer(text[:2000]):
            key = match.group(1) or match.group(2)
            if key and len(key) >= 3:  # an id or a path a later command can name
                self.background[key] = row
            found = True
        return found

    def edit(self, event: dict, ord_: int, changes: list[FileChange]) -> None:
        in_project_change = False
        for change in changes:
            path, inside = project_path(change.path, self.project)
            in_project_change = in_project_change or inside
            if inside:
                self.context.add_path(path)
                self.context.add_code(change.new_text)
                self.context.add_code(change.old_text)
            waits = waits_in_edit(path, change.old_text, change.new_text) or literal_wait_changes(
                path, change.old_text, change.new_text
            )
            for fact in waits:
                self.facts.waits.append(self.wait_row(event, ord_, fact, call_id=event["call_id"], file_path=path))
            base = self.base(event, ord_)
            self.facts.edits.append(
                {
                    **base,
                    "call_id": event["call_id"],
                    "tool_name": event.get("name"),
                    "file_path": path,
                    "in_project": inside,
                    "op": change.op,
                    "lines_added": len(change.added),
                    "lines_removed": len(change.removed),
                    "wait_only": is_wait_only_edit(change.old_text, change.new_text, waits),
                }
            )
            self.facts.edit_lines += [
                {**base, "call_id": event["call_id"], "file_path": path, "line_hash": line_hash(line), "delta": delta}
                for lines, delta in ((change.added, 1), (change.removed, -1))
                for line in lines
                if line.strip()
            ]
        if self.open_explanations:
            self.close_explanations(refuted=in_project_change)

    def wait_row(
        self,
        event: dict,
        ord_: int,
        fact: WaitFact,
        call_id: str | None,
        file_path: str | None,
        message_uuid: str | None = None,
    ) -> dict:
        return {
            **self.base(event, ord_),
            "call_id": call_id,
            "message_uuid": message_uuid,
            "file_path": file_path,
            "seconds": fact.seconds,
            "old_seconds": fact.old_seconds,
            "construct": fact.construct,
            "site_key": fact.site_key,
            "source": fact.source,
            "kind": fact.kind,
            "raw": fact.raw,
            "old_raw": fact.old_raw,
            "once": fact.once,
            "old_once": fact.old_once,
            "rule_id": fact.rule_id or None,
        }

    # ------------------------------------------------------------------ results

    def result(self, event: dict, ord_: int) -> None:
        text = event.get("text") or ""
        if event["call_id"] in self.pending_shell_edits:
            self.shell_edit_result(event["call_id"], event)
        command = self.commands_by_call.get(event["call_id"])
        is_check = False
        if command is not None:
            exit_code = event.get("exit_code")
            is_error = bool(event.get("is_error"))
            call_id = event["call_id"]
            polled = call_id + "\0poll" in self.background_calls
            verdict_text = _undecorated(text)
            if status_means_no_match(command["command"], exit_code):
                # a search without hits, a diff: the output decides, without the status line
                exit_code, is_error = None, False
                verdict_text = _STATUS_LINE.sub("", verdict_text)
            if exit_code == 0 and command["is_verification"] and exit_status_hidden(command["command"]):
                exit_code = None  # the status is the pipe's last filter's: the runner's summary decides
            if polled and exit_code == 0:
                exit_code = None  # tail of a background run's output: what it printed decides
            # A command that only shows text (cat of a log, grep error) printed what it read:
            # only a runner's summary in it is a verdict, not the tracebacks it shows.
            markers = polled or command["is_verification"] or not only_shows_text(command["command"])
            failed: bool | None = is_failure(verdict_text, exit_code, is_error, markers=markers)
            if tool_timed_out(text):
                failed = True
                command["has_wait"] = True  # the command waited out its tool's budget: a failed wait
            elif (call_id in self.background_calls or _STILL_RUNNING.search(text[:500])) and (
                self.background_started(command, text) and not failed
            ):
                failed = None  # started, not finished: the polls of its output tell how it went
            command.update(
                failed=failed,
                exit_code=event.get("exit_code"),
                duration_s=event.get("duration_s"),
                result_ts=event.get("ts"),
                result_ord=ord_,
                result_excerpt=_excerpt(text),
            )
            is_check = bool(command["is_verification"] or command["has_wait"]) and failed is not None
        else:
            failed = bool(event.get("is_error"))
        failed = bool(failed)
        # Evidence for an explanation is what the failure it explains printed, and what ran
        # after it (logs, describe, dmesg): a failed check starts a new stretch, so an earlier
        # failure's cause (a 429 already dealt with) does not vouch for a claim about this one.
        if failed and is_check:
            self.recent_outputs.clear()
        if failed or is_check:
            self.checks_pass = is_check and not failed
        if text:
            self.recent_outputs.append(
                (program_of(command["command"]) if command else None, text[:EVIDENCE_TEXT_CHARS])
            )
        self.last_result_failed = failed
        if failed:
            self.failure_since_prompt = True
            self.prompts_since_failure = 0
            self.explained_since_failure = False
            self.last_failure_reported = False
            self.failed_outputs.append(text)
            self.failure_run.add(text)

    # ------------------------------------------------------------------ activity

    def active_spans(self) -> list[dict]:
        stamps = sorted(self.stamps)
        self.stamps = []
        spans: list[dict] = []
        for stamp in stamps:
            if spans and stamp - spans[-1]["span_end"] <= ACTIVE_GAP:
                spans[-1]["span_end"] = stamp
                spans[-1]["events"] += 1
            else:
                spans.append(
                    {
                        **self.session,
                        "project": self.project,
                        "git_branch": self.branch,
                        "span_start": stamp,
                        "span_end": stamp,
                        "events": 1,
                    }
                )
        return spans


def extract_session_facts(events: Iterable[dict], outline: SessionOutline | None = None) -> SessionFacts:
    """The fact rows of one session, from its events in time order.

    Each event is a dict with ``event`` (message | call | result) and the stored columns
    of its table (see ``queries/facts_batch_events.sql``). With the session's ``outline``
    (taken in a first pass) the events are read once, as they stream; without it they are
    held to take the outline first.
    """
    if outline is None:
        events = list(events)
        outline = SessionOutline.of(events)
    return _SessionWalk(events, outline).walk()


def changes_files(call: dict) -> bool:
    """True for a file-changing tool call: an edit or write of a file, or a patch."""
    if call.get("patch") or _patch_in_command(call.get("command")):
        return True
    return bool(call.get("file_path")) and (call.get("old_text") is not None or call.get("new_text") is not None)


def file_changes(call: dict, known_content: dict[str, str]) -> list[FileChange] | None:
    """The files a tool call changes, or None when it changes none.

    ``known_content`` holds file texts the session wrote whole earlier; a later full write
    of such a file is compared with it instead of counting every line as new.
    """
    patch = call.get("patch") or _patch_in_command(call.get("command"))
    if patch:
        return [
            FileChange(item.move_to or item.path, item.old_text, item.new_text, item.added, item.removed, item.op)
            for item in patch_files(patch)
        ]
    path = call.get("file_path")
    old_text, new_text = call.get("old_text"), call.get("new_text")
    if not path or (old_text is None and new_text is None):
        return None
    op = "edit" if old_text is not None else "write"
    if old_text is None:
        old_text = known_content.get(path)
        known_content[path] = new_text or ""
    elif path in known_content:
        if old_text in known_content[path]:
            known_content[path] = known_content[path].replace(old_text, new_text or "", 1)
        else:
            del known_content[path]
    added, removed = edit_line_changes(old_text, new_text)
    return [FileChange(path, old_text, new_text, added, removed, op)]


def sed_substitutions(command: str) -> list[FileChange]:
    """In-place ``sed -i 's/old/new/' FILE…`` substitutions of a shell command, as file changes
    (each substitution of each file; see :mod:`ingest.facts.shell_edits`)."""
    return shell_file_changes([edit for edit in shell_edits(command) if edit.op == "sed"], {})


def shell_file_changes(edits: list[ShellEdit], known_content: dict[str, str]) -> list[FileChange]:
    """The file changes of the files a shell command writes.

    A write (``cat > x <<EOF``, or a copy of a file whose text the session knows) is compared
    with the text the session wrote to the file before, as a second full write with an edit tool
    is; an append adds its lines; a substitution or a patch's hunk replaces its old text with its
    new one, a line each way per line of either. A copy, a checkout, a formatter's rewrite or a
    patch whose text is unknown changes the file with lines the session does not see: an edit
    of no counted lines.
    """
    changes: list[FileChange] = []
    for edit in edits:
        path, old, new = edit.path, edit.old_text, edit.new_text
        if edit.op == "write" or (edit.op in ("copy", "move") and new is not None):
            old = known_content.get(path)
            known_content[path] = new or ""
            added, removed = edit_line_changes(old, new)
        elif edit.op in ("copy", "move", "checkout", "format") or (edit.op == "patch" and old is None and new is None):
            known_content.pop(path, None)  # written with text the session does not see
            added, removed = [], []
        elif edit.op == "append":
            if path in known_content:
                known_content[path] += new or ""
            added, removed = (new or "").splitlines(), []
        else:
            if old is not None and path in known_content and old in known_content[path]:
                known_content[path] = known_content[path].replace(old, new or "")
            else:
                known_content.pop(path, None)
            added = (new or "").splitlines() or ([new] if new else [])
            removed = (old or "").splitlines() or ([old] if old else [])
        changes.append(FileChange(path, old, new, added, removed, edit.op))
    return changes


def project_path(path: str, project: str | None) -> tuple[str, bool]:
    """(path relative to the project when inside it, whether it is the project's own code)."""
    pure = PurePosixPath(path)
    if pure.is_absolute():
        root = PurePosixPath(project) if project else None
        if root is None or not pure.is_relative_to(root):
            return path, False
        pure = pure.relative_to(root)
    parts = pure.parts
    inside = bool(parts) and parts[0] != ".." and not VENDORED_DIRS.intersection(parts)
    return str(pure), inside


def line_hash(line: str) -> int:
    """A signed 64-bit hash of a line without its surrounding whitespace."""
    digest = hashlib.blake2b(line.strip().encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _patch_in_command(command: str | None) -> str | None:
    """A patch passed to ``apply_patch`` through the shell (``apply_patch <<'EOF' … EOF``)."""
    if not command or "*** Begin Patch" not in command or "apply_patch" not in command:
        return None
    match = _APPLY_PATCH.search(command)
    return match.group(0) if match else None


def _undecorated(text: str) -> str:
    """Tool output without the box-drawing frame some tools draw around diagnostics (``│ Error: …``)."""
    return _FRAME.sub("", text) if _FRAME.search(text) else text


def _excerpt(text: str) -> str:
    if len(text) <= EXCERPT_CHARS:
        return text
    half = EXCERPT_CHARS // 2
    return f"{text[:half]}\n…\n{text[-half:]}"
