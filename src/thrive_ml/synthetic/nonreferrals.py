"""Texts that are not referrals: what people paste into a box by mistake or to test it.

The model learns to say "not a referral" from these instead of forcing a THRIVE group onto
a shopping list. Deterministic for a seed, like the referral generator.
"""

from __future__ import annotations

import string
from collections.abc import Callable

import numpy as np

from thrive_ml.synthetic.cases import choose

GREETINGS = (
    "hi",
    "hello",
    "hiya",
    "hey there",
    "good morning",
    "test",
    "testing 123",
    "hello?",
    "is anyone there",
    "ok",
    "thanks",
    "thank you!",
    "asdf",
    "yes",
    "no",
    "hi how are you",
)
GROCERIES = (
    "milk",
    "eggs",
    "bread",
    "butter",
    "bananas",
    "pasta",
    "rice",
    "tea bags",
    "coffee",
    "cheese",
    "apples",
    "chicken",
    "washing up liquid",
    "loo roll",
    "cereal",
    "yoghurt",
    "tomatoes",
    "onions",
    "beans",
    "crisps",
    "orange juice",
    "bin bags",
    "nappies",
)
WORDS = [
    "the",
    "meeting",
    "has",
    "been",
    "moved",
    "to",
    "thursday",
    "at",
    "two",
    "in",
    "room",
    "four",
    "please",
    "bring",
    "the",
    "budget",
    "papers",
    "and",
    "the",
    "minutes",
    "from",
    "last",
    "week",
    "we",
    "will",
    "also",
    "discuss",
    "the",
    "car",
    "park",
    "rota",
    "and",
    "the",
    "new",
    "printer",
    "lease",
    "the",
    "quarterly",
    "figures",
    "are",
    "attached",
]
LOREM = [
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
    "et",
    "dolore",
    "magna",
    "aliqua",
    "ut",
    "enim",
    "ad",
    "minim",
    "veniam",
    "quis",
    "nostrud",
]
TEAMS = ("Rovers", "United", "City", "Athletic", "Town", "Wanderers", "Albion", "County")


def _gibberish(rng: np.random.Generator) -> str:
    letters = string.ascii_lowercase + "    "
    return "".join(choose(rng, letters) for _ in range(int(rng.integers(5, 120)))).strip() or "zzz"


def _shopping(rng: np.random.Generator) -> str:
    items = [
        GROCERIES[int(i)]
        for i in rng.choice(len(GROCERIES), size=int(rng.integers(3, 10)), replace=False)
    ]
    sep = choose(rng, ("\n", ", ", "\n- "))
    return ("shopping list" + sep if rng.random() < 0.4 else "") + sep.join(items)


def _memo(rng: np.random.Generator) -> str:
    start = int(rng.integers(0, len(WORDS) - 12))
    return " ".join(WORDS[start : start + int(rng.integers(8, 30))]).capitalize() + "."


def _lorem(rng: np.random.Generator) -> str:
    n = int(rng.integers(5, len(LOREM)))
    return " ".join(LOREM[:n]).capitalize() + "."


def _scores(rng: np.random.Generator) -> str:
    lines = [
        f"{choose(rng, TEAMS)} {int(rng.integers(0, 5))} - {int(rng.integers(0, 5))} {choose(rng, TEAMS)}"
        for _ in range(int(rng.integers(1, 5)))
    ]
    return "\n".join(lines)


def _numbers(rng: np.random.Generator) -> str:
    return " ".join(str(int(rng.integers(0, 99999))) for _ in range(int(rng.integers(1, 12))))


def _out_of_office(rng: np.random.Generator) -> str:
    return choose(
        rng,
        (
            "I am out of the office until Monday with limited access to email. For urgent matters please contact reception.",
            "Auto-reply: thank you for your email, I am on annual leave and will respond on my return.",
            "Please note my working days are Tuesday to Thursday.",
        ),
    )


def _code(rng: np.random.Generator) -> str:
    return choose(
        rng,
        (
            "SELECT * FROM users WHERE id = 1;",
            "<html><body><p>hello world</p></body></html>",
            "def main():\n    print('hello')",
            '{"key": "value", "n": 3}',
            "console.log('test')",
        ),
    )


def _review(rng: np.random.Generator) -> str:
    return choose(
        rng,
        (
            "Great product, arrived on time, would buy again. Five stars.",
            "The hotel was clean and the staff were friendly but breakfast was cold.",
            "Parcel left with neighbour at number 12.",
            "Your verification code is 448213. Do not share it with anyone.",
            "Congratulations! You have won a prize, click the link to claim.",
            "Recipe: mix flour, sugar and butter, add two eggs and bake for 20 minutes at 180C.",
            "Bin collection is moving to Wednesdays from next month.",
            "Can you pick up the dry cleaning on your way home?",
        ),
    )


MAKERS: tuple[Callable[[np.random.Generator], str], ...] = (
    lambda rng: choose(rng, GREETINGS),
    _gibberish,
    _shopping,
    _memo,
    _lorem,
    _scores,
    _numbers,
    _out_of_office,
    _code,
    _review,
)


def make_non_referrals(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng([seed, 424242])
    out = []
    for _ in range(n):
        text = MAKERS[int(rng.integers(len(MAKERS)))](rng)
        if rng.random() < 0.3:
            text = text.upper() if rng.random() < 0.3 else text.lower()
        out.append(text)
    return out
