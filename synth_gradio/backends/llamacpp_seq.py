"""One record being decoded, and the prompt prefix its stream shares between records.

A `Seq` owns its llama.cpp sequence id while it runs, its grammar matcher, its own sampler chain
(seeded per record) and its steering state; `advance` takes one sampled token through the grammar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import llama_cpp

from synth_gradio.backends.base import AvoidCheck, Completion, LostCheck
from synth_gradio.backends.llamacpp_sampling import SeqSampler, Steer, ValueTracker
from synth_gradio.errors import BackendResponseError


@dataclass
class PrefixVersion:
    """One decoded version of a stream's prefix; its cells stay counted while a record uses them."""

    cells: int
    refs: int = 0
    current: bool = True

    @property
    def retired(self) -> bool:
        return not self.current and self.refs == 0


@dataclass
class StreamPrefix:
    """The sequence that holds a stream's shared prompt prefix."""

    seq_id: int
    text: str | None = None
    tokens: list[int] = field(default_factory=list)
    version: PrefixVersion | None = None

    @property
    def cells(self) -> int:
        return self.version.cells if self.version is not None else 0


@dataclass
class Seq:
    key: int
    seq_id: int
    pos: int
    pending: list[int]  # tokens to feed at the next decode
    matcher: Any | None
    sampler: SeqSampler
    max_tokens: int
    cells: int  # KV cells reserved for this record
    version: PrefixVersion
    tracker: ValueTracker | None = None
    avoid: AvoidCheck | None = None
    lost: LostCheck | None = None
    closing: str | None = None  # the field whose string is closed at the next token (see _lost)
    steer: Steer | None = None
    generated: list[int] = field(default_factory=list)
    prompt_tokens: int = 0
    sampled: int = 0
    done: bool = False
    finish_reason: str = "stop"
    error: str | None = None

    def take_forced(self, detok: Any) -> int:
        """Append tokens the grammar forces (e.g. `{"name": "`) so they are fed without sampling."""
        if self.matcher is None:
            return 0
        forced = self.matcher.compute_ff_tokens()
        if forced:
            self.matcher.consume_tokens(forced)
            self.pending.extend(forced)
            self.generated.extend(forced)
            if self.tracker is not None:
                for tok in forced:
                    self.tracker.feed(tok, detok([tok]))
        return len(forced)

    def prepare(self, row: Any, quotes: Any) -> None:
        """Set this step's grammar row and steering on the sampler."""
        tracker = self.tracker
        open_field = tracker.field if tracker is not None else None
        if row is not None and open_field is not None and open_field == self.closing:
            closed = row & quotes
            if closed.any():  # the grammar may not allow closing yet (minLength)
                row = closed
        elif (
            row is not None
            and open_field is not None
            and self.avoid is not None
            and self.avoid(open_field, tracker.text())
        ):
            blocked = row & ~quotes
            if blocked.any():  # never block the only way on (the string at its maxLength)
                row = blocked
        self.sampler.row = row
        if self.steer is not None and tracker is not None:
            self.sampler.penalised = self.steer.penalties(tracker)

    def advance(self, token: int, eos: int, vocab: Any, detok: Any) -> int:
        """Take one sampled token; returns the number of grammar-forced tokens that followed it."""
        if token < 0:
            self.done, self.finish_reason, self.error = True, "error", "the grammar allows no token"
            return 0
        self.sampled += 1
        if token == eos or llama_cpp.llama_vocab_is_eog(vocab, token):
            self.done = True
            if self.matcher is not None and not self.matcher.is_accepting():
                self.finish_reason, self.error = "error", "the model stopped before the record was complete"
            return 0
        if self.matcher is not None and not self.matcher.consume_token(token):
            self.done, self.finish_reason = True, "error"
            self.error = f"grammar rejected a token: {self.matcher.get_error()}"
            return 0
        self.generated.append(token)
        self.pending = [token]
        if self.tracker is not None:
            data = detok([token])
            self.tracker.feed(token, data)
            if self.steer is not None:
                self.steer.wrote(self.tracker)
            if self._lost(data):
                self.closing = self.tracker.field
        forced = self.take_forced(detok)
        if self.matcher is not None and self.matcher.is_stopped():
            self.done = True
        elif len(self.generated) >= self.max_tokens:
            self.done, self.finish_reason = True, "length"
        return forced

    def _lost(self, data: bytes) -> bool:
        """At a word boundary in an open string: whether the text already says what the engine cuts or
        rejects, so the string is closed now (the engine keeps what came before, or rejects the record)."""
        tracker = self.tracker
        if self.lost is None or tracker.field is None or tracker.field == self.closing:
            return False
        return bool(_BOUNDARY.intersection(data)) and self.lost(tracker.field, tracker.text())

    def completion(self, text: str) -> Completion:
        return Completion(
            text=text,
            tokens=len(self.generated),
            prompt_tokens=self.prompt_tokens,
            finish_reason=self.finish_reason,
            error=BackendResponseError(self.error, kind="grammar") if self.error else None,
        )


_BOUNDARY = frozenset(b" .,;:!?")
