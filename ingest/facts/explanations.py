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
from dataclasses import dataclass, field

from ingest.facts import lexicon

VERDICTS = ("exotic", "legit", "mundane")


@dataclass(slots=True)
class Claim:
    """A sentence that states a cause. ``index`` is its position in :func:`split_sentences`."""

    text: str
    index: int
    cues: list[str] = field(default_factory=list)
    hedged: bool = False


@dataclass(slots=True)
class Verdict:
    """How an explanation assigns blame.

    ``verdict``: exotic | legit | mundane. ``category``: for outside causes kernel,
    scheduler, hardware, network, platform, service (a database, cache or broker said to be
    down), upstream or vague (``measurement`` for a legit
    claim resting on a measured rate or time); for mundane code, config, test or unknown.
    ``cues``: the matched phrases that decided, as ``role: phrase``. ``score``: confidence
    that the explanation is exotic (0..1). ``evidence``: the evidence phrase, if found.
    """

    verdict: str
    category: str
    cues: list[str]
    score: float
    evidence: str | None = None


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_OUTSIDE = [(category, weight, _compile(pattern)) for category, weight, pattern in lexicon.OUTSIDE_CAUSES]
_OWN = [(weight, _compile(pattern)) for weight, pattern in lexicon.OWN_CAUSES]
_OMISSIONS = [(weight, _compile(pattern)) for weight, pattern in lexicon.OWN_OMISSIONS]
_QUOTED_ERROR = _compile(lexicon.QUOTED_ERROR)
_TIMING_FACTS = [_compile(pattern) for pattern in lexicon.TIMING_FACTS]
_CODE_TOKENS = [(weight, re.compile(pattern)) for weight, pattern in lexicon.CODE_TOKENS]
_CODE_NOUNS = _compile(lexicon.CODE_NOUNS)
_CONFIG_NOUNS = _compile(lexicon.CONFIG_NOUNS)
_ENV_VARIABLE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
_TEST_NOUNS = _compile(lexicon.TEST_NOUNS)
_DEFLECTIONS = [_compile(pattern) for pattern in lexicon.DEFLECTIONS]
_HEDGES = _compile(lexicon.HEDGES)
_NEGATORS = _compile(lexicon.NEGATORS)
_NOT_NEGATING = _compile(lexicon.NOT_NEGATING)
_EVIDENCE = [(frozenset(categories.split()), _compile(pattern)) for categories, pattern in lexicon.EVIDENCE]
# Per EVIDENCE entry: what a claim must be about for that output evidence to support it (None: anything).
_EVIDENCE_TOPICS = [
    _compile(lexicon.OUTPUT_EVIDENCE_TOPICS[categories]) if categories in lexicon.OUTPUT_EVIDENCE_TOPICS else None
    for categories, _pattern in lexicon.EVIDENCE
]
_MEASUREMENTS = [_compile(pattern) for pattern in lexicon.MEASUREMENTS]
_CITATIONS = [_compile(pattern) for pattern in lexicon.CITATIONS]
_SHADOWED = [(_compile(word), _compile(context)) for word, context in lexicon.SHADOWED_OUTSIDE]
_VICTIM_VERBS = _compile(lexicon.VICTIM_VERBS)
_POSSESSIVE = _compile(r"^(?:our|my)\b")
_OWN_SUBJECT = _compile(r"^(?:our|my|we|i)\b")
# What lies between an outside cause and a relative clause that says what it does:
# "the runtime's event loop that swallows …", "a resolver which drops …".
_RELATIVE_TO_OUTSIDE = _compile(r"^(?:'s)?[\w\s'-]{0,30}?\b(?:that|which)\s+(?:\w+ly\s+)?$")
_CAUSAL = _compile(lexicon.CAUSAL_CUES)
_PLAN = _compile(lexicon.PLAN_STARTS)
_TROUBLE = _compile(lexicon.TROUBLE)
_PLAN_CLAUSE_SPLIT = re.compile(r";|\s[-\u2014\u2013]\s|:\s")
_STRONG_CAUSAL = _compile(r"\bbecause\b|\bsince\b|\bdue to\b|\bcaused by\b|\bas (?:the|it|a)\b|\bso (?:the|it)\b")
_CLAUSE_BOUNDARY = _compile(r"[;:()\u2014\u2013]|\s-\s|,|\bbut\b|\bwhereas\b|\bhowever\b|\bbecause\b|\bwhile\b|\bso\b")
_POST_NEGATION = _compile(
    r"^[\w\s'-]{0,30}?\b(?:is|was|are|were|'s|looks|seems)\s+(?:(?:not|n't)\s+(?:the|a|an)\s+(?:\w+\s+)?(?:cause|problem|issue|culprit|reason|factor|bottleneck)|fine|healthy|ok|okay|innocent|irrelevant|ruled out|unlikely|not involved|not at fault|not to blame)\b"  # noqa: E501
)
_QUOTED = re.compile(r"\"[^\"]{3,}\"|'[^']{6,}'|`[^`]{3,}`")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\s*(?:%|ms|s|sec|seconds|mi?b|gi?b|ki?b|mi|gi)?\b")


@dataclass(slots=True)
class _Hit:
    label: str
    weight: float
    start: int
    end: int
    text: str


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
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]*_]*\s+(?=[\"'(\[*_`]?[A-Z0-9`])")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]\s+|\d+[.)]\s+|#{1,6}\s+|>\s*)")
_CODE_LINE = re.compile(
    r"^\s*(?:\$ |>>> |E {2,}|at \S+\(|File \"|Traceback|\+\+\+ |--- |@@ |\.\.\. |\w+@\w+:|PS [A-Z]:\\)"
)


def split_sentences(text: str) -> list[str]:
    """Sentences of assistant prose: fenced code, code-only and log-like lines are dropped,
    list items and headings stand alone, markdown emphasis is removed."""
    sentences: list[str] = []
    for paragraph in _paragraphs(text or ""):
        sentences += _split_paragraph(paragraph)
    return [sentence for sentence in sentences if re.search(r"[A-Za-z]{2,}", sentence)]


def _paragraphs(text: str) -> list[str]:
    paragraphs: list[list[str]] = [[]]
    in_fence = False
    for line in text.splitlines():
        if re.match(r"^\s*(```|~~~)", line):
            in_fence = not in_fence
            paragraphs.append([])
            continue
        if in_fence or not line.strip() or _is_code_line(line) or _is_code_line(_LIST_MARKER.sub("", line)):
            paragraphs.append([])
            continue
        if _LIST_MARKER.match(line):
            paragraphs.append([])
        paragraphs[-1].append(_strip_markdown(line))
    return [" ".join(lines) for lines in paragraphs if lines]


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


def find_explanations(text: str) -> list[Claim]:
    """The sentences of ``text`` that state a cause (or name an outside one).

    Plans ("Let me run the tests", "I'll check the DNS config") and questions are left out
    unless they carry a ``because``/``since`` clause; code blocks never count.
    """
    claims = []
    for index, sentence in enumerate(split_sentences(text)):
        if _is_plan_or_question(sentence):
            continue
        cues = [match.group() for match in _CAUSAL.finditer(sentence)]
        outside_all = _outside_hits(sentence) if _blames(sentence) else []
        outside = [hit for hit in outside_all if not _negated(sentence, hit)]
        # "This isn't a network problem; the client uses the wrong port": denying an outside
        # cause while naming our own is a causal claim even without a causal word.
        denied_for_own = len(outside_all) > len(outside) and _own_hits(sentence, outside)[2] >= 0.6
        if cues or outside or denied_for_own:
            cue_texts = [f"cue: {cue.strip(', ')}" for cue in cues] + [
                f"outside({hit.label}): {hit.text}" for hit in outside
            ]
            if denied_for_own:
                cue_texts += [f"negated: {hit.text}" for hit in outside_all if hit not in outside]
            claims.append(Claim(sentence, index, cue_texts, bool(_HEDGES.search(sentence))))
    return claims


def _blames(sentence: str) -> bool:
    """True when the sentence assigns blame (a causal cue or a trouble word), not just describes.

    Clauses that announce a plan ("…; I'll drop the root") blame nothing, whatever their
    words, unless they give a reason ("I'll raise the timeout since the runner is slow").
    """
    stated = " ".join(
        clause
        for clause in _PLAN_CLAUSE_SPLIT.split(sentence)
        if not _PLAN.match(clause.strip()) or _STRONG_CAUSAL.search(clause)
    )
    return bool(_CAUSAL.search(stated) or _TROUBLE.search(stated))


def _is_plan_or_question(sentence: str) -> bool:
    if sentence.rstrip().endswith("?"):
        return True
    return bool(_PLAN.match(sentence.strip())) and not _STRONG_CAUSAL.search(sentence)


# --------------------------------------------------------------------------- verdicts


def classify_explanation(
    sentence: str, evidence_texts: list[str] | tuple[str, ...] = (), repeated_failures: int = 0
) -> Verdict:
    """Classify one explanation sentence.

    ``evidence_texts``: the last tool outputs before the sentence (e.g. the failing
    command's output); an outside cause they support (``no such host`` for DNS,
    ``OOMKilled`` for memory, ``429`` for throttling…) is legit. ``repeated_failures``: how
    many times in a row the same failure repeated identically (see
    :func:`repeated_identical_failures`); two or more contradicts "flaky"/"transient".
    """
    text = sentence or ""
    deflections = _deflection_hits(text)
    masked = _blank(text, deflections)
    outside_all = _outside_hits(text) if _blames(text) else []
    outside = [hit for hit in outside_all if not _negated(text, hit)]
    negated = [hit for hit in outside_all if hit not in outside]
    own, own_score, strong_own = _own_hits(masked, outside)
    hedges = [match.group() for match in _HEDGES.finditer(text)]
    sentence_evidence = _evidence_in(text)
    for categories, phrase in sentence_evidence[:1]:
        outside.append(_Hit(sorted(categories)[0], 1.0, 0, 0, phrase))
    outside_score = min(sum(hit.weight for hit in outside), 3.0)

    cues = (
        [f"outside({hit.label}): {hit.text}" for hit in outside if hit.end]
        + [f"negated: {hit.text}" for hit in negated]
        + [f"deflection: {hit.text}" for hit in deflections]
        + [f"own: {hit.text}" for hit in own]
        + [f"hedge: {hedge}" for hedge in hedges]
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
        )
    if strong_own >= 0.6:
        return Verdict("mundane", _mundane_category(masked), cues, _mundane_score(outside_score))
    measured = _measurement(text) or _first_match(_TIMING_FACTS, text)
    if measured:
        return Verdict("legit", "measurement", [*cues, f"evidence: {measured}"], 0.15, measured)
    if own_score > 0:
        return Verdict("mundane", _mundane_category(masked), cues, _mundane_score(outside_score))
    return Verdict("mundane", "unknown", cues, _mundane_score(outside_score))


def _outside_verdict(
    text: str,
    outside: list[_Hit],
    outside_score: float,
    own_score: float,
    sentence_evidence: list[tuple[frozenset[str], str]],
    evidence_texts,
    hedges: list[str],
    deflections: list[_Hit],
    repeated_failures: int,
    cues: list[str],
) -> Verdict:
    categories = _ranked_categories(outside)
    category = next((name for name in categories if name != "vague"), categories[0])
    support = _sentence_support(text, categories, sentence_evidence, hedges) or _output_support(
        categories, evidence_texts, text
    )
    if support:
        return Verdict("legit", category, [*cues, f"evidence: {support}"], 0.2 if hedges else 0.1, support)
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
    return Verdict("exotic", category, cues, round(min(max(score, 0.5), 0.99), 3))


def _mundane_score(outside_score: float) -> float:
    return round(min(0.05 + 0.15 * outside_score, 0.45), 3)


def _ranked_categories(outside: list[_Hit]) -> list[str]:
    """Blamed categories, strongest word first; among equals, the one named first."""
    ranked = sorted(outside, key=lambda hit: (-hit.weight, hit.start if hit.end else len(outside) + 10**6))
    return list(dict.fromkeys(hit.label for hit in ranked))


def _sentence_support(text: str, categories: list[str], sentence_evidence, hedges: list[str]) -> str | None:
    """Evidence the sentence itself cites: an error token, a measured rate, a cited source."""
    if sentence_evidence:
        return sentence_evidence[0][1]
    measured = _measurement(text)
    if measured:
        return measured
    citation = _citation(text)
    if citation and (not hedges or _QUOTED.search(text) or _NUMBER.search(text)):
        return citation
    quoted_error = _QUOTED_ERROR.search(text)
    if quoted_error and not hedges:
        return quoted_error.group()
    return None


def _output_support(categories: list[str], evidence_texts, claim: str = "") -> str | None:
    """An error in the preceding tool output that supports one of the blamed categories.

    Evidence about a specific resource (memory, disk, clock) counts only for a claim about
    that resource: an unrelated infrastructure symptom does not confirm the outside cause.
    """
    wanted = set(categories) - {"vague"}
    for output in reversed([text for text in evidence_texts or () if text]):
        for (supported, pattern), topic in zip(_EVIDENCE, _EVIDENCE_TOPICS):
            match = pattern.search(output)
            if match and supported & wanted and (topic is None or topic.search(claim)):
                return _line_around(output, match)
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


def _evidence_in(text: str) -> list[tuple[frozenset[str], str]]:
    return [(categories, match.group()) for categories, pattern in _EVIDENCE if (match := pattern.search(text))]


def _first_match(patterns: list[re.Pattern], text: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group().strip()
    return None


def _measurement(text: str) -> str | None:
    return _first_match(_MEASUREMENTS, text)


def _citation(text: str) -> str | None:
    return _first_match(_CITATIONS, text)


_MODIFIED_NOUN = _compile(
    r"\s*(?:calls?|clients?|requests?|mocks?|stubs?|tests?|code|handlers?|helpers?|wrappers?|config(?:uration)?|settings?|"
    r"names?|timeouts?|retr(?:y|ies)|functions?|address(?:es)?|ports?|urls?|endpoints?|policy|policies|fixtures?)\b"
)


def _outside_hits(text: str) -> list[_Hit]:
    """Outside causes named in ``text``; "network call", "DNS name" are our code, not the network,
    and a word the sentence's context makes ours ("migration V8") is not the outside thing."""
    hits = [
        _Hit(category, weight, match.start(), match.end(), match.group())
        for category, weight, pattern in _OUTSIDE
        for match in pattern.finditer(text)
        if match.group().strip() and not _MODIFIED_NOUN.match(text, match.end()) and not _shadowed(match.group(), text)
    ]
    return _non_overlapping(hits)


def _shadowed(word: str, text: str) -> bool:
    return any(pattern.fullmatch(word) and context.search(text) for pattern, context in _SHADOWED)


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
            _Hit("deflection", 1.0, match.start(), match.end(), match.group())
            for pattern in _DEFLECTIONS
            for match in pattern.finditer(text)
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
        _Hit("own", weight, match.start(), match.end(), match.group())
        for weight, pattern in _OWN
        for match in pattern.finditer(text)
        if not _victim(text, match, outside) and not _outside_action(text, match, outside)
    ]
    for weight, pattern in _OMISSIONS:
        for match in pattern.finditer(text):
            clause_start = _clause_start(text, match.start())
            if _outside_action(text, match, outside):
                continue
            if not any(clause_start <= hit.start < match.start() for hit in outside if hit.end):
                candidates.append(_Hit("own", weight, match.start(), match.end(), match.group()))
    hits = _non_overlapping(candidates)
    strong = sum(hit.weight for hit in hits)
    for weight, pattern in _CODE_TOKENS:
        token = pattern.search(text)
        if token:
            hits.append(_Hit("code", weight, token.start(), token.end(), token.group()))
            strong += weight
    score = strong
    nouns = {match.group().lower() for match in _CODE_NOUNS.finditer(text)}
    if nouns:
        hits.append(_Hit("noun", 0.3, 0, 0, ", ".join(sorted(nouns))))
        score += min(0.3 * len(nouns), 0.6)
    return hits, score, strong


def _outside_action(text: str, match: re.Match, outside: list[_Hit]) -> bool:
    """True when ``match`` ("swallows") is the verb of a relative clause whose antecedent is an
    outside cause: "a regression in the runtime's event loop that swallows the event" blames
    the runtime, not our code. A clause naming our code ("that our handler drops") stays ours."""
    if _OWN_SUBJECT.match(match.group()):
        return False
    return any(
        hit.end and hit.end <= match.start() and _RELATIVE_TO_OUTSIDE.match(text[hit.end : match.start()])
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


def repeated_identical_failures(outputs: list[str]) -> int:
    """How many of the last outputs are the same failure (after masking volatile details).

    Pass the outputs of successive failed runs, oldest first. Returns the length of the
    trailing run of identical ones: 0 for none, 1 for a single failure, 3 when the last
    three failed identically — which contradicts a "flaky"/"intermittent" explanation.
    """
    normalized = [normalize_failure(output) for output in outputs or [] if output is not None]
    if not normalized:
        return 0
    count = 1
    for previous in reversed(normalized[:-1]):
        if previous != normalized[-1]:
            break
        count += 1
    return count
