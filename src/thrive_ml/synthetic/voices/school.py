"""School, SENCo, DSL or pastoral lead: a referral form with headed fields, or an email."""

from __future__ import annotations

import numpy as np

from thrive_ml.synthetic.banks import Register
from thrive_ml.synthetic.cases import Case, Sex, choose
from thrive_ml.synthetic.render import Fact, Realiser, Section, school_stage
from thrive_ml.synthetic.voices.compose import ordered, paragraphs, pick_facts, sectioned_form

AGES = (4, 18)
ORDER = (
    Section.PRESENTING,
    Section.IMPACT,
    Section.HISTORY,
    Section.STRENGTHS,
    Section.BACKGROUND,
    Section.AGENCIES,
    Section.RISK,
    Section.REQUEST,
    Section.OTHER,
)
TITLES = (
    "SCHOOL REFERRAL FORM",
    "SCHOOL REFERRAL FORM - PASTORAL",
    "Referral - Student Support",
    "SENCo referral",
    "Pastoral referral",
    "Inclusion team referral",
    "",
)


def _header(case: Case, rng: np.random.Generator) -> list[tuple[str, str]]:
    sex = "F" if case.sex is Sex.FEMALE else "M"
    year = school_stage(case.age, rng, short=True)
    label = choose(rng, ("Pupil", "Student", "Child", "Name"))
    who = choose(
        rng,
        (
            f"{year}, {sex}, {case.age}",
            f"{case.name}, {year}",
            f"{case.name[0]}. ({year}, {sex})",
            f"{year}, {sex} ({case.age})",
        ),
    )
    fields = [(label, who)]
    if rng.random() < 0.5:
        pct = 97.5 - 2.5 * sum(int(level) for _, level in case.impacts) + float(rng.normal(0, 1.5))
        fields.append(("Attendance", f"{min(99.9, max(20.0, pct)):.1f}%".replace(".0%", "%")))
    return fields


def render(case: Case, facts: list[Fact], rng: np.random.Generator) -> str:
    realiser = Realiser(case, rng, choose(rng, ("mum", "dad", "Mum", "parents")))
    if rng.random() < 0.7:
        chosen = ordered(pick_facts(facts, rng, 0.45), rng, ORDER, 0.0)
        prose_sections = {Section.PRESENTING, Section.REQUEST} if rng.random() < 0.6 else set()

        def register_for(f: Fact) -> Register:
            return Register.PROFESSIONAL if f.section in prose_sections else Register.SHORTHAND

        title = choose(rng, TITLES)
        body = sectioned_form(realiser, chosen, rng, ORDER, register_for, _header(case, rng))
        return f"{title}\n{body}" if title else body
    chosen = ordered(pick_facts(facts, rng, 0.5), rng, ORDER, 0.3)
    said = [realiser.say(f, Register.PROFESSIONAL) for f in chosen]
    role = choose(
        rng,
        (
            "SENCo",
            "Head of Year",
            "DSL",
            "pastoral lead",
            "class teacher",
            "Assistant Head (Inclusion)",
        ),
    )
    stage = school_stage(case.age, rng)
    opener = choose(
        rng,
        (
            f"I am the {role} for {case.name}, who is in {stage}.",
            f"Referral from school ({role}). {case.name}, {stage}.",
            f"We would like to refer {case.name} ({stage}).",
            f"Hello, I'm writing as {case.name}'s {role}.",
        ),
    )
    closing = choose(
        rng,
        (
            "Parents are aware and consent to this referral.",
            "Mum has given consent.",
            "Many thanks.",
            "Please contact me via the school office.",
            "",
        ),
    )
    return paragraphs([opener, *said, closing] if closing else [opener, *said], rng)
