"""The compiled-regex cache speeds up start-up and can never change what the rules find."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from thrive_ml.safety import regexcache
from thrive_ml.safety.regexcache import compile_cached
from thrive_ml.safety.rules import default_rules

TEXTS = [
    "She said she wants to kill herself and has been cutting her arms again.",
    "No SI or SH. Denies thoughts of harming others; killing it at football.",
    "i sometimes think everyone would be better off without me tbh",
    "An older man has been messaging her online and she has new unexplained money.",
    "He took an overdose of paracetamol last year, none since.",
    "Dad hit mum last week and the police came. He is scared to go home.",
    "she has been s e l f h a r m i n g again and hides her wrists",
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("THRIVE_CACHE_DIR", str(tmp_path))
    return tmp_path / "regex"


def _hits(pattern: re.Pattern[str], texts: list[str]) -> list[list[tuple[int, int, str | None]]]:
    return [[(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(t.lower())] for t in texts]


def _big_patterns() -> list[re.Pattern[str]]:
    rules = default_rules()
    return [rules.risk_re, rules.cue_re, rules.lookalike_re]


def test_a_cached_program_finds_exactly_what_a_fresh_compile_finds(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for fresh in _big_patterns():
        assert len(fresh.pattern) >= regexcache.MIN_CACHED_LENGTH
        compile_cached(fresh.pattern)  # writes the cache entry

        def no_compiling(*_: object) -> None:
            raise AssertionError("compiled again instead of reading the cache")

        monkeypatch.setattr(regexcache, "_assemble", no_compiling)
        reused = compile_cached(fresh.pattern)
        monkeypatch.undo()
        monkeypatch.setenv("THRIVE_CACHE_DIR", str(cache.parent))
        assert reused.groupindex == fresh.groupindex
        assert reused.groups == fresh.groups
        assert _hits(reused, TEXTS) == _hits(fresh, TEXTS)
    assert len(list(cache.glob("*.sre"))) == 3


def test_a_corrupted_entry_is_ignored_and_rewritten(cache: Path) -> None:
    fresh = default_rules().risk_re
    compile_cached(fresh.pattern)
    (entry,) = cache.glob("*.sre")
    blob = bytearray(entry.read_bytes())
    blob[-10] ^= 0xFF  # one flipped byte in the program
    entry.write_bytes(bytes(blob))
    again = compile_cached(fresh.pattern)
    assert _hits(again, TEXTS) == _hits(fresh, TEXTS)
    assert entry.read_bytes() != bytes(blob), "the bad entry should have been replaced"


@pytest.mark.parametrize("content", [b"", b"not json\n\x00\x01", b'{"sha256": "x"}'])
def test_garbage_in_the_cache_falls_back_to_compiling(cache: Path, content: bytes) -> None:
    fresh = default_rules().cue_re
    compile_cached(fresh.pattern)
    (entry,) = cache.glob("*.sre")
    entry.write_bytes(content)
    assert _hits(compile_cached(fresh.pattern), TEXTS) == _hits(fresh, TEXTS)


def test_a_program_is_never_used_for_a_different_pattern(cache: Path) -> None:
    fresh = default_rules().risk_re
    compile_cached(fresh.pattern)
    edited = fresh.pattern.replace("(?P<l0x", "(?P<l0y", 1)
    assert edited != fresh.pattern
    assert compile_cached(edited).pattern == edited
    assert len(list(cache.glob("*.sre"))) == 2


def test_an_unwritable_cache_folder_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("THRIVE_CACHE_DIR", str(blocker))
    fresh = default_rules().risk_re
    assert _hits(compile_cached(fresh.pattern), TEXTS) == _hits(fresh, TEXTS)
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]  # nothing left behind


def test_an_empty_cache_setting_turns_caching_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THRIVE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert regexcache.cache_dir() is None
    compile_cached(default_rules().risk_re.pattern)
    assert not any(tmp_path.iterdir())


def test_the_cache_follows_xdg_when_not_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("THRIVE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert regexcache.cache_dir() == tmp_path / "thrive-ml" / "regex"


_ASSESS = """
import json, sys
from thrive_ml.safety import assess
texts = json.loads(sys.stdin.read())
print(json.dumps([[f.model_dump(mode="json") for f in assess(t).flags] for t in texts]))
"""


def _assess_in_new_process(texts: list[str], cache_setting: str) -> list:
    env = {**os.environ, "THRIVE_CACHE_DIR": cache_setting}
    out = subprocess.run(
        [sys.executable, "-c", _ASSESS],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout)


def test_new_processes_flag_the_same_with_a_cold_warm_or_no_cache(tmp_path: Path) -> None:
    cold = _assess_in_new_process(TEXTS, str(tmp_path))
    assert list((tmp_path / "regex").glob("*.sre")), "the first process should fill the cache"
    warm = _assess_in_new_process(TEXTS, str(tmp_path))
    off = _assess_in_new_process(TEXTS, "")
    assert cold == warm == off
    assert sum(len(flags) for flags in warm) >= 6
