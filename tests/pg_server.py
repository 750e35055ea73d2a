"""A throwaway PostgreSQL cluster for the team-lake tests: Debian's server binaries, a
temporary data directory, a free port, trust authentication on 127.0.0.1 only.

PostgreSQL refuses to run as root, so when the suite runs as root the cluster is created and
served by an unprivileged account (``nobody``) through ``runuser``. Readiness is a condition:
``pg_isready`` is polled until the server accepts connections, the server dies, or a bound is
reached; never a fixed sleep.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

# The server needs a few seconds to replay its startup on a slow shared machine; the bound only
# stops a broken cluster from hanging the suite.
START_SECONDS = 60
UNPRIVILEGED = "nobody"


def server_binaries() -> Path | None:
    """The newest ``/usr/lib/postgresql/N/bin`` holding ``initdb`` and ``pg_ctl``, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    for initdb in reversed(found):
        folder = Path(initdb).parent
        if (folder / "pg_ctl").exists() and (folder / "pg_isready").exists():
            return folder
    if shutil.which("initdb") and shutil.which("pg_ctl") and shutil.which("pg_isready"):
        return Path(shutil.which("initdb")).parent
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PostgresCluster:
    bin_dir: Path
    root: Path
    port: int
    user: str = "dashcam"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{database}"

    def _run_as(self) -> list[str]:
        return ["runuser", "-u", UNPRIVILEGED, "--"] if os.geteuid() == 0 else []

    def _command(self, name: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            self._run_as() + [str(self.bin_dir / name), *args], check=check, capture_output=True, text=True
        )

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, UNPRIVILEGED)
        self._command("initdb", "-D", str(self.data_dir), "-U", self.user, "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._command(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.root / "server.log"),
            "-o",
            options,
            "-t",
            str(START_SECONDS),
            "start",
            "-w",
        )
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            probe = self._command("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-t", "2", check=False)
            if probe.returncode == 0:
                return
            if not (self.data_dir / "postmaster.pid").exists() and probe.returncode == 2:
                raise RuntimeError(f"PostgreSQL did not start: {self.log_tail()}")
        raise TimeoutError(f"PostgreSQL did not accept connections within {START_SECONDS} s: {self.log_tail()}")

    def create_database(self, name: str) -> str:
        self._command("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name)
        return self.url(name)

    def log_tail(self) -> str:
        log = self.root / "server.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else "(no server log)"

    def stop(self) -> None:
        self._command("pg_ctl", "-D", str(self.data_dir), "stop", "-m", "fast", "-w", check=False)
