"""Wait and timeout values found in shell commands, code edits, patches and prose.

The timeout-escalation audit looks for an agent that answers failing tests by raising a
wait again and again (5 s → 10 s → 20 s → … → 600 s) instead of fixing the logic. To see
that ladder, each tool call is reduced to :class:`WaitFact` records: the value in seconds,
the construct that holds it, and a ``site_key`` that stays equal while the *same* wait is
edited or re-run, so successive values can be lined up.

* :func:`waits_in_command` reads shell commands (``sleep``, ``timeout``, ``--timeout``
  flags of kubectl/helm/go test/pytest/jest/curl…, ``until``/``for`` polling loops).
* :func:`waits_in_edit` compares the wait constructs of a file's old and new text and
  reports what changed (added: ``old_seconds`` None; removed: ``seconds`` None).
* :func:`waits_in_patch` does the same for each file of an apply_patch text.
* :func:`waits_in_prose` reads assistant sentences ("bump the timeout to 2 minutes"); it
  corroborates, it never decides.

A zero timeout is reported with ``once=True`` and no value (see ``durations.as_timeout``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import PurePosixPath
from typing import cast

from ingest.facts import edits
from ingest.facts.durations import (
    as_timeout,
    duration_from_args,
    parse_duration,
    parse_duration_expr,
    unit_constant_seconds,
)
from ingest.facts.shell import Word, basename, shell_script_argument, split_commands
from ingest.rules import Rule, rule, rules
from ingest.rules.prefilter import FOLDS_ONTO_ASCII

SOURCES = ("command", "edit", "prose")
KINDS = ("wait", "timeout", "poll")
COMPOSITE_CONSTRUCTS = ("retry loop", "probe budget")


@dataclass(slots=True)
class WaitFact:
    """One wait or timeout value and where it lives.

    ``seconds``: the value (None when the construct was removed by an edit, or for a zero
    timeout, see ``once``). ``old_seconds``: the value before an edit (None when added).
    ``construct``: what holds the value (``sleep``, ``kubectl wait --timeout``,
    ``time.Sleep``, ``Eventually``, ``timeoutSeconds``, ``retry loop``…).
    ``site_key``: equal for the same wait across successive commands or edits.
    ``source``: command | edit | prose. ``kind``: wait (fixed sleep) | timeout (upper
    bound) | poll (interval inside a loop). ``raw``: the matched text (``old_raw`` before an
    edit). ``once``/``old_once``: a zero timeout — check once or no limit, never a value.
    ``rule_id``: the ``wait_syntax`` rule that recognised the construct (ingest/rules).
    """

    seconds: float | None
    construct: str
    site_key: str
    source: str
    kind: str
    raw: str
    old_seconds: float | None = None
    once: bool = False
    old_once: bool = False
    old_raw: str | None = None
    rule_id: str = ""

    @property
    def changed(self) -> bool:
        """True for an edit that changed, added or removed the value."""
        return (self.seconds, self.once) != (self.old_seconds, self.old_once)


def primary_wait(facts: list[WaitFact]) -> WaitFact | None:
    """The fact that bounds the whole wait: a loop or probe budget, else a timeout, a wait, a poll."""

    def rank(fact: WaitFact) -> int:
        if fact.construct in COMPOSITE_CONSTRUCTS:
            return 0
        return {"timeout": 1, "wait": 2, "poll": 3}.get(fact.kind, 4)

    return min(facts, key=rank, default=None)


# --------------------------------------------------------------------------- sites


@dataclass(slots=True)
class _Site:
    """A wait found in one text, before it becomes a fact (offsets are into that text)."""

    construct: str
    seconds: float | None
    once: bool
    kind: str
    raw: str
    start: int
    context: str = ""
    line: str = ""
    rule_id: str = ""
    guards: str = ""  # the text of the command a timeout bounds (a check budget's check, see check_budget_key)


def _site(construct: str, seconds: float | None, kind: str, raw: str, start: int, rule_id: str = "") -> _Site | None:
    """A site from a parsed value; unknown values and ``sleep infinity`` give no site."""
    if seconds is None or seconds == float("inf"):
        return None
    once = False
    if kind == "timeout":
        seconds, once = as_timeout(seconds)
    return _Site(construct, seconds, once, kind, raw.strip(), start, rule_id=rule_id)


# The vocabulary of waits is data (ingest/rules/wait_syntax.toml); the parsers below read values.
_NAME_RULES = tuple(r for r in rules("wait_syntax") if r.id.startswith("wait.name.") and "kind" in r.fields)
_NOT_A_DURATION_FLAG = rule("wait.flag.not_a_duration").regex
_NOT_A_DURATION_NAME = rule("wait.name.not_a_duration").regex
_WAITISH_FLAG = rule("wait.flag.duration")
_CAMEL_MS_FLAGS = rule("wait.flag.camel_ms")
_SHORT_FLAG_RULES = tuple(r for r in rules("wait_syntax") if r.category == "flag" and "programs" in r.fields)
_ASSIGNMENT_RULE = rule("wait.env.assignment")
_URL_QUERY_RULE = rule("wait.key.url_query")
_PROGRAM_RULES = {r.id: r for r in rules("wait_syntax") if r.category == "program"}


def _name_rule(name: str) -> Rule | None:
    """The ``wait.name.*`` rule a name matches first: timeout, then poll, then wait words."""
    return next((r for r in _NAME_RULES if r.search(name)), None)


def _kind_from_name(name: str) -> str | None:
    found = _name_rule(name)
    return str(found.fields["kind"]) if found else None


def _is_program(program: str, rule_id: str) -> bool:
    return bool(_PROGRAM_RULES[rule_id].regex.fullmatch(program))


def _unit_from_name(name: str) -> str | None:
    """The unit a variable or flag name announces: ``timeout_ms`` → ms, ``periodSeconds`` → s."""
    last = re.split(r"[.:]", name.strip("\"'-"))[-1]
    if last.lower() in ("ms", "s", "m", "h", "ns", "us") and last != name:  # ``socket.timeout.ms``
        return {"m": "m", "h": "h"}.get(last.lower(), last.lower())
    if re.search(r"(?i)(millis(econds?)?|msecs?|[_-]ms)$", last) or re.search(r"(Ms|MS)$", last):
        return "ms"
    if re.search(r"(?i)(nanos(econds?)?|[_-]ns)$", last):
        return "ns"
    if re.search(r"(?i)(micros(econds?)?|[_-]us)$", last):
        return "us"
    if re.search(r"(?i)(seconds?|secs?|[_-]s)$", last) or last.endswith("Sec"):
        return "s"
    if re.search(r"(?i)(minutes?|mins?|[_-]m)$", last):
        return "m"
    if re.search(r"(?i)(hours?|hrs?|[_-]h)$", last):
        return "h"
    return None


# --------------------------------------------------------------------------- commands

_WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-C", "-h", "-p", "-U"}),
    "env": frozenset({"-u", "-C", "-S"}),
    "nohup": frozenset(),
    "exec": frozenset({"-a"}),
    "command": frozenset(),
    "builtin": frozenset(),
    "nice": frozenset({"-n"}),
    "ionice": frozenset({"-c", "-n", "-p"}),
    "stdbuf": frozenset(),
    "time": frozenset({"-f", "-o"}),
    "caffeinate": frozenset(),
    "chronic": frozenset(),
    "unbuffer": frozenset(),
    "xvfb-run": frozenset({"-s", "-n"}),
}
_RUNNERS = {
    "uv": "run",
    "poetry": "run",
    "pipenv": "run",
    "pdm": "run",
    "hatch": "run",
    "rye": "run",
    "bundle": "exec",
    "pnpm": "exec",
    "npm": "exec",
    "yarn": "dlx",
}
_DIRECT_RUNNERS = frozenset({"npx", "bunx", "pnpx"})
_PYTHONS = re.compile(r"python(?:\d(?:\.\d+)?)?|py|pypy3?")
_JS_TOOLS = frozenset(
    {
        "node",
        "npm",
        "npx",
        "yarn",
        "pnpm",
        "bun",
        "bunx",
        "jest",
        "vitest",
        "mocha",
        "ava",
        "playwright",
        "cypress",
        "karma",
        "ng",
        "nx",
        "tap",
        "jasmine",
        "wdio",
        "testcafe",
        "deno",
        "turbo",
    }
)
_SUBCOMMAND_DEPTH = {
    "kubectl": 2,
    "oc": 2,
    "helm": 1,
    "go": 1,
    "docker": 2,
    "podman": 2,
    "npm": 2,
    "yarn": 1,
    "pnpm": 2,
    "bun": 1,
    "cargo": 1,
    "gh": 2,
    "gcloud": 3,
    "aws": 2,
    "az": 2,
    "kind": 2,
    "minikube": 1,
    "terraform": 1,
    "bazel": 1,
    "dotnet": 1,
    "flux": 2,
    "argocd": 2,
    "skaffold": 1,
    "tilt": 1,
    "k3d": 2,
    "playwright": 1,
    "cypress": 1,
    "nx": 1,
    "make": 1,
    "git": 1,
}
_GLOBAL_FLAGS_WITH_VALUE = frozenset(
    {
        "-n",
        "--namespace",
        "--context",
        "--kubeconfig",
        "--cluster",
        "--user",
        "-f",
        "--file",
        "-p",
        "--project",
    }
)
_TEXT_PROGRAMS = frozenset(
    {
        "echo",
        "printf",
        "cat",
        "grep",
        "egrep",
        "rg",
        "ag",
        "sed",
        "awk",
        "git",
        "jq",
        "yq",
        "head",
        "tail",
        "less",
        "wc",
        "sort",
        "find",
        "ls",
        "tee",
    }
)
_ASSIGNMENT = re.compile(r"([A-Za-z_][\w.]*)=(.*)", re.DOTALL)
_SHELL_DEFAULT = re.compile(r"\$\{\w+:?[-=]([^}]*)\}")
_ARGUMENT_FORWARDERS = frozenset({"npm", "yarn", "pnpm", "bun", "cargo", "go", "npx", "dotnet", "gradle", "gradlew"})
_CONTAINER_RUNNERS = frozenset({"docker", "podman", "nerdctl", "kubectl", "oc", "xargs"})
_LOOP_STARTS = frozenset({"for", "while", "until", "select"})
_PASS_THROUGH_KEYWORDS = frozenset({"then", "else", "elif", "if", "!", "{", "}", "fi", "esac", "time"})


@dataclass(slots=True)
class _Loop:
    keyword: str
    header: list[Word]
    start: int
    in_body: bool = False
    sleeps: list[float] | None = None


class _CommandScanner:
    """Walks the simple commands of a shell text, tracking loops, collecting sites."""

    def __init__(self, source: str, record_assignments: bool = True) -> None:
        self.source = source
        self.record_assignments = record_assignments
        self.sites: list[_Site] = []
        self.loops: list[_Loop] = []
        self.command_start = 0  # where the simple command being read starts, with its wrappers (uv run …)

    def scan(self, text: str, base: int = 0) -> list[_Site]:
        for words in split_commands(text, base):
            self._simple_command(words)
        return self.sites

    def _add(self, site: _Site | None) -> None:
        if site is not None:
            self.sites.append(site)

    def _raw(self, first: Word, last: Word) -> str:
        return self.source[first.start : last.end] or " ".join([first.raw, last.raw])

    def _simple_command(self, words: list[Word]) -> None:
        if not words:
            return
        first = words[0].text
        if first in _LOOP_STARTS:
            self.loops.append(_Loop(first, words[1:], words[0].start, sleeps=[]))
            if first in ("while", "until"):
                self._simple_command(words[1:])
            return
        if first == "do":
            if self.loops:
                self.loops[-1].in_body = True
            self._simple_command(words[1:])
            return
        if first == "done":
            if self.loops:
                self._close_loop(self.loops.pop(), words[0])
            self._simple_command(words[1:])
            return
        if first in _PASS_THROUGH_KEYWORDS:
            self._simple_command(words[1:])
            return
        words = self._strip_assignments(words)
        if words:
            self.command_start = words[0].start
        words = _unwrap(words)
        if words:
            self._program(words)

    def _strip_assignments(self, words: list[Word]) -> list[Word]:
        index = 0
        while (
            index < len(words)
            and (assignment := _ASSIGNMENT.fullmatch(words[index].text))
            and not words[index].text.startswith("-")
        ):
            if self.record_assignments:
                name, value = assignment.groups()
                site = _key_value_site(name, value, "s", words[index].raw, words[index].start)
                if site is not None:
                    site.rule_id = _ASSIGNMENT_RULE.id
                self._add(site)
            index += 1
        return words[index:]

    def _program(self, words: list[Word]) -> None:
        program = basename(words[0].text)
        if _is_program(program, "wait.program.sleep"):
            self._sleep(words)
        elif _is_program(program, "wait.program.timeout"):
            self._timeout(words)
        elif _is_program(program, "wait.program.watch"):
            self._watch(words)
        elif _PYTHONS.fullmatch(program) and len(words) > 2 and words[1].text == "-c":
            self._inline_code(words[2], "py")
        elif program in ("node", "deno", "bun") and len(words) > 2 and words[1].text in ("-e", "--eval"):
            self._inline_code(words[2], "js")
        else:
            self._flags(words)
            self._nested_commands(words)

    def _sleep(self, words: list[Word]) -> None:
        values = [parse_duration(word.text) for word in words[1:] if not word.text.startswith("-")]
        if not values or any(value is None for value in values) or float("inf") in values:
            return
        seconds = sum(value for value in values if value is not None)  # GNU sleep sums its arguments: sleep 1m 30s
        loop = self.loops[-1] if self.loops and self.loops[-1].in_body else None
        if loop is not None and loop.sleeps is not None:
            loop.sleeps.append(seconds)
        raw = self._raw(words[0], words[-1])
        self._add(_site("sleep", seconds, "poll" if loop else "wait", raw, words[0].start, "wait.program.sleep"))

    def _timeout(self, words: list[Word]) -> None:
        index = 1
        while index < len(words) and words[index].text.startswith("-"):
            option = words[index].text
            index += 2 if option in ("-k", "-s", "--kill-after", "--signal") else 1
        if index >= len(words):
            return
        seconds = parse_duration(words[index].text)
        raw = self._raw(words[0], words[index])
        site = _site("timeout", seconds, "timeout", raw, words[0].start, "wait.program.timeout")
        if site is not None and index + 1 < len(words):
            site.guards = self.source[words[index + 1].start : words[-1].end]
            self.command_start = words[index + 1].start
        self._add(site)
        rest = _unwrap(words[index + 1 :])
        if rest:
            self._program(rest)

    def _watch(self, words: list[Word]) -> None:
        index = 1
        while index < len(words) and words[index].text.startswith("-"):
            option, _, inline = words[index].text.partition("=")
            if option in ("-n", "--interval"):
                value = inline or (words[index + 1].text if index + 1 < len(words) else "")
                self._add(
                    _site(
                        "watch -n",
                        parse_duration(value),
                        "poll",
                        self._raw(words[0], words[index]),
                        words[0].start,
                        "wait.program.watch",
                    )
                )
                index += 1 if inline else 2
            else:
                index += 1
        rest = _unwrap(words[index:])
        if rest:
            self._program(rest)

    def _inline_code(self, word: Word, language: str) -> None:
        offset = word.start + (1 if word.quoted else 0)
        for site in _code_sites(word.text, language):
            site.start += offset
            self.sites.append(site)

    def _flags(self, words: list[Word]) -> None:
        program = basename(words[0].text) if not words[0].text.startswith("-") else ""
        label = _program_label(words) if program else "args"
        args = words[1:] if program else words
        for index, word in enumerate(args):
            text = word.text
            if text == "--":
                if program in _ARGUMENT_FORWARDERS:
                    continue
                return
            if not text.startswith("-"):
                self._argument_assignment(word)
                continue
            name, has_value, value = text.partition("=")
            value_word = word
            if not has_value and index + 1 < len(args) and not args[index + 1].text.startswith("-"):
                value, value_word = args[index + 1].text, args[index + 1]
            site = _flag_site(program, label, name, value, bool(has_value), self._raw(word, value_word), word.start)
            if site is not None and site.kind == "timeout":
                site.guards = self.source[min(self.command_start, words[0].start) : words[-1].end]
            self._add(site)

    def _argument_assignment(self, word: Word) -> None:
        """``--set probe.timeoutSeconds=30``, ``-o ConnectTimeout=10``, ``make test TIMEOUT=60``,
        and a URL's query (``…/health?wait_for_status=green&timeout=30s``)."""
        if "?" in word.text and "://" in word.text:
            for query in _URL_QUERY_RULE.regex.finditer(word.text):
                if _kind_from_name(query.group(1)) and not _NOT_A_DURATION_FLAG.search(query.group(1)):
                    site = _key_value_site(query.group(1), query.group(2), "s", word.raw, word.start)
                    if site is not None:
                        site.rule_id = _URL_QUERY_RULE.id
                    self._add(site)
            return
        match = _ASSIGNMENT_RULE.regex.fullmatch(word.text)
        if match and _kind_from_name(match.group(1)) and not _NOT_A_DURATION_FLAG.search(match.group(1)):
            site = _key_value_site(match.group(1), match.group(2), "s", word.raw, word.start)
            if site is not None:
                site.rule_id = _ASSIGNMENT_RULE.id
            self._add(site)

    def _nested_commands(self, words: list[Word]) -> None:
        """Commands inside this one: ``bash -c '…'``, ``kubectl exec … -- cmd``, ``ssh host 'cmd'``."""
        for index, word in enumerate(words):
            script = shell_script_argument(words, index)
            if script is not None:
                self.scan(script.text, script.start + (1 if script.quoted else 0))
                return
            if word.text == "--" and index + 1 < len(words) and basename(words[0].text) not in _ARGUMENT_FORWARDERS:
                rest = _unwrap(words[index + 1 :])
                if rest:
                    self._program(rest)
                return
        program = basename(words[0].text)
        if program == "ssh" and len(words) > 2 and " " in words[-1].text:
            script = words[-1]
            self.scan(script.text, script.start + (1 if script.quoted else 0))
        elif program in _CONTAINER_RUNNERS:
            self._container_command(words)

    def _container_command(self, words: list[Word]) -> None:
        """``docker run --rm alpine sleep 30``: the container's own command after the image."""
        for index in range(2, len(words)):
            previous = words[index - 1].text
            if basename(words[index].text) in ("sleep", "timeout") and not (
                previous.startswith("-") and "=" not in previous
            ):
                self._program(words[index:])
                return

    def _close_loop(self, loop: _Loop, done: Word) -> None:
        if not loop.sleeps:
            return
        raw = self.source[loop.start : done.end]
        iterations = _loop_iterations(loop, raw)
        if iterations:
            total = iterations * sum(loop.sleeps)
            self._add(_site("retry loop", total, "timeout", raw, loop.start, "wait.loop.retry"))


def _unwrap(words: list[Word]) -> list[Word]:
    """Drop wrappers (``sudo``, ``env``, ``nohup``, ``uv run``, ``npx``, ``python -m``) before the program."""
    while words:
        program = basename(words[0].text)
        if program in _WRAPPERS:
            words = _skip_options(words[1:], _WRAPPERS[program])
            while words and program == "env" and _ASSIGNMENT.fullmatch(words[0].text):
                words = words[1:]
        elif program in _RUNNERS and len(words) > 1 and words[1].text == _RUNNERS[program]:
            words = _skip_options(
                words[2:], frozenset({"--with", "--python", "-p", "--env-file", "--directory", "--project"})
            )
        elif program in _DIRECT_RUNNERS:
            words = _skip_options(words[1:], frozenset({"-p", "--package"}))
        elif _PYTHONS.fullmatch(program) and len(words) > 2 and words[1].text == "-m":
            return [Word(words[2].text, words[2].raw, words[2].start, words[2].end), *words[3:]]
        else:
            return words
    return words


def _skip_options(words: list[Word], options_with_value: frozenset[str]) -> list[Word]:
    index = 0
    while index < len(words) and words[index].text.startswith("-"):
        index += 2 if words[index].text in options_with_value else 1
    return words[index:]


def _program_label(words: list[Word]) -> str:
    """``kubectl wait``, ``kubectl rollout status``, ``go test``, ``npm run test``, ``pytest``."""
    program = basename(words[0].text)
    depth = _SUBCOMMAND_DEPTH.get(program, 0)
    parts = [program]
    index = 1
    while len(parts) <= depth and index < len(words):
        text = words[index].text
        if text.startswith("-"):
            index += 2 if text in _GLOBAL_FLAGS_WITH_VALUE and len(parts) == 1 else 1
            if len(parts) > 1:
                break
            continue
        if not re.fullmatch(r"[a-z][\w:-]*", text):
            break
        parts.append(text)
        index += 1
    return " ".join(parts)


def _flag_site(program: str, label: str, name: str, value: str, inline: bool, raw: str, start: int) -> _Site | None:
    """The wait a ``--flag value`` / ``--flag=value`` sets, if the flag is a duration."""
    if program in _TEXT_PROGRAMS:
        return None
    kind, unit, rule_id = _flag_meaning(program, label, name, value, inline)
    if kind is None or not value:
        return None
    seconds = parse_duration(_SHELL_DEFAULT.sub(r"\1", value), unit)
    return _site(f"{label} {name}", seconds, kind, raw, start, rule_id)


def _flag_meaning(program: str, label: str, name: str, value: str, inline: bool) -> tuple[str | None, str, str]:
    """(kind, unit of a bare number, rule id) for a flag, or (None, "", "") when it holds no duration."""
    for short in _SHORT_FLAG_RULES:
        if program in short.fields["programs"] and short.regex.fullmatch(name):
            return "timeout", str(short.fields["unit"]), short.id
    if not _WAITISH_FLAG.regex.fullmatch(name) or _NOT_A_DURATION_FLAG.search(name.lstrip("-")):
        return None, "", ""
    bare_name = name.lstrip("-")
    if bare_name.lower() == "wait" and not (inline or re.search(r"\d[a-z]", value)):
        return None, "", ""  # helm/kubectl --wait is a switch; kind's --wait 5m carries a duration
    kind = _kind_from_name(bare_name) or "timeout"
    if bare_name.lower() == "wait":
        kind = "timeout"
    unit = _unit_from_name(bare_name)
    rule_id = _WAITISH_FLAG.id
    if unit is None:
        javascript = program in _JS_TOOLS or label.split(" ")[0] in _JS_TOOLS
        camel = bool(_CAMEL_MS_FLAGS.regex.fullmatch(name))
        rule_id = _CAMEL_MS_FLAGS.id if camel else rule_id
        unit = "ms" if camel or (javascript and bare_name in ("timeout", "t")) else "s"
    return kind, unit, rule_id


def _key_value_site(name: str, value: str, default_unit: str, raw: str, start: int) -> _Site | None:
    kind = _kind_from_name(name)
    if kind is None or _NOT_A_DURATION_NAME.search(name):
        return None
    value = _SHELL_DEFAULT.sub(r"\1", value.strip())
    unit = _unit_from_name(name) or default_unit
    seconds = parse_duration(value, unit)
    if seconds is None:
        seconds = parse_duration_expr(value, unit)
    return _site(name, seconds, kind, raw, start)


def _loop_iterations(loop: _Loop, raw: str) -> int | None:
    if loop.keyword == "for":
        return _for_iterations([word.raw for word in loop.header])
    return _counter_iterations(raw)


def _for_iterations(header: list[str]) -> int | None:
    if len(header) == 1 and header[0].startswith("(("):
        return _c_style_iterations(header[0])
    if len(header) < 3 or header[1] != "in":
        return None
    items = header[2:]
    if len(items) == 1:
        seq = re.fullmatch(
            r"\$\(\s*seq\s+(?:-\w+\s+)*(-?\d+)(?:\s+(-?\d+))?(?:\s+(-?\d+))?\s*\)|`\s*seq\s+(-?\d+)(?:\s+(-?\d+))?\s*`",
            items[0],
        )
        if seq:
            numbers = [int(group) for group in seq.groups() if group is not None]
            return _seq_length(numbers)
        brace = re.fullmatch(r"\{(-?\d+)\.\.(-?\d+)(?:\.\.(\d+))?\}", items[0])
        if brace:
            first, last = int(brace.group(1)), int(brace.group(2))
            step = int(brace.group(3) or 1) or 1
            return abs(last - first) // step + 1
    if all(re.fullmatch(r"[\w.-]+", item) for item in items):
        return len(items)
    return None


def _seq_length(numbers: list[int]) -> int | None:
    if len(numbers) == 1:
        return max(numbers[0], 0)
    if len(numbers) == 2:
        return max(numbers[1] - numbers[0] + 1, 0)
    first, step, last = numbers
    return max((last - first) // step + 1, 0) if step else None


def _c_style_iterations(header: str) -> int | None:
    match = re.search(
        r"(\w+)\s*=\s*(-?\d+)\s*;\s*\1\s*(<=|<|>=|>|!=)\s*(-?\d+)\s*;\s*(?:\1\s*(\+\+|--|[+-]=\s*(\d+))|(\+\+|--)\s*\1)",
        header,
    )
    if not match:
        return None
    start, comparison, bound = int(match.group(2)), match.group(3), int(match.group(4))
    step = int(match.group(6) or 1)
    span = abs(bound - start) + (1 if comparison in ("<=", ">=") else 0)
    return -(-span // step) if step else None


def _counter_iterations(raw: str) -> int | None:
    """Bound of a ``while``/``until`` loop that counts attempts (``[ $i -ge 30 ] && break``)."""
    increments = re.findall(
        r"(\w+)=\$\(\(\s*\$?\w+\s*\+\s*1\s*\)\)|\(\(\s*(\w+)\s*(?:\+\+|\+=\s*1)\s*\)\)|\(\(\s*\+\+(\w+)\s*\)\)|let\s+\"?(\w+)(?:\+\+|\+=1)|(\w+)=\$\[\s*\$?\w+\s*\+\s*1\s*\]",
        raw,
    )
    counters = {name for groups in increments for name in groups if name}
    for counter in counters:
        test = re.search(rf"\$\{{?{counter}\}}?\"?\s+-(lt|le|gt|ge|eq|ne)\s+(\d+)", raw) or re.search(
            rf"\(\(\s*{counter}\s*(<|<=|>|>=|==|!=)\s*(\d+)", raw
        )
        if test:
            bound = int(test.group(2))
            return bound + 1 if test.group(1) in ("le", "gt", "<=", ">") else bound
    return None


_MASKABLE = re.compile(
    r"(?<![\w$-])(?:(?<=\.\.)|(?<!\.))(?:P(?:T?\d[\d.,]*[HMSDW])+|\d+(?:\.\d+)?(?:[a-zA-Zµμ]+(?:\d+(?:\.\d+)?)?)*|\.\d+)(?![\w])"
)
_OUTPUT_FILTER = re.compile(r"(?:\s*(?:\d?>&\d|2>\s*/dev/null))+|(?:\s*\|\s*(?:tail|head|cat|less)\b[^|;&]*)+\s*$")


def mask_command(command: str) -> str:
    """The command with every duration and number replaced by ``<D>`` and whitespace normalized.

    Trailing output trimming (``2>&1 | tail -50``) is dropped: it changes between runs of
    the same wait without changing the wait.
    """
    text = _OUTPUT_FILTER.sub("", command)
    text = _MASKABLE.sub("<D>", text)
    return re.sub(r"\s+", " ", text).strip()


def waits_in_command(command: str) -> list[WaitFact]:
    """The waits, timeouts and poll intervals a shell command sets.

    ``site_key`` is the masked command (:func:`mask_command`) followed by the construct in
    brackets, e.g. ``kubectl wait --for=condition=ready pod/x --timeout=<D> [kubectl wait
    --timeout]``; a second construct of the same name in one command gets ``#2``.
    """
    if not isinstance(command, str) or not command.strip():
        return []
    sites = _CommandScanner(command).scan(command)
    masked = mask_command(command)
    budgets = _check_budget_keys(sites)
    return [
        WaitFact(
            site.seconds,
            site.construct,
            budgets.get(id(site), f"{masked} [{label}]"),
            "command",
            site.kind,
            site.raw,
            once=site.once,
            rule_id=site.rule_id,
        )
        for site, label in zip(sites, _ordinal_labels(sites), strict=True)
    ]


# --------------------------------------------------------------------------- check budgets

_CHECK_BUDGET = rule("wait.site.check_budget")
CHECK_BUDGET_LABEL = str(_CHECK_BUDGET.fields["label"])


def check_key(signature: str) -> str:
    """What a command checks, whatever its options: ``go test ./e2e -run TestX -v -count=<D>``
    and ``go test ./e2e -run TestX`` both check ``go test ./e2e TestX``."""
    return " ".join(word for word in signature.split() if not word.startswith("-") and word != "<D>")


def command_check_key(command: str, signature: str | None = None) -> str:
    """What a command checks: the :func:`check_key` of its verification parts (see
    :func:`ingest.facts.edits.verification_parts`), so ``docker compose up -d && pytest
    tests/e2e`` and ``timeout 600 pytest tests/e2e`` check the same thing as ``pytest
    tests/e2e``; a command that runs no check is keyed by its whole signature."""
    parts = edits.verification_parts(command)
    if parts:
        return check_key(mask_command(" && ".join(parts)))
    return check_key(signature if signature is not None else mask_command(command))


def is_check_budget(rule_id: str, kind: str) -> bool:
    """True for a timeout that bounds a whole run of the program it is given to (rule
    ``wait.site.check_budget``): ``timeout 120 pytest``, ``pytest --timeout=300``, a Bash
    ``timeout``, a Codex ``timeout_ms``; never a sleep, a poll interval or a loop's budget."""
    return kind == _CHECK_BUDGET.fields["kind"] and bool(_CHECK_BUDGET.regex.fullmatch(rule_id or ""))


def check_budget_key(guarded: str) -> str | None:
    """The site of a budget on the check ``guarded`` runs: ``pytest tests/x [check budget]``,
    the same whichever syntax carries the budget (None when ``guarded`` runs no check)."""
    if not edits.verification_parts(guarded):
        return None
    return f"{command_check_key(guarded)} [{CHECK_BUDGET_LABEL}]"


def _check_budget_keys(sites: list[_Site]) -> dict[int, str]:
    """The site_key of each command site that is the budget of a check: per check, the
    tightest of its budgets in the command (``timeout 600 go test -timeout 5m`` is bounded by
    5 m); a wait on something else in the command (``sleep 5``, ``helm install --timeout``
    before ``pytest``) keeps its own site."""
    tightest: dict[str, _Site] = {}
    for site in sites:
        if not site.guards or site.seconds is None or not is_check_budget(site.rule_id, site.kind):
            continue
        key = check_budget_key(site.guards)
        if key is None:
            continue
        current = tightest.get(key)
        if current is None or (current.seconds or 0) > site.seconds:
            tightest[key] = site
    return {id(site): key for key, site in tightest.items()}


_TOOL_BUDGETS = tuple(r for r in rules("wait_syntax") if r.category == "tool_budget")


def tool_arguments(input_json: str | None) -> dict:
    """A tool call's input as a dict ({} when absent, not JSON or not an object)."""
    if not input_json:
        return {}
    try:
        value = json.loads(input_json)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def waits_in_tool_call(tool_name: str | None, arguments: dict, command: str | None = None) -> list[WaitFact]:
    """Budgets an agent sets on its own tool: Codex ``timeout_ms``/``yield_time_ms``, Claude Code
    Bash ``timeout``, a background task poll's ``timeout`` (``wait_syntax`` rules of category
    ``tool_budget`` name the tools, keys and units).

    The site is the tool's budget on the program it runs: ``site_key`` is
    :func:`ingest.facts.edits.budget_site` of the command (or the tool name when it runs none)
    followed by ``[<tool> <key>]``, so the same build or test run with a larger budget after it
    timed out is the next step at the same site, whatever its arguments.
    """
    facts = []
    for budget in _TOOL_BUDGETS:
        if not tool_name or not budget.regex.fullmatch(tool_name):
            continue
        key = str(budget.fields["key"])
        value = arguments.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            continue
        seconds = parse_duration(str(value), str(budget.fields["unit"]))
        construct = f"{tool_name} {key}"
        site = _site(construct, seconds, str(budget.fields["kind"]), f"{key}={value}", 0, budget.id)
        if site is None:
            continue
        if command:
            where = edits.budget_site(command) or mask_command(command)
        else:
            where = _poll_target(tool_name, budget, arguments)
        facts.append(
            WaitFact(
                site.seconds,
                construct,
                f"{where} [{construct}]",
                "command",
                site.kind,
                site.raw,
                once=site.once,
                rule_id=budget.id,
            )
        )
    return facts


def _poll_target(tool_name: str, budget: Rule, arguments: dict) -> str:
    """Where a command-less poll waits: the tool and the background run it polls (``targets``:
    the argument keys naming it, e.g. ``task_id``), so polls of different runs are different
    sites; a poll naming no run is keyed by its tool alone."""
    for key in budget.fields.get("targets", ()):
        value = arguments.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return f"{tool_name} {key}={value}"
    return tool_name


def _ordinal_labels(sites: list[_Site]) -> list[str]:
    seen: dict[str, int] = {}
    labels = []
    for site in sites:
        seen[site.construct] = seen.get(site.construct, 0) + 1
        count = seen[site.construct]
        labels.append(site.construct if count == 1 else f"{site.construct}#{count}")
    return labels


# --------------------------------------------------------------------------- code

_LANGUAGE_BY_SUFFIX = {
    **dict.fromkeys(("py", "pyi", "pyw"), "py"),
    "go": "go",
    **dict.fromkeys(("js", "mjs", "cjs", "jsx", "ts", "tsx", "mts", "cts", "vue", "svelte"), "js"),
    **dict.fromkeys(("java", "kt", "kts", "scala", "groovy", "gradle"), "jvm"),
    "rs": "rust",
    "cs": "csharp",
    "rb": "ruby",
    **dict.fromkeys(("sh", "bash", "zsh", "ksh", "bats"), "shell"),
    **dict.fromkeys(("yaml", "yml"), "yaml"),
    **dict.fromkeys(("json", "json5", "jsonc"), "json"),
    "toml": "toml",
    **dict.fromkeys(("ini", "cfg", "conf", "service", "timer", "socket", "properties", "env"), "ini"),
    **dict.fromkeys(("c", "h", "cc", "cpp", "hpp", "cxx"), "c"),
    "mk": "make",
    **dict.fromkeys(("tf", "hcl"), "hcl"),
}
_MS_LANGUAGES = frozenset({"js", "jvm", "csharp"})
_JS_CONFIG_FILES = re.compile(
    r"(package\.json|\.mocharc.*|jest\.config.*|vitest\.config.*|cypress\.json|playwright\.config.*|\.?karma.*)$"
)


def language_of(file_path: str | None) -> str:
    """A coarse language tag from a file name: py, go, js, jvm, rust, yaml, shell, make, docker…"""
    name = PurePosixPath((file_path or "").replace("\\", "/")).name
    lowered = name.lower()
    if lowered.startswith("dockerfile") or lowered.endswith(".dockerfile") or lowered == "containerfile":
        return "docker"
    if lowered in ("makefile", "gnumakefile") or lowered.endswith(".mk"):
        return "make"
    if lowered.startswith(".env") or lowered == "jenkinsfile":
        return "ini" if lowered.startswith(".env") else "jvm"
    if _JS_CONFIG_FILES.search(lowered):
        return "js-config"
    suffix = lowered.rsplit(".", 1)[-1] if "." in lowered else ""
    return _LANGUAGE_BY_SUFFIX.get(suffix, "other")


def _default_unit(language: str) -> str:
    return "ms" if language in _MS_LANGUAGES or language == "js-config" else "s"


@dataclass(frozen=True, slots=True)
class _Slot:
    """Which argument of a call holds a duration, and how to read it."""

    index: int | None
    keyword: str | None
    kind: str
    unit: str | None  # unit of a bare number; None → the language default
    suffix: str = ""  # appended to the construct for a second value of the same call


@dataclass(frozen=True, slots=True)
class _CallSpec:
    pattern: re.Pattern
    slots: tuple[_Slot, ...]
    languages: frozenset[str] | None = None
    rule_id: str = ""


def _call_spec(found: Rule) -> _CallSpec:
    slots = tuple(
        _Slot(
            slot.get("index"),
            slot.get("keyword"),
            str(slot["kind"]),
            slot.get("unit"),
            str(slot.get("suffix", "")),
        )
        for slot in found.fields["slots"]
    )
    languages = found.fields.get("languages")
    return _CallSpec(found.regex, slots, frozenset(languages) if languages else None, found.id)


_CALL_SPECS: tuple[_CallSpec, ...] = tuple(
    _call_spec(r) for r in rules("wait_syntax") if r.category == "call" and "slots" in r.fields
)
_GENERIC_CALLEE = rule("wait.call.generic_timeout")
_NOT_A_WAIT_CALLEE = rule("wait.call.not_a_wait").regex
_WAITISH_NAME = rule("wait.key.code")
_WAITISH_WORD = re.compile(_WAITISH_NAME.fields["requires"])  # in every match of _WAITISH_NAME
# The same words in lower-cased text (a case-insensitive regex is several times slower).
_WAITISH_WORD_LOWER = re.compile(_WAITISH_NAME.fields["requires"].removeprefix("(?i)").lower())
# Where a match of _WAITISH_NAME can start: its lookbehind, then a quote or a name's first letter.
_NAME_START = re.compile(r"""(?i)(?<![\w.$-])["'A-Za-z_$]""")
_CALL = re.compile(r"(?<![\w$])(@?[A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*)\s*\(")


def _code_sites(text: str, language: str) -> list[_Site]:
    """Every wait construct in a piece of code or configuration, in text order."""
    claimed: list[tuple[int, int]] = []
    sites = _call_sites(text, language, claimed)
    sites += _key_value_sites(text, language, claimed)
    if language in ("yaml", "other"):
        sites += _probe_budget_sites(text)
    if language == "js":
        sites += _test_timeout_argument_sites(text)
    if language in ("shell", "make", "docker", "yaml", "ruby"):
        sites += _shell_line_sites(text, language)
    unique: dict[tuple[int, str], _Site] = {}
    for site in sites:
        unique.setdefault((site.start, site.construct), site)
    return sorted(unique.values(), key=lambda site: site.start)


def _call_sites(text: str, language: str, claimed: list[tuple[int, int]]) -> list[_Site]:
    sites: list[_Site] = []
    for match in _CALL.finditer(text):
        callee = match.group(1)
        spec, generic = _callee_kind(callee, language)
        if spec is None and not generic:  # most calls in code: their arguments are not read
            continue
        open_paren = match.end() - 1
        arguments = _split_arguments(text, open_paren)
        if arguments is None:
            continue
        raw = text[match.start() : arguments.end]
        if spec is not None:
            sites += _spec_sites(spec, callee, arguments, language, raw, match.start(), claimed)
        else:
            site = _generic_call_site(callee, arguments, language, raw, match.start())
            if site is not None:
                sites.append(site)
    return sites


@lru_cache(maxsize=8192)
def _callee_kind(callee: str, language: str) -> tuple[_CallSpec | None, bool]:
    """(the spec of a call to ``callee``, else whether it is a generic timeout call): callee
    names repeat all through a session's code, and each check is some forty regexes."""
    spec = _matching_spec(callee, language)
    if spec is not None:
        return spec, False
    name = callee.split(".")[-1]
    return None, bool(_GENERIC_CALLEE.regex.fullmatch(name) and not _NOT_A_WAIT_CALLEE.match(name))


def _matching_spec(callee: str, language: str) -> _CallSpec | None:
    for spec in _CALL_SPECS:
        if spec.pattern.fullmatch(callee) and (spec.languages is None or language in spec.languages):
            return spec
    return None


@dataclass(slots=True)
class _Arguments:
    positional: list[tuple[str, int, int]]
    keywords: dict[str, tuple[str, int, int]]
    end: int


def _split_arguments(text: str, open_paren: int) -> _Arguments | None:
    """Top-level arguments of the call whose ``(`` is at ``open_paren`` (None if unclosed)."""
    depth = 0
    position = open_paren
    pieces: list[tuple[int, int]] = []
    piece_start = open_paren + 1
    limit = min(len(text), open_paren + 5000)
    while position < limit:
        char = text[position]
        if char in "\"'`":
            position = _string_end(text, position)
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                pieces.append((piece_start, position))
                return _classify_arguments(text, pieces, position + 1)
        elif char == "," and depth == 1:
            pieces.append((piece_start, position))
            piece_start = position + 1
        position += 1
    return None


def _classify_arguments(text: str, pieces: list[tuple[int, int]], end: int) -> _Arguments:
    positional: list[tuple[str, int, int]] = []
    keywords: dict[str, tuple[str, int, int]] = {}
    for start, stop in pieces:
        piece = text[start:stop]
        if not piece.strip():
            continue
        keyword = re.match(r"\s*([A-Za-z_]\w*)\s*(?:=(?!=)|:(?!:))\s*", piece)
        if keyword:
            keywords[keyword.group(1)] = (piece[keyword.end() :].strip(), start, stop)
        else:
            positional.append((piece.strip(), start, stop))
    return _Arguments(positional, keywords, end)


def _string_end(text: str, start: int) -> int:
    quote = text[start]
    position = start + 1
    while position < len(text):
        if text[position] == "\\":
            position += 2
            continue
        if text[position] == quote or (text[position] == "\n" and quote != "`"):
            return position + 1
        position += 1
    return len(text)


def _spec_sites(
    spec: _CallSpec,
    callee: str,
    arguments: _Arguments,
    language: str,
    raw: str,
    start: int,
    claimed: list[tuple[int, int]],
) -> list[_Site]:
    sites = []
    label = callee.lstrip("@")
    for slot in spec.slots:
        argument = None
        if slot.keyword and slot.keyword in arguments.keywords:
            argument = arguments.keywords[slot.keyword]
        elif slot.index is not None and slot.index < len(arguments.positional):
            argument = arguments.positional[slot.index]
        if argument is None:
            continue
        claimed.append((argument[1], argument[2]))
        unit = _slot_unit(slot, callee, arguments, language)
        seconds = parse_duration_expr(argument[0], unit)
        position = start + (argument[1] - start if slot.suffix else 0)
        site = _site(label + slot.suffix, seconds, slot.kind, raw, position, spec.rule_id)
        if site is not None:
            sites.append(site)
    return sites


def _slot_unit(slot: _Slot, callee: str, arguments: _Arguments, language: str) -> str:
    if slot.unit == "enum":
        enum = re.search(r"TimeUnit\.([A-Z]+)\.", callee)
        factor = unit_constant_seconds(enum.group(1)) if enum else None
        return _unit_name(factor) or "s"
    unit_argument = arguments.keywords.get("unit")
    if unit_argument:
        return _unit_name(unit_constant_seconds(unit_argument[0])) or "s"
    if slot.unit is not None:
        return slot.unit
    return _default_unit(language)


def _unit_name(factor: float | None) -> str | None:
    names = {1e-9: "ns", 1e-6: "us", 1e-3: "ms", 1.0: "s", 60.0: "m", 3600.0: "h", 86400.0: "d"}
    return names.get(factor) if factor is not None else None


def _generic_call_site(callee: str, arguments: _Arguments, language: str, raw: str, start: int) -> _Site | None:
    """``setSoTimeout(5000)``, ``.atMost(30, SECONDS)``, ``client.set_timeout(30)``…"""
    values = [argument[0] for argument in arguments.positional]
    name = callee.split(".")[-1]
    kind = _kind_from_name(name) or "timeout"
    unit = _default_unit(language)
    seconds = duration_from_args(values, unit) if values else None
    if seconds is None:
        for value in values:
            seconds = parse_duration_expr(value, "") if value else None
            if seconds is not None:
                break
    return _site(callee.lstrip("@"), seconds, kind, raw, start, _GENERIC_CALLEE.id)


def _key_value_sites(text: str, language: str, claimed: list[tuple[int, int]]) -> list[_Site]:
    sites: list[_Site] = []
    for match in _waitish_names(text):
        name = match.group("name")
        if _NOT_A_DURATION_NAME.search(name) or _kind_from_name(name) is None:
            continue
        if any(start <= match.start("name") < stop for start, stop in claimed):
            continue
        value, value_end = _value_after(text, match.end())
        if not value:
            continue
        unit = _unit_from_name(name) or _callee_unit(text, match.start(), language) or _default_unit(language)
        value = _SHELL_DEFAULT.sub(r"\1", value)
        seconds = parse_duration_expr(value, unit)
        construct = _key_construct(text, match.start(), name, match.group("op"))
        site = _site(
            construct,
            seconds,
            _kind_from_name(name) or "timeout",
            text[match.start() : value_end],
            match.start(),
            _WAITISH_NAME.id,
        )
        if site is not None:
            sites.append(site)
    return sites


def _waitish_names(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_WAITISH_NAME.regex.finditer(text)``, tried only on lines with a wait word.

    A match's name holds a wait word and no line break, so it starts on a line with a wait
    word: from each such line's first possible start (the pattern's own first step,
    ``_NAME_START``) the pattern is tried in place, with the whole text after it; lines without
    one are never searched (the pattern's lazy name prefix makes a search slow on long code)."""
    position = 0
    haystack, words = text, _WAITISH_WORD
    if not any(char in text for char in FOLDS_ONTO_ASCII):  # then lower-casing keeps every position
        haystack, words = text.lower(), _WAITISH_WORD_LOWER
    while (word := words.search(haystack, position)) is not None:
        line_start = max(position, text.rfind("\n", 0, word.start()) + 1)
        line_end = text.find("\n", word.start())
        line_end = len(text) if line_end < 0 else line_end
        found = None
        for start in _NAME_START.finditer(text, line_start, line_end):
            found = _WAITISH_NAME.regex.match(text, start.start())
            if found is not None:
                break
        if found is not None:
            yield found
            position = found.end()
        else:
            position = line_end + 1


def _value_after(text: str, start: int) -> tuple[str, int]:
    """The expression after ``=``/``:`` up to the end of the statement, entry or line."""
    position = start
    while position < len(text) and text[position] in " \t":
        position += 1
    depth = 0
    value_start = position
    while position < len(text):
        char = text[position]
        if char in "\"'`":
            position = _string_end(text, position)
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (
            char in ",;\n"
            or text.startswith("//", position)
            or (char == "#" and text[position - 1 : position] in (" ", "\t"))
        ):
            break
        position += 1
    return text[value_start:position].strip().rstrip("{").strip(), position


def _enclosing_call(text: str, position: int, is_entry: bool) -> tuple[str | None, str | None]:
    """(callee of the unclosed ``(`` before ``position``, type name before a passed ``{``)."""
    depth = 0
    passed_brace_type = None
    index = position - 1
    stop = max(0, position - 3000)
    while index >= stop:
        char = text[index]
        if char in ")]}":
            depth += 1
        elif char in "([{":
            if depth > 0:
                depth -= 1
            elif char == "(":
                callee = re.search(
                    r"(@?[A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*)\s*$",
                    text[max(0, index - 200) : index],
                )
                return (callee.group(1) if callee else None), passed_brace_type
            elif char == "{":
                if not is_entry or passed_brace_type is not None:
                    return None, passed_brace_type
                type_name = re.search(r"([A-Za-z_][\w.]*)\s*$", text[max(0, index - 200) : index])
                passed_brace_type = type_name.group(1) if type_name else ""
        elif char == ";" and depth == 0:
            return None, passed_brace_type
        index -= 1
    return None, passed_brace_type


def _callee_unit(text: str, position: int, language: str) -> str | None:
    """Browser-automation calls take milliseconds in every language (``page.click(timeout=5000)``)."""
    callee, _ = _enclosing_call(text, position, True)
    if callee and re.match(
        r"(?:page|frame|locator|browser_context|expect)\b|.*wait_for_(?:selector|load_state|url|event|function)",
        callee,
    ):
        return "ms"
    return None


def _key_construct(text: str, position: int, name: str, op: str) -> str:
    is_entry = op == ":"
    callee, brace_type = _enclosing_call(text, position, is_entry)
    if callee and not callee.startswith(("def", "func", "function")):
        return f"{callee.lstrip('@')}({name})"
    if brace_type and (brace_type[:1].isupper() or "." in brace_type):  # a struct literal: http.Client{Timeout: …}
        return f"{brace_type}{{{name}}}"
    return name


def _probe_budget_sites(text: str) -> list[_Site]:
    """Kubernetes probes: ``periodSeconds × failureThreshold`` is how long a probe may fail."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    sites = []
    for index, line in enumerate(lines):
        period = re.match(r"(\s*)(?:-\s+)?periodSeconds:\s*(\d+)\s*$", line)
        if not period:
            continue
        indent = len(period.group(1))
        threshold = _sibling_value(lines, index, indent, "failureThreshold")
        if threshold is not None:
            seconds = int(period.group(2)) * threshold
            site = _site("probe budget", seconds, "timeout", line.strip(), offsets[index], "wait.key.probe_budget")
            if site is not None:
                sites.append(site)
    return sites


def _sibling_value(lines: list[str], index: int, indent: int, key: str) -> int | None:
    for step in (1, -1):
        position = index + step
        while 0 <= position < len(lines):
            line = lines[position]
            if not line.strip():
                position += step
                continue
            current_indent = len(line) - len(line.lstrip(" "))
            if current_indent < indent:
                break
            match = re.match(rf"\s*(?:-\s+)?{key}:\s*(\d+)\s*$", line)
            if match and current_indent == indent:
                return int(match.group(1))
            position += step
    return None


_TEST_TIMEOUT_ARGUMENT = rule("wait.call.test_timeout_argument")


def _test_timeout_argument_sites(text: str) -> list[_Site]:
    """Jest/Vitest/Mocha per-test timeout: ``test('…', async () => {…}, 30000)``."""
    sites = []
    for match in _TEST_TIMEOUT_ARGUMENT.regex.finditer(text):
        callee, _ = _enclosing_call(text, match.start(1), False)
        if callee and re.fullmatch(r"(?:it|test|describe|beforeAll|beforeEach|afterAll|afterEach)(?:\.\w+)*", callee):
            site = _site(
                f"{callee} timeout argument",
                parse_duration(match.group(1), "ms"),
                "timeout",
                match.group(),
                match.start(1),
                _TEST_TIMEOUT_ARGUMENT.id,
            )
            if site is not None:
                sites.append(site)
    return sites


_SHELL_LINE_PREFIX = re.compile(
    r"\s*(?:-\s+)?(?:(?:run|command|script|args|entrypoint|cmd)\s*:\s*|(?:RUN|CMD|ENTRYPOINT)\s+)?\|?\s*"
)


def _shell_line_sites(text: str, language: str) -> list[_Site]:
    """Shell commands inside scripts, Makefiles, Dockerfiles and CI YAML ``run:`` lines."""
    if language == "shell":
        return _CommandScanner(text, record_assignments=False).scan(text)
    sites = []
    offset = 0
    for line in text.splitlines(keepends=True):
        prefix = _SHELL_LINE_PREFIX.match(line)
        assert prefix is not None  # every part of the pattern is optional: it matches at least ""
        body_start = prefix.end()
        body = line[body_start:]
        if _looks_like_command(body, language):
            for site in _line_command_sites(body, language):
                site.start += offset + body_start
                sites.append(site)
        offset += len(line)
    return sites


def _looks_like_command(body: str, language: str) -> bool:
    stripped = body.strip()
    if not stripped or re.match(r"[\w\"'-]+\s*:(\s|$)", stripped):  # empty, or a YAML key
        return False
    return not (language == "make" and re.match(r"[\w.-]+\s*[:?+]?=", stripped))  # a make variable


def _line_command_sites(body: str, language: str) -> list[_Site]:
    if language == "ruby":
        match = re.fullmatch(r"\s*sleep\s+([\d.]+)\s*", body)
        seconds = parse_duration(match.group(1)) if match else None
        site = _site("sleep", seconds, "wait", body.strip(), 0, "wait.program.sleep") if match else None
        return [site] if site else []
    command = _exec_form_as_command(body)
    return _CommandScanner(command, record_assignments=False).scan(command)


def _exec_form_as_command(body: str) -> str:
    """``["sleep", "30"]`` (exec form in Dockerfiles and manifests) → ``sleep 30``."""
    stripped = body.strip()
    if not stripped.startswith("["):
        return body
    return " ".join(re.findall(r'"((?:[^"\\]|\\.)*)"', stripped))


# --------------------------------------------------------------------------- edits


def waits_in_edit(file_path: str | None, old_text: str | None, new_text: str | None) -> list[WaitFact]:
    """Waits whose value an edit changed, added or removed (unchanged ones are left out).

    Old and new constructs are paired by construct and line context, so ``time.sleep(5)`` →
    ``time.sleep(10)`` is one change, and replacing a sleep with a condition wait is one
    removal plus, when the new wait has a timeout, one addition. ``site_key`` is
    ``{file_path}::{construct}`` (``#n`` for the n-th of the same construct in the text).
    """
    path = file_path or ""
    language = language_of(path)
    old_sites = _sites_with_context(old_text or "", language)
    new_sites = _sites_with_context(new_text or "", language)
    old_keys = _site_keys(path, old_sites)
    new_keys = _site_keys(path, new_sites)
    facts = []
    for old, new in _pair_sites(old_sites, new_sites):
        if old is not None and new is not None and (old.seconds, old.once) == (new.seconds, new.once):
            continue
        current = new if new is not None else old
        assert current is not None  # _pair_sites never pairs None with None
        key = new_keys[id(new)] if new is not None else old_keys[id(old)]
        facts.append(
            WaitFact(
                seconds=new.seconds if new else None,
                construct=current.construct,
                site_key=key,
                source="edit",
                kind=current.kind,
                raw=current.raw,
                old_seconds=old.seconds if old else None,
                once=new.once if new else False,
                old_once=old.once if old else False,
                old_raw=old.raw if old else None,
                rule_id=current.rule_id,
            )
        )
    return facts


def waits_in_patch(patch: str) -> list[WaitFact]:
    """:func:`waits_in_edit` for every file of an apply_patch (or unified diff) text."""
    facts = []
    for file_patch in edits.patch_files(patch or ""):
        path = file_patch.move_to or file_patch.path
        facts += waits_in_edit(path, file_patch.old_text, file_patch.new_text)
    return facts


def _sites_with_context(text: str, language: str) -> list[_Site]:
    if not text:
        return []
    sites = _code_sites(text, language)
    for site in sites:
        line_start = text.rfind("\n", 0, site.start) + 1
        line_end = text.find("\n", site.start)
        line = re.sub(r"(#|//).*$", "", text[line_start : line_end if line_end >= 0 else len(text)])
        site.line = " ".join(line.split())
        site.context = mask_command(line)
    return sites


def _site_keys(path: str, sites: list[_Site]) -> dict[int, str]:
    return {id(site): f"{path}::{label}" for site, label in zip(sites, _ordinal_labels(sites), strict=True)}


def _pair_sites(old_sites: list[_Site], new_sites: list[_Site]) -> list[tuple[_Site | None, _Site | None]]:
    """Pair each construct's old and new occurrences: identical lines first, then lines
    that differ only in their numbers, then by order. Unpaired ones were added or removed."""
    pairs: list[tuple[_Site | None, _Site | None]] = []
    constructs = dict.fromkeys([site.construct for site in old_sites + new_sites])
    for construct in constructs:
        olds = [site for site in old_sites if site.construct == construct]
        news = [site for site in new_sites if site.construct == construct]
        unchanged = _matching(olds, news, lambda site: site.line)
        pairs += unchanged
        paired = {id(site) for pair in unchanged for site in pair}
        rest_old = [site for site in olds if id(site) not in paired]
        rest_new = [site for site in news if id(site) not in paired]
        matcher = SequenceMatcher(
            a=[site.context for site in rest_old], b=[site.context for site in rest_new], autojunk=False
        )
        for _tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
            old_block, new_block = rest_old[old_start:old_end], rest_new[new_start:new_end]
            common = min(len(old_block), len(new_block))
            pairs += list(zip(old_block[:common], new_block[:common], strict=True))
            pairs += [(site, None) for site in old_block[common:]]
            pairs += [(None, site) for site in new_block[common:]]
    return sorted(pairs, key=lambda pair: cast(_Site, pair[1] or pair[0]).start)  # a pair holds at least one site


def _matching(olds: list[_Site], news: list[_Site], key) -> list[tuple[_Site, _Site]]:
    matcher = SequenceMatcher(a=[key(site) for site in olds], b=[key(site) for site in news], autojunk=False)
    return [
        (olds[block.a + offset], news[block.b + offset])
        for block in matcher.get_matching_blocks()
        for offset in range(block.size)
    ]


# --------------------------------------------------------------------------- prose

_WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "half a": 0.5,
    "a couple of": 2,
    "couple of": 2,
}
_PROSE_AMOUNT = (
    r"(?:\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(word) for word in _WORD_NUMBERS), key=len, reverse=True)) + r")"
)
_PROSE_UNIT = r"(?:ms|milliseconds?|millis|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)"
_PROSE_DURATION = re.compile(
    rf"(?i)(?<![\w.])({_PROSE_AMOUNT})[\s-]?({_PROSE_UNIT})\b|(?<![\w.])(\d+[hm]\d+[ms]?|\d+m\d+s)\b"
)
_PROSE_NOUN = rule("wait.prose.chosen").regex
_PROSE_ACTION = re.compile(
    r"(?i)\b(increas\w*|rais\w*|bump\w*|extend\w*|doubl\w*|tripl\w*|lengthen\w*|set(?:ting)?|chang\w*|add\w*|us(?:e|ing)|give|giving|wait(?:ing)?|sleep(?:ing)?|reduc\w*|lower\w*|decreas\w*|shorten\w*|cut|up(?:ping)?|allow\w*|let)\b"
)
_PROSE_OBSERVATION = rule("wait.prose.observed").regex


def waits_in_prose(text: str) -> list[WaitFact]:
    """Wait values an assistant states it is setting ("raise the timeout from 5s to 10s").

    Only sentences with a wait noun, a duration and a verb of choosing count; durations an
    agent observed ("timed out after 30s") do not. These corroborate command and edit facts.
    """
    from ingest.facts.explanations import split_sentences

    facts = []
    for sentence in split_sentences(text or ""):
        noun = _PROSE_NOUN.search(sentence)
        chosen = _PROSE_ACTION.search(sentence) or re.search(r"→|->|=>", sentence)
        if not noun or not chosen or _PROSE_OBSERVATION.search(sentence):
            continue
        found = [(match, _prose_seconds(match)) for match in _PROSE_DURATION.finditer(sentence)]
        durations = [(match, seconds) for match, seconds in found if seconds is not None]
        if not durations:
            continue
        construct, kind = _prose_construct(noun.group(1))
        old_seconds, seconds = _prose_values(sentence, durations)
        facts.append(
            WaitFact(
                seconds,
                construct,
                f"prose::{construct}",
                "prose",
                kind,
                sentence.strip(),
                old_seconds=old_seconds,
                rule_id="wait.prose.chosen",
            )
        )
    return facts


def _prose_seconds(match: re.Match) -> float | None:
    if match.group(3):
        return parse_duration(match.group(3))
    amount = match.group(1).lower()
    number = _WORD_NUMBERS.get(amount)
    value = float(amount) if number is None else float(number)
    unit = match.group(2).lower()
    unit = {"m": "min", "s": "s", "h": "h"}.get(unit, unit)
    return parse_duration(f"{value}{unit}")


def _prose_construct(noun: str) -> tuple[str, str]:
    lowered = noun.lower()
    if re.match(r"time|deadline|grace", lowered):
        return "timeout", "timeout"
    if re.match(r"poll|interval", lowered):
        return "poll interval", "poll"
    if lowered.startswith("sleep"):
        return "sleep", "wait"
    if lowered.startswith(("delay", "pause", "backoff")):
        return "delay", "wait"
    return "wait", "wait"


def _prose_values(sentence: str, durations: list[tuple[re.Match, float]]) -> tuple[float | None, float]:
    """(old, new): "from X to Y" and "X → Y" give both; otherwise the last value is the new one."""
    if len(durations) >= 2:
        first, second = durations[0], durations[1]
        between = sentence[first[0].end() : second[0].start()]
        before = sentence[: first[0].start()]
        if re.search(r"(?i)\bto\b|→|->|=>", between) and (
            re.search(r"(?i)\bfrom\s*$", before) or re.search(r"→|->|=>", between)
        ):
            return first[1], second[1]
    return None, durations[-1][1]
