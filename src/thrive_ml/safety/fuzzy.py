"""Misspelling lookup: is this word a misspelt risk word?

Kept apart from matcher.py so the rules compiler can build one memoised lookup per rule set
without importing the matcher.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from rapidfuzz.distance import DamerauLevenshtein

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
