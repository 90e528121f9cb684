"""A learned second reader for risk written in words the safety rules do not know.

The rules find risk by vocabulary. New writers bring new words: on three blind sets written
after the rules were frozen, 15-31 of the missed risk items had no rule flag at all. The reader
is a small text classifier that scores each sentence the rules found nothing in; when one reads
like risk, triage adds the review reason `model:possible_risk` and shows the sentence.

It can only add a reason to send a referral to a person. It never removes a reason, never
changes a rule flag, and never reads a sentence the rules already judged (a negated or
someone-else mention stays the context engine's call), so the rules' promise is untouched.

Its threshold is not tuned by hand: `fit` chooses it by grouped cross-validation on the
hand-written training sets, as the lowest probability at which no more than `max_false_rate`
of their harmless items would be sent to a person by the reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from thrive_ml.model.estimator import fold_text, mask_names
from thrive_ml.model.features import WordCachedCharTfidf, WordNgramTfidf
from thrive_ml.safety import SafetyReport

# A piece ends at sentence punctuation or a line break; list items and form lines are pieces.
# A point between digits ("3.5 hours") does not end one, so folding "3.5" to "num" keeps the
# pieces of the folded text in step with the original's.
_PIECE = re.compile(r"[^\n.!?]+(?:(?<=\d)\.(?=\d)[^\n.!?]*)*(?:[.!?]+|\n|$)")
_WORD = re.compile(r"\w\w")
# Short snippets ("Says she wants to go to sleep and not wake up. Has been giving things
# away.") are also read whole: the risk is often in two sentences together.
_WHOLE_TEXT_MAX = 400


@dataclass(frozen=True)
class Finding:
    """A sentence the reader thinks reads like risk, with offsets into the submitted text."""

    start: int
    end: int
    probability: float


def pieces(text: str) -> list[tuple[int, int]]:
    """Sentence-like spans of the text, surrounding whitespace trimmed."""
    out = []
    for m in _PIECE.finditer(text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if _WORD.search(text, s, e):
            out.append((s, e))
    return out


def unjudged_pieces(text: str, report: SafetyReport) -> list[tuple[int, int]]:
    """The spans the reader may score: sentences with no rule flag in them (plus the whole text
    when it is a short snippet with no flag at all)."""
    return [span for span, _ in _unjudged(text, report)]


def _unjudged(
    text: str, report: SafetyReport, prepared: str | None = None
) -> list[tuple[tuple[int, int], str]]:
    """Unjudged spans with the reader's reading of each (see `_prepare`).

    The whole text is prepared once and cut the same way, which costs a seventh of preparing
    each sentence; if folding ever changed where pieces fall, each is prepared on its own.
    `prepared`: the referral model's reading of the text (`ReferralClassifier.mark`), when the
    caller has it; on sentences without a rule flag it is the reader's own."""
    spans = pieces(text)
    if prepared is None:
        prepared = _prepare(text)
    folded = pieces(prepared)
    readings = (
        [prepared[s:e] for s, e in folded]
        if len(folded) == len(spans)
        else [_prepare(text[s:e]) for s, e in spans]
    )
    flags = [(f.start, f.end) for f in report.flags]
    out = [
        ((s, e), reading)
        for (s, e), reading in zip(spans, readings, strict=True)
        if not any(fs < e and s < fe for fs, fe in flags)
    ]
    if not flags and len(out) > 1 and len(text) <= _WHOLE_TEXT_MAX:
        out.append(((spans[0][0], spans[-1][1]), prepared.strip()))
    return out


def _prepare(text: str) -> str:
    """The model's own folding (spelling variants, numbers) with first names masked."""
    return fold_text(mask_names(text))


class RiskReader(ClassifierMixin, BaseEstimator):
    """Word and character n-gram logistic regression: P(this sentence tells of risk).

    Parameters
    ----------
    c: inverse regularisation strength of the logistic regression.
    char_ngrams: character n-gram range; characters carry misspellings and word parts.
    max_char_features: cap on the character vocabulary.
    max_false_rate: the largest share of hand-written harmless items, in cross-validation,
        the reader may send to a person; it sets `threshold_`.
    cv_folds: grouped folds over the hand-written sets used to choose the threshold.
    """

    def __init__(
        self,
        c: float = 4.0,
        char_ngrams: tuple[int, int] = (3, 5),
        max_char_features: int = 60000,
        max_false_rate: float = 0.05,
        cv_folds: int = 4,
        n_jobs: int = 1,
    ) -> None:
        self.c = c
        self.char_ngrams = char_ngrams
        self.max_char_features = max_char_features
        self.max_false_rate = max_false_rate
        self.cv_folds = cv_folds
        self.n_jobs = n_jobs

    def _pipeline(self) -> Pipeline:
        words = WordNgramTfidf(
            lowercase=False,
            ngram_range=(1, 2),
            sublinear_tf=True,
            token_pattern=r"(?u)\b\w[\w']*\b",  # noqa: S106 - a regex, not a password
            dtype=np.float32,
        )
        chars = WordCachedCharTfidf(
            lowercase=False,
            analyzer="char_wb",
            ngram_range=self.char_ngrams,
            min_df=2,
            sublinear_tf=True,
            max_features=self.max_char_features,
            dtype=np.float32,
        )
        return Pipeline(
            [
                ("tfidf", FeatureUnion([("words", words), ("chars", chars)])),
                (
                    "clf",
                    LogisticRegression(C=self.c, class_weight="balanced", max_iter=3000),
                ),
            ]
        )

    def fit(
        self, X: Sequence[str], y: Sequence[int], groups: Sequence[str | None] | None = None
    ) -> RiskReader:
        """`groups`: the hand-written set each row came from, None for generated rows. The
        threshold is chosen on hand-written rows predicted by a model that never saw their set;
        generated rows are always in training (they are never the test of the threshold)."""
        texts = [_prepare(t) for t in X]
        labels = np.asarray(y, dtype=int)
        if set(np.unique(labels)) != {0, 1}:
            raise ValueError("RiskReader needs both risk (1) and harmless (0) examples")
        self.pipeline_ = self._pipeline().fit(texts, labels)
        self.threshold_, self.cv_ = self._choose_threshold(texts, labels, groups)
        self.classes_ = np.array([0, 1])
        return self

    def _choose_threshold(
        self, texts: list[str], labels: np.ndarray, groups: Sequence[str | None] | None
    ) -> tuple[float, dict[str, float]]:
        if groups is None:
            raise ValueError("RiskReader.fit needs `groups` to choose its threshold honestly")
        names = np.asarray([g if g is not None else "" for g in groups], dtype=object)
        written = np.flatnonzero(names != "")
        distinct = np.unique(names[written])
        if len(distinct) < 2:
            raise ValueError("RiskReader needs hand-written rows from at least two sets")
        folds = GroupKFold(n_splits=min(self.cv_folds, len(distinct)))
        generated = np.flatnonzero(names == "")
        splits = list(folds.split(written, groups=names[written]))

        def fold(train_pos: np.ndarray, test_pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            train = np.concatenate([generated, written[train_pos]])
            model = clone(self._pipeline()).fit([texts[i] for i in train], labels[train])
            test = written[test_pos]
            return test, model.predict_proba([texts[i] for i in test])[:, 1]

        proba = np.zeros(len(texts))
        for test, p in Parallel(n_jobs=self.n_jobs)(delayed(fold)(a, b) for a, b in splits):
            proba[test] = p
        y = labels[written]
        p = proba[written]
        harmless = np.sort(p[y == 0])
        # The lowest threshold that keeps the reader's own false alarms within the allowance:
        # just above the (allowed + 1)-th most risk-like harmless item. Never below even odds.
        allowed = int(np.floor(self.max_false_rate * len(harmless)))
        threshold = 0.5
        if len(harmless) > 0 and allowed < len(harmless):
            threshold = max(threshold, float(harmless[len(harmless) - allowed - 1]) + 1e-6)
        found = p >= threshold
        cv = {
            "threshold": threshold,
            "cv_risk_recall": float(found[y == 1].mean()) if (y == 1).any() else 0.0,
            "cv_false_rate": float(found[y == 0].mean()) if (y == 0).any() else 0.0,
            "cv_rows": float(len(written)),
        }
        return threshold, cv

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self, "pipeline_")
        return self._proba_prepared([_prepare(t) for t in X])

    def _proba_prepared(self, prepared: list[str]) -> np.ndarray:
        """The pipeline's predict_proba, its two vectorizers called directly: FeatureUnion's
        own checks cost a fifth of the time on a batch of short sentences."""
        union, clf = self.pipeline_[0], self.pipeline_[-1]
        Z = sparse.hstack([t.transform(prepared) for _, t in union.transformer_list]).tocsr()
        return clf.predict_proba(Z)

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= self.threshold_).astype(int)

    def find(
        self,
        texts: Sequence[str],
        reports: Sequence[SafetyReport],
        prepared: Sequence[str] | None = None,
    ) -> list[Finding | None]:
        """For each text, its most risk-like unjudged sentence when it reaches the threshold.

        One vectorising pass for every sentence of the batch. `prepared`: the referral model's
        `mark` output for the same texts, which saves preparing them again."""
        check_is_fitted(self, "pipeline_")
        readings = prepared if prepared is not None else [None] * len(texts)
        spans = [_unjudged(t, r, p) for t, r, p in zip(texts, reports, readings, strict=True)]
        flat = [reading for sp in spans for _, reading in sp]
        if not flat:
            return [None] * len(texts)
        proba = self._proba_prepared(flat)[:, 1]
        out: list[Finding | None] = []
        k = 0
        for sp in spans:
            best: Finding | None = None
            for (s, e), _ in sp:
                p = float(proba[k])
                k += 1
                if p >= self.threshold_ and (best is None or p > best.probability):
                    best = Finding(s, e, p)
            out.append(best)
        return out
