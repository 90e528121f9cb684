"""Turn the word n-grams that drove a suggestion into character spans of the original text.

Features are computed on folded text ("self-harm" -> "selfharm", "Y9" -> "year9"), so each
feature is turned back into a tolerant pattern and searched for in the text as submitted; the
offsets therefore always index the user's own string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from thrive_ml.model.estimator import Contribution


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    weight: float


def _token_pattern(token: str) -> str | None:
    if token == "num":  # noqa: S105 - the folded-number token, not a password
        return None
    m = re.fullmatch(r"self(harm\w*|injur\w*)", token)
    if m:
        return r"self[\s-]*" + re.escape(m.group(1))
    m = re.fullmatch(r"year(\d{1,2})", token)
    if m:
        return r"y(?:ear)?\s?" + m.group(1)
    return re.escape(token).replace("'", "['\u2019]?")


@lru_cache(maxsize=4096)
def feature_regex(feature: str) -> re.Pattern[str] | None:
    parts = [_token_pattern(t) for t in feature.split(" ")]
    if any(p is None for p in parts):
        return None
    return re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)", re.IGNORECASE)


def spans_for(text: str, contributions: list[Contribution], limit: int = 5) -> list[Span]:
    """Non-overlapping spans, strongest first; every span satisfies text[start:end] == span.text."""
    out: list[Span] = []
    taken: list[tuple[int, int]] = []
    for c in contributions:
        pattern = feature_regex(c.feature)
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            out.append(Span(s, e, text[s:e], round(c.weight, 4)))
            taken.append((s, e))
            break
        if len(out) >= limit:
            break
    return out
