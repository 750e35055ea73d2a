"""Codex CLI rollouts: ~/.codex/sessions/YYYY/MM/DD/rollout-<start>-<uuid7>.jsonl.

Two generations of the format appear, as on a real team that upgrades mid-way:
  * codex_cli_rs 0.47 with gpt-5-codex: `shell` calls with an argv array and JSON outputs
    ``{"output": ..., "metadata": {"exit_code": N, "duration_seconds": S}}``;
  * codex_cli_rs 0.104 with gpt-5.3-codex: `exec_command` calls with a ``cmd`` string and the
    plain-text output block (Chunk ID / Wall time / Process exited with code N / Output:),
    plus task_started / task_complete events.
Both write session_meta (cwd, git branch/commit/repository_url), a turn_context per sampling
request, response_item reasoning/message/function_call/custom_tool_call(apply_patch) items
and event_msg token_count rows with cumulative and last usage; some token_count rows are
written twice with unchanged totals, as Codex does.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta

from .common import Clock, Edit, Ids, Patch, Read, Reply, Repos, Session, Shell, Write, hunk_lines, iso_ms, tokens_of
from .ledger import Ledger

BASE_INSTRUCTIONS = (
    "You are Codex, based on GPT-5. You are running as a coding agent in the Codex CLI on a user's "
    "computer.\n\n## General\n\n- When searching for text or files, prefer using `rg` or `rg --files` "
    "respectively because `rg` is much faster than alternatives like `grep`.\n\n## Editing constraints\n\n"
    "- Default to ASCII when editing or creating files.\n- Add succinct code comments only where the code "
    "is not self-explanatory.\n- You may be in a dirty git worktree. NEVER revert existing changes you did "
    "not make unless explicitly requested.\n\n## Presenting your work and final message\n\nYou are "
    "producing plain text that will later be styled by the CLI. Be concise; friendly coding teammate tone."
)


def dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def compact(obj: dict) -> str:
    """Tool-call arguments as Codex serialises them: compact JSON in a string."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def is_legacy(s: Session) -> bool:
    return s.version.startswith("0.4")


class CodexWriter:
    """Renders a Session script into one Codex rollout file."""

    def __init__(self, ids: Ids, repos: Repos, ledger: Ledger, rng: random.Random, cwd_of):
        self.ids, self.repos, self.ledger, self.rng = ids, repos, ledger, rng
        self.cwd_of = cwd_of

    def render(self, s: Session) -> dict[str, str]:
        clock = Clock(s.start, self.rng)
        s.session_id = self.ids.uuid7(s.start)
        stamp = s.start.strftime("%Y-%m-%dT%H-%M-%S")
        s.rel_path = f"{s.user}/.codex/sessions/{s.start:%Y/%m/%d}/rollout-{stamp}-{s.session_id}.jsonl"
        cwd = self.cwd_of(s.user, s.repo)
        st = {
            "s": s,
            "cwd": cwd,
            "clock": clock,
            "lines": [],
            "ctx": self.rng.randint(11000, 16000),
            "prev_ctx": None,
            "last_call": None,
            "total": dict.fromkeys(
                ["input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens"], 0
            ),
            "used": self.rng.uniform(2.0, 30.0),
            "turn_id": None,
            "epoch": int(s.start.timestamp()),
        }
        self._meta(st)
        for index, turn in enumerate(s.turns):
            clock.tick(turn.pause if index else 1.5)
            self._turn(st, turn)
        s.end = clock.now
        self.ledger.add_session(s, [s.model])
        return {s.rel_path: "".join(line + "\n" for line in st["lines"])}

    # ------------------------------------------------------------------ records

    def _emit(self, st: dict, kind: str, payload: dict) -> None:
        st["lines"].append(dump({"timestamp": iso_ms(st["clock"].now), "type": kind, "payload": payload}))

    def _meta(self, st: dict) -> None:
        s: Session = st["s"]
        meta = {
            "id": s.session_id,
            "timestamp": iso_ms(s.start - timedelta(milliseconds=self.rng.randint(5, 900))),
            "cwd": st["cwd"],
            "originator": "codex_cli_rs",
            "cli_version": s.version,
        }
        if is_legacy(s):
            meta.update({"instructions": None, "source": "cli"})
        else:
            meta.update(
                {
                    "source": "cli",
                    "model_provider": s.options.get("provider", "openai"),
                    "base_instructions": {"text": BASE_INSTRUCTIONS},
                }
            )
        meta["git"] = {
            "commit_hash": self.ids.hex(40),
            "branch": s.branch,
            "repository_url": f"git@github.com:acme-data/{s.repo}.git",
        }
        self._emit(st, "session_meta", meta)
        env = (
            f"<environment_context>\n  <cwd>{st['cwd']}</cwd>\n  <approval_policy>on-request</approval_policy>\n"
            f"  <sandbox_mode>workspace-write</sandbox_mode>\n  <network_access>restricted</network_access>\n"
            f"  <shell>bash</shell>\n</environment_context>"
        )
        self._emit(
            st, "response_item", {"type": "message", "role": "user", "content": [{"type": "input_text", "text": env}]}
        )

    def _turn_context(self, st: dict) -> None:
        s: Session = st["s"]
        if is_legacy(s):
            payload = {
                "cwd": st["cwd"],
                "approval_policy": "on-request",
                "sandbox_policy": {
                    "mode": "workspace-write",
                    "network_access": False,
                    "exclude_tmpdir_env_var": False,
                    "exclude_slash_tmp": False,
                },
                "model": s.model,
                "effort": "medium",
                "summary": "auto",
            }
        else:
            payload = {
                "turn_id": st["turn_id"],
                "cwd": st["cwd"],
                "approval_policy": "on-request",
                "sandbox_policy": {
                    "type": "workspace-write",
                    "writable_roots": [st["cwd"]],
                    "network_access": False,
                    "exclude_tmpdir_env_var": False,
                    "exclude_slash_tmp": False,
                },
                "model": s.model,
                "personality": "pragmatic",
                "collaboration_mode": {
                    "mode": "default",
                    "settings": {"model": s.model, "reasoning_effort": "high", "developer_instructions": None},
                },
                "effort": "high",
                "summary": "auto",
                "truncation_policy": {"mode": "tokens", "limit": 10000},
            }
        self._emit(st, "turn_context", payload)

    def _rate_limits(self, st: dict):
        s: Session = st["s"]
        if s.options.get("provider", "openai") != "openai":
            return None
        st["used"] = min(99.0, st["used"] + self.rng.uniform(0.0, 0.6))
        used = round(st["used"])
        if is_legacy(s):
            return {
                "primary": {"used_percent": float(used), "window_minutes": 299, "resets_in_seconds": 14400},
                "secondary": {"used_percent": float(used // 3), "window_minutes": 10079, "resets_in_seconds": 302400},
            }
        return {
            "limit_id": "codex",
            "limit_name": None,
            "primary": {"used_percent": float(used), "window_minutes": 300, "resets_at": st["epoch"] + 14400},
            "secondary": {"used_percent": float(used // 3), "window_minutes": 10080, "resets_at": st["epoch"] + 302400},
            "credits": {"has_credits": False, "unlimited": False, "balance": None},
            "plan_type": None,
        }

    def _token_count(self, st: dict, last: dict | None, rate_limits: dict | None = None) -> None:
        info = None
        if last is not None:
            window = 272000 if is_legacy(st["s"]) else 258400
            info = {"total_token_usage": dict(st["total"]), "last_token_usage": last, "model_context_window": window}
        limits = rate_limits if rate_limits is not None else self._rate_limits(st)
        self._emit(st, "event_msg", {"type": "token_count", "info": info, "rate_limits": limits})

    # ------------------------------------------------------------------ turns

    def _turn(self, st: dict, turn) -> None:
        s: Session = st["s"]
        clock: Clock = st["clock"]
        if not is_legacy(s):
            st["turn_id"] = self.ids.uuid7(clock.now)
            self._emit(
                st,
                "event_msg",
                {
                    "type": "task_started",
                    "turn_id": st["turn_id"],
                    "model_context_window": 258400,
                    "collaboration_mode_kind": "default",
                },
            )
        self._emit(
            st,
            "response_item",
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": turn.prompt}]},
        )
        if is_legacy(s):
            self._emit(st, "event_msg", {"type": "user_message", "message": turn.prompt, "kind": "plain"})
        else:
            self._emit(
                st,
                "event_msg",
                {"type": "user_message", "message": turn.prompt, "images": [], "local_images": [], "text_elements": []},
            )
        st["ctx"] += tokens_of(turn.prompt)
        self._turn_context(st)
        clock.tick(self.rng.uniform(0.5, 2.0))
        self._token_count(st, None)
        last_text = ""
        for reply in turn.replies:
            self._reply(st, reply)
            last_text = reply.text or last_text
        if not is_legacy(s):
            clock.tick(0.02)
            self._emit(
                st, "event_msg", {"type": "task_complete", "turn_id": st["turn_id"], "last_agent_message": last_text}
            )

    def _usage(self, st: dict, text_tokens: int, think: str | None) -> dict:
        clock: Clock = st["clock"]
        fresh = st["last_call"] is None or (clock.now - st["last_call"]).total_seconds() > 900
        cached = self.rng.choice([2944, 3456, 3840]) if fresh else (st["prev_ctx"] // 128) * 128
        reasoning = (tokens_of(think) * 3 if think else 0) + self.rng.randint(0, 220)
        out = text_tokens + reasoning
        last = {
            "input_tokens": st["ctx"],
            "cached_input_tokens": min(cached, st["ctx"]),
            "output_tokens": out,
            "reasoning_output_tokens": reasoning,
            "total_tokens": st["ctx"] + out,
        }
        for key, value in last.items():
            st["total"][key] += value
        st["prev_ctx"], st["last_call"] = st["ctx"], clock.now
        st["ctx"] += out
        return last

    def _reply(self, st: dict, reply: Reply) -> None:
        s: Session = st["s"]
        clock: Clock = st["clock"]
        clock.jitter(2.0, 6.0)
        summary = [{"type": "summary_text", "text": f"**{reply.think}**"}] if reply.think else []
        if reply.think:
            self._emit(st, "event_msg", {"type": "agent_reasoning", "text": f"**{reply.think}**"})
        self._emit(
            st,
            "response_item",
            {
                "type": "reasoning",
                "summary": summary,
                "content": None,
                "encrypted_content": self.ids.urlsafe_blob(self.rng.randint(300, 900)),
            },
        )
        text_tokens = 0
        if reply.text:
            clock.jitter(0.5, 2.5)
            self._emit(st, "event_msg", {"type": "agent_message", "message": reply.text})
            self._emit(
                st,
                "response_item",
                {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": reply.text}]},
            )
            text_tokens += tokens_of(reply.text)
            if reply.tags:
                self.ledger.text(s, clock.now, reply.text, reply.tags)
        call = None
        if reply.tool is not None:
            call = self._call(st, reply.tool)
            text_tokens += tokens_of(json.dumps(call))
            self._emit(st, "response_item", call)
        last = self._usage(st, text_tokens, reply.think)
        limits = self._rate_limits(st)
        self._token_count(st, last, limits)
        if self.rng.random() < 0.35:
            self._token_count(st, last, limits)  # Codex re-emits the row with unchanged totals
        if call is not None:
            self._output(st, reply.tool, call)
            clock.tick(0.01)
            self._turn_context(st)

    # ------------------------------------------------------------------ tools

    def _call(self, st: dict, tool) -> dict:
        s: Session = st["s"]
        call_id = self.ids.call_id()
        if isinstance(tool, (Edit, Patch, Write)):
            return {
                "type": "custom_tool_call",
                "status": "completed",
                "call_id": call_id,
                "name": "apply_patch",
                "input": apply_patch_text(tool),
            }
        command = tool.command if isinstance(tool, Shell) else f"sed -n '1,220p' {tool.path}"
        if is_legacy(s):
            args = {"command": ["bash", "-lc", command], "workdir": st["cwd"]}
            if isinstance(tool, Shell) and tool.timeout_ms:
                args["timeout_ms"] = tool.timeout_ms
            return {"type": "function_call", "name": "shell", "arguments": compact(args), "call_id": call_id}
        args = {"cmd": command, "workdir": st["cwd"]}
        if isinstance(tool, Shell) and tool.timeout_ms:
            args["yield_time_ms"] = tool.timeout_ms
        args["max_output_tokens"] = 6000
        return {"type": "function_call", "name": "exec_command", "arguments": compact(args), "call_id": call_id}

    def _output(self, st: dict, tool, call: dict) -> None:
        s: Session = st["s"]
        clock: Clock = st["clock"]
        if isinstance(tool, (Edit, Patch, Write)):
            changed = self._apply(st, tool)
            clock.jitter(0.05, 0.4)
            body = "Success. Updated the following files:\n" + "".join(f"{m} {p}\n" for m, p in changed)
            if is_legacy(s):
                output = compact({"output": body, "metadata": {"exit_code": 0, "duration_seconds": 0.0}})
            else:
                output = f"Exit code: 0\nWall time: {self.rng.uniform(0.05, 0.4):.1f} seconds\nOutput:\n{body}"
            self._emit(
                st, "response_item", {"type": "custom_tool_call_output", "call_id": call["call_id"], "output": output}
            )
            self.ledger.edit(s, clock.now, call["call_id"], tool)
            st["ctx"] += tokens_of(output)
            return
        if isinstance(tool, Read):
            text, code, duration = self.repos.read(s.repo, s.branch, tool.path), 0, self.rng.uniform(0.01, 0.08)
        else:
            text, code, duration = tool.output, tool.exit_code, tool.duration + self.rng.uniform(0.05, 0.9)
        clock.tick(duration)
        if is_legacy(s):
            output = compact({"output": text, "metadata": {"exit_code": code, "duration_seconds": round(duration, 1)}})
        else:
            output = (
                f"Chunk ID: {self.ids.hex(6)}\nWall time: {duration:.4f} seconds\n"
                f"Process exited with code {code}\nOriginal token count: {tokens_of(text)}\nOutput:\n{text}"
            )
        self._emit(st, "response_item", {"type": "function_call_output", "call_id": call["call_id"], "output": output})
        if isinstance(tool, Shell):
            self.ledger.shell(s, clock.now, tool.command, code)
        st["ctx"] += tokens_of(output)

    def _apply(self, st: dict, tool) -> list[tuple[str, str]]:
        s: Session = st["s"]
        if isinstance(tool, Write):
            before = self.repos.write(s.repo, s.branch, tool.path, tool.content)
            return [("A" if before is None else "M", tool.path)]
        edits = tool.edits if isinstance(tool, Patch) else [tool]
        for edit in edits:
            self.repos.replace(s.repo, s.branch, edit.path, edit.old, edit.new)
        return [("M", path) for path in dict.fromkeys(e.path for e in edits)]


def apply_patch_text(tool) -> str:
    """The freeform apply_patch envelope Codex sends for an edit, a multi-file patch or a new file."""
    lines = ["*** Begin Patch"]
    if isinstance(tool, Write):
        lines.append(f"*** Add File: {tool.path}")
        lines += ["+" + line for line in tool.content.rstrip("\n").split("\n")]
    else:
        edits = tool.edits if isinstance(tool, Patch) else [tool]
        for path in dict.fromkeys(e.path for e in edits):
            lines.append(f"*** Update File: {path}")
            for edit in (e for e in edits if e.path == path):
                lines.append("@@")
                lines += hunk_lines(edit.old, edit.new)
    lines.append("*** End Patch")
    return "\n".join(lines)
