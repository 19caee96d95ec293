"""The continuous decode loop of one stream (see llamacpp_decode for the overall picture).

Each turn: pull records from the feed for free slots (outside the model lock), then, holding the
lock for one step only, start what fits (prefix cells copied, suffix prefilled with the step),
decode one token for every running record, sample, and clear finished records' sequences. Finished
records are yielded in key order after the lock is released, so the caller may take its time.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import llama_cpp
import numpy as np

from synth_gradio.backends.base import Completion, Feed, GenerationParams, StreamItem
from synth_gradio.backends.llamacpp_sampling import SeqSampler, Steer, ValueTracker, word_token_lists
from synth_gradio.backends.llamacpp_seq import PrefixVersion, Seq, StreamPrefix
from synth_gradio.errors import BackendError
from synth_gradio.symbols import EMOJI

if TYPE_CHECKING:
    from synth_gradio.backends.llamacpp_decode import BatchDecoder

FORCED_SLACK = 32  # grammar-forced tokens may run past max_tokens by this much


class Stream:
    def __init__(
        self,
        dec: BatchDecoder,
        feed: Feed,
        json_schema: dict[str, Any] | None,
        params: GenerationParams,
        stop: Callable[[], bool] | None,
        slots: int | None,
        lock: AbstractContextManager,
    ) -> None:
        self.dec = dec
        self.feed = feed
        self.schema = json_schema
        self.params = params
        self.stop = stop or (lambda: False)
        self.want = max(1, min(slots or dec.lm.n_seq_max - 1, dec.lm.n_seq_max - 1))
        self.lock = lock
        self.detok = dec.lm.tokenizer.decode_bytes
        self.prefix: StreamPrefix | None = None
        self.slot_ids: list[int] = []
        self.free: list[int] = []
        self.live: list[Seq] = []
        self.backlog: deque[StreamItem] = deque()
        self.template: Any = None
        self._echo: tuple[Any, dict] | None = None
        self._words: dict[tuple[tuple[str, float], ...], list[tuple[np.ndarray, float]]] = {}
        self.limits: dict[str, int] = {}

    def run(self) -> Iterator[tuple[int, Completion]]:
        dec = self.dec
        self.template = dec.grammar(self.schema)
        props = (self.schema or {}).get("properties", {})
        self.limits = {k: v["maxLength"] for k, v in props.items() if isinstance(v.get("maxLength"), int)}
        self.prefix = dec.adopt_parked()
        ids = dec.lease(self.want + (0 if self.prefix else 1), need=1 if self.prefix else 2)
        if self.prefix is None:
            self.prefix = StreamPrefix(seq_id=ids.pop(0))
        self.slot_ids, self.free = list(ids), list(reversed(ids))
        try:
            while not self.stop():
                while self.free and len(self.backlog) < len(self.free):
                    item = self.feed()
                    if item is None:
                        break
                    self.backlog.append(item)
                if not self.live and not self.backlog:
                    return
                with self.lock:
                    self._admit()
                    finished = self._step() if self.live else []
                if not self.live and self.backlog:
                    dec.wait_for_room()  # another stream holds the cells this record needs
                    continue
                for s in sorted(finished, key=lambda s: s.key):
                    yield s.key, s.completion(dec.detokenize(s.generated))
        finally:
            with self.lock:
                for s in self.live:
                    self._release(s)
                self.live = []
            dec.give_back([i for i in self.slot_ids if i != self.prefix.seq_id])
            dec.park(self.prefix)

    # ----- starting records -----------------------------------------------------------------------
    def _admit(self) -> None:
        dec = self.dec
        while self.backlog and self.free:
            item = self.backlog[0]
            if item.prefix != self.prefix.text and not self._switch_prefix(item.prefix):
                return
            suffix = dec.tokenize(item.suffix, add_bos=False)
            max_tokens = item.max_tokens or self.params.max_tokens
            need = len(suffix) + max_tokens + FORCED_SLACK
            if len(self.prefix.tokens) + need > dec.budget:
                raise BackendError(
                    f"one record needs up to {len(self.prefix.tokens) + need} tokens (prompt and output) but the "
                    f"model's context holds {dec.lm.n_ctx}; lower maxLength on long text fields or use fewer fields",
                    kind="context_full",
                )
            if not dec.reserve(need):
                if not self.live and dec.live_streams <= 1:
                    raise BackendError(
                        f"the records do not fit the model's context of {dec.lm.n_ctx} tokens", kind="context_full"
                    )
                return
            self.backlog.popleft()
            self._start(item, suffix, max_tokens, need)

    def _start(self, item: StreamItem, suffix: list[int], max_tokens: int, cells: int) -> None:
        dec, prefix = self.dec, self.prefix
        seq_id = self.free.pop()
        llama_cpp.llama_memory_seq_rm(dec.mem, seq_id, -1, -1)
        llama_cpp.llama_memory_seq_cp(dec.mem, prefix.seq_id, seq_id, -1, -1)
        seed = item.seed if item.seed is not None else (self.params.seed or 0) + item.key
        steer = self._steer(item.echo, item.words, item.field_words)
        s = Seq(
            key=item.key,
            seq_id=seq_id,
            pos=len(prefix.tokens),
            pending=list(suffix),
            matcher=self.template.deep_copy() if self.template is not None else None,
            sampler=SeqSampler(self.params, seed % 2**31),
            max_tokens=max_tokens,
            cells=cells,
            version=prefix.version,
            tracker=ValueTracker() if (item.avoid or steer or item.lost) and self.template is not None else None,
            avoid=item.avoid,
            lost=item.lost,
            steer=steer,
            prompt_tokens=len(suffix),
        )
        prefix.version.refs += 1
        if not s.pending:  # no suffix: decode the prefix's last token again for this record's first logits
            llama_cpp.llama_memory_seq_rm(dec.mem, seq_id, len(prefix.tokens) - 1, -1)
            s.pos, s.pending = len(prefix.tokens) - 1, [prefix.tokens[-1]]
        dec.stats["forced"] += s.take_forced(self.detok)
        self.live.append(s)

    def _steer(
        self,
        echo: Mapping[str, Sequence[str]] | None,
        words: Sequence[tuple[str, float]] | None = None,
        field_words: Mapping[str, Sequence[tuple[str, float]]] | None = None,
    ) -> Steer | None:
        if not echo or self.template is None:
            return None
        if self._echo is None or self._echo[0] is not echo:
            self._echo = (echo, Steer.tables_for(echo, lambda t: self.dec.tokenize(t, add_bos=False)))
        steer = Steer(self._echo[1], self.dec.classes, self.limits)
        steer.plain = {f for f, texts in echo.items() if not any(EMOJI.search(t) for t in texts)}
        if words:
            steer.words = self._word_tokens(words)
        if field_words:
            steer.field_words = {f: self._word_tokens(ws) for f, ws in field_words.items() if ws}
        return steer

    def _word_tokens(self, words: Sequence[tuple[str, float]]) -> list[tuple[np.ndarray, float]]:
        """(sorted token ids, logits to subtract) for the steering words, cached per word list (a run
        hands over a few distinct lists, each the same object every time)."""
        key = tuple(words)
        if key not in self._words:
            self._words[key] = word_token_lists(words, lambda t: self.dec.tokenize(t, add_bos=False))
        return self._words[key]

    def _switch_prefix(self, text: str) -> bool:
        """Decode a new prefix into the stream's prefix sequence, reusing the common token prefix."""
        dec, prefix = self.dec, self.prefix
        tokens = dec.tokenize(text, add_bos=True)
        if not dec.reserve(len(tokens)):
            if not self.live and dec.live_streams <= 1:
                raise BackendError(
                    f"the prompt does not fit the model's context of {dec.lm.n_ctx} tokens", "context_full"
                )
            return False
        common = 0
        for a, b in zip(prefix.tokens, tokens, strict=False):
            if a != b:
                break
            common += 1
        common = min(common, len(tokens) - 1)
        if not llama_cpp.llama_memory_seq_rm(dec.mem, prefix.seq_id, common, -1):
            llama_cpp.llama_memory_seq_rm(dec.mem, prefix.seq_id, -1, -1)
            common = 0
        old = prefix.version
        prefix.text, prefix.tokens, prefix.version = None, tokens[:common], PrefixVersion(cells=len(tokens))
        if old is not None:
            old.current = False
            self._retire(old)
        dec.decode([(t, common + i, prefix.seq_id, False) for i, t in enumerate(tokens[common:])])
        prefix.text, prefix.tokens = text, tokens
        return True

    # ----- one step -------------------------------------------------------------------------------
    def _step(self) -> list[Seq]:
        dec, live = self.dec, self.live
        items: list[tuple[int, int, int, bool]] = []
        for s in live:
            n = len(s.pending)
            items.extend((tok, s.pos + j, s.seq_id, j == n - 1) for j, tok in enumerate(s.pending))
            s.pos += n
            s.pending = []
        index = dec.decode(items)
        t0 = time.perf_counter()
        constrained = [s for s in live if s.matcher is not None]
        if constrained:
            dec.executor.unsafe_compute_mask_ptr(
                [(s.matcher, s.seq_id) for s in constrained],
                dec.mask.ctypes.data,
                dec.mask.shape[1] * 4,
                dec.mask.shape[0],
            )
        dec.stats["mask_s"] += time.perf_counter() - t0
        dec.stats["steps"] += 1
        dec.stats["busy_slots"] += len(live)
        for s in live:
            quotes = dec.classes.quotes if s.avoid or s.lost else None
            s.prepare(dec.mask[s.seq_id] if s.matcher is not None else None, quotes)
            token = s.sampler.sample(dec.ctx, index[s.seq_id], dec.lm.n_vocab)
            dec.stats["forced"] += s.advance(token, dec.lm.eos, dec.vocab, self.detok)
            dec.stats["sampled"] += 1
        finished = [s for s in live if s.done]
        for s in finished:
            live.remove(s)
            self._release(s)
        return finished

    def _release(self, s: Seq) -> None:
        llama_cpp.llama_memory_seq_rm(self.dec.mem, s.seq_id, -1, -1)
        s.sampler.close()
        self.free.append(s.seq_id)
        s.version.refs -= 1
        self._retire(s.version)
        self.dec.give_back([], s.cells)

    def _retire(self, version: PrefixVersion) -> None:
        if version.retired and version.cells:
            self.dec.give_back([], version.cells)
            version.cells = 0
