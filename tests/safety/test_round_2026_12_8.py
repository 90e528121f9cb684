"""Rules 2026.12.8: cues that were written but never found, form answers, and plain acts.

Some cue entries could not be read where their authors meant them: a cue opening with a
punctuation group ('(?:-|:)') was checked as if it started a word, and a cue ending in a space
('rather than ' + an optional 'any ') was refused before any next word. The relative-clause cue
("her mum, who ...") was one of the second kind: it fired only when a reporting verb followed.
The lexicon classes come from scoring our own generator's risk phrase banks through the rules
alone (321 of 1,087 routing phrases did not route). Sentences are written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thrive_ml.safety import assess
from thrive_ml.safety.context import status_of_span
from thrive_ml.safety.rules import load_rules_file
from thrive_ml.taxonomy import ContextStatus

ROUTES = [
    # lexicon 2026.12.8
    "Says will hang self if he is not picked for the team.",
    "Threatened to cut self when the phone was taken away.",
    "She cannot keep herself safe at home at the moment.",
    "Risk: active plan + intent, GP informed.",
    "He says he'll swallow whatever pills he can find if they move him again.",
    "Hx CSA aged 6, police investigation closed.",
    "Her stepdad grabbed her by the throat on Saturday.",
    "She says mum's boyfriend held her head under the water in the bath.",
    "Dad hit him with a belt for lying about homework.",
    "He told the teacher he is locked in his room overnight without food.",
    "someone at my uncles flat touches me and i dont like it",
    "Her uncle makes her watch porn videos when he babysits.",
    "Nursery staff saw him try to smother the baby with a pillow.",
    "He put a cushion over his baby sister's face while mum was upstairs.",
    "Serious assault on an older pupil at the bus stop last week.",
    "She keeps hurting her toddler brother when nobody is watching.",
    # a form's denial straight after a word still leaves a real item in the same line
    "Self-harm: yes, cutting most nights | Suicidal ideation: no",
    # someone else's relative clause does not hide danger at home
    "Mum says her new partner, who moved in recently, was violent to his last partner.",
    "Dad, who keeps a shotgun in the shed, leaves the key in the door.",
]

DOES_NOT_ROUTE = [
    # form answers: '|' between fields, an en dash before the answer
    "Suicidal ideation: N | Plan: N | Self-harm: N | Risk to others: N",
    "Suicidal ideation: no | Self-harm: no | Safeguarding: no",
    "Self-harm \u2013 no. Suicidal talk \u2013 no. Violence \u2013 no.",
    # a relative clause keeps the relative as the subject
    "She is very worried about her mum, who took an overdose last month.",
    "He is worried about his older brother, who has been talking about suicide since he lost his job.",
    "She asked how to help her best friend, who has been cutting herself.",
    # the 'rather than' denial
    "She talks about missing her grandad rather than any wish to harm herself.",
    # missing someone or something, a lost pet
    "She has been missing her friends since the move to Leeds.",
    "He has been missing some lessons to see the school nurse about his asthma.",
    "Since their dog went missing she checks the park every evening.",
    # lookalikes of the new classes
    "Risk to self/others: none known. Harm to self or others: no.",
    "She can't keep her phone safe from her little brother.",
    "She will swallow all the sweets in the jar if you let her.",
    "He smothered his chips in ketchup and ate them on the bus.",
]


@pytest.mark.parametrize("text", ROUTES)
def test_wording_routes(text: str) -> None:
    assert assess(text).routes_to_review, text


@pytest.mark.parametrize("text", DOES_NOT_ROUTE)
def test_wording_does_not_route(text: str) -> None:
    report = assess(text)
    assert not report.routes_to_review, [(f.text, f.status) for f in report.flags]


def test_the_relative_clause_names_someone_else_only_for_what_follows_who() -> None:
    report = assess("Her mum, who took an overdose last month, says Amy has been cutting.")
    statuses = {f.text: f.status for f in report.flags}
    assert statuses["took an overdose"] is ContextStatus.OTHER_PERSON
    assert statuses["been cutting"] is ContextStatus.AFFIRMED


RULES_WITH = """
version: "2026.11.1"
lexicon:
  - {{indicator: self_harm, phrase: "self harm", why: "named directly"}}
cues:
  - {{pattern: "{cue}", category: negated, direction: {direction}, max_scope: 2, why: "test"}}
"""


@pytest.mark.parametrize(
    ("cue", "direction", "text"),
    [
        # a cue opening with a punctuation group, straight after a word
        ("(?:-|:)\\\\s*nope", "backward", "self harm: nope"),
        # a cue whose last optional word is absent, so the match ends in a space
        ("rather\\\\s+than\\\\s+(?:any\\\\s+)?", "forward", "rather than self harm"),
        ("rather\\\\s+than\\\\s+(?:any\\\\s+)?", "forward", "rather than any self harm"),
    ],
)
def test_cues_are_found_where_they_are_written(
    tmp_path: Path, cue: str, direction: str, text: str
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES_WITH.format(cue=cue, direction=direction), encoding="utf-8")
    start = text.index("self harm")
    status = status_of_span(text, start, start + len("self harm"), rules=load_rules_file(path))
    assert status is ContextStatus.NEGATED
