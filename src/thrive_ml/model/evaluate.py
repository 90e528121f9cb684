"""Metrics that say how triage will go for real users, overall, per class and per slice.

Everything here is pure: gold labels and predictions in, numbers out. The same functions score
the synthetic test split, held-out voices and the team's hand-written sets, so figures from
different sets are directly comparable.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from thrive_ml.model.estimator import FACTORS, GROUPS


@dataclass
class GroupScores:
    macro_f1: float
    accuracy: float
    per_group: dict[str, dict[str, float]]
    confusion: list[list[int]]
    ece: float | None = None
    brier: float | None = None


@dataclass
class FactorScores:
    micro_f1: float
    per_factor_f1: dict[str, float]


@dataclass
class ReviewScores:
    recall: float | None  # share of must-review items routed
    false_review_rate: float | None  # share of no-review items routed
    n_yes: int = 0
    n_no: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)


def group_scores(
    gold: Sequence[str], pred: Sequence[str], proba: np.ndarray | None = None
) -> GroupScores:
    labels = list(GROUPS)
    p, r, f, s = precision_recall_fscore_support(
        gold, pred, labels=labels, average=None, zero_division=0
    )
    per = {
        g: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "n": int(s[i])}
        for i, g in enumerate(labels)
    }
    out = GroupScores(
        macro_f1=float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
        accuracy=float(np.mean(np.asarray(gold) == np.asarray(pred))),
        per_group=per,
        confusion=confusion_matrix(gold, pred, labels=labels).tolist(),
    )
    if proba is not None:
        onehot = np.array([[g == lab for lab in labels] for g in gold], dtype=float)
        out.brier = float(np.mean(np.sum((proba - onehot) ** 2, axis=1)))
        out.ece = expected_calibration_error(onehot, proba)
    return out


def expected_calibration_error(onehot: np.ndarray, proba: np.ndarray, bins: int = 10) -> float:
    """Top-label ECE: how far confidence is from accuracy, averaged over confidence bins."""
    conf = proba.max(axis=1)
    correct = onehot[np.arange(len(onehot)), proba.argmax(axis=1)]
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        in_bin = (conf > lo) & (conf <= hi)
        if in_bin.any():
            ece += in_bin.mean() * abs(conf[in_bin].mean() - correct[in_bin].mean())
    return float(ece)


def reliability_curve(
    gold: Sequence[str], proba: np.ndarray, bins: int = 10
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per confidence bin: mean confidence, accuracy and count (for the calibration plot)."""
    labels = list(GROUPS)
    conf = proba.max(axis=1)
    correct = np.array([labels[j] == g for j, g in zip(proba.argmax(axis=1), gold, strict=True)])
    edges = np.linspace(0, 1, bins + 1)
    mids, accs, counts = [], [], []
    for lo, hi in itertools.pairwise(edges):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            mids.append(conf[m].mean())
            accs.append(correct[m].mean())
            counts.append(int(m.sum()))
    return np.array(mids), np.array(accs), np.array(counts)


def factor_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> FactorScores:
    """Micro-F1 pooled over every (referral, factor) pair, as the team's scorer does."""
    tp = fp = fn = 0
    per: dict[str, list[int]] = {f: [0, 0, 0] for f in FACTORS}
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        tp, fp, fn = tp + len(gs & ps), fp + len(ps - gs), fn + len(gs - ps)
        for f in FACTORS:
            per[f][0] += f in gs and f in ps
            per[f][1] += f in ps and f not in gs
            per[f][2] += f in gs and f not in ps
    return FactorScores(
        micro_f1=2 * tp / max(1, 2 * tp + fp + fn),
        per_factor_f1={f: 2 * a / max(1, 2 * a + b + c) for f, (a, b, c) in per.items()},
    )


def review_scores(
    ids: Sequence[str], expected: Sequence[str], routed: Sequence[bool]
) -> ReviewScores:
    """`expected` holds 'yes', 'no' or 'either'; 'either' items are left out, as in the scorer."""
    yes = [(i, r) for i, e, r in zip(ids, expected, routed, strict=True) if e == "yes"]
    no = [(i, r) for i, e, r in zip(ids, expected, routed, strict=True) if e == "no"]
    return ReviewScores(
        recall=sum(r for _, r in yes) / len(yes) if yes else None,
        false_review_rate=sum(r for _, r in no) / len(no) if no else None,
        n_yes=len(yes),
        n_no=len(no),
        missed=[i for i, r in yes if not r],
        false_alarms=[i for i, r in no if r],
    )


def age_band(age: int) -> str:
    if age <= 5:
        return "0-5"
    if age <= 11:
        return "6-11"
    if age <= 17:
        return "12-17"
    return "18-25"


def slice_macro_f1(
    gold: Sequence[str], pred: Sequence[str], slices: Sequence[str], min_n: int = 20
) -> dict[str, float]:
    """Macro-F1 within each slice value (voice, age band) with at least `min_n` rows."""
    gold, pred, slices = np.asarray(gold), np.asarray(pred), np.asarray(slices)
    out = {}
    for value in sorted(set(slices.tolist())):
        m = slices == value
        if m.sum() >= min_n:
            out[str(value)] = float(
                f1_score(gold[m], pred[m], labels=list(GROUPS), average="macro", zero_division=0)
            )
    return out
