"""Where the live guard keeps its state and spools, in a module of its own: ``dashcam ingest``
loads the spools on every run and must not import the hook's rules and readers to find them."""

from __future__ import annotations

import os
from pathlib import Path


def state_dir() -> Path:
    override = os.environ.get("DASHCAM_GUARD_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "dashcam" / "guard"
