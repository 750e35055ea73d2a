"""Compare dashcam's daily token counts and costs with ccusage on the same transcripts.

Lays the real transcripts out as each agent does (Claude: ``CLAUDE_CONFIG_DIR/projects``,
Codex: ``CODEX_HOME/sessions``, Gemini: ``HOME/.gemini/tmp/<project>/chats``), runs
``ccusage@20.0.24 <agent> daily --json --offline --timezone UTC`` and
``dashcam costs daily --json --timezone UTC --agent <agent>`` on them, and prints one row per
(agent, date, model) with every difference. Exit status 1 when any token count differs.

``--record DIR`` also saves ccusage's JSON per agent, which the test suite compares against.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SESSIONS = REPO.parent / "shared" / "real_sessions"
CCUSAGE = "ccusage@20.0.24"
AGENT_FOLDERS = {"claude": ("claude_code",), "codex": ("codex",), "gemini": ("gemini_cli", "gemini")}
TOKEN_FIELDS = ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "totalTokens")
COST_TOLERANCE = 0.005


def agent_folder(sessions: Path, agent: str) -> Path | None:
    return next((sessions / name for name in AGENT_FOLDERS[agent] if (sessions / name).is_dir()), None)


def layout(sessions: Path, agent: str, root: Path) -> dict[str, str]:
    """Copy ``sessions/<agent folder>`` under ``root`` as the agent lays it out; return the env to point at it.

    Flat names encode their original path with ``__`` (``spotter__<id>__subagents__agent-x.jsonl``);
    files already in sub-folders keep their relative path.
    """
    source = agent_folder(sessions, agent)
    for file in sorted(source.rglob("*.json*")):
        relative = file.relative_to(source)
        parts = relative.parts if len(relative.parts) > 1 else tuple(file.name.split("__"))
        if len(parts) == 1:
            parts = ("transcripts", *parts)
        if agent == "claude":
            target = root / "claude" / "projects" / Path(*parts)
        elif agent == "codex":
            target = root / "codex" / "sessions" / Path(*parts)
        else:
            target = root / "home" / ".gemini" / "tmp" / parts[0] / "chats" / f"session-{file.stem}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)
    return {
        "claude": {"CLAUDE_CONFIG_DIR": str(root / "claude")},
        "codex": {"CODEX_HOME": str(root / "codex")},
        "gemini": {"HOME": str(root / "home")},
    }[agent]


def data_root(agent: str, root: Path) -> Path:
    return {
        "claude": root / "claude" / "projects",
        "codex": root / "codex" / "sessions",
        "gemini": root / "home" / ".gemini" / "tmp",
    }[agent]


def run_ccusage(agent: str, env_overrides: dict[str, str]) -> dict:
    env = {**os.environ, **env_overrides}
    env.setdefault("npm_config_cache", str(Path(tempfile.gettempdir()) / "dashcam-npm-cache"))
    command = ["npx", "--yes", CCUSAGE, agent, "daily", "--json", "--offline", "--timezone", "UTC"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ccusage failed ({' '.join(command)}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def run_dashcam(agent: str, transcripts: Path, db: Path, exclude_estimated: bool) -> dict:
    """dashcam's daily report; estimated tokens (which ccusage does not have) optionally left out."""
    dashcam = [sys.executable, "-m", "dashboard.cli"]
    if not db.exists():
        subprocess.run(
            dashcam + ["ingest", str(transcripts), "--db", str(db), "--user", "crosscheck"],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        )
    command = dashcam + ["costs", "daily", "--json", "--timezone", "UTC", "--agent", agent, "--db", str(db)]
    done = subprocess.run(
        command + (["--exclude-estimated"] if exclude_estimated else []),
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def estimated_tokens(report: dict) -> dict[tuple[str, str], int]:
    return {
        (day["date"], model["modelName"]): model["estimatedTokens"]
        for day in report.get("daily", [])
        for model in day["modelBreakdowns"]
        if model["estimatedTokens"]
    }


def by_date_model(report: dict) -> dict[tuple[str, str], dict]:
    """Flatten either ccusage shape (``modelBreakdowns`` list or Codex's ``models`` mapping)."""
    flat: dict[tuple[str, str], dict] = {}
    for day in report.get("daily", []):
        if "modelBreakdowns" in day:
            for model in day["modelBreakdowns"]:
                flat[(day["date"], model["modelName"])] = {
                    **{f: model.get(f) for f in TOKEN_FIELDS},
                    "cost": model.get("cost"),
                }
        else:
            models = day.get("models", {})
            for name, model in models.items():
                cost = day.get("costUSD") if len(models) == 1 else None
                flat[(day["date"], name)] = {**{f: model.get(f) for f in TOKEN_FIELDS}, "cost": cost}
    return flat


def compare(agent: str, ours: dict, theirs: dict) -> list[dict]:
    rows = []
    mine, reference = by_date_model(ours), by_date_model(theirs)
    for key in sorted(set(mine) | set(reference)):
        a, b = mine.get(key), reference.get(key)
        row = {"agent": agent, "date": key[0], "model": key[1]}
        for field in TOKEN_FIELDS:
            row[field] = ((a or {}).get(field) or 0, (b or {}).get(field) or 0)
        row["cost"] = ((a or {}).get("cost"), (b or {}).get("cost"))
        row["tokens_equal"] = all(row[field][0] == row[field][1] for field in TOKEN_FIELDS if field != "totalTokens")
        # ccusage's Claude and Gemini breakdowns carry no per-model total; its Codex total is the
        # transcript's own total_tokens, which a hand-written file may not make the sum of the parts
        both_totals = (a or {}).get("totalTokens") is not None and (b or {}).get("totalTokens") is not None
        row["total_note"] = both_totals and row["totalTokens"][0] != row["totalTokens"][1]
        ours_cost, ref_cost = row["cost"]
        row["cost_ok"] = (
            ref_cost is None
            or (ours_cost is None and ref_cost == 0)
            or (ours_cost is not None and abs(ours_cost - ref_cost) <= COST_TOLERANCE * max(abs(ref_cost), 1e-9))
        )
        rows.append(row)
    return rows


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'agent':7} {'date':10} {'model':32} "
        + " ".join(f"{f[:-6]:>22}" for f in TOKEN_FIELDS)
        + f" {'cost dashcam/ccusage':>26}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        cells = []
        for field in TOKEN_FIELDS:
            ours, ref = row[field]
            cells.append(f"{ours:>22,}" if ours == ref else f"{f'{ours:,}≠{ref:,}':>22}")
        ours_cost, ref_cost = row["cost"]
        cost = f"{'—' if ours_cost is None else f'{ours_cost:.4f}'}/{'—' if ref_cost is None else f'{ref_cost:.4f}'}"
        flag = (
            ""
            if row["tokens_equal"] and row["cost_ok"]
            else ("  TOKENS DIFFER" if not row["tokens_equal"] else "  cost differs")
        )
        if row["tokens_equal"] and row["total_note"]:
            flag += "  (total: ccusage copies the transcript's total_tokens)"
        print(f"{row['agent']:7} {row['date']:10} {row['model'][:32]:32} " + " ".join(cells) + f" {cost:>26}{flag}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sessions",
        type=Path,
        default=DEFAULT_SESSIONS,
        help="folder with claude_code/, codex/, gemini_cli/ (or gemini/)",
    )
    parser.add_argument(
        "--agent", choices=sorted(AGENT_FOLDERS), action="append", help="agents to check (default: all)"
    )
    parser.add_argument("--record", type=Path, help="save ccusage's JSON per agent into this folder")
    args = parser.parse_args(argv)
    if not args.sessions.is_dir():
        print(f"no transcripts at {args.sessions}", file=sys.stderr)
        return 2
    rows: list[dict] = []
    estimated: list[str] = []
    for agent in args.agent or sorted(AGENT_FOLDERS):
        if agent_folder(args.sessions, agent) is None:
            continue
        with tempfile.TemporaryDirectory(prefix=f"dashcam-crosscheck-{agent}-") as tmp:
            root = Path(tmp)
            env = layout(args.sessions, agent, root)
            reference = run_ccusage(agent, env)
            db = root / "dashcam.duckdb"
            ours = run_dashcam(agent, data_root(agent, root), db, exclude_estimated=True)
            for (day, model), tokens in estimated_tokens(run_dashcam(agent, data_root(agent, root), db, False)).items():
                estimated.append(
                    f"{agent} {day} {model}: {tokens:,} tokens estimated with tiktoken "
                    "(no usage in the transcript; ccusage counts none)"
                )
            if args.record:
                args.record.mkdir(parents=True, exist_ok=True)
                (args.record / f"{agent}_daily.json").write_text(json.dumps(reference, indent=2, sort_keys=True) + "\n")
            rows += compare(agent, ours, reference)
    print_table(rows)
    if estimated:
        print("\nLeft out of the comparison above:")
        print("\n".join(f"  {line}" for line in estimated))
    differing = [r for r in rows if not r["tokens_equal"]]
    cost_off = [r for r in rows if not r["cost_ok"]]
    print(
        f"\n{len(rows)} (agent, date, model) rows: {len(rows) - len(differing)} with equal tokens, "
        f"{len(differing)} differing; {len(cost_off)} with cost outside {COST_TOLERANCE:.1%}."
    )
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
