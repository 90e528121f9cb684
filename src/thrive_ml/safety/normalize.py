"""Fold obfuscated writing into plain lower-case text, keeping a map back to the original.

Risk words get disguised - by accident (autocorrect, accents, odd keyboards) or on purpose
(censor-dodging on social media): homoglyphs, zero-width characters, leetspeak, spaced letters,
stretched letters. The matcher sees the folded text; every folded character remembers which
original character it came from, so a flag's offsets always point at the submitted text.

Plain ASCII text without any sign of obfuscation (the common case) takes a fast path: it is only
lower-cased, which keeps every offset unchanged.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from thrive_ml.safety.re2engine import finds

# Characters that carry no letters: removed so "self\u200bharm" reads "selfharm".
_DROP = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u200b\u200c\u200d"
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067"
    "\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufe0e\ufe0f\ufeff\uffa0"
)

# Cyrillic and Greek letters that look like Latin ones (after case folding).
_HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ӏ": "l", "һ": "h", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ս": "u", "օ": "o", "ց": "g", "ɩ": "i",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ϲ": "c", "ѵ": "v", "ɑ": "a", "ı": "i",
    "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss", "æ": "ae", "œ": "oe",
}  # fmt: skip

_APOSTROPHES = frozenset("\u2018\u2019\u201b\u02bc\u02b9\u0060\u00b4\u2032\uff07")
# Dashes read as the hyphen the rules are written with: a form's "Self-harm \u2013 no" is
# "self-harm - no" (a denial), where reading the dash as a space left a bare "no" (2026.12.8).
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")

# Leetspeak: only read as letters when they sit inside a word.
_LEET = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"}
_LEET_ONE = ("i", "l")  # "k1ll" needs i, "se1f" needs l: both readings are tried.

_SPACED = re.compile(r"(?<![a-z0-9@$])(?:[a-z0-9@$][ .\-_*·•~+]{1,3}){2,}[a-z0-9@$](?![a-z0-9@$])")
_RUN3 = re.compile(r"([a-z])\1\1+")
# On ASCII text, every _SPACED match holds one of these (RE2 has no lookarounds): three
# word-ish characters, each after one to three separators, not after another word character.
_any_spaced = finds(r"(?:^|[^a-z0-9@$])[a-z0-9@$](?:[ .\-_*~+]{1,3}[a-z0-9@$]){2}")
# The same question without a backreference, for RE2: its DFA answers in ~1 us where the
# backreference costs Python ~10 us a referral, and the slow path asks up to eight times.
_any_run3 = finds("|".join(c * 3 for c in "abcdefghijklmnopqrstuvwxyz"))


def _has_run3(text: str) -> bool:
    if _any_run3 is not None and text.isascii():
        return _any_run3(text.encode("ascii"))
    return _RUN3.search(text) is not None


# In lower-cased text, any of these means the slow path is needed. Each starts with a character
# class so the engine can skip ahead cheaply; together they cost a few microseconds per referral.
_SIGNS = (
    re.compile(  # leetspeak: a leet character between letters, before two, after two ('d13')
        # but not school years, counts and ages written the usual way ('yr7', 'x10', '14yo')
        r"[013457@$|!](?<!yr.)(?<![^a-z]x.)(?:(?<=[a-z].)(?=[a-z])"
        r"|(?=[a-z]{2})(?!(?:st|nd|rd|th|am|pm|mg|ml|kg|cm|mm|hr|yr|min|yo)s?\b)"
        r"|(?<=[a-z]{2}.)|(?<=[a-xz].)[013457@$](?![0-9]))"
    ),
    re.compile(r"(.)\1\1(?<=[a-z]..)"),  # stretched letters
    re.compile(  # spaced or dotted letters
        r"[ .\-_*~+](?<=[^a-z0-9@$][a-z0-9@$][ .\-_*~+])[ .\-_*~+]{0,2}[a-z0-9@$]"
        r"[ .\-_*~+]{1,3}[a-z0-9@$](?![a-z0-9@$])"
    ),
)


# One RE2 pass (a DFA, ~4x faster than the three searches above) over a looser reading of the
# same signs: each lookaround above becomes the characters it asserts, consumed, and a negative
# one is dropped, so this matches wherever any of them does. Only where it matches do the exact
# checks run. (safety/prefilter.py explains the same idea for the lexicon.)
_SIGN_SUPERSET = (
    # leetspeak: the four readings of the first sign
    r"[a-z][013457@$|!][a-z]|[013457@$|!][a-z]{2}|[a-z]{2}[013457@$|!]"
    r"|[a-xz][013457@$|!][013457@$]"
    # stretched letters: a letter three times
    + "|"
    + "|".join(c * 3 for c in "abcdefghijklmnopqrstuvwxyz")
    # spaced or dotted letters
    + r"|[^a-z0-9@$][a-z0-9@$][ .\-_*~+]{1,3}[a-z0-9@$][ .\-_*~+]{1,3}[a-z0-9@$]"
    r"(?:[^a-z0-9@$]|$)"
)
_sign_superset = finds(_SIGN_SUPERSET)


def _has_signs(lowered: str) -> bool:
    # A leading space lets the spaced-letter check see a word at the very start.
    padded = " " + lowered
    if (
        _sign_superset is not None
        and padded.isascii()
        and not _sign_superset(padded.encode("ascii"))
    ):
        return False
    return any(sign.search(padded) is not None for sign in _SIGNS)


@dataclass(frozen=True)
class Folded:
    """Folded text and, per folded character, the index of the original character it came from.

    `origin` is None when folding kept every offset (the fast path).
    """

    text: str
    origin: tuple[int, ...] | None
    source: str

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span back to the smallest original span covering it."""
        if self.origin is None:
            return start, end
        if end <= start:
            pos = self.origin[start] if start < len(self.origin) else len(self.source)
            return pos, pos
        s = self.origin[start]
        e = self.origin[end - 1] + 1
        # Keep trailing combining marks with their letter so the span is a whole grapheme.
        n = len(self.source)
        while e < n and unicodedata.combining(self.source[e]):
            e += 1
        return s, e

    def span_from_source(self, start: int, end: int) -> tuple[int, int]:
        """Map an original span to the folded span of the characters that came from it."""
        if self.origin is None:
            return start, end
        inside = [i for i, o in enumerate(self.origin) if start <= o < end]
        if inside:
            return inside[0], inside[-1] + 1
        after = next((i for i, o in enumerate(self.origin) if o >= start), len(self.origin))
        return after, after


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character's letters after NFKC, case folding, accent and homoglyph folding."""
    if ch in _APOSTROPHES:
        return "'"
    if ch in _DASHES:
        return "-"
    out = []
    for c in unicodedata.normalize("NFKC", ch).casefold():
        c = _HOMOGLYPHS.get(c, c)
        for d in unicodedata.normalize("NFD", c):
            if not unicodedata.combining(d):
                out.append(_HOMOGLYPHS.get(d, d))
    return "".join(out)


def _base_fold(text: str) -> tuple[str, list[int]]:
    if text.isascii():
        return text.lower(), list(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROP or unicodedata.combining(ch):
            continue
        if ch.isascii():
            chars.append(ch.lower())
            origin.append(i)
            continue
        for c in _fold_char(ch):
            chars.append(c)
            origin.append(i)
    return "".join(chars), origin


_LEET_CHAR = re.compile(r"[013457@$!|]")
_ALPHA = re.compile(r"[^\W\d_]")
_ONLY_LEET = re.compile(r"[013457@$!|]+")
_WORDISH = re.compile(r"[a-z0-9@$!|]")
_WORDISH_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|")
_WORDISH_RUN = re.compile(r"[a-z0-9@$!|]*")


def _leet_words(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the whole runs of word-ish characters that hold a leet character.

    Found from the leet characters outwards: a regex for the run itself was tried at every
    character of every word (~50 us a referral on the slow path; this is a few)."""
    pos = 0
    while (m := _LEET_CHAR.search(text, pos)) is not None:
        a = m.start()
        while a > pos and text[a - 1] in _WORDISH_CHARS:
            a -= 1
        pos = _WORDISH_RUN.match(text, m.start()).end()
        yield a, pos


def _leet(text: str, one: str) -> str:
    """Read digits and symbols as letters inside words written in leetspeak.

    A word is leet when it mixes letters and leet characters ('k1ll'); an all-digit word
    ('70' in 'w4n7 70 d13') is read as letters only next to a leet word, so ordinary numbers
    stay numbers.
    """
    runs = []  # (start, end, kind) for words holding a leet character, in order
    for a, b in _leet_words(text):
        if _ALPHA.search(text, a, b):
            runs.append((a, b, "mixed"))
        elif _ONLY_LEET.fullmatch(text, a, b) and b - a <= 4:
            runs.append((a, b, "digits"))
    if not runs:
        return text
    out = list(text)
    for n, (a, b, kind) in enumerate(runs):
        if kind == "digits" and not (
            _next_to_mixed(text, runs, n, n - 1) or _next_to_mixed(text, runs, n, n + 1)
        ):
            continue
        # '!' and '|' are punctuation at a word's edges, however many ('help!', 'die!!!').
        lo, hi = a, b
        while lo < hi and text[lo] in "!|":
            lo += 1
        while hi > lo and text[hi - 1] in "!|":
            hi -= 1
        for i in range(a, b):
            c = text[i]
            rep = one if c == "1" else _LEET.get(c)
            if rep is not None and not (c in "!|" and (i < lo or i >= hi)):
                out[i] = rep
    return "".join(out)


def _next_to_mixed(text: str, runs: list[tuple[int, int, str]], n: int, m: int) -> bool:
    """Whether leet word m is a mixed word directly beside word n (no other word between)."""
    if not 0 <= m < len(runs) or runs[m][2] != "mixed":
        return False
    lo, hi = (runs[m][1], runs[n][0]) if m < n else (runs[n][1], runs[m][0])
    return _WORDISH.search(text, lo, hi) is None


def _join_spaced(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """'s e l f h a r m' and 'k.m.s' become 'selfharm' and 'kms'."""
    if _any_spaced is not None and text.isascii() and not _any_spaced(text.encode("ascii")):
        return text, origin
    runs = [m.span() for m in _SPACED.finditer(text) if len(_ALPHA.findall(m.group())) >= 2]
    if not runs:
        return text, origin
    out_c: list[str] = []
    out_o: list[int] = []
    last = 0
    for a, b in runs:
        out_c.append(text[last:a])
        out_o.extend(origin[last:a])
        for i in range(a, b):
            if text[i].isalnum() or text[i] in "@$":
                out_c.append(text[i])
                out_o.append(origin[i])
        last = b
    out_c.append(text[last:])
    out_o.extend(origin[last:])
    return "".join(out_c), out_o


def _squeeze(text: str, origin: list[int], keep: int) -> tuple[str, list[int]]:
    """Shorten runs of 3+ identical letters to `keep` ('diiiie' -> 'die', 'killll' -> 'kill')."""
    if not _has_run3(text):
        return text, origin
    out_c: list[str] = []
    out_o: list[int] = []
    last = 0
    for m in _RUN3.finditer(text):
        start, end = m.span()
        out_c.append(text[last : start + keep])
        # The last kept letter stands for the whole run so spans cover it.
        out_o.extend(origin[last : start + keep - 1])
        out_o.append(origin[end - 1])
        last = end
    if not last:
        return text, origin
    out_c.append(text[last:])
    out_o.extend(origin[last:])
    return "".join(out_c), out_o


@functools.lru_cache(maxsize=4096)
def _one_to_one(ch: str) -> str | None:
    """A single-character stand-in for `ch` when folding keeps offsets; None when it cannot.

    Accented letters and look-alikes fold to one letter; punctuation, symbols and emoji read as
    a space (they carry no letters). Zero-width characters, combining marks and letters that fold
    to several characters need the slow path.
    """
    if ch in _DROP or unicodedata.combining(ch):
        return None
    if ch in _APOSTROPHES:
        return "'"
    folded = _fold_char(ch)
    if len(folded) == 1 and (folded.isascii() or folded.isalpha()):
        return folded
    if unicodedata.category(ch)[0] in "PSZ":
        return " "
    return None


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_same_length(text: str) -> str | None:
    """Fold text whose non-ASCII characters each stand for one character (offsets unchanged)."""
    table = {}
    for ch in set(_NON_ASCII.findall(text)):
        rep = _one_to_one(ch)
        if rep is None:
            return None
        table[ord(ch)] = rep
    if all(rep.isascii() for rep in table.values()):
        # Replacing the few distinct characters is ~10x faster than translate, which looks up
        # every character; with ASCII stand-ins no replacement can be replaced again.
        for code, rep in table.items():
            text = text.replace(chr(code), rep)
        folded = text.lower()
    else:
        folded = text.translate(table).lower()
    if len(folded) != len(text) or _has_signs(folded):
        return None
    return folded


# Quote marks that open or close a quotation (next to a space or line end, not an apostrophe
# inside a word): referrals quote the child mid-phrase ("said she 'feels like killing' him",
# "how many tablets 'would be too many'"), which would split a risk phrase. Each reads as a
# space, one character for one, so offsets are unchanged.
_QUOTES = "'\"\u2018\u2019\u201c\u201d"
_QUOTE_RUN = re.compile(f"[{_QUOTES}]+")
_AFTER_QUOTE = frozenset(" \t\r\n.,;:!?)")


def _quote_runs(text: str) -> list[tuple[int, int]]:
    """Spans of consecutive quote marks. ASCII text (nearly every referral) has only ' and ",
    a few of them, so str.find locates them ~4x faster than scanning with the regex."""
    if not text.isascii():
        return [m.span() for m in _QUOTE_RUN.finditer(text)]
    at = []
    for mark in "'\"":
        i = text.find(mark)
        while i >= 0:
            at.append(i)
            i = text.find(mark, i + 1)
    at.sort()
    runs: list[tuple[int, int]] = []
    for i in at:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _unquote(text: str) -> str:
    # An apostrophe inside a word ("doesn't") is left alone.
    spans = [
        (start, end)
        for start, end in _quote_runs(text)
        if start == 0 or text[start - 1].isspace() or end == len(text) or text[end] in _AFTER_QUOTE
    ]
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], " " * (end - start)]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def fold(text: str) -> tuple[Folded, ...]:
    """All readings of `text` worth matching: one for plain text, a few for obfuscated text.

    Several readings exist only where a character is ambiguous ('1' as i or l; a stretched
    letter as single or double), so the matcher can try each.
    """
    source, text = text, _unquote(text)
    if text.isascii():
        lowered = text.lower()
        if not _has_signs(lowered):
            return (Folded(lowered, None, source),)
    else:
        same = _fold_same_length(text)
        if same is not None:
            return (Folded(same, None, source),)
    chars, origin = _base_fold(text)
    ones = _LEET_ONE if "1" in chars else _LEET_ONE[:1]
    readings: dict[str, Folded] = {}
    keeps = (1, 2) if _has_run3(chars) else (1,)
    for keep in keeps:
        squeezed, squeezed_origin = _squeeze(chars, origin, keep)
        joined, joined_origin = _join_spaced(squeezed, squeezed_origin)
        joined, joined_origin = _squeeze(joined, joined_origin, keep)
        for one in ones:
            s, o = _squeeze(_leet(joined, one), joined_origin, keep)
            if s not in readings:
                readings[s] = Folded(s, tuple(o), source)
    return tuple(readings.values())


def fold_one(text: str) -> Folded:
    """The main reading only (for the context engine on arbitrary spans)."""
    return fold(text)[0]
