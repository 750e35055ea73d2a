"""`make bench`: dashcam beside ccusage on the same replicated real transcripts, in one table.

For each corpus size (real Claude Code + Codex transcripts replicated with unique ids, see
``scripts/bench_corpus.py``), in fresh processes, repeated, medians printed:

* ``ccusage@20.0.24 daily --json --offline`` over the corpus (it has no store: every run reads all);
* dashcam cold: ``dashcam ingest`` into a new database (every message, tool call and usage row
  stored), then the first ``dashcam audit --json``, which computes every session's audit facts
  and the findings (an ingest defers them to the first command that reads them);
* dashcam warm: a new user record and a priced assistant response appended to one transcript,
  then ``dashcam ingest`` and ``dashcam costs daily --json`` (the two processes' time added), then the next
  ``dashcam audit --json`` (one session's facts and the findings);
* dashcam unchanged: ``dashcam ingest`` again with nothing new.

Then an unchanged corpus of many small files is re-ingested, and every dashboard query
(``queries/dash_*.sql`` and the audit queries the pages run), ``costs daily`` and
``audit --json`` is timed on stores of 1 M and 10 M messages built by replication
(``scripts/bench.py``): cold (first run on a new connection) and warm (median of the next
runs), plus the dashboard's first page view after start; the stores'
figures are printed side by side, one row per query.

Figures, never assertions. Knobs (environment): DASHCAM_BENCH_SIZES (MB, default "100,1000"),
DASHCAM_BENCH_REPEATS (3), DASHCAM_BENCH_FILES (10000; 0 skips), DASHCAM_BENCH_MESSAGES
("1000000,10000000"; empty skips), DASHCAM_BENCH_CACHE (where corpora and stores are kept).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import bench_corpus  # noqa: E402
import tree_rss  # noqa: E402

CCUSAGE = "ccusage@20.0.24"
DASHCAM = [sys.executable, "-m", "dashboard.cli"]


def knob(name: str, default: str) -> str:
    return os.environ.get(name, default).strip()


def sizes(name: str, default: str) -> list[int]:
    return [int(part) for part in knob(name, default).split(",") if part.strip()]


def run(command: list[str], env: dict | None = None) -> tuple[float, str]:
    """(wall seconds, stdout) of one command in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run(command, env={**os.environ, **(env or {})}, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def measured(command: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """(seconds, peak RSS in MiB of the run's whole process tree, stdout): the command and every
    worker it starts, summed while they run (``scripts/tree_rss.py``); GNU time's ``%M`` saw
    only the largest single process."""
    seconds, peak, out = tree_rss.run(command, env, cwd=REPO)
    return seconds, peak.rss_mib, out


def ccusage_env(corpus: Path, home: Path) -> dict:
    return {
        "HOME": str(home),
        "CLAUDE_CONFIG_DIR": str(corpus / "claude"),
        "CODEX_HOME": str(corpus / "codex"),
        "npm_config_cache": str(bench_corpus.cache_root() / "npm"),
        "npm_config_update_notifier": "false",
    }


def ccusage_command() -> list[str]:
    return ["npx", "--yes", CCUSAGE, "daily", "--json", "--offline", "--timezone", "UTC"]


def audit_command(db: Path) -> list[str]:
    return [*DASHCAM, "audit", "--json", "--db", str(db)]


def ingest_command(corpus: Path, db: Path) -> list[str]:
    return [*DASHCAM, "ingest", str(corpus / "claude"), str(corpus / "codex"), "--db", str(db), "--user", "bench"]


def costs_command(db: Path) -> list[str]:
    return [*DASHCAM, "costs", "daily", "--json", "--timezone", "UTC", "--db", str(db)]


def append_lines(corpus: Path, copy_no: int) -> tuple[Path, int, tuple[float, float]]:
    """Append two new records to one Claude transcript, as an agent's next turn writes them: a
    copy of its last user record and of its last priced assistant response (one with usage, of
    a Claude model), with fresh ids, so the warm run stores, prices and bills a new response.
    Returns the file, its size and times before, to put it back after.

    Rounds append after one another and the file is put back only once, after the last: a
    file truncated back to its old size and grown again by the same number of bytes looks,
    to the ledger, like the file it already read to that offset, so every round after the
    first would time an unchanged re-ingest instead of new lines."""
    target, user, response = warm_target(corpus)
    stat = target.stat()
    new = b"".join(bench_corpus.replicate(line, 0xF00000 + copy_no) + b"\n" for line in (user, response))
    with open(target, "ab") as handle:
        handle.write(new)
    return target, stat.st_size, (stat.st_atime, stat.st_mtime)


def warm_target(corpus: Path) -> tuple[Path, bytes, bytes]:
    """The first Claude transcript (in name order) with a user record and a priced assistant
    response (usage, a ``claude-`` model and a ``msg_`` id, which each copy makes its own, so the
    copy is a response of its own, not one deduplicated away): the file, its last user line, its
    last such response."""
    for path in sorted((corpus / "claude" / "projects").rglob("*.jsonl")):
        user = response = None
        for line in path.read_bytes().splitlines():
            if b'"type":"user"' in line:
                user = line
            elif (
                b'"type":"assistant"' in line
                and b'"usage"' in line
                and b'"model":"claude-' in line
                and b'"id":"msg_' in line
            ):
                response = line
        if user is not None and response is not None:
            return path, user, response
    raise SystemExit(f"no Claude transcript with a priced assistant response under {corpus}")


def restore(target: Path, size: int, times: tuple[float, float]) -> None:
    with open(target, "r+b") as handle:
        handle.truncate(size)
    os.utime(target, times)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def corpus_rows(megabytes: int, repeats: int, use_ccusage: bool) -> tuple[list[list[str]], dict]:
    corpus = bench_corpus.build_corpus(megabytes)
    facts = bench_corpus.corpus_facts(corpus)
    total_mb = (facts["claude"] + facts["codex"]) / 1e6
    label = f"{total_mb:,.0f} MB ({facts['files']} files)"
    print(f"\n== corpus {label}: {corpus}", flush=True)
    figures: dict = {"mb": total_mb}
    with tempfile.TemporaryDirectory(prefix="dashcam-bench-") as scratch:
        home = Path(scratch) / "home"
        home.mkdir()
        db = Path(scratch) / "bench.duckdb"
        cc = [measured(ccusage_command(), ccusage_env(corpus, home)) for _ in range(repeats)] if use_ccusage else []
        if cc:
            figures["ccusage_totals"] = json.loads(cc[-1][2]).get("totals", {})
            print(f"  ccusage daily: {[round(c[0], 2) for c in cc]} s", flush=True)
        cold, first_audit, next_audit = [], [], []
        for _ in range(repeats):
            for leftover in Path(scratch).glob("bench.duckdb*"):
                leftover.unlink()
            cold.append(measured(ingest_command(corpus, db)))
            print(f"  dashcam cold: {cold[-1][0]:.1f} s, {cold[-1][1]:.0f} MiB", flush=True)
            first_audit.append(measured(audit_command(db)))
            print(f"  dashcam first audit: {first_audit[-1][0]:.1f} s, {first_audit[-1][1]:.0f} MiB", flush=True)
        unchanged = [measured(ingest_command(corpus, db)) for _ in range(repeats)]
        warm: list[tuple[float, float, float, float]] = []
        original: tuple[Path, int, tuple[float, float]] | None = None
        try:
            for copy_no in range(repeats):
                appended = append_lines(corpus, copy_no)
                original = original or appended
                ingest = measured(ingest_command(corpus, db))
                costs = measured(costs_command(db))
                next_audit.append(measured(audit_command(db)))
                warm.append((ingest[0] + costs[0], max(ingest[1], costs[1]), ingest[0], costs[0]))
                print(f"  dashcam warm: ingest {ingest[0]:.2f} s + costs {costs[0]:.2f} s", flush=True)
        finally:
            if original is not None:
                restore(*original)
        figures["dashcam_totals"] = json.loads(measured(costs_command(db))[2])["totals"]
    cc_s = median([c[0] for c in cc]) if cc else float("nan")
    cold_s, cold_rss = median([c[0] for c in cold]), max(c[1] for c in cold)
    warm_s = median([w[0] for w in warm])
    rows = [
        [
            label,
            "ccusage daily",
            f"{cc_s:.2f}",
            f"{total_mb / cc_s:.0f}" if cc else "",
            "1.0×" if cc else "",
            f"{max(c[1] for c in cc):.0f}" if cc else "",
        ],
        [
            label,
            "dashcam cold ingest",
            f"{cold_s:.2f}",
            f"{total_mb / cold_s:.1f}",
            ratio(cold_s, cc_s),
            f"{cold_rss:.0f}",
        ],
        [
            label,
            "dashcam first audit (facts of every session)",
            f"{median([a[0] for a in first_audit]):.2f}",
            "",
            ratio(median([a[0] for a in first_audit]), cc_s),
            f"{max(a[1] for a in first_audit):.0f}",
        ],
        [
            label,
            "dashcam warm (+1 priced response: ingest + costs)",
            f"{warm_s:.2f}",
            "",
            ratio(warm_s, cc_s),
            f"{max(w[1] for w in warm):.0f}",
        ],
        [
            label,
            "  of which ingest / costs",
            f"{median([w[2] for w in warm]):.2f} / {median([w[3] for w in warm]):.2f}",
            "",
            "",
            "",
        ],
        [
            label,
            "dashcam audit after the warm ingest (one session's facts)",
            f"{median([a[0] for a in next_audit]):.2f}",
            "",
            ratio(median([a[0] for a in next_audit]), cc_s),
            f"{max(a[1] for a in next_audit):.0f}",
        ],
        [
            label,
            "dashcam unchanged re-ingest",
            f"{median([u[0] for u in unchanged]):.2f}",
            "",
            ratio(median([u[0] for u in unchanged]), cc_s),
            f"{max(u[1] for u in unchanged):.0f}",
        ],
    ]
    return rows, figures


def ratio(seconds: float, reference: float) -> str:
    return "" if reference != reference else f"{seconds / reference:.2f}×"


def files_rows(count: int, repeats: int) -> list[list[str]]:
    corpus = bench_corpus.build_many_files(count)
    db = bench_corpus.cache_root() / f"files-{count}.duckdb"
    print(f"\n== {count:,} small files: {corpus} (store kept at {db})", flush=True)
    settle = measured(ingest_command(corpus, db))  # the first run after a code change may re-read
    print(f"  settling ingest: {settle[0]:.1f} s", flush=True)
    runs = [measured(ingest_command(corpus, db)) for _ in range(repeats)]
    label = f"{count:,} files, unchanged"
    return [
        [label, "dashcam re-ingest", f"{median([r[0] for r in runs]):.2f}", "", "", f"{max(r[1] for r in runs):.0f}"]
    ]


DASH_PARAMS = {
    "tz": "UTC",
    "limit": 50,
    "by": "user",
    "since": None,
    "until": None,
    "user_name": None,
    "project": None,
    "agent": None,
    "model": None,
    "search": None,
    "rule": None,
    "feature": None,
    "spirals": 12,  # the Spirals page charts (and asks for the runs and steps of) its 12 longest
}


# the audit queries the pages run besides their dash_* ones (overview, spirals, explanations, cliff)
PAGE_AUDIT_QUERIES = (
    "audit_exotic_rate",
    "audit_spiral_steps",
    "audit_spirals_by_week",
    "audit_cliff_features",
    "audit_feature_completion",
    "audit_explanations_by_category",
)


def query_rows(messages: int, repeats: int) -> list[list[str]]:
    """Each dashboard query, cold (new connection) and warm, on a replicated store."""
    import bench
    import duckdb

    import queries

    db = bench_corpus.cache_root() / f"store-{messages}.duckdb"
    if not db.exists():
        print(f"\n== building a {messages:,}-message store at {db}", flush=True)
        partial = db.with_suffix(".building")
        for leftover in db.parent.glob(partial.name + "*"):
            leftover.unlink()
        bench.build(partial, messages)
        partial.rename(db)
    else:
        print(f"\n== store {db}", flush=True)
    # bring the store to this version's schema and facts (a no-op when current)
    measured([*DASHCAM, "audit", "--json", "--db", str(db)])
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM messages").fetchone()[0]
        agent, session_id = con.execute(
            "SELECT agent, session_id FROM messages GROUP BY ALL ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    params = {**DASH_PARAMS, "agent_id": agent, "session_id": session_id}
    label = f"{stored / 1e6:,.1f} M messages"
    rows = []
    names = sorted(q.name for q in queries.all_queries() if q.name.startswith("dash_")) + list(PAGE_AUDIT_QUERIES)
    for name in names:
        bound = dict(params)
        if name in ("dash_session", "dash_transcript", "dash_transcript_findings"):
            bound["agent"] = agent
        cold, warm = [], []
        for _ in range(repeats):
            with duckdb.connect(str(db), read_only=True) as con:
                sql, values = queries.bind(name, bound)
                started = time.perf_counter()
                con.execute(sql, values).fetchall()
                cold.append(time.perf_counter() - started)
                for _ in range(3):
                    started = time.perf_counter()
                    con.execute(sql, values).fetchall()
                    warm.append(time.perf_counter() - started)
        rows.append([label, name, f"{median(cold) * 1000:,.0f}", f"{median(warm) * 1000:,.0f}"])
        print(f"  {name}: cold {median(cold) * 1000:,.0f} ms, warm {median(warm) * 1000:,.0f} ms", flush=True)
    for title, command in (
        ("dashcam costs daily --json (process)", costs_command(db)),
        ("dashcam audit --json (process)", [*DASHCAM, "audit", "--json", "--db", str(db)]),
    ):
        times = [measured(command)[0] for _ in range(repeats)]
        rows.append([label, title, f"{times[0] * 1000:,.0f}", f"{median(times[1:] or times) * 1000:,.0f}"])
    rows.append([label, "dashboard first page view (AppTest)", f"{first_page_ms(db):,.0f}", ""])
    return rows


def first_page_ms(db: Path) -> float:
    """The overview page rendered once in a fresh process (imports, connection, queries)."""
    code = (
        "import sys,time; sys.path.insert(0, {!r}); started=time.perf_counter();"
        "from streamlit.testing.v1 import AppTest;"
        "at=AppTest.from_file({!r}, default_timeout=300); at.run();"
        "print((time.perf_counter()-started)*1000)"
    ).format(str(REPO), str(REPO / "dashboard" / "web" / "app.py"))
    _seconds, out = run([sys.executable, "-c", code], {"DASHCAM_DB": str(db)})
    return float(out.strip().splitlines()[-1])


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return "\n".join([line, rule, *body])


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = ""
    try:
        lines = Path("/proc/meminfo").read_text().splitlines()
        kb = int(next(line for line in lines if line.startswith("MemTotal")).split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{platform.machine()}, {cores} cores{memory}, Python {platform.python_version()}, load {load:.1f}"


def main() -> int:
    repeats = int(knob("DASHCAM_BENCH_REPEATS", "3"))
    use_ccusage = shutil.which("npx") is not None
    print(f"machine: {machine()}")
    ingest_rows: list[list[str]] = []
    totals = []
    for megabytes in sizes("DASHCAM_BENCH_SIZES", "100,1000"):
        rows, figures = corpus_rows(megabytes, repeats, use_ccusage)
        ingest_rows += rows
        totals.append((megabytes, figures))
    files = int(knob("DASHCAM_BENCH_FILES", "10000") or 0)
    if files:
        ingest_rows += files_rows(files, repeats)
    query_tables = [query_rows(messages, repeats) for messages in sizes("DASHCAM_BENCH_MESSAGES", "1000000,10000000")]
    print(f"\nmachine: {machine()}; medians of {repeats} runs")
    print(table(["corpus", "run", "seconds", "MB/s", "× ccusage", "peak RSS MiB"], ingest_rows))
    for megabytes, figures in totals:
        ours, theirs = figures.get("dashcam_totals", {}), figures.get("ccusage_totals", {})
        if theirs:
            print(
                f"{megabytes} MB totals: dashcam {ours.get('totalTokens'):,} tokens ${ours.get('totalCost'):,.2f}; "
                f"ccusage {theirs.get('totalTokens'):,} tokens ${theirs.get('totalCost'):,.2f}"
            )
    if query_tables:
        print()
        print(side_by_side(query_tables))
    return 0


def side_by_side(tables: list[list[list[str]]]) -> str:
    """One row per query, a cold and a warm column per store size (1 M beside 10 M): figures only."""
    stores = [rows[0][0] for rows in tables if rows]
    names: list[str] = []
    figures: dict[tuple[str, str], tuple[str, str]] = {}
    for rows in tables:
        for store, name, cold, warm in rows:
            if name not in names:
                names.append(name)
            figures[(store, name)] = (cold, warm)
    header = ["query"] + [f"{store} {kind}" for store in stores for kind in ("cold ms", "warm ms")]
    body = [[name] + [cell for store in stores for cell in figures.get((store, name), ("", ""))] for name in names]
    return table(header, body)


if __name__ == "__main__":
    raise SystemExit(main())
