"""How fast the safety rules scan referral-like text on one core, and where the time goes.

Texts: the project's synthetic generator when it is importable (thrive_ml.synthetic), plus
referral-like texts built here from a few templates (300-1,500 characters, some with risk, some
with obfuscation). Prints referrals/second, median length and time per stage.

The lexicon's RE2 prefilter builds its DFA lazily (safety/prefilter.py), so a fresh process is
slower on its first referrals than after it has read many. The headline rate is therefore
measured on referrals the process has never seen, after it has read --warm others; the first
--n referrals of the fresh process are timed as well ("cold"). Stage times are best of --repeat
over one set of texts (warmest: those texts have been read before).

Usage: .venv/bin/python bench/safety.py [--n 3000] [--warm 20000] [--repeat 3] [--csv PATH]
With --csv the first N `text` values of that file are timed too (e.g. `make data`'s output).
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from thrive_ml.safety import assess
from thrive_ml.safety.context import classify
from thrive_ml.safety.matcher import find_mentions
from thrive_ml.safety.normalize import fold
from thrive_ml.safety.rules import default_rules

OPENINGS = [
    "Referral from GP. {name} is a {age} year old {kind} living with {carer}.",
    "School referral: {name} (Year {year}) has been struggling since the autumn term.",
    "Parent self-referral. I am writing about my {kind} {name}, who is {age}.",
    "Social worker referral for {name}, {age}, currently living with {carer}.",
    "hi im {name} im {age} and my teacher said i should fill this in",
]
BODY = [
    "Attendance has dropped to {pct}% and {pron} often arrives late and tired.",
    "{Pron} describes worrying thoughts most evenings and finds it hard to get to sleep.",
    "Friendship difficulties in class have made lunchtimes very hard for {obj}.",
    "Mum reports frequent arguments at home about screen time and homework.",
    "{Pron} enjoys drama and football and has a good relationship with {poss} form tutor.",
    "There have been panic attacks before tests, with a racing heart and shaking.",
    "{Pron} has been eating less and has lost some weight over the last term.",
    "Previous support from the school counsellor helped for a while.",
    "{Pron} is on the waiting list for an ADHD assessment.",
    "Family would like some strategies for managing anger and low mood.",
    "Grandad died in the summer and {pron} has been tearful since.",
    "Sleep is poor; {pron} is on {poss} phone until the early hours.",
]
RISK = [
    "{Pron} has been cutting {poss} arms and staff have seen fresh marks.",
    "{Pron} told a friend {pron} wants to die and has looked up how many tablets it would take.",
    "NO SI/SH. Denies thoughts of harming others.",
    "{Poss} older sister self-harmed in the past; {name} denies any self-harm.",
    "An older man has been messaging {obj} online and {pron} has new unexplained money.",
    "{Pron} took an overdose of paracetamol last year, none since.",
    "{Pron} says {pron} will kill {refl} if {pron} has to go back to that school.",
    "i sometimes think everyone would be better off without me",
    "{Pron} has been s e l f h a r m i n g again and hides {poss} wrists.",
    "There is violence at home and police were called last weekend.",
]
CLOSINGS = [
    "Consent has been given for this referral.",
    "Please contact the school SENCo for more information.",
    "Parents are keen for support as soon as possible.",
    "thanks",
]
NAMES = ["Amy", "Jordan", "Priya", "Callum", "Zoë", "Tomasz", "Aisha", "Finn"]


def _fill(template: str, who: dict[str, str]) -> str:
    return template.format(**who)


def template_texts(n: int, rng: random.Random) -> list[str]:
    """Referral-like texts of ~300-1,500 characters; about half mention a risk."""
    texts = []
    for _ in range(n):
        she = rng.random() < 0.5
        who = {
            "name": rng.choice(NAMES),
            "age": str(rng.randint(8, 17)),
            "year": str(rng.randint(3, 13)),
            "kind": "daughter" if she else "son",
            "carer": rng.choice(["mum", "dad", "grandparents", "foster carers"]),
            "pct": str(rng.randint(55, 90)),
            "pron": "she" if she else "he",
            "Pron": "She" if she else "He",
            "obj": "her" if she else "him",
            "poss": "her" if she else "his",
            "Poss": "Her" if she else "His",
            "refl": "herself" if she else "himself",
        }
        parts = [_fill(rng.choice(OPENINGS), who)]
        parts += [_fill(t, who) for t in rng.sample(BODY, rng.randint(3, 11))]
        if rng.random() < 0.5:
            parts.insert(rng.randint(1, len(parts)), _fill(rng.choice(RISK), who))
        parts.append(rng.choice(CLOSINGS))
        texts.append(" ".join(parts))
    return texts


def generator_texts(n: int, seed: int = 11) -> list[str]:
    """Texts from the project's synthetic generator, or none if it is not usable yet."""
    try:
        from thrive_ml.synthetic.generate import iter_referrals

        return [r.text for r in iter_referrals(n, seed)]
    except Exception as exc:
        print(f"(synthetic generator not used: {type(exc).__name__})")
        return []


def csv_texts(path: str, n: int) -> list[str]:
    """The first n `text` values of a CSV such as data/generated/referrals.csv."""
    csv.field_size_limit(sys.maxsize)
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [row["text"] for _, row in zip(range(n), csv.DictReader(fh), strict=False)]


def _time(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def stages(texts: list[str], repeat: int) -> dict[str, float]:
    """Seconds per stage over all texts (best of `repeat`)."""
    rules = default_rules()
    readings = [fold(t) for t in texts]
    mentions = [[(f, find_mentions(f, rules)) for f in rs] for rs in readings]

    def do_fold() -> None:
        for t in texts:
            fold(t)

    def do_match() -> None:
        for rs in readings:
            for f in rs:
                find_mentions(f, rules)

    def do_context() -> None:
        for per_text in mentions:
            for f, ms in per_text:
                if ms:
                    classify(f.text, [(m.start, m.end, m.indicator) for m in ms], rules)

    def do_all() -> None:
        for t in texts:
            assess(t)

    return {
        "normalise (fold)": _time(do_fold, repeat),
        "match lexicon": _time(do_match, repeat),
        "context": _time(do_context, repeat),
        "assess end to end": _time(do_all, repeat),
    }


def report(name: str, texts: list[str], repeat: int) -> None:
    default_rules()  # compile once, outside the timing
    lengths = sorted(len(t) for t in texts)
    timing = stages(texts, repeat)
    total = timing["assess end to end"]
    routed = sum(assess(t).routes_to_review for t in texts)
    print(
        f"\n## {name}: {len(texts)} texts, median {statistics.median(lengths):.0f} chars "
        f"(min {lengths[0]}, max {lengths[-1]}), {routed / len(texts):.0%} routed"
    )
    print(
        f"referrals/second on one core: {len(texts) / total:,.0f}  "
        f"({sum(lengths) / total / 1e6:.1f} M chars/s)"
    )
    for stage, secs in timing.items():
        print(f"  {stage:20s} {secs / len(texts) * 1e6:8.1f} us/referral")


def one_pass_rate(texts: list[str]) -> float:
    """Referrals per second over one pass (each text read once, as in real traffic)."""
    t0 = time.perf_counter()
    for t in texts:
        assess(t)
    return len(texts) / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--warm", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--csv", default=None, help="also time the texts of this CSV")
    args = parser.parse_args()
    rng = random.Random(7)
    t0 = time.perf_counter()
    default_rules()
    print(f"rules compiled in {time.perf_counter() - t0:.2f} s (once per process)")
    synthetic = generator_texts(args.n)
    if synthetic:
        cold = one_pass_rate(synthetic)
        warm_pool = generator_texts(args.warm, seed=12)
        for t in warm_pool:
            assess(t)
        unseen = generator_texts(args.n, seed=13)
        steady = one_pass_rate(unseen)
        print(
            f"\n## synthetic generator referrals, each read once\n"
            f"first {args.n} of a fresh process (cold): {cold:,.0f}/s\n"
            f"{args.n} unseen ones after {len(warm_pool):,} others: {steady:,.0f}/s  <- headline"
        )
        report("synthetic generator referrals, stages", unseen, args.repeat)
    report("template referrals", template_texts(args.n, rng), args.repeat)
    if args.csv:
        report(f"texts of {args.csv}", csv_texts(args.csv, args.n), args.repeat)


if __name__ == "__main__":
    main()
