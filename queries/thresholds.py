"""The audits' thresholds, stated once; the SQL uses these values and every sentence about them reads them.

The derived views (``queries/view_*.sql``) name them as ``$spiral_min_ratio`` … and
:mod:`queries.derived` writes these values in when the views are created, so the prose on the
dashboard, in the report and in ``--help`` can never describe another rule than the one the SQL
applies (``tests/queries/test_thresholds.py``).
"""

from __future__ import annotations

SPIRAL_MIN_ESCALATIONS = 3  # raises after failed checks at one site
SPIRAL_MIN_RATIO = 4  # final value / first value
COMPLETION_MARK = 0.8  # the share of a feature's final code that marks t80
CLIFF_TIME_RATIO = 2  # time after t80 / time before it
CLIFF_MIN_FIXES = 10  # fix attempts past t80
LOCAL_FIX_MAX_FILES = 2
LOCAL_FIX_MAX_LINES = 30
