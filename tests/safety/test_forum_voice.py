"""Young people's own words online, added in rules 2026.12.4 (sentences written here).

The classes were found missing by reading the misses on data/development/forum_dev.jsonl, a
development set of forum and chat messages written for this. Each class has everyday
lookalikes beside it, which must not route. The final forum sets (blind24, forum_g in
data/validation/safety_final) were never read: they are only scored (docs/safety.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thrive_ml.safety import assess

DEV = Path(__file__).resolve().parents[2] / "data" / "development" / "forum_dev.jsonl"


@pytest.mark.parametrize(
    "text",
    [
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
    ],
)
def test_forum_wording_routes(text: str) -> None:
    assert assess(text).routes_to_review, text


@pytest.mark.parametrize(
    "text",
    [
        "my attempt at a sourdough loaf was a disaster",
        "my attempt to learn the guitar did not last",
        "he has been clean for 20 days and we are proud of him",
        "the team gave their best and we are fine without the trophy",
        "i am only still here because of the rain, the bus is late",
        "we have everything ready for the party on saturday",
        "i want this week to be over, exams are awful",
        "i dont want to do my homework",
    ],
)
def test_forum_lookalikes_do_not_route(text: str) -> None:
    assert not assess(text).routes_to_review, text


def test_texted_im_is_the_writer_speaking() -> None:
    # "i know how" names someone else's feelings elsewhere; "im" inside the mention is the writer.
    report = assess("i know how im going to do it now")
    assert [f.status.value for f in report.flags] == ["affirmed"]


def test_the_forum_development_set_keeps_its_floor() -> None:
    # Measured with rules 2026.12.4: 187/240 risk items route, 7/80 harmless ones do. A floor,
    # not an estimate for unseen text: the set was read to write the classes above.
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    risky = [r for r in rows if r["routes"]]
    harmless = [r for r in rows if not r["routes"]]
    routed = sum(assess(r["text"]).routes_to_review for r in risky)
    false = sum(assess(r["text"]).routes_to_review for r in harmless)
    assert routed / len(risky) >= 0.77
    assert false / len(harmless) <= 0.1


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


@pytest.mark.parametrize(
    "text",
    [
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
    ],
)
def test_second_round_forum_wording_routes(text: str) -> None:
    assert assess(text).routes_to_review, text


@pytest.mark.parametrize(
    "text",
    [
        "her symptoms have not come back since the summer",
        "he has been clean for 20 days and we are proud of him",
        "i burned the toast, not on purpose obviously",
        "we end the term with a party on friday",
        "i know when and where the match is",
        "my attempt at the essay was rubbish",
        "i am 14 and he is my brother",
        "day 3 of the diet and i am starving lol",
        "i wrote a note to my teacher about the trip",
    ],
)
def test_second_round_lookalikes_do_not_route(text: str) -> None:
    assert not assess(text).routes_to_review, text


# ---------------------------------------------------------------- third round (2026.12.6)
# Written after reading the misses on data/development/forum_dev3.jsonl (sentences here are ours).

DEV3 = DEV.with_name("forum_dev3.jsonl")


@pytest.mark.parametrize(
    "text",
    [
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
    ],
)
def test_third_round_forum_wording_routes(text: str) -> None:
    assert assess(text).routes_to_review, text


@pytest.mark.parametrize(
    "text",
    [
        "let me die of embarrassment, i tripped in assembly",
        "i wish i could fade my hair to blonde",
        "the urges to eat chocolate are back",
        "i burnt myself on the oven getting the pizza out",
        "we went deeper than usual into the cave on the school trip",
        "the plan is to go to the cinema saturday",
        "i know exactly how you feel",
        "she watched me play netball on saturday",
    ],
)
def test_third_round_lookalikes_do_not_route(text: str) -> None:
    assert not assess(text).routes_to_review, text


def test_the_third_forum_development_set_keeps_its_floor() -> None:
    # Scored once before its misses were read (rules 2026.12.5): 164/300 risk, 14/100 harmless.
    # After the third round: 257/300, 14/100. A floor against regressions, not an estimate.
    rows = [json.loads(line) for line in DEV3.read_text(encoding="utf-8").splitlines() if line]
    risky = [r for r in rows if r["routes"]]
    harmless = [r for r in rows if not r["routes"]]
    routed = sum(assess(r["text"]).routes_to_review for r in risky)
    false = sum(assess(r["text"]).routes_to_review for r in harmless)
    assert routed / len(risky) >= 0.84
    assert false / len(harmless) <= 0.15
