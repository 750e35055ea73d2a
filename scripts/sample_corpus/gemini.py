"""Gemini CLI sessions: ~/.gemini/tmp/<project>/chats/session-<start>-<id8>.json.

The legacy single-document format: {sessionId, projectHash, startTime, lastUpdated,
messages[]}, pretty-printed with two spaces. A "gemini" message carries its own token counts
(input/output/cached/thoughts/tool/total) and its toolCalls with functionResponse results;
shell results hold the exit code only inside the output text ("Exit Code: N"). As in real
files, a few messages that made tool calls carry all-zero token counts. The project folder
also holds `.project_root`, the absolute path of the project.
"""

from __future__ import annotations

import json
import random

from .claude import describe
from .common import Clock, Edit, Ids, Read, Reply, Repos, Session, Shell, Write, iso_ms, sha256_hex, tokens_of
from .ledger import Ledger

DESCRIPTIONS = {
    "replace": "Replaces text within a file. Replaces a single occurrence. This tool requires providing "
    "significant context around the change to ensure precise targeting.",
    "write_file": "Writes content to a specified file in the local filesystem.",
    "read_file": "Reads and returns the content of a specified file.",
}
DISPLAY = {"run_shell_command": "Shell", "replace": "Edit", "write_file": "WriteFile", "read_file": "ReadFile"}


class GeminiWriter:
    """Renders a Session script into one Gemini CLI session JSON document."""

    def __init__(self, ids: Ids, repos: Repos, ledger: Ledger, rng: random.Random, cwd_of):
        self.ids, self.repos, self.ledger, self.rng = ids, repos, ledger, rng
        self.cwd_of = cwd_of

    def render(self, s: Session) -> dict[str, str]:
        clock = Clock(s.start, self.rng)
        s.session_id = self.ids.uuid4()
        cwd = self.cwd_of(s.user, s.repo)
        folder = f"{s.user}/.gemini/tmp/{s.repo}"
        s.rel_path = f"{folder}/chats/session-{s.start:%Y-%m-%dT%H-%M}-{s.session_id[:8]}.json"
        st = {
            "s": s,
            "cwd": cwd,
            "clock": clock,
            "ctx": self.rng.randint(6800, 8200),
            "cached": 0,
            "zeros": set(s.options.get("zero_token_replies", [])),
        }
        messages: list[dict] = []
        reply_no = 0
        for index, turn in enumerate(s.turns):
            clock.tick(turn.pause if index else 0)
            messages.append(
                {"id": self.ids.uuid4(), "timestamp": iso_ms(clock.now), "type": "user", "content": turn.prompt}
            )
            st["ctx"] += tokens_of(turn.prompt)
            for reply in turn.replies:
                messages.append(self._reply(st, reply, zero=reply_no in st["zeros"]))
                reply_no += 1
        s.end = clock.now
        document = {
            "sessionId": s.session_id,
            "projectHash": sha256_hex(cwd),
            "startTime": iso_ms(s.start),
            "lastUpdated": iso_ms(clock.now),
            "messages": messages,
        }
        self.ledger.add_session(s, [s.model])
        return {s.rel_path: json.dumps(document, ensure_ascii=False, indent=2) + "\n", f"{folder}/.project_root": cwd}

    def _reply(self, st: dict, reply: Reply, zero: bool) -> dict:
        s: Session = st["s"]
        clock: Clock = st["clock"]
        thoughts = []
        if reply.think:
            clock.jitter(1.5, 4.0)
            subject, _, description = reply.think.partition(": ")
            thoughts.append({"subject": subject, "description": description or subject, "timestamp": iso_ms(clock.now)})
        clock.jitter(1.0, 3.5)
        message = {
            "id": self.ids.uuid4(),
            "timestamp": iso_ms(clock.now),
            "type": "gemini",
            "content": reply.text or "",
            "thoughts": thoughts,
        }
        out = tokens_of(reply.text or "") + (tokens_of(json.dumps(self._args(st, reply.tool))) if reply.tool else 0)
        thought_tokens = tokens_of(reply.think) * 2 if reply.think else 0
        tokens = {
            "input": st["ctx"],
            "output": out,
            "cached": st["cached"],
            "thoughts": thought_tokens,
            "tool": 0,
            "total": st["ctx"] + out + thought_tokens,
        }
        st["cached"] = int(st["ctx"] * self.rng.uniform(0.78, 0.95))
        st["ctx"] += out
        message["tokens"] = dict.fromkeys(tokens, 0) if zero else tokens
        message["model"] = s.model
        if reply.text and reply.tags:
            self.ledger.text(s, clock.now, reply.text, reply.tags)
        if reply.tool is not None:
            message["toolCalls"] = [self._call(st, reply.tool)]
        return message

    def _args(self, st: dict, tool) -> dict:
        if isinstance(tool, Shell):
            return {"command": tool.command, "description": tool.description or describe(tool.command)}
        path = f"{st['cwd']}/{tool.path}"
        if isinstance(tool, Read):
            return {"absolute_path": path}
        if isinstance(tool, Edit):
            name = tool.path.rsplit("/", 1)[-1]
            return {
                "file_path": path,
                "old_string": tool.old,
                "new_string": tool.new,
                "instruction": f"In {name}, replace the block shown in old_string with the updated version in "
                "new_string, keeping the surrounding code unchanged.",
            }
        return {"file_path": path, "content": tool.content}

    def _call(self, st: dict, tool) -> dict:
        s: Session = st["s"]
        clock: Clock = st["clock"]
        args = self._args(st, tool)
        name = {Shell: "run_shell_command", Read: "read_file", Edit: "replace", Write: "write_file"}[type(tool)]
        call_id = f"{name}-{int(clock.now.timestamp() * 1000)}-{self.ids.hex(13)}"
        display = None
        if isinstance(tool, Shell):
            clock.tick(tool.duration + self.rng.uniform(0.05, 0.9))
            output = f"Output: {tool.output or '(empty)'}\n"
            if tool.exit_code:
                output += f"Exit Code: {tool.exit_code}\n"
            output += f"Process Group PGID: {self.rng.randint(20000, 990000)}"
            display = tool.output
            description = f"{tool.command} [in {st['cwd']}] ({args['description']})"
            self.ledger.shell(s, clock.now, tool.command, tool.exit_code)
        else:
            clock.jitter(0.02, 0.3)
            description = DESCRIPTIONS[name]
            if isinstance(tool, Read):
                output = self.repos.read(s.repo, s.branch, tool.path)
                display = ""
            elif isinstance(tool, Edit):
                self.repos.replace(s.repo, s.branch, tool.path, tool.old, tool.new)
                output = f"Successfully modified file: {args['file_path']} (1 replacements)."
                self.ledger.edit(s, clock.now, call_id, tool)
            else:
                before = self.repos.write(s.repo, s.branch, tool.path, tool.content)
                verb = "created and wrote to new file" if before is None else "overwrote file"
                output = f"Successfully {verb}: {args['file_path']}."
                self.ledger.edit(s, clock.now, call_id, tool)
        st["ctx"] += tokens_of(output)
        call = {
            "id": call_id,
            "name": name,
            "args": args,
            "result": [{"functionResponse": {"id": call_id, "name": name, "response": {"output": output}}}],
            "status": "success",
            "timestamp": iso_ms(clock.now),
        }
        if display is not None:
            call["resultDisplay"] = display
        call.update({"displayName": DISPLAY[name], "description": description, "renderOutputAsMarkdown": False})
        return call
