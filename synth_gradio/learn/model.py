"""A fitted model as stored with a run: JSON in, rows out, never a copy of a reference row."""

from __future__ import annotations

import copy
import random
from collections import deque
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.learn.codeforms import taken_texts, write_form_columns, write_forms, written_name
from synth_gradio.learn.hints import CONTEXT, disagreement, hint_context, owners
from synth_gradio.learn.mentions import mention_problem
from synth_gradio.learn.onehot import collapse, expand_columns, expanded
from synth_gradio.learn.parts import Part
from synth_gradio.learn.presence import empty_texts, is_presence
from synth_gradio.learn.privacy import CopyGuard
from synth_gradio.learn.rake import choose
from synth_gradio.learn.repeats import repeat_share
from synth_gradio.learn.sequential import SequentialPart
from synth_gradio.learn.unitnum import as_numbers, as_written, unit_column

FORMAT = "synth_gradio.learn/gaussian-copula"  # kept for every method, so stored runs stay readable
VERSION = 2
READS = (1, 2)  # version 1 stored copula parts only; they still load and draw the same rows
METHODS = {"sequential": "sequential trees", "copula": "gaussian copula"}
BLOCK = 256
COPY_REDRAWS = 5  # tries to redraw a given row's drawn columns when they copy a reference row
MAX_EMPTY_BLOCKS = 20  # blocks in a row that were all copies before sampling gives up
OFFERS = 6  # times in all a row is offered whose record was rejected (then it is let go)
MAX_OUT = 4096  # rows handed out and not yet settled that a sampler remembers
POOL = 3  # a raked draw's pool holds this many times the rows asked for, once copies are left out
SUMMARY_COLUMN_KEYS = ("kind", "null_share", "distinct", "rare_values", "rare_rows")
COLUMN_KEYS = ("name", *SUMMARY_COLUMN_KEYS)
SUMMARY_KEYS = (
    "training_rows",
    "holdout_rows",
    "reference_rows",
    "fit_seconds",
    "copy_share",
    "shared_rows",
    "rare_threshold",
    "method",
    "closeness",
)

RngLike = int | random.Random | np.random.Generator | None


def quotas(shares: np.ndarray, rows: int, rng: np.random.Generator) -> np.ndarray:
    """How many of `rows` each share (summing to 1) gets: its share rounded down, the rows left over
    given one each to shares drawn by their fractions (rows per part, children per parent)."""
    counts = np.floor(shares * rows).astype(int)
    short = rows - int(counts.sum())
    if short:
        spare = shares * rows - counts
        counts[rng.choice(len(counts), short, replace=False, p=spare / spare.sum())] += 1
    return counts


def generator(rng_or_seed: RngLike) -> np.random.Generator:
    """A numpy generator from a seed, a random.Random (which it advances) or a generator."""
    if isinstance(rng_or_seed, np.random.Generator):
        return rng_or_seed
    if isinstance(rng_or_seed, random.Random):
        return np.random.default_rng(rng_or_seed.getrandbits(64))
    return np.random.default_rng(rng_or_seed)


def _part(data: dict[str, Any], names: list[str]) -> Part | SequentialPart:
    """The sampling side of a stored part: a sequential one, or a copula (the only kind version 1 had)."""
    return SequentialPart(data, names) if data.get("kind") == "sequential" else Part(data, names)


class LearnedModel:
    """A Gaussian copula over a table's structured columns; build it with `fit_table` or `from_dict`.

    `columns` are the modelled columns (the keys of every sampled row); `text_columns` are free
    text left to the language model; `id_columns` are keys and identifiers left to the schema.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self._columns: list[dict[str, Any]] = list(data["columns"])
        self._groups: list[dict[str, Any]] = list(data.get("onehot", []))  # exclusive indicators (onehot.py)
        self._units: dict[str, dict[str, Any]] = dict(data.get("units", {}))  # written numbers (unitnum.py)
        self._inner: list[str] = [str(spec["name"]) for spec in self._columns]
        self._written = [  # with presence flags (presence.py), without units written into numbers (unitnum.py)
            name for name in expanded(self._inner, self._groups) if not unit_column(name)
        ]
        self.columns: list[str] = [written_name(c) for c in self._written if not is_presence(c)]
        self._forms: dict[str, dict[str, Any]] = data.get("forms", {})  # codes learned by form (codeforms.py)
        self._taken = taken_texts(self._forms)  # real texts a template's digits are drawn again for
        self.text_columns: list[str] = [str(c) for c in data["text_columns"]]
        self.id_columns: list[str] = [str(c) for c in data["id_columns"]]
        self.hints: dict[str, Any] = data.get("hints", {})  # names per category for the text (hints.py)
        self._owners = owners(self.hints)
        self._mentions: dict[str, dict[str, list[str]]] = data.get("mentions", {})  # categories texts name
        self.method = str(data.get("method", "copula"))
        if self.method not in METHODS:
            raise ValueError(f"it was learned with an unknown method {self.method!r}")
        self._parts = [_part(part, self._inner) for part in data["parts"]]
        weights = np.asarray([float(part["weight"]) for part in data["parts"]])
        if not len(weights) or np.any(weights < 0) or not np.isclose(weights.sum(), 1.0):
            raise ValueError("the part weights do not add up to 1")
        self._weights = weights / weights.sum()
        self._guard = CopyGuard.from_dict(data["copies"])
        aside = set(data.get("aside", []))  # columns the guard does not see (fit_table's `aside`)
        self._guarded = [i for i, name in enumerate(self._inner) if name not in aside]

    @classmethod
    def from_dict(cls, data: Any) -> LearnedModel:
        """A model from its stored JSON; anything unreadable is an InputError saying so."""
        try:
            if not isinstance(data, dict):
                raise TypeError(f"expected an object, got {type(data).__name__}")
            if data.get("format") != FORMAT:
                raise ValueError(f"it is not a {FORMAT} model")
            if data.get("version") not in READS:
                raise ValueError(f"it has format version {data.get('version')!r}; this version reads {READS}")
            return cls(copy.deepcopy(data))
        except Exception as exc:  # any failure to rebuild stored data means the same thing to the user
            detail = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
            raise InputError(
                f"the stored model of this run cannot be read ({detail}); learn it again from the file"
            ) from None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-serialisable model (no reference rows; salted row digests for the copy check)."""
        return copy.deepcopy(self._data)

    def add_note(self, note: str, *, warn: bool = False) -> None:
        """A sentence the summary shows beside the fit's own (why this model was kept); `warn` for one
        the user should act on before relying on the rows (the interfaces show those apart)."""
        self._data.setdefault("notes", []).append(note)
        if warn:
            self._data.setdefault("warnings", []).append(note)

    @property
    def warnings(self) -> list[str]:
        return list(self._data.get("warnings", []))

    def summary(self) -> dict[str, Any]:
        """What the UI may store and show: per-column kinds, nulls, distinct counts, merged rare values."""
        out: dict[str, Any] = {"model": METHODS[self.method], "version": self._data.get("version", VERSION)}
        out.update({key: self._data.get(key) for key in SUMMARY_KEYS})
        out["columns"] = {
            written_name(spec["name"]): {k: spec[k] for k in SUMMARY_COLUMN_KEYS}
            for spec in self._columns
            if not is_presence(spec["name"])  # a flag of its text column, which the summary lists apart
            and not unit_column(spec["name"])  # a number's unit, written into it
        }
        out["segment"] = self._data.get("segment")
        out["text_columns"] = list(self.text_columns)
        out["id_columns"] = list(self.id_columns)
        out["skipped"] = dict(self._data.get("skipped", {}))
        out["notes"] = list(self._data.get("notes", []))
        return out

    @property
    def presence_flags(self) -> list[str]:
        """The `#has:<text>` columns a draw holds before it is written (presence.py)."""
        return [name for name in self._written if is_presence(name)]

    @property
    def whole_columns(self) -> set[str]:
        """Columns drawn as whole numbers: a related table's frame holds them as floats beside gaps."""
        specs = [spec for part in self._data["parts"] for spec in part.get("columns", []) if isinstance(spec, dict)]
        return {written_name(str(spec["name"])) for spec in specs if spec.get("integer")}

    @property
    def form_columns(self) -> list[str]:
        """Columns of codes written from a drawn form (codeforms.py), by their written names."""
        return list(self._forms)

    def draw(self, rows: int, rng: np.random.Generator, flags: bool = False) -> tuple[list[dict[str, Any]], int]:
        """Up to `rows` new rows (copies of reference rows removed) and how many were removed;
        `flags`: each text's presence kept as its flag (a related table writes it later)."""
        kept, removed = self.draw_inner(rows, rng)
        if (self._groups or self._units) and kept:
            values = self._outward(dict(zip(self._inner, map(list, zip(*kept, strict=True)), strict=True)))
            kept = list(zip(*values.values(), strict=True))
        names = self._written
        out = [dict(zip(names, row, strict=True)) for row in kept]
        write_forms(out, self._forms, rng, self._taken)
        return (out if flags else empty_texts(out, names)), removed

    def draw_inner(self, rows: int, rng: np.random.Generator, rake: float | None = None) -> tuple[list[tuple], int]:
        """`draw`'s rows as tuples of the modelled columns, before they are written out.

        Where draws often copy a reference row, and the fit found it keeps rows no closer to real
        ones (`rake`, stored: how far to go, 0 to 1), the rows are chosen from a larger pool so that
        leaving the copies out does not bend the table (rake.py); the removed count is then scaled.
        """
        share = float(self._data.get("copy_share") or 0.0)
        strength = float(self._data.get("rake") or 0.0) if rake is None else rake
        pool = int(np.ceil(rows * POOL / (1 - share))) if strength > 0 and share < 1 else rows
        counts = quotas(self._weights, pool, rng)
        columns: list[list[Any]] = [[] for _ in self._inner]
        for part, count in zip(self._parts, counts.tolist(), strict=True):
            if count:
                for column, values in zip(columns, part.draw(count, rng), strict=True):
                    column.extend(values)
        copied = self._seen(columns)
        if self._data.get("mend") and any(copied):  # absent in models stored before: copies left out
            copied = self._mend(columns, copied, rng)
        if len(self._parts) > 1:
            order = rng.permutation(len(copied)).tolist()
            columns, copied = [[c[i] for i in order] for c in columns], [copied[i] for i in order]
        drawn = list(zip(*columns, strict=True))
        if pool > rows:
            chosen = choose(columns, copied, rows, rng, strength)
            return [drawn[i] for i in chosen], round(sum(copied) * rows / pool)
        kept = [row for row, seen in zip(drawn, copied, strict=True) if not seen]
        return kept, rows - len(kept)

    def _mend(self, columns: list[list[Any]], copied: list[bool], rng: np.random.Generator) -> list[bool]:
        """Rows that copy a reference row get their last drawn number drawn again, given the rest.

        Why: leaving copies out removes the commonest combinations, which are the ones real rows
        repeat. On statsmodels' randhie a quarter of people have no incentive payment, and their
        draws were mostly copies: 14% of kept rows had none (20% now). A copy whose last number (a visit
        count, a log of a payment) is drawn again keeps everything the model drew before it.
        """
        part = self._parts[0]
        if len(self._parts) != 1 or not isinstance(part, SequentialPart) or part.mend_column is None:
            return copied
        target = part.mend_column
        for _ in range(COPY_REDRAWS):
            rows = [i for i, seen in enumerate(copied) if seen]
            if not rows:
                break
            known = {
                k: pd.Series([column[i] for i in rows], dtype=object) for k, column in enumerate(columns) if k != target
            }
            again = part.draw(len(rows), rng, known)[target]
            for i, value in zip(rows, again, strict=True):
                columns[target][i] = value
            still = self._seen([[column[i] for i in rows] for column in columns])
            for i, seen in zip(rows, still, strict=True):
                copied[i] = seen
        return copied

    def draw_given(self, given: pd.DataFrame, rng_or_seed: RngLike = None) -> list[dict[str, Any]]:
        """One row per row of `given`, its columns kept and the others drawn conditioned on them.

        Only a model fitted with those columns `given` (fit_table) conditions on them; columns of
        `given` the model does not have are ignored. A row that copies a reference row has its
        drawn columns redrawn (a few times; the given ones cannot change).
        """
        return self.draw_given_frame(given, rng_or_seed).to_dict("records")

    def draw_given_frame(
        self, given: pd.DataFrame, rng_or_seed: RngLike = None, present: tuple[str, ...] = ()
    ) -> pd.DataFrame:
        """`draw_given` as a frame of the model's columns (no per-row dicts: related tables draw many);
        columns named in `present` are drawn with a value, never null."""
        rng = generator(rng_or_seed)
        part = self._parts[0]
        if not isinstance(part, SequentialPart) or len(self._parts) != 1:
            raise InputError("this learned model was not fitted to be given columns; learn it again")
        given = as_numbers(given, self._units)
        known = {self._inner.index(c): given[c] for c in given.columns if c in self._inner}
        keep = frozenset(self._inner.index(c) for c in present if c in self._inner)
        columns = part.draw(len(given), rng, known, keep)
        for _ in range(COPY_REDRAWS):
            copies = [i for i, seen in enumerate(self._seen(columns)) if seen]
            if not copies:
                break
            again = part.draw(len(copies), rng, {k: v.iloc[copies] for k, v in known.items()}, keep)
            for column, values in zip(columns, again, strict=True):
                for i, value in zip(copies, values, strict=True):
                    column[i] = value
        values = write_form_columns(
            self._outward(dict(zip(self._inner, columns, strict=True))), self._forms, rng, self._taken
        )
        return pd.DataFrame({name: pd.Series(column, dtype=object) for name, column in values.items()})

    def _outward(self, columns: dict[str, list[Any]]) -> dict[str, list[Any]]:
        """Drawn columns as a row is written: indicator groups expanded, written numbers written."""
        return as_written(expand_columns(columns, self._groups), self._units)

    def written(self, frame: pd.DataFrame) -> dict[str, list[Any]]:
        """Reference values of the model's columns in `frame`, written the way sampled values are.

        A sequential model's one part holds the whole table's marginals (the model's own column
        list is trimmed to what a summary shows); a segmented copula's parts hold segment marginals.
        """
        from synth_gradio.learn.marginals import written_columns

        if self.method != "sequential":
            raise InputError("only a sequential model writes reference values; learn it with given columns")
        frame = as_numbers(frame, self._units)
        if self._groups and all(m in frame for g in self._groups for m in g["members"]):
            return self._outward(written_columns(self._data["parts"][0]["columns"], collapse(frame, self._groups)))
        return as_written(written_columns(self._data["parts"][0]["columns"], frame), self._units)

    def sample(self, n: int, rng_or_seed: RngLike = None, flags: bool = False) -> list[dict[str, Any]]:
        """`n` records (int, float, str, bool or None values; dates in the reference's format);
        `flags` as `draw`'s."""
        rng = generator(rng_or_seed)
        out: list[dict[str, Any]] = []
        empty = 0
        while len(out) < n:
            need = n - len(out)
            rows, _ = self.draw(min(need + need // 10 + 8, 100_000), rng, flags)
            empty = 0 if rows else empty + 1
            if empty >= MAX_EMPTY_BLOCKS:
                raise self.exhausted()
            out.extend(rows[:need])
        return out

    def sampler(self, seed: int | None = None, block: int = BLOCK) -> RowSampler:
        """A per-record source of rows that draws `block` rows at a time."""
        return RowSampler(self, seed, block)

    def _seen(self, columns: list[list[Any]]) -> list[bool]:
        """Whether each drawn row (inner columns) copies a reference row in the columns the guard sees."""
        if not self._guarded:  # every column aside (an entity's count of steps alone): nothing to copy
            return [False] * (len(columns[0]) if columns else 0)
        return self._guard.seen_rows([columns[i] for i in self._guarded])

    def about(self, row: dict[str, Any], rng: random.Random) -> dict[str, Any]:
        """What the language model is shown beside a row: names real rows of its category use (hints.py)."""
        return hint_context(self.hints, row, rng)

    def disagrees(self, record: dict[str, Any]) -> str | None:
        """Why a written record's text names another category's line (hints.py) or another value of a
        category its texts name (mentions.py), or None."""
        why = disagreement(self.hints, self._owners, record) if self.hints else None
        return why or (mention_problem(self._mentions, record) if self._mentions else None)

    def repeat_share(self, n: int) -> float:
        """The share of n rows that repeat an earlier one in a real table of n rows (repeats.py)."""
        return repeat_share(self._data.get("repeats", []), n)

    def exhausted(self, share: float = 1.0) -> InputError:
        """The error for a model whose draws are (nearly) all copies of reference rows."""
        names = ", ".join(self.columns[:8])
        return InputError(
            f"{share:.0%} of the rows drawn for the columns {names} are exact copies of reference rows; these "
            "columns have too few combinations to make new rows without copying (add columns, or use a schema)"
        )


class RowSampler:
    """Rows one at a time for a per-record planner; the same seed (or rng sequence) gives the same rows.

    Blocks are drawn with numpy seeded from `rng.getrandbits(64)` of the random.Random passed to
    `next_row` (or of the sampler's own one, seeded with `seed`, when none is passed). A row whose
    record was rejected (`settle`) is offered again, up to OFFERS times in all: dropping it instead
    leaves out the rows whose text the model finds hard (a maker's names the agreement check
    refuses), and the kept rows lean away from those categories.
    """

    def __init__(self, model: LearnedModel, seed: int | None, block: int) -> None:
        self.model = model
        self.block = max(1, int(block))
        self._rng = random.Random(seed)
        self._buffer: deque[dict[str, Any]] = deque()
        self._again: deque[tuple[dict[str, Any], int]] = deque()  # rejected rows and their offers so far
        self._offers: dict[int, tuple[dict[str, Any], int]] = {}  # id of a row handed out -> (row, offers)

    def next_row(self, rng: random.Random | None = None) -> dict[str, Any]:
        """The next sampled row (a fresh dict the caller may change)."""
        source = rng if rng is not None else self._rng
        if self._again:
            row, offers = self._again.popleft()
        else:
            row, offers = self._fresh(source), 0
        out = dict(row)
        if self.model.hints and (about := self.model.about(row, source)):
            out[CONTEXT] = about
        self._offers[id(out)] = (row, offers + 1)
        if len(self._offers) > MAX_OUT:  # rows handed out and never settled (a redraw for a unique value)
            del self._offers[next(iter(self._offers))]
        return out

    def settle(self, row: dict[str, Any], accepted: bool, record: dict[str, Any] | None = None) -> None:
        """A rejected row goes back to be offered first (while it has offers left)."""
        del record  # a flat row shows nothing of its record to the next one
        plain, offers = self._offers.pop(id(row), (None, 0))
        if plain is not None and not accepted and offers < OFFERS:
            self._again.append((plain, offers))

    def _fresh(self, source: random.Random) -> dict[str, Any]:
        empty = 0
        while not self._buffer:
            rows, _ = self.model.draw(self.block, np.random.default_rng(source.getrandbits(64)))
            self._buffer.extend(rows)
            empty = 0 if rows else empty + 1
            if empty >= MAX_EMPTY_BLOCKS:
                raise self.model.exhausted()
        return self._buffer.popleft()

    __call__ = next_row
