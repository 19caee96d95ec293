from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from synth_gradio.settings import Settings  # noqa: E402
from synth_gradio.storage.history import History  # noqa: E402
from synth_gradio.studio import Studio  # noqa: E402


@pytest.fixture
def history(tmp_path: Path) -> History:
    h = History(tmp_path / "history.db")
    yield h
    h.close()


@pytest.fixture
def studio(history: History, tmp_path: Path) -> Studio:
    """The application facade over the test's history file (runs are created only through it)."""
    return Studio(Settings(db_path=Path(history.path), export_dir=tmp_path / "exports"), history=history)


@pytest.fixture(scope="session")
def llama_backend():
    """The real bundled model, loaded once for the whole test session."""
    from synth_gradio.backends.llamacpp import LlamaCppBackend

    backend = LlamaCppBackend(max_batch=8)
    backend.load()
    return backend


@pytest.fixture
def seeded_service():
    """An OpenAI-compatible fake answering by the request's seed (fake_servers.seeded_openai)."""
    from fake_servers import seeded_openai

    fake = seeded_openai()
    yield fake
    fake.close()
