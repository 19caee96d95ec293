"""synth_gradio: business-grade synthetic data from language models.

    from synth_gradio import generate_records
    rows = generate_records(100, template="customer_data")   # bundled offline model

Every interface (CLI, UI, this API, benchmarks) makes records through `generate`.
"""

from synth_gradio.backends.base import Backend, Capabilities, Completion, CompletionRequest, GenerationParams
from synth_gradio.backends.registry import available_kinds, create_backend
from synth_gradio.engine.run import generate
from synth_gradio.engine.service import generate_records, request_from_run
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import BackendError, ExportError, InputError, SchemaError, StorageError, SynthError
from synth_gradio.export import write_records
from synth_gradio.schema.model import Field, Schema, load_schema
from synth_gradio.schema.templates import Template, builtin_names, get_template
from synth_gradio.settings import Settings
from synth_gradio.storage.history import History

__all__ = [
    "Backend",
    "BackendError",
    "BatchResult",
    "Capabilities",
    "Completion",
    "CompletionRequest",
    "ExportError",
    "Field",
    "GenerationParams",
    "GenerationRequest",
    "History",
    "InputError",
    "Schema",
    "SchemaError",
    "Settings",
    "StorageError",
    "SynthError",
    "Template",
    "available_kinds",
    "builtin_names",
    "create_backend",
    "generate",
    "generate_records",
    "get_template",
    "load_schema",
    "request_from_run",
    "write_records",
]
