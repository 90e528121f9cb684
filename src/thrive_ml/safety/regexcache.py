"""A disk cache of compiled regex programs, so a new process does not re-parse the rules.

Why: the rules compile into a few very large alternations (the lexicon one is ~430 KB of
pattern). Python's `re` parses and assembles them in pure Python, about 1 s on every process
start, which alone broke the 2 s cold-start budget of `thrive-ml predict` and the service.
`re` has no public way to save a compiled pattern, so this caches what `re._compiler.compile`
produces (the SRE code words, flags and group tables) and hands it back to `_sre.compile`,
which is what `re.compile` itself calls last.

Safety: a cache entry is used only for the exact pattern string, Python build and SRE version it
was made with (all in its key), and only if its SHA-256 checks out; `_sre.compile` validates the
program too. Anything unexpected (missing, corrupt, another interpreter, unwritable directory)
falls back to `re.compile`, which is always correct - the cache can make start-up slower, never
change what the rules find.

Where: `$THRIVE_CACHE_DIR`, else `$XDG_CACHE_HOME/thrive-ml`, else `~/.cache/thrive-ml`, in a
`regex/` folder. Setting `THRIVE_CACHE_DIR` to an empty string turns caching off.
"""

from __future__ import annotations

import array
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

try:  # CPython internals; any other implementation just compiles normally.
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - non-CPython
    _sre = None  # type: ignore[assignment]

# Patterns shorter than this compile in well under a millisecond: not worth a file.
MIN_CACHED_LENGTH = 4096
_FORMAT = 1
_CODE_TYPE = {2: "H", 4: "I", 8: "Q"}


def cache_dir() -> Path | None:
    """The folder for cached programs, or None when caching is turned off."""
    configured = os.environ.get("THRIVE_CACHE_DIR")
    if configured is not None:
        return Path(configured) / "regex" if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "thrive-ml" / "regex"


def _key(pattern: str, flags: int) -> str:
    magic = getattr(_sre, "MAGIC", 0)
    ident = f"{_FORMAT}|{sys.version}|{magic}|{_sre.CODESIZE}|{flags}|{pattern}"
    return hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()


def _assemble(pattern: str, flags: int) -> tuple[re.Pattern[str], dict]:
    """What `re._compiler.compile` does, keeping the pieces it passes to `_sre.compile`."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    header = {
        "flags": flags | parsed.state.flags,
        "groups": parsed.state.groups - 1,
        "groupindex": groupindex,
        "indexgroup": indexgroup,
    }
    compiled = _sre.compile(
        pattern, header["flags"], code, header["groups"], groupindex, tuple(indexgroup)
    )
    return compiled, {**header, "code": code}


def _load(path: Path, pattern: str) -> re.Pattern[str] | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head, sep, body = blob.partition(b"\n")
    try:
        header = json.loads(head)
        if not sep or header.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
        code = array.array(_CODE_TYPE[_sre.CODESIZE])
        code.frombytes(body)
        compiled = _sre.compile(
            pattern,
            header["flags"],
            code.tolist(),
            header["groups"],
            header["groupindex"],
            tuple(header["indexgroup"]),
        )
    except (ValueError, KeyError, TypeError, RuntimeError, OverflowError):
        return None
    return compiled


def _save(path: Path, pieces: dict) -> None:
    code = array.array(_CODE_TYPE[_sre.CODESIZE], pieces.pop("code")).tobytes()
    head = json.dumps({**pieces, "sha256": hashlib.sha256(code).hexdigest()}).encode()
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        tmp = Path(name)
        with os.fdopen(fd, "wb") as out:
            out.write(head + b"\n" + code)
        tmp.replace(path)  # atomic: a reader sees the old entry or the whole new one
    except OSError:
        # A read-only home or a full disk costs start-up time, nothing else.
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def compile_cached(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, reusing a program cached by an earlier process."""
    folder = cache_dir()
    if _sre is None or folder is None or len(pattern) < MIN_CACHED_LENGTH:
        return re.compile(pattern, flags)
    path = folder / f"{_key(pattern, flags)}.sre"
    cached = _load(path, pattern)
    if cached is not None:
        return cached
    compiled, pieces = _assemble(pattern, flags)
    _save(path, pieces)
    return compiled


__all__ = ["MIN_CACHED_LENGTH", "cache_dir", "compile_cached"]
