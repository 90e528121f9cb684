"""Build fast alternation regexes from many small patterns (pure string work, no I/O).

Python's regex engine skips an alternative cheaply only when the alternative starts with a
literal character. A plain `(?P<a>...)|(?P<b>...)|...` of a few hundred named patterns is
therefore tried branch by branch at every word. Here each pattern is rewritten into
alternatives that start with a literal, grouped under that first letter:
`a(?:(?P<x>rest)|...)|b(?:...)`, so at each word only one letter's few branches are tried.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

WORD_START = r"(?<![a-z0-9])"
WORD_END = r"(?![a-z0-9])"
# A cue may end in the space before the next word ('rather than ' + an optional 'any '): it
# ends a word too. Plain WORD_END would refuse such a match before any letter. Written as one
# lookahead: an alternation of two checks at every cue's end cost the rules ~3 % of their speed.
CUE_WORD_END = r"(?!(?<!\s)[a-z0-9])"
WORD_START_CASED = r"(?<![A-Za-z0-9])"
WORD_END_CASED = r"(?![A-Za-z0-9])"
# The same word-start check made just after a word's first letter has been read.
WORD_START_INSIDE = r"(?<![a-z0-9].)"
WORD_START_INSIDE_CASED = r"(?<![A-Za-z0-9].)"

_EXPANSION_CAP = 96


def _scan(body: str) -> Iterator[tuple[int, str, int, bool]]:
    """Walk a regex body once: escapes come as one two-character token; `structural` is false
    inside a character class; `depth` is the group depth after the token."""
    depth = 0
    in_class = False
    members = 0  # where the open class's members start
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            yield i, body[i : i + 2], depth, False
            i += 2
            continue
        structural = not in_class
        if in_class:
            # "]" first in a class ("[]a]", "[^]a]") is a member, not the end.
            first = members + (body[members : members + 1] == "^")
            in_class = ch != "]" or i == first
        elif ch == "[":
            in_class = True
            members = i + 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        yield i, ch, depth, structural
        i += 1


def top_level_alternatives(body: str) -> list[str]:
    """Split `a|b(?:c|d)` into `a` and `b(?:c|d)`; respects groups, classes and escapes."""
    if "|" not in body:  # most branches: no need to walk them
        return [body] if body else []
    parts: list[str] = []
    current: list[str] = []
    for _, piece, depth, structural in _scan(body):
        if piece == "|" and structural and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(piece)
    parts.append("".join(current))
    return [p for p in parts if p]


def group_end(body: str, start: int = 0) -> int:
    """Index of the ')' closing the group that opens at `start`."""
    for i, piece, depth, structural in _scan(body[start:]):
        if piece == ")" and structural and depth == 0:
            return start + i
    raise ValueError("unbalanced group")


def _class_chars(spec: str) -> list[str] | None:
    """Characters of a simple class like 'a-c0-9' (None if it has escapes or negation)."""
    if not spec or spec.startswith("^") or "\\" in spec:
        return None
    chars: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            chars.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            chars.append(spec[i])
            i += 1
    return chars


def _optional(quant: str, heads: list[str], rest: str) -> list[str] | None:
    if quant in ("*", "+", "{"):
        return None
    if quant == "?":
        return [h + rest[1:] for h in heads] + [rest[1:]]
    return [h + rest for h in heads]


def _step(alt: str) -> list[str] | None:
    """Rewrite `alt` so its first element is nearer to a literal (None when it cannot be)."""
    if alt.startswith("(?:"):
        end = group_end(alt)
        rest = alt[end + 1 :]
        return _optional(rest[:1], top_level_alternatives(alt[3:end]), rest)
    if alt.startswith("["):
        end = alt.find("]", 1)
        chars = _class_chars(alt[1:end]) if end > 0 else None
        return None if chars is None else _optional(alt[end + 1 : end + 2], chars, alt[end + 1 :])
    if alt.startswith(("\\s*", "\\s+")):
        # At a word start leading spaces add nothing: match from the word itself.
        return [alt[3:]]
    if alt.startswith("\\d"):
        return _optional(alt[2:3], list("0123456789"), alt[2:])
    if len(alt) >= 2 and (alt[0].isalnum() or alt[0] == "'") and alt[1] == "?":
        # An optional letter or apostrophe ("i'?ve", every apostrophe in a rule): both readings,
        # so "i've" dispatches on "'" and "ive" on "v" instead of being tried at every "i".
        return [alt[0] + alt[2:], alt[2:]]
    return None


def _literal_first(alt: str) -> bool:
    return (alt[:1].isalnum() or alt[:1] == "'") and alt[1:2] not in ("?", "*", "+", "{")


def expand(alt: str, at_word_start: bool = True) -> list[str] | None:
    """Alternatives equivalent to `alt`, each starting with a literal; None if too many."""
    done: list[str] = []
    todo = [alt]
    while todo:
        a = todo.pop(0)
        if _literal_first(a):
            done.append(a)
            continue
        if not a or (not at_word_start and a.startswith("\\s")):
            return None
        nxt = _step(a)
        if nxt is None:
            return None
        todo[:0] = nxt
        if len(done) + len(todo) > _EXPANSION_CAP:
            return None
    return done


def _trie(items: list[tuple[str, str]], end: str, depth: int, first: bool) -> str:
    """Branches for `items` (name, remaining pattern), dispatched on up to `depth` letters."""
    if depth == 0 or len(items) <= 2:
        return "|".join(_leaf(name, alt, end) for name, alt in items)
    by_first: dict[str, list[tuple[str, str]]] = {}
    leaves: list[tuple[str, str]] = []
    for name, alt in items:
        expanded = expand(alt, at_word_start=first) if alt else None
        if expanded is None:
            leaves.append((name, alt))
            continue
        for k, a in enumerate(expanded):
            key = f"{name}_{k}" if len(expanded) > 1 else name
            by_first.setdefault(a[0], []).append((key, a[1:]))
    parts = [
        f"{re.escape(ch)}(?:{_trie(sub, end, depth - 1, first=False)})"
        for ch, sub in by_first.items()
    ]
    parts.extend(_leaf(name, alt, end) for name, alt in leaves)
    return "|".join(parts)


def _leaf(name: str, alt: str, end: str) -> str:
    """A branch whose empty named group at the end says which pattern matched.

    The name goes last, not around the pattern, so the branch still starts with a literal and
    the engine can skip it after one comparison (a group at the start defeats that).
    """
    return f"(?:{alt})(?P<{name}>){end}" if "|" in alt else f"{alt}(?P<{name}>){end}"


def dispatch_alternation(
    branches: list[tuple[str, str]], start: str, end: str, start_inside: str | None = None
) -> str:
    """One regex for named branches, dispatched letter by letter like a trie.

    Group names are the branch name plus `_<n>` suffixes (callers map them back by prefix).
    Within one letter the given order is kept, so earlier branches win. With `start_inside`
    (a one-character lookbehind such as `(?<![a-z0-9].)`) the word-start check moves after the
    first letter, so the whole regex starts with a literal and the engine can skip ahead to the
    few letters it needs: best when the branches start with few distinct letters.
    """
    items = [
        (f"{name}_{j}", alt)
        for name, body in branches
        for j, alt in enumerate(top_level_alternatives(body))
    ]
    if start_inside is None:
        return f"{start}(?:{_trie(items, end, depth=4, first=True)})"
    by_first: dict[str, list[tuple[str, str]]] = {}
    other: list[str] = []
    for name, alt in items:
        expanded = expand(alt)
        if expanded is None:
            other.append(f"{start}{_leaf(name, alt, end)}")
            continue
        for k, a in enumerate(expanded):
            by_first.setdefault(a[0], []).append((f"{name}_{k}", a[1:]))
    parts = [
        f"{re.escape(ch)}{start_inside}(?:{_trie(sub, end, depth=3, first=False)})"
        for ch, sub in by_first.items()
    ]
    return "|".join(parts + other)


def longest_first(branches: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Split branches into alternatives, longer first (usually the more specific reading)."""
    split = [
        (f"{name}x{j}", alt)
        for name, body in branches
        for j, alt in enumerate(top_level_alternatives(body))
    ]
    return sorted(split, key=lambda na: -len(na[1]))


def cue_alternation(bodies: list[tuple[str, str, int]]) -> str:
    """Cues in priority order, then longest first, so 'no history of' wins over 'no'.

    The engine takes the first branch that matches at a position, so compound cues that start
    with a shorter cue's words carry a priority to be tried first. Word cues are dispatched on
    their first letter; punctuation cues (',', '?') are tried after them.
    """
    ordered = []
    for name, body, priority in bodies:
        for j, alt in enumerate(top_level_alternatives(body)):
            ordered.append((priority, len(alt), f"{name}x{j}", alt))
    ordered.sort(key=lambda b: (-b[0], -b[1]))
    words: list[tuple[str, str]] = []
    punct: list[tuple[str, str]] = []
    led_by_group: list[tuple[str, str]] = []
    for _, _, name, alt in ordered:
        if not alt.startswith("("):
            (words if alt[:1].isalnum() else punct).append((name, alt))
            continue
        # A group may open with punctuation ('(?:-|:)\s*no'): the word-start check must not
        # guard those readings, or 'self-harm: no' is never read (it follows a letter).
        readings = _group_readings(alt)
        led = [a for a in readings if not _word_led(a)]
        if not led:
            words.append((name, alt))
            continue
        kept = [a for a in readings if _word_led(a)]
        if kept:
            words.append((f"{name}w", "|".join(kept)))
        led_by_group.extend((f"{name}p{k}", a) for k, a in enumerate(led))
    regex = dispatch_alternation(words, WORD_START, CUE_WORD_END)
    # Group-led readings go first, as they did when they were tried with the word cues.
    punct = led_by_group + punct
    if punct:
        regex += "|" + _punct_dispatch(punct)
    return regex


def _word_led(alt: str) -> bool:
    """Whether `alt` starts with a word character (a letter, digit, '\\d' or '\\w') or a group."""
    return alt[:1].isalnum() or alt.startswith(("(", "\\d", "\\w"))


def _group_readings(alt: str) -> list[str]:
    """'(?:-|:)rest' as ['-rest', ':rest']; any other shape (an optional group) as itself."""
    if not alt.startswith("(?:"):
        return [alt]
    end = group_end(alt)
    rest = alt[end + 1 :]
    if rest[:1] in ("?", "*", "+", "{"):
        return [alt]
    return [head + rest for head in top_level_alternatives(alt[3:end])]


# A punctuation cue's first character: an escaped or plain character, or a class of them.
_FIRST_CHARS = re.compile(r"\\([^\w\s])|\[((?:\\[^\w\s]|[^\\\]\-^])+)\]|([^\\\[(])")


def _punct_dispatch(punct: list[tuple[str, str]]) -> str:
    """Punctuation cues grouped under their first character, in their given order.

    The engine tries every punctuation cue at every character of a sentence; grouped, it
    compares one character per group instead of one per cue. Where a first character cannot
    be read here, the cues are left as one flat alternation (same matches, a little slower).
    """
    by_char: dict[str, list[tuple[str, str]]] = {}
    for name, alt in punct:
        m = _FIRST_CHARS.match(alt)
        if m is None or alt[m.end() : m.end() + 1] in ("*", "+", "?", "{"):
            return "|".join(_leaf(n, a, "") for n, a in punct)
        chars = m.group(1) or m.group(3) or re.sub(r"\\(.)", r"\1", m.group(2))
        for k, ch in enumerate(dict.fromkeys(chars)):
            by_char.setdefault(ch, []).append((f"{name}_{k}", alt[m.end() :]))
    return "|".join(
        f"{re.escape(ch)}(?:{'|'.join(_leaf(n, rest, '') for n, rest in alts)})"
        for ch, alts in by_char.items()
    )
