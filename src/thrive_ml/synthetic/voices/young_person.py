"""The young person themselves: a self-referral form or message, often in text-speak."""

from __future__ import annotations

import numpy as np

from thrive_ml.synthetic.banks import Register
from thrive_ml.synthetic.cases import Case, choose
from thrive_ml.synthetic.render import Fact, Realiser, Section, add_typos, casual
from thrive_ml.synthetic.voices.compose import ordered, paragraphs, pick_facts

AGES = (11, 25)
ORDER = (
    Section.PRESENTING,
    Section.IMPACT,
    Section.RISK,
    Section.BACKGROUND,
    Section.HISTORY,
    Section.AGENCIES,
    Section.STRENGTHS,
    Section.OTHER,
    Section.REQUEST,
)


def render(case: Case, facts: list[Fact], rng: np.random.Generator) -> str:
    realiser = Realiser(case, rng, choose(rng, ("mum", "dad", "my mum", "my dad")))
    chosen = ordered(pick_facts(facts, rng, 0.35), rng, ORDER, 0.5)
    said = [realiser.say(f, Register.YOUNG_PERSON) for f in chosen]
    a = case.age
    opener = choose(
        rng,
        (
            f"hi im {a}",
            f"Hi, I'm {a} and my GP said I could self-refer.",
            f"hiya im {case.name} im {a}",
            f"I'm {a}.",
            f"{a}, {case.name}.",
            "hi",
            f"Hello, my name is {case.name} and I am {a} years old.",
            "",
        ),
    )
    closing = choose(
        rng,
        (
            "",
            "",
            "thanks",
            "pls help",
            "sorry this is long",
            "Thank you for reading.",
            "idk if this is the right place",
        ),
    )
    parts = [p for p in (opener, *said, closing) if p]
    text = paragraphs(parts, rng, max_per_para=8)
    style = rng.random()
    if style < 0.45 and a < 20:
        text = casual(text, rng, lowercase=True, drop_punct=0.5)
    if style < 0.6:
        text = add_typos(text, rng, 0.05)
    return text
