"""The per-record LLM judge: a second model pass that rates a record's consistency and realism.

The engine calls `Judge.judge(schema, record)` for every record that passed every other check; a
score below the threshold rejects the record as "judge: <reason>". Any backend can judge (the bundled
model, a remote OpenAI-compatible, HF or Ollama endpoint, a GPU transformers model): the verdict is
asked for as grammar-constrained JSON (see engine/judge_prompt.py) and read by the same parser as
records. An unusable verdict is asked for once more (sampled, not greedy) and then the judge fails
with a BackendError; backend failures (an unreachable server, a rejected key) propagate as they are.
Messages carry no record text beyond the judge's own short reason, and never a key.
"""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from synth_gradio.backends.base import Backend, Completion, CompletionRequest, GenerationParams
from synth_gradio.engine.judge_prompt import (
    Rubric,
    build_prefix,
    build_suffix,
    max_tokens,
    parse_rubric,
    verdict_schema,
)
from synth_gradio.engine.parse import parse_object
from synth_gradio.errors import BackendError, BackendResponseError, InputError
from synth_gradio.logs.redact import redact
from synth_gradio.quality.judging import JudgeTally, read_verdict, verdict_score
from synth_gradio.schema.model import Schema

DEFAULT_THRESHOLD = 0.5
_COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
NO_VERDICT_HINT = (
    "Choose a stronger judge model, or a judge backend that supports JSON output (structured output or a grammar)."
)


@dataclass(frozen=True)
class Verdict:
    passed: bool
    score: float  # 0..1, higher is better
    reason: str  # one short sentence (goes into the reject reason "judge: <reason>")
    ratings: dict[str, float] = field(default_factory=dict)


def check_threshold(threshold: Any) -> float:
    """The threshold as a float in 0..1, or an InputError saying what was given."""
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise InputError(f"the judge threshold must be a number between 0 and 1, got {threshold!r}")
    if not math.isfinite(threshold) or not 0.0 <= threshold <= 1.0:
        raise InputError(f"the judge threshold must be between 0 and 1, got {threshold:g}")
    return float(threshold)


def check_column(column: Any) -> str | None:
    """The export column's name (None or blank: no column)."""
    if column is None:
        return None
    if not isinstance(column, str):
        raise InputError(f"the judge column must be a name, got {type(column).__name__}")
    name = column.strip()
    if name and not _COLUMN.match(name):
        raise InputError(f"the judge column must be letters, digits and underscores (up to 64), got {column!r}")
    return name or None


class Judge:
    """Scores records with `backend` against a rubric; `threshold` (0..1) decides pass or reject.

    `column`: when set, the engine stores each accepted record's score under this key. `stats()` is
    what the run keeps in its quality metrics.
    """

    def __init__(
        self,
        backend: Backend,
        rubric: str | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        column: str | None = None,
    ) -> None:
        self.rubric: Rubric = parse_rubric(rubric)
        self.threshold = check_threshold(threshold)
        self.column = check_column(column)
        self.backend = backend
        self.schema = verdict_schema(self.rubric)
        self.max_tokens = max_tokens(self.rubric)
        self.tally = JudgeTally(self.threshold)
        self._prefix: tuple[int, str] | None = None  # (id of the schema, its prefix)
        self._lock = threading.Lock()
        self._calls = 0

    def prefix(self, schema: Schema) -> str:
        cached = self._prefix
        if cached is None or cached[0] != id(schema):
            cached = self._prefix = (id(schema), build_prefix(self.rubric, schema))
        return cached[1]

    def judge(self, schema: Schema, record: dict[str, Any]) -> Verdict:
        """The verdict on one record. Raises BackendError when the backend fails or twice gives no verdict."""
        if self.column and any(f.name == self.column for f in schema.fields):
            raise InputError(f"the judge column {self.column!r} is already a field of the record; choose another name")
        prefix, suffix = self.prefix(schema), build_suffix(record)
        started = time.perf_counter()
        problem = ""
        for attempt in range(2):
            completion = self._ask(prefix, suffix, attempt)
            found = self._read(completion)
            if isinstance(found, str):
                problem = found
                continue
            ratings, reason = found
            score = verdict_score(ratings)
            passed = score >= self.threshold
            with self._lock:
                self.tally.retried += attempt
                self.tally.add(score, ratings, passed, time.perf_counter() - started)
            return Verdict(passed, score, _reason(reason, ratings, score), ratings)
        with self._lock:
            self.tally.retried += 1
        raise BackendError(
            f"the judge returned no usable verdict for a record, twice ({problem}; {self._name})",
            kind="judge",
            hint=NO_VERDICT_HINT,
        )

    def _ask(self, prefix: str, suffix: str, attempt: int) -> Completion:
        with self._lock:
            self._calls += 1
            seed = self._calls
        params = GenerationParams(
            temperature=0.0 if attempt == 0 else 0.7,  # greedy first; a second try samples something else
            top_p=0.95,
            top_k=40,
            max_tokens=self.max_tokens * (1 + attempt),
            seed=seed,
        )
        request = CompletionRequest(prefix=prefix, suffixes=[suffix], json_schema=self.schema, params=params)
        completions = self.backend.complete(request)
        if len(completions) != 1:
            raise BackendError(f"the judge backend returned {len(completions)} answers for one record", kind="judge")
        completion = completions[0]
        with self._lock:
            self.tally.tokens += completion.tokens
            self.tally.prompt_tokens += completion.prompt_tokens
        return completion

    def _read(self, completion: Completion) -> tuple[dict[str, float], str] | str:
        """(ratings, reason), or what was wrong with the answer (a failed backend raises its own error)."""
        error = completion.error
        if error is not None:
            if isinstance(error, BackendResponseError) and not error.fatal:
                return f"an unusable answer: {error}"
            raise error
        if completion.finish_reason == "length":
            return "the verdict was cut off at the token limit"
        data, problem = parse_object(completion.text)
        if problem:
            return problem
        return read_verdict(data, self.rubric.names)

    @property
    def _name(self) -> str:
        return f"judge {getattr(self.backend, 'kind', 'backend')} {getattr(self.backend, 'model', '')}".rstrip()

    def settings(self) -> dict[str, Any]:
        """The judge's choices as plain values (the backend is described by whoever built it)."""
        return {"rubric": self.rubric.source, "threshold": self.threshold, "column": self.column}

    def stats(self) -> dict[str, Any]:
        """What the run keeps: counts, mean score and ratings, time and tokens, the backend and rubric."""
        with self._lock:
            out = self.tally.stats()
        out.update(
            backend=str(getattr(self.backend, "kind", "")),
            model=str(getattr(self.backend, "model", "")),
            rubric="default" if self.rubric.is_default else "custom",
            criteria=self.rubric.names,
            column=self.column,
        )
        return out


def _reason(reason: str, ratings: dict[str, float], score: float) -> str:
    """The judge's sentence (masked if it looks like a secret) with the score; ratings when it gave none."""
    text = redact(reason).rstrip(".") if reason else ", ".join(f"{k} {v:g}/5" for k, v in ratings.items())
    return f"{text} (score {score:.2f})"
