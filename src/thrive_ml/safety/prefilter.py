"""A fast first pass over folded text: where could a lexicon entry start?

Why: Python's `re` tries the lexicon's alternation (thousands of branches) at every word of a
referral, ~100 us for a typical one, and most referrals mention no risk at all. RE2 (a DFA
engine) answers "where is the first place any entry could match?" in one linear pass, several
times faster once warm. The Python regex then runs only from that place, so every mention is
still found, with the same span and the same entry, by the same regex as before.

Warm-up: RE2 builds its DFA lazily, so the first few thousand referrals a process reads are
slower than later ones (bench/safety.py reports both); it never changes what is found.

Why it can never lose a mention: the RE2 pattern is the lexicon with every zero-width assertion
dropped and each word boundary turned into a consumed non-alphanumeric character, so it matches
wherever the Python regex matches (one character earlier at most). It is used only on ASCII text,
where its character classes mean exactly what Python's do; anything else (non-ASCII text, a
pattern feature RE2 lacks, RE2 not installed) falls back to scanning with Python's regex alone.
tests/safety/test_prefilter.py checks the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from thrive_ml.safety import regexbuild as rb
from thrive_ml.safety.re2engine import compile_ascii, match_start

# Python's classes restricted to ASCII (the only text this pass sees). Python's \s also matches
# \x0b and \x1c-\x1f, which RE2's \s does not, so the classes are spelt out.
_ASCII_CLASSES = {
    "\\s": "\\t\\n\\x0b\\f\\r \\x1c-\\x1f",
    "\\w": "a-zA-Z0-9_",
    "\\d": "0-9",
}
# Assertions that consume nothing: dropping one only lets the pass match more.
_ZERO_WIDTH = ("\\b", "\\B", "\\A", "\\Z")
# Control-character escapes mean the same in both engines.
_SAME = ("\\n", "\\t", "\\r", "\\f", "\\v")
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_REPEAT = re.compile(r"\{(\d*)((?:,\d*)?)\}")
# Word boundaries as the lexicon regex sees them (rules.regexbuild.WORD_START / WORD_END).
_START = "(?:^|[^a-z0-9])"
_END = "(?:[^a-z0-9]|$)"
# RE2 builds its DFA lazily, state by state, as new text needs them, and caches the states
# within this budget (emptying the cache when it is full). The lexicon's DFA grows slowly with
# unseen text, ~35 MB over the first 30,000 synthetic referrals; at 64 MB it was emptied
# every few thousand and never got fast. Memory stays bounded either way: `thrive-ml predict`
# over 200,000 referrals peaked at 387 MB resident, against 328 MB without the prefilter
# (bench/batch_memory.py).
_MAX_MEM = 256 << 20

# first(data, pos, endpos): see build_prefilter.
Prefilter = Callable[[bytes, int, int], int | None]


class UntranslatableError(ValueError):
    """A pattern uses something RE2 lacks (backreference, inline flag, unknown escape)."""


def _escape(token: str, in_class: bool) -> str:
    if token in _ASCII_CLASSES:
        members = _ASCII_CLASSES[token]
        return members if in_class else f"[{members}]"
    if token in _ZERO_WIDTH and not in_class:
        return ""
    if token[1:].isalnum() and token not in _SAME:
        raise UntranslatableError(f"escape {token} is not translated")
    return token


def _class(body: str, i: int) -> tuple[str, int]:
    """Translate the character class opening at `i`; returns it and the index after it."""
    out = ["["]
    i += 1
    if body[i : i + 1] == "^":
        out.append("^")
        i += 1
    if body[i : i + 1] == "]":
        out.append("\\]")
        i += 1
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            out.append(_escape(body[i : i + 2], in_class=True))
            i += 2
        elif ch == "]":
            out.append("]")
            return "".join(out), i + 1
        elif ch == "[":
            out.append("\\[")
            i += 1
        else:
            out.append(ch)
            i += 1
    raise UntranslatableError("unterminated character class")


def translate(body: str) -> str:
    """The RE2 reading of one lexicon body: same matches on ASCII text, assertions dropped."""
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            out.append(_escape(body[i : i + 2], in_class=False))
            i += 2
        elif ch == "[":
            cls, i = _class(body, i)
            out.append(cls)
        elif body.startswith(_LOOKAROUNDS, i):
            try:
                i = rb.group_end(body, i) + 1
            except ValueError:
                raise UntranslatableError("unbalanced group") from None
            if body[i : i + 1] in ("*", "+", "?", "{"):
                raise UntranslatableError("a quantified lookaround")
        elif ch == "(" and body[i + 1 : i + 2] == "?" and body[i + 2 : i + 3] != ":":
            raise UntranslatableError(f"group {body[i : i + 4]!r} is not translated")
        elif ch in "^$":
            i += 1
        elif ch == "{":
            # Python reads "{,3}" as "{0,3}" and a brace that is no repeat as a literal; RE2 would
            # read both as literal text, so they are spelt out.
            repeat = _REPEAT.match(body, i)
            if repeat is None or not (repeat.group(1) or repeat.group(2)):
                out.append("\\{")
                i += 1
            else:
                out.append("{" + (repeat.group(1) or "0") + repeat.group(2) + "}")
                i = repeat.end()
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def build_prefilter(bodies: list[str], also: str | None = None) -> Prefilter | None:
    """`first(data, pos, endpos)`: where a match at or after `pos` could start, or None.

    `bodies` are matched between word boundaries, as the lexicon and lookalike regexes do.
    `data` is the ASCII text as bytes, encoded once by the caller. The answer is never past
    the first real match in text[pos:endpos], so a Python search from there finds exactly what
    a search from `pos` would. None when RE2 is missing or a body cannot be translated:
    callers then scan with the Python regex alone.

    `also`, an RE2 pattern, is one more place to stop: the lexicon carries the misspelling
    gate (fuzzy.py), so one pass over the text answers both questions. A stop the lexicon
    regex does not confirm is then the caller's sign that the gate may have matched.
    """
    if not bodies:
        return None
    try:
        pattern = f"{_START}(?:{'|'.join(f'(?:{translate(b)})' for b in bodies)}){_END}"
    except UntranslatableError:
        return None
    if also is not None:
        pattern = f"{pattern}|{also}"
    compiled = compile_ascii(pattern, _MAX_MEM)
    if compiled is None:
        return None
    start = match_start(compiled)

    def first(data: bytes, pos: int, endpos: int) -> int | None:
        # It starts one character back, where the consumed boundary before a match at `pos`
        # sits.
        found = start(data, pos - 1 if pos > 0 else 0, endpos)
        return None if found < 0 else max(found, pos)

    return first


def prefiltered_matches(
    pattern: re.Pattern[str], first: Prefilter, text: str, data: bytes, pos: int, endpos: int
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text, pos, endpos)`, searching only where `first` points."""
    while pos <= endpos:
        at = first(data, pos, endpos)
        if at is None:
            return
        m = pattern.search(text, at, endpos)
        if m is None:
            return
        if m.end() == m.start():
            # An empty match: finditer's rules for what may follow one are subtle, so let it
            # carry on from here itself.
            yield from pattern.finditer(text, m.start(), endpos)
            return
        yield m
        pos = m.end()
