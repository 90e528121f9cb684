"""A learned second reader for risk written in words the safety rules do not know.

The rules find risk by vocabulary. New writers bring new words: on three blind sets written
after the rules were frozen, 14-30 of the missed risk items had no rule flag at all. The reader
is a small text classifier that scores each sentence the rules found nothing in; when one reads
like risk, triage adds the review reason `model:possible_risk` and shows the sentence.

It can only add a reason to send a referral to a person. It never removes a reason, never
changes a rule flag, and never reads a sentence the rules already judged (a negated or
someone-else mention stays the context engine's call), so the rules' promise is untouched.

Its threshold is not tuned by hand: `fit` chooses it by grouped cross-validation on the blind
snippet sets it trains on, as the lowest probability at which no more than `max_false_rate` of
their harmless items (denials, other people's risk, lookalikes) would be sent to a person by
the reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from thrive_ml.model.estimator import fold_text, mask_names
from thrive_ml.model.features import WordCachedCharTfidf, WordNgramTfidf, tfidf_transform
from thrive_ml.safety import SafetyReport

# A piece ends at sentence punctuation or a line break; list items and form lines are pieces.
# A point between digits ("3.5 hours") does not end one, so folding "3.5" to "num" keeps the
# pieces of the folded text in step with the original's.
_PIECE = re.compile(r"[^\n.!?]+(?:(?<=\d)\.(?=\d)[^\n.!?]*)*(?:[.!?]+|\n|$)")
# A reading needs three words: a greeting ("Hi.") or a lone word gives the classifier too
# little to go on, and single risk words ("kms", "OD") are the rules' job. Words are runs of
# word characters; one match from the piece's start finds three.
_THREE_WORDS = re.compile(r"\W*\w+\W+\w+\W+\w")
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
    three = _THREE_WORDS.match
    for m in _PIECE.finditer(text):
        s, piece = m.start(), m.group()
        start = s + len(piece) - len(piece.lstrip())
        end = s + len(piece.rstrip())
        if three(text, start, end):
            out.append((start, end))
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
    out = (
        [
            ((s, e), reading)
            for (s, e), reading in zip(spans, readings, strict=True)
            if not any(fs < e and s < fe for fs, fe in flags)
        ]
        if flags
        else list(zip(spans, readings, strict=True))
    )
    if not flags and len(out) > 1 and len(text) <= _WHOLE_TEXT_MAX:
        out.append(((spans[0][0], spans[-1][1]), prepared.strip()))
    return out


def _readings(text: str) -> list[str]:
    """What the reader scores in a text with no rule flag, prepared, as triage does: each
    sentence, and a short snippet of several sentences whole too (the whole text alone when it
    has no sentence of three words, so such a snippet still teaches something)."""
    prepared = _prepare(text)
    whole = prepared.strip()
    out = [prepared[s:e] for s, e in pieces(prepared)]
    if len(out) > 1 and len(text) <= _WHOLE_TEXT_MAX:
        out.append(whole)
    return out or [whole]


def _proba_per_text(model: Pipeline, readings: list[list[str]]) -> list[np.ndarray]:
    """Each text's readings' probabilities of risk, from one predict_proba over all of them."""
    if not readings:
        return []
    proba = model.predict_proba([r for rs in readings for r in rs])[:, 1]
    return np.split(proba, np.cumsum([len(rs) for rs in readings])[:-1])


def _prepare(text: str) -> str:
    """The model's own folding (spelling variants, numbers) with first names masked."""
    return fold_text(mask_names(text))


class RiskReader(ClassifierMixin, BaseEstimator):
    """Word and character n-gram logistic regression: P(this sentence tells of risk).

    Parameters
    ----------
    c: inverse regularisation strength of the logistic regression. 16 was chosen by the same
        grouped cross-validation (risk recall at the 5 % allowance for c = 1, 2, 4, 8, 16, 32:
        0.827, 0.856, 0.864, 0.881, 0.885, 0.880).
    char_ngrams: character n-gram range; characters carry misspellings and word parts.
    max_char_features: cap on the character vocabulary.
    max_false_rate: the largest share of the blind sets' harmless items, in cross-validation,
        the reader may send to a person; it sets `threshold_`.
    cv_folds: grouped folds over the blind sets used to choose the threshold.
    """

    def __init__(
        self,
        c: float = 16.0,
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
        """Learn from labelled snippets; the reader then scores sentences, as triage uses it.

        A risk snippet of several sentences usually has its risk in one of them; labelling
        every sentence "risk" would teach the reader that ordinary sentences are risky. So it
        learns in two rounds (multiple-instance learning): a first model, reading every sentence
        with its snippet's label, picks each risk snippet's most risk-like reading, and the
        reader is trained on that reading; every reading of a harmless snippet is harmless.

        `groups`: the blind set each row came from, None for rows that are only ever trained
        on (generated sentences, snippets written as training data). The threshold is chosen on
        blind-set rows, each scored as triage scores a text (its most risk-like reading) by a
        model that never saw its set."""
        labels = np.asarray(y, dtype=int)
        if set(np.unique(labels)) != {0, 1}:
            raise ValueError("RiskReader needs both risk (1) and harmless (0) examples")
        readings = [_readings(t) for t in X]
        self.pipeline_ = self._fit_instances(readings, labels)
        self.threshold_, self.cv_ = self._choose_threshold(readings, labels, groups)
        self.classes_ = np.array([0, 1])
        return self

    def _fit_instances(self, readings: list[list[str]], labels: np.ndarray) -> Pipeline:
        # Round one reads sentences, every reading labelled as its snippet, so the scores it
        # gives a snippet's readings are comparable (a model of whole snippets favours the
        # longest sentence, whatever it says; cross-validated recall 0.867 against 0.871 for
        # that variant, at C=4).
        first = self._pipeline().fit(
            [r for rs in readings for r in rs],
            np.repeat(labels, [len(rs) for rs in readings]),
        )
        # Each risk snippet's most risk-like reading, among those triage will score. (Choosing
        # among sentences only, never a short snippet read whole, scored lower in
        # cross-validation: 0.845 against 0.871 risk recall at the same allowance.)
        bags = [rs for rs, label in zip(readings, labels, strict=True) if label and len(rs) > 1]
        best = iter(int(np.argmax(p)) for p in _proba_per_text(first, bags))
        texts: list[str] = []
        targets: list[int] = []
        for rs, label in zip(readings, labels, strict=True):
            if label == 0:
                texts += rs
                targets += [0] * len(rs)
            else:
                texts.append(rs[next(best)] if len(rs) > 1 else rs[0])
                targets.append(1)
        return self._pipeline().fit(texts, np.asarray(targets))

    def _choose_threshold(
        self, readings: list[list[str]], labels: np.ndarray, groups: Sequence[str | None] | None
    ) -> tuple[float, dict[str, float]]:
        if groups is None:
            raise ValueError("RiskReader.fit needs `groups` to choose its threshold honestly")
        names = np.asarray([g if g is not None else "" for g in groups], dtype=object)
        written = np.flatnonzero(names != "")
        distinct = np.unique(names[written])
        if len(distinct) < 2:
            raise ValueError("RiskReader needs rows from at least two blind sets (groups)")
        folds = GroupKFold(n_splits=min(self.cv_folds, len(distinct)))
        always = np.flatnonzero(names == "")
        splits = list(folds.split(written, groups=names[written]))

        def fold(train_pos: np.ndarray, test_pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            train = np.concatenate([always, written[train_pos]])
            model = self._fit_instances([readings[i] for i in train], labels[train])
            test = written[test_pos]
            # Scored as triage scores a text: by its most risk-like reading.
            return test, np.array(
                [p.max() for p in _proba_per_text(model, [readings[i] for i in test])]
            )

        proba = np.zeros(len(readings))
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
        """The pipeline's predict_proba with scikit-learn's per-call checks left out (the same
        steps and numbers; tested): for one referral they cost more than the reading."""
        union, clf = self.pipeline_[0], self.pipeline_[-1]
        Z = sparse.hstack(
            [tfidf_transform(t, prepared) for _, t in union.transformer_list], format="csr"
        )
        p = (Z @ clf.coef_.T + clf.intercept_).reshape(-1)
        expit(p, out=p)
        return np.vstack([1 - p, p]).T

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
        # Forms repeat sentences ("Consent given by parent."); each distinct one is read once.
        distinct = {reading: i for i, reading in enumerate(dict.fromkeys(flat))}
        scores = self._proba_prepared(list(distinct))[:, 1]
        proba = scores[np.fromiter((distinct[r] for r in flat), dtype=np.intp, count=len(flat))]
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
