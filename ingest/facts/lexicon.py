"""The exotic-explanation audit's rules, loaded from ``ingest/rules/*.toml`` and grouped for use.

Every pattern ``explanations.py`` matches text with is a rule with an id (outside causes,
own-code causes, deflections, evidence, claim cues, hedges, negations, non-claims); this
module only picks them by kind and category, so a verdict's cues can name the rules that fired.
Nothing here holds a word list.
"""

from __future__ import annotations

import re
from functools import cache

from ingest.rules import Rule, rule, rules
from ingest.rules.prefilter import factored


def _of(kind: str, *categories: str) -> tuple[Rule, ...]:
    return tuple(r for r in rules(kind) if not categories or r.category in categories)


def _any_of(found: tuple[Rule, ...]) -> re.Pattern[str]:
    """One pattern for several rules of a category (the same words in other languages)."""
    return re.compile("|".join(f"(?:{factored(r.pattern)})" for r in found), found[0].regex.flags)


@cache
def outside_causes() -> tuple[Rule, ...]:
    return rules("outside_cause")


@cache
def own_causes() -> tuple[Rule, ...]:
    return _of("own_cause", "code")


@cache
def own_omissions() -> tuple[Rule, ...]:
    return _of("own_cause", "omission")


@cache
def code_tokens() -> tuple[Rule, ...]:
    return _of("own_cause", "token")


def code_nouns() -> Rule:
    return rule("own.noun.code")


def config_nouns() -> Rule:
    return rule("own.noun.config")


def test_nouns() -> Rule:
    return rule("own.noun.test")


def victim_verbs() -> Rule:
    return rule("own.victim.verbs")


@cache
def shadows() -> tuple[Rule, ...]:
    """Context rules whose ``fields.word`` is an outside word that the context makes ours."""
    return _of("own_cause", "shadow")


@cache
def deflections() -> tuple[Rule, ...]:
    return rules("deflection")


@cache
def hedges() -> tuple[Rule, ...]:
    return rules("hedge")


def hedge_modal() -> Rule:
    return rule("claim.hedge.modal")


@cache
def negators() -> re.Pattern[str]:
    """Every ``negator`` rule as one pattern ("not", "не", "no", "nicht", "不是"…)."""
    return _any_of(_of("negation", "negator"))


@cache
def not_negating() -> re.Pattern[str]:
    """Every ``exception`` rule as one pattern: phrases that only look like denials."""
    return _any_of(_of("negation", "exception"))


def post_negation() -> Rule:
    return rule("negation.after")


@cache
def output_evidence() -> tuple[Rule, ...]:
    """Notices in a tool output; ``fields.supports`` lists the outside categories each confirms."""
    return tuple(r for r in rules("evidence") if "supports" in r.fields)


@cache
def symptom() -> Rule:
    """Words that only restate a failure (timed out, reset, sealed, an error): evidence resting on
    them alone does not show its cause (``fields.origin``: the speaker of a line that does)."""
    return _of("evidence", "symptom")[0]


@cache
def measurements() -> tuple[Rule, ...]:
    return _of("evidence", "measurement")


@cache
def citations() -> tuple[Rule, ...]:
    return _of("evidence", "citation")


def quoted_error() -> Rule:
    return rule("evidence.quoted.error_line")


@cache
def timing_facts() -> tuple[Rule, ...]:
    return _of("evidence", "timing")


@cache
def causal_cues() -> tuple[Rule, ...]:
    return _of("claim_cue", "connective", "copula", "inference", "blame")


@cache
def causal_frames() -> tuple[Rule, ...]:
    """Explicit causal frames and guesses (``fields.frame``): they keep a note or remark a claim."""
    return tuple(r for r in rules("claim_cue") if r.fields.get("frame"))


def strong_causal() -> Rule:
    return rule("claim.strong")


def cause_part() -> Rule:
    """Where a sentence turns from its symptom to its cause ("because", "since", "weil")."""
    return rule("claim.cause_part")


@cache
def failure_reference() -> re.Pattern[str]:
    """Words in any language that point back to the failure a sentence explains."""
    return _any_of(_of("claim_cue", "failure_reference"))


@cache
def finite_verbs() -> re.Pattern[str]:
    """Finite verbs in languages written in Latin script other than English."""
    return _any_of(_of("claim_cue", "finite"))


def first_person() -> Rule:
    """The project's side named as the agent (we, our, nuestro, наш, 우리)."""
    return rule("own.agent.first_person")


@cache
def trouble() -> re.Pattern[str]:
    """Every ``trouble`` rule as one pattern: words that make a named thing blamed, in any language."""
    return _any_of(_of("claim_cue", "trouble"))


@cache
def non_claims() -> tuple[Rule, ...]:
    """Sentence-level non-claims (plans, summaries, descriptions, retractions, advice)."""
    return tuple(r for r in rules("non_claim") if r.category != "purpose" and not r.fields.get("heading"))


@cache
def summary_headings() -> tuple[Rule, ...]:
    """Headings under which every sentence is a summary or a plan (``fields.heading``)."""
    return tuple(r for r in rules("non_claim") if r.fields.get("heading"))


@cache
def purpose_clauses() -> tuple[Rule, ...]:
    return _of("non_claim", "purpose")


def plan_start() -> Rule:
    return rule("nonclaim.plan.start")
