"""Evaluate the safety rules on text nobody on the team wrote for them.

1. shared/eval/safety_dev.jsonl: route recall on `yes`, false-route rate on `no`, per category,
   with every miss and false alarm listed.
2. shared/external/negex: our context engine's status for each annotated target span vs the
   physicians' negation and temporality labels.
3. shared/external/cssrs_reddit: share of users/posts routed, per label.
4. data/validation/safety/blind*.jsonl: short referral snippets written by people who had not
   read the rules (helpers told not to open the project). Each set was scored once, blind, then
   used to find missing classes, so only its first score is a fair estimate; the table shows
   today's figures and docs/safety.md keeps the first, blind ones. data/validation/safety_heldout
   holds sets never read for rules: their figures are estimates for unseen text.
   data/validation/safety_final holds the final sets (scored only, before and after each change)
   and data/development the sets read to write classes (their figures are floors).
5. data/generated/referrals.csv, when it exists (`make data`): share routed among the
   generator's referrals with and without risk indicators (a guard against false alarms).

Usage: .venv/bin/python bench/safety_eval.py [--shared ../shared] [--write-docs]
With --write-docs the figures replace the block between the figures markers in docs/safety.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from thrive_ml.safety import assess, rules_version, status_of_span
from thrive_ml.taxonomy import ContextStatus

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "safety.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def _pct(n: int, d: int) -> str:
    return f"{n / d:.3f}" if d else "n/a"


def _flags_summary(report) -> str:
    return "; ".join(f"{f.indicator.value}/{f.status.value} '{f.text}'" for f in report.flags)


def eval_dev(path: Path, out: list[str]) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    by_cat: dict[str, list[tuple[dict, bool]]] = defaultdict(list)
    for row in rows:
        by_cat[row["category"]].append((row, assess(row["text"]).routes_to_review))
    yes = [r for rs in by_cat.values() for r in rs if r[0]["route"] == "yes"]
    no = [r for rs in by_cat.values() for r in rs if r[0]["route"] == "no"]
    rec = sum(routed for _, routed in yes)
    fal = sum(routed for _, routed in no)
    out.append(f"### safety_dev.jsonl ({len(rows)} items, rules {rules_version()})\n")
    out.append(
        f"Route recall on `yes`: **{_pct(rec, len(yes))}** ({rec}/{len(yes)}); "
        f"false-route rate on `no`: **{_pct(fal, len(no))}** ({fal}/{len(no)}).\n"
    )
    out.append("| category | n | expected | routed | wrong |")
    out.append("|---|---|---|---|---|")
    wrong_rows = []
    for cat in sorted(by_cat):
        items = by_cat[cat]
        expected = items[0][0]["route"]
        routed = sum(r for _, r in items)
        wrong = [row for row, r in items if r != (row["route"] == "yes")]
        wrong_rows.extend(wrong)
        ids = ", ".join(w["id"] for w in wrong)
        out.append(f"| {cat} | {len(items)} | {expected} | {routed} | {len(wrong)} {ids} |")
    out.append("")
    print("\n".join(out[-(len(by_cat) + 5) :]))
    print("\nEvery miss and false alarm (dev text shown here only, never in docs):")
    for row in wrong_rows:
        report = assess(row["text"])
        kind = "MISS" if row["route"] == "yes" else "FALSE ALARM"
        print(f"  {kind} {row['id']} [{row['category']}] {row['text']!r}")
        print(f"      flags: {_flags_summary(report) or 'none'}")
    if wrong_rows:
        out.append("Misses and false alarms (ids; flags that caused them):\n")
        for row in wrong_rows:
            report = assess(row["text"])
            kind = "miss" if row["route"] == "yes" else "false alarm"
            flags = "; ".join(f"{f.indicator.value}/{f.status.value}" for f in report.flags)
            out.append(f"- {row['id']} ({row['category']}, {kind}): flags {flags or 'none'}")
        out.append("")


def locate(concept: str, sentence: str) -> tuple[int, int] | None:
    """Where the annotated target is: its UPPER-CASE occurrence if any, else the first one."""
    words = [re.escape(w) for w in concept.split()]
    if not words:
        return None
    pat = re.compile(r"\s+".join(words), re.IGNORECASE)
    found = list(pat.finditer(sentence))
    if not found:
        return None
    for m in found:
        if m.group().upper() == m.group() and any(c.isalpha() for c in m.group()):
            return m.span()
    return found[0].span()


def load_negex(path: Path) -> tuple[list[dict], int, int]:
    """Rows with a located target; also how many were excluded for a qa_note / not located."""
    kept, qa, missing = [], 0, 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["qa_note"].strip():
                qa += 1
                continue
            span = locate(row["concept"], row["sentence"])
            if span is None:
                missing += 1
                continue
            row["span"] = span
            kept.append(row)
    return kept, qa, missing


def negation_scores(gold: list[bool], pred: list[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    correct = sum(g == p for g, p in zip(gold, pred, strict=True))
    return {
        "accuracy": correct / len(gold),
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
    }


def eval_negex(path: Path, out: list[str]) -> None:
    rows, qa, missing = load_negex(path)
    t0 = time.perf_counter()
    statuses = [status_of_span(r["sentence"], *r["span"]) for r in rows]
    elapsed = time.perf_counter() - t0
    gold = [r["negation"] == "Negated" for r in rows]
    pred = [s is ContextStatus.NEGATED for s in statuses]
    sc = negation_scores(gold, pred)
    temp = [(r["temporality"], s) for r, s in zip(rows, statuses, strict=True)]
    temp = [(g, s) for g, s in temp if g in ("Recent", "Historical")]
    agree = sum((g == "Historical") == (s is ContextStatus.HISTORICAL) for g, s in temp)
    hist_gold = sum(g == "Historical" for g, _ in temp)
    hist_hit = sum(g == "Historical" and s is ContextStatus.HISTORICAL for g, s in temp)
    hist_pred = sum(s is ContextStatus.HISTORICAL for _, s in temp)
    out.append("### NegEx/ConText annotations (Chapman et al.)\n")
    out.append(
        f"{len(rows)} rows scored; {qa} excluded for a `qa_note` flag, {missing} because the "
        f"target could not be found in the sentence. Speed: {len(rows) / elapsed:,.0f} rows/s.\n"
    )
    out.append("| measure | value |")
    out.append("|---|---|")
    out.append(f"| negation accuracy | {sc['accuracy']:.3f} |")
    out.append(f"| negation precision | {sc['precision']:.3f} |")
    out.append(f"| negation recall | {sc['recall']:.3f} |")
    out.append(
        f"| temporality agreement (Recent vs Historical, {len(temp)} rows) | "
        f"{agree / len(temp):.3f} |"
    )
    out.append(
        f"| historical recall / precision | {_pct(hist_hit, hist_gold)} / "
        f"{_pct(hist_hit, hist_pred)} |"
    )
    out.append("")
    print("\n".join(out[-10:]))
    errs = [(r, s) for r, s, g, p in zip(rows, statuses, gold, pred, strict=True) if g != p]
    print(f"negation errors: {len(errs)} (first 40)")
    for r, s in errs[:40]:
        print(
            f"  {r['id']} gold={r['negation']} ours={s.value} {r['concept']!r} :: {r['sentence']}"
        )


def eval_cssrs(users_path: Path, posts_path: Path, out: list[str]) -> None:
    csv.field_size_limit(sys.maxsize)
    out.append("### Reddit C-SSRS (Gaur et al. 2019)\n")
    for name, path, key in (("users", users_path, "label"), ("posts", posts_path, "label")):
        flagged: Counter[str] = Counter()
        routed: Counter[str] = Counter()
        total: Counter[str] = Counter()
        t0 = time.perf_counter()
        chars = 0
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                label = row[key].lower()
                report = assess(row["text"])
                chars += len(row["text"])
                total[label] += 1
                flagged[label] += bool(report.flags)
                routed[label] += report.routes_to_review
        elapsed = time.perf_counter() - t0
        out.append(
            f"{name} ({sum(total.values())} texts, {chars / elapsed / 1e6:.1f} M chars/s):\n"
        )
        out.append("| label | n | any flag | routed |")
        out.append("|---|---|---|---|")
        order = ["attempt", "behavior", "ideation", "indicator", "supportive", "uninformative"]
        for label in [lab for lab in order if lab in total]:
            out.append(
                f"| {label} | {total[label]} | {_pct(flagged[label], total[label])} | "
                f"{_pct(routed[label], total[label])} |"
            )
        suicidal = [lab for lab in ("attempt", "behavior", "ideation") if lab in total]
        n = sum(total[lab] for lab in suicidal)
        r = sum(routed[lab] for lab in suicidal)
        out.append(f"| **ideation+behavior+attempt** | {n} | | **{_pct(r, n)}** |")
        out.append("")
        print("\n".join(out[-(len(total) + 6) :]))


def eval_generated(path: Path, out: list[str]) -> None:
    """Routed share of the generator's referrals, split by its own risk_indicators column."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    groups: dict[bool, list[bool]] = {False: [], True: []}
    for row in rows:
        has_risk = row["risk_indicators"].strip() not in ("", "[]")
        groups[has_risk].append(assess(row["text"]).routes_to_review)
    out.append(f"### Synthetic generator ({path.name}, {len(rows)} referrals)\n")
    out.append(
        "Made by `make data`. The generator's labels count current risk about the child only; "
        "the policy also routes past and possible risk, so not every routed 'none' is a false "
        "alarm (see below).\n"
    )
    out.append("| generator's risk_indicators | n | routed |")
    out.append("|---|---|---|")
    for has_risk, label in ((True, "one or more"), (False, "none")):
        routed = groups[has_risk]
        out.append(f"| {label} | {len(routed)} | {_pct(sum(routed), len(routed))} |")
    out.append("")
    print("\n".join(out[-6:]))


def eval_snippet_sets(folder: Path, out: list[str], title: str = "Blind sets") -> None:
    """Route recall and false routes on a folder of labelled snippet sets, per set and indicator."""
    paths = sorted(
        folder.glob("*.jsonl"), key=lambda p: (int(re.sub(r"\D", "", p.stem) or 0), p.stem)
    )
    if not paths:
        return
    out.append(f"### {title} ({folder.relative_to(ROOT)})\n")
    out.append("| set | risk recall | false routes | weakest indicator |")
    out.append("|---|---|---|---|")
    for path in paths:
        rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        hits: dict[str, list[bool]] = defaultdict(list)
        false = 0
        for row in rows:
            routed = assess(row["text"]).routes_to_review
            if row["routes"]:
                hits[row["indicator"]].append(routed)
            else:
                false += routed
        pos = [h for v in hits.values() for h in v]
        weakest = min(hits, key=lambda k: sum(hits[k]) / len(hits[k]))
        w = hits[weakest]
        out.append(
            f"| {path.stem} | {_pct(sum(pos), len(pos))} ({sum(pos)}/{len(pos)}) | "
            f"{false}/{len(rows) - len(pos)} | {weakest} {sum(w)}/{len(w)} |"
        )
    out.append("")
    print("\n".join(out[-(len(paths) + 4) :]))


def write_docs(lines: list[str]) -> None:
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else f"{START}\n{END}\n"
    if START not in text or END not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    DOCS.write_text(f"{head}{START}\n" + "\n".join(lines) + f"\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument(
        "--only", choices=["dev", "negex", "cssrs", "blind", "generated"], default=None
    )
    parser.add_argument(
        "--generated", type=Path, default=ROOT / "data" / "generated" / "referrals.csv"
    )
    args = parser.parse_args()
    out: list[str] = []
    if args.only in (None, "dev"):
        eval_dev(args.shared / "eval" / "safety_dev.jsonl", out)
    if args.only in (None, "negex"):
        eval_negex(args.shared / "external" / "negex" / "negex_annotations.csv", out)
    if args.only in (None, "cssrs"):
        base = args.shared / "external" / "cssrs_reddit"
        eval_cssrs(base / "cssrs_users.csv", base / "cssrs_posts.csv", out)
    if args.only in (None, "blind"):
        eval_snippet_sets(ROOT / "data" / "validation" / "safety", out)
        # Held out: scored, never read to write rules (its misses are not printed anywhere).
        eval_snippet_sets(ROOT / "data" / "validation" / "safety_heldout", out)
        # Final: scored only, before and after each change (docs/safety.md keeps both).
        eval_snippet_sets(ROOT / "data" / "validation" / "safety_final", out, "Final sets")
        # Development: read to write classes, so these are floors, not estimates.
        eval_snippet_sets(ROOT / "data" / "development", out, "Development sets")
    if args.only in (None, "generated") and args.generated.exists():
        eval_generated(args.generated, out)
    if args.write_docs:
        write_docs(out)
        print(f"figures written to {DOCS}")


if __name__ == "__main__":
    main()
