"""The fictional team: who uses which agent, where their checkouts live, which versions they run."""

from __future__ import annotations

from .common import Session, utc

OPUS = "claude-opus-4-6"
SONNET = "claude-sonnet-4-5-20250929"
GPT5_CODEX = "gpt-5-codex"
GPT53_CODEX = "gpt-5.3-codex"
GEMINI_PRO = "gemini-2.5-pro"
AIDER_SONNET = "anthropic/claude-sonnet-4-5-20250929"
AIDER_GPT4O = "gpt-4o"
AIDER_LOCAL = "ollama/qwen3-coder:30b"
CODEX_LOCAL = "qwen3-coder:30b"

HOMES = {"alice": "/home/alice/src", "bob": "/home/bob/code", "carol": "/home/carol/work", "dave": "/home/dave"}
CODEX_UPGRADE = utc("2026-10-19T00:00:00Z")  # bob moves from codex 0.47 to 0.104
CLAUDE_UPGRADE = utc("2026-10-26T00:00:00Z")  # alice moves from Claude Code 2.1.39 to 2.1.45


def cwd_of(user: str, repo: str) -> str:
    return f"{HOMES[user]}/{repo}"


def version_for(user: str, agent: str, start) -> str:
    if agent == "claude":
        if user == "carol":
            return "2.1.42"
        return "2.1.39" if start < CLAUDE_UPGRADE else "2.1.45"
    if agent == "codex":
        return "0.47.0" if start < CODEX_UPGRADE else "0.104.0"
    if agent == "gemini":
        return "0.9.0"
    return "0.86.1"


def session(user: str, agent: str, repo: str, branch: str, start: str, model: str, label: str, **options) -> Session:
    """A new session script for one teammate."""
    when = utc(start)
    return Session(
        user=user,
        agent=agent,
        repo=repo,
        branch=branch,
        start=when,
        model=model,
        label=label,
        version=version_for(user, agent, when),
        options=options,
    )
