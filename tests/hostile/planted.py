"""Secrets of every kind the hostile campaign planted, each in the text it was found in.

Values are assembled from pieces so this file does not itself look like a leaked key to a
scanner. Each entry is ``(kind, text around the secret, secret)``; a test passes when the
secret is gone from wherever the text was stored or exported.
"""

from __future__ import annotations

_AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYzq9Plant3d"
_STRIPE = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dcQ"
_STRIPE_RESTRICTED = "rk_" + "live_" + "51HgPlantedRestrictedKey0x"
_JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    + "."
    + "eyJzdWIiOiJwbGFudGVkLXVzZXIiLCJpYXQiOjE3MDAwMDAwMDB9"
    + "."
    + "Pl4nt3dSignatur3_kQ9xYzW8vUtSrQpOnMlKjIhGfEdCbA"
)
_SLACK_HOOK_TAIL = "T0PLANT01/" + "B0PLANT02/" + "Pl4nt3dW3bh00kS3cr3tXyZ"
_API_HEADER = "pk_" + "planted_" + "9c8b7a6d5e4f3a2b1c0d"
_SECRET_KEY_BASE = "f3a9c1e7" + "b2d4068a" + "5c7e9f1b3d5a7c9e"
_HF = "hf_" + "PlantedHuggingFaceTokenAbCdEfGhIjK"
_NPM = "npm_" + "PlantedNpmTokenAbCdEfGhIjKlMnOpQrStU"
_KUBE_TOKEN = "kube-" + "planted-bearer-Zx9Yw8Vu7Ts6Rq5Po4"
_KUBE_KEY = "LS0tLS1CRUdJTiBSU0Eg" + "UFJJVkFURSBLRVktLS0tLQpQbGFudGVk"
_GCP_KEY_ID = "9a8b7c6d5e4f" + "3a2b1c0d9e8f7a6b5c4d3e2f1a0b"
_MYSQL = "Pl4ntedMy" + "SqlPassw0rd"
_URL_TOKEN = "Pl4nt3dAccess" + "TokenInUrl99"
_AZURE = "Pl4nt3dAzur3StorageKey" * 4
_AZURE = _AZURE[:86] + "=="
_SQUARE = "sq0csp-" + "Pl4nt3dSquareOAuthSecret" + "AbCdEfGhIjKlMnOpQrS"
_GITLAB = "glpat-" + "Pl4nt3dGitLabTok3n" + "Xy"
_PYPI = "pypi-" + "AgEIcHlwaS5vcmc" + "Pl4nt3dPyPITokenBody" * 4
_SENDGRID = "SG." + "Pl4nt3dSendGridKeyId0" + "x" + "." + "Pl4nt3dSendGridSecretPart" + "AbCdEfGhIjKlMnOpQr"

PLANTED = [
    ("aws_secret_key", f"[default]\naws_access_key_id = AKIA\naws_secret_access_key = {_AWS_SECRET}\n", _AWS_SECRET),
    ("aws_secret_key", f"export AWS_SECRET_ACCESS_KEY={_AWS_SECRET}", _AWS_SECRET),
    ("stripe_key", f"stripe.api_base; Stripe(key='{_STRIPE}')", _STRIPE),
    ("stripe_key", f"RESTRICTED={_STRIPE_RESTRICTED}", _STRIPE_RESTRICTED),
    ("jwt", f"the session cookie was {_JWT} and it expired", _JWT),
    (
        "slack_webhook",
        f"curl -X POST https://hooks.slack.com/services/{_SLACK_HOOK_TAIL} -d @msg.json",
        _SLACK_HOOK_TAIL,
    ),
    ("api_key_header", f"curl -H 'X-API-Key: {_API_HEADER}' https://api.example.com/v1", _API_HEADER),
    ("password", f"SECRET_KEY_BASE={_SECRET_KEY_BASE} bin/rails server", _SECRET_KEY_BASE),
    ("hf_token", f"HF_TOKEN={_HF} huggingface-cli whoami", _HF),
    ("npm_token", f"NPM_TOKEN={_NPM} npm publish", _NPM),
    ("kube_credential", f"users:\n- name: admin\n  user:\n    token: {_KUBE_TOKEN}\n", _KUBE_TOKEN),
    ("kube_credential", f"    client-key-data: {_KUBE_KEY}\n", _KUBE_KEY),
    ("gcp_private_key_id", f'{{"type": "service_account", "private_key_id": "{_GCP_KEY_ID}"}}', _GCP_KEY_ID),
    ("mysql_password", f"mysql -h db -u root -p{_MYSQL} shop < dump.sql", _MYSQL),
    ("azure_storage_key", f"DefaultEndpointsProtocol=https;AccountName=shop;AccountKey={_AZURE[:-2]}==;", _AZURE[:40]),
    ("square_oauth", f"SQUARE_OAUTH={_SQUARE}", _SQUARE),
    ("gitlab_token", f"glab auth login --token {_GITLAB}", _GITLAB),
    ("pypi_token", f"twine upload -p {_PYPI} dist/*", _PYPI),
    ("sendgrid_key", f"sg = SendGridAPIClient({_SENDGRID!r})", _SENDGRID),
    ("url_password", f"git push https://x-access-token:{_URL_TOKEN}@github.com/acme/shop.git", _URL_TOKEN),
]
