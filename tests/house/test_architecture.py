"""The README's architecture section is drawn from the code: every room it names exists."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOP_LEVEL = {"pyproject.toml", "dashboard", "ingest", "queries", "tests", "sample_sessions"}


def named_rooms() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, "the architecture section lists its rooms in a code block"
    return [line.split()[0] for line in block.group(1).splitlines() if line.strip()]


def test_every_room_the_readme_names_exists():
    rooms = named_rooms()
    assert len(rooms) >= 15
    missing = [room for room in rooms if not (REPO / room.rstrip("/")).exists()]
    assert missing == []
    assert all((REPO / room).is_dir() for room in rooms if room.endswith("/"))


def test_every_package_folder_is_named_in_the_architecture():
    rooms = {room.rstrip("/") for room in named_rooms()}
    folders = {
        str(path.parent.relative_to(REPO))
        for top in ("ingest", "dashboard", "queries")
        for path in (REPO / top).rglob("__init__.py")
    }
    assert sorted(folders - rooms) == []


def test_the_top_level_is_the_designed_one():
    tracked = {path.name for path in REPO.iterdir() if not path.name.startswith(".")}
    assert tracked >= TOP_LEVEL
