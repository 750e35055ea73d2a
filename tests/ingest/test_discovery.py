"""Finding transcripts: default agent folders, any layout under a given folder, links and loops."""

from __future__ import annotations

import os

from ingest.discovery import default_locations, iter_candidate_files


def test_default_locations_follow_the_agents_environment_variables(tmp_path, monkeypatch):
    (tmp_path / "cc" / "projects").mkdir(parents=True)
    (tmp_path / "codex" / "sessions").mkdir(parents=True)
    (tmp_path / "home" / ".gemini" / "tmp").mkdir(parents=True)
    (tmp_path / "home" / ".claude" / "projects").mkdir(parents=True)
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "cc"))
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex"))
    found = default_locations(home=tmp_path / "home")
    assert found == [
        tmp_path / "cc" / "projects",
        tmp_path / "home" / ".claude" / "projects",
        tmp_path / "codex" / "sessions",
        tmp_path / "home" / ".gemini" / "tmp",
    ]


def test_candidates_skip_dependency_folders_and_keep_a_stable_order(tmp_path):
    for relative in (
        "b/x.jsonl",
        "a/y.json",
        "a/.hidden/z.jsonl",
        "node_modules/pkg/w.jsonl",
        "a/notes.txt",
        "proj/.aider.chat.history.md",
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("{}\n")
    names = [p.relative_to(tmp_path).as_posix() for p in iter_candidate_files(tmp_path)]
    assert names == ["a/y.json", "a/.hidden/z.jsonl", "b/x.jsonl", "proj/.aider.chat.history.md"]


def test_linked_folders_are_followed_and_loops_end(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "s.jsonl").write_text("{}\n")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(real, root / "linked")
    os.symlink(root, real / "back_to_root")
    names = sorted(p.name for p in iter_candidate_files(root))
    assert names == ["s.jsonl"]


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path):
    errors = []
    list(iter_candidate_files(tmp_path / "missing", on_error=lambda path, reason: errors.append((path, reason))))
    assert errors and errors[0][0].endswith("missing")
