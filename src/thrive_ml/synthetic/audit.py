"""Shortcut audit: is the generated data teaching needs, or teaching our templates?

A plain bag-of-words model is trained on the synthetic data and tested where templates cannot
help it: on a voice it never saw (leave-one-voice-out), and on the team's hand-written dev set.
Its strongest features per group are listed so a person can see whether they are clinical
content ("self-harm", "not attending") or our phrasing habits. The random-split score is
reported only as the contrast that shows how much a same-generator test flatters a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline

from thrive_ml.datasets import load_generated, load_labelled_jsonl
from thrive_ml.taxonomy import ExclusionFactor, ThriveGroup

GROUPS = [g.value for g in ThriveGroup]


@dataclass
class AuditReport:
    n_rows: int
    random_split_macro_f1: float
    leave_one_voice_out: dict[str, float]
    dev_macro_f1: float | None
    dev_per_group_f1: dict[str, float] | None
    dev_exclusion_micro_f1: float | None
    top_features: dict[str, list[str]]
    distinct_sentence_ratio: float
    group_share: dict[str, float]
    factor_share: dict[str, float]
    voice_share: dict[str, float]
    alt_rate: float
    length_words: dict[str, float] = field(default_factory=dict)


def bag_of_words(random_state: int = 0) -> Pipeline:
    """Deliberately plain: unigrams and bigrams, no tuning. Shows what the data alone teaches."""
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=50000),
        LogisticRegression(max_iter=1000, C=4.0, random_state=random_state),
    )


def _macro_f1(y_true: pd.Series, y_pred: np.ndarray) -> float:
    return float(f1_score(y_true, y_pred, labels=GROUPS, average="macro", zero_division=0))


def distinct_sentence_ratio(texts: pd.Series) -> float:
    """Share of sentences (after filling names) that occur only once: low means repetitive text."""
    counts: dict[str, int] = {}
    for t in texts:
        for s in re.split(r"(?<=[.!?])\s+|\n+", t):
            s = s.strip().lower()
            if len(s) > 15:
                counts[s] = counts.get(s, 0) + 1
    total = sum(counts.values())
    return float(sum(1 for c in counts.values() if c == 1) / total) if total else 0.0


def _exclusion_micro_f1(train: pd.DataFrame, test: pd.DataFrame) -> float:
    tp = fp = fn = 0
    preds: dict[str, np.ndarray] = {}
    for factor in ExclusionFactor:
        y = train["exclusion_factors"].map(lambda fs, f=factor.value: f in fs)
        model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=50000),
            LogisticRegression(max_iter=1000, C=4.0, class_weight="balanced"),
        )
        model.fit(train["text"], y)
        preds[factor.value] = model.predict(test["text"])
    for i, gold in enumerate(test["exclusion_factors"]):
        pred = {f for f, p in preds.items() if p[i]}
        tp += len(pred & set(gold))
        fp += len(pred - set(gold))
        fn += len(set(gold) - pred)
    return 2 * tp / max(1, 2 * tp + fp + fn)


def run_audit(
    data: Path, dev: Path | None, top: int = 12, max_rows: int = 20000, seed: int = 0
) -> AuditReport:
    df = load_generated(data)
    if len(df) > max_rows:
        df = df.sample(n=max_rows, random_state=seed)
    y = df["thrive_group"]
    tr, te = train_test_split(df, test_size=0.2, random_state=seed, stratify=y)
    model = bag_of_words(seed).fit(tr["text"], tr["thrive_group"])
    random_f1 = _macro_f1(te["thrive_group"], model.predict(te["text"]))

    lovo: dict[str, float] = {}
    for voice in sorted(df["voice"].unique()):
        held = df["voice"] == voice
        if held.sum() < 20 or df.loc[~held, "thrive_group"].nunique() < len(GROUPS):
            continue
        m = bag_of_words(seed).fit(df.loc[~held, "text"], df.loc[~held, "thrive_group"])
        lovo[voice] = _macro_f1(df.loc[held, "thrive_group"], m.predict(df.loc[held, "text"]))

    full = bag_of_words(seed).fit(df["text"], df["thrive_group"])
    dev_f1 = dev_groups = dev_excl = None
    if dev is not None:
        dv = load_labelled_jsonl(dev)
        pred = full.predict(dv["text"])
        dev_f1 = _macro_f1(dv["thrive_group"], pred)
        per = f1_score(dv["thrive_group"], pred, labels=GROUPS, average=None, zero_division=0)
        dev_groups = {g: float(v) for g, v in zip(GROUPS, per, strict=True)}
        dev_excl = _exclusion_micro_f1(df, dv)

    vec, clf = full.steps[0][1], full.steps[-1][1]
    names = np.asarray(vec.get_feature_names_out())
    tops = {
        str(cls): [str(t) for t in names[np.argsort(clf.coef_[i])[::-1][:top]]]
        for i, cls in enumerate(clf.classes_)
    }
    words = df["text"].str.split().str.len()
    return AuditReport(
        n_rows=len(df),
        random_split_macro_f1=random_f1,
        leave_one_voice_out=lovo,
        dev_macro_f1=dev_f1,
        dev_per_group_f1=dev_groups,
        dev_exclusion_micro_f1=dev_excl,
        top_features=tops,
        distinct_sentence_ratio=distinct_sentence_ratio(df["text"]),
        group_share=df["thrive_group"].value_counts(normalize=True).round(3).to_dict(),
        factor_share={
            f.value: round(
                float(df["exclusion_factors"].map(lambda fs, f=f: f.value in fs).mean()), 3
            )
            for f in ExclusionFactor
        },
        voice_share=df["voice"].value_counts(normalize=True).round(3).to_dict(),
        alt_rate=float((df["thrive_alt"] != "").mean()),
        length_words={
            "min": float(words.min()),
            "median": float(words.median()),
            "p90": float(words.quantile(0.9)),
            "max": float(words.max()),
        },
    )


def render_report(r: AuditReport) -> str:
    """Markdown, so the same text goes to the terminal and into the data card."""
    lines = [
        f"## Shortcut audit ({r.n_rows} rows, plain TF-IDF + logistic regression)",
        "",
        "| test | THRIVE macro-F1 |",
        "| --- | --- |",
        f"| random 80/20 split of our own data (flattering) | {r.random_split_macro_f1:.3f} |",
    ]
    if r.leave_one_voice_out:
        mean = float(np.mean(list(r.leave_one_voice_out.values())))
        lines.append(f"| leave-one-voice-out, mean over voices | {mean:.3f} |")
        for v, s in r.leave_one_voice_out.items():
            lines.append(f"| - held-out voice `{v}` | {s:.3f} |")
    if r.dev_macro_f1 is not None:
        lines.append(
            f"| hand-written dev set (30 referrals, never trained on) | {r.dev_macro_f1:.3f} |"
        )
        lines.append(f"| dev set exclusion-factor micro-F1 | {r.dev_exclusion_micro_f1:.3f} |")
    if r.dev_per_group_f1:
        lines += [
            "",
            "Dev-set F1 per group: "
            + ", ".join(f"{g} {v:.2f}" for g, v in r.dev_per_group_f1.items()),
        ]
    lines += [
        "",
        f"Distinct-sentence ratio: {r.distinct_sentence_ratio:.3f} (share of sentences longer than "
        "15 characters that occur once).",
        f"Rows with a second acceptable group (thrive_alt): {r.alt_rate:.1%}.",
        "Length in words: " + ", ".join(f"{k} {v:.0f}" for k, v in r.length_words.items()) + ".",
        "",
        "Group shares: " + ", ".join(f"{k} {v:.1%}" for k, v in r.group_share.items()),
        "Exclusion-factor shares: " + ", ".join(f"{k} {v:.1%}" for k, v in r.factor_share.items()),
        "Voice shares: " + ", ".join(f"{k} {v:.1%}" for k, v in r.voice_share.items()),
        "",
        "### Strongest features per group",
        "",
    ]
    for g in GROUPS:
        lines.append(f"- `{g}`: " + ", ".join(f"'{t}'" for t in r.top_features.get(g, [])))
    return "\n".join(lines)
