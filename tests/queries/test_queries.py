"""Named queries: every one the code asks for exists, and every file says what it answers."""

from __future__ import annotations

import re

import duckdb
import pytest

import queries
from ingest.derived_views import create_derived_views
from ingest.migrations import apply_migrations
from tests.conftest import REPO

CALL = re.compile(r"""\b(?:run|execute|load_sql|named_query|bind)\(\s*(?:[\w.\[\]"]+,\s*)?["']([a-z][a-z0-9_]*)["']""")


def referenced_names() -> set[str]:
    names = set()
    for folder in ("ingest", "dashboard", "queries", "scripts"):
        for path in (REPO / folder).rglob("*.py"):
            names |= set(CALL.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_query_the_code_names_exists():
    available = {query.name for query in queries.all_queries()}
    referenced = referenced_names()
    assert len(referenced) > 20
    assert sorted(referenced - available) == []


REGISTERED_BY_CALLER = re.compile(r"\b_(?:\w+_batch|new_\w+|bundle_\w+|summary_(?:changed|batches))\b")


def first_statement(sql: str) -> str:
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return body.split(";")[0].strip()


@pytest.fixture(scope="module")
def schema():
    con = duckdb.connect()
    apply_migrations(con)
    create_derived_views(con)  # the guard's staircases read the audit's views, as a real store has them
    yield con
    con.close()


@pytest.fixture(scope="module")
def lake_schema(tmp_path_factory):
    """For the lake_* queries: a local DuckLake with dashcam's tables as ``lake``, a database as ``home``."""
    from ingest.lake import TeamConfig, connect_lake, ensure_schema
    from ingest.store import open_store

    folder = tmp_path_factory.mktemp("lake")
    con = connect_lake(TeamConfig(catalog=str(folder / "lake.sqlite"), data=str(folder / "data")))
    ensure_schema(con)
    open_store(folder / "home.duckdb").close()
    con.execute(f"ATTACH '{folder / 'home.duckdb'}' AS home (READ_ONLY)")
    yield con
    con.close()


@pytest.mark.parametrize("query", queries.all_queries(), ids=lambda q: q.name)
def test_every_query_has_a_title_and_reads_binds_on_the_current_schema(query, schema, request):
    assert query.title != query.name, f"{query.name}.sql has no '-- title:' header"
    statement = first_statement(query.sql)
    if REGISTERED_BY_CALLER.search(query.sql) or not statement.upper().startswith(("SELECT", "WITH")):
        return  # writes, or reads a table its caller registers: exercised by the ingest tests
    con = request.getfixturevalue("lake_schema") if query.name.startswith("lake_") else schema
    con.execute(f"PREPARE probe_{query.name} AS {statement}")


def test_parameters_written_as_literals_give_the_bound_answers():
    """execute() writes parameters into the SQL (binding one imports pandas): each literal
    must mean exactly the bound value, of the same type, quotes and all."""
    import datetime as dt

    import duckdb

    from queries import literal

    con = duckdb.connect()
    values = [None, True, False, 0, -7, 2**31, 2**62, 1.1, -0.0, 1e300, "it's", "a\\b", "", "ünï'--$x", "line\nnext"]
    values += [dt.datetime(2026, 1, 2, 3, 4, 5, 6), dt.date(2026, 2, 28)]
    for value in values:
        spelled = literal(value)
        assert spelled is not None, value
        assert (
            con.execute(f"SELECT {spelled}, typeof({spelled})").fetchone()
            == con.execute("SELECT $v, typeof($v)", {"v": value}).fetchone()
        ), value
    nan = con.execute(f"SELECT {literal(float('nan'))}").fetchone()[0]
    assert nan != nan
    assert literal("nul\x00byte") is None and literal("\ud83d") is None and literal(2**70) is None


def test_inline_leaves_string_literals_and_comments_alone(monkeypatch):
    from queries import inline, named_query

    sql = "-- $a in a comment\nSELECT '$a' AS quoted, $a AS bound, '' || $b AS joined"
    monkeypatch.setattr("queries.named_query", lambda name: type(named_query("run_end"))(name, sql, name, ""))
    text, left = inline("probe", {"a": "x'y", "b": object()})
    assert text.startswith("-- $a in a comment\nSELECT '$a' AS quoted, 'x''y' AS bound, '' || $b")
    assert set(left) == {"b"}
