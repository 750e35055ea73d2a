"""The entry the installed hooks run: ``python -m ingest.guard hook <event> [--agent A]`` and
``python -m ingest.guard statusline``. Plain argv parsing: the CLI framework and the database
stay out of a process that runs on every tool call (``dashcam guard hook`` is the same code).
"""

from __future__ import annotations

import sys

from ingest.guard.contracts import MAX_INPUT_BYTES


def main(argv: list[str]) -> int:
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if argv[:1] == ["statusline"]:
        from ingest.guard.statusline import line

        try:
            print(line(data))
        except Exception as error:  # a status line must never break the prompt
            print(f"dashcam: status unavailable ({type(error).__name__})")
            print(f"dashcam statusline: {type(error).__name__}: {str(error)[:200]}", file=sys.stderr)
        return 0
    if argv[:1] != ["hook"] or len(argv) < 2:
        print(
            "usage: python -m ingest.guard hook <PreToolUse|Stop> [--agent claude|codex] | statusline", file=sys.stderr
        )
        return 0  # even a bad command line must not block the agent
    agent = argv[argv.index("--agent") + 1] if "--agent" in argv[:-1] else None
    from ingest.guard.hook import run

    out, code = run(argv[1], data, agent)
    if out:
        sys.stdout.write(out + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
