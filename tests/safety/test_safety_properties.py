"""Property-based tests: whatever surrounds or disguises a risk sentence, it routes."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from thrive_ml.safety import assess

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Affirmed risk sentences written for these tests, one per indicator family.
AFFIRMED = [
    "She has been cutting her arms.",
    "He says he wants to die.",
    "She took an overdose on Friday.",
    "He has been hoarding tablets in his room.",
    "She threatened to stab a classmate.",
    "An older man has been messaging her late at night.",
    "He burns himself with a lighter.",
]

# Phrases and the obfuscations people use on them.
PHRASES = ["self harm", "suicidal", "kill myself", "overdose", "want to die"]

NEGATED = [
    "She denies any self-harm.",
    "No SI or SH reported.",
    "He has never tried to kill himself.",
    "There is no history of overdose.",
    "She is not suicidal.",
]

OTHER_PERSON = [
    "Her friend self-harms.",
    "His brother has tried to kill himself.",
    "Her cousin took an overdose.",
    "A girl in her class is suicidal.",
    "She is supporting a friend who cuts.",
]

LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
HOMOGLYPH = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "i": "і"}  # Cyrillic


def _spaced(p: str) -> str:
    return " ".join(p.replace(" ", ""))


def _dotted(p: str) -> str:
    return ".".join(p.replace(" ", ""))


def _zero_width(p: str) -> str:
    return "\u200b".join(p)


def _soft_hyphen(p: str) -> str:
    return "\u00ad".join(p)


def _leet(p: str) -> str:
    return "".join(LEET.get(c, c) for c in p)


def _homoglyph(p: str) -> str:
    return "".join(HOMOGLYPH.get(c, c) for c in p)


def _stretch(p: str) -> str:
    """Repeat the first vowel (or, failing that, the last letter) four times."""
    at = next((i for i, c in enumerate(p) if c in "aeiou"), len(p.rstrip()) - 1)
    return p[:at] + p[at] * 4 + p[at + 1 :]


def _upper(p: str) -> str:
    return p.upper()


def _fullwidth(p: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in p)


def _accents(p: str) -> str:
    return "".join(c + "\u0301" if c in "aeiou" else c for c in p)


TRANSFORMS = [
    _spaced,
    _dotted,
    _zero_width,
    _soft_hyphen,
    _leet,
    _homoglyph,
    _stretch,
    _upper,
    _fullwidth,
    _accents,
]

filler = st.text(
    alphabet=st.characters(categories=["L", "Zs", "N"], exclude_characters="\u0130"),
    max_size=120,
)


def _exact(text: str) -> None:
    for f in assess(text).flags:
        assert text[f.start : f.end] == f.text


@FAST
@given(prefix=filler, suffix=filler, sentence=st.sampled_from(AFFIRMED))
def test_affirmed_risk_sentence_routes_wherever_it_is_inserted(
    prefix: str, suffix: str, sentence: str
) -> None:
    text = f"{prefix}. {sentence} {suffix}"
    report = assess(text)
    assert report.routes_to_review
    assert all(text[f.start : f.end] == f.text for f in report.flags)


@FAST
@given(
    phrase=st.sampled_from(PHRASES),
    transforms=st.lists(st.sampled_from(TRANSFORMS), min_size=1, max_size=2, unique=True),
)
def test_every_obfuscation_of_a_risk_phrase_still_routes(phrase: str, transforms: list) -> None:
    disguised = phrase
    for t in transforms:
        disguised = t(disguised)
    text = f"She keeps writing {disguised} in her notebook."
    report = assess(text)
    assert report.routes_to_review, (phrase, disguised)
    assert all(text[f.start : f.end] == f.text for f in report.flags)


@FAST
@given(sentence=st.sampled_from(NEGATED + OTHER_PERSON), name=st.sampled_from(["Amy", "Jo"]))
def test_negated_and_other_person_templates_alone_do_not_route(sentence: str, name: str) -> None:
    report = assess(f"Referral for {name}. {sentence}")
    assert report.flags
    assert not report.routes_to_review


@FAST
@given(text=st.text(max_size=400))
@example(text="\u0301\u200b\ufeff")
@example(text="😢" * 50)
@example(text="ǅ İ ß ﬃ ẞ")
def test_no_unicode_input_raises_and_offsets_are_exact(text: str) -> None:
    _exact(text)


@FAST
@given(text=st.text(alphabet=string.printable, max_size=300))
def test_output_is_deterministic(text: str) -> None:
    assert assess(text) == assess(text)


# ---------------------------------------------------------------- wording added in 2026.12.1

NEW_PHRASES = [
    "i just want to end it",
    "he wants to disappear",
    "she should have died",
    "blow my brains out",
    "my gun jammed",
    "walking into traffic",
    "he got me off the ledge",
    "my method is ready",
    "i cant take it anymore",
    "no reason to stay alive",
    "slit my wrists",
]
# Letter-by-letter spacing is left out: entries whose leading words are checked separately
# (`before`) need a word start, which spaced-out letters remove (docs/safety.md, Limitations).
GLUE_FREE = [t for t in TRANSFORMS if t.__name__ not in ("_spaced", "_dotted")]


@FAST
@given(
    phrase=st.sampled_from(NEW_PHRASES),
    transforms=st.lists(st.sampled_from(GLUE_FREE), min_size=1, max_size=2, unique=True),
)
def test_obfuscated_new_wording_still_routes(phrase: str, transforms: list) -> None:
    disguised = phrase
    for t in transforms:
        disguised = t(disguised)
    text = f"She wrote: {disguised}."
    report = assess(text)
    assert report.routes_to_review, (phrase, disguised)
    assert all(text[f.start : f.end] == f.text for f in report.flags)
