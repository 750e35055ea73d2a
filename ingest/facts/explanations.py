"""Causal claims in assistant text, and whether they blame something outside the codebase.

After a failure an agent explains it. The mundane cause — the project's own code,
configuration or tests — is right about 95% of the time; an *exotic* explanation blames
the kernel, the scheduler, hardware, the network, the platform (API server, control
plane, cloud provider, CI runners), an upstream library or runtime, or vague forces
("flaky", "transient", "environmental", cosmic rays) without evidence for it. Such claims
tend to precede workarounds (longer timeouts, retries) instead of fixes.

* :func:`split_sentences` turns markdown-ish assistant text into sentences, without code.
* :func:`find_explanations` keeps the sentences that state a cause.
* :func:`classify_explanation` says ``exotic`` (outside cause, no evidence), ``legit``
  (outside cause with evidence in the sentence or in the preceding tool output) or
  ``mundane`` (own code, config or tests), with the cues that decided it.
* :func:`repeated_identical_failures` counts how often the same failure repeated, which
  contradicts "flaky" and "transient".

The word lists live in :mod:`ingest.facts.lexicon`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.facts import lexicon
from ingest.facts.project import ProjectContext
from ingest.rules.prefilter import Prefiltered

VERDICTS = ("exotic", "legit", "mundane")


@dataclass(slots=True)
class Claim:
    """A sentence that states a cause. ``index`` is its position in :func:`split_sentences`."""

    text: str
    index: int
    cues: list[str] = field(default_factory=list)
    hedged: bool = False
    rules: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Verdict:
    """How an explanation assigns blame.

    ``verdict``: exotic | legit | mundane. ``category``: for outside causes kernel,
    scheduler, hardware, network, platform, service (a database, cache or broker said to be
    down), upstream or vague (``measurement`` for a legit
    claim resting on a measured rate or time); for mundane code, config, test or unknown.
    ``cues``: the matched phrases that decided, as ``role: phrase``. ``score``: confidence
    that the explanation is exotic (0..1). ``evidence``: the evidence phrase, if found.
    ``rules``: the ids of the rules (``ingest/rules/*.toml``) that fired, for ``--explain``.
    """

    verdict: str
    category: str
    cues: list[str]
    score: float
    evidence: str | None = None
    rules: list[str] = field(default_factory=list)


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def _rule_regex(rule, key: str) -> re.Pattern:
    return re.compile(str(rule.fields[key]), rule.regex.flags)


# Searched in every sentence (and evidence patterns in whole outputs): behind their prefilters.
_OUTSIDE = [(r.category, r.weight, Prefiltered(r.regex), r.id) for r in lexicon.outside_causes()]
# Rules whose hit counts only in a sentence that also names trouble or hedges (``fields.needs``):
# "Android's Doze mode is delaying the alarm" blames, "Django's ORM evaluates lazily" explains.
_NEEDS = {r.id: frozenset(r.fields["needs"]) for r in lexicon.outside_causes() if "needs" in r.fields}
_INTL_HEDGES = frozenset(r.id for r in lexicon.hedges() if r.id.endswith(".intl"))
# Hedges that make a sentence a guess ("probably", "I suspect", "looks like"), not the modals and
# inference verbs that general prose is full of ("may involve", "suggests").
_GUESSES = frozenset(r.id for r in lexicon.hedges() if r.category in ("adverb", "appearance", "belief"))
_OWN = [(r.weight, r.regex, r.id) for r in lexicon.own_causes()]
_OMISSIONS = [(r.weight, r.regex, r.id) for r in lexicon.own_omissions()]
_QUOTED_ERROR = lexicon.quoted_error()
_TIMING_FACTS = list(lexicon.timing_facts())
_CODE_TOKENS = [(r.weight, r.regex, r.id) for r in lexicon.code_tokens()]
_CODE_NOUNS = lexicon.code_nouns()
_CONFIG_NOUNS = lexicon.config_nouns().regex
_ENV_VARIABLE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
_TEST_NOUNS = lexicon.test_nouns().regex
_DEFLECTIONS = list(lexicon.deflections())
_HEDGES = [(r, Prefiltered(r.regex)) for r in lexicon.hedges()]
_NEGATORS = lexicon.negators()
_NOT_NEGATING = lexicon.not_negating()
# (categories supported, pattern, topic the claim must be about or None, rule id)
_EVIDENCE = [
    (
        frozenset(r.fields["supports"]),
        Prefiltered(r.regex),
        _rule_regex(r, "topic") if "topic" in r.fields else None,
        r.id,
    )
    for r in lexicon.output_evidence()
]
_MEASUREMENTS = list(lexicon.measurements())
_CITATIONS = list(lexicon.citations())
_SHADOWED = [(_rule_regex(r, "word"), r.regex, r.id) for r in lexicon.shadows()]
_VICTIM_VERBS = lexicon.victim_verbs().regex
_POSSESSIVE = _compile(r"^(?:our|my)\b")
_OWN_SUBJECT = _compile(r"^(?:our|my|we|i)\b")
# What lies between an outside cause and a relative clause that says what it does:
# "the runtime's event loop that swallows …", "a resolver which drops …".
_RELATIVE_TO_OUTSIDE = _compile(r"^(?:'s)?[\w\s'-]{0,30}?\b(?:that|which)\s+(?:\w+ly\s+)?$")
# Or the verb follows the outside cause's noun phrase directly ("Zephyr's idle mode swallowing
# the wakeup", "the Gradle daemon dropping the flag"): the outside thing is its subject.
_VERB_FORM = _compile(r"[a-z]+(?:s|ed|ing)")
_SUBJECT_GAP = _compile(
    r"^(?:'s|\u2019s)?(?:\s+(?!(?:and|or|but|because|so|since|while|when|if|that|which|is|are|was|were|our|my|we|i)\b)"
    r"[\w-]+){0,3}?\s+(?:\w+ly\s+)?$"
)
_CAUSAL = [(r, Prefiltered(r.regex)) for r in lexicon.causal_cues()]
# Cues that only hedge ("probably", "скорее всего"): a guess, not a stated link to a failure.
_HEDGED_CUES = frozenset(r.id for r, _ in _CAUSAL if r.fields.get("hedged"))
_PLAN = lexicon.plan_start()
_NON_CLAIMS = list(lexicon.non_claims())
_PURPOSE = list(lexicon.purpose_clauses())
_SUMMARY_HEADINGS = list(lexicon.summary_headings())
_TROUBLE = lexicon.trouble()
# A modal ("the proxy might strip the header") hedges a claim about what an outside thing does.
_MODAL = lexicon.hedge_modal().regex
_PLAN_CLAUSE_SPLIT = re.compile(r";|\s[-\u2014\u2013]\s|:\s")
_STRONG_CAUSAL = lexicon.strong_causal().regex
_CLAUSE_BOUNDARY = _compile(
    r"[;:()\u2014\u2013\uff0c\uff1b\uff1a\u3001\u3002]|\s-\s|,|\bbut\b|\bwhereas\b|\bhowever\b|\bbecause\b|\bwhile\b|\bso\b"
    r"|\b(?:но|из-за|потому что|так как|pero|porque|debido a|aber|weil|wegen|mais|parce que|mas|devido a)\b"
    r"|\b(?:ale|bo|ponieważ|ma|però|perché|poiché)\b"
    r"|因为|由于|때문|지만"
)
_POST_NEGATION = lexicon.post_negation().regex
_QUOTED = re.compile(r"\"[^\"]{3,}\"|'[^']{6,}'|`[^`]{3,}`")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\s*(?:%|ms|s|sec|seconds|mi?b|gi?b|ki?b|mi|gi)?\b")


@dataclass(slots=True)
class _Hit:
    label: str
    weight: float
    start: int
    end: int
    text: str
    rule: str = ""


# --------------------------------------------------------------------------- sentences

_ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "etc",
        "vs",
        "approx",
        "cf",
        "dr",
        "mr",
        "mrs",
        "ms",
        "fig",
        "no",
        "st",
        "v",
        "incl",
        "resp",
        "esp",
        "al",
    }
)
# A sentence ends at . ! ? before a capital (any alphabet's), or at a CJK full stop.
# A sentence ends at a stop followed by a capital, or by a letter of a script without case
# (Hebrew, Arabic, Devanagari, Thai, kana, CJK, Hangul), where no capital can mark the next one.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"')\]*_]*\s+(?=[\"'(\[*_`«„¿¡]?(?:[A-Z0-9`]|[\u00c0-\u00de\u0391-\u03a9\u0400-\u042f]"
    r"|[\u0590-\u06ff\u0900-\u097f\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]))"
    r"|(?<=[\u3002\uff01\uff1f])\s*"
)
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]\s+|\d+[.)]\s+|#{1,6}\s+|>\s*)")
_CODE_LINE = re.compile(
    r"^\s*(?:\$ |>>> |E {2,}|at \S+\(|File \"|Traceback|\+\+\+ |--- |@@ |\.\.\. |\w+@\w+:|PS [A-Z]:\\)"
)


def split_sentences(text: str) -> list[str]:
    """Sentences of assistant prose: fenced code, code-only and log-like lines are dropped,
    list items and headings stand alone, markdown emphasis is removed."""
    return [sentence for sentence, _summary, _origin in _sentences_in_blocks(text)]


# Where a sentence came from: a prose paragraph, a list item or bold label line (where a verbless
# fragment is a feature name, not a claim), a heading (a claim only with an explicit causal frame),
# or a table row or quoted line (never a claim).
PROSE, ITEM, HEADING, TABLE, QUOTE = "prose", "item", "heading", "table", "quote"


def _sentences_in_blocks(text: str) -> list[tuple[str, bool, str]]:
    """(sentence, under a summary heading?, origin) for every sentence of :func:`split_sentences`."""
    sentences: list[tuple[str, bool, str]] = []
    for paragraph, in_summary, origin in _paragraphs(text or ""):
        sentences += [
            (piece, in_summary, origin) for sentence in _split_paragraph(paragraph) for piece in _bounded(sentence)
        ]
    # Any script's letters: a sentence in Russian or Chinese is prose too.
    return [entry for entry in sentences if re.search(r"[^\W\d_]{2,}", entry[0])]


# No sentence on the real transcripts that states a cause is longer than 800 characters; longer
# runs are tables, code or text without stops. Reading them in pieces of this size keeps every
# sentence-level check bounded (they compare hits pairwise), so one unpunctuated megabyte costs
# linear time, and a claim inside it is still read.
_LONGEST_SENTENCE = 1000


def _bounded(sentence: str) -> list[str]:
    """``sentence`` in pieces of at most :data:`_LONGEST_SENTENCE` characters, cut between words."""
    pieces = []
    while len(sentence) > _LONGEST_SENTENCE:
        cut = sentence.rfind(" ", 0, _LONGEST_SENTENCE + 1)
        cut = cut if cut > 0 else _LONGEST_SENTENCE
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*pieces, sentence] if sentence else pieces


_HEADING = re.compile(r"^\s*(?:#{1,6}\s+(?P<a>.+)|\*\*(?P<b>[^*]{2,60})\*\*:?\s*$|(?P<c>[A-Z][\w /&'-]{2,40}):\s*$)")
# A line that opens with a bold label ("**Network retries** with backoff"): a list item without a marker.
_LABEL_LINE = re.compile(r"^\s*(?:\*\*|__)[^*_]{2,60}(?:\*\*|__)")
_TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
_QUOTE_LINE = re.compile(r"^\s*>")


def _paragraphs(text: str) -> list[tuple[str, bool, str]]:
    paragraphs: list[tuple[list[str], bool, str]] = [([], False, PROSE)]
    in_fence = False
    in_summary = False
    for line in text.splitlines():
        if re.match(r"^\s*(```|~~~)", line):
            in_fence = not in_fence
            paragraphs.append(([], in_summary, PROSE))
            continue
        if in_fence or not line.strip() or _is_code_line(line) or _is_code_line(_LIST_MARKER.sub("", line)):
            paragraphs.append(([], in_summary, PROSE))
            continue
        heading = _HEADING.match(line)
        if _TABLE_LINE.match(line):
            if paragraphs[-1][2] != TABLE:
                paragraphs.append(([], in_summary, TABLE))
        elif _QUOTE_LINE.match(line):
            paragraphs.append(([], in_summary, QUOTE))
        elif heading:
            title = _strip_markdown(next(group for group in heading.groups() if group))
            in_summary = _summary_heading(title)
            paragraphs.append(([], in_summary, HEADING))
        elif _LIST_MARKER.match(line) or _LABEL_LINE.match(line):
            paragraphs.append(([], in_summary, ITEM))
        elif paragraphs[-1][2] in (TABLE, QUOTE):
            paragraphs.append(([], in_summary, PROSE))
        paragraphs[-1][0].append(_strip_markdown(line))
    return [(" ".join(lines), summary, origin) for lines, summary, origin in paragraphs if lines]


def _summary_heading(title: str) -> bool:
    """A heading that opens a summary of work done or a plan: what follows states no cause."""
    return any(rule.search(title.strip()) for rule in _SUMMARY_HEADINGS)


def _is_code_line(line: str) -> bool:
    stripped = line.strip()
    if re.fullmatch(r"`[^`]*`[.:]?", stripped) or _CODE_LINE.match(line):
        return True
    if (
        line.startswith(("    ", "\t"))
        and not _LIST_MARKER.match(line)
        and re.search(r"[{};=()]\s*$|^\s*(?:def|func|class|import|return|if|for)\b", line)
    ):
        return True
    letters = sum(char.isalpha() or char.isspace() for char in stripped)
    return len(stripped) > 12 and letters / len(stripped) < 0.55


def _strip_markdown(line: str) -> str:
    line = _LIST_MARKER.sub("", line)
    line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", line).strip()


def _split_paragraph(paragraph: str) -> list[str]:
    sentences = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[start : match.start()].rstrip("\"')]*_")
        last_word = re.search(r"([\w.]+)\.$", before)
        if last_word and (
            last_word.group(1).lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Za-z]", last_word.group(1))
        ):
            continue
        sentences.append(paragraph[start : match.start()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [sentence for sentence in sentences if sentence]


# --------------------------------------------------------------------------- claims


def find_explanations(text: str, resolved: bool = False) -> list[Claim]:
    """The sentences of ``text`` that state a cause (or name an outside one as the trouble).

    Not claims, whatever their words (``non_claim.toml``): plans and proposals, summaries of
    work done (and every sentence under a summary heading), descriptions of what code does,
    retractions, conditional advice and questions, unless they give a reason with a strong
    connective ("I'll raise the timeout since the runner is slow"). Purpose clauses ("so that
    the platform can retry") are read as blank. Code blocks never count, nor table rows, nor a
    list item, heading or bold label that is a fragment with no clause ("Rate limiting on the
    upstream API"). ``resolved``: the last check passed, so no failure is open; a sentence then
    explains the failure only with a causal word (a deploy note naming DNS propagation does not).
    """
    claims = []
    for index, (sentence, in_summary, origin) in enumerate(_sentences_in_blocks(text)):
        if in_summary or origin in (TABLE, QUOTE) or (origin in (ITEM, HEADING) and not has_clause(sentence)):
            continue
        if origin == HEADING and not _framed(_without_purpose(sentence)[0]):
            continue
        non_claim = _non_claim(sentence, origin)
        if non_claim:
            continue
        stated, purpose_rules = _without_purpose(sentence)
        cue_hits = _causal_hits(stated)
        outside_all = _outside_hits(stated) if _blames(stated) else []
        outside = [hit for hit in outside_all if not _negated(stated, hit)]
        # "This isn't a network problem; the client uses the wrong port": denying an outside
        # cause while naming our own is a causal claim even without a causal word.
        denied_for_own = len(outside_all) > len(outside) and _own_hits(stated, outside)[2] >= 0.6
        # Without a causal word, only a firmly named outside thing said to misbehave blames it:
        # "sometimes they pass and sometimes they fail" restates the symptom.
        named_outside = any(hit.weight >= 0.8 for hit in outside) or sum(hit.weight for hit in outside) >= 1.2
        if resolved and not (_FAILURE_REFERENCE.search(stated) or _FAILURE_REFERENCE_INTL.search(stated)):
            # Nothing open to explain and no word back to what failed ("deployed; DNS
            # propagation may take a while"): only a stated cause counts, not a guess or a name.
            named_outside = denied_for_own = False
            cue_hits = [hit for hit in cue_hits if hit.rule not in _HEDGED_CUES]
        if cue_hits or named_outside or denied_for_own:
            cue_texts = [f"cue: {hit.text.strip(', ')}" for hit in cue_hits] + [
                f"outside({hit.label}): {hit.text}" for hit in outside
            ]
            fired = [hit.rule for hit in cue_hits] + [hit.rule for hit in outside]
            if denied_for_own:
                cue_texts += [f"negated: {hit.text}" for hit in outside_all if hit not in outside]
            hedges = _hedge_hits(sentence)
            claims.append(
                Claim(
                    sentence,
                    index,
                    cue_texts,
                    bool(hedges),
                    _unique(fired + [hit.rule for hit in hedges] + purpose_rules),
                )
            )
    return claims


# Words that point to a failure that happened or is still open ("it was a blip", "the
# remaining failures").
_FAILURE_REFERENCE = _compile(
    r"\b(?:was|were|had|did|fail\w*|errors?|broke|broken|remaining|still|except|apart from|other than|earlier|before|"
    r"last (?:run|time)|"
    r"that time|first (?:run|time)|flak\w+|transient\w*|intermittent\w*|flukes?|blips?|hiccups?|sporadic\w*|"
    r"timed out|crashed|hung)\b"
)
# A clause has a finite verb: an auxiliary, copula or modal, a causal verb, a subject pronoun
# with its verb, or "the X … <verb>s the/our …". Only fragments from list items and headings
# are checked; a sentence in another script is taken as a clause (no English verbs to find).
_FINITE = _compile(
    r"\b(?:is|are|was|were|am|be|been|being|has|have|had|does|do|did|can|could|may|might|must|will|would|"
    r"should|shall|seems?|seemed|appears?|appeared|looks?|looked|sounds?|keeps?|kept|gets?|got|fails?|failed|"
    r"causes?|caused|explains?|explained|means?|meant|comes?|came|stems?|leads?|led|points?|suggests?)\b"
    r"|n't\b|'(?:s|re|ve|d|ll)\b|\b(?:because|since|due to)\b"
    r"|\b(?:it|they|this|that|which|who|we|i|he|she|you)\s+(?:\w+ly\s+)?\w+(?:s|ed)\b"
    r"|\bthe\s+(?:[\w-]+\s+){0,3}?[\w-]+(?:s|ed)\s+(?:the|a|an|our|my|its|their|us|them|it|every|each|all|any)\b"
)
_NON_LATIN = re.compile(r"[^\x00-\x7f\u00c0-\u024f]{2,}")
# The same in other languages (ingest/rules/claim_cue.toml): a Polish or Spanish list item has
# its verbs too, and a sentence in another language can point back to what failed.
_FINITE_INTL = lexicon.finite_verbs()
_FAILURE_REFERENCE_INTL = lexicon.failure_reference()


def has_clause(sentence: str) -> bool:
    """True when ``sentence`` holds a clause, not a bare noun phrase ("Network retries with backoff")."""
    return bool(_FINITE.search(sentence) or _NON_LATIN.search(sentence) or _FINITE_INTL.search(sentence))


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(rule_id for rule_id in ids if rule_id))


def _causal_hits(text: str) -> list[_Hit]:
    return _non_overlapping(
        [
            _Hit("cue", 1.0, match.start(), match.end(), match.group(), rule.id)
            for rule, scan in _CAUSAL
            for match in scan.finditer(text)
        ]
    )


def _hedge_hits(text: str) -> list[_Hit]:
    return _non_overlapping(
        [
            _Hit("hedge", 1.0, match.start(), match.end(), match.group(), rule.id)
            for rule, scan in _HEDGES
            for match in scan.finditer(text)
        ]
    )


def _non_claim(sentence: str, origin: str = PROSE) -> str | None:
    """The id of the non-claim rule ``sentence`` is (a plan, summary, description, retraction,
    conditional advice, the shape of a note, a running remark on a tool; a question), or None.
    Plans, summaries and descriptions that give a reason with a strong connective are claims all
    the same, and so are notes and remarks with an explicit causal frame (``unless_frame``);
    advice and retractions never are. Rules marked ``item`` hold only in list items and headings."""
    stripped = _APOSTROPHES.sub("'", sentence.strip())
    if stripped.rstrip().endswith("?"):
        return "question"
    for rule in _NON_CLAIMS:
        if rule.fields.get("item") and origin not in (ITEM, HEADING):
            continue
        if rule.search(stripped):
            stated = _without_purpose(stripped)[0]
            if (rule.category == "plan" or rule.fields.get("unless_reason")) and _STRONG_CAUSAL.search(stated):
                continue
            if rule.category == "plan" and any(_framed(clause) for clause in _PLAN_CLAUSE_SPLIT.split(stated)[1:]):
                continue  # "I'll re-run it; this looks like a transient glitch": a guess beside the plan
            if rule.fields.get("unless_frame") and _framed(stated):
                continue
            return rule.id
    return None


# Typographic apostrophes ("I’ll", "Let’s") read as plain ones by the non-claim rules.
_APOSTROPHES = re.compile("[\u2019\u2018\u02bc]")
_FRAMES = [Prefiltered(r.regex) for r in lexicon.causal_frames()]


def _framed(sentence: str) -> bool:
    """True when ``sentence`` holds an explicit causal frame ("because", "the reason", "is the
    culprit") or a guess ("probably", "must be", "seems"), in any supported language."""
    return any(scan.search(sentence) for scan in _FRAMES)


def _without_purpose(sentence: str) -> tuple[str, list[str]]:
    """``sentence`` with its purpose clauses blanked, and the ids of the rules that blanked them."""
    fired = []
    for rule in _PURPOSE:
        found = list(rule.regex.finditer(sentence))
        if found:
            fired.append(rule.id)
        for match in found:
            sentence = sentence[: match.start()] + " " * (match.end() - match.start()) + sentence[match.end() :]
    return sentence, fired


def _blames(sentence: str) -> bool:
    """True when the sentence assigns blame (a causal cue or a trouble word), not just describes.

    Clauses that announce a plan ("…; I'll drop the root") blame nothing, whatever their
    words, unless they give a reason ("I'll raise the timeout since the runner is slow").
    """
    stated = " ".join(
        clause
        for clause in _PLAN_CLAUSE_SPLIT.split(sentence)
        if not _PLAN.search(clause.strip()) or _STRONG_CAUSAL.search(clause)
    )
    return bool(_causal_hits(stated) or _TROUBLE.search(stated) or _MODAL.search(stated))


def _is_plan_or_question(sentence: str) -> bool:
    return _non_claim(sentence) is not None


# --------------------------------------------------------------------------- verdicts


def classify_explanation(
    sentence: str,
    evidence_texts: list[str] | tuple[str, ...] = (),
    repeated_failures: int = 0,
    context: ProjectContext | None = None,
) -> Verdict:
    """Classify one explanation sentence.

    ``evidence_texts``: the tool outputs of the failure the sentence explains (the failing
    command's output and what ran after it); an outside cause they show (``no such host`` for
    DNS, ``OOMKilled`` for memory, ``429`` for throttling, ``EACCES`` for a sandbox, the named
    error code itself…) is legit. ``repeated_failures``: how many times in a row the same
    failure repeated identically (see :func:`repeated_identical_failures`); two or more
    contradicts "flaky"/"transient". ``context``: the names the session shows to be the
    project's own; a cause naming one of them is mundane, whatever word list it is also in.
    """
    text, purpose_rules = _without_purpose(sentence or "")
    deflections = _deflection_hits(text)
    masked = _blank(text, deflections)
    outside_all = _outside_hits(text) if _blames(text) else []
    project_hits: list[_Hit] = []
    if context is not None:
        outside_all, project_hits = _split_by_project(text, outside_all, context)
    outside = [hit for hit in outside_all if not _negated(text, hit)]
    negated = [hit for hit in outside_all if hit not in outside]
    symptom = _symptom_only(text, outside, deflections)
    if symptom:
        outside, negated = [], [*negated, *outside]
    own, own_score, strong_own = _own_hits(masked, outside)
    if symptom:
        own.append(symptom)
        own_score += symptom.weight
        strong_own += symptom.weight
    own += project_hits
    own_score += sum(hit.weight for hit in project_hits)
    strong_own += sum(hit.weight for hit in project_hits)
    hedges = _hedge_hits(text)
    sentence_evidence = _evidence_in(text)
    for categories, phrase, rule_id in sentence_evidence[:1]:
        outside.append(_Hit(sorted(categories)[0], 1.0, 0, 0, phrase, rule_id))
    outside_score = min(sum(hit.weight for hit in outside), 3.0)

    cues = (
        [f"outside({hit.label}): {hit.text}" for hit in outside if hit.end]
        + [f"negated: {hit.text}" for hit in negated]
        + [f"deflection: {hit.text}" for hit in deflections]
        + [f"own: {hit.text}" for hit in own]
        + [f"hedge: {hit.text}" for hit in hedges]
    )
    fired = _unique(
        [hit.rule for hit in outside]
        + [hit.rule for hit in negated]
        + ["negation.before" if negated else ""]
        + [hit.rule for hit in deflections]
        + [hit.rule for hit in own]
        + [hit.rule for hit in hedges]
        + purpose_rules
        + _shadow_rules(text)
    )
    if outside_score > 0 and (deflections or outside_score > own_score):
        return _outside_verdict(
            text,
            outside,
            outside_score,
            own_score,
            sentence_evidence,
            evidence_texts,
            hedges,
            deflections,
            repeated_failures,
            cues,
            fired,
        )
    if strong_own >= 0.6:
        return Verdict("mundane", _mundane_category(masked), cues, _mundane_score(outside_score), rules=fired)
    measured = _measurement(text) or _first_match(_TIMING_FACTS, text)
    if measured:
        phrase, rule_id = measured
        return Verdict("legit", "measurement", [*cues, f"evidence: {phrase}"], 0.15, phrase, [*fired, rule_id])
    if own_score > 0:
        return Verdict("mundane", _mundane_category(masked), cues, _mundane_score(outside_score), rules=fired)
    return Verdict("mundane", "unknown", cues, _mundane_score(outside_score), rules=fired)


_CAUSE_PART_RULE = lexicon.cause_part()
_FIRST_PERSON = lexicon.first_person()


def _symptom_only(text: str, outside: list[_Hit], deflections: list[_Hit]) -> _Hit | None:
    """An own-cause hit when the outside things are only the symptom's subject.

    "Django returns 404 because the URL pattern lacks the trailing slash", "Stripe's check fails
    because we parse the body first": everything outside is named before the sentence turns to
    its cause, and the cause part names our side (we, our, a fault of our code) and nothing outside.
    A denial of our code ("not our code") keeps the outside blame."""
    turn = _CAUSE_PART_RULE.regex.search(text)
    named = [hit for hit in outside if hit.end]
    if turn is None or not named or deflections or any(hit.start >= turn.start() for hit in named):
        return None
    cause = text[turn.end() :]
    if _outside_hits(cause):
        return None
    agent = _FIRST_PERSON.regex.search(cause)
    # Code nouns alone are not enough: "…, because the same code passed yesterday" argues for
    # the outside cause. Our side must act (we, our) or be at fault (an omission, a mistake).
    if agent is None and (turn.group().lower() == "since" or _own_hits(cause, [])[2] < 0.6):
        return None
    at = turn.end() + (agent.start() if agent else 0)
    phrase = agent.group() if agent else cause.strip()[:60]
    rule_id = _FIRST_PERSON.id if agent else _CAUSE_PART_RULE.id
    return _Hit("own", 0.6, at, at + len(phrase), f"cause part: {phrase}", rule_id)


def _split_by_project(text: str, outside: list[_Hit], context: ProjectContext) -> tuple[list[_Hit], list[_Hit]]:
    """Outside hits that name the project's own things become own-code hits.

    "The scheduler in `job_scheduler.py` drops the retry" names the project's module, not the
    kernel's scheduler. The hit and the words right before it ("the upload_worker's …") are
    checked against the session's files, identifiers and repository name; and when the cause
    part of the sentence (after "because", "due to"…) names one, the claim blames our code.
    The symptom named as the subject ("the e2e tests are flaky") is not the cause.
    """
    kept, ours = [], []
    for hit in outside:
        modifier = _MODIFIER_BEFORE.search(text, 0, hit.start)
        window = (modifier.group(0) if modifier else "") + hit.text
        name = context.owned_name(window) or _modifier_is_ours(hit, context)
        if name:
            ours.append(_Hit("project", 1.0, hit.start, hit.end, name, "own.project.identifier"))
        else:
            kept.append(hit)
    connective = _CAUSE_PART.search(text)
    if not ours and connective:
        name = context.owned_name(text[connective.end() :])
        if name:
            ours.append(_Hit("project", 0.8, 0, 0, name, "own.project.identifier"))
    return kept, ours


# The one or two words right before an outside word that may say whose it is ("upload_worker's").
_MODIFIER_BEFORE = re.compile(r"(?:[\w.`/-]+(?:'s)?\s+){1,2}$")
# Where a sentence turns from the symptom to its cause.
_CAUSE_PART = _compile(r"\b(?:because(?: of)?|due to|caused by|comes? from|stems? from|is in|lies in|blame)\b")


def _modifier_is_ours(hit: _Hit, context: ProjectContext) -> str | None:
    """For a structural rule ("the X server", "X's cache"), the X when it is a project name."""
    match = re.search(r"[\w.+-]+", hit.text.removeprefix("the ").removeprefix("The "))
    if match and hit.rule.startswith("outside.structural.") and match.group(0).lower() in context.names:
        return match.group(0).lower()
    return None


def _outside_verdict(
    text: str,
    outside: list[_Hit],
    outside_score: float,
    own_score: float,
    sentence_evidence: list[tuple[frozenset[str], str, str]],
    evidence_texts,
    hedges: list[_Hit],
    deflections: list[_Hit],
    repeated_failures: int,
    cues: list[str],
    fired: list[str],
) -> Verdict:
    categories = _ranked_categories(outside)
    category = next((name for name in categories if name != "vague"), categories[0])
    support = _sentence_support(text, categories, sentence_evidence, hedges) or _output_support(
        categories, evidence_texts, text, outside
    )
    if support:
        phrase, rule_id = support
        return Verdict(
            "legit",
            category,
            [*cues, f"evidence: {phrase}"],
            0.2 if hedges else 0.1,
            phrase,
            _unique([*fired, rule_id]),
        )
    score = (
        0.5
        + 0.1 * outside_score
        + (0.15 if hedges else 0.0)
        + (0.1 if deflections else 0.0)
        - 0.1 * min(own_score, 1.0)
    )
    if repeated_failures >= 2 and "vague" in categories:
        cues = [*cues, f"repeated: same failure {repeated_failures} times in a row"]
        score += 0.1
    return Verdict("exotic", category, cues, round(min(max(score, 0.5), 0.99), 3), rules=fired)


def _mundane_score(outside_score: float) -> float:
    return round(min(0.05 + 0.15 * outside_score, 0.45), 3)


def _ranked_categories(outside: list[_Hit]) -> list[str]:
    """Blamed categories, strongest word first; among equals, the one named first."""
    ranked = sorted(outside, key=lambda hit: (-hit.weight, hit.start if hit.end else len(outside) + 10**6))
    return list(dict.fromkeys(hit.label for hit in ranked))


def _sentence_support(
    text: str, categories: list[str], sentence_evidence, hedges: list[_Hit]
) -> tuple[str, str] | None:
    """Evidence the sentence itself cites: an error token, a measured rate, a cited source."""
    if sentence_evidence:
        return sentence_evidence[0][1], sentence_evidence[0][2]
    measured = _measurement(text)
    if measured:
        return measured
    citation = _citation(text)
    if citation and (not hedges or _QUOTED.search(text) or _NUMBER.search(text)):
        return citation
    quoted_error = _QUOTED_ERROR.search(text)
    if quoted_error and not hedges:
        return quoted_error.group(), _QUOTED_ERROR.id
    return None


def _output_support(
    categories: list[str], evidence_texts, claim: str = "", outside: list[_Hit] | None = None
) -> tuple[str, str] | None:
    """An error in the tool output of the failure being explained that supports the claim.

    Evidence about a specific resource (memory, disk, clock) counts only for a claim about
    that resource: an unrelated infrastructure symptom does not confirm the outside cause.
    An ``echo`` rule counts when the output shows what the claim names: the same error code
    (``EACCES``, ``ERR_PNPM_FETCH``, a status), or the blamed thing on an error line. A line
    whose evidence is only a restatement of the failure ("timed out", "connection reset", "is
    sealed", "Error:") counts only when it shows the blamed thing as the failing part (see
    :func:`_shows_cause`).
    """
    wanted = set(categories) - {"vague"}
    blamed = _Blamed(
        claim,
        [
            words
            for hit in outside or ()
            if hit.end and hit.label != "vague"
            for words in (_core_words(hit.text), _possessed(claim, hit), _blamed_name(hit.text))
            if words
        ],
        [part for hit in outside or () if hit.end and hit.label != "vague" for part in _possessed(claim, hit)],
        bool(wanted & {"network"}),
        [
            words
            for hit in outside or ()
            if hit.end and hit.label != "vague" and not _possessed(claim, hit) and hit.start >= _cause_start(claim)
            if (words := _core_words(hit.text))
        ],
    )
    for output in reversed([text for text in evidence_texts or () if text]):
        for supported, pattern, topic, rule_id in _EVIDENCE:
            if not supported & wanted:
                continue
            if rule_id in _ECHO:
                found = _echo(rule_id, pattern, output, blamed)
                if found:
                    return found, rule_id
                continue
            if topic is not None and not topic.search(claim):
                continue
            host = _HOST_ON_LINE.get(rule_id)
            for match in pattern.finditer(output):
                line = _line_around(output, match)
                if host is not None:  # the remote host on the line is where the failure is
                    if host.search(line):
                        return line, rule_id
                    continue
                if _restates_failure(pattern, line) and not _shows_cause(line, blamed):
                    continue
                not_here = _NOT_ON_LINE.get(rule_id)
                if not_here is not None and not_here.search(line):
                    continue  # "dial tcp 127.0.0.1:4222": nothing listens here, the network is not shown
                return line, rule_id
    return None


# Where a blamed thing's name ends and what is said of it begins ("Kafka | is lagging"), and the
# role nouns that name no particular thing ("the Postgres container" is Postgres on a line).
_PREDICATE = _compile(
    r"\s(?:is|are|was|were|seems?|seemed|must|might|may|could|keeps?|has|had|being|probably|likely)\b"
)
_ROLE_NOUNS = frozenset(
    [
        "container",
        "containers",
        "server",
        "servers",
        "service",
        "services",
        "cluster",
        "instance",
        "host",
        "daemon",
        "process",
        "broker",
        "brokers",
        "node",
        "nodes",
        "database",
    ]
)
# Words that say what a thing does, not which thing it is: a name made of them alone ("build" of
# "the build servers", "test" of "the Zig test runner") is shown by no line ("Build failed").
_ACTIVITY_WORDS = frozenset(
    [
        *("build", "builds", "builder", "builders", "test", "tests", "ci", "job", "jobs", "pipeline", "pipelines"),
        *("runner", "runners", "worker", "workers", "machine", "machines", "agent", "agents", "check", "checks"),
        *("run", "runs", "step", "steps", "app", "code", "suite", "task", "tasks", "deploy", "release"),
    ]
)


def _cause_start(claim: str) -> int:
    """Where the claim's cause begins: after "because", "due to"…, else at its start (in "the
    linker fails because the toolchain is broken" the linker is the symptom, not the cause)."""
    connective = _CAUSE_PART.search(claim)
    return connective.end() if connective else 0


def _blamed_name(phrase: str) -> list[str]:
    """The words naming the blamed thing itself, without what the claim says of it or its role."""
    cut = _PREDICATE.search(phrase)
    words = _core_words(phrase[: cut.start()] if cut else phrase)
    named = [word for word in words if word not in _ROLE_NOUNS]
    if all(word in _ACTIVITY_WORDS for word in named or words):
        return []
    return named or words


@dataclass(slots=True)
class _Blamed:
    """What a claim blames, as an output line may show it: the claim, the word groups naming
    the blamed things, the parts blamed of a named product ("storage" in "Vault's storage"),
    whether the network is blamed (then the remote address on a line is the failing part), and
    the blamed phrases' words."""

    claim: str
    named: list[list[str]]
    parts: list[str]
    network: bool
    phrases: list[list[str]]  # the words of each blamed phrase that blames no part ("out of memory")


# What only restates a failure ("timed out", "connection reset", "is sealed", "an error"): a
# line whose evidence rests on these words alone shows that something failed, not what.
_SYMPTOM = lexicon.symptom()
_SYMPTOM_WORDS = Prefiltered(_SYMPTOM.regex)
_ORIGIN = _rule_regex(_SYMPTOM, "origin")
_NOT_ORIGIN = _compile(str(_SYMPTOM.fields["not_origin"]))
_REMOTE = _rule_regex(_SYMPTOM, "remote")
_CODE_TOKEN = re.compile(r"\b(?:\d{3}|[A-Z][A-Z0-9_]{3,}|[A-Za-z]*[a-z][A-Z]\w*)\b")


def _restates_failure(pattern: Prefiltered, line: str) -> bool:
    """True when every match of ``pattern`` in ``line`` is made of symptom words only: what
    the evidence rule found there is the failure restated ("Connection reset by peer",
    "Error: Vault is sealed"), not a notice of its cause ("internal compiler error")."""
    covered = bytearray(len(line))  # one flag per character: linear in the line, however long
    for found in _SYMPTOM_WORDS.finditer(line):
        covered[found.start() : found.end()] = b"\x01" * (found.end() - found.start())
    if not any(covered):
        return False
    for match in pattern.finditer(line):
        rest = "".join(char for at, char in enumerate(match.group(), match.start()) if not covered[at])
        if re.search(r"[^\W_]", rest):
            return False
    return True


def _shows_cause(line: str, blamed: _Blamed) -> bool:
    """A line that only restates the failure still shows its cause when the blamed thing is
    where it comes from: the speaker that opens the line names it ("etcdserver: request timed
    out", "kafka-1 | … timed out", never an exception class such as "redis.exceptions…"), the
    line names the blamed part of a product ("The edge runtime does not support …" for
    "Vercel's edge runtime"), a network claim's line names the remote address, or the claim
    names the printed status or code as the cause ("the upstream returned a 503, so …")."""
    speakers = [
        found.group("who").lower() for found in _ORIGIN.finditer(line) if not _NOT_ORIGIN.search(found.group("who"))
    ]
    words = {word for group in blamed.named for word in group if len(word) >= 3}
    if any(
        piece.startswith(word) for speaker in speakers for piece in re.split(r"[.\-_/@]", speaker) for word in words
    ):
        return True
    lowered = line.lower()
    if any(re.search(rf"\b{re.escape(part)}\b", lowered) for part in blamed.parts):
        return True
    if not blamed.parts and any(_names_blamed(line, found.start(), words) for found in _SYMPTOM_WORDS.finditer(line)):
        return True
    if any(all(re.search(rf"\b{re.escape(word)}\b", lowered) for word in phrase) for phrase in blamed.phrases):
        return True  # the line says what the claim blames, in its words ("JavaScript heap out of memory")
    if blamed.network and _REMOTE.search(line):
        return True
    connective = _CAUSE_PART.search(blamed.claim)
    cause_part = blamed.claim[connective.end() :] if connective else blamed.claim
    return any(
        re.search(rf"(?<![\w]){re.escape(token.group())}(?![^\Ws])", cause_part)
        for found in _SYMPTOM_WORDS.finditer(line)
        for token in _CODE_TOKEN.finditer(found.group())
    )


# How far before a symptom its subject is looked for: the subject, a verb and "still" fit in it, and
# a bounded window keeps a long line of repeated symptoms linear (a hostile line is not quadratic).
_BEFORE_SYMPTOM_REACH = 80
# The word right before a symptom on a line, as its kind or its subject ("Client network | error",
# "Vault is | sealed"), never a dotted or qualified name ("redis.exceptions.ConnectionError: | Error").
_WORD_BEFORE_SYMPTOM = re.compile(
    r"(?<![\w.:/])([A-Za-z][\w-]*)\s+(?:(?:is|was|are|were|has|have)\s+(?:been\s+)?)?(?:still\s+)?$"
)


def _names_blamed(line: str, symptom_at: int, words: set[str]) -> bool:
    """Whether the symptom at ``symptom_at`` in ``line`` is said of the blamed thing itself: the word
    right before it names what the claim blames ("a network error" for "a network error",
    "Vault is sealed" for "Vault might be sealed"). A claim that blames a part of a product
    ("Vault's raft storage") is not shown by the product's symptom (``_Blamed.parts``)."""
    found = _WORD_BEFORE_SYMPTOM.search(line, max(0, symptom_at - _BEFORE_SYMPTOM_REACH), symptom_at)
    if found is None:
        return False
    name = found.group(1).lower()
    return any(name.startswith(word) for word in words)


# Output rules that count only when the matching line names the remote host (``fields.host``).
_HOST_ON_LINE = {r.id: _rule_regex(r, "host") for r in lexicon.output_evidence() if "host" in r.fields}
_ECHO = frozenset(r.id for r in lexicon.output_evidence() if r.fields.get("echo"))
# Output rules whose match does not count on a line that also matches ``fields.not_on_line``.
_NOT_ON_LINE = {r.id: _rule_regex(r, "not_on_line") for r in lexicon.output_evidence() if "not_on_line" in r.fields}
# Notices worded like prose ("not installed", "permission denied"): evidence in an output only.
_OUTPUT_ONLY = frozenset(r.id for r in lexicon.output_evidence() if r.fields.get("output_only"))
_STOP = frozenset(
    [
        "isn",
        "doesn",
        "didn",
        "wasn",
        "aren",
        "won",
        "are",
        "were",
        "has",
        "have",
        "had",
        "does",
        "probably",
        "likely",
        "maybe",
        "perhaps",
        "possibly",
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "to",
        "is",
        "was",
        "our",
        "my",
        "its",
        "this",
        "that",
        "with",
        "for",
        "and",
        "or",
        "be",
    ]
)


def _core_words(phrase: str) -> list[str]:
    return [word for word in re.findall(r"[a-z][a-z0-9.+-]{2,}", phrase.lower()) if word not in _STOP]


# What follows a product's possessive is the part blamed ("Chrome's renderer", "Vercel's edge
# runtime"): an error line naming that part shows what the claim names, without the product's name.
_POSSESSED = re.compile(r"\s*(?:(?:'s|\u2019s)\s+)?((?:[a-z][\w-]{3,})(?:\s+[a-z][\w-]{3,})?)")


def _possessed(claim: str, hit: _Hit) -> list[str]:
    """The head of what a possessive hit blames: "renderer" for "Chrome's renderer" (or for
    "Chrome's" followed by "renderer crashed"); nothing for a hit that is not a possessive."""
    owner = re.search(r"(?:'s|\u2019s)\b", hit.text)
    if owner is None:
        return []
    inside = hit.text[owner.end() :].strip()
    part = _POSSESSED.match(inside) if inside else _POSSESSED.match(claim, hit.end)
    words = _core_words(part.group(1)) if part else []
    return [word for word in words if not word.endswith("ly")][-1:]


def _echo(rule_id: str, pattern: Prefiltered, output: str, blamed: _Blamed) -> str | None:
    claim, named = blamed.claim, blamed.named
    if rule_id.endswith("named_code"):
        for match in pattern.finditer(claim):
            code = match.group(0)
            at = output.find(code)
            if at >= 0:
                line = _line_around(output, re.search(re.escape(code), output) or match)
                if _SYMPTOM_WORDS.fullmatch(code) and not _shows_cause(line, blamed):
                    continue  # the claim names the failure it explains ("the RESOURCE_EXHAUSTED comes from …")
                return line
        return None
    for line in output.splitlines()[-400:]:
        if pattern.search(line):
            lowered = line.lower()
            for words in named:
                if words and all(re.search(rf"\b{re.escape(word)}\b", lowered) for word in words):
                    if _restates_failure(pattern, line) and not _shows_cause(line, blamed):
                        break  # the blamed thing named on a line that only restates the failure
                    return line.strip()[:200]
    return None


def _line_around(text: str, match: re.Match, limit: int = 200) -> str:
    """The output line holding ``match``, trimmed to ``limit`` characters around it."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    line = text[start : end if end >= 0 else len(text)].strip()
    if len(line) <= limit:
        return line
    offset = max(0, match.start() - start - limit // 2)
    return line[offset : offset + limit].strip()


def _evidence_in(text: str) -> list[tuple[frozenset[str], str, str]]:
    return [
        (categories, match.group(), rule_id)
        for categories, pattern, _topic, rule_id in _EVIDENCE
        if rule_id not in _ECHO and rule_id not in _OUTPUT_ONLY and (match := pattern.search(text))
    ]


def _first_match(rules, text: str) -> tuple[str, str] | None:
    for rule in rules:
        match = rule.regex.search(text)
        if match:
            return match.group().strip(), rule.id
    return None


def _measurement(text: str) -> tuple[str, str] | None:
    return _first_match(_MEASUREMENTS, text)


def _citation(text: str) -> tuple[str, str] | None:
    return _first_match(_CITATIONS, text)


_MODIFIED_NOUN = _compile(
    r"\s*(?:calls?|clients?|requests?|mocks?|stubs?|tests?|code|handlers?|helpers?|wrappers?|config(?:uration)?|settings?|"
    r"names?|timeouts?|retr(?:y|ies)|functions?|address(?:es)?|ports?|urls?|endpoints?|policy|policies|fixtures?)\b"
)


# An outside thing followed by a verb of saying is where the message came from, not what is
# blamed: in "The linker says .bss overflows DRAM; our new buffer pushed it over" the cause is ours.
_SPEAKS = _compile(
    r"\s+(?:says|said|reports|reported|complains|complained|prints|printed|tells us|told us|warns|warned|outputs|"
    r"is (?:saying|telling us|reporting|complaining|printing|warning))\b"
)


def _outside_hits(text: str) -> list[_Hit]:
    """Outside causes named in ``text``; "network call", "DNS name" are our code, not the network,
    and a word the sentence's context makes ours ("migration V8") is not the outside thing."""
    hits = [
        _Hit(category, weight, start, end, text[start:end], rule_id)
        for category, weight, pattern, rule_id in _OUTSIDE
        for match in pattern.finditer(text)
        for start, end in [_cause_span(match)]
        if text[start:end].strip()
        and not _MODIFIED_NOUN.match(text, end)
        and not _SPEAKS.match(text, end)
        and not _shadowed(text[start:end], text)
    ]
    if any(hit.rule in _NEEDS for hit in hits):
        present = {"trouble"} if _TROUBLE.search(text) else set()
        hedges = _hedge_hits(text)
        if hedges:
            present.add("hedge")
        if any(hit.rule in _GUESSES for hit in hedges):
            present.add("guess")
        if any(hit.rule in _INTL_HEDGES for hit in hedges) or _NON_LATIN.search(text):
            present.add("hedge_intl")
        hits = [hit for hit in hits if hit.rule not in _NEEDS or _NEEDS[hit.rule] & present]
    return _non_overlapping(hits)


def _cause_span(match: re.Match) -> tuple[int, int]:
    """Where the blamed thing is in a match: a rule that matches its frame too ("probably
    Safari's …", "a quirk of Vercel's …") names the thing in a group called ``cause…``, so
    the hedge is not read as part of the name (by the echo of an output, or the project's names)."""
    for name in match.re.groupindex:
        if name.startswith("cause") and match.group(name) is not None:
            return match.span(name)
    return match.span()


def _shadowed(word: str, text: str) -> bool:
    return any(pattern.fullmatch(word) and context.search(text) for pattern, context, _id in _SHADOWED)


def _shadow_rules(text: str) -> list[str]:
    """Ids of the shadow rules that made an outside word in ``text`` the project's own."""
    return [
        rule_id
        for word, context, rule_id in _SHADOWED
        if context.search(text)
        and any(word.fullmatch(m.group()) for _c, _w, p, _i in _OUTSIDE for m in p.finditer(text))
    ]


def _non_overlapping(hits: list[_Hit]) -> list[_Hit]:
    chosen: list[_Hit] = []
    for hit in sorted(hits, key=lambda hit: (-hit.weight, -(hit.end - hit.start), hit.start)):
        if all(hit.end <= other.start or hit.start >= other.end for other in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda hit: hit.start)


def _clause_start(text: str, position: int) -> int:
    boundaries = [match.end() for match in _CLAUSE_BOUNDARY.finditer(text, 0, position)]
    return boundaries[-1] if boundaries else 0


def _negated(text: str, hit: _Hit) -> bool:
    """True when the clause denies the outside cause ("not a network issue", "DNS is fine")."""
    prefix = text[_clause_start(text, hit.start) : hit.start]
    if _NOT_NEGATING.search(prefix):
        return False
    window = " ".join(prefix.split()[-6:])
    if _NEGATORS.search(window):
        return True
    following = text[hit.end :]
    next_boundary = _CLAUSE_BOUNDARY.search(following)
    clause_rest = following[: next_boundary.start()] if next_boundary else following
    return bool(_POST_NEGATION.search(clause_rest))


def _deflection_hits(text: str) -> list[_Hit]:
    return _non_overlapping(
        [
            _Hit("deflection", 1.0, match.start(), match.end(), match.group(), rule.id)
            for rule in _DEFLECTIONS
            for match in rule.regex.finditer(text)
        ]
    )


def _blank(text: str, hits: list[_Hit]) -> str:
    for hit in hits:
        text = text[: hit.start] + " " * (hit.end - hit.start) + text[hit.end :]
    return text


def _own_hits(text: str, outside: list[_Hit]) -> tuple[list[_Hit], float, float]:
    """Cues that the cause is in the project's code, config or tests.

    Returns (hits, total weight, weight without the bare code nouns). An omission whose
    clause starts with an outside cause ("the runtime didn't release the port") is the
    outside cause's, not ours; so is our code named as what an outside cause acts on ("the
    scheduler is starving our goroutine").
    """
    candidates = [
        _Hit("own", weight, match.start(), match.end(), match.group(), rule_id)
        for weight, pattern, rule_id in _OWN
        for match in pattern.finditer(text)
        if not _victim(text, match, outside) and not _outside_action(text, match, outside)
    ]
    for weight, pattern, rule_id in _OMISSIONS:
        for match in pattern.finditer(text):
            clause_start = _clause_start(text, match.start())
            if _outside_action(text, match, outside):
                continue
            if not any(clause_start <= hit.start < match.start() for hit in outside if hit.end):
                candidates.append(_Hit("own", weight, match.start(), match.end(), match.group(), rule_id))
    hits = _non_overlapping(candidates)
    strong = sum(hit.weight for hit in hits)
    for weight, pattern, rule_id in _CODE_TOKENS:
        token = pattern.search(text)
        if token:
            hits.append(_Hit("code", weight, token.start(), token.end(), token.group(), rule_id))
            strong += weight
    score = strong
    nouns = {match.group().lower() for match in _CODE_NOUNS.regex.finditer(text)}
    if nouns:
        hits.append(_Hit("noun", 0.3, 0, 0, ", ".join(sorted(nouns)), _CODE_NOUNS.id))
        score += min(0.3 * len(nouns), 0.6)
    return hits, score, strong


def _outside_action(text: str, match: re.Match, outside: list[_Hit]) -> bool:
    """True when ``match`` ("swallows") is the verb of a relative clause whose antecedent is an
    outside cause: "a regression in the runtime's event loop that swallows the event" blames
    the runtime, not our code. A clause naming our code ("that our handler drops") stays ours."""
    if _OWN_SUBJECT.match(match.group()):
        return False
    return any(
        hit.end
        and hit.end <= match.start()
        and (
            _RELATIVE_TO_OUTSIDE.match(text[hit.end : match.start()])
            or (_VERB_FORM.fullmatch(match.group()) and _SUBJECT_GAP.match(text[hit.end : match.start()]))
        )
        for hit in outside
    )


def _victim(text: str, match: re.Match, outside: list[_Hit]) -> bool:
    """True when ``match`` ("our callback") is what an outside cause earlier in its clause acts
    on: "throttling is delaying our callback"."""
    if not _POSSESSIVE.match(match.group()):
        return False
    clause_start = _clause_start(text, match.start())
    return any(
        hit.end and clause_start <= hit.start < match.start() and _VICTIM_VERBS.search(text, hit.end, match.start())
        for hit in outside
    )


def _mundane_category(text: str) -> str:
    config = len(_CONFIG_NOUNS.findall(text)) + len(_ENV_VARIABLE.findall(text))
    tests = len(_TEST_NOUNS.findall(text))
    if config > tests:
        return "config"
    if tests and re.match(r"\s*(?:the|this|my|our)?\s*(?:test|fixture|assertion|mock)", text, re.IGNORECASE):
        return "test"
    return "code"


# --------------------------------------------------------------------------- repetition

_VOLATILE = [
    re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b"),
    re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE),
    re.compile(r"\b0x[0-9a-f]+\b", re.IGNORECASE),
    re.compile(r"/tmp/[\w./-]+|/var/folders/[\w./-]+"),
    re.compile(r"\b\d+(?:\.\d+)?(?:ms|s|m|h|µs|us|ns)\b|\b\d+(?:\.\d+)?\b"),
]


def normalize_failure(output: str) -> str:
    """A failure output with timestamps, durations, numbers, addresses and temp paths masked."""
    text = output or ""
    for pattern in _VOLATILE:
        text = pattern.sub("#", text)
    return re.sub(r"\s+", " ", text).strip()


def repeated_identical_failures(outputs: Iterable[str | None]) -> int:
    """How many of the last outputs are the same failure (after masking volatile details).

    Pass the outputs of successive failed runs, oldest first. Returns the length of the
    trailing run of identical ones: 0 for none, 1 for a single failure, 3 when the last
    three failed identically — which contradicts a "flaky"/"intermittent" explanation.
    """
    run = FailureRun()
    for output in outputs or []:
        run.add(output)
    return run.count()


class FailureRun:
    """:func:`repeated_identical_failures` kept up to date as failures arrive.

    A session asks for the count at every explanation, and masking an output is most of the
    cost: each output is masked once, the first time a count is asked for after it arrived
    (outputs dropped before anyone asks are never masked)."""

    def __init__(self) -> None:
        self._pending: list[str] = []
        self._last: str | None = None
        self._count = 0

    def add(self, output: str | None) -> None:
        if output is not None:
            self._pending.append(output)

    def count(self) -> int:
        for output in self._pending:
            normalized = normalize_failure(output)
            if self._count and normalized == self._last:
                self._count += 1
            else:
                self._last, self._count = normalized, 1
        self._pending.clear()
        return self._count
