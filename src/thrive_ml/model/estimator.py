"""The referral model: one text representation, two calibrated heads.

Word and character n-gram TF-IDF features (characters can be switched off: see TrainParams),
plus one column per risk context the safety rules report, are computed once per text and shared by the THRIVE group head (multinomial logistic
regression, calibrated by a stacked logistic regression fitted on held-out rows) and the
exclusion-factor heads (one logistic regression per factor, each with its own decision
threshold chosen on held-out rows). Sharing the features is what keeps full triage within a small factor of a
bare `predict_proba`. It follows scikit-learn's estimator rules: `__init__` only stores
parameters, `fit` validates and learns, fitted state ends in `_`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from thrive_ml.result import RiskFlag
from thrive_ml.safety import SafetyReport, assess
from thrive_ml.taxonomy import ContextStatus, ExclusionFactor, RiskIndicator, ThriveGroup

GROUPS: tuple[str, ...] = tuple(g.value for g in ThriveGroup)
FACTORS: tuple[str, ...] = tuple(f.value for f in ExclusionFactor)

# Referrers write "self-harm", "self harm" and "selfharm"; "Y9" and "year 9"; "4/12". Light,
# meaning-preserving folding helps word n-grams generalise across voices.
_FOLDS = (
    (re.compile(r"[\u2018\u2019\u02bc`]"), "'"),
    (re.compile(r"[\u201c\u201d]"), '"'),
    (re.compile(r"\bself[\s-]+(harm|harming|harmed|injur\w*)", re.I), r"self\1"),
    (re.compile(r"\by(?:ear)?\s?(\d{1,2})\b", re.I), r"year\1"),
    (re.compile(r"\b(\d{1,2})/12\b"), r"\1 months"),
    (re.compile(r"\b(\d{1,2})/52\b"), r"\1 weeks"),
    (re.compile(r"\d+(?:\.\d+)?"), lambda m: "num" if len(m.group(0)) > 2 else m.group(0)),
)


def fold_text(text: str) -> str:
    """Normalise spelling variants before vectorising; never changes what the text says."""
    for pattern, repl in _FOLDS:
        text = pattern.sub(repl, text)
    return text.lower()


@lru_cache(maxsize=2048)
def safety_report(text: str) -> SafetyReport:
    """The safety rules' reading of a text, cached so triage and features share one pass."""
    return assess(text)


def _token(indicator: RiskIndicator, status: ContextStatus) -> str:
    return "zz" + indicator.value.replace("_", "") + status.value.replace("_", "")


RISK_CONTEXT_TOKENS: tuple[str, ...] = tuple(
    _token(i, s) for i in RiskIndicator for s in ContextStatus
)


def risk_context_token(flag: RiskFlag) -> str:
    """The single word a risk mention becomes for the model, e.g. 'zzselfharmnegated'."""
    return _token(flag.indicator, flag.status)


def mark_risk_context(text: str) -> str:
    """Replace each risk mention by a token naming its indicator and context.

    "Denies self-harm" and "has been self-harming" share the words "self-harm"; a bag of words
    cannot tell them apart, the safety rules' context engine can. After marking, the model sees
    "zzselfharmnegated" or "zzselfharmaffirmed", so a denial stops looking like a risk.
    """
    flags = safety_report(text).flags
    if not flags:
        return text
    out, last = [], 0
    for f in sorted(flags, key=lambda f: f.start):
        if f.start < last:
            continue
        out.append(text[last : f.start])
        token = risk_context_token(f)
        out.append(f" {token} ")
        last = f.end
    out.append(text[last:])
    return "".join(out)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    raw = resources.files(__package__).joinpath("first_names.txt").read_text(encoding="utf-8")
    return frozenset(
        w.lower() for line in raw.splitlines() if not line.startswith("#") for w in line.split()
    )


_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z]+\b")


def mask_names(text: str) -> str:
    """Known first names become 'xxname': a name must never move a suggestion. Only
    capitalised words are looked up (names are written that way; a set lookup is fast)."""
    names = _first_names()
    return _CAPITALISED.sub(lambda m: "xxname" if m.group(0).lower() in names else m.group(0), text)


def preprocess(text: str) -> str:
    return fold_text(mask_names(mark_risk_context(text)))


class RiskContextMarker(TransformerMixin, BaseEstimator):
    """Stateless step: texts -> texts with risk mentions marked (see mark_risk_context)."""

    def fit(self, X: Sequence[str], y: object = None) -> RiskContextMarker:
        return self

    def transform(self, X: Sequence[str]) -> list[str]:
        return [preprocess(t) for t in X]


def build_features(
    word_ngrams: tuple[int, int] = (1, 2),
    char_ngrams: tuple[int, int] | None = (3, 5),
    max_word_features: int = 40000,
    max_char_features: int = 40000,
) -> Pipeline:
    """Mark risk context once, then word and character TF-IDF side by side."""
    words = TfidfVectorizer(
        lowercase=False,
        ngram_range=word_ngrams,
        min_df=2,
        max_df=0.9,
        sublinear_tf=True,
        max_features=max_word_features,
        token_pattern=r"(?u)\b\w[\w']*\b",  # noqa: S106 - a regex, not a password
        dtype=np.float32,
    )
    chars: TfidfVectorizer | str = "drop"  # FeatureUnion's word for a switched-off part
    if char_ngrams is not None:
        chars = TfidfVectorizer(
            lowercase=False,
            analyzer="char_wb",
            ngram_range=char_ngrams,
            min_df=3,
            sublinear_tf=True,
            max_features=max_char_features,
            dtype=np.float32,
        )
    # One binary column per (indicator, context) the safety rules can report: a plan that is
    # affirmed must weigh as much as a whole block of words, not as one n-gram among thousands.
    risk = CountVectorizer(
        lowercase=False,
        vocabulary=RISK_CONTEXT_TOKENS,
        token_pattern=r"\bzz[a-z]+\b",  # noqa: S106 - a regex, not a password
        binary=True,
        dtype=np.float32,
    )
    return Pipeline(
        [
            ("mark", RiskContextMarker()),
            (
                "tfidf",
                FeatureUnion([("words", words), ("chars", chars), ("risk", risk)]),
            ),
        ]
    )


@dataclass(frozen=True)
class Contribution:
    """A word n-gram that pushed a suggestion, and by how much (log-odds units)."""

    feature: str
    weight: float


class ReferralClassifier(ClassifierMixin, BaseEstimator):
    """THRIVE group and exclusion factors from referral text, with calibrated probabilities.

    `fit(texts, groups, factors=..., non_referrals=...)`: `groups` are THRIVE group strings;
    `factors` a sequence of label lists (or an (n, 5) 0/1 array in FACTORS order). A stratified
    `validation_fraction` of the rows is held out inside `fit`: the group head is calibrated on
    it (a stacked logistic regression over the text model's scores and the risk-context
    columns, one fitted model, so training stays fast) and each factor's decision threshold
    is the one that maximises that factor's F1 on it. The team's hand-written sets are never
    seen here.
    """

    def __init__(
        self,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] | None = (3, 5),
        max_word_features: int = 40000,
        max_char_features: int = 40000,
        group_c: float = 4.0,
        factor_c: float = 2.0,
        stack_c: float = 1.0,
        validation_fraction: float = 0.15,
        random_state: int = 0,
        n_jobs: int | None = None,
    ) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.group_c = group_c
        self.factor_c = factor_c
        self.stack_c = stack_c
        self.validation_fraction = validation_fraction
        self.random_state = random_state
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        X: Sequence[str],
        y: Sequence[str],
        factors: Sequence | None = None,
        non_referrals: Sequence[str] = (),
    ) -> ReferralClassifier:
        texts = _as_texts(X)
        y = np.asarray(y, dtype=object)
        if len(texts) != len(y):
            raise ValueError(f"X has {len(texts)} texts but y has {len(y)} labels")
        unknown = sorted(set(y) - set(GROUPS))
        if unknown:
            raise ValueError(f"unknown THRIVE groups {unknown}; expected {list(GROUPS)}")
        if factors is None:
            raise ValueError("fit needs factors=..., the exclusion-factor labels for each text")
        if not 0.0 < self.validation_fraction < 0.5:
            raise ValueError(
                f"validation_fraction must be in (0, 0.5), got {self.validation_fraction}"
            )
        F = _factor_matrix(factors, len(texts))
        for j, name in enumerate(FACTORS):
            if F[:, j].min() == F[:, j].max():
                raise ValueError(f"factor '{name}' has only one class in the training data")

        tr, va = train_test_split(
            np.arange(len(texts)),
            test_size=self.validation_fraction,
            random_state=self.random_state,
            stratify=y,
        )
        self.features_ = build_features(
            self.word_ngrams, self.char_ngrams, self.max_word_features, self.max_char_features
        )
        Z_all = self.features_.fit_transform(texts)
        Z, Zv = Z_all[tr], Z_all[va]

        base = LogisticRegression(C=self.group_c, max_iter=3000, random_state=self.random_state)
        base.fit(Z, y[tr])
        self.group_base_ = base
        # Stacked calibration: a small multinomial logistic regression, fitted on rows the text
        # model never saw, maps its scores plus the safety rules' risk-context columns to
        # probabilities. It calibrates (log-loss on held-out rows) and lets an affirmed plan or
        # attempt count fully even where the words around it are unlike our training text.
        self.group_head_ = LogisticRegression(
            C=self.stack_c, max_iter=3000, random_state=self.random_state
        ).fit(self._stack_inputs(Zv), y[va])
        self.classes_ = np.asarray(GROUPS, dtype=object)

        self.factor_heads_ = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_factor)(Z, F[tr, j], self.factor_c, self.random_state)
            for j in range(len(FACTORS))
        )
        Pv = self.factor_proba_from_features(Zv)
        self.factor_thresholds_ = np.array(
            [_best_threshold(F[va, j], Pv[:, j]) for j in range(len(FACTORS))]
        )
        # A third, small head tells referrals from text that is not one (shopping lists,
        # greetings, gibberish), so the result can say so instead of forcing a group.
        self.referral_head_ = None
        if len(non_referrals):
            Zn = self.features_.transform(_as_texts(non_referrals))
            self.referral_head_ = LogisticRegression(
                C=1.0, max_iter=2000, class_weight="balanced", random_state=self.random_state
            ).fit(sparse.vstack([Z, Zn]), np.r_[np.ones(Z.shape[0]), np.zeros(Zn.shape[0])])
        self._cache_word_weights()
        return self

    # ------------------------------------------------------------------ prediction
    def transform_text(self, X: Sequence[str]) -> sparse.csr_matrix:
        check_is_fitted(self, "features_")
        return self.features_.transform(_as_texts(X))

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Group probabilities, columns in GROUPS order (severity order, the contract's)."""
        return self.group_proba_from_features(self.transform_text(X))

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return np.asarray(GROUPS, dtype=object)[self.predict_proba(X).argmax(axis=1)]

    def _stack_inputs(self, Z: sparse.csr_matrix) -> np.ndarray:
        risk = Z[:, -len(RISK_CONTEXT_TOKENS) :].toarray()
        return np.hstack([self.group_base_.decision_function(Z), risk])

    def group_proba_from_features(self, Z: sparse.csr_matrix) -> np.ndarray:
        proba = self.group_head_.predict_proba(self._stack_inputs(Z))
        order = [list(self.group_head_.classes_).index(g) for g in GROUPS]
        return proba[:, order]

    def factor_proba_from_features(self, Z: sparse.csr_matrix) -> np.ndarray:
        """(n, 5) probability of each factor, FACTORS order."""
        return np.column_stack([h.predict_proba(Z)[:, 1] for h in self.factor_heads_])

    def referral_proba_from_features(self, Z: sparse.csr_matrix) -> np.ndarray:
        """Probability each text is a referral at all (1.0 when no such head was trained)."""
        if self.referral_head_ is None:
            return np.ones(Z.shape[0])
        return self.referral_head_.predict_proba(Z)[:, 1]

    def predict_factor_proba(self, X: Sequence[str]) -> np.ndarray:
        return self.factor_proba_from_features(self.transform_text(X))

    def predict_factors(self, X: Sequence[str]) -> list[list[str]]:
        P = self.predict_factor_proba(X)
        return [[FACTORS[j] for j in np.flatnonzero(row >= self.factor_thresholds_)] for row in P]

    # ------------------------------------------------------------------ explanations
    def _words(self) -> TfidfVectorizer:
        return self.features_.named_steps["tfidf"].transformer_list[0][1]

    def _cache_word_weights(self) -> None:
        """Average each calibrated fold's coefficients: the direction a word n-gram pushes."""
        words: TfidfVectorizer = self._words()
        n_words = len(words.vocabulary_)
        coefs = self.group_base_.coef_[:, :n_words]
        classes = list(self.group_base_.classes_)
        self.word_weights_ = coefs[[classes.index(g) for g in GROUPS]].astype(np.float32)
        self.word_names_ = words.get_feature_names_out()

    def word_contributions(
        self, text: str, group_index: int, top: int = 5, features: sparse.csr_matrix | None = None
    ) -> list[Contribution]:
        """Word n-grams in this text that most raised the score of one group against the rest.

        `features`: the text's row from `transform_text`, when the caller already has it (the
        word block comes first), so explaining costs no second pass over the text."""
        check_is_fitted(self, "word_weights_")
        n_words = self.word_weights_.shape[1]
        if features is not None:
            x = sparse.csr_matrix(features)[:, :n_words]
        else:
            x = self._words().transform([preprocess(text)])
        idx, vals = x.indices, x.data
        if idx.size == 0:
            return []
        w = self.word_weights_[:, idx]
        relative = w[group_index] - w.mean(axis=0)
        score = vals * relative
        best = np.argsort(score)[::-1][:top]
        return [
            Contribution(str(self.word_names_[idx[i]]), float(score[i]))
            for i in best
            if score[i] > 0
        ]


def _fit_factor(Z: sparse.csr_matrix, y: np.ndarray, c: float, seed: int) -> LogisticRegression:
    """Unweighted logistic regression: its probabilities stay honest; the threshold handles
    the imbalance."""
    return LogisticRegression(C=c, max_iter=3000, random_state=seed).fit(Z, y)


def _best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability cut that maximises F1 on validation rows; 0.5 if the factor is absent."""
    if y.sum() == 0:
        return 0.5
    grid = np.linspace(0.05, 0.95, 91)
    f1 = [_f1(y, p >= t) for t in grid]
    return float(grid[int(np.argmax(f1))])


def _f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = float(np.sum(pred & (y == 1)))
    return 2 * tp / max(1.0, 2 * tp + np.sum(pred & (y == 0)) + np.sum(~pred & (y == 1)))


def _as_texts(X: Sequence[str]) -> list[str]:
    if isinstance(X, str):
        raise ValueError("expected a sequence of texts, got a single string; wrap it in a list")
    texts = list(X)
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise ValueError(f"texts must be strings; rows {bad[:5]} are not")
    return texts


def _factor_matrix(factors: Sequence, n: int) -> np.ndarray:
    arr = np.asarray(factors, dtype=object)
    if arr.ndim == 2 and arr.shape == (n, len(FACTORS)):
        return arr.astype(int)
    if len(factors) != n:
        raise ValueError(f"factors has {len(factors)} rows but X has {n}")
    out = np.zeros((n, len(FACTORS)), dtype=int)
    for i, fs in enumerate(factors):
        for f in fs:
            if f not in FACTORS:
                raise ValueError(f"unknown exclusion factor {f!r}; expected {list(FACTORS)}")
            out[i, FACTORS.index(f)] = 1
    return out
