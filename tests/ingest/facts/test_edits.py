"""Edit line changes, apply_patch parsing, verification commands and failure detection."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.facts.edits import (
    edit_line_changes,
    exit_status_hidden,
    is_failure,
    is_patch_text,
    is_verification_command,
    patch_files,
    verification_parts,
)


def test_edit_line_changes() -> None:
    old = "a\nb\nc\nd\n"
    new = "a\nB\nc\nd\ne\n"
    assert edit_line_changes(old, new) == (["B", "e"], ["b"])
    assert edit_line_changes(None, "x\ny") == (["x", "y"], [])
    assert edit_line_changes("x", None) == ([], ["x"])
    assert edit_line_changes("same", "same") == ([], [])


CODEX_PATCH = """*** Begin Patch
*** Add File: hello.txt
+Hello world
+second line
*** Update File: src/app.py
@@ def greet():
 def greet():
-    print("Hi")
+    print("Hello, world!")
     return None
@@ class Worker:
     def run(self):
-        time.sleep(5)
+        time.sleep(10)
*** End of File
*** Delete File: obsolete.txt
*** Update File: src/old_name.py
*** Move to: src/new_name.py
@@
-import os
+import os, sys
*** End Patch"""


def test_patch_files_reads_every_operation() -> None:
    files = patch_files(CODEX_PATCH)
    assert [(file.op, file.path, file.move_to) for file in files] == [
        ("add", "hello.txt", None),
        ("update", "src/app.py", None),
        ("delete", "obsolete.txt", None),
        ("update", "src/old_name.py", "src/new_name.py"),
    ]
    added, updated, deleted, moved = files
    assert (added.old_text, added.new_text, added.added) == (
        "",
        "Hello world\nsecond line",
        ["Hello world", "second line"],
    )
    assert updated.removed == ['    print("Hi")', "        time.sleep(5)"]
    assert updated.added == ['    print("Hello, world!")', "        time.sleep(10)"]
    assert (
        updated.old_text
        == 'def greet():\n    print("Hi")\n    return None\n\n    def run(self):\n        time.sleep(5)'
    )
    assert (
        updated.new_text
        == 'def greet():\n    print("Hello, world!")\n    return None\n\n    def run(self):\n        time.sleep(10)'
    )
    assert (deleted.old_text, deleted.new_text, deleted.added, deleted.removed) == ("", "", [], [])
    assert (moved.removed, moved.added) == (["import os"], ["import os, sys"])


def test_patch_files_reads_a_unified_diff() -> None:
    diff = (
        "diff --git a/pkg/x.go b/pkg/x.go\n"
        "index 123..456 100644\n"
        "--- a/pkg/x.go\n"
        "+++ b/pkg/x.go\n"
        "@@ -1,3 +1,3 @@\n"
        " package x\n"
        "-const wait = 5 * time.Second\n"
        "+const wait = 50 * time.Second\n"
        "--- /dev/null\n"
        "+++ b/new.txt\n"
        "@@ -0,0 +1 @@\n"
        "+hello\n"
    )
    files = patch_files(diff)
    assert [(file.op, file.path) for file in files] == [("update", "pkg/x.go"), ("add", "new.txt")]
    assert files[0].old_text == "package x\nconst wait = 5 * time.Second"
    assert files[0].new_text == "package x\nconst wait = 50 * time.Second"
    assert files[1].added == ["hello"]


@pytest.mark.parametrize("text", ["", "   ", "not a patch at all", "*** Begin Patch\n*** End Patch"])
def test_patch_files_without_files(text: str) -> None:
    assert patch_files(text) == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_patch_files_never_raises(text: str) -> None:
    for file in patch_files("*** Begin Patch\n*** Update File: a.py\n" + text):
        assert file.path == "a.py"


@pytest.mark.parametrize(
    "command",
    [
        "pytest -x tests/",
        "cd /repo && python -m pytest -k lease",
        ".venv/bin/python -m pytest",
        "uv run pytest tests/test_api.py",
        "poetry run pytest",
        "go test ./... -run TestLease -count=1",
        "go vet ./...",
        "go build ./cmd/server",
        "npm test",
        "npm run test:e2e",
        "npm run lint",
        "yarn test --watch=false",
        "pnpm run typecheck",
        "npx jest src/lease.test.ts",
        "npx tsc --noEmit",
        "jest --testTimeout=30000",
        "vitest run",
        "cargo test --all",
        "cargo clippy -- -D warnings",
        "cargo build --release",
        "make test",
        "make",
        "make -C e2e check",
        "tox -e py312",
        "mvn -q test",
        "./gradlew test",
        "gradle build",
        "ruff check .",
        "eslint src/",
        "mypy ingest/",
        "tsc -p .",
        "golangci-lint run",
        "kubectl wait --for=condition=Ready pod/x --timeout=60s",
        "kubectl rollout status deploy/api",
        "helm lint ./chart",
        "dotnet test",
        "bazel test //...",
        "CI=1 timeout 600 pytest",
        "sudo -E go test ./...",
        "bash -c 'cd e2e && go test ./...'",
        "./scripts/test.sh",
        "bash -n deploy.sh",
        "black --check .",
        "docker build -t app .",
        "terraform validate",
        "python -m unittest discover",
        "python manage.py test",
        "pre-commit run --all-files",
        "shellcheck scripts/*.sh",
        "time go test ./pkg/...",
        "./gradlew :core:test --tests '*LedgerBalanceTest'",
        "./gradlew :app:integrationTest",
        "pnpm --filter web test",
        "npm --prefix web run build",
        "yarn workspace web test",
        "kubectl apply -f deploy.yaml",
        "curl -sf http://localhost:8080/healthz",
        "npx cypress run --spec cypress/e2e/checkout.cy.ts",
        "terraform -chdir=infra/edge apply -auto-approve",
        "pulumi up --yes --stack staging",
        "deno task test",
        "php artisan test --filter OrderTest",
        "bundle exec rspec spec/models",
        "flutter test test/widget_test.dart",
        "adb shell am instrument -w com.example.test/androidx.test.runner.AndroidJUnitRunner",
        "nix build .#app",
        "bunx playwright test tests/checkout.spec.ts",
        "task test",
        "just e2e",
        "aws ecs wait services-stable --cluster prod --services api",
        "gh run watch 1234",
        "nc -z localhost 5432",
        "./scripts/deploy.sh staging",
        "mvn -q install -DskipTests=false",
        "helm upgrade --install api ./chart --wait",
        "uv run --with pytest-timeout pytest -q",
        "nix develop -c cargo test",
        "pnpm exec vitest run",
    ],
)
def test_verification_commands(command: str) -> None:
    assert is_verification_command(command)


@pytest.mark.parametrize(
    "command",
    [
        "",
        "ls -la",
        "cat pytest.ini",
        "grep -rn pytest .",
        "pip install pytest",
        "echo 'run go test'",
        "git commit -m 'fix tests'",
        "kubectl get pods",
        "go mod tidy",
        "npm install",
        "npm run dev",
        "black .",
        "sed -i 's/sleep 5/sleep 10/' test.sh",
        "vim tests/test_x.py",
        "python scripts/seed_db.py",
        "docker run --rm app",
        "make clean",
        "curl -sL https://example.com/install.sh",
        "./gradlew :core:dependencies",
        "cd build",
        "rm -rf build dist",
        "test -f build/app.js",
        "npx playwright install chromium",
        "npm ci",
        "docker compose logs api",
        "uv sync",
        "open build/index.html",
        "kubectl rollout restart deploy/api",
        "npm --prefix web install",
        "yarn workspace web add lodash",
    ],
)
def test_not_verification_commands(command: str) -> None:
    assert not is_verification_command(command)


@pytest.mark.parametrize(
    ("command", "parts"),
    [
        (
            "docker compose up -d api && timeout 600 sh -c 'until curl -sf localhost:8080/health; do sleep 1; done' "
            "&& CI=1 pytest tests/e2e -q 2>&1 | tail -20",
            ["pytest tests/e2e -q"],
        ),
        ("bash -lc 'cd e2e && go test ./...'", ["go test ./..."]),
        (
            "kubectl apply -f web.yaml && kubectl rollout status deploy/web --timeout=2m",
            ["kubectl rollout status deploy/web --timeout=2m"],
        ),
        ("sleep 30 && curl localhost:8080", ["curl localhost:8080"]),
        ("terraform apply -auto-approve && curl -sf localhost:8080/health && npm run e2e", ["npm run e2e"]),
    ],
)
def test_verification_parts(command: str, parts: list[str]) -> None:
    assert verification_parts(command) == parts


@pytest.mark.parametrize(
    ("command", "hidden"),
    [
        ("pytest -q 2>&1 | tail -20", True),
        ("npm test 2>&1 | tee out.log | tail -5", True),
        ("set -o pipefail; pytest | tail", False),
        ("cat build.log | tail", False),
        ("pytest || echo failed", True),  # exits 0 when the tests fail: echo's status
        ("./gradlew test; echo done", True),
        ("go test ./... && echo ok", False),
        ("pytest -q || true", True),
        ("npm test; true", True),
        ("go test ./... || :", True),
        ("ls missing || true", False),
        ("pytest -q", False),
    ],
)
def test_exit_status_hidden_by_a_pipe(command: str, hidden: bool) -> None:
    assert exit_status_hidden(command) is hidden


@pytest.mark.parametrize(
    "text,exit_code,is_error,expected",
    [
        ("anything", 1, False, True),
        ("FAILED tests/test_x.py::test_a", 0, False, False),
        ("all good", 0, True, True),
        ("", None, True, True),
        ("=========== 1 failed, 12 passed in 3.21s ===========", None, False, True),
        ("=========== 12 passed, 0 failed in 3.21s ===========", None, False, False),
        ("============ 5 passed in 0.12s ============", None, False, False),
        ("=========== 2 errors in 0.50s ===========", None, False, True),
        (
            "--- FAIL: TestLease (30.00s)\n    lease_test.go:41: not renewed\nFAIL\nFAIL\tgithub.com/x/y\t30.1s",
            None,
            False,
            True,
        ),
        ("ok  \tgithub.com/x/y\t0.412s", None, False, False),
        ("PASS\nok  \tgithub.com/x/y\t0.4s", None, False, False),
        (
            "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:",
            None,
            False,
            True,
        ),
        ('Traceback (most recent call last):\n  File "x.py", line 1\nValueError: bad', None, False, True),
        ("Tests:       1 failed, 4 passed, 5 total", None, False, True),
        ("Tests:       5 passed, 5 total\nTest Suites: 1 passed, 1 total", None, False, False),
        ("test result: FAILED. 3 passed; 1 failed", None, False, True),
        ("test result: ok. 4 passed; 0 failed; 0 ignored", None, False, False),
        ("npm ERR! Test failed.  See above for more details.", None, False, True),
        ("  3 passing (20ms)\n  1 failing", None, False, True),
        ("  3 passing (20ms)", None, False, False),
        ("[INFO] BUILD FAILURE", None, False, True),
        ("BUILD SUCCESSFUL in 4s", None, False, False),
        ("Found 3 errors in 2 files (checked 10 source files)", None, False, True),
        ("Success: no issues found in 12 source files", None, False, False),
        ("All checks passed!", None, False, False),
        ("error: timed out waiting for the condition on pods/x", None, False, True),
        ("pod/x condition met", None, False, False),
        ("src/a.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.", None, False, True),
        ("Error: Cannot find module 'express'", None, False, True),
        ("AssertionError: expected 3 got 2", None, False, True),
        ("curl: (28) Operation timed out after 5001 milliseconds", None, False, True),
        ("bash: foo: command not found", None, False, True),
        ("Ran 4 tests in 0.010s\n\nOK", None, False, False),
        ("Ran 4 tests in 0.010s\n\nFAILED (failures=1)", None, False, True),
        ('deployment "api" successfully rolled out', None, False, False),
        ("0 failed, 0 errors", None, False, False),
        ("test_error_handling PASSED\ntest_failed_login PASSED", None, False, False),
        ("Reading package lists... Done", None, False, False),
        ("", None, False, False),
        (None, None, False, False),
    ],
)
def test_is_failure(text: str | None, exit_code: int | None, is_error: bool, expected: bool) -> None:
    assert is_failure(text, exit_code, is_error) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*** Begin Patch\n*** Update File: a.py\n@@\n-x\n+y\n*** End Patch\n", True),
        ("  *** Begin Patch\n*** Add File: b.py\n+z\n*** End Patch", True),
        ("--- a/src/x.py\n+++ b/src/x.py\n@@ -1 +1 @@\n-a\n+b\n", True),
        ("diff --git a/x b/x\nindex 1..2\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", True),
        ("--- just a markdown rule\nsome notes\n", False),
        ("print('+++ not a header')\n", False),
        ("notes about *** Begin Patch in prose\n", False),
        ("", False),
    ],
)
def test_is_patch_text_is_what_patch_files_reads(text: str, expected: bool) -> None:
    assert is_patch_text(text) is expected
    if expected:
        assert patch_files(text), "a text taken for a patch names files"
