"""GP: a letter to colleagues, a terse 'referral pls' note, or a headed EMIS-style summary."""

from __future__ import annotations

import numpy as np

from thrive_ml.synthetic.banks import Register
from thrive_ml.synthetic.cases import Case, Sex, choose
from thrive_ml.synthetic.render import Fact, Realiser, Section
from thrive_ml.synthetic.voices.compose import (
    join_fragments,
    mixed_sentences,
    ordered,
    paragraphs,
    pick_facts,
)

AGES = (2, 25)
ORDER = (
    Section.PRESENTING,
    Section.IMPACT,
    Section.HISTORY,
    Section.BACKGROUND,
    Section.AGENCIES,
    Section.RISK,
    Section.STRENGTHS,
    Section.OTHER,
    Section.REQUEST,
)
GREETINGS = (
    "Dear colleague,",
    "Dear CYP wellbeing team,",
    "Dear team,",
    "Dear Sir/Madam,",
    "To the duty worker,",
)
SIGNOFFS = (
    "Many thanks,\nDr {d}",
    "Kind regards,\nDr {d}",
    "Yours sincerely,\nDr {d}, GP",
    "Thanks, Dr {d}",
    "Best wishes\nDr {d} (GP registrar)",
)
DOCTORS = [
    "A Patel",
    "S Khan",
    "R Jones",
    "M Evans",
    "H Okafor",
    "L Brown",
    "J Walsh",
    "T Nguyen",
    "C Murphy",
    "E Hughes",
]


def _who(case: Case, rng: np.random.Generator) -> str:
    sex = "F" if case.sex is Sex.FEMALE else "M"
    return choose(
        rng,
        (
            f"Re: {case.name}, {case.age}{sex}",
            f"Re: {case.name} ({case.age} yrs)",
            f"RE: {case.name.upper()} - {case.age}{sex}",
            f"Patient: {case.name[0]}., {case.age}",
        ),
    )


def render(case: Case, facts: list[Fact], rng: np.random.Generator) -> str:
    realiser = Realiser(case, rng, choose(rng, ("mum", "dad", "Mum", "Dad")))
    style = rng.choice(3, p=[0.5, 0.35, 0.15])
    sex = "F" if case.sex is Sex.FEMALE else "M"
    if style == 1:  # terse note: shorthand only, optional colour mostly dropped
        chosen = ordered(pick_facts(facts, rng, 0.15), rng, ORDER, 0.3)
        said = [realiser.say(f, Register.SHORTHAND) for f in chosen]
        opener = choose(
            rng,
            (
                f"Referral pls - {case.age}{sex}.",
                f"{case.age}{sex}.",
                f"Pls see {case.age}yo {'girl' if sex == 'F' else 'boy'}.",
                f"Ref: {case.age}{sex}",
            ),
        )
        return f"{opener} {join_fragments(said, rng)}"
    if style == 2:  # headed summary
        chosen = ordered(pick_facts(facts, rng, 0.4), rng, ORDER, 0.0)
        heads = {
            Section.PRESENTING: "Hx",
            Section.IMPACT: "Impact",
            Section.HISTORY: "Previous input",
            Section.BACKGROUND: "SHx",
            Section.AGENCIES: "Other agencies",
            Section.RISK: "Risk",
            Section.STRENGTHS: "Protective",
            Section.OTHER: "Other",
            Section.REQUEST: "Plan",
        }
        lines = [_who(case, rng)]
        for section in ORDER:
            items = [f for f in chosen if f.section == section]
            if items:
                said = [realiser.say(f, Register.SHORTHAND) for f in items]
                lines.append(f"{heads[section]}: {join_fragments(said, rng)}")
        return "\n".join(lines)
    chosen = ordered(pick_facts(facts, rng, 0.5), rng, ORDER, 0.25)
    p_short = float(rng.uniform(0.0, 0.4))
    said = mixed_sentences(realiser, chosen, rng, p_short)
    opener = choose(
        rng,
        (
            f"Thank you for seeing this {case.age}-year-old who attended with {realiser.slots.parent_word.lower()} today.",
            f"I would be grateful for your assessment of {case.name}.",
            f"I saw {case.name} in surgery today.",
            "Thank you for seeing this young person.",
            f"I am writing to refer {case.name}, aged {case.age}.",
            "",
        ),
    )
    body = paragraphs(([opener] if opener else []) + said, rng)
    doc = choose(rng, DOCTORS)
    parts = [choose(rng, GREETINGS), _who(case, rng), body, choose(rng, SIGNOFFS).format(d=doc)]
    if rng.random() < 0.25:
        parts = parts[1:]
    return "\n".join(parts)
