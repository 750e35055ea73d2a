"""The version has one home, pyproject.toml; what dashcam reports is read from there."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ingest.api import TOOL_VERSION, VERSION

REPO = Path(__file__).resolve().parents[2]


def test_the_reported_version_is_the_one_in_pyproject():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert declared == VERSION
    assert f"dashcam {declared}" == TOOL_VERSION
