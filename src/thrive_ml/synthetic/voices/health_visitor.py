"""Health visitor: under-fives, written in full sentences after a home visit or clinic."""

from __future__ import annotations

import numpy as np

from thrive_ml.synthetic.cases import Case, choose
from thrive_ml.synthetic.render import Fact, Realiser, Section
from thrive_ml.synthetic.voices.compose import mixed_sentences, ordered, paragraphs, pick_facts

AGES = (0, 5)
ORDER = (
    Section.PRESENTING,
    Section.IMPACT,
    Section.BACKGROUND,
    Section.HISTORY,
    Section.RISK,
    Section.AGENCIES,
    Section.STRENGTHS,
    Section.REQUEST,
    Section.OTHER,
)


def render(case: Case, facts: list[Fact], rng: np.random.Generator) -> str:
    realiser = Realiser(case, rng, choose(rng, ("mum", "Mum", "dad")))
    chosen = ordered(pick_facts(facts, rng, 0.55), rng, ORDER, 0.3)
    said = mixed_sentences(realiser, chosen, rng, 0.15)
    opener = choose(
        rng,
        (
            f"I am the health visitor for {case.name}, aged {case.age}.",
            f"Health visiting referral: {case.name} ({case.age} yrs).",
            f"Following a home visit today I am referring {case.name}, who is {case.age}.",
            f"HV referral - {case.name}, {case.age}. Seen at the {choose(rng, ('2-year review', '27-month review', 'child health clinic', 'home visit'))}.",
        ),
    )
    closing = choose(
        rng,
        (
            "Mum consents to this referral.",
            "Parents are in agreement with the referral.",
            "I will continue to offer universal health visiting support.",
            "",
        ),
    )
    return paragraphs([opener, *said, *([closing] if closing else [])], rng)
