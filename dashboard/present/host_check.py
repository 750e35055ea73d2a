"""Which ``Host`` a dashboard request may carry: the defence against DNS rebinding.

A page on an attacker's domain can re-resolve that domain to this machine and then talk to the
dashboard from the victim's own browser; the one thing it cannot fake is the ``Host`` header,
which carries the attacker's name. Bound to one address, Streamlit's ``server.allowedHosts``
refuses such a websocket outright. Bound to every interface (``--host 0.0.0.0``) the machine's
addresses are not all known in advance, so the app checks each session's ``Host`` itself with
:func:`host_allowed` before it reads anything: an IP literal cannot be rebound, a name must be
one this machine is known by (or one given with ``--allow-host``).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

ENV = "DASHCAM_ALLOWED_HOSTS"


def host_name(header: str | None) -> str | None:
    """The name in a ``Host`` header (``[::1]:8501`` -> ``::1``), lower case; None when malformed."""
    if not header:
        return None
    try:
        parts = urlsplit(f"//{header.strip()}")
        _ = parts.port  # a port that is no number makes the header malformed
    except ValueError:
        return None
    if parts.username is not None or parts.path or not parts.hostname:
        return None
    return parts.hostname.lower().rstrip(".")


def host_allowed(header: str | None, allowed: str | None) -> bool:
    """True when the request may be served. ``allowed`` is the space-separated list the
    ``dashboard`` command set; None (the app started some other way) checks nothing."""
    if allowed is None:
        return True
    name = host_name(header)
    if name is None:
        return False
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    return name in allowed.lower().split()
