"""Near-duplicate text: MinHash signatures over character shingles, LSH banding for candidates.

Only pairs that share a band are compared, so 10,000 records cost about a second here, not the
50 million comparisons of all pairs. Candidates are confirmed with the exact Jaccard similarity
of their shingle sets.

`word_grams` and `WordIndex` answer the streaming question (is this one new text close to one already
kept?) with word 3-grams, which see a short repeated phrase ("This is really great!") the way a
reader does: the same words in the same order, whatever the case and punctuation.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

import numpy as np

SHINGLE = 5
PERMUTATIONS = 64
BANDS = 16  # 16 bands x 4 rows: pairs above ~0.6 Jaccard are found with high probability
MAX_BUCKET = 150
_PRIME = (1 << 61) - 1
_MASK = (1 << 61) - 1


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    """Hashed character k-grams. Python's str hash is fast and stable within a process, which is
    all a comparison inside one call needs."""
    norm = " ".join(text.lower().split())
    if len(norm) <= k:
        return {hash(norm) & _MASK} if norm else set()
    return {hash(norm[i : i + k]) & _MASK for i in range(len(norm) - k + 1)}


def near_duplicate_pairs(texts: list[str], threshold: float = 0.8, seed: int = 1) -> list[tuple[int, int, float]]:
    """(i, j, jaccard) for every pair of texts with shingle Jaccard similarity >= threshold."""
    sets = [shingles(t) for t in texts]
    n = len(sets)
    rng = np.random.default_rng(seed)
    a = rng.integers(1, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
    rows = PERMUTATIONS // BANDS
    signatures = np.zeros((n, PERMUTATIONS), dtype=np.uint64)
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for idx, sh in enumerate(sets):
        if not sh:
            continue
        values = np.fromiter(sh, dtype=np.uint64, count=len(sh))
        # (a*x + b) mod p on uint64 wraps around; that is fine for hashing purposes
        signatures[idx] = ((np.outer(a, values) + b[:, None]) % np.uint64(_PRIME)).min(axis=1)
        for band in range(BANDS):
            buckets[(band, signatures[idx, band * rows : (band + 1) * rows].tobytes())].append(idx)
    chunks = []
    for members in buckets.values():
        if len(members) > 1:
            m = np.asarray(members[:MAX_BUCKET], dtype=np.int64)  # huge buckets mean near-constant text
            i, j = np.triu_indices(len(m), k=1)
            chunks.append(m[i] * n + m[j])
    if not chunks:
        return []
    keys = np.unique(np.concatenate(chunks))
    left, right = keys // n, keys % n
    # Estimate similarity from the signatures, then confirm the likely pairs exactly.
    estimate = (signatures[left] == signatures[right]).mean(axis=1)
    likely = estimate >= threshold - 0.15
    pairs = []
    for i, j in zip(left[likely].tolist(), right[likely].tolist(), strict=True):
        jaccard = len(sets[i] & sets[j]) / len(sets[i] | sets[j])
        if jaccard >= threshold:
            pairs.append((i, j, round(jaccard, 4)))
    return sorted(pairs)


WORD_N = 3
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def word_grams(text: str, n: int = WORD_N) -> frozenset[tuple[str, ...]]:
    """The text's word n-grams, case and punctuation aside; a text of fewer than n words is one gram."""
    tokens = _WORD.findall(text.lower())
    if len(tokens) < n:
        return frozenset([tuple(tokens)]) if tokens else frozenset()
    return frozenset(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


class WordIndex:
    """Texts kept so far, indexed by word 3-gram: `closest` finds the most similar one in time
    proportional to the new text's grams and the texts sharing them, not to all texts kept."""

    def __init__(self) -> None:
        self.sets: list[frozenset[tuple[str, ...]]] = []
        self.texts: list[str] = []
        self.by_gram: dict[tuple[str, ...], list[int]] = defaultdict(list)

    def add(self, text: str) -> None:
        grams = word_grams(text)
        if not grams:
            return
        idx = len(self.sets)
        self.sets.append(grams)
        self.texts.append(text)
        for gram in grams:
            self.by_gram[gram].append(idx)

    def closest(self, text: str, threshold: float = 0.0) -> tuple[float, str | None]:
        """(word 3-gram Jaccard, the kept text) of the most similar kept text at or above `threshold`;
        (0, None) when there is none. Only texts holding one of the new text's rarest grams can reach
        the threshold (J >= t needs t of its grams shared), so common phrases are never scanned."""
        grams = word_grams(text)
        if not grams or not self.sets:
            return 0.0, None
        ranked = sorted(grams, key=lambda g: len(self.by_gram.get(g, ())))
        keep = len(ranked) - math.ceil(threshold * len(ranked)) + 1 if threshold > 0 else len(ranked)
        candidates = {i for gram in ranked[: max(1, keep)] for i in self.by_gram.get(gram, ())}
        best, best_idx = 0.0, None
        for idx in candidates:
            other = self.sets[idx]
            common = len(grams & other)
            jaccard = common / (len(grams) + len(other) - common)
            if jaccard > best:
                best, best_idx = jaccard, idx
        if best_idx is None or best < threshold:
            return 0.0, None
        return best, self.texts[best_idx]
