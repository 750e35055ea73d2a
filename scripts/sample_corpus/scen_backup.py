"""pgoperator feature/backup-restore: the 80% cliff, in Claude Code (alice) and Codex (bob).

Days 1-2 (2026-10-19/20) write nearly all of the feature. Then, over three weeks, eight
short sessions each run a test, see it fail, and make one small fix (14 patches in all,
one file each except two two-hunk Codex patches), until the e2e suite is finally green on
2026-11-10.
"""

from __future__ import annotations

from .common import exotic, mundane, tabs
from .outputs import GO_MODULE, go_fail, go_ok, go_pass_verbose
from .team import GPT53_CODEX, OPUS, SONNET, session

BRANCH = "feature/backup-restore"

BACKUP_TYPES = tabs("""\
package v1alpha1

import (
    metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// BackupSpec describes scheduled pgBackRest backups of one PostgresCluster.
type BackupSpec struct {
    // Cluster is the name of the PostgresCluster in the same namespace.
    Cluster string `json:"cluster"`
    // Schedule is a cron expression in the standard five-field form, e.g. "0 3 * * *".
    Schedule string `json:"schedule"`
    // Retention says how many full backups to keep.
    Retention RetentionPolicy `json:"retention"`
    // Destination is the S3 bucket the pgBackRest repository lives in.
    Destination S3Destination `json:"destination"`
}

type RetentionPolicy struct {
    // +kubebuilder:validation:Minimum=1
    KeepLast int `json:"keepLast"`
}

type S3Destination struct {
    Bucket   string `json:"bucket"`
    Prefix   string `json:"prefix,omitempty"`
    Endpoint string `json:"endpoint,omitempty"`
    Region   string `json:"region"`
    // SecretRef names a Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
    SecretRef string `json:"secretRef"`
}

type BackupPhase string

const (
    BackupPending   BackupPhase = "Pending"
    BackupRunning   BackupPhase = "Running"
    BackupCompleted BackupPhase = "Completed"
    BackupFailed    BackupPhase = "Failed"
)

type BackupStatus struct {
    Phase      BackupPhase  `json:"phase,omitempty"`
    LastBackup string       `json:"lastBackup,omitempty"`
    StartedAt  *metav1.Time `json:"startedAt,omitempty"`
}

//+kubebuilder:object:root=true
//+kubebuilder:subresource:status
//+kubebuilder:printcolumn:name="Cluster",type=string,JSONPath=`.spec.cluster`
//+kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`

// Backup schedules backups of a PostgresCluster to S3.
type Backup struct {
    metav1.TypeMeta   `json:",inline"`
    metav1.ObjectMeta `json:"metadata,omitempty"`

    Spec   BackupSpec   `json:"spec,omitempty"`
    Status BackupStatus `json:"status,omitempty"`
}
""")

S3_GO = tabs("""\
package backup

import (
    "context"
    "fmt"
    "io"
    "path"
    "sync"
    "time"

    "github.com/aws/aws-sdk-go-v2/aws"
    "github.com/aws/aws-sdk-go-v2/service/s3"
    "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// ObjectKey is the S3 key of one backup: <prefix>/<cluster>/<UTC timestamp>.
func ObjectKey(prefix, cluster string, at time.Time) string {
    return path.Join("/", prefix, cluster, at.UTC().Format("20060102T150405Z"))
}

// Uploader sends backup parts to S3 concurrently and keeps count of the bytes sent.
type Uploader struct {
    Client *s3.Client
    Bucket string

    mu    sync.Mutex
    parts []types.CompletedPart
    sent  int64
}

// UploadPart sends one part; callers upload parts from several goroutines.
func (u *Uploader) UploadPart(ctx context.Context, key, uploadID string, number int32, body io.Reader, n int) error {
    out, err := u.Client.UploadPart(ctx, &s3.UploadPartInput{
        Bucket: aws.String(u.Bucket), Key: aws.String(key), UploadId: aws.String(uploadID),
        PartNumber: aws.Int32(number), Body: body,
    })
    if err != nil {
        return fmt.Errorf("upload part %d of %s: %w", number, key, err)
    }
    u.mu.Lock()
    u.parts = append(u.parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(number)})
    u.mu.Unlock()
    u.sent += int64(n)
    return nil
}

// Sent is the number of bytes uploaded so far.
func (u *Uploader) Sent() int64 {
    u.mu.Lock()
    defer u.mu.Unlock()
    return u.sent
}
""")

S3_TEST = tabs("""\
package backup

import (
    "path"
    "testing"
    "time"
)

func TestObjectKeyUsesUTC(t *testing.T) {
    at := time.Date(2026, 10, 19, 5, 0, 0, 0, time.FixedZone("CEST", 2*3600))
    got := ObjectKey("nightly", "pg-main", at)
    if want := "20261019T030000Z"; path.Base(got) != want {
        t.Fatalf("ObjectKey(...) = %q, want timestamp %q", got, want)
    }
}
""")

RETENTION_GO = tabs("""\
package backup

import "sort"

// Prune returns the backups to delete so that only the newest keep remain.
// Backup names end in a UTC timestamp, so they sort chronologically.
func Prune(backups []string, keep int) []string {
    sorted := append([]string(nil), backups...)
    sort.Sort(sort.Reverse(sort.StringSlice(sorted)))
    var drop []string
    for i, name := range sorted {
        if i > keep {
            drop = append(drop, name)
        }
    }
    return drop
}
""")

RETENTION_TEST = tabs("""\
package backup

import "testing"

func TestPruneNothingWhenUnderLimit(t *testing.T) {
    backups := []string{"pg-main/20261012T030000Z", "pg-main/20261013T030000Z", "pg-main/20261014T030000Z"}
    if drop := Prune(backups, 7); len(drop) != 0 {
        t.Fatalf("Prune dropped %v with 3 backups and keep=7", drop)
    }
}

func TestPruneDropsOldestFirst(t *testing.T) {
    var backups []string
    for day := 1; day <= 12; day++ {
        backups = append(backups, fmt.Sprintf("pg-main/202610%02dT030000Z", day))
    }
    drop := Prune(backups, 7)
    for _, name := range drop {
        if name > "pg-main/20261005T030000Z" {
            t.Fatalf("Prune dropped %s, newer than the oldest five", name)
        }
    }
}
""")

BACKUP_CONTROLLER = tabs("""\
package controllers

import (
    "context"
    "fmt"
    "time"

    "github.com/robfig/cron/v3"
    batchv1 "k8s.io/api/batch/v1"
    corev1 "k8s.io/api/core/v1"
    metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
    "k8s.io/apimachinery/pkg/runtime"
    ctrl "sigs.k8s.io/controller-runtime"
    "sigs.k8s.io/controller-runtime/pkg/client"
    "sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

    pgv1alpha1 "github.com/acme-data/pgoperator/api/v1alpha1"
    "github.com/acme-data/pgoperator/internal/backup"
)

// BackupReconciler turns Backup schedules into pgBackRest Jobs and reports their outcome.
type BackupReconciler struct {
    client.Client
    Scheme *runtime.Scheme
}

//+kubebuilder:rbac:groups=pg.acme.dev,resources=backups,verbs=get;list;watch;update;patch
//+kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list;watch;create;delete

func (r *BackupReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
    var b pgv1alpha1.Backup
    if err := r.Get(ctx, req.NamespacedName, &b); err != nil {
        return ctrl.Result{}, client.IgnoreNotFound(err)
    }
    if err := r.syncJobStatus(ctx, &b); err != nil {
        return ctrl.Result{}, err
    }

    schedule, err := cron.NewParser(cron.Second | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow).Parse(b.Spec.Schedule)
    if err != nil {
        return ctrl.Result{}, fmt.Errorf("invalid schedule %q: %w", b.Spec.Schedule, err)
    }
    now := time.Now().UTC()
    next := schedule.Next(lastRun(&b))
    if now.Before(next) {
        return ctrl.Result{RequeueAfter: next.Sub(now)}, nil
    }

    job := r.backupJob(&b, now)
    if err := controllerutil.SetControllerReference(&b, job, r.Scheme); err != nil {
        return ctrl.Result{}, err
    }
    if err := r.Create(ctx, job); err != nil {
        return ctrl.Result{}, client.IgnoreAlreadyExists(err)
    }
    b.Status.Phase = pgv1alpha1.BackupRunning
    b.Status.LastBackup = job.Name
    b.Status.StartedAt = &metav1.Time{Time: now}
    if err := r.Status().Update(ctx, &b); err != nil {
        return ctrl.Result{}, err
    }
    return ctrl.Result{RequeueAfter: schedule.Next(now).Sub(now)}, nil
}

// syncJobStatus copies the outcome of the last backup Job into the Backup status.
func (r *BackupReconciler) syncJobStatus(ctx context.Context, b *pgv1alpha1.Backup) error {
    if b.Status.LastBackup == "" || b.Status.Phase != pgv1alpha1.BackupRunning {
        return nil
    }
    var job batchv1.Job
    if err := r.Get(ctx, client.ObjectKey{Namespace: b.Namespace, Name: b.Status.LastBackup}, &job); err != nil {
        return client.IgnoreNotFound(err)
    }
    switch {
    case job.Status.Succeeded > 0:
        b.Status.Phase = pgv1alpha1.BackupCompleted
    case job.Status.Failed > 0:
        b.Status.Phase = pgv1alpha1.BackupFailed
    default:
        return nil
    }
    return r.Update(ctx, b)
}

func (r *BackupReconciler) backupJob(b *pgv1alpha1.Backup, at time.Time) *batchv1.Job {
    dest := b.Spec.Destination
    return &batchv1.Job{
        ObjectMeta: metav1.ObjectMeta{
            Namespace: b.Namespace,
            Name:      fmt.Sprintf("%s-backup-%s", b.Spec.Cluster, at.Format("20060102-1504")),
            Labels:    map[string]string{"app.kubernetes.io/component": "backup", "pg.acme.dev/cluster": b.Spec.Cluster},
        },
        Spec: batchv1.JobSpec{
            BackoffLimit: ptr(int32(2)),
            Template: corev1.PodTemplateSpec{
                Spec: corev1.PodSpec{
                    RestartPolicy: corev1.RestartPolicyNever,
                    Containers: []corev1.Container{{
                        Name:  "pgbackrest",
                        Image: "ghcr.io/acme-data/backup-agent:v0.8.0",
                        Args:  []string{"pgbackrest", "--stanza=main", "--type=full", "backup"},
                        Env: []corev1.EnvVar{
                            {Name: "PGBACKREST_REPO1_TYPE", Value: "s3"},
                            {Name: "PGBACKREST_REPO1_S3_BUCKET", Value: dest.Bucket},
                            {Name: "PGBACKREST_REPO1_S3_ENDPOINT", Value: dest.Endpoint},
                            {Name: "PGBACKREST_REPO1_PATH", Value: "/" + backup.ObjectKey(dest.Prefix, b.Spec.Cluster, at)},
                        },
                        EnvFrom: []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{
                            LocalObjectReference: corev1.LocalObjectReference{Name: dest.SecretRef}}}},
                    }},
                },
            },
        },
    }
}

func lastRun(b *pgv1alpha1.Backup) time.Time {
    if b.Status.StartedAt != nil {
        return b.Status.StartedAt.Time
    }
    return b.CreationTimestamp.Time
}

func ptr[T any](v T) *T { return &v }

// SetupWithManager registers the reconciler; it owns the Jobs it creates.
func (r *BackupReconciler) SetupWithManager(mgr ctrl.Manager) error {
    return ctrl.NewControllerManagedBy(mgr).
        For(&pgv1alpha1.Backup{}).
        Owns(&batchv1.Job{}).
        Complete(r)
}
""")

RESTORE_TYPES = tabs("""\
package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// RestoreSpec restores a Backup into a new PostgresCluster.
type RestoreSpec struct {
    // Backup is the name of the Backup in the same namespace.
    Backup string `json:"backup"`
    // TargetCluster is the name of the PostgresCluster to create.
    TargetCluster string `json:"targetCluster"`
    // TargetTime is an RFC 3339 timestamp for point-in-time recovery; empty means latest.
    TargetTime string `json:"targetTime,omitempty"`
}

type RestoreStatus struct {
    Phase string `json:"phase,omitempty"`
    Job   string `json:"job,omitempty"`
}

//+kubebuilder:object:root=true
//+kubebuilder:subresource:status

// Restore creates a PostgresCluster from a Backup.
type Restore struct {
    metav1.TypeMeta   `json:",inline"`
    metav1.ObjectMeta `json:"metadata,omitempty"`

    Spec   RestoreSpec   `json:"spec,omitempty"`
    Status RestoreStatus `json:"status,omitempty"`
}
""")

RESTORE_CONTROLLER = tabs("""\
package controllers

import (
    "context"
    "fmt"
    "time"

    batchv1 "k8s.io/api/batch/v1"
    corev1 "k8s.io/api/core/v1"
    metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
    "k8s.io/apimachinery/pkg/runtime"
    ctrl "sigs.k8s.io/controller-runtime"
    "sigs.k8s.io/controller-runtime/pkg/client"

    pgv1alpha1 "github.com/acme-data/pgoperator/api/v1alpha1"
)

// RestoreReconciler creates the target PostgresCluster and a pgBackRest restore Job.
type RestoreReconciler struct {
    client.Client
    Scheme            *runtime.Scheme
    OperatorNamespace string
}

//+kubebuilder:rbac:groups=pg.acme.dev,resources=restores;restores/status,verbs=get;list;watch;update;patch

func (r *RestoreReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
    var restore pgv1alpha1.Restore
    if err := r.Get(ctx, req.NamespacedName, &restore); err != nil {
        return ctrl.Result{}, client.IgnoreNotFound(err)
    }
    if restore.Status.Job != "" {
        return ctrl.Result{}, nil
    }
    var backup pgv1alpha1.Backup
    if err := r.Get(ctx, client.ObjectKey{Namespace: restore.Namespace, Name: restore.Spec.Backup}, &backup); err != nil {
        return ctrl.Result{}, err
    }
    var source pgv1alpha1.PostgresCluster
    if err := r.Get(ctx, client.ObjectKey{Namespace: restore.Namespace, Name: backup.Spec.Cluster}, &source); err != nil {
        return ctrl.Result{}, err
    }

    target := &pgv1alpha1.PostgresCluster{
        ObjectMeta: metav1.ObjectMeta{Namespace: restore.Namespace, Name: restore.Spec.TargetCluster},
        Spec: pgv1alpha1.PostgresClusterSpec{
            Replicas: source.Spec.Replicas,
            Version:  source.Spec.Version,
        },
    }
    if err := r.Create(ctx, target); err != nil {
        return ctrl.Result{}, client.IgnoreAlreadyExists(err)
    }

    args := []string{"pgbackrest", "--stanza=main", "--delta", "restore"}
    if restore.Spec.TargetTime != "" {
        at, err := time.Parse("2006-01-02 15:04:05", restore.Spec.TargetTime)
        if err != nil {
            return ctrl.Result{}, fmt.Errorf("targetTime: %w", err)
        }
        args = append(args, "--type=time", "--target="+at.Format("2006-01-02 15:04:05"))
    }
    job := r.restoreJob(&restore, &backup, args)
    if err := r.Create(ctx, job); err != nil {
        return ctrl.Result{}, err
    }
    restore.Status.Phase = "Running"
    restore.Status.Job = job.Name
    return ctrl.Result{}, r.Status().Update(ctx, &restore)
}

// restoreJob runs pgbackrest restore for the target cluster. It has to finish before the
// target's StatefulSet starts Postgres, so the cluster controller waits for it through
// the Restore status.
func (r *RestoreReconciler) restoreJob(restore *pgv1alpha1.Restore, backup *pgv1alpha1.Backup, args []string) *batchv1.Job {
    return &batchv1.Job{
        ObjectMeta: metav1.ObjectMeta{
            Namespace: r.OperatorNamespace,
            Name:      fmt.Sprintf("%s-restore", backup.Spec.Cluster),
            Labels:    map[string]string{"app.kubernetes.io/component": "restore"},
        },
        Spec: batchv1.JobSpec{
            Template: corev1.PodTemplateSpec{
                Spec: corev1.PodSpec{
                    RestartPolicy: corev1.RestartPolicyNever,
                    Containers: []corev1.Container{{
                        Name:  "pgbackrest",
                        Image: "ghcr.io/acme-data/backup-agent:v0.8.0",
                        Args:  args,
                    }},
                },
            },
        },
    }
}

// SetupWithManager registers the reconciler; it owns the restore Jobs it creates.
func (r *RestoreReconciler) SetupWithManager(mgr ctrl.Manager) error {
    return ctrl.NewControllerManagedBy(mgr).
        For(&pgv1alpha1.Restore{}).
        Owns(&batchv1.Job{}).
        Complete(r)
}
""")

CONTROLLER_TESTS = tabs("""\
package controllers

import (
    "context"
    "testing"
    "time"

    batchv1 "k8s.io/api/batch/v1"
    metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
    "sigs.k8s.io/controller-runtime/pkg/client"

    pgv1alpha1 "github.com/acme-data/pgoperator/api/v1alpha1"
)

func newBackup(name string) *pgv1alpha1.Backup {
    return &pgv1alpha1.Backup{
        ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "db"},
        Spec: pgv1alpha1.BackupSpec{
            Cluster:     "pg-main",
            Schedule:    "0 3 * * *",
            Retention:   pgv1alpha1.RetentionPolicy{KeepLast: 7},
            Destination: pgv1alpha1.S3Destination{Bucket: "pg-backups", Region: "eu-central-1", SecretRef: "s3-creds"},
        },
    }
}

func TestBackupReconcileCreatesJob(t *testing.T) {
    ctx := context.Background()
    b := newBackup("nightly")
    b.CreationTimestamp = metav1.NewTime(time.Now().Add(-25 * time.Hour))
    r := newBackupReconciler(t, b)
    if _, err := r.Reconcile(ctx, requestFor(b)); err != nil {
        t.Fatal(err)
    }
    var jobs batchv1.JobList
    if err := r.List(ctx, &jobs, client.InNamespace("db")); err != nil {
        t.Fatal(err)
    }
    if len(jobs.Items) != 1 {
        t.Fatalf("got %d jobs, want 1", len(jobs.Items))
    }
}

func TestBackupPhaseFollowsJob(t *testing.T) {
    ctx := context.Background()
    b := newBackup("nightly")
    b.Status = pgv1alpha1.BackupStatus{Phase: pgv1alpha1.BackupRunning, LastBackup: "pg-main-backup-20261020-0300"}
    job := succeededJob("db", "pg-main-backup-20261020-0300")
    r := newBackupReconciler(t, b, job)
    if _, err := r.Reconcile(ctx, requestFor(b)); err != nil {
        t.Fatal(err)
    }
    var got pgv1alpha1.Backup
    _ = r.Get(ctx, client.ObjectKeyFromObject(b), &got)
    if got.Status.Phase != pgv1alpha1.BackupCompleted {
        t.Fatalf("backup phase = %q, want %q", got.Status.Phase, pgv1alpha1.BackupCompleted)
    }
}
""")

RESTORE_TESTS = tabs("""\
package controllers

import (
    "context"
    "testing"

    batchv1 "k8s.io/api/batch/v1"
    metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
    "sigs.k8s.io/controller-runtime/pkg/client"

    pgv1alpha1 "github.com/acme-data/pgoperator/api/v1alpha1"
)

func TestRestoreCreatesTargetClusterAndJob(t *testing.T) {
    ctx := context.Background()
    restore := &pgv1alpha1.Restore{
        ObjectMeta: metav1.ObjectMeta{Name: "pg-main-restore", Namespace: "db"},
        Spec:       pgv1alpha1.RestoreSpec{Backup: "nightly", TargetCluster: "pg-main-copy"},
    }
    r := newRestoreReconciler(t, restore, newBackup("nightly"), sourceCluster("db", "pg-main"))
    if _, err := r.Reconcile(ctx, requestFor(restore)); err != nil {
        t.Fatal(err)
    }
    var target pgv1alpha1.PostgresCluster
    if err := r.Get(ctx, client.ObjectKey{Namespace: "db", Name: "pg-main-copy"}, &target); err != nil {
        t.Fatalf("target cluster: %v", err)
    }
    var jobs batchv1.JobList
    if err := r.List(ctx, &jobs); err != nil || len(jobs.Items) != 1 {
        t.Fatalf("restore jobs: %v, %d", err, len(jobs.Items))
    }
}
""")

BACKUP_E2E = tabs("""\
package e2e

import (
    "context"
    "testing"
    "time"

    . "github.com/onsi/gomega"

    pgv1alpha1 "github.com/acme-data/pgoperator/api/v1alpha1"
)

// TestBackupRoundTrip writes rows, takes a backup to MinIO, restores it into a new
// cluster and checks the rows are there.
func TestBackupRoundTrip(t *testing.T) {
    g := NewWithT(t)
    ctx := context.Background()
    c := mustClient(t)

    cluster := createCluster(t, c, "db", "pg-main")
    insertRows(t, cluster, 1200)

    backup := createBackup(t, c, "db", "nightly", "pg-main", minioDestination())
    triggerBackupNow(t, c, backup)
    g.Eventually(backupPhase(ctx, c, backup), 4*time.Minute, 2*time.Second).Should(Equal(pgv1alpha1.BackupCompleted))

    restore := createRestore(t, c, "db", "pg-main-restore", "nightly", "pg-main-copy", "")
    g.Eventually(restoreJobSucceeded(ctx, c, restore), 4*time.Minute, 2*time.Second).Should(BeTrue())
    g.Expect(countRows(t, c, "db", "pg-main-copy")).To(Equal(1200))
}
""")


def day1():
    s = session("alice", "claude", "pgoperator", BRANCH, "2026-10-19T08:10:44Z", OPUS, "backup-restore-day1")
    t = s.turn(
        "Let's build backup & restore for PostgresCluster. A Backup CRD (cron schedule, retention, S3 "
        "destination) reconciled into pgBackRest Jobs, then a Restore CRD. Start with the API types, the S3 "
        "helpers and the Backup controller."
    )
    t.think(
        "Plan: api/v1alpha1/backup_types.go, internal/backup (S3 key layout + multipart uploader), "
        "controllers/backup_controller.go creating a Job per scheduled run. Restore tomorrow."
    )
    t.say("I'll start with the API types, then the S3 helpers, then the controller.")
    t.write("api/v1alpha1/backup_types.go", BACKUP_TYPES)
    t.write("internal/backup/s3.go", S3_GO)
    t.write("internal/backup/s3_test.go", S3_TEST)
    t.write("controllers/backup_controller.go", BACKUP_CONTROLLER)
    t.shell("make generate manifests && go build ./...", "", dur=24.0)
    t.shell("go test ./internal/backup/... -count=1", go_ok(("internal/backup", 0.014)), dur=5.0)
    t.say(
        "The Backup API, S3 helpers and controller are in place and build. The controller creates one "
        "pgBackRest Job per scheduled run and mirrors the Job outcome into status.phase."
    )
    t = s.turn("Looks good. Add retention pruning too.", pause=210)
    t.write("internal/backup/retention.go", RETENTION_GO)
    t.write("internal/backup/retention_test.go", RETENTION_TEST)
    t.shell("go test ./internal/backup/... -count=1", go_ok(("internal/backup", 0.016)), dur=5.0)
    t.say("Added `Prune(backups, keep)` with tests; it returns the oldest backups beyond `keepLast`.")
    return s


def day2():
    s = session("alice", "claude", "pgoperator", BRANCH, "2026-10-20T08:25:03Z", OPUS, "backup-restore-day2")
    t = s.turn(
        "Now the restore side: Restore CRD, a controller that creates the target cluster and a restore Job, "
        "unit tests for both controllers and an e2e round-trip test against MinIO."
    )
    t.write("api/v1alpha1/restore_types.go", RESTORE_TYPES)
    t.write("controllers/backup_controller_test.go", CONTROLLER_TESTS)
    t.write("controllers/restore_controller_test.go", RESTORE_TESTS)
    t.write("test/e2e/backup_test.go", BACKUP_E2E)
    t.write("controllers/restore_controller.go", RESTORE_CONTROLLER)
    t.shell(
        "make generate manifests && go build ./... && go test ./internal/... -count=1",
        go_ok(("internal/backup", 0.015), ("internal/pgutil", 0.391)),
        dur=38.0,
    )
    t.say(
        "Restore CRD and controller are written, with unit tests and test/e2e/backup_test.go for the full "
        "backup-to-MinIO-and-restore round trip. Everything builds; the controller and e2e tests need envtest and "
        "the kind cluster with MinIO, so I'll leave those runs to you."
    )
    return s


def patch_session(user: str, start: str, label: str, model: str):
    agent = "claude" if user == "alice" else "codex"
    return session(user, agent, "pgoperator", BRANCH, start, model, label)


def fix(
    t,
    command: str,
    failure: str,
    fail_secs: float,
    sentence: str,
    explanation: str,
    edit_args,
    passing: str | None,
    pass_secs: float,
    multi: bool = False,
    label=None,
) -> None:
    """One cliff patch: failing test, ordinary explanation, one small edit, rerun."""
    t.shell(command, failure, code=1, dur=fail_secs)
    t.say(sentence + (" " + explanation if explanation else ""), label or mundane(sentence))
    if multi:
        t.patch(*edit_args)
    else:
        t.edit(*edit_args)
    if passing is not None:
        t.shell(command, passing, dur=pass_secs)


E2E = "go test ./test/e2e -run TestBackupRoundTrip -count=1 -v -timeout 20m"


def patches_a8():
    s = patch_session("alice", "2026-10-22T13:02:18Z", "backup-restore-fixes-1", SONNET)
    t = s.turn("The MinIO integration test for the uploader fails: go test -tags integration ./internal/backup/...")
    cmd = "go test -tags integration ./internal/backup/... -count=1"
    fix(
        t,
        cmd,
        go_fail(
            "internal/backup",
            "TestUploadToMinIO",
            "s3_integration_test.go:44",
            'object "nightly/pg-main/20261022T130412Z/backup.manifest" not found;\n'
            'bucket contains ["/nightly/pg-main/20261022T130412Z/backup.manifest"]',
            1.84,
            2.213,
        ),
        4.0,
        'The test fails because ObjectKey joins the key with a leading "/", so objects land under '
        '"/nightly/..." instead of "nightly/...".',
        "S3 keys are not paths; I'll drop the root.",
        (
            "internal/backup/s3.go",
            tabs('    return path.Join("/", prefix, cluster, at.UTC().Format("20060102T150405Z"))'),
            tabs('    return path.Join(prefix, cluster, at.UTC().Format("20060102T150405Z"))'),
        ),
        go_ok(("internal/backup", 2.087)),
        4.0,
    )
    t.say("The integration test passes. Let me run the controller tests too.")
    cmd = "make test 2>&1 | grep -E '^(---|ok|FAIL|\\s+\\w+_test.go)'"
    fix(
        t,
        cmd,
        go_fail(
            "controllers",
            "TestBackupPhaseFollowsJob",
            "backup_controller_test.go:61",
            'backup phase = "Running", want "Completed"',
            0.31,
            52.806,
        ),
        66.0,
        "The test fails because syncJobStatus writes the phase with r.Update, which ignores the status subresource.",
        "It has to go through r.Status().Update like the rest of the controller.",
        (
            "controllers/backup_controller.go",
            tabs("    return r.Update(ctx, b)\n}"),
            tabs("    return r.Status().Update(ctx, b)\n}"),
        ),
        go_ok(("api/v1alpha1", 0.020), ("controllers", 53.417), ("internal/backup", 0.016)),
        68.0,
    )
    t.say(
        'Both fixed: S3 keys no longer start with "/", and the Job outcome is written to the status '
        "subresource. `make test` and the MinIO integration test pass."
    )
    return s


def patches_a9():
    s = patch_session("alice", "2026-10-26T09:31:40Z", "backup-restore-fixes-2", OPUS)
    t = s.turn("First real e2e run of the backup round trip on kind. Run it and fix what breaks.")
    fix(
        t,
        E2E,
        go_fail(
            "test/e2e",
            "TestBackupRoundTrip",
            "backup_test.go:27",
            'update status of Backup db/nightly: backups.pg.acme.dev "nightly" is forbidden: User\n'
            '"system:serviceaccount:pgoperator-system:pgoperator-controller-manager" cannot update '
            'resource\n"backups/status" in API group "pg.acme.dev" in the namespace "db"',
            38.2,
            41.007,
            verbose=True,
        ),
        47.0,
        "The e2e test fails because the manager's ClusterRole has no update permission on backups/status; the "
        "kubebuilder RBAC marker for the status subresource is missing.",
        "",
        (
            "controllers/backup_controller.go",
            "//+kubebuilder:rbac:groups=pg.acme.dev,resources=backups,verbs=get;list;watch;update;patch\n",
            "//+kubebuilder:rbac:groups=pg.acme.dev,resources=backups,verbs=get;list;watch;update;patch\n"
            "//+kubebuilder:rbac:groups=pg.acme.dev,resources=backups/status,verbs=get;update;patch\n",
        ),
        None,
        0,
    )
    t.shell(
        "make manifests deploy IMG=pgoperator:e2e",
        "clusterrole.rbac.authorization.k8s.io/manager-role "
        "configured\ndeployment.apps/pgoperator-controller-manager configured",
        dur=19.0,
    )
    t.shell(
        E2E,
        go_fail(
            "test/e2e",
            "TestBackupRoundTrip",
            "backup_test.go:31",
            'restore db/pg-main-restore: targetTime: parsing time "2026-10-26T09:00:00Z" as '
            '"2006-01-02 15:04:05": cannot parse "T09:00:00Z" as " "',
            96.4,
            99.218,
            verbose=True,
        ),
        code=1,
        dur=104.0,
    )
    sentence = (
        "The test fails because TargetTime is parsed with a space-separated layout while the CRD documents RFC 3339."
    )
    t.say(sentence, mundane(sentence))
    t.edit(
        "controllers/restore_controller.go",
        tabs('        at, err := time.Parse("2006-01-02 15:04:05", restore.Spec.TargetTime)'),
        tabs("        at, err := time.Parse(time.RFC3339, restore.Spec.TargetTime)"),
    )
    t.shell(
        "make docker-build deploy IMG=pgoperator:e2e && " + E2E,
        go_fail(
            "test/e2e",
            "TestBackupRoundTrip",
            "backup_test.go:32",
            'restore job db/pg-main-restore did not succeed: jobs.batch "pg-main-restore" not found',
            131.7,
            134.502,
            verbose=True,
        ),
        code=1,
        dur=190.0,
    )
    t.say(
        "The backup now completes and the target time parses. The restore Job isn't found in db, though; I'm "
        "out of time today, so I'll leave that one for the next session."
    )
    return s


def patches_b6():
    s = patch_session("bob", "2026-10-28T12:30:55Z", "backup-restore-codex-1", GPT53_CODEX)
    t = s.turn(
        "alice asked me to look at the failing restore in the backup round-trip e2e on "
        "feature/backup-restore: go test ./test/e2e -run TestBackupRoundTrip"
    )
    t.think("Running backup round-trip e2e")
    t.shell(
        E2E,
        go_fail(
            "test/e2e",
            "TestBackupRoundTrip",
            "backup_test.go:32",
            'restore job db/pg-main-restore did not succeed: jobs.batch "pg-main-restore" not found',
            128.9,
            131.774,
            verbose=True,
        ),
        code=1,
        dur=136.0,
        timeout_ms=1500000,
    )
    sentence = "The API server is probably slow to respond under load, which is why the restore Job is not visible yet."
    t.say(sentence + " Let me check where the Job actually is.", exotic("api_server_slow", sentence))
    t.shell(
        "kubectl get jobs -A -l app.kubernetes.io/component=restore",
        "NAMESPACE           NAME              COMPLETIONS   DURATION   AGE\n"
        "pgoperator-system   pg-main-restore   1/1           41s        3m12s",
        dur=0.6,
    )
    sentence = (
        "The Job exists, but in pgoperator-system: restoreJob creates it in the operator's namespace "
        "instead of the Restore's namespace, so the test never finds it."
    )
    t.say(sentence, mundane(sentence))
    t.edit(
        "controllers/restore_controller.go",
        tabs("            Namespace: r.OperatorNamespace,"),
        tabs("            Namespace: restore.Namespace,"),
    )
    t.shell(
        "go test ./controllers -run TestRestore -count=1",
        go_fail(
            "controllers",
            "TestRestoreJobOwnedByRestore",
            "restore_controller_test.go:52",
            "job db/pg-main-restore has no owner reference to Restore db/pg-main-restore",
            0.27,
            12.660,
        ),
        code=1,
        dur=17.0,
    )
    sentence = (
        "The test fails because the restore Job has no owner reference, so it is neither garbage-collected "
        "with the Restore nor watched by the controller."
    )
    t.say(sentence, mundane(sentence))
    t.patch(
        (
            "controllers/restore_controller.go",
            tabs('    "sigs.k8s.io/controller-runtime/pkg/client"\n\n    pgv1alpha1'),
            tabs(
                '    "sigs.k8s.io/controller-runtime/pkg/client"\n'
                '    "sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"\n\n    pgv1alpha1'
            ),
        ),
        (
            "controllers/restore_controller.go",
            tabs("    job := r.restoreJob(&restore, &backup, args)\n    if err := r.Create(ctx, job); err != nil {"),
            tabs(
                "    job := r.restoreJob(&restore, &backup, args)\n"
                "    if err := controllerutil.SetControllerReference(&restore, job, r.Scheme); err != nil {\n"
                "        return ctrl.Result{}, err\n    }\n    if err := r.Create(ctx, job); err != nil {"
            ),
        ),
    )
    t.shell("go test ./controllers -run TestRestore -count=1", go_ok(("controllers", 12.918)), dur=17.0)
    t.shell(E2E, go_pass_verbose("test/e2e", "TestBackupRoundTrip", 171.22, 174.089), dur=180.0, timeout_ms=1500000)
    t.say(
        "The round trip passes now. Two fixes in controllers/restore_controller.go: the restore Job is created "
        "in the Restore's namespace (it was going to pgoperator-system), and it gets a controller owner "
        "reference so it is cleaned up with the Restore."
    )
    return s


def patches_a10():
    s = patch_session("alice", "2026-10-29T10:12:09Z", "backup-restore-fixes-3", SONNET)
    t = s.turn("I added a test for pruning with more backups than keepLast and ran the race detector. Both fail.")
    cmd = "go test ./internal/backup -run TestPrune -count=1"
    fix(
        t,
        cmd,
        go_fail(
            "internal/backup",
            "TestPruneKeepsExactlyKeepLast",
            "retention_test.go:41",
            "pruned 4 of 12 backups with keep=7, want 5",
            0.00,
            0.011,
        ),
        3.0,
        "The test fails because the pruning loop uses i > keep, which keeps one backup too many.",
        "Index keep is the (keep+1)-th newest backup, so it must already be dropped.",
        ("internal/backup/retention.go", tabs("        if i > keep {"), tabs("        if i >= keep {")),
        go_ok(("internal/backup", 0.012)),
        3.0,
    )
    cmd = "go test -race ./internal/backup/... -count=1"
    fix(
        t,
        cmd,
        "==================\nWARNING: DATA RACE\nRead at 0x00c0001a4138 by goroutine 12:\n"
        "  github.com/acme-data/pgoperator/internal/backup.(*Uploader).UploadPart()\n"
        "      /home/alice/src/pgoperator/internal/backup/s3.go:44 +0x2a4\n\nPrevious write at "
        "0x00c0001a4138 by goroutine 11:\n  github.com/acme-data/pgoperator/internal/backup.(*Uploader)"
        ".UploadPart()\n      /home/alice/src/pgoperator/internal/backup/s3.go:44 +0x2c0\n"
        "==================\n--- FAIL: TestUploadPartsConcurrently (0.05s)\n    testing.go:1399: race "
        f"detected during execution of test\nFAIL\nFAIL\t{GO_MODULE}/internal/backup\t1.204s\nFAIL",
        9.0,
        "The race detector fails the test because the byte counter is incremented outside the mutex while parts "
        "upload from several goroutines.",
        "",
        (
            "internal/backup/s3.go",
            tabs("    u.mu.Unlock()\n    u.sent += int64(n)\n    return nil"),
            tabs("    u.sent += int64(n)\n    u.mu.Unlock()\n    return nil"),
        ),
        go_ok(("internal/backup", 1.187)),
        9.0,
    )
    t.say(
        "Both fixed: pruning keeps exactly keepLast backups, and the uploader's byte counter is updated under the "
        "mutex. Tests pass with -race."
    )
    return s


def patches_a11():
    s = patch_session("alice", "2026-11-02T14:48:30Z", "backup-restore-fixes-4", SONNET)
    t = s.turn(
        "The backup e2e against the real S3 bucket in staging (not MinIO) fails: "
        "go test ./test/e2e -run TestBackupToStagingS3"
    )
    cmd = "go test ./test/e2e -run TestBackupToStagingS3 -count=1 -v -timeout 20m"
    fix(
        t,
        cmd,
        go_fail(
            "test/e2e",
            "TestBackupToStagingS3",
            "backup_test.go:58",
            'backup db/nightly phase = "Failed", want "Completed"\njob log:\n'
            "P00   INFO: backup command begin 2.54.0: --exec-id=7-1b0c44e2 --log-level-console=info "
            "--repo1-path=/nightly/pg-main/20261102T143000Z --repo1-s3-bucket=acme-pg-backups-staging "
            "--repo1-type=s3 --stanza=main --type=full\n"
            "P00  ERROR: [031]: backup command requires option: repo1-s3-region",
            61.4,
            63.909,
            verbose=True,
        ),
        69.0,
        "The backup fails because the Job never passes the S3 region to pgbackrest.",
        "MinIO ignores the region, real S3 requires it; the spec already has destination.region.",
        (
            "controllers/backup_controller.go",
            tabs('                            {Name: "PGBACKREST_REPO1_S3_ENDPOINT", Value: dest.Endpoint},\n'),
            tabs(
                '                            {Name: "PGBACKREST_REPO1_S3_ENDPOINT", Value: dest.Endpoint},\n'
                '                            {Name: "PGBACKREST_REPO1_S3_REGION", Value: dest.Region},\n'
            ),
        ),
        None,
        0,
    )
    t.shell(
        "make docker-build docker-push deploy IMG=ghcr.io/acme-data/pgoperator:pr-118 && " + cmd,
        go_pass_verbose("test/e2e", "TestBackupToStagingS3", 118.06, 120.733),
        dur=151.0,
    )
    t.say(
        "Fixed: the backup Job now sets PGBACKREST_REPO1_S3_REGION from spec.destination.region, and the staging "
        "S3 backup completes."
    )
    return s


def patches_b8():
    s = patch_session("bob", "2026-11-05T14:10:47Z", "backup-restore-codex-2", GPT53_CODEX)
    t = s.turn(
        "Two more on feature/backup-restore: the point-in-time restore e2e restores no rows, and "
        "TestBackupStatusCompletedAt fails."
    )
    t.think("Running PITR e2e")
    t.shell(
        "go test ./test/e2e -run TestPointInTimeRestore -count=1 -v -timeout 20m",
        go_fail(
            "test/e2e",
            "TestPointInTimeRestore",
            "backup_test.go:74",
            "restored row count = 0, want 1200\nrestore job log: FATAL: recovery ended before configured "
            "recovery target was reached",
            188.3,
            191.050,
            verbose=True,
        ),
        code=1,
        dur=196.0,
        timeout_ms=1500000,
    )
    t.read("controllers/restore_controller.go")
    sentence = (
        "The restore fails because the recovery target is formatted without a time zone, so Postgres reads "
        "it as server-local time and the target lies after the end of the backed-up WAL."
    )
    t.say(sentence, mundane(sentence))
    t.edit(
        "controllers/restore_controller.go",
        tabs('        args = append(args, "--type=time", "--target="+at.Format("2006-01-02 15:04:05"))'),
        tabs('        args = append(args, "--type=time", "--target="+at.UTC().Format("2006-01-02 15:04:05+00"))'),
    )
    t.shell(
        "go test ./test/e2e -run TestPointInTimeRestore -count=1 -v -timeout 20m",
        go_pass_verbose("test/e2e", "TestPointInTimeRestore", 201.77, 204.380),
        dur=209.0,
        timeout_ms=1500000,
    )
    t.think("Checking completedAt test")
    t.shell(
        "go test ./controllers -run TestBackupStatusCompletedAt -count=1",
        go_fail(
            "controllers",
            "TestBackupStatusCompletedAt",
            "backup_controller_test.go:84",
            "status.completedAt is nil for a completed backup",
            0.22,
            12.473,
        ),
        code=1,
        dur=17.0,
    )
    sentence = "The test fails because the controller never sets status.completedAt when a backup finishes."
    t.say(
        sentence + " The field doesn't exist yet either; I'll add it and fill it from the Job's completion time.",
        mundane(sentence),
    )
    t.patch(
        (
            "api/v1alpha1/backup_types.go",
            tabs('    StartedAt  *metav1.Time `json:"startedAt,omitempty"`\n}'),
            tabs(
                '    StartedAt  *metav1.Time `json:"startedAt,omitempty"`\n'
                '    CompletedAt *metav1.Time `json:"completedAt,omitempty"`\n}'
            ),
        ),
        (
            "controllers/backup_controller.go",
            tabs("    case job.Status.Succeeded > 0:\n        b.Status.Phase = pgv1alpha1.BackupCompleted\n"),
            tabs(
                "    case job.Status.Succeeded > 0:\n        b.Status.Phase = pgv1alpha1.BackupCompleted\n"
                "        b.Status.CompletedAt = job.Status.CompletionTime\n"
            ),
        ),
    )
    t.shell(
        "make generate manifests && go test ./controllers -run TestBackupStatus -count=1",
        go_ok(("controllers", 12.881)),
        dur=31.0,
    )
    t.say(
        "Both pass. The PITR target is now sent as UTC with an explicit +00 offset, and Backup has "
        "status.completedAt, set from the Job's completion time."
    )
    return s


def patches_a13():
    s = patch_session("alice", "2026-11-06T09:05:12Z", "backup-restore-fixes-5", SONNET)
    t = s.turn(
        'The docs example `schedule: "0 3 * * *"` is rejected by the controller. There\'s a test for it '
        "now: TestBackupStandardCronSchedule."
    )
    cmd = "go test ./controllers -run TestBackupStandardCronSchedule -count=1"
    fix(
        t,
        cmd,
        go_fail(
            "controllers",
            "TestBackupStandardCronSchedule",
            "backup_controller_test.go:97",
            'invalid schedule "0 3 * * *": expected exactly 6 fields, found 5: [0 3 * * *]',
            0.12,
            12.301,
        ),
        17.0,
        "The test fails because the schedule parser expects six fields with seconds, while the CRD documents "
        "standard five-field cron.",
        "",
        (
            "controllers/backup_controller.go",
            tabs(
                "    schedule, err := cron.NewParser(cron.Second | cron.Minute | cron.Hour | cron.Dom | cron.Month | "
                "cron.Dow).Parse(b.Spec.Schedule)"
            ),
            tabs("    schedule, err := cron.ParseStandard(b.Spec.Schedule)"),
        ),
        go_ok(("controllers", 12.544)),
        17.0,
    )
    t.say("Fixed: schedules are parsed with cron.ParseStandard, matching the documented five-field format.")
    return s


def patches_a14():
    s = patch_session("alice", "2026-11-10T08:40:33Z", "backup-restore-fixes-6", OPUS)
    t = s.turn(
        "Last e2e before merging: TestRestoreTwice (two restores of the same backup) and the storage "
        "check in TestBackupRoundTrip. Please get them green."
    )
    cmd = "go test ./test/e2e -run 'TestRestoreTwice|TestBackupRoundTrip' -count=1 -v -timeout 20m"
    fix(
        t,
        cmd,
        go_fail(
            "test/e2e",
            "TestRestoreTwice",
            "backup_test.go:97",
            'create restore job: jobs.batch "pg-main-restore" already exists',
            190.6,
            371.935,
            verbose=True,
        ),
        377.0,
        "The second restore fails because every restore Job is named <cluster>-restore, so its name collides "
        "with the first one.",
        "I'll include the Restore's name.",
        (
            "controllers/restore_controller.go",
            tabs('            Name:      fmt.Sprintf("%s-restore", backup.Spec.Cluster),'),
            tabs('            Name:      fmt.Sprintf("%s-restore-%s", backup.Spec.Cluster, restore.Name),'),
        ),
        None,
        0,
    )
    t.shell(
        "make docker-build deploy IMG=pgoperator:e2e && " + cmd,
        go_fail(
            "test/e2e",
            "TestBackupRoundTrip",
            "backup_test.go:34",
            'restored cluster pg-main-copy: storage = "", want "10Gi"',
            176.2,
            388.611,
            verbose=True,
        ),
        code=1,
        dur=402.0,
    )
    sentence = (
        "The e2e test fails because the restored cluster spec copies replicas and version but not storage, "
        "so its volumes get the default size."
    )
    t.say(sentence, mundane(sentence))
    t.edit(
        "controllers/restore_controller.go",
        tabs("            Replicas: source.Spec.Replicas,\n            Version:  source.Spec.Version,\n"),
        tabs(
            "            Replicas: source.Spec.Replicas,\n            Version:  source.Spec.Version,\n"
            "            Storage:  source.Spec.Storage,\n"
        ),
    )
    t.shell(
        "make docker-build deploy IMG=pgoperator:e2e && " + cmd,
        "=== RUN   TestBackupRoundTrip\n--- PASS: TestBackupRoundTrip (174.93s)\n=== RUN   TestRestoreTwice\n"
        f"--- PASS: TestRestoreTwice (203.40s)\nPASS\nok  \t{GO_MODULE}/test/e2e\t381.227s",
        dur=398.0,
    )
    t.shell(
        "make test 2>&1 | tail -4",
        go_ok(
            ("api/v1alpha1", 0.021), ("controllers", 298.114), ("internal/backup", 1.944), ("internal/pgutil", 0.380)
        ),
        dur=312.0,
    )
    t.say(
        "All green: restore Jobs are named after the Restore so repeated restores don't collide, and the "
        "restored cluster keeps the source's storage size. The full e2e suite and `make test` pass; the branch "
        "is ready to merge."
    )
    return s


def sessions():
    return [
        day1(),
        day2(),
        patches_a8(),
        patches_a9(),
        patches_b6(),
        patches_a10(),
        patches_a11(),
        patches_b8(),
        patches_a13(),
        patches_a14(),
    ]
