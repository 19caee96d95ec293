"""Continuous, grammar-constrained decoding on one llama.cpp context.

How a stream runs (`stream`; the batch call `run` is a stream over a fixed list):
1. A stream's shared prompt prefix lives in its own prefix sequence. When the prefix changes (the
   engine rotates its examples), only the part after the common token prefix is decoded again;
   running records keep the old cells, which llama.cpp frees once no sequence uses them. A stream's
   last prefix is parked when it ends, so the next call starts warm.
2. Each record gets a free sequence: the prefix cells are shared with `llama_memory_seq_cp` and its
   suffix is prefilled in the same `llama_decode` that advances the other records by one token.
3. When a record finishes, its sequence is cleared and its slot takes the next record from the feed
   at once, so slots never sit idle waiting for the longest record of a batch.
The model lock is held for one step at a time, and each stream leases its own sequence ids and KV
cells, so two runs on one model interleave step by step instead of waiting for each other.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import llama_cpp
import llguidance
import numpy as np

from synth_gradio.backends.base import Completion, Feed, GenerationParams, StreamItem
from synth_gradio.backends.llamacpp_model import LoadedModel
from synth_gradio.backends.llamacpp_seq import StreamPrefix
from synth_gradio.errors import BackendError

SAFETY_CELLS = 16  # KV cells kept free beyond every record's worst case


def call_seed(seed: int | None, key: int) -> int | None:
    """The seed of record `key` in a call seeded with `seed`: its own, whatever slot it runs in."""
    return None if seed is None else (seed * 1_000_003 + key * 7919 + 17) % 2**31


class BatchDecoder:
    """Owns the batch buffer, sequence ids and KV-cell budget of one LoadedModel's context."""

    def __init__(self, lm: LoadedModel) -> None:
        self.lm = lm
        self.ctx = lm.ctx.ctx
        self.mem = llama_cpp.llama_get_memory(self.ctx)
        self.vocab = lm.model.vocab
        self.batch = llama_cpp.llama_batch_init(lm.n_batch, 0, 1)
        self.executor = llguidance.LLExecutor()
        self.mask = np.zeros((lm.n_seq_max, (lm.n_vocab + 31) // 32), dtype=np.int32)
        self._classes: Any = None
        self._cv = threading.Condition()  # guards ids, cells and the parked prefix
        self.free_ids = set(range(lm.n_seq_max))
        self.cells_used = 0
        self.budget = lm.n_ctx - SAFETY_CELLS
        self.parked: StreamPrefix | None = None
        self.live_streams = 0
        self.stats = {
            "decode_s": 0.0,
            "decoded": 0,  # tokens through llama_decode: prompt, forced and sampled
            "mask_s": 0.0,
            "sampled": 0,
            "forced": 0,
            "steps": 0,
            "busy_slots": 0,
        }

    def close(self) -> None:
        if self.batch is not None:
            llama_cpp.llama_batch_free(self.batch)
            self.batch = None

    # ----- tokens ---------------------------------------------------------------------------------
    def tokenize(self, text: str, add_bos: bool) -> list[int]:
        data = text.encode("utf-8")
        buf = (llama_cpp.llama_token * (len(data) + 8))()
        n = llama_cpp.llama_tokenize(self.vocab, data, len(data), buf, len(buf), add_bos, False)
        if n < 0:
            raise BackendError("prompt could not be tokenized", kind="tokenize")
        return list(buf[:n])

    def detokenize(self, tokens: list[int]) -> str:
        return self.lm.tokenizer.decode_bytes(tokens).decode("utf-8", errors="replace")

    @property
    def classes(self) -> Any:
        """Token classes for steering (built on first use: one pass over the vocabulary, ~0.2 s)."""
        if self._classes is None:
            from synth_gradio.backends.llamacpp_sampling import TokenClasses

            self._classes = TokenClasses(self.lm.tokenizer, self.lm.n_vocab)
        return self._classes

    # ----- llama_decode ---------------------------------------------------------------------------
    def decode(self, items: list[tuple[int, int, int, bool]]) -> dict[int, int]:
        """Decode (token, pos, seq_id, want_logits) items; returns seq_id -> logits index.

        Logits survive only the last llama_decode call, so tokens that need logits are moved to
        the end (positions are explicit, so order inside a batch does not matter) and the items
        are split into chunks of n_batch so that the last chunk is a full one: it then holds every
        token that needs logits (at most one per sequence), wherever the chunk borders fall.
        """
        items = [it for it in items if not it[3]] + [it for it in items if it[3]]
        out: dict[int, int] = {}
        b = self.batch
        step = self.lm.n_batch
        last = max(0, len(items) - step)
        starts = [*range(0, last, step), last] if items else []
        t0 = time.perf_counter()
        for start, end in zip(starts, [*starts[1:], len(items)], strict=True):
            chunk = items[start:end]
            b.n_tokens = len(chunk)
            out = {}
            for i, (tok, pos, seq, want) in enumerate(chunk):
                b.token[i] = tok
                b.pos[i] = pos
                b.n_seq_id[i] = 1
                b.seq_id[i][0] = seq
                b.logits[i] = want
                if want:
                    out[seq] = i
            rc = llama_cpp.llama_decode(self.ctx, b)
            if rc != 0:
                raise BackendError(
                    f"llama.cpp could not decode the batch (code {rc}); the context is full: "
                    "lower the batch size or shorten the prompt",
                    kind="context_full",
                )
        self.stats["decode_s"] += time.perf_counter() - t0
        self.stats["decoded"] += len(items)
        return out

    def grammar(self, json_schema: dict[str, Any] | None) -> Any:
        """A matcher to copy per record, or None without a schema."""
        if json_schema is None:
            return None
        grammar = llguidance.LLMatcher.grammar_from_json_schema(
            json.dumps(json_schema),
            defaults={"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "},
        )
        matcher = llguidance.LLMatcher(self.lm.tokenizer, grammar, log_level=0)
        if matcher.is_error():
            raise BackendError(f"the schema could not be turned into a grammar: {matcher.get_error()}", kind="grammar")
        return matcher

    # ----- ids and cells (shared by every stream on this context) -----------------------------------
    def lease(self, want: int, need: int = 1) -> list[int]:
        """Up to `want` sequence ids (at least `need`), waiting while other streams hold them."""
        with self._cv:
            while len(self.free_ids) < need and not self._evict_parked_locked():
                self._cv.wait(0.5)
            ids = sorted(self.free_ids)[:want]
            self.free_ids -= set(ids)
            self.live_streams += 1
            return ids

    def give_back(self, ids: list[int], cells: int = 0) -> None:
        with self._cv:
            self.free_ids |= set(ids)
            self.cells_used -= cells
            self._cv.notify_all()

    def reserve(self, cells: int) -> bool:
        """Take `cells` from the KV budget if they fit now (a parked prefix is evicted first)."""
        with self._cv:
            if self.cells_used + cells > self.budget:
                self._evict_parked_locked()
            if self.cells_used + cells > self.budget:
                return False
            self.cells_used += cells
            return True

    def wait_for_room(self) -> None:
        with self._cv:
            self._cv.wait(0.05)

    def _evict_parked_locked(self) -> bool:
        parked, self.parked = self.parked, None
        if parked is None:
            return False
        llama_cpp.llama_memory_seq_rm(self.mem, parked.seq_id, -1, -1)
        self.free_ids.add(parked.seq_id)
        self.cells_used -= parked.cells
        return True

    def adopt_parked(self) -> StreamPrefix | None:
        with self._cv:
            parked, self.parked = self.parked, None
            return parked

    def park(self, prefix: StreamPrefix) -> None:
        """Keep a finished stream's prefix for the next call; an older parked one is dropped."""
        with self._cv:
            self._evict_parked_locked()
            self.parked = prefix
            self.live_streams -= 1
            self._cv.notify_all()

    # ----- streams --------------------------------------------------------------------------------
    def stream(
        self,
        feed: Feed,
        json_schema: dict[str, Any] | None,
        params: GenerationParams,
        stop: Callable[[], bool] | None = None,
        slots: int | None = None,
        lock: AbstractContextManager | None = None,
    ) -> Iterator[tuple[int, Completion]]:
        """Yield (key, Completion) as records finish, refilling each freed slot from `feed` at once."""
        from synth_gradio.backends.llamacpp_stream import Stream

        lock = lock if lock is not None else self.lm.lock
        yield from Stream(self, feed, json_schema, params, stop, slots, lock).run()

    def run(
        self,
        prefix: str,
        suffixes: list[str],
        json_schema: dict[str, Any] | None,
        params: GenerationParams,
        slots: int | None = None,
    ) -> list[Completion]:
        """One Completion per suffix, in order: a stream over a fixed list of records."""
        seed = params.seed if params.seed is not None else random.SystemRandom().randrange(2**31)
        todo = deque(range(len(suffixes)))

        def feed() -> StreamItem | None:
            if not todo:
                return None
            i = todo.popleft()
            return StreamItem(key=i, prefix=prefix, suffix=suffixes[i], seed=call_seed(seed, i))

        out: list[Completion | None] = [None] * len(suffixes)
        for key, completion in self.stream(feed, json_schema, params, slots=slots):
            out[key] = completion
        return [c for c in out if c is not None]
