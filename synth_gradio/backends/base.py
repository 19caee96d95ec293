"""The backend protocol: how the engine asks any model for text.

A backend receives one CompletionRequest per batch: a prompt prefix shared by every record in the
batch, one suffix per record, and (optionally) a JSON schema that each completion must satisfy.
Backends that can constrain decoding do so; the others fall back to prompt-and-parse, and the
engine validates everything either way. Keeping the shared prefix separate lets a local backend
prefill it once and share its KV cache between sequences.

A backend may also offer `complete_stream` (StreamingBackend): the engine hands it records one at a
time through a feed, and it yields each record's Completion as soon as that record is done, so a
local model refills a finished sequence's slot at once instead of waiting for the whole batch.
Backends without it keep the batch path; nothing else in the protocol changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from synth_gradio.errors import BackendError


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do, so the engine and UI can plan batches and concurrency."""

    constrained: bool = False  # output valid JSON for a schema by construction
    batching: bool = False  # several sequences decoded together in one call
    max_batch: int = 1  # most completions worth asking for in one call
    concurrency: int = 1  # calls that may be in flight at once
    local: bool = False  # runs in this process (one model in memory, shared by all sessions)


@dataclass(frozen=True)
class GenerationParams:
    temperature: float = 1.0
    top_p: float = 0.95
    top_k: int = 40
    max_tokens: int = 256
    seed: int | None = None
    # USD per million tokens, for a cost estimate (remote backends)
    price_in: float | None = None
    price_out: float | None = None


@dataclass(frozen=True)
class CompletionRequest:
    prefix: str
    suffixes: list[str]
    json_schema: dict[str, Any] | None = None
    params: GenerationParams = field(default_factory=GenerationParams)


@dataclass
class Completion:
    """One record's output. A failed record carries its BackendError (not raised: the others go on)."""

    text: str
    tokens: int = 0  # generated tokens
    prompt_tokens: int = 0  # prompt tokens actually processed for this completion
    finish_reason: str = "stop"  # "stop", "length" or "error"
    error: BackendError | None = None
    latency_s: float = 0.0

    @property
    def fatal(self) -> bool:
        """The backend cannot go on (bad key, unknown model, circuit open): the engine stops the run."""
        return self.error is not None and self.error.fatal


@runtime_checkable
class Backend(Protocol):
    """Anything that turns a CompletionRequest into one Completion per suffix."""

    kind: str
    model: str
    capabilities: Capabilities

    def complete(self, request: CompletionRequest) -> list[Completion]: ...

    def close(self) -> None: ...


# A steering hint: (field, text written so far) -> True when the string must not end here, because
# the engine would reject exactly that value (a copied example, a used unique value, a placeholder).
AvoidCheck = Callable[[str, str], bool]
# An early close: (field, text written so far) -> True when the text already says what the engine
# cuts or rejects (a customer's message that goes on "Thank you for contacting us"). A backend that
# asks at word boundaries closes that string at once: writing on would only be thrown away.
LostCheck = Callable[[str, str], bool]


@dataclass(frozen=True)
class StreamItem:
    """One record for a streaming backend: its prompt, its own seed and optional steering hints.

    `key` comes back with the record's Completion (records may finish in any order). `echo` maps a
    free-text field to texts the model should not copy (shown examples); `avoid` vetoes ending a
    string on a value the engine would reject; `words` steers the tone and voice of free text (a record
    that must read negative avoids strongly positive words); `field_words` steers one field's text (words
    the run's accepted values of that field already overuse); `lost` says when a text being written
    should be closed at once. Backends may ignore all of them; the engine checks anyway.
    """

    key: int
    prefix: str
    suffix: str
    seed: int | None = None
    max_tokens: int | None = None  # None: params.max_tokens
    echo: Mapping[str, Sequence[str]] | None = None
    avoid: AvoidCheck | None = None
    words: Sequence[tuple[str, float]] | None = None  # free-text words to favour (+) or avoid (-), in logits
    field_words: Mapping[str, Sequence[tuple[str, float]]] | None = None  # the same, per free-text field
    lost: LostCheck | None = None


# The engine's feed: the next record to start, or None when it has nothing to start right now (it is
# asked again after the next record finishes; a stream with nothing running and nothing fed ends).
Feed = Callable[[], StreamItem | None]


@runtime_checkable
class StreamingBackend(Protocol):
    """A backend that decodes records continuously: a finished record's slot takes the next one."""

    def complete_stream(
        self,
        feed: Feed,
        json_schema: dict[str, Any] | None,
        params: GenerationParams,
        stop: Callable[[], bool] | None = None,
        slots: int | None = None,
    ) -> Iterator[tuple[int, Completion]]: ...


def streams(backend: Any) -> bool:
    """Whether the engine may use `backend.complete_stream` (a real method, not a mock attribute)."""
    return callable(getattr(type(backend), "complete_stream", None))
