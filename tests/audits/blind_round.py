"""Running a blind held-out round: build its corpus, ingest each user, audit once.

Shared by the rounds' scorers (tests/audits/test_unseen_sessions_*.py), which differ only in
how they score the findings against their round's truth.json.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from typer.testing import CliRunner

from dashboard.cli import app


def dashcam(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def load_builder(builder: Path) -> ModuleType:
    """The round's corpus builder, loaded from its file (the round folders are not packages)."""
    spec = importlib.util.spec_from_file_location(builder.stem, builder)
    assert spec is not None and spec.loader is not None, builder
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_round(builder: Path, out: Path) -> tuple[dict, dict]:
    """Generate the corpus under out, ingest it per user, run the audit; returns (truth, audit)."""
    truth = load_builder(builder).build(out / "corpus")
    db = out / f"{builder.parent.name}.duckdb"
    for user in sorted({s["user"] for s in truth["sessions"].values()}):
        dashcam("ingest", str(out / "corpus" / user), "--db", str(db), "--user", user)
    audit = json.loads(dashcam("audit", "--json", "--db", str(db), "--features", str(out / "corpus" / "features.toml")))
    return truth, audit
