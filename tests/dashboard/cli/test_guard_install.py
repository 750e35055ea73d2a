"""Install/uninstall of the guard's hooks: merged with what is there, idempotent, and a round
trip leaves the agent's settings byte-identical (realistic files with other hooks present)."""

from __future__ import annotations

import json
import stat

import pytest
from typer.testing import CliRunner

from dashboard.cli import app, guard_settings

# A Claude Code user settings file as people keep them: permissions, env, a formatter hook on
# PostToolUse, an existing PreToolUse guard on Bash, a Stop notifier, a status line, 4-space
# indent, non-ASCII text and no trailing newline.
CLAUDE_SETTINGS = b"""{
    "$schema": "https://json.schemastore.org/claude-code-settings.json",
    "permissions": {
        "allow": ["Bash(npm run lint)", "Bash(go test:*)"],
        "deny": ["Read(./.env)"]
    },
    "env": {"DISABLE_TELEMETRY": "1"},
    "hooks": {
        "PreToolUse": [
            {
                "matcher": "Bash",
                "hooks": [{"type": "command", "command": "~/.claude/hooks/no-rm-rf.sh", "timeout": 5}]
            }
        ],
        "PostToolUse": [
            {"matcher": "Edit|Write", "hooks": [{"type": "command", "command": "prettier --write \\"$CLAUDE_FILE\\""}]}
        ],
        "Stop": [{"hooks": [{"type": "command", "command": "notify-send 'Claude fini \\u00e0 l\\u2019heure'"}]}]
    },
    "statusLine": {"type": "command", "command": "~/.claude/statusline.sh", "padding": 0},
    "model": "opus"
}"""

CODEX_HOOKS = b"""{
  "hooks": {
    "SessionStart": [
      {"matcher": "startup|resume", "hooks": [{"type": "command", "command": "python3 ~/.codex/hooks/context.py"}]}
    ],
    "PreToolUse": [
      {"matcher": "Bash", "hooks": [{"type": "command", "command": "~/.codex/hooks/audit-log.sh", "timeout": 30}]}
    ]
  }
}
"""


def _target(tmp_path, agent, content):
    path = tmp_path / ("settings.json" if agent == "claude" else "hooks.json")
    if content is not None:
        path.write_bytes(content)
        path.chmod(0o600)
    return guard_settings.Target(agent, "user", path)


@pytest.mark.parametrize(
    "agent,content",
    [("claude", CLAUDE_SETTINGS), ("codex", CODEX_HOOKS), ("claude", b"{}\n"), ("codex", b'{"hooks": {}}')],
)
@pytest.mark.parametrize("mode", ["warn", "block"])
def test_round_trip_is_byte_identical(tmp_path, agent, content, mode):
    t = _target(tmp_path, agent, content)
    guard_settings.install(t, mode, python="/opt/venv/bin/python")
    installed = json.loads(t.path.read_bytes())
    assert t.path.read_bytes() != content
    commands = [h["command"] for groups in installed["hooks"].values() for g in groups for h in g["hooks"]]
    assert sum(guard_settings.MARKER in c for c in commands) == 2
    assert all(f"DASHCAM_GUARD_MODE={mode}" in c for c in commands if guard_settings.MARKER in c)
    guard_settings.uninstall(t)
    assert t.path.read_bytes() == content
    assert stat.S_IMODE(t.path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [t.path.name]


def test_other_hooks_are_kept_beside_ours(tmp_path):
    t = _target(tmp_path, "claude", CLAUDE_SETTINGS)
    guard_settings.install(t, "block", python="/py")
    data = json.loads(t.path.read_bytes())
    original = json.loads(CLAUDE_SETTINGS)
    assert data["hooks"]["PreToolUse"][0] == original["hooks"]["PreToolUse"][0]
    assert data["hooks"]["PostToolUse"] == original["hooks"]["PostToolUse"]
    assert data["hooks"]["Stop"][0] == original["hooks"]["Stop"][0]
    assert data["statusLine"] == original["statusLine"]  # never replaces the person's status line
    assert data["hooks"]["PreToolUse"][1]["matcher"] == guard_settings.CLAUDE_MATCHER
    assert (tmp_path / "settings.json.dashcam-backup").read_bytes() == CLAUDE_SETTINGS


def test_install_is_idempotent_and_a_mode_change_replaces_only_ours(tmp_path):
    t = _target(tmp_path, "claude", CLAUDE_SETTINGS)
    guard_settings.install(t, "block", python="/py")
    once = t.path.read_bytes()
    assert guard_settings.install(t, "block", python="/py").startswith("already installed")
    assert t.path.read_bytes() == once
    guard_settings.install(t, "warn", python="/py")
    data = json.loads(t.path.read_bytes())
    ours = [
        h["command"] for g in data["hooks"]["PreToolUse"] for h in g["hooks"] if guard_settings.MARKER in h["command"]
    ]
    assert len(ours) == 1 and "DASHCAM_GUARD_MODE=warn" in ours[0]
    guard_settings.uninstall(t)
    assert t.path.read_bytes() == CLAUDE_SETTINGS


def test_a_file_the_guard_created_is_removed_again(tmp_path):
    t = _target(tmp_path, "claude", None)
    guard_settings.install(t, "block", python="/py")
    assert "statusLine" in json.loads(t.path.read_bytes())
    guard_settings.uninstall(t)
    assert list(tmp_path.iterdir()) == []


def test_edits_made_after_install_survive_uninstall(tmp_path):
    t = _target(tmp_path, "claude", CLAUDE_SETTINGS)
    guard_settings.install(t, "block", python="/py")
    data = json.loads(t.path.read_bytes())
    data["model"] = "sonnet"
    t.path.write_text(json.dumps(data, indent=4))
    guard_settings.uninstall(t)
    after = json.loads(t.path.read_bytes())
    assert after == {**json.loads(CLAUDE_SETTINGS), "model": "sonnet"}


def test_invalid_settings_are_refused_untouched(tmp_path):
    t = _target(tmp_path, "claude", b'{"hooks": [oops')
    with pytest.raises(guard_settings.SettingsError, match="not valid JSON"):
        guard_settings.install(t, "block")
    assert t.path.read_bytes() == b'{"hooks": [oops'


def test_cli_install_status_uninstall(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "claude"))
    monkeypatch.setenv("DASHCAM_GUARD_DIR", str(tmp_path / "state"))
    (tmp_path / "claude").mkdir()
    settings = tmp_path / "claude" / "settings.json"
    settings.write_bytes(CLAUDE_SETTINGS)
    runner = CliRunner()
    result = runner.invoke(app, ["guard", "install", "--mode", "warn"])
    assert result.exit_code == 0, result.output
    assert "warn mode" in result.output
    status = runner.invoke(app, ["guard", "status"])
    assert status.exit_code == 0 and "yes" in status.output
    result = runner.invoke(app, ["guard", "uninstall"])
    assert result.exit_code == 0 and settings.read_bytes() == CLAUDE_SETTINGS
    bad = runner.invoke(app, ["guard", "install", "--mode", "loud"])
    assert bad.exit_code == 1 and "--mode warn" in bad.output
