"""Parent: a web form's free-text boxes or an email, in a parent's own words."""

from __future__ import annotations

import numpy as np

from thrive_ml.synthetic.banks import Register
from thrive_ml.synthetic.cases import Case, Sex, choose
from thrive_ml.synthetic.render import Fact, Realiser, Section, add_typos, casual
from thrive_ml.synthetic.voices.compose import by_section, ordered, paragraphs, pick_facts

AGES = (1, 17)
ORDER = (
    Section.PRESENTING,
    Section.IMPACT,
    Section.RISK,
    Section.HISTORY,
    Section.BACKGROUND,
    Section.AGENCIES,
    Section.STRENGTHS,
    Section.OTHER,
    Section.REQUEST,
)
QUESTIONS = {
    Section.PRESENTING: (
        "What are you worried about?",
        "Please describe your concerns",
        "What is happening for your child?",
    ),
    Section.IMPACT: ("How is this affecting day-to-day life?", "Impact at home and school"),
    Section.HISTORY: ("What support have you had so far?", "Has anything helped?"),
    Section.RISK: ("Are there any worries about safety?", "Any risk to themselves or others?"),
    Section.BACKGROUND: (
        "Anything else about family or health we should know?",
        "Family situation",
    ),
    Section.AGENCIES: ("Are any other services involved?",),
    Section.STRENGTHS: ("What is going well?",),
    Section.OTHER: ("Anything else?",),
    Section.REQUEST: ("What would you like from us?", "How can we help?"),
}


def intro(case: Case, rng: np.random.Generator) -> str:
    child = "daughter" if case.sex is Sex.FEMALE else "son"
    return choose(
        rng,
        (
            f"Hi, I'm writing about my {child} {case.name} who is {case.age}.",
            f"My {child} {case.name} is {case.age}.",
            f"Hello, not sure if this is the right place. {case.name} is my {child}, {case.age}.",
            f"I'm {case.name}'s mum, {'she' if case.sex is Sex.FEMALE else 'he'}'s {case.age}.",
            f"Hi there, my {child} ({case.age}) is {case.name}.",
            f"I don't really know where to start. {case.name} is {case.age}.",
            f"{case.name}, {case.age}.",
        ),
    )


def write_as_lay_adult(
    case: Case, facts: list[Fact], rng: np.random.Generator, opener: str, parent_word: str
) -> str:
    """Shared by parents and carers: same register, their own introductions."""
    realiser = Realiser(case, rng, parent_word)
    chosen = ordered(pick_facts(facts, rng, 0.55), rng, ORDER, 0.45)
    if rng.random() < 0.3:  # web form with question prompts
        groups = by_section(chosen)
        blocks = [
            f"{choose(rng, QUESTIONS[s])}\n"
            + " ".join(realiser.say(f, Register.PARENT) for f in groups[s])
            for s in ORDER
            if s in groups
        ]
        text = opener + "\n\n" + "\n\n".join(blocks)
    else:
        said = [realiser.say(f, Register.PARENT) for f in chosen]
        sign = choose(
            rng, ("Thanks", "Thank you", "Many thanks", "Thanks for reading this", "", "")
        )
        text = paragraphs([opener, *said], rng, max_per_para=7) + (f"\n{sign}" if sign else "")
    sloppiness = rng.random()
    if sloppiness < 0.25:
        text = add_typos(text, rng, 0.04)
    if sloppiness < 0.1:
        text = casual(text, rng, lowercase=rng.random() < 0.3, drop_punct=0.3)
    return text


def render(case: Case, facts: list[Fact], rng: np.random.Generator) -> str:
    return write_as_lay_adult(case, facts, rng, intro(case, rng), choose(rng, ("I", "me")))
