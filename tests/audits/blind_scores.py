"""Scoring a blind round's findings against its truth.json, per agent format and overall.

One copy shared by the rounds' scorers, so every round is scored by the same rules: a spiral
matches on its session, outcome and site; an exotic flag matches the truth sentence it contains
(or is contained in) within the same session, and any flag matching no sentence counts as wrong;
a truth feature is compared with the audited feature sharing most of its sessions.
"""

from __future__ import annotations

import json


def formats(truth: dict) -> tuple[str, ...]:
    """The agent formats the round holds, then "all"."""
    return (*sorted({s["agent"] for s in truth["sessions"].values()}), "all")


def _spiral_matches(expected: dict, found: dict) -> bool:
    return (
        found["session_id"] in expected["session_ids"]
        and found["outcome"] == expected["outcome"]
        and expected["site"].lower() in json.dumps(found).lower()
    )


def spiral_scores(truth: dict, audit: dict) -> dict:
    """Recall and false spirals, overall and per agent format of the spiral's session."""
    agent = {s["session_id"]: s["agent"] for s in truth["sessions"].values()}
    expected, found = truth["spirals"], audit["spirals"]
    hits = [e for e in expected if any(_spiral_matches(e, f) for f in found)]
    false = [f for f in found if not any(_spiral_matches(e, f) for e in expected)]
    out: dict = {}
    for fmt in formats(truth):
        want = [e for e in expected if fmt == "all" or agent[e["session_id"]] == fmt]
        got = [e for e in hits if e in want]
        out[fmt] = {
            "found": len(got),
            "of": len(want),
            "recall": len(got) / len(want) if want else None,
            "missed": [e["session"] for e in want if e not in got],
            "false": [
                (f["session_id"], f.get("site"), f.get("outcome"))
                for f in false
                if fmt == "all" or agent.get(f["session_id"]) == fmt
            ],
        }
    return out


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def exotic_scores(truth: dict, audit: dict) -> dict:
    """Exotic precision, recall, F1; legit, mundane and non-claims flagged; per agent format."""
    by_sid = {s["session_id"]: s["agent"] for s in truth["sessions"].values()}
    verdict = {(e["session_id"], e["text"]): e["verdict"] for e in truth["explanations"]}
    matched: set = set()
    wrong: list = []
    for item in audit["explanations"]:
        if item["verdict"] != "exotic":
            continue
        said = _norm(item["text"])
        hit = [k for k in verdict if k[0] == item["session_id"] and (_norm(k[1]) in said or said in _norm(k[1]))]
        if hit:
            matched.update(hit)
        else:
            wrong.append((item["session_id"], item["text"]))
    out = {}
    for fmt in formats(truth):
        keys = [k for k in verdict if fmt == "all" or by_sid[k[0]] == fmt]
        tp = [k for k in keys if k in matched and verdict[k] == "exotic"]
        fp = [k for k in keys if k in matched and verdict[k] != "exotic"] + [
            w for w in wrong if fmt == "all" or by_sid.get(w[0]) == fmt
        ]
        fn = [k for k in keys if verdict[k] == "exotic" and k not in matched]
        p = len(tp) / (len(tp) + len(fp)) if tp or fp else 0.0
        r = len(tp) / (len(tp) + len(fn)) if tp or fn else 0.0
        out[fmt] = {
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "exotic": sum(verdict[k] == "exotic" for k in keys),
            "flagged": len(tp) + len(fp),
            "missed": [k[1] for k in fn],
            "wrong": [k[1] for k in fp],
            "legit_flagged": [k[1] for k in keys if k in matched and verdict[k] == "legit"],
            "mundane_flagged": [k[1] for k in keys if k in matched and verdict[k] == "mundane"],
            "non_claims_flagged": [k[1] for k in keys if k in matched and verdict[k] == "non_claim"],
            "legit": sum(verdict[k] == "legit" for k in keys),
            "non_claims": sum(verdict[k] == "non_claim" for k in keys),
        }
    return out


def feature_scores(truth: dict, audit: dict) -> list[dict]:
    """For each truth feature: the audited feature sharing most sessions, and its patches past 80%."""
    rows = []
    for feat in truth["features"]:
        want = set(feat["sessions"])
        best = max(audit["features"], key=lambda f: len(want & set(f["sessions"])), default=None)
        got = best["patches_after_80"] if best and want & set(best["sessions"]) else None
        rows.append(
            {
                "feature": feat.get("name") or f"{feat['repo']}@{feat['branch']}",
                "expected": feat["patches_after_80"],
                "found": got,
                "cliff_expected": feat["cliff"],
                "cliff_found": best and best.get("cliff"),
                "sessions_expected": len(want),
                "sessions_found": len(want & set(best["sessions"])) if best else 0,
                "sessions_in_found_feature": len(best["sessions"]) if best else 0,
            }
        )
    return rows


def report_scores(truth: dict, detected: list[tuple[str, str]]) -> dict:
    """User-report precision and recall: a detected report matches the truth message it overlaps."""
    sid = {name: s["session_id"] for name, s in truth["sessions"].items()}
    labelled = [(sid[m["session"]], _norm(m["text"]), m["verdict"]) for m in truth["user_messages"]]
    right, wrong, found = 0, [], set()
    for session_id, text in detected:
        said = _norm(text)
        hit = [i for i, (s, t, _) in enumerate(labelled) if s == session_id and (t in said or said in t)]
        if hit and labelled[hit[0]][2] == "report":
            right += 1
            found.update(i for i in hit if labelled[i][2] == "report")
        else:
            wrong.append(text[:120])
    reports = [i for i, m in enumerate(labelled) if m[2] == "report"]
    return {
        "precision": right / len(detected) if detected else 0.0,
        "recall": len(found) / len(reports) if reports else 0.0,
        "detected": len(detected),
        "reports": len(reports),
        "wrong": wrong,
        "missed": [labelled[i][1][:120] for i in reports if i not in found],
    }
