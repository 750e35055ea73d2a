"""Writing the guard's hook entries into an agent's own settings, and taking exactly them out.

Claude Code keeps hooks in ``settings.json`` (``hooks`` -> event -> matcher groups -> handlers);
Codex in ``hooks.json`` of the same shape (the ``config.toml`` ``[[hooks.…]]`` form is left to
people who write it by hand: the guard never edits TOML). Install merges with what is there,
is idempotent (a second install changes nothing, a mode change replaces only our handlers) and
keeps the original bytes in ``<file>.dashcam-backup`` with a small manifest of what it added.
Uninstall removes the handlers whose command carries ``MARKER`` and the keys install created;
when what is left equals the original, the original bytes are written back, so a round trip
leaves the file byte-identical (key order, indentation, trailing newline, unicode escapes).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARKER = "-m ingest.guard hook"
CLAUDE_MATCHER = "Bash|Edit|MultiEdit|Write"
CODEX_MATCHER = "Bash|apply_patch"
HOOK_TIMEOUT_S = 10  # the agent kills a hook past this; the guard answers in well under a second


class SettingsError(RuntimeError):
    """The settings file cannot be read as JSON: the guard will not rewrite it."""


@dataclass
class Target:
    agent: str
    scope: str
    path: Path


def target(agent: str, scope: str, cwd: Path | None = None, home: Path | None = None) -> Target:
    home = home or Path.home()
    cwd = cwd or Path.cwd()
    if agent == "codex":
        base = cwd / ".codex" if scope == "project" else Path(os.environ.get("CODEX_HOME") or home / ".codex")
        return Target(agent, scope, base / "hooks.json")
    base = cwd / ".claude" if scope == "project" else Path(os.environ.get("CLAUDE_CONFIG_DIR") or home / ".claude")
    return Target(agent, scope, base / "settings.json")


def hook_command(agent: str, event: str, mode: str, python: str | None = None) -> str:
    # The interpreter of this install, not the `dashcam` script: the CLI imports DuckDB and
    # the dashboard stack, which alone costs more than the per-call budget.
    python = python or sys.executable
    return f"DASHCAM_GUARD_MODE={mode} {python} {MARKER} {event} --agent {agent}"


def _backup(path: Path) -> Path:
    return path.with_name(path.name + ".dashcam-backup")


def _manifest(path: Path) -> Path:
    return path.with_name(path.name + ".dashcam-guard.json")


def _read(path: Path) -> tuple[bytes | None, dict]:
    if not path.exists():
        return None, {}
    raw = path.read_bytes()
    try:
        data = json.loads(raw or b"{}")
    except ValueError as error:
        raise SettingsError(
            f"{path} is not valid JSON ({error}); fix it or move it aside, then install again"
        ) from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path} does not hold a JSON object; the guard will not rewrite it")
    return raw, data


def _indent(raw: bytes | None) -> int | str:
    if raw:
        for line in raw.decode("utf-8", "replace").splitlines()[1:]:
            stripped = line.lstrip(" \t")
            if stripped and len(stripped) < len(line):
                prefix = line[: len(line) - len(stripped)]
                return "\t" if prefix.startswith("\t") else len(prefix)
    return 2


def _ours(handler) -> bool:
    return isinstance(handler, dict) and MARKER in str(handler.get("command", ""))


def _strip(data: dict) -> dict:
    """``data`` without our handlers and the groups that held only them."""
    hooks = data.get("hooks")
    if not isinstance(hooks, dict):
        return data
    for event, groups in list(hooks.items()):
        if not isinstance(groups, list):
            continue
        kept = []
        for group in groups:
            if (
                isinstance(group, dict)
                and isinstance(group.get("hooks"), list)
                and any(_ours(h) for h in group["hooks"])
            ):
                rest = [h for h in group["hooks"] if not _ours(h)]
                if rest:
                    kept.append({**group, "hooks": rest})
            else:
                kept.append(group)
        hooks[event] = kept
    return data


def is_installed(path: Path) -> bool:
    try:
        _, data = _read(path)
    except SettingsError:
        return False
    found = data.get("hooks")
    hooks = found if isinstance(found, dict) else {}
    return any(
        _ours(h)
        for groups in hooks.values()
        if isinstance(groups, list)
        for g in groups
        if isinstance(g, dict) and isinstance(g.get("hooks"), list)
        for h in g["hooks"]
    )


def install(t: Target, mode: str = "block", python: str | None = None, statusline: bool = True) -> str:
    """Add the guard's hooks to ``t.path``; returns what was done, in words."""
    raw, data = _read(t.path)
    manifest_path = _manifest(t.path)
    first = not manifest_path.exists()
    manifest: dict[str, Any]
    if first:
        manifest = {"existed": raw is not None, "created": []}
        if raw is not None:
            _backup(t.path).write_bytes(raw)
    else:
        manifest = json.loads(manifest_path.read_text())
    data = _strip(data)
    if "hooks" not in data:
        data["hooks"] = {}
        manifest["created"].append("hooks")
    matcher = CODEX_MATCHER if t.agent == "codex" else CLAUDE_MATCHER
    for event, group_matcher in (("PreToolUse", matcher), ("Stop", None)):
        if event not in data["hooks"]:
            data["hooks"][event] = []
            manifest["created"].append(f"hooks.{event}")
        group: dict[str, object] = {
            "hooks": [
                {"type": "command", "command": hook_command(t.agent, event, mode, python), "timeout": HOOK_TIMEOUT_S}
            ]
        }
        if group_matcher:
            group = {"matcher": group_matcher, **group}
        data["hooks"][event].append(group)
    if statusline and t.agent == "claude" and "statusLine" not in data:
        python = python or sys.executable
        data["statusLine"] = {"type": "command", "command": f"{python} -m ingest.guard statusline"}
        manifest["created"].append("statusLine")
    manifest["created"] = list(dict.fromkeys(manifest["created"]))
    text = json.dumps(data, indent=_indent(raw), ensure_ascii=False) + "\n"
    t.path.parent.mkdir(parents=True, exist_ok=True)
    if raw is not None and text.encode() == raw:
        return f"already installed in {t.path}"
    _write(t.path, text.encode())
    manifest_path.write_text(json.dumps(manifest))
    return f"installed the guard ({mode} mode) in {t.path}" + (
        f"; backup in {_backup(t.path)}" if first and raw else ""
    )


def uninstall(t: Target) -> str:
    raw, data = _read(t.path)
    manifest_path = _manifest(t.path)
    manifest: dict[str, Any] = (
        json.loads(manifest_path.read_text()) if manifest_path.exists() else {"existed": True, "created": []}
    )
    if raw is None:
        return f"nothing to remove: {t.path} does not exist"
    if not is_installed(t.path) and not manifest_path.exists():
        return f"the guard is not installed in {t.path}"
    data = _strip(data)
    for key in reversed(manifest["created"]):
        parts = key.split(".")
        holder = data
        for part in parts[:-1]:
            holder = holder.get(part, {}) if isinstance(holder, dict) else {}
        value = holder.get(parts[-1]) if isinstance(holder, dict) else None
        ours = key == "statusLine" and isinstance(value, dict) and "-m ingest.guard" in str(value.get("command"))
        if ours or value in ([], {}):
            del holder[parts[-1]]
    backup = _backup(t.path)
    original = backup.read_bytes() if backup.exists() else None
    if not manifest["existed"] and data == {}:
        t.path.unlink()
        done = f"removed {t.path} (the guard had created it)"
    elif original is not None and json.loads(original or b"{}") == data:
        _write(t.path, original)
        done = f"restored {t.path} to its bytes before install"
    else:
        _write(t.path, (json.dumps(data, indent=_indent(raw), ensure_ascii=False) + "\n").encode())
        done = f"removed the guard's hooks from {t.path} (the file changed since install; other edits kept)"
    manifest_path.unlink(missing_ok=True)
    backup.unlink(missing_ok=True)
    return done


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".dashcam-tmp")
    temporary.write_bytes(data)
    if path.exists():  # settings may be private (0600): keep the file's mode
        os.chmod(temporary, path.stat().st_mode & 0o7777)
    os.replace(temporary, path)
