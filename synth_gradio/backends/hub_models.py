"""GGUF models from the Hugging Face Hub for the llama.cpp backend, named instead of downloaded by hand.

`ORG/REPO:FILE.gguf` names one file; `ORG/REPO:Q5_K_M` a quantisation; `ORG/REPO` takes the repository's
Q4_K_M file (the usual balance of size and quality for CPUs), else its first GGUF by name. Before any
byte is fetched, the file's size is checked against the memory this machine has free, so a model that
cannot load is refused in one sentence instead of after a long download. The file is downloaded once
into the Hub cache (HF_HOME; HF_ENDPOINT points at a mirror): huggingface_hub writes it as an
`.incomplete` blob and resumes it after a cut, so no half file is ever loaded. `suggested()` is what the
app offers in one click, each with its download size, the memory it needs and the speed to expect here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from synth_gradio.errors import BackendError

_REF = re.compile(r"^([A-Za-z0-9][\w.-]*/[\w.-]+)(?::([\w./-]+\.gguf|[A-Za-z0-9_]+))?$")
PREFERRED = "q4_k_m"
GB = 1024**3
OVERHEAD = 1.2  # a GGUF needs about its size plus a fifth (context, buffers) in memory
BASE_GB = 0.3
CORE_GB_S = 2.5  # effective memory bandwidth per CPU core for llama.cpp decoding, GB/s (a rough rule)
MAX_GB_S = 20.0

# (name, model, download GB): instruction-tuned GGUF models that llama.cpp runs on a CPU, smallest first.
CURATED: list[tuple[str, str, float]] = [
    ("Gemma 3 1B instruct, Q4_K_M", "unsloth/gemma-3-1b-it-GGUF", 0.8),
    ("Qwen2.5 1.5B instruct, Q4_K_M", "bartowski/Qwen2.5-1.5B-Instruct-GGUF", 1.1),
    ("Llama 3.2 3B instruct, Q4_K_M", "bartowski/Llama-3.2-3B-Instruct-GGUF", 2.0),
    ("Qwen2.5 7B instruct, Q4_K_M", "bartowski/Qwen2.5-7B-Instruct-GGUF", 4.7),
]


def memory_needed_gb(size_gb: float) -> float:
    return size_gb * OVERHEAD + BASE_GB


def available_memory_gb() -> float | None:
    """Memory this machine can give a new model now (MemAvailable), or None where it cannot be read."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        return None
    return None


def expected_tokens_s(size_gb: float, cores: int | None = None) -> float:
    """Tokens per second to expect for one record on this CPU: decoding reads the whole model per token."""
    cores = cores or os.cpu_count() or 1
    return min(CORE_GB_S * cores, MAX_GB_S) / max(size_gb, 0.05)


def suggested(memory_gb: float | None = None, cores: int | None = None) -> list[tuple[str, str]]:
    """(label, model) for the model picker: download size, memory needed and speed on this machine."""
    memory_gb = available_memory_gb() if memory_gb is None else memory_gb
    out = []
    for name, model, size in CURATED:
        need = memory_needed_gb(size)
        fits = "" if memory_gb is None or need <= memory_gb else f"; more than the {memory_gb:.0f} GB free here"
        speed = expected_tokens_s(size, cores)
        out.append(
            (f"{name}: {size:.1f} GB download, needs {need:.1f} GB memory, ~{speed:.0f} tokens/s here{fits}", model)
        )
    return out


def is_hub_model(model: str | None) -> bool:
    """Whether `model` names a Hub repository (or one of its files) rather than a local path."""
    if not model or not _REF.match(model.strip()):
        return False
    if model.strip().lower().endswith(".gguf") and ":" not in model:
        return False  # "models/mine.gguf" is a local path, found or not
    return not Path(model).expanduser().exists()


def pick_gguf(files: list[str], repo: str, quant: str | None = None) -> str:
    """The repository's GGUF of quantisation `quant` (default Q4_K_M), else its first GGUF in name order."""
    ggufs = sorted(f for f in files if f.lower().endswith(".gguf") and "mmproj" not in f.lower())
    if not ggufs:
        raise BackendError(
            f"the Hub repository {repo} has no .gguf file; name one as {repo}:FILE.gguf", kind="model_missing"
        )
    preferred = [f for f in ggufs if (quant or PREFERRED).lower() in f.lower()]
    if quant and not preferred:
        tags = sorted({m.group(0).upper() for f in ggufs if (m := re.search(r"(?i)\b(?:I?Q\d\w*|F16|BF16|F32)", f))})
        raise BackendError(
            f"the Hub repository {repo} has no {quant.upper()} file; it has {', '.join(tags) or ', '.join(ggufs[:5])}",
            kind="model_missing",
        )
    return (preferred or ggufs)[0]


def _check_memory(repo: str, file: str, size: int | None) -> None:
    """Refuse, before downloading, a file larger than this machine's free memory can load."""
    free = available_memory_gb()
    if size is None or free is None:
        return
    need = memory_needed_gb(size / GB)
    if need > free:
        raise BackendError(
            f"{repo}:{file} is {size / GB:.1f} GB and needs about {need:.1f} GB of memory, but this machine has "
            f"{free:.1f} GB free; pick a smaller quantisation (for example {repo}:Q4_K_M) or a smaller model",
            kind="too_large",
        )


def hub_model_path(model: str, token: str | None = None) -> str:  # token None: HF_TOKEN or the login
    """The local path of a Hub GGUF, downloading it on first use; every failure is one sentence."""
    from huggingface_hub import HfApi, constants, hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError, RepositoryNotFoundError

    repo, named = _REF.match(model.strip()).groups()  # type: ignore[union-attr]
    quant = named if named and not named.lower().endswith(".gguf") else None
    file = named if quant is None else None
    where = constants.ENDPOINT
    try:
        listing = HfApi(endpoint=where).list_repo_tree(repo, recursive=True, token=token)
        sizes = {entry.path: getattr(entry, "size", None) for entry in listing}
        file = file or pick_gguf(list(sizes), repo, quant)
        if file not in sizes:
            raise EntryNotFoundError(file)
        _check_memory(repo, file, sizes[file])
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


def fetch_model(model: str, token: str | None = None) -> str:
    """Download a Hub GGUF into the cache now (a progress bar on the terminal, or in the app), so the first
    run does not wait for it; a local path or a name that is not a Hub model is one sentence."""
    if not is_hub_model(model):
        raise BackendError(
            f"{model!r} is not a Hub model; name one as ORG/REPO, ORG/REPO:FILE.gguf or ORG/REPO:Q4_K_M",
            kind="model_missing",
        )
    return hub_model_path(model, token)
