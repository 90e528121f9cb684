"""Carer: a grandparent, foster carer, kinship carer or step-parent writing about the child.

The introduction must agree with the case: 'foster carer' only when the child is looked
after, 'nan' raising the child only in kinship care, otherwise a relative helping out."""

from __future__ import annotations

import numpy as np

from thrive_ml.synthetic.cases import Case, FamilyContext, Service, choose
from thrive_ml.synthetic.render import Fact
from thrive_ml.synthetic.voices.parent import write_as_lay_adult

AGES = (2, 17)


def intro(case: Case, rng: np.random.Generator) -> str:
    n, a = case.name, case.age
    if Service.LOOKED_AFTER in case.services:
        return choose(
            rng,
            (
                f"I'm {n}'s foster carer, {n} is {a} and has been with us for {int(rng.integers(2, 30))} months.",
                f"I am a foster carer and {n} ({a}) is placed with me.",
                f"We are {n}'s foster carers. {n} is {a}.",
            ),
        )
    if FamilyContext.KINSHIP_CARE in case.family:
        return choose(
            rng,
            (
                f"I'm {n}'s nan, I've had {n} since {'she' if case.sex == 'F' else 'he'} was little. {n} is {a} now.",
                f"I'm writing about my grandchild {n} who is {a} and lives with me and my husband.",
                f"I'm {n}'s aunt and {n} ({a}) lives with us full time.",
            ),
        )
    return choose(
        rng,
        (
            f"I'm {n}'s stepmum, {n} is {a}.",
            f"I'm {n}'s grandad and I do the school runs, {n} is {a}.",
            f"I'm {n}'s nan and I look after {n} after school. {n} is {a}.",
            f"Writing as {n}'s step-dad. {n} is {a}.",
        ),
    )


def render(case: Case, facts: list[Fact], rng: np.random.Generator) -> str:
    return write_as_lay_adult(case, facts, rng, intro(case, rng), choose(rng, ("I", "me")))
