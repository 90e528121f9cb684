"""The triage-time collector settings are undone on exit and never stop garbage collection."""

from __future__ import annotations

import gc
import weakref

import pytest

from thrive_ml.gc_settings import THRESHOLDS, triage_gc


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_settings_apply_inside_and_are_undone_after():
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    with triage_gc():
        assert gc.get_threshold() == THRESHOLDS
        assert gc.get_freeze_count() > frozen  # what was alive is frozen
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen  # handed back: collectable again


def test_settings_are_undone_when_triage_fails():
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    with pytest.raises(RuntimeError), triage_gc():
        raise RuntimeError("a bad batch")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


def test_cyclic_garbage_made_during_triage_is_still_collected():
    with triage_gc():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
