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


def _as_read(vectorizer: TfidfVectorizer, docs: Iterable[str]) -> Iterable[str]:
    """The documents as the analyzer reads them, after `decode` and the preprocessor.

    For a str with input="content", no lower-casing, no accent stripping and no custom
    preprocessor, both return it unchanged; calling them still cost ~0.7 us a document, and the
    risk reader sends every sentence through two vectorizers, so they are skipped then."""
    if (
        vectorizer.input == "content"
        and not vectorizer.lowercase
        and vectorizer.strip_accents is None
        and vectorizer.preprocessor is None
    ):
        docs = list(docs)
        if all(type(d) is str for d in docs):
            return docs
    preprocess, decode = vectorizer.build_preprocessor(), vectorizer.decode
    return [preprocess(decode(d)) for d in docs]


class _WordStore:
    """Every distinct word met in `transform`, with the vocabulary columns of its n-grams.

    One growing CSR (rows: words in order of first sight) rather than an array per word, so a
    batch's words are gathered with a few numpy operations instead of one per word; and word
    -> row lookups go through `map` over a dict, with Python code only for unseen words.
    """

    def __init__(self, vocabulary: dict[str, int]) -> None:
        self.vocabulary = vocabulary
        self.rows: dict[str, int] = {}
        self.indptr = np.zeros(1024, dtype=np.int64)
        self.indices = np.empty(8192, dtype=np.int32)

    def add(self, word: str, grams: list[str]) -> int:
        """Store an unseen word's n-gram columns; returns its row."""
        vocabulary = self.vocabulary
        found = [vocabulary[g] for g in grams if g in vocabulary]
        row = len(self.rows)
        if row + 2 > len(self.indptr):
            self.indptr = np.concatenate([self.indptr, np.zeros_like(self.indptr)])
        start = int(self.indptr[row])
        end = start + len(found)
        if end > len(self.indices):
            grown = np.empty(max(2 * len(self.indices), end), dtype=np.int32)
            grown[:start] = self.indices[:start]
            self.indices = grown
        self.indices[start:end] = found
        self.indptr[row + 1] = end
        self.rows[word] = row
        return row

    def columns(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The n-gram columns of the stored words `rows`, in that order, as CSR (indptr,
        indices): gathered with numpy, one row per entry of `rows`."""
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        at = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return indptr, self.indices[at]


class WordCachedCharTfidf(TfidfVectorizer):
    """`TfidfVectorizer(analyzer="char_wb")` that cuts each distinct word into n-grams once.

    Parameters are TfidfVectorizer's; `analyzer` must be "char_wb" (a callable analyzer or
    another kind falls back to scikit-learn's own counting). `max_cached_words` bounds the
    words kept between `transform` calls, so a long-running service's memory stays flat; they
    are never pickled.
    """

    max_cached_words = 200_000

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_word_store", None)
        return state

    def _store(self) -> _WordStore:
        """The words seen so far; emptied when the vocabulary changes or the store is full."""
        store = getattr(self, "_word_store", None)
        if (
            store is None
            or store.vocabulary is not self.vocabulary_
            or len(store.rows) > self.max_cached_words
        ):
            store = self._word_store = _WordStore(self.vocabulary_)
        return store

    def _count_vocab(self, raw_documents: Iterable[str], fixed_vocab: bool) -> Any:
        if self.analyzer != "char_wb":
            return super()._count_vocab(raw_documents, fixed_vocab)
        if fixed_vocab:
            return self.vocabulary_, _align_api_if_sparse(self._count_fixed(raw_documents))
        return self._count_fit(raw_documents)

    def _count_fit(self, raw_documents: Iterable[str]) -> Any:
        """Counts while fitting: every n-gram seen joins the vocabulary."""
        vocabulary: dict[str, int] = {}
        # Texts x distinct words (counts): sklearn's `_char_wb_ngrams` splits on whitespace too.
        word_ids: dict[str, int] = {}
        d_indices: list[int] = []
        d_indptr = [0]
        for doc in _as_read(self, raw_documents):
            d_indices.extend([word_ids.setdefault(w, len(word_ids)) for w in doc.split()])
            d_indptr.append(len(d_indices))
        w_indices: list[int] = []
        w_indptr = [0]
        for word in word_ids:
            w_indices.extend(
                [vocabulary.setdefault(g, len(vocabulary)) for g in self._char_wb_ngrams(word)]
            )
            w_indptr.append(len(w_indices))
        if not vocabulary:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        # Counts are small whole numbers, exact in any float dtype, so multiply in self.dtype.
        D = sparse.csr_array(
            (np.ones(len(d_indices), dtype=self.dtype), d_indices, d_indptr),
            shape=(len(d_indptr) - 1, len(word_ids)),
        )
        W = sparse.csr_array(
            (np.ones(len(w_indices), dtype=self.dtype), w_indices, w_indptr),
            shape=(len(word_ids), len(vocabulary)),
        )
        X = D @ W
        X.sort_indices()  # scikit-learn returns sorted rows
        return vocabulary, _align_api_if_sparse(X)

    def _count_fixed(self, raw_documents: Iterable[str]) -> sparse.csr_array:
        """Counts over the fitted vocabulary, from the stored words."""
        store = self._store()
        row_of = store.rows.get
        flat: list[int] = []
        d_indptr = [0]
        for doc in _as_read(self, raw_documents):
            words = doc.split()
            rows = list(map(row_of, words))
            if None in rows:
                for k, row in enumerate(rows):
                    if row is None:
                        found = row_of(words[k])  # an unseen word met twice in one text
                        rows[k] = (
                            found
                            if found is not None
                            else store.add(words[k], self._char_wb_ngrams(words[k]))
                        )
            flat.extend(rows)
            d_indptr.append(len(flat))
        n_docs = len(d_indptr) - 1
        word_rows = np.array(flat, dtype=np.int64)
        if len(word_rows) <= self._FEW_WORDS:
            return self._count_few(store, word_rows, d_indptr)
        # The batch's distinct words, in store order, and each occurrence's place among them
        # (a mask over the store: the batch has at least _FEW_WORDS words here).
        n_stored = len(store.rows)
        seen = np.zeros(n_stored, dtype=bool)
        seen[word_rows] = True
        distinct = np.flatnonzero(seen)
        place = np.empty(n_stored, dtype=np.int64)
        place[distinct] = np.arange(len(distinct))
        d_indices = place[word_rows]
        w_indptr, w_indices = store.columns(distinct)
        D = sparse.csr_array(
            (np.ones(len(d_indices), dtype=self.dtype), d_indices, d_indptr),
            shape=(n_docs, len(distinct)),
        )
        W = sparse.csr_array(
            (np.ones(len(w_indices), dtype=self.dtype), w_indices, w_indptr),
            shape=(len(distinct), len(self.vocabulary_)),
        )
        # Texts x n-grams is D @ W; computed as its transpose, whose conversion back to rows
        # (one linear pass) leaves each row's columns sorted, as scikit-learn returns them. The
        # product itself would leave them unsorted, and sorting costs two such passes.
        return (W.T.tocsr() @ D.T.tocsr()).T.tocsr()

    # Up to this many words in a batch, counting with numpy beats building the sparse
    # products, whose fixed costs (~10 us each, six of them) dominate small batches; beyond
    # it, sorting every n-gram costs more. Measured on marked referrals (one vectorizer):
    # 204 words 129 against 438 us, 8,086 words 3.1 against 3.6 ms, 16,120 words even,
    # 66,666 words (a chunk of 512) 35.6 against 22.6 ms.
    _FEW_WORDS = 12_000

    def _count_few(
        self, store: _WordStore, word_rows: np.ndarray, d_indptr: list[int]
    ) -> sparse.csr_array:
        """The same counts for a small batch: every n-gram of every word, (text, column) keys
        sorted and counted once."""
        n_docs, n_cols = len(d_indptr) - 1, len(self.vocabulary_)
        offsets, columns = store.columns(word_rows)
        text_of_word = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(d_indptr))
        keys = np.repeat(text_of_word, np.diff(offsets)) * n_cols + columns
        keys, counts = np.unique(keys, return_counts=True)
        indptr = np.searchsorted(keys, np.arange(n_docs + 1, dtype=np.int64) * n_cols)
        return sparse.csr_array(
            (counts.astype(self.dtype), keys % n_cols, indptr), shape=(n_docs, n_cols)
        )


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
        self.bigram_keys = np.asarray(keys, dtype=np.int64)
        self.bigram_cols = np.asarray(cols, dtype=np.int64)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_table", None)  # rebuilt in milliseconds; not worth megabytes in the pickle
        return state

    def _hash_table(self) -> tuple[np.ndarray, np.ndarray, np.uint64]:
        """Bigram keys in an open-addressing table (linear probing, at most a third full).

        A sorted-array search (what this replaced) costs ~17 dependent memory reads per bigram
        (~100 ns); a lookup here reads about one slot. Built on first use, also for lookups pickled before it."""
        table = getattr(self, "_table", None)
        if table is not None:
            return table
        n = self.bigram_keys.size
        bits = max(4, int(np.ceil(np.log2(3 * n + 1))))
        mask = (1 << bits) - 1
        shift = np.uint64(64 - bits)
        keys = np.full(mask + 1, -1, dtype=np.int64)
        cols = np.zeros(mask + 1, dtype=np.int64)
        pending = np.arange(n)
        slot = _home_slot(self.bigram_keys, shift)
        while pending.size:
            free = np.flatnonzero(keys[slot] == -1)
            # Keys that reach one free slot together: the first takes it, the others move on.
            taken, first = np.unique(slot[free], return_index=True)
            winners = pending[free[first]]
            keys[taken] = self.bigram_keys[winners]
            cols[taken] = self.bigram_cols[winners]
            stay = np.ones(pending.size, dtype=bool)
            stay[free[first]] = False
            pending = pending[stay]
            slot = (slot[stay] + 1) & mask
        self._table = (keys, cols, shift)
        return self._table

    def bigram_columns(self, key: np.ndarray) -> np.ndarray:
        """Column of each (token, next token) key, -1 where the pair is not in the vocabulary."""
        keys, cols, shift = self._hash_table()
        mask = keys.size - 1
        out = np.full(key.size, -1, dtype=np.int64)
        todo = np.arange(key.size)
        slot = _home_slot(key, shift)
        while todo.size:
            found = keys[slot]
            hit = found == key[todo]
            out[todo[hit]] = cols[slot[hit]]
            # An empty slot ends the probe: the pair is not there.
            go_on = ~hit & (found != -1)
            todo = todo[go_on]
            slot = (slot[go_on] + 1) & mask
        return out


# Fibonacci hashing: the top bits of key * 2^64/phi spread consecutive keys over the table.
_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)


def _home_slot(key: np.ndarray, shift: np.uint64) -> np.ndarray:
    return ((key.astype(np.uint64) * _FIBONACCI) >> shift).astype(np.int64)


class WordNgramTfidf(TfidfVectorizer):
    """`TfidfVectorizer` for word unigrams and bigrams whose `transform` counts in arrays.

    Fitting is scikit-learn's own. In `transform`, each whitespace-separated chunk of a text is
    tokenised once and remembered as token ids, and bigram columns are looked up in a numpy
    hash table of (token, next token) id pairs instead of joining and hashing every pair as a
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
        tokenize = self.build_tokenizer()
        unknown = lookup.n_tokens
        get = lookup.token_ids.get
        ids: list[int] = []
        indptr = [0]
        cache = self._chunk_cache
        extend = ids.extend
        for doc in _as_read(self, docs):
            for chunk in doc.split():
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
            found = lookup.bigram_columns(a[known] * lookup.n_tokens + b[known])
            hit = found >= 0
            rows.append(row[:-1][known][hit])
            cols.append(found[hit])
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
