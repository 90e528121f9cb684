"""From a case to the facts a referral states, and from a phrase to finished words.

Voices (voices/*.py) decide structure, order and register; this module holds what every voice
shares: which facts a case has, how a phrase's placeholders are filled, how durations and
school years are said in each register, and the surface noise real writing carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

from thrive_ml.synthetic import banks as banks_pkg
from thrive_ml.synthetic.banks import Register, load_bank
from thrive_ml.synthetic.cases import (
    Case,
    Engagement,
    ImpactLevel,
    RiskFact,
    RiskLevel,
    Sex,
)
from thrive_ml.synthetic.labelling import ALWAYS_SERIOUS
from thrive_ml.taxonomy import ContextStatus


class Section:
    """Where a fact belongs in a structured referral; voices map these to headings."""

    PRESENTING = "presenting"
    IMPACT = "impact"
    HISTORY = "history"
    AGENCIES = "agencies"
    BACKGROUND = "background"
    RISK = "risk"
    REQUEST = "request"
    STRENGTHS = "strengths"
    OTHER = "other"


@dataclass(frozen=True)
class Fact:
    """One statement a referral makes; `key` is a phrase-bank key."""

    section: str
    key: str
    months: int | None = None
    essential: bool = True


def case_facts(case: Case, rng: np.random.Generator) -> list[Fact]:
    """Every fact the labels depend on (essential), plus optional colour the voice may drop."""
    facts: list[Fact] = []
    for d in case.difficulties:
        facts.append(
            Fact(Section.PRESENTING, f"difficulty.{d.kind}.{d.severity.name.lower()}", d.months)
        )
    facts.extend(Fact(Section.HISTORY, f"resolved.{k}") for k in case.resolved)
    facts.extend(Fact(Section.PRESENTING, f"concern.{c}") for c in case.concerns)
    longest = max((d.months for d in case.difficulties), default=None)
    for domain, level in case.impacts:
        facts.append(
            Fact(
                Section.IMPACT,
                f"impact.{domain}.{level.name.lower()}",
                longest,
                essential=level is not ImpactLevel.NONE,
            )
        )
    for s in case.previous_support:
        facts.append(
            Fact(Section.HISTORY, f"support.{s.kind}.{'helped' if s.helped else 'not_helped'}")
        )
    facts.extend(Fact(Section.AGENCIES, f"service.{s}") for s in case.services)
    if not case.services:
        facts.append(Fact(Section.AGENCIES, "service.none", essential=False))
    facts.extend(Fact(Section.BACKGROUND, f"cooccur.{c}") for c in case.co_occurring)
    facts.extend(Fact(Section.BACKGROUND, f"family.{f}") for f in case.family)
    for r in case.risks:
        facts.append(Fact(Section.RISK, f"risk.{r.indicator}.{_risk_status_key(r)}"))
    facts.append(
        Fact(
            Section.REQUEST,
            f"engagement.{case.engagement}",
            essential=case.engagement is not Engagement.READY,
        )
    )
    facts.append(Fact(Section.REQUEST, f"request.{case.request}"))
    strengths = ["friends", "hobby", "school_progress", "family_support", "happy"]
    for i in rng.permutation(len(strengths))[: int(rng.integers(0, 3))]:
        facts.append(Fact(Section.STRENGTHS, f"strength.{strengths[int(i)]}", essential=False))
    fillers = [
        "pets",
        "sibling",
        "admin",
        "minor_health",
        "school_info",
        "journey",
        "interests_detail",
    ]
    for i in rng.permutation(len(fillers))[: int(rng.choice(4, p=[0.3, 0.35, 0.25, 0.1]))]:
        facts.append(Fact(Section.OTHER, f"filler.{fillers[int(i)]}", essential=False))
    return facts


def _risk_status_key(r: RiskFact) -> str:
    """Bank key suffix: plan, attempt and means are always serious, so they have one level."""
    if r.status is not ContextStatus.AFFIRMED:
        return r.status.value
    if r.indicator in ALWAYS_SERIOUS:
        return "affirmed"
    return "affirmed_high" if r.level is RiskLevel.HIGH else "affirmed_low"


# ---------------------------------------------------------------------------- slots and words

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SHORT_MONTHS = [m[:3] for m in MONTHS]
NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


@dataclass(frozen=True)
class Slots:
    """Everything a phrase placeholder can ask for, fixed for one referral."""

    case: Case
    referral_month: int  # 0-11, so "since September" is consistent within one referral
    parent_word: str

    def pronouns(self) -> dict[str, str]:
        female = self.case.sex is Sex.FEMALE
        he, him, his = ("she", "her", "her") if female else ("he", "him", "his")
        return {
            "he": he,
            "him": him,
            "his": his,
            "himself": f"{him}self",
            "He": he.capitalize(),
            "His": his.capitalize(),
        }


def duration_text(
    months: int | None, register: Register, slots: Slots, rng: np.random.Generator
) -> str:
    """How long, in the register's own words; consistent with the referral's month."""
    if months is None:
        months = 3
    since = MONTHS[(slots.referral_month - months) % 12]
    n = max(months, 0)
    weeks = max(2, round(n * 4.3)) if n <= 2 else None
    if register is Register.SHORTHAND:
        options = [f"{n}/12", f"x{n} months", f"since {since[:3]}", f"~{n}/12"]
        if weeks:
            options = [f"{weeks}/52", f"~{weeks} wks", f"since {since[:3]}"]
        if n >= 12:
            options = [
                f">{n // 12} yr",
                f"{n}/12",
                f"since {since[:3]} {'last yr' if n < 24 else ''}".strip(),
            ]
    elif register is Register.YOUNG_PERSON:
        options = [f"for like {n} months", f"since {since}", f"for about {n} months now"]
        if weeks:
            options = ["the last few weeks", f"for like {weeks} weeks", f"since {since}"]
        if n >= 12:
            options = ["for ages", "for over a year", "for years tbh", "since this time last year"]
            if slots.case.age <= 16:
                options.append(f"since like year {slots.case.age - 6}")
    elif register is Register.PARENT:
        word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
        options = [f"for about {word} months", f"since {since}", f"for {word} months or so"]
        if weeks:
            options = ["for the last few weeks", f"since {since}", "over the past month or so"]
        if n >= 12:
            options = [
                "for over a year now",
                "for a long time, well over a year",
                f"since {since} last year" if n < 24 else "for a couple of years",
            ]
    else:
        options = [f"for approximately {n} months", f"since {since}", f"over the past {n} months"]
        if weeks:
            options = [f"over the last {weeks} weeks", f"since {since}", "for the past few weeks"]
        if n >= 12:
            options = [
                "for more than a year",
                f"for around {n // 12} year{'s' if n >= 24 else ''}",
                f"since {since} {'last year' if n < 24 else 'two years ago'}",
            ]
    return options[int(rng.integers(len(options)))]


def school_stage(age: int, rng: np.random.Generator, short: bool = False) -> str:
    """UK school year for an age, e.g. 'Year 9' / 'Y9'; nursery and post-16 too."""
    if age <= 3:
        return "nursery"
    if age == 4:
        return "Reception"
    if age <= 15:
        year = age - 4 if rng.random() < 0.5 else age - 5
        year = min(max(year, 1), 11)
        return f"Y{year}" if short else f"Year {year}"
    if age <= 17:
        return (
            ("Y12" if age == 16 else "Y13")
            if short
            else ("sixth form" if rng.random() < 0.5 else "college")
        )
    return ("uni", "college", "work", "an apprenticeship")[int(rng.integers(4))]


def fill(phrase: str, slots: Slots, dur: str) -> str:
    values = {
        "name": slots.case.name,
        "age": str(slots.case.age),
        "dur": dur,
        "parent": slots.parent_word,
    }
    values.update(slots.pronouns())
    return phrase.format(**values)


# Phrase banks are written for every age; these keep a phrase out of referrals whose child is
# too young or too old for what it mentions ("sixth form" at 8, "form tutor" at 22).
_AGE_MISFITS: tuple[tuple[int, int, re.Pattern[str]], ...] = (
    (
        0,
        3,
        re.compile(
            r"\b(school|teachers?|lessons?|homework|year \d+|y\d+|tutor|exams?|class)\b", re.I
        ),
    ),
    (
        0,
        10,
        re.compile(
            r"\b(college|sixth form|uni|university|gcses?|a[- ]levels?|mocks?|apprenticeship|"
            r"boyfriend|girlfriend|part[- ]time job|vap\w*|weed|alcohol|drinking|parties)\b",
            re.I,
        ),
    ),
    (0, 15, re.compile(r"\b(uni|university|apprenticeship|a[- ]levels?|sixth form)\b", re.I)),
    (6, 99, re.compile(r"\b(nursery|toddler|potty|reception class|nap)\b", re.I)),
    (11, 99, re.compile(r"\b(toys?|playground|tantrums?|story ?time|year [1-6]|y[1-6])\b", re.I)),
    (
        18,
        99,
        re.compile(
            r"\b(school|teachers?|form tutor|year \d+|y\d+|pupils?|class teacher|elsa|senco|dsl|"
            r"head ?teacher|head of year|playtime|break ?time|ehcp)\b",
            re.I,
        ),
    ),
)


@dataclass(frozen=True)
class Variation:
    """Compiled swaps and openers for one register (see banks/variation.yaml)."""

    pattern: re.Pattern[str] | None
    groups: dict[str, tuple[str, ...]]
    openers: tuple[str, ...]


@cache
def variation(register: Register) -> Variation:
    raw = yaml.safe_load(resources.files(banks_pkg).joinpath("variation.yaml").read_text("utf-8"))
    groups: dict[str, tuple[str, ...]] = {}
    for swap in raw["swaps"]:
        if register.value in swap["registers"]:
            for w in swap["words"]:
                groups[w.lower()] = tuple(swap["words"])
    words = sorted(groups, key=len, reverse=True)
    pattern = (
        re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, words)) + r")(?![\w'])", re.I)
        if words
        else None
    )
    return Variation(pattern, groups, tuple(raw["openers"].get(register.value, ())))


def vary(text: str, register: Register, rng: np.random.Generator, rate: float = 0.5) -> str:
    """Swap interchangeable words and sometimes add an opener; meaning is untouched."""
    v = variation(register)
    if v.pattern is not None and rng.random() < rate:

        def swap(m: re.Match[str]) -> str:
            options = v.groups[m.group(0).lower()]
            pick = options[int(rng.integers(len(options)))]
            return pick[0].upper() + pick[1:] if m.group(0)[0].isupper() else pick

        text = v.pattern.sub(swap, text)
    if (
        v.openers
        and rng.random() < 0.08
        and text[:1].isupper()
        and not text.startswith(("{", "I "))
    ):
        opener = v.openers[int(rng.integers(len(v.openers)))]
        text = opener + text[0].lower() + text[1:]
    return text


def fits_age(phrase: str, age: int) -> bool:
    return not any(lo <= age <= hi and rx.search(phrase) for lo, hi, rx in _AGE_MISFITS)


@cache
def phrases_for_age(register: Register, key: str, age: int) -> tuple[str, ...]:
    """The phrasings of a key that suit a child of this age (all of them if none do)."""
    options = load_bank(register).get(key)
    return tuple(p for p in options if fits_age(p, age)) or options


class Realiser:
    """Picks a phrasing for a fact in a register and fills it; one per referral."""

    def __init__(self, case: Case, rng: np.random.Generator, parent_word: str) -> None:
        self.rng = rng
        self.slots = Slots(case, int(rng.integers(12)), parent_word)
        self._used: set[str] = set()

    def say(self, fact: Fact, register: Register) -> str:
        options = phrases_for_age(register, fact.key, self.slots.case.age)
        fresh = [p for p in options if p not in self._used] or list(options)
        phrase = fresh[int(self.rng.integers(len(fresh)))]
        self._used.add(phrase)
        dur = duration_text(fact.months, register, self.slots, self.rng)
        text = vary(fill(phrase, self.slots, dur), register, self.rng)
        if register in (Register.PROFESSIONAL, Register.PARENT) and text[:1].islower():
            text = text[0].upper() + text[1:]
        if (
            fact.months is not None
            and fact.section == Section.PRESENTING
            and "{dur}" not in phrase
            and self.rng.random() < 0.55
        ):
            text = _append_duration(text, dur, register, self.rng)
        return text


def _append_duration(text: str, dur: str, register: Register, rng: np.random.Generator) -> str:
    stripped = text.rstrip(" .")
    if register is Register.SHORTHAND:
        return f"{stripped} ({dur})" if rng.random() < 0.5 else f"{stripped}, {dur}"
    if register is Register.YOUNG_PERSON:
        tails = [f" and its been like that {dur}", f", been {dur}", f" ({dur})"]
        return stripped + tails[int(rng.integers(len(tails)))] + ("." if rng.random() < 0.5 else "")
    tails = [f". This has been going on {dur}.", f" - {dur}.", f", {dur}."]
    if register is Register.PARENT:
        tails = [f". It's been like this {dur}.", f" - {dur} now.", f", {dur}."]
    return stripped + tails[int(rng.integers(len(tails)))]


# ---------------------------------------------------------------------------- surface noise

_KEYBOARD_NEIGHBOURS = {
    "a": "qs",
    "e": "wr",
    "i": "uo",
    "o": "ip",
    "s": "ad",
    "t": "ry",
    "n": "bm",
    "r": "et",
    "h": "gj",
    "l": "k",
    "d": "sf",
    "m": "n",
    "u": "yi",
}


def add_typos(text: str, rng: np.random.Generator, rate: float) -> str:
    """Drop, double, swap or slip letters at `rate` per word, as hurried typing does."""
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) < 4 or not w.isalpha() or rng.random() >= rate:
            continue
        j = int(rng.integers(1, len(w) - 1))
        kind = int(rng.integers(4))
        if kind == 0:
            w = w[:j] + w[j + 1 :]
        elif kind == 1:
            w = w[:j] + w[j] + w[j:]
        elif kind == 2:
            w = w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :]
        else:
            near = _KEYBOARD_NEIGHBOURS.get(w[j].lower())
            if near:
                w = w[:j] + near[int(rng.integers(len(near)))] + w[j + 1 :]
        words[i] = w
    return " ".join(words)


def casual(text: str, rng: np.random.Generator, lowercase: bool, drop_punct: float) -> str:
    """Lower-case everything and drop some full stops and apostrophes, as phones make people do."""
    if lowercase:
        text = text.lower()
    out = []
    for ch in text:
        if ch in ".'," and rng.random() < drop_punct:
            continue
        out.append(ch)
    return "".join(out)
