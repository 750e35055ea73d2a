"""Claude Code transcripts: ~/.claude/projects/<cwd with / as ->/<session uuid>.jsonl.

Written the way Claude Code 2.1 writes them: one JSON object per line; every content block
of a model response on its own line, all lines of one response sharing message.id and
requestId, early lines carrying a streaming placeholder in usage.output_tokens and the last
line the real count; tool results as user lines with a toolUseResult; a sub-agent in
<session>/subagents/agent-<id>.jsonl with isSidechain true and the parent's sessionId.
"""

from __future__ import annotations

import json
import random

from .common import (
    Clock,
    Edit,
    Ids,
    Read,
    Reply,
    Repos,
    Session,
    Shell,
    Task,
    Turn,
    Write,
    iso_ms,
    numbered,
    structured_patch,
    tokens_of,
)
from .ledger import Ledger

SLUG_WORDS = (
    ["quiet", "radiant", "brisk", "amber", "gentle", "lucid", "hidden", "steady", "silver", "mellow"],
    ["floating", "wandering", "humming", "spinning", "glowing", "drifting", "rolling", "folding"],
    ["harbor", "lantern", "meadow", "compass", "orchard", "signal", "pebble", "falcon", "canyon"],
)


def dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def project_dir(cwd: str) -> str:
    return cwd.replace("/", "-").replace(".", "-")


class ClaudeWriter:
    """Renders a Session script into Claude Code JSONL files."""

    def __init__(self, ids: Ids, repos: Repos, ledger: Ledger, rng: random.Random, cwd_of):
        self.ids, self.repos, self.ledger, self.rng = ids, repos, ledger, rng
        self.cwd_of = cwd_of
        self.finished: dict[int, dict] = {}  # id(session) -> final state, for resumes

    # ------------------------------------------------------------------ session

    def render(self, s: Session) -> dict[str, str]:
        parent_state = self.finished.get(id(s.resume_of)) if s.resume_of else None
        s.session_id = self.ids.uuid4()
        cwd = self.cwd_of(s.user, s.repo)
        s.rel_path = f"{s.user}/.claude/projects/{project_dir(cwd)}/{s.session_id}.jsonl"
        st = {
            "session": s,
            "cwd": cwd,
            "lines": [],
            "parent": None,
            "clock": Clock(s.start, self.rng),
            "slug": "-".join(self.rng.choice(words) for words in SLUG_WORDS),
            "ctx": self.rng.randint(26000, 41000),
            "base_read": self.rng.randint(14000, 19000),
            "cached": 0,
            "last_call": None,
            "models": [s.model],
            "files": {},
            "ttl": 3600 if s.options.get("cache_1h") else 300,
            "sidechain": None,
        }
        if parent_state:
            st["lines"] = list(parent_state["lines"])
            st["parent"] = parent_state["parent"]
            st["ctx"] = parent_state["ctx"]
            st["slug"] = parent_state["slug"]
        for turn_no, turn in enumerate(s.turns):
            st["clock"].tick(turn.pause if turn_no or parent_state else 0)
            self._turn(st, turn)
        s.end = st["clock"].now
        self.finished[id(s)] = st
        files = {s.rel_path: "".join(line + "\n" for line in st["lines"])}
        files.update(st["files"])
        self.ledger.add_session(s, st["models"], [p for p in st["files"]])
        return files

    def _base(self, st: dict, with_slug: bool = True) -> dict:
        s: Session = st["session"]
        base = {
            "parentUuid": st["parent"],
            "isSidechain": st["sidechain"] is not None,
            "userType": "external",
            "cwd": st["cwd"],
            "sessionId": st.get("owner_id", s.session_id),
            "version": s.version,
            "gitBranch": s.branch,
        }
        if st["sidechain"] is not None:
            base["agentId"] = st["sidechain"]
        if with_slug:
            base["slug"] = st["slug"]
        return base

    def _emit(self, st: dict, obj: dict) -> str:
        st["lines"].append(dump(obj))
        if "uuid" in obj:
            st["parent"] = obj["uuid"]
        return obj.get("uuid", "")

    def _turn(self, st: dict, turn) -> None:
        clock: Clock = st["clock"]
        started = clock.now
        prompt_uuid = self.ids.uuid4()
        if st["sidechain"] is None:
            self._emit(
                st,
                {
                    "type": "file-history-snapshot",
                    "messageId": prompt_uuid,
                    "snapshot": {"messageId": prompt_uuid, "trackedFileBackups": {}, "timestamp": iso_ms(clock.now)},
                    "isSnapshotUpdate": False,
                },
            )
        answered = any('"type":"assistant"' in existing for existing in st["lines"])
        line = self._base(st, with_slug=answered)
        line.update(
            {
                "type": "user",
                "message": {"role": "user", "content": turn.prompt},
                "uuid": prompt_uuid,
                "timestamp": iso_ms(clock.now),
            }
        )
        if st["sidechain"] is None:
            line.update(
                {
                    "thinkingMetadata": {"maxThinkingTokens": 31999},
                    "todos": [],
                    "permissionMode": st["session"].options.get("permission_mode", "default"),
                }
            )
        self._emit(st, line)
        st["ctx"] += tokens_of(turn.prompt)
        for reply in turn.replies:
            self._reply(st, reply)
        if st["sidechain"] is None:
            clock.tick(0.05)
            self._emit(
                st,
                {
                    **self._base(st),
                    "type": "system",
                    "subtype": "turn_duration",
                    "durationMs": int((clock.now - started).total_seconds() * 1000),
                    "timestamp": iso_ms(clock.now),
                    "uuid": self.ids.uuid4(),
                    "isMeta": False,
                },
            )

    # ------------------------------------------------------------------ one model response

    def _usage(self, st: dict, out_tokens: int) -> tuple[dict, dict]:
        clock: Clock = st["clock"]
        inp = self.rng.randint(1, 9)
        expired = st["last_call"] is None or (clock.now - st["last_call"]).total_seconds() > st["ttl"]
        read = (st["base_read"] if st["sidechain"] is None else 0) if expired else st["cached"]
        create = max(0, st["ctx"] - read - inp)
        st["cached"], st["last_call"] = st["ctx"], clock.now
        st["ctx"] += out_tokens
        long = st["ttl"] == 3600
        cache = {"ephemeral_5m_input_tokens": 0 if long else create, "ephemeral_1h_input_tokens": create if long else 0}
        placeholder = {
            "input_tokens": inp,
            "cache_creation_input_tokens": create,
            "cache_read_input_tokens": read,
            "cache_creation": cache,
            "output_tokens": self.rng.choice([1, 1, 2, 3, 8, 8, 9, 10]),
            "service_tier": "standard",
            "inference_geo": "global",
        }
        final = {
            "input_tokens": inp,
            "cache_creation_input_tokens": create,
            "cache_read_input_tokens": read,
            "output_tokens": out_tokens,
            "server_tool_use": {"web_search_requests": 0, "web_fetch_requests": 0},
            "service_tier": "standard",
            "cache_creation": {
                "ephemeral_1h_input_tokens": cache["ephemeral_1h_input_tokens"],
                "ephemeral_5m_input_tokens": cache["ephemeral_5m_input_tokens"],
            },
            "inference_geo": "",
            "iterations": [],
        }
        return placeholder, final

    def _reply(self, st: dict, reply: Reply) -> None:
        s: Session = st["session"]
        clock: Clock = st["clock"]
        model = st.get("model", s.model)
        blocks: list[dict] = []
        if reply.think:
            blocks.append(
                {
                    "type": "thinking",
                    "thinking": reply.think,
                    "signature": self.ids.blob(self.rng.randint(180, 520), "Ev"),
                }
            )
        if reply.text:
            blocks.append({"type": "text", "text": reply.text})
        tool_block = None
        if reply.tool is not None:
            tool_block = self._tool_use(st, reply.tool)
            blocks.append(tool_block)
        # thinking is on (maxThinkingTokens 31999): most responses also spend tokens on reasoning
        # that the transcript does not show
        out_tokens = sum(tokens_of(json.dumps(b)) for b in blocks) + self.rng.randint(30, 450)
        clock.jitter(1.5, 4.5)
        placeholder, final = self._usage(st, out_tokens)
        msg_id, request_id = self.ids.msg_id(), self.ids.request_id()
        tool_line_uuid = ""
        for i, block in enumerate(blocks):
            last = i == len(blocks) - 1
            if i:
                clock.jitter(0.3, 1.2 + tokens_of(json.dumps(block)) / 90)
            elif last:
                clock.tick(tokens_of(json.dumps(block)) / 90)
            line = self._base(st)
            line["message"] = {
                "model": model,
                "id": msg_id,
                "type": "message",
                "role": "assistant",
                "content": [block],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": final if last else placeholder,
            }
            line.update(
                {"requestId": request_id, "type": "assistant", "uuid": self.ids.uuid4(), "timestamp": iso_ms(clock.now)}
            )
            uuid_ = self._emit(st, line)
            if block is tool_block:
                tool_line_uuid = uuid_
            if block.get("type") == "text" and reply.tags and st["sidechain"] is None:
                self.ledger.text(s, clock.now, block["text"], reply.tags)
        if reply.tool is not None:
            self._tool_result(st, reply.tool, tool_block, tool_line_uuid)

    # ------------------------------------------------------------------ tools

    def _abs(self, st: dict, path: str) -> str:
        return f"{st['cwd']}/{path}"

    def _tool_use(self, st: dict, tool) -> dict:
        block = {"type": "tool_use", "id": self.ids.tool_use_id()}
        if isinstance(tool, Shell):
            args = {"command": tool.command, "description": tool.description or describe(tool.command)}
            if tool.timeout_ms:
                args["timeout"] = tool.timeout_ms
            block.update(name="Bash", input=args)
        elif isinstance(tool, Read):
            block.update(name="Read", input={"file_path": self._abs(st, tool.path)})
        elif isinstance(tool, Edit):
            block.update(
                name="Edit",
                input={
                    "replace_all": False,
                    "file_path": self._abs(st, tool.path),
                    "old_string": tool.old,
                    "new_string": tool.new,
                },
            )
        elif isinstance(tool, Write):
            block.update(name="Write", input={"file_path": self._abs(st, tool.path), "content": tool.content})
        elif isinstance(tool, Task):
            block.update(
                name="Task",
                input={
                    "subagent_type": "Explore",
                    "description": tool.description,
                    "prompt": tool.prompt,
                    "model": "sonnet",
                },
            )
        else:
            raise TypeError(f"Claude Code sessions use one file per edit, got {type(tool).__name__}")
        block["caller"] = {"type": "direct"}
        return block

    def _tool_result(self, st: dict, tool, block: dict, tool_line_uuid: str) -> None:
        s: Session = st["session"]
        clock: Clock = st["clock"]
        content, is_error, result = self._run(st, tool, block)
        if isinstance(tool, Shell):
            clock.tick(tool.duration + self.rng.uniform(0.05, 0.9))
        elif isinstance(tool, Task):
            pass  # the sub-agent advanced the clock
        else:
            clock.jitter(0.02, 0.2)
        item = {"tool_use_id": block["id"], "type": "tool_result", "content": content}
        if is_error is not None:
            item["is_error"] = is_error
        line = self._base(st)
        line.update(
            {
                "type": "user",
                "message": {"role": "user", "content": [item]},
                "uuid": self.ids.uuid4(),
                "timestamp": iso_ms(clock.now),
                "toolUseResult": result,
                "sourceToolAssistantUUID": tool_line_uuid,
            }
        )
        self._emit(st, line)
        text = content if isinstance(content, str) else content[0]["text"]
        st["ctx"] += tokens_of(text)
        if st["sidechain"] is None:
            if isinstance(tool, Shell):
                self.ledger.shell(s, clock.now, tool.command, tool.exit_code)
            elif isinstance(tool, (Edit, Write)):
                self.ledger.edit(s, clock.now, block["id"], tool)

    def _run(self, st: dict, tool, block: dict):
        """Apply the tool to the repository and return (content, is_error, toolUseResult)."""
        s: Session = st["session"]
        if isinstance(tool, Shell):
            if tool.exit_code:
                text = f"Exit code {tool.exit_code}\n{tool.output}"
                return text, True, "Error: " + text
            return (
                tool.output,
                False,
                {
                    "stdout": tool.output,
                    "stderr": "",
                    "interrupted": False,
                    "isImage": False,
                    "noOutputExpected": False,
                },
            )
        if isinstance(tool, Read):
            content = self.repos.read(s.repo, s.branch, tool.path)
            lines = content.rstrip("\n").count("\n") + 1
            return (
                numbered(content),
                None,
                {
                    "type": "text",
                    "file": {
                        "filePath": self._abs(st, tool.path),
                        "content": content,
                        "numLines": lines,
                        "startLine": 1,
                        "totalLines": lines,
                    },
                },
            )
        if isinstance(tool, Edit):
            original = self.repos.replace(s.repo, s.branch, tool.path, tool.old, tool.new)
            path = self._abs(st, tool.path)
            return (
                f"The file {path} has been updated successfully.",
                None,
                {
                    "filePath": path,
                    "oldString": tool.old,
                    "newString": tool.new,
                    "originalFile": original,
                    "structuredPatch": structured_patch(original, tool.old, tool.new),
                    "userModified": False,
                    "replaceAll": False,
                },
            )
        if isinstance(tool, Write):
            before = self.repos.write(s.repo, s.branch, tool.path, tool.content)
            path = self._abs(st, tool.path)
            if before is None:
                return (
                    f"File created successfully at: {path}",
                    None,
                    {
                        "type": "create",
                        "filePath": path,
                        "content": tool.content,
                        "structuredPatch": [],
                        "originalFile": None,
                    },
                )
            return (
                f"The file {path} has been updated successfully.",
                None,
                {
                    "type": "update",
                    "filePath": path,
                    "content": tool.content,
                    "structuredPatch": [],
                    "originalFile": before,
                },
            )
        if isinstance(tool, Task):
            return self._subagent(st, tool, block)
        raise TypeError(type(tool).__name__)

    def _subagent(self, st: dict, task: Task, block: dict):
        """Render the sub-agent's own transcript and return the Task tool's result."""
        s: Session = st["session"]
        agent_id = "a" + self.ids.hex(6)
        started = st["clock"].now
        sub = {
            **st,
            "lines": [],
            "parent": None,
            "sidechain": agent_id,
            "owner_id": s.session_id,
            "ctx": self.rng.randint(12500, 14500),
            "cached": 0,
            "last_call": None,
            "model": task.model,
            "files": {},
            "sub_usage": None,
        }
        self._turn(sub, Turn(task.prompt, replies=task.replies))
        st["clock"] = sub["clock"]
        st["models"].append(task.model)
        rel = st["session"].rel_path[: -len(".jsonl")] + f"/subagents/agent-{agent_id}.jsonl"
        st["files"][rel] = "".join(line + "\n" for line in sub["lines"])
        last_usage = json.loads(sub["lines"][-1])["message"]["usage"]
        tools_used = sum(1 for r in task.replies if r.tool is not None)
        content = [{"type": "text", "text": task.report}]
        return (
            content,
            None,
            {
                "status": "completed",
                "prompt": task.prompt,
                "agentId": agent_id,
                "content": content,
                "totalDurationMs": int((st["clock"].now - started).total_seconds() * 1000),
                "totalTokens": sub["ctx"],
                "totalToolUseCount": tools_used,
                "usage": last_usage,
            },
        )


def describe(command: str) -> str:
    """A short Bash description like the ones Claude Code fills in."""
    head = command.split("&&")[-1].strip().split()
    if not head:
        return "Run command"
    verbs = {
        "go": "Run Go",
        "make": "Run make target",
        "kubectl": "Inspect cluster",
        "git": "Check git",
        "pytest": "Run pytest",
        "docker": "Docker",
        "helm": "Helm",
        "ls": "List files",
        "rg": "Search code",
        "cat": "Show file",
        "python": "Run Python",
        "uv": "Run with uv",
        "terraform": "Terraform",
        "time": "Time the run",
    }
    first = head[0]
    if first == "go" and len(head) > 1:
        return {"test": "Run Go tests", "vet": "Run go vet", "build": "Build"}.get(head[1], "Run Go command")
    return verbs.get(first, "Run " + first)
