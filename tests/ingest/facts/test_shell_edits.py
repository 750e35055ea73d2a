"""The shell-edit extractor on command strings: what each writes (match) and what writes nothing
(no_match), and when a result says the write did not happen."""

from __future__ import annotations

import pytest

from ingest.facts.shell_edits import ShellEdit, edit_applied, is_scratch, shell_edits

# (command, [(path, op, old_text, new_text)])
MATCH = [
    ("cat > src/x.py <<'EOF'\nimport os\nprint(1)\nEOF", [("src/x.py", "write", None, "import os\nprint(1)\n")]),
    ("cat <<EOF > config/app.yaml\ntimeout: 30s\nEOF", [("config/app.yaml", "write", None, "timeout: 30s\n")]),
    ("cat >> .env <<EOF\nA=1\nEOF", [(".env", "append", None, "A=1\n")]),
    ("cat <<-EOF > run.sh\n\tsleep 5\n\tEOF", [("run.sh", "write", None, "sleep 5\n")]),
    ("cat > a.txt <<< 'hello world'", [("a.txt", "write", None, "hello world\n")]),
    ("tee src/a.txt <<'EOF'\nhello\nEOF", [("src/a.txt", "write", None, "hello\n")]),
    ("tee -a notes.md > /dev/null <<'EOF'\n- item\nEOF", [("notes.md", "append", None, "- item\n")]),
    ("echo hello | sudo tee /etc/hosts.d/x.conf > /dev/null", [("/etc/hosts.d/x.conf", "write", None, "hello\n")]),
    ("cat <<'EOF' | tee config.toml\n[a]\nb = 1\nEOF", [("config.toml", "write", None, "[a]\nb = 1\n")]),
    ("echo 'TIMEOUT=30' >> .env", [(".env", "append", None, "TIMEOUT=30\n")]),
    ('echo -n "x" > VERSION', [("VERSION", "write", None, "x\n")]),
    ("echo -e 'a\\nb' > two.txt", [("two.txt", "write", None, "a\nb\n")]),
    ("printf 'a\\nb\\n' > src/list.txt", [("src/list.txt", "write", None, "a\nb\n")]),
    ("printf '%s\\n' one two > names.txt", [("names.txt", "write", None, "one\ntwo\n")]),
    ("printf 'export TIMEOUT=%d\\n' 60 >> env.sh", [("env.sh", "append", None, "export TIMEOUT=60\n")]),
    ("sed -i 's/timeout=10/timeout=30/' tests/conftest.py", [("tests/conftest.py", "sed", "timeout=10", "timeout=30")]),
    ("sed -i '' 's/timeout: 30s/timeout: 60s/' values.yaml", [("values.yaml", "sed", "timeout: 30s", "timeout: 60s")]),
    (
        "sed -i.bak 's|5\\*time.Second|10*time.Second|g' a_test.go",
        [("a_test.go", "sed", "5*time.Second", "10*time.Second")],
    ),
    ("sed -i .bak 's/x/y/' a.txt", [("a.txt", "sed", "x", "y")]),
    ("sed --in-place -E 's/(wait)=5/\\1=10/' cfg.ini", [("cfg.ini", "sed", "(wait)=5", "\\1=10")]),
    (
        "sed -i -e 's/a/b/' -e 's/c/d/' x.cfg y.cfg",
        [
            ("x.cfg", "sed", "a", "b"),
            ("x.cfg", "sed", "c", "d"),
            ("y.cfg", "sed", "a", "b"),
            ("y.cfg", "sed", "c", "d"),
        ],
    ),
    ("sed -i 's/a/b/; s/c/d/g' x.cfg", [("x.cfg", "sed", "a", "b"), ("x.cfg", "sed", "c", "d")]),
    ("sed -i '12s/sleep 1/sleep 3/' wait.sh", [("wait.sh", "sed", "sleep 1", "sleep 3")]),
    ("sed -i.bak '/^DEBUG/d' settings.ini", [("settings.ini", "sed", None, None)]),
    ("gsed -i 's/retries: 3/retries: 5/' ci.yml", [("ci.yml", "sed", "retries: 3", "retries: 5")]),
    ("perl -pi -e 's/sleep 5/sleep 10/' run.sh", [("run.sh", "perl", "sleep 5", "sleep 10")]),
    (
        "perl -i -pe 's{timeout => 10}{timeout => 30}' lib/X.pm",
        [("lib/X.pm", "perl", "timeout => 10", "timeout => 30")],
    ),
    ("perl -0777 -pi.bak -e 's/a/b/g' one.txt two.txt", [("one.txt", "perl", "a", "b"), ("two.txt", "perl", "a", "b")]),
    (
        "python - <<'EOF'\nfrom pathlib import Path\np = Path('app/settings.py')\ns = p.read_text()\n"
        "p.write_text(s.replace('TIMEOUT = 10', 'TIMEOUT = 30'))\nEOF",
        [("app/settings.py", "script", "TIMEOUT = 10", "TIMEOUT = 30")],
    ),
    ("python3 -c \"open('a.json','w').write('{}')\"", [("a.json", "script", None, None)]),
    (
        "python3 - <<'PY'\nimport pathlib\npathlib.Path(\"k8s/job.yaml\").write_text(new)\nPY",
        [("k8s/job.yaml", "script", None, None)],
    ),
    (
        "python -c \"import re; t=open('x.cfg').read(); open('x.cfg','w').write(t.replace('wait=1','wait=4'))\"",
        [("x.cfg", "script", "wait=1", "wait=4")],
    ),
    ("printf ',s/old/new/g\\nw\\nq\\n' | ed -s notes.md", [("notes.md", "ed", "old", "new")]),
    ("ed -s app.conf <<'EOF'\n,s/port=80/port=8080/\nw\nq\nEOF", [("app.conf", "ed", "port=80", "port=8080")]),
    ("ex -sc '%s/5000/15000/g|x' jest.config.js", [("jest.config.js", "ed", "5000", "15000")]),
    ("cd services/api && sed -i 's/a/b/' main.go", [("services/api/main.go", "sed", "a", "b")]),
    ("bash -lc \"cat > app.py <<'EOF'\nx=1\nEOF\"", [("app.py", "write", None, "x=1\n")]),
    ("bash <<'EOF'\necho 'x: 1' > conf.yaml\nEOF", [("conf.yaml", "write", None, "x: 1\n")]),
    (
        "sed -i 's/timeout: 30s/timeout: 60s/' values.yaml && pytest -q",
        [("values.yaml", "sed", "timeout: 30s", "timeout: 60s")],
    ),
    ('echo "retries=5" > "$PWD/conf/app.ini"', [("conf/app.ini", "write", None, "retries=5\n")]),
    # a path with an unexpanded variable or a glob is kept as written: an edit of a file not known
    ('echo $FOO > "$OUT"', [("$OUT", "write", None, "$FOO\n")]),
    ("for f in *.py; do sed -i 's/a/b/' \"$f\"; done", [("$f", "sed", "a", "b")]),
    ("sed -i 's/sleep 1/sleep 5/' src/*.sh", [("src/*.sh", "sed", "sleep 1", "sleep 5")]),
    ("cp $ROOT/conf/app.ini conf/app.ini", [("conf/app.ini", "copy", None, None)]),
    ("cp ../shared/conf.yaml $ROOT/deploy/", [("$ROOT/deploy/conf.yaml", "copy", None, None)]),
    # copies and moves write their destination
    ("cp /tmp/fixed_worker.py src/worker.py", [("src/worker.py", "copy", None, None)]),
    ("cp -f a.py b.py src/", [("src/a.py", "copy", None, None), ("src/b.py", "copy", None, None)]),
    ("cp -t src/ a.py", [("src/a.py", "copy", None, None)]),
    ("mv src/old_name.py src/new_name.py", [("src/new_name.py", "move", None, None)]),
    (
        "install -m 0644 deploy/app.service /etc/systemd/system/",
        [("/etc/systemd/system/app.service", "copy", None, None)],
    ),
    ("cd services/api && cp .env.example .env", [("services/api/.env", "copy", None, None)]),
    # files put back as a commit has them
    ("git checkout -- src/a.py src/b.py", [("src/a.py", "checkout", None, None), ("src/b.py", "checkout", None, None)]),
    ("git checkout HEAD~1 -- config/app.yaml", [("config/app.yaml", "checkout", None, None)]),
    ("git restore src/a.py", [("src/a.py", "checkout", None, None)]),
    ("git -C services/api checkout -- .", [(".", "checkout", None, None)]),
    ("cargo fmt --all", [(".", "format", None, None)]),
    ("git restore --staged --worktree src/a.py", [("src/a.py", "checkout", None, None)]),
    # patches: the files the patch text names, or the patch file itself when its text is elsewhere
    (
        "git apply <<'EOF'\n--- a/src/app.py\n+++ b/src/app.py\n@@ -1 +1 @@\n-TIMEOUT = 5\n+TIMEOUT = 30\nEOF",
        [("src/app.py", "patch", "TIMEOUT = 5", "TIMEOUT = 30")],
    ),
    (
        "patch -p1 <<'EOF'\n--- a/a.cfg\n+++ b/a.cfg\n@@ -1 +1 @@\n-x\n+y\nEOF",
        [("a.cfg", "patch", "x", "y")],
    ),
    ("patch -p1 < fix.diff", [("<files of fix.diff>", "patch", None, None)]),
    ("git apply /tmp/timeouts.patch", [("<files of /tmp/timeouts.patch>", "patch", None, None)]),
    ("patch -p0 -i changes.patch", [("<files of changes.patch>", "patch", None, None)]),
    # formatters rewrite their files in place: edits flagged as formatting
    ("black src/app.py tests/", [("src/app.py", "format", None, None), ("tests/", "format", None, None)]),
    ("gofmt -w main.go", [("main.go", "format", None, None)]),
    ("npx prettier --write src/app.ts", [("src/app.ts", "format", None, None)]),
    ("rustfmt src/main.rs", [("src/main.rs", "format", None, None)]),
    ("uv run ruff format", [(".", "format", None, None)]),
    ("ruff format src && ruff check src", [("src", "format", None, None)]),
]

NO_MATCH = [
    "cat > /tmp/repro.py <<'EOF'\nx\nEOF",
    "cat > $TMPDIR/scratch.json <<EOF\n{}\nEOF",
    "pytest -q 2>&1 | tee test.log",
    "npm test | tee /tmp/out.txt",
    "sed -n '1,20p' a.go",
    "sed 's/a/b/' x.txt > y.txt",
    "sed -e 's/a/b/' x.txt",
    "echo done",
    "echo $?",
    "pytest > /dev/null 2>&1",
    "pytest -q > out.log 2>&1",
    "go test ./... 2>&1 > test-output.txt",
    "cat src/x.py",
    "cat a.txt b.txt > c.txt",
    "jq . a.json > b.json",
    "grep -r foo . 2> errors.txt",
    "python - <<'EOF'\nprint(open('x.py').read())\nEOF",
    "python train.py > model.txt",
    "ed -s notes.md <<< ',p'",
    "perl -ne 'print if /x/' a.txt",
    "perl -pe 's/a/b/' a.txt",
    "git diff > /dev/null",
    "echo 'sed -i s/a/b/ x' ",
    "curl -s localhost:8080 > /dev/null && echo up",
    "kill $(cat server.pid)",
    "node server.js > server.log 2>&1 &",
    "cp /tmp/a.py /tmp/b.py",
    "cp src/app.py",
    "cp -n a.txt b.txt",
    "rsync -av build/ deploy@host:/srv/app/",
    "install -d build/bin",
    "mv out.log old.log",
    "git checkout main",
    "git checkout -b fix/timeout",
    "git restore --staged src/app.py",
    "git apply --check fix.diff",
    "git apply --stat fix.diff",
    "patch --dry-run -p1 < fix.diff",
    "black --check src",
    "ruff format --diff .",
    "gofmt -l .",
    "prettier --check src/app.ts",
    "cargo fmt --check",
    "ruff check --fix src/app.py",
    "cp x.txt $(mktemp)",
]


def _as_tuples(edits: list[ShellEdit]) -> list[tuple]:
    return [(edit.path, edit.op, edit.old_text, edit.new_text) for edit in edits]


@pytest.mark.parametrize(("command", "expected"), MATCH, ids=[f"match{i}" for i in range(len(MATCH))])
def test_shell_edit_is_found(command, expected):
    assert _as_tuples(shell_edits(command)) == expected


@pytest.mark.parametrize("command", NO_MATCH, ids=[f"no_match{i}" for i in range(len(NO_MATCH))])
def test_no_shell_edit(command):
    assert shell_edits(command) == []


def test_the_table_is_large_enough():
    assert len(MATCH) + len(NO_MATCH) >= 40


def test_the_last_step_is_known():
    first, second = shell_edits("sed -i 's/a/b/' x.cfg && pytest -q; cat > y.py <<'EOF'\nz\nEOF")
    assert (first.path, first.last) == ("x.cfg", False)
    assert (second.path, second.last) == ("y.py", True)


@pytest.mark.parametrize(
    ("command", "exit_code", "is_error", "output", "applied"),
    [
        ("sed -i 's/a/b/' x.cfg", 0, False, "", True),
        ("sed -i 's/a/b/' x.cfg", 2, True, "sed: can't read x.cfg: No such file or directory", False),
        ("sed -i 's/a/b/' x.cfg", 1, True, "", False),  # the edit was the last step and failed
        ("sed -i 's/a/b/' x.cfg && pytest -q", 1, True, "1 failed, 3 passed", True),  # the check failed after it
        ("sed -i 's/a/b/' x.cfg && pytest -q", 2, True, "sed: can't read x.cfg: No such file or directory", False),
        ("cat > src/x.py <<'EOF'\nx\nEOF\npython src/x.py", 1, True, "Traceback ...\nNameError: x", True),
        ("cat > nope/x.py <<'EOF'\nx\nEOF", 1, True, "bash: line 1: nope/x.py: No such file or directory", False),
        ("sed -i 's/a/b/' x.cfg", None, False, None, True),  # no result known
    ],
)
def test_whether_the_edit_happened(command, exit_code, is_error, output, applied):
    [edit] = shell_edits(command)
    assert edit_applied(edit, exit_code, is_error, output) is applied


@pytest.mark.parametrize(
    ("path", "scratch"),
    [("/dev/null", True), ("/tmp/a.py", True), ("run.log", True), ("src/tmp.py", False), ("requirements.txt", False)],
)
def test_scratch_paths(path, scratch):
    assert is_scratch(path) is scratch


def test_replacements_of_a_script_writing_several_files_are_not_guessed():
    script = (
        "python - <<'PY'\nfrom pathlib import Path\na = Path('a.md')\nb = Path('b.md')\n"
        "a.write_text(a.read_text().replace('x', 'y'))\nb.write_text(b.read_text().replace('u', 'v'))\nPY"
    )
    assert _as_tuples(shell_edits(script)) == [("a.md", "script", None, None), ("b.md", "script", None, None)]
