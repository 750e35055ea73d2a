"""The audits' SQL applies the thresholds ``queries.thresholds`` states, and the prose reads them."""

from __future__ import annotations

import re

from dashboard.present import definitions
from ingest.migrations import available_migrations
from queries import thresholds as t


def audit_sql() -> str:
    return "\n".join(m.sql for m in available_migrations())


def test_the_spiral_view_applies_the_stated_thresholds():
    rule = re.search(r"WHERE escalations >= (\d+) AND initial_s > 0 AND final_s / initial_s >= (\d+)", audit_sql())
    assert rule and (int(rule[1]), int(rule[2])) == (t.SPIRAL_MIN_ESCALATIONS, t.SPIRAL_MIN_RATIO)


def test_the_cliff_views_apply_the_stated_thresholds():
    sql = audit_sql()
    cliff = re.search(r"seconds_after_80 >= (\d+) \* seconds_before_80 AND patches_after_80 >= (\d+)", sql)
    assert cliff and (int(cliff[1]), int(cliff[2])) == (t.CLIFF_TIME_RATIO, t.CLIFF_MIN_FIXES)
    local = re.search(r"len\(p\.files\) <= (\d+) AND p\.lines_added \+ p\.lines_removed <= (\d+)", sql)
    assert local and (int(local[1]), int(local[2])) == (t.LOCAL_FIX_MAX_FILES, t.LOCAL_FIX_MAX_LINES)
    marks = {float(x) for x in re.findall(r"completion [<>]=? (0\.\d+)", sql)}
    assert marks == {t.COMPLETION_MARK}


def test_the_prose_says_the_numbers_the_sql_uses():
    assert f"{t.SPIRAL_MIN_RATIO}×" in definitions.SPIRAL
    assert f"{t.CLIFF_MIN_FIXES} fix attempts" in definitions.CLIFF
    assert "80%" in definitions.CLIFF and "80%" in definitions.PAST_MARK
