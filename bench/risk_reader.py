"""What the learned second reader adds, and what it costs, on text it was not built from.

For each blind snippet set never used to write rules or train the reader
(data/validation/safety_heldout, data/validation/safety_final) and for the hand-written
referral sets (shared/eval/dev.jsonl, shared/eval/safety_dev.jsonl, data/validation/*.jsonl),
prints routing by the safety rules alone, by full triage without the reader, and by full triage
with it: risk recall and false routes, per set and per category. Counts only: no referral text
is printed. Then times batch triage with and without the reader on generated referrals.

Run after `make model`, from the repo root: `.venv/bin/python bench/risk_reader.py [--n 2000]`.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from thrive_ml.model.estimator import safety_report
from thrive_ml.registry import load_champion_triager
from thrive_ml.safety import assess
from thrive_ml.synthetic.generate import iter_referrals

ROOT = Path(__file__).resolve().parents[1]


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _expected(row: dict) -> bool | None:
    """True: must route; False: must not; None: either is right (dev's 'either')."""
    for key in ("routes", "route", "review_expected"):
        if key in row:
            value = row[key]
            return value if isinstance(value, bool) else {"yes": True, "no": False}.get(value)
    return None


def _score(routed: list[bool], expected: list[bool | None]) -> tuple[int, int, int, int]:
    pos = [r for r, e in zip(routed, expected, strict=True) if e is True]
    neg = [r for r, e in zip(routed, expected, strict=True) if e is False]
    return sum(pos), len(pos), sum(neg), len(neg)


def compare(name: str, rows: list[dict], triager, reader) -> None:
    texts = [r["text"] for r in rows]
    expected = [_expected(r) for r in rows]
    rules = [assess(t).routes_to_review for t in texts]
    triager.model.risk_reader_ = None
    without = [r.needs_human_review for r in triager.triage_many(texts)]
    triager.model.risk_reader_ = reader
    results = triager.triage_many(texts)
    with_reader = [r.needs_human_review for r in results]
    cells = []
    for routed in (rules, without, with_reader):
        tp, p, fp, n = _score(routed, expected)
        cells.append(f"{tp}/{p}, {fp}/{n}")
    print(f"| {name} | " + " | ".join(cells) + " |")
    by_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row, e, r0, r1 in zip(rows, expected, without, with_reader, strict=True):
        if "category" in row and e is not None:
            cell = by_cat[row["category"]]
            cell[0] += r0 == e
            cell[1] += r1 == e
            cell[2] += 1
    if by_cat:
        parts = [f"{c} {a}->{b}/{n}" for c, (a, b, n) in sorted(by_cat.items()) if a != b]
        if parts:
            print(
                f"|  changed categories (right without -> with reader) | {'; '.join(parts)} | | |"
            )


def cssrs(path: Path, triager, reader) -> None:
    """Share of C-SSRS Reddit users sent to a person, per clinicians' label (counts only)."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts = [r["text"] for r in rows]
    labels = [r["label"].lower() for r in rows]
    routed: dict[str, list[bool]] = {}
    for name, on in (("rules", None), ("without", False), ("with", True)):
        if on is None:
            routed[name] = [assess(t).routes_to_review for t in texts]
            continue
        triager.model.risk_reader_ = reader if on else None
        routed[name] = [r.needs_human_review for r in triager.triage_many(texts)]
    triager.model.risk_reader_ = reader
    print("| C-SSRS users | n | rules alone | triage without reader | triage with reader |")
    print("|---|---|---|---|---|")
    groups = {lab: [lab] for lab in sorted(set(labels))}
    groups["ideation+behavior+attempt"] = ["ideation", "behavior", "attempt"]
    for name, members in groups.items():
        idx = [i for i, lab in enumerate(labels) if lab in members]
        cells = [f"{sum(routed[k][i] for i in idx) / len(idx):.3f}" for k in routed]
        print(f"| {name} | {len(idx)} | " + " | ".join(cells) + " |")


def speed(triager, reader, n: int, repeats: int) -> None:
    texts = [r.text for r in itertools.islice(iter_referrals(n, seed=11), n)]
    figures: dict[bool, list[float]] = {False: [], True: []}
    triager.triage_many(texts[:512])
    for _ in range(repeats):
        for on in (False, True):
            triager.model.risk_reader_ = reader if on else None
            safety_report.cache_clear()
            start = time.perf_counter()
            for i in range(0, n, 512):
                triager.triage_many(texts[i : i + 512])
            figures[on].append(n / (time.perf_counter() - start))
    triager.model.risk_reader_ = reader
    for on in (False, True):
        print(
            f"batch triage with explanations, reader {'on ' if on else 'off'}: "
            f"{statistics.median(figures[on]):,.0f}/s (min {min(figures[on]):,.0f}, "
            f"max {max(figures[on]):,.0f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--final",
        action="store_true",
        help="also score data/validation/safety_final (kept for the finished rules and reader)",
    )
    args = parser.parse_args()
    triager = load_champion_triager()
    reader = getattr(triager.model, "risk_reader_", None)
    if reader is None:
        raise SystemExit("the champion has no risk reader; run `make model` with this version")
    print(f"risk reader threshold {reader.threshold_:.3f}; cross-validated: {reader.cv_}\n")
    print("| set | rules alone: recall, false | triage without reader | triage with reader |")
    print("|---|---|---|---|")
    validation = ROOT / "data" / "validation"
    for folder in ("safety_heldout", "safety_final") if args.final else ("safety_heldout",):
        for path in sorted((validation / folder).glob("*.jsonl")):
            compare(f"{folder}/{path.stem}", _rows(path), triager, reader)
    for path in [args.shared / "eval" / "safety_dev.jsonl", args.shared / "eval" / "dev.jsonl"]:
        if path.is_file():
            compare(f"shared/{path.stem}", _rows(path), triager, reader)
    for path in sorted(validation.glob("*.jsonl")):
        compare(f"validation/{path.stem}", _rows(path), triager, reader)
    users = args.shared / "external" / "cssrs_reddit" / "cssrs_users.csv"
    if users.is_file():
        print()
        cssrs(users, triager, reader)
    print()
    speed(triager, reader, args.n, args.repeats)


if __name__ == "__main__":
    main()
