"""Fit the referral model and evaluate it honestly. No MLflow here: registry.py logs the result.

Evaluation, from least to most telling:
1. a random split of our synthetic data (reported, never the headline: it flatters);
2. leave-one-voice-out: a lighter model trained without one writer's voice, tested on it;
3. hand-written sets nobody trained on: the team's dev set (the headline) and our own
   validation sets written independently of the generator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from thrive_ml.model.estimator import GROUPS, ReferralClassifier
from thrive_ml.model.evaluate import (
    FactorScores,
    GroupScores,
    ReviewScores,
    age_band,
    factor_scores,
    group_scores,
    review_scores,
    slice_macro_f1,
)
from thrive_ml.model.risk_reader import RiskReader, pieces
from thrive_ml.safety import SafetyReport, assess
from thrive_ml.synthetic.nonreferrals import make_non_referrals

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainParams:
    """Everything that decides the model; logged as MLflow params (no text ever)."""

    seed: int = 0
    test_fraction: float = 0.15
    non_referrals: int = 1500
    group_c: float = 4.0
    factor_c: float = 2.0
    max_word_features: int = 40000
    max_char_features: int = 40000
    tol: float = 1e-4
    # Character n-grams cost ~3x the training time and ~2/3 of prediction time. Without them
    # (None) the hand-written sets gave mixed results: THRIVE macro-F1 up on one validation set,
    # exclusion micro-F1 down ~0.06 on both, so they stay on until a faster option matches them.
    char_ngrams: tuple[int, int] | None = (3, 5)
    n_jobs: int = 2
    lovo: bool = True
    lovo_rows: int = 8000
    # The second reader for risk wording (model/risk_reader.py): hand-written snippets plus
    # this many sentences of the training split, risk sentences located by the rules' routing
    # flags and harmless ones from referrals whose case has no routing risk.
    risk_reader: bool = True
    reader_generated_risk: int = 3000
    reader_generated_harmless: int = 8000
    reader_max_false_rate: float = 0.05

    def reader(self) -> RiskReader:
        return RiskReader(max_false_rate=self.reader_max_false_rate, n_jobs=self.n_jobs)

    def estimator(self) -> ReferralClassifier:
        return ReferralClassifier(
            char_ngrams=self.char_ngrams,
            max_word_features=self.max_word_features,
            max_char_features=self.max_char_features,
            group_c=self.group_c,
            factor_c=self.factor_c,
            tol=self.tol,
            random_state=self.seed,
            n_jobs=self.n_jobs,
        )


@dataclass
class SetScores:
    name: str
    n: int
    groups: GroupScores
    factors: FactorScores
    review: ReviewScores | None
    by_voice: dict[str, float] = field(default_factory=dict)


@dataclass
class TrainingOutcome:
    model: ReferralClassifier
    synthetic_test: SetScores
    synthetic_test_proba: np.ndarray
    synthetic_test_gold: list[str]
    by_age_band: dict[str, float]
    lovo: dict[str, float]
    n_train: int
    n_feedback: int = 0


SafetyReports = dict[str, SafetyReport]


def safety_reports(texts: Iterable[str]) -> SafetyReports:
    """Each distinct text's SafetyReport, computed once for a whole training run: the main fit
    and every leave-one-voice-out fit read the same texts, and the rules cost more per text
    than the rest of the features together."""
    return {t: assess(t) for t in dict.fromkeys(texts)}


def split(data: pd.DataFrame, params: TrainParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    return train_test_split(
        data,
        test_size=params.test_fraction,
        random_state=params.seed,
        stratify=data["thrive_group"],
    )


def fit(
    train: pd.DataFrame,
    params: TrainParams,
    feedback: pd.DataFrame | None = None,
    reports: SafetyReports | None = None,
    snippets: pd.DataFrame | None = None,
) -> ReferralClassifier:
    """Fit on synthetic rows plus reviewer-confirmed feedback rows (their labels win).

    `reports`: SafetyReports by text (see `safety_reports`); texts missing from it are read
    by the rules as usual. `snippets`: hand-written risk snippets (datasets.load_reader_snippets)
    for the second reader; without them (or with `params.risk_reader` off) there is none."""
    rows = train if feedback is None or feedback.empty else pd.concat([train, feedback])
    texts = rows["text"].tolist()
    reader = None
    if params.risk_reader and snippets is not None and not snippets.empty:
        reader = fit_risk_reader(train, snippets, params, reports)
    return params.estimator().fit(
        texts,
        rows["thrive_group"].tolist(),
        factors=rows["exclusion_factors"].tolist(),
        non_referrals=make_non_referrals(params.non_referrals, params.seed),
        safety_reports=_reports_for(texts, reports),
        risk_reader=reader,
    )


def reader_sentences(
    train: pd.DataFrame, params: TrainParams, reports: SafetyReports | None = None
) -> tuple[list[str], list[int]]:
    """Sentences of generated referrals, labelled for the risk reader.

    Risk: a sentence holding a routing rule flag in a referral whose case routes. Harmless:
    any sentence of a referral whose case has no routing risk (its denials and other people's
    risks included, which teaches the reader what they look like)."""
    rng = np.random.default_rng(params.seed)
    risk: list[str] = []
    harmless: list[str] = []
    for text, indicators in zip(train["text"], train["risk_indicators"], strict=True):
        spans = pieces(text)
        if indicators:
            report = reports[text] if reports is not None and text in reports else assess(text)
            starts = [f.start for f in report.flags if f.status.routes]
            risk.extend(text[s:e] for s, e in spans if any(s <= a < e for a in starts))
        else:
            harmless.extend(text[s:e] for s, e in spans)

    def sample(items: list[str], n: int) -> list[str]:
        unique = list(dict.fromkeys(items))
        if len(unique) <= n:
            return unique
        return [unique[i] for i in sorted(rng.choice(len(unique), size=n, replace=False))]

    risk = sample(risk, params.reader_generated_risk)
    harmless = sample(harmless, params.reader_generated_harmless)
    return risk + harmless, [1] * len(risk) + [0] * len(harmless)


def fit_risk_reader(
    train: pd.DataFrame,
    snippets: pd.DataFrame,
    params: TrainParams,
    reports: SafetyReports | None = None,
) -> RiskReader:
    """The second reader, on hand-written snippets (grouped by set) and generated sentences."""
    texts, labels = reader_sentences(train, params, reports)
    groups: list[str | None] = [None] * len(texts)
    texts += snippets["text"].tolist()
    labels += [int(r) for r in snippets["routes"]]
    groups += [s if isinstance(s, str) else None for s in snippets["set"]]
    return params.reader().fit(texts, labels, groups=groups)


def _reports_for(texts: list[str], reports: SafetyReports | None) -> list[SafetyReport] | None:
    if reports is None:
        return None
    return [reports[t] if t in reports else assess(t) for t in texts]


def score_set(
    name: str,
    df: pd.DataFrame,
    results: list[Any],
) -> SetScores:
    """Score triage results against a labelled set (contract-shaped results)."""
    pred = [r.thrive_group.value for r in results]
    gold = df["thrive_group"].tolist()
    proba = np.array([[r.thrive_probabilities[g] for g in r.thrive_probabilities] for r in results])
    review = None
    if "review_expected" in df.columns:
        review = review_scores(
            df["id"].astype(str).tolist(),
            df["review_expected"].tolist(),
            [r.needs_human_review for r in results],
        )
    by_voice = (
        slice_macro_f1(gold, pred, df["voice"].tolist(), min_n=10) if "voice" in df.columns else {}
    )
    return SetScores(
        name=name,
        n=len(df),
        groups=group_scores(gold, pred, proba),
        factors=factor_scores(
            df["exclusion_factors"].tolist(),
            [[f.value for f in r.exclusion_factors] for r in results],
        ),
        review=review,
        by_voice=by_voice,
    )


def leave_one_voice_out(
    data: pd.DataFrame,
    params: TrainParams,
    progress: Progress | None = None,
    reports: SafetyReports | None = None,
) -> dict[str, float]:
    """Per voice: train a lighter model on the other voices, macro-F1 on the held-out one."""
    rng_rows = data.sample(n=min(len(data), params.lovo_rows), random_state=params.seed)
    if reports is None:
        reports = safety_reports(rng_rows["text"])
    out: dict[str, float] = {}
    for voice in sorted(rng_rows["voice"].unique()):
        held = rng_rows["voice"] == voice
        train, test = rng_rows[~held], rng_rows[held]
        if len(test) < 20 or train["thrive_group"].nunique() < len(GROUPS):
            continue
        if progress:
            progress(f"leave-one-voice-out: {voice}")
        light = ReferralClassifier(
            char_ngrams=params.char_ngrams,
            max_word_features=20000,
            max_char_features=20000,
            tol=params.tol,
            random_state=params.seed,
            n_jobs=params.n_jobs,
        ).fit(
            train["text"].tolist(),
            train["thrive_group"].tolist(),
            factors=train["exclusion_factors"].tolist(),
            safety_reports=_reports_for(train["text"].tolist(), reports),
        )
        test_texts = test["text"].tolist()
        pred = np.asarray(GROUPS, dtype=object)[
            light.group_proba_from_features(
                light.transform_text(test_texts, _reports_for(test_texts, reports))
            ).argmax(axis=1)
        ]
        out[str(voice)] = group_scores(test["thrive_group"].tolist(), pred).macro_f1
    return out


def train_and_evaluate(
    data: pd.DataFrame,
    params: TrainParams,
    triage_fn: Callable[[ReferralClassifier, list[str]], list[Any]],
    feedback: pd.DataFrame | None = None,
    progress: Progress | None = None,
    snippets: pd.DataFrame | None = None,
) -> TrainingOutcome:
    """Fit on the training split, score the synthetic test split and held-out voices.

    `triage_fn(model, texts)` turns texts into triage results, so scores include the safety
    rules exactly as users get them (passed in to keep this module free of routing logic).
    """
    train, test = split(data, params)
    if progress:
        progress(f"reading {len(data)} synthetic referrals with the safety rules")
    reports = safety_reports(data["text"])
    if progress:
        progress(f"fitting on {len(train)} synthetic referrals")
    model = fit(train, params, feedback, reports, snippets)
    if progress:
        progress(f"scoring the synthetic test split ({len(test)} rows)")
    results = triage_fn(model, test["text"].tolist())
    scores = score_set("synthetic_test", test, results)
    pred = [r.thrive_group.value for r in results]
    proba = np.array([[r.thrive_probabilities[g] for g in r.thrive_probabilities] for r in results])
    bands = [age_band(int(a)) for a in test["age"]] if "age" in test.columns else []
    lovo = leave_one_voice_out(data, params, progress, reports) if params.lovo else {}
    return TrainingOutcome(
        model=model,
        synthetic_test=scores,
        synthetic_test_proba=proba,
        synthetic_test_gold=test["thrive_group"].tolist(),
        by_age_band=slice_macro_f1(test["thrive_group"].tolist(), pred, bands) if bands else {},
        lovo=lovo,
        n_train=len(train),
        n_feedback=0 if feedback is None else len(feedback),
    )
