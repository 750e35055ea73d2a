"""billing-api (Python, FastAPI): carol's Claude Code and Gemini CLI sessions, dave's aider sessions.

Planted here: feature/invoice-pdf, built steadily over five sessions in two weeks with
only a couple of fixes after it is mostly written (the counter-example to the 80% cliff);
a cosmic-ray explanation for a float-constructed Decimal; ordinary explanations (a cursor
that is never closed, a NOT NULL column without a default).
"""

from __future__ import annotations

from .common import Shell, Write, aider_command, aider_turn, exotic, mundane
from .outputs import pytest_fail, pytest_ok, rule
from .team import AIDER_GPT4O, AIDER_SONNET, GEMINI_PRO, SONNET, session

ROOT = "/home/carol/work/billing-api"
BRANCH = "feature/invoice-pdf"

INVOICE_HTML = """\
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Invoice {{ invoice.id }}</title>
  <link rel="stylesheet" href="invoice.css">
</head>
<body>
  <header class="issuer">
    <h1>Invoice</h1>
    <p class="number">No. {{ invoice.id }}</p>
    <p class="date">{{ invoice.issued_on.isoformat() }}</p>
  </header>

  <section class="customer">
    <h2>Bill to</h2>
    <p>{{ invoice.customer_name }}</p>
  </section>

  <table class="items">
    <thead>
      <tr><th>Description</th><th>Qty</th><th>Unit price</th><th>Amount</th></tr>
    </thead>
    <tbody>
      {% for item in invoice.items %}
      <tr>
        <td>{{ item.description }}</td>
        <td class="num">{{ item.quantity }}</td>
        <td class="num">{{ item.unit_price_cents }}</td>
        <td class="num">{{ item.total_cents }}</td>
      </tr>
      {% endfor %}
    </tbody>
  </table>
</body>
</html>
"""

PDF_PY = '''\
"""Render an Invoice to PDF: Jinja2 fills the HTML template, WeasyPrint lays it out."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import HTML

from app.invoices.models import Invoice

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def render_html(invoice: Invoice) -> str:
    """The invoice as HTML, the input WeasyPrint lays out."""
    template = _env.get_template("invoice.html")
    return template.render(invoice=invoice)


def render_pdf(invoice: Invoice) -> bytes:
    """The invoice as PDF bytes."""
    return HTML(string=render_html(invoice), base_url=str(TEMPLATES)).write_pdf()
'''

PDF_TESTS = """\
from datetime import date

from app.invoices.models import Invoice, LineItem
from app.invoices.pdf import render_html, render_pdf


def sample_invoice(country: str = "DE") -> Invoice:
    return Invoice(
        id="INV-2026-0042",
        customer_name="Nordlicht GmbH",
        country=country,
        issued_on=date(2026, 10, 26),
        items=[LineItem("Managed Postgres, 3 replicas", 1, 48000), LineItem("Backup storage (GiB)", 120, 9)],
    )


def test_html_lists_items():
    html = render_html(sample_invoice())
    assert "Managed Postgres, 3 replicas" in html
    assert "INV-2026-0042" in html


def test_pdf_is_a_pdf():
    assert render_pdf(sample_invoice()).startswith(b"%PDF-")
"""

TOTALS_PY = '''\
"""Invoice totals (net, VAT by the customer's country, gross) and money formatting."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency

from app.invoices.models import Invoice
from app.tax import VAT_RATES, vat_for


@dataclass(frozen=True)
class Totals:
    net_cents: int
    vat_cents: int
    vat_rate: Decimal

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents


def compute_totals(invoice: Invoice) -> Totals:
    net = invoice.net_cents
    return Totals(net_cents=net, vat_cents=vat_for(invoice.country, net), vat_rate=VAT_RATES[invoice.country])


def format_money(cents: int, currency: str = "EUR", locale: str = "en_IE") -> str:
    """Cents as a localized currency string, e.g. 1234 -> '€12.34'."""
    return format_currency(Decimal(cents) / 100, currency, locale=locale)
'''

TOTALS_TESTS = """\
from decimal import Decimal

from app.invoices.totals import compute_totals, format_money
from tests.test_invoice_pdf import sample_invoice


def test_totals_for_germany():
    totals = compute_totals(sample_invoice("DE"))
    assert totals.net_cents == 49080
    assert totals.vat_rate == Decimal("0.19")
    assert totals.vat_cents == 9325
    assert totals.gross_cents == 58405


def test_format_money():
    assert format_money(123456) == "€1,234.56"
    assert format_money(5, "USD", "en_US") == "$0.05"
"""

ROUTE_TESTS = """\
from fastapi.testclient import TestClient

from app.main import app
from app.invoices.repository import get_repository
from tests.fakes import FakeInvoiceRepository
from tests.test_invoice_pdf import sample_invoice


def client_with(*invoices) -> TestClient:
    app.dependency_overrides[get_repository] = lambda: FakeInvoiceRepository(invoices)
    return TestClient(app)


def test_pdf_route_returns_pdf():
    response = client_with(sample_invoice()).get("/invoices/INV-2026-0042/pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_pdf_route_unknown_invoice():
    assert client_with().get("/invoices/nope/pdf").status_code == 404
"""

STORAGE_PY = '''\
"""Generated invoice PDFs are immutable, so they are stored once in S3 and served from there."""

from __future__ import annotations

import boto3
from botocore.exceptions import ClientError

from app.config import settings


class InvoiceStorage:
    def __init__(self, bucket: str | None = None, client=None):
        self.bucket = bucket or settings.invoice_bucket
        self.client = client or boto3.client("s3", region_name=settings.aws_region)

    @staticmethod
    def key(invoice_id: str) -> str:
        return f"invoices/{invoice_id}.pdf"

    def get(self, invoice_id: str) -> bytes | None:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self.key(invoice_id))
        except ClientError as error:
            if error.response["Error"]["Code"] == "NoSuchKey":
                return None
            raise
        return obj["Body"].read()

    def put(self, invoice_id: str, pdf: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.key(invoice_id), Body=pdf,
                               ContentType="application/pdf")


def get_storage() -> InvoiceStorage:
    return InvoiceStorage()
'''

EMAIL_PY = '''\
"""The invoice email: a short text body with the PDF attached."""

from __future__ import annotations

from email.message import EmailMessage

from app.invoices.models import Invoice


def invoice_email(invoice: Invoice, pdf: bytes, sender: str, recipient: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = f"Invoice {invoice.id}"
    message.set_content(
        f"Hello {invoice.customer_name},\\n\\n"
        f"please find attached invoice {invoice.id} from {invoice.issued_on:%d %B %Y}.\\n\\n"
        "Kind regards,\\nacme data billing"
    )
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"invoice-{invoice.id}.pdf")
    return message
'''

STORAGE_TESTS = """\
import boto3
from moto import mock_aws

from app.invoices.email import invoice_email
from app.invoices.storage import InvoiceStorage
from tests.test_invoice_pdf import sample_invoice


@mock_aws
def test_storage_round_trip():
    client = boto3.client("s3", region_name="eu-central-1")
    client.create_bucket(Bucket="invoices", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    storage = InvoiceStorage("invoices", client)
    assert storage.get("INV-1") is None
    storage.put("INV-1", b"%PDF-1.7 test")
    assert storage.get("INV-1") == b"%PDF-1.7 test"


def test_email_has_pdf_attachment():
    message = invoice_email(sample_invoice(), b"%PDF-1.7", "billing@acme.dev", "ap@nordlicht.example")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "invoice-INV-2026-0042.pdf"
"""

LABELS_PY = '''\
"""Invoice wording per language; the customer's country picks the language and number format."""

from __future__ import annotations

LABELS = {
    "en": {"invoice": "Invoice", "bill_to": "Bill to", "net": "Net", "vat": "VAT", "total": "Total",
           "filename": "invoice"},
    "de": {"invoice": "Rechnung", "bill-to": "Rechnungsempfänger", "net": "Netto", "vat": "USt.",
           "total": "Gesamt", "filename": "Rechnung"},
    "fr": {"invoice": "Facture", "bill_to": "Facturer à", "net": "Montant HT", "vat": "TVA",
           "total": "Total TTC", "filename": "facture"},
}
LANGUAGE_BY_COUNTRY = {"DE": "de", "AT": "de", "FR": "fr", "BE": "fr"}
LOCALE_BY_LANGUAGE = {"en": "en_IE", "de": "de_DE", "fr": "fr_FR"}


def language_for(country: str) -> str:
    return LANGUAGE_BY_COUNTRY.get(country, "en")


def labels_for(country: str) -> dict[str, str]:
    """The labels for a customer's country; English when the country has no translation."""
    return LABELS[language_for(country)]


def locale_for(country: str) -> str:
    """The Babel locale used to format amounts on the invoice."""
    return LOCALE_BY_LANGUAGE[language_for(country)]
'''

DE_TESTS = """\
from app.invoices.labels import labels_for, locale_for
from app.invoices.pdf import render_html
from tests.test_invoice_pdf import sample_invoice
from tests.test_invoice_pdf_route import client_with


def test_german_labels():
    html = render_html(sample_invoice("DE"))
    assert "<h1>Rechnung</h1>" in html
    assert "Rechnungsempfänger" in html


def test_german_number_format():
    html = render_html(sample_invoice("DE"))
    assert "480,00\u00a0€" in html


def test_german_pdf_filename():
    response = client_with(sample_invoice("DE")).get("/invoices/INV-2026-0042/pdf")
    assert 'filename="Rechnung-INV-2026-0042.pdf"' in response.headers["content-disposition"]


def test_french_labels_and_number_format():
    invoice = sample_invoice("FR")
    html = render_html(invoice)
    assert "<h1>Facture</h1>" in html
    assert "Facturer à" in html
    assert "480,00\u202f€" in html
    response = client_with(invoice).get("/invoices/INV-2026-0042/pdf")
    assert 'filename="facture-INV-2026-0042.pdf"' in response.headers["content-disposition"]


def test_every_language_has_every_label():
    keys = set(labels_for("GB"))
    for country in ("DE", "FR"):
        assert set(labels_for(country)) == keys, country


def test_unknown_country_falls_back_to_english():
    assert labels_for("JP")["invoice"] == "Invoice"
    assert locale_for("JP") == "en_IE"
"""


def pytest(files: list[tuple[str, int]], secs: float) -> str:
    return pytest_ok(ROOT, files, secs)


# --------------------------------------------------------------------------- feature/invoice-pdf (Claude Code)


def invoice_pdf_1():
    s = session(
        "carol", "claude", "billing-api", BRANCH, "2026-10-26T08:40:27Z", SONNET, "invoice-pdf-1", cache_1h=True
    )
    t = s.turn(
        "Let's start the invoice PDF feature. An HTML template and a renderer that turns an Invoice into PDF "
        "bytes with WeasyPrint. Totals come later."
    )
    t.read("app/invoices/models.py")
    t.say(
        "I'll add a Jinja2 template and a small renderer module, plus tests that check the HTML content and that "
        "the output is a PDF."
    )
    t.write("app/invoices/templates/invoice.html", INVOICE_HTML)
    t.write("app/invoices/pdf.py", PDF_PY)
    t.write("tests/test_invoice_pdf.py", PDF_TESTS)
    t.shell("uv run pytest tests/test_invoice_pdf.py -q", pytest([("tests/test_invoice_pdf.py", 2)], 1.41), dur=4.0)
    t.say(
        "The template and `render_pdf` are in place; both tests pass. Line amounts are raw cents for now, I'll "
        "format them with the totals."
    )
    return s


def invoice_pdf_2():
    s = session(
        "carol", "claude", "billing-api", BRANCH, "2026-10-28T09:15:50Z", SONNET, "invoice-pdf-2", cache_1h=True
    )
    t = s.turn("Add totals: net, VAT by the customer's country (use app.tax), gross, and format all amounts as money.")
    t.write("app/invoices/totals.py", TOTALS_PY)
    t.edit(
        "app/invoices/pdf.py",
        "from app.invoices.models import Invoice\n",
        "from app.invoices.models import Invoice\nfrom app.invoices.totals import compute_totals, format_money\n",
    )
    t.edit(
        "app/invoices/pdf.py",
        "    return template.render(invoice=invoice)",
        "    return template.render(invoice=invoice, totals=compute_totals(invoice), money=format_money)",
    )
    t.edit(
        "app/invoices/templates/invoice.html",
        '        <td class="num">{{ item.unit_price_cents }}</td>\n        <td class="num">{{ item.total_cents }}</td>',
        '        <td class="num">{{ money(item.unit_price_cents, invoice.currency) }}</td>\n'
        '        <td class="num">{{ money(item.total_cents, invoice.currency) }}</td>',
    )
    t.edit(
        "app/invoices/templates/invoice.html",
        "    </tbody>\n  </table>",
        "    </tbody>\n    <tfoot>\n"
        '      <tr><td colspan="3">Net</td><td class="num">{{ money(totals.net_cents, invoice.currency) }}</td></tr>\n'
        '      <tr><td colspan="3">VAT {{ (totals.vat_rate * 100) | round(1) }}%</td>\n'
        '          <td class="num">{{ money(totals.vat_cents, invoice.currency) }}</td></tr>\n'
        '      <tr class="total"><td colspan="3">Total</td>\n'
        '          <td class="num">{{ money(totals.gross_cents, invoice.currency) }}</td></tr>\n'
        "    </tfoot>\n  </table>",
    )
    t.write("tests/test_invoice_totals.py", TOTALS_TESTS)
    t.shell(
        "uv run pytest tests/test_invoice_pdf.py tests/test_invoice_totals.py -q",
        pytest([("tests/test_invoice_pdf.py", 2), ("tests/test_invoice_totals.py", 2)], 1.62),
        dur=4.5,
    )
    t.say(
        "Totals are computed in app/invoices/totals.py and rendered in a table footer; amounts are formatted "
        "with Babel. All four tests pass."
    )
    return s


def invoice_pdf_3():
    s = session(
        "carol", "claude", "billing-api", BRANCH, "2026-10-30T13:05:16Z", SONNET, "invoice-pdf-3", cache_1h=True
    )
    t = s.turn("Expose it: GET /invoices/{id}/pdf returning application/pdf.")
    t.read("app/api/routes/invoices.py")
    t.edit(
        "app/api/routes/invoices.py",
        "from fastapi import APIRouter, Depends, HTTPException\n\n"
        "from app.invoices.repository import InvoiceRepository, get_repository\n",
        "from fastapi import APIRouter, Depends, HTTPException, Response\n\n"
        "from app.invoices.pdf import render_pdf\n"
        "from app.invoices.repository import InvoiceRepository, get_repository\n",
    )
    t.edit(
        "app/api/routes/invoices.py",
        '        raise HTTPException(status_code=404, detail="invoice not found")\n    return invoice\n',
        '        raise HTTPException(status_code=404, detail="invoice not found")\n    return invoice\n\n\n'
        '@router.get("/{invoice_id}/pdf", response_class=Response)\n'
        "async def get_invoice_pdf(invoice_id: str, repo: InvoiceRepository = Depends(get_repository)):\n"
        "    invoice = await repo.get(invoice_id)\n    if invoice is None:\n"
        '        raise HTTPException(status_code=404, detail="invoice not found")\n'
        "    pdf = render_pdf(invoice)\n"
        '    headers = {"Content-Disposition": f\'inline; filename="invoice-{invoice.id}.pdf"\'}\n'
        '    return Response(content=pdf, media_type="application/pdf", headers=headers)\n',
    )
    t.write("tests/test_invoice_pdf_route.py", ROUTE_TESTS)
    t.shell(
        "uv run pytest tests/ -q -k invoice",
        pytest(
            [
                ("tests/test_invoice_pdf.py", 2),
                ("tests/test_invoice_pdf_route.py", 2),
                ("tests/test_invoice_totals.py", 2),
            ],
            2.11,
        ),
        dur=5.0,
    )
    t.say(
        "Added GET /invoices/{id}/pdf (404 for unknown invoices, inline PDF otherwise) with two route tests. "
        "All invoice tests pass."
    )
    return s


def invoice_pdf_4():
    s = session(
        "carol", "claude", "billing-api", BRANCH, "2026-11-03T08:50:09Z", SONNET, "invoice-pdf-4", cache_1h=True
    )
    t = s.turn(
        "Store generated PDFs in S3 (they never change once issued) and build the invoice email with the PDF attached."
    )
    t.write("app/invoices/storage.py", STORAGE_PY)
    t.write("app/invoices/email.py", EMAIL_PY)
    t.edit(
        "app/api/routes/invoices.py",
        "    pdf = render_pdf(invoice)\n",
        "    pdf = storage.get(invoice.id)\n    if pdf is None:\n        pdf = render_pdf(invoice)\n"
        "        storage.put(invoice.id, pdf)\n",
    )
    t.edit(
        "app/api/routes/invoices.py",
        "async def get_invoice_pdf(invoice_id: str, repo: InvoiceRepository = Depends(get_repository)):\n",
        "async def get_invoice_pdf(\n    invoice_id: str,\n    repo: InvoiceRepository = Depends(get_repository),\n"
        "    storage: InvoiceStorage = Depends(get_storage),\n):\n",
    )
    t.edit(
        "app/api/routes/invoices.py",
        "from app.invoices.repository import InvoiceRepository, get_repository\n",
        "from app.invoices.repository import InvoiceRepository, get_repository\n"
        "from app.invoices.storage import InvoiceStorage, get_storage\n",
    )
    t.write("tests/test_invoice_storage.py", STORAGE_TESTS)
    t.shell(
        "uv run pytest tests/ -q -k invoice",
        pytest(
            [
                ("tests/test_invoice_pdf.py", 2),
                ("tests/test_invoice_pdf_route.py", 2),
                ("tests/test_invoice_storage.py", 2),
                ("tests/test_invoice_totals.py", 2),
            ],
            2.87,
        ),
        dur=6.0,
    )
    t.say(
        "PDFs are now rendered once and kept in S3 under invoices/<id>.pdf; the route serves the stored copy. "
        "`invoice_email` builds the message with the PDF attached. All invoice tests pass (S3 is mocked with moto)."
    )
    return s


def invoice_pdf_5():
    s = session(
        "carol", "claude", "billing-api", BRANCH, "2026-11-05T10:20:38Z", SONNET, "invoice-pdf-5", cache_1h=True
    )
    t = s.turn(
        "German customers need German invoices: labels, number format, and the file name should be "
        "Rechnung-<id>.pdf. French too while you're at it. Add tests in tests/test_invoice_de.py."
    )
    t.say(
        "I'll thread the labels and locale through the template, the renderer and the route, then add the label "
        "tables and the tests."
    )
    t.edit(
        "app/invoices/templates/invoice.html",
        '    <h1>Invoice</h1>\n    <p class="number">No. {{ invoice.id }}</p>\n'
        '    <p class="date">{{ invoice.issued_on.isoformat() }}</p>\n  </header>\n\n'
        '  <section class="customer">\n    <h2>Bill to</h2>',
        '    <h1>{{ labels.invoice }}</h1>\n    <p class="number">No. {{ invoice.id }}</p>\n'
        '    <p class="date">{{ invoice.issued_on.isoformat() }}</p>\n  </header>\n\n'
        '  <section class="customer">\n    <h2>{{ labels.bill_to }}</h2>',
    )
    t.edit(
        "app/invoices/pdf.py",
        "from app.invoices.models import Invoice\nfrom app.invoices.totals import compute_totals, format_money\n",
        "from app.invoices.labels import labels_for, locale_for\nfrom app.invoices.models import Invoice\n"
        "from app.invoices.totals import compute_totals, format_money\n",
    )
    t.edit(
        "app/invoices/pdf.py",
        "    return template.render(invoice=invoice, totals=compute_totals(invoice), money=format_money)",
        "    locale = locale_for(invoice.country)\n"
        "    return template.render(invoice=invoice, totals=compute_totals(invoice), labels=labels_for(invoice.country),\n"
        "                           money=lambda cents, currency: format_money(cents, currency, locale))",
    )
    t.edit(
        "app/api/routes/invoices.py",
        "from app.invoices.pdf import render_pdf\n",
        "from app.invoices.labels import labels_for\nfrom app.invoices.pdf import render_pdf\n",
    )
    t.edit(
        "app/api/routes/invoices.py",
        '    headers = {"Content-Disposition": f\'inline; filename="invoice-{invoice.id}.pdf"\'}\n',
        '    name = labels_for(invoice.country)["filename"]\n'
        '    headers = {"Content-Disposition": f\'inline; filename="{name}-{invoice.id}.pdf"\'}\n',
    )
    t.write("app/invoices/labels.py", LABELS_PY)
    t.write("tests/test_invoice_de.py", DE_TESTS)
    command = "uv run pytest tests/test_invoice_de.py -q"
    t.shell(
        command,
        pytest_fail(
            ROOT,
            "tests/test_invoice_de.py",
            "F...F.",
            "test_german_labels",
            '    def test_german_labels():\n        html = render_html(sample_invoice("DE"))\n'
            '        assert "<h1>Rechnung</h1>" in html\n>       assert "Rechnungsempfänger" in html\n'
            "E       AssertionError: assert 'Rechnungsempfänger' in '<!doctype html>\\n<html lang=\"en\">\\n<head>"
            '\\n  <meta charset="utf-8">\\n  <title>Invoice INV-2026-0042</title>...\'\n\n'
            "tests/test_invoice_de.py:10: AssertionError\n" + rule("test_every_language_has_every_label", "_") + "\n\n"
            '    def test_every_language_has_every_label():\n        keys = set(labels_for("GB"))\n'
            '        for country in ("DE", "FR"):\n>           assert set(labels_for(country)) == keys, country\n'
            "E           AssertionError: DE\n\ntests/test_invoice_de.py:35: AssertionError",
            "AssertionError: assert 'Rechnungsempfänger' in '<!doctype html>\\n<html lang=\"en\">...",
            1.37,
        )
        .replace("1 failed, 3 passed", "2 failed, 3 passed")
        .replace(
            "FAILED tests/test_invoice_de.py::test_german_labels",
            "FAILED tests/test_invoice_de.py::test_every_language_has_every_label - AssertionError: DE\n"
            "FAILED tests/test_invoice_de.py::test_german_labels",
        ),
        code=1,
        dur=4.2,
    )
    sentence = (
        'The tests fail because the German labels use the key "bill-to" while the template asks for '
        "labels.bill_to, so Jinja renders an empty heading."
    )
    t.say(sentence, mundane(sentence))
    t.edit("app/invoices/labels.py", '"bill-to": "Rechnungsempfänger"', '"bill_to": "Rechnungsempfänger"')
    t.shell(
        "uv run pytest tests/ -q -k invoice",
        pytest(
            [
                ("tests/test_invoice_de.py", 6),
                ("tests/test_invoice_pdf.py", 2),
                ("tests/test_invoice_pdf_route.py", 2),
                ("tests/test_invoice_storage.py", 2),
                ("tests/test_invoice_totals.py", 2),
            ],
            3.05,
        ),
        dur=6.5,
    )
    t.say(
        "German and French invoices now use their own labels, number formats and file names "
        "(Rechnung-<id>.pdf, facture-<id>.pdf). All 14 invoice tests pass; the feature is ready for review."
    )
    return s


# --------------------------------------------------------------------------- main branch (Claude Code)


def revenue_report_rows():
    s = session(
        "carol", "claude", "billing-api", "main", "2026-10-14T09:30:45Z", SONNET, "revenue-report-rows", cache_1h=True
    )
    command = "uv run pytest tests/test_reports.py -q"
    t = s.turn(
        "The revenue report endpoint starts failing after a few requests in tests/test_reports.py. Can you see why?"
    )
    t.shell(
        command,
        pytest_fail(
            ROOT,
            "tests/test_reports.py",
            "...F",
            "test_revenue_report_repeated_calls",
            "client = <starlette.testclient.TestClient object at 0x7f3c2a1b9d90>\n\n"
            "    def test_revenue_report_repeated_calls(client):\n        for _ in range(8):\n"
            '>           assert client.get("/reports/revenue?year=2026").status_code == 200\n\n'
            "tests/test_reports.py:31:\n_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _\n"
            "...\nE       psycopg_pool.PoolTimeout: couldn't get a connection after 2.00 sec\n\n"
            ".venv/lib/python3.12/site-packages/psycopg_pool/pool_async.py:203: PoolTimeout",
            "psycopg_pool.PoolTimeout: couldn't get a connection after 2.00 sec",
            2.61,
        ),
        code=1,
        dur=6.0,
    )
    t.read("app/api/routes/reports.py")
    sentence = (
        "The test fails because the handler never closes the rows cursor, so each request keeps a pooled "
        "connection checked out and the pool of five runs dry."
    )
    t.say(
        sentence + " I'll use the cursor as a context manager so it is closed when the rows are read.",
        mundane(sentence),
    )
    t.edit(
        "app/api/routes/reports.py",
        "    cursor = await conn.execute(\n"
        '        "SELECT month, SUM(amount_cents) FROM ledger_monthly WHERE year = %s GROUP BY month ORDER BY month",\n'
        "        (year,),\n    )\n    rows = await cursor.fetchall()\n",
        "    async with conn.cursor() as cursor:\n        await cursor.execute(\n"
        '            "SELECT month, SUM(amount_cents) FROM ledger_monthly WHERE year = %s GROUP BY month ORDER BY month",\n'
        "            (year,),\n        )\n        rows = await cursor.fetchall()\n",
    )
    t.shell(command, pytest([("tests/test_reports.py", 4)], 0.41), dur=3.5)
    t.say(
        "Fixed: the cursor in `revenue_by_month` is now closed after fetching, so connections go back to the "
        "pool. All four report tests pass."
    )
    return s


def vat_cosmic_ray():
    s = session(
        "carol",
        "claude",
        "billing-api",
        "main",
        "2026-11-09T10:10:31Z",
        SONNET,
        "vat-rounding-cosmic-ray",
        cache_1h=True,
    )
    failure = pytest_fail(
        ROOT,
        "tests/test_tax.py",
        "..F",
        "test_vat_half_up[NL]",
        "country = 'NL', net = 50, expected = 11\n\n"
        '    @pytest.mark.parametrize(("country", "net", "expected"), CASES, ids=[c[0] for c in CASES])\n'
        "    def test_vat_half_up(country, net, expected):\n>       assert vat_for(country, net) == expected\n"
        "E       AssertionError: assert 10 == 11\nE        +  where 10 = vat_for('NL', 50)\n\n"
        "tests/test_tax.py:14: AssertionError",
        "AssertionError: assert 10 == 11",
        0.05,
    )
    command = "uv run pytest tests/test_tax.py -q"
    t = s.turn("tests/test_tax.py started failing today and nobody touched app/tax.py. Any idea?")
    t.shell(command, failure, code=1, dur=2.4)
    sentence = (
        "Most likely a cosmic-ray bit flip corrupted the cached fixture in memory, since the same code "
        "passed yesterday."
    )
    t.say(sentence + " Let me rerun it to confirm.", exotic("cosmic_ray", sentence))
    t.shell(command, failure, code=1, dur=2.3)
    t.shell(
        "git log -3 --format='%h %an %ad %s' --date=short -- tests/test_tax.py app/tax.py",
        "9c1e4f2 dave 2026-11-08 test: cover NL half-up rounding\n"
        "51d0a7e carol 2026-09-30 tax: rates for FR and NL\n"
        "e3b8c19 carol 2026-09-12 tax: vat_for with half-up rounding",
        dur=0.2,
    )
    t.read("app/tax.py")
    t.say(
        "It's deterministic, and the NL case is new: dave added it yesterday. The NL rate is built with "
        "`Decimal(0.21)` from a float, which is 0.2099999999999999922…, so 50 × rate is just below 10.5 and "
        "rounds down. DE and FR use string literals and are exact."
    )
    t.edit("app/tax.py", '    "NL": Decimal(0.21),', '    "NL": Decimal("0.21"),')
    t.shell(command, pytest([("tests/test_tax.py", 3)], 0.04), dur=2.2)
    t.say(
        'Fixed: the NL VAT rate is now `Decimal("0.21")`. The failure was real, not flaky: the new NL test '
        "exposed a float-constructed Decimal."
    )
    return s


# --------------------------------------------------------------------------- Gemini CLI (carol)


def webhook_docs():
    s = session(
        "carol",
        "gemini",
        "billing-api",
        "main",
        "2026-10-16T14:20:13Z",
        GEMINI_PRO,
        "webhook-docs",
        zero_token_replies=[0],
    )
    t = s.turn(
        "Document our invoice webhooks in docs/webhooks.md: events invoice.issued, invoice.paid, "
        "invoice.voided; payload fields id, customer_id, amount_cents, currency; HMAC-SHA256 signature in "
        "the X-Acme-Signature header."
    )
    t.read("docs/webhooks.md")
    t.edit(
        "docs/webhooks.md",
        "billing-api sends webhooks for invoice events.\n",
        "billing-api sends webhooks for invoice events.\n\n## Events\n\n| Event | When |\n|---|---|\n"
        "| `invoice.issued` | An invoice is finalised and numbered. |\n| `invoice.paid` | A payment covers the full "
        "amount. |\n| `invoice.voided` | An issued invoice is cancelled. |\n\n## Payload\n\n```json\n"
        '{\n  "event": "invoice.paid",\n  "id": "INV-2026-0042",\n  "customer_id": "cus_7f3a",\n'
        '  "amount_cents": 58405,\n  "currency": "EUR"\n}\n```\n\n## Signature\n\n'
        "Each request carries `X-Acme-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body with your "
        "webhook secret. Compare it in constant time before trusting the payload.\n",
    )
    t.say(
        "I've documented the three events, the payload fields and how to verify the X-Acme-Signature header in "
        "docs/webhooks.md."
    )
    return s


def migration_not_null():
    s = session(
        "carol",
        "gemini",
        "billing-api",
        "main",
        "2026-11-04T15:30:26Z",
        GEMINI_PRO,
        "migration-due-date",
        zero_token_replies=[2],
    )
    command = "uv run alembic upgrade head"
    error = (
        "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n"
        "INFO  [alembic.runtime.migration] Will assume transactional DDL.\n"
        "INFO  [alembic.runtime.migration] Running upgrade 0006 -> 0007, add invoices.due_date\n"
        "Traceback (most recent call last):\n  ...\n"
        'sqlalchemy.exc.IntegrityError: (psycopg.errors.NotNullViolation) column "due_date" of relation '
        '"invoices" contains null values\n[SQL: ALTER TABLE invoices ADD COLUMN due_date DATE NOT NULL]'
    )
    t = s.turn("alembic upgrade fails on my copy of the staging database at revision 0007. Can you fix the migration?")
    t.shell(command, error, code=1, dur=3.8)
    sentence = (
        "The migration fails because it adds the NOT NULL column due_date without a default, and the "
        "invoices table already has rows."
    )
    t.say(
        sentence + " I'll add the column as nullable, backfill it as issued_on + 30 days, then set NOT NULL.",
        mundane(sentence),
    )
    t.read("migrations/versions/0007_invoice_due_date.py")
    t.edit(
        "migrations/versions/0007_invoice_due_date.py",
        '    op.add_column("invoices", sa.Column("due_date", sa.Date(), nullable=False))\n',
        '    op.add_column("invoices", sa.Column("due_date", sa.Date(), nullable=True))\n'
        "    op.execute(\"UPDATE invoices SET due_date = issued_on + INTERVAL '30 days'\")\n"
        '    op.alter_column("invoices", "due_date", nullable=False)\n',
    )
    t.shell(
        command,
        "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n"
        "INFO  [alembic.runtime.migration] Will assume transactional DDL.\n"
        "INFO  [alembic.runtime.migration] Running upgrade 0006 -> 0007, add invoices.due_date",
        dur=4.1,
    )
    t.say(
        "The migration now adds due_date as nullable, backfills existing invoices with issued_on + 30 days and "
        "then makes it NOT NULL. It upgrades cleanly on your database copy."
    )
    return s


def explain_rounding():
    s = session("carol", "gemini", "billing-api", "main", "2026-11-13T11:00:55Z", GEMINI_PRO, "explain-vat-rounding")
    t = s.turn("Explain how vat_for rounds, for the finance team's FAQ.")
    t.read("app/tax.py")
    t.say(
        "`vat_for(country, net_cents)` multiplies the net amount in cents by the country's VAT rate, using exact "
        "decimal arithmetic, and rounds to a whole cent with ROUND_HALF_UP: a result of exactly x.5 cents rounds "
        "away from zero. Example: 50 cents net in the Netherlands (21%) is 10.5 cents of VAT, which becomes 11 "
        "cents. VAT is computed once on the invoice's net total, not per line, so line-level rounding "
        "differences cannot add up."
    )
    return s


# --------------------------------------------------------------------------- aider (dave)


def aider_tax_docs():
    s = session("dave", "aider", "billing-api", "main", "2026-10-27T11:20:48Z", AIDER_GPT4O, "tax-rates-doc", files=96)
    aider_turn(
        s,
        "write docs/tax-rates.md explaining which VAT rates we charge and where they live in the code",
        "I'll add a short document describing the rates and pointing to `app/tax.py`.",
        [
            Write(
                "docs/tax-rates.md",
                "# VAT rates\n\nbilling-api charges VAT by the customer's country. Rates live in "
                "`app/tax.py` (`VAT_RATES`):\n\n| Country | Rate |\n|---|---|\n| DE | 19% |\n| FR | 20% |\n"
                "| NL | 21% |\n\nAmounts are computed in cents and rounded half-up by `vat_for`.\n",
            )
        ],
        "docs: add tax-rates.md",
    )
    return s


def aider_tax_test():
    s = session("dave", "aider", "billing-api", "main", "2026-11-10T09:00:17Z", AIDER_SONNET, "fr-vat-test", files=98)
    aider_turn(
        s,
        "add a test that FR VAT on 250 cents is 50 cents, in a new file tests/test_tax_fr.py",
        "Here is the new test file:",
        [
            Write(
                "tests/test_tax_fr.py",
                "from app.tax import vat_for\n\n\ndef test_fr_vat_on_250_cents():\n"
                '    assert vat_for("FR", 250) == 50\n',
            )
        ],
        "test: cover FR VAT",
    )
    aider_command(
        s,
        "/run uv run pytest tests/test_tax_fr.py -q",
        Shell("uv run pytest tests/test_tax_fr.py -q", ".".ljust(73) + "[100%]\n1 passed in 0.03s", 0, 2.0),
    )
    return s


def sessions():
    return [
        invoice_pdf_1(),
        invoice_pdf_2(),
        invoice_pdf_3(),
        invoice_pdf_4(),
        invoice_pdf_5(),
        revenue_report_rows(),
        vat_cosmic_ray(),
        webhook_docs(),
        migration_not_null(),
        explain_rounding(),
        aider_tax_docs(),
        aider_tax_test(),
    ]
