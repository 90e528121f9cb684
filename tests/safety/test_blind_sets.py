"""Regression floor on the blind snippet sets: a rules edit must not lose what they route.

The sets (data/validation/safety) were written by people who had not read the rules; their first,
blind scores are in docs/safety.md. Each has since been used to add missing classes, so these
floors guard against regressions and say nothing about unseen text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thrive_ml.safety import assess

FOLDER = Path(__file__).resolve().parents[2] / "data" / "validation" / "safety"
SETS = sorted(FOLDER.glob("blind*.jsonl"))


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def test_the_blind_sets_are_there() -> None:
    assert len(SETS) >= 3


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_risk_snippets_route(path: Path) -> None:
    risky = [r for r in _rows(path) if r["routes"]]
    missed = [r["id"] for r in risky if not assess(r["text"]).routes_to_review]
    assert len(missed) / len(risky) <= 0.04, missed


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_harmless_snippets_mostly_do_not_route(path: Path) -> None:
    harmless = [r for r in _rows(path) if not r["routes"]]
    routed = [r["id"] for r in harmless if assess(r["text"]).routes_to_review]
    assert len(routed) / len(harmless) <= 0.2, routed
