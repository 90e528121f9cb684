"""Shared building blocks for voices: choosing and ordering facts, and laying out prose,
forms and bullet lists. A voice is a small module that combines these in its own way."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from thrive_ml.synthetic.banks import Register
from thrive_ml.synthetic.cases import choose
from thrive_ml.synthetic.render import Fact, Realiser, Section

HEADINGS: dict[str, tuple[str, ...]] = {
    Section.PRESENTING: (
        "Reason for referral",
        "Presenting concern",
        "Concerns",
        "Main difficulty",
        "What are the concerns?",
        "Presentation",
        "Current difficulties",
    ),
    Section.IMPACT: (
        "Impact",
        "Impact on daily life",
        "How is this affecting school and home?",
        "Functioning",
        "Effect on everyday life",
    ),
    Section.HISTORY: (
        "What has been tried",
        "Support already in place",
        "Previous support",
        "History",
        "Interventions so far",
        "What have you tried?",
    ),
    Section.AGENCIES: (
        "Other agencies",
        "Professionals involved",
        "Other services involved",
        "Agencies",
        "Other agencies involved",
    ),
    Section.BACKGROUND: (
        "Background",
        "Family context",
        "Additional needs",
        "Home situation",
        "Relevant history",
        "Social history",
    ),
    Section.RISK: (
        "Risk",
        "Risk to self/others",
        "Risk / safeguarding",
        "Safeguarding",
        "Any risk concerns?",
        "Risk assessment",
    ),
    Section.REQUEST: (
        "Request",
        "What are you hoping for?",
        "Outcome sought",
        "Views of child/family",
        "What would help?",
        "Reason for contacting us",
    ),
    Section.STRENGTHS: ("Strengths", "What's going well", "Protective factors", "Positives"),
    Section.OTHER: ("Additional information", "Other information", "Anything else", "Notes"),
}

EMPTY_FIELD: dict[str, tuple[str, ...]] = {
    Section.RISK: ("None known", "No concerns", "None disclosed", "N/A", "nil", "None identified"),
    Section.AGENCIES: ("None", "None known", "nil", "No other agencies", "N/A"),
    Section.HISTORY: ("None", "Nothing formal yet", "N/A"),
}


def pick_facts(facts: Sequence[Fact], rng: np.random.Generator, keep_optional: float) -> list[Fact]:
    """Keep every essential fact; keep each optional one with probability `keep_optional`."""
    return [f for f in facts if f.essential or rng.random() < keep_optional]


def ordered(
    facts: Sequence[Fact], rng: np.random.Generator, section_order: Sequence[str], jitter: float
) -> list[Fact]:
    """Facts in the voice's usual section order, with some shuffled out of place."""
    rank = {s: i for i, s in enumerate(section_order)}
    keyed = [
        (
            rank.get(f.section, len(rank)) + (rng.normal(0, 1.5) if rng.random() < jitter else 0),
            i,
            f,
        )
        for i, f in enumerate(facts)
    ]
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [f for _, _, f in keyed]


def by_section(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = {}
    for f in facts:
        out.setdefault(f.section, []).append(f)
    return out


def say_all(
    realiser: Realiser,
    facts: Sequence[Fact],
    register_for: Callable[[Fact], Register],
) -> list[str]:
    return [realiser.say(f, register_for(f)) for f in facts]


def mixed_sentences(
    realiser: Realiser, facts: Sequence[Fact], rng: np.random.Generator, p_shorthand: float
) -> list[str]:
    """Professional sentences with some clinical fragments mixed in, each ending as a sentence."""
    said = [
        realiser.say(f, Register.SHORTHAND if rng.random() < p_shorthand else Register.PROFESSIONAL)
        for f in facts
    ]
    return [s if s.rstrip().endswith((".", "!", "?")) else s.rstrip() + "." for s in said]


def paragraphs(sentences: Sequence[str], rng: np.random.Generator, max_per_para: int = 5) -> str:
    """Group sentences into paragraphs of varying length."""
    out: list[str] = []
    i = 0
    while i < len(sentences):
        n = int(rng.integers(1, max_per_para + 1))
        out.append(" ".join(s.strip() for s in sentences[i : i + n]))
        i += n
    return "\n\n".join(out) if rng.random() < 0.7 else " ".join(out)


def join_fragments(fragments: Sequence[str], rng: np.random.Generator) -> str:
    """Join shorthand fragments the way notes do: '. ', '; ', ', ' or line breaks."""
    sep = choose(rng, (". ", "; ", ". ", "\n", ", "))
    parts = [f.strip().rstrip(".;,") for f in fragments if f.strip()]
    text = sep.join(parts)
    return text + ("." if sep.strip() in {".", ";"} and rng.random() < 0.6 else "")


def form(
    fields: Sequence[tuple[str, str]],
    rng: np.random.Generator,
) -> str:
    """Lay out (heading, value) fields in one of the styles forms really use."""
    style = int(rng.integers(4))
    lines = []
    for heading, value in fields:
        if style == 0:
            lines.append(f"{heading.upper()}: {value}")
        elif style == 1:
            lines.append(f"{heading}: {value}")
        elif style == 2:
            lines.append(f"{heading}\n{value}\n")
        else:
            lines.append(f"{heading} - {value}")
    return "\n".join(lines).strip()


def heading(section: str, rng: np.random.Generator) -> str:
    return choose(rng, HEADINGS[section])


def empty_field(section: str, rng: np.random.Generator) -> str | None:
    options = EMPTY_FIELD.get(section)
    return choose(rng, options) if options else None


def sectioned_form(
    realiser: Realiser,
    facts: Sequence[Fact],
    rng: np.random.Generator,
    section_order: Sequence[str],
    register_for: Callable[[Fact], Register],
    header: Sequence[tuple[str, str]] = (),
) -> str:
    """A referral form: one field per section, empty risk/agency fields filled as forms do."""
    groups = by_section(facts)
    fields: list[tuple[str, str]] = list(header)
    for section in section_order:
        items = groups.get(section, [])
        if items:
            said = say_all(realiser, items, register_for)
            if register_for(items[0]) is Register.SHORTHAND:
                value = join_fragments(said, rng) if len(said) > 1 else said[0]
            else:
                value = " ".join(s.strip() for s in said)
        else:
            empty = empty_field(section, rng)
            if empty is None or rng.random() < 0.3:
                continue
            value = empty
        fields.append((heading(section, rng), value))
    return form(fields, rng)
