"""infra (Terraform modules, Helm charts, deploy scripts): bob's Codex, alice's Claude Code, dave's aider.

Planted here: the unresolved kubectl-wait spiral (60s -> 120s -> 300s -> 600s, the session
ends with the pods still not Ready, the cause never looked at), and a clean session whose
two unrelated waits (sleep 2 before a SIGHUP, helm --timeout 5m) are each set once.
"""

from __future__ import annotations

from .common import Edit, Shell, Write, aider_command, aider_turn, mundane
from .team import AIDER_GPT4O, AIDER_LOCAL, AIDER_SONNET, GPT5_CODEX, SONNET, session

KUBECTL_SPIRAL = [60, 120, 300, 600]


def pgbouncer_rollout_unresolved():
    s = session(
        "bob",
        "codex",
        "infra",
        "main",
        "2026-10-08T09:40:36Z",
        GPT5_CODEX,
        "pgbouncer-rollout-unresolved",
        spiral={
            "site": "kubectl wait --timeout of the pgbouncer rollout check",
            "file_in_repo": None,
            "values_s": KUBECTL_SPIRAL,
            "outcome": "unresolved",
            "verification": "kubectl -n data-staging wait --for=condition=Ready pod -l app=pgbouncer",
        },
    )
    t = s.turn(
        "Roll out the new pgbouncer chart values to staging (namespace data-staging) and make sure the pods come up."
    )
    t.think("Deploying pgbouncer chart to staging")
    t.shell(
        "helm upgrade --install pgbouncer charts/pgbouncer -n data-staging -f charts/pgbouncer/values.yaml",
        'Release "pgbouncer" has been upgraded. Happy Helming!\nNAME: pgbouncer\n'
        "LAST DEPLOYED: Thu Oct  8 09:40:46 2026\nNAMESPACE: data-staging\nSTATUS: deployed\nREVISION: 14\n"
        "TEST SUITE: None",
        dur=4.8,
    )
    reasons = [
        "The pods are not Ready within 60s. New pgbouncer pods can take a while to pass the readiness probe "
        "after a config change, so I'll wait longer: 120s.",
        "Still not Ready after 120s. I'll give it 300s.",
        "Not Ready after 5 minutes either. Trying once more with 600s.",
    ]
    t.think("Waiting for pods to become Ready")
    for index, seconds in enumerate(KUBECTL_SPIRAL):
        t.shell(
            f"kubectl -n data-staging wait --for=condition=Ready pod -l app=pgbouncer --timeout={seconds}s",
            "error: timed out waiting for the condition on pods/pgbouncer-7d9c6b5f4-x2k8q\n"
            "error: timed out waiting for the condition on pods/pgbouncer-7d9c6b5f4-zp4mn",
            code=1,
            dur=seconds + 0.4,
            timeout_ms=900000,
        )
        if index < len(reasons):
            t.say(reasons[index])
    t.say(
        "The pgbouncer pods are still not Ready after waiting 10 minutes, so the rollout is not complete. "
        "The release itself is deployed (revision 14)."
    )
    t = s.turn("ok leave it, I'll look at it after lunch", pause=40)
    t.say(
        "Okay. Revision 14 is deployed but its pods never became Ready; `helm rollback pgbouncer 13 -n "
        "data-staging` would restore the previous version if you need staging working before then."
    )
    return s


def pgbouncer_helm_waits():
    s = session(
        "alice",
        "claude",
        "infra",
        "main",
        "2026-11-12T14:05:28Z",
        SONNET,
        "pgbouncer-helm-waits",
        clean_wait="two unrelated waits set once: sleep 2 before SIGHUP, helm --wait --timeout 5m",
    )
    t = s.turn(
        "In infra, scripts/deploy-pgbouncer.sh only updates the userlist secret. It should also make "
        "pgbouncer reload it, and then roll the chart. pgbouncer needs a moment before the reload, the "
        "secret volume isn't updated instantly."
    )
    t.read("scripts/deploy-pgbouncer.sh")
    t.say(
        "I'll add a SIGHUP reload after the secret is applied (with a short pause so the kubelet can sync the "
        "mounted secret) and a `helm upgrade --wait` at the end so the script only succeeds once the rollout "
        "is healthy."
    )
    t.edit(
        "scripts/deploy-pgbouncer.sh",
        "  --from-file=userlist.txt=secrets/userlist.txt --dry-run=client -o yaml | kubectl apply -f -\n",
        "  --from-file=userlist.txt=secrets/userlist.txt --dry-run=client -o yaml | kubectl apply -f -\n\n"
        "# pgbouncer re-reads userlist.txt on SIGHUP; give the kubelet a moment to sync the secret volume\n"
        'sleep 2\nkubectl -n "$NAMESPACE" exec deploy/pgbouncer -- kill -HUP 1\n\n'
        'helm upgrade --install pgbouncer charts/pgbouncer -n "$NAMESPACE" --wait --timeout 5m\n',
    )
    t.shell(
        "shellcheck scripts/deploy-pgbouncer.sh && NAMESPACE=data-staging ./scripts/deploy-pgbouncer.sh",
        'secret/pgbouncer-userlist configured\nRelease "pgbouncer" has been upgraded. Happy Helming!\n'
        "NAME: pgbouncer\nLAST DEPLOYED: Thu Nov 12 14:07:41 2026\nNAMESPACE: data-staging\nSTATUS: deployed\n"
        "REVISION: 19\nTEST SUITE: None",
        dur=38.0,
    )
    t.say(
        "scripts/deploy-pgbouncer.sh now applies the secret, waits 2 s, sends SIGHUP so pgbouncer reloads the "
        "userlist, and runs `helm upgrade --install --wait --timeout 5m`. shellcheck is clean and the staging run "
        "completed (revision 19)."
    )
    return s


# --------------------------------------------------------------------------- aider (dave)


def rds_backup_retention():
    s = session(
        "dave", "aider", "infra", "main", "2026-10-07T13:00:42Z", AIDER_SONNET, "rds-backup-retention", files=214
    )
    aider_command(s, "/add modules/rds/main.tf modules/rds/variables.tf", pause=5)
    aider_turn(
        s,
        "make the backup retention configurable with a variable, default 7 days",
        "I'll add a `backup_retention_days` variable and use it in the instance.",
        [
            Edit(
                "modules/rds/variables.tf",
                'variable "tags" {\n  type    = map(string)\n  default = {}\n}\n',
                'variable "tags" {\n  type    = map(string)\n  default = {}\n}\n\n'
                'variable "backup_retention_days" {\n  type    = number\n  default = 7\n}\n',
            ),
            Edit(
                "modules/rds/main.tf",
                "  backup_retention_period = 7\n",
                "  backup_retention_period = var.backup_retention_days\n",
            ),
        ],
        "feat: make RDS backup retention configurable",
    )
    aider_command(
        s,
        "/run terraform -chdir=modules/rds validate",
        Shell("terraform -chdir=modules/rds validate", "Success! The configuration is valid.\n", 0, 3.1),
    )
    return s


def pgbouncer_pdb():
    s = session("dave", "aider", "infra", "main", "2026-10-13T15:10:09Z", AIDER_SONNET, "pgbouncer-pdb", files=214)
    aider_command(s, "/add charts/pgbouncer/values.yaml", pause=5)
    aider_turn(
        s,
        "add a podDisruptionBudget setting with minAvailable 1, enabled by default",
        "Adding the values; the chart's templates/pdb.yaml already reads `.Values.podDisruptionBudget`.",
        [
            Edit(
                "charts/pgbouncer/values.yaml",
                "replicaCount: 2\n",
                "replicaCount: 2\n\npodDisruptionBudget:\n  enabled: true\n  minAvailable: 1\n",
            )
        ],
        "feat: enable pgbouncer PodDisruptionBudget",
    )
    return s


def rds_storage_alarm():
    s = session("dave", "aider", "infra", "main", "2026-10-23T12:30:51Z", AIDER_GPT4O, "rds-storage-alarm", files=216)
    aider_command(s, "/add monitoring/alarms.tf", pause=5)
    aider_turn(
        s,
        "add an alarm when RDS free storage drops below 10 GiB",
        "Here is a `FreeStorageSpace` alarm (the metric is in bytes):",
        [
            Edit(
                "monitoring/alarms.tf",
                "  alarm_actions       = [var.sns_topic_arn]\n}\n",
                "  alarm_actions       = [var.sns_topic_arn]\n}\n\n"
                'resource "aws_cloudwatch_metric_alarm" "rds_free_storage" {\n'
                '  alarm_name          = "${var.env}-rds-free-storage-low"\n'
                '  namespace           = "AWS/RDS"\n  metric_name         = "FreeStorageSpace"\n'
                "  dimensions          = { DBInstanceIdentifier = var.rds_instance_id }\n"
                '  statistic           = "Minimum"\n  period              = 300\n'
                "  evaluation_periods  = 2\n  threshold           = 10737418240\n"
                '  comparison_operator = "LessThanThreshold"\n'
                "  alarm_actions       = [var.sns_topic_arn]\n}\n",
            )
        ],
        "feat: alarm on low RDS free storage",
    )
    aider_command(
        s,
        "/run terraform -chdir=monitoring validate",
        Shell(
            "terraform -chdir=monitoring validate",
            "╷\n│ Error: Reference to undeclared input variable\n│\n│   on alarms.tf line 17, in resource "
            '"aws_cloudwatch_metric_alarm" "rds_free_storage":\n│   17:   dimensions          = { '
            "DBInstanceIdentifier = var.rds_instance_id }\n│\n│ An input variable with the name "
            '"rds_instance_id" has not been declared. This variable can be declared with a variable '
            '"rds_instance_id" {} block.\n╵',
            1,
            2.7,
        ),
    )
    sentence = (
        "The validation fails because the new alarm references var.rds_instance_id, which isn't declared in "
        "the monitoring module."
    )
    aider_turn(
        s,
        "fix that",
        sentence + " I'll declare it in a new file next to the alarms.",
        [
            Write(
                "monitoring/rds_variables.tf",
                'variable "rds_instance_id" {\n  description = "Identifier of the RDS instance to watch."\n'
                "  type        = string\n}\n",
            )
        ],
        "fix: declare rds_instance_id for the storage alarm",
        mundane(sentence),
    )
    aider_command(
        s,
        "/run terraform -chdir=monitoring validate",
        Shell("terraform -chdir=monitoring validate", "Success! The configuration is valid.\n", 0, 2.6),
    )
    return s


def rds_variable_docs_local():
    s = session(
        "dave", "aider", "infra", "main", "2026-11-04T16:00:14Z", AIDER_LOCAL, "rds-variable-docs-local", files=217
    )
    aider_command(s, "/add modules/rds/variables.tf", pause=5)
    aider_turn(
        s,
        "add a description to the name variable",
        "Here is the updated file with a description for `name`:",
        [
            Edit(
                "modules/rds/variables.tf",
                'variable "name" {\n  type = string\n}\n',
                'variable "name" {\n  description = "Identifier of the RDS instance, also used for tags."\n'
                "  type        = string\n}\n",
            )
        ],
        "docs: describe the rds name variable",
    )
    return s


def rds_performance_insights():
    s = session(
        "dave", "aider", "infra", "main", "2026-11-12T10:40:33Z", AIDER_SONNET, "rds-performance-insights", files=219
    )
    aider_command(s, "/add modules/rds/main.tf", pause=5)
    aider_turn(
        s,
        "enable performance insights with 7 days retention",
        "Performance Insights' free tier keeps 7 days, so this adds no cost:",
        [
            Edit(
                "modules/rds/main.tf",
                "  deletion_protection     = true\n",
                "  deletion_protection     = true\n\n  performance_insights_enabled          = true\n"
                "  performance_insights_retention_period = 7\n",
            )
        ],
        "feat: enable RDS Performance Insights",
    )
    return s


def pgbouncer_image_bump():
    s = session("dave", "aider", "infra", "main", "2026-11-17T14:15:06Z", AIDER_SONNET, "pgbouncer-1.23.2", files=219)
    aider_command(s, "/add charts/pgbouncer/values.yaml", pause=5)
    aider_turn(
        s,
        "bump the pgbouncer image to 1.23.2",
        "Updating the image tag:",
        [Edit("charts/pgbouncer/values.yaml", '  tag: "1.23.1"\n', '  tag: "1.23.2"\n')],
        "chore: pgbouncer 1.23.2",
    )
    aider_command(
        s,
        "/run helm lint charts/pgbouncer",
        Shell(
            "helm lint charts/pgbouncer",
            "==> Linting charts/pgbouncer\n[INFO] Chart.yaml: icon is "
            "recommended\n\n1 chart(s) linted, 0 chart(s) failed",
            0,
            1.2,
        ),
    )
    return s


def sessions():
    return [
        pgbouncer_rollout_unresolved(),
        pgbouncer_helm_waits(),
        rds_backup_retention(),
        pgbouncer_pdb(),
        rds_storage_alarm(),
        rds_variable_docs_local(),
        rds_performance_insights(),
        pgbouncer_image_bump(),
    ]
