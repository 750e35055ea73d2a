"""What each audit means, in one sentence per front, written from the thresholds the SQL applies."""

from __future__ import annotations

from queries import thresholds as t

_COUNTS = {2: "twice", 3: "three times", 4: "four times"}
MARK_PERCENT = f"{t.COMPLETION_MARK:.0%}"


def _times(n: int) -> str:
    return _COUNTS.get(n, f"{n} times")


SPIRAL = (
    f"A wait or timeout raised at least {_times(t.SPIRAL_MIN_ESCALATIONS)} after failing checks, ending at "
    f"least {t.SPIRAL_MIN_RATIO}× its first value."
)
CLIFF = (
    f"t80: the moment after which at least {MARK_PERCENT} of a feature's final code stays written. A **cliff**: "
    f"at least {_times(t.CLIFF_TIME_RATIO)} as much time after t80 as before it, with at least "
    f"{t.CLIFF_MIN_FIXES} fix attempts past t80. A fix is **local** when it changes at most "
    f"{t.LOCAL_FIX_MAX_FILES} files and {t.LOCAL_FIX_MAX_LINES} lines."
)
PAST_MARK = f"Past the {MARK_PERCENT} mark: fixes made after {MARK_PERCENT} of a feature's final code was written."
