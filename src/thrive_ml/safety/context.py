"""Decide the context of a risk mention: affirmed, historical, hypothetical, negated, other_person.

NegEx/ConText in small, pure functions: split sentences; find cue phrases (rules.yaml); a cue
reaches a mention if it points the right way, the mention is within its word scope, and no
terminator for its category lies between them. Pseudo-cues are matched first so their words
cannot act. When cues disagree the nearer one wins and a tie goes to the status that routes:
a denial and a risk in the same breath is a conflict, and conflicts resolve towards safety.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple

from thrive_ml.safety.normalize import fold_one
from thrive_ml.safety.rules import CompiledRules, Cue, CueCategory, Direction, default_rules
from thrive_ml.taxonomy import ContextStatus, RiskIndicator

# A form's question answered on the same line ("Ever self-harmed? No.") stays one sentence, so
# the answer can negate what was asked.
_ANSWER = r"[ \t]+(?:no|none|nil|n/?a|never|nope|not\s+known)(?![a-z/])"
# "Asked about self-harm; denies both": a denial right after a semicolon answers what came before.
_DENIAL = r"\s*(?:(?:she|he|they|yp|y/p)\s+)?(?:denies|denied|denying|deny)(?![a-z])"
_SENTENCE_END = re.compile(
    rf"[.!?]*[.!](?=\s|$)|[.!?]*\?(?=\s|$)(?!{_ANSWER})|;(?!{_DENIAL})|[\n\u2022]"
)
_ANSWER_AFTER = re.compile(_ANSWER)
_DENIAL_AFTER = re.compile(_DENIAL)
_BOUNDARY_CHARS = ".!?;\n\u2022"  # spelt out again in sentence_around
# Every sentence end starts with one of these: searching for them first lets the C engine skip
# the characters in between, where _SENTENCE_END would be tried (and fail) one by one.
_BOUNDARY = re.compile(f"[{re.escape(_BOUNDARY_CHARS)}]")
# A full stop after these is an abbreviation, not the end of a sentence.
_ABBREVIATIONS = ("dr", "mr", "mrs", "ms", "st", "e.g", "i.e", "vs", "etc", "approx")
_WORDS = re.compile(r"[a-z0-9']+")
# Someone else hurting "her"/"him" is about the child as a victim, not about someone else.
# "her" before a person ("hits her sister") is a possessive: the victim is that person.
_VICTIM = re.compile(
    r"(?<![a-z])(?:her|him|me)(?![a-z])(?!\s*sel)"
    r"(?!\s+(?:(?:little|younger|older|big|baby|twin|step|half|best)\s*)?(?:sister|brother|sibling|"
    r"mum|mom|mother|dad|father|nan|gran|granny|grandma|grandad|aunt|auntie|uncle|cousin|son|"
    r"daughter|baby|friend|friends|mate|boyfriend|girlfriend|partner|classmate|child|children)"
    r"(?:s|'s)?(?![a-z]))"
)
_VICTIM_WINDOW = 24
# Abuse, violence and means at home concern the child, so household cues do not apply.
_HOUSEHOLD_EXEMPT = frozenset(
    {RiskIndicator.SAFEGUARDING, RiskIndicator.HARM_TO_OTHERS, RiskIndicator.ACCESS_TO_MEANS}
)
_ROUTING_CATEGORIES = (CueCategory.HYPOTHETICAL, CueCategory.HISTORICAL)
# A mention that opens with its own subject pronoun ("she'd rather be dead").
_SUBJECT_START = re.compile(r"(?:she|he|i|they|we)(?:'(?:d|ll|s|m|re|ve))?\s")
# The writer's own words inside a mention ("everyone would be better off without me", "I want
# to kill myself") name who is at risk: a person mentioned nearby ("everyone", "my friends") is
# not its subject. Harm to others and safeguarding are exempt: there "me" is the victim.
# Young people often type "im" and "ive" without the apostrophe ("id" and "ill" are words).
_FIRST_PERSON = re.compile(r"(?<![a-z'])(?:me|myself|i|my|mine|i'(?:m|ve|d|ll)|im|ive)(?![a-z'])")


class CueHit(NamedTuple):
    """One cue found in the text (a tuple: many are made per sentence)."""

    start: int
    end: int
    cue: Cue


_new_hit = tuple.__new__


class _Reach(NamedTuple):
    distance: int
    before: bool
    category: CueCategory
    beats_negation: bool = False


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries; a scope never crosses one."""
    spans = []
    last = 0
    for end in _sentence_ends(text, 0):
        spans.append((last, end))
        last = end
    spans.append((last, len(text)))
    return spans


def _sentence_ends(text: str, pos: int) -> Iterator[int]:
    """Where the sentences ending at or after `pos` end (a full stop after an abbreviation
    does not end one); the same as scanning with `_SENTENCE_END.finditer`, only faster."""
    find = _BOUNDARY.search
    match = _SENTENCE_END.match
    while (b := find(text, pos)) is not None:
        m = match(text, b.start())
        if m is None:
            pos = b.start() + 1
            continue
        pos = m.end()
        if not (text[m.start()] == "." and _after_abbreviation(text, m.start())):
            yield pos


def _after_abbreviation(text: str, dot: int) -> bool:
    word = text[max(0, dot - 6) : dot].rsplit(None, 1)[-1:] or [""]
    return word[0].lstrip("(") in _ABBREVIATIONS


def _words(text: str, start: int, end: int) -> int:
    return len(_WORDS.findall(text, start, end)) if end > start else 0


def _terminated(terminators: list[CueHit], category: CueCategory, start: int, end: int) -> bool:
    return any(
        t.start >= start
        and t.end <= end
        and (t.cue.category in (category, CueCategory.ANY) or category in t.cue.terminates)
        for t in terminators
    )


def _reach(
    text: str, hit: CueHit, start: int, end: int, terminators: list[CueHit]
) -> _Reach | None:
    """How far cue `hit` is from the mention [start, end), if it reaches it at all."""
    cue = hit.cue
    if hit.end <= start and cue.direction in (Direction.FORWARD, Direction.BIDIRECTIONAL):
        gap = _words(text, hit.end, start)
        if gap <= cue.max_scope and not _terminated(terminators, cue.category, hit.end, start):
            return _Reach(gap, True, cue.category, cue.beats_negation)
    if hit.start >= end and cue.direction in (Direction.BACKWARD, Direction.BIDIRECTIONAL):
        gap = _words(text, end, hit.start)
        if cue.back_scope is None:
            scope = cue.max_scope
        elif " " in text[start:end].strip():
            return None  # 'suicidal friends' reads backwards; 'gave her cat to her friend' not
        else:
            scope = cue.back_scope
        if gap <= scope and not _terminated(terminators, cue.category, end, hit.start):
            return _Reach(gap, False, cue.category, cue.beats_negation)
    return None


def _resolve(reaches: list[_Reach]) -> ContextStatus:
    """Nearest cue wins; on a tie a routing status beats a denial unless the denial comes first."""
    if not reaches:
        return ContextStatus.AFFIRMED
    if any(r.category is CueCategory.OTHER_PERSON for r in reaches):
        return ContextStatus.OTHER_PERSON
    neg = [r for r in reaches if r.category is CueCategory.NEGATED]
    route = [r for r in reaches if r.category in _ROUTING_CATEGORIES]
    # Hypothetical before historical at equal distance: the sort key puts it first.
    route.sort(key=lambda r: (r.distance, r.category is not CueCategory.HYPOTHETICAL))
    neg.sort(key=lambda r: (r.distance, not r.before))
    if not route:
        return ContextStatus.NEGATED
    best = route[0]
    routed = ContextStatus(best.category.value)
    if not neg:
        return routed
    n = neg[0]
    if best.beats_negation:  # 'hasn't cut for six months': it happened, so it routes
        return routed
    if n.distance < best.distance or (n.distance == best.distance and n.before and not best.before):
        return ContextStatus.NEGATED
    return routed


# "like" is a preposition after a word ("acts like her sister"), not the filler that opens a
# young person's sentence ("like my sister was suicidal").
_PREPOSITION_BEFORE = re.compile(
    r"(?<![a-z])(?:about|with|to|for|from|at|of|by|than|(?<=[a-z]\s)like|towards|against|without)"
    r"\s+$"
)
_RELATIVE = re.compile(r"(?<![a-z])(?:who|that|whose)(?![a-z])")


def _object_of_preposition(text: str, hit: CueHit) -> bool:
    """'worried about her friend and has been cutting': the friend is not the subject."""
    if _RELATIVE.search(text, hit.start, hit.end):  # 'a friend who cuts' keeps the friend
        return False
    return _PREPOSITION_BEFORE.search(text[max(0, hit.start - 12) : hit.start]) is not None


def status_in_sentence(
    text: str,
    start: int,
    end: int,
    cues: list[CueHit],
    indicator: RiskIndicator | None = None,
    addressee: re.Pattern[str] | None = None,
) -> ContextStatus:
    """Status of the mention [start, end) given the cues of its sentence (pure)."""
    # "you" in or just before a mention ("you should kill yourself") is said to someone else;
    # in a threat ("I'll stab you") the one addressed is the victim, so the threat stands.
    own_words = indicator not in _HOUSEHOLD_EXEMPT and bool(_FIRST_PERSON.search(text, start, end))
    # A mention that opens with its own subject ("she'd rather be dead", "he'll end it") has a
    # new subject, as a pronoun just before it would: a person named earlier is not its subject.
    own_subject = _SUBJECT_START.match(text, start, end) is not None
    if (
        addressee is not None
        and not own_words  # "you won't have to worry about me": the speaker is at risk
        and indicator is not RiskIndicator.HARM_TO_OTHERS
        and addressee.search(text, max(0, start - 5), end)
    ):
        return ContextStatus.OTHER_PERSON
    terminators = [c for c in cues if c.cue.direction is Direction.TERMINATE]
    victim = indicator in _HOUSEHOLD_EXEMPT and bool(
        _VICTIM.search(text, start, min(len(text), end + _VICTIM_WINDOW))
    )
    reaches = []
    for hit in cues:
        if hit.cue.direction in (Direction.TERMINATE, Direction.PSEUDO):
            continue
        if start <= hit.start and hit.end <= end:  # a cue inside the mention is part of it
            continue
        # A cue running into the mention ("her girlfriend keeps saying she" + "she'll kill
        # herself") already names the mention's subject.
        reaches_into = hit.start < start < hit.end
        if reaches_into:  # 'no history of' overlapping 'history of overdose'
            hit = CueHit(hit.start, start, hit.cue)
        elif hit.start < end < hit.end:
            hit = CueHit(end, hit.end, hit.cue)
        if hit.cue.category is CueCategory.OTHER_PERSON and (
            own_words
            or (own_subject and hit.end <= start and not reaches_into)
            or _object_of_preposition(text, hit)
            or victim
            or (hit.cue.household and indicator in _HOUSEHOLD_EXEMPT)
            # after violence or abuse, the person named is its victim, not its subject
            or (hit.start >= end and indicator in _HOUSEHOLD_EXEMPT)
        ):
            continue
        r = _reach(text, hit, start, end, terminators)
        if r is not None:
            reaches.append(r)
    return _resolve(reaches)


def classify(
    text: str,
    spans: list[tuple[int, int, RiskIndicator | None]],
    rules: CompiledRules,
) -> list[ContextStatus]:
    """Statuses for many mentions of one folded text, finding cues once per sentence."""
    if not spans:
        return []
    cache: dict[tuple[int, int], list[CueHit]] = {}
    out = []
    for start, end, indicator in spans:
        sentence = sentence_around(text, start, end)
        if sentence not in cache:
            cache[sentence] = _outside(find_cues(text, rules, *sentence), spans)
        out.append(
            status_in_sentence(text, start, end, cache[sentence], indicator, rules.addressee_re)
        )
    return _carry_subject(spans, out, cache)


def _outside(
    hits: list[CueHit], spans: list[tuple[int, int, RiskIndicator | None]]
) -> list[CueHit]:
    """The cue hits not inside a mention.

    A cue word inside a risk phrase ("never" in "wish I'd never been born", "doesn't" in
    "doesn't want to be here") belongs to that phrase: it is no cue for the others.
    """
    if len(spans) == 1:  # nearly always: a comprehension without a call per hit
        a, b = spans[0][0], spans[0][1]
        return [c for c in hits if not (a <= c[0] and c[1] <= b)]
    return [c for c in hits if not any(s <= c[0] and c[1] <= e for s, e, _ in spans)]


def _carry_subject(
    spans: list[tuple[int, int, RiskIndicator | None]],
    statuses: list[ContextStatus],
    cues: dict[tuple[int, int], list[CueHit]],
) -> list[ContextStatus]:
    """'A boy in her class took pills and tried to hang himself': one subject, two mentions.

    A later mention in the same sentence keeps an earlier mention's someone-else status when
    nothing between them brings in a new subject (a pronoun, a reporting verb, 'but').
    """
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    out = list(statuses)
    for prev, cur in itertools.pairwise(order):
        if out[prev] is not ContextStatus.OTHER_PERSON or out[cur] is ContextStatus.OTHER_PERSON:
            continue
        if out[cur] is ContextStatus.NEGATED:
            continue
        gap = (spans[prev][1], spans[cur][0])
        sentence = next((s for s in cues if s[0] <= gap[0] and gap[1] <= s[1]), None)
        if sentence is None:
            continue
        terminators = [c for c in cues[sentence] if c.cue.direction is Direction.TERMINATE]
        if not _terminated(terminators, CueCategory.OTHER_PERSON, *gap):
            out[cur] = ContextStatus.OTHER_PERSON
    return out


def _is_boundary(text: str, i: int) -> bool:
    """Whether the character at i ends a sentence (same rule as sentence_spans)."""
    if text[i] == ";":
        return _DENIAL_AFTER.match(text, i + 1) is None
    if text[i] not in ".!?":
        return True
    j = i
    while j < len(text) and text[j] in ".!?":  # a run like '?!' or '...' ends together
        j += 1
    if j < len(text) and not text[j].isspace():
        return False
    if text[j - 1] == "?" and _ANSWER_AFTER.match(text, j):
        return False
    first = i
    while first > 0 and text[first - 1] in ".!?":
        first -= 1
    return not (text[first] == "." and _after_abbreviation(text, first))


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding [start, end), found without splitting the whole text."""
    s = start
    rf = text.rfind
    bullets = not text.isascii()  # the one non-ASCII boundary character
    while True:
        # _BOUNDARY_CHARS spelt out: a generator over them cost twice as much.
        e = s
        s = max(rf(".", 0, e), rf("!", 0, e), rf("?", 0, e), rf(";", 0, e), rf("\n", 0, e))
        if bullets:
            s = max(s, rf("\u2022", 0, e))
        if s < 0 or _is_boundary(text, s):
            break
    return s + 1, next(_sentence_ends(text, end), len(text))


def find_cues(
    text: str, rules: CompiledRules, start: int = 0, end: int | None = None
) -> list[CueHit]:
    """Cue hits in text[start:end], leftmost and priority-first, pseudo-cues included."""
    stop = len(text) if end is None else end
    cues = rules.cues
    # tuple.__new__ skips NamedTuple's Python-level __new__: ~4 hits a sentence.
    return [
        _new_hit(CueHit, (*m.span(), cues[m.lastgroup]))
        for m in rules.cue_re.finditer(text, start, stop)
        if m.lastgroup is not None
    ]


def status_of_span(
    text: str,
    start: int,
    end: int,
    indicator: RiskIndicator | None = None,
    rules: CompiledRules | None = None,
) -> ContextStatus:
    """Context of any span of an original text (not only lexicon hits), e.g. for evaluation."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span [{start}, {end}) is outside a text of length {len(text)}")
    compiled = rules if rules is not None else default_rules()
    folded = fold_one(text)
    f_start, f_end = folded.span_from_source(start, end)
    return classify(folded.text, [(f_start, f_end, indicator)], compiled)[0]
