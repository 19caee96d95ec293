"""Local transformers models: 4-bit bitsandbytes on CUDA, full precision on CPU, llguidance masks.

- Model: a HuggingFace id, a local folder, or a .gguf file (transformers dequantizes it).
- CUDA: nf4 4-bit with double quantization and bf16 compute, device_map="auto". CPU: no
  quantization (bitsandbytes needs CUDA), said once in the log and in `notice`.
- Batched decoding with left padding and a KV cache; every row has its own llguidance matcher, and
  the grammar mask is applied to the logits before sampling, so output is valid by construction.
- One model resident per process: loading another one unloads the previous and frees GPU memory.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from synth_gradio.backends.base import Capabilities, Completion, CompletionRequest, GenerationParams
from synth_gradio.errors import BackendError, BackendResponseError

log = logging.getLogger(__name__)
_LOCK = threading.Lock()
_RESIDENT: dict[str, Any] = {}  # the one resident model, keyed by its name (process-wide, not per user)


@dataclass
class _Loaded:
    name: str
    model: Any
    tokenizer: Any
    ll_tokenizer: Any
    device: Any
    quantized: bool
    lock: threading.Lock


def _load(name: str, quantize: bool) -> _Loaded:
    try:
        import torch
        import transformers
        from llguidance.hf import from_tokenizer
    except ImportError as exc:
        raise BackendError(
            f"the transformers backend needs torch and transformers ({exc}); install them with `pip install -e .[gpu]` "
            "(on a CPU-only machine install torch==2.13.0 first)",
            kind="dependency_missing",
        ) from None
    with _LOCK:
        if name in _RESIDENT:
            return _RESIDENT[name]
        for old in list(_RESIDENT):
            unload(old)
        kwargs: dict[str, Any] = {}
        source = name
        if name.endswith(".gguf"):
            source, kwargs["gguf_file"] = os.path.dirname(os.path.abspath(name)), os.path.basename(name)
        cuda = torch.cuda.is_available()
        if cuda and quantize:
            kwargs["quantization_config"] = transformers.BitsAndBytesConfig(
                load_in_4bit=True,
                bnb_4bit_quant_type="nf4",
                bnb_4bit_use_double_quant=True,
                bnb_4bit_compute_dtype=torch.bfloat16,
            )
            kwargs["device_map"] = "auto"
        elif cuda:
            kwargs.update(dtype=torch.bfloat16, device_map="auto")
        else:
            log.warning("no CUDA GPU: loading %s without quantization on the CPU (slow)", name)
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(
                source, **{k: v for k, v in kwargs.items() if k == "gguf_file"}
            )
            model = transformers.AutoModelForCausalLM.from_pretrained(source, **kwargs)
        except torch.cuda.OutOfMemoryError:
            raise BackendError(f"{name} does not fit in GPU memory; choose a smaller model", kind="oom") from None
        except OSError as exc:
            raise BackendError(f"could not load {name!r}: {str(exc).splitlines()[0]}", kind="model_load") from None
        tokenizer.padding_side = "left"
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
        model.eval()
        n_vocab = model.get_output_embeddings().weight.shape[0]
        ll_tokenizer = from_tokenizer(tokenizer, n_vocab=n_vocab)
        device = next(model.parameters()).device
        loaded = _Loaded(name, model, tokenizer, ll_tokenizer, device, bool(cuda and quantize), threading.Lock())
        _RESIDENT[name] = loaded
        return loaded


def unload(name: str) -> None:
    """Drop a resident model and give its GPU memory back."""
    loaded = _RESIDENT.pop(name, None)
    if loaded is None:
        return
    del loaded
    gc.collect()
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except ImportError:
        pass


class TransformersBackend:
    kind = "transformers"

    def __init__(self, model: str | None = None, max_batch: int = 8, quantize: bool = True, **_: Any) -> None:
        if not model:
            raise BackendError("the transformers backend needs a model id, folder or .gguf file", kind="model_missing")
        self.model = model
        self._quantize = quantize
        self.capabilities = Capabilities(
            constrained=True, batching=True, max_batch=max(1, int(max_batch)), concurrency=1, local=True
        )
        self.stats: dict[str, float] = {}

    @property
    def notice(self) -> str:
        import torch

        return "" if torch.cuda.is_available() else "No CUDA GPU: the model runs unquantized on the CPU."

    def complete(self, request: CompletionRequest) -> list[Completion]:
        loaded = _load(self.model, self._quantize)
        import torch

        out: list[Completion] = []
        with loaded.lock:
            for start in range(0, len(request.suffixes), self.capabilities.max_batch):
                chunk = request.suffixes[start : start + self.capabilities.max_batch]
                try:
                    out += self._batch(loaded, [request.prefix + s for s in chunk], request.json_schema, request.params)
                except torch.cuda.OutOfMemoryError:
                    torch.cuda.empty_cache()
                    raise BackendError(
                        "out of GPU memory: lower the batch size or choose a smaller model", kind="oom"
                    ) from None
        return out

    def _batch(
        self, loaded: _Loaded, prompts: list[str], schema: dict[str, Any] | None, params: GenerationParams
    ) -> list[Completion]:
        import json

        import llguidance
        import torch

        from synth_gradio.backends.torch_sampling import apply_bitmask, sample_next

        tok = loaded.tokenizer
        enc = tok(prompts, return_tensors="pt", padding=True).to(loaded.device)
        attn = enc["attention_mask"]
        rows = len(prompts)
        grammar = (
            llguidance.LLMatcher.grammar_from_json_schema(json.dumps(schema), defaults={"whitespace_flexible": False})
            if schema
            else None
        )
        matchers = (
            [llguidance.LLMatcher(loaded.ll_tokenizer, grammar, log_level=0) for _ in range(rows)] if grammar else []
        )
        if grammar and matchers[0].is_error():
            raise BackendError(
                f"the schema could not be turned into a grammar: {matchers[0].get_error()}", kind="grammar"
            )
        generator = torch.Generator(device="cpu").manual_seed(
            params.seed if params.seed is not None else int(time.time())
        )
        bitmask = torch.zeros((rows, (loaded.ll_tokenizer.vocab_size + 31) // 32), dtype=torch.int32)
        eos = tok.eos_token_id
        generated: list[list[int]] = [[] for _ in range(rows)]
        done = [False] * rows
        finish = ["length"] * rows
        if torch.cuda.is_available():
            torch.cuda.reset_peak_memory_stats()
        started = time.perf_counter()
        position = (attn.cumsum(-1) - 1).clamp(min=0)
        with torch.inference_mode():
            outputs = loaded.model(
                input_ids=enc["input_ids"], attention_mask=attn, position_ids=position, use_cache=True
            )
            for _ in range(params.max_tokens):
                logits = outputs.logits[:, -1, :].float()
                if matchers:
                    for i, m in enumerate(matchers):
                        if not done[i]:
                            m.unsafe_compute_mask_ptr(bitmask[i].data_ptr(), bitmask.shape[1] * 4)
                    apply_bitmask(logits, bitmask.to(logits.device))
                tokens = sample_next(logits, params, generator)
                for i in range(rows):
                    if done[i]:
                        tokens[i] = tok.pad_token_id
                        continue
                    t = int(tokens[i])
                    if t == eos or (matchers and not matchers[i].consume_token(t)):
                        done[i], finish[i] = True, "stop" if t == eos else "error"
                        tokens[i] = tok.pad_token_id
                        continue
                    generated[i].append(t)
                    if matchers and matchers[i].is_stopped():
                        done[i], finish[i] = True, "stop"
                if all(done):
                    break
                attn = torch.cat([attn, torch.ones((rows, 1), dtype=attn.dtype, device=attn.device)], dim=1)
                position = position[:, -1:] + 1
                outputs = loaded.model(
                    input_ids=tokens.view(rows, 1).to(loaded.device),
                    attention_mask=attn,
                    position_ids=position,
                    past_key_values=outputs.past_key_values,
                    use_cache=True,
                )
        elapsed = time.perf_counter() - started
        total = sum(len(g) for g in generated)
        self.stats = {"tokens_per_s": total / elapsed if elapsed else 0.0, "seconds": elapsed}
        if torch.cuda.is_available():
            self.stats["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
        return [
            Completion(
                text=tok.decode(g, skip_special_tokens=True),
                tokens=len(g),
                prompt_tokens=int(enc["attention_mask"][i].sum()),
                finish_reason=finish[i],
                error=BackendResponseError("grammar rejected a token", kind="grammar")
                if finish[i] == "error"
                else None,
            )
            for i, g in enumerate(generated)
        ]

    def close(self) -> None:
        """The model stays resident for the next run; `unload(model)` frees it."""
