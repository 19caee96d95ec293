"""GGUF models from the Hugging Face Hub for the llama.cpp backend, named instead of downloaded by hand.

`ORG/REPO:FILE.gguf` names one file; `ORG/REPO` takes the repository's Q4_K_M file (the usual balance of
size and quality for CPUs), else its first GGUF by name. The file is downloaded once into the Hub cache
(HF_HOME; HF_ENDPOINT points at a mirror) and then loaded like any local path. `SUGGESTED` is what the
app offers in one click, each with its download size and what it needs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from synth_gradio.errors import BackendError

_REF = re.compile(r"^([A-Za-z0-9][\w.-]*/[\w.-]+)(?::([\w./-]+\.gguf))?$")
PREFERRED = "q4_k_m"

# (label, model): instruction-tuned GGUF models that llama.cpp runs on a CPU, smallest first.
SUGGESTED: list[tuple[str, str]] = [
    ("Gemma 3 1B instruct, Q4_K_M, 0.8 GB: any laptop", "unsloth/gemma-3-1b-it-GGUF"),
    ("Qwen2.5 1.5B instruct, Q4_K_M, 1.1 GB: any laptop", "bartowski/Qwen2.5-1.5B-Instruct-GGUF"),
    ("Llama 3.2 3B instruct, Q4_K_M, 2.0 GB: 8 GB of memory", "bartowski/Llama-3.2-3B-Instruct-GGUF"),
    ("Qwen2.5 7B instruct, Q4_K_M, 4.7 GB: 16 GB of memory or a GPU", "bartowski/Qwen2.5-7B-Instruct-GGUF"),
]


def is_hub_model(model: str | None) -> bool:
    """Whether `model` names a Hub repository (or one of its files) rather than a local path."""
    if not model or not _REF.match(model.strip()):
        return False
    if model.strip().lower().endswith(".gguf") and ":" not in model:
        return False  # "models/mine.gguf" is a local path, found or not
    return not Path(model).expanduser().exists()


def pick_gguf(files: list[str], repo: str) -> str:
    """The repository's Q4_K_M GGUF, else its first GGUF in name order (sizes are not listed here)."""
    ggufs = sorted(f for f in files if f.lower().endswith(".gguf") and "mmproj" not in f.lower())
    if not ggufs:
        raise BackendError(
            f"the Hub repository {repo} has no .gguf file; name one as {repo}:FILE.gguf", kind="model_missing"
        )
    preferred = [f for f in ggufs if PREFERRED in f.lower()]
    return (preferred or ggufs)[0]


def hub_model_path(model: str, token: str | None = None) -> str:  # token None: HF_TOKEN or the login
    """The local path of a Hub GGUF, downloading it on first use; every failure is one sentence."""
    from huggingface_hub import HfApi, constants, hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError, RepositoryNotFoundError

    repo, file = _REF.match(model.strip()).groups()  # type: ignore[union-attr]
    where = constants.ENDPOINT
    try:
        if file is None:
            file = pick_gguf(HfApi(endpoint=where).list_repo_files(repo, token=token), repo)
        return hf_hub_download(repo, file, token=token, endpoint=where)
    except RepositoryNotFoundError:
        raise BackendError(
            f"the Hub has no model repository {repo} (a private or gated one needs HF_TOKEN)", kind="model_missing"
        ) from None
    except EntryNotFoundError:
        raise BackendError(f"the Hub repository {repo} has no file {file}", kind="model_missing") from None
    except BackendError:
        raise
    except Exception as exc:  # the Hub client's HTTP, cache and connection errors alike (its HTTP library's own too)
        raise BackendError(
            f"could not download {repo} from {where} ({_reason(exc)}); check the network or HF_ENDPOINT, "
            "or pass the path of a .gguf file",
            kind="unreachable",
        ) from None


def _reason(exc: Any) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
