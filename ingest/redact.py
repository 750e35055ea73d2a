"""Secret redaction: every text field is passed through :func:`redact` before it is stored or
exported, so API keys, tokens, private keys and passwords never reach the database or a bundle.

Every kind of secret starts with a literal (``sk-``, ``AKIA``, ``-----BEGIN``, ``://``,
``password``…). One precompiled regex finds those literals in the lowered text; the combined
pattern (one named group per kind) is then tried only where one starts, anchored there. Text
without any is returned as it came (the same object), so the common case costs one search of
the lowered text; running the combined pattern over whole texts instead was 5x slower and
took a quarter of the ingest time. Each secret is replaced by ``[REDACTED:<kind>]`` (for
passwords and tokens after a key name only the value is), and the marker never matches
again, so redacting twice changes nothing. Numbers are never touched: token counts and costs
come from usage fields, not from text.

Kinds: ``anthropic_key`` (sk-ant-…), ``openai_key`` (sk-…, sk-proj-…), ``aws_access_key``
(AKIA…/ASIA…), ``github_token`` (ghp_/gho_/ghs_/ghu_/ghr_…, github_pat_…), ``slack_token``
(xoxb-/xoxp-/xoxa-/xoxr-/xoxs-…), ``google_api_key`` (AIza…), ``bearer_token`` (the token of an
``Authorization: Bearer …`` header), ``private_key`` (a ``-----BEGIN … PRIVATE KEY-----`` block
to its END line, or to the end of the base64 when cut off), ``url_password``
(``scheme://user:password@host``), ``password`` (``password=…``, ``"password": "…"``,
``--password=…``, ``DB_PASSWORD=…``, ``SECRET_KEY_BASE=…``; also secret, token and api-key
assignments), and the provider formats of :mod:`ingest.secret_patterns` (vendored from
detect-secrets: AWS secret keys, Stripe, JWT, Slack webhooks, SendGrid, GitLab, PyPI, npm,
Hugging Face, kubeconfig credentials, GCP key ids, API key headers, ``mysql -pPASSWORD``).

What is deliberately not redacted: shell variables and placeholders (``$TOKEN``, ``${PW}``,
``<password>``, ``****``, ``...``, ``your-key-here``), lowercase unquoted ``password=pw`` (a
keyword argument naming a variable) and unquoted YAML ``password: value`` (indistinguishable
from a type annotation).
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.secret_patterns import PROVIDER_PATTERNS

MARKER = "[REDACTED:{kind}]"

# A key name ending in one of these words names a secret; matched case-insensitively when the
# value is quoted, in capitals only when it is not (environment variables).
_SECRET_WORDS = r"(?:password|passwd|passphrase|secret|api_?key|access_?token|auth_?token|private_?key)"
_ENV_SECRET_WORDS = r"(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|API_?KEY|ACCESS_?TOKEN|AUTH_?TOKEN|PRIVATE_?KEY)"
# A value that is a literal: not a variable, template, earlier marker or placeholder
# (``...``, ``your-key-here``, ``votre-clé-ici``, ``<key>``, ``****``).
# More name after the secret word (``SECRET_KEY_BASE``, ``PASSWORD_PROD``), as detect-secrets'
# keyword plugin allows (its ``AFFIX_REGEX``).
_NAME_REST = r"[A-Za-z0-9_]{0,40}"
_LITERAL_START = r"(?![$<{%*\[]|\.\.\.|(?i:your|votre|example|placeholder|changeme|xxx))"

_PATTERNS = {
    "private_key": (
        r"-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY(?: BLOCK)?-----"
        r"(?:[\s\S]{0,20000}?-----END[A-Z0-9 ]{0,40} PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\\\s]*)"
    ),
    "anthropic_key": r"\bsk-ant-[A-Za-z0-9_-]{20,}",
    "openai_key": r"\bsk-(?:proj-|svcacct-|admin-)?(?=[A-Za-z0-9_-]{0,200}\d)[A-Za-z0-9_-]{32,}",
    "aws_access_key": r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
    "github_token": r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})",
    "slack_token": r"\bxox[abposr]-[A-Za-z0-9-]{10,}",
    "google_api_key": r"\bAIza[0-9A-Za-z_-]{35}",
    "bearer_token": (
        r"(?i:authorization)\\?[\"']?\s*[:=]\s*\\?[\"']?\s*(?i:bearer)\s+"
        r"(?P<bearer_token_value>[A-Za-z0-9._~+/-]{8,}=*)"
    ),
    "url_password": (  # found at its "://", after a scheme
        r"(?<=[a-zA-Z0-9])://[^\s:/@\"'<>]{0,100}:"
        r"(?P<url_password_value>(?![$*<{\[])[^\s@/\"'<>]{1,200})@"
    ),
    **{kind: pattern for kind, (_, pattern) in PROVIDER_PATTERNS.items()},
    "password": (
        # quoted value, any case:  password = "x"   "password": "x"   api_key='x'   \"db_password\": \"x\"
        r"(?i:" + _SECRET_WORDS + r")\\?[\"']?\s*[:=]\s*\\?(?P<password_quote>[\"'])"
        r"(?P<password_value>" + _LITERAL_START + r"[^\"'\\\s]{1,200})\\?(?P=password_quote)"
        # unquoted value, found at the key word: DB_PASSWORD=x   PGPASSWORD: x   --password x
        # --db-password=x   ?password=x&
        r"|(?:" + _ENV_SECRET_WORDS + _NAME_REST + r"\s?[=:]\s?|(?<=--)(?i:" + _SECRET_WORDS + r")[= ]"
        r"|(?<=-)(?i:" + _SECRET_WORDS + r")=|(?<=[?&])(?i:" + _SECRET_WORDS + r")=)"
        r"(?P<password_bare>" + _LITERAL_START + r"[^\s\"'&;,()\[\]{}]{1,200}+)(?![(\[])"
    ),
}

# A secret at the start of a line inside a JSON string follows an escaped newline (``\\nsk-…``),
# where ``\b`` sees no boundary between ``n`` and the key: a leading ``\b`` accepts that too.
_PATTERNS = {
    kind: re.sub(r"\\b(?=[A-Za-z(\[])", lambda _: r"(?:(?<=\\[nrt])|\b)", pattern)
    for kind, pattern in _PATTERNS.items()
}
_COMBINED = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _PATTERNS.items()))
# Where a match of _COMBINED can start, in lower case. Scanning the lowered text for these runs
# at about 70 MB/s on transcripts.
_START_LITERALS = (
    "sk-",
    "akia",
    "asia",
    *(f"gh{c}_" for c in "pousr"),
    "github_pat_",
    *(f"xox{c}-" for c in "abposr"),
    "aiza",
    "-----begin",
    "authorization",
    "://",
    "passw",
    "passphrase",
    "secret",
    *(
        f"{word}{sep}{rest}"
        for word, rest in (("api", "key"), ("access", "token"), ("auth", "token"), ("private", "key"))
        for sep in ("_", "")
    ),
    *(literal for literals, _ in PROVIDER_PATTERNS.values() for literal in literals),
)


def _trie(literals) -> str:
    """One regex matching any of ``literals``, as a trie: Python's re tries an alternation branch
    by branch at every position, so 50 flat literals scanned at 12 MB/s; sharing prefixes keeps
    the prefilter near the speed of the short list it started as."""
    heads: dict[str, list[str]] = {}
    ends = False
    for literal in literals:
        if literal:
            heads.setdefault(literal[0], []).append(literal[1:])
        else:
            ends = True
    if not heads:
        return ""
    branches = [re.escape(head) + _trie(rests) for head, rests in sorted(heads.items())]
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


_STARTS = re.compile(_trie(sorted(set(_START_LITERALS))))
# A password-style value that is itself a known kind of key is counted as that kind.
_KNOWN_TOKEN = re.compile(
    "|".join(
        f"(?P<{kind}>{pattern})"
        for kind, pattern in _PATTERNS.items()
        if kind not in ("bearer_token", "url_password", "password") and f"(?P<{kind}_value>" not in pattern
    )
)
# Within a match, the part that is replaced; the rest (key name, user, scheme) stays readable.
_VALUE_GROUPS = {
    "bearer_token": ("bearer_token_value",),
    "url_password": ("url_password_value",),
    "password": ("password_value", "password_bare"),
    **{kind: (f"{kind}_value",) for kind, (_, pattern) in PROVIDER_PATTERNS.items() if f"(?P<{kind}_value>" in pattern},
}

KINDS = tuple(_PATTERNS)


def redact(text: str | None) -> tuple[str | None, Counter]:
    """``text`` with every secret replaced by a marker, and how many of each kind were found."""
    counts: Counter = Counter()
    if not text:
        return text, counts
    pieces, done = [], 0
    for match in _secrets(text):
        kind, (start, end) = _replaced_span(match)
        counts[kind] += 1
        pieces += [text[done:start], MARKER.format(kind=kind)]
        done = end
    if not pieces:
        return text, counts
    pieces.append(text[done:])
    return "".join(pieces), counts


def _secrets(text: str):
    """Matches of _COMBINED, tried only where one of _STARTS begins, left to right, not overlapping."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two: positions would not line up
        yield from _COMBINED.finditer(text)
        return
    covered = 0
    for start in _STARTS.finditer(lowered):
        if start.start() < covered:
            continue
        match = _COMBINED.match(text, start.start())
        if match is not None:
            covered = match.end()
            yield match


def _replaced_span(match: re.Match) -> tuple[str, tuple[int, int]]:
    """The kind of secret and the span to replace: the whole match, or only the value after a key
    name (counted as the kind of key the value is, when it is one)."""
    kind = match.lastgroup
    # every alternative of the combined pattern is a named group, so a match always names one
    assert kind is not None
    value = next((group for group in _VALUE_GROUPS.get(kind, ()) if match.group(group) is not None), None)
    if value is None:
        return kind, match.span()
    known = _KNOWN_TOKEN.fullmatch(match.group(value))
    known_kind = known.lastgroup if known else kind
    assert known_kind is not None  # _KNOWN_TOKEN's alternatives are all named groups too
    return known_kind, match.span(value)


def redact_bytes(raw: bytes) -> tuple[bytes, Counter]:
    """:func:`redact` on raw bytes (a line that could not be decoded): latin-1 maps every byte to
    one character and back, so the bytes around a secret are kept exactly."""
    if not raw:
        return raw, Counter()
    text, counts = redact(raw.decode("latin-1"))
    assert text is not None  # redact returns a str for a non-empty str
    return (text.encode("latin-1") if counts else raw), counts


def redact_values(values: list, counts: Counter) -> list:
    """Each string of ``values`` redacted (None and non-strings kept); ``counts`` is updated."""
    cleaned = []
    for value in values:
        if isinstance(value, str):
            value, found = redact(value)
            if found:
                counts.update(found)
        cleaned.append(value)
    return cleaned


def counts_text(counts: dict[str, int]) -> str:
    """``3  (openai_key: 2, password: 1)``, for summaries."""
    total = sum(counts.values())
    return f"{total}" + (f"  ({', '.join(f'{k}: {n}' for k, n in sorted(counts.items()))})" if total else "")


# Columns kept as they are: the file a row came from is its identity in the ledger and in the
# deletes that make re-reading a file idempotent (a secret in a folder name is the one thing the
# database keeps; it is a name the user chose for their disk, not transcript content).
IDENTITY_COLUMNS = frozenset({"source_path"})


# Short values repeat on every row of a file (session id, project, branch, model, role, title):
# their verdicts are remembered, so each is scanned once per process instead of once per row.
# The counts are still added once per row, as if scanned again.
MEMO_MAX_CHARS = 256
MEMO_ENTRIES = 65_536
_verdicts: dict[str, tuple[str, Counter | None]] = {}


def _redact_short(value: str) -> tuple[str, Counter | None]:
    verdict = _verdicts.get(value)
    if verdict is None:
        cleaned, found = redact(value)
        assert cleaned is not None  # a str in, a str out
        verdict = (cleaned, found or None)
        if len(_verdicts) >= MEMO_ENTRIES:
            _verdicts.clear()
        _verdicts[value] = verdict
    return verdict


def redact_row(row: dict, counts: Counter, keep: frozenset = IDENTITY_COLUMNS) -> dict:
    """``row`` with every string value redacted in place (but the ``keep`` columns); ``counts`` updated.

    The one place stored rows are cleaned: every text column of every table passes here, whatever
    its name, so a column added later is redacted without anyone remembering to."""
    for key, value in row.items():
        if isinstance(value, str) and key not in keep:
            cleaned, found = _redact_short(value) if len(value) <= MEMO_MAX_CHARS else redact(value)
            if found:
                counts.update(found)
                row[key] = cleaned
    return row


def redact_json(value, counts: Counter):
    """Every string (keys kept) inside a JSON-like value redacted: a reader's saved state."""
    if isinstance(value, str):
        cleaned, found = redact(value)
        counts.update(found)
        return cleaned
    if isinstance(value, dict):
        return {key: redact_json(item, counts) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_json(item, counts) for item in value]
    return value


def redact_arrow(frame, counts: Counter, keep: frozenset = frozenset()):
    """An Arrow table with every string column redacted (but ``keep``): bundles, on the way out and in."""
    import pyarrow as pa  # only the bundle code passes Arrow tables

    for index, field in enumerate(frame.schema):
        if field.name in keep or not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            continue
        values = redact_values(frame.column(index).to_pylist(), counts)
        frame = frame.set_column(index, field.name, pa.array(values, field.type))
    return frame
