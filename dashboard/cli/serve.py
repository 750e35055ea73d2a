"""``dashcam dashboard``: serve the Streamlit app in ``dashboard/web/app.py`` on this machine.

The command resolves the database path the way every command does (``--db``, else
``$DASHCAM_DB``, else the per-user data dir) and hands it to the app in ``$DASHCAM_DB``.
Streamlit replaces this process, so stopping the command stops the server. It binds to
127.0.0.1 unless ``--host`` says otherwise (and warns when it is not a loopback address: the
dashboard has no login), runs headless, sends no usage statistics, and accepts a websocket only
when the browser's ``Host`` is a name this machine is reached by (:func:`allowed_hosts`).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import typer

from dashboard.cli.common import DbOption, err
from dashboard.cli.team import TeamOption, team_db
from dashboard.present import host_check
from dashboard.present.terminal_text import neutral, shown
from ingest.api import StoreError, ensure_current_facts, resolve_db_path

APP = Path(__file__).resolve().parent.parent / "web" / "app.py"
PACKAGE_ROOT = APP.parent.parent.parent


def streamlit_command(host: str, port: int) -> list[str]:
    """The ``streamlit run`` command line serving the app."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine (127.0.0.0/8, ::1, localhost)."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, extra: Sequence[str] = ()) -> list[str]:
    """The names a browser may reach the dashboard by (its ``Host`` header), for Streamlit's
    ``server.allowedHosts``: loopback, the bound address, and when bound to every interface this
    machine's names and addresses. Anything else is refused, so a page on an attacker's domain
    that re-resolves to this machine (DNS rebinding) gets no websocket and no transcript."""
    names = ["localhost", "127.0.0.1", "::1", *extra]
    if ipaddress.ip_address("0.0.0.0") != _address(host) and ipaddress.ip_address("::") != _address(host):
        names.append(host.strip("[]"))
    else:  # every interface: the app checks the Host itself (dashboard/host_check.py)
        names.append(host.strip("[]"))
        machine = socket.gethostname()
        names += [machine, socket.getfqdn()]
        try:
            # an IPv4 or IPv6 socket address starts with the address text
            names += [cast(str, info[4][0]) for info in socket.getaddrinfo(machine, None)]
        except OSError:  # a host name that does not resolve: the names above are enough
            pass
    return list(dict.fromkeys(name.lower() for name in names if name))


def _address(host: str):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def streamlit_environment(db: Path, hosts: Sequence[str] = ()) -> dict[str, str]:
    """This environment plus the database path, the package root importable by the app, and
    the allowed ``Host`` names (Streamlit reads a list option from its variable, space-separated)."""
    env = dict(os.environ)
    env["DASHCAM_DB"] = str(db)
    if hosts:
        env[host_check.ENV] = " ".join(hosts)
        if not any(host in ("0.0.0.0", "::") for host in hosts):
            env["STREAMLIT_SERVER_ALLOWED_HOSTS"] = " ".join(hosts)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")]))
    return env


def _current_facts(path: Path) -> None:
    """Compute the audit facts an ingest deferred before the app reads them (the app itself only
    reads, and says so when facts are still pending: see ``dashboard/web/ui.py``)."""
    try:
        if ensure_current_facts(path):
            typer.echo(neutral("dashcam dashboard: audit facts brought up to date"))
    except StoreError as error:
        err.print(f"[yellow]Audit facts not refreshed:[/] {shown(str(error))}")


def dashboard(
    db: Path | None = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to serve on (0.0.0.0 shares it on the network)."),
    port: int = typer.Option(8501, "--port", help="Port to serve on."),
    team: bool = TeamOption,
    allow_host: list[str] = typer.Option(
        [], "--allow-host", help="Another name browsers use to reach it (a proxy, a DNS name); repeatable."
    ),
) -> None:
    """Serve the team dashboard at http://HOST:PORT (open it in a browser)."""
    db = team_db(db, team)
    path = resolve_db_path(db).resolve()
    if not team and path.exists():
        _current_facts(path)
    typer.echo(neutral(f"dashcam dashboard: http://{host}:{port}  (database {path}; Ctrl-C to stop)"))
    if not is_loopback(host):
        err.print(
            f"[bold yellow]Warning:[/] serving on {shown(host)}: anyone who can reach this machine on port "
            f"{port} can read every transcript in the database, without a password. Use the default "
            "127.0.0.1 (and an SSH tunnel) unless this network is trusted."
        )
    command = streamlit_command(host, port)
    os.execve(command[0], command, streamlit_environment(path, allowed_hosts(host, allow_host)))
