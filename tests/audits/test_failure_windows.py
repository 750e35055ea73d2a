"""A failure known from an Aider history without an exit status opens the explanation window.

Aider since 0.5x prints a ``/run`` or ``/test`` command's output only to the terminal; the
history keeps ``Add 0.4k tokens of command output to the chat?`` (``/run``) or, for ``/test``,
only ``Added 12 lines of output to the chat.``, which ``/test`` prints when the command exited
non-zero. The first is no verdict; the second is a failure, and a cause claimed after it is an
explanation.
"""

from __future__ import annotations

from ingest.pipeline import ingest_paths
from ingest.store import open_store

# Aider ends every line of its own output and of the user's input with two spaces.
HISTORY = "".join(
    line + ("  \n" if line.startswith((">", "####")) else "\n")
    for line in [
        "",
        "# aider chat started at 2025-08-05 19:33:02",
        "",
        "> Aider v0.86.1",
        "> Main model: gpt-4o with diff edit format",
        "> Git working dir: /home/dev/shop",
        "",
        "#### /run pytest tests/test_cart.py",
        "> Add 0.4k tokens of command output to the chat? (Y)es/(N)o [Yes]: y",
        "> Added 12 lines of output to the chat.",
        "",
        "#### look at it",
        "",
        "The cart total is computed once per request.",
        "",
        "> Tokens: 1.2k sent, 80 received. Cost: $0.01 message, $0.02 session.",
        "",
        "#### /test pytest tests/test_cart.py",
        "> Added 12 lines of output to the chat.",
        "",
        "The test still fails because the upstream registry was down.",
        "",
        "> Tokens: 1.2k sent, 80 received. Cost: $0.01 message, $0.02 session.",
        "",
    ]
)


def test_a_test_command_whose_output_aider_added_unasked_failed(tmp_path):
    logs = tmp_path / "shop"
    logs.mkdir()
    (logs / ".aider.chat.history.md").write_text(HISTORY, encoding="utf-8")
    with open_store(tmp_path / "audit.duckdb") as con:
        ingest_paths(con, [logs], user_name="dev")
        commands = con.execute("SELECT command, failed, result_excerpt FROM fact_commands ORDER BY ord").fetchall()
        claims = con.execute("SELECT text, verdict FROM fact_explanations ORDER BY ord").fetchall()
    # the /run's status is unknown (the prompt is not its output); the /test's is a failure
    assert commands == [("pytest tests/test_cart.py", False, ""), ("pytest tests/test_cart.py", True, "")]
    assert claims == [("The test still fails because the upstream registry was down.", "exotic")]
