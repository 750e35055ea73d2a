"""dashcam's version, read from the installed distribution: ``pyproject.toml`` is its one home."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def _installed_version() -> str:
    try:
        return version("dashcam")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


VERSION = _installed_version()
TOOL_VERSION = f"dashcam {VERSION}"
