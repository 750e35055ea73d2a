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


def patch_files(patch_text: str) -> list[FilePatch]:
    """The files of a Codex apply_patch text (``*** Begin Patch`` … ``*** End Patch``).

    A unified diff (``--- a/x`` / ``+++ b/x`` / ``@@ -1 +1 @@``) is read too. Unknown lines
    are ignored rather than rejected: a half-valid patch still tells what it meant to do.
    """
    if not isinstance(patch_text, str) or not patch_text.strip():
        return []
    if "*** Begin Patch" not in patch_text and re.search(r"^\+\+\+ ", patch_text, re.MULTILINE):
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

_ALWAYS_CHECKS = frozenset(
    {
        "pytest",
        "py.test",
        "tox",
        "nox",
        "jest",
        "vitest",
        "mocha",
        "ava",
        "karma",
        "tsc",
        "vue-tsc",
        "mypy",
        "pyright",
        "pytype",
        "ruff",
        "flake8",
        "pylint",
        "pycodestyle",
        "pydocstyle",
        "bandit",
        "eslint",
        "stylelint",
        "tslint",
        "golangci-lint",
        "staticcheck",
        "govulncheck",
        "shellcheck",
        "hadolint",
        "yamllint",
        "markdownlint",
        "rubocop",
        "rspec",
        "phpunit",
        "phpstan",
        "ctest",
        "ginkgo",
        "tflint",
        "kubeconform",
        "kubeval",
        "kube-linter",
        "actionlint",
        "checkov",
        "cargo-nextest",
        "jasmine",
        "wdio",
        "testcafe",
        "unittest",
        "pre-commit",
        "biome",
        "xcodebuild",
        "checkstyle",
        "spotbugs",
        "detekt",
        "ktlint",
        "swiftlint",
        "clang-tidy",
        "cppcheck",
        "nosetests",
        "trial",
        "behave",
        "robot",
        "bats",
        "hurl",
        "newman",
        "k6",
    }
)
_CHECK_SUBCOMMANDS: dict[str, frozenset[str]] = {
    "go": frozenset({"test", "vet", "build"}),
    "cargo": frozenset({"test", "build", "check", "clippy", "nextest", "bench", "fmt"}),
    "make": frozenset(
        {
            "test",
            "tests",
            "check",
            "lint",
            "build",
            "verify",
            "ci",
            "e2e",
            "test-e2e",
            "integration",
            "unit",
            "typecheck",
            "all",
        }
    ),
    "mvn": frozenset({"test", "verify", "package", "install", "compile", "integration-test"}),
    "mvnw": frozenset({"test", "verify", "package", "install", "compile"}),
    "gradle": frozenset({"test", "build", "check", "assemble", "integrationTest", "connectedCheck", "lint"}),
    "gradlew": frozenset({"test", "build", "check", "assemble", "integrationTest", "connectedCheck", "lint"}),
    "dotnet": frozenset({"test", "build"}),
    "bazel": frozenset({"test", "build"}),
    "bazelisk": frozenset({"test", "build"}),
    "deno": frozenset({"test", "lint", "check"}),
    "bun": frozenset({"test"}),
    "swift": frozenset({"test", "build"}),
    "playwright": frozenset({"test"}),
    "cypress": frozenset({"run"}),
    "helm": frozenset({"lint", "test", "template"}),
    "terraform": frozenset({"validate", "plan"}),
    "tofu": frozenset({"validate", "plan"}),
    "docker": frozenset({"build"}),
    "podman": frozenset({"build"}),
    "buildah": frozenset({"bud", "build"}),
    "meson": frozenset({"test", "compile"}),
    "ninja": frozenset(),
    "rake": frozenset({"test", "spec"}),
    "nx": frozenset({"test", "build", "lint", "e2e", "run-many", "affected"}),
    "turbo": frozenset({"test", "build", "lint", "run"}),
    "lerna": frozenset({"run"}),
    "mix": frozenset({"test", "compile"}),
    "stack": frozenset({"test", "build"}),
    "cabal": frozenset({"test", "build"}),
    "zig": frozenset({"build", "test"}),
    "sbt": frozenset({"test", "compile"}),
    "black": frozenset({"--check", "--diff"}),
    "prettier": frozenset({"--check", "-c", "--list-different", "-l"}),
    "gofmt": frozenset({"-l", "-d"}),
    "cmake": frozenset({"--build"}),
}
_SCRIPT_CHECK_WORDS = re.compile(
    r"(?i)^(?:test|tests|lint|check|typecheck|type-check|tsc|build|verify|e2e|ci|unit|integration|coverage|spec)(?:[:_-][\w:-]*)?$"
)
_CHECK_SCRIPT_FILE = re.compile(r"(?i)^(?:run[_-]?)?(?:tests?|lint|check|ci|verify|e2e)(?:[_-][\w-]*)?(?:\.sh|\.py)?$")
_PACKAGE_MANAGERS = frozenset({"npm", "yarn", "pnpm", "bun"})
_PYTHON = re.compile(r"python(?:\d(?:\.\d+)?)?|py|pypy3?")


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
    checks of its script.
    """
    if not isinstance(command, str) or not command.strip():
        return []
    parts: list[str] = []
    for words in split_commands(command):
        words = _strip_prefixes(words)
        if not words:
            continue
        script = shell_script_argument(words)
        if script is not None:
            parts += verification_parts(script.text)
        elif _is_check(words):
            parts.append(" ".join(word.raw for word in words))
    return parts


def _is_check(words: list[Word]) -> bool:
    words = _strip_prefixes(words)
    if not words:
        return False
    script = shell_script_argument(words)
    if script is not None:
        return is_verification_command(script.text)
    program = basename(words[0].text)
    arguments = [word.text for word in words[1:]]
    if program in _ALWAYS_CHECKS or program.endswith("-lint"):
        return True
    if _PYTHON.fullmatch(program):
        return _python_check(arguments)
    if program in ("node", "bash", "sh") and arguments[:1] in (["--check"], ["-n"]):
        return True
    if program in _PACKAGE_MANAGERS:
        return _package_script_check(arguments)
    if program in ("npx", "bunx", "pnpx", "uv", "poetry", "pipenv", "pdm", "hatch", "bundle"):
        rest = [word for word in words[1:] if not word.text.startswith("-") and word.text not in ("run", "exec", "dlx")]
        return bool(rest) and _is_check(rest)
    if program in ("kubectl", "oc"):
        return _kubectl_check(arguments)
    if program in _CHECK_SUBCOMMANDS:
        return _subcommand_check(program, arguments)
    return bool(_CHECK_SCRIPT_FILE.match(program)) and ("/" in words[0].text or program.endswith((".sh", ".py")))


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
            module in _ALWAYS_CHECKS
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


def _package_script_check(arguments: list[str]) -> bool:
    """``npm test``, ``pnpm --filter web test``, ``yarn workspace web test``, ``npm run lint``…"""
    words: list[str] = []
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument in _PACKAGE_OPTIONS_WITH_VALUE:
            skip = True  # the next word is the option's value (a folder, a package), not the script
        elif not argument.startswith("-"):
            words.append(argument)
    if words[:1] == ["workspace"]:  # yarn workspace <package> <script>
        words = words[2:]
    if not words:
        return False
    if words[0] in ("test", "t", "tst", "lint", "typecheck", "build"):
        return True
    if words[0] in ("run", "run-script") and len(words) > 1:
        return bool(_SCRIPT_CHECK_WORDS.match(words[1]))
    if words[0] in ("exec", "dlx", "x"):
        return len(words) > 1 and words[1] in _ALWAYS_CHECKS
    return bool(_SCRIPT_CHECK_WORDS.match(words[0])) or words[0] in _ALWAYS_CHECKS


def _kubectl_check(arguments: list[str]) -> bool:
    words = [argument for argument in arguments if not argument.startswith("-")]
    return bool(words) and (words[0] == "wait" or words[:2] == ["rollout", "status"])


def _subcommand_check(program: str, arguments: list[str]) -> bool:
    expected = _CHECK_SUBCOMMANDS[program]
    if program in ("black", "prettier", "gofmt", "cmake"):
        return any(argument in expected for argument in arguments)
    if program == "ninja":
        return True
    if program == "make":
        targets = [argument for argument in arguments if not argument.startswith("-") and "=" not in argument]
        return not targets or any(target in expected or _SCRIPT_CHECK_WORDS.match(target) for target in targets)
    if program in ("gradle", "gradlew"):  # a task path names its project: ``:core:integrationTest``
        arguments = [argument.rsplit(":", 1)[-1] if argument.startswith(":") else argument for argument in arguments]
    return any(argument in expected for argument in arguments if not argument.startswith("-") or argument in expected)


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


def exit_status_hidden(command: str) -> bool:
    """True when a check's exit status is lost in a pipe: ``pytest -q 2>&1 | tail -20`` exits
    with ``tail``'s status (unless ``pipefail`` is set), so its output has to tell whether the
    check passed."""
    if not isinstance(command, str) or "|" not in command or "pipefail" in command:
        return False
    simple = split_commands(command)
    if len(simple) < 2 or basename(simple[-1][0].text) not in _OUTPUT_FILTERS:
        return False
    before = command[: simple[-1][0].start].rstrip()
    return before.endswith("|") and not before.endswith("||") and any(_is_check(words) for words in simple[:-1])


_SUMMARY_FAIL = [
    re.compile(r"=+ .*?\b([1-9]\d*) (?:failed|errors?)\b.* in [\d.]+s", re.IGNORECASE),
    re.compile(r"^(?:--- FAIL|FAIL\b)", re.MULTILINE),
    re.compile(r"^Tests?:\s+.*?\b[1-9]\d* failed", re.MULTILINE),
    re.compile(r"^Test Suites:\s+.*?\b[1-9]\d* failed", re.MULTILINE),
    re.compile(r"test result: FAILED"),
    re.compile(r"^\s*[1-9]\d* failing\b", re.MULTILINE),
    re.compile(r"BUILD FAILURE|BUILD FAILED|FAILURE: Build failed"),
    re.compile(r"^FAILED \((?:failures|errors)=\d+", re.MULTILINE),
    re.compile(r"^Found [1-9]\d* errors?\b", re.MULTILINE),
    re.compile(r"error: timed out waiting for the condition|timed out waiting for the condition"),
    re.compile(r"✖ [1-9]\d* problems?"),
    re.compile(r"^=+ no tests ran", re.MULTILINE),
    re.compile(r"^(?:ERROR|FAILED):? Tests failed", re.MULTILINE),
    re.compile(r"^npm ERR!", re.MULTILINE),
    re.compile(r"^error Command failed", re.MULTILINE),
]
_SUMMARY_PASS = [
    re.compile(r"=+ .*?\b\d+ passed\b.* in [\d.]+s"),
    re.compile(r"^ok\s+\S+", re.MULTILINE),
    re.compile(r"^PASS$", re.MULTILINE),
    re.compile(r"^Tests?:\s+(?:\d+ (?:passed|skipped|todo|total)(?:, )?)+", re.MULTILINE),
    re.compile(r"test result: ok\."),
    re.compile(r"^\s*\d+ passing\b", re.MULTILINE),
    re.compile(r"BUILD SUCCESS(?:FUL)?"),
    re.compile(r"^OK(?: \(.*\))?$", re.MULTILINE),
    re.compile(r"^Success: no issues found", re.MULTILINE),
    re.compile(r"^All checks passed!?", re.MULTILINE),
    re.compile(r"^Found 0 errors", re.MULTILINE),
    re.compile(r"condition met$", re.MULTILINE),
    re.compile(r"successfully rolled out", re.MULTILINE),
]
_FAILURE_MARKERS = [
    re.compile(r"^\s*FAILED\b", re.MULTILINE),
    re.compile(r"\bFAILED\b(?!\s*[=:]\s*0\b)"),
    re.compile(r"^(?:panic|fatal error): ", re.MULTILINE),
    re.compile(r"Traceback \(most recent call last\)"),
    re.compile(r"\bAssertionError\b|\bAssertion failed\b|\bassert(?:ion)? .* failed\b"),
    re.compile(
        r"^\s*(?:[A-Z]\w*(?:Error|Exception)|Error|ERROR|error(?:\[E\d+\])?|fatal|FATAL)(?::|\s+-)\s",
        re.MULTILINE,
    ),
    re.compile(r":\d+(?::\d+)?: (?:error|fatal error):"),
    re.compile(r"\berror TS\d+\b|\berror CS\d+\b|\berror\[E\d{4}\]"),
    re.compile(r"\btimed out\b|\bTimeout(?:Error|Exception)\b|deadline exceeded", re.IGNORECASE),
    re.compile(r"\bException in thread\b|\bUnhandled(?:Promise)?Rejection\b|\bUncaught \w*Error\b"),
    re.compile(r"Segmentation fault|core dumped|\bKilled\b\s*$|OOMKilled", re.MULTILINE),
    re.compile(r"\bcommand not found\b|: No such file or directory|Permission denied"),
    re.compile(r"^(?:fatal|error):", re.MULTILINE),
    re.compile(r"\bexit (?:status|code) [1-9]\d*\b|\bexited with (?:code )?[1-9]\d*\b|returned non-zero exit status"),
    re.compile(r"\bCrashLoopBackOff\b|\bImagePullBackOff\b|\bErrImagePull\b"),
    re.compile(r"[✕✗✘] "),
]


def is_failure(result_text: str | None, exit_code: int | None = None, is_error: bool = False) -> bool:
    """True when a tool result failed.

    The exit code decides when known (and ``is_error`` always means failure). Without one,
    a recognized test-runner summary decides ("3 passed" vs "1 failed"; "0 failed" is a
    pass), and otherwise failure markers do (``FAILED``, ``Traceback``, ``panic:``,
    ``--- FAIL``, ``npm ERR!``, ``Error:``, ``timed out``…).
    """
    if is_error:
        return True
    if exit_code is not None:
        return exit_code != 0
    text = result_text or ""
    if any(pattern.search(text) for pattern in _SUMMARY_FAIL):
        return True
    if any(pattern.search(text) for pattern in _SUMMARY_PASS):
        return False
    return any(pattern.search(text) for pattern in _FAILURE_MARKERS)


__all__ = [
    "FilePatch",
    "edit_line_changes",
    "exit_status_hidden",
    "is_failure",
    "is_verification_command",
    "patch_files",
    "verification_parts",
]
