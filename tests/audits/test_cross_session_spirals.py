"""A wait in a test or config file raised over two days of one feature is one spiral.

Day one raises the wait once after a failing run and stops; the next day's session (often
another agent: Claude Code one day, Codex the next) raises it again after more failures. The
two sessions name the repository differently (a clone's folder and its remote) and the file differently — Claude Code writes absolute paths, Codex paths
relative to the folder it was started in, which may be a subfolder of the repository, and a
file outside that folder by its absolute path — or the second session writes the whole file
over instead of editing it. Sessions on branches a features.toml groups are one feature too.
Each story is one spiral with the whole staircase; a new story from a lower value, or the same
values in an unrelated feature, is none.
"""

from __future__ import annotations

import itertools

import pytest

import queries
from ingest.features import load_feature_rules
from ingest.pipeline import ingest_paths
from ingest.refresh import store_feature_rules
from ingest.store import open_store
from tests.agent_transcripts import CODEX_TOOLS, Session, write_session
from tests.audits.test_spirals import PY_FAIL, PY_PASS

PYTEST = "uv run pytest tests/e2e -q"
JEST = "npx jest tests/api.test.js"
JEST_FAIL = (
    "FAIL tests/api.test.js\n  ● api › responds\n"
    '    thrown: "Exceeded timeout of {ms} ms for a test."\n'
    "Tests:       1 failed, 3 passed, 4 total"
)
JEST_PASS = "PASS tests/api.test.js\nTests:       4 passed, 4 total"
BRANCH = "fix/e2e-timeout"


def ini(seconds: int) -> str:
    return f"[pytest]\ntimeout = {seconds}\naddopts = -q\n"


def first_day(name: str, path: str = "pytest.ini", branch: str = BRANCH, **session) -> Session:
    """30 → 60 s after a failure; the day ends with the suite still failing."""
    s = Session(name, branch=branch, start="2026-11-10T15:00:00Z", **session)
    s.prompt("tests/e2e keep timing out, please fix.")
    s.shell(PYTEST, PY_FAIL, exit_code=1, seconds=40)
    s.edit(path, "timeout = 30", "timeout = 60")
    s.shell(PYTEST, PY_FAIL, exit_code=1, seconds=70)
    s.say("Still failing at 60s; I'll continue tomorrow.")
    return s


def next_day(name: str, path: str = "pytest.ini", rewrite: bool = False, **session) -> Session:
    """60 → 120 → 300 s, each after a failure, then the suite passes with nothing else changed."""
    s = Session(name, branch=session.pop("branch", BRANCH), start="2026-11-11T09:00:00Z", **session)
    s.prompt("Continue with the e2e timeouts from yesterday.")
    s.shell(PYTEST, PY_FAIL, exit_code=1, seconds=70)
    for old, new in ((60, 120), (120, 300)):
        if rewrite:
            s.write(path, ini(new))
        else:
            s.edit(path, f"timeout = {old}", f"timeout = {new}")
        s.shell(PYTEST, PY_FAIL if new < 300 else PY_PASS, exit_code=1 if new < 300 else 0, seconds=new + 10)
    return s


def jest_day(name: str, branch: str, values: list[int], start: str, passes: bool) -> Session:
    s = Session(name, branch=branch, start=start)
    s.prompt("The api test times out.")
    s.shell(JEST, JEST_FAIL.format(ms=values[0]), exit_code=1)
    for old, new in itertools.pairwise(values):
        s.edit("jest.config.js", f"  testTimeout: {old},", f"  testTimeout: {new},")
        last = new == values[-1]
        s.shell(JEST, JEST_PASS if last and passes else JEST_FAIL.format(ms=new), exit_code=0 if last and passes else 1)
    return s


FEATURES_TOML = '[[feature]]\nname = "api timeout"\nbranches = ["fix/api-timeout-*"]\n'
# name: (sessions with their formats, features.toml or None)
STORIES = {
    # Claude Code (absolute paths) on day one, Codex (relative paths) on day two
    "claude-then-codex": ([(first_day("cc-1"), "claude"), (next_day("cc-2"), "codex")], None),
    # Codex started in the service's folder names the file relative to it
    "codex-in-a-subfolder": (
        [
            (first_day("sub-1", path="services/api/pytest.ini"), "claude"),
            (next_day("sub-2", workdir="services/api"), "codex"),
        ],
        None,
    ),
    # Codex started in a subfolder names the root's config by its absolute path
    "absolute-outside-the-folder": (
        [
            (first_day("abs-1"), "claude"),
            (next_day("abs-2", path="/home/dev/src/shop/pytest.ini", workdir="services/api"), "codex"),
        ],
        None,
    ),
    # Codex first, then Claude Code writes the whole config over (the old text unseen)
    "codex-then-claude-rewrites": ([(first_day("rw-1"), "codex"), (next_day("rw-2", rewrite=True), "claude")], None),
    # a clone in a folder named otherwise than its remote: Claude Code knows only the folder
    "clone-folder-named-otherwise": (
        [
            (first_day("fold-1", repo="shop-web"), "claude"),
            (next_day("fold-2", repo="shop-web", remote="shop"), "codex"),
        ],
        None,
    ),
    # Claude Code started in the service's folder, Codex at the repository's root
    "claude-in-a-subfolder": (
        [
            (first_day("csub-1", workdir="services/api"), "claude"),
            (next_day("csub-2", path="services/api/pytest.ini"), "codex"),
        ],
        None,
    ),
    # two branches of one feature by features.toml, a jest config in milliseconds
    "features-toml": (
        [
            (jest_day("jt-1", "fix/api-timeout-1", [5000, 10000], "2026-11-10T15:00:00Z", passes=False), "claude"),
            (jest_day("jt-2", "fix/api-timeout-2", [10000, 30000, 60000], "2026-11-11T09:00:00Z", True), "codex"),
        ],
        FEATURES_TOML,
    ),
}
EXPECTED_VALUES = {
    "claude-then-codex": [30.0, 60.0, 120.0, 300.0],
    "codex-in-a-subfolder": [30.0, 60.0, 120.0, 300.0],
    "absolute-outside-the-folder": [30.0, 60.0, 120.0, 300.0],
    "codex-then-claude-rewrites": [30.0, 60.0, 120.0, 300.0],
    "features-toml": [5.0, 10.0, 30.0, 60.0],
    "clone-folder-named-otherwise": [30.0, 60.0, 120.0, 300.0],
    "claude-in-a-subfolder": [30.0, 60.0, 120.0, 300.0],
}


def audit(root, sessions, features_toml=None):
    for session, fmt in sessions:
        write_session(root / "logs", session, fmt)
    con = open_store(root / "audit.duckdb")
    ingest_paths(con, [root / "logs"], user_name="dev")
    if features_toml:
        (root / "features.toml").write_text(features_toml, encoding="utf-8")
        store_feature_rules(con, load_feature_rules(root / "features.toml"))
    return con


@pytest.mark.parametrize("story", list(STORIES))
def test_a_staircase_over_two_days_is_one_spiral(tmp_path, story):
    sessions, features_toml = STORIES[story]
    with audit(tmp_path, sessions, features_toml) as con:
        spirals = queries.run(con, "audit_spirals")
        assert len(spirals) == 1, spirals
        spiral = spirals.iloc[0]
        (first, first_fmt), (second, second_fmt) = sessions
        assert spiral.session_id == first.session_id(first_fmt)  # it belongs to the day it started
        assert list(spiral["values_s"]) == EXPECTED_VALUES[story]
        assert (spiral.escalations, spiral.outcome) == (3, "masked")
        stored = con.execute("SELECT sessions FROM audit_spirals").fetchone()[0]
        assert list(stored) == [first.session_id(first_fmt), second.session_id(second_fmt)]


@pytest.mark.parametrize("tool", CODEX_TOOLS)
def test_every_codex_shell_tool_continues_the_staircase(tmp_path, tool):
    sessions = [(first_day("tool-1"), "claude"), (next_day("tool-2", codex_tool=tool), "codex")]
    with audit(tmp_path, sessions) as con:
        spirals = queries.run(con, "audit_spirals")
        assert [list(values) for values in spirals["values_s"]] == [[30.0, 60.0, 120.0, 300.0]]


def lower_restart(name: str, rewrite: bool) -> Session:
    """The next day starts a new story at the site from a lower value: 20 → 40 s, then green."""
    s = Session(name, branch=BRANCH, start="2026-11-11T09:00:00Z")
    s.prompt("Another flaky run of the e2e suite.")
    s.shell(PYTEST, PY_FAIL, exit_code=1, seconds=30)
    if rewrite:
        s.write("pytest.ini", ini(20))
        s.write("pytest.ini", ini(40))
    else:
        s.edit("pytest.ini", "timeout = 20", "timeout = 40")
    s.shell(PYTEST, PY_PASS, seconds=30)
    return s


@pytest.mark.parametrize("rewrite", [False, True])
def test_a_lower_restart_the_next_day_is_no_continuation(tmp_path, rewrite):
    with audit(tmp_path, [(first_day("low-1"), "claude"), (lower_restart("low-2", rewrite), "codex")]) as con:
        assert queries.run(con, "audit_spirals").empty


def staircases(con) -> tuple[int, int]:
    """(staircases, escalations) among the wait steps."""
    return con.execute(
        "SELECT count(DISTINCT (scope, site, chain_session_no)) FILTER (WHERE is_escalation),"
        " count(*) FILTER (WHERE is_escalation) FROM audit_wait_steps"
    ).fetchone()


def test_the_same_file_in_an_unrelated_feature_does_not_join(tmp_path):
    sessions = [(first_day("un-1", branch="fix/other"), "claude"), (next_day("un-2"), "codex")]
    with audit(tmp_path, sessions) as con:
        # day one's raise and day two's two raises stay apart: neither reaches three
        assert queries.run(con, "audit_spirals").empty
        assert staircases(con) == (2, 3)


def test_two_files_of_one_name_in_different_folders_do_not_join(tmp_path):
    sessions = [
        (first_day("two-1", path="services/billing/pytest.ini"), "claude"),
        (next_day("two-2", path="services/api/pytest.ini"), "codex"),
    ]
    with audit(tmp_path, sessions) as con:
        assert queries.run(con, "audit_spirals").empty
        assert staircases(con) == (2, 3)


def test_a_clone_around_the_folder_on_another_branch_does_not_name_it(tmp_path):
    """A dotfiles clone in the home folder (recorded by a Codex session on main) does not make
    every Claude Code session below it a dotfiles session: only a clone on the same branch does."""
    home = Session("home-1", home="/home", repo="dev", remote="dotfiles", branch="main")
    home.prompt("Tidy my shell aliases.")
    sessions = [(home, "codex"), (first_day("below-1"), "claude"), (next_day("below-2"), "codex")]
    with audit(tmp_path, sessions) as con:
        repositories = dict(con.execute("SELECT session_id, repository FROM audit_session_features").fetchall())
        assert repositories[first_day("below-1").session_id("claude")] == "shop"
        assert repositories[home.session_id("codex")] == "dotfiles"
        assert len(queries.run(con, "audit_spirals")) == 1
