"""Terminal output of the tools the team runs: go test, pytest, jest, kubectl.

Small functions that produce text exactly as those tools print it, so the scenarios can
say "this test failed like so" in one line.
"""

from __future__ import annotations

GO_MODULE = "github.com/acme-data/pgoperator"


def go_ok(*packages: tuple[str, float]) -> str:
    """`go test` summary lines for passing packages."""
    return "\n".join(f"ok  \t{GO_MODULE}/{pkg}\t{secs:.3f}s" for pkg, secs in packages)


def go_fail(
    package: str, test: str, location: str, message: str, test_secs: float, pkg_secs: float, verbose: bool = False
) -> str:
    """A failing `go test` run of one test; with -v the test's log comes before its --- FAIL line."""
    body = "\n".join("        " + line for line in message.split("\n"))
    log = f"    {location}: \n{body}\n"
    result = f"--- FAIL: {test} ({test_secs:.2f}s)\n"
    lines = f"=== RUN   {test}\n{log}{result}" if verbose else f"{result}{log}"
    return f"{lines}FAIL\nFAIL\t{GO_MODULE}/{package}\t{pkg_secs:.3f}s\nFAIL"


def go_pass_verbose(package: str, test: str, test_secs: float, pkg_secs: float) -> str:
    return f"=== RUN   {test}\n--- PASS: {test} ({test_secs:.2f}s)\nPASS\nok  \t{GO_MODULE}/{package}\t{pkg_secs:.3f}s"


def rule(title: str = "", char: str = "=") -> str:
    return f" {title} ".center(80, char) if title else char * 80


def pytest_header(root: str, collected: int) -> str:
    return (
        f"{rule('test session starts')}\nplatform linux -- Python 3.12.7, pytest-8.3.3, pluggy-1.5.0\n"
        f"rootdir: {root}\nconfigfile: pyproject.toml\nplugins: anyio-4.6.2, asyncio-0.24.0\n"
        f"collected {collected} items\n"
    )


def pytest_ok(root: str, files: list[tuple[str, int]], secs: float) -> str:
    """A passing pytest run over several files, with pytest's cumulative percentages."""
    total = sum(n for _, n in files)
    lines = [pytest_header(root, total)]
    done = 0
    for name, count in files:
        done += count
        lines.append(f"{name} {'.' * count}".ljust(73) + f"[{done * 100 // total:>3}%]")
    lines += ["", rule(f"{total} passed in {secs:.2f}s")]
    return "\n".join(lines)


def pytest_fail(root: str, file: str, marks: str, test: str, trace: str, short: str, secs: float) -> str:
    """A pytest run with one failing test in one file (``marks`` like '..F.')."""
    passed = marks.count(".")
    return "\n".join(
        [
            pytest_header(root, len(marks)),
            f"{file} {marks}".ljust(73) + "[100%]",
            "",
            rule("FAILURES"),
            rule(test, "_"),
            "",
            trace,
            rule("short test summary info"),
            f"FAILED {file}::{test} - {short}",
            rule(f"1 failed, {passed} passed in {secs:.2f}s"),
        ]
    )


def jest_result(path: str, suite: str, tests: list[tuple[str, bool, int]], failure: str | None, secs: float) -> str:
    """A jest run of one test file; ``tests`` are (name, passed, ms)."""
    failed = sum(1 for _, ok, _ in tests if not ok)
    status = "FAIL" if failed else "PASS"
    slow = f" ({secs:.3f} s)" if secs > 5 else ""
    lines = [f"{status} {path}{slow}", f"  {suite}"]
    for name, ok, ms in tests:
        lines.append(f"    {'✓' if ok else '✕'} {name} ({ms} ms)")
    if failure:
        lines += ["", failure]
    lines += [
        "",
        f"Test Suites: {'1 failed' if failed else '1 passed'}, 1 total",
        "Tests:       "
        + (f"{failed} failed, " if failed else "")
        + f"{len(tests) - failed} passed, {len(tests)} total",
        "Snapshots:   0 total",
        f"Time:        {secs + 0.4:.3f} s",
        f"Ran all test suites matching /{path.replace('/', chr(92) + '/')}/i.",
    ]
    return "\n".join(lines)
