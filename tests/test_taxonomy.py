"""The contract's label strings, and the promise that only taxonomy.py spells them."""

from __future__ import annotations

import re
from pathlib import Path

from thrive_ml.taxonomy import ContextStatus, ExclusionFactor, RiskIndicator, ThriveGroup

SRC = Path(__file__).resolve().parents[1] / "src" / "thrive_ml"


def test_contract_labels_are_exact_and_in_order():
    assert [g.value for g in ThriveGroup] == [
        "thriving",
        "getting_advice",
        "getting_help",
        "getting_more_help",
        "getting_risk_support",
    ]
    assert [f.value for f in ExclusionFactor] == [
        "complexity",
        "risk",
        "relevance",
        "presenting_need",
        "timing",
    ]
    assert [r.value for r in RiskIndicator] == [
        "suicidal_ideation",
        "suicide_plan_or_intent",
        "previous_suicide_attempt",
        "access_to_means",
        "self_harm",
        "harm_to_others",
        "safeguarding",
    ]
    assert [s.value for s in ContextStatus] == [
        "affirmed",
        "historical",
        "hypothetical",
        "negated",
        "other_person",
    ]


def test_only_affirmed_historical_hypothetical_route():
    assert {s for s in ContextStatus if s.routes} == {
        ContextStatus.AFFIRMED,
        ContextStatus.HISTORICAL,
        ContextStatus.HYPOTHETICAL,
    }


def test_no_python_module_but_taxonomy_spells_a_label_string():
    # Single ordinary words ("risk", "timing") also name sections and fields; the scan looks for
    # the strings that can only be labels.
    every = [
        e.value
        for enum in (ThriveGroup, ExclusionFactor, RiskIndicator, ContextStatus)
        for e in enum
    ]
    labels = [v for v in every if "_" in v] + ["thriving", "negated", "hypothetical"]
    pattern = re.compile(r"[\"'](" + "|".join(map(re.escape, labels)) + r")[\"']")
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "taxonomy.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{n}")
    assert offenders == []
