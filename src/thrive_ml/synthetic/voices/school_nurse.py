"""School nurse: a drop-in note or a short referral mixing sentences and clinical fragments."""

from __future__ import annotations

import numpy as np

from thrive_ml.synthetic.banks import Register
from thrive_ml.synthetic.cases import Case, Sex, choose
from thrive_ml.synthetic.render import Fact, Realiser, Section, school_stage
from thrive_ml.synthetic.voices.compose import (
    join_fragments,
    mixed_sentences,
    ordered,
    paragraphs,
    pick_facts,
)

AGES = (5, 18)
ORDER = (
    Section.PRESENTING,
    Section.IMPACT,
    Section.HISTORY,
    Section.RISK,
    Section.BACKGROUND,
    Section.AGENCIES,
    Section.STRENGTHS,
    Section.REQUEST,
    Section.OTHER,
)


def render(case: Case, facts: list[Fact], rng: np.random.Generator) -> str:
    realiser = Realiser(case, rng, choose(rng, ("mum", "dad", "Mum")))
    chosen = ordered(pick_facts(facts, rng, 0.4), rng, ORDER, 0.35)
    kid = ("girl" if case.sex is Sex.FEMALE else "boy") if case.age < 18 else "young person"
    stage = school_stage(case.age, rng, short=rng.random() < 0.6)
    opener = choose(
        rng,
        (
            f"School nurse referral. {stage} {kid}, {case.age}.",
            f"School nurse drop-in note re: {case.name}, {stage} ({case.age}).",
            f"{stage} {kid} ({case.age}), seen at drop-in x{int(rng.integers(1, 4))}.",
            f"Seen by school nursing team. {case.name}, {case.age}.",
            f"Referral from school health. {case.age}yo {kid}.",
        ),
    )
    if rng.random() < 0.4:
        said = [realiser.say(f, Register.SHORTHAND) for f in chosen]
        return f"{opener}\n{join_fragments(said, rng)}"
    said = mixed_sentences(realiser, chosen, rng, 0.3)
    return paragraphs([opener, *said], rng, max_per_para=6)
