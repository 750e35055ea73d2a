"""The import contracts in pyproject.toml hold, and they are no decoration: breaking one fails.

The check runs ``lint-imports`` (import-linter) on a copy of the packages, once as they are
and once with a deliberate violation planted, so the contracts are shown to bite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("ingest", "queries", "dashboard")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")


def copy_of_the_packages(target: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(REPO / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", target / "pyproject.toml")
    return target


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    # lint-imports folds its report at $COLUMNS; the contract names are read from whole lines
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "400"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def plant(root: Path, module: str, line: str) -> None:
    path = root / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory) -> Path:
    return copy_of_the_packages(tmp_path_factory.mktemp("house"))


def test_the_contracts_hold_on_the_code_as_it_is(clean_copy):
    result = lint_imports(clean_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("queries/__init__.py", "import ingest.store", "queries is SQL and a loader"),
        ("dashboard/report/data.py", "import streamlit", "only dashboard.web imports streamlit"),
        ("dashboard/cli/costs_probe.py", "from ingest.store import open_store", "only ingest writes"),
        ("ingest/facts/durations.py", "import duckdb", "facts stay pure"),
        ("dashboard/present/metrics.py", "from dashboard.web import ui", "the dashboard's rooms"),
    ],
)
def test_a_planted_violation_breaks_its_contract(tmp_path, module, line, contract):
    root = copy_of_the_packages(tmp_path)
    target = root / module
    if not target.exists():
        target.write_text('"""A module planted by the test."""\n', encoding="utf-8")
    plant(root, module, line)
    result = lint_imports(root)
    assert result.returncode != 0
    broken = [text for text in result.stdout.splitlines() if text.startswith(contract) and " BROKEN" in text]
    assert broken, result.stdout
