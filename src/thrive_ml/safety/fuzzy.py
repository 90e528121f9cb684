"""Misspelling lookup: is this word a misspelt risk word?

Kept apart from matcher.py so the rules compiler can build one memoised lookup per rule set
without importing the matcher.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from rapidfuzz.distance import DamerauLevenshtein

from thrive_ml.safety.re2engine import finds
from thrive_ml.taxonomy import RiskIndicator


def fuzzy_limit(target: str) -> int:
    """Edits allowed: one for spellings under 10 letters, two from 10."""
    return 1 if len(target) < 10 else 2


def fuzzy_matcher(
    targets: tuple[tuple[str, RiskIndicator], ...], exclude: frozenset[str]
) -> Callable[[str], RiskIndicator | None]:
    """A memoised word -> indicator lookup for misspellings of the fuzzy spellings.

    Edit distance (Damerau-Levenshtein, so swapped letters count once) of at most 1, or 2 for
    spellings of 10+ letters; the first letter must match, as misspellings rarely change it.
    """

    @functools.lru_cache(maxsize=65536)
    def lookup(word: str) -> RiskIndicator | None:
        if word in exclude:
            return None
        for target, indicator in targets:
            if word[0] != target[0] or abs(len(word) - len(target)) > fuzzy_limit(target):
                continue
            limit = fuzzy_limit(target)
            if DamerauLevenshtein.distance(word, target, score_cutoff=limit) <= limit:
                return indicator
        return None

    return lookup


# A letter the edits may have put anywhere (in `_variants`).
_ANY = ""


def _variants(target: str, edits: int) -> set[tuple[str, ...]]:
    """Every spelling within `edits` insertions, deletions, substitutions or swaps of adjacent
    letters of `target`, as letter tuples where `_ANY` stands for any letter.

    Damerau-Levenshtein distance (rapidfuzz's, unrestricted) counts exactly such edits made one
    after another, and each edit below, applied to a tuple, covers that edit of every spelling
    the tuple stands for; so the tuples cover every word within the distance."""
    found = {tuple(target)}
    frontier = set(found)
    for _ in range(edits):
        made = set()
        for seq in frontier:
            n = len(seq)
            for i in range(n):
                made.add((*seq[:i], _ANY, *seq[i + 1 :]))  # substitution
                made.add(seq[:i] + seq[i + 1 :])  # deletion
            for i in range(n + 1):
                made.add((*seq[:i], _ANY, *seq[i:]))  # insertion
            for i in range(n - 1):
                made.add((*seq[:i], seq[i + 1], seq[i], *seq[i + 2 :]))  # swap
        frontier = made - found
        found |= made
    return found


def fuzzy_gate(targets: tuple[tuple[str, RiskIndicator], ...]) -> Callable[[bytes], bool] | None:
    """A one-pass RE2 check on ASCII folded text: could any word be one the look-up accepts?

    None when RE2 is missing or `fuzzy_gate_pattern` has none. The matcher uses it only when
    the lexicon prefilter does not carry the same pattern (prefilter.build_prefilter's `also`).
    """
    pattern = fuzzy_gate_pattern(targets)
    return None if pattern is None else finds(pattern)


def fuzzy_gate_pattern(targets: tuple[tuple[str, RiskIndicator], ...]) -> str | None:
    """The RE2 pattern of the misspelling gate: every word the look-up could accept.

    Why: finding the candidate words with Python's regex and looking each up cost ~8 us a
    referral, and nearly no referral holds a misspelt risk word. The check matches every
    whole word within each spelling's allowance whose first letter is the spelling's (the
    look-up's own conditions), so when it finds nothing the look-up would find nothing; when it
    finds something, the look-up runs as before. None when a spelling is not plain letters
    (the look-up then always runs)."""
    if not targets or not all(re.fullmatch("[a-z]+", t) for t, _ in targets):
        return None
    alternatives = set()
    for target, _ in targets:
        for seq in _variants(target, fuzzy_limit(target)):
            if not seq or seq[0] not in (_ANY, target[0]):
                continue  # the look-up needs the first letter unchanged
            letters = (target[0], *seq[1:])
            alternatives.add("".join(c or "[a-z]" for c in letters))
    return f"(?:^|[^a-z])(?:{'|'.join(sorted(alternatives))})(?:[^a-z]|$)"
