"""Import a teammate's agent folders (``~/.claude``, ``~/.codex``, ``~/.gemini``, any folder of
transcripts) from a ``.tar``, ``.tar.gz``/``.tgz`` or ``.zip`` archive.

Extraction is defensive: the archive comes from someone else's machine. Every member is
checked before a single byte is written, and the whole import is refused, with the offending
member named, when one has an absolute path, a ``..`` component, is a symbolic or hard link
pointing outside the archive, a device file or FIFO, or when the declared sizes are absurd
(total uncompressed size, file count, compression ratio: see :class:`Limits`). Files are
then written by the standard library's readers into a fresh temporary folder, streamed with a
byte budget (a header that under-declares its size cannot get past it), and never through a
link; links that stay inside are not recreated (the file they name is in the archive itself).
The temporary folder is removed when the import ends, so no unredacted copy of the
transcripts is kept: what is stored went through the same redaction as any ingest.

Stable names: rows and the ingest ledger name each file ``archive:<user>/<member path>``
rather than its temporary path (which is new every time). So importing the same archive
again reads nothing, and a teammate's next, larger archive of the same folders continues
where the previous one ended (only appended lines are read; a rewritten file replaces its
rows), exactly as a local re-ingest would. The name is keyed by the user rather than by the
archive's hash for that second reason; importing one archive under two user names stores it
twice, once for each. Modification times are restored from the archive, so an unchanged
file is recognized by size and time without being read.
"""

from __future__ import annotations

import os
import re
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import duckdb

from ingest.pipeline import IngestSummary, ingest_paths

CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:(?:/|$)")  # C:/… or C: (an archive made on Windows)


@dataclass(frozen=True)
class Limits:
    """What an archive of transcripts may plausibly hold; beyond it, it is refused unopened."""

    max_total_bytes: int = 16 << 30  # uncompressed, all files together
    max_files: int = 200_000
    max_ratio: float = 200.0  # uncompressed / archive size; transcripts compress 5-30x
    ratio_floor_bytes: int = 64 << 20  # small archives may compress as well as they like


class UnsafeArchive(ValueError):
    """The archive holds something that must not be extracted; nothing was written outside."""


class NotAnArchive(ValueError):
    """The file is neither a tar nor a zip archive."""


@dataclass(frozen=True)
class Member:
    """One archive entry, described the same way for tar and zip."""

    name: str  # the normalized relative path inside the archive
    kind: str  # file | dir | link (symbolic or hard) | special
    size: int
    mtime: float | None
    link_target: str | None = None


# ---------------------------------------------------------------------------- checks


def safe_relative(name: str, archive: Path) -> PurePosixPath | None:
    """The member's path relative to the extraction folder; None for the folder itself.

    Raises :class:`UnsafeArchive` for absolute paths, drive letters and ``..`` components.
    Backslashes count as separators (archives made on Windows).
    """
    if "\x00" in name:
        raise UnsafeArchive(f"refusing {archive.name}: member {name!r} has a NUL byte in its name")
    text = name.replace("\\", "/")
    if text.startswith("/") or _DRIVE.match(text):
        raise UnsafeArchive(f"refusing {archive.name}: member {name!r} has an absolute path")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchive(
            f"refusing {archive.name}: member {name!r} has a '..' component "
            "and would be written outside the extraction folder"
        )
    return PurePosixPath(*parts) if parts else None


def link_stays_inside(member: PurePosixPath, target: str, hard: bool) -> bool:
    """Whether a link at ``member`` pointing to ``target`` resolves inside the archive's folder.

    A hard link's target is relative to the archive root, a symbolic link's to its folder."""
    text = target.replace("\\", "/")
    if text.startswith("/") or _DRIVE.match(text):
        return False
    base = [] if hard else list(member.parent.parts)
    depth = len(base)
    for part in text.split("/"):
        if part in ("", "."):
            continue
        depth = depth - 1 if part == ".." else depth + 1
        if depth < 0:
            return False
    return True


def check_members(members: list[Member], archive: Path, limits: Limits) -> None:
    """Refuse the archive for its first unsafe member or for absurd totals (before writing)."""
    total = 0
    files = 0
    for member in members:
        relative = safe_relative(member.name, archive)
        if member.kind == "special":
            raise UnsafeArchive(f"refusing {archive.name}: member {member.name!r} is a device file or FIFO")
        if member.kind == "link" and relative is not None:
            hard = member.link_target is not None and member.link_target.startswith("hard:")
            target = member.link_target.removeprefix("hard:") if member.link_target else ""
            if not link_stays_inside(relative, target, hard):
                raise UnsafeArchive(
                    f"refusing {archive.name}: member {member.name!r} is a link to {target!r}, outside the archive"
                )
        if member.kind == "file":
            files += 1
            total += member.size
    if files > limits.max_files:
        raise UnsafeArchive(f"refusing {archive.name}: {files:,} files is more than the limit of {limits.max_files:,}")
    if total > limits.max_total_bytes:
        raise UnsafeArchive(
            f"refusing {archive.name}: {total:,} bytes uncompressed is more than the limit of "
            f"{limits.max_total_bytes:,}"
        )
    packed = max(archive.stat().st_size, 1)
    if total > limits.ratio_floor_bytes and total / packed > limits.max_ratio:
        raise UnsafeArchive(
            f"refusing {archive.name}: it would expand {total / packed:,.0f} times "
            f"(limit {limits.max_ratio:,.0f}), which transcripts never do"
        )


# ---------------------------------------------------------------------------- formats


def tar_members(archive: tarfile.TarFile) -> list[tuple[Member, tarfile.TarInfo]]:
    found = []
    for info in archive.getmembers():
        if info.isreg():
            kind, target = "file", None
        elif info.isdir():
            kind, target = "dir", None
        elif info.issym():
            kind, target = "link", info.linkname
        elif info.islnk():
            kind, target = "link", "hard:" + info.linkname
        else:
            kind, target = "special", None
        found.append((Member(info.name, kind, info.size if kind == "file" else 0, float(info.mtime), target), info))
    return found


def zip_members(archive: zipfile.ZipFile) -> list[tuple[Member, zipfile.ZipInfo]]:
    found = []
    for info in archive.infolist():
        file_type = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip tool recorded none
        mtime = datetime(*info.date_time).timestamp() if info.date_time[0] >= 1980 else None
        if info.is_dir():
            kind, target = "dir", None
        elif file_type == stat.S_IFLNK:
            with archive.open(info) as handle:
                kind, target = "link", handle.read(4096).decode("utf-8", "replace")
        elif file_type not in (0, stat.S_IFREG):
            kind, target = "special", None
        else:
            kind, target = "file", None
        found.append((Member(info.filename, kind, info.file_size if kind == "file" else 0, mtime, target), info))
    return found


@contextmanager
def opened_members(
    path: Path,
) -> Iterator[tuple[Sequence[tuple[Member, zipfile.ZipInfo | tarfile.TarInfo]], Callable[[Any], IO[bytes] | None]]]:
    """The archive's members and a function opening a member's bytes as a stream."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            yield zip_members(archive), archive.open
        return
    if tarfile.is_tarfile(path):
        with tarfile.open(path, "r:*") as archive:
            yield tar_members(archive), archive.extractfile
        return
    raise NotAnArchive(f"{path} is not a .tar, .tar.gz, .tgz or .zip archive")


# ---------------------------------------------------------------------------- extraction


def copy_with_budget(source, target: Path, allowed: int, budget: list[int], member: str, archive: Path) -> None:
    """Stream one member to ``target``; stop as soon as it exceeds its declared size or the total budget."""
    written = 0
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            budget[0] -= len(chunk)
            if written > allowed or budget[0] < 0:
                raise UnsafeArchive(f"refusing {archive.name}: member {member!r} holds more bytes than it declares")
            handle.write(chunk)


def extract_safely(path: Path, into: Path, limits: Limits = Limits()) -> int:
    """Check every member of ``path``, then write its files under ``into``; return the file count."""
    root = into.resolve()
    with opened_members(path) as (pairs, open_member):
        check_members([member for member, _info in pairs], path, limits)
        budget = [limits.max_total_bytes]
        count = 0
        for member, info in pairs:
            relative = safe_relative(member.name, path)
            if relative is None or member.kind not in ("file", "dir"):
                continue
            target = root.joinpath(*relative.parts)
            if member.kind == "dir":
                target.mkdir(parents=True, exist_ok=True, mode=0o700)
                continue
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not target.parent.resolve().is_relative_to(root):
                raise UnsafeArchive(f"refusing {path.name}: member {member.name!r} leaves the extraction folder")
            source = open_member(info)
            # only regular files get here, and extractfile returns a stream for every regular file
            assert source is not None
            try:
                copy_with_budget(source, target, member.size, budget, member.name, path)
            finally:
                source.close()
            if member.mtime is not None:
                os.utime(target, (member.mtime, member.mtime))
            count += 1
    return count


def default_user_for(path: Path) -> str:
    """``bob`` for ``bob.tar.gz``, ``bob.tgz`` or ``bob.zip``."""
    name = path.name
    for suffix in (".tar.gz", ".tgz", ".tar", ".zip"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or name
    return path.stem or name


def import_archive(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    user_name: str,
    limits: Limits = Limits(),
    on_file: Callable[[Path], None] | None = None,
) -> IngestSummary:
    """Extract ``path`` into a temporary folder (see the module docstring) and ingest it as ``user_name``."""
    with tempfile.TemporaryDirectory(prefix="dashcam-import-") as folder:
        root = Path(folder).resolve()
        try:
            extract_safely(path, root, limits)
        except (tarfile.TarError, zipfile.BadZipFile, EOFError) as error:
            raise NotAnArchive(f"{path} is damaged: {error}") from error
        except OSError as error:
            raise UnsafeArchive(f"cannot extract {path.name}: {error.strerror or error}") from error
        prefix = f"archive:{user_name}/"
        return ingest_paths(
            con,
            [root],
            user_name,
            on_file=on_file,
            source_key=lambda file: prefix + file.resolve().relative_to(root).as_posix(),
        )
