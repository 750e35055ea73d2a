"""What a session shows to be the project's own: its files, identifiers and repository name.

Whether a named cause is "ours" or "outside" cannot be decided by a vocabulary: `scheduler` is
the kernel's in one repository and a module of the project in another. The session itself says
which names are the project's: the files it read and edited (paths, basenames, stems), the
functions and classes its edits define or touch, and the repository's name (from the working
directory or git remote). :class:`ProjectContext` collects them as the session is walked, and
the explanation classifier asks it whether a cause names one of them.

Generic words decide nothing alone: a file ``client.py`` does not make every "client" ours, so a
plain lower-case word counts only where the sentence writes it as code (backticks, a file name,
a call) or as the project's ("our client").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

# An identifier that is not an English word: snake_case, CamelCase, kebab-case, with digits or dots.
_DISTINCT = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)+|[a-z]+[A-Z]\w*|[A-Z][a-z0-9]+[A-Z]\w*|\w*\d\w*", re.ASCII)
_DEFINITION = re.compile(
    r"^\s*(?:export\s+)?(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:def|class|function|func|fn|struct|enum|interface|trait|type|impl|const|let|var|module|object)\s+"
    r"(?:\([^)]*\)\s*)?([A-Za-z_][\w$]*)",
    re.MULTILINE,
)
_WORD = re.compile(r"[A-Za-z_][\w.$-]*[\w$]|[A-Za-z_]")
_MIN_LENGTH = 3
# Words that name nothing by themselves, whatever file or function is called so.
_TOO_GENERIC = frozenset(
    [
        "src",
        "lib",
        "app",
        "main",
        "index",
        "test",
        "tests",
        "spec",
        "util",
        "utils",
        "core",
        "common",
        "base",
        "api",
        "cli",
        "web",
        "server",
        "client",
        "service",
        "config",
        "settings",
        "setup",
        "init",
        "build",
        "dist",
        "docs",
        "readme",
        "makefile",
        "package",
        "types",
        "models",
        "model",
        "views",
        "handler",
        "handlers",
        "routes",
        "worker",
        "workers",
        "queue",
        "cache",
        "store",
        "data",
        "tmp",
        "scripts",
        "script",
        "tools",
        "internal",
        "cmd",
        "pkg",
    ]
)


@dataclass
class ProjectContext:
    """The names a session shows to be the project's own (lower-cased)."""

    names: set[str] = field(default_factory=set)
    distinct: set[str] = field(default_factory=set)

    def add_path(self, path: str | None) -> None:
        if not path:
            return
        pure = PurePosixPath(str(path).replace("\\", "/"))
        for part in pure.parts[-3:]:
            self._add(part)
        self._add(pure.stem)

    def add_repository(self, name: str | None) -> None:
        if name:
            stem = re.sub(r"\.git$", "", str(name).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1])
            self._add(stem)
            if len(stem) >= _MIN_LENGTH:
                self.names.add(stem.lower())
                self.distinct.add(stem.lower())
            for piece in re.split(r"[-_.]", stem):
                if len(piece) > 4:
                    self._add(piece)

    def add_code(self, text: str | None) -> None:
        """Functions, classes and other names a piece of edited code defines."""
        for match in _DEFINITION.finditer(text or ""):
            self._add(match.group(1))

    def _add(self, name: str) -> None:
        name = name.strip()
        if len(name) < _MIN_LENGTH or name in {".", "/", ".."}:
            return
        lowered = name.lower()
        if lowered in _TOO_GENERIC:
            return
        self.names.add(lowered)
        if _DISTINCT.fullmatch(name) or "." in name:
            self.distinct.add(lowered)

    def owned_name(self, text: str) -> str | None:
        """The first project name ``text`` mentions as such, or None.

        A distinct identifier (``upload_worker``, ``PaymentClient``, ``ingest.py``) counts anywhere;
        a plain word that is also a project name counts only written as code or as ours.
        """
        if not self.names:
            return None
        for match in _WORD.finditer(text):
            word = match.group(0).lower().strip(".")
            if word in self.distinct:
                return word
            if word in self.names and _as_code_or_ours(text, match.start(), match.end()):
                return word
        return None


def _as_code_or_ours(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 12) : start]
    after = text[end : end + 3]
    return (
        before.endswith("`")
        or after.startswith(("`", "(", ".py", ".ts", ".js", ".go", ".rs"))
        or bool(re.search(r"\b(?:our|my|the project's)\s+(?:own\s+)?$", before, re.IGNORECASE))
    )
