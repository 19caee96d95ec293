"""The application layer: one facade (Studio) over the engine, backends, storage and quality.

Interfaces (UI, CLI, Python) import from here; the request and result types are re-exported so
they need nothing from the engine.
"""

from synth_gradio.backends.config import BackendConfig
from synth_gradio.engine.types import STATUSES, BatchResult, GenerationRequest
from synth_gradio.export import EXPORT_FORMATS
from synth_gradio.storage.history import SUMMARY_FIELDS
from synth_gradio.studio.executors import ExecutorChoice
from synth_gradio.studio.facade import RunHandle, Studio, generate_records
from synth_gradio.studio.sources import ResolvedSchema

__all__ = [
    "EXPORT_FORMATS",
    "STATUSES",
    "SUMMARY_FIELDS",
    "BackendConfig",
    "BatchResult",
    "ExecutorChoice",
    "GenerationRequest",
    "ResolvedSchema",
    "RunHandle",
    "Studio",
    "generate_records",
]
