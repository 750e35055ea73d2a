"""Build the held-out sessions written independently of the detectors, and their truth.

What: Claude Code and Codex CLI transcripts for three people (alice, bob, chen) working in
September 2026, written to `<out>/sessions/<user>/.claude/projects/<slug>/<uuid>.jsonl` and
`<out>/sessions/<user>/.codex/sessions/YYYY/MM/DD/rollout-….jsonl`, plus `<out>/truth.json`:
the timeout-escalation spirals (site, values in seconds, outcome), every cause-stating sentence
written after a failure with its verdict (exotic / legit / mundane), and two features with the
exact number of fix attempts past their 80% mark and whether they fall off the cliff.

Why: the audits are tuned on the bundled demo corpus and the labelled CSVs. These sessions were
written from the audit definitions and the two transcript formats alone, before the detectors
were read, with languages, phrasings and wait constructs chosen away from the obvious, so
scoring the audits on them estimates how they do on sessions nobody tuned them on
(`tests/test_heldout.py`).

Deterministic and stdlib only: `python tests/heldout/build_heldout.py [OUT_DIR]` (default: this
folder). Every id, timestamp and token count derives from fixed seeds.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------------------------------------
# Small deterministic helpers


def stable_uuid(*parts: object) -> str:
    digest = hashlib.sha1("/".join(map(str, parts)).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def codex_id(start: datetime, *parts: object) -> str:
    """A UUIDv7-shaped id like Codex's: 48 bits of milliseconds, then hashed bits."""
    ms = int(start.timestamp() * 1000)
    rest = hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()
    raw = f"{ms:012x}7{rest[:3]}{'89ab'[int(rest[3], 16) % 4]}{rest[4:19]}"
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:32]}"


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def at(day: int, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2026, 9, day, hh, mm, ss, tzinfo=UTC)


def count_lines(text: str) -> int:
    return len(text.splitlines())


# ---------------------------------------------------------------------------------------------
# Truth bookkeeping


class Truth:
    """Collects the expected findings while the sessions are written."""

    def __init__(self) -> None:
        self.spirals: list[dict] = []
        self.non_spirals: list[dict] = []
        self.explanations: list[dict] = []
        self.features: dict[tuple[str, str], dict] = {}
        self.sessions: list[dict] = []

    def feature(self, repo: str, branch: str) -> FeatureLedger:
        key = (repo, branch)
        if key not in self.features:
            self.features[key] = {"repo": repo, "branch": branch, "ledger": FeatureLedger()}
        return self.features[key]["ledger"]


class FeatureLedger:
    """The events that decide a feature's 80% mark and its fix attempts, by the definition:
    completion is the share of the feature's lines written so far; a fix attempt is the
    file-changing tool calls between a failed verification (or a user's bug report) and the
    next verification run, counted once however many calls it takes; it is past the 80% mark
    when its first call is. The fix attempts are the "patches" of the cliff rule."""

    def __init__(self) -> None:
        self.events: list[tuple[datetime, str, int]] = []  # (time, kind, lines added)
        self.sessions: set[str] = set()

    def add(self, ts: datetime, kind: str, lines: int = 0) -> None:
        self.events.append((ts, kind, lines))

    def summary(self) -> dict:
        events = sorted(self.events, key=lambda e: e[0])
        total = sum(lines for _, kind, lines in events if kind == "edit")
        written, t80 = 0, None
        for ts, kind, lines in events:
            if kind == "edit":
                written += lines
                if t80 is None and written >= 0.8 * total:
                    t80 = ts
        start, end = events[0][0], events[-1][0]
        window, attempt_started, after = False, False, 0
        for ts, kind, _ in events:
            if kind in ("verify_fail", "bug_report", "verify_pass"):
                window, attempt_started = kind != "verify_pass", False
            elif kind == "edit" and window and not attempt_started:
                attempt_started = True
                after += ts > t80
        before_s = (t80 - start).total_seconds()
        after_s = (end - t80).total_seconds()
        return {
            "t80": iso(t80),
            "hours_before_80": round(before_s / 3600, 2),
            "hours_after_80": round(after_s / 3600, 2),
            "patches_after_80": after,
            "cliff": after_s >= 2 * before_s and after >= 10,
        }


# ---------------------------------------------------------------------------------------------
# A tiny file system per repository, so edits carry the real file before and after


class Repo:
    def __init__(self, root: str, files: dict[str, str] | None = None) -> None:
        self.root = root
        self.files: dict[str, str] = {}
        for rel, text in (files or {}).items():
            self.files[self.abs(rel)] = text

    def abs(self, rel: str) -> str:
        return rel if rel.startswith("/") else f"{self.root}/{rel}"

    def replace(self, rel: str, old: str, new: str) -> tuple[str, str]:
        path = self.abs(rel)
        before = self.files[path]
        if before.count(old) != 1:
            raise ValueError(f"{path}: expected one occurrence of {old!r}")
        after = before.replace(old, new)
        self.files[path] = after
        return before, after


def unified_hunks(before: str, after: str, context: int) -> list[dict]:
    """difflib's hunks in Claude Code's structuredPatch shape."""
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=context))
    hunks: list[dict] = []
    for line in lines[2:]:
        if line.startswith("@@"):
            old, new = line.split()[1:3]
            o_start, _, o_len = old[1:].partition(",")
            n_start, _, n_len = new[1:].partition(",")
            hunks.append(
                {
                    "oldStart": int(o_start),
                    "oldLines": int(o_len or 1),
                    "newStart": int(n_start),
                    "newLines": int(n_len or 1),
                    "lines": [],
                }
            )
        else:
            hunks[-1]["lines"].append(line)
    return hunks


def added_lines(before: str, after: str) -> int:
    return sum(1 for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line.startswith("+ "))


# ---------------------------------------------------------------------------------------------
# Claude Code writer


class Claude:
    """One Claude Code session file: prompts, assistant text, Bash/Edit/Write tool calls and
    their results, each API response split into one line per content block."""

    def __init__(
        self,
        truth: Truth,
        user: str,
        repo: Repo,
        branch: str,
        start: datetime,
        *,
        model: str = "claude-sonnet-4-5-20250929",
        version: str = "2.0.31",
        feature: FeatureLedger | None = None,
    ) -> None:
        self.truth, self.user, self.repo, self.branch = truth, user, repo, branch
        self.cwd = repo.root
        self.now = start
        self.model, self.version = model, version
        self.session_id = stable_uuid("claude", user, repo.root, branch, start.isoformat())
        self.rng = random.Random(self.session_id)
        self.lines: list[dict] = []
        self.parent: str | None = None
        self.pending_message: tuple[str, str] | None = None
        self.feature = feature
        if feature is not None:
            feature.sessions.add(self.session_id)
        self.n = 0

    # -- plumbing
    def tick(self, lo: float = 2.0, hi: float = 9.0) -> datetime:
        self.now += timedelta(seconds=round(self.rng.uniform(lo, hi), 3))
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def base(self, kind: str) -> dict:
        self.n += 1
        uid = stable_uuid(self.session_id, self.n)
        line = {
            "parentUuid": self.parent,
            "isSidechain": False,
            "userType": "external",
            "cwd": self.cwd,
            "sessionId": self.session_id,
            "version": self.version,
            "gitBranch": self.branch,
            "type": kind,
            "uuid": uid,
            "timestamp": iso(self.now),
        }
        self.parent = uid
        return line

    def usage(self) -> dict:
        return {
            "input_tokens": self.rng.randint(3, 40),
            "cache_creation_input_tokens": self.rng.randint(200, 4000),
            "cache_read_input_tokens": 18000 + 900 * self.n,
            "output_tokens": self.rng.randint(40, 900),
            "service_tier": "standard",
        }

    def assistant_block(self, block: dict, *, continues: bool = False) -> dict:
        if continues and self.pending_message:
            msg_id, req_id = self.pending_message
        else:
            msg_id = "msg_01" + hashlib.sha1(f"{self.session_id}{self.n}m".encode()).hexdigest()[:22]
            req_id = "req_011C" + hashlib.sha1(f"{self.session_id}{self.n}r".encode()).hexdigest()[:20]
        self.pending_message = (msg_id, req_id)
        line = self.base("assistant")
        line["message"] = {
            "model": self.model,
            "id": msg_id,
            "type": "message",
            "role": "assistant",
            "content": [block],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": self.usage(),
        }
        line["requestId"] = req_id
        # keep the key order of real lines: message before type/uuid/timestamp
        ordered = {
            k: line[k]
            for k in (
                "parentUuid",
                "isSidechain",
                "userType",
                "cwd",
                "sessionId",
                "version",
                "gitBranch",
                "message",
                "requestId",
                "type",
                "uuid",
                "timestamp",
            )
        }
        self.lines.append(ordered)
        return ordered

    # -- events
    def prompt(self, text: str, *, bug_report: bool = False) -> None:
        self.tick(20, 90)
        self.pending_message = None
        line = self.base("user")
        line["message"] = {"role": "user", "content": text}
        line["permissionMode"] = "default"
        self.lines.append(line)
        if bug_report and self.feature is not None:
            self.feature.add(self.now, "bug_report")

    def say(self, text: str, *labels: tuple[str, str]) -> None:
        """Assistant text; each label is (sentence, verdict) for a sentence inside `text`."""
        self.tick(3, 12)
        self.assistant_block({"type": "text", "text": text})
        record_labels(self.truth, self.session_id, "claude", text, labels)

    def _tool(self, name: str, tool_input: dict) -> tuple[str, str]:
        self.tick(1, 4)
        tool_id = "toolu_01" + hashlib.sha1(f"{self.session_id}{self.n}t".encode()).hexdigest()[:22]
        block = {"type": "tool_use", "id": tool_id, "name": name, "input": tool_input}
        line = self.assistant_block(block, continues=True)
        return tool_id, line["uuid"]

    def _result(self, tool_id: str, source: str, content: str, result: object, *, error: bool) -> None:
        self.pending_message = None
        line = self.base("user")
        block = {"tool_use_id": tool_id, "type": "tool_result", "content": content}
        if error:
            block["is_error"] = True
        line["message"] = {"role": "user", "content": [block]}
        line["toolUseResult"] = result
        line["sourceToolAssistantUUID"] = source
        self.lines.append(line)

    def bash(
        self,
        command: str,
        output: str,
        code: int = 0,
        seconds: float = 2.0,
        *,
        description: str | None = None,
        timeout_ms: int | None = None,
        verify: bool = False,
    ) -> None:
        tool_input: dict = {"command": command}
        if timeout_ms is not None:
            tool_input["timeout"] = timeout_ms
        tool_input["description"] = description or "Run command"
        tool_id, source = self._tool("Bash", tool_input)
        self.wait(seconds)
        if code:
            content = f"Exit code {code}\n{output}"
            self._result(tool_id, source, content, f"Error: {content}", error=True)
        else:
            self._result(
                tool_id,
                source,
                output,
                {
                    "stdout": output,
                    "stderr": "",
                    "interrupted": False,
                    "isImage": False,
                },
                error=False,
            )
        if verify and self.feature is not None:
            self.feature.add(self.now, "verify_fail" if code else "verify_pass")

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.repo.abs(rel)
        tool_id, source = self._tool("Edit", {"file_path": path, "old_string": old, "new_string": new})
        before, after = self.repo.replace(rel, old, new)
        self.wait(0.3)
        snippet_start = max(after[: after.index(new)].count("\n") - 3, 0)
        snippet = after.splitlines()[snippet_start : snippet_start + new.count("\n") + 8]
        numbered = "\n".join(f"{snippet_start + i + 1:>6}\u2192{text}" for i, text in enumerate(snippet))
        content = (
            f"The file {path} has been updated. Here's the result of running `cat -n` on a "
            f"snippet of the edited file:\n{numbered}"
        )
        self._result(
            tool_id,
            source,
            content,
            {
                "filePath": path,
                "oldString": old,
                "newString": new,
                "originalFile": before,
                "structuredPatch": unified_hunks(before, after, 3),
                "userModified": False,
                "replaceAll": False,
            },
            error=False,
        )
        if self.feature is not None:
            self.feature.add(self.now, "edit", added_lines(before, after))

    def write(self, rel: str, text: str) -> None:
        path = self.repo.abs(rel)
        tool_id, source = self._tool("Write", {"file_path": path, "content": text})
        before = self.repo.files.get(path)
        self.repo.files[path] = text
        self.wait(0.2)
        if before is None:
            self._result(
                tool_id,
                source,
                f"File created successfully at: {path}",
                {
                    "type": "create",
                    "filePath": path,
                    "content": text,
                    "structuredPatch": [],
                },
                error=False,
            )
        else:
            self._result(
                tool_id,
                source,
                f"The file {path} has been updated.",
                {
                    "type": "update",
                    "filePath": path,
                    "content": text,
                    "structuredPatch": unified_hunks(before, text, 3),
                    "originalFile": before,
                },
                error=False,
            )
        if self.feature is not None:
            self.feature.add(self.now, "edit", added_lines(before or "", text))

    def save(self, out: Path) -> Path:
        slug = self.cwd.replace("/", "-").replace(".", "-").replace("_", "-")
        path = out / "sessions" / self.user / ".claude" / "projects" / slug / f"{self.session_id}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        snapshot = {
            "type": "file-history-snapshot",
            "messageId": stable_uuid(self.session_id, "snap"),
            "snapshot": {
                "messageId": stable_uuid(self.session_id, "snap"),
                "trackedFileBackups": {},
                "timestamp": self.lines[0]["timestamp"],
            },
            "isSnapshotUpdate": False,
        }
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            for line in [snapshot, *self.lines]:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.truth.sessions.append(
            {
                "session_id": self.session_id,
                "agent": "claude",
                "user": self.user,
                "cwd": self.cwd,
                "branch": self.branch,
            }
        )
        return path


# ---------------------------------------------------------------------------------------------
# Codex CLI writer


class Codex:
    """One Codex rollout: session_meta with git, turn_context, user and assistant messages,
    exec_command (unified exec, plain-text output) or shell (argv, JSON output) calls,
    apply_patch custom tool calls, and token_count events."""

    def __init__(
        self,
        truth: Truth,
        user: str,
        repo: Repo,
        branch: str,
        repo_url: str,
        start: datetime,
        *,
        model: str = "gpt-5-codex",
        cli_version: str = "0.46.0",
        style: str = "exec",
        feature: FeatureLedger | None = None,
    ) -> None:
        self.truth, self.user, self.repo, self.branch = truth, user, repo, branch
        self.cwd = repo.root
        self.start = self.now = start
        self.model, self.style = model, style
        self.session_id = codex_id(start, "codex", user, repo.root, branch, start.isoformat())
        self.rng = random.Random(self.session_id)
        self.lines: list[dict] = []
        self.feature = feature
        if feature is not None:
            feature.sessions.add(self.session_id)
        self.totals = {
            "input_tokens": 0,
            "cached_input_tokens": 0,
            "output_tokens": 0,
            "reasoning_output_tokens": 0,
            "total_tokens": 0,
        }
        self.calls = 0
        commit = hashlib.sha1(f"{repo_url}{branch}{start}".encode()).hexdigest()
        self.emit(
            "session_meta",
            {
                "id": self.session_id,
                "timestamp": iso(start),
                "cwd": self.cwd,
                "originator": "codex_cli_rs",
                "cli_version": cli_version,
                "instructions": None,
                "source": "cli",
                "model_provider": "openai",
                "git": {"commit_hash": commit, "branch": branch, "repository_url": repo_url},
            },
        )
        self.emit(
            "response_item",
            {
                "type": "message",
                "role": "user",
                "content": [
                    {
                        "type": "input_text",
                        "text": (
                            f"<environment_context>\n  <cwd>{self.cwd}</cwd>\n  <approval_policy>on-request"
                            "</approval_policy>\n  <sandbox_mode>workspace-write</sandbox_mode>\n  "
                            "<network_access>enabled</network_access>\n  <shell>bash</shell>\n"
                            "</environment_context>"
                        ),
                    }
                ],
            },
        )

    def emit(self, kind: str, payload: dict) -> None:
        self.lines.append({"timestamp": iso(self.now), "type": kind, "payload": payload})

    def tick(self, lo: float = 2.0, hi: float = 9.0) -> None:
        self.now += timedelta(seconds=round(self.rng.uniform(lo, hi), 3))

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def token_count(self) -> None:
        last = {"input_tokens": self.rng.randint(9000, 30000), "output_tokens": self.rng.randint(30, 700)}
        last["cached_input_tokens"] = int(last["input_tokens"] * 0.8)
        last["reasoning_output_tokens"] = self.rng.randint(0, 300)
        last["total_tokens"] = last["input_tokens"] + last["output_tokens"]
        for key in self.totals:
            self.totals[key] += last[key]
        self.emit(
            "event_msg",
            {
                "type": "token_count",
                "info": {
                    "total_token_usage": dict(self.totals),
                    "last_token_usage": last,
                    "model_context_window": 272000,
                },
                "rate_limits": {
                    "primary": {"used_percent": 12.0, "window_minutes": 299, "resets_in_seconds": 9000},
                    "secondary": {"used_percent": 31.0, "window_minutes": 10079, "resets_in_seconds": 300000},
                },
            },
        )

    def prompt(self, text: str, *, bug_report: bool = False) -> None:
        self.tick(20, 90)
        self.emit(
            "response_item", {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
        )
        self.emit("event_msg", {"type": "user_message", "message": text, "kind": "plain"})
        self.emit(
            "turn_context",
            {
                "cwd": self.cwd,
                "approval_policy": "on-request",
                "sandbox_policy": {"mode": "workspace-write"},
                "model": self.model,
                "summary": "auto",
            },
        )
        if bug_report and self.feature is not None:
            self.feature.add(self.now, "bug_report")

    def say(self, text: str, *labels: tuple[str, str]) -> None:
        self.tick(3, 12)
        self.emit("event_msg", {"type": "agent_reasoning", "text": "**Reading the failure**"})
        self.emit(
            "response_item",
            {
                "type": "reasoning",
                "summary": [{"type": "summary_text", "text": "**Reading the failure**"}],
                "content": None,
                "encrypted_content": "gAAAAB" + hashlib.sha1(text.encode()).hexdigest() * 4,
            },
        )
        self.emit("event_msg", {"type": "agent_message", "message": text})
        self.emit(
            "response_item",
            {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]},
        )
        record_labels(self.truth, self.session_id, "codex", text, labels)

    def _call_id(self) -> str:
        self.calls += 1
        return "call_" + hashlib.sha1(f"{self.session_id}{self.calls}".encode()).hexdigest()[:24]

    def run(
        self,
        command: str,
        output: str,
        code: int = 0,
        seconds: float = 1.5,
        *,
        verify: bool = False,
        style: str | None = None,
    ) -> None:
        style = style or self.style
        self.tick(1, 4)
        call_id = self._call_id()
        if style == "exec":
            args = {"cmd": command, "workdir": self.cwd, "yield_time_ms": 10000, "max_output_tokens": 6000}
            self.emit(
                "response_item",
                {"type": "function_call", "name": "exec_command", "arguments": json.dumps(args), "call_id": call_id},
            )
            self.token_count()
            self.wait(seconds)
            chunk = hashlib.sha1(f"{call_id}chunk".encode()).hexdigest()[:6]
            text = (
                f"Chunk ID: {chunk}\nWall time: {seconds:.4f} seconds\nProcess exited with code "
                f"{code}\nOriginal token count: {max(len(output) // 4, 1)}\nOutput:\n{output}"
            )
            self.emit("response_item", {"type": "function_call_output", "call_id": call_id, "output": text})
        else:
            args = {"command": ["bash", "-lc", command], "workdir": self.cwd}
            self.emit(
                "response_item",
                {"type": "function_call", "name": "shell", "arguments": json.dumps(args), "call_id": call_id},
            )
            self.token_count()
            self.wait(seconds)
            self.emit(
                "response_item",
                {
                    "type": "function_call_output",
                    "call_id": call_id,
                    "output": json.dumps(
                        {"output": output, "metadata": {"exit_code": code, "duration_seconds": round(seconds, 1)}}
                    ),
                },
            )
        if verify and self.feature is not None:
            self.feature.add(self.now, "verify_fail" if code else "verify_pass")

    def patch(self, rel: str, old: str | None, new: str) -> None:
        """apply_patch one file: replace `old` by `new`, or add the file when `old` is None."""
        self.tick(2, 6)
        call_id = self._call_id()
        path = self.repo.abs(rel)
        if old is None:
            before, after = "", new
            body = "".join(f"+{line}\n" for line in new.splitlines())
            text = f"*** Begin Patch\n*** Add File: {rel}\n{body}*** End Patch"
            letter = "A"
        else:
            before, after = self.repo.replace(rel, old, new)
            diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1))
            body = ""
            for line in diff[2:]:
                body += "@@\n" if line.startswith("@@") else f"{line}\n"
            text = f"*** Begin Patch\n*** Update File: {rel}\n{body}*** End Patch"
            letter = "M"
        self.repo.files[path] = after
        self.emit(
            "response_item",
            {
                "type": "custom_tool_call",
                "status": "completed",
                "call_id": call_id,
                "name": "apply_patch",
                "input": text,
            },
        )
        self.wait(0.2)
        self.emit(
            "response_item",
            {
                "type": "custom_tool_call_output",
                "call_id": call_id,
                "output": json.dumps(
                    {
                        "output": f"Success. Updated the following files:\n{letter} {rel}\n",
                        "metadata": {"exit_code": 0, "duration_seconds": 0.0},
                    }
                ),
            },
        )
        self.token_count()
        if self.feature is not None:
            self.feature.add(self.now, "edit", added_lines(before, after))

    def save(self, out: Path) -> Path:
        day = self.start.strftime("%Y/%m/%d")
        name = f"rollout-{self.start.strftime('%Y-%m-%dT%H-%M-%S')}-{self.session_id}.jsonl"
        path = out / "sessions" / self.user / ".codex" / "sessions" / day / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            for line in self.lines:
                fh.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.truth.sessions.append(
            {"session_id": self.session_id, "agent": "codex", "user": self.user, "cwd": self.cwd, "branch": self.branch}
        )
        return path


def record_labels(truth: Truth, session_id: str, agent: str, text: str, labels: tuple[tuple[str, str], ...]) -> None:
    for sentence, verdict in labels:
        if sentence not in text:
            raise ValueError(f"labelled sentence not in the message: {sentence!r}")
        if verdict not in ("exotic", "legit", "mundane"):
            raise ValueError(verdict)
        truth.explanations.append({"session_id": session_id, "agent": agent, "sentence": sentence, "label": verdict})


EX, LEGIT, MUNDANE = "exotic", "legit", "mundane"


def spiral(truth: Truth, session, site: str, values: list[float], outcome: str, note: str) -> None:
    truth.spirals.append(
        {
            "session_id": session.session_id,
            "user": session.user,
            "site": site,
            "values_s": values,
            "outcome": outcome,
            "note": note,
        }
    )


def not_spiral(truth: Truth, session, note: str) -> None:
    truth.non_spirals.append({"session_id": session.session_id, "user": session.user, "note": note})


# ---------------------------------------------------------------------------------------------
# alice: Python invoicing service and a Node dashboard

INVOICER = "/home/alice/src/invoicer"
INVOICER_URL = "git@github.com:alice-labs/invoicer.git"

RENDER_PY = '''"""Render invoices to PDF, one worker thread per page section."""

import queue
import threading

from invoicer.layout import paginate
from invoicer.pdf import PdfWriter


def render_invoice(invoice, path):
    sections = paginate(invoice)
    pages: queue.Queue = queue.Queue()
    workers = [
        threading.Thread(target=_render_section, args=(section, pages), daemon=True)
        for section in sections
    ]
    for worker in workers:
        worker.start()
    writer = PdfWriter(path)
    for _ in sections:
        page = pages.get()
        writer.add(page)
    return writer.close()


def _render_section(section, pages):
    if not section.lines:
        return
    pages.put(section.render())
'''

TEST_RENDER_PY = """import pytest

from invoicer.render import render_invoice
from tests.factories import make_invoice


@pytest.mark.timeout(30)
def test_render_large_invoice(tmp_path):
    invoice = make_invoice(lines=2_000)
    out = render_invoice(invoice, tmp_path / "big.pdf")
    assert out.stat().st_size > 0
"""


def pytest_render_timeout(limit: int) -> str:
    return f"""============================= test session starts ==============================
platform linux -- Python 3.12.4, pytest-8.3.2, pluggy-1.5.0
rootdir: /home/alice/src/invoicer
configfile: pyproject.toml
plugins: timeout-2.3.1
collected 1 item

tests/test_render.py F                                                   [100%]

=================================== FAILURES ===================================
__________________________ test_render_large_invoice ___________________________

tmp_path = PosixPath('/tmp/pytest-of-alice/pytest-41/test_render_large_invoice0')

    @pytest.mark.timeout({limit})
    def test_render_large_invoice(tmp_path):
        invoice = make_invoice(lines=2_000)
>       out = render_invoice(invoice, tmp_path / "big.pdf")

tests/test_render.py:10:
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _
invoicer/render.py:21: in render_invoice
    page = pages.get()
/usr/lib/python3.12/queue.py:171: in get
    self.not_empty.wait()
/usr/lib/python3.12/threading.py:355: in wait
    waiter.acquire()
E   Failed: Timeout >{limit}.0s
=========================== short test summary info ============================
FAILED tests/test_render.py::test_render_large_invoice - Failed: Timeout >{limit}.0s
============================== 1 failed in {limit + 0.41:.2f}s ==============================="""


def session_alice_render_timeout(truth: Truth, out: Path) -> None:
    """pytest-timeout marker raised 30 -> 60 -> 120 -> 300 after each failing run; never passes."""
    repo = Repo(INVOICER, {"invoicer/render.py": RENDER_PY, "tests/test_render.py": TEST_RENDER_PY})
    s = Claude(truth, "alice", repo, "feature/pdf-render", at(3, 9, 12))
    s.prompt("test_render_large_invoice keeps timing out on my branch. Can you get it green?")
    s.say("I'll run the test on its own first.")
    cmd = "python -m pytest tests/test_render.py -x -q"
    s.bash(cmd, pytest_render_timeout(30), 1, 31.2, description="Run the render test")
    s.say(
        "Rendering 2,000 lines is heavy, and the container runtime is probably throttling our CPU "
        "quota. I'll give the test more time.",
        ("Rendering 2,000 lines is heavy, and the container runtime is probably throttling our CPU quota.", EX),
    )
    s.edit("tests/test_render.py", "@pytest.mark.timeout(30)", "@pytest.mark.timeout(60)")
    s.bash(cmd, pytest_render_timeout(60), 1, 61.0, description="Run the render test")
    s.say(
        "Probably just a hiccup in the container runtime again; one more bump should cover it.",
        ("Probably just a hiccup in the container runtime again; one more bump should cover it.", EX),
    )
    s.edit("tests/test_render.py", "@pytest.mark.timeout(60)", "@pytest.mark.timeout(120)")
    s.bash(cmd, pytest_render_timeout(120), 1, 121.3, description="Run the render test", timeout_ms=300000)
    s.say("Still over the limit. I'll raise it to 300 s to see whether it finishes at all.")
    s.edit("tests/test_render.py", "@pytest.mark.timeout(120)", "@pytest.mark.timeout(300)")
    s.bash(cmd, pytest_render_timeout(300), 1, 301.0, description="Run the render test", timeout_ms=600000)
    s.say(
        "The stack dump shows the main thread blocked in `pages.get()`: `_render_section` returns "
        "without putting a page when a section is empty, so `render_invoice` waits for a page that "
        "never arrives. That is a logic bug in `render.py`, not slowness.",
        (
            "The stack dump shows the main thread blocked in `pages.get()`: `_render_section` returns "
            "without putting a page when a section is empty, so `render_invoice` waits for a page that "
            "never arrives.",
            MUNDANE,
        ),
    )
    s.prompt("OK, stop here, I'll pick it up tomorrow.")
    s.say(
        "Understood. The marker is at 300 s now; the real fix is to put a placeholder page (or "
        "count only non-empty sections) in `render.py`."
    )
    s.save(out)
    spiral(
        truth,
        s,
        "tests/test_render.py @pytest.mark.timeout",
        [30, 60, 120, 300],
        "unresolved",
        "pytest-timeout marker raised after each failing run, session ends failing",
    )


WAIT_FOR_APP_JS = """// Wait for the dev server's first render before a spec navigates.
export async function waitForApp(page) {
  await page.waitForLoadState('domcontentloaded');
  await new Promise((r) => setTimeout(r, 500));
}
"""

LOGIN_SPEC_JS = """import { waitForApp } from './helpers/waitForApp';

jest.setTimeout(20000);

describe('login', () => {
  it('redirects to the dashboard after sign-in', async () => {
    await page.goto('http://localhost:3000/login');
    await page.fill('#email', 'demo@acme.dev');
    await page.fill('#password', 'correct-horse');
    await page.click('button[type=submit]');
    await waitForApp(page);
    expect(new URL(page.url()).pathname).toBe('/dashboard');
  });
});
"""


def jest_login(ok: bool, ms: int) -> str:
    if ok:
        return f"""PASS tests/login.spec.js ({ms / 1000 + 2.1:.3f} s)
  login
    \u2713 redirects to the dashboard after sign-in ({ms + 412} ms)

Test Suites: 1 passed, 1 total
Tests:       1 passed, 1 total
Snapshots:   0 total
Time:        {ms / 1000 + 2.4:.3f} s
Ran all test suites matching /tests\\/login.spec.js/i."""
    return f"""FAIL tests/login.spec.js ({ms / 1000 + 2.1:.3f} s)
  login
    \u2715 redirects to the dashboard after sign-in ({ms + 388} ms)

  \u25cf login \u203a redirects to the dashboard after sign-in

    expect(received).toBe(expected) // Object.is equality

    Expected: "/dashboard"
    Received: "/login"

      10 |     await page.click('button[type=submit]');
      11 |     await waitForApp(page);
    > 12 |     expect(new URL(page.url()).pathname).toBe('/dashboard');
         |                                          ^
      13 |   }});
      14 | }});

      at Object.toBe (tests/login.spec.js:12:42)

Test Suites: 1 failed, 1 total
Tests:       1 failed, 1 total
Snapshots:   0 total
Time:        {ms / 1000 + 2.4:.3f} s
Ran all test suites matching /tests\\/login.spec.js/i."""


def session_alice_settle_delay(truth: Truth, out: Path) -> None:
    """setTimeout settle delay in a test helper, in milliseconds: 500 -> 1000 -> 3000 -> 8_000,
    passes after the last raise without any other change."""
    repo = Repo(
        "/home/alice/src/web-dashboard",
        {"tests/helpers/waitForApp.js": WAIT_FOR_APP_JS, "tests/login.spec.js": LOGIN_SPEC_JS},
    )
    s = Claude(truth, "alice", repo, "fix/login-redirect", at(8, 14, 3), model="claude-opus-4-6", version="2.1.12")
    s.prompt("the login spec fails locally about half the time, have a look")
    cmd = "npx jest tests/login.spec.js"
    s.bash(cmd, jest_login(False, 500), 1, 4.9, description="Run the login spec")
    s.say(
        "The redirect hasn't landed yet when we read the URL. I suspect Chromium's timer "
        "throttling in headless mode is delaying our callback. Let me lengthen the settle delay.",
        ("I suspect Chromium's timer throttling in headless mode is delaying our callback.", EX),
    )
    s.edit("tests/helpers/waitForApp.js", "setTimeout(r, 500)", "setTimeout(r, 1000)")
    s.bash(cmd, jest_login(False, 1000), 1, 5.6, description="Run the login spec")
    s.say(
        "Still on /login. The DNS resolver on this machine is probably slow to resolve localhost, "
        "which delays the POST.",
        ("The DNS resolver on this machine is probably slow to resolve localhost, which delays the POST.", EX),
    )
    s.edit("tests/helpers/waitForApp.js", "setTimeout(r, 1000)", "setTimeout(r, 3000)")
    s.bash(cmd, jest_login(False, 3000), 1, 7.4, description="Run the login spec")
    s.say("Bumping the settle delay once more.")
    s.edit("tests/helpers/waitForApp.js", "setTimeout(r, 3000)", "setTimeout(r, 8_000)")
    s.bash(cmd, jest_login(True, 8000), 0, 12.3, description="Run the login spec")
    s.say("The login spec passes now with an 8 s settle delay in `waitForApp`.")
    s.save(out)
    spiral(
        truth,
        s,
        "tests/helpers/waitForApp.js setTimeout",
        [0.5, 1, 3, 8],
        "masked",
        "JavaScript milliseconds, numeric separator in the last value",
    )


def session_alice_health_loop(truth: Truth, out: Path) -> None:
    """`timeout N sh -c 'until curl …; do sleep 1; done' && pytest` with N = 30, 60, 180, 600;
    the API listened on another port, fixed in docker-compose.yml before the pass."""
    compose = """services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: invoicer
  api:
    build: .
    depends_on: [db]
    ports:
      - "8080:8080"
    environment:
      DATABASE_URL: postgresql://postgres:invoicer@db/invoicer
"""
    repo = Repo(INVOICER, {"docker-compose.yml": compose})
    s = Codex(truth, "alice", repo, "feature/e2e-compose", INVOICER_URL, at(10, 13, 40))
    s.prompt("Wire the e2e tests to run against docker compose: bring up api+db, wait for /health, then run tests/e2e.")
    s.run(
        "docker compose up -d api db",
        "[+] Running 2/2\n \u2714 Container invoicer-db-1   Started\n \u2714 Container invoicer-api-1  Started",
        0,
        3.8,
    )

    def loop(n: int) -> str:
        return f"timeout {n} sh -c 'until curl -sf localhost:8080/health; do sleep 1; done' && pytest tests/e2e -q"

    s.run(loop(30), "", 124, 30.0, verify=True)
    s.say(
        "The health check never answered within 30 s. Docker Desktop's VM is probably starved for "
        "CPU, so the API boots slowly; I'll widen the window.",
        ("Docker Desktop's VM is probably starved for CPU, so the API boots slowly; I'll widen the window.", EX),
    )
    s.run(loop(60), "", 124, 60.0, verify=True)
    s.say(
        "Still nothing. There may be packet loss on the Docker bridge network between the host and the container.",
        ("There may be packet loss on the Docker bridge network between the host and the container.", EX),
    )
    s.run(loop(180), "", 124, 180.0, verify=True)
    s.say("No healthy response after three minutes either; one longer attempt before digging in.")
    s.run(loop(600), "", 124, 600.0, verify=True)
    s.run(
        "docker compose logs --tail=5 api",
        "invoicer-api-1  | INFO:     Started server process [1]\n"
        "invoicer-api-1  | INFO:     Waiting for application startup.\n"
        "invoicer-api-1  | INFO:     Application startup complete.\n"
        "invoicer-api-1  | INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)",
        0,
        0.6,
    )
    s.say(
        "The API listens on 8000 inside the container, but docker-compose.yml maps `8080:8080`, so "
        "nothing ever answers on the host port. Fixing the mapping.",
        (
            "The API listens on 8000 inside the container, but docker-compose.yml maps `8080:8080`, so "
            "nothing ever answers on the host port.",
            MUNDANE,
        ),
    )
    s.patch("docker-compose.yml", '      - "8080:8080"\n', '      - "8080:8000"\n')
    s.run(
        "docker compose up -d api && " + loop(600),
        "[+] Running 1/1\n \u2714 Container invoicer-api-1  Started\n"
        '{"status":"ok"}......                                                   [100%]\n'
        "6 passed in 4.87s",
        0,
        9.2,
        verify=True,
    )
    s.say("Green: the compose port mapping was wrong; the e2e suite passes against the stack.")
    s.save(out)
    spiral(
        truth,
        s,
        "shell: timeout N sh -c 'until curl … health'",
        [30, 60, 180, 600],
        "fixed_by_logic",
        "shell timeout wrapping a health-check loop; the constant `sleep 1` is a poll interval, not the spiral",
    )


# ---------------------------------------------------------------------------------------------
# bob: Go data pipeline and Kubernetes charts

PIPELINE = "/home/bob/go/src/github.com/bob/pipeline"

FETCHER_GO = """package fetch

import (
	"context"
	"net/http"
	"sync"
)

// FetchAll downloads every page with n workers and returns them in completion order.
func FetchAll(ctx context.Context, client *http.Client, base string, n int) ([]Page, error) {
	jobs := make(chan int)
	results := make(chan Page)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				results <- fetchPage(ctx, client, base, id)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for id := 1; id <= pageCount(ctx, client, base); id++ {
			jobs <- id
		}
	}()

	var pages []Page
	for {
		select {
		case p, ok := <-results:
			if !ok {
				return pages, nil
			}
			pages = append(pages, p)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
"""

FETCHER_TEST_GO = """package fetch

import (
	"context"
	"testing"
	"time"
)

func TestFetchAllReturnsEveryPage(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	srv := newPageServer(t, 40)
	got, err := FetchAll(ctx, srv.Client(), srv.URL, 8)
	if err != nil {
		t.Fatalf("FetchAll: %v", err)
	}
	if len(got) != 40 {
		t.Fatalf("got %d pages, want 40", len(got))
	}
}
"""


def go_fetch_fail(seconds: int) -> str:
    return f"""--- FAIL: TestFetchAllReturnsEveryPage ({seconds}.00s)
    fetcher_test.go:15: FetchAll: context deadline exceeded
FAIL
FAIL	github.com/bob/pipeline/internal/fetch	{seconds + 0.031:.3f}s
FAIL"""


def session_bob_fetch_deadline(truth: Truth, out: Path) -> None:
    """Go test deadline context.WithTimeout 2s -> 5s -> 15s -> 30s, then the missing
    wg.Wait()/close(results) is added and the test passes."""
    repo = Repo(PIPELINE, {"internal/fetch/fetcher.go": FETCHER_GO, "internal/fetch/fetcher_test.go": FETCHER_TEST_GO})
    s = Claude(truth, "bob", repo, "feature/parallel-fetch", at(4, 16, 20))
    s.prompt("parallel fetch test is failing with deadline exceeded, please fix")
    cmd = "go test -race ./internal/fetch/..."
    s.bash(cmd, go_fetch_fail(2), 1, 4.1, description="Run fetch tests")
    s.say(
        "Looks like the Go runtime's scheduler starved the goroutine that drains the channel, so "
        "2 s isn't enough under -race. Raising the test deadline.",
        (
            "Looks like the Go runtime's scheduler starved the goroutine that drains the channel, so "
            "2 s isn't enough under -race.",
            EX,
        ),
    )
    s.edit("internal/fetch/fetcher_test.go", "2*time.Second", "5 * time.Second")
    s.bash(cmd, go_fetch_fail(5), 1, 7.0, description="Run fetch tests")
    s.say(
        "Garbage-collector pauses in the runtime are probably stretching the fetches; giving it 15 s.",
        ("Garbage-collector pauses in the runtime are probably stretching the fetches; giving it 15 s.", EX),
    )
    s.edit("internal/fetch/fetcher_test.go", "5 * time.Second", "15*time.Second")
    s.bash(cmd, go_fetch_fail(15), 1, 17.2, description="Run fetch tests")
    s.say("Let me try 30 seconds.")
    s.edit("internal/fetch/fetcher_test.go", "15*time.Second", "30*time.Second")
    s.bash(cmd, go_fetch_fail(30), 1, 32.5, description="Run fetch tests")
    s.say(
        "It fails at exactly the deadline whatever the value. `FetchAll` loops until `results` is "
        "closed, but nothing ever closes it because we never wait for the workers with "
        "`wg.Wait()`. Adding the closer goroutine.",
        (
            "`FetchAll` loops until `results` is closed, but nothing ever closes it because we never "
            "wait for the workers with `wg.Wait()`.",
            MUNDANE,
        ),
    )
    s.edit(
        "internal/fetch/fetcher.go",
        "\tgo func() {\n\t\tdefer close(jobs)\n",
        "\tgo func() {\n\t\twg.Wait()\n\t\tclose(results)\n\t}()\n\tgo func() {\n\t\tdefer close(jobs)\n",
    )
    s.bash(cmd, "ok  \tgithub.com/bob/pipeline/internal/fetch\t1.412s", 0, 3.3, description="Run fetch tests")
    s.say("Passing. The deadline is still 30 s; the actual bug was the results channel never being closed.")
    s.save(out)
    spiral(
        truth,
        s,
        "internal/fetch/fetcher_test.go context.WithTimeout",
        [2, 5, 15, 30],
        "fixed_by_logic",
        "Go durations with and without spaces around *",
    )


CHARTS = "/home/bob/deploy/platform-charts"
CHARTS_URL = "https://github.com/bob-co/platform-charts.git"


def session_bob_rollout_status(truth: Truth, out: Path) -> None:
    """kubectl rollout status --timeout 30s -> 2m -> 5m -> 10m, passes on the last try with no
    change (masked); a Docker Hub 429 in `kubectl describe` is the evidenced cause."""
    s = Codex(truth, "bob", Repo(CHARTS), "main", CHARTS_URL, at(11, 10, 5), style="shell", cli_version="0.39.0")
    s.prompt("Roll out search-api 2.14.0 to staging and make sure it's healthy.")
    s.run(
        "helm upgrade --install search-api charts/search-api -n staging -f values/staging.yaml --set image.tag=2.14.0",
        'Release "search-api" has been upgraded. Happy Helming!\nNAME: search-api\n'
        "LAST DEPLOYED: Fri Sep 11 10:07:12 2026\nNAMESPACE: staging\nSTATUS: deployed\nREVISION: 57",
        0,
        6.1,
    )
    waiting = 'Waiting for deployment "search-api" rollout to finish: 1 of 3 updated replicas are available...\n'
    s.run(
        "kubectl rollout status deployment/search-api -n staging --timeout=30s",
        waiting + "error: timed out waiting for the condition",
        1,
        30.2,
    )
    s.say(
        "The control plane on staging seems sluggish today, so the rollout is simply slow. Waiting longer.",
        ("The control plane on staging seems sluggish today, so the rollout is simply slow.", EX),
    )
    s.run(
        "kubectl rollout status deployment/search-api -n staging --timeout=2m",
        waiting + "error: timed out waiting for the condition",
        1,
        120.1,
    )
    s.run(
        "kubectl get pods -n staging -l app=search-api",
        "NAME                          READY   STATUS                  RESTARTS   AGE\n"
        "search-api-7d9c6b8f4-2xkqp    2/2     Running                 0          3d4h\n"
        "search-api-7d9c6b8f4-9wzlm    2/2     Running                 0          3d4h\n"
        "search-api-85f6d7c9b-kq4tn    0/2     Init:ImagePullBackOff   0          2m41s",
        0,
        0.8,
    )
    s.run(
        "kubectl describe pod search-api-85f6d7c9b-kq4tn -n staging | tail -n 6",
        "Events:\n  Type     Reason   Age                 From     Message\n"
        "  ----     ------   ----                ----     -------\n"
        '  Normal   Pulling  64s (x4 over 2m40s)  kubelet  Pulling image "redis:7.2-alpine"\n'
        '  Warning  Failed   63s (x4 over 2m39s)  kubelet  Failed to pull image "redis:7.2-alpine": '
        'failed to pull and unpack image "docker.io/library/redis:7.2-alpine": unexpected status '
        "from GET request to https://registry-1.docker.io/v2/library/redis/manifests/7.2-alpine: "
        "429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate "
        "limit.\n"
        "  Warning  Failed   63s (x4 over 2m39s)  kubelet  Error: ImagePullBackOff",
        0,
        0.9,
    )
    s.say(
        "Docker Hub is rate-limiting our anonymous pulls (429 Too Many Requests), so the redis "
        "sidecar image can't be pulled and the new pod never becomes ready. The limit resets on "
        "its own; I'll wait on the rollout longer.",
        (
            "Docker Hub is rate-limiting our anonymous pulls (429 Too Many Requests), so the redis "
            "sidecar image can't be pulled and the new pod never becomes ready.",
            LEGIT,
        ),
    )
    s.run(
        "kubectl rollout status deployment/search-api -n staging --timeout=5m",
        waiting + "error: timed out waiting for the condition",
        1,
        300.3,
    )
    s.say(
        "Still waiting on the same pod. It's an eventual-consistency quirk in the cloud's load "
        "balancer that keeps the new endpoints out of rotation.",
        (
            "It's an eventual-consistency quirk in the cloud's load balancer that keeps the new "
            "endpoints out of rotation.",
            EX,
        ),
    )
    s.run(
        "kubectl rollout status deployment/search-api -n staging --timeout=10m",
        waiting + 'Waiting for deployment "search-api" rollout to finish: 2 of 3 updated replicas '
        'are available...\ndeployment "search-api" successfully rolled out',
        0,
        412.6,
    )
    s.say("search-api 2.14.0 is rolled out on staging (3/3 ready).")
    s.save(out)
    spiral(
        truth,
        s,
        "shell: kubectl rollout status --timeout",
        [30, 120, 300, 600],
        "masked",
        "durations 30s/2m/5m/10m; passes after only the wait changed",
    )


DEPLOYMENT_YAML = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger-api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ledger-api
  template:
    metadata:
      labels:
        app: ledger-api
    spec:
      containers:
        - name: api
          image: ghcr.io/bob-co/ledger-api:{{ .Values.image.tag }}
          ports:
            - name: http
              containerPort: 9090
          readinessProbe:
            httpGet:
              path: /ready
              port: 8080
            initialDelaySeconds: 5
            periodSeconds: 5
            failureThreshold: 3
"""


def e2e_output(ok: bool) -> str:
    head = "helm upgrade --install ledger-api charts/ledger-api -n e2e --wait --timeout 3m --set image.tag=dev\n"
    if ok:
        return (
            head + 'Release "ledger-api" has been upgraded. Happy Helming!\n'
            "go test ./e2e/... -run TestLedgerAPI\nok  \tgithub.com/bob-co/platform-charts/e2e\t14.207s"
        )
    return head + "Error: UPGRADE FAILED: context deadline exceeded\nmake: *** [Makefile:41: test-e2e] Error 1"


def session_bob_probe_delay(truth: Truth, out: Path) -> None:
    """readinessProbe initialDelaySeconds 5 -> 15 -> 45 -> 120 via apply_patch after failing
    `make test-e2e`; the probe port was wrong, fixed in the same file before the pass."""
    repo = Repo(CHARTS, {"charts/ledger-api/templates/deployment.yaml": DEPLOYMENT_YAML})
    s = Codex(
        truth,
        "bob",
        repo,
        "feature/probe-tuning",
        CHARTS_URL,
        at(14, 9, 30),
        model="gpt-5.1-codex",
        cli_version="0.58.0",
    )
    s.prompt("ledger-api never becomes ready in the kind e2e env. Tune the readiness probe so make test-e2e passes.")
    yaml_path = "charts/ledger-api/templates/deployment.yaml"
    cmd = "make test-e2e CHART=ledger-api"
    s.run(cmd, e2e_output(False), 2, 183.0, verify=True)
    s.say(
        "The kind node is probably short on memory, which slows the pod start. Giving the probe a "
        "longer initial delay.",
        ("The kind node is probably short on memory, which slows the pod start.", EX),
    )
    s.patch(yaml_path, "initialDelaySeconds: 5\n", "initialDelaySeconds: 15\n")
    s.run(cmd, e2e_output(False), 2, 182.4, verify=True)
    s.run(
        "kubectl -n e2e describe pod -l app=ledger-api | tail -n 3",
        "  Normal   Started    58s                kubelet  Started container api\n"
        "  Warning  Unhealthy  12s (x9 over 52s)  kubelet  Readiness probe failed: Get "
        '"http://10.244.0.17:8080/ready": dial tcp 10.244.0.17:8080: connect: connection refused',
        0,
        0.7,
    )
    s.say("Raising the initial delay again.")
    s.patch(yaml_path, "initialDelaySeconds: 15\n", "initialDelaySeconds: 45\n")
    s.run(cmd, e2e_output(False), 2, 181.9, verify=True)
    s.patch(yaml_path, "initialDelaySeconds: 45\n", "initialDelaySeconds: 120\n")
    s.run(cmd, e2e_output(False), 2, 182.8, verify=True)
    s.say(
        "It isn't the kube-apiserver or the node: the probe targets port 8080 while the container "
        "listens on 9090, so every probe is refused. Pointing the probe at the named port.",
        (
            "It isn't the kube-apiserver or the node: the probe targets port 8080 while the container "
            "listens on 9090, so every probe is refused.",
            MUNDANE,
        ),
    )
    s.patch(yaml_path, "              port: 8080\n", "              port: http\n")
    s.run(cmd, e2e_output(True), 0, 71.5, verify=True)
    s.say("make test-e2e passes: the readiness probe now targets the container's `http` port.")
    s.save(out)
    spiral(
        truth,
        s,
        "charts/ledger-api/templates/deployment.yaml initialDelaySeconds",
        [5, 15, 45, 120],
        "fixed_by_logic",
        "YAML probe delay via apply_patch; logic fix in the same file",
    )


# ---------------------------------------------------------------------------------------------
# chen: Java ledger core, a Python rates feed

LEDGER_CORE = "/home/chen/work/ledger-core"
LEDGER_CORE_URL = "git@github.com:acme/ledger-core.git"

SETTLEMENT_TEST_JAVA = """package com.acme.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SettlementServiceTest {
    private final InMemoryTransferRepository repository = new InMemoryTransferRepository();
    private final SettlementService service = new SettlementService(repository, Executors.newSingleThreadExecutor());

    @Test
    void settlesPendingTransfersAsynchronously() throws Exception {
        service.submit(transfer("acc-1", "acc-2", 125_00));
        Thread.sleep(200);
        assertThat(repository.findPending()).isEmpty();
    }
}
"""


def gradle_settlement(ok: bool) -> str:
    if ok:
        return (
            "> Task :compileJava UP-TO-DATE\n> Task :compileTestJava\n> Task :test\n\n"
            "BUILD SUCCESSFUL in 14s\n4 actionable tasks: 2 executed, 2 up-to-date"
        )
    return """> Task :compileJava UP-TO-DATE
> Task :compileTestJava
> Task :test FAILED

SettlementServiceTest > settlesPendingTransfersAsynchronously() FAILED
    java.lang.AssertionError:
    Expecting empty but was: [Transfer[id=t-1, from=acc-1, to=acc-2, amountCents=12500, status=PENDING]]
        at com.acme.ledger.SettlementServiceTest.settlesPendingTransfersAsynchronously(SettlementServiceTest.java:15)

1 test completed, 1 failed

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':test'.
> There were failing tests. See the report at: file:///home/chen/work/ledger-core/build/reports/tests/test/index.html

BUILD FAILED in 9s"""


def session_chen_thread_sleep(truth: Truth, out: Path) -> None:
    """JUnit Thread.sleep in milliseconds 200 -> 500 -> 1500 -> 5_000, passes (masked)."""
    repo = Repo(LEDGER_CORE, {"src/test/java/com/acme/ledger/SettlementServiceTest.java": SETTLEMENT_TEST_JAVA})
    s = Claude(truth, "chen", repo, "feature/async-settlement", at(7, 11, 0))
    s.prompt("SettlementServiceTest is red after I moved settlement onto an executor. Fix it please.")
    cmd = "./gradlew test --tests '*SettlementServiceTest'"
    test = "src/test/java/com/acme/ledger/SettlementServiceTest.java"
    s.bash(cmd, gradle_settlement(False), 1, 11.4, description="Run SettlementServiceTest")
    s.say(
        "The transfer is still pending when we assert. The JVM's JIT hasn't warmed up on the first "
        "run, so the executor is slow to pick up the task. A longer pause should cover it.",
        ("The JVM's JIT hasn't warmed up on the first run, so the executor is slow to pick up the task.", EX),
    )
    s.edit(test, "Thread.sleep(200);", "Thread.sleep(500);")
    s.bash(cmd, gradle_settlement(False), 1, 10.9, description="Run SettlementServiceTest")
    s.say(
        "The laptop is probably thermal-throttling under the Gradle daemon, so everything runs slower than usual.",
        (
            "The laptop is probably thermal-throttling under the Gradle daemon, so everything runs slower than usual.",
            EX,
        ),
    )
    s.edit(test, "Thread.sleep(500);", "Thread.sleep(1500);")
    s.bash(cmd, gradle_settlement(False), 1, 12.2, description="Run SettlementServiceTest")
    s.edit(test, "Thread.sleep(1500);", "Thread.sleep(5_000);")
    s.bash(cmd, gradle_settlement(True), 0, 16.8, description="Run SettlementServiceTest")
    s.say("SettlementServiceTest passes with a 5 s pause before the assertion.")
    s.save(out)
    spiral(truth, s, f"{test} Thread.sleep", [0.2, 0.5, 1.5, 5], "masked", "Java milliseconds with a numeric separator")


def pytest_sync_timeout(limit: int) -> str:
    return f"""============================= test session starts ==============================
platform darwin -- Python 3.11.9, pytest-8.2.0, pluggy-1.5.0
rootdir: /Users/chen/work/rates-feed
plugins: timeout-2.3.1, anyio-4.4.0
timeout: {limit}.0s
timeout method: signal
collected 3 items

tests/test_sync.py ..F                                                   [100%]

=================================== FAILURES ===================================
___________________________ test_sync_rates_twice ____________________________

    def test_sync_rates_twice(store, fake_feed):
        sync_rates(store, fake_feed)
>       sync_rates(store, fake_feed)

tests/test_sync.py:31:
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _
rates_feed/sync.py:44: in sync_rates
    with store.lock:
E   Failed: Timeout (>{limit}.0s) from pytest-timeout.
=========================== short test summary info ============================
FAILED tests/test_sync.py::test_sync_rates_twice - Failed: Timeout (>{limit}.0s) from pytest-timeout.
========================= 1 failed, 2 passed in {limit + 1.37:.2f}s ========================="""


def session_chen_sync_timeout(truth: Truth, out: Path) -> None:
    """pytest --timeout on the command line 60 -> 300 -> 900 -> 1800, an unrelated code edit,
    still failing at the end (unresolved)."""
    sync_py = """import threading


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.rates = {}


def sync_rates(store, feed):
    store.lock.acquire()
    for pair, rate in feed.latest().items():
        store.rates[pair] = rate
"""
    repo = Repo("/Users/chen/work/rates-feed", {"rates_feed/sync.py": sync_py})
    s = Codex(
        truth,
        "chen",
        repo,
        "fix/sync-hang",
        "git@github.com:acme/rates-feed.git",
        at(16, 8, 45),
        style="shell",
        model="gpt-5-codex",
    )
    s.prompt("tests/test_sync.py hangs in CI. Make it pass.")

    def cmd(n: int) -> str:
        return f"uv run pytest tests/test_sync.py --timeout={n} -q"

    s.run(cmd(60), pytest_sync_timeout(60), 1, 62.0, verify=True)
    s.say(
        "The second sync stalls. The upstream rates API is probably slow this morning, so the "
        "fixture fetch takes longer than a minute.",
        ("The upstream rates API is probably slow this morning, so the fixture fetch takes longer than a minute.", EX),
    )
    s.run(cmd(300), pytest_sync_timeout(300), 1, 302.0, verify=True)
    s.say(
        "An eventual-consistency delay in the cloud object store could be holding back the fixture "
        "upload. Trying a much larger budget.",
        ("An eventual-consistency delay in the cloud object store could be holding back the fixture upload.", EX),
    )
    s.run(cmd(900), pytest_sync_timeout(900), 1, 902.0, verify=True)
    s.run(cmd(1800), pytest_sync_timeout(1800), 1, 1802.0, verify=True)
    s.say("Let me make the store writes atomic while I look at this.")
    s.patch(
        "rates_feed/sync.py",
        "        store.rates[pair] = rate\n",
        "        store.rates = {**store.rates, pair: rate}\n",
    )
    s.run(cmd(1800), pytest_sync_timeout(1800), 1, 1802.0, verify=True)
    s.say(
        "I couldn't get the sync test to finish. The traceback always stops at `with store.lock`: "
        "`sync_rates` acquires the lock and never releases it, so the second call blocks forever.",
        ("`sync_rates` acquires the lock and never releases it, so the second call blocks forever.", MUNDANE),
    )
    s.save(out)
    spiral(
        truth,
        s,
        "shell: pytest --timeout",
        [60, 300, 900, 1800],
        "unresolved",
        "timeout flag on the verification command itself; a non-fixing code edit before the last failing run",
    )


# ---------------------------------------------------------------------------------------------
# Sessions that are NOT spirals

WEBHOOKS_PY = '''"""Deliver signed webhooks for paid invoices."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass

import requests

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Invoicer-Signature"
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Delivery:
    url: str
    status: int
    attempts: int


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload_for(invoice) -> dict:
    return {
        "event": "invoice.paid",
        "invoice_id": invoice.id,
        "customer_id": invoice.customer_id,
        "amount_cents": invoice.total_cents,
        "currency": invoice.currency,
        "paid_at": invoice.paid_at.isoformat(),
    }


def deliver(invoice, url: str, secret: str) -> Delivery:
    payload = payload_for(invoice)
    signature = sign(secret, repr(payload).encode())
    headers = {SIGNATURE_HEADER: signature, "Content-Type": "application/json"}
    attempt = 0
    while True:
        attempt += 1
        try:
            response = requests.post(url, json=payload, headers=headers)
        except requests.Timeout:
            if attempt >= MAX_ATTEMPTS:
                raise
            log.warning("webhook to %s timed out (attempt %d)", url, attempt)
            continue
        if response.status_code >= 500 and attempt < MAX_ATTEMPTS:
            log.warning("webhook to %s got %d (attempt %d)", url, response.status_code, attempt)
            continue
        return Delivery(url=url, status=response.status_code, attempts=attempt)


def deliver_all(invoices, endpoints, secret: str) -> list[Delivery]:
    deliveries = []
    for invoice in invoices:
        url = endpoints.get(invoice.customer_id)
        if url is None:
            log.info("customer %s has no webhook endpoint", invoice.customer_id)
            continue
        deliveries.append(deliver(invoice, url, secret))
    return deliveries
'''

TEST_WEBHOOKS_PY = '''import hashlib
import hmac
import json
from datetime import datetime, timezone

import pytest
import requests

from invoicer import webhooks
from tests.factories import make_invoice

SECRET = "whsec_test"


class Recorder:
    """Stands in for requests.post: records calls, answers from a script."""

    def __init__(self, responses):
        self.responses = list(responses)
        self.calls = []

    def __call__(self, url, **kwargs):
        self.calls.append((url, kwargs))
        outcome = self.responses.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        response = requests.Response()
        response.status_code = outcome
        return response


@pytest.fixture
def invoice():
    return make_invoice(total_cents=12_500, currency="EUR",
                        paid_at=datetime(2026, 9, 15, 12, 0, tzinfo=timezone.utc))


def test_signature_matches_body(monkeypatch, invoice):
    recorder = Recorder([200])
    monkeypatch.setattr(webhooks.requests, "post", recorder)
    webhooks.deliver(invoice, "http://localhost:9000/hook", SECRET)
    _, kwargs = recorder.calls[0]
    body = json.dumps(kwargs["json"], separators=(",", ":"), sort_keys=True).encode()
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert kwargs["headers"][webhooks.SIGNATURE_HEADER] == expected


def test_retries_on_connection_error(monkeypatch, invoice):
    recorder = Recorder([requests.ConnectionError("refused"), 502, 200])
    monkeypatch.setattr(webhooks.requests, "post", recorder)
    monkeypatch.setattr(webhooks.time, "sleep", lambda seconds: None)
    delivery = webhooks.deliver(invoice, "http://localhost:9000/hook", SECRET)
    assert delivery.attempts == 3
    assert delivery.status == 200


def test_deliver_all_skips_customers_without_endpoint(monkeypatch, invoice):
    monkeypatch.setattr(webhooks.requests, "post", Recorder([200]))
    deliveries = webhooks.deliver_all([invoice], {}, SECRET, max_attempts=2)
    assert deliveries == []
'''

CI_YML = """name: ci
on: [push, pull_request]
jobs:
  unit:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install -e '.[test]'
      - run: python -m pytest -q
"""


def pytest_webhooks(failures: list[tuple[str, str]], passed: int) -> str:
    if not failures:
        return f"{'.' * passed}{' ' * (72 - passed)}[100%]\n{passed} passed in 0.21s"
    body = "".join(f"_____ {name} _____\n{detail}\n\n" for name, detail in failures)
    summary = "".join(
        f"FAILED tests/test_webhooks.py::{name} - {detail.splitlines()[-1][4:]}\n" for name, detail in failures
    )
    return (
        f"{'F' * len(failures)}{'.' * passed}{' ' * (72 - len(failures) - passed)}[100%]\n"
        f"=================================== FAILURES ===================================\n"
        f"{body}=========================== short test summary info ============================\n"
        f"{summary}{len(failures)} failed, {passed} passed in 0.34s"
    )


SIG_FAIL = (
    "    def test_signature_matches_body(monkeypatch, invoice):\n"
    '...\n>       assert kwargs["headers"][webhooks.SIGNATURE_HEADER] == expected\n'
    "E       AssertionError: assert '6f1c0e7a59d3…' == 'a83b21f04c9e…'"
)
RETRY_FAIL = (
    "invoicer/webhooks.py:52: in deliver\n    response = requests.post(url, json=payload, "
    "headers=headers, timeout=10)\n"
    "tests/test_webhooks.py:26: in __call__\n    raise outcome\n"
    "E   requests.exceptions.ConnectionError: refused"
)
KWARG_FAIL = (
    ">       deliveries = webhooks.deliver_all([invoice], {}, SECRET, max_attempts=2)\n"
    "E       TypeError: deliver_all() got an unexpected keyword argument 'max_attempts'"
)


def session_alice_webhooks(truth: Truth, out: Path) -> None:
    """Four unrelated waits, each set once right after a failure (shell sleep 2, requests
    timeout=10, pytest marker 30 s, CI timeout-minutes 15): rising across sites, no spiral."""
    repo = Repo(INVOICER, {".github/workflows/ci.yml": CI_YML})
    ledger = truth.feature("invoicer", "feature/webhooks")
    s = Claude(truth, "alice", repo, "feature/webhooks", at(15, 10, 2), feature=ledger)
    s.prompt(
        "Add webhook delivery for paid invoices: POST to the customer's URL with an HMAC "
        "signature of the body, retry a few times on errors. Tests too."
    )
    s.say("I'll add `invoicer/webhooks.py` and its tests.")
    s.write("invoicer/webhooks.py", WEBHOOKS_PY)
    s.write("tests/test_webhooks.py", TEST_WEBHOOKS_PY)
    s.bash(
        "python -m http.server 9000 >/dev/null 2>&1 & sleep 2 && python -m pytest tests/test_webhooks.py -q",
        pytest_webhooks(
            [
                ("test_signature_matches_body", SIG_FAIL),
                ("test_retries_on_connection_error", RETRY_FAIL.replace(", timeout=10", "")),
                ("test_deliver_all_skips_customers_without_endpoint", KWARG_FAIL),
            ],
            0,
        ),
        1,
        4.2,
        description="Run webhook tests against a local receiver",
        verify=True,
    )
    s.say(
        "Three failures. The signature is computed over the dict's `repr` instead of the JSON body "
        "we actually send, so the receiver's HMAC never matches. Fixing that first, and giving the "
        "POST a timeout so a dead receiver can't hang the worker.",
        (
            "The signature is computed over the dict's `repr` instead of the JSON body we actually "
            "send, so the receiver's HMAC never matches.",
            MUNDANE,
        ),
    )
    s.edit(
        "invoicer/webhooks.py",
        "    signature = sign(secret, repr(payload).encode())\n",
        '    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()\n'
        "    signature = sign(secret, body)\n",
    )
    s.edit(
        "invoicer/webhooks.py",
        "            response = requests.post(url, json=payload, headers=headers)\n",
        "            response = requests.post(url, json=payload, headers=headers, timeout=10)\n",
    )
    s.bash(
        "python -m pytest tests/test_webhooks.py -q",
        pytest_webhooks(
            [
                ("test_retries_on_connection_error", RETRY_FAIL),
                ("test_deliver_all_skips_customers_without_endpoint", KWARG_FAIL),
            ],
            1,
        ),
        1,
        1.9,
        description="Run webhook tests",
        verify=True,
    )
    s.say(
        "`deliver` only retries on `requests.Timeout`, so the `ConnectionError` from the first "
        "attempt escapes. I'll retry on connection errors with a backoff, and cap the retry test "
        "with a timeout so a broken backoff can't hang the suite.",
        (
            "`deliver` only retries on `requests.Timeout`, so the `ConnectionError` from the first attempt escapes.",
            MUNDANE,
        ),
    )
    s.edit(
        "tests/test_webhooks.py",
        "def test_retries_on_connection_error(monkeypatch, invoice):\n",
        "@pytest.mark.timeout(30)\ndef test_retries_on_connection_error(monkeypatch, invoice):\n",
    )
    s.edit(
        "invoicer/webhooks.py",
        "        except requests.Timeout:\n            if attempt >= MAX_ATTEMPTS:\n"
        '                raise\n            log.warning("webhook to %s timed out (attempt %d)", '
        "url, attempt)\n            continue\n",
        "        except (requests.Timeout, requests.ConnectionError):\n"
        "            if attempt >= MAX_ATTEMPTS:\n                raise\n"
        '            log.warning("webhook to %s failed (attempt %d)", url, attempt)\n'
        "            time.sleep(2 ** attempt)\n            continue\n",
    )
    s.bash(
        "python -m pytest tests/test_webhooks.py -q",
        pytest_webhooks([("test_deliver_all_skips_customers_without_endpoint", KWARG_FAIL)], 2),
        1,
        1.7,
        description="Run webhook tests",
        verify=True,
    )
    s.say(
        "This isn't a network problem: `deliver_all()` simply doesn't accept `max_attempts` yet, so "
        "the call fails before any request is made. Adding the parameter, and a time cap for the "
        "webhook job in CI while I'm in there.",
        (
            "This isn't a network problem: `deliver_all()` simply doesn't accept `max_attempts` yet, so "
            "the call fails before any request is made.",
            MUNDANE,
        ),
    )
    s.edit(
        "invoicer/webhooks.py",
        "def deliver_all(invoices, endpoints, secret: str) -> list[Delivery]:\n",
        "def deliver_all(invoices, endpoints, secret: str, max_attempts: int = MAX_ATTEMPTS) -> list[Delivery]:\n",
    )
    s.edit(
        ".github/workflows/ci.yml",
        "      - run: python -m pytest -q\n",
        "      - run: python -m pytest -q\n  webhooks:\n    runs-on: ubuntu-24.04\n"
        "    timeout-minutes: 15\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: pip install -e '.[test]' && python -m pytest -q tests/test_webhooks.py\n",
    )
    s.bash(
        "python -m pytest tests/test_webhooks.py -q",
        pytest_webhooks([], 3),
        0,
        1.6,
        description="Run webhook tests",
        verify=True,
    )
    s.say("All three webhook tests pass.")
    s.save(out)
    not_spiral(
        truth,
        s,
        "four different waits (sleep 2, timeout=10, timeout(30), timeout-minutes 15) each set once after a failure",
    )

    s2 = Codex(truth, "alice", repo, "feature/webhooks", INVOICER_URL, at(16, 11, 20), feature=ledger)
    s2.prompt(
        'Bug: receivers using the standard verifier reject our deliveries with "invalid '
        'signature format". The docs promise `X-Invoicer-Signature: sha256=<hex>` but we send '
        "the bare hex digest.",
        bug_report=True,
    )
    s2.patch(
        "invoicer/webhooks.py",
        "    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()\n",
        '    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()\n    return f"sha256={digest}"\n',
    )
    s2.run(
        "python -m pytest tests/test_webhooks.py -q",
        pytest_webhooks(
            [("test_signature_matches_body", SIG_FAIL.replace("'6f1c0e7a59d3…'", "'sha256=a83b21f04c9e…'"))], 2
        ),
        1,
        1.8,
        verify=True,
    )
    s2.say(
        "The signature test still compares against the bare hex digest, so it fails on the new "
        "`sha256=` prefix. Updating the expectation.",
        (
            "The signature test still compares against the bare hex digest, so it fails on the new `sha256=` prefix.",
            MUNDANE,
        ),
    )
    s2.patch(
        "tests/test_webhooks.py",
        "    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()\n",
        '    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()\n',
    )
    s2.run("python -m pytest tests/test_webhooks.py -q", pytest_webhooks([], 3), 0, 1.5, verify=True)
    s2.say("Fixed: signatures are sent as `sha256=<hex>` and the tests pass.")
    s2.save(out)


SMOKE_FAIL = """deployment.apps/web configured
service/web unchanged

> web@3.4.0 test:smoke
> node scripts/smoke.js https://web.staging.acme.dev

\u2714 GET /            200
\u2716 GET /healthz     503 Service Unavailable (upstream connect error or disconnect/reset before headers)
\u2714 GET /login       200
smoke: 1 of 3 checks failed"""


def session_bob_condition_wait(truth: Truth, out: Path) -> None:
    """sleep 5 -> 15 -> 45 after failing smoke tests, then replaced by
    `kubectl wait --for=condition=available --timeout=300s`: a condition wait, not a spiral."""
    s = Codex(truth, "bob", Repo(CHARTS), "feature/web-rollout", CHARTS_URL, at(17, 15, 10))
    s.prompt("Apply the new web manifest to staging and run the smoke tests.")
    s.run("kubectl apply -f k8s/web.yaml && sleep 5 && npm run test:smoke", SMOKE_FAIL, 1, 9.0, verify=True)
    s.say(
        "The new pods weren't ready when the smoke test started, and the old ones were already terminating.",
        ("The new pods weren't ready when the smoke test started, and the old ones were already terminating.", MUNDANE),
    )
    s.run("kubectl apply -f k8s/web.yaml && sleep 15 && npm run test:smoke", SMOKE_FAIL, 1, 19.0, verify=True)
    s.say("Giving the rollout a bit more time.")
    s.run("kubectl apply -f k8s/web.yaml && sleep 45 && npm run test:smoke", SMOKE_FAIL, 1, 49.2, verify=True)
    s.say("Rather than guessing a sleep, I'll wait for the deployment to report Available before the smoke test.")
    s.run(
        "kubectl apply -f k8s/web.yaml && kubectl wait --for=condition=available deployment/web "
        "-n staging --timeout=300s && npm run test:smoke",
        "deployment.apps/web unchanged\nservice/web unchanged\ndeployment.apps/web condition met\n\n"
        "> web@3.4.0 test:smoke\n> node scripts/smoke.js https://web.staging.acme.dev\n\n"
        "\u2714 GET /            200\n\u2714 GET /healthz     200\n\u2714 GET /login       200\n"
        "smoke: 3 of 3 checks passed",
        0,
        71.4,
        verify=True,
    )
    s.say("Smoke tests pass once the deployment is Available.")
    s.save(out)
    not_spiral(truth, s, "sleep raised twice then replaced by a condition wait")


WAIT_FOR_DB_PY = '''"""Block until Postgres accepts connections, or give up after 90 s."""

import socket
import sys
import time

deadline = time.monotonic() + 90
while time.monotonic() < deadline:
    try:
        socket.create_connection(("localhost", 5432), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(10)
sys.exit("database did not come up in 90 s")
'''


def session_chen_poll_interval(truth: Truth, out: Path) -> None:
    """Poll interval shortened 10 -> 5 -> 2 s between failing integration runs; the overall
    90 s deadline never changes."""
    repo = Repo(
        LEDGER_CORE,
        {
            "scripts/wait_for_db.py": WAIT_FOR_DB_PY,
            "src/main/resources/db/migration/V7__settlement_index.sql": "CREATE INDEX settlement_by_account ON settlements (account_id, booked_at);\n",
            "src/main/resources/db/migration/V8__settlement_batches.sql": "CREATE INDEX batch_by_day ON settlement_batches (day);\n"
            "CREATE TABLE settlement_batches (id bigserial PRIMARY KEY, day date NOT NULL);\n",
        },
    )
    s = Claude(truth, "chen", repo, "main", at(18, 10, 15))
    s.prompt("integration tests are red on main, can you look?")
    cmd = "docker compose up -d postgres && python scripts/wait_for_db.py && ./gradlew integrationTest"
    s.bash(
        cmd,
        "[+] Running 1/1\n \u2714 Container ledger-core-postgres-1  Started\n"
        "> Task :integrationTest FAILED\n\nFlywayValidateTest > migratesCleanDatabase() FAILED\n"
        "    org.flywaydb.core.api.exception.FlywayValidateException: Validate failed: Migrations "
        "have failed validation\n    Migration checksum mismatch for migration version 7\n"
        "    -> Applied to database : 1289441630\n    -> Resolved locally    : -1034521199\n\n"
        "BUILD FAILED in 38s",
        1,
        52.0,
        description="Run integration tests",
    )
    s.say(
        "Flyway refuses to start because V7 was edited after it had been applied: the checksum "
        "recorded in the database no longer matches the file. Restoring V7 as applied. Also, the "
        "wait script polls every 10 s, which wastes up to ten seconds per run; 5 s is plenty.",
        (
            "Flyway refuses to start because V7 was edited after it had been applied: the checksum "
            "recorded in the database no longer matches the file.",
            MUNDANE,
        ),
    )
    s.edit("src/main/resources/db/migration/V7__settlement_index.sql", "(account_id, booked_at);", "(account_id);")
    s.edit("scripts/wait_for_db.py", "        time.sleep(10)\n", "        time.sleep(5)\n")
    s.bash(
        cmd,
        "[+] Running 1/1\n \u2714 Container ledger-core-postgres-1  Running\n"
        "> Task :integrationTest FAILED\n\nFlywayValidateTest > migratesCleanDatabase() FAILED\n"
        "    org.flywaydb.core.internal.command.DbMigrate$FlywayMigrateException: Migration "
        "V8__settlement_batches.sql failed\n    SQL State  : 42P01\n    Message    : ERROR: relation "
        '"settlement_batches" does not exist\n\nBUILD FAILED in 31s',
        1,
        44.0,
        description="Run integration tests",
    )
    s.say(
        "V8 creates its index before the table it indexes, so the migration fails on a clean "
        "database. Swapping the two statements, and tightening the poll to 2 s.",
        ("V8 creates its index before the table it indexes, so the migration fails on a clean database.", MUNDANE),
    )
    s.edit(
        "src/main/resources/db/migration/V8__settlement_batches.sql",
        "CREATE INDEX batch_by_day ON settlement_batches (day);\n"
        "CREATE TABLE settlement_batches (id bigserial PRIMARY KEY, day date NOT NULL);\n",
        "CREATE TABLE settlement_batches (id bigserial PRIMARY KEY, day date NOT NULL);\n"
        "CREATE INDEX batch_by_day ON settlement_batches (day);\n",
    )
    s.edit("scripts/wait_for_db.py", "        time.sleep(5)\n", "        time.sleep(2)\n")
    s.bash(
        cmd,
        "[+] Running 1/1\n \u2714 Container ledger-core-postgres-1  Running\n"
        "> Task :integrationTest\n\nBUILD SUCCESSFUL in 29s\n5 actionable tasks: 2 executed, "
        "3 up-to-date",
        0,
        33.0,
        description="Run integration tests",
    )
    s.say("Integration tests pass on a clean database.")
    s.save(out)
    not_spiral(truth, s, "poll interval made shorter (10 -> 5 -> 2 s), deadline unchanged")


def session_bob_measured_raise(truth: Truth, out: Path) -> None:
    """One raise of the suite timeout (180 s -> 300 s) justified by a measured 212 s run."""
    makefile = "GOTEST_TIMEOUT ?= 180s\n\n.PHONY: test\ntest:\n\tgo test ./... -timeout $(GOTEST_TIMEOUT)\n"
    repo = Repo(PIPELINE, {"Makefile": makefile})
    s = Claude(truth, "bob", repo, "main", at(21, 9, 40), model="claude-opus-4-6", version="2.1.12")
    s.prompt("make test started failing on main with a timeout panic")
    s.bash(
        "go test ./... -timeout 180s",
        "ok  \tgithub.com/bob/pipeline/internal/fetch\t0.388s\n"
        "panic: test timed out after 3m0s\n\trunning tests:\n\t\tTestReindexLargeCorpus (2m59s)\n\n"
        "goroutine 41 [running]:\ntesting.(*M).startAlarm.func1()\n"
        "\t/usr/local/go/src/testing/testing.go:2366 +0x30c\n"
        "FAIL\tgithub.com/bob/pipeline/internal/index\t180.031s\nFAIL",
        1,
        183.0,
        description="Run the whole suite",
        timeout_ms=400000,
    )
    s.say("Let me time the slow test on its own.")
    s.bash(
        "go test ./internal/index -run TestReindexLargeCorpus -v -timeout 20m",
        "=== RUN   TestReindexLargeCorpus\n--- PASS: TestReindexLargeCorpus (212.37s)\nPASS\n"
        "ok  \tgithub.com/bob/pipeline/internal/index\t212.412s",
        0,
        214.0,
        description="Time the reindex test alone",
        timeout_ms=600000,
    )
    s.say(
        "The reindex test alone took 212 s, over the 180 s limit: it builds a 50k-document corpus "
        "on purpose. I'll raise the suite limit to 300 s in the Makefile, which leaves headroom "
        "without hiding a real hang."
    )
    s.edit("Makefile", "GOTEST_TIMEOUT ?= 180s\n", "GOTEST_TIMEOUT ?= 300s\n")
    s.bash(
        "make test",
        "go test ./... -timeout 300s\nok  \tgithub.com/bob/pipeline/internal/fetch\t"
        "0.391s\nok  \tgithub.com/bob/pipeline/internal/index\t213.880s",
        0,
        216.0,
        description="Run the suite",
        timeout_ms=400000,
    )
    s.say("make test passes with the 300 s limit.")
    s.save(out)
    not_spiral(truth, s, "a single raise justified by a measured 212 s run")


REMINDERS_YAML = """reminders:
  unpaid_invoice:
    enabled: true
    reminder_delay: PT5M
    channel: email
"""


def session_alice_iso_requests(truth: Truth, out: Path) -> None:
    """ISO-8601 delay raised PT5M -> PT15M -> PT1H -> PT4H at the user's request, every test run
    passing: rises without failures are not a spiral."""
    repo = Repo("/home/alice/src/web-dashboard")
    s = Codex(
        truth,
        "alice",
        repo,
        "feature/reminders",
        "git@github.com:alice-labs/web-dashboard.git",
        at(22, 14, 0),
        model="gpt-5.1-codex",
        cli_version="0.58.0",
    )
    s.prompt(
        "Add a configurable reminder delay for unpaid invoices, ISO-8601 in "
        "config/notifications.yaml, default 5 minutes."
    )
    s.patch("config/notifications.yaml", None, REMINDERS_YAML)
    cmd = "pnpm vitest run tests/config.test.ts"
    s.run(
        cmd,
        " \u276f tests/config.test.ts (3 tests | 1 failed) 41ms\n   \u00d7 reminder config > "
        "defaults 1\n     \u2192 Snapshot `reminder config > defaults 1` mismatched\n\n Test Files  1 "
        "failed (1)\n      Tests  1 failed | 2 passed (3)",
        1,
        2.4,
        verify=True,
    )
    s.say(
        "The stored snapshot predates the new `reminder_delay` key, so it no longer matches. Updating the snapshot.",
        ("The stored snapshot predates the new `reminder_delay` key, so it no longer matches.", MUNDANE),
    )
    ok = " \u2713 tests/config.test.ts (3 tests) 38ms\n\n Test Files  1 passed (1)\n      Tests  3 passed (3)"
    s.run(cmd + " -u", ok.replace("(3 tests)", "(3 tests | 1 snapshot updated)"), 0, 2.2, verify=True)
    for request, old, new in (
        ("Product wants 15 minutes instead.", "PT5M", "PT15M"),
        ("Hmm, make it an hour.", "PT15M", "PT1H"),
        ("Final answer from product: four hours.", "PT1H", "PT4H"),
    ):
        s.prompt(request)
        s.patch("config/notifications.yaml", f"    reminder_delay: {old}\n", f"    reminder_delay: {new}\n")
        s.run(cmd, ok, 0, 2.1, verify=True)
        s.say(f"Set `reminder_delay` to `{new}`; config tests pass.")
    s.save(out)
    not_spiral(truth, s, "a delay raised three times on request, every run passing")


# ---------------------------------------------------------------------------------------------
# Explanation-heavy sessions: legit diagnoses with their evidence, exotic claims, mundane causes


def session_chen_build_infra(truth: Truth, out: Path) -> None:
    repo = Repo(
        LEDGER_CORE,
        {
            "gradle.properties": "org.gradle.jvmargs=-Xmx4g\norg.gradle.parallel=true\n",
            "src/main/java/com/acme/ledger/BatchJob.java": "        results.add(service.settle(transfer));\n",
            "src/main/java/com/acme/ledger/Money.java": "        return new Money(amount.divide(divisor, 2, RoundingMode.HALF_DOWN));\n",
        },
    )
    s = Codex(truth, "chen", repo, "main", LEDGER_CORE_URL, at(23, 8, 30), style="shell", cli_version="0.39.0")
    s.prompt("Get the build green on main and build the docker image.")
    s.run("./gradlew build", "> Task :compileJava\n> Task :compileTestJava\n> Task :test\nKilled", 137, 94.0)
    s.run(
        "dmesg | tail -n 2",
        "[81234.551902] Out of memory: Killed process 48211 (java) total-vm:8123456kB, "
        "anon-rss:3977216kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:9120kB oom_score_adj:0\n"
        "[81234.612044] oom_reaper: reaped process 48211 (java), now anon-rss:0kB",
        0,
        0.2,
    )
    s.say(
        "The kernel's OOM killer took out the Gradle JVM (exit 137, and dmesg shows `Out of memory: "
        "Killed process 48211 (java)`): a 4 GB daemon heap plus the test fork doesn't fit on this "
        "8 GB machine. Lowering the daemon heap.",
        (
            "The kernel's OOM killer took out the Gradle JVM (exit 137, and dmesg shows `Out of memory: "
            "Killed process 48211 (java)`): a 4 GB daemon heap plus the test fork doesn't fit on this "
            "8 GB machine.",
            LEGIT,
        ),
    )
    s.patch("gradle.properties", "org.gradle.jvmargs=-Xmx4g\n", "org.gradle.jvmargs=-Xmx2g\n")
    compile_error = (
        "> Task :compileJava FAILED\n/home/chen/work/ledger-core/src/main/java/com/acme/"
        "ledger/BatchJob.java:31: error: cannot find symbol\n"
        "        results.add(service.settle(transfer));\n                           ^\n"
        "  symbol:   method settle(Transfer)\n  location: variable service of type "
        "SettlementService\n1 error\n\nFAILURE: Build failed with an exception.\n\n"
        "BUILD FAILED in 7s"
    )
    s.run("./gradlew build", compile_error, 1, 9.0)
    s.say(
        "The Maven mirror is probably rate-limiting us again, so the updated ledger-api jar never "
        "downloaded. Let me force a refresh.",
        ("The Maven mirror is probably rate-limiting us again, so the updated ledger-api jar never downloaded.", EX),
    )
    s.run("./gradlew build --refresh-dependencies", compile_error, 1, 31.0)
    s.say(
        "Same compile error after a full refresh, so dependencies were never the problem: "
        "`SettlementService.settle` was renamed to `settleTransfer` on this branch and `BatchJob` "
        "still calls the old name.",
        (
            "`SettlementService.settle` was renamed to `settleTransfer` on this branch and `BatchJob` "
            "still calls the old name.",
            MUNDANE,
        ),
    )
    s.patch(
        "src/main/java/com/acme/ledger/BatchJob.java", "service.settle(transfer)", "service.settleTransfer(transfer)"
    )
    s.run("./gradlew build", "> Task :test\n\nBUILD SUCCESSFUL in 1m 12s\n9 actionable tasks: 9 executed", 0, 74.0)
    s.run(
        "docker build -t ledger-core:dev .",
        "#9 [build 4/4] COPY --from=gradle /app/build/libs/ledger-core.jar /app/\n"
        "#9 ERROR: failed to copy files: copy file range failed: write /var/lib/docker/overlay2/"
        "k2x9q1w7v8/merged/app/ledger-core.jar: no space left on device\n"
        "------\nERROR: failed to solve: failed to copy files: no space left on device",
        1,
        12.0,
    )
    s.say(
        "The image build ran out of disk: /var/lib/docker is full of old layers on this host. Pruning unused images.",
        ("The image build ran out of disk: /var/lib/docker is full of old layers on this host.", LEGIT),
    )
    s.run("docker system prune -af", "Deleted Images:\n...\nTotal reclaimed space: 18.4GB", 0, 21.0)
    s.run(
        "docker build -t ledger-core:dev .",
        "#10 exporting to image\n#10 naming to docker.io/library/ledger-core:dev done\n#10 DONE 0.4s",
        0,
        48.0,
    )
    s.run(
        "./gradlew :core:integrationTest",
        "> Task :core:integrationTest FAILED\n\nLedgerRepositoryIT > initializationError FAILED\n"
        "    org.postgresql.util.PSQLException: The connection attempt failed.\n"
        "        Caused by: java.net.SocketTimeoutException: Connect timed out "
        "(staging-db.internal/10.20.0.15:5432)\n\nBUILD FAILED in 32s",
        1,
        34.0,
    )
    s.say(
        "The staging database at 10.20.0.15 isn't reachable from this machine: the connect to port "
        "5432 times out, which is what happens when the VPN is down. The integration suite needs the "
        "VPN; unit tests and the image are fine.",
        (
            "The staging database at 10.20.0.15 isn't reachable from this machine: the connect to port "
            "5432 times out, which is what happens when the VPN is down.",
            LEGIT,
        ),
    )
    balance_fail = (
        "> Task :core:test FAILED\n\nLedgerBalanceTest > splitsEvenly() FAILED\n"
        "    org.opentest4j.AssertionFailedError: expected: <100.00> but was: <99.99>\n"
        "        at com.acme.ledger.LedgerBalanceTest.splitsEvenly(LedgerBalanceTest.java:27)\n"
        "\nBUILD FAILED in 6s"
    )
    s.run("./gradlew :core:test --tests '*LedgerBalanceTest'", balance_fail, 1, 8.0)
    s.say(
        "That looks like a flaky runner; a rerun should clear it.",
        ("That looks like a flaky runner; a rerun should clear it.", EX),
    )
    s.run("./gradlew :core:test --tests '*LedgerBalanceTest'", balance_fail, 1, 7.0)
    s.say(
        "Identical failure on the rerun, so it's deterministic: `Money.divide` rounds HALF_DOWN "
        "where the spec expects HALF_EVEN.",
        (
            "Identical failure on the rerun, so it's deterministic: `Money.divide` rounds HALF_DOWN "
            "where the spec expects HALF_EVEN.",
            MUNDANE,
        ),
    )
    s.patch("src/main/java/com/acme/ledger/Money.java", "RoundingMode.HALF_DOWN", "RoundingMode.HALF_EVEN")
    s.run("./gradlew :core:test --tests '*LedgerBalanceTest'", "> Task :core:test\n\nBUILD SUCCESSFUL in 6s", 0, 7.0)
    s.say("Build, image and unit tests are green; the integration suite needs the VPN.")
    s.save(out)


def session_bob_indexer(truth: Truth, out: Path) -> None:
    repo = Repo(
        PIPELINE,
        {
            "deploy/indexer.yaml": "          resources:\n            limits:\n              memory: 256Mi\n",
            "internal/index/router.go": "func NewRouter(cfg Config) *Router {\n\tr := &Router{cfg: cfg}\n"
            "\tif cfg.Replicas > 0 {\n\t\tr.shards = make(map[string]int)\n\t}\n"
            "\treturn r\n}\n",
            "internal/api/stream.go": "\t\tenc.Encode(chunk)\n",
            "internal/units/size.go": '\t"KiB": 1000,\n',
        },
    )
    s = Claude(truth, "bob", repo, "feature/indexer-limits", at(24, 13, 5))
    s.prompt("e2e for the indexer is failing, and a few unit tests too. Sort it out?")
    s.bash(
        "go test ./e2e/... -run TestIndexer -v",
        "=== RUN   TestIndexerBackfill\n    indexer_test.go:58: pod ledger-indexer-0 terminated: "
        "reason=OOMKilled exitCode=137 (limits.memory=256Mi)\n--- FAIL: TestIndexerBackfill (41.22s)\n"
        "FAIL\nFAIL\tgithub.com/bob/pipeline/e2e\t41.260s\nFAIL",
        1,
        43.0,
        description="Run indexer e2e",
    )
    s.say(
        "The indexer pod is OOMKilled at its 256Mi limit while it loads the whole backfill into "
        "memory. Raising the limit to 1Gi for now.",
        ("The indexer pod is OOMKilled at its 256Mi limit while it loads the whole backfill into memory.", LEGIT),
    )
    s.edit("deploy/indexer.yaml", "memory: 256Mi", "memory: 1Gi")
    s.bash(
        "make test-e2e",
        "deployment.apps/ledger-indexer configured\nwaiting for ledger-indexer-0: Back-off pulling "
        'image "ghcr.io/bob/indexer:pr-512"\npod ledger-indexer-0: ImagePullBackOff (manifest '
        "unknown: ghcr.io/bob/indexer:pr-512 not found)\nmake: *** [Makefile:52: test-e2e] Error 1",
        2,
        64.0,
        description="Run e2e",
    )
    s.say(
        "The pod is stuck in ImagePullBackOff because the pr-512 tag was never pushed to GHCR; the "
        "image job skipped this branch. Building and pushing it.",
        (
            "The pod is stuck in ImagePullBackOff because the pr-512 tag was never pushed to GHCR; the "
            "image job skipped this branch.",
            LEGIT,
        ),
    )
    s.bash(
        "make image push TAG=pr-512",
        "pushed ghcr.io/bob/indexer:pr-512 digest: sha256:4be1c0d2e9f7 size: 1789",
        0,
        58.0,
        description="Push the image",
    )
    s.bash(
        "make test-e2e",
        "deployment.apps/ledger-indexer configured\nok  \tgithub.com/bob/pipeline/e2e\t52.118s",
        0,
        60.0,
        description="Run e2e",
    )
    panic = (
        "--- FAIL: TestShardAssignment (0.00s)\npanic: assignment to entry in nil map [recovered]"
        "\n\tpanic: assignment to entry in nil map\n\ngoroutine 7 [running]:\n"
        "github.com/bob/pipeline/internal/index.(*Router).Assign(...)\n"
        "\t/home/bob/go/src/github.com/bob/pipeline/internal/index/router.go:88 +0x1c4\n"
        "FAIL\tgithub.com/bob/pipeline/internal/index\t0.019s\nFAIL"
    )
    s.bash("go test ./internal/index/...", panic, 1, 2.0, description="Run index tests")
    s.say(
        "Maybe the kernel's memory compaction is corrupting the map under pressure. Rerunning to check.",
        ("Maybe the kernel's memory compaction is corrupting the map under pressure.", EX),
    )
    s.bash("go test -count=1 ./internal/index/...", panic, 1, 2.1, description="Rerun index tests")
    s.say(
        "Same panic at router.go:88 on the rerun: `shards` is never initialised when the config has zero replicas.",
        (
            "Same panic at router.go:88 on the rerun: `shards` is never initialised when the config has zero replicas.",
            MUNDANE,
        ),
    )
    s.edit(
        "internal/index/router.go",
        "\tif cfg.Replicas > 0 {\n\t\tr.shards = make(map[string]int)\n\t}\n",
        "\tr.shards = make(map[string]int)\n",
    )
    s.bash(
        "go test ./internal/index/...",
        "ok  \tgithub.com/bob/pipeline/internal/index\t0.412s",
        0,
        2.0,
        description="Run index tests",
    )
    s.bash(
        "go test ./internal/api/... -run TestStreamBackpressure",
        "--- FAIL: TestStreamBackpressure (10.00s)\n    stream_test.go:52: no response within 10s\n"
        "FAIL\nFAIL\tgithub.com/bob/pipeline/internal/api\t10.034s\nFAIL",
        1,
        11.0,
        description="Run the stream test",
    )
    s.say(
        "This isn't a network issue: the handler never flushes, so the client keeps waiting for the first chunk.",
        (
            "This isn't a network issue: the handler never flushes, so the client keeps waiting for the first chunk.",
            MUNDANE,
        ),
    )
    s.edit("internal/api/stream.go", "\t\tenc.Encode(chunk)\n", "\t\tenc.Encode(chunk)\n\t\tflusher.Flush()\n")
    s.bash(
        "go test ./internal/api/... -run TestStreamBackpressure",
        "ok  \tgithub.com/bob/pipeline/internal/api\t0.231s",
        0,
        1.5,
        description="Run the stream test",
    )
    s.bash(
        "go test ./internal/cache/...",
        "--- FAIL: TestCacheWarmup (5.01s)\n    cache_test.go:31: warm: dial tcp 10.0.4.21:6379: "
        "i/o timeout\nFAIL\nFAIL\tgithub.com/bob/pipeline/internal/cache\t5.044s\nFAIL",
        1,
        6.0,
        description="Run cache tests",
    )
    s.say(
        "The Redis at 10.0.4.21 isn't reachable from here (i/o timeout on 6379); that's the shared "
        "staging cache behind the VPN, so this test only runs in CI.",
        (
            "The Redis at 10.0.4.21 isn't reachable from here (i/o timeout on 6379); that's the shared "
            "staging cache behind the VPN, so this test only runs in CI.",
            LEGIT,
        ),
    )
    size_fail = (
        '--- FAIL: TestParseSize (0.00s)\n    size_test.go:19: ParseSize("1KiB") = 1000, '
        "want 1024\nFAIL\nFAIL\tgithub.com/bob/pipeline/internal/units\t0.006s\nFAIL"
    )
    s.bash("go test ./internal/units/...", size_fail, 1, 1.2, description="Run units tests")
    s.say(
        "The filesystem cache on the CI host is stale, so go test is reusing an old build of the units package.",
        ("The filesystem cache on the CI host is stale, so go test is reusing an old build of the units package.", EX),
    )
    s.bash(
        "go clean -testcache && go test ./internal/units/...",
        size_fail,
        1,
        3.0,
        description="Clear the test cache and rerun",
    )
    s.say(
        "`ParseSize` multiplies KiB by 1000 instead of 1024; our own unit table is wrong.",
        ("`ParseSize` multiplies KiB by 1000 instead of 1024; our own unit table is wrong.", MUNDANE),
    )
    s.edit("internal/units/size.go", '\t"KiB": 1000,\n', '\t"KiB": 1024,\n')
    s.bash(
        "go test ./internal/units/...",
        "ok  \tgithub.com/bob/pipeline/internal/units\t0.005s",
        0,
        1.1,
        description="Run units tests",
    )
    s.say("Everything passes except the cache warm-up test, which needs the staging VPN.")
    s.save(out)


def session_alice_fresh_clone(truth: Truth, out: Path) -> None:
    repo = Repo(
        "/home/alice/src/web-dashboard",
        {
            "src/i18n.ts": "import en from './locales/en.json';\n",
            "tests/format.test.ts": "    const day = new Date(2026, 8, 24, 23, 30);\n",
            "playwright.config.ts": "  webServer: { command: 'npm run preview', port: 5173 },\n",
        },
    )
    s = Claude(truth, "alice", repo, "main", at(25, 8, 10))
    s.prompt("Fresh clone on the new laptop: install, build and run the tests, fix whatever's broken.")
    s.bash(
        "npm ci",
        "npm ERR! code E429\nnpm ERR! 429 Too Many Requests - GET "
        "https://registry.npmjs.org/@acme%2fui-kit\n\nnpm ERR! A complete log of this run can be "
        "found in: /home/alice/.npm/_logs/2026-09-25T08_14_03_117Z-debug-0.log",
        1,
        14.0,
        description="Install dependencies",
    )
    s.say(
        "The npm registry answered 429 Too Many Requests for @acme/ui-kit, so the install stopped. "
        "I'll retry in a minute.",
        ("The npm registry answered 429 Too Many Requests for @acme/ui-kit, so the install stopped.", LEGIT),
    )
    s.bash(
        "npm ci",
        "added 1184 packages, and audited 1185 packages in 41s\n\nfound 0 vulnerabilities",
        0,
        41.0,
        description="Install dependencies",
    )
    build_fail = (
        "> web@3.4.0 build\n> vite build\n\nvite v5.4.2 building for production...\n"
        "\u2713 412 modules transformed.\nx Build failed in 1.92s\n"
        'error during build:\n[vite]: Rollup failed to resolve import "./locales/en.json" '
        'from "/home/alice/src/web-dashboard/src/i18n.ts".'
    )
    s.bash("npm run build", build_fail, 1, 4.0, description="Build")
    s.say(
        "The CDN is probably serving a stale copy of the locale bundle. Rebuilding once.",
        ("The CDN is probably serving a stale copy of the locale bundle.", EX),
    )
    s.bash("npm run build", build_fail, 1, 3.9, description="Build")
    s.say(
        "Same error. `src/i18n.ts` imports `./locales/en.json`, but the locales moved to "
        "`src/i18n/locales/` in the last commit.",
        (
            "`src/i18n.ts` imports `./locales/en.json`, but the locales moved to `src/i18n/locales/` "
            "in the last commit.",
            MUNDANE,
        ),
    )
    s.edit("src/i18n.ts", "'./locales/en.json'", "'./i18n/locales/en.json'")
    s.bash("npm run build", "\u2713 built in 6.31s", 0, 8.0, description="Build")
    s.bash(
        "npx vitest run",
        "<--- Last few GCs --->\n\n[48211:0x6d1e000]    61822 ms: Mark-Compact "
        "4049.1 (4131.4) -> 4033.9 (4131.9) MB\n\nFATAL ERROR: Reached heap limit Allocation failed "
        "- JavaScript heap out of memory",
        134,
        64.0,
        description="Run unit tests",
    )
    s.say(
        "Vitest ran out of heap (JavaScript heap out of memory) while loading the 40k-row fixture "
        "into one worker. Running with a larger heap.",
        (
            "Vitest ran out of heap (JavaScript heap out of memory) while loading the 40k-row fixture into one worker.",
            LEGIT,
        ),
    )
    date_fail = (
        " FAIL  tests/format.test.ts > formatDay > uses the booking day\n"
        "AssertionError: expected '2026-09-24' to be '2026-09-25' // Object.is equality\n\n"
        " Test Files  1 failed | 37 passed (38)\n      Tests  1 failed | 412 passed (413)"
    )
    s.bash(
        "NODE_OPTIONS=--max-old-space-size=8192 npx vitest run",
        date_fail,
        1,
        58.0,
        description="Run unit tests with a larger heap",
    )
    s.say(
        "Most likely the NTP daemon on this machine drifted and skewed the clock.",
        ("Most likely the NTP daemon on this machine drifted and skewed the clock.", EX),
    )
    s.bash(
        "date -u; timedatectl | grep synchronized",
        "Fri Sep 25 08:31:10 UTC 2026\nSystem clock synchronized: yes",
        0,
        0.2,
        description="Check the clock",
    )
    s.say(
        "The clock is fine. The test builds the date with `new Date(...)` in local time while "
        "`formatDay` formats in UTC, so in Berlin late-evening bookings land on the previous day.",
        (
            "The test builds the date with `new Date(...)` in local time while `formatDay` formats in "
            "UTC, so in Berlin late-evening bookings land on the previous day.",
            MUNDANE,
        ),
    )
    s.edit("tests/format.test.ts", "new Date(2026, 8, 24, 23, 30)", "new Date(Date.UTC(2026, 8, 24, 23, 30))")
    s.bash(
        "NODE_OPTIONS=--max-old-space-size=8192 npx vitest run",
        " Test Files  38 passed (38)\n      Tests  413 passed (413)",
        0,
        57.0,
        description="Run unit tests",
    )
    s.bash(
        "npx playwright test",
        "Running 24 tests using 4 workers\n\n  1) [chromium] \u203a "
        "login.spec.ts:5:1 \u203a signs in\n\n    Error: page.goto: net::ERR_CONNECTION_REFUSED at "
        "http://localhost:5173/login\n\n  24 failed",
        1,
        35.0,
        description="Run browser tests",
    )
    s.say(
        "Playwright can't reach the app because `webServer.port` in playwright.config.ts is 5173 "
        "while `vite preview` serves on 4173.",
        (
            "Playwright can't reach the app because `webServer.port` in playwright.config.ts is 5173 "
            "while `vite preview` serves on 4173.",
            MUNDANE,
        ),
    )
    s.edit("playwright.config.ts", "port: 5173", "port: 4173")
    s.bash(
        "npx playwright test",
        "Running 24 tests using 4 workers\n\n  24 passed (48.2s)",
        0,
        51.0,
        description="Run browser tests",
    )
    s.say("Install, build, unit and browser tests all pass on the fresh clone.")
    s.save(out)


# ---------------------------------------------------------------------------------------------
# chen's CSV export: built in a day, then two weeks of small fixes across five sessions

LEDGER_SYNC = "/home/chen/work/ledger-sync"
LEDGER_SYNC_URL = "git@github.com:acme/ledger-sync.git"

CLI_PY = '''"""ledger-sync command line."""

import argparse
import json
import sys

from ledger_sync.store import load_ledger


def main(argv=None):
    parser = argparse.ArgumentParser(prog="ledger-sync")
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export", help="export a ledger (json only)")
    export.add_argument("ledger")
    export.add_argument("--out", default="-")
    args = parser.parse_args(argv)
    if args.command == "export":
        entries = load_ledger(args.ledger)
        json.dump([e.to_dict() for e in entries], sys.stdout, indent=2)
    return 0
'''

CSV_WRITER_PY = '''"""Stream a ledger to CSV, one row per entry, then one totals row per currency."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Iterable, Iterator

from ledger_sync.export.totals import CurrencyTotals
from ledger_sync.models import Entry

COLUMNS = (
    "entry_id",
    "booked_on",
    "account",
    "counterparty",
    "description",
    "currency",
    "amount",
    "balance_after",
)


@dataclass(frozen=True)
class ExportOptions:
    delimiter: str = ","
    include_totals: bool = True
    date_format: str = "%Y-%m-%d"
    decimal_places: int = 2


def format_amount(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{abs(value).quantize(quantum):,}"


def format_day(value: date | datetime, fmt: str) -> str:
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime(fmt)


def entry_row(entry: Entry, options: ExportOptions) -> dict[str, str]:
    return {
        "entry_id": entry.id,
        "booked_on": format_day(entry.booked_at, options.date_format),
        "account": entry.account,
        "counterparty": str(entry.counterparty),
        "description": entry.description.strip(),
        "currency": entry.currency,
        "amount": format_amount(entry.amount, options.decimal_places),
        "balance_after": format_amount(entry.balance_after, options.decimal_places),
    }


def iter_rows(entries: Iterable[Entry], options: ExportOptions) -> Iterator[dict[str, str]]:
    totals = CurrencyTotals()
    for entry in entries:
        totals.add(entry.currency, entry.amount)
        yield entry_row(entry, options)
    if options.include_totals:
        yield from totals.rows(options.decimal_places)


def write_csv(entries: Iterable[Entry], out: IO[str], options: ExportOptions | None = None) -> int:
    """Write the rows to `out`; returns how many were written, totals included."""
    options = options or ExportOptions()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=options.delimiter)
    count = 0
    for row in iter_rows(entries, options):
        if count == 0:
            writer.writeheader()
        writer.writerow(row)
        count += 1
    return count


def export_to_path(entries: list[Entry], path: Path, options: ExportOptions | None = None) -> Path:
    """Write `entries` to `path`, or to `path/ledger-<currency>.csv` when `path` is a folder."""
    currency = entries[0].currency
    target = path if path.suffix == ".csv" else path / f"ledger-{currency.lower()}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="") as fh:
        write_csv(entries, fh, options)
    return target
'''

TOTALS_PY = '''"""Per-currency running totals for exports."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal


class CurrencyTotals:
    """Sums and counts per currency, in the order currencies sort."""

    def __init__(self) -> None:
        self._sums: dict[str, float] = defaultdict(float)
        self._counts: dict[str, int] = defaultdict(int)

    def add(self, currency: str, amount: Decimal) -> None:
        self._sums[currency] += float(amount)
        self._counts[currency] += 1

    def currencies(self) -> list[str]:
        return sorted(self._sums)

    def total(self, currency: str) -> Decimal:
        return Decimal(round(self._sums[currency], 2))

    def count(self, currency: str) -> int:
        return self._counts[currency]

    def rows(self, places: int) -> list[dict[str, str]]:
        rows = []
        for currency in self.currencies():
            rows.append(
                {
                    "entry_id": f"TOTAL-{currency}",
                    "booked_on": "",
                    "account": "",
                    "counterparty": "",
                    "description": f"{self.count(currency)} entries",
                    "currency": currency,
                    "amount": str(self.total(currency)),
                    "balance_after": "",
                }
            )
        return rows
'''

TEST_CSV_EXPORT_PY = """import csv
import io
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from ledger_sync.export import ExportOptions, export_to_path, write_csv
from ledger_sync.models import Entry


def entry(n, amount, currency="EUR", counterparty="ACME GmbH"):
    return Entry(
        id=f"e-{n}",
        booked_at=datetime(2026, 9, 1, 10, n, tzinfo=timezone.utc),
        account="DE89 3704 0044 0532 0130 00",
        counterparty=counterparty,
        description=f" invoice {n} ",
        currency=currency,
        amount=Decimal(amount),
        balance_after=Decimal("1000.00") + Decimal(amount),
    )


def rows_of(entries, **options):
    out = io.StringIO()
    write_csv(entries, out, ExportOptions(**options))
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_one_row_per_entry_then_totals():
    rows = rows_of([entry(1, "10.00"), entry(2, "5.50")])
    assert [r["entry_id"] for r in rows] == ["e-1", "e-2", "TOTAL-EUR"]


def test_totals_are_exact_decimals():
    rows = rows_of([entry(1, "0.10"), entry(2, "0.20"), entry(3, "0.30")])
    assert rows[-1]["amount"] == "0.60"


def test_totals_per_currency_sorted():
    rows = rows_of([entry(1, "1.00", "USD"), entry(2, "2.00", "EUR")])
    assert [r["entry_id"] for r in rows[-2:]] == ["TOTAL-EUR", "TOTAL-USD"]


def test_missing_counterparty_is_blank():
    rows = rows_of([entry(1, "3.00", counterparty=None)])
    assert rows[0]["counterparty"] == ""


def test_description_is_trimmed():
    rows = rows_of([entry(4, "1.00")])
    assert rows[0]["description"] == "invoice 4"


def test_semicolon_delimiter():
    out = io.StringIO()
    write_csv([entry(1, "1.00")], out, ExportOptions(delimiter=";"))
    assert out.getvalue().splitlines()[0].startswith("entry_id;booked_on;")


def test_totals_can_be_left_out():
    rows = rows_of([entry(1, "1.00")], include_totals=False)
    assert [r["entry_id"] for r in rows] == ["e-1"]


def test_export_to_folder_names_file_by_currency(tmp_path):
    target = export_to_path([entry(1, "1.00", "CHF")], tmp_path)
    assert target.name == "ledger-chf.csv"
    assert target.read_text().startswith("entry_id,")
"""


def pytest_csv(failures: list[tuple[str, str]], passed: int, path: str = "tests/test_csv_export.py") -> str:
    if not failures:
        return f"{'.' * passed}{' ' * max(72 - passed, 1)}[100%]\n{passed} passed in 0.{passed + 10}s"
    body = "".join(f"_____ {name} _____\n{detail}\n\n" for name, detail in failures)
    summary = "".join(f"FAILED {path}::{name} - {detail.splitlines()[-1][8:]}\n" for name, detail in failures)
    return (
        f"{'F' * len(failures)}{'.' * passed}{' ' * max(72 - len(failures) - passed, 1)}[100%]\n"
        f"=================================== FAILURES ===================================\n"
        f"{body}=========================== short test summary info ============================\n"
        f"{summary}{len(failures)} failed, {passed} passed in 0.31s"
    )


def session_chen_csv_build(truth: Truth, out: Path, repo: Repo, ledger: FeatureLedger) -> None:
    """Day one: the whole feature is written, tests included, then two quick fixes."""
    s = Claude(
        truth, "chen", repo, "feature/csv-export", at(1, 9, 5), model="claude-opus-4-6", version="2.1.3", feature=ledger
    )
    s.prompt(
        "Implement CSV export for ledgers: `ledger-sync export --format csv`, streaming, with a "
        "totals row per currency. Put it under ledger_sync/export/."
    )
    s.say("I'll start with the writer and the totals, then the CLI flag, then tests.")
    s.write("ledger_sync/export/csv_writer.py", CSV_WRITER_PY)
    s.wait(1800)
    s.write("ledger_sync/export/totals.py", TOTALS_PY)
    s.wait(2400)
    s.edit(
        "ledger_sync/cli.py",
        "from ledger_sync.store import load_ledger\n",
        "from ledger_sync.export import ExportOptions, write_csv\nfrom ledger_sync.store import load_ledger\n",
    )
    s.edit(
        "ledger_sync/cli.py",
        '    export.add_argument("--out", default="-")\n',
        '    export.add_argument("--out", default="-")\n'
        '    export.add_argument("--format", choices=("json", "csv"), default="json")\n'
        '    export.add_argument("--delimiter", default=",")\n'
        '    export.add_argument("--no-totals", action="store_true")\n',
    )
    s.edit(
        "ledger_sync/cli.py",
        "        json.dump([e.to_dict() for e in entries], sys.stdout, indent=2)\n",
        '        if args.format == "csv":\n'
        "            options = ExportOptions(delimiter=args.delimiter, include_totals=not args.no_totals)\n"
        "            write_csv(entries, sys.stdout, options)\n"
        "        else:\n"
        "            json.dump([e.to_dict() for e in entries], sys.stdout, indent=2)\n",
    )
    s.bash(
        "python -m pytest -q",
        "ImportError while loading conftest '/home/chen/work/ledger-sync/tests/conftest.py'.\n"
        "tests/conftest.py:3: in <module>\n    from ledger_sync.cli import main\n"
        "ledger_sync/cli.py:7: in <module>\n    from ledger_sync.export import ExportOptions, write_csv\n"
        "E   ModuleNotFoundError: No module named 'ledger_sync.export'",
        4,
        1.4,
        description="Run the existing tests",
        verify=True,
    )
    s.say(
        "`ledger_sync/export/` has no `__init__.py`, so the package can't be imported. Adding it "
        "with the public names.",
        ("`ledger_sync/export/` has no `__init__.py`, so the package can't be imported.", MUNDANE),
    )
    s.write(
        "ledger_sync/export/__init__.py",
        '"""CSV export of ledgers."""\n\nfrom ledger_sync.export.csv_writer import ExportOptions, '
        'export_to_path, write_csv\n\n__all__ = ["ExportOptions", "export_to_path", "write_csv"]\n',
    )
    s.bash("python -m pytest -q", pytest_csv([], 23), 0, 2.1, description="Run the existing tests", verify=True)
    s.prompt("nice, going to lunch, write the tests meanwhile")
    s.wait(5400)
    s.write("tests/test_csv_export.py", TEST_CSV_EXPORT_PY)
    s.bash(
        "python -m pytest -q tests/test_csv_export.py",
        pytest_csv(
            [
                (
                    "test_totals_are_exact_decimals",
                    '>       assert rows[-1]["amount"] == "0.60"\n'
                    "E       AssertionError: assert '0.59999999999999997779553950749686919152736663818359375' == '0.60'",
                ),
                (
                    "test_missing_counterparty_is_blank",
                    ">       assert rows[0][\"counterparty\"] == \"\"\nE       AssertionError: assert 'None' == ''",
                ),
            ],
            6,
        ),
        1,
        1.3,
        description="Run the export tests",
        verify=True,
    )
    s.say(
        "Two real bugs. The totals are summed as floats, so 0.1 + 0.2 + 0.3 isn't 0.60; and a missing "
        "counterparty is written as the string 'None'.",
        (
            "The totals are summed as floats, so 0.1 + 0.2 + 0.3 isn't 0.60; and a missing counterparty "
            "is written as the string 'None'.",
            MUNDANE,
        ),
    )
    s.edit(
        "ledger_sync/export/totals.py",
        "        self._sums: dict[str, float] = defaultdict(float)\n",
        "        self._sums: dict[str, Decimal] = defaultdict(Decimal)\n",
    )
    s.edit(
        "ledger_sync/export/csv_writer.py",
        '        "counterparty": str(entry.counterparty),\n',
        '        "counterparty": entry.counterparty or "",\n',
    )
    s.bash(
        "python -m pytest -q tests/test_csv_export.py",
        pytest_csv(
            [
                (
                    "test_totals_are_exact_decimals",
                    '>       assert rows[-1]["amount"] == "0.60"\n'
                    "E       TypeError: unsupported operand type(s) for +=: 'decimal.Decimal' and 'float'",
                )
            ],
            7,
        ),
        1,
        1.2,
        description="Run the export tests",
        verify=True,
    )
    s.say(
        "`add` still converts the amount with `float()`, so the Decimal sum meets a float.",
        ("`add` still converts the amount with `float()`, so the Decimal sum meets a float.", MUNDANE),
    )
    s.edit(
        "ledger_sync/export/totals.py",
        "        self._sums[currency] += float(amount)\n",
        "        self._sums[currency] += amount\n",
    )
    s.bash("python -m pytest -q", pytest_csv([], 31), 0, 2.3, description="Run all tests", verify=True)
    s.say("All 31 tests pass. `ledger-sync export --format csv` streams rows and per-currency totals.")
    s.save(out)


def session_chen_csv_reports(truth: Truth, out: Path, repo: Repo, ledger: FeatureLedger) -> None:
    s = Claude(
        truth,
        "chen",
        repo,
        "feature/csv-export",
        at(2, 10, 12),
        model="claude-opus-4-6",
        version="2.1.3",
        feature=ledger,
    )
    s.prompt(
        "Exporting the EUR ledger to a file crashes: UnicodeEncodeError: 'ascii' codec can't "
        "encode character '\\u20ac' in position 41. Fix please.",
        bug_report=True,
    )
    s.say(
        "The file is opened without an encoding, so the locale's ASCII codec is used for the euro "
        "sign in descriptions.",
        (
            "The file is opened without an encoding, so the locale's ASCII codec is used for the euro "
            "sign in descriptions.",
            MUNDANE,
        ),
    )
    s.edit(
        "ledger_sync/export/csv_writer.py",
        '    with target.open("w", newline="") as fh:\n',
        '    with target.open("w", newline="", encoding="utf-8") as fh:\n',
    )
    s.bash("python -m pytest -q", pytest_csv([], 31), 0, 2.2, description="Run all tests", verify=True)
    s.prompt(
        'Another one: amounts over a thousand come out as "1,234.50" in quotes and the '
        "importer on the other side splits them. No grouping separators please.",
        bug_report=True,
    )
    s.edit(
        "ledger_sync/export/csv_writer.py",
        '    return f"{abs(value).quantize(quantum):,}"\n',
        '    return f"{abs(value).quantize(quantum)}"\n',
    )
    s.edit(
        "tests/test_csv_export.py",
        "def test_description_is_trimmed():\n",
        'def test_amounts_have_no_grouping():\n    rows = rows_of([entry(5, "1234.50")])\n'
        '    assert rows[0]["amount"] == "1,234.50"\n\n\ndef test_description_is_trimmed():\n',
    )
    s.bash(
        "python -m pytest -q tests/test_csv_export.py",
        pytest_csv(
            [
                (
                    "test_amounts_have_no_grouping",
                    '>       assert rows[0]["amount"] == "1,234.50"\n'
                    "E       AssertionError: assert '1234.50' == '1,234.50'",
                )
            ],
            8,
        ),
        1,
        1.2,
        description="Run the export tests",
        verify=True,
    )
    s.say(
        "The new test itself expects the grouped form; the writer is right, the expectation is the typo.",
        ("The new test itself expects the grouped form; the writer is right, the expectation is the typo.", MUNDANE),
    )
    s.edit(
        "tests/test_csv_export.py",
        '    assert rows[0]["amount"] == "1,234.50"\n',
        '    assert rows[0]["amount"] == "1234.50"\n',
    )
    s.bash("python -m pytest -q", pytest_csv([], 32), 0, 2.2, description="Run all tests", verify=True)
    s.say("Both fixed, with a regression test for the grouping.")
    s.save(out)


def session_chen_csv_merge(truth: Truth, out: Path, repo: Repo, ledger: FeatureLedger) -> None:
    s = Codex(truth, "chen", repo, "feature/csv-export", LEDGER_SYNC_URL, at(5, 15, 30), feature=ledger)
    s.prompt("I merged main into feature/csv-export; run the tests and fix what broke.")
    s.run(
        "python -m pytest -q",
        pytest_csv(
            [
                (
                    "test_export_empty_ledger",
                    "ledger_sync/export/csv_writer.py:84: in export_to_path\n"
                    "    currency = entries[0].currency\n"
                    "E       IndexError: list index out of range",
                )
            ],
            32,
            path="tests/test_export_contract.py",
        ),
        1,
        2.4,
        verify=True,
    )
    s.say(
        "main added a contract test that exports an empty ledger; `export_to_path` reads "
        "`entries[0]` to name the file, which fails on an empty list.",
        ("`export_to_path` reads `entries[0]` to name the file, which fails on an empty list.", MUNDANE),
    )
    s.patch(
        "ledger_sync/export/csv_writer.py",
        "    currency = entries[0].currency\n",
        '    currency = entries[0].currency if entries else "empty"\n',
    )
    s.run(
        "python -m pytest -q",
        pytest_csv(
            [
                (
                    "test_export_empty_ledger",
                    '>       assert target.read_text() == "entry_id,booked_on,account,counterparty,'
                    'description,currency,amount,balance_after\\r\\n"\n'
                    "E       AssertionError: assert '' == 'entry_id,booked_on,...'",
                )
            ],
            32,
            path="tests/test_export_contract.py",
        ),
        1,
        2.3,
        verify=True,
    )
    s.say(
        "The contract wants a header even when there are no rows, but `write_csv` only writes the "
        "header when the first row arrives.",
        (
            "The contract wants a header even when there are no rows, but `write_csv` only writes the "
            "header when the first row arrives.",
            MUNDANE,
        ),
    )
    s.patch(
        "ledger_sync/export/csv_writer.py",
        "    count = 0\n    for row in iter_rows(entries, options):\n        if count == 0:\n"
        "            writer.writeheader()\n        writer.writerow(row)\n",
        "    writer.writeheader()\n    count = 0\n    for row in iter_rows(entries, options):\n"
        "        writer.writerow(row)\n",
    )
    s.run("python -m pytest -q", pytest_csv([], 33), 0, 2.2, verify=True)
    s.say("33 passed after the merge.")
    s.save(out)


def session_chen_csv_sign(truth: Truth, out: Path, repo: Repo, ledger: FeatureLedger) -> None:
    s = Claude(
        truth,
        "chen",
        repo,
        "feature/csv-export",
        at(9, 16, 40),
        model="claude-opus-4-6",
        version="2.1.8",
        feature=ledger,
    )
    s.prompt("Refunds export as positive amounts: -42.00 shows up as 42.00 in the CSV. That's wrong.", bug_report=True)
    s.edit(
        "ledger_sync/export/csv_writer.py",
        '    return f"{abs(value).quantize(quantum)}"\n',
        '    return f"{value.quantize(quantum)}"\n',
    )
    s.bash(
        "python -m pytest -q",
        pytest_csv(
            [
                (
                    "test_refunds_keep_their_sign",
                    '>       assert rows[-1]["amount"] == "42.00"\n'
                    "E       AssertionError: assert '-42.00' == '42.00'",
                )
            ],
            33,
        ),
        1,
        2.3,
        description="Run all tests",
        verify=True,
    )
    s.say(
        "`test_refunds_keep_their_sign` encoded the old behaviour: it expects the total of a refund to be positive.",
        (
            "`test_refunds_keep_their_sign` encoded the old behaviour: it expects the total of a refund "
            "to be positive.",
            MUNDANE,
        ),
    )
    s.edit(
        "tests/test_csv_export.py",
        "def test_description_is_trimmed():\n",
        'def test_refunds_keep_their_sign():\n    rows = rows_of([entry(6, "-42.00")])\n'
        '    assert rows[-1]["amount"] == "-42.00"\n\n\ndef test_description_is_trimmed():\n',
    )
    s.bash("python -m pytest -q", pytest_csv([], 34), 0, 2.3, description="Run all tests", verify=True)
    s.say("Signs are kept now. I'll also document the CSV columns in the README.")
    repo.files.setdefault(repo.abs("README.md"), "# ledger-sync\n\n## Export\n\nJSON only.\n")
    s.edit(
        "README.md",
        "JSON only.\n",
        "`ledger-sync export LEDGER --format csv` writes one row per entry and a `TOTAL-<CUR>` row per currency.\n",
    )
    s.save(out)


def session_chen_csv_timezones(truth: Truth, out: Path, repo: Repo, ledger: FeatureLedger) -> None:
    s = Codex(truth, "chen", repo, "feature/csv-export", LEDGER_SYNC_URL, at(15, 9, 50), style="shell", feature=ledger)
    s.prompt("CI on the Singapore runner fails the export tests. Take a look.")
    s.run(
        "TZ=Asia/Singapore python -m pytest -q tests/test_csv_export.py",
        pytest_csv(
            [
                (
                    "test_booked_on_is_the_utc_day",
                    '>       assert rows[0]["booked_on"] == "2026-09-01"\n'
                    "E       AssertionError: assert '2026-09-02' == '2026-09-01'",
                )
            ],
            10,
        ),
        1,
        1.6,
        verify=True,
    )
    s.say(
        "`format_day` takes `.date()` of an aware datetime in its own offset, so entries booked late "
        "in the UTC day land on the next day in +08:00 ledgers.",
        (
            "`format_day` takes `.date()` of an aware datetime in its own offset, so entries booked late "
            "in the UTC day land on the next day in +08:00 ledgers.",
            MUNDANE,
        ),
    )
    s.patch(
        "ledger_sync/export/csv_writer.py",
        "    if isinstance(value, datetime):\n        value = value.date()\n",
        "    value = value.astimezone(timezone.utc).date()\n",
    )
    s.run(
        "TZ=Asia/Singapore python -m pytest -q tests/test_csv_export.py",
        pytest_csv(
            [
                (
                    "test_plain_dates_are_kept",
                    "ledger_sync/export/csv_writer.py:43: in format_day\n"
                    "    value = value.astimezone(timezone.utc).date()\n"
                    "E       AttributeError: 'datetime.date' object has no attribute 'astimezone'",
                )
            ],
            10,
        ),
        1,
        1.5,
        verify=True,
    )
    s.say(
        "Plain `date` values have no `astimezone`; only datetimes should be converted, and "
        "`timezone` isn't imported either.",
        (
            "Plain `date` values have no `astimezone`; only datetimes should be converted, and "
            "`timezone` isn't imported either.",
            MUNDANE,
        ),
    )
    s.patch(
        "ledger_sync/export/csv_writer.py",
        "    value = value.astimezone(timezone.utc).date()\n",
        "    if isinstance(value, datetime):\n        value = value.astimezone(timezone.utc).date()\n",
    )
    s.patch(
        "ledger_sync/export/csv_writer.py",
        "from datetime import date, datetime\n",
        "from datetime import date, datetime, timezone\n",
    )
    s.run("TZ=Asia/Singapore python -m pytest -q tests/test_csv_export.py", pytest_csv([], 11), 0, 1.5, verify=True)
    s.prompt('Also the CLI help still says "export a ledger (json only)", which is wrong now.', bug_report=True)
    s.patch("ledger_sync/cli.py", 'help="export a ledger (json only)"', 'help="export a ledger as JSON or CSV"')
    s.run("python -m pytest -q tests/test_cli.py", pytest_csv([], 6, path="tests/test_cli.py"), 0, 1.2, verify=True)
    s.say("Fixed the UTC day and the help text; tests pass on the Singapore runner settings.")
    s.save(out)


# ---------------------------------------------------------------------------------------------


def build(out: Path) -> dict:
    truth = Truth()
    session_alice_render_timeout(truth, out)
    session_alice_settle_delay(truth, out)
    session_alice_health_loop(truth, out)
    session_bob_fetch_deadline(truth, out)
    session_bob_rollout_status(truth, out)
    session_bob_probe_delay(truth, out)
    session_chen_thread_sleep(truth, out)
    session_chen_sync_timeout(truth, out)
    session_alice_webhooks(truth, out)
    session_bob_condition_wait(truth, out)
    session_chen_poll_interval(truth, out)
    session_bob_measured_raise(truth, out)
    session_alice_iso_requests(truth, out)
    session_chen_build_infra(truth, out)
    session_bob_indexer(truth, out)
    session_alice_fresh_clone(truth, out)

    csv_repo = Repo(LEDGER_SYNC, {"ledger_sync/cli.py": CLI_PY})
    ledger = truth.feature("ledger-sync", "feature/csv-export")
    session_chen_csv_build(truth, out, csv_repo, ledger)
    session_chen_csv_reports(truth, out, csv_repo, ledger)
    session_chen_csv_merge(truth, out, csv_repo, ledger)
    session_chen_csv_sign(truth, out, csv_repo, ledger)
    session_chen_csv_timezones(truth, out, csv_repo, ledger)

    features = []
    for (repo, branch), entry in truth.features.items():
        features.append(
            {"repo": repo, "branch": branch, "sessions": sorted(entry["ledger"].sessions), **entry["ledger"].summary()}
        )
    result = {
        "about": "Held-out sessions written independently of the detectors; see build_heldout.py.",
        "spirals": truth.spirals,
        "non_spirals": truth.non_spirals,
        "explanations": truth.explanations,
        "features": features,
        "sessions": truth.sessions,
    }
    (out / "truth.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return result


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else HERE
    result = build(out)
    counts = {label: sum(1 for e in result["explanations"] if e["label"] == label) for label in (EX, LEGIT, MUNDANE)}
    print(
        f"{len(result['sessions'])} sessions, {len(result['spirals'])} spirals, "
        f"{len(result['non_spirals'])} non-spiral sessions, explanations {counts}"
    )
    for feature in result["features"]:
        print(
            f"feature {feature['repo']} {feature['branch']}: patches after 80% "
            f"{feature['patches_after_80']}, cliff {feature['cliff']} "
            f"({feature['hours_before_80']} h before, {feature['hours_after_80']} h after)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
