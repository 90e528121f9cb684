"""Voluntary sector: youth club, young carers project, mentoring scheme, scouts, sports."""

from __future__ import annotations

import numpy as np

from thrive_ml.synthetic.banks import Register
from thrive_ml.synthetic.cases import Case, FamilyContext, choose
from thrive_ml.synthetic.render import Fact, Realiser, Section
from thrive_ml.synthetic.voices.compose import ordered, paragraphs, pick_facts

AGES = (7, 25)
ORDER = (
    Section.PRESENTING,
    Section.IMPACT,
    Section.BACKGROUND,
    Section.RISK,
    Section.STRENGTHS,
    Section.HISTORY,
    Section.AGENCIES,
    Section.REQUEST,
    Section.OTHER,
)
ORGS = (
    "youth club (Thursday drop-in)",
    "the mentoring project",
    "the local football club",
    "Scouts",
    "the youth centre",
    "a community youth project",
    "the LGBTQ+ youth group",
    "the sports and wellbeing programme",
)


def render(case: Case, facts: list[Fact], rng: np.random.Generator) -> str:
    realiser = Realiser(
        case, rng, choose(rng, ("mum", "dad", "his nan" if rng.random() < 0.2 else "mum"))
    )
    chosen = ordered(pick_facts(facts, rng, 0.55), rng, ORDER, 0.35)
    said = [realiser.say(f, Register.PROFESSIONAL) for f in chosen]
    org = (
        "the Young Carers Project"
        if FamilyContext.YOUNG_CARER in case.family
        else choose(rng, ORGS)
    )
    opener = choose(
        rng,
        (
            f"Referral from {org}. {case.name}, {case.age}.",
            f"Hi, I'm a youth worker at {org} and I'd like to refer {case.name} ({case.age}).",
            f"{case.name} ({case.age}) has been coming to {org} for a while.",
            f"Concern log from {org}, forwarded as a referral with consent. {case.name}, {case.age}.",
        ),
    )
    closing = choose(
        rng,
        (
            "Consent given by young person and parent.",
            "Happy to help with introductions.",
            "Thanks for looking at this.",
            "",
        ),
    )
    return paragraphs([opener, *said, *([closing] if closing else [])], rng)
