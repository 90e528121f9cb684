"""Find candidate risk mentions in folded text.

One compiled alternation scans the text (on ASCII text, only from where the RE2 prefilter says a
match could start: prefilter.py); a second pass compares longer words with the fuzzy spellings
so misspelt risk words are found too. Lookalike phrases ("killing it at football")
remove any candidate they overlap. Context is decided later, in context.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from thrive_ml.safety.normalize import Folded
from thrive_ml.safety.prefilter import prefiltered_matches
from thrive_ml.safety.rules import CompiledRules
from thrive_ml.taxonomy import RiskIndicator

# Lookalike phrases are short: one that overlaps a candidate starts or ends within this reach.
_LOOKALIKE_REACH = 90
# How far back an entry's required leading words are looked for.
_LEAD_WINDOW = 60


@dataclass(frozen=True)
class Mention:
    """A candidate risk mention: span in the folded reading it was found in."""

    indicator: RiskIndicator
    start: int
    end: int


def _lookalike_spans(
    rules: CompiledRules, text: str, found: list[Mention], data: bytes
) -> list[tuple[int, int]]:
    """Lookalike phrases near the candidates (the only ones that can overlap them).

    `data` is the text as ASCII bytes when the prefilter may be used, else empty.
    """
    if rules.lookalike_re is None:
        return []
    windows: list[tuple[int, int]] = []
    for f in sorted(found, key=lambda f: f.start) if len(found) > 1 else found:
        start = max(0, f.start - _LOOKALIKE_REACH)
        end = text.find(" ", f.end + _LOOKALIKE_REACH)
        end = len(text) if end < 0 else end
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    first = rules.lookalike_prefilter if data else None
    if first is None:
        return [m.span() for s, e in windows for m in rules.lookalike_re.finditer(text, s, e)]
    look = rules.lookalike_re
    # Most windows hold no lookalike: one RE2 call says so without setting up the iteration.
    return [
        m.span()
        for s, e in windows
        if first(data, s, e) is not None
        for m in prefiltered_matches(look, first, text, data, s, e)
    ]


def _overlaps(span: tuple[int, int], blocks: list[tuple[int, int]]) -> bool:
    s, e = span
    return any(bs < e and s < be for bs, be in blocks)


def find_mentions(folded: Folded, rules: CompiledRules) -> list[Mention]:
    """Every risk candidate in one folded reading (context not yet applied)."""
    text = folded.text
    found: list[Mention] = []
    search = rules.risk_re.search
    match = rules.risk_re.match
    first = rules.risk_prefilter if text.isascii() else None
    data = text.encode("ascii") if first is not None else b""
    # Where the prefilter stopped and no lexicon mention was taken, a misspelt risk word may
    # be (the prefilter carries the misspelling gate when rules.fuzzy_in_risk_prefilter).
    unexplained_stop = False
    pos = 0
    while True:
        if first is not None:
            # Skip straight to where a match could start (prefilter.py: never past one). A
            # match starts there or one character on, after the boundary RE2 consumed; if
            # neither, RE2 is asked again rather than letting Python scan the rest of the text.
            at = first(data, pos, len(data))
            if at is None:
                break
            m = match(text, at) or match(text, at + 1)
            if m is None:
                unexplained_stop = True
                pos = at + 2
                continue
        else:
            m = search(text, pos)
            if m is None:
                break
        name = m.lastgroup
        lead = rules.risk_before.get(name) if name is not None else None
        if lead is not None and not lead.search(text[max(0, m.start() - _LEAD_WINDOW) : m.start()]):
            # Its leading words are missing: look again just after its start, so a mention
            # inside the span it covered is not skipped.
            unexplained_stop = True
            pos = m.start() + 1
            continue
        if name is not None:
            found.append(Mention(rules.risk_indicators[name], m.start(), m.end()))
        else:
            unexplained_stop = True
        pos = max(m.end(), m.start() + 1)
    if first is not None and rules.fuzzy_in_risk_prefilter:
        # A misspelt word the scan stepped over lies inside a mention, which excludes it.
        may_be_misspelt = unexplained_stop
    else:
        gate = rules.fuzzy_prefilter if data else None  # RE2 reads the ASCII bytes (fuzzy.py)
        may_be_misspelt = gate is None or gate(data)
    if (
        rules.fuzzy_word_re is not None
        and may_be_misspelt
        and any(map(rules.fuzzy_lookup, rules.fuzzy_word_re.findall(text)))
    ):
        # Misspellings are rare: only a text with one pays for the spans.
        exact = [(f.start, f.end) for f in found]
        for m in rules.fuzzy_word_re.finditer(text):
            hit = rules.fuzzy_lookup(m.group())
            if hit is not None and not _overlaps(m.span(), exact):
                found.append(Mention(hit, m.start(), m.end()))
    if not found:
        return found
    blocks = _lookalike_spans(rules, text, found, data)
    if blocks:
        found = [f for f in found if not _explained_away(f, blocks)]
    return found


def _explained_away(found: Mention, blocks: list[tuple[int, int]]) -> bool:
    """A lookalike overlapping the mention explains it away, unless it lies wholly inside it.

    One inside a longer mention only names a part of it: "found by his older brother just in
    time" is not explained by "older brother", so the mention stands (safety first).
    """
    return any(
        bs < found.end and found.start < be and not (found.start < bs and be < found.end)
        for bs, be in blocks
    )


def find_cased_mentions(source: str, rules: CompiledRules) -> list[Mention]:
    """Case-sensitive shorthand (e.g. 'HI'), matched on the original text."""
    if rules.cased_re is None:
        return []
    return [
        Mention(rules.cased_indicators[m.lastgroup], m.start(), m.end())
        for m in rules.cased_re.finditer(source)
        if m.lastgroup is not None
    ]
