"""The deterministic holdout split and the salted row hashes behind "never copy a reference row".

Holdout: each row's side is decided by an unsalted hash of its content, so the same file always
splits the same way without any row index being stored, and duplicate rows fall on the same side.

Copies: the model keeps a keyed BLAKE2b digest (8 bytes, random 16-byte key per model) of every
reference row, training and holdout, written exactly as sampled rows are written. A sampled row
whose digest is among them is redrawn. (With `shared_rows` = k, only combinations that fewer than k
reference rows share are kept, so common combinations may be reproduced: k-anonymity.) The digests are not the rows, but they are not secret
either: whoever holds the stored model holds the key, and can test whether a row they can guess
was in the reference. For rows of few low-cardinality values (a handful of categories and small
integers) guessing is cheap, so a stored model reveals membership of such rows; treat it with the
same care as a summary of the data, not as anonymous.
"""

from __future__ import annotations

import base64
import hashlib
import math
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

DIGEST = 8
SEP = "\x1f"


def _plain_text(value: Any) -> str:
    """A value written the same way whatever the file format made of it (1 and 1.0 agree)."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "\x00"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


def row_fraction(frame: pd.DataFrame) -> np.ndarray:
    """Each row's content hash as a number in [0, 1); equal rows get equal numbers."""
    out = np.empty(len(frame))
    for i, row in enumerate(frame.itertuples(index=False, name=None)):
        text = SEP.join(_plain_text(v) for v in row).encode("utf-8", "surrogatepass")
        out[i] = int.from_bytes(hashlib.blake2b(text, digest_size=DIGEST).digest(), "big") / 2.0**64
    return out


def holdout_mask(frame: pd.DataFrame, share: float = 0.2) -> np.ndarray:
    """True for the rows held out from fitting (about `share` of them), decided by row content."""
    if not 0.0 <= share < 1.0:
        raise ValueError("share must be in [0, 1)")
    return row_fraction(frame) < share


def split_reference(frame: pd.DataFrame, share: float = 0.2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(training rows, holdout rows) of a reference table; pass the whole table, all its columns."""
    mask = holdout_mask(frame, share)
    return frame[~mask], frame[mask]


def canonical(values: Sequence[Any]) -> bytes:
    """Type-tagged text of a row of sampled-form values (so 1, 1.0, "1" and True all differ)."""
    parts = []
    for v in values:
        if v is None:
            parts.append("n")
        elif isinstance(v, bool):
            parts.append("b1" if v else "b0")
        elif isinstance(v, int):
            parts.append(f"i{v}")
        elif isinstance(v, float):
            parts.append(f"f{v!r}")
        else:
            parts.append(f"s{v}")
    return SEP.join(parts).encode("utf-8", "surrogatepass")


class CopyGuard:
    """Keyed digests of reference rows; `seen(row)` says whether a sampled row copies one."""

    def __init__(self, salt: bytes, digests: Iterable[bytes]) -> None:
        self.salt = salt
        self.digests = set(digests)

    @classmethod
    def build(cls, rows: Iterable[Sequence[Any]], shared: int = 0) -> CopyGuard:
        """Digests of `rows`; with `shared` > 0, only of value combinations fewer rows than that share.

        A combination that many reference rows share singles out nobody (k-anonymity, with k =
        `shared`), so it may be reproduced like any frequent category; rarer ones never are.
        """
        guard = cls(secrets.token_bytes(16), ())
        counts = Counter(guard.digest(row) for row in rows)
        guard.digests = {d for d, count in counts.items() if shared <= 0 or count < shared}
        return guard

    def digest(self, row: Sequence[Any]) -> bytes:
        return hashlib.blake2b(canonical(row), digest_size=DIGEST, key=self.salt).digest()

    def seen(self, row: Sequence[Any]) -> bool:
        return self.digest(row) in self.digests

    def to_dict(self) -> dict[str, Any]:
        packed = b"".join(sorted(self.digests))
        return {"salt": self.salt.hex(), "digests": base64.b64encode(packed).decode("ascii")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CopyGuard:
        packed = base64.b64decode(data["digests"], validate=True)
        if len(packed) % DIGEST:
            raise ValueError("the row digests are truncated")
        salt = bytes.fromhex(data["salt"])
        return cls(salt, (packed[i : i + DIGEST] for i in range(0, len(packed), DIGEST)))
