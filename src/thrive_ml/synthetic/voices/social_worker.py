"""Social worker: a structured referral or an assessment summary.

A social worker writing implies the family is known to children's social care, which the
labels treat as complexity; so when the case has no open social-care involvement the letter
says the contact was closed or is early-help only, and stays consistent with the labels.
"""

from __future__ import annotations

import numpy as np

from thrive_ml.synthetic.banks import Register
from thrive_ml.synthetic.cases import Case, Service, Sex, choose
from thrive_ml.synthetic.render import Fact, Realiser, Section
from thrive_ml.synthetic.voices.compose import ordered, paragraphs, pick_facts, sectioned_form

AGES = (0, 18)
ORDER = (
    Section.BACKGROUND,
    Section.PRESENTING,
    Section.IMPACT,
    Section.RISK,
    Section.AGENCIES,
    Section.HISTORY,
    Section.STRENGTHS,
    Section.REQUEST,
    Section.OTHER,
)
OPEN_SOCIAL_CARE = {Service.SOCIAL_CARE_CIN, Service.CHILD_PROTECTION, Service.LOOKED_AFTER}


def _referrer(case: Case, rng: np.random.Generator) -> str:
    if OPEN_SOCIAL_CARE & set(case.services):
        if Service.LOOKED_AFTER in case.services:
            return choose(
                rng,
                (
                    "child's social worker, Looked After Children team",
                    "allocated social worker (Children in Care)",
                ),
            )
        return choose(
            rng,
            (
                "allocated social worker, Children's Services",
                "social worker, Safeguarding and Family Support",
                "child's social worker",
            ),
        )
    return choose(
        rng,
        (
            "duty social worker - assessment completed, closed with no further action",
            "Early Help family practitioner",
            "social worker (MASH) - contact closed, no role for CSC, passing on for support",
        ),
    )


def render(case: Case, facts: list[Fact], rng: np.random.Generator) -> str:
    realiser = Realiser(case, rng, choose(rng, ("mum", "dad", "Mum", "carer")))
    referrer = _referrer(case, rng)
    sex = "female" if case.sex is Sex.FEMALE else "male"
    if rng.random() < 0.6:
        chosen = ordered(pick_facts(facts, rng, 0.4), rng, ORDER, 0.0)

        def register_for(_fact: Fact) -> Register:
            return Register.PROFESSIONAL if rng.random() < 0.7 else Register.SHORTHAND

        header = [("Referrer", referrer), ("Child", f"{case.name[0]}, {case.age}, {sex}")]
        return sectioned_form(realiser, chosen, rng, ORDER, register_for, header)
    chosen = ordered(pick_facts(facts, rng, 0.5), rng, ORDER, 0.3)
    said = [realiser.say(f, Register.PROFESSIONAL) for f in chosen]
    opener = choose(
        rng,
        (
            f"Referral from {referrer}. {case.name} is {case.age}.",
            f"I am writing as {referrer} for {case.name} ({case.age}).",
            f"Summary ({referrer}). Child: {case.name}, {case.age}.",
        ),
    )
    return paragraphs([opener, *said], rng)
