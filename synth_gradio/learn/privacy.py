"""The deterministic holdout split and the salted row hashes behind "never copy a reference row".

Holdout: each row's side is decided by an unsalted hash of its content, so the same file always
splits the same way without any row index being stored. The second and later copies of a row
hash with their number of the copy: identical rows are different people, and when they all fell
on one side a table of few distinct rows (a panel's people, known by schooling and ethnicity
alone) lost whole combinations from its training rows (education 14 and 16: 10% of the people
each, 1.5% and 2% of the training rows). How close a holdout row sits is then measured to the
nearest training row that differs from it (closeness.py, quality/holdout.py).

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
CHUNK = 65_536  # rows written out at a time
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


def _plain_column(series: pd.Series) -> list[str]:
    """`_plain_text` of every value of a column, with the common dtypes written without a call per value."""
    values = series.tolist()
    kind = series.dtype.kind if isinstance(series.dtype, np.dtype) else "O"
    if kind in "iub":
        return list(map(str, values))
    if kind == "f":
        return ["\x00" if v != v else str(int(v)) if v.is_integer() else str(v) for v in values]
    return [_plain_text(v) for v in values]


def row_fraction(frame: pd.DataFrame) -> np.ndarray:
    """Each row's content hash as a number in [0, 1); the n-th copy of a row (n >= 1) hashes its
    content with n, so copies spread over both sides while a table without copies splits as before."""
    out = np.empty(len(frame))
    blake2b = hashlib.blake2b
    seen: dict[bytes, int] = {}  # copies so far of each content digest
    for start in range(0, len(frame), CHUNK):  # a chunk's texts at a time: a million rows' would take gigabytes
        block = frame.iloc[start : start + CHUNK]
        texts = [_plain_column(block.iloc[:, k]) for k in range(block.shape[1])]
        for i, row in enumerate(zip(*texts, strict=True) if texts else [()] * len(block), start):
            text = SEP.join(row).encode("utf-8", "surrogatepass")
            digest = blake2b(text, digest_size=DIGEST).digest()
            copy = seen.get(digest, 0)
            seen[digest] = copy + 1
            if copy:
                digest = blake2b(text + f"{SEP}copy {copy}".encode(), digest_size=DIGEST).digest()
            out[i] = int.from_bytes(digest, "big") / 2.0**64
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


def _tag(v: Any) -> str:
    if v is None:
        return "n"
    if isinstance(v, bool):
        return "b1" if v else "b0"
    if isinstance(v, int):
        return f"i{v}"
    if isinstance(v, float):
        return f"f{v!r}"
    return f"s{v}"


# the exact Python types, tagged without the isinstance chain (a subclass, e.g. numpy's float64, takes _tag)
_TAGS = {
    type(None): lambda v: "n",
    bool: lambda v: "b1" if v else "b0",
    int: lambda v: f"i{v}",
    float: lambda v: f"f{v!r}",
    str: lambda v: f"s{v}",
}


def _tagged(values: Iterable[Any]) -> list[str]:
    return [_TAGS.get(type(v), _tag)(v) for v in values]


def canonical(values: Sequence[Any]) -> bytes:
    """Type-tagged text of a row of sampled-form values (so 1, 1.0, "1" and True all differ)."""
    return SEP.join(_tagged(values)).encode("utf-8", "surrogatepass")


def _kept(counts: Counter[bytes], shared: int) -> set[bytes]:
    return {d for d, count in counts.items() if shared <= 0 or count < shared}


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
        guard.digests = _kept(Counter(guard.digest(row) for row in rows), shared)
        return guard

    @classmethod
    def from_columns(cls, columns: Sequence[Sequence[Any]], shared: int = 0) -> CopyGuard:
        """`build` over the rows these equally long columns form, tagged a column at a time (faster)."""
        guard = cls(secrets.token_bytes(16), ())
        guard.digests = _kept(Counter(guard.column_digests(columns)), shared)
        return guard

    def digest(self, row: Sequence[Any]) -> bytes:
        return hashlib.blake2b(canonical(row), digest_size=DIGEST, key=self.salt).digest()

    def column_digests(self, columns: Sequence[Sequence[Any]]) -> list[bytes]:
        """The digest of each row the columns form."""
        blake2b, salt, out = hashlib.blake2b, self.salt, []
        for start in range(0, len(columns[0]) if columns else 0, CHUNK):
            tagged = [_tagged(column[start : start + CHUNK]) for column in columns]
            out.extend(
                blake2b(SEP.join(row).encode("utf-8", "surrogatepass"), digest_size=DIGEST, key=salt).digest()
                for row in zip(*tagged, strict=True)
            )
        return out

    def seen(self, row: Sequence[Any]) -> bool:
        return self.digest(row) in self.digests

    def seen_rows(self, columns: Sequence[Sequence[Any]]) -> list[bool]:
        """Whether each row the columns form copies a reference row."""
        return [d in self.digests for d in self.column_digests(columns)]

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
