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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.extmath import softmax
from sklearn.utils.validation import check_is_fitted

from thrive_ml.model.features import WordCachedCharTfidf, WordNgramTfidf, tfidf_transform
from thrive_ml.result import RiskFlag
from thrive_ml.safety import SafetyReport, assess
from thrive_ml.taxonomy import ContextStatus, ExclusionFactor, RiskIndicator, ThriveGroup

if TYPE_CHECKING:
    from thrive_ml.model.risk_reader import RiskReader

GROUPS: tuple[str, ...] = tuple(g.value for g in ThriveGroup)
FACTORS: tuple[str, ...] = tuple(f.value for f in ExclusionFactor)

# Referrers write "self-harm", "self harm" and "selfharm"; "Y9" and "year 9"; "4/12". Light,
# meaning-preserving folding helps word n-grams generalise across voices. Each fold has a quick
# test that is true wherever its pattern can match, so a text skips the folds it cannot need
# (the patterns cost ~15 us each on a 700-character referral; the tests, a substring search).
# Under re.IGNORECASE only the letter itself, either case, matches e, l, f, a, r, m, n, j or u
# (checked over all of Unicode; not so for i, s and k: "ı", "ſ", "K"), so `"elf" in lowered and
# ("arm" in lowered or "njur" in lowered)` is exact for the self-harm fold. The year pattern is
# r"\by(?:ear)?\s?(\d{1,2})\b" (re.I) written with its word boundary as a look-behind after
# the first letter, which lets the engine scan for [yY] fast.
_FOLDS: tuple[tuple[re.Pattern[str], Any, Callable[[str], bool] | None], ...] = (
    (re.compile(r"[\u2018\u2019\u02bc`]"), "'", lambda t: "`" in t or not t.isascii()),
    (re.compile(r"[\u201c\u201d]"), '"', lambda t: not t.isascii()),
    (
        re.compile(r"\bself[\s-]+(harm|harming|harmed|injur\w*)", re.I),
        r"self\1",
        lambda t: "elf" in (low := t.lower()) and ("arm" in low or "njur" in low),
    ),
    (re.compile(r"[yY](?<!\w[yY])(?:[eE][aA][rR])?\s?(\d{1,2})\b"), r"year\1", None),
    (re.compile(r"\b(\d{1,2})/12\b"), r"\1 months", lambda t: "/12" in t),
    (re.compile(r"\b(\d{1,2})/52\b"), r"\1 weeks", lambda t: "/52" in t),
    (re.compile(r"\d+(?:\.\d+)?"), lambda m: "num" if len(m.group(0)) > 2 else m.group(0), None),
)


def fold_text(text: str) -> str:
    """Normalise spelling variants before vectorising; never changes what the text says."""
    for pattern, repl, could_match in _FOLDS:
        if could_match is None or could_match(text):
            text = pattern.sub(repl, text)
    return text.lower()


@lru_cache(maxsize=2048)
def safety_report(text: str) -> SafetyReport:
    """The safety rules' reading of a text, cached so triage and features share one pass."""
    return assess(text)


def _token(indicator: RiskIndicator, status: ContextStatus) -> str:
    return "zz" + indicator.value.replace("_", "") + status.value.replace("_", "")


RISK_TOKEN_PATTERN = r"z(?<!\wz)z[a-z]+\b"  # noqa: S105 - a regex, not a password
RISK_CONTEXT_TOKENS: tuple[str, ...] = tuple(
    _token(i, s) for i in RiskIndicator for s in ContextStatus
)


def risk_context_token(flag: RiskFlag) -> str:
    """The single word a risk mention becomes for the model, e.g. 'zzselfharmnegated'."""
    return _token(flag.indicator, flag.status)


def mark_risk_context(text: str, report: SafetyReport | None = None) -> str:
    """Replace each risk mention by a token naming its indicator and context.

    "Denies self-harm" and "has been self-harming" share the words "self-harm"; a bag of words
    cannot tell them apart, the safety rules' context engine can. After marking, the model sees
    "zzselfharmnegated" or "zzselfharmaffirmed", so a denial stops looking like a risk.
    `report`: the text's SafetyReport when the caller already has it (triage does).
    """
    flags = (report if report is not None else safety_report(text)).flags
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


# r"\b[A-Z][a-zA-Z]+\b" with the leading boundary checked after the first letter: the same
# matches, and the engine can skip ahead to capitals (twice as fast on a referral).
_CAPITALISED = re.compile(r"[A-Z](?<!\w[A-Z])[a-zA-Z]+\b")


def mask_names(text: str) -> str:
    """Known first names become 'xxname': a name must never move a suggestion. Only
    capitalised words are looked up (names are written that way; a set lookup is fast)."""
    names = _first_names()
    return _CAPITALISED.sub(lambda m: "xxname" if m.group(0).lower() in names else m.group(0), text)


def preprocess(text: str, report: SafetyReport | None = None) -> str:
    return fold_text(mask_names(mark_risk_context(text, report)))


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
    """Mark risk context once, then word and character TF-IDF side by side.

    The vectorizers are scikit-learn's TfidfVectorizer with faster counting (model/features.py):
    the same vocabulary and numbers, so the choice of features is untouched by speed."""
    words = WordNgramTfidf(
        lowercase=False,
        ngram_range=word_ngrams,
        min_df=2,
        max_df=0.9,
        sublinear_tf=True,
        max_features=max_word_features,
        token_pattern=r"(?u)\b\w[\w']*\b",  # noqa: S106 - a regex, not a password
        dtype=np.float32,
    )
    chars: WordCachedCharTfidf | str = "drop"  # FeatureUnion's word for a switched-off part
    if char_ngrams is not None:
        chars = WordCachedCharTfidf(
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
        # r"\bzz[a-z]+\b", its leading boundary checked after the first z so the engine can
        # skip ahead to z's: the same tokens, ~10x faster.
        token_pattern=RISK_TOKEN_PATTERN,
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

    Speed: the text heads (THRIVE group, five factors, referral-or-not) are independent
    logistic regressions over the same features, so `fit` runs them as one pool of `n_jobs`
    processes, biggest first. `tol` is the heads' convergence tolerance (scikit-learn's).
    `fit(..., safety_reports=...)` takes the texts' SafetyReports when the caller has them
    (leave-one-voice-out fits the same texts many times).
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
        tol: float = 1e-4,
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
        self.tol = tol
        self.random_state = random_state
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        X: Sequence[str],
        y: Sequence[str],
        factors: Sequence | None = None,
        non_referrals: Sequence[str] = (),
        safety_reports: Sequence[SafetyReport] | None = None,
        risk_reader: RiskReader | None = None,
    ) -> ReferralClassifier:
        """`risk_reader`: a fitted second reader for risk wording (model/risk_reader.py),
        trained on its own data and kept here so one checksummed artifact carries both."""
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
        if safety_reports is not None and len(safety_reports) != len(texts):
            raise ValueError(f"X has {len(texts)} texts but {len(safety_reports)} safety reports")
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
        self.__dict__.pop("_head_weights", None)  # derived from the heads about to be refitted
        self.features_ = build_features(
            self.word_ngrams, self.char_ngrams, self.max_word_features, self.max_char_features
        )
        reports = safety_reports if safety_reports is not None else [None] * len(texts)
        marked = [preprocess(t, r) for t, r in zip(texts, reports, strict=True)]
        self.features_.steps[0][1].fit(texts)  # the marker is stateless; fitted for form
        Z_all = self.features_[1:].fit_transform(marked)
        Z, Zv = Z_all[tr], Z_all[va]

        # Every text head at once, biggest first so the pool stays busy (see class docstring).
        jobs = [(Z, y[tr], self.group_c, None, 3000)]
        jobs += [(Z, F[tr, j], self.factor_c, None, 3000) for j in range(len(FACTORS))]
        # A third, small head tells referrals from text that is not one (shopping lists,
        # greetings, gibberish), so the result can say so instead of forcing a group.
        if len(non_referrals):
            Zn = self.features_.transform(_as_texts(non_referrals))
            jobs.append(
                (
                    sparse.vstack([Z, Zn]).tocsr(),
                    np.r_[np.ones(Z.shape[0]), np.zeros(Zn.shape[0])],
                    1.0,
                    "balanced",
                    2000,
                )
            )
        heads = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_head)(Xj, yj, c, weight, iters, self.tol, self.random_state)
            for Xj, yj, c, weight, iters in jobs
        )
        self.group_base_ = base = heads[0]
        self.factor_heads_ = heads[1 : 1 + len(FACTORS)]
        self.referral_head_ = heads[1 + len(FACTORS)] if len(non_referrals) else None

        # Stacked calibration: a small multinomial logistic regression, fitted on rows the text
        # model never saw, maps its scores plus the safety rules' risk-context columns to
        # probabilities. It calibrates (log-loss on held-out rows) and lets an affirmed plan or
        # attempt count fully even where the words around it are unlike our training text.
        self.group_head_ = LogisticRegression(
            C=self.stack_c, max_iter=3000, random_state=self.random_state
        ).fit(self._stack_inputs(Zv, self._head_scores(Zv)[:, : len(base.classes_)]), y[va])
        self.classes_ = np.asarray(GROUPS, dtype=object)

        Pv = self.factor_proba_from_features(Zv)
        self.factor_thresholds_ = np.array(
            [_best_threshold(F[va, j], Pv[:, j]) for j in range(len(FACTORS))]
        )
        self._cache_word_weights()
        self.risk_reader_ = risk_reader
        return self

    # ------------------------------------------------------------------ prediction
    def transform_text(
        self, X: Sequence[str], reports: Sequence[SafetyReport] | None = None
    ) -> sparse.csr_matrix:
        """Feature rows for texts. `reports`: their SafetyReports, when the caller already has
        them (triage does), so the safety rules read each text once whatever the batch size."""
        check_is_fitted(self, "features_")
        return self.vectorize(self.mark(X, reports))

    @staticmethod
    def mark(X: Sequence[str], reports: Sequence[SafetyReport] | None = None) -> list[str]:
        """Texts as the vectorizers read them (`preprocess`): risk mentions marked, names
        masked, spellings folded. Triage keeps them for the risk reader too."""
        texts = _as_texts(X)
        if reports is None:
            return [preprocess(t) for t in texts]
        if len(reports) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(reports)} safety reports")
        return [preprocess(t, r) for t, r in zip(texts, reports, strict=True)]

    def vectorize(self, marked: list[str]) -> sparse.csr_matrix:
        """The FeatureUnion's blocks side by side, as its `transform` stacks them, without its
        per-call machinery (a one-worker joblib pool, output wrapping): for a single text that
        machinery cost more than the features."""
        union: FeatureUnion = self.features_.named_steps["tfidf"]
        if union.transformer_weights:
            return union.transform(marked)
        blocks = [
            tfidf_transform(t, marked) if isinstance(t, TfidfVectorizer) else t.transform(marked)
            for _, t in union.transformer_list
            if t not in ("drop", None)
        ]
        return sparse.csr_matrix(sparse.hstack(blocks, format="csr"))

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Group probabilities, columns in GROUPS order (severity order, the contract's)."""
        return self.group_proba_from_features(self.transform_text(X))

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return np.asarray(GROUPS, dtype=object)[self.predict_proba(X).argmax(axis=1)]

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_head_weights", None)
        return state

    def _heads(self) -> tuple[np.ndarray, np.ndarray]:
        """Every text head's coefficients side by side (group scores, five factors, referral):
        one sparse product scores a batch for all of them. Derived from the fitted heads on
        first use and not pickled."""
        cached = getattr(self, "_head_weights", None)
        if cached is None:
            heads = [self.group_base_, *self.factor_heads_]
            if self.referral_head_ is not None:
                heads.append(self.referral_head_)
            W = np.ascontiguousarray(np.vstack([h.coef_ for h in heads]).T)
            b = np.concatenate([np.ravel(h.intercept_) for h in heads])
            cached = self._head_weights = (W, b)
        return cached

    def _head_scores(self, Z: sparse.csr_matrix) -> np.ndarray:
        W, b = self._heads()
        return np.asarray(Z @ W) + b

    def score_features(self, Z: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(group probabilities in GROUPS order, factor probabilities in FACTORS order,
        probability of being a referral at all) for feature rows, from one sparse product.

        The same numbers as the heads' own `decision_function`/`predict_proba` (which compute
        `Z @ coef.T + intercept`, then softmax or expit), without per-call validation."""
        scores = self._head_scores(Z)
        n_groups, n_factors = len(self.group_base_.classes_), len(self.factor_heads_)
        group_p = self._group_proba_from_scores(Z, scores[:, :n_groups])
        factor_p = expit(scores[:, n_groups : n_groups + n_factors])
        referral_p = (
            expit(scores[:, n_groups + n_factors])
            if self.referral_head_ is not None
            else np.ones(Z.shape[0])
        )
        return group_p, factor_p, referral_p

    def _stack_inputs(
        self, Z: sparse.csr_matrix, group_scores: np.ndarray | None = None
    ) -> np.ndarray:
        risk = Z[:, -len(RISK_CONTEXT_TOKENS) :].toarray()
        if group_scores is None:
            group_scores = self.group_base_.decision_function(Z)
        return np.hstack([group_scores, risk])

    def _group_proba_from_scores(
        self, Z: sparse.csr_matrix, group_scores: np.ndarray
    ) -> np.ndarray:
        head = self.group_head_
        stack = self._stack_inputs(Z, group_scores)
        if len(head.classes_) > 2:  # multinomial: softmax of the decision, as predict_proba
            proba = softmax(stack @ head.coef_.T + head.intercept_, copy=False)
        else:
            proba = head.predict_proba(stack)
        order = [list(head.classes_).index(g) for g in GROUPS]
        return proba[:, order]

    def group_proba_from_features(self, Z: sparse.csr_matrix) -> np.ndarray:
        return self.score_features(Z)[0]

    def factor_proba_from_features(self, Z: sparse.csr_matrix) -> np.ndarray:
        """(n, 5) probability of each factor, FACTORS order."""
        return self.score_features(Z)[1]

    def referral_proba_from_features(self, Z: sparse.csr_matrix) -> np.ndarray:
        """Probability each text is a referral at all (1.0 when no such head was trained)."""
        return self.score_features(Z)[2]

    def predict_factor_proba(self, X: Sequence[str]) -> np.ndarray:
        return self.factor_proba_from_features(self.transform_text(X))

    def predict_factors(self, X: Sequence[str]) -> list[list[str]]:
        P = self.predict_factor_proba(X)
        return [[FACTORS[j] for j in np.flatnonzero(row >= self.factor_thresholds_)] for row in P]

    # ------------------------------------------------------------------ explanations
    def _words(self) -> TfidfVectorizer:
        return self.features_.named_steps["tfidf"].transformer_list[0][1]

    def _cache_word_weights(self) -> None:
        """The direction each word n-gram pushes each group, and against the other groups."""
        words: TfidfVectorizer = self._words()
        n_words = len(words.vocabulary_)
        coefs = self.group_base_.coef_[:, :n_words]
        classes = list(self.group_base_.classes_)
        self.word_weights_ = coefs[[classes.index(g) for g in GROUPS]].astype(np.float32)
        self.word_relative_ = self.word_weights_ - self.word_weights_.mean(axis=0)
        self.word_names_ = words.get_feature_names_out()

    def word_contributions(
        self, text: str, group_index: int, top: int = 5, features: sparse.csr_matrix | None = None
    ) -> list[Contribution]:
        """Word n-grams in this text that most raised the score of one group against the rest.

        `features`: the text's row from `transform_text`, when the caller already has it (the
        word block comes first), so explaining costs no second pass over the text."""
        check_is_fitted(self, "word_weights_")
        if features is None:
            features = self._words().transform([preprocess(text)])
        return self.contributions_for_rows(features, [group_index], top)[0]

    def contributions_for_rows(
        self, Z: sparse.csr_matrix, group_indices: Sequence[int], top: int = 5
    ) -> list[list[Contribution]]:
        """`word_contributions` for every row of a `transform_text` matrix at once.

        Row i is explained for group `group_indices[i]`. The word block is cut from the batch
        once and each row read straight from its arrays: slicing a sparse row per text cost
        more than the arithmetic."""
        check_is_fitted(self, "word_weights_")
        relative = getattr(self, "word_relative_", None)
        if relative is None:  # a model pickled before word_relative_ existed
            relative = self.word_weights_ - self.word_weights_.mean(axis=0)
        n_words = relative.shape[1]
        Zw = sparse.csr_matrix(Z)[:, :n_words]
        if len(group_indices) != Zw.shape[0]:
            raise ValueError(f"{Zw.shape[0]} rows but {len(group_indices)} group indices")
        names = self.word_names_
        out: list[list[Contribution]] = []
        for i, g in enumerate(group_indices):
            a, b = Zw.indptr[i], Zw.indptr[i + 1]
            if a == b:
                out.append([])
                continue
            idx = Zw.indices[a:b]
            score = Zw.data[a:b] * relative[g, idx]
            best = np.argsort(score)[::-1][:top]
            best = best[score[best] > 0]
            # Whole arrays to Python values at once: per-element numpy access cost more.
            out.append(
                [
                    Contribution(str(n), s)
                    for n, s in zip(names[idx[best]].tolist(), score[best].tolist(), strict=True)
                ]
            )
        return out


def _fit_head(
    Z: sparse.csr_matrix,
    y: np.ndarray,
    c: float,
    class_weight: str | None,
    max_iter: int,
    tol: float,
    seed: int,
) -> LogisticRegression:
    """One text head. Factor heads are unweighted: their probabilities stay honest and the
    threshold handles the imbalance; the referral head is balanced (non-referrals are few)."""
    return LogisticRegression(
        C=c, class_weight=class_weight, max_iter=max_iter, tol=tol, random_state=seed
    ).fit(Z, y)


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
