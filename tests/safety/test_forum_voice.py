"""Young people's own words online, added in rules 2026.12.4 (sentences written here).

The classes were found missing by reading the misses on data/development/forum_dev.jsonl, a
development set of forum and chat messages written for this. Each class has everyday
lookalikes beside it, which must not route. The final forum sets (blind24, forum_g in
data/validation/safety_final) were never read: they are only scored (docs/safety.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thrive_ml.datasets import load_risk_snippets
from thrive_ml.safety import assess

DEV_DIR = Path(__file__).resolve().parents[2] / "data" / "development"


ROUND_1_ROUTES = [
    "honestly i envy people who dont have to wake up",
    "ive given up on living at this point",
    "kind of over being alive tbh",
    "i think about not existing all the time",
    "im not gonna make it to summer",
    "i dont really see myself being around next year",
    "every night i pray not to wake up",
    "i want to go to sleep and not come back",
    "my mum would be fine without me",
    "nobody would even miss me",
    "im only still here because of my cat",
    "its pointless me being around",
    "ill be gone soon anyway",
    "i just want it all to be over",
    "my goodbye messages are written",
    "i have everything ready.",
    "tonight is the night",
    "im at the bridge now",
    "looked up the tallest car parks near me",
    "since my attempt my parents check on me",
    "the night i tried.",
    "had my stomach pumped when i was 14",
    "relapsed last night after 20 days clean",
    "how do i explain my scars at the pool",
    "i punish myself when i get things wrong",
    "i keep looking at the balcony differently",
    "got kicked out last night and slept at the bus station",
    "i know how im going to do it now",
]


ROUND_1_LOOKALIKES = [
    "my attempt at a sourdough loaf was a disaster",
    "my attempt to learn the guitar did not last",
    "he has been clean for 20 days and we are proud of him",
    "the team gave their best and we are fine without the trophy",
    "i am only still here because of the rain, the bus is late",
    "we have everything ready for the party on saturday",
    "i want this week to be over, exams are awful",
    "i dont want to do my homework",
]


def test_texted_im_is_the_writer_speaking() -> None:
    # "i know how" names someone else's feelings elsewhere; "im" inside the mention is the writer.
    report = assess("i know how im going to do it now")
    assert [f.status.value for f in report.flags] == ["affirmed"]


# ---------------------------------------------------------------- exclamation marks (2026.12.5)
# A run of '!' at a word's end was read as leetspeak 'i' after the first one: "die!!" folded to
# "diei!", so a young person shouting for help did not route. Found while reading forum misses.


@pytest.mark.parametrize(
    "text",
    [
        "i want to die!! help",
        "i want to kill myself!!!",
        "he hit me!!",
        "!!i want to die",
        "i cut myself again||",
    ],
)
def test_exclamation_marks_after_a_risk_word_do_not_hide_it(text: str) -> None:
    assert assess(text).routes_to_review, text


def test_leet_inside_a_word_is_still_folded_but_edge_marks_are_kept() -> None:
    from thrive_ml.safety.normalize import _leet

    assert _leet("k!ll myself", "i") == "kill myself"
    assert _leet("sh!t!!", "i") == "shit!!"
    assert _leet("die!!!", "i") == "die!!!"


# ---------------------------------------------------------------- second round (2026.12.5)
# Written after reading the misses on a second forum development set (long rambling posts,
# Discord and Reddit voice, writers whose English is a second language).


ROUND_2_ROUTES = [
    "lowkey jealous of dead people",
    "i just want everything to end, me included",
    "it would be easier if i was not alive",
    "id rather be with my nan than be here",
    "idk if ill even be around by christmas",
    "hoping i get hit by a bus on the way to school",
    "my brain keeps telling me to end it",
    "death would be such a relief",
    "i wasnt meant to be alive",
    "im gonna do it on friday.",
    "i know when and where",
    "started writing my note",
    "how many of these is lethal",
    "writing this from the roof.",
    "it was meant to be the end.",
    "they gave me charcoal in a&e",
    "day 40 clean but i want to relapse",
    "wearing long sleeves so no one sees my arms",
    "i burned my hand on purpose",
    "found where my uncle hides his gun",
    "been saving my prescription",
    "i want to make them all pay.",
    "i hit my girlfriend and i hate myself",
    "he is 24 and i am 14",
    "my stepdad locks me in my room",
]


ROUND_2_LOOKALIKES = [
    "her symptoms have not come back since the summer",
    "he has been clean for 20 days and we are proud of him",
    "i burned the toast, not on purpose obviously",
    "we end the term with a party on friday",
    "i know when and where the match is",
    "my attempt at the essay was rubbish",
    "i am 14 and he is my brother",
    "day 3 of the diet and i am starving lol",
    "i wrote a note to my teacher about the trip",
]


# ---------------------------------------------------------------- third round (2026.12.6)
# Written after reading the misses on data/development/forum_dev3.jsonl (sentences here are ours).

ROUND_3_ROUTES = [
    "i keep wishing i could fade away",
    "i want it all to stop for good",
    "i want to sleep and never wake up",
    "every morning im disappointed i woke up",
    "i wish my heart would just stop",
    "im just counting down until i die",
    "the only thing keeping me alive is my little brother",
    "theyd all be happier if i was dead",
    "the house would be easier without me in it",
    "why am i even alive",
    "being dead sounds peaceful tbh",
    "my head keeps saying you should die",
    "sorry in advance to whoever finds me",
    "looked up which way hurts least",
    "i read what happens if you take too many of her tablets",
    "dont try to stop me.",
    "sat on the roof.",
    "my note is written",
    "the night i tried to go, nobody noticed",
    "they pumped my stomach last year",
    "went deeper than usual yesterday",
    "the urges to cut are back",
    "i scrub my skin raw when im stressed",
    "ive got a jar full of pills",
    "my stepdad keeps his rifle under the stairs",
    "an older guy online keeps sending me money",
    "he watches me getting changed",
    "they make me sleep in the garage",
    "i kicked my dog and now hes scared of me",
]


ROUND_3_LOOKALIKES = [
    "let me die of embarrassment, i tripped in assembly",
    "i wish i could fade my hair to blonde",
    "the urges to eat chocolate are back",
    "i burnt myself on the oven getting the pizza out",
    "we went deeper than usual into the cave on the school trip",
    "the plan is to go to the cinema saturday",
    "i know exactly how you feel",
    "she watched me play netball on saturday",
]


@pytest.mark.parametrize("text", ROUND_1_ROUTES + ROUND_2_ROUTES + ROUND_3_ROUTES)
def test_forum_wording_routes(text: str) -> None:
    assert assess(text).routes_to_review, text


@pytest.mark.parametrize("text", ROUND_1_LOOKALIKES + ROUND_2_LOOKALIKES + ROUND_3_LOOKALIKES)
def test_forum_lookalikes_do_not_route(text: str) -> None:
    assert not assess(text).routes_to_review, text


# Floors against regressions, not estimates: each set was read to write the classes above.
# forum_dev, rules 2026.12.4: 187/240 risk items route, 7/80 harmless ones do (187/239, 7/79
# once two lines duplicated in a final set were removed). forum_dev3, scored once before its
# misses were read (rules 2026.12.5): 164/300, 14/100; after the third round 258/300, 14/100.
@pytest.mark.parametrize(
    ("name", "min_recall", "max_false_rate"),
    [("forum_dev", 0.77, 0.1), ("forum_dev3", 0.84, 0.15)],
)
def test_a_forum_development_set_keeps_its_floor(
    name: str, min_recall: float, max_false_rate: float
) -> None:
    snippets = load_risk_snippets([DEV_DIR])
    rows = snippets[snippets["set"] == name]
    routed = [assess(text).routes_to_review for text in rows["text"]]
    risky = [r for r, label in zip(routed, rows["routes"], strict=True) if label]
    harmless = [r for r, label in zip(routed, rows["routes"], strict=True) if not label]
    assert len(risky) >= 200
    assert sum(risky) / len(risky) >= min_recall
    assert sum(harmless) / len(harmless) <= max_false_rate
