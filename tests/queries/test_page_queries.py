"""The pages' faster queries give the rows their plain reference forms give.

Each query rewritten for speed at team scale keeps its earlier form as ``queries/direct_*.sql``
(or, for a query that now asks only for what a page shows, is compared with the plain form's
rows cut the same way). On a replicated store built from the demo transcripts (the benchmark's
own builder, ten copies: many spirals, patches and sessions with equal figures), under the
filters the pages pass, both must return the same rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import queries
from tests.agent_transcripts import FORMATS
from tests.audits.test_cross_session_audits import SPLIT_STORIES, ingest_stories
from tests.conftest import REPO

if str(REPO / "scripts") not in sys.path:
    sys.path.insert(0, str(REPO / "scripts"))  # scripts/bench.py builds the replicated store

COPIES = 10


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    import bench

    db = tmp_path_factory.mktemp("pages") / "replicated.duckdb"
    bench.build(db, COPIES * 582)
    return db


@pytest.fixture(scope="module")
def con(store):
    with duckdb.connect(str(store), read_only=True) as connection:
        yield connection


def rows(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> pd.DataFrame:
    sql, bound = queries.bind(name, params)
    return con.execute(sql, bound).df()


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as Python objects, missing ones None: a frame cut from another keeps its dtypes."""
    return frame.astype(object).where(frame.notna(), None).reset_index(drop=True)


def same_rows(got: pd.DataFrame, expected: pd.DataFrame, what: str) -> None:
    """Equal as sets of rows (rows that tie on the ORDER BY may come in either order)."""
    assert list(got.columns) == list(expected.columns), what

    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        keyed = frame.astype(str)
        return frame.loc[keyed.sort_values(list(keyed.columns)).index].reset_index(drop=True)

    pd.testing.assert_frame_equal(ordered(got), ordered(expected), check_exact=False, rtol=1e-9, obj=what)


def audit_filters(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """No filter, each of user, project and agent alone, and UTC date ranges around the middle."""
    first, last, user, project, agent = con.execute(
        "SELECT min(start_ts)::DATE, max(start_ts)::DATE, min(user_name), min(project), max(agent) FROM audit_spirals"
    ).fetchone()
    middle = first + (last - first) / 2
    return [
        {},
        {"user_name": user},
        {"project": project},
        {"agent": agent},
        {"since": middle},
        {"until": middle},
        {"since": first, "until": middle, "agent": agent},
    ]


def test_the_store_has_what_the_comparisons_need(con):
    assert con.execute("SELECT count(*) FROM audit_spirals").fetchone()[0] >= 30


@pytest.mark.parametrize("spirals", [None, 1, 12])
def test_spiral_runs_are_the_runs_of_the_spirals_charted(con, spirals):
    cases = 0
    for params in audit_filters(con):
        expected = rows(con, "direct_spiral_runs", params)
        if spirals is not None:
            charted = rows(con, "dash_spirals", params)["spiral_id"].head(spirals)
            expected = expected[expected["spiral_id"].isin(charted)]
        got = rows(con, "dash_spiral_runs", {**params, "spirals": spirals})
        assert (got.sort_values(["spiral_id", "ts"]).index == got.index).all()
        same_rows(got, expected, f"dash_spiral_runs {params} spirals={spirals}")
        cases += not got.empty
    assert cases >= 3


@pytest.mark.parametrize("spirals", [None, 1, 12])
def test_spiral_steps_are_the_steps_of_the_spirals_charted(con, spirals):
    for params in audit_filters(con):
        expected = rows(con, "direct_spiral_steps", params)
        if spirals is not None:
            charted = rows(con, "dash_spirals", params)["spiral_id"].head(spirals)
            expected = expected[expected["spiral_id"].isin(charted)]
            assert expected["spiral_id"].nunique() == len(charted)
        got = rows(con, "audit_spiral_steps", {**params, "spirals": spirals})
        same_rows(got, expected, f"audit_spiral_steps {params} spirals={spirals}")
        ordered = got.merge(rows(con, "dash_spirals", params)[["spiral_id", "start_ts"]], on="spiral_id")
        assert ordered.sort_values(["start_ts", "spiral_id", "step"]).index.equals(ordered.index)


@pytest.mark.parametrize("limit", [None, 1, 25])
def test_spirals_are_the_first_of_every_spiral_and_their_totals_count_all(con, limit):
    for params in audit_filters(con):
        every = rows(con, "direct_spirals", params)
        got = rows(con, "dash_spirals", {**params, "limit": limit})
        pd.testing.assert_frame_equal(plain(got), plain(every.head(limit)), obj=f"dash_spirals {params} {limit}")
        totals = rows(con, "dash_spiral_totals", params).iloc[0]
        assert totals["spirals"] == len(every)
        assert totals["wasted_s"] == pytest.approx(float(every["wasted_s"].sum()), rel=1e-12)
        for outcome in ("masked", "fixed_by_logic", "unresolved"):
            assert totals[outcome] == int((every["outcome"] == outcome).sum()), (params, outcome)


def patch_filters(con: duckdb.DuckDBPyConnection) -> list[dict]:
    features = [row[0] for row in con.execute("SELECT DISTINCT feature FROM audit_patches ORDER BY 1").fetchall()]
    assert len(features) > 2
    return [*audit_filters(con), *({"feature": feature} for feature in features)]


@pytest.mark.parametrize("limit", [None, 1, 25])
def test_patches_are_the_first_of_every_patch_in_time(con, limit):
    for params in patch_filters(con):
        every = rows(con, "direct_patches", params)
        got = rows(con, "dash_patches", {**params, "limit": limit})
        expected = every.sort_values(["start_ts", "session_id", "patch_id"], kind="stable").head(limit)
        pd.testing.assert_frame_equal(plain(got), plain(expected), obj=f"dash_patches {params} {limit}")


def test_patch_counts_and_ticks_are_those_of_every_patch(con):
    for params in patch_filters(con):
        every = rows(con, "direct_patches", params)
        assert not every.empty or params
        counted = (
            every.assign(wide=~every["is_local"])
            .groupby("after_80", as_index=False)
            .agg(
                fixes=("patch_id", "size"),
                local=("is_local", "sum"),
                wide=("wide", "sum"),
                regressions=("broke_something", "sum"),
            )
        )
        sides = rows(con, "dash_patch_sides", params)
        pd.testing.assert_frame_equal(sides, counted, check_dtype=False, obj=f"dash_patch_sides {params}")
        ticks = every[["start_ts", "is_local"]].drop_duplicates().sort_values(["start_ts", "is_local"])
        got = rows(con, "dash_patch_ticks", params)
        pd.testing.assert_frame_equal(got, ticks.reset_index(drop=True), obj=f"dash_patch_ticks {params}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_spiral_runs_follow_a_spiral_into_the_next_session(tmp_path, fmt):
    """A spiral split over two sessions of a feature: its runs in both, as the plain form finds them."""
    with ingest_stories(tmp_path, SPLIT_STORIES, fmt) as split:
        assert split.execute("SELECT max(len(sessions)) FROM audit_spirals").fetchone()[0] == 2
        expected = rows(split, "direct_spiral_runs", {})
        for spirals in (None, 1):
            got = rows(split, "dash_spiral_runs", {"spirals": spirals})
            assert got["source_path"].nunique() == 2
            same_rows(got, expected, f"{fmt} spirals={spirals}")
