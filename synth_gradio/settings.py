"""Settings from the environment (and an optional .env file), read once at start-up.

Nothing here runs at import time: callers ask for `Settings.from_env()` when they start, so tests
and notebooks can build their own `Settings` without touching the process environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_data_dir() -> Path:
    return Path(os.environ.get("SYNTH_DATA_DIR", Path.home() / ".synth_gradio"))


@dataclass(frozen=True)
class Settings:
    db_path: Path = field(default_factory=lambda: default_data_dir() / "history.db")
    backend: str = "llamacpp"
    model: str = ""
    n_threads: int = 0
    batch_size: int = 32
    export_dir: Path | None = None  # where download files are written on request (None: a temporary folder)
    # A database URL (postgresql://user:pass@host:5432/db) that replaces the SQLite file; it holds a
    # password, so it stays out of repr() and so out of logs and tracebacks.
    database_url: str = field(default="", repr=False)
    db_pool_size: int = 10  # PostgreSQL connections one process may hold at most (shared by its threads)
    ray_address: str = ""  # a Ray cluster (host:port, or "auto"): the UI offers sharded runs when set

    def backend_options(self, kind: str) -> dict[str, object]:
        """Settings that apply to a backend kind (local threads and batch size for llama.cpp)."""
        if kind == "llamacpp":
            return {"n_threads": self.n_threads, "max_batch": self.batch_size}
        return {}

    @classmethod
    def from_env(cls, env_file: str | os.PathLike[str] | None = ".env") -> Settings:
        """Load `.env` (without overriding real environment variables), then read SYNTH_* values."""
        if env_file and Path(env_file).is_file():
            from dotenv import load_dotenv

            load_dotenv(env_file, override=False)
        env = os.environ
        data_dir = default_data_dir()
        return cls(
            db_path=Path(env.get("SYNTH_DB_PATH") or data_dir / "history.db"),
            backend=env.get("SYNTH_BACKEND", "llamacpp"),
            model=env.get("SYNTH_MODEL", ""),
            n_threads=int(env.get("SYNTH_THREADS", "0") or 0),
            batch_size=int(env.get("SYNTH_BATCH_SIZE", "32") or 32),
            export_dir=Path(env["SYNTH_EXPORT_DIR"]) if env.get("SYNTH_EXPORT_DIR") else None,
            database_url=env.get("SYNTH_DATABASE_URL", "").strip(),
            db_pool_size=int(env.get("SYNTH_DB_POOL_SIZE", "10") or 10),
            ray_address=env.get("SYNTH_RAY_ADDRESS", "").strip(),
        )
