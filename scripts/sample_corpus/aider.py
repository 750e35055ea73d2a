"""Aider chat histories: <project>/.aider.chat.history.md, one file per project, sessions appended.

Each session starts with "# aider chat started at <local time>" and the startup banner
(model, edit format, repo map); "#### " lines are the user's input, "> " lines are aider's
own output (tool output, token and cost reports, applied edits, commits), everything else
is the model's reply with SEARCH/REPLACE blocks. Aider writes no timezone; this team's
machines run on UTC. The cost line is computed from the model's list price, the way aider
does; a local ollama model gets a token line without a cost.
"""

from __future__ import annotations

import math
import random

from .common import Clock, Edit, Ids, Repos, Session, Shell, Write, tokens_of
from .ledger import Ledger

PRICES = {  # USD per million tokens (input, output)
    "anthropic/claude-sonnet-4-5-20250929": (3.0, 15.0),
    "gpt-4o": (2.5, 10.0),
}
WEAK = {"anthropic/claude-sonnet-4-5-20250929": "anthropic/claude-3-5-haiku-20241022", "gpt-4o": "gpt-4o-mini"}
FENCE = {
    ".tf": "hcl",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".py": "python",
    ".sh": "bash",
    ".md": "markdown",
    ".tpl": "yaml",
    ".json": "json",
    ".sql": "sql",
}


def format_tokens(count: int) -> str:
    if count < 1000:
        return str(count)
    if count < 10000:
        return f"{count / 1000:.1f}k"
    return f"{round(count / 1000)}k"


def format_cost(value: float) -> str:
    if value >= 0.01:
        return f"{value:.2f}"
    return f"{value:.{max(2, 2 - int(math.log10(value)))}f}"


def fence(path: str) -> str:
    for suffix, lang in FENCE.items():
        if path.endswith(suffix):
            return lang
    return ""


def quoted(text: str) -> str:
    """Aider's own output lines: '> ' prefix and a trailing markdown line break."""
    return "".join(f"> {line}  \n".replace(">   \n", ">  \n") for line in text.rstrip("\n").split("\n"))


class AiderWriter:
    """Renders Session scripts into .aider.chat.history.md text, one session at a time."""

    def __init__(self, ids: Ids, repos: Repos, ledger: Ledger, rng: random.Random, cwd_of):
        self.ids, self.repos, self.ledger, self.rng = ids, repos, ledger, rng
        self.cwd_of = cwd_of

    def render(self, s: Session) -> dict[str, str]:
        clock = Clock(s.start, self.rng)
        s.rel_path = f"{s.user}/{s.repo}/.aider.chat.history.md"
        s.session_id = f"{s.rel_path}#{s.start:%Y-%m-%d %H:%M:%S}"
        st = {"s": s, "clock": clock, "ctx": 4096 + self.rng.randint(600, 2400), "cost": 0.0}
        parts = [f"\n# aider chat started at {s.start:%Y-%m-%d %H:%M:%S}\n\n", self._banner(s)]
        for index, turn in enumerate(s.turns):
            clock.tick(turn.pause if index else 5)
            parts.append(self._turn(st, turn))
        s.end = clock.now
        self.ledger.add_session(s, [s.model])
        return {s.rel_path: "".join(parts)}

    def _banner(self, s: Session) -> str:
        model = s.model
        lines = [f"/home/{s.user}/.local/bin/aider --model {s.options.get('alias', model)}"]
        if model.startswith("ollama/"):
            lines.append(f"Warning for {model}: Unknown context window size and costs, using sane defaults.")
        lines.append("Aider v0.86.1")
        if model in WEAK:
            suffix = ", infinite output" if model.startswith("anthropic/") else ""
            lines.append(f"Main model: {model} with diff edit format{suffix}")
            lines.append(f"Weak model: {WEAK[model]}")
        else:
            lines.append(f"Model: {model} with whole edit format")
        lines.append(f"Git repo: .git with {s.options.get('files', 180)} files")
        lines.append("Repo-map: using 4096 tokens, auto refresh")
        return quoted("\n".join(lines)) + "\n"

    def _turn(self, st: dict, turn) -> str:
        s: Session = st["s"]
        prompt = turn.prompt
        out = "".join(f"#### {line}  \n" for line in prompt.split("\n"))
        if prompt.startswith("/add "):
            return out + quoted("\n".join(f"Added {p} to the chat" for p in prompt[5:].split())) + "\n"
        if prompt.startswith("/run "):
            shell: Shell = turn.replies[0].tool
            st["clock"].tick(shell.duration)
            self.ledger.shell(s, st["clock"].now, shell.command, shell.exit_code)
            st["ctx"] += tokens_of(shell.output)
            body = quoted(shell.output) + "> Add the output to the chat?\n(y/n/instructions) y  \n"
            return out + body + quoted(shell.output) + "\n"
        st["ctx"] += tokens_of(prompt)
        return out + "\n" + self._answer(st, turn)

    def _answer(self, st: dict, turn) -> str:
        s: Session = st["s"]
        clock: Clock = st["clock"]
        clock.jitter(4.0, 20.0)
        text, notes = [], []
        for reply in turn.replies:
            if reply.text:
                text.append(reply.text)
                if reply.tags:
                    self.ledger.text(s, clock.now, reply.text, reply.tags)
            if isinstance(reply.tool, (Edit, Write)):
                text.append(self._block(s, reply.tool))
                notes.append(f"Applied edit to {reply.tool.path}")
        body = "\n\n".join(text) + "\n\n"
        received = tokens_of(body)
        sent = st["ctx"]
        line = f"Tokens: {format_tokens(sent)} sent, {format_tokens(received)} received."
        if s.model in PRICES:
            price_in, price_out = PRICES[s.model]
            cost = (sent * price_in + received * price_out) / 1e6
            st["cost"] += cost
            line += f" Cost: ${format_cost(cost)} message, ${format_cost(st['cost'])} session."
        st["ctx"] += received
        for reply in turn.replies:
            if isinstance(reply.tool, (Edit, Write)):
                self._apply(s, reply.tool)
                self.ledger.edit(s, clock.now, f"aider-{self.ids.hex(7)}", reply.tool)
        if notes:
            summary = turn.replies[-1].think or "chore: apply requested change"
            notes.append(f"Commit {self.ids.hex(7)} {summary}")
            notes.append("You can use /undo to undo and discard each aider commit.")
        return body + quoted("\n".join([line] + notes)) + "\n"

    def _block(self, s: Session, tool) -> str:
        lang = fence(tool.path)
        if isinstance(tool, Write) or s.model.startswith("ollama/"):
            content = (
                tool.content
                if isinstance(tool, Write)
                else self.repos.read(s.repo, s.branch, tool.path).replace(tool.old, tool.new)
            )
            if isinstance(tool, Write) and not s.model.startswith("ollama/"):
                return f"{tool.path}\n```{lang}\n<<<<<<< SEARCH\n=======\n{content.rstrip()}\n>>>>>>> REPLACE\n```"
            return f"{tool.path}\n```{lang}\n{content.rstrip()}\n```"
        return (
            f"{tool.path}\n```{lang}\n<<<<<<< SEARCH\n{tool.old.rstrip(chr(10))}\n=======\n"
            f"{tool.new.rstrip(chr(10))}\n>>>>>>> REPLACE\n```"
        )

    def _apply(self, s: Session, tool) -> None:
        if isinstance(tool, Write):
            self.repos.write(s.repo, s.branch, tool.path, tool.content)
        else:
            self.repos.replace(s.repo, s.branch, tool.path, tool.old, tool.new)
