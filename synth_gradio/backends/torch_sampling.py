"""Grammar masks and sampling on torch tensors (no torch.compile, so it runs anywhere)."""

from __future__ import annotations

from typing import Any

import torch

from synth_gradio.backends.base import GenerationParams


def apply_bitmask(logits: torch.Tensor, bitmask: torch.Tensor) -> None:
    """Set logits of tokens whose bit is 0 in the llguidance bitmask to -inf, in place."""
    rows, vocab = logits.shape
    bits = torch.arange(32, device=logits.device, dtype=torch.int32)
    allowed = ((bitmask.unsqueeze(-1) >> bits) & 1).view(rows, -1)[:, :vocab].bool()
    logits.masked_fill_(~allowed, float("-inf"))


def sample_next(logits: torch.Tensor, params: GenerationParams, generator: Any) -> torch.Tensor:
    """Top-k, top-p and temperature sampling (greedy at temperature 0); returns CPU token ids."""
    logits = logits.float().cpu()
    if params.temperature <= 0:
        return logits.argmax(dim=-1)
    k = min(max(1, params.top_k), logits.shape[-1])
    values, indices = logits.topk(k, dim=-1)
    probs = torch.softmax(values / params.temperature, dim=-1)
    if params.top_p < 1.0:
        sorted_probs, order = probs.sort(dim=-1, descending=True)
        keep = sorted_probs.cumsum(-1) - sorted_probs < params.top_p
        sorted_probs = sorted_probs * keep
        probs = torch.zeros_like(probs).scatter(-1, order, sorted_probs)
    probs = torch.nan_to_num(probs, nan=0.0)
    empty = probs.sum(-1) <= 0
    probs[empty, 0] = 1.0
    choice = torch.multinomial(probs, 1, generator=generator).squeeze(-1)
    return indices.gather(-1, choice.unsqueeze(-1)).squeeze(-1)
