"""Turn the word n-grams that drove a suggestion into character spans of the original text.

Features are computed on folded text ("self-harm" -> "selfharm", "Y9" -> "year9"), so each
feature is turned back into a tolerant pattern and searched for in the text as submitted; the
offsets therefore always index the user's own string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from thrive_ml.model.estimator import Contribution


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    weight: float


# What re.IGNORECASE lets an ASCII letter match, spelt out. Without the flag, and with the word
# boundary checked just after the first letter, a pattern begins with a character class, which
# lets the regex engine skip ahead to candidate letters: ~2.5x faster than the plain
# IGNORECASE pattern, with the same matches (i, k and s have non-ASCII case partners).
_CASE_PARTNERS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def _letter(ch: str) -> str:
    if ch.isascii() and ch.isalpha():
        low = ch.lower()
        return f"[{low.upper()}{low}{_CASE_PARTNERS.get(low, '')}]"
    if ch == "'":
        return "['\u2019]?"
    return re.escape(ch)


def _caseless(text: str) -> str:
    return "".join(_letter(ch) for ch in text)


def _token_pattern(token: str) -> str | None:
    """A folded token back as a pattern over the submitted text (ASCII tokens only)."""
    if token == "num":  # noqa: S105 - the folded-number token, not a password
        return None
    m = re.fullmatch(r"self(harm\w*|injur\w*)", token)
    if m:
        return _caseless("self") + r"[\s-]*" + _caseless(m.group(1))
    m = re.fullmatch(r"year(\d{1,2})", token)
    if m:
        return _letter("y") + f"(?:{_caseless('ear')})?" + r"\s?" + m.group(1)
    return _caseless(token)


def _ignorecase_token_pattern(token: str) -> str | None:
    """The same, for use with re.IGNORECASE (tokens with non-ASCII letters)."""
    if token == "num":  # noqa: S105 - the folded-number token, not a password
        return None
    return re.escape(token).replace("'", "['\u2019]?")


@lru_cache(maxsize=16384)
def feature_regex(feature: str) -> re.Pattern[str] | None:
    """A word n-gram of the model as a pattern over the text as submitted (None: unfindable)."""
    tokens = feature.split(" ")
    if not all(t.isascii() for t in tokens):
        parts = [_ignorecase_token_pattern(t) for t in tokens]
        if any(p is None for p in parts):
            return None
        return re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)", re.IGNORECASE)
    parts = [_token_pattern(t) for t in tokens]
    if any(p is None for p in parts):
        return None
    body = r"\W+".join(parts)
    first = _letter(tokens[0][0])
    if first.startswith("[") and body.startswith(first):
        # `(?<!\w)` moved after the first letter: "no word character before it".
        return re.compile(first + rf"(?<!\w{first})" + body[len(first) :] + r"(?!\w)")
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


_PLAIN_WORD = re.compile(r"[a-z0-9]+")


def _is_plain(token: str) -> bool:
    """The token's pattern is the token itself, caseless: no folding to undo."""
    return _PLAIN_WORD.fullmatch(token) is not None and _token_pattern(token) == _caseless(token)


@lru_cache(maxsize=16384)
def _plain_first_word(feature: str) -> str | None:
    """The feature's first word when it is plain."""
    first = feature.split(" ", 1)[0]
    return first if _is_plain(first) else None


def _matches(
    pattern: re.Pattern[str], feature: str, text: str, lowered: str | None
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, jumping between occurrences of the first word when the text is
    ASCII (lower-casing keeps offsets) instead of letting the engine try every candidate
    letter: the same matches in the same order, several times faster on a referral."""
    first = _plain_first_word(feature) if lowered is not None else None
    if first is None:
        yield from pattern.finditer(text)
        return
    pos = lowered.find(first)
    while pos >= 0:
        m = pattern.match(text, pos)
        if m is not None:
            yield m
            # finditer resumes after a match (an empty one cannot happen: words are non-empty)
            pos = lowered.find(first, m.end())
        else:
            pos = lowered.find(first, pos + 1)


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


@lru_cache(maxsize=16384)
def _plain_tokens(feature: str) -> tuple[str, ...] | None:
    """The feature's words when every one is plain."""
    tokens = tuple(feature.split(" "))
    return tokens if all(map(_is_plain, tokens)) else None


def _plain_spans(lowered: str, tokens: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """`feature_regex(feature).finditer(text)` spans for a plain feature of ASCII text, without
    the regex: the words in order, separated by non-word characters, whole words.

    Why: most features are plain words, and compiling a pattern for each one the first time it
    explains a suggestion cost ~150 us (a running service still met ~0.1 new one per referral).
    """
    n, first = len(lowered), tokens[0]
    pos = lowered.find(first)
    while pos >= 0:
        end = None if pos > 0 and lowered[pos - 1] in _WORD_CHARS else pos + len(first)
        for token in tokens[1:]:
            if end is None:
                break
            gap = end
            while end < n and lowered[end] not in _WORD_CHARS:
                end += 1
            end = end if end > gap and lowered.startswith(token, end) else None
            if end is not None:
                end += len(token)
        if end is not None and (end == n or lowered[end] not in _WORD_CHARS):
            yield pos, end
            pos = lowered.find(first, end)
        else:
            pos = lowered.find(first, pos + 1)


def spans_for(text: str, contributions: list[Contribution], limit: int = 5) -> list[Span]:
    """Non-overlapping spans, strongest first; every span satisfies text[start:end] == span.text."""
    out: list[Span] = []
    taken: list[tuple[int, int]] = []
    lowered = text.lower() if text.isascii() else None
    for c in contributions:
        tokens = _plain_tokens(c.feature) if lowered is not None else None
        if tokens is not None and lowered is not None:
            found: Iterator[tuple[int, int]] = _plain_spans(lowered, tokens)
        else:
            pattern = feature_regex(c.feature)
            if pattern is None:
                continue
            found = (m.span() for m in _matches(pattern, c.feature, text, lowered))
        for s, e in found:
            if any(s < te and ts < e for ts, te in taken):
                continue
            out.append(Span(s, e, text[s:e], round(c.weight, 4)))
            taken.append((s, e))
            break
        if len(out) >= limit:
            break
    return out
