"""The audits' SQL applies the thresholds ``queries.thresholds`` states, and the prose reads them."""

from __future__ import annotations

import re

import pytest

from dashboard.present import definitions
from ingest.migrations import available_migrations
from queries import derived, load_sql
from queries import thresholds as t


def view_source() -> str:
    """The view files as written, before rendering."""
    return "\n".join(load_sql(f"view_{name}") for name in derived.DERIVED_VIEWS)


def rendered() -> str:
    return "\n".join(view.sql for view in derived.derived_views())


def test_the_spiral_view_applies_the_stated_thresholds():
    assert (
        "WHERE escalations >= $spiral_min_escalations AND initial_s > 0 AND final_s / initial_s >= $spiral_min_ratio"
        in view_source()
    )
    rule = re.search(r"WHERE escalations >= (\d+) AND initial_s > 0 AND final_s / initial_s >= (\d+)", rendered())
    assert rule and (int(rule[1]), int(rule[2])) == (t.SPIRAL_MIN_ESCALATIONS, t.SPIRAL_MIN_RATIO)


def test_the_cliff_views_apply_the_stated_thresholds():
    sql = rendered()
    cliff = re.search(r"seconds_after_80 >= (\d+) \* seconds_before_80 AND patches_after_80 >= (\d+)", sql)
    assert cliff and (int(cliff[1]), int(cliff[2])) == (t.CLIFF_TIME_RATIO, t.CLIFF_MIN_FIXES)
    local = re.search(r"len\(p\.files\) <= (\d+) AND p\.lines_added \+ p\.lines_removed <= (\d+)", sql)
    assert local and (int(local[1]), int(local[2])) == (t.LOCAL_FIX_MAX_FILES, t.LOCAL_FIX_MAX_LINES)
    marks = {float(x) for x in re.findall(r"completion [<>]=? (0\.\d+)", sql)}
    assert marks == {t.COMPLETION_MARK}


def test_no_threshold_is_written_as_a_number_in_the_sql():
    """The views name each threshold; neither they nor the migrations spell its value."""
    source = view_source() + "\n".join(m.sql for m in available_migrations())
    assert not re.search(r"escalations >= \d|final_s / initial_s >= \d|completion [<>]=? 0\.\d", source)
    assert not re.search(r"seconds_before_80 AND patches_after_80 >= \d|<= \d+ AS is_local", source)
    assert not re.search(r"CREATE (OR REPLACE )?VIEW audit_", "\n".join(m.sql for m in available_migrations()))


def test_a_threshold_the_module_does_not_state_is_an_error():
    with pytest.raises(KeyError, match="no_such_threshold"):
        derived.render("SELECT 1 WHERE x >= $no_such_threshold")
    assert derived.render("x >= $cliff_min_fixes AND y < $completion_mark") == (
        f"x >= {t.CLIFF_MIN_FIXES} AND y < {t.COMPLETION_MARK}"
    )


def test_the_prose_says_the_numbers_the_sql_uses():
    assert f"{t.SPIRAL_MIN_RATIO}×" in definitions.SPIRAL
    assert f"{t.CLIFF_MIN_FIXES} fix attempts" in definitions.CLIFF
    assert "80%" in definitions.CLIFF and "80%" in definitions.PAST_MARK
