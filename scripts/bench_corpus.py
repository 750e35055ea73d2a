"""Build (or reuse) a benchmark corpus: real Claude Code and Codex transcripts replicated to a size.

The copies go to a cache folder outside the repository (``$DASHCAM_BENCH_CACHE``, default
``~/.cache/dashcam-bench``), laid out as each agent keeps them, so ``ccusage`` finds them with
``CLAUDE_CONFIG_DIR`` and ``CODEX_HOME``::

    <cache>/corpus-<MB>MB/claude/projects/proj-N/<copy>-<name>.jsonl
    <cache>/corpus-<MB>MB/codex/sessions/2026/02/DD/rollout-<copy>-<name>.jsonl

Every copy gets its own session, message and request ids (a UUID's last six hex digits become
the copy number; ``msg_…``/``req_…`` ids get a suffix), so nothing deduplicates away. The
source is ``$DASHCAM_BENCH_SOURCE`` when set, else the real transcripts beside the repository
(``../shared/real_sessions``), else ``tests/fixtures``. A corpus already built for the same size
and source is reused (a stamp file records both).

    python scripts/bench_corpus.py 100     # prints the corpus folder
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Response ids with an underscore inside (Bedrock's "msg_bdrk_01…") are ids too: left alike in
# every copy, they made dashcam count each such response once for all copies.
IDS = re.compile(rb'"(msg_[A-Za-z0-9_]+|req_[A-Za-z0-9_]+|resp_[A-Za-z0-9_]+)"')
REPLICATION = 2  # bumped when replicate() changes, so cached corpora are built again
STAMP = "corpus.json"


def source_folders() -> tuple[Path, Path]:
    """(Claude Code folder, Codex folder) to replicate."""
    explicit = os.environ.get("DASHCAM_BENCH_SOURCE")
    candidates = [Path(explicit)] if explicit else []
    candidates += [REPO.parent / "shared" / "real_sessions", REPO / "tests" / "fixtures"]
    for root in candidates:
        if (root / "claude_code").is_dir() and (root / "codex").is_dir():
            return root / "claude_code", root / "codex"
    raise SystemExit("no transcripts to replicate: set DASHCAM_BENCH_SOURCE to a folder with claude_code/ and codex/")


def cache_root() -> Path:
    return Path(os.environ.get("DASHCAM_BENCH_CACHE") or Path.home() / ".cache" / "dashcam-bench")


def replicate(data: bytes, copy_no: int) -> bytes:
    """``data`` with every id made unique to this copy."""
    suffix = f"{copy_no:06x}".encode()
    data = UUID.sub(lambda m: m.group(0)[:-6] + suffix, data)
    return IDS.sub(lambda m: b'"' + m.group(1) + b"_" + suffix + b'"', data)


def build_corpus(megabytes: int) -> Path:
    """The corpus folder of about ``megabytes`` MB, built unless already there."""
    claude, codex = source_folders()
    root = cache_root() / f"corpus-{megabytes}MB"
    wanted = {"megabytes": megabytes, "source": str(claude.parent), "replication": REPLICATION}
    stamp = root / STAMP
    if stamp.exists() and all(json.loads(stamp.read_text()).get(k) == v for k, v in wanted.items()):
        return root
    sources = [("claude", path, path.read_bytes()) for path in sorted(claude.glob("*.jsonl"))]
    sources += [("codex", path, path.read_bytes()) for path in sorted(codex.glob("*.jsonl"))]
    written = {"claude": 0, "codex": 0, "files": 0}
    budget = megabytes * 1_000_000
    copy_no = 0
    while written["claude"] + written["codex"] < budget:
        copy_no += 1
        for agent, path, data in sources:
            if written["claude"] + written["codex"] >= budget:
                break
            if agent == "claude":
                target = root / "claude" / "projects" / f"proj-{copy_no % 50}" / f"{copy_no}-{path.name}"
            else:
                day = f"{copy_no % 28 + 1:02d}"
                target = root / "codex" / "sessions" / "2026" / "02" / day / f"rollout-{copy_no}-{path.name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            copy = replicate(data, copy_no)
            target.write_bytes(copy)
            written[agent] += len(copy)
            written["files"] += 1
    stamp.write_text(json.dumps({**wanted, **written, "copies": copy_no}))
    return root


def build_many_files(count: int, file_bytes: int = 8_000) -> Path:
    """A corpus of ``count`` small transcripts: the head of each real file (whole lines, about
    ``file_bytes``), replicated with unique ids, for the unchanged-corpus re-ingest figure."""
    claude, codex = source_folders()
    root = cache_root() / f"files-{count}"
    stamp = root / STAMP
    if stamp.exists() and json.loads(stamp.read_text()).get("source") == str(claude.parent):
        return root
    heads = []
    for agent, folder in (("claude", claude), ("codex", codex)):
        for path in sorted(folder.glob("*.jsonl")):
            data, cut = path.read_bytes(), 0
            while cut < min(len(data), file_bytes):
                nl = data.find(b"\n", cut)
                if nl < 0:
                    break
                cut = nl + 1
            if cut:
                heads.append((agent, path, data[:cut]))
    written, copy_no, files = 0, 0, 0
    while files < count:
        copy_no += 1
        for agent, path, data in heads:
            if files >= count:
                break
            if agent == "claude":
                target = root / "claude" / "projects" / f"proj-{copy_no % 50}" / f"{copy_no}-{path.name}"
            else:
                day = f"{copy_no % 28 + 1:02d}"
                target = root / "codex" / "sessions" / "2026" / "02" / day / f"rollout-{copy_no}-{path.name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            copy = replicate(data, copy_no)
            target.write_bytes(copy)
            written += len(copy)
            files += 1
    stamp.write_text(json.dumps({"source": str(claude.parent), "files": files, "bytes": written}))
    return root


def corpus_facts(root: Path) -> dict:
    return json.loads((root / STAMP).read_text())


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "files":
        folder = build_many_files(int(sys.argv[2]))
    else:
        folder = build_corpus(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
    print(folder, corpus_facts(folder))
