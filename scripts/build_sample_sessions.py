#!/usr/bin/env python3
"""Generate the bundled demo corpus sample_sessions/ (and its EXPECTED.json).

The corpus is a small synthetic team (alice, bob, carol, dave) using Claude Code, Codex CLI,
Gemini CLI and aider on four repositories over ISO weeks 2026-W41..W47, with known failure
patterns planted in it. Pure standard library, fixed seed and dates: running it twice gives
byte-identical output. It rewrites everything in the output folder except README.md.

    python scripts/build_sample_sessions.py [OUT_DIR]      # default: sample_sessions/
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_corpus import build

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "sample_sessions"


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    files = build(out)
    size = sum(len(text.encode("utf-8")) for text in files.values())
    print(f"wrote {len(files)} files, {size / 1e6:.2f} MB, to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
