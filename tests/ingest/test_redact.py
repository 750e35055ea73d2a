"""Secrets are replaced before anything is stored: each kind, the counts, no false positives,
and an ingest of transcripts full of secrets that stores none of them.

Fake secrets are assembled at test time (prefix + body) so this file never holds a string a
secret scanner would take for a live key.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.pipeline import ingest_paths
from ingest.redact import KINDS, redact, redact_bytes
from tests.agent_transcripts import FORMATS, Session, write_session
from tests.hostile.planted import PLANTED

BODY = "Zq7" + "x9Lm2Pq8Rt4Vw6Yz" * 3  # 51 characters of key-like noise


def fake(prefix: str, length: int = 40) -> str:
    return prefix + BODY[:length]


ANTHROPIC = fake("sk-" + "ant-api03-", 60)
OPENAI = fake("sk-" + "proj-", 48)
AWS = "AKIA" + "Q7XW2M5LZ3PN8R4T"
GITHUB = fake("ghp" + "_", 36)
GITHUB_PAT = fake("github" + "_pat_", 40)
SLACK = "xoxb" + "-2741-9931-" + BODY[:18]
GOOGLE = "AIza" + BODY[:35]
BEARER = "eyJ" + BODY[:40]
PRIVATE_KEY = (
    "-----BEGIN RSA "
    + "PRIVATE KEY-----\nMIIEowIBAAKCAQEA"
    + BODY
    + "\n"
    + BODY
    + "\n-----END RSA "
    + "PRIVATE KEY-----"
)
PASSWORD = "hunter2-" + BODY[:10]

EXAMPLES = [
    ("anthropic_key", f"export KEY={ANTHROPIC} # mine", ANTHROPIC),
    ("openai_key", f"client = OpenAI(api_key={OPENAI!r})", OPENAI),
    ("openai_key", f"OPENAI_API_KEY={OPENAI}", OPENAI),
    ("aws_access_key", f"aws_access_key_id = {AWS}", AWS),
    ("github_token", f"git clone https://{GITHUB}@github.com/acme/x.git", GITHUB),
    ("github_token", f"GH_TOKEN {GITHUB_PAT}", GITHUB_PAT),
    ("slack_token", f"curl -d token={SLACK} https://slack.com/api/chat.postMessage", SLACK),
    ("google_api_key", f"https://maps.googleapis.com/maps/api/geocode/json?key={GOOGLE}", GOOGLE),
    ("bearer_token", f"curl -H 'Authorization: Bearer {BEARER}' https://api.example.com", BEARER),
    ("bearer_token", '{\\"Authorization\\": \\"Bearer ' + BEARER + '\\"}', BEARER),
    ("private_key", f"cat id_rsa\n{PRIVATE_KEY}\ndone", BODY),
    ("url_password", f"DATABASE_URL=postgres://app:{PASSWORD}@db.internal:5432/shop", PASSWORD),
    ("password", f'{{"user": "app", "password": "{PASSWORD}"}}', PASSWORD),
    ("password", f"DB_PASSWORD={PASSWORD} psql -h db", PASSWORD),
    ("password", f"mysql --password={PASSWORD} shop", PASSWORD),
    ("password", f"smtp_password = '{PASSWORD}'", PASSWORD),
] + PLANTED

ORDINARY = [
    "sk = 3",
    "task-123 is done",
    "for sk in keys: print(sk)",
    "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
    "password=pw",
    "PASSWORD = os.environ['DB_PASSWORD']",
    "PASSWORD=$PGPASSWORD",
    'password: "${DB_PASSWORD}"',
    "Authorization: Bearer $TOKEN",
    "https://user:${PASS}@host/x",
    "http://localhost:8080/health",
    "git@github.com:acme/shop.git",
    "password_hash = 'e3b0c442'",
    "def check_password(password: str) -> bool:",
    'password = ""',
    "ANTHROPIC_API_KEY: ...",
    "export OPENAI_API_KEY=your-key-here",
    "risk-assessment-framework-version-2",
    'secretName: "db-creds"',
    "kubectl get secret db -o yaml",
    "the token count was 1234",
]


@pytest.mark.parametrize("kind, text, secret", EXAMPLES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(EXAMPLES)])
def test_each_kind_is_replaced_and_counted(kind, text, secret):
    cleaned, counts = redact(text)
    assert secret not in cleaned
    assert f"[REDACTED:{kind}]" in cleaned
    assert counts == {kind: 1}


def test_only_the_password_of_an_assignment_or_url_is_replaced():
    cleaned, _ = redact(f"postgres://app:{PASSWORD}@db:5432/shop and password = '{PASSWORD}'")
    assert cleaned == "postgres://app:[REDACTED:url_password]@db:5432/shop and password = '[REDACTED:password]'"


def test_counts_add_up_over_one_text():
    text = "\n".join(example for _kind, example, _secret in EXAMPLES)
    cleaned, counts = redact(text)
    expected: dict[str, int] = {}
    for kind, _example, _secret in EXAMPLES:
        expected[kind] = expected.get(kind, 0) + 1
    assert dict(counts) == expected
    assert set(counts) == set(KINDS)
    assert all(secret not in cleaned for _kind, _example, secret in EXAMPLES)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_code_is_left_alone(text):
    cleaned, counts = redact(text)
    assert cleaned is text and not counts


def test_raw_bytes_keep_every_other_byte():
    raw = b"\xff\xfe {broken " + AWS.encode() + b" \x80tail"
    cleaned, counts = redact_bytes(raw)
    assert cleaned == b"\xff\xfe {broken [REDACTED:aws_access_key] \x80tail" and counts == {"aws_access_key": 1}


@given(st.text())
def test_redacting_twice_changes_nothing(text):
    once, _ = redact(text)
    twice, counts = redact(once)
    assert twice == once and not counts


@given(st.sampled_from([example for _k, example, _s in EXAMPLES]), st.text(max_size=40), st.text(max_size=40))
def test_a_secret_among_any_text_is_found(example, before, after):
    cleaned, counts = redact(f"{before} {example} {after}")
    assert sum(counts.values()) >= 1 and "[REDACTED:" in cleaned


def secret_session(fmt: str) -> Session:
    return (
        Session(f"secrets-{fmt}", repo="shop")
        .prompt(f"deploy with OPENAI_API_KEY={OPENAI} and the AWS key {AWS}")
        .shell(f"curl -H 'Authorization: Bearer {BEARER}' https://api.example.com/deploy", "ok")
        .shell(
            f"psql postgres://app:{PASSWORD}@db:5432/shop -c 'select 1'",
            'psql: error: password authentication failed for user "app"',
            1,
        )
        .say(f"The private key in the output was:\n{PRIVATE_KEY}")
        .edit("settings.py", "DEBUG = True", f"DEBUG = True\nSLACK = '{SLACK}'\npassword = '{PASSWORD}'")
    )


def stored_text(con) -> str:
    """Every text column of every stored row, as one string."""
    parts = []
    tables = [
        name
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
    ]
    for table in tables:
        columns = [
            name
            for name, kind in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]
            ).fetchall()
            if kind in ("VARCHAR", "BLOB")
        ]
        for column in columns:
            for (value,) in con.execute(f'SELECT "{column}" FROM "{table}"').fetchall():
                if value is not None:
                    parts.append(value.decode("latin-1") if isinstance(value, bytes) else str(value))
    return "\n".join(parts)


@pytest.mark.parametrize("fmt", FORMATS)
def test_ingest_stores_no_secret_and_reports_counts(con, tmp_path, fmt):
    path = write_session(tmp_path / "logs", secret_session(fmt), fmt)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write('{"broken": "' + GITHUB + '"\n')  # an unparsable line keeps its raw bytes
    summary = ingest_paths(con, [tmp_path / "logs"], "ana")
    text = stored_text(con)
    for secret in (OPENAI, AWS, BEARER, PASSWORD, BODY, SLACK, GITHUB):
        assert secret not in text
    assert "[REDACTED:openai_key]" in text and "[REDACTED:github_token]" in text
    assert summary.redactions["aws_access_key"] >= 1 and summary.redactions["url_password"] >= 1
    recorded = dict(con.execute("SELECT kind, count FROM ingest_redactions").fetchall())
    assert recorded == summary.redactions


def test_redaction_changes_no_token_count_or_cost(con, tmp_path):
    clean = Session("clean", repo="shop").prompt("deploy").shell("make deploy", "ok").say("Deployed.")
    dirty = (
        Session("clean", repo="shop")
        .prompt(f"deploy with {OPENAI}")
        .shell(f"make deploy KEY={AWS}", "ok")
        .say(f"Deployed with {GITHUB}.")
    )
    totals = []
    for name, session in (("clean", clean), ("dirty", dirty)):
        write_session(tmp_path / name, session, "claude")
        ingest_paths(con, [tmp_path / name], name)
        totals.append(
            con.execute(
                "SELECT sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cost_usd) FROM usage "
                "WHERE user_name = ?",
                [name],
            ).fetchone()
        )
    assert totals[0] == totals[1]


def test_text_whose_lower_case_is_longer_is_still_redacted():
    text = f"İstanbul deploy: {AWS} and password = '{PASSWORD}'"  # "İ" lower-cases to two characters
    cleaned, counts = redact(text)
    assert AWS not in cleaned and PASSWORD not in cleaned and counts == {"aws_access_key": 1, "password": 1}
