"""The offline default backend: any GGUF model through llama-cpp-python, constrained by llguidance.

With no model path it runs the bundled Gemma 3 270M, so a new user needs no key, GPU or network.
Records are decoded continuously (`complete_stream`): a finished record's slot takes the next
record at once; `complete` is the same loop over a fixed list.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

from synth_gradio.backends.base import Capabilities, Completion, CompletionRequest, Feed, GenerationParams
from synth_gradio.backends.llamacpp_model import LoadedModel, load_model
from synth_gradio.errors import BackendError, SynthError

DEFAULT_MODEL_NAME = "gemma-3-270m-q4_k_m (bundled)"
MAX_SEQUENCES = 64  # sequence ids in one context: room for two full streams and a parked prefix


class LlamaCppBackend:
    kind = "llamacpp"

    def __init__(self, model: str | None = None, n_threads: int = 0, max_batch: int = 32, n_ctx: int = 8192) -> None:
        path = (model or "").strip()
        # The bundled model is stored with runs under its display name; that name means "bundled" again.
        self._path = None if path in ("", DEFAULT_MODEL_NAME) else path
        self.model = self._path or DEFAULT_MODEL_NAME
        self._n_threads = n_threads
        self._max_batch = max(1, min(int(max_batch), 64))
        self._n_ctx = n_ctx
        self._loaded: LoadedModel | None = None
        self._decoder = None
        self._init_lock = threading.Lock()
        self.capabilities = Capabilities(
            constrained=True, batching=True, max_batch=self._max_batch, concurrency=1, local=True
        )

    def load(self) -> LoadedModel:
        """Load the model now (it is otherwise loaded on the first completion)."""
        with self._init_lock:
            if self._loaded is None:
                from synth_gradio.backends.llamacpp_decode import BatchDecoder

                n_seq = min(MAX_SEQUENCES, 2 * self._max_batch + 2)
                self._loaded = load_model(self._path, self._n_threads, self._n_ctx, n_seq)
                self._decoder = _decoder_for(self._loaded, BatchDecoder)
            return self._loaded

    @property
    def decode_stats(self) -> dict[str, float]:
        """Counters of the decode loop (time in llama_decode and masks, sampled and forced tokens)."""
        return dict(self._decoder.stats) if self._decoder else {}

    def complete(self, request: CompletionRequest) -> list[Completion]:
        self.load()
        try:
            return self._decoder.run(
                request.prefix, request.suffixes, request.json_schema, request.params, slots=self._max_batch
            )
        except SynthError:
            raise
        except Exception as exc:  # translate ctypes/llguidance failures at the boundary
            raise BackendError(f"llama.cpp generation failed: {exc}", kind="generation") from exc

    def complete_stream(
        self,
        feed: Feed,
        json_schema: dict[str, Any] | None,
        params: GenerationParams,
        stop: Callable[[], bool] | None = None,
        slots: int | None = None,
    ) -> Iterator[tuple[int, Completion]]:
        """Yield (key, Completion) as records finish; each freed slot takes the next record from `feed`."""
        self.load()
        slots = max(1, min(slots or self._max_batch, self._max_batch))
        try:
            yield from self._decoder.stream(feed, json_schema, params, stop=stop, slots=slots)
        except SynthError:
            raise
        except Exception as exc:
            raise BackendError(f"llama.cpp generation failed: {exc}", kind="generation") from exc

    def close(self) -> None:
        """Models stay loaded for reuse by later runs; see llamacpp_model.unload_all()."""


_DECODERS: dict[int, object] = {}
_DECODERS_LOCK = threading.Lock()


def _decoder_for(loaded: LoadedModel, factory):
    """One decoder per loaded context: it owns that context's sequences, cells and batch buffer.

    Under a lock: two runs starting at once (a model comparison) once built two decoders on one
    context, each believing it owned every sequence id, and llama_decode refused their batches."""
    key = id(loaded)
    with _DECODERS_LOCK:
        if key not in _DECODERS:
            _DECODERS[key] = factory(loaded)
        return _DECODERS[key]
