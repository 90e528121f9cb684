"""Voices: who writes a referral, and how. Each module renders a case in its own structure.

Every voice can render every kind of case (tested); a voice is only chosen for ages it fits
(a health visitor writes about under-fives, a young person about themselves from 11)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import numpy as np

from thrive_ml.synthetic.cases import Case, FamilyContext, Service
from thrive_ml.synthetic.render import Fact
from thrive_ml.synthetic.voices import (
    carer,
    gp,
    health_visitor,
    parent,
    school,
    school_nurse,
    social_worker,
    voluntary,
    young_person,
)
from thrive_ml.taxonomy import Voice

Renderer = Callable[[Case, list[Fact], np.random.Generator], str]

MODULES: dict[Voice, ModuleType] = {
    Voice.GP: gp,
    Voice.SCHOOL: school,
    Voice.SCHOOL_NURSE: school_nurse,
    Voice.SOCIAL_WORKER: social_worker,
    Voice.HEALTH_VISITOR: health_visitor,
    Voice.VOLUNTARY: voluntary,
    Voice.PARENT: parent,
    Voice.YOUNG_PERSON: young_person,
    Voice.CARER: carer,
}

# How often each kind of writer refers, before the age filter.
WEIGHTS: dict[Voice, float] = {
    Voice.GP: 0.14,
    Voice.SCHOOL: 0.14,
    Voice.SCHOOL_NURSE: 0.09,
    Voice.SOCIAL_WORKER: 0.08,
    Voice.HEALTH_VISITOR: 0.05,
    Voice.VOLUNTARY: 0.10,
    Voice.PARENT: 0.17,
    Voice.YOUNG_PERSON: 0.15,
    Voice.CARER: 0.08,
}


def voices_for_age(age: int) -> list[Voice]:
    return [v for v, m in MODULES.items() if m.AGES[0] <= age <= m.AGES[1]]


def voices_for(case: Case) -> list[Voice]:
    """Writers plausible for this child: by age, and a parent does not write about a child in
    care or kinship care (the carer or social worker does)."""
    options = voices_for_age(case.age)
    if Service.LOOKED_AFTER in case.services or FamilyContext.KINSHIP_CARE in case.family:
        options = [v for v in options if v is not Voice.PARENT] or options
    return options


def pick_voice(
    case: Case, rng: np.random.Generator, exclude: frozenset[Voice] = frozenset()
) -> Voice:
    """A writer plausible for this case, weighted; `exclude` supports held-out-voice datasets."""
    options = [v for v in voices_for(case) if v not in exclude] or voices_for(case)
    w = np.array([WEIGHTS[v] for v in options])
    return options[int(rng.choice(len(options), p=w / w.sum()))]


def render(voice: Voice, case: Case, facts: list[Fact], rng: np.random.Generator) -> str:
    return MODULES[voice].render(case, facts, rng).strip()
