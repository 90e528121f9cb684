"""RE2, Google's DFA engine, for the rules' one-pass checks over ASCII text.

The rules decide with Python's regexes; RE2 only answers "could anything match here?" first,
in one linear pass (prefilter.py for the lexicon and lookalikes, the obfuscation signs in
normalize.py, the misspelling gate in fuzzy.py). Every caller falls back to Python alone when
the wheel is missing (`compile_ascii` returns None), so RE2 can make the rules faster, never
change what they find.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

try:
    import re2
except ImportError:  # pragma: no cover - the wheel is a declared dependency
    re2 = None

# first(data, pos, endpos) -> where the leftmost match starts (at or after pos), -1 if none.
Starts = Callable[[bytes, int, int], int]


def compile_ascii(pattern: str, max_mem: int | None = None) -> Any | None:
    """The compiled RE2 program, or None when RE2 is missing or refuses the pattern.

    `max_mem`: the budget for its lazily built DFA (RE2's default, 8 MB, when None)."""
    if re2 is None:
        return None
    options = re2.Options()
    options.log_errors = False
    if max_mem is not None:
        options.max_mem = max_mem
    try:
        return re2.compile(pattern.encode("utf-8"), options)
    except re2.error:
        return None


def match_start(compiled: Any) -> Starts:
    """`first(data, pos, endpos)`: the start of the leftmost match in data[pos:endpos], -1 if
    none, with RE2 seeing data[:endpos] as the whole text (its `$` matches only there).

    It calls RE2's Match on the wrapper's compiled program when the wrapper exposes it: the
    wrapper's generator and match object cost ~1.5 us a call, and the rules make several
    calls a referral. tests/safety/test_prefilter.py holds both ways equal."""
    try:
        direct = compiled._regexp.Match
        unanchored = re2._Anchor.UNANCHORED
    except AttributeError:  # pragma: no cover - another wrapper layout
        return wrapped_start(compiled)

    def first(data: bytes, pos: int, endpos: int) -> int:
        text = data if endpos >= len(data) else data[:endpos]
        if pos > len(text):
            return -1
        return direct(unanchored, text, pos, len(text))[0][0]

    return first


def wrapped_start(compiled: Any) -> Starts:
    """`match_start` through the wrapper's public `search` (the reference)."""
    search = compiled.search

    def first(data: bytes, pos: int, endpos: int) -> int:
        m = search(data if endpos >= len(data) else data[:endpos], pos)
        return -1 if m is None else m.start()

    return first


def finds(pattern: str) -> Callable[[bytes], bool] | None:
    """`found(data)`: whether the pattern matches anywhere in the ASCII bytes; None without RE2."""
    compiled = compile_ascii(pattern)
    if compiled is None:
        return None
    first = match_start(compiled)
    return lambda data: first(data, 0, len(data)) >= 0
