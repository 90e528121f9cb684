"""Text features that give scikit-learn's exact numbers, faster.

`char_wb` n-grams never cross a space: a text's character n-grams are the sum of its words'.
Words repeat (a referral of 700 characters has ~110 words, most of them common), so each
distinct word is cut into n-grams once and every text becomes a words-by-n-grams product.
Same vocabulary, same counts, same TF-IDF as `TfidfVectorizer(analyzer="char_wb")`, at a
fraction of the cost; `tests/model/test_features.py` holds it to that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

try:  # scikit-learn >= 1.8 returns sparse arrays or matrices as configured
    from sklearn.utils._sparse import _align_api_if_sparse
except ImportError:  # pragma: no cover - older scikit-learn always returned csr_matrix

    def _align_api_if_sparse(X: Any) -> Any:
        return sparse.csr_matrix(X)


_NO_INDICES = np.empty(0, dtype=np.int32)


class WordCachedCharTfidf(TfidfVectorizer):
    """`TfidfVectorizer(analyzer="char_wb")` that cuts each distinct word into n-grams once.

    Parameters are TfidfVectorizer's; `analyzer` must be "char_wb" (a callable analyzer or
    another kind falls back to scikit-learn's own counting). `max_cached_words` bounds the
    per-word cache kept between `transform` calls, so a long-running service's memory stays
    flat; the cache is never pickled.
    """

    max_cached_words = 200_000

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_word_cache", None)
        state.pop("_word_cache_vocabulary", None)
        return state

    def _transform_cache(self) -> dict[str, np.ndarray]:
        """Word -> vocabulary indices of its n-grams; reset when the vocabulary changes."""
        if getattr(self, "_word_cache_vocabulary", None) is not self.vocabulary_:
            self._word_cache: dict[str, np.ndarray] = {}
            self._word_cache_vocabulary = self.vocabulary_
        elif len(self._word_cache) > self.max_cached_words:
            self._word_cache = {}
        return self._word_cache

    def _count_vocab(self, raw_documents: Iterable[str], fixed_vocab: bool) -> Any:
        if self.analyzer != "char_wb":
            return super()._count_vocab(raw_documents, fixed_vocab)
        preprocess, decode = self.build_preprocessor(), self.decode
        vocabulary: dict[str, int] = self.vocabulary_ if fixed_vocab else {}
        cache = self._transform_cache() if fixed_vocab else {}

        # Texts x distinct words (counts): sklearn's `_char_wb_ngrams` splits on whitespace too.
        word_ids: dict[str, int] = {}
        d_indices: list[int] = []
        d_indptr = [0]
        for doc in raw_documents:
            d_indices.extend(
                [word_ids.setdefault(w, len(word_ids)) for w in preprocess(decode(doc)).split()]
            )
            d_indptr.append(len(d_indices))

        # Distinct words x n-grams (counts), from the cache where the word was seen before.
        parts = []
        for word in word_ids:
            idx = cache.get(word)
            if idx is None:
                grams = self._char_wb_ngrams(word)
                if fixed_vocab:
                    found = [vocabulary[g] for g in grams if g in vocabulary]
                else:
                    found = [vocabulary.setdefault(g, len(vocabulary)) for g in grams]
                idx = np.asarray(found, dtype=np.int32) if found else _NO_INDICES
                cache[word] = idx
            parts.append(idx)
        if not fixed_vocab and not vocabulary:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")

        # Counts are small whole numbers, exact in any float dtype, so multiply in self.dtype.
        n_docs, n_words = len(d_indptr) - 1, len(word_ids)
        D = sparse.csr_array(
            (np.ones(len(d_indices), dtype=self.dtype), d_indices, d_indptr),
            shape=(n_docs, n_words),
        )
        w_indptr = np.zeros(n_words + 1, dtype=np.int64)
        np.cumsum([len(p) for p in parts], out=w_indptr[1:])
        w_indices = np.concatenate(parts) if parts else _NO_INDICES
        W = sparse.csr_array(
            (np.ones(len(w_indices), dtype=self.dtype), w_indices, w_indptr),
            shape=(n_words, len(vocabulary)),
        )
        # A product's column indices come out unsorted and scikit-learn returns sorted rows.
        # With a fitted vocabulary, two linear passes through CSC sort them faster than sorting
        # each row; while fitting, the columns are every n-gram seen, too many for that.
        X = D @ W
        if fixed_vocab:
            X = X.tocsc().tocsr()
        else:
            X.sort_indices()
        return vocabulary, _align_api_if_sparse(X)


class _PairLookup:
    """A fitted word vocabulary as arrays: token -> id, id -> unigram column, (id, id) -> column."""

    def __init__(self, vocabulary: dict[str, int]) -> None:
        self.vocabulary = vocabulary
        token_ids: dict[str, int] = {}
        split = [(term.split(" "), int(col)) for term, col in vocabulary.items()]
        for parts, _ in split:
            for token in parts:
                token_ids.setdefault(token, len(token_ids))
        self.token_ids = token_ids
        self.n_tokens = n = len(token_ids)
        self.unigram = np.full(n + 1, -1, dtype=np.int64)  # last slot: unknown token
        keys, cols = [], []
        for parts, col in split:
            if len(parts) == 1:
                self.unigram[token_ids[parts[0]]] = col
            else:
                keys.append(token_ids[parts[0]] * n + token_ids[parts[1]])
                cols.append(col)
        order = np.argsort(keys)
        self.bigram_keys = np.asarray(keys, dtype=np.int64)[order]
        self.bigram_cols = np.asarray(cols, dtype=np.int64)[order]


class WordNgramTfidf(TfidfVectorizer):
    """`TfidfVectorizer` for word unigrams and bigrams whose `transform` counts in arrays.

    Fitting is scikit-learn's own. In `transform`, each whitespace-separated chunk of a text is
    tokenised once and remembered as token ids, and bigram columns are found by a sorted-array
    search over (token, next token) id pairs instead of joining and hashing every pair as a
    string. Both rest on tokens never containing whitespace, true of our token pattern and
    scikit-learn's default: a text's tokens are then its chunks' tokens in order, and a bigram
    splits at its one space. Any other configuration (another token pattern, stop words, a
    custom tokenizer or analyzer, n-grams longer than two) uses scikit-learn's counting.
    """

    max_cached_chunks = 200_000
    # Token patterns whose tokens never contain whitespace.
    _SPACELESS_PATTERNS = frozenset({r"(?u)\b\w\w+\b", r"(?u)\b\w[\w']*\b"})

    def __getstate__(self) -> dict[str, Any]:
        """The pair lookup is pickled with the model (building it is ~0.1 s of a cold start);
        the chunk cache, which grows with traffic, is not."""
        state = super().__getstate__()
        state.pop("_chunk_cache", None)
        return state

    def fit(self, raw_documents: Iterable[str], y: object = None) -> WordNgramTfidf:
        super().fit(raw_documents, y)
        self._lookup()
        return self

    def fit_transform(self, raw_documents: Iterable[str], y: object = None) -> Any:
        X = super().fit_transform(raw_documents, y)
        self._lookup()
        return X

    def _fast_path(self) -> bool:
        return (
            self.analyzer == "word"
            and self.tokenizer is None
            and self.stop_words is None
            and self.token_pattern in self._SPACELESS_PATTERNS
            and self.ngram_range in ((1, 1), (1, 2), (2, 2))
        )

    def _lookup(self) -> _PairLookup | None:
        """The fitted vocabulary as arrays (None when this configuration has no fast path);
        rebuilt, and the chunk cache emptied, when the vocabulary is not the one it was built
        from."""
        if not self._fast_path():
            return None
        lookup = getattr(self, "_pair_lookup", None)
        cache = getattr(self, "_chunk_cache", None)
        if lookup is None or lookup.vocabulary is not self.vocabulary_:
            lookup = self._pair_lookup = _PairLookup(self.vocabulary_)
            cache = None
        if cache is None or len(cache) > self.max_cached_chunks:
            self._chunk_cache: dict[str, tuple[int, ...]] = {}
        return lookup

    def _token_ids(self, docs: Iterable[str], lookup: _PairLookup) -> tuple[list[int], list[int]]:
        """Every text's token ids, concatenated, and where each text's run ends."""
        preprocess, tokenize, decode = (
            self.build_preprocessor(),
            self.build_tokenizer(),
            self.decode,
        )
        unknown = lookup.n_tokens
        get = lookup.token_ids.get
        ids: list[int] = []
        indptr = [0]
        cache = self._chunk_cache
        extend = ids.extend
        for doc in docs:
            for chunk in preprocess(decode(doc)).split():
                chunk_ids = cache.get(chunk)
                if chunk_ids is None:
                    chunk_ids = cache[chunk] = tuple([get(t, unknown) for t in tokenize(chunk)])
                extend(chunk_ids)
            indptr.append(len(ids))
        return ids, indptr

    def _count_vocab(self, raw_documents: Iterable[str], fixed_vocab: bool) -> Any:
        lookup = self._lookup() if fixed_vocab else None
        if lookup is None:
            return super()._count_vocab(raw_documents, fixed_vocab)
        unknown = lookup.n_tokens
        ids, indptr = self._token_ids(raw_documents, lookup)
        tok = np.asarray(ids, dtype=np.int64)
        n_docs = len(indptr) - 1
        row = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(indptr))
        rows, cols = [], []
        min_n, max_n = self.ngram_range
        if min_n == 1:
            col = lookup.unigram[tok]
            keep = col >= 0
            rows.append(row[keep])
            cols.append(col[keep])
        if max_n == 2 and tok.size > 1 and lookup.bigram_keys.size:
            a, b = tok[:-1], tok[1:]
            known = (row[:-1] == row[1:]) & (a < unknown) & (b < unknown)
            key = a[known] * lookup.n_tokens + b[known]
            pos = np.searchsorted(lookup.bigram_keys, key)
            pos[pos == lookup.bigram_keys.size] = 0
            hit = lookup.bigram_keys[pos] == key
            rows.append(row[:-1][known][hit])
            cols.append(lookup.bigram_cols[pos[hit]])
        r = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
        c = np.concatenate(cols) if cols else np.empty(0, dtype=np.int64)
        X = sparse.csr_array(
            (np.ones(r.size, dtype=self.dtype), (r, c)),
            shape=(n_docs, len(self.vocabulary_)),
        )
        X.sum_duplicates()
        return self.vocabulary_, _align_api_if_sparse(X)


def tfidf_transform(vectorizer: TfidfVectorizer, docs: list[str]) -> sparse.csr_matrix:
    """`vectorizer.transform(docs)` for a fitted TfidfVectorizer, without scikit-learn's per-call
    checks: the same steps in the same dtype, so the same numbers (tests hold it to that).

    For one referral those checks (input validation, fitted checks, tags) cost more than the
    counting: ~1 ms of a single triage went to them."""
    _, X = vectorizer._count_vocab(docs, fixed_vocab=True)
    X = sparse.csr_matrix(X)
    if vectorizer.binary:
        X.data.fill(1)
    tfidf = vectorizer._tfidf
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    if tfidf.sublinear_tf:
        np.log(X.data, X.data)
        X.data += 1.0
    if hasattr(tfidf, "idf_"):
        X.data *= tfidf.idf_[X.indices]
    if tfidf.norm == "l2":
        inplace_csr_row_normalize_l2(X)
    elif tfidf.norm is not None:
        X = sparse.csr_matrix(normalize(X, norm=tfidf.norm, copy=False))
    return X
