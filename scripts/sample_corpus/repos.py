"""The team's four repositories as they stand on 2026-10-05, before the first session.

Only files that the sessions read or edit are listed; the sessions' edits must match these
texts exactly, so a file here is the single place its starting content is defined.
"""

from __future__ import annotations

PGOPERATOR = {
    "Makefile": """\
IMG ?= ghcr.io/acme-data/pgoperator:dev
ENVTEST_K8S_VERSION = 1.31.0
LOCALBIN ?= $(shell pwd)/bin

.PHONY: generate
generate: controller-gen
\t$(CONTROLLER_GEN) object:headerFile="hack/boilerplate.go.txt" paths="./..."

.PHONY: manifests
manifests: controller-gen
\t$(CONTROLLER_GEN) rbac:roleName=manager-role crd webhook paths="./..." output:crd:artifacts:config=config/crd/bases

.PHONY: test
test: manifests generate envtest
\tKUBEBUILDER_ASSETS="$(shell $(ENVTEST) use $(ENVTEST_K8S_VERSION) --bin-dir $(LOCALBIN) -p path)" \\
\t\tgo test ./... -coverprofile cover.out -timeout 300s

.PHONY: e2e-smoke
e2e-smoke:
\t./hack/e2e-setup.sh
\tkubectl apply -f config/samples/pg_v1alpha1_postgrescluster.yaml
\tkubectl wait --for=condition=Ready pod/pg-smoke-0 --timeout=180s
\tkubectl exec pg-smoke-0 -c backup-agent -- bash -c 'pgbackrest --stanza=main check'

.PHONY: envtest
envtest:
\ttest -s $(LOCALBIN)/setup-envtest || GOBIN=$(LOCALBIN) go install sigs.k8s.io/controller-runtime/tools/setup-envtest@latest
""",
    "controllers/postgrescluster_controller.go": """\
package controllers

import (
\t"context"
\t"time"

\tappsv1 "k8s.io/api/apps/v1"
\t"k8s.io/apimachinery/pkg/runtime"
\tctrl "sigs.k8s.io/controller-runtime"
\t"sigs.k8s.io/controller-runtime/pkg/client"
\t"sigs.k8s.io/controller-runtime/pkg/log"

\tpgv1alpha1 "github.com/acme-data/pgoperator/api/v1alpha1"
)

// PostgresClusterReconciler reconciles a PostgresCluster object.
type PostgresClusterReconciler struct {
\tclient.Client
\tScheme *runtime.Scheme
}

//+kubebuilder:rbac:groups=pg.acme.dev,resources=postgresclusters,verbs=get;list;watch;create;update;patch;delete
//+kubebuilder:rbac:groups=pg.acme.dev,resources=postgresclusters/status,verbs=get;update;patch
//+kubebuilder:rbac:groups=apps,resources=statefulsets,verbs=get;list;watch;create;update;patch;delete

// Reconcile drives a PostgresCluster towards its spec: StatefulSet, services, then status.
func (r *PostgresClusterReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
\tlogger := log.FromContext(ctx)

\tvar cluster pgv1alpha1.PostgresCluster
\tif err := r.Get(ctx, req.NamespacedName, &cluster); err != nil {
\t\treturn ctrl.Result{}, client.IgnoreNotFound(err)
\t}

\tsts, err := r.desiredStatefulSet(&cluster)
\tif err != nil {
\t\treturn ctrl.Result{}, err
\t}
\tif err := r.applyStatefulSet(ctx, sts); err != nil {
\t\tlogger.Error(err, "apply statefulset", "cluster", req.NamespacedName)
\t\treturn ctrl.Result{}, err
\t}

\tready, err := r.replicasReady(ctx, &cluster)
\tif err != nil {
\t\treturn ctrl.Result{}, err
\t}
\tif !ready {
\t\t// Replicas are still starting; look again shortly.
\t\treturn ctrl.Result{RequeueAfter: 30 * time.Second}, nil
\t}

\tcluster.Status.Phase = pgv1alpha1.PhaseReady
\tcluster.Status.ReadyReplicas = cluster.Spec.Replicas
\treturn ctrl.Result{}, r.Status().Update(ctx, &cluster)
}

// SetupWithManager registers the reconciler and the objects it owns.
func (r *PostgresClusterReconciler) SetupWithManager(mgr ctrl.Manager) error {
\treturn ctrl.NewControllerManagedBy(mgr).
\t\tFor(&pgv1alpha1.PostgresCluster{}).
\t\tOwns(&appsv1.StatefulSet{}).
\t\tComplete(r)
}
""",
    "api/v1alpha1/postgrescluster_types.go": """\
package v1alpha1

import (
\tmetav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PostgresClusterSpec is the desired state of a PostgresCluster.
type PostgresClusterSpec struct {
\t// Replicas is the number of Postgres instances, one primary and the rest streaming replicas.
\tReplicas int32 `json:"replicas"`
\t// Version is the Postgres major version, e.g. "16".
\tVersion string `json:"version"`
\t// Storage is the size of each instance's data volume.
\tStorage string `json:"storage"`
}

// PostgresClusterStatus is the observed state of a PostgresCluster.
type PostgresClusterStatus struct {
\tPhase         Phase  `json:"phase,omitempty"`
\tReadyReplicas int32  `json:"readyReplicas,omitempty"`
\tPrimary       string `json:"primary,omitempty"`
}

//+kubebuilder:object:root=true
//+kubebuilder:subresource:status

// PostgresCluster is a highly available Postgres deployment.
type PostgresCluster struct {
\tmetav1.TypeMeta   `json:",inline"`
\tmetav1.ObjectMeta `json:"metadata,omitempty"`

\tSpec   PostgresClusterSpec   `json:"spec,omitempty"`
\tStatus PostgresClusterStatus `json:"status,omitempty"`
}
""",
    "images/backup-agent/Dockerfile": """\
FROM alpine:3.20

RUN apk add --no-cache pgbackrest postgresql16-client ca-certificates \\
    && addgroup -S backup && adduser -S backup -G backup

COPY entrypoint.sh /usr/local/bin/entrypoint.sh
USER backup
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
""",
    "config/pgbouncer/deployment.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: pgbouncer
  labels:
    app: pgbouncer
spec:
  replicas: 2
  selector:
    matchLabels:
      app: pgbouncer
  template:
    metadata:
      labels:
        app: pgbouncer
    spec:
      containers:
        - name: pgbouncer
          image: ghcr.io/acme-data/pgbouncer:1.23.1
          ports:
            - containerPort: 6432
          env:
            - name: MAX_CLIENT_CONN
              value: "400"
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
            limits:
              memory: 128Mi
""",
    "hack/e2e-setup.sh": """\
#!/usr/bin/env bash
set -euo pipefail

CLUSTER=${CLUSTER:-pgoperator-e2e}

kind get clusters | grep -qx "$CLUSTER" || kind create cluster --name "$CLUSTER" --wait 60s
make docker-build IMG=pgoperator:e2e
kind load docker-image pgoperator:e2e --name "$CLUSTER"
make deploy IMG=pgoperator:e2e

# give the controller a moment to start
sleep 5

kubectl -n pgoperator-system get pods
""",
    "CHANGELOG.md": """\
# Changelog

## v0.7.0 - 2026-09-21

- PostgresCluster: streaming replicas with synchronous commit option.
- pgbouncer sidecar deployment in config/pgbouncer.
""",
}

BILLING_API = {
    "app/api/routes/reports.py": '''\
from fastapi import APIRouter, Depends

from app.db import get_conn

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/revenue")
async def revenue_by_month(year: int, conn=Depends(get_conn)):
    """Monthly revenue for a year, in cents, straight from the ledger view."""
    cursor = await conn.execute(
        "SELECT month, SUM(amount_cents) FROM ledger_monthly WHERE year = %s GROUP BY month ORDER BY month",
        (year,),
    )
    rows = await cursor.fetchall()
    return [{"month": month, "amount_cents": total} for month, total in rows]
''',
    "app/tax.py": '''\
from decimal import ROUND_HALF_UP, Decimal

VAT_RATES = {
    "DE": Decimal("0.19"),
    "FR": Decimal("0.20"),
    "NL": Decimal(0.21),
}


def vat_for(country: str, net_cents: int) -> int:
    """VAT in cents for a net amount, rounded half-up like the invoices show it."""
    rate = VAT_RATES[country]
    return int((Decimal(net_cents) * rate).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
''',
    "app/invoices/models.py": """\
from dataclasses import dataclass, field
from datetime import date


@dataclass
class LineItem:
    description: str
    quantity: int
    unit_price_cents: int

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass
class Invoice:
    id: str
    customer_name: str
    country: str
    issued_on: date
    items: list[LineItem] = field(default_factory=list)
    currency: str = "EUR"

    @property
    def net_cents(self) -> int:
        return sum(item.total_cents for item in self.items)
""",
    "app/api/routes/invoices.py": """\
from fastapi import APIRouter, Depends, HTTPException

from app.invoices.repository import InvoiceRepository, get_repository

router = APIRouter(prefix="/invoices", tags=["invoices"])


@router.get("/{invoice_id}")
async def get_invoice(invoice_id: str, repo: InvoiceRepository = Depends(get_repository)):
    invoice = await repo.get(invoice_id)
    if invoice is None:
        raise HTTPException(status_code=404, detail="invoice not found")
    return invoice
""",
    "migrations/versions/0007_invoice_due_date.py": '''\
"""add invoices.due_date

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade():
    op.add_column("invoices", sa.Column("due_date", sa.Date(), nullable=False))


def downgrade():
    op.drop_column("invoices", "due_date")
''',
    "docs/webhooks.md": """\
# Webhooks

billing-api sends webhooks for invoice events.
""",
}

WEB_DASHBOARD = {
    "src/lib/format.ts": """\
export function formatCurrency(cents: number, currency = 'EUR', locale = 'de-DE'): string {
  const amount = Math.round(cents) / 100;
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Math.round(amount));
}

export function formatPercent(value: number, locale = 'de-DE'): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
}
""",
    "src/lib/dates.ts": """\
import { formatInTimeZone } from 'date-fns-tz';

/** The calendar day (YYYY-MM-DD) a usage sample belongs to, as the billing reports count it. */
export function usageDay(timestamp: string): string {
  const d = new Date(timestamp);
  const month = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${month}-${day}`;
}

export function formatLocal(timestamp: string, tz: string): string {
  return formatInTimeZone(new Date(timestamp), tz, 'yyyy-MM-dd HH:mm');
}
""",
    "src/api/releases.ts": """\
const GITHUB = 'https://api.github.com';

export interface Release {
  tag_name: string;
  name: string;
  published_at: string;
  body: string;
}

export async function fetchReleases(repo: string, token?: string): Promise<Release[]> {
  const res = await fetch(`${GITHUB}/repos/${repo}/releases?per_page=20`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) {
    throw new Error(`GitHub releases request failed: ${res.status}`);
  }
  return (await res.json()) as Release[];
}
""",
    "src/components/Header.tsx": """\
import { Link } from 'react-router-dom';

export function Header() {
  return (
    <header className="app-header">
      <Link to="/" className="brand">acme data</Link>
      <nav>
        <Link to="/clusters">Clusters</Link>
        <Link to="/billing">Billing</Link>
      </nav>
    </header>
  );
}
""",
    "src/components/UsageChart.test.tsx.snap": """\
// Jest Snapshot v1, https://goo.gl/fbAQLP

exports[`UsageChart renders the legend 1`] = `
<div class="legend">
  <span class="legend-item">CPU</span>
  <span class="legend-item">Memory</span>
</div>
`;
""",
    "package.json": """\
{
  "name": "web-dashboard",
  "private": true,
  "scripts": {
    "dev": "vite",
    "build": "tsc -b && vite build",
    "test": "jest",
    "e2e": "playwright test"
  }
}
""",
}

INFRA = {
    "modules/rds/main.tf": """\
resource "aws_db_instance" "this" {
  identifier              = var.name
  engine                  = "postgres"
  engine_version          = var.engine_version
  instance_class          = var.instance_class
  allocated_storage       = var.allocated_storage
  storage_encrypted       = true
  backup_retention_period = 7
  skip_final_snapshot     = false
  deletion_protection     = true

  tags = var.tags
}
""",
    "modules/rds/variables.tf": """\
variable "name" {
  type = string
}

variable "engine_version" {
  type    = string
  default = "16.4"
}

variable "instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "allocated_storage" {
  type    = number
  default = 50
}

variable "tags" {
  type    = map(string)
  default = {}
}
""",
    "charts/pgbouncer/values.yaml": """\
replicaCount: 2

image:
  repository: ghcr.io/acme-data/pgbouncer
  tag: "1.23.1"

resources:
  requests:
    cpu: 50m
    memory: 64Mi
  limits:
    memory: 256Mi
""",
    "monitoring/alarms.tf": """\
resource "aws_cloudwatch_metric_alarm" "rds_cpu" {
  alarm_name          = "${var.env}-rds-cpu-high"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [var.sns_topic_arn]
}
""",
    "scripts/deploy-pgbouncer.sh": """\
#!/usr/bin/env bash
set -euo pipefail

NAMESPACE=${NAMESPACE:-data}

kubectl -n "$NAMESPACE" create secret generic pgbouncer-userlist \\
  --from-file=userlist.txt=secrets/userlist.txt --dry-run=client -o yaml | kubectl apply -f -
""",
}

INITIAL = {"pgoperator": PGOPERATOR, "billing-api": BILLING_API, "web-dashboard": WEB_DASHBOARD, "infra": INFRA}
