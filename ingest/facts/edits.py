"""Edits, patches, verification commands and failures: the skeleton of a fix attempt.

The behaviour audits read a session as a series of attempts: the agent edits files, runs
a verification command (tests, build, lint, a ``kubectl wait``), and the result passes or
fails. This module answers the questions each step raises:

* which lines an edit added and removed (:func:`edit_line_changes`);
* which files an apply_patch text touches, with their old and new text (:func:`patch_files`);
* whether a shell command is a check (:func:`is_verification_command`);
* whether a tool result is a failure (:func:`is_failure`), careful with "0 failed".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ingest.facts.shell import Word, basename, shell_script_argument, split_commands
from ingest.rules import rule, rules
from ingest.rules.prefilter import prefiltered_search


def edit_line_changes(old_text: str | None, new_text: str | None) -> tuple[list[str], list[str]]:
    """(added lines, removed lines) between two texts, compared line by line."""
    old_lines = (old_text or "").splitlines()
    new_lines = (new_text or "").splitlines()
    added: list[str] = []
    removed: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += old_lines[old_start:old_end]
        if tag in ("replace", "insert"):
            added += new_lines[new_start:new_end]
    return added, removed


@dataclass(slots=True)
class FilePatch:
    """One file of a patch. ``op``: add | update | delete; ``move_to`` for a renamed file.

    For an update, ``old_text``/``new_text`` are the hunks' old and new sides (context
    lines in both), hunks separated by a blank line — not the whole file.
    """

    path: str
    old_text: str
    new_text: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    op: str = "update"
    move_to: str | None = None


_FILE_HEADER = re.compile(r"\*\*\* (Add|Update|Delete) File:\s*(.+?)\s*$")
_MOVE_HEADER = re.compile(r"\*\*\* Move to:\s*(.+?)\s*$")


_UNIFIED_NEW_FILE = re.compile(r"^\+\+\+ ", re.MULTILINE)


def is_patch_text(text: str) -> bool:
    """Whether a file's text is a patch :func:`patch_files` reads: a Codex apply_patch envelope
    or a unified diff (a ``+++`` header line). A shell that writes such a file and then runs
    ``patch``/``git apply`` on it edits the files it names, not the patch file."""
    return text.lstrip().startswith("*** Begin Patch") or _UNIFIED_NEW_FILE.search(text) is not None


def patch_files(patch_text: str) -> list[FilePatch]:
    """The files of a Codex apply_patch text (``*** Begin Patch`` … ``*** End Patch``).

    A unified diff (``--- a/x`` / ``+++ b/x`` / ``@@ -1 +1 @@``) is read too. Unknown lines
    are ignored rather than rejected: a half-valid patch still tells what it meant to do.
    """
    if not isinstance(patch_text, str) or not patch_text.strip():
        return []
    if "*** Begin Patch" not in patch_text and _UNIFIED_NEW_FILE.search(patch_text):
        return _unified_diff_files(patch_text)
    files: list[_PatchBuilder] = []
    for line in patch_text.splitlines():
        header = _FILE_HEADER.match(line)
        if header:
            files.append(_PatchBuilder(header.group(2), header.group(1).lower()))
            continue
        if not files or line.startswith(("*** Begin Patch", "*** End Patch", "*** End of File")):
            continue
        move = _MOVE_HEADER.match(line)
        if move:
            files[-1].move_to = move.group(1)
        else:
            files[-1].take(line)
    return [builder.build() for builder in files]


class _PatchBuilder:
    def __init__(self, path: str, op: str) -> None:
        self.path = path
        self.op = op
        self.move_to: str | None = None
        self.old: list[str] = []
        self.new: list[str] = []
        self.added: list[str] = []
        self.removed: list[str] = []

    def take(self, line: str) -> None:
        if line.startswith("@@"):
            if self.old or self.new:
                self.old.append("")
                self.new.append("")
            return
        if line.startswith("\\ No newline"):
            return
        if self.op == "add":
            text = line[1:] if line.startswith("+") else line
            self.new.append(text)
            self.added.append(text)
        elif line.startswith("+"):
            self.new.append(line[1:])
            self.added.append(line[1:])
        elif line.startswith("-"):
            self.old.append(line[1:])
            self.removed.append(line[1:])
        elif self.op == "update":
            text = line[1:] if line.startswith(" ") else line
            self.old.append(text)
            self.new.append(text)

    def build(self) -> FilePatch:
        return FilePatch(
            path=self.path,
            old_text="\n".join(self.old),
            new_text="\n".join(self.new),
            added=self.added,
            removed=self.removed,
            op=self.op,
            move_to=self.move_to,
        )


def _unified_diff_files(diff_text: str) -> list[FilePatch]:
    files: list[_PatchBuilder] = []
    old_path = None
    for line in diff_text.splitlines():
        if line.startswith("--- "):
            old_path = _diff_path(line[4:])
            continue
        if line.startswith("+++ "):
            new_path = _diff_path(line[4:])
            op = "add" if old_path is None else "delete" if new_path is None else "update"
            path = new_path or old_path or ""
            builder = _PatchBuilder(path, "update")
            builder.op = op
            if old_path and new_path and old_path != new_path:
                builder.path, builder.move_to = old_path, new_path
            files.append(builder)
            continue
        if files and not line.startswith(
            ("diff --git", "index ", "new file mode", "deleted file mode", "similarity", "rename ")
        ):
            files[-1].take(line)
    return [builder.build() for builder in files]


def _diff_path(text: str) -> str | None:
    path = text.split("\t")[0].strip()
    if path == "/dev/null":
        return None
    return re.sub(r"^[ab]/", "", path)


# --------------------------------------------------------------------------- verification

# What counts as a check is data (ingest/rules/check_command.toml): runner programs, check verbs
# as subcommands or script names, wrappers, probes and readiness waits. The code below walks the
# words of a simple command; the rules say which words make it a check.
_RUNNER = rule("check.runner.program").regex
_VERB = rule("check.verb.subcommand").regex
_SETUP_VERB = rule("check.verb.setup").regex
_PROGRAM_VERBS: dict[str, list[str]] = dict(rule("check.verb.program_specific").fields["programs"])
_PROGRAM_OPTIONS: dict[str, list[str]] = dict(rule("check.verb.option").fields["programs"])
_DIRECT_WRAPPER = rule("check.wrapper.runner")
_SUBCOMMAND_WRAPPER = rule("check.wrapper.subcommand")
_PYTHON = rule("check.wrapper.interpreter_module").regex
_HTTP_PROBE = rule("check.probe.http")
_HTTP_TARGET = re.compile(str(_HTTP_PROBE.fields["target"]))
_PORT_PROBE = rule("check.probe.port").regex
_READINESS = rule("check.readiness.wait").regex
_TEST_SCRIPT = rule("check.script.test_file")
_SCRIPT_INTERPRETERS = frozenset(_TEST_SCRIPT.fields["interpreters"])
_ROLLOUT_STATUS = rule("check.readiness.rollout_status")
_TEXT_PROGRAM = rule("check.exclusion.text_program").regex
_PACKAGE_MANAGERS = frozenset({"npm", "yarn", "pnpm", "bun"})
_SUBCOMMAND_WORDS = 3  # how many words after the program may name the check (adb shell am instrument)
NOT_A_CHECK, SETUP_CHECK, CHECK = 0, 1, 2


def is_verification_command(command: str) -> bool:
    """True when any part of a shell command runs tests, a build, a linter or a type checker.

    Also counts readiness checks used as a verdict: ``kubectl wait``, ``kubectl rollout
    status``, ``helm test``. Text tools that merely mention a test runner (``grep pytest``,
    ``pip install pytest``) do not count.
    """
    if not isinstance(command, str) or not command.strip():
        return False
    return any(_is_check(words) for words in split_commands(command))


def verification_parts(command: str) -> list[str]:
    """The simple commands of ``command`` that are checks, without their wrappers.

    ``docker compose up -d api && timeout 600 sh -c 'until curl …; done' && CI=1 pytest
    tests/e2e -q 2>&1 | tail`` checks ``pytest tests/e2e -q``: setup steps, waits around the
    check, environment assignments and output filters are not what is checked, so a run with
    one more setup step still checks the same thing. A ``bash -c 'script'`` contributes the
    checks of its script. Setup checks (an apply, a probe) count only when nothing else is
    checked: ``kubectl apply -f x && kubectl rollout status deploy/x`` checks the rollout.
    """
    parts = _graded_parts(command)
    strongest = max((strength for strength, _ in parts), default=NOT_A_CHECK)
    return [part for strength, part in parts if strength == strongest]


# Simple commands that are not what a tool budget waits for: loop and branch keywords, moves,
# prints, output filters and pauses between the runs of a polling loop.
_BUDGET_NOISE = frozenset(
    {
        *("for", "while", "until", "do", "done", "then", "fi", "else", "elif", "if", "case", "esac", "{", "}"),
        *("cd", "pushd", "popd", "echo", "printf", "true", "false", ":", "export", "source", ".", "set", "unset"),
        *("grep", "egrep", "rg", "tail", "head", "wc", "sort", "uniq", "tee", "cat", "less", "jq", "sleep", "date"),
        *("test", "[", "[["),
    }
)
_SUBCOMMAND = re.compile(r"[a-z][a-z0-9_:-]*")
_INTERPRETERS = frozenset({"node", "bash", "sh", "zsh", "ruby", "perl", "php", "deno", "bun", "Rscript"})


def budget_site(command: str) -> str:
    """What a time budget set on the agent's own tool (Claude Code Bash ``timeout``, Codex
    ``timeout_ms``) waits for: the program and its subcommand of the first simple command that
    does work, without its arguments, wrappers, ``cd`` prefix, loop or output filters.

    The budget is the agent's guess of how long that program takes, not a property of one
    argument list: ``go build ./services/a/...`` at 30 s and then ``go build ./services/a/...
    ./services/b/...`` at 60 s raise the same budget, as do the cycles of a polling loop written
    a little differently each time (``for i in 5 6 7; do gt deacon heartbeat … | grep …; sleep
    60; done``, then ``for i in {13..20}; do gt deacon heartbeat … | tail -1; …``). A script run
    by an interpreter keeps its script (``python train.py``, ``python -m pytest``).
    """
    if not isinstance(command, str):
        return ""
    for words in split_commands(command):
        words = _strip_prefixes(words)
        script = shell_script_argument(words) if words else None
        if script is not None:
            inner = budget_site(script.text)
            if inner:
                return inner
            continue
        if not words or basename(words[0].text) in _BUDGET_NOISE:
            continue
        program = basename(words[0].text)
        rest = [word.text for word in words[1:]]
        if rest[:1] == ["-m"] and len(rest) > 1:
            return f"{program} -m {rest[1]}"
        rest = [text for text in rest if not text.startswith("-")]  # mvn -q verify runs verify
        if len(rest) > 1 and rest[0] in ("run", "exec", "x", "task"):
            return f"{program} {rest[0]} {rest[1]}"  # npm run test:e2e, deno task test
        interpreter = _PYTHON.fullmatch(program) or program in _INTERPRETERS
        if rest and (_SUBCOMMAND.fullmatch(rest[0]) or interpreter):
            return f"{program} {rest[0]}"
        return program
    return ""


def _graded_parts(command: str) -> list[tuple[int, str]]:
    """(check strength, text) of each check among the simple commands of ``command``."""
    if not isinstance(command, str) or not command.strip():
        return []
    parts: list[tuple[int, str]] = []
    for words in split_commands(command):
        words = _strip_prefixes(words)
        if not words:
            continue
        script = shell_script_argument(words)
        if script is not None:
            parts += _graded_parts(script.text)
        elif strength := _check_strength(words):
            parts.append((strength, " ".join(word.raw for word in words)))
    return parts


def _is_check(words: list[Word]) -> bool:
    return _check_strength(words) != NOT_A_CHECK


def _check_strength(words: list[Word]) -> int:
    """CHECK for a test, build or lint run; SETUP_CHECK for an apply, a deploy or a probe (a check of
    its own, but not what a command that also runs a test checks); NOT_A_CHECK otherwise."""
    words = _strip_prefixes(words)
    if not words:
        return NOT_A_CHECK
    script = shell_script_argument(words)
    if script is not None:
        return max((_check_strength(part) for part in split_commands(script.text)), default=NOT_A_CHECK)
    program = basename(words[0].text)
    arguments = [word.text for word in words[1:]]
    if _TEXT_PROGRAM.fullmatch(program):
        return NOT_A_CHECK
    if _RUNNER.fullmatch(program):
        return CHECK
    if _PYTHON.fullmatch(program):
        return CHECK if _python_check(arguments) else NOT_A_CHECK
    if program in ("node", "bash", "sh") and arguments[:1] in (["--check"], ["-n"]):
        return CHECK
    if program in _SCRIPT_INTERPRETERS:
        script_path = next((argument for argument in arguments if not argument.startswith("-")), "")
        if _TEST_SCRIPT.regex.search(script_path):
            return CHECK
    if program in _PACKAGE_MANAGERS:
        return _package_script_check(words[1:])
    if _DIRECT_WRAPPER.regex.fullmatch(program):
        return _check_strength(_skip_options(words[1:], _DIRECT_WRAPPER.fields["options_with_value"]))
    if (
        _SUBCOMMAND_WRAPPER.regex.fullmatch(program)
        and arguments[:1]
        and (arguments[0] in _SUBCOMMAND_WRAPPER.fields["subcommands"])
    ):
        return _check_strength(_skip_options(words[2:], _SUBCOMMAND_WRAPPER.fields["options_with_value"]))
    if _HTTP_PROBE.regex.fullmatch(program):
        return SETUP_CHECK if any(_HTTP_TARGET.search(argument) for argument in arguments) else NOT_A_CHECK
    if _PORT_PROBE.fullmatch(program):
        return SETUP_CHECK
    if program in _PROGRAM_OPTIONS:
        return CHECK if any(argument in _PROGRAM_OPTIONS[program] for argument in arguments) else NOT_A_CHECK
    if program == "make":
        targets = [argument for argument in arguments if not argument.startswith("-") and "=" not in argument]
        return CHECK if not targets or any(_VERB.fullmatch(target) for target in targets) else NOT_A_CHECK
    if ("/" in words[0].text or program.endswith((".sh", ".py"))) and _VERB.fullmatch(
        re.sub(r"\.(?:sh|py|bash)$", "", program)
    ):
        return SETUP_CHECK if _SETUP_VERB.fullmatch(re.sub(r"\.(?:sh|py|bash)$", "", program)) else CHECK
    return _subcommand_check(program, arguments)


def _subcommand_check(program: str, arguments: list[str]) -> int:
    """A check verb among the first words after the program: ``gradle test``, ``pulumi up``,
    ``deno task test``, ``adb shell am instrument``, ``kubectl rollout status``, ``aws ecs wait``."""
    subcommands = [
        argument.rsplit(":", 1)[-1] if argument.startswith(":") else argument  # a gradle task path
        for argument in arguments
        if not argument.startswith("-") and "=" not in argument
    ][:_SUBCOMMAND_WORDS]
    if subcommands and " " in subcommands[0]:  # sbt "testOnly ledger.Spec": the first argument is a command line
        subcommands[0] = subcommands[0].split(maxsplit=1)[0]
    strength = NOT_A_CHECK
    for index, word in enumerate(subcommands):
        after_rollout = index > 0 and subcommands[index - 1] in _ROLLOUT_STATUS.fields["after"]
        if (
            word in _PROGRAM_VERBS.get(program, ())
            or _READINESS.fullmatch(word)
            or (after_rollout and _ROLLOUT_STATUS.regex.fullmatch(word))
        ):
            return CHECK
        if _VERB.fullmatch(word):
            strength = max(strength, SETUP_CHECK if _SETUP_VERB.fullmatch(word) else CHECK)
    return strength


def _skip_options(words: list[Word], options_with_value: list[str]) -> list[Word]:
    index = 0
    while index < len(words) and words[index].text.startswith("-"):
        index += 2 if words[index].text in options_with_value else 1
    return words[index:]


def _strip_prefixes(words: list[Word]) -> list[Word]:
    """Drop env assignments and wrappers: ``CI=1 sudo -E timeout 600 nice pytest``."""
    while words:
        text = words[0].text
        if re.fullmatch(r"[A-Za-z_]\w*=.*", text, re.DOTALL) or text in (
            "then",
            "do",
            "else",
            "!",
            "{",
            "time",
            "if",
            "while",
            "until",
        ):
            words = words[1:]
        elif basename(text) in (
            "sudo",
            "env",
            "nohup",
            "exec",
            "command",
            "nice",
            "stdbuf",
            "xvfb-run",
            "caffeinate",
            "unbuffer",
        ):
            words = words[1:]
            while words and words[0].text.startswith("-"):
                words = words[1:]
        elif basename(text) in ("timeout", "gtimeout"):
            words = words[1:]
            while words and words[0].text.startswith("-"):
                words = words[2:] if words[0].text in ("-k", "-s", "--kill-after", "--signal") else words[1:]
            words = words[1:]
        else:
            return words
    return words


def _python_check(arguments: list[str]) -> bool:
    if arguments[:1] == ["-m"] and len(arguments) > 1:
        module = arguments[1]
        return (
            bool(_RUNNER.fullmatch(module))
            or module in ("compileall", "py_compile", "unittest", "doctest")
            or module.startswith("pytest")
        )
    script = next((argument for argument in arguments if not argument.startswith("-")), "")
    name = basename(script)
    return bool(re.match(r"(?i)(test_\w+|\w+_test|runtests?|run_tests?|manage)\.py$", name)) and (
        name != "manage.py" or "test" in arguments
    )


_PACKAGE_OPTIONS_WITH_VALUE = frozenset(
    {"--prefix", "-C", "--dir", "--cwd", "--filter", "-F", "--workspace", "-w", "--scope", "--cache"}
)


def _package_script_check(rest: list[Word]) -> int:
    """``npm test``, ``pnpm --filter web test``, ``yarn workspace web test``, ``npm run lint``,
    ``pnpm exec playwright test``…: a script name with a check verb, or a program run through it."""
    words: list[Word] = []
    skip = False
    for word in rest:
        if skip:
            skip = False
        elif word.text in _PACKAGE_OPTIONS_WITH_VALUE:
            skip = True  # the next word is the option's value (a folder, a package), not the script
        elif not word.text.startswith("-") or words:
            words.append(word)
    names = [word.text for word in words]
    if names[:1] == ["workspace"]:  # yarn workspace <package> <script>
        words, names = words[2:], names[2:]
    if not names:
        return NOT_A_CHECK
    if names[0] in ("test", "t", "tst", "lint", "typecheck", "build"):
        return CHECK
    if names[0] in ("run", "run-script"):
        script = next((name for name in names[1:] if not name.startswith("-")), "")
        return (
            CHECK
            if _VERB.fullmatch(script) and not _SETUP_VERB.fullmatch(script)
            else (SETUP_CHECK if _VERB.fullmatch(script) else NOT_A_CHECK)
        )
    if names[0] in ("exec", "dlx", "x"):
        return _check_strength(_skip_options(words[1:], []))
    if names[0] in ("install", "i", "ci", "add", "remove", "uninstall", "update", "upgrade", "init", "create"):
        return NOT_A_CHECK
    return CHECK if _VERB.fullmatch(names[0]) or _RUNNER.fullmatch(names[0]) else NOT_A_CHECK


# --------------------------------------------------------------------------- failures

_OUTPUT_FILTERS = frozenset(
    {
        "tail",
        "head",
        "grep",
        "egrep",
        "rg",
        "tee",
        "less",
        "more",
        "cat",
        "sed",
        "awk",
        "cut",
        "sort",
        "uniq",
        "wc",
        "column",
        "fold",
        "tr",
        "ts",
    }
)


_STATUS_DISCARDED = re.compile(r"(?:\|\||;)\s*(?:true|:|exit 0)\s*(?:$|[;&|)])")
# What a gap between two simple commands can hold besides their connector: redirections
# (``2>&1``, ``> out.log``) the lexer dropped, and the grouping of a subshell or a block.
_GAP_REDIRECTION = re.compile(r"\d*(?:>>|>&|&>|<<<|>|<)&?-?\d*(?:[ \t]*[^\s;&|()<>]+)?")
_CONNECTOR = re.compile(r"&&|\|\||\|&|[|;&\n]")
_BLOCK_END = frozenset({"done", "fi", "esac", "}"})
_ERREXIT = re.compile(r"\bset\s+-[a-zA-Z]*e|\bset\s+-o\s+errexit\b")


def exit_status_hidden(command: str) -> bool:
    """True when a check's exit status is not the status the command ended with, so its output
    has to tell whether the check passed: the check's status is lost in a pipe (``pytest -q
    2>&1 | tail -20`` exits with ``tail``'s status unless ``pipefail`` is set), thrown away
    (``pytest || true``, ``go test || echo failed``), or followed by another command after
    ``;`` or a new line (``./gradlew test; echo done``, ``set +e`` scripts): the shell reports
    the last command's status. Only ``&&`` after the last check keeps its failure, and under
    ``set -e`` a failing check ends the script before a ``;`` does."""
    if not isinstance(command, str):
        return False
    # a block's closing word (``done``, ``fi``) ends the block, it runs nothing of its own
    simple = [words for words in split_commands(command) if words[0].text not in _BLOCK_END or len(words) > 1]
    checks = [index for index, words in enumerate(simple) if _is_check(words)]
    if not checks:
        return False
    if _STATUS_DISCARDED.search(command):
        return True
    last_check = checks[-1]
    if last_check == len(simple) - 1:
        return False
    errexit = bool(_ERREXIT.search(command[: simple[last_check][0].start])) and "set +e" not in command
    pipefail = "pipefail" in command
    for before, after in zip(simple[last_check:], simple[last_check + 1 :], strict=False):
        gap = _GAP_REDIRECTION.sub(" ", command[before[-1].end : after[0].start])
        for connector in _CONNECTOR.findall(gap):
            if connector == "&&":
                continue
            if connector in ("|", "|&"):
                if not pipefail:
                    return True
            elif connector == "||" or not errexit:
                return True
    return False


# A check's verdict read from its output is data too (ingest/rules/check_failure_output.toml).
# Searched over whole tool outputs, each behind its literal prefilter (ingest/rules/prefilter.py).
_SUMMARY_FAIL = tuple(
    prefiltered_search(r.regex) for r in rules("check_failure_output") if r.category == "summary_fail"
)
_SHOWN_SUMMARY_FAIL = tuple(
    prefiltered_search(r.regex)
    for r in rules("check_failure_output")
    if r.category == "summary_fail" and r.fields.get("in_shown_text", True)
)
_SUMMARY_PASS = tuple(
    prefiltered_search(r.regex) for r in rules("check_failure_output") if r.category == "summary_pass"
)
_FAILURE_MARKERS = tuple(prefiltered_search(r.regex) for r in rules("check_failure_output") if r.category == "marker")
_TOOL_TIMED_OUT = rule("check.output.tool_timed_out").regex


def tool_timed_out(result_text: str | None) -> bool:
    """True when the agent's own tool killed the command at its time budget (Claude Code Bash
    ``Command timed out after 2m 0s``, Codex ``command timed out after 120000 milliseconds``)."""
    return bool(result_text and _TOOL_TIMED_OUT.search(result_text[:500]))


def is_failure(
    result_text: str | None, exit_code: int | None = None, is_error: bool = False, markers: bool = True
) -> bool:
    """True when a tool result failed.

    The exit code decides when known (and ``is_error`` always means failure). Without one,
    a recognized test-runner summary decides ("3 passed" vs "1 failed"; "0 failed" is a
    pass), and otherwise failure markers do (``FAILED``, ``Traceback``, ``panic:``,
    ``--- FAIL``, ``npm ERR!``, ``Error:``, ``timed out``…). ``markers=False``: the output is
    text a command showed (a log, a file), where only a runner's summary is a verdict.
    """
    if is_error:
        return True
    if exit_code is not None:
        return exit_code != 0
    text = result_text or ""
    if any(found(text) for found in (_SUMMARY_FAIL if markers else _SHOWN_SUMMARY_FAIL)):
        return True
    if not markers or any(found(text) for found in _SUMMARY_PASS):
        return False
    return any(found(text) for found in _FAILURE_MARKERS)


__all__ = [
    "FilePatch",
    "edit_line_changes",
    "exit_status_hidden",
    "is_failure",
    "is_verification_command",
    "patch_files",
    "tool_timed_out",
    "verification_parts",
]
