"""The house rules of the layout, checked on the source: who may import whom.

ingest/ turns files into rows and never reaches up into dashboard/; queries/ is SQL plus a
loader and depends on neither; only dashboard/ (and the scripts that drive it) import
streamlit; the Streamlit pages read through queries/, not through ingest/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def sources(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(REPO)} imports {name}"
            for path in sources(package) for name in sorted(imported_modules(path))
            if name.split(".")[0] in forbidden]


@pytest.mark.parametrize("package, forbidden", [
    ("ingest", ("dashboard", "streamlit", "plotly")),
    ("queries", ("ingest", "dashboard", "streamlit")),
])
def test_lower_layers_do_not_import_upper_ones(package, forbidden):
    assert offenders(package, forbidden) == []


def test_the_streamlit_pages_read_through_queries_not_ingest():
    app_modules = [REPO / "dashboard" / "app.py", REPO / "dashboard" / "data.py", *sources("dashboard/views")]
    bad = [f"{path.relative_to(REPO)} imports {name}" for path in app_modules
           for name in sorted(imported_modules(path)) if name.split(".")[0] == "ingest"]
    assert bad == []


def test_the_dashboards_one_write_is_a_mark_through_ingest_marks():
    """The mark form may reach ingest/ for the one write the dashboard makes, and for nothing else."""
    path = REPO / "dashboard" / "marking.py"
    reached = {name for name in imported_modules(path) if name.split(".")[0] == "ingest"}
    assert reached == {"ingest.marks", "ingest.store"}
    pages = [REPO / "dashboard" / "app.py", REPO / "dashboard" / "data.py", *sources("dashboard/views")]
    assert not [p for p in pages if any(n.split(".")[0] == "ingest" for n in imported_modules(p))]
