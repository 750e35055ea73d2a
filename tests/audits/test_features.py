"""Features, completion, fix attempts and the 80% cliff end to end, on Claude Code and Codex
sessions ingested into a real database.

A feature is made of the sessions of one repository and branch, whichever agent and user
ran them (Claude records the working directory, Codex the git remote: both name the
repository ``shop``). One feature reaches 80% of its final code in its first minutes and
then needs a dozen small fixes over a week (a cliff); one grows over days and needs few
fixes; one gets a dozen quick fixes soon after a slow start (not a cliff: the time after
the mark is short). Trunk sessions are no feature unless a resume chains them.
"""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

import queries
from dashboard.cli import app
from ingest.api import facts_pending, load_feature_rules
from ingest.pipeline import ingest_paths
from ingest.refresh import refresh_facts
from ingest.store import open_store
from tests.agent_transcripts import Session, write_resumed_claude, write_session

PY_PASS = "=================== {n} passed in 1.20s ==================="
PY_FAIL = (
    "FAILED {test} - AssertionError: totals differ\n"
    "=================== 1 failed, {n} passed in 1.31s ==================="
)


def module_text(name: str, functions: int) -> str:
    return "".join(f"def {name}_{i}(cart):\n    return cart.total * {i} + {i * 7}\n\n" for i in range(functions))


def fix_cycles(s: Session, module: str, name: str, indexes: list[int], test: str, final_pass: bool = True) -> Session:
    """A failing run, then a one-line fix, for each index; a passing run at the end."""
    command = f"uv run pytest {test} -q"
    for index in indexes:
        s.shell(command, PY_FAIL.format(test=f"{test}::test_{name}_{index}", n=40), exit_code=1)
        s.edit(
            module,
            f"    return cart.total * {index} + {index * 7}\n",
            f"    return round(cart.total * {index} + {index * 7}, 2)\n",
        )
    if final_pass:
        s.shell(command, PY_PASS.format(n=41))
    return s


def cliff_sessions() -> list[tuple[Session, str]]:
    first = Session(
        "cart-1",
        branch="feature/cart-export",
        home="/home/alice/src",
        start="2026-10-19T09:00:00Z",
        title="Cart export",
    )
    first.prompt("Build the cart export: cart/export.py and its tests.")
    first.write("cart/export.py", module_text("export", 80))
    first.write("tests/test_export.py", module_text("check", 20))
    first.shell("uv run pytest tests/test_export.py -q", PY_PASS.format(n=40))
    second = Session("cart-2", branch="feature/cart-export", home="/home/bob/code", start="2026-10-21T10:00:00Z")
    second.prompt("The export is broken for carts with discounts, the totals are wrong.")
    second.shell("uv run pytest tests/test_totals.py -q", PY_PASS.format(n=12))
    second.shell(
        "uv run pytest tests/test_export.py -q", PY_FAIL.format(test="tests/test_export.py::test_1", n=39), exit_code=1
    )
    second.edit("cart/export.py", "    return cart.total * 1 + 7\n", "    return cart.total * 1 + 8\n")
    second.shell(
        "uv run pytest tests/test_export.py -q", PY_FAIL.format(test="tests/test_export.py::test_2", n=39), exit_code=1
    )
    second.shell(
        "uv run pytest tests/test_totals.py -q",
        PY_FAIL.format(test="tests/test_totals.py::test_sum", n=11),
        exit_code=1,
    )
    fix_cycles(second, "cart/export.py", "export", [2, 3, 4], "tests/test_export.py")
    third = Session("cart-3", branch="feature/cart-export", home="/home/alice/src", start="2026-10-23T14:00:00Z")
    third.prompt("Export still fails for gift cards.")
    fix_cycles(third, "cart/export.py", "export", [5, 6, 7, 8], "tests/test_export.py")
    fourth = Session("cart-4", branch="feature/cart-export", home="/home/bob/code", start="2026-10-26T09:00:00Z")
    fourth.prompt("The export totals are still wrong for refunds.")
    fix_cycles(fourth, "cart/export.py", "export", [9, 10, 11, 12], "tests/test_export.py")
    return [(first, "claude"), (second, "codex"), (third, "claude"), (fourth, "codex")]


def gradual_sessions() -> list[tuple[Session, str]]:
    first = Session("coupons-1", branch="feature/coupons", start="2026-10-19T11:00:00Z")
    first.prompt("Start the coupons module.")
    first.write("cart/coupons.py", module_text("coupon", 30))
    second = Session("coupons-2", branch="feature/coupons", start="2026-10-20T11:00:00Z")
    second.prompt("Add the rules engine for coupons.")
    second.write("cart/coupon_rules.py", module_text("rule", 40))
    third = Session("coupons-3", branch="feature/coupons", start="2026-10-21T09:00:00Z")
    third.prompt("Coupon tests fail.")
    fix_cycles(third, "cart/coupon_rules.py", "rule", [1, 2, 3], "tests/test_coupons.py")
    return [(first, "claude"), (second, "claude"), (third, "codex")]


def quick_fixes_sessions() -> list[tuple[Session, str]]:
    first = Session("tax-1", branch="feature/tax", start="2026-10-05T09:00:00Z")
    first.prompt("Start the tax module.")
    first.write("cart/tax.py", module_text("tax", 40))
    second = Session("tax-2", branch="feature/tax", start="2026-10-09T09:00:00Z")
    second.prompt("Finish the tax module: regional rates.")
    second.write("cart/tax_regions.py", module_text("region", 60))
    second.prompt("The tax tests fail.", pause=60)
    fix_cycles(second, "cart/tax_regions.py", "region", list(range(1, 12)), "tests/test_tax.py")
    return [(first, "codex"), (second, "claude")]


def trunk_sessions() -> tuple[Session, Session, Session]:
    alone = Session("trunk-alone", start="2026-10-22T08:00:00Z")
    alone.prompt("Update the changelog.")
    alone.edit("CHANGELOG.md", "## Unreleased\n", "## Unreleased\n\n- cart export\n")
    parent = Session("notes", start="2026-11-16T10:00:00Z", title="Release notes")
    parent.prompt("Draft the release notes.")
    parent.edit("CHANGELOG.md", "## Unreleased\n", "## v0.8.0 - unreleased\n")
    child = Session("notes-resumed", start="2026-11-17T08:30:00Z")
    child.prompt("Finish the release notes and date them.")
    child.edit("CHANGELOG.md", "## v0.8.0 - unreleased\n", "## v0.8.0 - 2026-11-17\n")
    return alone, parent, child


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("features")
    ids = {}
    for session, fmt in cliff_sessions() + gradual_sessions() + quick_fixes_sessions():
        write_session(root / "logs" / session.name, session, fmt)
        ids[session.name] = session.session_id(fmt)
    alone, parent, child = trunk_sessions()
    write_session(root / "logs" / "trunk", alone, "claude")
    write_session(root / "logs" / "trunk", parent, "claude")
    write_resumed_claude(root / "logs" / "trunk", parent, child)
    for session in (alone, parent, child):
        ids[session.name] = session.session_id("claude")
    db = root / "audit.duckdb"
    with open_store(db) as con:
        ingest_paths(con, [root / "logs"], user_name="dev")
    return root, db, ids


@pytest.fixture(scope="module")
def features(corpus):
    _root, db, _ids = corpus
    with open_store(db, read_only=True) as con:
        frame = queries.run(con, "audit_features")
    return {row.feature: row for row in frame.itertuples()}


def audit_json(db, *options) -> dict:
    result = CliRunner().invoke(app, ["audit", "--json", "--db", str(db), *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_sessions_of_both_agents_and_users_make_one_feature(features, corpus):
    _root, _db, ids = corpus
    cart = features["shop@feature/cart-export"]
    assert list(cart.sessions) == [ids["cart-1"], ids["cart-2"], ids["cart-3"], ids["cart-4"]]
    assert list(cart.agents) == ["claude", "codex"]
    assert cart.repository == "shop"


def test_feature_reaching_80_percent_early_then_patched_for_a_week_is_a_cliff(features):
    cart = features["shop@feature/cart-export"]
    assert cart.t80 <= cart.started_at.replace(minute=1)
    assert cart.patches_after_80 == 12 and cart.patches_total == 12
    assert cart.local_patches_after_80 == 12 and cart.local_share == 1.0
    assert cart.seconds_after_80 >= 2 * cart.seconds_before_80
    assert cart.regressions == 1
    assert cart.cliff


def test_feature_built_gradually_with_few_fixes_is_not_a_cliff(features):
    coupons = features["shop@feature/coupons"]
    assert coupons.patches_after_80 == 3
    assert not coupons.cliff


def test_many_quick_fixes_after_a_slow_start_are_not_a_cliff(features):
    tax = features["shop@feature/tax"]
    assert tax.patches_after_80 == 11
    assert tax.seconds_after_80 < 2 * tax.seconds_before_80
    assert not tax.cliff


def test_trunk_sessions_are_features_only_when_chained_by_a_resume(features, corpus):
    _root, _db, ids = corpus
    chained = [row for name, row in features.items() if name.startswith("shop@main~")]
    assert len(chained) == 1
    assert set(chained[0].sessions) == {ids["notes"], ids["notes-resumed"]}
    assert not any(ids["trunk-alone"] in row.sessions for row in features.values())


def test_completion_curve_rises_to_one(corpus):
    _root, db, _ids = corpus
    with open_store(db, read_only=True) as con:
        curve = queries.run(con, "audit_feature_completion", feature="shop@feature/cart-export")
    assert curve.ts.is_monotonic_increasing
    assert curve.completion.iloc[-1] == pytest.approx(1.0)
    assert (curve.completion >= 0.8).sum() >= 12
    assert curve.t80.nunique() == 1


def test_patches_record_their_trigger_files_and_outcome(corpus):
    _root, db, ids = corpus
    with open_store(db, read_only=True) as con:
        patches = queries.run(con, "audit_patches", feature="shop@feature/cart-export")
        cliffs = queries.run(con, "audit_cliff_features")
    assert len(patches) == 12 and patches.after_80.all()
    assert list(patches.files.iloc[0]) == ["cart/export.py"]
    assert patches.lines_changed.max() == 2
    regression = patches[patches.broke_something]
    assert len(regression) == 1 and regression.iloc[0].session_id == ids["cart-2"]
    assert patches.followed_by_pass.sum() == 3  # the last fix of each of the three fixing sessions
    assert set(patches.trigger_kind) == {"failed_verification"}
    assert list(cliffs.feature[cliffs.cliff]) == ["shop@feature/cart-export"]


def test_features_toml_overrides_the_grouping(corpus, tmp_path):
    _root, shared_db, ids = corpus
    db = tmp_path / "copy.duckdb"  # the rules regroup what other tests read: change a copy
    shutil.copyfile(shared_db, db)
    rules = tmp_path / "features.toml"
    rules.write_text(
        '[[feature]]\nname = "Cart export"\nbranches = ["feature/cart-*"]\n'
        f'sessions = ["{ids["trunk-alone"][:8]}*"]\n\n'
        '[[feature]]\nignore = true\nbranches = ["feature/coupons"]\n',
        encoding="utf-8",
    )
    document = audit_json(db, "--features", str(rules))
    by_name = {item["feature"]: item for item in document["features"]}
    assert "shop@feature/coupons" not in by_name
    assert "shop@feature/cart-export" not in by_name
    assert set(by_name["Cart export"]["sessions"]) == {ids[f"cart-{n}"] for n in range(1, 5)} | {ids["trunk-alone"]}
    assert by_name["Cart export"]["cliff"]
    assert facts_pending(db, load_feature_rules(rules)) == (False, False), "applied once, the rules are stored"
    with open_store(db, read_only=True) as con:
        assert "Cart export" in set(queries.run(con, "audit_cliff_features").feature)  # what the dashboard reads


def test_features_toml_beside_the_database_is_read(corpus, tmp_path):
    _root, db, _ids = corpus
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(db, copy)
    (tmp_path / "features.toml").write_text('[[feature]]\nname = "Tax"\nbranches = ["feature/tax"]\n', encoding="utf-8")
    names = {item["feature"] for item in audit_json(copy)["features"]}
    assert "Tax" in names and "shop@feature/tax" not in names


def test_missing_features_file_named_by_the_environment_is_an_error(corpus, tmp_path, monkeypatch):
    _root, db, _ids = corpus
    monkeypatch.setenv("DASHCAM_FEATURES", str(tmp_path / "missing.toml"))
    result = CliRunner().invoke(app, ["audit", "--json", "--db", str(db)])
    assert result.exit_code == 1 and "DASHCAM_FEATURES" in result.output


def test_bad_features_file_gets_one_clear_line(corpus, tmp_path):
    _root, db, _ids = corpus
    rules = tmp_path / "features.toml"
    rules.write_text('[[feature]]\nbranches = ["feature/*"]\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", "--db", str(db), "--features", str(rules)])
    assert result.exit_code == 1 and "needs a name" in result.output


def test_rebuild_gives_identical_findings(corpus):
    _root, db, _ids = corpus
    before = audit_json(db)
    after = audit_json(db, "--rebuild")
    assert after == before
    assert before["features"] and before["explanations"] is not None


def test_ingesting_again_changes_no_finding_and_needs_no_refresh(corpus):
    root, db, _ids = corpus
    before = audit_json(db)
    with open_store(db) as con:
        summary = ingest_paths(con, [root / "logs"], user_name="dev")
        assert summary.fact_sessions == 0
        assert refresh_facts(con).sessions_refreshed == 0
    assert not facts_pending(db)[0]
    assert audit_json(db) == before


def test_a_growing_transcript_gets_its_facts_refreshed(tmp_path):
    session = Session("growing", branch="feature/grow", start="2026-10-28T09:00:00Z")
    session.prompt("Add the module.")
    session.write("cart/grow.py", module_text("grow", 10))
    path = write_session(tmp_path / "logs", session, "codex")
    with open_store(tmp_path / "db.duckdb") as con:
        ingest_paths(con, [tmp_path / "logs"], user_name="dev")
        fix_cycles(session, "cart/grow.py", "grow", [1, 2], "tests/test_grow.py")
        full = write_session(tmp_path / "logs", session, "codex")
        assert full == path
        summary = ingest_paths(con, [tmp_path / "logs"], user_name="dev")
        assert summary.fact_sessions == 1
        patches = queries.run(con, "audit_patches")
    assert len(patches) == 2
