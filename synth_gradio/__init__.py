"""synth_gradio: business-grade synthetic data from language models.

    from synth_gradio import Studio
    studio = Studio()                                   # settings from the environment and .env
    rows = studio.generate_records(100, template="customer_data")   # bundled offline model

Every interface (CLI, UI, this API, benchmarks) goes through one facade, `Studio`: it resolves
schemas, builds backends, starts, stops, resumes and re-runs runs, exports and reports.
"""

from synth_gradio.backends.base import Backend, Capabilities, Completion, CompletionRequest, GenerationParams
from synth_gradio.backends.config import BackendConfig
from synth_gradio.backends.registry import available_kinds, create_backend
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import BackendError, ExportError, InputError, SchemaError, StorageError, SynthError
from synth_gradio.export import write_records
from synth_gradio.schema.model import Field, Schema, load_schema
from synth_gradio.schema.templates import Template, builtin_names, get_template
from synth_gradio.settings import Settings
from synth_gradio.storage.history import History
from synth_gradio.studio import ExecutorChoice, ResolvedSchema, RunHandle, Studio, generate_records

__all__ = [
    "Backend",
    "BackendConfig",
    "BackendError",
    "BatchResult",
    "Capabilities",
    "Completion",
    "CompletionRequest",
    "ExecutorChoice",
    "ExportError",
    "Field",
    "GenerationParams",
    "GenerationRequest",
    "History",
    "InputError",
    "ResolvedSchema",
    "RunHandle",
    "Schema",
    "SchemaError",
    "Settings",
    "StorageError",
    "Studio",
    "SynthError",
    "Template",
    "available_kinds",
    "builtin_names",
    "create_backend",
    "generate",
    "generate_records",
    "get_template",
    "load_schema",
    "write_records",
]
