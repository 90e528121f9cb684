"""Split a referral into plain pieces so a template can mark risk mentions and driving words.

Why pieces and not inserted tags: the risk mentions and the explanation spans are character
offsets that may overlap or nest (an explanation can be a risk mention; two risk indicators can
share words). Cutting the text at every span boundary gives pieces that each lie wholly inside
or outside every span, so each piece can be wrapped in its own complete elements and the markup
can never interleave. The pieces stay plain strings: the template escapes them like any text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from thrive_ml.result import Explanation, PossibleRisk, RiskFlag


@dataclass(frozen=True)
class Mention:
    """A risk mention as the page numbers it: 1, 2, ... in order of appearance."""

    number: int
    flag: RiskFlag


@dataclass(frozen=True)
class Piece:
    """A run of the text inside the same set of spans.

    `risks` are the numbers of the risk mentions covering it, `drivers` those of the
    explanation spans; `labels` are the mentions that end with this piece (their label follows);
    `possible` is true inside a sentence the learned risk reader sent to a person.
    """

    text: str
    risks: tuple[int, ...] = ()
    drivers: tuple[int, ...] = ()
    labels: tuple[Mention, ...] = ()
    possible: bool = False


def number_mentions(flags: Sequence[RiskFlag]) -> list[Mention]:
    """Risk mentions in reading order, numbered from 1 (the legend uses the same numbers)."""
    ordered = sorted(flags, key=lambda f: (f.start, f.end))
    return [Mention(i, f) for i, f in enumerate(ordered, start=1)]


def pieces(
    text: str,
    mentions: Sequence[Mention],
    explanations: Sequence[Explanation],
    possible: Sequence[PossibleRisk] = (),
) -> list[Piece]:
    """The text cut at every span boundary; joining the pieces' text gives `text` back.

    Spans outside the text or empty after clamping are left out rather than trusted.
    """
    size = len(text)

    def clamp(start: int, end: int) -> tuple[int, int] | None:
        start, end = max(0, min(start, size)), max(0, min(end, size))
        return (start, end) if start < end else None

    risk_spans = [(span, m) for m in mentions if (span := clamp(m.flag.start, m.flag.end))]
    driver_spans = [
        (span, n) for n, e in enumerate(explanations, start=1) if (span := clamp(e.start, e.end))
    ]
    possible_spans = [span for p in possible if (span := clamp(p.start, p.end))]
    cuts = {0, size}
    for (start, end), _ in (*risk_spans, *driver_spans):
        cuts.update((start, end))
    for start, end in possible_spans:
        cuts.update((start, end))
    bounds = sorted(cuts)
    out: list[Piece] = []
    for left, right in pairwise(bounds):
        out.append(
            Piece(
                text=text[left:right],
                risks=tuple(m.number for (s, e), m in risk_spans if s <= left and right <= e),
                drivers=tuple(n for (s, e), n in driver_spans if s <= left and right <= e),
                labels=tuple(m for (_, e), m in risk_spans if e == right),
                possible=any(s <= left and right <= e for s, e in possible_spans),
            )
        )
    return out
