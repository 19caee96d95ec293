"""Batched, grammar-constrained decoding on one llama.cpp context.

How one call runs:
1. The shared prompt prefix lives in sequence 0. Between calls only the part of it that changed is
   decoded again (the common token prefix stays in the KV cache).
2. Each record gets its own sequence (1..n): the prefix cells are shared with `llama_memory_seq_cp`,
   then all record suffixes are prefilled together in one `llama_decode`.
3. Every step decodes one token (plus any grammar-forced tokens) for every live sequence in a single
   `llama_decode`. Sampling runs in llama.cpp's C sampler chain: top-k, then our llguidance mask
   applied to those k candidates only, then top-p, temperature and the seeded distribution.
   Checking k candidates against the mask costs microseconds, where masking the full 262k vocabulary
   would cost milliseconds. If none of the k is allowed, we sample from the full masked vocabulary.
"""

from __future__ import annotations

import ctypes
import json
from dataclasses import dataclass, field
from typing import Any

import llama_cpp
import llguidance
import numpy as np
from llama_cpp import _internals as internals

from synth_gradio.backends.base import Completion, GenerationParams
from synth_gradio.backends.llamacpp_model import LoadedModel
from synth_gradio.errors import BackendError, BackendResponseError

_TOKEN_DTYPE = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])


@dataclass
class _Seq:
    seq_id: int
    pos: int
    pending: list[int]  # tokens to feed at the next decode
    matcher: Any | None
    generated: list[int] = field(default_factory=list)
    prompt_tokens: int = 0
    done: bool = False
    finish_reason: str = "stop"
    error: str | None = None


class BatchDecoder:
    """Owns the batch buffer and prefix cache of one LoadedModel; not thread-safe (callers lock)."""

    def __init__(self, lm: LoadedModel) -> None:
        self.lm = lm
        self.ctx = lm.ctx.ctx
        self.mem = llama_cpp.llama_get_memory(self.ctx)
        self.vocab = lm.model.vocab
        self.batch = llama_cpp.llama_batch_init(lm.n_batch, 0, 1)
        self.prefix_tokens: list[int] = []
        self.mask = np.zeros((lm.n_seq_max, (lm.n_vocab + 31) // 32), dtype=np.int32)
        self.executor = llguidance.LLExecutor()
        self._row: np.ndarray | None = None
        self._all_masked = False
        self.stats = {"decode_s": 0.0, "mask_s": 0.0}

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

    # ----- llama_decode wrappers ------------------------------------------------------------------
    def _decode(self, items: list[tuple[int, int, int, bool]]) -> dict[int, int]:
        """Decode (token, pos, seq_id, want_logits) items; returns seq_id -> logits index.

        Logits survive only the last llama_decode call, so tokens that need logits are moved to
        the end (positions are explicit, so order inside a batch does not matter) and the items
        are split into chunks of n_batch from the front.
        """
        items = [it for it in items if not it[3]] + [it for it in items if it[3]]
        out: dict[int, int] = {}
        b = self.batch
        step = self.lm.n_batch
        for start in range(0, len(items), step):
            chunk = items[start : start + step]
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
        return out

    def _prefill_prefix(self, tokens: list[int]) -> None:
        common = 0
        for a, b in zip(self.prefix_tokens, tokens, strict=False):
            if a != b:
                break
            common += 1
        common = min(common, len(tokens) - 1)  # always re-decode at least the last token
        if not llama_cpp.llama_memory_seq_rm(self.mem, 0, common, -1):
            llama_cpp.llama_memory_clear(self.mem, True)
            common = 0
        self.prefix_tokens = tokens[:common]
        self._decode([(t, common + i, 0, False) for i, t in enumerate(tokens[common:])])
        self.prefix_tokens = list(tokens)

    # ----- sampling -------------------------------------------------------------------------------
    def _mask_filter(self, cur_p: Any) -> None:
        """Custom sampler step: set the logit of every candidate the grammar forbids to -inf."""
        row = self._row
        if row is None:
            return
        arr = cur_p.contents
        data = np.ctypeslib.as_array(ctypes.cast(arr.data, ctypes.POINTER(ctypes.c_byte)), shape=(arr.size * 12,))
        cand = data.view(_TOKEN_DTYPE)
        ids = cand["id"]
        allowed = (row[ids >> 5] >> (ids & 31)) & 1
        if not allowed.any():
            self._all_masked = True
            return
        cand["logit"][allowed == 0] = -np.inf

    def _build_sampler(self, params: GenerationParams, seed: int) -> internals.LlamaSampler:
        sampler = internals.LlamaSampler()
        if params.temperature <= 0:
            sampler.add_custom(self._mask_filter)
            sampler.add_greedy()
            return sampler
        sampler.add_top_k(max(1, params.top_k))
        sampler.add_custom(self._mask_filter)
        sampler.add_top_p(params.top_p, 1)
        sampler.add_temp(params.temperature)
        sampler.add_dist(seed)
        return sampler

    def _sample_full(self, logits_index: int, row: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
        """Fallback: sample among all grammar-allowed tokens (used when top-k had none)."""
        ptr = llama_cpp.llama_get_logits_ith(self.ctx, logits_index)
        logits = np.ctypeslib.as_array(ptr, shape=(self.lm.n_vocab,))
        bits = np.unpackbits(row.view(np.uint8), bitorder="little")[: self.lm.n_vocab].astype(bool)
        allowed = np.flatnonzero(bits)
        if allowed.size == 0:
            return -1
        vals = logits[allowed].astype(np.float64)
        top = np.argsort(vals)[-40:]
        vals, allowed = vals[top], allowed[top]
        if temperature <= 0:
            return int(allowed[-1])
        probs = np.exp((vals - vals.max()) / temperature)
        return int(rng.choice(allowed, p=probs / probs.sum()))

    # ----- the decode loop ------------------------------------------------------------------------
    def run(
        self, prefix: str, suffixes: list[str], json_schema: dict[str, Any] | None, params: GenerationParams
    ) -> list[Completion]:
        n = len(suffixes)
        if n > self.lm.n_seq_max - 1:
            raise BackendError(f"at most {self.lm.n_seq_max - 1} sequences per call, got {n}", kind="batch_size")
        prefix_tokens = self.tokenize(prefix, add_bos=True)
        suffix_tokens = [self.tokenize(s, add_bos=False) for s in suffixes]
        out: list[Completion] = []
        for group in self._groups(len(prefix_tokens), suffix_tokens, params.max_tokens):
            out.extend(self._run_group(prefix_tokens, [suffix_tokens[i] for i in group], json_schema, params))
        return out

    def _groups(self, n_prefix: int, suffix_tokens: list[list[int]], max_tokens: int) -> list[list[int]]:
        """Split sequences so the prefix plus every sequence's suffix and output fit the context."""
        room = self.lm.n_ctx - n_prefix
        groups: list[list[int]] = [[]]
        used = 0
        for i, toks in enumerate(suffix_tokens):
            need = len(toks) + max_tokens
            if need > room:
                raise BackendError(
                    f"one record needs up to {n_prefix + need} tokens (prompt and output) but the model's context "
                    f"holds {self.lm.n_ctx}; lower maxLength on long text fields or use fewer fields",
                    kind="context_full",
                )
            if used + need > room and groups[-1]:
                groups.append([])
                used = 0
            groups[-1].append(i)
            used += need
        return groups

    def _run_group(
        self,
        prefix_tokens: list[int],
        suffix_tokens: list[list[int]],
        json_schema: dict[str, Any] | None,
        params: GenerationParams,
    ) -> list[Completion]:
        self._prefill_prefix(prefix_tokens)
        grammar = None
        if json_schema is not None:
            grammar = llguidance.LLMatcher.grammar_from_json_schema(
                json.dumps(json_schema),
                defaults={"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "},
            )
        seqs = []
        for i, toks in enumerate(suffix_tokens):
            seq_id = i + 1
            llama_cpp.llama_memory_seq_rm(self.mem, seq_id, -1, -1)
            llama_cpp.llama_memory_seq_cp(self.mem, 0, seq_id, -1, -1)
            matcher = llguidance.LLMatcher(self.lm.tokenizer, grammar, log_level=0) if grammar else None
            if matcher is not None and matcher.is_error():
                raise BackendError(
                    f"the schema could not be turned into a grammar: {matcher.get_error()}", kind="grammar"
                )
            seq = _Seq(seq_id=seq_id, pos=len(prefix_tokens), pending=list(toks), matcher=matcher)
            seq.prompt_tokens = len(toks)
            self._take_forced(seq)
            seqs.append(seq)
        seed = params.seed if params.seed is not None else int(np.random.default_rng().integers(2**31))
        rng = np.random.default_rng(seed)
        sampler = self._build_sampler(params, seed)
        try:
            self._loop(seqs, sampler, params, rng)
        finally:
            sampler.close()
            for s in seqs:
                llama_cpp.llama_memory_seq_rm(self.mem, s.seq_id, -1, -1)
        return [
            Completion(
                text=self.detokenize(s.generated),
                tokens=len(s.generated),
                prompt_tokens=s.prompt_tokens,
                finish_reason=s.finish_reason,
                error=BackendResponseError(s.error, kind="grammar") if s.error else None,
            )
            for s in seqs
        ]

    def _take_forced(self, seq: _Seq) -> None:
        """Append tokens the grammar forces (e.g. `{"name": "`) so they are fed without sampling."""
        if seq.matcher is None:
            return
        forced = seq.matcher.compute_ff_tokens()
        if forced:
            seq.matcher.consume_tokens(forced)
            seq.pending.extend(forced)
            seq.generated.extend(forced)

    def _loop(
        self, seqs: list[_Seq], sampler: internals.LlamaSampler, params: GenerationParams, rng: np.random.Generator
    ) -> None:
        import time

        while True:
            live = [s for s in seqs if not s.done]
            if not live:
                return
            items: list[tuple[int, int, int, bool]] = []
            for s in live:
                for j, tok in enumerate(s.pending):
                    items.append((tok, s.pos + j, s.seq_id, j == len(s.pending) - 1))
                s.pos += len(s.pending)
                s.pending = []
            t0 = time.perf_counter()
            index = self._decode(items)
            t1 = time.perf_counter()
            self.stats["decode_s"] += t1 - t0
            constrained = [s for s in live if s.matcher is not None]
            if constrained:
                self.executor.unsafe_compute_mask_ptr(
                    [(s.matcher, s.seq_id) for s in constrained],
                    self.mask.ctypes.data,
                    self.mask.shape[1] * 4,
                    self.mask.shape[0],
                )
            self.stats["mask_s"] += time.perf_counter() - t1
            for s in live:
                self._step(s, index[s.seq_id], sampler, params, rng)

    def _step(
        self,
        s: _Seq,
        logits_index: int,
        sampler: internals.LlamaSampler,
        params: GenerationParams,
        rng: np.random.Generator,
    ) -> None:
        row = self.mask[s.seq_id] if s.matcher is not None else None
        self._row, self._all_masked = row, False
        token = llama_cpp.llama_sampler_sample(sampler.sampler, self.ctx, logits_index)
        self._row = None
        if row is not None and (self._all_masked or not (row[token >> 5] >> (token & 31)) & 1):
            token = self._sample_full(logits_index, row, params.temperature, rng)
            if token < 0:
                s.done, s.finish_reason, s.error = True, "error", "the grammar allows no token"
                return
        if token == self.lm.eos or llama_cpp.llama_vocab_is_eog(self.vocab, token):
            s.done = True
            if s.matcher is not None and not s.matcher.is_accepting():
                s.finish_reason, s.error = "error", "the model stopped before the record was complete"
            return
        if s.matcher is not None and not s.matcher.consume_token(token):
            s.done, s.finish_reason, s.error = True, "error", f"grammar rejected a token: {s.matcher.get_error()}"
            return
        s.generated.append(token)
        s.pending = [token]
        self._take_forced(s)
        if s.matcher is not None and s.matcher.is_stopped():
            s.done = True
            return
        if len(s.generated) >= params.max_tokens:
            s.done, s.finish_reason = True, "length"
