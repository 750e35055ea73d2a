"""A small corpus in every format, with hostile text planted in every field a reader stores.

One session per agent (Claude Code, Codex, Gemini, Aider), dated 2026-11-18 (ISO week 2026-W47),
each carrying the given text in: the session title, the working directory (the project name),
the git remote (Codex), a prompt, a reply, a shell command, a tool call's file path, the tool's
output, and one broken line (a recorded problem, kept with its raw text).
"""

from __future__ import annotations

import json
from pathlib import Path

DAY = "2026-11-18"
WEEK = "2026-W47"


def _line(obj: dict) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False) + "\n"


def write_corpus(root: Path, text: str, short: str, url_secret: str = "") -> list[Path]:
    """Transcripts under ``root`` with ``text`` in every text field and ``short`` (one line, no
    slash) in the names: project folder inside the cwd, title and file path. Returns the files."""
    cwd = f"/home/u/{short}"
    remote = f"https://x-access-token:{url_secret or 'none'}@github.com/acme/shop.git"
    broken = '{"type":"user","message":' + json.dumps(text)  # cut off: not JSON
    files = [
        _claude(root, cwd, text, short, broken),
        _codex(root, cwd, text, short, remote, broken),
        _gemini(root, cwd, text, short),
        _aider(root, text, short),
    ]
    return files


def _claude(root: Path, cwd: str, text: str, short: str, broken: str) -> Path:
    sid = "5a1e0c3d-0000-4000-8000-00000000c1a0"
    path = root / ".claude" / "projects" / "-home-u-shop" / f"{sid}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    base = {
        "isSidechain": False,
        "userType": "external",
        "cwd": cwd,
        "sessionId": sid,
        "version": "2.1.45",
        "gitBranch": short,
    }
    usage = {"input_tokens": 10, "output_tokens": 20, "cache_read_input_tokens": 0, "cache_creation_input_tokens": 0}
    lines = [
        _line(
            {
                **base,
                "parentUuid": None,
                "type": "user",
                "uuid": "u1",
                "timestamp": f"{DAY}T10:00:00.000Z",
                "message": {"role": "user", "content": text},
            }
        ),
        _line(
            {
                **base,
                "parentUuid": "u1",
                "type": "assistant",
                "uuid": "a1",
                "timestamp": f"{DAY}T10:00:05.000Z",
                "message": {
                    "model": "claude-sonnet-4-5-20250929",
                    "id": "msg_1",
                    "type": "message",
                    "role": "assistant",
                    "usage": usage,
                    "content": [
                        {"type": "text", "text": text},
                        {
                            "type": "tool_use",
                            "id": "toolu_1",
                            "name": "Bash",
                            "input": {"command": text, "description": text},
                        },
                        {
                            "type": "tool_use",
                            "id": "toolu_2",
                            "name": "Read",
                            "input": {"file_path": f"{cwd}/{short}.env"},
                        },
                    ],
                },
            }
        ),
        _line(
            {
                **base,
                "parentUuid": "a1",
                "type": "user",
                "uuid": "u2",
                "timestamp": f"{DAY}T10:00:09.000Z",
                "message": {
                    "role": "user",
                    "content": [
                        {"type": "tool_result", "tool_use_id": "toolu_1", "content": text, "is_error": False},
                        {"type": "tool_result", "tool_use_id": "toolu_2", "content": text},
                    ],
                },
            }
        ),
        broken + "\n",
        _line({"type": "summary", "summary": f"title {short}", "leafUuid": "u2"}),
        _line({"type": "custom-title", "customTitle": f"custom {short}", "sessionId": sid}),
    ]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _codex(root: Path, cwd: str, text: str, short: str, remote: str, broken: str) -> Path:
    sid = "01a1f35b-0000-7000-8000-00000000c0de"
    path = root / ".codex" / "sessions" / "2026" / "11" / "18" / f"rollout-{DAY}T11-00-00-{sid}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    ts = f"{DAY}T11:00:00.000Z"
    lines = [
        _line(
            {
                "timestamp": ts,
                "type": "session_meta",
                "payload": {
                    "id": sid,
                    "timestamp": ts,
                    "cwd": cwd,
                    "originator": "codex_cli_rs",
                    "cli_version": "0.47.0",
                    "instructions": text,
                    "source": "cli",
                    "git": {
                        "commit_hash": "b9af5e344a17f38694308796846d9cc37bcddf39",
                        "branch": short,
                        "repository_url": remote,
                    },
                },
            }
        ),
        _line({"timestamp": ts, "type": "turn_context", "payload": {"cwd": cwd, "model": "gpt-5-codex"}}),
        _line(
            {
                "timestamp": ts,
                "type": "response_item",
                "payload": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]},
            }
        ),
        _line(
            {
                "timestamp": ts,
                "type": "response_item",
                "payload": {
                    "type": "function_call",
                    "name": "shell",
                    "call_id": "call_1",
                    "arguments": json.dumps({"command": ["bash", "-lc", text], "workdir": cwd}),
                },
            }
        ),
        _line(
            {
                "timestamp": ts,
                "type": "response_item",
                "payload": {
                    "type": "function_call_output",
                    "call_id": "call_1",
                    "output": json.dumps({"output": text, "metadata": {"exit_code": 0, "duration_seconds": 0.1}}),
                },
            }
        ),
        _line(
            {
                "timestamp": ts,
                "type": "response_item",
                "payload": {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]},
            }
        ),
        broken + "\n",
        _line(
            {
                "timestamp": ts,
                "type": "event_msg",
                "payload": {
                    "type": "token_count",
                    "info": {
                        "total_token_usage": {
                            "input_tokens": 100,
                            "cached_input_tokens": 0,
                            "output_tokens": 10,
                            "reasoning_output_tokens": 0,
                            "total_tokens": 110,
                        },
                        "last_token_usage": {
                            "input_tokens": 100,
                            "cached_input_tokens": 0,
                            "output_tokens": 10,
                            "reasoning_output_tokens": 0,
                            "total_tokens": 110,
                        },
                    },
                },
            }
        ),
    ]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _gemini(root: Path, cwd: str, text: str, short: str) -> Path:
    folder = root / ".gemini" / "tmp" / "shop"
    (folder / "chats").mkdir(parents=True, exist_ok=True)
    (folder / ".project_root").write_text(cwd, encoding="utf-8")
    path = folder / "chats" / f"session-{DAY}T12-00-5ec4e7a1.json"
    ts = f"{DAY}T12:00:00.000Z"
    document = {
        "sessionId": "5ec4e7a1-0000-4000-8000-00000000ge01",
        "projectHash": "ab" * 32,
        "startTime": ts,
        "lastUpdated": ts,
        "summary": f"title {short}",
        "messages": [
            {"id": "m1", "timestamp": ts, "type": "user", "content": text},
            {
                "id": "m2",
                "timestamp": ts,
                "type": "gemini",
                "content": text,
                "thoughts": [],
                "model": "gemini-2.5-pro",
                "tokens": {"input": 10, "output": 5, "cached": 0, "thoughts": 0, "tool": 0, "total": 15},
                "toolCalls": [
                    {
                        "id": "run-1",
                        "name": "run_shell_command",
                        "args": {"command": text},
                        "result": [
                            {
                                "functionResponse": {
                                    "id": "run-1",
                                    "name": "run_shell_command",
                                    "response": {"output": text},
                                }
                            }
                        ],
                        "status": "success",
                        "timestamp": ts,
                    },
                    {
                        "id": "read-1",
                        "name": "read_file",
                        "args": {"absolute_path": f"{cwd}/{short}.env"},
                        "result": [
                            {"functionResponse": {"id": "read-1", "name": "read_file", "response": {"output": text}}}
                        ],
                        "status": "success",
                        "timestamp": ts,
                    },
                ],
            },
        ],
    }
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _aider(root: Path, text: str, short: str) -> Path:
    folder = root / "code" / "shop"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ".aider.chat.history.md"
    quoted = "\n".join(f"> {line}  " for line in text.splitlines())
    path.write_text(
        f"# aider chat started at {DAY} 13:00:00\n\n"
        "> /home/u/.local/bin/aider --model anthropic/claude-sonnet-4-5-20250929  \n"
        "> Aider v0.86.1  \n\n"
        f"#### {text.splitlines()[0] if text else short}  \n\n"
        f"{text}\n\n"
        f"#### /run {short}  \n\n{quoted}\n\n"
        "> Tokens: 1.2k sent, 50 received. Cost: $0.0040 message, $0.0040 session.  \n",
        encoding="utf-8",
    )
    return path
