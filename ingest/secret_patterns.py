"""Provider secret formats, vendored from detect-secrets so the redactor follows a maintained set.

The regexes marked ``detect-secrets`` come from Yelp's detect-secrets 1.5.0
(https://github.com/Yelp/detect-secrets, ``detect_secrets/plugins/*.py``), Copyright (c) 2018 Yelp,
Inc., licensed under the Apache License 2.0 (``ingest/LICENSE.detect-secrets``). They are copied
rather than imported because detect-secrets scans files line by line through its plugin objects:
calling them per text field would cost an order of magnitude more than one combined regex behind a
prefilter (see :mod:`ingest.redact`). Changes from the originals, each so the whole secret is
replaced and nothing around it: word boundaries added, the JWT signature matched greedily (the
original stops after the payload), the AWS secret key matched after its key name rather than
only in quotes, the Slack webhook matched from its host.

The few marked ``dashcam`` cover formats detect-secrets has no plugin for (Hugging Face and npm
access tokens by their prefix, kubeconfig ``token:``/``client-key-data:``, a GCP service account's
``private_key_id``, ``X-API-Key`` style headers, ``mysql -pPASSWORD``).

Each entry is ``kind: (prefilter literals in lower case, regex)``; a regex may name one group
``<kind>_value``, the part replaced (the key name before it stays readable). The regex must be
able to match starting where one of its literals starts.
"""

from __future__ import annotations

PROVIDER_PATTERNS: dict[str, tuple[tuple[str, ...], str]] = {
    # detect-secrets aws.py: secret access key after its name (credentials file, env, config)
    "aws_secret_key": (
        ("aws_secret", "secret_access_key", "secretaccesskey"),
        r"(?i:aws_secret_access_key|aws_secret_key|secret_access_key|secretaccesskey)\\?[\"']?\s*[:=]\s*\\?[\"']?"
        r"(?P<aws_secret_key_value>[0-9a-zA-Z/+]{40})(?![0-9a-zA-Z/+])",
    ),
    # detect-secrets stripe.py
    "stripe_key": (("sk_live_", "rk_live_"), r"\b[rs]k_live_[0-9a-zA-Z]{24,}"),
    # detect-secrets jwt.py (signature part greedy, minimum lengths so "eyJ" in prose is left)
    "jwt": (("eyj",), r"\beyJ[A-Za-z0-9_-]{8,}={0,2}\.[A-Za-z0-9_-]{8,}={0,2}(?:\.[A-Za-z0-9_.+/=-]*)?"),
    # detect-secrets slack.py (webhook)
    "slack_webhook": (
        ("hooks.slack.com/services/",),
        r"hooks\.slack\.com/services/T[a-zA-Z0-9_]+/B[a-zA-Z0-9_]+/[a-zA-Z0-9_]+",
    ),
    # detect-secrets sendgrid.py
    "sendgrid_key": (("sg.",), r"\bSG\.[a-zA-Z0-9_-]{22}\.[a-zA-Z0-9_-]{43}"),
    # detect-secrets square_oauth.py
    "square_oauth": (("sq0csp-",), r"\bsq0csp-[0-9A-Za-z_-]{43}"),
    # detect-secrets gitlab_token.py
    "gitlab_token": (
        ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-"),
        r"\b(?:glpat|gldt|glft|glsoat|glrt)-[A-Za-z0-9_-]{20,50}(?![\w-])",
    ),
    # detect-secrets pypi_token.py
    "pypi_token": (("pypi-ag",), r"\bpypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{70,}"),
    # detect-secrets azure_storage_key.py
    "azure_storage_key": (("accountkey=",), r"AccountKey=(?P<azure_storage_key_value>[a-zA-Z0-9+/=]{88})"),
    # detect-secrets npm.py (.npmrc auth token)
    "npm_token": (
        ("npm_", ":_authtoken="),
        r"\bnpm_[A-Za-z0-9]{36}\b|:_authToken=\s*(?P<npm_token_value>[^\s\"']{8,})",
    ),
    # dashcam: Hugging Face user access token
    "hf_token": (("hf_",), r"\bhf_[A-Za-z0-9]{30,}"),
    # dashcam: kubeconfig user credentials (YAML, unquoted)
    "kube_credential": (
        ("token:", "client-key-data:"),
        r"(?<![\w-])(?:token|client-key-data):[ \t]+[\"']?"
        r"(?P<kube_credential_value>[A-Za-z0-9._~+/=-]{20,})",
    ),
    # dashcam: GCP service-account key id
    "gcp_private_key_id": (
        ("private_key_id",),
        r"private_key_id\\?[\"']?\s*:\s*\\?[\"'](?P<gcp_private_key_id_value>[0-9a-fA-F]{40})",
    ),
    # dashcam: API key headers (curl -H 'X-API-Key: …', httpie, raw HTTP)
    "api_key_header": (
        ("x-api-key", "api-key:", "x-auth-token", "x-access-token:"),
        r"(?i:x-api-key|api-key|x-auth-token|x-access-token)\\?[\"']?\s*:\s*\\?[\"']?"
        r"(?P<api_key_header_value>(?![$<{\[])[A-Za-z0-9._~+/=-]{8,})",
    ),
    # dashcam: mysql/mysqldump/mysqladmin password glued to -p
    "mysql_password": (
        ("mysql",),
        r"\bmysql(?:dump|admin|import|check|sh)?\b[^\n|;&=:]{0,120}?[ \t]-p(?P<mysql_password_value>"
        r"(?![$<{\[])[^\s\"'-][^\s\"']*)",
    ),
}
